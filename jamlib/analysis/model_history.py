"""The model's history: rounds and their occasions, mentor groups, and organisations across rounds.

A round of the model names its self-assessment occasions in one of three ways
(:data:`jamlib.schemas.OCCASION_SCHEMES`): SKR's Uppstart and Träff 1–3, the
Eskilstuna report's before, during and after ("inför projektets start, under
dess gång och vid dess slut"), or years ("från 2017 till 2018").
:func:`round_occasions` reads which scheme each round uses and orders its
occasions; :func:`check_checklist_rounds` flags a round that mixes schemes.

Participants are divided into groups of two or three with a mentor (the SKR
report, "Vad är Modellkonceptet?"; the Eskilstuna report: "Två eller tre
benchmarkingkommuner arbetar tillsammans med en mentorkommun").
:func:`mentor_groups` lists each group. After a round, participants are meant to
become mentors; :func:`organisation_history` follows an organisation across
rounds from the checklist scores and from a participation table
(:data:`jamlib.schemas.PARTICIPATION`), which also holds rounds without scores.
"""

from __future__ import annotations

import re

import pandas as pd

from jamlib.analysis.checklist import organisation_trajectories
from jamlib.errors import ParameterError
from jamlib.formatting import format_decimal, sentence_start
from jamlib.schemas import CHECKLIST, FAILURE_COLUMNS, OCCASION_DISPLAY, OCCASION_SCHEMES
from jamlib.vocabulary import Severity

__all__ = ["round_occasions", "round_order", "check_checklist_rounds", "mentor_groups", "organisation_history",
           "history_sentences", "organisation_profile"]

_HISTORY_COLUMNS = ["organisation", "org_name", "parent", "org_code", "round", "role", "mentor_group", "first_occasion",
                    "first_total", "last_occasion", "last_total", "change", "source"]


def _text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value).strip()


def round_order(round_label: object) -> tuple[int, str]:
    """A sort key for rounds: the first year in the label (``"Modellförvaltning 2018"`` -> 2018), then the label."""
    match = re.search(r"(19|20)\d{2}", str(round_label))
    return (int(match.group(0)) if match else 9999, str(round_label))


def _scheme(occasions: set[str]) -> list[str]:
    return [str(name) for name, members in OCCASION_SCHEMES.items() if occasions & set(members)]


def round_occasions(scores: pd.DataFrame) -> pd.DataFrame:
    """Which occasion scheme each round uses, and its occasions in order.

    Returns
    -------
    pandas.DataFrame
        ``round``, ``scheme`` (e.g. ``"före–under–efter"``; several joined by ``" + "``
        when a round mixes them), ``occasions`` (list, in order) and ``labels``
        (as displayed, e.g. ``"Före, Under, Efter"``), rounds in time order.
    """
    rows = []
    for rnd in sorted(scores["round"].dropna().unique(), key=round_order):
        present = set(scores.loc[scores["round"] == rnd, "occasion"].dropna())
        ordered = [o for members in OCCASION_SCHEMES.values() for o in members if o in present]
        rows.append({"round": rnd, "scheme": " + ".join(_scheme(present)), "occasions": ordered,
                     "labels": ", ".join(OCCASION_DISPLAY.get(o, o) for o in ordered)})
    return pd.DataFrame(rows, columns=["round", "scheme", "occasions", "labels"])


def check_checklist_rounds(scores: pd.DataFrame) -> pd.DataFrame:
    """Cross-row checks of checklist scores (or participation rows) over rounds, as a failure table.

    The columns are :data:`jamlib.schemas.FAILURE_COLUMNS`.

    Rules:

    - ``blandade_tillfällen`` (fel): a round uses occasions of two schemes (e.g. ``Uppstart`` and
      ``Efter``), so they cannot be put in one order;
    - ``två_roller`` (fel): an organisation is both mentor and participant in one round;
    - ``mentorgrupp`` (varning): a mentor group without exactly one mentor, or with other than
      two or three participants (the SKR report's groups).
    """
    display = {c.name: c.display for c in CHECKLIST.columns}
    failures = []

    def first_row(mask: pd.Series) -> dict:
        row = scores[mask].iloc[0]
        source_row = row.get("source_row")
        return {"file": row.get("source_file"),
                "row": None if source_row is None or pd.isna(source_row) else int(source_row)}

    for rnd, group in scores.groupby("round", sort=False):
        schemes = _scheme(set(group["occasion"].dropna())) if "occasion" in group.columns else []
        if len(schemes) > 1:
            failures.append({**first_row(scores["round"] == rnd), "column": display["occasion"],
                             "value": ", ".join(sorted(set(group["occasion"]))), "rule": "blandade_tillfällen",
                             "severity": Severity.ERROR,
                             "message": f"Omgång {rnd} blandar tillfällen från olika sätt att namnge dem "
                                        f"({' och '.join(schemes)}). En omgång använder ett sätt: Uppstart och Träff 1–3, "
                                        "Före/Under/Efter eller årtal."})
        for org, roles in group.groupby("org_name", sort=False)["role"]:
            if roles.nunique() > 1:
                failures.append({**first_row((scores["round"] == rnd) & (scores["org_name"] == org)),
                                 "column": display["role"], "value": ", ".join(sorted(roles.unique())),
                                 "rule": "två_roller", "severity": Severity.ERROR,
                                 "message": f"{org} är både mentor och deltagare i omgång {rnd}."})
    if "mentor_group" in scores.columns:
        for _, g in mentor_groups(scores).iterrows():
            if g["note"]:
                mask = (scores["round"] == g["round"]) & (scores["mentor_group"] == g["mentor_group"])
                failures.append({**first_row(mask), "column": display["mentor_group"], "value": g["mentor_group"],
                                 "rule": "mentorgrupp", "severity": Severity.WARNING,
                                 "message": f"Omgång {g['round']}, mentorgrupp {g['mentor_group']}: {g['note']}"})
    out = pd.DataFrame(failures, columns=FAILURE_COLUMNS)
    out["row"] = out["row"].astype("Int64")
    return out


def mentor_groups(table: pd.DataFrame) -> pd.DataFrame:
    """The mentor groups of each round: the mentor and its participants.

    Parameters
    ----------
    table
        Checklist scores or participation rows, with ``round``, ``org_name``, ``role`` and ``mentor_group``.

    Returns
    -------
    pandas.DataFrame
        ``round``, ``mentor_group``, ``mentors`` and ``participants`` (names, comma-separated),
        ``n_mentors``, ``n_participants`` and ``note``: empty, or why the group is not one
        mentor with two or three participants. Rows without a group are left out.
    """
    columns = ["round", "mentor_group", "mentors", "participants", "n_mentors", "n_participants", "note"]
    if "mentor_group" not in table.columns:
        return pd.DataFrame(columns=columns)
    grouped = table[table["mentor_group"].map(_text) != ""]
    rows = []
    for (rnd, name), group in grouped.groupby(["round", "mentor_group"], sort=False):
        orgs = group.drop_duplicates(["org_name", "role"])
        mentors = list(orgs.loc[orgs["role"] == "mentor", "org_name"])
        participants = list(orgs.loc[orgs["role"] == "deltagare", "org_name"])
        notes = []
        if len(mentors) != 1:
            notes.append(f"{len(mentors)} mentorer i gruppen (en väntas)")
        if not 2 <= len(participants) <= 3:
            notes.append(f"{len(participants)} deltagare (SKR:s grupper har två eller tre)")
        rows.append({"round": rnd, "mentor_group": name, "mentors": ", ".join(mentors),
                     "participants": ", ".join(participants), "n_mentors": len(mentors),
                     "n_participants": len(participants), "note": "; ".join(notes)})
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values("round", key=lambda s: s.map(round_order), kind="stable").reset_index(drop=True)


def _key(name: str, parent: str, code: str) -> str:
    return code or (f"{parent} / {name}" if parent else name)


def organisation_history(participation: pd.DataFrame | None = None, scores: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every organisation's rounds and roles, with its own checklist totals where scores exist.

    Parameters
    ----------
    participation
        Rows of :data:`jamlib.schemas.PARTICIPATION` (rounds, roles, mentor groups), or ``None``.
    scores
        Validated checklist scores, or ``None``. A round found in both is one row.

    Returns
    -------
    pandas.DataFrame
        ``organisation`` (code, or ``"Överordnad / Namn"``, or the name), ``org_name``, ``parent``,
        ``org_code``, ``round``, ``role``, ``mentor_group``, the first and last occasion with the
        organisation's total (sum of its ten moment means, 10–40) and the ``change``, and ``source``
        (``"deltagande"``, ``"skattningar"`` or both); organisations by name, rounds in time order.
    """
    rows: dict[tuple[str, str], dict] = {}
    if participation is not None and not participation.empty:
        for _, r in participation.iterrows():
            name, parent, code = _text(r["org_name"]), _text(r.get("parent")), _text(r.get("org_code"))
            key = (_key(name, parent, code), str(r["round"]))
            rows[key] = {"organisation": key[0], "org_name": name, "parent": parent, "org_code": code,
                         "round": r["round"], "role": r["role"], "mentor_group": _text(r.get("mentor_group")),
                         "first_occasion": "", "first_total": float("nan"), "last_occasion": "",
                         "last_total": float("nan"), "change": float("nan"), "source": "deltagande"}
    if scores is not None and not scores.empty:
        codes = scores.groupby("org_name")["org_code"].first() if "org_code" in scores.columns else pd.Series(dtype=object)
        groups = (scores.groupby(["round", "org_name"])["mentor_group"].first()
                  if "mentor_group" in scores.columns else pd.Series(dtype=object))
        trajectories = organisation_trajectories(scores).dropna(subset=["total"])
        for (rnd, role, name), t in trajectories.groupby(["round", "role", "org_name"], sort=False):
            code = _text(codes.get(name))
            key = (_key(name, "", code), str(rnd))
            existing = next((k for k in rows if k[1] == key[1] and rows[k]["org_name"] == name), key)
            base = rows.get(existing, {"organisation": key[0], "org_name": name, "parent": "", "org_code": code,
                                       "round": rnd, "role": role, "mentor_group": _text(groups.get((rnd, name))),
                                       "source": ""})
            base.update({"first_occasion": t["occasion"].iloc[0], "first_total": float(t["total"].iloc[0]),
                         "last_occasion": t["occasion"].iloc[-1], "last_total": float(t["total"].iloc[-1])})
            base["change"] = base["last_total"] - base["first_total"]
            base["mentor_group"] = base["mentor_group"] or _text(groups.get((rnd, name)))
            base["source"] = "deltagande, skattningar" if base["source"] == "deltagande" else "skattningar"
            rows[existing] = base
    out = pd.DataFrame(list(rows.values()), columns=_HISTORY_COLUMNS)
    if out.empty:
        return out
    out["_order"] = out["round"].map(round_order)
    return out.sort_values(["org_name", "parent", "_order"]).drop(columns="_order").reset_index(drop=True)


def _select(history: pd.DataFrame, organisation: object) -> pd.DataFrame:
    text = " ".join(str(organisation if organisation is not None else "").split())
    fold = text.casefold()
    mask = (history["organisation"].str.casefold() == fold) | (history["org_name"].str.casefold() == fold) | \
        (history["org_code"] == text)
    rows = history[mask]
    if rows.empty:
        listing = ", ".join(dict.fromkeys(history["org_name"]))
        raise ParameterError(f"{text!r} finns inte i historiken. Organisationer: {listing}.")
    if rows["organisation"].nunique() > 1:
        raise ParameterError(f"{text!r} finns hos flera organisationer: {'; '.join(rows['organisation'].unique())}. "
                             "Skriv den överordnade också, t.ex. 'Eskilstuna kommun / Socialnämnden'.")
    return rows


def _round_words(round_label: object) -> str:
    """``"omgång 2015–2016"`` for a bare period, the label itself when it names the round (``"Modellförvaltning 2018"``)."""
    text = str(round_label)
    return text if re.search(r"[^\W\d_]", text) else f"omgång {text}"


def history_sentences(history: pd.DataFrame, organisation: object) -> list[str]:
    """Swedish sentences on one organisation's path through the rounds (e.g. participant, then mentor).

    Raises
    ------
    ParameterError
        When the organisation is not in the history (or is ambiguous).
    """
    rows = _select(history, organisation)
    name = rows["org_name"].iloc[0]
    roles = [f"{r['role']} i {_round_words(r['round'])}" + (f" (mentorgrupp {r['mentor_group']})" if r["mentor_group"] else "")
             for _, r in rows.iterrows()]
    sentences = [f"{name} har varit " + (", ".join(roles[:-1]) + " och " if len(roles) > 1 else "") + roles[-1] + "."]
    path = list(rows["role"])
    if "deltagare" in path and "mentor" in path[path.index("deltagare"):]:
        first = rows.loc[rows["role"] == "deltagare", "round"].iloc[0]
        later = rows.loc[(rows["role"] == "mentor") & (rows.index > rows.index[path.index("deltagare")]), "round"].iloc[0]
        sentences.append(f"{name} gick från deltagare ({_round_words(first)}) till mentor ({_round_words(later)}), "
                         "som modellen är tänkt.")
    for _, r in rows.dropna(subset=["first_total"]).iterrows():
        first = OCCASION_DISPLAY.get(r["first_occasion"], r["first_occasion"])
        last = OCCASION_DISPLAY.get(r["last_occasion"], r["last_occasion"])
        change = r["change"]
        moved = "oförändrad" if change == 0 else ("en ökning" if change > 0 else "en minskning")
        amount = "" if change == 0 else f" med {format_decimal(abs(change))} poäng"
        sentences.append(f"{sentence_start(_round_words(r['round']))} ({r['role']}): summan av de tio momenten var {format_decimal(r['first_total'])} "
                         f"vid {first} och {format_decimal(r['last_total'])} vid {last}, "
                         + ("alltså oförändrad." if change == 0 else f"{moved}{amount}."))
    if rows["first_total"].isna().all():
        sentences.append("Det finns inga skattningar för organisationen i de data som lästs in.")
    return sentences


def organisation_profile(scores: pd.DataFrame, organisation: object, round: str) -> pd.DataFrame:
    """One organisation's own mean per moment and occasion in a round, beside its role group's mean.

    Parameters
    ----------
    scores
        Validated checklist scores.
    organisation
        The organisation's name or code.
    round
        The round.

    Returns
    -------
    pandas.DataFrame
        Index moments 1–10 and ``"Totalt"``; for each occasion of the round the organisation's
        mean over its raters, then ``group_last`` (the mean of all organisations with the same
        role at the last occasion, this one included) and ``difference`` (own last − group last).
        ``attrs`` hold ``role``, ``occasions`` and ``group_size``.

    Raises
    ------
    ParameterError
        When the organisation has no scores in the round.
    """
    from jamlib.analysis.checklist import organisation_means

    text = " ".join(str(organisation).split()).casefold()
    subset = scores[scores["round"] == round]
    mine = subset[(subset["org_name"].str.casefold() == text) |
                  (subset.get("org_code", pd.Series(index=subset.index, dtype=object)).fillna("") == str(organisation))]
    if mine.empty:
        names = ", ".join(sorted(subset["org_name"].unique()))
        raise ParameterError(f"{organisation} har inga skattningar i omgång {round}. Organisationer i omgången: {names}.")
    role = mine["role"].iloc[0]
    occasions = round_occasions(subset)["occasions"].iloc[0]
    means = organisation_means(subset[subset["role"] == role])
    own = means[means["org_name"] == mine["org_name"].iloc[0]].pivot_table(index="moment", columns="occasion",
                                                                            values="score", aggfunc="first")
    own = own.reindex(columns=[o for o in occasions if o in own.columns])
    own.loc["Totalt"] = own.sum(axis=0, min_count=10)
    last = own.columns[-1]
    group = means[means["occasion"] == last].groupby("moment")["score"].mean()
    totals = means[means["occasion"] == last].groupby("org_name")["score"].sum()
    own["group_last"] = [*group.reindex([m for m in own.index if m != "Totalt"]).to_numpy(), totals.mean()]
    own["difference"] = own[last] - own["group_last"]
    own.attrs.update(role=role, occasions=list(own.columns[:-2]), group_size=int(totals.size))
    return own
