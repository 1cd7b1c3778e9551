"""A papermill engine that runs a notebook's cells in the current Python process.

papermill normally starts a Jupyter kernel per notebook, which costs seconds of
start-up and imports per report. :class:`InProcessEngine` executes the cells
with an IPython shell inside the calling process instead, capturing rich
display output, streams and errors into the notebook exactly as a kernel
would. papermill finds it under the name ``jamlib`` through the
``papermill.engine`` entry point (``papermill --engine jamlib ...``);
:func:`register` registers it explicitly for callers that may run without the
installed entry point.

This module does not import papermill: :class:`InProcessEngine` subclasses
papermill's ``Engine``, so it is built on first access (PEP 562). Importing
papermill loads every ``papermill.engine`` entry point, including this one;
with papermill imported at the top, ``import jamlib.run.engine`` in a fresh
process would make papermill ask the half-initialised module for its class.

Isolation is the caller's job: :mod:`jamlib.run.batch` runs every report in a
fresh process (a forked child of a pre-warmed process, or a warm spawned
worker that takes one report), so nothing one report defines can reach the
next.

papermill's ``stdout_file`` and ``stderr_file`` are honoured: what the cells
print is copied there as it is printed (``jam batch`` passes the report's
log), so a report that hangs or crashes leaves in its log what it got to say.
"""

from __future__ import annotations

import contextlib
import io
import sys
import traceback
from contextlib import redirect_stderr, redirect_stdout

import nbformat

__all__ = ["InProcessEngine", "register"]


def _fresh_shell():
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell

    class Publisher(DisplayPublisher):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.outputs: list = []

        def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs):
            self.outputs.append(nbformat.v4.new_output("display_data", data=data, metadata=metadata or {}))

        def clear_output(self, wait=False):
            self.outputs.clear()

    class Hook(DisplayHook):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.outputs: list = []

        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            self.outputs.append(nbformat.v4.new_output("execute_result", data=format_dict, metadata=md_dict or {},
                                                       execution_count=self.prompt_count))

        def finish_displayhook(self):
            pass

    InteractiveShell.clear_instance()
    shell = InteractiveShell.instance(colors="nocolor")
    shell.display_formatter.active_types = shell.display_formatter.format_types
    shell.display_pub = Publisher(shell=shell, parent=shell)
    hook = Hook(shell=shell, cache_size=0, parent=shell)
    shell.displayhook = hook
    shell.display_trap.hook = hook
    shell.showtraceback = lambda *args, **kwargs: None
    return shell


class _Tee(io.StringIO):
    """Collects a cell's stream for the notebook and copies every write to ``echo`` at once."""

    def __init__(self, echo=None):
        super().__init__()
        self._echo = echo

    def write(self, text: str) -> int:
        if self._echo is not None:
            try:
                self._echo.write(text)
                self._echo.flush()
            except (OSError, ValueError):  # a closed or full log must not fail the report
                self._echo = None
        return super().write(text)


def _run_cell(shell, source: str, stdout_file=None, stderr_file=None) -> tuple[list, BaseException | None]:
    shell.display_pub.outputs = []
    shell.displayhook.outputs = []
    out, err = _Tee(stdout_file), _Tee(stderr_file)
    with redirect_stdout(out), redirect_stderr(err):
        result = shell.run_cell(source, store_history=True, silent=False)
    outputs = []
    if out.getvalue():
        outputs.append(nbformat.v4.new_output("stream", name="stdout", text=out.getvalue()))
    if err.getvalue():
        outputs.append(nbformat.v4.new_output("stream", name="stderr", text=err.getvalue()))
    outputs.extend(shell.display_pub.outputs)
    outputs.extend(shell.displayhook.outputs)
    error = result.error_before_exec or result.error_in_exec
    if error is not None:
        outputs.append(nbformat.v4.new_output(
            "error", ename=type(error).__name__, evalue=str(error),
            traceback=traceback.format_exception(type(error), error, error.__traceback__)))
    return outputs, error


@contextlib.contextmanager
def _unsaved(nb_man):
    """Let one of papermill's cell callbacks set the cell's metadata without writing the notebook.

    papermill promises a save after each cell *execution* when ``request_save_on_cell_execute`` (its
    default; otherwise ``nb_man.output_path`` is ``None`` and nothing is saved before the end). Its
    callbacks also save when a cell starts and for cells that run nothing (Markdown, empty code);
    each save validates and writes the whole notebook, charts included, so those are skipped. The
    metadata they set is in the next save, and papermill writes the whole notebook at the end, also
    when a cell fails.
    """
    path = nb_man.output_path
    nb_man.output_path = None
    try:
        yield
    finally:
        nb_man.output_path = path


def _build_engine_class() -> type:
    """papermill's ``Engine`` subclass that runs the cells in this process (built once, on first access)."""
    from papermill.engines import Engine  # defined before papermill loads its entry points

    if "InProcessEngine" in globals():  # papermill's first import loaded the entry point, so built it already
        return globals()["InProcessEngine"]

    class InProcessEngine(Engine):
        """papermill engine: execute cells in this process with an IPython shell (no kernel start-up)."""

        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, stdout_file=None, stderr_file=None, **kwargs):
            shell = _fresh_shell()
            saved_argv = sys.argv
            sys.argv = ["jamlib-engine"]
            try:
                count = 0
                for index, cell in enumerate(nb_man.nb.cells):
                    runs = cell.cell_type == "code" and bool(cell.source.strip())
                    with _unsaved(nb_man):
                        nb_man.cell_start(cell, index)
                    try:
                        if not runs:
                            continue
                        count += 1
                        outputs, error = _run_cell(shell, cell.source, stdout_file, stderr_file)
                        cell.outputs = outputs
                        cell.execution_count = count
                        if error is not None:
                            nb_man.cell_exception(cell, cell_index=index, exception=error)
                            break
                    finally:
                        with _unsaved(nb_man) if not runs else contextlib.nullcontext():
                            nb_man.cell_complete(cell, cell_index=index)
            finally:
                sys.argv = saved_argv
            return nb_man.nb

    InProcessEngine.__module__ = __name__
    InProcessEngine.__qualname__ = "InProcessEngine"
    return InProcessEngine


def __getattr__(name: str):
    """Build :class:`InProcessEngine` on first access and keep it as a module attribute (PEP 562)."""
    if name == "InProcessEngine":
        engine = globals()["InProcessEngine"] = _build_engine_class()
        return engine
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def register() -> type:
    """Register :class:`InProcessEngine` with papermill under the name ``jamlib`` and return it.

    The installed ``papermill.engine`` entry point already does this when papermill is imported;
    calling it as well makes ``engine_name="jamlib"`` work when jamlib is used from a source tree.
    """
    from papermill.engines import papermill_engines

    engine = sys.modules[__name__].InProcessEngine
    papermill_engines.register("jamlib", engine)
    return engine
