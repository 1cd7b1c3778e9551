"""Disclosure control: small counts never reach a report, a chart or its data.

Every table a report shows passes through :func:`suppress_small_counts`. A cell
(one organisation, indicator, period and sex) whose *base*, the number of
persons or respondents behind it, is below the threshold (default 5) is
suppressed: its value, numerator and denominator are removed and it is shown as
"färre än 5". That alone is not enough, because a hidden value for women could
be recovered as total minus men. So, within each organisation, indicator and
period:

* when the total (T) is suppressed, K and M are suppressed too;
* when one of K and M is suppressed, the other one is suppressed as well
  (secondary suppression), so the shown total cannot be split.

What remains shown is then either all three values (all bases at or above the
threshold) or the total alone. Cells whose base is unknown (most Kolada values,
which RKA has already screened) are kept and marked ``base_known = False``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jamlib.formatting import format_decimal

__all__ = ["DEFAULT_THRESHOLD", "suppress_small_counts", "shown_only", "suppression_label"]

#: Default smallest base (persons or respondents) that may be shown.
DEFAULT_THRESHOLD = 5

_GROUP_KEYS = ("org_code", "org_name", "indicator_id", "period")


def suppression_label(threshold: int = DEFAULT_THRESHOLD) -> str:
    """The Swedish label shown in place of a suppressed value, e.g. ``"färre än 5"``."""
    return f"färre än {threshold}"


def suppress_small_counts(
    table: pd.DataFrame, threshold: int = DEFAULT_THRESHOLD, base: str = "denominator", decimals: int = 1
) -> pd.DataFrame:
    """Suppress values resting on fewer than ``threshold`` persons, with secondary suppression.

    Parameters
    ----------
    table
        Long table with ``sex`` (K/M/T), ``value`` and the base column, plus
        any of ``org_code``, ``org_name``, ``indicator_id``, ``period`` that
        identify a K/M/T group. ``numerator`` and ``denominator`` are blanked
        in suppressed rows when present.
    threshold
        Smallest base that may be shown (default 5).
    base
        Column holding the number of persons behind each value: ``"denominator"``
        (default) for shares, ``"value"`` when the value itself is a count.
    decimals
        Decimals in the ``display`` column.

    Returns
    -------
    pandas.DataFrame
        A copy with ``value`` (and counts) set to missing where suppressed, and
        new columns ``suppressed`` (bool), ``suppression`` (``"primär"``,
        ``"sekundär"`` or missing), ``base_known`` and ``display`` (the value
        formatted the Swedish way, or ``"färre än 5"``). The input is not modified.
    """
    if threshold < 1:
        raise ValueError("threshold must be at least 1")
    out = table.copy()
    base_values = pd.to_numeric(out[base], errors="coerce") if base in out.columns else pd.Series(np.nan, index=out.index)
    out["base_known"] = base_values.notna()
    primary = base_values.notna() & (base_values < threshold)
    reason = pd.Series(np.where(primary, "primär", None), index=out.index, dtype=object)
    keys = [k for k in _GROUP_KEYS if k in out.columns]
    group_ids = pd.Series(["\x1f".join(map(str, row)) for row in out[keys].itertuples(index=False, name=None)]
                          if keys else [""] * len(out), index=out.index, dtype=object)
    for _, index in out.groupby(group_ids, sort=False).groups.items():
        sexes = out.loc[index, "sex"]
        hidden = set(sexes[primary.loc[index]])
        if not hidden:
            continue
        # Any hidden cell in the group hides both K and M: a hidden K or M could
        # otherwise be recovered from T and the other sex, and a hidden T from K + M.
        for row in index:
            if sexes.loc[row] in ("K", "M") and reason.loc[row] is None:
                reason.loc[row] = "sekundär"
    suppressed = reason.notna()
    out["suppressed"] = suppressed
    out["suppression"] = reason
    for column in ("value", "numerator", "denominator"):
        if column in out.columns:
            out[column] = out[column].astype("float64").mask(suppressed)
    label = suppression_label(threshold)
    out["display"] = [label if s else format_decimal(v, decimals) for s, v in zip(suppressed, out["value"])]
    return out


def shown_only(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of a suppressed table that may be plotted (chart data never holds suppressed cells).

    Parameters
    ----------
    table
        The result of :func:`suppress_small_counts`.

    Returns
    -------
    pandas.DataFrame
        Rows with ``suppressed == False``, without the count columns.
    """
    if "suppressed" not in table.columns:
        raise ValueError("run suppress_small_counts first")
    kept = table[~table["suppressed"].astype(bool)]
    return kept.drop(columns=[c for c in ("numerator", "denominator") if c in kept.columns]).reset_index(drop=True)
