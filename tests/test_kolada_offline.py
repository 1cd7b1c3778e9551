"""Offline-first Kolada (issue 11, item 5): no contact is said at once, in Swedish, with what to do.

A refused connection is real (a closed port on 127.0.0.1); a failed name lookup is
simulated by replacing ``socket.getaddrinfo``, so no test asks a DNS server. The proxy
test runs a second fake server on 127.0.0.1 as the proxy.
"""

from __future__ import annotations

import json
import socket
import time

import pytest

from jamlib.cli import main
from jamlib.ingest import kolada_client
from jamlib.ingest.kolada_client import KoladaClient, KoladaOfflineError
from tests.kolada_fake import PROXY_VARIABLES, Kolada, _serve, kolada, page, record  # noqa: F401

KPI = {"id": "U23401", "title": "Väntetid till särskilt boende, dagar", "is_divided_by_gender": 1}


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def offline_client(tmp_path, port, waits):
    return KoladaClient(base_url=f"http://127.0.0.1:{port}/v3", cache_dir=tmp_path / "cache", sleep=waits.append)


def test_a_refused_connection_is_not_retried_and_says_what_to_do(tmp_path, closed_port):
    waits: list[float] = []
    started = time.monotonic()
    with pytest.raises(KoladaOfflineError) as error:
        offline_client(tmp_path, closed_port, waits).values(["U23401"], ["1780"])
    text = str(error.value)
    assert text.startswith("Ingen kontakt med internet") and "anslutningen nekades" in text
    assert "HTTPS_PROXY" in text and "data/raw/kolada/" in text and "U23401" in text and "jam gaps" in text
    assert waits == [] and time.monotonic() - started < 3
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").glob("data_*"))


def test_a_failed_name_lookup_is_asked_once(tmp_path, monkeypatch):
    calls: list[str] = []

    def no_dns(host, *args, **kwargs):
        calls.append(host)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    waits: list[float] = []
    client = KoladaClient(base_url="https://api.kolada.se/v3", cache_dir=tmp_path / "c", sleep=waits.append)
    with pytest.raises(KoladaOfflineError, match="Ingen kontakt med internet.*api.kolada.se kunde inte slås upp"):
        client.municipalities(refresh=True)
    assert calls == ["api.kolada.se"] and waits == []


def test_the_proxy_in_the_environment_is_used(tmp_path, monkeypatch):
    proxy = Kolada()
    server = _serve(proxy)
    try:
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{server.server_port}")
        monkeypatch.setattr(socket, "getaddrinfo", _only_localhost(socket.getaddrinfo))
        proxy.add("http://kolada.invalid/v3/kpi?per_page=5000", (200, {}, page([KPI])))
        client = KoladaClient(base_url="http://kolada.invalid/v3", cache_dir=tmp_path / "c", sleep=lambda s: None)
        assert list(client.kpis("väntetid")["id"]) == ["U23401"]
        assert proxy.log == ["http://kolada.invalid/v3/kpi?per_page=5000"]  # asked through the proxy
    finally:
        server.shutdown()
        server.server_close()


def _only_localhost(real):
    def lookup(host, *args, **kwargs):
        if host not in ("127.0.0.1", "localhost"):
            raise socket.gaierror(socket.EAI_NONAME, "no DNS in this test")
        return real(host, *args, **kwargs)

    return lookup


def test_a_proxy_that_does_not_answer_is_named_without_its_password(tmp_path, monkeypatch, closed_port):
    monkeypatch.setenv("HTTPS_PROXY", f"http://anna:hemligt@127.0.0.1:{closed_port}")
    client = KoladaClient(base_url="https://api.kolada.se/v3", cache_dir=tmp_path / "c", sleep=lambda s: None)
    with pytest.raises(KoladaOfflineError) as error:
        client.municipalities(refresh=True)
    text = str(error.value)
    assert f"127.0.0.1:{closed_port}" in text and "hemligt" not in text and "anna" not in text


def test_search_falls_back_to_the_bundled_metadata_and_says_so(tmp_path, closed_port, capsys):
    code = main(["kolada", "search", "väntetid", "särskilt", "boende", "--kon", "--cache", str(tmp_path / "tom"),
                 "--base-url", f"http://127.0.0.1:{closed_port}/v3"])
    captured = capsys.readouterr()
    assert code == 0 and "U23401" in captured.out
    assert "Ingen kontakt med internet (anslutningen nekades)" in captured.err
    assert "kpi_gender_split.json" in captured.err and "medföljande" in captured.err
    assert "Traceback" not in captured.err


def test_search_fallback_keeps_json_output_clean(tmp_path, closed_port, capsys):
    assert main(["kolada", "search", "fallskador", "--format", "json", "--cache", str(tmp_path / "tom"),
                 "--base-url", f"http://127.0.0.1:{closed_port}/v3"]) == 0
    captured = capsys.readouterr()
    found = json.loads(captured.out)
    assert "N20402" in {row["id"] for row in found} and all(row["is_divided_by_gender"] for row in found)
    assert "Ingen kontakt" in captured.err


def test_search_without_any_bundled_metadata_gives_the_offline_message(tmp_path, closed_port, capsys, monkeypatch):
    monkeypatch.setattr(kolada_client, "_SNAPSHOT_DIR", tmp_path / "ingenting")
    code = main(["kolada", "search", "väntetid", "--cache", str(tmp_path / "tom"),
                 "--base-url", f"http://127.0.0.1:{closed_port}/v3"])
    err = capsys.readouterr().err
    assert code == 2 and "Ingen kontakt med internet" in err and "Traceback" not in err


def test_fetch_offline_exits_2_with_the_message_and_writes_nothing(tmp_path, closed_port, capsys):
    cache = tmp_path / "cache"
    code = main(["kolada", "fetch", "--kpi", "U23401", "--municipality", "1780", "--cache", str(cache),
                 "--base-url", f"http://127.0.0.1:{closed_port}/v3"])
    err = capsys.readouterr().err
    assert code == 2 and "Ingen kontakt med internet" in err and "HTTPS_PROXY" in err and "Traceback" not in err
    assert not cache.exists() or not list(cache.glob("data_*"))


def test_what_was_fetched_before_is_used_offline(kolada, tmp_path, closed_port):
    kolada.add("/v3/kpi/U23401?per_page=5000", (200, {}, page([KPI])))
    kolada.add("/v3/data/kpi/U23401/municipality/1780?per_page=5000",
               (200, {}, page([record("U23401", "1780", 2020, 60, 50, 55)])))
    online = KoladaClient(base_url=kolada.base, cache_dir=tmp_path / "cache")
    online.values(["U23401"], ["1780"])
    (tmp_path / "cache" / "kpi.json").unlink()  # even the titles: the bundled list has them
    waits: list[float] = []
    offline = offline_client(tmp_path, closed_port, waits)
    result = offline.values(["U23401"], ["1780"])
    assert result.from_cache and len(result.data) == 3 and waits == []
    assert any("medföljande" in n for n in offline.notices)


def test_groups_offline_read_the_bundled_file(tmp_path, closed_port):
    import shutil

    cache = tmp_path / "cache"
    cache.mkdir()
    shutil.copy(kolada_client._SNAPSHOT_DIR / "municipality_groups.json", cache)
    groups = offline_client(tmp_path, closed_port, []).groups("1780")
    assert "Liknande kommuner äldreomsorg, Karlstad, 2024" in set(groups["group_title"])
