"""A spawned batch worker: warm up, run exactly one report, exit (``python -m jamlib.run.worker``).

Started by :mod:`jamlib.run.spawn`; see there for the protocol. Running one
report per process is what keeps reports isolated from each other.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

__all__ = ["main"]


def _read_message() -> dict | None:
    line = sys.stdin.buffer.readline()
    if not line.strip():
        return None
    return json.loads(line.decode("utf-8"))


def main() -> int:
    """Warm up, announce readiness, run the one report handed over (if any) and return its exit code."""
    from jamlib.run.batch import Job, _prewarm, run_report
    from jamlib.run.spawn import READY, use_shared_vega_bundle
    from jamlib.vocabulary import BatchStatus

    warm = (_read_message() or {}).get("warm", {})
    if warm.get("vega"):
        use_shared_vega_bundle(warm["vega"])
    for spec in warm.get("notebooks", []):
        _prewarm(Path(spec["notebook"]), spec.get("parameters", {}))
    sys.stdout.write(READY + "\n")
    sys.stdout.flush()
    request = _read_message()
    if request is None:  # no report left for this worker
        return 0
    job = request["job"]
    status = run_report(Job(Path(job["notebook"]), job["parameters"], job["code"], job["name"], job["stem"]),
                        Path(request["out_dir"]))
    return 0 if status["status"] == BatchStatus.DONE else 1


if __name__ == "__main__":  # pragma: no cover - runs in the worker process
    code = main()
    sys.stdout.flush()
    os._exit(code)  # like a forked child: no exit handlers of libraries the report loaded
