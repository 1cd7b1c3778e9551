"""Shares with known counts: Wilson intervals, Newcombe differences, exact tests.

When an indicator is a share whose numerator and denominator are known (for
example 12 of 40 girls), the uncertainty of each sex's share and of the
difference between them can be computed honestly even for small towns:

* Wilson score interval per share (good coverage for small ``n`` and shares
  near 0 or 1, unlike the normal "Wald" interval);
* Newcombe's hybrid score interval for the difference K − M, built from the two
  Wilson intervals (method 10 in Newcombe 1998);
* Boschloo's exact unconditional test of "no difference" (more powerful than
  Fisher's exact test and valid for any counts); Fisher's test is used instead
  for large tables, where Boschloo's is slow and both agree.

statsmodels' ``confint_proportions_2indep(method='score')`` is *not* used: it is
unreliable in statsmodels 0.15.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from jamlib.errors import JamlibError

__all__ = ["wilson_interval", "newcombe_interval", "exact_test", "ExactTest", "proportion_gaps"]

#: Total count above which Fisher's exact test is used instead of Boschloo's.
_BOSCHLOO_LIMIT = 400


def _check_counts(successes: float, total: float) -> tuple[int, int]:
    if total is None or successes is None or (isinstance(total, float) and math.isnan(total)) \
            or (isinstance(successes, float) and math.isnan(successes)):
        raise JamlibError("Täljare och nämnare behövs för att beräkna ett intervall.")
    if float(successes) != int(successes) or float(total) != int(total):
        raise JamlibError(f"Täljare och nämnare måste vara hela antal, inte {successes} av {total}.")
    k, n = int(successes), int(total)
    if n < 0 or k < 0 or k > n:
        raise JamlibError(f"Täljaren ({k}) måste ligga mellan 0 och nämnaren ({n}).")
    return k, n


def wilson_interval(successes: int, total: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a share.

    Parameters
    ----------
    successes
        Numerator (e.g. number of girls).
    total
        Denominator (e.g. number of first-year students). Must be at least 1.
    confidence
        Confidence level, default 0.95.

    Returns
    -------
    tuple of float
        Lower and upper limit, as shares between 0 and 1.

    Raises
    ------
    JamlibError
        When the counts are not whole numbers with ``0 <= successes <= total``,
        or when ``total`` is 0 (no interval exists).
    """
    k, n = _check_counts(successes, total)
    if n == 0:
        raise JamlibError("Nämnaren är 0: det finns ingen andel och inget intervall.")
    from scipy import stats  # here, not at the top: importing scipy.stats costs more than pandas

    ci = stats.binomtest(k, n).proportion_ci(confidence_level=confidence, method="wilson")
    return float(ci.low), float(ci.high)


def newcombe_interval(
    successes_1: int, total_1: int, successes_2: int, total_2: int, confidence: float = 0.95
) -> tuple[float, float]:
    """Newcombe's hybrid score interval for the difference of two shares (p1 − p2).

    Parameters
    ----------
    successes_1, total_1
        Numerator and denominator of the first group (women, K).
    successes_2, total_2
        Numerator and denominator of the second group (men, M).
    confidence
        Confidence level, default 0.95.

    Returns
    -------
    tuple of float
        Lower and upper limit of ``p1 − p2``, between −1 and 1.
    """
    p1 = _check_counts(successes_1, total_1)
    p2 = _check_counts(successes_2, total_2)
    l1, u1 = wilson_interval(*p1, confidence=confidence)
    l2, u2 = wilson_interval(*p2, confidence=confidence)
    share_1, share_2 = p1[0] / p1[1], p2[0] / p2[1]
    diff = share_1 - share_2
    lower = diff - math.sqrt((share_1 - l1) ** 2 + (u2 - share_2) ** 2)
    upper = diff + math.sqrt((u1 - share_1) ** 2 + (share_2 - l2) ** 2)
    return max(-1.0, lower), min(1.0, upper)


@dataclass(frozen=True)
class ExactTest:
    """Result of :func:`exact_test`.

    Attributes
    ----------
    method
        ``"Boschloo"`` or ``"Fisher"``.
    p_value
        Two-sided p-value for "the two shares are equal".
    """

    method: str
    p_value: float


def exact_test(successes_1: int, total_1: int, successes_2: int, total_2: int) -> ExactTest:
    """Exact two-sided test that two shares are equal.

    Boschloo's unconditional test (``scipy.stats.boschloo_exact``) for tables
    with at most 400 observations in all, Fisher's exact test
    (``scipy.stats.fisher_exact``) above that.

    Parameters
    ----------
    successes_1, total_1, successes_2, total_2
        Counts of the two groups.

    Returns
    -------
    ExactTest
    """
    k1, n1 = _check_counts(successes_1, total_1)
    k2, n2 = _check_counts(successes_2, total_2)
    if n1 == 0 or n2 == 0:
        raise JamlibError("En av grupperna har nämnaren 0; då går det inte att jämföra andelarna.")
    from scipy import stats  # here, not at the top: importing scipy.stats costs more than pandas

    table = np.array([[k1, k2], [n1 - k1, n2 - k2]])
    if k1 + k2 == 0 or k1 + k2 == n1 + n2:
        return ExactTest("Boschloo" if n1 + n2 <= _BOSCHLOO_LIMIT else "Fisher", 1.0)
    if n1 + n2 <= _BOSCHLOO_LIMIT:
        p = stats.boschloo_exact(table, alternative="two-sided").pvalue
        return ExactTest("Boschloo", float(min(1.0, p)))
    return ExactTest("Fisher", float(stats.fisher_exact(table).pvalue))


def proportion_gaps(indicators: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Shares per sex with Wilson intervals, and the K − M difference with Newcombe and an exact test.

    Only rows with both numerator and denominator for K and M are analysed;
    other organisation/indicator/period combinations get
    ``uncertainty = "kan inte beräknas: ..."`` and no interval.

    Parameters
    ----------
    indicators
        Validated indicator rows with ``numerator`` and ``denominator``.
    confidence
        Confidence level, default 0.95.

    Returns
    -------
    pandas.DataFrame
        One row per organisation, indicator and period: ``share_K``, ``low_K``,
        ``high_K``, ``n_K`` and the same for M, ``difference`` (K − M, share),
        ``difference_low``, ``difference_high``, ``test`` (method), ``p_value``
        and ``uncertainty`` (Swedish description).
    """
    keys = ["org_code", "org_name", "indicator_id", "period"]
    data = indicators[indicators["sex"].isin(["K", "M"])].copy()
    for col in ("numerator", "denominator"):
        if col not in data.columns:
            data[col] = np.nan
    data[["org_code", "org_name"]] = data[["org_code", "org_name"]].fillna("")
    rows = []
    for key, group in data.groupby(keys, sort=True):
        by_sex = {row["sex"]: row for _, row in group.iterrows()}
        out: dict[str, object] = dict(zip(keys, key))
        complete = all(
            s in by_sex and pd.notna(by_sex[s]["numerator"]) and pd.notna(by_sex[s]["denominator"])
            and by_sex[s]["denominator"] > 0
            for s in ("K", "M")
        )
        for sex in ("K", "M"):
            out[f"n_{sex}"] = by_sex[sex]["denominator"] if sex in by_sex else np.nan
            if complete:
                k, n = by_sex[sex]["numerator"], by_sex[sex]["denominator"]
                out[f"share_{sex}"] = k / n
                out[f"low_{sex}"], out[f"high_{sex}"] = wilson_interval(k, n, confidence)
            else:
                out[f"share_{sex}"] = out[f"low_{sex}"] = out[f"high_{sex}"] = np.nan
        if complete:
            kk, nk = by_sex["K"]["numerator"], by_sex["K"]["denominator"]
            km, nm = by_sex["M"]["numerator"], by_sex["M"]["denominator"]
            out["difference"] = kk / nk - km / nm
            out["difference_low"], out["difference_high"] = newcombe_interval(kk, nk, km, nm, confidence)
            test = exact_test(kk, nk, km, nm)
            out["test"], out["p_value"] = test.method, test.p_value
            out["uncertainty"] = f"{round(confidence * 100)} % konfidensintervall (Wilson, Newcombe)"
        else:
            out["difference"] = out["difference_low"] = out["difference_high"] = np.nan
            out["test"], out["p_value"] = None, np.nan
            out["uncertainty"] = "kan inte beräknas: täljare och nämnare saknas för kvinnor eller män"
        rows.append(out)
    columns = [*keys, "share_K", "low_K", "high_K", "n_K", "share_M", "low_M", "high_M", "n_M",
               "difference", "difference_low", "difference_high", "test", "p_value", "uncertainty"]
    result = pd.DataFrame(rows, columns=columns)
    result[["org_code", "org_name"]] = result[["org_code", "org_name"]].replace("", None)
    return result
