"""Swedish formatting and parsing in one place: numbers, periods, lists and sentences.

Rounding the way Swedish reports print numbers, and reading printed numbers back.

SKR's tables round half away from zero to one decimal (2,25 is printed 2,3) and
use a decimal comma. A printed value therefore stands for an interval: ``2,3``
means a true value in [2,25; 2,35].
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

__all__ = ["round_half_up", "format_decimal", "printed_interval", "sentence_start", "split_list", "period_start",
           "parse_years", "normalise_dashes", "swedish_sort_key"]


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


def sentence_start(text: str) -> str:
    """``text`` with its first letter capitalised and the rest untouched (unlike ``str.capitalize``)."""
    return text[:1].upper() + text[1:]


def normalise_dashes(text: str) -> str:
    """Replace the dashes people type (``-``, ``‐``, ``‑``, ``—``) between digits by the en dash SKR prints.

    ``"2020-2022"`` and ``"2020 — 2022"`` become ``"2020–2022"``, so a round
    typed with a hyphen finds the round stored with an en dash.
    """
    return re.sub(r"(\d)\s*[-\u2010\u2011\u2012\u2013\u2014\u2212]\s*(\d)", "\\1–\\2", str(text))


def split_list(value: object) -> list[str]:
    """The items of a comma-separated text, a list of texts, or one value, stripped and without blanks.

    ``"U23401, N20402"``, ``["U23401,N20402"]`` and ``("U23401", "N20402")``
    all give ``["U23401", "N20402"]``; ``None`` and ``""`` give ``[]``.
    """
    if value is None:
        return []
    items = value if isinstance(value, (list, tuple, set)) else [value]
    return [part.strip() for item in items for part in str(item).split(",") if part.strip()]


_PERIOD_START = re.compile(r"^\s*(\d{4})")


def period_start(period: object) -> int | None:
    """The first year of a period (``"2022"`` -> 2022, ``"2019/20"`` -> 2019), or ``None``."""
    match = _PERIOD_START.match(str(period))
    return int(match.group(1)) if match else None


def parse_years(text: object) -> list[int] | None:
    """Turn ``"2015-2022"``, ``"2018,2020"`` or a list of years into a sorted list of years.

    Raises
    ------
    ParameterError
        When a year is not a four-digit number or a range runs backwards.
    """
    from jamlib.errors import ParameterError

    if text is None:
        return None
    if not isinstance(text, str) and not isinstance(text, (list, tuple, set)):
        text = str(text)
    if not isinstance(text, str) and all(isinstance(y, int) for y in text):
        return sorted(set(int(y) for y in text))
    years: list[int] = []
    for part in split_list(text):
        bounds = [b.strip() for b in normalise_dashes(part).split("–")]
        if not all(b.isdigit() and len(b) == 4 for b in bounds) or len(bounds) > 2:
            raise ParameterError(f"Året \"{part}\" förstås inte. Skriv t.ex. 2015-2022 eller 2018,2020.")
        start, end = int(bounds[0]), int(bounds[-1])
        if end < start:
            raise ParameterError(f"Årsintervallet \"{part}\" går baklänges.")
        years.extend(range(start, end + 1))
    return sorted(set(years))


_SWEDISH_ALPHABET = " -0123456789abcdefghijklmnopqrstuvwxyzåäö"
_SWEDISH_FOLD = str.maketrans({"é": "e", "è": "e", "ê": "e", "à": "a", "á": "a", "ü": "y", "æ": "ä", "ø": "ö",
                               "ç": "c", "ñ": "n"})


def swedish_sort_key(text: object) -> tuple:
    """A sort key in Swedish alphabetical order: a–z, then å, ä, ö; case and accents (é as e) second.

    >>> sorted(["Ängelholm", "Åstorp", "Örebro", "Arboga"], key=swedish_sort_key)
    ['Arboga', 'Åstorp', 'Ängelholm', 'Örebro']
    """
    raw = "" if text is None else str(text)
    folded = raw.lower().translate(_SWEDISH_FOLD)
    primary = tuple(_SWEDISH_ALPHABET.index(c) if c in _SWEDISH_ALPHABET else 100 + ord(c) for c in folded)
    return primary, raw
