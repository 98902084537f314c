"""Figures of the overview page: actions per year, leading partners, regions."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.base import empty, label, palette, style, text
from dashboard.schema import MEASURES, REGIONS


def per_year(frame: pd.DataFrame, stack: str, measure: str = "actions") -> go.Figure:
    """Stacked bars: `frame` has columns year, `stack`, value."""
    if frame.empty:
        return empty()
    colors = palette(stack)
    order = list(colors) or sorted(frame[stack].dropna().unique())
    fig = go.Figure()
    for value in order:
        part = frame[frame[stack] == value]
        if part.empty:
            continue
        name = label(stack, value)
        fig.add_bar(
            x=part["year"],
            y=part["value"],
            name=name,
            marker_color=colors.get(value),
            hovertemplate=f"<b>{name}</b><br>%{{x}} : %{{y:,.0f}}<extra></extra>",
        )
    fig.update_layout(barmode="stack", yaxis_title=text(MEASURES[measure]), xaxis={"dtick": 1, "title": None})
    return style(fig)


def leading_countries(frame: pd.DataFrame, measure: str = "actions", top: int = 12) -> go.Figure:
    """Horizontal bars of the `top` partners: `frame` has columns country_iso3, region, value."""
    if frame.empty:
        return empty()
    best = frame.sort_values("value", ascending=False).head(top).iloc[::-1]
    colors = palette("region")
    fig = go.Figure(
        go.Bar(
            x=best["value"],
            y=[label("country_iso3", c) for c in best["country_iso3"]],
            orientation="h",
            marker_color=[colors.get(r, "#888") for r in best["region"]],
            customdata=[text(r) for r in best["region"]],
            hovertemplate="<b>%{y}</b> (%{customdata})<br>%{x:,.0f}<extra></extra>",
        )
    )
    fig.update_layout(xaxis_title=text(MEASURES[measure]), yaxis_title=None)
    return style(fig, height=max(260, 28 * len(best) + 60), legend=False)


def regions(frame: pd.DataFrame, measure: str = "actions") -> go.Figure:
    """Share of each region: `frame` has columns region, value."""
    if frame.empty or frame["value"].sum() == 0:
        return empty()
    present = frame.set_index("region")["value"]
    order = [r for r in REGIONS if r in present.index]
    colors = palette("region")
    fig = go.Figure(
        go.Pie(
            labels=[text(r) for r in order],
            values=[present[r] for r in order],
            hole=0.55,
            sort=False,
            marker_colors=[colors[r] for r in order],
            texttemplate="%{label}<br>%{percent:.0%}",
            # Every label outside its slice, the margins grown to hold them: inside, a thin slice
            # (« Amériques 4 % ») had no room and plotly dropped its label.
            textposition="outside",
            automargin=True,
            hovertemplate="<b>%{label}</b><br>%{value:,.0f} (%{percent:.1%})<extra></extra>",
        )
    )
    fig.update_layout(annotations=[{"text": text(MEASURES[measure]), "showarrow": False, "font": {"size": 13}}])
    return style(fig, legend=False)
