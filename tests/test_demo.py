"""The demo data: deterministic, realistic in scale, carrying the real public events."""

import datetime as dt

import pyarrow.compute as pc

from dashboard import demo
from dashboard.reference import region_of
from dashboard.schema import ACTIONS, MEETINGS
from dashboard.validation import check_table


def test_demo_actions_are_the_same_on_every_call():
    assert demo.demo_actions().equals(demo.demo_actions())
    assert demo.demo_meetings().equals(demo.demo_meetings())


def test_another_seed_gives_other_actions():
    assert not demo.synthetic_actions({2024: 100}, seed=1).equals(demo.synthetic_actions({2024: 100}, seed=2))


def test_demo_actions_keep_the_contract():
    assert check_table(demo.demo_actions(), ACTIONS) == []
    assert check_table(demo.demo_meetings(), MEETINGS) == []


def test_about_1500_actions_a_year_in_about_60_countries_2019_to_2025():
    actions = demo.demo_actions()
    years = pc.year(actions.column("start_date"))
    for year in range(2019, 2026):
        count = pc.sum(pc.equal(years, year)).as_py()
        assert 1000 <= count <= 1700, (year, count)
    per_year_countries = [
        len(set(pc.filter(actions.column("country_iso3"), pc.equal(years, y)).to_pylist())) for y in range(2022, 2026)
    ]
    assert all(50 <= n <= 70 for n in per_year_countries)


def test_africa_leads_then_europe_middle_east_and_indo_pacific():
    counts: dict[str, int] = {}
    for iso3 in demo.demo_actions().column("country_iso3").to_pylist():
        counts[region_of(iso3)] = counts.get(region_of(iso3), 0) + 1
    ranked = sorted(counts, key=counts.get, reverse=True)
    assert ranked[:4] == ["Afrique", "Europe", "Moyen-Orient", "Indo-Pacifique"]


def test_durations_headcounts_and_factors_are_plausible():
    actions = demo.demo_actions()
    days = pc.add(pc.days_between(actions.column("start_date"), actions.column("end_date")), 1)
    assert pc.min(days).as_py() >= 1 and pc.max(days).as_py() <= 366
    assert pc.min(actions.column("french_personnel")).as_py() >= 2
    assert pc.max(actions.column("french_personnel")).as_py() <= 200
    factor_counts = pc.list_value_length(actions.column("superiority_factors"))
    assert pc.min(factor_counts).as_py() == 1 and pc.max(factor_counts).as_py() == 3
    # Combat partnering only where French forces were engaged in operations.
    combat = pc.equal(actions.column("mode"), "accompagnement au combat")
    assert pc.all(pc.filter(actions.column("opex"), combat)).as_py()


def test_the_real_public_events_are_in_the_demo_meetings_with_their_dates():
    meetings = {m["meeting_id"]: m for m in demo.demo_meetings().to_pylist()}
    camo = meetings["RCT-2019-CAMO"]
    assert camo["start_date"] == dt.date(2019, 6, 21) and camo["country_iso3"] == "BEL"
    ims = meetings["RCT-2024-EMI-CSD-1"]
    assert ims["start_date"] == dt.date(2024, 2, 28)
    assert ims["participants"] == 30
    assert "infrastructures sous-marines critiques" in ims["topics"]
    assert "océan numérique" in ims["topics"]
    chod = meetings["RCT-2024-CM-CHOD"]
    assert chod["start_date"] == dt.date(2024, 6, 11)
    assert chod["format"] == "virtuel" and chod["level"] == "CEMA/CHOD"
    assert any("PAF-N" in t for t in chod["topics"])
    summit = meetings["RCT-2024-SOMMET-WASHINGTON"]
    assert summit["start_date"].month == 7 and summit["city"] == "Washington"
    titles = " ".join(m["title"] for m in meetings.values())
    for name in ("Brunet-Takamori 24", "Celtic Uprise", "Mission Aigle", "échanges universitaires", "Griffon"):
        assert name in titles


def test_synthetic_chunks_give_exactly_the_asked_number_with_unique_keys():
    chunks = list(demo.synthetic_chunks(25_000, chunk=10_000))
    assert [c.num_rows for c in chunks] == [10_000, 10_000, 5_000]
    keys = [k for c in chunks for k in c.column("action_id").to_pylist()]
    assert len(set(keys)) == 25_000
