"""What a notebook run imports: no scipy.stats for an indicator report, no unused grammar under altair.

Each check runs in a fresh interpreter (imports are per process). No timing here: bench/bench_ingest.py
measures the seconds; these tests keep the imports that made the difference from coming back.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from jamlib.analysis.trend_tests import adjust_p_values

ROOT = Path(__file__).resolve().parents[1]


def _python(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_an_indicator_report_is_made_without_importing_scipy_stats():
    out = _python(
        "import sys\n"
        "import jamlib\n"
        "from jamlib.report.indicator_report import load_indicator_folder, indicator_report\n"
        "data = load_indicator_folder('data/raw/kolada')\n"
        "report = jamlib.indicator_report(data, '1780', ['U23401', 'N20402', 'U21455', 'U21504', 'U01421'])\n"
        "print(len(report.sentences), report.trend['p_adjusted'].notna().sum() if 'p_adjusted' in report.trend else -1)\n"
        "print('scipy.stats' in sys.modules)\n")
    counts, stats_imported = out.split("\n")[:2]
    sentences, adjusted = (int(x) for x in counts.split())
    assert sentences > 0 and adjusted > 0  # a real report, with trend tests adjusted for multiple testing
    assert stats_imported == "False"


def test_benjamini_hochberg_is_exactly_scipys():
    rng = np.random.default_rng(5)
    cases = [rng.uniform(size=n) for n in (2, 3, 5, 10, 40)]
    cases += [np.array([0.01, 0.01, 0.2, 0.2, 0.9]), np.array([0.0, 1.0, 1.0]), np.array([0.04, 0.03]),
              rng.choice([0.001, 0.02, 0.5, 1.0], size=30)]
    for p in cases:
        assert np.array_equal(adjust_p_values(p), stats.false_discovery_control(p, method="bh"))
    assert adjust_p_values(np.array([0.3])).tolist() == [0.3]  # one test: nothing to adjust, as scipy
    with_missing = adjust_p_values(np.array([0.02, np.nan, 0.04]))
    assert np.isnan(with_missing[1])
    assert np.array_equal(with_missing[[0, 2]], stats.false_discovery_control([0.02, 0.04]))


def _has_rfc3987_syntax() -> bool:
    try:
        import rfc3987_syntax  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.skipif(not _has_rfc3987_syntax(), reason="rfc3987-syntax är inte installerat, så det finns inget att hoppa över")
def test_altair_after_jamlib_skips_the_iri_grammar_and_still_checks_charts():
    out = _python(
        "import sys, json\n"
        "import jamlib, altair as alt, jsonschema\n"
        "skipped = 'rfc3987_syntax' not in sys.modules\n"
        "try:\n"
        "    alt.Chart(alt.Data(values=[{'a': 1}])).mark_bar().encode(x=alt.X('a:Q', bin='many')).to_dict()\n"
        "    refused = False\n"
        "except Exception as error:\n"
        "    refused = 'bin' in str(error)\n"
        "import rfc3987_syntax\n"  # anyone else who asks for it still gets it
        "print(json.dumps([skipped, refused, rfc3987_syntax.is_valid_syntax('iri', 'https://example.org/å')]))\n")
    assert json.loads(out) == [True, True, True]
    # Without jamlib first, jsonschema imports the grammar: the finder is what makes the difference.
    assert _python("import sys, altair; print('rfc3987_syntax' in sys.modules)").strip() == "True"


def test_no_vega_lite_schema_uses_the_iri_format():
    """Why skipping the grammar changes none of altair's checks: the format it checks is never used."""
    import altair

    schemas = list((Path(altair.__file__).parent / "vegalite").rglob("*.json"))
    assert schemas
    for path in schemas:
        text = path.read_text(encoding="utf-8")
        assert '"iri"' not in text and '"iri-reference"' not in text, path.name
