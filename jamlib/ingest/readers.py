"""Reading files into raw tables of text, remembering where every cell came from.

A reader never interprets values: every cell is kept as the text the user typed
(numbers from Excel or Parquet are turned into text without loss), so that the
validation can report the value exactly as it stands in the file, and so that a
row that fails can be quarantined as it was. Each row remembers its file (and
sheet) and its row number as the user sees it in Excel (the header is row 1).

Supported: CSV (UTF-8, UTF-8 with BOM, and Swedish Excel exports with ``;``,
decimal comma and cp1252), XLSX (long tables, and SKR-style wide sheets with
moments as rows and occasions as columns, one sheet per organisation), Parquet,
and Kolada API JSON (see :mod:`jamlib.ingest.kolada_files`).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from jamlib.errors import DataFileError
from jamlib.ingest.kolada_files import read_kolada_json
from jamlib.ingest.raw import FILE, ROW, RawTable, cell_text
from jamlib.schemas import _OCCASION_LABELS

__all__ = ["RawTable", "read_raw", "DATA_SUFFIXES"]


#: File endings that are read as data.
DATA_SUFFIXES: tuple[str, ...] = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".parquet", ".json")

_cell_text = cell_text


def _frame(header: list[str], rows: list[list[str | None]], file_label: str, row_numbers: list[int]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=header, dtype=object) if rows else pd.DataFrame(columns=header, dtype=object)
    frame[FILE] = file_label
    frame[ROW] = pd.Series(row_numbers, dtype="int64") if rows else pd.Series([], dtype="int64")
    return frame


def _unique_header(cells: list[str | None], where: str) -> list[str]:
    header: list[str] = []
    for i, cell in enumerate(cells):
        name = (cell or "").strip()
        if not name:
            name = f"kolumn {i + 1}"
        if name in header:
            raise DataFileError(f"{where}: kolumnrubriken '{name}' förekommer två gånger i första raden. Ge kolumnerna olika namn.")
        header.append(name)
    return header


def _decode(raw: bytes) -> tuple[str, str]:
    try:
        return raw.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252"), "Windows-1252 (Excel)"


def _read_csv(path: Path) -> RawTable:
    raw = path.read_bytes()
    text, encoding = _decode(raw)
    if not text.strip():
        return RawTable(path, _frame([], [], path.name, []), notes=["filen är tom"])
    first_line = next(line for line in text.splitlines() if line.strip())
    separator = max([";", ",", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    header: list[str] | None = None
    rows: list[list[str | None]] = []
    numbers: list[int] = []
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if header is None:
            header = _unique_header(list(cells), path.name)
            continue
        values: list[str | None] = [c if c.strip() != "" else None for c in cells]
        if len(values) > len(header):
            extra = [v for v in values[len(header):] if v is not None]
            if extra:
                # Keep the surplus in a column of its own, so the validation can report it.
                header_extra = "(överskott)"
                if header_extra not in header:
                    header.append(header_extra)
                    for r in rows:
                        r.append(None)
                values = values[: len(header) - 1] + [separator.join(extra)]
            else:
                values = values[: len(header)]
        values += [None] * (len(header) - len(values))
        rows.append(values)
        numbers.append(line)
    sep_name = {";": "semikolon", ",": "komma", "\t": "tabb"}[separator]
    notes = [f"läst som {encoding} med {sep_name} som avgränsare"]
    return RawTable(path, _frame(header or [], rows, path.name, numbers), notes=notes)


def _occasion_header_count(cells: list[str | None]) -> int:
    found = 0
    for cell in cells:
        if cell is None:
            continue
        label = " ".join(str(cell).strip().lower().split())
        if label in _OCCASION_LABELS and not label.isdigit():
            found += 1
    return found


def _read_excel(path: Path) -> RawTable:
    try:
        import openpyxl
    except ImportError as exc:  # pragma: no cover - openpyxl is a dependency
        raise DataFileError(f"{path.name}: Excel-filer kräver paketet openpyxl.") from exc
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds
        raise DataFileError(f"{path.name}: filen kunde inte öppnas som Excel-fil ({exc}).", str(path)) from exc
    frames: list[pd.DataFrame] = []
    kinds: set[str | None] = set()
    try:
        for sheet in workbook.worksheets:
            grid = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            if not any(any(c is not None for c in row) for row in grid):
                continue
            label = f"{path.name}, blad '{sheet.title}'"
            header_at = next(i for i, row in enumerate(grid) if any(c is not None for c in row))
            wide_at = next((i for i, row in enumerate(grid) if _occasion_header_count(row) >= 2), None)
            if wide_at is not None and not any(
                (c or "").strip().lower() in ("poäng", "poang", "skattning", "score") for c in grid[wide_at]
            ):
                frames.append(_wide_sheet(grid, wide_at, sheet.title, label))
                kinds.add("checklist")
                continue
            header = _unique_header(grid[header_at], label)
            rows, numbers = [], []
            for i in range(header_at + 1, len(grid)):
                cells = grid[i] + [None] * (len(header) - len(grid[i]))
                if not any(c is not None for c in cells):
                    continue
                rows.append(cells[: len(header)])
                numbers.append(i + 1)
            frames.append(_frame(header, rows, label, numbers))
            kinds.add(None)
    finally:
        workbook.close()
    if not frames:
        return RawTable(path, _frame([], [], path.name, []), notes=["filen är tom"])
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
    return RawTable(path, pd.concat(frames, ignore_index=True), kind=kinds.pop())


_META_KEYS = {
    "organisation": "organisation", "kommun": "organisation", "organisationsnamn": "organisation",
    "kommunkod": "kommunkod", "kod": "kommunkod", "organisationskod": "kommunkod", "regionkod": "kommunkod",
    "omgång": "omgång", "omgang": "omgång",
    "roll": "roll",
    "organisationstyp": "organisationstyp", "typ": "organisationstyp",
    "skattare": "skattare",
}


def _wide_sheet(grid: list[list[str | None]], header_at: int, sheet_title: str, label: str) -> pd.DataFrame:
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
            numbers.append(i + 1)
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


def read_raw(path: str | Path) -> RawTable:
    """Read a data file into a :class:`RawTable` of text cells.

    Parameters
    ----------
    path
        A ``.csv``/``.tsv``/``.txt``, ``.xlsx``/``.xlsm``, ``.parquet`` or Kolada ``.json`` file.

    Returns
    -------
    RawTable
        The cells as text with their origin.

    Raises
    ------
    DataFileError
        When the file does not exist or cannot be read in its format.
    """
    path = Path(path)
    if not path.exists():
        raise DataFileError(f"Filen {path} finns inte.", str(path))
    if not path.is_file():
        raise DataFileError(f"{path} är ingen fil.", str(path))
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        return _read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        if path.stat().st_size == 0:
            return RawTable(path, _frame([], [], path.name, []), notes=["filen är tom"])
        return _read_excel(path)
    if suffix == ".parquet":
        return _read_parquet(path)
    if suffix == ".json":
        return read_kolada_json(path)
    raise DataFileError(
        f"{path.name}: filtypen '{suffix}' känns inte igen. Använd CSV, Excel (.xlsx), Parquet eller Kolada-JSON.",
        str(path),
    )
