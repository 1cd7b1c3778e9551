"""Regions with the notebooks' defaults, rounds typed with a hyphen, and rounds with one mentor or none
(issue 11), through `jam` and the papermill command line as users type them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

import jamlib
from jamlib.analysis.checklist import checklist_table, compare_rounds, rounds_and_roles, select_rounds
from jamlib.analysis.narrative import role_sentences
from jamlib.analysis.reference import resolve_reference
from jamlib.analysis.role_comparison import compare_roles
from jamlib.cli import main
from jamlib.errors import JamlibError
from tests.conftest import RAW, ROOT

NOTEBOOKS = ROOT / "notebooks"
PAPERMILL = [sys.executable, "-m", "papermill", "--no-progress-bar"]
BUNDLED = RAW / "checklist" / "modellkonceptet_2020_2022_konstruerad.csv"


@pytest.fixture(scope="module")
def rounds_file(tmp_path_factory) -> Path:
    """Three rounds as a municipality might keep them: hyphens in the file, one round with a single mentor
    (Kalmar left), one with participants only."""
    bundled = pd.read_csv(BUNDLED, sep=";", dtype=str)
    one_mentor = bundled[~((bundled["Roll"] == "mentor") & (bundled["Organisation"] == "Kalmar"))].assign(Omgång="2016-2018")
    no_mentor = bundled[bundled["Roll"] == "deltagare"].assign(Omgång="2018-2020")
    path = tmp_path_factory.mktemp("omgangar") / "omgangar.csv"
    pd.concat([one_mentor, no_mentor, bundled]).to_csv(path, sep=";", index=False)
    return path


@pytest.fixture(scope="module")
def scores(rounds_file) -> pd.DataFrame:
    return jamlib.load(rounds_file, "checklist", allow_half_points=True).data


# -- rounds as people type them ----------------------------------------------------------------------------

def test_a_hyphen_finds_the_round_and_tables_print_the_en_dash(scores):
    assert rounds_and_roles(scores) == {"2016–2018": ["deltagare", "mentor"], "2018–2020": ["deltagare"],
                                        "2020–2022": ["deltagare", "mentor"]}
    table = checklist_table(scores, "2016-2018", "mentor")
    assert table.attrs["round"] == "2016–2018" and table.attrs["organisations"]["uppstart"] == 1
    assert checklist_table(scores, "2020 - 2022", "deltagare").equals(checklist_table(scores, "2020–2022", "deltagare"))
    assert list(select_rounds(scores, "2018-2020, 2016-2018")["round"].unique()) == ["2016–2018", "2018–2020"]
    assert set(compare_rounds(scores, "deltagare")["round"]) == {"2016–2018", "2018–2020", "2020–2022"}
    with pytest.raises(JamlibError, match=r"2019–2021 finns inte.*2018–2020 \(deltagare\)"):
        select_rounds(scores, "2019-2021")


def test_one_mentor_gives_a_sentence_not_a_crash(scores):
    comparison = compare_roles(scores, "2016-2018")
    level = comparison[comparison["comparison"] == "nivå"].iloc[0]
    assert level["n_mentor"] == 1 and level["n_participant"] == 4 and not pd.isna(level["p_value"])
    # one mentor among five organisations: 5 ways to pick "the mentor", the most extreme two-sided p is 2/5 (by hand)
    assert level["minimum_p"] == pytest.approx(0.4)
    assert level["text"].startswith("Skillnaden mellan mentorer och deltagare") and "kan inte avgöras" in level["text"]
    assert "med 1 och 4 organisationer" in level["text"] and "0,4" in level["text"]
    # Örnsköldsvik alone at Uppstart: its own total, not a test.
    bundled = jamlib.load(BUNDLED, "checklist", allow_half_points=True).data
    alone = bundled[(bundled["org_name"] == "Örnsköldsvik") & (bundled["occasion"] == "uppstart")]
    total = alone.groupby("moment")["score"].mean().sum()
    assert level["mean_mentor"] == pytest.approx(total)
    own = comparison[comparison["comparison"] == "förändring mentor"].iloc[0]
    assert own["minimum_p"] == pytest.approx(1.0) and own["text"].startswith("Mentorernas förändring")
    assert "kan inte avgöras statistiskt: med 1 organisation kan" in own["text"]
    sentences = role_sentences(comparison)
    assert any("kan inte avgöras" in s for s in sentences) and not any("  " in s for s in sentences)


def test_no_mentors_gives_one_sentence(scores):
    comparison = compare_roles(scores, "2018-2020")
    assert (comparison.loc[comparison["comparison"] == "nivå", "n_mentor"] == 0).all()
    assert role_sentences(comparison) == ["Omgång 2018–2020 har inga mentorer med skattningar, så mentorer och "
                                          "deltagare kan inte jämföras."]
    with pytest.raises(JamlibError, match="Omgångar i data: 2016–2018 \\(deltagare, mentor\\)"):
        compare_roles(scores, "1999-2001")


def test_jam_checklist_with_hyphens_one_mentor_and_none(rounds_file, capsys):
    assert main(["checklist", "table", "--round", "2016-2018", "--role", "mentor", "--file", str(rounds_file)]) == 0
    out = capsys.readouterr().out
    assert "Omgång 2016–2018, mentor" in out and "antal organisationer: Uppstart: 1" not in out
    assert main(["checklist", "roles", "--round", "2016-2018", "--file", str(rounds_file)]) == 0
    captured = capsys.readouterr()
    assert "med 1 och 4 organisationer" in captured.out and "Traceback" not in captured.err
    assert main(["checklist", "roles", "--round", "2018-2020", "--file", str(rounds_file)]) == 0
    assert "har inga mentorer" in capsys.readouterr().out


def run_papermill(tmp_path: Path, notebook: str, *args: str) -> tuple[subprocess.CompletedProcess, str]:
    out = tmp_path / f"ut_{notebook}"
    result = subprocess.run([*PAPERMILL, str(NOTEBOOKS / notebook), str(out), *args], cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    texts = []
    if out.exists():
        for cell in nbformat.read(out, 4).cells:
            for output in cell.get("outputs", []):
                assert output.get("output_type") != "error", output.get("evalue")
                texts.append(output.get("text", "") + json.dumps(output.get("data", {}), ensure_ascii=False))
    return result, "\n".join(texts)


def test_papermill_mentor_notebook_with_a_hyphen_and_one_mentor(tmp_path, rounds_file):
    result, text = run_papermill(tmp_path, "mentorer_deltagare.ipynb", "-p", "omgang", "2016-2018",
                                 "-p", "datafil", str(rounds_file), "--engine", "jamlib")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Omgång 2016–2018" in text and "kan inte avgöras statistiskt: med 1 och 4 organisationer" in text


def test_papermill_rounds_notebook_shows_the_roles_each_round_has(tmp_path, rounds_file):
    result, text = run_papermill(tmp_path, "checklista_omgangar.ipynb", "-p", "datafil", str(rounds_file),
                                 "--engine", "jamlib")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Omgång 2018–2020: deltagare." in text and "Omgång 2016–2018: deltagare och mentor." in text
    assert "Omgång 2018–2020 har inga skattningar från rollen mentor." in text
    assert "Omgångar sida vid sida, mentor" in text


# -- regions with the notebooks' defaults --------------------------------------------------------------------

def test_a_region_compared_with_liknande_falls_back_to_riket_and_says_so():
    reference = resolve_reference("liknande", "0017")
    assert reference.codes == ("0000",) and reference.label == "Riket"
    assert "Region Värmland har ingen grupp \"Liknande kommuner\"" in reference.note and "riket" in reference.note
    assert resolve_reference("liknande", "1780").note == ""


def test_jam_gaps_for_a_region_with_liknande(capsys):
    assert main(["gaps", "--org", "0017", "--reference", "liknande"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Region Värmland (0017) jämfört med Riket") and "ingen grupp" in out


def test_papermill_indicator_notebook_for_a_region_with_defaults(tmp_path):
    """`papermill notebooks/indikatorrapport.ipynb out.ipynb -r kommunkod 0017`, with a real kernel.

    No person drives papermill's kernel, so the explorer (a widget nbclient may wait on forever) is left out.
    """
    result, text = run_papermill(tmp_path, "indikatorrapport.ipynb", "-r", "kommunkod", "0017")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Region Värmland (0017)" in text and "jämförelsen görs därför med riket" in text
    assert "Kommun/region" not in text and "VBox" not in text  # no explorer widget under papermill


def test_the_indicator_notebook_reports_all_years_by_default(tmp_path):
    from jamlib.run.parameters import notebook_parameters

    assert notebook_parameters(NOTEBOOKS / "indikatorrapport.ipynb")["till_och_med"] == '""'
    result, text = run_papermill(tmp_path, "indikatorrapport.ipynb", "-p", "interaktiv", "False",
                                 "-p", "indikatorer", "U23401", "--engine", "jamlib")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "(2022)" in text  # the latest year with data, as jam gaps says without --until


def test_papermill_results_chain_for_a_region_says_there_is_no_chain(tmp_path):
    """`papermill notebooks/resultatkedja.ipynb out.ipynb -r kommunkod 0017`: a sentence and what to do, exit 0."""
    result, text = run_papermill(tmp_path, "resultatkedja.ipynb", "-r", "kommunkod", "0017")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Det finns ingen resultatkedja för Region Värmland (0017) i data/raw/results_chain." in text
    assert "Karlstad (1780)" in text and "anteckningsbokens parameter kommunkod eller organisation" in text
    assert "Ingen resultatkedja att visa" in text and "Poster i resultatkedjan" not in text


def test_papermill_results_chain_with_an_unknown_name_still_stops_in_swedish(tmp_path):
    out = tmp_path / "ut.ipynb"
    result = subprocess.run([*PAPERMILL, str(NOTEBOOKS / "resultatkedja.ipynb"), str(out),
                             "-p", "organisation", "Påhittade nämnden"], cwd=ROOT, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode != 0
    errors = [o for c in nbformat.read(out, 4).cells for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert [e["ename"] for e in errors] == ["ParameterError"]
    assert "Resultatkedjan har inga poster för 'Påhittade nämnden'" in errors[0]["evalue"]


def test_papermill_five_r_for_a_region_says_it_has_no_values_for_the_indicators(tmp_path):
    """`papermill notebooks/femr_analys.ipynb out.ipynb -r resultat_kommunkod 0017`: R3 says why it is empty."""
    saved = tmp_path / "femr.json"
    result, text = run_papermill(tmp_path, "femr_analys.ipynb", "-r", "resultat_kommunkod", "0017",
                                 "-p", "utfil", str(saved))
    assert result.returncode == 0, result.stderr[-3000:]
    # The bundled data hold only the fall-injury indicator N20402 for Region Värmland.
    assert "Det finns inga värden för Region Värmland (0017) för U21455, U21504, U01421." in text
    assert "finns för N20402 (Fallskador bland personer 80+" in text and "R3 visar därför inga resultat" in text
    r3 = next(part for part in json.loads(saved.read_text(encoding="utf-8"))["delar"] if part["r"] == "R3")
    assert r3["källa"] == "Region Värmland (0017): U21455, U21504, U01421"
    assert len(r3["beräknat"]) == 1 and r3["beräknat"][0].startswith("Det finns inga värden för Region Värmland")
