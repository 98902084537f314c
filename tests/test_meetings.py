"""Meeting queries: page filters, upcoming and past, details, list, exports, a partner's events;
and the real events of the demo data, as the sources give them."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyarrow as pa
import pytest

from dashboard import export, i18n
from dashboard import meetings as mt
from dashboard.demo import demo_actions, demo_meetings, real_meetings
from dashboard.query import Filters, meeting_rows, prepare_actions
from dashboard.schema import MEETINGS


def _shown(meetings: pa.Table, shared: Filters, chosen: mt.MeetingFilters) -> pd.DataFrame:
    """The meetings the page lists: the shared filters, then the page's own."""
    return mt.select(meeting_rows(meetings, shared), chosen).reset_index(drop=True)


TODAY = dt.date(2024, 6, 11)


def meeting(meeting_id: str, start: str, end: str | None = None, **fields) -> dict:
    row = {
        "meeting_id": meeting_id,
        "title": f"Rencontre {meeting_id}",
        "start_date": dt.date.fromisoformat(start),
        "end_date": dt.date.fromisoformat(end or start),
        "kind": "réunion OTAN",
        "body": "Comité militaire de l'OTAN",
        "level": "CEMA/CHOD",
        "format": "présentiel",
        "city": "Bruxelles",
        "country_iso3": "BEL",
        "partner_countries": [],
        "participants": None,
        "topics": [],
        "summary": None,
    }
    return row | fields


@pytest.fixture
def table() -> pa.Table:
    rows = [
        meeting("A", "2024-02-28", participants=30, partner_countries=["UKR"], topics=["océan numérique"]),
        meeting("B", "2024-06-10", "2024-06-12", kind="exercice", body="BRI", level="état-major",
                partner_countries=["JPN"], country_iso3="JPN", city=None),
        meeting("C", "2024-07-09", "2024-07-11", format="virtuel", partner_countries=["BEL", "ROU"]),
        meeting("D", "2025-03-03", kind="jalon de programme", body="Programme CaMo", level="CEMAT",
                partner_countries=["BEL"], country_iso3="FRA", city="Paris"),
    ]  # fmt: skip
    return pa.Table.from_pylist(rows, schema=MEETINGS.arrow_schema())


@pytest.fixture
def rows(table: pa.Table) -> pd.DataFrame:
    return meeting_rows(table, Filters())


def ids(frame: pd.DataFrame) -> list[str]:
    return list(frame["meeting_id"])


def test_options_list_the_values_present_in_taxonomy_order_and_partners_by_french_name(rows):
    options = mt.options(rows)
    assert options.kinds == ["réunion OTAN", "exercice", "jalon de programme"]
    assert options.levels == ["CEMA/CHOD", "CEMAT", "état-major"]
    assert options.formats == ["présentiel", "virtuel"]
    assert options.bodies == ["BRI", "Comité militaire de l'OTAN", "Programme CaMo"]
    # Belgique, Japon, Roumanie, Ukraine: alphabetical in French, not by code.
    assert options.partners == ["BEL", "JPN", "ROU", "UKR"]


def test_options_of_no_meeting_are_empty(table):
    empty = meeting_rows(table.slice(0, 0), Filters())
    assert mt.options(empty) == mt.Options([], [], [], [], [])


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        (mt.MeetingFilters(), ["A", "B", "C", "D"]),
        (mt.MeetingFilters(kinds=("exercice", "jalon de programme")), ["B", "D"]),
        (mt.MeetingFilters(bodies=("Comité militaire de l'OTAN",)), ["A", "C"]),
        (mt.MeetingFilters(levels=("CEMAT",)), ["D"]),
        (mt.MeetingFilters(formats=("virtuel",)), ["C"]),
        (mt.MeetingFilters(partners=("BEL",)), ["C", "D"]),
        (mt.MeetingFilters(partners=("BEL",), kinds=("réunion OTAN",)), ["C"]),
        (mt.MeetingFilters(partners=("FRA",)), []),
    ],
)
def test_page_filters_combine_with_and(rows, chosen, expected):
    assert ids(mt.select(rows, chosen)) == expected


def test_shared_filters_apply_before_the_page_filters(table):
    shared = Filters(start=dt.date(2024, 6, 1), end=dt.date(2024, 12, 31))
    assert ids(_shown(table, shared, mt.MeetingFilters())) == ["B", "C"]
    assert ids(_shown(table, shared, mt.MeetingFilters(formats=("virtuel",)))) == ["C"]


def test_upcoming_keeps_ongoing_meetings_soonest_first_and_past_is_most_recent_first(rows):
    # B runs from 10 to 12 June: on the 11th it is ongoing, so not past.
    assert ids(mt.upcoming(rows, TODAY)) == ["B", "C", "D"]
    assert ids(mt.past(rows, TODAY)) == ["A"]
    assert [mt.status(s, e, TODAY) for s, e in zip(rows["start_date"], rows["end_date"], strict=True)] == [
        mt.PAST,
        mt.ONGOING,
        mt.UPCOMING,
        mt.UPCOMING,
    ]
    assert ids(mt.upcoming(rows, dt.date(2024, 6, 13))) == ["C", "D"]


def test_counts_tell_upcoming_from_past_and_name_the_next_meeting_to_start(rows):
    counts = mt.counts(rows, TODAY)
    assert (counts.meetings, counts.upcoming, counts.past) == (4, 3, 1)
    assert counts.partners == 4
    assert counts.next_title == "Rencontre C"
    assert counts.next_start == dt.date(2024, 7, 9)
    assert mt.counts(rows, dt.date(2026, 1, 1)).next_start is None


def test_details_of_one_meeting_in_french(rows):
    details = mt.details(rows, "C", TODAY)
    assert details is not None
    assert details.dates == "du 9 juil. 2024 au 11 juil. 2024"
    assert details.kind == "Réunion OTAN"
    assert details.level == "CEMA/CHOD"
    assert details.format == "Virtuel"
    assert details.place == "Bruxelles, Belgique"
    assert details.partners == ["Belgique", "Roumanie"]
    assert details.status == mt.UPCOMING
    one_day = mt.details(rows, "A", TODAY)
    assert one_day.dates == "28 févr. 2024"
    assert one_day.participants == 30
    assert one_day.topics == ["océan numérique"]
    assert mt.details(rows, "B", TODAY).place == "Japon"


def test_details_of_a_meeting_not_in_the_selection_is_none(rows):
    assert mt.details(rows, "Z", TODAY) is None
    assert mt.details(rows, None, TODAY) is None
    assert mt.details(rows.iloc[0:0], "A", TODAY) is None


def test_the_list_has_french_columns_dates_and_labels(rows):
    frame = mt.table(rows, TODAY)
    assert list(frame.columns[:3]) == ["Début", "Fin", "Intitulé"]
    first = frame.iloc[2]
    assert first["Début"] == dt.date(2024, 7, 9)
    assert first["Pays partenaires"] == "Belgique, Roumanie"
    assert first["Statut"] == "À venir"
    assert list(frame["Statut"]) == ["Passée", "En cours", "À venir", "À venir"]


def test_the_export_frame_carries_the_contract_headers_and_plain_lists(rows):
    frame = export.contract_frame(rows, MEETINGS)
    assert list(frame.columns) == [c.header_fr for c in MEETINGS.columns]
    assert frame["pays_partenaires"].iloc[2] == ["BEL", "ROU"]
    assert frame["date_début"].iloc[0] == dt.date(2024, 2, 28)


def test_the_csv_export_is_marked_and_the_import_reads_it_back_without_problem():
    from dashboard import ingest

    rows = _shown(demo_meetings(), Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31)), mt.MeetingFilters())
    data = export.csv_bytes(export.contract_frame(rows, MEETINGS), marking="DIFFUSION RESTREINTE")
    assert data.decode("utf-8-sig").startswith("# DIFFUSION RESTREINTE")
    report = ingest.analyse("rencontres.csv", data)
    assert report.table == "meetings"
    assert report.problems == []
    back = report.valid_rows().to_pandas().set_index("meeting_id")
    assert set(back.index) == set(rows["meeting_id"])
    emi = back.loc["RCT-2024-EMI-CSD-1"]
    assert emi["start_date"] == dt.date(2024, 2, 28)
    assert list(emi["topics"])[-1] == "océan numérique"
    assert list(back.loc["RCT-2024-MISSION-AIGLE"]["partner_countries"]) == ["BEL", "ROU"]


def test_a_partners_events_are_its_actions_and_the_meetings_it_attended():
    actions = prepare_actions(demo_actions())
    meetings = demo_meetings()
    shared = Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31), countries=("SEN",))
    events = mt.country_events(actions, meetings, "BEL", shared)
    partner_actions, partner_meetings = events.actions, events.meetings
    assert not events.monthly and len(partner_actions) > 0
    assert set(partner_actions["country_iso3"]) == {"BEL"}
    assert partner_actions["start_date"].min() >= pd.Timestamp("2024-01-01")
    assert all("BEL" in list(cell) for cell in partner_meetings["partner_countries"])
    # A NATO committee in Brussels that Belgium did not attend as a partner is not its meeting.
    held_in_belgium = meeting_rows(meetings, shared.change(countries=("BEL",)))
    assert len(partner_meetings) < len(held_in_belgium)
    assert "RCT-2024-MISSION-AIGLE" in set(partner_meetings["meeting_id"])


def test_a_partner_with_many_actions_has_them_counted_per_month_and_mode():
    actions = prepare_actions(demo_actions())
    shared = Filters(start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31))
    one_by_one = mt.country_events(actions, demo_meetings(), "SEN", shared)
    counted = mt.country_events(actions, demo_meetings(), "SEN", shared, limit=len(one_by_one.actions) - 1)
    assert counted.monthly and list(counted.actions.columns) == ["month", "mode", "value"]
    assert counted.actions["value"].sum() == len(one_by_one.actions)
    per_month = one_by_one.actions.groupby([one_by_one.actions["start_date"].dt.to_period("M"), "mode"]).size()
    assert sorted(per_month.tolist()) == sorted(counted.actions["value"].tolist())
    assert counted.meetings.equals(one_by_one.meetings)


def test_latest_end_is_the_last_day_of_the_last_meeting(table):
    assert mt.latest_end(table) == dt.date(2025, 3, 3)
    assert mt.latest_end(table.slice(0, 0)) is None


# --- The real events of the demo data, checked against the sources (shared/seeds) ---


def real(meeting_id: str) -> dict:
    return next(m for m in real_meetings() if m["meeting_id"] == meeting_id)


def test_camo_agreement_entered_into_force_on_21_june_2019():
    camo = real("RCT-2019-CAMO")
    assert camo["start_date"] == camo["end_date"] == dt.date(2019, 6, 21)
    assert camo["kind"] == "jalon de programme"
    assert camo["partner_countries"] == ["BEL"]
    # An agreement entering into force: the sources name no place for it.
    assert camo["city"] is None


def test_cooperative_security_division_meeting_of_28_february_2024():
    emi = real("RCT-2024-EMI-CSD-1")
    assert emi["start_date"] == emi["end_date"] == dt.date(2024, 2, 28)
    assert emi["body"] == "EMI – Division Sécurité coopérative"
    assert emi["participants"] == 30
    assert "État-major de l'Union européenne" in emi["summary"]
    for topic in (
        "partenariats stratégiques",
        "renforcement des capacités de défense",
        "formation et entraînement",
        "coopération pratique",
        "développement de l'intégrité",
        "lutte contre le terrorisme",
        "infrastructures sous-marines critiques",
        "océan numérique",
    ):
        assert topic in emi["topics"]


def test_military_committee_chiefs_of_defence_session_of_11_june_2024_was_virtual_from_brussels():
    chod = real("RCT-2024-CM-CHOD")
    assert chod["start_date"] == dt.date(2024, 6, 11)
    assert (chod["kind"], chod["body"], chod["level"], chod["format"]) == (
        "réunion OTAN",
        "Comité militaire de l'OTAN",
        "CEMA/CHOD",
        "virtuel",
    )
    assert (chod["city"], chod["country_iso3"]) == ("Bruxelles", "BEL")
    assert any("PAF-N" in topic for topic in chod["topics"])


def test_washington_summit_in_july_2024_and_the_named_exercises_and_milestones():
    summit = real("RCT-2024-SOMMET-WASHINGTON")
    assert (summit["start_date"].year, summit["start_date"].month, summit["city"]) == (2024, 7, "Washington")
    assert real("RCT-2024-BRUNET-TAKAMORI")["country_iso3"] == "JPN"
    assert set(real("RCT-2023-CELTIC-UPRISE")["partner_countries"]) == {"BEL"}
    assert real("RCT-2024-MISSION-AIGLE")["country_iso3"] == "ROU"
    assert real("RCT-2024-ECHANGES-UNIV")["start_date"].year == 2024
    assert "Griffon" in real("RCT-2025-CAMO-PHASE2")["topics"]


def test_every_real_event_is_in_the_demo_meetings_once():
    table = demo_meetings()
    meeting_ids = table.column("meeting_id").to_pylist()
    assert len(meeting_ids) == len(set(meeting_ids))
    for event in real_meetings():
        assert meeting_ids.count(event["meeting_id"]) == 1


def test_key_events_are_milestones_first_then_chiefs_of_defence_meetings_in_date_order():
    rows = pd.DataFrame(
        {
            "title": ["A", "B", "C", "D", "E"],
            "start_date": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01", "2024-05-01"]),
            "kind": [
                "réunion OTAN",
                "jalon de programme",
                "exercice",
                "rencontre de haut niveau",
                "jalon de programme",
            ],
            "level": ["CEMA/CHOD", "experts", "CEMA/CHOD", "CEMAT", "état-major"],
        }
    )
    assert list(mt.key_events(rows)["title"]) == ["A", "B", "C", "E"]
    # Past the limit, milestones are kept before meetings; the result stays in date order.
    assert list(mt.key_events(rows, limit=3)["title"]) == ["A", "B", "E"]


def test_a_short_title_is_cut_at_a_word_with_an_ellipsis():
    assert mt.short_title("Accord CaMo") == "Accord CaMo"
    assert (
        mt.short_title("Comité militaire de l'OTAN en session des chefs d'état-major", 32)
        == "Comité militaire de l'OTAN en…"
    )


def test_a_cancelled_meeting_says_so_and_is_never_the_next_one(table):
    today = dt.date(2024, 6, 1)
    rows = table.to_pandas()
    rows["status"] = ["tenue", "prévue", "annulée", "prévue"]
    dates = zip(rows["start_date"], rows["end_date"], rows["status"], strict=True)
    states = [mt.status(start, end, today, recorded) for start, end, recorded in dates]
    assert states == [mt.PAST, mt.UPCOMING, mt.CANCELLED, mt.UPCOMING]
    counts = mt.counts(rows, today)
    assert (counts.meetings, counts.upcoming, counts.past) == (4, 3, 1)
    assert counts.next_title == rows["title"][1]
    assert mt.table(rows, today)["Statut"].tolist() == ["Passée", "À venir", "Annulée", "À venir"]
    assert mt.details(rows, "C", today).status == mt.CANCELLED
    rows.loc[1, "status"] = "annulée"
    assert mt.counts(rows, today).next_title == rows["title"][3]


def test_dates_read_in_the_language_of_each_run_though_remembered():
    from dashboard import i18n

    day, later = dt.date(2019, 6, 21), dt.date(2019, 6, 23)
    assert mt.dates_text(day, day) == "21 juin 2019"
    with i18n.using("en"):
        assert mt.dates_text(day, day) == "21 Jun 2019"
        assert mt.dates_text(day, later) == "from 21 Jun 2019 to 23 Jun 2019"
    assert mt.dates_text(day, day) == "21 juin 2019"
    assert mt.dates_text(day, later) == "du 21 juin 2019 au 23 juin 2019"


def test_in_english_a_meeting_and_the_list_speak_english(rows):
    with i18n.using("en"):
        details = mt.details(rows, "C", TODAY)
        frame = mt.table(rows, TODAY)
    assert details.dates == "from 9 Jul 2024 to 11 Jul 2024"
    assert (details.kind, details.format, details.status) == ("NATO meeting", "Virtual", "upcoming")
    assert details.place == "Bruxelles, Belgium" and details.partners == ["Belgium", "Romania"]
    assert list(frame.columns[:4]) == ["Start", "End", "Title", "Type"]
    assert list(frame["Status"]) == ["Past", "Ongoing", "Upcoming", "Upcoming"]
    assert frame.iloc[2]["Partner countries"] == "Belgium, Romania"
