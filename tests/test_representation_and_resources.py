"""Representation units against a user-set target, exact intervals, money shares, resources per woman and man, 5R."""

from __future__ import annotations

import json
import subprocess

import pandas as pd
import pytest
from scipy import stats

from jamlib.analysis.five_r import FIVE_R, five_r_record, five_r_table
from jamlib.analysis.representation import (check_units, parse_target, representation_sentences,
                                            representation_summary, representation_table, resource_sentences,
                                            resources_per_person, unit_classes, unit_shares)
from jamlib.cli import main
from jamlib.errors import ParameterError
from jamlib.ingest.checked import load_checked
from tests.conftest import RAW, ROOT

FESTIVAL = RAW / "representation" / "destination_eskilstuna_stadsfestival_2022.csv"


@pytest.fixture
def jam(capsys):
    """Run ``jam`` in this process (as the console script does) and return its exit code and printed text."""

    def run(*args: str) -> subprocess.CompletedProcess:
        code = main(list(args))
        captured = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, captured.out, captured.err)

    return run


def test_jam_representation_reproduces_the_festival_four_of_five(jam):
    # Eskilstuna report: "Av fem bokade artister var fyra av fem kvinnodominerade" and "80% av akterna"
    done = jam("representation", str(FESTIVAL))
    assert done.returncode == 0, done.stderr
    assert "fyra av fem akter (80 %) är kvinnodominerade" in done.stdout
    assert "Andelen kvinnodominerade akter (80 %) ligger 30 procentenheter över målets 50 %." in done.stdout
    # the user sets the target: the same acts against 30/70
    other = jam("representation", str(FESTIVAL), "--mal", "30/70")
    assert "Målet är 30 % kvinnor och 70 % män." in other.stdout and "50 procentenheter över målets 30 %" in other.stdout
    numbers = json.loads(jam("representation", str(FESTIVAL), "--format", "json").stdout)[0]
    assert (numbers["units"], numbers["women_class"], numbers["share_women_class"]) == (5, 4, 0.8)
    assert numbers["distance_units"] == pytest.approx(30.0)


def test_exact_interval_for_four_of_five_is_clopper_pearson():
    summary = representation_summary(load_checked(FESTIVAL).data)
    # Clopper–Pearson limits are beta quantiles (computed here by a different route than the code)
    assert summary.loc[0, "low_women_class"] == pytest.approx(stats.beta.ppf(0.025, 4, 2), abs=1e-9)
    assert summary.loc[0, "high_women_class"] == pytest.approx(stats.beta.ppf(0.975, 5, 1), abs=1e-9)
    assert "28 %–99 %" in " ".join(representation_sentences(summary))


def test_staff_against_esem_own_target(tmp_path, jam):
    # ESEM: "cirka 25% kvinnor och 75% män", target "30% kvinnor och 70% män" (counts per group invented)
    path = tmp_path / "personal.csv"
    path.write_text("Organisation;År;Enhet;Typ av enhet;Kvinnor;Män\n"
                    "ESEM;2019;Drift;personalgrupp;5;55\nESEM;2019;Administration;personalgrupp;15;5\n"
                    "ESEM;2019;Ledning;personalgrupp;5;15\n", encoding="utf-8")
    summary = representation_summary(load_checked(path).data, "30/70")
    row = summary.iloc[0]
    assert (row["persons_women"], row["persons_men"], row["share_women_persons"]) == (25, 75, 0.25)
    assert row["distance_persons"] == pytest.approx(-5.0)
    low, high = stats.beta.ppf(0.025, 25, 76), stats.beta.ppf(0.975, 26, 75)
    assert (row["low_women_persons"], row["high_women_persons"]) == pytest.approx((low, high), abs=1e-9)
    text = " ".join(representation_sentences(summary))
    assert "Bland personerna är 25 kvinnor och 75 män." in text
    assert "ligger 5 procentenheter under målets 30 %" in text
    done = jam("representation", str(path), "--mal", "30/70")
    assert "ligger 5 procentenheter under målets 30 %" in done.stdout


def test_money_per_class_by_hand():
    units = pd.DataFrame({"org_name": "Festivalen", "period": "2019", "unit_name": list("ABCDE"), "unit_type": "akt",
                          "women": [1, 3, 0, 2, 1], "men": [0, 1, 5, 2, 0], "other": [0, 0, 0, 0, 1],
                          "amount": [10_000.0, 20_000.0, 100_000.0, 30_000.0, None]})
    classes = unit_classes(units)
    assert classes.tolist() == ["kvinnodominerad", "kvinnodominerad", "mansdominerad", "mixad", "mixad"]
    row = representation_summary(units).iloc[0]
    assert row["amount"] == 160_000 and row["amount_known_units"] == 4
    assert row["share_amount_women_class"] == pytest.approx(30_000 / 160_000)
    assert row["distance_amount"] == pytest.approx((30_000 / 160_000 - 0.5) * 100)
    assert "Beloppet saknas för en av de fem akterna." in " ".join(representation_sentences(representation_summary(units)))
    table = representation_table(units).set_index("Klass")
    assert table.loc["mansdominerad", "Andel av beloppet"] == "63 %"  # 100 000 / 160 000 = 62,5 % -> 63 %
    assert list(units.columns)[-1] == "amount"  # input not modified


def test_a_given_class_that_contradicts_the_counts_and_a_unit_without_either():
    units = pd.DataFrame({"org_name": "Kommunföretag", "period": "2020", "unit_name": ["Damlaget", "Herrlaget", "Okänt"],
                          "women": [2, None, None], "men": [20, None, None], "unit_class": ["kvinnodominerad", "mansdominerad", None],
                          "source_file": "sponsring.csv", "source_row": [2, 3, 4]})
    found = check_units(units).set_index("rule")
    assert found.loc["klass_motsäger_antal", "row"] == 2 and "mansdominerad" in found.loc["klass_motsäger_antal", "message"]
    assert found.loc["klass_saknas", "row"] == 4
    assert unit_classes(units).tolist() == ["kvinnodominerad", "mansdominerad", "utan klass"]  # the given class wins


@pytest.mark.parametrize("text, share", [("50/50", 0.5), ("30/70", 0.3), ("30", 0.3), ("30 %", 0.3), ("0,4", 0.4),
                                         (0.25, 0.25), (40, 0.4)])
def test_targets(text, share):
    assert parse_target(text) == pytest.approx(share)


@pytest.mark.parametrize("text", ["30/60", "jämställt", "150", ""])
def test_wrong_targets_are_refused_in_swedish(text):
    with pytest.raises(ParameterError, match="Målet"):
        parse_target(text)


def test_resources_per_woman_and_man_and_the_consequence_sentence():
    resources = load_checked(RAW / "resources" / "femr_exempel_konstruerad.csv").data
    table = resources_per_person(resources).set_index("resource")
    home = table.loc["beviljad hemtjänst"]
    assert (home["per_person_K"], home["per_person_M"]) == (98_000 / 560, 60_900 / 290)  # 175 and 210 hours
    assert home["equalising_amount"] == pytest.approx((210 - 175) * 560)
    sentences = resource_sentences(resources_per_person(resources))
    assert "Män fick alltså 35,0 timmar mer per person, 20 % mer." in sentences[0]
    assert "ytterligare 19\u202f600 timmar" in sentences[0]
    assert "lika fördelad per person" in sentences[1]  # 50 visits each


def test_unit_shares_do_not_add_up_a_board_its_staff_and_its_users():
    units = load_checked(RAW / "representation" / "femr_exempel_konstruerad.csv").data
    assert pd.isna(representation_summary(units).loc[0, "share_women_persons"])
    per_unit = unit_shares(units).set_index("unit_name")
    assert per_unit.loc["Brukare med beviljad hemtjänst", "share_women"] == pytest.approx(560 / 850)
    assert "560 kvinnor och 290 män" in per_unit.loc["Brukare med beviljad hemtjänst", "text"]


def test_five_r_record_keeps_numbers_and_judgements_apart():
    record = five_r_record("Ny idrottshall", "Kultur- och fritidsnämnden", {"R1": ["60 % av utövarna är pojkar."]},
                           {"R4": "Tiderna fördelas efter tradition.", "R5": ""}, {"R1": "enheter.csv"})
    assert [p["r"] for p in record["delar"]] == ["R1", "R2", "R3", "R4", "R5"]
    assert record["delar"][0]["beräknat"] == ["60 % av utövarna är pojkar."] and record["delar"][3]["beräknat"] == []
    table = five_r_table(record).set_index("Del")
    assert table.loc["R2 Resurser", "Beräknat ur data"] == "inga data angivna"
    assert table.loc["R5 Realisera", "Analys"] == "ej ifyllt"
    assert len(FIVE_R[0].questions) == 4  # nämnden, verksamheten, brukarna, de som tar del av investeringen
    with pytest.raises(ParameterError, match="R1–R5"):
        five_r_record("x", "y", {"R6": []}, {})
    with pytest.raises(ParameterError, match="aktivitet"):
        five_r_record(" ", "y", {}, {})


@pytest.fixture(scope="module")
def notebooks_run(tmp_path_factory):
    """The 5R and representation notebooks with non-default parameters, run as a batch of two reports."""
    from jamlib.run.batch import Job, run_jobs

    out = tmp_path_factory.mktemp("rapporter")
    record = out / "5r.json"
    jobs = [Job(ROOT / "notebooks" / "femr_analys.ipynb", {"realia": "Män har fler timmar beviljade.", "utfil": str(record)},
                "–", "5R", "femr"),
            Job(ROOT / "notebooks" / "representation.ipynb", {"mal": "40/60"}, "–", "Representation", "representation")]
    result = run_jobs(jobs, out, workers=2)
    assert [e.status for e in result.entries] == ["klar", "klar"], [e.message for e in result.entries]
    return out, record


def test_five_r_notebook_saves_its_record(notebooks_run):
    from tests.test_reports import outputs_text

    out, record = notebooks_run
    saved = json.loads(record.read_text(encoding="utf-8"))
    assert saved["delar"][3]["analys"] == "Män har fler timmar beviljade."
    assert any("175,0 timmar" in s for s in saved["delar"][1]["beräknat"])
    assert saved["delar"][2]["beräknat"]  # R3 from Kolada
    assert "R5 Realisera" in outputs_text(out / "notebooks" / "femr.ipynb")


def test_representation_notebook_with_a_target(notebooks_run):
    out, _ = notebooks_run
    page = (out / "representation.html").read_text(encoding="utf-8")
    assert "40 procentenheter över målets 40 %" in page and "jam-chart" in page


def test_fewer_than_five_women_or_men_never_reach_the_output(tmp_path, jam):
    path = tmp_path / "liten.csv"
    path.write_text("Organisation;År;Enhet;Typ av enhet;Kvinnor;Män\n"
                    "Bolaget AB;2021;Drift;personalgrupp;3;40\nBolaget AB;2021;Ekonomi;personalgrupp;0;9\n",
                    encoding="utf-8")
    resources = tmp_path / "resurser.csv"
    resources.write_text("Organisation;År;Resurs;Kön;Mängd;Antal personer;Enhet\n"
                         "Bolaget AB;2021;friskvårdsbidrag;kvinnor;6000;3;kronor\n"
                         "Bolaget AB;2021;friskvårdsbidrag;män;98000;49;kronor\n", encoding="utf-8")
    units = load_checked(path).data
    summary = representation_summary(units)
    assert summary.loc[0, "persons_hidden"] and pd.isna(summary.loc[0, "persons_women"])
    per_unit = unit_shares(units)
    assert per_unit["women"].isna().all() and all("färre än 5" in t for t in per_unit["text"])
    for fmt in ("table", "csv", "json"):
        out = jam("representation", str(path), str(resources), "--format", fmt).stdout
        assert " 3 kvinnor" not in out and "6000" not in out and "6 000" not in out and "2000" not in out, fmt
        assert "\"persons_women\":3" not in out.replace(" ", "") and ";3.0;" not in out, fmt
    table_out = jam("representation", str(path), str(resources)).stdout
    assert "färre än 5, så antal och andel kvinnor visas inte" in table_out
    assert "färre än 5, så resurserna per person visas inte" in table_out
