"""Reading every supported format, storing atomically, and never losing a row."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest

from jamlib import ingest_folder as ingest, load, load_processed, read_published
from jamlib.files import write_csv, write_parquet
from jamlib.cli import main
from tests.conftest import RAW

ROWS = [
    ("2020–2022", "Kramfors", "2282", "deltagare", "Uppstart", 1, 3),
    ("2020–2022", "Kramfors", "2282", "deltagare", "Träff 1", 1, 4),
]
HEADER = ["Omgång", "Organisation", "Kommunkod", "Roll", "Tillfälle", "Moment", "Poäng"]


def test_utf8_with_bom_and_comma_separator(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(("\ufeff" + ",".join(HEADER) + "\n" + "\n".join(",".join(map(str, r)) for r in ROWS) + "\n").encode("utf-8"))
    result = load(path)
    assert result.ok and list(result.data["score"]) == [3.0, 4.0]
    assert result.data["round"].iloc[0] == "2020–2022"  # the BOM did not end up in the first header
    assert "UTF-8" in result.notes[0]


def test_blank_lines_do_not_shift_row_numbers(tmp_path):
    path = tmp_path / "tomrad.csv"
    path.write_text(";".join(HEADER) + "\n\n" + ";".join(map(str, ROWS[0])) + "\n\n" + "2020–2022;Kramfors;2282;deltagare;Träff 2;1;9\n", encoding="utf-8")
    failures = load(path).failures
    assert list(failures["row"]) == [5]  # line 5 in Excel, even with blank lines in between


def test_parquet(tmp_path):
    path = tmp_path / "skattningar.parquet"
    pd.DataFrame(ROWS, columns=HEADER).to_parquet(path)
    result = load(path)
    assert result.ok and result.rows_kept == 2 and result.data["org_code"].iloc[0] == "2282"


def test_excel_long_sheet_keeps_leading_zero_only_when_stored_as_text(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["2020–2022", "Vaxholm", "0187", "deltagare", "Uppstart", 1, 3])
    sheet.append(["2020–2022", "Vaxholm", 187, "deltagare", "Träff 1", 1, 3])  # a number cell: Excel dropped the zero
    path = tmp_path / "vaxholm.xlsx"
    workbook.save(path)
    result = load(path)
    failure = result.failures.iloc[0]
    assert (failure["rule"], failure["row"], failure["column"], failure["value"]) == ("inledande_nolla", 3, "Kommunkod", "187")
    assert "blad 'Sheet'" in failure["file"]


def test_excel_skr_wide_sheets_one_per_organisation(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    first = True
    for name, code, base in (("Karlstad", "1780", 2), ("Kramfors", "2282", 1)):
        sheet = workbook.active if first else workbook.create_sheet()
        first = False
        sheet.title = name
        sheet.append(["Omgång", "2020–2022"])
        sheet.append(["Roll", "deltagare"])
        sheet.append(["Kommunkod", code])
        sheet.append([])
        sheet.append(["Del i checklista", "Uppstart", "Träff 1", "Träff 2", "Träff 3"])
        for moment in range(1, 11):
            sheet.append([f"{moment}. moment", base, base, base + 1, 4 if moment != 3 else 5])
        sheet.append(["Totalt", 10 * base, 10 * base, 10 * (base + 1), 40])
    path = tmp_path / "checklista_bred.xlsx"
    workbook.save(path)
    result = load(path)
    assert result.kind == "checklist" and result.rows_read == 2 * 10 * 4
    failure = result.failures.iloc[0]
    # moment 3, Träff 3 = 5 on each sheet: Excel row 8 (5 header lines + 3rd moment)
    assert list(result.failures["row"]) == [8, 8] and failure["rule"] == "utanför_intervall"
    assert failure["file"] == "checklista_bred.xlsx, blad 'Karlstad'"
    karlstad = result.data[result.data["org_name"] == "Karlstad"]
    assert set(karlstad["org_code"]) == {"1780"} and set(karlstad["occasion"]) == {"uppstart", "träff 1", "träff 2", "träff 3"}


def kolada_document(**extra):
    return {
        "count": 2, **extra,
        "values": [
            {"kpi": "U23401", "municipality": "1780", "period": 2022, "values": [
                {"gender": "K", "count": 1, "status": "", "value": 61.0, "isdeleted": False},
                {"gender": "M", "count": 1, "status": "", "value": None, "isdeleted": False},
                {"gender": "T", "count": 1, "status": "", "value": 64.0, "isdeleted": True},
            ]},
            {"kpi": "U23401", "municipality": "0000", "period": 2022, "values": [
                {"gender": "T", "count": 1, "status": "", "value": 70.0, "isdeleted": False},
            ]},
        ],
    }


def test_kolada_v3_json_null_stays_missing_and_deleted_rows_are_counted(tmp_path):
    path = tmp_path / "data_U23401.json"
    path.write_text(json.dumps(kolada_document(next_url=None, previous_url=None)), encoding="utf-8")
    result = load(path)
    assert result.rows_read == 4 and result.rows_kept == 3 and result.rows_quarantined == 1
    deleted = result.failures[result.failures["rule"] == "raderad_i_kolada"]
    assert list(deleted["row"]) == [1] and deleted.iloc[0]["severity"] == "info"
    karlstad = result.data[result.data["org_code"] == "1780"].set_index("sex")
    assert karlstad.loc["K", "value"] == 61.0 and pd.isna(karlstad.loc["M", "value"])
    assert karlstad.loc["K", "polarity"] == "lägre är bättre" and karlstad.loc["K", "org_name"] == "Karlstad"
    assert result.ok


def test_kolada_v2_page_names_and_a_missing_next_page_is_said(tmp_path):
    path = tmp_path / "data_U23401.json"
    path.write_text(json.dumps(kolada_document(next_page="https://example.invalid/page2", previous_page=None)), encoding="utf-8")
    result = load(path)
    assert result.rows_kept == 3
    assert any("nästa sida" in note for note in result.notes)


def test_bundled_kolada_snapshot_loads_every_value(tmp_path):
    raw = json.loads((RAW / "kolada" / "data_U21504.json").read_text(encoding="utf-8"))
    expected = sum(len(item["values"]) for item in raw["values"])
    result = load(RAW / "kolada" / "data_U21504.json")
    assert result.rows_read == expected == result.rows_kept + result.rows_quarantined
    assert result.data["org_code"].str.fullmatch(r"\d{4}").all()
    karlstad_2022 = result.data.query("org_code == '1780' and period == '2022'").set_index("sex")["value"]
    assert karlstad_2022.to_dict() == {"K": 96.0, "M": 93.0, "T": 95.0}


def test_published_numbers_come_back_exactly():
    table1 = read_published(RAW / "published" / "skr_2020_2022_tabell_1_deltagare.csv")
    total = table1[table1["moment"].isna()].iloc[0]
    assert (total["uppstart"], total["träff 1"], total["träff 2"], total["träff 3"], total["change"]) == (17.8, 19.8, 23.9, 28.5, 10.8)
    moment8 = table1[table1["moment"] == 8].iloc[0]
    assert moment8["träff 2"] == 2.4 and table1["group_size"].iloc[0] == 4
    assert moment8["moment_text"] == "Organisationen bedriver ett systematiskt förbättringsarbete"


# ----------------------------------------------------------------------- ingest


def all_test_files() -> list[Path]:
    return sorted(p for p in RAW.rglob("*") if p.suffix in (".csv", ".json") and p.name not in ("kpi.json", "municipality.json", "municipality_groups.json", "kpi_gender_split.json"))


@pytest.mark.parametrize("path", all_test_files(), ids=lambda p: p.name)
def test_rows_read_equal_kept_plus_quarantined_for_bundled_files(path):
    result = load(path)
    assert result.rows_read > 0
    assert result.rows_read == result.rows_kept + result.rows_quarantined


def test_ingest_writes_tables_quarantine_and_a_manifest_per_file(tmp_path):
    raw = tmp_path / "raw"
    (raw / "checklist").mkdir(parents=True)
    (raw / "checklist" / "bra.csv").write_text(";".join(HEADER) + "\n" + "\n".join(";".join(map(str, r)) for r in ROWS) + "\n", encoding="utf-8")
    (raw / "checklist" / "fel.csv").write_bytes((";".join(HEADER) + "\n2020–2022;Stockholm;180;deltagare;Uppstart;1;3\n"
                                                 "2020–2022;Stockholm;0180;deltagare;Uppstart;2;=1+1\n").encode("cp1252"))
    (raw / "tom.csv").write_text("", encoding="utf-8")
    (raw / "README.md").write_text("inte data", encoding="utf-8")
    processed = tmp_path / "processed"
    manifest = ingest(raw, processed)
    assert list(manifest["path"]) == ["checklist/bra.csv", "checklist/fel.csv", "tom.csv"]
    assert (manifest["rows_read"] == manifest["rows_kept"] + manifest["rows_quarantined"]).all()
    assert manifest.set_index("path").loc["checklist/fel.csv", "rows_quarantined"] == 2
    scores = load_processed("checklist", processed)
    assert len(scores) == 2 and set(scores["source_file"]) == {"bra.csv"}
    quarantine = (processed / "karantan" / "checklist__fel_csv.csv").read_bytes().decode("utf-8-sig")
    assert "Stockholm" in quarantine and "inledande nolla" in quarantine
    assert "'=1+1" in quarantine  # a cell that would be a formula in Excel is neutralised
    entry = json.loads((processed / "manifest" / "checklist__fel_csv.json").read_text(encoding="utf-8"))
    assert len(entry["sha256"]) == 64 and entry["errors_by_rule"] == {"inledande_nolla": 1, "ogiltigt_tal": 1}
    assert entry["rows_read"] == 2 and entry["quarantine"] == "karantan/checklist__fel_csv.csv"
    assert not list(processed.rglob("*.tmp"))


def test_ingest_cli_on_bundled_data(tmp_path, capsys):
    assert main(["ingest", "--raw", str(RAW), "--processed", str(tmp_path), "--format", "json"]) == 0
    manifest = json.loads(capsys.readouterr().out)
    by_path = {m["path"]: m for m in manifest}
    assert by_path["published/skr_2020_2022_tabell_2_mentorer.csv"]["rows_quarantined"] == 2
    assert all(m["rows_read"] == m["rows_kept"] + m["rows_quarantined"] for m in manifest)
    indicators = load_processed("indicators", tmp_path)
    assert {"U23401", "N20402", "U21455", "U21504", "U01421", "ESK_BA_AK1"} <= set(indicators["indicator_id"])


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "checklist.parquet"
    old = pd.DataFrame({"a": [1, 2]})
    write_parquet(old, target)

    class Exploding(pd.DataFrame):
        def to_parquet(self, handle, **kwargs):  # type: ignore[override]
            handle.write(b"PAR1 half a file")
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_parquet(Exploding({"a": [3]}), target)
    pd.testing.assert_frame_equal(pd.read_parquet(target), old)
    assert os.listdir(tmp_path) == ["checklist.parquet"]


def test_csv_export_neutralises_formulas_but_not_negative_numbers(tmp_path):
    path = tmp_path / "ut.csv"
    write_csv(pd.DataFrame({"namn": ["=HYPERLINK(\"x\")", "@SUM(A1)", "+46 70 123 45 67", "Örnsköldsvik"], "tal": ["-1,5", "2", "3", "4"]}), path)
    text = path.read_bytes().decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM" in text and "'+46 70" in text and "Örnsköldsvik" in text
    assert ";-1,5" in text
