"""Disclosure control: nothing under the threshold is shown or recoverable as T − M."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jamlib.analysis.disclosure import shown_only, suppress_small_counts


def counts(k: int, m: int, period: str = "2020") -> pd.DataFrame:
    rows = [("K", k), ("M", m), ("T", k + m)]
    return pd.DataFrame([{"org_code": "0484", "org_name": "Eskilstuna", "indicator_id": "X", "period": period,
                          "sex": s, "value": float(v), "numerator": float(v), "denominator": float(v)} for s, v in rows])


def test_small_k_is_hidden_and_m_too_so_t_cannot_be_split():
    out = suppress_small_counts(counts(3, 40)).set_index("sex")
    assert out.loc["K", "suppression"] == "primär" and out.loc["M", "suppression"] == "sekundär"
    assert not out.loc["T", "suppressed"] and out.loc["T", "value"] == 43
    assert out.loc["K", "display"] == "färre än 5" and pd.isna(out.loc["K", "numerator"])
    chart = shown_only(suppress_small_counts(counts(3, 40)))
    assert list(chart["sex"]) == ["T"] and "numerator" not in chart.columns


def test_nothing_hidden_when_every_base_is_large_enough_and_input_untouched():
    data = counts(5, 7)
    out = suppress_small_counts(data)
    assert not out["suppressed"].any() and list(out["display"]) == ["5,0", "7,0", "12,0"]
    assert "suppressed" not in data.columns


def test_threshold_is_configurable_and_zero_counts_are_hidden():
    assert suppress_small_counts(counts(8, 12), threshold=10)["suppressed"].tolist() == [True, True, False]
    zero = suppress_small_counts(counts(0, 2)).set_index("sex")
    assert zero["suppressed"].all() and zero.loc["T", "display"] == "färre än 5"


@settings(max_examples=300, deadline=None)
@given(k=st.integers(0, 60), m=st.integers(0, 60), threshold=st.integers(1, 11))
def test_no_value_under_the_threshold_can_be_recovered(k, m, threshold):
    out = suppress_small_counts(counts(k, m), threshold=threshold)
    shown = out[~out["suppressed"]].set_index("sex")["value"].to_dict()
    # every shown value rests on at least `threshold` persons
    assert all(v >= threshold for v in shown.values())
    # whatever can be derived from the shown cells (T − M, T − K, K + M) is itself at least the threshold
    derived = []
    if {"T", "M"} <= shown.keys():
        derived.append(shown["T"] - shown["M"])
    if {"T", "K"} <= shown.keys():
        derived.append(shown["T"] - shown["K"])
    if {"K", "M"} <= shown.keys():
        derived.append(shown["K"] + shown["M"])
    assert all(v >= threshold for v in derived)
    # and no hidden number lingers anywhere in the shown rows
    hidden = out[out["suppressed"]]
    assert hidden[["value", "numerator", "denominator"]].isna().all().all()


def test_indicator_report_hides_small_counts_before_anything_is_computed():
    from jamlib.report.indicator_report import indicator_report

    rows = []
    for period, (k, nk, m, nm) in {"2020": (2, 3, 20, 40), "2021": (10, 30, 12, 40)}.items():
        for sex, num, den in (("K", k, nk), ("M", m, nm), ("T", k + m, nk + nm)):
            rows.append({"org_code": "0484", "org_name": "Eskilstuna", "indicator_id": "X", "indicator_title": "Andel",
                         "period": period, "sex": sex, "value": 100 * num / den, "numerator": float(num),
                         "denominator": float(den), "polarity": "högre är bättre", "unit": "procent"})
    report = indicator_report(pd.DataFrame(rows), "0484", ["X"], reference=None)
    gaps = report.gaps.set_index("period")
    assert "2020" not in gaps.index  # K rested on 3 persons: neither K nor M is shown, so no gap for 2020
    assert gaps.loc["2021", "value_K"] == pytest.approx(100 / 3)
    assert report.suppressed_cells == 2 and "färre än 5" in " ".join(report.sentences["text"])


def test_an_empty_table_passes_through():
    out = suppress_small_counts(counts(5, 5).iloc[0:0])
    assert out.empty and {"suppressed", "display"} <= set(out.columns)


def _share(sex_rows: list[tuple[str, float, float]], unit: str = "procent") -> pd.DataFrame:
    return pd.DataFrame([{"org_code": "0484", "org_name": "Eskilstuna", "indicator_id": "S", "period": "2020",
                          "sex": s, "value": 100 * n / d, "numerator": n, "denominator": d, "unit": unit}
                         for s, n, d in sex_rows])


def test_a_small_numerator_is_hidden_even_when_the_denominator_is_large():
    # 2 of 10 women: the share 20 % would tell about two persons
    out = suppress_small_counts(_share([("K", 2, 10), ("M", 6, 12), ("T", 8, 22)])).set_index("sex")
    assert out.loc["K", "suppression"] == "primär" and out.loc["M", "suppression"] == "sekundär"
    assert out.loc["T", "display"] == "36,4"


def test_the_complement_of_a_share_is_protected_too():
    # 38 of 40 men: the 2 men who did not answer yes are a small group
    out = suppress_small_counts(_share([("K", 30, 40), ("M", 38, 40), ("T", 68, 80)])).set_index("sex")
    assert out.loc["M", "suppressed"] and out.loc["K", "suppressed"] and not out.loc["T", "suppressed"]


def test_a_count_of_three_women_is_hidden():
    counts_only = pd.DataFrame([{"org_code": "0484", "org_name": "Eskilstuna", "indicator_id": "A", "period": "2020",
                                 "sex": s, "value": v, "unit": "antal"} for s, v in (("K", 3.0), ("M", 12.0), ("T", 15.0))])
    out = suppress_small_counts(counts_only).set_index("sex")
    assert out.loc["K", "display"] == "färre än 5" and pd.isna(out.loc["K", "value"])
    assert out.loc["M", "suppressed"] and out.loc["T", "value"] == 15.0
