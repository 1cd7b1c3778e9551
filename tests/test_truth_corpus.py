"""Every sentence of every municipality's report is true and no stronger than the data.

The gap analysis runs for all 290 bundled municipalities × Karlstad's five
indicators × {Riket, Liknande kommuner} (1 450 paragraphs per reference) through
the same :func:`jamlib.analysis.gap_summary.summarise_gaps` as the report and
``jam gaps``, and the invariants are checked mechanically, on the numbers and on
the words:

1. nothing is called "statistiskt säkerställd" unless the Benjamini–Hochberg
   adjusted p (recomputed here with statsmodels) is below 0.05;
2. the trend word agrees with the fitted Theil–Sen line (minskat/ökat without
   crossing zero, bytt tecken when it crosses, ingen tydlig trend when not
   significant);
3. the reference verdict agrees with the member count printed beside it;
4. no sex is called disadvantaged on a gap below the materiality threshold;
5. every sentence about N20402 says that the values are three-year averages.

The bundled organisations without a Kolada code (own statistics: Kfast AB, Rekarnebygymnasiet, and any file
added to ``data/raw/indicators``) go through the same report and the same invariants, checked against their
files read with pandas alone: a sex named only on a material gap with a direction, no trend claim above the
adjusted threshold (gap and share trends in one family), shares and Wilson intervals equal to the counts.

The whole corpus takes about a minute of CPU on the 2-core development
machine: the exact null distributions are built once per series length and tie
pattern and cached, the data are read and the gaps computed once, and each of
the 580 summaries takes some 60 ms.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests

from jamlib.analysis.disclosure import suppress_small_counts
from jamlib.analysis.gap_summary import summarise_gaps
from jamlib.analysis.gaps import gap_trend, indicator_gaps
from jamlib.analysis.materiality import is_material
from jamlib.analysis.reference import resolve_reference
from jamlib.kpis import KARLSTAD_INDICATORS, KPI_CURATED
from jamlib.organisations import municipalities, municipality_groups, municipality_name
from jamlib.report.indicator_report import indicator_report, load_indicator_folder
from tests.conftest import RAW

REFERENCES = ("riket", "liknande")
TREND_PHRASES = {"minskat": "har minskat", "ökat": "har ökat", "bytt tecken": "har bytt tecken",
                 "ingen påtaglig förändring": "har inte förändrats påtagligt", "ingen tydlig trend": "ngen tydlig trend",
                 "kan inte bedömas": "kan inte bedömas"}
_SENTENCE_END = re.compile(r"(?<=[.])\s+(?=[A-ZÅÄÖ])")
_CLAIM = re.compile(r"(?<!inte )statistiskt säkerställd")
_COUNT = re.compile(r"är (större än|mindre än|ungefär lika stor som) medianen .*?; (\d+) av (\d+) jämförda kommuner "
                    r"har en mindre skillnad än .*?, (\d+) en större och (\d+) ungefär lika stor")


@pytest.fixture(scope="module")
def corpus():
    data = load_indicator_folder(RAW / "kolada")
    # Kolada gives no counts and none of the five units is a count, so disclosure control has no base to
    # act on and the reports see these same values (test_the_corpus_path_is_the_reports_path checks three).
    assert data["numerator"].isna().all() and data["denominator"].isna().all()
    sample = data[data["org_code"].isin(["1780", "0000", "0180"])]
    assert not suppress_small_counts(sample)["suppressed"].any()
    gaps = indicator_gaps(data, indicator_ids=list(KARLSTAD_INDICATORS))
    by_org = {code: frame.reset_index(drop=True) for code, frame in gaps.groupby("org_code")}
    listed = municipalities()
    codes = sorted(listed.loc[listed["type"] == "K", "code"])
    trend = gap_trend(gaps[gaps["org_code"].isin(codes)])
    trend_by_org = {code: frame.reset_index(drop=True) for code, frame in trend.groupby("org_code")}
    groups = municipality_groups()
    summaries = {}
    for code in codes:
        for reference in REFERENCES:
            resolved = resolve_reference(reference, code, groups)
            members = [by_org[c] for c in resolved.codes if c in by_org]
            summaries[code, reference] = summarise_gaps(
                by_org[code], code, municipality_name(code), pd.concat(members, ignore_index=True),
                resolved.codes, resolved.label, trend=trend_by_org[code])
    both = gaps.dropna(subset=["value_K", "value_M"])
    series = {key: frame for key, frame in both.groupby(["org_code", "indicator_id"])}
    return {"data": data, "codes": codes, "gaps": by_org, "series": series, "summaries": summaries}


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text) if s]


def test_the_corpus_is_every_municipality_indicator_and_reference(corpus):
    assert len(corpus["codes"]) == 290
    assert len(corpus["summaries"]) == 290 * 2
    paragraphs = sum((s.sentences["indicator_id"] != "").sum() for s in corpus["summaries"].values())
    with_values = sum(frame.dropna(subset=["value_K", "value_M"])["indicator_id"].nunique()
                      for code, frame in corpus["gaps"].items() if code in corpus["codes"])
    assert with_values > 0.95 * 290 * 5  # a few small municipalities lack waiting times
    assert paragraphs == 2 * with_values  # one paragraph for every indicator with values, for both references


def test_the_corpus_path_is_the_reports_path(corpus):
    for code, reference in [("1780", "liknande"), ("1780", "riket"), ("0180", "liknande")]:
        report = indicator_report(corpus["data"], code, reference=reference)
        assert list(report.sentences["text"]) == list(corpus["summaries"][code, reference].sentences["text"])


def test_no_significance_claim_above_the_adjusted_threshold(corpus):
    claims = 0
    for (code, reference), summary in corpus["summaries"].items():
        trend = summary.trend
        made = trend["p_value"].notna().to_numpy()
        expected = np.full(len(trend), np.nan)
        expected[made] = multipletests(trend.loc[made, "p_value"].to_numpy(dtype=float), method="fdr_bh")[1]
        assert trend["p_adjusted"].to_numpy(dtype=float) == pytest.approx(expected, nan_ok=True)
        for _, row in trend.iterrows():
            claimed = bool(_CLAIM.search(row["text"]))
            allowed = bool(row["significant"]) and row["p_adjusted"] < 0.05 and row["minimum_p"] <= 0.05
            assert claimed == allowed, (code, row["indicator_id"], row["text"])
            claims += claimed
        for text in summary.sentences["text"]:
            for sentence in sentences(text):
                if _CLAIM.search(sentence):
                    assert "trend" in sentence.lower(), sentence  # only trend tests are ever called säkerställd
    assert claims < 0.05 * len(corpus["summaries"]) * 5  # the audit found 176 of 1 390 before


def test_trend_words_follow_the_fitted_line(corpus):
    for (code, reference), summary in corpus["summaries"].items():
        if reference != "riket":
            continue  # the trend does not depend on the reference
        for _, row in summary.trend.iterrows():
            word, start, end = row["trend"], row["fitted_start"], row["fitted_end"]
            if not row["significant"]:
                assert word in ("ingen tydlig trend", "kan inte bedömas"), (code, row["indicator_id"])
            elif word == "minskat":
                assert start * end >= 0 and abs(end) < abs(start), (code, row["indicator_id"])
            elif word == "ökat":
                assert start * end >= 0 and abs(end) > abs(start), (code, row["indicator_id"])
            elif word == "bytt tecken":
                assert start * end < 0, (code, row["indicator_id"])
            text = row["text"]
            assert TREND_PHRASES[word] in text, (code, text)
            for other, phrase in TREND_PHRASES.items():
                if other != word and other != "kan inte bedömas":
                    assert phrase not in text, (code, word, text)
            for stale in ("växer", "krymper", "förändras inte"):
                assert stale not in text


def test_reference_verdict_agrees_with_the_member_count(corpus):
    checked = 0
    for (code, reference), summary in corpus["summaries"].items():
        latest = summary.comparison.merge(summary.persistence[["indicator_id", "latest_period"]],
                                          left_on=["indicator_id", "period"],
                                          right_on=["indicator_id", "latest_period"])
        for row in latest.to_dict("records"):
            n, smaller, larger = row["reference_members"], row["members_with_smaller_gap"], row["members_with_larger_gap"]
            if row["larger"] == "större":
                assert smaller >= n / 2 and larger <= n / 2, row["text"]
            elif row["larger"] == "mindre":
                assert larger >= n / 2 and smaller <= n / 2, row["text"]
            elif row["larger"] == "lika stort":
                assert smaller <= n / 2 and larger <= n / 2, row["text"]
            if row["larger"] in ("större", "mindre"):
                threshold = float(corpus["series"][code, row["indicator_id"]]["materiality"].iloc[0])
                assert is_material(abs(row["gap"]) - row["reference_size"], threshold), row["text"]
                assert abs(abs(row["gap"]) - row["reference_size"]) >= threshold - 1e-6 * max(1, threshold)
            match = _COUNT.search(row["text"])
            if n > 1 and reference == "liknande":
                assert match, row["text"]
                verdict, k_smaller, k_n, k_larger, k_similar = match.groups()
                assert (int(k_smaller), int(k_n), int(k_larger)) == (smaller, n, larger)
                assert int(k_smaller) + int(k_larger) + int(k_similar) == int(k_n)
                assert {"större än": "större", "mindre än": "mindre", "ungefär lika stor som": "lika stort"}[verdict] \
                    == row["larger"]
                checked += 1
    assert checked > 1000


def test_no_disadvantage_claim_below_materiality(corpus):
    phrases = {kpi: str(info["worse"]).split(" {better}")[0].split(" än")[0] for kpi, info in KPI_CURATED.items()}
    for (code, reference), summary in corpus["summaries"].items():
        texts = dict(zip(summary.sentences["indicator_id"], summary.sentences["text"]))
        for row in summary.persistence.to_dict("records"):
            first = sentences(texts[row["indicator_id"]])[0]
            claims = row["disadvantaged"] in ("K", "M")
            assert (phrases[row["indicator_id"]] in first) == claims, first
            if claims:
                run = corpus["series"][code, row["indicator_id"]].tail(int(row["persistence"]))
                for gap, threshold, k, m in zip(run["gap"], run["materiality"], run["value_K"], run["value_M"]):
                    assert is_material(gap, threshold, max(abs(k), abs(m))), (code, row["indicator_id"], gap)
                    assert abs(gap) >= threshold - 1e-6 * max(1, threshold)
            else:
                assert "inte påtaglig" in first or "samma värde" in first or "polaritet" in first, first


def test_every_fall_injury_sentence_says_three_year_averages(corpus):
    count = 0
    for summary in corpus["summaries"].values():
        texts = dict(zip(summary.sentences["indicator_id"], summary.sentences["text"]))
        for sentence in sentences(texts.get("N20402", "")):
            assert "treårsmedelvärden" in sentence, sentence
            count += 1
    assert count >= 280 * 2 * 3  # persistence, trend (two sentences) and reference for nearly every municipality


# -- the summary table a steering group reads first (issue 13) ------------------------------------------------

@pytest.fixture(scope="module")
def steering(corpus):
    from jamlib.analysis.reference import resolve_reference
    from jamlib.analysis.steering_summary import steering_summary

    groups = municipality_groups()
    tables = {}
    for (code, reference), summary in corpus["summaries"].items():
        resolved = resolve_reference(reference, code, groups)
        members = pd.concat([corpus["gaps"][c] for c in resolved.codes if c in corpus["gaps"]], ignore_index=True)
        tables[code, reference] = (steering_summary(summary.persistence, summary.trend, summary.comparison, members,
                                                    resolved.label, resolved.codes), summary, resolved)
    return tables


def test_summary_rank_is_recounted_from_the_members_values_and_agrees_with_the_counts(corpus, steering):
    ranked = 0
    for (code, reference), (table, summary, resolved) in steering.items():
        comparison = summary.comparison.set_index(["indicator_id", "period"])
        for row in table.to_dict("records"):
            if reference == "riket":
                assert pd.isna(row["rank"]) and "skillnaden av" not in row["rank_text"]
                continue
            # recount by hand from the members' K and M values for the organisation's latest period
            sizes = []
            for member in resolved.codes:
                key = (member, row["indicator_id"])
                if member == code or key not in corpus["series"]:
                    continue
                values = corpus["series"][key]
                values = values[values["period"] == row["latest_period"]]
                if len(values):
                    sizes.append(abs(float(values["value_K"].iloc[0]) - float(values["value_M"].iloc[0])))
            if not sizes:
                assert "saknar värden" in row["rank_text"]
                continue
            own = corpus["series"][code, row["indicator_id"]]
            own = own[own["period"] == row["latest_period"]]
            size = abs(float(own["value_K"].iloc[0]) - float(own["value_M"].iloc[0]))
            same = [s for s in sizes if abs(s - size) <= 1e-6 * max(1.0, size)]
            smaller = [s for s in sizes if s < size and s not in same]
            assert (row["rank"], row["tied"], row["ranked"]) == (1 + len(smaller), len(same), len(sizes) + 1)
            assert f"av {len(sizes) + 1}" in row["rank_text"]
            assert ("delad" in row["rank_text"]) == bool(same), row["rank_text"]
            counts = comparison.loc[(row["indicator_id"], row["latest_period"])]
            # materially smaller members are strictly smaller; materially larger ones strictly larger
            assert counts["members_with_smaller_gap"] <= row["rank"] - 1
            assert counts["members_with_larger_gap"] <= row["ranked"] - row["rank"] - row["tied"]
            assert counts["reference_members"] == len(sizes)
            ranked += 1
    assert ranked > 1000


def test_summary_never_names_a_disadvantaged_sex_below_materiality_or_without_polarity(corpus, steering):
    named = 0
    for (code, reference), (table, summary, resolved) in steering.items():
        for row in table.to_dict("records"):
            latest = corpus["series"][code, row["indicator_id"]]
            latest = latest[latest["period"] == row["latest_period"]].iloc[0]
            material = is_material(latest["gap"], latest["materiality"], max(abs(latest["value_K"]),
                                                                            abs(latest["value_M"])))
            if row["sex_text"] in ("kvinnor", "män"):
                named += 1
                assert material and latest["polarity"] in ("högre är bättre", "lägre är bättre")
                worse_is_higher = latest["polarity"] == "lägre är bättre"
                women_worse = (latest["gap"] > 0) == worse_is_higher
                assert row["sex_text"] == ("kvinnor" if women_worse else "män"), (code, row["indicator_id"])
                assert row["duration_text"].startswith(f"{row['persistence']} år"), row["duration_text"]
            else:
                assert row["sex_text"] in ("ingen påtaglig skillnad", "ingen skillnad") or "kan inte sägas" in row["sex_text"]
                assert not material or latest["polarity"] not in ("högre är bättre", "lägre är bättre")
                assert row["duration_text"] == "–"
    assert named > 1000


def test_summary_direction_agrees_with_the_trend_test_and_fitted_line(steering):
    from jamlib.analysis.steering_summary import summary_sentences

    for (code, reference), (table, summary, resolved) in steering.items():
        trends = summary.trend.set_index("indicator_id")
        for row in table.to_dict("records"):
            trend = trends.loc[row["indicator_id"]]
            text = row["direction_text"]
            if text in ("har minskat", "har ökat", "har bytt håll", "ingen påtaglig förändring"):
                assert trend["significant"] and trend["p_adjusted"] < 0.05 and trend["minimum_p"] <= 0.05
                start, end = trend["fitted_start"], trend["fitted_end"]
                if text == "har minskat":
                    assert start * end >= 0 and abs(end) < abs(start)
                elif text == "har ökat":
                    assert start * end >= 0 and abs(end) > abs(start)
                elif text == "har bytt håll":
                    assert start * end < 0
            elif text == "ingen tydlig trend":
                assert not trend["significant"] and trend["minimum_p"] <= 0.05
            else:
                assert text == "kan inte avgöras", text
                assert pd.isna(trend["p_value"]) or trend["minimum_p"] > 0.05
        sentences = summary_sentences(table)
        assert 1 <= len(sentences) <= 3
        women, men = (table["sex_text"] == "kvinnor").sum(), (table["sex_text"] == "män").sum()
        if women:
            assert f"kvinnor på {women} " in sentences[0]
        if men:
            assert f"män på {men} " in sentences[0]
        if not women and not men:
            assert "varken kvinnor eller män" in sentences[0]


def test_the_first_screen_says_three_year_averages_wherever_it_speaks_of_fall_injuries(steering):
    """The summary table and its sentences are what a steering group reads first: N20402's run of years is a run
    of three-year averages, and its cell and the "Längst i rad" sentence must say so."""
    from jamlib.analysis.steering_summary import summary_sentences

    cells = sentences_named = 0
    for (code, reference), (table, summary, resolved) in steering.items():
        for row in table.to_dict("records"):
            if row["indicator_id"] == "N20402" and row["duration_text"] != "–":
                assert "treårsmedelvärden" in row["duration_text"], (code, row["duration_text"])
                cells += 1
            elif row["indicator_id"] != "N20402":
                assert "medelvärden" not in row["duration_text"], (code, row["duration_text"])
        for sentence in summary_sentences(table):
            if "Fallskador" in sentence:
                assert "treårsmedelvärden" in sentence, sentence
                sentences_named += 1
    assert cells > 500 and sentences_named > 100


# -- every bundled organisation without a Kolada code (own statistics) ---------------------------------------

def _own_rows_by_hand() -> pd.DataFrame:
    """The bundled own indicator files read with pandas alone (not jamlib): organisation, indicator, period, K/M."""
    sexes = {"kvinnor": "K", "flickor": "K", "män": "M", "pojkar": "M", "totalt": "T"}
    frames = []
    for path in sorted((RAW / "indicators").glob("*.csv")):
        frame = pd.read_csv(path, sep=";", decimal=",", dtype={"Period": str})
        frame["sex"] = frame["Kön"].str.lower().map(sexes)
        frames.append(frame)
    rows = pd.concat(frames, ignore_index=True)
    wide = rows.pivot_table(index=["Organisation", "Indikator", "Period", "Enhet", "Polaritet"], columns="sex",
                            values="Värde", aggfunc="first").reset_index()
    return wide


@pytest.fixture(scope="module")
def own_reports():
    from jamlib.ingest.sources import load_organisation_folder

    data = load_indicator_folder([RAW / "kolada", RAW / "indicators"])
    table = load_organisation_folder(RAW / "organisations")
    names = sorted(_own_rows_by_hand()["Organisation"].unique())
    return {name: indicator_report(data, name, None, organisations=table) for name in names}


def test_every_bundled_own_organisation_is_in_the_corpus(own_reports):
    assert len(own_reports) >= 2  # Kfast AB and Rekarnebygymnasiet today; a new bundled file joins by itself
    for name, report in own_reports.items():
        assert report.reference is None
        notes = " ".join(report.sentences.loc[report.sentences["indicator_id"] == "", "text"])
        assert "jämförs inte med någon referens" in notes, name
        for text in report.sentences["text"]:  # no comparison sentence without a reference
            assert "saknar värden för både" not in text and " än i " not in text and "medianen" not in text, text


def test_own_organisations_name_a_disadvantaged_sex_only_on_a_material_gap_with_a_direction(own_reports):
    by_hand = _own_rows_by_hand()
    named = 0
    for name, report in own_reports.items():
        texts = dict(zip(report.sentences["indicator_id"], report.sentences["text"]))
        for row in report.persistence.to_dict("records"):
            first = sentences(texts[row["indicator_id"]])[0]
            mine = by_hand[(by_hand["Organisation"] == name) & (by_hand["Indikator"] == row["indicator_id"])]
            latest = mine[mine["Period"] == row["latest_period"]].iloc[0]
            gap = float(latest["K"]) - float(latest["M"])
            polarity = str(latest["Polaritet"])
            threshold = float(row["materiality"])
            if polarity in ("högre är bättre", "lägre är bättre") and abs(gap) >= threshold > 0:
                women_worse = (gap < 0) if polarity == "högre är bättre" else (gap > 0)
                worse, better = ("kvinnor", "män") if women_worse else ("män", "kvinnor")
                assert f"har {worse} haft ett sämre värde än {better}" in first, (name, first)
                named += 1
            else:
                assert "sämre värde" not in first, (name, first)
                if polarity == "neutral":
                    assert "sägs inget kön vara missgynnat" in first and "neutral" in first, first
                else:
                    assert "inte påtaglig" in first or "samma värde" in first, first
    assert named >= 2  # Kfast's two service indices: women 4,5 and 3 points below men


def test_own_organisations_claim_no_trend_above_the_adjusted_threshold_and_follow_the_fitted_line(own_reports):
    for name, report in own_reports.items():
        tests = [*report.trend["p_value"].dropna(), *report.share_trends["p_value"].dropna()]
        expected = multipletests(tests, method="fdr_bh")[1] if tests else []
        adjusted = [*report.trend["p_adjusted"].dropna(), *report.share_trends["p_adjusted"].dropna()]
        assert adjusted == pytest.approx(list(expected))
        for row in report.trend.to_dict("records"):
            claimed = bool(_CLAIM.search(row["text"]))
            assert claimed == bool(row["significant"] and row["p_adjusted"] < 0.05 and row["minimum_p"] <= 0.05), row["text"]
            if not row["significant"]:
                assert row["trend"] in ("ingen tydlig trend", "kan inte bedömas"), (name, row["text"])
        for row in report.share_trends.to_dict("records"):
            claimed = bool(_CLAIM.search(row["text"]))
            assert claimed == (row["p_adjusted"] < 0.05 and row["minimum_p"] <= 0.05), row["text"]


def test_own_organisations_shares_are_the_counts_in_the_file(own_reports):
    from statsmodels.stats.proportion import proportion_confint

    by_hand = _own_rows_by_hand()
    checked = 0
    for name, report in own_reports.items():
        for row in report.share_trends.to_dict("records"):
            mine = by_hand[(by_hand["Organisation"] == name) & (by_hand["Indikator"] == row["indicator_id"])]
            mine = mine.sort_values("Period")
            first, last = mine.iloc[0], mine.iloc[-1]
            k0, n0 = int(first["K"]), int(first["K"] + first["M"])
            k1, n1 = int(last["K"]), int(last["K"] + last["M"])
            low, high = proportion_confint(k1, n1, method="wilson")
            pct = lambda v: f"{100 * v:.1f}".replace(".", ",")  # noqa: E731
            assert f"{pct(k0 / n0)} % ({k0} av {n0}) {first['Period']}" in row["text"], row["text"]
            assert f"{pct(k1 / n1)} % ({k1} av {n1}; 95 % konfidensintervall {pct(low)}–{pct(high)} %) {last['Period']}" \
                in row["text"], row["text"]
            checked += 1
    assert checked >= 1  # Rekarnebygymnasiet's girls on the building programme
