"""Kolada (RKA's municipal database) files: the API v3 JSON shape.

A data file has the shape of a response from ``/v3/data/kpi/<KPI>``::

    {"count": ..., "next_url": ..., "previous_url": ...,
     "values": [{"kpi", "municipality", "period",
                 "values": [{"gender": "K"|"M"|"T", "count", "status", "value", "isdeleted"}]}]}

API v2's ``next_page``/``previous_page`` are accepted too. Each gender entry
becomes one indicator row. A ``null`` value stays missing, never 0. Entries
marked ``isdeleted`` are taken out by default, counted and quarantined.

Kolada's metadata does not say whether a higher value is better, so jamlib keeps
a small curated table, :data:`jamlib.kpis.KPI_CURATED`; for other KPIs polarity is
``"okänd"`` and can be set in the indicator file's ``polaritet`` column.
"""

from __future__ import annotations

import io
import json
import math
import re
from functools import lru_cache
from itertools import chain
from operator import itemgetter
from pathlib import Path

import numpy as np
import pandas as pd

from jamlib.errors import DataFileError
from jamlib.kpis import KPI_CURATED
from jamlib.ingest.raw import FILE, ROW, RawTable
from jamlib.ingest.shapes import finding

__all__ = ["read_kolada_json"]

_HEADER = ["kommunkod", "organisation", "indikator", "indikatornamn", "period", "kön", "värde", "enhet", "polaritet", "källa"]


def _kpi_titles(folder: Path) -> dict[str, str]:
    meta = folder / "kpi.json"
    if not meta.exists():
        return {}
    try:
        values = json.loads(meta.read_text(encoding="utf-8")).get("values", [])
    except (json.JSONDecodeError, UnicodeDecodeError, AttributeError, RecursionError, OSError):
        return {}
    if not isinstance(values, list):
        return {}
    return {v["id"]: v.get("title", "") if isinstance(v.get("title", ""), (str, type(None))) else "" for v in values
            if isinstance(v, dict) and isinstance(v.get("id"), str)}


def _value_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _decode(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataFileError(
            f"{path.name}: filen är inte giltig UTF-8 (byte {exc.start + 1}, rad {line}: "
            f"{raw[exc.start:exc.start + 1]!r}). Koladas filer är alltid UTF-8; filen är troligen skadad eller "
            "ändrad i ett annat program. Hämta den igen med jam kolada fetch --refresh.", str(path)) from exc


class _Distinct:
    """A value per record, worked on once per distinct value (a file repeats few codes, KPIs and years)."""

    def __init__(self, factorised: tuple[np.ndarray, list]) -> None:
        codes, uniques = factorised  # per record, the distinct values in the order found (missing: -1)
        self.uniques = [*uniques, None]  # the missing value last
        self.codes = np.where(codes < 0, len(self.uniques) - 1, codes)

    def map(self, function) -> list:
        """``function`` of every distinct value (the missing value last)."""
        return [function(u) for u in self.uniques]

    def categorical(self, mapped: list | None, counts: np.ndarray, function=None) -> pd.Categorical:
        """Per entry (records repeated ``counts`` times): the mapped value of its record."""
        mapped = self.map(function) if mapped is None else mapped
        codes, uniques = pd.factorize(pd.Series(mapped, dtype=object), use_na_sentinel=True)
        return pd.Categorical.from_codes(np.repeat(codes[self.codes], counts), categories=pd.Index(uniques, dtype=object))


def _entry_columns(path: Path, entries: list, counts: np.ndarray) -> tuple[list, list, np.ndarray, list[int]]:
    """Gender, value and the deleted flag of every entry, checking that each entry is an object; and the
    positions of entries whose deleted flag is a list or an object."""
    try:
        triples = list(map(itemgetter("gender", "value", "isdeleted"), entries))
    except (KeyError, TypeError):  # a key missing (allowed) or an entry that is no object (not allowed)
        bad = next((i for i, e in enumerate(entries) if not isinstance(e, dict)), None)
        if bad is not None:
            number = int(np.searchsorted(np.cumsum(counts), bad, side="right")) + 1
            raise _shape_error(path, f"post {number} i 'values' har {str(entries[bad])[:40]!r} i sin lista 'values' "
                                     "där ett objekt med gender och value skulle stå.") from None
        triples = [(e.get("gender"), e.get("value"), e.get("isdeleted")) for e in entries]
    genders, values, flags = (list(column) for column in zip(*triples)) if triples else ([], [], [])
    if set(map(type, flags)) <= {bool}:
        return genders, values, np.array(flags, dtype=bool), []
    return genders, values, np.array([bool(flag) for flag in flags], dtype=bool), _containers(flags)


def _shape_error(path: Path, message: str) -> DataFileError:
    return DataFileError(f"{path.name}: {message} Filen har inte Koladas form; hämta den igen med jam kolada fetch.",
                         str(path))


#: Deepest nesting of lists and objects read; a Kolada file has 5 (file, values, record, values, entry).
MAX_DEPTH = 32
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)


def _max_depth(brackets: bytes) -> int:
    """The deepest nesting of a sequence of ``[]{}`` bytes."""
    if not brackets:
        return 0
    opening = (np.frombuffer(brackets, dtype=np.uint8) >> 1) & 1  # '[' and '{' have bit 1 set, ']' and '}' not
    return int(np.cumsum(opening.view(np.int8) * np.int8(2) - np.int8(1), dtype=np.int64).max())


def _nesting_depth(body: bytes) -> int:
    """How deeply the lists and objects of a JSON text nest, without parsing it (no recursion, C speed).

    Brackets are counted first as they stand; only when that exceeds :data:`MAX_DEPTH` (brackets inside
    texts count too) are they counted again with the texts taken out.
    """
    depth = _max_depth(body.translate(None, _NOT_BRACKETS))
    if depth > MAX_DEPTH:
        depth = _max_depth(_JSON_STRING.sub(b"", body).translate(None, _NOT_BRACKETS))
    return depth


def _arrow_columns(raw: bytes) -> tuple | None:
    """The columns of a plain Kolada file parsed by pyarrow's JSON reader, or ``None`` to read it with :mod:`json`.

    pyarrow parses in C++ straight into columns, about five times faster than :func:`json.loads` and a
    dictionary per value. Only files that both parsers read the same way take this path: one JSON object
    on one line, no control characters or ``\\u`` escapes, every record an object with text ``kpi`` and
    ``municipality``, a whole-number or text ``period``, a list of entries with text ``gender``, numeric
    ``value`` and boolean ``isdeleted``. Anything else (a metadata file, a text value, a missing key, a
    damaged file) returns ``None``, and :func:`json.loads` reads the file and says what is wrong with it, as
    before. ``tests/test_kolada_fast_path.py`` checks that both paths give the same rows.

    Returns
    -------
    tuple or None
        ``(next_page, kpi, municipality, period, counts, genders, numbers, deleted)``: the first four per
        record, each as ``(codes, distinct values)`` in the order found, as :func:`pandas.factorize` gives them
        (missing: code -1); the rest per entry: the genders as a categorical with sorted categories, as
        ``pandas.Categorical`` makes it, and NumPy arrays.
    """
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    body = body.strip(b" \t\r\n")
    if (not body.startswith(b"{") or len(body) > 2**31 - 2 or (b"\\" in body and b"\\u" in body)
            or int(np.frombuffer(body, dtype=np.uint8).min()) < 0x20):  # a control character
        return None
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.json as pj

    read_options = pj.ReadOptions(use_threads=False, block_size=len(body) + 1)
    try:  # Kolada's usual types given: a third less parsing than inferring them, and other fields skipped
        if b'"next_page"' in body:  # API v2's page key: read with the other types below
            raise ValueError("next_page")
        table = pj.read_json(io.BytesIO(body), read_options=read_options, parse_options=_usual_kolada_types())
    except (pa.ArrowException, ValueError, OverflowError):
        try:  # other types (a period as text, say): inferred, then checked below
            table = pj.read_json(io.BytesIO(body), read_options=read_options)
        except (pa.ArrowException, ValueError, OverflowError):
            return None
    types = pa.types
    schema = table.schema
    if table.num_rows != 1 or "values" not in schema.names:
        return None
    outer = schema.field("values").type
    if not types.is_list(outer) or not types.is_struct(outer.value_type):
        return None
    fields = {f.name: f.type for f in outer.value_type}
    inner = fields.get("values")
    if not (types.is_string(fields.get("kpi", pa.null())) and types.is_string(fields.get("municipality", pa.null()))
            and (types.is_int64(fields.get("period", pa.null())) or types.is_string(fields.get("period", pa.null())))
            and inner is not None and types.is_list(inner) and types.is_struct(inner.value_type)):
        return None
    entry_types = {f.name: f.type for f in inner.value_type}
    if not (types.is_string(entry_types.get("gender", pa.null()))
            and entry_types.get("value", pa.null()) in (pa.float64(), pa.int64(), pa.null())
            and entry_types.get("isdeleted", pa.null()) in (pa.bool_(), pa.null())):
        return None
    page = "next_url" if "next_url" in schema.names else "next_page" if "next_page" in schema.names else None
    if page is not None and not (types.is_string(schema.field(page).type) or types.is_null(schema.field(page).type)):
        return None
    next_page = table.column(page)[0].as_py() if page else None
    lists = table.column("values").combine_chunks()
    if lists.null_count:
        return None
    records = lists.flatten()
    kpi, code, period, values = (pc.struct_field(records, name) for name in ("kpi", "municipality", "period", "values"))
    if records.null_count or kpi.null_count or period.null_count:
        return None
    counts = pc.list_value_length(values).fill_null(0).to_numpy(zero_copy_only=False).astype("int64")
    entries = values.flatten()
    if entries.null_count or len(entries) != int(counts.sum()):
        return None
    genders = _sorted_categorical(*_factorised(pc.struct_field(entries, "gender")))
    if "value" in entry_types:
        numbers = pc.cast(pc.struct_field(entries, "value"), pa.float64()).to_numpy(zero_copy_only=False)
    else:
        numbers = np.full(len(entries), math.nan)
    with np.errstate(invalid="ignore"):
        if not (np.isnan(numbers) | (np.abs(numbers) < 1e15)).all():  # the json path keeps these as text
            return None
    if "isdeleted" in entry_types:
        deleted = pc.struct_field(entries, "isdeleted").fill_null(False).to_numpy(zero_copy_only=False)
    else:
        deleted = np.zeros(len(entries), dtype=bool)
    return (next_page, _factorised(kpi), _factorised(code), _factorised(period), counts, genders,
            np.asarray(numbers, dtype="float64"), np.asarray(deleted, dtype=bool))


@lru_cache(maxsize=1)
def _usual_kolada_types():
    """pyarrow's JSON parse options for a Kolada API v3 data file with the types the API gives (period a whole
    number); fields jamlib does not read (``count``, ``status``, ``previous_url``) are skipped."""
    import pyarrow as pa
    import pyarrow.json as pj

    entry = pa.struct([("gender", pa.string()), ("value", pa.float64()), ("isdeleted", pa.bool_())])
    record = pa.struct([("kpi", pa.string()), ("municipality", pa.string()), ("period", pa.int64()),
                        ("values", pa.list_(entry))])
    schema = pa.schema([("values", pa.list_(record)), ("next_url", pa.string())])
    return pj.ParseOptions(explicit_schema=schema, unexpected_field_behavior="ignore")


def _factorised(array) -> tuple[np.ndarray, list]:
    """An Arrow array as ``(codes, distinct values)``: the values in the order found, missing as code -1."""
    encoded = array.dictionary_encode()
    return encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype("int64"), encoded.dictionary.to_pylist()


def _sorted_categorical(codes: np.ndarray, uniques: list) -> pd.Categorical:
    """What ``pandas.Categorical(values)`` gives, from the values factorised in the order found."""
    order = sorted(range(len(uniques)), key=uniques.__getitem__)
    new_code = np.empty(len(uniques) + 1, dtype="int64")
    new_code[order] = np.arange(len(uniques))
    new_code[-1] = -1  # missing stays missing (code -1 picks the last place)
    return pd.Categorical.from_codes(new_code[codes], categories=[uniques[i] for i in order])


def read_kolada_json(path: str | Path) -> RawTable:
    """Read a Kolada API v3 (or v2) data file into indicator rows.

    Parameters
    ----------
    path
        A ``data_<KPI>.json`` file. Metadata files (``kpi.json``,
        ``municipality.json``, ``municipality_groups.json``) are recognised and
        returned with ``is_metadata=True``.

    Returns
    -------
    RawTable
        Rows in jamlib's indicator columns (Swedish headers); ``_row`` is the
        record number in ``values`` (1 = first). Deleted entries are in ``removed``.
        Columns are built whole, not row by row: values stay numbers (``float``,
        missing as NaN) and the columns repeated per record are categoricals.

    Raises
    ------
    DataFileError
        When the file is not UTF-8 JSON or not of Kolada's shape.
    """
    return _read_kolada_json(path)


def _json_columns(path: Path, text: str) -> tuple | RawTable:
    """The columns of a Kolada file read with :mod:`json` (as :func:`_arrow_columns` gives them), a metadata
    table, or a :class:`DataFileError` saying what is wrong with the file."""
    try:
        document = json.loads(text)
    except RecursionError as exc:  # nesting is checked before; this is a last guard
        raise _too_deep(path, MAX_DEPTH + 1) from exc
    except json.JSONDecodeError as exc:
        raise DataFileError(f"{path.name}: filen är inte giltig JSON (rad {exc.lineno}: {exc.msg}).", str(path)) from exc
    if not isinstance(document, dict) or not isinstance(document.get("values"), list):
        raise DataFileError(
            f"{path.name}: filen har inte Koladas form (ett objekt med listan 'values').", str(path)
        )
    records = document["values"]
    if records and not all(isinstance(r, dict) and "kpi" in r and "period" in r for r in records):
        if all(isinstance(r, dict) and "id" in r for r in records):
            return RawTable(path, pd.DataFrame(), is_metadata=True, notes=["Koladas metadata, ingen datatabell"])
        raise DataFileError(f"{path.name}: posterna i 'values' saknar 'kpi' och 'period'.", str(path))
    next_page = document.get("next_url", document.get("next_page"))
    inner = [r.get("values") or [] for r in records]
    for number, entries in enumerate(inner, start=1):
        if not isinstance(entries, list):
            raise _shape_error(path, f"post {number} i 'values' har 'values' = {str(entries)[:40]!r}, inte en lista.")
    counts = np.array(list(map(len, inner)), dtype="int64")
    entries = list(chain.from_iterable(inner))
    genders, values, deleted, flags_bad = _entry_columns(path, entries, counts)
    try:
        kpi_raw, code_raw, period_raw = (list(c) for c in zip(*map(itemgetter("kpi", "municipality", "period"), records))) \
            if records else ([], [], [])
    except KeyError:  # a record without a municipality
        kpi_raw, code_raw, period_raw = ([r.get(k) for r in records] for k in ("kpi", "municipality", "period"))
    findings: list[dict] = []
    record_of = np.repeat(np.arange(1, len(records) + 1), counts) if flags_bad or _has_containers(genders) \
        or _has_containers(values) else None
    for field, column, items in (("kpi", "indikator", kpi_raw), ("municipality", "kommunkod", code_raw),
                                 ("period", "period", period_raw), ("gender", "kön", genders), ("value", "värde", values)):
        for position in _containers(items):  # a list or an object where one value should be: the record is quarantined
            number = int(record_of[position]) if field in ("gender", "value") else position + 1
            text = _json_text(items[position])
            findings.append(_field_finding(number, field, column, items[position], text))
            items[position] = text
    for position in flags_bad:  # quarantined for its flag, not taken out as deleted
        findings.append(_field_finding(int(record_of[position]), "isdeleted", None, entries[position]["isdeleted"],
                                       _json_text(entries[position]["isdeleted"])))
        deleted[position] = False
    kinds = set(map(type, values))
    numbers: object = None
    if kinds <= {float, int, type(None)}:
        try:
            numbers = pd.Series(values, dtype="float64").to_numpy()
        except (OverflowError, ValueError, TypeError):  # integers beyond 64 bits
            numbers = np.array([math.inf])
        with np.errstate(invalid="ignore"):
            if not (np.isnan(numbers) | (np.abs(numbers) < 1e15)).all():  # infinite or huge: read as text
                numbers = None
    if numbers is None:  # text, booleans or huge numbers: kept as text, so the validation reports them as they stand
        numbers = np.array([_value_text(v) for v in values], dtype=object)
    return (next_page, *(pd.factorize(pd.Series(items, dtype=object), use_na_sentinel=True)
                         for items in (kpi_raw, code_raw, period_raw)),
            counts, pd.Categorical(genders), numbers, deleted, findings)


_EXPECTED = {"kpi": "ett indikator-id som text (t.ex. \"U23401\")", "municipality": "en kommunkod som text (t.ex. \"1780\")",
             "period": "ett år (t.ex. 2022)", "gender": "ett kön som text (\"K\", \"M\" eller \"T\")",
             "value": "ett tal eller null", "isdeleted": "true eller false"}


def _has_containers(items: list) -> bool:
    return bool(set(map(type, items)) & {dict, list})


def _containers(items: list) -> list[int]:
    """Positions of JSON objects and lists among values that should be single values (numbers, texts)."""
    if not _has_containers(items):
        return []
    return [i for i, item in enumerate(items) if isinstance(item, (dict, list))]


def _json_text(item: object) -> str:
    text = json.dumps(item, ensure_ascii=False)
    return text if len(text) <= 60 else text[:59] + "…"


def _field_finding(number: int, field: str, column: str | None, item: object, text: str) -> dict:
    what = "ett JSON-objekt" if isinstance(item, dict) else "en lista"
    where = f"post {number} i 'values'" if field in ("kpi", "municipality", "period") else \
        f"ett värde i post {number} i 'values'"
    return finding(number, column, text, "kolada_fel_typ",
                   f"I {where} är fältet '{field}' {what} ({text}) där {_EXPECTED[field]} skulle stå. Posten sattes "
                   "i karantän. Filen är troligen ändrad för hand eller skadad; hämta den igen med "
                   "jam kolada fetch --refresh.", "fel")


def _read_kolada_json(path: str | Path, _fast: bool = True) -> RawTable:
    """:func:`read_kolada_json`; ``_fast=False`` reads with :mod:`json` only (the reference path in tests)."""
    from jamlib.organisations import municipality_name

    path = Path(path)
    raw = path.read_bytes()
    text = _decode(path, raw)
    if not text.strip():
        return RawTable(path, pd.DataFrame(columns=[*_HEADER, FILE, ROW]), notes=["filen är tom"], kind="indicators")
    depth = _nesting_depth(raw)
    if depth > MAX_DEPTH:  # pyarrow's reader crashes the process and json.loads overflows the stack on these
        raise _too_deep(path, depth)
    fast = _arrow_columns(raw) if _fast else None
    columns_read = (*fast, []) if fast is not None else _json_columns(path, text)
    del text
    if isinstance(columns_read, RawTable):
        return columns_read
    next_page, kpis, municipalities, periods, counts, genders, numbers, deleted, findings = columns_read
    notes: list[str] = []
    if next_page:
        notes.append(
            f"filen är en sida av ett större svar (nästa sida: {next_page}); resten finns inte i filen"
        )
    titles = _kpi_titles(path.parent)
    kpi = _Distinct(kpis)
    code = _Distinct(municipalities)
    code_texts = code.map(lambda c: None if c is None else str(c))
    kpi_texts = kpi.map(str)
    columns = {
        "kommunkod": code.categorical(code_texts, counts),
        "organisation": code.categorical([municipality_name(c) if c is not None else None for c in code_texts], counts),
        "indikator": kpi.categorical(kpi_texts, counts),
        "indikatornamn": kpi.categorical([titles.get(k) for k in kpi_texts], counts),
        "period": _Distinct(periods).categorical(None, counts, _value_text),
        "kön": genders,
        "värde": numbers,
        "enhet": kpi.categorical([KPI_CURATED.get(k, {}).get("unit") for k in kpi_texts], counts),
        "polaritet": kpi.categorical([KPI_CURATED.get(k, {}).get("polarity", "okänd") for k in kpi_texts], counts),
        "källa": pd.Categorical.from_codes(np.zeros(len(genders), dtype="int8"), categories=["Kolada (RKA)"]),
    }
    table = pd.DataFrame(columns)
    table[FILE] = path.name
    table[ROW] = np.repeat(np.arange(1, len(counts) + 1, dtype="int64"), counts)
    frame = table[~deleted].reset_index(drop=True)
    removed = table[deleted].reset_index(drop=True)
    removed["_reason"] = "raderad i Kolada (isdeleted)"
    if deleted.any():
        notes.append(f"{int(deleted.sum())} värden markerade som raderade i Kolada togs bort")
    return RawTable(path, frame, removed=removed, kind="indicators", notes=notes, findings=findings)


def _too_deep(path: Path, depth: int) -> DataFileError:
    deepest = f"{depth:,}".replace(",", " ")
    return DataFileError(
        f"{path.name}: filen är inte en Kolada-fil: den har listor eller objekt i {deepest} nivåer inuti varandra "
        f"(en Kolada-fil har 5, jamlib läser högst {MAX_DEPTH}). Kontrollera att rätt fil valdes, eller hämta den "
        "igen med jam kolada fetch --refresh.", str(path))
