"""The summary table's words on constructed data whose answers are known by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from jamlib.analysis.steering_summary import gap_rank, ordinal, rank_text, summary_sentences
from jamlib.report.indicator_report import indicator_report
from jamlib.report.summary import report_summary, summary_table


@pytest.mark.parametrize("n, text", [(1, "1:a"), (2, "2:a"), (3, "3:e"), (11, "11:e"), (12, "12:e"), (21, "21:a"),
                                     (22, "22:a"), (23, "23:e"), (101, "101:a"), (111, "111:e")])
def test_swedish_ordinals(n, text):
    assert ordinal(n) == text


def test_ranks_with_ties_are_said():
    # own gap 3; members 1, 2, 3, 5, 8 -> two smaller, one the same: shared 3rd of 6
    assert gap_rank(3.0, [1.0, -2.0, 3.0, 5.0, -8.0]) == (3, 1, 6)
    assert rank_text(3, 1, 6) == "delad 3:e minsta skillnaden av 6 (lika stor i 1 till)"
    assert rank_text(3, 0, 8) == "3:e minsta skillnaden av 8"
    assert rank_text(1, 0, 8) == "minsta skillnaden av 8"
    assert rank_text(8, 0, 8) == "största skillnaden av 8"
    assert gap_rank(0.1 + 0.2, [0.3]) == (1, 1, 2)  # float noise is a tie


def _rows(code, name, indicator, unit, polarity, values):
    rows = []
    for year, (k, m) in values.items():
        for sex, value in (("K", k), ("M", m)):
            rows.append({"org_code": code, "org_name": name, "indicator_id": indicator, "indicator_title": f"Mått {indicator}",
                         "period": str(year), "sex": sex, "value": value, "unit": unit, "polarity": polarity,
                         "numerator": None, "denominator": None})
    return rows


@pytest.fixture()
def constructed():
    """Karlstad and three members of a chosen reference on three indicators with known answers."""
    years = range(2016, 2023)
    rows = []
    # A1 (procent, higher is better): women 1 point below men in 2022 -> below the 2-point threshold
    rows += _rows("1780", "Karlstad", "A1", "procent", "högre är bättre", {y: (80.0 - (y == 2022), 80.0) for y in years})
    # A2 (dagar, lower is better): women wait 10 days longer every year -> women, 7 years in a row
    rows += _rows("1780", "Karlstad", "A2", "dagar", "lägre är bättre", {y: (50.0, 40.0) for y in years})
    # A3 (unknown polarity): a large gap, but no sex may be named
    rows += _rows("1780", "Karlstad", "A3", "procent", None, {y: (60.0, 40.0) for y in years})
    for code, name, gap in (("1715", "Kil", 4.0), ("1761", "Hammarö", 10.0), ("1737", "Torsby", 20.0)):
        rows += _rows(code, name, "A2", "dagar", "lägre är bättre", {y: (40.0 + gap, 40.0) for y in years})
    frame = pd.DataFrame(rows)
    frame["polarity"] = frame["polarity"].astype(object)
    return frame


def test_summary_on_constructed_values(constructed):
    from jamlib.schemas import INDICATORS  # noqa: F401  (the rows carry the schema's columns)

    report = indicator_report(constructed, "1780", ["A1", "A2", "A3", "A9"], reference=["1715", "1761", "1737"])
    summary = report_summary(report).set_index("indicator_id")
    assert summary.loc["A1", "sex_text"] == "ingen påtaglig skillnad" and summary.loc["A1", "duration_text"] == "–"
    assert summary.loc["A2", "sex_text"] == "kvinnor"
    assert summary.loc["A2", "duration_text"] == "7 år i rad (2016–2022)"
    # Karlstad's 10 days tie with Hammarö's 10; Kil's 4 is smaller: shared 2nd of 4
    assert summary.loc["A2", "rank_text"] == "delad 2:a minsta skillnaden av 4 (lika stor i 1 till)"
    assert summary.loc["A3", "sex_text"] == "kan inte sägas: okänt om högre eller lägre värde är bättre"
    # a constant gap: every ordering of the years ties, so no test can conclude anything
    assert summary.loc["A2", "direction_text"] == "kan inte avgöras"
    table = summary_table(report)
    assert list(table["Indikator"]) == ["Mått A1", "Mått A2", "Mått A3", "A9"]
    assert table.iloc[3]["Missgynnat kön"] == "inga värden för Karlstad"
    sentences = summary_sentences(report_summary(report), missing=1)
    assert sentences[0] == ("Det senaste året med värden missgynnas kvinnor på 1 av 4 indikatorer; på 1 finns ingen "
                            "påtaglig skillnad, på 1 går det inte att säga vilket kön som missgynnas, 1 saknar värden.")
    assert sentences[1] == "Längst i rad: kvinnor på ”Mått A2”, 7 år i rad."
    assert len(sentences) == 3


def test_suppressed_members_never_count_in_the_rank(constructed):
    counted = constructed.assign(numerator=10.0, denominator=100.0)
    # Torsby's values rest on 3 persons: hidden, so Karlstad ranks among 3, not 4
    counted.loc[counted["org_code"] == "1737", "denominator"] = 3.0
    counted.loc[counted["org_code"] == "1737", "numerator"] = 1.0
    report = indicator_report(counted[counted["indicator_id"] == "A2"], "1780", ["A2"],
                              reference=["1715", "1761", "1737"])
    summary = report_summary(report).set_index("indicator_id")
    assert summary.loc["A2", "ranked"] == 3
    assert summary.loc["A2", "rank_text"] == "delad 2:a minsta skillnaden av 3 (lika stor i 1 till)"
