"""One indicator for one organisation, as every reader sees it: chart, table and sentences.

The report notebook, the JupyterLab explorer and ``jam gaps`` all show an
indicator through :func:`indicator_view`, and it is built only from an
:class:`~jamlib.report.indicator_report.IndicatorReport`, whose values passed
disclosure control before anything was computed. A value resting on fewer
persons than the threshold is therefore absent from the chart and its embedded
data, and shown as "färre än 5" in the table, wherever the view is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from jamlib.analysis.disclosure import suppression_label
from jamlib.analysis.gaps import format_gap_table
from jamlib.formatting import format_decimal, period_start
from jamlib.report.indicator_report import IndicatorReport, reference_series

if TYPE_CHECKING:
    import altair as alt

__all__ = ["IndicatorView", "indicator_view", "indicator_views"]

_SEX_COLUMNS = {"K": "Kvinnor", "M": "Män", "T": "Totalt"}


@dataclass(frozen=True)
class IndicatorView:
    """What is shown for one indicator of one organisation.

    Attributes
    ----------
    org_code, org_name, indicator_id, title, unit
        What the view is about.
    table
        The Swedish display table (text cells; hidden values read "färre än 5").
    sentences
        The Swedish sentences for this indicator.
    reference_label
        The reference's name, or ``None``.
    """

    org_code: str
    org_name: str
    indicator_id: str
    title: str
    unit: str | None
    table: pd.DataFrame
    sentences: tuple[str, ...]
    reference_label: str | None
    _chart_data: pd.DataFrame
    _reference_data: pd.DataFrame
    _member_data: pd.DataFrame = field(default_factory=pd.DataFrame)
    _rank_text: str = ""

    @property
    def caption(self) -> str:
        """The table's caption: the indicator's name, id and unit."""
        unit = f", {self.unit}" if self.unit else ""
        return f"{self.title} ({self.indicator_id}{unit}): värden per år"

    def chart_spec(self) -> dict:
        """The chart of the shown values as a Vega-Lite specification, the reference dashed."""
        from jamlib.report.charts import gap_spec

        return gap_spec(self._chart_data, f"{self.org_name}: {self.title}", unit=self.unit,
                        reference=self._reference_data, reference_label=self.reference_label,
                        members=self._member_data, org_label=self.org_name)

    def chart(self) -> "alt.TopLevelMixin":
        """The chart of the shown values (Altair), the reference dashed: :meth:`chart_spec` as an Altair chart."""
        from jamlib.report.charts import _as_chart

        return _as_chart(self.chart_spec())

    def rank_spec(self) -> dict | None:
        """The gap in the latest period beside each member of the reference group, as a Vega-Lite specification
        (``None`` without a group)."""
        from jamlib.analysis.materiality import difference_unit
        from jamlib.report.charts import rank_spec

        both = self._chart_data.dropna(subset=["value_K", "value_M"])
        if both.empty or self._member_data.empty:
            return None
        latest = both.assign(_s=[period_start(p) or 0 for p in both["period"]]).sort_values("_s").iloc[-1]
        members = self._member_data
        members = members[(members["period"] == latest["period"]) & members["value_K"].notna()
                          & members["value_M"].notna() & (members["org_code"] != self.org_code)]
        if len(members) < 2:
            return None
        sizes = pd.DataFrame({"name": [self.org_name, *members["org_name"].fillna(members["org_code"])],
                              "size": [abs(float(latest["gap"])), *members["gap"].abs().astype(float)],
                              "highlight": [True] + [False] * len(members)})
        return rank_spec(sizes, f"Skillnaden {latest['period']}: {self.org_name} och {self.reference_label}",
                         unit=difference_unit(self.unit), subtitle=f"{self.org_name}: {self._rank_text}"
                         if self._rank_text else None)

    def rank_chart(self) -> "alt.TopLevelMixin | None":
        """:meth:`rank_spec` as an Altair chart (``None`` without a group)."""
        from jamlib.report.charts import _as_chart

        spec = self.rank_spec()
        return None if spec is None else _as_chart(spec)

    def show(self, sentences: bool = False) -> None:
        """Display chart, rank chart and table (and the sentences when asked) in a notebook."""
        from jamlib.report import charts, display

        if sentences:
            display.show_paragraphs(list(self.sentences))
        # the specs are written without Altair; tests/test_chart_specs.py checks them against the Vega-Lite schema
        charts.show_spec(self.chart_spec())
        ranked = self.rank_spec()
        if ranked is not None:
            charts.show_spec(ranked)
        display.show_table(self.table, caption=self.caption)

    def text(self) -> str:
        """The view as plain text for a terminal: sentences, then the table."""
        lines = [f"{self.title} ({self.indicator_id})"]
        lines += [f"  - {s}" for s in self.sentences]
        lines.append(self.table.to_string(index=False))
        return "\n".join(lines)


def _display_table(own: pd.DataFrame, hidden: pd.DataFrame, threshold: int) -> pd.DataFrame:
    table = format_gap_table(own)
    if hidden.empty:
        return table
    label = suppression_label(threshold)
    table = table.set_index("År", drop=False)
    for period, group in hidden.groupby("period", sort=False):
        period = str(period)
        if period not in table.index:
            table.loc[period] = {column: "" for column in table.columns} | {"År": period,
                                                                            "Missgynnat kön": "kan inte sägas"}
        for sex in group["sex"]:
            table.loc[period, _SEX_COLUMNS[sex]] = label
        totals = group["total"].dropna()
        if table.loc[period, "Totalt"] == "" and len(totals):
            table.loc[period, "Totalt"] = format_decimal(float(totals.iloc[0]))
        if set(group["sex"]) & {"K", "M"}:
            table.loc[period, ["Skillnad K−M", "Relativ skillnad"]] = ""
            table.loc[period, "Missgynnat kön"] = "kan inte sägas"
    order = sorted(table.index, key=lambda p: (period_start(p) or 0, p))
    return table.loc[order].reset_index(drop=True)


def _with_intervals(table: pd.DataFrame, intervals: pd.DataFrame) -> pd.DataFrame:
    """The table with the 95 % interval of the difference (percentage points), where counts are known."""
    if intervals.empty:
        return table
    by_period = {str(p): (low, high) for p, low, high in
                 zip(intervals["period"], intervals["difference_low"], intervals["difference_high"])}
    cells = [f"{format_decimal(by_period[p][0] * 100, sign=True)} till {format_decimal(by_period[p][1] * 100, sign=True)}"
             if p in by_period else "" for p in table["År"].astype(str)]
    position = list(table.columns).index("Relativ skillnad") + 1
    table = table.copy()
    table.insert(position, "Skillnad, 95 % KI (procentenheter)", cells)
    return table


def indicator_view(report: IndicatorReport, indicator_id: str) -> IndicatorView:
    """The chart, table and sentences of one indicator in a report.

    Parameters
    ----------
    report
        The result of :func:`jamlib.indicator_report` (values already screened
        by disclosure control).
    indicator_id
        One of the report's indicators.

    Returns
    -------
    IndicatorView

    Raises
    ------
    NoDataError
        When the report has no values for the indicator.
    """
    return _indicator_view(report, indicator_id, lambda: _rank_texts(report))


def _rank_texts(report: IndicatorReport) -> pd.Series:
    """Each indicator's rank in its reference group, in words (the steering summary's ``rank_text``)."""
    from jamlib.report.summary import report_summary

    return report_summary(report).set_index("indicator_id")["rank_text"]


def _indicator_view(report: IndicatorReport, indicator_id: str, ranks: Callable[[], pd.Series]) -> IndicatorView:
    from jamlib.errors import NoDataError

    own = report.gaps[report.gaps["indicator_id"] == indicator_id]
    hidden = report.hidden[report.hidden["indicator_id"] == indicator_id]
    if own.empty and hidden.empty:
        raise NoDataError(f"{report.org_name} har inga värden för {indicator_id} i rapporten.")
    titles = own["indicator_title"].dropna() if not own.empty else pd.Series(dtype=object)
    title = str(titles.iloc[0]) if len(titles) else indicator_id
    units = own["unit"].dropna() if "unit" in own.columns else pd.Series(dtype=object)
    texts = report.sentences.loc[report.sentences["indicator_id"] == indicator_id, "text"]
    members = report.reference_gaps[report.reference_gaps["indicator_id"] == indicator_id] \
        if report.reference is not None and len(report.reference.codes) > 1 else pd.DataFrame()
    rank = ""
    if not members.empty and not own.empty:
        rank = str(ranks().get(indicator_id, ""))
    table = _with_intervals(_display_table(own, hidden, report.threshold),
                            report.intervals[report.intervals["indicator_id"] == indicator_id])
    return IndicatorView(
        org_code=report.org_code, org_name=report.org_name, indicator_id=indicator_id, title=title,
        unit=str(units.iloc[0]) if len(units) else None,
        table=table,
        sentences=tuple(str(t) for t in texts),
        reference_label=report.reference.label if report.reference is not None else None,
        _chart_data=own.reset_index(drop=True),
        _reference_data=reference_series(report, indicator_id),
        _member_data=members.reset_index(drop=True),
        _rank_text=rank,
    )


def indicator_views(report: IndicatorReport) -> list[IndicatorView]:
    """Every indicator of a report, in the report's order."""
    computed: list[pd.Series] = []

    def ranks() -> pd.Series:  # the steering summary covers every indicator: computed once, not once per view
        if not computed:
            computed.append(_rank_texts(report))
        return computed[0]

    return [_indicator_view(report, i, ranks) for i in report.indicator_ids]
