"""Benchmark: one update of the JupyterLab indicator explorer against the 200 ms budget.

Measures what happens on every change of municipality, indicator or reference
(the widget's own ``jamlib.report.explorer._explorer_parts`` plus the chart's display bundle as the
widget's ``show_spec(spec, static=False)`` builds it: the specification, without a static SVG) over a
sample of choices on the bundled Kolada data, and prints the median and worst
time and their ratio to the 200 ms budget (below 1.0 is within budget).

Usage: ``python bench/bench_explorer.py``
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUDGET = 0.200


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from jamlib.report.charts import spec_bundle
    from jamlib.report.explorer import ExplorerState, _explorer_parts
    from jamlib.report.indicator_report import load_indicator_folder

    data = load_indicator_folder(ROOT / "data" / "raw" / "kolada")
    state = ExplorerState(data)
    codes = [code for _, code in state.municipalities][::15]
    first = _explorer_parts(state, codes[0], next(iter(state.by_indicator)), "riket")[0]
    spec_bundle(first, static=False)  # the widget's first draw
    times = []
    for index, code in enumerate(codes):
        indicator = list(state.by_indicator)[index % len(state.by_indicator)]
        reference = "liknande" if index % 2 else "riket"
        started = time.perf_counter()
        spec, _, _ = _explorer_parts(state, code, indicator, reference)
        spec_bundle(spec, static=False)
        times.append(time.perf_counter() - started)
    median, worst = statistics.median(times), max(times)
    print(f"explorer update, {len(times)} changes: median {median * 1000:.0f} ms, worst {worst * 1000:.0f} ms")
    print(f"ratio to the 200 ms budget: median {median / BUDGET:.2f}, worst {worst / BUDGET:.2f}")


if __name__ == "__main__":
    main()
