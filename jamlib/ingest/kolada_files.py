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

import json
from pathlib import Path

import pandas as pd

from jamlib.errors import DataFileError
from jamlib.kpis import KPI_CURATED
from jamlib.ingest.raw import FILE, ROW, RawTable

__all__ = ["read_kolada_json"]

_HEADER = ["kommunkod", "organisation", "indikator", "indikatornamn", "period", "kön", "värde", "enhet", "polaritet", "källa"]


def _kpi_titles(folder: Path) -> dict[str, str]:
    meta = folder / "kpi.json"
    if not meta.exists():
        return {}
    try:
        values = json.loads(meta.read_text(encoding="utf-8")).get("values", [])
    except (json.JSONDecodeError, AttributeError):
        return {}
    return {v["id"]: v.get("title", "") for v in values if isinstance(v, dict) and "id" in v}


def _value_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_kolada_json(path: str | Path) -> RawTable:
    """Read a Kolada API v3 (or v2) data file into indicator rows of text.

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

    Raises
    ------
    DataFileError
        When the file is not JSON or not of Kolada's shape.
    """
    from jamlib.organisations import municipality_name

    path = Path(path)
    text = path.read_text(encoding="utf-8-sig")
    if not text.strip():
        return RawTable(path, pd.DataFrame(columns=[*_HEADER, FILE, ROW]), notes=["filen är tom"], kind="indicators")
    try:
        document = json.loads(text)
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
    notes: list[str] = []
    next_page = document.get("next_url", document.get("next_page"))
    if next_page:
        notes.append(
            f"filen är en sida av ett större svar (nästa sida: {next_page}); resten finns inte i filen"
        )
    titles = _kpi_titles(path.parent)
    rows: list[list[str | None]] = []
    numbers: list[int] = []
    removed_rows: list[list[str | None]] = []
    removed_numbers: list[int] = []
    for number, record in enumerate(records, start=1):
        kpi = str(record.get("kpi"))
        code = record.get("municipality")
        curated = KPI_CURATED.get(kpi, {})
        for entry in record.get("values") or []:
            row = [
                None if code is None else str(code),
                municipality_name(str(code)) if code is not None else None,
                kpi,
                titles.get(kpi),
                _value_text(record.get("period")),
                entry.get("gender"),
                _value_text(entry.get("value")),
                curated.get("unit"),
                curated.get("polarity", "okänd"),
                "Kolada (RKA)",
            ]
            if entry.get("isdeleted"):
                removed_rows.append(row)
                removed_numbers.append(number)
            else:
                rows.append(row)
                numbers.append(number)
    frame = pd.DataFrame(rows, columns=_HEADER, dtype=object)
    frame[FILE] = path.name
    frame[ROW] = pd.Series(numbers, dtype="int64")
    removed = pd.DataFrame(removed_rows, columns=_HEADER, dtype=object)
    removed[FILE] = path.name
    removed[ROW] = pd.Series(removed_numbers, dtype="int64")
    removed["_reason"] = "raderad i Kolada (isdeleted)"
    if removed_rows:
        notes.append(f"{len(removed_rows)} värden markerade som raderade i Kolada togs bort")
    return RawTable(path, frame, removed=removed, kind="indicators", notes=notes)
