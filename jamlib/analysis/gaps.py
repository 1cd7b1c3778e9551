"""Gender gaps in indicators: who is disadvantaged, and for how long in a row.

For each organisation, indicator and period the gap is the women's value minus
the men's (K − M), and the relative gap is that difference divided by the men's
value. Which sex is disadvantaged follows from the indicator's polarity: where a
higher value is better, the sex with the lower value is disadvantaged; where a
lower value is better, the one with the higher value; for neutral or unknown
polarity it cannot be said.

*Persistence* is the number of consecutive most recent periods (among those
with values for both sexes) in which the same sex has been disadvantaged, as in
Karlstad's "kvinnor har väntat längre tre år i rad". A period without data does
not break a run (Kolada's user surveys were not run in 2021) but is reported in
``missing_periods``, so that the text can say so.

These are descriptions of the published values, not tests: without the number
of respondents behind each value, no uncertainty can be computed, and the
result says so in ``uncertainty``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jamlib.formatting import format_decimal
from jamlib.formatting import period_start as _period_start

__all__ = ["indicator_gaps", "gap_persistence", "gap_trend", "compare_with_reference", "gap_and_floor",
           "format_gap_table"]

#: How the difference between two values of a unit is named ("procent" differ by "procentenheter").
_DIFFERENCE_UNITS = {"procent": "procentenheter", "index": "indexenheter"}

_UNCERTAINTY_UNKNOWN = "kan inte beräknas: antal svarande/personer saknas"


def _disadvantaged(gap: float, polarity: str | None) -> str | None:
    if gap is None or np.isnan(gap):
        return None
    if polarity not in ("högre är bättre", "lägre är bättre"):
        return None
    if gap == 0:
        return "ingen"
    women_higher = gap > 0
    if polarity == "högre är bättre":
        return "M" if women_higher else "K"
    return "K" if women_higher else "M"


def indicator_gaps(
    indicators: pd.DataFrame,
    org_code: str | None = None,
    indicator_ids: list[str] | None = None,
    until: str | None = None,
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

    Returns
    -------
    pandas.DataFrame
        One row per organisation, indicator and period with a value for K or M:
        ``org_code``, ``org_name``, ``indicator_id``, ``indicator_title``,
        ``unit``, ``period``, ``value_K``, ``value_M``, ``value_T``, ``gap`` (K − M),
        ``relative_gap`` ((K − M) / M), ``polarity``, ``disadvantaged``
        (``"K"``, ``"M"``, ``"ingen"`` or missing when it cannot be said) and
        ``uncertainty``. The input is not modified.
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
               "gap", "relative_gap", "polarity", "disadvantaged", "uncertainty"]
    if data.empty:
        return pd.DataFrame(columns=columns)
    keys = ["org_code", "org_name", "indicator_id", "period"]
    frame = data.assign(org_code=data["org_code"].fillna(""), org_name=data["org_name"].fillna(""))
    wide = frame.pivot_table(index=keys, columns="sex", values="value", aggfunc="first", dropna=False)
    wide = wide.reindex(columns=["K", "M", "T"])
    wide.columns = ["value_K", "value_M", "value_T"]
    wide = wide.reset_index()
    wide = wide[wide["value_K"].notna() | wide["value_M"].notna()]
    if "unit" not in frame.columns:
        frame = frame.assign(unit=None)
    meta = frame.groupby("indicator_id").agg(
        indicator_title=("indicator_title", "first"), unit=("unit", "first"), polarity=("polarity", "first"))
    wide = wide.merge(meta, left_on="indicator_id", right_index=True, how="left")
    wide["gap"] = wide["value_K"] - wide["value_M"]
    wide["relative_gap"] = wide["gap"] / wide["value_M"].where(wide["value_M"] != 0)
    wide["polarity"] = wide["polarity"].fillna("okänd")
    wide["disadvantaged"] = [_disadvantaged(g, p) for g, p in zip(wide["gap"], wide["polarity"])]
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
    """How many of the most recent periods in a row the same sex has been disadvantaged.

    Parameters
    ----------
    gaps
        The result of :func:`indicator_gaps`.

    Returns
    -------
    pandas.DataFrame
        One row per organisation and indicator: ``latest_period``,
        ``disadvantaged`` (in the latest period with both sexes), ``persistence``
        (number of consecutive most recent periods with the same disadvantaged
        sex; 0 when it cannot be said), ``first_period`` of that run,
        ``missing_periods`` (years inside the run without values, e.g. ``"2021"``)
        and ``periods_with_both`` (how many periods have values for both sexes).
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
            "latest_period": latest["period"], "disadvantaged": sex, "persistence": run,
            "first_period": run_rows["period"].iloc[0] if run else None,
            "missing_periods": ", ".join(missing), "periods_with_both": len(group),
        })
    return pd.DataFrame(rows, columns=["org_code", "org_name", "indicator_id", "indicator_title", "polarity",
                                       "latest_period", "disadvantaged", "persistence", "first_period",
                                       "missing_periods", "periods_with_both"])


def _both(gaps: pd.DataFrame) -> pd.DataFrame:
    both = gaps[gaps["value_K"].notna() & gaps["value_M"].notna()]
    return both.assign(_start=[_period_start(p) for p in both["period"]])


def _mann_kendall_s(values: np.ndarray, axis: int = -1) -> np.ndarray:
    """Mann–Kendall S of values already in time order: concordant minus discordant pairs.

    Kendall's tau-b is S divided by a constant that does not change when the
    values are reordered, so a permutation test on S is one on tau.
    """
    y = np.moveaxis(np.asarray(values, dtype=float), axis, -1)
    signs = np.sign(y[..., None, :] - y[..., :, None])
    upper = np.triu(np.ones(signs.shape[-2:], dtype=bool), k=1)
    return signs[..., upper].sum(axis=-1)


def gap_trend(gaps: pd.DataFrame) -> pd.DataFrame:
    """Trend of the gap (K − M) over the periods, with an exact or permutation test.

    The slope is the Theil–Sen estimate (median of pairwise slopes, robust to a
    single odd year); whether there is a monotone trend at all is tested with
    Kendall's tau between year and gap, by exact enumeration of all orderings
    when there are at most 8 periods and by 20 000 random orderings (fixed
    seed, reproducible) above that.

    Parameters
    ----------
    gaps
        The result of :func:`indicator_gaps`.

    Returns
    -------
    pandas.DataFrame
        One row per organisation and indicator: ``periods`` (with both sexes),
        ``first_period``, ``latest_period``, ``slope_per_year`` (change of K − M
        per year), ``kendall_tau``, ``p_value``, ``minimum_p`` (lowest p-value
        possible with that many periods), ``direction`` (``"krymper"``,
        ``"växer"``, ``"oförändrad"``: whether the gap moves towards or away
        from zero as seen from the latest period) and ``text`` (Swedish).
    """
    import math

    from scipy import stats

    from jamlib.analysis.small_samples import conclusion

    rows = []
    for (code, name, indicator), group in _both(gaps).groupby(["org_code", "org_name", "indicator_id"], dropna=False, sort=False):
        group = group.dropna(subset=["_start"]).sort_values("_start")
        years = group["_start"].to_numpy(dtype=float)
        values = group["gap"].to_numpy(dtype=float)
        n = len(group)
        out = {"org_code": code, "org_name": name, "indicator_id": indicator,
               "indicator_title": group["indicator_title"].iloc[0] if n else None, "periods": n,
               "first_period": group["period"].iloc[0] if n else None,
               "latest_period": group["period"].iloc[-1] if n else None}
        if n < 3 or np.all(values == values[0]):
            out.update(slope_per_year=0.0 if n >= 2 and np.all(values == values[0]) else np.nan, kendall_tau=np.nan,
                       p_value=np.nan, minimum_p=np.nan, direction="oförändrad" if n >= 2 and np.all(values == values[0]) else None,
                       text=f"Trenden kan inte bedömas: det finns {n} år med värden för både kvinnor och män (minst 3 behövs)."
                       if not (n >= 3) else "Skillnaden har varit densamma alla år.")
            rows.append(out)
            continue
        slope = float(stats.theilslopes(values, years).slope)
        exact = n <= 8
        result = stats.permutation_test(
            (values,), _mann_kendall_s, permutation_type="pairings", vectorized=True,
            n_resamples=np.inf if exact else 20_000, alternative="two-sided", rng=np.random.default_rng(20240830),
        )
        tau = float(stats.kendalltau(years, values).statistic)
        minimum_p = min(1.0, 2.0 / math.factorial(n)) if exact else 2.0 / 20_001
        latest = values[-1]
        if slope == 0 or latest == 0:
            direction = "oförändrad"
        else:
            direction = "krymper" if np.sign(slope) != np.sign(latest) else "växer"
        p_value = float(min(1.0, result.pvalue))
        unit = group["unit"].iloc[0] if "unit" in group.columns and pd.notna(group["unit"].iloc[0]) else ""
        unit = _DIFFERENCE_UNITS.get(unit, unit)
        change = "förändras inte" if direction == "oförändrad" else (
            f"{direction} med i genomsnitt {format_decimal(abs(slope))} {unit} per år".replace("  ", " "))
        test = conclusion(p_value, minimum_p, (n,), "trenden", units="år",
                          method="exakt test" if exact else "permutationstest")
        out.update(slope_per_year=slope, kendall_tau=tau, p_value=p_value, minimum_p=minimum_p, direction=direction,
                   text=f"Skillnaden mellan kvinnor och män {change} ({out['first_period']}–{out['latest_period']}). {test}")
        rows.append(out)
    return pd.DataFrame(rows, columns=["org_code", "org_name", "indicator_id", "indicator_title", "periods",
                                       "first_period", "latest_period", "slope_per_year", "kendall_tau", "p_value",
                                       "minimum_p", "direction", "text"])


def compare_with_reference(gaps: pd.DataFrame, org_code: str, reference_codes: tuple[str, ...] | list[str],
                           reference_label: str = "jämförelsegruppen") -> pd.DataFrame:
    """Is the organisation's gap larger than the reference's, period by period?

    The reference gap is Riket's own gap when the reference is Riket (one code),
    otherwise the unweighted mean of the members' gaps (as Kolada's "ovägt
    medel"). "Larger" compares the size of the gap, ``|K − M|``; the row also
    says how many members have a smaller gap, which is more telling than a mean
    of 7 municipalities. This is a description: Kolada gives no respondent
    counts, so no test is made.

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
        ``gap``, ``reference_gap``, ``reference_members`` (members with values),
        ``members_with_smaller_gap``, ``larger`` (``"större"``, ``"mindre"``,
        ``"lika stort"`` or missing when the reference has no values),
        ``same_direction`` (whether the same sex is disadvantaged in the reference)
        and ``text``.
    """
    both = _both(gaps)
    own = both[both["org_code"] == org_code]
    ref = both[both["org_code"].isin(list(reference_codes)) & (both["org_code"] != org_code)]
    rows = []
    for _, row in own.iterrows():
        members = ref[(ref["indicator_id"] == row["indicator_id"]) & (ref["period"] == row["period"])]
        ref_gap = float(members["gap"].mean()) if len(members) else np.nan
        own_size, ref_size = abs(row["gap"]), abs(ref_gap)
        if np.isnan(ref_gap):
            larger, text = None, f"{reference_label} saknar värden för både kvinnor och män {row['period']}."
        else:
            larger = "större" if own_size > ref_size else "mindre" if own_size < ref_size else "lika stort"
            text = f"Skillnaden mellan kvinnor och män är {larger} än i {reference_label} ({row['period']})"
            if len(members) > 1:
                smaller = int((members["gap"].abs() < own_size).sum())
                text += f"; {smaller} av {len(members)} jämförda kommuner har en mindre skillnad än {row['org_name'] or org_code}"
            text += "."
        ref_direction = _disadvantaged(ref_gap, row["polarity"]) if not np.isnan(ref_gap) else None
        rows.append({
            "org_code": org_code, "indicator_id": row["indicator_id"], "indicator_title": row["indicator_title"],
            "period": row["period"], "gap": row["gap"], "disadvantaged": row["disadvantaged"],
            "reference": reference_label, "reference_gap": ref_gap, "reference_members": len(members),
            "members_with_smaller_gap": int((members["gap"].abs() < own_size).sum()) if len(members) else 0,
            "larger": larger, "same_direction": (ref_direction == row["disadvantaged"]) if ref_direction else None,
            "text": text,
        })
    return pd.DataFrame(rows, columns=["org_code", "indicator_id", "indicator_title", "period", "gap", "disadvantaged",
                                       "reference", "reference_gap", "reference_members", "members_with_smaller_gap",
                                       "larger", "same_direction", "text"])


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
        parts = [f"{title}: skillnaden mellan kvinnor och män har {'minskat' if gap_smaller else 'inte minskat'}"]
        if floor_higher is not None:
            parts.append(f"det sämsta värdet har {'förbättrats' if floor_higher else 'inte förbättrats'}")
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
        ``Relativ skillnad`` and ``Missgynnat kön``.
    """
    words = {"K": "kvinnor", "M": "män", "ingen": "ingen skillnad"}
    return pd.DataFrame({
        "År": gaps["period"].astype(str).to_numpy(),
        "Kvinnor": [format_decimal(v) for v in gaps["value_K"]],
        "Män": [format_decimal(v) for v in gaps["value_M"]],
        "Totalt": [format_decimal(v) for v in gaps["value_T"]],
        "Skillnad K−M": [format_decimal(v, sign=True) for v in gaps["gap"]],
        "Relativ skillnad": ["" if pd.isna(v) else format_decimal(v * 100, sign=True) + " %" for v in gaps["relative_gap"]],
        "Missgynnat kön": [words.get(v, "kan inte sägas") if isinstance(v, str) else "kan inte sägas"
                           for v in gaps["disadvantaged"]],
    })
