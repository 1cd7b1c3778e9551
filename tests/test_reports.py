"""Notebooks, parameters, the batch runner and offline HTML reports."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from jamlib.run.batch import Job, run_batch, run_jobs, select_organisations
from jamlib.errors import JamlibError, ParameterError
from jamlib.files import safe_filename
from jamlib.report.html import IndexEntry, external_references, write_index
from jamlib.organisations import check_municipality_code
from jamlib.run.parameters import notebook_parameters
from tests.conftest import RAW, ROOT

NOTEBOOKS = ROOT / "notebooks"
PAPERMILL = [sys.executable, "-m", "papermill", "--no-progress-bar"]


# -- parameters ---------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [("0180", "0180"), (180, "0180"), ("180", "0180"), (1780, "1780"),
                                             (180.0, "0180")])
def test_codes_that_lost_their_zero_are_repaired(value, expected):
    assert check_municipality_code(value) == expected


def test_yaml_octal_codes_are_refused_with_the_likely_code():
    with pytest.raises(ParameterError, match="0114.*Upplands Väsby.*YAML"):
        check_municipality_code(76)  # YAML read 0114 as octal 76
    with pytest.raises(ParameterError, match="tvetydig"):
        check_municipality_code(114)  # 0114 typed with -p, or 0162 from YAML: cannot tell
    with pytest.raises(ParameterError):
        check_municipality_code("Karlstad")


def test_every_notebook_declares_its_parameters_and_checks_them():
    for path in NOTEBOOKS.glob("*.ipynb"):
        declared = notebook_parameters(path)
        assert declared, path.name
        source = "".join(c.source for c in nbformat.read(path, 4).cells if c.cell_type == "code")
        if "kommunkod" in declared:  # checked at once, or resolved as a code or a name (resolve_organisation)
            assert "check_municipality_code(kommunkod)" in source or "indicator_report(data, kommunkod" in source


# -- the plain papermill CLI (a real kernel), non-default parameters ---------------

def run_papermill(tmp_path: Path, notebook: str, *args: str) -> tuple[subprocess.CompletedProcess, Path]:
    out = tmp_path / f"ut_{notebook}"
    result = subprocess.run([*PAPERMILL, str(NOTEBOOKS / notebook), str(out), *args], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    return result, out


def outputs_text(path: Path) -> str:
    notebook = nbformat.read(path, 4)
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", "") + json.dumps(output.get("data", {}), ensure_ascii=False)
                         + output.get("evalue", ""))
    return "\n".join(parts)


def test_papermill_cli_indicator_report_with_a_leading_zero_code(tmp_path):
    result, out = run_papermill(tmp_path, "indikatorrapport.ipynb", "-p", "kommunkod", "0180",
                                "-p", "till_och_med", "2020", "-p", "jamforelse", "riket",
                                "-p", "indikatorer", "U23401,N20402")
    assert result.returncode == 0, result.stderr[-2000:]
    text = outputs_text(out)
    assert "Stockholm (0180)" in text and "Fallskador" in text


def test_papermill_cli_yaml_octal_code_stops_with_a_swedish_message(tmp_path):
    params = tmp_path / "param.yaml"
    params.write_text("kommunkod: 0114\n", encoding="utf-8")
    result, out = run_papermill(tmp_path, "resultatkedja.ipynb", "-f", str(params))
    assert result.returncode != 0
    assert "0114" in outputs_text(out) and "YAML" in outputs_text(out)


def test_papermill_cli_other_notebooks_with_other_parameters(tmp_path):
    for notebook, args, expected in [
        ("resultatkedja.ipynb", ["-p", "kommunkod", "0880"], "Kalmar (0880)"),
        ("checklista_omgangar.ipynb", ["-p", "roller", "mentor"], "Omgång 2020–2022, mentor"),
        ("mentorer_deltagare.ipynb", ["-p", "omgang", "2020–2022", "--engine", "jamlib"], "kan inte avgöras"),
    ]:
        result, out = run_papermill(tmp_path, notebook, *args)
        assert result.returncode == 0, (notebook, result.stderr[-2000:])
        assert expected in outputs_text(out), notebook


# -- batch ----------------------------------------------------------------------

def one_municipality_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "kolada"
    folder.mkdir()
    document = json.loads((RAW / "kolada" / "data_U23401.json").read_text(encoding="utf-8"))
    document["values"] = [v for v in document["values"] if v["municipality"] in ("1780", "0000")]
    document["count"] = len(document["values"])
    (folder / "data_U23401.json").write_text(json.dumps(document), encoding="utf-8")
    shutil.copy(RAW / "kolada" / "kpi.json", folder)
    return folder


def test_a_failing_municipality_does_not_stop_the_batch(tmp_path):
    folder = one_municipality_folder(tmp_path)
    out = tmp_path / "batch"
    result = run_batch(NOTEBOOKS / "indikatorrapport.ipynb", [("1780", "Karlstad"), ("0180", "Stockholm")], out,
                       workers=2, parameters={"datamapp": str(folder), "indikatorer": "U23401", "interaktiv": False,
                                              "jamforelse": "riket"})
    status = {e.code: e for e in result.entries}
    assert status["1780"].status == "klar" and (out / "1780_karlstad.html").exists()
    assert status["0180"].status == "fel" and "Inga värden" in status["0180"].message.replace("inga", "Inga")
    assert (out / "loggar" / "0180_stockholm.log").read_text(encoding="utf-8")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "1780_karlstad.html" in index and "0180_stockholm.log" in index and "1 med fel" in index


def test_jam_batch_exits_1_when_a_report_failed(tmp_path):
    folder = one_municipality_folder(tmp_path)
    result = subprocess.run([sys.executable, "-m", "jamlib.cli", "batch", str(NOTEBOOKS / "indikatorrapport.ipynb"),
                             "--org", "1780,180", "--out", str(tmp_path / "b"), "-p", f"datamapp={folder}",
                             "-p", "indikatorer=U23401", "-p", "jamforelse=riket"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 klara, 1 med fel" in result.stdout and "0180 Stockholm" in result.stdout


def test_reports_run_in_isolation(tmp_path):
    notebook = tmp_path / "läcka.ipynb"
    notebook.write_text(nbformat.writes(nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell('kommunkod = "0000"', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(
            "import jamlib, os\n"
            "assert not hasattr(jamlib, '_förra'), f'läckt från {jamlib._förra}'\n"
            "assert 'JAM_FORRA' not in os.environ\n"
            "jamlib._förra = kommunkod\nos.environ['JAM_FORRA'] = kommunkod\nprint('ok', kommunkod)"),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})),
        encoding="utf-8")
    result = run_batch(notebook, [("1780", "Karlstad"), ("0180", "Stockholm"), ("0880", "Kalmar")],
                       tmp_path / "iso", workers=1)
    assert [e.status for e in result.entries] == ["klar"] * 3, [e.message for e in result.entries]


def test_unknown_parameter_names_never_reach_papermill(tmp_path):
    with pytest.raises(ParameterError, match="Okända parametrar"):
        run_batch(NOTEBOOKS / "resultatkedja.ipynb", [("1780", "Karlstad")], tmp_path / "x",
                  parameters={"os.system('echo hej'); x": 1})
    assert not (tmp_path / "x").exists()


def test_selecting_organisations():
    assert len(select_organisations(all_municipalities=True)) == 290
    assert {c for c, _ in select_organisations(lan="17")} >= {"1780", "1715"}
    assert len(select_organisations(group="G176581")) == 7
    with pytest.raises(ParameterError):
        select_organisations()


# -- escaping, file names, offline HTML ----------------------------------------------

def test_names_from_data_are_escaped_in_report_and_index(tmp_path):
    chain = pd.read_csv(RAW / "results_chain" / "modellkonceptet_2020_2022_resultatkedja.csv", sep=";", dtype=str)
    chain.loc[chain["Kommunkod"] == "1780", "Organisation"] = "<script>alert(1)</script>"
    chain.loc[chain.index[chain["Kommunkod"] == "1780"][0], "Rubrik"] = "<img src=x onerror=alert(2)>"
    path = tmp_path / "kedja.csv"
    chain.to_csv(path, sep=";", index=False)
    result = run_jobs([Job(NOTEBOOKS / "resultatkedja.ipynb", {"kommunkod": "1780", "datafil": str(path)}, "1780",
                           "<script>alert(1)</script>", safe_filename("1780", "<script>alert(1)</script>", suffix=""))],
                      tmp_path / "esc", workers=1)
    entry = result.entries[0]
    assert entry.status == "klar", entry.message
    report = (tmp_path / "esc" / entry.report).read_text(encoding="utf-8")
    index = result.index.read_text(encoding="utf-8")
    for page in (report, index):
        assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in report


def test_file_names_stay_inside_the_output_folder_and_keep_swedish_letters():
    assert safe_filename("2284", "Örnsköldsvik") == "2284_örnsköldsvik.html"
    for nasty in ("../../etc/passwd", "/tmp/x", "..", "a\\..\\b", ".hidden"):
        name = safe_filename(nasty)
        assert "/" not in name and "\\" not in name and not name.startswith(".")


def test_index_escapes_and_reports_are_offline(tmp_path):
    page = write_index(tmp_path, "Översikt <b>", [IndexEntry("0180", "<script>x</script>", "fel", None, "loggar/a.log",
                                                             "fel: <b>")]).read_text(encoding="utf-8")
    assert "<script>x" not in page and "&lt;b&gt;" in page
    assert external_references('<script src="https://cdn.example/x.js"></script>') == ["https://cdn.example/x.js"]


@pytest.fixture(scope="module")
def demo_reports(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    jobs = [Job(NOTEBOOKS / "indikatorrapport.ipynb", {"kommunkod": "1780", "interaktiv": False}, "1780",
                "Karlstad", "1780_karlstad"),
            Job(NOTEBOOKS / "mentorer_deltagare.ipynb", {}, "–", "Mentorer och deltagare", "mentorer")]
    result = run_jobs(jobs, out, workers=2)
    assert all(e.status == "klar" for e in result.entries), [e.message for e in result.entries]
    return out


def test_reports_are_self_contained_and_within_budget(demo_reports):
    for page in demo_reports.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert external_references(text) == [], page.name
        assert "cdnjs" not in text and "jsdelivr" not in text and "widget-view" not in text
        assert page.stat().st_size <= 2 * 1024 * 1024, page.name


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


@pytest.mark.skipif(_chromium() is None, reason="chromium saknas (apt install chromium); .ci/run installerar den")
def test_every_chart_renders_in_headless_chromium_without_network(demo_reports):
    artefacts = ROOT / "build" / "testartefakter" / "rapporter"
    artefacts.mkdir(parents=True, exist_ok=True)
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
             "--disable-component-update", "--disable-sync", "--proxy-server=127.0.0.1:9",
             "--proxy-bypass-list=<-loopback>", "--virtual-time-budget=15000"]
    for page in [demo_reports / "1780_karlstad.html", demo_reports / "mentorer.html", demo_reports / "index.html"]:
        dom = subprocess.run([_chromium(), *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True,
                             timeout=120).stdout
        pattern = re.compile(r'<figure[^>]*class="jam-chart"[^>]*>')
        figures = pattern.split(dom)[1:]
        expected = len(pattern.findall(page.read_text(encoding="utf-8")))
        assert len(figures) == expected, page.name
        for figure in figures:
            chunk = figure.split("</figure>")[0]
            assert "<svg" in chunk or "<canvas" in chunk, page.name
            assert "jam-chart-error" not in chunk
        if page.name != "index.html":
            assert expected >= 1
        subprocess.run([_chromium(), *flags, "--window-size=1100,1800", f"--screenshot={artefacts / (page.stem + '.png')}",
                        page.as_uri()], capture_output=True, timeout=120)
        assert (artefacts / f"{page.stem}.png").stat().st_size > 10_000


def test_explorer_view_and_charts_never_plot_suppressed_cells():
    from jamlib.report.charts import gap_chart
    from jamlib.report.explorer import ExplorerState, explorer_view
    from jamlib.report.indicator_report import load_indicator_folder

    state = ExplorerState(load_indicator_folder(RAW / "kolada"))
    assert ("Karlstad (1780)", "1780") in state.municipalities
    # Issue 11: regions are listed (after the municipalities), Riket is not: it is the reference.
    assert ("Region Värmland (0017)", "0017") in state.municipalities and "0000" not in dict(state.municipalities).values()
    assert [code for _, code in state.municipalities].index("0017") > [code for _, code in state.municipalities].index("2584")
    chart, table = explorer_view(state, "1780", "U23401", "liknande")
    spec = chart.to_dict()
    assert "Karlstad" in json.dumps(spec["title"], ensure_ascii=False)
    assert table.set_index("År").loc["2021", "Missgynnat kön"] == "kvinnor"
    suppressed = pd.DataFrame({"period": ["2020"], "value_K": [3.0], "value_M": [4.0], "suppressed": [True]})
    with pytest.raises(ValueError, match="suppressed"):
        gap_chart(suppressed, "x")
