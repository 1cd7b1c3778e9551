"""Write the report notebooks in notebooks/ (run again after editing this file).

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

Vilket kön som missgynnas, hur länge, hur skillnaden har utvecklats och, för kommuner och regioner, hur den
står sig mot en jämförelsegrupp, för en kommun, region, nämnd eller ett bolag (med de medföljande Kolada-filerna:
Karlstads fem indikatorer för äldreomsorgen; egna indikatorfiler i `data/raw/indicators` läses också).
"""),
    parameters("""
kommunkod = "1780"  # "0180" för Stockholm, "0017" för Region Värmland, eller ett namn som i data: "Kfast AB"
indikatorer = ""  # Kolada-id eller egna id, kommaseparerade; "" betyder alla som finns för organisationen
till_och_med = ""  # sista år som tas med, t.ex. "2021"; "" betyder alla år med data
jamforelse = "liknande"  # "riket", "liknande" (för en region: riket), ett Kolada grupp-id (G...) eller koder "0484,0780"
datamapp = "data/raw/kolada, data/raw/indicators"  # Kolada-filer (medföljande eller från jam kolada fetch) och egna indikatorfiler
organisationer = "data/raw/organisations"  # er tabell över nämnder, bolag och enheter; "" betyder ingen
interaktiv = True  # visa utforskaren i JupyterLab (tas bort i HTML-rapporten)
excelfil = ""  # skriv också tabellerna till Excel, t.ex. "karlstad.xlsx"; "" betyder ingen Excel-fil
"""),
    code("""
import jamlib
from jamlib.formatting import split_list
from jamlib.ingest.sources import load_organisation_folder
from jamlib.report import display as show
from jamlib.report.about import about_paragraphs, about_sources
from jamlib.report.excel import report_sheets, write_workbook
from jamlib.report.view import indicator_views
from jamlib.run import parameters

sista_ar = parameters.check_years(till_och_med)
mappar = show.find_folders(datamapp)
data = jamlib.load_indicator_folder(mappar, split_list(indikatorer) or None)
egna_organisationer = load_organisation_folder(show.find_folder(organisationer)) if organisationer else None
rapport = jamlib.indicator_report(data, kommunkod, split_list(indikatorer) or None, until=sista_ar,
                                  reference=jamforelse or None, organisations=egna_organisationer)
show.show_heading(f"{rapport.org_name} ({rapport.org_code})")
stycken = rapport.sentences
if rapport.reference is not None and rapport.reference.note:
    show.show_paragraphs([rapport.reference.note])
from jamlib.report.summary import indicator_paragraphs, show_method, show_summary

show_summary(rapport)
"""),
    md("""
## Indikator för indikator

Heldragna linjer: kommunens värden för kvinnor och män. Streckade linjer: jämförelsegruppens genomsnitt
(ovägt medelvärde av medlemmarna, som Koladas "ovägt medel", eller riket). Det skuggade bandet visar spannet
från lägsta till högsta värde bland medlemmarna. Stapeldiagrammet visar skillnaden mellan kvinnor och män det
senaste året i varje kommun i jämförelsegruppen, minst överst, med kommunen markerad.
"""),
    code("""
for vy in indicator_views(rapport):
    show.show_heading(vy.title, 3)
    show.show_paragraphs(indicator_paragraphs(rapport, vy.indicator_id))
    vy.show()
"""),
    md("""
## Om data

Vad varje indikator mäter enligt Kolada, varifrån uppgifterna kommer, vilket håll som räknas som bättre och
varför, när de publicerades och hämtades, och vilka som ingår i jämförelsegruppen.
"""),
    code("""
om_data = about_sources(rapport, data, mappar)
show.show_paragraphs(about_paragraphs(om_data))
if excelfil:
    arbetsbok = write_workbook(excelfil, report_sheets(rapport, om_data))
    show.show_paragraphs([f"Tabellerna finns också i Excel: {arbetsbok.name}"])
"""),
    md("""
## Metod och osäkerhet

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
- **Osäkerhet**: Kolada anger inte hur många som svarat, så för Kolada-värden kan konfidensintervall inte
  beräknas; de skillnaderna är beskrivningar av publicerade värden, inte statistiskt prövade. När en egen fil
  anger täljare och nämnare för kvinnor och män visar rapporten 95 % konfidensintervall (Wilson för varje kön,
  Newcombe för skillnaden), och en skillnad kallas påtaglig först när dess intervall inte innehåller 0.
- **Jämfört med gruppen** rangordnar skillnadens storlek (oavsett vilket kön som har det högre värdet) det senaste
  året bland kommunen och de medlemmar i jämförelsegruppen som har värden för både kvinnor och män; lika stora
  skillnader delar plats. Värden som vilar på för få personer är dolda och räknas inte.

Trenden i skillnaden mellan kvinnor och män prövas per indikator med Mann–Kendalls exakta test. Tabellen visar
vilka år som prövats, p-värdet före och efter justering för antalet test och den anpassade trendlinjen (Theil–Sen)
för skillnaden kvinnor − män vid första och sista prövade året.
"""),
    code("""
show_method(rapport)
"""),
    code("""
if interaktiv:
    from jamlib.report.explorer import show_explorer

    show_explorer(data, rapport.org_code, rapport.indicator_ids, jamforelse)
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
from jamlib.analysis.published_notes import (CONSTRUCTED_LABEL, CONSTRUCTED_NOTICE, difference_notes,
                                              printed_differences)
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
    show.show_paragraphs([CONSTRUCTED_NOTICE])
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
from jamlib.analysis.published_notes import (CONSTRUCTED_LABEL, CONSTRUCTED_NOTICE, change_note, difference_notes,
                                              printed_differences)
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
    show.show_paragraphs([CONSTRUCTED_NOTICE + " Jämförelserna nedan visar alltså hur analysen fungerar, inte hur det "
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

Vad organisationen har gjort och vad det ska leda till, steg för steg i resultatkedjan: aktiviteter,
nya eller ändrade produkter, nya arbetssätt, nya eller ändrade utfall och samhällseffekter. Varje post är
**planerad** eller **uppnådd**; länkarna visar vad som ska leda till vad. SKR rekommenderar att kedjan
används för planering lika mycket som för uppföljning. Kommuner väljs med kommunkod, nämnder och bolag
(som saknar kod) med namn.
"""),
    parameters("""
organisation = ""  # nämnd eller bolag, t.ex. "Destination Eskilstuna AB" eller "Eskilstuna kommun / Gymnasienämnden"
kommunkod = "1780"  # fyra siffror; används när organisation är tom
datafil = "data/raw/results_chain"  # en fil eller en mapp med resultatkedjor
indikatordata = "data/raw/kolada"  # Kolada-filer för indikatorer som mäter utfallen; tom text: inga
egna_indikatorer = "data/raw/indicators"  # egna indikatorfiler (fil eller mapp); tom text: inga
"""),
    code("""
import jamlib
from jamlib.analysis.results_chain import results_chain_overview
from jamlib.ingest.checked import load_checked
from jamlib.report import display as show
from jamlib.report.results_chain_chart import show_results_chain

vem = str(organisation).strip() if str(organisation or "").strip() else jamlib.check_municipality_code(kommunkod)
kedja = load_checked(show.find_folder(datafil), "results_chain")
try:
    oversikt = results_chain_overview(kedja.data, vem, source=datafil)
except jamlib.NoDataError as saknas:  # en kommun eller region utan resultatkedja: det sägs, resten hoppas över
    oversikt = None
    show.show_heading(f"{jamlib.municipality_name(vem)} ({vem})")
    show.show_paragraphs([str(saknas)])
if oversikt is not None:
    show.show_heading(oversikt.label)
    fel = oversikt.failures[oversikt.failures["severity"] == "fel"]
    if len(oversikt.failures):
        show.show_table(oversikt.failures[["row", "column", "value", "severity", "message"]].rename(columns={
            "row": "rad", "column": "kolumn", "value": "värde", "severity": "allvar", "message": "meddelande"}),
            caption="Att rätta eller kontrollera i resultatkedjan")
    if len(fel):
        raise jamlib.ValidationError(fel, f"Resultatkedjan för {oversikt.label} har {len(fel)} fel som måste rättas.")
    show.show_paragraphs(oversikt.sentences)
    show_results_chain(oversikt)
"""),
    md("""
## Steg för steg

Ett utfall (nytt eller ändrat utfall, samhällseffekt) räknas som nått först när det finns belägg: en
mätning, en uppföljning eller en indikator. SKR:s rapport påpekar att förändrade utfall för kvinnor och
män sällan hinner synas under en omgång.
"""),
    code("""
if oversikt is not None:
    show.show_table(oversikt.levels, caption="Antal poster per steg, uppnådda och planerade")
    show.show_table(oversikt.entries, caption="Poster i resultatkedjan")
    if len(oversikt.goals):
        show.show_table(oversikt.goals, caption="Kopplingar till de jämställdhetspolitiska målen")
    if len(oversikt.moments):
        show.show_table(oversikt.moments, caption="Kopplingar till checklistans moment")
else:
    show.show_paragraphs(["Ingen resultatkedja att visa (se ovan)."])
"""),
    md("""
## Indikatorer som mäter utfallen

För poster som anger en indikator visas indikatorns värden för kvinnor och män, med samma röjandeskydd
som i indikatorrapporten.
"""),
    code("""
from jamlib.report.chain_indicators import linked_indicators, load_indicator_data

if oversikt is None:
    show.show_paragraphs(["Ingen resultatkedja, så inga indikatorer att visa."])
elif len(oversikt.indicators):
    indikatorer = load_indicator_data(show.find_folder(indikatordata) if indikatordata else None,
                                      show.find_folder(egna_indikatorer) if egna_indikatorer else None,
                                      list(oversikt.indicators["indicator_id"]))
    for kopplad in linked_indicators(oversikt, indikatorer):
        show.show_heading(f"{kopplad.entry_title}", 3)
        if kopplad.view is None:
            show.show_paragraphs([kopplad.message])
        else:
            kopplad.view.show(sentences=True)
else:
    show.show_paragraphs(["Ingen post i kedjan anger en indikator som mäter den."])
"""),
]

REPRESENTATION = [
    md("""
# Representation och resurser

Vilka syns på scenen, i laget eller i personalgruppen, och vem får pengarna? Enheterna (akter, lag,
personalgrupper, föreningar) klassas som kvinnodominerade, mansdominerade eller mixade med Jämställd
festivals regel (mer än hälften kvinnor eller män; annars mixad). Andelarna jämförs med ett mål ni
sätter själva: 50/50, eller till exempel ESEM:s 30/70. Med få enheter är osäkerheten stor, och
intervallen är exakta (Clopper–Pearson).
"""),
    parameters("""
datafil = "data/raw/representation/destination_eskilstuna_stadsfestival_2022.csv"  # enheter: fil eller mapp
organisation = ""  # tom text: alla organisationer i filen
mal = "50/50"  # andel kvinnor/män, t.ex. "50/50" eller "30/70"
resursfil = ""  # resurser per kön för jämställdhetsbudgetering (fil eller mapp); tom text: ingen
"""),
    code("""
import jamlib
from jamlib.analysis.representation import (parse_target, representation_sentences, representation_summary,
                                            representation_table, resource_sentences, resources_per_person,
                                            unit_shares)
from jamlib.ingest.checked import load_checked
from jamlib.report import display as show

malandel = parse_target(mal)
enheter = load_checked(show.find_folder(datafil), "representation", errors="raise")
data = enheter.data
if str(organisation or "").strip():
    data = data[data["org_name"].str.casefold() == str(organisation).strip().casefold()]
    if data.empty:
        raise jamlib.ParameterError(f"{organisation} finns inte i {datafil}.")
sammanfattning = representation_summary(data, malandel)
show.show_heading("Representation")
show.show_paragraphs(representation_sentences(sammanfattning))
show.show_table(representation_table(data), caption="Enheter per klass och år, med exakta intervall och pengar")
per_enhet = unit_shares(data, malandel)
if len(per_enhet):
    show.show_paragraphs(list(per_enhet["text"]), bullets=True)
if len(enheter.failures):
    show.show_paragraphs([f"Att kontrollera: {m}" for m in enheter.failures["message"]], bullets=True)
"""),
    code("""
from jamlib.report import charts
from jamlib.report.representation_chart import representation_chart

charts.show_chart(representation_chart(data, malandel))
"""),
    md("""
## Jämställdhetsbudgetering

Resurser per kvinna och per man (t.ex. beviljade hemtjänsttimmar eller tider i idrottshallen), med en
konsekvensmening som kan stå i ett beslutsunderlag. En skillnad kan vara motiverad av olika behov;
underlaget ska säga om den är det.
"""),
    code("""
if str(resursfil or "").strip():
    resurser = load_checked(show.find_folder(resursfil), "resources", errors="raise").data
    if str(organisation or "").strip():
        resurser = resurser[resurser["org_name"].str.casefold() == str(organisation).strip().casefold()]
    per_person = resources_per_person(resurser)
    show.show_paragraphs(resource_sentences(per_person))
else:
    show.show_paragraphs(["Ingen resursfil angiven (parametern resursfil)."])
"""),
]

FIVE_R = [
    md("""
# 5R-analys

En genomgång av en aktivitet eller insats med 5R-metoden, som i Eskilstunas slutrapport (bilagan om
kultur- och fritidsnämndens 5R): **R1 Representation**, **R2 Resurser**, **R3 Resultat**, **R4 Realia**
och **R5 Realisera**. De tre första räknas fram ur era data; de två sista är er egen analys och skrivs in
som parametrar. Allt samlas i en strukturerad post som visas här och kan sparas bredvid rapporten.

Standardvärdena är ett **konstruerat exempel** (Exempelkommunen) för R1 och R2, och Karlstads verkliga
värden i Kolada för R3.
"""),
    parameters("""
aktivitet = "Hemtjänst: fördelning av beviljad tid (konstruerat exempel)"
organisation = "Exempelkommunen (konstruerat exempel)"
enhetsfil = "data/raw/representation/femr_exempel_konstruerad.csv"  # R1: grupper med antal kvinnor och män
resursfil = "data/raw/resources/femr_exempel_konstruerad.csv"  # R2: resurser per kön
resultat_kommunkod = "1780"  # R3: kommun vars resultat per kön visas; tom text: inga
resultat_indikatorer = "U21455,U21504,U01421"  # R3: indikatorer (Kolada-id eller egna)
indikatordata = "data/raw/kolada"
egna_indikatorer = ""  # egna indikatorfiler för R3 (fil eller mapp)
mal = "50/50"
r1_analys = ""  # er kommentar till representationen
r2_analys = ""  # er kommentar till resurserna
r3_analys = ""  # er kommentar till resultaten
realia = ""  # R4: hur har det blivit så här? vill vi ha det så?
realisera = ""  # R5: åtgärder och mål
utfil = ""  # spara 5R-posten som JSON här, t.ex. "outputs/5r/hemtjanst.json"; tom text: bara i rapporten
"""),
    code("""
import jamlib
from jamlib.analysis.five_r import FIVE_R, five_r_record, five_r_table
from jamlib.analysis.representation import parse_target, resource_sentences, resources_per_person, unit_shares
from jamlib.ingest.checked import load_checked
from jamlib.report import display as show

malandel = parse_target(mal)
siffror, kallor = {}, {}
show.show_heading(f"5R: {aktivitet}")
show.show_paragraphs([f"Organisation: {organisation}."])

def valda(frame):
    if str(organisation or "").strip():
        return frame[frame["org_name"].str.casefold() == str(organisation).strip().casefold()]
    return frame
"""),
    md("""
## R1 Representation

Hur ser könsfördelningen ut i nämnden, i verksamheten, bland brukarna och bland dem som tar del av insatsen?
"""),
    code("""
if str(enhetsfil or "").strip():
    enheter = valda(load_checked(show.find_folder(enhetsfil), "representation", errors="raise").data)
    per_enhet = unit_shares(enheter, malandel)
    siffror["R1"], kallor["R1"] = list(per_enhet["text"]), enhetsfil
    show.show_paragraphs(siffror["R1"], bullets=True)
else:
    show.show_paragraphs(["Ingen fil med representation angiven (parametern enhetsfil)."])
"""),
    md("""
## R2 Resurser

Hur fördelas gemensamma resurser mellan könen, i tid, rum och pengar?
"""),
    code("""
if str(resursfil or "").strip():
    resurser = valda(load_checked(show.find_folder(resursfil), "resources", errors="raise").data)
    siffror["R2"], kallor["R2"] = resource_sentences(resources_per_person(resurser)), resursfil
    show.show_paragraphs(siffror["R2"], bullets=True)
else:
    show.show_paragraphs(["Ingen fil med resurser per kön angiven (parametern resursfil)."])
"""),
    md("""
## R3 Resultat

Vad blir resultatet för kvinnor och män? Värdena visas med samma röjandeskydd som i indikatorrapporten.
"""),
    code("""
from jamlib.report.chain_indicators import load_indicator_data
from jamlib.report.view import indicator_views

if str(resultat_kommunkod or "").strip():
    kod = jamlib.check_municipality_code(resultat_kommunkod, "resultat_kommunkod")
    indikatorer = load_indicator_data(show.find_folder(indikatordata) if indikatordata else None,
                                      show.find_folder(egna_indikatorer) if egna_indikatorer else None)
    ids = [i.strip() for i in str(resultat_indikatorer).split(",") if i.strip()]
    kallor["R3"] = f"{jamlib.municipality_name(kod)} ({kod}): {', '.join(ids)}"
    try:
        rapport = jamlib.indicator_report(indikatorer, kod, ids, reference=None)
    except jamlib.NoDataError as saknas:  # t.ex. en region, som saknar värden för kommunernas indikatorer
        siffror["R3"] = [f"{saknas} R3 visar därför inga resultat. Ange indikatorer med värden för "
                         f"{jamlib.municipality_name(kod)} i parametern resultat_indikatorer, eller en kommun i "
                         "resultat_kommunkod."]
        show.show_paragraphs(siffror["R3"])
    else:
        siffror["R3"] = list(rapport.sentences["text"])
        for vy in indicator_views(rapport):
            vy.show(sentences=True)
else:
    show.show_paragraphs(["Ingen kommun angiven för resultaten (parametern resultat_kommunkod)."])
"""),
    md("""
## R4 Realia och R5 Realisera

Analysen av varför det ser ut så här, och vilka åtgärder och mål som ska gälla, skrivs av er. Frågorna är
5R-bilagans.
"""),
    code("""
for r in FIVE_R[3:]:
    show.show_heading(f"{r.key} {r.name}: {r.asks}", 3)
    show.show_paragraphs(list(r.questions), bullets=True)
    text = {"R4": realia, "R5": realisera}[r.key]
    show.show_paragraphs([text] if str(text).strip() else [f"Ej ifyllt (parametern {'realia' if r.key == 'R4' else 'realisera'})."])
"""),
    md("""
## Hela 5R-analysen
"""),
    code("""
post = five_r_record(aktivitet, organisation, siffror,
                     {"R1": r1_analys, "R2": r2_analys, "R3": r3_analys, "R4": realia, "R5": realisera}, kallor)
show.show_table(five_r_table(post), caption="5R-analysen: beräknat ur data och er analys")
if str(utfil or "").strip():
    from pathlib import Path
    from jamlib.files import write_json

    Path(utfil).parent.mkdir(parents=True, exist_ok=True)
    write_json(post, utfil)
    show.show_paragraphs([f"5R-posten är sparad i {utfil}."])
"""),
]

PROFILE = [
    md("""
# Checklisteprofil för en organisation

En organisations väg genom Modellkonceptet: vilka omgångar den deltagit i och i vilken roll (deltagare,
sedan mentor), dess mentorgrupp, och dess egen självskattning moment för moment vid varje tillfälle,
jämförd med gruppens medelvärde. Omgångar kan ha tillfällena Uppstart–Träff 3, Före–Under–Efter eller år.
"""),
    parameters("""
organisation = "Kalmar"  # namn eller kommunkod
datafil = "data/raw/checklist"  # skattningar: en fil eller en mapp
deltagandefil = "data/raw/participation/modellkonceptet_deltagande.csv"  # omgångar och roller; tom text: ingen
"""),
    code("""
import jamlib
from jamlib.analysis.model_history import (history_sentences, mentor_groups, organisation_history,
                                           organisation_profile, round_occasions)
from jamlib.formatting import format_decimal
from jamlib.ingest.checked import load_checked
from jamlib.report import charts, display as show
from jamlib.schemas import MOMENTS, OCCASION_DISPLAY

skattningar = load_checked(show.find_folder(datafil), "checklist", allow_half_points=True, errors="raise").data
deltagande = (load_checked(show.find_folder(deltagandefil), "participation", errors="raise").data
              if str(deltagandefil or "").strip() else None)
historik = organisation_history(deltagande, skattningar)
mina = historik[(historik["org_name"].str.casefold() == str(organisation).strip().casefold())
                | (historik["org_code"] == str(organisation).strip()) | (historik["organisation"] == str(organisation).strip())]
if mina.empty:
    raise jamlib.ParameterError(f"{organisation} finns varken bland skattningarna eller i deltagandet. "
                                f"Organisationer: {', '.join(dict.fromkeys(historik['org_name']))}.")
namn = mina["org_name"].iloc[0]
show.show_heading(namn)
show.show_paragraphs(history_sentences(historik, mina["organisation"].iloc[0]))
show.show_table(mina[["round", "role", "mentor_group", "source"]].rename(columns={
    "round": "Omgång", "role": "Roll", "mentor_group": "Mentorgrupp", "source": "Uppgiften kommer från"}),
    caption="Omgångar och roller")
"""),
    md("""
## Självskattningen omgång för omgång

Organisationens eget medelvärde per moment (över dess skattare) vid varje tillfälle, och skillnaden mot
medelvärdet för alla med samma roll vid omgångens sista tillfälle. Grupperna är små: skillnaderna
beskriver, de prövar ingenting.
"""),
    code("""
from jamlib.analysis.checklist import organisation_trajectories

omgangar = [r for r in round_occasions(skattningar)["round"] if r in set(mina["round"])]
if not omgangar:
    show.show_paragraphs([f"Det finns inga skattningar för {namn} i {datafil}."])
for omgang in omgangar:
    profil = organisation_profile(skattningar, namn, omgang)
    tillfallen = profil.attrs["occasions"]
    tabell = {"Moment": [f"{m}. {MOMENTS[m]}" if m != "Totalt" else "Totalt" for m in profil.index]}
    for t in tillfallen:
        tabell[OCCASION_DISPLAY.get(t, t)] = [format_decimal(v) for v in profil[t]]
    tabell[f"Gruppen ({profil.attrs['role']}, {profil.attrs['group_size']} st), {OCCASION_DISPLAY.get(tillfallen[-1], tillfallen[-1])}"] = [
        format_decimal(v) for v in profil["group_last"]]
    tabell["Skillnad mot gruppen"] = [format_decimal(v, sign=True) for v in profil["difference"]]
    import pandas as pd
    show.show_heading(f"Omgång {omgang} ({profil.attrs['role']})", 2)
    show.show_table(pd.DataFrame(tabell), caption=f"{namn}: självskattning per moment och tillfälle")
    banor = organisation_trajectories(skattningar, omgang, profil.attrs["role"])
    charts.show_chart(charts.trajectory_chart(banor, f"{namn} och de andra ({profil.attrs['role']}), omgång {omgang}"))
grupper = mentor_groups(deltagande if deltagande is not None else skattningar)
egna = grupper[grupper["round"].isin(mina["round"]) & grupper["mentor_group"].isin(mina["mentor_group"])]
if len(egna):
    show.show_table(egna[["round", "mentor_group", "mentors", "participants"]].rename(columns={
        "round": "Omgång", "mentor_group": "Mentorgrupp", "mentors": "Mentor", "participants": "Deltagare"}),
        caption="Mentorgrupp")
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
        "representation.ipynb": REPRESENTATION,
        "femr_analys.ipynb": FIVE_R,
        "checklista_profil.ipynb": PROFILE,
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
