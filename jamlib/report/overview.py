"""The batch's overview across organisations: an organisation × indicator matrix and one workbook.

"Where in the county is it worst, and on what?" Each finished indicator report
keeps its summary as plain data in its executed notebook
(:func:`jamlib.report.summary.summary_record`, built from values already screened by
disclosure control); the batch collects those records, so the overview shows
exactly what the reports show and a value resting on fewer persons than the
threshold never appears here either.

Every cell says in text which sex is disadvantaged and how large the gap is
(so it prints in black and white), and is coloured from the Okabe–Ito palette
(women orange, men blue, as in the charts; grey for no material gap), darker for
a gap that is a larger multiple of the indicator's materiality threshold. The
columns sort on a click, names in Swedish alphabetical order, gaps by size.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from jamlib.formatting import format_decimal, swedish_sort_key

__all__ = ["overview_matrix", "overview_html", "overview_sheets", "write_overview_workbook", "collect_records",
           "SORT_SCRIPT"]

_SEX = {"K": "kvinnor", "M": "män"}


def collect_records(notebooks: list[Path]) -> list[dict]:
    """The summary records of executed indicator notebooks (those without one are skipped)."""
    import nbformat

    from jamlib.report.summary import read_summary_record

    records = []
    for path in notebooks:
        try:
            record = read_summary_record(nbformat.read(str(path), as_version=4))
        except (OSError, ValueError):
            continue
        if record is not None:
            records.append(record)
    return records


def _level(size: float | None, materiality: float | None) -> int:
    """0 for no material gap; 1, 2, 3 for gaps under twice, under four times, and at least four times the threshold."""
    if size is None:
        return 0
    threshold = float(materiality or 0.0)
    if threshold <= 0:
        return 2
    ratio = size / threshold
    return 1 if ratio < 2 else 2 if ratio < 4 else 3


def _cell(indicator: dict) -> dict:
    sex = indicator.get("disadvantaged")
    size = indicator.get("own_size")
    unit = indicator.get("difference_unit") or ""
    amount = f"{format_decimal(size)} {unit}".strip() if size is not None else ""
    if sex in _SEX:
        text, kind = f"{_SEX[sex]} {amount}", sex
        level = _level(size, indicator.get("materiality"))
    elif sex == "ingen":
        text, kind, level = f"ingen påtaglig ({amount})" if amount else "ingen påtaglig", "ingen", 0
    else:
        text, kind, level = f"kan inte sägas ({amount})" if amount else "kan inte sägas", "okänd", 0
    return {"text": text, "kind": kind, "level": level, "size": size, "period": indicator.get("latest_period"),
            "title": indicator.get("indicator_title"), "tooltip": f"{indicator.get('indicator_title')} "
                                                                    f"{indicator.get('latest_period')}: {text}; "
                                                                    f"{indicator.get('duration_text')}; "
                                                                    f"{indicator.get('rank_text')}"}


def overview_matrix(records: list[dict]) -> pd.DataFrame:
    """Organisation × indicator: the disadvantaged sex and the size of the gap, as text.

    Returns
    -------
    pandas.DataFrame
        ``Kod``, ``Organisation`` and one column per indicator (its name), rows in Swedish
        alphabetical order; a cell reads e.g. ``"kvinnor 12,0 dagar"`` or ``"ingen påtaglig (1,0 procentenheter)"``.
    """
    columns, rows = _columns(records), []
    for record in sorted(records, key=lambda r: swedish_sort_key(r["org_name"])):
        cells = {i["indicator_id"]: _cell(i)["text"] for i in record["indicators"]}
        rows.append({"Kod": record["org_code"], "Organisation": record["org_name"],
                     **{title: cells.get(indicator, "inga värden") for indicator, title in columns}})
    return pd.DataFrame(rows, columns=["Kod", "Organisation", *[t for _, t in columns]])


def _columns(records: list[dict]) -> list[tuple[str, str]]:
    titles: dict[str, str] = {}
    for record in records:
        for indicator in record["indicators"]:
            titles.setdefault(indicator["indicator_id"], indicator.get("indicator_title") or indicator["indicator_id"])
    return list(titles.items())


#: Sorts the overview on a click on a column heading: names with Swedish collation, gaps by size.
SORT_SCRIPT = """
(function () {
  var table = document.getElementById('jam-overview');
  if (!table) { return; }
  var collator = new Intl.Collator('sv', {sensitivity: 'base', numeric: true});
  table.querySelectorAll('thead th').forEach(function (th, column) {
    var button = th.querySelector('button');
    if (!button) { return; }
    button.addEventListener('click', function () {
      var ascending = th.getAttribute('aria-sort') !== 'ascending';
      table.querySelectorAll('thead th').forEach(function (other) { other.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[column], y = b.cells[column];
        var p = x.getAttribute('data-sort'), q = y.getAttribute('data-sort');
        var order;
        if (p !== null && q !== null) {
          order = parseFloat(p) - parseFloat(q);
        } else {
          order = collator.compare(x.textContent.trim(), y.textContent.trim());
        }
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
})();
"""


def overview_html(records: list[dict]) -> str:
    """The overview matrix as HTML (escaped by the template), with a legend; sortable with :data:`SORT_SCRIPT`."""
    from jamlib.report._templates import render

    columns = _columns(records)
    rows = []
    for record in sorted(records, key=lambda r: swedish_sort_key(r["org_name"])):
        cells = {i["indicator_id"]: _cell(i) for i in record["indicators"]}
        row = []
        for indicator, _ in columns:
            cell = cells.get(indicator)
            if cell is None:
                row.append({"text": "inga värden", "kind": "saknas", "level": 0, "sort": -1, "tooltip": ""})
            else:
                row.append({**cell, "sort": -1 if cell["size"] is None else cell["size"]})
        rows.append({"code": record["org_code"], "name": record["org_name"], "report": record.get("report"),
                     "cells": row})
    references = sorted({r["reference"] for r in records if r.get("reference")}, key=swedish_sort_key)
    periods = sorted({str(i.get("latest_period")) for r in records for i in r["indicators"]})
    return render("overview", columns=[t for _, t in columns], rows=rows, references=references,
                  periods=", ".join(periods), threshold=records[0]["threshold"] if records else 5,
                  caveat=_caveat(records))


def _caveat(records: list[dict]) -> str | None:
    """The reports' descriptive caveat, said once for the overview when any report carries it."""
    return next((r["caveat"] for r in records if r.get("caveat")), None)


_VALUE_COLUMNS = ["Kod", "Organisation", "Id", "Indikator", "År", "Kvinnor", "Män", "Totalt", "Skillnad K−M",
                  "Relativ skillnad (%)", "Missgynnat kön"]


def _number(value: object) -> object:
    """Numbers rounded to 6 decimals (float noise such as 932.6999999999998 is not data); text unchanged."""
    return round(value, 6) if isinstance(value, float) else value


def overview_sheets(records: list[dict], caveats: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """The batch workbook's sheets.

    "Översikt" (the matrix as text), "Skillnader" (one row per organisation and indicator, the gap
    and its size as numbers), "Värden" (every organisation's shown values per period, numbers as
    numbers, hidden ones as "färre än 5") and "Källa och förbehåll".
    """
    ordered = sorted(records, key=lambda r: swedish_sort_key(r["org_name"]))
    gaps = []
    for record in ordered:
        for i in record["indicators"]:
            sex = i.get("disadvantaged")
            gaps.append({"Kod": record["org_code"], "Organisation": record["org_name"], "Id": i["indicator_id"],
                         "Indikator": i.get("indicator_title"), "År": str(i.get("latest_period")),
                         "Missgynnat kön": i.get("sex_text"), "Skillnad K−M": _number(i.get("latest_gap")),
                         "Skillnadens storlek": _number(i.get("own_size")), "Enhet": i.get("difference_unit") or "",
                         "Gräns för påtaglig skillnad": _number(i.get("materiality")),
                         "Hur länge": i.get("duration_text"), "Skillnaden över tid": i.get("direction_text"),
                         "Jämförelse": i.get("rank_text"), "Jämförelsegrupp": record.get("reference") or "",
                         "Påtaglig": sex in _SEX})
    values = pd.DataFrame([{"Kod": r["org_code"], "Organisation": r["org_name"],
                            **{k: _number(v) for k, v in row.items()}} for r in ordered for row in r["values"]],
                          columns=_VALUE_COLUMNS)
    threshold = records[0]["threshold"] if records else 5
    notes = [f"Värden som vilar på färre än {threshold} personer visas som \"färre än {threshold}\" och räknas inte, "
             "varken i översikten eller i rangordningen.",
             "Skillnaden är kvinnornas värde minus männens (K−M) det senaste året med värden för båda. Missgynnat kön "
             "följer indikatorns riktning; en skillnad under indikatorns gräns för en påtaglig skillnad kallas inte "
             "ett missgynnande.",
             "Källa: Kolada (RKA) och organisationernas egna filer; varje rapports avsnitt \"Om data\" anger definition, "
             "källa och publiceringsdatum.",
             "Skillnaderna beskriver publicerade värden; hur de prövats står i varje rapports avsnitt \"Metod och "
             "osäkerhet\"."]
    caveat = _caveat(records)
    notes += ([caveat] if caveat else []) + [c for c in caveats or [] if c != caveat]
    references = sorted({r["reference"] for r in records if r.get("reference")}, key=swedish_sort_key)
    notes += [f"Jämförelsegrupp: {reference}" for reference in references]
    return {"Översikt": overview_matrix(records),
            "Skillnader": pd.DataFrame(gaps, columns=["Kod", "Organisation", "Id", "Indikator", "År", "Missgynnat kön",
                                                      "Skillnad K−M", "Skillnadens storlek", "Enhet",
                                                      "Gräns för påtaglig skillnad", "Hur länge", "Skillnaden över tid",
                                                      "Jämförelse", "Jämförelsegrupp", "Påtaglig"]),
            "Värden": values, "Källa och förbehåll": pd.DataFrame({"Anmärkning": notes})}


def write_overview_workbook(path: str | Path, records: list[dict], caveats: list[str] | None = None) -> Path:
    """Write the batch workbook (:func:`overview_sheets`) with :func:`jamlib.report.excel.write_workbook`."""
    from jamlib.report.excel import write_workbook

    return write_workbook(path, overview_sheets(records, caveats))
