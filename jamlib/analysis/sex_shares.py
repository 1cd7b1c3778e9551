"""The share of women (or girls) in a group over time, with intervals and an exact trend test.

Where an organisation counts persons by sex (first-year students of a vocational programme, staff, acts on a
festival stage), the question is often whether the under-represented sex is gaining ground: Eskilstuna's
building programme went from 5 girls of 62 to 12 of 77. Each period gets the share with a Wilson interval
(:func:`jamlib.analysis.proportions.wilson_interval`), and the trend over the periods is tested with the
exact Cochran–Armitage test: conditional on the total number of women, the distribution of the score
statistic T = Σ (period index × women) is computed exactly from the hypergeometric probabilities of every
possible split, so the p-value is right however small the groups are.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from jamlib.analysis.proportions import wilson_interval
from jamlib.analysis.small_samples import conclusion
from jamlib.formatting import format_decimal, period_start

__all__ = ["exact_trend_test", "sex_share_trend"]

_COLUMNS = ["org_code", "org_name", "indicator_id", "indicator_title", "periods", "first_period", "latest_period",
            "first_share", "latest_share", "p_value", "minimum_p", "p_adjusted", "tests_in_family", "text"]


def _log_choose(n: int, k: np.ndarray) -> np.ndarray:
    from scipy.special import gammaln

    return gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1)


def exact_trend_test(successes: list[int] | np.ndarray, totals: list[int] | np.ndarray) -> tuple[float, float]:
    """Exact two-sided Cochran–Armitage test for a trend in proportions over ordered groups.

    Parameters
    ----------
    successes, totals
        Per group (in time order): number of women and number of persons.

    Returns
    -------
    tuple of float
        ``(p_value, minimum_p)``: the exact two-sided p-value (scores 0, 1, 2, …), and the smallest
        p-value any split with the same margins could give.
    """
    x = np.asarray(successes, dtype=int)
    n = np.asarray(totals, dtype=int)
    if x.shape != n.shape or len(x) < 2 or (x < 0).any() or (x > n).any():
        raise ValueError("successes and totals must be equal-length counts with 0 <= successes <= totals")
    total = int(x.sum())
    scores = np.arange(len(n))
    max_t = int(total * scores[-1])
    # log-probability table over (women so far, score sum so far), built group by group
    table = np.full((total + 1, max_t + 1), -np.inf)
    table[0, 0] = 0.0
    for size, score in zip(n, scores):
        nxt = np.full_like(table, -np.inf)
        ks = np.arange(0, min(size, total) + 1)
        weights = _log_choose(int(size), ks)
        for k, weight in zip(ks, weights):
            shifted = table[: total + 1 - k, : max_t + 1 - k * score] + weight
            target = nxt[k:, k * score:]
            np.logaddexp(target, shifted, out=target)
        table = nxt
    log_probs = table[total] - _log_choose(int(n.sum()), np.array(total))
    probs = np.exp(log_probs - np.max(log_probs[np.isfinite(log_probs)]))
    probs = probs / probs.sum()
    t_values = np.arange(max_t + 1)
    expected = float((probs * t_values).sum())
    observed = int((x * scores).sum())
    distance = np.abs(t_values - expected)
    tolerance = 1e-9 * max(1.0, abs(observed - expected))
    p_value = float(probs[(distance >= abs(observed - expected) - tolerance) & (probs > 0)].sum())
    support = probs > 0
    extreme = distance[support].max()
    minimum_p = float(probs[support & (distance >= extreme - 1e-9)].sum())
    return min(1.0, p_value), min(1.0, minimum_p)


def sex_share_trend(indicators: pd.DataFrame, sex: str = "K",
                    other_tests: Mapping[str, Sequence[float]] | None = None) -> pd.DataFrame:
    """The share of one sex among K + M per period, with Wilson intervals and an exact trend test.

    Parameters
    ----------
    indicators
        Validated indicator rows that are *counts* of persons (K and M per period), for one or more
        organisations and indicators.
    sex
        ``"K"`` (the share of women/girls, default) or ``"M"``.
    other_tests
        Raw p-values of the other trend tests one report makes for an organisation (by its code), e.g.
        :func:`jamlib.analysis.gaps.gap_trend`'s ``p_value``: the organisation's share tests and these are
        adjusted together (Benjamini–Hochberg), and the sentence follows the adjusted p.

    Returns
    -------
    pandas.DataFrame
        One row per organisation and indicator: ``periods``, ``first_period``, ``latest_period``,
        ``first_share``/``latest_share`` (percent), ``p_value``, ``minimum_p``, ``p_adjusted``,
        ``tests_in_family`` and ``text``, a Swedish
        sentence with the counts, the shares and the test's conclusion. Per-period shares and intervals
        are in :func:`sex_shares`.
    """
    from jamlib.analysis.trend_tests import adjust_families

    shares = sex_shares(indicators, sex)
    rows = []
    for (code, name, indicator), group in shares.groupby(["org_code", "org_name", "indicator_id"], sort=False,
                                                         dropna=False):
        first, last = group.iloc[0], group.iloc[-1]
        p_value = minimum_p = np.nan
        if len(group) >= 2 and group["total"].sum() > 0:
            p_value, minimum_p = exact_trend_test(group["count"].astype(int), group["total"].astype(int))
        rows.append({"org_code": code, "org_name": name, "indicator_id": indicator,
                     "indicator_title": first["indicator_title"], "periods": len(group),
                     "first_period": first["period"], "latest_period": last["period"],
                     "first_share": first["share"], "latest_share": last["share"], "p_value": p_value,
                     "minimum_p": minimum_p, "p_adjusted": np.nan, "tests_in_family": 0, "_first": first, "_last": last})
    families: dict[object, list[dict]] = {}
    for row in rows:
        families.setdefault(row["org_code"], []).append(row)
    adjust_families(families, other_tests)
    word = "kvinnor" if sex == "K" else "män"
    for row in rows:
        first, last = row.pop("_first"), row.pop("_last")
        text = (f"Andelen {word} var {format_decimal(first['share'])} % ({int(first['count'])} av {int(first['total'])}) "
                f"{first['period']} och {format_decimal(last['share'])} % ({int(last['count'])} av {int(last['total'])}; "
                f"95 % konfidensintervall {format_decimal(last['low'])}–{format_decimal(last['high'])} %) "
                f"{last['period']}.")
        if not math.isnan(row["p_value"]):
            family = row["tests_in_family"]
            text += " " + conclusion(row["p_value"], row["minimum_p"], (row["periods"],), "trenden i andelen",
                                     units="år", method="exakt Cochran–Armitage-test",
                                     p_adjusted=row["p_adjusted"] if family > 1 else None, family_size=family)
        row["text"] = text
    return pd.DataFrame(rows, columns=_COLUMNS)


def sex_shares(indicators: pd.DataFrame, sex: str = "K") -> pd.DataFrame:
    """Per organisation, indicator and period: the count of ``sex``, K + M, the share and its Wilson interval."""
    counts = indicators[indicators["sex"].isin(["K", "M"]) & indicators["value"].notna()]
    columns = ["org_code", "org_name", "indicator_id", "indicator_title", "period", "count", "total", "share",
               "low", "high"]
    if counts.empty:
        return pd.DataFrame(columns=columns)
    keys = ["org_code", "org_name", "indicator_id", "period"]
    frame = counts.assign(org_code=counts["org_code"].fillna(""), org_name=counts["org_name"].fillna(""))
    wide = frame.pivot_table(index=keys, columns="sex", values="value", aggfunc="first").reset_index()
    wide = wide.dropna(subset=["K", "M"])
    titles = frame.groupby("indicator_id")["indicator_title"].first()
    rows = []
    for _, row in wide.iterrows():
        count, total = float(row[sex]), float(row["K"] + row["M"])
        if not (count.is_integer() and total.is_integer()) or total <= 0:
            continue  # not counts of persons
        low, high = wilson_interval(int(count), int(total))
        rows.append({**{k: row[k] for k in keys}, "indicator_title": titles.get(row["indicator_id"]),
                     "count": int(count), "total": int(total), "share": 100 * count / total,
                     "low": 100 * low, "high": 100 * high})
    out = pd.DataFrame(rows, columns=columns)
    out["_start"] = [period_start(p) or 0 for p in out["period"]]
    out = out.sort_values(["org_code", "indicator_id", "_start", "period"]).drop(columns="_start")
    return out.reset_index(drop=True)


