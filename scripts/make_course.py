"""Write the course notebooks from one source per lesson (run again after editing a source).

Each lesson has ONE source, ``notebooks/kurs/kallor/NN_namn.md``, from which two notebooks are written:

* ``notebooks/kurs/NN_namn.ipynb``: the participant version, with the exercise cells left to fill in;
* ``notebooks/kurs/kursledare/NN_namn.ipynb``: the facilitator version, with the solutions, timing,
  discussion questions and the common mistakes to watch for.

The source is Markdown. Prose becomes Markdown cells (a line holding only ``+++`` starts a new cell).
Fenced blocks that start at the beginning of a line with three backticks become cells by their info string:

=====================  =========================================================================
info string            cell
=====================  =========================================================================
``python``             code, in both versions
``python övning``      the exercise as the participant gets it (``svar = ...``); participant only
``python lösning``     the solution; facilitator only; must follow its ``python övning`` directly
``python kontroll``    the self-check (``kontroll.skillnad(bred)``), in both versions
``kursledare``         Markdown for the facilitator only (shown as a quotation)
=====================  =========================================================================

Code shown as text inside prose uses ``~~~`` fences. The script refuses to write a participant
version that contains a line of a solution (other than lines the exercise itself gives), and every
notebook records the source's SHA-256 in its metadata (``jamlib_kurs``), so a test can tell that
both versions came from the same source.

Usage::

    python scripts/make_course.py            # write notebooks/kurs/ and notebooks/kurs/kursledare/
    python scripts/make_course.py --check    # exit 1 if a notebook differs from what its source gives
    python scripts/make_course.py --prova    # dress rehearsal: run every lesson with papermill (see below)

The dress rehearsal runs, for every lesson, the facilitator notebook and a *rehearsal* of the participant
notebook: the participant's cells in order, where each exercise is first run as handed out (its check must
say "Inget svar än"), then the solution is played and the same check must say "Rätt!". Every facilitator
check must say "Rätt!" too. Notebooks run in their own folders, as in JupyterLab. A trainer runs it on each
classroom computer before the course (it also builds the data cache, so that lessons start quickly).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "notebooks" / "kurs"
SOURCES = COURSE / "kallor"
FACILITATOR = "kursledare"

#: Cell kinds, by the fence's info string.
KINDS = {"python": "kod", "python övning": "övning", "python lösning": "lösning", "python kontroll": "kontroll",
         "kursledare": "kursledare"}

#: Solution lines this short (``)``, ``else:``) may appear anywhere.
_SHORT = 6


class SourceError(Exception):
    """A lesson source breaks the format (the message names the file and line)."""


@dataclass
class Cell:
    kind: str  # "text", "kod", "övning", "lösning", "kontroll", "kursledare"
    source: str
    line: int
    pair: str = ""  # for a solution: the exercise cell's source


@dataclass
class Lesson:
    path: Path
    cells: list[Cell] = field(default_factory=list)

    @property
    def stem(self) -> str:
        return self.path.stem

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


def parse(path: Path) -> Lesson:
    """Read one lesson source into cells, checking the format."""
    lesson = Lesson(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    prose: list[str] = []
    prose_start = 1

    def flush_prose() -> None:
        text = "\n".join(prose).strip("\n")
        if text.strip():
            if lesson.cells and lesson.cells[-1].kind == "övning":
                raise SourceError(f"{path.name}, rad {lesson.cells[-1].line}: övningen saknar lösning direkt efter.")
            lesson.cells.append(Cell("text", text, prose_start))
        prose.clear()

    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("```"):
            info = line[3:].strip()
            if info not in KINDS:
                raise SourceError(f"{path.name}, rad {index + 1}: okänd cellsort \"{info}\" "
                                  f"(tillåtna: {', '.join(KINDS)}).")
            flush_prose()
            start = index + 1
            body: list[str] = []
            index += 1
            while index < len(lines) and lines[index].rstrip() != "```":
                body.append(lines[index])
                index += 1
            if index == len(lines):
                raise SourceError(f"{path.name}, rad {start}: blocket avslutas aldrig med ```.")
            cell = Cell(KINDS[info], "\n".join(body).strip("\n"), start)
            if cell.kind == "lösning":
                previous = lesson.cells[-1] if lesson.cells else None
                if previous is None or previous.kind != "övning":
                    raise SourceError(f"{path.name}, rad {start}: en lösning måste komma direkt efter sin övning.")
                cell.pair = previous.source
            if lesson.cells and lesson.cells[-1].kind == "övning" and cell.kind != "lösning":
                raise SourceError(f"{path.name}, rad {lesson.cells[-1].line}: övningen saknar lösning direkt efter.")
            lesson.cells.append(cell)
            index += 1
            prose_start = index + 1
            continue
        if line.strip() == "+++":
            flush_prose()
            prose_start = index + 2
        else:
            if not prose:
                prose_start = index + 1
            prose.append(line)
        index += 1
    flush_prose()
    if lesson.cells and lesson.cells[-1].kind == "övning":
        raise SourceError(f"{path.name}: den sista övningen saknar lösning.")
    return lesson


def _facilitator_note(text: str) -> str:
    lines = ["**Kursledare**", "", *text.splitlines()]
    return "\n".join("> " + line if line else ">" for line in lines)


def _cell(cell: Cell, lesson: Lesson, number: int, version: str):
    tags = [] if cell.kind in ("text", "kod") else [cell.kind]
    if cell.kind in ("text", "kursledare"):
        text = _facilitator_note(cell.source) if cell.kind == "kursledare" else cell.source
        made = new_markdown_cell(text, metadata={"tags": tags} if tags else {})
    else:
        made = new_code_cell(cell.source, metadata={"tags": tags} if tags else {})
    made["id"] = f"{lesson.stem[:2]}-{version[:4]}-{number:02d}"
    return made


def solution_lines(lesson: Lesson) -> list[str]:
    """Lines of the solutions that the exercise cells do not give the participant."""
    lines = []
    for cell in lesson.cells:
        if cell.kind != "lösning":
            continue
        given = {line.strip() for line in cell.pair.splitlines()}
        for line in cell.source.splitlines():
            stripped = line.strip()
            if len(stripped) >= _SHORT and not stripped.startswith("#") and stripped not in given:
                lines.append(stripped)
    return lines


def build(lesson: Lesson) -> dict[str, nbformat.NotebookNode]:
    """Both notebooks of a lesson: ``{"deltagare": ..., "kursledare": ...}``."""
    keep = {"deltagare": {"text", "kod", "övning", "kontroll"},
            "kursledare": {"text", "kod", "lösning", "kontroll", "kursledare"}}
    books = {}
    for version, kinds in keep.items():
        cells = [c for c in lesson.cells if c.kind in kinds]
        notebook = new_notebook(
            cells=[_cell(c, lesson, i, version) for i, c in enumerate(cells)],
            metadata={
                "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                "language_info": {"name": "python"},
                "jamlib_kurs": {"lektion": lesson.stem, "version": version,
                                "kalla": f"notebooks/kurs/kallor/{lesson.path.name}", "kalla_sha256": lesson.sha256},
            })
        nbformat.validate(notebook)
        books[version] = notebook
    participant_lines = {line.strip() for cell in books["deltagare"].cells for line in cell.source.splitlines()}
    leaked = [line for line in solution_lines(lesson) if line in participant_lines]
    if leaked:
        raise SourceError(f"{lesson.path.name}: deltagarversionen skulle innehålla lösningskod: {leaked[0]!r}")
    return books


def lessons(folder: Path = SOURCES) -> list[Lesson]:
    """Every lesson source, in order."""
    return [parse(path) for path in sorted(folder.glob("[0-9][0-9]_*.md"))]


def targets(lesson: Lesson, out: Path = COURSE) -> dict[str, Path]:
    """Where a lesson's two notebooks are written."""
    return {"deltagare": out / f"{lesson.stem}.ipynb", "kursledare": out / FACILITATOR / f"{lesson.stem}.ipynb"}


def render(notebook: nbformat.NotebookNode) -> str:
    """The notebook file's text, exactly as written."""
    return nbformat.writes(notebook) + "\n"


# -- the dress rehearsal ----------------------------------------------------------------------------

def tags(cell) -> list[str]:
    """A notebook cell's tags."""
    return list(cell.get("metadata", {}).get("tags", []))


def rehearsal(lesson: Lesson) -> nbformat.NotebookNode:
    """The participant notebook with each solution played after the exercise has been checked as handed out.

    The code cells of the participant version, in order; after each self-check that follows an exercise, the
    solution and the same self-check again (tagged ``efter lösning``). Up to the first exercise this is the
    participant notebook itself.
    """
    participant = build(lesson)["deltagare"]
    solutions = [c.source for c in lesson.cells if c.kind == "lösning"]
    cells, pending = [], None
    for cell in participant.cells:
        if cell.cell_type != "code":
            continue
        cells.append(new_code_cell(cell.source, metadata={"tags": tags(cell)}))
        if "övning" in tags(cell):
            pending = solutions.pop(0)
        elif "kontroll" in tags(cell) and pending is not None:
            cells.append(new_code_cell(pending, metadata={"tags": ["lösning"]}))
            cells.append(new_code_cell(cell.source, metadata={"tags": ["kontroll", "efter lösning"]}))
            pending = None
    notebook = new_notebook(cells=cells, metadata=participant.metadata)
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"{lesson.stem[:2]}-prov-{index:02d}"
    return notebook


def _check_outputs(notebook) -> list[tuple[list[str], str]]:
    found = []
    for cell in notebook.cells:
        if "kontroll" in tags(cell):
            text = "".join(o.get("data", {}).get("text/plain", "") for o in cell.get("outputs", []))
            found.append((tags(cell), text))
    return found


def problems(version: str, notebook) -> list[str]:
    """What is wrong with an executed facilitator notebook or rehearsal (empty when all is well)."""
    found = [f"fel: {o.get('ename')}: {o.get('evalue')}" for c in notebook.cells for o in c.get("outputs", [])
             if o.get("output_type") == "error"]
    checks = _check_outputs(notebook)
    if not checks:
        found.append("inga kontroller kördes")
    for cell_tags, text in checks:
        expected = "Inget svar än." if version == "deltagare" and "efter lösning" not in cell_tags else "Rätt!"
        if not text.startswith(expected):
            found.append(f"kontrollen sa {text[:120]!r}, väntat {expected!r}")
    return found


@dataclass
class Run:
    """One executed notebook of the dress rehearsal."""

    lesson: str
    version: str  # "kursledare" or "deltagare" (the rehearsal)
    returncode: int
    stderr: str
    output: Path

    def notebook(self):
        return nbformat.read(self.output, as_version=4)

    def problems(self) -> list[str]:
        if not self.output.exists():
            return [f"papermill avbröt (kod {self.returncode}): {self.stderr.strip()[-500:]}"]
        return problems(self.version, self.notebook())


def _papermill(source: Path, output: Path, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "papermill", "--no-progress-bar", "--cwd", str(cwd), str(source),
                           str(output)], capture_output=True, text=True, encoding="utf-8", errors="replace",
                          timeout=900, cwd=ROOT)


def rehearse(all_lessons: list[Lesson], folder: Path, workers: int = 2, done=None) -> list[Run]:
    """Run every lesson's facilitator notebook and participant rehearsal with papermill, ``workers`` at a time.

    ``done``, when given, is called with each :class:`Run` as soon as it has finished (for progress).
    """
    jobs = []
    for lesson in all_lessons:
        trial = folder / f"prov_{lesson.stem}.ipynb"
        nbformat.write(rehearsal(lesson), str(trial))
        jobs.append((lesson.stem, "kursledare", targets(lesson)["kursledare"], folder / f"ut_kursledare_{lesson.stem}.ipynb",
                     COURSE / FACILITATOR))
        jobs.append((lesson.stem, "deltagare", trial, folder / f"ut_deltagare_{lesson.stem}.ipynb", COURSE))
    def execute(job) -> Run:
        stem, version, source, output, cwd = job
        result = _papermill(source, output, cwd)
        run = Run(stem, version, result.returncode, result.stderr, output)
        if done is not None:
            done(run)
        return run

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(execute, jobs))


def _dress_rehearsal(all_lessons: list[Lesson]) -> int:
    from jamlib.course import kursdata

    print("bygger kursens data (första gången tar det en stund) ...", flush=True)
    here = Path.cwd()
    os.chdir(ROOT)  # the data are found from the repository, wherever the script was started
    try:
        kursdata.kolada()
    finally:
        os.chdir(here)
    failed = []

    def report(run: Run) -> None:
        found = run.problems()
        if found:
            failed.append(run)
        print(f"{run.lesson} ({run.version}): " + ("ok" if not found else "; ".join(found)), flush=True)

    print(f"kör {2 * len(all_lessons)} anteckningsböcker, två åt gången ...", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        rehearse(all_lessons, Path(folder), done=report)
    print("allt fungerar" if not failed else f"{len(failed)} körningar hade problem")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Skriv kursens anteckningsböcker från källorna i notebooks/kurs/kallor/.")
    parser.add_argument("--check", action="store_true", help="skriv inget; kod 1 om någon anteckningsbok skiljer sig")
    parser.add_argument("--ut", type=Path, default=COURSE, help="mapp att skriva till (standard notebooks/kurs)")
    parser.add_argument("--prova", action="store_true",
                        help="generalrepetition: kör varje lektion med papermill och kontrollera alla svar")
    args = parser.parse_args(argv)
    if hasattr(sys.stdout, "reconfigure"):  # a Windows console (cp1252) must not stop on a character it lacks
        sys.stdout.reconfigure(errors="replace")
        sys.stderr.reconfigure(errors="replace")
    try:
        all_lessons = lessons()
        if args.prova:
            return _dress_rehearsal(all_lessons)
        differing = []
        if args.check:
            expected = {path for lesson in all_lessons for path in targets(lesson, args.ut).values()}
            present = {*args.ut.glob("*.ipynb"), *(args.ut / FACILITATOR).glob("*.ipynb")}
            differing += [f"{path.relative_to(args.ut)} (ingen källa)" for path in sorted(present - expected)]
        for lesson in all_lessons:
            books = build(lesson)
            for version, path in targets(lesson, args.ut).items():
                text = render(books[version])
                if args.check:
                    if not path.exists() or path.read_text(encoding="utf-8") != text:
                        differing.append(str(path.relative_to(args.ut)))
                    continue
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8", newline="\n")
                print("skrev", path.relative_to(args.ut))
    except SourceError as exc:
        print(f"fel i en källa: {exc}", file=sys.stderr)
        return 2
    if differing:
        print("skiljer sig från källan (kör python scripts/make_course.py): " + ", ".join(differing), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
