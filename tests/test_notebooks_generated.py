"""The notebooks in notebooks/ are exactly what scripts/make_notebooks.py writes (edit the script, then run it)."""

from __future__ import annotations

import importlib.util

from tests.conftest import ROOT


def test_notebooks_match_their_generator(tmp_path):
    spec = importlib.util.spec_from_file_location("make_notebooks", ROOT / "scripts" / "make_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(tmp_path)
    written = sorted(p.name for p in tmp_path.glob("*.ipynb"))
    assert written == sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    for name in written:
        assert (tmp_path / name).read_text(encoding="utf-8") == (ROOT / "notebooks" / name).read_text(encoding="utf-8"), (
            f"{name} skiljer sig från scripts/make_notebooks.py: kör python scripts/make_notebooks.py")
