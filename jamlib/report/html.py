"""Offline HTML: executed notebooks to self-contained reports, and the batch index.

A report must open on a locked-down intranet PC without internet. nbconvert's
``lab`` template loads require.js, MathJax and mermaid from cdnjs, so reports
are built from the ``basic`` template (body only, code hidden) inside jamlib's
own page with its own CSS. Every chart output (the Vega-Lite form that
:func:`jamlib.report.charts.show_chart` displays) becomes a figure holding its spec and
its static SVG; the Vega libraries (from ``vl-convert-python``'s offline bundle,
the Vega-Lite version Altair writes) are written into each page once, and one
script draws every figure and then removes its static image. No element of a
report refers to another host; :func:`external_references` checks that.
``jupyter nbconvert --to jamhtml`` gives the same page
(:class:`jamlib.report.nbconvert_exporter.JamHTMLExporter`).

Widget outputs (the JupyterLab explorer) are removed before export, so the
HTML shows the static charts and tables, never a broken widget placeholder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from jamlib.errors import JamlibError
from jamlib.files import atomic_write
from jamlib.report._templates import Markup, render
from jamlib.vocabulary import BatchStatus, label

__all__ = ["export_html", "report_page", "write_index", "external_references", "IndexEntry", "vega_bundle",
           "with_contents"]

_WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

_CSS = """
body{font-family:"Segoe UI",Helvetica,Arial,sans-serif;max-width:62rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5}
h1{font-size:1.7rem;border-bottom:3px solid #E69F00;padding-bottom:.3rem}h2{font-size:1.3rem;margin-top:2rem}
table{border-collapse:collapse;margin:.8rem 0;font-size:.92rem}th,td{border:1px solid #ccc;padding:.25rem .55rem;vertical-align:top}
th{background:#f3f3f3;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}
caption{text-align:left;font-weight:600;padding:.3rem 0}.anchor-link{display:none}
pre{white-space:pre-wrap;background:#fafafa;padding:.5rem;border-left:3px solid #ddd}
figure.jam-chart{margin:1rem 0}.jam-chart-error{color:#b00020;font-weight:600}
.status-ok{color:#1b7f3b}.status-fel{color:#b00020;font-weight:600}footer{margin-top:3rem;font-size:.8rem;color:#555}
.output_stderr{display:none}
.jam-scroll{overflow-x:auto;max-width:100%}.jam-scroll>table{margin:.4rem 0}
figure.jam-chart{max-width:100%;overflow-x:auto}figure.jam-chart svg,figure.jam-chart img,.vega-embed{max-width:100%;height:auto}
img,svg{max-width:100%}pre{overflow-x:auto}td,th{overflow-wrap:break-word}
nav.jam-toc{margin:.6rem 0 0;font-size:.95rem}nav.jam-toc a{margin-right:.3rem}
.jam-overview-table th button{all:unset;cursor:pointer;font-weight:600}.jam-overview-table th button::after{content:" ↕";color:#888}
.jam-overview-table th[aria-sort=ascending] button::after{content:" ▲"}.jam-overview-table th[aria-sort=descending] button::after{content:" ▼"}
.jam-overview-table td.ov,.jam-overview-table tbody th{white-space:nowrap}.jam-overview-table thead th{min-width:8rem;font-size:.85rem}.ov-code{color:#555;font-size:.8rem;font-weight:400}
.ov{padding:.15rem .4rem}.ov-K.ov-level-1{background:#FBE3B3}.ov-K.ov-level-2{background:#F3BD55}.ov-K.ov-level-3{background:#C98600;color:#000}
.ov-M.ov-level-1{background:#CFE4F2}.ov-M.ov-level-2{background:#7FB5DA}.ov-M.ov-level-3{background:#0072B2;color:#fff}
.ov-ingen{background:#EEEEEE}.ov-okänd,.ov-saknas{background:#fff;color:#555;font-style:italic}
.ov-legend .ov{display:inline-block;margin:.15rem .2rem;border:1px solid #ccc}
@page{size:A4;margin:15mm 14mm}
@media print{body{max-width:none;margin:0;padding:0;font-size:10.5pt}h1,h2,h3,h4,caption{break-after:avoid;page-break-after:avoid}
h1,h2,h3,h4{break-inside:avoid}tr,figure.jam-chart,img,svg{break-inside:avoid;page-break-inside:avoid}
.jp-OutputArea-child:has(figure.jam-chart),figure.jam-chart{break-after:avoid;page-break-after:avoid}
.jp-Cell:has(h2),.jp-Cell:has(h3){break-after:avoid}thead{display:table-header-group}
.jam-scroll{overflow:visible}nav.jam-toc,.jam-overview-table th button::after{display:none}a{color:inherit;text-decoration:none}}
"""

_RENDER_SCRIPT = """
document.querySelectorAll('figure.jam-chart').forEach(function (fig) {
  var holder = document.createElement('div');
  var still = fig.querySelector('img.jam-chart-static');
  fig.appendChild(holder);
  function failed(err) {
    holder.remove();
    if (still) { return; }  // the static image stays; the reader sees the chart
    var p = document.createElement('p'); p.className = 'jam-chart-error';
    p.textContent = 'Diagrammet kunde inte visas: ' + err; fig.appendChild(p);
  }
  try {
    var spec = JSON.parse(fig.querySelector('script.jam-chart-spec').textContent);
    vegaEmbed(holder, spec, {actions: false, renderer: 'svg'}).then(function () {
      if (still) { still.remove(); }
    }).catch(failed);
  } catch (err) {
    failed(err);
  }
});
"""


@lru_cache(maxsize=1)
def vega_bundle() -> str:
    """The Vega, Vega-Lite and vega-embed libraries as one offline script (from vl-convert-python).

    Vega-Lite is the version Altair writes, so every chart is drawn as it was specified.
    """
    from jamlib.report import _vega

    return _vega.javascript_bundle().replace("</script", "<\\/script")


#: No network, no forms, no base URL: a report can only show itself. (Framing cannot be forbidden from a
#: <meta> element; browsers ignore frame-ancestors there.)
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; "
                           "img-src data:; font-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'")


def _page(title: str, body: str, scripts: bool, extra_script: str = "") -> str:
    """A whole page around ``body`` (markup jamlib made: nbconvert's output or a rendered template)."""
    return render("page", title=title, body=Markup(body), css=Markup(_CSS), csp=CONTENT_SECURITY_POLICY,
                  stamp=datetime.now().strftime("%Y-%m-%d %H:%M"), scripts=scripts,
                  vega=Markup(vega_bundle()) if scripts else "", render_script=Markup(_RENDER_SCRIPT),
                  extra_script=Markup(extra_script)) + "\n"


_H2 = re.compile(r"<h2(?P<attrs>[^>]*)>(?P<inner>.*?)</h2>", re.S)


def with_contents(body: str, minimum: int = 4) -> str:
    """``body`` with a table of contents before its first ``<h2>`` when it has at least ``minimum`` of them.

    Headings without an ``id`` get one (``avsnitt-1`` ...); the contents list is rendered from the
    headings' text by the template (escaped).
    """
    import html as html_module

    found = list(_H2.finditer(body))
    if len(found) < minimum:
        return body
    sections, pieces, last = [], [], 0
    for number, match in enumerate(found, start=1):
        attrs = match.group("attrs")
        ident = re.search(r'\bid="([^"]+)"', attrs)
        anchor = html_module.unescape(ident.group(1)) if ident else f"avsnitt-{number}"
        text = html_module.unescape(re.sub(r"<[^>]+>", "", re.sub(r'<a class="anchor-link".*?</a>', "",
                                                                   match.group("inner"), flags=re.S))).strip()
        sections.append({"anchor": anchor, "text": text})
        pieces.append(body[last:match.start()])
        pieces.append(match.group(0) if ident else f'<h2 id="avsnitt-{number}"{attrs}>{match.group("inner")}</h2>')
        last = match.end()
    pieces.append(body[last:])
    pieces.insert(1, render("toc", sections=sections))  # pieces[0] is everything before the first <h2>
    return "".join(pieces)


_VEGALITE_MIMES = ("application/vnd.vegalite.v5+json", "application/vnd.vegalite.v4+json")


def _for_page(notebook):
    """A copy of ``notebook`` as the page shows it: no widgets, every chart a figure for the page's Vega."""
    import copy

    from jamlib.report.charts import SVG_MIME, spec_html

    notebook = copy.deepcopy(notebook)
    for cell in notebook.cells:
        if cell.get("cell_type") != "code":
            continue
        outputs = []
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if _WIDGET_MIME in data:
                continue
            spec = next((data[m] for m in _VEGALITE_MIMES if m in data), None)
            if spec is not None:
                svg = data.get(SVG_MIME)
                svg = "".join(svg) if isinstance(svg, list) else svg
                output["data"] = {"text/html": spec_html(spec, svg)}
            outputs.append(output)
        cell.outputs = outputs
    return notebook


def report_page(notebook, title: str) -> str:
    """The offline page of an executed notebook (code hidden, charts drawn by the page's own Vega).

    Parameters
    ----------
    notebook
        An executed notebook (``nbformat.NotebookNode``); it is not changed.
    title
        The page title (escaped).

    Raises
    ------
    JamlibError
        When the page would load anything from another host.
    """
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(_for_page(notebook))
    body = with_contents(body)
    page = _page(title, body, scripts="jam-chart" in body)
    found = external_references(page)
    if found:
        raise JamlibError(f"Rapporten {title} skulle hämta innehåll från internet: {', '.join(found[:3])}")
    return page


def export_html(notebook_path: str | Path, html_path: str | Path, title: str) -> Path:
    """Export an executed notebook to a self-contained HTML report with code hidden.

    Parameters
    ----------
    notebook_path
        The executed notebook.
    html_path
        Where the report is written (atomically).
    title
        The page title (escaped).

    Returns
    -------
    pathlib.Path
        ``html_path``.
    """
    import nbformat

    page = report_page(nbformat.read(str(notebook_path), as_version=4), title)
    html_path = Path(html_path)
    with atomic_write(html_path, "w") as handle:
        handle.write(page)
    return html_path


_EXTERNAL = re.compile(r"""<(?:script|link|img|iframe|source|audio|video)\b[^>]*\b(?:src|href)\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]+)""",
                       re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*["']?((?:https?:)?//[^)"']+)""", re.IGNORECASE)


def external_references(page: str) -> list[str]:
    """Addresses on other hosts that a page would load (scripts, styles, images, frames, CSS ``url()``).

    Plain links (``<a href>``) are not loads and are not listed.
    """
    return [m.group(1) for m in _EXTERNAL.finditer(page)] + [m.group(1) for m in _CSS_URL.finditer(page)]


@dataclass(frozen=True)
class IndexEntry:
    """One report in a batch index."""

    code: str
    name: str
    status: BatchStatus
    report: str | None  # file name relative to the index
    log: str | None
    message: str = ""
    seconds: float = 0.0

    @property
    def done(self) -> bool:
        """Whether the report was written."""
        return self.status == BatchStatus.DONE

    @property
    def status_label(self) -> str:
        """The status in the reader's words."""
        return label(BatchStatus(self.status))


def write_index(folder: str | Path, title: str, entries: list[IndexEntry], overview: str | None = None,
                workbook: str | None = None) -> Path:
    """Write ``index.html`` linking every report with its status (names escaped by the template).

    Parameters
    ----------
    folder, title, entries
        The batch folder, the page title and one entry per report.
    overview
        The overview matrix (:func:`jamlib.report.overview.overview_html`), shown above the status list
        and sortable by a small inline script.
    workbook
        The batch workbook's file name, linked from the page.

    Returns
    -------
    pathlib.Path
        The index file.
    """
    from jamlib.formatting import swedish_sort_key

    folder = Path(folder)
    ordered = sorted(entries, key=lambda e: (e.done, swedish_sort_key(e.name), e.code))
    body = render("index", title=title, entries=ordered, done=sum(e.done for e in entries),
                  overview=Markup(overview) if overview else "", workbook=workbook)
    path = folder / "index.html"
    folder.mkdir(parents=True, exist_ok=True)
    script = ""
    if overview:
        from jamlib.report.overview import SORT_SCRIPT

        script = SORT_SCRIPT
    with atomic_write(path, "w") as handle:
        handle.write(_page(title, body, scripts=False, extra_script=script))
    return path
