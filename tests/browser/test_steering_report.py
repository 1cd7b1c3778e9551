"""The Karlstad report as a steering group opens it: summary on the first screen, fits a phone, prints on A4.

The report is made as ``jam batch`` makes it and opened in headless Debian Chromium with the network blocked.
Screenshots go to ``build/testartefakter/styrgrupp/``.
"""

from __future__ import annotations

import re

import pytest

from conftest import ROOT, artefacts, offline_page

A4_POINTS = (595.0, 842.0)
NAMES = ["Fallskador bland personer 80+", "besväras av ensamhet", "inflytande och tillräckligt med tid",
         "alltid eller oftast bra bemötande", "Väntetid i antal dagar"]


@pytest.fixture(scope="module")
def karlstad(tmp_path_factory, browser):
    from jamlib.run.batch import Job, run_jobs

    out = tmp_path_factory.mktemp("styrgrupp")
    job = Job(ROOT / "notebooks" / "indikatorrapport.ipynb", {"kommunkod": "1780", "interaktiv": False}, "1780",
              "Karlstad", "1780_karlstad")
    result = run_jobs([job], out, workers=1)
    assert result.entries[0].status == "klar", result.entries[0].message
    return out / "1780_karlstad.html"


def test_the_first_screen_shows_the_summary_table_with_indicator_names(browser, karlstad):
    folder = artefacts("styrgrupp")
    page, blocked = offline_page(browser, allowed=("file:", "data:"), viewport=(1280, 800))
    try:
        page.goto(karlstad.as_uri(), wait_until="load")
        page.wait_for_timeout(1500)
        page.screenshot(path=folder / "forsta_skarmen_1280x800.png")
        table = page.locator("table.jam-table", has=page.locator("caption", has_text="i korthet"))
        box = table.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 800, box
        first_cells = table.locator("tbody tr td:first-child").all_inner_texts()
        assert len(first_cells) == 5
        for name in NAMES:
            assert sum(name in cell for cell in first_cells) == 1, (name, first_cells)
        assert not any(re.fullmatch(r"[A-Z]\d{5}", c.strip()) for c in first_cells)  # names, never only ids
        headers = table.locator("thead th").all_inner_texts()
        assert headers[:5] == ["Indikator", "År", "Missgynnat kön", "Hur länge", "Skillnaden över tid"]
        assert headers[5].startswith("Jämfört med Liknande kommuner")
        assert blocked == []
    finally:
        page.context.close()


def test_no_horizontal_page_scrolling_on_a_phone(browser, karlstad):
    folder = artefacts("styrgrupp_mobil")
    page, blocked = offline_page(browser, allowed=("file:", "data:"), viewport=(390, 844))
    try:
        page.goto(karlstad.as_uri(), wait_until="load")
        page.wait_for_timeout(2500)  # every chart drawn by the page's Vega
        page.screenshot(path=folder / "mobil_390.png", full_page=True)
        assert page.evaluate("document.querySelectorAll('figure.jam-chart svg').length") >= 10
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"sidan är {width} px bred på en 390 px skärm"
    finally:
        page.context.close()


def test_printed_by_chromium_the_pages_are_a4(browser, karlstad):
    page, blocked = offline_page(browser, allowed=("file:", "data:"), viewport=(1280, 800))
    try:
        page.goto(karlstad.as_uri(), wait_until="load")
        page.wait_for_timeout(1500)
        pdf = page.pdf(format="A4", print_background=True)
    finally:
        page.context.close()
    (artefacts("styrgrupp_pdf") / "karlstad.pdf").write_bytes(pdf)
    boxes = re.findall(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert len(boxes) >= 2  # the report runs over several pages
    for box in boxes:
        x0, y0, x1, y1 = (float(v) for v in box)
        assert (x0, y0) == (0.0, 0.0)
        assert x1 == pytest.approx(A4_POINTS[0], abs=1.5) and y1 == pytest.approx(A4_POINTS[1], abs=1.5), box


def test_the_batch_overview_sorts_with_swedish_collation(browser, tmp_path):
    from jamlib.report.html import IndexEntry, write_index
    from jamlib.report.overview import overview_html

    def record(code, name, gap):
        return {"org_code": code, "org_name": name, "threshold": 5, "reference": "Riket", "values": [],
                "indicators": [{"indicator_id": "U1", "indicator_title": "Väntetid", "latest_period": "2022",
                                "disadvantaged": "K", "own_size": gap, "latest_gap": gap, "difference_unit": "dagar",
                                "materiality": 3.0, "sex_text": "kvinnor", "duration_text": "1 år (2022)",
                                "rank_text": "–"}]}

    records = [record("1780", "Örebro", 4.0), record("1765", "Årjäng", 30.0), record("0765", "Älmhult", 12.0),
               record("1715", "Arboga", 7.0)]
    index = write_index(tmp_path, "Översikt", [IndexEntry(r["org_code"], r["org_name"], "klar", None, None)
                                               for r in records], overview=overview_html(records))
    page, blocked = offline_page(browser, allowed=("file:",), viewport=(1000, 700))
    try:
        page.goto(index.as_uri(), wait_until="load")

        def names():
            return [n.split()[0] for n in page.locator("#jam-overview tbody th").all_inner_texts()]

        assert names() == ["Arboga", "Årjäng", "Älmhult", "Örebro"]  # written in Swedish order
        page.locator("#jam-overview thead th").nth(1).locator("button").click()
        assert names() == ["Örebro", "Arboga", "Älmhult", "Årjäng"]  # smallest gap first
        page.locator("#jam-overview thead th").nth(0).locator("button").click()
        assert names() == ["Arboga", "Årjäng", "Älmhult", "Örebro"]  # Intl.Collator('sv')
        page.locator("#jam-overview thead th").nth(0).locator("button").click()
        assert names() == ["Örebro", "Älmhult", "Årjäng", "Arboga"]
        page.screenshot(path=artefacts("styrgrupp_oversikt") / "oversikt.png", full_page=True)
        assert blocked == []
    finally:
        page.context.close()
