"""What readers see: jam gaps for Karlstad, the caveat in CSV/JSON/HTML, constructed data labelled, Tabell 2 notes."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import pytest

from jamlib import checklist_table, load, read_published
from jamlib.analysis.gaps import DESCRIPTIVE_CAVEAT
from jamlib.analysis.published_notes import change_note, difference_notes, printed_differences
from jamlib.cli import main
from jamlib.run.batch import Job, run_jobs
from tests.conftest import RAW, ROOT

SCORES = RAW / "checklist" / "modellkonceptet_2020_2022_konstruerad.csv"
TABLE1 = RAW / "published" / "skr_2020_2022_tabell_1_deltagare.csv"
TABLE2 = RAW / "published" / "skr_2020_2022_tabell_2_mentorer.csv"


def test_jam_gaps_karlstad_2021_fall_injuries_are_three_year_averages_and_not_significant(capsys):
    assert main(["gaps", "--org", "1780", "--until", "2021", "--data", str(RAW / "kolada")]) == 0
    out = capsys.readouterr().out
    fall = next(line for line in out.splitlines() if "skadats i fall" in line)
    assert "treårsmedelvärden" in fall
    assert "inte statistiskt säkerställd" in fall and not re.search(r"(?<!inte )statistiskt säkerställd", fall)
    # the valid test: 2009, 2012, 2015, 2018, 2021 (S = -4, p = 58/120 = 0,483), adjusted for 5 tests
    assert "prövat på 2009, 2012, 2015, 2018 och 2021" in fall and "ojusterat 0,483" in fall
    assert "Benjamini–Hochberg" in out and "osäkerheten kan inte beräknas" in out
    assert "Trendtest" in out and "p (justerat)" in out


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_jam_gaps_csv_and_json_carry_the_caveat_and_both_p_values(capsys, fmt):
    assert main(["gaps", "--org", "1780", "--until", "2021", "--format", fmt, "--data", str(RAW / "kolada")]) == 0
    out = capsys.readouterr().out
    rows = json.loads(out) if fmt == "json" else list(csv.DictReader(io.StringIO(out.lstrip("\ufeff")), delimiter=";"))
    if fmt == "csv":  # Swedish Excel's CSV has Swedish column names (issue 11): read them back to the machine names
        from jamlib.vocabulary import COLUMN_LABELS

        machine = {label: name for name, label in COLUMN_LABELS.items()} | {"indikator": "indicator_id"}
        rows = [{machine.get(key, key): value for key, value in row.items()} for row in rows]
    assert len(rows) == 5
    for row in rows:
        assert row["caveat"] == DESCRIPTIVE_CAVEAT
        assert "Benjamini–Hochberg" in row["notes"]
        assert {"p_value", "p_adjusted", "trend", "tested_periods"} <= set(row)
    fall = next(r for r in rows if r["indicator_id"] == "N20402")
    assert fall["tested_periods"] == "2009, 2012, 2015, 2018, 2021" and fall["trend"] == "ingen tydlig trend"
    assert float(str(fall["p_value"]).replace(",", ".")) == pytest.approx(58 / 120)


def test_tabell_2_notes_name_every_cell_that_cannot_be_reproduced():
    scores = load(SCORES, allow_half_points=True).data
    mentors = printed_differences(checklist_table(scores, "2020–2022", "mentor"), read_published(TABLE2))
    # the same four cells tests/test_checklist_tables.py finds by comparing the printed tables
    assert sorted(zip(mentors["row"], mentors["column"])) == [("5", "+/-"), ("Totalt", "+/-"), ("Totalt", "Träff 2"),
                                                                ("Totalt", "Träff 3")]
    reasons = mentors.set_index(["row", "column"])["reason"]
    assert "moment 5, Träff 3 som troligt tryckfel" in reasons["Totalt", "Träff 3"]
    assert "moment 5, Träff 3 som troligt tryckfel" in reasons["5", "+/-"]
    assert "tabellen visar inte vilket" in reasons["Totalt", "Träff 2"]
    notes = difference_notes(mentors, "SKR:s Tabell 2")
    assert notes[0].startswith("4 celler återger inte SKR:s Tabell 2") and len(notes) == 5
    assert any("Totalt, +/-: här 8,3, tryckt 9,0" in n for n in notes)
    change = change_note(mentors, "mentorernas", "SKR:s Tabell 2")
    assert "8,3" in change and "9,0" in change and "konstruerade data" in change
    participants = printed_differences(checklist_table(scores, "2020–2022", "deltagare"), read_published(TABLE1))
    assert participants.empty and difference_notes(participants, "Tabell 1") == []
    assert change_note(participants, "deltagarnas", "Tabell 1") is None


def test_the_command_line_labels_constructed_scores_and_notes_the_cells_tabell_2_prints_otherwise(capsys, monkeypatch):
    """What `jam checklist table` and `jam checklist roles` print on the bundled scores says that they are
    constructed, names the four cells that do not print as Tabell 2, and says that the printed change is 9,0."""
    monkeypatch.chdir(ROOT)
    assert main(["checklist", "table", "--round", "2020-2022", "--role", "mentor", "--file", str(SCORES)]) == 0
    out = capsys.readouterr().out
    assert "(konstruerade data)" in out and "konstruerade data, inte verkliga" in out
    assert "4 celler återger inte SKR Modellkonceptet 2020–2022, Tabell 2" in out
    assert "Totalt, +/-: här 8,3, tryckt 9,0" in out
    assert main(["checklist", "table", "--round", "2020-2022", "--role", "deltagare", "--file", str(SCORES)]) == 0
    assert "Varje cell blir som i SKR Modellkonceptet 2020–2022, Tabell 1" in capsys.readouterr().out
    assert main(["checklist", "roles", "--round", "2020-2022", "--file", str(SCORES)]) == 0
    out = capsys.readouterr().out
    assert "(konstruerade data)" in out and "Mentorerna ökade med 8,3 poäng" in out
    assert "Mentorernas förändring är 8,3 poäng i de konstruerade data, medan SKR Modellkonceptet 2020–2022, " \
           "Tabell 2 trycker 9,0" in out
    assert main(["checklist", "table", "--round", "2020-2022", "--role", "mentor", "--file", str(SCORES),
                 "--publicerade", ""]) == 0  # no printed tables to compare with: no notes, still the label
    out = capsys.readouterr().out
    assert "celler återger inte" not in out and "(konstruerade data)" in out


def test_the_checklist_history_says_when_its_scores_are_constructed(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["checklist", "historik", "--deltagande", str(RAW / "participation" / "modellkonceptet_deltagande.csv"),
                 "--file", str(RAW / "checklist"), "--organisation", "Eskilstuna"]) == 0
    out = capsys.readouterr().out
    assert "31,0 vid Före" in out  # Eskilstuna's constructed mentor-group scores ...
    assert "konstruerade data (eskilstuna_mentorgrupp_2017_2018_konstruerad.csv" in out  # ... are said to be constructed
    assert main(["checklist", "historik", "--deltagande", str(RAW / "participation" / "modellkonceptet_deltagande.csv")]) == 0
    assert "konstruerade" not in capsys.readouterr().out  # participation alone: real, published facts


def text_of(page: Path) -> str:
    markup = page.read_text(encoding="utf-8")
    markup = re.sub(r"<script.*?</script>|<style.*?</style>", "", markup, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup)))


@pytest.fixture(scope="module")
def demo_pages(tmp_path_factory) -> dict[str, str]:
    """The three reports of jam demo that carry the caveats and labels, run as jam demo runs them."""
    out = tmp_path_factory.mktemp("sanning")
    notebooks = ROOT / "notebooks"
    checklist_file = str(SCORES)
    jobs = [Job(notebooks / "indikatorrapport.ipynb", {"kommunkod": "1780", "till_och_med": "2021", "interaktiv": False,
                                                       "datamapp": str(RAW / "kolada")}, "1780", "Karlstad", "karlstad"),
            Job(notebooks / "mentorer_deltagare.ipynb", {"datafil": checklist_file, "omgang": "2020–2022"}, "–",
                "Mentorer och deltagare", "mentorer"),
            Job(notebooks / "checklista_omgangar.ipynb", {"datafil": checklist_file}, "–", "Checklistan", "checklistan")]
    result = run_jobs(jobs, out, workers=2)
    assert all(e.status == "klar" for e in result.entries), [e.message for e in result.entries]
    pages = {name: text_of(out / f"{name}.html") for name in ("karlstad", "mentorer", "checklistan")}
    pages |= {f"{name}.html": (out / f"{name}.html").read_text(encoding="utf-8") for name in ("mentorer", "checklistan")}
    return pages


def test_indicator_report_html_shows_the_caveat_the_adjustment_and_the_method_table(demo_pages):
    page = demo_pages["karlstad"]
    assert DESCRIPTIVE_CAVEAT in page
    assert "Benjamini–Hochbergs metod" in page and "p (ojusterat)" in page and "p (justerat)" in page
    assert "prövat på 2009, 2012, 2015, 2018 och 2021" in page
    assert not re.search(r"(?<!inte )statistiskt säkerställd \(", page)


def test_constructed_data_are_labelled_next_to_every_table_and_chart(demo_pages):
    for name in ("mentorer", "checklistan"):
        assert "konstruerade data, inte verkliga" in demo_pages[name]
        markup = demo_pages[f"{name}.html"]
        captions = re.findall(r"<caption[^>]*>([^<]*)</caption>", markup)
        charts = re.findall(r"Diagrammet kräver JavaScript: ([^<]*)", markup)
        assert len(captions) >= 2 and len(charts) == len(re.findall(r'class="jam-chart"', markup)) >= 2
        for label in captions + charts:
            assert "(konstruerade data)" in html.unescape(label), (name, label)


def test_mentor_reports_name_the_cells_and_the_change_agrees_with_the_table(demo_pages):
    for name in ("mentorer", "checklistan"):
        assert "4 celler återger inte SKR Modellkonceptet 2020–2022, Tabell 2 som den trycktes" in demo_pages[name]
        assert "Totalt, +/-: här 8,3, tryckt 9,0" in demo_pages[name]
    mentors = demo_pages["mentorer"]
    assert "Mentorerna ökade med 8,3 poäng" in mentors
    assert "Mentorernas förändring är 8,3 poäng i de konstruerade data, medan SKR Modellkonceptet 2020–2022, " \
           "Tabell 2 trycker 9,0" in mentors
    assert "Varje cell blir som i SKR Modellkonceptet 2020–2022, Tabell 1" in demo_pages["checklistan"]


def test_role_sentences_say_decreased_for_a_fall():
    import pandas as pd

    from jamlib.analysis.narrative import role_sentences

    change = pd.DataFrame([{"comparison": "förändring", "occasion": "Uppstart–Träff 3", "mean_mentor": 8.25,
                            "mean_participant": -1.0, "text": "Testet kan inte avgöras."}])
    assert role_sentences(change)[0] == ("Mentorerna ökade med 8,3 poäng och deltagarna minskade med 1,0 poäng "
                                         "(Uppstart–Träff 3).")


def test_indicator_report_opens_with_the_summary_and_leaves_tests_to_the_method_section(demo_pages):
    page = demo_pages["karlstad"]
    contents = page.index("Innehåll: Sammanfattning · Indikator för indikator · Om data · Metod och osäkerhet")
    summary = page.index("i korthet")  # the summary table's caption
    by_indicator = page.index("Indikator för indikator ¶")  # the headings (the contents list comes first)
    method = page.index("Metod och osäkerhet ¶")
    assert contents < summary < by_indicator < method
    first = page[:by_indicator]
    for name in ("Fallskador bland personer 80+", "besväras av ensamhet", "Väntetid i antal dagar"):
        assert name in first
    assert "Missgynnat kön" in first and "Hur länge" in first and "Skillnaden över tid" in first
    assert "minsta skillnaden av" in first
    # no test name or p-value before the method section; they are all there
    before = page[:method]
    for word in ("p (justerat)", "p = ", "Mann–Kendall", "Benjamini", "ojusterat", "prövat på"):
        assert word not in before, word
    assert "prövat på 2009, 2012, 2015, 2018 och 2021" in page[method:]
    sentences = page[page.index("i korthet"):by_indicator]
    assert len(re.findall(r"[.]\s", sentences)) <= 3 + 1  # the table's cells hold no full stops
