"""Checklist tables in the layout of SKR's Tabell 1 and 2.

Group means are computed as the report does: each organisation's mean over its
raters first, then the mean over organisations per moment and occasion; the
total is the sum of the moment means and the change is the last occasion minus
the first, both from unrounded means. Rounding (half away from zero, one
decimal) happens only when the table is formatted.

Rounds are matched the way people type them: ``2020-2022`` (a hyphen) finds
the round stored as ``2020–2022`` (SKR's en dash), and a file that writes its
rounds with hyphens gives tables labelled with the en dash
(:func:`jamlib.formatting.normalise_dashes`).
"""

from __future__ import annotations

import pandas as pd

from jamlib.errors import JamlibError
from jamlib.formatting import format_decimal, normalise_dashes, round_half_up
from jamlib.schemas import MOMENTS, OCCASION_DISPLAY, OCCASIONS

__all__ = ["organisation_means", "checklist_table", "format_checklist_table", "rank_improvements",
           "organisation_trajectories", "compare_rounds", "format_rounds_table", "rounds_and_roles", "select_rounds"]


def _rounds_normalised(scores: pd.DataFrame) -> pd.DataFrame:
    """``scores`` with every round written with an en dash (a copy only when something changes)."""
    rounds = scores["round"]
    normalised = rounds.map(normalise_dashes, na_action="ignore")
    if normalised.equals(rounds):
        return scores
    out = scores.copy()
    out["round"] = normalised
    return out


def select_rounds(scores: pd.DataFrame, rounds: str | list[str] | None) -> pd.DataFrame:
    """The scores of some rounds (typed with ``-`` or ``–``), or of every round when none is given.

    Parameters
    ----------
    scores
        Validated checklist scores; not modified.
    rounds
        ``"2020-2022"``, ``"2016–2018, 2020–2022"``, a list, or ``None``/``""`` for all.

    Returns
    -------
    pandas.DataFrame
        The rows of those rounds, every round written with an en dash.

    Raises
    ------
    JamlibError
        Naming the rounds asked for that are not in the data, and the rounds that are.
    """
    from jamlib.formatting import split_list

    scores = _rounds_normalised(scores)
    wanted = list(dict.fromkeys(normalise_dashes(r) for r in split_list(rounds)))
    if not wanted:
        return scores
    available = rounds_and_roles(scores)
    missing = [r for r in wanted if r not in available]
    if missing:
        listed = ", ".join(f"{r} ({', '.join(roles)})" for r, roles in available.items()) or "inga"
        raise JamlibError(f"Omgång {', '.join(missing)} finns inte i data. Omgångar i data: {listed}.")
    return scores[scores["round"].isin(wanted)]


def rounds_and_roles(scores: pd.DataFrame) -> dict[str, list[str]]:
    """The rounds in the data (en dash) and, for each, the roles that have scores in it.

    Returns
    -------
    dict
        Round -> roles present, in the order ``deltagare``, ``mentor``; rounds sorted.
    """
    from jamlib.schemas import ROLES

    scores = _rounds_normalised(scores)
    present = scores.dropna(subset=["round"]).groupby("round")["role"].unique()
    return {rnd: [r for r in ROLES if r in set(roles)] for rnd, roles in sorted(present.items())}


def organisation_means(scores: pd.DataFrame) -> pd.DataFrame:
    """Mean score per organisation, occasion and moment (over raters).

    Parameters
    ----------
    scores
        Validated checklist scores (columns of :data:`jamlib.schemas.CHECKLIST`).

    Returns
    -------
    pandas.DataFrame
        ``round``, ``role``, ``org_name``, ``occasion``, ``moment``, ``score``
        (mean over raters) and ``raters``.
    """
    keys = ["round", "role", "org_name", "occasion", "moment"]
    grouped = scores.groupby(keys, observed=True, sort=False)["score"]
    out = grouped.agg(score="mean", raters="count").reset_index()
    out["moment"] = out["moment"].astype("int64")
    return out


def checklist_table(scores: pd.DataFrame, round: str, role: str) -> pd.DataFrame:
    """Group means per moment and occasion, with ``Totalt`` and change, unrounded.

    Parameters
    ----------
    scores
        Validated checklist scores.
    round
        The round, e.g. ``"2020–2022"`` (``"2020-2022"`` is the same round).
    role
        ``"deltagare"`` or ``"mentor"``.

    Returns
    -------
    pandas.DataFrame
        Index: moments 1-10 and ``"Totalt"``; columns: the occasions present (in
        order) and ``change``. ``attrs["organisations"]`` holds the number of
        organisations per occasion.

    Raises
    ------
    JamlibError
        When there are no scores for that round and role.
    """
    scores = _rounds_normalised(scores)
    round = normalise_dashes(round)
    subset = scores[(scores["round"] == round) & (scores["role"] == role)]
    if subset.empty:
        rounds = ", ".join(f"{r} ({', '.join(roles)})" for r, roles in rounds_and_roles(scores).items())
        raise JamlibError(f"Det finns inga skattningar för omgång {round} och roll {role}. Omgångar i data: {rounds}.")
    org = organisation_means(subset)
    means = org.groupby(["moment", "occasion"])["score"].mean().unstack("occasion")
    occasions = [o for o in OCCASIONS if o in means.columns]
    table = means[occasions].sort_index()
    table.index = [int(m) for m in table.index]
    total = table.sum(axis=0, min_count=1)
    table.loc["Totalt"] = total
    table["change"] = table[occasions[-1]] - table[occasions[0]]
    table.attrs["organisations"] = org.groupby("occasion")["org_name"].nunique().reindex(occasions).astype(int).to_dict()
    table.attrs["round"], table.attrs["role"] = round, role
    return table


def format_checklist_table(table: pd.DataFrame) -> pd.DataFrame:
    """Format a checklist table exactly as SKR prints it (decimal comma, one decimal).

    Parameters
    ----------
    table
        The result of :func:`checklist_table`.

    Returns
    -------
    pandas.DataFrame
        Strings; first column ``Del i checklista för jämställdhetsintegrering``
        (``"1. Den politiska ..."``, ..., ``"Totalt"``), then ``Uppstart``,
        ``Träff 1`` ... and ``+/-``.
    """
    rows = []
    for index, row in table.iterrows():
        label = "Totalt" if index == "Totalt" else f"{index}. {MOMENTS[int(index)]}"
        cells = {OCCASION_DISPLAY[o]: format_decimal(row[o]) for o in table.columns if o in OCCASION_DISPLAY}
        rows.append({"Del i checklista för jämställdhetsintegrering": label, **cells, "+/-": format_decimal(row["change"])})
    return pd.DataFrame(rows)


def rank_improvements(table: pd.DataFrame) -> pd.DataFrame:
    """Moments ranked by their change from the first to the last occasion, largest first.

    Parameters
    ----------
    table
        The result of :func:`checklist_table`.

    Returns
    -------
    pandas.DataFrame
        ``rank`` (ties share the lowest rank, as they print the same), ``moment``,
        ``moment_text``, ``change`` (unrounded) and ``change_printed`` (one decimal,
        decimal comma). Moments whose printed change is equal share a rank, because
        a reader of the table cannot tell them apart.
    """
    moments = table.drop(index="Totalt")
    out = pd.DataFrame({
        "moment": [int(m) for m in moments.index],
        "moment_text": [MOMENTS[int(m)] for m in moments.index],
        "change": moments["change"].to_numpy(),
    })
    out["change_printed"] = [format_decimal(v) for v in out["change"]]
    printed_value = out["change"].map(round_half_up)
    out["rank"] = printed_value.rank(ascending=False, method="min").astype(int)
    out = out.sort_values(["rank", "moment"]).reset_index(drop=True)
    return out[["rank", "moment", "moment_text", "change", "change_printed"]]


def organisation_trajectories(scores: pd.DataFrame, round: str | None = None, role: str | None = None) -> pd.DataFrame:
    """Each organisation's own total per occasion and its change since the first occasion.

    The total is the sum of the organisation's ten moment means (over raters),
    so it is on the same 10–40 scale as ``Totalt`` in Tabell 1 and 2. An
    occasion where the organisation has not scored all ten moments gets no
    total (a partial sum would look like a fall), and ``moments_scored`` says how
    many it has.

    Parameters
    ----------
    scores
        Validated checklist scores.
    round, role
        Only this round / role, when given.

    Returns
    -------
    pandas.DataFrame
        ``round``, ``role``, ``org_name``, ``occasion``, ``moments_scored``,
        ``total`` and ``change_since_start`` (total minus the total at the
        organisation's first occasion with all ten moments), ordered by
        organisation and occasion.
    """
    subset = _rounds_normalised(scores)
    if round is not None:
        subset = subset[subset["round"] == normalise_dashes(round)]
    if role is not None:
        subset = subset[subset["role"] == role]
    org = organisation_means(subset)
    keys = ["round", "role", "org_name", "occasion"]
    totals = org.groupby(keys, sort=False).agg(moments_scored=("moment", "nunique"), total=("score", "sum")).reset_index()
    totals["total"] = totals["total"].where(totals["moments_scored"] == len(MOMENTS))
    totals["_order"] = totals["occasion"].map({o: i for i, o in enumerate(OCCASIONS)})
    totals = totals.sort_values(["round", "role", "org_name", "_order"]).drop(columns="_order").reset_index(drop=True)
    first = totals.dropna(subset=["total"]).groupby(["round", "role", "org_name"])["total"].first()
    start = pd.Series([first.get((r, ro, o)) for r, ro, o in zip(totals["round"], totals["role"], totals["org_name"])],
                      index=totals.index, dtype="float64")
    totals["change_since_start"] = totals["total"] - start
    return totals


def compare_rounds(scores: pd.DataFrame, role: str) -> pd.DataFrame:
    """The same measures for every round side by side, with how many organisations each rests on.

    Parameters
    ----------
    scores
        Validated checklist scores, any number of rounds.
    role
        ``"deltagare"`` or ``"mentor"``.

    Returns
    -------
    pandas.DataFrame
        One row per round and moment (1–10 and ``"Totalt"``): ``round``,
        ``moment``, ``first_occasion``, ``first`` (group mean at the round's
        first occasion), ``last_occasion``, ``last``, ``change``,
        ``organisations_first`` and ``organisations_last``. Unrounded; the
        input is not modified.

    Raises
    ------
    JamlibError
        When there are no scores for the role.
    """
    scores = _rounds_normalised(scores)
    rounds = [r for r in pd.unique(scores.loc[scores["role"] == role, "round"].dropna())]
    if not rounds:
        raise JamlibError(f"Det finns inga skattningar för rollen {role}.")
    rows = []
    for rnd in sorted(rounds):
        table = checklist_table(scores, rnd, role)
        occasions = [c for c in table.columns if c in OCCASIONS]
        counts = table.attrs["organisations"]
        for moment, row in table.iterrows():
            rows.append({
                "round": rnd, "moment": moment, "first_occasion": occasions[0], "first": row[occasions[0]],
                "last_occasion": occasions[-1], "last": row[occasions[-1]], "change": row["change"],
                "organisations_first": counts[occasions[0]], "organisations_last": counts[occasions[-1]],
            })
    return pd.DataFrame(rows)


def format_rounds_table(rounds: pd.DataFrame) -> pd.DataFrame:
    """:func:`compare_rounds` as a Swedish display table (one decimal, decimal comma).

    Returns
    -------
    pandas.DataFrame
        ``Omgång``, ``Moment``, first and last occasion's mean, ``+/-`` and the
        number of organisations at the first and last occasion.
    """
    return pd.DataFrame({
        "Omgång": rounds["round"].to_numpy(),
        "Moment": [str(m) for m in rounds["moment"]],
        "Första tillfället": [f"{OCCASION_DISPLAY[o]}: {format_decimal(v)}" for o, v in zip(rounds["first_occasion"], rounds["first"])],
        "Sista tillfället": [f"{OCCASION_DISPLAY[o]}: {format_decimal(v)}" for o, v in zip(rounds["last_occasion"], rounds["last"])],
        "+/-": [format_decimal(v) for v in rounds["change"]],
        "Antal organisationer": [f"{a} → {b}" for a, b in zip(rounds["organisations_first"], rounds["organisations_last"])],
    })
