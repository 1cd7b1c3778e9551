"""The package's layers: imports go one way only, there are no cycles, and analysis stays pure.

Layers, lowest first: base modules (``jamlib/*.py``) < ``analysis`` < ``ingest`` < ``report`` < ``run`` <
``cli``. A module may import from its own layer and the layers below it, never above. Base modules import
only base modules. ``analysis`` does no file or network work. ``course`` (the analysis course's data and
self-checks) stands beside ``run``: it may import base, analysis, ingest and report, and nothing imports it.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "jamlib"
LAYERS = ["base", "analysis", "ingest", "report", "run", "cli"]
#: Each layer's height; ``course`` sits beside ``run``.
RANK = {"base": 0, "analysis": 1, "ingest": 2, "report": 3, "run": 4, "course": 4, "cli": 5}
FORBIDDEN_IN_ANALYSIS = {"pathlib", "os", "io", "urllib", "http", "socket", "shutil", "tempfile", "importlib",
                         "subprocess", "requests", "glob"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> str:
    parts = module.split(".")
    if module == "jamlib.cli":
        return "cli"
    if len(parts) >= 2 and parts[1] in ("analysis", "ingest", "report", "run", "course"):
        return parts[1]
    return "base"


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def _imports(path: Path) -> tuple[set[str], set[str]]:
    """jamlib modules and top-level stdlib/third-party packages imported anywhere in a file (not under TYPE_CHECKING)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_lines(tree)
    own, other = set(), set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
            if node.module == "jamlib":  # "from jamlib import x": x may be a subpackage or module
                names = [f"jamlib.{alias.name}" for alias in node.names]
        for name in names:
            if name == "jamlib" or name.startswith("jamlib."):
                own.add(name)
            else:
                other.add(name.split(".")[0])
    return own, other


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _resolve(name: str, known: dict[str, Path]) -> str | None:
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def _graph() -> dict[str, set[str]]:
    known = _modules()
    graph: dict[str, set[str]] = {}
    for module, path in known.items():
        if module == "jamlib":  # the lazy public API names modules of every layer on purpose
            continue
        targets = {_resolve(name, known) for name in _imports(path)[0]}
        graph[module] = {t for t in targets if t and t != module and t != "jamlib"}
    return graph


def test_imports_only_go_down_the_layers():
    wrong = []
    for module, targets in _graph().items():
        mine = RANK[_layer(module)]
        for target in targets:
            if target.endswith("__init__") or target.count(".") == 1 and target.split(".")[1] in (*LAYERS[1:5], "course"):
                continue  # a subpackage's own __init__ holds only a docstring
            if RANK[_layer(target)] > mine:
                wrong.append(f"{module} ({_layer(module)}) imports {target} ({_layer(target)})")
    assert not wrong, "upward imports:\n" + "\n".join(sorted(wrong))


def test_nothing_imports_the_course_and_the_course_imports_no_run():
    wrong = []
    for module, targets in _graph().items():
        for target in targets:
            if _layer(target) == "course" and _layer(module) != "course":
                wrong.append(f"{module} imports {target}")
            if _layer(module) == "course" and _layer(target) in ("run", "cli"):
                wrong.append(f"{module} imports {target}")
    assert not wrong, "\n".join(sorted(wrong))
    assert "course" in {_layer(m) for m in _graph()}, "jamlib/course/ is missing"


def test_no_import_cycles():
    graph = _graph()
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                cycles.append(" -> ".join(stack[stack.index(target):] + [target]))
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_analysis_does_no_file_or_network_work():
    offenders = {}
    for module, path in _modules().items():
        if _layer(module) == "analysis":
            bad = _imports(path)[1] & FORBIDDEN_IN_ANALYSIS
            if bad:
                offenders[module] = sorted(bad)
    assert not offenders, offenders


def test_the_command_line_starts_without_scipy_or_altair():
    code = ("import sys, jamlib.cli, jamlib; jamlib.JamlibError; "
            "heavy = [m for m in ('scipy', 'altair', 'nbconvert', 'papermill', 'pandas') if m in sys.modules]; "
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "", f"importing jamlib.cli loaded {out}"


@pytest.mark.parametrize("command", [["--help"], ["batch", "--help"], ["kolada", "fetch", "--help"]])
def test_help_is_printed_without_loading_pandas_or_the_notebook_machinery(command):
    """`jam --help` builds every subcommand's options; none of them may need pandas, scipy or altair."""
    code = ("import sys, contextlib, io, jamlib.cli\n"
            "text = io.StringIO()\n"
            "with contextlib.redirect_stdout(text), contextlib.suppress(SystemExit):\n"
            "    jamlib.cli.main(sys.argv[1:])\n"
            "heavy = [m for m in ('scipy', 'altair', 'nbconvert', 'papermill', 'pandas') if m in sys.modules]\n"
            "print(','.join(heavy) + '|' + str('användning: jam' in text.getvalue()))")
    out = subprocess.run([sys.executable, "-c", code, *command], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "|True", f"jam {' '.join(command)} loaded {out}"


def test_public_api_is_small_and_lazy():
    import jamlib

    assert len(jamlib.__all__) <= 40
    assert "KoladaError" in jamlib.__all__
    assert issubclass(jamlib.KoladaError, jamlib.JamlibError)
    out = subprocess.run([sys.executable, "-c", "import sys, jamlib; print('pandas' in sys.modules)"],
                         capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"
