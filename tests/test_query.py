"""Filters and aggregations, checked against counts computed by hand on five actions."""

import datetime as dt

import pyarrow as pa
import pytest

from dashboard import query
from dashboard.query import Filters
from dashboard.reference import country_name
from dashboard.schema import ACTIONS, MEETINGS

D = dt.date


def _action(action_id, start, end, country, mode, function, factors, pillar, framework, opex, personnel, trainees):
    return {
        "action_id": action_id,
        "title": f"Action {action_id}",
        "start_date": start,
        "end_date": end,
        "country_iso3": country,
        "mode": mode,
        "strategic_function": function,
        "superiority_factors": factors,
        "pillar": pillar,
        "framework": framework,
        "opex": opex,
        "force": "régiments de métropole",
        "unit": None,
        "french_personnel": personnel,
        "partner_trainees": trainees,
        "programme": None,
        "description": None,
        "status": "réalisée",
    }


ROWS = [
    _action(
        "A1",
        D(2023, 3, 1),
        D(2023, 3, 10),
        "SEN",
        "formation",
        "prévention",
        ["coopération", "influence"],
        "coopérer",
        "EMA",
        False,
        10,
        50,
    ),
    _action(
        "A2",
        D(2023, 6, 1),
        D(2023, 6, 1),
        "SEN",
        "conseil",
        "connaissance et anticipation",
        ["compréhension"],
        None,
        "MEAE",
        False,
        4,
        None,
    ),
    _action(
        "A3",
        D(2024, 1, 15),
        D(2024, 1, 24),
        "BEL",
        "entraînement",
        "prévention",
        ["coopération", "masse", "influence"],
        "coopérer",
        "OTAN",
        False,
        100,
        200,
    ),
    _action(
        "A4",
        D(2024, 5, 1),
        D(2024, 5, 30),
        "MLI",
        "accompagnement au combat",
        "intervention",
        ["masse"],
        None,
        "EMA",
        True,
        None,
        300,
    ),
    _action(
        "A5",
        D(2024, 12, 31),
        D(2025, 1, 2),
        "JPN",
        "entraînement",
        "prévention",
        ["coopération"],
        "coopérer",
        "bilatéral",
        False,
        20,
        30,
    ),
]
YEAR_2024 = Filters(start=D(2024, 1, 1), end=D(2024, 12, 31))


@pytest.fixture(scope="module")
def actions() -> pa.Table:
    return query.prepare_actions(pa.Table.from_pylist(ROWS, schema=ACTIONS.arrow_schema()))


def _as_dict(frame, key="value"):
    dims = [c for c in frame.columns if c != key]
    return {tuple(r[d] for d in dims) if len(dims) > 1 else r[dims[0]]: r[key] for _, r in frame.iterrows()}


def test_derived_columns(actions):
    assert actions["region"].to_pylist() == ["Afrique", "Afrique", "Europe", "Afrique", "Indo-Pacifique"]
    assert actions["year"].to_pylist() == [2023, 2023, 2024, 2024, 2024]
    assert actions["duration_days"].to_pylist() == [10, 1, 10, 30, 3]
    assert actions["person_days"].to_pylist() == [100, 4, 1000, None, 60]


def test_key_figures_of_everything_and_of_one_year(actions):
    assert query.key_figures(actions, Filters()) == query.KeyFigures(5, 4, 1164, 580)
    assert query.key_figures(actions, YEAR_2024) == query.KeyFigures(3, 3, 1060, 530)


def test_the_key_figures_of_a_year_come_with_those_of_the_year_before(actions):
    # 2023 holds A1 (10 people × 10 days, 50 trainees) and A2 (4 × 1 day) in Senegal.
    assert query.compared_key_figures(actions, YEAR_2024) == (
        query.KeyFigures(3, 3, 1060, 530),
        query.KeyFigures(2, 1, 104, 50),
    )
    assert query.compared_key_figures(actions, Filters()) == (query.KeyFigures(5, 4, 1164, 580), None)


def test_key_figures_of_an_empty_selection_are_zero(actions):
    assert query.key_figures(actions, Filters(countries=("USA",))) == query.KeyFigures(0, 0, 0, 0)


def test_a_year_compares_with_the_year_before_and_a_quarter_with_the_quarter_before():
    assert YEAR_2024.previous() == Filters(start=D(2023, 1, 1), end=D(2023, 12, 31))
    quarter = Filters(start=D(2024, 1, 1), end=D(2024, 3, 31), countries=("SEN",))
    assert quarter.previous() == Filters(start=D(2023, 10, 1), end=D(2023, 12, 31), countries=("SEN",))
    several_years = Filters(start=D(2019, 1, 1), end=D(2025, 12, 31))
    assert several_years.previous() == Filters(start=D(2012, 1, 1), end=D(2018, 12, 31))


def test_any_other_period_compares_with_as_many_days_ending_the_day_before():
    ten_days = Filters(start=D(2024, 3, 5), end=D(2024, 3, 14))
    assert ten_days.previous() == Filters(start=D(2024, 2, 24), end=D(2024, 3, 4))
    assert Filters().previous() is None
    assert Filters(start=D(2024, 1, 1)).previous() is None


def test_previous_period_figures(actions):
    assert query.key_figures(actions, YEAR_2024.previous()) == query.KeyFigures(2, 1, 104, 50)


def test_an_action_with_several_factors_counts_once_under_each_and_once_in_totals(actions):
    by_factor = _as_dict(query.aggregate(actions, Filters(), ["superiority_factor"]))
    assert by_factor == {"coopération": 3, "influence": 2, "compréhension": 1, "masse": 2}
    assert sum(by_factor.values()) == 8
    assert _as_dict(query.aggregate(actions, Filters(), ["year"])) == {2023: 2, 2024: 3}


def test_function_by_factor_matrix(actions):
    matrix = _as_dict(query.aggregate(actions, Filters(), ["strategic_function", "superiority_factor"]))
    assert matrix == {
        ("connaissance et anticipation", "compréhension"): 1,
        ("intervention", "masse"): 1,
        ("prévention", "coopération"): 3,
        ("prévention", "influence"): 2,
        ("prévention", "masse"): 1,
    }


def test_factor_filter_keeps_actions_having_any_of_the_factors(actions):
    selection = Filters(factors=("masse",))
    assert query.key_figures(actions, selection).actions == 2
    assert _as_dict(query.aggregate(actions, selection, ["superiority_factor"])) == {
        "coopération": 1,
        "influence": 1,
        "masse": 2,
    }
    assert query.key_figures(actions, Filters(factors=("masse", "compréhension"))).actions == 3


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        (Filters(regions=("Afrique",)), {"A1", "A2", "A4"}),
        (Filters(countries=("SEN", "JPN")), {"A1", "A2", "A5"}),
        (Filters(modes=("entraînement",)), {"A3", "A5"}),
        (Filters(functions=("prévention",)), {"A1", "A3", "A5"}),
        (Filters(pillars=("coopérer",)), {"A1", "A3", "A5"}),
        (Filters(frameworks=("EMA", "OTAN")), {"A1", "A3", "A4"}),
        (Filters(forces=("régiments de métropole",)), {"A1", "A2", "A3", "A4", "A5"}),
        (Filters(forces=("forces de présence",)), set()),
        (Filters(opex=True), {"A4"}),
        (Filters(opex=False), {"A1", "A2", "A3", "A5"}),
        (Filters(start=D(2024, 12, 31), end=D(2024, 12, 31)), {"A5"}),
        (Filters(regions=("Afrique",), modes=("conseil", "formation"), start=D(2023, 5, 1)), {"A2"}),
    ],
)
def test_each_filter_selects_the_right_actions(actions, selection, expected):
    assert set(query.action_rows(actions, selection)["action_id"]) == expected


def test_measures_by_country(actions):
    assert _as_dict(query.aggregate(actions, Filters(), ["country_iso3"], "person_days")) == {
        "BEL": 1000,
        "JPN": 60,
        "MLI": 0,
        "SEN": 104,
    }
    assert _as_dict(query.aggregate(actions, Filters(), ["region"], "countries")) == {
        "Afrique": 2,
        "Europe": 1,
        "Indo-Pacifique": 1,
    }
    assert _as_dict(query.aggregate(actions, Filters(), ["country_iso3"], "modes"))["SEN"] == 2


def test_unknown_dimension_or_measure_is_refused(actions):
    with pytest.raises(ValueError):
        query.aggregate(actions, Filters(), ["title; DROP TABLE actions"])
    with pytest.raises(ValueError):
        query.aggregate(actions, Filters(), ["year"], "budget")


def test_aggregates_of_an_empty_store_are_empty(actions):
    empty = query.prepare_actions(ACTIONS.empty())
    assert query.aggregate(empty, Filters(), ["superiority_factor"]).empty
    assert query.key_figures(empty, Filters()) == query.KeyFigures(0, 0, 0, 0)
    assert query.date_bounds(empty) is None
    assert query.date_bounds(actions) == (D(2023, 3, 1), D(2024, 12, 31))


def test_the_country_list_holds_each_country_with_an_action_once(actions):
    assert sorted(query.country_codes(actions)) == sorted({row["country_iso3"] for row in ROWS})
    assert query.country_codes(query.prepare_actions(ACTIONS.empty())) == []


def test_a_repeated_query_is_answered_from_the_shared_results_until_its_table_goes(actions, monkeypatch):
    query._RESULTS.clear()
    first = query.aggregate(actions, Filters(), ["mode"])
    opened = []
    monkeypatch.setattr(query, "_cursor", lambda **tables: opened.append(tables) or pytest.fail("table scanned"))
    again = query.aggregate(actions, Filters(), ["mode"])
    assert again.equals(first) and again is not first
    again.loc[0, "value"] = -1  # a caller changing its copy leaves the shared result alone
    assert query.aggregate(actions, Filters(), ["mode"]).equals(first)
    assert opened == []

    # Another version of the store is another table: its results are its own, and
    # the entries of a table that is gone are forgotten with it.
    monkeypatch.undo()
    newer = query.prepare_actions(pa.Table.from_pylist(ROWS[:2], schema=ACTIONS.arrow_schema()))
    assert query.aggregate(newer, Filters(), ["mode"])["value"].sum() == 2
    entries = len(query._RESULTS._frames)
    del newer
    assert len(query._RESULTS._frames) < entries


def test_meetings_overlapping_the_period_held_in_or_attended_by_the_country():
    def meeting(mid, start, end, country, partners):
        return {
            "meeting_id": mid,
            "title": mid,
            "start_date": start,
            "end_date": end,
            "kind": "exercice",
            "body": "BRI",
            "level": "état-major",
            "format": "présentiel",
            "city": None,
            "country_iso3": country,
            "partner_countries": partners,
            "participants": None,
            "topics": [],
            "summary": None,
        }

    meetings = pa.Table.from_pylist(
        [
            meeting("M1", D(2023, 12, 28), D(2024, 1, 3), "BEL", ["FRA"]),
            meeting("M2", D(2024, 6, 1), D(2024, 6, 1), "FRA", ["BEL", "DEU"]),
            meeting("M3", D(2024, 6, 1), D(2024, 6, 1), "FRA", ["SEN"]),
            meeting("M4", D(2025, 1, 1), D(2025, 1, 1), "BEL", []),
        ],
        schema=MEETINGS.arrow_schema(),
    )
    found = query.meeting_rows(meetings, YEAR_2024.change(countries=("BEL",)))
    assert list(found["meeting_id"]) == ["M1", "M2"]
    assert len(query.meeting_rows(meetings, Filters())) == 4


def test_a_country_profile_presents_the_one_chosen_country_or_offers_a_choice(actions):
    assert query.profile_country(actions, Filters(countries=("SEN",))) == ("SEN", [])
    assert query.profile_country(actions, Filters(countries=("TCD", "SEN"))) == (None, ["TCD", "SEN"])
    partner, candidates = query.profile_country(actions, Filters(regions=("Afrique",)))
    assert partner is None and "SEN" in candidates and "BEL" not in candidates
    names = [country_name(iso3) for iso3 in candidates]
    assert names == sorted(names)
