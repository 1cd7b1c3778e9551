"""Charts and tables for reports: Vega-Lite, Swedish labels and numbers, one colour per sex.

The indicator report's two charts (:func:`gap_spec`, :func:`rank_spec`) are written
as Vega-Lite specifications directly, exactly as Altair would write them but
without importing it (a third of a second) or building its objects (a report
shows ten charts); :func:`gap_chart` and :func:`rank_chart` give the same charts
as Altair objects for analysts who change them further. The checklist charts use Altair.

Colours are from the Okabe–Ito palette, which readers with the common forms of
colour blindness can tell apart: women orange, men blue, total grey — the same
in every report. Numbers use a decimal comma and a thin space between
thousands (Vega's ``locale``).

:func:`show_chart` displays a chart as a display bundle with two forms of it:
the Vega-Lite specification (``application/vnd.vegalite.v5+json``, drawn
interactively by JupyterLab's built-in renderer, no network) and a static
``image/svg+xml`` drawn by vl-convert, which VS Code, GitHub's notebook viewer
and plain ``jupyter nbconvert --to html`` show without any script.
:func:`jamlib.report.html.export_html` turns each chart into a figure that the
page's own copy of Vega draws, with the static image as fallback.
Chart data never contain suppressed cells: callers pass data through
:func:`jamlib.analysis.disclosure.shown_only` first, and :func:`gap_spec` and
:func:`rank_spec` refuse data that still carry suppressed rows.
"""

from __future__ import annotations

import hashlib
import json
import math
from typing import TYPE_CHECKING

import pandas as pd

from jamlib.errors import DisclosureError

if TYPE_CHECKING:
    import altair as alt

__all__ = ["SEX_COLOURS", "SEX_LABELS", "VEGALITE_MIME", "SVG_MIME", "gap_chart", "gap_spec", "rank_chart",
           "rank_spec", "trajectory_chart", "role_chart",
           "chart_bundle", "spec_bundle", "with_swedish_defaults", "show_chart", "show_spec", "static_images",
           "table_html", "chart_html", "spec_html", "VEGALITE_SCHEMA"]

#: The interactive form of a chart in a display bundle (JupyterLab 4 draws it with its built-in Vega).
VEGALITE_MIME = "application/vnd.vegalite.v5+json"
#: The static form of a chart in a display bundle.
SVG_MIME = "image/svg+xml"

#: One colour per sex in every report (Okabe–Ito: orange, blue, grey).
SEX_COLOURS: dict[str, str] = {"K": "#E69F00", "M": "#0072B2", "T": "#7F7F7F"}
#: The rest of the Okabe–Ito palette, for categories beyond K, M and T.
_MORE_COLOURS = ["#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
SEX_LABELS: dict[str, str] = {"K": "Kvinnor", "M": "Män", "T": "Totalt"}

_LOCALE = {
    "number": {"decimal": ",", "thousands": "\u2009", "grouping": [3], "currency": ["", "\u00a0kr"]},
    "time": {
        "dateTime": "%A %e %B %Y %X", "date": "%Y-%m-%d", "time": "%H:%M:%S",
        "periods": ["fm", "em"],
        "days": ["söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"],
        "shortDays": ["sön", "mån", "tis", "ons", "tor", "fre", "lör"],
        "months": ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
                   "oktober", "november", "december"],
        "shortMonths": ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
    },
}


#: The Vega-Lite schema jamlib's own specs declare: the version Altair 5.5 writes, which JupyterLab 4 and
#: vl-convert draw (``tests/test_chart_specs.py`` checks the specs against that schema, this URL against Altair's).
VEGALITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.20.1.json"
_FONT = "Segoe UI, Helvetica, Arial, sans-serif"


def _config() -> dict:
    """jamlib's look: Swedish numbers and dates, one font, 12-point axes and legends (as Altair writes it)."""
    return {"view": {"continuousWidth": 300, "continuousHeight": 300},
            "axis": {"labelFontSize": 12, "titleFontSize": 12}, "font": _FONT,
            "legend": {"labelFontSize": 12, "titleFontSize": 12}, "locale": _LOCALE}


def _configure(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """An Altair chart with jamlib's look (:func:`_config`; Altair adds the view's default size itself)."""
    # one configure call: each call deep-copies the chart with its inline data
    return chart.configure(**{key: value for key, value in _config().items() if key != "view"})


def _records(frame: pd.DataFrame) -> list[dict]:
    """A frame's rows as Vega-Lite inline values, as Altair's default data transformer writes them.

    Missing values and infinite numbers become ``null`` (the spec stays strict JSON); NumPy and pandas scalars
    become Python numbers and texts.
    """
    import numpy as np

    columns = []
    for name in frame.columns:
        dtype, values = frame[name].dtype, frame[name].tolist()
        if isinstance(dtype, np.dtype) and dtype.kind == "f":
            values = [v if math.isfinite(v) else None for v in values]
        elif not (isinstance(dtype, np.dtype) and dtype.kind in "iub"):  # texts, categories, nullable numbers
            values = [_plain(v) for v in values]
        columns.append(values)
    names = [str(n) for n in frame.columns]
    return [dict(zip(names, row)) for row in zip(*columns)]


def _plain(value: object) -> object:
    """One cell of an object or extension column as JSON: ``None`` for missing, Python numbers for NumPy's."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _named(values: list[dict], datasets: dict[str, list[dict]]) -> dict:
    """A ``data`` reference to inline values kept once in ``datasets`` under the name Altair gives them."""
    text = json.dumps(values, sort_keys=True, default=str)
    name = "data-" + hashlib.sha256(text.encode()).hexdigest()[:32]
    datasets.setdefault(name, values)
    return {"name": name}


def _field(name: str, kind: str, **properties: object) -> dict:
    """An encoding channel: ``field`` and ``type`` with its properties, keys in Altair's (sorted) order."""
    return dict(sorted({"field": name, "type": kind, **properties}.items()))


def _tooltip(name: str, kind: str, title: str | None = None, number_format: str | None = None) -> dict:
    properties = {"format": number_format, "title": title}
    return _field(name, kind, **{k: v for k, v in properties.items() if v is not None})


def _mark(kind: str, **properties: object) -> dict:
    return {"type": kind, **dict(sorted(properties.items()))}


def _title(text: str, subtitle: object) -> dict:
    return {"text": text, "anchor": "start", "subtitle": subtitle}


def _top_level(body: dict, title: dict, width: int, height: int, datasets: dict) -> dict:
    return {"config": _config(), **body, "height": height, "title": title, "width": width,
            "$schema": VEGALITE_SCHEMA, "datasets": datasets}


def _as_chart(spec: dict) -> alt.TopLevelMixin:
    """An Altair chart of one of jamlib's specs (for callers who change it further with Altair)."""
    import altair as alt

    kind = alt.LayerChart if "layer" in spec else alt.Chart
    return kind.from_dict(spec, validate=False)


def _sex_colour(sexes: list[str]) -> dict:
    # the legend shows each sex as a solid line at full strength, whatever the band's opacity
    return _field("Kön", "nominal",
                  legend={"orient": "top", "symbolOpacity": 1, "symbolSize": 400, "symbolStrokeWidth": 3,
                          "symbolType": "stroke", "title": None},
                  scale={"domain": [SEX_LABELS[s] for s in sexes], "range": [SEX_COLOURS[s] for s in sexes]})


def _refuse_hidden(frame: pd.DataFrame | None) -> None:
    if frame is not None and "suppressed" in frame.columns and frame["suppressed"].astype(bool).any():
        raise DisclosureError("Diagrammets data innehåller dolda värden (suppressed): de får aldrig visas. "
                              "Kör suppress_small_counts och shown_only först.")


def gap_spec(gaps: pd.DataFrame, title: str, unit: str | None = None, reference: pd.DataFrame | None = None,
             reference_label: str | None = None, members: pd.DataFrame | None = None,
             org_label: str | None = None) -> dict:
    """Women's and men's values over the periods for one indicator, beside the reference's mean and range.

    The Vega-Lite specification, written directly (what Altair would write, without its cost: a report shows
    ten charts). :func:`gap_chart` gives the same chart as an Altair object.

    Parameters
    ----------
    gaps
        :func:`jamlib.analysis.gaps.indicator_gaps` rows of one organisation and indicator.
    title
        Chart title (Swedish).
    unit
        Axis title, e.g. ``"dagar"``.
    reference, reference_label
        The reference's mean values per period and sex (``period``, ``sex``,
        ``value``) drawn dashed; the legend names the reference.
    members
        ``indicator_gaps`` rows of the reference's members (values already screened by
        disclosure control): their range per period and sex, lowest to highest, is drawn as a
        shaded band when there are at least two members.
    org_label
        The organisation's name in the legend (default "Organisationen").

    Returns
    -------
    dict
        A Vega-Lite 5 specification with its data inline.

    Raises
    ------
    DisclosureError
        When any of the data still carry suppressed rows.
    """
    _refuse_hidden(gaps)
    _refuse_hidden(members)
    own_label = org_label or "Organisationen"
    long = gaps.melt(id_vars=["period"], value_vars=["value_K", "value_M"], var_name="sex", value_name="value")
    long = long.dropna(subset=["value"])
    long["Kön"] = long["sex"].map({"value_K": "Kvinnor", "value_M": "Män"})
    long["År"] = long["period"].astype(str)
    long["Serie"] = own_label
    y_title = unit or "värde"
    has_reference = reference is not None and not reference.empty
    group = members is not None and not members.empty and members["org_code"].nunique() > 1
    # a group's line is its members' mean; a single reference (Riket) is its own value
    mean_label = (f"Medel, {reference_label}" if group else reference_label) if reference_label \
        else "Jämförelsegruppens medel"
    series = [own_label, mean_label] if has_reference else [own_label]
    dash_legend = {"labelLimit": 420, "orient": "top", "symbolSize": 400, "symbolStrokeWidth": 2,
                   "symbolType": "stroke", "title": None} if has_reference else None
    dash = _field("Serie", "nominal", **({"legend": dash_legend} if has_reference else {"legend": None}),
                  scale={"domain": series, "range": [[1, 0], [5, 4]][:len(series)]})
    colour = _sex_colour(["K", "M"])
    year = _field("År", "ordinal")
    datasets: dict[str, list[dict]] = {}
    layers = []
    subtitle = []
    band = _member_band(members)
    if band is not None:
        layers.append({"data": _named(_records(band), datasets), "mark": _mark("area", opacity=0.16), "encoding": {
            "color": colour,
            "tooltip": [_tooltip("Kön", "nominal"), _tooltip("År", "ordinal"),
                        _tooltip("low", "quantitative", "lägsta i gruppen", ",.1f"),
                        _tooltip("high", "quantitative", "högsta i gruppen", ",.1f"),
                        _tooltip("members", "quantitative", "medlemmar med värden")],
            "x": year, "y": _field("low", "quantitative"), "y2": {"field": "high"}}})
        subtitle.append("Skuggat: lägsta–högsta bland medlemmarna")
    value = _field("value", "quantitative")
    if has_reference:
        ref = reference.dropna(subset=["value"]).copy()
        ref["Kön"] = ref["sex"].map(SEX_LABELS)
        ref["År"] = ref["period"].astype(str)
        ref["Serie"] = mean_label
        ref_data = _named(_records(ref), datasets)
        # The legend of line styles is drawn from the first layer with a line style: an invisible grey copy of
        # the mean, so that its symbols are grey lines (the visible lines are coloured by sex).
        layers.append({"data": ref_data, "mark": _mark("line", color="#444", strokeWidth=0),
                       "encoding": {"strokeDash": dash, "x": year, "y": value}})
    layers.append({"data": _named(_records(long), datasets), "mark": _mark("line", point=True, strokeWidth=2.5),
                   "encoding": {
                       "color": colour, "strokeDash": dash,
                       "tooltip": [_tooltip("Kön", "nominal"), _tooltip("År", "ordinal"),
                                   _tooltip("value", "quantitative", y_title, ",.1f")],
                       "x": _field("År", "ordinal", axis={"labelAngle": 0}, title="År"),
                       "y": _field("value", "quantitative", scale={"zero": False}, title=y_title)}})
    if has_reference:
        layers.append({"data": ref_data, "mark": _mark("line", strokeWidth=1.5, opacity=0.85), "encoding": {
            "color": colour, "strokeDash": dash,
            "tooltip": [_tooltip("Kön", "nominal"), _tooltip("År", "ordinal"),
                        _tooltip("value", "quantitative", f"{reference_label or 'jämförelse'}", ",.1f")],
            "x": year, "y": value}})
        subtitle.insert(0, f"Streckat: {mean_label}")
    body: dict = {"layer": layers}
    if all(layer["data"] is layers[0]["data"] for layer in layers):  # one data for all: given once (as Altair does)
        body = {"layer": [{k: v for k, v in layer.items() if k != "data"} for layer in layers],
                "data": layers[0]["data"]}
    return _top_level(body, _title(title, subtitle or ""), 520, 240, datasets)


def gap_chart(gaps: pd.DataFrame, title: str, unit: str | None = None, reference: pd.DataFrame | None = None,
              reference_label: str | None = None, members: pd.DataFrame | None = None,
              org_label: str | None = None) -> alt.TopLevelMixin:
    """:func:`gap_spec` as an Altair chart (the same parameters; ``to_dict()`` gives the same specification).

    Raises
    ------
    DisclosureError
        When any of the data still carry suppressed rows.
    """
    return _as_chart(gap_spec(gaps, title, unit=unit, reference=reference, reference_label=reference_label,
                              members=members, org_label=org_label))


def _member_band(members: pd.DataFrame | None) -> pd.DataFrame | None:
    """Lowest and highest member value per period and sex, where at least two members have values."""
    if members is None or members.empty:
        return None
    long = members.melt(id_vars=["period", "org_code"], value_vars=["value_K", "value_M"], var_name="sex",
                        value_name="value").dropna(subset=["value"])
    if long.empty or long["org_code"].nunique() < 2:
        return None
    band = long.groupby(["period", "sex"]).agg(low=("value", "min"), high=("value", "max"),
                                               members=("value", "count")).reset_index()
    band = band[band["members"] >= 2]
    if band.empty:
        return None
    band["Kön"] = band["sex"].map({"value_K": "Kvinnor", "value_M": "Män"})
    band["År"] = band["period"].astype(str)
    return band


def rank_spec(sizes: pd.DataFrame, title: str, unit: str | None = None, subtitle: str | None = None) -> dict:
    """The size of the gap between women and men in one period, one bar per organisation, smallest at the top.

    The Vega-Lite specification, written directly; :func:`rank_chart` gives it as an Altair object.

    Parameters
    ----------
    sizes
        ``name``, ``size`` (``|K − M|``, from values already screened by disclosure control) and
        ``highlight`` (the organisation the report is about).
    title, unit, subtitle
        Chart title, the difference's unit for the axis, and e.g. the rank in words.

    Raises
    ------
    DisclosureError
        When the data still carry suppressed rows.
    """
    _refuse_hidden(sizes)
    data = sizes.dropna(subset=["size"]).copy()
    data["Roll"] = ["Den här rapporten" if h else "Jämförelsegruppen" for h in data["highlight"]]
    order = [_plain(name) for name in data.sort_values(["size", "name"])["name"]]
    x_title = f"Skillnad mellan kvinnor och män ({unit})" if unit else "Skillnad mellan kvinnor och män"
    datasets: dict[str, list[dict]] = {}
    body = {"data": _named(_records(data), datasets), "mark": _mark("bar"), "encoding": {
        "color": _field("Roll", "nominal", legend={"orient": "top", "title": None},
                        scale={"domain": ["Den här rapporten", "Jämförelsegruppen"],
                               "range": ["#D55E00", "#BBBBBB"]}),
        "tooltip": [_tooltip("name", "nominal", "Organisation"), _tooltip("size", "quantitative", x_title, ",.1f")],
        "x": _field("size", "quantitative", title=x_title),
        "y": _field("name", "nominal", axis={"labelLimit": 200}, sort=order, title=None)}}
    return _top_level(body, _title(title, subtitle or ""), 520, max(80, 18 * len(data)), datasets)


def rank_chart(sizes: pd.DataFrame, title: str, unit: str | None = None,
               subtitle: str | None = None) -> alt.TopLevelMixin:
    """:func:`rank_spec` as an Altair chart (the same parameters and specification).

    Raises
    ------
    DisclosureError
        When the data still carry suppressed rows.
    """
    return _as_chart(rank_spec(sizes, title, unit=unit, subtitle=subtitle))


def trajectory_chart(trajectories: pd.DataFrame, title: str) -> alt.TopLevelMixin:
    """Each organisation's checklist total per occasion (10–40), one line per organisation.

    Parameters
    ----------
    trajectories
        :func:`jamlib.analysis.checklist.organisation_trajectories`.
    title
        Chart title.
    """
    import altair as alt

    from jamlib.schemas import OCCASION_DISPLAY, OCCASIONS

    data = trajectories.dropna(subset=["total"]).copy()
    data["Tillfälle"] = data["occasion"].map(OCCASION_DISPLAY)
    data["Organisation"] = data["org_name"]
    data["Roll"] = data["role"]
    order = [OCCASION_DISPLAY[o] for o in OCCASIONS]
    chart = alt.Chart(data).mark_line(point=True).encode(
        x=alt.X("Tillfälle:O", sort=order, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("total:Q", title="Summa av tio moment (10–40)", scale=alt.Scale(domain=[10, 40])),
        color=alt.Color("Organisation:N", legend=alt.Legend(orient="right")),
        strokeDash=alt.StrokeDash("Roll:N", legend=alt.Legend(title="Roll")),
        tooltip=["Organisation:N", "Roll:N", "Tillfälle:O", alt.Tooltip("total:Q", format=",.1f", title="Summa")],
    )
    return _configure(chart.properties(title=alt.TitleParams(title, anchor="start"), width=460, height=260))


def role_chart(comparison: pd.DataFrame, title: str) -> alt.TopLevelMixin:
    """Mentors' and participants' mean totals per occasion.

    Parameters
    ----------
    comparison
        :func:`jamlib.analysis.role_comparison.compare_roles`.
    title
        Chart title.
    """
    import altair as alt

    from jamlib.schemas import OCCASION_DISPLAY, OCCASIONS

    levels = comparison[comparison["comparison"] == "nivå"]
    data = levels.melt(id_vars=["occasion"], value_vars=["mean_mentor", "mean_participant"], var_name="roll",
                       value_name="medel")
    data["Roll"] = data["roll"].map({"mean_mentor": "Mentorer", "mean_participant": "Deltagare"})
    data["Tillfälle"] = data["occasion"].map(OCCASION_DISPLAY)
    order = [OCCASION_DISPLAY[o] for o in OCCASIONS]
    chart = alt.Chart(data).mark_line(point=True, strokeWidth=2.5).encode(
        x=alt.X("Tillfälle:O", sort=order, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("medel:Q", title="Medelvärde, summa av tio moment", scale=alt.Scale(domain=[10, 40])),
        color=alt.Color("Roll:N", scale=alt.Scale(domain=["Mentorer", "Deltagare"], range=["#009E73", "#CC79A7"]),
                        legend=alt.Legend(title=None, orient="top")),
        tooltip=["Roll:N", "Tillfälle:O", alt.Tooltip("medel:Q", format=",.1f")],
    )
    return _configure(chart.properties(title=alt.TitleParams(title, anchor="start"), width=460, height=240))


def chart_html(chart: alt.TopLevelMixin) -> str:
    """The HTML figure of a chart for jamlib's offline pages (see :func:`spec_html`), with its static image."""
    bundle = chart_bundle(chart)
    return spec_html(bundle[VEGALITE_MIME], bundle.get(SVG_MIME))


def spec_html(spec: dict, svg: str | None = None) -> str:
    """The HTML figure of a Vega-Lite spec: the spec in a JSON script element, and the static SVG if given.

    The page's render script draws the spec with Vega and then removes the
    static image; without scripts the static image stays. ``<`` and ``&`` in the
    JSON are written as ``\\u003c`` and ``\\u0026`` so that no text from data can
    close the script element; the SVG is embedded as a ``data:`` image (an image
    cannot run scripts); the template escapes the rest.
    """
    import base64

    from jamlib.report._templates import Markup, render

    text = json.dumps(spec, ensure_ascii=False).replace("<", "\\u003c").replace("&", "\\u0026")
    image = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii") if svg else None
    return render("chart", spec=Markup(text), description=_title_text(spec), image=image)


def _title_text(spec: dict) -> str:
    title = spec.get("title", "")
    if isinstance(title, dict):
        title = title.get("text", "")
    if isinstance(title, list):
        return " ".join(str(t) for t in title)
    return str(title)


def chart_bundle(chart: alt.TopLevelMixin, validate: bool = True) -> dict:
    """The display bundle of a chart: Vega-Lite spec, static SVG and a line of text.

    The SVG is left out where :func:`static_images` switched it off (``jam
    batch``'s report processes, whose pages draw the spec with Vega) and in a
    process forked from one that already used vl-convert, where it cannot be drawn.

    Parameters
    ----------
    chart
        An Altair chart.
    validate
        Check the spec against the Vega-Lite schema (Altair's ``to_dict(validate=True)``). jamlib's
        own chart functions pass ``False``: their specs are checked against the schema in the tests,
        and the check costs about a twentieth of a second per chart.

    Returns
    -------
    dict
        ``{VEGALITE_MIME: spec, SVG_MIME: svg, "text/plain": "Diagram: <titel>"}``.
    """
    return spec_bundle(chart.to_dict(validate=validate))


def spec_bundle(spec: dict, static: bool = True) -> dict:
    """The display bundle of a Vega-Lite specification (see :func:`chart_bundle`).

    ``static=False`` leaves out the static SVG (the explorer widget: it lives only in a running
    JupyterLab, which draws the spec, and is removed from exported reports).
    """
    from jamlib.report import _vega

    bundle = {VEGALITE_MIME: spec, "text/plain": f"Diagram: {_title_text(spec)}"}
    svg = _vega.svg(spec) if static else None
    if svg is not None:
        bundle[SVG_MIME] = svg
    return bundle


def with_swedish_defaults(spec: dict) -> dict:
    """A copy of a Vega-Lite specification with jamlib's look where the chart does not set its own.

    Decimal comma and Swedish month names (``config.locale``), and categories
    coloured in jamlib's order, so that ``K``, ``M`` and ``T`` (sorted
    alphabetically) are orange, blue and grey as in the reports. Used for charts
    that people draw themselves with Altair (the course notebooks).
    """
    config = dict(spec.get("config", {}))
    config.setdefault("locale", _LOCALE)
    ranges = dict(config.get("range", {}))
    ranges.setdefault("category", [SEX_COLOURS["K"], SEX_COLOURS["M"], SEX_COLOURS["T"], *_MORE_COLOURS])
    config["range"] = ranges
    return {**spec, "config": config}


def static_images(enabled: bool) -> bool:
    """Switch the static SVG of every chart shown from now on in this process on or off.

    ``jam batch`` switches it off in its report processes: their HTML pages draw
    each chart with their own Vega, and the SVG would only cost time.

    Returns
    -------
    bool
        The previous setting.
    """
    from jamlib.report import _vega

    return _vega.set_static_images(enabled)


class _Displayable:
    def __init__(self, bundle: dict):
        self._bundle = bundle

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self._bundle


def show_chart(chart: alt.TopLevelMixin, validate: bool = True) -> None:
    """Display a chart in a notebook: interactive in JupyterLab, a static image everywhere else.

    ``validate=False`` leaves out the schema check (see :func:`chart_bundle`); only for jamlib's own charts.
    """
    show_spec(chart.to_dict(validate=validate))


def show_spec(spec: dict, static: bool = True) -> None:
    """Display a Vega-Lite specification as :func:`show_chart` displays a chart (no schema check).

    ``static=False``: without the static SVG (see :func:`spec_bundle`).
    """
    from IPython.display import display

    display(_Displayable(spec_bundle(spec, static=static)))


def table_html(frame: pd.DataFrame, caption: str | None = None) -> str:
    """An HTML table with Swedish number formatting already applied by the caller.

    Every cell and header is escaped by the template; nothing from data can become markup.
    """
    from jamlib.report._templates import render

    rows = [[("num" if isinstance(v, (int, float)) or _looks_numeric(v) else "txt",
              "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)) for v in row]
            for row in frame.itertuples(index=False, name=None)]
    return render("table", columns=[str(c) for c in frame.columns], rows=rows, caption=caption)


def _looks_numeric(value: object) -> bool:
    text = str(value).replace("\u2212", "-").replace("\u202f", "").replace("\u2009", "").replace(",", ".")
    try:
        float(text)
    except ValueError:
        return False
    return True
