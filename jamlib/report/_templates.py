"""The Jinja2 templates of every piece of HTML jamlib writes, with autoescape on.

Text from data (organisation names, titles, free text, messages) is escaped by
the template engine, never by hand. Only markup jamlib itself produced and made
safe (the nbconvert body of a report, the Vega bundle, a chart's JSON with
``<`` and ``&`` written as ``\\u003c``/``\\u0026``) is passed in as
:class:`markupsafe.Markup`.
"""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

__all__ = ["render", "Markup"]


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=PackageLoader("jamlib.report", "templates"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)


def render(name: str, **values: object) -> str:
    """Render ``templates/<name>.html.j2`` with ``values`` (escaped unless :class:`Markup`)."""
    return _environment().get_template(f"{name}.html.j2").render(**values).strip()
