"""Timeline figures: lanes, bars and milestones, today's line, zoom, the chosen event, a partner's timeline."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard.charts import timeline
from dashboard.schema import MEETING_KINDS, MODES

TODAY = dt.date(2024, 6, 20)


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "meeting_id": ["CAMO", "EMI", "SUMMIT", "TAKAMORI"],
            "title": ["Accord CaMo", "Réunion de l'EMI", "Sommet de Washington", "Brunet-Takamori 24"],
            "start_date": pd.to_datetime(["2019-06-21", "2024-02-28", "2024-07-09", "2024-11-05"]),
            "end_date": pd.to_datetime(["2019-06-21", "2024-02-28", "2024-07-11", "2024-11-22"]),
            "kind": ["jalon de programme", "réunion OTAN", "réunion OTAN", "exercice"],
            "body": ["Programme CaMo", "EMI – Division Sécurité coopérative", "OTAN – Sommet", "BRI"],
        }
    )


def traces(fig) -> dict[tuple[str, str], object]:
    return {(t.type, t.name): t for t in fig.data}


def ids_of(trace) -> list[str]:
    return [c[0] for c in trace.customdata]


def test_multi_day_events_are_bars_spanning_whole_days_and_one_day_events_are_markers(frame):
    fig = timeline.meetings_timeline(frame, today=TODAY)
    by_name = traces(fig)
    summit_bars = by_name[("bar", "Réunion OTAN")]
    assert ids_of(summit_bars) == ["SUMMIT"]
    assert summit_bars.orientation == "h"
    assert summit_bars.base[0] == "2024-07-09"
    # 9, 10 and 11 July: three whole days, so the bar ends at midnight after the last day.
    assert summit_bars.x[0] == 3 * timeline.DAY_MS
    milestones = by_name[("scatter", "Réunion OTAN")]
    assert ids_of(milestones) == ["EMI"]
    assert milestones.x[0].startswith("2024-02-28")
    assert milestones.marker.symbol == "diamond"
    assert ids_of(by_name[("scatter", "Jalon de programme")]) == ["CAMO"]
    assert ids_of(by_name[("bar", "Exercice")]) == ["TAKAMORI"]


def test_colours_follow_the_kind_taxonomy(frame):
    fig = timeline.meetings_timeline(frame, today=TODAY)
    colors = MEETING_KINDS.colors()
    for trace in fig.data:
        kind = next(c for c in MEETING_KINDS.codes if MEETING_KINDS.label(c) == trace.name)
        assert trace.marker.color == colors[kind]


def test_one_lane_per_kind_in_taxonomy_order_or_one_per_body(frame):
    by_kind = timeline.meetings_timeline(frame, lanes="kind", today=TODAY)
    # The y axis lists lanes bottom to top: the first kind of the taxonomy is on top.
    assert list(by_kind.layout.yaxis.categoryarray)[::-1] == ["Réunion OTAN", "Exercice", "Jalon de programme"]
    by_body = timeline.meetings_timeline(frame, lanes="body", today=TODAY)
    lanes = list(by_body.layout.yaxis.categoryarray)[::-1]
    assert lanes == sorted(frame["body"])
    summit = traces(by_body)[("bar", "Réunion OTAN")]
    assert summit.y[0] == "OTAN – Sommet"


def test_a_dashed_line_and_a_label_mark_today(frame):
    fig = timeline.meetings_timeline(frame, today=TODAY)
    lines = [s for s in fig.layout.shapes if s.type == "line"]
    assert len(lines) == 1
    assert lines[0].x0 == lines[0].x1 == "2024-06-20"
    assert (lines[0].yref, lines[0].y0, lines[0].y1) == ("paper", 0, 1)
    assert any("20 juin 2024" in a.text for a in fig.layout.annotations)


def test_the_axis_spans_the_chosen_period_and_today_shows_only_inside_it(frame):
    six_months = timeline.meetings_timeline(frame, today=TODAY, period=(dt.date(2024, 1, 1), dt.date(2024, 6, 30)))
    assert list(six_months.layout.xaxis.range) == ["2024-01-01", "2024-07-01"]
    assert [s.x0 for s in six_months.layout.shapes if s.type == "line"] == ["2024-06-20"]
    # A period that ended before today: the axis stops with it, and no line drags it on to today.
    before = timeline.meetings_timeline(frame, today=TODAY, period=(dt.date(2023, 7, 1), dt.date(2023, 12, 31)))
    assert list(before.layout.xaxis.range) == ["2023-07-01", "2024-01-01"]
    assert not [s for s in before.layout.shapes if s.type == "line"]
    assert not any("Aujourd'hui" in a.text for a in before.layout.annotations)
    assert _zooms(before)["Période"] == {"xaxis.range": ["2023-07-01", "2024-01-01"]}


def test_key_events_are_named_on_the_chart(frame):
    frame = frame.assign(level=["experts", "état-major", "CEMA/CHOD", "état-major"])
    fig = timeline.meetings_timeline(frame, today=TODAY)
    named = {a.text: a.y for a in fig.layout.annotations if a.name == "evenement_cle"}
    # The CaMo milestone and the chiefs of defence summit: not the staff meeting nor the exercise.
    assert named == {"Accord CaMo": "Jalon de programme", "Sommet de Washington": "Réunion OTAN"}
    inside = timeline.meetings_timeline(frame, today=TODAY, period=(dt.date(2024, 1, 1), dt.date(2024, 12, 31)))
    assert [a.text for a in inside.layout.annotations if a.name == "evenement_cle"] == ["Sommet de Washington"]


def _zooms(fig) -> dict[str, object]:
    return {b.label: b.args[0] for b in fig.layout.updatemenus[0].buttons}


def test_the_time_axis_zooms_around_today_with_buttons_and_a_slider_and_lanes_stay_put(frame):
    fig = timeline.meetings_timeline(frame, today=TODAY)
    assert fig.layout.xaxis.type == "date"
    assert fig.layout.xaxis.rangeslider.visible is True
    zooms = _zooms(fig)
    assert list(zooms) == ["± 3 mois", "± 6 mois", "± 1 an", "Période"]
    assert zooms["± 1 an"]["xaxis.range"] == ["2023-06-21", "2025-06-20"]
    # Without a chosen period, the whole span of the events, to the end of the last day.
    assert zooms["Période"] == {"xaxis.range": ["2019-06-21", "2024-11-23"]}
    assert fig.layout.yaxis.fixedrange is True
    # The zoom survives a rerun of the page (a click, a filter).
    assert fig.layout.uirevision is not None
    assert fig.layout.separators == ", "


def test_when_the_events_end_before_today_the_zoom_centres_on_the_last_day(frame):
    fig = timeline.meetings_timeline(frame, today=dt.date(2030, 1, 1))
    assert _zooms(fig)["± 3 mois"]["xaxis.range"] == ["2024-08-23", "2025-02-21"]


def test_the_chosen_event_is_ringed_and_others_are_not(frame):
    fig = timeline.meetings_timeline(frame, today=TODAY, selected="SUMMIT")
    ring = traces(fig)[("scatter", "Rencontre choisie")]
    assert ids_of(ring) == ["SUMMIT"]
    # The ring sits in the middle of the three days, in the summit's lane.
    assert ring.x[0] == "2024-07-10 12:00"
    assert ring.y[0] == "Réunion OTAN"
    unchosen = timeline.meetings_timeline(frame, today=TODAY, selected="UNKNOWN")
    assert ("scatter", "Rencontre choisie") not in traces(unchosen)


def test_no_meeting_gives_a_figure_that_says_so(frame):
    fig = timeline.meetings_timeline(frame.iloc[0:0], today=TODAY)
    assert fig.data == ()
    assert fig.layout.annotations[0].text == timeline.NO_MEETING


def test_a_partners_timeline_puts_meetings_above_actions_with_one_lane_per_mode(frame):
    actions = pd.DataFrame(
        {
            "action_id": ["PMO-1", "PMO-2", "PMO-3"],
            "title": ["Formation : tir", "Entraînement : CENZUB", "Conseil : état-major"],
            "start_date": pd.to_datetime(["2024-03-01", "2024-05-06", "2024-09-09"]),
            "end_date": pd.to_datetime(["2024-03-20", "2024-05-06", "2024-09-20"]),
            "mode": ["formation", "entraînement", "conseil"],
            "unit": ["2e RD", None, "CPMO"],
        }
    )
    fig = timeline.country_timeline(actions, frame, today=TODAY)
    lanes = list(fig.layout.yaxis.categoryarray)[::-1]
    assert lanes == [
        "Rencontre : Réunion OTAN",
        "Rencontre : Exercice",
        "Rencontre : Jalon de programme",
        "Action : Conseil",
        "Action : Formation",
        "Action : Entraînement",
    ]
    by_name = traces(fig)
    training = by_name[("bar", "Formation")]
    assert ids_of(training) == ["PMO-1"]
    assert training.marker.color == MODES.colors()["formation"]
    assert training.y[0] == "Action : Formation"
    assert ids_of(by_name[("scatter", "Entraînement")]) == ["PMO-2"]
    assert ids_of(by_name[("bar", "Exercice")]) == ["TAKAMORI"]
    assert any(s.type == "line" for s in fig.layout.shapes)


def test_a_partners_timeline_with_only_actions_or_nothing(frame):
    actions = pd.DataFrame(
        {
            "action_id": ["PMO-1"],
            "title": ["Formation"],
            "start_date": pd.to_datetime(["2024-03-01"]),
            "end_date": pd.to_datetime(["2024-03-20"]),
            "mode": ["formation"],
        }
    )
    only_actions = timeline.country_timeline(actions, frame.iloc[0:0], today=TODAY)
    assert list(only_actions.layout.yaxis.categoryarray) == ["Action : Formation"]
    nothing = timeline.country_timeline(actions.iloc[0:0], frame.iloc[0:0], today=TODAY)
    assert nothing.data == ()


def test_many_actions_show_as_one_bar_per_month_darker_for_busier_months(frame):
    counts = pd.DataFrame(
        {
            "month": pd.to_datetime(["2024-02-01", "2024-03-01", "2024-03-01"]),
            "mode": ["formation", "formation", "conseil"],
            "value": [40, 1200, 10],
        }
    )
    fig = timeline.country_timeline(counts, frame, today=TODAY, monthly=True)
    assert list(fig.layout.yaxis.categoryarray)[::-1][-2:] == ["Action : Conseil", "Action : Formation"]
    training = traces(fig)[("bar", "Formation")]
    # February: from its first day, 29 days long (2024 is a leap year); March: 31 days.
    assert list(training.base) == ["2024-02-01", "2024-03-01"]
    assert [x // timeline.DAY_MS for x in training.x] == [29, 31]
    assert list(training.customdata) == [40, 1200]
    assert list(training.text) == ["février 2024", "mars 2024"]
    assert training.marker.opacity[0] < training.marker.opacity[1] == 1
    assert "%{customdata:,d} actions" in training.hovertemplate
