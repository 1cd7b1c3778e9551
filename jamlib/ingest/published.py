"""Reading a published checklist table (SKR's Tabell 1 and 2) exactly as printed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from jamlib.ingest.readers import read_raw
from jamlib.ingest.validation import validate

__all__ = ["read_published"]


def read_published(path: str | Path) -> pd.DataFrame:
    """Read a published table exactly as printed, inconsistent totals included.

    Unlike :func:`jamlib.load`, rows whose totals or changes do not add up are
    kept, because finding them is the point of :func:`check_published_table`.

    Parameters
    ----------
    path
        A published-table file (CSV or Excel with the columns of
        :data:`jamlib.schemas.PUBLISHED`).

    Returns
    -------
    pandas.DataFrame
        The canonical published table (one or more tables, column ``table``).

    Raises
    ------
    ValidationError
        When cells cannot be read (not numbers, unknown moments, wrong columns).
    """
    result = validate(read_raw(path), "published", skip_checks=("published_sums",))
    result.raise_for_failures()
    return result.data
