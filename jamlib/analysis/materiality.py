"""When is a gap between women and men large enough to be called a disadvantage?

Published values are rounded and rest on few people, so a gap of one unit is
often noise: survey shares are printed in whole percent, and a printed 1-point
gap can be a true gap of anything from 0 to 2 points. A gap smaller than the
indicator's *materiality threshold* is therefore "ingen påtaglig skillnad"
(no material difference) rather than a disadvantage, in the tables, the
"år i rad" counts, the trend words and the comparisons with a reference.

Thresholds, by unit (:data:`UNIT_THRESHOLDS`), chosen so that a difference at
the threshold is both larger than the rounding of the published values and
large enough to matter to the people concerned:

==========================  ===========  =================================================
unit                        threshold    why
==========================  ===========  =================================================
procent (shares)            2 points     shares printed in whole percent: a 1-point gap
                                         can be rounding alone
index (survey means 0–100)  2 units      the same scale and rounding as the shares
dagar (waiting times)       3 days       means in whole days; a few days matter
per 100 000 invånare        200          about 2 more persons per 1 000 a year; rates for
                                         the oldest run at 4 000–8 000
==========================  ===========  =================================================

An indicator can set its own threshold (``KPI_CURATED[kpi]["materiality"]``)
and a caller can override any indicator (``materiality={"U23401": 5}``). For
units without a threshold only float noise is ignored (:data:`TIE_TOLERANCE`).

Where numerator and denominator are known for both sexes, the threshold is not
used: Newcombe's 95 % interval for the difference of the shares decides
(:func:`jamlib.analysis.proportions.newcombe_interval`), a difference being
material when the interval excludes zero.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from jamlib.kpis import KPI_CURATED

__all__ = ["UNIT_THRESHOLDS", "TIE_TOLERANCE", "materiality_threshold", "is_material", "material_mask",
           "difference_unit", "format_threshold"]

#: Default materiality threshold per unit (see the module docstring for the reasons).
UNIT_THRESHOLDS: dict[str, float] = {
    "procent": 2.0,
    "procentenheter": 2.0,
    "index": 2.0,
    "dagar": 3.0,
    "per 100 000 invånare": 200.0,
}

#: Relative tolerance below which two values are equal (float noise: 95.0 and 95.0000001 are tied).
TIE_TOLERANCE = 1e-6

#: How the difference between two values of a unit is named ("procent" differ by "procentenheter").
_DIFFERENCE_UNITS = {"procent": "procentenheter", "index": "indexenheter"}


def difference_unit(unit: object) -> str:
    """The unit of a difference of two values: ``"procent"`` -> ``"procentenheter"``, none -> ``""``."""
    if not isinstance(unit, str) or not unit:
        return ""
    return _DIFFERENCE_UNITS.get(unit, unit)


def format_threshold(threshold: float) -> str:
    """A threshold for a sentence: ``2.0`` -> ``"2"``, ``0.5`` -> ``"0,5"``, ``200.0`` -> ``"200"``."""
    from jamlib.formatting import format_decimal

    return format_decimal(threshold, 0 if float(threshold) == int(threshold) else 1)


def materiality_threshold(indicator_id: str, unit: object = None,
                          overrides: Mapping[str, float] | None = None) -> float:
    """The materiality threshold of an indicator, in its own unit.

    Parameters
    ----------
    indicator_id
        The indicator (Kolada KPI id or own id).
    unit
        Its unit (``"procent"``, ``"dagar"``, ...), used when nothing more specific is set.
    overrides
        Thresholds chosen by the caller, per indicator id; they win.

    Returns
    -------
    float
        The threshold; 0 when none is known (then only float noise is ignored).
    """
    if overrides and indicator_id in overrides:
        return float(overrides[indicator_id])
    curated = KPI_CURATED.get(indicator_id, {}).get("materiality")
    if curated is not None:
        return float(curated)
    if isinstance(unit, str):
        return UNIT_THRESHOLDS.get(unit, 0.0)
    return 0.0


def is_material(difference: float, threshold: float, scale: float = 1.0) -> bool:
    """Whether a difference is material: at least ``threshold`` and more than float noise.

    Parameters
    ----------
    difference
        The difference (its sign does not matter).
    threshold
        The materiality threshold (0: any difference beyond float noise).
    scale
        Size of the values compared, for the float tolerance (``max(|a|, |b|, 1)``).

    Returns
    -------
    bool
        ``False`` for missing differences.
    """
    if difference is None or (isinstance(difference, float) and math.isnan(difference)):
        return False
    size = abs(float(difference))
    return size > TIE_TOLERANCE * max(1.0, abs(scale)) and size >= threshold - TIE_TOLERANCE * max(1.0, abs(threshold))


def material_mask(differences: np.ndarray, thresholds: np.ndarray | float, scales: np.ndarray | float = 1.0) -> np.ndarray:
    """:func:`is_material` for whole arrays (missing differences are not material)."""
    size = np.abs(np.asarray(differences, dtype=float))
    threshold = np.broadcast_to(np.asarray(thresholds, dtype=float), size.shape)
    scale = np.broadcast_to(np.abs(np.asarray(scales, dtype=float)), size.shape)
    with np.errstate(invalid="ignore"):
        return ((size > TIE_TOLERANCE * np.fmax(1.0, scale))
                & (size >= threshold - TIE_TOLERANCE * np.fmax(1.0, np.abs(threshold))))
