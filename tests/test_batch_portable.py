"""`jam batch` everywhere: without fork (Windows), with reports that fail, crash or hang, and with Ctrl-C.

The fault tests run on both start methods: ``fork`` (Linux, macOS) and ``spawn``
(what Windows gets; forced here with ``JAMLIB_BATCH_START=spawn`` or by
removing ``os.fork`` in the subprocess, as on Windows).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from jamlib.errors import ParameterError
from jamlib.run.batch import START_METHOD_ENV, run_batch, start_method
from jamlib.vocabulary import BatchStatus
from tests.conftest import ROOT

posix_only = pytest.mark.skipif(os.name != "posix", reason="testet skickar POSIX-signaler")

#: ``jam`` as a user runs it, and ``jam`` on a Python without os.fork (as on Windows).
JAM = [sys.executable, "-m", "jamlib.cli"]
JAM_WITHOUT_FORK = [sys.executable, "-c", "import os; del os.fork; from jamlib.cli import main; raise SystemExit(main())"]

#: One notebook, four fates: 1780 finishes, 0180 hangs (with a process of its own), 0880 crashes, 1080 fails.
#: Every report also checks that nothing leaked from an earlier one into its process.
FAULTS = '''import os, sys, time, subprocess, pathlib
import jamlib
assert not hasattr(jamlib, "_förra"), f"läckt från {jamlib._förra}"
assert "JAM_FORRA" not in os.environ, "läckt miljövariabel"
jamlib._förra = kommunkod
os.environ["JAM_FORRA"] = kommunkod
mapp = pathlib.Path(pidmapp)
(mapp / f"{kommunkod}.pid").write_text(str(os.getpid()))
print(f"start {kommunkod}", flush=True)
if kommunkod == "0180":
    barn = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
    (mapp / f"{kommunkod}.barn").write_text(str(barn.pid))
    print("före sömnen", flush=True)
    time.sleep(300)
elif kommunkod == "0880":
    print("före kraschen", flush=True)
    os._exit(3)
elif kommunkod == "1080":
    raise ValueError("vanligt fel")
print("ok", kommunkod)
'''


def faults_notebook(folder: Path) -> Path:
    path = folder / "fel.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell('kommunkod = "1780"\npidmapp = "."', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(FAULTS)],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}), str(path))
    return path


def _as_from_a_terminal() -> None:
    """Start the command as a terminal does: Ctrl-C neither ignored nor blocked.

    In the whole suite the pytest process may carry an ignored or blocked SIGINT from earlier tests
    (browser fixtures, in-process batches), and a child inherits both; then jam never sees the Ctrl-C.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})


def gone(pid: int, wait: float = 10.0) -> bool:
    """Whether a process has ended (a zombie waiting for its reaper counts as ended)."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.1)
    return False


def test_fork_is_used_where_it_exists_and_spawn_elsewhere(monkeypatch):
    monkeypatch.delenv(START_METHOD_ENV, raising=False)
    assert start_method() == ("fork" if hasattr(os, "fork") else "spawn")
    monkeypatch.setenv(START_METHOD_ENV, "spawn")
    assert start_method() == "spawn"
    monkeypatch.delenv(START_METHOD_ENV)
    monkeypatch.delattr(os, "fork", raising=False)
    assert start_method() == "spawn" and start_method("fork") == "spawn"
    with pytest.raises(ParameterError, match="Startsättet"):
        start_method("thread")


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_a_report_that_fails_crashes_or_hangs_costs_only_itself(tmp_path, method):
    if method == "fork" and not hasattr(os, "fork"):
        pytest.skip("fork finns inte på den här plattformen")
    notebook = faults_notebook(tmp_path)
    out = tmp_path / "ut"
    lines: list[str] = []
    result = run_batch(notebook, [("1780", "Karlstad"), ("0180", "Stockholm"), ("0880", "Kalmar"), ("1080", "Karlskrona")],
                       out, workers=2, parameters={"pidmapp": str(tmp_path)}, timeout=15, progress=lines.append,
                       method=method)
    assert result.method == method and not result.interrupted
    entry = {e.code: e for e in result.entries}
    assert entry["1780"].status == BatchStatus.DONE and (out / "1780_karlstad.html").exists()
    # The hanging report is stopped, marked, and so is the process it started.
    assert entry["0180"].status == BatchStatus.TIMED_OUT and "tidsgräns" in entry["0180"].message
    assert gone(int((tmp_path / "0180.pid").read_text())) and gone(int((tmp_path / "0180.barn").read_text()))
    # A crash is told apart from a time-out, and the logs keep what the reports printed.
    assert entry["0880"].status == BatchStatus.FAILED and "kraschade" in entry["0880"].message
    assert entry["0880"].message != entry["0180"].message and "tidsgräns" not in entry["0880"].message
    hung = (out / "loggar" / "0180_stockholm.log").read_text(encoding="utf-8")
    crashed = (out / "loggar" / "0880_kalmar.log").read_text(encoding="utf-8")
    assert "före sömnen" in hung and "stoppades efter 15 s" in hung
    assert "före kraschen" in crashed and "kraschade" in crashed
    assert entry["1080"].status == BatchStatus.FAILED and entry["1080"].message == "ValueError: vanligt fel"
    index = result.index.read_text(encoding="utf-8")
    assert "avbruten: tog för lång tid" in index and "kraschade" in index and "1780_karlstad.html" in index
    assert len(lines) == 4 and any("0180 Stockholm: avbruten: tog för lång tid" in line for line in lines)


def _wait_for(path: Path, process: subprocess.Popen, seconds: float = 240) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if process.poll() is not None:
            raise AssertionError(process.communicate()[0])
        assert time.monotonic() < deadline, f"{path.name} kom aldrig"
        time.sleep(0.2)


@posix_only
@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_ctrl_c_keeps_finished_reports_stops_workers_and_writes_the_index(tmp_path, method):
    notebook = faults_notebook(tmp_path)
    out = tmp_path / "ut"
    command = (JAM if method == "fork" else JAM_WITHOUT_FORK) + [
        "batch", str(notebook), "--org", "1780,0180,1080", "--workers", "1", "--out", str(out),
        "-p", f"pidmapp={tmp_path}"]
    environment = {**os.environ}
    environment.pop(START_METHOD_ENV, None)
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env=environment, preexec_fn=_as_from_a_terminal)
    _wait_for(tmp_path / "0180.barn", process)  # Karlstad is done, Stockholm hangs, Karlskrona waits
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 130, output
    assert "Avbrutet" in output and "1 klara rapporter är sparade, 2 inte körda" in output
    assert "Traceback" not in output
    assert (out / "1780_karlstad.html").exists() and not (out / "0180_stockholm.html").exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    rows = {code: row for code, row in re.findall(r"<tr><td>(\d{4})</td>(.*?)</tr>", index)}
    assert "klar" in rows["1780"] and "inte körd" in rows["0180"] and "inte körd" in rows["1080"]
    assert gone(int((tmp_path / "0180.pid").read_text())) and gone(int((tmp_path / "0180.barn").read_text()))
    assert not (tmp_path / "1080.pid").exists()


def _statuses(folder: Path) -> dict[str, str]:
    index = (folder / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr><td>([^<]*)</td><td>(?:<a href=\"([^\"]+)\">)?([^<]*)(?:</a>)?</td><td><span[^>]*>([^<]*)", index)
    return {name: (link, status) for _, link, name, status in rows}


def test_jam_batch_for_a_region_without_fork(tmp_path):
    """`jam batch notebooks/indikatorrapport.ipynb --org 0017` with the notebook's defaults, on a Python without fork."""
    out = tmp_path / "ut"
    result = subprocess.run(JAM_WITHOUT_FORK + ["batch", "notebooks/indikatorrapport.ipynb", "--org", "0017", "--out",
                                                str(out)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 klara, 0 med fel" in result.stdout
    assert sorted(p.name for p in out.glob("*.html")) == ["0017_region_värmland.html", "index.html"]
    region = (out / "0017_region_värmland.html").read_text(encoding="utf-8")
    assert "Region Värmland (0017)" in region and "ingen grupp" in region and "med riket" in region
    assert not list((out / "loggar").glob(".*"))  # the shared Vega file is cleaned up


def test_jam_demo_gives_the_same_reports_and_index_without_fork(tmp_path):
    outcomes, texts = {}, {}
    for method, command in (("fork", JAM), ("spawn", JAM_WITHOUT_FORK)):
        out = tmp_path / method
        result = subprocess.run(command + ["demo", "--processed", str(tmp_path / f"data_{method}"), "--out", str(out)],
                                cwd=ROOT, capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        assert "16 av 16 rapporter klara" in result.stdout  # 14 + Rekarnebygymnasiet and Kfast AB (own statistics)
        outcomes[method] = (sorted(p.name for p in out.glob("*.html")), _statuses(out))
        texts[method] = {p.name: _visible_text(p, method) for p in out.glob("*.html") if p.name != "index.html"}
    assert outcomes["fork"] == outcomes["spawn"]
    assert len(outcomes["spawn"][0]) == 17 and set(s for _, s in outcomes["spawn"][1].values()) == {"klar"}
    for name, text in texts["fork"].items():  # the same words and numbers in every report, whichever way it ran
        assert len(text) > 200 and text == texts["spawn"][name], name


def _visible_text(page, method: str) -> str:
    """What a reader sees of a report, without the time it was made and the run's own folder names."""
    import html as _html
    import re as _re

    markup = page.read_text(encoding="utf-8")
    markup = _re.sub(r"<script.*?</script>|<style.*?</style>", "", markup, flags=_re.S)
    text = _re.sub(r"\s+", " ", _html.unescape(_re.sub(r"<[^>]+>", " ", markup)))
    text = _re.sub(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?", "<tid>", text)
    return text.replace(f"data_{method}", "data_").replace(f"/{method}/", "/")
