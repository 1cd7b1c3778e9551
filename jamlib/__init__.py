"""jamlib: gender-mainstreaming analytics for Swedish municipalities and regions.

Load and validate checklist self-assessments (SKR's Modellkonceptet), published
group means, gender-disaggregated indicators (Kolada and local systems) and
results-chain entries; store them; check published tables.
"""

from jamlib.checklist import checklist_table, format_checklist_table, organisation_means, rank_improvements
from jamlib.errors import DataFileError, JamlibError, ParameterError, ValidationError
from jamlib.gaps import gap_persistence, indicator_gaps
from jamlib.municipalities import CodeCheck, municipalities, municipality_name, normalise_code
from jamlib.published import check_published_table, read_published, suggest_corrections
from jamlib.readers import RawTable, read_raw
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
    "indicator_gaps",
    "gap_persistence",
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
