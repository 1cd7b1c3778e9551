"""Batches over organisations without a municipality code: committees, companies, administrations.

``jam batch`` selects municipalities by code. A committee or a company has no
code, so it is chosen by name (``--namn "Destination Eskilstuna AB"``) or taken
from a data file (``--alla-i FIL``: every organisation in a results chain,
checklist, representation or participation file). Each report gets the name in
the notebook's ``organisation`` parameter (``--namn-parameter`` to change) and
is filed under a safe file name made from it.
"""

from __future__ import annotations

from pathlib import Path

from jamlib.errors import DataFileError, ParameterError
from jamlib.files import safe_filename
from jamlib.run.batch import Job
from jamlib.run.parameters import check_parameter_names, notebook_parameters

__all__ = ["organisations_in_file", "named_jobs"]


def organisations_in_file(path: str | Path) -> list[tuple[str, str]]:
    """The organisations of a data file, as ``(what to pass to the notebook, name to show)`` pairs in file order.

    A results chain gives each organisation's key (its code, ``"Överordnad / Namn"`` or its name);
    other tables give the organisation names.

    Raises
    ------
    ParameterError
        When the file holds no organisations.
    """
    from jamlib.analysis.results_chain import chain_organisations
    from jamlib.ingest.checked import load_checked

    if Path(path).is_dir():  # a folder: the first kind of table with organisations found in it
        for kind in ("results_chain", "checklist", "participation", "representation", "resources"):
            try:
                result = load_checked(path, kind)
                break
            except DataFileError:
                continue
        else:
            raise ParameterError(f"Mappen {path} innehåller ingen tabell med organisationer att köra för.")
    else:
        result = load_checked(path)
    data = result.data
    if data.empty or "org_name" not in data.columns:
        raise ParameterError(f"{Path(path).name} innehåller inga organisationer att köra för ({result.summary})")
    if result.kind == "results_chain":
        table = chain_organisations(data)
        return [(key, f"{name} ({parent})" if parent and not code else name)
                for key, name, parent, code in zip(table["organisation"], table["org_name"], table["parent"],
                                                   table["org_code"])]
    names = list(dict.fromkeys(str(n) for n in data["org_name"].dropna()))
    return [(name, name) for name in names]


def named_jobs(notebook: str | Path, organisations: list[tuple[str, str]], parameters: dict | None = None,
               parameter: str = "organisation") -> list[Job]:
    """One job per organisation, the key in ``parameter`` and the other parameters as given.

    Raises
    ------
    ParameterError
        When the notebook does not declare ``parameter`` or another parameter, or no organisation is given.
    """
    notebook = Path(notebook)
    if not organisations:
        raise ParameterError("Inga organisationer valda: ange --namn eller --alla-i.")
    if parameter not in notebook_parameters(notebook):
        raise ParameterError(f"{notebook.name} har ingen parameter {parameter!r} som kan ta emot organisationens namn. "
                             "Välj en annan med --namn-parameter.")
    parameters = dict(parameters or {})
    check_parameter_names(notebook, {parameter: "", **parameters})
    stems: dict[str, int] = {}
    jobs = []
    for key, name in organisations:
        stem = safe_filename(key, suffix="")
        stems[stem] = stems.get(stem, 0) + 1
        if stems[stem] > 1:
            stem = f"{stem}_{stems[stem]}"
        jobs.append(Job(notebook, {**parameters, parameter: key}, "–", name, stem))
    return jobs

