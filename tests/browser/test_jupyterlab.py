"""The notebooks in a real JupyterLab, as an analyst uses them: open, run all cells, look, change the explorer.

JupyterLab runs on 127.0.0.1 with a token and a temporary folder holding copies of the notebooks and the
bundled data; headless Debian Chromium opens each notebook, runs all cells from the *Run* menu and saves it.
No request may leave the machine (the charts used to need a CDN). The test asserts that no cell printed an
error or to stderr, that every chart is drawn (a visible SVG or canvas larger than 100 × 100 px), and that
the indicator explorer redraws its chart and table after a drop-down change. Screenshots are written to
``build/testartefakter/jupyterlab/``.
"""

from __future__ import annotations

import json
import time
import urllib.request

import pytest

from conftest import ROOT, artefacts, offline_page

# Every notebook in notebooks/, with the number of charts it draws with its defaults (the indicator report: per
# indicator the values with the reference band and the rank bar; 5R: R3's three indicators).
CHARTS = {"indikatorrapport.ipynb": 10, "checklista_omgangar.ipynb": 2, "mentorer_deltagare.ipynb": 2,
          "resultatkedja.ipynb": 5, "representation.ipynb": 1, "femr_analys.ipynb": 3, "checklista_profil.ipynb": 1}
NOTEBOOKS = list(CHARTS)
VEGALITE = "application/vnd.vegalite.v5+json"
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook on show (not one restored in a hidden tab)
RUN_TIMEOUT = 240  # seconds for all cells of one notebook on a busy 2-core machine


def _wait_for_kernel(page, server: dict, name: str) -> None:
    """Until the notebook's kernel has started and the page is connected to it."""
    deadline = time.monotonic() + 120
    while True:
        with urllib.request.urlopen(f"{server['url']}/api/sessions?token={server['token']}", timeout=10) as answer:
            sessions = json.load(answer)
        states = [s["kernel"]["execution_state"] for s in sessions if s.get("path", "").endswith(name)]
        shown = page.locator(f"{PANEL} .jp-Notebook-ExecutionIndicator").first.get_attribute("data-status")
        if states == ["idle"] and shown == "idle":
            return
        assert time.monotonic() < deadline, f"kärnan startade inte: {states}, sidan visar {shown}"
        page.wait_for_timeout(500)


def _shut_down_kernel(server: dict, name: str) -> None:
    """End the notebook's kernel, so that the seven notebooks' kernels do not all stay in memory at once."""
    base = f"{server['url']}/api/sessions"
    with urllib.request.urlopen(f"{base}?token={server['token']}", timeout=10) as answer:
        sessions = [s["id"] for s in json.load(answer) if s.get("path", "").endswith(name)]
    for session in sessions:
        urllib.request.urlopen(urllib.request.Request(f"{base}/{session}?token={server['token']}", method="DELETE"),
                               timeout=30).close()


def _run_all_cells(page) -> None:
    page.locator(".lm-MenuBar-itemLabel").get_by_text("Run", exact=True).click()
    page.locator(".lm-Menu-itemLabel").get_by_text("Run All Cells", exact=True).click()


def _wait_until_done(page, started: float) -> None:
    """Until every code cell has an execution number and the kernel is idle."""
    while True:
        prompts = page.locator(f"{PANEL} .jp-CodeCell .jp-InputArea-prompt").all_inner_texts()
        status = page.locator(f"{PANEL} .jp-Notebook-ExecutionIndicator").first.get_attribute("data-status")
        if prompts and all(p.strip().startswith("[") and p.strip()[1:-2].isdigit() for p in prompts) and status == "idle":
            return
        if time.monotonic() - started > RUN_TIMEOUT:
            raise AssertionError(f"cellerna blev inte klara på {RUN_TIMEOUT} s: {prompts}, kärnan {status}")
        page.wait_for_timeout(500)


def _chart_boxes(page, within: str = f"{PANEL} .jp-Cell") -> list[dict]:
    """Each drawn chart: the size of its largest visible SVG or canvas."""
    return page.evaluate("""(within) => Array.from(document.querySelectorAll(within + ' .jp-RenderedVegaCommon5'))
        .filter(el => !el.closest('.jupyter-widgets') || within.includes('widget'))
        .map(el => {
          const drawn = Array.from(el.querySelectorAll('svg.marks, canvas.marks, svg, canvas')).map(g => {
            g.scrollIntoView(); const r = g.getBoundingClientRect(); const s = getComputedStyle(g);
            return {w: r.width, h: r.height, visible: s.visibility !== 'hidden' && s.display !== 'none'};
          }).filter(b => b.visible).sort((a, b) => b.w * b.h - a.w * a.h);
          return drawn.length ? drawn[0] : {w: 0, h: 0, visible: false};
        })""", within)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_in_jupyterlab_and_draws_every_chart(browser, jupyterlab, name):
    folder = artefacts(f"jupyterlab/{name.removesuffix('.ipynb')}")
    page, blocked = offline_page(browser, allowed=(jupyterlab["url"] + "/", "data:", "blob:"))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{jupyterlab['url']}/lab/tree/notebooks/{name}?reset&token={jupyterlab['token']}")
        page.locator(f"{PANEL} .jp-Cell").first.wait_for(timeout=60_000)
        _wait_for_kernel(page, jupyterlab, name)
        page.screenshot(path=folder / "oppnad.png")
        started = time.monotonic()
        _run_all_cells(page)
        page.wait_for_timeout(1000)
        try:
            _wait_until_done(page, started)
        finally:
            page.screenshot(path=folder / "efter_kor_alla.png")
        page.wait_for_timeout(1500)  # the renderers finish drawing
        page.keyboard.press("Control+s")
        page.wait_for_timeout(1500)

        stderr = page.locator(f'{PANEL} .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').all_inner_texts()
        assert stderr == [], f"{name}: fel eller varningar i cellernas utdata: {stderr}"
        saved = json.loads((jupyterlab["root"] / "notebooks" / name).read_text(encoding="utf-8"))
        outputs = [o for c in saved["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
        assert [o for o in outputs if o["output_type"] == "error" or o.get("name") == "stderr"] == []
        expected = sum(VEGALITE in o.get("data", {}) for o in outputs)
        assert all("image/svg+xml" in o["data"] for o in outputs if VEGALITE in o.get("data", {}))
        boxes = _chart_boxes(page)
        assert len(boxes) == expected, f"{name}: {len(boxes)} diagram ritade, {expected} väntade"
        assert all(b["w"] > 100 and b["h"] > 100 for b in boxes), boxes
        for index, chart in enumerate(page.locator(f"{PANEL} .jp-Cell .jp-RenderedVegaCommon5").all()):
            chart.scroll_into_view_if_needed()
            chart.screenshot(path=folder / f"diagram_{index + 1}.png")
        assert "Error loading script" not in page.content()
        assert expected == CHARTS[name], f"{name}: {expected} diagram i utdata, {CHARTS[name]} väntade"
        if name == "indikatorrapport.ipynb":
            _explorer_follows_the_dropdowns(page, folder)
        assert errors == [], errors
        assert blocked == [], f"anrop som lämnade datorn: {blocked}"
    finally:
        page.context.close()
        _shut_down_kernel(jupyterlab, name)


def test_every_notebook_is_opened_in_jupyterlab():
    assert sorted(NOTEBOOKS) == sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))


def _explorer_state(page) -> tuple[str, str]:
    explorer = page.locator(f"{PANEL} .jp-Cell .widget-vbox").last
    image = explorer.locator(".jp-RenderedVegaCommon5 canvas, .jp-RenderedVegaCommon5 svg.marks").first
    drawing = image.evaluate("g => g.tagName === 'CANVAS' ? g.toDataURL() : g.outerHTML")
    return drawing, explorer.locator("table").first.inner_text()


def _explorer_follows_the_dropdowns(page, folder) -> None:
    explorer = page.locator(f"{PANEL} .jp-Cell .widget-vbox").last
    explorer.scroll_into_view_if_needed()
    explorer.locator(".jp-RenderedVegaCommon5").first.wait_for(timeout=30_000)
    page.wait_for_timeout(1000)
    explorer.screenshot(path=folder / "utforskare_fore.png")
    chart_before, table_before = _explorer_state(page)
    boxes = _chart_boxes(page, f"{PANEL} .widget-vbox")
    assert len(boxes) == 1 and boxes[0]["w"] > 100 and boxes[0]["h"] > 100, boxes
    assert "Karlstad" in explorer.locator("select").first.evaluate("s => s.options[s.selectedIndex].text")

    explorer.locator("select").first.select_option(label="Kalmar (0880)")
    deadline = time.monotonic() + 60
    while _explorer_state(page)[1] == table_before:
        assert time.monotonic() < deadline, "utforskarens tabell ändrades inte efter bytet av kommun"
        page.wait_for_timeout(300)
    page.wait_for_timeout(1000)
    chart_after, table_after = _explorer_state(page)
    assert chart_after != chart_before, "utforskarens diagram ritades inte om"
    boxes = _chart_boxes(page, f"{PANEL} .widget-vbox")
    assert len(boxes) == 1 and boxes[0]["w"] > 100 and boxes[0]["h"] > 100, boxes
    explorer.screenshot(path=folder / "utforskare_kalmar.png")

    indicator = explorer.locator("select").nth(1)
    choice = indicator.evaluate("s => s.options[(s.selectedIndex + 1) % s.options.length].value")
    indicator.select_option(value=choice)
    deadline = time.monotonic() + 60
    while _explorer_state(page)[1] == table_after:
        assert time.monotonic() < deadline, f"utforskarens tabell ändrades inte efter bytet till {choice}"
        page.wait_for_timeout(300)
    page.wait_for_timeout(1000)
    assert _explorer_state(page)[0] != chart_after, "diagrammet ritades inte om efter bytet av indikator"
    boxes = _chart_boxes(page, f"{PANEL} .widget-vbox")
    assert len(boxes) == 1 and boxes[0]["w"] > 100 and boxes[0]["h"] > 100, boxes
    explorer.screenshot(path=folder / "utforskare_ny_indikator.png")
