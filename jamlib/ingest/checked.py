"""Loading a file, or every file of one kind in a folder, with the cross-row checks of the model's tables.

Validation (:mod:`jamlib.ingest.validation`) checks each row against its schema.
Some rules concern several rows together and live as pure analyses:

* results chain: links point upwards within one organisation, claimed outcomes
  have evidence (:func:`jamlib.analysis.results_chain.check_results_chain`);
* representation units: a class or counts for every unit
  (:func:`jamlib.analysis.representation.check_units`);
* checklist scores and participation: one occasion scheme per round, one role
  per organisation and round, mentor groups of one mentor and two or three
  participants (:func:`jamlib.analysis.model_history.check_checklist_rounds`).

:func:`load_checked` runs both and returns one
:class:`~jamlib.ingest.validation.ValidationResult` whose failure table holds all
findings. A cross-row failure of severity ``fel`` makes the result not ``ok``
(so ``errors="raise"`` stops a notebook with the whole table), but the rows stay
in ``data``: the fault lies in how rows relate, not in one row alone.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable

import pandas as pd

from jamlib.errors import DataFileError
from jamlib.ingest.readers import DATA_SUFFIXES, read_raw
from jamlib.ingest.validation import ValidationResult, file_failure, validate
from jamlib.schemas import FAILURE_COLUMNS, SCHEMAS

__all__ = ["cross_checks", "load_checked", "CROSS_CHECKS"]


def _results_chain(data: pd.DataFrame) -> pd.DataFrame:
    from jamlib.analysis.results_chain import check_results_chain

    return check_results_chain(data)


def _representation(data: pd.DataFrame) -> pd.DataFrame:
    from jamlib.analysis.representation import check_units

    return check_units(data)


def _rounds(data: pd.DataFrame) -> pd.DataFrame:
    from jamlib.analysis.model_history import check_checklist_rounds

    return check_checklist_rounds(data)


#: Table kind -> its cross-row check (a pure analysis returning a failure table).
CROSS_CHECKS: dict[str, Callable[[pd.DataFrame], pd.DataFrame]] = {
    "results_chain": _results_chain,
    "representation": _representation,
    "checklist": _rounds,
    "participation": _rounds,
}


def cross_checks(result: ValidationResult) -> ValidationResult:
    """``result`` with the cross-row findings of its kind added to the failure table (a new result)."""
    check = CROSS_CHECKS.get(result.kind or "")
    if check is None or result.data.empty:
        return result
    found = check(result.data)
    if found.empty:
        return result
    failures = pd.concat([result.failures, found[FAILURE_COLUMNS]], ignore_index=True)
    failures["row"] = failures["row"].astype("Int64")
    return replace(result, failures=failures)


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in DATA_SUFFIXES
                  and not p.name.startswith((".", "~$")))


def load_checked(path: str | Path, kind: str | None = None, *, allow_half_points: bool = False,
                 errors: str = "keep") -> ValidationResult:
    """Read and validate a file, or every file of ``kind`` in a folder, and run the cross-row checks.

    Parameters
    ----------
    path
        A file (CSV, Excel, Parquet) or a folder, searched recursively; in a folder only files
        whose columns make them ``kind`` are read (others are skipped without a failure).
    kind
        Table kind (``results_chain``, ``representation``, ``resources``, ``participation``,
        ``checklist``, ...); detected from a single file's columns when not given, required for a folder.
    allow_half_points
        Accept half points in checklist scores.
    errors
        ``"keep"`` (default) returns the result; ``"raise"`` raises
        :class:`~jamlib.errors.ValidationError` with every failure when any has severity ``fel``.

    Returns
    -------
    ValidationResult
        For a folder, all files together: rows read, kept and quarantined summed, the failure
        table of every file plus the cross-row findings over all of them.

    Raises
    ------
    DataFileError
        When the path does not exist, a single file cannot be read, or a folder holds no file of ``kind``.
    """
    if errors not in ("keep", "raise"):
        raise ValueError("errors must be 'keep' or 'raise'")
    path = Path(path)
    if path.is_dir():
        if kind not in SCHEMAS:
            raise DataFileError(f"Ange vilken sorts tabell som ska läsas ur mappen {path}.", str(path))
        results = []
        for file in _files(path):
            try:
                raw = read_raw(file)
            except DataFileError as error:  # reported, but it does not stop the other files
                skipped = file_failure(file, error)
                skipped.failures["severity"] = "varning"
                skipped.failures["message"] = skipped.failures["message"] + " Filen hoppades över."
                results.append(skipped)
                continue
            if raw.is_metadata:
                continue
            result = validate(raw, None, allow_half_points=allow_half_points)
            if result.kind == kind:
                results.append(result)
        usable = [r for r in results if r.kind == kind]
        if not usable:
            raise DataFileError(f"Mappen {path} innehåller ingen fil med {SCHEMAS[kind].title.lower()}.", str(path))
        combined = ValidationResult(
            kind, path.name,
            pd.concat([r.data for r in usable], ignore_index=True),
            pd.concat([r.quarantine for r in usable], ignore_index=True),
            pd.concat([r.failures for r in results], ignore_index=True),
            pd.concat([r.normalisations for r in usable], ignore_index=True),
            rows_read=sum(r.rows_read for r in usable),
            notes=[note for r in usable for note in r.notes],
        )
        combined.failures["row"] = combined.failures["row"].astype("Int64")
    elif path.exists():
        combined = validate(read_raw(path), kind, allow_half_points=allow_half_points)
    else:
        raise DataFileError(f"Filen eller mappen {path} finns inte.", str(path))
    checked = cross_checks(combined)
    if errors == "raise":
        checked.raise_for_failures()
    return checked
