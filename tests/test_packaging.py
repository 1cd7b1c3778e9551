"""The quick start is the real thing: environment.yml agrees with pyproject.toml, CI runs the README's test command."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

from tests.conftest import ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ ]", requirement.strip(), maxsplit=1)[0].lower()


def test_environment_yml_and_pyproject_list_the_same_packages():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_name(r) for r in project["dependencies"]} | {_name(r) for r in project["optional-dependencies"]["test"]}
    conda = set()
    for line in (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\s*-\s+([A-Za-z0-9_.\-]+)", line)
        if match:
            conda.add(match.group(1).lower())
    conda -= {"python", "pip", "conda-forge"}
    assert declared == conda


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = [line.strip() for line in section.splitlines() if line.strip().startswith("python3 -m venv")]
    assert len(commands) == 2, "the quick start has exactly two commands"
    assert commands[0].endswith("jam demo")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci


def test_jam_help_is_swedish_and_lists_every_command():
    out = subprocess.run([sys.executable, "-m", "jamlib.cli", "--help"], capture_output=True, text=True, check=True).stdout
    for command in ("validate", "ingest", "checklist", "demo"):
        assert command in out
    assert "granska" in out


def test_public_api_is_listed_and_importable():
    import jamlib

    for name in jamlib.__all__:
        assert hasattr(jamlib, name), name
    assert issubclass(jamlib.ValidationError, jamlib.JamlibError)
    assert issubclass(jamlib.DataFileError, jamlib.JamlibError)
