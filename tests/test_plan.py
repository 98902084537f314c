"""The plan and its outcome, checked against counts computed by hand on eight actions.

Today is 1 June 2025; the window runs to 31 May 2026.
"""

import datetime as dt

import pyarrow as pa
import pytest

from dashboard import plan, query
from dashboard.query import Filters
from dashboard.schema import ACTIONS

D = dt.date
TODAY = D(2025, 6, 1)


def _action(action_id, start, end, country, unit, status, assessment=None, mode="formation", reason=None):
    return {
        "action_id": action_id,
        "title": f"Action {action_id}",
        "start_date": start,
        "end_date": end,
        "country_iso3": country,
        "mode": mode,
        "strategic_function": "prévention",
        "superiority_factors": ["coopération", "influence"] if mode == "formation" else ["masse"],
        "pillar": None,
        "framework": "EMA",
        "opex": False,
        "force": "régiments de métropole",
        "unit": unit,
        "french_personnel": 10,
        "partner_trainees": None,
        "programme": None,
        "description": None,
        "status": status,
        "objective": "Former",
        "assessment": assessment,
        "assessment_note": None,
        "cancellation_reason": reason,
    }


ROWS = [
    # 2024: four programmed, all due; three realised (two assessed), one cancelled.
    _action("P1", D(2024, 2, 1), D(2024, 2, 10), "SEN", "2e REP", "réalisée", "atteint"),
    _action("P2", D(2024, 3, 1), D(2024, 3, 5), "SEN", "2e REP", "réalisée", "non atteint", mode="conseil"),
    _action("P3", D(2024, 5, 1), D(2024, 5, 3), "BEL", "1er RIMa", "réalisée"),
    _action("P4", D(2024, 9, 1), D(2024, 9, 9), "BEL", "1er RIMa", "annulée", reason="Demande du pays partenaire"),
    # 2025: one realised (dépassé), one planned past its end (not updated), one postponed.
    _action("P5", D(2025, 1, 6), D(2025, 1, 20), "SEN", "2e REP", "réalisée", "dépassé"),
    _action("P6", D(2025, 4, 1), D(2025, 4, 10), "CIV", "2e REP", "prévue"),
    # The plan: 2e REP in Senegal from 10 to 30 June and in Côte d'Ivoire from 25 June to 5 July (6 days
    # in two places), 1er RIMa in Belgium from 1 to 15 September then from 16 to 20 September (one span).
    _action("P7", D(2025, 6, 10), D(2025, 6, 30), "SEN", "2e REP", "prévue"),
    _action("P8", D(2025, 6, 25), D(2025, 7, 5), "CIV", "2e REP", "prévue"),
    _action("P9", D(2025, 9, 1), D(2025, 9, 15), "BEL", "1er RIMa", "prévue"),
    _action("P10", D(2025, 9, 16), D(2025, 9, 20), "BEL", "1er RIMa", "prévue"),
    _action("P11", D(2025, 10, 1), D(2025, 10, 2), "BEL", "1er RIMa", "reportée", reason="Saison des pluies"),
]


@pytest.fixture(scope="module")
def actions() -> pa.Table:
    return query.prepare_actions(pa.Table.from_pylist(ROWS, schema=ACTIONS.arrow_schema()))


def test_the_window_runs_twelve_months_from_today():
    assert plan.horizon(TODAY) == (D(2025, 6, 1), D(2026, 5, 31))


def test_the_next_twelve_months_count_the_planned_actions_by_month_and_region(actions):
    frame = plan.upcoming(actions, Filters(), TODAY)
    got = {(row.month.date(), row.region): row.actions for row in frame.itertuples()}
    assert got == {(D(2025, 6, 1), "Afrique"): 2, (D(2025, 9, 1), "Europe"): 2}
    by_country = plan.upcoming(actions, Filters(), TODAY, "country_iso3")
    assert sorted(by_country["country_iso3"]) == ["BEL", "CIV", "SEN"]


def test_a_unit_in_two_places_at_once_is_flagged_with_its_days_and_countries(actions):
    load = plan.commitments(actions, Filters(), TODAY)
    units = load.units.set_index("unit")
    # 2e REP: 10 June to 5 July is 26 days committed, 25 to 30 June is 6 days in two countries.
    assert units.loc["2e REP", ["actions", "countries", "committed_days", "overlap_days"]].tolist() == [2, 2, 26, 6]
    # 1er RIMa: 1 to 20 September, one country, no overlap; its two touching actions make one span.
    assert units.loc["1er RIMa", ["actions", "countries", "committed_days", "overlap_days"]].tolist() == [2, 1, 20, 0]
    assert list(load.units["unit"]) == ["2e REP", "1er RIMa"]  # the most committed first
    overlaps = load.overlaps.to_dict("records")
    assert len(overlaps) == 1
    assert (overlaps[0]["unit"], overlaps[0]["start_date"].date(), overlaps[0]["end_date"].date()) == (
        "2e REP",
        D(2025, 6, 25),
        D(2025, 6, 30),
    )
    assert list(overlaps[0]["countries"]) == ["CIV", "SEN"]
    periods = {
        r.unit: (r.start_date.date(), r.end_date.date(), r.actions, r.countries) for r in load.periods.itertuples()
    }
    assert periods == {
        "2e REP": (D(2025, 6, 10), D(2025, 7, 5), 2, 2),
        "1er RIMa": (D(2025, 9, 1), D(2025, 9, 20), 2, 1),
    }
    rimа = load.spans[load.spans["unit"] == "1er RIMa"]
    assert len(rimа) == 1 and rimа["actions"].iloc[0] == 2


def test_the_realisation_rate_is_realised_among_the_actions_due(actions):
    per_year = plan.realisation(actions, Filters(), TODAY).set_index("year")
    assert per_year.loc[2024, ["programmed", "due", "realised", "cancelled"]].tolist() == [4, 4, 3, 1]
    assert per_year.loc[2024, "rate"] == pytest.approx(3 / 4)
    # 2025: P5 to P11; due are P5 and P6 (P6 planned, not updated); P7 to P11 still to come or postponed.
    row = per_year.loc[2025]
    assert row[["programmed", "due", "realised", "postponed", "not_updated", "to_come"]].tolist() == [7, 2, 1, 1, 1, 4]
    assert row["rate"] == pytest.approx(1 / 2)
    per_partner = plan.realisation(actions, Filters(), TODAY, "country_iso3").set_index("country_iso3")
    assert per_partner.loc["SEN", "rate"] == pytest.approx(1.0)  # P1, P2, P5 due and realised
    assert per_partner.loc["BEL", "rate"] == pytest.approx(1 / 2)  # P3 realised, P4 cancelled


def test_cancellations_and_postponements_are_counted_by_reason(actions):
    frame = plan.called_off_reasons(actions, Filters())
    assert {(r.status, r.reason): r.actions for r in frame.itertuples()} == {
        ("annulée", "Demande du pays partenaire"): 1,
        ("reportée", "Saison des pluies"): 1,
    }


def test_the_share_assessed_and_the_levels_by_mode_and_factor(actions):
    summary = plan.assessment_summary(actions, Filters())
    # Realised: P1, P2, P3, P5; assessed: P1 (atteint, 2), P2 (non atteint, 0), P5 (dépassé, 3).
    assert (summary.realised, summary.assessed) == (4, 3)
    assert summary.share == pytest.approx(3 / 4)
    assert summary.mean_level == pytest.approx(5 / 3)
    by_mode = plan.assessment_levels(actions, Filters(), "mode")
    formation = by_mode[by_mode["mode"] == "formation"].set_index("assessment")
    assert formation["actions"].to_dict() == {"atteint": 1, "dépassé": 1, "non évalué": 1}
    assert formation.loc["non évalué", "share"] == pytest.approx(1 / 3)
    assert formation["mean_level"].iloc[0] == pytest.approx(5 / 2)
    by_factor = plan.assessment_levels(actions, Filters(), "superiority_factor")
    # The formation actions serve coopération and influence: each counts under both.
    assert by_factor[by_factor["superiority_factor"] == "influence"]["actions"].sum() == 3
    assert by_factor[by_factor["superiority_factor"] == "masse"]["actions"].tolist() == [1]


def test_the_status_filter_keeps_realised_actions_unless_told_otherwise(actions):
    assert query.key_figures(actions, Filters()).actions == 4
    assert query.key_figures(actions, Filters()).planned == 5
    # On 1 June 2025 nothing planned has started; today (later) P7 to P10 are in progress.
    assert query.key_figures(actions, Filters(statuses=("annulée", "reportée"))).actions == 2
    assert query.key_figures(actions, Filters(statuses=query.ALL_STATES)).actions == len(ROWS)
