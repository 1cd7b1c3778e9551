"""Swedish municipality and region codes (from the bundled Kolada snapshot).

Codes are 4-digit strings: ``"0180"`` is Stockholm, ``"1780"`` Karlstad,
``"0000"`` Riket and ``"0001"``-``"0025"`` the regions. Excel and papermill
often turn ``"0180"`` into the number 180; :func:`normalise_code` recognises
that and says so, instead of silently analysing another municipality.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pandas as pd

__all__ = ["municipalities", "municipality_name", "normalise_code", "CodeCheck"]


@lru_cache(maxsize=1)
def _registry() -> dict[str, tuple[str, str]]:
    text = resources.files("jamlib").joinpath("_data/municipality.json").read_text(encoding="utf-8")
    return {row["id"]: (row["title"], row["type"]) for row in json.loads(text)["values"]}


def municipalities() -> pd.DataFrame:
    """Return every municipality (type ``K``), region and Riket (type ``L``).

    Returns
    -------
    pandas.DataFrame
        Columns ``code``, ``name``, ``type``; a new frame on every call.
    """
    rows = [(code, name, kind) for code, (name, kind) in sorted(_registry().items())]
    return pd.DataFrame(rows, columns=["code", "name", "type"])


def municipality_name(code: str) -> str | None:
    """Return the name for a 4-digit code, or ``None`` when it is unknown."""
    entry = _registry().get(code)
    return entry[0] if entry else None


@dataclass(frozen=True)
class CodeCheck:
    """Result of checking one code.

    Attributes
    ----------
    code
        The 4-digit code when it could be determined, else ``None``.
    problem
        ``None`` when the code is a known code as given; ``"leading_zero"`` when
        the input lost its leading zero (``180`` for ``0180``); ``"unknown"`` when
        it is no Swedish municipality or region; ``"malformed"`` when it is not a
        code at all.
    message
        A Swedish explanation for the user (empty when there is no problem).
    """

    code: str | None
    problem: str | None
    message: str


def normalise_code(value: object) -> CodeCheck:
    """Check a municipality or region code and explain what is wrong with it.

    Parameters
    ----------
    value
        A code as it came from a file or a parameter: ``"0180"``, ``180``,
        ``"180"``, ``180.0`` or ``"1780"``.

    Returns
    -------
    CodeCheck
        The 4-digit code where it can be determined, and a description of the
        problem, if any. The code is never silently changed: a lost leading zero
        is reported as ``"leading_zero"`` together with the code it probably meant.
    """
    registry = _registry()
    if isinstance(value, bool) or value is None:
        return CodeCheck(None, "malformed", f"'{value}' är ingen kommunkod.")
    if isinstance(value, float):
        if not value.is_integer():
            return CodeCheck(None, "malformed", f"'{value}' är ingen kommunkod (koder har fyra siffror, t.ex. 0180).")
        value = int(value)
    text = str(value).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    if not text.isdigit():
        return CodeCheck(None, "malformed", f"'{text}' är ingen kommunkod (koder har fyra siffror, t.ex. 0180).")
    if len(text) == 4:
        if text in registry:
            return CodeCheck(text, None, "")
        return CodeCheck(None, "unknown", f"'{text}' är inte koden för någon svensk kommun eller region.")
    if len(text) < 4:
        padded = text.zfill(4)
        if padded in registry:
            name = registry[padded][0]
            return CodeCheck(
                padded,
                "leading_zero",
                f"Koden '{text}' har tappat sin inledande nolla: menade du '{padded}' ({name})? "
                "Kommunkoder har alltid fyra siffror. Spara kolumnen som text i Excel så att nollan finns kvar.",
            )
        return CodeCheck(None, "unknown", f"'{text}' är inte koden för någon svensk kommun eller region (koder har fyra siffror).")
    return CodeCheck(None, "malformed", f"'{text}' är ingen kommunkod (koder har fyra siffror, t.ex. 0180).")
