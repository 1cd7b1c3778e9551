"""The processed store: re-ingest validates only what changed, and readers use validated rows when they can."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from jamlib.cli import main
from jamlib.ingest import store as store_module
from jamlib.ingest import validation as validation_module
from jamlib.ingest.store import find_store, ingest_folder, load_processed, stored_rows
from jamlib.ingest import sources as sources_module
from jamlib.report import indicator_report as report_module
from tests.conftest import RAW, ROOT

HEADER = "Omgång;Organisation;Kommunkod;Roll;Tillfälle;Moment;Poäng\n"


@pytest.fixture
def collection(tmp_path):
    """A copy of the bundled data as data/raw with data/processed beside it, ingested once."""
    raw = tmp_path / "data" / "raw"
    shutil.copytree(RAW, raw)
    processed = tmp_path / "data" / "processed"
    ingest_folder(raw, processed)
    sources_module._CACHE.clear()
    return raw, processed


def _outputs(processed):
    tables = {name: load_processed(name, processed) for name in ("checklist", "published", "indicators", "results_chain")}
    return tables, (processed / "fel.csv").read_bytes(), json.loads((processed / "manifest.json").read_text(encoding="utf-8"))


def test_a_second_ingest_reads_nothing_again_and_gives_the_same_outputs(collection, monkeypatch):
    raw, processed = collection
    before = _outputs(processed)
    lines: list[str] = []
    monkeypatch.setattr(store_module, "read_raw", lambda path: pytest.fail(f"{path} was read again"))
    ingest_folder(raw, processed, progress=lines.append, workers=1)
    assert lines and all(line.endswith("(oförändrad sedan förra inläsningen)") for line in lines)
    after = _outputs(processed)
    for name, table in before[0].items():
        pd.testing.assert_frame_equal(table, after[0][name])
    assert before[1:] == after[1:]


def test_only_the_changed_file_is_validated_and_the_result_equals_a_fresh_ingest(collection, tmp_path, monkeypatch):
    raw, processed = collection
    changed = raw / "checklist" / "modellkonceptet_2020_2022_konstruerad.csv"
    lines = changed.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].rsplit(";", 1)[0] + ";7"  # a score of 7 on the first data row: quarantined
    changed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    read: list[str] = []
    real_read = store_module.read_raw
    monkeypatch.setattr(store_module, "read_raw", lambda path: read.append(path.name) or real_read(path))
    manifest = ingest_folder(raw, processed, workers=1)
    assert read == [changed.name]
    entry = manifest.set_index("path").loc["checklist/modellkonceptet_2020_2022_konstruerad.csv"]
    assert entry["rows_quarantined"] == 1 and entry["errors"] == 1
    fresh = tmp_path / "fresh"
    ingest_folder(raw, fresh)
    mine, theirs = _outputs(processed), _outputs(fresh)
    for name, table in theirs[0].items():
        pd.testing.assert_frame_equal(mine[0][name], table)
    assert mine[1:] == theirs[1:]
    assert (processed / "karantan" / "checklist__modellkonceptet_2020_2022_konstruerad_csv.csv").exists()


def test_fel_csv_is_every_pieces_failures_in_order_byte_for_byte(collection):
    """fel.csv is built from rows written per piece; it must be exactly the CSV of all pieces' failures together
    (what jam ingest wrote before), also when a piece's rows are missing and are made again."""
    from jamlib.files import excel_csv

    raw, processed = collection
    (raw / "checklist" / "trasig.csv").write_text(HEADER + "2020–2022;Kalmar;0880;deltagare;Uppstart;1;7\n"
                                                  "2020–2022;Kalmar;0880;mentor;Träff 9;=1+1;2\n", encoding="utf-8")
    ingest_folder(raw, processed, workers=1)
    manifest = json.loads((processed / "manifest.json").read_text(encoding="utf-8"))
    pieces = [processed / store_module.PARTS / f"{store_module._slug(Path(e['path']))}.fel.parquet" for e in manifest]
    together = pd.concat([pd.read_parquet(p) for p in pieces], ignore_index=True)
    together["row"] = together["row"].astype("Int64")
    expected = excel_csv(together)
    assert (processed / "fel.csv").read_bytes() == expected
    assert b"trasig.csv" in expected and b"'=1+1" in expected  # the bad file's rows are there, neutralised
    next(iter((processed / store_module.PARTS).glob("*.fel.csv"))).unlink()
    ingest_folder(raw, processed, workers=1)
    assert (processed / "fel.csv").read_bytes() == expected


def test_a_pieces_fel_csv_rows_are_what_excel_csv_writes_for_awkward_texts():
    """The rows of fel.csv are written with the csv module straight from the Arrow columns; for texts with
    quotes, semicolons, line breaks, formula starts, empty and missing cells they must be the bytes excel_csv
    (pandas' to_csv) writes after its header."""
    from jamlib.files import excel_csv

    texts = ['vanlig text', 'med "citat"', 'semi;kolon', 'rad\nbrytning', 'vagn\rretur', '=1+1', '+46', '@SUM(A1)',
             '-2,5', '-x', '', None, 'å ä ö – 1 234', '"', ';', ' ledande blank', '\t=tab', 'a\r\n=b',
             'allt "på"; en\ngång', '""']
    n = len(texts)
    failures = pd.DataFrame({
        "source": ["kolada/data_U1.json"] * n, "file": [t if t is not None else "f.csv" for t in texts],
        "row": pd.array([i if i % 4 else None for i in range(n)], dtype="Int64"),
        "column": list(reversed(texts)), "value": texts, "rule": ["kön_ofullständigt"] * n,
        "severity": ["varning"] * n, "message": [f"{t} i rad {i}" for i, t in enumerate(texts)]})
    table = store_module._failure_table(failures)
    frame = table.to_pandas()
    frame["row"] = frame["row"].astype("Int64")
    whole = excel_csv(frame)
    header_end = whole.index(b"\r\n") + 2
    assert store_module._failure_csv_rows(table) == whole[header_end:]
    assert b"'=1+1" in whole and b'"med ""citat"""' in whole  # what the comparison is about is there


def test_other_options_or_other_validating_code_validate_again(collection, monkeypatch):
    raw, processed = collection
    read: list[str] = []
    real_read = store_module.read_raw
    monkeypatch.setattr(store_module, "read_raw", lambda path: read.append(path.name) or real_read(path))
    ingest_folder(raw, processed, allow_half_points=True, workers=1)
    every = len(read)
    assert every >= 11  # every bundled source (more as data are added)
    read.clear()
    monkeypatch.setattr(store_module, "validator_fingerprint", lambda: "en annan version")
    ingest_folder(raw, processed, allow_half_points=True, workers=1)
    assert len(read) == every


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_several_processes_give_the_same_outputs_as_one(tmp_path, monkeypatch, start):
    """Two worker processes, forked (Linux, macOS) or started anew (Windows: no os.fork; the validated rows come
    back to the main process pickled), write the same tables, fel.csv and manifest as one process."""
    import os

    one, two = tmp_path / "en", tmp_path / "två"
    ingest_folder(RAW, one, workers=1)
    if start == "spawn":
        monkeypatch.delattr(os, "fork", raising=False)
    ingest_folder(RAW, two, workers=2)
    mine, theirs = _outputs(one), _outputs(two)
    for name, table in theirs[0].items():
        pd.testing.assert_frame_equal(mine[0][name], table)
    assert mine[1:] == theirs[1:]


def test_a_removed_source_leaves_no_rows_pieces_or_manifest_behind(collection):
    raw, processed = collection
    (raw / "indicators" / "kfast_serviceindex_2018.csv").unlink()
    ingest_folder(raw, processed)
    indicators = load_processed("indicators", processed)
    assert "kfast_serviceindex_2018.csv" not in set(indicators["source_file"])
    assert not list(processed.rglob("*kfast*"))


def test_the_indicator_folder_is_read_from_the_store_and_equals_validating_the_raw_files(collection, monkeypatch):
    raw, processed = collection
    assert find_store(raw / "kolada") == (raw.resolve(), processed.resolve())
    from_raw = pd.concat([validation_module.load(p, "indicators").data for p in sorted((raw / "kolada").glob("data_*.json"),
                                                                                         key=lambda p: (p.stat().st_mtime, p.name))],
                         ignore_index=True)
    from_raw = from_raw.drop_duplicates(subset=["org_code", "indicator_id", "period", "sex"], keep="last").reset_index(drop=True)
    monkeypatch.setattr(validation_module, "load", lambda *a, **k: pytest.fail("validated a raw file again"))
    from_store = report_module.load_indicator_folder(raw / "kolada")
    pd.testing.assert_frame_equal(from_store, from_raw)


def test_a_changed_kolada_file_is_validated_again_and_only_that_one(collection, monkeypatch):
    raw, processed = collection
    path = raw / "kolada" / "data_U23401.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    karlstad = next(r for r in document["values"] if r["municipality"] == "1780" and r["period"] == 2020)
    for entry in karlstad["values"]:
        entry["value"] = 999.0
    path.write_text(json.dumps(document), encoding="utf-8")
    assert stored_rows(path, raw, processed) is None
    assert stored_rows(raw / "kolada" / "data_N20402.json", raw, processed) is not None
    validated: list[str] = []
    real_load = validation_module.load
    monkeypatch.setattr(validation_module, "load", lambda p, *a, **k: validated.append(p.name) or real_load(p, *a, **k))
    data = report_module.load_indicator_folder(raw / "kolada")
    assert validated == ["data_U23401.json"]
    assert set(data.query("org_code == '1780' and period == '2020' and indicator_id == 'U23401'")["value"]) == {999.0}


def test_a_processed_folder_can_be_given_as_data(collection, capsys):
    raw, processed = collection
    assert main(["gaps", "--org", "1780", "--data", str(processed), "--indicator", "U23401"]) == 0
    from_processed = capsys.readouterr().out
    assert main(["gaps", "--org", "1780", "--data", str(raw / "kolada"), "--indicator", "U23401"]) == 0
    assert capsys.readouterr().out == from_processed
    assert "Karlstad" in from_processed


def test_a_file_that_cannot_be_read_never_stops_the_ingest(tmp_path, monkeypatch, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.csv").write_text(HEADER + "2020–2022;Karlstad;1780;deltagare;Uppstart;1;3\n", encoding="utf-8")
    (raw / "b.csv").write_text(HEADER + "2020–2022;Kramfors;2282;deltagare;Uppstart;1;3\n", encoding="utf-8")
    real_read = store_module.read_raw

    def fragile(path):
        if path.name == "a.csv":
            raise ValueError("ett fel i jamlib som ingen förutsåg")
        return real_read(path)

    monkeypatch.setattr(store_module, "read_raw", fragile)
    assert main(["ingest", "--raw", str(raw), "--processed", str(tmp_path / "out")]) == 1
    out = capsys.readouterr().out
    assert "a.csv" in out and "b.csv" in out
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert [m["rows_kept"] for m in manifest] == [0, 1]
    failures = (tmp_path / "out" / "fel.csv").read_bytes().decode("utf-8-sig")
    assert "internt_fel" in failures and "De andra filerna läses ändå" in failures
    assert list(load_processed("checklist", tmp_path / "out")["org_name"]) == ["Kramfors"]


def test_the_benchmark_makes_kolada_files_that_jam_ingest_reads_whole(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_ingest", ROOT / "bench" / "bench_ingest.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    values, size = bench.generate(tmp_path / "gen", 40_000)
    assert values >= 40_000 and size > 0
    manifest = ingest_folder(tmp_path / "gen" / "raw", tmp_path / "gen" / "processed", workers=1)
    assert int(manifest["rows_read"].sum()) == values
    assert (manifest["rows_read"] == manifest["rows_kept"] + manifest["rows_quarantined"]).all()
    assert (manifest["errors"] == 0).all()
    indicators = load_processed("indicators", tmp_path / "gen" / "processed")
    assert indicators["period"].nunique() >= 20 and set(indicators["sex"]) == {"K", "M", "T"}
    assert indicators["org_code"].nunique() == 291
    deleted = int(manifest["rows_quarantined"].sum())
    assert 0 < deleted < 0.01 * values  # entries marked isdeleted, counted and quarantined


def test_text_columns_taken_from_their_distinct_values_give_the_same_parquet_as_the_frame():
    """Ingest builds the Arrow table of a file's passed rows from the text columns' codes and distinct values;
    the table (values, types, pandas metadata) must be what converting ``result.data`` gives, for every kind."""
    files = [p for p in sorted(RAW.rglob("*")) if p.suffix in (".csv", ".json") and p.parent.name != "kolada"
             or p.name.startswith("data_")]
    kinds_with_codes = set()
    for path in files:
        validated = store_module._read_and_validate(path, path.relative_to(RAW), False)
        if validated is None or validated[0].kind not in store_module.SCHEMAS or not len(validated[0].data):
            continue
        result, text_codes = validated
        taken = store_module._to_arrow(result.data, result.kind, text_codes)
        converted = store_module._to_arrow(result.data, result.kind)
        assert taken.equals(converted), path.name
        assert taken.schema.metadata == converted.schema.metadata, path.name
        if text_codes:
            kinds_with_codes.add(result.kind)
    assert {"indicators", "checklist", "representation"} <= kinds_with_codes


def test_only_the_asked_indicators_are_loaded_the_same_from_the_store_the_raw_files_and_the_cache(collection):
    """A report for a few indicators reads only their rows (a national store holds 30 million), and gets exactly
    the rows it would get by loading everything and keeping those indicators."""
    raw, processed = collection
    wanted = ["N20402", "U21504", "KFAST_NKI_RENT", "finns_inte"]
    for folder in (str(processed), f"{raw / 'kolada'}, {raw / 'indicators'}"):
        sources_module._CACHE.clear()
        part = sources_module.load_indicator_folder(folder, wanted)
        every = sources_module.load_indicator_folder(folder)
        expected = every[every["indicator_id"].isin(wanted)].reset_index(drop=True)
        pd.testing.assert_frame_equal(part, expected)
        assert set(part["indicator_id"]) == {"N20402", "U21504", "KFAST_NKI_RENT"}
        from_cache = sources_module.load_indicator_folder(folder, wanted)  # a part of the cached whole
        pd.testing.assert_frame_equal(from_cache, expected)
        from_cache.loc[:, "value"] = 0.0  # a copy: the cache is not changed through it
        assert not (sources_module.load_indicator_folder(folder)["value"] == 0.0).all()


def test_a_processed_folder_gives_the_same_rows_as_the_raw_files_also_where_text_is_missing(tmp_path, capsys):
    """Kolada files fetched without their kpi.json have no indicator titles. Read from the processed folder, a
    missing text is None as when the raw files are read, so a sentence names the indicator by its id and never
    says "nan"."""
    raw = tmp_path / "raw"
    shutil.copytree(RAW / "kolada", raw / "kolada")
    (raw / "kolada" / "kpi.json").unlink()
    processed = tmp_path / "processed"
    ingest_folder(raw, processed)
    sources_module._CACHE.clear()
    from_store = sources_module.load_indicator_folder(processed)
    sources_module._CACHE.clear()
    from_raw = sources_module.load_indicator_folder(raw / "kolada")
    assert from_store["indicator_title"].isna().all()
    for name in ("indicator_title", "unit", "org_code", "period", "sex"):
        assert from_store[name].tolist() == from_raw.set_index(from_store.index)[name].tolist(), name
    assert main(["gaps", "--org", "1780", "--data", str(processed), "--indicator", "U21504"]) == 0
    out = capsys.readouterr().out
    assert "U21504" in out and not re.search(r"\bnan\b", out, re.IGNORECASE)
