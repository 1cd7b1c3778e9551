"""The representation chart: share of units per class and year, with the target as a dashed line."""

from __future__ import annotations

import altair as alt
import pandas as pd

from jamlib.analysis.representation import ACT_CLASSES, UNCLASSIFIED, representation_summary
from jamlib.report.charts import _configure

__all__ = ["representation_chart", "CLASS_COLOURS"]

#: One colour per class (Okabe–Ito orange and blue as for women and men, bluish green for mixed, grey for none).
CLASS_COLOURS: dict[str, str] = {"kvinnodominerad": "#E69F00", "mansdominerad": "#0072B2", "mixad": "#009E73",
                                 UNCLASSIFIED: "#BBBBBB"}


def representation_chart(units: pd.DataFrame, target: object = 0.5, title: str | None = None) -> alt.TopLevelMixin:
    """Stacked bars: each year's units by class (per cent of all units), one panel per organisation.

    Parameters
    ----------
    units
        Validated representation units.
    target
        The women's target share (see :func:`jamlib.analysis.representation.parse_target`), drawn dashed.
    title
        Chart title (Swedish); by default one naming the target.
    """
    summary = representation_summary(units, target)
    rows = []
    for _, r in summary.iterrows():
        for cls, column in (("kvinnodominerad", "women_class"), ("mansdominerad", "men_class"), ("mixad", "mixed"),
                            (UNCLASSIFIED, "unclassified")):
            if r[column]:
                rows.append({"Organisation": r["org_name"], "År": str(r["period"]), "Klass": cls,
                             "Antal": int(r[column]), "Andel": 100 * r[column] / r["units"],
                             "Text": f"{int(r[column])} av {int(r['units'])}"})
    data = pd.DataFrame(rows)
    goal = float(summary["target"].iloc[0]) * 100
    domain = [*ACT_CLASSES, UNCLASSIFIED]
    bars = alt.Chart().mark_bar().encode(
        x=alt.X("År:O", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("Andel:Q", title="Andel av enheterna (%)", stack=True, scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("Klass:N", scale=alt.Scale(domain=domain, range=[CLASS_COLOURS[c] for c in domain]),
                        legend=alt.Legend(title=None, orient="top")),
        order=alt.Order("Klass:N", sort="ascending"),
        tooltip=["Organisation:N", "År:O", "Klass:N", "Text:N", alt.Tooltip("Andel:Q", format=",.0f", title="Andel (%)")],
    )
    rule = alt.Chart().mark_rule(strokeDash=[5, 4], color="#333").encode(y=alt.datum(goal))
    label = title or f"Andel enheter per klass; streckat: målet {format(goal, '.0f')} % kvinnodominerade"
    layered = alt.layer(bars, rule, data=data).properties(width=alt.Step(70), height=220)
    if data["Organisation"].nunique() > 1:
        layered = layered.facet(column=alt.Column("Organisation:N", title=None)).resolve_scale(x="independent")
    return _configure(layered.properties(title=alt.TitleParams(label, anchor="start")))
