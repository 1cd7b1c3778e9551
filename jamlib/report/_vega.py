"""vl-convert, used safely: static SVG of a chart and the offline Vega libraries.

vl-convert runs Vega in an embedded JavaScript runtime with its own threads.
A process that has started that runtime cannot hand it to a child made with
``os.fork`` (threads do not survive a fork): the child's first call would wait
for ever. This module remembers which process started the runtime:

- :func:`svg` returns ``None`` in such a forked child, so a chart is shown with
  its interactive form only. ``jam batch`` switches static images off in its
  report processes anyway (:func:`set_static_images`): its HTML reports draw
  every chart with the Vega bundle in the page, and drawing five SVGs would
  cost each report about a second.
- :func:`javascript_bundle` builds the bundle in a fresh interpreter instead.

Rendering never reads anything from the network or the disk
(``allowed_base_urls=[]``): a chart can only show the data it carries.
"""

from __future__ import annotations

import os
import subprocess
import sys
from functools import lru_cache

from jamlib.errors import JamlibError

__all__ = ["vegalite_version", "runtime_usable", "set_static_images", "svg", "javascript_bundle"]

_started_in: int | None = None  # the process id that started vl-convert's runtime
_static_images = True  # whether charts get a static SVG in this process


@lru_cache(maxsize=1)
def vegalite_version() -> str:
    """The Vega-Lite version Altair writes (``"5.20"``), as vl-convert names it.

    Raises
    ------
    JamlibError
        When the installed vl-convert cannot render that version (an Altair outside
        the range ``pyproject.toml`` pins).
    """
    import altair as alt
    import vl_convert

    major_minor = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    if major_minor not in vl_convert.get_vegalite_versions():
        raise JamlibError(f"vl-convert {vl_convert.__version__} kan inte rita Vega-Lite {major_minor} "
                          f"(Altair {alt.__version__}). Installera om jamlib så att versionerna i pyproject.toml gäller.")
    return major_minor


def runtime_usable() -> bool:
    """Whether vl-convert can run in this process (not a fork of a process that started it)."""
    return _started_in is None or _started_in == os.getpid()


def set_static_images(enabled: bool) -> bool:
    """Whether :func:`svg` draws charts in this process from now on; returns the previous setting."""
    global _static_images
    previous, _static_images = _static_images, bool(enabled)
    return previous


def _start() -> None:
    global _started_in
    if _started_in is None:
        _started_in = os.getpid()


def svg(spec: dict) -> str | None:
    """The chart as a static SVG document, or ``None`` where vl-convert cannot run (see the module text)
    or static images are switched off (:func:`set_static_images`).

    Parameters
    ----------
    spec
        A Vega-Lite specification with its data inline (``chart.to_dict()``).
    """
    if not (_static_images and runtime_usable()):
        return None
    import vl_convert

    version = vegalite_version()
    _start()
    return vl_convert.vegalite_to_svg(spec, vl_version=version, allowed_base_urls=[])


_BUNDLE_SCRIPT = "import sys, vl_convert; sys.stdout.buffer.write(vl_convert.javascript_bundle(vl_version=sys.argv[1]).encode('utf-8'))"


def javascript_bundle() -> str:
    """Vega, Vega-Lite (the version Altair writes) and vega-embed as one script, for pages without network."""
    version = vegalite_version()
    if runtime_usable():
        import vl_convert

        _start()
        return vl_convert.javascript_bundle(vl_version=version)
    done = subprocess.run([sys.executable, "-c", _BUNDLE_SCRIPT, version], capture_output=True, timeout=300)
    if done.returncode != 0:
        raise JamlibError("Vega-biblioteken kunde inte byggas: " + done.stderr.decode("utf-8", "replace")[-300:])
    return done.stdout.decode("utf-8")
