"""Figures of the plan and of the assessment: months ahead, units' load, realisation, reasons, levels."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n
from dashboard.charts.base import empty, palette, style
from dashboard.charts.base import text as _text
from dashboard.charts.timeline import DAY_MS, MONTH_TICKS, TODAY_COLOR
from dashboard.i18n import N_, _
from dashboard.plan import ASSESSMENT_ORDER, NO_REASON, NOT_ASSESSED
from dashboard.reference import label
from dashboard.schema import ACTION_STATUSES, ASSESSMENTS, REGIONS

OVERLAP_COLOR = "#b00020"
OVERLAP_NAME = N_("Unité engagée dans deux pays ou plus")
COMMITTED_COLOR = "#5d7fa3"
# Above this many bars (one per unit and country), the timeline draws periods of commitment instead.
SPANS_DRAWN = 300
NOT_ASSESSED_COLOR = "#c8c8c8"
TOP_COUNTRIES = 10
OTHERS = N_("Autres pays")


# A span's days, short: `01/06/25` in French, `1 Jun 25` in English (a day before its month).
_SHORT_DAY = {"fr": "%d/%m/%y", "en": "%-d %b %y"}


def _dates(frame: pd.DataFrame) -> pd.Series:
    """`01/06/25 – 15/06/25` (`1 Jun 25 – 15 Jun 25`), vectorised (thousands of spans at a million actions) and
    short (sent on every filter change)."""
    start, end = pd.to_datetime(frame["start_date"]), pd.to_datetime(frame["end_date"])
    day = _SHORT_DAY[i18n.language()]
    return start.dt.strftime(day) + " – " + end.dt.strftime(day)


def _some_countries(codes: list[str], shown: int = 3) -> str:
    names = [label("country_iso3", c) for c in codes]
    more = _(" et {n} autres").format(n=len(names) - shown) if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


def _country_names(codes: pd.Series) -> pd.Series:
    names = {code: _text(label("country_iso3", code)) for code in codes.unique()}
    return codes.map(names)


def upcoming(frame: pd.DataFrame, by: str) -> go.Figure:
    """Planned actions per month, stacked by region or by the leading countries: month, `by`, actions."""
    if frame.empty:
        return empty(N_("Aucune action prévue sur les douze prochains mois"))
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
    # Months as words of the language on a category axis (plotly's own date ticks are in English).
    months = sorted(pd.to_datetime(frame["month"]).dt.date.unique())
    words = {m: i18n.short_month(m) for m in months}
    fig = go.Figure()
    for value in order:
        part = frame[frame[by] == value]
        name = _text(_(OTHERS) if value == OTHERS else label(by, value))
        fig.add_bar(
            x=[words[m] for m in pd.to_datetime(part["month"]).dt.date],
            y=part["actions"],
            name=name,
            marker_color=colors.get(value),
            hovertemplate=f"<b>{name}</b><br>"
            + _("{month} : {count} action(s)").format(month="%{x}", count="%{y:,.0f}")
            + "<extra></extra>",
        )
    fig.update_layout(barmode="stack", yaxis_title=_text(_("Actions prévues")), legend={"traceorder": "normal"})
    fig.update_xaxes(
        type="category", categoryorder="array", categoryarray=[words[m] for m in months], title=None, tickangle=0
    )
    return style(fig, height=380)


def unit_load(
    spans: pd.DataFrame, overlaps: pd.DataFrame, periods: pd.DataFrame, units: list[str], today: dt.date
) -> go.Figure:
    """Each unit's commitments on one line and, in red above them, the days it is committed in two places
    or more. Up to SPANS_DRAWN bars, one per country where a unit's actions follow each other, coloured
    by region; beyond, one per period of commitment whatever the country (`plan.Commitments`)."""
    spans = spans[spans["unit"].isin(units)]
    if spans.empty:
        return empty(N_("Aucun engagement prévu d'unité sur les douze prochains mois"))
    fig = go.Figure()
    if len(spans) <= SPANS_DRAWN:
        colors = palette("region")
        for region in [r for r in REGIONS if r in set(spans["region"])]:
            part = spans[spans["region"] == region]
            _bars(
                fig,
                part,
                name=label("region", region),
                color=colors[region],
                customdata=np.column_stack([_country_names(part["country_iso3"]), _dates(part), part["actions"]]),
                hover="<b>%{y}</b> · %{customdata[0]}<br>%{customdata[1]}<br>"
                + _("{count} action(s)").format(count="%{customdata[2]}"),
            )
    else:
        part = periods[periods["unit"].isin(units)]
        _bars(
            fig,
            part,
            name=_("Période d'engagement"),
            color=COMMITTED_COLOR,
            customdata=np.column_stack([_dates(part), part["actions"], part["countries"]]),
            hover="<b>%{y}</b><br>%{customdata[0]}<br>"
            + _("{count} action(s) dans {countries} pays").format(
                count="%{customdata[1]}", countries="%{customdata[2]}"
            ),
        )
    clash = overlaps[overlaps["unit"].isin(units)]
    if not clash.empty:
        _bars(
            fig,
            clash,
            name=_(OVERLAP_NAME),
            color=OVERLAP_COLOR,
            customdata=np.column_stack(
                [_dates(clash), [_text(_some_countries(codes)) for codes in clash["countries"]]]
            ),
            hover="<b>"
            + _("{unit} : chevauchement").format(unit="%{y}")
            + "</b><br>%{customdata[0]}<br>%{customdata[1]}",
            width=0.18,
            offset=0.22,
        )
    fig.add_shape(
        type="line", xref="x", yref="paper", x0=today.isoformat(), x1=today.isoformat(), y0=0, y1=1,
        line={"color": TODAY_COLOR, "width": 2, "dash": "dash"},
    )  # fmt: skip
    # Numeric months in French: plotly's own month names are English.
    fig.update_layout(
        barmode="overlay",
        xaxis={"type": "date", "title": None, "tickformat": MONTH_TICKS[i18n.language()]},
        yaxis={"title": None},
    )
    fig.update_yaxes(categoryorder="array", categoryarray=[_text(u) for u in reversed(units)])
    return style(fig, height=max(300, 34 * len(units) + 120))


def _bars(
    fig: go.Figure,
    frame: pd.DataFrame,
    *,
    name: str,
    color: str,
    customdata: np.ndarray,
    hover: str,
    width: float = 0.5,
    offset: float | None = None,
) -> None:
    """Horizontal bars from each row's first day to the end of its last day, on its unit's line."""
    start, end = pd.to_datetime(frame["start_date"]), pd.to_datetime(frame["end_date"])
    fig.add_bar(
        base=start.dt.strftime("%Y-%m-%d"),
        x=((end - start).dt.days + 1) * DAY_MS,
        y=frame["unit"].map(_text),
        orientation="h",
        name=name,
        marker={"color": color, "line": {"width": 0}},
        width=width,
        offset=offset,
        customdata=customdata,
        hovertemplate=hover + "<extra></extra>",
    )


def realisation(frame: pd.DataFrame, by: str = "year") -> go.Figure:
    """Actions due against those realised per year, with the realisation rate: `plan.realisation`."""
    due = frame[frame["due"] > 0]
    if due.empty:
        return empty(N_("Aucune action échue dans la sélection"))
    x = due[by].astype(str) if by == "year" else [_text(label(by, v)) for v in due[by]]
    # The rate on a second axis at the right (plain layout axes: make_subplots costs 20 ms a figure).
    fig = go.Figure()
    fig.add_bar(x=x, y=due["due"], name=_("Programmées (échues)"), marker_color="#9fb3c8",
                hovertemplate=_("{year} : {count} programmée(s) échue(s)").format(year="%{x}", count="%{y:,.0f}")
                + "<extra></extra>")  # fmt: skip
    fig.add_bar(x=x, y=due["realised"], name=_("Réalisées"), marker_color=ACTION_STATUSES.get("réalisée").color,
                hovertemplate=_("{year} : {count} réalisée(s)").format(year="%{x}", count="%{y:,.0f}")
                + "<extra></extra>")  # fmt: skip
    fig.add_scatter(
        x=x,
        y=due["rate"],
        name=_("Taux de réalisation"),
        mode="lines+markers",
        line={"color": "#e0a030", "width": 3},
        hovertemplate=_("{year} : {rate} réalisées").format(year="%{x}", rate="%{y:.0%}") + "<extra></extra>",
        yaxis="y2",
    )
    fig.update_layout(
        barmode="group",
        xaxis={"title": None, "type": "category"},
        yaxis={"title": _("Actions")},
        yaxis2={
            "title": _("Taux de réalisation"),
            "tickformat": ".0%",
            "range": [0, 1.05],
            "dtick": 0.25,
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
        },
    )
    return style(fig, height=360)


def reasons(frame: pd.DataFrame) -> go.Figure:
    """Cancelled and postponed actions per reason: status, reason, actions."""
    if frame.empty:
        return empty(N_("Aucune action annulée ni reportée dans la sélection"))
    totals = frame.groupby("reason")["actions"].sum().sort_values()
    fig = go.Figure()
    for code, name in (("annulée", _("Annulées")), ("reportée", _("Reportées"))):
        part = frame[frame["status"] == code].set_index("reason").reindex(totals.index)
        fig.add_bar(
            x=part["actions"].fillna(0).tolist(),
            y=[_text(_(r) if r == NO_REASON else r) for r in totals.index],
            orientation="h",
            name=name,
            marker_color=ACTION_STATUSES.get(code).color,
            hovertemplate="<b>%{y}</b><br>"
            + _("{status} : {count}").format(status=name, count="%{x:,.0f}")
            + "<extra></extra>",
        )
    fig.update_layout(barmode="stack", xaxis_title=_("Actions"), yaxis_title=None, legend={"traceorder": "normal"})
    return style(fig, height=max(260, 30 * len(totals) + 120))


def assessment(frame: pd.DataFrame, by: str) -> go.Figure:
    """Share of each assessment level among the realised actions of each `by` value (`plan.assessment_levels`),
    best mean level on top; the unassessed ones in grey at the end."""
    if frame.empty:
        return empty(_("Aucune action réalisée dans la sélection"))
    means = frame.groupby(by)["mean_level"].first().fillna(-1).sort_values()
    names = [_text(label(by, v)) for v in means.index]
    fig = go.Figure()
    colors = {**ASSESSMENTS.colors(), NOT_ASSESSED: NOT_ASSESSED_COLOR}
    for level in ASSESSMENT_ORDER:
        part = frame[frame["assessment"] == level].set_index(by).reindex(means.index)
        level_name = ASSESSMENTS.label(level, i18n.language()) if level in ASSESSMENTS.codes else _("Non évalué")
        fig.add_bar(
            x=part["share"].fillna(0).tolist(),
            y=names,
            orientation="h",
            name=level_name,
            marker_color=colors[level],
            customdata=part["actions"].fillna(0).tolist(),
            hovertemplate="<b>%{y}</b><br>"
            + _("{level} : {share} ({count} actions)").format(
                level=level_name, share="%{x:.0%}", count="%{customdata:,.0f}"
            )
            + "<extra></extra>",
        )
    fig.update_layout(
        barmode="stack", xaxis={"tickformat": ".0%", "range": [0, 1], "title": None}, legend={"traceorder": "normal"}
    )
    return style(fig, height=max(240, 34 * len(names) + 120))
