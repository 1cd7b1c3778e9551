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
           "Suppression", "CodeProblem", "OrganisationType", "ChainStatus", "Attainment", "UnitClass",
           "OccasionScheme", "CheckOutcome", "label", "SEX_WORDS", "SEX_LABELS", "COLUMN_LABELS", "ARGPARSE_TEXTS",
           "ARGPARSE_METAVARS"]


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


class CheckOutcome(StrEnum):
    """What a course self-check (:mod:`jamlib.course.kontroll`) says about a participant's answer."""

    RIGHT = "rätt"
    WRONG = "fel"
    UNANSWERED = "ej besvarad"


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
    CheckOutcome.RIGHT: "Rätt!",
    CheckOutcome.WRONG: "Inte riktigt än.",
    CheckOutcome.UNANSWERED: "Inget svar än.",
}


def label(key: StrEnum) -> str:
    """The Swedish words a reader sees for ``key`` (its stored value where no other label is set)."""
    return _LABELS.get(key, str(key))


#: Swedish column headers for tables that commands print or export as CSV (``--format json`` keeps the
#: machine names on the left). Columns of the four data tables use the Swedish names in
#: :mod:`jamlib.schemas`; these are the columns that analyses, ingest and the Kolada client add.
COLUMN_LABELS: dict[str, str] = {
    # the gap of one municipality (jam gaps)
    "latest_period": "senaste period",
    "disadvantaged": "missgynnat kön",
    "persistence": "år i rad",
    "first_period": "första period i raden",
    "missing_periods": "perioder utan värden",
    "periods_with_both": "perioder med båda könen",
    "text": "text",
    "reference": "jämförelse",
    "reference_gap": "jämförelsens skillnad",
    "reference_members": "medlemmar med värden",
    "members_with_smaller_gap": "medlemmar med mindre skillnad",
    "larger": "skillnaden jämfört med jämförelsen",
    "slope_per_year": "förändring per år",
    "p_value": "p",
    "direction": "trendlinjens riktning (även när trenden inte är säkerställd)",
    "latest_gap": "senaste skillnad (K − M)",
    "materiality": "gräns för påtaglig skillnad",
    "uncertainty": "osäkerhet",
    "moving_average_years": "år i glidande medelvärde",
    "reference_size": "jämförelsens skillnad (storlek)",
    "members_with_larger_gap": "medlemmar med större skillnad",
    "members_other_sex": "medlemmar där det andra könet missgynnas",
    "same_direction": "samma kön missgynnas",
    "tested_periods": "prövade år",
    "fitted_start": "trendlinjens början (K − M)",
    "fitted_end": "trendlinjens slut (K − M)",
    "p_adjusted": "p justerat för flera test",
    "tests_in_family": "antal trendtest i rapporten",
    "trend": "trend",
    "caveat": "förbehåll",
    "notes": "anmärkningar",
    # checklist history (jam checklist historik)
    "first_occasion": "första tillfälle",
    "first_total": "summa vid första tillfället",
    "last_occasion": "senaste tillfälle",
    "last_total": "summa vid senaste tillfället",
    "change": "förändring",
    # representation and resources (jam representation)
    "units": "enheter",
    "women_class": "kvinnodominerade",
    "men_class": "mansdominerade",
    "mixed": "jämnt fördelade",
    "unclassified": "ej klassade",
    "share_women_class": "andel kvinnodominerade (0–1)",
    "low_women_class": "andel kvinnodominerade, nedre gräns",
    "high_women_class": "andel kvinnodominerade, övre gräns",
    "share_men_class": "andel mansdominerade (0–1)",
    "amount_known_units": "enheter med känt belopp",
    "amount_women_class": "belopp till kvinnodominerade",
    "amount_men_class": "belopp till mansdominerade",
    "share_amount_women_class": "andel av beloppet till kvinnodominerade (0–1)",
    "share_amount_men_class": "andel av beloppet till mansdominerade (0–1)",
    "persons_women": "kvinnor",
    "persons_men": "män",
    "persons_other": "övriga personer",
    "share_women_persons": "andel kvinnor (0–1)",
    "low_women_persons": "andel kvinnor, nedre gräns",
    "high_women_persons": "andel kvinnor, övre gräns",
    "persons_hidden": "dolt (färre än gränsen)",
    "threshold": "gräns för antal",
    "target": "mål, andel kvinnor (0–1)",
    "confidence": "konfidensnivå",
    "distance_units": "avstånd till målet, enheter (procentenheter)",
    "distance_amount": "avstånd till målet, belopp (procentenheter)",
    "distance_persons": "avstånd till målet, personer (procentenheter)",
    "resource": "resurs",
    "amount_K": "mängd till kvinnor",
    "persons_K": "antal kvinnor",
    "per_person_K": "per kvinna",
    "amount_M": "mängd till män",
    "persons_M": "antal män",
    "per_person_M": "per man",
    "relative": "relativ skillnad (andel av värdet per man)",
    "equalising_amount": "omfördelning för lika mycket per person",
    "hidden": "dolt (färre än gränsen)",
    # mentors and participants (jam checklist roles)
    "comparison": "jämförelse",
    "occasion": "tillfälle",
    "mean_mentor": "mentorer",
    "mean_participant": "deltagare",
    "difference": "skillnad",
    "n_mentor": "antal mentorer",
    "n_participant": "antal deltagare",
    "minimum_p": "lägsta möjliga p",
    "effect_size": "Cliffs delta",
    "method": "metod",
    # checks of published tables (jam checklist check)
    "row": "rad",
    "column": "kolumn",
    "printed": "tryckt värde",
    "possible_low": "lägsta möjliga",
    "possible_high": "högsta möjliga",
    "explains": "förklarar",
    "fits_low": "passar från",
    "fits_high": "passar till",
    "message": "meddelande",
    "table": "tabell",
    # the ingest manifest (jam ingest)
    "path": "fil",
    "kind": "tabell",
    "sha256": "kontrollsumma (SHA-256)",
    "rows_read": "lästa",
    "rows_kept": "godkända",
    "rows_quarantined": "karantän",
    "errors": "fel",
    "warnings": "varningar",
    "summary": "sammanfattning",
    # Kolada (jam kolada search, groups, fetch)
    "id": "id",
    "title": "titel",
    "description": "beskrivning",
    "is_divided_by_gender": "könsuppdelat",
    "municipality_type": "kommuntyp",
    "operating_area": "verksamhetsområde",
    "perspective": "perspektiv",
    "auspice": "regi",
    "publication_date": "publiceringsdatum",
    "prel_publication_date": "preliminärt publiceringsdatum",
    "has_ou_data": "har data för enheter",
    "group_id": "grupp-id",
    "group_title": "grupp",
    "member_code": "kommunkod",
    "member_name": "kommun",
    "source_file": "källfil",
    "source_row": "rad i källfilen",
}


#: argparse's own texts (its gettext message ids, Python 3.11–3.13) in Swedish, for ``jam``'s help and errors.
ARGPARSE_TEXTS: dict[str, str] = {
    "usage: ": "användning: ",
    "positional arguments": "argument",
    "options": "flaggor",
    "optional arguments": "flaggor",
    "show this help message and exit": "visa den här hjälpen och avsluta",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fel: %(message)s\n",
    "the following arguments are required: %s": "följande argument måste anges: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ogiltigt val: %(value)r (välj bland %(choices)s)",
    "invalid choice: %(value)r, maybe you meant %(closest)r? (choose from %(choices)s)":
        "ogiltigt val: %(value)r, menade du %(closest)r? (välj bland %(choices)s)",
    "argument %(argument_name)s: %(message)s": "argumentet %(argument_name)s: %(message)s",
    "unrecognized arguments: %s": "okända argument: %s",
    "expected one argument": "ett värde saknas",
    "expected at most one argument": "högst ett värde får anges",
    "expected at least one argument": "minst ett värde måste anges",
    "expected %s argument": "%s värde måste anges",
    "expected %s arguments": "%s värden måste anges",
    "invalid %(type)s value: %(value)r": "ogiltigt värde: %(value)r (ska vara ett %(type)s)",
    "ambiguous option: %(option)s could match %(matches)s": "tvetydig flagga: %(option)s kan betyda %(matches)s",
    "not allowed with argument %s": "får inte användas tillsammans med %s",
    "one of the arguments %s is required": "ett av argumenten %s måste anges",
    "unexpected option string: %s": "oväntad flagga: %s",
    "ignored explicit argument %r": "värdet %r används inte",
    "can't open '%(filename)s': %(error)s": "kan inte öppna '%(filename)s': %(error)s",
    "show program's version number and exit": "visa versionen och avsluta",
}

#: Placeholders in ``jam``'s usage lines (``--round OMGÅNG``), by the option's destination name.
ARGPARSE_METAVARS: dict[str, str] = {
    "round": "OMGÅNG", "file": "FIL", "processed": "MAPP", "raw": "MAPP", "notebooks": "MAPP", "out": "MAPP",
    "data": "MAPP", "cache": "MAPP", "org": "KOD", "municipality": "KOD", "group": "GRUPP", "lan": "LÄN",
    "workers": "ANTAL", "timeout": "SEKUNDER", "code_parameter": "PARAMETER", "title": "RUBRIK",
    "reference": "JÄMFÖRELSE", "until": "ÅR", "years": "ÅR", "kpi": "ID", "base_url": "ADRESS",
    "from_date": "DATUM", "area": "OMRÅDE", "kind": "TABELL", "indicator": "ID",
}
