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
from pathlib import Path

import pandas as pd

from jamlib.errors import ParameterError
from jamlib.formatting import split_list
from jamlib.vocabulary import CodeProblem

__all__ = ["municipalities", "municipality_name", "normalise_code", "CodeCheck", "check_municipality_code",
           "check_code_list", "municipality_groups"]


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
        ``None`` when the code is a known code as given; ``CodeProblem.LEADING_ZERO`` when
        the input lost its leading zero (``180`` for ``0180``); ``CodeProblem.UNKNOWN`` when
        it is no Swedish municipality or region; ``CodeProblem.MALFORMED`` when it is not a
        code at all.
    message
        A Swedish explanation for the user (empty when there is no problem).
    """

    code: str | None
    problem: CodeProblem | None
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
        is reported as ``CodeProblem.LEADING_ZERO`` together with the code it probably meant.
    """
    registry = _registry()
    if isinstance(value, bool) or value is None:
        return CodeCheck(None, CodeProblem.MALFORMED, f"'{value}' är ingen kommunkod.")
    if isinstance(value, float):
        if not value.is_integer():
            return CodeCheck(None, CodeProblem.MALFORMED, f"'{value}' är ingen kommunkod (koder har fyra siffror, t.ex. 0180).")
        value = int(value)
    text = str(value).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    if not text.isdigit():
        return CodeCheck(None, CodeProblem.MALFORMED, f"'{text}' är ingen kommunkod (koder har fyra siffror, t.ex. 0180).")
    if len(text) == 4:
        if text in registry:
            return CodeCheck(text, None, "")
        return CodeCheck(None, CodeProblem.UNKNOWN, f"'{text}' är inte koden för någon svensk kommun eller region.")
    if len(text) < 4:
        padded = text.zfill(4)
        if padded in registry:
            name = registry[padded][0]
            return CodeCheck(
                padded,
                CodeProblem.LEADING_ZERO,
                f"Koden '{text}' har tappat sin inledande nolla: menade du '{padded}' ({name})? "
                "Kommunkoder har alltid fyra siffror. Spara kolumnen som text i Excel så att nollan finns kvar.",
            )
        return CodeCheck(None, CodeProblem.UNKNOWN, f"'{text}' är inte koden för någon svensk kommun eller region (koder har fyra siffror).")
    return CodeCheck(None, CodeProblem.MALFORMED, f"'{text}' är ingen kommunkod (koder har fyra siffror, t.ex. 0180).")


def _octal_reading(value: int) -> str | None:
    """The code a YAML 1.1 reader would have turned into ``value`` (``0114`` -> 76), if valid."""
    text = "0" + format(value, "o")
    if len(text) == 4 and municipality_name(text) is not None:
        return text
    return None


def check_municipality_code(value: object, parameter: str = "kommunkod") -> str:
    """Return a valid 4-digit code for ``value`` or raise a Swedish :class:`ParameterError`.

    Parameters
    ----------
    value
        What the notebook received: ``"0180"``, ``180`` (repaired), ``"180"``
        (repaired), ``76`` (refused: possibly YAML's octal reading of ``0114``).
    parameter
        The parameter's name, for the message.

    Returns
    -------
    str
        The code, e.g. ``"0180"``.
    """
    if isinstance(value, bool) or value is None:
        raise ParameterError(f"Parametern {parameter} saknar en kommunkod (fick {value!r}).")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    octal = _octal_reading(value) if isinstance(value, int) and value >= 0 else None
    check = normalise_code(value)
    plain = check.code if check.code is not None and check.problem in (None, CodeProblem.LEADING_ZERO) else None
    if octal and plain and octal != plain:
        raise ParameterError(
            f"Parametern {parameter} = {value} är tvetydig: det kan vara {plain} ({municipality_name(plain)}) "
            f"eller {octal} ({municipality_name(octal)}) som en YAML-fil läst som ett oktalt tal. "
            f"Skriv koden inom citattecken, t.ex. {parameter}: \"{octal}\".")
    if plain:
        return plain
    if octal:
        raise ParameterError(
            f"Parametern {parameter} = {value} är ingen kommunkod. Troligen stod det {octal} "
            f"({municipality_name(octal)}) i en YAML-fil, som läser tal med inledande nolla som oktala tal. "
            f"Skriv koden inom citattecken: {parameter}: \"{octal}\".")
    raise ParameterError(f"Parametern {parameter}: {check.message or f'{value!r} är ingen kommunkod.'}")


def check_code_list(value: object, parameter: str = "kommuner") -> list[str]:
    """Check a list of codes (a list, or a comma-separated text); see :func:`check_municipality_code`."""
    items: list[object] = split_list(value) if isinstance(value, (str, list, tuple)) else [value]
    return [check_municipality_code(item, parameter) for item in items]


@lru_cache(maxsize=4)
def _groups_text(path: str | None) -> str:
    if path is None:
        return resources.files("jamlib").joinpath("_data/municipality_groups.json").read_text(encoding="utf-8")
    return Path(path).read_text(encoding="utf-8")


def municipality_groups(path: str | Path | None = None) -> pd.DataFrame:
    """Kolada's municipality groups with their members.

    Parameters
    ----------
    path
        A ``municipality_groups.json`` in Kolada's v3 shape; default the copy
        bundled with jamlib.

    Returns
    -------
    pandas.DataFrame
        One row per group and member: ``group_id``, ``group_title``,
        ``member_code``, ``member_name``.
    """
    document = json.loads(_groups_text(None if path is None else str(path)))
    rows = [(g["id"], g["title"], m["id"], m.get("title")) for g in document.get("values", []) for m in g.get("members", [])]
    return pd.DataFrame(rows, columns=["group_id", "group_title", "member_code", "member_name"])
