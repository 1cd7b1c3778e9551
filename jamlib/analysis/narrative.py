"""Short Swedish sentences for steering groups, generated from the results.

The sentences never say more than the analysis supports: persistence is stated
as a description of published values ("de senaste 4 åren"), a trend or group
difference is called "statistiskt säkerställd" only when an exact test says so,
and "kan inte avgöras" is written when the data are too few for any test to
conclude. Where polarity is unknown no sex is called disadvantaged.
"""

from __future__ import annotations

import pandas as pd

from jamlib.kpis import KPI_CURATED
from jamlib.formatting import format_decimal, sentence_start

__all__ = ["persistence_sentence", "role_sentences", "indicator_sentences"]

_SEX_WORDS = {"K": "kvinnor", "M": "män"}


def persistence_sentence(row: pd.Series | dict, org_name: str | None = None) -> str:
    """One sentence on which sex has been disadvantaged, and for how long.

    Parameters
    ----------
    row
        A row of :func:`jamlib.analysis.gaps.gap_persistence`.
    org_name
        The organisation's name, to start the sentence ("I Karlstad har ...").

    Returns
    -------
    str
    """
    title = row.get("indicator_title") or row["indicator_id"]
    where = f"I {org_name} " if org_name else ""
    sex = row["disadvantaged"]
    latest = row["latest_period"]
    if sex == "ingen":
        return sentence_start(f"{where}hade kvinnor och män samma värde på ”{title}” {latest}.")
    if sex not in ("K", "M"):
        return sentence_start(f"{where}går det inte att säga vilket kön som missgynnas på ”{title}”: det är inte "
                        "angivet om ett högre eller lägre värde är bättre (ange polaritet).")
    worse, better = _SEX_WORDS[sex], _SEX_WORDS["M" if sex == "K" else "K"]
    curated = KPI_CURATED.get(row["indicator_id"], {})
    subject = worse + curated.get("who", "")
    predicate = curated.get("worse", "haft ett sämre värde än {better} på ”" + title + "”").format(better=better)
    n = int(row["persistence"])
    if n == 1:
        span = f"det senaste året med värden ({latest})"
    else:
        span = f"de senaste {n} åren med värden ({row['first_period']}–{latest}"
        span += f"; {row['missing_periods']} saknas)" if row.get("missing_periods") else ")"
    if where:
        return f"{where}har {subject} {predicate} {span}."
    return sentence_start(f"{subject} har {predicate} {span}.")


def role_sentences(comparison: pd.DataFrame) -> list[str]:
    """Sentences on mentors versus participants from :func:`jamlib.analysis.role_comparison.compare_roles`.

    Parameters
    ----------
    comparison
        The result of ``compare_roles``.

    Returns
    -------
    list of str
        First a description of the levels at the first and last occasion, then
        what the tests allow one to conclude.
    """
    levels = comparison[comparison["comparison"] == "nivå"]
    if not levels.empty and (levels["n_mentor"].max() == 0 or levels["n_participant"].max() == 0):
        return [levels.iloc[0]["text"]]  # a role without organisations: nothing to describe (issue 11)
    sentences = []
    if not levels.empty:
        first, last = levels.iloc[0], levels.iloc[-1]
        sentences.append(
            f"Vid {first['occasion']} låg mentorerna i genomsnitt på "
            f"{format_decimal(first['mean_mentor'])} poäng och deltagarna på {format_decimal(first['mean_participant'])}; "
            f"vid {last['occasion']} på {format_decimal(last['mean_mentor'])} "
            f"respektive {format_decimal(last['mean_participant'])} (av 40 möjliga)."
        )
    change = comparison[comparison["comparison"] == "förändring"]
    if not change.empty:
        row = change.iloc[0]
        sentences.append(
            f"Mentorerna ökade med {format_decimal(row['mean_mentor'])} poäng och deltagarna med "
            f"{format_decimal(row['mean_participant'])} poäng ({row['occasion']})."
        )
        sentences.append(row["text"])
    return sentences


def indicator_sentences(persistence: pd.DataFrame, trend: pd.DataFrame | None = None,
                        reference: pd.DataFrame | None = None, org_name: str | None = None) -> pd.DataFrame:
    """A short paragraph per indicator: who is disadvantaged, the trend, the reference.

    Parameters
    ----------
    persistence
        :func:`jamlib.analysis.gaps.gap_persistence` for one organisation.
    trend
        :func:`jamlib.analysis.gaps.gap_trend` for the same organisation, optional.
    reference
        :func:`jamlib.analysis.gaps.compare_with_reference`, optional; its latest period
        per indicator is used.
    org_name
        The organisation's name.

    Returns
    -------
    pandas.DataFrame
        ``indicator_id`` and ``text`` (Swedish sentences). A final remark says
        that the values are descriptions when no counts are known.
    """
    rows = []
    for _, row in persistence.iterrows():
        parts = [persistence_sentence(row, org_name)]
        if trend is not None:
            match = trend[trend["indicator_id"] == row["indicator_id"]]
            if not match.empty:
                parts.append(match.iloc[0]["text"])
        if reference is not None:
            match = reference[(reference["indicator_id"] == row["indicator_id"])
                              & (reference["period"] == row["latest_period"])]
            if not match.empty:
                parts.append(match.iloc[0]["text"])
        rows.append({"indicator_id": row["indicator_id"], "text": " ".join(parts)})
    return pd.DataFrame(rows, columns=["indicator_id", "text"])
