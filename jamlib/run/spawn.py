"""The batch runner's spawn path: warm worker processes that take one report each.

Where :func:`os.fork` does not exist (Windows) :mod:`jamlib.run.batch` cannot
copy a warm process, so it starts workers instead: each is a new Python
process (``python -m jamlib.run.worker``) that imports everything and loads
the notebooks' data, says it is ready, takes exactly one report, runs it with
:func:`jamlib.run.batch.run_report` and exits. Isolation therefore holds as on
the fork path: no report sees what another one defined.

Warming up costs seconds, so one worker more than ``workers`` is kept warming
while the others run reports (``bench/bench_batch.py --spawn``
measures the cost per report). A worker is started in a process group of its
own, so that stopping it for a time-out or Ctrl-C also stops what the report
started (``taskkill /T`` on Windows, the process group elsewhere).

The parent builds the Vega libraries (seconds of work) once and leaves them in
a file that every worker reads.

Protocol (UTF-8 JSON lines): the parent writes ``{"warm": {"notebooks": [...],
"vega": path}}``; the worker answers ``ready`` on its standard output when warm; the parent writes
``{"job": {...}, "out_dir": ...}`` and closes the pipe, or just closes it when
no report is left (the worker then exits). From then on the worker's output
goes to the report's log.
"""

from __future__ import annotations

import collections
import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable

from jamlib.report.html import IndexEntry
from jamlib.vocabulary import BatchStatus

__all__ = ["run_spawned", "use_shared_vega_bundle", "READY"]

#: What a worker prints when it is warm and waits for its report.
READY = "jamlib-arbetare-redo"

#: Seconds an idle worker is given to exit after its pipe is closed.
_EXIT_GRACE = 10.0


class _Worker:
    """One spawned worker process and what the parent knows about it."""

    def __init__(self, warm: dict) -> None:
        options: dict = {}
        if os.name == "nt":  # pragma: no cover - Windows: Ctrl-C reaches only the parent, which stops the workers
            options["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP
        else:
            options["start_new_session"] = True
        self.process = subprocess.Popen([sys.executable, "-m", "jamlib.run.worker"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **options)
        self.ready = threading.Event()
        self.output: collections.deque[str] = collections.deque(maxlen=40)
        self.job = None
        self.began = 0.0
        self.timed_out = False
        self._send({"warm": warm}, close=False)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            line = raw.decode("utf-8", "replace").rstrip()
            if line == READY:
                self.ready.set()
            elif line:
                self.output.append(line)
        self.process.stdout.close()

    def _send(self, message: dict | None, close: bool) -> None:
        assert self.process.stdin is not None
        try:
            if message is not None:
                self.process.stdin.write((json.dumps(message, ensure_ascii=False) + "\n").encode("utf-8"))
                self.process.stdin.flush()
            if close:
                self.process.stdin.close()
        except OSError:  # the worker is gone; poll() will say so
            pass

    def assign(self, job, out_dir: Path) -> None:
        """Hand over the one report this worker will run."""
        self.job, self.began = job, time.perf_counter()
        self._send({"job": {"notebook": str(job.notebook), "parameters": job.parameters, "code": job.code,
                            "name": job.name, "stem": job.stem}, "out_dir": str(out_dir)}, close=True)

    def release(self) -> None:
        """No report for this worker: close its pipe so that it exits."""
        self._send(None, close=True)

    def kill(self) -> None:
        """Stop the worker and every process its report started."""
        if self.process.poll() is not None:
            return
        if os.name == "nt":  # pragma: no cover - Windows
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(self.process.pid)], capture_output=True)
        else:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            self.process.kill()

    def ended(self) -> str:
        """How the process ended, in Swedish, for a crash message."""
        code = self.process.returncode
        if code is not None and code < 0:
            try:
                return f"signal {signal.Signals(-code).name}"
            except ValueError:
                return f"signal {-code}"
        return f"kod {code}"


def _warm_specs(jobs: list) -> list[dict]:
    """What each worker prepares: every notebook once, with the first job's parameters for it."""
    specs = {}
    for job in jobs:
        specs.setdefault(str(job.notebook), {"notebook": str(job.notebook), "parameters": job.parameters})
    return list(specs.values())


def run_spawned(jobs: list, out_dir: Path, workers: int, timeout: float, finish: Callable[[IndexEntry], None],
                finished_entry: Callable[..., IndexEntry], not_run_entry: Callable[..., IndexEntry]) -> bool:
    """Run ``jobs`` in warm spawned workers, one report per worker. Returns whether it was interrupted.

    Parameters
    ----------
    jobs
        :class:`jamlib.run.batch.Job` objects (checked by the caller).
    out_dir
        The batch folder (with ``notebooks/`` and ``loggar/``).
    workers
        Reports running at the same time.
    timeout
        Seconds after which a running report is stopped and marked.
    finish
        Called with the index entry of every report, finished or not.
    finished_entry, not_run_entry
        :func:`jamlib.run.batch.finished_entry` and :func:`jamlib.run.batch.not_run_entry`
        (passed in, so that this module does not import the batch module that imports it).
    """
    shared = out_dir / "loggar" / ".vega-bibliotek.js"
    queue = list(jobs)
    live: list[_Worker] = []
    try:
        _share_vega_bundle(shared)
        warm = {"notebooks": _warm_specs(jobs), "vega": str(shared)}
        while queue or any(w.job is not None for w in live):
            running = [w for w in live if w.job is not None]
            idle = [w for w in live if w.job is None]
            while len(live) < workers + 1 and len(idle) < len(queue):
                worker = _Worker(warm)
                live.append(worker)
                idle.append(worker)
            for worker in idle:
                if queue and len(running) < workers and worker.ready.is_set() and worker.process.poll() is None:
                    worker.assign(queue.pop(0), out_dir)
                    running.append(worker)
            now = time.perf_counter()
            for worker in list(live):
                if worker.process.poll() is None:
                    if worker.job is not None and not worker.timed_out and now - worker.began > timeout:
                        worker.kill()
                        worker.timed_out = True
                    continue
                live.remove(worker)
                if worker.job is not None:
                    finish(finished_entry(worker.job, out_dir, worker.began, timed_out=worker.timed_out,
                                          timeout=timeout, ended=worker.ended()))
                elif queue:  # it died while warming up: say why, on the next report, so the batch moves on
                    job = queue.pop(0)
                    said = " | ".join(list(worker.output)[-3:]) or worker.ended()
                    finish(IndexEntry(job.code, job.name, BatchStatus.FAILED, None, None,
                                      f"arbetsprocessen kunde inte starta: {said}"[:300]))
            time.sleep(0.02)
    except KeyboardInterrupt:
        for worker in live:
            worker.kill()
        for worker in live:
            with contextlib.suppress(subprocess.TimeoutExpired):
                worker.process.wait(timeout=_EXIT_GRACE)
            if worker.job is not None:
                finish(not_run_entry(worker.job, out_dir, started=True))
        for job in queue:
            finish(not_run_entry(job, out_dir, started=False))
        live.clear()
        return True
    finally:
        for worker in live:  # warm workers left over: let them go, and make sure they do
            worker.release()
        deadline = time.perf_counter() + _EXIT_GRACE
        for worker in live:
            try:
                worker.process.wait(timeout=max(0.1, deadline - time.perf_counter()))
            except subprocess.TimeoutExpired:
                worker.kill()
        with contextlib.suppress(OSError):
            shared.unlink()
    return False


def _share_vega_bundle(path: Path) -> None:
    """Build the Vega libraries once and leave them in a file, so that no worker spends seconds building them."""
    from jamlib.files import atomic_write
    from jamlib.report.html import vega_bundle

    with atomic_write(path, "w") as handle:
        handle.write(vega_bundle())


def use_shared_vega_bundle(path: str | Path) -> None:
    """In a worker: serve :func:`jamlib.report.html.vega_bundle` from the file the parent wrote."""
    import functools

    import jamlib.report.html as html

    text = Path(path).read_text(encoding="utf-8")
    html.vega_bundle = functools.lru_cache(maxsize=1)(lambda: text)
