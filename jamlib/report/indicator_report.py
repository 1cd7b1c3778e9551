"""The per-municipality indicator analysis: everything one report needs, in one call.

:func:`indicator_report` takes validated indicator rows (the bundled Kolada
snapshot, a fetched Kolada cache, or a municipality's own files), a
municipality code, the indicators, the last period and a reference, and returns
the gaps, their persistence and trend, the comparison with the reference and
the Swedish sentences, all as new data frames. Notebooks and ``jam gaps`` only
display what this returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from jamlib.analysis.disclosure import DEFAULT_THRESHOLD, suppress_small_counts
from jamlib.errors import NoDataError
from jamlib.formatting import period_start
from jamlib.kpis import KARLSTAD_INDICATORS, parse_polarity, with_polarity
from jamlib.analysis.gap_summary import summarise_gaps
from jamlib.analysis.gaps import gap_trend, indicator_gaps
from jamlib.organisations import organisation_table, resolve_organisation, with_organisation_ids
from jamlib.analysis.proportions import proportion_gaps
from jamlib.analysis.sex_shares import sex_share_trend
from jamlib.analysis.reference import Reference, resolve_reference
from jamlib.ingest.sources import load_indicator_folder

__all__ = ["KARLSTAD_INDICATORS", "IndicatorReport", "indicator_report", "load_indicator_folder", "reference_series",
           "reference_means"]

@dataclass(frozen=True)
class IndicatorReport:
    """Everything the per-municipality indicator report shows.

    Attributes
    ----------
    org_code, org_name
        The municipality.
    reference
        The resolved reference, or ``None``.
    gaps
        :func:`jamlib.analysis.gaps.indicator_gaps` for the municipality.
    reference_gaps
        The same for the reference's members (for charts).
    persistence, trend, comparison
        :func:`~jamlib.analysis.gaps.gap_persistence`, :func:`~jamlib.analysis.gaps.gap_trend`,
        :func:`~jamlib.analysis.gaps.compare_with_reference` (empty without a reference).
    sentences
        ``indicator_id`` and ``text``: the Swedish summary per indicator.
    missing_indicators
        Requested indicators without any values for the municipality.
    suppressed_cells
        How many of the municipality's values were hidden by disclosure control
        (fewer persons behind them than the threshold, or secondary suppression).
    hidden
        Which of them: ``indicator_id``, ``period``, ``sex`` (values never kept here), and ``total``: the
        period's total where it may still be shown.
    threshold
        The disclosure threshold used.
    intervals
        Where an own file gives counts (numerator and denominator) for women and men:
        :func:`jamlib.analysis.proportions.proportion_gaps` per indicator and period, from the
        screened counts only (Wilson intervals per sex, Newcombe's for the difference, an exact test).
    interval_sentences
        ``indicator_id`` and ``text``: the latest period's shares and intervals in words, where counts are known.
    share_trends
        :func:`jamlib.analysis.sex_shares.sex_share_trend` for indicators that count persons (the share of
        women over time with its exact trend test). Both are also part of ``sentences``.
    """

    org_code: str
    org_name: str
    reference: Reference | None
    gaps: pd.DataFrame
    reference_gaps: pd.DataFrame
    persistence: pd.DataFrame
    trend: pd.DataFrame
    comparison: pd.DataFrame
    sentences: pd.DataFrame
    missing_indicators: tuple[str, ...]
    suppressed_cells: int = 0
    hidden: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["indicator_id", "period", "sex", "total"]))
    threshold: int = DEFAULT_THRESHOLD
    intervals: pd.DataFrame = field(default_factory=lambda: proportion_gaps(pd.DataFrame(columns=["sex"])))
    interval_sentences: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["indicator_id", "text"]))
    share_trends: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["indicator_id", "text"]))

    @property
    def indicator_ids(self) -> list[str]:
        """The report's indicators in its order: those with values shown, then those only hidden."""
        return list(dict.fromkeys([*self.persistence["indicator_id"], *self.hidden["indicator_id"]]))


def indicator_report(
    indicators: pd.DataFrame,
    org_code: object,
    indicator_ids: list[str] | tuple[str, ...] | None = KARLSTAD_INDICATORS,
    until: str | None = None,
    reference: str | list[str] | None = "riket",
    groups: pd.DataFrame | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    polarity: str | dict | None = None,
    organisations: pd.DataFrame | None = None,
    materiality: dict[str, float] | None = None,
) -> IndicatorReport:
    """Analyse one municipality's indicators: gaps, persistence, trend, reference, sentences.

    Parameters
    ----------
    indicators
        Validated indicator rows covering the municipality and the reference.
    org_code
        The organisation: a municipality's or region's code (``"1780"``, also ``1780`` or ``"180"``,
        repaired to ``"0180"``), or the id or name of an organisation in the data without a Kolada code
        (``"Kfast AB"``); see :func:`jamlib.organisations.resolve_organisation`.
    indicator_ids
        Indicators to analyse (default Karlstad's five); ``None`` for all present.
    until
        Last period included, e.g. ``"2021"``.
    reference
        ``"riket"``, ``"liknande"``, a Kolada group id, a list of codes, or ``None``.
    groups
        Kolada municipality groups (default the bundled copy).
    threshold
        Disclosure threshold: values resting on fewer persons (where the
        denominator is known) are suppressed before anything is computed or
        shown, with secondary suppression (:func:`jamlib.analysis.disclosure.suppress_small_counts`).
    polarity
        Which direction is better, per indicator, where the data do not say or should be overridden:
        ``"N00905=högre,U23401=lägre"`` or a dict (:func:`jamlib.kpis.parse_polarity`). Otherwise the data's
        own ``polaritet`` column, then jamlib's curated table, is used.
    organisations
        The user's own organisation table (``jam ingest`` stores it as ``organisations``): committees,
        companies and units with their parents, so that they can be named as in that table.
    materiality
        Materiality thresholds per indicator id, overriding the defaults by unit
        (:mod:`jamlib.analysis.materiality`).

    Returns
    -------
    IndicatorReport

    Raises
    ------
    ParameterError
        When no organisation fits, or several do.
    NoDataError
        When no requested indicator has values for it.
    """
    table = organisation_table(data=indicators, own=organisations)
    organisation = resolve_organisation(org_code, table, "kommunkod")
    indicators = with_organisation_ids(indicators, table)
    code, name = organisation.id, organisation.name
    notes: list[str] = []
    if reference and not organisation.is_kolada:
        notes.append(f"{name} jämförs inte med någon referens: Koladas jämförelser (riket, liknande kommuner) "
                     "gäller kommuner och regioner.")
        reference = None
    resolved = resolve_reference(reference, code, groups) if reference else None
    ids = list(indicator_ids) if indicator_ids is not None else None
    wanted_codes = {code, *(resolved.codes if resolved else ())}
    indicators = with_polarity(indicators[indicators["org_code"].isin(wanted_codes)],
                               parse_polarity(polarity) if polarity else None)
    screened = suppress_small_counts(indicators, threshold=threshold)
    own_hidden = screened["suppressed"] & (screened["org_code"] == code)
    if ids is not None:
        own_hidden &= screened["indicator_id"].isin(ids)
    if until is not None:
        own_hidden &= screened["period"].map(lambda p: (period_start(p) or 0) <= (period_start(until) or 0)).astype(bool)
    suppressed_cells = int(own_hidden.sum())
    hidden = screened.loc[own_hidden, ["indicator_id", "period", "sex"]].reset_index(drop=True)
    shown_totals = screened[(screened["org_code"] == code) & (screened["sex"] == "T") & ~screened["suppressed"]]
    hidden = hidden.merge(shown_totals[["indicator_id", "period", "value"]].rename(columns={"value": "total"}),
                          on=["indicator_id", "period"], how="left")
    indicators = screened.drop(columns=["suppressed", "suppression", "base_known", "display"])
    own = indicator_gaps(indicators, org_code=code, indicator_ids=ids, until=until, materiality=materiality)
    if own.empty:
        wanted = ", ".join(ids) if ids else "några indikatorer"
        others = (indicator_gaps(indicators, org_code=code, until=until, materiality=materiality)
                  if ids is not None else own)
        others = others.drop_duplicates("indicator_id")
        instead = (f" Värden för kvinnor och män för {name} finns för "
                   + ", ".join(f"{i} ({t})" for i, t in zip(others["indicator_id"], others["indicator_title"])) + "."
                   if len(others) else "")
        raise NoDataError(f"Det finns inga värden för {name} ({code}) för {wanted}"
                          + (f" till och med {until}" if until else "") + "." + instead)
    present = set(own["indicator_id"])
    missing = tuple(i for i in (ids or []) if i not in present)
    # one family of trend tests per report: the gap trends and the trends in the share of women
    trend = gap_trend(own)
    shares = _count_shares(indicators, code, ids, until, {code: trend["p_value"].dropna().tolist()})
    if shares["p_value"].notna().any():
        trend = gap_trend(own, other_tests={code: shares["p_value"].dropna().tolist()})
    if resolved is not None:
        subset = indicators[indicators["org_code"].isin(resolved.codes)]
        reference_gaps = indicator_gaps(subset, indicator_ids=ids, until=until, materiality=materiality)
        summary = summarise_gaps(own, code, name, reference_gaps, resolved.codes, resolved.label, trend=trend)
    else:
        reference_gaps = own.iloc[0:0]
        summary = summarise_gaps(own, code, name, trend=trend)
    persistence, trend, comparison, sentences = (summary.persistence, summary.trend, summary.comparison,
                                                 summary.sentences)
    intervals = _count_intervals(indicators, own)
    interval_sentences = _latest_interval_sentences(intervals, own)
    extra = {}
    for frame in (interval_sentences, shares):
        for indicator, text in zip(frame["indicator_id"], frame["text"]):
            extra[indicator] = f"{extra[indicator]} {text}" if indicator in extra else text
    if extra:
        sentences = sentences.assign(text=[f"{text} {extra[i]}" if i in extra else text
                                           for i, text in zip(sentences["indicator_id"], sentences["text"])])
    if suppressed_cells:
        notes.append(f"{suppressed_cells} värden för {name} vilar på färre än {threshold} personer (eller skulle "
                     "avslöja ett sådant värde) och visas inte.")
    if notes:
        sentences = pd.concat([sentences, pd.DataFrame({"indicator_id": "", "text": notes})], ignore_index=True)
    return IndicatorReport(code, name, resolved, own, reference_gaps, persistence, trend, comparison, sentences, missing,
                           suppressed_cells, hidden, threshold, intervals, interval_sentences, shares)


def _count_intervals(indicators: pd.DataFrame, own: pd.DataFrame) -> pd.DataFrame:
    """Intervals and exact tests for the organisation's periods whose women's and men's counts are known."""
    if "numerator" not in indicators.columns or "denominator" not in indicators.columns or own.empty:
        return proportion_gaps(indicators.iloc[0:0])
    keys = own[["org_code", "indicator_id", "period"]].drop_duplicates()
    rows = indicators.merge(keys, on=["org_code", "indicator_id", "period"])
    rows = rows[rows["numerator"].notna() & rows["denominator"].notna()]
    result = proportion_gaps(rows)
    return result[result["difference"].notna()].reset_index(drop=True)


def _latest_interval_sentences(intervals: pd.DataFrame, own: pd.DataFrame) -> pd.DataFrame:
    """A sentence per indicator on its latest period's shares and their 95 % intervals, where counts are known."""
    from jamlib.formatting import format_decimal

    rows = []
    latest = own.assign(_start=own["period"].map(period_start)).sort_values("_start").groupby("indicator_id").tail(1)
    for indicator, period in zip(latest["indicator_id"], latest["period"]):
        match = intervals[(intervals["indicator_id"] == indicator) & (intervals["period"] == period)]
        if match.empty:
            continue
        r = match.iloc[0]

        def pct(value: float) -> str:
            return format_decimal(value * 100)

        excludes = r["difference_low"] > 0 or r["difference_high"] < 0
        rows.append({"indicator_id": indicator, "text": (
            f"Räknat på antalen {period}: kvinnor {pct(r['share_K'])} % (95 % konfidensintervall {pct(r['low_K'])}–"
            f"{pct(r['high_K'])} %, {int(r['n_K'])} personer), män {pct(r['share_M'])} % ({pct(r['low_M'])}–"
            f"{pct(r['high_M'])} %, {int(r['n_M'])} personer); skillnaden kvinnor − män är "
            f"{format_decimal(r['difference'] * 100, sign=True)} procentenheter (95 % konfidensintervall "
            f"{format_decimal(r['difference_low'] * 100, sign=True)} till {format_decimal(r['difference_high'] * 100, sign=True)}"
            + (", som inte innehåller 0)." if excludes else ", som innehåller 0: skillnaden kan vara slumpmässig)."))})
    return pd.DataFrame(rows, columns=["indicator_id", "text"])


def _count_shares(indicators: pd.DataFrame, code: str, ids: list[str] | None, until: str | None,
                  other_tests: dict[str, list[float]] | None = None) -> pd.DataFrame:
    """The share of women over time for the organisation's indicators that count persons (unit "antal").

    ``other_tests``: the raw p-values of the report's gap trend tests, adjusted together with these.
    """
    units = indicators["unit"].astype(object).fillna("").astype(str).str.lower() if "unit" in indicators.columns \
        else pd.Series("", index=indicators.index)
    rows = indicators[(indicators["org_code"] == code) & units.isin(["antal", "personer", "antal personer"])]
    if ids is not None:
        rows = rows[rows["indicator_id"].isin(ids)]
    if until is not None:
        rows = rows[rows["period"].map(lambda p: (period_start(p) or 0) <= (period_start(until) or 0)).astype(bool)]
    return sex_share_trend(rows, other_tests=other_tests)


def reference_series(report: IndicatorReport, indicator_id: str) -> pd.DataFrame:
    """The reference's values per period and sex for a chart: Riket's own, or the members' mean.

    Returns
    -------
    pandas.DataFrame
        ``period``, ``sex`` (K/M), ``value``, ``members`` (how many members have a value).
    """
    return reference_means(report.reference_gaps[report.reference_gaps["indicator_id"] == indicator_id])


def reference_means(member_gaps: pd.DataFrame) -> pd.DataFrame:
    """Unweighted mean of the reference members' values per period and sex (Kolada's "ovägt medel").

    Parameters
    ----------
    member_gaps
        :func:`jamlib.analysis.gaps.indicator_gaps` rows of the members, one indicator.

    Returns
    -------
    pandas.DataFrame
        ``period``, ``sex`` (K/M), ``value``, ``members`` (how many members have a value).
    """
    if member_gaps.empty:
        return pd.DataFrame(columns=["period", "sex", "value", "members"])
    grouped = member_gaps.groupby("period").agg(K=("value_K", "mean"), M=("value_M", "mean"),
                                                members=("value_K", "count")).reset_index()
    long = grouped.melt(id_vars=["period", "members"], value_vars=["K", "M"], var_name="sex", value_name="value")
    return long[["period", "sex", "value", "members"]]
