"""The indicator report's charts are valid Vega-Lite, checked here once instead of on every display.

:meth:`jamlib.report.view.IndicatorView.show` displays its charts without Altair's schema check (it costs about
a twentieth of a second per chart in every report). These tests check the specs it emits, every layer
combination of the gap chart and the rank chart, against the Vega-Lite schema Altair ships.
"""

from __future__ import annotations

import jsonschema
import pandas as pd
import pytest
from altair.vegalite.v5.schema.core import load_schema

from jamlib.report import charts
from jamlib.report.charts import VEGALITE_MIME
from jamlib.report.indicator_report import indicator_report, load_indicator_folder
from jamlib.report.view import indicator_view
from tests.conftest import RAW


@pytest.fixture(scope="module")
def schema_errors():
    validator = jsonschema.Draft7Validator(load_schema())
    return lambda spec: [error.message for error in validator.iter_errors(spec)]


@pytest.fixture(scope="module")
def karlstad():
    data = load_indicator_folder(RAW / "kolada")
    return {reference: indicator_view(indicator_report(data, "1780", ["N20402"], reference=reference), "N20402")
            for reference in ("liknande", "riket")}


def _shown_specs(view, monkeypatch) -> list[dict]:
    """The Vega-Lite specs ``view.show()`` displays (what reaches the notebook)."""
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *objects, **kwargs: shown.extend(objects))
    view.show()
    return [o._repr_mimebundle_()[VEGALITE_MIME] for o in shown if hasattr(o, "_repr_mimebundle_")
            and VEGALITE_MIME in (o._repr_mimebundle_() or {})]


def test_the_report_views_charts_are_valid_vega_lite(karlstad, schema_errors, monkeypatch):
    group, country = _shown_specs(karlstad["liknande"], monkeypatch), _shown_specs(karlstad["riket"], monkeypatch)
    assert len(group) == 2 and len(country) == 1  # gap chart with band and group mean plus rank chart; gap chart
    assert [len(spec["layer"]) for spec in (group[0], country[0])] == [4, 3]  # band, lines, points, reference
    assert group[1]["mark"]["type"] == "bar"
    for spec in group + country:
        assert schema_errors(spec) == []


def test_the_gap_chart_alone_and_the_rank_chart_are_valid_vega_lite(schema_errors):
    plain = charts.gap_chart(pd.DataFrame({"period": ["2020", "2021"], "value_K": [1.0, None],
                                           "value_M": [2.0, 3.0]}), "Egen", unit="dagar")
    ranked = charts.rank_chart(pd.DataFrame({"name": ["A", "B", "C"], "size": [3.0, 1.5, None],
                                             "highlight": [True, False, False]}), "Skillnad", unit="procentenheter")
    for chart in (plain, ranked):
        spec = chart.to_dict(validate=False)
        assert schema_errors(spec) == []
        assert spec == chart.to_dict()  # the check changes nothing in what is emitted


def test_the_check_finds_a_broken_spec(karlstad, schema_errors):
    view = karlstad["riket"]
    wrong_mark, wrong_size = view.chart().to_dict(validate=False), view.chart().to_dict(validate=False)
    wrong_mark["layer"][0]["mark"]["type"] = "linje"
    wrong_size["config"]["axis"]["labelFontSize"] = "tolv"
    assert schema_errors(wrong_mark) != [] and schema_errors(wrong_size) != []


def test_the_specs_declare_the_vega_lite_version_altair_writes(karlstad):
    import altair as alt

    assert charts.VEGALITE_SCHEMA == alt.SCHEMA_URL
    assert karlstad["liknande"].chart_spec()["$schema"] == alt.SCHEMA_URL


def test_the_specs_data_are_strict_json_with_missing_values_as_null(schema_errors):
    import json

    import numpy as np

    own = pd.DataFrame({"period": ["2020", "2021", "2022"], "value_K": [1.5, np.nan, np.inf],
                        "value_M": [2.0, 3.0, None]})
    sizes = pd.DataFrame({"name": pd.Categorical(["A", "B", "C"]), "note": ["x", None, np.nan],
                          "size": [3.0, -np.inf, 1.0],
                          "highlight": [True, False, False], "persons": pd.array([12, None, 7], dtype="Int64"),
                          "share": pd.array([0.5, None, np.inf], dtype="Float64")})
    gap, ranked = charts.gap_spec(own, "Egen", unit="dagar"), charts.rank_spec(sizes, "Skillnad")
    for spec in (gap, ranked):
        json.dumps(spec, allow_nan=False)  # NaN and Infinity are not JSON: a browser's Vega would refuse the spec
        assert schema_errors(spec) == []
    ((gap_values,), (rank_values,)) = (list(spec["datasets"].values()) for spec in (gap, ranked))
    assert [(row["År"], row["Kön"], row["value"]) for row in gap_values] == [
        ("2020", "Kvinnor", 1.5), ("2022", "Kvinnor", None), ("2020", "Män", 2.0), ("2021", "Män", 3.0)]
    assert [(row["name"], row["note"], row["size"], row["persons"], row["share"]) for row in rank_values] == [
        ("A", "x", 3.0, 12, 0.5), ("B", None, None, None, None), ("C", None, 1.0, 7, None)]
    assert all(type(row["persons"]) in (int, type(None)) for row in rank_values)


def test_a_report_shows_its_charts_without_importing_altair(tmp_path):
    """Building and showing the report's charts costs no ``import altair`` (about a third of a second)."""
    import subprocess
    import sys

    code = ("import sys, IPython.display as d; d.display = lambda *a, **k: None\n"
            "from jamlib.report.indicator_report import indicator_report, load_indicator_folder\n"
            "from jamlib.report.view import indicator_views\n"
            f"data = load_indicator_folder({str(RAW / 'kolada')!r})\n"
            "views = indicator_views(indicator_report(data, '1780', reference='liknande'))\n"
            "from jamlib.report import charts; charts.static_images(False)\n"
            "for view in views: view.show()\n"
            "assert views and all(v.chart_spec()['layer'] for v in views)\n"
            "print('altair' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                          env={**__import__("os").environ, "JAMLIB_CACHE": ""})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
