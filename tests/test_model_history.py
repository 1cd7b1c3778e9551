"""The model's history: occasions per round (före/under/efter, years), one mentor group, participant -> mentor."""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pandas as pd
import pytest

import jamlib
from jamlib.analysis.checklist import checklist_table, format_checklist_table, organisation_trajectories
from jamlib.analysis.model_history import (check_checklist_rounds, history_sentences, mentor_groups,
                                           organisation_history, organisation_profile, round_occasions)
from jamlib.ingest.checked import load_checked
from jamlib.run.parameters import notebook_parameters
from tests.conftest import RAW, ROOT

GROUP_FILE = RAW / "checklist" / "eskilstuna_mentorgrupp_2017_2018_konstruerad.csv"
PARTICIPATION = RAW / "participation" / "modellkonceptet_deltagande.csv"


@pytest.fixture(scope="module")
def group() -> pd.DataFrame:
    result = load_checked(GROUP_FILE)
    assert result.kind == "checklist" and result.ok and result.failures.empty, result.failures.to_string()
    return result.data


def test_before_during_after_load_and_order(group):
    assert round_occasions(group)["labels"].tolist() == ["Före, Under, Efter"]
    table = format_checklist_table(checklist_table(group, "2017–2018", "deltagare"))
    assert list(table.columns) == ["Del i checklista för jämställdhetsintegrering", "Före", "Under", "Efter", "+/-"]
    # participants' group total by hand: Hedemora 13, Norrtälje 19, Enskede-Årsta-Vantör 15 before; 24, 29, 25 after
    totalt = table.set_index("Del i checklista för jämställdhetsintegrering").loc["Totalt"]
    assert (totalt["Före"], totalt["Efter"], totalt["+/-"]) == ("15,7", "26,0", "10,3")
    # Eskilstuna report: the mentor's score did not rise
    mentor = organisation_trajectories(group, "2017–2018", "mentor")
    assert mentor["total"].tolist() == [31.0, 31.0, 31.0]


def test_labels_people_type_for_occasions(write):
    path = write("omgang.csv", "Omgång;Organisation;Roll;Tillfälle;Moment;Poäng\n"
                               "2019–2021;Socialnämnden;deltagare;inför;1;2\n"
                               "2019–2021;Socialnämnden;deltagare;Vid slut;1;3\n"
                               "2022–2023;Socialnämnden;mentor;2022;1;3\n"
                               "2022–2023;Socialnämnden;mentor;2023;1;4\n")
    result = load_checked(path)
    assert result.ok
    assert result.data["occasion"].tolist() == ["före", "efter", "2022", "2023"]
    assert round_occasions(result.data)["scheme"].tolist() == ["före–under–efter", "år"]


def test_a_round_that_mixes_schemes_is_an_error(write):
    path = write("blandat.csv", "Omgång;Organisation;Roll;Tillfälle;Moment;Poäng\n"
                                "2020–2022;Vaxholm;deltagare;Uppstart;1;2\n2020–2022;Vaxholm;deltagare;Efter;1;3\n")
    result = load_checked(path)
    assert not result.ok
    failure = result.failures.set_index("rule").loc["blandade_tillfällen"]
    assert failure["row"] == 2 and failure["column"] == "tillfälle" and "Före/Under/Efter" in failure["message"]


def test_one_mentor_group_and_groups_of_other_sizes(group):
    groups = mentor_groups(group)
    assert groups[["mentors", "participants", "n_participants", "note"]].values.tolist() == [
        ["Eskilstuna", "Hedemora, Norrtälje, Enskede-Årsta-Vantör", 3, ""]]
    bigger = pd.concat([group, group[group["org_name"] == "Hedemora"].assign(org_name="Falun")], ignore_index=True)
    found = check_checklist_rounds(bigger)
    assert found["rule"].tolist() == ["mentorgrupp"] and "4 deltagare" in found["message"].iloc[0]
    assert found["severity"].iloc[0] == "varning"


def test_roles_with_one_mentor_use_the_exact_test(group):
    comparison = jamlib.compare_roles(group, "2017–2018")
    level = comparison[comparison["comparison"] == "nivå"].set_index("occasion")
    # before: mentor 31 against 13, 19, 15; the mentor is the highest of four, so of the 4 ways to pick
    # the "mentor" only 1 gives a difference as large: one-sided 1/4, two-sided 1/2 (by hand)
    assert level.loc["före", "p_value"] == pytest.approx(0.5) and level.loc["före", "minimum_p"] == pytest.approx(0.5)
    assert level.loc["före", "difference"] == pytest.approx(31 - 47 / 3)
    assert all("kan inte avgöras" in t for t in comparison["text"])


def test_participants_become_mentors_across_rounds(group):
    participation = load_checked(PARTICIPATION)
    assert participation.kind == "participation" and participation.ok and participation.failures.empty
    history = organisation_history(participation.data, group)
    eskilstuna = history[history["org_name"] == "Eskilstuna"]
    assert eskilstuna[["round", "role"]].values.tolist() == [["2015–2016", "deltagare"], ["2017–2018", "mentor"]]
    assert eskilstuna["source"].tolist() == ["deltagande", "deltagande, skattningar"]
    sentences = history_sentences(history, "Eskilstuna")
    assert sentences[1] == "Eskilstuna gick från deltagare (omgång 2015–2016) till mentor (omgång 2017–2018), som modellen är tänkt."
    assert "31,0 vid Före och 31,0 vid Efter, alltså oförändrad" in sentences[2]
    social = history_sentences(history, "Eskilstuna kommun / Socialnämnden")
    assert "från deltagare (Modellförvaltning 2018) till mentor (Modellförvaltning 2019–2021)" in social[1]


def test_profile_of_one_organisation(group):
    profile = organisation_profile(group, "Hedemora", "2017–2018")
    assert profile.attrs["occasions"] == ["före", "under", "efter"] and profile.attrs["group_size"] == 3
    assert profile.loc["Totalt", "efter"] == 24 and profile.loc["Totalt", "group_last"] == pytest.approx(78 / 3)
    assert profile.loc[1, "difference"] == pytest.approx(4 - 11 / 3)


def test_rounds_and_roles_notebooks_run_on_before_during_after_with_one_mentor(tmp_path):
    from jamlib.run.batch import Job, run_jobs
    from tests.test_reports import outputs_text

    notebooks = ROOT / "notebooks"
    jobs = [Job(notebooks / "checklista_omgangar.ipynb", {"datafil": str(GROUP_FILE), "omgangar": "2017–2018"}, "–",
                "Omgångar", "omgangar"),
            Job(notebooks / "mentorer_deltagare.ipynb", {"datafil": str(GROUP_FILE), "omgang": "2017–2018"}, "–",
                "Roller", "roller")]
    result = run_jobs(jobs, tmp_path, workers=2)
    assert [e.status for e in result.entries] == ["klar", "klar"], [e.message for e in result.entries]
    assert "Efter" in outputs_text(tmp_path / "notebooks" / "omgangar.ipynb")
    assert "med 1 och 3 organisationer" in outputs_text(tmp_path / "notebooks" / "roller.ipynb")


def test_profile_notebook_in_batch_for_every_organisation_of_a_file(tmp_path):
    out = tmp_path / "profiler"
    done = subprocess.run([sys.executable, "-m", "jamlib.cli", "batch", str(ROOT / "notebooks" / "checklista_profil.ipynb"),
                           "--alla-i", str(GROUP_FILE), "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 klara, 0 med fel" in done.stdout
    page = (out / "enskede-årsta-vantör.html").read_text(encoding="utf-8")
    assert "Enskede-Årsta-Vantör" in page and "mentorgrupp Eskilstuna" in page and "Före" in page


def test_new_notebooks_declare_what_they_assign():
    # papermill reads a parameter line only if it can parse it; an unparsed one cannot be set from outside
    for name in ("resultatkedja", "representation", "femr_analys", "checklista_profil"):
        path = ROOT / "notebooks" / f"{name}.ipynb"
        cell = next(c for c in nbformat.read(path, 4).cells if "parameters" in c.metadata.get("tags", []))
        assigned = [line.split("=")[0].strip() for line in cell.source.splitlines() if "=" in line]
        assert list(notebook_parameters(path)) == assigned, name


def test_exact_enumeration_with_one_in_a_group_agrees_with_scipy_where_scipy_works():
    import numpy as np
    from scipy import stats

    from jamlib.analysis.small_samples import compare_independent

    a, b = np.array([31.0, 29.0]), np.array([25.0, 24.0, 29.0])
    scipy_p = stats.permutation_test((a, b), lambda x, y, axis: x.mean(axis=axis) - y.mean(axis=axis),
                                     permutation_type="independent", n_resamples=np.inf, vectorized=True).pvalue
    assert compare_independent(a, b, "x").p_value == pytest.approx(scipy_p)
    one = compare_independent(np.array([20.0]), np.array([25.0, 24.0, 29.0]), "x")  # the mentor lowest: 1 of 4
    assert one.p_value == pytest.approx(0.5) and one.n == (1, 3)


def test_new_notebooks_match_their_generator():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_notebooks", ROOT / "scripts" / "make_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, cells in (("resultatkedja", module.RESULTS), ("representation", module.REPRESENTATION),
                        ("femr_analys", module.FIVE_R), ("checklista_profil", module.PROFILE)):
        written = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", 4).cells
        assert [c.source for c in written] == [c.source for c in cells], f"{name}: kör python scripts/make_notebooks.py"
