"""A report page can only show itself: no network, no forms, no base URL, and text from data escaped."""

from __future__ import annotations

import html
import re

from jamlib.report.html import _page, external_references


def test_every_page_forbids_network_forms_base_and_framing():
    page = _page("<script>alert(1)</script>", "<p>Innehåll</p>", scripts=False)
    policy = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1))
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'none'" and directives["connect-src"] == "'none'"
    assert directives["form-action"] == "'none'" and directives["base-uri"] == "'none'"
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>" in page  # the title from data is text
    assert external_references(page) == []
