"""Mentors versus participants: trajectories, the gap at each occasion, the change of the gap.

The unit of analysis is the organisation (a municipality or region), because
that is what was sampled: each organisation's total (sum of its ten moment
means, 10–40) per occasion comes from :func:`jamlib.analysis.checklist.organisation_trajectories`.
Mentors and participants are different organisations, so the groups are
independent, and they are tiny (the bundled round has 2 mentors and 4
participants). All tests are exact (:mod:`jamlib.analysis.small_samples`) and every row
says in Swedish what can and cannot be concluded.
"""

from __future__ import annotations

import pandas as pd

from jamlib.analysis.checklist import organisation_trajectories
from jamlib.errors import JamlibError
from jamlib.schemas import OCCASION_DISPLAY, OCCASIONS
from jamlib.analysis.small_samples import compare_independent, compare_paired

__all__ = ["compare_roles", "format_role_table"]

_COLUMNS = ["comparison", "occasion", "mean_mentor", "mean_participant", "difference", "n_mentor", "n_participant",
            "p_value", "minimum_p", "effect_size", "method", "text"]


def compare_roles(scores: pd.DataFrame, round: str) -> pd.DataFrame:
    """Compare mentors and participants of one round, occasion by occasion and in change.

    Parameters
    ----------
    scores
        Validated checklist scores.
    round
        The round, e.g. ``"2020–2022"``.

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
        and ``text`` says in Swedish what can be concluded.

    Raises
    ------
    JamlibError
        When the round lacks mentors or participants.
    """
    trajectories = organisation_trajectories(scores, round=round)
    roles_present = set(trajectories["role"])
    if not {"mentor", "deltagare"} <= roles_present:
        missing = ", ".join(sorted({"mentor", "deltagare"} - roles_present))
        raise JamlibError(f"Omgång {round} saknar skattningar för: {missing}. Jämförelsen kräver både mentorer och deltagare.")
    wide = trajectories.pivot_table(index=["role", "org_name"], columns="occasion", values="total", aggfunc="first")
    occasions = [o for o in OCCASIONS if o in wide.columns]
    rows = []
    for occasion in occasions:
        mentor = wide.loc["mentor", occasion].dropna()
        participant = wide.loc["deltagare", occasion].dropna()
        test = compare_independent(mentor.to_numpy(), participant.to_numpy(),
                                   f"skillnaden mellan mentorer och deltagare vid {OCCASION_DISPLAY[occasion]}")
        rows.append({"comparison": "nivå", "occasion": occasion, "mean_mentor": mentor.mean(),
                     "mean_participant": participant.mean(), "difference": test.difference,
                     "n_mentor": test.n[0], "n_participant": test.n[1], "p_value": test.p_value,
                     "minimum_p": test.minimum_p, "effect_size": test.effect_size, "method": test.method,
                     "text": test.text})
    first, last = occasions[0], occasions[-1]
    change = (wide[last] - wide[first]).dropna()
    mentor_change, participant_change = change.get("mentor", pd.Series(dtype=float)), change.get("deltagare", pd.Series(dtype=float))
    span = f"{OCCASION_DISPLAY[first]}–{OCCASION_DISPLAY[last]}"
    test = compare_independent(mentor_change.to_numpy(), participant_change.to_numpy(),
                               f"skillnaden i utveckling ({span}) mellan mentorer och deltagare")
    rows.append({"comparison": "förändring", "occasion": span, "mean_mentor": mentor_change.mean(),
                 "mean_participant": participant_change.mean(), "difference": test.difference,
                 "n_mentor": test.n[0], "n_participant": test.n[1], "p_value": test.p_value,
                 "minimum_p": test.minimum_p, "effect_size": test.effect_size, "method": test.method, "text": test.text})
    for role, values, label in (("mentor", mentor_change, "mentorernas"), ("deltagare", participant_change, "deltagarnas")):
        paired = compare_paired(values.to_numpy(), f"{label} förändring ({span})")
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
