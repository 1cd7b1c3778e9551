"""vl-convert, used safely: static SVG of a chart and the offline Vega libraries.

vl-convert runs Vega in an embedded JavaScript runtime with its own threads.
A process that has started that runtime cannot hand it to a child made with
``os.fork`` (threads do not survive a fork): the child's first call would wait
for ever. This module remembers which process started the runtime:

- :func:`svg` returns ``None`` in such a forked child, so a chart is shown with
  its interactive form only. ``jam batch`` switches static images off in its
  report processes anyway (:func:`set_static_images`): its HTML reports draw
  every chart with the Vega bundle in the page, and drawing five SVGs would
  cost each report about a second.
- :func:`javascript_bundle` builds the bundle in a fresh interpreter instead.

Rendering never reads anything from the network or the disk
(``allowed_base_urls=[]``): a chart can only show the data it carries.

Drawn SVGs are kept in the per-user cache (:func:`jamlib.files.user_cache_folder`,
folder ``svg``), so that a notebook run again, after a kernel restart or by every
participant of a course on the same computer, does not draw the same charts again
(about 0,1–0,2 s a chart, and about a second to start vl-convert's runtime). A
cached SVG is used only for exactly the same specification, Vega-Lite version
and vl-convert version: the file holds those bytes and is compared with them in
full, and a checksum over the file rejects a damaged one, which is then drawn and
written again. Writing is atomic; a cache that cannot be read or written is
simply not used. The offline Vega bundle (:func:`javascript_bundle`, 1–3 s to build)
is kept the same way, in the folder ``vega``.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

from jamlib.errors import JamlibError

__all__ = ["vegalite_version", "runtime_usable", "set_static_images", "svg", "javascript_bundle"]

_started_in: int | None = None  # the process id that started vl-convert's runtime
_static_images = True  # whether charts get a static SVG in this process


@lru_cache(maxsize=1)
def vegalite_version() -> str:
    """The Vega-Lite version Altair writes (``"5.20"``), as vl-convert names it.

    Raises
    ------
    JamlibError
        When the installed vl-convert cannot render that version (an Altair outside
        the range ``pyproject.toml`` pins).
    """
    import altair as alt
    import vl_convert

    major_minor = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    if major_minor not in vl_convert.get_vegalite_versions():
        raise JamlibError(f"vl-convert {vl_convert.__version__} kan inte rita Vega-Lite {major_minor} "
                          f"(Altair {alt.__version__}). Installera om jamlib så att versionerna i pyproject.toml gäller.")
    return major_minor


def _declared_version(spec: dict) -> str | None:
    """The Vega-Lite version a spec declares in ``$schema`` (``"5.20"``) if vl-convert can draw it, else ``None``.

    jamlib's own specs are written without Altair (:data:`jamlib.report.charts.VEGALITE_SCHEMA`), so drawing
    them needs no ``import altair``.
    """
    import re

    url = spec.get("$schema") if isinstance(spec, dict) else None
    match = re.fullmatch(r"https://vega\.github\.io/schema/vega-lite/v(\d+)\.(\d+)(\.\d+)?\.json", url) \
        if isinstance(url, str) else None
    version = f"{match[1]}.{match[2]}" if match else None
    return version if version in _drawable_versions() else None


@lru_cache(maxsize=1)
def _drawable_versions() -> tuple[str, ...]:
    import vl_convert

    return tuple(vl_convert.get_vegalite_versions())


def runtime_usable() -> bool:
    """Whether vl-convert can run in this process (not a fork of a process that started it)."""
    return _started_in is None or _started_in == os.getpid()


def set_static_images(enabled: bool) -> bool:
    """Whether :func:`svg` draws charts in this process from now on; returns the previous setting."""
    global _static_images
    previous, _static_images = _static_images, bool(enabled)
    return previous


def _start() -> None:
    global _started_in
    if _started_in is None:
        _started_in = os.getpid()


def svg(spec: dict) -> str | None:
    """The chart as a static SVG document, or ``None`` where vl-convert cannot run (see the module text)
    or static images are switched off (:func:`set_static_images`).

    Parameters
    ----------
    spec
        A Vega-Lite specification with its data inline (``chart.to_dict()``).
    """
    if not (_static_images and runtime_usable()):
        return None
    import vl_convert

    version = _declared_version(spec) or vegalite_version()
    key = _cache_key(spec, version, vl_convert.__version__)

    def draw() -> str:
        _start()
        return vl_convert.vegalite_to_svg(spec, vl_version=version, allowed_base_urls=[])

    return _cached("svg", ".svg", key, draw)


# --------------------------------------------------------------------------- the cache

_MAGIC = b"jamlib-cache 1\n"
_DIGEST = 32  # bytes of a SHA-256
#: At most this many files in a cache folder; beyond it, the least recently used half is removed.
_CACHE_LIMIT = 2000


def _cache_key(spec: dict, vl_version: str, converter_version: str) -> bytes | None:
    """The exact bytes a cached SVG must have been drawn from (``None``: not cacheable)."""
    try:
        text = json.dumps(spec, ensure_ascii=False, allow_nan=True)
    except (TypeError, ValueError):  # something only vl-convert itself can judge
        return None
    return f"vl-convert {converter_version}\nvega-lite {vl_version}\n{text}".encode("utf-8")


def _cache_path(folder_name: str, suffix: str, key: bytes | None) -> Path | None:
    from jamlib.files import user_cache_folder

    if key is None:
        return None
    try:
        folder = user_cache_folder(folder_name)
    except (OSError, RuntimeError):  # no home folder
        return None
    return None if folder is None else folder / (hashlib.sha256(key).hexdigest() + suffix)


def _cached(folder_name: str, suffix: str, key: bytes | None, make) -> str:
    """What ``make()`` returns for ``key``: from the cache folder ``folder_name`` if it holds it, else made and kept."""
    path = _cache_path(folder_name, suffix, key)
    if path is not None:
        found = _read_cached(path, key)
        if found is not None:
            return found
    made = make()
    if path is not None:
        _write_cached(path, key, made)
    return made


def _private(folder: Path) -> bool:
    """Whether only this user can have put files in ``folder`` (always true where there are no POSIX owners).

    A cached picture or script goes into reports as it is, so a folder that someone else owns or may write in
    is not trusted: what it holds is drawn again instead. On Windows the per-user cache folder
    (``%LOCALAPPDATA%``) is private by its access rules.
    """
    if not hasattr(os, "getuid"):
        return True
    try:
        status = folder.stat()
    except OSError:
        return False
    return status.st_uid == os.getuid() and not status.st_mode & 0o077


def _make_private(folder: Path) -> None:
    """Create ``folder`` readable and writable by this user only (tighten it if this user made it looser)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if hasattr(os, "getuid") and not _private(folder) and folder.stat().st_uid == os.getuid():
        os.chmod(folder, 0o700)


def _read_cached(path: Path, key: bytes) -> str | None:
    """The text cached at ``path`` for exactly ``key``, or ``None`` (missing, damaged, another key, or in a folder
    that is not this user's alone)."""
    if not _private(path.parent):
        return None
    try:
        content = path.read_bytes()
    except OSError:
        return None
    head = len(_MAGIC) + _DIGEST
    if not content.startswith(_MAGIC) or hashlib.sha256(content[head:]).digest() != content[len(_MAGIC):head]:
        return None
    body = content[head:]
    length = int.from_bytes(body[:8], "big")
    if body[8:8 + length] != key:
        return None
    try:
        drawn = body[8 + length:].decode("utf-8")
    except UnicodeDecodeError:
        return None
    try:
        os.utime(path)  # recently used: kept when the cache is trimmed
    except OSError:
        pass
    return drawn


def _write_cached(path: Path, key: bytes, drawn: str) -> None:
    """Keep ``drawn`` for ``key`` at ``path``, atomically; a cache that cannot be written is not an error."""
    from jamlib.files import atomic_write

    body = len(key).to_bytes(8, "big") + key + drawn.encode("utf-8")
    try:
        _make_private(path.parent)
        with atomic_write(path) as handle:
            handle.write(_MAGIC + hashlib.sha256(body).digest() + body)
        _trim(path.parent, path.suffix)
    except (OSError, JamlibError):
        pass


def _trim(folder: Path, suffix: str) -> None:
    entries = [e for e in os.scandir(folder) if e.name.endswith(suffix)]
    if len(entries) <= _CACHE_LIMIT:
        return
    entries.sort(key=lambda e: e.stat().st_mtime)
    for entry in entries[: len(entries) // 2]:
        try:
            os.unlink(entry.path)
        except OSError:
            pass


_BUNDLE_SCRIPT = "import sys, vl_convert; sys.stdout.buffer.write(vl_convert.javascript_bundle(vl_version=sys.argv[1]).encode('utf-8'))"


def javascript_bundle() -> str:
    """Vega, Vega-Lite (the version Altair writes) and vega-embed as one script, for pages without network.

    Kept in the cache like the SVGs (folder ``vega``, one file per Vega-Lite and vl-convert version):
    building it costs 1–3 s per ``jam batch`` or HTML export.
    """
    import vl_convert

    version = vegalite_version()

    def build() -> str:
        if runtime_usable():
            _start()
            return vl_convert.javascript_bundle(vl_version=version)
        done = subprocess.run([sys.executable, "-c", _BUNDLE_SCRIPT, version], capture_output=True, timeout=300)
        if done.returncode != 0:
            raise JamlibError("Vega-biblioteken kunde inte byggas: " + done.stderr.decode("utf-8", "replace")[-300:])
        return done.stdout.decode("utf-8")

    key = f"vl-convert {vl_convert.__version__}\nvega-lite {version}\njavascript bundle\n".encode("utf-8")
    return _cached("vega", ".js", key, build)
