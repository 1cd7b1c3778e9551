"""Reading workbooks as Excel and LibreOffice write them, safely.

* Before anything is loaded, the ``.xlsx`` package is inspected: a sheet that
  declares more cells than :data:`MAX_CELLS`, shared strings beyond
  :data:`MAX_SHARED_STRINGS`, or a package that unpacks to more than
  :data:`MAX_UNPACKED` bytes is refused (a 5 KB file must not claim gigabytes).
* Hidden sheets and hidden rows are skipped by default and named in a warning;
  ``include_hidden=True`` reads them.
* A formula whose result was never saved (files written by scripts) is reported,
  not read as an empty cell.
* A number shown as a percentage (0,125 formatted as 12,5 %) is read as 12,5, as the user sees it.
* ``.ods`` files are read with pandas' ``odf`` engine.

Each sheet becomes a :data:`~jamlib.ingest.shapes.Grid` with Excel row numbers.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from jamlib.errors import DataFileError
from jamlib.ingest.raw import cell_text
from jamlib.ingest.shapes import Grid, finding

__all__ = ["Sheet", "read_xlsx_sheets", "read_ods_sheets", "MAX_CELLS", "MAX_SHARED_STRINGS", "MAX_UNPACKED"]

#: Most cells a sheet may declare (rows × columns of its dimension).
MAX_CELLS = 50_000_000
#: Most distinct shared strings a workbook may declare.
MAX_SHARED_STRINGS = 5_000_000
#: Most bytes a workbook may unpack to.
MAX_UNPACKED = 2_000_000_000

_DIMENSION = re.compile(rb'<dimension[^>]*\bref="([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?"')
_SST_COUNT = re.compile(rb'<sst[^>]*\buniqueCount="(\d+)"')
_HIDDEN_ROW = re.compile(rb'<row\b[^>]*?\br="(\d+)"[^>]*?\bhidden="(?:1|true)"|<row\b[^>]*?\bhidden="(?:1|true)"[^>]*?\br="(\d+)"')
_CELL = re.compile(rb'<c\b([^>]*?)(?:/>|>(.*?)</c>)', re.DOTALL)
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_SAVED_VALUE = re.compile(rb"<v>[^<]")
_FORMULA = re.compile(rb'<f\b[^>]*?(?:/>|>(.*?)</f>)', re.DOTALL)


@dataclass
class Sheet:
    """One sheet as a grid, with what was found while reading it."""

    title: str
    grid: Grid
    hidden: bool = False
    findings: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters.decode():
        number = number * 26 + ord(ch) - 64
    return number


def _check_package(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse a workbook whose declared size is beyond any real table, before it is loaded."""
    infos = archive.infolist()
    unpacked = sum(i.file_size for i in infos)
    if unpacked > MAX_UNPACKED:
        raise DataFileError(
            f"{path.name}: arbetsboken packas upp till {unpacked / 1e9:.1f} GB, mer än jamlib läser "
            f"({MAX_UNPACKED / 1e9:.0f} GB). Spara data som CSV, eller dela upp filen.".replace(".", ",", 1), str(path))
    for info in infos:
        name = info.filename
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            with archive.open(info) as handle:
                head = handle.read(4096)
            match = _DIMENSION.search(head)
            if match and match.group(3):
                rows = int(match.group(4)) - int(match.group(2) or 1) + 1
                columns = _column_number(match.group(3)) - _column_number(match.group(1) or b"A") + 1
                cells = rows * columns
                if cells > MAX_CELLS or rows > 1_048_576 or columns > 16_384:
                    ref = match.group(0).split(b'"')[1].decode()
                    raise DataFileError(
                        f"{path.name}: ett blad ({name.rsplit('/', 1)[-1]}) anger storleken {ref}, "
                        f"{cells:,} celler, mer än jamlib läser ({MAX_CELLS:,}). Filen är skadad eller gjord för att "
                        "fylla minnet; öppna den i Excel, kopiera tabellen till en ny arbetsbok och spara den."
                        .replace(",", " "), str(path))
        elif name == "xl/sharedStrings.xml":
            with archive.open(info) as handle:
                head = handle.read(4096)
            match = _SST_COUNT.search(head)
            if (match and int(match.group(1)) > MAX_SHARED_STRINGS) or info.file_size > MAX_UNPACKED // 4:
                raise DataFileError(
                    f"{path.name}: arbetsboken anger fler olika texter än jamlib läser ({MAX_SHARED_STRINGS:,}). "
                    "Filen är skadad eller gjord för att fylla minnet.".replace(",", " "), str(path))


def _sheet_scan(archive: zipfile.ZipFile, member: str) -> tuple[list[int], list[tuple[str, int, str]]]:
    """Hidden rows, and formulas without a saved result (column letters, row, formula), of one sheet's XML."""
    try:
        data = archive.read(member)
    except KeyError:
        return [], []
    hidden = sorted({int(a or b) for a, b in _HIDDEN_ROW.findall(data)}) if b"hidden=" in data else []
    uncached: list[tuple[str, int, str]] = []
    if b"<f" in data:
        for attributes, inner in _CELL.findall(data):
            if not inner or b"<f" not in inner:
                continue
            if _SAVED_VALUE.search(inner) or b"<is>" in inner:
                continue
            ref = _REF.search(attributes)
            formula = _FORMULA.search(inner)
            text = (formula.group(1) or b"").decode("utf-8", "replace") if formula else ""
            if ref:
                uncached.append((ref.group(1).decode(), int(ref.group(2)), text))
    return hidden, uncached


def _letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_xlsx_sheets(path: Path, *, include_hidden: bool = False) -> list[Sheet]:
    """Every sheet of an ``.xlsx``/``.xlsm`` workbook as a grid of text cells.

    Raises
    ------
    DataFileError
        When the file is no readable workbook or declares sizes beyond the limits.
    """
    import openpyxl

    try:
        with zipfile.ZipFile(path) as archive:
            _check_package(path, archive)
            with path.open("rb") as handle:  # a handle, so that a workbook named .csv opens too
                workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
                try:
                    return [_read_sheet(sheet, archive, include_hidden) for sheet in workbook.worksheets]
                finally:
                    workbook.close()
    except DataFileError:
        raise
    except Exception as exc:  # openpyxl and zipfile raise many kinds
        raise DataFileError(f"{path.name}: filen kunde inte öppnas som Excel-fil ({exc}).", str(path)) from exc


def _read_sheet(sheet, archive: zipfile.ZipFile, include_hidden: bool) -> Sheet:
    member = getattr(sheet, "_worksheet_path", None)
    hidden_rows, uncached = _sheet_scan(archive, member) if member else ([], [])
    result = Sheet(sheet.title, [], hidden=sheet.sheet_state != "visible")
    skip = set() if include_hidden else set(hidden_rows)
    percent_columns: dict[int, int] = {}
    for number, row in enumerate(sheet.iter_rows(), start=1):
        if number in skip:
            continue
        cells: list[str | None] = []
        for j, cell in enumerate(row):
            value = getattr(cell, "value", None)
            if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in str(getattr(cell, "number_format", "")):
                value = round(value * 100, 10)
                percent_columns[j] = percent_columns.get(j, 0) + 1
            cells.append(cell_text(value))
        result.grid.append((number, cells))
    if hidden_rows and not include_hidden:
        shown = ", ".join(map(str, hidden_rows[:20])) + (" …" if len(hidden_rows) > 20 else "")
        result.findings.append(finding(None, None, shown, "dolda_rader",
                                       f"Bladet '{sheet.title}' har {len(hidden_rows)} dolda rader ({shown}); de lästes "
                                       "inte. Visa raderna i Excel om de ska med, eller läs med --dolda."))
    for letters, row, formula in uncached:
        if row in skip:
            continue
        result.findings.append(finding(row, None, f"={formula}", "formel_utan_värde",
                                       f"Cellen {letters}{row} innehåller en formel (={formula}) men inget sparat "
                                       "resultat: filen har skrivits av ett program som inte räknar ut formler. "
                                       "Öppna filen i Excel eller LibreOffice och spara den, så sparas värdena.", "fel"))
    for j, count in sorted(percent_columns.items()):
        result.notes.append(f"blad '{sheet.title}', kolumn {_letters(j + 1)}: {count} celler i procentformat (t.ex. "
                            "0,125 som visas 12,5 %) lästes som procenttal, som de visas (12,5)")
    return result


def read_ods_sheets(path: Path) -> list[Sheet]:
    """Every sheet of an OpenDocument spreadsheet (``.ods``) as a grid of text cells (pandas' ``odf`` engine)."""
    import pandas as pd

    try:
        frames = pd.read_excel(path, engine="odf", sheet_name=None, header=None, dtype=object)
    except ImportError as exc:
        raise DataFileError(f"{path.name}: .ods-filer kräver paketet odfpy (pip install odfpy).", str(path)) from exc
    except Exception as exc:  # odfpy and pandas raise many kinds
        raise DataFileError(f"{path.name}: filen kunde inte öppnas som OpenDocument-kalkylark ({exc}).", str(path)) from exc
    sheets = []
    for title, frame in frames.items():
        grid: Grid = [(i + 1, [cell_text(v) for v in row]) for i, row in enumerate(frame.itertuples(index=False, name=None))]
        sheets.append(Sheet(str(title), grid))
    return sheets
