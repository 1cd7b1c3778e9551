"""The data model of jamlib, declared in one place.

Seven tables are described here: checklist scores, published aggregates,
gender-disaggregated indicators, results-chain entries, representation units
(acts, teams, staff groups with counts by sex and money), resources per sex
(gender budgeting) and participation in the model's rounds. Each is a
:class:`TableSchema`: which columns exist, which names users may give them in
their files (Swedish and English aliases), which values are allowed, and which
table-wide checks apply. The code that applies these declarations lives in
:mod:`jamlib.ingest.validation`; nothing here reads files or raises errors.

Half points
-----------
The SKR checklist is scored in whole points 1-4. Published group means such as
2,4 for four municipalities can only arise from half points or from several
raters per organisation. jamlib therefore accepts whole points by default and
reports a half point as a failure; ``allow_half_points=True`` (``jam validate
--halvpoang``) accepts halves. Several raters per organisation and occasion are
always allowed (column ``rater``); analyses average per organisation first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Mapping

from jamlib.vocabulary import Attainment, ChainStatus, OccasionScheme, UnitClass

__all__ = [
    "Column",
    "TableSchema",
    "CHECKLIST",
    "PUBLISHED",
    "INDICATORS",
    "RESULTS_CHAIN",
    "ORGANISATIONS",
    "REPRESENTATION",
    "RESOURCES",
    "PARTICIPATION",
    "SCHEMAS",
    "FAILURE_COLUMNS",
    "MOMENTS",
    "OCCASIONS",
    "SKR_OCCASIONS",
    "BEFORE_AFTER_OCCASIONS",
    "YEAR_OCCASIONS",
    "OCCASION_SCHEMES",
    "ROLES",
    "LEVELS",
    "GOALS",
    "SEXES",
    "POLARITIES",
]

ColumnKind = Literal["text", "code", "integer", "number", "label", "period", "date", "int_list", "moment_row"]

#: The ten moments of SKR's checklist, as printed in the SKR report.
MOMENTS: dict[int, str] = {
    1: "Den politiska församlingen tar beslut om jämställdhetsintegrering",
    2: "Den politiska ledningen efterfrågar resultat av arbetet med jämställdhetsintegrering",
    3: "Högsta cheferna tar ansvar för att politikernas jämställdhetsbeslut genomförs",
    4: "Ledningen ger organisationen förutsättningar för kompetens och lärande",
    5: "Jämställdhetsperspektivet är synligt i hela styrkedjan, från styrning till uppföljning",
    6: "Redovisa och analysera all individbaserad statistik med kön som indelningsgrund",
    7: "I beslutsunderlag finns en beskrivning av konsekvenser för kvinnor och män, flickor och pojkar",
    8: "Organisationen bedriver ett systematiskt förbättringsarbete",
    9: "Jämställdhetsintegreringen leder till konkreta och hållbara förbättringar i verksamheterna",
    10: "Struktur och kultur stöder fortsatt utveckling",
}

#: The four scoring occasions of an SKR round (Modellkonceptet), in order.
SKR_OCCASIONS: tuple[str, ...] = ("uppstart", "träff 1", "träff 2", "träff 3")

#: Self-assessments before, during and after a round (the Eskilstuna report: "Inför projektets start,
#: under dess gång och vid dess slut genomförde varje kommun en självskattning").
BEFORE_AFTER_OCCASIONS: tuple[str, ...] = ("före", "under", "efter")

#: Years as occasions, for year-on-year self-assessments ("från 2017 till 2018").
YEAR_OCCASIONS: tuple[str, ...] = tuple(str(year) for year in range(1990, 2101))

#: The ways a round can name its occasions. Each round uses one scheme; which one is read from its labels.
OCCASION_SCHEMES: dict[OccasionScheme, tuple[str, ...]] = {
    OccasionScheme.SKR: SKR_OCCASIONS,
    OccasionScheme.BEFORE_AFTER: BEFORE_AFTER_OCCASIONS,
    OccasionScheme.YEARS: YEAR_OCCASIONS,
}

#: Every scoring occasion jamlib knows, each scheme in its own order (SKR's four first).
OCCASIONS: tuple[str, ...] = SKR_OCCASIONS + BEFORE_AFTER_OCCASIONS + YEAR_OCCASIONS

#: Display labels of the occasions (SKR's as printed in the SKR report).
OCCASION_DISPLAY: dict[str, str] = {
    "uppstart": "Uppstart",
    "träff 1": "Träff 1",
    "träff 2": "Träff 2",
    "träff 3": "Träff 3",
    "före": "Före",
    "under": "Under",
    "efter": "Efter",
    **{year: year for year in YEAR_OCCASIONS},
}

#: Columns of a failure table (validation, and the cross-row checks of :mod:`jamlib.analysis`).
FAILURE_COLUMNS: list[str] = ["file", "row", "column", "value", "rule", "severity", "message"]

ROLES: tuple[str, ...] = ("deltagare", "mentor")

#: Levels of the results chain (resultatkedjan), in order.
LEVELS: tuple[str, ...] = (
    "aktivitet",
    "ny/ändrad produkt",
    "nytt arbetssätt",
    "nytt/ändrat utfall",
    "samhällseffekt",
)

#: The six national gender-equality policy goals.
GOALS: dict[int, str] = {
    1: "En jämn fördelning av makt och inflytande",
    2: "Ekonomisk jämställdhet",
    3: "Jämställd utbildning",
    4: "Jämn fördelning av det obetalda hem- och omsorgsarbetet",
    5: "Jämställd hälsa",
    6: "Mäns våld mot kvinnor ska upphöra",
}

#: Sex codes as in Kolada: women, men, total.
SEXES: tuple[str, ...] = ("K", "M", "T")

POLARITIES: tuple[str, ...] = ("högre är bättre", "lägre är bättre", "neutral", "okänd")

ORG_TYPES: tuple[str, ...] = ("kommun", "region", "nämnd", "förvaltning", "bolag", "annan")

# Input labels (lower-cased, stripped) mapped to canonical values.
_SEX_LABELS: dict[str, str] = {
    **{s: "K" for s in ("k", "kvinnor", "kvinna", "flickor", "flicka", "tjejer", "women", "woman",
                       "female", "females", "girls", "f", "w", "kv")},
    **{s: "M" for s in ("m", "män", "man", "pojkar", "pojke", "killar", "men", "male", "males", "boys")},
    **{s: "T" for s in ("t", "totalt", "total", "tot", "alla", "samtliga", "båda könen", "both", "all")},
}

_ROLE_LABELS: dict[str, str] = {
    "deltagare": "deltagare", "deltagarkommun": "deltagare", "deltagande": "deltagare",
    "participant": "deltagare", "deltagarregion": "deltagare",
    "mentor": "mentor", "mentorkommun": "mentor", "mentorregion": "mentor",
}

_OCCASION_LABELS: dict[str, str] = {
    "uppstart": "uppstart", "uppstartsträff": "uppstart", "start": "uppstart", "t0": "uppstart", "0": "uppstart",
    **{
        f"{prefix}{sep}{n}": f"träff {n}"
        for n in (1, 2, 3)
        for prefix in ("träff", "traff", "lärandeträff", "larandetraff", "t")
        for sep in (" ", "", "_", "-")
    },
    "1": "träff 1", "2": "träff 2", "3": "träff 3",
    **{label: "före" for label in ("före", "fore", "inför", "infor", "innan", "före start", "inför start", "before")},
    **{label: "under" for label in ("under", "under arbetet", "under omgången", "mitt", "halvvägs", "during")},
    **{label: "efter" for label in ("efter", "vid slut", "slut", "efter omgången", "after")},
    **{year: year for year in YEAR_OCCASIONS},
}

_STATUS_LABELS: dict[str, str] = {
    **{label: ChainStatus.PLANNED for label in ("planerad", "planerat", "planerade", "plan", "planned", "mål", "önskat")},
    **{label: ChainStatus.ACHIEVED for label in ("uppnådd", "uppnått", "uppnådda", "genomförd", "genomfört", "genomförda",
                                                 "klar", "klart", "achieved", "done", "infört", "införd")},
}

_ATTAINMENT_LABELS: dict[str, str] = {
    **{label: Attainment.MET for label in ("uppnått", "uppnådd", "ja", "helt", "met", "achieved")},
    **{label: Attainment.PARTLY for label in ("delvis", "delvis uppnått", "delvis uppnådd", "partly", "partially")},
    **{label: Attainment.NOT_MET for label in ("ej uppnått", "ej uppnådd", "inte uppnått", "nej", "ej", "not met")},
}

_CLASS_LABELS: dict[str, str] = {
    **{label: UnitClass.WOMEN for label in ("kvinnodominerad", "kvinnodominerat", "kvinnor", "flickor", "tjejer",
                                            "flickor/kvinnor", "kvinnor/flickor", "dam", "damer", "damlag", "flicklag")},
    **{label: UnitClass.MEN for label in ("mansdominerad", "mansdominerat", "män", "pojkar", "killar", "pojkar/män",
                                          "män/pojkar", "herr", "herrar", "herrlag", "pojklag")},
    **{label: UnitClass.MIXED for label in ("mixad", "mixat", "mixed", "blandad", "blandat", "jämn", "jämnt", "båda")},
}

_LEVEL_LABELS: dict[str, str] = {
    "aktivitet": "aktivitet", "aktiviteter": "aktivitet",
    "ny/ändrad produkt": "ny/ändrad produkt", "ny produkt": "ny/ändrad produkt",
    "ändrad produkt": "ny/ändrad produkt", "nya/ändrade produkter": "ny/ändrad produkt", "produkt": "ny/ändrad produkt",
    "nytt arbetssätt": "nytt arbetssätt", "nya arbetssätt": "nytt arbetssätt",
    "nytt/ändrat arbetssätt": "nytt arbetssätt", "nya/ändrade arbetssätt": "nytt arbetssätt", "arbetssätt": "nytt arbetssätt",
    "nytt/ändrat utfall": "nytt/ändrat utfall", "nytt utfall": "nytt/ändrat utfall", "ändrat utfall": "nytt/ändrat utfall",
    "nya/ändrade utfall": "nytt/ändrat utfall", "utfall": "nytt/ändrat utfall",
    "samhällseffekt": "samhällseffekt", "samhällseffekter": "samhällseffekt", "effekt": "samhällseffekt",
}

_POLARITY_LABELS: dict[str, str] = {
    "högre är bättre": "högre är bättre", "hogre ar battre": "högre är bättre", "högre": "högre är bättre",
    "+": "högre är bättre", "higher is better": "högre är bättre", "higher": "högre är bättre",
    "lägre är bättre": "lägre är bättre", "lagre ar battre": "lägre är bättre", "lägre": "lägre är bättre",
    "-": "lägre är bättre", "lower is better": "lägre är bättre", "lower": "lägre är bättre",
    "neutral": "neutral", "0": "neutral",
    "okänd": "okänd", "unknown": "okänd",
}

_ORG_TYPE_LABELS: dict[str, str] = {
    "kommun": "kommun", "region": "region", "landsting": "region", "nämnd": "nämnd", "styrelse": "nämnd",
    "förvaltning": "förvaltning", "bolag": "bolag", "kommunalt bolag": "bolag", "aktiebolag": "bolag",
    "enhet": "enhet", "verksamhet": "enhet", "skola": "skola", "förskola": "skola", "annan": "annan",
    "stadsdelsförvaltning": "förvaltning", "stadsdelsnämnd": "nämnd", "kommunstyrelse": "nämnd",
    "ab": "bolag", "moderbolag": "bolag", "dotterbolag": "bolag",
}


@dataclass(frozen=True)
class Column:
    """One column of a table.

    Parameters
    ----------
    name
        Canonical (internal) name.
    display
        The Swedish name shown to users in messages and in file templates.
    kind
        How cells are parsed: ``text``, ``code`` (4-digit municipality or region
        code), ``integer``, ``number``, ``label`` (one of ``labels``), ``period``,
        ``date``, ``int_list`` (e.g. ``"1, 5"``) or ``moment_row`` (published table
        row label such as ``"3. Högsta cheferna ..."`` or ``"Totalt"``).
    required
        Whether the column must be present in the file.
    nullable
        Whether a cell may be empty.
    aliases
        Other header names accepted in files (compared case-insensitively).
    labels
        For ``label`` columns: accepted input (lower case) mapped to canonical value.
    minimum, maximum
        Allowed range for numeric kinds (inclusive).
    """

    name: str
    display: str
    kind: ColumnKind
    required: bool = True
    nullable: bool = False
    aliases: tuple[str, ...] = ()
    labels: Mapping[str, str] | None = None
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class TableSchema:
    """A table: its columns, its key and the table-wide checks that apply.

    Parameters
    ----------
    name
        Canonical name, also the name of the processed Parquet file.
    title
        Swedish title shown to users.
    columns
        The columns, in output order.
    key
        Columns that identify a row; two rows with the same key and different
        values are a failure.
    checks
        Names of table-wide checks applied by :mod:`jamlib.ingest.validation`.
    """

    name: str
    title: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    checks: tuple[str, ...] = field(default_factory=tuple)

    def column(self, name: str) -> Column:
        """Return the column called ``name``."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def required_columns(self) -> tuple[Column, ...]:
        """Columns that must be present in a file."""
        return tuple(c for c in self.columns if c.required)


_ORG_NAME = Column("org_name", "organisation", "text", aliases=("organisation", "organisationsnamn", "kommun", "namn", "kommunnamn", "org", "organisation name"))
_ORG_CODE = Column("org_code", "kommunkod", "code", required=False, nullable=True, aliases=("kommunkod", "regionkod", "organisationskod", "kod", "kommun_kod", "municipality", "municipality_id", "code"))
_ROUND = Column("round", "omgång", "text", aliases=("omgång", "omgang", "round"))
_ROLE = Column("role", "roll", "label", aliases=("roll", "role"), labels=_ROLE_LABELS)

CHECKLIST = TableSchema(
    name="checklist",
    title="Checklistskattningar",
    columns=(
        _ROUND,
        _ORG_NAME,
        _ORG_CODE,
        Column("org_type", "organisationstyp", "label", required=False, nullable=True, aliases=("organisationstyp", "typ", "org_type"), labels=_ORG_TYPE_LABELS),
        _ROLE,
        Column("occasion", "tillfälle", "label", aliases=("tillfälle", "tillfalle", "skattningstillfälle", "mättillfälle", "occasion"), labels=_OCCASION_LABELS),
        Column("moment", "moment", "integer", aliases=("moment", "momentnummer", "nr"), minimum=1, maximum=10),
        Column("score", "poäng", "number", aliases=("poäng", "poang", "skattning", "score"), minimum=1, maximum=4),
        Column("rater", "skattare", "text", required=False, nullable=True, aliases=("skattare", "respondent", "person", "rater")),
        Column("mentor_group", "mentorgrupp", "text", required=False, nullable=True,
               aliases=("mentorgrupp", "grupp", "benchmarkinggrupp", "nätverk", "mentor_group")),
    ),
    key=("round", "org_name", "occasion", "moment", "rater"),
    checks=("half_points", "duplicate_keys"),
)

PUBLISHED = TableSchema(
    name="published",
    title="Publicerade medelvärden (t.ex. SKR:s Tabell 1 och 2)",
    columns=(
        Column("table", "tabell", "text", aliases=("tabell", "table")),
        _ROUND,
        _ROLE,
        Column("group_size", "antal organisationer", "integer", aliases=("antal organisationer", "antal", "n", "group_size", "gruppstorlek"), minimum=1),
        Column("moment", "moment", "moment_row", aliases=("moment", "del i checklista", "del i checklistan")),
        Column("uppstart", "Uppstart", "number", aliases=("uppstart",), nullable=True, minimum=0, maximum=40),
        Column("träff 1", "Träff 1", "number", aliases=("träff 1", "traff 1", "lärandeträff 1"), nullable=True, minimum=0, maximum=40),
        Column("träff 2", "Träff 2", "number", aliases=("träff 2", "traff 2", "lärandeträff 2"), nullable=True, minimum=0, maximum=40),
        Column("träff 3", "Träff 3", "number", aliases=("träff 3", "traff 3", "lärandeträff 3"), nullable=True, minimum=0, maximum=40),
        Column("change", "+/-", "number", aliases=("+/-", "förändring", "forandring", "change"), nullable=True, minimum=-40, maximum=40),
    ),
    key=("table", "moment"),
    checks=("published_cell_range", "duplicate_keys", "published_sums"),
)

INDICATORS = TableSchema(
    name="indicators",
    title="Könsuppdelade indikatorer",
    columns=(
        Column("org_code", "kommunkod", "code", required=False, nullable=True, aliases=_ORG_CODE.aliases),
        Column("org_name", "organisation", "text", required=False, nullable=True, aliases=_ORG_NAME.aliases),
        Column("indicator_id", "indikator", "text", aliases=("indikator", "indikator_id", "kpi", "nyckeltal", "indicator", "indicator_id", "id")),
        Column("indicator_title", "indikatornamn", "text", required=False, nullable=True, aliases=("indikatornamn", "titel", "benämning", "title", "indicator_title")),
        Column("period", "period", "period", aliases=("period", "år", "ar", "läsår", "year")),
        Column("sex", "kön", "label", aliases=("kön", "kon", "gender", "sex"), labels=_SEX_LABELS),
        Column("value", "värde", "number", nullable=True, aliases=("värde", "varde", "value")),
        Column("unit", "enhet", "text", required=False, nullable=True, aliases=("enhet", "unit")),
        Column("numerator", "täljare", "number", required=False, nullable=True, aliases=("täljare", "taljare", "numerator"), minimum=0),
        Column("denominator", "nämnare", "number", required=False, nullable=True, aliases=("nämnare", "namnare", "antal svarande", "bas", "denominator"), minimum=0),
        Column("polarity", "polaritet", "label", required=False, nullable=True, aliases=("polaritet", "riktning", "polarity"), labels=_POLARITY_LABELS),
        Column("source", "källa", "text", required=False, nullable=True, aliases=("källa", "kalla", "source")),
    ),
    key=("org_code", "org_name", "indicator_id", "period", "sex"),
    checks=("org_identified", "share_range", "numerator_denominator", "duplicate_keys", "sex_completeness"),
)

_PARENT = Column("parent", "överordnad", "text", required=False, nullable=True,
                 aliases=("överordnad", "overordnad", "huvudman", "moderorganisation", "tillhör", "parent"))
_ORG_TYPE = Column("org_type", "organisationstyp", "label", required=False, nullable=True,
                   aliases=("organisationstyp", "typ av organisation", "org_type"), labels=_ORG_TYPE_LABELS)
_SOURCE = Column("source", "källa", "text", required=False, nullable=True, aliases=("källa", "kalla", "source"))

RESULTS_CHAIN = TableSchema(
    name="results_chain",
    title="Resultatkedjan",
    columns=(
        _ORG_NAME,
        _ORG_CODE,
        _PARENT,
        _ORG_TYPE,
        Column("entry_id", "nr", "integer", required=False, nullable=True,
               aliases=("nr", "id", "post", "postnummer", "löpnummer", "entry_id"), minimum=1),
        Column("date", "datum", "date", aliases=("datum", "date", "år", "tidpunkt")),
        Column("level", "nivå", "label", aliases=("nivå", "niva", "steg", "level"), labels=_LEVEL_LABELS),
        Column("status", "status", "label", required=False, nullable=True,
               aliases=("status", "planerad/uppnådd", "läge", "state"), labels=_STATUS_LABELS),
        Column("title", "rubrik", "text", aliases=("rubrik", "titel", "title")),
        Column("description", "beskrivning", "text", required=False, nullable=True, aliases=("beskrivning", "description")),
        Column("attainment", "måluppfyllelse", "label", required=False, nullable=True,
               aliases=("måluppfyllelse", "maluppfyllelse", "uppfyllelse", "attainment"), labels=_ATTAINMENT_LABELS),
        Column("leads_to", "leder till", "int_list", required=False, nullable=True,
               aliases=("leder till", "länkar", "leads_to", "leads to"), minimum=1),
        Column("goals", "jämställdhetsmål", "int_list", required=False, nullable=True, aliases=("jämställdhetsmål", "mål", "delmål", "goals"), minimum=1, maximum=6),
        Column("moments", "checklistmoment", "int_list", required=False, nullable=True, aliases=("checklistmoment", "moment", "moments"), minimum=1, maximum=10),
        Column("evidence", "belägg", "text", required=False, nullable=True,
               aliases=("belägg", "belagg", "underlag", "evidens", "evidence")),
        Column("indicator_id", "indikator", "text", required=False, nullable=True,
               aliases=("indikator", "nyckeltal", "kpi", "indicator_id")),
        Column("indicator_org", "indikatorns organisation", "text", required=False, nullable=True,
               aliases=("indikatorns organisation", "indikatorns kommunkod", "indikator organisation", "indicator_org")),
        _SOURCE,
    ),
    key=("org_name", "parent", "date", "level", "title"),
    checks=("duplicate_keys",),
)

REPRESENTATION = TableSchema(
    name="representation",
    title="Representation per enhet",
    columns=(
        _ORG_NAME,
        _ORG_CODE,
        Column("period", "år", "period", aliases=("år", "ar", "period", "säsong", "year")),
        Column("unit_name", "enhet", "text", aliases=("enhet", "akt", "artist", "lag", "förening", "unit")),
        Column("unit_type", "typ av enhet", "text", required=False, nullable=True,
               aliases=("typ av enhet", "typ", "kategori", "unit_type")),
        Column("women", "kvinnor", "number", required=False, nullable=True,
               aliases=("kvinnor", "antal kvinnor", "flickor", "flickor/kvinnor", "women"), minimum=0),
        Column("men", "män", "number", required=False, nullable=True,
               aliases=("män", "antal män", "pojkar", "pojkar/män", "men"), minimum=0),
        Column("other", "övriga", "number", required=False, nullable=True,
               aliases=("övriga", "annat", "ej angivet", "inget av könen", "other"), minimum=0),
        Column("unit_class", "klass", "label", required=False, nullable=True,
               aliases=("klass", "klassning", "class"), labels=_CLASS_LABELS),
        Column("amount", "belopp", "number", required=False, nullable=True,
               aliases=("belopp", "kronor", "arvode", "ersättning", "sponsring", "amount"), minimum=0),
        _SOURCE,
    ),
    key=("org_name", "period", "unit_name"),
    checks=("duplicate_keys",),
)

RESOURCES = TableSchema(
    name="resources",
    title="Resurser per kön (jämställdhetsbudgetering)",
    columns=(
        _ORG_NAME,
        _ORG_CODE,
        Column("period", "år", "period", aliases=("år", "ar", "period", "year")),
        Column("resource", "resurs", "text", aliases=("resurs", "resursslag", "insats", "resource")),
        Column("sex", "kön", "label", aliases=("kön", "kon", "gender", "sex"), labels=_SEX_LABELS),
        Column("amount", "mängd", "number", aliases=("mängd", "mangd", "resursmängd", "total mängd", "amount"), minimum=0),
        Column("persons", "antal personer", "number", aliases=("antal personer", "personer", "mottagare", "brukare", "persons"), minimum=0),
        Column("unit", "enhet", "text", required=False, nullable=True, aliases=("enhet", "måttenhet", "unit")),
        _SOURCE,
    ),
    key=("org_name", "period", "resource", "sex"),
    checks=("duplicate_keys",),
)

PARTICIPATION = TableSchema(
    name="participation",
    title="Deltagande i Modellkonceptet (omgångar, roller och mentorgrupper)",
    columns=(
        _ROUND,
        _ORG_NAME,
        _ORG_CODE,
        _PARENT,
        _ORG_TYPE,
        _ROLE,
        Column("mentor_group", "mentorgrupp", "text", required=False, nullable=True,
               aliases=("mentorgrupp", "grupp", "benchmarkinggrupp", "nätverk", "mentor_group")),
        _SOURCE,
    ),
    key=("round", "org_name", "parent"),
    checks=("duplicate_keys",),
)

ORGANISATIONS = TableSchema(
    name="organisations",
    title="Organisationer (nämnder, förvaltningar, bolag, enheter)",
    columns=(
        Column("id", "id", "text", required=False, nullable=True, aliases=("id", "organisations-id", "organisationsid")),
        Column("name", "namn", "text", aliases=("namn", "organisation", "organisationsnamn", "name")),
        Column("type", "typ", "label", aliases=("typ", "organisationstyp", "type"), labels=_ORG_TYPE_LABELS),
        Column("parent", "förälder", "text", required=False, nullable=True,
               aliases=("förälder", "foralder", "tillhör", "ingår i", "moderorganisation", "parent")),
        Column("kolada_code", "kolada-kod", "text", required=False, nullable=True,
               aliases=("kolada-kod", "koladakod", "kolada_code", "ou-id")),
        Column("source", "källa", "text", required=False, nullable=True, aliases=("källa", "kalla", "source")),
    ),
    key=("id", "name", "parent"),
    checks=("duplicate_keys",),
)

#: All schemas by name.
SCHEMAS: dict[str, TableSchema] = {s.name: s for s in (CHECKLIST, PUBLISHED, INDICATORS, RESULTS_CHAIN, ORGANISATIONS,
                                                         REPRESENTATION, RESOURCES, PARTICIPATION)}
