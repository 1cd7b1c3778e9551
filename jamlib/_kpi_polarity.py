"""The curated polarity table of gender-split Kolada KPIs (private).

Kolada's metadata does not say whether a higher value is better. The table
``jamlib/_data/kpi_polarity.csv`` does, for several hundred of the gender-split
KPIs that municipalities and regions follow most, each decided from the KPI's
Kolada title *and* description. One row per KPI, columns:

``kpi``
    Kolada id (``"U23401"``).
``title``
    Kolada's title, verbatim (metadata of 2024-08-30).
``polarity``
    ``"högre är bättre"``, ``"lägre är bättre"`` or ``"neutral"``
    (:class:`jamlib.vocabulary.Polarity`). Neutral where a higher value is not
    plainly better or worse for the people concerned: volumes, coverage rates
    that mirror both need and provision, middle answer categories
    ("ibland", "några"), preferences and background shares.
``reason``
    One Swedish line: why higher or lower is better, or why the KPI is neutral.
``unit``
    ``"procent"``, ``"dagar"``, ``"index"``, ``"kronor"``, ``"per 100 000 invånare"`` ...
``area``
    A short Swedish area name (:class:`KpiArea`).
``moving_average``
    ``True`` when Kolada publishes the value as a multi-year average (title or
    description says "3-årsm", "år T-3 till år T", "4-årsmedelvärden", ...).
    An annual mean of monthly values ("årsmedelvärde") is not a moving average.
``materiality``, ``materiality_kind``, ``materiality_basis``
    The smallest K − M difference that counts as a real difference. With
    ``materiality_kind`` ``"absolut"`` it is in the KPI's unit (2 percentage
    points for survey shares in whole percent, 1 for register shares, 3 days for
    waiting times, ...); with ``"relativ"`` it is a fraction of the men's value,
    to compare with ``relative_gap`` = (K − M) / M (0.05 for incomes, 0.1 for
    rates and counts). ``materiality_basis`` names the rule in Swedish; the rule
    is the same for every KPI of the same kind of unit.
"""

from __future__ import annotations

import io
from enum import StrEnum
from functools import lru_cache
from importlib import resources

import pandas as pd

from jamlib.errors import DataFileError
from jamlib.vocabulary import Polarity

__all__ = ["KpiArea", "MaterialityKind", "COLUMNS", "curated_kpis", "polarity_of"]

_RESOURCE = "_data/kpi_polarity.csv"


class KpiArea(StrEnum):
    """Areas of the curated table; the value is the Swedish name stored in the ``area`` column."""

    ELDERLY_CARE = "äldreomsorg"
    DISABILITY = "funktionsnedsättning"
    SOCIAL_SERVICES = "individ- och familjeomsorg"
    COMPULSORY_SCHOOL = "grundskola"
    UPPER_SECONDARY_SCHOOL = "gymnasieskola"
    PRESCHOOL = "förskola"
    ADULT_EDUCATION = "vuxenutbildning"
    LABOUR_MARKET = "arbetsmarknad"
    INCOME = "inkomst och ekonomi"
    HEALTH = "hälsa"
    STAFF = "personal och sjukfrånvaro"
    POLITICS = "politisk representation"
    CULTURE_AND_LEISURE = "kultur och fritid"
    SAFETY_AND_INFLUENCE = "trygghet och inflytande"
    POPULATION = "befolkning"


class MaterialityKind(StrEnum):
    """Whether ``materiality`` is in the KPI's unit or a fraction of the men's value."""

    ABSOLUTE = "absolut"
    RELATIVE = "relativ"


#: Columns of the table, in file order.
COLUMNS: tuple[str, ...] = ("kpi", "title", "polarity", "reason", "unit", "area", "moving_average",
                            "materiality", "materiality_kind", "materiality_basis")

_POLARITIES = {Polarity.HIGHER_IS_BETTER.value, Polarity.LOWER_IS_BETTER.value, Polarity.NEUTRAL.value}
_YES_NO = {"ja": True, "nej": False}


def _problem(source: str, row: int, column: str, value: str, rule: str) -> DataFileError:
    return DataFileError(f"{source}, rad {row}, kolumn {column}: värdet {value!r} {rule}.", path=source)


def _parse(text: str, source: str) -> pd.DataFrame:
    """Read and check the table's CSV text.

    Parameters
    ----------
    text
        The CSV text (UTF-8 decoded, comma-separated, header row).
    source
        The file name used in error messages.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`; ``moving_average`` as bool and ``materiality`` as float.

    Raises
    ------
    DataFileError
        Missing columns, or a value outside the allowed set, naming file, row
        (as in a spreadsheet, header = row 1), column and value.
    """
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise DataFileError(f"{source}: kolumnerna {', '.join(missing)} saknas.", path=source)
    frame = frame[list(COLUMNS)].copy()
    areas = {a.value for a in KpiArea}
    kinds = {k.value for k in MaterialityKind}
    seen: set[str] = set()
    materiality: list[float] = []
    for position, record in enumerate(frame.itertuples(index=False)):
        row = position + 2
        for column in COLUMNS:
            if not str(getattr(record, column)).strip():
                raise _problem(source, row, column, "", "är tomt men måste fyllas i")
        if record.kpi in seen:
            raise _problem(source, row, "kpi", record.kpi, "finns redan på en tidigare rad")
        seen.add(record.kpi)
        if record.polarity not in _POLARITIES:
            raise _problem(source, row, "polarity", record.polarity,
                           "är inte en av 'högre är bättre', 'lägre är bättre', 'neutral'")
        if record.area not in areas:
            raise _problem(source, row, "area", record.area, "är inget känt område")
        if record.moving_average not in _YES_NO:
            raise _problem(source, row, "moving_average", record.moving_average, "ska vara 'ja' eller 'nej'")
        if record.materiality_kind not in kinds:
            raise _problem(source, row, "materiality_kind", record.materiality_kind,
                           "ska vara 'absolut' eller 'relativ'")
        try:
            value = float(record.materiality)
        except ValueError:
            value = float("nan")
        if not value > 0:
            raise _problem(source, row, "materiality", record.materiality, "ska vara ett tal större än noll")
        materiality.append(value)
    frame["moving_average"] = frame["moving_average"].map(_YES_NO).astype(bool)
    frame["materiality"] = materiality
    return frame.reset_index(drop=True)


@lru_cache(maxsize=1)
def _table() -> pd.DataFrame:
    text = resources.files("jamlib").joinpath(_RESOURCE).read_text(encoding="utf-8")
    return _parse(text, _RESOURCE)


@lru_cache(maxsize=1)
def _polarity_by_id() -> dict[str, Polarity]:
    table = _table()
    return {kpi: Polarity(polarity) for kpi, polarity in zip(table["kpi"], table["polarity"])}


def curated_kpis() -> pd.DataFrame:
    """Return the curated polarity table of gender-split Kolada KPIs.

    The file is read once per process; every call returns a new copy, so a
    caller may change the frame without affecting later calls.

    Returns
    -------
    pandas.DataFrame
        One row per KPI with the columns :data:`COLUMNS` (see the module
        docstring); ``moving_average`` is bool, ``materiality`` float.
    """
    return _table().copy()


def polarity_of(kpi: str) -> str | None:
    """Return the curated polarity of a Kolada KPI.

    Parameters
    ----------
    kpi
        A Kolada KPI id such as ``"U23401"`` (surrounding spaces and lower case are accepted).

    Returns
    -------
    str or None
        A :class:`jamlib.vocabulary.Polarity` member (``"högre är bättre"``,
        ``"lägre är bättre"`` or ``"neutral"``), or ``None`` when the KPI is not
        in the table and its polarity is therefore unknown.
    """
    return _polarity_by_id().get(str(kpi).strip().upper())
