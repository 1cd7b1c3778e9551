"""The results chain drawn as a picture: levels as columns, links as arrows, planned dashed, achieved solid.

The picture is an SVG written by the Jinja2 template ``results_chain.html.j2``
with autoescape, so titles and descriptions from data are always text, never
markup. It needs no JavaScript and no network, so it survives export to the
offline HTML report unchanged and prints as it is shown.

Layout: one column per level of the chain (aktivitet ... samhällseffekt), one
box per entry. Within a column the entries are ordered by the mean position of
the entries that lead to them (a barycentre ordering, which keeps most arrows
short and uncrossed). A box is solid for an achieved entry and dashed for a
planned one; an arrow is dashed when either end is planned. A coloured stripe
on the left shows goal attainment (uppnått, delvis, ej uppnått), and an outcome
claimed without evidence says so in red.
"""

from __future__ import annotations

import hashlib
import textwrap

from jamlib.analysis.results_chain import OUTCOME_LEVELS, ResultsChainOverview
from jamlib.report._templates import render
from jamlib.schemas import LEVELS
from jamlib.vocabulary import Attainment, ChainStatus

__all__ = ["results_chain_svg", "show_results_chain", "ATTAINMENT_COLOURS"]

#: Stripe colour per goal attainment (Okabe–Ito: bluish green, orange, vermilion).
ATTAINMENT_COLOURS: dict[str, str] = {Attainment.MET: "#009E73", Attainment.PARTLY: "#E69F00",
                                      Attainment.NOT_MET: "#D55E00"}

_COLUMN = 206
_BOX_W = 172
_TOP = 48
_GAP_Y = 16
_LINE = 15
_WRAP = 25
_MAX_LINES = 4
_LEVEL_HEADINGS = {"aktivitet": "Aktivitet", "ny/ändrad produkt": "Ny/ändrad produkt",
                   "nytt arbetssätt": "Nytt arbetssätt", "nytt/ändrat utfall": "Nytt/ändrat utfall",
                   "samhällseffekt": "Samhällseffekt"}


def _wrap(title: str) -> list[str]:
    lines = textwrap.wrap(title, _WRAP, break_on_hyphens=False) or [""]
    if len(lines) > _MAX_LINES:
        lines = lines[:_MAX_LINES]
        lines[-1] = lines[-1][: _WRAP - 1].rstrip() + "…"
    return lines


def _order(nodes, links) -> dict[str, float]:
    """Position of each node within its column: entry order for activities, then the mean position of predecessors."""
    position: dict[str, float] = {}
    sources: dict[str, list[str]] = {}
    for source, target in zip(links["source"], links["target"]):
        sources.setdefault(target, []).append(source)
    for level in range(len(LEVELS)):
        column = nodes[nodes["level_index"] == level]
        keyed = []
        for rank, node in enumerate(column["node"]):
            before = [position[s] for s in sources.get(node, []) if s in position]
            keyed.append((sum(before) / len(before) if before else float("inf"), rank, node))
        for index, (_, _, node) in enumerate(sorted(keyed)):
            position[node] = float(index)
    return position


def results_chain_svg(overview: ResultsChainOverview) -> str:
    """The chain of one organisation as an SVG figure (escaped HTML), ready to show or to write into a page.

    Parameters
    ----------
    overview
        From :func:`jamlib.analysis.results_chain.results_chain_overview`.

    Returns
    -------
    str
        ``<figure class="jam-chain"><svg ...>...</svg><figcaption>...</figcaption></figure>``.
    """
    nodes, links = overview.nodes, overview.links
    position = _order(nodes, links)
    boxes, place = [], {}
    column_height = [_TOP] * len(LEVELS)
    for level in range(len(LEVELS)):
        column = nodes[nodes["level_index"] == level]
        for _, node in column.sort_values("node", key=lambda s: s.map(position)).iterrows():
            lines = _wrap(node["title"])
            height = 10 + _LINE * len(lines) + 20
            x, y = level * _COLUMN, column_height[level]
            column_height[level] += height + _GAP_Y
            planned = node["status"] == ChainStatus.PLANNED
            unsupported = (not planned) and node["level"] in OUTCOME_LEVELS and not node["evidenced"]
            note = str(node["status"]) + (f" · {node['attainment']}" if node["attainment"] else "")
            if unsupported:
                note = "uppnådd enligt posten, utan belägg"
            tooltip = " ".join(part for part in (
                f"Nr {node['entry_id']}." if node["entry_id"] is not None else "", node["title"] + ".",
                node["description"], f"Status: {note}.",
                f"Indikator: {node['indicator_id']}." if node["indicator_id"] else "") if part)
            boxes.append({"x": x, "y": y, "w": _BOX_W, "h": height, "lines": lines, "planned": planned,
                          "status": str(node["status"]), "fill": "#ffffff" if planned else "#eef4fb",
                          "stroke": "#6b6b6b" if planned else "#1f3b57",
                          "mark": ATTAINMENT_COLOURS.get(node["attainment"], ""), "note": note,
                          "note_colour": "#b00020" if unsupported else "#444", "tooltip": tooltip})
            place[node["node"]] = (x, y, height)
    paths = []
    for source, target, planned in zip(links["source"], links["target"], links["planned"]):
        sx, sy, sh = place[source]
        tx, ty, th = place[target]
        x1, y1, x2, y2 = sx + _BOX_W, sy + sh / 2, tx - 2, ty + th / 2
        bend = max(24.0, (x2 - x1) * 0.45)
        paths.append({"d": f"M{x1:.1f},{y1:.1f} C{x1 + bend:.1f},{y1:.1f} {x2 - bend:.1f},{y2:.1f} {x2:.1f},{y2:.1f}",
                      "planned": bool(planned)})
    counts = overview.levels.set_index("Steg")
    columns = [{"x": i * _COLUMN, "label": _LEVEL_HEADINGS[level],
                "count": f"{counts.loc[level, 'Uppnådda']} uppnådda, {counts.loc[level, 'Planerade']} planerade"}
               for i, level in enumerate(LEVELS)]
    used = [a for a in Attainment if (nodes["attainment"] == a).any()]
    legend = [{"x": 230 + 110 * i, "colour": ATTAINMENT_COLOURS[a], "label": str(a)} for i, a in enumerate(used)]
    height = max(column_height) + 28
    uid = "rk" + hashlib.sha1(f"{overview.label}|{len(nodes)}|{len(links)}".encode("utf-8")).hexdigest()[:10]
    achieved = int(overview.levels["Uppnådda"].sum())
    planned_total = int(overview.levels["Planerade"].sum())
    description = (f"{len(nodes)} poster ({achieved} uppnådda, {planned_total} planerade) i fem steg från aktivitet "
                   f"till samhällseffekt, med {len(links)} länkar.")
    caption = (f"Resultatkedjan för {overview.label}. Heldragna rutor och pilar: uppnått. Streckade: planerat. "
               "Färgad kant: måluppfyllelse. Håll muspekaren över en ruta för hela texten.")
    return render("results_chain", uid=uid, width=len(LEVELS) * _COLUMN - (_COLUMN - _BOX_W), height=height,
                  title=f"Resultatkedjan för {overview.label}", description=description, columns=columns,
                  links=paths, boxes=boxes, legend_marks=legend, caption=caption)


class _Figure:
    def __init__(self, markup: str, text: str):
        self._markup, self._text = markup, text

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self._markup, "text/plain": self._text}


def show_results_chain(overview: ResultsChainOverview) -> None:
    """Display the chain's picture in a notebook (it stays in the exported HTML report)."""
    from IPython.display import display

    display(_Figure(results_chain_svg(overview), f"Resultatkedjan för {overview.label}"))
