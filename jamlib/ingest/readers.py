"""Reading files into raw tables of text, remembering where every cell came from.

A reader never interprets values: every cell is kept as the text the user typed
(numbers from Excel or Parquet are turned into text without loss), so that the
validation can report the value exactly as it stands in the file, and so that a
row that fails can be quarantined as it was. Each row remembers its file (and
sheet) and its row number as the user sees it in Excel (the header is row 1).

What a file is comes from its content, not its name (:mod:`jamlib.ingest.sniff`):
an ``.xlsx`` named ``.csv`` is read as the workbook it is, and a PDF, a picture or
other bytes give a Swedish message, never a traceback.

Supported: CSV and text (UTF-8, UTF-8 with BOM, Excel's UTF-16 "Unicode text",
Swedish Excel exports with ``;``, decimal comma and cp1252), XLSX (long tables on
any sheet, header rows below titles, hidden sheets and rows skipped, SKR-style
wide sheets with moments as rows and occasions as columns, one sheet per
organisation), OpenDocument ``.ods``, Parquet, and Kolada API JSON (see
:mod:`jamlib.ingest.kolada_files`). Old ``.xls`` files are refused with how to
save them as ``.xlsx``. Tables with one column per sex and two-row headers are
reshaped (:mod:`jamlib.ingest.shapes`).
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections import Counter
from pathlib import Path

import pandas as pd

from jamlib.errors import DataFileError
from jamlib.ingest.kolada_files import read_kolada_json
from jamlib.ingest.raw import FILE, ROW, RawTable, cell_text
from jamlib.ingest.shapes import MAX_CELL, Grid, Shaped, finding, table_from_grid
from jamlib.ingest.sniff import EXTENSION_KINDS, FileKind, decode_text, sniff
from jamlib.schemas import _OCCASION_LABELS

__all__ = ["RawTable", "read_raw", "DATA_SUFFIXES"]


#: File endings that are read as data (``.xls`` and ``.xlsb`` only to say how to convert them).
DATA_SUFFIXES: tuple[str, ...] = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".ods", ".xls", ".xlsb", ".parquet", ".json")

_cell_text = cell_text

#: Python's csv module stops at 128 kB per cell; results-chain descriptions can be longer.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def _frame(header: list[str], rows: list[list[str | None]], file_label: str, row_numbers: list[int]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=header, dtype=object) if rows else pd.DataFrame(columns=header, dtype=object)
    frame[FILE] = file_label
    frame[ROW] = pd.Series(row_numbers, dtype="int64") if rows else pd.Series([], dtype="int64")
    return frame


def _separator(text: str) -> str:
    """The field separator: the one a header-like line (among the first 30) has most of."""
    lines = [line for line in text[:200_000].splitlines()[:30] if line.strip()]
    return max([";", ",", "\t"], key=lambda sep: (max((line.count(sep) for line in lines), default=0), sep == ";"))


def _read_csv(path: Path) -> RawTable:
    raw = path.read_bytes()
    text, encoding, replaced = decode_text(raw)
    if not text.strip():
        return RawTable(path, _frame([], [], path.name, []), notes=["filen är tom"])
    separator = _separator(text)
    grid, stray = _csv_grid(text, separator)
    shaped = table_from_grid(grid, path.name, separator=separator)
    sep_name = {";": "semikolon", ",": "komma", "\t": "tabb"}[separator]
    notes = [f"läst som {encoding} med {sep_name} som avgränsare", *shaped.notes]
    for item in stray:  # the column by its place in the header row, when the table has one there
        position = item.pop("position")
        item["column"] = shaped.header[position] if position < len(shaped.header) and not shaped.reshaping else None
    findings = [*stray, *shaped.findings]
    if replaced:
        findings.append({"row": None, "column": None, "value": None, "rule": "okända_tecken", "severity": "varning",
                         "message": f"{replaced} tecken i filen gick inte att tolka som {encoding.split(' (')[0]} och visas som "
                                    "\ufffd. Spara filen som CSV UTF-8 i Excel."})
    return RawTable(path, _frame(shaped.header, shaped.rows, path.name, shaped.numbers), notes=notes,
                    findings=findings, reshaping=shaped.reshaping)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _csv_grid(text: str, separator: str) -> tuple[Grid, list[dict]]:
    """The records of a CSV text with their row numbers as in Excel, and findings about quotes that never close.

    A free-text cell that starts with a stray ``"`` (``"Tre tum``) opens a quoted field that runs on
    through the following lines, so those records would silently become part of one cell. When a
    record's quoted cell holds line breaks and either runs to the end of the file or holds a line that
    has the table's number of fields, the quote is taken as the stray it is: that row is read with the
    quote as an ordinary character and quarantined (a finding of severity ``fel``), and reading goes on
    from the next line, so every physical record is counted. Legitimate multi-line cells are read as
    before.

    Returns
    -------
    tuple
        The grid (row number, cells) and the findings; each finding's ``position`` is the index of the
        cell where the quote opens (the caller names the column).
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    records = list(reader)
    last = records[-1][-1] if records and records[-1] else ""
    if reader.line_num == len(records) and "\n" not in last and "\r" not in last:  # no quote runs on
        return list(enumerate(records, start=1)), []
    width = _usual_width(records)
    lines = io.StringIO(text, newline="").readlines()
    grid: Grid = []
    findings: list[dict] = []
    number = 0
    start: int | None = 0
    while start is not None:
        reader = csv.reader((lines[i] for i in range(start, len(lines))), delimiter=separator)
        restart = None
        before = 0
        for fields in reader:
            number += 1
            first, spanned, before = start + before, reader.line_num - before, reader.line_num
            at_end = start + reader.line_num >= len(lines)
            never_closed = at_end and _never_closed(lines[first:], separator)
            stray = _stray_quote(fields, width, separator, never_closed) if spanned > 1 or never_closed else None
            if stray is None:
                grid.append((number, fields))
                continue
            literal, position = stray
            grid.append((number, literal))
            closes = "aldrig stängs" if never_closed else f"inte stängs förrän på rad {first + spanned} i filen"
            swallowed = ("raden efter den hade hamnat i samma cell" if spanned == 2 else
                         f"de {spanned - 1} raderna efter den hade hamnat i samma cell" if spanned > 2 else
                         "cellen fortsätter till filens slut")
            findings.append({**finding(
                number, None, separator.join(literal[position:])[:200], "citattecken_stängs_inte",
                f"Cellen börjar med ett citattecken (\") som {closes}, så {swallowed}. Raden sattes i karantän"
                + (" och raderna efter lästes som egna rader" if spanned > 1 else "") + ". Ta bort citattecknet, "
                "eller sätt hela texten inom citattecken med citattecken i texten skrivna dubbelt (\"\"), och läs in "
                "filen igen.", "fel"), "position": position})
            restart = first + 1
            break
        start = restart
    return grid, findings


def _usual_width(records: list[list[str]]) -> int:
    """The number of fields most one-line records among the first thousand have (the header's, in a table)."""
    widths = Counter(len(r) for r in records[:1000] if len(r) > 1 and not any("\n" in c or "\r" in c for c in r))
    return widths.most_common(1)[0][0] if widths else 0


def _never_closed(lines: list[str], separator: str) -> bool:
    """Whether the last record (these lines) ends inside a quoted cell: a line added after it is swallowed too."""
    return len(list(csv.reader([*lines, "\ufffe\n"], delimiter=separator))) == 1


def _stray_quote(fields: list[str], width: int, separator: str, never_closed: bool) -> tuple[list[str], int] | None:
    """The record read with its opening quote as an ordinary character, and the cell where the quote opens, when
    the quoted cell is a stray quote's run-on rather than a multi-line text; else ``None``."""
    position = next((i for i, cell in enumerate(fields) if "\n" in cell or "\r" in cell), None)
    if position is None or width < 3:
        return None
    pieces = _LINE_BREAK.split(fields[position])
    literal = fields[:position] + ('"' + pieces[0]).split(separator)
    if len(literal) != width:  # the line where the quote opens is not a whole record without it
        return None
    if never_closed or any(len(piece.split(separator)) == width for piece in pieces[1:]):
        return literal, position
    return None


def _occasion_header_count(cells: list[str | None]) -> int:
    found = 0
    for cell in cells:
        if cell is None:
            continue
        label = " ".join(str(cell).strip().lower().split())
        if label in _OCCASION_LABELS and not label.isdigit():
            found += 1
    return found


def _skr_wide_at(grid: list[list[str | None]]) -> int | None:
    wide_at = next((i for i, row in enumerate(grid) if _occasion_header_count(row) >= 2), None)
    if wide_at is not None and not any(
        (c or "").strip().lower() in ("poäng", "poang", "skattning", "score") for c in grid[wide_at]
    ):
        return wide_at
    return None


def _read_workbook(path: Path, kind: FileKind, include_hidden: bool) -> RawTable:
    from jamlib.ingest.shapes import _score
    from jamlib.ingest.spreadsheets import read_ods_sheets, read_xlsx_sheets

    sheets = read_xlsx_sheets(path, include_hidden=include_hidden) if kind == FileKind.XLSX else read_ods_sheets(path)
    frames: list[pd.DataFrame] = []
    kinds: set[str | None] = set()
    notes: list[str] = []
    findings: list[dict] = []
    reshaping: list[str] = []
    skipped: list[str] = []
    hidden: list[str] = []
    candidates = []
    for sheet in sheets:
        label = f"{path.name}, blad '{sheet.title}'"
        if sheet.hidden and not include_hidden:
            if any(any(c is not None for c in cells) for _, cells in sheet.grid):
                hidden.append(sheet.title)
            continue
        filled = [(n, cells) for n, cells in sheet.grid if any(c is not None for c in cells)]
        if not filled:
            continue
        candidates.append((sheet, label, filled))
    data_sheets = [c for c in candidates if _skr_wide_at([cells for _, cells in c[2]]) is not None
                   or any(_score(cells) >= 2 for _, cells in c[2][:30])]
    if not data_sheets and candidates:
        data_sheets = candidates[:1]  # nothing recognisable: the first sheet, so the columns can be named in the message
    for sheet, label, filled in candidates:
        if all(sheet is not d[0] for d in data_sheets):
            skipped.append(sheet.title)
    for sheet, label, filled in data_sheets:
        cells_only = [cells for _, cells in filled]
        wide_at = _skr_wide_at(cells_only)
        for item in sheet.findings:
            findings.append({**item, "file": label})
        notes.extend(sheet.notes)
        if wide_at is not None:
            frames.append(_wide_sheet(cells_only, wide_at, sheet.title, label, [n for n, _ in filled]))
            kinds.add("checklist")
            continue
        shaped: Shaped = table_from_grid(filled, label)
        frames.append(_frame(shaped.header, shaped.rows, label, shaped.numbers))
        findings.extend({**item, "file": label} for item in shaped.findings)
        notes.extend(f"blad '{sheet.title}': {note}" for note in shaped.notes)
        reshaping.extend(f"blad '{sheet.title}': {text}" for text in shaped.reshaping)
        kinds.add(None)
    if skipped:
        notes.append("blad utan kolumner som jamlib känner igen hoppades över (t.ex. instruktioner): "
                     + ", ".join(f"'{t}'" for t in skipped))
    if hidden:
        findings.append({"row": None, "column": None, "value": ", ".join(hidden), "rule": "dolt_blad",
                         "severity": "varning", "file": path.name,
                         "message": f"Dolda blad lästes inte: {', '.join(repr(t) for t in hidden)}. Dolda blad innehåller "
                                    "ofta gamla värden; visa bladet i Excel om det ska med, eller läs med --dolda."})
    if not frames:
        return RawTable(path, _frame([], [], path.name, []), notes=["filen är tom", *notes], findings=findings)
    if len(kinds) > 1:
        raise DataFileError(
            f"{path.name}: arbetsboken blandar breda checklistblad (moment som rader, tillfällen som kolumner) "
            "med vanliga tabeller. Lägg dem i olika filer.",
            str(path),
        )
    columns = [list(f.columns) for f in frames]
    if any(set(c) != set(columns[0]) for c in columns[1:]):
        raise DataFileError(
            f"{path.name}: bladen har olika kolumner ({'; '.join(', '.join(c[:-2]) for c in columns)}). "
            "Alla blad i en fil måste ha samma kolumner.",
            str(path),
        )
    if kind == FileKind.ODS:
        notes.insert(0, "läst som OpenDocument-kalkylark (.ods)")
    return RawTable(path, pd.concat(frames, ignore_index=True), kind=kinds.pop(), notes=notes, findings=findings,
                    reshaping=reshaping)


_META_KEYS = {
    "organisation": "organisation", "kommun": "organisation", "organisationsnamn": "organisation",
    "kommunkod": "kommunkod", "kod": "kommunkod", "organisationskod": "kommunkod", "regionkod": "kommunkod",
    "omgång": "omgång", "omgang": "omgång",
    "roll": "roll",
    "organisationstyp": "organisationstyp", "typ": "organisationstyp",
    "skattare": "skattare",
}


def _wide_sheet(grid: list[list[str | None]], header_at: int, sheet_title: str, label: str,
                row_numbers: list[int]) -> pd.DataFrame:
    """Turn an SKR-style sheet (moments as rows, occasions as columns) into long rows.

    Lines above the header may hold ``Organisation | Karlstads kommun``,
    ``Kommunkod | 1780``, ``Omgång | 2020–2022``, ``Roll | deltagare``; the sheet
    name is the organisation when no such line is given.
    """
    meta: dict[str, str | None] = {"organisation": sheet_title}
    for row in grid[:header_at]:
        cells = [c for c in row if c is not None]
        if len(cells) >= 2:
            key = cells[0].strip().rstrip(":").strip().lower()
            if key in _META_KEYS:
                meta[_META_KEYS[key]] = cells[1].strip()
    header = grid[header_at]
    occasion_columns = [
        (j, cell.strip()) for j, cell in enumerate(header)
        if cell is not None and " ".join(cell.strip().lower().split()) in _OCCASION_LABELS
        and not cell.strip().isdigit()
    ]
    moment_col = next((j for j, c in enumerate(header) if c is not None and j not in dict(occasion_columns)), 0)
    rows: list[list[str | None]] = []
    numbers: list[int] = []
    for i in range(header_at + 1, len(grid)):
        row = grid[i]
        moment = row[moment_col] if moment_col < len(row) else None
        if moment is None or moment.strip().lower().startswith(("totalt", "summa", "+/-")):
            continue
        moment_text = moment.strip()
        number = moment_text.split(".")[0].strip()
        for j, occasion in occasion_columns:
            score = row[j] if j < len(row) else None
            rows.append([
                meta.get("omgång"), meta.get("organisation"), meta.get("kommunkod"),
                meta.get("organisationstyp"), meta.get("roll"), occasion,
                number if number.isdigit() else moment_text, score, meta.get("skattare"),
            ])
            numbers.append(row_numbers[i])
    header_out = ["omgång", "organisation", "kommunkod", "organisationstyp", "roll", "tillfälle", "moment", "poäng", "skattare"]
    return _frame(header_out, rows, label, numbers)


def _read_parquet(path: Path) -> RawTable:
    try:
        data = pd.read_parquet(path)
    except Exception as exc:
        raise DataFileError(f"{path.name}: filen kunde inte läsas som Parquet ({exc}).", str(path)) from exc
    rows = [[_cell_text(v) for v in record] for record in data.itertuples(index=False, name=None)]
    header = [str(c) for c in data.columns]
    return RawTable(path, _frame(header, rows, path.name, list(range(1, len(rows) + 1))))


def _refusal(path: Path, kind: FileKind, description: str) -> DataFileError:
    name = path.name
    if kind == FileKind.XLS:
        return DataFileError(
            f"{name}: filen är {description}, som jamlib inte läser. Öppna den i Excel och välj Arkiv > Spara som > "
            "Excel-arbetsbok (.xlsx), eller i LibreOffice Arkiv > Spara som > Excel 2007–365 (.xlsx). "
            "Spara som .xlsx och läs in den nya filen.", str(path))
    if kind == FileKind.XLSB:
        return DataFileError(f"{name}: filen är {description}, som jamlib inte läser. Spara som .xlsx i Excel "
                             "(Arkiv > Spara som > Excel-arbetsbok) och läs in den nya filen.", str(path))
    if kind == FileKind.ENCRYPTED:
        return DataFileError(f"{name}: filen är {description}. Ta bort lösenordet i Excel (Arkiv > Info > Skydda "
                             "arbetsbok) och spara igen, eller spara en kopia utan lösenord.", str(path))
    if kind == FileKind.DAMAGED:
        return DataFileError(f"{name}: filen är {description}, troligen avbruten under nedladdning eller kopiering. "
                             "Hämta eller spara filen på nytt.", str(path))
    if kind in (FileKind.HTML, FileKind.XML):
        return DataFileError(f"{name}: filen är {description}, inte en tabell jamlib läser. Om den kommer från Excel: "
                             "öppna den och spara som .xlsx eller CSV (UTF-8).", str(path))
    return DataFileError(f"{name}: filen är {description}, inte en tabell. jamlib läser CSV, Excel (.xlsx), "
                         "OpenDocument (.ods), Parquet och Kolada-JSON. Kontrollera att rätt fil valdes.", str(path))


def read_raw(path: str | Path, *, include_hidden: bool = False) -> RawTable:
    """Read a data file into a :class:`RawTable` of text cells.

    What the file is comes from its content: an ``.xlsx`` named ``.csv`` is read as
    a workbook (and a note says so).

    Parameters
    ----------
    path
        A ``.csv``/``.tsv``/``.txt``, ``.xlsx``/``.xlsm``, ``.ods``, ``.parquet`` or Kolada ``.json`` file.
    include_hidden
        Also read hidden sheets and hidden rows of workbooks (default: skipped, with a warning naming them).

    Returns
    -------
    RawTable
        The cells as text with their origin.

    Raises
    ------
    DataFileError
        When the file does not exist or cannot be read as a table; the message says
        what the file seems to be and what to do.
    """
    path = Path(path)
    if not path.exists():
        raise DataFileError(f"Filen {path} finns inte.", str(path))
    if not path.is_file():
        raise DataFileError(f"{path} är ingen fil.", str(path))
    suffix = path.suffix.lower()
    expected = EXTENSION_KINDS.get(suffix)
    if expected is None:
        raise DataFileError(
            f"{path.name}: filtypen '{suffix}' känns inte igen. Använd CSV, Excel (.xlsx), OpenDocument (.ods), "
            "Parquet eller Kolada-JSON.", str(path))
    found = sniff(path)
    kind = found.kind
    if kind == FileKind.EMPTY:
        return RawTable(path, _frame([], [], path.name, []), notes=["filen är tom"])
    if kind == FileKind.JSON and expected == FileKind.TEXT:
        kind = FileKind.TEXT  # a CSV whose first cell starts with { or [ is still a CSV
    if kind == FileKind.TEXT and expected == FileKind.JSON:
        kind = FileKind.JSON  # let the JSON reader say what is wrong with it
    if kind not in (FileKind.TEXT, FileKind.XLSX, FileKind.ODS, FileKind.PARQUET, FileKind.JSON):
        raise _refusal(path, kind, found.description)
    renamed = [] if kind == expected else [f"filen heter {suffix} men är {found.description} och lästes som en sådan"]
    if kind == FileKind.TEXT:
        table = _read_csv(path)
    elif kind in (FileKind.XLSX, FileKind.ODS):
        table = _read_workbook(path, kind, include_hidden)
    elif kind == FileKind.PARQUET:
        table = _read_parquet(path)
    else:
        table = read_kolada_json(path)
    table.notes[:0] = renamed
    return table
