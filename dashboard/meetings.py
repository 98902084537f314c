"""Meetings, visits, exercises and programme milestones: the queries of the meetings page.

The shared filters (period, countries) are applied first by
`query.meeting_rows`; this module adds the page's own filters (kind, body,
level, format, partner country), tells upcoming from past events, describes
one event, and shapes the rows for the list, the exports and the country
profile. Frames stay small: a few hundred meetings a year at most.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard import i18n
from dashboard.export import list_cell
from dashboard.i18n import N_, _
from dashboard.query import Filters, action_rows, aggregate, key_figures, meeting_rows
from dashboard.reference import country_name, fold
from dashboard.schema import MEETING_FORMATS, MEETING_KINDS, MEETING_LEVELS, Taxonomy

# A meeting's state on a day, in French words (`state_label` shows them in the language of the run); « annulée »
# is the value the meetings table records.
UPCOMING = N_("à venir")
ONGOING = N_("en cours")
PAST = N_("passée")
CANCELLED = N_("annulée")

# Lanes of the timeline: one per kind or one per body (`_()` translates them where shown).
LANES: dict[str, str] = {"kind": N_("Par type"), "body": N_("Par organisme")}


@dataclass(frozen=True)
class MeetingFilters:
    """The page's own filters. Empty tuples mean "no restriction"."""

    kinds: tuple[str, ...] = ()
    bodies: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()


@dataclass(frozen=True)
class Options:
    """The values present in the rows, in the order the filters show them."""

    kinds: list[str]
    bodies: list[str]
    levels: list[str]
    formats: list[str]
    partners: list[str]


def _codes(values: list[str] | list[str | None], taxonomy: Taxonomy) -> list[str]:
    present = {v for v in values if v}
    # Taxonomy order first; values outside the taxonomy (should an upload carry one) after.
    return [c for c in taxonomy.codes if c in present] + sorted(present - set(taxonomy.codes))


def options(rows: pd.DataFrame) -> Options:
    partners = {iso3 for cell in rows["partner_countries"] for iso3 in list_cell(cell)}
    return Options(
        kinds=_codes(rows["kind"].tolist(), MEETING_KINDS),
        bodies=sorted({b for b in rows["body"].tolist() if b}),
        levels=_codes(rows["level"].tolist(), MEETING_LEVELS),
        formats=_codes(rows["format"].tolist(), MEETING_FORMATS),
        partners=sorted(partners, key=lambda iso3: fold(country_name(iso3, i18n.language()))),
    )


def select(rows: pd.DataFrame, chosen: MeetingFilters) -> pd.DataFrame:
    """The rows matching every non-empty page filter; a meeting matches a partner when it attended."""
    keep = pd.Series(True, index=rows.index)
    for column, values in (
        ("kind", chosen.kinds),
        ("body", chosen.bodies),
        ("level", chosen.levels),
        ("format", chosen.formats),
    ):
        if values:
            keep &= rows[column].isin(values)
    if chosen.partners:
        wanted = set(chosen.partners)
        keep &= rows["partner_countries"].map(lambda cell: bool(wanted.intersection(list_cell(cell))))
    return rows[keep]


def _day(value: object) -> dt.date:
    return pd.Timestamp(value).date()


def status(start: object, end: object, today: dt.date, recorded: object = None) -> str:
    """The meeting's state on `today`: cancelled when recorded so, else past, ongoing or to come by its dates."""
    if recorded == CANCELLED:
        return CANCELLED
    if _day(end) < today:
        return PAST
    if _day(start) > today:
        return UPCOMING
    return ONGOING


def _recorded(rows: pd.DataFrame) -> list[object]:
    return rows["status"].tolist() if "status" in rows else [None] * len(rows)


def _states(rows: pd.DataFrame, today: dt.date) -> list[str]:
    return [
        status(s, e, today, r) for s, e, r in zip(rows["start_date"], rows["end_date"], _recorded(rows), strict=True)
    ]


def upcoming(rows: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Meetings not over yet (ongoing or to come), soonest first."""
    return rows[pd.to_datetime(rows["end_date"]).dt.date >= today].sort_values(["start_date", "meeting_id"])


def past(rows: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Meetings over before today, most recent first."""
    return rows[pd.to_datetime(rows["end_date"]).dt.date < today].sort_values(
        ["start_date", "meeting_id"], ascending=False
    )


@dataclass(frozen=True)
class Counts:
    meetings: int
    upcoming: int
    past: int
    partners: int
    next_title: str | None
    next_start: dt.date | None


def counts(rows: pd.DataFrame, today: dt.date) -> Counts:
    """How many meetings, upcoming (ongoing included) and past; partners met; the next one to start."""
    ahead = upcoming(rows, today)
    starting = ahead[pd.to_datetime(ahead["start_date"]).dt.date > today]
    if "status" in starting:
        # The next meeting is one that will be held: a cancelled one stays in the lists, said so.
        starting = starting[starting["status"] != CANCELLED]
    partners = {iso3 for cell in rows["partner_countries"] for iso3 in list_cell(cell)}
    first = starting.iloc[0] if len(starting) else None
    return Counts(
        meetings=len(rows),
        upcoming=len(ahead),
        past=len(rows) - len(ahead),
        partners=len(partners),
        next_title=None if first is None else str(first["title"]),
        next_start=None if first is None else _day(first["start_date"]),
    )


def dates_text(start: object, end: object) -> str:
    """`11 juin 2024`, or `du 9 juil. 2024 au 11 juil. 2024`."""
    return _dates_text(_day(start), _day(end), i18n.language())


# Babel formats a date in about 0.2 ms: remembered, a timeline of hundreds of events stays fast. The language
# is part of the key: a text remembered in one language is never served in the other.
@lru_cache(maxsize=16384)
def _dates_text(first: dt.date, last: dt.date, lang: str) -> str:
    if first == last:
        return i18n.date(first)
    return _("du {first} au {last}").format(first=i18n.date(first), last=i18n.date(last))


def label_of(taxonomy: Taxonomy, code: object) -> str:
    """A category's label in the language of the run; a value outside the taxonomy as it is."""
    if code is None or (isinstance(code, float) and pd.isna(code)):
        return "–"
    return taxonomy.label(str(code), i18n.language()) if code in taxonomy.codes else str(code)


def state_label(state: str) -> str:
    """A meeting's state (`status`) in the language of the run, capitalised: `À venir`, `Upcoming`."""
    words = _(state)
    return words[:1].upper() + words[1:]


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    text = str(value).strip()
    return text or None


def place(city: object, iso3: object) -> str:
    parts = [p for p in (_text(city), country_name(str(iso3), i18n.language()) if _text(iso3) else None) if p]
    return ", ".join(parts) or "–"


@dataclass(frozen=True)
class Details:
    """One meeting as the page and the calendar describe it, its labels in the language of the run."""

    meeting_id: str
    title: str
    start: dt.date
    end: dt.date
    dates: str
    status: str
    kind: str
    body: str
    level: str
    format: str
    place: str
    partners: list[str]
    participants: int | None
    topics: list[str]
    summary: str | None


def describe(row: pd.Series, today: dt.date) -> Details:
    participants = row.get("participants")
    return Details(
        meeting_id=str(row["meeting_id"]),
        title=str(row["title"]),
        start=_day(row["start_date"]),
        end=_day(row["end_date"]),
        dates=dates_text(row["start_date"], row["end_date"]),
        status=_(status(row["start_date"], row["end_date"], today, row.get("status"))),
        kind=label_of(MEETING_KINDS, row["kind"]),
        body=_text(row["body"]) or "–",
        level=label_of(MEETING_LEVELS, row["level"]),
        format=label_of(MEETING_FORMATS, row["format"]),
        place=place(row.get("city"), row.get("country_iso3")),
        partners=[country_name(c, i18n.language()) for c in list_cell(row.get("partner_countries"))],
        participants=None if participants is None or pd.isna(participants) else int(participants),
        topics=list_cell(row.get("topics")),
        summary=_text(row.get("summary")),
    )


def details(rows: pd.DataFrame, meeting_id: str | None, today: dt.date) -> Details | None:
    """The meeting `meeting_id` among `rows`; None when it is not there (filtered out or unknown)."""
    if not meeting_id or rows.empty:
        return None
    found = rows[rows["meeting_id"] == meeting_id]
    return describe(found.iloc[0], today) if len(found) else None


# The list's columns: the table's column -> its heading (`_()` translates it where shown).
HEADINGS: dict[str, str] = {
    "start_date": N_("Début"),
    "end_date": N_("Fin"),
    "title": N_("Intitulé"),
    "kind": N_("Type"),
    "body": N_("Organisme"),
    "level": N_("Niveau"),
    "format": N_("Format"),
    "place": N_("Lieu"),
    "partner_countries": N_("Pays partenaires"),
    "topics": N_("Thèmes"),
    "status": N_("Statut"),
    "meeting_id": N_("Identifiant"),
}


def heading(column: str) -> str:
    """The heading of one of the list's columns in the language of the run."""
    return _(HEADINGS[column])


def table(rows: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """The list of meetings under headings in the language of the run (`heading`), for `st.dataframe`."""
    lang = i18n.language()
    partners = [", ".join(country_name(c, lang) for c in list_cell(cell)) for cell in rows["partner_countries"]]
    topics = [", ".join(list_cell(cell)) for cell in rows["topics"]]
    columns = {
        "start_date": pd.to_datetime(rows["start_date"]).dt.date,
        "end_date": pd.to_datetime(rows["end_date"]).dt.date,
        "title": rows["title"],
        "kind": [label_of(MEETING_KINDS, v) for v in rows["kind"]],
        "body": rows["body"],
        "level": [label_of(MEETING_LEVELS, v) for v in rows["level"]],
        "format": [label_of(MEETING_FORMATS, v) for v in rows["format"]],
        "place": [place(c, i) for c, i in zip(rows["city"], rows["country_iso3"], strict=True)],
        "partner_countries": partners,
        "topics": topics,
        "status": [state_label(state) for state in _states(rows, today)],
        "meeting_id": rows["meeting_id"],
    }
    return pd.DataFrame({heading(column): values for column, values in columns.items()})


# The events a timeline names: programme milestones first, then meetings of chiefs of defence.
KEY_KIND, KEY_LEVEL = "jalon de programme", "CEMA/CHOD"


def key_events(rows: pd.DataFrame, limit: int = 8) -> pd.DataFrame:
    """The key events among `rows` (programme milestones, then chiefs of defence meetings, earliest first),
    at most `limit` of them, in date order."""
    if rows.empty:
        return rows
    milestone = rows["kind"] == KEY_KIND
    chiefs = rows["level"] == KEY_LEVEL if "level" in rows else pd.Series(False, index=rows.index)
    key = rows[milestone | chiefs]
    key = key.assign(_rank=(key["kind"] != KEY_KIND).astype(int))
    return key.sort_values(["_rank", "start_date"]).head(limit).sort_values("start_date").drop(columns="_rank")


def short_title(title: object, length: int = 32) -> str:
    """A title cut at a word to `length` characters at most, with an ellipsis when cut."""
    text = str(title)
    if len(text) <= length:
        return text
    return text[: length - 1].rsplit(" ", 1)[0].rstrip(" ,;:–-") + "…"


def latest_end(meetings: pa.Table) -> dt.date | None:
    """The last day of the last meeting in the store."""
    if meetings.num_rows == 0:
        return None
    return pc.max(meetings.column("end_date")).as_py()


# Above this many actions, a partner's timeline counts them per month and mode:
# one bar per action would send megabytes to the browser and read as a smear.
TIMELINE_ACTIONS = 400


@dataclass(frozen=True)
class CountryEvents:
    """One partner's actions and meetings for its timeline.

    `actions` holds the actions themselves, or, when there are more than
    TIMELINE_ACTIONS of them (`monthly`), their count per month and mode
    (columns month, mode, value).
    """

    actions: pd.DataFrame
    meetings: pd.DataFrame
    monthly: bool = False


def country_events(
    actions: pa.Table, meetings: pa.Table, iso3: str, shared: Filters, limit: int = TIMELINE_ACTIONS
) -> CountryEvents:
    """One partner's actions and meetings under the shared filters (its country replaces theirs).

    Actions follow every shared filter; meetings follow the period and are those
    the partner attended: a meeting merely held in the country (a NATO committee
    in Brussels) is not a Belgian partner meeting.
    """
    scope = shared.change(countries=(iso3,))
    held_or_attended = meeting_rows(meetings, scope)
    attended = held_or_attended["partner_countries"].map(lambda cell: iso3 in list_cell(cell))
    partner_meetings = held_or_attended[attended].reset_index(drop=True)
    if key_figures(actions, scope, planned=False).actions > limit:
        return CountryEvents(aggregate(actions, scope, ["month", "mode"]), partner_meetings, monthly=True)
    return CountryEvents(action_rows(actions, scope), partner_meetings)
