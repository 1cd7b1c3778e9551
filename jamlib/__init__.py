"""jamlib: gender-mainstreaming analytics for Swedish municipalities, regions and their organisations.

Load and validate checklist self-assessments (SKR's Modellkonceptet), published
group means, gender-disaggregated indicators (Kolada and local systems) and
results-chain entries; store them; check published tables; analyse checklist
rounds, mentors versus participants and gender gaps with small-sample-honest
statistics; suppress small counts; write Swedish reports for steering groups.

The package has four layers under a few base modules (see README, "För utvecklare"):

* base modules: :mod:`jamlib.errors`, :mod:`jamlib.schemas`, :mod:`jamlib.organisations`,
  :mod:`jamlib.formatting`, :mod:`jamlib.files`, :mod:`jamlib.kpis`, :mod:`jamlib.vocabulary`;
* :mod:`jamlib.analysis`: pure analyses, data frames in and new data frames out;
* :mod:`jamlib.ingest`: reading, validating and storing files, and the Kolada client;
* :mod:`jamlib.report`: charts, tables, HTML and the per-organisation indicator report;
* :mod:`jamlib.run`: notebook parameters, the papermill engine and batches; :mod:`jamlib.cli` on top.

The names below are the public API. They are imported on first use (PEP 562),
so ``import jamlib`` is cheap and ``jam --help`` does not load scipy or altair.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from jamlib import _imports

__version__ = "0.2.0"

_imports.install()  # altair without an unused 1–3 s grammar (see jamlib._imports)

#: Public name -> module that defines it.
_PUBLIC: dict[str, str] = {
    # errors
    "JamlibError": "jamlib.errors",
    "DataFileError": "jamlib.errors",
    "ValidationError": "jamlib.errors",
    "ParameterError": "jamlib.errors",
    "KoladaError": "jamlib.errors",
    "NoDataError": "jamlib.errors",
    "DisclosureError": "jamlib.errors",
    "OutputFileError": "jamlib.errors",
    # organisations
    "municipalities": "jamlib.organisations",
    "municipality_name": "jamlib.organisations",
    "check_municipality_code": "jamlib.organisations",
    # ingest
    "load": "jamlib.ingest.validation",
    "ingest_folder": "jamlib.ingest.store",
    "load_processed": "jamlib.ingest.store",
    "load_indicator_folder": "jamlib.report.indicator_report",
    "load_checked": "jamlib.ingest.checked",
    "read_published": "jamlib.ingest.published",
    "KoladaClient": "jamlib.ingest.kolada_client",
    # analysis
    "checklist_table": "jamlib.analysis.checklist",
    "format_checklist_table": "jamlib.analysis.checklist",
    "compare_rounds": "jamlib.analysis.checklist",
    "compare_roles": "jamlib.analysis.role_comparison",
    "check_published_table": "jamlib.analysis.published",
    "suggest_corrections": "jamlib.analysis.published",
    "indicator_gaps": "jamlib.analysis.gaps",
    "gap_persistence": "jamlib.analysis.gaps",
    "gap_trend": "jamlib.analysis.gaps",
    "compare_with_reference": "jamlib.analysis.gaps",
    "suppress_small_counts": "jamlib.analysis.disclosure",
    "representation_shares": "jamlib.analysis.representation",
    "representation_summary": "jamlib.analysis.representation",
    "resources_per_person": "jamlib.analysis.representation",
    "results_chain_overview": "jamlib.analysis.results_chain",
    "check_results_chain": "jamlib.analysis.results_chain",
    "organisation_history": "jamlib.analysis.model_history",
    # report
    "indicator_report": "jamlib.report.indicator_report",
    "IndicatorReport": "jamlib.report.indicator_report",
    "indicator_view": "jamlib.report.view",
    # run
    "run_batch": "jamlib.run.batch",
}

__all__ = list(_PUBLIC)


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'jamlib' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])


if TYPE_CHECKING:  # pragma: no cover - for editors and type checkers only
    from jamlib.analysis.checklist import checklist_table, compare_rounds, format_checklist_table
    from jamlib.analysis.disclosure import suppress_small_counts
    from jamlib.analysis.gaps import compare_with_reference, gap_persistence, gap_trend, indicator_gaps
    from jamlib.analysis.published import check_published_table, suggest_corrections
    from jamlib.analysis.model_history import organisation_history
    from jamlib.analysis.representation import representation_shares, representation_summary, resources_per_person
    from jamlib.analysis.results_chain import check_results_chain, results_chain_overview
    from jamlib.analysis.role_comparison import compare_roles
    from jamlib.errors import (DataFileError, DisclosureError, JamlibError, KoladaError, NoDataError,
                               OutputFileError, ParameterError, ValidationError)
    from jamlib.ingest.checked import load_checked
    from jamlib.ingest.kolada_client import KoladaClient
    from jamlib.ingest.published import read_published
    from jamlib.ingest.store import ingest_folder, load_processed
    from jamlib.ingest.validation import load
    from jamlib.organisations import check_municipality_code, municipalities, municipality_name
    from jamlib.report.indicator_report import IndicatorReport, indicator_report, load_indicator_folder
    from jamlib.report.view import indicator_view
    from jamlib.run.batch import run_batch
