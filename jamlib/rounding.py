"""Rounding the way Swedish reports print numbers, and reading printed numbers back.

SKR's tables round half away from zero to one decimal (2,25 is printed 2,3) and
use a decimal comma. A printed value therefore stands for an interval: ``2,3``
means a true value in [2,25; 2,35].
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

__all__ = ["round_half_up", "format_decimal", "printed_interval"]


def round_half_up(value: float | Fraction, decimals: int = 1) -> float:
    """Round half away from zero, as Excel and printed reports do.

    Parameters
    ----------
    value
        The number; a :class:`fractions.Fraction` is rounded exactly.
    decimals
        Number of decimals.

    Returns
    -------
    float
        The rounded value; NaN stays NaN.
    """
    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return math.nan
        # Means of small fractions carry float noise (2.541667 - 1.291667 = 1.2499999999999998);
        # snapping to 9 decimals first makes a true 1.25 round to 1.3 as printed.
        exact = Decimal(repr(round(float(value), 9)))
    quantum = Decimal(1).scaleb(-decimals)
    return float(exact.quantize(quantum, rounding=ROUND_HALF_UP))


def format_decimal(value: float | None, decimals: int = 1, *, sign: bool = False) -> str:
    """Format a number the Swedish way: decimal comma, thin space between thousands.

    Parameters
    ----------
    value
        The number (rounded half away from zero first). ``None``/NaN gives ``""``.
    decimals
        Number of decimals shown.
    sign
        Whether to show ``+`` before positive numbers.

    Returns
    -------
    str
        For example ``"28,5"``, ``"1\u202f234,0"`` or ``"\u22120,3"`` (a real minus sign).
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    rounded = round_half_up(value, decimals)
    if rounded == 0:
        rounded = 0.0
    text = f"{abs(rounded):,.{decimals}f}".replace(",", "\u202f").replace(".", ",")
    if rounded < 0:
        return "\u2212" + text
    return ("+" + text) if sign and rounded > 0 else text


def printed_interval(printed: float, decimals: int = 1) -> tuple[float, float]:
    """Return the closed interval of true values that print as ``printed``.

    Parameters
    ----------
    printed
        The value as printed (e.g. 2.3).
    decimals
        Decimals shown in print.

    Returns
    -------
    tuple of float
        ``(printed - h, printed + h)`` with ``h`` half a unit of the last decimal.
    """
    half = 0.5 * 10 ** (-decimals)
    return printed - half, printed + half
