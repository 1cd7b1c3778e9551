"""Faults never lose or half-write data: kill -9 at random points, two ingests at once, a disk that refuses.

Issue 16, item 4. Every trial kills a real ``jam ingest`` process (SIGKILL, no clean-up possible) at a random
moment while it turns the old outputs into new ones, then checks that every output file is byte for byte either
the old complete file or the new complete file, and that one more run gives exactly the new outputs.
"""

from __future__ import annotations

import contextlib
import errno
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from jamlib.errors import OutputFileError
from tests.conftest import RAW

TRIALS = 20
pytestmark = pytest.mark.skipif(os.name == "nt", reason="kill -9 and fcntl locks are tested on POSIX")


def _jam(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "jamlib.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "jamlib.cli", *args], capture_output=True, text=True, timeout=300)


def _small_raw(target: Path) -> Path:
    """The bundled raw data without the large Kolada snapshot (a few seconds to ingest)."""
    for folder in ("checklist", "published", "indicators", "organisations", "results_chain"):
        shutil.copytree(RAW / folder, target / folder)
    return target


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.endswith(".tmp") and p.name != ".jam-ingest.lock"}


def _change(raw: Path) -> None:
    """A new version of the inputs: one more checklist rater, a corrected indicator value, a file removed."""
    checklist = next((raw / "checklist").glob("*.csv"))
    text = checklist.read_text(encoding="utf-8")
    checklist.write_text(text + text.splitlines()[1].replace(";1;", ";9;", 1) + "\n", encoding="utf-8")
    kfast = raw / "indicators" / "kfast_serviceindex_2018.csv"
    kfast.write_text(kfast.read_text(encoding="utf-8").replace(";74;", ";75;"), encoding="utf-8")
    (raw / "published" / "skr_2020_2022_tabell_2_mentorer.csv").unlink()


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    base = tmp_path_factory.mktemp("faults")
    old_raw = _small_raw(base / "raw_old")
    new_raw = _small_raw(base / "raw_new")
    _change(new_raw)
    old_out, new_out = base / "old", base / "new"
    assert _run("ingest", "--raw", str(old_raw), "--processed", str(old_out)).returncode in (0, 1)
    started = time.perf_counter()
    assert _run("ingest", "--raw", str(new_raw), "--processed", str(new_out)).returncode in (0, 1)
    duration = time.perf_counter() - started
    old, new = _files(old_out), _files(new_out)
    assert old != new and "checklist.parquet" in new
    return base, new_raw, old_out, old, new, duration


def test_kill_9_at_random_points_leaves_old_or_new_files_and_a_rerun_finishes_the_job(versions):
    base, new_raw, old_out, old, new, duration = versions
    rng = random.Random(20261123)
    killed_while_running = 0
    for trial in range(TRIALS):
        out = base / f"trial{trial}"
        shutil.copytree(old_out, out)
        # its own process group, so that the kill takes the ingest and any worker processes it started at once
        process = _jam("ingest", "--raw", str(new_raw), "--processed", str(out), start_new_session=True)
        time.sleep(rng.uniform(0.05, duration * 1.1))
        if process.poll() is None:
            killed_while_running += 1
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate(timeout=60)
        for name, content in _files(out).items():
            assert content in (old.get(name), new.get(name)), f"trial {trial}: {name} is neither old nor new"
        rerun = _run("ingest", "--raw", str(new_raw), "--processed", str(out))
        assert rerun.returncode in (0, 1), rerun.stderr
        assert _files(out) == new, f"trial {trial}: a re-run does not give the new outputs"
        assert not list(out.rglob("*.tmp")), f"trial {trial}: temporary files left after a re-run"
        shutil.rmtree(out)
    assert killed_while_running >= TRIALS // 2  # most kills hit a running ingest, not a finished one


def test_two_ingests_at_once_the_second_is_refused_and_the_first_is_untouched(versions, tmp_path):
    from jamlib.ingest.lock import folder_lock

    base, new_raw, old_out, old, new, duration = versions
    out = tmp_path / "processed"
    shutil.copytree(old_out, out)
    with folder_lock(out):  # an ingest in progress
        refused = _run("ingest", "--raw", str(new_raw), "--processed", str(out))
    assert refused.returncode == 2 and "En annan jam ingest" in refused.stderr and "Traceback" not in refused.stderr
    assert _files(out) == old
    assert _run("ingest", "--raw", str(new_raw), "--processed", str(out)).returncode in (0, 1)  # lock released
    assert _files(out) == new


@pytest.mark.parametrize("code, words", [(errno.ENOSPC, "disken är full"), (errno.EROFS, "skrivskydd"),
                                         (errno.EACCES, "stäng filen i excel|går inte att skriva i")])
def test_a_full_or_read_only_disk_gives_a_swedish_message_and_keeps_earlier_outputs(versions, tmp_path, monkeypatch,
                                                                                     capsys, code, words):
    from jamlib.cli import main

    base, new_raw, old_out, old, new, duration = versions
    out = tmp_path / "processed"
    shutil.copytree(old_out, out)
    real_replace = os.replace

    def refusing_replace(source, target):
        if str(target).startswith(str(out)):
            raise OSError(code, os.strerror(code), str(target))
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", refusing_replace)
    assert main(["ingest", "--raw", str(new_raw), "--processed", str(out), "--workers", "1"]) == 2
    err = capsys.readouterr().err
    assert re.search(words, err.lower()) and "Traceback" not in err
    assert _files(out) == old
    assert not list(out.rglob("*.tmp"))
    with pytest.raises(OutputFileError):
        from jamlib.files import write_csv

        write_csv(pd.DataFrame({"a": [1]}), out / "x.csv")


def test_an_ingest_stopped_after_the_pieces_but_before_the_tables_is_finished_by_the_next_run(versions, tmp_path,
                                                                                               monkeypatch):
    """The window the random kills found: every source's piece and manifest new, the combined tables still old."""
    import jamlib.ingest.store as store

    base, new_raw, old_out, old, new, duration = versions
    out = tmp_path / "processed"
    shutil.copytree(old_out, out)

    def stopped(*args, **kwargs):
        raise KeyboardInterrupt  # the process dies here

    with monkeypatch.context() as patch:
        patch.setattr(store, "_write_table", stopped)
        with pytest.raises(KeyboardInterrupt):
            store.ingest_folder(new_raw, out, workers=1)
    assert _files(out)["checklist.parquet"] == old["checklist.parquet"]  # the table is still the old one
    store.ingest_folder(new_raw, out, workers=1)  # every piece is reused, yet the tables must be rebuilt
    assert _files(out) == new
