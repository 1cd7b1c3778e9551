"""`jam gaps` and `jam checklist roles` as a user runs them."""

from __future__ import annotations

import json

from jamlib.cli import main
from tests.conftest import RAW


def test_jam_gaps_for_karlstad_against_similar_municipalities(capsys):
    code = main(["gaps", "--org", "1780", "--reference", "liknande", "--until", "2021", "--data", str(RAW / "kolada")])
    out = capsys.readouterr().out
    assert code == 0
    assert "Karlstad (1780) jämfört med Liknande kommuner äldreomsorg, Karlstad, 2024" in out
    assert "I Karlstad har kvinnor väntat längre än män på plats i särskilt boende de senaste 4 åren" in out
    assert "osäkerheten kan inte beräknas" in out


def test_jam_gaps_json_and_a_lost_leading_zero(capsys):
    code = main(["gaps", "--org", "180", "--indicator", "U23401", "--until", "2020", "--format", "json",
                 "--data", str(RAW / "kolada")])
    rows = json.loads(capsys.readouterr().out)
    assert code == 0 and rows[0]["org_code"] == "0180" and rows[0]["org_name"] == "Stockholm"
    assert rows[0]["reference"] == "Riket" and int(rows[0]["latest_period"]) <= 2020


def test_jam_gaps_unknown_code_is_refused_in_swedish(capsys):
    assert main(["gaps", "--org", "9999", "--data", str(RAW / "kolada")]) == 2
    assert "9999" in capsys.readouterr().err


def test_jam_checklist_roles(capsys):
    code = main(["checklist", "roles", "--round", "2020–2022", "--file",
                 str(RAW / "checklist" / "modellkonceptet_2020_2022_konstruerad.csv")])
    out = capsys.readouterr().out
    assert code == 0 and "kan inte avgöras statistiskt" in out and "Mentorerna ökade med" in out
