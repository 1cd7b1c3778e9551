"""The summary a steering group reads first: one row per indicator, in words that follow from the numbers.

:func:`steering_summary` turns what :func:`jamlib.analysis.gap_summary.summarise_gaps`
computed for one organisation into a table a politician reads in two minutes:

* **disadvantaged sex** in the latest period with values for both sexes, from
  :func:`~jamlib.analysis.gaps.gap_persistence`: "kvinnor" or "män" only when the
  gap is material (:mod:`jamlib.analysis.materiality`) and the polarity is known;
  "ingen påtaglig skillnad" below the threshold; otherwise what is unknown;
* **how long**: the run of consecutive periods with a material gap against the same sex;
* **the gap over time**, from :func:`~jamlib.analysis.gaps.gap_trend`: "har minskat",
  "har ökat" or "har bytt håll" only when the trend test is significant after
  adjustment (and then as the fitted Theil–Sen line says), "ingen tydlig trend"
  when a test could have concluded but did not, "kan inte avgöras" when no test
  could (too few years, or values so tied that no ordering is unusual);
* **rank in the reference group**: the size of the gap, ``|K − M|``, in the latest
  period among the organisation and the reference's members with values for both
  sexes, smallest first ("3:e minsta skillnaden av 8"); members with the same size
  share a place and the text says so. The members' values are the ones the report
  uses, already screened by disclosure control. With a single reference
  organisation (Riket) the verdict of
  :func:`~jamlib.analysis.gaps.compare_with_reference` is used instead of a rank.

:func:`summary_sentences` adds at most three sentences, each a count over the table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jamlib.analysis.materiality import TIE_TOLERANCE
from jamlib.vocabulary import Disadvantaged, Polarity

__all__ = ["SUMMARY_COLUMNS", "steering_summary", "summary_sentences", "ordinal", "rank_text", "gap_rank",
           "DIRECTION_WORDS"]

SUMMARY_COLUMNS = ["indicator_id", "indicator_title", "latest_period", "polarity", "latest_gap", "disadvantaged",
                   "persistence", "first_period", "missing_periods", "trend", "significant", "direction",
                   "own_size", "rank", "tied", "ranked", "reference_verdict", "sex_text", "duration_text",
                   "direction_text", "rank_text", "moving_average_years"]

#: The summary's words for the gap over time, per :class:`~jamlib.analysis.trend_tests.TrendWord` value.
DIRECTION_WORDS = {
    "minskat": "har minskat",
    "ökat": "har ökat",
    "bytt tecken": "har bytt håll",
    "ingen påtaglig förändring": "ingen påtaglig förändring",
    "ingen tydlig trend": "ingen tydlig trend",
    "kan inte avgöras": "kan inte avgöras",
}

_SEX_WORDS = {"K": "kvinnor", "M": "män"}
_UNKNOWN_SEX = {
    Polarity.NEUTRAL: "kan inte sägas: inget håll räknas som bättre",
    Polarity.UNKNOWN: "kan inte sägas: okänt om högre eller lägre värde är bättre",
}


def ordinal(n: int) -> str:
    """A Swedish ordinal with a colon: ``1`` -> ``"1:a"``, ``3`` -> ``"3:e"``, ``11`` -> ``"11:e"``, ``22`` -> ``"22:a"``."""
    n = int(n)
    return f"{n}:a" if n % 10 in (1, 2) and n % 100 not in (11, 12) else f"{n}:e"


def rank_text(rank: int, tied: int, ranked: int) -> str:
    """The rank of a gap among ``ranked`` organisations, smallest first, in Swedish.

    Parameters
    ----------
    rank
        1 + the number of organisations with a strictly smaller gap.
    tied
        How many *other* organisations have the same gap.
    ranked
        How many organisations were ranked (the organisation included).

    Examples
    --------
    >>> rank_text(3, 0, 8)
    '3:e minsta skillnaden av 8'
    >>> rank_text(1, 0, 8)
    'minsta skillnaden av 8'
    >>> rank_text(2, 1, 8)
    'delad 2:a minsta skillnaden av 8 (lika stor i 1 till)'
    """
    if ranked < 2:
        return "ingen att jämföra med"
    if tied:
        place = "minsta" if rank == 1 else f"{ordinal(rank)} minsta"
        return f"delad {place} skillnaden av {ranked} (lika stor i {tied} till)"
    if rank == 1:
        return f"minsta skillnaden av {ranked}"
    if rank == ranked:
        return f"största skillnaden av {ranked}"
    return f"{ordinal(rank)} minsta skillnaden av {ranked}"


def gap_rank(own_size: float, member_sizes: np.ndarray | list[float]) -> tuple[int, int, int]:
    """Rank of a gap size among the members' sizes, smallest first, with ties.

    Sizes within float noise of each other (:data:`~jamlib.analysis.materiality.TIE_TOLERANCE`,
    relative) are the same size.

    Returns
    -------
    (rank, tied, ranked)
        ``rank`` is 1 + the number of members with a smaller size, ``tied`` how
        many members have the same size, ``ranked`` the members plus one.
    """
    sizes = np.abs(np.asarray(member_sizes, dtype=float))
    sizes = sizes[~np.isnan(sizes)]
    tolerance = TIE_TOLERANCE * max(1.0, abs(float(own_size)))
    same = np.abs(sizes - own_size) <= tolerance
    smaller = (sizes < own_size) & ~same
    return 1 + int(smaller.sum()), int(same.sum()), len(sizes) + 1


def _sex_text(row: dict) -> str:
    sex = row["disadvantaged"]
    if sex in _SEX_WORDS:
        return _SEX_WORDS[sex]
    if sex == Disadvantaged.NEITHER:
        gap = row.get("latest_gap")
        return "ingen skillnad" if gap is not None and not pd.isna(gap) and gap == 0 else "ingen påtaglig skillnad"
    return _UNKNOWN_SEX.get(row.get("polarity"), _UNKNOWN_SEX[Polarity.UNKNOWN])


def _averages(window: object) -> str:
    """``"treårsmedelvärden"`` for a moving average over three years, ``""`` for yearly values."""
    from jamlib.analysis.gaps import moving_average_label

    return moving_average_label(int(window)) if window is not None and not pd.isna(window) and int(window) > 1 else ""


def _duration_text(row: dict, window: object = None) -> str:
    if row["disadvantaged"] not in _SEX_WORDS:
        return "–"
    n, latest = int(row["persistence"]), row["latest_period"]
    label = _averages(window)
    if n == 1:
        return f"1 år ({latest}{'; ' + label if label else ''})"
    text = f"{n} år i rad ({row['first_period']}–{latest}"
    if row.get("missing_periods"):
        text += f"; {row['missing_periods']} saknas"
    if label:
        text += f"; {label}"
    return text + ")"


def _direction(trend: dict | None) -> tuple[str, bool | None]:
    """The summary's key for the gap over time, and whether the test was significant."""
    from jamlib.analysis.small_samples import ALPHA

    if trend is None or pd.isna(trend.get("p_value")):
        return "kan inte avgöras", None
    if not trend.get("significant"):
        if float(trend["minimum_p"]) > ALPHA:  # no ordering of these years could have been significant
            return "kan inte avgöras", False
        return "ingen tydlig trend", False
    return str(trend["trend"]), True


def _verdict_text(verdict: object, label: str) -> str:
    words = {"större": "större skillnad än", "mindre": "mindre skillnad än",
             "lika stort": "ungefär lika stor skillnad som"}
    return f"{words[verdict]} {label}" if verdict in words else f"{label} saknar värden"


def steering_summary(persistence: pd.DataFrame, trend: pd.DataFrame, comparison: pd.DataFrame,
                     reference_gaps: pd.DataFrame | None = None, reference_label: str | None = None,
                     reference_codes: tuple[str, ...] | list[str] = ()) -> pd.DataFrame:
    """One row per indicator: disadvantaged sex, how long, the gap over time, rank in the reference.

    Parameters
    ----------
    persistence, trend, comparison
        What :func:`jamlib.analysis.gap_summary.summarise_gaps` returned for one organisation.
    reference_gaps
        :func:`~jamlib.analysis.gaps.indicator_gaps` of the reference's members, from values already
        screened by disclosure control (``None`` or empty: no reference).
    reference_label
        The reference's name.
    reference_codes
        The reference's member codes; with one member (Riket) the comparison's verdict replaces the rank.

    Returns
    -------
    pandas.DataFrame
        :data:`SUMMARY_COLUMNS`: machine values (``rank``, ``tied``, ``ranked`` are missing without a
        group to rank in) and the Swedish cells ``sex_text``, ``duration_text``, ``direction_text`` and
        ``rank_text``. The inputs are not modified.
    """
    trends = {r["indicator_id"]: r for r in trend.to_dict("records")} if trend is not None else {}
    verdicts = {(r["indicator_id"], r["period"]): r["larger"] for r in comparison.to_dict("records")} \
        if comparison is not None and not comparison.empty else {}
    members: dict[tuple[str, str], np.ndarray] = {}
    with_reference = reference_gaps is not None and reference_label is not None
    own_code = persistence["org_code"].iloc[0] if len(persistence) else None
    if with_reference and not reference_gaps.empty:
        both = reference_gaps[reference_gaps["value_K"].notna() & reference_gaps["value_M"].notna()
                              & (reference_gaps["org_code"] != own_code)]
        for key, group in both.groupby(["indicator_id", "period"], sort=False):
            members[key] = np.abs(group["gap"].to_numpy(dtype=float))
    single = len(set(reference_codes) - {own_code}) == 1
    rows = []
    for row in persistence.to_dict("records"):
        key = (row["indicator_id"], row["latest_period"])
        direction, significant = _direction(trends.get(row["indicator_id"]))
        own_size = abs(float(row["latest_gap"])) if not pd.isna(row["latest_gap"]) else np.nan
        rank = tied = ranked = None
        verdict = verdicts.get(key)
        window = trends.get(row["indicator_id"], {}).get("moving_average_years")
        window = None if window is None or pd.isna(window) else int(window)
        if not with_reference:
            text = "ingen jämförelse"
        elif single:
            text = _verdict_text(verdict, reference_label)
        elif key in members and len(members[key]) and not np.isnan(own_size):
            rank, tied, ranked = gap_rank(own_size, members[key])
            text = rank_text(rank, tied, ranked)
        else:
            text = f"{reference_label} saknar värden {row['latest_period']}"
        rows.append({
            "indicator_id": row["indicator_id"],
            "indicator_title": row.get("indicator_title") or row["indicator_id"],
            "latest_period": row["latest_period"], "polarity": row.get("polarity"),
            "latest_gap": row["latest_gap"], "disadvantaged": row["disadvantaged"],
            "persistence": int(row["persistence"]), "first_period": row.get("first_period"),
            "missing_periods": row.get("missing_periods", ""), "trend": trends.get(row["indicator_id"], {}).get("trend"),
            "significant": significant, "direction": direction, "own_size": own_size,
            "rank": rank, "tied": tied, "ranked": ranked, "reference_verdict": verdict,
            "sex_text": _sex_text(row), "duration_text": _duration_text(row, window),
            "direction_text": DIRECTION_WORDS[direction], "rank_text": text, "moving_average_years": window,
        })
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def summary_sentences(summary: pd.DataFrame, missing: int = 0) -> list[str]:
    """At most three short sentences, each a count over the summary table.

    Parameters
    ----------
    summary
        :func:`steering_summary`.
    missing
        How many requested indicators had no values (named in the table).

    Returns
    -------
    list of str
        Who is disadvantaged on how many indicators; the longest run; how the gaps moved over time.
    """
    if summary.empty:
        return []
    total = len(summary) + missing
    sexes = summary["disadvantaged"]
    women, men = int((sexes == "K").sum()), int((sexes == "M").sum())
    neither = int((sexes == Disadvantaged.NEITHER).sum())
    unknown = len(summary) - women - men - neither
    parts = [f"kvinnor på {women}" if women else "", f"män på {men}" if men else ""]
    parts = [p for p in parts if p]
    if parts:
        first = f"Det senaste året med värden missgynnas {' och '.join(parts)} av {total} indikatorer"
    else:
        first = f"Det senaste året med värden missgynnas varken kvinnor eller män påtagligt på någon av {total} indikatorer"
    rest = []
    if neither and parts:
        rest.append(f"på {neither} finns ingen påtaglig skillnad")
    if unknown:
        rest.append(f"på {unknown} går det inte att säga vilket kön som missgynnas")
    if missing:
        rest.append(f"{missing} saknar värden")
    sentences = [first + ("; " + ", ".join(rest) if rest else "") + "."]
    runs = summary[summary["disadvantaged"].isin(["K", "M"]) & (summary["persistence"] >= 2)]
    if not runs.empty:
        longest = runs.loc[runs["persistence"].idxmax()]
        same = runs[runs["persistence"] == longest["persistence"]]
        who = _SEX_WORDS[longest["disadvantaged"]]
        averaged = [f"”{t}” är {_averages(w)}" for t, w in zip(same["indicator_title"], same["moving_average_years"])
                    if _averages(w)]
        if len(same) == 1:
            label = _averages(longest["moving_average_years"])
            sentences.append(f"Längst i rad: {who} på ”{longest['indicator_title']}”, "
                             f"{int(longest['persistence'])} år i rad" + (f" ({label})" if label else "") + ".")
        else:
            sentences.append(f"Längst i rad: {int(longest['persistence'])} år på {len(same)} indikatorer"
                             + (f" (värdena på {', '.join(averaged)})" if averaged else "") + ".")
    moved = summary["direction"]
    smaller, larger = int((moved == "minskat").sum()), int((moved == "ökat").sum())
    flipped = int((moved == "bytt tecken").sum())
    if smaller or larger or flipped:
        changes = [f"minskat på {smaller}" if smaller else "", f"ökat på {larger}" if larger else "",
                   f"bytt håll på {flipped}" if flipped else ""]
        changes = [c for c in changes if c]
        sentences.append("Över tid har skillnaden " + (", ".join(changes[:-1]) + " och " + changes[-1]
                                                       if len(changes) > 1 else changes[0])
                         + f" av {len(summary)} indikatorer; på övriga går ingen förändring att visa.")
    else:
        sentences.append("På ingen indikator går det att visa att skillnaden har ökat eller minskat över tid.")
    return sentences[:3]

