"""Share of girls over time (Eskilstuna's building programme): intervals and an exact trend test."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from jamlib.analysis.sex_shares import exact_trend_test, sex_share_trend, sex_shares


def _brute_force(successes, totals):
    """Every table with the same margins, weighted by its multivariate hypergeometric probability."""
    total = sum(successes)
    scores = range(len(totals))
    weights, stats = [], []
    for head in itertools.product(*(range(n + 1) for n in totals[:-1])):
        last = total - sum(head)
        if not 0 <= last <= totals[-1]:
            continue
        split = (*head, last)
        weights.append(math.prod(math.comb(n, k) for n, k in zip(totals, split)))
        stats.append(sum(s * k for s, k in zip(scores, split)))
    weights = np.array(weights, float) / math.comb(sum(totals), total)
    stats = np.array(stats, float)
    expected = (weights * stats).sum()
    observed = sum(s * k for s, k in zip(scores, successes))
    return weights[np.abs(stats - expected) >= abs(observed - expected) - 1e-9].sum()


@pytest.mark.parametrize("successes, totals", [([1, 2, 3], [4, 4, 4]), ([0, 1, 4], [5, 3, 6]), ([2, 2], [5, 7]),
                                               ([3, 1, 0, 0], [3, 4, 2, 5])])
def test_exact_trend_test_matches_enumeration_of_every_table(successes, totals):
    assert exact_trend_test(successes, totals)[0] == pytest.approx(_brute_force(successes, totals), rel=1e-9)


def test_with_two_groups_it_is_fishers_exact_test():
    from scipy.stats import fisher_exact

    p, _ = exact_trend_test([2, 9], [10, 12])
    assert p == pytest.approx(fisher_exact([[2, 8], [9, 3]]).pvalue, rel=1e-9)


def test_large_groups_agree_with_the_asymptotic_linear_by_linear_test():
    from statsmodels.stats.contingency_tables import Table

    successes, totals = [30, 45, 60, 70], [200, 210, 205, 198]
    table = np.array([[s, n - s] for s, n in zip(successes, totals)])
    asymptotic = Table(table).test_ordinal_association(row_scores=np.arange(4), col_scores=np.array([0, 1])).pvalue
    assert exact_trend_test(successes, totals)[0] == pytest.approx(asymptotic, rel=0.15)


def test_rekarnebygymnasiet_share_of_girls():
    rows = []
    for period, (girls, boys) in {"2019/20": (5, 57), "2020/21": (11, 74), "2021/22": (9, 62), "2022/23": (12, 65)}.items():
        for sex, value in (("K", girls), ("M", boys), ("T", girls + boys)):
            rows.append({"org_code": "rekarnebygymnasiet", "org_name": "Rekarnebygymnasiet", "indicator_id": "ESK_BA_AK1",
                         "indicator_title": "Elever i årskurs 1", "period": period, "sex": sex, "value": float(value)})
    data = pd.DataFrame(rows)
    shares = sex_shares(data).set_index("period")
    assert shares.loc["2019/20", "share"] == pytest.approx(100 * 5 / 62)
    from statsmodels.stats.proportion import proportion_confint

    low, high = proportion_confint(12, 77, method="wilson")
    assert (shares.loc["2022/23", "low"], shares.loc["2022/23", "high"]) == pytest.approx((100 * low, 100 * high))
    trend = sex_share_trend(data).iloc[0]
    assert trend["p_value"] == pytest.approx(_brute_force([5, 11, 9, 12], [62, 85, 71, 77]), rel=1e-9)
    assert "8,1 % (5 av 62) 2019/20" in trend["text"]
    assert f"15,6 % (12 av 77; 95 % konfidensintervall {100 * low:.1f}–{100 * high:.1f} %) 2022/23".replace(".", ",") \
        in trend["text"]  # the latest share with its Wilson interval (statsmodels above)
    assert ("inte statistiskt säkerställd" in trend["text"]) == (trend["p_value"] >= 0.05)
    assert data.equals(pd.DataFrame(rows))  # input untouched


def test_a_report_adjusts_its_share_trends_and_gap_trends_together():
    """A committee's count indicators: the share trend and the gap trends form one Benjamini–Hochberg family.

    The share of women grows clearly over four years (exact p below 0,05 alone); with the two gap trends of
    the same report the sentence must use the p adjusted for all three tests (statsmodels' BH here).
    """
    import jamlib
    from statsmodels.stats.multitest import multipletests

    counts = {"2019": (5, 15), "2020": (8, 12), "2021": (11, 10), "2022": (14, 7)}  # all at least 5: none hidden
    rows = []
    for indicator, title, unit in (("OWN_STAFF", "Anställda i tekniska förvaltningen", "antal"),):
        for period, (women, men) in counts.items():
            for sex, value in (("K", women), ("M", men), ("T", women + men)):
                rows.append({"org_code": "teknik", "org_name": "Tekniska nämnden", "indicator_id": indicator,
                             "indicator_title": title, "period": period, "sex": sex, "value": float(value),
                             "unit": unit, "polarity": "neutral"})
    waits = {"2017": (30, 20), "2018": (28, 22), "2019": (31, 19), "2020": (25, 24), "2021": (29, 21), "2022": (26, 23)}
    for period, (women, men) in waits.items():
        for sex, value in (("K", women), ("M", men), ("T", (women + men) / 2)):
            rows.append({"org_code": "teknik", "org_name": "Tekniska nämnden", "indicator_id": "OWN_WAIT",
                         "indicator_title": "Handläggningstid bygglov", "period": period, "sex": sex,
                         "value": float(value), "unit": "dagar", "polarity": "lägre är bättre"})
    data = pd.DataFrame(rows)
    report = jamlib.indicator_report(data, "Tekniska nämnden", None, reference=None)
    share = report.share_trends.iloc[0]
    raw_share = _brute_force([c[0] for c in counts.values()], [sum(c) for c in counts.values()])
    assert share["p_value"] == pytest.approx(raw_share, rel=1e-9) and raw_share < 0.05
    raw = [*report.trend["p_value"].dropna(), share["p_value"]]
    assert len(raw) == 3  # two gap trends (the staff count's K − M and the waiting time) and the share trend
    expected = multipletests(raw, method="fdr_bh")[1]
    assert share["p_adjusted"] == pytest.approx(expected[-1])
    assert list(report.trend["p_adjusted"]) == pytest.approx(list(expected[:-1]))
    assert set(report.trend["tests_in_family"]) == {3} and share["tests_in_family"] == 3
    assert "justerat för 3 test" in share["text"]
    assert ("inte statistiskt säkerställd" in share["text"]) == (expected[-1] >= 0.05)
    notes = " ".join(report.sentences.loc[report.sentences["indicator_id"] == "", "text"])
    assert "Rapporten gör 3 trendtest" in notes
