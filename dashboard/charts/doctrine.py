"""Figures of the analysis page: the function × factor matrix and the breakdowns around it.

Every clickable mark carries the codes of the categories it stands for at the
start of its `customdata` (sunburst sectors carry their path in `ids`), so a
click can be turned into the matching shared filter.
"""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n
from dashboard.analysis import FACTOR, FUNCTION, sunburst_id
from dashboard.charts.base import empty, label, palette, style, taxonomy_of
from dashboard.schema import MEASURES, MODES, REGIONS, STRATEGIC_FUNCTIONS, SUPERIORITY_FACTORS

MISSING_COLOR = "#9aa3ab"
# Legends below the plot, in taxonomy order, two entries a row: long labels stay on one line in a
# half-width column, and the classification marking keeps the top right corner.
LEGEND = {
    "traceorder": "normal",
    "entrywidth": 0.5,
    "entrywidthmode": "fraction",
    # Start left of the plot, under the axis labels, so that the second column has room.
    "x": -0.15,
    "y": -0.12,
    "yanchor": "top",
}
PREVIOUS_COLOR = "#c5cbd1"
# Light to dark blue: a count, not a category, so no category colour.
MATRIX_SCALE = [[0.0, "#f4f7fb"], [0.5, "#8fb3d9"], [1.0, "#1d4e89"]]


def definition(dimension: str, code: object) -> str:
    """The definition of a category, wrapped for a hover label; empty when there is none."""
    taxonomy = taxonomy_of(dimension)
    if taxonomy is None or code not in taxonomy.codes:
        return ""
    return "<br>".join(textwrap.wrap(taxonomy.get(str(code)).definition, 60))


def _unit(measure: str) -> str:
    return MEASURES[measure].lower()


def _cell_text(row: pd.Series) -> str:
    if row["function_total"] == 0:
        return "–"
    return f"{i18n.number(row['value'])}<br>{i18n.percent(row['share'], 0)}"


def matrix(frame: pd.DataFrame, measure: str = "actions") -> go.Figure:
    """Heatmap of the function × factor cells of `dashboard.analysis.matrix`, count and share in each cell.

    The heatmap itself takes no hover or click: a transparent marker on each
    cell does, because plotly selects points of scatter traces only.
    """
    if frame.empty or frame["value"].sum() == 0:
        return empty(height=380)
    functions = list(STRATEGIC_FUNCTIONS.codes)
    factors = list(SUPERIORITY_FACTORS.codes)
    cells = frame.set_index([FUNCTION, FACTOR])
    # Colour by share of the function: each row reads as the factor profile of its function.
    z = [[float(cells.loc[(f, g), "share"]) for g in factors] for f in functions]
    text = [[_cell_text(cells.loc[(f, g)]) for g in factors] for f in functions]
    function_totals = cells.groupby(level=0)["function_total"].first()
    factor_totals = cells.groupby(level=1)["factor_total"].first()
    unit = _unit(measure)
    fig = go.Figure(
        go.Heatmap(
            x=factors,
            y=functions,
            z=z,
            text=text,
            texttemplate="%{text}",
            textfont={"size": 13},
            colorscale=MATRIX_SCALE,
            zmin=0,
            zmax=max(max(row) for row in z) or 1,
            showscale=False,
            xgap=2,
            ygap=2,
            hoverinfo="skip",
        )
    )
    xs, ys, data = [], [], []
    for f in functions:
        for g in factors:
            row = cells.loc[(f, g)]
            hover = (
                f"<b>{label(FUNCTION, f)} × {label(FACTOR, g)}</b><br>"
                f"{i18n.number(row['value'])} {unit}, soit {i18n.percent(row['share'], 0)} "
                f"de la fonction ({i18n.number(row['function_total'])})<br><br>"
                f"<i>{label(FUNCTION, f)}</i> : {definition(FUNCTION, f)}<br>"
                f"<i>{label(FACTOR, g)}</i> : {definition(FACTOR, g)}<br><br>Cliquer pour filtrer"
            )
            xs.append(g)
            ys.append(f)
            data.append([f, g, hover])
    fig.add_scatter(
        x=xs,
        y=ys,
        customdata=data,
        mode="markers",
        marker={"size": 40, "symbol": "square", "color": "rgba(0,0,0,0)"},
        hovertemplate="%{customdata[2]}<extra></extra>",
        showlegend=False,
    )
    fig.update_xaxes(
        type="category",
        tickvals=factors,
        ticktext=[
            "<br>".join(textwrap.wrap(label(FACTOR, g), 14)) + f"<br>({i18n.number(factor_totals.get(g, 0))})"
            for g in factors
        ],
        tickangle=0,
        showgrid=False,
    )
    fig.update_yaxes(
        type="category",
        tickvals=functions,
        ticktext=[f"{label(FUNCTION, f)} ({i18n.number(function_totals.get(f, 0))})" for f in functions],
        autorange="reversed",
        showgrid=False,
    )
    # Any click inside a cell picks the marker at its centre.
    fig.update_layout(hovermode="closest", hoverdistance=-1)
    return style(fig, height=400, legend=False)


def per_year(frame: pd.DataFrame, measure: str = "actions") -> go.Figure:
    """Stacked bars per year by function: `frame` has columns year, strategic_function, value."""
    if frame.empty or frame["value"].sum() == 0:
        return empty()
    colors = palette(FUNCTION)
    fig = go.Figure()
    for code in STRATEGIC_FUNCTIONS.codes:
        part = frame[frame[FUNCTION] == code]
        if part.empty:
            continue
        name = label(FUNCTION, code)
        fig.add_bar(
            x=part["year"],
            y=part["value"],
            name=name,
            marker_color=colors[code],
            customdata=[[code, definition(FUNCTION, code)]] * len(part),
            hovertemplate=f"<b>{name}</b> – %{{x}}<br>%{{y:,.0f}} {_unit(measure)}<br><br>"
            "%{customdata[1]}<extra></extra>",
        )
    fig.update_layout(
        barmode="stack", yaxis={"title": MEASURES[measure], "tickformat": ",d"}, xaxis={"dtick": 1, "title": None}
    )
    return style(fig).update_layout(legend=LEGEND)


def factor_profile(frame: pd.DataFrame, measure: str = "actions") -> go.Figure:
    """Share of each factor per region, bars of 100 %: `frame` from `dashboard.analysis.factor_profile`."""
    if frame.empty or frame["value"].sum() == 0:
        return empty()
    regions = [r for r in REGIONS if r in set(frame["region"])]
    colors = palette(FACTOR)
    fig = go.Figure()
    for code in SUPERIORITY_FACTORS.codes:
        part = frame[frame[FACTOR] == code].set_index("region").reindex(regions)
        part = part[part["value"].notna()]
        if part.empty:
            continue
        name = label(FACTOR, code)
        fig.add_bar(
            y=list(part.index),
            x=part["share"] * 100,
            orientation="h",
            name=name,
            marker_color=colors[code],
            text=[i18n.percent(s, 0) if s >= 0.08 else "" for s in part["share"]],
            textposition="inside",
            insidetextanchor="middle",
            customdata=[
                [region, code, i18n.percent(share, 1), i18n.number(value), definition(FACTOR, code)]
                for region, share, value in zip(part.index, part["share"], part["value"], strict=True)
            ],
            hovertemplate=f"<b>{name}</b> – %{{y}}<br>%{{customdata[2]}} des facteurs servis "
            f"(%{{customdata[3]}} {_unit(measure)})<br><br>%{{customdata[4]}}<extra></extra>",
        )
    fig.update_layout(barmode="stack", xaxis={"range": [0, 100], "ticksuffix": " %", "title": None})
    fig.update_yaxes(autorange="reversed", title=None)
    return style(fig, height=max(300, 60 * len(regions) + 160)).update_layout(legend=LEGEND)


def sunburst(frame: pd.DataFrame, measure: str = "actions") -> go.Figure:
    """Region → country → mode: `frame` has columns region, country_iso3, mode, value."""
    if frame.empty or frame["value"].sum() == 0:
        return empty(height=460)
    region_colors, mode_colors = palette("region"), palette(MODES.name)
    grand_total = frame["value"].sum()
    ids, labels, parents, values, colors, hovers = [], [], [], [], [], []

    def add(path: tuple[str, ...], name: str, value: float, color: str, title: str) -> None:
        ids.append(sunburst_id(*path))
        labels.append(name)
        parents.append(sunburst_id(*path[:-1]) if len(path) > 1 else "")
        values.append(value)
        colors.append(color)
        hovers.append(
            f"<b>{title}</b><br>{i18n.number(value)} {_unit(measure)} "
            f"({i18n.percent(value / grand_total, 1)} de la sélection)"
        )

    for region in [r for r in REGIONS if r in set(frame["region"])]:
        in_region = frame[frame["region"] == region]
        add((region,), region, in_region["value"].sum(), region_colors.get(region, MISSING_COLOR), region)
        for iso3, in_country in in_region.groupby("country_iso3", sort=True):
            country = label("country_iso3", iso3)
            add((region, iso3), country, in_country["value"].sum(), region_colors.get(region, MISSING_COLOR), country)
            for mode, value in zip(in_country["mode"], in_country["value"], strict=True):
                add(
                    (region, iso3, mode),
                    label(MODES.name, mode),
                    value,
                    mode_colors.get(mode, MISSING_COLOR),
                    f"{country} – {label(MODES.name, mode)}",
                )
    fig = go.Figure(
        go.Sunburst(
            ids=ids,
            labels=labels,
            parents=parents,
            values=values,
            branchvalues="total",
            marker={"colors": colors, "line": {"color": "white", "width": 1}},
            customdata=[[i, h] for i, h in zip(ids, hovers, strict=True)],
            hovertemplate="%{customdata[1]}<extra></extra>",
            insidetextorientation="radial",
            sort=False,
            # Modes show at once only when few countries are left; otherwise a click on a region reveals them.
            maxdepth=3 if frame["country_iso3"].nunique() <= 20 else 2,
            textfont={"color": "white"},
        )
    )
    return style(fig, height=460, legend=False)


def breakdown(frame: pd.DataFrame, dimension: str, measure: str = "actions") -> go.Figure:
    """Horizontal bars of one taxonomy, in its order; a missing value shows as « Non renseigné »."""
    if frame.empty or frame["value"].sum() == 0:
        return empty(height=260)
    taxonomy = taxonomy_of(dimension)
    colors = palette(dimension)
    present = frame.set_index(frame[dimension].where(frame[dimension].notna(), ""))["value"]
    order = [c for c in (taxonomy.codes if taxonomy else sorted(present.index)) if c in present.index]
    if "" in present.index:
        order.append("")
    total = present.sum()
    fig = go.Figure(
        go.Bar(
            x=[present[c] for c in order],
            y=[label(dimension, c) if c else "Non renseigné" for c in order],
            orientation="h",
            marker_color=[colors.get(c, MISSING_COLOR) for c in order],
            text=[i18n.percent(present[c] / total, 0) for c in order],
            textposition="auto",
            customdata=[[c, definition(dimension, c)] for c in order],
            hovertemplate=f"<b>%{{y}}</b><br>%{{x:,.0f}} {_unit(measure)}<br><br>%{{customdata[1]}}<extra></extra>",
        )
    )
    fig.update_layout(xaxis={"title": MEASURES[measure], "tickformat": ",d"})
    fig.update_yaxes(autorange="reversed", title=None)
    return style(fig, height=max(220, 42 * len(order) + 90), legend=False)


def year_over_year(frame: pd.DataFrame, dimension: str, year: int, measure: str = "actions") -> go.Figure:
    """Previous year against last year per category, with the change: `frame` has columns
    `dimension`, previous, current, change (from `dashboard.analysis.year_over_year`)."""
    if frame.empty or (frame["previous"].sum() == 0 and frame["current"].sum() == 0):
        return empty(height=300)
    colors = palette(dimension)
    codes = list(frame[dimension])
    names = [label(dimension, c) for c in codes]
    unit = _unit(measure)
    changes = [
        "nouveau" if p == 0 and c > 0 else (i18n.change(c, p) or "–")
        for p, c in zip(frame["previous"], frame["current"], strict=True)
    ]
    data = [
        [code, definition(dimension, code), i18n.number(p), i18n.number(c), change]
        for code, p, c, change in zip(codes, frame["previous"], frame["current"], changes, strict=True)
    ]
    hover = (
        f"<b>%{{y}}</b><br>{year - 1} : %{{customdata[2]}} {unit}<br>{year} : %{{customdata[3]}} {unit}"
        "<br>Évolution : %{customdata[4]}<br><br>%{customdata[1]}<extra></extra>"
    )
    fig = go.Figure()
    fig.add_bar(
        y=names,
        x=frame["previous"],
        orientation="h",
        name=str(year - 1),
        marker_color=PREVIOUS_COLOR,
        customdata=data,
        hovertemplate=hover,
    )
    fig.add_bar(
        y=names,
        x=frame["current"],
        orientation="h",
        name=str(year),
        marker_color=[colors.get(c, MISSING_COLOR) for c in codes],
        text=changes,
        textposition="outside",
        cliponaxis=False,
        customdata=data,
        hovertemplate=hover,
    )
    fig.update_layout(barmode="group", xaxis={"title": MEASURES[measure], "tickformat": ",d"}, bargap=0.25)
    fig.update_yaxes(autorange="reversed", title=None)
    return style(fig, height=max(260, 46 * len(codes) + 100)).update_layout(margin={"r": 70})
