"""jamlib: gender-mainstreaming analytics for Swedish municipalities and regions.

Load and validate checklist self-assessments (SKR's Modellkonceptet), published
group means, gender-disaggregated indicators (Kolada and local systems) and
results-chain entries; store them; check published tables; analyse checklist
rounds, mentors versus participants and gender gaps with small-sample-honest
statistics; suppress small counts; write Swedish sentences for steering groups.
"""

from jamlib.checklist import (
    checklist_table,
    compare_rounds,
    format_checklist_table,
    format_rounds_table,
    organisation_means,
    organisation_trajectories,
    rank_improvements,
)
from jamlib.disclosure import DEFAULT_THRESHOLD, shown_only, suppress_small_counts
from jamlib.errors import DataFileError, JamlibError, ParameterError, ValidationError
from jamlib.gaps import (
    compare_with_reference,
    format_gap_table,
    gap_and_floor,
    gap_persistence,
    gap_trend,
    indicator_gaps,
)
from jamlib.indicator_report import (
    KARLSTAD_INDICATORS,
    IndicatorReport,
    indicator_report,
    load_indicator_folder,
    reference_series,
)
from jamlib.parameters import (
    check_code_list,
    check_municipality_code,
    check_parameter_names,
    check_roles,
    check_years,
    notebook_parameters,
)
from jamlib.results_chain import ResultsChainOverview, results_chain_overview
from jamlib.municipalities import CodeCheck, municipalities, municipality_name, normalise_code
from jamlib.narrative import indicator_sentences, persistence_sentence, role_sentences
from jamlib.proportions import ExactTest, exact_test, newcombe_interval, proportion_gaps, wilson_interval
from jamlib.published import check_published_table, read_published, suggest_corrections
from jamlib.readers import RawTable, read_raw
from jamlib.reference import Reference, municipality_groups, resolve_reference
from jamlib.representation import classify_act, classify_acts, representation_shares
from jamlib.role_comparison import compare_roles, format_role_table
from jamlib.rounding import format_decimal, printed_interval, round_half_up
from jamlib.schemas import (
    CHECKLIST,
    GOALS,
    INDICATORS,
    LEVELS,
    MOMENTS,
    OCCASIONS,
    PUBLISHED,
    RESULTS_CHAIN,
    ROLES,
    SCHEMAS,
    SEXES,
    Column,
    TableSchema,
)
from jamlib.small_samples import GroupTest, cliffs_delta, compare_independent, compare_paired
from jamlib.store import atomic_write, ingest, load_processed, safe_cell, write_csv, write_parquet
from jamlib.validation import FAILURE_COLUMNS, ValidationResult, load, validate

__version__ = "0.1.0"

__all__ = [
    "JamlibError",
    "DataFileError",
    "ValidationError",
    "ParameterError",
    "CodeCheck",
    "municipalities",
    "municipality_name",
    "normalise_code",
    "RawTable",
    "read_raw",
    "load",
    "validate",
    "ValidationResult",
    "FAILURE_COLUMNS",
    "ingest",
    "load_processed",
    "atomic_write",
    "write_csv",
    "write_parquet",
    "safe_cell",
    "checklist_table",
    "format_checklist_table",
    "organisation_means",
    "rank_improvements",
    "organisation_trajectories",
    "compare_rounds",
    "format_rounds_table",
    "compare_roles",
    "format_role_table",
    "format_gap_table",
    "reference_series",
    "check_municipality_code",
    "check_code_list",
    "check_years",
    "check_roles",
    "notebook_parameters",
    "check_parameter_names",
    "ResultsChainOverview",
    "results_chain_overview",
    "GroupTest",
    "compare_independent",
    "compare_paired",
    "cliffs_delta",
    "indicator_gaps",
    "gap_persistence",
    "gap_trend",
    "compare_with_reference",
    "gap_and_floor",
    "KARLSTAD_INDICATORS",
    "IndicatorReport",
    "indicator_report",
    "load_indicator_folder",
    "Reference",
    "municipality_groups",
    "resolve_reference",
    "wilson_interval",
    "newcombe_interval",
    "exact_test",
    "ExactTest",
    "proportion_gaps",
    "classify_act",
    "classify_acts",
    "representation_shares",
    "DEFAULT_THRESHOLD",
    "suppress_small_counts",
    "shown_only",
    "persistence_sentence",
    "role_sentences",
    "indicator_sentences",
    "read_published",
    "check_published_table",
    "suggest_corrections",
    "round_half_up",
    "format_decimal",
    "printed_interval",
    "Column",
    "TableSchema",
    "CHECKLIST",
    "PUBLISHED",
    "INDICATORS",
    "RESULTS_CHAIN",
    "SCHEMAS",
    "MOMENTS",
    "OCCASIONS",
    "ROLES",
    "LEVELS",
    "GOALS",
    "SEXES",
]
