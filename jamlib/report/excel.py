"""Excel workbooks beside the reports: numbers as numbers, Swedish headers, no formulas.

Kolada's own users export every table to Excel, so every report writes an
``.xlsx`` next to its HTML: one sheet per table, numbers stored as numbers (Excel
shows them with the reader's decimal comma), Swedish column names, the sources
and caveats on a sheet of their own, and no text cell that Excel could run as a
formula. Values hidden by disclosure control are the text "färre än 5", never
the number.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from jamlib.analysis.disclosure import suppression_label
from jamlib.files import atomic_write, safe_cell
from jamlib.formatting import period_start
from jamlib.report.indicator_report import IndicatorReport

__all__ = ["write_workbook", "report_sheets"]

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SEX_COLUMNS = {"K": "Kvinnor", "M": "Män", "T": "Totalt"}
_DISADVANTAGED = {"K": "kvinnor", "M": "män", "ingen": "ingen skillnad"}


def _sheet_name(name: str, taken: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub("-", str(name)).strip("'") or "Blad"
    candidate, number = base[:31], 2
    while candidate.lower() in taken:
        suffix = f" ({number})"
        candidate, number = base[:31 - len(suffix)] + suffix, number + 1
    taken.add(candidate.lower())
    return candidate


def _cell(value: object) -> object:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        value = value.item()
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value
    return safe_cell(str(value).replace("\r", " "))


def write_workbook(path: str | Path, sheets: dict[str, pd.DataFrame]) -> Path:
    """Write ``sheets`` (name -> table) to an ``.xlsx`` file atomically.

    Parameters
    ----------
    path
        The workbook to write.
    sheets
        Tables in order; names are shortened to Excel's 31 characters and made unique.

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    for name, frame in sheets.items():
        sheet = workbook.create_sheet(_sheet_name(name, taken))
        sheet.append([_cell(str(c)) for c in frame.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in frame.itertuples(index=False, name=None):
            sheet.append([_cell(v) for v in row])
        for index, column in enumerate(frame.columns, start=1):
            longest = max([len(str(column)), *(len(str(v)) for v in frame[column].head(200))], default=8)
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(max(10, longest + 2), 60)
        sheet.freeze_panes = "A2"
    path = Path(path)
    with atomic_write(path, "wb") as handle:
        workbook.save(handle)
    return path


def _values_sheet(report: IndicatorReport, indicator: str) -> pd.DataFrame:
    own = report.gaps[report.gaps["indicator_id"] == indicator]
    hidden = report.hidden[report.hidden["indicator_id"] == indicator]
    label = suppression_label(report.threshold)
    rows: dict[str, dict] = {}
    for _, row in own.iterrows():
        rows[str(row["period"])] = {
            "År": str(row["period"]), "Kvinnor": row["value_K"], "Män": row["value_M"], "Totalt": row["value_T"],
            "Skillnad K−M": row["gap"],
            "Relativ skillnad (%)": None if pd.isna(row["relative_gap"]) else 100 * float(row["relative_gap"]),
            "Missgynnat kön": _DISADVANTAGED.get(row["disadvantaged"], "kan inte sägas")
            if isinstance(row["disadvantaged"], str) else "kan inte sägas",
        }
    for _, row in hidden.iterrows():
        period = str(row["period"])
        entry = rows.setdefault(period, {"År": period, "Kvinnor": None, "Män": None, "Totalt": None,
                                         "Skillnad K−M": None, "Relativ skillnad (%)": None,
                                         "Missgynnat kön": "kan inte sägas"})
        entry[_SEX_COLUMNS[row["sex"]]] = label
        if entry["Totalt"] is None and pd.notna(row["total"]):
            entry["Totalt"] = float(row["total"])
        if row["sex"] in ("K", "M"):
            entry.update({"Skillnad K−M": None, "Relativ skillnad (%)": None, "Missgynnat kön": "kan inte sägas"})
    ordered = sorted(rows.values(), key=lambda r: (period_start(r["År"]) or 0, r["År"]))
    return pd.DataFrame(ordered, columns=["År", "Kvinnor", "Män", "Totalt", "Skillnad K−M", "Relativ skillnad (%)",
                                          "Missgynnat kön"])


def report_sheets(report: IndicatorReport, about: pd.DataFrame | None = None,
                  caveats: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """The sheets of one indicator report's workbook.

    Parameters
    ----------
    report
        The indicator report (values already screened by disclosure control).
    about
        :func:`jamlib.report.about.about_data` for the sheet "Om data".
    caveats
        Sentences on how to read the values (e.g. that they are descriptive).

    Returns
    -------
    dict
        "Sammanfattning", one "Värden <id>" sheet per indicator, "Om data".
    """
    sheets: dict[str, pd.DataFrame] = {
        "Sammanfattning": pd.DataFrame({"Indikator": report.sentences["indicator_id"].to_numpy(),
                                        "Text": report.sentences["text"].to_numpy()}),
    }
    ids = report.indicator_ids
    for indicator in ids:
        sheets[f"Värden {indicator}"] = _values_sheet(report, indicator)
    notes = [f"Organisation: {report.org_name} ({report.org_code})",
             f"Värden som vilar på färre än {report.threshold} personer visas som \"{suppression_label(report.threshold)}\"."]
    notes += list(caveats or [])
    info = about if about is not None else pd.DataFrame()
    sheets["Om data"] = pd.concat([pd.DataFrame({"Indikator": ["Anmärkning"] * len(notes), "Definition": notes}),
                                   info], ignore_index=True)[["Indikator", "Definition",
                                                              *[c for c in info.columns if c not in ("Indikator",
                                                                                                    "Definition")]]]
    return sheets
