"""Representation and resources: who is on stage, who gets the money, and how far from the goal.

The unit of analysis is a *unit*: a festival act, a sponsored team or club, a
staff group, with how many women and men it has (and others who define
themselves as neither) and, optionally, the money paid to it. The file schema
is :data:`jamlib.schemas.REPRESENTATION`.

Classification
--------------
Destination Eskilstuna followed its city festival with Jämställd festival's
model (the Eskilstuna report, section on Destination Eskilstuna): each *act* (a
solo artist or a band; a solo artist's backing band does not count) is
classified by the musicians' self-defined gender:

* **kvinnodominerad** when women are more than half of the act's musicians;
* **mansdominerad** when men are more than half;
* **mixad** otherwise: exactly half women and half men, or musicians who do
  not define themselves as either.

The report's wording ("minst 50 %" for a dominated act, and 50/50 for a mixed
one) contradicts itself at exactly 50 %; jamlib counts 50/50 as mixed, as the
report's definition of a mixed act says. A unit may instead carry its class
directly (column ``klass``), e.g. a sponsored girls' team or an act the source
only reports as women-dominated; a given class wins over the counts, and a
contradiction between them is reported by :func:`check_units`.

Measures
--------
Per organisation and year, :func:`representation_summary` gives

* the share of units in each class, with an exact (Clopper–Pearson) interval:
  with five acts, 4 of 5 is compatible with anything from 28 % to 99 %;
* the share of the money per class (of the units whose amount is known);
* the share of women among the persons counted (women / (women + men)), with
  an exact interval;
* the distance of each from a target the user sets: 50/50 by default, or e.g.
  ESEM's own 30/70 (30 % women).

Gender budgeting (:func:`resources_per_person`) compares resources per woman
and per man (home-care hours, facility time, money) and writes a consequence
sentence for a decision document.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from jamlib.analysis.disclosure import DEFAULT_THRESHOLD, suppression_label
from jamlib.errors import JamlibError, ParameterError
from jamlib.formatting import format_decimal, round_half_up, sentence_start
from jamlib.schemas import FAILURE_COLUMNS, REPRESENTATION
from jamlib.vocabulary import Severity, UnitClass

__all__ = ["classify_act", "classify_acts", "representation_shares", "ACT_CLASSES", "parse_target",
           "exact_interval", "unit_classes", "check_units", "representation_summary", "representation_table",
           "representation_sentences", "unit_shares", "resources_per_person", "resource_sentences"]

#: Classes of acts, in display order.
ACT_CLASSES: tuple[str, ...] = tuple(str(c) for c in UnitClass)

#: Class of a unit whose class is neither given nor computable (no counts).
UNCLASSIFIED = "utan klass"

_NUMBER_WORDS = ("noll", "en", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva", "tolv")
#: Singular, plural and definite plural of the unit types, for sentences.
_FORMS: dict[str, tuple[str, str, str]] = {
    "akt": ("akt", "akter", "akterna"), "lag": ("lag", "lag", "lagen"),
    "förening": ("förening", "föreningar", "föreningarna"), "klubb": ("klubb", "klubbar", "klubbarna"),
    "personalgrupp": ("personalgrupp", "personalgrupper", "personalgrupperna"),
    "grupp": ("grupp", "grupper", "grupperna"), "arbetsgrupp": ("arbetsgrupp", "arbetsgrupper", "arbetsgrupperna"),
    "team": ("team", "team", "teamen"), "enhet": ("enhet", "enheter", "enheterna"),
}
_DEFAULT_FORMS = _FORMS["enhet"]


def _in_words(n: int, none: str = "inga") -> str:
    """Whole numbers up to twelve in words, as Swedish running text writes them; larger ones as digits."""
    if n == 0:
        return none
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)


def _percent(share: float) -> str:
    return f"{format_decimal(share * 100, 0)} %"


def classify_act(women: int, men: int, other: int = 0) -> str:
    """Classify one act by Jämställd festival's rule.

    Parameters
    ----------
    women, men, other
        Number of the act's musicians defining themselves as women, as men, and
        as neither.

    Returns
    -------
    str
        ``"kvinnodominerad"``, ``"mansdominerad"`` or ``"mixad"``.

    Raises
    ------
    JamlibError
        For negative counts or an act without musicians.
    """
    if min(women, men, other) < 0:
        raise JamlibError(f"Antalet musiker kan inte vara negativt (kvinnor {women}, män {men}, övriga {other}).")
    total = women + men + other
    if total == 0:
        raise JamlibError("En akt måste ha minst en musiker.")
    if 2 * women > total:
        return UnitClass.WOMEN.value
    if 2 * men > total:
        return UnitClass.MEN.value
    return UnitClass.MIXED.value


def classify_acts(acts: pd.DataFrame, women: str = "women", men: str = "men", other: str | None = "other") -> pd.DataFrame:
    """Add a ``class`` column to a table of acts.

    Parameters
    ----------
    acts
        One row per act with counts of women and men (and optionally others).
    women, men, other
        Names of the count columns; ``other`` may be missing from the table.

    Returns
    -------
    pandas.DataFrame
        A copy with ``class``.
    """
    out = acts.copy()
    others = out[other] if other is not None and other in out.columns else pd.Series(0, index=out.index)
    out["class"] = [classify_act(int(w), int(m), int(o)) for w, m, o in zip(out[women], out[men], others.fillna(0))]
    return out


def parse_target(value: object) -> float:
    """The target share of women: ``"50/50"`` -> 0.5, ``"30/70"`` -> 0.3, ``"30"`` or ``"30 %"`` -> 0.3, ``0.3`` -> 0.3.

    The first number of a pair is the women's share, as in the Eskilstuna report
    ("30 % kvinnor och 70 % män").

    Raises
    ------
    ParameterError
        When the text is no share between 0 and 100 %, or a pair does not add up to 100.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
        share = number if number <= 1 else number / 100
    else:
        text = str(value if value is not None else "").strip().replace(",", ".").replace("%", "").replace(" ", "")
        parts = [p for p in re.split(r"[/:]", text) if p]
        try:
            numbers = [float(p) for p in parts]
        except ValueError:
            numbers = []
        if len(numbers) == 2 and math.isclose(sum(numbers), 100):
            share = numbers[0] / 100
        elif len(numbers) == 1:
            share = numbers[0] if numbers[0] <= 1 and "." in text else numbers[0] / 100
        else:
            raise ParameterError(f"Målet {value!r} förstås inte. Skriv andelen kvinnor och män, t.ex. 50/50 eller 30/70.")
    if not 0 <= share <= 1 or math.isnan(share):
        raise ParameterError(f"Målet {value!r} ska vara en andel mellan 0 och 100 %.")
    return share


def exact_interval(successes: int, total: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact (Clopper–Pearson) interval for a share of counted units or persons.

    Returns
    -------
    tuple of float
        Lower and upper limit as shares; ``(nan, nan)`` when ``total`` is 0.
    """
    if total <= 0:
        return math.nan, math.nan
    from scipy import stats  # here, not at the top: importing scipy.stats costs more than pandas

    ci = stats.binomtest(int(successes), int(total)).proportion_ci(confidence_level=confidence, method="exact")
    return float(ci.low), float(ci.high)


def _number(value: object) -> float | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def unit_classes(units: pd.DataFrame) -> pd.Series:
    """Each unit's class: the given ``unit_class``, else Jämställd festival's rule on the counts, else ``"utan klass"``."""
    given = units["unit_class"] if "unit_class" in units.columns else pd.Series([None] * len(units), index=units.index)
    out = []
    for index, row in units.iterrows():
        cls = given[index]
        if cls is not None and not (isinstance(cls, float) and math.isnan(cls)) and str(cls):
            out.append(str(cls))
            continue
        women, men, other = (_number(row.get(c)) for c in ("women", "men", "other"))
        if women is None and men is None:
            out.append(UNCLASSIFIED)
            continue
        total = (women or 0) + (men or 0) + (other or 0)
        out.append(classify_act(int(women or 0), int(men or 0), int(other or 0)) if total else UNCLASSIFIED)
    return pd.Series(out, index=units.index, dtype=object)


def check_units(units: pd.DataFrame) -> pd.DataFrame:
    """Cross-row checks of a representation file, as a failure table (:data:`jamlib.schemas.FAILURE_COLUMNS`).

    Rules (severity ``varning``: the rows are kept):

    - ``klass_saknas``: a unit has neither a class nor counts of women and men, so it
      counts among the units but in no class;
    - ``klass_motsäger_antal``: the given class differs from what the counts give.
    """
    display = {c.name: c.display for c in REPRESENTATION.columns}
    computed = unit_classes(units.drop(columns=["unit_class"], errors="ignore"))
    rows = []
    for index, row in units.iterrows():
        given = row.get("unit_class")
        given = None if given is None or (isinstance(given, float) and math.isnan(given)) else str(given)
        source_row = row.get("source_row")
        where = {"file": row.get("source_file"),
                 "row": None if source_row is None or pd.isna(source_row) else int(source_row)}
        name = f"{row['org_name']} {row['period']}, {row['unit_name']}"
        if given is None and computed[index] == UNCLASSIFIED:
            rows.append({**where, "column": display["unit_class"], "value": None, "rule": "klass_saknas",
                         "severity": Severity.WARNING,
                         "message": f"{name}: varken klass eller antal kvinnor och män anges. Enheten räknas bland "
                                    "enheterna men i ingen klass."})
        elif given is not None and computed[index] not in (UNCLASSIFIED, given):
            rows.append({**where, "column": display["unit_class"], "value": given, "rule": "klass_motsäger_antal",
                         "severity": Severity.WARNING,
                         "message": f"{name}: klassen {given} stämmer inte med antalen (de ger {computed[index]}). "
                                    "Den angivna klassen används."})
    out = pd.DataFrame(rows, columns=FAILURE_COLUMNS)
    out["row"] = out["row"].astype("Int64")
    return out


def _class_rows(units: pd.DataFrame, classes: pd.Series, amount: str | None) -> list[dict]:
    total_count = len(units)
    amounts = units[amount].map(_number) if amount else None
    known = amounts.dropna() if amounts is not None else None
    total_amount = float(known.sum()) if known is not None and len(known) else math.nan
    order = [*ACT_CLASSES, UNCLASSIFIED]
    present = [c for c in order if (classes == c).any()] + [c for c in pd.unique(classes) if c not in order]
    rows = []
    for cls in present:
        mask = classes == cls
        row = {"class": cls, "count": int(mask.sum()), "share_of_count": int(mask.sum()) / total_count}
        if amounts is not None:
            part = amounts[mask].dropna()
            row["amount"] = float(part.sum()) if len(part) else math.nan
            row["share_of_amount"] = row["amount"] / total_amount if total_amount else math.nan
        rows.append(row)
    return rows


def representation_shares(units: pd.DataFrame, by: str = "class", amount: str | None = None,
                          women_class: str = "kvinnodominerad", men_class: str = "mansdominerad") -> pd.DataFrame:
    """Share of units (and of money) per class, and the distance from 50/50.

    Parameters
    ----------
    units
        One row per unit (act, person, team), with the class in ``by``.
    by
        The class column.
    amount
        Column with money (fee, salary, sponsorship), when given.
    women_class, men_class
        The classes compared with the 50/50 goal.

    Returns
    -------
    pandas.DataFrame
        One row per class: ``count``, ``share_of_count`` (0–1) and, with
        ``amount``, ``amount`` and ``share_of_amount``; then a row ``"balans"``
        whose shares are the women's class's share of (women's + men's classes)
        and whose ``distance_from_50_50`` is that share minus 0.5 in percentage
        points (positive: more to the women's class). For another target and for
        files in jamlib's representation format, see :func:`representation_summary`.
    """
    if units.empty:
        raise JamlibError("Det finns inga enheter att räkna på.")
    rows = [{by: r.pop("class"), **r} for r in _class_rows(units, units[by], amount)]
    women = units[units[by] == women_class]
    men = units[units[by] == men_class]
    balance = {by: "balans", "count": len(women) + len(men)}
    balance["share_of_count"] = len(women) / balance["count"] if balance["count"] else float("nan")
    balance["distance_from_50_50"] = (balance["share_of_count"] - 0.5) * 100
    if amount:
        pair = float(women[amount].sum() + men[amount].sum())
        balance["amount"] = pair
        balance["share_of_amount"] = float(women[amount].sum()) / pair if pair else float("nan")
        balance["distance_from_50_50_amount"] = (balance["share_of_amount"] - 0.5) * 100
    rows.append(balance)
    return pd.DataFrame(rows)


_SUMMARY_COLUMNS = [
    "org_name", "period", "unit_type", "units", "women_class", "men_class", "mixed", "unclassified",
    "share_women_class", "low_women_class", "high_women_class", "share_men_class",
    "amount_known_units", "amount", "amount_women_class", "amount_men_class", "share_amount_women_class",
    "share_amount_men_class", "persons_women", "persons_men", "persons_other", "share_women_persons",
    "low_women_persons", "high_women_persons", "persons_hidden", "threshold", "target", "confidence",
    "distance_units", "distance_amount", "distance_persons",
]


def _unit_type(types: pd.Series) -> str:
    """The common type of a group's units (``"akt"``), or ``""`` when they differ or none is given."""
    names = {str(t).strip().lower() for t in types.dropna() if str(t).strip()}
    return names.pop() if len(names) == 1 else ""


def representation_summary(units: pd.DataFrame, target: object = 0.5, confidence: float = 0.95,
                           threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Shares per class, of money and of persons, with exact intervals and the distance to a target.

    Parameters
    ----------
    units
        Validated rows of :data:`jamlib.schemas.REPRESENTATION` (one per unit).
    target
        The women's target share: ``0.5`` (default, 50/50), ``"30/70"`` or ``30``; see :func:`parse_target`.
    confidence
        Level of the exact intervals.

    Returns
    -------
    pandas.DataFrame
        One row per organisation and year (shares between 0 and 1, distances in percentage points,
        positive when the women's side is above the target):

        - ``unit_type``: the units' common type (``"akt"``), or ``""``;
        - ``units``, ``women_class``, ``men_class``, ``mixed``, ``unclassified``: units per class;
          ``share_women_class`` (of all units) with ``low_``/``high_women_class``, ``share_men_class``;
        - ``amount_known_units`` (units whose amount is known), ``amount``, ``amount_women_class``,
          ``amount_men_class``, ``share_amount_women_class``, ``share_amount_men_class`` (of the known amount);
        - ``persons_women``, ``persons_men``, ``persons_other`` (sums of the counts) and
          ``share_women_persons`` = women / (women + men) with ``low_``/``high_women_persons``; only
          when the units are of one type (or none is given): staff groups add up to the staff, but a
          board, its staff and its users do not add up to anything (see :func:`unit_shares`);
          ``persons_hidden`` is true when women or men are fewer than ``threshold`` (disclosure
          control, :mod:`jamlib.analysis.disclosure`): the person measures are then empty;
        - ``target``, ``distance_units``, ``distance_amount``, ``distance_persons``.

    Raises
    ------
    JamlibError
        When there are no units.
    """
    if units.empty:
        raise JamlibError("Det finns inga enheter att räkna på.")
    goal = parse_target(target)
    classes = unit_classes(units)
    rows = []
    for (org, period), group in units.groupby(["org_name", "period"], sort=True):
        cls = classes[group.index]
        n = len(group)
        counts = {c: int((cls == c).sum()) for c in (*ACT_CLASSES, UNCLASSIFIED)}
        low, high = exact_interval(counts[UnitClass.WOMEN], n, confidence)
        amounts = group["amount"].map(_number) if "amount" in group.columns else pd.Series(dtype=float)
        known = amounts.dropna()
        total = float(known.sum()) if len(known) else math.nan
        amount_women = float(amounts[cls == UnitClass.WOMEN].dropna().sum()) if len(known) else math.nan
        amount_men = float(amounts[cls == UnitClass.MEN].dropna().sum()) if len(known) else math.nan
        persons = {c: group[c].map(_number).dropna().sum() if c in group.columns else 0.0 for c in ("women", "men", "other")}
        types = {str(t).strip().lower() for t in group.get("unit_type", pd.Series(dtype=object)).dropna() if str(t).strip()}
        has_persons = len(types) <= 1 and any(group[c].map(_number).notna().any() for c in ("women", "men")
                                              if c in group.columns)
        hidden = has_persons and min(persons["women"], persons["men"]) < threshold
        if hidden:  # disclosure control: a count of fewer persons than the threshold is never shown
            has_persons = False
        both = persons["women"] + persons["men"]
        share_persons = persons["women"] / both if has_persons and both else math.nan
        p_low, p_high = (exact_interval(int(persons["women"]), int(both), confidence)
                         if has_persons and both and float(both).is_integer() and float(persons["women"]).is_integer()
                         else (math.nan, math.nan))
        share_units = counts[UnitClass.WOMEN] / n
        share_amount = amount_women / total if total else math.nan
        rows.append({
            "org_name": org, "period": period,
            "unit_type": _unit_type(group["unit_type"]) if "unit_type" in group.columns else "",
            "units": n, "women_class": counts[UnitClass.WOMEN], "men_class": counts[UnitClass.MEN],
            "mixed": counts[UnitClass.MIXED], "unclassified": counts[UNCLASSIFIED],
            "share_women_class": share_units, "low_women_class": low, "high_women_class": high,
            "share_men_class": counts[UnitClass.MEN] / n,
            "amount_known_units": int(len(known)), "amount": total, "amount_women_class": amount_women,
            "amount_men_class": amount_men, "share_amount_women_class": share_amount,
            "share_amount_men_class": amount_men / total if total else math.nan,
            "persons_women": float(persons["women"]) if has_persons else math.nan,
            "persons_men": float(persons["men"]) if has_persons else math.nan,
            "persons_other": float(persons["other"]) if has_persons else math.nan,
            "share_women_persons": share_persons, "low_women_persons": p_low, "high_women_persons": p_high,
            "persons_hidden": bool(hidden), "threshold": threshold, "target": goal, "confidence": confidence,
            "distance_units": (share_units - goal) * 100,
            "distance_amount": (share_amount - goal) * 100 if not math.isnan(share_amount) else math.nan,
            "distance_persons": (share_persons - goal) * 100 if not math.isnan(share_persons) else math.nan,
        })
    return pd.DataFrame(rows, columns=_SUMMARY_COLUMNS)


def representation_table(units: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """A Swedish display table: per organisation, year and class, units, share (exact interval), money and share.

    All three classes are shown, with zero where no unit has them, and ``utan klass`` when some unit lacks one.
    The money columns are left out when no unit has an amount.

    Returns
    -------
    pandas.DataFrame
        Text cells: ``Organisation``, ``År``, ``Klass``, ``Antal``, ``Andel``, ``95 % intervall``
        (at another ``confidence`` the header says so), ``Belopp``, ``Andel av beloppet``.
    """
    classes = unit_classes(units)
    level = format_decimal(confidence * 100, 0)
    rows = []
    for (org, period), group in units.groupby(["org_name", "period"], sort=True):
        n = len(group)
        present = {r["class"]: r for r in _class_rows(group, classes[group.index],
                                                       "amount" if "amount" in group.columns else None)}
        shown = [*ACT_CLASSES, *(c for c in present if c not in ACT_CLASSES)]
        for cls in shown:
            row = present.get(cls, {"class": cls, "count": 0, "share_of_count": 0.0})
            low, high = exact_interval(row["count"], n, confidence)
            amount = row.get("amount", math.nan)
            rows.append({
                "Organisation": org, "År": period, "Klass": row["class"],
                "Antal": f"{row['count']} av {n}", "Andel": _percent(row["share_of_count"]),
                f"{level} % intervall": f"{_percent(low)}–{_percent(high)}",
                "Belopp": "" if math.isnan(amount) else format_decimal(amount, 0),
                "Andel av beloppet": "" if math.isnan(row.get("share_of_amount", math.nan)) else _percent(row["share_of_amount"]),
            })
    table = pd.DataFrame(rows)
    if len(table) and (table["Belopp"] == "").all():
        table = table.drop(columns=["Belopp", "Andel av beloppet"])
    return table


def _distance_text(share: float, goal: float, what: str, interval: str = "") -> str:
    distance = (share - goal) * 100
    shown = f"{_percent(share)}{interval}"
    if round_half_up(abs(distance), 0) == 0:
        return f"{sentence_start(what)} ({shown}) ligger på målets {_percent(goal)}."
    side = "över" if distance > 0 else "under"
    return (f"{sentence_start(what)} ({shown}) ligger {format_decimal(abs(distance), 0)} procentenheter "
            f"{side} målets {_percent(goal)}.")


def representation_sentences(summary: pd.DataFrame) -> list[str]:
    """Swedish sentences for :func:`representation_summary`, each following from the numbers beside it."""
    sentences = []
    for _, r in summary.iterrows():
        one, word, the = _FORMS.get(str(r["unit_type"]), _DEFAULT_FORMS)
        n = int(r["units"])
        goal = float(r["target"])
        head = f"{r['org_name']} {r['period']}: "
        women = int(r["women_class"])
        others = [f"{_in_words(int(r[c]))} {stem if int(r[c]) == 1 else stem + 'e'}" for c, stem in
                  (("men_class", "mansdominerad"), ("mixed", "mixad")) if r[c] or c == "men_class"]
        if r["unclassified"]:
            others.append(f"{_in_words(int(r['unclassified']))} utan klass")
        sentences.append(head + f"{_in_words(women)} av {_in_words(n)} {word} ({_percent(r['share_women_class'])}) "
                         f"{'är kvinnodominerad' if women == 1 else 'är kvinnodominerade'}, "
                         + (", ".join(others[:-1]) + " och " if len(others) > 1 else "") + others[-1] + ".")
        sentences.append(f"Målet är {_percent(goal)} kvinnor och {_percent(1 - goal)} män. "
                         + _distance_text(r["share_women_class"], goal, f"andelen kvinnodominerade {word}"))
        if r["unclassified"]:
            missing = int(r["unclassified"])
            sentences.append(f"Klass saknas i källan för {_in_words(missing)} av de {_in_words(n)} {the}; "
                             f"{'den' if missing == 1 else 'de'} räknas bland alla men i ingen klass.")
        level = format_decimal(float(r["confidence"]) * 100, 0)
        sentences.append(f"Med så få {word} är osäkerheten stor: ett exakt {level} %-intervall för andelen "
                         f"kvinnodominerade är {_percent(r['low_women_class'])}–{_percent(r['high_women_class'])}.")
        if r["amount_known_units"]:
            missing = n - int(r["amount_known_units"])
            text = (f"Av beloppet ({format_decimal(r['amount'], 0)} kr) gick {_percent(r['share_amount_women_class'])} "
                    f"till kvinnodominerade och {_percent(r['share_amount_men_class'])} till mansdominerade {word}. "
                    + _distance_text(r["share_amount_women_class"], goal, "andelen av beloppet till kvinnodominerade"))
            if missing:
                text += f" Beloppet saknas för {_in_words(missing)} av de {_in_words(n)} {the}."
            sentences.append(text)
        else:
            sentences.append(f"Belopp per {one} saknas, så fördelningen av pengarna kan inte beräknas.")
        if r.get("persons_hidden", False):
            sentences.append(f"Antalet kvinnor eller män bland personerna är {suppression_label(int(r['threshold']))}, "
                             "så antal och andel kvinnor visas inte.")
        if not math.isnan(r["share_women_persons"]):
            interval = ("" if math.isnan(r["low_women_persons"]) else
                        f", exakt {level} %-intervall {_percent(r['low_women_persons'])}–{_percent(r['high_women_persons'])}")
            sentences.append(f"Bland personerna är {format_decimal(r['persons_women'], 0)} kvinnor och "
                             f"{format_decimal(r['persons_men'], 0)} män. "
                             + _distance_text(r["share_women_persons"], goal, "andelen kvinnor", interval))
    return sentences


def unit_shares(units: pd.DataFrame, target: object = 0.5, confidence: float = 0.95,
                threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Women and men in each unit on its own (the board, the staff, the users), with exact intervals.

    Returns
    -------
    pandas.DataFrame
        Per unit with counts: ``org_name``, ``period``, ``unit_name``, ``women``, ``men``,
        ``share_women`` (of women and men), ``low``, ``high``, ``distance`` (percentage points from
        the target) and ``text``, a Swedish sentence. Units without counts are left out. When women
        or men are fewer than ``threshold``, the numbers are empty and the sentence says they are hidden.
    """
    goal = parse_target(target)
    rows = []
    for _, u in units.iterrows():
        women, men = _number(u.get("women")), _number(u.get("men"))
        if women is None or men is None or women + men == 0:
            continue
        if min(women, men) < threshold:
            rows.append({"org_name": u["org_name"], "period": u["period"], "unit_name": u["unit_name"],
                         "women": math.nan, "men": math.nan, "share_women": math.nan, "low": math.nan,
                         "high": math.nan, "distance": math.nan,
                         "text": f"{u['unit_name']} ({u['org_name']} {u['period']}): antalet kvinnor eller män är "
                                 f"{suppression_label(threshold)}, så antal och andel visas inte."})
            continue
        share = women / (women + men)
        low, high = (exact_interval(int(women), int(women + men), confidence)
                     if float(women).is_integer() and float(men).is_integer() else (math.nan, math.nan))
        interval = "" if math.isnan(low) else f", exakt {format_decimal(confidence * 100, 0)} %-intervall {_percent(low)}–{_percent(high)}"
        text = (f"{u['unit_name']} ({u['org_name']} {u['period']}): {format_decimal(women, 0)} kvinnor och "
                f"{format_decimal(men, 0)} män. " + _distance_text(share, goal, "andelen kvinnor", interval))
        rows.append({"org_name": u["org_name"], "period": u["period"], "unit_name": u["unit_name"], "women": women,
                     "men": men, "share_women": share, "low": low, "high": high, "distance": (share - goal) * 100,
                     "text": text})
    return pd.DataFrame(rows, columns=["org_name", "period", "unit_name", "women", "men", "share_women", "low", "high",
                                       "distance", "text"])


# --------------------------------------------------------------------------- gender budgeting


def resources_per_person(resources: pd.DataFrame, threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Resources per woman and per man (gender budgeting).

    Parameters
    ----------
    resources
        Validated rows of :data:`jamlib.schemas.RESOURCES`: per organisation, year, resource and sex
        the total amount (hours, kronor, square metres) and the number of persons it went to.

    Returns
    -------
    pandas.DataFrame
        One row per organisation, year and resource with both sexes: ``unit``, ``amount_K``,
        ``persons_K``, ``per_person_K``, the same for ``M``, ``difference`` (per woman − per man),
        ``relative`` (difference / per man) and ``equalising_amount``: how much more the
        sex with less per person would need for equal amounts per person at the same number
        of persons. Rows without both sexes, or with no persons of a sex, are left out. When women
        or men are fewer than ``threshold`` persons, ``hidden`` is true and every number is empty.
    """
    rows = []
    keys = ["org_name", "period", "resource"]
    for (org, period, resource), group in resources.groupby(keys, sort=True):
        by_sex = group.set_index("sex")
        if not {"K", "M"} <= set(by_sex.index):
            continue
        k, m = by_sex.loc["K"], by_sex.loc["M"]
        if not k["persons"] or not m["persons"]:
            continue
        if min(k["persons"], m["persons"]) < threshold:
            rows.append({"org_name": org, "period": period, "resource": resource, "unit": "", "hidden": True,
                         "threshold": threshold,
                         **{c: math.nan for c in ("amount_K", "persons_K", "per_person_K", "amount_M", "persons_M",
                                                  "per_person_M", "difference", "relative", "equalising_amount")}})
            continue
        per_k, per_m = k["amount"] / k["persons"], m["amount"] / m["persons"]
        low_sex = "K" if per_k < per_m else "M"
        gap = abs(per_k - per_m) * (k["persons"] if low_sex == "K" else m["persons"])
        units = group["unit"].dropna() if "unit" in group.columns else pd.Series(dtype=object)
        rows.append({"org_name": org, "period": period, "resource": resource,
                     "unit": str(units.iloc[0]) if len(units) else "",
                     "amount_K": float(k["amount"]), "persons_K": float(k["persons"]), "per_person_K": per_k,
                     "amount_M": float(m["amount"]), "persons_M": float(m["persons"]), "per_person_M": per_m,
                     "difference": per_k - per_m, "relative": (per_k - per_m) / per_m if per_m else math.nan,
                     "equalising_amount": gap if per_k != per_m else 0.0, "hidden": False, "threshold": threshold})
    return pd.DataFrame(rows, columns=["org_name", "period", "resource", "unit", "amount_K", "persons_K", "per_person_K",
                                       "amount_M", "persons_M", "per_person_M", "difference", "relative",
                                       "equalising_amount", "hidden", "threshold"])


def resource_sentences(per_person: pd.DataFrame) -> list[str]:
    """Consequence sentences for a decision document, one per resource: who gets more per person, and what equal would take."""
    sentences = []
    for _, r in per_person.iterrows():
        if r.get("hidden", False):
            sentences.append(f"{r['org_name']} {r['period']}, {r['resource']}: antalet kvinnor eller män är "
                             f"{suppression_label(int(r['threshold']))}, så resurserna per person visas inte.")
            continue
        unit = f" {r['unit']}" if r["unit"] else ""
        head = (f"{r['org_name']} {r['period']}, {r['resource']}: kvinnor fick {format_decimal(r['per_person_K'], 1)}{unit} "
                f"per person ({format_decimal(r['persons_K'], 0)} kvinnor) och män {format_decimal(r['per_person_M'], 1)}{unit} "
                f"per person ({format_decimal(r['persons_M'], 0)} män).")
        if math.isclose(r["per_person_K"], r["per_person_M"], rel_tol=0.005):
            sentences.append(head + " Resursen är i stort sett lika fördelad per person.")
            continue
        more, less = ("kvinnor", "män") if r["difference"] > 0 else ("män", "kvinnor")
        ratio = abs(r["difference"]) / min(r["per_person_K"], r["per_person_M"]) if min(r["per_person_K"], r["per_person_M"]) else math.nan
        extra = "" if math.isnan(ratio) else f", {format_decimal(ratio * 100, 0)} % mer"
        sentences.append(
            head + f" {sentence_start(more)} fick alltså {format_decimal(abs(r['difference']), 1)}{unit} mer per person"
            f"{extra}. Om {less} skulle få lika mycket per person som {more} skulle det krävas ytterligare "
            f"{format_decimal(r['equalising_amount'], 0)}{unit}. Beslutsunderlaget behöver säga om skillnaden "
            "motsvaras av olika behov eller är omotiverad.")
    return sentences
