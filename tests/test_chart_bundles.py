"""Every chart reaches the reader without network: a static SVG beside the interactive Vega-Lite form.

What a notebook displays for a chart is its display bundle. JupyterLab draws the Vega-Lite form with its
built-in renderer; VS Code, GitHub and plain ``jupyter nbconvert --to html`` show the SVG. jamlib's own pages
(``jam batch``, ``jupyter nbconvert --to jamhtml``) draw the spec with the Vega copy inside the page and keep the
SVG as fallback. The bundle carries only what the disclosure-safe view holds.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from jamlib.report import charts
from jamlib.report.charts import SVG_MIME, VEGALITE_MIME
from jamlib.report.explorer import ExplorerState, explorer_view
from jamlib.report.html import export_html, external_references, report_page
from jamlib.report.indicator_report import indicator_report
from jamlib.report.view import indicator_view
from tests.conftest import ROOT

SVG_NS = "{http://www.w3.org/2000/svg}"


def _rows(code, name, period, k, m, indicator="EGEN1", title="Nöjda brukare"):
    rows = []
    for sex, (num, den) in (("K", k), ("M", m), ("T", (k[0] + m[0], k[1] + m[1]))):
        rows.append({"org_code": code, "org_name": name, "indicator_id": indicator, "indicator_title": title,
                     "unit": "procent", "period": period, "sex": sex, "value": round(100 * num / den, 4),
                     "numerator": float(num), "denominator": float(den), "polarity": "högre är bättre"})
    return rows


@pytest.fixture()
def data() -> pd.DataFrame:
    """Karlstad 2019–2021 against Riket; in 2021 only 3 women answered (66,6667 % and the men's 41,2345 % hidden)."""
    rows = []
    for year, (kn, kd, mn, md) in {"2019": (30, 40, 20, 40), "2020": (33, 45, 21, 42)}.items():
        rows += _rows("1780", "Karlstad", year, (kn, kd), (mn, md))
        rows += _rows("0000", "Riket", year, (kn * 100, kd * 100), (mn * 100, md * 100))
    rows += _rows("1780", "Karlstad", "2021", (2, 3), (41.2345 * 40 / 100, 40))
    rows += _rows("0000", "Riket", "2021", (3000, 4000), (2000, 4000))
    return pd.DataFrame(rows)


def _svg_points(svg: str) -> list[str]:
    """The aria-labels of the drawn points ("År: 2019; procent: 75; Kön: Kvinnor")."""
    root = ET.fromstring(svg)
    return [e.get("aria-label") for e in root.iter(f"{SVG_NS}path") if e.get("aria-roledescription") == "point"]


def test_a_chart_bundle_has_the_interactive_spec_a_static_svg_and_a_line_of_text(data):
    view = indicator_view(indicator_report(data, "1780", ["EGEN1"], reference="riket"), "EGEN1")
    bundle = charts.chart_bundle(view.chart())
    assert set(bundle) == {VEGALITE_MIME, SVG_MIME, "text/plain"}
    assert bundle[VEGALITE_MIME] == view.chart().to_dict()
    assert bundle["text/plain"] == "Diagram: Karlstad: Nöjda brukare"
    root = ET.fromstring(bundle[SVG_MIME])
    assert root.tag == f"{SVG_NS}svg" and float(root.get("width")) > 100 and float(root.get("height")) > 100
    texts = [t.text for t in root.iter(f"{SVG_NS}text")]
    assert "Karlstad: Nöjda brukare" in texts and "Streckat: Riket" in texts and {"Kvinnor", "Män"} <= set(texts)
    # Women's values 30/40 and 33/45 (75 % and 73,3333 %) with a decimal comma in the points' labels; 2021 hidden.
    points = _svg_points(bundle[SVG_MIME])
    assert sorted(p for p in points if "Kvinnor" in p) == ["År: 2019; procent: 75; Kön: Kvinnor; Serie: Karlstad",
                                                          "År: 2020; procent: 73,3333; Kön: Kvinnor; Serie: Karlstad"]
    assert len(points) == 4


def test_no_hidden_value_reaches_any_form_of_the_chart(data):
    report_view = indicator_view(indicator_report(data, "1780", ["EGEN1"], reference="riket"), "EGEN1")
    explorer_chart, _ = explorer_view(ExplorerState(data), "1780", "EGEN1", "riket")
    for chart in (report_view.chart(), explorer_chart):
        bundle = charts.chart_bundle(chart)
        text = json.dumps(bundle[VEGALITE_MIME]) + bundle[SVG_MIME] + bundle["text/plain"] + charts.chart_html(chart)
        for secret in ("66,7", "66.7", "66.6667", "41,2", "41.2", "41.2345"):
            assert secret not in text
        points = _svg_points(bundle[SVG_MIME])  # Karlstad's points (the reference is a line without points)
        assert len(points) == 4 and not any("2021" in p for p in points)


def test_text_from_data_stays_text_in_the_svg():
    frame = pd.DataFrame({"period": ["2020", "2021"], "value_K": [1.0, 2.0], "value_M": [2.0, 3.0]})
    bundle = charts.chart_bundle(charts.gap_chart(frame, '<script>alert("x")</script> & <b>fet</b>'))
    root = ET.fromstring(bundle[SVG_MIME])  # well-formed XML: nothing from data became markup
    assert not [e for e in root.iter() if e.tag in (f"{SVG_NS}script", f"{SVG_NS}foreignObject", "script")]
    assert '<script>alert("x")</script> & <b>fet</b>' in [t.text for t in root.iter(f"{SVG_NS}text")]


def test_trajectory_and_role_charts_carry_a_static_svg_too():
    import jamlib
    from jamlib.analysis.checklist import organisation_trajectories

    scores = jamlib.load(ROOT / "data/raw/checklist/modellkonceptet_2020_2022_konstruerad.csv", "checklist",
                         allow_half_points=True, errors="raise").data
    for chart, axis in ((charts.trajectory_chart(organisation_trajectories(scores, "2020–2022"), "Utveckling"),
                         "Summa av tio moment (10–40)"),
                        (charts.role_chart(jamlib.compare_roles(scores, "2020–2022"), "Roller"),
                         "Medelvärde, summa av tio moment")):
        root = ET.fromstring(charts.chart_bundle(chart)[SVG_MIME])
        assert float(root.get("width")) > 100 and axis in [t.text for t in root.iter(f"{SVG_NS}text")]


def _executed_notebook(data) -> nbformat.NotebookNode:
    """A notebook as papermill leaves it: a heading, one chart output and a widget output."""
    view = indicator_view(indicator_report(data, "1780", ["EGEN1"], reference="riket"), "EGEN1")
    chart = new_output("display_data", data=charts.chart_bundle(view.chart()))
    widget = new_output("display_data", data={"application/vnd.jupyter.widget-view+json": {
        "model_id": "abc", "version_major": 2, "version_minor": 0}, "text/plain": "VBox()"})
    return new_notebook(cells=[new_markdown_cell("# Nöjda brukare i Karlstad"),
                               new_code_cell("vy.show()", outputs=[chart, widget], execution_count=1)])


def test_jamlibs_page_draws_the_spec_keeps_the_svg_as_fallback_and_leaves_out_widgets(data):
    notebook = _executed_notebook(data)
    before = json.dumps(notebook, sort_keys=True)
    page = report_page(notebook, "Karlstad")
    assert json.dumps(notebook, sort_keys=True) == before  # the notebook is not changed
    assert len(re.findall(r'<figure[^>]*class="jam-chart"', page)) == 1 and page.count('class="jam-chart-static"') == 1
    assert 'src="data:image/svg+xml;base64,' in page and "vegaEmbed" in page
    assert "widget-view" not in page and external_references(page) == []


def test_nbconvert_to_jamhtml_gives_the_same_page_as_jam_batch(data, tmp_path):
    from jamlib.report.nbconvert_exporter import JamHTMLExporter

    notebook = _executed_notebook(data)
    path = tmp_path / "ut.ipynb"
    nbformat.write(notebook, str(path))
    page, _ = JamHTMLExporter().from_filename(str(path))
    expected = export_html(path, tmp_path / "batch.html", "Nöjda brukare i Karlstad").read_text(encoding="utf-8")
    strip = lambda text: text.split("<footer>")[0]  # noqa: E731 - the footer carries the time of writing
    assert strip(page) == strip(expected)
    from nbconvert.exporters import get_exporter

    assert get_exporter("jamhtml") is JamHTMLExporter  # the entry point `--to jamhtml` uses


def test_jam_batch_can_switch_the_static_image_off_and_on_again():
    chart = charts.gap_chart(pd.DataFrame({"period": ["2020", "2021"], "value_K": [1.0, 2.0], "value_M": [2.0, 3.0]}),
                             "Nöjda brukare")
    previous = charts.static_images(False)
    try:
        bundle = charts.chart_bundle(chart)
        assert VEGALITE_MIME in bundle and SVG_MIME not in bundle
        assert 'class="jam-chart-static"' not in charts.chart_html(chart) and "<noscript>" in charts.chart_html(chart)
    finally:
        assert charts.static_images(previous) is False
    assert SVG_MIME in charts.chart_bundle(chart)


_FORK_CHECK = """
import os, sys, time
from jamlib.report import charts, html, _vega
import pandas as pd
chart = charts.gap_chart(pd.DataFrame({"period": ["2020", "2021"], "value_K": [1.0, 2.0], "value_M": [2.0, 3.0]}), "x")
assert "image/svg+xml" in charts.chart_bundle(chart)  # the parent starts vl-convert's runtime
pid = os.fork()
if pid == 0:
    bundle = charts.chart_bundle(chart)
    bundle_js = html.vega_bundle()
    print(sorted(bundle), "vegaEmbed" in bundle_js, flush=True)
    os._exit(0)
os.waitpid(pid, 0)
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork finns inte på den här plattformen")
def test_a_process_forked_after_vl_convert_started_shows_the_chart_without_waiting_for_ever():
    # without the chart cache, so that the parent surely starts vl-convert's runtime before the fork
    done = subprocess.run([sys.executable, "-c", _FORK_CHECK], capture_output=True, text=True, timeout=180, cwd=ROOT,
                          env={**os.environ, "JAMLIB_CACHE": ""})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{sorted([VEGALITE_MIME, 'text/plain'])} True"


@pytest.mark.parametrize("method", ["fork", "spawn"] if hasattr(os, "fork") else ["spawn"])
def test_jam_batch_reports_draw_their_charts_from_the_spec_without_a_static_image(tmp_path, method):
    from jamlib.run.batch import Job, run_jobs

    job = Job(ROOT / "notebooks" / "mentorer_deltagare.ipynb", {}, "–", "Mentorer och deltagare", "mentorer")
    result = run_jobs([job], tmp_path, workers=1, method=method)
    assert [e.status for e in result.entries] == ["klar"], [e.message for e in result.entries]
    saved = nbformat.read(str(tmp_path / "notebooks" / "mentorer.ipynb"), as_version=4)
    bundles = [o["data"] for c in saved.cells if c.cell_type == "code" for o in c.get("outputs", [])
               if VEGALITE_MIME in o.get("data", {})]
    assert len(bundles) == 2 and not any(SVG_MIME in b for b in bundles)
    page = (tmp_path / "mentorer.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<figure[^>]*class="jam-chart"', page)) == 2 and "vegaEmbed" in page


# --------------------------------------------------------------------------- the cache of static images


def _two_charts():
    frame = pd.DataFrame({"period": ["2020", "2021"], "value_K": [61.0, 64.0], "value_M": [58.0, 57.0]})
    changed = frame.assign(value_M=[58.0, 59.0])  # one value differs: another picture
    return (charts.gap_chart(frame, "Nöjda brukare").to_dict(), charts.gap_chart(changed, "Nöjda brukare").to_dict())


def _drawn_fresh(spec):
    import vl_convert

    from jamlib.report import _vega

    return vl_convert.vegalite_to_svg(spec, vl_version=_vega.vegalite_version(), allowed_base_urls=[])


def test_a_chart_drawn_once_is_taken_from_the_cache_the_next_time(tmp_path, monkeypatch):
    import vl_convert

    from jamlib.report import _vega

    monkeypatch.setenv("JAMLIB_CACHE", str(tmp_path))
    spec, _ = _two_charts()
    first = _vega.svg(spec)
    assert first == _drawn_fresh(spec)
    assert len(list((tmp_path / "svg").glob("*.svg"))) == 1

    def refuse(*args, **kwargs):
        raise AssertionError("drawn again although cached")

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", refuse)
    assert _vega.svg(spec) == first


def test_a_cached_image_is_never_shown_for_another_chart_and_a_damaged_one_is_drawn_again(tmp_path, monkeypatch):
    import hashlib

    import vl_convert

    from jamlib.report import _vega

    monkeypatch.setenv("JAMLIB_CACHE", str(tmp_path))
    spec, other = _two_charts()
    drawn = _vega.svg(spec)
    (cached,) = (tmp_path / "svg").glob("*.svg")
    # the other chart's cache file holds this chart's picture (as a hash collision would): not used
    key, other_key = (_vega._cache_key(s, _vega.vegalite_version(), vl_convert.__version__) for s in (spec, other))
    other_file = cached.with_name(hashlib.sha256(other_key).hexdigest() + ".svg")
    other_file.write_bytes(cached.read_bytes())
    assert _vega.svg(other) == _drawn_fresh(other) != drawn
    # damaged: one byte of the picture changed, or the file cut short; drawn again and the file rewritten
    for damage in (lambda b: b[:-40] + bytes([b[-40] ^ 1]) + b[-39:], lambda b: b[: len(b) // 2], lambda b: b""):
        cached.write_bytes(damage(cached.read_bytes()))
        assert _vega.svg(spec) == drawn
        assert _vega._read_cached(cached, key) == drawn


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX-ägare och rättigheter")
def test_a_cache_folder_others_may_write_in_is_not_trusted(tmp_path, monkeypatch):
    """A cached picture goes into reports as it is: one in a folder that other users may write in (where someone
    could have planted it) is drawn again, and the folder jamlib makes is this user's alone."""
    import hashlib

    import vl_convert

    from jamlib.report import _vega

    monkeypatch.setenv("JAMLIB_CACHE", str(tmp_path))
    spec, _ = _two_charts()
    drawn = _vega.svg(spec)
    folder = tmp_path / "svg"
    assert folder.stat().st_mode & 0o777 == 0o700
    (cached,) = folder.glob("*.svg")
    planted = cached.read_bytes().replace(b"</svg>", b"<script>alert(1)</script></svg>")
    key = _vega._cache_key(spec, _vega.vegalite_version(), vl_convert.__version__)
    body = planted[len(_vega._MAGIC) + _vega._DIGEST:]  # a planted file with a checksum that fits
    cached.write_bytes(_vega._MAGIC + hashlib.sha256(body).digest() + body)
    assert _vega._read_cached(cached, key) is not None and "<script>" in _vega._read_cached(cached, key)
    os.chmod(folder, 0o777)  # others may write here: the planted file is not used
    assert _vega._read_cached(cached, key) is None
    assert _vega.svg(spec) == drawn and "<script>" not in _vega.svg(spec)
    assert folder.stat().st_mode & 0o777 == 0o700  # tightened again when the picture was kept anew


def test_an_empty_jamlib_cache_switches_the_cache_off(tmp_path, monkeypatch):
    from jamlib.report import _vega

    monkeypatch.setenv("JAMLIB_CACHE", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    spec, _ = _two_charts()
    assert _vega.svg(spec) == _drawn_fresh(spec)
    assert not any(tmp_path.rglob("*.svg"))


def test_the_offline_vega_bundle_is_built_once_and_then_read_from_the_cache(tmp_path, monkeypatch):
    import vl_convert

    from jamlib.report import _vega

    monkeypatch.setenv("JAMLIB_CACHE", str(tmp_path))
    built = _vega.javascript_bundle()
    assert "vegaEmbed" in built and len(list((tmp_path / "vega").glob("*.js"))) == 1

    def refuse(*args, **kwargs):
        raise AssertionError("built again although cached")

    monkeypatch.setattr(vl_convert, "javascript_bundle", refuse)
    assert _vega.javascript_bundle() == built
