"""The raw table every reader returns: cells as text, with where each came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

__all__ = ["RawTable", "FILE", "ROW"]

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
    """

    path: Path
    frame: pd.DataFrame
    removed: pd.DataFrame = field(default_factory=pd.DataFrame)
    kind: str | None = None
    notes: list[str] = field(default_factory=list)
    is_metadata: bool = False
