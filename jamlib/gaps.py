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

import re

import numpy as np
import pandas as pd

__all__ = ["indicator_gaps", "gap_persistence"]

_UNCERTAINTY_UNKNOWN = "kan inte beräknas: antal svarande/personer saknas"


def _period_start(period: str) -> int | None:
    match = re.match(r"^(\d{4})", str(period))
    return int(match.group(1)) if match else None


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
        ``period``, ``value_K``, ``value_M``, ``value_T``, ``gap`` (K − M),
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
        data = data[[(_period_start(p) or 0) <= (limit or 0) for p in data["period"]]]
    keys = ["org_code", "org_name", "indicator_id", "period"]
    frame = data.assign(org_code=data["org_code"].fillna(""), org_name=data["org_name"].fillna(""))
    wide = frame.pivot_table(index=keys, columns="sex", values="value", aggfunc="first", dropna=False)
    wide = wide.reindex(columns=["K", "M", "T"])
    wide.columns = ["value_K", "value_M", "value_T"]
    wide = wide.reset_index()
    wide = wide[wide["value_K"].notna() | wide["value_M"].notna()]
    meta = frame.groupby("indicator_id").agg(
        indicator_title=("indicator_title", "first"), polarity=("polarity", "first"))
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
    columns = ["org_code", "org_name", "indicator_id", "indicator_title", "period", "value_K", "value_M", "value_T",
               "gap", "relative_gap", "polarity", "disadvantaged", "uncertainty"]
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
    both = gaps[gaps["value_K"].notna() & gaps["value_M"].notna()]
    for (code, name, indicator), group in both.groupby(["org_code", "org_name", "indicator_id"], dropna=False, sort=False):
        group = group.assign(_start=[_period_start(p) for p in group["period"]]).sort_values("_start")
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
