"""Write the catalogue of input files as municipalities send them, with the outcome each must give.

Every file under ``tests/fixtures/catalogue/`` is made here, and ``expected.json``
beside them says, for each, what ``jam validate`` must give: exit code, rows read,
kept and quarantined, a fragment of a message the user sees, and for the shapes
that must be read, some values. The expectations are written by hand next to each
file's content (never taken from running jamlib). Add a case by adding a call
below and running ``python scripts/make_catalogue.py``; the catalogue only grows.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import json
import re
import shutil
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "fixtures" / "catalogue"

CHECKLIST = ["Omgång", "Organisation", "Kommunkod", "Roll", "Tillfälle", "Moment", "Poäng"]
INDICATORS = ["Kommunkod", "Organisation", "Indikator", "Period", "Kön", "Värde", "Enhet"]
CHAIN = ["Organisation", "Kommunkod", "Datum", "Nivå", "Rubrik", "Beskrivning"]
EXPECTED: list[dict] = []


def expect(name: str, exit: int, read: int, kept: int, quarantined: int, message: str | None = None,
           values: dict | None = None, about: str = "") -> None:
    """Record what ``jam validate`` must give for ``name``."""
    EXPECTED.append({"file": name, "about": about, "exit": exit, "read": read, "kept": kept,
                     "quarantined": quarantined, "message": message, "values": values})


def text(name: str, content: str, encoding: str = "utf-8") -> None:
    (OUT / name).write_bytes(content.encode(encoding))


def rows(header: list[str], *lines: list[object], sep: str = ";") -> str:
    return "\n".join(sep.join("" if v is None else str(v) for v in line) for line in (header, *lines)) + "\n"


def values(columns: list[str], *items: tuple) -> dict:
    return {"columns": columns, "rows": [list(i) for i in items]}


def workbook(name: str, sheets: list[tuple[str, list[list[object]]]], *, hidden: tuple[str, ...] = (),
             hidden_rows: dict[str, list[int]] | None = None, formats: dict[tuple[str, str], str] | None = None) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, grid in sheets:
        sheet = book.create_sheet(title)
        for line in grid:
            sheet.append(line)
        if title in hidden:
            sheet.sheet_state = "hidden"
        for row in (hidden_rows or {}).get(title, []):
            sheet.row_dimensions[row].hidden = True
    for (title, ref), number_format in (formats or {}).items():
        book[title][ref].number_format = number_format
    book.save(OUT / name)


def kolada(records: list[dict]) -> dict:
    return {"count": len(records), "next_url": None, "previous_url": None, "values": records}


def entry(sex: str, value: object, deleted: bool = False) -> dict:
    return {"gender": sex, "count": 1, "status": "", "value": value, "isdeleted": deleted}


KARLSTAD = ["2020–2022", "Karlstad", "1780", "deltagare"]
IND_VALUES = ["org_code", "indicator_id", "period", "sex", "value"]
CHK_VALUES = ["org_name", "occasion", "moment", "score"]
CHAIN_VALUES = ["org_name", "date", "level", "title"]


def csv_cases() -> None:
    text("csv_utf8.csv", rows(CHECKLIST, [*KARLSTAD, "Uppstart", 1, 3], [*KARLSTAD, "Träff 1", 1, 4]))
    expect("csv_utf8.csv", 0, 2, 2, 0, values=values(CHK_VALUES, ("Karlstad", "uppstart", 1, 3.0),
                                                    ("Karlstad", "träff 1", 1, 4.0)))
    text("csv_utf8_bom_comma.csv", "\ufeff" + rows(CHECKLIST, [*KARLSTAD, "Uppstart", 2, 2], sep=","))
    expect("csv_utf8_bom_comma.csv", 0, 1, 1, 0, "komma", values(CHK_VALUES, ("Karlstad", "uppstart", 2, 2.0)))
    text("csv_cp1252_excel.csv", rows(CHECKLIST, ["2020–2022", "Örnsköldsvik", "2284", "mentor", "Träff 2", 5, "3"]),
         "cp1252")
    expect("csv_cp1252_excel.csv", 0, 1, 1, 0, "Windows-1252",
           values(CHK_VALUES, ("Örnsköldsvik", "träff 2", 5, 3.0)))
    text("csv_leading_zero_lost.csv", rows(CHECKLIST, ["2020–2022", "Stockholm", "0180", "deltagare", "Uppstart", 1, 3],
                                           ["2020–2022", "Stockholm", "180", "deltagare", "Uppstart", 2, 3]))
    expect("csv_leading_zero_lost.csv", 1, 2, 1, 1, "tappat sin inledande nolla")
    text("csv_half_point.csv", rows(CHECKLIST, [*KARLSTAD, "Uppstart", 1, "2,5"]))
    expect("csv_half_point.csv", 1, 1, 0, 1, "--halvpoang")
    text("csv_score_out_of_range.csv", rows(CHECKLIST, [*KARLSTAD, "Uppstart", 1, 5], [*KARLSTAD, "Uppstart", 2, 4]))
    expect("csv_score_out_of_range.csv", 1, 2, 1, 1, "större än det högsta tillåtna, 4")
    text("csv_unknown_role.csv", rows(CHECKLIST, ["2020–2022", "Karlstad", "1780", "observatör", "Uppstart", 1, 3]))
    expect("csv_unknown_role.csv", 1, 1, 0, 1, "Tillåtna värden: deltagare, mentor")
    text("csv_duplicate_key.csv", rows(CHECKLIST, [*KARLSTAD, "Uppstart", 3, 2], [*KARLSTAD, "Träff 1", 3, 2],
                                       [*KARLSTAD, "Uppstart", 3, 3]))
    expect("csv_duplicate_key.csv", 1, 3, 1, 2, "med olika värden")
    text("csv_identical_rows.csv", rows(CHECKLIST, [*KARLSTAD, "Uppstart", 3, 2], [*KARLSTAD, "Uppstart", 3, 2]))
    expect("csv_identical_rows.csv", 0, 2, 1, 1, "exakt kopia av rad 2")
    text("csv_empty.csv", "")
    expect("csv_empty.csv", 1, 0, 0, 0, "inga datarader")
    text("csv_header_only.csv", rows(CHECKLIST))
    expect("csv_header_only.csv", 1, 0, 0, 0, "bara rubrikrad")
    text("csv_wrong_columns.csv", "a;b;c\n1;2;3\n")
    expect("csv_wrong_columns.csv", 1, 1, 0, 1, "passar ingen av jamlibs tabeller")
    text("csv_blank_lines.csv", rows(CHECKLIST, [*KARLSTAD, "Uppstart", 1, 3]) + "\n\n"
         + ";".join(map(str, [*KARLSTAD, "Träff 1", 1, 9])) + "\n")
    expect("csv_blank_lines.csv", 1, 2, 1, 1, "större än det högsta", about="the bad row is Excel row 5")
    text("tab_separated.tsv", rows(CHECKLIST, [*KARLSTAD, "Uppstart", 4, 1], sep="\t"))
    expect("tab_separated.tsv", 0, 1, 1, 0, "tabb", values(CHK_VALUES, ("Karlstad", "uppstart", 4, 1.0)))
    wide = rows(INDICATORS, ["1780", "Karlstad", "U23401", 2021, "K", "61,5", "dagar"],
                ["1780", "Karlstad", "U23401", 2021, "M", 55, "dagar"],
                ["1780", "Karlstad", "U23401", 2021, "T", 58, "dagar"], sep="\t")
    (OUT / "utf16_unicode_text.txt").write_bytes(codecs.BOM_UTF16_LE + wide.replace("\n", "\r\n").encode("utf-16-le"))
    (OUT / "utf16_unicode_text_named.csv").write_bytes(codecs.BOM_UTF16_LE + wide.encode("utf-16-le"))
    (OUT / "utf16_without_bom.txt").write_bytes(wide.encode("utf-16-le"))
    utf16_values = values(IND_VALUES, ("1780", "U23401", "2021", "K", 61.5), ("1780", "U23401", "2021", "M", 55.0),
                          ("1780", "U23401", "2021", "T", 58.0))
    for name in ("utf16_unicode_text.txt", "utf16_unicode_text_named.csv", "utf16_without_bom.txt"):
        expect(name, 0, 3, 3, 0, "UTF-16", utf16_values)
    text("csv_title_rows_header_row3.csv", "Väntetid till särskilt boende, Karlstad;;;;;;\n;;;;;;\n"
         + rows(INDICATORS, ["1780", "Karlstad", "U23401", 2022, "K", 70, "dagar"],
                ["1780", "Karlstad", "U23401", 2022, "M", 60, "dagar"], ["1780", "Karlstad", "U23401", 2022, "T", 65, "dagar"]))
    expect("csv_title_rows_header_row3.csv", 0, 3, 3, 0, "rubrikraden är rad 3",
           values(IND_VALUES, ("1780", "U23401", "2022", "K", 70.0), ("1780", "U23401", "2022", "M", 60.0),
                  ("1780", "U23401", "2022", "T", 65.0)))
    text("csv_wide_per_sex.csv", rows(["Kommunkod", "Indikator", "År", "Kvinnor", "Män", "Totalt"],
                                      ["1780", "ANDEL_X", 2021, "40", "60", "50"], ["1780", "ANDEL_X", 2022, "45", "55", "50"]))
    expect("csv_wide_per_sex.csv", 0, 6, 6, 0, "en kolumn per kön",
           values(IND_VALUES, ("1780", "ANDEL_X", "2021", "K", 40.0), ("1780", "ANDEL_X", "2021", "M", 60.0),
                  ("1780", "ANDEL_X", "2021", "T", 50.0), ("1780", "ANDEL_X", "2022", "K", 45.0),
                  ("1780", "ANDEL_X", "2022", "M", 55.0), ("1780", "ANDEL_X", "2022", "T", 50.0)))
    text("csv_two_row_header.csv", "Kommunkod;Indikator;År;Värde;;\n;;;Flickor;Pojkar;Totalt\n1780;BEHORIG;2022;88;84;86\n")
    expect("csv_two_row_header.csv", 0, 3, 3, 0, "tvåradig rubrik",
           values(IND_VALUES, ("1780", "BEHORIG", "2022", "K", 88.0), ("1780", "BEHORIG", "2022", "M", 84.0),
                  ("1780", "BEHORIG", "2022", "T", 86.0)))


def chain_cases() -> None:
    text("chain_multiline_cell.csv", rows(CHAIN, ["Karlstad", "1780", "2021-05", "aktivitet", "Utbildning"])
         .rstrip("\n") + ';"Två dagar\nför chefer\noch politiker"\n'
         + ";".join(["Karlstad", "1780", "2021-13", "aktivitet", "Fel datum", ""]) + "\n")
    expect("chain_multiline_cell.csv", 1, 2, 1, 1, "inget datum", about="the bad date is Excel row 3, line 5")
    text("chain_shifted_extra_fields.csv",
         rows(CHAIN, ["Karlstad", "1780", "2021", "aktivitet", "Utbildning", "för chefer"],
              ["Karlstad", "1780", "2022", "nytt arbetssätt", "Mall", "kvinnor; män; flickor och pojkar"],
              ["Karlstad", "1780", "2022", "ny/ändrad produkt", "Budgetanvisning", "text"]))
    expect("chain_shifted_extra_fields.csv", 1, 3, 2, 1, "utan citattecken")
    text("chain_shifted_fewer_fields.csv", rows(CHAIN, ["Karlstad", "1780", "2021", "aktivitet", "Utbildning", "a"])
         + "Karlstad;1780;2022\n")
    expect("chain_shifted_fewer_fields.csv", 1, 2, 1, 1, "fält saknas")
    text("chain_long_cell_2mb.csv", rows(CHAIN, ["Karlstad", "1780", "2021", "aktivitet", "Lång text", "x" * 2_100_000]))
    expect("chain_long_cell_2mb.csv", 0, 1, 1, 0, about="a 2 MB description is read whole")
    text("chain_excel_serial_dates.csv", rows(CHAIN, ["Karlstad", "1780", 44562, "aktivitet", "Start", ""],
                                              ["Karlstad", "1780", "44927", "samhällseffekt", "Effekt", ""]))
    expect("chain_excel_serial_dates.csv", 0, 2, 2, 0,
           values=values(CHAIN_VALUES, ("Karlstad", "2022-01-01", "aktivitet", "Start"),
                         ("Karlstad", "2023-01-01", "samhällseffekt", "Effekt")))
    text("chain_control_characters.csv", rows(CHAIN, ["Karlstad", "1780", "2021", "aktivitet", "Utbild\x07ning\x1b", ""]))
    expect("chain_control_characters.csv", 0, 1, 1, 0, "styrtecken",
           values(CHAIN_VALUES, ("Karlstad", "2021", "aktivitet", "Utbildning")))
    text("chain_nul_character.csv", rows(CHAIN, ["Karl\x00stad", "1780", "2021", "aktivitet", "Mål", ""]))
    expect("chain_nul_character.csv", 0, 1, 1, 0, "U+0000", values(CHAIN_VALUES, ("Karlstad", "2021", "aktivitet", "Mål")))


def value_cases() -> None:
    base = ["1780", "Karlstad", "X"]
    text("ind_scb_missing_markers.csv", rows(INDICATORS, [*base, 2022, "K", "..", "antal"], [*base, 2022, "M", "-", "antal"],
                                             [*base, 2022, "T", "12", "antal"]))
    expect("ind_scb_missing_markers.csv", 0, 3, 3, 0,
           values=values(IND_VALUES, ("1780", "X", "2022", "K", None), ("1780", "X", "2022", "M", None),
                         ("1780", "X", "2022", "T", 12.0)))
    text("ind_thousands_ambiguous.csv", rows(INDICATORS, [*base, 2022, "K", "1,234", "kronor"],
                                             [*base, 2022, "M", "5", "kronor"], [*base, 2022, "T", "7", "kronor"]))
    expect("ind_thousands_ambiguous.csv", 1, 3, 2, 1, "tusentalsavgränsare")
    text("ind_thousands_english_export.csv", rows(INDICATORS, [*base, 2022, "K", "1,234", "kronor"],
                                                  [*base, 2022, "M", "12.5", "kronor"], [*base, 2022, "T", "7", "kronor"]))
    expect("ind_thousands_english_export.csv", 0, 3, 3, 0, "lästes som 1234",
           values(IND_VALUES, ("1780", "X", "2022", "K", 1234.0), ("1780", "X", "2022", "M", 12.5),
                  ("1780", "X", "2022", "T", 7.0)))
    text("ind_thousands_decimal_comma.csv", rows(INDICATORS, [*base, 2022, "K", "1,234", "kronor"],
                                                 [*base, 2022, "M", "2,5", "kronor"], [*base, 2022, "T", "7", "kronor"]))
    expect("ind_thousands_decimal_comma.csv", 0, 3, 3, 0,
           values=values(IND_VALUES, ("1780", "X", "2022", "K", 1.234), ("1780", "X", "2022", "M", 2.5),
                         ("1780", "X", "2022", "T", 7.0)))
    text("chk_occasions_1_to_4.csv", rows(CHECKLIST, *[[*KARLSTAD, n, 1, score] for n, score in ((1, 1), (2, 2), (3, 3), (4, 4))]))
    expect("chk_occasions_1_to_4.csv", 0, 4, 4, 0, "numrerade 1–4",
           values(CHK_VALUES, ("Karlstad", "uppstart", 1, 1.0), ("Karlstad", "träff 1", 1, 2.0),
                  ("Karlstad", "träff 2", 1, 3.0), ("Karlstad", "träff 3", 1, 4.0)))
    text("chk_occasions_1_to_3.csv", rows(CHECKLIST, *[[*KARLSTAD, n, 1, 2] for n in (1, 2, 3)]))
    expect("chk_occasions_1_to_3.csv", 1, 3, 0, 3, "kan betyda Uppstart")
    text("chk_occasions_0_to_3.csv", rows(CHECKLIST, *[[*KARLSTAD, n, 1, 2] for n in (0, 1, 2, 3)]))
    expect("chk_occasions_0_to_3.csv", 0, 4, 4, 0,
           values=values(CHK_VALUES, ("Karlstad", "uppstart", 1, 2.0), ("Karlstad", "träff 1", 1, 2.0),
                         ("Karlstad", "träff 2", 1, 2.0), ("Karlstad", "träff 3", 1, 2.0)))


def not_tables() -> None:
    (OUT / "binary_junk.csv").write_bytes(bytes(range(256)) * 20)
    expect("binary_junk.csv", 1, 0, 0, 0, "binärfil")
    (OUT / "pdf_named.csv").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    expect("pdf_named.csv", 1, 0, 0, 0, "PDF-fil")
    (OUT / "picture_named.xlsx").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    expect("picture_named.xlsx", 1, 0, 0, 0, "en bild")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "hej")
    (OUT / "zip_named.xlsx").write_bytes(buffer.getvalue())
    expect("zip_named.xlsx", 1, 0, 0, 0, "ZIP-arkiv")
    text("html_export_named.xls", "<html><body><table><tr><td>Kommunkod</td></tr></table></body></html>")
    expect("html_export_named.xls", 1, 0, 0, 0, "webbsida")
    (OUT / "old_excel.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "Workbook".encode("utf-16-le"))
    expect("old_excel.xls", 1, 0, 0, 0, "Spara som .xlsx")
    (OUT / "password_protected.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
                                                   + "EncryptedPackage".encode("utf-16-le"))
    expect("password_protected.xlsx", 1, 0, 0, 0, "lösenordsskyddad")
    text("word_document.docx", "inte en tabell")
    expect("word_document.docx", 1, 0, 0, 0, "känns inte igen")
    (OUT / "parquet_broken.parquet").write_bytes(b"PAR1" + b"\x00" * 64)
    expect("parquet_broken.parquet", 1, 0, 0, 0, "Parquet")


def excel_cases() -> None:
    long_rows = [CHECKLIST, [*KARLSTAD, "Uppstart", 1, 3], [*KARLSTAD, "Träff 1", 1, 4]]
    workbook("xlsx_long.xlsx", [("Skattningar", long_rows)])
    expect("xlsx_long.xlsx", 0, 2, 2, 0, values=values(CHK_VALUES, ("Karlstad", "uppstart", 1, 3.0),
                                                      ("Karlstad", "träff 1", 1, 4.0)))
    shutil.copy(OUT / "xlsx_long.xlsx", OUT / "xlsx_named_csv.csv")
    expect("xlsx_named_csv.csv", 0, 2, 2, 0, "är en Excel-arbetsbok", values(CHK_VALUES, ("Karlstad", "uppstart", 1, 3.0),
                                                                           ("Karlstad", "träff 1", 1, 4.0)))
    (OUT / "xlsx_truncated.xlsx").write_bytes((OUT / "xlsx_long.xlsx").read_bytes()[:700])
    expect("xlsx_truncated.xlsx", 1, 0, 0, 0, "skadad eller ofullständig")
    indicator_rows = [["Kommunkod", "Indikator", "Period", "Kön", "Värde"], ["1780", "Y", 2022, "K", 3],
                      ["1780", "Y", 2022, "M", 4], ["1780", "Y", 2022, "T", 7]]
    workbook("xlsx_header_row3.xlsx", [("Blad1", [["Antal besök per kön, 2022"], [], *indicator_rows])])
    expect("xlsx_header_row3.xlsx", 0, 3, 3, 0, "rubrikraden är rad 3",
           values(IND_VALUES, ("1780", "Y", "2022", "K", 3.0), ("1780", "Y", "2022", "M", 4.0), ("1780", "Y", "2022", "T", 7.0)))
    workbook("xlsx_instructions_then_data.xlsx", [
        ("Instruktioner", [["Så fyller du i"], ["Skriv en rad per kön och år."]]),
        ("2021", [indicator_rows[0], ["1780", "Y", 2021, "K", 1], ["1780", "Y", 2021, "M", 2], ["1780", "Y", 2021, "T", 3]]),
        ("2022", indicator_rows)])
    expect("xlsx_instructions_then_data.xlsx", 0, 6, 6, 0, "'Instruktioner'",
           values(IND_VALUES, ("1780", "Y", "2021", "K", 1.0), ("1780", "Y", "2021", "M", 2.0), ("1780", "Y", "2021", "T", 3.0),
                  ("1780", "Y", "2022", "K", 3.0), ("1780", "Y", "2022", "M", 4.0), ("1780", "Y", "2022", "T", 7.0)))
    workbook("xlsx_hidden_sheet.xlsx", [("Aktuellt", indicator_rows),
                                        ("Gammalt", [indicator_rows[0], ["1780", "Y", 2019, "K", 99]])], hidden=("Gammalt",))
    expect("xlsx_hidden_sheet.xlsx", 0, 3, 3, 0, "Dolda blad lästes inte: 'Gammalt'",
           values(IND_VALUES, ("1780", "Y", "2022", "K", 3.0), ("1780", "Y", "2022", "M", 4.0), ("1780", "Y", "2022", "T", 7.0)))
    workbook("xlsx_hidden_rows.xlsx", [("Data", [*indicator_rows, ["1780", "Y", 2020, "K", 50]])],
             hidden_rows={"Data": [5]})
    expect("xlsx_hidden_rows.xlsx", 0, 3, 3, 0, "1 dolda rader (5)")
    workbook("xlsx_percent_format.xlsx", [("Data", [["Kommunkod", "Indikator", "Period", "Kön", "Värde", "Enhet"],
                                                    ["1780", "ANDEL", 2022, "K", 0.125, "procent"],
                                                    ["1780", "ANDEL", 2022, "M", 0.25, "procent"],
                                                    ["1780", "ANDEL", 2022, "T", 0.2, "procent"]])],
             formats={("Data", "E2"): "0.0%", ("Data", "E3"): "0%", ("Data", "E4"): "0.0%"})
    expect("xlsx_percent_format.xlsx", 0, 3, 3, 0, "procentformat",
           values(IND_VALUES, ("1780", "ANDEL", "2022", "K", 12.5), ("1780", "ANDEL", "2022", "M", 25.0),
                  ("1780", "ANDEL", "2022", "T", 20.0)))
    workbook("xlsx_uncached_formula.xlsx", [("Data", [indicator_rows[0], ["1780", "Y", 2022, "K", 3],
                                                      ["1780", "Y", 2022, "M", 4], ["1780", "Y", 2022, "T", "=E2+E3"]])])
    expect("xlsx_uncached_formula.xlsx", 1, 3, 2, 1, "inget sparat resultat")
    workbook("xlsx_chain_date_cells.xlsx", [("Resultat", [CHAIN[:5], ["Karlstad", "1780", dt.datetime(2021, 3, 15), "aktivitet", "Start"],
                                                          ["Karlstad", "1780", 44927, "nytt arbetssätt", "Rutin"]])])
    expect("xlsx_chain_date_cells.xlsx", 0, 2, 2, 0,
           values=values(CHAIN_VALUES, ("Karlstad", "2021-03-15", "aktivitet", "Start"),
                         ("Karlstad", "2023-01-01", "nytt arbetssätt", "Rutin")))
    workbook("xlsx_wide_per_sex.xlsx", [("Data", [["Kommunkod", "Indikator", "År", "Kvinnor", "Män", "Totalt"],
                                                  ["0180", "SJUKTAL", 2022, 5.5, 3.5, 4.5]])])
    expect("xlsx_wide_per_sex.xlsx", 0, 3, 3, 0, "en kolumn per kön",
           values(IND_VALUES, ("0180", "SJUKTAL", "2022", "K", 5.5), ("0180", "SJUKTAL", "2022", "M", 3.5),
                  ("0180", "SJUKTAL", "2022", "T", 4.5)))
    workbook("xlsx_two_row_header.xlsx", [("Data", [["Kommunkod", "Indikator", "År", "Värde", None, None],
                                                    [None, None, None, "Kvinnor", "Män", "Totalt"],
                                                    ["0180", "NOJD", 2021, 71, 69, 70]])])
    expect("xlsx_two_row_header.xlsx", 0, 3, 3, 0, "tvåradig rubrik",
           values(IND_VALUES, ("0180", "NOJD", "2021", "K", 71.0), ("0180", "NOJD", "2021", "M", 69.0),
                  ("0180", "NOJD", "2021", "T", 70.0)))
    skr = [["Omgång", "2020–2022"], ["Roll", "deltagare"], ["Kommunkod", "1780"], [],
           ["Del i checklista", "Uppstart", "Träff 1", "Träff 2", "Träff 3"],
           *[[f"{m}. moment", 2, 2, 3, 3] for m in range(1, 11)], ["Totalt", 20, 20, 30, 30]]
    workbook("xlsx_skr_wide_checklist.xlsx", [("Karlstad", skr)])
    expect("xlsx_skr_wide_checklist.xlsx", 0, 40, 40, 0)
    # A 5 kB workbook that declares a sheet of 17 billion cells, and one that declares a billion texts.
    for name, member, pattern, replacement in (
            ("xlsx_huge_dimension.xlsx", "xl/worksheets/sheet1.xml", rb'<dimension ref="[^"]*" ?/>',
             b'<dimension ref="A1:XFD1048576"/>'),
            ("xlsx_huge_shared_strings.xlsx", "xl/sharedStrings.xml", rb'uniqueCount="\d+"', b'uniqueCount="1000000000"')):
        with zipfile.ZipFile(OUT / "xlsx_long.xlsx") as source:
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
                for item in source.infolist():
                    data = source.read(item.filename)
                    if item.filename == member:
                        data, found = re.subn(pattern, replacement, data)
                        assert found == 1, (name, data[:300])
                    target.writestr(item, data)
                if member not in source.namelist():  # openpyxl writes inline strings: add a shared-strings part
                    target.writestr(member, b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                                            b'count="1000000000" uniqueCount="1000000000"><si><t>a</t></si></sst>')
        (OUT / name).write_bytes(buffer.getvalue())
    expect("xlsx_huge_dimension.xlsx", 1, 0, 0, 0, "anger storleken A1:XFD1048576")
    expect("xlsx_huge_shared_strings.xlsx", 1, 0, 0, 0, "fler olika texter")


def ods_cases() -> None:
    import pandas as pd

    frame = pd.DataFrame([["1780", "Z", "2022", "K", 10], ["1780", "Z", "2022", "M", 12], ["1780", "Z", "2022", "T", 22]],
                         columns=["Kommunkod", "Indikator", "Period", "Kön", "Värde"])
    with pd.ExcelWriter(OUT / "ods_long.ods", engine="odf") as writer:
        pd.DataFrame([["Läs mig först"]]).to_excel(writer, sheet_name="Instruktioner", index=False, header=False)
        frame.to_excel(writer, sheet_name="Data", index=False)
    expect("ods_long.ods", 0, 3, 3, 0, "OpenDocument",
           values(IND_VALUES, ("1780", "Z", "2022", "K", 10.0), ("1780", "Z", "2022", "M", 12.0), ("1780", "Z", "2022", "T", 22.0)))
    wide = pd.DataFrame([["1780", "Z", "2023", 11, 13, 24]], columns=["Kommunkod", "Indikator", "År", "Flickor", "Pojkar", "Totalt"])
    with pd.ExcelWriter(OUT / "ods_wide_per_sex.ods", engine="odf") as writer:
        wide.to_excel(writer, sheet_name="Data", index=False)
    expect("ods_wide_per_sex.ods", 0, 3, 3, 0, "en kolumn per kön",
           values(IND_VALUES, ("1780", "Z", "2023", "K", 11.0), ("1780", "Z", "2023", "M", 13.0), ("1780", "Z", "2023", "T", 24.0)))


def json_cases() -> None:
    record = {"kpi": "U23401", "municipality": "1780", "period": 2022,
              "values": [entry("K", 61.0), entry("M", None), entry("T", 64.0, deleted=True)]}
    (OUT / "data_kolada_ok.json").write_text(json.dumps(kolada([record])), encoding="utf-8")
    expect("data_kolada_ok.json", 0, 3, 2, 1, "raderad i Kolada",
           values(IND_VALUES, ("1780", "U23401", "2022", "K", 61.0), ("1780", "U23401", "2022", "M", None)))
    strings = {**record, "values": ["K", "M", "T"]}
    (OUT / "data_kolada_values_are_strings.json").write_text(json.dumps(kolada([strings])), encoding="utf-8")
    expect("data_kolada_values_are_strings.json", 1, 0, 0, 0, "där ett objekt med gender och value skulle stå")
    (OUT / "data_kolada_invalid_utf8.json").write_bytes(json.dumps(kolada([record])).encode() + b"\n\xff\xfe")
    expect("data_kolada_invalid_utf8.json", 1, 0, 0, 0, "inte giltig UTF-8")
    (OUT / "data_kolada_truncated.json").write_text(json.dumps(kolada([record]))[:80], encoding="utf-8")
    expect("data_kolada_truncated.json", 1, 0, 0, 0, "inte giltig JSON")
    (OUT / "data_not_kolada.json").write_text('{"rader": [1, 2, 3]}', encoding="utf-8")
    expect("data_not_kolada.json", 1, 0, 0, 0, "inte Koladas form")
    text_value = {**record, "values": [entry("K", "61,5"), entry("M", 50.0), entry("T", 55.0)]}
    (OUT / "data_kolada_value_as_text.json").write_text(json.dumps(kolada([text_value])), encoding="utf-8")
    expect("data_kolada_value_as_text.json", 0, 3, 3, 0,
           values=values(IND_VALUES, ("1780", "U23401", "2022", "K", 61.5), ("1780", "U23401", "2022", "M", 50.0),
                         ("1780", "U23401", "2022", "T", 55.0)))


def kolada_type_cases() -> None:
    """Kolada records whose fields hold a JSON object or a list, and a file nested 100 000 levels deep."""
    good = {"kpi": "U23401", "municipality": "1780", "period": 2022,
            "values": [entry("K", 61.0), entry("M", 50.0), entry("T", 55.0)]}
    other = {"kpi": "U23401", "municipality": "1780", "period": 2021,
             "values": [entry("K", 60.0), entry("M", 52.0), entry("T", 56.0)]}
    kept = values(IND_VALUES, ("1780", "U23401", "2022", "K", 61.0), ("1780", "U23401", "2022", "M", 50.0),
                  ("1780", "U23401", "2022", "T", 55.0))
    for name, changed, message in (
            ("data_kolada_period_object.json", {**other, "period": {"år": 2021}},
             "I post 2 i 'values' är fältet 'period' ett JSON-objekt"),
            ("data_kolada_kpi_list.json", {**other, "kpi": ["U23401"]}, "I post 2 i 'values' är fältet 'kpi' en lista"),
            ("data_kolada_value_list.json", {**other, "values": [entry("K", [60, 61]), *other["values"][1:]]},
             "I ett värde i post 2 i 'values' är fältet 'value' en lista")):
        (OUT / name).write_text(json.dumps(kolada([good, changed]), ensure_ascii=False), encoding="utf-8")
        expect(name, 1, 6, 3, 3, message, kept, about="the second record (3 entries) is quarantined, the first read")
    (OUT / "data_kolada_deep_nesting.json").write_text('{"values": ' + "[" * 100_000 + "]" * 100_000 + "}",
                                                       encoding="utf-8")
    expect("data_kolada_deep_nesting.json", 1, 0, 0, 0, "filen är inte en Kolada-fil",
           about="pyarrow's reader crashed the process on this and json.loads overflowed the stack")


def quote_cases() -> None:
    """A free-text cell that starts with a stray quote ("Tre tum) must not swallow the rows after it."""
    ok = [["Karlstad", "1780", "2022", "aktivitet", "Kurs 2", "text"], ["Karlstad", "1780", "2023", "aktivitet", "Kurs 3", "mer"]]
    text("chain_stray_quote_never_closed.csv", rows(CHAIN, ["Karlstad", "1780", "2021", "aktivitet", "Kurs",
                                                            '"Tre tum långa skruvar'], *ok))
    expect("chain_stray_quote_never_closed.csv", 1, 3, 2, 1, "citattecken (\") som aldrig stängs, så de 2 raderna efter",
           values(CHAIN_VALUES, ("Karlstad", "2022", "aktivitet", "Kurs 2"), ("Karlstad", "2023", "aktivitet", "Kurs 3")),
           about="the quote opens on row 2; rows 3 and 4 are read as rows, not as part of its cell")
    text("chain_stray_quote_closed_later.csv", rows(CHAIN, ["Karlstad", "1780", "2021", "aktivitet", "Kurs", '"Tre tum'],
                                                    *ok, ["Karlstad", "1780", "2024", "aktivitet", "Kurs 4", '5" skruv'])
         .replace("\n", "\r\n"))
    expect("chain_stray_quote_closed_later.csv", 1, 4, 3, 1, "som inte stängs förrän på rad 5 i filen, så de 3 raderna",
           values(CHAIN_VALUES, ("Karlstad", "2022", "aktivitet", "Kurs 2"), ("Karlstad", "2023", "aktivitet", "Kurs 3"),
                  ("Karlstad", "2024", "aktivitet", "Kurs 4")),
           about="the quote opens on line 2; the one in 5\" skruv on line 5 closed it")
    text("chain_stray_quote_last_row.csv", rows(CHAIN, ok[0], ["Karlstad", "1780", "2021", "aktivitet", "Kurs", '"Tre tum']))
    expect("chain_stray_quote_last_row.csv", 1, 2, 1, 1, "cellen fortsätter till filens slut",
           values(CHAIN_VALUES, ("Karlstad", "2022", "aktivitet", "Kurs 2")))
    text("chain_multiline_cells_quoted.csv", rows(CHAIN)
         + 'Karlstad;1780;2021;aktivitet;"Rubrik\npå två rader";"Mål: kvinnor; män\noch flickor; pojkar"\n'
         + ";".join(ok[0]) + "\n")
    expect("chain_multiline_cells_quoted.csv", 0, 2, 2, 0,
           values=values(CHAIN_VALUES, ("Karlstad", "2021", "aktivitet", "Rubrik\npå två rader"),
                         ("Karlstad", "2022", "aktivitet", "Kurs 2")),
           about="properly quoted multi-line cells, one in the middle, one with ; inside: read as before")


def utf32_cases() -> None:
    """UTF-32 (with and without a byte-order mark) is read, and said to be UTF-32, not UTF-16."""
    table = rows(INDICATORS, ["1780", "Karlstad", "U23401", 2021, "K", "61,5", "dagar"],
                 ["1780", "Karlstad", "U23401", 2021, "M", 55, "dagar"], ["1780", "Karlstad", "U23401", 2021, "T", 58, "dagar"])
    (OUT / "utf32_with_bom.csv").write_bytes(codecs.BOM_UTF32_LE + table.replace("\n", "\r\n").encode("utf-32-le"))
    (OUT / "utf32_big_endian_without_bom.txt").write_bytes(table.encode("utf-32-be"))
    read = values(IND_VALUES, ("1780", "U23401", "2021", "K", 61.5), ("1780", "U23401", "2021", "M", 55.0),
                  ("1780", "U23401", "2021", "T", 58.0))
    expect("utf32_with_bom.csv", 0, 3, 3, 0, "läst som UTF-32 (ovanligt; spara gärna som CSV UTF-8)", read,
           about="FF FE 00 00 starts like UTF-16's mark; it used to be read as UTF-16 and said so")
    expect("utf32_big_endian_without_bom.txt", 0, 3, 3, 0, "läst som UTF-32 (ovanligt; spara gärna som CSV UTF-8) utan BOM",
           read)


def parquet_cases() -> None:
    import pandas as pd

    pd.DataFrame([["2020–2022", "Kramfors", "2282", "deltagare", "Uppstart", 1, 3]], columns=CHECKLIST).to_parquet(
        OUT / "parquet_ok.parquet")
    expect("parquet_ok.parquet", 0, 1, 1, 0, values=values(CHK_VALUES, ("Kramfors", "uppstart", 1, 3.0)))


def main() -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    for make in (csv_cases, chain_cases, value_cases, not_tables, excel_cases, ods_cases, json_cases, parquet_cases,
                 kolada_type_cases, quote_cases, utf32_cases):
        make()
    names = [e["file"] for e in EXPECTED]
    assert len(names) == len(set(names)), "a file is listed twice"
    assert sorted(names) == sorted(p.name for p in OUT.iterdir()), "every file needs its expected outcome"
    (OUT / "expected.json").write_text(json.dumps(EXPECTED, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(EXPECTED)} files in {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
