"""Applying the schemas of :mod:`jamlib.schemas` to raw tables.

Validation never stops at the first problem. It returns a
:class:`ValidationResult` holding the rows that passed (typed, canonical
columns), the rows that failed exactly as they stood in the file (the
quarantine), and the failure table: file, row as seen in Excel, column, value,
rule, severity and a Swedish message. Rows read always equal rows kept plus
rows quarantined.

Severity ``fel`` (error) sends the row to quarantine and makes ``jam validate``
exit with 1; ``varning`` (warning) keeps the row; ``info`` marks rows taken out
by a documented rule (identical duplicate rows, Kolada rows marked deleted).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from jamlib.errors import DataFileError, ValidationError
from jamlib.organisations import normalise_code
from jamlib.vocabulary import CodeProblem
from jamlib.ingest.readers import FILE, ROW, RawTable, read_raw
from jamlib.schemas import MOMENTS, SCHEMAS, Column, TableSchema

__all__ = ["ValidationResult", "validate", "load", "FAILURE_COLUMNS"]

#: Columns of the failure table.
FAILURE_COLUMNS: list[str] = ["file", "row", "column", "value", "rule", "severity", "message"]

_PERCENT_UNITS = {"%", "procent", "andel", "andel (%)", "andel %", "percent", "procentandel"}
_COUNT_UNITS = {"antal", "st", "stycken", "personer", "count"}


def _norm_header(text: str) -> str:
    return " ".join(str(text).strip().lower().replace("_", " ").split())


@dataclass
class ValidationResult:
    """What validation found in one file or frame.

    Attributes
    ----------
    kind
        Table kind (``checklist``, ``published``, ``indicators``, ``results_chain``),
        or ``None`` when it could not be determined.
    source
        File name (or label) the rows came from.
    data
        Rows that passed, in canonical columns with ``source_file`` and ``source_row``.
    quarantine
        Rows that did not pass, as they stood in the file, with ``fil``, ``rad``
        and ``orsak`` (reason).
    failures
        The failure table (:data:`FAILURE_COLUMNS`).
    normalisations
        Labels that were normalised (``column``, ``from``, ``to``, ``rows``),
        e.g. ``Flickor`` read as ``K``.
    rows_read
        Data rows read from the source.
    notes
        What the reader noticed, in Swedish.
    """

    kind: str | None
    source: str
    data: pd.DataFrame
    quarantine: pd.DataFrame
    failures: pd.DataFrame
    normalisations: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["column", "from", "to", "rows"]))
    rows_read: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def rows_kept(self) -> int:
        """Number of rows that passed."""
        return len(self.data)

    @property
    def rows_quarantined(self) -> int:
        """Number of rows sent to quarantine."""
        return len(self.quarantine)

    @property
    def ok(self) -> bool:
        """True when no failure of severity ``fel`` was found."""
        return not (self.failures["severity"] == "fel").any()

    @property
    def summary(self) -> str:
        """A one-line Swedish summary."""
        errors = int((self.failures["severity"] == "fel").sum())
        warnings = int((self.failures["severity"] == "varning").sum())
        kind = SCHEMAS[self.kind].title if self.kind in SCHEMAS else "okänd tabelltyp"
        return (
            f"{self.source} ({kind}): {self.rows_read} rader lästa, {self.rows_kept} godkända, "
            f"{self.rows_quarantined} i karantän; {errors} fel, {warnings} varningar."
        )

    def raise_for_failures(self) -> None:
        """Raise :class:`~jamlib.errors.ValidationError` if any failure of severity ``fel`` was found."""
        if not self.ok:
            raise ValidationError(self.failures, self.summary)


# --------------------------------------------------------------------------- cells


@dataclass(frozen=True)
class _Cell:
    value: object = None
    rule: str | None = None
    message: str = ""
    severity: str = "fel"


def _parse_number(text: str) -> float | None:
    t = text.strip().replace("\u2212", "-").replace("\xa0", "").replace("\u202f", "").replace(" ", "")
    if t.endswith("%"):
        t = t[:-1]
    if "," in t and "." in t:
        t = t.replace(".", "").replace(",", ".") if t.rfind(",") > t.rfind(".") else t.replace(",", "")
    elif t.count(",") == 1:
        t = t.replace(",", ".")
    try:
        number = float(t)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _fmt(number: float) -> str:
    return (str(int(number)) if float(number).is_integer() else repr(float(number))).replace(".", ",")


_PERIOD = re.compile(r"^(19|20)\d{2}(([/-])(\d{2}|\d{4})|-(0[1-9]|1[0-2])|[ -]?[QqTt][1-4])?$")


def _range_problem(col: Column, number: float) -> _Cell | None:
    if col.minimum is not None and number < col.minimum:
        if col.minimum == 0:
            return _Cell(None, "negativt_antal", f"{col.display.capitalize()} kan inte vara negativt ({_fmt(number)}).")
        return _Cell(None, "utanför_intervall", f"{col.display.capitalize()} {_fmt(number)} är mindre än det lägsta tillåtna, {_fmt(col.minimum)}.")
    if col.maximum is not None and number > col.maximum:
        return _Cell(None, "utanför_intervall", f"{col.display.capitalize()} {_fmt(number)} är större än det högsta tillåtna, {_fmt(col.maximum)}.")
    return None


def _parse_cell(col: Column, text: str | None) -> _Cell:
    if text is None or str(text).strip() == "":
        if col.nullable:
            return _Cell(None)
        return _Cell(None, "saknas", f"Värde saknas i kolumnen '{col.display}', som måste vara ifylld.")
    text = str(text).strip()
    kind = col.kind
    if kind == "text":
        return _Cell(text)
    if kind == "code":
        check = normalise_code(text)
        if check.problem is None:
            return _Cell(check.code)
        rule = {CodeProblem.LEADING_ZERO: "inledande_nolla", CodeProblem.UNKNOWN: "okänd_kod",
                CodeProblem.MALFORMED: "ogiltig_kod"}[check.problem]
        return _Cell(None, rule, check.message)
    if kind in ("number", "integer"):
        number = _parse_number(text)
        if number is None:
            return _Cell(None, "ogiltigt_tal", f"'{text}' i kolumnen '{col.display}' är inget tal.")
        if kind == "integer" and not number.is_integer():
            return _Cell(None, "ogiltigt_tal", f"'{text}' i kolumnen '{col.display}' ska vara ett heltal.")
        problem = _range_problem(col, number)
        return problem or _Cell(int(number) if kind == "integer" else number)
    if kind == "label":
        key = _norm_header(text)
        assert col.labels is not None
        if key in col.labels:
            return _Cell(col.labels[key])
        allowed = ", ".join(sorted(set(col.labels.values())))
        return _Cell(None, "okänd_etikett", f"'{text}' är inget känt värde för {col.display}. Tillåtna värden: {allowed}.")
    if kind == "period":
        if text.endswith(".0") and text[:-2].isdigit():
            text = text[:-2]
        if _PERIOD.match(text):
            return _Cell(text)
        return _Cell(None, "ogiltig_period", f"'{text}' är ingen period. Skriv år som 2022 eller läsår som 2019/20.")
    if kind == "date":
        for pattern, fmt in ((r"^\d{4}$", "%Y"), (r"^\d{4}-\d{2}$", "%Y-%m"), (r"^\d{4}-\d{2}-\d{2}$", "%Y-%m-%d")):
            if re.match(pattern, text):
                try:
                    _dt.datetime.strptime(text, fmt)
                    return _Cell(text)
                except ValueError:
                    break
        return _Cell(None, "ogiltigt_datum", f"'{text}' är inget datum. Skriv ÅÅÅÅ-MM-DD, ÅÅÅÅ-MM eller ÅÅÅÅ.")
    if kind == "int_list":
        parts = [p for p in re.split(r"[,;/ ]+|\boch\b", text) if p.strip()]
        numbers = []
        for part in parts:
            if not part.strip().isdigit():
                return _Cell(None, "ogiltig_lista", f"'{text}' i kolumnen '{col.display}' ska vara nummer åtskilda med komma, t.ex. 1, 5.")
            n = int(part)
            if (col.minimum is not None and n < col.minimum) or (col.maximum is not None and n > col.maximum):
                return _Cell(None, "utanför_intervall", f"{n} i kolumnen '{col.display}' ligger utanför {int(col.minimum or 0)}–{int(col.maximum or 0)}.")
            numbers.append(n)
        return _Cell(sorted(set(numbers)))
    if kind == "moment_row":
        low = text.lower()
        if low.startswith(("totalt", "summa", "total")):
            return _Cell(-1)
        head = re.match(r"^\s*(\d+)", text)
        if head and 1 <= int(head.group(1)) <= 10:
            return _Cell(int(head.group(1)))
        for number, moment_text in MOMENTS.items():
            if moment_text.lower() in low:
                return _Cell(number)
        return _Cell(None, "okänt_moment", f"'{text}' är varken ett checklistmoment (1–10) eller raden Totalt.")
    raise AssertionError(kind)  # pragma: no cover


# --------------------------------------------------------------------------- columns and kind


def _column_map(schema: TableSchema, headers: list[str]) -> dict[str, str]:
    """Map canonical column name -> the file's header."""
    by_norm = {_norm_header(h): h for h in headers}
    mapping: dict[str, str] = {}
    for col in schema.columns:
        for name in (col.name, col.display, *col.aliases):
            header = by_norm.get(_norm_header(name))
            if header is not None and header not in mapping.values():
                mapping[col.name] = header
                break
    return mapping


def _detect_kind(headers: list[str]) -> str | None:
    best: tuple[int, int, str] | None = None
    for name, schema in SCHEMAS.items():
        mapping = _column_map(schema, headers)
        missing = [c for c in schema.required_columns if c.name not in mapping]
        score = (-len(missing), len(mapping), name)
        if best is None or score[:2] > best[:2]:
            best = score
    if best is None or best[0] < -2 or best[1] == 0:  # no column of any table recognised
        return None
    return best[2]


# --------------------------------------------------------------------------- table checks


_Failure = dict[str, object]
_Check = Callable[["_Context"], None]


@dataclass
class _Context:
    schema: TableSchema
    frame: pd.DataFrame  # raw text, with FILE/ROW
    parsed: pd.DataFrame  # canonical values (None where the cell failed)
    mapping: dict[str, str]
    failures: list[_Failure]
    allow_half_points: bool

    def header(self, name: str) -> str:
        return self.mapping.get(name, self.schema.column(name).display)

    def fail(self, index: int, column: str, value: object, rule: str, message: str, severity: str = "fel") -> None:
        self.failures.append({"_index": index, "column": column, "value": value, "rule": rule,
                              "severity": severity, "message": message})

    def raw(self, index: int, name: str) -> object:
        header = self.mapping.get(name)
        return None if header is None else self.frame.at[index, header]


def _check_half_points(ctx: _Context) -> None:
    for index, score in ctx.parsed["score"].items():
        if score is None or pd.isna(score):
            continue
        if float(score).is_integer():
            continue
        if ctx.allow_half_points and float(score * 2).is_integer():
            continue
        if ctx.allow_half_points:
            message = f"Poängen {_fmt(score)} är varken hel eller halv. Checklistan skattas 1–4 i hela (eller halva) poäng."
        else:
            message = (f"Poängen {_fmt(score)} är en halvpoäng. Checklistan skattas i hela poäng 1–4; "
                       "om er organisation använder halvpoäng, kör med --halvpoang.")
        ctx.fail(index, ctx.header("score"), ctx.raw(index, "score"), "halvpoäng", message)


def _check_duplicate_keys(ctx: _Context) -> None:
    key = [k for k in ctx.schema.key if k in ctx.parsed.columns]
    values = [c.name for c in ctx.schema.columns if c.name not in key and c.name in ctx.parsed.columns]
    usable = ctx.parsed.dropna(subset=[k for k in key if not ctx.schema.column(k).nullable])
    if usable.empty:
        return
    keyed = usable[key].apply(lambda column: column.map(lambda v: "" if v is None or v is pd.NA else str(v)))
    duplicated = keyed.duplicated(keep=False)
    if not duplicated.any():
        return
    key_text = ", ".join(ctx.header(k) for k in key if k in ctx.mapping)
    for _, group in keyed[duplicated].groupby(list(keyed.columns), sort=False, dropna=False):
        indices = list(group.index)
        rows = [int(ctx.frame.at[i, ROW]) for i in indices]
        signature = ctx.parsed.loc[indices, values].astype(str).apply(tuple, axis=1)
        described = ", ".join(f"{ctx.header(k)} {ctx.parsed.at[indices[0], k]}" for k in key
                              if k in ctx.mapping and ctx.parsed.at[indices[0], k] is not None)
        if signature.nunique() > 1:
            hint = ""
            if ctx.schema.name == "checklist" and "rater" not in ctx.mapping:
                hint = " Om flera personer har skattat, lägg till kolumnen 'skattare' som skiljer dem åt."
            for i in indices:
                ctx.fail(i, key_text, described, "dubblett",
                         f"Samma nyckel ({described}) finns på raderna {', '.join(map(str, rows))} med olika värden.{hint}")
        else:
            for i in indices[1:]:
                ctx.fail(i, key_text, described, "dubblettrad",
                         f"Raden är en exakt kopia av rad {rows[0]} och räknas bara en gång.", severity="info")


def _check_org_identified(ctx: _Context) -> None:
    missing = ctx.parsed["org_code"].isna() & ctx.parsed["org_name"].isna()
    for index in ctx.parsed.index[missing]:
        already = any(f["_index"] == index and f["rule"] in ("okänd_kod", "inledande_nolla", "ogiltig_kod") for f in ctx.failures)
        if not already:
            ctx.fail(index, f"{ctx.header('org_code')}/{ctx.header('org_name')}", None, "organisation_saknas",
                     "Raden saknar både kommunkod och organisationsnamn, så det går inte att veta vem värdet gäller.")


def _unit_kind(unit: object) -> str | None:
    if unit is None or (isinstance(unit, float) and math.isnan(unit)):
        return None
    text = _norm_header(str(unit))
    if text in _PERCENT_UNITS or "%" in text or "procent" in text:
        return "percent"
    if text in _COUNT_UNITS:
        return "count"
    return None


def _check_share_range(ctx: _Context) -> None:
    for index, row in ctx.parsed.iterrows():
        value = row["value"]
        if value is None or pd.isna(value):
            continue
        unit = _unit_kind(row.get("unit"))
        if unit == "percent" and not 0 <= value <= 100:
            ctx.fail(index, ctx.header("value"), ctx.raw(index, "value"), "andel_utanför_0_100",
                     f"Värdet {_fmt(value)} är en andel i procent men ligger utanför 0–100.")
        elif unit == "count" and value < 0:
            ctx.fail(index, ctx.header("value"), ctx.raw(index, "value"), "negativt_antal",
                     f"Värdet {_fmt(value)} är ett antal och kan inte vara negativt.")


def _check_numerator_denominator(ctx: _Context) -> None:
    if "numerator" not in ctx.parsed or "denominator" not in ctx.parsed:
        return
    for index, row in ctx.parsed.iterrows():
        num, den = row["numerator"], row["denominator"]
        if num is None or den is None or pd.isna(num) or pd.isna(den):
            continue
        if num > den:
            ctx.fail(index, ctx.header("numerator"), ctx.raw(index, "numerator"), "täljare_större_än_nämnare",
                     f"Täljaren {_fmt(num)} är större än nämnaren {_fmt(den)}: fler i gruppen än det finns personer totalt.")


def _check_sex_completeness(ctx: _Context) -> None:
    parsed = ctx.parsed.dropna(subset=["indicator_id", "period", "sex"])
    if parsed.empty:
        return
    org = parsed["org_code"].fillna(parsed["org_name"]).astype(str)
    split_somewhere = set(
        zip(org[parsed["sex"].isin(["K", "M"])], parsed.loc[parsed["sex"].isin(["K", "M"]), "indicator_id"])
    )
    for (o, ind, period), group in parsed.groupby([org, parsed["indicator_id"], parsed["period"]], sort=False):
        sexes = set(group["sex"])
        first = group.index[0]
        if {"K", "M"} <= sexes and "T" not in sexes:
            message = f"{ind} {period} för {o}: K och M finns men inte T (totalt)."
        elif "T" in sexes and sexes & {"K", "M"} and not {"K", "M"} <= sexes:
            lacking = "M" if "K" in sexes else "K"
            message = f"{ind} {period} för {o}: T och ett kön finns, men {lacking} saknas."
        elif sexes == {"T"} and (o, ind) in split_somewhere:
            message = f"{ind} {period} för {o}: bara T (totalt) finns, fast indikatorn är könsuppdelad andra år."
        elif sexes <= {"K"} or sexes <= {"M"}:
            message = f"{ind} {period} för {o}: bara ett kön ({''.join(sorted(sexes))}) finns, varken det andra könet eller T."
        else:
            continue
        ctx.fail(first, ctx.header("sex"), ",".join(sorted(sexes)), "kön_ofullständigt", message, severity="varning")


def _check_published_cell_range(ctx: _Context) -> None:
    for index, row in ctx.parsed.iterrows():
        moment = row["moment"]
        if moment is None or moment == -1:
            continue
        for name in ("uppstart", "träff 1", "träff 2", "träff 3"):
            value = row[name]
            if value is not None and not pd.isna(value) and not 1 <= value <= 4:
                ctx.fail(index, ctx.header(name), ctx.raw(index, name), "utanför_intervall",
                         f"Medelvärdet {_fmt(value)} för moment {moment} ligger utanför skalan 1–4.")
        change = row["change"]
        if change is not None and not pd.isna(change) and not -3 <= change <= 3:
            ctx.fail(index, ctx.header("change"), ctx.raw(index, "change"), "utanför_intervall",
                     f"Förändringen {_fmt(change)} för moment {moment} är större än skalan 1–4 tillåter.")


def _check_published_sums(ctx: _Context) -> None:
    from jamlib.analysis.published import check_published_table

    for table_id, group in ctx.parsed.groupby("table", sort=False):
        canonical = _published_canonical(group)
        findings = check_published_table(canonical)
        for _, finding in findings.iterrows():
            label = finding["row"]
            if label == "Totalt":
                index = group.index[group["moment"] == -1][0]
            else:
                index = group.index[group["moment"] == int(label)][0]
            name = "change" if finding["column"] == "+/-" else finding["column"].lower()
            ctx.fail(index, ctx.header(name), ctx.raw(index, name), "publicerad_summa",
                     f"{table_id}: {finding['message']}")


_CHECKS: dict[str, _Check] = {
    "half_points": _check_half_points,
    "duplicate_keys": _check_duplicate_keys,
    "org_identified": _check_org_identified,
    "share_range": _check_share_range,
    "numerator_denominator": _check_numerator_denominator,
    "sex_completeness": _check_sex_completeness,
    "published_cell_range": _check_published_cell_range,
    "published_sums": _check_published_sums,
}


def _published_canonical(parsed: pd.DataFrame) -> pd.DataFrame:
    out = parsed.copy()
    out["moment"] = out["moment"].map(lambda m: pd.NA if m is None or m == -1 else int(m)).astype("Int64")
    return out


# --------------------------------------------------------------------------- main entry


def _empty_result(kind: str | None, source: str, rows: int, failures: list[dict], raw: pd.DataFrame,
                  notes: list[str]) -> ValidationResult:
    quarantine = _quarantine_frame(raw, {i: [f["message"] for f in failures] for i in raw.index})
    return ValidationResult(kind, source, pd.DataFrame(), quarantine,
                            pd.DataFrame(failures, columns=FAILURE_COLUMNS), rows_read=rows, notes=notes)


def _quarantine_frame(raw: pd.DataFrame, reasons: dict[int, list[str]]) -> pd.DataFrame:
    if not reasons:
        return pd.DataFrame(columns=["fil", "rad", "orsak"])
    rows = raw.loc[sorted(reasons)].copy()
    other = [c for c in rows.columns if c not in (FILE, ROW, "_reason")]
    out = rows[other].copy()
    out.insert(0, "orsak", [" | ".join(dict.fromkeys(reasons[i])) for i in rows.index])
    out.insert(0, "rad", rows[ROW].astype("int64").to_numpy())
    out.insert(0, "fil", rows[FILE].to_numpy())
    return out.reset_index(drop=True)


def _typed(schema: TableSchema, parsed: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(index=parsed.index)
    for col in schema.columns:
        values = parsed[col.name] if col.name in parsed.columns else pd.Series([None] * len(parsed), index=parsed.index, dtype=object)
        if col.kind == "integer":
            out[col.name] = pd.array([None if v is None else int(v) for v in values], dtype="Int64")
        elif col.kind == "number":
            out[col.name] = pd.to_numeric(pd.Series([math.nan if v is None else float(v) for v in values], index=parsed.index), errors="raise").astype("float64")
        elif col.kind == "int_list":
            out[col.name] = pd.Series([[] if v is None else list(v) for v in values], index=parsed.index, dtype=object)
        elif col.kind == "moment_row":
            out[col.name] = pd.array([None if v is None or v == -1 else int(v) for v in values], dtype="Int64")
        else:
            out[col.name] = pd.Series([None if v is None else str(v) for v in values], index=parsed.index, dtype=object)
    return out


def validate(
    raw: RawTable | pd.DataFrame,
    kind: str | None = None,
    *,
    allow_half_points: bool = False,
    source: str | None = None,
    skip_checks: tuple[str, ...] = (),
) -> ValidationResult:
    """Validate a raw table against one of jamlib's schemas, collecting every problem.

    Parameters
    ----------
    raw
        A :class:`~jamlib.ingest.readers.RawTable` from :func:`~jamlib.ingest.readers.read_raw`, or a
        data frame (cells are read as text; rows are numbered from 2 as in Excel).
    kind
        ``checklist``, ``published``, ``indicators`` or ``results_chain``; detected
        from the column names when not given.
    allow_half_points
        Accept checklist scores in half points (2,5). Default: whole points only.
    source
        Name used for the file in messages (default: the file's name).
    skip_checks
        Names of table-wide checks (see the schema's ``checks``) not to run.

    Returns
    -------
    ValidationResult
        Passed rows, quarantined rows and the failure table. The input is not modified.
    """
    if isinstance(raw, pd.DataFrame):
        frame = raw.copy()
        frame = frame.astype(object).where(frame.notna(), None)
        frame = frame.map(lambda v: None if v is None else (v if isinstance(v, str) else _excel_text(v)))
        label = source or "tabell"
        frame[FILE] = label
        frame[ROW] = list(range(2, len(frame) + 2))
        table = RawTable(Path(label), frame.reset_index(drop=True))
    else:
        table = raw
        label = source or table.path.name
    frame = table.frame.reset_index(drop=True)
    removed = table.removed if table.removed is not None else pd.DataFrame()
    rows_read = len(frame) + len(removed)
    headers = [c for c in frame.columns if c not in (FILE, ROW)]
    notes = list(table.notes)

    if table.is_metadata:
        return ValidationResult(None, label, pd.DataFrame(), pd.DataFrame(columns=["fil", "rad", "orsak"]),
                                pd.DataFrame(columns=FAILURE_COLUMNS), rows_read=0, notes=notes)
    if rows_read == 0:
        failure = {"file": label, "row": None, "column": None, "value": None, "rule": "tom_fil", "severity": "fel",
                   "message": f"Filen {label} innehåller inga datarader" + (" (den är helt tom)." if not headers else " (bara rubrikrad).")}
        return _empty_result(kind, label, 0, [failure], frame, notes)

    kind = kind or table.kind or _detect_kind(headers)
    if kind is None or kind not in SCHEMAS:
        expected = "; ".join(
            f"{s.title}: {', '.join(c.display for c in s.required_columns)}" for s in SCHEMAS.values()
        )
        failure = {"file": label, "row": 1, "column": None, "value": ", ".join(headers), "rule": "fel_kolumner", "severity": "fel",
                   "message": f"Kolumnerna i {label} ({', '.join(headers)}) passar ingen av jamlibs tabeller. Förväntade kolumner: {expected}."}
        return _empty_result(kind, label, rows_read, [failure], frame, notes)
    schema = SCHEMAS[kind]
    mapping = _column_map(schema, headers)
    missing = [c for c in schema.required_columns if c.name not in mapping]
    if missing:
        failure = {"file": label, "row": 1, "column": ", ".join(c.display for c in missing), "value": ", ".join(headers),
                   "rule": "fel_kolumner", "severity": "fel",
                   "message": (f"{label} saknar kolumnerna {', '.join(repr(c.display) for c in missing)}. "
                               f"Obligatoriska kolumner för {schema.title.lower()}: {', '.join(c.display for c in schema.required_columns)}; "
                               f"frivilliga: {', '.join(c.display for c in schema.columns if not c.required) or 'inga'}. "
                               f"Hittade: {', '.join(headers)}.")}
        return _empty_result(kind, label, rows_read, [failure], frame, notes)

    failures: list[_Failure] = []
    unknown = [h for h in headers if h not in mapping.values()]
    if unknown:
        failures.append({"_index": None, "column": ", ".join(unknown), "value": None, "rule": "okänd_kolumn", "severity": "varning",
                         "message": f"Kolumnerna {', '.join(repr(h) for h in unknown)} känns inte igen och tas inte med i den bearbetade tabellen (de finns kvar i originalfilen)."})

    parsed = pd.DataFrame(index=frame.index)
    normalised: list[dict] = []
    for col in schema.columns:
        header = mapping.get(col.name)
        if header is None:
            parsed[col.name] = pd.Series([None] * len(frame), index=frame.index, dtype=object)
            continue
        texts = frame[header]
        cache: dict[object, _Cell] = {}
        values = []
        for index, text in texts.items():
            cell = cache.get(text)
            if cell is None:
                cell = cache[text] = _parse_cell(col, text)
            values.append(cell.value)
            if cell.rule:
                failures.append({"_index": index, "column": header, "value": text, "rule": cell.rule,
                                 "severity": cell.severity, "message": cell.message})
        parsed[col.name] = pd.Series(values, index=frame.index, dtype=object)
        if col.kind == "label":
            counts = texts.dropna().value_counts()
            for text, count in counts.items():
                cell = cache[text]
                if cell.rule is None and str(text).strip().lower() != str(cell.value).lower():
                    normalised.append({"column": header, "from": str(text).strip(), "to": cell.value, "rows": int(count)})

    ctx = _Context(schema, frame, parsed, mapping, failures, allow_half_points)
    for check in schema.checks:
        if check not in skip_checks:
            _CHECKS[check](ctx)

    # Failure table and quarantine
    reasons: dict[int, list[str]] = {}
    table_rows = []
    for f in failures:
        index = f.pop("_index")
        row = None if index is None else int(frame.at[index, ROW])
        file_label = label if index is None else frame.at[index, FILE]
        table_rows.append({"file": file_label, "row": row, **f})
        if index is not None and f["severity"] in ("fel", "info"):
            reasons.setdefault(index, []).append(f["message"])
    for i, reason in enumerate(removed.get("_reason", pd.Series(dtype=object))):
        table_rows.append({"file": removed.iloc[i][FILE], "row": int(removed.iloc[i][ROW]), "column": None, "value": None,
                           "rule": "raderad_i_kolada", "severity": "info", "message": f"Värdet är {reason} och tas inte med."})
    failure_table = pd.DataFrame(table_rows, columns=FAILURE_COLUMNS)
    failure_table["row"] = failure_table["row"].astype("Int64")

    quarantine = _quarantine_frame(frame, reasons)
    if len(removed):
        removed_q = removed.rename(columns={FILE: "fil", ROW: "rad", "_reason": "orsak"})
        quarantine = pd.concat([quarantine, removed_q[["fil", "rad", "orsak", *[c for c in removed_q.columns if c not in ("fil", "rad", "orsak")]]]],
                               ignore_index=True)
    kept = [i for i in frame.index if i not in reasons]
    data = _typed(schema, parsed.loc[kept])
    if kind == "published":
        data.insert(data.columns.get_loc("moment") + 1, "moment_text",
                    [None if m is pd.NA or pd.isna(m) else MOMENTS[int(m)] for m in data["moment"]])
    data["source_file"] = frame.loc[kept, FILE].to_numpy()
    data["source_row"] = frame.loc[kept, ROW].astype("int64").to_numpy()
    data = data.reset_index(drop=True)
    result = ValidationResult(kind, label, data, quarantine, failure_table,
                              pd.DataFrame(normalised, columns=["column", "from", "to", "rows"]),
                              rows_read=rows_read, notes=notes)
    assert result.rows_kept + result.rows_quarantined == result.rows_read
    return result


def _excel_text(value: object) -> str | None:
    from jamlib.ingest.readers import _cell_text

    return _cell_text(value)


def load(
    path: str | Path,
    kind: str | None = None,
    *,
    allow_half_points: bool = False,
    errors: str = "keep",
) -> ValidationResult:
    """Read and validate one file.

    Parameters
    ----------
    path
        CSV, Excel, Parquet or Kolada JSON file.
    kind
        Table kind; detected from the columns when not given.
    allow_half_points
        Accept half points in checklist scores.
    errors
        ``"keep"`` (default) returns the result with failures listed;
        ``"raise"`` raises :class:`~jamlib.errors.ValidationError` when any row failed.

    Returns
    -------
    ValidationResult
        See :func:`validate`.

    Raises
    ------
    DataFileError
        When the file cannot be read at all.
    ValidationError
        With ``errors="raise"``, when any failure of severity ``fel`` was found.
    """
    if errors not in ("keep", "raise"):
        raise ValueError("errors must be 'keep' or 'raise'")
    result = validate(read_raw(path), kind, allow_half_points=allow_half_points)
    if errors == "raise":
        result.raise_for_failures()
    return result


def file_failure(path: Path, error: DataFileError) -> ValidationResult:
    """A result for a file that could not be read at all (used by the CLI and ingest)."""
    failure = {"file": path.name, "row": None, "column": None, "value": None, "rule": "oläsbar_fil",
               "severity": "fel", "message": str(error)}
    return ValidationResult(None, path.name, pd.DataFrame(), pd.DataFrame(columns=["fil", "rad", "orsak"]),
                            pd.DataFrame([failure], columns=FAILURE_COLUMNS), rows_read=0)
