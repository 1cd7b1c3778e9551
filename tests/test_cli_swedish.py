"""`jam` as a Swedish user on Windows meets it: Swedish argparse, cp1252 logs, Excel-ready CSV, JSON for scripts,
and `-p` values that are data, never code."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys

import pytest

from jamlib.cli import main
from jamlib.errors import ParameterError
from jamlib.run.parameters import parse_parameter_value, parse_parameters
from tests.conftest import RAW, ROOT

JAM = [sys.executable, "-m", "jamlib.cli"]
CHECKLIST = str(RAW / "checklist" / "modellkonceptet_2020_2022_konstruerad.csv")
ENGLISH = ("usage:", "options:", "error:", "required", "invalid choice", "show this help", "positional arguments",
           "expected one argument", "unrecognized arguments")


def jam(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([*JAM, *args], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, **env})


# -- argparse speaks Swedish ----------------------------------------------------------------------------------

@pytest.mark.parametrize("args, expected", [
    ((), "följande argument måste anges: KOMMANDO"),
    (("batch",), "följande argument måste anges: ANTECKNINGSBOK"),
    (("checklist", "table", "--round", "2020-2022", "--role", "chef"), "ogiltigt val: 'chef' (välj bland 'deltagare', 'mentor')"),
    (("gaps", "--org"), "argumentet --org: ett värde saknas"),
    (("gaps", "--org", "1780", "--okand"), "okända argument: --okand"),
    (("batch", "x.ipynb", "--workers", "0"), "argumentet --workers: '0': minst 1"),
    (("batch", "x.ipynb", "--timeout", "snart"), "'snart' är inget antal sekunder"),
])
def test_argparse_errors_are_swedish(args, expected):
    result = jam(*args)
    assert result.returncode == 2
    assert expected in result.stderr and "användning: jam" in result.stderr and ": fel: " in result.stderr
    assert not any(word in result.stderr for word in ENGLISH), result.stderr


@pytest.mark.parametrize("args", [("--help",), ("batch", "--help"), ("checklist", "table", "--help"), ("gaps", "-h")])
def test_help_is_swedish(args):
    result = jam(*args)
    assert result.returncode == 0
    assert result.stdout.startswith("användning: jam") and "flaggor:" in result.stdout
    assert "visa den här hjälpen och avsluta" in result.stdout
    assert not any(word in result.stdout for word in ENGLISH), result.stdout


def test_argparse_stays_english_for_other_programs_in_the_same_process():
    import argparse

    with pytest.raises(SystemExit):
        main(["checklist", "table"])
    assert "usage: " in argparse.ArgumentParser(prog="annat").format_usage()


# -- a cp1252 console or log file ----------------------------------------------------------------------------

def test_jam_gaps_into_a_cp1252_file_exits_0_with_plain_minus_and_spaces(tmp_path):
    target = tmp_path / "fil.txt"
    with open(target, "wb") as handle:  # PYTHONIOENCODING=cp1252 jam gaps --org 1780 > fil.txt
        result = subprocess.run([*JAM, "gaps", "--org", "1780"], cwd=ROOT, stdout=handle, stderr=subprocess.PIPE,
                                env={**os.environ, "PYTHONIOENCODING": "cp1252"}, timeout=300)
    assert result.returncode == 0, result.stderr.decode("cp1252", "replace")
    text = target.read_bytes().decode("cp1252")  # strict: every byte is Windows-1252
    assert "Karlstad (1780)" in text and "Skillnad K-M" in text and "väntat längre" in text
    assert "6 764,6" in text  # the narrow space of a Swedish thousand became a plain one
    assert "\u2212" not in text and "\u202f" not in text


def test_a_cp1252_console_also_gets_errors_and_roles_without_a_crash(tmp_path):
    result = subprocess.run([*JAM, "checklist", "roles", "--round", "2020-2022", "--file", CHECKLIST], cwd=ROOT,
                            capture_output=True, env={**os.environ, "PYTHONIOENCODING": "cp1252"}, timeout=300)
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode("cp1252")
    assert "Omgång 2020–2022" in out and "-2,5" in out  # en dash exists in cp1252; the minus falls back to -


# -- --format csv is Swedish Excel, --format json is for scripts ----------------------------------------------

def test_csv_is_what_swedish_excel_opens(capsysbinary):
    assert main(["checklist", "roles", "--round", "2020–2022", "--file", CHECKLIST, "--format", "csv"]) == 0
    data = capsysbinary.readouterr().out
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    header = rows[0]
    assert header[:6] == ["jämförelse", "tillfälle", "mentorer", "deltagare", "skillnad", "antal mentorer"]
    assert "p_value" not in header and "p" in header
    uppstart = dict(zip(header, rows[1]))
    # Mentors 22,0 and participants 17,8 at Uppstart (hand computed from the bundled file: SKR's Tabell 1 and 2).
    assert uppstart["mentorer"].startswith("22") and "," in uppstart["deltagare"] and "." not in uppstart["deltagare"]
    assert float(uppstart["p"].replace(",", ".")) == pytest.approx(2 / 15)


def test_csv_of_jam_gaps_has_swedish_headers_and_decimal_commas(capsysbinary):
    assert main(["gaps", "--org", "1780", "--indicator", "U23401", "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsysbinary.readouterr().out.decode("utf-8-sig"), newline=""), delimiter=";"))
    header = rows[0]
    assert {"kommunkod", "indikator", "senaste period", "missgynnat kön", "förändring per år"} <= set(header)
    slope = dict(zip(header, rows[1]))["förändring per år"]
    assert "," in slope and "\u2212" not in slope
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "@")) and "\u202f" not in cell


REPRESENTATION = str(RAW / "representation" / "destination_eskilstuna_stadsfestival_2022.csv")
RESOURCES = str(RAW / "resources" / "femr_exempel_konstruerad.csv")


@pytest.mark.parametrize("args", [
    ("gaps", "--org", "1780"),
    ("gaps", "--org", "Kfast AB", "--data", "data/raw/kolada, data/raw/indicators",
     "--organisations", "data/raw/organisations"),
    ("checklist", "historik", "--deltagande", str(RAW / "participation" / "modellkonceptet_deltagande.csv")),
    ("checklist", "roles", "--round", "2020-2022", "--file", CHECKLIST),
    ("checklist", "check", str(RAW / "published" / "skr_2020_2022_tabell_2_mentorer.csv")),
    ("representation", REPRESENTATION, "--mal", "30/70"),
    ("representation", RESOURCES),
    ("resultatkedja", "granska", str(RAW / "results_chain")),
    ("validate", CHECKLIST),
    ("kolada", "groups", "--municipality", "1780"),
    ("organisations",),
], ids=lambda a: " ".join(a[:2]))
def test_every_csv_a_command_writes_has_swedish_headers_and_no_binary_noise(args, capsysbinary, monkeypatch):
    """What Swedish Excel shows: every header a Swedish word (no machine key such as ``p_adjusted``), numbers
    with a decimal comma and no binary noise (``1446,8000000000002``)."""
    from jamlib.vocabulary import COLUMN_LABELS

    monkeypatch.chdir(ROOT)
    code = main([*args, "--format", "csv"])
    out = capsysbinary.readouterr().out
    assert code in (0, 1) and out.startswith(b"\xef\xbb\xbf"), args
    rows = list(csv.reader(io.StringIO(out.decode("utf-8-sig"), newline=""), delimiter=";"))
    header = rows[0]
    machine = [h for h in header if "_" in h or h in COLUMN_LABELS and COLUMN_LABELS[h] != h]
    assert not machine, (args, machine)
    for row in rows[1:]:
        for cell in row:
            assert not re.fullmatch(r"-?\d+,\d*(0{6,}|9{6,})\d", cell), (args, cell)


def test_units_and_resources_together_are_one_json_object_and_refused_as_one_csv(capsys):
    assert main(["representation", REPRESENTATION, RESOURCES, "--format", "json"]) == 0
    both = json.loads(capsys.readouterr().out)
    assert set(both) == {"representation", "resurser"}
    assert both["representation"][0]["units"] == 5 and both["representation"][0]["women_class"] == 4  # fyra av fem
    assert both["resurser"][0]["resource"] == "beviljad hemtjänst"
    assert main(["representation", REPRESENTATION, RESOURCES, "--format", "csv"]) == 2
    err = capsys.readouterr().err
    assert "två tabeller" in err and "--format json" in err and "Traceback" not in err


def test_csv_of_jam_gaps_cannot_start_a_formula_even_when_the_data_try(tmp_path, capsysbinary, monkeypatch):
    """An own file whose names start like formulas (=, +, @, a line break inside the cell): every text cell
    of the CSV is neutralised; negative numbers stay numbers."""
    folder = tmp_path / "indikatorer"
    folder.mkdir()
    rows = ["Organisation;Indikator;Indikatornamn;Period;Kön;Värde;Enhet;Polaritet"]
    for period, (k, m) in {"2020": (10, 14), "2021": (11, 15), "2022": (9, 16)}.items():
        for sex, value in (("Kvinnor", k), ("Män", m)):
            rows.append(f'"+Nämnd";@X1;"=HYPERLINK(""http://exempel.invalid"",""klicka"")\n=1+1";{period};{sex};'
                        f"{value};dagar;lägre är bättre")
    (folder / "egen.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    monkeypatch.chdir(ROOT)
    assert main(["gaps", "--org", "+Nämnd", "--data", str(folder), "--format", "csv"]) == 0
    out = capsysbinary.readouterr().out.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(out, newline=""), delimiter=";") for cell in row]
    assert any("HYPERLINK" in c for c in cells) and any("Nämnd" in c for c in cells)  # the text is there ...
    for cell in cells:
        if re.fullmatch(r"-?\d+(,\d+)?", cell):
            continue  # a number, e.g. the gap -5,0
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell  # ... but never as a formula
        for line in cell.splitlines()[1:]:
            assert not line.startswith(("=", "+", "-", "@")), cell


def test_csv_of_a_printed_table_has_numbers_excel_reads(tmp_path, capsysbinary):
    import pandas as pd

    scores = pd.read_csv(CHECKLIST, sep=";", dtype=str)
    falling = (scores["Roll"] == "mentor") & (scores["Tillfälle"] == "Träff 3")
    scores.loc[falling, "Poäng"] = "1"  # the mentors' scores fall: every change is negative
    path = tmp_path / "fall.csv"
    scores.to_csv(path, sep=";", index=False)
    assert main(["checklist", "table", "--round", "2020-2022", "--role", "mentor", "--file", str(path),
                 "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsysbinary.readouterr().out.decode("utf-8-sig"), newline=""), delimiter=";"))
    total = dict(zip(rows[0], rows[-1]))
    assert total["Del i checklista för jämställdhetsintegrering"] == "Totalt"
    assert total["Träff 3"] == "10,0" and total["Uppstart"] == "22,0"
    assert total["'+/-"] == "-12,0"  # ASCII minus: a number to Excel, where the typographic − would be text
    assert main(["checklist", "table", "--round", "2020-2022", "--role", "mentor", "--file", str(path)]) == 0
    assert "−12,0" in capsysbinary.readouterr().out.decode("utf-8")  # the terminal keeps typography


def test_json_keeps_machine_names_and_full_precision(capsysbinary):
    assert main(["checklist", "roles", "--round", "2020-2022", "--file", CHECKLIST, "--format", "json"]) == 0
    rows = json.loads(capsysbinary.readouterr().out.decode("utf-8"))
    assert rows[0]["comparison"] == "nivå" and rows[0]["n_mentor"] == 2 and rows[0]["n_participant"] == 4
    # 2 mentors above all 4 participants: the most extreme of C(6, 2) = 15 splits, two-sided: p = 2/15 exactly.
    assert rows[0]["p_value"] == 2 / 15
    assert rows[0]["mean_participant"] == pytest.approx(17.75)


# -- -p values are data ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("2021", 2021), ("0180", "0180"), ("", ""), ("U23401,N20402", "U23401,N20402"), ("false", False),
    ("False", False), ("null", None), ("1.5", 1.5), ("1,5", "1,5"), ("2018,2020", "2018,2020"),
    ('"0114"', "0114"), ("[U23401, N20402]", ["U23401", "N20402"]), ('["a", 2, true]', ["a", 2, True]),
    ("(test)", "(test)"), ("nan", "nan"), ("2020-2022", "2020-2022"),
])
def test_parameter_values_are_json_or_yaml_scalars_or_lists(text, expected):
    value = parse_parameter_value(text)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize("text", ["(1, 2)", "(1,)", "b'x'", 'B"x"', "{1, 2}", '{"a": 1}', "[[1]]", "[{}]", "1+2j"])
def test_python_literals_and_nested_values_are_refused(text):
    with pytest.raises(ParameterError, match="Parametern indikatorer"):
        parse_parameters([f"indikatorer={text}"])


def test_a_parameter_name_must_be_a_name():
    with pytest.raises(ParameterError, match="namn=värde"):
        parse_parameters(["indikatorer"])
    with pytest.raises(ParameterError, match="Parameternamnet"):
        parse_parameters(["os.system('x'); y=1"])


@pytest.mark.parametrize("value", ["(1, 2)", "b'kod'"])
def test_jam_batch_refuses_tuple_and_bytes_literals_before_anything_runs(tmp_path, value):
    out = tmp_path / "ut"
    result = jam("batch", "notebooks/resultatkedja.ipynb", "--org", "1780", "--out", str(out), "-p", f"datafil={value}")
    assert result.returncode == 2
    assert "Parametern datafil" in result.stderr and "Python-kod" in result.stderr
    assert "Traceback" not in result.stderr and not out.exists()


def test_values_that_are_not_data_never_reach_papermill(tmp_path):
    from jamlib.run.batch import Job, run_jobs

    job = Job(ROOT / "notebooks" / "resultatkedja.ipynb", {"kommunkod": ("1780",)}, "1780", "Karlstad", "k")
    with pytest.raises(ParameterError, match="tuple"):
        run_jobs([job], tmp_path / "ut")
    assert not (tmp_path / "ut").exists()
