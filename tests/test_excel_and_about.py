"""The Excel workbook beside a report and its "Om data": what a controller opens in Excel."""

from __future__ import annotations

import openpyxl
import pandas as pd

import jamlib
from jamlib.ingest.kolada_metadata import read_kpi_metadata, snapshot_date
from jamlib.report.about import about_data
from jamlib.report.excel import report_sheets, write_workbook
from tests.conftest import RAW


def _karlstad():
    data = jamlib.load_indicator_folder(RAW / "kolada")
    return jamlib.indicator_report(data, "1780", reference="liknande")


def test_about_data_names_definition_source_direction_and_the_group_members():
    report = _karlstad()
    about = about_data(report, read_kpi_metadata(RAW / "kolada"), snapshot_date(RAW / "kolada")).set_index("Id")
    assert about.loc["N20402", "Källa"] == "Socialstyrelsen Patientregistret."
    assert about.loc["N20402", "Definition"].startswith("Antal personer som vårdats i slutenvård pga. fallskador")
    assert about.loc["U23401", "Riktning"] == "lägre är bättre" and about.loc["U21455", "Riktning"] == "högre är bättre"
    assert about.loc["U23401", "Hämtad"] == "2024-08-30"
    members = about.loc["U23401", "Jämförelsegruppens medlemmar"].split(", ")
    assert len(members) == len(report.reference.codes) == 7 and "Karlstad" not in members
    assert "ovägt" in about.loc["U23401", "Så bildas jämförelsevärdet"].lower()


def test_about_sources_of_kolada_files_only_and_of_an_own_file_for_the_organisation():
    from jamlib.report.about import about_sources

    kolada = jamlib.load_indicator_folder(RAW / "kolada")  # no own files: no row names a file
    report = jamlib.indicator_report(kolada, "1780", reference="liknande")
    about = about_sources(report, kolada, [str(RAW / "kolada")]).set_index("Id")
    assert sorted(about.index) == ["N20402", "U01421", "U21455", "U21504", "U23401"]
    assert about.loc["N20402", "Källa"] == "Socialstyrelsen Patientregistret." and set(about["Fil"]) == {""}
    # the same values as if from an own file of Karlstad's (no code, the organisation's name), and another's
    own = kolada.assign(org_code=kolada["org_code"].astype(object), org_name=kolada["org_name"].astype(object),
                        source_file=kolada["source_file"].astype(object))
    karlstad = (own["org_code"] == "1780") & (own["indicator_id"] == "U23401")
    other = (own["org_code"] == "0180") & (own["indicator_id"] == "N20402")
    own.loc[karlstad | other, "org_code"] = None
    own.loc[karlstad, "source_file"] = "karlstad_egen.csv"
    own.loc[other, "source_file"] = "stockholm_egen.csv"
    about = about_sources(report, own, [str(RAW / "kolada")]).set_index("Id")
    assert about.loc["U23401", "Fil"] == "karlstad_egen.csv" and about.loc["N20402", "Fil"] == ""


def test_workbook_keeps_numbers_as_numbers_and_hidden_values_as_text(tmp_path):
    rows = []
    for year, (k, m) in {"2020": (14, 17), "2021": (3, 23)}.items():
        for sex, value in (("K", k), ("M", m), ("T", k + m)):
            rows.append({"org_code": "1780", "org_name": "Karlstad", "indicator_id": "A1",
                         "indicator_title": "=HYPERLINK(\"http://x\")", "unit": "antal", "period": year, "sex": sex,
                         "value": float(value), "polarity": "neutral"})
    report = jamlib.indicator_report(pd.DataFrame(rows), "1780", ["A1"], reference=None)
    path = write_workbook(tmp_path / "rapport.xlsx", report_sheets(report, about_data(report),
                                                                   ["Värdena är beskrivande."]))
    book = openpyxl.load_workbook(path)
    values = {row[0]: row for row in book["Värden A1"].iter_rows(min_row=2, values_only=True)}
    assert values["2020"][1] == 14 and isinstance(values["2020"][1], (int, float))  # a number, not text
    assert values["2021"][1] == "färre än 5" and values["2021"][2] == "färre än 5"  # 3 women, and men secondarily
    assert values["2021"][3] == 26  # the total alone is shown
    every_text = [c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert not any(c.startswith(("=", "+", "@")) for c in every_text)
    assert "'=HYPERLINK(\"http://x\")" in every_text  # the title from data is kept, as text
    assert book.sheetnames == ["Sammanfattning", "Värden A1", "Om data"]


def test_sheet_names_fit_excel():
    from jamlib.report.excel import _sheet_name

    taken: set[str] = set()
    names = [_sheet_name("Värden för en mycket lång indikator: [del 1/2]", taken) for _ in range(3)]
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    assert len({n.lower() for n in names}) == 3
