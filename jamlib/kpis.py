"""What jamlib knows about indicators (KPIs) beyond Kolada's own metadata.

Kolada's metadata does not say whether a higher value is better. For the KPIs
jamlib knows, :data:`KPI_CURATED` gives the unit, the polarity and the Swedish
phrase for the worse-off sex; for others polarity is unknown until the user
sets it (the ``polaritet`` column of an own indicator file).
"""

from __future__ import annotations

__all__ = ["KPI_CURATED", "KARLSTAD_INDICATORS"]

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
