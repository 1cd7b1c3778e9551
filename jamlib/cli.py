"""The ``jam`` command line (texts in Swedish).

Commands: ``jam validate``, ``jam ingest``, ``jam checklist table|check|roles|historik``,
``jam gaps``, ``jam kolada``, ``jam representation``, ``jam resultatkedja granska|visa``,
``jam batch`` and ``jam demo``. Commands that print tables take ``--format table|csv|json``: ``csv`` is what
Swedish Excel opens (UTF-8 with BOM, ``;``, decimal comma, Swedish column
names, no cell that can run as a formula), ``json`` keeps the machine names
and full precision for scripts.

Output never fails on a console or a redirected file whose encoding lacks a
character (a scheduled task's log in Windows-1252): the minus sign and the
narrow spaces of Swedish numbers fall back to ``-`` and a plain space.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import json
import math
import re
import sys
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Sequence

from jamlib.errors import JamlibError

if TYPE_CHECKING:
    import pandas as pd

_MAX_ROWS_PER_RULE = 20

#: The six municipalities of Modellkonceptet 2020–2022 in the bundled data (participants, then mentors).
_MODELLKONCEPTET = ("1780", "1080", "2282", "0187", "0880", "2284")

# -- output that every console and log file can take ------------------------------------------------------

#: Plain stand-ins for characters of Swedish typography that Windows-1252 (or ASCII) cannot encode.
_FALLBACKS = {"\u2212": "-", "\u202f": " ", "\u2009": " ", "\u00a0": " ", "\u2007": " ", "\u2192": "->",
              "\u2190": "<-", "\u2264": "<=", "\u2265": ">=", "\u2248": "~", "\u2013": "-", "\u2014": "-",
              "\u2026": "...", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00d7": "x",
              "\u2022": "*"}
_ERROR_HANDLER = "jamlib-fallback"


def _fallback(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: a plain stand-in for each character the stream cannot encode."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    parts = []
    for char in error.object[error.start:error.end]:
        plain = _FALLBACKS.get(char)
        if plain is None:
            plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii") or "?"
        parts.append(plain)
    return "".join(parts), error.end


codecs.register_error(_ERROR_HANDLER, _fallback)


def _safe_streams() -> None:
    """Let stdout and stderr replace what their encoding cannot show instead of crashing."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError, AttributeError):
                reconfigure(errors=_ERROR_HANDLER)


# -- argparse in Swedish -----------------------------------------------------------------------------------

@contextlib.contextmanager
def _swedish_argparse() -> Iterator[None]:
    """Make argparse's own words (usage, options, errors) Swedish while the block runs."""
    from jamlib.vocabulary import ARGPARSE_TEXTS

    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]

    def gettext(message: str) -> str:
        return ARGPARSE_TEXTS.get(message, saved[0](message))

    def ngettext(singular: str, plural: str, n: int) -> str:
        return gettext(singular if n == 1 else plural)

    argparse._, argparse.ngettext = gettext, ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class _SwedishParser(argparse.ArgumentParser):
    """An ArgumentParser whose help, usage and error messages are in Swedish."""

    def __init__(self, *args, **kwargs) -> None:
        with _swedish_argparse():
            super().__init__(*args, **kwargs)

    def add_argument(self, *args, **kwargs):
        """As argparse's, with a Swedish placeholder (``OMGÅNG``, ``MAPP``) for options that take a value."""
        from jamlib.vocabulary import ARGPARSE_METAVARS

        takes_value = kwargs.get("action") in (None, "store", "append") and "choices" not in kwargs
        if takes_value and "metavar" not in kwargs and args and all(a.startswith("-") for a in args):
            longest = max(args, key=len).lstrip("-").replace("-", "_")
            dest = kwargs.get("dest", longest)
            kwargs["metavar"] = ARGPARSE_METAVARS.get(dest, dest.upper())
        return super().add_argument(*args, **kwargs)

    def parse_args(self, *args, **kwargs):
        with _swedish_argparse():
            return super().parse_args(*args, **kwargs)

    def parse_known_args(self, *args, **kwargs):
        with _swedish_argparse():
            return super().parse_known_args(*args, **kwargs)

    def format_usage(self) -> str:
        with _swedish_argparse():
            return super().format_usage()

    def format_help(self) -> str:
        with _swedish_argparse():
            return super().format_help()

    def error(self, message: str):
        with _swedish_argparse():
            super().error(message)


def _count(text: str) -> int:
    """An argparse type: a whole number of at least 1 (``--workers``)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} är inget heltal; ange t.ex. 2") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: minst 1")
    return value


def _seconds(text: str) -> float:
    """An argparse type: a positive number of seconds (``--timeout``), decimal comma allowed."""
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} är inget antal sekunder; ange t.ex. 600") from None
    if not value > 0 or math.isinf(value):
        raise argparse.ArgumentTypeError(f"{text!r}: ange ett antal sekunder större än 0")
    return value


# -- tables on stdout ------------------------------------------------------------------------------------------

def _swedish_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with Swedish column headers (schemas' names, then :data:`jamlib.vocabulary.COLUMN_LABELS`)."""
    from jamlib.schemas import SCHEMAS
    from jamlib.vocabulary import COLUMN_LABELS

    labels: dict[str, str] = {}
    for schema in SCHEMAS.values():
        for column in schema.columns:
            labels.setdefault(column.name, column.display)
    labels.update(COLUMN_LABELS)
    renamed = {c: labels[c] for c in frame.columns if isinstance(c, str) and c in labels}
    taken = [renamed.get(c, c) for c in frame.columns]
    clashes = {name for name in taken if taken.count(name) > 1}
    return frame.rename(columns={c: n for c, n in renamed.items() if n not in clashes})


_PRINTED_NUMBER = re.compile(r"[+\u2212-]?\d{1,3}(?:[\u202f\u2009\u00a0 ]\d{3})*(?:,\d+)?|[+\u2212-]?\d+(?:,\d+)?")


def _excel_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """Numbers printed the Swedish way (``−0,3``, ``1 234,5``) written as Excel reads them (``-0,3``, ``1234,5``)."""
    import pandas as pd

    def plain(cell: object) -> object:
        if isinstance(cell, str) and _PRINTED_NUMBER.fullmatch(cell):
            return re.sub(r"[\u202f\u2009\u00a0 ]", "", cell.replace("\u2212", "-"))
        return cell

    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(plain)
    return out


def _plain(value: object) -> object:
    """A JSON-ready Python value; numbers keep full precision, missing values become null."""
    import numpy as np
    import pandas as pd

    if isinstance(value, (list, tuple, np.ndarray)):
        return [_plain(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        number = float(value)
        return number if math.isfinite(number) else None
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _print_frame(frame: pd.DataFrame, fmt: str, out=None, *, cap_rules: bool = False) -> None:
    import pandas as pd

    out = out or sys.stdout
    if fmt == "json":
        records = [{str(k): _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]
        out.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt == "csv":
        from jamlib.files import excel_csv

        data = excel_csv(_excel_numbers(_swedish_columns(frame)))
        buffer = getattr(out, "buffer", None)
        if buffer is not None:  # bytes as Excel wants them, whatever the console's encoding
            out.flush()
            buffer.write(data)
            buffer.flush()
        else:
            out.write(data.decode("utf-8"))
        return
    if frame.empty:
        return
    frame = _swedish_columns(frame)
    shown = frame
    hidden = 0
    severity, rule = ("allvar", "regel") if "regel" in frame.columns else ("severity", "rule")
    if cap_rules and rule in frame.columns:
        parts = []
        for _, group in frame.groupby([severity, rule], sort=False):
            parts.append(group.head(_MAX_ROWS_PER_RULE))
            hidden += max(0, len(group) - _MAX_ROWS_PER_RULE)
        shown = pd.concat(parts).sort_index()
    text = shown.astype(object).where(shown.notna(), "").astype(str)
    widths = {c: min(max(len(str(c)), *(len(v) for v in text[c])) if len(text) else len(str(c)), 120) for c in text.columns}
    out.write("  ".join(str(c).ljust(widths[c]) for c in text.columns).rstrip() + "\n")
    for _, row in text.iterrows():
        out.write("  ".join(v.ljust(widths[c]) if c != text.columns[-1] else v for c, v in row.items()).rstrip() + "\n")
    if hidden:
        out.write(f"… och {hidden} rader till av samma slag (alla syns med --format csv eller json).\n")


_FAILURE_HEADERS = {"file": "fil", "row": "rad", "column": "kolumn", "value": "värde", "rule": "regel",
                    "severity": "allvar", "message": "meddelande"}


def _cmd_validate(args: argparse.Namespace) -> int:
    import pandas as pd

    from jamlib.errors import DataFileError
    from jamlib.ingest.checked import cross_checks
    from jamlib.ingest.readers import read_raw
    from jamlib.ingest.validation import file_failure, internal_failure, validate

    results = []
    for name in args.paths:
        path = Path(name)
        try:
            raw = read_raw(path, include_hidden=args.dolda)
            if raw.is_metadata:
                print(f"{path.name}: Koladas metadatafil, ingen datatabell att granska.", file=sys.stderr)
                continue
            results.append(cross_checks(validate(raw, args.kind, allow_half_points=args.halvpoang)))
        except DataFileError as error:
            results.append(file_failure(path, error))
        except JamlibError:
            raise
        except Exception as error:  # last resort: an unforeseen fault is reported for its file, never as a traceback
            results.append(internal_failure(path, error))
    failures = pd.concat([r.failures for r in results], ignore_index=True) if results else pd.DataFrame()
    if args.format == "table":
        _print_frame(failures.rename(columns=_FAILURE_HEADERS), "table", cap_rules=True)
    else:
        _print_frame(failures.rename(columns=_FAILURE_HEADERS), args.format)
    summaries = sys.stdout if args.format == "table" else sys.stderr
    for r in results:
        print(r.summary, file=summaries)
        for line in [*r.notes, *r.reshaping]:  # what the reader did: encoding, header row, sheets, reshaping
            print(f"  Obs: {line}", file=summaries)
    return 0 if all(r.ok for r in results) else 1


def _cmd_ingest(args: argparse.Namespace) -> int:
    from jamlib.ingest.store import ingest_folder

    progress = (lambda line: print(line, file=sys.stderr)) if args.format != "table" else print
    manifest = ingest_folder(args.raw, args.processed, allow_half_points=args.halvpoang, progress=progress,
                             workers=args.workers, include_hidden=args.dolda)
    columns = {"path": "fil", "kind": "tabell", "rows_read": "lästa", "rows_kept": "godkända",
               "rows_quarantined": "karantän", "errors": "fel", "warnings": "varningar"}
    if args.format == "table":
        print()
        _print_frame(manifest[list(columns)].rename(columns=columns), "table")
        print(f"\nBearbetade tabeller finns i {args.processed}/, rader i karantän i {args.processed}/karantan/ "
              f"och alla fel och varningar i {args.processed}/fel.csv.")
    else:
        _print_frame(manifest, args.format)
    unread = manifest[manifest["kind"].isna()]
    for path in unread["path"]:
        print(f"Obs: {path} kunde inte läsas som en tabell; se {args.processed}/fel.csv. De andra filerna är inlästa.",
              file=sys.stderr)
    return 1 if len(unread) else 0


def _load_scores(args: argparse.Namespace) -> pd.DataFrame:
    from jamlib.ingest.store import load_processed
    from jamlib.ingest.validation import load

    if args.file:
        result = load(args.file, "checklist", allow_half_points=True)
        return result.data
    return load_processed("checklist", args.processed)


def _constructed_files(scores: pd.DataFrame | None) -> list[str]:
    """The files marked as constructed (the bundled ``*_konstruerad.csv``) that the scores come from."""
    if scores is None or "source_file" not in scores.columns:
        return []
    files = scores["source_file"].astype(str)
    return sorted(set(files[files.str.contains("konstruerad")]))


def _printed_tables(published: str | Path, round_name: str, role: str) -> Iterator[tuple[str, pd.DataFrame]]:
    """The published tables (name, rows) of a round and role in a folder ("" or a missing folder: none)."""
    from jamlib.formatting import normalise_dashes
    from jamlib.ingest.published import read_published

    folder = Path(published) if str(published) else None
    if folder is None or not folder.is_dir():
        return
    for path in sorted(folder.glob("*.csv")):
        printed = read_published(path)
        same = printed[(printed["round"] == normalise_dashes(round_name)) & (printed["role"] == role)]
        if not same.empty:
            yield str(same["table"].iloc[0]), same


def _printed_table_notes(table: pd.DataFrame, round_name: str, role: str, published: str | Path) -> list[str]:
    """Notes on every cell of a computed checklist table that does not print as in the published table."""
    from jamlib.analysis.published_notes import difference_notes, printed_differences

    notes: list[str] = []
    for name, same in _printed_tables(published, round_name, role):
        notes += difference_notes(printed_differences(table, same), name) or [f"Varje cell blir som i {name}."]
    return notes


def _cmd_checklist_table(args: argparse.Namespace) -> int:
    from jamlib.analysis.checklist import checklist_table, format_checklist_table
    from jamlib.analysis.published_notes import CONSTRUCTED_LABEL, CONSTRUCTED_NOTICE

    scores = _load_scores(args)
    table = checklist_table(scores, args.round, args.role)
    formatted = format_checklist_table(table)
    if args.format == "table":
        constructed = bool(_constructed_files(scores))
        counts = ", ".join(f"{k}: {v}" for k, v in table.attrs["organisations"].items())
        print(f"Omgång {table.attrs['round']}, {args.role}: genomsnittlig självskattning per moment"
              + (f" ({CONSTRUCTED_LABEL})" if constructed else "") + f" (antal organisationer: {counts})")
        if constructed:
            print(CONSTRUCTED_NOTICE)
    _print_frame(formatted, args.format)
    if args.format == "table":
        for note in _printed_table_notes(table, table.attrs["round"], args.role, args.publicerade):
            print(note)
    return 0


def _cmd_checklist_check(args: argparse.Namespace) -> int:
    import pandas as pd

    from jamlib.analysis.published import check_published_table, suggest_corrections
    from jamlib.ingest.published import read_published

    published = read_published(args.file)
    findings_all, suggestions_all = [], []
    for table_id, table in published.groupby("table", sort=False):
        findings = check_published_table(table)
        suggestions = suggest_corrections(table)
        findings.insert(0, "table", table_id)
        suggestions.insert(0, "table", table_id)
        findings_all.append(findings)
        suggestions_all.append(suggestions)
        if args.format == "table":
            if findings.empty:
                print(f"{table_id}: alla totaler och förändringar går ihop med de tryckta värdena (med avrundning till en decimal).")
            else:
                print(f"{table_id}: {len(findings)} avvikelser som avrundning inte kan förklara:")
                for message in findings["message"]:
                    print(f"  - {message}")
                print("Troligaste felen:")
                for message in suggestions["message"]:
                    print(f"  - {message}")
    findings = pd.concat(findings_all, ignore_index=True)
    if args.format != "table":
        _print_frame(findings, args.format)
    return 1 if len(findings) else 0


def _mentor_change_note(scores: pd.DataFrame, round_name: str, published: str | Path) -> list[str]:
    """The sentence that the mentors' computed change differs from the published table's, where it does."""
    from jamlib.analysis.checklist import checklist_table
    from jamlib.analysis.published_notes import change_note, printed_differences
    from jamlib.formatting import normalise_dashes

    round_name = normalise_dashes(round_name)
    if not ((scores["round"] == round_name) & (scores["role"] == "mentor")).any():
        return []
    for name, same in _printed_tables(published, round_name, "mentor"):
        note = change_note(printed_differences(checklist_table(scores, round_name, "mentor"), same), "mentorernas", name)
        return [note.replace("(se noten under tabellen)", "(se noterna under jam checklist table --role mentor)")] \
            if note else []
    return []


def _cmd_checklist_roles(args: argparse.Namespace) -> int:
    from jamlib.analysis.narrative import role_sentences
    from jamlib.analysis.role_comparison import compare_roles, format_role_table
    from jamlib.analysis.published_notes import CONSTRUCTED_LABEL, CONSTRUCTED_NOTICE
    from jamlib.formatting import normalise_dashes

    scores = _load_scores(args)
    comparison = compare_roles(scores, args.round)
    if args.format == "table":
        constructed = bool(_constructed_files(scores))
        print(f"Omgång {normalise_dashes(args.round)}: mentorer jämfört med deltagare (summa av tio moment, 10–40 poäng)"
              + (f" ({CONSTRUCTED_LABEL})" if constructed else ""))
        if constructed:
            print(CONSTRUCTED_NOTICE)
        for sentence in role_sentences(comparison) + _mentor_change_note(scores, args.round, args.publicerade):
            print(f"  {sentence}")
        print()
        _print_frame(format_role_table(comparison).drop(columns="Slutsats"), "table")
        return 0
    _print_frame(comparison, args.format)
    return 0


def _cmd_gaps(args: argparse.Namespace) -> int:
    from jamlib.formatting import split_list
    from jamlib.organisations import normalise_code
    from jamlib.ingest.sources import load_organisation_folder
    from jamlib.report.indicator_report import indicator_report, load_indicator_folder

    ids = split_list(args.indicator) or None
    indicators = load_indicator_folder(args.data, ids)
    report = indicator_report(indicators, args.org, indicator_ids=ids if ids else None, until=args.until,
                              reference=args.reference, polarity=args.polarity,
                              organisations=load_organisation_folder(args.organisations))
    notes = report.sentences.loc[report.sentences["indicator_id"] == "", "text"].tolist()
    if args.format != "table":
        from jamlib.analysis.gaps import DESCRIPTIVE_CAVEAT

        frame = report.persistence.merge(report.sentences, on="indicator_id", how="left")
        if not report.comparison.empty:
            latest = report.comparison.merge(report.persistence[["indicator_id", "latest_period"]],
                                             left_on=["indicator_id", "period"],
                                             right_on=["indicator_id", "latest_period"])
            frame = frame.merge(latest[["indicator_id", "reference", "reference_gap", "reference_size",
                                        "reference_members", "members_with_smaller_gap", "members_with_larger_gap",
                                        "larger"]], on="indicator_id", how="left")
        frame = frame.merge(report.trend[["indicator_id", "tested_periods", "slope_per_year", "fitted_start",
                                          "fitted_end", "p_value", "p_adjusted", "tests_in_family", "trend",
                                          "direction"]], on="indicator_id", how="left")
        unknown = frame["uncertainty"] != "kan beräknas"
        frame["caveat"] = [DESCRIPTIVE_CAVEAT if u else "" for u in unknown]
        frame["notes"] = " ".join(n for n in notes if n != DESCRIPTIVE_CAVEAT)
        if args.format == "csv" and normalise_code(report.org_code).problem is not None:
            frame = frame.rename(columns={"org_code": "id"})  # a committee's or company's id is no kommunkod
        _print_frame(frame, args.format)
        return 0
    header = f"{report.org_name} ({report.org_code})"
    if report.reference is not None:
        header += f" jämfört med {report.reference.label}"
    print(header + (f", till och med {args.until}" if args.until else ""))
    if report.reference is not None and report.reference.note:
        print(f"  {report.reference.note}")
    for text in report.sentences.loc[report.sentences["indicator_id"] != "", "text"]:
        print(f"  - {text}")
    if report.missing_indicators:
        print("  Inga värden för: " + ", ".join(report.missing_indicators))
    for text in notes:
        print(text)
    from jamlib.analysis.gaps import format_trend_table

    print()
    print("Trendtest (Mann–Kendall, exakt; p justerat med Benjamini–Hochberg):")
    _print_frame(format_trend_table(report.trend), "table")
    from jamlib.report.view import indicator_views

    for view in indicator_views(report):
        print()
        print(view.caption)
        _print_frame(view.table, "table")
    return 0


def _cmd_organisations(args: argparse.Namespace) -> int:
    import pandas as pd

    from jamlib.ingest.sources import load_organisation_folder
    from jamlib.organisations import organisation_table, with_organisation_ids
    from jamlib.report.indicator_report import load_indicator_folder
    from jamlib.run.batch import chosen_by_type_or_parent

    data = load_indicator_folder(args.data)
    table = organisation_table(data=data, own=load_organisation_folder(args.organisations))
    with_data = set(with_organisation_ids(data, table)["org_code"].dropna().astype(str))
    names = table.set_index("id")["name"].to_dict()
    if args.typ or args.under:
        chosen = {i for i, _, _ in chosen_by_type_or_parent(table, args.typ, args.under)}
        table = table[table["id"].isin(chosen)]
    if not args.alla:
        table = table[table["id"].isin(with_data) | ~table["type"].isin(["kommun", "region", "riket"])]
    frame = pd.DataFrame({
        "id": table["id"], "namn": table["name"], "typ": table["type"].astype(str),
        "överordnad": [names.get(p, p) if p else "" for p in table["parent"]],
        "har indikatordata": ["ja" if i in with_data else "nej" for i in table["id"]]})
    _print_frame(frame.reset_index(drop=True), args.format)
    return 0


def _kolada_client(args: argparse.Namespace):
    from jamlib.ingest.kolada_client import KoladaClient

    return KoladaClient(base_url=args.base_url, cache_dir=args.cache, deadline=args.deadline,
                        progress=(lambda line: print(f"  {line}", file=sys.stderr)))


def _kolada_notices(client) -> None:
    for notice in client.notices:
        print(f"Obs: {notice}", file=sys.stderr)


def _split(values: list[str] | None) -> list[str]:
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def _cmd_kolada_search(args: argparse.Namespace) -> int:
    client = _kolada_client(args)
    found = client.kpis(" ".join(args.words), gender_divided=True if args.kon else None,
                        operating_area=args.area, refresh=args.refresh)
    _kolada_notices(client)
    if args.format == "table":
        print(f"{len(found)} nyckeltal matchar" + (" (könsuppdelade)" if args.kon else "") + ":")
        found = found[["id", "title", "is_divided_by_gender", "operating_area"]].rename(columns={
            "title": "titel", "is_divided_by_gender": "könsuppdelat", "operating_area": "verksamhetsområde"})
    _print_frame(found, args.format)
    return 0


def _cmd_kolada_fetch(args: argparse.Namespace) -> int:
    client = _kolada_client(args)
    kpis = _split(args.kpi)
    for group in _split(args.kpi_group):
        members = client.group_kpis(group, refresh=args.refresh)
        print(f"  nyckeltalsgruppen {group}: {len(members)} nyckeltal", file=sys.stderr)
        kpis.extend(members)
    if not kpis:
        raise JamlibError("Ange nyckeltal med --kpi (t.ex. U23401) eller en nyckeltalsgrupp med --kpi-group.")
    codes = _split(args.municipality) or None
    units = _split(args.unit)
    if units or args.units_of:
        if codes:
            raise JamlibError("--municipality gäller kommunvärden; för enhetsvärden ange --unit eller --units-of.")
        result = client.unit_values(kpis, units or None, municipality=args.units_of, unit_type=args.unit_type,
                                    years=args.years, from_date=args.from_date,
                                    include_deleted=args.include_deleted, refresh=args.refresh)
    else:
        result = client.values(kpis, codes, years=args.years, from_date=args.from_date,
                               include_deleted=args.include_deleted, refresh=args.refresh)
    _kolada_notices(client)
    for warning in result.warnings:
        print(f"Obs: {warning}", file=sys.stderr)
    if args.format == "table":
        source = "cachen" if result.from_cache else "Kolada"
        if units or args.units_of:
            count = result.data["org_code"].nunique() if not result.data.empty else 0
            print(f"{len(result.data)} värden för {count} enheter från {source}, sparade i:")
        else:
            print(f"{len(result.data)} värden från {source}, sparade i:")
        for path in result.files:
            print(f"  {path}")
        if units or args.units_of:
            first = result.data["org_code"].iloc[0] if not result.data.empty else "ENHETS-ID"
            print("Enhetsvärdena sparas i oudata_*.json med enhetens namn och kommun. Analysera en enhet med: "
                  f"jam gaps --org {first} --data {args.cache}")
        else:
            print(f"Analysera med: jam gaps --org {codes[0] if codes else 'KOD'} --data {args.cache}")
        return 0
    _print_frame(result.data.drop(columns=["source_file", "source_row"], errors="ignore"), args.format)
    return 0


def _cmd_kolada_groups(args: argparse.Namespace) -> int:
    client = _kolada_client(args)
    groups = client.groups(args.municipality, refresh=args.refresh)
    _kolada_notices(client)
    if args.format == "table":
        for (group_id, title), members in groups.groupby(["group_id", "group_title"], sort=False):
            print(f"{group_id}  {title}: " + ", ".join(f"{n} ({c})" for c, n in zip(members["member_code"], members["member_name"])))
        return 0
    _print_frame(groups, args.format)
    return 0


def _cmd_kolada_kpi_groups(args: argparse.Namespace) -> int:
    client = _kolada_client(args)
    groups = client.kpi_groups(" ".join(args.words), refresh=args.refresh)
    _kolada_notices(client)
    if args.group:
        groups = groups[groups["group_id"] == args.group]
        if groups.empty:
            raise JamlibError(f"Kolada har ingen nyckeltalsgrupp med id {args.group[:40]!r}. Sök grupper med: "
                              "jam kolada kpi-groups ORD")
        if args.format == "table":
            print(f"{args.group}  {groups['group_title'].iloc[0]}: {len(groups)} nyckeltal")
            print(f"Hämta alla: jam kolada fetch --kpi-group {args.group} --municipality KOD")
            _print_frame(groups[["kpi_id", "kpi_title"]].rename(columns={"kpi_id": "id", "kpi_title": "titel"}), "table")
            return 0
        _print_frame(groups, args.format)
        return 0
    summary = (groups.groupby(["group_id", "group_title"], sort=False).size().reset_index(name="antal nyckeltal")
               .rename(columns={"group_id": "id", "group_title": "titel"}))
    if args.format == "table":
        print(f"{len(summary)} nyckeltalsgrupper matchar" + (":" if len(summary) else "."))
        _print_frame(summary, "table")
        if len(summary):
            print("Visa en grupps nyckeltal: jam kolada kpi-groups --group ID")
        return 0
    _print_frame(groups, args.format)
    return 0


def _cmd_kolada_units(args: argparse.Namespace) -> int:
    client = _kolada_client(args)
    units = client.units(args.municipality, search=" ".join(args.words), unit_type=args.type, refresh=args.refresh)
    _kolada_notices(client)
    if args.format == "table":
        print(f"{len(units)} enheter" + (f" i {args.municipality}" if args.municipality else "") + ":")
        _print_frame(units.rename(columns={"title": "namn", "municipality": "kommunkod",
                                           "municipality_name": "kommun"}), "table")
        return 0
    _print_frame(units, args.format)
    return 0


def _parse_parameters(items: list[str] | None) -> dict[str, object]:
    from jamlib.run.parameters import parse_parameters

    return parse_parameters(items)


def _cmd_batch(args: argparse.Namespace) -> int:
    from jamlib.run.batch import run_batch, select_organisations
    from jamlib.run.parameters import notebook_parameters

    notebook = Path(args.notebook)
    if not notebook.exists():
        raise JamlibError(f"Anteckningsboken {notebook} finns inte.")
    if args.namn or args.alla_i:
        return _cmd_batch_named(args)
    parameters = _parse_parameters(args.param)
    table, with_data = None, None
    if args.typ or args.under or any(not part.strip().isdigit() for item in args.org or []
                                     for part in str(item).split(",")):
        from jamlib.run.batch import batch_organisation_table

        table, with_data = batch_organisation_table(notebook, parameters)  # also the organisations in its data
    organisations = select_organisations(args.org, args.group, args.lan, args.all, table, org_type=args.typ,
                                         parent=args.under, all_regions=args.alla_regioner, with_data=with_data)
    if "interaktiv" in notebook_parameters(notebook):
        parameters.setdefault("interaktiv", False)
    out = Path(args.out) if args.out else Path("outputs") / notebook.stem
    print(f"Kör {notebook.name} för {len(organisations)} organisationer med {args.workers} processer till {out}/")
    result = run_batch(notebook, organisations, out, workers=args.workers, parameters=parameters,
                       parameter=args.code_parameter, title=args.title, timeout=args.timeout,
                       progress=lambda line: print(line, flush=True))
    _print_batch_summary(result, out, "")
    return 130 if result.interrupted else 1 if result.failed else 0


def _print_batch_summary(result, out: Path, indent: str) -> None:
    """What a batch gave: finished, failed, stopped and not run reports, and where the logs are."""
    from jamlib.vocabulary import BatchStatus

    counts = {status: sum(e.status == status for e in result.entries) for status in BatchStatus}
    if result.interrupted:
        print(f"{indent}Avbrutet efter {result.seconds:.1f} s: {counts[BatchStatus.DONE]} klara rapporter är sparade, "
              f"{counts[BatchStatus.NOT_RUN]} inte körda. Översikt: {result.index}")
    else:
        problems = len(result.entries) - counts[BatchStatus.DONE]
        print(f"{indent}Klart på {result.seconds:.1f} s: {counts[BatchStatus.DONE]} klara, {problems} med fel. "
              f"Översikt: {result.index}")
    for entry in result.entries:
        if entry.status in (BatchStatus.FAILED, BatchStatus.TIMED_OUT):
            kind = "fel" if entry.status == BatchStatus.FAILED else "tidsgräns"
            where = f" (logg: {out / entry.log})" if entry.log else ""
            print(f"{indent}  {kind}: {entry.code} {entry.name}: {entry.message}{where}")


def _cmd_batch_named(args: argparse.Namespace) -> int:
    from jamlib.run.batch import run_jobs
    from jamlib.run.named import named_jobs, organisations_in_file
    from jamlib.run.parameters import notebook_parameters

    notebook = Path(args.notebook)
    organisations = [(name, name) for name in args.namn or []]
    parameters = _parse_parameters(args.param)
    declared = notebook_parameters(notebook)
    if args.alla_i:
        organisations += organisations_in_file(args.alla_i)
        if "datafil" in declared:
            parameters.setdefault("datafil", str(args.alla_i))
    if "interaktiv" in declared:
        parameters.setdefault("interaktiv", False)
    jobs = named_jobs(notebook, list(dict.fromkeys(organisations)), parameters, args.namn_parameter)
    out = Path(args.out) if args.out else Path("outputs") / notebook.stem
    print(f"Kör {notebook.name} för {len(jobs)} organisationer med {args.workers} processer till {out}/")
    result = run_jobs(jobs, out, args.workers, args.title or f"Rapporter: {notebook.stem}", args.timeout,
                      progress=lambda line: print(line, flush=True))
    failed = result.failed
    print(f"Klart på {result.seconds:.1f} s: {len(result.entries) - len(failed)} klara, {len(failed)} med fel. "
          f"Översikt: {result.index}")
    for entry in failed:
        print(f"  fel: {entry.name}: {entry.message} (logg: {out / entry.log})")
    return 1 if failed else 0


def _print_failures(failures: pd.DataFrame, fmt: str) -> None:
    if failures.empty:
        return
    if fmt == "table":
        print("Att kontrollera:")
        for _, row in failures.iterrows():
            where = f"{row['file']} rad {row['row']}" if row["row"] is not None and not _isna(row["row"]) else str(row["file"])
            print(f"  - {row['severity']}: {where}: {row['message']}")
    else:
        _print_frame(failures.rename(columns=_FAILURE_HEADERS), "table", sys.stderr, cap_rules=True)


def _isna(value: object) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def _cmd_representation(args: argparse.Namespace) -> int:
    import pandas as pd

    from jamlib.analysis.representation import (parse_target, representation_sentences, representation_summary,
                                                representation_table, resource_sentences, resources_per_person,
                                                unit_shares)
    from jamlib.errors import ParameterError
    from jamlib.ingest.checked import load_checked

    target = parse_target(args.mal)
    units, resources, failures, ok = [], [], [], True
    for name in args.paths:
        result = load_checked(name)
        failures.append(result.failures)
        ok = ok and result.ok
        if result.kind == "representation":
            units.append(result.data)
        elif result.kind == "resources":
            resources.append(result.data)
        elif result.ok:
            raise ParameterError(f"{Path(name).name} är varken en fil med enheter (organisation, år, enhet, kvinnor, "
                                 "män, klass, belopp) eller med resurser per kön (organisation, år, resurs, kön, mängd, "
                                 "antal personer).")
    all_failures = pd.concat(failures, ignore_index=True)
    if not ok:
        print("Filerna har fel som måste rättas först:", file=sys.stderr)
        _print_frame(all_failures.rename(columns=_FAILURE_HEADERS), "table", sys.stderr, cap_rules=True)
        return 1

    def chosen(frame: pd.DataFrame) -> pd.DataFrame:
        if args.organisation:
            frame = frame[frame["org_name"].str.casefold() == args.organisation.casefold()]
        if args.ar:
            frame = frame[frame["period"].astype(str) == str(args.ar)]
        if frame.empty:
            raise ParameterError("Inga rader för vald organisation och år"
                                 f" ({args.organisation or 'alla organisationer'}, {args.ar or 'alla år'}).")
        return frame

    summary = representation_summary(chosen(pd.concat(units, ignore_index=True)), target) if units else pd.DataFrame()
    per_person = resources_per_person(chosen(pd.concat(resources, ignore_index=True))) if resources else pd.DataFrame()
    if args.format != "table":
        if not summary.empty and not per_person.empty:
            if args.format == "csv":
                raise ParameterError("Enheter och resurser är två tabeller och blir inte en CSV-fil. Kör kommandot en "
                                     "gång för filen med enheter och en gång för filen med resurser, eller använd "
                                     "--format json (ett objekt med nycklarna \"representation\" och \"resurser\").")
            both = {"representation": [{str(k): _plain(v) for k, v in row.items()} for row in summary.to_dict("records")],
                    "resurser": [{str(k): _plain(v) for k, v in row.items()} for row in per_person.to_dict("records")]}
            sys.stdout.write(json.dumps(both, ensure_ascii=False, indent=2) + "\n")
            return 0
        _print_frame(summary if not summary.empty else per_person, args.format)
        return 0
    if not summary.empty:
        frame = chosen(pd.concat(units, ignore_index=True))
        for sentence in representation_sentences(summary):
            print(sentence)
        print()
        _print_frame(representation_table(frame), "table")
        per_unit = unit_shares(frame, target)
        if not per_unit.empty:
            print("\nKvinnor och män per enhet:")
            for text in per_unit["text"]:
                print(f"  {text}")
    if not per_person.empty:
        if not summary.empty:
            print()
        print("Resurser per kvinna och per man (jämställdhetsbudgetering):")
        for sentence in resource_sentences(per_person):
            print(f"  {sentence}")
    _print_failures(all_failures, "table")
    return 0


def _cmd_chain_check(args: argparse.Namespace) -> int:
    from jamlib.ingest.checked import load_checked

    result = load_checked(args.path, "results_chain")
    if args.format == "table":
        _print_frame(result.failures.rename(columns=_FAILURE_HEADERS), "table", cap_rules=True)
        print(result.summary)
    else:
        _print_frame(result.failures.rename(columns=_FAILURE_HEADERS), args.format)
        print(result.summary, file=sys.stderr)
    return 0 if result.ok else 1


def _cmd_chain_show(args: argparse.Namespace) -> int:
    from jamlib.analysis.results_chain import chain_organisations, results_chain_overview
    from jamlib.ingest.checked import load_checked

    result = load_checked(args.path, "results_chain")
    if not args.organisation:
        table = chain_organisations(result.data)
        if args.format == "table":
            print("Organisationer i resultatkedjan (ange en med --organisation):")
        _print_frame(table.rename(columns={"organisation": "ange", "org_name": "namn", "parent": "överordnad",
                                           "org_code": "kommunkod", "org_type": "typ", "entries": "poster"}),
                     args.format)
        return 0
    overview = results_chain_overview(result.data, args.organisation, source=str(args.path))
    if args.format == "table":
        print(overview.label)
        for sentence in overview.sentences:
            print(f"  - {sentence}")
        print()
        _print_frame(overview.levels, "table")
        print()
        shown = [c for c in ("Nr", "Steg", "Status", "Datum", "Rubrik", "Måluppfyllelse", "Leder till")
                 if c in overview.entries.columns]
        _print_frame(overview.entries[shown], "table")
        _print_failures(overview.failures, "table")
    else:
        _print_frame(overview.entries, args.format)
    return 0 if not (overview.failures["severity"] == "fel").any() else 1


def _cmd_checklist_history(args: argparse.Namespace) -> int:
    from jamlib.analysis.model_history import history_sentences, mentor_groups, organisation_history, round_occasions
    from jamlib.ingest.checked import load_checked

    participation = load_checked(args.deltagande, "participation").data if args.deltagande else None
    scores = load_checked(args.file, "checklist", allow_half_points=True).data if args.file else None
    history = organisation_history(participation, scores)
    if args.format != "table":
        # the organisation's id and its name would both be "organisation" in Swedish
        _print_frame(history if args.format == "json" else history.rename(columns={"org_name": "namn"}), args.format)
        return 0
    constructed = _constructed_files(scores)
    notice = (f"Obs: poängen kommer från konstruerade data ({', '.join(constructed)}), inte från verkliga "
              "självskattningar; de visar hur analysen fungerar.") if constructed else ""
    if args.organisation:
        for sentence in history_sentences(history, args.organisation):
            print(sentence)
        if notice:
            print(notice)
        return 0
    if notice:
        print(notice)
    if scores is not None:
        print("Omgångar och deras tillfällen:")
        for _, row in round_occasions(scores).iterrows():
            print(f"  {row['round']}: {row['labels']}")
    groups = mentor_groups(participation if participation is not None else scores)
    if not groups.empty:
        print("Mentorgrupper:")
        for _, g in groups.iterrows():
            print(f"  {g['round']}, {g['mentor_group']}: mentor {g['mentors']}; deltagare {g['participants']}"
                  + (f" ({g['note']})" if g["note"] else ""))
    moved = history.groupby("organisation").filter(
        lambda h: "deltagare" in set(h["role"]) and "mentor" in set(h["role"]))
    if not moved.empty:
        print("Från deltagare till mentor:")
        for key in dict.fromkeys(moved["organisation"]):
            print("  " + history_sentences(history, key)[1])
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from jamlib.analysis.checklist import checklist_table, format_checklist_table
    from jamlib.analysis.published import check_published_table
    from jamlib.ingest.published import read_published
    from jamlib.ingest.store import ingest_folder, load_processed

    raw, processed = Path(args.raw), Path(args.processed)
    print("1. Läser in och granskar allt under", raw)
    manifest = ingest_folder(raw, processed, progress=lambda line: print("   ", line))
    print(f"   {int(manifest.rows_read.sum())} rader lästa, {int(manifest.rows_kept.sum())} godkända, "
          f"{int(manifest.rows_quarantined.sum())} i karantän.")
    scores = load_processed("checklist", processed)
    for role, number in (("deltagare", 1), ("mentor", 2)):
        print(f"\n2. Tabell {number} ({role}) beräknad från skattningarna (konstruerade data, se data/raw/README.md):")
        table = checklist_table(scores, "2020–2022", role)
        _print_frame(format_checklist_table(table), "table")
        for note in _printed_table_notes(table, "2020–2022", role, raw / "published"):
            print(f"   {note}")
    print("\n3. Kontroll av de publicerade tabellerna:")
    for path in sorted((raw / "published").glob("*.csv")):
        findings = check_published_table(read_published(path))
        print(f"   {path.name}: " + ("inga avvikelser." if findings.empty else f"{len(findings)} avvikelser som avrundning inte förklarar:"))
        for message in findings["message"]:
            print(f"     - {message}")
    print("\n4. Rapporter (anteckningsböckerna körs, exporteras till HTML och samlas i en översikt):")
    from jamlib.run.batch import Job, run_jobs
    from jamlib.files import safe_filename
    from jamlib.organisations import municipality_name

    notebooks = Path(args.notebooks)
    out = Path(args.out)
    chain_file = str(raw / "results_chain" / "modellkonceptet_2020_2022_resultatkedja.csv")
    checklist_file = str(raw / "checklist" / "modellkonceptet_2020_2022_konstruerad.csv")
    jobs = [
        Job(notebooks / "checklista_omgangar.ipynb", {"datafil": checklist_file}, "–", "Checklistan över omgångar",
            "checklistan_omgangar"),
        Job(notebooks / "mentorer_deltagare.ipynb", {"datafil": checklist_file, "omgang": "2020–2022"}, "–",
            "Mentorer och deltagare 2020–2022", "mentorer_och_deltagare"),
    ]
    for code in _MODELLKONCEPTET:
        name = municipality_name(code) or code
        jobs.append(Job(notebooks / "indikatorrapport.ipynb",
                        {"kommunkod": code, "interaktiv": False, "datamapp": str(raw / "kolada")},
                        code, f"{name}: indikatorer", safe_filename(code, name, "indikatorer", suffix="")))
        jobs.append(Job(notebooks / "resultatkedja.ipynb", {"kommunkod": code, "datafil": chain_file},
                        code, f"{name}: resultatkedjan", safe_filename(code, name, "resultatkedja", suffix="")))
    for name in ("Rekarnebygymnasiet", "Kfast AB"):  # Eskilstuna's own statistics: a school and a company
        jobs.append(Job(notebooks / "indikatorrapport.ipynb",
                        {"kommunkod": name, "interaktiv": False, "datamapp": str(raw / "indicators"),
                         "organisationer": str(raw / "organisations")},
                        "–", f"{name}: egen statistik", safe_filename(name, "egen statistik", suffix="")))
    result = run_jobs(jobs, out, workers=args.workers, title="Modellkonceptet 2020–2022: rapporter",
                      timeout=args.timeout, progress=lambda line: print("   ", line, flush=True))
    if result.interrupted or result.failed:
        _print_batch_summary(result, out, "   ")
    else:
        print(f"   {len(result.entries)} av {len(result.entries)} rapporter klara på {result.seconds:.1f} s. "
              f"Öppna {result.index} i en webbläsare.")
    if result.interrupted:
        return 130
    print(f"\nKlart. Bearbetade data finns i {processed}/, rapporterna i {out}/.")
    return 1 if result.failed else 0


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser for ``jam``."""
    parser = _SwedishParser(
        prog="jam",
        description="jamlib: granska, lagra och analysera data om jämställdhetsintegrering "
                    "(checklistan, könsuppdelad statistik och resultatkedjan).",
        epilog="Exempel: jam validate data/raw/checklist/skattningar.csv  |  jam ingest  |  jam demo",
    )
    sub = parser.add_subparsers(dest="command", metavar="KOMMANDO")
    sub.required = True

    def add_format(p: argparse.ArgumentParser) -> None:
        p.add_argument("--format", choices=("table", "csv", "json"), default="table",
                       help="utdata som läsbar tabell (standard), CSV (semikolon) eller JSON för skript")

    p = sub.add_parser("validate", help="granska filer och lista alla fel",
                       description="Granskar en eller flera filer (CSV, Excel, Parquet, Kolada-JSON) och listar varje "
                                   "problem med fil, rad (som i Excel), kolumn, värde och förklaring. "
                                   "Avslutas med kod 1 om något fel hittades, 0 om filerna är felfria (varningar räknas inte).")
    p.add_argument("paths", nargs="+", metavar="FIL", help="filer att granska")
    p.add_argument("--kind", choices=("checklist", "published", "indicators", "results_chain", "representation",
                                      "resources", "participation"),
                   help="tabelltyp (gissas annars från kolumnnamnen)")
    p.add_argument("--halvpoang", action="store_true", help="tillåt halva poäng (2,5) i checklistan")
    p.add_argument("--dolda", action="store_true", help="läs även dolda blad och rader i Excel-filer")
    add_format(p)
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("ingest", help="granska allt under data/raw och spara till data/processed",
                       description="Läser alla datafiler under --raw, granskar dem och sparar godkända rader som Parquet under "
                                   "--processed, rader med fel i karantan/ och en manifestfil per källfil. "
                                   "Filerna skrivs atomärt: ett avbrott lämnar aldrig en halvskriven fil.")
    p.add_argument("--raw", default="data/raw", help="mapp med rådata (standard: data/raw)")
    p.add_argument("--processed", default="data/processed", help="mapp för bearbetade data (standard: data/processed)")
    p.add_argument("--halvpoang", action="store_true", help="tillåt halva poäng (2,5) i checklistan")
    p.add_argument("--dolda", action="store_true", help="läs även dolda blad och rader i Excel-filer")
    p.add_argument("--workers", type=int, default=None,
                   help="antal processer som läser filer samtidigt (standard: antal kärnor, högst 4)")
    add_format(p)
    p.set_defaults(func=_cmd_ingest)

    def add_scores_source(p: argparse.ArgumentParser) -> None:
        p.add_argument("--file", help="läs skattningar från denna fil i stället för data/processed")
        p.add_argument("--processed", default="data/processed", help="mapp med bearbetade data")
        p.add_argument("--publicerade", default="data/raw/published",
                       help="mapp med SKR:s tryckta tabeller; varje cell som inte blir som där får en not")
        add_format(p)

    checklist = sub.add_parser("checklist", help="checklisttabeller och kontroll av publicerade tabeller")
    csub = checklist.add_subparsers(dest="checklist_command", metavar="KOMMANDO")
    csub.required = True
    p = csub.add_parser("table", help="medelvärden per moment och tillfälle, som SKR:s Tabell 1 och 2",
                        description="Skriver ut gruppens genomsnittliga självskattning per moment och tillfälle, med Totalt "
                                    "och förändring, avrundat och formaterat som i SKR:s rapport.")
    p.add_argument("--round", required=True, help="omgång, t.ex. 2020–2022")
    p.add_argument("--role", required=True, choices=("deltagare", "mentor"), help="deltagare eller mentor")
    add_scores_source(p)
    p.set_defaults(func=_cmd_checklist_table)
    p = csub.add_parser("check", help="kontrollera att en publicerad tabell går ihop",
                        description="Hittar totaler och förändringar i en publicerad tabell som inte kan förklaras av "
                                    "avrundning till en decimal, och pekar ut de celler som troligast är fel. "
                                    "Avslutas med kod 1 om något inte går ihop.")
    p.add_argument("file", metavar="FIL", help="publicerad tabell (CSV eller Excel)")
    add_format(p)
    p.set_defaults(func=_cmd_checklist_check)

    p = csub.add_parser("roles", help="jämför mentorer och deltagare (exakta test)",
                        description="Jämför mentorernas och deltagarnas totalpoäng vid varje tillfälle och deras utveckling, "
                                    "med exakta permutationstest som gäller även för 2–6 organisationer.")
    p.add_argument("--round", required=True, help="omgång, t.ex. 2020–2022")
    add_scores_source(p)
    p.set_defaults(func=_cmd_checklist_roles)

    p = csub.add_parser("historik", help="omgångar, mentorgrupper och organisationer över omgångar",
                        description="Visar varje omgångs tillfällen (Uppstart–Träff 3, Före–Under–Efter eller år), "
                                    "mentorgrupperna och vilka organisationer som gått från deltagare till mentor.",
                        epilog="Exempel: jam checklist historik --deltagande data/raw/participation/"
                               "modellkonceptet_deltagande.csv --file data/raw/checklist --organisation Kalmar")
    p.add_argument("--deltagande", help="fil med deltagande per omgång (omgång, organisation, roll, mentorgrupp)")
    p.add_argument("--file", help="skattningar: en fil eller en mapp med checklistfiler")
    p.add_argument("--organisation", help="visa en organisations väg genom omgångarna")
    add_format(p)
    p.set_defaults(func=_cmd_checklist_history)

    p = sub.add_parser("representation", help="representation och resurser: andelar per klass, pengar och mål",
                       description="Läser en fil med enheter (akter, lag, personalgrupper, föreningar) med antal kvinnor "
                                   "och män, klass och belopp, och/eller en fil med resurser per kön. Visar andelen "
                                   "enheter per klass (kvinnodominerad, mansdominerad, mixad enligt Jämställd festivals "
                                   "regel) med exakta intervall, andelen av pengarna, andelen kvinnor och avståndet till "
                                   "målet; för resurser: mängd per kvinna och per man med en konsekvensmening.",
                       epilog="Exempel: jam representation data/raw/representation/"
                              "destination_eskilstuna_stadsfestival_2022.csv --mal 50/50")
    p.add_argument("paths", nargs="+", metavar="FIL", help="filer med enheter och/eller resurser per kön")
    p.add_argument("--mal", default="50/50", help="målet som andel kvinnor/män, t.ex. 50/50 (standard) eller 30/70")
    p.add_argument("--organisation", help="bara denna organisation")
    p.add_argument("--ar", help="bara detta år")
    add_format(p)
    p.set_defaults(func=_cmd_representation)

    chain = sub.add_parser("resultatkedja", help="granska och visa resultatkedjor (kommuner, nämnder, bolag)")
    rsub = chain.add_subparsers(dest="chain_command", metavar="KOMMANDO")
    rsub.required = True
    p = rsub.add_parser("granska", help="granska en resultatkedja: kolumner, länkar och belägg",
                        description="Granskar varje rad och kedjan som helhet: länkar ska peka uppåt i kedjan inom samma "
                                    "organisation, och ett uppnått utfall utan belägg flaggas. Kod 1 om något fel hittades.")
    p.add_argument("path", metavar="FIL", help="en fil eller en mapp med resultatkedjor")
    add_format(p)
    p.set_defaults(func=_cmd_chain_check)
    p = rsub.add_parser("visa", help="en organisations resultatkedja i text (utan --organisation: listan)",
                        epilog="Exempel: jam resultatkedja visa data/raw/results_chain --organisation Gymnasienämnden")
    p.add_argument("path", metavar="FIL", help="en fil eller en mapp med resultatkedjor")
    p.add_argument("--organisation", help="kommunkod, namn eller 'Överordnad / Namn'")
    add_format(p)
    p.set_defaults(func=_cmd_chain_show)

    p = sub.add_parser("gaps", help="skillnader mellan kvinnor och män för en kommun, region, nämnd eller ett bolag",
                       description="Visar för en organisation och dess indikatorer vilket kön som missgynnas, hur många år "
                                   "i rad, trenden och (för kommuner och regioner) jämförelsen med riket, liknande "
                                   "kommuner eller en egen lista. Läser Kolada-filer och egna indikatorfiler.",
                       epilog="Exempel: jam gaps --org 1780 --reference liknande --until 2021; "
                              "jam gaps --org \"Kfast AB\"")
    p.add_argument("--org", required=True,
                   help="kommun- eller regionkod med fyra siffror (1780, 0017), eller en organisations namn som i data "
                        "(\"Kfast AB\")")
    p.add_argument("--polarity", action="append", metavar="KPI=RIKTNING",
                   help="vilket håll som är bättre, t.ex. N00905=högre eller U23401=lägre (högre, lägre, neutral); "
                        "kan upprepas eller kommasepareras")
    p.add_argument("--indicator", action="append", metavar="ID",
                   help="indikator (Kolada-id eller egen indikators id), kan upprepas eller kommasepareras; "
                        "standard: alla som finns för organisationen")
    p.add_argument("--reference", default="riket",
                   help="riket (standard), liknande, ett Kolada grupp-id (G...) eller kommunkoder, t.ex. 0484,0780")
    p.add_argument("--until", help="sista period som tas med, t.ex. 2021")
    p.add_argument("--data", action="append",
                   help="mapp med Kolada-filer (data_*.json) och/eller egna indikatorfiler (CSV, Excel); kan upprepas "
                        "eller kommasepareras (standard: data/raw/kolada och data/raw/indicators)")
    p.add_argument("--organisations", default="data/raw/organisations",
                   help="mapp med er organisationstabell: nämnder, bolag och enheter med överordnad "
                        "(standard: data/raw/organisations)")
    add_format(p)
    p.set_defaults(func=_cmd_gaps)

    p = sub.add_parser("organisations", help="organisationer som kan rapporteras: kommuner, regioner, nämnder, bolag, enheter",
                       description="Listar organisationerna i er organisationstabell (data/raw/organisations) och i "
                                   "indikatordata, med typ, överordnad och om de har indikatordata. Namnen och id:n "
                                   "går att ge till jam gaps --org och jam batch --org. Kommuner och regioner utan "
                                   "data visas med --alla.",
                       epilog="Exempel: jam organisations --under Eskilstuna")
    p.add_argument("--typ", help="bara en typ: nämnd, förvaltning, bolag, skola, enhet, kommun, region, annan")
    p.add_argument("--under", metavar="ORGANISATION", help="bara de som ligger under en organisation, i alla led")
    p.add_argument("--alla", action="store_true", help="också kommuner och regioner utan indikatordata")
    p.add_argument("--data", action="append", help="mappar med indikatorfiler (standard: data/raw/kolada och "
                                                   "data/raw/indicators)")
    p.add_argument("--organisations", default="data/raw/organisations", help="mapp med er organisationstabell")
    add_format(p)
    p.set_defaults(func=_cmd_organisations)

    kolada = sub.add_parser("kolada", help="sök och hämta nyckeltal från Kolada (sparas i data/raw/kolada)")
    ksub = kolada.add_subparsers(dest="kolada_command", metavar="KOMMANDO")
    ksub.required = True

    def add_kolada(p: argparse.ArgumentParser) -> None:
        from jamlib.ingest.kolada_http import DEFAULT_BASE_URL  # not kolada_client: --help imports no pandas

        p.add_argument("--cache", default="data/raw/kolada", help="mapp för hämtade svar (standard: data/raw/kolada)")
        p.add_argument("--base-url", default=DEFAULT_BASE_URL, help=f"Koladas API-adress (standard: {DEFAULT_BASE_URL})")
        p.add_argument("--refresh", action="store_true", help="hämta på nytt även om svaret finns i cachen")
        p.add_argument("--deadline", type=float, default=300.0, metavar="SEKUNDER",
                       help="längsta tid för en fråga till Kolada, alla sidor och nya försök (standard 300)")
        add_format(p)

    p = ksub.add_parser("search", help="sök nyckeltal på ord i titel och beskrivning",
                        description="Söker bland Koladas nyckeltal. Utan internet söks i stället i de medföljande "
                                    "metadata (alla könsuppdelade nyckeltal), och det sägs ut.",
                        epilog="Exempel: jam kolada search väntetid --kon")
    p.add_argument("words", nargs="+", metavar="ORD", help="sökord")
    p.add_argument("--kon", action="store_true", help="bara könsuppdelade nyckeltal")
    p.add_argument("--area", help="bara detta verksamhetsområde, t.ex. Äldreomsorg")
    add_kolada(p)
    p.set_defaults(func=_cmd_kolada_search)
    p = ksub.add_parser("fetch", help="hämta värden för nyckeltal, kommuner eller enheter och år",
                        epilog="Exempel: jam kolada fetch --kpi U23401,N20402 --municipality 1780 --years 2015-2022\n"
                               "         jam kolada fetch --kpi N15419 --units-of 1780 --unit-type V15 --years 2022",
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--kpi", action="append", help="nyckeltal, kommaseparerade eller upprepade")
    p.add_argument("--kpi-group", action="append", metavar="ID",
                   help="hämta alla nyckeltal i en nyckeltalsgrupp (id från jam kolada kpi-groups)")
    p.add_argument("--municipality", action="append", help="kommun-, region- eller grupp-id (standard: alla)")
    p.add_argument("--unit", action="append", metavar="ENHET",
                   help="enheter (t.ex. V15E144001101): hämta enhetsvärden i stället för kommunvärden")
    p.add_argument("--units-of", metavar="KOMMUN", help="hämta enhetsvärden för alla enheter i kommunen, t.ex. 1780")
    p.add_argument("--unit-type", metavar="TYP", help="med --units-of: bara enheter av typen, t.ex. V21 (äldreboenden)")
    p.add_argument("--years", help="år, t.ex. 2015-2022 eller 2018,2020 (standard: alla)")
    p.add_argument("--from-date", help="bara värden ändrade sedan detta datum (ÅÅÅÅ-MM-DD)")
    p.add_argument("--include-deleted", action="store_true", help="ta med värden som Kolada markerat som raderade")
    add_kolada(p)
    p.set_defaults(func=_cmd_kolada_fetch)
    p = ksub.add_parser("groups", help="kommungrupper, t.ex. Liknande kommuner, med medlemmar",
                        epilog="Exempel: jam kolada groups --municipality 1780")
    p.add_argument("--municipality", help="bara grupper som denna kommun ingår i")
    add_kolada(p)
    p.set_defaults(func=_cmd_kolada_groups)
    p = ksub.add_parser("kpi-groups", help="nyckeltalsgrupper (tematiska urval av nyckeltal), sökbara på titel",
                        epilog="Exempel: jam kolada kpi-groups äldreomsorg\n"
                               "         jam kolada kpi-groups --group ID\n"
                               "         jam kolada fetch --kpi-group ID --municipality 1780",
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("words", nargs="*", metavar="ORD", help="ord som ska finnas i gruppens titel")
    p.add_argument("--group", metavar="ID", help="visa nyckeltalen i denna grupp")
    add_kolada(p)
    p.set_defaults(func=_cmd_kolada_kpi_groups)
    p = ksub.add_parser("units", help="Koladas enheter (äldreboenden, skolor ...) i en kommun",
                        epilog="Exempel: jam kolada units --municipality 1780 --type V21")
    p.add_argument("words", nargs="*", metavar="ORD", help="ord som ska finnas i enhetens namn")
    p.add_argument("--municipality", help="kommunkod, t.ex. 1780 (standard: alla kommuner)")
    p.add_argument("--type", help="enhetstyp: början på enhetens id, t.ex. V21 (äldreboenden) eller V15 (grundskolor)")
    add_kolada(p)
    p.set_defaults(func=_cmd_kolada_units)

    p = sub.add_parser("demo", help="kör huvudjobbet på de medföljande data",
                       description="Läser in och granskar allt under data/raw, räknar fram Tabell 1 och 2 och kontrollerar "
                                   "de publicerade tabellerna.")
    p.add_argument("--raw", default="data/raw", help="mapp med rådata")
    p.add_argument("--processed", default="data/processed", help="mapp för bearbetade data")
    p.add_argument("--notebooks", default="notebooks", help="mapp med anteckningsböckerna")
    p.add_argument("--out", default="outputs/demo", help="mapp för rapporterna (standard: outputs/demo)")
    p.add_argument("--workers", type=_count, default=2, help="antal rapporter som körs samtidigt")
    p.add_argument("--timeout", type=_seconds, default=600.0, help="sekunder innan en rapport avbryts (standard 600)")
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser("batch", help="kör en anteckningsbok per kommun och samla HTML-rapporterna",
                       description="Kör anteckningsboken en gång per organisation, parallellt och var för sig isolerat, "
                                   "exporterar varje körning till HTML utan kod och skriver en översikt index.html. "
                                   "En kommun som misslyckas stoppar inte de andra; kod 1 om någon misslyckades.",
                       epilog="Exempel: jam batch notebooks/indikatorrapport.ipynb --lan 17 --workers 2 -p till_och_med=2021")
    p.add_argument("notebook", metavar="ANTECKNINGSBOK")
    p.add_argument("--org", action="append",
                   help="kommun- eller regionkoder (kommaseparerade eller upprepade) eller en organisations namn som i "
                        "data, t.ex. --org \"Kfast AB\" (kan upprepas)")
    p.add_argument("--group", help="Kolada-grupp (id eller titel), t.ex. G176581")
    p.add_argument("--lan", help="län: de två första siffrorna i kommunkoden, t.ex. 17 för Värmland")
    p.add_argument("--all", action="store_true", help="alla 290 kommuner")
    p.add_argument("--alla-regioner", action="store_true", help="alla 21 regioner")
    p.add_argument("--typ", help="alla organisationer av en typ som har data: nämnd, förvaltning, bolag, skola, enhet, "
                                 "kommun, region eller annan (från er organisationstabell och data)")
    p.add_argument("--under", metavar="ORGANISATION",
                   help="alla organisationer med data under en annan, i alla led, t.ex. --under Eskilstuna "
                        "(nämnder och bolag) eller --under \"Eskilstuna Kommunföretag AB\"")
    p.add_argument("--namn", action="append", metavar="ORGANISATION",
                   help="organisation utan kommunkod (nämnd, bolag) efter namn; kan upprepas")
    p.add_argument("--alla-i", metavar="FIL", help="varje organisation i denna datafil eller mapp (resultatkedja, "
                                                   "checklista, representation eller deltagande); blir också "
                                                   "anteckningsbokens datafil om du inte anger -p datafil=...")
    p.add_argument("--namn-parameter", default="organisation",
                   help="parametern som får organisationens namn (standard organisation)")
    p.add_argument("--workers", type=_count, default=2, help="antal rapporter som körs samtidigt (standard 2)")
    p.add_argument("--out", help="mapp för rapporterna (standard: outputs/<anteckningsbok>)")
    p.add_argument("-p", "--param", action="append", metavar="NAMN=VÄRDE",
                   help="parameter till alla körningar; bara namn som finns i anteckningsbokens parameters-cell")
    p.add_argument("--code-parameter", default="kommunkod", help="parametern som får kommunkoden (standard kommunkod)")
    p.add_argument("--title", help="rubrik på översikten")
    p.add_argument("--timeout", type=_seconds, default=600.0,
                   help="sekunder innan en rapport som hänger stoppas och markeras (standard 600)")
    p.set_defaults(func=_cmd_batch)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``jam``; return the exit code."""
    _safe_streams()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except JamlibError as error:
        print(f"Fel: {error}", file=sys.stderr)
        failures = getattr(error, "failures", None)
        if failures is not None:
            _print_frame(failures.rename(columns=_FAILURE_HEADERS), "table", sys.stderr, cap_rules=True)
        return 2
    except BrokenPipeError:  # output piped to e.g. head: stop quietly
        sys.stderr.close()
        return 0
    except PermissionError as error:
        print(f"Fel: {error.filename or 'en fil'} kan inte läsas eller skrivas: den är låst eller skrivskyddad. "
              "Stäng filen om den är öppen i Excel, eller välj en mapp du får skriva i, och försök igen.",
              file=sys.stderr)
        return 2
    except OSError as error:
        where = f" ({error.filename})" if error.filename else ""
        print(f"Fel: filen kunde inte läsas eller skrivas{where}: {error.strerror or error}.", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Avbrutet. Inga halvskrivna filer har lämnats kvar.", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
