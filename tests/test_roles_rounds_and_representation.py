"""Mentor vs participant, rounds side by side, trajectories, representation and resources."""

from __future__ import annotations

import pandas as pd
import pytest

from jamlib import load
from jamlib.analysis.checklist import checklist_table, compare_rounds, organisation_trajectories
from jamlib.errors import JamlibError
from jamlib.analysis.representation import classify_act, classify_acts, representation_shares
from jamlib.analysis.role_comparison import compare_roles
from tests.conftest import RAW


@pytest.fixture(scope="module")
def scores() -> pd.DataFrame:
    return load(RAW / "checklist" / "modellkonceptet_2020_2022_konstruerad.csv", "checklist").data


def test_roles_rest_on_organisations_and_say_nothing_can_be_concluded(scores):
    result = compare_roles(scores, "2020–2022")
    levels = result[result["comparison"] == "nivå"].set_index("occasion")
    assert set(levels["n_mentor"]) == {2} and set(levels["n_participant"]) == {4}
    # the level of each role equals Totalt of Tabell 1/2 (same organisation means, another route)
    assert levels.loc["uppstart", "mean_participant"] == pytest.approx(checklist_table(scores, "2020–2022", "deltagare").loc["Totalt", "uppstart"])
    assert levels.loc["träff 3", "mean_mentor"] == pytest.approx(checklist_table(scores, "2020–2022", "mentor").loc["Totalt", "träff 3"])
    # 2 vs 4 organisations: no test can reach 0.05, and every sentence says so
    assert result["minimum_p"].min() > 0.05
    assert all("kan inte avgöras" in text for text in result["text"])
    assert (result["p_value"] >= result["minimum_p"] - 1e-12).all()


def test_roles_need_both_roles(scores):
    # Issue 11: a round without mentors gives a sentence, not an error; a round without scores is still an error.
    result = compare_roles(scores[scores["role"] == "deltagare"], "2020–2022")
    levels = result[result["comparison"] == "nivå"]
    assert (levels["n_mentor"] == 0).all() and levels["p_value"].isna().all()
    assert all("har inga mentorer" in text for text in levels["text"])
    with pytest.raises(JamlibError, match="mentor"):
        compare_roles(scores, "1999–2001")


def test_trajectories_per_organisation(scores):
    traj = organisation_trajectories(scores, "2020–2022", "deltagare")
    assert sorted(traj["org_name"].unique()) == ["Karlskrona", "Karlstad", "Kramfors", "Vaxholm"]
    first = traj.groupby("org_name").first()
    assert (first["change_since_start"] == 0).all() and (first["moments_scored"] == 10).all()
    # a partial occasion gets no total (a sum of 9 moments would look like a fall)
    partial = scores[~((scores["org_name"] == "Karlstad") & (scores["occasion"] == "träff 3") & (scores["moment"] == 10))]
    row = organisation_trajectories(partial, "2020–2022", "deltagare").set_index(["org_name", "occasion"]).loc[("Karlstad", "träff 3")]
    assert row["moments_scored"] == 9 and pd.isna(row["total"])


def test_rounds_side_by_side_with_their_organisation_counts(scores):
    later = scores.assign(round="2023–2025", score=scores["score"].clip(upper=3))
    later = later[later["org_name"] != "Vaxholm"]
    both = compare_rounds(pd.concat([scores, later], ignore_index=True), "deltagare")
    total = both[both["moment"] == "Totalt"].set_index("round")
    assert list(total.index) == ["2020–2022", "2023–2025"]
    assert total.loc["2020–2022", "organisations_last"] == 4 and total.loc["2023–2025", "organisations_last"] == 3
    assert total.loc["2020–2022", "change"] == pytest.approx(checklist_table(scores, "2020–2022", "deltagare").loc["Totalt", "change"])
    assert len(scores) == len(load(RAW / "checklist" / "modellkonceptet_2020_2022_konstruerad.csv", "checklist").data)


@pytest.mark.parametrize("women, men, other, expected", [
    (3, 1, 0, "kvinnodominerad"), (1, 0, 0, "kvinnodominerad"), (0, 4, 0, "mansdominerad"),
    (2, 2, 0, "mixad"), (1, 1, 2, "mixad"), (0, 0, 1, "mixad"), (2, 1, 1, "mixad"), (3, 1, 1, "kvinnodominerad"),
])
def test_jamstalld_festival_rule(women, men, other, expected):
    assert classify_act(women, men, other) == expected


def test_eskilstuna_2022_four_of_five_acts_and_money_shares():
    # "Av fem bokade artister var fyra av fem kvinnodominerade" (Eskilstuna report, stadsfestival 2022);
    # fees invented for the test, computed by hand.
    acts = pd.DataFrame({"women": [1, 3, 4, 2, 0], "men": [0, 1, 1, 0, 5], "fee": [10_000, 20_000, 30_000, 40_000, 100_000]})
    shares = representation_shares(classify_acts(acts), amount="fee").set_index("class")
    assert shares.loc["kvinnodominerad", "count"] == 4 and shares.loc["kvinnodominerad", "share_of_count"] == 0.8
    assert shares.loc["kvinnodominerad", "share_of_amount"] == pytest.approx(100_000 / 200_000)
    assert shares.loc["balans", "distance_from_50_50"] == pytest.approx(30.0)  # 80 % vs the 50 % goal
    assert shares.loc["balans", "distance_from_50_50_amount"] == pytest.approx(0.0)
    assert list(acts.columns) == ["women", "men", "fee"]  # input not modified
    with pytest.raises(JamlibError):
        classify_act(0, 0, 0)
