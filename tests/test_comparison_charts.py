"""Charts that compare: the reference group's range as a band, a rank bar for the latest year, the reference named."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from jamlib.errors import DisclosureError
from jamlib.report import charts
from jamlib.report.indicator_report import indicator_report, load_indicator_folder
from jamlib.report.view import indicator_view
from tests.conftest import RAW


@pytest.fixture(scope="module")
def karlstad():
    data = load_indicator_folder(RAW / "kolada")
    return data, indicator_report(data, "1780", ["N20402"], reference="liknande")


def _layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def _rows(spec: dict, layer: dict) -> list[dict]:
    name = layer.get("data", {}).get("name") or spec.get("data", {}).get("name")
    return spec["datasets"][name]


def test_the_band_is_the_members_lowest_and_highest_value(karlstad):
    data, report = karlstad
    spec = indicator_view(report, "N20402").chart().to_dict()
    band = next(layer for layer in _layers(spec) if layer["mark"] == "area" or layer["mark"].get("type") == "area")
    rows = {(r["År"], r["Kön"]): r for r in _rows(spec, band)}
    members = data[data["org_code"].isin(report.reference.codes) & (data["indicator_id"] == "N20402")
                   & (data["period"] == "2022") & (data["sex"] == "K")]
    assert "1780" not in set(members["org_code"]) and len(members) == 7
    assert rows["2022", "Kvinnor"]["low"] == pytest.approx(members["value"].min())
    assert rows["2022", "Kvinnor"]["high"] == pytest.approx(members["value"].max())
    # the legend names Karlstad and the reference, with their line styles
    dash = next(layer["encoding"]["strokeDash"] for layer in _layers(spec) if "strokeDash" in layer.get("encoding", {}))
    assert dash["scale"]["domain"] == ["Karlstad", f"Medel, {report.reference.label}"]
    assert dash["scale"]["range"] == [[1, 0], [5, 4]]
    assert "Skuggat: lägsta–högsta bland medlemmarna" in json.dumps(spec["title"], ensure_ascii=False)


def test_the_rank_bar_highlights_the_organisation_among_the_members(karlstad):
    data, report = karlstad
    view = indicator_view(report, "N20402")
    spec = view.rank_chart().to_dict()
    rows = _rows(spec, spec)
    assert len(rows) == 8 and [r["name"] for r in rows if r["highlight"]] == ["Karlstad"]
    wide = data[(data["indicator_id"] == "N20402") & (data["period"] == "2022")].pivot_table(
        index="org_code", columns="sex", values="value")
    own = abs(wide.loc["1780", "K"] - wide.loc["1780", "M"])
    assert next(r["size"] for r in rows if r["highlight"]) == pytest.approx(own)
    assert "3:e minsta skillnaden av 8" in json.dumps(spec["title"], ensure_ascii=False)
    order = spec["encoding"]["y"]["sort"]
    assert order.index("Karlstad") == 2  # the third smallest, as the summary says


def test_riket_alone_gets_no_band_and_no_rank_bar():
    data = load_indicator_folder(RAW / "kolada")
    view = indicator_view(indicator_report(data, "1780", ["N20402"], reference="riket"), "N20402")
    assert view.rank_chart() is None
    spec = view.chart().to_dict()
    assert not any(layer["mark"] == "area" or layer["mark"].get("type") == "area" for layer in _layers(spec))


def test_comparison_charts_refuse_hidden_values():
    with pytest.raises(DisclosureError):
        charts.rank_chart(pd.DataFrame({"name": ["A"], "size": [3.0], "highlight": [True], "suppressed": [True]}), "x")
    members = pd.DataFrame({"period": ["2021"], "org_code": ["1715"], "value_K": [2.0], "value_M": [1.0],
                            "suppressed": [True]})
    own = pd.DataFrame({"period": ["2021"], "value_K": [10.0], "value_M": [12.0]})
    with pytest.raises(DisclosureError):
        charts.gap_chart(own, "x", members=members)
