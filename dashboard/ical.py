"""iCalendar export of meetings: one all-day event per meeting, marked.

Calendar programs (Outlook, Thunderbird, Apple and Google calendars) read
all-day events as DTSTART/DTEND dates with DTEND the day after the last one.
The UID comes from meeting_id, so importing the file again updates the events
instead of doubling them. The classification marking names the calendar and
opens every description. The calendar's name and the descriptions are in the
language of the run.
"""

from __future__ import annotations

import datetime as dt

import icalendar
import pandas as pd

from dashboard.i18n import N_, _
from dashboard.meetings import describe
from dashboard.settings import settings

PRODID = "-//Armée de Terre//Tableau de bord PMO//FR"
UID_DOMAIN = "pmo.terre.defense"
CALENDAR_NAME = N_("Rencontres internationales du PMO")


def uid(meeting_id: str) -> str:
    return f"{meeting_id}@{UID_DOMAIN}"


def _description(marking: str, row: pd.Series, today: dt.date) -> str:
    meeting = describe(row, today)
    lines = [
        marking,
        _("Type : {value}").format(value=meeting.kind),
        _("Organisme : {value}").format(value=meeting.body),
        _("Niveau : {value}").format(value=meeting.level),
        _("Format : {value}").format(value=meeting.format),
        _("Pays partenaires : {value}").format(value=", ".join(meeting.partners) or "–"),
    ]
    if meeting.participants is not None:
        lines.append(_("Participants : {value}").format(value=meeting.participants))
    lines.append(_("Thèmes : {value}").format(value=", ".join(meeting.topics) or "–"))
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
    calendar.add("x-wr-calname", f"{marking} – {_(CALENDAR_NAME)}")
    for _index, row in rows.iterrows():
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
