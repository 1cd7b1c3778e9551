"""A client for Kolada's API v3: KPIs, KPI groups, municipalities, units and their values, with a local cache.

Every response is kept under the cache folder (default ``data/raw/kolada/``)
in exactly the shape of the bundled snapshot, so a fetched set loads through
:func:`jamlib.report.indicator_report.load_indicator_folder` like the snapshot does,
can be committed and shared, and is re-used offline: fetching the same query
again reads the cache unless ``refresh=True``.

Robustness and safety (see :mod:`jamlib.ingest.kolada_http` for the transport):

* faults are retried a bounded number of times within a whole-request deadline,
  and no contact at all is reported at once as "Ingen kontakt med internet";
* a cache file is written (atomically) only after the whole answer has been
  checked: every page arrived, the count agrees, every record has Kolada's shape
  and concerns what was asked. A bad answer is never stored, so it cannot poison
  a later run; a damaged cache file is fetched again;
* ids, codes and dates are checked before they reach a URL or a file name, and
  every cache file name is checked to stay inside the cache folder (no ``..``,
  no path separators, no Windows device names such as ``con`` or ``nul``);
* offline, :meth:`KoladaClient.kpis` searches the bundled KPI metadata
  (``kpi_gender_split.json`` and ``kpi.json``) and says so in :attr:`KoladaClient.notices`.

Unit-level data (``/v3/oudata``) are cached as ``oudata_<KPI>_….json`` in the shape
of a municipality data file, with the unit id in ``municipality`` (the field a
loader reads as the organisation code) and, in each record, the unit's name
(``ou_title``) and parent municipality (``ou_municipality``).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from jamlib.errors import JamlibError, KoladaError, ParameterError
from jamlib.files import atomic_write, inside
from jamlib.ingest.kolada_http import BUNDLED_KPIS, DEFAULT_BASE_URL, BadAnswer, KoladaHTTP, KoladaOfflineError

__all__ = ["KoladaClient", "KoladaError", "KoladaOfflineError", "FetchResult", "DEFAULT_BASE_URL", "parse_years",
           "GENDER_SPLIT_FILE", "BUNDLED_KPIS"]


#: Kolada accepts at most this many ids in one path segment.
MAX_IDS_PER_SEGMENT = 25

#: Largest page Kolada serves.
PER_PAGE = 5000

#: Metadata of every gender-split KPI, bundled beside the snapshot (searched offline).
GENDER_SPLIT_FILE = "kpi_gender_split.json"

#: The snapshot folder of a source checkout (looked in when the cache folder lacks the metadata).
_SNAPSHOT_DIR = Path(__file__).resolve().parents[2] / "data" / "raw" / "kolada"

_KPI_ID = re.compile(r"[A-Za-z]\d{5}")
_ORG_ID = re.compile(r"\d{4}|G\d{1,12}")
_MUNICIPALITY = re.compile(r"\d{4}")
_UNIT_ID = re.compile(r"[A-Za-z0-9]{1,40}")
_UNIT_TYPE = re.compile(r"[A-Za-z0-9]{1,12}")
_GROUP_ID = re.compile(r"[A-Za-z0-9_-]{1,40}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CACHE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,150}\.json")
_WINDOWS_DEVICES = frozenset({"con", "prn", "aux", "nul", "conin$", "conout$", "clock$",
                              *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))})
_SEXES = {"K", "M", "T"}
_ID_PATTERN = re.compile(r"[A-Za-z0-9_.-]{1,60}")


@dataclass
class FetchResult:
    """What :meth:`KoladaClient.values` or :meth:`KoladaClient.unit_values` fetched.

    Attributes
    ----------
    data
        Validated indicator rows (KPI title, unit and polarity filled in). For unit
        data also ``parent_code`` and ``parent_name`` (the unit's municipality).
    files
        Cache files written or read, one per KPI.
    warnings
        Swedish messages: requested ids without values, unknown polarity, deleted values.
    from_cache
        Whether every file came from the cache.
    """

    data: pd.DataFrame
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    from_cache: bool = False


def parse_years(text: str | Iterable[int] | None) -> list[int] | None:
    """Turn ``"2015-2022"``, ``"2018,2020"`` or a list into a list of years.

    Raises
    ------
    JamlibError
        When a year is not a four-digit number.
    """
    if text is None:
        return None
    if not isinstance(text, str):
        years = sorted({int(y) for y in text})
        if any(not 1000 <= y <= 9999 for y in years):
            raise ParameterError(f"Åren {years} förstås inte; ett år har fyra siffror, t.ex. 2022.")
        return years
    years: list[int] = []
    for part in text.replace("–", "-").split(","):
        part = part.strip()
        if not part:
            continue
        bounds = part.split("-")
        if not all(b.strip().isdigit() and len(b.strip()) == 4 for b in bounds) or len(bounds) > 2:
            raise ParameterError(f"Året \"{part[:40]}\" förstås inte. Skriv t.ex. 2015-2022 eller 2018,2020.")
        start, end = int(bounds[0]), int(bounds[-1])
        if end < start:
            raise ParameterError(f"Årsintervallet \"{part}\" går baklänges.")
        years.extend(range(start, end + 1))
    return sorted(set(years))


def _chunks(ids: list[str], size: int = MAX_IDS_PER_SEGMENT) -> list[list[str]]:
    return [ids[i:i + size] for i in range(0, len(ids), size)] or [[]]


def _shown(value: object) -> str:
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _checked_ids(values: Iterable[object] | None, pattern: re.Pattern, what: str, example: str,
                 upper: bool = False) -> list[str]:
    """Ids from the user, each matching ``pattern``; anything that could reach a path or URL is refused."""
    out: list[str] = []
    for value in values or []:
        text = str(value).strip()
        if not text:
            continue
        if not pattern.fullmatch(text) or text.lower() in _WINDOWS_DEVICES:
            hint = ""
            if pattern is _ORG_ID and text.isdigit() and len(text) < 4:
                hint = f" Koder har fyra siffror: menade du {text.zfill(4)}?"
            raise ParameterError(f"{what} {_shown(text)} förstås inte; skriv t.ex. {example}.{hint}")
        out.append(text.upper() if upper else text)
    return list(dict.fromkeys(out))


def _checked_date(text: str | None) -> str | None:
    if text is None:
        return None
    text = str(text).strip()
    try:
        if not _DATE.fullmatch(text):
            raise ValueError
        _dt.date.fromisoformat(text)
    except ValueError:
        raise ParameterError(f"Datumet {_shown(text)} förstås inte; skriv ÅÅÅÅ-MM-DD, t.ex. 2024-01-31.") from None
    return text


def _short_hash(values: Iterable[str]) -> str:
    return hashlib.sha1(",".join(sorted(values)).encode()).hexdigest()[:10]


# -- checks of Kolada's answers (raise BadAnswer: the page is retried, never stored) --------------
def _check_metadata(document: dict) -> None:
    for value in document["values"]:
        ident = value.get("id")
        if not isinstance(ident, str) or not 0 < len(ident) <= 100 or any(ord(ch) < 32 for ch in ident):
            raise BadAnswer(f"en post i svaret har inget giltigt id ({_shown(value.get('id'))})")
        if "title" in value and not isinstance(value["title"], (str, type(None))):
            raise BadAnswer(f"posten {value['id']} har en titel som inte är text")


def _check_units(document: dict) -> None:
    _check_metadata(document)
    for value in document["values"]:
        if not _UNIT_ID.fullmatch(value["id"]) or not isinstance(value.get("municipality"), (str, type(None))):
            raise BadAnswer(f"enheten {_shown(value['id'])} har inte Koladas form (id, title, municipality)")


def _check_groups(document: dict) -> None:
    _check_metadata(document)
    for group in document["values"]:
        members = group.get("members")
        if not isinstance(members, list) or not all(isinstance(m, dict) and isinstance(m.get("member_id", m.get("id")), str)
                                                    for m in members):
            raise BadAnswer(f"gruppen {group['id']} har ingen lista 'members' med id:n")


def _data_check(kpis: list[str], key: str, ids: list[str], years: list[int] | None) -> Callable[[dict], None]:
    """A check that every record has Kolada's data shape and concerns what was asked."""
    wanted_kpis, wanted_ids, wanted_years = set(kpis), set(ids), set(years or [])

    def check(document: dict) -> None:
        for number, record in enumerate(document["values"], start=1):
            where = f"post {number}"
            kpi, org, period = record.get("kpi"), record.get(key), record.get("period")
            if not isinstance(kpi, str) or kpi.upper() not in wanted_kpis:
                raise BadAnswer(f"{where} gäller nyckeltalet {_shown(kpi)}, som inte efterfrågades")
            if not isinstance(org, str) or not _ID_PATTERN.fullmatch(org) or (wanted_ids and org not in wanted_ids):
                raise BadAnswer(f"{where} gäller {key} {_shown(org)}, som inte efterfrågades")
            year = str(period)[:4] if isinstance(period, (int, str)) and not isinstance(period, bool) else ""
            if not year.isdigit() or (wanted_years and int(year) not in wanted_years):
                raise BadAnswer(f"{where} har perioden {_shown(period)}, som inte efterfrågades")
            entries = record.get("values")
            if not isinstance(entries, list):
                raise BadAnswer(f"{where} saknar listan 'values'")
            for entry in entries:
                if not isinstance(entry, dict) or entry.get("gender") not in _SEXES:
                    raise BadAnswer(f"{where} har ett värde utan kön K, M eller T")
                value = entry.get("value")
                if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
                    raise BadAnswer(f"{where} har värdet {_shown(value)}, som inte är ett tal")

    return check


def _members(group: dict) -> list[dict]:
    """Group members in the snapshot's shape ``{"id", "title"}`` (v3 also writes ``member_id``/``member_title``)."""
    return [{"id": m.get("member_id", m.get("id")), "title": m.get("member_title", m.get("title"))}
            for m in group.get("members") or []]


def _words_match(text: pd.Series, words: str | None) -> pd.Series:
    mask = pd.Series(True, index=text.index)
    for word in (words or "").lower().split():
        mask &= text.str.lower().str.contains(word, regex=False)
    return mask


class KoladaClient(KoladaHTTP):
    """Client for Kolada's API v3.

    Parameters
    ----------
    base_url
        API root, default ``https://api.kolada.se/v3`` (tests use a local server).
    cache_dir
        Where responses are kept, default ``data/raw/kolada``.
    timeout
        Seconds to wait for the server at any one moment.
    retries
        How many times a transient fault (429, 5xx, timeout, broken answer) is retried.
    backoff
        First wait in seconds; doubled for every retry (unless ``Retry-After`` says otherwise).
    progress
        Called with a Swedish line for every page fetched and every retry (e.g. ``print``).
    sleep
        The waiting function (replaced in tests).
    deadline
        Seconds one request may take in all (pages, retries, waits).
    max_retry_after
        Longest ``Retry-After`` honoured, in seconds.
    max_pages
        Most pages followed for one request.
    clock
        Monotonic time (replaced in tests together with ``sleep``).

    Attributes
    ----------
    notices
        Swedish notes for the user, e.g. that a search fell back to the bundled metadata.
    """

    def __init__(self, base_url: str = DEFAULT_BASE_URL, cache_dir: str | Path = "data/raw/kolada",
                 timeout: float = 30.0, retries: int = 5, backoff: float = 1.0,
                 progress: Callable[[str], None] | None = None, sleep: Callable[[float], None] = time.sleep,
                 deadline: float = 300.0, max_retry_after: float = 60.0, max_pages: int = 200,
                 clock: Callable[[], float] = time.monotonic):
        parts = urllib.parse.urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.query:
            raise ParameterError(f"Koladas adress {_shown(base_url)} förstås inte; skriv t.ex. {DEFAULT_BASE_URL}.")
        self.base_url = base_url.rstrip("/")
        self.cache_dir = Path(cache_dir)
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.progress = progress or (lambda line: None)
        self.sleep = sleep
        self.deadline = deadline
        self.max_retry_after = max_retry_after
        self.max_pages = max_pages
        self.clock = clock
        self.notices: list[str] = []

    def _url(self, path: str, params: dict | None = None) -> str:
        segments = "/".join(urllib.parse.quote(s, safe=",") for s in path.strip("/").split("/"))
        query = urllib.parse.urlencode({k: v for k, v in (params or {}).items() if v is not None})
        return f"{self.base_url}/{segments}" + (f"?{query}" if query else "")

    def _notice(self, text: str) -> None:
        self.notices.append(text)

    # -- cache ------------------------------------------------------------
    def _cache_path(self, name: str) -> Path:
        """``cache_dir / name``, refusing any name that could leave the folder or open a device."""
        stem = name.split(".")[0].rstrip(" .").lower()
        if not _CACHE_NAME.fullmatch(name) or ".." in name or stem in _WINDOWS_DEVICES:
            raise ParameterError(f"Filnamnet {_shown(name)} är inte tillåtet i cachen {self.cache_dir}.")
        return inside(self.cache_dir, name)

    def _read_cache(self, path: Path, check: Callable[[dict], None] | None = None) -> dict | None:
        """A cached document, or ``None`` when it is missing or damaged (then it is fetched again)."""
        try:
            document = json.loads(path.read_text(encoding="utf-8-sig"))
            if not isinstance(document, dict) or not isinstance(document.get("values"), list) \
                    or not all(isinstance(v, dict) for v in document["values"]):
                raise BadAnswer("filen har inte Koladas form")
            if check is not None:
                check(document)
            return document
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError, BadAnswer) as error:
            reason = error.reason if isinstance(error, BadAnswer) else type(error).__name__
            self._notice(f"Cachefilen {path.name} är skadad ({reason}) och hämtas på nytt från Kolada.")
            return None

    def _write_cache(self, path: Path, document: dict) -> None:
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        with atomic_write(path, "w") as handle:
            json.dump(document, handle, ensure_ascii=False)

    def _cached(self, name: str, url: str, refresh: bool, check: Callable[[dict], None] | None = None,
                transform: Callable[[dict], dict] | None = None) -> tuple[dict, Path, bool]:
        path = self._cache_path(name)
        if not refresh:
            document = self._read_cache(path, check)
            if document is not None:
                return document, path, True
        document = self._get_all(url, check)
        if transform is not None:
            document = transform(document)
        self._write_cache(path, document)
        return document, path, False

    # -- bundled metadata, for working offline ----------------------------
    def _metadata_files(self) -> list[Path]:
        """KPI metadata files to search offline: the gender-split list and ``kpi.json``, cache folder first."""
        found: list[Path] = []
        for name in (GENDER_SPLIT_FILE, "kpi.json"):
            for folder in (self.cache_dir, _SNAPSHOT_DIR):
                path = folder / name
                if path.is_file():
                    found.append(path)
                    break
        return found

    def _local_kpis(self) -> tuple[list[dict], list[Path]]:
        known: dict[str, dict] = {}
        used: list[Path] = []
        for path in self._metadata_files():
            try:
                document = json.loads(path.read_text(encoding="utf-8-sig"))
                values = [v for v in document.get("values", []) if isinstance(v, dict) and isinstance(v.get("id"), str)]
            except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError, AttributeError):
                continue
            gender_split = path.name == GENDER_SPLIT_FILE
            for value in values:
                entry = dict(value)
                if gender_split:  # every KPI in that file is divided by gender
                    entry.setdefault("is_divided_by_gender", 1)
                known[entry["id"]] = {**known.get(entry["id"], {}), **entry}
            used.append(path)
        return list(known.values()), used

    # -- metadata ---------------------------------------------------------
    def kpis(self, search: str | None = None, gender_divided: bool | None = None,
             operating_area: str | None = None, municipality_type: str | None = None,
             refresh: bool = False) -> pd.DataFrame:
        """KPIs whose title or description contains every search word.

        Without contact with Kolada the search is made in the bundled metadata
        (every gender-split KPI and those already fetched), and a note saying so
        is added to :attr:`notices`.

        Parameters
        ----------
        search
            Words to look for (case-insensitive, in title and description).
        gender_divided
            Only KPIs divided by gender (``True``) or not (``False``).
        operating_area
            Only KPIs whose operating area contains this text, e.g. ``"Äldreomsorg"``.
        municipality_type
            ``"K"`` (municipalities), ``"L"`` (regions) or ``"A"`` (both).
        refresh
            Fetch again even when the KPI list is cached.

        Returns
        -------
        pandas.DataFrame
            ``id``, ``title``, ``description``, ``is_divided_by_gender``,
            ``operating_area``, ``municipality_type``.

        Raises
        ------
        KoladaError
            When Kolada cannot answer and no bundled metadata are found either.
        """
        try:
            document, _, _ = self._cached("kpi_all.json", self._url("kpi", {"per_page": PER_PAGE}), refresh,
                                          _check_metadata)
            values = document["values"]
        except KoladaError as error:
            values, used = self._local_kpis()
            if not values:
                raise
            why = f"Ingen kontakt med internet ({error.reason})" if isinstance(error, KoladaOfflineError) \
                else f"Kolada kunde inte svara ({str(error).splitlines()[0][:200]})"
            self._notice(f"{why}. Sökningen gjordes i stället i de medföljande metadata: {len(values)} nyckeltal i "
                         + " och ".join(str(p) for p in used) + ". Där finns alla könsuppdelade nyckeltal och de som "
                         "redan hämtats, men inte övriga; med internet söker kommandot i alla Koladas nyckeltal.")
        frame = pd.DataFrame(values)
        columns = ["id", "title", "description", "is_divided_by_gender", "operating_area", "municipality_type"]
        for column in columns:
            if column not in frame.columns:
                frame[column] = None
        frame["is_divided_by_gender"] = frame["is_divided_by_gender"].map(lambda v: bool(v) if pd.notna(v) else False)
        mask = _words_match(frame["title"].fillna("") + " " + frame["description"].fillna(""), search)
        if gender_divided is not None:
            mask &= frame["is_divided_by_gender"] == gender_divided
        if operating_area:
            mask &= frame["operating_area"].fillna("").str.lower().str.contains(operating_area.lower(), regex=False)
        if municipality_type:
            mask &= frame["municipality_type"].isin([municipality_type, "A"])
        return frame.loc[mask, columns].reset_index(drop=True)

    def municipalities(self, search: str | None = None, kind: str | None = None, refresh: bool = False) -> pd.DataFrame:
        """Municipalities (type ``K``), regions and Riket (type ``L``), searchable by name.

        Returns
        -------
        pandas.DataFrame
            ``id``, ``title``, ``type``.
        """
        document, _, _ = self._cached("municipality.json", self._url("municipality", {"per_page": PER_PAGE}), refresh,
                                      _check_metadata)
        frame = pd.DataFrame(document["values"]).reindex(columns=["id", "title", "type"])
        if search:
            frame = frame[frame["title"].str.lower().str.contains(search.lower(), regex=False)]
        if kind:
            frame = frame[frame["type"] == kind]
        return frame.reset_index(drop=True)

    def groups(self, municipality: str | None = None, refresh: bool = False) -> pd.DataFrame:
        """Municipality groups with members, optionally only those concerning one municipality.

        With ``municipality``, the groups it is a member of and its own
        "Liknande kommuner …, <name>" group (of which it is not a member).

        Returns
        -------
        pandas.DataFrame
            ``group_id``, ``group_title``, ``member_code``, ``member_name``.
        """
        from jamlib.organisations import municipality_groups, municipality_name

        if municipality is not None:
            municipality = _checked_ids([municipality], _MUNICIPALITY, "Kommunkoden", "1780")[0]
        _, path, _ = self._cached("municipality_groups.json",
                                  self._url("municipality_groups", {"per_page": PER_PAGE}), refresh,
                                  _check_groups, _snapshot_groups)
        frame = municipality_groups(path)
        if municipality:
            name = municipality_name(municipality)
            own = frame["group_title"].str.contains(f", {name},", regex=False) if name else False
            ids = frame.loc[(frame["member_code"] == municipality) | own, "group_id"].unique()
            frame = frame[frame["group_id"].isin(ids)]
        return frame.reset_index(drop=True)

    def kpi_groups(self, search: str | None = None, refresh: bool = False) -> pd.DataFrame:
        """Kolada's KPI groups (thematic sets of KPIs) with their KPIs, searchable by group title.

        Parameters
        ----------
        search
            Words that must all occur in the group's title (case-insensitive).
        refresh
            Fetch the list again even when it is cached (``kpi_groups.json``).

        Returns
        -------
        pandas.DataFrame
            One row per group and KPI: ``group_id``, ``group_title``, ``kpi_id``, ``kpi_title``.
        """
        document, _, _ = self._cached("kpi_groups.json", self._url("kpi_groups", {"per_page": PER_PAGE}), refresh,
                                      _check_groups, _snapshot_groups)
        rows = [(g["id"], g.get("title"), m["id"], m["title"]) for g in document["values"] for m in _members(g)]
        frame = pd.DataFrame(rows, columns=["group_id", "group_title", "kpi_id", "kpi_title"])
        return frame[_words_match(frame["group_title"].fillna(""), search)].reset_index(drop=True)

    def group_kpis(self, group: str, refresh: bool = False) -> list[str]:
        """The KPI ids of one KPI group, in Kolada's order.

        Raises
        ------
        ParameterError
            When the group id is malformed or Kolada has no such group.
        """
        group_id = _checked_ids([group], _GROUP_ID, "Nyckeltalsgruppen", "ett id från jam kolada kpi-groups")[0]
        frame = self.kpi_groups(refresh=refresh)
        members = frame.loc[frame["group_id"] == group_id, "kpi_id"]
        if members.empty:
            raise ParameterError(f"Kolada har ingen nyckeltalsgrupp med id {_shown(group_id)} (eller den är tom). "
                                 "Sök grupper med: jam kolada kpi-groups ORD")
        return [str(k) for k in dict.fromkeys(members)]

    def units(self, municipality: str | None = None, search: str | None = None, unit_type: str | None = None,
              refresh: bool = False) -> pd.DataFrame:
        """Kolada's organisational units (care homes, schools, ...), with their municipality.

        Parameters
        ----------
        municipality
            Only units of this municipality (4-digit code); all units when ``None``.
        search
            Words that must all occur in the unit's name.
        unit_type
            Only ids starting with this prefix, e.g. ``"V21"`` (äldreboenden) or ``"V15"`` (grundskolor).
        refresh
            Fetch the list again even when it is cached (``ou_<kod>.json``).

        Returns
        -------
        pandas.DataFrame
            ``id``, ``title``, ``municipality`` (code), ``municipality_name``.
        """
        from jamlib.organisations import municipality_name

        code = _checked_ids([municipality], _MUNICIPALITY, "Kommunkoden", "1780")[0] if municipality else None
        prefix = _checked_ids([unit_type], _UNIT_TYPE, "Enhetstypen", "V21", upper=True)[0] if unit_type else None
        document, _, _ = self._cached(f"ou_{code or 'alla'}.json",
                                      self._url("ou", {"municipality": code, "per_page": PER_PAGE}), refresh,
                                      _check_units)
        frame = pd.DataFrame(document["values"]).reindex(columns=["id", "title", "municipality"])
        if code:
            frame = frame[frame["municipality"] == code]
        if prefix:
            frame = frame[frame["id"].str.upper().str.startswith(prefix)]
        frame = frame[_words_match(frame["title"].fillna(""), search)].copy()
        frame["municipality_name"] = frame["municipality"].map(lambda c: municipality_name(str(c)) if c else None)
        return frame.reset_index(drop=True)

    def _unit_metadata(self, ids: list[str], refresh: bool) -> dict[str, dict]:
        """Name and municipality of each unit id, from ``ou.json`` or ``/v3/ou/<ids>`` (merged into ``ou.json``)."""
        path = self._cache_path("ou.json")
        document = self._read_cache(path, _check_units) or {"values": []}
        known = {v["id"]: v for v in document["values"]}
        missing = [i for i in ids if refresh or i not in known]
        for chunk in _chunks(missing):
            if chunk:
                fetched = self._get_all(self._url(f"ou/{','.join(chunk)}", {"per_page": PER_PAGE}), _check_units)
                known.update({v["id"]: v for v in fetched["values"]})
        if missing:
            values = [known[k] for k in sorted(known)]
            self._write_cache(path, {"count": len(values), "next_url": None, "previous_url": None, "values": values})
        return known

    # -- values -----------------------------------------------------------
    def _ensure_kpi_metadata(self, kpis: list[str], refresh: bool) -> None:
        """Keep ``kpi.json`` describing every KPI fetched; offline, take titles from the bundled list."""
        path = self._cache_path("kpi.json")
        document = self._read_cache(path, _check_metadata) or {"values": []}
        known: dict[str, dict] = {v["id"]: v for v in document["values"]}
        missing = [k for k in kpis if refresh or k not in known]
        if not missing:
            return
        try:
            for chunk in _chunks(missing):
                if chunk:
                    fetched = self._get_all(self._url(f"kpi/{','.join(chunk)}", {"per_page": PER_PAGE}), _check_metadata)
                    known.update({v["id"]: v for v in fetched["values"] if v["id"] in chunk})
        except KoladaOfflineError:
            local = {v["id"]: v for v in self._local_kpis()[0]}
            if any(k not in known and k not in local for k in missing):
                raise
            known.update({k: local[k] for k in missing if k not in known})
            self._notice("Ingen kontakt med internet: nyckeltalens titlar togs från de medföljande metadata.")
        values = [known[k] for k in sorted(known)]
        self._write_cache(path, {"count": len(values), "next_url": None, "previous_url": None, "values": values})

    def _fetch_records(self, kind: str, kpi: str, key: str, ids: list[str], years: list[int] | None,
                       from_date: str | None) -> list[dict]:
        records: list = []
        for id_chunk in _chunks(ids):
            for year_chunk in _chunks([str(y) for y in years] if years else []):
                segment = f"{kind}/kpi/{kpi}"
                if id_chunk:
                    segment += f"/{key}/{','.join(id_chunk)}"
                if year_chunk:
                    segment += f"/year/{','.join(year_chunk)}"
                self.progress(f"{kpi}: hämtar {segment}")
                check = _data_check([kpi], key, id_chunk, [int(y) for y in year_chunk] or None)
                url = self._url(segment, {"per_page": PER_PAGE, "from_date": from_date})
                records.extend(self._get_all(url, check)["values"])
        return records

    def values(self, kpis: Iterable[str], municipalities: Iterable[str] | None = None,
               years: str | Iterable[int] | None = None, from_date: str | None = None,
               include_deleted: bool = False, refresh: bool = False) -> FetchResult:
        """Fetch values for KPIs × municipalities (or group ids) × years.

        Parameters
        ----------
        kpis
            KPI ids, e.g. ``["U23401", "N20402"]``.
        municipalities
            Municipality, region or group ids; all when ``None``.
        years
            ``"2015-2022"``, ``"2018,2020"`` or a list; all when ``None``.
        from_date
            Only values changed since this date (``YYYY-MM-DD``), passed to Kolada.
        include_deleted
            Keep values Kolada marks ``isdeleted`` (default: taken out and counted).
        refresh
            Fetch again even when the query is cached.

        Returns
        -------
        FetchResult

        Raises
        ------
        ParameterError
            When an id, code, year or date is malformed (before anything is asked).
        KoladaError
            When Kolada gives no usable answer; nothing is then written to the cache.
        """
        from jamlib.ingest.validation import load

        kpi_ids = _checked_ids(kpis, _KPI_ID, "Nyckeltalet", "U23401", upper=True)
        if not kpi_ids:
            raise ParameterError("Ange minst ett nyckeltal (KPI), t.ex. U23401.")
        codes = _checked_ids(municipalities, _ORG_ID, "Kommun-, region- eller gruppkoden", "1780, 0000 eller G176581")
        year_list = parse_years(years)
        since = _checked_date(from_date)
        paths = {kpi: self._cache_path(self._cache_name("data", kpi, codes, year_list, since)) for kpi in kpi_ids}
        checks = {kpi: _data_check([kpi], "municipality", codes, year_list) for kpi in kpi_ids}
        cached = {kpi: None if refresh else self._read_cache(paths[kpi], checks[kpi]) for kpi in kpi_ids}
        try:
            self._ensure_kpi_metadata(kpi_ids, refresh)
        except KoladaError:
            if not all(doc is not None for doc in cached.values()):
                raise
            self._notice("Kolada kunde inte nås för nyckeltalens titlar; värdena lästes från cachen.")
        result = FetchResult(pd.DataFrame())
        frames = []
        for kpi in kpi_ids:
            path, document = paths[kpi], cached[kpi]
            if document is not None:
                self.progress(f"{kpi}: från cachen {path}")
            else:
                records = self._fetch_records("data", kpi, "municipality", codes, year_list, since)
                document = {"count": len(records), "next_url": None, "previous_url": None, "values": records}
                self._write_cache(path, document)
            result.files.append(path)
            returned = {str(r.get("municipality")) for r in document["values"]}
            absent = [c for c in codes if c not in returned]
            if absent:
                result.warnings.append(f"{kpi}: Kolada gav inga värden för {', '.join(absent)}"
                                       + (f" åren {years}" if years else "") + ".")
            if not document["values"]:
                result.warnings.append(f"{kpi}: Kolada gav inga värden alls; finns nyckeltalet och åren?")
                continue
            loaded = load(path, "indicators")
            data = loaded.data
            if include_deleted and not loaded.quarantine.empty:
                data = pd.concat([data, _deleted_rows(path)], ignore_index=True)
            deleted = int((loaded.quarantine.get("orsak", pd.Series(dtype=str)).astype(str).str.contains("raderad")).sum()) \
                if not loaded.quarantine.empty else 0
            if deleted and not include_deleted:
                result.warnings.append(f"{kpi}: {deleted} värden markerade som raderade i Kolada togs inte med.")
            if (data["polarity"].fillna("okänd") == "okänd").any():
                result.warnings.append(
                    f"{kpi}: Kolada anger inte om ett högre eller lägre värde är bättre. Ange det i kolumnen "
                    "polaritet i en egen indikatorfil, annars säger analysen inte vilket kön som missgynnas.")
            frames.append(data)
        result.data = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
        result.from_cache = all(doc is not None for doc in cached.values())
        return result

    def unit_values(self, kpis: Iterable[str], units: Iterable[str] | None = None, municipality: str | None = None,
                    unit_type: str | None = None, years: str | Iterable[int] | None = None,
                    from_date: str | None = None, include_deleted: bool = False, refresh: bool = False) -> FetchResult:
        """Fetch unit-level values (care homes, schools, ...) from ``/v3/oudata``.

        Parameters
        ----------
        kpis
            KPI ids with unit data, e.g. ``["N15419"]``.
        units
            Unit ids, e.g. ``["V15E144001101"]``.
        municipality
            Fetch for every unit of this municipality (optionally only ``unit_type``).
        unit_type
            Id prefix that selects the municipality's units, e.g. ``"V21"``.
        years, from_date, include_deleted, refresh
            As for :meth:`values`.

        Returns
        -------
        FetchResult
            ``data`` has ``org_code`` (the unit id), ``org_name`` (its name), ``parent_code`` and
            ``parent_name`` (its municipality), ``indicator_id``, ``indicator_title``, ``period``,
            ``sex``, ``value`` (a number or missing), ``unit``, ``polarity``. One cache file per KPI,
            ``oudata_<KPI>_….json`` (see the module docstring for its shape).

        Raises
        ------
        ParameterError
            When neither units nor a municipality are given, or an id is malformed.
        KoladaError
            When Kolada gives no usable answer; nothing is then written to the cache.
        """
        kpi_ids = _checked_ids(kpis, _KPI_ID, "Nyckeltalet", "N15419", upper=True)
        if not kpi_ids:
            raise ParameterError("Ange minst ett nyckeltal (KPI) med enhetsdata, t.ex. N15419.")
        unit_ids = _checked_ids(units, _UNIT_ID, "Enheten", "V15E144001101", upper=True)
        code = _checked_ids([municipality], _MUNICIPALITY, "Kommunkoden", "1780")[0] if municipality else None
        if not unit_ids and not code:
            raise ParameterError("Ange enheter (t.ex. V15E144001101) eller en kommun vars enheter ska hämtas (t.ex. 1780).")
        if unit_ids and (code or unit_type):
            raise ParameterError("Ange antingen enheter eller en kommun (med eller utan enhetstyp), inte båda.")
        year_list = parse_years(years)
        since = _checked_date(from_date)
        result = FetchResult(pd.DataFrame())
        if unit_ids:
            meta = self._unit_metadata(unit_ids, refresh)
            where = unit_ids
        else:
            table = self.units(code, unit_type=unit_type, refresh=refresh)
            meta = {row.id: {"id": row.id, "title": row.title, "municipality": row.municipality}
                    for row in table.itertuples()}
            unit_ids = sorted(meta)
            where = [f"k{code}" + (f"{unit_type.upper()}" if unit_type else "")]
            if not unit_ids:
                result.warnings.append(f"Kolada har inga enheter i kommunen {code}"
                                       + (f" av typen {unit_type}" if unit_type else "") + ".")
                return result
        unknown = [u for u in unit_ids if u not in meta]
        if unknown:
            result.warnings.append(f"Kolada känner inte till enheterna {', '.join(unknown)}.")
        self._ensure_kpi_metadata(kpi_ids, refresh)
        frames = []
        cached_all = True
        for kpi in kpi_ids:
            path = self._cache_path(self._cache_name("oudata", kpi, where, year_list, since))
            check = _data_check([kpi], "ou", unit_ids, year_list)
            document = None if refresh else self._read_cache(path, check)
            if document is not None:
                self.progress(f"{kpi}: från cachen {path}")
            else:
                cached_all = False
                records = self._fetch_records("oudata", kpi, "ou", unit_ids, year_list, since)
                values = [{"kpi": r["kpi"], "municipality": r["ou"], "ou": r["ou"],
                           "ou_title": meta.get(r["ou"], {}).get("title"),
                           "ou_municipality": meta.get(r["ou"], {}).get("municipality"),
                           "period": r["period"], "values": r["values"]} for r in records]
                document = {"count": len(values), "next_url": None, "previous_url": None, "values": values}
                self._write_cache(path, document)
            result.files.append(path)
            if not document["values"]:
                result.warnings.append(f"{kpi}: Kolada gav inga enhetsvärden; har nyckeltalet data per enhet?")
                continue
            frame, deleted = _unit_rows(path, document, include_deleted)
            if deleted and not include_deleted:
                result.warnings.append(f"{kpi}: {deleted} värden markerade som raderade i Kolada togs inte med.")
            frames.append(frame)
        result.data = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
        result.from_cache = cached_all
        return result

    @staticmethod
    def _cache_name(kind: str, kpi: str, codes: list[str], years: list[int] | None, from_date: str | None) -> str:
        if not codes:
            where = "alla"
        elif len(codes) <= 3:
            where = "-".join(codes)
        else:
            where = "m" + _short_hash(codes)
        when = "alla" if not years else (f"{years[0]}-{years[-1]}" if years == list(range(years[0], years[-1] + 1))
                                         else "y" + _short_hash(map(str, years))[:8])
        since = f"_sedan{from_date}" if from_date else ""
        return f"{kind}_{kpi}_{where}_{when}{since}.json"


def _snapshot_groups(document: dict) -> dict:
    """Group members written as ``{"id", "title"}``, the bundled snapshot's shape."""
    values = [{**g, "members": _members(g)} for g in document["values"]]
    return {**document, "values": values}


def _unit_rows(path: Path, document: dict, include_deleted: bool) -> tuple[pd.DataFrame, int]:
    """Unit values as rows, with the unit's name and municipality attached; and the number of deleted values."""
    from jamlib.ingest.kolada_files import read_kolada_json
    from jamlib.organisations import municipality_name

    raw = read_kolada_json(path)
    removed = raw.removed.drop(columns=["_reason"])
    frame = pd.concat([raw.frame, removed], ignore_index=True) if include_deleted and len(removed) else raw.frame
    names = {r["ou"]: (r.get("ou_title"), r.get("ou_municipality")) for r in document["values"]}
    rows = pd.DataFrame({
        "org_code": frame["kommunkod"],
        "org_name": frame["kommunkod"].map(lambda u: names.get(u, (None, None))[0]),
        "parent_code": frame["kommunkod"].map(lambda u: names.get(u, (None, None))[1]),
        "indicator_id": frame["indikator"],
        "indicator_title": frame["indikatornamn"],
        "period": frame["period"],
        "sex": frame["kön"],
        "value": pd.to_numeric(frame["värde"], errors="coerce"),
        "unit": frame["enhet"],
        "polarity": frame["polaritet"],
    })
    rows.insert(3, "parent_name", rows["parent_code"].map(lambda c: municipality_name(str(c)) if c else None))
    return rows.reset_index(drop=True), len(removed)


def _deleted_rows(path: Path) -> pd.DataFrame:
    from jamlib.ingest.kolada_files import read_kolada_json
    from jamlib.ingest.validation import validate

    raw = read_kolada_json(path)
    removed = raw.removed.drop(columns=["_reason"])
    raw_deleted = type(raw)(path, removed, kind="indicators")
    return validate(raw_deleted, "indicators").data
