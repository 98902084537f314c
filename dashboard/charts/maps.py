"""World map of partner countries and the figures of the country profile.

The map is a plotly geo figure drawn on plotly's own topojson, which the
browser loads once by URL (the page sets `topojsonURL`): the figure itself only
carries ISO3 codes and numbers, a few kilobytes, so a filter change stays light.

Every country of the geometry is drawn in light grey by the geo layers (land
and borders: two paths, not one shape per country). Traces, in drawing order
(the page reads the clicked country from PARTNERS):
0. partners coloured by the measure, with one animation frame per year;
1. France, the home country, in its own colour;
2. optionally, meetings as bubbles on each host country's centroid.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n
from dashboard.charts.base import MARKING_NAME, NO_DATA, country, empty, label, style, text, wrapped
from dashboard.geo import RESOLUTION
from dashboard.i18n import N_, _, ngettext
from dashboard.reference import label as reference_label
from dashboard.schema import HOME_COUNTRY, MEASURES, MODES, STRATEGIC_FUNCTIONS, SUPERIORITY_FACTORS

PARTNERS, HOME, MEETINGS = 0, 1, 2
WHOLE_PERIOD = "Période"  # the name of the whole period's frame (never shown)
SLIDER_TOP = 0.16  # share of the figure's height under the map, for the year slider
WORLD = N_("Monde")
# The map has no legend above it: only the marking, on a band this high.
MAP_MARGIN = 30
# Zoom presets: the longitudes and latitudes each region the Army reasons in spans. The map is wider than
# tall, so a zone fills it when its box is too: Africa without the open ocean around it, Europe up to the
# North Cape (71° N) so that Scandinavia stays whole.
ZONES: dict[str, dict[str, tuple[float, float]]] = {
    WORLD: {"lon": (-180, 180), "lat": (-58, 84)},
    "Afrique": {"lon": (-19, 53), "lat": (-35.5, 37.8)},
    "Europe": {"lon": (-25, 45), "lat": (34, 71.5)},
    "Moyen-Orient": {"lon": (22, 68), "lat": (10, 43)},
    "Indo-Pacifique": {"lon": (60, 182), "lat": (-48, 46)},
    "Amériques": {"lon": (-130, -30), "lat": (-56, 62)},
}
COLORSCALE: list[tuple[float, str]] = [(0.0, "#dbe5f3"), (0.35, "#8fb0dc"), (0.7, "#3f6fb5"), (1.0, "#14285a")]
# "Modes d'action distincts" counts 1 to 4: one flat colour per count, not a continuous ramp.
MODE_COLORS = ("#c6d6ee", "#7fa3d6", "#3f6fb5", "#14285a")
MEETING_COLOR = "#c0392b"
# The change map: decreases in orange, increases in blue (a pair colour-blind readers tell apart), no change white.
DIVERGING = [
    [0.0, "#b35806"],
    [0.25, "#f1a340"],
    [0.45, "#fee0b6"],
    [0.5, "#f7f7f7"],
    [0.55, "#d1e5f0"],
    [0.75, "#67a9cf"],
    [1.0, "#2166ac"],
]
CHANGE = N_("Évolution")
MEETINGS_NAME = N_("Rencontres")
# Reference bubbles of the meetings' key: counts shown at their size on the map.
BUBBLE_MIN, BUBBLE_SPAN = 6.0, 26.0
BUBBLE = {"color": MEETING_COLOR, "opacity": 0.55, "line": {"color": "white", "width": 1}}
HOME_COLOR = "#b8860b"
LAND = "#eef0f3"
BORDER = "#ffffff"


def _factor(code: str) -> str:
    """A superiority factor's label in the language of the run, before it is wrapped on lines."""
    if i18n.language() == "fr" or code not in SUPERIORITY_FACTORS.codes:
        return reference_label("superiority_factor", code)
    return SUPERIORITY_FACTORS.label(code, i18n.language())


def _hover(measure: str) -> str:
    shown = _("{measure} : {value}").format(measure=text(_(MEASURES[measure])), value="%{z:,.0f}")
    return f"<b>%{{text}}</b><br>{shown}<extra></extra>"


def _partner_values(frame: pd.DataFrame) -> pd.DataFrame:
    """Partners only (France is drawn apart), with a value above zero."""
    frame = frame[(frame["country_iso3"] != HOME_COUNTRY) & (frame["value"] > 0)]
    return frame.sort_values("country_iso3")


def _max(values: pd.Series) -> float:
    return float(values.max()) if len(values) else 1.0


def stepped_scale(colors: Sequence[str]) -> list[list[float | str]]:
    """A colour scale of flat steps, one per colour, for whole values 1..len(colors) on zmin 0.5, zmax n + 0.5."""
    scale: list[list[float | str]] = []
    for i, color in enumerate(colors):
        scale += [[i / len(colors), color], [(i + 1) / len(colors), color]]
    return scale


def _scale(measure: str, values: pd.Series) -> dict[str, object]:
    """Colour scale, range and colour bar of a measure: discrete steps for the count of modes."""
    bar = {"title": {"text": text(_(MEASURES[measure])), "side": "right"}, "thickness": 12, "len": 0.6, "x": 1.0}
    if measure == "modes":
        count = len(MODES.codes)
        ticks = list(range(1, count + 1))
        return {
            "colorscale": stepped_scale(MODE_COLORS[:count]),
            "zmin": 0.5,
            "zmax": count + 0.5,
            "colorbar": {**bar, "tickvals": ticks, "ticktext": [str(t) for t in ticks]},
            "hovertemplate": _hover(measure),
        }
    return {
        "colorscale": COLORSCALE,
        "zmin": 0,
        "zmax": _max(values),
        "colorbar": bar,
        "hovertemplate": _hover(measure),
    }


def change_frame(now: pd.DataFrame, before: pd.DataFrame) -> pd.DataFrame:
    """Per country: the value now, the value in the period before, and their difference (`value`); countries
    present in either period, 0 where a period has none."""
    frame = pd.merge(
        now[["country_iso3", "value"]].rename(columns={"value": "now"}),
        before[["country_iso3", "value"]].rename(columns={"value": "before"}),
        on="country_iso3",
        how="outer",
    ).fillna(0)
    frame["value"] = frame["now"] - frame["before"]
    return frame.sort_values("country_iso3", ignore_index=True)


def change_map(
    now: pd.DataFrame,
    before: pd.DataFrame,
    measure: str = "actions",
    *,
    selected: Sequence[str] = (),
    zone: str = WORLD,
    height: int = 560,
    revision: str = "",
) -> go.Figure:
    """Choropleth of the change of `measure` per country against the period before, on a diverging scale
    centred on zero. `now` and `before` have country_iso3, value."""
    return partner_map(
        change_frame(now, before),
        measure,
        selected=selected,
        zone=zone,
        height=height,
        revision=revision,
        change=True,
    )


def _change_scale(measure: str, frame: pd.DataFrame) -> dict[str, object]:
    """The diverging scale of a change map, symmetric around zero, with the values of both periods on hover."""
    reach = float(frame["value"].abs().max()) if len(frame) else 1.0
    return {
        "colorscale": DIVERGING,
        "zmin": -reach,
        "zmax": reach,
        "zmid": 0,
        "customdata": np.column_stack([frame["before"], frame["now"]]) if len(frame) else None,
        "colorbar": {
            "title": {
                "text": text(_("Évolution : {measure}").format(measure=_(MEASURES[measure]).lower())),
                "side": "right",
            },
            "thickness": 12,
            "len": 0.6,
            "x": 1.0,
        },
        "hovertemplate": "<b>%{text}</b><br>"
        + _("{measure} : {now} contre {before}").format(
            measure=text(_(MEASURES[measure])), now="%{customdata[1]:,.0f}", before="%{customdata[0]:,.0f}"
        )
        + "<br>"
        + _("{measure} : {value}").format(measure=_(CHANGE), value="%{z:+,.0f}")
        + "<extra></extra>",
    }


def partner_map(
    totals: pd.DataFrame,
    measure: str = "actions",
    *,
    per_year: pd.DataFrame | None = None,
    meetings: pd.DataFrame | None = None,
    centroids: Mapping[str, tuple[float, float]] | None = None,
    selected: Sequence[str] = (),
    zone: str = WORLD,
    height: int = 560,
    revision: str = "",
    change: bool = False,
) -> go.Figure:
    """Choropleth of `totals` (country_iso3, value) over the world's countries.

    `per_year` (country_iso3, year, value) adds a year slider with a play
    button; `meetings` (country_iso3, meetings, cities) adds bubbles placed at
    `centroids`. `selected` partners start highlighted; `revision` changes the
    figure (and so clears a click selection) without changing what it shows.
    """
    if change:
        partners = totals[(totals["country_iso3"] != HOME_COUNTRY) & (totals["value"] != 0)]
    else:
        partners = _partner_values(totals)
    names = [country(c) for c in partners["country_iso3"]]
    fig = go.Figure()
    index = {c: i for i, c in enumerate(partners["country_iso3"])}
    fig.add_choropleth(
        locations=list(partners["country_iso3"]),
        z=partners["value"].tolist(),
        text=names,
        locationmode="ISO-3",
        **(_change_scale(measure, partners) if change else _scale(measure, partners["value"])),
        marker_line={"color": BORDER, "width": 0.6},
        selectedpoints=[index[c] for c in selected if c in index] or None,
        selected={"marker": {"opacity": 1}},
        unselected={"marker": {"opacity": 0.35}},
        name=text(MEASURES[measure]),
    )
    fig.add_choropleth(
        locations=[HOME_COUNTRY],
        z=[1],
        text=[country(HOME_COUNTRY)],
        locationmode="ISO-3",
        colorscale=[[0, HOME_COLOR], [1, HOME_COLOR]],
        showscale=False,
        marker_line={"color": BORDER, "width": 0.6},
        hovertemplate="<b>%{text}</b><br>" + _("Pays d'origine des détachements") + "<extra></extra>",
        unselected={"marker": {"opacity": 1}},
        name=country(HOME_COUNTRY),
    )
    keyed = meetings is not None and centroids is not None and _add_meetings(fig, meetings, centroids)
    if partners.empty:
        fig.add_annotation(
            text=text(NO_DATA),
            showarrow=False,
            x=0.5,
            y=0.02,
            xref="paper",
            yref="paper",
            font={"size": 14, "color": "#555"},
        )
    if per_year is not None and not partners.empty:
        _add_years(fig, partners, _partner_values(per_year), measure)
    view = ZONES.get(zone, ZONES[WORLD])
    fig.update_geos(
        # The central meridian follows the zone, so the Pacific is not cut in two.
        projection={"type": "natural earth", "rotation": {"lon": sum(view["lon"]) / 2}},
        lonaxis={"range": list(view["lon"])},
        lataxis={"range": list(view["lat"])},
        resolution=RESOLUTION,
        showframe=False,
        # A white coast between the grey land and the near-white ocean does not show: two megabytes of path
        # the browser would draw for nothing.
        showcoastlines=False,
        showcountries=True,
        countrycolor=BORDER,
        countrywidth=0.5,
        showland=True,
        landcolor=LAND,
        showocean=True,
        oceancolor="#f7f9fc",
        showlakes=False,
        bgcolor="white",
    )
    style(fig, height=height, legend=keyed)
    if keyed:  # the bubbles' key, at the bottom left over the ocean
        fig.update_layout(
            legend={
                "x": 0.01,
                "y": (SLIDER_TOP + 0.04) if per_year is not None and not partners.empty else 0.02,
                "xanchor": "left",
                "yanchor": "bottom",
                "orientation": "v",
                "itemsizing": "trace",
                "bgcolor": "rgba(255,255,255,0.85)",
                "itemclick": False,
                "itemdoubleclick": False,
            }
        )
    # The default plotly template weighs 7 KB and Streamlit's theme replaces it.
    fig.update_layout(
        template="none",
        margin={"l": 0, "r": 0, "t": MAP_MARGIN, "b": 10},
        meta={"revision": revision},
        dragmode=False,
    )
    fig.update_annotations(selector={"name": MARKING_NAME}, yshift=6)
    return fig


def _add_meetings(fig: go.Figure, meetings: pd.DataFrame, centroids: Mapping[str, tuple[float, float]]) -> bool:
    """Bubbles on the host countries and their key; False when no meeting has a place on the map."""
    placed = meetings[meetings["country_iso3"].isin(list(centroids))]
    if placed.empty:
        return False
    counts = placed["meetings"].astype(float)
    most = float(counts.max())

    def size(count: float | np.ndarray) -> float | np.ndarray:
        # The bubble's area grows with the count of meetings.
        return np.round(BUBBLE_MIN + BUBBLE_SPAN * np.sqrt(count / most), 1)

    fig.add_scattergeo(
        lon=[centroids[c][0] for c in placed["country_iso3"]],
        lat=[centroids[c][1] for c in placed["country_iso3"]],
        text=[country(c) for c in placed["country_iso3"]],
        customdata=np.column_stack([placed["meetings"], [text(c) for c in placed["cities"].fillna("")]]),
        mode="markers",
        marker={"size": size(counts), **BUBBLE},
        hovertemplate="<b>%{text}</b><br>"
        + _("{measure} : {value}").format(measure=_(MEETINGS_NAME), value="%{customdata[0]:,.0f}")
        + "<br>%{customdata[1]}<extra></extra>",
        name=_(MEETINGS_NAME),
        showlegend=False,
    )
    # The key: reference bubbles at their true size (legend itemsizing "trace"), drawn nowhere on the map.
    for count in bubble_key(int(most)):
        fig.add_scattergeo(
            lon=[None],
            lat=[None],
            mode="markers",
            marker={"size": size(count), **BUBBLE},
            name=ngettext("{count} rencontre", "{count} rencontres", count).format(count=count),
            legendgroup="rencontres",
            legendgrouptitle={"text": _("Rencontres par pays")} if count == bubble_key(int(most))[0] else None,
            hoverinfo="skip",
            showlegend=True,
        )
    return True


def bubble_key(most: int) -> list[int]:
    """Counts for the bubble key: 1, the largest count and one between them (whole numbers, no repeats)."""
    if most <= 1:
        return [1]
    middle = max(2, round(most / 2))
    return sorted({1, middle, most})


def _add_years(fig: go.Figure, partners: pd.DataFrame, per_year: pd.DataFrame, measure: str) -> None:
    """One frame per year plus the whole period, a slider and play/pause buttons.

    Frames carry only the values, in the order of the partners trace (a
    country without actions that year has none and is not coloured): names and
    codes are not repeated, which keeps the figure small.
    """
    order = list(partners["country_iso3"])
    years = sorted(int(y) for y in per_year["year"].unique())
    top = _max(per_year["value"])

    def frame(name: str, values: pd.Series, zmax: float) -> go.Frame:
        z = [None if pd.isna(v) else int(v) for v in values.reindex(order).tolist()]
        return go.Frame(name=name, traces=[PARTNERS], data=[go.Choropleth(z=z, zmax=zmax)])

    frames = [frame(WHOLE_PERIOD, partners.set_index("country_iso3")["value"], _max(partners["value"]))]
    for year in years:
        part = per_year[per_year["year"] == year].set_index("country_iso3")["value"]
        # Every year on the same scale, so the colours compare across years.
        frames.append(frame(str(year), part, top))
    fig.frames = frames
    # The map stands above the slider, which keeps the bottom of the figure.
    fig.update_geos(domain={"x": [0, 1], "y": [SLIDER_TOP + 0.02, 1]})
    step_args = {"mode": "immediate", "frame": {"duration": 0, "redraw": True}, "transition": {"duration": 0}}
    fig.update_layout(
        sliders=[
            {
                "active": 0,
                "x": 0.11,
                "len": 0.89,
                "y": SLIDER_TOP,
                "yanchor": "top",
                "pad": {"t": 10, "b": 0},
                # The slider moves the map alone: the key figures keep the period of the filters.
                "currentvalue": {"prefix": _("Carte seule, année : "), "font": {"size": 14}},
                "steps": [
                    {
                        "label": _("Toutes") if frame.name == WHOLE_PERIOD else frame.name,
                        "method": "animate",
                        "args": [[frame.name], step_args],
                    }
                    for frame in frames
                ],
            }
        ],
        updatemenus=[
            {
                "type": "buttons",
                "direction": "left",
                "x": 0.0,
                "y": SLIDER_TOP,
                "xanchor": "left",
                "yanchor": "top",
                "pad": {"t": 22, "r": 8},
                "showactive": False,
                "buttons": [
                    {
                        "label": "▶",
                        "method": "animate",
                        "args": [
                            [str(y) for y in years],
                            {
                                "frame": {"duration": 1000, "redraw": True},
                                "transition": {"duration": 0},
                                "fromcurrent": True,
                            },
                        ],
                    },
                    {"label": "❚❚", "method": "animate", "args": [[None], step_args]},
                ],
            }
        ],
    )


# ---- Country profile --------------------------------------------------------------------------


def functions_by_factor(frame: pd.DataFrame) -> go.Figure:
    """Heat map: strategic function (rows) × superiority factor (columns), for a full-width row.

    `frame` has strategic_function, superiority_factor, value; an action with
    several factors counts once under each.
    """
    if frame.empty or frame["value"].sum() == 0:
        return empty()
    grid = frame.pivot_table(
        index="strategic_function", columns="superiority_factor", values="value", aggfunc="sum", fill_value=0
    )
    functions = [c for c in STRATEGIC_FUNCTIONS.codes if c in grid.index]
    factors = [c for c in SUPERIORITY_FACTORS.codes if c in grid.columns]
    grid = grid.loc[functions, factors]
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            # Long factor names on two lines, so eight columns fit the page.
            x=[wrapped(_factor(f), 14) for f in factors],
            y=[label("strategic_function", f) for f in functions],
            colorscale=COLORSCALE,
            texttemplate="%{z:,.0f}",
            hovertemplate="<b>%{y}</b> · %{x}<br>"
            + _("{measure} : {value}").format(measure=_("Actions"), value="%{z:,.0f}")
            + "<extra></extra>",
            colorbar={"title": {"text": _("Actions")}, "thickness": 12},
            xgap=2,
            ygap=2,
        )
    )
    fig.update_layout(xaxis={"tickangle": 0}, yaxis={"autorange": "reversed"})
    return style(fig, height=150 + 46 * len(functions), legend=False)
