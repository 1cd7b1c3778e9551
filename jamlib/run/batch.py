"""Run one notebook per organisation, in parallel, each in isolation, and index the reports.

The naive way (``papermill`` CLI, then ``jupyter nbconvert`` CLI, per
municipality) spends almost all its time starting interpreters and kernels
and importing libraries. :func:`run_jobs` avoids that in one of two ways:

* **fork** (Linux, macOS): one process is warmed up (imports, the Vega bundle,
  the data the notebook will load) and a fresh child is *forked* from it for
  every report;
* **spawn** (Windows, or ``JAMLIB_BATCH_START=spawn``): warm worker processes
  are started ahead (:mod:`jamlib.run.spawn`), and each takes exactly one
  report and exits.

Either way each report runs in its own process with
:class:`jamlib.run.engine.InProcessEngine`, exports HTML and exits; whatever it
defined or changed dies with it, so nothing can leak from one municipality's
report to the next. Up to ``workers`` reports run at once, and a report that
fails costs only itself:

* a report that raises is marked ``fel`` with its error;
* a report that crashes (its process dies) is marked ``fel`` with "kraschade";
* a report that hangs is stopped after ``timeout`` seconds together with any
  processes it started, and marked ``tidsgräns``;
* Ctrl-C (or SIGTERM) stops every running report, keeps the finished ones and
  still writes the index, with the rest marked ``ej körd``.

What a report prints is copied to its log as it is printed, so the log keeps
it even when the report hangs or crashes.

Layout of ``outputs/<batch>/``: ``<kod>_<namn>.html`` per report (and
``<kod>_<namn>.xlsx`` when the notebook declares ``excelfil``), ``notebooks/``
(executed notebooks), ``loggar/`` (one log per report), ``index.html`` linking
every report with its status and, for indicator reports, an organisation ×
indicator overview built from the summaries the reports showed, and
``oversikt.xlsx`` with that overview and every organisation's values.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from jamlib.errors import JamlibError, ParameterError
from jamlib.vocabulary import BatchStatus
from jamlib.files import atomic_write, inside, safe_filename
from jamlib.report.html import IndexEntry, export_html, write_index
from jamlib.organisations import (check_municipality_code, municipalities, municipality_name, organisation_table,
                                  resolve_organisation)
from jamlib.run.parameters import check_parameter_names, check_parameter_values, notebook_parameters

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["BatchResult", "Job", "run_batch", "run_jobs", "select_organisations", "chosen_by_type_or_parent",
           "batch_organisation_table", "start_method", "run_report",
           "START_METHOD_ENV"]

#: Environment variable that forces the spawn path (``spawn``) where fork exists, e.g. to test it.
START_METHOD_ENV = "JAMLIB_BATCH_START"


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
    """Outcome of a batch: one entry per report, the index, the elapsed time and how it ran.

    Attributes
    ----------
    entries
        One :class:`~jamlib.report.html.IndexEntry` per job, finished or not.
    index
        The ``index.html`` written.
    seconds
        Wall-clock time of the whole batch.
    interrupted
        Whether Ctrl-C (or SIGTERM) stopped the batch; unfinished reports are marked not run.
    method
        ``"fork"`` or ``"spawn"``.
    """

    entries: list[IndexEntry] = field(default_factory=list)
    index: Path | None = None
    seconds: float = 0.0
    interrupted: bool = False
    method: str = "fork"

    @property
    def failed(self) -> list[IndexEntry]:
        """Entries whose report was not finished (failed, stopped or not run)."""
        return [e for e in self.entries if e.status != BatchStatus.DONE]

    @property
    def not_run(self) -> list[IndexEntry]:
        """Entries that did not run to the end because the batch was interrupted."""
        return [e for e in self.entries if e.status == BatchStatus.NOT_RUN]


def start_method(requested: str | None = None) -> str:
    """How reports are started: ``"fork"`` where :func:`os.fork` exists, else ``"spawn"``.

    Parameters
    ----------
    requested
        ``"fork"``, ``"spawn"`` or ``None`` (then the environment variable
        ``JAMLIB_BATCH_START`` decides, and otherwise the platform).

    Returns
    -------
    str
        ``"spawn"`` when asked for, or when fork is not available (Windows).

    Raises
    ------
    ParameterError
        When the request is neither ``fork`` nor ``spawn``.
    """
    choice = (requested or os.environ.get(START_METHOD_ENV) or "").strip().lower()
    if choice not in ("", "fork", "spawn"):
        raise ParameterError(f"Startsättet {choice!r} finns inte; välj fork eller spawn ({START_METHOD_ENV}).")
    if choice == "spawn" or not hasattr(os, "fork") or os.name != "posix":
        return "spawn"
    return "fork"


def select_organisations(org: list[str] | None = None, group: str | None = None, lan: str | None = None,
                         all_municipalities: bool = False,
                         organisations: "pd.DataFrame | None" = None, *, org_type: str | None = None,
                         parent: str | None = None, all_regions: bool = False,
                         with_data: set[str] | None = None) -> list[tuple[str, str]]:
    """Ids and names for a batch: a list, a Kolada group, a county, all municipalities or regions, a type, a parent.

    Parameters
    ----------
    org
        Codes (``"0180"``; ``180`` is repaired) or names of organisations as written in the data
        (``"Kfast AB"``, ``"Socialnämnden Eskilstuna"``), or comma-separated texts of codes.
    organisations
        :func:`jamlib.organisations.organisation_table` to find names in (committees, companies and
        units without a Kolada code); default Kolada's municipalities and regions only.
    group
        Kolada group id (``"G176581"``) or exact title.
    lan
        County code, the first two digits of its municipalities' codes (``"17"`` = Värmland).
    all_municipalities
        All municipalities (type K).
    org_type
        Every organisation of this type in ``organisations`` (``nämnd``, ``bolag``, ``skola``, ``enhet``,
        ``förvaltning``, ``kommun``, ``region``, ``annan``).
    parent
        Every organisation under this one (a code, id or name), at any depth: ``"Eskilstuna"`` gives its
        committees, its holding company and the companies under that.
    all_regions
        All 21 regions.
    with_data
        Ids that have data: organisations chosen by type or parent without data are left out (a list
        given with ``org`` is kept as given, so that a report says what is missing).

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
    named: dict[str, str] = {}
    if all_municipalities:
        codes.extend(kommuner["code"])
    if all_regions:
        codes.extend(table.loc[(table["type"] == "L") & (table["code"] != "0000"), "code"])
    if org_type or parent:
        for ident, name, is_kolada in chosen_by_type_or_parent(organisations, org_type, parent):
            if with_data is not None and ident not in with_data:
                continue
            if is_kolada:
                codes.append(ident)
            else:
                named[ident] = name
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
        # a name may hold a comma ("Kfast AB, Eskilstuna"): split only a text of codes
        parts = str(item).split(",") if all(p.strip().isdigit() for p in str(item).split(",")) else [str(item)]
        for part in (p.strip() for p in parts):
            if part.isdigit():
                codes.append(check_municipality_code(part, "--org"))
            elif part:
                found = resolve_organisation(part, organisations, "--org")
                if found.is_kolada:
                    codes.append(found.id)
                else:
                    named[found.id] = found.name
    codes = list(dict.fromkeys(codes))
    if not codes and not named:
        if org_type or parent:
            raise ParameterError("Inga organisationer med data passar " + " och ".join(
                t for t in (f"typen {org_type}" if org_type else "", f"'under {parent}'" if parent else "") if t)
                + ". Se jam organisations för organisationstabellen.")
        raise ParameterError("Inga organisationer valda: ange --org, --group, --lan, --all, --alla-regioner, --typ "
                             "eller --under.")
    return [(c, municipality_name(c) or c) for c in codes] + list(named.items())


def chosen_by_type_or_parent(organisations: "pd.DataFrame | None", org_type: str | None,
                              parent: str | None) -> list[tuple[str, str, bool]]:
    """(id, name, is a Kolada municipality or region) of every organisation of a type and/or under a parent."""
    from jamlib.vocabulary import OrganisationType

    table = organisation_table() if organisations is None else organisations
    chosen = table
    if org_type:
        words = {t.value: t for t in OrganisationType}
        if org_type.strip().lower() not in words:
            raise ParameterError(f"--typ {org_type!r} finns inte. Välj bland: {', '.join(words)}.")
        chosen = chosen[chosen["type"] == words[org_type.strip().lower()]]
    if parent:
        top = resolve_organisation(parent, table, "--under")
        children: dict[str, list[str]] = {}
        for ident, above in zip(table["id"], table["parent"]):
            if above:
                children.setdefault(str(above), []).append(str(ident))
        below, queue = set(), [top.id]
        while queue:
            for child in children.get(queue.pop(), []):
                if child not in below:
                    below.add(child)
                    queue.append(child)
        chosen = chosen[chosen["id"].isin(below)]
    return [(str(i), str(n), k is not None and not (isinstance(k, float) and k != k))
            for i, n, k in zip(chosen["id"], chosen["name"], chosen["kolada_code"])]


def _prewarm(notebook: Path, parameters: dict) -> None:
    """Import everything and load the notebook's data once, so forked children start warm."""
    import altair  # noqa: F401
    import nbconvert  # noqa: F401
    import nbformat  # noqa: F401
    import pandas  # noqa: F401
    import papermill  # noqa: F401
    from IPython.core.interactiveshell import InteractiveShell  # noqa: F401

    import jamlib  # noqa: F401
    from jamlib.run.engine import register
    from jamlib.report.html import vega_bundle
    from jamlib.report.indicator_report import load_indicator_folder

    register()
    vega_bundle()
    folders = _notebook_folders(notebook, parameters)
    if folders is not None:
        try:
            load_indicator_folder(folders)
        except JamlibError:
            pass  # each report will then say what is wrong


def _notebook_folders(notebook: Path, parameters: dict) -> list[str] | None:
    """The indicator folders a notebook run will read (its ``datamapp``), or ``None`` when it has none."""
    import ast

    from jamlib.report.display import find_folders

    declared = notebook_parameters(notebook)
    if "datamapp" not in declared:
        return None
    return find_folders(str(parameters.get("datamapp", ast.literal_eval(declared["datamapp"]))))


def batch_organisation_table(notebook: str | Path, parameters: dict | None = None
                             ) -> "tuple[pd.DataFrame, set[str] | None]":
    """Every organisation a batch of ``notebook`` can name, and the ids of those with indicator data.

    The organisations are Kolada's, the user's own table (parameter ``organisationer``) and those named
    in the notebook's indicator folders (parameter ``datamapp``), as given in ``parameters`` or declared
    in the notebook. The ids with data are ``None`` when the notebook reads no indicator folders.

    Raises
    ------
    DataFileError, ValidationError
        When the data cannot be read.
    """
    import ast

    from jamlib.ingest.sources import DEFAULT_ORGANISATION_FOLDER, load_organisation_folder
    from jamlib.report.display import find_folder
    from jamlib.report.indicator_report import load_indicator_folder

    parameters = parameters or {}
    notebook = Path(notebook)
    declared = notebook_parameters(notebook)
    folders = _notebook_folders(notebook, parameters)
    data = load_indicator_folder(folders) if folders else None
    own_folder = parameters.get("organisationer", ast.literal_eval(declared["organisationer"])
                                if "organisationer" in declared else DEFAULT_ORGANISATION_FOLDER)
    own = load_organisation_folder(find_folder(str(own_folder))) if own_folder else None
    table = organisation_table(data=data, own=own)
    if data is None:
        return table, None
    from jamlib.organisations import with_organisation_ids

    return table, set(with_organisation_ids(data, table)["org_code"].dropna().astype(str))


def _log_path(out_dir: Path, job: Job) -> Path:
    return out_dir / "loggar" / f"{job.stem}.log"


def _status_path(out_dir: Path, job: Job) -> Path:
    return out_dir / "loggar" / f"{job.stem}.status.json"


def run_report(job: Job, out_dir: Path) -> dict:
    """Run one report in *this* process, which must be a fresh one (a forked child or a spawned worker).

    Output (also what the notebook's cells print, as they print it) goes to the
    report's log; the executed notebook, the HTML and a status file are
    written; exceptions are caught and recorded.

    Parameters
    ----------
    job
        The report.
    out_dir
        The batch folder (with ``notebooks/`` and ``loggar/``).

    Returns
    -------
    dict
        ``status`` (a :class:`~jamlib.vocabulary.BatchStatus` value), ``message`` and ``seconds``.
    """
    notebook, code, name, stem = job.notebook, job.code, job.name, job.stem
    started = time.perf_counter()
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.flush()
        sys.stderr.flush()
    log = open(_log_path(out_dir, job), "w", encoding="utf-8", errors="backslashreplace", buffering=1)
    os.dup2(log.fileno(), 1)
    os.dup2(log.fileno(), 2)
    sys.stdout = sys.stderr = log
    status = {"status": BatchStatus.FAILED, "message": "", "seconds": 0.0}
    try:
        import papermill

        from jamlib.report.charts import static_images
        from jamlib.run.engine import register

        register()  # papermill's entry point does it too, unless jamlib runs from a source tree

        static_images(False)  # the HTML report draws every chart with its own Vega; no SVG needed
        executed = out_dir / "notebooks" / f"{stem}.ipynb"
        print(f"{code} {name}: kör {notebook.name} med {job.parameters}")
        papermill.execute_notebook(str(notebook), str(executed), parameters=job.parameters,
                                   engine_name="jamlib", kernel_name="python3", language="python",
                                   progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                                   stdout_file=log, stderr_file=log)
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
        try:
            with atomic_write(_status_path(out_dir, job), "w") as handle:
                json.dump(status, handle, ensure_ascii=False)
        finally:
            log.flush()
    return status


def _child(job: Job, out_dir: Path) -> None:  # pragma: no cover - runs in a forked child
    """Run in a forked child: a process group of its own, the report, then exit."""
    code = 1
    try:
        os.setpgid(0, 0)  # the report and whatever it starts can be stopped together
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
        code = 0 if run_report(job, out_dir)["status"] == BatchStatus.DONE else 1
    finally:
        os._exit(code)


def _append_log(out_dir: Path, job: Job, text: str) -> None:
    with contextlib.suppress(OSError):
        with open(_log_path(out_dir, job), "a", encoding="utf-8") as handle:
            handle.write(f"\n--- jam batch: {text} ---\n")


def finished_entry(job: Job, out_dir: Path, began: float, *, timed_out: bool, timeout: float,
                   ended: str) -> IndexEntry:
    """The index entry of a report whose process has ended.

    Parameters
    ----------
    job, out_dir
        The report and the batch folder.
    began
        ``time.perf_counter()`` when the report was started.
    timed_out
        Whether the runner stopped it after ``timeout`` seconds.
    timeout
        The time limit, for the message.
    ended
        How the process ended, in Swedish (``"signal SIGKILL"``, ``"kod 3"``), for the crash message.
    """
    seconds = time.perf_counter() - began
    log = f"loggar/{job.stem}.log"
    try:
        status = json.loads(_status_path(out_dir, job).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        status = None
    if status is not None and (status.get("status") == BatchStatus.DONE or not timed_out):
        done = status["status"] == BatchStatus.DONE
        return IndexEntry(job.code, job.name, BatchStatus(status["status"]), f"{job.stem}.html" if done else None,
                          log, status.get("message", ""), float(status.get("seconds", seconds)))
    if timed_out:
        _append_log(out_dir, job, f"rapporten stoppades efter {timeout:g} s (tidsgräns)")
        return IndexEntry(job.code, job.name, BatchStatus.TIMED_OUT, None, log,
                          f"stoppad efter {timeout:g} s (tidsgräns, --timeout); det rapporten hann skriva finns i loggen",
                          seconds)
    _append_log(out_dir, job, f"rapportens process kraschade ({ended})")
    return IndexEntry(job.code, job.name, BatchStatus.FAILED, None, log,
                      f"rapporten kraschade ({ended}) innan den blev klar; se loggen", seconds)


def not_run_entry(job: Job, out_dir: Path, started: bool) -> IndexEntry:
    """The index entry of a report stopped by Ctrl-C (``started``) or never started."""
    if started:
        _append_log(out_dir, job, "körningen avbröts (Ctrl-C) innan rapporten blev klar")
        return IndexEntry(job.code, job.name, BatchStatus.NOT_RUN, None, f"loggar/{job.stem}.log",
                          "avbruten (Ctrl-C) innan rapporten blev klar")
    return IndexEntry(job.code, job.name, BatchStatus.NOT_RUN, None, None, "inte startad: körningen avbröts (Ctrl-C)")


def _exit_description(wait_status: int) -> str:
    if os.WIFSIGNALED(wait_status):
        number = os.WTERMSIG(wait_status)
        try:
            return f"signal {signal.Signals(number).name}"
        except ValueError:
            return f"signal {number}"
    return f"kod {os.waitstatus_to_exitcode(wait_status)}"


def _kill_group(pid: int) -> None:
    """Kill a forked report and every process in its group (what the report started)."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


def _run_forked(jobs: list[Job], out_dir: Path, workers: int, timeout: float,
                finish: Callable[[IndexEntry], None]) -> bool:
    """Run ``jobs`` in forked children of this (warm) process. Returns whether it was interrupted."""
    queue = list(jobs)
    running: dict[int, tuple[Job, float]] = {}
    timed_out: set[int] = set()
    try:
        for notebook in dict.fromkeys(job.notebook for job in jobs):
            _prewarm(notebook, next(job.parameters for job in jobs if job.notebook == notebook))
        with contextlib.suppress(OSError, ValueError):
            sys.stdout.flush()
            sys.stderr.flush()
        while queue or running:
            while queue and len(running) < workers:
                job = queue[0]
                # No Ctrl-C between fork and bookkeeping: every child is known, so it can be stopped.
                signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
                try:
                    pid = os.fork()
                    if pid == 0:  # pragma: no cover - runs in the child
                        _child(job, out_dir)
                    queue.pop(0)
                    with contextlib.suppress(OSError):
                        os.setpgid(pid, pid)
                    running[pid] = (job, time.perf_counter())
                finally:
                    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
            ended = False
            for pid in list(running):
                done, wait_status = os.waitpid(pid, os.WNOHANG)
                if done:
                    job, began = running.pop(pid)
                    finish(finished_entry(job, out_dir, began, timed_out=pid in timed_out, timeout=timeout,
                                          ended=_exit_description(wait_status)))
                    ended = True
            if not ended:
                now = time.perf_counter()
                for pid, (job, began) in running.items():
                    if pid not in timed_out and now - began > timeout:
                        _kill_group(pid)
                        timed_out.add(pid)
                time.sleep(0.02)
    except KeyboardInterrupt:
        for pid in running:
            _kill_group(pid)
        for pid in running:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        for job, _ in running.values():
            finish(not_run_entry(job, out_dir, started=True))
        for job in queue:
            finish(not_run_entry(job, out_dir, started=False))
        return True
    return False


@contextlib.contextmanager
def _terminate_as_interrupt():
    """While the batch runs, SIGTERM (a stopped scheduled task, ``kill``) is handled like Ctrl-C."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGTERM") or os.name != "posix":
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_batch(notebook: str | Path, organisations: list[tuple[str, str]], out_dir: str | Path, workers: int = 2,
              parameters: dict | None = None, parameter: str = "kommunkod", title: str | None = None,
              timeout: float = 600.0, progress: Callable[[str], None] | None = None,
              method: str | None = None) -> BatchResult:
    """Run ``notebook`` once per organisation, each in an isolated process, and write the index.

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
        Seconds after which a report that hangs is stopped, with the processes
        it started, and marked ``tidsgräns``.
    progress
        Called with a Swedish line per finished report.
    method
        ``"fork"``, ``"spawn"`` or ``None`` (see :func:`start_method`).

    Returns
    -------
    BatchResult

    Raises
    ------
    ParameterError
        When a parameter name is not declared by the notebook, or a value is not plain data.
    """
    notebook = Path(notebook)
    parameters = dict(parameters or {})
    check_parameter_names(notebook, {parameter: "", **parameters})
    jobs = [Job(notebook, {**parameters, parameter: code}, code, name, safe_filename(code, name, suffix=""))
            for code, name in organisations]
    return run_jobs(jobs, out_dir, workers, title or f"Rapporter: {notebook.stem}", timeout, progress, method)


def run_jobs(jobs: list[Job], out_dir: str | Path, workers: int = 2, title: str = "Rapporter",
             timeout: float = 600.0, progress: Callable[[str], None] | None = None,
             method: str | None = None) -> BatchResult:
    """Run reports, each in a process of its own, ``workers`` at a time, and write the index.

    Parameters
    ----------
    jobs
        The reports; parameter names must be declared by each job's notebook
        and values must be plain data (text, numbers, booleans, lists of those).
    out_dir, workers, title, timeout, progress
        As for :func:`run_batch`.
    method
        ``"fork"``, ``"spawn"`` or ``None`` for :func:`start_method`'s choice.

    Returns
    -------
    BatchResult
        Also when the batch was interrupted with Ctrl-C: then
        ``interrupted`` is true, finished reports are kept and the rest are
        marked not run in the index.
    """
    out_dir = Path(out_dir)
    jobs = [_with_workbook(job, out_dir) for job in jobs]
    for job in jobs:
        check_parameter_names(job.notebook, job.parameters)
        check_parameter_values(job.parameters)
        inside(out_dir, f"{job.stem}.html")
    if workers < 1:
        raise ParameterError(f"Antalet processer (--workers) måste vara minst 1, inte {workers}.")
    chosen = start_method(method)
    for sub in ("", "notebooks", "loggar"):
        (out_dir / sub).mkdir(parents=True, exist_ok=True)
    for job in jobs:
        _status_path(out_dir, job).unlink(missing_ok=True)
    progress = progress or (lambda line: None)
    started = time.perf_counter()
    entries: list[IndexEntry] = []
    total = len(jobs)

    def finish(entry: IndexEntry) -> None:
        entries.append(entry)
        if entry.status == BatchStatus.NOT_RUN:
            return
        done = len(entries)
        bar = "#" * int(30 * done / total)
        progress(f"[{bar:<30}] {done}/{total} {entry.code} {entry.name}: {entry.status_label}"
                 + (f" ({entry.message})" if entry.status != BatchStatus.DONE else ""))

    with _terminate_as_interrupt():
        if chosen == "fork":
            interrupted = _run_forked(jobs, out_dir, workers, timeout, finish)
        else:
            from jamlib.run.spawn import run_spawned

            interrupted = run_spawned(jobs, out_dir, workers, timeout, finish, finished_entry, not_run_entry)
        result = BatchResult(entries=entries, seconds=time.perf_counter() - started, interrupted=interrupted,
                             method=chosen)
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if interrupted and _main_thread() else None
        try:
            overview, workbook = _overview(out_dir, result.entries)
            result.index = write_index(out_dir, title, result.entries, overview=overview, workbook=workbook)
        finally:
            if previous is not None:
                signal.signal(signal.SIGINT, previous)
    return result


#: The batch workbook with every organisation's values (beside ``index.html``).
OVERVIEW_WORKBOOK = "oversikt.xlsx"


def _with_workbook(job: Job, out_dir: Path) -> Job:
    """The job with ``excelfil=<out>/<stem>.xlsx`` when its notebook declares ``excelfil`` and none is set."""
    import dataclasses

    if job.parameters.get("excelfil") or "excelfil" not in notebook_parameters(job.notebook):
        return job
    return dataclasses.replace(job, parameters={**job.parameters, "excelfil": str(out_dir / f"{job.stem}.xlsx")})


def _overview(out_dir: Path, entries: list[IndexEntry]) -> tuple[str | None, str | None]:
    """The overview matrix and the batch workbook from the finished reports' summaries, if they have any."""
    from jamlib.report.overview import collect_records, overview_html, write_overview_workbook

    records = []
    for entry in entries:
        if not entry.done or not entry.report:
            continue
        found = collect_records([out_dir / "notebooks" / f"{Path(entry.report).stem}.ipynb"])
        records += [{**record, "report": entry.report} for record in found]
    if not records:
        return None, None
    try:
        write_overview_workbook(out_dir / OVERVIEW_WORKBOOK, records)
        workbook = OVERVIEW_WORKBOOK
    except JamlibError as error:  # e.g. the workbook is open in Excel: the index still gets written
        print(f"Översikten i Excel skrevs inte: {error}", file=sys.stderr)
        workbook = None
    return overview_html(records), workbook


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()
