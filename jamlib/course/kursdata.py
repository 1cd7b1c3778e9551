"""The course's data: the bundled data as plain tables with Swedish column names.

Participants in the course (``notebooks/kurs/``) are new to Python. The tables
they filter, pivot and chart therefore have short Swedish column names and one
row per municipality, indicator, year and sex. Everything comes from the data
bundled under ``data/raw/`` and is read through jamlib's own validated readers;
values that rest on fewer persons than the disclosure threshold are removed
before a participant sees them (:func:`jamlib.suppress_small_counts`).

The functions participants call have Swedish names, because participants type
them: :func:`kolada`, :func:`indikatorer`, :func:`kommuner`,
:func:`liknande_kommuner`, :func:`sokvag` and :func:`diagram_utan_internet`.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import pandas as pd

from jamlib.errors import DataFileError
from jamlib.formatting import period_start
from jamlib.organisations import check_municipality_code, municipalities, municipality_name

__all__ = ["KOLADA_COLUMNS", "kolada", "indikatorer", "kommuner", "liknande_kommuner", "sokvag",
           "diagram_utan_internet", "RIKET"]

#: The folder with the Kolada snapshot, relative to the repository.
_KOLADA_FOLDER = "data/raw/kolada"

#: Kolada's code for the whole country.
RIKET = "0000"

#: Columns of :func:`kolada`, in order.
KOLADA_COLUMNS = ["kommunkod", "kommun", "typ", "indikator", "år", "kön", "värde"]

_TYPE_WORDS = {"K": "kommun", "L": "region"}


def sokvag(relativ: str) -> str:
    """The path to a bundled data file, found from the notebook's own folder.

    Parameters
    ----------
    relativ
        The path below ``data/raw/``, e.g. ``"published/skr_2020_2022_tabell_2_mentorer.csv"``.

    Returns
    -------
    str
        A path that works from the current folder (``notebooks/kurs/``,
        ``notebooks/kurs/kursledare/`` or the repository itself).

    Raises
    ------
    DataFileError
        When the file cannot be found; the message says where JupyterLab should be started.
    """
    from jamlib.report.display import find_folder

    wanted = f"data/raw/{relativ}"
    found = find_folder(wanted)
    if not Path(found).exists():
        raise DataFileError(
            f"Hittar inte {wanted}. Starta JupyterLab i mappen där jamlib ligger (den som har mappen data) "
            "och öppna kursens anteckningsböcker under notebooks/kurs/.", wanted)
    return found


#: Bump when the course tables change shape, so that old caches are not read.
_CACHE_VERSION = 2


def _fingerprint(folder: Path) -> str:
    """A digest of everything the course tables are built from: the Kolada files and jamlib's version."""
    import jamlib

    digest = hashlib.sha256(f"{_CACHE_VERSION}:{jamlib.__version__}".encode())
    for path in sorted(folder.glob("*.json")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _cache_folder() -> Path | None:
    from jamlib.report.display import find_folder

    processed = Path(find_folder("data/processed"))
    return processed / "kurs" if processed.is_dir() else None


def _build_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read and validate the Kolada files (slow: every row is checked) and make the two course tables."""
    from jamlib.analysis.disclosure import suppress_small_counts
    from jamlib.report.indicator_report import load_indicator_folder

    rows = load_indicator_folder(sokvag("kolada"))
    shown = suppress_small_counts(rows)
    shown = shown[~shown["suppressed"] & shown["value"].notna()]
    kinds = {row.code: _TYPE_WORDS.get(row.type, row.type) for row in municipalities().itertuples()}
    kinds[RIKET] = "riket"
    table = pd.DataFrame({
        "kommunkod": shown["org_code"].astype(str),
        "kommun": shown["org_name"].astype(str),
        "typ": shown["org_code"].map(kinds).astype(str),
        "indikator": shown["indicator_id"].astype(str),
        "år": [period_start(p) for p in shown["period"]],
        "kön": shown["sex"].astype(str),
        "värde": shown["value"].astype(float),
    })
    table["år"] = table["år"].astype("int64")
    table = table.sort_values(["indikator", "kommunkod", "år", "kön"]).reset_index(drop=True)
    meta = rows.groupby("indicator_id", sort=True).agg(
        namn=("indicator_title", "first"), enhet=("unit", "first"), riktning=("polarity", "first")).reset_index()
    meta = meta.rename(columns={"indicator_id": "indikator"}).astype("str")
    return table, meta


@lru_cache(maxsize=1)
def _tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The course tables, from a cache under ``data/processed/kurs/`` when the Kolada files are unchanged.

    Validating every Kolada row takes tens of seconds on a classroom laptop; the
    cache makes every lesson after the first start in a second or two. The cache
    is keyed by the files' contents, so changed or added files rebuild it. When
    the folder cannot be written (read-only), the tables are built every time.
    """
    from jamlib.files import atomic_write

    folder = _cache_folder()
    key = _fingerprint(Path(sokvag("kolada")))
    names = {"kolada": f"kolada_{key}.parquet", "indikatorer": f"indikatorer_{key}.parquet"}
    if folder is not None and all((folder / n).exists() for n in names.values()):
        try:
            return pd.read_parquet(folder / names["kolada"]), pd.read_parquet(folder / names["indikatorer"])
        except (OSError, ValueError):
            pass  # a damaged cache is rebuilt below
    table, meta = _build_tables()
    if folder is not None:
        try:
            for name, frame in ((names["kolada"], table), (names["indikatorer"], meta)):
                with atomic_write(folder / name) as handle:
                    frame.to_parquet(handle, index=False)
            for old in folder.glob("*.parquet"):
                if old.name not in names.values():
                    old.unlink()
        except OSError:
            pass  # no cache then; the tables are still right
    return table, meta


def kolada() -> pd.DataFrame:
    """Kolada's values for Karlstad's five elderly-care indicators, for every municipality, region and Riket.

    Returns
    -------
    pandas.DataFrame
        One row per organisation, indicator, year and sex with a value:
        ``kommunkod`` (text with four digits, ``"1780"``), ``kommun`` (name),
        ``typ`` (``"kommun"``, ``"region"`` or ``"riket"``), ``indikator``
        (Kolada's id, e.g. ``"U23401"``), ``år`` (integer), ``kön`` (``"K"``,
        ``"M"`` or ``"T"``) and ``värde``. Years without a value are left out.
        A new table on every call, so a participant cannot spoil the next one.
    """
    return _tables()[0].copy()


def indikatorer() -> pd.DataFrame:
    """The indicators in :func:`kolada`: id, Kolada's title, unit and direction.

    Returns
    -------
    pandas.DataFrame
        ``indikator``, ``namn``, ``enhet`` and ``riktning`` (``"högre är bättre"``
        or ``"lägre är bättre"``: whether a higher value is better for the people concerned).
    """
    return _tables()[1].copy()


def kommuner() -> pd.DataFrame:
    """Every municipality and region with its code, and Riket.

    Returns
    -------
    pandas.DataFrame
        ``kommunkod``, ``namn`` and ``typ`` (``"kommun"``, ``"region"`` or ``"riket"``).
    """
    table = municipalities()
    kinds = [("riket" if code == RIKET else _TYPE_WORDS.get(kind, kind)) for code, kind in zip(table["code"], table["type"])]
    return pd.DataFrame({"kommunkod": table["code"], "namn": table["name"], "typ": kinds})


def liknande_kommuner(kommunkod: object = "1780") -> pd.DataFrame:
    """The municipality's Kolada group "Liknande kommuner äldreomsorg", without the municipality itself.

    Parameters
    ----------
    kommunkod
        The municipality, e.g. ``"1780"`` (Karlstad).

    Returns
    -------
    pandas.DataFrame
        ``kommunkod`` and ``kommun`` of the members; ``attrs["grupp"]`` holds the group's title.

    Raises
    ------
    ParameterError
        When the code is no municipality or it has no such group.
    """
    from jamlib.analysis.reference import resolve_reference

    code = check_municipality_code(kommunkod)
    group = resolve_reference("liknande", code)
    members = pd.DataFrame({"kommunkod": list(group.codes),
                            "kommun": [municipality_name(c) or c for c in group.codes]})
    members.attrs["grupp"] = group.label
    return members


def diagram_utan_internet() -> None:
    """Show altair charts the way jamlib shows its own: without network, Swedish numbers, jamlib's colours.

    Registers and enables the altair renderer ``jamlib``. Each chart is shown with
    two forms (:func:`jamlib.report.charts.spec_bundle`): the Vega-Lite
    specification, which JupyterLab 4 draws interactively with its built-in Vega,
    and a static SVG drawn in Python by vl-convert, which VS Code, nbconvert and
    GitHub show. Nothing is fetched from the internet (altair's ``html``
    renderer would fetch Vega from a CDN). Decimal comma and category colours come
    from :func:`jamlib.report.charts.with_swedish_defaults`: ``K``, ``M`` and
    ``T`` are orange, blue and grey as in the reports.
    """
    import altair as alt

    from jamlib.report.charts import spec_bundle, with_swedish_defaults

    alt.renderers.register("jamlib", lambda spec, **_: spec_bundle(with_swedish_defaults(spec)))
    alt.renderers.enable("jamlib")
