"""The course's self-checks: each one with a right answer, a wrong answer and a typical beginner mistake.

Right answers are what a participant types (the facilitator's solution), built from the course table; the
reference numbers are read by hand from the bundled files (``data/raw/kolada/data_U23401.json`` gives Karlstad
79 days for women in 2021, and so on) or computed by hand in the comments. A hint must never contain the
right answer.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from jamlib.course import kontroll, kursdata
from jamlib.vocabulary import CheckOutcome


@pytest.fixture(scope="module")
def kolada() -> pd.DataFrame:
    return kursdata.kolada()


def right(result: kontroll.Bedomning) -> None:
    assert result.utfall is CheckOutcome.RIGHT, result.text
    assert repr(result).startswith("Rätt!")


def wrong(result: kontroll.Bedomning, *words: str, not_containing: tuple[str, ...] = ()) -> None:
    assert result.utfall is CheckOutcome.WRONG, result.text
    assert repr(result).startswith("Inte riktigt än.")
    for word in words:
        assert word in result.text, (word, result.text)
    for answer in not_containing:
        assert answer not in result.text, (answer, result.text)


def test_an_unchanged_exercise_cell_is_not_marked_wrong():
    for check in (kontroll.kommunkod, kontroll.andel_kvinnor, kontroll.vantetid_karlstad, kontroll.skillnad,
                  kontroll.missgynnat_kon, kontroll.diagram_inflytande, kontroll.tre_i_rad, kontroll.avrundningsgrans,
                  kontroll.summor_tabell2, kontroll.mojliga_medelvarden, kontroll.karlstads_kedja,
                  kontroll.resultatkedjans_steg, kontroll.konsekvensbeskrivning):
        result = check(...)
        assert result.utfall is CheckOutcome.UNANSWERED, check.__name__
        assert "Byt ut ..." in result.text
    assert kontroll.medel_och_median(..., 48.5).utfall is CheckOutcome.UNANSWERED
    assert kontroll.konsekvensbeskrivning('\n...\n').utfall is CheckOutcome.UNANSWERED
    table = pd.DataFrame({"indikator": ["U23401"], "år": [2021], "K": [79.0], "M": [71.0]})
    table["skillnad"] = ...                                              # bred["skillnad"] = ... run unchanged
    assert kontroll.skillnad(table).utfall is CheckOutcome.UNANSWERED
    skeleton = {"U23401": ..., "N20402": ..., "U21455": ..., "U21504": ..., "U01421": ...}
    assert kontroll.missgynnat_kon(skeleton).utfall is CheckOutcome.UNANSWERED


def test_the_verdict_shows_as_html_with_the_text_escaped():
    html = kontroll.Bedomning(CheckOutcome.WRONG, "<b>x</b> & y")._repr_html_()
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y" in html and "Inte riktigt än." in html


# -- lesson 0 ---------------------------------------------------------------------------------------

def test_kommunkod():
    right(kontroll.kommunkod("1780"))
    right(kontroll.kommunkod("0180"))
    wrong(kontroll.kommunkod(1780), "citattecken")                     # beginner: a number
    wrong(kontroll.kommunkod(180), "nollan")                           # Stockholm typed as a number
    wrong(kontroll.kommunkod("180"), "fyra siffror")
    wrong(kontroll.kommunkod("Karlstad"), "inte namnet")
    wrong(kontroll.kommunkod("1234"), "ingen kommun")
    wrong(kontroll.kommunkod("0000"), "hela riket")


def test_andel_kvinnor():
    # 120 women and 80 men: 120 / 200 * 100 = 60
    right(kontroll.andel_kvinnor(60.0))
    right(kontroll.andel_kvinnor("60 %"))
    wrong(kontroll.andel_kvinnor(0.6), "procent", not_containing=("60",))   # a share instead of percent
    wrong(kontroll.andel_kvinnor(150.0), "dela med alla")                  # women / men
    wrong(kontroll.andel_kvinnor(40.0), "andelen män")
    wrong(kontroll.andel_kvinnor(12.0), not_containing=("60",))
    wrong(kontroll.andel_kvinnor("sextio"), "tal")


# -- lesson 1 ---------------------------------------------------------------------------------------

def test_vantetid_karlstad(kolada):
    answer = kolada[(kolada["kommunkod"] == "1780") & (kolada["indikator"] == "U23401")]
    right(kontroll.vantetid_karlstad(answer))
    wrong(kontroll.vantetid_karlstad(kolada[kolada["kommunkod"] == 1780]), "citattecken")  # code as a number
    wrong(kontroll.vantetid_karlstad(kolada[kolada["kommunkod"] == "1780"]), "andra indikatorer")
    wrong(kontroll.vantetid_karlstad(answer[answer["kön"] == "K"]), "inte på år eller kön")
    wrong(kontroll.vantetid_karlstad(kolada["kommunkod"] == "1780"), "DataFrame")  # the condition, not the rows


def test_vantetid_kvinnor_2021(kolada):
    # data_U23401.json, Karlstad 2021: K 79, M 71, T 76; K 2022: 61
    right(kontroll.vantetid_kvinnor_2021(79.0))
    right(kontroll.vantetid_kvinnor_2021(pd.Series([79.0])))
    wrong(kontroll.vantetid_kvinnor_2021(71.0), "männens", not_containing=("79",))
    wrong(kontroll.vantetid_kvinnor_2021(76.0), "totalen", not_containing=("79",))   # T for K
    wrong(kontroll.vantetid_kvinnor_2021(61.0), "annat år", not_containing=("79",))
    wrong(kontroll.vantetid_kvinnor_2021(pd.Series([79.0, 71.0])), "ett enda tal")


def test_andel_kvinnor_80():
    # data_N20402.json, Riket 2022: K 6364.2, M 4860.0, T 5746.0;
    # (5746.0 - 4860.0) / (6364.2 - 4860.0) * 100 = 886 / 1504.2 * 100 = 58.90
    right(kontroll.andel_kvinnor_80(58.90))
    right(kontroll.andel_kvinnor_80("58,9"))
    wrong(kontroll.andel_kvinnor_80(0.589), "procent", not_containing=("58,9", "58.9"))
    wrong(kontroll.andel_kvinnor_80(41.10), "andelen män")
    wrong(kontroll.andel_kvinnor_80(50.0), "medelvärdet av K och M")            # T taken as the mean of K and M
    wrong(kontroll.andel_kvinnor_80((6364.2 + 4860.0) / 2), "medelvärdet av K och M")
    wrong(kontroll.andel_kvinnor_80(62.0), not_containing=("58",))


# -- lesson 2 ---------------------------------------------------------------------------------------

@pytest.fixture
def bred(kolada) -> pd.DataFrame:
    karlstad = kolada[(kolada["kommunkod"] == "1780") & (kolada["kön"] != "T")]
    table = karlstad.pivot_table(index=["indikator", "år"], columns="kön", values="värde").reset_index()
    table.columns.name = None
    return table


def test_the_wide_table_holds_the_hand_read_values(bred):
    row = bred[(bred["indikator"] == "U23401") & (bred["år"] == 2021)].iloc[0]
    assert (row["K"], row["M"]) == (79.0, 71.0)


def test_skillnad(bred):
    wrong(kontroll.skillnad(bred), 'ingen kolumn "skillnad"')
    right(kontroll.skillnad(bred.assign(skillnad=bred["K"] - bred["M"])))
    wrong(kontroll.skillnad(bred.assign(skillnad=bred["M"] - bred["K"])), "omvänt")          # M − K
    wrong(kontroll.skillnad(bred.assign(skillnad=(bred["K"] - bred["M"]).abs())), "absolutbeloppet")
    wrong(kontroll.skillnad(bred.assign(skillnad=bred["K"] - 70)), "Några skillnader")
    right(kontroll.skillnad(bred.assign(skillnad=bred["K"] - bred["M"]).set_index(["indikator", "år"])))


def test_relativ_skillnad(bred):
    k, m = bred["K"], bred["M"]
    right(kontroll.relativ_skillnad(bred.assign(relativ_skillnad=(k - m) / m * 100)))
    wrong(kontroll.relativ_skillnad(bred.assign(relativ_skillnad=(k - m) / m)), "procent")   # a share
    wrong(kontroll.relativ_skillnad(bred.assign(relativ_skillnad=(k - m) / k * 100)), "dela med M")
    wrong(kontroll.relativ_skillnad(bred.assign(relativ_skillnad=k - m / m * 100)), "parenteserna")
    wrong(kontroll.relativ_skillnad(bred.assign(relativ_skillnad=(m - k) / m * 100)), "omvänt")


def test_missgynnat_kon():
    # Karlstad 2022 (data files): U23401 K 61 < M 69, lower is better -> men disadvantaged;
    # N20402 K 7775.1 > M 6328.3 -> women; U21455 K 63 < M 65, higher is better -> women;
    # U21504 K 96 > M 93 -> men; U01421 K 59 > M 52, lower is better -> women.
    answer = {"U23401": "M", "N20402": "K", "U21455": "K", "U21504": "M", "U01421": "K"}
    right(kontroll.missgynnat_kon(answer))
    right(kontroll.missgynnat_kon({**answer, "U23401": "män", "N20402": "kvinnor"}))
    higher_value = {"U23401": "M", "N20402": "K", "U21455": "M", "U21504": "K", "U01421": "K"}
    wrong(kontroll.missgynnat_kon({k: ("M" if v == "K" else "K") for k, v in answer.items()}), "Alla fem")
    # Ignoring the direction where lower is better: the sex with the lower value taken as worse everywhere.
    lower_value_worse = {"U23401": "K", "N20402": "M", "U21455": "K", "U21504": "M", "U01421": "M"}
    result = kontroll.missgynnat_kon(lower_value_worse)
    wrong(result, "3 av 5", "lägre är bättre")
    assert "U23401" not in result.text                                   # which ones is left to the participant
    wrong(kontroll.missgynnat_kon(higher_value), "2 av 5")
    wrong(kontroll.missgynnat_kon({**answer, "U01421": "kvinna eller man"}), "K")
    wrong(kontroll.missgynnat_kon(["M", "K", "K", "M", "K"]), "ordlista")


def test_diagram_inflytande(kolada):
    inflytande = kolada[(kolada["kommunkod"] == "1780") & (kolada["kön"] != "T") & (kolada["indikator"] == "U21455")]
    base = alt.Chart(inflytande).mark_line(point=True)
    right(kontroll.diagram_inflytande(base.encode(x="år:O", y="värde:Q", color="kön:N")))
    result = kontroll.diagram_inflytande(base.encode(x="år:Q", y="värde:Q", color="kön:N"))
    right(result)
    assert "år:O" in result.text                                        # a tip about the year axis
    wrong(kontroll.diagram_inflytande(base.encode(x="år:O", y="värde:Q")), "varsin färg")     # no colour
    wrong(kontroll.diagram_inflytande(base.encode(x="värde:Q", y="år:O", color="kön:N")), "omkastade")
    wrong(kontroll.diagram_inflytande(alt.Chart(inflytande).mark_bar().encode(x="år:O", y="värde:Q", color="kön:N")),
          "linjer")
    all_karlstad = alt.Chart(kolada[kolada["kommunkod"] == "1780"]).mark_line().encode(x="år:O", y="värde:Q", color="kön:N")
    wrong(kontroll.diagram_inflytande(all_karlstad), "fler rader")
    everything = alt.Chart(kolada).mark_line().encode(x="år:O", y="värde:Q", color="kön:N")
    wrong(kontroll.diagram_inflytande(everything), "för många rader", "Filtrera")
    wrong(kontroll.diagram_inflytande(base.encode(x=alt.X("år:O", bin="ja"), y="värde:Q", color="kön:N")),
          "går inte att rita")
    wrong(kontroll.diagram_inflytande("ett diagram"), "altair")


# -- lesson 3 ---------------------------------------------------------------------------------------

def test_tre_i_rad():
    # 2 * (1/2)**3 = 1/4: the first year is free, the next two must match it
    right(kontroll.tre_i_rad(0.25))
    right(kontroll.tre_i_rad(0.2476))                                   # a simulation's answer
    wrong(kontroll.tre_i_rad(0.125), "den ena sidan")                   # only one side counted
    wrong(kontroll.tre_i_rad(25.0), "procent")
    wrong(kontroll.tre_i_rad(0.75), "INTE")
    wrong(kontroll.tre_i_rad(0.4), not_containing=("0,25", "0.25", "fjärde"))


def test_fyra_i_rad():
    # 2 * (1/2)**4 = 1/8
    right(kontroll.fyra_i_rad(0.125))
    right(kontroll.fyra_i_rad(1 / 8))
    wrong(kontroll.fyra_i_rad(0.0625), "ett visst kön")                 # one sex only: (1/2)**4
    wrong(kontroll.fyra_i_rad(0.25), "tre år")
    wrong(kontroll.fyra_i_rad(12.5), "procent")
    wrong(kontroll.fyra_i_rad(0.5), not_containing=("0,125", "0.125", "åttondel"))


def _runs_by_hand(kolada):
    """Counts for U21455 in 2018-2020 computed with plain Python over the rows, not with pandas' pivots."""
    rows = kolada[(kolada["indikator"] == "U21455") & (kolada["typ"] == "kommun")]
    values: dict[tuple[str, int], dict[str, float]] = {}
    for code, year, sex, value in zip(rows["kommunkod"], rows["år"], rows["kön"], rows["värde"]):
        if year in (2018, 2019, 2020) and sex in ("K", "M"):
            values.setdefault((code, year), {})[sex] = value
    per_code: dict[str, list[bool]] = {}
    for (code, _year), pair in values.items():
        if len(pair) == 2:
            per_code.setdefault(code, []).append(pair["K"] < pair["M"])
    full = {c: v for c, v in per_code.items() if len(v) == 3}
    return len(full), sum(all(v) for v in full.values()), len(per_code)


def test_tre_ar_i_rad_kommuner(kolada):
    total, women, any_year = _runs_by_hand(kolada)
    assert (total, women) == (277, 94)
    right(kontroll.tre_ar_i_rad_kommuner(women, total))
    wrong(kontroll.tre_ar_i_rad_kommuner(women, any_year), "saknar något av åren")   # len(per_kommun)
    wrong(kontroll.tre_ar_i_rad_kommuner(women + 21, total), "båda hållen")           # 21: men lower all three
    wrong(kontroll.tre_ar_i_rad_kommuner(21, total), "männen")
    wrong(kontroll.tre_ar_i_rad_kommuner(50, total), "antal_tre_i_rad", not_containing=("94",))


def test_teckentest(kolada):
    rows = kolada[(kolada["indikator"] == "U21455") & (kolada["typ"] == "kommun") & (kolada["år"] == 2022)]
    pairs: dict[str, dict[str, float]] = {}
    for code, sex, value in zip(rows["kommunkod"], rows["kön"], rows["värde"]):
        if sex in ("K", "M"):
            pairs.setdefault(code, {})[sex] = value
    complete = [p for p in pairs.values() if len(p) == 2]
    lower = sum(p["K"] < p["M"] for p in complete)
    ties = sum(p["K"] == p["M"] for p in complete)
    assert (lower, len(complete) - ties, ties) == (174, 279, 5)
    right(kontroll.teckentest(174, 279))
    wrong(kontroll.teckentest(174, 284), "exakt samma värde")         # ties counted
    wrong(kontroll.teckentest(105, 279), "högre")                      # women higher instead
    wrong(kontroll.teckentest(174, 200), "antal_med_skillnad")


def test_the_sign_test_p_value_quoted_in_lesson_3():
    from scipy.stats import binomtest

    assert binomtest(174, 279, 0.5).pvalue == pytest.approx(0.00004, abs=0.000005)
    assert binomtest(94, 277, 1 / 8, alternative="greater").pvalue < 1e-15


# -- lesson 4 ---------------------------------------------------------------------------------------

def test_kvinnor_i_gruppen(kolada):
    grupp = kursdata.liknande_kommuner("1780")
    assert grupp.attrs["grupp"] == "Liknande kommuner äldreomsorg, Karlstad, 2024"
    assert set(grupp["kommun"]) == {"Eskilstuna", "Växjö", "Halmstad", "Kungsbacka", "Borås", "Gävle", "Luleå"}
    base = (kolada["indikator"] == "U23401") & (kolada["år"] == 2022) & (kolada["kön"] == "K")
    answer = kolada[kolada["kommunkod"].isin(grupp["kommunkod"]) & base]
    assert sorted(answer["värde"]) == [29.0, 38.0, 59.0, 150.0]          # Kungsbacka, Halmstad, Eskilstuna, Luleå
    right(kontroll.kvinnor_i_gruppen(answer))
    with_karlstad = kolada[kolada["kommunkod"].isin(list(grupp["kommunkod"]) + ["1780"]) & base]
    wrong(kontroll.kvinnor_i_gruppen(with_karlstad), "Karlstad själv")
    no_sex = kolada[kolada["kommunkod"].isin(grupp["kommunkod"]) & (kolada["indikator"] == "U23401") & (kolada["år"] == 2022)]
    wrong(kontroll.kvinnor_i_gruppen(no_sex), "andra kön")
    wrong(kontroll.kvinnor_i_gruppen(answer.iloc[:2]), "saknar")


def test_medel_och_median():
    # (59 + 38 + 29 + 150) / 4 = 69; the middle two of 29, 38, 59, 150: (38 + 59) / 2 = 48.5
    right(kontroll.medel_och_median(69.0, 48.5))
    wrong(kontroll.medel_och_median(48.5, 69.0), "bytt plats")
    # Karlstad's own 61 included: (276 + 61) / 5 = 67.4, median 59
    wrong(kontroll.medel_och_median(67.4, 59.0), "Karlstads eget värde")
    wrong(kontroll.medel_och_median(69.0, 38.0), "medianen", not_containing=("48",))
    wrong(kontroll.medel_och_median(70.0, 48.5), "Medelvärdet stämmer inte", not_containing=("69",))


def test_over_eller_under():
    # Karlstad's women waited 61 days: under the mean 69, over the median 48.5
    right(kontroll.over_eller_under("under", "över"))
    right(kontroll.over_eller_under("Under", "högre"))
    wrong(kontroll.over_eller_under("under", "under"), "likadant")
    wrong(kontroll.over_eller_under("över", "under"), "omvända")
    wrong(kontroll.over_eller_under("mitt i", "över"), "över")


def test_diagram_grupp(kolada):
    grupp = kursdata.liknande_kommuner("1780")
    base = (kolada["indikator"] == "U23401") & (kolada["år"] == 2022) & (kolada["kön"] == "K")
    data = kolada[kolada["kommunkod"].isin(list(grupp["kommunkod"]) + ["1780"]) & base]
    right(kontroll.diagram_grupp(alt.Chart(data).mark_bar().encode(x="värde:Q", y=alt.Y("kommun:N", sort="-x"))))
    right(kontroll.diagram_grupp(alt.Chart(data).mark_bar().encode(x="kommun:N", y="värde:Q")))   # standing bars
    bars = alt.Chart(data).mark_bar().encode(x="värde:Q", y="kommun:N")
    rule = alt.Chart(pd.DataFrame({"värde": [69.0]})).mark_rule().encode(x="värde:Q")
    right(kontroll.diagram_grupp(bars + rule))                                                # with the mean drawn
    wrong(kontroll.diagram_grupp(alt.Chart(data).mark_line().encode(x="kommun:N", y="värde:Q")), "staplar")
    wrong(kontroll.diagram_grupp(alt.Chart(data).mark_bar().encode(x="värde:Q", y="kommunkod:N")), '"kommun"')
    wrong(kontroll.diagram_grupp(alt.Chart(data[data["kommunkod"] != "1780"]).mark_bar().encode(
        x="värde:Q", y="kommun:N")), "Karlstad saknas")


# -- lesson 5 ---------------------------------------------------------------------------------------

def test_avrundningsgrans():
    # ten parts, each at most 0.05 off, plus the printed total's own 0.05: 0.55
    right(kontroll.avrundningsgrans(10 * 0.05 + 0.05))
    right(kontroll.avrundningsgrans(0.55))
    wrong(kontroll.avrundningsgrans(0.5), "totalen är också avrundad")   # forgot the total's rounding
    wrong(kontroll.avrundningsgrans(0.05), "tio avrundade")
    wrong(kontroll.avrundningsgrans(1.0), not_containing=("0,55", "0.55"))


def _read_table(number: int, **options) -> pd.DataFrame:
    name = {1: "skr_2020_2022_tabell_1_deltagare.csv", 2: "skr_2020_2022_tabell_2_mentorer.csv"}[number]
    return pd.read_csv(kursdata.sokvag(f"published/{name}"), sep=";", **options)


OCCASIONS = ["Uppstart", "Träff 1", "Träff 2", "Träff 3"]


def test_summor_tabell2():
    table = _read_table(2, decimal=",")
    moments = table[table["Moment"] != "Totalt"]
    sums = moments[OCCASIONS].sum()
    # By hand from the printed Tabell 2: Träff 2 = 4 + 3.3 + 3 + 3 + 2 + 2 + 2 + 2.3 + 2.3 + 3 = 26.9
    assert sums.round(2).tolist() == [22.0, 25.0, 26.9, 30.4]
    right(kontroll.summor_tabell2(sums))
    right(kontroll.summor_tabell2(table[table["Moment"] != "Totalt"].sum(numeric_only=True)))  # +/- along too
    wrong(kontroll.summor_tabell2(table[OCCASIONS].sum()), "Totalt")                         # total row summed
    as_text = _read_table(2)                                                                 # decimal="," forgotten
    wrong(kontroll.summor_tabell2(as_text[as_text["Moment"] != "Totalt"][OCCASIONS].sum()), 'decimal=","')
    wrong(kontroll.summor_tabell2(sums.drop("Träff 3")), "Träff 3")
    wrong(kontroll.summor_tabell2(sums + 1), "stämmer inte", not_containing=("26,9", "26.9"))


def test_tryckfel():
    # Tabell 1: every +/- is within 0.1 of Träff 3 - Uppstart; Tabell 2, moment 5: 2.5 - 2.5 = 0 but +/- 0.8
    right(kontroll.tryckfel([], [5]))
    right(kontroll.tryckfel([], 5))
    wrong(kontroll.tryckfel([1, 3, 6, 8, 9, 10], [5]), "avrundade tal")   # rounding taken for misprints
    wrong(kontroll.tryckfel([], []), "minst ett moment")
    wrong(kontroll.tryckfel([], [5, 7]), "Tabell 2")
    wrong(kontroll.tryckfel("moment 5", [5]), "listor")


def test_mojliga_medelvarden():
    right(kontroll.mojliga_medelvarden([s / 4 for s in range(4, 17)]))
    wrong(kontroll.mojliga_medelvarden([s / 4 for s in range(4, 16)]), "range")   # stop value left out
    wrong(kontroll.mojliga_medelvarden([1.0, 2.0, 3.0, 4.0]), "mellan hela tal")
    wrong(kontroll.mojliga_medelvarden([s / 4 for s in range(5, 17)]), "lägsta")
    wrong(kontroll.mojliga_medelvarden(2.5), "lista")


# -- lesson 6 ---------------------------------------------------------------------------------------

def _chain() -> pd.DataFrame:
    return pd.read_csv(kursdata.sokvag("results_chain/modellkonceptet_2020_2022_resultatkedja.csv"), sep=";",
                       dtype={"Kommunkod": str})


def test_karlstads_kedja():
    chain = _chain()
    karlstad = chain[chain["Kommunkod"] == "1780"]
    achieved = karlstad[karlstad["Status"] == "uppnådd"]["Nivå"].value_counts()
    # the file (data/raw/README.md): Karlstad achieved two activities and two products; a way of working and
    # five outcomes are planned
    assert dict(achieved) == {"aktivitet": 2, "ny/ändrad produkt": 2}
    right(kontroll.karlstads_kedja(achieved))
    right(kontroll.karlstads_kedja({"aktivitet": 2, "ny/ändrad produkt": 2}))
    wrong(kontroll.karlstads_kedja(karlstad["Nivå"].value_counts()), "planerade")             # status forgotten
    wrong(kontroll.karlstads_kedja(chain["Nivå"].value_counts()), "alla organisationers")
    wrong(kontroll.karlstads_kedja(chain[chain["Status"] == "uppnådd"]["Nivå"].value_counts()), "kommunkod")
    wrong(kontroll.karlstads_kedja(chain[chain["Kommunkod"] == 1780]["Nivå"].value_counts()), "citattecken")
    wrong(kontroll.karlstads_kedja({"aktivitet": 1, "ny/ändrad produkt": 1}), "stämmer inte")


def test_resultatkedjans_steg():
    answer = {"e-utbildning": "aktivitet", "mall": "ny/ändrad produkt", "checklistan används": "nytt arbetssätt",
              "hemtjänsttimmar": "nytt/ändrat utfall"}
    right(kontroll.resultatkedjans_steg(answer))
    right(kontroll.resultatkedjans_steg({**answer, "mall": "Ny produkt"}))
    wrong(kontroll.resultatkedjans_steg({**answer, "mall": "aktivitet"}), "1 av 4", '"mall"', "föregås ofta av ett beslut")
    result = kontroll.resultatkedjans_steg({**answer, "checklistan används": "ny/ändrad produkt"})
    wrong(result, "används")
    assert "nytt arbetssätt" not in result.text.split("fel")[0]
    wrong(kontroll.resultatkedjans_steg({**answer, "hemtjänsttimmar": "resultat"}), "Oklart")


GOOD_TEXT = ("Kvinnor väntade längre än män på plats i särskilt boende 2019, 2020 och 2021; år 2021 väntade kvinnor "
             "i genomsnitt 79 dagar och män 71 dagar. År 2022 var det omvänt: kvinnor 61 dagar och män 69.")


def test_konsekvensbeskrivning():
    right(kontroll.konsekvensbeskrivning(GOOD_TEXT))
    right(kontroll.konsekvensbeskrivning("År 2021 väntade kvinnor 79 dagar på särskilt boende och männen 71 dagar, "
                                         "8 dagar kortare."))
    wrong(kontroll.konsekvensbeskrivning(GOOD_TEXT.replace("79", "82")), "82", "finns inte")   # a number from memory
    wrong(kontroll.konsekvensbeskrivning(GOOD_TEXT + " Skillnaden är signifikant."), "statistisk säkerhet")
    wrong(kontroll.konsekvensbeskrivning("År 2021 väntade kvinnor i Karlstad i genomsnitt 79 dagar på plats i "
                                         "särskilt boende."), "både kvinnor och män")
    wrong(kontroll.konsekvensbeskrivning("Kvinnor väntade 79 dagar och män 71 dagar på plats i särskilt boende, "
                                         "så rutinen bör följas upp."), "vilket år")
    wrong(kontroll.konsekvensbeskrivning("Kvinnor och män ... 2021"), "för kort")


# -- the course data --------------------------------------------------------------------------------

def test_the_course_table_has_swedish_columns_and_the_hand_read_values(kolada):
    assert list(kolada.columns) == kursdata.KOLADA_COLUMNS
    row = kolada[(kolada["kommunkod"] == "0000") & (kolada["indikator"] == "N20402") & (kolada["år"] == 2022)]
    assert dict(zip(row["kön"], row["värde"])) == {"K": 6364.2, "M": 4860.0, "T": 5746.0}
    assert set(kolada["typ"]) == {"kommun", "region", "riket"}
    assert kolada["värde"].notna().all()
    kolada.loc[:, "värde"] = 0.0
    assert kursdata.kolada()["värde"].ne(0).any()                     # each call gives a fresh copy


def test_the_cache_gives_the_same_tables_as_a_fresh_validated_load(tmp_path, monkeypatch):
    built = kursdata._build_tables()
    cached = kursdata._tables()
    pd.testing.assert_frame_equal(built[0], cached[0])
    pd.testing.assert_frame_equal(built[1], cached[1])


def test_the_data_is_found_from_the_facilitators_folder(monkeypatch):
    from tests.conftest import ROOT

    monkeypatch.chdir(ROOT / "notebooks" / "kurs" / "kursledare")
    assert kursdata.sokvag("kolada").replace("\\", "/") == "../../../data/raw/kolada"
    monkeypatch.chdir(ROOT.parent)
    from jamlib.errors import DataFileError

    with pytest.raises(DataFileError, match="Starta JupyterLab i mappen där jamlib ligger"):
        kursdata.sokvag("finns/inte.csv")
