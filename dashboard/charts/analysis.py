"""Figures of the analysis page: the function × factor matrix and the breakdowns around it.

Every clickable mark carries the codes of the categories it stands for at the
start of its `customdata` (sunburst sectors carry their path in `ids`), so a
click can be turned into the matching shared filter.

The figures go to the browser again on every filter change, so they stay lean:
plotly writes the hover text from numbers (d3 formats, the language's separators from
`charts.base.style`) and trace-level templates, one trace per category where a
category's label and definition are shown, never one ready-made string per point.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n, reference
from dashboard.analysis import FACTOR, FUNCTION, sunburst_id
from dashboard.charts.base import empty, label, palette, style, text, wrapped
from dashboard.i18n import _
from dashboard.reference import taxonomy_of
from dashboard.schema import MEASURES, MODES, REGIONS, STRATEGIC_FUNCTIONS, SUPERIORITY_FACTORS

MISSING_COLOR = "#9aa3ab"
_CENTRED = go.layout.Template(data={"bar": [go.Bar(textposition="inside", insidetextanchor="middle")]})
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
    return wrapped(taxonomy.definition(str(code), i18n.language()), 60)


def _measure(measure: str) -> str:
    """The measure's name in the language of the run, as text for a figure."""
    return text(_(MEASURES[measure]))


def _unit(measure: str) -> str:
    return text(_(MEASURES[measure]).lower())


def _cell_text(row: pd.Series) -> str:
    if row["function_total"] == 0:
        return "–"
    return f"{text(i18n.number(row['value']))}<br>{text(i18n.percent(row['share'], 0))}"


# A percentage as each language writes it: `12 %` in French, `12%` in English.
_PERCENT = {"fr": " %", "en": "%"}


def _share(field: str) -> str:
    """A plotly template field read as a percentage (`%{x:.1f} %`, `%{x:.1f}%`)."""
    return "%{" + field + "}" + _PERCENT[i18n.language()]


DIMMED = "rgba(255,255,255,0.72)"  # the veil over cells outside a cross-filter


def _percent(share: float) -> float:
    """A share as a percentage rounded for a hover (`%{...:.1f} %`): fewer bytes than the raw float."""
    return round(float(share) * 100, 1)


def matrix(
    frame: pd.DataFrame,
    measure: str = "actions",
    *,
    functions_chosen: Sequence[str] = (),
    factors_chosen: Sequence[str] = (),
) -> go.Figure:
    """Heatmap of the function × factor cells of `dashboard.analysis.matrix`, count and share in each cell.

    With `functions_chosen` or `factors_chosen` (the cross-filter of a click), every cell stays drawn and the
    cells outside the choice are dimmed under a white veil, as Superset's cross-filters highlight.

    The heatmap itself takes no hover or click: a transparent marker on each
    cell does, because plotly selects points of scatter traces only. The
    definitions stay out of the 48 hovers (the page lists them, the other charts show them).
    """
    if frame.empty or frame["value"].sum() == 0:
        return empty(height=380)
    functions = list(STRATEGIC_FUNCTIONS.codes)
    factors = list(SUPERIORITY_FACTORS.codes)
    function_names = [label(FUNCTION, f) for f in functions]
    factor_names = [label(FACTOR, g) for g in factors]
    cells = frame.set_index([FUNCTION, FACTOR])
    # Colour by share of the function: each row reads as the factor profile of its function.
    z = [[round(float(cells.loc[(f, g), "share"]), 3) for g in factors] for f in functions]
    cell_texts = [[_cell_text(cells.loc[(f, g)]) for g in factors] for f in functions]
    function_totals = cells.groupby(level=0)["function_total"].first()
    factor_totals = cells.groupby(level=1)["factor_total"].first()
    fig = go.Figure(
        go.Heatmap(
            x=list(range(len(factors))),
            y=list(range(len(functions))),
            z=z,
            text=cell_texts,
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
    # One transparent marker per cell. Plotly would print the axes' tick texts (totals included) for
    # %{x} and %{y}, so a point names its cell in `text`. Cells sit at their column and row numbers, not at
    # names repeated in every trace: the matrix goes to the browser on every filter change.
    xs, ys, names, data = [], [], [], []
    for row_number, (f, function_name) in enumerate(zip(functions, function_names, strict=True)):
        for column_number, (g, factor_name) in enumerate(zip(factors, factor_names, strict=True)):
            row = cells.loc[(f, g)]
            xs.append(column_number)
            ys.append(row_number)
            names.append(f"{function_name} × {factor_name}")
            data.append([f, g, int(row["value"]), _percent(row["share"]), int(row["function_total"])])
    fig.add_scatter(
        x=xs,
        y=ys,
        text=names,
        customdata=data,
        mode="markers",
        marker={"size": 40, "symbol": "square", "color": "rgba(0,0,0,0)"},
        hovertemplate="<b>%{text}</b><br>"
        + _("{value} {unit}, soit {share} de la fonction ({total})").format(
            value="%{customdata[2]:,.0f}",
            unit=_unit(measure),
            share=_share("customdata[3]:.0f"),
            total="%{customdata[4]:,.0f}",
        )
        + "<br><br>"
        + _("Cliquer pour filtrer")
        + "<extra></extra>",
        showlegend=False,
    )
    fig.update_xaxes(
        type="category",
        tickvals=list(range(len(factors))),
        ticktext=[
            wrapped(reference.label(FACTOR, g), 14) + f"<br>({text(i18n.number(factor_totals.get(g, 0)))})"
            for g in factors
        ],
        tickangle=0,
        showgrid=False,
    )
    fig.update_yaxes(
        type="category",
        tickvals=list(range(len(functions))),
        ticktext=[
            f"{name} ({text(i18n.number(function_totals.get(f, 0)))})"
            for f, name in zip(functions, function_names, strict=True)
        ],
        autorange="reversed",
        showgrid=False,
    )
    if functions_chosen or factors_chosen:
        for row, f in enumerate(functions):
            for column, g in enumerate(factors):
                if (not functions_chosen or f in functions_chosen) and (not factors_chosen or g in factors_chosen):
                    continue
                fig.add_shape(
                    type="rect",
                    xref="x",
                    yref="y",
                    x0=column - 0.5,
                    x1=column + 0.5,
                    y0=row - 0.5,
                    y1=row + 0.5,
                    fillcolor=DIMMED,
                    line={"width": 0},
                    layer="above",
                    name="estompe",
                )
    # Any click inside a cell picks the marker at its centre.
    fig.update_layout(hovermode="closest", hoverdistance=-1)
    return style(fig, height=400, legend=False)


def _hover(title: str, *lines: str, dimension: str | None = None, code: object = None) -> str:
    """A trace's hover template: a bold title, lines, then the category's definition when it has one."""
    about = definition(dimension, code) if dimension else ""
    return "<br>".join([f"<b>{title}</b>", *lines]) + (f"<br><br>{about}" if about else "") + "<extra></extra>"


def per_year(frame: pd.DataFrame, measure: str = "actions") -> go.Figure:
    """Stacked bars per year by function: `frame` has columns year, strategic_function, value."""
    if frame.empty or frame["value"].sum() == 0:
        return empty()
    colors = palette(FUNCTION)
    unit = _unit(measure)
    fig = go.Figure()
    for code in STRATEGIC_FUNCTIONS.codes:
        part = frame[frame[FUNCTION] == code]
        if part.empty:
            continue
        name = label(FUNCTION, code)
        fig.add_bar(
            x=[int(y) for y in part["year"]],
            y=[int(v) for v in part["value"]],
            name=name,
            marker_color=colors[code],
            customdata=[code] * len(part),
            hovertemplate=_hover(f"{name} – %{{x}}", f"%{{y:,.0f}} {unit}", dimension=FUNCTION, code=code),
        )
    fig.update_layout(
        barmode="stack", yaxis={"title": _measure(measure), "tickformat": ",d"}, xaxis={"dtick": 1, "title": None}
    )
    return style(fig).update_layout(legend=LEGEND)


def factor_profile(frame: pd.DataFrame, measure: str = "actions") -> go.Figure:
    """Share of each factor per region, bars of 100 %: `frame` from `dashboard.analysis.factor_profile`."""
    if frame.empty or frame["value"].sum() == 0:
        return empty()
    regions = [r for r in REGIONS if r in set(frame["region"])]
    colors = palette(FACTOR)
    unit = _unit(measure)
    fig = go.Figure()
    for code in SUPERIORITY_FACTORS.codes:
        part = frame[frame[FACTOR] == code].set_index("region").reindex(regions)
        part = part[part["value"].notna()]
        if part.empty:
            continue
        name = label(FACTOR, code)
        fig.add_bar(
            y=[label("region", region) for region in part.index],
            x=[_percent(share) for share in part["share"]],
            orientation="h",
            name=name,
            marker_color=colors[code],
            text=[text(i18n.percent(s, 0)) if s >= 0.08 else "" for s in part["share"]],
            customdata=[[region, code, int(value)] for region, value in zip(part.index, part["value"], strict=True)],
            hovertemplate=_hover(
                f"{name} – %{{y}}",
                _("{share} des facteurs servis ({value} {unit})").format(
                    share=_share("x:.1f"), value="%{customdata[2]:,.0f}", unit=unit
                ),
                dimension=FACTOR,
                code=code,
            ),
        )
    fig.update_layout(
        barmode="stack", xaxis={"range": [0, 100], "ticksuffix": _PERCENT[i18n.language()], "title": None}
    )
    fig.update_yaxes(autorange="reversed", title=None)
    # The shares' labels in the middle of their bars, said once for every bar (this tab sends close to its
    # budget of bytes per filter change, tests/test_browser_analysis.py).
    return style(fig, height=max(300, 60 * len(regions) + 160)).update_layout(legend=LEGEND, template=_CENTRED)


# Above this many countries the sunburst stops at the countries: the modes' ring would be too thin to
# read (and its hundreds of sectors would go to the browser on every change); a click on a country shows its modes.
SUNBURST_MODES_UP_TO = 20


def sunburst(frame: pd.DataFrame, measure: str = "actions") -> go.Figure:
    """Region → country → mode (the modes when at most SUNBURST_MODES_UP_TO countries are left):
    `frame` has columns region, country_iso3, mode, value.

    A sector carries its path in `ids` (what a click reads) and its share of the
    selection, in percent, as its `customdata`; plotly writes the rest of the
    hover. Under several regions, a country takes its region's colour from plotly
    (no colour of its own); a lone region is plotly's root, whose children would
    take plotly's default colours, so its countries carry its colour.
    """
    if frame.empty or frame["value"].sum() == 0:
        return empty(height=460)
    region_colors, mode_colors = palette("region"), palette(MODES.name)
    grand_total = float(frame["value"].sum())
    with_modes = frame["country_iso3"].nunique() <= SUNBURST_MODES_UP_TO
    ids, labels, parents, values, colors, shares = [], [], [], [], [], []

    def add(path: tuple[str, ...], name: str, value: float, color: str | None) -> None:
        ids.append(sunburst_id(*path))
        labels.append(name)
        parents.append(sunburst_id(*path[:-1]) if len(path) > 1 else "")
        values.append(int(value))
        colors.append(color)
        shares.append(_percent(value / grand_total))

    regions = [r for r in REGIONS if r in set(frame["region"])]
    for region in regions:
        in_region = frame[frame["region"] == region]
        region_color = region_colors.get(region, MISSING_COLOR)
        add((region,), label("region", region), in_region["value"].sum(), region_color)
        country_color = region_color if len(regions) == 1 else None
        for iso3, in_country in in_region.groupby("country_iso3", sort=True):
            add((region, iso3), label("country_iso3", iso3), in_country["value"].sum(), country_color)
            if not with_modes:
                continue
            for mode, value in zip(in_country["mode"], in_country["value"], strict=True):
                add((region, iso3, mode), label(MODES.name, mode), value, mode_colors.get(mode, MISSING_COLOR))
    fig = go.Figure(
        go.Sunburst(
            ids=ids,
            labels=labels,
            parents=parents,
            values=values,
            branchvalues="total",
            marker={"colors": colors, "line": {"color": "white", "width": 1}},
            customdata=shares,
            hovertemplate="<b>%{label}</b><br>"
            + _("{value} {unit} ({share} de la sélection)").format(
                value="%{value:,.0f}", unit=_unit(measure), share=_share("customdata:.1f")
            )
            + "<extra></extra>",
            insidetextorientation="radial",
            sort=False,
            textfont={"color": "white"},
        )
    )
    return style(fig, height=460, legend=False)


def breakdown(frame: pd.DataFrame, dimension: str, measure: str = "actions") -> go.Figure:
    """Horizontal bars of one taxonomy, in its order; a missing value shows as « Non renseigné ».

    One bar per category: each bar's hover template (an array, one per bar) holds
    its category's definition once, and its `customdata` the category's code.
    """
    if frame.empty or frame["value"].sum() == 0:
        return empty(height=260)
    taxonomy = taxonomy_of(dimension)
    colors = palette(dimension)
    present = frame.set_index(frame[dimension].where(frame[dimension].notna(), ""))["value"]
    order = [c for c in (taxonomy.codes if taxonomy else sorted(present.index)) if c in present.index]
    if "" in present.index:
        order.append("")
    total = float(present.sum())
    unit = _unit(measure)
    fig = go.Figure(
        go.Bar(
            x=[int(present[c]) for c in order],
            y=[label(dimension, c) for c in order],
            orientation="h",
            marker_color=[colors.get(c, MISSING_COLOR) for c in order],
            text=[text(i18n.percent(present[c] / total, 0)) for c in order],
            textposition="auto",
            customdata=order,
            hovertemplate=[_hover("%{y}", f"%{{x:,.0f}} {unit}", dimension=dimension, code=c) for c in order],
        )
    )
    fig.update_layout(xaxis={"title": _measure(measure), "tickformat": ",d"})
    fig.update_yaxes(autorange="reversed", title=None)
    return style(fig, height=max(220, 42 * len(order) + 90), legend=False)


def year_over_year(frame: pd.DataFrame, dimension: str, year: int, measure: str = "actions") -> go.Figure:
    """Previous year against last year per category, with the change: `frame` has columns
    `dimension`, previous, current, change (from `dashboard.analysis.year_over_year`).

    A point carries its code, both years' values and the change; the definitions
    are left to the other charts' hovers and the page's list.
    """
    if frame.empty or (frame["previous"].sum() == 0 and frame["current"].sum() == 0):
        return empty(height=300)
    colors = palette(dimension)
    codes = list(frame[dimension])
    names = [label(dimension, c) for c in codes]
    unit = _unit(measure)
    previous = [int(v) for v in frame["previous"]]
    current = [int(v) for v in frame["current"]]
    changes = [
        _("nouveau") if p == 0 and c > 0 else (i18n.change(c, p) or "–") for p, c in zip(previous, current, strict=True)
    ]
    changes = [text(change) for change in changes]
    data = [[code, p, c, change] for code, p, c, change in zip(codes, previous, current, changes, strict=True)]
    hover = (
        "<b>%{y}</b><br>"
        + "<br>".join(
            [
                _("{year} : {value} {unit}").format(year=year - 1, value="%{customdata[1]:,.0f}", unit=unit),
                _("{year} : {value} {unit}").format(year=year, value="%{customdata[2]:,.0f}", unit=unit),
                _("Évolution : {change}").format(change="%{customdata[3]}"),
            ]
        )
        + "<extra></extra>"
    )
    fig = go.Figure()
    fig.add_bar(
        y=names,
        x=previous,
        orientation="h",
        name=str(year - 1),
        marker_color=PREVIOUS_COLOR,
        customdata=data,
        hovertemplate=hover,
    )
    fig.add_bar(
        y=names,
        x=current,
        orientation="h",
        name=str(year),
        marker_color=[colors.get(c, MISSING_COLOR) for c in codes],
        text=changes,
        textposition="outside",
        cliponaxis=False,
        customdata=data,
        hovertemplate=hover,
    )
    # A legend would show the current year in the first category's colour only: a key says it in words.
    fig.add_annotation(
        text=f"<span style='color:{PREVIOUS_COLOR}'>■</span> {year - 1}   ■ "
        + text(_("{year} (couleur de la catégorie)").format(year=year)),
        xref="paper",
        yref="paper",
        x=0,
        y=1,
        xanchor="left",
        yanchor="bottom",
        showarrow=False,
        font={"size": 12},
    )
    fig.update_layout(barmode="group", xaxis={"title": _measure(measure), "tickformat": ",d"}, bargap=0.25)
    fig.update_yaxes(autorange="reversed", title=None)
    return style(fig, height=max(260, 46 * len(codes) + 100)).update_layout(margin={"r": 70}, showlegend=False)
