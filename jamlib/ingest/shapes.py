"""From a grid of cells to a table: the header row, two-row headers, one column per sex, odd characters.

Every reader (CSV, Excel, OpenDocument) produces a grid: rows of text cells, each
with its row number as Excel shows it. :func:`table_from_grid` finds the header
(also below title rows), joins a two-row header, turns the wide layout with one
column per sex (``Kvinnor;Män;Totalt``) into the long table with a ``kön`` and a
``värde`` column, strips control characters, and reports rows whose number of
fields does not match the header. What it did is said in Swedish notes and in
``reshaping`` (shown in the manifest); row problems are returned as findings that
the validation adds to the failure table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from jamlib.errors import DataFileError
from jamlib.schemas import _SEX_LABELS, SCHEMAS

__all__ = ["Grid", "Shaped", "table_from_grid", "MAX_CELL", "finding"]

#: Longest cell kept (characters); longer cells are cut with a warning.
MAX_CELL = 10_000_000
#: How far down a header row is looked for.
HEADER_SEARCH_ROWS = 30

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SEX_HEADER = re.compile(r"^(?P<label>[^()]+?)\s*(\(.*\))?$")

#: A grid: (row number as in Excel, cells) for every row of a sheet or file.
Grid = list[tuple[int, list[str | None]]]


def _norm(text: str) -> str:
    return " ".join(str(text).strip().lower().replace("_", " ").split())


@lru_cache(maxsize=1)
def _known_headers() -> frozenset[str]:
    names = {_norm(n) for s in SCHEMAS.values() for c in s.columns for n in (c.name, c.display, *c.aliases)}
    return frozenset(names | set(_SEX_LABELS))


def _sex_of_header(cell: str | None) -> str | None:
    if cell is None:
        return None
    match = _SEX_HEADER.match(_norm(cell))
    return _SEX_LABELS.get(match.group("label")) if match else None


def _score(cells: list[str | None]) -> int:
    known = _known_headers()
    return sum(1 for c in cells if c is not None and _norm(c) in known)


def finding(row: int | None, column: str | None, value: object, rule: str, message: str,
            severity: str = "varning") -> dict:
    """A reader's finding about a row (its Excel row number) or about the file (``row=None``)."""
    return {"row": row, "column": column, "value": value, "rule": rule, "severity": severity, "message": message}


@dataclass
class Shaped:
    """A grid made into a table: header, rows of text, their Excel row numbers, and what was done."""

    header: list[str]
    rows: list[list[str | None]]
    numbers: list[int]
    findings: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    reshaping: list[str] = field(default_factory=list)


def _unique_header(cells: list[str | None], where: str, first: bool) -> list[str]:
    header: list[str] = []
    for i, cell in enumerate(cells):
        name = (cell or "").strip()
        if not name:
            name = f"kolumn {i + 1}"
        if name in header:
            place = "första raden" if first else "rubrikraden"
            raise DataFileError(f"{where}: kolumnrubriken '{name}' förekommer två gånger i {place}. Ge kolumnerna olika namn.")
        header.append(name)
    return header


def _clean(cell: str | None, row: int, column: str, findings: list[dict]) -> str | None:
    if cell is None:
        return None
    if len(cell) > MAX_CELL:
        findings.append(finding(row, column, cell[:60] + "…", "cell_kortad",
                                f"Cellen är {len(cell):,} tecken lång och kortades till de första {MAX_CELL:,} tecknen."
                                .replace(",", " ")))
        cell = cell[:MAX_CELL]
    if "\r" in cell:
        cell = cell.replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL.search(cell):
        found = sorted({f"U+{ord(ch):04X}" for ch in _CONTROL.findall(cell)})
        cell = _CONTROL.sub("", cell)
        findings.append(finding(row, column, cell[:60], "styrtecken",
                                f"Cellen innehöll osynliga styrtecken ({', '.join(found)}), som togs bort. "
                                "De kommer ofta från kopiering ur andra system."))
    return cell if cell.strip() != "" else None


def _two_row_header(header: list[str | None], below: list[str | None]) -> list[str | None] | None:
    """Join a header with the row below it when that row names the sexes under a merged cell."""
    sexes = [j for j, c in enumerate(below) if _sex_of_header(c)]
    if len({_sex_of_header(below[j]) for j in sexes}) < 2:
        return None
    others = [c for j, c in enumerate(below) if j not in sexes and c is not None]
    if others and _score(others) == 0 and len(others) > 1:
        return None  # a data row that happens to hold K and M
    width = max(len(header), len(below))
    joined: list[str | None] = []
    for j in range(width):
        top = header[j] if j < len(header) else None
        low = below[j] if j < len(below) else None
        joined.append(low if low is not None else top)
    return joined


def table_from_grid(grid: Grid, label: str, *, separator: str | None = None) -> Shaped:
    """Make a table of a grid: find the header, check the rows, reshape one column per sex.

    Parameters
    ----------
    grid
        Rows with their Excel row numbers, every cell text or ``None``.
    label
        The file (and sheet) for messages.
    separator
        For CSV: the field separator. Rows with more or fewer fields than the header
        are then reported as shifted (quarantined). ``None`` for spreadsheets.
    """
    grid = [(n, [c if c is None or str(c).strip() != "" else None for c in cells]) for n, cells in grid]
    filled = [(n, cells) for n, cells in grid if any(c is not None for c in cells)]
    if not filled:
        return Shaped([], [], [])
    at = next((i for i, (_, cells) in enumerate(filled[:HEADER_SEARCH_ROWS]) if _score(cells) >= 2), 0)
    notes: list[str] = []
    header_row, header_cells = filled[at]
    if at:
        skipped = "; ".join(" ".join(c for c in cells if c) for _, cells in filled[:at])[:120]
        notes.append(f"rubrikraden är rad {header_row}; raderna ovanför ({skipped}) är rubrik eller förklaring och "
                     "lästes inte som data")
    body = filled[at + 1:]
    reshaping: list[str] = []
    if body:
        joined = _two_row_header(header_cells, body[0][1])
        if joined is not None:
            reshaping.append(f"tvåradig rubrik (rad {header_row}–{body[0][0]}) sammanfogad till en rad: "
                             + ", ".join(c for c in joined if c))
            header_cells, body = joined, body[1:]
    header = _unique_header(list(header_cells), label, first=(header_row == 1))
    width = len(header)
    findings: list[dict] = []
    rows: list[list[str | None]] = []
    numbers: list[int] = []
    for number, cells in body:
        values = [c if c is None or str(c).strip() != "" else None for c in cells]
        if separator is not None and len(values) != width:
            surplus = [v for v in values[width:] if v is not None]
            if len(values) > width and surplus:
                sep = "tabb" if separator == "\t" else f"'{separator}'"
                findings.append(finding(
                    number, None, separator.join(surplus)[:200], "fel_antal_fält",
                    f"Raden har {len(values)} fält men rubrikraden har {width}: värdena har troligen förskjutits av "
                    f"ett {sep} i en text utan citattecken (t.ex. i en beskrivning). Sätt texten inom citattecken "
                    f"eller ta bort tecknet, så hamnar värdena i rätt kolumner.", "fel"))
            elif len(values) < width:
                findings.append(finding(
                    number, None, separator.join(v or "" for v in values)[:200], "fel_antal_fält",
                    f"Raden har {len(values)} fält men rubrikraden har {width}: fält saknas, troligen för att en "
                    "radbrytning i en cell utan citattecken delade raden i två. Rätta raden i filen.", "fel"))
        values = values[:width] + [None] * (width - len(values))
        rows.append([_clean(v, number, header[j], findings) for j, v in enumerate(values)])
        numbers.append(number)
    shaped = Shaped(header, rows, numbers, findings, notes, reshaping)
    return _melt_sexes(shaped)


def _own_sex_columns(header: list[str]) -> bool:
    """Whether another table has these per-sex columns as its own (representation units: kvinnor, män per unit)."""
    present = {_norm(h) for h in header if h}
    for schema in SCHEMAS.values():
        if schema.name == "indicators":
            continue
        headers = {c.name: {_norm(n) for n in (c.name, c.display, *c.aliases)} for c in schema.columns}
        if all(headers[c.name] & present for c in schema.required_columns) and \
                any(headers[c.name] & present for c in schema.columns if c.name in ("women", "men")):
            return True
    return False


def _melt_sexes(shaped: Shaped) -> Shaped:
    """One column per sex (``Kvinnor``, ``Män``, ``Totalt``) into rows with ``kön`` and ``värde``."""
    sex_columns = [(j, _sex_of_header(h)) for j, h in enumerate(shaped.header) if _sex_of_header(h)]
    if len({s for _, s in sex_columns}) < 2:
        return shaped
    kept = [j for j in range(len(shaped.header)) if j not in dict(sex_columns)]
    names = {_norm(shaped.header[j]) for j in kept}
    sex_aliases = {_norm(n) for n in (SCHEMAS["indicators"].column("sex").display, *SCHEMAS["indicators"].column("sex").aliases)}
    value_aliases = {_norm(n) for n in (SCHEMAS["indicators"].column("value").display,
                                        *SCHEMAS["indicators"].column("value").aliases)}
    if names & (sex_aliases | value_aliases) or _own_sex_columns(shaped.header):
        return shaped
    header = [shaped.header[j] for j in kept] + ["kön", "värde"]
    rows, numbers = [], []
    for number, cells in zip(shaped.numbers, shaped.rows):
        for j, _ in sex_columns:
            rows.append([cells[k] for k in kept] + [shaped.header[j], cells[j]])
            numbers.append(number)
    shaped.reshaping.append(
        f"bred tabell med en kolumn per kön ({', '.join(shaped.header[j] for j, _ in sex_columns)}) omformad till "
        f"lång med kolumnerna kön och värde: {len(shaped.rows)} rader blev {len(rows)}")
    return Shaped(header, rows, numbers, shaped.findings, shaped.notes, shaped.reshaping)
