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
