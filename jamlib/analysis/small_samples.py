"""Exact tests and effect sizes for the tiny groups of this field (2–6 organisations).

Normal approximations (t-tests, Mann–Whitney's z) are wrong for groups this
small, and checklist totals are ordinal with many ties. The tests here enumerate
*every* relabelling of the organisations (exact permutation tests through
``scipy.stats.permutation_test`` with ``n_resamples=inf``), so they are valid for
any n and any ties. With very few organisations even the most extreme data give
a p-value above 0.05; :func:`minimum_p_value` says how low a p-value the test can
possibly reach, and :func:`conclusion` turns that into words: "kan inte avgöras".
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from jamlib.formatting import format_decimal, sentence_start

__all__ = ["GroupTest", "compare_independent", "compare_paired", "cliffs_delta", "conclusion"]

#: Significance level used in texts.
ALPHA = 0.05


@dataclass(frozen=True)
class GroupTest:
    """Result of an exact small-sample test.

    Attributes
    ----------
    n
        Number of organisations in each group (one entry for a paired test).
    difference
        The observed statistic: difference of means (first − second), or mean change.
    p_value
        Exact two-sided p-value; ``nan`` when there is nothing to test.
    minimum_p
        The smallest p-value the test could give with these group sizes.
    effect_size
        Cliff's delta (independent groups) or the share of organisations whose
        change has the same sign as the mean change minus the share with the
        opposite sign (paired); between −1 and 1.
    method
        Name of the test in Swedish.
    text
        One Swedish sentence saying what can be concluded.
    """

    n: tuple[int, ...]
    difference: float
    p_value: float
    minimum_p: float
    effect_size: float
    method: str
    text: str


def cliffs_delta(first: np.ndarray, second: np.ndarray) -> float:
    """Cliff's delta: P(first > second) − P(first < second) over all pairs.

    Parameters
    ----------
    first, second
        Values of the two groups.

    Returns
    -------
    float
        Between −1 (every value of ``first`` lower) and 1 (every value higher);
        ``nan`` when a group is empty.
    """
    a, b = np.asarray(first, dtype=float), np.asarray(second, dtype=float)
    if a.size == 0 or b.size == 0:
        return float("nan")
    diff = a[:, None] - b[None, :]
    return float((np.sum(diff > 0) - np.sum(diff < 0)) / diff.size)


def _format_p(p: float) -> str:
    if math.isnan(p):
        return "–"
    if p < 0.001:
        return "< 0,001"
    return format_decimal(p, 3)


#: The singular of what a test's ``n`` counts ("med 1 organisation").
_SINGULAR_UNITS = {"organisationer": "organisation"}


def conclusion(p_value: float, minimum_p: float, n: tuple[int, ...], what: str, units: str = "organisationer",
               method: str = "exakt test", *, p_adjusted: float | None = None, family_size: int = 1,
               p_interval: tuple[float, float] | None = None) -> str:
    """A Swedish sentence on what an exact test allows one to say.

    Parameters
    ----------
    p_value
        The test's p-value.
    minimum_p
        The smallest p-value attainable with these group sizes.
    n
        Group sizes.
    what
        What was compared, e.g. ``"skillnaden mellan mentorer och deltagare"``.
    units
        What ``n`` counts, e.g. ``"organisationer"`` or ``"år"``.
    method
        The test's name in the text, e.g. ``"exakt test"``.
    p_adjusted
        The p-value adjusted for the ``family_size`` tests of one report
        (Benjamini–Hochberg); when given, it decides and both are shown.
    family_size
        How many tests the adjustment covered.
    p_interval
        For a p-value estimated by resampling: its 95 % interval. When the
        interval contains :data:`ALPHA`, the sentence says the result cannot be
        decided, whatever the estimate.

    Returns
    -------
    str
    """
    sizes = " och ".join(str(k) for k in n)
    if any(k < 1 for k in n) or math.isnan(p_value):
        return f"{sentence_start(what)} kan inte testas: det finns för få {units} med värden."
    counted = _SINGULAR_UNITS.get(units, units) if n == (1,) else units
    if minimum_p > ALPHA:
        return (f"{sentence_start(what)} kan inte avgöras statistiskt: med {sizes} {counted} kan ett exakt test "
                f"som lägst ge p = {_format_p(minimum_p)}, så inget resultat kan bli säkerställt på 5-procentsnivån.")
    deciding = p_value if p_adjusted is None or math.isnan(p_adjusted) else p_adjusted
    if p_adjusted is None or math.isnan(p_adjusted):
        shown = f"p = {_format_p(p_value)}"
    else:
        shown = f"p = {_format_p(p_adjusted)} justerat för {family_size} test, ojusterat {_format_p(p_value)}"
    if p_interval is not None and p_interval[0] <= ALPHA <= p_interval[1]:
        return (f"{sentence_start(what)} kan inte avgöras: p är uppskattat med slumpmässiga omfördelningar till "
                f"{_format_p(deciding)} och kan ligga mellan {_format_p(p_interval[0])} och "
                f"{_format_p(p_interval[1])}, på båda sidor om 0,05 ({method}).")
    if deciding < ALPHA:
        return f"{sentence_start(what)} är statistiskt säkerställd ({method}, {shown})."
    return (f"{sentence_start(what)} är inte statistiskt säkerställd ({method}, {shown}); "
            "den kan vara slumpmässig.")


def _two_sided(null: np.ndarray, observed: float) -> float:
    """Two-sided p-value from every value of the statistic under relabelling, as scipy's permutation_test defines it."""
    tolerance = 1e-12 * max(1.0, abs(observed))
    less = float(np.mean(null <= observed + tolerance))
    greater = float(np.mean(null >= observed - tolerance))
    return min(1.0, 2 * min(less, greater))


def compare_independent(first: np.ndarray, second: np.ndarray, what: str) -> GroupTest:
    """Exact permutation test of the difference in means between two independent groups.

    Parameters
    ----------
    first, second
        One value per organisation (e.g. mentors' and participants' totals).
    what
        What is compared, for the sentence in ``text``.

    Returns
    -------
    GroupTest
        Difference of means ``first − second``, exact two-sided p-value over all
        ``C(n1 + n2, n1)`` relabellings, Cliff's delta.
    """
    from scipy import stats  # here, not at the top: importing scipy.stats costs more than pandas

    a = np.asarray(first, dtype=float)
    b = np.asarray(second, dtype=float)
    a, b = a[~np.isnan(a)], b[~np.isnan(b)]
    n = (int(a.size), int(b.size))
    if a.size == 0 or b.size == 0:
        return GroupTest(n, float("nan"), float("nan"), float("nan"), float("nan"), "exakt permutationstest",
                         conclusion(float("nan"), float("nan"), n, what))
    difference = float(a.mean() - b.mean())
    minimum_p = min(1.0, 2.0 / math.comb(a.size + b.size, a.size))
    if np.all(np.concatenate([a, b]) == a[0]):
        p_value = 1.0
    elif min(a.size, b.size) < 2:  # one organisation in a group (one mentor): scipy refuses, so enumerate directly
        pooled = np.concatenate([a, b])
        stats_all = np.array([pooled[list(c)].mean() - np.delete(pooled, list(c)).mean()
                              for c in itertools.combinations(range(pooled.size), a.size)])
        p_value = _two_sided(stats_all, difference)
    else:
        result = stats.permutation_test(
            (a, b), lambda x, y, axis: np.mean(x, axis=axis) - np.mean(y, axis=axis),
            permutation_type="independent", n_resamples=np.inf, alternative="two-sided", vectorized=True,
        )
        p_value = float(min(1.0, result.pvalue))
    return GroupTest(n, difference, p_value, minimum_p, cliffs_delta(a, b), "exakt permutationstest",
                     conclusion(p_value, minimum_p, n, what))


def compare_paired(changes: np.ndarray, what: str) -> GroupTest:
    """Exact sign-flip test that the mean change within one group is zero.

    Parameters
    ----------
    changes
        One change per organisation (last occasion − first occasion).
    what
        What is tested, for the sentence in ``text``.

    Returns
    -------
    GroupTest
        Mean change, exact two-sided p-value over all ``2**n`` sign flips, and the
        share of organisations moving in the mean's direction minus the share
        moving against it.
    """
    from scipy import stats  # here, not at the top: importing scipy.stats costs more than pandas

    d = np.asarray(changes, dtype=float)
    d = d[~np.isnan(d)]
    n = (int(d.size),)
    if d.size == 0:
        return GroupTest(n, float("nan"), float("nan"), float("nan"), float("nan"), "exakt teckentest",
                         conclusion(float("nan"), float("nan"), n, what))
    mean = float(d.mean())
    minimum_p = min(1.0, 2.0 / 2 ** d.size)
    if np.all(d == 0):
        p_value = 1.0
    elif d.size < 2:  # one organisation: scipy refuses, so enumerate the two sign flips directly
        p_value = _two_sided(np.array([d.mean(), -d.mean()]), mean)
    else:
        result = stats.permutation_test(
            (d,), lambda x, axis: np.mean(x, axis=axis), permutation_type="samples",
            n_resamples=np.inf, alternative="two-sided", vectorized=True,
        )
        p_value = float(min(1.0, result.pvalue))
    direction = np.sign(mean) if mean != 0 else 0.0
    effect = float((np.sum(np.sign(d) == direction) - np.sum(np.sign(d) == -direction)) / d.size) if direction else 0.0
    return GroupTest(n, mean, p_value, minimum_p, effect, "exakt teckentest (permutation)",
                     conclusion(p_value, minimum_p, n, what))
