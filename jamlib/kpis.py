"""What jamlib knows about indicators (KPIs) beyond Kolada's own metadata.

Kolada's metadata does not say whether a higher value is better. For the KPIs
jamlib knows, :data:`KPI_CURATED` gives the unit, the polarity and the Swedish
phrase for the worse-off sex; for others polarity is unknown until the user
sets it (the ``polaritet`` column of an own indicator file).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jamlib.errors import ParameterError
from jamlib.formatting import split_list
from jamlib.vocabulary import Polarity

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["KPI_CURATED", "KARLSTAD_INDICATORS", "parse_polarity", "with_polarity", "known_polarity",
           "polarity_reason"]

#: What users type for a polarity on the command line or in a notebook parameter.
_POLARITY_WORDS: dict[str, Polarity] = {
    "högre": Polarity.HIGHER_IS_BETTER, "högre är bättre": Polarity.HIGHER_IS_BETTER, "hogre": Polarity.HIGHER_IS_BETTER,
    "+": Polarity.HIGHER_IS_BETTER, "lägre": Polarity.LOWER_IS_BETTER, "lägre är bättre": Polarity.LOWER_IS_BETTER,
    "lagre": Polarity.LOWER_IS_BETTER, "-": Polarity.LOWER_IS_BETTER, "neutral": Polarity.NEUTRAL,
}

#: The five elderly-care indicators Karlstad followed (the SKR report), the default indicator set.
KARLSTAD_INDICATORS: tuple[str, ...] = ("U23401", "N20402", "U21455", "U21504", "U01421")

#: Unit, polarity and the Swedish phrase for "the worse-off sex" of the KPIs jamlib knows
#: (Karlstad's five elderly-care indicators). A sentence reads
#: "<kvinnor|män><who> har <worse>", where ``worse`` names the other sex as ``{better}``.
#: Optional: ``moving_average_years`` (each value averages this many years; Kolada's "3-årsm") and
#: ``materiality`` (the smallest gap called a disadvantage, in the KPI's unit; default by unit, see
#: :mod:`jamlib.analysis.materiality`).
KPI_CURATED: dict[str, dict[str, object]] = {
    "U23401": {"unit": "dagar", "polarity": "lägre är bättre",
               "who": "", "worse": "väntat längre än {better} på plats i särskilt boende"},
    "N20402": {"unit": "per 100 000 invånare", "polarity": "lägre är bättre",
               "who": " 80 år och äldre", "worse": "oftare än {better} skadats i fall", "moving_average_years": 3},
    "U21455": {"unit": "index", "polarity": "högre är bättre",
               "who": " i hemtjänsten", "worse": "gett lägre betyg än {better} för inflytande och tillräckligt med tid"},
    "U21504": {"unit": "procent", "polarity": "högre är bättre",
               "who": " i hemtjänsten", "worse": "mer sällan än {better} upplevt ett bra bemötande"},
    "U01421": {"unit": "procent", "polarity": "lägre är bättre",
               "who": " i hemtjänsten", "worse": "oftare än {better} besvärats av ensamhet"},
}


def parse_polarity(spec: object) -> dict[str, Polarity]:
    """Read polarities as users write them: ``"N00905=högre,N15419=lägre"`` or a dict.

    Raises
    ------
    ParameterError
        When an item is not ``KPI=högre|lägre|neutral``.
    """
    if isinstance(spec, dict):
        items = [f"{k}={v}" for k, v in spec.items()]
    else:
        items = split_list(spec)
    out: dict[str, Polarity] = {}
    for item in items:
        kpi, _, word = item.partition("=")
        polarity = _POLARITY_WORDS.get(word.strip().lower())
        if not kpi.strip() or polarity is None:
            raise ParameterError(f"Polariteten \"{item}\" förstås inte. Skriv t.ex. N00905=högre, U23401=lägre "
                                 "eller U01421=neutral.")
        out[kpi.strip()] = polarity
    return out


def known_polarity(kpi: str) -> Polarity:
    """The curated polarity of a Kolada KPI (jamlib's table of 684 gender-split KPIs), or :attr:`Polarity.UNKNOWN`."""
    from jamlib._kpi_polarity import polarity_of

    curated = KPI_CURATED.get(kpi, {}).get("polarity") or polarity_of(kpi)
    return Polarity(curated) if curated else Polarity.UNKNOWN


def polarity_reason(kpi: str) -> str:
    """Why jamlib's table gives a KPI its direction (one Swedish line), or ``""`` when it is not in the table."""
    from jamlib._kpi_polarity import curated_kpis

    table = curated_kpis()
    match = table.loc[table["kpi"] == kpi, "reason"]
    return str(match.iloc[0]) if len(match) else ""


def with_polarity(indicators: "pd.DataFrame", overrides: dict[str, Polarity] | None = None) -> "pd.DataFrame":
    """Indicator rows with the polarity to use: the user's override, else the data's own, else the curated one.

    Parameters
    ----------
    indicators
        Validated indicator rows (column ``polarity`` optional).
    overrides
        From :func:`parse_polarity`: what the user set on the command line or in a notebook.

    Returns
    -------
    pandas.DataFrame
        A copy with ``polarity`` filled; the input is not modified.
    """
    out = indicators.copy()
    current = out["polarity"].astype(object) if "polarity" in out.columns else None
    unknown = current.isna() | (current == Polarity.UNKNOWN) if current is not None else None
    curated = out["indicator_id"].map(lambda k: str(known_polarity(k)))
    polarity = curated if current is None else current.where(~unknown, curated)
    for kpi, value in (overrides or {}).items():
        polarity = polarity.where(out["indicator_id"] != kpi, str(value))
    out["polarity"] = polarity
    return out
