"""Organisations as users name them: codes, names, companies and committees without a Kolada code."""

from __future__ import annotations

import pandas as pd
import pytest

import jamlib
from jamlib.errors import ParameterError
from jamlib.organisations import organisation_table, resolve_organisation, with_organisation_ids

OWN = pd.DataFrame([
    {"name": "Eskilstuna Kommunföretag AB", "type": "bolag", "parent": "Eskilstuna"},
    {"name": "Kfast AB", "type": "bolag", "parent": "Eskilstuna Kommunföretag AB"},
    {"id": "socialnamnden-eskilstuna", "name": "Socialnämnden", "type": "nämnd", "parent": "0484"},
    {"id": "socialnamnden-karlstad", "name": "Socialnämnden", "type": "nämnd", "parent": "1780"},
])


@pytest.mark.parametrize("value, expected", [
    ("1780", "1780"), (1780, "1780"), ("180", "0180"), ("Karlstad", "1780"), ("Karlstads kommun", "1780"),
    ("Region Värmland", "0017"), ("0017", "0017"), ("Kfast AB", "kfast-ab"), ("kfast ab", "kfast-ab"),
    ("Socialnämnden Eskilstuna", "socialnamnden-eskilstuna"),
])
def test_an_organisation_is_found_by_code_id_or_name(value, expected):
    assert resolve_organisation(value, organisation_table(own=OWN)).id == expected


def test_the_parent_chain_of_a_company_is_kept():
    table = organisation_table(own=OWN).set_index("id")
    assert table.loc["kfast-ab", "parent"] == "eskilstuna-kommunforetag-ab"
    assert table.loc["eskilstuna-kommunforetag-ab", "parent"] == "0484"
    assert table.loc["kfast-ab", "type"] == "bolag" and table.loc["1780", "type"] == "kommun"


def test_an_ambiguous_name_is_refused_with_the_candidates():
    with pytest.raises(ParameterError, match="socialnamnden-eskilstuna.*socialnamnden-karlstad"):
        resolve_organisation("Socialnämnden", organisation_table(own=OWN))
    with pytest.raises(ParameterError, match="Karlstad"):
        resolve_organisation("Karlst", organisation_table(own=OWN))


def test_organisations_named_only_in_the_data_get_a_stable_id():
    data = pd.DataFrame({"org_code": [None, "1780"], "org_name": ["Vård- och omsorgsnämnden", "Karlstad"]})
    assert resolve_organisation("Vård- och omsorgsnämnden", organisation_table(data=data)).id == "vard-och-omsorgsnamnden"
    ided = with_organisation_ids(data)
    assert ided["org_code"].tolist() == ["vard-och-omsorgsnamnden", "1780"] and data["org_code"].isna().iloc[0]


def test_indicator_report_for_a_company_without_a_code():
    rows = []
    for year, (kn, kd, mn, md) in {"2018": (400, 600, 500, 600), "2019": (420, 600, 490, 600),
                                   "2020": (450, 620, 500, 610)}.items():
        for sex, num, den in (("K", kn, kd), ("M", mn, md), ("T", kn + mn, kd + md)):
            rows.append({"org_code": None, "org_name": "Kfast AB", "indicator_id": "NKI", "indicator_title": "Nöjd kundindex",
                         "unit": "procent", "period": year, "sex": sex, "value": 100 * num / den, "numerator": num,
                         "denominator": den, "polarity": "högre är bättre"})
    report = jamlib.indicator_report(pd.DataFrame(rows), "Kfast AB", ["NKI"])
    assert (report.org_code, report.org_name) == ("kfast-ab", "Kfast AB")
    assert report.persistence.set_index("indicator_id").loc["NKI", "disadvantaged"] == "K"
    assert any("jämförs inte" in s for s in report.sentences["text"])  # no Kolada reference for a company
