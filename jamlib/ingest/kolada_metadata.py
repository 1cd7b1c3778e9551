"""Kolada's KPI metadata (definition, source, publication date) and when a snapshot was taken.

``kpi.json`` (as from ``/v3/kpi``) describes the KPIs of a folder; a bigger
``kpi_gender_split.json`` may describe every gender-split KPI. Kolada names the
source of a KPI at the end of its description ("Källa: Socialstyrelsen ...");
:func:`read_kpi_metadata` lifts it out. ``snapshot.toml`` says when the
folder's values were fetched, for the report's "Om data".
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from jamlib.formatting import sentence_start

__all__ = ["read_kpi_metadata", "snapshot_date", "KPI_METADATA_COLUMNS"]

KPI_METADATA_COLUMNS = ["kpi", "title", "description", "source", "publication_date", "operating_area",
                        "municipality_type", "has_ou_data"]

_SOURCE = re.compile(r"Källa:\s*(.+?)\s*(?:\\n|$)", re.DOTALL)


def _source(description: str) -> str:
    match = _SOURCE.search(description or "")
    return sentence_start(match.group(1).strip().rstrip(".").strip()) + "." if match else ""


def _values(path: Path) -> list[dict]:
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return []
    values = document.get("values") if isinstance(document, dict) else None
    return [v for v in values if isinstance(v, dict) and isinstance(v.get("id"), str)] if isinstance(values, list) else []


def read_kpi_metadata(folder: str | Path) -> pd.DataFrame:
    """KPI metadata of a Kolada folder: ``kpi.json`` first, then ``kpi_gender_split.json`` for the rest.

    Parameters
    ----------
    folder
        A folder such as ``data/raw/kolada``. Files that are missing or unreadable are skipped.

    Returns
    -------
    pandas.DataFrame
        One row per KPI with :data:`KPI_METADATA_COLUMNS`; ``description`` without
        Kolada's escaped line breaks, ``source`` the text after "Källa:".
    """
    folder = Path(folder)
    rows: dict[str, dict] = {}
    for name in ("kpi_gender_split.json", "kpi.json"):  # the latter wins
        for value in _values(folder / name):
            description = str(value.get("description") or "")
            rows[str(value["id"])] = {
                "kpi": str(value["id"]), "title": str(value.get("title") or ""),
                "description": description.replace("\\n", " ").strip(), "source": _source(description),
                "publication_date": str(value.get("publication_date") or ""),
                "operating_area": str(value.get("operating_area") or ""),
                "municipality_type": str(value.get("municipality_type") or ""),
                "has_ou_data": bool(value.get("has_ou_data", False)),
            }
    return pd.DataFrame(list(rows.values()), columns=KPI_METADATA_COLUMNS)


def snapshot_date(folder: str | Path) -> str | None:
    """When the folder's values were fetched (``snapshot.toml``'s ``hämtad``), or ``None`` when unknown."""
    import tomllib

    path = Path(folder) / "snapshot.toml"
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    value = document.get("hämtad") if isinstance(document, dict) else None
    return str(value) if value else None
