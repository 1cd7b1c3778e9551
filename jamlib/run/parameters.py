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
"""

from __future__ import annotations

from pathlib import Path

from jamlib.errors import ParameterError

__all__ = ["check_years", "check_roles", "notebook_parameters", "check_parameter_names"]


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
