"""Showing text and tables in notebooks so that exported reports are safe and Swedish.

Everything that may come from data (organisation names, titles, free text) is
escaped before it becomes HTML, so an organisation called
``<script>alert(1)</script>`` is shown as text. Numbers are formatted the
Swedish way by the caller (:func:`jamlib.formatting.format_decimal`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from jamlib.report._templates import render
from jamlib.report.charts import table_html

__all__ = ["show_heading", "show_paragraphs", "show_table", "find_folder", "find_folders"]


class _Html:
    def __init__(self, markup: str, text: str):
        self._markup, self._text = markup, text

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self._markup, "text/plain": self._text}


def _display(markup: str, text: str) -> None:
    from IPython.display import display

    display(_Html(markup, text))


def show_heading(text: str, level: int = 1) -> None:
    """Show a heading (escaped)."""
    level = min(max(int(level), 1), 4)
    _display(render("heading", level=level, text=str(text)), str(text))


def show_paragraphs(sentences: list[str] | pd.Series, bullets: bool = False) -> None:
    """Show sentences as paragraphs or a bulleted list (escaped)."""
    markup = render("paragraphs", sentences=[str(s) for s in sentences], bullets=bullets)
    _display(markup, "\n".join(str(s) for s in sentences))


def show_table(frame: pd.DataFrame, caption: str | None = None) -> None:
    """Show a table (every cell and header escaped)."""
    _display(table_html(frame, caption), frame.to_string(index=False))


def find_folder(path: str) -> str:
    """Find a data path given relative to the repository, from a notebook's folder too.

    JupyterLab runs a notebook in its own folder (``notebooks/``, or
    ``notebooks/kurs/kursledare/`` for the course); papermill and ``jam batch`` run
    it from the repository root. The first of ``path``, ``../path``,
    ``../../path`` and ``../../../path`` that exists is returned; otherwise
    ``path`` unchanged (so the error that follows names what the user wrote).
    """
    from pathlib import Path

    for prefix in ("", "../", "../../", "../../../"):
        candidate = Path(prefix + path)
        if candidate.exists():
            return str(candidate)
    return path


def find_folders(paths: str) -> list[str]:
    """:func:`find_folder` for each of several comma-separated folders.

    The default folder of own statistics (``data/raw/indicators``) is left out when it does not
    exist, since many projects have none; any other folder that is not found is returned as written,
    so that the error that follows names it.
    """
    from jamlib.formatting import split_list
    from jamlib.ingest.sources import DEFAULT_INDICATOR_FOLDERS

    found = []
    for path in split_list(paths):
        folder = find_folder(path)
        if folder == path and path in DEFAULT_INDICATOR_FOLDERS[1:] and not Path(path).exists():
            continue
        found.append(folder)
    return found
