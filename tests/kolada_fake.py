"""A fake Kolada on 127.0.0.1 for the client's tests: scripted answers, faults included.

Each path (with its query) gets a list of answers; the last one repeats. An answer is
``(status, headers, body)`` where ``body`` is JSON-able (sent as JSON), ``bytes`` (sent as
they are) or one of the fault shapes below. No test needs the internet.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Slow:
    """Send ``body`` ``size`` bytes at a time with ``pause`` seconds between (a server that drips)."""

    body: bytes
    pause: float
    size: int = 1


@dataclass
class Late:
    """Wait ``seconds`` before answering with ``body`` (a server slower than the client's timeout)."""

    seconds: float
    body: object


@dataclass
class CutOff:
    """Promise ``declared`` bytes in Content-Length, send only ``body``, then close the connection."""

    body: bytes
    declared: int


def record(kpi, code, year, k, m, t, deleted=False, key="municipality"):
    """A Kolada data record with values for women, men and total."""
    return {"kpi": kpi, key: code, "period": year, "values": [
        {"gender": g, "count": 1, "status": "", "value": v, "isdeleted": deleted}
        for g, v in (("K", k), ("M", m), ("T", t))]}


def page(values, next_url=None, count=None, key="next_url"):
    """One page in Kolada's envelope."""
    return {"count": len(values) if count is None else count, key: next_url, "previous_url": None, "values": values}


class Kolada:
    """Scripted answers: path (with query) -> list of (status, headers, body); the last one repeats."""

    def __init__(self):
        self.routes: dict[str, list[tuple[int, dict, object]]] = {}
        self.log: list[str] = []
        self.base = ""

    def add(self, path, *answers):
        self.routes[path] = list(answers)

    def answer(self, path):
        self.log.append(path)
        answers = self.routes.get(path)
        if not answers:
            return 404, {}, {"error": "not found"}
        return answers.pop(0) if len(answers) > 1 else answers[0]

    def hits(self, path):
        return self.log.count(path)


def _serve(script: Kolada):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802
            status, headers, body = script.answer(self.path)
            if isinstance(body, Late):
                time.sleep(body.seconds)
                body = body.body
            declared = None
            if isinstance(body, CutOff):
                declared, data = body.declared, body.body
            elif isinstance(body, Slow):
                data = body.body
            elif isinstance(body, bytes):
                data = body
            else:
                data = json.dumps(body, ensure_ascii=False).encode()
            try:
                self.send_response(status)
                if not any(k.lower() == "content-type" for k in headers):
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(declared if declared is not None else len(data)))
                self.send_header("Connection", "close")
                self.end_headers()
                if isinstance(body, Slow):
                    for start in range(0, len(data), body.size):
                        self.wfile.write(data[start:start + body.size])
                        self.wfile.flush()
                        time.sleep(body.pause)
                else:
                    self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up first, as it should
            self.close_connection = True

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    return server


PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


@pytest.fixture
def kolada(monkeypatch):
    """A running fake Kolada; ``kolada.base`` is its API root ``http://127.0.0.1:<port>/v3``.

    Proxy settings of the machine are removed for the test, so requests go straight to 127.0.0.1.
    """
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    script = Kolada()
    server = _serve(script)
    script.base = f"http://127.0.0.1:{server.server_port}/v3"
    script.server = server
    yield script
    server.shutdown()
    server.server_close()
