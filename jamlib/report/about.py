""""Om data": what each indicator is, where it comes from, and what it is compared with.

A steering group should be able to see, next to every figure, the indicator's
definition and source, its unit, which direction counts as better and why, when
it was published and fetched, and which organisations the comparison group holds
and how its value is formed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jamlib.kpis import polarity_reason
from jamlib.organisations import municipality_name, organisation_id
from jamlib.report.indicator_report import IndicatorReport
from jamlib.vocabulary import Polarity, ReferenceKind

__all__ = ["about_data", "about_paragraphs", "about_sources", "ABOUT_COLUMNS"]

ABOUT_COLUMNS = ["Indikator", "Id", "Definition", "Källa", "Enhet", "Riktning", "Varför", "Publicerad",
                 "Hämtad", "Jämförelse", "Jämförelsegruppens medlemmar", "Så bildas jämförelsevärdet", "Fil"]

_DIRECTION = {
    Polarity.HIGHER_IS_BETTER: "högre är bättre",
    Polarity.LOWER_IS_BETTER: "lägre är bättre",
    Polarity.NEUTRAL: "neutral: inget håll är bättre",
    Polarity.UNKNOWN: "okänd: rapporten säger inte vilket kön som missgynnas (ange polaritet)",
}


def _reference_text(report: IndicatorReport) -> tuple[str, str, str]:
    reference = report.reference
    if reference is None:
        return "ingen", "", ""
    members = ", ".join(municipality_name(c) or c for c in reference.codes)
    if reference.kind == ReferenceKind.COUNTRY or reference.codes == ("0000",):
        how = "Rikets eget värde för kvinnor och män, som Kolada publicerar det."
    else:
        how = ("Ovägt medelvärde av medlemmarnas värden för kvinnor respektive män (som Koladas \"ovägt medel\"); "
               f"{report.org_name} ingår inte.")
    return reference.label, members, how


def about_data(report: IndicatorReport, metadata: pd.DataFrame | None = None, fetched: str | None = None,
               files: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per indicator of a report with everything a reader needs to know about the data.

    Parameters
    ----------
    report
        The indicator report.
    metadata
        Kolada KPI metadata (:func:`jamlib.ingest.kolada_metadata.read_kpi_metadata`); indicators without
        metadata (own statistics) keep the title the data gave them.
    fetched
        When the values were fetched (the snapshot date), if known.
    files
        ``indicator_id`` and ``source_file`` of own data, if any: the file each indicator came from (and
        ``source``, the file's own "Källa" column, shown as the source when given).

    Returns
    -------
    pandas.DataFrame
        Text columns :data:`ABOUT_COLUMNS` (Swedish), in the report's indicator order.
    """
    meta = metadata.set_index("kpi") if metadata is not None and not metadata.empty else pd.DataFrame()
    label, members, how = _reference_text(report)
    ids = report.indicator_ids
    rows = []
    for indicator in ids:
        own = report.gaps[report.gaps["indicator_id"] == indicator]
        info = meta.loc[indicator] if indicator in meta.index else None
        polarity = Polarity(own["polarity"].iloc[0]) if not own.empty and own["polarity"].iloc[0] in set(Polarity) \
            else Polarity.UNKNOWN
        source_files = own_source = ""
        if files is not None and not files.empty:
            mine = files[files["indicator_id"] == indicator]
            source_files = ", ".join(sorted(set(mine["source_file"].dropna())))
            if "source" in mine.columns:  # what the file's own "Källa" column says
                own_source = "; ".join(dict.fromkeys(str(v) for v in mine["source"].dropna() if str(v).strip()))
        title = (info["title"] if info is not None and info["title"] else
                 (own["indicator_title"].dropna().iloc[0] if not own.empty and own["indicator_title"].notna().any()
                  else indicator))
        rows.append({
            "Indikator": title, "Id": indicator,
            "Definition": info["description"] if info is not None else "",
            "Källa": (info["source"] or "Kolada (RKA)") if info is not None else (own_source or ("Egen statistik" if source_files else "")),
            "Enhet": own["unit"].dropna().iloc[0] if not own.empty and own["unit"].notna().any() else "",
            "Riktning": _DIRECTION[polarity],
            "Varför": polarity_reason(indicator) if polarity != Polarity.UNKNOWN else "",
            "Publicerad": info["publication_date"] if info is not None else "",
            "Hämtad": (fetched or "") if info is not None else "",  # the Kolada snapshot's date, not an own file's
            "Jämförelse": label, "Jämförelsegruppens medlemmar": members, "Så bildas jämförelsevärdet": how,
            "Fil": source_files,
        })
    return pd.DataFrame(rows, columns=ABOUT_COLUMNS)


def about_paragraphs(about: pd.DataFrame) -> list[str]:
    """The "Om data" table as short paragraphs for a report: one per indicator, then the comparison once."""
    paragraphs = []
    for _, row in about.iterrows():
        parts = [f"{row['Indikator']} ({row['Id']})."]
        if row["Definition"]:
            parts.append(f"Definition: {row['Definition']}")
        details = [f"Källa: {row['Källa']}" if row["Källa"] else "", f"Enhet: {row['Enhet']}" if row["Enhet"] else "",
                   f"Riktning: {row['Riktning']}" + (f" ({row['Varför']})" if row["Varför"] else ""),
                   f"Publicerad: {row['Publicerad']}" if row["Publicerad"] else "",
                   f"Hämtad: {row['Hämtad']}" if row["Hämtad"] else "", f"Fil: {row['Fil']}" if row["Fil"] else ""]
        parts.append(". ".join(d for d in details if d) + ".")
        paragraphs.append(" ".join(parts))
    if not about.empty and about["Jämförelse"].iloc[0] not in ("", "ingen"):
        first = about.iloc[0]
        text = f"Jämförelse: {first['Jämförelse']}."
        if first["Jämförelsegruppens medlemmar"] and "," in first["Jämförelsegruppens medlemmar"]:
            text += f" Medlemmar: {first['Jämförelsegruppens medlemmar']}."
        paragraphs.append(f"{text} {first['Så bildas jämförelsevärdet']}".strip())
    return paragraphs


def about_sources(report: IndicatorReport, data: pd.DataFrame, folders: list) -> pd.DataFrame:
    """:func:`about_data` for a report read from these folders: Kolada's metadata and fetch date, and own files.

    Parameters
    ----------
    report
        The indicator report.
    data
        The indicator rows the report was made from (:func:`jamlib.load_indicator_folder`).
    folders
        The folders they were read from; the Kolada ones hold ``kpi.json`` and ``snapshot.toml``.

    Returns
    -------
    pandas.DataFrame
        As :func:`about_data`; an own indicator names the file(s) it came from.
    """
    from pathlib import Path

    from jamlib.ingest.kolada_metadata import read_kpi_metadata, snapshot_date

    frames = [read_kpi_metadata(f) for f in folders if Path(f).is_dir()]
    frames = [f for f in frames if not f.empty]
    metadata = pd.concat(frames, ignore_index=True).drop_duplicates("kpi") if frames else None
    fetched = next((d for d in (snapshot_date(f) for f in folders) if d), None)
    files = None
    if "source_file" in data.columns and "org_name" in data.columns:
        codes = data["org_code"] if "org_code" in data.columns else pd.Series(None, index=data.index, dtype=object)
        names = data["org_name"].astype(object)
        maybe = (codes.isna() & names.notna()).to_numpy()  # rows of own files
        mine = {n: isinstance(n, str) and (n == report.org_name or organisation_id(n) == report.org_code)
                for n in pd.unique(names[maybe])}  # whether a name is this organisation's: once per name
        own = np.zeros(len(data), dtype=bool)
        own[maybe] = np.array([mine[n] for n in names[maybe]], dtype=bool)
        files = data.loc[own, [c for c in ("indicator_id", "source_file", "source") if c in data.columns]]
    return about_data(report, metadata, fetched, files)
