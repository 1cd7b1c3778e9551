"""Applying the schemas of :mod:`jamlib.schemas` to raw tables.

Validation never stops at the first problem. It returns a
:class:`ValidationResult` holding the rows that passed (typed, canonical
columns), the rows that failed exactly as they stood in the file (the
quarantine), and the failure table: file, row as seen in Excel, column, value,
rule, severity and a Swedish message. Rows read always equal rows kept plus
rows quarantined.

Severity ``fel`` (error) sends the row to quarantine and makes ``jam validate``
exit with 1; ``varning`` (warning) keeps the row; ``info`` marks rows taken out
by a documented rule (identical duplicate rows, Kolada rows marked deleted).

:func:`validate` runs in five stages, each working on whole columns so that a
national Kolada extract of millions of values is checked in seconds:

1. *coerce*: a data frame or a :class:`~jamlib.ingest.raw.RawTable` becomes one
   table with ``_file``/``_row``; cells stay as they came (text, or numbers
   and categories from readers that already know the type);
2. *map columns*: the table kind and which header holds which column;
3. *parse cells*: each distinct cell text of a column is parsed once and the
   result spread over the rows that hold it;
4. *check*: the table-wide checks of the schema, as masks over columns;
5. *assemble*: failure table, quarantine and the typed rows that passed.
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from jamlib.errors import DataFileError, ValidationError
from jamlib.organisations import normalise_code
from jamlib.vocabulary import CodeProblem, Severity
from jamlib.ingest.raw import FILE, ROW, RawTable, cell_text
from jamlib.ingest.readers import read_raw
from jamlib.schemas import MOMENTS, SCHEMAS, Column, TableSchema

__all__ = ["ValidationResult", "validate", "load", "FAILURE_COLUMNS", "file_failure", "unforeseen_error",
           "internal_failure"]

#: Columns of the failure table.
FAILURE_COLUMNS: list[str] = ["file", "row", "column", "value", "rule", "severity", "message"]

_ERROR, _WARNING, _INFO = Severity.ERROR.value, Severity.WARNING.value, Severity.INFO.value
#: Severities that send a row to the quarantine.
_QUARANTINED = (_ERROR, _INFO)

_PERCENT_UNITS = {"%", "procent", "andel", "andel (%)", "andel %", "percent", "procentandel"}
_COUNT_UNITS = {"antal", "st", "stycken", "personer", "count"}


def _norm_header(text: str) -> str:
    return " ".join(str(text).strip().lower().replace("_", " ").split())


@dataclass
class ValidationResult:
    """What validation found in one file or frame.

    Attributes
    ----------
    kind
        Table kind (``checklist``, ``published``, ``indicators``, ``results_chain``),
        or ``None`` when it could not be determined.
    source
        File name (or label) the rows came from.
    data
        Rows that passed, in canonical columns with ``source_file`` and ``source_row``.
    quarantine
        Rows that did not pass, as they stood in the file, with ``fil``, ``rad``
        and ``orsak`` (reason).
    failures
        The failure table (:data:`FAILURE_COLUMNS`).
    normalisations
        Labels that were normalised (``column``, ``from``, ``to``, ``rows``),
        e.g. ``Flickor`` read as ``K``.
    rows_read
        Data rows read from the source.
    notes
        What the reader noticed, in Swedish.
    reshaping
        How the reader changed the table's shape (one column per sex made long, a
        two-row header joined), in Swedish; shown in the manifest.
    """

    kind: str | None
    source: str
    data: pd.DataFrame
    quarantine: pd.DataFrame
    failures: pd.DataFrame
    normalisations: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["column", "from", "to", "rows"]))
    rows_read: int = 0
    notes: list[str] = field(default_factory=list)
    reshaping: list[str] = field(default_factory=list)

    @property
    def rows_kept(self) -> int:
        """Number of rows that passed."""
        return len(self.data)

    @property
    def rows_quarantined(self) -> int:
        """Number of rows sent to quarantine."""
        return len(self.quarantine)

    @property
    def ok(self) -> bool:
        """True when no failure of severity ``fel`` was found."""
        return not (self.failures["severity"] == _ERROR).any()

    @property
    def summary(self) -> str:
        """A one-line Swedish summary."""
        errors = int((self.failures["severity"] == _ERROR).sum())
        warnings = int((self.failures["severity"] == _WARNING).sum())
        kind = SCHEMAS[self.kind].title if self.kind in SCHEMAS else "okänd tabelltyp"
        return (
            f"{self.source} ({kind}): {self.rows_read} rader lästa, {self.rows_kept} godkända, "
            f"{self.rows_quarantined} i karantän; {errors} fel, {warnings} varningar."
        )

    def raise_for_failures(self) -> None:
        """Raise :class:`~jamlib.errors.ValidationError` if any failure of severity ``fel`` was found."""
        if not self.ok:
            raise ValidationError(self.failures, self.summary)


# --------------------------------------------------------------------------- cells


@dataclass(frozen=True)
class _Cell:
    value: object = None
    rule: str | None = None
    message: str = ""
    severity: str = "fel"


def _parse_number(text: str) -> float | None:
    t = text.strip().replace("\u2212", "-").replace("\xa0", "").replace("\u202f", "").replace(" ", "")
    if t.endswith("%"):
        t = t[:-1]
    if "," in t and "." in t:
        t = t.replace(".", "").replace(",", ".") if t.rfind(",") > t.rfind(".") else t.replace(",", "")
    elif t.count(",") == 1:
        t = t.replace(",", ".")
    try:
        number = float(t)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _fmt(number: float) -> str:
    return (str(int(number)) if float(number).is_integer() else repr(float(number))).replace(".", ",")


#: What statistics offices (SCB) print for a missing value: ".." not available, "-" nothing to report.
MISSING_MARKERS: frozenset[str] = frozenset({"..", "…", "-", "–", "—"})
#: Excel stores dates as days since 1899-12-30; 20000-80000 is 1954-2119.
_EXCEL_EPOCH = _dt.date(1899, 12, 30)
_SERIAL_RANGE = (20000, 80000)
_EXCEL_SERIAL = re.compile(r"^(\d{5})(?:\.0+)?$")
_DATE_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_THOUSANDS = re.compile(r"^-?[1-9]\d{0,2},\d{3}$")
_COMMA_DECIMAL = re.compile(r"^-?\d+,(\d{1,2}|\d{4,})$|^-?0,\d+$")
_POINT_DECIMAL = re.compile(r"^-?\d+\.(\d{1,2}|\d{4,})$|^-?\d{1,3}(,\d{3})+\.\d+$|^-?0\.\d+$")

_PERIOD = re.compile(r"^(19|20)\d{2}(([/-])(\d{2}|\d{4})|-(0[1-9]|1[0-2])|[ -]?[QqTt][1-4])?$")


def _range_problem(col: Column, number: float) -> _Cell | None:
    if col.minimum is not None and number < col.minimum:
        if col.minimum == 0:
            return _Cell(None, "negativt_antal", f"{col.display.capitalize()} kan inte vara negativt ({_fmt(number)}).")
        return _Cell(None, "utanför_intervall", f"{col.display.capitalize()} {_fmt(number)} är mindre än det lägsta tillåtna, {_fmt(col.minimum)}.")
    if col.maximum is not None and number > col.maximum:
        return _Cell(None, "utanför_intervall", f"{col.display.capitalize()} {_fmt(number)} är större än det högsta tillåtna, {_fmt(col.maximum)}.")
    return None


def _parse_cell(col: Column, text: str | None) -> _Cell:
    if text is None or str(text).strip() == "":
        if col.nullable:
            return _Cell(None)
        return _Cell(None, "saknas", f"Värde saknas i kolumnen '{col.display}', som måste vara ifylld.")
    text = str(text).strip()
    kind = col.kind
    if kind == "text":
        return _Cell(text)
    if kind == "code":
        check = normalise_code(text)
        if check.problem is None:
            return _Cell(check.code)
        rule = {CodeProblem.LEADING_ZERO: "inledande_nolla", CodeProblem.UNKNOWN: "okänd_kod",
                CodeProblem.MALFORMED: "ogiltig_kod"}[check.problem]
        return _Cell(None, rule, check.message)
    if kind in ("number", "integer"):
        if text in MISSING_MARKERS:
            if col.nullable:
                return _Cell(None)
            return _Cell(None, "saknas", f"'{text}' betyder att uppgiften saknas, men kolumnen '{col.display}' måste vara ifylld.")
        number = _parse_number(text)
        if number is None:
            return _Cell(None, "ogiltigt_tal", f"'{text}' i kolumnen '{col.display}' är inget tal.")
        if kind == "integer" and not number.is_integer():
            return _Cell(None, "ogiltigt_tal", f"'{text}' i kolumnen '{col.display}' ska vara ett heltal.")
        problem = _range_problem(col, number)
        return problem or _Cell(int(number) if kind == "integer" else number)
    if kind == "label":
        key = _norm_header(text)
        assert col.labels is not None
        if key in col.labels:
            return _Cell(col.labels[key])
        allowed = ", ".join(sorted(set(col.labels.values())))
        return _Cell(None, "okänd_etikett", f"'{text}' är inget känt värde för {col.display}. Tillåtna värden: {allowed}.")
    if kind == "period":
        if text.endswith(".0") and text[:-2].isdigit():
            text = text[:-2]
        if _PERIOD.match(text):
            return _Cell(text)
        return _Cell(None, "ogiltig_period", f"'{text}' är ingen period. Skriv år som 2022 eller läsår som 2019/20.")
    if kind == "date":
        serial = _EXCEL_SERIAL.match(text)
        if serial and _SERIAL_RANGE[0] <= int(serial.group(1)) <= _SERIAL_RANGE[1]:
            return _Cell((_EXCEL_EPOCH + _dt.timedelta(days=int(serial.group(1)))).isoformat())
        stamp = _DATE_TIME.match(text)
        if stamp:
            text = stamp.group(1)
        for pattern, fmt in ((r"^\d{4}$", "%Y"), (r"^\d{4}-\d{2}$", "%Y-%m"), (r"^\d{4}-\d{2}-\d{2}$", "%Y-%m-%d")):
            if re.match(pattern, text):
                try:
                    _dt.datetime.strptime(text, fmt)
                    return _Cell(text)
                except ValueError:
                    break
        return _Cell(None, "ogiltigt_datum", f"'{text}' är inget datum. Skriv ÅÅÅÅ-MM-DD, ÅÅÅÅ-MM eller ÅÅÅÅ.")
    if kind == "int_list":
        parts = [p for p in re.split(r"[,;/ ]+|\boch\b", text) if p.strip()]
        numbers = []
        for part in parts:
            if not part.strip().isdigit():
                return _Cell(None, "ogiltig_lista", f"'{text}' i kolumnen '{col.display}' ska vara nummer åtskilda med komma, t.ex. 1, 5.")
            n = int(part)
            if (col.minimum is not None and n < col.minimum) or (col.maximum is not None and n > col.maximum):
                return _Cell(None, "utanför_intervall", f"{n} i kolumnen '{col.display}' ligger utanför {int(col.minimum or 0)}–{int(col.maximum or 0)}.")
            numbers.append(n)
        return _Cell(sorted(set(numbers)))
    if kind == "moment_row":
        low = text.lower()
        if low.startswith(("totalt", "summa", "total")):
            return _Cell(-1)
        head = re.match(r"^\s*(\d+)", text)
        if head and 1 <= int(head.group(1)) <= 10:
            return _Cell(int(head.group(1)))
        for number, moment_text in MOMENTS.items():
            if moment_text.lower() in low:
                return _Cell(number)
        return _Cell(None, "okänt_moment", f"'{text}' är varken ett checklistmoment (1–10) eller raden Totalt.")
    raise AssertionError(kind)  # pragma: no cover


#: Kinds whose parse result is a function of the column and the text alone, and holds no mutable value.
_CACHED_KINDS = frozenset({"text", "code", "label", "period"})
_CELL_CACHE: dict[tuple[int, str | None], tuple[Column, _Cell]] = {}
_CELL_CACHE_SIZE = 100_000


def _parse_cached(col: Column, text: str | None) -> _Cell:
    """:func:`_parse_cell`, remembered per column and text (a national extract repeats a few hundred codes)."""
    if col.kind not in _CACHED_KINDS:
        return _parse_cell(col, text)
    key = (id(col), text)
    hit = _CELL_CACHE.get(key)
    if hit is not None and hit[0] is col:  # the column itself is kept, so its id is not reused
        return hit[1]
    cell = _parse_cell(col, text)
    if len(_CELL_CACHE) >= _CELL_CACHE_SIZE:
        _CELL_CACHE.clear()
    _CELL_CACHE[key] = (col, cell)
    return cell


# --------------------------------------------------------------------------- columns and kind


def _column_map(schema: TableSchema, headers: list[str]) -> dict[str, str]:
    """Map canonical column name -> the file's header."""
    by_norm = {_norm_header(h): h for h in headers}
    mapping: dict[str, str] = {}
    for col in schema.columns:
        for name in (col.name, col.display, *col.aliases):
            header = by_norm.get(_norm_header(name))
            if header is not None and header not in mapping.values():
                mapping[col.name] = header
                break
    return mapping


def _detect_kind(headers: list[str]) -> str | None:
    best: tuple[int, int, str] | None = None
    for name, schema in SCHEMAS.items():
        mapping = _column_map(schema, headers)
        missing = [c for c in schema.required_columns if c.name not in mapping]
        score = (-len(missing), len(mapping), name)
        if best is None or score[:2] > best[:2]:
            best = score
    if best is None or best[0] < -2 or best[1] == 0:  # no column of any table recognised
        return None
    return best[2]


# --------------------------------------------------------------------------- failures


class _Failures:
    """Failures collected in the order they are found, in column blocks (one block per rule and column).

    ``index`` is the row's position in the table (``None`` for the file as a whole).
    """

    def __init__(self) -> None:
        self._blocks: list[tuple[list, list, list, list, list, list]] = []
        self.placed: dict[int, tuple[str | None, int | None]] = {}  # failure number -> (file, row) without a table row
        self._count = 0

    def add(self, index: int | None, column: object, value: object, rule: str, message: str,
            severity: str = _ERROR, *, file: str | None = None, row: int | None = None) -> None:
        if file is not None or row is not None:
            self.placed[self._count] = (file, row)
        self._blocks.append(([index], [column], [value], [rule], [severity], [message]))
        self._count += 1

    def extend(self, indices: Sequence[int], column: object, values: Sequence[object], rules: Sequence[str] | str,
               messages: Sequence[str], severity: str = _ERROR) -> None:
        n = len(indices)
        if not n:
            return
        self._count += n
        self._blocks.append((
            [int(i) for i in indices], [column] * n, list(values),
            [rules] * n if isinstance(rules, str) else list(rules), [severity] * n, list(messages)))

    def indices_with(self, rules: set[str]) -> set[int]:
        found: set[int] = set()
        for indices, _, _, block_rules, _, _ in self._blocks:
            found.update(i for i, r in zip(indices, block_rules) if r in rules and i is not None)
        return found

    def columns(self) -> tuple[list, list, list, list, list, list]:
        out: tuple[list, list, list, list, list, list] = ([], [], [], [], [], [])
        for block in self._blocks:
            for target, part in zip(out, block):
                target.extend(part)
        return out


# --------------------------------------------------------------------------- stage 1: coerce


def _coerce(raw: RawTable | pd.DataFrame, source: str | None) -> tuple[RawTable, str]:
    """The table to validate and the label used for it in messages."""
    if isinstance(raw, pd.DataFrame):
        frame = raw.copy()
        frame.columns = [str(c) for c in frame.columns]
        label = source or "tabell"
        frame[FILE] = label
        frame[ROW] = np.arange(2, len(frame) + 2, dtype="int64")
        return RawTable(Path(label), frame.reset_index(drop=True)), label
    return raw, source or raw.path.name


def _text_values(values: pd.Series | pd.Index | np.ndarray | list) -> list[str | None]:
    """Cells as the text the user sees (see :func:`jamlib.ingest.raw.cell_text`)."""
    return [v if isinstance(v, str) else cell_text(v) for v in values]


def _text_column(series: pd.Series) -> pd.Series:
    """A column of text cells (``str`` or ``None``, object dtype) as it stood in the file."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        return pd.Series(_category_texts(series), index=series.index, dtype=object, copy=False)
    if series.dtype == object and all(v is None or isinstance(v, str) for v in series):
        return series
    return pd.Series(_text_values(series.astype(object)), index=series.index, dtype=object)


def _category_texts(series: pd.Series) -> np.ndarray:
    """A categorical column's cells as text (object array), each category worked on once.

    A missing cell (code -1) takes the last text, ``None``.
    """
    categorical = series.array
    categories, codes = categorical.categories, categorical.codes
    texts = np.empty(len(categories) + 1, dtype=object)  # None where not filled
    values = np.asarray(categories, dtype=object)
    if len(codes) < len(categories):  # a few rows (e.g. those removed): only the categories they hold
        used = np.unique(codes)
        used = used[used >= 0]
        texts[used] = _text_values(values[used])
    else:
        texts[:-1] = _text_values(values)
    return texts[codes]


# --------------------------------------------------------------------------- stage 3: parse cells


@dataclass
class _Parsed:
    """One column after parsing: a value per row and, per distinct cell, what it parsed to.

    ``texts`` and ``cells`` are filled for every distinct cell of a text column, but
    only for the failing ones of a column that arrived as numbers.
    """

    values: np.ndarray
    per_text: np.ndarray  # parsed value of each distinct cell
    codes: np.ndarray  # row -> distinct cell; the empty cell is the last
    texts: list[str | None]  # the distinct cells as text
    cells: list[_Cell | None]  # what each parsed to (None: a valid number)

    @property
    def bad(self) -> np.ndarray:
        return np.array([c is not None and c.rule is not None for c in self.cells], dtype=bool)


#: Kinds parsed per category of a categorical column (see :func:`_parse_column`).
_BY_CATEGORY = frozenset({"text", "code", "period"})
_SIMPLE_NUMBER = re.compile(r"-?\d{1,15}(?:[.,]\d{1,15})?")


def _numeric_dtype(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype)


def _number_cells(col: Column, text_of: Callable[[int], str | None], numbers: np.ndarray,
                  exact: np.ndarray) -> list[_Cell | None]:
    """Parse results of distinct numeric cells: ``None`` for a valid number, else what :func:`_parse_cell` says.

    ``numbers`` holds the value of each distinct cell where ``exact`` is true (a plain
    number whose value is certain); every other cell, and every number out of range or
    not whole where a whole number is needed, goes through :func:`_parse_cell` for its message.
    """
    with np.errstate(invalid="ignore"):
        problem = ~exact
        if col.kind == "integer":
            problem |= numbers != np.floor(numbers)
        if col.minimum is not None:
            problem |= numbers < col.minimum
        if col.maximum is not None:
            problem |= numbers > col.maximum
    cells: list[_Cell | None] = [None] * len(numbers)
    for k in np.flatnonzero(problem):
        cells[k] = _parse_cell(col, text_of(int(k)))
    return cells


def _parse_column(col: Column, series: pd.Series) -> _Parsed:
    if col.kind in ("number", "integer") and _numeric_dtype(series):
        # Numbers from Kolada, Parquet or a data frame: one parse per distinct number, none for valid ones.
        codes, uniques = pd.factorize(series.to_numpy(dtype="float64", na_value=math.nan), use_na_sentinel=True)
        numbers = np.asarray(uniques, dtype="float64")
        cells = _number_cells(col, lambda k: cell_text(float(numbers[k])), numbers, np.isfinite(numbers))
        texts = [None if c is None else cell_text(float(numbers[k])) for k, c in enumerate(cells)]
    elif col.kind in _BY_CATEGORY and isinstance(series.dtype, pd.CategoricalDtype):
        # The reader's categories are the distinct cells already (Kolada): no factorisation. Their order differs
        # from first appearance, which only the label columns' normalisation list would show.
        categorical = series.array
        codes = categorical.codes.astype(np.intp)
        texts = _text_values(np.asarray(categorical.categories, dtype=object))
        cells = [_parse_cached(col, text) for text in texts]
    else:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        texts = _text_values(uniques)
        if col.kind in ("number", "integer"):
            match = _SIMPLE_NUMBER.fullmatch
            exact = np.array([t is not None and match(t) is not None for t in texts], dtype=bool)
            numbers = np.array([float(t.replace(",", ".")) if ok else math.nan  # type: ignore[union-attr]
                                for t, ok in zip(texts, exact)], dtype="float64")
            cells = _number_cells(col, texts.__getitem__, numbers, exact)
        else:
            cells = [_parse_cached(col, text) for text in texts]
    cells.append(_parse_cached(col, None))
    texts.append(None)
    codes = np.where(codes < 0, len(texts) - 1, codes)
    per_text = np.empty(len(cells), dtype="float64" if col.kind == "number" else object)
    if col.kind == "number":
        per_text[:] = [numbers[k] if c is None else (math.nan if c.value is None else c.value) for k, c in enumerate(cells)]
    elif col.kind == "integer":
        per_text[:] = [int(numbers[k]) if c is None else c.value for k, c in enumerate(cells)]
    else:
        per_text[:] = [c.value for c in cells]  # type: ignore[union-attr]
    return _Parsed(per_text[codes], per_text, codes, texts, cells)


def _with_cells(col: Column, column: _Parsed, changes: dict[int, _Cell]) -> _Parsed:
    """The column with some distinct cells parsed differently."""
    cells = list(column.cells)
    per_text = column.per_text.copy()
    for k, cell in changes.items():
        cells[k] = cell
        if col.kind == "number":
            per_text[k] = math.nan if cell.value is None else cell.value
        else:
            per_text[k] = cell.value
    return _Parsed(per_text[column.codes], per_text, column.codes, column.texts, cells)


def _number_conventions(col: Column, header: str, column: _Parsed, failures: _Failures,
                        normalised: list[dict]) -> _Parsed:
    """SCB's missing markers, and "1,234": a decimal comma or an English thousands separator?

    The column decides: other numbers with a decimal comma ("2,5") make it a decimal;
    numbers with a decimal point ("12.5") make it a thousands separator (read as 1234,
    with a warning); with neither, the value cannot be read and is quarantined.
    """
    texts = [None if t is None else t.strip() for t in column.texts[:-1]]
    counts = np.bincount(column.codes, minlength=len(column.texts))
    for k, text in enumerate(texts):
        if text in MISSING_MARKERS and counts[k]:
            normalised.append({"column": header, "from": text, "to": "(saknas)", "rows": int(counts[k])})
    ambiguous = [k for k, t in enumerate(texts) if t is not None and counts[k] and _THOUSANDS.match(t)]
    if not ambiguous:
        return column
    comma = any(t is not None and counts[k] and _COMMA_DECIMAL.match(t) for k, t in enumerate(texts))
    point = any(t is not None and counts[k] and _POINT_DECIMAL.match(t) for k, t in enumerate(texts))
    if comma and not point:
        return column  # the column writes decimals with a comma: 1,234 is one and a quarter-ish, as read
    changes: dict[int, _Cell] = {}
    for k in ambiguous:
        text = texts[k]
        assert text is not None
        whole = float(text.replace(",", ""))
        if point and not comma:
            cell = _parse_cell(col, text.replace(",", ""))
            changes[k] = cell
            if cell.rule is None:
                normalised.append({"column": header, "from": text, "to": cell.value, "rows": int(counts[k])})
                rows = np.flatnonzero(column.codes == k)
                failures.extend(rows, header, [column.texts[k]] * len(rows), "tusentalsavgränsare",
                                [f"'{text}' lästes som {_fmt(whole)}: kolumnen skriver decimaler med punkt, så kommat "
                                 "är en tusentalsavgränsare (engelsk Excel)."] * len(rows), _WARNING)
        else:
            changes[k] = _Cell(None, "tvetydigt_tal",
                               f"'{text}' i kolumnen '{col.display}' kan vara {_fmt(float(text.replace(',', '.')))} "
                               f"(decimalkomma) eller {_fmt(whole)} (tusentalsavgränsare, som i engelsk Excel). "
                               "Skriv talet utan tusentalsavgränsare, eller med decimalkomma och färre eller fler än tre decimaler.")
    return _with_cells(col, column, changes)


_OCCASIONS_1_TO_4 = {"1": "uppstart", "2": "träff 1", "3": "träff 2", "4": "träff 3"}


def _occasion_numbering(col: Column, header: str, column: _Parsed, failures: _Failures) -> _Parsed:
    """Occasions given as numbers: 0–3 (0 = Uppstart) is clear, 1–4 is read with a warning, 1–3 alone cannot be told."""
    counts = np.bincount(column.codes, minlength=len(column.texts))
    digits = {k: t.strip() for k, t in enumerate(column.texts[:-1])
              if t is not None and counts[k] and t.strip() in ("0", "1", "2", "3", "4")}
    present = set(digits.values())
    if not present or "0" in present:
        return column
    changes: dict[int, _Cell] = {}
    if "4" in present:
        for k, digit in digits.items():
            changes[k] = _Cell(_OCCASIONS_1_TO_4[digit])
        failures.add(None, header, ", ".join(sorted(present)), "tillfällen_1_4",
                     "Tillfällena är numrerade 1–4 och lästes som 1 = Uppstart, 2 = Träff 1, 3 = Träff 2, "
                     "4 = Träff 3. Skriv hellre ut namnen, så blir det aldrig fel.", _WARNING)
    else:
        for k, digit in digits.items():
            changes[k] = _Cell(None, "tvetydigt_tillfälle",
                               f"Tillfället '{digit}' kan betyda {_OCCASIONS_1_TO_4[digit].capitalize()} (om tillfällena "
                               f"numreras 1–4) eller Träff {digit} (om de numreras 0–3, med 0 för Uppstart). Skriv "
                               "Uppstart, Träff 1, Träff 2 eller Träff 3.")
    return _with_cells(col, column, changes)


def _parse_cells(schema: TableSchema, frame: pd.DataFrame, mapping: dict[str, str],
                 failures: _Failures) -> tuple[dict[str, np.ndarray], dict[str, _Parsed], list[dict]]:
    """Every column of the schema parsed: its values per row (float64 for numbers, else objects), the
    parsed columns of the file, and the labels normalised."""
    parsed: dict[str, np.ndarray] = {}
    columns: dict[str, _Parsed] = {}
    normalised: list[dict] = []
    n = len(frame)
    for col in schema.columns:
        header = mapping.get(col.name)
        if header is None:
            parsed[col.name] = np.full(n, math.nan) if col.kind == "number" else np.full(n, None, dtype=object)
            continue
        column = _parse_column(col, frame[header])
        if col.kind in ("number", "integer") and not _numeric_dtype(frame[header]):
            column = _number_conventions(col, header, column, failures, normalised)
        if col.name == "occasion":
            column = _occasion_numbering(col, header, column, failures)
        columns[col.name] = column
        parsed[col.name] = column.values
        bad = column.bad
        if bad.any():
            rows = np.flatnonzero(bad[column.codes])
            which = column.codes[rows]
            failures.extend(rows, header, [column.texts[k] for k in which], [column.cells[k].rule for k in which],
                            [column.cells[k].message for k in which])
        if col.kind in ("label", "date"):
            present = np.bincount(column.codes, minlength=len(column.texts))[:-1]
            counts = pd.Series(present, index=pd.Index(column.texts[:-1], dtype=object))
            counts = counts[counts > 0]
            if counts.index.has_duplicates:  # e.g. 1 and "1" in one column of a data frame: one text
                counts = counts.groupby(level=0, sort=False).sum()
            counts = counts.sort_values(ascending=False, kind="stable")  # as Series.value_counts
            order = {t: k for k, t in enumerate(column.texts[:-1])}
            for text, count in counts.items():
                cell = column.cells[order[text]]
                if cell.rule is None and str(text).strip().lower() != str(cell.value).lower():
                    normalised.append({"column": header, "from": str(text).strip(), "to": cell.value, "rows": int(count)})
    return parsed, columns, normalised


def _parsed_frame(arrays: dict[str, np.ndarray]) -> pd.DataFrame:
    """The parsed values as a data frame (built only for the checks that work on rows)."""
    # copy=False: the arrays are new and used by nobody else (copying them costs a tenth of a national ingest)
    return pd.DataFrame({name: pd.Series(values, dtype="float64" if isinstance(values, np.ndarray)
                                         and values.dtype == np.float64 else object, copy=False)
                         for name, values in arrays.items()}, copy=False)
# --------------------------------------------------------------------------- stage 4: table checks


_Check = Callable[["_Context"], None]


@dataclass
class _Context:
    schema: TableSchema
    frame: pd.DataFrame  # cells as read, with FILE/ROW
    arrays: dict[str, np.ndarray]  # canonical values per schema column (None or NaN where the cell failed)
    mapping: dict[str, str]
    failures: _Failures
    allow_half_points: bool
    columns: dict[str, _Parsed] = field(default_factory=dict)
    _ids: dict[tuple[str, str | None], tuple[np.ndarray, list[str]]] = field(default_factory=dict)

    @functools.cached_property
    def parsed(self) -> pd.DataFrame:
        """The canonical values as a data frame."""
        return _parsed_frame(self.arrays)

    def value_ids(self, name: str, missing: str | None = None) -> tuple[np.ndarray, list[str]]:
        """Per row an integer id of the parsed value as text, and the texts by id.

        A missing value gets id -1, or the id of ``missing`` when that is given. Worked out once per
        column (several checks ask); the arrays returned are shared, so callers must not change them.
        """
        key = (name, missing)
        if key not in self._ids:
            if missing is None:
                self._ids[key] = self._value_ids(name, None)
            else:  # from the ids without ``missing``: the missing value joins the text equal to it, or gets its own id
                ids, texts = self.value_ids(name)
                at = texts.index(missing) if missing in texts else len(texts)
                self._ids[key] = (np.where(ids < 0, at, ids), texts if at < len(texts) else [*texts, missing])
        return self._ids[key]

    def missing(self, name: str) -> np.ndarray:
        """Per row whether the parsed value is missing (what ``parsed[name].isna()`` says)."""
        column = self.columns.get(name)
        if column is None:
            return pd.isna(self.arrays[name])
        return pd.isna(column.per_text)[column.codes]

    def _value_ids(self, name: str, missing: str | None) -> tuple[np.ndarray, list[str]]:
        column = self.columns.get(name)
        if column is None:
            return (np.full(len(self.frame), -1, dtype="int64"), []) if missing is None else \
                (np.zeros(len(self.frame), dtype="int64"), [missing])
        texts = [missing if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else str(v)
                 for v in column.per_text]
        ids, uniques = pd.factorize(pd.Series(texts, dtype=object), use_na_sentinel=True)
        return ids[column.codes].astype("int64"), list(uniques)

    def header(self, name: str) -> str:
        return self.mapping.get(name, self.schema.column(name).display)

    def fail(self, index: int, column: str, value: object, rule: str, message: str, severity: str = _ERROR) -> None:
        self.failures.add(index, column, value, rule, message, severity)

    def raw(self, index: int, name: str) -> object:
        header = self.mapping.get(name)
        if header is None:
            return None
        value = self.frame.at[index, header]
        return value if value is None or isinstance(value, str) else cell_text(value)

    def raws(self, indices: np.ndarray, name: str) -> list[object]:
        return [self.raw(int(i), name) for i in indices]


def _numbers(ctx: _Context, name: str) -> np.ndarray:
    values = ctx.arrays[name]
    if values.dtype == np.float64:
        return values
    return ctx.parsed[name].to_numpy(dtype="float64", na_value=math.nan)


def _check_half_points(ctx: _Context) -> None:
    score = _numbers(ctx, "score")
    with np.errstate(invalid="ignore"):
        whole = np.isnan(score) | (score == np.floor(score))
        half = (2 * score) == np.floor(2 * score)
    bad = ~whole & ~half if ctx.allow_half_points else ~whole
    rows = np.flatnonzero(bad)
    if ctx.allow_half_points:
        messages = [f"Poängen {_fmt(score[i])} är varken hel eller halv. Checklistan skattas 1–4 i hela (eller halva) poäng."
                    for i in rows]
    else:
        messages = [f"Poängen {_fmt(score[i])} är en halvpoäng. Checklistan skattas i hela poäng 1–4; "
                    "om er organisation använder halvpoäng, kör med --halvpoang." for i in rows]
    ctx.failures.extend(rows, ctx.header("score"), ctx.raws(rows, "score"), "halvpoäng", messages)


def _combine(*ids: np.ndarray) -> np.ndarray:
    """One id per distinct combination of the given id columns, numbered by first appearance."""
    if len(ids) > 1 and all(not len(i) or int(i.min()) >= 0 for i in ids):
        sizes = [int(i.max(initial=0)) + 1 for i in ids]
        if math.prod(sizes) < 2 ** 62:  # one integer per combination: the same first-appearance numbering
            key = ids[0].astype("int64")
            for more, size in zip(ids[1:], sizes[1:]):
                key = key * size + more
            return np.asarray(pd.factorize(key)[0], dtype="int64")
    combined = ids[0]
    for more in ids[1:]:
        combined, _ = pd.factorize(combined * (int(more.max(initial=0)) + 1) + more)
    return np.asarray(combined, dtype="int64") if len(ids) > 1 else pd.factorize(combined)[0].astype("int64")


def _check_duplicate_keys(ctx: _Context) -> None:
    """Rows with the same key: an exact copy is counted once (``dubblettrad``), different values are an error
    (``dubblett``) naming every row of the key.

    The groups, their rows and whether their values differ are worked out over whole columns; only the
    messages are made per group (a table pasted twice has as many groups as rows).
    """
    key = [k for k in ctx.schema.key if k in ctx.arrays]
    values = [c.name for c in ctx.schema.columns if c.name not in key and c.name in ctx.arrays]
    usable = np.ones(len(ctx.frame), dtype=bool)
    for k in key:
        if not ctx.schema.column(k).nullable:
            usable &= ctx.value_ids(k)[0] >= 0
    if not usable.any():
        return
    groups = _combine(*(ctx.value_ids(k, missing="")[0][usable] for k in key))
    duplicated = np.bincount(groups)[groups] > 1
    if not duplicated.any():
        return
    positions = np.flatnonzero(usable)[duplicated]  # the parsed frame is numbered 0, 1, ... like the rows
    subset = ctx.parsed.iloc[positions]
    group = pd.factorize(groups[duplicated])[0].astype("int64")  # the keys repeated, in the order they first appear
    order = np.argsort(group, kind="stable")  # each group's rows in file order
    starts = np.flatnonzero(np.r_[True, np.diff(group[order]) != 0])
    members = np.split(positions[order], starts[1:])
    if values:  # whether a group's rows hold different values (compared as text, as they are shown)
        texts = subset[values].astype(str)
        signature = _combine(*(pd.factorize(texts[c].to_numpy(dtype=object), use_na_sentinel=False)[0].astype("int64")
                                 for c in values))  # a missing value is a value of its own
        width = int(signature.max()) + 1
        varieties = np.bincount(np.unique(group * width + signature) // width, minlength=len(members))
    else:
        varieties = np.ones(len(members), dtype="int64")
    excel_rows = ctx.frame[ROW].to_numpy()
    key_text = ", ".join(ctx.header(k) for k in key if k in ctx.mapping)
    shown = [(k, ctx.parsed[k]) for k in key if k in ctx.mapping]
    hint = " Om flera personer har skattat, lägg till kolumnen 'skattare' som skiljer dem åt." \
        if ctx.schema.name == "checklist" and "rater" not in ctx.mapping else ""
    for rows_of_group, variety in zip(members, varieties):
        indices = [int(i) for i in rows_of_group]
        rows = [int(excel_rows[i]) for i in indices]
        firsts = [(ctx.header(k), column.iat[indices[0]]) for k, column in shown]
        described = ", ".join(f"{header} {value}" for header, value in firsts if value is not None)
        if variety > 1:
            message = f"Samma nyckel ({described}) finns på raderna {', '.join(map(str, rows))} med olika värden.{hint}"
            ctx.failures.extend(indices, key_text, [described] * len(indices), "dubblett", [message] * len(indices))
        else:
            ctx.failures.extend(indices[1:], key_text, [described] * (len(indices) - 1), "dubblettrad",
                                [f"Raden är en exakt kopia av rad {rows[0]} och räknas bara en gång."] * (len(indices) - 1),
                                severity=_INFO)


def _check_org_identified(ctx: _Context) -> None:
    missing = np.flatnonzero(ctx.missing("org_code") & ctx.missing("org_name"))
    if not len(missing):
        return
    already = ctx.failures.indices_with({"okänd_kod", "inledande_nolla", "ogiltig_kod"})
    rows = [i for i in missing if int(i) not in already]
    ctx.failures.extend(rows, f"{ctx.header('org_code')}/{ctx.header('org_name')}", [None] * len(rows),
                        "organisation_saknas",
                        ["Raden saknar både kommunkod och organisationsnamn, så det går inte att veta vem värdet gäller."]
                        * len(rows))


def _unit_kind(unit: object) -> str | None:
    if unit is None or (isinstance(unit, float) and math.isnan(unit)):
        return None
    text = _norm_header(str(unit))
    if text in _PERCENT_UNITS or "%" in text or "procent" in text:
        return "percent"
    if text in _COUNT_UNITS:
        return "count"
    return None


def _unit_kinds(ctx: _Context) -> np.ndarray:
    column = ctx.columns.get("unit")
    if column is not None:  # each distinct cell once
        return np.array([_unit_kind(u) for u in column.per_text], dtype=object)[column.codes]
    codes, uniques = pd.factorize(pd.Series(ctx.arrays["unit"], dtype=object, copy=False), use_na_sentinel=True)
    kinds = np.array([_unit_kind(u) for u in uniques] + [None], dtype=object)
    return kinds[np.where(codes < 0, len(kinds) - 1, codes)]


def _check_share_range(ctx: _Context) -> None:
    value = _numbers(ctx, "value")
    units = _unit_kinds(ctx)
    with np.errstate(invalid="ignore"):
        percent = (units == "percent") & ((value < 0) | (value > 100))
        count = (units == "count") & (value < 0)
    rows = np.flatnonzero(percent | count)
    if not len(rows):
        return
    rules, messages = [], []
    for i in rows:
        if percent[i]:
            rules.append("andel_utanför_0_100")
            messages.append(f"Värdet {_fmt(value[i])} är en andel i procent men ligger utanför 0–100.")
        else:
            rules.append("negativt_antal")
            messages.append(f"Värdet {_fmt(value[i])} är ett antal och kan inte vara negativt.")
    ctx.failures.extend(rows, ctx.header("value"), ctx.raws(rows, "value"), rules, messages)


def _check_numerator_denominator(ctx: _Context) -> None:
    if "numerator" not in ctx.arrays or "denominator" not in ctx.arrays:
        return
    if "numerator" not in ctx.mapping or "denominator" not in ctx.mapping:
        return  # a column not in the file is all missing: no row can fail
    num, den = _numbers(ctx, "numerator"), _numbers(ctx, "denominator")
    with np.errstate(invalid="ignore"):
        rows = np.flatnonzero(num > den)
    ctx.failures.extend(rows, ctx.header("numerator"), ctx.raws(rows, "numerator"), "täljare_större_än_nämnare",
                        [f"Täljaren {_fmt(num[i])} är större än nämnaren {_fmt(den[i])}: fler i gruppen än det "
                         "finns personer totalt." for i in rows])


def _check_sex_completeness(ctx: _Context) -> None:
    indicator, indicator_texts = ctx.value_ids("indicator_id")
    period, period_texts = ctx.value_ids("period")
    sex, sex_texts = ctx.value_ids("sex")
    code, code_texts = ctx.value_ids("org_code")
    name, name_texts = ctx.value_ids("org_name")
    # The organisation is its code, or its name where the code is missing; the same text is the same organisation.
    org_texts, canonical = np.unique(np.array(code_texts + name_texts + [""], dtype=object), return_inverse=True) \
        if code_texts or name_texts else (np.array([], dtype=object), np.array([], dtype="int64"))
    org = np.where(code >= 0, code, np.where(name >= 0, len(code_texts) + name, -1))
    org = np.where(org >= 0, canonical[np.maximum(org, 0)] if len(canonical) else -1, -1)
    valid = (indicator >= 0) & (period >= 0) & (sex >= 0) & (org >= 0)
    if not valid.any():
        return
    positions = np.flatnonzero(valid)
    org, indicator, period = org[valid], indicator[valid], period[valid]
    sex_ids = sex[valid]
    is_sex = {s: sex_ids == (sex_texts.index(s) if s in sex_texts else -1) for s in ("K", "M", "T")}  # integer compares
    groups = _combine(org, indicator, period)
    pairs = _combine(org, indicator)
    size = int(groups.max()) + 1
    has = {s: np.bincount(groups, weights=is_sex[s], minlength=size) > 0 for s in ("K", "M", "T")}
    pair_split = np.bincount(pairs, weights=is_sex["K"] | is_sex["M"]) > 0
    _, first = np.unique(groups, return_index=True)  # groups are numbered by first appearance
    k, m, t = has["K"], has["M"], has["T"]
    km_without_t = k & m & ~t
    t_and_one = t & (k | m) & ~(k & m)
    only_t = t & ~k & ~m & pair_split[pairs[first]]
    one_sex = ~t & (k ^ m)
    flagged = np.flatnonzero(km_without_t | t_and_one | only_t | one_sex)
    firsts = first[flagged]
    # The message's end and the value depend only on which case applies and which of K, M, T the group has:
    # worked out for the few combinations, then one formatted string per flagged group.
    case = np.select([km_without_t[flagged], t_and_one[flagged], only_t[flagged]], [0, 1, 2], 3)
    present = k[flagged].astype("int64") * 4 + m[flagged] * 2 + t[flagged]
    endings, texts = [], []
    for code in range(32):
        which, bits = divmod(code, 8)
        sexes = ("K" if bits & 4 else "") + ("M" if bits & 2 else "") + ("T" if bits & 1 else "")
        endings.append(("K och M finns men inte T (totalt).",
                        f"T och ett kön finns, men {'M' if bits & 4 else 'K'} saknas.",
                        "bara T (totalt) finns, fast indikatorn är könsuppdelad andra år.",
                        f"bara ett kön ({sexes}) finns, varken det andra könet eller T.")[which])
        texts.append(",".join(sexes))
    combination = (case * 8 + present).tolist()
    messages = [f"{ind} {per} för {o}: {endings[c]}" for ind, per, o, c in zip(
        np.asarray(indicator_texts, dtype=object)[indicator[firsts]].tolist(),
        np.asarray(period_texts, dtype=object)[period[firsts]].tolist(), org_texts[org[firsts]].tolist(), combination)]
    values = [texts[c] for c in combination]
    rows = positions[firsts]
    ctx.failures.extend(rows, ctx.header("sex"), values, "kön_ofullständigt", messages, severity=_WARNING)


def _check_published_cell_range(ctx: _Context) -> None:
    for index, row in ctx.parsed.iterrows():
        moment = row["moment"]
        if moment is None or moment == -1:
            continue
        for name in ("uppstart", "träff 1", "träff 2", "träff 3"):
            value = row[name]
            if value is not None and not pd.isna(value) and not 1 <= value <= 4:
                ctx.fail(index, ctx.header(name), ctx.raw(index, name), "utanför_intervall",
                         f"Medelvärdet {_fmt(value)} för moment {moment} ligger utanför skalan 1–4.")
        change = row["change"]
        if change is not None and not pd.isna(change) and not -3 <= change <= 3:
            ctx.fail(index, ctx.header("change"), ctx.raw(index, "change"), "utanför_intervall",
                     f"Förändringen {_fmt(change)} för moment {moment} är större än skalan 1–4 tillåter.")


def _check_published_sums(ctx: _Context) -> None:
    from jamlib.analysis.published import check_published_table

    for table_id, group in ctx.parsed.groupby("table", sort=False):
        canonical = _published_canonical(group)
        findings = check_published_table(canonical)
        for _, finding in findings.iterrows():
            label = finding["row"]
            if label == "Totalt":
                index = group.index[group["moment"] == -1][0]
            else:
                index = group.index[group["moment"] == int(label)][0]
            name = "change" if finding["column"] == "+/-" else finding["column"].lower()
            ctx.fail(index, ctx.header(name), ctx.raw(index, name), "publicerad_summa",
                     f"{table_id}: {finding['message']}")


_CHECKS: dict[str, _Check] = {
    "half_points": _check_half_points,
    "duplicate_keys": _check_duplicate_keys,
    "org_identified": _check_org_identified,
    "share_range": _check_share_range,
    "numerator_denominator": _check_numerator_denominator,
    "sex_completeness": _check_sex_completeness,
    "published_cell_range": _check_published_cell_range,
    "published_sums": _check_published_sums,
}


def _published_canonical(parsed: pd.DataFrame) -> pd.DataFrame:
    out = parsed.copy()
    out["moment"] = out["moment"].map(lambda m: pd.NA if m is None or m == -1 else int(m)).astype("Int64")
    return out
# --------------------------------------------------------------------------- stage 5: assemble


def _empty_result(kind: str | None, source: str, rows: int, failures: list[dict], raw: pd.DataFrame,
                  notes: list[str], table: RawTable | None = None) -> ValidationResult:
    quarantine = _quarantine_frame(raw, np.arange(len(raw)), [[f["message"] for f in failures]] * len(raw))
    found = [{"file": f.get("file", source), **{k: f.get(k) for k in FAILURE_COLUMNS if k != "file"}}
             for f in (table.findings if table is not None else [])]
    return ValidationResult(kind, source, pd.DataFrame(), quarantine,
                            pd.DataFrame(found + failures, columns=FAILURE_COLUMNS), rows_read=rows, notes=notes,
                            reshaping=list(table.reshaping) if table is not None else [])


def _add_findings(table: RawTable, frame: pd.DataFrame, label: str, failures: _Failures) -> None:
    """The reader's findings as failures: a row's finding on every table row from that file row."""
    if not table.findings:
        return
    rows = frame[ROW].to_numpy()
    files = frame[FILE].to_numpy(dtype=object)
    for item in table.findings:
        if item.get("row") is None:
            failures.add(None, item.get("column"), item.get("value"), item["rule"], item["message"],
                         item.get("severity", _WARNING), file=item.get("file"))
            continue
        where = rows == item["row"]
        if "file" in item:
            where &= files == item["file"]
        positions = np.flatnonzero(where)
        if not len(positions):  # a row the reader did not keep (e.g. beyond the table): about the file
            failures.add(None, item.get("column"), item.get("value"), item["rule"], item["message"],
                         item.get("severity", _WARNING), file=item.get("file"), row=item["row"])
            continue
        failures.extend(positions, item.get("column"), [item.get("value")] * len(positions), item["rule"],
                        [item["message"]] * len(positions), item.get("severity", _WARNING))


def _quarantine_frame(raw: pd.DataFrame, positions: np.ndarray, reasons: list[list[str]]) -> pd.DataFrame:
    """The quarantined rows as they stood in the file, with file, row and reason first."""
    if not len(positions):
        return pd.DataFrame(columns=["fil", "rad", "orsak"])
    rows = raw.iloc[positions]
    other = [c for c in rows.columns if c not in (FILE, ROW, "_reason")]
    out = pd.DataFrame({c: _text_column(rows[c]) for c in other}, index=rows.index)
    out.insert(0, "orsak", [" | ".join(dict.fromkeys(r)) for r in reasons])
    out.insert(0, "rad", rows[ROW].astype("int64").to_numpy())
    out.insert(0, "fil", rows[FILE].to_numpy())
    return out.reset_index(drop=True)


def _typed(schema: TableSchema, parsed: dict[str, np.ndarray], columns: dict[str, _Parsed], kept: np.ndarray,
           text_codes: dict[str, tuple[np.ndarray, np.ndarray]] | None = None) -> dict:
    """The kept rows in their output types, built column by column from the distinct values.

    ``text_codes``, when given, receives for each text column that is its parsed distinct values taken per
    row (every text column of a file, unless a check replaced its values) the kept rows' codes and the
    distinct values: the column is ``distinct[codes]``, which ingest turns into Arrow without a Python
    string per row (:func:`jamlib.ingest.store._to_arrow`).
    """
    out: dict[str, object] = {}
    n = int(kept.sum())
    for col in schema.columns:
        column = columns.get(col.name)
        if col.kind == "number":
            out[col.name] = parsed[col.name].astype("float64", copy=False)[kept]
        elif col.kind in ("integer", "moment_row"):
            if column is None:
                out[col.name] = pd.array([None] * n, dtype="Int64")
                continue
            missing = np.array([v is None or (col.kind == "moment_row" and v == -1) for v in column.per_text], dtype=bool)
            numbers = np.array([0 if m else int(v) for v, m in zip(column.per_text, missing)], dtype="int64")
            codes = column.codes[kept]
            out[col.name] = pd.arrays.IntegerArray(numbers[codes], missing[codes])
        elif col.kind == "int_list":
            lists = np.empty(n, dtype=object)
            lists[:] = [[] if v is None else list(v) for v in parsed[col.name].astype(object, copy=False)[kept]]
            out[col.name] = pd.Series(lists, dtype=object, copy=False)
        else:
            out[col.name] = pd.Series(parsed[col.name].astype(object, copy=False)[kept], dtype=object, copy=False)
            if text_codes is not None and column is not None and parsed[col.name] is column.values:
                text_codes[col.name] = (column.codes[kept], column.per_text)
    return out


def _assemble(kind: str, schema: TableSchema, label: str, frame: pd.DataFrame, removed: pd.DataFrame,
              parsed: dict[str, np.ndarray], columns: dict[str, _Parsed], failures: _Failures, normalised: list[dict],
              rows_read: int, notes: list[str], reshaping: list[str],
              text_codes: dict[str, tuple[np.ndarray, np.ndarray]] | None = None) -> ValidationResult:
    indices, failed_columns, values, rules, severities, messages = failures.columns()
    n = len(indices)
    located = np.array([i is not None for i in indices], dtype=bool)
    where = np.array([i if i is not None else 0 for i in indices], dtype="int64")
    row_numbers = frame[ROW].to_numpy(dtype="int64")[where] if n else np.empty(0, dtype="int64")
    file_labels = frame[FILE].iloc[where].to_numpy(dtype=object) if n else np.empty(0, dtype=object)
    placed = failures.placed
    table = {
        "file": [file_labels[k] if located[k] else (placed.get(k, (None, None))[0] or label) for k in range(n)],
        "row": [int(row_numbers[k]) if located[k] else placed.get(k, (None, None))[1] for k in range(n)],
        "column": failed_columns, "value": values, "rule": rules, "severity": severities, "message": messages,
    }
    if len(removed):
        reasons_removed = removed["_reason"].tolist()
        table["file"] += removed[FILE].tolist()
        table["row"] += [int(r) for r in removed[ROW]]
        for name in ("column", "value"):
            table[name] += [None] * len(removed)
        table["rule"] += ["raderad_i_kolada"] * len(removed)
        table["severity"] += [_INFO] * len(removed)
        table["message"] += [f"Värdet är {reason} och tas inte med." for reason in reasons_removed]
    failure_table = pd.DataFrame(table, columns=FAILURE_COLUMNS) if n or len(removed) else \
        pd.DataFrame(columns=FAILURE_COLUMNS)
    failure_table["row"] = failure_table["row"].astype("Int64")

    # Quarantine: every row with a failure of severity fel or info, its reasons in the order found.
    reasons: dict[int, list[str]] = {}
    for k in range(n):
        if located[k] and severities[k] in _QUARANTINED:
            reasons.setdefault(int(where[k]), []).append(messages[k])
    positions = np.array(sorted(reasons), dtype="int64")
    quarantine = _quarantine_frame(frame, positions, [reasons[int(p)] for p in positions])
    if len(removed):
        others = [c for c in removed.columns if c not in (FILE, ROW, "_reason", "fil", "rad", "orsak")]
        if len(quarantine):
            removed_q = pd.DataFrame({"fil": removed[FILE], "rad": removed[ROW], "orsak": removed["_reason"],
                                      **{c: _text_column(removed[c]) for c in others}}, copy=False)
            quarantine = pd.concat([quarantine, removed_q], ignore_index=True)
        else:  # what concat gives after the empty frame of fil, rad, orsak: every column of objects (Kolada's case)
            quarantine = pd.DataFrame({
                "fil": removed[FILE].to_numpy(dtype=object), "rad": removed[ROW].to_numpy().astype(object),
                "orsak": removed["_reason"].to_numpy(dtype=object),
                **{c: _category_texts(removed[c]) if isinstance(removed[c].dtype, pd.CategoricalDtype)
                   else _text_column(removed[c]).to_numpy(dtype=object) for c in others}}, dtype=object, copy=False)
    kept = np.ones(len(frame), dtype=bool)
    kept[positions] = False
    typed = _typed(schema, parsed, columns, kept, text_codes)
    if kind == "published":
        moments = typed["moment"]
        texts = [None if m is pd.NA else MOMENTS[int(m)] for m in moments]  # a list: typed as before (str)
        typed = {k: v for name, value in typed.items()
                 for k, v in ([(name, value), ("moment_text", texts)] if name == "moment" else [(name, value)])}
    files = frame[FILE]
    # pandas' own text column taken as it is: no detour through a Python string per row
    typed["source_file"] = files.array[kept] if files.dtype == "str" else files.to_numpy(dtype=object)[kept]
    typed["source_row"] = frame[ROW].to_numpy(dtype="int64")[kept]
    data = pd.DataFrame(typed, copy=False)
    result = ValidationResult(kind, label, data, quarantine, failure_table,
                              pd.DataFrame(normalised, columns=["column", "from", "to", "rows"]),
                              rows_read=rows_read, notes=notes, reshaping=reshaping)
    assert result.rows_kept + result.rows_quarantined == result.rows_read
    return result


# --------------------------------------------------------------------------- entry points


def validate(
    raw: RawTable | pd.DataFrame,
    kind: str | None = None,
    *,
    allow_half_points: bool = False,
    source: str | None = None,
    skip_checks: tuple[str, ...] = (),
) -> ValidationResult:
    """Validate a raw table against one of jamlib's schemas, collecting every problem.

    Parameters
    ----------
    raw
        A :class:`~jamlib.ingest.raw.RawTable` from :func:`~jamlib.ingest.readers.read_raw`, or a
        data frame (cells are read as text; rows are numbered from 2 as in Excel).
    kind
        ``checklist``, ``published``, ``indicators`` or ``results_chain``; detected
        from the column names when not given.
    allow_half_points
        Accept checklist scores in half points (2,5). Default: whole points only.
    source
        Name used for the file in messages (default: the file's name).
    skip_checks
        Names of table-wide checks (see the schema's ``checks``) not to run.

    Returns
    -------
    ValidationResult
        Passed rows, quarantined rows and the failure table. The input is not modified.
    """
    return validate_with_text_codes(raw, kind, allow_half_points=allow_half_points, source=source,
                                    skip_checks=skip_checks)[0]


def validate_with_text_codes(
    raw: RawTable | pd.DataFrame,
    kind: str | None = None,
    *,
    allow_half_points: bool = False,
    source: str | None = None,
    skip_checks: tuple[str, ...] = (),
) -> tuple[ValidationResult, dict[str, tuple[np.ndarray, np.ndarray]]]:
    """:func:`validate`, and for the text columns of the passed rows their codes and distinct values.

    For ingest, which writes the passed rows to Parquet: ``result.data[name]`` equals
    ``distinct[codes]`` for every ``name: (codes, distinct)`` given (see :func:`_typed`), so Arrow can take
    the column from its few distinct values instead of converting a Python string per row.
    """
    # 1. coerce
    table, label = _coerce(raw, source)
    frame = table.frame.reset_index(drop=True)
    removed = table.removed if table.removed is not None else pd.DataFrame()
    rows_read = len(frame) + len(removed)
    headers = [c for c in frame.columns if c not in (FILE, ROW)]
    notes = list(table.notes)

    if table.is_metadata:
        return ValidationResult(None, label, pd.DataFrame(), pd.DataFrame(columns=["fil", "rad", "orsak"]),
                                pd.DataFrame(columns=FAILURE_COLUMNS), rows_read=0, notes=notes), {}
    if rows_read == 0:
        failure = {"file": label, "row": None, "column": None, "value": None, "rule": "tom_fil", "severity": _ERROR,
                   "message": f"Filen {label} innehåller inga datarader" + (" (den är helt tom)." if not headers else " (bara rubrikrad).")}
        return _empty_result(kind, label, 0, [failure], frame, notes, table), {}

    # 2. map columns
    kind = kind or table.kind or _detect_kind(headers)
    if kind is None or kind not in SCHEMAS:
        expected = "; ".join(
            f"{s.title}: {', '.join(c.display for c in s.required_columns)}" for s in SCHEMAS.values()
        )
        failure = {"file": label, "row": 1, "column": None, "value": ", ".join(headers), "rule": "fel_kolumner", "severity": _ERROR,
                   "message": f"Kolumnerna i {label} ({', '.join(headers)}) passar ingen av jamlibs tabeller. Förväntade kolumner: {expected}."}
        return _empty_result(kind, label, rows_read, [failure], frame, notes, table), {}
    schema = SCHEMAS[kind]
    mapping = _column_map(schema, headers)
    missing = [c for c in schema.required_columns if c.name not in mapping]
    if missing:
        failure = {"file": label, "row": 1, "column": ", ".join(c.display for c in missing), "value": ", ".join(headers),
                   "rule": "fel_kolumner", "severity": _ERROR,
                   "message": (f"{label} saknar kolumnerna {', '.join(repr(c.display) for c in missing)}. "
                               f"Obligatoriska kolumner för {schema.title.lower()}: {', '.join(c.display for c in schema.required_columns)}; "
                               f"frivilliga: {', '.join(c.display for c in schema.columns if not c.required) or 'inga'}. "
                               f"Hittade: {', '.join(headers)}.")}
        return _empty_result(kind, label, rows_read, [failure], frame, notes, table), {}

    failures = _Failures()
    _add_findings(table, frame, label, failures)
    unknown = [h for h in headers if h not in mapping.values()]
    if unknown:
        failures.add(None, ", ".join(unknown), None, "okänd_kolumn",
                     f"Kolumnerna {', '.join(repr(h) for h in unknown)} känns inte igen och tas inte med i den bearbetade tabellen (de finns kvar i originalfilen).",
                     _WARNING)

    # 3. parse cells
    parsed, columns, normalised = _parse_cells(schema, frame, mapping, failures)

    # 4. check
    ctx = _Context(schema, frame, parsed, mapping, failures, allow_half_points, columns)
    for check in schema.checks:
        if check not in skip_checks:
            _CHECKS[check](ctx)

    # 5. assemble
    text_codes: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    result = _assemble(kind, schema, label, frame, removed, parsed, columns, failures, normalised, rows_read, notes,
                       list(table.reshaping), text_codes)
    return result, text_codes


def load(
    path: str | Path,
    kind: str | None = None,
    *,
    allow_half_points: bool = False,
    errors: str = "keep",
) -> ValidationResult:
    """Read and validate one file.

    Parameters
    ----------
    path
        CSV, Excel, Parquet or Kolada JSON file.
    kind
        Table kind; detected from the columns when not given.
    allow_half_points
        Accept half points in checklist scores.
    errors
        ``"keep"`` (default) returns the result with failures listed;
        ``"raise"`` raises :class:`~jamlib.errors.ValidationError` when any row failed.

    Returns
    -------
    ValidationResult
        See :func:`validate`.

    Raises
    ------
    DataFileError
        When the file cannot be read at all.
    ValidationError
        With ``errors="raise"``, when any failure of severity ``fel`` was found.
    """
    if errors not in ("keep", "raise"):
        raise ValueError("errors must be 'keep' or 'raise'")
    result = validate(read_raw(path), kind, allow_half_points=allow_half_points)
    if errors == "raise":
        result.raise_for_failures()
    return result


def file_failure(path: Path, error: DataFileError, rule: str = "oläsbar_fil") -> ValidationResult:
    """A result for a file that could not be read at all (used by the CLI and ingest)."""
    failure = {"file": path.name, "row": None, "column": None, "value": None, "rule": rule,
               "severity": _ERROR, "message": str(error)}
    return ValidationResult(None, path.name, pd.DataFrame(), pd.DataFrame(columns=["fil", "rad", "orsak"]),
                            pd.DataFrame([failure], columns=FAILURE_COLUMNS), rows_read=0)


def unforeseen_error(path: Path, error: Exception, *, others_read: bool = False) -> DataFileError:
    """The Swedish message for a fault jamlib did not foresee while reading or validating a file.

    The last resort of ``jam validate``, ``jam ingest`` and the report's folder reader: the user sees the
    file's name and what to do, never a traceback.

    Parameters
    ----------
    path
        The file being read.
    error
        The exception raised.
    others_read
        Whether the other files are read all the same (``jam validate``, ``jam ingest``).
    """
    if isinstance(error, OSError) and not isinstance(error, UnicodeError):
        locked = " Stäng filen om den är öppen i Excel, och kontrollera att du får läsa den." \
            if isinstance(error, PermissionError) else ""
        return DataFileError(f"{Path(path).name}: filen kunde inte läsas ({error.strerror or error}).{locked}", str(path))
    detail = f"{type(error).__name__}: {error}"
    detail = detail if len(detail) <= 200 else detail[:199] + "…"
    return DataFileError(
        f"{Path(path).name}: filen kunde inte läsas ({detail}). " + ("De andra filerna läses ändå. " if others_read else "")
        + "Kontrollera att filen är en CSV-, Excel-, Parquet- eller Kolada-fil och rapportera gärna felet till "
        "jamlibs utvecklare med filen bifogad.", str(path))


def internal_failure(path: Path, error: Exception) -> ValidationResult:
    """A result for a file whose reading failed in a way jamlib did not foresee (rule ``internt_fel``)."""
    import traceback

    result = file_failure(path, unforeseen_error(path, error, others_read=True), rule="internt_fel")
    result.notes.append("".join(traceback.format_exception_only(type(error), error)).strip()[:500])
    return result
