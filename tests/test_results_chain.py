"""The results chain as plan and follow-up: any organisation, links upwards, evidence for outcomes, the picture."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from jamlib.cli import main
from jamlib.analysis.results_chain import (check_results_chain, chain_organisations, results_chain_overview,
                                           select_organisation)
from jamlib.errors import ParameterError
from jamlib.ingest.checked import load_checked
from jamlib.report.results_chain_chart import results_chain_svg
from jamlib.schemas import FAILURE_COLUMNS
from tests.conftest import RAW, ROOT

CHAINS = RAW / "results_chain"
SVG = "{http://www.w3.org/2000/svg}"

HEADER = "Nr;Organisation;Överordnad;Organisationstyp;Datum;Nivå;Status;Rubrik;Måluppfyllelse;Leder till;Belägg;Källa\n"


@pytest.fixture(scope="module")
def chains() -> pd.DataFrame:
    result = load_checked(CHAINS, "results_chain")
    assert result.ok and result.failures.empty, result.failures.to_string()
    return result.data


def test_bundled_chains_validate_without_any_finding(chains):
    # the SKR file and Eskilstuna's 14 committees and companies, links and evidence included
    organisations = chain_organisations(chains)
    assert len(organisations) == 6 + 14
    eskilstuna = organisations[organisations["parent"] == "Eskilstuna kommun"]
    assert (eskilstuna["org_code"] == "").all()
    assert set(eskilstuna["org_type"]) == {"nämnd", "bolag"}


def test_a_company_and_a_committee_without_code(chains):
    company = results_chain_overview(chains, "Destination Eskilstuna AB")
    committee = results_chain_overview(chains, "Eskilstuna kommun / Gymnasienämnden")
    assert company.org_code == "" and company.label == "Destination Eskilstuna AB (Eskilstuna kommun)"
    assert committee.label == "Gymnasienämnden (Eskilstuna kommun)"
    # Destination Eskilstuna as the report states it: five achieved entries, the societal effect planned
    assert company.levels.set_index("Steg")["Uppnådda"].tolist() == [1, 1, 1, 2, 0]
    assert company.levels.set_index("Steg")["Planerade"].tolist() == [0, 0, 0, 0, 1]
    assert "\"nytt/ändrat utfall\"" in company.sentences[1]
    assert any("1. En jämn fördelning av makt och inflytande och 2. Ekonomisk jämställdhet" in s for s in company.sentences)
    # the committee's outcome is measured by the bundled indicator for Rekarnebygymnasiet
    assert committee.indicators[["indicator_id", "indicator_org"]].values.tolist() == [["ESK_BA_AK1", "Rekarnebygymnasiet"]]


def test_karlstad_claims_no_reached_outcome(chains):
    # SKR: "Enligt intervjuerna ... har det ännu inte varit möjligt att identifiera några nya eller ändrade utfall"
    karlstad = results_chain_overview(chains, "1780")
    outcomes = chains[(chains["org_code"] == "1780") & (chains["level"] == "nytt/ändrat utfall")]
    assert len(outcomes) == 5 and set(outcomes["status"]) == {"planerad"}
    assert set(outcomes["indicator_id"]) == {"U23401", "N20402", "U21455", "U21504", "U01421"}
    assert "\"ny/ändrad produkt\" (steg 2 av 5)" in karlstad.sentences[1]
    assert "Inget nytt eller ändrat utfall för kvinnor och män är belagt ännu." in karlstad.sentences


def write_chain(tmp_path, rows: str, name: str = "kedja.csv"):
    path = tmp_path / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def test_a_link_that_points_backwards_is_an_error_with_file_row_and_value(tmp_path, capsys):
    path = write_chain(tmp_path,
                       "1;Tekniska nämnden;Exempelkommun;nämnd;2023;aktivitet;uppnådd;Kartläggning;;2;;\n"
                       "2;Tekniska nämnden;Exempelkommun;nämnd;2023;ny/ändrad produkt;uppnådd;Ny rutin;;3;;\n"
                       "3;Tekniska nämnden;Exempelkommun;nämnd;2024;nytt/ändrat utfall;planerad;Tryggare gator;;1;;\n")
    result = load_checked(path, "results_chain")
    assert not result.ok
    backwards = result.failures[result.failures["rule"] == "länk_bakåt"]
    assert len(backwards) == 1
    row = backwards.iloc[0]
    assert (row["file"], row["row"], row["column"], row["value"], row["severity"]) == ("kedja.csv", 4, "leder till", "1", "fel")
    assert "Post 3 (nytt/ändrat utfall) leder till nr 1 (aktivitet), som ligger på en lägre nivå" in row["message"]
    assert list(result.failures.columns) == FAILURE_COLUMNS
    # the drawing leaves the wrong link out, and the command says what to fix and exits 1
    overview = results_chain_overview(result.data, "Tekniska nämnden")
    assert overview.links[["source", "target"]].values.tolist() == [["n1", "n2"], ["n2", "n3"]]
    assert len(overview.failures) == 1
    assert main(["resultatkedja", "granska", str(path)]) == 1
    out = capsys.readouterr().out
    assert "länk_bakåt" in out and "lägre nivå" in out


def test_links_within_one_organisation_only_and_unique_numbers(tmp_path):
    path = write_chain(tmp_path,
                       "1;Socialnämnden;Kommun A;nämnd;2023;aktivitet;uppnådd;Utbildning;;2;;\n"
                       "1;Socialnämnden;Kommun A;nämnd;2023;aktivitet;uppnådd;Kartläggning;;;;\n"
                       "2;Socialnämnden;Kommun B;nämnd;2023;ny/ändrad produkt;uppnådd;Ny mall;;;;\n"
                       "3;Socialnämnden;Kommun A;nämnd;2023;ny/ändrad produkt;uppnådd;Riktlinje;;3;;\n")
    found = check_results_chain(load_checked(path, "results_chain").data).set_index("rule")
    assert "finns hos Kommun B / Socialnämnden" in found.loc["länk_utan_mål", "message"]
    assert found.loc["nr_dubblett", "row"] == 3
    assert "samma nivå" in found.loc["länk_bakåt", "message"]  # a link to itself
    # the same committee name under two parents must be chosen with its parent
    with pytest.raises(ParameterError, match="Kommun A / Socialnämnden"):
        select_organisation(load_checked(path, "results_chain").data, "Socialnämnden")
    assert len(select_organisation(load_checked(path, "results_chain").data, "kommun b / socialnämnden")) == 1


def test_an_outcome_claimed_without_evidence_is_flagged_and_not_counted(tmp_path):
    path = write_chain(tmp_path,
                       "1;Kfast;;bolag;2020;nytt arbetssätt;uppnådd;Rondering;;2, 3;;\n"
                       "2;Kfast;;bolag;2021;nytt/ändrat utfall;uppnådd;Tryggare trapphus;uppnått;;;\n"
                       "3;Kfast;;bolag;2021;nytt/ändrat utfall;uppnådd;Renare tvättstugor;;;NKI 2020;\n")
    result = load_checked(path, "results_chain")
    assert result.ok  # a warning keeps the rows
    flagged = result.failures[result.failures["rule"] == "utfall_utan_belägg"]
    assert flagged["row"].tolist() == [3] and set(flagged["severity"]) == {"varning"}
    overview = results_chain_overview(result.data, "Kfast")
    assert overview.sentences[1] == "Den högsta nivån som nåtts är \"nytt/ändrat utfall\" (steg 4 av 5), med belägg."
    assert "1 post anger ett uppnått utfall utan belägg och räknas inte som nådda: \"Tryggare trapphus\"." in overview.sentences
    # only the unsupported claim: the highest reached level falls to the way of working
    alone = results_chain_overview(result.data[result.data["title"] != "Renare tvättstugor"], "Kfast")
    assert "\"nytt arbetssätt\" (steg 3 av 5)" in alone.sentences[1]


def _entries(svg: str) -> list[ET.Element]:
    root = ET.fromstring(svg.split("<figcaption")[0].removeprefix('<figure class="jam-chain">') )
    return root, [g for g in root.iter(f"{SVG}g") if g.get("class") == "jam-chain-entry"]


def test_the_picture_columns_arrows_dashes_and_escaping(chains):
    overview = results_chain_overview(chains, "Eskilstuna kommun / Kultur- och fritidsnämnden")
    root, boxes = _entries(results_chain_svg(overview))
    assert len(boxes) == len(overview.nodes) == 7
    planned = [g for g in boxes if g.get("data-status") == "planerad"]
    assert len(planned) == int(overview.levels["Planerade"].sum()) == 3
    for g in boxes:  # a planned box is dashed, an achieved one solid
        dashed = g.find(f"{SVG}rect").get("stroke-dasharray")
        assert (dashed is not None) == (g.get("data-status") == "planerad")
    arrows = [p for p in root.iter(f"{SVG}path") if p.get("marker-end")]
    assert len(arrows) == len(overview.links)
    assert sum(p.get("stroke-dasharray") is not None for p in arrows) == int(overview.links["planned"].sum())
    # levels are columns: every box's x is its level's column
    xs = {float(g.find(f"{SVG}rect").get("x")) for g in boxes}
    assert xs <= {i * 206.0 for i in range(5)}

    hostile = chains[chains["org_code"] == "1780"].assign(title="<script>alert(1)</script>",
                                                         description="<img src=x onerror=alert(2)>")
    svg = results_chain_svg(results_chain_overview(hostile, "1780"))
    assert "<script>alert" not in svg and "<img" not in svg and "&lt;script&gt;" in svg
    ET.fromstring(svg.split("<figcaption")[0].removeprefix('<figure class="jam-chain">'))  # still well-formed


def test_jam_batch_runs_the_chain_for_a_company_and_a_committee(tmp_path):
    out = tmp_path / "kedjor"
    done = subprocess.run([sys.executable, "-m", "jamlib.cli", "batch", str(ROOT / "notebooks" / "resultatkedja.ipynb"),
                           "--namn", "Eskilstuna Strängnäs Energi och Miljö AB",
                           "--namn", "Eskilstuna kommun / Gymnasienämnden", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 klara, 0 med fel" in done.stdout
    index = (out / "index.html").read_text(encoding="utf-8")
    company = (out / "eskilstuna_strängnäs_energi_och_miljö_ab.html").read_text(encoding="utf-8")
    committee = (out / "eskilstuna_kommun_gymnasienämnden.html").read_text(encoding="utf-8")
    assert "Gymnasienämnden" in index and "Eskilstuna Strängnäs Energi och Miljö AB" in index
    assert "Eskilstuna Strängnäs Energi och Miljö AB (Eskilstuna kommun)" in company  # heading: name (parent)
    assert 'class="jam-chain"' in company and 'class="jam-chain"' in committee
    # the committee's linked indicator is shown through the disclosure-safe view (a chart and its table)
    assert "Elever i årskurs 1 på bygg- och anläggningsprogrammet" in committee and "jam-chart" in committee


def test_jam_batch_every_organisation_in_a_file_and_a_wrong_parameter(tmp_path):
    path = write_chain(tmp_path, "1;Förskolenämnden;Kommun A;nämnd;2023;aktivitet;uppnådd;Fortbildning;;;;\n"
                                 "1;Bolaget AB;Kommun A;bolag;2023;aktivitet;planerad;Annonsgranskning;;;;\n")
    from jamlib.run.named import named_jobs, organisations_in_file

    found = organisations_in_file(path)
    assert found == [("Kommun A / Förskolenämnden", "Förskolenämnden (Kommun A)"),
                     ("Kommun A / Bolaget AB", "Bolaget AB (Kommun A)")]
    jobs = named_jobs(ROOT / "notebooks" / "resultatkedja.ipynb", found, {"datafil": str(path)})
    assert [j.parameters["organisation"] for j in jobs] == ["Kommun A / Förskolenämnden", "Kommun A / Bolaget AB"]
    assert [j.stem for j in jobs] == ["kommun_a_förskolenämnden", "kommun_a_bolaget_ab"]
    with pytest.raises(ParameterError, match="namn-parameter"):
        named_jobs(ROOT / "notebooks" / "indikatorrapport.ipynb", found)


def test_cross_row_failures_have_the_columns_of_validation_failures():
    from jamlib.ingest.validation import FAILURE_COLUMNS as VALIDATION_COLUMNS

    assert VALIDATION_COLUMNS == FAILURE_COLUMNS
