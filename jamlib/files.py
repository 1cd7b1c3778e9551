"""Writing files safely: atomically, Excel-safe, and never outside the folder meant.

* :func:`atomic_write` writes to a temporary file in the same folder and moves
  it into place with :func:`os.replace`, so a crash or Ctrl-C never leaves a
  half-written file: either the old file or the new one is there.
* :func:`write_csv` writes what Swedish Excel opens (UTF-8 with BOM, ``;``,
  decimal comma) with no cell that a spreadsheet would run as a formula.
* :func:`safe_filename` and :func:`inside` keep file names built from data
  (organisation names, codes) inside the output folder.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

from jamlib.errors import JamlibError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["atomic_write", "write_parquet", "write_csv", "write_json", "safe_cell", "safe_filename", "inside"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode, **({"encoding": "utf-8", "newline": ""} if "b" not in mode else {})) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _write_with(path: Path, writer: Callable[[io.BufferedWriter], None]) -> None:
    with atomic_write(path, "wb") as handle:
        writer(handle)  # type: ignore[arg-type]


def write_parquet(frame: pd.DataFrame, path: str | Path) -> None:
    """Write ``frame`` to Parquet atomically."""
    _write_with(Path(path), lambda h: frame.to_parquet(h, index=False))


def safe_cell(value: object) -> object:
    """Neutralise a text cell that a spreadsheet would run as a formula.

    A cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets
    a leading apostrophe, which Excel shows as text. Numbers are left alone.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        try:
            float(value.replace(",", "."))
            return value  # a plain negative number such as "-1,5"
        except ValueError:
            return "'" + value
    return value


def write_csv(frame: pd.DataFrame, path: str | Path) -> None:
    """Write ``frame`` as a CSV that Swedish Excel opens: UTF-8 with BOM, ``;``, no formulas."""
    import pandas as pd

    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(safe_cell)
    safe.columns = [safe_cell(str(c)) for c in safe.columns]

    def writer(handle: io.BufferedWriter) -> None:
        handle.write(safe.to_csv(sep=";", index=False, decimal=",").encode("utf-8-sig"))

    _write_with(Path(path), writer)


def write_json(data: object, path: str | Path) -> None:
    """Write ``data`` as indented UTF-8 JSON atomically."""
    _write_with(Path(path), lambda h: h.write(json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")))



def safe_filename(*parts: str, suffix: str = ".html") -> str:
    """A file name from codes and names: letters (å, ä, ö kept), digits, ``-`` and ``_`` only.

    ``"../../etc"`` becomes ``"etc"``-like text; the result never contains a
    path separator or starts with a dot, and is at most 120 characters.
    """
    text = "_".join(unicodedata.normalize("NFC", str(p)).strip() for p in parts if str(p).strip())
    text = text.lower()
    text = re.sub(r"[^\w\-]+", "_", text, flags=re.UNICODE)
    text = re.sub(r"_+", "_", text).strip("._-")
    return (text[:120] or "rapport") + suffix


def inside(folder: Path, name: str) -> Path:
    """``folder / name``, refusing anything that would land outside ``folder``."""
    target = (folder / name).resolve()
    if folder.resolve() not in target.parents:
        raise JamlibError(f"Filnamnet {name!r} skulle hamna utanför {folder}.")
    return target
