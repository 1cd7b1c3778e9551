"""Reference groups for comparisons: Riket, a Kolada municipality group, or a chosen list.

A municipality's gender gap means more beside a reference. Three kinds are
understood, written the way a user types them on the command line or in a
notebook parameter:

* ``"riket"`` or ``"0000"``: the whole country (Kolada's Riket);
* ``"liknande"``: the municipality's own Kolada group "Liknande kommuner …";
  a group id such as ``"G176581"`` or a group's exact title;
* a list of codes, ``["0484", "0780"]`` or ``"0484,0780"``.

Groups come from Kolada's ``municipality_groups.json`` (the copy bundled with
jamlib, or a fresher one fetched with ``jam kolada groups``).

Regions have no group "Liknande kommuner". For a region, ``"liknande"`` (the
notebooks' default) therefore falls back to Riket, and the reference's
``note`` says so in Swedish for the report to show.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from jamlib.errors import ParameterError
from jamlib.vocabulary import CodeProblem, ReferenceKind
from jamlib.organisations import municipality_groups, municipality_name, normalise_code

__all__ = ["Reference", "resolve_reference"]

RIKET = "0000"


@dataclass(frozen=True)
class Reference:
    """A resolved reference.

    Attributes
    ----------
    kind
        ``"riket"``, ``"grupp"`` or ``"lista"``.
    label
        Swedish label for texts and charts, e.g. ``"Liknande kommuner äldreomsorg, Karlstad, 2024"``.
    codes
        Member codes (``("0000",)`` for Riket); never includes the municipality itself.
    note
        A Swedish sentence when the reference is not the one asked for (a region
        asked to compare with "liknande" is compared with Riket), else ``""``.
    """

    kind: ReferenceKind
    label: str
    codes: tuple[str, ...]
    note: str = ""


def _is_region(org_code: str) -> bool:
    """Whether ``org_code`` is a region (Kolada type ``L``, other than Riket)."""
    from jamlib.organisations import municipalities

    table = municipalities()
    return org_code != RIKET and bool(((table["code"] == org_code) & (table["type"] == "L")).any())


def _similar_group(org_code: str, groups: pd.DataFrame) -> pd.DataFrame:
    name = municipality_name(org_code)
    if name is None:
        raise ParameterError(f"Kommunkoden {org_code} finns inte; därför finns ingen grupp med liknande kommuner.")
    titles = groups.loc[groups["group_title"].str.startswith("Liknande kommuner")
                        & groups["group_title"].str.contains(f", {name},", regex=False), "group_title"].unique()
    if len(titles) == 0:
        raise ParameterError(f"Det finns ingen grupp \"Liknande kommuner\" för {name} ({org_code}) i Koladas gruppfil.")
    return groups[groups["group_title"] == sorted(titles)[-1]]


def resolve_reference(
    reference: str | list[str] | tuple[str, ...], org_code: str, groups: pd.DataFrame | None = None
) -> Reference:
    """Turn what a user wrote into a reference group.

    Parameters
    ----------
    reference
        ``"riket"``/``"0000"``, ``"liknande"``, a group id or title, or codes
        (a list or a comma-separated string).
    org_code
        The municipality being compared (excluded from the members).
    groups
        Result of :func:`municipality_groups`; default the bundled groups.

    Returns
    -------
    Reference

    Raises
    ------
    ParameterError
        With a Swedish message when the reference cannot be understood.
    """
    if groups is None:
        groups = municipality_groups()
    if isinstance(reference, str):
        text = reference.strip()
        if text.lower() in ("riket", RIKET, "sverige", "hela landet"):
            return Reference(ReferenceKind.COUNTRY, "Riket", (RIKET,))
        if text.lower() in ("liknande", "liknande kommuner"):
            if _is_region(org_code):
                name = municipality_name(org_code) or org_code
                return Reference(ReferenceKind.COUNTRY, "Riket", (RIKET,),
                                 f"{name} har ingen grupp \"Liknande kommuner\" i Kolada (sådana grupper finns "
                                 "bara för kommuner); jämförelsen görs därför med riket.")
            group = _similar_group(org_code, groups)
            return Reference(ReferenceKind.GROUP, group["group_title"].iloc[0],
                             tuple(c for c in group["member_code"] if c != org_code))
        by_id = groups[(groups["group_id"] == text) | (groups["group_title"] == text)]
        if not by_id.empty:
            return Reference(ReferenceKind.GROUP, by_id["group_title"].iloc[0],
                             tuple(c for c in by_id["member_code"] if c != org_code))
        items = [part.strip() for part in text.split(",") if part.strip()]
    else:
        items = [str(part).strip() for part in reference]
    codes = []
    for item in items:
        check = normalise_code(item)
        if check.code is None or check.problem in (CodeProblem.UNKNOWN, CodeProblem.MALFORMED):
            raise ParameterError(
                f"Jämförelsen \"{item}\" förstås inte. Skriv \"riket\", \"liknande\", ett grupp-id från Kolada "
                f"(t.ex. G176581) eller kommunkoder med fyra siffror, t.ex. \"0484,0780\". {check.message}".strip())
        if check.code != org_code:
            codes.append(check.code)
    if not codes:
        raise ParameterError("Jämförelsegruppen är tom: ange minst en annan kommun än den som analyseras.")
    names = [municipality_name(c) or c for c in codes]
    label = names[0] if len(names) == 1 else "Egen jämförelsegrupp (" + ", ".join(names) + ")"
    return Reference(ReferenceKind.LIST, label, tuple(dict.fromkeys(codes)))
