"""The course notebooks: generated from one source per lesson, no solutions for participants, and they run.

* Every facilitator notebook runs with the papermill command (a real kernel, started in the notebook's
  own folder as JupyterLab would) without an error, and every self-check in it says "Rätt!".
* Every participant notebook runs up to its first exercise without an error. Beyond that, each exercise as
  the participant gets it (``svar = ...``) runs and its check says "Inget svar än", and the solution then
  makes the same check say "Rätt!".
* Participant versions hold no line of solution code, and both versions are what the generator writes
  from the same source.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import nbformat
import pytest

from tests.conftest import ROOT



def _generator():
    spec = importlib.util.spec_from_file_location("make_course", ROOT / "scripts" / "make_course.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_course"] = module
    spec.loader.exec_module(module)
    return module


make_course = _generator()
LESSONS = make_course.lessons()
NAMES = [lesson.stem for lesson in LESSONS]


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _read(path: Path):
    return nbformat.read(path, as_version=4)


# -- the course as a whole ----------------------------------------------------------------------------

def test_the_course_has_lesson_0_and_at_least_five_lessons_each_with_exercises():
    assert NAMES[0].startswith("00_") and len(NAMES) >= 6
    for lesson in LESSONS:
        kinds = [c.kind for c in lesson.cells]
        assert kinds.count("övning") >= 2, lesson.stem
        assert kinds.count("kursledare") >= 2, lesson.stem  # timing, mistakes, discussion
        # every exercise is followed by its solution and then a self-check
        for index, kind in enumerate(kinds):
            if kind == "övning":
                assert kinds[index + 1 : index + 3] == ["lösning", "kontroll"], (lesson.stem, index)
        timing = " ".join(c.source for c in lesson.cells if c.kind == "kursledare")
        assert "**Tid:**" in timing, lesson.stem


def test_the_notebooks_are_what_the_generator_writes_from_the_sources(tmp_path):
    assert make_course.main(["--check"]) == 0
    assert make_course.main(["--ut", str(tmp_path)]) == 0
    for lesson in LESSONS:
        for version, path in make_course.targets(lesson).items():
            written = make_course.targets(lesson, tmp_path)[version]
            assert path.read_bytes() == written.read_bytes(), path


def test_both_versions_of_a_lesson_carry_the_same_source_digest():
    for lesson in LESSONS:
        paths = make_course.targets(lesson)
        metadata = [_read(paths[v]).metadata["jamlib_kurs"] for v in ("deltagare", "kursledare")]
        assert metadata[0]["kalla_sha256"] == metadata[1]["kalla_sha256"] == lesson.sha256
        assert metadata[0]["kalla"] == metadata[1]["kalla"] == f"notebooks/kurs/kallor/{lesson.path.name}"
        assert (metadata[0]["version"], metadata[1]["version"]) == ("deltagare", "kursledare")


def test_a_stale_notebook_without_a_source_is_reported(tmp_path, capsys):
    assert make_course.main(["--ut", str(tmp_path)]) == 0
    (tmp_path / "99_gammal.ipynb").write_text("{}", encoding="utf-8")
    assert make_course.main(["--check", "--ut", str(tmp_path)]) == 1
    assert "99_gammal.ipynb (ingen källa)" in capsys.readouterr().err


def test_participant_versions_contain_no_solution_code():
    for lesson in LESSONS:
        participant = _read(make_course.targets(lesson)["deltagare"])
        lines = {line.strip() for cell in participant.cells for line in cell.source.splitlines()}
        solutions = make_course.solution_lines(lesson)
        assert solutions, lesson.stem
        assert not [line for line in solutions if line in lines], lesson.stem
        tags = {t for cell in participant.cells for t in _tags(cell)}
        assert tags <= {"övning", "kontroll"}, (lesson.stem, tags)
        assert "**Kursledare**" not in json.dumps(participant.cells, ensure_ascii=False)
        facilitator = _read(make_course.targets(lesson)["kursledare"])
        exercises = sum("övning" in _tags(c) for c in participant.cells)
        assert exercises == sum("lösning" in _tags(c) for c in facilitator.cells)


@pytest.mark.parametrize("source, message", [
    ("Text\n\n```python lösning\nx = 1\n```\n", "direkt efter sin övning"),
    ("```python övning\nx = ...\n```\n\nText\n", "saknar lösning"),
    ("```python övning\nx = ...\n```\n\n```python kontroll\nkontroll.x(x)\n```\n", "saknar lösning"),
    ("```pyton\nx = 1\n```\n", "okänd cellsort"),
    ("```python\nx = 1\n", "avslutas aldrig"),
])
def test_the_generator_refuses_a_broken_source(tmp_path, source, message):
    path = tmp_path / "01_prov.md"
    path.write_text(source, encoding="utf-8")
    with pytest.raises(make_course.SourceError, match=message):
        make_course.build(make_course.parse(path))


def test_the_generator_refuses_a_source_that_would_show_a_solution(tmp_path):
    path = tmp_path / "01_prov.md"
    path.write_text("```python\nsvar = tabell[\"K\"] - tabell[\"M\"]\n```\n\n```python övning\nsvar = ...\n```\n\n"
                    "```python lösning\nsvar = tabell[\"K\"] - tabell[\"M\"]\n```\n", encoding="utf-8")
    with pytest.raises(make_course.SourceError, match="lösningskod"):
        make_course.build(make_course.parse(path))


# -- running the notebooks ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The dress rehearsal (``make_course.py --prova``): every facilitator notebook and participant rehearsal."""
    from jamlib.course import kursdata

    kursdata.kolada()  # build the course cache once, before the kernels start
    runs = make_course.rehearse(LESSONS, tmp_path_factory.mktemp("kurs"))
    return {(run.version, run.lesson): run for run in runs}


@pytest.mark.parametrize("name", NAMES)
def test_every_facilitator_notebook_runs_and_every_check_says_right(executed, name):
    run = executed[("kursledare", name)]
    assert run.returncode == 0, run.stderr[-3000:]
    assert not run.problems()
    checks = [c for c in run.notebook().cells if "kontroll" in make_course.tags(c)]
    assert len(checks) == sum(c.kind == "övning" for c in LESSONS[NAMES.index(name)].cells)


@pytest.mark.parametrize("name", NAMES)
def test_every_participant_notebook_runs_to_its_first_exercise_and_each_exercise_checks(executed, name):
    run = executed[("deltagare", name)]
    notebook = run.notebook()
    participant = _read(make_course.targets(LESSONS[NAMES.index(name)])["deltagare"])
    first = next(i for i, c in enumerate(notebook.cells) if "övning" in _tags(c))
    own_code = [c.source for c in participant.cells if c.cell_type == "code"]
    assert [c.source for c in notebook.cells[:first]] == own_code[:first]       # the participant's own cells
    assert all(c.get("execution_count") for c in notebook.cells[: first + 1]), "did not reach the first exercise"
    assert run.returncode == 0, run.stderr[-3000:]
    assert not run.problems()                       # as handed out: "Inget svar än"; after the solution: "Rätt!"
    verdicts = ["".join(o.get("data", {}).get("text/plain", "") for o in c.outputs) for c in notebook.cells
                if "kontroll" in _tags(c)]
    assert sum(v.startswith("Inget svar än.") for v in verdicts) == sum(v.startswith("Rätt!") for v in verdicts) > 0


def test_the_rehearsal_reports_a_wrong_solution():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", metadata={"tags": ["kontroll"]})])
    notebook.cells[0].outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "Inte riktigt än. Tips"})]
    assert make_course.problems("kursledare", notebook) == ["kontrollen sa 'Inte riktigt än. Tips', väntat 'Rätt!'"]
    notebook.cells[0].outputs = [nbformat.v4.new_output("error", ename="NameError", evalue="x", traceback=[])]
    assert make_course.problems("deltagare", notebook)[0] == "fel: NameError: x"


def test_charts_are_pictures_that_need_no_network(executed):
    notebook = executed[("kursledare", "02_skillnader_och_polaritet")].notebook()
    outputs = [o for c in notebook.cells for o in c.get("outputs", [])]
    svg = [o["data"]["image/svg+xml"] for o in outputs if "image/svg+xml" in o.get("data", {})]
    assert svg, "no chart drawn"
    assert not any("cdn.jsdelivr" in json.dumps(o) for o in outputs)
    assert any(">2018<" in picture and "2\u00a0018" not in picture for picture in svg)
    lines = [picture.lower() for picture in svg if ">2018<" in picture]
    assert all("#e69f00" in p and "#0072b2" in p for p in lines)   # women orange, men blue, as in the reports
