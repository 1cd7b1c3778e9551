"""Kolada's KPI groups and unit-level data (issue 12, item 5), against a fake Kolada on 127.0.0.1.

The fake answers in the v3 shapes the client relies on: ``/v3/kpi_groups`` items
``{id, title, members: [{member_id, member_title}]}`` (older documentation: ``{id, title}``
members; both are read), ``/v3/ou`` items ``{id, title, municipality}`` and ``/v3/oudata``
records ``{kpi, ou, period, values: [{gender, count, status, value, isdeleted}]}``.
"""

from __future__ import annotations

import json

import pytest

from jamlib.cli import main
from jamlib.errors import ParameterError
from jamlib.ingest.kolada_client import KoladaClient, KoladaError
from tests.kolada_fake import kolada, page, record  # noqa: F401  (kolada is a fixture)

ELDERLY = {"id": "G107", "title": "Jämställd äldreomsorg", "members": [
    {"member_id": "U23401", "member_title": "Väntetid till särskilt boende, dagar"},
    {"member_id": "N20402", "member_title": "Fallskador bland personer 80+"}]}
SCHOOL = {"id": "G212", "title": "Grundskola, resultat", "members": [
    {"member_id": "N15419", "member_title": "Elever i åk 9 som uppnått betygskriterierna i alla ämnen"}]}
KPIS = {k: {"id": k, "title": t, "is_divided_by_gender": 1} for k, t in (
    ("U23401", "Väntetid till särskilt boende, dagar"), ("N20402", "Fallskador bland personer 80+"),
    ("N15419", "Elever i åk 9 som uppnått betygskriterierna i alla ämnen, kommunala skolor, andel (%)"))}
SCHOOLS = [{"id": "V15E178000201", "title": "Norrstrandsskolan", "municipality": "1780"},
           {"id": "V15E178000202", "title": "Älvkulleskolan", "municipality": "1780"}]
CARE = [{"id": "V21E178000101", "title": "Vallargärdets vård- och omsorgsboende", "municipality": "1780"}]


def v2_members(group):
    return {**group, "members": [{"id": m["member_id"], "title": m["member_title"]} for m in group["members"]]}


@pytest.fixture
def client(kolada, tmp_path):
    waits: list[float] = []
    c = KoladaClient(base_url=kolada.base, cache_dir=tmp_path / "cache", backoff=0.5, sleep=waits.append, timeout=5)
    c.waits = waits
    return c


# ------------------------------------------------------------------ KPI groups
@pytest.mark.parametrize("shape", [lambda g: g, v2_members], ids=["v3 member_id", "v2 id"])
def test_kpi_groups_are_listed_searched_and_cached_in_the_snapshot_shape(kolada, client, shape):
    kolada.add("/v3/kpi_groups?per_page=5000", (200, {}, page([shape(ELDERLY), shape(SCHOOL)])))
    groups = client.kpi_groups()
    assert list(groups["group_id"]) == ["G107", "G107", "G212"]
    assert list(groups["kpi_id"]) == ["U23401", "N20402", "N15419"]
    found = client.kpi_groups("ÄLDREOMSORG jämställd")
    assert set(found["group_id"]) == {"G107"} and len(found) == 2
    assert client.group_kpis("G107") == ["U23401", "N20402"]
    cached = json.loads((client.cache_dir / "kpi_groups.json").read_text(encoding="utf-8"))
    assert cached["values"][0]["members"][0] == {"id": "U23401", "title": "Väntetid till särskilt boende, dagar"}
    assert kolada.hits("/v3/kpi_groups?per_page=5000") == 1  # later calls read the cache


def test_an_unknown_group_is_refused_by_name(kolada, client):
    kolada.add("/v3/kpi_groups?per_page=5000", (200, {}, page([ELDERLY])))
    with pytest.raises(ParameterError, match="ingen nyckeltalsgrupp med id 'G999'"):
        client.group_kpis("G999")


def test_a_group_list_without_members_is_not_cached(kolada, client):
    kolada.add("/v3/kpi_groups?per_page=5000", (200, {}, page([{"id": "G1", "title": "Utan medlemmar"}])))
    client.retries = 1
    with pytest.raises(KoladaError, match="members"):
        client.kpi_groups()
    assert not (client.cache_dir / "kpi_groups.json").exists()


def test_cli_lists_groups_shows_one_and_fetches_every_kpi_of_it(kolada, tmp_path, capsys):
    cache = tmp_path / "cli"
    kolada.add("/v3/kpi_groups?per_page=5000", (200, {}, page([ELDERLY, SCHOOL])))
    base = ["--cache", str(cache), "--base-url", kolada.base]
    assert main(["kolada", "kpi-groups", "äldreomsorg", *base]) == 0
    out = capsys.readouterr().out
    assert "1 nyckeltalsgrupper matchar" in out and "G107" in out and "Jämställd äldreomsorg" in out
    assert "G212" not in out
    assert main(["kolada", "kpi-groups", "--group", "G107", *base]) == 0
    out = capsys.readouterr().out
    assert "G107  Jämställd äldreomsorg: 2 nyckeltal" in out and "N20402" in out and "U23401" in out
    kolada.add("/v3/kpi/U23401,N20402?per_page=5000", (200, {}, page([KPIS["U23401"], KPIS["N20402"]])))
    for kpi in ("U23401", "N20402"):
        kolada.add(f"/v3/data/kpi/{kpi}/municipality/1780/year/2020?per_page=5000",
                   (200, {}, page([record(kpi, "1780", 2020, 10, 20, 15)])))
    assert main(["kolada", "fetch", "--kpi-group", "G107", "--municipality", "1780", "--years", "2020", *base]) == 0
    captured = capsys.readouterr()
    assert "6 värden från Kolada" in captured.out and "nyckeltalsgruppen G107: 2 nyckeltal" in captured.err
    assert {p.name for p in cache.glob("data_*")} == {"data_U23401_1780_2020-2020.json", "data_N20402_1780_2020-2020.json"}
    assert main(["kolada", "kpi-groups", "--group", "G999", *base]) == 2


# ------------------------------------------------------------------ units
UNITS_1780 = "/v3/ou?municipality=1780&per_page=5000"


def test_units_of_a_municipality_with_names_type_and_search(kolada, client):
    kolada.add(UNITS_1780, (200, {}, page(SCHOOLS + CARE)))
    units = client.units("1780")
    assert list(units["id"]) == [u["id"] for u in SCHOOLS + CARE] and set(units["municipality_name"]) == {"Karlstad"}
    assert list(client.units("1780", unit_type="v21")["title"]) == ["Vallargärdets vård- och omsorgsboende"]
    assert list(client.units("1780", search="älvkulle")["id"]) == ["V15E178000202"]
    assert kolada.hits(UNITS_1780) == 1


def unit_data(kpi, unit, year, k, m, t, deleted=False):
    return record(kpi, unit, year, k, m, t, deleted=deleted, key="ou")


OUDATA = "/v3/oudata/kpi/N15419/ou/V15E178000201,V15E178000202/year/2022?per_page=5000"


def test_unit_values_carry_the_unit_name_and_parent_and_are_cached_in_the_municipality_shape(kolada, client):
    kolada.add("/v3/ou/V15E178000201,V15E178000202?per_page=5000", (200, {}, page(SCHOOLS)))
    kolada.add("/v3/kpi/N15419?per_page=5000", (200, {}, page([KPIS["N15419"]])))
    kolada.add(OUDATA, (200, {}, page([unit_data("N15419", "V15E178000201", 2022, 81.5, 70.25, 76.0),
                                        unit_data("N15419", "V15E178000202", 2022, None, 64.0, 66.0),
                                        unit_data("N15419", "V15E178000202", 2022, 1.0, 1.0, 1.0, deleted=True)])))
    result = client.unit_values(["N15419"], ["V15E178000201", "v15e178000202"], years="2022")
    data = result.data
    assert len(data) == 6 and set(data["parent_code"]) == {"1780"} and set(data["parent_name"]) == {"Karlstad"}
    norr = data[data["org_code"] == "V15E178000201"].set_index("sex")
    assert norr.loc["K", "value"] == 81.5 and norr.loc["M", "value"] == 70.25 and norr.loc["T", "value"] == 76.0
    assert set(norr["org_name"]) == {"Norrstrandsskolan"}
    alv = data[data["org_code"] == "V15E178000202"].set_index("sex")
    assert pd_isna(alv.loc["K", "value"]) and alv.loc["M", "value"] == 64.0  # missing stays missing, never 0
    assert any("3 värden markerade som raderade" in w for w in result.warnings)
    assert set(data["indicator_title"]) == {KPIS["N15419"]["title"]}
    path = result.files[0]
    assert path.name == "oudata_N15419_V15E178000201-V15E178000202_2022-2022.json"
    first = json.loads(path.read_text(encoding="utf-8"))["values"][0]
    assert first["municipality"] == first["ou"] == "V15E178000201"  # the field loaders read as the org code
    assert first["ou_title"] == "Norrstrandsskolan" and first["ou_municipality"] == "1780"
    calls = len(kolada.log)
    again = client.unit_values(["N15419"], ["V15E178000201", "V15E178000202"], years="2022")
    assert again.from_cache and len(kolada.log) == calls and again.data.equals(result.data)
    with_deleted = client.unit_values(["N15419"], ["V15E178000201", "V15E178000202"], years="2022", include_deleted=True)
    assert len(with_deleted.data) == 9


def pd_isna(value) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def test_every_unit_of_a_municipality_is_fetched_in_chunks_of_25(kolada, client):
    schools = [{"id": f"V15E1780{n:05d}", "title": f"Skola {n}", "municipality": "1780"} for n in range(30)]
    kolada.add(UNITS_1780, (200, {}, page(schools + CARE)))
    kolada.add("/v3/kpi/N15419?per_page=5000", (200, {}, page([KPIS["N15419"]])))
    ids = sorted(s["id"] for s in schools)
    for chunk in (ids[:25], ids[25:]):
        kolada.add(f"/v3/oudata/kpi/N15419/ou/{','.join(chunk)}?per_page=5000",
                   (200, {}, page([unit_data("N15419", u, 2021, 50, 40, 45) for u in chunk])))
    result = client.unit_values(["N15419"], municipality="1780", unit_type="V15")
    assert result.data["org_code"].nunique() == 30 and sum("/oudata/" in p for p in kolada.log) == 2
    assert result.files[0].name == "oudata_N15419_k1780V15_alla.json"
    assert set(result.data["org_name"]) == {f"Skola {n}" for n in range(30)}


def test_a_unit_answer_for_units_not_asked_is_refused_and_not_cached(kolada, client):
    kolada.add("/v3/ou/V15E178000201,V15E178000202?per_page=5000", (200, {}, page(SCHOOLS)))
    kolada.add("/v3/kpi/N15419?per_page=5000", (200, {}, page([KPIS["N15419"]])))
    kolada.add(OUDATA, (200, {}, page([unit_data("N15419", "V15E999999999", 2022, 1, 2, 3)])))
    client.retries = 1
    with pytest.raises(KoladaError, match="V15E999999999"):
        client.unit_values(["N15419"], ["V15E178000201", "V15E178000202"], years="2022")
    assert not list(client.cache_dir.glob("oudata_*"))


def test_unit_values_need_units_or_a_municipality_not_both(client):
    with pytest.raises(ParameterError, match="Ange enheter"):
        client.unit_values(["N15419"])
    with pytest.raises(ParameterError, match="inte båda"):
        client.unit_values(["N15419"], ["V15E178000201"], municipality="1780")


def test_cli_units_and_unit_fetch(kolada, tmp_path, capsys):
    cache = tmp_path / "cli"
    base = ["--cache", str(cache), "--base-url", kolada.base]
    kolada.add(UNITS_1780, (200, {}, page(SCHOOLS + CARE)))
    assert main(["kolada", "units", "--municipality", "1780", "--type", "V15", *base]) == 0
    out = capsys.readouterr().out
    assert "2 enheter i 1780" in out and "Älvkulleskolan" in out and "Vallargärdet" not in out and "Karlstad" in out
    kolada.add("/v3/kpi/N15419?per_page=5000", (200, {}, page([KPIS["N15419"]])))
    kolada.add(OUDATA, (200, {}, page([unit_data("N15419", "V15E178000201", 2022, 81.5, 70.25, 76.0)])))
    assert main(["kolada", "fetch", "--kpi", "N15419", "--units-of", "1780", "--unit-type", "V15", "--years", "2022",
                 *base]) == 0
    out = capsys.readouterr().out
    assert "3 värden för 1 enheter från Kolada" in out and "oudata_N15419_k1780V15_2022-2022.json" in out
    assert main(["kolada", "fetch", "--kpi", "N15419", "--units-of", "1780", "--unit-type", "V15", "--years", "2022",
                 "--format", "json", *base]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["org_name"] for r in rows} == {"Norrstrandsskolan"} and {r["parent_name"] for r in rows} == {"Karlstad"}
    assert main(["kolada", "fetch", "--kpi", "N15419", "--unit", "V15E178000201", "--municipality", "1780",
                 *base]) == 2


def test_a_unit_is_reported_on_by_its_id_or_name_from_the_fetched_file(kolada, client, capsys):
    """Issue 12.5: jam gaps (and the indicator report) for one school, from what jam kolada fetch --unit wrote."""
    years = {2019: (78.0, 70.0, 74.0), 2020: (80.0, 69.0, 75.0), 2021: (81.0, 71.0, 76.0), 2022: (81.5, 70.25, 76.0)}
    kolada.add("/v3/ou/V15E178000201?per_page=5000", (200, {}, page(SCHOOLS[:1])))
    kolada.add("/v3/kpi/N15419?per_page=5000", (200, {}, page([KPIS["N15419"]])))
    kolada.add("/v3/oudata/kpi/N15419/ou/V15E178000201/year/2019,2020,2021,2022?per_page=5000",
               (200, {}, page([unit_data("N15419", "V15E178000201", y, *v) for y, v in years.items()])))
    client.unit_values(["N15419"], ["V15E178000201"], years="2019-2022")
    for org in ("V15E178000201", "Norrstrandsskolan"):
        assert main(["gaps", "--org", org, "--data", str(client.cache_dir)]) == 0
        out = capsys.readouterr().out
        assert out.startswith("Norrstrandsskolan (V15E178000201)")
        # boys' share reaching the grade criteria is lower each year (higher is better, from the polarity table)
        assert "I Norrstrandsskolan har män haft ett sämre värde än kvinnor" in out
        assert "de senaste 4 åren med värden (2019–2022)" in out
        assert "jämförs inte med någon referens" in out
