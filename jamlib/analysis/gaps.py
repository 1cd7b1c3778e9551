"""Gender gaps in indicators: who is disadvantaged, for how long in a row, the trend and the reference.

For each organisation, indicator and period the gap is the women's value minus
the men's (K − M), and the relative gap is that difference divided by the men's
value. Which sex is disadvantaged follows from the indicator's polarity: where a
higher value is better, the sex with the lower value is disadvantaged; where a
lower value is better, the one with the higher value; for neutral or unknown
polarity it cannot be said. A gap smaller than the indicator's materiality
threshold (:mod:`jamlib.analysis.materiality`) is "ingen påtaglig skillnad", not
a disadvantage.

*Persistence* is the number of consecutive most recent periods (among those
with values for both sexes) in which the same sex has been materially
disadvantaged, as in Karlstad's "kvinnor har väntat längre tre år i rad". A
period without data does not break a run (Kolada's user surveys were not run in
2021) but is reported in ``missing_periods``, so that the text can say so.

The *trend* is tested exactly (:mod:`jamlib.analysis.trend_tests`), on
non-overlapping windows when the values are moving averages, with the p-values
of one organisation's indicators adjusted together (Benjamini–Hochberg); the
words follow the fitted Theil–Sen line. The *reference comparison* compares
sizes of gaps and derives its verdict from the members' gaps.

These are descriptions of the published values: without the number of
respondents behind each value, no uncertainty can be computed, and the result
says so in ``uncertainty``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from jamlib.analysis.materiality import (difference_unit, format_threshold, is_material, material_mask,
                                         materiality_threshold)
from jamlib.formatting import format_decimal
from jamlib.formatting import period_start as _period_start
from jamlib.kpis import KPI_CURATED
from jamlib.vocabulary import Disadvantaged, Polarity

__all__ = ["indicator_gaps", "gap_persistence", "gap_trend", "compare_with_reference", "gap_and_floor",
           "format_gap_table", "format_trend_table", "moving_average_label", "DESCRIPTIVE_CAVEAT"]

_UNCERTAINTY_UNKNOWN = "kan inte beräknas: antal svarande/personer saknas"

#: The caveat every reader of values without respondent counts must see (report, jam gaps, CSV, JSON).
DESCRIPTIVE_CAVEAT = ("Värdena är beskrivande: källan (Kolada, eller en egen fil utan täljare och nämnare) anger inte "
                      "antal svarande, så osäkerheten kan inte beräknas och skillnaderna är inte statistiskt prövade.")

_NUMBER_WORDS = {2: "två", 3: "tre", 4: "fyra", 5: "fem", 6: "sex", 7: "sju", 8: "åtta", 9: "nio", 10: "tio"}


def moving_average_label(years: int) -> str:
    """``3`` -> ``"treårsmedelvärden"``: what the values of a moving-average indicator are called."""
    return f"{_NUMBER_WORDS.get(int(years), f'{int(years)}-')}årsmedelvärden"


def _window(indicator_id: str, title: object) -> int:
    from jamlib.analysis.trend_tests import moving_average_years

    curated = KPI_CURATED.get(indicator_id, {}).get("moving_average_years")
    return moving_average_years(title if isinstance(title, str) else None, curated)


def _disadvantaged(gap: float, polarity: str | None, material: bool = True) -> str | None:
    if gap is None or np.isnan(gap):
        return None
    if polarity not in (Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER):
        return None
    if gap == 0 or not material:
        return Disadvantaged.NEITHER.value
    women_higher = gap > 0
    if polarity == Polarity.HIGHER_IS_BETTER:
        return "M" if women_higher else "K"
    return "K" if women_higher else "M"


def _newcombe_material(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Where numerator and denominator are known for K and M: does Newcombe's 95 % interval exclude 0?"""
    from jamlib.analysis.proportions import newcombe_interval

    counts = frame[frame["sex"].isin(["K", "M"]) & frame["numerator"].notna() & frame["denominator"].notna()
                   & (pd.to_numeric(frame["denominator"], errors="coerce") > 0)]
    if counts.empty:
        return pd.DataFrame(columns=[*keys, "_newcombe"])
    wide = counts.pivot_table(index=keys, columns="sex", values=["numerator", "denominator"], aggfunc="first")
    rows = []
    for key, row in wide.iterrows():
        try:
            values = [row[("numerator", "K")], row[("denominator", "K")], row[("numerator", "M")],
                      row[("denominator", "M")]]
        except KeyError:
            continue
        if any(pd.isna(v) for v in values):
            continue
        low, high = newcombe_interval(*values)
        rows.append([*key, bool(low > 0 or high < 0)])
    return pd.DataFrame(rows, columns=[*keys, "_newcombe"])


def indicator_gaps(
    indicators: pd.DataFrame,
    org_code: str | None = None,
    indicator_ids: list[str] | None = None,
    until: str | None = None,
    materiality: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Gap between women and men per organisation, indicator and period.

    Parameters
    ----------
    indicators
        Validated indicator rows (columns of :data:`jamlib.schemas.INDICATORS`).
    org_code
        Only this organisation (4-digit code), when given.
    indicator_ids
        Only these indicators, when given.
    until
        Only periods up to and including this one (e.g. ``"2021"`` to see what
        was known when a report was written).
    materiality
        Materiality thresholds per indicator id that override the defaults
        (:func:`jamlib.analysis.materiality.materiality_threshold`).

    Returns
    -------
    pandas.DataFrame
        One row per organisation, indicator and period with a value for K or M:
        ``org_code``, ``org_name``, ``indicator_id``, ``indicator_title``,
        ``unit``, ``period``, ``value_K``, ``value_M``, ``value_T``, ``gap`` (K − M),
        ``relative_gap`` ((K − M) / M), ``polarity``, ``materiality`` (the
        threshold), ``material`` (whether the gap is at least the threshold, or,
        where counts are known, whether Newcombe's 95 % interval excludes 0),
        ``disadvantaged`` (``"K"``, ``"M"``, ``"ingen"`` for no material gap, or
        missing when it cannot be said) and ``uncertainty``. The input is not modified.
    """
    data = indicators
    if org_code is not None:
        data = data[data["org_code"] == org_code]
    if indicator_ids is not None:
        data = data[data["indicator_id"].isin(indicator_ids)]
    if until is not None:
        limit = _period_start(until)
        data = data[pd.Series([(_period_start(p) or 0) <= (limit or 0) for p in data["period"]], index=data.index, dtype=bool)]
    columns = ["org_code", "org_name", "indicator_id", "indicator_title", "unit", "period", "value_K", "value_M", "value_T",
               "gap", "relative_gap", "polarity", "materiality", "material", "disadvantaged", "uncertainty"]
    if data.empty:
        return pd.DataFrame(columns=columns)
    keys = ["org_code", "org_name", "indicator_id", "period"]
    frame = data.assign(org_code=data["org_code"].fillna(""), org_name=data["org_name"].fillna(""))
    # groupby + unstack, not pivot_table(dropna=False), which expands every combination of codes and names
    wide = frame.groupby([*keys, "sex"], sort=False, dropna=False)["value"].first().unstack("sex")
    wide = wide.reindex(columns=["K", "M", "T"])
    wide.columns = ["value_K", "value_M", "value_T"]
    wide = wide.reset_index()
    wide = wide[wide["value_K"].notna() | wide["value_M"].notna()]
    if "unit" not in frame.columns:
        frame = frame.assign(unit=None)
    meta = frame.groupby("indicator_id").agg(
        indicator_title=("indicator_title", "first"), unit=("unit", "first"), polarity=("polarity", "first"))
    meta["materiality"] = [materiality_threshold(i, u, materiality) for i, u in zip(meta.index, meta["unit"])]
    wide = wide.merge(meta, left_on="indicator_id", right_index=True, how="left")
    wide["gap"] = wide["value_K"] - wide["value_M"]
    wide["relative_gap"] = wide["gap"] / wide["value_M"].where(wide["value_M"] != 0)
    wide["polarity"] = wide["polarity"].fillna("okänd")
    scale = np.fmax(wide["value_K"].abs().to_numpy(dtype=float), wide["value_M"].abs().to_numpy(dtype=float))
    wide["material"] = material_mask(wide["gap"].to_numpy(dtype=float), wide["materiality"].to_numpy(dtype=float), scale)
    has_counts = "numerator" in frame.columns and "denominator" in frame.columns
    if has_counts and frame["numerator"].notna().any():
        newcombe = _newcombe_material(frame, keys)
        if not newcombe.empty:
            wide = wide.merge(newcombe, on=keys, how="left")
            decided = wide["_newcombe"].notna()
            wide.loc[decided, "material"] = wide.loc[decided, "_newcombe"].astype(bool)
            wide = wide.drop(columns="_newcombe")
    wide["material"] = wide["material"].astype(bool)
    wide["disadvantaged"] = [_disadvantaged(g, p, m) for g, p, m in zip(wide["gap"], wide["polarity"], wide["material"])]
    if "denominator" in frame.columns and frame["denominator"].notna().any():
        known = frame.groupby(keys)["denominator"].apply(lambda s: s.notna().all())
        wide = wide.merge(known.rename("_known"), left_on=keys, right_index=True, how="left")
        wide["uncertainty"] = np.where(wide["_known"].fillna(False), "kan beräknas", _UNCERTAINTY_UNKNOWN)
        wide = wide.drop(columns="_known")
    else:
        wide["uncertainty"] = _UNCERTAINTY_UNKNOWN
    wide["org_code"] = wide["org_code"].replace("", None)
    wide["_start"] = [_period_start(p) for p in wide["period"]]
    wide = wide.sort_values(["org_code", "org_name", "indicator_id", "_start", "period"]).drop(columns="_start")
    return wide[columns].reset_index(drop=True)


def gap_persistence(gaps: pd.DataFrame) -> pd.DataFrame:
    """How many of the most recent periods in a row the same sex has been materially disadvantaged.

    Parameters
    ----------
    gaps
        The result of :func:`indicator_gaps`.

    Returns
    -------
    pandas.DataFrame
        One row per organisation and indicator: ``latest_period``, ``latest_gap``,
        ``disadvantaged`` (in the latest period with both sexes; ``"ingen"`` when
        that gap is below the materiality threshold), ``persistence`` (number of
        consecutive most recent periods with a material gap disadvantaging the
        same sex; 0 when it cannot be said), ``first_period`` of that run,
        ``missing_periods`` (years inside the run without values, e.g. ``"2021"``),
        ``periods_with_both`` (how many periods have values for both sexes),
        ``unit``, ``materiality``, ``uncertainty`` (of the latest period) and
        ``moving_average_years``.
    """
    rows = []
    for (code, name, indicator), group in _both(gaps).groupby(["org_code", "org_name", "indicator_id"], dropna=False,
                                                              sort=False):
        group = group.sort_values("_start")
        latest = group.iloc[-1]
        sex = latest["disadvantaged"]
        run = 0
        if sex in ("K", "M"):
            for value in reversed(list(group["disadvantaged"])):
                if value != sex:
                    break
                run += 1
        run_rows = group.iloc[len(group) - run:] if run else group.iloc[0:0]
        missing: list[str] = []
        if run > 1:
            starts = [s for s in run_rows["_start"] if s is not None]
            present = set(starts)
            missing = [str(y) for y in range(min(starts), max(starts) + 1) if y not in present]
        rows.append({
            "org_code": code, "org_name": name, "indicator_id": indicator,
            "indicator_title": latest["indicator_title"], "polarity": latest["polarity"],
            "latest_period": latest["period"], "latest_gap": latest["gap"], "disadvantaged": sex, "persistence": run,
            "first_period": run_rows["period"].iloc[0] if run else None,
            "missing_periods": ", ".join(missing), "periods_with_both": len(group),
            "unit": latest.get("unit"), "materiality": latest.get("materiality", 0.0),
            "uncertainty": latest.get("uncertainty"), "moving_average_years": _window(indicator, latest["indicator_title"]),
        })
    return pd.DataFrame(rows, columns=["org_code", "org_name", "indicator_id", "indicator_title", "polarity",
                                       "latest_period", "latest_gap", "disadvantaged", "persistence", "first_period",
                                       "missing_periods", "periods_with_both", "unit", "materiality",
                                       "uncertainty", "moving_average_years"])


def _both(gaps: pd.DataFrame) -> pd.DataFrame:
    both = gaps[gaps["value_K"].notna() & gaps["value_M"].notna()]
    return both.assign(_start=[_period_start(p) for p in both["period"]])


def _years_text(years: list[int]) -> str:
    words = [str(y) for y in years]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " och " + words[-1]


def _size(value: float, unit: str) -> str:
    return f"{format_decimal(abs(value))} {unit}".strip()


def _signed_with_sex(value: float, unit: str, polarity: str) -> str:
    text = f"{format_decimal(value, sign=True)} {unit}".strip()
    sex = _disadvantaged(value, polarity)
    words = {"K": "kvinnor missgynnade", "M": "män missgynnade"}
    return f"{text} ({words[sex]})" if sex in words else text


def _trend_sentence(word, start: float, end: float, span: str, unit: str, polarity: str, label: str,
                    threshold: float) -> str:
    from jamlib.analysis.trend_tests import TrendWord

    subject = "Skillnaden mellan kvinnor och män" + (f" i {label}a" if label else "")
    if word == TrendWord.NO_CLEAR_TREND:
        return f"Ingen tydlig trend i skillnaden mellan kvinnor och män{f' i {label}a' if label else ''} ({span})."
    line = "enligt den anpassade trendlinjen (Theil–Sen)"
    if word == TrendWord.CHANGED_SIGN:
        return (f"{subject} har bytt tecken ({span}): {line} från {_signed_with_sex(start, unit, polarity)} "
                f"till {_signed_with_sex(end, unit, polarity)}.")
    if word in (TrendWord.DECREASED, TrendWord.INCREASED):
        return f"{subject} har {word.value} ({span}): {line} från {_size(start, unit)} till {_size(end, unit)}."
    limit = f", mindre än gränsen {format_threshold(threshold)} {unit} för en påtaglig förändring" if threshold else ""
    return (f"{subject} har inte förändrats påtagligt ({span}): {line} från {format_decimal(start, sign=True)} "
            f"till {format_decimal(end, sign=True)} {unit}{limit}.".replace("  ", " "))


_TREND_COLUMNS = ["org_code", "org_name", "indicator_id", "indicator_title", "periods", "first_period",
                  "latest_period", "moving_average_years", "tested_periods", "n_tested", "slope_per_year",
                  "fitted_start", "fitted_end", "kendall_s", "kendall_tau", "p_value", "minimum_p", "p_adjusted",
                  "tests_in_family", "significant", "trend", "direction", "text"]


def gap_trend(gaps: pd.DataFrame, alpha: float | None = None,
              other_tests: Mapping[str, Sequence[float]] | None = None) -> pd.DataFrame:
    """Trend of the gap (K − M) over the periods: exact test, adjusted for many tests, words from the fitted line.

    Whether there is a monotone trend is tested with Mann–Kendall's exact test
    (every ordering of the values counted, ties included:
    :func:`jamlib.analysis.trend_tests.exact_mann_kendall`). For moving
    averages (Kolada's "3-årsm") only years whose windows do not overlap are
    tested and fitted (the latest year, three years before it, ...), since
    neighbouring averages share data. The p-values of one organisation's
    indicators are adjusted together with Benjamini–Hochberg's method and the
    trend is called "statistiskt säkerställd" only when the adjusted p is below
    ``alpha``. The words come from the Theil–Sen line fitted to the tested years:
    "minskat"/"ökat" when the fitted gap moves towards/away from zero without
    crossing it, "bytt tecken" when it crosses zero, "ingen tydlig trend" when
    the test is not significant.

    Parameters
    ----------
    gaps
        The result of :func:`indicator_gaps` (one or many organisations).
    alpha
        Significance level (default :data:`jamlib.analysis.small_samples.ALPHA`, 0.05).
    other_tests
        Raw p-values of the other trend tests one report makes for an organisation (by its code), such as
        the trend in the share of women (:func:`jamlib.analysis.sex_shares.sex_share_trend`): they join
        the organisation's Benjamini–Hochberg family, so that every trend test of the report is adjusted
        for all of them.

    Returns
    -------
    pandas.DataFrame
        One row per organisation and indicator: ``periods`` (with both sexes),
        ``first_period``, ``latest_period``, ``moving_average_years``,
        ``tested_periods`` (the years tested, e.g. ``"2009, 2012, 2015"``),
        ``n_tested``, ``slope_per_year`` (Theil–Sen, change of K − M per year),
        ``fitted_start``/``fitted_end`` (the fitted gap at the first and last
        tested year), ``kendall_s``, ``kendall_tau``, ``p_value`` (exact, raw),
        ``minimum_p`` (lowest p possible with these values), ``p_adjusted``
        (Benjamini–Hochberg within the organisation), ``tests_in_family``,
        ``significant`` (missing when no test could be made), ``trend`` (a
        :class:`~jamlib.analysis.trend_tests.TrendWord` value), ``direction``
        (of the fitted line whether significant or not: ``"krymper"``,
        ``"växer"``, ``"byter tecken"``, ``"oförändrad"``) and ``text`` (Swedish).
    """
    from jamlib.analysis.small_samples import ALPHA, conclusion
    from jamlib.analysis.trend_tests import (TrendWord, adjust_families, exact_mann_kendall, fitted_line,
                                             independent_years, trend_word)

    alpha = ALPHA if alpha is None else alpha
    both = _both(gaps).dropna(subset=["_start"])
    both = both.assign(org_code=both["org_code"].fillna(""), org_name=both["org_name"].fillna(""))
    both = both.sort_values(["org_code", "org_name", "indicator_id", "_start"], kind="stable")
    if "unit" not in both.columns:
        both = both.assign(unit=None)
    if "materiality" not in both.columns:
        both = both.assign(materiality=0.0)
    columns = {c: both[c].to_numpy() for c in ("org_code", "org_name", "indicator_id", "indicator_title", "period",
                                              "polarity", "unit", "materiality")}
    starts = both["_start"].to_numpy(dtype=int)
    gap_values = both["gap"].to_numpy(dtype=float)
    rows = []
    groups = both.groupby(["org_code", "org_name", "indicator_id"], sort=False).indices
    for (code, name, indicator), positions in groups.items():
        positions = np.asarray(positions)
        n = len(positions)
        first = positions[0]
        title = columns["indicator_title"][first]
        window = _window(indicator, title)
        tested = positions[independent_years(starts[positions], window)]
        years, values = starts[tested].astype(float), gap_values[tested]
        out = {"org_code": code or None, "org_name": name, "indicator_id": indicator, "indicator_title": title,
               "periods": n, "first_period": columns["period"][first], "latest_period": columns["period"][positions[-1]],
               "moving_average_years": window, "tested_periods": ", ".join(str(int(y)) for y in years),
               "n_tested": len(tested), "polarity": columns["polarity"][first],
               "_unit": difference_unit(columns["unit"][first]), "_threshold": float(columns["materiality"][first] or 0),
               "_span": f"{columns['period'][tested[0]]}–{columns['period'][tested[-1]]}" if len(tested) else "",
               "slope_per_year": np.nan, "fitted_start": np.nan, "fitted_end": np.nan, "kendall_s": np.nan,
               "kendall_tau": np.nan, "p_value": np.nan, "minimum_p": np.nan, "p_adjusted": np.nan,
               "tests_in_family": 0, "_family": (code, name)}
        if len(tested) >= 3:
            test = exact_mann_kendall(values)
            slope, start, end = fitted_line(years, values)
            out.update(slope_per_year=slope, fitted_start=start, fitted_end=end, kendall_s=test.s,
                       kendall_tau=test.tau, p_value=test.p_value, minimum_p=test.minimum_p)
        rows.append(out)
    if not rows:
        return pd.DataFrame(columns=_TREND_COLUMNS)
    families: dict[tuple[str, str], list[dict]] = {}
    for out in rows:
        families.setdefault(out["_family"], []).append(out)
    adjust_families(families, {key: (other_tests or {}).get(key[0] or "", ()) for key in families})
    frame = pd.DataFrame(rows)
    texts, words, directions, significant = [], [], [], []
    for row in rows:
        label = moving_average_label(row["moving_average_years"]) if row["moving_average_years"] > 1 else ""
        what = "trenden" + (f" i {label}a" if label else "")
        if pd.isna(row["p_value"]):
            significant.append(None)
            words.append(TrendWord.NOT_ASSESSED.value)
            directions.append(None)
            if label:
                texts.append(f"Trenden i {label} kan inte bedömas: bara {row['n_tested']} av åren har "
                             f"{label} som inte delar år med varandra"
                             + (f" ({_years_text(row['tested_periods'].split(', '))})" if row["n_tested"] else "")
                             + ", och minst 3 behövs.")
            else:
                texts.append(f"Trenden kan inte bedömas: det finns {row['periods']} år med värden för både kvinnor "
                             "och män (minst 3 behövs).")
            continue
        is_significant = bool(row["minimum_p"] <= alpha and row["p_adjusted"] < alpha)
        word = trend_word(is_significant, row["fitted_start"], row["fitted_end"], row["_threshold"])
        significant.append(is_significant)
        words.append(word.value)
        fitted = trend_word(True, row["fitted_start"], row["fitted_end"], 0.0)
        directions.append({TrendWord.DECREASED: "krymper", TrendWord.INCREASED: "växer",
                           TrendWord.CHANGED_SIGN: "byter tecken"}.get(fitted, "oförändrad"))
        span = row["_span"]
        if label:
            span += f"; prövat på {_years_text(row['tested_periods'].split(', '))}, som inte delar år"
        family = int(row["tests_in_family"])
        described = _trend_sentence(word, row["fitted_start"], row["fitted_end"], span, row["_unit"],
                                    row["polarity"], label, row["_threshold"])
        test = conclusion(row["p_value"], row["minimum_p"], (int(row["n_tested"]),), what, units="år",
                          method="exakt test", p_adjusted=row["p_adjusted"] if family > 1 else None,
                          family_size=family)
        texts.append(f"{described} {test}")
    frame["text"], frame["trend"], frame["direction"], frame["significant"] = texts, words, directions, significant
    return frame[_TREND_COLUMNS].reset_index(drop=True)


def format_trend_table(trend: pd.DataFrame) -> pd.DataFrame:
    """The trend tests as a Swedish method table: years tested, raw and adjusted p, the fitted line.

    Parameters
    ----------
    trend
        The result of :func:`gap_trend`.

    Returns
    -------
    pandas.DataFrame
        Text columns ``Indikator``, ``År i testet``, ``S``, ``p (ojusterat)``,
        ``p (justerat)``, ``Lägsta möjliga p``, ``Trendlinje, K − M`` and ``Slutsats``.
    """
    def p_text(value: float) -> str:
        if pd.isna(value):
            return "–"
        return "< 0,001" if value < 0.001 else format_decimal(value, 3)

    return pd.DataFrame({
        "Indikator": [f"{t} ({i})" if isinstance(t, str) and t else str(i)
                      for t, i in zip(trend["indicator_title"], trend["indicator_id"])],
        "År i testet": [f"{y}" + (f" ({moving_average_label(w)} som inte delar år)" if w > 1 else "")
                        for y, w in zip(trend["tested_periods"], trend["moving_average_years"])],
        "S": ["–" if pd.isna(s) else format_decimal(float(s), 0) for s in trend["kendall_s"]],
        "p (ojusterat)": [p_text(v) for v in trend["p_value"]],
        "p (justerat)": [p_text(v) for v in trend["p_adjusted"]],
        "Lägsta möjliga p": [p_text(v) for v in trend["minimum_p"]],
        "Trendlinje, K − M": ["–" if pd.isna(a) else f"{format_decimal(a, sign=True)} → {format_decimal(b, sign=True)}"
                              for a, b in zip(trend["fitted_start"], trend["fitted_end"])],
        "Slutsats": trend["trend"].to_numpy(),
    })


_REFERENCE_COLUMNS = ["org_code", "indicator_id", "indicator_title", "period", "gap", "disadvantaged", "reference",
                      "reference_gap", "reference_size", "reference_members", "members_with_smaller_gap",
                      "members_with_larger_gap", "members_other_sex", "larger", "same_direction",
                      "moving_average_years", "text"]


def compare_with_reference(gaps: pd.DataFrame, org_code: str, reference_codes: tuple[str, ...] | list[str],
                           reference_label: str = "jämförelsegruppen") -> pd.DataFrame:
    """Is the organisation's gap larger than the reference's, period by period?

    Sizes of gaps, ``|K − M|``, are compared, never signed gaps (opposite gaps
    would cancel). The reference size is Riket's own gap when the reference is
    one organisation, otherwise the median of the members' gap sizes, and the
    verdict is derived from it with the indicator's materiality threshold: a
    difference of sizes below the threshold is "lika stort". The members are
    counted too (materially smaller, materially larger gap), and because the
    verdict compares with the median, "större" always goes with at least half
    of the members having a smaller gap, and "mindre" with at least half having
    a larger one. When the reference's gap (or members' gaps) disadvantage the
    other sex, the text says so. This is a description: Kolada gives no
    respondent counts, so no test is made.

    Parameters
    ----------
    gaps
        :func:`indicator_gaps` for the organisation *and* the reference codes.
    org_code
        The organisation.
    reference_codes
        Codes of the reference (from :func:`jamlib.analysis.reference.resolve_reference`).
    reference_label
        Name of the reference for the text.

    Returns
    -------
    pandas.DataFrame
        One row per indicator and period where the organisation has both sexes:
        ``gap``, ``reference_gap`` (Riket's gap, or the members' mean signed gap,
        as charted), ``reference_size`` (the size compared with),
        ``reference_members`` (members with values), ``members_with_smaller_gap``
        and ``members_with_larger_gap`` (materially), ``members_other_sex``
        (members where the other sex is materially disadvantaged), ``larger``
        (``"större"``, ``"mindre"``, ``"lika stort"`` or missing when the reference
        has no values), ``same_direction`` (whether the same sex is disadvantaged
        in the reference) and ``text``.
    """
    both = gaps[gaps["value_K"].notna() & gaps["value_M"].notna()]
    own = both[both["org_code"] == org_code]
    if own.empty:
        return pd.DataFrame(columns=_REFERENCE_COLUMNS)
    ref = both[both["org_code"].isin(list(reference_codes)) & (both["org_code"] != org_code)]
    by_key: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for indicator, period, gap, k, m in zip(ref["indicator_id"], ref["period"], ref["gap"], ref["value_K"],
                                            ref["value_M"]):
        by_key.setdefault((indicator, period), []).append((float(gap), max(abs(float(k)), abs(float(m)))))
    own = own.assign(_start=[_period_start(p) for p in own["period"]]).sort_values(["indicator_id", "_start"])
    single = len(set(reference_codes) - {org_code}) == 1
    windows = {i: _window(i, t) for i, t in own[["indicator_id", "indicator_title"]].drop_duplicates("indicator_id")
               .itertuples(index=False)}
    rows = []
    for row in own.to_dict("records"):
        window = windows[row["indicator_id"]]
        label = moving_average_label(window) if window > 1 else ""
        members = by_key.get((row["indicator_id"], row["period"]), [])
        n = len(members)
        unit = difference_unit(row.get("unit"))
        threshold = float(row.get("materiality", 0.0) or 0.0)
        who = row["org_name"] or org_code
        subject = "Skillnaden mellan kvinnor och män" + (f" i {label}a" if label else "")
        larger = None
        own_size = abs(float(row["gap"]))
        smaller_count = larger_count = other_count = 0
        ref_gap = ref_size = np.nan
        if n:
            member_gaps = np.array([g for g, _ in members])
            member_scales = np.array([s for _, s in members])
            member_sizes = np.abs(member_gaps)
            different = material_mask(own_size - member_sizes, threshold, member_scales)
            smaller_count = int((different & (member_sizes < own_size)).sum())
            larger_count = int((different & (member_sizes > own_size)).sum())
            if is_material(row["gap"], threshold, max(abs(row["value_K"]), abs(row["value_M"]))):
                other_count = int((material_mask(member_gaps, threshold, member_scales)
                                   & (np.sign(member_gaps) == -np.sign(row["gap"]))).sum())
            ref_gap, ref_size = float(member_gaps.mean()), float(np.median(member_sizes))
        if not n:
            text = (f"{reference_label} saknar värden för både kvinnor och män {row['period']}"
                    + (f" (för {label}a)" if label else "") + ".")
        else:
            scale = max(abs(row["value_K"]), abs(row["value_M"]))
            if not is_material(own_size - ref_size, threshold, scale):
                larger, verdict = "lika stort", "ungefär lika stor som"
            elif own_size > ref_size:
                larger, verdict = "större", "större än"
            else:
                larger, verdict = "mindre", "mindre än"
            limit = (f"; skillnaden dem emellan är mindre än gränsen {format_threshold(threshold)} {unit} för en "
                     "påtaglig skillnad".replace("  ", " ")) if larger == "lika stort" and threshold and own_size != ref_size else ""
            if single or n == 1:
                text = (f"{subject} är {verdict} i {reference_label} ({row['period']}: {_size(own_size, unit)} i {who} "
                        f"mot {_size(ref_size, unit)}{limit}).")
                if other_count:
                    sex = _disadvantaged(ref_gap, row["polarity"])
                    text += (f" I {reference_label} är det i stället {'kvinnor' if sex == 'K' else 'män'} som missgynnas"
                             if sex in ("K", "M") else f" I {reference_label} går skillnaden åt andra hållet")
                    text += f" enligt {label}a." if label else "."
            else:
                similar = n - smaller_count - larger_count
                text = (f"{subject} är {verdict} medianen i {reference_label} ({row['period']}: "
                        f"{_size(own_size, unit)} i {who} mot {_size(ref_size, unit)}{limit}); "
                        f"{smaller_count} av {n} jämförda kommuner har en mindre skillnad än {who}, "
                        f"{larger_count} en större och {similar} ungefär lika stor.")
                if other_count:
                    sex = {"K": "M", "M": "K"}.get(row["disadvantaged"])
                    text += (f" I {other_count} av dem missgynnas i stället {'kvinnor' if sex == 'K' else 'män'}"
                             if sex else f" I {other_count} av dem går skillnaden åt andra hållet")
                    text += f" enligt {label}a." if label else "."
        ref_direction = _disadvantaged(ref_gap, row["polarity"]) if n else None
        rows.append({
            "org_code": org_code, "indicator_id": row["indicator_id"], "indicator_title": row["indicator_title"],
            "period": row["period"], "gap": row["gap"], "disadvantaged": row["disadvantaged"],
            "reference": reference_label, "reference_gap": ref_gap, "reference_size": ref_size, "reference_members": n,
            "members_with_smaller_gap": smaller_count, "members_with_larger_gap": larger_count,
            "members_other_sex": other_count, "larger": larger,
            "same_direction": bool(ref_direction == row["disadvantaged"]) if ref_direction else None,
            "moving_average_years": window, "text": text,
        })
    return pd.DataFrame(rows, columns=_REFERENCE_COLUMNS)


def gap_and_floor(gaps: pd.DataFrame, before: str, after: str) -> pd.DataFrame:
    """Kfast's goal between two periods: a smaller gap and a higher floor.

    The *floor* is the worse of the two sexes' values: the lower one where a
    higher value is better, the higher one where a lower value is better. The
    floor "rose" when that worse value improved.

    Parameters
    ----------
    gaps
        The result of :func:`indicator_gaps`.
    before, after
        The two periods compared, e.g. ``"2018"`` and ``"2020"``.

    Returns
    -------
    pandas.DataFrame
        One row per organisation and indicator with both periods: ``gap_before``,
        ``gap_after``, ``gap_smaller`` (``|gap|`` shrank), ``floor_before``,
        ``floor_after``, ``floor_higher`` (the worse value improved), ``goal_met``
        (both) and ``text``. ``floor_*`` are missing for unknown polarity.
    """
    both = _both(gaps)
    rows = []
    for (code, name, indicator), group in both.groupby(["org_code", "org_name", "indicator_id"], dropna=False, sort=False):
        first, last = group[group["period"] == before], group[group["period"] == after]
        if first.empty or last.empty:
            continue
        a, b = first.iloc[0], last.iloc[0]
        polarity = a["polarity"]
        floor = {"högre är bättre": min, "lägre är bättre": max}.get(polarity)
        gap_smaller = bool(abs(b["gap"]) < abs(a["gap"]))
        if floor is None:
            floor_before = floor_after = np.nan
            floor_higher = None
        else:
            floor_before, floor_after = floor(a["value_K"], a["value_M"]), floor(b["value_K"], b["value_M"])
            floor_higher = bool(floor_after > floor_before) if polarity == "högre är bättre" else bool(floor_after < floor_before)
        goal = bool(gap_smaller and floor_higher) if floor_higher is not None else None
        title = a["indicator_title"] or indicator
        threshold = float(a.get("materiality", 0.0) or 0.0)
        unit = difference_unit(a.get("unit"))
        moved = f"(från {format_decimal(abs(a['gap']))} till {format_decimal(abs(b['gap']))} {unit})".replace(" )", ")")
        if not is_material(abs(b["gap"]) - abs(a["gap"]), threshold, max(abs(a["gap"]), abs(b["gap"]))):
            gap_words = f"inte förändrats påtagligt {moved}"  # below the indicator's materiality: no "minskat"
        else:
            gap_words = f"{'minskat' if gap_smaller else 'inte minskat'} {moved}"
        parts = [f"{title}: skillnaden mellan kvinnor och män har {gap_words}"]
        if floor_higher is not None:
            parts.append(f"det sämsta värdet har {'förbättrats' if floor_higher else 'inte förbättrats'} "
                         f"(från {format_decimal(floor_before)} till {format_decimal(floor_after)})")
        else:
            parts.append("om det sämsta värdet har förbättrats går inte att säga utan känd riktning (polaritet)")
        rows.append({"org_code": code, "org_name": name, "indicator_id": indicator, "indicator_title": title,
                     "before": before, "after": after, "gap_before": a["gap"], "gap_after": b["gap"],
                     "gap_smaller": gap_smaller, "floor_before": floor_before, "floor_after": floor_after,
                     "floor_higher": floor_higher, "goal_met": goal,
                     "text": f"{parts[0]} och {parts[1]} ({before}–{after})."})
    return pd.DataFrame(rows, columns=["org_code", "org_name", "indicator_id", "indicator_title", "before", "after",
                                       "gap_before", "gap_after", "gap_smaller", "floor_before", "floor_after",
                                       "floor_higher", "goal_met", "text"])


def format_gap_table(gaps: pd.DataFrame) -> pd.DataFrame:
    """The gaps of one indicator as a Swedish display table (decimal comma, words for sexes).

    Parameters
    ----------
    gaps
        :func:`indicator_gaps` rows (one organisation and indicator).

    Returns
    -------
    pandas.DataFrame
        Text columns ``År``, ``Kvinnor``, ``Män``, ``Totalt``, ``Skillnad K−M``,
        ``Relativ skillnad`` and ``Missgynnat kön`` ("ingen påtaglig skillnad" for a
        gap below the materiality threshold, "ingen skillnad" for equal values).
    """
    words = {"K": "kvinnor", "M": "män"}

    def sex_word(sex: object, gap: float) -> str:
        if sex == Disadvantaged.NEITHER:
            return "ingen skillnad" if gap == 0 else "ingen påtaglig skillnad"
        return words.get(sex, "kan inte sägas") if isinstance(sex, str) else "kan inte sägas"

    return pd.DataFrame({
        "År": gaps["period"].astype(str).to_numpy(),
        "Kvinnor": [format_decimal(v) for v in gaps["value_K"]],
        "Män": [format_decimal(v) for v in gaps["value_M"]],
        "Totalt": [format_decimal(v) for v in gaps["value_T"]],
        "Skillnad K−M": [format_decimal(v, sign=True) for v in gaps["gap"]],
        "Relativ skillnad": ["" if pd.isna(v) else format_decimal(v * 100, sign=True) + " %" for v in gaps["relative_gap"]],
        "Missgynnat kön": [sex_word(v, g) for v, g in zip(gaps["disadvantaged"], gaps["gap"])],
    })
