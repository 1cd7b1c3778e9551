"""Writing files safely: atomically, Excel-safe, and never outside the folder meant.

* :func:`atomic_write` writes to a temporary file in the same folder and moves
  it into place with :func:`os.replace`, so a crash or Ctrl-C never leaves a
  half-written file: either the old file or the new one is there.
* :func:`write_csv` writes what Swedish Excel opens (UTF-8 with BOM, ``;``,
  decimal comma) with no cell that a spreadsheet would run as a formula.
* :func:`safe_filename` and :func:`inside` keep file names built from data
  (organisation names, codes) inside the output folder.
* :func:`user_cache_folder` is the per-user folder for things jamlib can always
  compute again (the static images of charts).
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import re
import secrets
import sys
import time
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

from jamlib.errors import JamlibError, OutputFileError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["atomic_write", "write_parquet", "write_csv", "excel_csv", "write_json", "safe_cell", "safe_cells",
           "safe_filename", "inside", "CACHE_ENV", "user_cache_folder"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


#: Attempts at replacing a file that another program holds open (Windows: Excel, a virus scanner, a backup
#: client). Scanners let go within a fraction of a second; Excel does not, and then the user is told.
_REPLACE_ATTEMPTS = 4
_REPLACE_PAUSE = 0.15
_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def _create_temporary(folder: Path, name: str) -> tuple[int, Path]:
    """Create a new, empty temporary file beside ``name`` with the permissions the umask gives.

    :func:`tempfile.mkstemp` creates files with mode 0600, which would make
    every report unreadable for colleagues on a shared folder; ``os.open`` with
    0666 lets the user's umask decide, as for any other program's files.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOINHERIT", 0)
    for _ in range(100):
        tmp = folder / f".{name}.{secrets.token_hex(4)}.tmp"
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "Ingen ledig tillfällig fil", str(folder / f".{name}.tmp"))


def _output_error(path: Path, error: OSError, replacing: bool) -> OutputFileError:
    """The Swedish explanation of why ``path`` could not be written."""
    if error.errno in _DISK_FULL or getattr(error, "winerror", None) == 112:
        return OutputFileError(f"Disken är full: {path} kunde inte skrivas. Den tidigare filen är orörd. "
                               "Frigör utrymme och försök igen.", str(path))
    if isinstance(error, PermissionError) and replacing:
        return OutputFileError(f"Filen {path} är låst och kan inte ersättas, troligen för att den är öppen i ett "
                               "annat program. Stäng filen i Excel (eller programmet som har den öppen) och försök "
                               "igen. Den tidigare filen är orörd.", str(path))
    if isinstance(error, PermissionError) or error.errno == errno.EROFS:
        return OutputFileError(f"Mappen {path.parent} går inte att skriva i (skrivskyddad eller saknar behörighet), "
                               f"så {path.name} kunde inte sparas. Välj en annan mapp eller be om skrivrätt.", str(path))
    return OutputFileError(f"{path} kunde inte skrivas: {error.strerror or error}.", str(path))


def _replace(tmp: Path, path: Path) -> None:
    for attempt in range(_REPLACE_ATTEMPTS):
        try:
            os.replace(tmp, path)
            return
        except PermissionError:
            if attempt == _REPLACE_ATTEMPTS - 1:
                raise
            time.sleep(_REPLACE_PAUSE)


@contextlib.contextmanager
def atomic_write(path: str | Path, mode: str = "wb") -> Iterator[io.IOBase]:
    """Open a temporary file next to ``path``; move it into place only on success.

    Parameters
    ----------
    path
        Final file name.
    mode
        ``"wb"`` or ``"w"`` (text, UTF-8).

    Yields
    ------
    file object
        Write to it; if the block raises, the temporary file is removed and
        ``path`` is left as it was.

    Raises
    ------
    OutputFileError
        When the file is locked (open in Excel), the folder is read-only or
        the disk is full; the message names the file and what to do, and the
        earlier file is left as it was.

    Notes
    -----
    The new file gets the permissions the user's umask gives (usually
    readable by everyone who may read the folder), like files written by any
    other program.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _create_temporary(path.parent, path.name)
    except OSError as error:
        raise _output_error(path, error, replacing=False) from error
    try:
        try:
            handle = os.fdopen(fd, mode, **({"encoding": "utf-8", "newline": ""} if "b" not in mode else {}))
        except BaseException:
            os.close(fd)
            raise
        with handle:
            try:
                yield handle
            except OSError as error:  # the caller's writing: only a full disk is ours to explain
                if error.errno in _DISK_FULL:
                    raise _output_error(path, error, replacing=False) from error
                raise
            try:
                handle.flush()
                os.fsync(handle.fileno())
            except OSError as error:
                raise _output_error(path, error, replacing=False) from error
        try:
            _replace(tmp, path)
        except OSError as error:
            raise _output_error(path, error, replacing=path.exists()) from error
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _write_with(path: Path, writer: Callable[[io.BufferedWriter], None]) -> None:
    with atomic_write(path, "wb") as handle:
        writer(handle)  # type: ignore[arg-type]


def write_parquet(frame: pd.DataFrame, path: str | Path) -> None:
    """Write ``frame`` to Parquet atomically."""
    _write_with(Path(path), lambda h: frame.to_parquet(h, index=False))


def _neutralise_line(line: str) -> str:
    if line.startswith(_FORMULA_START):
        try:
            float(line.replace(",", ".").replace("\u2212", "-"))
            return line  # a plain negative number such as "-1,5"
        except ValueError:
            return "'" + line
    return line


def safe_cell(value: object) -> object:
    """Neutralise a text cell that a spreadsheet would run as a formula.

    A cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets
    a leading apostrophe, which Excel shows as text. Line breaks inside a cell
    become ``\n`` (a bare carriage return would end the CSV record in some
    programs and start a new row with whatever follows), and every line of a
    multi-line cell is neutralised the same way. Numbers are left alone.
    """
    if not isinstance(value, str):
        return value
    if "\r" in value or "\n" in value:
        lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        return "\n".join(_neutralise_line(line) for line in lines)
    return _neutralise_line(value)


def _unsafe_texts(distinct: set) -> dict[str, str]:
    """The texts among ``distinct`` that :func:`safe_cell` changes, each with what it becomes."""
    changed = {}
    for value in distinct:
        if isinstance(value, str) and (value.startswith(_FORMULA_START) or "\r" in value or "\n" in value):
            safe = safe_cell(value)
            if safe != value:
                changed[value] = safe
    return changed


def safe_cells(cells: list) -> list:
    """:func:`safe_cell` on every item of a list of texts (and ``None``), worked out once per distinct text."""
    changed = _unsafe_texts(set(cells))
    if not changed:
        return cells
    return [changed.get(v, v) if isinstance(v, str) else v for v in cells]


def _safe_column(series: pd.Series) -> pd.Series:
    """:func:`safe_cell` on every cell, worked out once per distinct text (a failure list repeats most texts)."""
    try:
        distinct = set(series.to_numpy(dtype=object))
    except TypeError:  # unhashable cells (lists): one by one
        return series.map(safe_cell)
    changed = _unsafe_texts(distinct)
    if not changed:
        return series
    return series.map(lambda v: changed.get(v, v) if isinstance(v, str) else v)


def excel_csv(frame: pd.DataFrame) -> bytes:
    """``frame`` as the bytes of a CSV that Swedish Excel opens, with no cell that can run as a formula.

    UTF-8 with BOM, ``;`` between fields, decimal comma, CRLF line ends,
    every text cell and column name passed through :func:`safe_cell`.

    Parameters
    ----------
    frame
        Any table; it is not modified.

    Returns
    -------
    bytes
    """
    import pandas as pd

    safe = frame.copy()
    for column in safe.columns:
        cells = safe[column]
        if cells.dtype == object or pd.api.types.is_string_dtype(cells):
            made_safe = _safe_column(cells)
            if made_safe is not cells:
                safe[column] = made_safe
    safe.columns = [safe_cell(str(c)) for c in safe.columns]
    # 12 significant digits: more than any statistic needs, without binary noise such as 1446,8000000000002
    return safe.to_csv(sep=";", index=False, decimal=",", float_format="%.12g", lineterminator="\r\n").encode("utf-8-sig")


def write_csv(frame: pd.DataFrame, path: str | Path) -> None:
    """Write ``frame`` atomically as :func:`excel_csv` (what Swedish Excel opens, no formulas)."""
    data = excel_csv(frame)
    _write_with(Path(path), lambda handle: handle.write(data))


def write_json(data: object, path: str | Path) -> None:
    """Write ``data`` as indented UTF-8 JSON atomically."""
    _write_with(Path(path), lambda h: h.write(json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")))



_WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_filename(*parts: str, suffix: str = ".html") -> str:
    """A file name from codes and names: letters (å, ä, ö kept), digits, ``-`` and ``_`` only.

    ``"../../etc"`` becomes ``"etc"``-like text; the result never contains a
    path separator or starts with a dot, is never a Windows device name
    (``con``, ``nul``, ``com1``, ...), and is at most 120 characters before the suffix.
    """
    text = "_".join(unicodedata.normalize("NFC", str(p)).strip() for p in parts if str(p).strip())
    text = text.lower()
    text = re.sub(r"[^\w\-]+", "_", text, flags=re.UNICODE)
    text = re.sub(r"_+", "_", text).strip("._-")[:120] or "rapport"
    if text.split(".")[0].upper() in _WINDOWS_DEVICES:  # "con.html" cannot be created on Windows
        text += "_"
    return text + suffix


def inside(folder: Path, name: str) -> Path:
    """``folder / name``, refusing anything that would land outside ``folder``."""
    target = (folder / name).resolve()
    if folder.resolve() not in target.parents:
        raise JamlibError(f"Filnamnet {name!r} skulle hamna utanför {folder}.")
    return target


#: Environment variable naming jamlib's cache folder; set to an empty value, no cache is used.
CACHE_ENV = "JAMLIB_CACHE"


def user_cache_folder(name: str) -> Path | None:
    """The per-user folder ``name`` inside jamlib's cache, or ``None`` when the cache is switched off.

    The cache holds only what jamlib can compute again, so deleting it is always safe.
    Its place: the folder in the environment variable ``JAMLIB_CACHE`` if set (an empty
    value switches the cache off), otherwise the platform's cache folder:
    ``%LOCALAPPDATA%\\jamlib\\Cache`` on Windows, ``~/Library/Caches/jamlib`` on macOS and
    ``$XDG_CACHE_HOME/jamlib`` (``~/.cache/jamlib``) elsewhere. The folder is not created here.
    What is in it ends up in notebooks and HTML reports (images, the Vega script), so it must be a
    folder only its user can write, as these are; never point ``JAMLIB_CACHE`` at a shared folder.
    """
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return Path(chosen).expanduser() / name if chosen.strip() else None
    if os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "jamlib" / "Cache"
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches" / "jamlib"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "jamlib"
    return base / name
