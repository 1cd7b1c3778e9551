"""The Kolada v3 client against a local HTTP server that answers in Kolada's shapes.

No test needs the internet: the server runs on 127.0.0.1 and serves several
pages, a 429 with Retry-After, a 500 followed by success, a deleted row, an
unknown id, a v2-style ``next_page`` and a short (incomplete) answer.
"""

from __future__ import annotations

import shutil

import pytest

from jamlib.cli import main
from jamlib.report.indicator_report import indicator_report, load_indicator_folder
from jamlib.ingest.kolada_client import KoladaClient, KoladaError, parse_years
from tests.conftest import RAW
from tests.kolada_fake import kolada, page, record  # noqa: F401  (kolada is a fixture)


KPI_META = {"U23401": {"id": "U23401", "title": "Väntetid till särskilt boende, dagar", "description": "Medelvärde",
                       "is_divided_by_gender": 1, "operating_area": "Äldreomsorg", "municipality_type": "K"}}


@pytest.fixture
def client(kolada, tmp_path):
    waits: list[float] = []
    kolada.add("/v3/kpi/U23401?per_page=5000", (200, {}, page([KPI_META["U23401"]])))
    c = KoladaClient(base_url=kolada.base, cache_dir=tmp_path / "kolada", backoff=0.5, sleep=waits.append, timeout=5)
    c.waits = waits
    return c


def test_pages_429_retry_after_and_deleted_rows(kolada, client):
    path = "/v3/data/kpi/U23401/municipality/1780/year/2018,2019,2020?per_page=5000"
    second = kolada.base + "/data/kpi/U23401/municipality/1780/year/2018,2019,2020?per_page=5000&page=2"
    kolada.add(path, (429, {"Retry-After": "3"}, {"error": "too many"}),
               (200, {}, page([record("U23401", "1780", 2018, 60, 50, 55), record("U23401", "1780", 2019, 70, 52, 61)],
                              next_url=second, count=3)))
    kolada.add(path.replace("per_page=5000", "per_page=5000&page=2"),
               (200, {}, page([record("U23401", "1780", 2020, 80, 40, 60, deleted=True)], count=3)))
    result = client.values(["U23401"], ["1780"], years="2018-2020")
    assert client.waits == [3.0]  # Retry-After honoured
    assert sorted(result.data["period"].unique()) == ["2018", "2019"]  # the deleted 2020 values are out
    assert any("raderade" in w for w in result.warnings)
    assert result.data["indicator_title"].iloc[0] == "Väntetid till särskilt boende, dagar"
    assert set(result.data["polarity"]) == {"lägre är bättre"}  # curated, not from Kolada
    with_deleted = client.values(["U23401"], ["1780"], years="2018-2020", include_deleted=True)
    assert "2020" in set(with_deleted.data["period"]) and with_deleted.from_cache


def test_500_then_success_and_exponential_backoff(kolada, client):
    path = "/v3/data/kpi/U23401/municipality/0180?per_page=5000"
    kolada.add(path, (500, {}, {}), (503, {}, {}), (200, {}, page([record("U23401", "0180", 2020, 1, 2, 3)])))
    result = client.values(["U23401"], ["0180"])
    assert client.waits == [0.5, 1.0] and len(result.data) == 3


def test_giving_up_after_retries_names_the_url(kolada, client):
    path = "/v3/data/kpi/U23401/municipality/0180?per_page=5000"
    kolada.add(path, (500, {}, {}))
    client.retries = 2
    with pytest.raises(KoladaError, match="0180") as error:
        client.values(["U23401"], ["0180"])
    assert error.value.status == 500 and len(client.waits) == 2
    assert not list(client.cache_dir.glob("data_*.json"))  # nothing partial left behind


def test_4xx_is_a_clear_error_with_the_url(kolada, client):
    with pytest.raises(KoladaError, match=r"HTTP 404.*|/v3/data/kpi/U23401"):
        client.values(["U23401"], ["0180"], years="2020")


def test_unknown_ids_warn_and_nothing_is_invented(kolada, client):
    kolada.add("/v3/kpi/X99999?per_page=5000", (200, {}, page([])))
    kolada.add("/v3/data/kpi/X99999/municipality/1780?per_page=5000", (200, {}, page([])))
    result = client.values(["X99999"], ["1780"])
    assert result.data.empty and any("inga värden alls" in w for w in result.warnings)
    kolada.add("/v3/data/kpi/U23401/municipality/1780,9999?per_page=5000",
               (200, {}, page([record("U23401", "1780", 2020, 1, 2, 3)])))
    result = client.values(["U23401"], ["1780", "9999"])
    assert any("9999" in w for w in result.warnings)


def test_incomplete_answer_is_refused(kolada, client):
    kolada.add("/v3/data/kpi/U23401/municipality/1780?per_page=5000",
               (200, {}, page([record("U23401", "1780", 2020, 1, 2, 3)], count=5)))
    with pytest.raises(KoladaError, match="ofullständigt"):
        client.values(["U23401"], ["1780"])


def test_more_than_25_ids_are_chunked_and_merged(kolada, client):
    from jamlib.organisations import municipalities

    all_codes = municipalities()
    codes = list(all_codes.loc[all_codes["type"] == "K", "code"][:30])
    first, second = ",".join(codes[:25]), ",".join(codes[25:])
    kolada.add(f"/v3/data/kpi/U23401/municipality/{first}?per_page=5000",
               (200, {}, page([record("U23401", c, 2020, 1, 2, 3) for c in codes[:25]])))
    kolada.add(f"/v3/data/kpi/U23401/municipality/{second}?per_page=5000",
               (200, {}, page([record("U23401", c, 2020, 1, 2, 3) for c in codes[25:]])))
    result = client.values(["U23401"], codes)
    assert result.data["org_code"].nunique() == 30
    assert sum("/data/kpi/" in p for p in kolada.log) == 2


def test_cache_is_reused_unless_refresh(kolada, client):
    path = "/v3/data/kpi/U23401/municipality/1780?per_page=5000"
    kolada.add(path, (200, {}, page([record("U23401", "1780", 2020, 1, 2, 3)])))
    client.values(["U23401"], ["1780"])
    calls = len(kolada.log)
    again = client.values(["U23401"], ["1780"])
    assert len(kolada.log) == calls and again.from_cache
    client.values(["U23401"], ["1780"], refresh=True)
    assert len(kolada.log) > calls


def test_v2_next_page_and_metadata_search(kolada, client):
    kolada.add("/v3/municipality?per_page=5000",
               (200, {}, page([{"id": "1780", "title": "Karlstad", "type": "K"}], next_url=kolada.base + "/municipality?per_page=5000&page=2", key="next_page", count=2)))
    kolada.add("/v3/municipality?per_page=5000&page=2", (200, {}, page([{"id": "0000", "title": "Riket", "type": "L"}], key="next_page", count=2)))
    assert list(client.municipalities()["id"]) == ["1780", "0000"]
    assert list(client.municipalities(search="karl")["title"]) == ["Karlstad"]
    kolada.add("/v3/kpi?per_page=5000", (200, {}, page([
        KPI_META["U23401"],
        {"id": "N00001", "title": "Invånare totalt", "description": "antal", "is_divided_by_gender": 0,
         "operating_area": "Befolkning", "municipality_type": "A"}])))
    assert list(client.kpis("väntetid")["id"]) == ["U23401"]
    assert list(client.kpis("medelvärde", gender_divided=True)["id"]) == ["U23401"]  # found in the description
    assert list(client.kpis(gender_divided=False)["id"]) == ["N00001"]


def test_fetched_cache_and_bundled_snapshot_load_through_the_same_path(kolada, client, tmp_path):
    folder = tmp_path / "kolada"
    folder.mkdir(exist_ok=True)
    shutil.copy(RAW / "kolada" / "data_U23401.json", folder)
    shutil.copy(RAW / "kolada" / "kpi.json", folder)
    kolada.add("/v3/data/kpi/U23401/municipality/1780/year/2023?per_page=5000",
               (200, {}, page([record("U23401", "1780", 2023, 90, 45, 70)])))
    client.values(["U23401"], ["1780"], years="2023")
    data = load_indicator_folder(folder)
    karlstad = data[(data["org_code"] == "1780") & (data["indicator_id"] == "U23401")]
    assert {"2022", "2023"} <= set(karlstad["period"])  # snapshot years and the fetched year together
    report = indicator_report(data, "1780", ["U23401"], reference="riket")
    assert report.persistence.iloc[0]["latest_period"] == "2023"
    assert report.persistence.iloc[0]["disadvantaged"] == "K"


def test_cli_fetch_and_groups_against_the_local_server(kolada, tmp_path, capsys):
    cache = tmp_path / "cli"
    kolada.add("/v3/kpi/U23401?per_page=5000", (200, {}, page([KPI_META["U23401"]])))
    kolada.add("/v3/data/kpi/U23401/municipality/1780/year/2015,2016?per_page=5000",
               (200, {}, page([record("U23401", "1780", 2015, 1, 2, 3)])))
    code = main(["kolada", "fetch", "--kpi", "U23401", "--municipality", "1780", "--years", "2015-2016",
                 "--cache", str(cache), "--base-url", kolada.base])
    captured = capsys.readouterr()
    assert code == 0 and "3 värden från Kolada" in captured.out and "sida 1" in captured.err
    shutil.copy(RAW / "kolada" / "municipality_groups.json", cache)
    assert main(["kolada", "groups", "--municipality", "1780", "--cache", str(cache), "--base-url", kolada.base]) == 0
    assert "Liknande kommuner äldreomsorg, Karlstad, 2024" in capsys.readouterr().out
    assert main(["kolada", "fetch", "--kpi", "U23401", "--years", "20x5", "--cache", str(cache),
                 "--base-url", kolada.base]) == 2


def test_parse_years():
    assert parse_years("2015-2017") == [2015, 2016, 2017]
    assert parse_years("2018, 2020") == [2018, 2020]
