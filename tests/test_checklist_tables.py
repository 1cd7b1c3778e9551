"""SKR's Tabell 1 and 2 come back from the bundled scores, and the published-table check finds the misprints."""

from __future__ import annotations

import pandas as pd
import pytest

from jamlib import check_published_table, load, read_published, suggest_corrections
from jamlib.formatting import format_decimal, round_half_up
from jamlib.analysis.checklist import checklist_table, format_checklist_table
from jamlib.cli import main
from tests.conftest import RAW

SCORES = RAW / "checklist" / "modellkonceptet_2020_2022_konstruerad.csv"
TABLE1 = RAW / "published" / "skr_2020_2022_tabell_1_deltagare.csv"
TABLE2 = RAW / "published" / "skr_2020_2022_tabell_2_mentorer.csv"
COLUMNS = ["Moment", "Uppstart", "Träff 1", "Träff 2", "Träff 3", "+/-"]


def printed(path) -> list[list[str]]:
    return pd.read_csv(path, sep=";", dtype=str)[COLUMNS].values.tolist()


def computed(role: str) -> list[list[str]]:
    scores = load(SCORES).data
    return format_checklist_table(checklist_table(scores, "2020–2022", role)).values.tolist()


def test_tabell_1_is_reproduced_cell_for_cell():
    assert computed("deltagare") == printed(TABLE1)


def test_tabell_2_is_reproduced_except_where_the_printed_table_contradicts_itself():
    ours, theirs = computed("mentor"), printed(TABLE2)
    differing = {(r, c) for r in range(11) for c in range(6) if ours[r][c] != theirs[r][c]}
    # Row 4 is moment 5 (its +/-), row 10 the Totalt row: exactly the cells data/raw/README.md names.
    assert differing == {(4, 5), (10, 3), (10, 4), (10, 5)}
    assert ours[10][1:] == ["22,0", "25,0", "26,8", "30,3", "8,3"]


def test_group_means_take_each_organisations_mean_over_raters_first():
    rows = [("2020–2022", "A", "deltagare", "uppstart", 1, 1.0, "r1"),
            ("2020–2022", "A", "deltagare", "uppstart", 1, 2.0, "r2"),
            ("2020–2022", "A", "deltagare", "uppstart", 1, 3.0, "r3"),
            ("2020–2022", "B", "deltagare", "uppstart", 1, 4.0, "r1")]
    scores = pd.DataFrame(rows, columns=["round", "org_name", "role", "occasion", "moment", "score", "rater"])
    table = checklist_table(scores, "2020–2022", "deltagare")
    assert table.loc[1, "uppstart"] == pytest.approx((2.0 + 4.0) / 2)  # not (1+2+3+4)/4 = 2.5
    assert table.attrs["organisations"] == {"uppstart": 1 + 1}


@pytest.mark.parametrize(("value", "expected"), [(2.25, 2.3), (2.75, 2.8), (1.25, 1.3), (2.35, 2.4), (-0.25, -0.3),
                                                 (2.5416666666666665 - 1.2916666666666667, 1.3), (2.1666666, 2.2)])
def test_rounding_is_half_away_from_zero_as_printed(value, expected):
    assert round_half_up(value, 1) == expected


def test_swedish_number_format():
    assert format_decimal(28.5) == "28,5"
    assert format_decimal(1234.56) == "1\u202f234,6"
    assert format_decimal(-0.25) == "\u22120,3"
    assert format_decimal(float("nan")) == ""


def test_tabell_1_is_consistent():
    assert check_published_table(read_published(TABLE1)).empty
    assert suggest_corrections(read_published(TABLE1)).empty


def test_tabell_2_findings_and_the_cell_that_explains_most():
    table = read_published(TABLE2)
    findings = check_published_table(table)
    assert sorted(zip(findings["row"], findings["column"])) == [("5", "+/-"), ("Totalt", "Träff 2"), ("Totalt", "Träff 3")]
    # Hand computation: the printed Träff 2 cells 4,0+3,3+3,0+3,0+2,0+2,0+2,0+2,3+2,3+3,0 = 26,9,
    # and ten cells of ±0,05 allow ±0,5: 26,4–27,4, which 27,8 (27,75–27,85) misses.
    t2 = findings.set_index(["row", "column"]).loc[("Totalt", "Träff 2")]
    assert t2["possible_low"] == pytest.approx(26.4) and t2["possible_high"] == pytest.approx(27.4)
    best = suggest_corrections(table).iloc[0]
    # Moment 5 at Träff 3 printed 2,5: if it were 3,25 the Träff 3 total would be 31,0 and the change 0,75 -> 0,8.
    assert (best["row"], best["column"], best["explains"]) == ("5", "Träff 3", 2)
    assert best["fits_low"] <= 3.3 <= best["fits_high"]


def test_checklist_check_cli_exit_codes(capsys):
    assert main(["checklist", "check", str(TABLE1)]) == 0
    assert main(["checklist", "check", str(TABLE2)]) == 1
    out = capsys.readouterr().out
    assert "moment 5, Träff 3" in out and "inga" not in out.split("Tabell 2")[1][:30]


def test_checklist_table_cli_from_a_file(capsys):
    assert main(["checklist", "table", "--round", "2020–2022", "--role", "deltagare", "--file", str(SCORES), "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "Totalt;17,8;19,8;23,9;28,5;10,8"


def test_moments_ranked_by_improvement_match_what_the_report_says():
    from jamlib.analysis.checklist import rank_improvements

    ranked = rank_improvements(checklist_table(load(SCORES).data, "2020–2022", "deltagare"))
    # The report: the largest improvement is moment 2 (+1,5); moments 1, 4, 8 and 10 follow (+1,3);
    # the least are moments 3, 6 and 9 (+0,8).
    assert ranked.iloc[0]["moment"] == 2 and ranked.iloc[0]["change_printed"] == "1,5"
    assert set(ranked[ranked["rank"] == 2]["moment"]) == {1, 4, 8, 10}
    assert set(ranked[ranked["rank"] == ranked["rank"].max()]["moment"]) == {3, 6, 9}
