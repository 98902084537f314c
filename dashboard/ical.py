"""iCalendar export of meetings: one all-day event per meeting, marked.

Calendar programs (Outlook, Thunderbird, Apple and Google calendars) read
all-day events as DTSTART/DTEND dates with DTEND the day after the last one.
The UID comes from meeting_id, so importing the file again updates the events
instead of doubling them. The classification marking names the calendar and
opens every description.
"""

from __future__ import annotations

import datetime as dt

import icalendar
import pandas as pd

from dashboard.meetings import describe
from dashboard.settings import settings

PRODID = "-//Armée de Terre//Tableau de bord PMO//FR"
UID_DOMAIN = "pmo.terre.defense"
CALENDAR_NAME = "Rencontres internationales du PMO"


def uid(meeting_id: str) -> str:
    return f"{meeting_id}@{UID_DOMAIN}"


def _description(marking: str, row: pd.Series, today: dt.date) -> str:
    meeting = describe(row, today)
    lines = [
        marking,
        f"Type : {meeting.kind}",
        f"Organisme : {meeting.body}",
        f"Niveau : {meeting.level}",
        f"Format : {meeting.format}",
        f"Pays partenaires : {', '.join(meeting.partners) or '–'}",
    ]
    if meeting.participants is not None:
        lines.append(f"Participants : {meeting.participants}")
    lines.append(f"Thèmes : {', '.join(meeting.topics) or '–'}")
    if meeting.summary:
        lines += ["", meeting.summary]
    return "\n".join(lines)


def ics_bytes(rows: pd.DataFrame, *, marking: str | None = None, stamp: dt.datetime | None = None) -> bytes:
    """The meetings of `rows` (columns of the meetings table) as an iCalendar file."""
    marking = marking or settings().marking
    stamp = stamp or dt.datetime.now(dt.UTC)
    today = stamp.date()
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{marking} – {CALENDAR_NAME}")
    for _, row in rows.iterrows():
        meeting = describe(row, today)
        event = icalendar.Event()
        event.add("uid", uid(meeting.meeting_id))
        event.add("dtstamp", stamp)
        event.add("dtstart", meeting.start)
        # DTEND of an all-day event is exclusive: the day after the last day.
        event.add("dtend", meeting.end + dt.timedelta(days=1))
        event.add("summary", meeting.title)
        if meeting.place != "–":
            event.add("location", meeting.place)
        event.add("description", _description(marking, row, today))
        event.add("categories", [meeting.kind])
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
