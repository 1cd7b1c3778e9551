"""Write the four report notebooks in notebooks/ (run again after editing this file).

The notebooks are thin: a papermill ``parameters`` cell whose defaults run on
the bundled data, a check of the parameters by jamlib, then load, call, show
and explain in Swedish.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]


def parameters(source: str):
    return new_code_cell(source.strip(), metadata={"tags": ["parameters"]})


def code(source: str):
    return new_code_cell(source.strip())


def md(source: str):
    return new_markdown_cell(source.strip())


INDICATOR = [
    md("""
# Indikatorrapport: skillnader mellan kvinnor och män

Rapporten visar för en kommun hur kvinnor och män har det på de valda indikatorerna (standard: de fem
indikatorer för äldreomsorgen som Karlstad följde i Modellkonceptet), vilket kön som missgynnas och hur
länge, åt vilket håll skillnaden går och hur den står sig mot en jämförelsegrupp.
"""),
    parameters("""
kommunkod = "1780"  # fyra siffror: "0180" för Stockholm, "0017" för Region Värmland
indikatorer = "U23401,N20402,U21455,U21504,U01421"  # Kolada-id, kommaseparerade
till_och_med = ""  # sista år som tas med, t.ex. "2021"; "" betyder alla år med data
jamforelse = "liknande"  # "riket", "liknande" (för en region: riket), ett Kolada grupp-id (G...) eller koder "0484,0780"
datamapp = "data/raw/kolada"  # bundlad ögonblicksbild eller egen hämtning med jam kolada fetch
interaktiv = True  # visa utforskaren i JupyterLab (tas bort i HTML-rapporten)
excelfil = ""  # skriv också tabellerna till Excel, t.ex. "karlstad.xlsx"; "" betyder ingen Excel-fil
"""),
    code("""
import jamlib
from jamlib.ingest.kolada_metadata import read_kpi_metadata, snapshot_date
from jamlib.report import display as show
from jamlib.report.about import about_data, about_paragraphs
from jamlib.report.excel import report_sheets, write_workbook
from jamlib.report.view import indicator_views
from jamlib.run import parameters

kod = jamlib.check_municipality_code(kommunkod)
sista_ar = parameters.check_years(till_och_med)
data = jamlib.load_indicator_folder(show.find_folder(datamapp))
rapport = jamlib.indicator_report(data, kod, [i.strip() for i in indikatorer.split(",") if i.strip()],
                                  until=sista_ar, reference=jamforelse or None)
show.show_heading(f"{rapport.org_name} ({rapport.org_code})")
stycken = rapport.sentences
if rapport.reference is not None and rapport.reference.note:
    show.show_paragraphs([rapport.reference.note])
show.show_paragraphs(stycken.loc[stycken["indicator_id"] != "", "text"], bullets=True)
if rapport.missing_indicators:
    show.show_paragraphs(["Inga värden för: " + ", ".join(rapport.missing_indicators) + "."])
show.show_paragraphs(stycken.loc[stycken["indicator_id"] == "", "text"])
"""),
    md("""
## Indikator för indikator

Heldragna linjer: kommunens värden för kvinnor och män. Streckade linjer: jämförelsegruppens genomsnitt
(ovägt medelvärde av medlemmarna, som Koladas "ovägt medel", eller riket).
"""),
    code("""
for vy in indicator_views(rapport):
    vy.show()
"""),
    md("""
## Trendtest

Trenden i skillnaden mellan kvinnor och män prövas per indikator med Mann–Kendalls exakta test. Tabellen visar
vilka år som prövats, p-värdet före och efter justering för antalet test och den anpassade trendlinjen (Theil–Sen)
för skillnaden kvinnor − män vid första och sista prövade året.
"""),
    code("""
from jamlib.analysis.gaps import format_trend_table

show.show_table(format_trend_table(rapport.trend),
                caption="Trendtest per indikator (Mann–Kendall, exakt; p justerat med Benjamini–Hochbergs metod)")
"""),
    md("""
## Om data

Vad varje indikator mäter enligt Kolada, varifrån uppgifterna kommer, vilket håll som räknas som bättre och
varför, när de publicerades och hämtades, och vilka som ingår i jämförelsegruppen.
"""),
    code("""
mapp = show.find_folder(datamapp)
om_data = about_data(rapport, read_kpi_metadata(mapp), snapshot_date(mapp))
show.show_paragraphs(about_paragraphs(om_data))
if excelfil:
    write_workbook(excelfil, report_sheets(rapport, om_data))
    show.show_paragraphs([f"Tabellerna finns också i Excel: {excelfil}"])
"""),
    md("""
## Så ska resultaten läsas

- **Missgynnat kön** avgörs av indikatorns riktning: för väntetid och fallskador är lägre bättre, för
  brukarbedömningar är högre bättre (andelen som besväras av ensamhet: lägre är bättre). Är riktningen
  okänd säger rapporten inte vilket kön som missgynnas.
- **Påtaglig skillnad**: en skillnad mindre än indikatorns gräns (2 procentenheter för andelar, 2 indexenheter,
  3 dagar för väntetider, 200 per 100 000 invånare för fallskador) kallas *inte påtaglig* och räknas inte som
  att något kön missgynnas. Publicerade andelar är avrundade till hela procent, så en skillnad på 1 procentenhet
  kan vara avrundning.
- **År i rad** räknar de senaste åren med en påtaglig skillnad åt samma håll, bland åren med värden för både
  kvinnor och män. Ett år utan värden (Koladas brukarundersökning gjordes inte 2021) bryter inte raden men nämns.
- **Trenden** bedöms med ett exakt test (Mann–Kendall: alla ordningar av åren räknas). Med färre än fem år kan
  inget test bli säkerställt, och då står det att trenden *inte kan avgöras*. Orden följer den anpassade
  trendlinjen: *minskat* eller *ökat* när skillnaden rör sig mot eller från noll, *bytt tecken* när det kön som
  missgynnas har skiftat, *ingen tydlig trend* när testet inte är säkerställt.
- **Treårsmedelvärden** (fallskador): varje värde är ett medelvärde av tre år, så två år i följd delar två
  tredjedelar av sina data. Trenden prövas därför bara på år som inte delar data (det senaste året, tre år
  tidigare och så vidare).
- **Flera test**: när trenden prövas för flera indikatorer ökar risken att något ser säkerställt ut av en slump.
  p-värdena justeras därför för antalet test (Benjamini–Hochbergs metod), och texten bygger på det justerade värdet.
- **Osäkerhet**: Kolada anger inte hur många som svarat, så konfidensintervall kan inte beräknas. Värdena är
  beskrivande: skillnaderna är beskrivningar av publicerade värden, inte statistiskt prövade.
"""),
    code("""
if interaktiv:
    from jamlib.report.explorer import show_explorer

    show_explorer(data, kod, [i.strip() for i in indikatorer.split(",") if i.strip()], jamforelse)
"""),
]

ROUNDS = [
    md("""
# Checklistan över omgångar

Självskattningen med SKR:s checklista för jämställdhetsintegrering (tio moment, 1–4 poäng) per omgång och
roll: gruppens medelvärde per moment och tillfälle som i SKR:s Tabell 1 och 2, vilka moment som utvecklats
mest, varje organisations egen utveckling och omgångarna sida vid sida.
"""),
    parameters("""
omgangar = ""  # t.ex. "2020-2022" eller "2016-2018,2020-2022"; "" betyder alla omgångar i filen
roller = "deltagare,mentor"  # de roller som finns i en omgång visas
datafil = "data/raw/checklist/modellkonceptet_2020_2022_konstruerad.csv"
publicerade = "data/raw/published"  # mapp med SKR:s tryckta tabeller att jämföra med; "" för ingen jämförelse
"""),
    code("""
from pathlib import Path

import jamlib
from jamlib.analysis.checklist import (format_rounds_table, organisation_trajectories, rank_improvements,
                                       rounds_and_roles, select_rounds)
from jamlib.analysis.published_notes import CONSTRUCTED_LABEL, difference_notes, printed_differences
from jamlib.report import charts, display as show
from jamlib.run import parameters

alla = jamlib.load(show.find_folder(datafil), "checklist", allow_half_points=True, errors="raise").data
skattningar = select_rounds(alla, omgangar)
roller_per_omgang = rounds_and_roles(skattningar)
valda_omgangar = list(roller_per_omgang)
valda_roller = parameters.check_roles(roller)
# De medföljande skattningarna per kommun är konstruerade (data/raw/README.md); filnamnet säger det.
konstruerade = "konstruerad" in Path(datafil).name
markning = f" ({CONSTRUCTED_LABEL})" if konstruerade else ""
tryckta = ([jamlib.read_published(f) for f in sorted(Path(show.find_folder(publicerade)).glob("*.csv"))]
           if publicerade else [])
show.show_paragraphs([f"Omgång {omgang}: {' och '.join(finns)}." for omgang, finns in roller_per_omgang.items()])
if konstruerade:
    show.show_paragraphs(["Obs: skattningarna per kommun är konstruerade data, inte verkliga. SKR publicerar bara "
                          "gruppernas medelvärden; de konstruerade skattningarna är gjorda så att medelvärdena blir "
                          "som i SKR:s tabeller. Kommunernas namn är de deltagande kommunernas, men varje kommuns "
                          "egna värden är påhittade."])
"""),
    code("""
for roll in valda_roller:
    for omgang in valda_omgangar:
        if roll not in roller_per_omgang[omgang]:
            show.show_paragraphs([f"Omgång {omgang} har inga skattningar från rollen {roll}."])
            continue
        tabell = jamlib.checklist_table(skattningar, omgang, roll)
        antal = ", ".join(f"{k}: {v}" for k, v in tabell.attrs["organisations"].items())
        show.show_heading(f"Omgång {omgang}, {roll}", 2)
        show.show_table(jamlib.format_checklist_table(tabell),
                        caption=f"Genomsnittlig självskattning per moment{markning} (antal organisationer: {antal})")
        for tryckt in tryckta:
            samma = tryckt[(tryckt["round"] == omgang) & (tryckt["role"] == roll)]
            if not samma.empty:
                namn = str(samma["table"].iloc[0])
                show.show_paragraphs(difference_notes(printed_differences(tabell, samma), namn)
                                     or [f"Varje cell blir som i {namn}."])
        ranking = rank_improvements(tabell)
        show.show_table(ranking[["rank", "moment", "moment_text", "change_printed"]].rename(columns={
            "rank": "plats", "moment_text": "moment (text)", "change_printed": "förändring"}),
            caption=f"Moment rangordnade efter förändring{markning} (lika tryckta värden delar plats)")
        charts.show_chart(charts.trajectory_chart(organisation_trajectories(skattningar, omgang, roll),
                                                  f"Varje organisations utveckling, {roll}, {omgang}{markning}"))
"""),
    md("""
## Omgångarna sida vid sida

Samma mått för varje omgång, med hur många organisationer varje värde vilar på. Med en enda omgång i
data finns inget att jämföra ännu; tabellen visar då bara den omgången.
"""),
    code("""
for roll in valda_roller:
    if any(roll in finns for finns in roller_per_omgang.values()):
        sida = jamlib.compare_rounds(skattningar, roll)
        show.show_table(format_rounds_table(sida), caption=f"Omgångar sida vid sida, {roll}{markning}")
"""),
]

ROLES = [
    md("""
# Mentorer och deltagare

Utvecklas mentorerna och deltagarna olika? Jämförelsen görs på organisationernas totalpoäng (summan av
de tio momenten, 10–40) vid varje tillfälle och på förändringen från första till sista tillfället.
Grupperna är små, så alla test är exakta permutationstest; texten säger när inget kan avgöras.
"""),
    parameters("""
omgang = "2020–2022"  # "2020-2022" går också
datafil = "data/raw/checklist/modellkonceptet_2020_2022_konstruerad.csv"
publicerade = "data/raw/published"  # mapp med SKR:s tryckta tabeller att jämföra med; "" för ingen jämförelse
"""),
    code("""
from pathlib import Path

import jamlib
from jamlib.analysis.checklist import organisation_trajectories
from jamlib.analysis.narrative import role_sentences
from jamlib.analysis.published_notes import CONSTRUCTED_LABEL, change_note, difference_notes, printed_differences
from jamlib.analysis.role_comparison import format_role_table
from jamlib.formatting import normalise_dashes
from jamlib.report import charts, display as show

omgang = normalise_dashes(omgang)
skattningar = jamlib.load(show.find_folder(datafil), "checklist", allow_half_points=True, errors="raise").data
jamforelse = jamlib.compare_roles(skattningar, omgang)
# De medföljande skattningarna per kommun är konstruerade (data/raw/README.md); filnamnet säger det.
konstruerade = "konstruerad" in Path(datafil).name
markning = f" ({CONSTRUCTED_LABEL})" if konstruerade else ""
tryckta = ([jamlib.read_published(f) for f in sorted(Path(show.find_folder(publicerade)).glob("*.csv"))]
           if publicerade else [])
har_mentorer = bool((skattningar.loc[skattningar["round"] == omgang, "role"] == "mentor").any())
mentorstabell = jamlib.checklist_table(skattningar, omgang, "mentor") if har_mentorer else None
tryckt_mentorstabell = [t[(t["round"] == omgang) & (t["role"] == "mentor")] for t in tryckta]
tryckt_mentorstabell = [t for t in tryckt_mentorstabell if not t.empty]
avvikelser = (printed_differences(mentorstabell, tryckt_mentorstabell[0])
              if tryckt_mentorstabell and mentorstabell is not None else None)
show.show_heading(f"Omgång {omgang}")
if konstruerade:
    show.show_paragraphs(["Obs: skattningarna per kommun är konstruerade data, inte verkliga. SKR publicerar bara "
                          "gruppernas medelvärden; de konstruerade skattningarna är gjorda så att medelvärdena blir "
                          "som i SKR:s tabeller. Kommunernas namn är de deltagande kommunernas, men varje kommuns "
                          "egna värden är påhittade, så jämförelserna nedan visar hur analysen fungerar, inte hur det "
                          "gick för kommunerna."])
stycken = role_sentences(jamforelse)
if avvikelser is not None:
    not_om_forandring = change_note(avvikelser, "mentorernas", str(tryckt_mentorstabell[0]["table"].iloc[0]))
    if not_om_forandring:
        stycken.append(not_om_forandring)
show.show_paragraphs(stycken)
if jamforelse["n_mentor"].max() > 0 and jamforelse["n_participant"].max() > 0:
    charts.show_chart(charts.role_chart(jamforelse, f"Mentorer och deltagare, omgång {omgang}{markning}"))
charts.show_chart(charts.trajectory_chart(organisation_trajectories(skattningar, omgang),
                                          f"Varje organisations utveckling{markning}"))
show.show_table(format_role_table(jamforelse), caption=f"Jämförelser och exakta test{markning}")
"""),
    md("""
## Mentorernas tabell

Mentorernas medelvärden per moment och tillfälle, i samma form som SKR:s Tabell 2, med en not om varje cell som
inte blir som i den tryckta tabellen.
"""),
    code("""
if mentorstabell is None:
    show.show_paragraphs([f"Omgång {omgang} har inga skattningar från mentorer."])
else:
    show.show_table(jamlib.format_checklist_table(mentorstabell),
                    caption=f"Mentorernas genomsnittliga självskattning per moment, omgång {omgang}{markning}")
if avvikelser is not None:
    namn = str(tryckt_mentorstabell[0]["table"].iloc[0])
    show.show_paragraphs(difference_notes(avvikelser, namn) or [f"Varje cell blir som i {namn}."])
"""),
    md("""
## Så ska resultaten läsas

*p* är sannolikheten att få en minst lika stor skillnad om rollerna inte spelade någon roll, räknad över
alla sätt att fördela organisationerna på grupperna. *Lägsta möjliga p* visar vad testet alls kan nå med
så här få organisationer: ligger det över 0,05 kan ingen skillnad bli statistiskt säkerställd, hur stor
den än är. *Effektstorlek* är Cliffs delta (−1 till 1): andelen par där mentorn ligger högre minus andelen
där deltagaren gör det.
"""),
]

RESULTS = [
    md("""
# Resultatkedjan

Vad organisationen har gjort och vad det har lett till, steg för steg i resultatkedjan: aktiviteter,
nya eller ändrade produkter, nya arbetssätt, nya eller ändrade utfall och samhällseffekter, med
kopplingar till de jämställdhetspolitiska målen och till checklistans moment.
"""),
    parameters("""
kommunkod = "1780"
datafil = "data/raw/results_chain/modellkonceptet_2020_2022_resultatkedja.csv"
"""),
    code("""
import jamlib
from jamlib.report import display as show

kod = jamlib.check_municipality_code(kommunkod)
kedja = jamlib.load(show.find_folder(datafil), "results_chain", errors="raise").data
oversikt = jamlib.results_chain_overview(kedja, kod)
show.show_heading(f"{oversikt.org_name} ({kod})")
show.show_paragraphs(oversikt.sentences)
show.show_table(oversikt.levels, caption="Antal poster per steg i resultatkedjan")
show.show_table(oversikt.entries, caption="Poster i resultatkedjan")
show.show_table(oversikt.moments, caption="Kopplingar till checklistans moment")
"""),
]


def main(folder: Path | None = None) -> None:
    """Write the notebooks into ``folder`` (default ``notebooks/`` of the repository)."""
    folder = Path(folder) if folder is not None else ROOT / "notebooks"
    books = {
        "indikatorrapport.ipynb": INDICATOR,
        "checklista_omgangar.ipynb": ROUNDS,
        "mentorer_deltagare.ipynb": ROLES,
        "resultatkedja.ipynb": RESULTS,
    }
    for name, cells in books.items():
        notebook = new_notebook(cells=cells, metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        })
        for index, cell in enumerate(notebook.cells):
            cell["id"] = f"{Path(name).stem[:20]}-{index}"
        nbformat.validate(notebook)
        nbformat.write(notebook, str(folder / name))
        print("skrev", name)


if __name__ == "__main__":
    main()
