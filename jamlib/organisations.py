"""Organisations: municipalities, regions and the committees, companies and units inside them.

Municipality and region codes come from the bundled Kolada snapshot.

Codes are 4-digit strings: ``"0180"`` is Stockholm, ``"1780"`` Karlstad,
``"0000"`` Riket and ``"0001"``-``"0025"`` the regions. Excel and papermill
often turn ``"0180"`` into the number 180; :func:`normalise_code` recognises
that and says so, instead of silently analysing another municipality.

Committees (nämnder), companies (bolag), schools and units have no Kolada code.
:func:`organisation_table` gives every organisation an id: its Kolada code where
it has one, otherwise a stable slug of its name (``"Kfast AB"`` -> ``"kfast-ab"``),
so that own statistics are keyed the same way as Kolada's. Users name an
organisation by code or by name as written in their data
(:func:`resolve_organisation`); a name that fits several is refused with the
candidates listed.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

from jamlib.errors import ParameterError
from jamlib.formatting import split_list
from jamlib.vocabulary import CodeProblem, OrganisationType

__all__ = ["municipalities", "municipality_name", "normalise_code", "CodeCheck", "check_municipality_code",
           "check_code_list", "municipality_groups", "Organisation", "organisation_table", "organisation_id",
           "resolve_organisation", "with_organisation_ids", "ORGANISATION_COLUMNS"]


@lru_cache(maxsize=1)
def _registry() -> dict[str, tuple[str, str]]:
    text = resources.files("jamlib").joinpath("_data/municipality.json").read_text(encoding="utf-8")
    return {row["id"]: (row["title"], row["type"]) for row in json.loads(text)["values"]}


def municipalities() -> pd.DataFrame:
    """Return every municipality (type ``K``), region and Riket (type ``L``).

    Returns
    -------
    pandas.DataFrame
        Columns ``code``, ``name``, ``type``; a new frame on every call.
    """
    rows = [(code, name, kind) for code, (name, kind) in sorted(_registry().items())]
    return pd.DataFrame(rows, columns=["code", "name", "type"])


def municipality_name(code: str) -> str | None:
    """Return the name for a 4-digit code, or ``None`` when it is unknown."""
    entry = _registry().get(code)
    return entry[0] if entry else None


@dataclass(frozen=True)
class CodeCheck:
    """Result of checking one code.

    Attributes
    ----------
    code
        The 4-digit code when it could be determined, else ``None``.
    problem
        ``None`` when the code is a known code as given; ``CodeProblem.LEADING_ZERO`` when
        the input lost its leading zero (``180`` for ``0180``); ``CodeProblem.UNKNOWN`` when
        it is no Swedish municipality or region; ``CodeProblem.MALFORMED`` when it is not a
        code at all.
    message
        A Swedish explanation for the user (empty when there is no problem).
    """

    code: str | None
    problem: CodeProblem | None
    message: str


def normalise_code(value: object) -> CodeCheck:
    """Check a municipality or region code and explain what is wrong with it.

    Parameters
    ----------
    value
        A code as it came from a file or a parameter: ``"0180"``, ``180``,
        ``"180"``, ``180.0`` or ``"1780"``.

    Returns
    -------
    CodeCheck
        The 4-digit code where it can be determined, and a description of the
        problem, if any. The code is never silently changed: a lost leading zero
        is reported as ``CodeProblem.LEADING_ZERO`` together with the code it probably meant.
    """
    registry = _registry()
    if isinstance(value, bool) or value is None:
        return CodeCheck(None, CodeProblem.MALFORMED, f"'{value}' är ingen kommunkod.")
    if isinstance(value, float):
        if not value.is_integer():
            return CodeCheck(None, CodeProblem.MALFORMED, f"'{value}' är ingen kommunkod (koder har fyra siffror, t.ex. 0180).")
        value = int(value)
    text = str(value).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    if not text.isdigit():
        return CodeCheck(None, CodeProblem.MALFORMED, f"'{text}' är ingen kommunkod (koder har fyra siffror, t.ex. 0180).")
    if len(text) == 4:
        if text in registry:
            return CodeCheck(text, None, "")
        return CodeCheck(None, CodeProblem.UNKNOWN, f"'{text}' är inte koden för någon svensk kommun eller region.")
    if len(text) < 4:
        padded = text.zfill(4)
        if padded in registry:
            name = registry[padded][0]
            return CodeCheck(
                padded,
                CodeProblem.LEADING_ZERO,
                f"Koden '{text}' har tappat sin inledande nolla: menade du '{padded}' ({name})? "
                "Kommunkoder har alltid fyra siffror. Spara kolumnen som text i Excel så att nollan finns kvar.",
            )
        return CodeCheck(None, CodeProblem.UNKNOWN, f"'{text}' är inte koden för någon svensk kommun eller region (koder har fyra siffror).")
    return CodeCheck(None, CodeProblem.MALFORMED, f"'{text}' är ingen kommunkod (koder har fyra siffror, t.ex. 0180).")


def _octal_reading(value: int) -> str | None:
    """The code a YAML 1.1 reader would have turned into ``value`` (``0114`` -> 76), if valid."""
    text = "0" + format(value, "o")
    if len(text) == 4 and municipality_name(text) is not None:
        return text
    return None


def check_municipality_code(value: object, parameter: str = "kommunkod") -> str:
    """Return a valid 4-digit code for ``value`` or raise a Swedish :class:`ParameterError`.

    Parameters
    ----------
    value
        What the notebook received: ``"0180"``, ``180`` (repaired), ``"180"``
        (repaired), ``76`` (refused: possibly YAML's octal reading of ``0114``).
    parameter
        The parameter's name, for the message.

    Returns
    -------
    str
        The code, e.g. ``"0180"``.
    """
    if isinstance(value, bool) or value is None:
        raise ParameterError(f"Parametern {parameter} saknar en kommunkod (fick {value!r}).")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    octal = _octal_reading(value) if isinstance(value, int) and value >= 0 else None
    check = normalise_code(value)
    plain = check.code if check.code is not None and check.problem in (None, CodeProblem.LEADING_ZERO) else None
    if octal and plain and octal != plain:
        raise ParameterError(
            f"Parametern {parameter} = {value} är tvetydig: det kan vara {plain} ({municipality_name(plain)}) "
            f"eller {octal} ({municipality_name(octal)}) som en YAML-fil läst som ett oktalt tal. "
            f"Skriv koden inom citattecken, t.ex. {parameter}: \"{octal}\".")
    if plain:
        return plain
    if octal:
        raise ParameterError(
            f"Parametern {parameter} = {value} är ingen kommunkod. Troligen stod det {octal} "
            f"({municipality_name(octal)}) i en YAML-fil, som läser tal med inledande nolla som oktala tal. "
            f"Skriv koden inom citattecken: {parameter}: \"{octal}\".")
    raise ParameterError(f"Parametern {parameter}: {check.message or f'{value!r} är ingen kommunkod.'}")


def check_code_list(value: object, parameter: str = "kommuner") -> list[str]:
    """Check a list of codes (a list, or a comma-separated text); see :func:`check_municipality_code`."""
    items: list[object] = split_list(value) if isinstance(value, (str, list, tuple)) else [value]
    return [check_municipality_code(item, parameter) for item in items]


@lru_cache(maxsize=4)
def _groups_text(path: str | None) -> str:
    if path is None:
        return resources.files("jamlib").joinpath("_data/municipality_groups.json").read_text(encoding="utf-8")
    return Path(path).read_text(encoding="utf-8")


def municipality_groups(path: str | Path | None = None) -> pd.DataFrame:
    """Kolada's municipality groups with their members.

    Parameters
    ----------
    path
        A ``municipality_groups.json`` in Kolada's v3 shape; default the copy
        bundled with jamlib.

    Returns
    -------
    pandas.DataFrame
        One row per group and member: ``group_id``, ``group_title``,
        ``member_code``, ``member_name``.
    """
    document = json.loads(_groups_text(None if path is None else str(path)))
    rows = [(g["id"], g["title"], m["id"], m.get("title")) for g in document.get("values", []) for m in g.get("members", [])]
    return pd.DataFrame(rows, columns=["group_id", "group_title", "member_code", "member_name"])


#: Columns of the organisation table.
ORGANISATION_COLUMNS = ["id", "name", "type", "parent", "kolada_code"]


@dataclass(frozen=True)
class Organisation:
    """One organisation.

    Attributes
    ----------
    id
        The Kolada code (``"1780"``) or a slug of the name (``"kfast-ab"``).
    name
        The name as users write it.
    type
        :class:`~jamlib.vocabulary.OrganisationType`.
    parent
        The id of the organisation it belongs to, or ``None``.
    kolada_code
        The Kolada code, or ``None`` for organisations Kolada does not know.
    """

    id: str
    name: str
    type: OrganisationType
    parent: str | None = None
    kolada_code: str | None = None

    @property
    def is_kolada(self) -> bool:
        """Whether Kolada publishes values for it (a municipality, a region or Riket)."""
        return self.kolada_code is not None


def organisation_id(name: str) -> str:
    """The stable id of an organisation without a Kolada code: a slug of its name.

    Letters are lower-cased, å, ä, ö become a, a, o, everything else that is not a letter
    or digit becomes ``-``: ``"Vård- och omsorgsnämnden"`` -> ``"vard-och-omsorgsnamnden"``.
    """
    text = unicodedata.normalize("NFKD", str(name).strip().lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "organisation"


def _kolada_rows() -> list[dict]:
    rows = []
    for code, (name, kind) in sorted(_registry().items()):
        kind_name = (OrganisationType.COUNTRY if code == "0000" else
                     OrganisationType.MUNICIPALITY if kind == "K" else OrganisationType.REGION)
        rows.append({"id": code, "name": name, "type": kind_name, "parent": None, "kolada_code": code})
    return rows


def organisation_table(data: pd.DataFrame | None = None, own: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every organisation that can be reported on.

    Parameters
    ----------
    data
        Validated rows of any table with ``org_code`` and/or ``org_name``: every organisation named
        there without a Kolada code is added (type "annan" unless ``own`` says otherwise).
    own
        The user's own organisation table (``id`` optional, ``name``, ``type``, ``parent``,
        ``kolada_code`` optional), e.g. Kfast AB, a company of Eskilstuna kommun.

    Returns
    -------
    pandas.DataFrame
        :data:`ORGANISATION_COLUMNS`, one row per id: Kolada's municipalities, regions and Riket,
        then the user's own organisations.
    """
    rows = {row["id"]: row for row in _kolada_rows()}
    if own is not None and not own.empty:
        for record in own.to_dict("records"):
            name = _text(record.get("name"))
            if not name:
                continue
            code = _text(record.get("kolada_code"))
            ident = _text(record.get("id")) or code or organisation_id(name)
            kind = _text(record.get("type"))
            parent = _text(record.get("parent"))
            rows[ident] = {"id": ident, "name": name,
                           "type": OrganisationType(kind) if kind in set(OrganisationType) else OrganisationType.OTHER,
                           "parent": _parent_id(parent, rows) if parent else None, "kolada_code": code}
    if data is not None and not data.empty and "org_code" in data.columns:
        # Kolada's units (care homes, schools): a code Kolada's municipality list does not hold, with a name
        known = data["org_code"].notna() & ~data["org_code"].isin(list(rows))
        if known.any():
            columns = [c for c in ("org_code", "org_name", "parent_code") if c in data.columns]
            for record in data.loc[known, columns].drop_duplicates("org_code").to_dict("records"):
                ident = str(record["org_code"])
                parent = _text(record.get("parent_code"))
                rows[ident] = {"id": ident, "name": _text(record.get("org_name")) or ident,
                               "type": OrganisationType.UNIT, "parent": parent, "kolada_code": None}
    if data is not None and not data.empty and "org_name" in data.columns:
        codes = data["org_code"] if "org_code" in data.columns else pd.Series(None, index=data.index, dtype=object)
        names = data.loc[codes.isna() & data["org_name"].notna(), "org_name"].astype(str).str.strip()
        named = {_name_key(row["name"]) for row in rows.values() if row["kolada_code"] is None}
        for name in dict.fromkeys(names):
            ident = organisation_id(name)
            if ident not in rows and name and _name_key(name) not in named:
                rows[ident] = {"id": ident, "name": name, "type": OrganisationType.OTHER, "parent": None,
                               "kolada_code": None}
    return pd.DataFrame(list(rows.values()), columns=ORGANISATION_COLUMNS)


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    text = str(value).strip()
    return text or None


def _parent_id(parent: str, rows: dict[str, dict]) -> str:
    if parent in rows:
        return parent
    check = normalise_code(parent)
    if check.code is not None and check.problem in (None, CodeProblem.LEADING_ZERO):
        return check.code
    for ident, row in rows.items():
        if _name_key(row["name"]) == _name_key(parent):
            return ident
    return organisation_id(parent)


def _name_key(name: str) -> str:
    """A name as compared: case and spacing ignored, "kommun"/"region"/"s kommun" endings dropped."""
    text = " ".join(str(name).lower().split())
    return re.sub(r"(s)? (kommun|region|landsting)$", "", text)


def resolve_organisation(value: object, table: pd.DataFrame | None = None,
                         parameter: str = "organisation") -> Organisation:
    """The organisation a user meant by a code, an id or a name.

    Parameters
    ----------
    value
        ``"1780"``, ``1780``, ``"180"`` (repaired to ``"0180"``), ``"kfast-ab"``, ``"Kfast AB"``,
        ``"Karlstads kommun"`` or ``"Socialnämnden Eskilstuna"``.
    table
        :func:`organisation_table` (default: Kolada's municipalities and regions only).
    parameter
        The parameter's name, for messages.

    Returns
    -------
    Organisation

    Raises
    ------
    ParameterError
        When nothing fits (naming close candidates) or several organisations fit (listing them).
    """
    table = organisation_table() if table is None else table
    by_id = table.set_index("id", drop=False)
    text = str(value).strip() if value is not None else ""
    if isinstance(value, (int, float)) or text.isdigit():
        return _organisation(by_id.loc[check_municipality_code(value, parameter)])
    if text in by_id.index:
        return _organisation(by_id.loc[text])
    key = _name_key(text)
    hits = table[table["name"].map(_name_key) == key]
    if hits.empty:
        hits = table[table["id"] == organisation_id(text)]
    if hits.empty:  # "Socialnämnden Eskilstuna": a name followed by its parent's name
        parents = table.set_index("id")["name"].to_dict()
        full = table["name"].map(_name_key) + " " + table["parent"].map(lambda p: _name_key(parents.get(p, p or "")))
        hits = table[full.str.strip() == key]
    if len(hits) == 1:
        return _organisation(hits.iloc[0])
    if len(hits) > 1:
        names = "; ".join(f"{r['name']} ({r['id']}{', ' + str(r['parent']) if r['parent'] else ''})"
                          for _, r in hits.iterrows())
        raise ParameterError(f"{parameter} {text!r} passar flera organisationer: {names}. Ange id:t i stället.")
    close = [n for n in table["name"] if key and key[:4] in _name_key(n)][:5]
    hint = f" Menade du {', '.join(close)}?" if close else ""
    raise ParameterError(f"{parameter} {text!r} är ingen känd kommun, region eller organisation i data.{hint}")


def _organisation(row: pd.Series) -> Organisation:
    return Organisation(str(row["id"]), str(row["name"]), OrganisationType(row["type"]), _text(row["parent"]),
                        _text(row["kolada_code"]))


def with_organisation_ids(frame: pd.DataFrame, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """``frame`` where rows without a Kolada code get their organisation's id in ``org_code``.

    A name found in ``table`` (:func:`organisation_table`) gets that organisation's id, so own statistics
    for "Kfast AB (Eskilstuna Kommunfastigheter AB)" are keyed ``"kfast-ab"`` as the user's organisation
    file says; other names get :func:`organisation_id`. The name stays in ``org_name``. A new frame when
    anything changes; the input itself when every row already has a code.
    """
    if "org_name" not in frame.columns:
        return frame.copy()
    codes = frame["org_code"] if "org_code" in frame.columns else pd.Series(None, index=frame.index, dtype=object)
    missing = codes.isna() & frame["org_name"].notna()
    if not missing.any():
        return frame
    known: dict[str, str] = {}
    if table is not None:
        own = table[table["kolada_code"].isna()]
        known = dict(zip(own["name"].map(_name_key), own["id"]))
    out = frame.copy()
    ids = out.loc[missing, "org_name"].map(lambda name: known.get(_name_key(name)) or organisation_id(name))
    out["org_code"] = codes.astype(object).where(~missing, ids)
    return out
