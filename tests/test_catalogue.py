"""The catalogue of files as municipalities send them: every one gives its expected outcome, none a traceback.

The files and their expected outcomes are made by ``scripts/make_catalogue.py``
(expectations written by hand beside each file's content). Each file goes
through the real ``jam validate``.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys

import pytest

from jamlib import load
from jamlib.cli import main
from tests.conftest import ROOT

CATALOGUE = ROOT / "tests" / "fixtures" / "catalogue"
EXPECTED = json.loads((CATALOGUE / "expected.json").read_text(encoding="utf-8"))
SUMMARY = re.compile(r"(\d+) rader lästa, (\d+) godkända, (\d+) i karantän")


def test_the_catalogue_is_large_and_every_file_has_an_expected_outcome():
    files = sorted(p.name for p in CATALOGUE.iterdir() if p.name != "expected.json")
    assert len(files) >= 60
    assert files == sorted(e["file"] for e in EXPECTED)
    read = {e["file"] for e in EXPECTED if e["values"]}
    for shape in ("utf16_unicode_text.txt", "csv_title_rows_header_row3.csv", "xlsx_header_row3.xlsx",
                  "xlsx_instructions_then_data.xlsx", "csv_wide_per_sex.csv", "xlsx_wide_per_sex.xlsx", "ods_long.ods"):
        assert shape in read, shape


@pytest.mark.parametrize("case", EXPECTED, ids=[e["file"] for e in EXPECTED])
def test_jam_validate_gives_the_expected_outcome(case, capsys):
    path = CATALOGUE / case["file"]
    code = main(["validate", "--format", "json", str(path)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert code == case["exit"], out + err
    counts = [tuple(map(int, m)) for m in SUMMARY.findall(err)]
    assert counts == [(case["read"], case["kept"], case["quarantined"])], err
    assert case["read"] == case["kept"] + case["quarantined"]
    failures = json.loads(out) if out.strip() else []
    if case["message"]:
        assert case["message"] in err + " ".join(f["meddelande"] for f in failures), out + err
    if case["values"]:
        data = load(path).data
        got = [[None if isinstance(v, float) and math.isnan(v) else v for v in row]
               for row in data[case["values"]["columns"]].astype(object).itertuples(index=False, name=None)]
        assert got == case["values"]["rows"]


def test_row_numbers_are_excel_rows_after_blank_lines_and_multi_line_cells():
    failures = load(CATALOGUE / "csv_blank_lines.csv").failures
    assert list(failures["row"]) == [5]
    failures = load(CATALOGUE / "chain_multiline_cell.csv").failures
    assert list(failures.loc[failures["rule"] == "ogiltigt_datum", "row"]) == [3]  # line 5 of the file, row 3 in Excel


def test_no_file_of_the_catalogue_gives_a_traceback_from_the_command_line():
    files = [str(CATALOGUE / e["file"]) for e in EXPECTED]
    done = subprocess.run([sys.executable, "-m", "jamlib.cli", "validate", *files], capture_output=True, text=True,
                          cwd=ROOT, timeout=600)
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert len(SUMMARY.findall(done.stdout)) == len(files) - 0


def test_a_cell_longer_than_ten_megabytes_is_cut_and_said(tmp_path):
    path = tmp_path / "resultat.csv"
    path.write_text("Organisation;Datum;Nivå;Rubrik;Beskrivning\nKarlstad;2021;aktivitet;Kurs;" + "x" * 10_000_050 + "\n",
                    encoding="utf-8")
    result = load(path)
    cut = result.failures[result.failures["rule"] == "cell_kortad"]
    assert len(cut) == 1 and cut.iloc[0]["row"] == 2 and cut.iloc[0]["column"] == "Beskrivning"
    assert "10 000 000" in cut.iloc[0]["message"]
    assert len(result.data.loc[0, "description"]) == 10_000_000 and result.rows_kept == 1


def test_hidden_sheets_and_rows_are_read_when_asked(capsys):
    hidden = CATALOGUE / "xlsx_hidden_sheet.xlsx"
    assert main(["validate", "--format", "json", "--dolda", str(hidden)]) == 0
    assert SUMMARY.findall(capsys.readouterr().err) == [("4", "4", "0")]
    assert main(["validate", "--format", "json", "--dolda", str(CATALOGUE / "xlsx_hidden_rows.xlsx")]) == 0
    assert SUMMARY.findall(capsys.readouterr().err) == [("4", "4", "0")]


def test_ingest_reports_old_excel_and_reads_opendocument(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("old_excel.xls", "ods_long.ods", "csv_utf8.csv", "binary_junk.csv"):
        (raw / name).write_bytes((CATALOGUE / name).read_bytes())
    assert main(["ingest", "--raw", str(raw), "--processed", str(tmp_path / "out"), "--format", "json"]) == 1
    manifest = {m["path"]: m for m in json.loads(capsys.readouterr().out)}
    assert set(manifest) == {"old_excel.xls", "ods_long.ods", "csv_utf8.csv", "binary_junk.csv"}
    assert manifest["ods_long.ods"]["rows_kept"] == 3 and manifest["csv_utf8.csv"]["rows_kept"] == 2
    failures = (tmp_path / "out" / "fel.csv").read_bytes().decode("utf-8-sig")
    assert "Spara som .xlsx" in failures and "binärfil" in failures


KOLADA_BAD_TYPES = ("data_kolada_period_object.json", "data_kolada_kpi_list.json", "data_kolada_value_list.json")


def _jam(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "jamlib.cli", *arguments], capture_output=True, text=True, cwd=ROOT,
                          timeout=300)


def test_kolada_fields_that_are_objects_or_lists_quarantine_their_record_in_validate_and_gaps(tmp_path):
    for name, field in zip(KOLADA_BAD_TYPES, ("period", "kpi", "value")):
        done = _jam("validate", str(CATALOGUE / name))
        assert done.returncode == 1 and "Traceback" not in done.stdout + done.stderr
        assert f"är fältet '{field}'" in done.stdout and "Posten sattes i karantän" in done.stdout
        assert SUMMARY.findall(done.stdout) == [("6", "3", "3")]
        folder = tmp_path / name.removesuffix(".json")
        folder.mkdir()
        (folder / "data_U23401.json").write_bytes((CATALOGUE / name).read_bytes())
        kpi_titles = ('{"values": [{"id": ["U23401"]}, {"id": "U23401", "title": ["Väntetid"]}]}' if field == "kpi" else
                      '{"values": ' + "[" * 100_000 + "]" * 100_000 + "}")  # a damaged kpi.json beside: titles left out
        (folder / "kpi.json").write_text(kpi_titles, encoding="utf-8")
        done = _jam("gaps", "--org", "1780", "--data", str(folder))
        assert done.returncode == 0 and "Traceback" not in done.stdout + done.stderr, done.stderr
        assert "2022  61,0     50,0  55,0" in done.stdout  # the good record is reported, the quarantined one not:
        assert "det finns 1 år med värden" in done.stdout and "2021" not in done.stdout


def test_a_deeply_nested_json_file_is_refused_by_validate_ingest_and_gaps(tmp_path):
    deep = CATALOGUE / "data_kolada_deep_nesting.json"
    done = _jam("validate", str(deep))
    assert done.returncode == 1 and "Traceback" not in done.stdout + done.stderr
    assert "data_kolada_deep_nesting.json: filen är inte en Kolada-fil" in done.stdout and "100 001 nivåer" in done.stdout
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "data_U1.json").write_bytes(deep.read_bytes())
    done = _jam("gaps", "--org", "1780", "--data", str(tmp_path / "raw"))
    assert done.returncode == 2 and "Traceback" not in done.stdout + done.stderr
    assert "Fel: data_U1.json: filen är inte en Kolada-fil" in done.stderr
    done = _jam("ingest", "--raw", str(tmp_path / "raw"), "--processed", str(tmp_path / "out"))
    assert done.returncode == 1 and "Traceback" not in done.stdout + done.stderr
    assert "inte en Kolada-fil" in (tmp_path / "out" / "fel.csv").read_bytes().decode("utf-8-sig")


def test_an_unforeseen_fault_is_named_for_its_file_by_validate_and_gaps(tmp_path, monkeypatch, capsys):
    import jamlib.ingest.readers
    import jamlib.ingest.validation

    def broken(*args, **kwargs):
        raise TypeError("unhashable type: 'dict'")

    monkeypatch.setattr(jamlib.ingest.readers, "read_raw", broken)
    assert main(["validate", str(CATALOGUE / "data_kolada_ok.json")]) == 1
    out, err = capsys.readouterr()
    assert "data_kolada_ok.json: filen kunde inte läsas (TypeError: unhashable type: 'dict')" in out
    assert "internt_fel" in out and "Traceback" not in out + err
    monkeypatch.setattr(jamlib.ingest.validation, "read_raw", broken)
    (tmp_path / "data_U23401.json").write_bytes((CATALOGUE / "data_kolada_ok.json").read_bytes())
    assert main(["gaps", "--org", "1780", "--data", str(tmp_path)]) == 2
    out, err = capsys.readouterr()
    assert "Fel: data_U23401.json: filen kunde inte läsas (TypeError" in err and "Traceback" not in out + err


def test_utf32_is_named_as_utf32_not_utf16(capsys):
    for name in ("utf32_with_bom.csv", "utf32_big_endian_without_bom.txt"):
        assert main(["validate", str(CATALOGUE / name)]) == 0
        out = capsys.readouterr().out
        assert "läst som UTF-32" in out and "UTF-16" not in out, out
