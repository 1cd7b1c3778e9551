"""Keeping third-party imports cheap: altair's schema checker without a grammar it never uses.

altair validates charts with :mod:`jsonschema`. When the package ``rfc3987-syntax`` is installed
(JupyterLab's dependencies bring it, through ``jupyter-events``), ``jsonschema._format`` imports it
at start-up to check the JSON-schema format ``"iri"``, and that import builds a full RFC 3987
grammar: 1–3 seconds, more than ``import pandas``, in every notebook run, ``jam gaps`` chart and
batch report. No Vega-Lite schema uses the format ``"iri"`` (only ``"uri"``, ``"uri-reference"``
and ``"color-hex"``), so altair's checks are the same without it.

:func:`install` adds an import finder that declines ``rfc3987_syntax`` only to
``jsonschema._format`` while that module is being initialised (jsonschema then leaves the ``"iri"``
check out, as it does when the package is not installed). Any other import of ``rfc3987_syntax``,
before or after, works as usual.
"""

from __future__ import annotations

import importlib.abc
import sys

__all__ = ["install"]

_SKIPPED = "rfc3987_syntax"
_ASKING = "jsonschema._format"


class _SkipIriGrammar(importlib.abc.MetaPathFinder):
    """Declines ``rfc3987_syntax`` to jsonschema's format module while it is being imported."""

    def find_spec(self, name, path=None, target=None):  # noqa: D102 (importlib's protocol)
        if name == _SKIPPED:
            asking = sys.modules.get(_ASKING)
            spec = getattr(asking, "__spec__", None)
            if spec is not None and getattr(spec, "_initializing", False):
                raise ImportError(f"{_SKIPPED} is not needed by jsonschema for altair's charts (see jamlib._imports)",
                                  name=name)
        return None


def install() -> None:
    """Put the finder first on :data:`sys.meta_path` (once per process)."""
    if not any(isinstance(finder, _SkipIriGrammar) for finder in sys.meta_path):
        sys.meta_path.insert(0, _SkipIriGrammar())
