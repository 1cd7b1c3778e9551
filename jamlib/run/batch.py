"""Run one notebook per organisation, in parallel, each in isolation, and index the reports.

The naive way (``papermill`` CLI, then ``jupyter nbconvert`` CLI, per
municipality) spends almost all its time starting interpreters and kernels
and importing libraries. :func:`run_batch` instead warms one process up
(imports, the vega bundle, the data the notebook will load) and then *forks*
a fresh child for every report. The child executes the notebook with
:class:`jamlib.run.engine.InProcessEngine`, exports HTML and exits; whatever it
defined or changed dies with it, so nothing can leak from one municipality's
report to the next. Up to ``workers`` children run at once; a child that
fails or crashes costs only its own report.

Layout of ``outputs/<batch>/``: ``<kod>_<namn>.html`` per report,
``notebooks/`` (executed notebooks), ``loggar/`` (one log per report) and
``index.html`` linking every report with its status.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from jamlib.errors import JamlibError, ParameterError
from jamlib.vocabulary import BatchStatus
from jamlib.files import inside, safe_filename
from jamlib.report.html import IndexEntry, export_html, write_index
from jamlib.organisations import municipalities, municipality_name
from jamlib.organisations import check_municipality_code
from jamlib.run.parameters import check_parameter_names, notebook_parameters

__all__ = ["BatchResult", "Job", "run_batch", "run_jobs", "select_organisations"]


@dataclass(frozen=True)
class Job:
    """One report: a notebook, its parameters, and the names it is filed under."""

    notebook: Path
    parameters: dict
    code: str
    name: str
    stem: str


@dataclass
class BatchResult:
    """Outcome of a batch: one entry per organisation, the index and the elapsed time."""

    entries: list[IndexEntry] = field(default_factory=list)
    index: Path | None = None
    seconds: float = 0.0

    @property
    def failed(self) -> list[IndexEntry]:
        """Entries whose report failed."""
        return [e for e in self.entries if e.status != BatchStatus.DONE]


def select_organisations(org: list[str] | None = None, group: str | None = None, lan: str | None = None,
                         all_municipalities: bool = False) -> list[tuple[str, str]]:
    """Codes and names for a batch: a list, a Kolada group, a county, or all 290 municipalities.

    Parameters
    ----------
    org
        Codes (``"0180"``; ``180`` is repaired), or comma-separated texts of codes.
    group
        Kolada group id (``"G176581"``) or exact title.
    lan
        County code, the first two digits of its municipalities' codes (``"17"`` = Värmland).
    all_municipalities
        All municipalities (type K).

    Returns
    -------
    list of (code, name)

    Raises
    ------
    ParameterError
        When nothing is selected or a code is wrong.
    """
    table = municipalities()
    kommuner = table[table["type"] == "K"]
    codes: list[str] = []
    if all_municipalities:
        codes.extend(kommuner["code"])
    if lan:
        prefix = str(lan).strip().zfill(2)
        chosen = kommuner.loc[kommuner["code"].str.startswith(prefix), "code"]
        if chosen.empty:
            raise ParameterError(f"Länskoden {lan} har inga kommuner (län har koder 01–25).")
        codes.extend(chosen)
    if group:
        from jamlib.organisations import municipality_groups

        groups = municipality_groups()
        members = groups.loc[(groups["group_id"] == group) | (groups["group_title"] == group), "member_code"]
        if members.empty:
            raise ParameterError(f"Kolada-gruppen {group!r} finns inte. Se jam kolada groups.")
        codes.extend(members)
    for item in org or []:
        for part in str(item).split(","):
            if part.strip():
                codes.append(check_municipality_code(part.strip(), "--org"))
    codes = list(dict.fromkeys(codes))
    if not codes:
        raise ParameterError("Inga organisationer valda: ange --org, --group, --lan eller --all.")
    return [(c, municipality_name(c) or c) for c in codes]


def _prewarm(notebook: Path, parameters: dict) -> None:
    """Import everything and load the notebook's data once, so forked children start warm."""
    import altair  # noqa: F401
    import nbconvert  # noqa: F401
    import nbformat  # noqa: F401
    import pandas  # noqa: F401
    import papermill  # noqa: F401
    from IPython.core.interactiveshell import InteractiveShell  # noqa: F401

    import jamlib  # noqa: F401
    import jamlib.run.engine  # noqa: F401
    from jamlib.report.html import vega_bundle
    from jamlib.report.indicator_report import load_indicator_folder

    vega_bundle()
    declared = notebook_parameters(notebook)
    if "datamapp" in declared:
        import ast

        folder = parameters.get("datamapp", ast.literal_eval(declared["datamapp"]))
        from jamlib.report.display import find_folder

        try:
            load_indicator_folder(find_folder(str(folder)))
        except JamlibError:
            pass  # each report will then say what is wrong


def _child(job: Job, out_dir: Path) -> None:
    """Run in a forked child: execute, export, write the status file, exit."""
    notebook, code, name, stem = job.notebook, job.code, job.name, job.stem
    status_path = out_dir / "loggar" / f"{stem}.status.json"
    log_path = out_dir / "loggar" / f"{stem}.log"
    started = time.perf_counter()
    log = open(log_path, "w", encoding="utf-8")
    os.dup2(log.fileno(), 1)
    os.dup2(log.fileno(), 2)
    sys.stdout = sys.stderr = log
    status = {"status": BatchStatus.FAILED, "message": "", "seconds": 0.0}
    try:
        import papermill

        executed = out_dir / "notebooks" / f"{stem}.ipynb"
        print(f"{code} {name}: kör {notebook.name} med {job.parameters}")
        papermill.execute_notebook(str(notebook), str(executed), parameters=job.parameters,
                                   engine_name="jamlib", kernel_name="python3", language="python",
                                   progress_bar=False, log_output=False, request_save_on_cell_execute=False)
        export_html(executed, out_dir / f"{stem}.html", f"{name} ({code})")
        status = {"status": BatchStatus.DONE, "message": "", "seconds": time.perf_counter() - started}
        print("klar")
    except BaseException as error:  # the report failed; the batch goes on
        message = str(error).strip().splitlines()[-1] if str(error).strip() else type(error).__name__
        if hasattr(error, "evalue"):
            message = f"{error.ename}: {error.evalue}"
        traceback.print_exc()
        status = {"status": BatchStatus.FAILED, "message": message[:300], "seconds": time.perf_counter() - started}
    finally:
        with open(status_path, "w", encoding="utf-8") as handle:
            json.dump(status, handle, ensure_ascii=False)
        log.flush()
        os._exit(0 if status["status"] == BatchStatus.DONE else 1)


def run_batch(notebook: str | Path, organisations: list[tuple[str, str]], out_dir: str | Path, workers: int = 2,
              parameters: dict | None = None, parameter: str = "kommunkod", title: str | None = None,
              timeout: float = 600.0, progress: Callable[[str], None] | None = None) -> BatchResult:
    """Run ``notebook`` once per organisation in forked, isolated children and write the index.

    Parameters
    ----------
    notebook
        The notebook (with a ``parameters`` cell declaring ``parameter``).
    organisations
        ``(code, name)`` pairs, e.g. from :func:`select_organisations`.
    out_dir
        The batch folder, e.g. ``outputs/indikatorer``.
    workers
        Reports run at the same time.
    parameters
        Other parameters for every run; names must be declared by the notebook.
    parameter
        The parameter that receives each organisation's code.
    title
        Title of the index page.
    timeout
        Seconds after which a report is stopped and counted as failed.
    progress
        Called with a Swedish line per finished report.

    Returns
    -------
    BatchResult

    Raises
    ------
    ParameterError
        When a parameter name is not declared by the notebook.
    """
    notebook = Path(notebook)
    parameters = dict(parameters or {})
    check_parameter_names(notebook, {parameter: "", **parameters})
    jobs = [Job(notebook, {**parameters, parameter: code}, code, name, safe_filename(code, name, suffix=""))
            for code, name in organisations]
    return run_jobs(jobs, out_dir, workers, title or f"Rapporter: {notebook.stem}", timeout, progress)


def run_jobs(jobs: list[Job], out_dir: str | Path, workers: int = 2, title: str = "Rapporter",
             timeout: float = 600.0, progress: Callable[[str], None] | None = None) -> BatchResult:
    """Run reports in forked children of one pre-warmed process, ``workers`` at a time, and write the index.

    Parameters
    ----------
    jobs
        The reports; parameter names must be declared by each job's notebook.
    out_dir, workers, title, timeout, progress
        As for :func:`run_batch`.

    Returns
    -------
    BatchResult
    """
    out_dir = Path(out_dir)
    for job in jobs:
        check_parameter_names(job.notebook, job.parameters)
    if os.name != "posix":
        raise JamlibError("jam batch kräver Linux eller macOS (processer startas med fork).")
    for sub in ("", "notebooks", "loggar"):
        (out_dir / sub).mkdir(parents=True, exist_ok=True)
    progress = progress or (lambda line: None)
    started = time.perf_counter()
    for notebook in dict.fromkeys(job.notebook for job in jobs):
        _prewarm(notebook, next(job.parameters for job in jobs if job.notebook == notebook))
    queue = list(jobs)
    running: dict[int, tuple[Job, float]] = {}
    entries: list[IndexEntry] = []
    total = len(queue)
    sys.stdout.flush()
    sys.stderr.flush()

    def finish(pid: int, exit_status: int) -> None:
        job, began = running.pop(pid)
        status_path = out_dir / "loggar" / f"{job.stem}.status.json"
        try:
            status = json.loads(status_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            reason = f"rapporten avbröts (tidsgräns {timeout:g} s eller krasch, status {exit_status})"
            status = {"status": BatchStatus.FAILED, "message": reason, "seconds": time.perf_counter() - began}
        entries.append(IndexEntry(job.code, job.name, BatchStatus(status["status"]),
                                  f"{job.stem}.html" if status["status"] == BatchStatus.DONE else None,
                                  f"loggar/{job.stem}.log", status.get("message", ""), float(status.get("seconds", 0.0))))
        done = len(entries)
        bar = "#" * int(30 * done / total)
        progress(f"[{bar:<30}] {done}/{total} {job.code} {job.name}: {status['status']}"
                 + (f" ({status['message']})" if status["status"] != BatchStatus.DONE else ""))

    while queue or running:
        while queue and len(running) < max(1, workers):
            job = queue.pop(0)
            inside(out_dir, f"{job.stem}.html")
            status_file = out_dir / "loggar" / f"{job.stem}.status.json"
            status_file.unlink(missing_ok=True)
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the child
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                _child(job, out_dir)
            running[pid] = (job, time.perf_counter())
        pid, exit_status = os.waitpid(-1, os.WNOHANG)
        if pid == 0:
            now = time.perf_counter()
            for child, (_, began) in list(running.items()):
                if now - began > timeout:
                    os.kill(child, signal.SIGKILL)
            time.sleep(0.01)
            continue
        if pid in running:
            finish(pid, exit_status)
    result = BatchResult(entries=entries, seconds=time.perf_counter() - started)
    result.index = write_index(out_dir, title, result.entries)
    return result
