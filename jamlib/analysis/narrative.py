"""Short Swedish sentences for steering groups, generated from the results.

The sentences never say more than the analysis supports: persistence is stated
as a description of published values ("de senaste 4 åren") and counts only
material gaps (:mod:`jamlib.analysis.materiality`); a trend or group difference
is called "statistiskt säkerställd" only when an exact test says so after the
report's tests are adjusted together (Benjamini–Hochberg), and "kan inte
avgöras" is written when the data are too few for any test to conclude; moving
averages are named as such in every sentence about them. Where polarity is
unknown no sex is called disadvantaged. :func:`report_notes` says once what
applies to the whole report.
"""

from __future__ import annotations

import pandas as pd

from jamlib.kpis import KPI_CURATED
from jamlib.vocabulary import Polarity
from jamlib.formatting import format_decimal, sentence_start

__all__ = ["persistence_sentence", "role_sentences", "indicator_sentences", "report_notes"]

_SEX_WORDS = {"K": "kvinnor", "M": "män"}


def persistence_sentence(row: pd.Series | dict, org_name: str | None = None) -> str:
    """One sentence on which sex has been disadvantaged, and for how long.

    Only material gaps count (:mod:`jamlib.analysis.materiality`): a latest gap
    below the threshold is called "inte påtaglig", never a disadvantage, and
    the run of years counts only years with a material gap. For moving
    averages the sentence says that the values are such averages.

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
    from jamlib.analysis.gaps import moving_average_label
    from jamlib.analysis.materiality import difference_unit, format_threshold

    title = row.get("indicator_title") or row["indicator_id"]
    where = f"I {org_name} " if org_name else ""
    sex = row["disadvantaged"]
    latest = row["latest_period"]
    window = int(row.get("moving_average_years", 1) or 1)
    averages = f"värdena är {moving_average_label(window)}" if window > 1 else ""
    if sex == "ingen":
        gap = row.get("latest_gap", 0.0)
        note = f" ({averages})" if averages else ""
        if gap is None or pd.isna(gap) or gap == 0:
            return sentence_start(f"{where}hade kvinnor och män samma värde på ”{title}” {latest}{note}.")
        unit = difference_unit(row.get("unit"))
        size = f"{format_decimal(abs(gap))} {unit}".strip()
        if row.get("uncertainty") == "kan beräknas":
            why = "osäkerhetsintervallet för skillnaden (Newcombe, 95 %) innehåller 0"
        else:
            why = f"gränsen för en påtaglig skillnad är {format_threshold(row.get('materiality', 0.0))} {unit}".rstrip()
        extra = f"; {averages}" if averages else ""
        return sentence_start(f"{where}var skillnaden mellan kvinnor och män på ”{title}” inte påtaglig {latest} "
                              f"({size}; {why}{extra}).")
    if sex not in ("K", "M") and row.get("polarity") == Polarity.NEUTRAL:
        return sentence_start(f"{where}sägs inget kön vara missgynnat på ”{title}”: indikatorn är angiven som "
                              "neutral, alltså är varken ett högre eller ett lägre värde bättre.")
    if sex not in ("K", "M"):
        return sentence_start(f"{where}går det inte att säga vilket kön som missgynnas på ”{title}”: det är inte "
                        "angivet om ett högre eller lägre värde är bättre (ange polaritet).")
    worse, better = _SEX_WORDS[sex], _SEX_WORDS["M" if sex == "K" else "K"]
    curated = KPI_CURATED.get(row["indicator_id"], {})
    subject = worse + str(curated.get("who", ""))
    generic = "haft ett sämre värde än {better} på ”" + title + "”"
    # the curated phrase describes the values ("väntat längre"): true only under the curated polarity, not when a
    # user has set the other direction
    phrase = curated.get("worse") if str(row.get("polarity")) == str(curated.get("polarity")) else None
    predicate = str(phrase or generic).format(better=better)
    n = int(row["persistence"])
    if n == 1:
        span = f"det senaste året med värden ({latest}" + (f"; {averages})" if averages else ")")
    else:
        span = f"de senaste {n} åren med värden ({row['first_period']}–{latest}"
        span += f"; {row['missing_periods']} saknas" if row.get("missing_periods") else ""
        span += f"; {averages})" if averages else ")"
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

        def moved(value: float) -> str:
            if pd.isna(value):
                return "saknar värden för förändringen"
            if format_decimal(value) == "0,0":
                return "låg kvar på samma nivå"
            return f"{'ökade' if value > 0 else 'minskade'} med {format_decimal(abs(value))} poäng"

        sentences.append(f"Mentorerna {moved(row['mean_mentor'])} och deltagarna {moved(row['mean_participant'])} "
                         f"({row['occasion']}).")
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
        ``indicator_id`` and ``text`` (Swedish sentences). The remarks that
        concern the whole report come from :func:`report_notes`.
    """
    trend_text = {} if trend is None else dict(zip(trend["indicator_id"], trend["text"]))
    reference_text = {} if reference is None else {
        (i, p): t for i, p, t in zip(reference["indicator_id"], reference["period"], reference["text"])}
    rows = []
    for row in persistence.to_dict("records"):
        parts = [persistence_sentence(row, org_name)]
        if row["indicator_id"] in trend_text:
            parts.append(trend_text[row["indicator_id"]])
        if (row["indicator_id"], row["latest_period"]) in reference_text:
            parts.append(reference_text[row["indicator_id"], row["latest_period"]])
        rows.append({"indicator_id": row["indicator_id"], "text": " ".join(parts)})
    return pd.DataFrame(rows, columns=["indicator_id", "text"])


def report_notes(gaps: pd.DataFrame, trend: pd.DataFrame | None = None) -> list[str]:
    """The report's general remarks, each said once: what the values are and how the tests were adjusted.

    Parameters
    ----------
    gaps
        :func:`jamlib.analysis.gaps.indicator_gaps` for the organisation.
    trend
        :func:`jamlib.analysis.gaps.gap_trend` for the same organisation, optional.

    Returns
    -------
    list of str
        The descriptive caveat when any value lacks respondent counts; the
        materiality thresholds used; why p-values are adjusted when more than
        one trend was tested.
    """
    from jamlib.analysis.gaps import DESCRIPTIVE_CAVEAT
    from jamlib.analysis.materiality import difference_unit, format_threshold

    notes = []
    if "uncertainty" in gaps.columns and (gaps["uncertainty"] != "kan beräknas").any():
        notes.append(DESCRIPTIVE_CAVEAT)
    counted = gaps["uncertainty"] == "kan beräknas" if "uncertainty" in gaps.columns else pd.Series(False, index=gaps.index)
    if "materiality" in gaps.columns and not gaps.empty:
        # where the counts are known, Newcombe's interval decides instead of the threshold
        limits = (gaps[(gaps["materiality"] > 0) & ~counted].drop_duplicates("indicator_id")
                  [["indicator_id", "unit", "materiality"]].itertuples(index=False))
        parts = list(dict.fromkeys(f"{format_threshold(t)} {difference_unit(u)}".strip() for _, u, t in limits))
        if parts:
            listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " och " + parts[-1]
            notes.append(f"En skillnad mellan kvinnor och män räknas som påtaglig först när den är minst {listed} "
                         "(beroende på indikatorns enhet); mindre skillnader kan bero på avrundning och slump och "
                         "kallas inte ett missgynnande.")
    if counted.any():
        notes.append("Där en fil anger antalen (täljare och nämnare) för kvinnor och män räknas en skillnad som påtaglig "
                     "först när dess 95 % konfidensintervall (Newcombe) inte innehåller 0.")
    if trend is not None and not trend.empty:
        family = int(trend["tests_in_family"].max())
        gap_tests = int(trend["p_value"].notna().sum())
        if family > 1:
            tested = (f"Trenden har prövats för {family} indikatorer" if family == gap_tests else
                      f"Rapporten gör {family} trendtest (skillnaden mellan kvinnor och män för {gap_tests} "
                      f"{'indikator' if gap_tests == 1 else 'indikatorer'} och andelen kvinnor där antalen är kända)")
            notes.append(f"{tested}. Ju fler test man gör, desto större är risken "
                         "att något ser säkerställt ut av en slump; därför är p-värdena justerade för antalet test "
                         "(Benjamini–Hochbergs metod), och texten bygger på de justerade p-värdena.")
    return notes
