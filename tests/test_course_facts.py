"""Every number the course's text quotes is checked against the bundled data, read here without jamlib.

The lessons' prose (the Markdown of the sources, facilitator notes included) is searched for numbers. Each
number must be either a claim about the data, verified below from the raw files with ``json`` and ``csv``,
or listed as not data (arithmetic, a scale, a constructed example the text labels as such). A new number in
a lesson therefore fails this test until someone has checked it.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import statistics
import sys
from functools import lru_cache

import pytest

from tests.conftest import RAW, ROOT

_spec = importlib.util.spec_from_file_location("make_course_facts", ROOT / "scripts" / "make_course.py")
make_course = importlib.util.module_from_spec(_spec)
sys.modules["make_course_facts"] = make_course
_spec.loader.exec_module(make_course)
LESSONS = {lesson.stem: lesson for lesson in make_course.lessons()}


# -- the raw data, read without jamlib ----------------------------------------------------------------

@lru_cache(maxsize=None)
def _kolada_file(kpi: str) -> dict[tuple[str, int, str], float]:
    document = json.loads((RAW / "kolada" / f"data_{kpi}.json").read_text(encoding="utf-8"))
    values = {}
    for record in document["values"]:
        for entry in record["values"]:
            if entry["value"] is not None and not entry.get("isdeleted"):
                values[(record["municipality"], int(record["period"]), entry["gender"])] = entry["value"]
    return values


def kolada(kpi: str, code: str, year: int, sex: str) -> float:
    return _kolada_file(kpi)[(code, year, sex)]


def kolada_or_none(kpi: str, code: str, year: int, sex: str) -> float | None:
    return _kolada_file(kpi).get((code, year, sex))


@lru_cache(maxsize=1)
def _municipality_codes() -> frozenset[str]:
    document = json.loads((RAW / "kolada" / "municipality.json").read_text(encoding="utf-8"))
    return frozenset(m["id"] for m in document["values"] if m["type"] == "K")


@lru_cache(maxsize=1)
def _karlstad_group() -> tuple[str, ...]:
    document = json.loads((RAW / "kolada" / "municipality_groups.json").read_text(encoding="utf-8"))
    titles = [g for g in document["values"] if g["title"] == "Liknande kommuner äldreomsorg, Karlstad, 2024"]
    assert len(titles) == 1
    return tuple(m["id"] for m in titles[0]["members"] if m["id"] != "1780")


def published(number: int) -> dict[str, dict[str, float]]:
    name = {1: "skr_2020_2022_tabell_1_deltagare.csv", 2: "skr_2020_2022_tabell_2_mentorer.csv"}[number]
    with (RAW / "published" / name).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    columns = ["Uppstart", "Träff 1", "Träff 2", "Träff 3", "+/-"]
    return {row["Moment"].split(".")[0]: {c: float(row[c].replace(",", ".")) for c in columns} for row in rows}


def moment_sum(number: int, column: str) -> float:
    return round(sum(v[column] for k, v in published(number).items() if k != "Totalt"), 2)


# -- finding the numbers in the prose -------------------------------------------------------------------

_INLINE_CODE = re.compile(r"`[^`]*`")
_TEXT_BLOCK = re.compile(r"~~~.*?~~~", re.S)
_LABELS = re.compile(r"(?:[Öö]vning|[Ll]ektion|Träff|Tabell|[Mm]oment|steg) \d+(?:\.\d+)?")
_MINUTES = re.compile(r"\d+ min")
_LIST_NUMBER = re.compile(r"(?m)^\s*\d+\. ")
_FRACTION = re.compile(r"\b\d/\d\b")
_NUMBER = re.compile(r"(?<![\w.,−-])[−-]?\d{1,3}(?: \d{3})+(?:,\d+)?(?!\w)|(?<![\w.,−-])[−-]?\d+(?:,\d+)?(?![\w,])")


def numbers_in_prose(stem: str) -> set[str]:
    found: set[str] = set()
    for cell in LESSONS[stem].cells:
        if cell.kind not in ("text", "kursledare"):
            continue
        text = _TEXT_BLOCK.sub(" ", _INLINE_CODE.sub(" ", cell.source))
        for pattern in (_LABELS, _MINUTES, _LIST_NUMBER, _FRACTION):
            text = pattern.sub(" ", text)
        found.update(n for n in _NUMBER.findall(text) if not re.fullmatch(r"20[0-3]\d", n))  # years
    return found


#: Numbers in the prose that are not claims about the data, with why.
NOT_DATA: dict[str, dict[str, str]] = {
    "00_jupyterlab": {"120": "constructed example, labelled påhittade", "80": "constructed example",
                      "100": "percent factor", "0": "the range 0 to 1", "1": "the range 0 to 1"},
    "01_kolada": {"80": "the age group 80 år och äldre", "100 000": "the unit, per 100 000 invånare"},
    "02_skillnader_och_polaritet": {"100 000": "the unit", "100": "percent factor",
                                    "2 018,0": "how altair shows a year as a number"},
    "03_stor_eller_liten": {"10 000": "number of simulated municipalities", "0": "coding of the coin",
                            "1": "coding of the coin; (1) in a list", "2": "(2) in a list",
                            "3": "the sum for three equal throws",
                            "0,25": "1/4 and 0.5 ** 2, arithmetic", "0,125": "1/8, arithmetic",
                            "0,0625": "0.5 ** 4, arithmetic"},
    "04_jamfor_med_andra": {"80": "the age group", "100 000": "the unit", "1780": "Karlstad's code"},
    "05_checklistan": {"1": "the checklist's scale 1-4", "2": "the scale", "3": "the scale; three rounded values",
                       "4": "the scale; four municipalities", "16": "4 x 4, the highest sum", "10": "ten moments",
                       "0,05": "half of the last decimal", "0,1": "a rounding step", "0,15": "3 x 0.05",
                       "0,5": "10 x 0.05; the step of two municipalities' means", "0,55": "10 x 0.05 + 0.05",
                       "0,25": "the step of four municipalities' means", "4,0": "16 / 4",
                       "2,75": "the interval of a printed 2,8", "2,85": "the interval of a printed 2,8",
                       "1,75": "a possible true value of a printed 1,8", "0,75": "2.5 - 1.75",
                       "31,2": "30.4 - 2.5 + 3.3, arithmetic", "26,8": "a guess, said to be one",
                       "1,5": "3 points of one of two municipalities / 2"},
    "06_fran_analys_till_beslut": {"187": "0187 read as a number", "1780": "Karlstad's code"},
}


def _round(value: float, decimals: int = 0) -> float:
    return round(value + 1e-9, decimals)


def data_claims(stem: str) -> dict[str, bool]:
    """Each number of a lesson's prose that states something about the data, and whether the data agree."""
    u23401 = lambda code, year, sex: kolada("U23401", code, year, sex)  # noqa: E731
    if stem == "01_kolada":
        share = 100 * (kolada("N20402", "0000", 2022, "T") - kolada("N20402", "0000", 2022, "M")) / (
            kolada("N20402", "0000", 2022, "K") - kolada("N20402", "0000", 2022, "M"))
        return {
            "97": u23401("1780", 2019, "K") == 97, "76": u23401("1780", 2019, "M") == 76,
            "86,5": (u23401("1780", 2019, "K") + u23401("1780", 2019, "M")) / 2 == 86.5,
            "92": u23401("1780", 2019, "T") == 92,
            "81": u23401("1780", 2015, "K") == 81, "77": u23401("1780", 2015, "T") == 77,
            "80": u23401("1780", 2015, "M") == 80,
            "59": 58.5 <= share < 59,                                   # "knappt 59 procent"
            "0,589": _round(share / 100, 3) == 0.589,
        }
    if stem == "02_skillnader_och_polaritet":
        return {
            "1 400": 1400 <= kolada("N20402", "1780", 2022, "K") - kolada("N20402", "1780", 2022, "M") < 1500,
            "8": u23401("1780", 2022, "M") - u23401("1780", 2022, "K") == 8,
            "7": kolada("U01421", "1780", 2022, "K") - kolada("U01421", "1780", 2022, "M") == 7,
            "59": kolada("U01421", "1780", 2022, "K") == 59, "52": kolada("U01421", "1780", 2022, "M") == 52,
            "13": _round(100 * 7 / 52) == 13,
            "61": u23401("1780", 2022, "K") == 61, "69": u23401("1780", 2022, "M") == 69,
            "95": kolada("U21504", "1780", 2018, "K") == kolada("U21504", "1780", 2019, "K")
                  == kolada("U21504", "1780", 2019, "M") == kolada("U21504", "1780", 2020, "K") == 95,
            "94": kolada("U21504", "1780", 2018, "M") == 94, "96": kolada("U21504", "1780", 2020, "M") == 96,
        }
    if stem == "03_stor_eller_liten":
        own = {y: (kolada("U21455", "1780", y, "K"), kolada("U21455", "1780", y, "M")) for y in (2022,)}
        gaps = []
        lower = higher = 0
        for code in _municipality_codes():
            k, m = kolada_or_none("U21455", code, 2022, "K"), kolada_or_none("U21455", code, 2022, "M")
            if k is not None and m is not None:
                gaps.append(k - m)
                lower += k < m
                higher += k > m
        from scipy.stats import binomtest

        return {
            "2": own[2022][1] - own[2022][0] == 2, "−2": statistics.median(gaps) == -2 == own[2022][0] - own[2022][1],
            "60": 60 <= own[2022][0] < 70,                             # "drygt 60"
            "174": lower == 174, "279": lower + higher == 279, "284": len(gaps) == 284,
            "0,00004": _round(binomtest(174, 279, 0.5).pvalue, 5) == 0.00004,
        }
    if stem == "04_jamfor_med_andra":
        women = [kolada_or_none("U23401", c, 2022, "K") for c in _karlstad_group()]
        present = [w for w in women if w is not None]
        group_gaps = [kolada("U01421", c, 2022, "K") - kolada("U01421", c, 2022, "M") for c in _karlstad_group()]
        falls = [v for c in _municipality_codes() if (v := kolada_or_none("N20402", c, 2022, "K")) is not None]
        own_gap = kolada("U01421", "1780", 2022, "K") - kolada("U01421", "1780", 2022, "M")
        eskilstuna = kolada("U01421", "0484", 2022, "K") - kolada("U01421", "0484", 2022, "M")
        return {
            "4": len(present) == 4, "7": len(_karlstad_group()) == 7 and own_gap == 7,
            "69": statistics.mean(present) == 69, "48,5": statistics.median(present) == 48.5,
            "150": kolada("U23401", "2580", 2022, "K") == 150 == max(present),
            "61": u23401("1780", 2022, "K") == 61,
            "6 364": _round(kolada("N20402", "0000", 2022, "K")) == 6364,
            "6 122": _round(statistics.mean(falls)) == 6122,
            "11": kolada("U01421", "0000", 2022, "K") - kolada("U01421", "0000", 2022, "M") == 11,
            "59": kolada("U01421", "0000", 2022, "K") == kolada("U01421", "1780", 2022, "K") == 59,
            "48": kolada("U01421", "0000", 2022, "M") == 48, "52": kolada("U01421", "1780", 2022, "M") == 52,
            "13,3": _round(statistics.mean(group_gaps), 1) == 13.3,
            # "mindre än i riket och i alla gruppens kommuner utom Eskilstuna"
            "_smaller": own_gap < 11 and sorted(g for g in group_gaps if g <= own_gap) == [eskilstuna],
        }
    if stem == "05_checklistan":
        t1, t2 = published(1), published(2)
        rounding_only = [m for m, v in t1.items() if m != "Totalt"
                         and 1e-9 < abs(v["+/-"] - (v["Träff 3"] - v["Uppstart"])) <= 0.1 + 1e-9]
        printed = {f"{v:.1f}".replace(".", ",") for row in t1.values() for v in row.values()}
        printed2 = {f"{v:.1f}".replace(".", ",") for row in t2.values() for v in row.values()}
        return {
            "18,1": moment_sum(1, "Uppstart") == 18.1, "17,8": t1["Totalt"]["Uppstart"] == 17.8,
            "0,3": max(abs(moment_sum(1, c) - t1["Totalt"][c]) for c in ["Uppstart", "Träff 1", "Träff 2", "Träff 3"])
                   == pytest.approx(0.3),
            "26,9": moment_sum(2, "Träff 2") == 26.9, "27,8": t2["Totalt"]["Träff 2"] == 27.8,
            "30,4": moment_sum(2, "Träff 3") == 30.4, "31,0": t2["Totalt"]["Träff 3"] == 31.0,
            # "moment 1, 3, 6, 8, 9 och 10": the moments of Tabell 1 off by 0.1
            "6": rounding_only == ["1", "3", "6", "8", "9", "10"], "8": rounding_only[3] == "8",
            "9": rounding_only[4] == "9",
            "1,8": t1["3"]["Uppstart"] == 1.8, "2,5": t1["3"]["Träff 3"] == 2.5 and t2["5"]["Uppstart"] == 2.5
                                                  == t2["5"]["Träff 3"],
            "0,8": t1["3"]["+/-"] == 0.8 and t2["5"]["+/-"] == 0.8,
            "3,3": t2["2"]["Träff 2"] == 3.3, "2,3": "2,3" in printed2,
            "2,4": t1["8"]["Träff 2"] == 2.4, "2,2": t1["9"]["Träff 3"] == 2.2,
            "_printed": {"2,4", "2,2"} <= printed,
        }
    if stem == "06_fran_analys_till_beslut":
        with (RAW / "results_chain" / "modellkonceptet_2020_2022_resultatkedja.csv").open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle, delimiter=";"))
        return {"_vaxholm": any(r["Kommunkod"] == "0187" for r in rows)}
    return {}


@pytest.mark.parametrize("stem", sorted(LESSONS))
def test_every_number_in_a_lesson_is_checked_or_declared_not_data(stem):
    claims = data_claims(stem)
    unexplained = numbers_in_prose(stem) - set(claims) - set(NOT_DATA.get(stem, {}))
    assert not unexplained, f"{stem}: numbers neither checked against data nor declared: {sorted(unexplained)}"


@pytest.mark.parametrize("stem", sorted(LESSONS))
def test_the_data_agree_with_what_each_lesson_says(stem):
    wrong = [number for number, agrees in data_claims(stem).items() if not agrees]
    assert not wrong, f"{stem}: the data do not say {wrong}"


def test_karlstads_claims_in_lesson_2_against_the_data():
    """The bullet list "Stämmer Karlstads påståenden?" read year by year."""
    def worse(kpi, year, lower_is_better):
        k, m = kolada(kpi, "1780", year, "K"), kolada(kpi, "1780", year, "M")
        if k == m:
            return "ingen"
        return ("K" if k > m else "M") if lower_is_better else ("K" if k < m else "M")

    assert [worse("U23401", y, True) for y in (2019, 2020, 2021, 2022)] == ["K", "K", "K", "M"]
    assert all(kolada("N20402", "1780", y, "K") > kolada("N20402", "1780", y, "M") for y in range(2007, 2023))
    assert [worse("U21455", y, False) for y in (2018, 2019, 2020, 2022)] == ["K"] * 4
    assert kolada_or_none("U21455", "1780", 2021, "K") is None
    assert [worse("U21504", y, False) for y in (2018, 2019, 2020)] == ["M", "ingen", "K"]   # not "men higher"
    assert [worse("U01421", y, True) for y in (2017, 2018, 2019, 2020, 2022)] == ["K"] * 5


def test_lesson_4_missing_values_are_as_the_text_says():
    names = json.loads((RAW / "kolada" / "municipality.json").read_text(encoding="utf-8"))["values"]
    code = {m["title"]: m["id"] for m in names}
    for town in ("Växjö", "Gävle"):
        assert all(kolada_or_none("U23401", code[town], 2022, s) is None for s in "KMT"), town
    assert kolada_or_none("U23401", code["Borås"], 2022, "T") is not None
    assert kolada_or_none("U23401", code["Borås"], 2022, "K") is None


def test_the_constructed_example_of_lesson_0_is_the_one_the_check_uses():
    from jamlib.course import kontroll

    assert (kontroll._LESSON0_WOMEN, kontroll._LESSON0_MEN) == (120, 80)
    text = LESSONS["00_jupyterlab"].cells
    assert any("**påhittade**" in c.source and "120 kvinnor och 80 män" in c.source for c in text)


def test_the_coin_probabilities_in_lesson_3_by_enumeration():
    from itertools import product

    def same_side(years: int) -> float:
        series = list(product((0, 1), repeat=years))
        return sum(len(set(s)) == 1 for s in series) / len(series)

    assert same_side(3) == 0.25 and same_side(4) == 0.125
    assert sum(all(x == 0 for x in s) for s in product((0, 1), repeat=4)) / 16 == 0.0625
