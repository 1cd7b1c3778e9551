"""Where reports find their data: Kolada files and the organisation's own statistics, one table.

A report, ``jam gaps`` and ``jam batch`` read indicator rows from one or more
folders. Each folder may hold Kolada data files (``data_*.json``, as the bundled
snapshot and ``jam kolada fetch`` write them) and the organisation's own
indicator files (CSV, Excel, OpenDocument or Parquet with the columns of
:data:`jamlib.schemas.INDICATORS`: a committee's user survey, a company's
customer index, a school's admissions by sex). All of them become one validated
table, so a committee or a company is reported on exactly as a municipality is.

When ``jam ingest`` has stored a file (``data/raw/...`` with ``data/processed``
beside it) and the file has not changed since, its validated rows are read from
the store; only new or changed files are validated again.

Kolada's files are taken as they are (rows Kolada marks as deleted or without a
known code stay out, as ``jam ingest`` reports). An own file with errors stops
the report with every error listed (file, row, column, value), because a report
that quietly left out a committee's rows would mislead its readers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import pandas as pd

from jamlib.errors import DataFileError, ValidationError

__all__ = ["DEFAULT_INDICATOR_FOLDERS", "DEFAULT_ORGANISATION_FOLDER", "indicator_folders", "load_indicator_folder",
           "load_organisation_folder"]

#: Where the indicator report looks by default: the Kolada snapshot or fetched files, then the own statistics.
DEFAULT_INDICATOR_FOLDERS = ("data/raw/kolada", "data/raw/indicators")
#: Where the user's own organisation table (committees, companies, units and their parents) is kept.
DEFAULT_ORGANISATION_FOLDER = "data/raw/organisations"

_OWN_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls", ".ods", ".parquet")
_KEY = ["org_code", "org_name", "indicator_id", "period", "sex"]
_CACHE: dict[tuple, pd.DataFrame] = {}


def indicator_folders(value: str | Path | Iterable[str | Path] | None) -> list[Path]:
    """The folders named by a parameter: one folder, a comma-separated text of folders, or a list.

    Parameters
    ----------
    value
        ``"data/raw/kolada"``, ``"data/raw/kolada, data/raw/indicators"``, a list of those, or
        ``None``/``""`` for :data:`DEFAULT_INDICATOR_FOLDERS`.

    Returns
    -------
    list of Path
        The folders in the order given. For the default, only those that exist (a project without own
        statistics has no ``data/raw/indicators``).
    """
    from jamlib.formatting import split_list

    if value is None or (isinstance(value, str) and not value.strip()):
        existing = [Path(f) for f in DEFAULT_INDICATOR_FOLDERS if Path(f).is_dir()]
        return existing or [Path(DEFAULT_INDICATOR_FOLDERS[0])]
    items = [value] if isinstance(value, (str, Path)) else list(value)
    folders: list[Path] = []
    for item in items:
        folders.extend(Path(part) for part in (split_list(item) if isinstance(item, str) else [item]))
    return list(dict.fromkeys(folders))


def _own_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in _OWN_SUFFIXES
                  and not p.name.startswith((".", "~$")))


def _kolada_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("data_*.json"), key=lambda p: (p.stat().st_mtime, p.name))


def _unit_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("oudata_*.json"), key=lambda p: (p.stat().st_mtime, p.name))


def _unit_values(path: Path) -> pd.DataFrame:
    """Kolada's unit-level values (``jam kolada fetch --unit/--units-of``): a care home's or school's rows.

    ``org_code`` is the unit's Kolada id (``V15E178000201``), ``org_name`` its name and ``parent_code`` its
    municipality; values Kolada marks as deleted stay out, as for municipalities.
    """
    import json

    from jamlib.ingest.kolada_client import _unit_rows

    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        rows, _ = _unit_rows(path, document, include_deleted=False)
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, RecursionError) as error:
        raise DataFileError(f"{path.name}: filen med enhetsvärden från Kolada kan inte läsas ({error}). Hämta den igen "
                            "med jam kolada fetch --refresh.", str(path)) from error
    return rows.drop(columns=["parent_name"]).assign(source_file=path.name, source_row=range(1, len(rows) + 1))


def _signature(files: list[Path]) -> tuple:
    return tuple((str(p.resolve()), p.stat().st_mtime_ns, p.stat().st_size) for p in files)


def _validated(path: Path, kind: str, store: tuple[Path, Path] | None, strict: bool) -> pd.DataFrame:
    """One file's validated rows: from the store when unchanged, else validated now."""
    from jamlib.errors import JamlibError
    from jamlib.ingest.store import stored_rows
    from jamlib.ingest.validation import load, unforeseen_error

    try:
        stored = stored_rows(path, *store, kind=kind) if store else None
        if stored is not None:
            return stored
        result = load(path, kind)
    except JamlibError:
        raise
    except Exception as error:  # last resort: the file is named in Swedish, never a traceback
        raise unforeseen_error(path, error) from error
    if strict and not result.ok:
        errors = result.failures[result.failures["severity"] == "fel"]
        raise ValidationError(errors, f"{result.summary} Rätta raderna i filen (listan nedan visar fil, rad, kolumn "
                                      "och värde) och kör rapporten igen; jam validate visar samma lista.")
    return result.data


def load_indicator_folder(folder: str | Path | Iterable[str | Path] | None,
                          indicators: Iterable[str] | None = None) -> pd.DataFrame:
    """Load every indicator file in one or more folders as validated indicator rows.

    Kolada data files (``data_*.json``), Kolada's unit-level files (``oudata_*.json``: care homes,
    schools, home-care groups, with ``org_code`` the unit's id and ``parent_code`` its municipality) and
    own indicator files (CSV, Excel, OpenDocument, Parquet) in the same folders land in one table. When two files hold the same organisation,
    indicator, period and sex (a fetched Kolada file beside the snapshot), the value from the most
    recently written file is used. A processed folder written by ``jam ingest`` (``data/processed``)
    may be given too: its indicator table is read (only the given indicators' row groups, when
    ``indicators`` is given: a store of every Kolada KPI for all municipalities holds 30 million rows).

    Parameters
    ----------
    folder
        A folder such as ``data/raw/kolada`` or ``data/raw/indicators``, several of them (a list,
        or a comma-separated text), or ``None`` for :data:`DEFAULT_INDICATOR_FOLDERS`.
    indicators
        Only these indicator ids (``"U21504"``, own ids as written); ``None`` for every indicator.

    Returns
    -------
    pandas.DataFrame
        Rows of :data:`jamlib.schemas.INDICATORS` plus ``source_file``/``source_row``. A new frame on
        every call.

    Raises
    ------
    DataFileError
        When a folder does not exist or none of them holds an indicator file.
    ValidationError
        When an own indicator file has errors (every error listed, with file, row, column and value).
    """
    from jamlib.ingest.store import find_store, load_processed

    folders = indicator_folders(folder)
    files: list[tuple[Path, bool]] = []  # (file, own statistics)
    units: list[Path] = []
    processed: list[Path] = []
    for path in folders:
        if not path.is_dir():
            raise DataFileError(f"Mappen {path} finns inte. Ange en mapp med Kolada-filer (data_*.json) eller egna "
                                "indikatorfiler (CSV eller Excel).", str(path))
        if (path / "manifest.json").is_file() and (path / "indicators.parquet").is_file():  # written by jam ingest
            processed.append(path / "indicators.parquet")
            continue
        files.extend([(p, False) for p in _kolada_files(path)] + [(p, True) for p in _own_files(path)])
        units.extend(_unit_files(path))
    if not files and not units and not processed:
        names = ", ".join(str(p) for p in folders)
        raise DataFileError(f"{names} innehåller inga indikatorfiler: Kolada-filer (data_*.json) eller egna filer "
                            "(CSV, Excel) med kolumnerna indikator, period, kön och värde.", names)
    wanted = None if indicators is None else sorted({str(i) for i in indicators})
    files_read = _signature([p for p, _ in files] + units + processed)
    key = (files_read, None if wanted is None else tuple(wanted))
    if key in _CACHE:  # the same files as before: a copy of the validated rows
        return _CACHE[key].copy()
    if (files_read, None) in _CACHE:  # every indicator of the same files (jam batch loads them once): a part
        every = _CACHE[(files_read, None)]
        return every[every["indicator_id"].isin(wanted)].reset_index(drop=True)
    stored = [load_processed("indicators", p.parent, indicators=wanted) for p in processed]
    read = [_validated(path, "indicators", find_store(path.parent), strict=own) for path, own in files]
    read.extend(_unit_values(path) for path in units)
    if wanted is not None:  # a processed table is read for the wanted indicators only; files are read whole
        read = [f[f["indicator_id"].isin(wanted)] for f in read]
    frames = [f for f in stored + read if not f.empty]
    if not frames:
        raise DataFileError(f"Indikatorfilerna i {', '.join(str(p) for p in folders)} har inga godkända rader.")
    data = pd.concat(frames, ignore_index=True)
    unique = data.drop_duplicates(subset=_KEY, keep="last").reset_index(drop=True)
    _CACHE.clear()
    _CACHE[key] = unique
    return unique.copy()


def load_organisation_folder(folder: str | Path | None = DEFAULT_ORGANISATION_FOLDER) -> pd.DataFrame | None:
    """The user's own organisation table (committees, companies, schools and their parents), if there is one.

    Parameters
    ----------
    folder
        A folder with organisation files (columns of :data:`jamlib.schemas.ORGANISATIONS`), default
        ``data/raw/organisations``. A missing folder or ``""`` gives ``None``.

    Returns
    -------
    pandas.DataFrame or None
        Validated rows of every file in the folder, or ``None`` when there are none.

    Raises
    ------
    ValidationError
        When a file has errors.
    """
    from jamlib.ingest.store import find_store

    if folder is None or not str(folder).strip() or not Path(folder).is_dir():
        return None
    path = Path(folder)
    frames = [_validated(p, "organisations", find_store(path), strict=True) for p in _own_files(path)]
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else None
