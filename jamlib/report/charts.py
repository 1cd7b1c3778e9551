"""Charts and tables for reports: Altair, Swedish labels and numbers, one colour per sex.

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
:func:`jamlib.analysis.disclosure.shown_only` first, and :func:`gap_chart` refuses data
that still carry suppressed rows.
"""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

from jamlib.errors import DisclosureError

__all__ = ["SEX_COLOURS", "SEX_LABELS", "VEGALITE_MIME", "SVG_MIME", "gap_chart", "rank_chart", "trajectory_chart",
           "role_chart",
           "chart_bundle", "spec_bundle", "with_swedish_defaults", "show_chart", "static_images", "table_html",
           "chart_html", "spec_html"]

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


def _configure(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    # one configure call: each call deep-copies the chart with its inline data
    return chart.configure(locale=_LOCALE, font="Segoe UI, Helvetica, Arial, sans-serif",
                           axis=alt.AxisConfig(labelFontSize=12, titleFontSize=12),
                           legend=alt.LegendConfig(labelFontSize=12, titleFontSize=12))


def _sex_scale(sexes: list[str]) -> alt.Scale:
    labels = [SEX_LABELS[s] for s in sexes]
    return alt.Scale(domain=labels, range=[SEX_COLOURS[s] for s in sexes])


def _refuse_hidden(frame: pd.DataFrame | None) -> None:
    if frame is not None and "suppressed" in frame.columns and frame["suppressed"].astype(bool).any():
        raise DisclosureError("Diagrammets data innehåller dolda värden (suppressed): de får aldrig visas. "
                              "Kör suppress_small_counts och shown_only först.")


def gap_chart(gaps: pd.DataFrame, title: str, unit: str | None = None, reference: pd.DataFrame | None = None,
              reference_label: str | None = None, members: pd.DataFrame | None = None,
              org_label: str | None = None) -> alt.TopLevelMixin:
    """Women's and men's values over the periods for one indicator, beside the reference's mean and range.

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
    altair.Chart

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
    dash = alt.StrokeDash("Serie:N", scale=alt.Scale(domain=series, range=[[1, 0], [5, 4]][:len(series)]),
                          legend=alt.Legend(title=None, orient="top", symbolType="stroke", symbolStrokeWidth=2,
                                            symbolSize=400, labelLimit=420)
                          if has_reference else None)
    # the legend shows each sex as a solid line at full strength, whatever the band's opacity
    colour = alt.Color("Kön:N", scale=_sex_scale(["K", "M"]),
                       legend=alt.Legend(title=None, orient="top", symbolType="stroke", symbolStrokeWidth=3,
                                         symbolSize=400, symbolOpacity=1))
    layers = []
    subtitle = []
    band = _member_band(members)
    if band is not None:
        layers.append(alt.Chart(band).mark_area(opacity=0.16).encode(
            x=alt.X("År:O"), y=alt.Y("low:Q"), y2=alt.Y2("high:Q"), color=colour,
            tooltip=[alt.Tooltip("Kön:N"), alt.Tooltip("År:O"),
                     alt.Tooltip("low:Q", title="lägsta i gruppen", format=",.1f"),
                     alt.Tooltip("high:Q", title="högsta i gruppen", format=",.1f"),
                     alt.Tooltip("members:Q", title="medlemmar med värden")]))
        subtitle.append("Skuggat: lägsta–högsta bland medlemmarna")
    base = alt.Chart(long).encode(
        x=alt.X("År:O", title="År", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False)),
        color=colour, strokeDash=dash,
        tooltip=[alt.Tooltip("Kön:N"), alt.Tooltip("År:O"), alt.Tooltip("value:Q", title=y_title, format=",.1f")],
    )
    if has_reference:
        ref = reference.dropna(subset=["value"]).copy()
        ref["Kön"] = ref["sex"].map(SEX_LABELS)
        ref["År"] = ref["period"].astype(str)
        ref["Serie"] = mean_label
        # The legend of line styles is drawn from the first layer with a line style: an invisible grey copy of
        # the mean, so that its symbols are grey lines (the visible lines are coloured by sex).
        layers.append(alt.Chart(ref).mark_line(color="#444", strokeWidth=0).encode(
            x=alt.X("År:O"), y=alt.Y("value:Q"), strokeDash=dash))
    layers.append(base.mark_line(point=True, strokeWidth=2.5))
    if has_reference:
        layers.append(alt.Chart(ref).mark_line(strokeWidth=1.5, opacity=0.85).encode(
            x=alt.X("År:O"), y=alt.Y("value:Q"), color=colour, strokeDash=dash,
            tooltip=[alt.Tooltip("Kön:N"), alt.Tooltip("År:O"),
                     alt.Tooltip("value:Q", title=f"{reference_label or 'jämförelse'}", format=",.1f")]))
        subtitle.insert(0, f"Streckat: {mean_label}")
    # channels as objects, not shorthand strings, and the layer's properties given at once: Altair resolves a
    # string against the whole schema and deep-copies every layer again for each .properties()/.configure()
    return _configure(alt.layer(*layers, title=alt.TitleParams(title, subtitle=subtitle or "", anchor="start"),
                                width=520, height=240))


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


def rank_chart(sizes: pd.DataFrame, title: str, unit: str | None = None, subtitle: str | None = None) -> alt.TopLevelMixin:
    """The size of the gap between women and men in one period, one bar per organisation, smallest at the top.

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
    order = list(data.sort_values(["size", "name"])["name"])
    x_title = f"Skillnad mellan kvinnor och män ({unit})" if unit else "Skillnad mellan kvinnor och män"
    chart = alt.Chart(data).mark_bar().encode(
        y=alt.Y("name:N", sort=order, title=None, axis=alt.Axis(labelLimit=200)),
        x=alt.X("size:Q", title=x_title),
        color=alt.Color("Roll:N", scale=alt.Scale(domain=["Den här rapporten", "Jämförelsegruppen"],
                                                  range=["#D55E00", "#BBBBBB"]),
                        legend=alt.Legend(title=None, orient="top")),
        tooltip=[alt.Tooltip("name:N", title="Organisation"), alt.Tooltip("size:Q", title=x_title, format=",.1f")],
    )
    return _configure(chart.properties(title=alt.TitleParams(title, subtitle=subtitle or "", anchor="start"),
                                       width=520, height=max(80, 18 * len(data))))


def trajectory_chart(trajectories: pd.DataFrame, title: str) -> alt.TopLevelMixin:
    """Each organisation's checklist total per occasion (10–40), one line per organisation.

    Parameters
    ----------
    trajectories
        :func:`jamlib.analysis.checklist.organisation_trajectories`.
    title
        Chart title.
    """
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


def spec_bundle(spec: dict) -> dict:
    """The display bundle of a Vega-Lite specification (see :func:`chart_bundle`)."""
    from jamlib.report import _vega

    bundle = {VEGALITE_MIME: spec, "text/plain": f"Diagram: {_title_text(spec)}"}
    svg = _vega.svg(spec)
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
    from IPython.display import display

    display(_Displayable(chart_bundle(chart, validate=validate)))


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
