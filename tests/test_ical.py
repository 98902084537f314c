"""The iCalendar export, parsed back with icalendar: all-day dates, stable UIDs, text intact, marking."""

from __future__ import annotations

import datetime as dt

import icalendar
import pandas as pd
import pytest

from dashboard import ical
from dashboard.demo import demo_meetings
from dashboard.query import Filters, meeting_rows

STAMP = dt.datetime(2026, 11, 21, 9, 30, tzinfo=dt.UTC)
TRICKY_TITLE = "Entretiens d'état-major, France; Belgique\nsession « CaMo » – 2ᵉ tour"
TRICKY_SUMMARY = "Ligne 1 ; virgule, point-virgule;\nligne 2 : accents éàçüœ, barre \\ oblique"


@pytest.fixture
def rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "meeting_id": ["RCT-1", "RCT-2"],
            "title": [TRICKY_TITLE, "Sommet de l'OTAN à Washington"],
            "start_date": pd.to_datetime(["2024-06-11", "2024-07-09"]),
            "end_date": pd.to_datetime(["2024-06-11", "2024-07-11"]),
            "kind": ["entretiens d'état-major", "réunion OTAN"],
            "body": ["BRI", "OTAN – Sommet des chefs d'État et de gouvernement"],
            "level": ["état-major", "CEMA/CHOD"],
            "format": ["virtuel", "présentiel"],
            "city": ["Paris", "Washington"],
            "country_iso3": ["FRA", "USA"],
            "partner_countries": [["BEL", "CIV"], []],
            "participants": pd.array([2, 32], dtype="Int64"),
            "topics": [["interopérabilité, Scorpion", "formation; entraînement"], []],
            "summary": [TRICKY_SUMMARY, None],
        }
    )


def parse(data: bytes) -> tuple[icalendar.Calendar, list[icalendar.Event]]:
    parsed = icalendar.Calendar.from_ical(data)
    return parsed, list(parsed.walk("VEVENT"))


def test_one_all_day_event_per_meeting_with_an_exclusive_end(rows):
    _, events = parse(ical.ics_bytes(rows, stamp=STAMP, marking="NON PROTÉGÉ"))
    assert len(events) == 2
    one_day, three_days = events
    assert one_day.decoded("dtstart") == dt.date(2024, 6, 11)
    assert one_day.decoded("dtend") == dt.date(2024, 6, 12)
    assert three_days.decoded("dtstart") == dt.date(2024, 7, 9)
    assert three_days.decoded("dtend") == dt.date(2024, 7, 12)
    # Dates, not date-times: calendars show them as all-day events.
    assert not isinstance(three_days.decoded("dtstart"), dt.datetime)
    assert three_days.decoded("dtstamp") == STAMP


def test_the_file_is_a_valid_calendar_for_common_programs(rows):
    data = ical.ics_bytes(rows, stamp=STAMP, marking="NON PROTÉGÉ")
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert data.rstrip().endswith(b"END:VCALENDAR")
    assert all(len(line) <= 75 for line in data.split(b"\r\n")), "lines are folded at 75 octets"
    parsed, events = parse(data)
    assert str(parsed["version"]) == "2.0"
    assert str(parsed["prodid"])
    for event in events:
        for field in ("uid", "dtstamp", "dtstart", "dtend", "summary", "description"):
            assert field in event, field


def test_uids_are_stable_and_come_from_the_meeting_id(rows):
    first = ical.ics_bytes(rows, stamp=STAMP)
    later = ical.ics_bytes(rows.iloc[::-1], stamp=STAMP + dt.timedelta(days=3))
    uids = [str(e["uid"]) for e in parse(first)[1]]
    assert uids == [ical.uid("RCT-1"), ical.uid("RCT-2")]
    assert "RCT-1" in uids[0]
    assert sorted(str(e["uid"]) for e in parse(later)[1]) == sorted(uids)


def test_commas_semicolons_newlines_and_accents_are_escaped_and_restored(rows):
    data = ical.ics_bytes(rows, stamp=STAMP)
    assert b"\\;" in data and b"\\," in data and b"\\n" in data
    _, events = parse(data)
    event = events[0]
    assert str(event["summary"]) == TRICKY_TITLE
    description = str(event["description"])
    assert TRICKY_SUMMARY in description
    assert "Thèmes : interopérabilité, Scorpion, formation; entraînement" in description
    assert str(events[1]["location"]) == "Washington, États-Unis"


def test_the_description_names_body_level_format_partners_and_topics_and_starts_with_the_marking(rows):
    data = ical.ics_bytes(rows, stamp=STAMP, marking="DIFFUSION RESTREINTE")
    parsed, events = parse(data)
    assert "DIFFUSION RESTREINTE" in parsed["x-wr-calname"].to_ical().decode()
    lines = str(events[0]["description"]).split("\n")
    assert lines[0] == "DIFFUSION RESTREINTE"
    assert "Organisme : BRI" in lines
    assert "Niveau : État-major" in lines
    assert "Format : Virtuel" in lines
    assert "Pays partenaires : Belgique, Côte d'Ivoire" in lines
    second = str(events[1]["description"]).split("\n")
    assert second[0] == "DIFFUSION RESTREINTE"
    assert "Participants : 32" in second
    assert "Pays partenaires : –" in second


def test_the_marking_comes_from_the_settings(rows, monkeypatch):
    monkeypatch.setenv("PMO_MARKING", "SPÉCIAL FRANCE")
    parsed, events = parse(ical.ics_bytes(rows, stamp=STAMP))
    assert "SPÉCIAL FRANCE" in parsed["x-wr-calname"].to_ical().decode()
    assert all(str(e["description"]).startswith("SPÉCIAL FRANCE\n") for e in events)


def test_the_demo_meetings_export_whole_and_parse_back():
    rows = meeting_rows(demo_meetings(), Filters())
    _, events = parse(ical.ics_bytes(rows, stamp=STAMP))
    assert len(events) == len(rows)
    assert len({str(e["uid"]) for e in events}) == len(rows)
    chod = next(e for e in events if str(e["uid"]) == ical.uid("RCT-2024-CM-CHOD"))
    assert chod.decoded("dtstart") == dt.date(2024, 6, 11)
    assert "Format : Virtuel" in str(chod["description"])


def test_no_meeting_gives_an_empty_but_valid_calendar(rows):
    parsed, events = parse(ical.ics_bytes(rows.iloc[0:0], stamp=STAMP))
    assert events == []
    assert str(parsed["version"]) == "2.0"


def test_in_english_the_calendar_and_its_descriptions_are_in_english(rows):
    from dashboard import i18n

    with i18n.using("en"):
        data = ical.ics_bytes(rows, stamp=STAMP, marking="DIFFUSION RESTREINTE")
    parsed, events = parse(data)
    assert parsed["x-wr-calname"].to_ical().decode() == "DIFFUSION RESTREINTE – PMO international meetings"
    lines = str(events[0]["description"]).split("\n")
    assert lines[:6] == [
        "DIFFUSION RESTREINTE",
        "Type: Staff talks",
        "Body: BRI",
        "Level: Staff",
        "Format: Virtual",
        "Partner countries: Belgium, Côte d’Ivoire",
    ]
    assert events[0]["categories"].cats == ["Staff talks"]
    assert str(events[1]["location"]) == "Washington, United States"
    # The same events, whatever the language: a calendar imported twice updates them.
    assert [str(e["uid"]) for e in events] == [ical.uid("RCT-1"), ical.uid("RCT-2")]
