"""Statistics checked against statsmodels/scipy reference values and hand computation, with edge cases."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from jamlib.errors import JamlibError
from jamlib.analysis.proportions import exact_test, newcombe_interval, proportion_gaps, wilson_interval
from jamlib.analysis.small_samples import cliffs_delta, compare_independent, compare_paired


@pytest.mark.parametrize("k, n", [(0, 10), (1, 4), (12, 40), (40, 40), (3, 7)])
def test_wilson_matches_statsmodels(k, n):
    assert wilson_interval(k, n) == pytest.approx(proportion_confint(k, n, method="wilson"), abs=1e-12)


@pytest.mark.parametrize("k1, n1, k2, n2", [(12, 40, 20, 38), (0, 5, 3, 6), (5, 5, 0, 7), (1, 3, 1, 3)])
def test_newcombe_matches_statsmodels(k1, n1, k2, n2):
    expected = confint_proportions_2indep(k1, n1, k2, n2, method="newcomb", compare="diff")
    assert newcombe_interval(k1, n1, k2, n2) == pytest.approx(expected, abs=1e-10)


def test_exact_test_by_hand_and_edge_cases():
    # 3 of 3 women vs 0 of 3 men: Fisher's two-sided p = 2 / C(6, 3) = 0.1; Boschloo is at least as powerful.
    result = exact_test(3, 3, 0, 3)
    assert result.method == "Boschloo" and result.p_value <= 0.1 + 1e-12
    assert exact_test(0, 10, 0, 12).p_value == 1.0  # zero counts in both: nothing differs
    big = exact_test(150, 300, 120, 300)
    # Fisher by hand: sum the hypergeometric probabilities of all tables no more likely than the observed one
    from scipy.stats import hypergeom
    dist = hypergeom(600, 270, 300)
    probabilities = dist.pmf(np.arange(0, 271))
    by_hand = probabilities[probabilities <= dist.pmf(150) * (1 + 1e-7)].sum()
    assert big.method == "Fisher" and big.p_value == pytest.approx(by_hand, rel=1e-6)
    with pytest.raises(JamlibError):
        wilson_interval(3, 0)
    with pytest.raises(JamlibError):
        exact_test(5, 4, 1, 4)


def test_proportion_gaps_only_where_counts_are_known():
    data = pd.DataFrame([
        {"org_code": "0484", "org_name": "Eskilstuna", "indicator_id": "X", "period": "2020", "sex": "K",
         "value": 30.0, "numerator": 12.0, "denominator": 40.0},
        {"org_code": "0484", "org_name": "Eskilstuna", "indicator_id": "X", "period": "2020", "sex": "M",
         "value": 52.6, "numerator": 20.0, "denominator": 38.0},
        {"org_code": "0484", "org_name": "Eskilstuna", "indicator_id": "Y", "period": "2020", "sex": "K",
         "value": 30.0, "numerator": None, "denominator": None},
    ])
    out = proportion_gaps(data).set_index("indicator_id")
    assert out.loc["X", "difference"] == pytest.approx(12 / 40 - 20 / 38)
    assert out.loc["X", "low_K"] == pytest.approx(proportion_confint(12, 40, method="wilson")[0])
    assert out.loc["Y", "uncertainty"].startswith("kan inte beräknas") and math.isnan(out.loc["Y", "difference"])


def test_permutation_test_by_hand():
    # Two mentors above all four participants: 2 of the C(6, 2) = 15 relabellings are as extreme
    # (this one and its mirror in the other tail), so p = 2/15 — the lowest possible with 2 and 4.
    result = compare_independent(np.array([30.0, 31.0]), np.array([20.0, 21.0, 22.0, 23.0]), "skillnaden")
    assert result.p_value == pytest.approx(2 / 15) and result.minimum_p == pytest.approx(2 / 15)
    assert result.difference == pytest.approx(30.5 - 21.5) and result.effect_size == 1.0
    assert "kan inte avgöras" in result.text
    tied = compare_independent(np.array([2.0, 2.0]), np.array([2.0, 2.0, 2.0]), "skillnaden")
    assert tied.p_value == 1.0 and tied.effect_size == 0.0
    big = compare_independent(np.arange(10, 16.0), np.arange(1, 7.0), "skillnaden")
    assert big.p_value == pytest.approx(2 / math.comb(12, 6)) and "statistiskt säkerställd (exakt test" in big.text


def test_cliffs_delta_by_hand():
    # pairs (1,2) < ; (1,1) = ; (3,2) > ; (3,1) >  -> (2 - 1) / 4
    assert cliffs_delta(np.array([1.0, 3.0]), np.array([2.0, 1.0])) == pytest.approx(0.25)


def test_sign_flip_test_by_hand():
    # four organisations all improved: 2 of 2^4 sign patterns as extreme -> p = 0.125, cannot conclude
    result = compare_paired(np.array([1.0, 2.0, 3.0, 4.0]), "förändringen")
    assert result.p_value == pytest.approx(0.125) and "kan inte avgöras" in result.text
    six = compare_paired(np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]), "förändringen")
    assert six.p_value == pytest.approx(2 / 64) and "statistiskt säkerställd" in six.text
    zero = compare_paired(np.array([0.0, 0.0, 0.0]), "förändringen")
    assert zero.p_value == 1.0
    assert "för få" in compare_paired(np.array([]), "förändringen").text
