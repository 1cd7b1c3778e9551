"""The raw table every reader returns: cells as text, with where each came from."""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

__all__ = ["RawTable", "FILE", "ROW", "cell_text"]

FILE = "_file"
ROW = "_row"


@dataclass
class RawTable:
    """Cells as text, with their origin.

    Attributes
    ----------
    path
        The file read.
    frame
        One row per data row; the file's own headers as columns, every cell a
        ``str`` or ``None``; plus ``_file`` (file name, and sheet where there is
        one) and ``_row`` (row number as seen in Excel; for JSON the record number).
    removed
        Rows the reader took out by a documented rule (e.g. Kolada rows marked
        ``isdeleted``), same columns plus ``_reason``. They are counted and
        quarantined, never lost.
    kind
        The table kind when the format itself tells (Kolada JSON, SKR wide sheet).
    notes
        What the reader noticed (encoding, separator), in Swedish.
    is_metadata
        True for files that describe data rather than hold it (Kolada's
        ``kpi.json``, ``municipality.json``); they are not validated as tables.
    findings
        What the reader found wrong with rows or with the file, for the failure
        table: ``row`` (as in Excel, ``None`` for the file), ``column``, ``value``,
        ``rule``, ``severity`` and a Swedish ``message``; ``file`` when the file has sheets.
        A finding of severity ``fel`` sends its rows to the quarantine.
    reshaping
        How the reader changed the shape of the table (a wide table with one column
        per sex made long, a two-row header joined), in Swedish; shown in the manifest.
    """

    path: Path
    frame: pd.DataFrame
    removed: pd.DataFrame = field(default_factory=pd.DataFrame)
    kind: str | None = None
    notes: list[str] = field(default_factory=list)
    is_metadata: bool = False
    findings: list[dict] = field(default_factory=list)
    reshaping: list[str] = field(default_factory=list)


def cell_text(value: object) -> str | None:
    """Turn a cell from Excel, Parquet or a data frame into the text the user sees.

    Whole floats lose their ``.0`` (``3.0`` -> ``"3"``), other floats keep every digit (``repr``),
    dates become ISO dates (a time only when there is one); empty and missing cells become ``None``.
    """
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(float(value))  # float() so that numpy floats print as plain numbers
    if isinstance(value, (_dt.datetime, pd.Timestamp)):
        if value.hour == 0 and value.minute == 0 and value.second == 0:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    try:
        if pd.isna(value):  # type: ignore[arg-type]
            return None
    except (TypeError, ValueError):
        pass
    text = str(value)
    return text if text.strip() != "" else None
