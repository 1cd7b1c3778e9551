"""Representation and resources: who is on stage, and who gets the money.

Destination Eskilstuna followed its city festival with Jämställd festival's
model (the Eskilstuna report, section on Destination Eskilstuna): each *act* (a
solo artist or a band; a solo artist's backing band does not count) is
classified by the musicians' self-defined gender:

* **kvinnodominerad** when women are more than half of the act's musicians;
* **mansdominerad** when men are more than half;
* **mixad** otherwise: exactly half women and half men, or musicians who do
  not define themselves as either.

The report's wording ("minst 50 %" for a dominated act, and 50/50 for a mixed
one) contradicts itself at exactly 50 %; jamlib counts 50/50 as mixed, as the
report's definition of a mixed act says.

The same summaries serve staff (one unit per person) and sponsorship money
(one unit per team, classified as girls/women or boys/men): the share of units
and of money per class, and the distance from a 50/50 goal.
"""

from __future__ import annotations

import pandas as pd

from jamlib.errors import JamlibError

__all__ = ["classify_act", "classify_acts", "representation_shares", "ACT_CLASSES"]

#: Classes of acts, in display order.
ACT_CLASSES: tuple[str, ...] = ("kvinnodominerad", "mansdominerad", "mixad")


def classify_act(women: int, men: int, other: int = 0) -> str:
    """Classify one act by Jämställd festival's rule.

    Parameters
    ----------
    women, men, other
        Number of the act's musicians defining themselves as women, as men, and
        as neither.

    Returns
    -------
    str
        ``"kvinnodominerad"``, ``"mansdominerad"`` or ``"mixad"``.

    Raises
    ------
    JamlibError
        For negative counts or an act without musicians.
    """
    if min(women, men, other) < 0:
        raise JamlibError(f"Antalet musiker kan inte vara negativt (kvinnor {women}, män {men}, övriga {other}).")
    total = women + men + other
    if total == 0:
        raise JamlibError("En akt måste ha minst en musiker.")
    if 2 * women > total:
        return "kvinnodominerad"
    if 2 * men > total:
        return "mansdominerad"
    return "mixad"


def classify_acts(acts: pd.DataFrame, women: str = "women", men: str = "men", other: str | None = "other") -> pd.DataFrame:
    """Add a ``class`` column to a table of acts.

    Parameters
    ----------
    acts
        One row per act with counts of women and men (and optionally others).
    women, men, other
        Names of the count columns; ``other`` may be missing from the table.

    Returns
    -------
    pandas.DataFrame
        A copy with ``class``.
    """
    out = acts.copy()
    others = out[other] if other is not None and other in out.columns else pd.Series(0, index=out.index)
    out["class"] = [classify_act(int(w), int(m), int(o)) for w, m, o in zip(out[women], out[men], others.fillna(0))]
    return out


def representation_shares(units: pd.DataFrame, by: str = "class", amount: str | None = None,
                          women_class: str = "kvinnodominerad", men_class: str = "mansdominerad") -> pd.DataFrame:
    """Share of units (and of money) per class, and the distance from 50/50.

    Parameters
    ----------
    units
        One row per unit (act, person, team), with the class in ``by``.
    by
        The class column.
    amount
        Column with money (fee, salary, sponsorship), when given.
    women_class, men_class
        The classes compared with the 50/50 goal.

    Returns
    -------
    pandas.DataFrame
        One row per class: ``count``, ``share_of_count`` (0–1) and, with
        ``amount``, ``amount`` and ``share_of_amount``; then a row ``"balans"``
        whose shares are the women's class's share of (women's + men's classes)
        and whose ``distance_from_50_50`` is that share minus 0.5 in percentage
        points (positive: more to the women's class).
    """
    if units.empty:
        raise JamlibError("Det finns inga enheter att räkna på.")
    classes = list(dict.fromkeys([*[c for c in ACT_CLASSES if c in set(units[by])], *units[by].dropna().unique()]))
    rows = []
    total_count = len(units)
    total_amount = float(units[amount].sum()) if amount else None
    for cls in classes:
        part = units[units[by] == cls]
        row = {by: cls, "count": len(part), "share_of_count": len(part) / total_count}
        if amount:
            row["amount"] = float(part[amount].sum())
            row["share_of_amount"] = row["amount"] / total_amount if total_amount else float("nan")
        rows.append(row)
    women = units[units[by] == women_class]
    men = units[units[by] == men_class]
    balance = {by: "balans", "count": len(women) + len(men)}
    balance["share_of_count"] = len(women) / balance["count"] if balance["count"] else float("nan")
    balance["distance_from_50_50"] = (balance["share_of_count"] - 0.5) * 100
    if amount:
        pair = float(women[amount].sum() + men[amount].sum())
        balance["amount"] = pair
        balance["share_of_amount"] = float(women[amount].sum()) / pair if pair else float("nan")
        balance["distance_from_50_50_amount"] = (balance["share_of_amount"] - 0.5) * 100
    rows.append(balance)
    return pd.DataFrame(rows)
