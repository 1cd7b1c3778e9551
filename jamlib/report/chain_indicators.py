"""The indicators that measure a results chain's outcomes, shown through the one disclosure-safe view.

An entry of the results chain may name the indicator that measures it
(``indikator``) and the organisation whose values count (``indikatorns
organisation``: a municipality code, or the id or name of an organisation
without one, such as a company; the entry's own organisation when empty). Each is shown with :func:`jamlib.report.view.indicator_view`, built from
an :func:`jamlib.report.indicator_report.indicator_report` whose values passed
disclosure control, exactly as in the indicator report.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from jamlib.analysis.results_chain import ResultsChainOverview
from jamlib.errors import JamlibError
from jamlib.report.view import IndicatorView, indicator_view

__all__ = ["LinkedIndicator", "load_indicator_data", "linked_indicators"]


@dataclass(frozen=True)
class LinkedIndicator:
    """One entry's indicator: the view to show, or why it cannot be shown."""

    entry_title: str
    indicator_id: str
    organisation: str
    view: IndicatorView | None
    message: str


def load_indicator_data(kolada_folder: str | None, own: str | None, needed: list[str] | None = None) -> pd.DataFrame:
    """Kolada files (``data_*.json`` in a folder) and the user's own indicator files (a file or a folder), together.

    Either may be empty or ``None``. With ``needed`` (indicator ids), the Kolada folder is not read
    when the own files already hold every one of them (reading all of Kolada takes a while).
    Raises :class:`~jamlib.errors.JamlibError` with a Swedish message when a named source cannot be read.
    """
    from jamlib.ingest.checked import load_checked
    from jamlib.report.indicator_report import load_indicator_folder

    frames = []
    if own:
        frames.append(load_checked(own, "indicators").data)
    covered = bool(needed) and bool(frames) and set(needed) <= set(frames[0]["indicator_id"])
    if kolada_folder and not covered:
        frames.append(load_indicator_folder(kolada_folder))
    if not frames:
        return pd.DataFrame()
    return pd.concat(frames, ignore_index=True)


def linked_indicators(overview: ResultsChainOverview, indicators: pd.DataFrame) -> list[LinkedIndicator]:
    """The view of every indicator the organisation's entries name, in entry order.

    Parameters
    ----------
    overview
        The organisation's results chain.
    indicators
        Validated indicator rows (:func:`load_indicator_data`).

    Returns
    -------
    list of LinkedIndicator
        ``view`` is ``None`` (and ``message`` says why in Swedish) when the organisation cannot be
        found among the indicators' organisations or has no values for the indicator.
    """
    from jamlib.report.indicator_report import indicator_report

    out = []
    for indicator_id, organisation, title in zip(overview.indicators["indicator_id"],
                                                 overview.indicators["indicator_org"], overview.indicators["title"]):
        try:
            report = indicator_report(indicators, organisation, [indicator_id], reference=None)
            out.append(LinkedIndicator(title, indicator_id, organisation, indicator_view(report, indicator_id), ""))
        except JamlibError as error:
            out.append(LinkedIndicator(title, indicator_id, organisation, None, f"{indicator_id}: {error}"))
    return out
