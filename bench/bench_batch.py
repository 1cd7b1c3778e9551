"""Benchmark: `jam batch` on the indicator notebook against the naive papermill + nbconvert loop.

Baseline (measured in the same run): for each of a sample of municipalities,
``papermill`` CLI (a new interpreter and a new kernel) followed by
``jupyter nbconvert --to html --no-input`` CLI. Candidate: ``jam batch`` over
all 290 municipalities with 2 workers (forked, isolated children of one warm
process). Prints seconds per report for both, their ratio, peak memory and
report sizes.

With ``--spawn`` the same batch also runs on the spawn path (what Windows gets:
warm spawned workers, one report each; forced with ``JAMLIB_BATCH_START=spawn``)
and the cost per report is printed against the fork path's.

Usage (from the repository root, after `pip install -e .`)::

    python bench/bench_batch.py [--sample 20] [--count N] [--spawn]
    python bench/bench_batch.py --sample 0 --count 40 --spawn    # fork against spawn only
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "indikatorrapport.ipynb"


def naive(codes: list[str], work: Path) -> float:
    bin_dir = Path(sys.executable).parent
    started = time.perf_counter()
    for code in codes:
        out = work / f"naive_{code}.ipynb"
        subprocess.run([str(bin_dir / "papermill"), "--no-progress-bar", str(NOTEBOOK), str(out), "-r", "kommunkod", code,
                        "-p", "interaktiv", "False", "-p", "jamforelse", "riket"], cwd=ROOT, check=True,
                       capture_output=True)
        subprocess.run([str(bin_dir / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(out)], cwd=ROOT,
                       check=True, capture_output=True)
    return (time.perf_counter() - started) / len(codes)


def batch(codes: list[str], work: Path, method: str = "fork") -> tuple[float, int, list[int]]:
    out = work / f"batch_{method}"
    environment = {**os.environ, "JAMLIB_BATCH_START": method}
    started = time.perf_counter()
    result = subprocess.run([str(Path(sys.executable).parent / "jam"), "batch", str(NOTEBOOK), "--workers", "2",
                             "--out", str(out), "-p", "jamforelse=riket", *(["--all"] if len(codes) == 290 else
                                                                            ["--org", ",".join(codes)])],
                            cwd=ROOT, capture_output=True, text=True, env=environment)
    seconds = time.perf_counter() - started
    if result.returncode not in (0, 1):
        raise SystemExit(result.stdout + result.stderr)
    failed = result.stdout.count("  fel: ") + result.stdout.count("  tidsgräns: ")
    sizes = sorted(p.stat().st_size for p in out.glob("*.html") if p.name != "index.html")
    return seconds / len(codes), failed, sizes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=20, help="municipalities in the naive loop (default 20; 0 skips it)")
    parser.add_argument("--count", type=int, default=290, help="municipalities in the batch (default all 290)")
    parser.add_argument("--spawn", action="store_true", help="also run the batch on the spawn path and compare")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from jamlib.organisations import municipalities

    table = municipalities()
    codes = list(table.loc[table["type"] == "K", "code"])
    sample = codes[:: max(1, len(codes) // max(1, args.sample))][: args.sample]
    chosen = codes[:: max(1, len(codes) // args.count)][: args.count] if args.count < 290 else codes
    work = Path(tempfile.mkdtemp(prefix="jam-bench-"))
    try:
        per_naive = naive(sample, work) if sample else None
        per_batch, failed, sizes = batch(chosen, work)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        if per_naive is not None:
            print(f"naive loop (papermill CLI + nbconvert CLI), {len(sample)} municipalities: {per_naive:.2f} s per report")
        print(f"jam batch --workers 2 (fork), {len(chosen)} municipalities: {per_batch:.3f} s per report "
              f"({failed} failed: municipalities without values are reported, not hidden)")
        if per_naive is not None:
            print(f"ratio (naive / jam batch, per report): {per_naive / per_batch:.1f}x")
        print(f"peak memory of one child process: {peak:.0f} MB")
        if sizes:
            print(f"report size: median {sizes[len(sizes) // 2] / 1024:.0f} kB, largest {sizes[-1] / 1024:.0f} kB")
        if args.spawn:
            per_spawn, failed_spawn, _ = batch(chosen, work, "spawn")
            print(f"jam batch --workers 2 (spawn, as on Windows), {len(chosen)} municipalities: {per_spawn:.3f} s per "
                  f"report ({failed_spawn} failed)")
            print(f"spawn cost per report: {per_spawn - per_batch:+.3f} s; ratio spawn / fork: {per_spawn / per_batch:.1f}x")
            if per_naive is not None:
                print(f"ratio (naive / jam batch spawn, per report): {per_naive / per_spawn:.1f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
