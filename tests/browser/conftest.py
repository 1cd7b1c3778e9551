"""Headless Debian Chromium driven by Playwright, and a JupyterLab server on 127.0.0.1, for the browser tests.

Chromium is the system's (``/usr/bin/chromium``, installed by ``.ci/run``); Playwright never downloads a
browser. Every request that leaves this machine is aborted, so what the tests see is what a reader without
network sees. Screenshots go to ``build/testartefakter/`` (git-ignored, outside ``outputs/``).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / "build" / "testartefakter"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


def chromium_path() -> str | None:
    """The system chromium, or ``None``."""
    for candidate in ("/usr/bin/chromium", shutil.which("chromium") or "", shutil.which("chromium-browser") or ""):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def _skip_reason() -> str | None:
    if chromium_path() is None:
        return "chromium saknas (apt-get install chromium); .ci/run installerar den"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Pythonpaketet playwright saknas (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="session")
def browser():
    """One headless chromium for the session."""
    reason = _skip_reason()
    if reason:
        print(f"\nHOPPAR ÖVER webbläsartesterna: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS, headless=True)
        yield chromium
        chromium.close()


def offline_page(browser, allowed: tuple[str, ...], viewport=(1280, 1000)):
    """A new page whose requests go only to addresses starting with one of ``allowed``; the rest are aborted.

    Returns
    -------
    tuple
        ``(page, blocked)``: the page and the list that collects aborted addresses.
    """
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, locale="sv-SE")
    page = context.new_page()
    blocked: list[str] = []

    def route(request_route):
        url = request_route.request.url
        if url.startswith(allowed):
            request_route.continue_()
        else:
            blocked.append(url)
            request_route.abort()

    page.route("**/*", route)
    return page, blocked


def artefacts(name: str) -> Path:
    """A fresh folder for one test's screenshots under ``build/testartefakter/``."""
    folder = ARTEFACTS / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_jupyterlab(base: Path):
    """JupyterLab on 127.0.0.1 (free port, token, no browser) serving copies of the notebooks and the data.

    Yields
    ------
    dict
        ``url`` (the server's base address), ``token``, ``root`` (the served folder) and ``log``.
    """
    root = base / "rot"
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    shutil.copytree(ROOT / "data" / "raw", root / "data" / "raw")
    settings = base / "installningar" / "@jupyterlab"
    for extension, values in (("apputils-extension/notification", {"fetchNews": "false", "checkForUpdates": False}),
                              ("notebook-extension/tracker", {"windowingMode": "none"})):  # every cell in the page
        path = settings / f"{extension}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(base / "config"), JUPYTER_RUNTIME_DIR=str(base / "runtime"),
               IPYTHONDIR=str(base / "ipython"), PYTHONUNBUFFERED="1")
    log_path = base / "jupyterlab.log"
    log = open(log_path, "w", encoding="utf-8")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         f"--LabApp.user_settings_dir={base / 'installningar'}", f"--LabApp.workspaces_dir={base / 'arbetsytor'}",
         "--LabApp.extension_manager=readonly", "--ServerApp.terminals_enabled=False",
         *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])],
        stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                log.flush()
                raise AssertionError("JupyterLab startade inte:\n" + log_path.read_text(encoding="utf-8")[-3000:])
            time.sleep(0.5)
        yield {"url": url, "token": token, "root": root, "log": log_path}
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)
        log.close()


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    """A running JupyterLab for the module's tests (see :func:`running_jupyterlab`)."""
    reason = _skip_reason()
    if reason:
        print(f"\nHOPPAR ÖVER JupyterLab-testet: {reason}")
        pytest.skip(reason)
    with running_jupyterlab(tmp_path_factory.mktemp("jupyterlab")) as server:
        yield server
