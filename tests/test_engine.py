"""The in-process papermill engine (``papermill --engine jamlib``), each case in a fresh interpreter.

The import order is the point: a fresh process that imports :mod:`jamlib.run.engine` before papermill
must work, although importing papermill loads this same module through its entry point.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat

from tests.conftest import ROOT


def _tiny_notebook(path: Path, body: str) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    parameters = nbformat.v4.new_code_cell("kommun = '0000'")
    parameters.metadata["tags"] = ["parameters"]
    notebook.cells = [parameters, nbformat.v4.new_code_cell(body)]
    nbformat.write(notebook, path)


def _run_fresh(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)


def _outputs(path: Path) -> list[dict]:
    return [output for cell in nbformat.read(path, as_version=4).cells for output in cell.get("outputs", [])]


def test_importing_the_engine_first_in_a_fresh_process_then_running_a_notebook(tmp_path):
    source, executed = tmp_path / "liten.ipynb", tmp_path / "körd.ipynb"
    _tiny_notebook(source, "print('kommun', kommun)\nlen(kommun) * 2")
    done = _run_fresh(
        "import jamlib.run.engine\n"
        "import papermill\n"
        f"papermill.execute_notebook({str(source)!r}, {str(executed)!r}, parameters={{'kommun': '1780'}},\n"
        "                           engine_name='jamlib', kernel_name='python3', progress_bar=False)\n")
    assert done.returncode == 0, done.stderr
    outputs = _outputs(executed)
    assert [(o["name"], o["text"]) for o in outputs if o["output_type"] == "stream"] == [("stdout", "kommun 1780\n")]
    assert [o["data"]["text/plain"] for o in outputs if o["output_type"] == "execute_result"] == ["8"]


def test_papermill_finds_the_same_engine_whichever_is_imported_first():
    for first, second in (("jamlib.run.engine", "papermill.engines"), ("papermill.engines", "jamlib.run.engine")):
        done = _run_fresh(
            f"import {first}, {second}\n"
            "from papermill.engines import papermill_engines\n"
            "from jamlib.run.engine import InProcessEngine, register\n"
            "assert papermill_engines.get_engine('jamlib') is InProcessEngine\n"
            "assert register() is InProcessEngine\n")
        assert done.returncode == 0, (first, done.stderr)


def test_a_failing_cell_leaves_a_readable_notebook_with_the_error(tmp_path):
    source, executed = tmp_path / "fel.ipynb", tmp_path / "körd.ipynb"
    _tiny_notebook(source, "print('före felet')\n1 / 0")
    done = _run_fresh(
        "import papermill\n"
        "try:\n"
        f"    papermill.execute_notebook({str(source)!r}, {str(executed)!r}, engine_name='jamlib',\n"
        "                               kernel_name='python3', progress_bar=False)\n"
        "except papermill.PapermillExecutionError as error:\n"
        "    print('fel:', error.ename)\n")
    assert done.returncode == 0, done.stderr
    assert "fel: ZeroDivisionError" in done.stdout
    outputs = _outputs(executed)
    assert [(o["name"], o["text"]) for o in outputs if o["output_type"] == "stream"] == [("stdout", "före felet\n")]
    assert [o["ename"] for o in outputs if o["output_type"] == "error"] == ["ZeroDivisionError"]


def test_the_notebook_on_disk_holds_every_executed_cell_before_the_next_one_runs(tmp_path):
    # papermill's promise for request_save_on_cell_execute (its default): a save after each cell execution
    source, executed = tmp_path / "spar.ipynb", tmp_path / "körd.ipynb"
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    notebook.cells = [nbformat.v4.new_markdown_cell("# Rubrik"), nbformat.v4.new_code_cell("print('första')"),
                      nbformat.v4.new_markdown_cell("Text"),
                      nbformat.v4.new_code_cell(
                          "import nbformat\n"
                          f"on_disk = nbformat.read({str(executed)!r}, as_version=4)\n"
                          "print([o.get('text') for c in on_disk.cells if c.cell_type == 'code' for o in c.outputs])")]
    nbformat.write(notebook, source)
    done = _run_fresh(
        "import papermill\n"
        f"papermill.execute_notebook({str(source)!r}, {str(executed)!r}, engine_name='jamlib',\n"
        "                           kernel_name='python3', progress_bar=False)\n")
    assert done.returncode == 0, done.stderr
    outputs = _outputs(executed)
    assert [o["text"] for o in outputs] == ["första\n", "['första\\n']\n"]
    assert [c.metadata.papermill.status for c in nbformat.read(executed, as_version=4).cells] == ["completed"] * 4
