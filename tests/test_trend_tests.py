"""Exact Mann–Kendall, Benjamini–Hochberg, moving averages and trend words, against scipy, statsmodels and brute force."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

from jamlib.analysis.gaps import gap_trend, indicator_gaps
from jamlib.analysis.small_samples import conclusion
from jamlib.analysis.trend_tests import (TrendWord, adjust_p_values, exact_mann_kendall, fitted_line,
                                         independent_years, inversion_counts, moving_average_years, trend_word)


def brute_force_p(values) -> float:
    """Two-sided p by enumerating every ordering of the values (ties included)."""
    y = np.asarray(values, dtype=float)
    upper = np.triu_indices(len(y), k=1)

    def s(v):
        return int(np.sign(v[upper[1]] - v[upper[0]]).sum())

    observed = abs(s(y))
    orderings = np.array(list(itertools.permutations(y)))
    signs = np.sign(orderings[:, upper[1]] - orderings[:, upper[0]]).sum(axis=1)
    return float(np.mean(np.abs(signs) >= observed))


@pytest.mark.parametrize("n", [3, 4, 5, 6, 8, 10, 12, 15])
def test_no_ties_matches_scipy_exact_kendall(n):
    rng = np.random.default_rng(n)
    for _ in range(5):
        y = rng.normal(size=n)
        ours = exact_mann_kendall(y)
        theirs = stats.kendalltau(np.arange(n), y, method="exact")
        assert ours.p_value == pytest.approx(theirs.pvalue, abs=1e-12)
        assert ours.tau == pytest.approx(theirs.statistic, abs=1e-12)
        assert ours.minimum_p == pytest.approx(2 / math.factorial(n))


@pytest.mark.parametrize("values", [[1, 1, 2, 3, 3, 3, 4], [5, 5, 5, 1], [1, 2, 2, 3, 1, 2], [2, 2, 2, 2, 3],
                                    [1, 1, 2, 2, 3, 3, 4, 4], [3, 1, 2, 2, 1, 3, 3], [95, 94, 95, 96, 95, 95, 96, 96]])
def test_ties_match_brute_force_enumeration(values):
    ours = exact_mann_kendall(np.array(values, dtype=float))
    assert ours.p_value == pytest.approx(brute_force_p(values), abs=1e-12)
    assert ours.tau == pytest.approx(stats.kendalltau(np.arange(len(values)), values).statistic, abs=1e-12)
    counts = np.unique(values, return_counts=True)[1]
    assert ours.minimum_p == pytest.approx(min(1.0, 2 * np.prod([math.factorial(int(c)) for c in counts])
                                               / math.factorial(len(values))))


def test_mahonian_numbers_and_float_noise():
    assert inversion_counts((1, 1, 1, 1)) == (1, 3, 5, 6, 5, 3, 1)  # OEIS A008302, n = 4
    assert sum(inversion_counts((1,) * 10)) == math.factorial(10)
    assert sum(inversion_counts((2, 3, 1))) == math.factorial(6) // (2 * 6)
    # 95.0 and 95.0000000001 are the same value: a tie, not a rise
    assert exact_mann_kendall(np.array([95.0, 95.0000000001, 96.0])).s == 2
    assert exact_mann_kendall(np.array([4.0, 4.0, 4.0])).p_value == 1.0


def test_twenty_years_are_exact_where_a_permutation_test_could_not_enumerate():
    # 20! orderings cannot be enumerated; the inversion polynomial gives the same p as scipy's exact method
    y = np.random.default_rng(1).normal(size=20)
    assert exact_mann_kendall(y).p_value == pytest.approx(stats.kendalltau(np.arange(20), y, method="exact").pvalue,
                                                         abs=1e-12)


def test_benjamini_hochberg_matches_statsmodels_and_scipy_and_skips_missing():
    p = np.array([0.011, 0.40, 0.383, 1.0, 0.239, np.nan, 0.002])
    made = ~np.isnan(p)
    ours = adjust_p_values(p)
    assert np.isnan(ours[5])
    assert ours[made] == pytest.approx(multipletests(p[made], method="fdr_bh")[1])
    assert ours[made] == pytest.approx(stats.false_discovery_control(p[made]))
    assert np.isnan(adjust_p_values(np.array([np.nan]))).all()


def test_moving_average_windows_from_the_title_or_a_curated_flag():
    assert moving_average_years("Fallskador bland personer 80+, 3-årsm, antal/100 000 inv") == 3
    assert moving_average_years("Ohälsotal, 5-årsmedel") == 5
    assert moving_average_years("Väntetid i antal dagar, medelvärde") == 1
    assert moving_average_years(None, curated=3) == 3
    years = np.array([2007, 2008, 2009, 2010, 2011, 2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021])
    assert list(years[independent_years(years, 3)]) == [2009, 2012, 2015, 2018, 2021]
    assert list(years[independent_years(years, 1)]) == list(years)
    gappy = np.array([2013, 2014, 2016, 2019, 2020, 2022])  # 2015 and 2021 missing: those windows are skipped
    assert list(gappy[independent_years(gappy, 3)]) == [2013, 2016, 2019, 2022]


def test_fitted_line_is_scipys_theil_sen():
    years, values = np.arange(2016, 2021, dtype=float), np.array([10.0, 8.0, 6.0, 5.0, 1.0])
    slope, start, end = fitted_line(years, values)
    reference = stats.theilslopes(values, years)
    assert slope == pytest.approx(-2.0)
    assert start == pytest.approx(reference[1] + reference[0] * 2016)
    assert end == pytest.approx(reference[1] + reference[0] * 2020)


@pytest.mark.parametrize("significant, start, end, threshold, expected", [
    (False, 10.0, 1.0, 0.0, TrendWord.NO_CLEAR_TREND),
    (True, 10.0, 1.0, 0.0, TrendWord.DECREASED),
    (True, -10.0, -1.0, 0.0, TrendWord.DECREASED),  # towards zero from below
    (True, 1.0, 10.0, 0.0, TrendWord.INCREASED),
    (True, -1.0, -10.0, 0.0, TrendWord.INCREASED),
    (True, 5.0, -3.0, 0.0, TrendWord.CHANGED_SIGN),  # crosses zero: never "minskat"
    (True, 0.0, 4.0, 0.0, TrendWord.INCREASED),
    (True, 4.0, 3.0, 2.0, TrendWord.NO_MATERIAL_CHANGE),
    (None, 4.0, 3.0, 0.0, TrendWord.NOT_ASSESSED),
])
def test_trend_words_follow_the_fitted_line(significant, start, end, threshold, expected):
    assert trend_word(significant, start, end, threshold) == expected


def test_a_resampled_p_is_never_significant_when_its_interval_includes_alpha():
    text = conclusion(0.049, 0.0001, (12,), "trenden", units="år", method="permutationstest",
                      p_interval=(0.045, 0.053))
    assert "kan inte avgöras" in text and "säkerställd" not in text
    assert "är statistiskt säkerställd" in conclusion(0.049, 0.0001, (12,), "trenden", p_interval=(0.046, 0.0499))
    adjusted = conclusion(0.011, 0.001, (8,), "trenden", p_adjusted=0.055, family_size=5)
    assert "inte statistiskt säkerställd" in adjusted and "justerat för 5 test" in adjusted


def rows(gaps_by_year: dict[int, float], indicator="X", title="x", org="1780", unit=None, polarity="lägre är bättre"):
    out = []
    for year, gap in gaps_by_year.items():
        for sex, value in (("K", 100.0 + gap), ("M", 100.0)):
            out.append({"org_code": org, "org_name": "Karlstad", "indicator_id": indicator, "indicator_title": title,
                        "period": str(year), "sex": sex, "value": value, "unit": unit, "polarity": polarity})
    return pd.DataFrame(out)


def test_moving_average_series_are_tested_on_non_overlapping_years_and_say_so():
    # Karlstad's N20402 gaps 2007–2021 (rounded): overlapping years would give a permutation p near 0.01;
    # the years 2009, 2012, 2015, 2018, 2021 give S = -4 and, with 5! = 120 orderings, p = 58/120.
    gaps = [2945.6, 2424.7, 2039.5, 1451.0, 1485.7, 1671.9, 1670.7, 1623.2, 940.6, 1398.8, 1383.9, 1876.1,
            1488.8, 1471.3, 1212.4]
    data = rows(dict(zip(range(2007, 2022), gaps)), indicator="N20402",
                title="Fallskador bland personer 80+, 3-årsm, antal/100 000 inv", unit="per 100 000 invånare")
    trend = gap_trend(indicator_gaps(data)).iloc[0]
    assert trend["tested_periods"] == "2009, 2012, 2015, 2018, 2021" and trend["moving_average_years"] == 3
    assert trend["kendall_s"] == -4 and trend["p_value"] == pytest.approx(58 / 120)
    assert trend["trend"] == "ingen tydlig trend" and not trend["significant"]
    assert "treårsmedelvärden" in trend["text"] and "inte statistiskt säkerställd" in trend["text"]
    short = gap_trend(indicator_gaps(data[data["period"].astype(int) >= 2016])).iloc[0]
    assert short["n_tested"] == 2 and "kan inte bedömas" in short["text"] and "treårsmedelvärden" in short["text"]


def test_benjamini_hochberg_is_applied_per_organisation_and_the_sentence_uses_the_adjusted_p():
    strong = {2014 + i: g for i, g in enumerate([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0])}  # p = 2/7! per indicator
    weak = {2014 + i: g for i, g in enumerate([3.0, 1.0, 4.0, 1.5, 5.0, 9.0, 2.0])}
    data = pd.concat([rows(strong, "A"), rows(weak, "B"), rows(weak, "C"),
                      rows(strong, "A", org="0180"), rows(weak, "B", org="0180")])
    trend = gap_trend(indicator_gaps(data)).set_index(["org_code", "indicator_id"])
    karlstad = trend.loc["1780"]
    expected = multipletests(karlstad["p_value"].to_numpy(dtype=float), method="fdr_bh")[1]
    assert karlstad["p_adjusted"].to_numpy(dtype=float) == pytest.approx(expected)
    assert (karlstad["tests_in_family"] == 3).all() and (trend.loc["0180", "tests_in_family"] == 2).all()
    assert karlstad.loc["A", "significant"] and "justerat för 3 test" in karlstad.loc["A", "text"]
    assert karlstad.loc["A", "trend"] == "ökat" and "har ökat" in karlstad.loc["A", "text"]


def test_a_gap_that_changes_sign_is_called_so_with_the_sexes():
    flips = {2013 + i: g for i, g in enumerate([9.0, 7.0, 5.0, 2.0, -1.0, -4.0, -6.0, -8.0])}
    trend = gap_trend(indicator_gaps(rows(flips, unit="dagar"))).iloc[0]
    assert trend["significant"] and trend["trend"] == "bytt tecken"
    assert "har bytt tecken" in trend["text"] and "(kvinnor missgynnade)" in trend["text"]
    assert "(män missgynnade)" in trend["text"] and "minskat" not in trend["text"]
    assert trend["fitted_start"] > 0 > trend["fitted_end"]
