"""The 5R method: Representation, Resurser, Resultat, Realia, Realisera, for one activity.

The Eskilstuna report's last appendix ("Bilaga – kultur- och fritidsnämndens
5R") is the template: the culture and leisure committee used it to analyse new
investments from a gender-equality perspective. The first three Rs are
numeric and are computed from the user's data (representation by sex,
resources per woman and per man, results by sex); the last two are judgement
and are written by people. :func:`five_r_record` puts both together in one
structured record that is shown in the report and can be saved beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from jamlib.errors import ParameterError

__all__ = ["FiveR", "FIVE_R", "five_r_record", "five_r_table"]


@dataclass(frozen=True)
class FiveR:
    """One R: its key, name, what it asks and whether jamlib computes it."""

    key: str
    name: str
    asks: str
    questions: tuple[str, ...]
    numeric: bool


#: The five Rs with the questions of the Eskilstuna report's appendix (kultur- och fritidsnämndens 5R).
FIVE_R: tuple[FiveR, ...] = (
    FiveR("R1", "Representation", "Hur ser könsfördelningen ut?",
          ("Hur ser könsfördelningen ut i nämnden?", "… i verksamheten (hela förvaltningen)?",
           "… bland brukarna (kommunens invånare)?", "… bland dem som tar del av insatsen eller investeringen?"), True),
    FiveR("R2", "Resurser", "Hur fördelas gemensamma resurser mellan könen, i tid, rum och pengar?",
          ("Tid: hur många tillfällen eller timmar får respektive könsgrupp?",
           "Rum: hur stor är lokalen och hur fördelas den mellan grupper?",
           "Pengar: hur stor är insatsen eller investeringen?"), True),
    FiveR("R3", "Resultat", "Vad ser vi? Vem får vad och på lika villkor?",
          ("Hur skiljer sig resultaten för kvinnor och män, flickor och pojkar?",
           "Vilken insats tros få störst effekt på jämställdheten?",
           "Vem för vems talan och får utrymme i planeringen?"), True),
    FiveR("R4", "Realia", "Hur har det blivit så här? Vill vi ha det här resultatet?",
          ("Vilka strukturer påverkar behovet (nyttjandegrad, slitage, antal besökare eller utövare)?",
           "Varför behövs insatsen och vilka konsekvenser är önskvärda?",
           "Har tidigare års insatser ökat jämställdheten totalt sett?"), False),
    FiveR("R5", "Realisera", "Vilka åtgärder och mål ska gälla?",
          ("Vilka konkreta förslag till åtgärder och förbättringar finns?", "Vilka mål ska gälla, och hur följs de upp?"),
          False),
)


def five_r_record(activity: str, organisation: str, numbers: dict[str, list[str]], texts: dict[str, str],
                  sources: dict[str, str] | None = None, when: date | None = None) -> dict:
    """The structured 5R analysis of one activity: computed findings and written judgements together.

    Parameters
    ----------
    activity
        What is analysed, e.g. ``"Ny idrottshall"``.
    organisation
        Who analyses it.
    numbers
        ``R1``–``R3`` -> the computed sentences (e.g. from
        :func:`jamlib.analysis.representation.representation_sentences`).
    texts
        ``R1``–``R5`` -> the people's own analysis (free text; R4 and R5 are only text).
    sources
        ``R1``–``R3`` -> where the numbers come from (file names).
    when
        The date of the analysis (default today).

    Returns
    -------
    dict
        JSON-ready: ``aktivitet``, ``organisation``, ``datum`` and ``delar``, one per R with
        ``r``, ``namn``, ``fråga``, ``frågor``, ``beräknat`` (sentences), ``källa`` and ``analys``.

    Raises
    ------
    ParameterError
        When the activity is not named, or a key is not R1–R5.
    """
    if not str(activity or "").strip():
        raise ParameterError("Ange vilken aktivitet eller insats 5R-analysen gäller (parametern aktivitet).")
    keys = {r.key for r in FIVE_R}
    unknown = sorted((set(numbers) | set(texts) | set(sources or {})) - keys)
    if unknown:
        raise ParameterError(f"Okända delar i 5R-analysen: {', '.join(unknown)}. Delarna heter R1–R5.")
    parts = []
    for r in FIVE_R:
        parts.append({"r": r.key, "namn": r.name, "fråga": r.asks, "frågor": list(r.questions),
                      "beräknat": [str(s) for s in numbers.get(r.key, [])] if r.numeric else [],
                      "källa": (sources or {}).get(r.key, ""), "analys": str(texts.get(r.key, "") or "").strip()})
    return {"aktivitet": str(activity).strip(), "organisation": str(organisation or "").strip(),
            "datum": (when or date.today()).isoformat(), "delar": parts}


def five_r_table(record: dict) -> pd.DataFrame:
    """The record as a display table: one row per R, what was computed and what was written.

    Parts with nothing computed or written say so, so that an empty field is visible, not hidden.
    """
    rows = []
    for part in record["delar"]:
        numeric = next(r for r in FIVE_R if r.key == part["r"]).numeric
        computed = " ".join(part["beräknat"]) if part["beräknat"] else ("inga data angivna" if numeric else "–")
        rows.append({"Del": f"{part['r']} {part['namn']}", "Fråga": part["fråga"], "Beräknat ur data": computed,
                     "Analys": part["analys"] or "ej ifyllt"})
    return pd.DataFrame(rows)
