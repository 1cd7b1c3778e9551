"""Construct checklist scores for Eskilstuna's mentor group 2017–2018 (before, during, after).

THE SCORES THIS WRITES ARE CONSTRUCTED, NOT REAL. The Eskilstuna report says that in the second
round of Modellkommuner (2017–2018) Eskilstuna was the mentor of Hedemora, Norrtälje and Stockholm's
stadsdelsförvaltning Enskede-Årsta-Vantör, that every municipality assessed itself with SKR's checklist
"inför projektets start, under dess gång och vid dess slut", and that Eskilstuna's score did not rise
from 2017 to 2018, "vilket kan bero på att ingångsvärdena var höga redan från början". It publishes no
scores. The file keeps those facts (one mentor group: one mentor and three participants, occasions
före/under/efter, the mentor's total equal before and after and high from the start) and invents the
rest: whole points 1–4, one rater per organisation, participants never going down on a moment.

Run from the repository root: ``python scripts/make_constructed_history.py``.
"""

from __future__ import annotations

import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "raw" / "checklist" / "eskilstuna_mentorgrupp_2017_2018_konstruerad.csv"

ROUND = "2017–2018"
GROUP = "Eskilstuna"
#: organisation, code, type, role, scores per moment 1-10 for före, under, efter (constructed)
ORGANISATIONS = [
    ("Eskilstuna", "0484", "kommun", "mentor",
     ([4, 3, 3, 3, 3, 4, 3, 3, 2, 3], [4, 3, 3, 3, 3, 4, 3, 3, 2, 3], [4, 3, 3, 3, 3, 4, 3, 3, 2, 3])),
    ("Hedemora", "2083", "kommun", "deltagare",
     ([2, 1, 1, 2, 1, 2, 1, 1, 1, 1], [3, 2, 2, 2, 2, 2, 1, 2, 1, 2], [4, 2, 2, 3, 2, 3, 2, 2, 2, 2])),
    ("Norrtälje", "0188", "kommun", "deltagare",
     ([3, 2, 2, 2, 2, 2, 1, 2, 1, 2], [3, 2, 2, 3, 2, 3, 2, 2, 2, 2], [4, 3, 3, 3, 3, 3, 2, 3, 2, 3])),
    ("Enskede-Årsta-Vantör", "", "förvaltning", "deltagare",
     ([2, 2, 1, 2, 1, 2, 1, 1, 1, 2], [2, 2, 2, 2, 2, 3, 2, 2, 1, 2], [3, 3, 2, 3, 2, 3, 2, 3, 2, 2])),
]
OCCASIONS = ("Före", "Under", "Efter")


def main() -> None:
    rows = []
    for name, code, kind, role, per_occasion in ORGANISATIONS:
        for occasion, scores in zip(OCCASIONS, per_occasion):
            assert len(scores) == 10 and all(1 <= s <= 4 for s in scores)
            for moment, score in enumerate(scores, start=1):
                rows.append({"Omgång": ROUND, "Organisation": name, "Kommunkod": code, "Organisationstyp": kind,
                             "Roll": role, "Mentorgrupp": GROUP, "Tillfälle": occasion, "Moment": moment,
                             "Poäng": score})
    for name, _, _, role, (before, during, after) in ORGANISATIONS:
        if role == "deltagare":
            assert all(a <= b <= c for a, b, c in zip(before, during, after)), name
        else:
            assert sum(before) == sum(after), "the report: Eskilstuna's score did not rise"
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter=";", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"skrev {OUT.relative_to(ROOT)} ({len(rows)} rader)")


if __name__ == "__main__":
    main()
