"""A Kolada KPI beyond Karlstad's five gets a direction from jamlib's curated table, or from the user."""

from __future__ import annotations

import json

from jamlib.cli import main

#: Constructed test values (not Kolada's): Örebro and Riket, three KPIs, 2019–2021.
VALUES = {"N00905": {"K": 240_000.0, "M": 262_000.0}, "N15419": {"K": 78.0, "M": 71.0},
          "N00090": {"K": 9.1, "M": 5.2}}


def _folder(tmp_path):
    for kpi, by_sex in VALUES.items():
        records = [{"kpi": kpi, "municipality": code, "period": year,
                    "values": [{"gender": s, "count": 1, "status": "", "value": v * factor, "isdeleted": False}
                               for s, v in {**by_sex, "T": sum(by_sex.values()) / 2}.items()]}
                   for code, factor in (("1880", 1.0), ("0000", 1.01)) for year in (2019, 2020, 2021)]
        (tmp_path / f"data_{kpi}.json").write_text(json.dumps({"count": len(records), "next_url": None,
                                                                "previous_url": None, "values": records}),
                                                    encoding="utf-8")
    return tmp_path


def test_curated_polarity_names_the_disadvantaged_sex(tmp_path, capsys):
    assert main(["gaps", "--org", "1880", "--indicator", "N00905,N15419,N00090", "--data", str(_folder(tmp_path)),
                 "--format", "json"]) == 0
    rows = {r["indicator_id"]: r for r in json.loads(capsys.readouterr().out)}
    # higher income is better (women lower: women); more pupils passing is better (boys lower: men);
    # lower sick leave is better (women higher: women)
    assert {k: rows[k]["disadvantaged"] for k in VALUES} == {"N00905": "K", "N15419": "M", "N00090": "K"}


def test_the_user_can_override_the_direction(tmp_path, capsys):
    assert main(["gaps", "--org", "1880", "--indicator", "N00090", "--polarity", "N00090=högre",
                 "--data", str(_folder(tmp_path)), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["disadvantaged"] == "M"
