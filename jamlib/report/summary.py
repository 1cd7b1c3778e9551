"""The indicator report's first screen and its last section: the summary table and "Metod och osäkerhet".

A steering group reads the summary: one row per indicator with its name, the
disadvantaged sex, for how long, how the gap has moved and where the organisation
ranks in its reference group, and at most three sentences
(:mod:`jamlib.analysis.steering_summary`). Test names and p-values are left to the
method section at the end (:func:`show_method`). Everything here is built from an
:class:`~jamlib.report.indicator_report.IndicatorReport`, whose values passed
disclosure control before anything was computed.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from jamlib.analysis.disclosure import suppression_label
from jamlib.analysis.steering_summary import steering_summary, summary_sentences
from jamlib.report.indicator_report import IndicatorReport

__all__ = ["report_summary", "summary_table", "show_summary", "indicator_paragraphs", "method_paragraphs",
           "show_method", "summary_record", "read_summary_record", "SUMMARY_MIME"]

#: The machine-readable form of a report's summary, kept in the executed notebook beside the HTML table
#: (``jam batch`` builds its overview from it; HTML exporters ignore it).
SUMMARY_MIME = "application/vnd.jamlib.indicator-summary+json"


def report_summary(report: IndicatorReport) -> pd.DataFrame:
    """:func:`jamlib.analysis.steering_summary.steering_summary` of a report (screened values only)."""
    reference = report.reference
    return steering_summary(report.persistence, report.trend, report.comparison,
                            report.reference_gaps if reference is not None else None,
                            reference.label if reference is not None else None,
                            reference.codes if reference is not None else ())


def summary_table(report: IndicatorReport, summary: pd.DataFrame | None = None,
                  titles: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The summary as a Swedish table: one row per requested indicator, named, never only by its id.

    Parameters
    ----------
    report
        The indicator report.
    summary
        :func:`report_summary` of it, if already computed.
    titles
        Indicator names for indicators without any value in the report (Kolada metadata), optional.

    Returns
    -------
    pandas.DataFrame
        Text columns ``Indikator``, ``År``, ``Missgynnat kön``, ``Hur länge``, ``Skillnaden över tid`` and
        ``Jämfört med <referens>`` (or ``Jämförelse`` without a reference).
    """
    summary = report_summary(report) if summary is None else summary
    label = report.reference.label if report.reference is not None else None
    compared = f"Jämfört med {label}" if label else "Jämförelse"
    rows = [{"Indikator": r["indicator_title"], "År": str(r["latest_period"]), "Missgynnat kön": r["sex_text"],
             "Hur länge": r["duration_text"], "Skillnaden över tid": r["direction_text"], compared: r["rank_text"]}
            for r in summary.to_dict("records")]
    shown = set(summary["indicator_id"])
    names = dict(titles or {})
    hidden_only = [i for i in dict.fromkeys(report.hidden["indicator_id"]) if i not in shown]
    for indicator in hidden_only:
        rows.append({"Indikator": names.get(indicator, indicator), "År": "",
                     "Missgynnat kön": f"kan inte sägas: värdena vilar på {suppression_label(report.threshold)} "
                                       "personer", "Hur länge": "–", "Skillnaden över tid": "–", compared: "–"})
    for indicator in report.missing_indicators:
        if indicator in hidden_only:
            continue
        rows.append({"Indikator": names.get(indicator, indicator), "År": "",
                     "Missgynnat kön": f"inga värden för {report.org_name}", "Hur länge": "–",
                     "Skillnaden över tid": "–", compared: "–"})
    return pd.DataFrame(rows, columns=["Indikator", "År", "Missgynnat kön", "Hur länge", "Skillnaden över tid", compared])


def _plain(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        return value.item()
    return value


def summary_record(report: IndicatorReport, summary: pd.DataFrame | None = None) -> dict:
    """The summary and the shown values of a report as plain data (what ``jam batch`` collects).

    Only values that passed disclosure control are included; a hidden value is the text
    "färre än 5", as in the report's tables.

    Returns
    -------
    dict
        ``org_code``, ``org_name``, ``threshold``, ``reference``, ``caveat`` (:func:`descriptive_caveat`),
        ``indicators`` (one dict per row of
        :func:`report_summary` with ``unit``, ``difference_unit`` and ``materiality``) and ``values``
        (one dict per indicator and period: ``Kvinnor``, ``Män``, ``Totalt``, ``Skillnad K−M`` ...).
    """
    from jamlib.analysis.materiality import difference_unit
    from jamlib.report.excel import report_sheets

    summary = report_summary(report) if summary is None else summary
    meta = report.persistence.set_index("indicator_id")
    indicators = []
    for row in summary.to_dict("records"):
        unit = meta.loc[row["indicator_id"], "unit"] if row["indicator_id"] in meta.index else None
        indicators.append({**{k: _plain(v) for k, v in row.items()}, "unit": _plain(unit),
                           "difference_unit": difference_unit(unit),
                           "materiality": _plain(meta.loc[row["indicator_id"], "materiality"])})
    titles = dict(zip(summary["indicator_id"], summary["indicator_title"]))
    values = []
    for name, sheet in report_sheets(report).items():
        if not name.startswith("Värden "):
            continue
        indicator = name[len("Värden "):]
        for row in sheet.to_dict("records"):
            values.append({"Indikator": titles.get(indicator, indicator), "Id": indicator,
                           **{k: _plain(v) for k, v in row.items()}})
    return {"org_code": report.org_code, "org_name": report.org_name, "threshold": int(report.threshold),
            "reference": report.reference.label if report.reference is not None else None,
            "caveat": descriptive_caveat(report), "indicators": indicators, "values": values}


def read_summary_record(notebook) -> dict | None:
    """The :func:`summary_record` an executed notebook displayed, or ``None`` when it shows none."""
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if SUMMARY_MIME in data:
                return data[SUMMARY_MIME]
    return None


class _Bundle:
    def __init__(self, bundle: dict):
        self._bundle = bundle

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self._bundle


def show_summary(report: IndicatorReport, titles: Mapping[str, str] | None = None) -> None:
    """Show the heading "Sammanfattning", the summary table and at most three sentences."""
    from IPython.display import display as show

    from jamlib.report import display
    from jamlib.report.charts import table_html

    summary = report_summary(report)
    table = summary_table(report, summary, titles)
    display.show_heading("Sammanfattning", 2)
    show(_Bundle({"text/html": table_html(table, f"{report.org_name}: skillnader mellan kvinnor och män i korthet"),
                  "text/plain": table.to_string(index=False), SUMMARY_MIME: summary_record(report, summary)}))
    missing = len(table) - len(summary)
    caveat = descriptive_caveat(report)
    display.show_paragraphs(summary_sentences(summary, missing) + ([caveat] if caveat else []))


def descriptive_caveat(report: IndicatorReport) -> str | None:
    """The caveat that the values are descriptive (no counts, no uncertainty), when it applies to the report.

    It is said under the summary table, where it is read, as well as among the method's remarks.
    """
    from jamlib.analysis.gaps import DESCRIPTIVE_CAVEAT

    notes = report.sentences.loc[report.sentences["indicator_id"] == "", "text"]
    return DESCRIPTIVE_CAVEAT if (notes == DESCRIPTIVE_CAVEAT).any() else None


def indicator_paragraphs(report: IndicatorReport, indicator_id: str) -> list[str]:
    """Plain sentences for one indicator, without test names or p-values.

    Which sex is disadvantaged and for how long, and how the gap compares with the
    reference in the latest period; the trend test is in :func:`method_paragraphs`.
    """
    from jamlib.analysis.narrative import persistence_sentence

    rows = report.persistence[report.persistence["indicator_id"] == indicator_id]
    if rows.empty:
        return []
    row = rows.iloc[0].to_dict()
    texts = [persistence_sentence(row, report.org_name)]
    latest = report.comparison[(report.comparison["indicator_id"] == indicator_id)
                               & (report.comparison["period"] == row["latest_period"])]
    if report.reference is not None and not latest.empty:
        texts.append(str(latest["text"].iloc[0]))
    counted = report.interval_sentences[report.interval_sentences["indicator_id"] == indicator_id]
    texts.extend(str(t) for t in counted["text"])  # shares and 95 % intervals from the counts, no test names
    return texts


def method_paragraphs(report: IndicatorReport) -> list[str]:
    """The trend test per indicator (test, years, p-values) and the report's general remarks."""
    titles = dict(zip(report.persistence["indicator_id"], report.persistence["indicator_title"]))
    texts = [f"{titles.get(i) or i}: {t}" for i, t in zip(report.trend["indicator_id"], report.trend["text"])]
    texts += [f"{titles.get(i) or i}: {t}" for i, t in zip(report.share_trends["indicator_id"], report.share_trends["text"])]
    notes = report.sentences.loc[report.sentences["indicator_id"] == "", "text"]
    return texts + [str(n) for n in notes]


def show_method(report: IndicatorReport) -> None:
    """Show the trend tests as a table and as sentences, and the report's general remarks."""
    from jamlib.analysis.gaps import format_trend_table
    from jamlib.report import display

    display.show_table(format_trend_table(report.trend),
                       caption="Trendtest per indikator (Mann–Kendall, exakt; p justerat med Benjamini–Hochbergs metod)")
    display.show_paragraphs(method_paragraphs(report))
