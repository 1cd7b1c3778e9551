"""Exact trend tests for short yearly series, and what a fitted trend line says.

Mann–Kendall's test asks whether a series has a monotone trend: its statistic
``S`` is the number of pairs of years where the later value is higher minus the
number where it is lower. Under "no trend" every ordering of the observed values
over the years is equally likely, so the exact null distribution of ``S`` is the
distribution of the number of inversions of a random arrangement of the values.

* Without ties, the number of permutations of ``n`` items with ``k`` inversions
  is the Mahonian number ``M(n, k)``; their generating polynomial is
  ``[n]_q! = prod_{i=1..n} (1 + q + ... + q**(i-1))``.
* With ties (values that occur ``m_1, ..., m_k`` times) every *distinct*
  arrangement is equally likely, and the number with ``k`` inversions is the
  coefficient of ``q**k`` in the q-multinomial coefficient
  ``[n; m_1, ..., m_k]_q``, a product of q-binomial coefficients. Pairs of equal
  values count neither way, so ``S = T - 2 * inversions`` with ``T`` the number of
  pairs with different values.

Both are computed with exact integers once per tie pattern and cached, so an
exact p-value for a 20-year series costs microseconds; no resampling is needed
and none is done. :func:`exact_mann_kendall` checks against
``scipy.stats.kendalltau(method="exact")`` (no ties) and against brute-force
enumeration (ties) in ``tests/test_trend_tests.py``.

Values that are moving averages (Kolada's "3-årsm") share data between
neighbouring years, and a test that treats them as exchangeable rejects a true
"no trend" far too often. :func:`independent_years` keeps only years whose
windows do not overlap (the latest year, three years before it, ...), on which
the exact test is valid.

Many trend tests in one report are adjusted with Benjamini–Hochberg's method
(:func:`adjust_p_values`), which controls the expected share of false
"säkerställd" among the trends called so.
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

import numpy as np

__all__ = ["exact_mann_kendall", "MannKendall", "adjust_p_values", "adjust_families", "moving_average_years",
           "independent_years",
           "fitted_line", "TrendWord", "trend_word", "tie_snap"]

#: Decimals to which values are snapped before comparing them (float noise is not a difference).
_SNAP_DECIMALS = 6


def tie_snap(values: np.ndarray) -> np.ndarray:
    """Values rounded to 6 decimals, so that 95.0 and 95.0000001 count as tied (float noise)."""
    return np.round(np.asarray(values, dtype=float), _SNAP_DECIMALS)


def _multiply(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    out = [0] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        if x:
            for j, y in enumerate(b):
                out[i + j] += x * y
    return tuple(out)


@lru_cache(maxsize=None)
def _q_binomial(n: int, k: int) -> tuple[int, ...]:
    """Coefficients of the Gaussian binomial ``[n; k]_q`` (q^0 first), by ``[n;k] = [n-1;k-1] + q^k [n-1;k]``."""
    if k < 0 or k > n:
        return (0,)
    if k == 0 or k == n:
        return (1,)
    left = _q_binomial(n - 1, k - 1)
    right = (0,) * k + _q_binomial(n - 1, k)
    size = max(len(left), len(right))
    return tuple((left[i] if i < len(left) else 0) + (right[i] if i < len(right) else 0) for i in range(size))


@lru_cache(maxsize=None)
def inversion_counts(multiplicities: tuple[int, ...]) -> tuple[int, ...]:
    """Number of distinct arrangements of a multiset with each number of inversions.

    Parameters
    ----------
    multiplicities
        How often each distinct value occurs, in any order (sorted for caching).

    Returns
    -------
    tuple of int
        Entry ``k`` is the number of arrangements with ``k`` inversions; the
        entries sum to ``n! / prod(m_i!)``. With all multiplicities 1 these are
        the Mahonian numbers.
    """
    counts: tuple[int, ...] = (1,)
    placed = 0
    for m in multiplicities:
        placed += m
        counts = _multiply(counts, _q_binomial(placed, m))
    return counts


@dataclass(frozen=True)
class MannKendall:
    """Result of :func:`exact_mann_kendall`.

    Attributes
    ----------
    n
        Number of values.
    s
        Mann–Kendall S (pairs rising minus pairs falling, in time order).
    p_value
        Exact two-sided p-value, ``P(|S| >= |s|)`` under "no trend"; 1 when all values are equal.
    minimum_p
        The smallest two-sided p-value attainable with this many values and this tie pattern.
    tau
        Kendall's tau-b between time and value.
    """

    n: int
    s: int
    p_value: float
    minimum_p: float
    tau: float


@lru_cache(maxsize=4096)
def _null_tail(multiplicities: tuple[int, ...]) -> tuple[int, tuple[int, ...], int]:
    """(T, cumulative counts of |S| from the top, total) for a tie pattern: p for any S in O(1)."""
    counts = inversion_counts(multiplicities)
    n = sum(multiplicities)
    pairs = n * (n - 1) // 2 - sum(m * (m - 1) // 2 for m in multiplicities)
    total = sum(counts)
    # |S| = |T - 2k|; tail[j] = number of arrangements with |S| >= j, for j = 0..T
    by_abs = [0] * (pairs + 1)
    for k, c in enumerate(counts):
        by_abs[abs(pairs - 2 * k)] += c
    tail = [0] * (pairs + 2)
    for j in range(pairs, -1, -1):
        tail[j] = tail[j + 1] + by_abs[j]
    return pairs, tuple(tail), total


def exact_mann_kendall(values: np.ndarray) -> MannKendall:
    """Exact Mann–Kendall test of a monotone trend in values given in time order.

    Parameters
    ----------
    values
        The series, oldest first (no missing values). Values equal after
        rounding to 6 decimals are ties.

    Returns
    -------
    MannKendall

    Notes
    -----
    The null distribution is the exact distribution of ``S`` over all
    orderings of the observed values (ties handled exactly through the
    q-multinomial coefficients), computed once per tie pattern and cached.
    """
    y = tie_snap(values)
    n = int(y.size)
    if n < 2:
        return MannKendall(n, 0, float("nan"), float("nan"), float("nan"))
    diff = np.sign(y[None, :] - y[:, None])
    s = int(np.triu(diff, k=1).sum())
    _, multiplicities = np.unique(y, return_counts=True)
    pattern = tuple(sorted(int(m) for m in multiplicities))
    pairs, tail, total = _null_tail(pattern)
    if pairs == 0:
        return MannKendall(n, 0, 1.0, 1.0, float("nan"))
    p_value = tail[abs(s)] / total
    minimum_p = min(1.0, 2 / total)
    n0 = n * (n - 1) / 2
    tau = s / math.sqrt(n0 * pairs)  # tau-b: time has no ties, so n0 - n1 = n0
    return MannKendall(n, s, float(p_value), float(minimum_p), float(tau))


def adjust_p_values(p_values: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values; missing values stay missing and are not counted.

    Parameters
    ----------
    p_values
        Raw p-values of the tests in one family (one report); ``nan`` for tests not made.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values (``scipy.stats.false_discovery_control``, method ``"bh"``).
    """
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    made = ~np.isnan(p)
    if made.any():
        out[made] = _benjamini_hochberg(p[made])
    return out


def adjust_families(families: Mapping[Hashable, list[dict]],
                    other_tests: Mapping[Hashable, Sequence[float]] | None = None) -> None:
    """Set ``p_adjusted`` and ``tests_in_family`` on each test's row, family by family.

    Parameters
    ----------
    families
        The rows (dicts with a raw ``p_value``, ``nan`` for a test not made) of each family, e.g. one
        organisation's trend tests in a report. The rows are the caller's own; they are updated in place.
    other_tests
        Raw p-values of a family's other tests, made elsewhere (by the same key): they join its
        Benjamini–Hochberg adjustment and its count.
    """
    for key, members in families.items():
        extra = [float(p) for p in (other_tests or {}).get(key, ())]
        raw = np.array([m["p_value"] for m in members] + extra, dtype=float)
        adjusted = adjust_p_values(raw)
        made = int(np.sum(~np.isnan(raw)))
        for member, value in zip(members, adjusted):
            member["p_adjusted"], member["tests_in_family"] = float(value), made


def _benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """``scipy.stats.false_discovery_control(p, method="bh")`` step by step, without importing scipy.stats.

    Importing scipy.stats costs more than importing pandas, and this is all a report needs of it;
    ``tests/test_import_costs.py`` checks that the results are exactly scipy's.
    """
    if p.size <= 1:
        return p.copy()
    order = np.argsort(p)
    m = p.size
    adjusted = p[order] * (m / np.arange(1, m + 1, dtype=float))
    np.minimum.accumulate(adjusted[::-1], out=adjusted[::-1])
    out = np.empty_like(adjusted)
    out[order] = adjusted
    return np.clip(out, 0.0, 1.0)


_MOVING = re.compile(r"(\d+)\s*-?\s*års?(?:m\b|medel)", re.IGNORECASE)


def moving_average_years(title: str | None, curated: int | None = None) -> int:
    """How many years each value averages over: 1 for plain yearly values.

    Parameters
    ----------
    title
        The KPI's title; Kolada writes moving averages as ``"3-årsm"`` or ``"3-årsmedel"``.
    curated
        A curated window length (``KPI_CURATED[kpi]["moving_average_years"]``), which wins.

    Returns
    -------
    int
    """
    if curated:
        return int(curated)
    match = _MOVING.search(str(title or ""))
    return int(match.group(1)) if match and int(match.group(1)) > 1 else 1


def independent_years(years: np.ndarray, window: int) -> np.ndarray:
    """Positions of the years whose moving-average windows do not overlap.

    Counting back from the latest year in steps of ``window`` (for a 3-year
    average: 2021, 2018, 2015, ...), the years present are kept; their values
    rest on disjoint years of data.

    Parameters
    ----------
    years
        Years in increasing order.
    window
        Years per moving average (1 keeps every year).

    Returns
    -------
    numpy.ndarray
        Indices into ``years``, in increasing order.
    """
    y = np.asarray(years, dtype=int)
    if window <= 1 or y.size == 0:
        return np.arange(y.size)
    return np.flatnonzero((y[-1] - y) % window == 0)


def fitted_line(years: np.ndarray, values: np.ndarray) -> tuple[float, float, float]:
    """Theil–Sen line through the values: slope per year, and its value at the first and last year.

    The slope is the median of the slopes between all pairs of years and the
    intercept ``median(y) - slope * median(x)``, as ``scipy.stats.theilslopes``
    computes them (checked against it in the tests), without its confidence
    interval, which is not used.

    Returns
    -------
    tuple of float
        ``(slope, start, end)``.
    """
    x = np.asarray(years, dtype=float)
    y = np.asarray(values, dtype=float)
    upper = np.triu_indices(x.size, k=1)
    dx = x[upper[1]] - x[upper[0]]
    keep = dx > 0
    slope = float(np.median((y[upper[1]] - y[upper[0]])[keep] / dx[keep]))
    intercept = float(np.median(y) - slope * np.median(x))
    return slope, intercept + slope * x[0], intercept + slope * x[-1]


class TrendWord(StrEnum):
    """What a trend sentence may say about the gap, decided from the test and the fitted line."""

    NOT_ASSESSED = "kan inte bedömas"
    NO_CLEAR_TREND = "ingen tydlig trend"
    DECREASED = "minskat"
    INCREASED = "ökat"
    CHANGED_SIGN = "bytt tecken"
    NO_MATERIAL_CHANGE = "ingen påtaglig förändring"


def trend_word(significant: bool | None, start: float, end: float, materiality: float = 0.0) -> TrendWord:
    """The word for a trend in the gap K − M, from its fitted start and end.

    Parameters
    ----------
    significant
        Whether the (adjusted) test says there is a trend; ``None`` when no test could be made.
    start, end
        The fitted gap at the first and last year.
    materiality
        Changes of the fitted gap smaller than this are not called a change.

    Returns
    -------
    TrendWord
        ``NO_CLEAR_TREND`` unless significant; ``CHANGED_SIGN`` when the fitted
        gap crosses zero; ``DECREASED``/``INCREASED`` when it moves towards or
        away from zero without crossing; ``NO_MATERIAL_CHANGE`` when the fitted
        change is below ``materiality`` (or zero).
    """
    if significant is None:
        return TrendWord.NOT_ASSESSED
    if not significant:
        return TrendWord.NO_CLEAR_TREND
    a, b = float(tie_snap(start)), float(tie_snap(end))
    change = abs(b - a)
    if change == 0 or change < materiality:
        return TrendWord.NO_MATERIAL_CHANGE
    if a * b < 0:
        return TrendWord.CHANGED_SIGN
    return TrendWord.DECREASED if abs(b) < abs(a) else TrendWord.INCREASED
