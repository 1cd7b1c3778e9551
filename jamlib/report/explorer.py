"""The interactive indicator explorer for JupyterLab (ipywidgets).

Pick a municipality or region, an indicator and a reference; the chart and the
table update in place. Each change builds the same disclosure-safe view as the
report (:func:`jamlib.report.view.indicator_view`) from rows split once per
indicator, so an update stays fast on the bundled data
(``bench/bench_explorer.py`` measures it). The chart is shown with
:func:`jamlib.report.charts.show_spec`: JupyterLab draws it with its built-in
Vega renderer (nothing from a CDN); no static SVG is drawn for it (about 0,1 s per
update). In exported HTML the widget is removed (:func:`jamlib.report.html.export_html`) and the static
charts and tables above it remain.
"""

from __future__ import annotations

import pandas as pd

from jamlib.organisations import municipality_name
from jamlib.report.indicator_report import indicator_report
from jamlib.report.view import indicator_view

__all__ = ["ExplorerState", "explorer_view", "indicator_explorer", "show_explorer"]


class ExplorerState:
    """Data prepared once for fast updates: rows split by indicator.

    ``municipalities`` lists every municipality and region with values
    (label, code), municipalities first; Riket is the reference, not a choice.
    """

    def __init__(self, indicators: pd.DataFrame):
        self.by_indicator = {k: v for k, v in indicators.groupby("indicator_id", sort=True)}
        self.titles = {k: (v["indicator_title"].dropna().iloc[0] if v["indicator_title"].notna().any() else k)
                       for k, v in self.by_indicator.items()}
        from jamlib.organisations import municipalities

        registry = municipalities()
        present = set(indicators["org_code"].dropna())
        kommuner = sorted(present & set(registry.loc[registry["type"] == "K", "code"]))
        regioner = sorted(present & set(registry.loc[(registry["type"] == "L") & (registry["code"] != "0000"), "code"]))
        self.municipalities = [(f"{municipality_name(c) or c} ({c})", c) for c in kommuner + regioner]


def explorer_view(state: ExplorerState, org_code: str, indicator_id: str, reference: str) -> tuple:
    """Chart and table for one choice (what the widget shows on every change).

    The view is built by :func:`jamlib.indicator_report` and
    :func:`jamlib.report.view.indicator_view`, so values resting on too few
    persons are hidden here exactly as in the report.

    Returns
    -------
    tuple
        ``(altair chart, formatted table)``.
    """
    from jamlib.report.charts import _as_chart

    spec, table, _ = _explorer_parts(state, org_code, indicator_id, reference)
    return _as_chart(spec), table


def _explorer_parts(state: ExplorerState, org_code: str, indicator_id: str, reference: str) -> tuple:
    """Chart (Vega-Lite spec), table and the reference's note (a region compared with Riket instead of "liknande")."""
    report = indicator_report(state.by_indicator[indicator_id], org_code, [indicator_id], reference=reference or None)
    view = indicator_view(report, indicator_id)
    note = report.reference.note if report.reference is not None else ""
    return view.chart_spec(), view.table, note


def indicator_explorer(indicators: pd.DataFrame, org_code: str, indicator_ids: list[str] | None = None,
                       reference: str = "riket"):
    """An ipywidgets explorer: municipality, indicator and reference drop-downs, chart and table below.

    Returns
    -------
    ipywidgets.VBox
    """
    import ipywidgets as widgets

    from jamlib.report.charts import show_spec
    from jamlib.report.display import show_table

    state = ExplorerState(indicators if indicator_ids is None else indicators[indicators["indicator_id"].isin(indicator_ids)])
    options = list(state.municipalities)
    if org_code not in {code for _, code in options}:  # no values: the explorer says so rather than failing
        options.insert(0, (f"{municipality_name(org_code) or org_code} ({org_code})", org_code))
    municipality = widgets.Dropdown(options=options, value=org_code, description="Kommun/region")
    indicator = widgets.Dropdown(options=[(f"{k}: {v[:60]}", k) for k, v in state.titles.items()], description="Indikator")
    reference_box = widgets.Dropdown(options=[("Riket", "riket"), ("Liknande kommuner", "liknande")],
                                     value=reference if reference in ("riket", "liknande") else "riket",
                                     description="Jämför med")
    output = widgets.Output()

    def update(*_):
        with output:
            output.clear_output(wait=True)
            try:
                spec, table, note = _explorer_parts(state, municipality.value, indicator.value, reference_box.value)
            except Exception as error:  # shown to the analyst, never raised into the widget machinery
                print(f"Kan inte visa: {error}")
                return
            if note:
                print(note)
            show_spec(spec, static=False)  # JupyterLab draws the spec; the widget never reaches a static page
            show_table(table)

    for control in (municipality, indicator, reference_box):
        control.observe(update, names="value")
    update()
    return widgets.VBox([widgets.HBox([municipality, indicator, reference_box]), output])


def _interactive_frontend(shell) -> bool:
    """Whether a person's front end drives this kernel: JupyterLab/Notebook (a Jupyter server names the
    session in ``JPY_SESSION_NAME``) or VS Code (``__vsc_ipynb_file__``).

    Papermill and ``nbconvert --execute`` run the kernel through nbclient, which cannot drive widgets and
    may wait forever on the explorer's output widget (jupyter/nbclient#312); there the explorer is left out.
    """
    import os

    return bool(os.environ.get("JPY_SESSION_NAME")) or "__vsc_ipynb_file__" in getattr(shell, "user_ns", {})


def show_explorer(indicators: pd.DataFrame, org_code: str, indicator_ids: list[str] | None = None,
                  reference: str = "riket") -> bool:
    """Show the explorer when a live Jupyter kernel can drive it; otherwise show nothing.

    Under ``jam batch`` (no kernel) a widget could not update and its fallback
    output would only clutter the report, so nothing is shown there. The explorer
    moves between municipalities and regions; for a committee, company or unit
    (no Kolada municipality code) it is not shown either, nor when papermill or
    ``nbconvert --execute`` run the notebook without a person's front end.

    Returns
    -------
    bool
        Whether the explorer was shown.
    """
    from IPython import get_ipython
    from IPython.display import display

    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None or municipality_name(str(org_code)) is None:
        return False
    if not _interactive_frontend(shell):
        return False
    display(indicator_explorer(indicators, org_code, indicator_ids, reference))
    return True
