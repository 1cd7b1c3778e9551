"""What a file is, from its bytes rather than its name, and how its text is decoded.

Municipal staff rename files (an ``.xlsx`` saved as ``.csv``), export with Excel's
"Unicode text" (UTF-16 with tabs) and receive PDFs and pictures named like data.
:func:`sniff` looks at the first bytes and says what the file is; :func:`decode_text`
turns text bytes into text, whatever the encoding, and never raises.
"""

from __future__ import annotations

import codecs
import zipfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

__all__ = ["FileKind", "Sniffed", "sniff", "decode_text", "EXTENSION_KINDS"]


class FileKind(StrEnum):
    """What a file is, as :func:`sniff` tells it from the bytes."""

    TEXT = "text"
    JSON = "json"
    XLSX = "xlsx"
    ODS = "ods"
    XLS = "xls"
    XLSB = "xlsb"
    ENCRYPTED = "encrypted"
    PARQUET = "parquet"
    PDF = "pdf"
    IMAGE = "image"
    ZIP = "zip"
    ARCHIVE = "archive"
    HTML = "html"
    XML = "xml"
    WORD = "word"
    BINARY = "binary"
    EMPTY = "empty"
    DAMAGED = "damaged"

#: What each file ending promises.
EXTENSION_KINDS: dict[str, FileKind] = {
    ".csv": FileKind.TEXT, ".tsv": FileKind.TEXT, ".txt": FileKind.TEXT, ".xlsx": FileKind.XLSX,
    ".xlsm": FileKind.XLSX, ".ods": FileKind.ODS, ".xls": FileKind.XLS, ".xlsb": FileKind.XLSB,
    ".parquet": FileKind.PARQUET, ".json": FileKind.JSON,
}

_KIND_NAMES: dict[FileKind, str] = {  # keys compare equal to the FileKind members
    "xlsx": "en Excel-arbetsbok (.xlsx)", "ods": "ett OpenDocument-kalkylark (.ods, LibreOffice)",
    "xls": "en gammal Excel-fil (.xls, Excel 97–2003)", "encrypted": "en lösenordsskyddad Office-fil",
    "xlsb": "en binär Excel-arbetsbok (.xlsb)", "parquet": "en Parquet-fil", "json": "en JSON-fil",
    "text": "en textfil (CSV)", "pdf": "en PDF-fil", "image": "en bild", "zip": "ett ZIP-arkiv",
    "archive": "ett komprimerat arkiv", "html": "en webbsida (HTML)", "xml": "en XML-fil",
    "word": "ett Word-dokument", "binary": "en binärfil som inte är en tabell", "empty": "en tom fil",
    "damaged": "en skadad eller ofullständig Office-fil (ZIP-arkivet går inte att öppna)",
}


@dataclass(frozen=True)
class Sniffed:
    """What a file is.

    Attributes
    ----------
    kind
        ``text``, ``json``, ``xlsx``, ``ods``, ``xls``, ``xlsb``, ``encrypted``, ``parquet``, ``pdf``,
        ``image``, ``zip``, ``archive``, ``html``, ``xml``, ``word``, ``binary`` or ``empty``.
    """

    kind: FileKind

    @property
    def description(self) -> str:
        """Swedish words for the kind, e.g. "en Excel-arbetsbok (.xlsx)"."""
        return _KIND_NAMES.get(self.kind, self.kind)


def _zip_kind(path: Path) -> FileKind:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100]
                if b"opendocument.spreadsheet" in mimetype:
                    return FileKind.ODS
            if "xl/workbook.xml" in names:
                return FileKind.XLSX
            if "xl/workbook.bin" in names:
                return FileKind.XLSB
            if "word/document.xml" in names:
                return FileKind.WORD
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, RuntimeError, NotImplementedError, EOFError):
        return FileKind.DAMAGED
    return FileKind.ZIP


def _looks_binary(head: bytes) -> bool:
    """Many NULs or control bytes: not text in any single-byte or UTF-8 encoding (UTF-16 is checked before)."""
    if not head:
        return False
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return head.count(0) > len(head) // 100 + 2 or controls > len(head) // 10 + 2


def _utf16_without_bom(head: bytes) -> str | None:
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _utf32_without_bom(head: bytes) -> str | None:
    """UTF-32 text without a byte-order mark: three of every four bytes NUL (Latin letters, digits, ;)."""
    head = head[: len(head) // 4 * 4]
    if len(head) < 8:
        return None
    lanes = [head[i::4] for i in range(4)]
    quiet = [lane.count(0) > 0.9 * len(lane) for lane in lanes]
    encoding = {(False, True, True, True): "utf-32-le", (True, True, True, False): "utf-32-be"}.get(tuple(quiet))
    letters = lanes[0] if encoding == "utf-32-le" else lanes[3]
    if encoding is None or _looks_binary(letters):  # numbers stored as 32 bits look the same, but are not text
        return None
    return encoding


def sniff(path: Path) -> Sniffed:
    """Tell what a file is from its first bytes (and, for ZIP files, from their contents)."""
    with path.open("rb") as handle:
        head = handle.read(8192)
    if not head.strip(b" \t\r\n\x00"):
        return Sniffed(FileKind.EMPTY)
    if head.startswith(b"PK\x03\x04"):
        return Sniffed(_zip_kind(path))
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        with path.open("rb") as handle:
            start = handle.read(1 << 16)
        return Sniffed(FileKind.ENCRYPTED if "EncryptedPackage".encode("utf-16-le") in start else FileKind.XLS)
    if head.startswith(b"PAR1"):
        return Sniffed(FileKind.PARQUET)
    if head.startswith(b"%PDF"):
        return Sniffed(FileKind.PDF)
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*")):
        return Sniffed(FileKind.IMAGE)
    if head.startswith((b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!", b"BZh", b"\xfd7zXZ")):
        return Sniffed(FileKind.ARCHIVE)
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) or _utf32_without_bom(head):
        return Sniffed(FileKind.TEXT)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _utf16_without_bom(head):
        return Sniffed(FileKind.TEXT)
    text = head.lstrip(codecs.BOM_UTF8).lstrip()
    lowered = text[:200].lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<table")):
        return Sniffed(FileKind.HTML)
    if lowered.startswith(b"<?xml") or lowered.startswith(b"<"):
        return Sniffed(FileKind.XML)
    if text[:1] in (b"{", b"["):
        return Sniffed(FileKind.JSON)
    if _looks_binary(head):
        return Sniffed(FileKind.BINARY)
    return Sniffed(FileKind.TEXT)


_UTF32 = "UTF-32 (ovanligt; spara gärna som CSV UTF-8)"


def decode_text(raw: bytes) -> tuple[str, str, int]:
    """Decode the bytes of a text file; never raises.

    Returns
    -------
    tuple
        The text, the encoding in Swedish words, and how many bytes could not be
        decoded (replaced by U+FFFD; only for Windows-1252 with undefined bytes).
    """
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):  # before UTF-16: FF FE starts both LE marks
        text = raw.decode("utf-32", errors="replace")
        return text, _UTF32, text.count("\ufffd")
    bare32 = _utf32_without_bom(raw[:8192])
    if bare32:
        text = raw.decode(bare32, errors="replace")
        return text, _UTF32 + " utan BOM", text.count("\ufffd")
    if raw.startswith(codecs.BOM_UTF16_LE) or raw.startswith(codecs.BOM_UTF16_BE):
        text = raw.decode("utf-16", errors="replace")
        return text, "UTF-16 (Excels \"Unicode-text\")", text.count("\ufffd")
    bare = _utf16_without_bom(raw[:8192])
    if bare:
        text = raw.decode(bare, errors="replace")
        return text, "UTF-16 utan BOM", text.count("\ufffd")
    try:
        return raw.decode("utf-8-sig"), "UTF-8", 0
    except UnicodeDecodeError:
        pass
    text = raw.decode("cp1252", errors="replace")
    return text, "Windows-1252 (Excel)", text.count("\ufffd")
