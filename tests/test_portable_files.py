"""Files as colleagues on Windows and shared folders meet them: permissions, locked files, full disks, Excel."""

from __future__ import annotations

import csv
import errno
import io
import os
import stat
import sys

import pandas as pd
import pytest

from jamlib.errors import OutputFileError
from jamlib.files import atomic_write, excel_csv, safe_cell, safe_filename, write_csv
from tests.conftest import RAW

posix_only = pytest.mark.skipif(os.name != "posix", reason="umask finns bara på Linux och macOS")


@posix_only
@pytest.mark.parametrize("umask, expected", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_written_files_get_the_permissions_the_umask_gives(tmp_path, umask, expected):
    old = os.umask(umask)
    try:
        write_csv(pd.DataFrame({"a": [1]}), tmp_path / "ut.csv")
        with atomic_write(tmp_path / "rapport.html", "w") as handle:
            handle.write("<p>hej</p>")
    finally:
        os.umask(old)
    for name in ("ut.csv", "rapport.html"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == expected, name


def _locked(monkeypatch):
    def refuse(src, dst):
        raise PermissionError(errno.EACCES, "Åtkomst nekad", str(dst))

    monkeypatch.setattr("jamlib.files.os.replace", refuse)
    monkeypatch.setattr("jamlib.files._REPLACE_PAUSE", 0.0)


def test_a_file_open_in_excel_gives_a_swedish_message_and_stays_as_it_was(tmp_path, monkeypatch):
    target = tmp_path / "fel.csv"
    target.write_bytes(b"gammal")
    _locked(monkeypatch)
    with pytest.raises(OutputFileError) as caught:
        write_csv(pd.DataFrame({"a": [1]}), target)
    message = str(caught.value)
    assert str(target) in message and "stäng filen i excel" in message.lower()
    assert caught.value.path == str(target)
    assert target.read_bytes() == b"gammal"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fel.csv"]  # no temporary file left behind


def test_jam_ingest_with_a_locked_output_file_says_so_without_a_traceback(tmp_path, monkeypatch, capsys):
    from jamlib.cli import main

    raw = tmp_path / "raw" / "checklist"
    raw.mkdir(parents=True)
    (raw / "skattningar.csv").write_bytes((RAW / "checklist" / "modellkonceptet_2020_2022_konstruerad.csv").read_bytes())
    command = ["ingest", "--raw", str(tmp_path / "raw"), "--processed", str(tmp_path / "ut")]
    assert main(command) == 0  # yesterday's run; today fel.csv and the rest are open in Excel
    capsys.readouterr()
    _locked(monkeypatch)
    code = main(command)
    err = capsys.readouterr().err
    assert code == 2
    assert "Stäng filen i Excel" in err and str(tmp_path / "ut") in err and "Traceback" not in err


def test_a_read_only_folder_and_a_full_disk_are_explained(tmp_path, monkeypatch):
    target = tmp_path / "ut.csv"
    target.write_bytes(b"gammal")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("jamlib.files.os.fsync", full)
    with pytest.raises(OutputFileError, match="Disken är full"):
        write_csv(pd.DataFrame({"a": [1]}), target)
    monkeypatch.undo()
    assert target.read_bytes() == b"gammal" and [p.name for p in tmp_path.iterdir()] == ["ut.csv"]

    def read_only(path, flags, mode=0o777):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr("jamlib.files.os.open", read_only)
    with pytest.raises(OutputFileError, match="går inte att skriva i"):
        write_csv(pd.DataFrame({"a": [1]}), target)
    assert target.read_bytes() == b"gammal"


def test_an_error_of_the_caller_is_not_called_a_write_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        with atomic_write(tmp_path / "ut.txt", "w"):
            raise FileNotFoundError(errno.ENOENT, "saknas", "källa.csv")
    assert list(tmp_path.iterdir()) == []


# -- cells that could run as formulas, also after a line break ------------------------------------------

def test_a_carriage_return_cannot_start_a_new_row_with_a_formula():
    frame = pd.DataFrame({"text": ["ok\r=cmd|' /C calc'!A0", "rad 1\r\n@SUM(A1)", "- punkt\nvanlig"], "tal": [1.5, -2.25, 3]})
    data = excel_csv(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    # Whatever a program takes as the end of a line, no line starts with a formula.
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        assert not line.startswith(("=", "+", "-", "@")), line
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert len(rows) == 4 and rows[0] == ["text", "tal"]
    assert rows[1] == ["ok\n'=cmd|' /C calc'!A0", "1,5"]
    assert rows[2] == ["rad 1\n'@SUM(A1)", "-2,25"]
    assert safe_cell("-1,5") == "-1,5" and safe_cell("\u22121,5") == "\u22121,5"


def test_file_names_from_data_are_never_windows_device_names():
    for name in ("con", "NUL", "com1", "Lpt9", "aux"):
        made = safe_filename(name)
        assert made.split(".")[0].upper() not in {"CON", "NUL", "COM1", "LPT9", "AUX"}, made
    assert safe_filename("2284", "Örnsköldsvik") == "2284_örnsköldsvik.html"
    assert safe_filename("console") == "console.html"


@pytest.mark.skipif(sys.platform != "win32", reason="låsta filer finns på riktigt bara i Windows")
def test_a_file_held_open_on_windows(tmp_path):  # pragma: no cover - runs on Windows only
    target = tmp_path / "fel.csv"
    target.write_bytes(b"gammal")
    import msvcrt

    with open(target, "rb+") as handle:
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        with pytest.raises(OutputFileError, match="Excel"):
            write_csv(pd.DataFrame({"a": [1]}), target)
