"""The results chain of one organisation, as a plan and as a follow-up.

SKR's results chain (resultatkedjan) orders an organisation's work in five
levels, from activity to societal effect. Each entry is *planned* or
*achieved* (``status``), may carry a goal attainment (uppnått / delvis / ej
uppnått, as the Eskilstuna report grades its committees and companies), and may
link to the entries it is meant to lead to (``leder till``: their ``nr`` in the
same organisation). SKR recommends using the chain for planning as well as for
follow-up (the SKR report, "Resultatkedjan kan användas mer systematiskt"), so a
planned outcome with the activities meant to reach it is as much a part of the
chain as a result.

Any organisation can have a chain: a municipality (keyed by its code) or a
committee or company, which has no code and is keyed by its name and, where
names repeat across municipalities, its parent (``överordnad``).

Two rules are checked across rows (:func:`check_results_chain`), returning a
failure table in the columns of :data:`jamlib.schemas.FAILURE_COLUMNS`:

* a link must point to an entry of the *same* organisation on a *higher* level
  (an outcome cannot lead to the activity that should produce it);
* an outcome (``nytt/ändrat utfall`` or ``samhällseffekt``) that is claimed as
  achieved without evidence (``belägg``) or a measuring indicator is flagged: the
  SKR report says changed outcomes could not yet be shown in its round, and a
  report must not say more than the data support. Such a claim is not counted as
  reached in :func:`results_chain_overview`.

An entry without ``status`` counts as achieved (a documented result), as in
files written before planning was supported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from jamlib.errors import JamlibError, NoDataError, ParameterError
from jamlib.organisations import check_municipality_code, municipality_name
from jamlib.schemas import FAILURE_COLUMNS, GOALS, LEVELS, MOMENTS, RESULTS_CHAIN
from jamlib.vocabulary import Attainment, ChainStatus, Severity

__all__ = ["ResultsChainOverview", "results_chain_overview", "check_results_chain", "chain_organisations",
           "select_organisation", "OUTCOME_LEVELS"]

#: Levels on which an entry is a change for residents or society, and so needs evidence when claimed.
OUTCOME_LEVELS: tuple[str, ...] = ("nytt/ändrat utfall", "samhällseffekt")

_ORDER = {level: i for i, level in enumerate(LEVELS)}


@dataclass(frozen=True)
class ResultsChainOverview:
    """What the results-chain report shows for one organisation.

    Attributes
    ----------
    org_code, org_name, parent
        The organisation (``org_code`` is ``""`` for a committee or company without one).
    levels
        ``Steg``, ``Uppnådda``, ``Planerade`` and ``Antal`` for all five levels.
    entries
        The entries in level and date order, for display (Swedish headers, text cells; the evidence
        follows the description, goals are numbers, named in ``goals``); optional columns that are
        empty for every entry are left out.
    moments
        Checklist moments the entries refer to, with how many entries each.
    sentences
        The Swedish summary; every sentence follows from the entries.
    nodes
        One row per entry for drawing: ``node``, ``entry_id``, ``level``, ``level_index``,
        ``status``, ``attainment``, ``title``, ``description``, ``evidenced``, ``indicator_id``,
        ``indicator_org``.
    links
        ``source``, ``target`` (node names), ``planned`` (either end planned), for the
        links that point upwards within the organisation.
    goals
        The national gender-equality goals the entries are linked to, with how many entries each.
    indicators
        ``indicator_id`` and ``indicator_org`` of the entries that name a measuring indicator,
        with the entry's title.
    failures
        This organisation's rows of :func:`check_results_chain`.
    """

    org_code: str
    org_name: str
    parent: str
    levels: pd.DataFrame
    entries: pd.DataFrame
    moments: pd.DataFrame
    sentences: list[str]
    nodes: pd.DataFrame = field(default_factory=pd.DataFrame)
    links: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["source", "target", "planned"]))
    goals: pd.DataFrame = field(default_factory=pd.DataFrame)
    indicators: pd.DataFrame = field(default_factory=pd.DataFrame)
    failures: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=FAILURE_COLUMNS))

    @property
    def label(self) -> str:
        """The organisation as a heading: ``Karlstad (1780)``, ``Gymnasienämnden (Eskilstuna kommun)``."""
        if self.org_code:
            return f"{self.org_name} ({self.org_code})"
        return f"{self.org_name} ({self.parent})" if self.parent else self.org_name


def _list(values: object) -> list[int]:
    if values is None or (isinstance(values, float) and pd.isna(values)):
        return []
    return [int(v) for v in values]


def _text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value).strip()


def _column(chain: pd.DataFrame, name: str) -> pd.Series:
    """A column of the chain, or an empty one when the file did not have it."""
    if name in chain.columns:
        return chain[name]
    return pd.Series([None] * len(chain), index=chain.index, dtype=object)


def _status(chain: pd.DataFrame) -> pd.Series:
    return _column(chain, "status").map(lambda v: _text(v) or ChainStatus.ACHIEVED)


def _evidenced(chain: pd.DataFrame) -> pd.Series:
    has_evidence = _column(chain, "evidence").map(lambda v: bool(_text(v))).astype(bool)
    return has_evidence | _column(chain, "indicator_id").map(lambda v: bool(_text(v))).astype(bool)


def _org_keys(chain: pd.DataFrame) -> pd.Series:
    """One key per organisation: its code, or its parent and name."""
    codes = _column(chain, "org_code").map(_text)
    parents = _column(chain, "parent").map(_text)
    names = chain["org_name"].map(_text)
    return pd.Series([c if c else f"{p} / {n}" if p else n for c, p, n in zip(codes, parents, names)],
                     index=chain.index, dtype=object)


def chain_organisations(chain: pd.DataFrame) -> pd.DataFrame:
    """The organisations in a results-chain table, one row each, in file order.

    Returns
    -------
    pandas.DataFrame
        ``organisation`` (what to pass to :func:`results_chain_overview` and to a notebook's
        ``organisation`` parameter: the code, ``"Överordnad / Namn"`` or the name), ``org_name``,
        ``parent``, ``org_code``, ``org_type``, ``entries``.
    """
    keys = _org_keys(chain)
    rows = []
    for key, group in chain.groupby(keys, sort=False):
        first = group.iloc[0]
        rows.append({"organisation": key, "org_name": _text(first["org_name"]),
                     "parent": _text(first.get("parent")), "org_code": _text(first.get("org_code")),
                     "org_type": _text(first.get("org_type")), "entries": len(group)})
    return pd.DataFrame(rows, columns=["organisation", "org_name", "parent", "org_code", "org_type", "entries"])


def select_organisation(chain: pd.DataFrame, organisation: object, source: str | None = None) -> pd.DataFrame:
    """The rows of one organisation: by code (``"1780"``), by name, or by ``"Överordnad / Namn"``.

    Names are compared without regard to case and spacing. A name that several
    parents use (two municipalities' ``Socialnämnden``) must be given with its parent.

    Parameters
    ----------
    chain
        Validated results-chain rows.
    organisation
        A municipality or region code, a name or ``"Överordnad / Namn"``.
    source
        Where the rows were read from (a file or folder as the user gave it), named in the message
        when a municipality or region has no chain there.

    Raises
    ------
    NoDataError
        When a valid municipality or region code has no rows: the organisation exists but has no
        results chain in ``source``; the message says what to do.
    ParameterError
        When no name or more than one organisation matches; the message lists the
        organisations in the table.
    """
    text = " ".join(str(organisation if organisation is not None else "").split())
    organisations = chain_organisations(chain)
    listing = "; ".join(organisations["organisation"])
    if not text:
        raise ParameterError(f"Ange en organisation. Organisationer i resultatkedjan: {listing}.")
    codes = _column(chain, "org_code").map(_text)
    if re.fullmatch(r"\d{1,4}", text):
        code = check_municipality_code(text)
        rows = chain[codes == code]
        if rows.empty:
            raise NoDataError(_no_chain_message(organisations, code, source))
        return rows
    fold = text.casefold()
    names = chain["org_name"].map(lambda v: " ".join(_text(v).split()).casefold())
    parents = _column(chain, "parent").map(lambda v: " ".join(_text(v).split()).casefold())
    if " / " in text:
        parent, _, name = fold.partition(" / ")
        rows = chain[(names == name.strip()) & (parents == parent.strip())]
    else:
        rows = chain[names == fold]
    if rows.empty:
        raise ParameterError(f"Resultatkedjan har inga poster för {text!r}. Organisationer i filen: {listing}.")
    found = _org_keys(rows).unique()
    if len(found) > 1:
        raise ParameterError(f"{text!r} finns hos flera organisationer: {'; '.join(found)}. "
                             "Skriv den överordnade också, t.ex. " + repr(found[0]) + ".")
    return rows


def _no_chain_message(organisations: pd.DataFrame, code: str, source: str | None) -> str:
    """What to tell someone whose municipality or region (``code``) has no results chain in ``source``."""
    where = f" i {source}" if source else ""
    named = [f"{name} ({key})" if key == org_code and name else key
             for key, name, org_code in zip(organisations["organisation"], organisations["org_name"],
                                            organisations["org_code"])]
    return (f"Det finns ingen resultatkedja för {municipality_name(code) or code} ({code}){where}. "
            f"Resultatkedjor finns för: {'; '.join(named)}. Vill ni följa upp er egen resultatkedja: lägg till "
            f"den{where} (en CSV- eller Excelfil med kolumnerna i README under \"Data: sju tabeller\"; "
            "jam resultatkedja granska FIL granskar den) och kör igen, eller välj en av organisationerna ovan "
            "(anteckningsbokens parameter kommunkod eller organisation, --organisation i jam resultatkedja visa).")


# --------------------------------------------------------------------------- cross-row checks


def _failure(row: pd.Series, column: str, value: object, rule: str, message: str, severity: str) -> dict:
    source_row = row.get("source_row")
    return {"file": row.get("source_file"), "row": None if source_row is None or pd.isna(source_row) else int(source_row),
            "column": column, "value": None if value is None else str(value), "rule": rule, "severity": severity,
            "message": message}


def check_results_chain(chain: pd.DataFrame) -> pd.DataFrame:
    """Check what a results chain says across its rows: links, numbers and claimed outcomes.

    Parameters
    ----------
    chain
        Validated results-chain rows (with ``source_file`` and ``source_row`` when read from a file).

    Returns
    -------
    pandas.DataFrame
        Failures in the columns of :data:`jamlib.schemas.FAILURE_COLUMNS`. Rules (severity):

        - ``nr_dubblett`` (fel): two entries of one organisation have the same ``nr``;
        - ``länk_utan_mål`` (fel): ``leder till`` names a ``nr`` that the organisation does not have
          (the message says when another organisation has it);
        - ``länk_bakåt`` (fel): a link points to the same or a lower level;
        - ``utfall_utan_belägg`` (varning): an outcome is claimed as achieved without
          ``belägg`` or ``indikator``;
        - ``planerad_men_uppnådd`` (varning): a planned entry has goal attainment "uppnått";
        - ``indikator_utan_id`` (varning): ``indikatorns organisation`` without ``indikator``.

        The input is not modified.
    """
    col = {c.name: c.display for c in RESULTS_CHAIN.columns}
    failures: list[dict] = []
    if chain.empty:
        return pd.DataFrame(failures, columns=FAILURE_COLUMNS)
    keys = _org_keys(chain)
    status = _status(chain)
    evidenced = _evidenced(chain)
    ids = _column(chain, "entry_id")
    owners: dict[int, set[str]] = {}
    for key, value in zip(keys, ids):
        if value is not None and not pd.isna(value):
            owners.setdefault(int(value), set()).add(key)
    for key, group in chain.groupby(keys, sort=False):
        levels: dict[int, str] = {}
        for index, row in group.iterrows():
            value = ids[index]
            if value is None or pd.isna(value):
                continue
            number = int(value)
            if number in levels:
                failures.append(_failure(row, col["entry_id"], number, "nr_dubblett",
                                         f"{key}: nr {number} finns på flera poster. Varje post behöver ett eget nr "
                                         "så att länkarna i 'leder till' pekar på rätt post.", Severity.ERROR))
            else:
                levels[number] = row["level"]
        for index, row in group.iterrows():
            own = ids[index]
            own_text = f"Post {int(own)}" if own is not None and not pd.isna(own) else f"Posten \"{_text(row['title'])}\""
            for target in _list(row.get("leads_to")):
                if target not in levels:
                    elsewhere = sorted(owners.get(target, set()) - {key})
                    where = (f" Nr {target} finns hos {', '.join(elsewhere)}: en länk kan bara peka på en post i samma "
                             "organisation.") if elsewhere else ""
                    failures.append(_failure(row, col["leads_to"], target, "länk_utan_mål",
                                             f"{key}: {own_text} leder till nr {target}, som inte finns bland "
                                             f"organisationens poster.{where}", Severity.ERROR))
                    continue
                here, there = row["level"], levels[target]
                if _ORDER.get(there, -1) <= _ORDER.get(here, -1):
                    where = "samma nivå" if there == here else "en lägre nivå"
                    failures.append(_failure(
                        row, col["leads_to"], target, "länk_bakåt",
                        f"{key}: {own_text} ({here}) leder till nr {target} ({there}), som ligger på {where}. "
                        f"En länk ska peka uppåt i resultatkedjan: {' → '.join(LEVELS)}.", Severity.ERROR))
            if row["level"] in OUTCOME_LEVELS and status[index] == ChainStatus.ACHIEVED and not evidenced[index]:
                failures.append(_failure(
                    row, col["evidence"], None, "utfall_utan_belägg",
                    f"{key}: \"{_text(row['title'])}\" anges som uppnått {row['level']} men saknar belägg. Fyll i "
                    f"'{col['evidence']}' (t.ex. en mätning eller uppföljning) eller '{col['indicator_id']}', eller "
                    f"markera posten som planerad. Utan belägg räknas utfallet inte som nått.", Severity.WARNING))
            if status[index] == ChainStatus.PLANNED and _text(row.get("attainment")) == Attainment.MET:
                failures.append(_failure(row, col["attainment"], Attainment.MET, "planerad_men_uppnådd",
                                         f"{key}: \"{_text(row['title'])}\" är planerad men har måluppfyllelsen "
                                         "uppnått. Ändra status till uppnådd eller ta bort måluppfyllelsen.",
                                         Severity.WARNING))
            if _text(row.get("indicator_org")) and not _text(row.get("indicator_id")):
                failures.append(_failure(row, col["indicator_org"], _text(row.get("indicator_org")), "indikator_utan_id",
                                         f"{key}: \"{_text(row['title'])}\" anger indikatorns organisation men ingen "
                                         "indikator.", Severity.WARNING))
    out = pd.DataFrame(failures, columns=FAILURE_COLUMNS)
    out["row"] = out["row"].astype("Int64")
    return out


# --------------------------------------------------------------------------- overview


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " och " + items[-1]


def _quoted(titles: list[str]) -> str:
    return _join([f"\"{t}\"" for t in titles])


def results_chain_overview(chain: pd.DataFrame, organisation: object, source: str | None = None) -> ResultsChainOverview:
    """Summarise one organisation's results chain as a plan and as a follow-up.

    Parameters
    ----------
    chain
        Validated results-chain rows (any number of organisations).
    organisation
        A municipality code (``"1780"``), a name (``"Destination Eskilstuna AB"``) or
        ``"Överordnad / Namn"``; see :func:`select_organisation`.
    source
        Where ``chain`` was read from, for the message when a municipality or region has no chain.

    Returns
    -------
    ResultsChainOverview

    Raises
    ------
    NoDataError
        When a valid municipality or region code has no results chain (see :func:`select_organisation`).
    ParameterError
        When no (or more than one) organisation matches; the message lists those in the table.
    """
    rows = select_organisation(chain, organisation, source)
    first = rows.iloc[0]
    code = _text(first.get("org_code"))
    name = _text(first["org_name"]) or (municipality_name(code) if code else "") or code
    parent = _text(first.get("parent"))
    rows = rows.assign(_order=rows["level"].map(_ORDER), _status=_status(rows), _evidenced=_evidenced(rows),
                       _id=pd.to_numeric(_column(rows, "entry_id"), errors="coerce"))
    rows = rows.sort_values(["_order", "date", "_id", "title"], kind="stable", na_position="last")
    achieved = rows["_status"] == ChainStatus.ACHIEVED
    planned = ~achieved
    unsupported = achieved & rows["level"].isin(OUTCOME_LEVELS) & ~rows["_evidenced"]
    reached = achieved & ~unsupported

    levels = pd.DataFrame({
        "Steg": list(LEVELS),
        "Uppnådda": [int((achieved & (rows["level"] == level)).sum()) for level in LEVELS],
        "Planerade": [int((planned & (rows["level"] == level)).sum()) for level in LEVELS],
    })
    levels["Antal"] = levels["Uppnådda"] + levels["Planerade"]

    ids = _column(rows, "entry_id")
    nodes = pd.DataFrame({
        "node": [f"n{int(v)}" if v is not None and not pd.isna(v) else f"r{i}" for i, v in enumerate(ids)],
        "entry_id": [None if v is None or pd.isna(v) else int(v) for v in ids],
        "level": rows["level"].to_numpy(),
        "level_index": rows["_order"].astype(int).to_numpy(),
        "status": rows["_status"].to_numpy(),
        "attainment": _column(rows, "attainment").map(_text).to_numpy(),
        "title": rows["title"].map(_text).to_numpy(),
        "description": _column(rows, "description").map(_text).to_numpy(),
        "evidenced": rows["_evidenced"].to_numpy(),
        "indicator_id": _column(rows, "indicator_id").map(_text).to_numpy(),
        "indicator_org": _column(rows, "indicator_org").map(_text).to_numpy(),
    })
    by_id = {int(e): (node, level, status) for e, node, level, status in
             zip(nodes["entry_id"], nodes["node"], nodes["level_index"], nodes["status"]) if e is not None}
    link_rows = []
    for node, level, status, targets in zip(nodes["node"], nodes["level_index"], nodes["status"],
                                            _column(rows, "leads_to")):
        for target in _list(targets):
            if target in by_id and by_id[target][1] > level:
                link_rows.append({"source": node, "target": by_id[target][0],
                                  "planned": status == ChainStatus.PLANNED or by_id[target][2] == ChainStatus.PLANNED})
    links = pd.DataFrame(link_rows, columns=["source", "target", "planned"])

    entries = pd.DataFrame({
        "Nr": ["" if e is None else str(e) for e in nodes["entry_id"]],
        "Steg": rows["level"].to_numpy(),
        "Status": rows["_status"].to_numpy(),
        "Datum": rows["date"].astype(str).to_numpy(),
        "Rubrik": nodes["title"].to_numpy(),
        "Beskrivning": [" ".join(part for part in (d, f"Belägg: {e}" if e else "") if part)
                        for d, e in zip(nodes["description"], _column(rows, "evidence").map(_text))],
        "Måluppfyllelse": nodes["attainment"].to_numpy(),
        "Leder till": [", ".join(str(t) for t in _list(v)) for v in _column(rows, "leads_to")],
        "Jämställdhetsmål": [", ".join(str(g) for g in _list(v)) for v in _column(rows, "goals")],
        "Checklistmoment": [", ".join(str(m) for m in _list(v)) for v in _column(rows, "moments")],
        "Indikator": [f"{i} ({o})" if i and o else i for i, o in zip(nodes["indicator_id"], nodes["indicator_org"])],
    })
    optional = ["Nr", "Beskrivning", "Måluppfyllelse", "Leder till", "Jämställdhetsmål", "Checklistmoment", "Indikator"]
    entries = entries.drop(columns=[c for c in optional if (entries[c] == "").all()])

    moment_counts: dict[int, int] = {}
    for value in _column(rows, "moments"):
        for moment in _list(value):
            moment_counts[moment] = moment_counts.get(moment, 0) + 1
    moments = pd.DataFrame({"Moment": [f"{m}. {MOMENTS[m]}" for m in sorted(moment_counts)],
                            "Antal poster": [moment_counts[m] for m in sorted(moment_counts)]})
    goal_counts: dict[int, int] = {}
    for value in _column(rows, "goals"):
        for goal in _list(value):
            goal_counts[goal] = goal_counts.get(goal, 0) + 1
    goals = pd.DataFrame({"Jämställdhetspolitiskt mål": [f"{g}. {GOALS[g]}" for g in sorted(goal_counts)],
                          "Antal poster": [goal_counts[g] for g in sorted(goal_counts)]})
    with_indicator = nodes[nodes["indicator_id"] != ""]
    indicators = pd.DataFrame({"indicator_id": with_indicator["indicator_id"].to_numpy(),
                               "indicator_org": [o or code or name for o in with_indicator["indicator_org"]],
                               "title": with_indicator["title"].to_numpy()})

    sentences = _sentences(name, rows, achieved, planned, unsupported, reached, nodes, links)
    failures = check_results_chain(chain)
    if "source_row" in rows.columns and "source_file" in rows.columns:
        own = set(zip(rows["source_file"], rows["source_row"].astype(int)))
        mine = pd.Series([(f, r) in own for f, r in zip(failures["file"], failures["row"])], index=failures.index,
                         dtype=bool)
    else:
        key = _org_keys(rows).iloc[0]
        mine = failures["message"].str.startswith(f"{key}:")
    return ResultsChainOverview(code, name, parent, levels, entries, moments, sentences, nodes, links, goals,
                                indicators, failures[mine].reset_index(drop=True))


def _sentences(name: str, rows: pd.DataFrame, achieved: pd.Series, planned: pd.Series, unsupported: pd.Series,
               reached: pd.Series, nodes: pd.DataFrame, links: pd.DataFrame) -> list[str]:
    n_achieved, n_planned = int(achieved.sum()), int(planned.sum())
    entries = f"{len(rows)} {'post' if len(rows) == 1 else 'poster'}"
    if n_planned:
        sentences = [f"{name} har {entries} i resultatkedjan: {n_achieved} "
                     f"{'uppnådd' if n_achieved == 1 else 'uppnådda'} och {n_planned} "
                     f"{'planerad' if n_planned == 1 else 'planerade'}."]
    else:
        sentences = [f"{name} har {entries} i resultatkedjan, {'uppnådd' if len(rows) == 1 else 'alla uppnådda'}."]
    if reached.any():
        highest = int(rows.loc[reached, "_order"].max())
        sentences.append(f"Den högsta nivån som nåtts är \"{LEVELS[highest]}\" (steg {highest + 1} av {len(LEVELS)})"
                         + (", med belägg." if LEVELS[highest] in OUTCOME_LEVELS else "."))
        missing = [level for level in LEVELS[:highest] if not ((rows["level"] == level) & reached).any()]
        if missing:
            sentences.append("Inga uppnådda poster finns för: " + ", ".join(missing) + ".")
    else:
        highest = -1
        sentences.append("Inget steg i resultatkedjan är uppnått ännu.")
    if unsupported.any():
        titles = list(rows.loc[unsupported, "title"].map(_text))
        sentences.append(f"{len(titles)} {'post anger' if len(titles) == 1 else 'poster anger'} ett uppnått utfall utan "
                         f"belägg och räknas inte som nådda: {_quoted(titles)}.")
    if highest < LEVELS.index("nytt/ändrat utfall"):
        sentences.append("Inget nytt eller ändrat utfall för kvinnor och män är belagt ännu.")
    if planned.any():
        top = int(rows.loc[planned, "_order"].max())
        titles = list(rows.loc[planned & (rows["_order"] == top), "title"].map(_text))
        sentences.append(f"Planerat högst upp i kedjan ({LEVELS[top]}): {_quoted(titles)}.")
    attainment = _column(rows, "attainment").map(_text)
    counts = [(int((attainment == a).sum()), str(a)) for a in Attainment]
    if any(n for n, _ in counts):
        sentences.append("Måluppfyllelse: " + _join([f"{n} {a}" for n, a in counts if n]) + ".")
    if not links.empty:
        led_to = set(links["target"])
        leading = set(links["source"])
        orphans = nodes[nodes["level"].isin(OUTCOME_LEVELS) & ~nodes["node"].isin(led_to)]
        if len(orphans):
            sentences.append(f"Inget i kedjan leder till {'utfallet' if len(orphans) == 1 else 'utfallen'} "
                             f"{_quoted(list(orphans['title']))}.")
        top_level = int(nodes["level_index"].max())
        dead_ends = nodes[(nodes["level_index"] < top_level) & ~nodes["node"].isin(leading)]
        if len(dead_ends):
            sentences.append(f"Leder inte vidare till något annat steg: {_quoted(list(dead_ends['title']))}.")
    goal_numbers = sorted({g for value in _column(rows, "goals") for g in _list(value)})
    if goal_numbers:
        sentences.append("Arbetet knyter an till de jämställdhetspolitiska målen "
                         + _join([f"{g}. {GOALS[g]}" for g in goal_numbers]) + ".")
    return sentences
