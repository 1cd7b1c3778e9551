"""How often does the trend test call a trend "säkerställd" when there is none, and how fast is it?

1. False-positive rate of the N20402 (three-year moving average) trend test on
   simulated series with no trend: yearly values are independent noise, each
   published value is the mean of three years, as Kolada's "3-årsm". Candidate:
   jamlib's ``gap_trend`` (non-overlapping years, exact Mann–Kendall). Baseline,
   measured in the same run: the exact test on every (overlapping) year, which is
   what jamlib did before (its permutation test approximated that exact p).
2. Speed of one exact p-value for a 10-year series: the cached inversion
   polynomial against ``scipy.stats.permutation_test`` over all 10! orderings
   (measured on a few series; the ratio is per series).
3. The bundled corpus (290 municipalities × 5 indicators): how many trend
   sentences say "statistiskt säkerställd" now, and with the old rule (raw p of
   the overlapping test below 0.05).

Run: ``.venv/bin/python bench/bench_trend_truth.py [simulations]`` (default 4000).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jamlib.analysis.gaps import gap_trend, indicator_gaps  # noqa: E402
from jamlib.analysis.trend_tests import exact_mann_kendall  # noqa: E402

TITLE = "Fallskador bland personer 80+, 3-årsm, antal/100 000 inv"


def simulated_frame(simulations: int, years: int, rng: np.random.Generator) -> tuple[pd.DataFrame, np.ndarray]:
    """Indicator rows for ``simulations`` organisations whose gap has no trend, as 3-year moving averages."""
    yearly = rng.normal(1500.0, 400.0, size=(simulations, years + 2))
    averaged = (yearly[:, :-2] + yearly[:, 1:-1] + yearly[:, 2:]) / 3
    first = 2022 - years + 1
    rows = []
    for i, series in enumerate(averaged):
        for j, gap in enumerate(series):
            rows.append((f"S{i:05d}", str(first + j), "K", 6000.0 + gap))
            rows.append((f"S{i:05d}", str(first + j), "M", 6000.0))
    frame = pd.DataFrame(rows, columns=["org_code", "period", "sex", "value"])
    frame = frame.assign(org_name=frame["org_code"], indicator_id="N20402", indicator_title=TITLE,
                         unit="per 100 000 invånare", polarity="lägre är bättre")
    return frame, averaged


def false_positive_rates(simulations: int) -> None:
    rng = np.random.default_rng(20261123)
    print(f"1. Falskt positiva trender, treårsmedelvärden utan trend ({simulations} serier per längd, nivå 5 %):")
    print("   år  | jamlib (år som inte överlappar) | tidigare (alla år)  | kvot tidigare/jamlib")
    for years in (15, 16):
        frame, averaged = simulated_frame(simulations, years, rng)
        trend = gap_trend(indicator_gaps(frame))
        candidate = float((trend["significant"] == True).mean())  # noqa: E712 (None = no test possible)
        baseline = float(np.mean([exact_mann_kendall(s).p_value < 0.05 for s in averaged]))
        half = 1.96 * np.sqrt(candidate * (1 - candidate) / simulations)
        ratio = baseline / candidate if candidate else float("inf")
        print(f"   {years:3d}  | {candidate:6.2%} (± {half:.2%}), {int(trend['n_tested'].iloc[0])} prövade år"
              f"      | {baseline:6.2%}             | {ratio:5.1f}")


def speed() -> None:
    from scipy import stats

    rng = np.random.default_rng(1)
    series = [rng.normal(size=10) for _ in range(2)]

    def s_statistic(values, axis=-1):
        y = np.moveaxis(np.asarray(values, dtype=float), axis, -1)
        signs = np.sign(y[..., None, :] - y[..., :, None])
        return signs[..., np.triu(np.ones(signs.shape[-2:], dtype=bool), k=1)].sum(axis=-1)

    start = time.perf_counter()
    for y in series:
        stats.permutation_test((y,), s_statistic, permutation_type="pairings", vectorized=True, n_resamples=np.inf,
                               batch=200_000)
    baseline = (time.perf_counter() - start) / len(series)
    exact_mann_kendall(series[0])  # the null distribution for n = 10 is built once
    start = time.perf_counter()
    for _ in range(1000):
        for y in series:
            exact_mann_kendall(y)
    candidate = (time.perf_counter() - start) / (1000 * len(series))
    ratio = f"{baseline / candidate:,.0f}".replace(",", " ")
    print(f"\n2. Ett exakt p-värde för 10 år: permutation_test över 10! ordningar {baseline:.2f} s, "
          f"jamlib {candidate * 1e6:.0f} µs; kvot {ratio}×")


def corpus() -> None:
    from jamlib.kpis import KARLSTAD_INDICATORS
    from jamlib.organisations import municipalities
    from jamlib.report.indicator_report import load_indicator_folder

    data = load_indicator_folder(ROOT / "data" / "raw" / "kolada")
    listed = municipalities()
    codes = set(listed.loc[listed["type"] == "K", "code"])
    gaps = indicator_gaps(data[data["org_code"].isin(codes)], indicator_ids=list(KARLSTAD_INDICATORS))
    start = time.perf_counter()
    trend = gap_trend(gaps)
    seconds = time.perf_counter() - start
    tested = trend["p_value"].notna()
    old = 0
    old_fall = 0
    for (code, indicator), group in gaps.dropna(subset=["value_K", "value_M"]).groupby(["org_code", "indicator_id"]):
        if len(group) >= 3 and exact_mann_kendall(group["gap"].to_numpy()).p_value < 0.05:
            old += 1
            old_fall += indicator == "N20402"
    significant = trend["significant"] == True  # noqa: E712
    reports = trend.loc[significant, "org_code"].nunique()
    fall = significant & (trend["indicator_id"] == "N20402")
    print(f"\n3. Korpusen: {len(codes)} kommuner, {int(tested.sum())} trendtest ({seconds:.1f} s för alla):")
    print(f"   statistiskt säkerställda nu: {int(significant.sum())} (i {reports} rapporter), varav N20402: {int(fall.sum())}")
    print(f"   med den tidigare regeln (alla år, ojusterat p < 0,05): {old}, varav N20402: {old_fall}")


if __name__ == "__main__":
    false_positive_rates(int(sys.argv[1]) if len(sys.argv) > 1 else 4000)
    speed()
    corpus()
