"""Self-checks for the course's exercises: right or not, and a hint, never the solution.

Each exercise in the course notebooks (``notebooks/kurs/``) ends with a cell such as
``kontroll.skillnad(bred)``. The function compares the participant's answer with
the right answer, computed from the bundled data (or, for constructed examples, from
the numbers the lesson gives), and returns a :class:`Bedomning`: *Rätt!* with a
short confirmation, or *Inte riktigt än* with a hint that points at the typical
mistake (M − K instead of K − M, a share written as 0,53 instead of 53 %, T taken
as the mean of K and M, ...). A hint never contains the right value or the code
that computes it. An unchanged exercise cell (``svar = ...``) gives *Inget svar än*.

The check functions have Swedish names because participants type them; each is
named after what the exercise asks for.
"""

from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from jamlib.course import kursdata
from jamlib.formatting import format_decimal
from jamlib.organisations import municipality_name, normalise_code
from jamlib.vocabulary import ChainStatus, CheckOutcome, CodeProblem, Sex, label

__all__ = [
    "Bedomning",
    # lektion 0
    "kommunkod", "andel_kvinnor",
    # lektion 1
    "vantetid_karlstad", "vantetid_kvinnor_2021", "andel_kvinnor_80",
    # lektion 2
    "skillnad", "relativ_skillnad", "missgynnat_kon", "diagram_inflytande",
    # lektion 3
    "tre_i_rad", "fyra_i_rad", "tre_ar_i_rad_kommuner", "teckentest",
    # lektion 4
    "kvinnor_i_gruppen", "medel_och_median", "over_eller_under", "diagram_grupp",
    # lektion 5
    "avrundningsgrans", "summor_tabell2", "tryckfel", "mojliga_medelvarden",
    # lektion 6
    "karlstads_kedja", "resultatkedjans_steg", "konsekvensbeskrivning",
]


# -- the verdict ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Bedomning:
    """What a self-check says: the outcome and a Swedish explanation or hint.

    Attributes
    ----------
    utfall
        :class:`jamlib.vocabulary.CheckOutcome`: right, wrong or not answered yet.
    text
        The confirmation (when right) or the hint (when not); never the solution.
    """

    utfall: CheckOutcome
    text: str

    @property
    def ratt(self) -> bool:
        """Whether the answer is right."""
        return self.utfall is CheckOutcome.RIGHT

    def __repr__(self) -> str:
        return f"{label(self.utfall)} {self.text}"

    def _repr_html_(self) -> str:
        from html import escape

        colours = {CheckOutcome.RIGHT: ("#E8F5E9", "#1B5E20"), CheckOutcome.WRONG: ("#FFF3E0", "#8A4B00"),
                   CheckOutcome.UNANSWERED: ("#ECEFF1", "#37474F")}
        background, border = colours[self.utfall]
        return (f'<div style="background:{background};border-left:5px solid {border};padding:0.5em 0.8em;'
                f'color:#111"><strong>{escape(label(self.utfall))}</strong> {escape(self.text)}</div>')


def _right(text: str) -> Bedomning:
    return Bedomning(CheckOutcome.RIGHT, text)


def _wrong(text: str) -> Bedomning:
    return Bedomning(CheckOutcome.WRONG, text)


_UNANSWERED = Bedomning(CheckOutcome.UNANSWERED,
                        "Byt ut ... mot ditt svar i cellen ovanför, kör den (Shift+Enter) och kör sedan den här cellen igen.")


def _is_unanswered(answer: object) -> bool:
    return answer is Ellipsis or answer is None


# -- reading answers ------------------------------------------------------------------------------

def _number(answer: object) -> float | None:
    """A participant's numeric answer as a float: 58.9, "58,9", "58,9 %", a one-value Series; else None."""
    if isinstance(answer, bool):
        return None
    if isinstance(answer, (pd.Series, pd.DataFrame)):
        values = answer.to_numpy().ravel()
        return _number(values[0]) if len(values) == 1 else None
    if isinstance(answer, numbers.Number):
        value = float(answer)  # type: ignore[arg-type]
        return None if math.isnan(value) else value
    if isinstance(answer, str):
        text = answer.strip().replace("\u2212", "-").replace("%", "").replace("\u00a0", "").replace(" ", "")
        try:
            return float(text.replace(",", "."))
        except ValueError:
            return None
    return None


def _close(value: float, target: float, tolerance: float = 0.05) -> bool:
    return abs(value - target) <= tolerance


def _not_a_number(answer: object) -> Bedomning:
    kind = type(answer).__name__
    if isinstance(answer, (pd.Series, pd.DataFrame)):
        return _wrong(f"Svaret är en {kind} med {answer.size} värden; här ska det vara ett enda tal. "
                      "Välj ut ett värde, t.ex. med .loc[rad, kolumn].")
    return _wrong(f"Svaret ska vara ett tal, men det är {kind} ({answer!r}). Skriv talet utan citattecken.")


def _frame(answer: object, what: str) -> Bedomning | None:
    if _is_unanswered(answer):
        return _UNANSWERED
    if not isinstance(answer, pd.DataFrame):
        return _wrong(f"{what} ska vara en tabell (DataFrame), men är {type(answer).__name__}. "
                      "En filtrering som tabell[villkor] ger en tabell.")
    return None


def _missing_columns(table: pd.DataFrame, columns: list[str]) -> Bedomning | None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        return _wrong("Tabellen saknar kolumnen " + ", ".join(f'"{c}"' for c in missing)
                      + ". Har du döpt om eller tagit bort den? Kör cellerna ovanför igen.")
    return None


def _empty_table_hint() -> Bedomning:
    return _wrong("Tabellen är tom: inget uppfyllde villkoren. Kommunkoder och indikatorer är text i tabellen, "
                  'så de ska stå inom citattecken ("1780", inte 1780). Kontrollera också stavningen.')


# -- the data the answers are checked against ---------------------------------------------------

def _kolada() -> pd.DataFrame:
    return kursdata.kolada()


def _value(code: str, indicator: str, year: int, sex: str) -> float:
    table = _kolada()
    row = table[(table["kommunkod"] == code) & (table["indikator"] == indicator) & (table["år"] == year)
                & (table["kön"] == sex)]
    return float(row["värde"].iloc[0])


def _rows(code: str | list[str], indicator: str, year: int | None = None, sex: str | None = None) -> pd.DataFrame:
    table = _kolada()
    codes = [code] if isinstance(code, str) else list(code)
    keep = table["kommunkod"].isin(codes) & (table["indikator"] == indicator)
    if year is not None:
        keep &= table["år"] == year
    if sex is not None:
        keep &= table["kön"] == sex
    return table[keep]


def _same_rows(answer: pd.DataFrame, truth: pd.DataFrame) -> bool:
    keys = ["kommunkod", "indikator", "år", "kön"]
    if any(k not in answer.columns for k in keys):
        return False
    got = sorted(map(tuple, answer[keys].astype(str).to_numpy().tolist()))
    want = sorted(map(tuple, truth[keys].astype(str).to_numpy().tolist()))
    return got == want


def _extra_rows_hint(answer: pd.DataFrame, expected: dict[str, object]) -> Bedomning | None:
    """A hint naming the first column whose filter is missing (answer has other values there)."""
    words = {"kommunkod": "andra kommuner", "indikator": "andra indikatorer", "år": "andra år", "kön": "andra kön"}
    for column, wanted in expected.items():
        if column not in answer.columns:
            continue
        allowed = {str(v) for v in (wanted if isinstance(wanted, (list, tuple, set)) else [wanted])}
        if not set(answer[column].astype(str)) <= allowed:
            return _wrong(f"Tabellen har rader för {words[column]} också. Lägg till ett villkor för kolumnen "
                          f'"{column}" och sätt ihop villkoren med &.')
    return None


# -- lesson 0: JupyterLab -------------------------------------------------------------------------

def kommunkod(svar: object) -> Bedomning:
    """Exercise 0.1: the participant's municipality code, written as text with four digits."""
    if _is_unanswered(svar):
        return _UNANSWERED
    if isinstance(svar, numbers.Number) and not isinstance(svar, bool):
        check = normalise_code(svar)
        if check.problem is CodeProblem.LEADING_ZERO:
            return _wrong(f"Du skrev talet {svar}. Som tal försvinner den inledande nollan: skriv koden som text, "
                          "inom citattecken och med alla fyra siffrorna.")
        return _wrong(f"Du skrev talet {svar} utan citattecken. Kommunkoder ska skrivas som text, inom "
                      "citattecken, så att en inledande nolla inte försvinner.")
    if not isinstance(svar, str):
        return _wrong(f"Svaret ska vara text inom citattecken, men är {type(svar).__name__}.")
    text = svar.strip()
    if not text.isdigit():
        return _wrong(f'"{svar}" är inte en kod. Skriv kommunens fyrsiffriga kod, inte namnet. '
                      "Koderna finns i tabellen kursdata.kommuner().")
    check = normalise_code(text)
    if check.problem is CodeProblem.LEADING_ZERO:
        return _wrong(f'"{text}" har bara {len(text)} siffror. Kommunkoder har alltid fyra siffror: '
                      "har den inledande nollan försvunnit?")
    if check.code is None:
        return _wrong(f'Det finns ingen kommun eller region med koden "{text}". Slå upp koden i kursdata.kommuner().')
    if check.code == kursdata.RIKET:
        return _wrong('"0000" är Kolada-koden för hela riket, inte för en kommun.')
    return _right(f'"{check.code}" är koden för {municipality_name(check.code)}, skriven som text. Bra!')


#: The constructed numbers of lesson 0: a committee's users, 120 women and 80 men.
_LESSON0_WOMEN, _LESSON0_MEN = 120, 80


def andel_kvinnor(svar: object) -> Bedomning:
    """Exercise 0.2: the share of women, in percent, of the lesson's 120 women and 80 men."""
    if _is_unanswered(svar):
        return _UNANSWERED
    value = _number(svar)
    if value is None:
        return _not_a_number(svar)
    total = _LESSON0_WOMEN + _LESSON0_MEN
    right = 100 * _LESSON0_WOMEN / total
    if _close(value, right, 0.01):
        return _right("Andelen kvinnor är antalet kvinnor delat med alla, gånger 100.")
    if _close(value, right / 100, 0.0001):
        return _wrong("Du har räknat ut andelen som ett tal mellan 0 och 1. Uppgiften vill ha procent: "
                      "multiplicera med 100.")
    if _close(value, 100 * _LESSON0_WOMEN / _LESSON0_MEN, 0.01) or _close(value, _LESSON0_WOMEN / _LESSON0_MEN, 0.001):
        return _wrong("Du har delat antalet kvinnor med antalet män. En andel jämför delen med helheten: "
                      "dela med alla (kvinnor + män).")
    if _close(value, 100 - right, 0.01) or _close(value, (100 - right) / 100, 0.0001):
        return _wrong("Det där är andelen män. Uppgiften frågar efter andelen kvinnor.")
    return _wrong("Inte rätt tal. Andel i procent = delen / helheten * 100. Glöm inte parenteserna runt summan.")


# -- lesson 1: Kolada, K, M and T ----------------------------------------------------------------

KARLSTAD = "1780"
WAITING = "U23401"
FALLS = "N20402"
INFLUENCE = "U21455"
RESPECT = "U21504"
LONELINESS = "U01421"


def _table_problem(tabell: object, name: str, columns: list[str]) -> Bedomning | None:
    """What stops a table answer from being checked: not a table, empty, or without the columns asked for."""
    problem = _frame(tabell, name)
    if problem is not None:
        return problem
    assert isinstance(tabell, pd.DataFrame)
    if tabell.empty:
        return _empty_table_hint()
    return _missing_columns(tabell, columns)


def vantetid_karlstad(tabell: object) -> Bedomning:
    """Exercise 1.1: Karlstad's rows (every year and sex) for the waiting time U23401."""
    problem = _table_problem(tabell, "vantetid", ["kommunkod", "indikator", "år", "kön", "värde"])
    if problem is not None:
        return problem
    assert isinstance(tabell, pd.DataFrame)
    truth = _rows(KARLSTAD, WAITING)
    if _same_rows(tabell, truth):
        years = sorted(truth["år"].unique())
        return _right(f"Karlstads väntetider: {len(truth)} rader, åren {years[0]}–{years[-1]}.")
    hint = _extra_rows_hint(tabell, {"kommunkod": KARLSTAD, "indikator": WAITING})
    if hint is not None:
        return hint
    return _wrong("Tabellen har bara en del av Karlstads rader för U23401. Filtrera bara på kommunkod och "
                  "indikator, inte på år eller kön.")


def vantetid_kvinnor_2021(svar: object) -> Bedomning:
    """Exercise 1.2: the women's waiting time in Karlstad in 2021, in days."""
    if _is_unanswered(svar):
        return _UNANSWERED
    value = _number(svar)
    if value is None:
        return _not_a_number(svar)
    right = _value(KARLSTAD, WAITING, 2021, Sex.WOMEN)
    if _close(value, right):
        return _right("Det är kvinnornas väntetid i dagar 2021 (medelvärde från ansökan till erbjuden plats).")
    if _close(value, _value(KARLSTAD, WAITING, 2021, Sex.MEN)):
        return _wrong('Det är männens värde 2021. Kvinnor har koden "K" i kolumnen kön.')
    if _close(value, _value(KARLSTAD, WAITING, 2021, Sex.TOTAL)):
        return _wrong('Det är totalen (T) för 2021. Kvinnor har koden "K".')
    other_years = _rows(KARLSTAD, WAITING, sex=Sex.WOMEN)
    if any(_close(value, v) for v in other_years.loc[other_years["år"] != 2021, "värde"]):
        return _wrong("Det är kvinnornas värde, men för ett annat år. Leta upp raden för 2021.")
    return _wrong("Det talet finns inte bland Karlstads väntetider 2021. Titta i tabellen vantetid_bred: "
                  "rad 2021, kolumn K.")


def _riket_falls_2022() -> dict[str, float]:
    return {sex: _value(kursdata.RIKET, FALLS, 2022, sex) for sex in Sex}


def andel_kvinnor_80(svar: object) -> Bedomning:
    """Exercise 1.3: the share of women (percent) among people 80+ implied by Riket's K, M and T for falls 2022."""
    if _is_unanswered(svar):
        return _UNANSWERED
    value = _number(svar)
    if value is None:
        return _not_a_number(svar)
    v = _riket_falls_2022()
    right = 100 * (v["T"] - v["M"]) / (v["K"] - v["M"])
    if _close(value, right, 0.1):
        return _right("Totalen ligger närmare kvinnornas värde än männens, eftersom kvinnorna är fler bland "
                      "de äldsta. T är ett vägt medelvärde av K och M.")
    if _close(value, right / 100, 0.001):
        return _wrong("Du har andelen som ett tal mellan 0 och 1. Uppgiften vill ha procent: multiplicera med 100.")
    if _close(value, 100 - right, 0.1) or _close(value, (100 - right) / 100, 0.001):
        return _wrong("Det är andelen män. Kontrollera formeln: (T − M) / (K − M) ger kvinnornas andel.")
    if _close(value, 50, 0.01) or _close(value, 0.5, 0.0001):
        return _wrong("50 % skulle gälla om T vore medelvärdet av K och M. Räkna med formeln i texten ovanför.")
    if _close(value, (v["K"] + v["M"]) / 2, 0.1):
        return _wrong("Det där är medelvärdet av K och M, inte en andel. Använd formeln (T − M) / (K − M) * 100.")
    return _wrong("Inte rätt. Kontrollera att K, M och T är rikets värden för N20402 år 2022 och att "
                  "parenteserna står runt både T − M och K − M.")


# -- lesson 2: gaps and polarity ----------------------------------------------------------------

def _karlstad_wide() -> pd.DataFrame:
    table = _kolada()
    rows = table[(table["kommunkod"] == KARLSTAD) & table["kön"].isin([Sex.WOMEN, Sex.MEN])]
    wide = rows.pivot_table(index=["indikator", "år"], columns="kön", values="värde").reset_index()
    wide.columns.name = None
    return wide


def _answer_wide(tabell: pd.DataFrame) -> pd.DataFrame:
    frame = tabell
    if not {"indikator", "år"} <= set(frame.columns) and set(frame.index.names) & {"indikator", "år"}:
        frame = frame.reset_index()
    return frame


def _gap_column(tabell: object, column: str, compute) -> tuple[Bedomning | None, pd.DataFrame | None]:
    problem = _frame(tabell, "bred")
    if problem is not None:
        return problem, None
    assert isinstance(tabell, pd.DataFrame)
    frame = _answer_wide(tabell)
    if column not in frame.columns:
        return _wrong(f'Tabellen har ingen kolumn "{column}" än. Skriv bred["{column}"] = ... och kör cellen.'), None
    if frame[column].map(_is_unanswered).all():
        return _UNANSWERED, None
    missing = _missing_columns(frame, ["indikator", "år", "K", "M"])
    if missing is not None:
        return missing, None
    truth = _karlstad_wide()
    merged = truth.merge(frame[["indikator", "år", column]], on=["indikator", "år"], how="left")
    both = merged["K"].notna() & merged["M"].notna()
    if merged.loc[both, column].isna().all():
        return _wrong(f'Kolumnen "{column}" är tom för Karlstads rader. Räkna med kolumnerna K och M.'), None
    merged["_right"] = compute(merged["K"], merged["M"])
    return None, merged[both]


def skillnad(bred: object) -> Bedomning:
    """Exercise 2.1: the column ``skillnad`` = K − M in Karlstad's wide table."""
    problem, merged = _gap_column(bred, "skillnad", lambda k, m: k - m)
    if problem is not None:
        return problem
    got, right = merged["skillnad"], merged["_right"]
    if ((got - right).abs() < 1e-6).all():
        return _right("Skillnaden är kvinnornas värde minus männens: positiv när kvinnorna har det högre värdet.")
    if ((got + right).abs() < 1e-6).all():
        return _wrong("Tecknet är omvänt: du har räknat män minus kvinnor. Kursen (och Kolada-analyser i "
                      "allmänhet) räknar K − M, så att ett positivt tal betyder att kvinnornas värde är högre.")
    if ((got - right.abs()).abs() < 1e-6).all():
        return _wrong("Alla skillnader är positiva: har du tagit absolutbeloppet? Behåll tecknet, det visar "
                      "vilket kön som har det högre värdet.")
    return _wrong("Några skillnader stämmer inte. Räkna kolumnen K minus kolumnen M för varje rad, "
                  "med tabellens kolumner (inte enskilda tal).")


def relativ_skillnad(bred: object) -> Bedomning:
    """Exercise 2.2: the column ``relativ_skillnad`` = (K − M) / M, in percent."""
    problem, merged = _gap_column(bred, "relativ_skillnad", lambda k, m: 100 * (k - m) / m)
    if problem is not None:
        return problem
    got, right = merged["relativ_skillnad"], merged["_right"]
    k, m = merged["K"], merged["M"]

    def matches(candidate: pd.Series) -> bool:
        return bool(((got - candidate).abs() < 1e-6).all())

    if matches(right):
        return _right("Den relativa skillnaden är K − M i procent av männens värde. Den gör indikatorer med "
                      "olika enheter jämförbara.")
    if matches(right / 100):
        return _wrong("Du har skillnaden som en andel (t.ex. 0,12). Uppgiften vill ha procent: multiplicera med 100.")
    if matches(-right) or matches(100 * (m - k) / k):
        return _wrong("Tecknet är omvänt: räkna K − M i täljaren, som i förra uppgiften.")
    if matches(100 * (k - m) / k):
        return _wrong("Du har delat med kvinnornas värde. Den relativa skillnaden jämförs med männens värde: "
                      "dela med M.")
    if matches(100 * k / m) or matches(k / m):
        return _wrong("Du har räknat K / M, kvoten. Den relativa skillnaden är skillnaden (K − M) delad med M.")
    if matches(100 * (k - m) / (k + m) * 2):
        return _wrong("Du har delat med medelvärdet av K och M. Dela med männens värde, M.")
    return _wrong("Några värden stämmer inte. Tänk på parenteserna: först K − M, sedan delat med M, "
                  "sedan gånger 100.")


def _disadvantaged_2022() -> dict[str, str]:
    """Which sex jamlib's gap analysis finds disadvantaged in Karlstad in 2022, per indicator."""
    from jamlib.analysis.gaps import indicator_gaps

    table = _kolada()
    own = table[(table["kommunkod"] == KARLSTAD) & (table["år"] == 2022)]
    meta = kursdata.indikatorer().set_index("indikator")
    rows = pd.DataFrame({
        "org_code": own["kommunkod"], "org_name": own["kommun"], "indicator_id": own["indikator"],
        "indicator_title": own["indikator"].map(meta["namn"]), "period": own["år"].astype(str),
        "sex": own["kön"], "value": own["värde"], "polarity": own["indikator"].map(meta["riktning"]),
    })
    gaps = indicator_gaps(rows)
    return dict(zip(gaps["indicator_id"], gaps["disadvantaged"]))


_SEX_ANSWERS = {"k": Sex.WOMEN, "kvinnor": Sex.WOMEN, "kvinna": Sex.WOMEN, "m": Sex.MEN, "män": Sex.MEN,
                "man": Sex.MEN}


def missgynnat_kon(svar: object) -> Bedomning:
    """Exercise 2.3: which sex is disadvantaged in Karlstad in 2022 on each of the five indicators."""
    if _is_unanswered(svar):
        return _UNANSWERED
    if not isinstance(svar, dict):
        return _wrong(f"Svaret ska vara en ordlista {{indikator: kön}}, men är {type(svar).__name__}.")
    right = _disadvantaged_2022()
    unanswered = [k for k in right if _is_unanswered(svar.get(k))]
    if len(unanswered) == len(right):
        return _UNANSWERED
    if unanswered:
        return _wrong("Du har inte svarat för " + ", ".join(unanswered) + " än.")
    given: dict[str, str | None] = {k: _SEX_ANSWERS.get(str(svar[k]).strip().lower()) for k in right}
    unclear = [k for k, v in given.items() if v is None]
    if unclear:
        return _wrong('Svara med "K" eller "M". Det gick inte att läsa svaret för ' + ", ".join(unclear) + ".")
    wrong = [k for k in right if given[k] != right[k]]
    if not wrong:
        return _right("Riktningen avgör: där lägre är bättre missgynnas det kön som har det högre värdet, "
                      "där högre är bättre det kön som har det lägre.")
    directions = dict(zip(kursdata.indikatorer()["indikator"], kursdata.indikatorer()["riktning"]))
    wrong_lower = [k for k in wrong if directions.get(k) == "lägre är bättre"]
    if len(wrong) == len(right):
        return _wrong("Alla fem är omvända. Har du svarat vilket kön som har det bästa värdet? Frågan är "
                      "vilket kön som missgynnas, alltså har det sämre värdet.")
    if wrong_lower and len(wrong_lower) == len(wrong):
        return _wrong(f"{len(wrong)} av 5 är fel, och alla gäller indikatorer där lägre är bättre. Titta på "
                      "kolumnen riktning: för dem är det högre värdet det sämre.")
    return _wrong(f"{len(wrong)} av 5 är fel. Gå igenom indikatorerna en i taget: jämför K och M för 2022 och "
                  "läs kolumnen riktning.")


def _chart_spec(diagram: object) -> tuple[Bedomning | None, dict | None]:
    if _is_unanswered(diagram):
        return _UNANSWERED, None
    to_dict = getattr(diagram, "to_dict", None)
    if to_dict is None or not type(diagram).__module__.startswith("altair"):
        return _wrong(f"Svaret ska vara ett altair-diagram (alt.Chart(...)), men är {type(diagram).__name__}."), None
    import altair as alt

    try:
        spec = to_dict()
    except alt.MaxRowsError:
        return _wrong("Diagrammets tabell har för många rader (altair ritar högst 5 000). Filtrera först fram "
                      "raderna du vill visa och rita den tabellen."), None
    except Exception as exc:  # altair reports an incomplete chart (e.g. x=...) by raising
        return _wrong("Diagrammet går inte att rita än: " + str(exc).splitlines()[0][:200].rstrip(".")
                      + ". Har du fyllt i alla ... i encode?"), None
    if "layer" in spec:  # e.g. bars + a rule for the mean: judge the first layer
        first = spec["layer"][0]
        spec = {**first, "datasets": spec.get("datasets", {}), "data": first.get("data", spec.get("data"))}
    return None, spec


def _chart_rows(spec: dict) -> pd.DataFrame:
    data = spec.get("data") or {}
    if "values" in data:
        return pd.DataFrame(data["values"])
    name = data.get("name")
    return pd.DataFrame(spec.get("datasets", {}).get(name, []))


def _field(spec: dict, channel: str) -> tuple[str | None, str | None]:
    encoding = spec.get("encoding", {}).get(channel)
    if not isinstance(encoding, dict):
        return None, None
    return encoding.get("field"), encoding.get("type")


def _mark(spec: dict) -> str:
    mark = spec.get("mark")
    return mark.get("type", "") if isinstance(mark, dict) else str(mark or "")


def diagram_inflytande(diagram: object) -> Bedomning:
    """Exercise 2.4: a line chart of Karlstad's women's and men's values for U21455 over the years."""
    problem, spec = _chart_spec(diagram)
    if problem is not None:
        return problem
    x, x_type = _field(spec, "x")
    y, _ = _field(spec, "y")
    colour, _ = _field(spec, "color")
    rows = _chart_rows(spec)
    if _mark(spec) not in ("line", "point", "circle", "trail"):
        return _wrong(f"Diagrammet är av typen {_mark(spec) or 'okänd'}. Utveckling över tid visas bäst med "
                      "linjer: mark_line(point=True).")
    if (x, y) == ("värde", "år"):
        return _wrong("Axlarna är omkastade: tiden brukar stå på den vågräta axeln (x) och värdet på den lodräta (y).")
    if x != "år" or y != "värde":
        return _wrong('Sätt x till kolumnen "år" och y till kolumnen "värde".')
    if colour != "kön":
        return _wrong('Kvinnor och män ritas nu som en enda linje. Ge dem varsin färg: color="kön:N".')
    if not rows.empty and {"kommunkod", "indikator"} <= set(rows.columns):
        if set(rows["kommunkod"].astype(str)) != {KARLSTAD} or set(rows["indikator"]) != {INFLUENCE}:
            return _wrong("Diagrammets data har fler rader än Karlstads U21455. Använd tabellen inflytande.")
    if not rows.empty and "kön" in rows.columns and not {Sex.WOMEN, Sex.MEN} <= set(rows["kön"]):
        return _wrong("Diagrammet saknar kvinnor eller män. Filtrera inte bort något av könen.")
    note = ""
    if x_type == "quantitative":
        note = (' Tips: med "år:Q" blir åren vanliga tal med tusentalsavgränsare och decimaler på axeln; '
                '"år:O" visar dem som årtal.')
    return _right("Linjerna visar männens och kvinnornas bedömning år för år. Lägg märke till att 2021 saknas "
                  "(undersökningen gjordes inte det året)." + note)


# -- lesson 3: large or small, chance -----------------------------------------------------------

def tre_i_rad(svar: object) -> Bedomning:
    """Exercise 3.1: the simulated share of three-year series where the same side came up every year."""
    if _is_unanswered(svar):
        return _UNANSWERED
    value = _number(svar)
    if value is None:
        return _not_a_number(svar)
    # 10 000 simulated series: standard error sqrt(0.25 * 0.75 / 10 000) = 0.0043; allow 3.5 of them.
    if _close(value, 0.25, 0.015):
        return _right("Ungefär en fjärdedel: samma kön hamnar sämst tre år i rad i var fjärde påhittad kommun, "
                      "fast det inte finns någon verklig skillnad.")
    if _close(value, 25, 1.5):
        return _wrong("Det ser ut som procent. Här ska svaret vara en andel mellan 0 och 1, som .mean() ger.")
    if _close(value, 0.125, 0.015):
        return _wrong("Du har bara räknat serierna där samma sida kom upp alla tre åren för den ena sidan "
                      "(summan 0). Tre i rad åt andra hållet (summan 3) räknas också.")
    if _close(value, 0.75, 0.015):
        return _wrong("Det är andelen serier där det INTE blev samma sida alla tre åren. Vänd på villkoret.")
    return _wrong("Inte rätt än. Samma sida alla tre åren betyder att summan av de tre kasten är 0 eller 3. "
                  "Andelen sant i en kolumn med sant/falskt får du med .mean().")


def fyra_i_rad(svar: object) -> Bedomning:
    """Exercise 3.2: the exact probability that the same sex comes out worse four years in a row by chance."""
    if _is_unanswered(svar):
        return _UNANSWERED
    value = _number(svar)
    if value is None:
        return _not_a_number(svar)
    right = 2 * 0.5 ** 4
    if _close(value, right, 1e-9):
        return _right("Fyra i rad åt samma håll händer i en av åtta serier enbart av slump.")
    if _close(value, 100 * right, 1e-7):
        return _wrong("Det ser ut som procent. Svara med en sannolikhet mellan 0 och 1.")
    if _close(value, 0.5 ** 4, 1e-9):
        return _wrong("Det är sannolikheten för att ett visst kön (t.ex. kvinnor) hamnar sämst fyra år i rad. "
                      "Frågan gäller samma kön, vilket som helst av de två.")
    if _close(value, 2 * 0.5 ** 3, 1e-9) or _close(value, 0.5 ** 3, 1e-9):
        return _wrong("Det gäller tre år. Räkna med fyra år.")
    return _wrong("Inte rätt. Det första året kan bli vad som helst; vart och ett av de följande åren måste bli "
                  "samma som det första.")


def _influence_runs() -> tuple[int, int, int, int]:
    """Municipalities with U21455 for K and M in all of 2018–2020; with women lower all three; men lower all
    three; and with K and M in at least one of the years."""
    table = _kolada()
    rows = table[(table["indikator"] == INFLUENCE) & (table["typ"] == "kommun") & table["år"].isin([2018, 2019, 2020])
                 & table["kön"].isin([Sex.WOMEN, Sex.MEN])]
    wide = rows.pivot_table(index=["kommunkod", "år"], columns="kön", values="värde").dropna()
    wide["lower"] = wide["K"] < wide["M"]
    wide["higher"] = wide["K"] > wide["M"]
    per = wide.groupby(level="kommunkod").agg(years=("lower", "size"), lower=("lower", "sum"), higher=("higher", "sum"))
    full = per[per["years"] == 3]
    return len(full), int((full["lower"] == 3).sum()), int((full["higher"] == 3).sum()), len(per)


def tre_ar_i_rad_kommuner(antal_tre_i_rad: object, antal_kommuner: object) -> Bedomning:
    """Exercise 3.3: how many municipalities had women rating U21455 lower in all of 2018–2020, and of how many."""
    if _is_unanswered(antal_tre_i_rad) or _is_unanswered(antal_kommuner):
        return _UNANSWERED
    runs, total = _number(antal_tre_i_rad), _number(antal_kommuner)
    if runs is None:
        return _not_a_number(antal_tre_i_rad)
    if total is None:
        return _not_a_number(antal_kommuner)
    n, women, men, any_year = _influence_runs()
    total_ok = _close(total, n, 0.5)
    runs_ok = _close(runs, women, 0.5)
    if total_ok and runs_ok:
        return _right("Jämför andelen med vad slumpen skulle ge för ett bestämt kön: en åttondel.")
    if not total_ok:
        if _close(total, any_year, 0.5) and any_year != n:
            return _wrong("antal_kommuner räknar också kommuner som saknar något av åren. Räkna bara kommuner "
                          "med värden alla tre åren (antal_år == 3).")
        return _wrong("antal_kommuner stämmer inte. Räkna raderna i per_kommun där antal_år är 3.")
    if _close(runs, women + men, 0.5):
        return _wrong("Du har räknat tre i rad åt båda hållen. Frågan gäller kommuner där kvinnorna gett lägre "
                      "betyg alla tre åren.")
    if _close(runs, men, 0.5):
        return _wrong("Det är antalet kommuner där männen gett lägre betyg alla tre åren. Frågan gäller kvinnorna.")
    return _wrong("antal_tre_i_rad stämmer inte. Räkna kommunerna där år_kvinnor_lägre är 3.")


def _sign_counts(year: int = 2022) -> tuple[int, int, int]:
    table = _kolada()
    rows = table[(table["indikator"] == INFLUENCE) & (table["typ"] == "kommun") & (table["år"] == year)
                 & table["kön"].isin([Sex.WOMEN, Sex.MEN])]
    wide = rows.pivot_table(index="kommunkod", columns="kön", values="värde").dropna()
    return int((wide["K"] < wide["M"]).sum()), int((wide["K"] > wide["M"]).sum()), int((wide["K"] == wide["M"]).sum())


def teckentest(antal_kvinnor_lagre: object, antal_med_skillnad: object) -> Bedomning:
    """Exercise 3.4: the counts for a sign test on U21455 in 2022 (women lower; municipalities with a difference)."""
    if _is_unanswered(antal_kvinnor_lagre) or _is_unanswered(antal_med_skillnad):
        return _UNANSWERED
    lower, n = _number(antal_kvinnor_lagre), _number(antal_med_skillnad)
    if lower is None:
        return _not_a_number(antal_kvinnor_lagre)
    if n is None:
        return _not_a_number(antal_med_skillnad)
    women_lower, women_higher, ties = _sign_counts()
    if _close(lower, women_lower, 0.5) and _close(n, women_lower + women_higher, 0.5):
        return _right("Kommuner där K och M är lika säger inget om riktningen och räknas bort i ett teckentest.")
    if _close(n, women_lower + women_higher + ties, 0.5):
        return _wrong("antal_med_skillnad räknar också kommuner där kvinnor och män har exakt samma värde. De "
                      "visar ingen riktning: räkna bara kommuner där K och M skiljer sig.")
    if _close(lower, women_higher, 0.5):
        return _wrong("Du har räknat kommunerna där kvinnornas värde är högre. Frågan gäller där det är lägre.")
    if not _close(n, women_lower + women_higher, 0.5):
        return _wrong("antal_med_skillnad stämmer inte: räkna kommunerna där K inte är lika med M.")
    return _wrong("antal_kvinnor_lagre stämmer inte: räkna kommunerna där K är mindre än M.")


# -- lesson 4: compare with others -----------------------------------------------------------------

def _group_codes() -> list[str]:
    return list(kursdata.liknande_kommuner(KARLSTAD)["kommunkod"])


def kvinnor_i_gruppen(tabell: object) -> Bedomning:
    """Exercise 4.1: the women's waiting times 2022 in Karlstad's group "Liknande kommuner äldreomsorg"."""
    problem = _table_problem(tabell, "kvinnor_grupp", ["kommunkod", "indikator", "år", "kön", "värde"])
    if problem is not None:
        return problem
    assert isinstance(tabell, pd.DataFrame)
    truth = _rows(_group_codes(), WAITING, 2022, Sex.WOMEN)
    if _same_rows(tabell, truth):
        return _right(f"Bara {len(truth)} av gruppens {len(_group_codes())} kommuner har ett värde för kvinnor 2022. "
                      "Tänk på det när du räknar medelvärden.")
    if KARLSTAD in set(tabell["kommunkod"].astype(str)):
        return _wrong("Karlstad är med i tabellen. Gruppen är kommunerna Karlstad jämförs med; Karlstad själv "
                      "ska inte räknas in.")
    hint = _extra_rows_hint(tabell, {"kommunkod": _group_codes(), "indikator": WAITING, "år": 2022, "kön": Sex.WOMEN})
    if hint is not None:
        return hint
    return _wrong("Tabellen saknar några av gruppens kommuner. Använd .isin(grupp[\"kommunkod\"]) för kommunkoden.")


def medel_och_median(medel: object, median: object) -> Bedomning:
    """Exercise 4.2: the mean and the median of the group's women's waiting times 2022."""
    if _is_unanswered(medel) or _is_unanswered(median):
        return _UNANSWERED
    mean_value, median_value = _number(medel), _number(median)
    if mean_value is None:
        return _not_a_number(medel)
    if median_value is None:
        return _not_a_number(median)
    values = _rows(_group_codes(), WAITING, 2022, Sex.WOMEN)["värde"]
    right_mean, right_median = float(values.mean()), float(values.median())
    if _close(mean_value, right_mean, 0.01) and _close(median_value, right_median, 0.01):
        return _right("Medelvärdet och medianen skiljer sig mycket åt: en enda kommun med lång väntetid drar upp "
                      "medelvärdet, men inte medianen.")
    if _close(mean_value, right_median, 0.01) and _close(median_value, right_mean, 0.01):
        return _wrong("Medelvärdet och medianen har bytt plats. .mean() ger medelvärdet, .median() medianen.")
    with_karlstad = pd.concat([values, pd.Series([_value(KARLSTAD, WAITING, 2022, Sex.WOMEN)])])
    if _close(mean_value, float(with_karlstad.mean()), 0.01) or _close(median_value, float(with_karlstad.median()), 0.01):
        return _wrong("Karlstads eget värde verkar vara med. Räkna bara på gruppens kommuner.")
    all_sexes = _rows(_group_codes(), WAITING, 2022)["värde"]
    if _close(mean_value, float(all_sexes.mean()), 0.01):
        return _wrong("Medelvärdet blandar in männens värden eller totalen. Räkna bara på kvinnornas rader.")
    if _close(mean_value, right_mean, 0.01):
        return _wrong("Medelvärdet stämmer, men inte medianen. Medianen är det mittersta värdet: .median().")
    return _wrong("Medelvärdet stämmer inte. Använd kolumnen värde i tabellen kvinnor_grupp: .mean().")


_DIRECTIONS = {"över": "över", "ovanför": "över", "högre": "över", "under": "under", "nedanför": "under",
               "lägre": "under"}


def over_eller_under(jamfort_med_medel: object, jamfort_med_median: object) -> Bedomning:
    """Exercise 4.3: is Karlstad's women's waiting time 2022 above or below the group's mean and median?"""
    if _is_unanswered(jamfort_med_medel) or _is_unanswered(jamfort_med_median):
        return _UNANSWERED
    answers = [_DIRECTIONS.get(str(a).strip().lower()) for a in (jamfort_med_medel, jamfort_med_median)]
    if None in answers:
        return _wrong('Svara med "över" eller "under".')
    values = _rows(_group_codes(), WAITING, 2022, Sex.WOMEN)["värde"]
    own = _value(KARLSTAD, WAITING, 2022, Sex.WOMEN)
    right = ["över" if own > values.mean() else "under", "över" if own > values.median() else "under"]
    if answers == right:
        return _right("Samma värde ligger under medelvärdet men över medianen. Vilket mått du väljer avgör "
                      "vilken slutsats läsaren drar, så skriv ut vilket du använt.")
    if answers[0] == answers[1]:
        return _wrong("Du har svarat likadant för båda. Jämför Karlstads värde med medel och median var för sig: "
                      "de ligger inte på samma sida.")
    return _wrong("Båda svaren är omvända. Är Karlstads värde större eller mindre än medelvärdet? Än medianen?")


def diagram_grupp(diagram: object) -> Bedomning:
    """Exercise 4.4: a bar chart of the women's waiting times 2022 per municipality (group and Karlstad)."""
    problem, spec = _chart_spec(diagram)
    if problem is not None:
        return problem
    fields = {_field(spec, c)[0] for c in ("x", "y")}
    if _mark(spec) not in ("bar", "point", "circle", "tick"):
        return _wrong(f"Diagrammet är av typen {_mark(spec) or 'okänd'}. Jämförelser mellan kommuner visas bäst "
                      "med staplar: mark_bar().")
    if fields != {"kommun", "värde"}:
        return _wrong('Ena axeln ska vara kolumnen "kommun" och den andra kolumnen "värde".')
    rows = _chart_rows(spec)
    if not rows.empty and "kön" in rows.columns and set(rows["kön"]) != {Sex.WOMEN}:
        return _wrong("Diagrammets data har andra kön än kvinnor. Använd tabellen jamforelse.")
    if not rows.empty and "kommunkod" in rows.columns and KARLSTAD not in set(rows["kommunkod"].astype(str)):
        return _wrong("Karlstad saknas i diagrammet. Använd tabellen jamforelse, där Karlstad finns med.")
    return _right("Staplarna visar spridningen i gruppen, och att en kommun sticker ut.")


# -- lesson 5: the checklist tables --------------------------------------------------------------

_OCCASIONS = ["Uppstart", "Träff 1", "Träff 2", "Träff 3"]


def avrundningsgrans(grans: object) -> Bedomning:
    """Exercise 5.1: how far the sum of ten printed means can be from a printed total through rounding alone."""
    if _is_unanswered(grans):
        return _UNANSWERED
    value = _number(grans)
    if value is None:
        return _not_a_number(grans)
    # Ten parts, each up to 0.05 from its true value, and the printed total itself up to 0.05 from its own.
    if _close(value, 10 * 0.05 + 0.05, 1e-9):
        return _right("Tio avrundade delar kan tillsammans vara fel med upp till 0,5, och totalen själv med 0,05.")
    if _close(value, 10 * 0.05, 1e-9):
        return _wrong("Nästan: du har räknat med de tio momenten. Men totalen är också avrundad till en decimal.")
    if _close(value, 0.05, 1e-9):
        return _wrong("Det är felet i ett enda avrundat värde. Summan har tio avrundade delar.")
    if _close(value, 0.1, 1e-9):
        return _wrong("Ett värde avrundat till en decimal kan vara fel med högst en halv decimal, alltså 0,05, "
                      "inte 0,1.")
    return _wrong("Inte rätt. Hur långt från det sanna värdet kan ett tal avrundat till en decimal ligga? "
                  "Hur många sådana tal finns i summan, och vad gäller för totalen?")


@lru_cache(maxsize=2)
def _published(number: int) -> pd.DataFrame:
    from jamlib.ingest.published import read_published

    name = {1: "published/skr_2020_2022_tabell_1_deltagare.csv", 2: "published/skr_2020_2022_tabell_2_mentorer.csv"}
    return read_published(kursdata.sokvag(name[number]))


def _published_sums(number: int) -> dict[str, float]:
    table = _published(number)
    moments = table[table["moment"].notna()]
    columns = {"Uppstart": "uppstart", "Träff 1": "träff 1", "Träff 2": "träff 2", "Träff 3": "träff 3"}
    return {shown: round(float(moments[column].sum()), 6) for shown, column in columns.items()}


def summor_tabell2(summor2: object) -> Bedomning:
    """Exercise 5.2: the sum of the ten printed moment means in Tabell 2, per occasion."""
    if _is_unanswered(summor2):
        return _UNANSWERED
    if isinstance(summor2, pd.DataFrame) and len(summor2) == 1:
        summor2 = summor2.iloc[0]
    if not isinstance(summor2, (pd.Series, dict)):
        return _wrong(f"Svaret ska vara en Series med en summa per tillfälle (tabell[kolumner].sum()), men är "
                      f"{type(summor2).__name__}.")
    got = dict(summor2)
    missing = [o for o in _OCCASIONS if o not in got]
    if missing:
        return _wrong("Summan saknas för " + ", ".join(missing) + ". Summera kolumnerna Uppstart, Träff 1, "
                      "Träff 2 och Träff 3.")
    if any(isinstance(got[o], str) for o in _OCCASIONS):
        return _wrong('Summorna är text: talen lästes in som text. Läs filen med decimal="," så att 2,5 blir ett tal.')
    values = {o: _number(got[o]) for o in _OCCASIONS}
    if any(v is None for v in values.values()):
        return _wrong("Några summor är inte tal. Läs filen med sep=\";\" och decimal=\",\".")
    right = _published_sums(2)
    if all(_close(values[o], right[o], 1e-6) for o in _OCCASIONS):
        return _right("Det är summorna av de tryckta momentvärdena. Jämför dem nu med raden Totalt.")
    printed_total = _published(2)
    total_row = printed_total[printed_total["moment"].isna()].iloc[0]
    columns = {"Uppstart": "uppstart", "Träff 1": "träff 1", "Träff 2": "träff 2", "Träff 3": "träff 3"}
    if all(_close(values[o], right[o] + float(total_row[columns[o]]), 1e-6) for o in _OCCASIONS):
        return _wrong("Summorna är ungefär dubbelt så stora som de borde: raden Totalt är med i summan. "
                      'Ta bort den först (tabell2["Moment"] != "Totalt").')
    return _wrong("Summorna stämmer inte. Summera bara de tio momentraderna, kolumn för kolumn.")


def _change_misfits(number: int) -> list[int]:
    """Moments whose printed +/- differs from printed Träff 3 − Uppstart by more than rounding allows (3 × 0.05)."""
    table = _published(number)
    moments = table[table["moment"].notna()]
    gap = (moments["change"] - (moments["träff 3"] - moments["uppstart"])).abs()
    return sorted(int(m) for m in moments.loc[gap > 0.15 + 1e-9, "moment"])


def _change_differences(number: int) -> list[int]:
    table = _published(number)
    moments = table[table["moment"].notna()]
    gap = (moments["change"] - (moments["träff 3"] - moments["uppstart"])).abs()
    return sorted(int(m) for m in moments.loc[gap > 1e-9, "moment"])


def _moment_list(answer: object) -> list[int] | None:
    if isinstance(answer, (pd.Series, pd.Index)):
        answer = list(answer)
    if isinstance(answer, (int, float)) and not isinstance(answer, bool):
        answer = [answer]
    if not isinstance(answer, (list, tuple, set)):
        return None
    out = []
    for item in answer:
        number = _number(item)
        if number is None or not float(number).is_integer():
            return None
        out.append(int(number))
    return sorted(set(out))


def tryckfel(fel_tabell1: object, fel_tabell2: object) -> Bedomning:
    """Exercise 5.3: the moments whose printed +/- cannot be explained by rounding, in Tabell 1 and in Tabell 2."""
    if _is_unanswered(fel_tabell1) or _is_unanswered(fel_tabell2):
        return _UNANSWERED
    first, second = _moment_list(fel_tabell1), _moment_list(fel_tabell2)
    if first is None or second is None:
        return _wrong("Svara med listor av momentnummer, t.ex. [2, 7], eller [] om inget moment är fel.")
    right1, right2 = _change_misfits(1), _change_misfits(2)
    if first == right1 and second == right2:
        return _right("Bara ett moment har en förändring som avrundning inte kan förklara. Nu: vilket tryckt "
                      "värde kan vara fel?")
    if first != right1 and set(first) <= set(_change_differences(1)):
        return _wrong("Tabell 1: de moment du valt skiljer sig med 0,1 eller mindre. Tre avrundade tal kan "
                      "tillsammans ge en sådan skillnad, så det är inga tryckfel. Använd gränsen 0,15.")
    if first != right1:
        return _wrong("Tabell 1 stämmer inte. Räkna avvikelsen = +/- − (Träff 3 − Uppstart) och välj moment där "
                      "den är större än 0,15 (utan tecken).")
    if not second:
        return _wrong("Tabell 2 har minst ett moment där förändringen inte går ihop. Titta på kolumnen avvikelse.")
    return _wrong("Tabell 2 stämmer inte helt. Välj bara moment där avvikelsen (utan tecken) är större än 0,15.")


def mojliga_medelvarden(svar: object) -> Bedomning:
    """Exercise 5.4: every mean four municipalities can get when each scores one moment in whole points 1–4."""
    if _is_unanswered(svar):
        return _UNANSWERED
    if isinstance(svar, (pd.Series, pd.Index, tuple, set)):
        svar = list(svar)
    if not isinstance(svar, list):
        return _wrong(f"Svaret ska vara en lista med tal, men är {type(svar).__name__}.")
    values = [_number(v) for v in svar]
    if any(v is None for v in values):
        return _wrong("Alla element i listan ska vara tal.")
    got = sorted(set(round(v, 9) for v in values))  # type: ignore[arg-type]
    sums = range(4 * 1, 4 * 4 + 1)  # four municipalities, 1–4 points each
    right = [s / 4 for s in sums]
    if got == right:
        return _right("Med fyra kommuner och hela poäng går medelvärdet i steg om 0,25. Ett tryckt 2,4 kan "
                      "alltså inte komma från fyra hela poäng.")
    if got == right[:-1]:
        return _wrong("Det högsta medelvärdet saknas. range(start, stopp) tar inte med stopp: öka stoppvärdet med ett.")
    if got == right[1:]:
        return _wrong("Det lägsta medelvärdet saknas. Den lägsta summan är 4 (alla fyra ger 1 poäng).")
    if got == [float(v) for v in range(1, 5)]:
        return _wrong("Det är de möjliga poängen för en kommun. Medelvärdet av fyra kommuner kan också hamna "
                      "mellan hela tal: summan av fyra poäng delat med 4.")
    return _wrong("Inte rätt. Summan av fyra poäng kan vara allt från 4 till 16; medelvärdet är summan delat med 4.")


# -- lesson 6: from analysis to decision ---------------------------------------------------------

@lru_cache(maxsize=1)
def _results_chain() -> pd.DataFrame:
    from jamlib.ingest.validation import load

    return load(kursdata.sokvag("results_chain/modellkonceptet_2020_2022_resultatkedja.csv"), "results_chain",
                errors="raise").data


def karlstads_kedja(karlstad_per_niva: object) -> Bedomning:
    """Exercise 6.1: the number of Karlstad's achieved entries (Status uppnådd) at each level of the results chain."""
    if _is_unanswered(karlstad_per_niva):
        return _UNANSWERED
    if isinstance(karlstad_per_niva, pd.DataFrame) and karlstad_per_niva.shape[1] == 1:
        karlstad_per_niva = karlstad_per_niva.iloc[:, 0]
    if not isinstance(karlstad_per_niva, (pd.Series, dict)):
        return _wrong(f"Svaret ska vara en räkning per nivå (.value_counts()), men är {type(karlstad_per_niva).__name__}.")
    got = {str(k): _number(v) for k, v in dict(karlstad_per_niva).items() if _number(v)}
    chain = _results_chain()

    def counts(rows: pd.DataFrame) -> dict[str, float]:
        return {str(k): float(v) for k, v in rows["level"].value_counts().items()}

    own = chain[chain["org_code"] == KARLSTAD]
    if got == counts(own[own["status"] == ChainStatus.ACHIEVED]):
        return _right("Karlstad har uppnått aktiviteter och nya produkter. Arbetssättet och de fem utfallen är "
                      "planerade: förbättrade utfall har ännu inte kunnat visas.")
    if not got:
        return _empty_table_hint()
    if got == counts(chain):
        return _wrong("Du har räknat alla organisationers poster. Filtrera först fram Karlstads rader.")
    if got == counts(own):
        return _wrong("Du har räknat med Karlstads planerade poster också. Ta bara med dem vars Status är "
                      "\"uppnådd\".")
    if got == counts(chain[chain["status"] == ChainStatus.ACHIEVED]):
        return _wrong("Du har räknat alla organisationers uppnådda poster. Filtrera också på Karlstads kommunkod.")
    return _wrong("Räkningen stämmer inte. Filtrera Karlstads rader (Kommunkod \"1780\") med Status \"uppnådd\" "
                  "och räkna kolumnen Nivå med .value_counts().")


#: Exercise 6.2's examples and where the SKR report puts them. The first three are rows of the bundled
#: results chain (titles as there); the fourth is the report's own example of a changed outcome
#: ("uppföljningen av beviljad hemtjänst visar att fördelningen av hemtjänsttimmar har blivit mer jämställd").
_CHAIN_EXAMPLES = {
    "e-utbildning": ("title", "E-utbildning om våld i nära relationer"),
    "mall": ("title", "Ny mall för tjänsteskrivelser"),
    "checklistan används": ("title", "Checklistan för jämställda beslut används"),
    "hemtjänsttimmar": ("level", "nytt/ändrat utfall"),
}

_CHAIN_HINTS = {
    ("aktivitet", "ny/ändrad produkt"): "En produkt (mall, policy, plan) finns kvar efter att den tagits fram och "
                                        "föregås ofta av ett beslut; en aktivitet är en avgränsad insats.",
    ("ny/ändrad produkt", "aktivitet"): "En utbildning är en avgränsad insats under en viss tid, inte något som "
                                        "finns kvar som en mall eller policy.",
    ("ny/ändrad produkt", "nytt arbetssätt"): "Att något används i det dagliga arbetet är mer än att det har tagits "
                                              "fram: då har arbetssättet ändrats.",
    ("nytt arbetssätt", "ny/ändrad produkt"): "En mall som just tagits fram är en produkt; ett arbetssätt är när "
                                              "verksamheten faktiskt arbetar på ett nytt sätt.",
    ("nytt arbetssätt", "nytt/ändrat utfall"): "Ett utfall är en förändring för brukarna eller invånarna, som "
                                               "fördelningen av hemtjänsttimmar mellan kvinnor och män.",
    ("samhällseffekt", "nytt/ändrat utfall"): "En samhällseffekt är när de jämställdhetspolitiska målen nås; en "
                                              "ändrad fördelning i en verksamhet är ett utfall.",
}


def _chain_truth() -> dict[str, str]:
    chain = _results_chain()
    truth = {}
    for key, (kind, text) in _CHAIN_EXAMPLES.items():
        truth[key] = text if kind == "level" else str(chain.loc[chain["title"] == text, "level"].iloc[0])
    return truth


def resultatkedjans_steg(svar: object) -> Bedomning:
    """Exercise 6.2: the level of the results chain for each of four examples from the SKR report."""
    from jamlib.schemas import RESULTS_CHAIN

    if _is_unanswered(svar):
        return _UNANSWERED
    if not isinstance(svar, dict):
        return _wrong(f"Svaret ska vara en ordlista {{exempel: steg}}, men är {type(svar).__name__}.")
    truth = _chain_truth()
    if all(_is_unanswered(svar.get(k)) for k in truth):
        return _UNANSWERED
    labels = RESULTS_CHAIN.column("level").labels or {}
    given = {k: labels.get(str(svar.get(k, "")).strip().lower()) for k in truth}
    unclear = [k for k, v in given.items() if v is None]
    if unclear:
        return _wrong("Skriv stegen som i kedjan: aktivitet, ny/ändrad produkt, nytt arbetssätt, nytt/ändrat "
                      "utfall eller samhällseffekt. Oklart för: " + ", ".join(unclear) + ".")
    wrong = [k for k in truth if given[k] != truth[k]]
    if not wrong:
        return _right("Kedjan går från det organisationen gör (aktivitet, produkt, arbetssätt) till vad det "
                      "betyder för kvinnor och män (utfall) och för samhället (effekt).")
    first = wrong[0]
    hint = _CHAIN_HINTS.get((given[first], truth[first]), "Läs definitionerna av stegen ovanför igen.")
    return _wrong(f"{len(wrong)} av {len(truth)} är fel, bland annat \"{first}\". {hint}")


_NUMBER = re.compile(r"(?<![\w,.])(\d+(?:[.,]\d+)?)(?![\w])")
_UNTESTED_CLAIMS = ("signifikant", "säkerställ", "bevisa", "statistiskt")


def konsekvensbeskrivning(text: object) -> Bedomning:
    """Exercise 6.3: a short consequence description by sex, every number in it from Karlstad's waiting times.

    The text must speak of both women and men, name a year, contain at least one
    number, and every number that is not a year or a small count must be one of
    Karlstad's waiting times (K, M or T, any year) or a difference between women's
    and men's in the same year. It must not claim a statistical test that was not done.
    """
    if _is_unanswered(text):
        return _UNANSWERED
    if not isinstance(text, str):
        return _wrong(f"Svaret ska vara text (inom citattecken), men är {type(text).__name__}.")
    plain = text.strip()
    if plain in ("", "..."):
        return _UNANSWERED
    if len(plain) < 60 or "..." in plain:
        return _wrong("Texten är för kort eller har kvar ... . Skriv två eller tre meningar.")
    lower = plain.lower()
    if "kvinn" not in lower or not re.search(r"\bmän(?:s|nen|nens)?\b", lower):
        return _wrong("En konsekvensbeskrivning utifrån kön ska säga något om både kvinnor och män.")
    if any(word in lower for word in _UNTESTED_CLAIMS):
        return _wrong("Texten påstår något om statistisk säkerhet. Antalet ansökningar finns inte i data, så "
                      "ingen sådan prövning har gjorts: beskriv skillnaden utan att kalla den säkerställd.")
    rows = _rows(KARLSTAD, WAITING)
    wide = rows.pivot_table(index="år", columns="kön", values="värde")
    allowed = set(rows["värde"].round(1))
    if {"K", "M"} <= set(wide.columns):
        allowed |= set((wide["K"] - wide["M"]).abs().dropna().round(1))
    years = set(rows["år"])
    found = [float(n.replace(",", ".")) for n in _NUMBER.findall(plain)]
    if not any(int(n) in years for n in found if n.is_integer()):
        return _wrong("Ange vilket år siffrorna gäller, t.ex. \"År 2021 väntade ...\".")
    figures = [n for n in found if not (n.is_integer() and (int(n) in years or n <= 10))]
    if not figures:
        return _wrong("Texten har inga siffror. Ta med kvinnornas och männens väntetid i dagar.")
    unknown = [n for n in figures if round(n, 1) not in allowed]
    if unknown:
        return _wrong(f"Talet {format_decimal(unknown[0], 1 if not unknown[0].is_integer() else 0)} finns inte "
                      "bland Karlstads väntetider eller skillnaderna mellan kvinnor och män. Varje siffra i ett "
                      "beslutsunderlag ska gå att hitta i data.")
    return _right("Texten nämner både kvinnor och män, och varje siffra finns i Karlstads data. Läs den en gång "
                  "till: följer varje påstående av siffrorna bredvid?")
