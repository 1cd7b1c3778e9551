"""Issue 12: a committee's own statistics, dropped into data/raw/indicators, reported on like a municipality.

A municipality's analyst saves the social committee's user survey from Excel (semicolons, decimal commas,
"Kvinnor"/"Män", counts of respondents, polarity) into data/raw/indicators/, runs `jam ingest`, then asks
`jam gaps --org "<the committee's name>"` and `jam batch notebooks/indikatorrapport.ipynb --org "<name>"`.
Both must name the disadvantaged sex with 95 % intervals computed from the counts, without a traceback.
Reference intervals come from scipy (Wilson) and a hand computation of Newcombe's method 10.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from scipy import stats

import jamlib
from jamlib.analysis.narrative import persistence_sentence
from jamlib.ingest.sources import load_organisation_folder
from tests.conftest import RAW, ROOT

COMMITTEE = "Socialnämnden Eskilstuna"
#: year -> (women satisfied, women answering, men satisfied, men answering)
SURVEY = {"2019": (93, 150, 112, 140), "2020": (50, 75, 55, 70), "2021": (101, 160, 122, 150),
          "2022": (104, 158, 121, 149)}


def _survey_text() -> str:
    lines = ["Organisation;Indikator;Indikatornamn;År;Kön;Värde;Enhet;Täljare;Nämnare;Polaritet;Källa"]
    for year, (kw, nw, km, nm) in SURVEY.items():
        for sex, k, n in (("Kvinnor", kw, nw), ("Män", km, nm)):
            value = f"{100 * k / n:.1f}".replace(".", ",")
            lines.append(f"{COMMITTEE};SOC_NOJD;Andel brukare nöjda med bemötandet;{year};{sex};{value};procent;{k};{n};"
                         "högre är bättre;Socialnämndens brukarenkät")
    return "\r\n".join(lines) + "\r\n"


def _jam(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "jamlib.cli", *args], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", timeout=900)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A municipality's project folder: the bundled data, the committee's file saved by Excel, jam ingest run."""
    root = tmp_path_factory.mktemp("projekt")
    shutil.copytree(RAW, root / "data" / "raw")
    (root / "data" / "raw" / "indicators" / "socialnamnden_brukarenkat.csv").write_bytes(
        b"\xef\xbb\xbf" + _survey_text().encode("utf-8"))  # Excel's "CSV UTF-8" has a byte-order mark
    ingested = _jam(root, "ingest")
    assert ingested.returncode in (0, 1), ingested.stderr
    assert "socialnamnden_brukarenkat.csv" in ingested.stdout
    return root


def _wilson(k: int, n: int) -> tuple[float, float]:
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    return ci.low, ci.high


def _newcombe(kw: int, nw: int, km: int, nm: int) -> tuple[float, float]:
    """Newcombe (1998), method 10, by hand from the two Wilson intervals."""
    p1, p2 = kw / nw, km / nm
    (l1, u1), (l2, u2) = _wilson(kw, nw), _wilson(km, nm)
    d = p1 - p2
    return d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)


def _pct(value: float) -> str:
    return f"{value * 100:.1f}".replace(".", ",").replace("-", "−")


def test_jam_gaps_names_the_committee_and_the_disadvantaged_sex_with_intervals(project):
    done = _jam(project, "gaps", "--org", COMMITTEE)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    out = done.stdout
    assert out.startswith(COMMITTEE)
    assert f"I {COMMITTEE} har kvinnor haft ett sämre värde än män på ”Andel brukare nöjda med bemötandet”" in out
    kw, nw, km, nm = SURVEY["2022"]
    low_w, high_w = _wilson(kw, nw)
    low_d, high_d = _newcombe(kw, nw, km, nm)
    assert f"kvinnor {_pct(kw / nw)} % (95 % konfidensintervall {_pct(low_w)}–{_pct(high_w)} %, {nw} personer)" in out
    assert f"(95 % konfidensintervall {_pct(low_d)} till {_pct(high_d)}, som innehåller 0" in out \
        if low_d < 0 < high_d else f"{_pct(low_d)} till {_pct(high_d)}, som inte innehåller 0)" in out
    # every year's interval of the difference is in the table, and a year whose interval holds 0 names no sex
    for year, counts in SURVEY.items():
        low, high = _newcombe(*counts)
        row = next(line for line in out.splitlines() if line.startswith(year + " "))
        assert f"{_pct(low)} till {_pct(high)}" in row.replace("+", ""), row
        assert ("kvinnor" in row) == (high < 0), row


def test_the_interval_decides_whether_a_gap_counts(project):
    """2020: 66,7 % against 78,6 % of few respondents. Newcombe's interval decides, not the 2-point rule."""
    low, high = _newcombe(*SURVEY["2020"])
    assert low < 0 < high  # by hand: the interval holds 0
    data = jamlib.load_indicator_folder(project / "data" / "raw" / "indicators")
    report = jamlib.indicator_report(data, COMMITTEE, None)
    year = report.gaps[report.gaps["period"] == "2020"].iloc[0]
    assert abs(year["gap"]) >= 2  # above the materiality threshold of shares
    assert year["disadvantaged"] == "ingen"
    row = report.intervals[report.intervals["period"] == "2020"].iloc[0]
    assert (row["difference_low"], row["difference_high"]) == pytest.approx((low, high), abs=1e-9)
    notes = " ".join(report.sentences.loc[report.sentences["indicator_id"] == "", "text"])
    assert "Newcombe" in notes and "minst 2 procentenheter" not in notes  # the threshold is not what decided


def test_jam_batch_runs_the_indicator_report_for_the_committee_by_name(project):
    out = project / "ut"
    done = _jam(project, "batch", str(ROOT / "notebooks" / "indikatorrapport.ipynb"), "--org", COMMITTEE,
                "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    pages = [p for p in out.glob("*.html") if p.name != "index.html"]
    assert len(pages) == 1 and "socialn" in pages[0].name
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", pages[0].read_text(encoding="utf-8")))
    assert f"I {COMMITTEE} har kvinnor haft ett sämre värde än män" in text
    assert "Räknat på antalen 2022: kvinnor" in text and "Skillnad, 95 % KI" in text  # intervals beside the verdict
    assert "Socialnämndens brukarenkät" in text or "socialnamnden_brukarenkat.csv" in text  # "Om data" names the source
    assert "Traceback" not in text
    assert COMMITTEE in (out / "index.html").read_text(encoding="utf-8")


def test_an_unknown_name_is_refused_in_swedish_before_anything_runs(project):
    done = _jam(project, "batch", str(ROOT / "notebooks" / "indikatorrapport.ipynb"), "--org", "Socialnämden Eskilstun",
                "--out", str(project / "fel"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "är ingen känd kommun, region eller organisation" in done.stderr
    assert not (project / "fel").exists()


def test_an_own_file_with_an_error_stops_the_report_naming_file_row_column_and_value(project, tmp_path):
    folder = tmp_path / "indicators"
    folder.mkdir()
    text = _survey_text().replace(";101;160;", ";101;etthundrasextio;")
    (folder / "enkat.csv").write_text(text, encoding="utf-8")
    done = _jam(project, "gaps", "--org", COMMITTEE, "--data", str(folder))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "enkat.csv" in done.stderr and "etthundrasextio" in done.stderr and "nämnare" in done.stderr


def test_bundled_company_and_school_reports_come_from_their_own_files():
    data = jamlib.load_indicator_folder(RAW / "indicators")
    own = load_organisation_folder(RAW / "organisations")
    kfast = jamlib.indicator_report(data, "Kfast AB", None, organisations=own)
    assert kfast.org_code == "kfast-ab" and kfast.reference is None
    assert set(kfast.gaps["indicator_id"]) == {"KFAST_NKI_TRYGGHET", "KFAST_NKI_RENT"}
    school = jamlib.indicator_report(data, "Rekarnebygymnasiet", None, organisations=own)
    text = " ".join(school.sentences["text"])
    # the file says the count of pupils is neutral: no sex is disadvantaged, and no "set the polarity" advice
    assert "indikatorn är angiven som neutral" in text and "ange polaritet" not in text
    assert "5 av 62" in text  # the share of girls over time, with its counts
    ci = stats.binomtest(12, 77).proportion_ci(confidence_level=0.95, method="wilson")
    assert f"12 av 77; 95 % konfidensintervall {_pct(ci.low)}–{_pct(ci.high)} %" in text


def test_a_polarity_set_against_the_curated_one_does_not_borrow_its_words():
    row = {"indicator_id": "U23401", "indicator_title": "Väntetid till särskilt boende", "disadvantaged": "K",
           "latest_period": "2022", "persistence": 1, "first_period": "2022", "polarity": "högre är bättre"}
    sentence = persistence_sentence(row, "Karlstad")
    assert "väntat längre" not in sentence and "haft ett sämre värde än män" in sentence
    curated = persistence_sentence(row | {"disadvantaged": "M", "polarity": "lägre är bättre"}, "Karlstad")
    assert "män väntat längre än kvinnor" in curated


def test_several_folders_and_the_defaults(tmp_path, monkeypatch):
    from jamlib.ingest.sources import indicator_folders

    both = jamlib.load_indicator_folder([RAW / "kolada", RAW / "indicators"])
    assert {"U23401", "KFAST_NKI_RENT", "ESK_BA_AK1"} <= set(both["indicator_id"])
    assert len(jamlib.load_indicator_folder(f"{RAW / 'kolada'}, {RAW / 'indicators'}")) == len(both)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data" / "raw" / "kolada").mkdir(parents=True)
    assert indicator_folders(None) == [Path("data/raw/kolada")]  # no own statistics: not an error
    with pytest.raises(jamlib.JamlibError, match="innehåller inga indikatorfiler"):
        jamlib.load_indicator_folder(None)
    pd.testing.assert_frame_equal(jamlib.load_indicator_folder(RAW / "kolada"),
                                  jamlib.load_indicator_folder(str(RAW / "kolada")))


def test_a_batch_of_everything_under_eskilstuna_with_data_and_the_organisation_list(project):
    out = project / "under"
    done = _jam(project, "batch", str(ROOT / "notebooks" / "indikatorrapport.ipynb"), "--under", "Eskilstuna",
                "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "för 2 organisationer" in done.stdout  # Kfast AB and Rekarnebygymnasiet: the others have no data
    names = sorted(p.name for p in out.glob("*.html"))
    assert names == ["index.html", "kfast-ab_kfast_ab_eskilstuna_kommunfastigheter_ab.html",
                     "rekarnebygymnasiet_rekarnebygymnasiet.html"], names
    listed = _jam(project, "organisations", "--typ", "skola")
    assert listed.returncode == 0, listed.stderr
    row = next(line for line in listed.stdout.splitlines() if "Rekarnebygymnasiet" in line)
    assert "Gymnasienämnden" in row and row.rstrip().endswith("ja")
    refused = _jam(project, "batch", str(ROOT / "notebooks" / "indikatorrapport.ipynb"), "--typ", "nämnd",
                   "--under", "Eskilstuna", "--out", str(project / "inga"))
    assert refused.returncode == 2 and "Inga organisationer med data passar typen nämnd" in refused.stderr


def test_in_jupyterlab_a_jamlib_error_shows_the_swedish_message_not_a_traceback(tmp_path, capsys):
    from IPython.core.interactiveshell import InteractiveShell

    folder = tmp_path / "indicators"
    folder.mkdir()
    (folder / "enkat.csv").write_text(_survey_text().replace(";101;160;", ";101;etthundrasextio;"), encoding="utf-8")
    shell = InteractiveShell.instance()
    result = shell.run_cell(f"import jamlib\njamlib.load_indicator_folder({str(folder)!r})")
    shown = capsys.readouterr()
    assert isinstance(result.error_in_exec, jamlib.JamlibError)
    text = shown.out + shown.err
    assert text.startswith("Fel: enkat.csv") and "etthundrasextio" in text and "nämnare" in text
    assert "Traceback" not in text and "File " not in text


def test_the_explorer_is_left_out_when_no_person_drives_the_kernel(monkeypatch):
    """Papermill and nbconvert --execute (nbclient) may hang on a widget; JupyterLab names its session."""
    from jamlib.report import explorer

    class Shell:
        kernel = object()
        user_ns: dict = {}

    monkeypatch.setattr("IPython.get_ipython", lambda: Shell())
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    assert explorer.show_explorer(pd.DataFrame(), "1780") is False  # papermill's kernel: nothing shown
    assert explorer._interactive_frontend(Shell()) is False
    monkeypatch.setenv("JPY_SESSION_NAME", "notebooks/indikatorrapport.ipynb")
    assert explorer._interactive_frontend(Shell()) is True  # a kernel JupyterLab started
