"""The exception hierarchy of jamlib.

Every exception that jamlib raises on purpose derives from :class:`JamlibError`,
so that a notebook or a batch runner can catch everything jamlib has to say with
a single ``except JamlibError``. Messages are in Swedish, because they are read
by analysts and staff, not by programmers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["JamlibError", "DataFileError", "ValidationError", "ParameterError", "KoladaError", "NoDataError",
           "DisclosureError", "OutputFileError"]


class JamlibError(Exception):
    """Root of every error that jamlib raises on purpose.

    In JupyterLab (IPython) the error is shown as its Swedish message, not as a Python traceback: a
    strategist who typed a wrong code sees "Fel: ..." and what to do, nothing else.
    """

    def _render_traceback_(self) -> list[str]:
        lines = [f"Fel: {self}"]
        failures = getattr(self, "failures", None)
        if failures is not None and len(failures):
            lines += [f"  {row.get('file', '')} rad {row.get('row', '')}, {row.get('column', '')} = "
                      f"{row.get('value', '')!s}: {row.get('message', '')}"
                      for row in failures.head(20).to_dict("records")]
            if len(failures) > 20:
                lines.append(f"  ... och {len(failures) - 20} till (jam validate visar alla).")
        return lines


class DataFileError(JamlibError):
    """A file cannot be read at all: missing, empty, unknown format or wrong columns.

    Parameters
    ----------
    message
        The Swedish explanation, naming the file.
    path
        The file concerned.
    """

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class ValidationError(JamlibError):
    """One error that carries every validation failure found, as a table.

    Parameters
    ----------
    failures
        The failure table (columns ``file``, ``row``, ``column``, ``value``,
        ``rule``, ``severity``, ``message``).
    summary
        A one-line Swedish summary.
    """

    def __init__(self, failures: "pd.DataFrame", summary: str) -> None:
        super().__init__(summary)
        self.failures = failures.copy()
        self.summary = summary


class ParameterError(JamlibError):
    """A parameter given to a notebook, report or command is not acceptable."""


class NoDataError(JamlibError):
    """The data hold nothing for what was asked: no values for an organisation, indicator or period."""


class DisclosureError(JamlibError, ValueError):
    """Data that still hold a suppressed value (resting on too few persons) were about to be shown.

    Also a :class:`ValueError`: the data handed over are of the wrong kind.
    """


class KoladaError(JamlibError):
    """A request to Kolada failed; ``url`` and ``status`` say which and how.

    Parameters
    ----------
    message
        The Swedish explanation.
    url
        The address asked.
    status
        The HTTP status, or ``None`` when no answer came.
    """

    def __init__(self, message: str, url: str, status: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status = status


class OutputFileError(JamlibError):
    """An output file cannot be written: locked (open in Excel), read-only folder, or a full disk.

    Parameters
    ----------
    message
        The Swedish explanation, naming the file and what to do.
    path
        The file concerned.
    """

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path
