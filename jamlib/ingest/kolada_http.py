"""HTTP for the Kolada client: bounded retries, a deadline, paging that cannot be led astray.

:class:`KoladaHTTP` is the transport under :class:`jamlib.ingest.kolada_client.KoladaClient`.
Every rule here answers a way a real request goes wrong:

* **Transient faults** (HTTP 429, 408 and 5xx, timeouts, a dropped connection, a truncated
  or unparsable body, an HTML page served with status 200, an answer of the wrong shape)
  are retried at most ``retries`` times with exponential backoff; ``Retry-After`` is
  honoured but capped at ``max_retry_after`` seconds.
* **No contact** (the name does not resolve, the connection is refused, the network is
  unreachable) is not retried: :class:`KoladaOfflineError` says "Ingen kontakt med
  internet" and what to do (a proxy in ``HTTPS_PROXY``, or the bundled snapshot).
* **A deadline** bounds one logical request, all its pages, retries and waits together
  (``deadline`` seconds); a server that sends its body a byte at a time is stopped too.
* **Paging** follows ``next_url`` (v3) or ``next_page`` (v2) only to the same scheme,
  host and path as the request, never to a page already fetched, and at most
  ``max_pages`` pages; redirects may not leave the API's own path either.
* **Completeness**: a result whose number of values does not match Kolada's ``count``
  is fetched again (bounded) and otherwise refused, never returned as complete.

Nothing here writes files; the client writes its cache only after this layer and its
own checks have accepted the whole answer.
"""

from __future__ import annotations

import errno
import http.client
import json
import math
import os
import posixpath
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from email.utils import parsedate_to_datetime
from typing import Callable

from jamlib.errors import KoladaError

__all__ = ["KoladaHTTP", "KoladaOfflineError", "BadAnswer", "BUNDLED_KPIS", "DEFAULT_BASE_URL"]

#: Kolada's API (version 3).
DEFAULT_BASE_URL = "https://api.kolada.se/v3"

#: The five KPIs whose values for every municipality, region and Riket are bundled in data/raw/kolada/.
BUNDLED_KPIS = ("U23401", "N20402", "U21455", "U21504", "U01421")

_OFFLINE_ERRNOS = {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN, errno.ECONNREFUSED}


class KoladaOfflineError(KoladaError):
    """Kolada could not be reached at all (no name resolution, connection refused, no network).

    Not retried: waiting does not bring the network back. The message says what to do;
    ``reason`` is the short Swedish cause (e.g. "anslutningen nekades").
    """

    def __init__(self, message: str, url: str, reason: str) -> None:
        super().__init__(message, url)
        self.reason = reason


class BadAnswer(Exception):
    """An answer that arrived but cannot be used; ``reason`` is a Swedish phrase. Retried."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Refused(Exception):
    """A link or redirect that would lead outside the API; never retried."""


def _proxy_note() -> str:
    proxy = os.environ.get("HTTPS_PROXY") or os.environ.get("https_proxy")
    if not proxy:
        return ("Går din organisation ut på internet via en proxy, ange den i miljövariabeln HTTPS_PROXY "
                "(Windows: set HTTPS_PROXY=http://proxy.exempel.se:8080, Linux och macOS: "
                "export HTTPS_PROXY=http://proxy.exempel.se:8080) och försök igen.")
    parts = urllib.parse.urlsplit(proxy if "//" in proxy else f"http://{proxy}")
    where = parts.hostname or "proxyn"
    if parts.port:
        where += f":{parts.port}"
    return f"HTTPS_PROXY pekar på {where}; kontrollera att adressen stämmer och att proxyn svarar."


def offline_message(host: str, why: str) -> str:
    """The Swedish message for no contact with Kolada: what happened and what to do."""
    return (f"Ingen kontakt med internet: {host} gick inte att nå ({why}). Inget nytt försök gjordes, eftersom det "
            "inte hjälper utan nätverk.\n"
            "Så här går du vidare:\n"
            "  1. Kontrollera att datorn är ansluten till nätverket.\n"
            f"  2. {_proxy_note()}\n"
            "  3. Arbeta utan internet: data/raw/kolada/ innehåller redan alla kommuner, regioner och riket för de fem "
            f"nyckeltalen {', '.join(BUNDLED_KPIS)}; jam gaps, jam batch och rapporterna läser dem direkt. Svar som "
            "hämtats tidigare finns kvar i cachen och används utan nät.")


def _offline_reason(error: BaseException, host: str) -> str | None:
    reason = getattr(error, "reason", error)
    if isinstance(reason, socket.gaierror):
        return f"namnet {host} kunde inte slås upp"
    if isinstance(reason, ConnectionRefusedError):
        return "anslutningen nekades"
    if isinstance(reason, OSError) and not isinstance(reason, TimeoutError) and reason.errno in _OFFLINE_ERRNOS:
        return "nätverket kan inte nås"
    return None


def _canonical(url: str) -> tuple:
    parts = urllib.parse.urlsplit(url)
    query = tuple(sorted(urllib.parse.parse_qsl(parts.query, keep_blank_values=True)))
    return parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), query


def _clean_path(path: str) -> str | None:
    """The path if it has no dot segments, encoded separators or backslashes; else ``None``."""
    lowered = path.lower()
    if "\\" in path or "%2e" in lowered or "%2f" in lowered or "%5c" in lowered or "//" in path:
        return None
    if any(segment in (".", "..") for segment in path.split("/")):
        return None
    return posixpath.normpath(path) if path else "/"


def link_allowed(origin: str, target: str, prefix_path: str | None = None) -> bool:
    """Whether ``target`` stays on ``origin``'s scheme and host and under its path.

    Parameters
    ----------
    origin
        The URL asked (for paging) or the API root (for redirects).
    target
        The absolute URL a page or a redirect points to.
    prefix_path
        Path that ``target`` must lie under; default ``origin``'s own path.
    """
    a, b = urllib.parse.urlsplit(origin), urllib.parse.urlsplit(target)
    if a.scheme.lower() != b.scheme.lower() or b.scheme.lower() not in ("http", "https"):
        return False
    if b.username is not None or b.password is not None or "@" in b.netloc:
        return False
    try:
        ports = [p.port or (443 if p.scheme.lower() == "https" else 80) for p in (a, b)]
    except ValueError:  # a port that is not a number
        return False
    if (a.hostname or "").lower() != (b.hostname or "").lower() or ports[0] != ports[1]:
        return False
    if any(ord(ch) < 33 for ch in target):
        return False
    path = _clean_path(b.path)
    prefix = _clean_path(prefix_path if prefix_path is not None else a.path)
    if path is None or prefix is None:
        return False
    prefix = prefix.rstrip("/")
    return path.rstrip("/") == prefix or path.startswith(prefix + "/")


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only within the API root (same scheme, host and path prefix)."""

    def __init__(self, root: str) -> None:
        super().__init__()
        self.root = root

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D102
        target = urllib.parse.urljoin(req.full_url, newurl)
        if not link_allowed(self.root, target):
            raise _Refused(f"Kolada skickade vidare (HTTP {code}) till {target[:200]}, som ligger utanför "
                           f"{self.root}; jamlib följer inte den länken.")
        return super().redirect_request(req, fp, code, msg, headers, target)


class KoladaHTTP:
    """Bounded, deadline-limited, link-checked JSON requests to Kolada.

    The attributes are read at every request, so a test or a caller may change
    them on an existing client.

    Attributes
    ----------
    base_url
        API root, e.g. ``https://api.kolada.se/v3``; redirects may not leave it.
    timeout
        Seconds to wait for the server at any one moment (connect, or between
        two pieces of the body).
    retries
        How many times a transient fault is retried before giving up.
    backoff
        First wait in seconds, doubled for each retry unless ``Retry-After`` says otherwise.
    max_retry_after
        Longest wait honoured from ``Retry-After`` (and from the backoff), in seconds.
    deadline
        Seconds one logical request may take in all: every page, retry and wait.
    max_pages
        Most pages followed for one request.
    max_bytes
        Largest body accepted for one page.
    sleep, clock
        Waiting and monotonic time (replaced in tests).
    progress
        Called with a Swedish line for each page and each retry.
    """

    base_url: str
    timeout: float = 30.0
    retries: int = 5
    backoff: float = 1.0
    max_retry_after: float = 60.0
    deadline: float = 300.0
    max_pages: int = 200
    max_bytes: int = 64 * 1024 * 1024
    sleep: Callable[[float], None] = staticmethod(time.sleep)
    clock: Callable[[], float] = staticmethod(time.monotonic)
    progress: Callable[[str], None] = staticmethod(lambda line: None)

    # -- one response -----------------------------------------------------
    def _opener(self) -> urllib.request.OpenerDirector:
        # build_opener keeps the ProxyHandler, so HTTPS_PROXY/HTTP_PROXY and NO_PROXY are honoured.
        return urllib.request.build_opener(_Redirects(self.base_url))

    def _read_body(self, response, until: float) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            if self.clock() > until:
                raise TimeoutError("tidsgränsen nåddes medan svaret lästes")
            chunk = response.read1(65536)
            if not chunk:
                missing = getattr(response, "length", None)
                if missing:  # Content-Length promised more than arrived before the connection closed
                    raise BadAnswer(f"förbindelsen bröts innan hela svaret kommit fram ({missing} byte saknas)")
                return b"".join(chunks)
            size += len(chunk)
            if size > self.max_bytes:
                raise _Refused(f"svaret är större än {self.max_bytes // (1024 * 1024)} MB; jamlib läser inte vidare.")
            chunks.append(chunk)

    def _fetch_once(self, url: str, until: float) -> dict:
        remaining = until - self.clock()
        request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "jamlib"})
        with self._opener().open(request, timeout=max(0.05, min(self.timeout, remaining))) as response:
            content_type = (response.headers.get("Content-Type") or "").lower()
            body = self._read_body(response, until)
        return _parse(body, content_type)

    def _retry_after(self, error: urllib.error.HTTPError, attempt: int) -> float:
        wait = self.backoff * 2 ** attempt
        header = error.headers.get("Retry-After") if error.headers else None
        if header:
            try:
                wait = float(header)
            except ValueError:
                try:
                    wait = parsedate_to_datetime(header).timestamp() - time.time()
                except (TypeError, ValueError, IndexError, OverflowError):
                    pass
        if not math.isfinite(wait):
            wait = self.max_retry_after
        return min(max(0.0, wait), self.max_retry_after)

    def _get_json(self, url: str, *, until: float | None = None,
                  check: Callable[[dict], None] | None = None) -> dict:
        """One page as a dict, after bounded retries; ``check`` may raise :class:`BadAnswer`."""
        until = self.clock() + self.deadline if until is None else until
        host = urllib.parse.urlsplit(url).hostname or url
        last = ""
        for attempt in range(self.retries + 1):
            if self.clock() >= until:
                break
            status = None
            try:
                document = self._fetch_once(url, until)
                if check is not None:
                    check(document)
                return document
            except _Refused as error:
                raise KoladaError(f"{error} (fråga: {url})", url) from None
            except urllib.error.HTTPError as error:
                status = error.code
                error.close()
                if not (error.code in (408, 429) or error.code >= 500):
                    raise KoladaError(f"Kolada avvisade frågan {url} (HTTP {error.code}). Kontrollera id:n och år.",
                                      url, error.code) from error
                last = f"HTTP {error.code}"
                wait = self._retry_after(error, attempt)
            except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
                why = _offline_reason(error, host)
                if why:
                    raise KoladaOfflineError(offline_message(host, why), url, why) from None
                if isinstance(error, TimeoutError) or isinstance(getattr(error, "reason", None), TimeoutError):
                    last = "inget svar inom tidsgränsen"
                else:
                    last = f"förbindelsen bröts ({_short(error)})"
                wait = min(self.backoff * 2 ** attempt, self.max_retry_after)
            except BadAnswer as error:
                last = error.reason
                wait = min(self.backoff * 2 ** attempt, self.max_retry_after)
            if attempt == self.retries:
                raise KoladaError(f"Kolada gav inget användbart svar på {url} ({last}) även efter {self.retries} nya "
                                  "försök. Försök igen senare; inget sparades i cachen.", url, status)
            if self.clock() + wait > until:
                break
            self.progress(f"Kolada: {last}; försöker igen om {wait:g} s (försök {attempt + 2} av {self.retries + 1})")
            self.sleep(wait)
        raise KoladaError(f"Kolada svarade inte färdigt inom tidsgränsen {self.deadline:g} s för {url}"
                          + (f" (senast: {last})" if last else "") + ". Försök igen senare; inget sparades i cachen.",
                          url)

    # -- every page of a query ---------------------------------------------
    def _get_all(self, url: str, check: Callable[[dict], None] | None = None) -> dict:
        """Every page of a query in one document; refuse an incomplete, looping or straying result."""
        until = self.clock() + self.deadline
        problem = ""
        for attempt in range(min(self.retries, 2) + 1):
            if attempt:
                wait = min(self.backoff * 2 ** (attempt - 1), self.max_retry_after)
                if self.clock() + wait > until:
                    break
                self.progress(f"Kolada: {problem}; hämtar hela svaret igen om {wait:g} s")
                self.sleep(wait)
            values, problem = self._pages(url, until, check)
            if not problem:
                return {"count": len(values), "next_url": None, "previous_url": None, "values": values}
        raise KoladaError(f"{problem[0].upper()}{problem[1:]} för {url}; resultatet är ofullständigt och används inte "
                          "(inget sparades i cachen).", url)

    def _pages(self, url: str, until: float, check: Callable[[dict], None] | None) -> tuple[list, str]:
        values: list = []
        counts: list[tuple[int | None, int]] = []
        seen = {_canonical(url)}
        page_url: str | None = url
        while page_url:
            document = self._get_json(page_url, until=until, check=check)
            page_values = document["values"]
            values.extend(page_values)
            count = document.get("count")
            count = count if isinstance(count, int) and not isinstance(count, bool) else None
            counts.append((count, len(page_values)))
            total = next((c for c, _ in counts if c is not None), None)
            self.progress(f"sida {len(counts)}: {len(values)}" + (f" av {total}" if total is not None else "") + " poster")
            next_url = document.get("next_url") or document.get("next_page")
            if not next_url:
                break
            if not isinstance(next_url, str):
                raise KoladaError(f"Kolada angav en nästa sida som inte är en adress på {page_url}.", page_url)
            next_url = urllib.parse.urljoin(page_url, next_url)
            if not link_allowed(url, next_url):
                raise KoladaError(f"Kolada pekade ut nästa sida {next_url[:200]}, som inte ligger på samma adress som "
                                  f"frågan {url}; jamlib följer inte den länken och sparar inget.", url)
            if _canonical(next_url) in seen:
                raise KoladaError(f"Kolada pekade tillbaka till en sida som redan hämtats ({next_url[:200]}); svaret "
                                  "skulle aldrig ta slut och används inte.", url)
            if not page_values:
                raise KoladaError(f"Kolada skickade en tom sida med ännu en sida efter sig på {page_url}; svaret "
                                  "används inte.", url)
            if len(counts) >= self.max_pages:
                raise KoladaError(f"Svaret på {url} har fler än {self.max_pages} sidor; jamlib slutar där och sparar "
                                  "inget. Dela upp frågan (färre kommuner, nyckeltal eller år).", url)
            seen.add(_canonical(next_url))
            page_url = next_url
        return values, _count_problem(counts, len(values))


def _count_problem(counts: list[tuple[int | None, int]], total: int) -> str:
    """Empty when Kolada's ``count`` agrees with what arrived, read as a total or as each page's length."""
    given = [(c, n) for c, n in counts if c is not None]
    if not given:
        return ""
    if all(c == total for c, _ in given) or all(c == n for c, n in given):
        return ""
    return f"Kolada angav {given[0][0]} poster men {total} kom fram"


def _short(error: BaseException) -> str:
    reason = getattr(error, "reason", None) or error
    return (type(reason).__name__ + (f": {reason}" if str(reason) else ""))[:120]


def _parse(body: bytes, content_type: str) -> dict:
    head = body.lstrip()[:200].lower()
    if "html" in content_type or head.startswith((b"<!doctype", b"<html", b"<")):
        raise BadAnswer("Kolada svarade med en webbsida i stället för data (en felsida, ett underhållsmeddelande "
                        "eller en inloggningssida i ett proxy)")
    if not body.strip():
        raise BadAnswer("Kolada svarade med ett tomt svar")
    try:
        document = json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise BadAnswer("svaret var inte text i UTF-8") from None
    except json.JSONDecodeError as exc:
        raise BadAnswer(f"svaret var avbrutet eller trasigt (ogiltig JSON vid tecken {exc.pos} av {len(body)})") from None
    except RecursionError:  # JSON nested thousands of levels deep: not Kolada's form, and not to be followed
        raise BadAnswer("svaret hade inte Koladas form (JSON i tusentals nivåer)") from None
    if not isinstance(document, dict) or not isinstance(document.get("values"), list):
        raise BadAnswer("svaret hade inte Koladas form (ett objekt med listan 'values')")
    if not all(isinstance(v, dict) for v in document["values"]):
        raise BadAnswer("posterna i svarets lista 'values' är inte objekt")
    return document
