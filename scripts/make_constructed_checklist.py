"""Construct per-municipality checklist scores for Modellkonceptet 2020–2022.

THE DATA THIS WRITES ARE CONSTRUCTED, NOT REAL. SKR's report publishes only
group means (Tabell 1 for the four participants, Tabell 2 for the two mentors).
This script builds individual scores, two raters per municipality and occasion
(three where the printed mean needs thirds), in whole points 1-4, such that the
group means round (half away from zero, one decimal) to every printed cell, and
the totals and changes reproduce the printed ones wherever the printed table is
itself consistent. Where it is not (Tabell 2: the totals of Träff 2 and Träff 3
and the change of moment 5 cannot follow from the printed cells), the cells are
reproduced and those sums follow from them; the script prints where.

Participants never decrease from Uppstart to Träff 3 on any moment (the report
says so); the spread between municipalities is invented.

Run: ``python scripts/make_constructed_checklist.py`` (writes
``data/raw/checklist/modellkonceptet_2020_2022_konstruerad.csv``).
"""

from __future__ import annotations

import csv
import itertools
import sys
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jamlib.analysis.published import check_published_table  # noqa: E402
from jamlib.ingest.published import read_published  # noqa: E402
from jamlib.formatting import round_half_up  # noqa: E402
from jamlib.schemas import SKR_OCCASIONS as OCCASIONS  # noqa: E402

ROUND = "2020–2022"
GROUPS = {
    "deltagare": ("skr_2020_2022_tabell_1_deltagare.csv",
                  [("Karlstad", "1780", Fraction(1, 2)), ("Karlskrona", "1080", Fraction(0)),
                   ("Kramfors", "2282", Fraction(0)), ("Vaxholm", "0187", Fraction(-1, 2))]),
    "mentor": ("skr_2020_2022_tabell_2_mentorer.csv",
               [("Kalmar", "0880", Fraction(1, 4)), ("Örnsköldsvik", "2284", Fraction(-1, 4))]),
}
OUT = ROOT / "data" / "raw" / "checklist" / "modellkonceptet_2020_2022_konstruerad.csv"


def fr(x: float) -> Fraction:
    return Fraction(str(x))


def rounds_to(value: Fraction, printed: float) -> bool:
    return round_half_up(value, 1) == printed


def candidate_sums(printed: float, n: int, step: Fraction) -> list[Fraction]:
    low, high = (fr(printed) - Fraction(1, 20)) * n, (fr(printed) + Fraction(1, 20)) * n
    k = (low / step).__floor__()
    out = []
    while k * step <= high:
        s = k * step
        if rounds_to(s / n, printed) and n <= s <= 4 * n:
            out.append(s)
        k += 1
    return out


def solve_group(table, n, raters, skip):
    """Choose group sums per (moment, occasion) that print as the table."""
    moments = [int(m) for m in table["moment"].dropna()]
    rows = {(int(r["moment"]) if r["moment"] is not None and str(r["moment"]) != "<NA>" else 0): r
            for _, r in table.iterrows()}
    steps = {o: Fraction(1, 6) if 3 in raters[o] else Fraction(1, 2) for o in OCCASIONS}
    options = {}
    for m in moments:
        per_occasion = [candidate_sums(rows[m][o], n, steps[o]) for o in OCCASIONS]
        combos = []
        for combo in itertools.product(*per_occasion):
            change = (combo[-1] - combo[0]) / n
            if ("+/-", m) in skip or rounds_to(change, rows[m]["change"]):
                combos.append(combo)
        if not combos:
            return None, m
        options[m] = combos
    total = rows[0]
    for choice in itertools.product(*(options[m] for m in moments)):
        ok = True
        for j, o in enumerate(OCCASIONS):
            if ("Totalt", o) not in skip and not rounds_to(sum(c[j] for c in choice) / n, total[o]):
                ok = False
                break
        if ok and ("Totalt", "+/-") not in skip:
            change = (sum(c[-1] for c in choice) - sum(c[0] for c in choice)) / n
            ok = rounds_to(change, total["change"])
        if ok:
            return {m: dict(zip(OCCASIONS, c)) for m, c in zip(moments, choice)}, None
    return None, "Totalt"


def distribute(total: Fraction, orgs, raters_o, floor=None):
    """Split a group sum into organisation means on each organisation's grid."""
    n = len(orgs)
    grids = []
    for i, (_, _, offset) in enumerate(orgs):
        step = Fraction(1, raters_o[i])
        centre = total / n + offset
        values = [k * step for k in range(int(step ** -1) * 1, int(step ** -1) * 4 + 1)
                  if abs(k * step - centre) <= Fraction(3, 2)]
        if floor is not None:
            values = [v for v in values if v >= floor[i]] or [max(floor[i], Fraction(1))]
        grids.append(values)
    best = None
    for combo in itertools.product(*grids):
        if sum(combo) != total:
            continue
        cost = sum((x - (total / n + o[2])) ** 2 for x, o in zip(combo, orgs))
        if best is None or cost < best[0]:
            best = (cost, combo)
    if best is None:
        raise RuntimeError(f"cannot split {total} over {n} organisations")
    return best[1]


def rater_scores(mean: Fraction, r: int) -> list[int]:
    total = mean * r
    assert total.denominator == 1
    base, extra = divmod(int(total), r)
    return [base + 1] * extra + [base] * (r - extra)


def main() -> int:
    rows_out = []
    for role, (file_name, orgs) in GROUPS.items():
        table = read_published(ROOT / "data" / "raw" / "published" / file_name)
        n = len(orgs)
        findings = check_published_table(table)
        skip = {(str(r["row"]), (r["column"].lower() if r["column"] != "+/-" else "+/-")) for _, r in findings.iterrows()}
        skip = {(("+/-", int(row)) if col == "+/-" and row != "Totalt" else (row, col)) for row, col in skip}
        if ("Totalt", OCCASIONS[0]) in skip or ("Totalt", OCCASIONS[-1]) in skip:
            skip.add(("Totalt", "+/-"))  # the printed total change rests on a printed total that cannot be reproduced
        raters = {o: [2] * n for o in OCCASIONS}
        sums, problem = solve_group(table, n, raters, skip)
        if sums is None:
            # Thirds are needed somewhere: give the last organisation three raters at each occasion in turn.
            for o in reversed(OCCASIONS):
                raters[o][-1] = 3
                sums, problem = solve_group(table, n, raters, skip)
                if sums is not None:
                    break
        if sums is None:
            print(f"{role}: no construction found (problem at {problem})", file=sys.stderr)
            return 1
        for row, col in sorted(skip, key=str):
            print(f"{role}: the printed table is inconsistent at {row} / {col}; it is not reproduced (see data/raw/README.md)")
        for m, by_occasion in sorted(sums.items()):
            start = None
            for o in OCCASIONS:
                floor = start if (o == OCCASIONS[-1] and role == "deltagare") else None
                means = distribute(by_occasion[o], orgs, raters[o], floor)
                if o == OCCASIONS[0]:
                    start = means
                for (name, code, _), mean, r in zip(orgs, means, raters[o]):
                    for k, score in enumerate(rater_scores(mean, r), start=1):
                        rows_out.append([ROUND, name, code, "kommun", role, o.capitalize() if o == "uppstart" else o.replace("träff", "Träff"), m, f"skattare {k}", score])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Omgång", "Organisation", "Kommunkod", "Organisationstyp", "Roll", "Tillfälle", "Moment", "Skattare", "Poäng"])
        writer.writerows(rows_out)
    print(f"wrote {len(rows_out)} rows to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
