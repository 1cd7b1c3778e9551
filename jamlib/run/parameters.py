"""Checking notebook parameters before any analysis runs.

papermill hands parameters over as typed values, and two routes lose a
municipality code's leading zero:

* ``papermill -p kommunkod 0180`` arrives as the integer ``180``;
* a YAML parameter file (``-f``) reads ``kommunkod: 0114`` as the *octal*
  number 76, but ``0180`` (8 is no octal digit) as the text ``"0180"``.

:func:`jamlib.organisations.check_municipality_code` repairs what can be repaired without doubt
(``180`` can only be ``"0180"``) and refuses, in Swedish, what cannot (``76``
might be the octal reading of ``0114``): a report must never silently analyse
the wrong municipality. :func:`notebook_parameters` reads the names a notebook
declares, so the batch runner can refuse any other name before papermill
writes it into code.

Values typed as ``-p namn=värde`` are read by :func:`parse_parameters` as data
only: JSON/YAML scalars (text, numbers, ``true``/``false``, ``null``) or lists
of them. Nothing is evaluated as Python, and a value that reads as a Python
tuple, bytes, set, dict or complex literal is refused, so only plain data
reaches papermill, which writes it into the notebook as a literal.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from jamlib.errors import ParameterError

__all__ = ["check_years", "check_roles", "notebook_parameters", "check_parameter_names", "parse_parameter_value",
           "parse_parameters", "check_parameter_values"]

_JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?P<fraction>\.[0-9]+)?(?P<exponent>[eE][-+]?[0-9]+)?")
_WORDS = {"true": True, "false": False, "null": None, "none": None, "~": None}
_SCALARS = (str, int, float, bool, type(None))
_PYTHON_KINDS = {tuple: "tupel", bytes: "bytes", set: "mängd", frozenset: "mängd", dict: "ordbok",
                 complex: "komplext tal"}
_EXAMPLES = 'Skriv text, ett tal, true/false, null eller en lista som ["U23401", "N20402"].'


def check_years(value: object, parameter: str = "till_och_med") -> str | None:
    """Check a last year (``2021``, ``"2021"`` or empty for "all years"); return it as text."""
    if value in (None, "", "alla"):
        return None
    text = str(value).strip()
    if not (text.isdigit() and len(text) == 4 and 1990 <= int(text) <= 2100):
        raise ParameterError(f"Parametern {parameter} ska vara ett årtal som 2021, inte {value!r}.")
    return text


def notebook_parameters(path: str | Path) -> dict[str, str]:
    """The names (and default source text) of a notebook's ``parameters`` cell.

    Parameters
    ----------
    path
        A notebook with one cell tagged ``parameters``.

    Returns
    -------
    dict
        Name -> the default's source text.

    Raises
    ------
    ParameterError
        When the notebook has no ``parameters`` cell.
    """
    import papermill

    if not Path(path).is_file():
        raise ParameterError(f"Anteckningsboken {path} finns inte.")
    try:
        found = papermill.inspect_notebook(str(path))
    except ValueError as error:  # papermill: no cell tagged "parameters" or a notebook it cannot read
        raise ParameterError(f"Anteckningsboken {Path(path).name} kan inte läsas: {error}") from error
    if not found:
        raise ParameterError(f"Anteckningsboken {Path(path).name} har ingen cell märkt \"parameters\".")
    return {name: info["default"] for name, info in found.items()}


def check_parameter_names(path: str | Path, parameters: dict[str, object]) -> None:
    """Refuse parameter names the notebook does not declare (papermill would write them into code).

    Raises
    ------
    ParameterError
        Naming the unknown parameters and the allowed ones.
    """
    allowed = notebook_parameters(path)
    unknown = sorted(name for name in parameters if name not in allowed)
    if unknown:
        raise ParameterError(
            f"Okända parametrar för {Path(path).name}: {', '.join(unknown)}. Tillåtna: {', '.join(allowed)}.")


def check_roles(value: object, parameter: str = "roller") -> list[str]:
    """Check roles (``"deltagare,mentor"``); return them in order without repeats."""
    from jamlib.schemas import ROLES

    items = [part.strip().lower() for part in str(value or "").split(",") if part.strip()]
    wrong = [item for item in items if item not in ROLES]
    if wrong or not items:
        raise ParameterError(f"Parametern {parameter} ska vara deltagare och/eller mentor, inte {value!r}.")
    return list(dict.fromkeys(items))


def _scalar(text: str) -> object:
    """A JSON/YAML plain scalar: ``true``/``false``/``null``, a JSON number, otherwise the text itself.

    ``0180`` stays the text ``"0180"`` (JSON has no leading zeros, and YAML's
    octal reading is exactly the trap :mod:`jamlib.organisations` warns about).
    """
    word = _WORDS.get(text.lower()) if text.lower() in _WORDS else ...
    if word is not ...:
        return word
    match = _JSON_NUMBER.fullmatch(text)
    if match:
        return float(text) if match.group("fraction") or match.group("exponent") else int(text)
    return text


def _python_kind(text: str) -> str | None:
    """The kind of Python literal ``text`` is, when it is one that JSON/YAML data cannot be."""
    import ast

    try:
        value = ast.literal_eval(text)  # only recognises literals; nothing is run
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
    if isinstance(value, tuple) and not text.startswith("("):
        return None  # "1,5" or "2018,2020": a Swedish decimal or a comma-separated list, read as text
    return _PYTHON_KINDS.get(type(value))


def parse_parameter_value(text: str, name: str = "parametern") -> object:
    """Read one value typed on the command line as data: a scalar or a list of scalars.

    Parameters
    ----------
    text
        What followed ``namn=``: ``2021``, ``U23401,N20402``, ``""``,
        ``false``, ``["U23401", "N20402"]`` or ``[U23401, N20402]``.
    name
        The parameter's name, for messages.

    Returns
    -------
    str, int, float, bool, None or list of those
        Numbers in JSON form become numbers; ``true``/``false`` (also
        ``True``/``False``) booleans; ``null``/``None`` nothing; a quoted text
        the text; a list in JSON or YAML flow form a list. Everything else is
        the text as typed (``0180`` stays ``"0180"``).

    Raises
    ------
    ParameterError
        For a mapping, a list holding lists or mappings, or a Python literal
        (tuple, bytes, set, dict, complex) that papermill would otherwise
        write into the notebook's code.
    """
    stripped = text.strip()
    kind = _python_kind(stripped)
    if kind is not None and not stripped.startswith("["):
        raise ParameterError(f"Parametern {name}: {stripped!r} är Python-kod ({kind}) och skickas inte till "
                             f"anteckningsboken. {_EXAMPLES}")
    if stripped.startswith(("{", "[", '"', "'")):
        value = _structured(stripped, name)
    else:
        value = _scalar(stripped)
    if isinstance(value, list):
        if not all(isinstance(item, _SCALARS) for item in value):
            raise ParameterError(f"Parametern {name}: listan {stripped!r} får bara innehålla enkla värden "
                                 f"(text, tal, true/false), inte listor eller ordböcker. {_EXAMPLES}")
    elif not isinstance(value, _SCALARS):
        raise ParameterError(f"Parametern {name}: {stripped!r} är varken ett enkelt värde eller en lista. {_EXAMPLES}")
    return value


def _structured(text: str, name: str) -> object:
    """A quoted text or a list, in JSON or YAML flow form (unquoted items read like :func:`_scalar`)."""
    import yaml

    if text.startswith("{"):
        raise ParameterError(f"Parametern {name}: {text!r} är en ordbok; bara enkla värden och listor tas emot. "
                             f"{_EXAMPLES}")
    try:
        return json.loads(text)
    except ValueError:
        pass
    try:  # YAML flow form, every scalar kept as text, then read as a scalar like a plain value
        value = yaml.load(text, Loader=yaml.BaseLoader)  # noqa: S506 - BaseLoader builds only str, list, dict
    except yaml.YAMLError as error:
        raise ParameterError(f"Parametern {name}: {text!r} kan inte läsas ({str(error).splitlines()[0]}). "
                             f"{_EXAMPLES}") from error
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return [_scalar(item) if isinstance(item, str) else item for item in value]
    return value


def parse_parameters(items: list[str] | None) -> dict[str, object]:
    """Read ``namn=värde`` items (``jam batch -p``) into a dictionary of plain data.

    Raises
    ------
    ParameterError
        When an item has no ``=``, the name is not a Python name, or the value
        is not data (see :func:`parse_parameter_value`).
    """
    parameters: dict[str, object] = {}
    for item in items or []:
        if "=" not in item:
            raise ParameterError(f"Parametern {item!r} ska skrivas namn=värde, t.ex. till_och_med=2021.")
        name, _, text = item.partition("=")
        name = name.strip()
        if not name.isidentifier():
            raise ParameterError(f"Parameternamnet {name!r} är inget namn som en anteckningsbok kan ha "
                                 "(bokstäver, siffror och _).")
        parameters[name] = parse_parameter_value(text, name)
    return parameters


def check_parameter_values(parameters: dict[str, object]) -> None:
    """Refuse values that are not plain data (what papermill writes safely into a notebook).

    Raises
    ------
    ParameterError
        Naming the parameter whose value is not a text, number, boolean,
        ``None`` or list of those.
    """
    for name, value in parameters.items():
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(item, _SCALARS) for item in items):
            raise ParameterError(f"Parametern {name} har värdet {value!r} av typen {type(value).__name__}; bara text, "
                                 "tal, sant/falskt och listor av sådana skickas till en anteckningsbok.")
