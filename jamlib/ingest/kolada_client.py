"""A client for Kolada's API v3: search KPIs, fetch values, municipality groups, with a local cache.

Every response is kept under the cache folder (default ``data/raw/kolada/``)
in exactly the shape of the bundled snapshot, so a fetched set loads through
:func:`jamlib.report.indicator_report.load_indicator_folder` like the snapshot does,
can be committed and shared, and is re-used offline: fetching the same query
again reads the cache unless ``refresh=True``.

Robustness: every request has a timeout; 429 and 5xx answers are retried with
exponential backoff, honouring ``Retry-After``; any other 4xx raises
:class:`KoladaError` naming the URL; paging follows ``next_url`` (v3) or
``next_page`` (v2) until there is none, and a result whose number of values
does not match the server's ``count`` is refused, never returned as complete.
"""

from __future__ import annotations

import hashlib
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from jamlib.errors import JamlibError, KoladaError
from jamlib.files import atomic_write

__all__ = ["KoladaClient", "KoladaError", "FetchResult", "DEFAULT_BASE_URL", "parse_years"]

DEFAULT_BASE_URL = "https://api.kolada.se/v3"

#: Kolada accepts at most this many ids in one path segment.
MAX_IDS_PER_SEGMENT = 25

#: Largest page Kolada serves.
PER_PAGE = 5000


@dataclass
class FetchResult:
    """What :meth:`KoladaClient.values` fetched.

    Attributes
    ----------
    data
        Validated indicator rows (KPI title, unit and polarity filled in).
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
        return [int(y) for y in text]
    years: list[int] = []
    for part in text.replace("–", "-").split(","):
        part = part.strip()
        if not part:
            continue
        bounds = part.split("-")
        if not all(b.strip().isdigit() and len(b.strip()) == 4 for b in bounds) or len(bounds) > 2:
            raise JamlibError(f"Året \"{part}\" förstås inte. Skriv t.ex. 2015-2022 eller 2018,2020.")
        start, end = int(bounds[0]), int(bounds[-1])
        if end < start:
            raise JamlibError(f"Årsintervallet \"{part}\" går baklänges.")
        years.extend(range(start, end + 1))
    return sorted(set(years))


def _chunks(ids: list[str], size: int = MAX_IDS_PER_SEGMENT) -> list[list[str]]:
    return [ids[i:i + size] for i in range(0, len(ids), size)] or [[]]


class KoladaClient:
    """Client for Kolada's API v3.

    Parameters
    ----------
    base_url
        API root, default ``https://api.kolada.se/v3`` (tests use a local server).
    cache_dir
        Where responses are kept, default ``data/raw/kolada``.
    timeout
        Seconds to wait for one response.
    retries
        How many times a 429/5xx/timeout is retried before giving up.
    backoff
        First wait in seconds; doubled for every retry (unless ``Retry-After`` says otherwise).
    progress
        Called with a Swedish line for every page fetched (e.g. ``print``).
    sleep
        The waiting function (replaced in tests).
    """

    def __init__(self, base_url: str = DEFAULT_BASE_URL, cache_dir: str | Path = "data/raw/kolada",
                 timeout: float = 30.0, retries: int = 5, backoff: float = 1.0,
                 progress: Callable[[str], None] | None = None, sleep: Callable[[float], None] = time.sleep):
        self.base_url = base_url.rstrip("/")
        self.cache_dir = Path(cache_dir)
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.progress = progress or (lambda line: None)
        self.sleep = sleep

    # -- HTTP -------------------------------------------------------------
    def _retry_after(self, error: urllib.error.HTTPError, attempt: int) -> float:
        header = error.headers.get("Retry-After") if error.headers else None
        if header:
            try:
                return max(0.0, float(header))
            except ValueError:
                try:
                    return max(0.0, parsedate_to_datetime(header).timestamp() - time.time())
                except (TypeError, ValueError):
                    pass
        return self.backoff * 2 ** attempt

    def _get_json(self, url: str) -> dict:
        last: str = ""
        for attempt in range(self.retries + 1):
            try:
                request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "jamlib"})
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    body = response.read().decode("utf-8")
                try:
                    document = json.loads(body)
                except json.JSONDecodeError as exc:
                    raise KoladaError(f"Kolada svarade med något som inte är JSON på {url}.", url) from exc
                if not isinstance(document, dict):
                    raise KoladaError(f"Kolada svarade i oväntad form på {url}.", url)
                return document
            except urllib.error.HTTPError as error:
                if error.code == 429 or error.code >= 500:
                    wait = self._retry_after(error, attempt)
                    last = f"HTTP {error.code}"
                    if attempt < self.retries:
                        self.progress(f"Kolada svarade {error.code}; försöker igen om {wait:g} s")
                        self.sleep(wait)
                        continue
                    raise KoladaError(f"Kolada svarade {error.code} på {url} även efter {self.retries} nya försök.",
                                      url, error.code) from error
                raise KoladaError(f"Kolada avvisade frågan {url} (HTTP {error.code}). Kontrollera id:n och år.",
                                  url, error.code) from error
            except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
                last = str(getattr(error, "reason", error))
                if attempt < self.retries:
                    wait = self.backoff * 2 ** attempt
                    self.progress(f"Ingen kontakt med Kolada ({last}); försöker igen om {wait:g} s")
                    self.sleep(wait)
                    continue
                raise KoladaError(f"Ingen kontakt med Kolada på {url} ({last}).", url) from error
        raise KoladaError(f"Kolada svarade inte på {url} ({last}).", url)  # pragma: no cover

    def _get_all(self, url: str) -> dict:
        """Fetch every page of a query; refuse an incomplete result."""
        values: list = []
        page_url: str | None = url
        count = None
        pages = 0
        while page_url:
            document = self._get_json(page_url)
            pages += 1
            page_values = document.get("values")
            if not isinstance(page_values, list):
                raise KoladaError(f"Svaret från {page_url} saknar listan 'values'.", page_url)
            values.extend(page_values)
            if count is None and isinstance(document.get("count"), int):
                count = document["count"]
            self.progress(f"sida {pages}: {len(values)}" + (f" av {count}" if count is not None else "") + " poster")
            next_url = document.get("next_url") or document.get("next_page")
            if next_url and not str(next_url).startswith("http"):
                next_url = urllib.parse.urljoin(page_url, str(next_url))
            page_url = next_url
        if count is not None and count != len(values):
            raise KoladaError(f"Kolada angav {count} poster men {len(values)} kom fram för {url}; "
                              "resultatet är ofullständigt och används inte.", url)
        return {"count": len(values), "next_url": None, "previous_url": None, "values": values}

    def _url(self, path: str, params: dict | None = None) -> str:
        query = urllib.parse.urlencode({k: v for k, v in (params or {}).items() if v is not None})
        return f"{self.base_url}/{path.lstrip('/')}" + (f"?{query}" if query else "")

    # -- cache ------------------------------------------------------------
    def _cached(self, name: str, url: str, refresh: bool) -> tuple[dict, Path, bool]:
        path = self.cache_dir / name
        if path.exists() and not refresh:
            return json.loads(path.read_text(encoding="utf-8")), path, True
        document = self._get_all(url)
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        with atomic_write(path, "w") as handle:
            json.dump(document, handle, ensure_ascii=False)
        return document, path, False

    # -- metadata ---------------------------------------------------------
    def kpis(self, search: str | None = None, gender_divided: bool | None = None,
             operating_area: str | None = None, municipality_type: str | None = None,
             refresh: bool = False) -> pd.DataFrame:
        """KPIs whose title or description contains every search word.

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
        """
        document, _, _ = self._cached("kpi_all.json", self._url("kpi", {"per_page": PER_PAGE}), refresh)
        frame = pd.DataFrame(document["values"])
        for column in ("id", "title", "description", "is_divided_by_gender", "operating_area", "municipality_type"):
            if column not in frame.columns:
                frame[column] = None
        frame["is_divided_by_gender"] = frame["is_divided_by_gender"].map(lambda v: bool(v) if v is not None else False)
        mask = pd.Series(True, index=frame.index)
        if search:
            text = (frame["title"].fillna("") + " " + frame["description"].fillna("")).str.lower()
            for word in search.lower().split():
                mask &= text.str.contains(word, regex=False)
        if gender_divided is not None:
            mask &= frame["is_divided_by_gender"] == gender_divided
        if operating_area:
            mask &= frame["operating_area"].fillna("").str.lower().str.contains(operating_area.lower(), regex=False)
        if municipality_type:
            mask &= frame["municipality_type"].isin([municipality_type, "A"])
        columns = ["id", "title", "description", "is_divided_by_gender", "operating_area", "municipality_type"]
        return frame.loc[mask, columns].reset_index(drop=True)

    def municipalities(self, search: str | None = None, kind: str | None = None, refresh: bool = False) -> pd.DataFrame:
        """Municipalities (type ``K``), regions and Riket (type ``L``), searchable by name.

        Returns
        -------
        pandas.DataFrame
            ``id``, ``title``, ``type``.
        """
        document, _, _ = self._cached("municipality.json", self._url("municipality", {"per_page": PER_PAGE}), refresh)
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
        from jamlib.organisations import municipality_groups

        _, path, _ = self._cached("municipality_groups.json",
                                  self._url("municipality_groups", {"per_page": PER_PAGE}), refresh)
        frame = municipality_groups(path)
        if municipality:
            from jamlib.organisations import municipality_name

            name = municipality_name(municipality)
            own = frame["group_title"].str.contains(f", {name},", regex=False) if name else False
            ids = frame.loc[(frame["member_code"] == municipality) | own, "group_id"].unique()
            frame = frame[frame["group_id"].isin(ids)]
        return frame.reset_index(drop=True)

    # -- values -----------------------------------------------------------
    def _ensure_kpi_metadata(self, kpis: list[str], refresh: bool) -> None:
        path = self.cache_dir / "kpi.json"
        known: dict[str, dict] = {}
        if path.exists():
            known = {v["id"]: v for v in json.loads(path.read_text(encoding="utf-8")).get("values", [])}
        missing = [k for k in kpis if refresh or k not in known]
        for chunk in _chunks(missing):
            if not chunk:
                continue
            document = self._get_all(self._url(f"kpi/{','.join(chunk)}", {"per_page": PER_PAGE}))
            known.update({v["id"]: v for v in document["values"]})
        if missing:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            values = [known[k] for k in sorted(known)]
            with atomic_write(path, "w") as handle:
                json.dump({"count": len(values), "next_url": None, "previous_url": None, "values": values},
                          handle, ensure_ascii=False)

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
        """
        from jamlib.ingest.validation import load

        kpi_ids = list(dict.fromkeys(str(k).strip() for k in kpis if str(k).strip()))
        if not kpi_ids:
            raise JamlibError("Ange minst ett nyckeltal (KPI), t.ex. U23401.")
        codes = list(dict.fromkeys(str(m).strip() for m in municipalities)) if municipalities else []
        year_list = parse_years(years)
        self._ensure_kpi_metadata(kpi_ids, refresh)
        result = FetchResult(pd.DataFrame())
        frames = []
        cached_all = True
        for kpi in kpi_ids:
            name = self._cache_name(kpi, codes, year_list, from_date)
            path = self.cache_dir / name
            if path.exists() and not refresh:
                self.progress(f"{kpi}: från cachen {path}")
                document = json.loads(path.read_text(encoding="utf-8"))
            else:
                cached_all = False
                records: list = []
                for code_chunk in _chunks(codes):
                    for year_chunk in _chunks([str(y) for y in year_list] if year_list else []):
                        segment = f"data/kpi/{kpi}"
                        if code_chunk:
                            segment += f"/municipality/{','.join(code_chunk)}"
                        if year_chunk:
                            segment += f"/year/{','.join(year_chunk)}"
                        self.progress(f"{kpi}: hämtar {segment}")
                        records.extend(self._get_all(self._url(segment, {"per_page": PER_PAGE, "from_date": from_date}))["values"])
                document = {"count": len(records), "next_url": None, "previous_url": None, "values": records}
                self.cache_dir.mkdir(parents=True, exist_ok=True)
                with atomic_write(path, "w") as handle:
                    json.dump(document, handle, ensure_ascii=False)
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
        result.from_cache = cached_all
        return result

    @staticmethod
    def _cache_name(kpi: str, codes: list[str], years: list[int] | None, from_date: str | None) -> str:
        if not codes:
            where = "alla"
        elif len(codes) <= 3:
            where = "-".join(codes)
        else:
            where = "m" + hashlib.sha1(",".join(sorted(codes)).encode()).hexdigest()[:10]
        when = "alla" if not years else (f"{years[0]}-{years[-1]}" if years == list(range(years[0], years[-1] + 1))
                                         else "y" + hashlib.sha1(",".join(map(str, years)).encode()).hexdigest()[:8])
        since = f"_sedan{from_date}" if from_date else ""
        safe = "".join(ch for ch in kpi if ch.isalnum())
        return f"data_{safe}_{where}_{when}{since}.json"


def _deleted_rows(path: Path) -> pd.DataFrame:
    from jamlib.ingest.kolada_files import read_kolada_json
    from jamlib.ingest.validation import validate

    raw = read_kolada_json(path)
    removed = raw.removed.drop(columns=["_reason"])
    raw_deleted = type(raw)(path, removed, kind="indicators")
    return validate(raw_deleted, "indicators").data
