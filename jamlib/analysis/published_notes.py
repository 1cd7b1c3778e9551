"""Notes under a computed checklist table: which cells do not reproduce the printed table, and why.

The bundled checklist scores are constructed so that their group means print
as SKR's Tabell 1 and 2. Where the printed table contradicts itself (Tabell 2:
the totals at Träff 2 and Träff 3 and the change of moment 5 cannot follow from
the printed cells), no data can reproduce every cell, and the computed table
differs from the printed one. :func:`printed_differences` names each such cell
with the reason found by :func:`jamlib.analysis.published.check_published_table`
and :func:`~jamlib.analysis.published.suggest_corrections`, so that the note
under the table and the sentences beside it say the same thing.
"""

from __future__ import annotations

import pandas as pd

from jamlib.analysis.published import check_published_table, suggest_corrections
from jamlib.formatting import format_decimal, round_half_up
from jamlib.schemas import OCCASION_DISPLAY, OCCASIONS

__all__ = ["printed_differences", "difference_notes", "change_note", "CONSTRUCTED_LABEL"]

#: The words every table, chart and sentence built on constructed scores carries.
CONSTRUCTED_LABEL = "konstruerade data"

#: What is said beside anything computed from the bundled constructed per-municipality checklist scores.
CONSTRUCTED_NOTICE = ("Obs: skattningarna per kommun är konstruerade data, inte verkliga. SKR publicerar bara gruppernas "
                      "medelvärden; de konstruerade skattningarna är gjorda så att medelvärdena blir som i SKR:s tabeller. "
                      "Kommunernas namn är de deltagande kommunernas, men varje kommuns egna värden är påhittade.")

_CHANGE = "+/-"


def _printed_cells(published: pd.DataFrame) -> dict[tuple[str, str], float]:
    cells = {}
    for _, row in published.iterrows():
        label = "Totalt" if pd.isna(row["moment"]) else str(int(row["moment"]))
        for occasion in OCCASIONS:
            if occasion in row and not pd.isna(row[occasion]):
                cells[label, OCCASION_DISPLAY[occasion]] = float(row[occasion])
        if not pd.isna(row.get("change")):
            cells[label, _CHANGE] = float(row["change"])
    return cells


def _where(row: str, column: str) -> str:
    return f"{'Totalt' if row == 'Totalt' else 'moment ' + row}, {column}"


def printed_differences(computed: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Cells of a computed checklist table that do not print as the published table, with the reason.

    Parameters
    ----------
    computed
        :func:`jamlib.analysis.checklist.checklist_table` (unrounded means).
    published
        The printed table for the same round and role
        (:func:`jamlib.ingest.published.read_published`, one table).

    Returns
    -------
    pandas.DataFrame
        ``row`` (moment number or ``"Totalt"``), ``column`` (``"Uppstart"`` …
        ``"+/-"``), ``computed`` and ``printed`` (as printed, text) and
        ``reason`` (Swedish). Empty when every cell prints as published.
    """
    printed = _printed_cells(published)
    findings = check_published_table(published)
    picks = suggest_corrections(published)
    last = OCCASION_DISPLAY[[o for o in OCCASIONS if o in computed.columns][-1]]
    rows = []
    for index, values in computed.iterrows():
        label = "Totalt" if index == "Totalt" else str(int(index))
        for column, value in values.items():
            shown = _CHANGE if column == "change" else OCCASION_DISPLAY.get(column)
            if shown is None or (label, shown) not in printed or pd.isna(value):
                continue
            if round_half_up(float(value), 1) == printed[label, shown]:
                continue
            rows.append({"row": label, "column": shown, "computed": format_decimal(value),
                         "printed": format_decimal(printed[label, shown])})
    differing = {(r["row"], r["column"]) for r in rows}
    for row in rows:
        own = findings[(findings["row"] == row["row"]) & (findings["column"] == row["column"])]
        if not own.empty:
            finding = own.iloc[0]
            what = "summan av momenten" if row["column"] != _CHANGE else "skillnaden mellan tillfällena"
            reason = (f"det tryckta värdet går inte ihop med de tryckta delarna ({what} tillåter bara "
                      f"{format_decimal(finding['possible_low'], 2)}–{format_decimal(finding['possible_high'], 2)})")
            involved = picks[((row["row"] == "Totalt") & (row["column"] != _CHANGE) & (picks["column"] == row["column"]))
                             | ((row["column"] == _CHANGE) & (picks["row"] == row["row"]))]
            explaining = involved[involved["explains"] > 1]
            if not explaining.empty:
                pick = explaining.iloc[0]
                fits = format_decimal(pick["fits_low"]) if abs(pick["fits_high"] - pick["fits_low"]) < 0.05 else (
                    f"{format_decimal(pick['fits_low'])}–{format_decimal(pick['fits_high'])}")
                reason += (f"; kontrollen av tabellen pekar på {_where(pick['row'], pick['column'])} som troligt "
                           f"tryckfel (tryckt {format_decimal(pick['printed'])}, {fits} skulle få "
                           f"{pick['explains']} avvikelser att gå ihop)")
            else:
                reason += "; tabellen visar inte vilket av de tryckta värdena som är fel"
        elif row["row"] == "Totalt" and row["column"] == _CHANGE and ("Totalt", last) in differing:
            reason = f"följer av att Totalt vid {last} inte kan återges"
            explained = picks[(picks["column"] == last) & (picks["explains"] > 1)]
            if not explained.empty:
                pick = explained.iloc[0]
                reason += (f": de konstruerade data följer de tryckta momentvärdena, och med det troliga tryckfelet i "
                           f"{_where(pick['row'], pick['column'])} rättat går den tryckta förändringen "
                           f"{row['printed']} ihop med resten av tabellen")
        else:
            reason = "de konstruerade data återger inte det tryckta värdet"
        row["reason"] = reason
    return pd.DataFrame(rows, columns=["row", "column", "computed", "printed", "reason"])


def difference_notes(differences: pd.DataFrame, table_name: str) -> list[str]:
    """The note under a computed table: one sentence per cell that differs from the printed table.

    Parameters
    ----------
    differences
        :func:`printed_differences`.
    table_name
        The printed table's name, e.g. ``"SKR:s Tabell 2"``.

    Returns
    -------
    list of str
        Empty when nothing differs.
    """
    if differences.empty:
        return []
    notes = [f"{len(differences)} celler återger inte {table_name} som den trycktes:"]
    for row in differences.itertuples(index=False):
        notes.append(f"{_where(row.row, row.column)}: här {row.computed}, tryckt {row.printed} – {row.reason}.")
    return notes


def change_note(differences: pd.DataFrame, role_words: str, table_name: str) -> str | None:
    """A sentence for a change stated beside the table, when the printed total change differs.

    Parameters
    ----------
    differences
        :func:`printed_differences` for the role's table.
    role_words
        E.g. ``"mentorernas"``.
    table_name
        E.g. ``"SKR:s Tabell 2"``.

    Returns
    -------
    str or None
        ``None`` when the total change prints as published.
    """
    match = differences[(differences["row"] == "Totalt") & (differences["column"] == _CHANGE)]
    if match.empty:
        return None
    row = match.iloc[0]
    return (f"{role_words.capitalize()} förändring är {row['computed']} poäng i de {CONSTRUCTED_LABEL}, medan "
            f"{table_name} trycker {row['printed']}: {row['reason']} (se noten under tabellen).")
