"""Storing validated data: atomic files, quarantine and a manifest per source file.

``ingest`` reads every data file under ``data/raw/``, validates it, and writes

* ``data/processed/<table>.parquet``: the rows that passed, all files of the same
  kind together, with ``source_file`` and ``source_row`` for lineage;
* ``data/processed/karantan/<source>.csv``: the rows that did not pass, as they
  stood in the file, with the reason (opens in Excel; cells cannot start a formula);
* ``data/processed/manifest/<source>.json``: path, SHA-256 checksum, rows read,
  kept and quarantined, failures and warnings per rule, normalisations;
* ``data/processed/manifest.json`` and ``data/processed/fel.csv``: all of it together.

Every file is written to a temporary file in the same folder and moved into
place with :func:`os.replace`, so a crash or Ctrl-C never leaves a half-written
file behind: either the old file or the new one is there.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Callable

import pandas as pd

from jamlib.errors import DataFileError
from jamlib.files import atomic_write, write_csv, write_json, write_parquet
from jamlib.ingest.readers import DATA_SUFFIXES, read_raw
from jamlib.schemas import SCHEMAS
from jamlib.ingest.validation import FAILURE_COLUMNS, file_failure, validate

__all__ = ["ingest_folder", "load_processed"]

def _checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _slug(relative: Path) -> str:
    return "__".join(relative.with_suffix("").parts) + relative.suffix.replace(".", "_")


def _counts(failures: pd.DataFrame, severity: str) -> dict[str, int]:
    subset = failures[failures["severity"] == severity]
    return {str(k): int(v) for k, v in subset["rule"].value_counts().items()}


def ingest_folder(
    raw_dir: str | Path = "data/raw",
    processed_dir: str | Path = "data/processed",
    *,
    allow_half_points: bool = False,
    progress: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """Validate every data file under ``raw_dir`` and store the results under ``processed_dir``.

    Parameters
    ----------
    raw_dir
        Folder searched recursively for CSV, Excel, Parquet and Kolada JSON files.
    processed_dir
        Output folder (created if needed).
    allow_half_points
        Accept half points in checklist scores.
    progress
        Called with a short Swedish line per file, e.g. ``print``.

    Returns
    -------
    pandas.DataFrame
        The manifest, one row per source file: ``path``, ``kind``, ``sha256``,
        ``rows_read``, ``rows_kept``, ``rows_quarantined``, ``errors``,
        ``warnings``, ``summary``.
    """
    raw_dir, processed_dir = Path(raw_dir), Path(processed_dir)
    if not raw_dir.is_dir():
        raise DataFileError(f"Mappen {raw_dir} finns inte.", str(raw_dir))
    files = sorted(p for p in raw_dir.rglob("*") if p.is_file() and p.suffix.lower() in DATA_SUFFIXES
                   and not p.name.startswith((".", "~$")))
    tables: dict[str, list[pd.DataFrame]] = {name: [] for name in SCHEMAS}
    manifest_rows: list[dict] = []
    all_failures: list[pd.DataFrame] = []
    for path in files:
        relative = path.relative_to(raw_dir)
        try:
            raw = read_raw(path)
            if raw.is_metadata:
                continue
            result = validate(raw, allow_half_points=allow_half_points, source=str(relative))
        except DataFileError as error:
            result = file_failure(path, error)
            result.source = str(relative)
        slug = _slug(relative)
        if result.kind in tables and len(result.data):
            tables[result.kind].append(result.data)
        quarantine_path = processed_dir / "karantan" / f"{slug}.csv"
        if len(result.quarantine):
            write_csv(result.quarantine, quarantine_path)
        elif quarantine_path.exists():
            quarantine_path.unlink()
        failures = result.failures.copy()
        failures.insert(0, "source", str(relative))
        all_failures.append(failures)
        entry = {
            "path": str(relative),
            "kind": result.kind,
            "sha256": _checksum(path),
            "rows_read": result.rows_read,
            "rows_kept": result.rows_kept,
            "rows_quarantined": result.rows_quarantined,
            "errors": int((result.failures["severity"] == "fel").sum()),
            "warnings": int((result.failures["severity"] == "varning").sum()),
            "summary": result.summary,
        }
        manifest_rows.append(entry)
        write_json({
            **entry,
            "errors_by_rule": _counts(result.failures, "fel"),
            "warnings_by_rule": _counts(result.failures, "varning"),
            "removed_by_rule": _counts(result.failures, "info"),
            "normalisations": result.normalisations.to_dict(orient="records"),
            "notes": result.notes,
            "quarantine": str(quarantine_path.relative_to(processed_dir)) if len(result.quarantine) else None,
        }, processed_dir / "manifest" / f"{slug}.json")
        if progress:
            progress(result.summary)
    for name, frames in tables.items():
        target = processed_dir / f"{name}.parquet"
        if frames:
            write_parquet(pd.concat(frames, ignore_index=True), target)
        elif target.exists():
            target.unlink()
    manifest = pd.DataFrame(manifest_rows, columns=["path", "kind", "sha256", "rows_read", "rows_kept",
                                                     "rows_quarantined", "errors", "warnings", "summary"])
    write_json(manifest.to_dict(orient="records"), processed_dir / "manifest.json")
    failures = pd.concat(all_failures, ignore_index=True) if all_failures else pd.DataFrame(columns=["source", *FAILURE_COLUMNS])
    write_csv(failures, processed_dir / "fel.csv")
    return manifest


def load_processed(table: str, processed_dir: str | Path = "data/processed") -> pd.DataFrame:
    """Load a processed table written by :func:`ingest`.

    Parameters
    ----------
    table
        ``checklist``, ``published``, ``indicators`` or ``results_chain``.
    processed_dir
        The folder given to :func:`ingest`.

    Returns
    -------
    pandas.DataFrame

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
    return pd.read_parquet(path)
