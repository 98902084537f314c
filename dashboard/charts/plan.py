"""Figures of the plan and of the assessment: months ahead, units' load, realisation, reasons, levels."""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard import i18n
from dashboard.charts.base import empty, palette, style
from dashboard.charts.timeline import DAY_MS, TODAY_COLOR
from dashboard.reference import label
from dashboard.schema import ACTION_STATUSES, ASSESSMENTS, REGIONS

OVERLAP_COLOR = "#b00020"
NOT_ASSESSED_COLOR = "#c8c8c8"
TOP_COUNTRIES = 10
OTHERS = "Autres pays"


def _text(value: object) -> str:
    """A data value as plotly text: plotly reads `<b>` and friends, so escape it."""
    return html.escape(str(value))


def _dates(frame: pd.DataFrame) -> list[str]:
    return [f"{i18n.date(s)} – {i18n.date(e)}" for s, e in zip(frame["start_date"], frame["end_date"], strict=True)]


def upcoming(frame: pd.DataFrame, by: str) -> go.Figure:
    """Planned actions per month, stacked by region or by the leading countries: month, `by`, actions."""
    if frame.empty:
        return empty("Aucune action prévue sur les douze prochains mois")
    frame = frame.copy()
    if by == "region":
        order = [r for r in REGIONS if r in set(frame["region"])]
        colors = palette("region")
    else:
        leading = frame.groupby(by)["actions"].sum().sort_values(ascending=False).head(TOP_COUNTRIES).index
        frame[by] = frame[by].where(frame[by].isin(leading), OTHERS)
        frame = frame.groupby(["month", by], as_index=False)["actions"].sum()
        order = [*leading, *([OTHERS] if OTHERS in set(frame[by]) else [])]
        colors = {}
    # Months as French words on a category axis (plotly's own date ticks are in English).
    months = sorted(pd.to_datetime(frame["month"]).dt.date.unique())
    words = {m: i18n.month(m) for m in months}
    fig = go.Figure()
    for value in order:
        part = frame[frame[by] == value]
        name = _text(value if value == OTHERS else label(by, value))
        fig.add_bar(
            x=[words[m] for m in pd.to_datetime(part["month"]).dt.date],
            y=part["actions"],
            name=name,
            marker_color=colors.get(value),
            hovertemplate=f"<b>{name}</b><br>%{{x}} : %{{y:,.0f}} action(s)<extra></extra>",
        )
    fig.update_layout(barmode="stack", yaxis_title="Actions prévues", legend={"traceorder": "normal"})
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=[words[m] for m in months], title=None)
    return style(fig, height=380)


def unit_load(spans: pd.DataFrame, overlaps: pd.DataFrame, units: list[str], today: dt.date) -> go.Figure:
    """Each unit's commitments on one line (bars coloured by region, one per country where its actions
    touch) and, in red above them, the days it is committed in two places or more."""
    spans = spans[spans["unit"].isin(units)]
    if spans.empty:
        return empty("Aucun engagement prévu d'unité sur les douze prochains mois")
    fig = go.Figure()
    colors = palette("region")
    for region in [r for r in REGIONS if r in set(spans["region"])]:
        part = spans[spans["region"] == region]
        start, end = pd.to_datetime(part["start_date"]), pd.to_datetime(part["end_date"])
        days = (end - start).dt.days + 1
        fig.add_bar(
            base=start.dt.strftime("%Y-%m-%d"),
            x=days * DAY_MS,
            y=part["unit"].map(_text),
            orientation="h",
            name=region,
            marker={"color": colors[region], "line": {"width": 0}},
            width=0.5,
            customdata=list(
                zip(
                    [_text(label("country_iso3", c)) for c in part["country_iso3"]],
                    [
                        f"{i18n.date(s)} – {i18n.date(e)}"
                        for s, e in zip(part["start_date"], part["end_date"], strict=True)
                    ],
                    part["actions"],
                    strict=True,
                )
            ),
            hovertemplate="<b>%{y}</b> · %{customdata[0]}<br>%{customdata[1]}<br>%{customdata[2]} action(s)"
            "<extra></extra>",
        )
    clash = overlaps[overlaps["unit"].isin(units)]
    if not clash.empty:
        start, end = pd.to_datetime(clash["start_date"]), pd.to_datetime(clash["end_date"])
        fig.add_bar(
            base=start.dt.strftime("%Y-%m-%d"),
            x=((end - start).dt.days + 1) * DAY_MS,
            y=clash["unit"].map(_text),
            orientation="h",
            name="Unité engagée dans deux pays ou plus",
            marker={"color": OVERLAP_COLOR, "opacity": 0.9, "line": {"width": 0}},
            width=0.18,
            offset=0.22,
            customdata=list(
                zip(
                    [
                        f"{i18n.date(s)} – {i18n.date(e)}"
                        for s, e in zip(clash["start_date"], clash["end_date"], strict=True)
                    ],
                    [_text(", ".join(label("country_iso3", c) for c in cs)) for cs in clash["countries"]],
                    strict=True,
                )
            ),
            hovertemplate="<b>%{y} : chevauchement</b><br>%{customdata[0]}<br>%{customdata[1]}<extra></extra>",
        )
    fig.add_shape(
        type="line", xref="x", yref="paper", x0=today.isoformat(), x1=today.isoformat(), y0=0, y1=1,
        line={"color": TODAY_COLOR, "width": 2, "dash": "dash"},
    )  # fmt: skip
    fig.update_layout(barmode="overlay", xaxis={"type": "date", "title": None}, yaxis={"title": None})
    fig.update_yaxes(categoryorder="array", categoryarray=[_text(u) for u in reversed(units)])
    return style(fig, height=max(300, 34 * len(units) + 120))


def realisation(frame: pd.DataFrame, by: str = "year") -> go.Figure:
    """Actions due against those realised per year, with the realisation rate: `plan.realisation`."""
    due = frame[frame["due"] > 0]
    if due.empty:
        return empty("Aucune action échue dans la sélection")
    x = due[by].astype(str) if by == "year" else [_text(label(by, v)) for v in due[by]]
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_bar(x=x, y=due["due"], name="Programmées (échues)", marker_color="#9fb3c8",
                hovertemplate="%{x} : %{y:,.0f} programmée(s) échue(s)<extra></extra>")  # fmt: skip
    fig.add_bar(x=x, y=due["realised"], name="Réalisées", marker_color=ACTION_STATUSES.get("réalisée").color,
                hovertemplate="%{x} : %{y:,.0f} réalisée(s)<extra></extra>")  # fmt: skip
    fig.add_scatter(
        x=x,
        y=due["rate"],
        name="Taux de réalisation",
        mode="lines+markers",
        line={"color": "#e0a030", "width": 3},
        hovertemplate="%{x} : %{y:.0%} réalisées<extra></extra>",
        secondary_y=True,
    )
    fig.update_layout(barmode="group", xaxis={"title": None, "type": "category"})
    fig.update_yaxes(title_text="Actions", secondary_y=False)
    fig.update_yaxes(title_text="Taux de réalisation", tickformat=".0%", range=[0, 1.05], secondary_y=True,
                     showgrid=False)  # fmt: skip
    return style(fig, height=360)


def reasons(frame: pd.DataFrame) -> go.Figure:
    """Cancelled and postponed actions per reason: status, reason, actions."""
    if frame.empty:
        return empty("Aucune action annulée ni reportée dans la sélection")
    totals = frame.groupby("reason")["actions"].sum().sort_values()
    fig = go.Figure()
    for code in ("annulée", "reportée"):
        part = frame[frame["status"] == code].set_index("reason").reindex(totals.index)
        name = ACTION_STATUSES.label(code) + "s"
        fig.add_bar(
            x=part["actions"].fillna(0),
            y=[_text(r) for r in totals.index],
            orientation="h",
            name=name,
            marker_color=ACTION_STATUSES.get(code).color,
            hovertemplate=f"<b>%{{y}}</b><br>{name} : %{{x:,.0f}}<extra></extra>",
        )
    fig.update_layout(barmode="stack", xaxis_title="Actions", yaxis_title=None)
    return style(fig, height=max(260, 30 * len(totals) + 120))


def assessment(frame: pd.DataFrame, by: str) -> go.Figure:
    """Share of each assessment level among the realised actions of each `by` value (`plan.assessment_levels`),
    best mean level on top; the unassessed ones in grey at the end."""
    if frame.empty:
        return empty("Aucune action réalisée dans la sélection")
    means = frame.groupby(by)["mean_level"].first().fillna(-1).sort_values()
    names = [_text(label(by, v)) for v in means.index]
    fig = go.Figure()
    colors = {**ASSESSMENTS.colors(), "non évalué": NOT_ASSESSED_COLOR}
    for level in (*ASSESSMENTS.codes, "non évalué"):
        part = frame[frame["assessment"] == level].set_index(by).reindex(means.index)
        level_name = ASSESSMENTS.label(level) if level in ASSESSMENTS.codes else "Non évalué"
        fig.add_bar(
            x=part["share"].fillna(0),
            y=names,
            orientation="h",
            name=level_name,
            marker_color=colors[level],
            customdata=part["actions"].fillna(0),
            hovertemplate=f"<b>%{{y}}</b><br>{level_name} : %{{x:.0%}} (%{{customdata:,.0f}} actions)<extra></extra>",
        )
    fig.update_layout(barmode="stack", xaxis={"tickformat": ".0%", "range": [0, 1], "title": None})
    return style(fig, height=max(240, 34 * len(names) + 120))
