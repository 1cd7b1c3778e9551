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

Which cells are primary:

* the base (the denominator: persons or respondents) is below the threshold;
* the numerator is below the threshold: "2 of 10" is hidden, not shown as 20 %;
* for shares (unit ``procent``/``andel``), the complement, denominator minus
  numerator, is below the threshold: "38 of 40" tells about the other 2;
* for counts (unit ``antal``, ``personer``) without a denominator, the count
  itself is the base: 3 women is hidden.

Kolada's ``count`` field is the number of municipalities or units a value is
built from (1 for a single municipality), not a number of persons, so it is not
read as a base.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jamlib.errors import ParameterError
from jamlib.formatting import format_decimal
from jamlib.vocabulary import Suppression

__all__ = ["DEFAULT_THRESHOLD", "suppress_small_counts", "shown_only", "suppression_label"]

#: Default smallest base (persons or respondents) that may be shown.
DEFAULT_THRESHOLD = 5

_GROUP_KEYS = ("org_code", "org_name", "indicator_id", "period")


#: Units whose value is itself a number of persons.
_COUNT_UNITS = frozenset({"antal", "personer", "antal personer", "st", "stycken"})
#: Units whose value is a share of a denominator (its complement is a group too).
_SHARE_UNITS = frozenset({"procent", "andel", "%", "andel (%)", "procentandel"})


def _numbers(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(np.nan, index=frame.index, dtype="float64")
    return pd.to_numeric(frame[column], errors="coerce").astype("float64")


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
        raise ParameterError(f"Gränsen för röjandeskydd måste vara minst 1, inte {threshold}.")
    out = table.copy()
    base_values = _numbers(out, base)
    numerators = _numbers(out, "numerator")
    units = out["unit"].astype(object).fillna("").astype(str).str.strip().str.lower() if "unit" in out.columns \
        else pd.Series("", index=out.index)
    is_count = units.isin(_COUNT_UNITS) & base_values.isna()
    is_share = units.isin(_SHARE_UNITS)
    base_values = base_values.where(~is_count, _numbers(out, "value"))
    out["base_known"] = base_values.notna()
    primary = ((base_values < threshold)
               | (numerators < threshold)
               | (is_share & ((base_values - numerators) < threshold))).fillna(False).astype(bool)
    reason = pd.Series(np.where(primary, Suppression.PRIMARY, None), index=out.index, dtype=object)
    keys = [k for k in _GROUP_KEYS if k in out.columns]
    group_ids = pd.Series(["\x1f".join(map(str, row)) for row in out[keys].itertuples(index=False, name=None)]
                          if keys else [""] * len(out), index=out.index, dtype=object)
    # Any hidden cell in a group hides both K and M: a hidden K or M could
    # otherwise be recovered from T and the other sex, and a hidden T from K + M.
    if primary.any():
        group_codes = pd.factorize(group_ids)[0]
        hidden_groups = np.unique(group_codes[primary.to_numpy()])
        secondary = (np.isin(group_codes, hidden_groups) & out["sex"].isin(["K", "M"]).to_numpy()
                     & ~primary.to_numpy())
        reason[secondary] = Suppression.SECONDARY
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
