"""Materiality thresholds, tie tolerance, counts-known decisions and honest reference comparisons, by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from jamlib.analysis.gaps import compare_with_reference, gap_persistence, indicator_gaps
from jamlib.analysis.materiality import is_material, materiality_threshold
from jamlib.analysis.narrative import persistence_sentence
from jamlib.analysis.proportions import newcombe_interval


def rows(values: dict[str, tuple[float, float]], org="1780", name="Karlstad", indicator="X", unit=None,
         polarity="högre är bättre") -> pd.DataFrame:
    out = []
    for period, (women, men) in values.items():
        for sex, value in (("K", women), ("M", men)):
            out.append({"org_code": org, "org_name": name, "indicator_id": indicator, "indicator_title": "x",
                        "period": period, "sex": sex, "value": value, "unit": unit, "polarity": polarity})
    return pd.DataFrame(out)


def test_thresholds_by_unit_curated_and_overridden():
    assert materiality_threshold("U21504", "procent") == 2.0
    assert materiality_threshold("U23401", "dagar") == 3.0
    assert materiality_threshold("Y", "okänd enhet") == 0.0
    assert materiality_threshold("U23401", "dagar", overrides={"U23401": 7}) == 7.0
    assert is_material(2.0, 2.0) and not is_material(1.0, 2.0)
    assert is_material(1.9999999999, 2.0)  # float noise below the threshold is not a difference either way
    assert not is_material(95.0000001 - 95.0, 0.0, scale=95.0) and is_material(0.001, 0.0)


def test_a_one_point_survey_gap_is_no_disadvantage_and_a_two_point_gap_is():
    gaps = indicator_gaps(rows({"2019": (95.0, 96.0), "2020": (94.0, 96.0), "2021": (95.0, 95.0000000001)},
                               unit="procent")).set_index("period")
    assert gaps.loc["2019", "disadvantaged"] == "ingen" and not gaps.loc["2019", "material"]
    assert gaps.loc["2020", "disadvantaged"] == "K" and gaps.loc["2020", "material"]
    assert gaps.loc["2021", "disadvantaged"] == "ingen"
    overridden = indicator_gaps(rows({"2020": (94.0, 96.0)}, unit="procent"), materiality={"X": 5}).iloc[0]
    assert overridden["disadvantaged"] == "ingen" and overridden["materiality"] == 5


def test_years_in_a_row_count_only_material_gaps_and_name_missing_years():
    data = rows({"2015": (90.0, 95.0), "2016": (94.0, 95.0), "2017": (90.0, 95.0), "2018": (91.0, 95.0),
                 "2020": (89.0, 95.0)}, unit="procent")
    result = gap_persistence(indicator_gaps(data)).iloc[0]
    # 2016's 1-point gap breaks the run: 2017, 2018 and 2020 (2019 missing)
    assert (result["persistence"], result["first_period"], result["missing_periods"]) == (3, "2017", "2019")
    text = persistence_sentence(result, "Karlstad")
    assert "de senaste 3 åren med värden (2017–2020; 2019 saknas)" in text
    small = gap_persistence(indicator_gaps(rows({"2020": (95.0, 96.0)}, unit="procent"))).iloc[0]
    sentence = persistence_sentence(small, "Karlstad")
    assert small["persistence"] == 0 and "inte påtaglig 2020" in sentence and "gränsen" in sentence


def test_where_counts_are_known_newcombe_decides_instead_of_the_threshold():
    def counted(k_women, n_women, k_men, n_men):
        frame = rows({"2020": (100 * k_women / n_women, 100 * k_men / n_men)}, unit="procent")
        frame["numerator"] = [k_women, k_men]
        frame["denominator"] = [n_women, n_men]
        return indicator_gaps(frame).iloc[0]

    # 30 of 40 women against 20 of 38 men: a 22-point gap, Newcombe excludes 0 -> material
    big = counted(30, 40, 20, 38)
    low, high = newcombe_interval(30, 40, 20, 38)
    assert low > 0 and big["material"] and big["disadvantaged"] == "M"
    # 3 of 5 against 1 of 5: a 40-point gap, far above 2 points, but Newcombe includes 0 -> not material
    small = counted(3, 5, 1, 5)
    low, high = newcombe_interval(3, 5, 1, 5)
    assert low < 0 < high and not small["material"] and small["disadvantaged"] == "ingen"


def reference_frame(own: float, others: dict[str, float], unit="procent") -> pd.DataFrame:
    frames = [rows({"2020": (50.0 + own, 50.0)}, unit=unit, polarity="lägre är bättre")]
    for code, gap in others.items():
        frames.append(rows({"2020": (50.0 + gap, 50.0)}, org=code, name=code, unit=unit, polarity="lägre är bättre"))
    return indicator_gaps(pd.concat(frames, ignore_index=True))


def test_sizes_are_compared_not_signed_means_and_the_verdict_agrees_with_the_count():
    # Members' gaps +9 and -9 cancel as a signed mean (0); by size all seven have a larger gap than 6.
    members = {"0001": 9.0, "0002": -9.0, "0003": 10.0, "0004": -10.0, "0005": 12.0, "0006": 8.5, "0007": 5.0}
    result = compare_with_reference(reference_frame(6.0, members), "1780", tuple(members), "gruppen").iloc[0]
    assert result["reference_gap"] == pytest.approx(sum(members.values()) / 7)  # the charted signed mean
    assert result["reference_size"] == pytest.approx(9.0)  # median of 5, 8.5, 9, 9, 10, 10, 12
    assert result["larger"] == "mindre"
    assert (result["members_with_smaller_gap"], result["members_with_larger_gap"]) == (0, 6)  # 5 is within 2 points
    assert "0 av 7 jämförda kommuner har en mindre skillnad än Karlstad, 6 en större och 1 ungefär lika stor" in result["text"]
    # women are disadvantaged in Karlstad (lower is better, women higher); in two members men are
    assert result["members_other_sex"] == 2 and "I 2 av dem missgynnas i stället män" in result["text"]


def test_no_larger_or_smaller_below_materiality_and_the_other_sex_in_riket_is_named():
    close = compare_with_reference(reference_frame(6.0, {"0000": 4.5}), "1780", ("0000",), "Riket").iloc[0]
    assert close["larger"] == "lika stort" and "ungefär lika stor som i Riket" in close["text"]
    assert "större" not in close["text"] and "mindre än i" not in close["text"]
    opposite = compare_with_reference(reference_frame(6.0, {"0000": -3.0}), "1780", ("0000",), "Riket").iloc[0]
    assert opposite["larger"] == "större" and not opposite["same_direction"]
    assert "I Riket är det i stället män som missgynnas" in opposite["text"]


@pytest.mark.parametrize("own, members", [
    (5.0, {"a": 1.0, "b": 2.0, "c": 30.0, "d": 40.0}),  # even n, half smaller
    (20.0, {"a": 10.0, "b": -30.0}),
    (3.0, {"a": 2.0, "b": 2.5, "c": 3.5, "d": 4.0, "e": 9.0}),
])
def test_verdict_and_member_count_can_never_contradict(own, members):
    members = {f"00{i}{k}": v for i, (k, v) in enumerate(members.items())}
    result = compare_with_reference(reference_frame(own, members, unit=None), "1780", tuple(members), "g").iloc[0]
    n = result["reference_members"]
    if result["larger"] == "större":
        assert result["members_with_smaller_gap"] >= n / 2 and result["members_with_larger_gap"] <= n / 2
    elif result["larger"] == "mindre":
        assert result["members_with_larger_gap"] >= n / 2 and result["members_with_smaller_gap"] <= n / 2
    else:
        assert result["members_with_smaller_gap"] <= n / 2 and result["members_with_larger_gap"] <= n / 2
