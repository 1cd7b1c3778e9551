"""The results chain of one organisation: what was done and what it led to.

SKR's results chain (resultatkedjan) orders an organisation's work in five
levels, from activity to societal effect. The overview counts entries per
level, lists them in order with the gender-equality policy goals and the
checklist moments they relate to, and says in Swedish how far up the chain the
organisation has documented results — without judging the entries' content.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from jamlib.errors import JamlibError
from jamlib.organisations import municipality_name
from jamlib.schemas import GOALS, LEVELS, MOMENTS

__all__ = ["ResultsChainOverview", "results_chain_overview"]


@dataclass(frozen=True)
class ResultsChainOverview:
    """What the results-chain report shows.

    Attributes
    ----------
    org_code, org_name
        The organisation.
    levels
        ``Steg`` and ``Antal`` for all five levels (zero where nothing is recorded).
    entries
        The entries in level and date order, with goals and moments as text.
    moments
        Checklist moments the entries refer to, with how many entries each.
    sentences
        Swedish summary.
    """

    org_code: str
    org_name: str
    levels: pd.DataFrame
    entries: pd.DataFrame
    moments: pd.DataFrame
    sentences: list[str]


def _list(values: object) -> list[int]:
    if values is None or (isinstance(values, float) and pd.isna(values)):
        return []
    return [int(v) for v in values]


def results_chain_overview(chain: pd.DataFrame, org_code: str) -> ResultsChainOverview:
    """Summarise one organisation's results chain.

    Parameters
    ----------
    chain
        Validated results-chain rows.
    org_code
        The organisation's code.

    Returns
    -------
    ResultsChainOverview

    Raises
    ------
    JamlibError
        When the organisation has no entries (the message lists those that have).
    """
    rows = chain[chain["org_code"] == org_code]
    if rows.empty:
        present = ", ".join(f"{n} ({c})" for c, n in sorted(set(zip(chain["org_code"].fillna(""), chain["org_name"]))))
        raise JamlibError(f"Resultatkedjan har inga poster för kod {org_code}. Organisationer i filen: {present}.")
    name = rows["org_name"].iloc[0] or municipality_name(org_code) or org_code
    order = {level: i for i, level in enumerate(LEVELS)}
    rows = rows.assign(_order=rows["level"].map(order)).sort_values(["_order", "date", "title"])
    counts = rows["level"].value_counts()
    levels = pd.DataFrame({"Steg": [level for level in LEVELS], "Antal": [int(counts.get(level, 0)) for level in LEVELS]})
    entries = pd.DataFrame({
        "Steg": rows["level"].to_numpy(),
        "Datum": rows["date"].astype(str).to_numpy(),
        "Rubrik": rows["title"].to_numpy(),
        "Beskrivning": rows["description"].fillna("").to_numpy(),
        "Jämställdhetsmål": ["; ".join(f"{g}. {GOALS[g]}" for g in _list(v)) for v in rows["goals"]],
        "Checklistmoment": [", ".join(str(m) for m in _list(v)) for v in rows["moments"]],
    })
    moment_counts: dict[int, int] = {}
    for value in rows["moments"]:
        for moment in _list(value):
            moment_counts[moment] = moment_counts.get(moment, 0) + 1
    moments = pd.DataFrame({"Moment": [f"{m}. {MOMENTS[m]}" for m in sorted(moment_counts)],
                            "Antal poster": [moment_counts[m] for m in sorted(moment_counts)]})
    highest = max((order[level] for level in rows["level"]), default=-1)
    sentences = [f"{name} har {len(rows)} poster i resultatkedjan. Den högsta nivån med dokumenterade "
                 f"resultat är \"{LEVELS[highest]}\" (steg {highest + 1} av {len(LEVELS)})."]
    missing = [level for level in LEVELS[:highest] if counts.get(level, 0) == 0]
    if missing:
        sentences.append("Inga poster finns för: " + ", ".join(missing) + ".")
    if highest < LEVELS.index("nytt/ändrat utfall"):
        sentences.append("Inget förändrat utfall för kvinnor och män är dokumenterat ännu.")
    return ResultsChainOverview(org_code, name, levels, entries, moments, sentences)
