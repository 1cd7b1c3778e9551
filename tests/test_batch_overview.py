"""jam batch for a steering group: an overview matrix across organisations, a workbook per report and one for the batch."""

from __future__ import annotations

import html
import json
import re

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from jamlib.report.html import external_references
from jamlib.run.batch import run_batch
from tests.conftest import RAW, ROOT

NOTEBOOK = ROOT / "notebooks" / "indikatorrapport.ipynb"
SIX = [("1780", "Karlstad"), ("1765", "Årjäng"), ("0765", "Älmhult"), ("1880", "Örebro"), ("0180", "Stockholm"),
       ("1715", "Kil")]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def six(tmp_path_factory):
    out = tmp_path_factory.mktemp("sex")
    result = run_batch(NOTEBOOK, SIX, out, workers=2, parameters={"interaktiv": False})
    assert [e.status for e in result.entries] == ["klar"] * 6, [e.message for e in result.entries]
    return out


def kolada_gap(code: str, kpi: str, year: int) -> float:
    """K − M from the bundled Kolada file itself (not through jamlib)."""
    document = json.loads((RAW / "kolada" / f"data_{kpi}.json").read_text(encoding="utf-8"))
    entry = next(v for v in document["values"] if v["municipality"] == code and v["period"] == year)
    by_sex = {v["gender"]: v["value"] for v in entry["values"]}
    return by_sex["K"] - by_sex["M"]


def test_every_report_gets_its_workbook_beside_its_html(six):
    for code, name in SIX:
        stem = next(p.stem for p in six.glob(f"{code}_*.html"))
        book = load_workbook(six / f"{stem}.xlsx")
        sheet = book["Värden U01421"]
        header = [c.value for c in sheet[1]]
        assert header[:3] == ["År", "Kvinnor", "Män"]
        numbers = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if row[1] is not None]
        assert numbers and all(isinstance(v, (int, float)) for v in numbers), name
    # the report names its workbook by file name only, never the batch's folder
    karlstad = (six / "1780_karlstad.html").read_text(encoding="utf-8")
    assert "Tabellerna finns också i Excel: 1780_karlstad.xlsx" in karlstad and str(six) not in karlstad


def test_index_has_the_overview_matrix_in_swedish_order_above_the_status_list(six):
    page = (six / "index.html").read_text(encoding="utf-8")
    assert external_references(page) == []
    matrix = page[page.index('id="jam-overview"'):page.index("Status för varje rapport")]
    names = [html.unescape(n) for n in re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', matrix)]
    assert names == ["Karlstad", "Kil", "Stockholm", "Årjäng", "Älmhult", "Örebro"]
    assert "Fallskador bland personer 80+" in matrix and "Väntetid i antal dagar" in matrix
    # Karlstad's fall injuries 2022: the gap computed here from the Kolada file, in text and colour class
    gap = kolada_gap("1780", "N20402", 2022)
    row = re.search(r"Karlstad</a>.*?</tr>", matrix, re.S).group(0)
    cell = re.search(r'<td class="ov ov-K ov-level-(\d)" data-sort="([^"]+)"[^>]*>kvinnor ([^<]+)</td>', row)
    assert cell and float(cell.group(2)) == pytest.approx(abs(gap))
    assert re.sub(r"\s", "", cell.group(3)).startswith(f"{abs(gap):.1f}".replace(".", ","))
    assert cell.group(1) == "3"  # 1 446,8 is more than four times the 200 threshold
    assert "Intl.Collator('sv'" in page  # sortable with Swedish collation, no network
    assert page.index("jam-overview") < page.index("Status för varje rapport")


def test_the_batch_workbook_holds_the_matrix_and_every_organisations_values_as_numbers(six):
    book = load_workbook(six / "oversikt.xlsx")
    assert book.sheetnames == ["Översikt", "Skillnader", "Värden", "Källa och förbehåll"]
    values = pd.DataFrame(list(book["Värden"].iter_rows(min_row=2, values_only=True)),
                          columns=[c.value for c in book["Värden"][1]])
    assert set(values["Kod"]) == {c for c, _ in SIX}
    fall = values[(values["Kod"] == "1765") & (values["Id"] == "N20402") & (values["År"] == "2020")]
    k, m = float(fall["Kvinnor"].iloc[0]), float(fall["Män"].iloc[0])
    assert k - m == pytest.approx(kolada_gap("1765", "N20402", 2020))
    assert all(isinstance(v, (int, float)) for v in values["Kvinnor"].dropna())
    gaps = list(book["Skillnader"].iter_rows(min_row=2, values_only=True))
    assert all(isinstance(row[6], (int, float)) for row in gaps if row[6] is not None)
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                assert not (isinstance(value, str) and value.startswith(FORMULA_START)), (sheet.title, value)
    notes = [r[0] for r in book["Källa och förbehåll"].iter_rows(min_row=2, values_only=True)]
    assert any("färre än 5" in n for n in notes) and any("Kolada" in n for n in notes)


def test_a_value_resting_on_three_persons_never_reaches_the_overview(tmp_path):
    """Six organisations with counts; one has a base of 3 persons: hidden in the matrix, the workbook and the rank."""
    from jamlib.report.indicator_report import indicator_report
    from jamlib.report.overview import overview_html, overview_sheets, write_overview_workbook
    from jamlib.report.summary import summary_record

    codes = ["1780", "1715", "1761", "1737", "1730", "1782"]
    rows = []
    for index, code in enumerate(codes):
        for year in (2020, 2021, 2022):
            for sex, (numerator, denominator) in {"K": (50 + index, 100), "M": (35, 100)}.items():
                if code == "1737" and year == 2022:  # a small unit in 2022: 3 persons, a value nobody else has
                    numerator, denominator = (2, 3) if sex == "K" else (1, 3)
                rows.append({"org_code": code, "org_name": code, "indicator_id": "A1", "indicator_title": "Andel nöjda",
                             "period": str(year), "sex": sex, "value": 100 * numerator / denominator,
                             "numerator": numerator, "denominator": denominator, "unit": "procent",
                             "polarity": "högre är bättre"})
    data = pd.DataFrame(rows)
    records = []
    for code in codes:
        report = indicator_report(data, code, ["A1"], reference=[c for c in codes if c != code])
        records.append(json.loads(json.dumps(summary_record(report))))  # as the batch reads them back
    page = overview_html(records)
    hidden = records[codes.index("1737")]
    assert hidden["indicators"][0]["latest_period"] == "2021"  # 2022 rests on 3 persons: its latest shown year is 2021
    latest = [v for v in hidden["values"] if v["År"] == "2022"]
    assert latest and all(v["Kvinnor"] == "färre än 5" and v["Män"] == "färre än 5" for v in latest)
    for text in ("66,7", "33,3", "66.7", "33.3"):
        assert text not in page
    others = [r for r in records if r["org_code"] != "1737"]
    assert all(r["indicators"][0]["ranked"] == 5 for r in others)  # 2022: 5 organisations ranked, not 6
    path = write_overview_workbook(tmp_path / "oversikt.xlsx", records)
    cells = [v for sheet in load_workbook(path).worksheets for row in sheet.iter_rows(values_only=True) for v in row]
    numbers = np.array([v for v in cells if isinstance(v, float)])
    assert not np.isclose(numbers, 200 / 3).any() and not np.isclose(numbers, 100 / 3).any()
    sheets = overview_sheets(records)
    assert "2022" not in set(sheets["Skillnader"].set_index("Kod").loc[["1737"], "År"])


def test_notebooks_without_excelfil_get_no_workbook_and_no_overview(tmp_path):
    result = run_batch(ROOT / "notebooks" / "mentorer_deltagare.ipynb", [("2020–2022", "Mentorer")], tmp_path / "m",
                       workers=1, parameter="omgang")
    assert result.entries[0].status == "klar", result.entries[0].message
    assert not list((tmp_path / "m").glob("*.xlsx"))
    assert 'id="jam-overview"' not in result.index.read_text(encoding="utf-8")


def test_swedish_alphabetical_order():
    from jamlib.formatting import swedish_sort_key

    names = ["Örebro", "Ängelholm", "Åstorp", "Ale", "Östra Göinge", "Östersund", "Älmhult", "Vaxholm", "Västerås",
             "Eda", "Emmaboda"]
    assert sorted(names, key=swedish_sort_key) == ["Ale", "Eda", "Emmaboda", "Vaxholm", "Västerås", "Åstorp",
                                                   "Älmhult", "Ängelholm", "Örebro", "Östersund", "Östra Göinge"]


def test_a_report_with_more_than_three_sections_gets_a_table_of_contents():
    from jamlib.report.html import with_contents

    three = "<h1>R</h1><h2>A</h2><p>a</p><h2>B</h2><h2>C</h2>"
    assert with_contents(three) == three
    four = ('<h1>R</h1><h2>Sammanfattning</h2><p>a</p><h2 id="Om-data">Om data<a class="anchor-link" '
            'href="#Om-data">¶</a></h2><h2>B &lt;i&gt;</h2><h2>C</h2>')
    page = with_contents(four)
    assert page.index('<nav class="jam-toc"') < page.index("<h2")
    assert '<a href="#avsnitt-1">Sammanfattning</a>' in page and '<a href="#Om-data">Om data</a>' in page
    assert '<h2 id="avsnitt-1">Sammanfattning</h2>' in page and '<h2 id="Om-data">' in page
    assert "B &lt;i&gt;</a>" in page and "<i>" not in page  # heading text stays text


def test_the_descriptive_caveat_is_where_it_is_read(six):
    """Kolada gives no counts: each report says so right under its summary table (not only at the end), and
    the overview page and workbook say it once."""
    from jamlib.analysis.gaps import DESCRIPTIVE_CAVEAT

    caveat = html.escape(DESCRIPTIVE_CAVEAT, quote=False)
    for code, _ in SIX:
        page = next(six.glob(f"{code}_*.html")).read_text(encoding="utf-8")
        summary = re.search(r"<h2[^>]*>Sammanfattning", page).end()
        first_section_after = page.index("<h2", summary)
        assert caveat in page[summary:first_section_after], code
    index = (six / "index.html").read_text(encoding="utf-8")
    assert index.count(caveat) == 1 and index.index(caveat) < index.index("Status för varje rapport")
    notes = [r[0] for r in load_workbook(six / "oversikt.xlsx")["Källa och förbehåll"].iter_rows(min_row=2, values_only=True)]
    assert notes.count(DESCRIPTIVE_CAVEAT) == 1
