"""Plain ``papermill`` + ``jupyter nbconvert --to html --no-input`` gives a page whose charts show without network.

The commands are the ones the README gives, typed from the repository folder. The exported page is opened in
headless Debian Chromium with every request that is not a local file aborted (nbconvert's ``lab`` template asks
cdnjs for require.js and MathJax and unpkg for the widget manager; none of them is needed for what the report
shows). Every chart must be on the page as a loaded image larger than 100 × 100 px; ``--to jamhtml`` must give
jamlib's own page, which requests nothing at all and draws every chart with its own Vega.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, artefacts, offline_page

VEGALITE = "application/vnd.vegalite.v5+json"


def _command(name: str) -> list[str]:
    """The console script next to this Python (what a user with the venv types), else ``python -m``."""
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", name]


@pytest.fixture(scope="module")
def executed(tmp_path_factory, browser) -> tuple[Path, int]:
    """The indicator notebook run by the papermill CLI with its defaults, and its number of charts."""
    folder = tmp_path_factory.mktemp("nbconvert")
    out = folder / "indikatorrapport_ut.ipynb"
    done = subprocess.run([*_command("papermill"), "notebooks/indikatorrapport.ipynb", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    notebook = json.loads(out.read_text(encoding="utf-8"))
    charts = [o for c in notebook["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])
              if VEGALITE in o.get("data", {})]
    assert len(charts) == 10 and all("image/svg+xml" in o["data"] for o in charts)  # a line and a rank bar each
    return out, len(charts)


def _open(browser, page_path: Path, shot: Path):
    page, blocked = offline_page(browser, allowed=("file:", "data:"), viewport=(1200, 900))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(page_path.as_uri(), wait_until="load")
    page.wait_for_timeout(2000)
    page.screenshot(path=shot, full_page=True)
    return page, blocked, errors


def test_plain_nbconvert_html_shows_every_chart_with_the_network_blocked(browser, executed):
    notebook, expected = executed
    done = subprocess.run([*_command("jupyter"), "nbconvert", "--to", "html", "--no-input", str(notebook)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    page, blocked, errors = _open(browser, notebook.with_suffix(".html"), artefacts("nbconvert") / "html_no_input.png")
    try:
        images = page.evaluate("""() => Array.from(document.querySelectorAll('.jp-RenderedSVG img')).map(img => {
            img.scrollIntoView(); const r = img.getBoundingClientRect();
            return {loaded: img.complete && img.naturalWidth > 0, natural: img.naturalWidth, w: r.width, h: r.height};
        })""")
        assert len(images) == expected, f"{len(images)} diagram på sidan, {expected} väntade"
        assert all(i["loaded"] and i["w"] > 100 and i["h"] > 100 for i in images), images
        text = page.inner_text("body")
        assert "Karlstad (1780)" in text and "Indikator för indikator" in text
        assert "VBox(" not in text and "Error" not in text  # no raw widget text, no error message
        assert errors == [], errors
        print("\nSidan från nbconvert --to html bad om (och fick inte, nätet var avstängt):", *blocked, sep="\n  ")
    finally:
        page.context.close()


def test_nbconvert_to_jamhtml_gives_jamlibs_offline_page(browser, executed):
    notebook, expected = executed
    done = subprocess.run([*_command("jupyter"), "nbconvert", "--to", "jamhtml", str(notebook), "--output",
                           "rapport_jam"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    page, blocked, errors = _open(browser, notebook.parent / "rapport_jam.html", artefacts("nbconvert") / "jamhtml.png")
    try:
        figures = page.evaluate("""() => Array.from(document.querySelectorAll('figure.jam-chart')).map(f => {
            const g = f.querySelector('svg.marks'); if (!g) { return null; }
            g.scrollIntoView(); const r = g.getBoundingClientRect();
            return {w: r.width, h: r.height, still: !!f.querySelector('img.jam-chart-static'),
                    error: !!f.querySelector('.jam-chart-error')};
        })""")
        assert len(figures) == expected and None not in figures, figures
        assert all(f["w"] > 100 and f["h"] > 100 and not f["still"] and not f["error"] for f in figures), figures
        assert blocked == [] and errors == [], (blocked, errors)
        assert "import jamlib" not in page.inner_text("body")  # code is hidden
    finally:
        page.context.close()
