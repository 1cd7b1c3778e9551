"""A value resting on too few persons reaches none of the ways an indicator is shown.

One indicator, one organisation, one year where only 3 women are behind the women's value. The report's view
(what the HTML report shows), the JupyterLab explorer (what the widget shows) and ``jam gaps`` (terminal text, CSV
and JSON) must all leave out the women's value *and* the men's (secondary suppression: men's value and the total
would give the women's away), in the tables, the sentences and the chart's embedded data.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from jamlib.report import charts, display
from jamlib.report.explorer import ExplorerState, explorer_view
from jamlib.report.indicator_report import indicator_report
from jamlib.report.view import indicator_view

#: Values that would betray the small group if they appeared anywhere (women's and men's values of 2021).
SECRET_K, SECRET_M = 66.6667, 41.2345
SECRETS = ("66,7", "66.7", "66.6667", "41,2", "41.2", "41.2345")


def _rows(code: str, name: str, period: str, k: tuple[float, float], m: tuple[float, float]) -> list[dict]:
    (kn, kd), (mn, md) = k, m
    rows = []
    for sex, num, den in (("K", kn, kd), ("M", mn, md), ("T", kn + mn, kd + md)):
        rows.append({"org_code": code, "org_name": name, "indicator_id": "EGEN1", "indicator_title": "Nöjda brukare",
                     "unit": "procent", "period": period, "sex": sex, "value": round(100 * num / den, 4),
                     "numerator": float(num), "denominator": float(den), "polarity": "högre är bättre"})
    return rows


@pytest.fixture()
def data() -> pd.DataFrame:
    rows = []
    for year, (kn, kd, mn, md) in {"2019": (30, 40, 20, 40), "2020": (33, 45, 21, 42)}.items():
        rows += _rows("1780", "Karlstad", year, (kn, kd), (mn, md))
        rows += _rows("0000", "Riket", year, (kn * 100, kd * 100), (mn * 100, md * 100))
    rows += _rows("1780", "Karlstad", "2021", (2, 3), (SECRET_M * 40 / 100, 40))  # 3 women: must stay hidden
    rows += _rows("0000", "Riket", "2021", (3000, 4000), (2000, 4000))
    frame = pd.DataFrame(rows)
    assert frame.loc[(frame["org_code"] == "1780") & (frame["period"] == "2021"), "value"].round(4).tolist()[:2] == [
        SECRET_K, SECRET_M]
    return frame


def _assert_no_secret(text: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret} visible in {where}"


def test_report_view_hides_the_small_group_in_table_sentences_and_chart_data(data):
    report = indicator_report(data, "1780", ["EGEN1"], reference="riket")
    view = indicator_view(report, "EGEN1")
    table = view.table.set_index("År")
    assert table.loc["2021", "Kvinnor"] == "färre än 5" and table.loc["2021", "Män"] == "färre än 5"
    assert table.loc["2021", "Missgynnat kön"] == "kan inte sägas"
    assert table.loc["2020", "Kvinnor"] == "73,3"  # larger groups are shown as usual
    page = charts.chart_html(view.chart()) + display.table_html(view.table, view.caption) + " ".join(view.sentences)
    _assert_no_secret(page, "the report's HTML")
    _assert_no_secret(json.dumps(view.chart().to_dict()), "the chart's embedded data")
    assert report.suppressed_cells == 2 and any("färre än 5" in s for s in report.sentences["text"])


def test_explorer_hides_the_small_group_in_the_widget(data):
    chart, table = explorer_view(ExplorerState(data), "1780", "EGEN1", "riket")
    _assert_no_secret(json.dumps(chart.to_dict()) + table.to_string(), "the explorer")
    assert table.set_index("År").loc["2021", "Kvinnor"] == "färre än 5"


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_jam_gaps_hides_the_small_group(data, fmt, monkeypatch, capsys):
    import jamlib.report.indicator_report as module
    from jamlib.cli import main

    monkeypatch.setattr(module, "load_indicator_folder", lambda folder, indicators=None: data.copy())
    assert main(["gaps", "--org", "1780", "--indicator", "EGEN1", "--format", fmt]) == 0
    out = capsys.readouterr().out
    _assert_no_secret(out, f"jam gaps --format {fmt}")
    if fmt == "table":
        assert "färre än 5" in out


def test_the_chart_refuses_data_that_still_hold_a_hidden_value():
    from jamlib.errors import DisclosureError

    leaking = pd.DataFrame({"period": ["2021"], "value_K": [SECRET_K], "value_M": [SECRET_M], "suppressed": [True]})
    with pytest.raises(DisclosureError):
        charts.gap_chart(leaking, "Nöjda brukare")


def test_a_count_of_three_women_reaches_no_view(monkeypatch, capsys):
    import jamlib.report.indicator_report as module
    from jamlib.cli import main

    rows = []
    for year, (k, m) in {"2019": (14, 17), "2020": (12, 19), "2021": (3, 23)}.items():
        for code, name, scale in (("1780", "Karlstad", 1), ("0000", "Riket", 300)):
            for sex, value in (("K", k * scale), ("M", m * scale), ("T", (k + m) * scale)):
                rows.append({"org_code": code, "org_name": name, "indicator_id": "ANTAL1",
                             "indicator_title": "Antal med personlig assistans", "unit": "antal", "period": year,
                             "sex": sex, "value": float(value), "polarity": "neutral"})
    data = pd.DataFrame(rows)
    secrets = ("23,0", "23.0", '"value_M": 23', "+-20", "−20,0")
    view = indicator_view(indicator_report(data, "1780", ["ANTAL1"], reference="riket"), "ANTAL1")
    chart_json = json.dumps(view.chart().to_dict())
    assert '"value_K": 3.0' not in chart_json and '"value_M": 23.0' not in chart_json
    assert view.table.set_index("År").loc["2021", "Kvinnor"] == "färre än 5"
    chart, table = explorer_view(ExplorerState(data), "1780", "ANTAL1", "riket")
    assert "23,0" not in table.to_string() and '"value_M": 23.0' not in json.dumps(chart.to_dict())
    monkeypatch.setattr(module, "load_indicator_folder", lambda folder, indicators=None: data.copy())
    for fmt in ("table", "csv", "json"):
        assert main(["gaps", "--org", "1780", "--indicator", "ANTAL1", "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert not any(s in out for s in secrets), (fmt, out)
