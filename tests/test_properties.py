"""Property-based checks of invariants users rely on."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from jamlib.formatting import round_half_up
from jamlib.ingest.validation import validate
from jamlib.analysis.gaps import indicator_gaps


@given(st.integers(min_value=-100_000, max_value=100_000))
def test_rounding_matches_the_published_convention(hundredths):
    # Reference by integer arithmetic: round half away from zero from hundredths to tenths.
    sign = -1 if hundredths < 0 else 1
    expected = sign * ((abs(hundredths) + 5) // 10) / 10
    assert round_half_up(hundredths / 100, 1) == expected


@given(st.lists(st.tuples(st.integers(2000, 2030), st.floats(0, 1000, allow_nan=False), st.floats(0, 1000, allow_nan=False)),
                min_size=1, max_size=8, unique_by=lambda t: t[0]),
       st.sampled_from(["högre är bättre", "lägre är bättre"]))
@settings(max_examples=50, deadline=None)
def test_swapping_k_and_m_flips_sign_and_disadvantaged_sex(series, polarity):
    rows = []
    for year, women, men in series:
        rows += [{"org_code": "0180", "org_name": "Stockholm", "indicator_id": "X", "indicator_title": "x",
                  "period": str(year), "sex": sex, "value": value, "polarity": polarity}
                 for sex, value in (("K", women), ("M", men))]
    data = pd.DataFrame(rows)
    swapped = data.assign(sex=data["sex"].map({"K": "M", "M": "K"}))
    a, b = indicator_gaps(data), indicator_gaps(swapped)
    assert (a["gap"] == -b["gap"]).all()
    flip = {"K": "M", "M": "K", "ingen": "ingen"}
    assert list(a["disadvantaged"]) == [flip[x] for x in b["disadvantaged"]]


@given(st.lists(st.tuples(st.sampled_from(["Karlstad", "Kramfors"]), st.sampled_from(["Uppstart", "Träff 1", "Träff 9"]),
                          st.integers(-1, 12), st.sampled_from(["1", "2", "3", "4", "2,5", "5", "x", ""])),
                min_size=1, max_size=30))
@settings(max_examples=50, deadline=None)
def test_no_row_is_ever_lost(cells):
    frame = pd.DataFrame([{"Omgång": "2020–2022", "Organisation": org, "Roll": "deltagare", "Tillfälle": occ,
                           "Moment": moment, "Poäng": score} for org, occ, moment, score in cells])
    result = validate(frame)
    assert result.rows_read == len(frame) == result.rows_kept + result.rows_quarantined
    failing_rows = set(result.failures.loc[result.failures["severity"] != "varning", "row"].dropna())
    assert set(result.quarantine["rad"]) == failing_rows
