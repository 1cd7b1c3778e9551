"""Mentors versus participants: trajectories, the gap at each occasion, the change of the gap.

The unit of analysis is the organisation (a municipality or region), because
that is what was sampled: each organisation's total (sum of its ten moment
means, 10–40) per occasion comes from :func:`jamlib.analysis.checklist.organisation_trajectories`.
Mentors and participants are different organisations, so the groups are
independent, and they are tiny (the bundled round has 2 mentors and 4
participants). All tests are exact (:mod:`jamlib.analysis.small_samples`) and every row
says in Swedish what can and cannot be concluded.

Eskilstuna's rounds had a single mentor and some rounds have none. With one
organisation in a group the exact test still runs (over every choice of which
organisation is "the mentor"), and its sentence says that with 1 and 3
organisations the lowest possible p is 0,5, so nothing can be decided. With no
organisation in a group the means are still shown and the row says that
mentors and participants cannot be compared, instead of failing.
"""

from __future__ import annotations

import pandas as pd

import math

import numpy as np

from jamlib.analysis.checklist import organisation_trajectories, rounds_and_roles
from jamlib.errors import JamlibError
from jamlib.formatting import normalise_dashes
from jamlib.schemas import OCCASION_DISPLAY, OCCASIONS
from jamlib.analysis.small_samples import GroupTest, cliffs_delta, compare_independent, compare_paired

__all__ = ["compare_roles", "format_role_table"]

_COLUMNS = ["comparison", "occasion", "mean_mentor", "mean_participant", "difference", "n_mentor", "n_participant",
            "p_value", "minimum_p", "effect_size", "method", "text"]

#: Fewest organisations per group an exact test can work with (its sentence says when nothing can be decided).
_MIN_TESTABLE = 1
_NO_TEST = "inget test"
_PLURAL = {"mentor": "mentorer", "deltagare": "deltagare"}


def _untestable(groups: dict[str, int], round: str) -> str:
    """The sentence for a round where a role (role -> organisations) has no organisation."""
    empty = [role for role, n in groups.items() if n == 0]
    return (f"Omgång {round} har inga {' och inga '.join(_PLURAL[r] for r in empty)} med skattningar, så "
            "mentorer och deltagare kan inte jämföras.")


def _independent(mentor: np.ndarray, participant: np.ndarray, what: str, round: str) -> GroupTest:
    """:func:`compare_independent`, or the means and a sentence when a group is too small to test."""
    if min(mentor.size, participant.size) >= _MIN_TESTABLE:
        return compare_independent(mentor, participant, what)
    difference = float(mentor.mean() - participant.mean()) if mentor.size and participant.size else math.nan
    return GroupTest((int(mentor.size), int(participant.size)), difference, math.nan, math.nan,
                     cliffs_delta(mentor, participant), _NO_TEST,
                     _untestable({"mentor": mentor.size, "deltagare": participant.size}, round))


def _paired(changes: np.ndarray, role: str, what: str, round: str) -> GroupTest:
    """:func:`compare_paired`, or the mean change and a sentence when the role has fewer than two organisations."""
    if changes.size >= _MIN_TESTABLE:
        return compare_paired(changes, what)
    mean = float(changes.mean()) if changes.size else math.nan
    return GroupTest((int(changes.size),), mean, math.nan, math.nan, math.nan, _NO_TEST,
                     _untestable({role: changes.size}, round))


def compare_roles(scores: pd.DataFrame, round: str) -> pd.DataFrame:
    """Compare mentors and participants of one round, occasion by occasion and in change.

    Parameters
    ----------
    scores
        Validated checklist scores.
    round
        The round, e.g. ``"2020–2022"`` (``"2020-2022"`` is the same round).

    Returns
    -------
    pandas.DataFrame
        Rows of four kinds (column ``comparison``):

        - ``"nivå"``: per occasion, the mean total of mentors and participants,
          the gap (mentor − participant), an exact permutation test and Cliff's delta;
        - ``"förändring"``: the change from first to last occasion per role
          compared between the roles (the change of the gap);
        - ``"förändring mentor"`` / ``"förändring deltagare"``: whether each
          role's own change differs from zero (exact sign-flip test).

        ``n_mentor``/``n_participant`` say how many organisations each row rests
        on, ``minimum_p`` the lowest p-value the test could reach with that many,
        and ``text`` says in Swedish what can be concluded. With no
        organisation in a group nothing is tested: ``p_value`` is NaN,
        ``method`` is ``"inget test"`` and ``text`` says why.

    Raises
    ------
    JamlibError
        When the round has no scores at all (the message lists the rounds and their roles).
    """
    round = normalise_dashes(round)
    trajectories = organisation_trajectories(scores, round=round)
    if trajectories.empty:
        rounds = ", ".join(f"{r} ({', '.join(roles)})" for r, roles in rounds_and_roles(scores).items())
        raise JamlibError(f"Det finns inga skattningar för omgång {round}. Omgångar i data: {rounds or 'inga'}.")
    wide = trajectories.pivot_table(index=["role", "org_name"], columns="occasion", values="total", aggfunc="first")
    occasions = [o for o in OCCASIONS if o in wide.columns]

    def values(role: str, column: pd.Series | str) -> pd.Series:
        frame = wide[column] if isinstance(column, str) else column
        if role not in frame.index.get_level_values("role"):
            return pd.Series(dtype=float)
        return frame.xs(role, level="role").dropna()

    rows = []
    for occasion in occasions:
        mentor, participant = values("mentor", occasion), values("deltagare", occasion)
        test = _independent(mentor.to_numpy(dtype=float), participant.to_numpy(dtype=float),
                            f"skillnaden mellan mentorer och deltagare vid {OCCASION_DISPLAY[occasion]}", round)
        rows.append({"comparison": "nivå", "occasion": occasion, "mean_mentor": mentor.mean(),
                     "mean_participant": participant.mean(), "difference": test.difference,
                     "n_mentor": test.n[0], "n_participant": test.n[1], "p_value": test.p_value,
                     "minimum_p": test.minimum_p, "effect_size": test.effect_size, "method": test.method,
                     "text": test.text})
    first, last = occasions[0], occasions[-1]
    change = wide[last] - wide[first]
    mentor_change, participant_change = values("mentor", change), values("deltagare", change)
    span = f"{OCCASION_DISPLAY[first]}–{OCCASION_DISPLAY[last]}"
    test = _independent(mentor_change.to_numpy(dtype=float), participant_change.to_numpy(dtype=float),
                        f"skillnaden i utveckling ({span}) mellan mentorer och deltagare", round)
    rows.append({"comparison": "förändring", "occasion": span, "mean_mentor": mentor_change.mean(),
                 "mean_participant": participant_change.mean(), "difference": test.difference,
                 "n_mentor": test.n[0], "n_participant": test.n[1], "p_value": test.p_value,
                 "minimum_p": test.minimum_p, "effect_size": test.effect_size, "method": test.method, "text": test.text})
    for role, changes, label in (("mentor", mentor_change, "mentorernas"), ("deltagare", participant_change, "deltagarnas")):
        paired = _paired(changes.to_numpy(dtype=float), role, f"{label} förändring ({span})", round)
        rows.append({"comparison": f"förändring {role}", "occasion": span,
                     "mean_mentor": paired.difference if role == "mentor" else float("nan"),
                     "mean_participant": paired.difference if role == "deltagare" else float("nan"),
                     "difference": paired.difference,
                     "n_mentor": paired.n[0] if role == "mentor" else 0,
                     "n_participant": paired.n[0] if role == "deltagare" else 0,
                     "p_value": paired.p_value, "minimum_p": paired.minimum_p, "effect_size": paired.effect_size,
                     "method": paired.method, "text": paired.text})
    return pd.DataFrame(rows, columns=_COLUMNS)


def format_role_table(comparison: pd.DataFrame) -> pd.DataFrame:
    """:func:`compare_roles` as a Swedish display table.

    Returns
    -------
    pandas.DataFrame
        Text columns: what is compared, mentors, participants, difference,
        organisations, p, lowest possible p, Cliff's delta and the conclusion.
    """
    from jamlib.formatting import format_decimal

    what = {"nivå": "Nivå", "förändring": "Förändring, mentorer mot deltagare",
            "förändring mentor": "Mentorernas förändring", "förändring deltagare": "Deltagarnas förändring"}
    return pd.DataFrame({
        "Jämförelse": [f"{what.get(c, c)} ({OCCASION_DISPLAY.get(o, o)})" for c, o in zip(comparison["comparison"], comparison["occasion"])],
        "Mentorer": [format_decimal(v) for v in comparison["mean_mentor"]],
        "Deltagare": [format_decimal(v) for v in comparison["mean_participant"]],
        "Skillnad": [format_decimal(v, sign=True) for v in comparison["difference"]],
        "Organisationer": [f"{m} + {d}" for m, d in zip(comparison["n_mentor"], comparison["n_participant"])],
        "p": [format_decimal(v, 3) for v in comparison["p_value"]],
        "Lägsta möjliga p": [format_decimal(v, 3) for v in comparison["minimum_p"]],
        "Cliffs delta": [format_decimal(v, 2) for v in comparison["effect_size"]],
        "Slutsats": comparison["text"].to_numpy(),
    })
