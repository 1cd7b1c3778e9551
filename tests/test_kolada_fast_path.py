"""Kolada JSON read by pyarrow (the fast path) gives exactly what the json module gives (the reference path).

Every file below is read both ways and validated; the rows, the quarantine, the failure table and every
message must be the same, or both ways must refuse the file with the same Swedish message. Plain Kolada
files must take the fast path (otherwise this test would compare the reference with itself).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pandas as pd
import pytest

from jamlib.errors import DataFileError
from jamlib.ingest import kolada_files
from jamlib.ingest.validation import validate


def _entry(gender, value, deleted=False):
    return {"gender": gender, "count": 1, "status": "", "value": value, "isdeleted": deleted}


def _document() -> dict:
    records = []
    for code, level in (("0000", 61.5), ("1780", 58.0), ("0180", 70.25), ("2580", 49.0)):
        for year in (2019, 2020, 2021):
            records.append({"kpi": "U21504", "municipality": code, "period": year,
                            "values": [_entry("K", level + year % 7), _entry("M", level - 1.5), _entry("T", level)]})
    records[1]["values"][1]["value"] = None  # a missing value stays missing
    records[2]["values"][2]["isdeleted"] = True  # taken out, counted, quarantined
    records[4]["values"] = records[4]["values"][:1]  # K only: a sex-completeness warning
    records[5]["values"] = [_entry("T", 101.0)]  # T only, and a share above 100 %
    records[6]["values"][0]["value"] = -3  # a negative share
    records.append({"kpi": "U21504", "municipality": "9999", "period": 2020, "values": [_entry("T", 1.0)]})  # unknown code
    records.append({"kpi": "U21504", "municipality": "180", "period": 2020, "values": [_entry("T", 2.0)]})  # lost zero
    records.append(copy.deepcopy(records[0]))  # a duplicate record
    records.append({"kpi": "N20402", "municipality": "1780", "period": 2021, "values": [_entry("T", 4394)]})
    return {"count": len(records), "next_url": None, "previous_url": None, "values": records}


def _changed(change) -> dict:
    document = _document()
    change(document)
    return document


def _set(path: tuple, value):
    def change(document):
        target = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return change


def _drop(path: tuple):
    def change(document):
        target = document
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
    return change


PLAIN = {
    "Kolada's own form": json.dumps(_document(), separators=(",", ":")).encode(),
    "spaces after separators": json.dumps(_document()).encode(),
    "a byte-order mark and a final line break": b"\xef\xbb\xbf" + json.dumps(_document()).encode() + b"\r\n",
    "a page of a longer answer": json.dumps(_changed(_set(("next_url",), "https://api.kolada.se/v3/x?page=2"))).encode(),
    "API v2 page keys": json.dumps({k if k != "next_url" else "next_page": v for k, v in
                                    _changed(_set(("next_url",), "https://api.kolada.se/v2/x?page=2")).items()
                                    if k != "previous_url"}).encode(),
    "whole numbers only": json.dumps({**_document(), "values": [
        {"kpi": "N20402", "municipality": "1780", "period": 2020, "values": [_entry("K", 5), _entry("M", 7), _entry("T", 12)]}]}).encode(),
    "every value missing": json.dumps({**_document(), "values": [
        {"kpi": "N20402", "municipality": "1780", "period": 2020, "values": [_entry("K", None), _entry("T", None)]}]}).encode(),
    "period as text": json.dumps(_changed(lambda d: [r.update(period=str(r["period"])) for r in d["values"]])).encode(),
    "a record without values": json.dumps(_changed(_drop(("values", 3, "values")))).encode(),
    "a record whose values are null": json.dumps(_changed(_set(("values", 3, "values"), None))).encode(),
    "a municipality that is null": json.dumps(_changed(_set(("values", 3, "municipality"), None))).encode(),
    "an entry without isdeleted": json.dumps(_changed(_drop(("values", 0, "values", 0, "isdeleted")))).encode(),
    "an entry without value": json.dumps(_changed(_drop(("values", 0, "values", 0, "value")))).encode(),
    "an entry whose gender is null": json.dumps(_changed(_set(("values", 0, "values", 0, "gender"), None))).encode(),
    "NaN written out": json.dumps(_document()).replace("70.25", "NaN").encode(),
}

OTHER = {
    "indented over many lines": json.dumps(_document(), indent=2).encode(),
    "a text value": json.dumps(_changed(_set(("values", 0, "values", 0, "value"), "61,5"))).encode(),
    "a boolean value": json.dumps(_changed(_set(("values", 0, "values", 0, "value"), True))).encode(),
    "a huge whole number": json.dumps(_changed(_set(("values", 0, "values", 0, "value"), 10**20))).encode(),
    "a value of 1e15": json.dumps(_changed(_set(("values", 0, "values", 0, "value"), 1e15))).encode(),
    "Infinity written out": json.dumps(_document()).replace("70.25", "Infinity").encode(),
    "isdeleted as text": json.dumps(_changed(_set(("values", 0, "values", 0, "isdeleted"), "false"))).encode(),
    "a municipality as a number": json.dumps(_changed(lambda d: [r.update(municipality=int(r["municipality"]))
                                                                 for r in d["values"]])).encode(),
    "a period as a decimal number": json.dumps(_changed(_set(("values", 0, "period"), 2019.0))).encode(),
    "a record without a municipality": json.dumps(_changed(_drop(("values", 3, "municipality")))).encode(),
    "a record without a period": json.dumps(_changed(_drop(("values", 3, "period")))).encode(),
    "a record without kpi": json.dumps(_changed(_drop(("values", 3, "kpi")))).encode(),
    "a record that is no object": json.dumps(_changed(_set(("values", 3), 17))).encode(),
    "values of a record that are no list": json.dumps(_changed(_set(("values", 3, "values"), {"a": 1}))).encode(),
    "an entry that is no object": json.dumps(_changed(_set(("values", 3, "values", 0), "K"))).encode(),
    "an entry that is null": json.dumps(_changed(_set(("values", 3, "values", 0), None))).encode(),
    "no records": json.dumps(_changed(_set(("values",), []))).encode(),
    "records without entries": json.dumps(_changed(lambda d: [r.update(values=[]) for r in d["values"]])).encode(),
    "a top-level list": json.dumps(_document()["values"]).encode(),
    "a top-level value that is no list": json.dumps(_changed(_set(("values",), "x"))).encode(),
    "no values key": json.dumps({"count": 0}).encode(),
    "metadata": json.dumps({"values": [{"id": "U21504", "title": "Andel"}]}).encode(),
    "a unicode escape": json.dumps(_changed(_set(("values", 0, "kpi"), "U2340å"))).encode(),
    "a tab inside a text": json.dumps(_document()).replace('"1780"', '"17\t80"').encode(),
    "a key given twice": json.dumps(_document()).replace('"gender": "K",', '"gender": "K", "gender": "M",', 1).encode(),
    "two objects": json.dumps(_document()).encode() + b" " + json.dumps(_document()).encode(),
    "text after the object": json.dumps(_document()).encode() + b" x",
    "truncated": json.dumps(_document()).encode()[:500],
    "a trailing comma": json.dumps(_document()).replace("]}]}", "]},]}", 1).encode(),
    "not UTF-8": json.dumps(_changed(_set(("values", 0, "kpi"), "Uå")), ensure_ascii=False).encode().replace("å".encode(), b"\xe5"),
    "only spaces": b"   \n",
}


def _read(path: Path, fast: bool):
    try:
        return kolada_files._read_kolada_json(path, _fast=fast)
    except DataFileError as error:
        return str(error)


def _same(fast, reference) -> None:
    assert type(fast) is type(reference)
    if isinstance(reference, str):
        assert fast == reference
        return
    assert fast.notes == reference.notes and fast.is_metadata == reference.is_metadata and fast.kind == reference.kind
    pd.testing.assert_frame_equal(fast.frame, reference.frame, check_exact=True)
    if reference.removed is not None:
        pd.testing.assert_frame_equal(fast.removed, reference.removed, check_exact=True)
    if reference.is_metadata:
        return
    checked, expected = validate(fast), validate(reference)
    for name in ("data", "quarantine", "failures", "normalisations"):
        pd.testing.assert_frame_equal(getattr(checked, name), getattr(expected, name), check_exact=True)
    assert (checked.rows_read, checked.notes, checked.summary) == (expected.rows_read, expected.notes, expected.summary)


@pytest.mark.parametrize("name", list(PLAIN))
def test_a_plain_kolada_file_takes_the_fast_path_and_gives_the_same_rows_and_failures(tmp_path, name):
    path = tmp_path / "data_U21504.json"
    path.write_bytes(PLAIN[name])
    assert kolada_files._arrow_columns(PLAIN[name]) is not None
    fast, reference = _read(path, True), _read(path, False)
    assert not isinstance(reference, str) and len(reference.frame)
    _same(fast, reference)


@pytest.mark.parametrize("name", list(OTHER))
def test_any_other_file_is_read_as_before_with_the_same_result_or_message(tmp_path, name):
    path = tmp_path / "data_U21504.json"
    path.write_bytes(OTHER[name])
    _same(_read(path, True), _read(path, False))


def test_the_fast_path_finds_the_faults_the_checks_are_for(tmp_path):
    """The comparison above means something: the plain file has failures and warnings of several rules."""
    path = tmp_path / "data_U21504.json"
    path.write_bytes(PLAIN["Kolada's own form"])
    result = validate(kolada_files.read_kolada_json(path))
    rules = set(result.failures["rule"])
    assert {"raderad_i_kolada", "andel_utanför_0_100", "okänd_kod", "inledande_nolla", "kön_ofullständigt"} <= rules
    assert "dubblettrad" in rules or "dubblett" in rules


def test_the_bundled_kolada_files_read_the_same_both_ways():
    folder = Path(__file__).resolve().parents[1] / "data" / "raw" / "kolada"
    paths = sorted(folder.glob("data_*.json"))
    assert paths
    for path in paths:
        assert kolada_files._arrow_columns(path.read_bytes()) is not None, path.name
        _same(_read(path, True), _read(path, False))


def test_csv_cells_are_made_safe_the_same_way_when_worked_out_once_per_distinct_text():
    """``excel_csv`` neutralises each distinct text once; the file must be what cell-by-cell gives."""
    from jamlib.files import excel_csv, safe_cell

    cells = ["=SUM(A1)", "-1,5", "-x", "+46 70", "@a", "\tb", "rad 1\r\nrad 2", "a\n=b", "vanlig", None, "vanlig",
             "=SUM(A1)", "\u22121,5", ""]
    frame = pd.DataFrame({"text": pd.Series(cells * 3, dtype=object), "str": pd.Series(cells * 3, dtype="str"),
                          "lists": pd.Series([[1, 2]] * len(cells) * 3, dtype=object),
                          "number": range(len(cells) * 3)})
    reference = frame.copy()
    for column in ("text", "str", "lists"):
        reference[column] = reference[column].astype(object).map(safe_cell)
    expected = reference.to_csv(sep=";", index=False, decimal=",", lineterminator="\r\n").encode("utf-8-sig")
    assert excel_csv(frame) == expected
    assert b"'=SUM(A1)" in expected and b";-1,5;" in expected  # the reference itself neutralises, and keeps numbers


def test_the_manifest_counts_failures_per_rule_as_value_counts_does():
    """Counts per rule in the manifest: most frequent first, ties in the order found (pandas' value_counts)."""
    import random

    from jamlib.ingest.store import _counts_by_severity

    rnd = random.Random(9)
    for _ in range(200):
        n = rnd.randint(0, 60)
        failures = pd.DataFrame({"severity": [rnd.choice(["fel", "varning", "info"]) for _ in range(n)],
                                 "rule": [rnd.choice("abcdefghijklmnopq") for _ in range(n)]})
        counts = _counts_by_severity(failures)
        for severity in ("fel", "varning", "info"):
            subset = failures[failures["severity"] == severity]
            expected = {str(k): int(v) for k, v in subset["rule"].value_counts().items()}
            assert list(counts.get(severity, {}).items()) == list(expected.items())
