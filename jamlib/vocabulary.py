"""Program keys and the Swedish words users read, in one place.

Every key that code compares against is a member of a :class:`~enum.StrEnum`
here, never a bare string literal scattered through the modules. A member's
value is the word stored in jamlib's tables (so ``Severity.ERROR == "fel"`` and
existing files and tables keep their meaning); :func:`label` gives the words a
reader sees where they differ from the stored value.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Severity", "Polarity", "Sex", "Disadvantaged", "BatchStatus", "Comparison", "ReferenceKind",
           "Suppression", "CodeProblem", "OrganisationType", "ChainStatus", "Attainment", "UnitClass", "OccasionScheme",
           "label", "SEX_WORDS", "SEX_LABELS"]


class Severity(StrEnum):
    """How serious a validation finding is. Only ``ERROR`` quarantines a row or fails ``jam validate``."""

    ERROR = "fel"
    WARNING = "varning"
    INFO = "info"


class Polarity(StrEnum):
    """Whether a higher or a lower value of an indicator is better for the people concerned."""

    HIGHER_IS_BETTER = "högre är bättre"
    LOWER_IS_BETTER = "lägre är bättre"
    NEUTRAL = "neutral"
    UNKNOWN = "okänd"


class Sex(StrEnum):
    """Kolada's sex codes."""

    WOMEN = "K"
    MEN = "M"
    TOTAL = "T"


class Disadvantaged(StrEnum):
    """Which sex an indicator's value puts at a disadvantage in one period."""

    WOMEN = "K"
    MEN = "M"
    NEITHER = "ingen"


class BatchStatus(StrEnum):
    """Outcome of one report in a batch."""

    DONE = "klar"
    FAILED = "fel"
    TIMED_OUT = "tidsgräns"
    NOT_RUN = "ej körd"


class Comparison(StrEnum):
    """Kinds of comparison between mentors and participants."""

    LEVEL = "nivå"
    CHANGE = "förändring"


class ReferenceKind(StrEnum):
    """Kinds of reference a municipality is compared with."""

    COUNTRY = "riket"
    GROUP = "grupp"
    LIST = "lista"


class Suppression(StrEnum):
    """Why a value is hidden by disclosure control."""

    PRIMARY = "primär"
    SECONDARY = "sekundär"


class OrganisationType(StrEnum):
    """Kinds of organisation a report can be about."""

    COUNTRY = "riket"
    MUNICIPALITY = "kommun"
    REGION = "region"
    COMMITTEE = "nämnd"
    ADMINISTRATION = "förvaltning"
    COMPANY = "bolag"
    UNIT = "enhet"
    SCHOOL = "skola"
    OTHER = "annan"


class CodeProblem(StrEnum):
    """What is wrong with an organisation code as given."""

    LEADING_ZERO = "leading_zero"
    UNKNOWN = "unknown"
    MALFORMED = "malformed"


class ChainStatus(StrEnum):
    """Whether a results-chain entry is planned or has been achieved (the chain as plan and as follow-up)."""

    PLANNED = "planerad"
    ACHIEVED = "uppnådd"


class Attainment(StrEnum):
    """Goal attainment of a results-chain entry, in the words the Eskilstuna report uses."""

    MET = "uppnått"
    PARTLY = "delvis"
    NOT_MET = "ej uppnått"


class UnitClass(StrEnum):
    """Class of a unit (festival act, team, staff group) by the sex of its members (Jämställd festival's rule)."""

    WOMEN = "kvinnodominerad"
    MEN = "mansdominerad"
    MIXED = "mixad"


class OccasionScheme(StrEnum):
    """How a checklist round names its scoring occasions."""

    SKR = "uppstart–träff 3"
    BEFORE_AFTER = "före–under–efter"
    YEARS = "år"


#: Plural nouns for sentences ("kvinnor har väntat längre än män").
SEX_WORDS: dict[str, str] = {Sex.WOMEN: "kvinnor", Sex.MEN: "män", Sex.TOTAL: "totalt"}

#: Capitalised labels for tables, legends and charts.
SEX_LABELS: dict[str, str] = {Sex.WOMEN: "Kvinnor", Sex.MEN: "Män", Sex.TOTAL: "Totalt"}

_LABELS: dict[StrEnum, str] = {
    BatchStatus.DONE: "klar",
    BatchStatus.FAILED: "fel",
    BatchStatus.TIMED_OUT: "avbruten: tog för lång tid",
    BatchStatus.NOT_RUN: "inte körd",
    Disadvantaged.WOMEN: "kvinnor",
    Disadvantaged.MEN: "män",
    Disadvantaged.NEITHER: "ingen skillnad",
    Severity.ERROR: "fel",
    Severity.WARNING: "varning",
    Severity.INFO: "information",
    ChainStatus.PLANNED: "planerad",
    ChainStatus.ACHIEVED: "uppnådd",
    UnitClass.WOMEN: "kvinnodominerad",
    UnitClass.MEN: "mansdominerad",
    UnitClass.MIXED: "mixad (jämn eller ej angivet kön)",
}


def label(key: StrEnum) -> str:
    """The Swedish words a reader sees for ``key`` (its stored value where no other label is set)."""
    return _LABELS.get(key, str(key))
