"""Timelines: meetings in lanes (per kind or per body), and one partner's actions and meetings.

Multi-day events are horizontal bars from their first day to the end of their
last day; one-day events (milestones) are diamonds. The axis spans the chosen
period; a dashed line marks today when it falls inside. Key events (programme
milestones, chiefs of defence meetings) are named on the chart.
Every mark carries the event's identifier as `customdata[0]`, so a click on
the chart tells the page which event was chosen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n
from dashboard.charts.base import MARKING_MARGIN, MARKING_NAME, MARKING_SHIFT, empty, palette, style, text
from dashboard.i18n import N_, _
from dashboard.meetings import dates_text, key_events, short_title
from dashboard.schema import MEETING_KINDS, MODES, Taxonomy

DAY_MS = 86_400_000
ZOOM_BAND = 30  # pixels of the zoom buttons above the plot
TODAY_COLOR = "#b00020"
NO_MEETING = N_("Aucune rencontre pour cette sélection")
# Zoom buttons above the chart: a window around today (or around the nearest
# event when the selection ends before today), or everything; the range slider
# below the chart zooms freely.
# The axis's dates: numeric in French (plotly's month names are English unless a locale bundle is loaded),
# `21 Nov 2026` and `Nov 2026` in English.
DAY_TICKS = {"fr": "%d/%m/%Y", "en": "%d %b %Y"}
MONTH_TICKS = {"fr": "%m/%Y", "en": "%b %Y"}
ZOOMS: tuple[tuple[str, int], ...] = ((N_("± 3 mois"), 91), (N_("± 6 mois"), 182), (N_("± 1 an"), 365))


def _label(taxonomy: Taxonomy, code: object) -> str:
    """A category's label, as text for the figure (an unknown code as it is)."""
    return text(taxonomy.label(str(code), i18n.language()) if code in taxonomy.codes else code)


def _action_lane(mode: str) -> str:
    return _("Action : {mode}").format(mode=mode)


def _meeting_lane(kind: str) -> str:
    return _("Rencontre : {kind}").format(kind=kind)


def _codes_present(values: pd.Series, taxonomy: Taxonomy) -> list[str]:
    """The codes found in `values`: the taxonomy's in its order, then any other alphabetically."""
    present = {str(v) for v in values}
    return [c for c in taxonomy.codes if c in present] + sorted(present - set(taxonomy.codes))


def lane_order(frame: pd.DataFrame, lanes: str) -> list[str]:
    """Lane names top to bottom: taxonomy order for kinds, alphabetical for bodies."""
    if lanes == "kind":
        return [_label(MEETING_KINDS, c) for c in _codes_present(frame["kind"], MEETING_KINDS)]
    return sorted({text(v) for v in frame[lanes]})


def _rows(customdata: list[list[str]], keep: np.ndarray) -> np.ndarray:
    """The kept rows as a 2-D array: plotly copies an array without checking each cell."""
    return np.array([c for c, k in zip(customdata, keep, strict=True) if k], dtype=object)


def _add_events(
    fig: go.Figure,
    frame: pd.DataFrame,
    *,
    lane: pd.Series,
    name: str,
    color: str,
    customdata: list[list[str]],
    group: str,
) -> None:
    """One bar trace for the multi-day events of `frame` and one marker trace for its one-day events."""
    start = pd.to_datetime(frame["start_date"])
    end = pd.to_datetime(frame["end_date"])
    one_day = (end == start).to_numpy()
    hover = "<b>%{customdata[1]}</b><br>%{customdata[2]}<br>%{customdata[3]}<extra></extra>"
    long = ~one_day
    shown_in_legend = False
    if long.any():
        days = ((end - start).dt.days + 1)[long]
        fig.add_bar(
            base=start[long].dt.strftime("%Y-%m-%d").to_numpy(dtype=object),
            x=(days * DAY_MS).to_numpy(dtype="int64"),
            y=lane[long].to_numpy(dtype=object),
            orientation="h",
            name=name,
            legendgroup=group,
            marker={"color": color, "line": {"color": color, "width": 3}},
            customdata=_rows(customdata, long),
            hovertemplate=hover,
            width=0.5,
        )
        shown_in_legend = True
    if one_day.any():
        # A milestone sits in the middle of its day, like the bars that span whole days.
        middle = start[one_day] + pd.Timedelta(hours=12)
        fig.add_scatter(
            x=middle.dt.strftime("%Y-%m-%d %H:%M").to_numpy(dtype=object),
            y=lane[one_day].to_numpy(dtype=object),
            mode="markers",
            name=name,
            legendgroup=group,
            showlegend=not shown_in_legend,
            marker={"symbol": "diamond", "size": 13, "color": color, "line": {"color": "white", "width": 1}},
            customdata=_rows(customdata, one_day),
            hovertemplate=hover,
        )


def _add_categories(
    fig: go.Figure,
    frame: pd.DataFrame,
    *,
    column: str,
    taxonomy: Taxonomy,
    lane: pd.Series,
    details: Callable[[Any], list[str]],
    group_prefix: str = "",
) -> None:
    """The events of `frame` coloured by their category in `column`, one legend entry per category;
    `details(row)` gives the hover's identifier, title, dates and one more line."""
    colors = palette(column)
    for code in _codes_present(frame[column], taxonomy):
        part = frame[frame[column].astype(str) == code]
        _add_events(
            fig,
            part,
            lane=lane[part.index],
            name=_label(taxonomy, code),
            color=colors.get(code, "#666"),
            customdata=[details(row) for row in part.itertuples(index=False)],
            group=group_prefix + code,
        )


def _meeting_details(row: Any) -> list[str]:
    """The meeting's identifier (read back by a click, never shown), then its title, dates and body as text."""
    return [str(row.meeting_id), text(row.title), text(dates_text(row.start_date, row.end_date)), text(row.body)]


def _action_details(row: Any) -> list[str]:
    unit = getattr(row, "unit", None)
    dates = text(dates_text(row.start_date, row.end_date))
    return [str(row.action_id), text(row.title), dates, "" if pd.isna(unit) else text(unit)]


def _add_monthly(fig: go.Figure, counts: pd.DataFrame) -> None:
    """A bar per month in each mode's lane, its opacity growing with the number of actions."""
    colors = palette("mode")
    most = counts["value"].max()
    for mode in [c for c in MODES.codes if c in set(counts["mode"])]:
        part = counts[counts["mode"] == mode]
        start = pd.to_datetime(part["month"])
        days = (start + pd.offsets.MonthEnd(0) - start).dt.days + 1
        name = _label(MODES, mode)
        fig.add_bar(
            base=start.dt.strftime("%Y-%m-%d").to_numpy(dtype=object),
            x=(days * DAY_MS).to_numpy(dtype="int64"),
            y=[_action_lane(name)] * len(part),
            orientation="h",
            name=name,
            legendgroup="action " + mode,
            marker={"color": colors.get(mode, "#666"), "opacity": (0.2 + 0.8 * part["value"] / most).round(2).tolist()},
            # The month's name as hidden text and its count as a number: a few bytes a bar.
            text=[text(i18n.month(m)) for m in start],
            textposition="none",
            customdata=part["value"].astype(int).tolist(),
            hovertemplate=f"<b>{name}</b> – %{{text}}<br>"
            + _("{count} actions").format(count="%{customdata:,d}")
            + "<extra></extra>",
            width=0.5,
        )


def _today(fig: go.Figure, today: dt.date) -> None:
    fig.add_shape(
        type="line",
        xref="x",
        yref="paper",
        x0=today.isoformat(),
        x1=today.isoformat(),
        y0=0,
        y1=1,
        line={"color": TODAY_COLOR, "width": 2, "dash": "dash"},
    )
    # Inside the plot, at the top: above it stand the zoom buttons and the marking.
    fig.add_annotation(
        x=today.isoformat(),
        y=1,
        xref="x",
        yref="paper",
        yanchor="top",
        text=text(_("Aujourd'hui ({date})").format(date=i18n.date(today))),
        showarrow=False,
        font={"color": TODAY_COLOR, "size": 12},
        bgcolor="rgba(255,255,255,0.85)",
    )


def _highlight(fig: go.Figure, frame: pd.DataFrame, lane: pd.Series, id_column: str, selected: str | None) -> None:
    """A ring around the chosen event, so the eye finds it after the click."""
    if not selected:
        return
    mask = (frame[id_column] == selected).to_numpy()
    if not mask.any():
        return
    row = frame[mask].iloc[0]
    start, end = pd.Timestamp(row["start_date"]), pd.Timestamp(row["end_date"])
    middle = start + (end - start + pd.Timedelta(days=1)) / 2
    fig.add_scatter(
        x=[middle.strftime("%Y-%m-%d %H:%M")],
        y=[lane[mask].iloc[0]],
        mode="markers",
        name=_("Rencontre choisie"),
        showlegend=False,
        marker={"symbol": "circle-open", "size": 26, "color": "#111", "line": {"width": 3}},
        customdata=[[selected, text(row["title"]), text(dates_text(start, end)), ""]],
        hovertemplate="<b>%{customdata[1]}</b><br>%{customdata[2]}<extra>" + _("choisie") + "</extra>",
    )


Period = tuple[dt.date | None, dt.date | None]


def window(starts: pd.Series, ends: pd.Series, period: Period = (None, None)) -> tuple[dt.date, dt.date]:
    """The first and last day the axis shows: the chosen period, or the events' own span where it is open."""
    first = period[0] or pd.Timestamp(starts.min()).date()
    last = period[1] or pd.Timestamp(ends.max()).date()
    return first, max(last, first)


def _axis_range(first: dt.date, last: dt.date) -> list[str]:
    # To the end of the last day, so its events are whole.
    return [first.isoformat(), (last + dt.timedelta(days=1)).isoformat()]


def _label_key_events(fig: go.Figure, rows: pd.DataFrame, lane: pd.Series, first: dt.date, last: dt.date) -> None:
    """The short title of key events inside the window above their mark, alternately higher and lower; an
    event closer than a sixth of the window to the one named before it is left to its hover, so that the
    names never overlap."""
    days = pd.to_datetime(rows["start_date"]).dt.date
    gap = max((last - first).days, 1) / 6
    previous: dt.date | None = None
    shown = 0
    for index, row in key_events(rows[(days >= first) & (days <= last)], limit=len(rows)).iterrows():
        start, end = pd.Timestamp(row["start_date"]), pd.Timestamp(row["end_date"])
        if previous is not None and (start.date() - previous).days < gap:
            continue
        middle = start + (end - start + pd.Timedelta(days=1)) / 2
        fig.add_annotation(
            x=middle.strftime("%Y-%m-%d %H:%M"),
            y=lane[index],
            text=text(short_title(row["title"])),
            name="evenement_cle",
            showarrow=True,
            arrowhead=0,
            arrowcolor="#555",
            ax=0,
            ay=-18 if shown % 2 == 0 else -34,
            font={"size": 11, "color": "#222"},
            bgcolor="rgba(255,255,255,0.85)",
        )
        previous, shown = start.date(), shown + 1


def _zoom_buttons(first: dt.date, last: dt.date, today: dt.date) -> list[dict]:
    centre = min(max(today, first), last)
    buttons = [
        {
            "label": _(label),
            "method": "relayout",
            "args": [
                {
                    "xaxis.range": [
                        (centre - dt.timedelta(days=days)).isoformat(),
                        (centre + dt.timedelta(days=days)).isoformat(),
                    ]
                }
            ],
        }
        for label, days in ZOOMS
    ]
    return [
        *buttons,
        {"label": _("Période"), "method": "relayout", "args": [{"xaxis.range": _axis_range(first, last)}]},
    ]


def _layout(
    fig: go.Figure, order: list[str], zooms: list[dict], *, height: int, span: tuple[dt.date, dt.date]
) -> go.Figure:
    fig.update_layout(
        updatemenus=[
            {
                "type": "buttons",
                "direction": "right",
                "buttons": zooms,
                "active": len(zooms) - 1,
                "x": 0,
                "xanchor": "left",
                "y": 1,
                "yanchor": "bottom",
                "pad": {"b": 4},
                "bgcolor": "white",
                "bordercolor": "#ccc",
                "font": {"size": 12},
            }
        ],
        barmode="overlay",
        hovermode="closest",
        # Keeps the user's zoom when the page reruns (a click, a new filter value).
        uirevision="timeline",
    )
    fig.update_xaxes(
        type="date",
        range=_axis_range(*span),
        tickformatstops=[
            {"dtickrange": [None, DAY_MS * 27], "value": DAY_TICKS[i18n.language()]},
            {"dtickrange": [DAY_MS * 27, DAY_MS * 360], "value": MONTH_TICKS[i18n.language()]},
            {"dtickrange": [DAY_MS * 360, None], "value": "%Y"},
        ],
        rangeslider={"visible": True, "thickness": 0.06},
        title=None,
    )
    fig.update_yaxes(
        type="category",
        categoryorder="array",
        categoryarray=list(reversed(order)),
        range=[-0.6, len(order) - 0.4],
        fixedrange=True,
        title=None,
    )
    style(fig, height=height)
    # The legend stands on the right, so the zoom buttons have the top left corner.
    fig.update_layout(
        legend={
            "orientation": "v",
            "x": 1.01,
            "xanchor": "left",
            "y": 1,
            "yanchor": "top",
            "itemclick": False,
            "itemdoubleclick": False,
        },
        # The marking stands above the zoom buttons, which hold the top left corner.
        margin={"t": MARKING_MARGIN + ZOOM_BAND},
    )
    fig.update_annotations(selector={"name": MARKING_NAME}, yshift=MARKING_SHIFT + ZOOM_BAND)
    return fig


def meetings_timeline(
    frame: pd.DataFrame,
    *,
    lanes: str = "kind",
    today: dt.date | None = None,
    selected: str | None = None,
    period: Period = (None, None),
) -> go.Figure:
    """Meetings in lanes per kind (`lanes="kind"`) or per body (`lanes="body"`), coloured by kind.

    `frame` has the columns of the meetings table (meeting_id, title,
    start_date, end_date, kind, body, level, ...); `selected` is a meeting_id to
    ring; the axis spans `period` (first and last day; None: the events' own).
    """
    if frame.empty:
        return empty(NO_MEETING)
    today = today or dt.date.today()
    lane = frame["kind"].map(lambda c: _label(MEETING_KINDS, c)) if lanes == "kind" else frame[lanes].map(text)
    order = lane_order(frame, lanes)
    fig = go.Figure()
    _add_categories(fig, frame, column="kind", taxonomy=MEETING_KINDS, lane=lane, details=_meeting_details)
    _highlight(fig, frame, lane, "meeting_id", selected)
    first, last = window(frame["start_date"], frame["end_date"], period)
    _label_key_events(fig, frame, lane, first, last)
    if first <= today <= last:
        _today(fig, today)
    zooms = _zoom_buttons(first, last, today)
    return _layout(fig, order, zooms, height=150 + 46 * len(order), span=(first, last))


def country_timeline(
    actions_frame: pd.DataFrame,
    meetings_frame: pd.DataFrame,
    *,
    today: dt.date | None = None,
    selected: str | None = None,
    monthly: bool = False,
    period: Period = (None, None),
) -> go.Figure:
    """One partner's meetings (a lane per kind) above its actions (a lane per mode of action).

    `actions_frame` has action_id, title, start_date, end_date, mode (and unit),
    or with `monthly` the count of actions per month and mode (month, mode, value),
    drawn as one bar per month, darker for more actions. `meetings_frame` has the
    meetings columns. `selected` is an action or meeting id.
    """
    if actions_frame.empty and meetings_frame.empty:
        return empty(N_("Aucune action ni rencontre pour ce pays dans la sélection"))
    today = today or dt.date.today()
    fig = go.Figure()
    order: list[str] = []
    if not meetings_frame.empty:
        meetings_frame = meetings_frame.reset_index(drop=True)
        kind_lane = meetings_frame["kind"].map(lambda c: _meeting_lane(_label(MEETING_KINDS, c)))
        order += [_meeting_lane(name) for name in lane_order(meetings_frame, "kind")]
        _add_categories(
            fig,
            meetings_frame,
            column="kind",
            taxonomy=MEETING_KINDS,
            lane=kind_lane,
            details=_meeting_details,
            group_prefix="rencontre ",
        )
        _highlight(fig, meetings_frame, kind_lane, "meeting_id", selected)
        key_lane = kind_lane
    if not actions_frame.empty:
        order += [_action_lane(_label(MODES, c)) for c in _codes_present(actions_frame["mode"], MODES)]
    if not actions_frame.empty and monthly:
        _add_monthly(fig, actions_frame)
        months = pd.to_datetime(actions_frame["month"])
        actions_frame = pd.DataFrame({"start_date": months, "end_date": months + pd.offsets.MonthEnd(0)})
    elif not actions_frame.empty:
        actions_frame = actions_frame.reset_index(drop=True)
        mode_lane = actions_frame["mode"].map(lambda c: _action_lane(_label(MODES, c)))
        _add_categories(
            fig,
            actions_frame,
            column="mode",
            taxonomy=MODES,
            lane=mode_lane,
            details=_action_details,
            group_prefix="action ",
        )
        _highlight(fig, actions_frame, mode_lane, "action_id", selected)
    fig.update_traces(opacity=0.85, selector={"type": "bar"})
    starts = pd.concat([actions_frame.get("start_date", pd.Series()), meetings_frame.get("start_date", pd.Series())])
    ends = pd.concat([actions_frame.get("end_date", pd.Series()), meetings_frame.get("end_date", pd.Series())])
    first, last = window(starts.dropna(), ends.dropna(), period)
    if not meetings_frame.empty:
        _label_key_events(fig, meetings_frame, key_lane, first, last)
    if first <= today <= last:
        _today(fig, today)
    zooms = _zoom_buttons(first, last, today)
    return _layout(fig, order, zooms, height=150 + 46 * len(order), span=(first, last))
