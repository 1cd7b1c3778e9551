"""``jupyter nbconvert --to jamhtml``: the same offline page as ``jam batch`` from any executed notebook.

Registered as the nbconvert exporter ``jamhtml`` (``pyproject.toml``, entry point
``nbconvert.exporters``), so it also appears in JupyterLab's *File → Save and
Export Notebook As* menu (as "Jamhtml"). Code is hidden, widgets are left out, every chart is
drawn by the page's own copy of Vega, and the page loads nothing from the
network (:func:`jamlib.report.html.report_page`).
"""

from __future__ import annotations

from nbconvert.exporters import Exporter
from traitlets import default

from jamlib.report.html import report_page

__all__ = ["JamHTMLExporter"]


def _title(notebook, fallback: str) -> str:
    """The first Markdown heading of the notebook, else ``fallback``."""
    for cell in notebook.cells:
        if cell.get("cell_type") == "markdown":
            for line in str(cell.get("source", "")).splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip() or fallback
    return fallback


class JamHTMLExporter(Exporter):
    """An executed notebook as jamlib's offline HTML report (code hidden, no network)."""

    export_from_notebook = "Offline-rapport (jamlib HTML)"
    output_mimetype = "text/html"

    @default("file_extension")
    def _file_extension_default(self):
        return ".html"

    def from_notebook_node(self, nb, resources=None, **kw):
        """Convert a notebook node to the page's text (the notebook is not changed)."""
        notebook, resources = super().from_notebook_node(nb, resources, **kw)
        name = (resources.get("metadata") or {}).get("name") or "Rapport"
        return report_page(notebook, _title(notebook, name)), resources
