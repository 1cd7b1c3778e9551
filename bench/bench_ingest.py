"""Benchmark: ``jam ingest`` at national scale, and ``jam gaps`` and a notebook from the processed store.

1. Generates Kolada-shaped files (API v3 ``data_<KPI>.json``, one file per KPI as
   ``jam kolada fetch`` writes them): the 290 municipalities and Riket from
   ``jamlib/_data/municipality.json``, 25 years (1998–2022), K/M/T for four records
   in five and T only for the rest, about 8 % of municipality-years without a
   record, 3 % null values and 0,3 % entries marked ``isdeleted``; at 1, 3 and 30
   million values (``--quick``: 1 million only; ``--sizes`` to choose).
2. For each size, in the same run:
   * baseline: reading the same JSON into one DataFrame the plain way
     (``json.loads`` per file, a tuple per value, ``pd.DataFrame``), in a child process;
   * ``jam ingest`` into an empty processed folder (everything validated and written);
   * ``jam ingest`` again with nothing changed (everything taken from the store);
   and prints wall time, values per second, peak memory (resident set) and the ratio to the baseline.
   For the largest size below 30 million it also times the stages inside one process
   (reading, validating) to give values per second *validated*.
3. On the bundled data, ingested into a processed store: ``jam gaps --org 1780`` and
   one run of ``notebooks/indikatorrapport.ipynb`` (papermill with jamlib's in-process
   engine, papermill with a Jupyter kernel, and ``jam batch --org 1780``, which also
   exports the HTML report), and the floor under them (a notebook with only its parameters
   and ``import pandas``, run the same ways and the way ``jam batch`` runs it), each as a ratio to
   ``python -c "import pandas"`` timed in the same run (median of three). The papermill
   runs are timed with an empty chart cache (``JAMLIB_CACHE``: a new empty folder per run,
   "cold") and again with the cache a previous run filled ("warm"). ``--store-only``
   times only this part; ``--before REF`` also times the same commands with jamlib of the
   git commit ``REF`` (its files on ``PYTHONPATH``), alternated with the working tree's.

Targets (issue 9): at least 1 million values per second validated; 30 million values in
at most 2 minutes and 8 GB; ``jam gaps`` and a notebook run at most 3× ``import pandas``.

Usage::

    python bench/bench_ingest.py            # 1, 3 and 30 million values (needs ~2,5 GB disk in --work)
    python bench/bench_ingest.py --quick    # 1 million values
    python bench/bench_ingest.py --sizes 3 --work /tmp/jam-bench
    python bench/bench_ingest.py --sizes 1 --skip-store --compare-validation d82cf83   # validation.py then and now
    python bench/bench_ingest.py --store-only --before 77a31f6   # notebook runs then and now, same run
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
YEARS = range(1998, 2023)
SHARE_T_ONLY = 0.2
SHARE_NO_RECORD = 0.08
SHARE_NULL = 0.03
SHARE_DELETED = 0.003


# --------------------------------------------------------------------------- data


def _codes() -> list[str]:
    document = json.loads((ROOT / "jamlib" / "_data" / "municipality.json").read_text(encoding="utf-8"))
    return ["0000"] + sorted(v["id"] for v in document["values"] if v["type"] == "K")


def _kpi_file(kpi: str, codes: list[str], rnd: random.Random) -> tuple[str, int]:
    """One Kolada data file as text, and how many values it holds."""
    records = []
    values = 0
    for code in codes:
        level = rnd.uniform(5, 95)
        for year in YEARS:
            if code != "0000" and rnd.random() < SHARE_NO_RECORD:
                continue
            sexes = ("T",) if rnd.random() < SHARE_T_ONLY else ("K", "M", "T")
            entries = []
            for sex in sexes:
                value = "null" if rnd.random() < SHARE_NULL else repr(round(level + rnd.gauss(0, 4), 1))
                deleted = "true" if rnd.random() < SHARE_DELETED else "false"
                entries.append(f'{{"gender":"{sex}","count":1,"status":"","value":{value},"isdeleted":{deleted}}}')
            values += len(entries)
            records.append(f'{{"kpi":"{kpi}","municipality":"{code}","period":{year},"values":[{",".join(entries)}]}}')
    text = f'{{"count":{len(records)},"next_url":null,"previous_url":null,"values":[{",".join(records)}]}}'
    return text, values


def generate(folder: Path, target: int) -> tuple[int, int]:
    """Kolada files with about ``target`` values under ``folder/raw/kolada``; returns (values, bytes).

    A folder generated before with the same target is used again.
    """
    marker = folder / "generated.json"
    if marker.exists():
        info = json.loads(marker.read_text(encoding="utf-8"))
        if info.get("target") == target:
            return info["values"], info["bytes"]
    shutil.rmtree(folder, ignore_errors=True)
    out = folder / "raw" / "kolada"
    out.mkdir(parents=True)
    rnd = random.Random(target)
    codes = _codes()
    values = size = 0
    number = 0
    while values < target:
        kpi = f"B{90000 + number:05d}"
        text, count = _kpi_file(kpi, codes, rnd)
        data = text.encode("utf-8")
        (out / f"data_{kpi}.json").write_bytes(data)
        values += count
        size += len(data)
        number += 1
    marker.write_text(json.dumps({"target": target, "values": values, "bytes": size, "files": number}), encoding="utf-8")
    return values, size


# --------------------------------------------------------------------------- measuring


CPU: dict[tuple, float] = {}


def run(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None,
        ok: tuple[int, ...] = (0, 1)) -> tuple[float, float, int]:
    """Run a command; return (wall seconds, peak resident memory in MB, exit code); stop on any exit code not in ``ok``.

    The CPU seconds it used (user + system, its worker processes included) are kept in :data:`CPU`.
    ``env`` adds to (or, with an empty value, sets empty) this process's environment.
    """
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env={**os.environ, **env} if env else None)
    error = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in ok:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{error[-2000:]}")
    CPU[tuple(command)] = usage.ru_utime + usage.ru_stime
    return seconds, usage.ru_maxrss / 1024, process.returncode


BASELINE = """
import json, sys
from pathlib import Path
import pandas as pd
frames = []
for path in sorted(Path(sys.argv[1]).glob("data_*.json")):
    document = json.loads(path.read_bytes())
    rows = [(r["kpi"], r["municipality"], r["period"], e["gender"], e["value"], e["isdeleted"])
            for r in document["values"] for e in r["values"]]
    frames.append(pd.DataFrame(rows, columns=["kpi", "municipality", "period", "gender", "value", "isdeleted"]))
data = pd.concat(frames, ignore_index=True)
print(len(data))
"""

STAGES = """
import sys, time, json
from pathlib import Path
from jamlib.ingest.readers import read_raw
from jamlib.ingest.validation import validate
read = check = read_cpu = check_cpu = 0.0
values = 0
for path in sorted(Path(sys.argv[1]).glob("data_*.json")):
    t0, c0 = time.perf_counter(), time.process_time(); raw = read_raw(path); t1, c1 = time.perf_counter(), time.process_time()
    result = validate(raw); t2, c2 = time.perf_counter(), time.process_time()
    read += t1 - t0; check += t2 - t1; read_cpu += c1 - c0; check_cpu += c2 - c1; values += result.rows_read
print(json.dumps({"values": values, "read": read, "validate": check, "read_cpu": read_cpu, "validate_cpu": check_cpu}))
"""


COMPARE = """
import importlib.util, json, subprocess, sys, tempfile, time
from pathlib import Path
import jamlib.ingest.validation as after
from jamlib.ingest.readers import read_raw
root, ref, folder, rounds = sys.argv[1], sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])
source = subprocess.run(["git", "-C", root, "show", f"{ref}:jamlib/ingest/validation.py"], check=True,
                        capture_output=True).stdout
with tempfile.NamedTemporaryFile("wb", suffix=".py", delete=False) as handle:
    handle.write(source)
spec = importlib.util.spec_from_file_location("validation_before", handle.name)
before = importlib.util.module_from_spec(spec)
sys.modules["validation_before"] = before
spec.loader.exec_module(before)
raws = [read_raw(path) for path in sorted(folder.glob("data_*.json"))]
values = sum(after.validate(raw).rows_read for raw in raws)
cpu = {"before": 0.0, "after": 0.0}
for number in range(rounds):  # alternated, so that a change in the machine's load falls on both
    for name, module in (("before", before), ("after", after))[:: 1 if number % 2 == 0 else -1]:
        started = time.process_time()
        for raw in raws:
            module.validate(raw)
        cpu[name] += time.process_time() - started
print(json.dumps({"values": values * rounds, **cpu}))
"""


def compare_validation(ref: str, folder: Path, rounds: int) -> None:
    """CPU time of validating the same files with ``validation.py`` of ``ref`` and of the working tree, in one process."""
    result = json.loads(subprocess.run([sys.executable, "-c", COMPARE, str(ROOT), ref, str(folder), str(rounds)],
                                       check=True, capture_output=True, text=True).stdout)
    print(f"\nValidation in one process, {rounds} rounds alternated, `validation.py` of {ref} against the working tree: "
          f"{_n(result['values'] / result['before'])} against {_n(result['values'] / result['after'])} values per CPU "
          f"second ({_n(result['before'], 1)} s and {_n(result['after'], 1)} s CPU), "
          f"**{_n(result['before'] / result['after'], 2)}×**.")


def _load() -> str:
    try:
        return "load average " + " ".join(f"{x:.1f}".replace(".", ",") for x in os.getloadavg())
    except OSError:  # pragma: no cover
        return ""


def _n(number: float, decimals: int = 0) -> str:
    """A number the Swedish way: space between thousands, decimal comma."""
    return f"{number:,.{decimals}f}".replace(",", " ").replace(".", ",")


def bench_size(millions: float, work: Path, compare: str | None = None) -> None:
    python = sys.executable
    folder = work / f"kolada_{millions:g}M"
    started = time.perf_counter()
    values, size = generate(folder, int(millions * 1_000_000))
    files = len(list((folder / "raw" / "kolada").glob("data_*.json")))
    print(f"\n## {_n(values)} values in {files} Kolada files ({_n(size / 1e9, 2)} GB); generated or found in "
          f"{_n(time.perf_counter() - started)} s")
    baseline = [python, "-c", BASELINE, str(folder / "raw" / "kolada")]
    base_s, base_mb, _ = run(baseline)
    processed = folder / "processed"
    shutil.rmtree(processed, ignore_errors=True)
    ingest = [python, "-m", "jamlib.cli", "ingest", "--raw", str(folder / "raw"), "--processed", str(processed)]
    cold_s, cold_mb, _ = run(ingest)
    cold_cpu = CPU[tuple(ingest)]
    warm_s, warm_mb, _ = run(ingest)
    print("| | wall | values/s (wall) | CPU time | values per CPU second | peak memory | wall ratio to baseline |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for label, seconds, cpu, mb in (("baseline: JSON into a DataFrame", base_s, CPU[tuple(baseline)], base_mb),
                                    ("`jam ingest`, empty store", cold_s, cold_cpu, cold_mb),
                                    ("`jam ingest` again, nothing changed", warm_s, CPU[tuple(ingest)], warm_mb)):
        print(f"| {label} | {_n(seconds, 1)} s | {_n(values / seconds)} | {_n(cpu, 1)} s | {_n(values / cpu)} | "
              f"{_n(mb)} MB | {_n(seconds / base_s, 2)}× |")
    if millions < 30:
        stages = json.loads(subprocess.run([python, "-c", STAGES, str(folder / "raw" / "kolada")], check=True,
                                           capture_output=True, text=True).stdout)
        print(f"\nInside one process: reading {_n(stages['values'] / stages['read'])} values/s, "
              f"validating {_n(stages['values'] / stages['validate'])} values/s "
              f"({_n(stages['read'], 1)} s and {_n(stages['validate'], 1)} s wall); per CPU second: reading "
              f"{_n(stages['values'] / stages['read_cpu'])}, validating {_n(stages['values'] / stages['validate_cpu'])} values.")
        if compare:
            compare_validation(compare, folder / "raw" / "kolada", 4)
    print(f"({_load()})", flush=True)


def _tree_of(ref: str, work: Path) -> Path:
    """The files of git commit ``ref`` (for ``PYTHONPATH``), extracted once into ``work``."""
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", ref], check=True, capture_output=True,
                            text=True).stdout.strip()
    tree = work / f"jamlib-{commit}"
    if not (tree / "jamlib" / "__init__.py").exists():
        shutil.rmtree(tree, ignore_errors=True)
        tree.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "jamlib"], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


def _write_empty_notebook(path: Path) -> None:
    """A notebook with a parameters cell and one cell ``import pandas``: what every notebook run costs at least."""
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [nbformat.v4.new_code_cell('kommunkod = "0180"', metadata={"tags": ["parameters"]}),
                      nbformat.v4.new_code_cell("import pandas")]
    nbformat.write(notebook, str(path))


def bench_store(work: Path, before: str | None = None) -> None:
    python = sys.executable
    data = work / "bundled" / "data"
    shutil.rmtree(data.parent, ignore_errors=True)
    shutil.copytree(ROOT / "data" / "raw", data / "raw")
    run([python, "-m", "jamlib.cli", "ingest", "--raw", str(data / "raw"), "--processed", str(data / "processed")])
    kolada = str(data / "raw" / "kolada")
    out = work / "bundled" / "out.ipynb"
    notebook = str(ROOT / "notebooks" / "indikatorrapport.ipynb")
    # Run from the copied data (its data/raw/organisations is the notebook's default), never from the repository:
    # `python -m` and a kernel put their working folder first on sys.path, before PYTHONPATH (--before).
    papermill = [python, "-m", "papermill", notebook, str(out), "-p", "kommunkod", "1780", "-p", "datamapp", kolada,
                 "-p", "interaktiv", "False", "--no-progress-bar", "--cwd", str(data.parent)]
    batch = [python, "-m", "jamlib.cli", "batch", notebook, "--org", "1780", "--workers", "1",
             "--out", str(work / "bundled" / "batch"), "-p", f"datamapp={kolada}"]
    # The floor of any notebook run: a notebook with only a parameters cell and `import pandas`, run the same ways
    empty = work / "bundled" / "tom.ipynb"
    _write_empty_notebook(empty)
    floor = [python, "-m", "papermill", str(empty), str(work / "bundled" / "tom_ut.ipynb"), "-p", "kommunkod", "1780",
             "--no-progress-bar", "--cwd", str(data.parent)]
    # The same empty notebook the way `jam batch` runs it: jamlib imported first (so jamlib._imports keeps
    # jsonschema's unused grammar out), then papermill in process, without saving after each cell.
    floor_jamlib = [python, "-c", "import sys, jamlib, papermill; papermill.execute_notebook(sys.argv[1], sys.argv[2], "
                    "parameters={'kommunkod': '1780'}, engine_name='jamlib', kernel_name='python3', "
                    "progress_bar=False, log_output=False, request_save_on_cell_execute=False, cwd=sys.argv[3])",
                    str(empty), str(work / "bundled" / "tom_ut.ipynb"), str(data.parent)]
    floor_batch = [python, "-m", "jamlib.cli", "batch", str(empty), "--org", "1780", "--workers", "1",
                   "--out", str(work / "bundled" / "batch_tom")]
    caches = work / "bundled" / "caches"
    shutil.rmtree(caches, ignore_errors=True)
    warm_cache = str(caches / "warm")

    caches.mkdir(parents=True)

    def cold() -> dict[str, str]:  # a new, empty chart cache for every run
        return {"JAMLIB_CACHE": tempfile.mkdtemp(dir=caches)}

    # label -> (command, environment for each run; None: as it is)
    commands: dict[str, tuple[list[str], object]] = {
        "`python -c \"import pandas\"` (the yardstick)": ([python, "-c", "import pandas"], None),
        "empty notebook (parameters and `import pandas`), papermill `--engine jamlib` (the floor)": (
            [*floor, "--engine", "jamlib"], None),
        "empty notebook (parameters and `import pandas`), papermill with a Jupyter kernel (the floor)": (floor, None),
        "empty notebook, jamlib imported first, then `papermill.execute_notebook` in process (jamlib's floor)": (
            floor_jamlib, None),
        "empty notebook, `jam batch --org 1780` (run and exported to HTML; jamlib's floor with the export)": (
            floor_batch, None),
        "`jam gaps --org 1780` from the processed store": ([python, "-m", "jamlib.cli", "gaps", "--org", "1780",
                                                            "--data", kolada], None),
        "indicator notebook, papermill `--engine jamlib` (one process), cold chart cache": (
            [*papermill, "--engine", "jamlib"], cold),
        "indicator notebook, papermill `--engine jamlib`, warm chart cache": (
            [*papermill, "--engine", "jamlib"], lambda: {"JAMLIB_CACHE": warm_cache}),
        "indicator notebook, papermill with a Jupyter kernel, cold chart cache": (papermill, cold),
        "indicator notebook, papermill with a Jupyter kernel, warm chart cache": (
            papermill, lambda: {"JAMLIB_CACHE": warm_cache}),
        "indicator notebook, `jam batch --org 1780` (run and exported to HTML; no static images), cold cache": (
            batch, cold),
        "indicator notebook, `jam batch --org 1780`, warm cache (the page's Vega bundle)": (
            batch, lambda: {"JAMLIB_CACHE": warm_cache}),
    }
    for label in ("indicator notebook, papermill `--engine jamlib`, warm chart cache",
                  "indicator notebook, `jam batch --org 1780`, warm cache (the page's Vega bundle)"):
        run(commands[label][0], cwd=data.parent, env={"JAMLIB_CACHE": warm_cache}, ok=(0,))  # fills the warm cache
    trees = {"now": None}
    if before:
        trees = {before: _tree_of(before, work), "now": None}

    def cached(tree: Path) -> bool:  # whether that jamlib keeps charts in JAMLIB_CACHE (since session 6)
        files = tree / "jamlib" / "files.py"
        return files.exists() and "JAMLIB_CACHE" in files.read_text(encoding="utf-8")

    walls: dict[tuple[str, str], list[float]] = {}
    cpus: dict[tuple[str, str], list[float]] = {}
    for number in range(3):  # alternated, so that a change in the machine's load falls on both trees
        for tree_name, tree in list(trees.items())[:: 1 if number % 2 == 0 else -1]:
            for label, (command, environment) in commands.items():
                if tree is not None and "warm" in label and not cached(tree):
                    continue  # the commit before has no chart cache
                env = dict(environment()) if environment else {}
                if tree is not None:
                    env["PYTHONPATH"] = str(tree)
                seconds, _, _ = run(command, cwd=data.parent, env=env or None, ok=(0,))  # a failed run is no result
                walls.setdefault((tree_name, label), []).append(seconds)
                cpus.setdefault((tree_name, label), []).append(CPU[tuple(command)])
    print(f"\n## From the processed store (bundled data, median of 3 runs{', alternated' if before else ''})\n")
    print("| | jamlib | wall | CPU | ratio to `import pandas` (wall) | ratio (CPU) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for tree_name in trees:
        yardstick = next(iter(commands))
        wall0 = statistics.median(walls[(tree_name, yardstick)])
        cpu0 = statistics.median(cpus[(tree_name, yardstick)])
        for label in commands:
            if (tree_name, label) not in walls:
                continue
            wall, cpu = statistics.median(walls[(tree_name, label)]), statistics.median(cpus[(tree_name, label)])
            print(f"| {label} | {tree_name} | {_n(wall, 2)} s | {_n(cpu, 2)} s | {_n(wall / wall0, 2)}× | "
                  f"{_n(cpu / cpu0, 2)}× |")
    print(f"({_load()})", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1 million values only")
    parser.add_argument("--sizes", type=float, nargs="+", help="sizes in millions of values (default 1 3 30)")
    parser.add_argument("--work", type=Path, help="folder for generated data (kept for the next run)")
    parser.add_argument("--skip-store", action="store_true", help="do not time jam gaps and the notebook")
    parser.add_argument("--store-only", action="store_true", help="time only jam gaps and the notebook")
    parser.add_argument("--before", metavar="REF",
                        help="also time jam gaps and the notebook with jamlib of this git commit, alternated")
    parser.add_argument("--compare-validation", metavar="REF",
                        help="also time validation.py of this git commit against the working tree's, in one process")
    args = parser.parse_args(argv)
    sizes = args.sizes or ([1] if args.quick else [1, 3, 30])
    work = args.work or Path(tempfile.gettempdir()) / "jamlib-bench-ingest"
    work.mkdir(parents=True, exist_ok=True)
    print(f"# bench_ingest: {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, {_load()}", flush=True)
    if not args.skip_store:
        bench_store(work, args.before)
    if args.store_only:
        return
    for millions in sizes:
        bench_size(millions, work, args.compare_validation)


if __name__ == "__main__":
    main()
