"""Checking published checklist tables (SKR's Tabell 1 and 2) against themselves.

A published table prints group means per moment and occasion, rounded to one
decimal, a ``Totalt`` row (the sum of the moment means) and a ``+/-`` column
(the change from the first to the last occasion). Because every printed value
stands for an interval (see :func:`jamlib.formatting.printed_interval`), the
rounded parts need not add up to the rounded total. This module finds the
totals and changes that *cannot* be explained by rounding, and points to the
cell or cells whose correction would explain the most of those findings.

The check works on the canonical published table (see
:data:`jamlib.schemas.PUBLISHED`): one row per moment (``moment`` 1-10) and a
total row (``moment`` missing), columns ``uppstart``, ``träff 1``, ``träff 2``,
``träff 3`` and ``change``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from jamlib.formatting import format_decimal, printed_interval
from jamlib.schemas import OCCASION_DISPLAY, OCCASIONS

__all__ = ["check_published_table", "suggest_corrections"]

_EPS = 1e-9
_CHANGE = "change"
_TOTAL = "Totalt"


@dataclass(frozen=True)
class _Constraint:
    """Sum of coef * cell == 0 for the true values; ``checked`` is the printed cell it tests."""

    checked: tuple[str, str]
    terms: tuple[tuple[int, tuple[str, str]], ...]
    description: str


def _cells(table: pd.DataFrame, occasions: list[str]) -> dict[tuple[str, str], float]:
    cells: dict[tuple[str, str], float] = {}
    for _, row in table.iterrows():
        label = _TOTAL if pd.isna(row["moment"]) else str(int(row["moment"]))
        for column in [*occasions, _CHANGE]:
            value = row.get(column)
            if not pd.isna(value):
                cells[(label, column)] = float(value)
    return cells


def _domain(cell: tuple[str, str], moments: int) -> tuple[float, float]:
    label, column = cell
    if label == _TOTAL:
        return (-3.0 * moments, 3.0 * moments) if column == _CHANGE else (1.0 * moments, 4.0 * moments)
    return (-3.0, 3.0) if column == _CHANGE else (1.0, 4.0)


def _constraints(cells: dict[tuple[str, str], float], occasions: list[str]) -> list[_Constraint]:
    moments = sorted({label for label, _ in cells if label != _TOTAL}, key=int)
    first, last = occasions[0], occasions[-1]
    found: list[_Constraint] = []
    for occasion in occasions:
        total = (_TOTAL, occasion)
        parts = [(m, occasion) for m in moments]
        if total in cells and all(p in cells for p in parts):
            found.append(_Constraint(total, ((1, total), *((-1, p) for p in parts)),
                                     f"Totalt för {OCCASION_DISPLAY.get(occasion, occasion)} ska vara summan av momentens medelvärden"))
    for m in moments:
        change = (m, _CHANGE)
        if change in cells and (m, first) in cells and (m, last) in cells:
            found.append(_Constraint(change, ((1, change), (-1, (m, last)), (1, (m, first))),
                                     f"+/- för moment {m} ska vara {OCCASION_DISPLAY.get(last, last)} minus {OCCASION_DISPLAY.get(first, first)}"))
    total_change = (_TOTAL, _CHANGE)
    if total_change in cells and (_TOTAL, first) in cells and (_TOTAL, last) in cells:
        found.append(_Constraint(total_change, ((1, total_change), (-1, (_TOTAL, last)), (1, (_TOTAL, first))),
                                 "+/- i raden Totalt ska vara skillnaden mellan totalerna"))
    return found


def _range(terms, intervals) -> tuple[float, float]:
    lo = hi = 0.0
    for coef, cell in terms:
        a, b = intervals[cell]
        lo += coef * (a if coef > 0 else b)
        hi += coef * (b if coef > 0 else a)
    return lo, hi


def _feasible(constraint: _Constraint, intervals) -> bool:
    lo, hi = _range(constraint.terms, intervals)
    return lo <= _EPS and hi >= -_EPS


def _implied(constraint: _Constraint, cell, intervals) -> tuple[float, float]:
    """Values of ``cell`` that make ``constraint`` feasible given the other cells."""
    coef = next(c for c, k in constraint.terms if k == cell)
    others = tuple((c, k) for c, k in constraint.terms if k != cell)
    lo, hi = _range(others, intervals)
    # coef * x + rest = 0  ->  x = -rest / coef
    bounds = sorted((-lo / coef, -hi / coef))
    return bounds[0], bounds[1]


def _occasion_columns(table: pd.DataFrame) -> list[str]:
    return [o for o in OCCASIONS if o in table.columns and table[o].notna().any()]


def check_published_table(table: pd.DataFrame, decimals: int = 1) -> pd.DataFrame:
    """Find totals and changes that one-decimal rounding cannot explain.

    Parameters
    ----------
    table
        One published table in canonical form (one row per moment, a total row
        with ``moment`` missing; columns for the occasions and ``change``).
    decimals
        Decimals of the printed values.

    Returns
    -------
    pandas.DataFrame
        One row per finding: ``row`` (moment number or ``"Totalt"``), ``column``
        (occasion or ``"+/-"``), ``printed``, ``possible_low``, ``possible_high``
        (the range the cell's parts allow) and ``message`` (Swedish). Empty when
        the table is consistent.
    """
    occasions = _occasion_columns(table)
    cells = _cells(table, occasions)
    intervals = {cell: printed_interval(value, decimals) for cell, value in cells.items()}
    rows = []
    for constraint in _constraints(cells, occasions):
        if _feasible(constraint, intervals):
            continue
        others = tuple((c, k) for c, k in constraint.terms if k != constraint.checked)
        lo, hi = _range(others, intervals)
        lo, hi = -hi, -lo  # the checked cell has coefficient +1
        label, column = constraint.checked
        printed = cells[constraint.checked]
        column_text = "+/-" if column == _CHANGE else OCCASION_DISPLAY.get(column, column)
        where = "raden Totalt" if label == _TOTAL else f"moment {label}"
        rows.append({
            "row": label,
            "column": column_text,
            "printed": printed,
            "possible_low": lo,
            "possible_high": hi,
            "message": (
                f"{where}, {column_text}: tryckt {format_decimal(printed, decimals)}, men de tryckta delarna "
                f"tillåter bara {format_decimal(lo, 2)}–{format_decimal(hi, 2)} även med avrundning till en decimal. "
                f"({constraint.description}.)"
            ),
        })
    return pd.DataFrame(rows, columns=["row", "column", "printed", "possible_low", "possible_high", "message"])


def suggest_corrections(table: pd.DataFrame, decimals: int = 1) -> pd.DataFrame:
    """Point to the printed cells whose correction would explain the most findings.

    Greedily picks the cell that, if it had been printed differently, would make
    the most inconsistent totals and changes consistent at once (without making
    any other check fail), then repeats for what remains.

    Parameters
    ----------
    table
        One published table in canonical form.
    decimals
        Decimals of the printed values.

    Returns
    -------
    pandas.DataFrame
        ``row``, ``column``, ``printed``, ``explains`` (number of findings),
        ``fits_low``/``fits_high`` (the printed values that would fit) and
        ``message`` (Swedish), best first. Empty when the table is consistent.
    """
    occasions = _occasion_columns(table)
    cells = _cells(table, occasions)
    n_moments = len({label for label, _ in cells if label != _TOTAL}) or 10
    intervals = {cell: printed_interval(value, decimals) for cell, value in cells.items()}
    constraints = _constraints(cells, occasions)
    failing = [c for c in constraints if not _feasible(c, intervals)]
    picks = []
    step = 10 ** (-decimals)
    while failing:
        best = None
        for cell in cells:
            involved = [c for c in constraints if any(k == cell for _, k in c.terms)]
            explained = [c for c in failing if c in involved]
            if not explained:
                continue
            lo, hi = _domain(cell, n_moments)
            for c in involved:
                a, b = _implied(c, cell, intervals)
                lo, hi = max(lo, a), min(hi, b)
            if lo > hi + _EPS:
                continue
            # With one finding per cell there is no evidence for any part of the sum over the
            # printed total or change itself, so prefer the checked cell then.
            checked_self = any(c.checked == cell for c in explained)
            key = (len(explained), checked_self, -abs(((lo + hi) / 2) - cells[cell]))
            if best is None or key > best[0]:
                best = (key, cell, explained, lo, hi)
        if best is None:
            break
        _, cell, explained, lo, hi = best
        # printed values v whose interval [v-h, v+h] meets [lo, hi]
        half = step / 2
        fit_low = math.ceil(round((lo - half) / step, 9)) * step
        fit_high = math.floor(round((hi + half) / step, 9)) * step
        label, column = cell
        column_text = "+/-" if column == _CHANGE else OCCASION_DISPLAY.get(column, column)
        where = "raden Totalt" if label == _TOTAL else f"moment {label}"
        fits = format_decimal(fit_low, decimals) if abs(fit_high - fit_low) < step / 2 else (
            f"{format_decimal(fit_low, decimals)}–{format_decimal(fit_high, decimals)}")
        alternatives = ""
        if len(explained) == 1:
            others = sum(1 for _, k in explained[0].terms if k != cell)
            alternatives = (f" Avvikelsen kan lika gärna bero på något av de {others} andra tryckta värdena "
                            "i samma summa; tabellen visar inte vilket.")
        picks.append({
            "row": label,
            "column": column_text,
            "printed": cells[cell],
            "explains": len(explained),
            "fits_low": fit_low,
            "fits_high": fit_high,
            "message": (
                f"{where}, {column_text}: tryckt {format_decimal(cells[cell], decimals)}. Om värdet i stället var "
                f"{fits} skulle {len(explained)} av avvikelserna förklaras "
                f"({'; '.join(c.description for c in explained)}).{alternatives}"
            ),
        })
        intervals[cell] = (lo, hi)
        failing = [c for c in constraints if not _feasible(c, intervals)]
    return pd.DataFrame(picks, columns=["row", "column", "printed", "explains", "fits_low", "fits_high", "message"])
