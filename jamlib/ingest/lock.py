"""One ``jam ingest`` at a time per output folder.

Two ingests writing the same ``data/processed/`` at once would leave tables from one
run beside manifests from the other. :func:`folder_lock` takes an operating-system
lock on ``.jam-ingest.lock`` in the folder (``fcntl.flock`` on Linux and macOS,
``msvcrt.locking`` on Windows). The system releases it when the process ends, also
when it is killed, so a crashed run never blocks the next one.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Iterator

from jamlib.errors import OutputFileError

__all__ = ["folder_lock", "LOCK_NAME"]

LOCK_NAME = ".jam-ingest.lock"


def _try_lock(fd: int) -> bool:
    try:
        if os.name == "nt":  # pragma: no cover - exercised on Windows only
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


@contextlib.contextmanager
def folder_lock(folder: str | Path) -> Iterator[Path]:
    """Hold the ingest lock of ``folder`` for the duration of the block.

    Raises
    ------
    OutputFileError
        When another ingest holds the lock (naming its process id when known), or the
        folder cannot be written.
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise OutputFileError(f"Mappen {folder} går inte att skriva i ({error.strerror}). Välj en annan mapp "
                              "eller be om skrivrätt.", str(folder)) from error
    try:
        if not _try_lock(fd):
            other = os.pread(fd, 32, 0).decode("ascii", "replace").strip() if hasattr(os, "pread") else ""
            who = f" (process {other})" if other.isdigit() else ""
            raise OutputFileError(f"En annan jam ingest skriver redan till {folder}{who}. Vänta tills den är klar "
                                  "och kör sedan igen.", str(folder))
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode("ascii"))
        yield folder / LOCK_NAME
    finally:
        os.close(fd)  # closing releases the lock
