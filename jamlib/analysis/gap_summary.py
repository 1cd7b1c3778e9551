"""One organisation's gaps summarised: persistence, trend, reference comparison and the sentences.

:func:`summarise_gaps` is the step between :func:`jamlib.analysis.gaps.indicator_gaps`
and what a reader sees. The indicator report (:func:`jamlib.indicator_report`),
``jam gaps`` and the corpus test of every municipality
(``tests/test_truth_corpus.py``) all go through it, so the invariants checked on
the corpus hold for every report.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from jamlib.analysis.gaps import compare_with_reference, gap_persistence, gap_trend
from jamlib.analysis.narrative import indicator_sentences, report_notes

__all__ = ["GapSummary", "summarise_gaps"]


@dataclass(frozen=True)
class GapSummary:
    """What :func:`summarise_gaps` returns.

    Attributes
    ----------
    persistence, trend, comparison
        :func:`~jamlib.analysis.gaps.gap_persistence`, :func:`~jamlib.analysis.gaps.gap_trend`
        (p-values adjusted across the organisation's indicators) and
        :func:`~jamlib.analysis.gaps.compare_with_reference` (empty without a reference).
    sentences
        ``indicator_id`` and ``text``; the general notes (descriptive caveat,
        materiality, multiple testing) follow with ``indicator_id == ""``.
    """

    persistence: pd.DataFrame
    trend: pd.DataFrame
    comparison: pd.DataFrame
    sentences: pd.DataFrame


def summarise_gaps(own: pd.DataFrame, org_code: str, org_name: str, reference_gaps: pd.DataFrame | None = None,
                   reference_codes: tuple[str, ...] = (), reference_label: str | None = None,
                   trend: pd.DataFrame | None = None) -> GapSummary:
    """Persistence, trend, reference comparison and Swedish sentences for one organisation.

    Parameters
    ----------
    own
        :func:`~jamlib.analysis.gaps.indicator_gaps` of the organisation (its chosen indicators and years).
    org_code, org_name
        The organisation.
    reference_gaps
        ``indicator_gaps`` of the reference's members, or ``None`` for no reference.
    reference_codes, reference_label
        The reference's member codes and name.
    trend
        A trend already computed for ``own`` (it does not depend on the reference), to reuse.

    Returns
    -------
    GapSummary
    """
    with_reference = reference_gaps is not None
    if with_reference:
        comparison = compare_with_reference(pd.concat([own, reference_gaps], ignore_index=True), org_code,
                                            reference_codes, reference_label or "jämförelsegruppen")
    else:
        comparison = compare_with_reference(own, org_code, (), "")
    persistence = gap_persistence(own)
    trend = gap_trend(own) if trend is None else trend
    sentences = indicator_sentences(persistence, trend, comparison if with_reference else None, org_name=org_name)
    notes = report_notes(own, trend)
    if notes:
        sentences = pd.concat([sentences, pd.DataFrame({"indicator_id": [""] * len(notes), "text": notes})],
                              ignore_index=True)
    return GapSummary(persistence, trend, comparison, sentences)
