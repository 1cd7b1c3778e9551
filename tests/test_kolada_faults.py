"""Kolada faults and ways in, against a fake Kolada on 127.0.0.1 (issue 16, items 5 and 6).

Each fault gives bounded retries and a clear Swedish message and never leaves a cache
file behind, half-written or whole; each way in (a link, a redirect, a name built from
data) is refused before it reaches the network or the disk. Waits are injected, so the
tests take seconds; the two that need real time (a slow server, a timeout) are bounded
to about a second each.
"""

from __future__ import annotations

import json
import time

import pytest

from jamlib.cli import main
from jamlib.errors import JamlibError, ParameterError
from jamlib.ingest.kolada_client import KoladaClient, KoladaError
from tests.kolada_fake import CutOff, Late, Slow, kolada, page, record  # noqa: F401  (kolada is a fixture)

KPI = {"id": "U23401", "title": "Väntetid till särskilt boende, dagar", "is_divided_by_gender": 1}
DATA = "/v3/data/kpi/U23401/municipality/1780?per_page=5000"
GOOD = page([record("U23401", "1780", 2020, 60, 50, 55), record("U23401", "1780", 2021, 70, 52, 61)])


class FakeTime:
    """Injected clock and sleep: waiting advances the clock at once."""

    def __init__(self):
        self.now = 1000.0
        self.waits: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time():
    return FakeTime()


@pytest.fixture
def client(kolada, tmp_path, fake_time):
    kolada.add("/v3/kpi/U23401?per_page=5000", (200, {}, page([KPI])))
    return KoladaClient(base_url=kolada.base, cache_dir=tmp_path / "cache", backoff=0.5, retries=3, timeout=5,
                        sleep=fake_time.sleep, clock=fake_time.clock)


def leftovers(client) -> list[str]:
    """Data files and temporary files in the cache folder (metadata files excepted)."""
    folder = client.cache_dir
    return sorted(p.name for p in folder.glob("*") if p.name.startswith(("data_", "oudata_", ".")))


def html_page() -> bytes:
    return b"<!DOCTYPE html><html><head><title>503 Service Unavailable</title></head><body>Underhall</body></html>"


# Each entry: name, answers for DATA, text the message must contain, requests expected.
FAULTS = [
    ("5xx", [(503, {}, {"error": "unavailable"})], "HTTP 503", 4),
    ("429 utan slut", [(429, {"Retry-After": "2"}, {"error": "slow down"})], "HTTP 429", 4),
    ("trunkerad JSON", [(200, {}, json.dumps(GOOD).encode()[:57])], "avbrutet eller trasigt", 4),
    ("förbindelsen bryts", [(200, {}, CutOff(json.dumps(GOOD).encode()[:40], 5000))], "förbindelsen bröts", 4),
    ("HTML med 200", [(200, {"Content-Type": "text/html"}, html_page())], "webbsida", 4),
    ("HTML som JSON", [(200, {}, html_page())], "webbsida", 4),
    ("tomt svar", [(200, {}, b"")], "tomt svar", 4),
    ("fel form", [(200, {}, {"rows": []})], "Koladas form", 4),
    ("fel nyckeltal", [(200, {}, page([record("N00001", "1780", 2020, 1, 2, 3)]))], "N00001", 4),
    ("fel kommun", [(200, {}, page([record("U23401", "0180", 2020, 1, 2, 3)]))], "0180", 4),
    ("värde som text", [(200, {}, page([{"kpi": "U23401", "municipality": "1780", "period": 2020, "values": [
        {"gender": "K", "value": "=HYPERLINK(\"http://x\")"}]}]))], "inte är ett tal", 4),
    ("count stämmer inte", [(200, {}, page(GOOD["values"], count=5))], "ofullständigt", 3),
    ("JSON i 100 000 nivåer", [(200, {}, b"[" * 100_000 + b"]" * 100_000)], "Koladas form", 4),
]


@pytest.mark.parametrize("name,answers,message,requests", FAULTS, ids=[f[0] for f in FAULTS])
def test_fault_gives_bounded_retries_a_swedish_message_and_no_cache_file(kolada, client, fake_time,
                                                                          name, answers, message, requests):
    kolada.add(DATA, *answers)
    started = time.monotonic()
    with pytest.raises(KoladaError) as error:
        client.values(["U23401"], ["1780"])
    assert message in str(error.value) and DATA.split("?")[0] in str(error.value)
    assert kolada.hits(DATA) == requests  # 1 + 3 retries (an incomplete result: 1 + 2 fetches of the whole)
    assert len(fake_time.waits) == requests - 1 and max(fake_time.waits) <= client.max_retry_after
    assert leftovers(client) == []  # nothing half-written, nothing wrong kept
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("name,answers,message,requests", FAULTS, ids=[f[0] for f in FAULTS])
def test_a_fault_on_refresh_leaves_the_earlier_cache_file_as_it_was(kolada, client, name, answers, message, requests):
    kolada.add(DATA, (200, {}, GOOD))
    first = client.values(["U23401"], ["1780"])
    before = first.files[0].read_bytes()
    kolada.add(DATA, *answers)
    with pytest.raises(KoladaError):
        client.values(["U23401"], ["1780"], refresh=True)
    assert first.files[0].read_bytes() == before
    assert [p.name for p in client.cache_dir.glob(".*")] == []


def test_transient_faults_then_success_are_fetched_and_cached(kolada, client, fake_time):
    kolada.add(DATA, (200, {"Content-Type": "text/html"}, html_page()), (200, {}, json.dumps(GOOD).encode()[:30]),
               (502, {}, {}), (200, {}, GOOD))
    result = client.values(["U23401"], ["1780"])
    assert fake_time.waits == [0.5, 1.0, 2.0]  # exponential backoff
    assert sorted(result.data["period"].unique()) == ["2020", "2021"] and len(result.data) == 6
    assert json.loads(result.files[0].read_text(encoding="utf-8"))["count"] == 2


def test_an_incomplete_result_is_fetched_again_and_then_accepted(kolada, client):
    kolada.add(DATA, (200, {}, page(GOOD["values"][:1], count=2)), (200, {}, GOOD))
    assert len(client.values(["U23401"], ["1780"]).data) == 6 and kolada.hits(DATA) == 2


def test_count_per_page_or_in_total_both_agree(kolada, client):
    second = DATA + "&page=2"
    kolada.add(DATA, (200, {}, page(GOOD["values"][:1], next_url=kolada.base + second[3:], count=1)))
    kolada.add(second, (200, {}, page(GOOD["values"][1:], count=1)))
    assert len(client.values(["U23401"], ["1780"]).data) == 6  # Kolada's v2 documentation: count = page length


def test_retry_after_is_honoured_but_capped(kolada, client, fake_time):
    kolada.add(DATA, (429, {"Retry-After": "86400"}, {}), (503, {"Retry-After": "Wed, 21 Oct 2099 07:28:00 GMT"}, {}),
               (429, {"Retry-After": "nan"}, {}), (200, {}, GOOD))
    client.deadline = 10_000
    client.values(["U23401"], ["1780"])
    assert fake_time.waits == [60.0, 60.0, 60.0]  # a day, a date far ahead and nonsense all wait the cap


def test_the_deadline_bounds_retries_and_waits(kolada, client, fake_time):
    kolada.add(DATA, (503, {"Retry-After": "50"}, {}))
    client.retries, client.deadline = 100, 120
    with pytest.raises(KoladaError, match="tidsgränsen 120 s"):
        client.values(["U23401"], ["1780"])
    assert fake_time.waits == [50.0, 50.0] and kolada.hits(DATA) == 3


def test_a_server_that_drips_is_stopped_at_the_deadline(kolada, tmp_path):
    body = json.dumps(GOOD).encode()
    kolada.add(DATA, (200, {}, Slow(body, pause=0.05)))  # would take ~20 s
    kolada.add("/v3/kpi/U23401?per_page=5000", (200, {}, page([KPI])))
    client = KoladaClient(base_url=kolada.base, cache_dir=tmp_path / "c", timeout=5, deadline=1.0, sleep=lambda s: None)
    started = time.monotonic()
    with pytest.raises(KoladaError, match="tidsgränsen"):
        client.values(["U23401"], ["1780"])
    assert time.monotonic() - started < 4 and leftovers(client) == []


def test_a_timeout_is_retried(kolada, tmp_path):
    kolada.add(DATA, (200, {}, Late(1.0, GOOD)), (200, {}, GOOD))
    kolada.add("/v3/kpi/U23401?per_page=5000", (200, {}, page([KPI])))
    waits: list[float] = []
    client = KoladaClient(base_url=kolada.base, cache_dir=tmp_path / "c", timeout=0.3, sleep=waits.append)
    assert len(client.values(["U23401"], ["1780"]).data) == 6
    assert kolada.hits(DATA) == 2 and len(waits) == 1


def test_timeouts_without_end_give_up_with_a_message(kolada, tmp_path):
    kolada.add(DATA, (200, {}, Late(0.6, GOOD)))
    kolada.add("/v3/kpi/U23401?per_page=5000", (200, {}, page([KPI])))
    client = KoladaClient(base_url=kolada.base, cache_dir=tmp_path / "c", timeout=0.2, retries=1, sleep=lambda s: None)
    with pytest.raises(KoladaError, match="inget svar inom tidsgränsen"):
        client.values(["U23401"], ["1780"])
    assert kolada.hits(DATA) == 2 and leftovers(client) == []


def test_a_damaged_cache_file_is_fetched_again(kolada, client):
    kolada.add(DATA, (200, {}, GOOD))
    path = client.values(["U23401"], ["1780"]).files[0]
    path.write_text(path.read_text(encoding="utf-8")[:50], encoding="utf-8")  # e.g. a copy cut short
    again = client.values(["U23401"], ["1780"])
    assert len(again.data) == 6 and not again.from_cache and kolada.hits(DATA) == 2
    assert any("skadad" in n for n in client.notices)


def test_one_bad_response_does_not_poison_later_runs(kolada, client):
    kolada.add(DATA, (200, {}, page([record("U23401", "9999", 2020, 1, 2, 3)])))
    client.retries = 0
    with pytest.raises(KoladaError, match="9999"):
        client.values(["U23401"], ["1780"])
    kolada.add(DATA, (200, {}, GOOD))
    result = client.values(["U23401"], ["1780"])
    assert set(result.data["org_code"]) == {"1780"} and not result.from_cache


# ------------------------------------------------------------------ ways in: links and redirects
def test_next_url_looping_back_is_refused(kolada, client):
    second = DATA + "&page=2"
    kolada.add(DATA, (200, {}, page(GOOD["values"][:1], next_url=kolada.base + second[3:], count=2)))
    kolada.add(second, (200, {}, page(GOOD["values"][1:], next_url=kolada.base + DATA[3:], count=2)))
    with pytest.raises(KoladaError, match="redan hämtats"):
        client.values(["U23401"], ["1780"])
    assert kolada.hits(DATA) == 1 and kolada.hits(second) == 1 and leftovers(client) == []


@pytest.mark.parametrize("target", [
    "http://evil.example/v3/data/kpi/U23401/municipality/1780?page=2",             # another host
    "https://{host}/v3/data/kpi/U23401/municipality/1780?page=2",                  # another scheme
    "http://{host}/v3/kpi?page=2",                                                 # another path
    "http://{host}/v3/data/kpi/U23401/municipality/1780/../../../../admin?x=1",   # dot segments
    "http://{host}/v3/data/kpi/U23401/municipality/1780/%2e%2e/%2e%2e/x",          # encoded dots
    "http://{host}@evil.example/v3/data/kpi/U23401/municipality/1780?page=2",      # user info
    "file:///etc/passwd",
], ids=["host", "scheme", "path", "dots", "encoded", "userinfo", "file"])
def test_next_url_only_to_the_same_scheme_host_and_path(kolada, client, target):
    host = kolada.base.split("/")[2]
    kolada.add(DATA, (200, {}, page(GOOD["values"][:1], next_url=target.format(host=host), count=2)))
    with pytest.raises(KoladaError, match="följer inte den länken"):
        client.values(["U23401"], ["1780"])
    assert [p for p in kolada.log if "data" in p] == [DATA] and leftovers(client) == []


def test_a_relative_next_url_on_the_same_path_is_followed(kolada, client):
    kolada.add(DATA, (200, {}, page(GOOD["values"][:1], next_url="?per_page=5000&page=2", count=2)))
    kolada.add(DATA + "&page=2", (200, {}, page(GOOD["values"][1:], count=2)))
    assert len(client.values(["U23401"], ["1780"]).data) == 6


def test_pages_are_capped(kolada, client):
    for number in range(1, 12):
        path = DATA + (f"&page={number}" if number > 1 else "")
        kolada.add(path, (200, {}, page([record("U23401", "1780", 2000 + number, 1, 2, 3)],
                                        next_url=kolada.base + f"{DATA[3:]}&page={number + 1}", count=100)))
    client.max_pages = 5
    with pytest.raises(KoladaError, match="fler än 5 sidor"):
        client.values(["U23401"], ["1780"])
    assert sum("/data/" in p for p in kolada.log) == 5 and leftovers(client) == []


def test_redirects_may_not_leave_the_api(kolada, client):
    port = kolada.base.split(":")[2].split("/")[0]
    kolada.add(DATA, (302, {"Location": f"http://localhost:{port}/admin/secret"}, {}))
    with pytest.raises(KoladaError, match="utanför"):
        client.values(["U23401"], ["1780"])
    assert "/admin/secret" not in kolada.log and leftovers(client) == []


def test_a_redirect_within_the_api_is_followed(kolada, client):
    kolada.add(DATA, (301, {"Location": "/v3/data/kpi/U23401/municipality/1780?per_page=5000&moved=1"}, {}))
    kolada.add(DATA + "&moved=1", (200, {}, GOOD))
    assert len(client.values(["U23401"], ["1780"]).data) == 6


def test_an_oversized_answer_is_refused(kolada, client):
    kolada.add(DATA, (200, {}, GOOD))
    assert len(json.dumps(page([KPI]))) < 250 < len(json.dumps(GOOD))
    client.max_bytes = 250
    with pytest.raises(KoladaError, match="större än"):
        client.values(["U23401"], ["1780"])
    assert kolada.hits(DATA) == 1 and leftovers(client) == []


# ------------------------------------------------------------------ ways in: names built from data
@pytest.mark.parametrize("option,value", [
    ("--municipality", "../.."), ("--municipality", "../../../etc/passwd"), ("--municipality", "con"),
    ("--municipality", "1780/../../x"), ("--municipality", "1780?per_page=1"), ("--kpi", "../../x"),
    ("--kpi", "nul"), ("--kpi", "AUX"), ("--kpi", "U23401/../../kpi"), ("--from-date", "../../x"),
    ("--years", "../2020"), ("--unit", "com1"), ("--unit", "../x"), ("--unit", "V15E1\\..\\x"),
    ("--units-of", "lpt1"), ("--units-of", ".."), ("--kpi-group", "../g"),
])
def test_no_value_from_the_command_line_reaches_a_path_or_a_url(kolada, tmp_path, capsys, option, value):
    cache = tmp_path / "deep" / "cache"
    args = ["kolada", "fetch", "--cache", str(cache), "--base-url", kolada.base, option, value]
    if option != "--kpi":
        args += ["--kpi", "U23401"]
    before = sorted(p for p in tmp_path.rglob("*"))
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "förstås inte" in err and "Traceback" not in err
    assert kolada.log == [] and sorted(p for p in tmp_path.rglob("*")) == before


@pytest.mark.parametrize("name", ["../x.json", "..json", "a/b.json", "a\\b.json", "con.json", "NUL.json", "com1.json",
                                  "lpt9.json", "con .json", ".hidden.json", "data_x.txt", "/etc/passwd"])
def test_cache_names_stay_inside_the_cache_folder(tmp_path, name):
    client = KoladaClient(cache_dir=tmp_path)
    with pytest.raises(ParameterError):
        client._cache_path(name)


def test_a_group_id_from_data_is_refused_as_a_group(kolada, client):
    with pytest.raises(JamlibError, match="förstås inte"):
        client.group_kpis("../../etc")
    assert kolada.log == []


def test_a_base_url_with_credentials_or_another_scheme_is_refused():
    for url in ("file:///etc/passwd", "http://user:pw@api.kolada.se/v3", "ftp://api.kolada.se/v3"):
        with pytest.raises(ParameterError):
            KoladaClient(base_url=url)
