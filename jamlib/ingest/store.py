"""Storing validated data: atomic files, quarantine and a manifest per source file.

``ingest`` reads every data file under ``data/raw/``, validates it, and writes

* ``data/processed/<table>.parquet``: the rows that passed, all files of the same
  kind together, with ``source_file`` and ``source_row`` for lineage;
* ``data/processed/karantan/<source>.csv``: the rows that did not pass, as they
  stood in the file, with the reason (opens in Excel; cells cannot start a formula);
* ``data/processed/manifest/<source>.json``: path, SHA-256 checksum, rows read,
  kept and quarantined, failures and warnings per rule, normalisations;
* ``data/processed/delar/<source>.parquet`` and ``<source>.fel.parquet``: the
  validated rows and the failures of each source file on its own, so that a
  later ingest validates only the files whose checksum changed, and notebooks
  and ``jam gaps`` read validated rows instead of validating raw files again
  (:func:`stored_rows`);
* ``data/processed/manifest.json`` and ``data/processed/fel.csv``: all of it together.

Every file is written to a temporary file in the same folder and moved into
place with :func:`os.replace`, so a crash or Ctrl-C never leaves a half-written
file behind: either the old file or the new one is there. The tables are
written in pieces, one source file at a time, so memory stays bounded by the
largest source file, not by the whole collection.

A stored result is used again only when the source file's SHA-256 checksum, the
options and the validating code (:func:`validator_fingerprint`) are all the same
as when it was stored.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from contextlib import ExitStack
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
import pandas as pd

from jamlib.errors import DataFileError, JamlibError
from jamlib.ingest.lock import folder_lock
from jamlib.files import atomic_write, write_csv, write_json
from jamlib.ingest.readers import DATA_SUFFIXES, read_raw
from jamlib.schemas import SCHEMAS
from jamlib.ingest.validation import (FAILURE_COLUMNS, ValidationResult, file_failure, internal_failure,
                                      validate_with_text_codes)

__all__ = ["ingest_folder", "load_processed", "stored_rows", "find_store", "validator_fingerprint", "file_checksum",
           "PARTS"]

#: Folder under the processed folder holding each source file's validated rows and failures.
PARTS = "delar"

_MANIFEST_COLUMNS = ["path", "kind", "sha256", "rows_read", "rows_kept", "rows_quarantined", "errors", "warnings",
                     "summary"]

#: Modules whose code decides what validation gives; a change in any of them invalidates stored results.
_VALIDATING_CODE = ("schemas.py", "organisations.py", "kpis.py", "vocabulary.py", "formatting.py",
                    "_data/municipality.json", "ingest/raw.py", "ingest/readers.py", "ingest/kolada_files.py",
                    "ingest/validation.py", "ingest/sniff.py", "ingest/spreadsheets.py", "ingest/shapes.py")


@lru_cache(maxsize=1)
def validator_fingerprint() -> str:
    """A checksum of the code and reference data that validation depends on (jamlib's version included)."""
    import jamlib

    root = Path(jamlib.__file__).parent
    digest = hashlib.sha256(jamlib.__version__.encode())
    for name in _VALIDATING_CODE:
        path = root / name
        digest.update(name.encode())
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


_CHECKSUMS: dict[tuple, str] = {}


def file_checksum(path: Path) -> str:
    """SHA-256 of a file's bytes (remembered for the process while size, time and inode stay the same)."""
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns, stat.st_ino)
    if key not in _CHECKSUMS:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        _CHECKSUMS[key] = digest.hexdigest()
    return _CHECKSUMS[key]


def _slug(relative: Path) -> str:
    return "__".join(relative.with_suffix("").parts) + relative.suffix.replace(".", "_")


def _counts_by_severity(failures: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Failures per rule for each severity, most frequent first (ties in the order found), as ``value_counts``
    gives them; counted over integer codes of the pairs (a Kolada file has thousands of warnings)."""
    severities, severity_names = pd.factorize(failures["severity"], use_na_sentinel=False)
    rules, rule_names = pd.factorize(failures["rule"], use_na_sentinel=False)
    width = max(len(rule_names), 1)
    pairs, first, numbers = np.unique(severities.astype("int64") * width + rules, return_index=True,
                                      return_counts=True)
    counts: dict[str, dict[str, int]] = {}
    for k in np.lexsort((first, -numbers)):  # most frequent first, ties in the order found
        severity, rule = divmod(int(pairs[k]), width)
        counts.setdefault(severity_names[severity], {})[str(rule_names[rule])] = int(numbers[k])
    return counts


# --------------------------------------------------------------------------- Arrow schemas


@lru_cache(maxsize=None)
def _arrow_schema(kind: str):
    """The Parquet schema of a processed table: the same for every piece, whatever the piece holds."""
    import pyarrow as pa

    schema = SCHEMAS[kind]
    types = {"number": pa.float64(), "integer": pa.int64(), "moment_row": pa.int64(), "int_list": pa.list_(pa.int64())}
    sample: dict[str, object] = {}
    fields = []
    for col in schema.columns:
        fields.append(pa.field(col.name, types.get(col.kind, pa.string())))
        sample[col.name] = {"number": pd.Series([1.0]), "integer": pd.array([1], dtype="Int64"),
                            "moment_row": pd.array([1], dtype="Int64"),
                            "int_list": pd.Series([[1]], dtype=object)}.get(col.kind, pd.Series(["a"], dtype=object))
        if kind == "published" and col.name == "moment":
            fields.append(pa.field("moment_text", pa.string()))
            sample["moment_text"] = pd.Series(["a"], dtype=object)
    fields += [pa.field("source_file", pa.string()), pa.field("source_row", pa.int64())]
    sample["source_file"] = pd.Series(["a"])
    sample["source_row"] = pd.Series([1], dtype="int64")
    metadata = pa.Schema.from_pandas(pd.DataFrame(sample), preserve_index=False).metadata
    return pa.schema(fields, metadata=metadata)


def _to_arrow(frame: pd.DataFrame, kind: str, text_codes: dict[str, tuple[np.ndarray, np.ndarray]] | None = None):
    """The passed rows as an Arrow table in the processed schema of their kind.

    ``text_codes`` (from :func:`~jamlib.ingest.validation.validate_with_text_codes`) gives text columns as
    codes into their distinct values: Arrow takes those columns from the distinct values (C++, no Python
    string per row, about 1 ms less per column of 17 000 rows); the others are converted from the frame.
    ``tests/test_ingest_store.py`` checks that both give the same table.
    """
    import pyarrow as pa

    schema = _arrow_schema(kind)
    taken = {}
    for name, (codes, distinct) in (text_codes or {}).items():
        if name in schema.names and pa.types.is_string(schema.field(name).type) and len(codes) == len(frame):
            try:
                taken[name] = pa.array(distinct, type=pa.string(), from_pandas=True).take(pa.array(codes))
            except (pa.ArrowTypeError, pa.ArrowInvalid):  # a value that is not text: converted as before
                continue
    # one thread: ingest already runs one process per core, and a thread pool per file costs more than it gives
    if not taken:
        return pa.Table.from_pandas(frame[schema.names], schema=schema, preserve_index=False, nthreads=1)
    rest = [name for name in schema.names if name not in taken]
    converted = pa.Table.from_pandas(frame[rest], schema=pa.schema([schema.field(name) for name in rest]),
                                     preserve_index=False, nthreads=1)
    columns = [taken[name] if name in taken else converted.column(name) for name in schema.names]
    return pa.Table.from_arrays(columns, schema=schema.with_metadata(_pandas_metadata(frame, kind)))


_PANDAS_METADATA: dict[tuple, dict] = {}


def _pandas_metadata(frame: pd.DataFrame, kind: str) -> dict:
    """The schema metadata ``Table.from_pandas`` gives ``frame`` in the processed schema of ``kind`` (pandas'
    dtypes per column, so that ``to_pandas`` restores them); it depends only on the dtypes, so it is worked out
    once per kind and dtypes, from the frame's first zero rows."""
    import pyarrow as pa

    schema = _arrow_schema(kind)
    dtypes = frame.dtypes
    key = (kind, *(str(dtypes[name]) for name in schema.names))
    if key not in _PANDAS_METADATA:
        _PANDAS_METADATA[key] = pa.Table.from_pandas(frame.iloc[:0][schema.names], schema=schema,
                                                     preserve_index=False).schema.metadata
    return _PANDAS_METADATA[key]


_FAILURE_SCHEMA_COLUMNS = ["source", *FAILURE_COLUMNS]


def _failure_table(failures: pd.DataFrame):
    import pyarrow as pa

    arrays = []
    for name in _FAILURE_SCHEMA_COLUMNS:
        column = failures[name]
        if name == "row":
            arrays.append(pa.array(column.astype("Int64"), type=pa.int64(), from_pandas=True))
            continue
        if pd.api.types.is_string_dtype(column.dtype) and column.dtype != object:  # pandas' text: Arrow already
            arrays.append(pa.array(column, from_pandas=True).cast(pa.string()))
            continue
        values = column.astype(object).where(column.notna(), None).tolist()
        try:
            arrays.append(pa.array(values, type=pa.string()))
        except (pa.ArrowTypeError, pa.ArrowInvalid):  # a value that is not text: as the text it shows
            arrays.append(pa.array([v if v is None or isinstance(v, str) else str(v) for v in values], type=pa.string()))
    return pa.Table.from_arrays(arrays, names=_FAILURE_SCHEMA_COLUMNS)


_CSV_SPECIAL = (";", '"', "\r", "\n")


def _csv_fields(cells: list[str]) -> list[str]:
    """Texts as CSV fields the way :mod:`csv` writes them with ``QUOTE_MINIMAL``: quoted, with inner quotes
    doubled, only when they hold ``;``, a quote or a line break."""
    together = "\0".join(cells)
    if not any(special in together for special in _CSV_SPECIAL):  # the usual case: one scan of the column
        return cells
    return ['"' + c.replace('"', '""') + '"' if any(special in c for special in _CSV_SPECIAL) else c for c in cells]


def _failure_csv_rows(table) -> bytes:
    """A piece's failures (its ``.fel.parquet`` table) as the rows of ``fel.csv``: no BOM, no header.

    The bytes are those :func:`jamlib.files.excel_csv` writes for the same rows after its header (every text
    through :func:`jamlib.files.safe_cell`, ``;`` between fields, CRLF, quotes only where needed, missing
    cells empty): the failure table holds only texts and one whole-number column, so the fields are joined
    straight from the Arrow columns, without a data frame or number formatting. ``tests/test_ingest_store.py``
    compares the two on awkward texts.

    Each piece's rows are made once, where the piece is validated (in parallel, and reused while the
    source file is unchanged); ``fel.csv`` is then the header and these rows one piece after the other,
    which costs no more than copying bytes, even with millions of warnings.
    """
    from jamlib.files import safe_cells

    if not table.num_rows:
        return b""
    columns = []
    for name in table.column_names:
        cells = table.column(name).to_pylist()
        if name == "row":
            columns.append(["" if c is None else str(c) for c in cells])
        else:
            columns.append(_csv_fields(["" if c is None else c for c in safe_cells(cells)]))
    return ("\r\n".join(map(";".join, zip(*columns))) + "\r\n").encode("utf-8")


def _failure_csv_path(failures_path: Path) -> Path:
    """Where a piece's ``fel.csv`` rows are kept: ``<slug>.fel.csv`` beside ``<slug>.fel.parquet``."""
    return failures_path.with_suffix(".csv")


def _write_failure_csv_rows(failures_path: Path, table=None) -> Path:
    """Write a piece's ``fel.csv`` rows beside its ``.fel.parquet`` (read from there when ``table`` is not given)."""
    import pyarrow.parquet as pq

    body = _failure_csv_path(failures_path)
    data = _failure_csv_rows(pq.read_table(failures_path) if table is None else table)
    with atomic_write(body, "wb") as handle:
        handle.write(data)
    return body


def _failures_csv_header() -> bytes:
    """The first line of ``fel.csv`` (with the BOM), as :func:`jamlib.files.excel_csv` writes it."""
    from jamlib.files import excel_csv

    return excel_csv(pd.DataFrame({c: pd.Series(dtype="Int64" if c == "row" else object)
                                   for c in _FAILURE_SCHEMA_COLUMNS}))


def _append_failure_rows(source: _Source, handle) -> None:
    """Copy a source's ``fel.csv`` rows into ``handle`` (made again from its ``.fel.parquet`` when missing or older)."""
    body = _failure_csv_path(source.failures)
    if not body.exists() or body.stat().st_mtime_ns < source.failures.stat().st_mtime_ns:
        body = _write_failure_csv_rows(source.failures)
    with open(body, "rb") as piece:
        shutil.copyfileobj(piece, handle, 1 << 20)


def _write_piece(table, path: Path) -> None:
    """Write one source file's piece (its rows or its failures) under ``delar/``.

    Without column statistics: pieces are only ever read whole by jamlib, never filtered, so the minimum
    and maximum of every text column would cost time on every file and serve nobody.
    """
    import pyarrow.parquet as pq

    with atomic_write(path, "wb") as handle:
        pq.write_table(table, handle, write_statistics=False)


# --------------------------------------------------------------------------- one source file


@dataclass
class _Source:
    """What ingest knows about one source file after this run."""

    relative: Path
    entry: dict
    parts: Path | None  # the validated rows, when there are any
    failures: Path
    table: object = None  # the validated rows as an Arrow table, when they were validated in this run


def _read_and_validate(path: Path, relative: Path, allow_half_points: bool, include_hidden: bool = False
                       ) -> tuple[ValidationResult, dict[str, tuple[np.ndarray, np.ndarray]]] | None:
    """Validate one file, with the text columns' codes (see :func:`_to_arrow`); never raises for what the file
    holds (``None`` for Kolada metadata)."""
    try:
        raw = read_raw(path, include_hidden=include_hidden) if include_hidden else read_raw(path)
        if raw.is_metadata:
            return None
        return validate_with_text_codes(raw, allow_half_points=allow_half_points, source=str(relative))
    except DataFileError as error:
        result = file_failure(path, error)
    except JamlibError:
        raise
    except Exception as error:  # a fault in jamlib on an unforeseen file must not stop the run
        result = internal_failure(path, error)
    result.source = str(relative)
    return result, {}


def _dependencies(path: Path) -> dict[str, str | None]:
    """Other files whose content goes into a file's validated rows: a Kolada file takes its KPI titles from ``kpi.json``."""
    if path.suffix.lower() != ".json":
        return {}
    titles = path.parent / "kpi.json"
    return {"kpi.json": file_checksum(titles) if titles.is_file() else None}


def _reusable(entry: dict | None, path: Path, options: dict, processed: Path, slug: str) -> bool:
    if not entry or entry.get("sha256") != file_checksum(path) or entry.get("validator") != validator_fingerprint():
        return False
    if entry.get("options") != options or entry.get("depends_on", {}) != _dependencies(path):
        return False
    failures = processed / PARTS / f"{slug}.fel.parquet"
    parts = processed / PARTS / f"{slug}.parquet"
    return failures.exists() and (parts.exists() or not entry.get("rows_kept"))


def _read_entry(path: Path) -> dict | None:
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return entry if isinstance(entry, dict) else None


def _ingest_one(path: Path, raw_dir: Path, processed_dir: Path, options: dict,
                known_metadata: dict[str, str]) -> tuple[_Source | None, str | None, str | None]:
    """Ingest one source file: (what is stored, the progress line, the checksum when it is Kolada metadata)."""
    relative = path.relative_to(raw_dir)
    slug = _slug(relative)
    manifest_path = processed_dir / "manifest" / f"{slug}.json"
    parts_path = processed_dir / PARTS / f"{slug}.parquet"
    failures_path = processed_dir / PARTS / f"{slug}.fel.parquet"
    checksum = file_checksum(path)
    previous = _read_entry(manifest_path)
    if _reusable(previous, path, options, processed_dir, slug):
        assert previous is not None
        return (_Source(relative, previous, parts_path if previous.get("rows_kept") else None, failures_path),
                f"{previous['summary']} (oförändrad sedan förra inläsningen)", None)
    if known_metadata.get(str(relative)) == checksum:
        return None, None, checksum
    validated = _read_and_validate(path, relative, options["allow_half_points"], options.get("include_hidden", False))
    if validated is None:  # Kolada metadata: not a table
        return None, None, checksum
    result, text_codes = validated
    quarantine_path = processed_dir / "karantan" / f"{slug}.csv"
    if len(result.quarantine):
        write_csv(result.quarantine, quarantine_path)
    elif quarantine_path.exists():
        quarantine_path.unlink()
    table = None
    if result.kind in SCHEMAS and len(result.data):
        table = _to_arrow(result.data, result.kind, text_codes)
        _write_piece(table, parts_path)
    elif parts_path.exists():
        parts_path.unlink()
    failures = result.failures.copy()
    failures.insert(0, "source", str(relative))
    failure_table = _failure_table(failures)
    _write_piece(failure_table, failures_path)
    _write_failure_csv_rows(failures_path, failure_table)
    counts = _counts_by_severity(result.failures)
    entry = {
        "path": str(relative),
        "kind": result.kind,
        "sha256": checksum,
        "rows_read": result.rows_read,
        "rows_kept": result.rows_kept,
        "rows_quarantined": result.rows_quarantined,
        "errors": sum(counts.get("fel", {}).values()),
        "warnings": sum(counts.get("varning", {}).values()),
        "summary": result.summary,
        "errors_by_rule": counts.get("fel", {}),
        "warnings_by_rule": counts.get("varning", {}),
        "removed_by_rule": counts.get("info", {}),
        "normalisations": result.normalisations.to_dict(orient="records"),
        "notes": result.notes,
        "reshaping": result.reshaping,
        "quarantine": str(quarantine_path.relative_to(processed_dir)) if len(result.quarantine) else None,
        "validator": validator_fingerprint(),
        "options": options,
        "depends_on": _dependencies(path),
    }
    write_json(entry, manifest_path)
    return (_Source(relative, entry, parts_path if table is not None else None, failures_path, table),
            result.summary, None)


def _ingest_all(files: list[Path], raw_dir: Path, processed_dir: Path, options: dict, known_metadata: dict[str, str],
                workers: int) -> Iterator[tuple[Path, tuple[_Source | None, str | None, str | None]]]:
    """Ingest the files in order, in ``workers`` processes when there are several files to share."""
    arguments = [(path, raw_dir, processed_dir, options, known_metadata) for path in files]
    if workers <= 1 or len(files) < 2:
        for path, args in zip(files, arguments):
            yield path, _ingest_one(*args)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if hasattr(os, "fork") and "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method)) as pool:
        yield from zip(files, pool.map(_ingest_star, arguments, chunksize=1))


def _ingest_star(arguments: tuple) -> tuple[_Source | None, str | None, str | None]:
    return _ingest_one(*arguments)


def default_workers() -> int:
    """Processes ``jam ingest`` uses by default: the cores there are, at most four."""
    return max(1, min(4, os.cpu_count() or 1))


# --------------------------------------------------------------------------- the whole folder


def _data_files(raw_dir: Path) -> list[Path]:
    return sorted(p for p in raw_dir.rglob("*") if p.is_file() and p.suffix.lower() in DATA_SUFFIXES
                  and not p.name.startswith((".", "~$")))


def _provenance(sources: list[_Source]) -> bytes:
    """What a processed table is built from: each piece's file, checksum, validator, options and dependencies."""
    keys = ("sha256", "validator", "options", "depends_on")
    return json.dumps([[str(s.relative), *(s.entry.get(k) for k in keys)] for s in sources],
                      ensure_ascii=False, sort_keys=True).encode("utf-8")


def _built_from(target: Path) -> bytes | None:
    """The provenance a processed table was written with, or ``None`` when it has none or cannot be read."""
    import pyarrow.parquet as pq

    try:
        return (pq.ParquetFile(target).metadata.metadata or {}).get(_PROVENANCE_KEY)
    except (OSError, ValueError):  # pyarrow's ArrowInvalid is a ValueError
        return None


_PROVENANCE_KEY = b"jamlib_sources"


class _TableWriter:
    """The processed table of one kind, written piece after piece while the pieces come in.

    Pieces are appended in the order of the source files, one in memory at a time, so memory stays bounded by
    the largest source file. :meth:`finish` adds the table's provenance (:func:`_provenance`) to the Parquet
    footer and moves the file into place in one atomic step, so a later run can tell whether it still matches
    its pieces, also after an ingest that was killed between writing the pieces and writing the table.
    """

    def __init__(self, kind: str, target: Path, stack: ExitStack) -> None:
        import pyarrow.parquet as pq

        self.schema = _arrow_schema(kind)
        handle = stack.enter_context(atomic_write(target, "wb"))
        self.writer = stack.enter_context(pq.ParquetWriter(handle, self.schema))

    def add(self, source: _Source) -> None:
        """Append a source's validated rows: the table it brought, or its piece on disk."""
        import pyarrow.parquet as pq

        assert source.parts is not None
        table = source.table if source.table is not None else pq.read_table(source.parts)
        self.writer.write_table(table.cast(self.schema))

    def finish(self, sources: list[_Source]) -> None:
        self.writer.add_key_value_metadata({_PROVENANCE_KEY: _provenance(sources)})


def _write_table(kind: str, sources: list[_Source], target: Path) -> None:
    """Write the processed table of one kind from its pieces on disk (see :class:`_TableWriter`)."""
    with ExitStack() as stack:
        writer = _TableWriter(kind, target, stack)
        for source in sources:
            writer.add(source)
        writer.finish(sources)


def ingest_folder(
    raw_dir: str | Path = "data/raw",
    processed_dir: str | Path = "data/processed",
    *,
    allow_half_points: bool = False,
    progress: Callable[[str], None] | None = None,
    workers: int | None = None,
    include_hidden: bool = False,
) -> pd.DataFrame:
    """Validate every data file under ``raw_dir`` and store the results under ``processed_dir``.

    Files whose checksum, options and validating code are unchanged since the last
    ingest are not read again; their stored results are used. A file that cannot be
    read is reported in the manifest and ``fel.csv``; the other files are ingested.

    Only one ingest writes to a folder at a time (:func:`jamlib.ingest.lock.folder_lock`); another one is
    refused with a message. Temporary files left by an ingest that was killed are removed first: every
    output is always either the previous complete file or the new one.

    Parameters
    ----------
    raw_dir
        Folder searched recursively for CSV, Excel, OpenDocument, Parquet and Kolada JSON files.
    processed_dir
        Output folder (created if needed).
    allow_half_points
        Accept half points in checklist scores.
    progress
        Called with a short Swedish line per file, e.g. ``print``.
    workers
        Processes that read and validate files side by side (default: :func:`default_workers`).
        The outputs are the same whatever the number.
    include_hidden
        Also read hidden sheets and rows of workbooks (default: skipped, with a warning naming them).

    Returns
    -------
    pandas.DataFrame
        The manifest, one row per source file: ``path``, ``kind``, ``sha256``,
        ``rows_read``, ``rows_kept``, ``rows_quarantined``, ``errors``,
        ``warnings``, ``summary``.
    """
    with folder_lock(processed_dir):
        _remove_temporaries(Path(processed_dir))
        return _ingest_folder_locked(raw_dir, processed_dir, allow_half_points=allow_half_points, progress=progress,
                                     workers=workers, include_hidden=include_hidden)


def _remove_temporaries(processed_dir: Path) -> None:
    """Delete ``.<name>.<random>.tmp`` files that an interrupted atomic write left behind."""
    if processed_dir.is_dir():
        for path in processed_dir.rglob(".*.tmp"):
            path.unlink(missing_ok=True)


def _ingest_folder_locked(
    raw_dir: str | Path,
    processed_dir: str | Path,
    *,
    allow_half_points: bool,
    progress: Callable[[str], None] | None,
    workers: int | None,
    include_hidden: bool,
) -> pd.DataFrame:
    raw_dir, processed_dir = Path(raw_dir), Path(processed_dir)
    if not raw_dir.is_dir():
        raise DataFileError(f"Mappen {raw_dir} finns inte.", str(raw_dir))
    options = {"allow_half_points": bool(allow_half_points)}
    if include_hidden:
        options["include_hidden"] = True
    metadata_path = processed_dir / PARTS / "metadata.json"
    known_metadata = _read_entry(metadata_path) or {}  # Kolada metadata files seen before, by checksum
    files = _data_files(raw_dir)
    sources: list[_Source] = []
    metadata: dict[str, str] = {}
    with ExitStack() as stack:
        # fel.csv and the tables of the kinds validated anew are written while the workers validate the next files
        failures_csv = stack.enter_context(atomic_write(processed_dir / "fel.csv", "wb"))
        failures_csv.write(_failures_csv_header())
        writers: dict[str, _TableWriter] = {}
        for path, (source, line, metadata_checksum) in _ingest_all(files, raw_dir, processed_dir, options,
                                                                   known_metadata,
                                                                   default_workers() if workers is None else workers):
            if source is not None:
                sources.append(source)
                _append_failure_rows(source, failures_csv)
                kind = source.entry.get("kind")
                if source.table is not None and kind not in writers:  # this kind's table changes: write it now
                    writers[kind] = _TableWriter(kind, processed_dir / f"{kind}.parquet", stack)
                    for earlier in sources[:-1]:
                        if earlier.entry.get("kind") == kind and earlier.parts is not None:
                            writers[kind].add(earlier)
                if source.parts is not None and kind in writers:
                    writers[kind].add(source)
                source.table = None  # written: no longer held in memory
            if metadata_checksum is not None:
                metadata[str(path.relative_to(raw_dir))] = metadata_checksum
            if line and progress:
                progress(line)
        write_json(metadata, metadata_path)
        _remove_stale(processed_dir, {_slug(s.relative) for s in sources})
        for name in SCHEMAS:
            target = processed_dir / f"{name}.parquet"
            pieces = [s for s in sources if s.entry.get("kind") == name and s.parts is not None]
            if name in writers:
                writers[name].finish(pieces)
            elif pieces and not (target.exists() and _built_from(target) == _provenance(pieces)):
                _write_table(name, pieces, target)
            elif not pieces and target.exists():
                target.unlink()
        manifest = pd.DataFrame([{k: s.entry.get(k) for k in _MANIFEST_COLUMNS} for s in sources],
                                columns=_MANIFEST_COLUMNS)
        write_json(manifest.to_dict(orient="records"), processed_dir / "manifest.json")
    return manifest


def _remove_stale(processed_dir: Path, slugs: set[str]) -> None:
    """Take away pieces, manifests and quarantines of source files that are no longer there."""
    for folder, suffixes in ((processed_dir / PARTS, (".fel.parquet", ".fel.csv", ".parquet")),
                             (processed_dir / "manifest", (".json",)), (processed_dir / "karantan", (".csv",))):
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            name = path.name
            slug = next((name[: -len(s)] for s in suffixes if name.endswith(s)), None)
            if slug is not None and slug not in slugs and not name.startswith(".") and name != "metadata.json":
                path.unlink()


# --------------------------------------------------------------------------- reading the store


def find_store(folder: str | Path) -> tuple[Path, Path] | None:
    """The raw folder and processed folder of an ingested collection that ``folder`` belongs to.

    ``data/raw/kolada`` belongs to ``data/raw`` with ``data/processed`` beside it,
    when ``jam ingest`` has written ``data/processed/manifest.json``.

    Returns
    -------
    tuple of Path or None
        ``(raw_dir, processed_dir)``, or ``None`` when no ingested store is found.
    """
    folder = Path(folder).resolve()
    for parent in (folder, *folder.parents):
        if parent.name == "raw" and (parent.parent / "processed" / "manifest.json").is_file():
            return parent, parent.parent / "processed"
    return None


def stored_rows(path: str | Path, raw_dir: str | Path, processed_dir: str | Path, *,
                kind: str | None = None) -> pd.DataFrame | None:
    """The validated rows of one source file from the processed store, if they are still valid.

    They are valid when the store's manifest has the file with the same SHA-256
    checksum as the file has now, validated by the same code
    (:func:`validator_fingerprint`) with the default options.

    Parameters
    ----------
    path
        The source file, under ``raw_dir``.
    raw_dir, processed_dir
        The folders given to :func:`ingest_folder`.
    kind
        Only rows stored as this table kind.

    Returns
    -------
    pandas.DataFrame or None
        The rows, as :func:`jamlib.ingest.validation.validate` gives them in ``data``;
        ``None`` when the file must be validated again (changed, new, or never ingested).
    """
    path, raw_dir, processed_dir = Path(path), Path(raw_dir), Path(processed_dir)
    try:
        relative = path.resolve().relative_to(raw_dir.resolve())
    except ValueError:
        return None
    slug = _slug(relative)
    entry = _read_entry(processed_dir / "manifest" / f"{slug}.json")
    if entry is None or (kind is not None and entry.get("kind") != kind):
        return None
    if not _reusable(entry, path, {"allow_half_points": False}, processed_dir, slug):
        return None
    if not entry.get("rows_kept"):
        return pd.DataFrame(columns=_arrow_schema(entry["kind"]).names) if entry.get("kind") in SCHEMAS else None
    return _as_validated(pd.read_parquet(processed_dir / PARTS / f"{slug}.parquet"))


def _as_validated(data: pd.DataFrame) -> pd.DataFrame:
    """Rows read from Parquet with their text as validate gives it: Python strings and ``None`` (not pandas'
    text columns with NaN, which a sentence would show as "nan") in object columns; ``source_file`` as read."""
    for name in data.columns:
        if pd.api.types.is_string_dtype(data[name].dtype) and name != "source_file":
            data[name] = data[name].astype(object).where(data[name].notna(), None)
    return data


def load_processed(table: str, processed_dir: str | Path = "data/processed", *,
                   indicators: list[str] | None = None) -> pd.DataFrame:
    """Load a processed table written by :func:`ingest`.

    Parameters
    ----------
    table
        ``checklist``, ``published``, ``indicators`` or ``results_chain``.
    processed_dir
        The folder given to :func:`ingest`.
    indicators
        For the indicator table: only these indicator ids. Each source file is a row group with the
        minimum and maximum of its ids, so Parquet skips the others without reading them (a national
        store of 30 million rows: 39 s and 9 GB of memory whole, under a second for five indicators).

    Returns
    -------
    pandas.DataFrame
        The rows as :func:`jamlib.ingest.validation.validate` gives them in ``data`` (text in object
        columns, missing text as ``None``).

    Raises
    ------
    DataFileError
        When the table has not been ingested yet.
    """
    if table not in SCHEMAS:
        raise DataFileError(f"Okänd tabell '{table}'. Välj bland: {', '.join(SCHEMAS)}.")
    path = Path(processed_dir) / f"{table}.parquet"
    if not path.exists():
        raise DataFileError(f"{path} finns inte. Kör 'jam ingest' först.", str(path))
    if indicators is not None and table == "indicators":
        return _as_validated(pd.read_parquet(path, filters=[("indicator_id", "in", list(indicators))]))
    return _as_validated(pd.read_parquet(path))
