"""The analysis breakdowns against counts made by hand on six actions.

The fixture has multi-factor actions, a function and factors no action serves,
an action without pillar, and two years.

    id  start       country  mode          function      factors                        pillar    pers. days trainees
    B1  2023-03-01  SEN      formation     prévention    coopération, influence         coopérer   10   10    50
    B2  2023-06-01  SEN      conseil       prévention    compréhension                  —           2    1     0
    B3  2024-02-01  SEN      formation     prévention    coopération, influence, masse  coopérer    5    4    20
    B4  2024-03-01  BEL      entraînement  protection    coopération                    former      8    2    30
    B5  2024-09-01  CIV      conseil       intervention  masse, compréhension           coopérer    1    1     5
    B6  2024-11-01  BEL      entraînement  prévention    influence                      former      4    5    10

SEN and CIV are in Afrique, BEL in Europe.
"""

import datetime as dt

import pyarrow as pa
import pytest

from dashboard import analysis, query
from dashboard.query import Filters
from dashboard.schema import ACTIONS, STRATEGIC_FUNCTIONS, SUPERIORITY_FACTORS

D = dt.date


def _action(action_id, start, days, country, mode, function, factors, pillar, personnel, trainees):
    return {
        "action_id": action_id,
        "title": f"Action {action_id}",
        "start_date": start,
        "end_date": start + dt.timedelta(days=days - 1),
        "country_iso3": country,
        "mode": mode,
        "strategic_function": function,
        "superiority_factors": factors,
        "pillar": pillar,
        "framework": "bilatéral" if country == "SEN" else "OTAN",
        "opex": False,
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
        "B1", D(2023, 3, 1), 10, "SEN", "formation", "prévention", ["coopération", "influence"], "coopérer", 10, 50
    ),
    _action("B2", D(2023, 6, 1), 1, "SEN", "conseil", "prévention", ["compréhension"], None, 2, 0),
    _action(
        "B3",
        D(2024, 2, 1),
        4,
        "SEN",
        "formation",
        "prévention",
        ["coopération", "influence", "masse"],
        "coopérer",
        5,
        20,
    ),
    _action("B4", D(2024, 3, 1), 2, "BEL", "entraînement", "protection", ["coopération"], "former", 8, 30),
    _action("B5", D(2024, 9, 1), 1, "CIV", "conseil", "intervention", ["masse", "compréhension"], "coopérer", 1, 5),
    _action("B6", D(2024, 11, 1), 5, "BEL", "entraînement", "prévention", ["influence"], "former", 4, 10),
]


@pytest.fixture(scope="module")
def actions() -> pa.Table:
    return query.prepare_actions(pa.Table.from_pylist(ROWS, schema=ACTIONS.arrow_schema()))


def _cell(frame, function, factor, column="value"):
    row = frame[(frame["strategic_function"] == function) & (frame["superiority_factor"] == factor)]
    assert len(row) == 1
    return row.iloc[0][column]


def test_the_matrix_has_every_cell_even_empty_ones(actions):
    cells = analysis.matrix(actions, Filters())
    assert len(cells) == len(STRATEGIC_FUNCTIONS.codes) * len(SUPERIORITY_FACTORS.codes)
    assert list(cells["strategic_function"].unique()) == list(STRATEGIC_FUNCTIONS.codes)
    # No action serves "connaissance et anticipation", nor agility.
    assert (cells[cells["strategic_function"] == "connaissance et anticipation"]["value"] == 0).all()
    assert (cells[cells["superiority_factor"] == "agilité"]["value"] == 0).all()
    assert _cell(cells, "connaissance et anticipation", "coopération", "share") == 0


def test_a_multi_factor_action_counts_once_under_each_factor_and_once_in_totals(actions):
    cells = analysis.matrix(actions, Filters())
    # prévention: B1 (coop, infl), B2 (compr), B3 (coop, infl, masse), B6 (infl)
    assert _cell(cells, "prévention", "coopération") == 2
    assert _cell(cells, "prévention", "influence") == 3
    assert _cell(cells, "prévention", "masse") == 1
    assert _cell(cells, "prévention", "compréhension") == 1
    assert _cell(cells, "prévention", "coopération", "function_total") == 4
    assert _cell(cells, "prévention", "influence", "share") == pytest.approx(3 / 4)
    # The row adds up to more than its actions: 7 factor tags for 4 actions.
    assert cells[cells["strategic_function"] == "prévention"]["value"].sum() == 7
    # coopération: B1, B3, B4; masse: B3, B5.
    assert _cell(cells, "protection", "coopération", "factor_total") == 3
    assert _cell(cells, "intervention", "masse", "factor_total") == 2
    assert cells["value"].sum() == 10  # 2 + 1 + 3 + 1 + 2 + 1 factor tags
    assert analysis.total(actions, Filters()) == 6


def test_the_matrix_sums_the_chosen_measure(actions):
    days = analysis.matrix(actions, Filters(), "person_days")
    # person-days = personnel × days: B1 100, B3 20, B6 20 serve influence under prévention.
    assert _cell(days, "prévention", "influence") == 140
    assert _cell(days, "prévention", "influence", "function_total") == 100 + 2 + 20 + 20
    trainees = analysis.matrix(actions, Filters(), "partner_trainees")
    assert _cell(trainees, "intervention", "compréhension") == 5
    assert analysis.total(actions, Filters(), "partner_trainees") == 115


def test_a_factor_filter_keeps_every_factor_of_the_chosen_actions(actions):
    cells = analysis.matrix(actions, Filters(factors=("masse",)))
    # B3 and B5 serve masse; their other factors stay in the matrix.
    assert _cell(cells, "prévention", "influence") == 1
    assert _cell(cells, "intervention", "compréhension") == 1
    assert analysis.total(actions, Filters(factors=("masse",))) == 2


def test_per_year_by_function(actions):
    frame = analysis.per_year(actions, Filters())
    counts = {(r.year, r.strategic_function): r.value for r in frame.itertuples()}
    assert counts == {
        (2023, "prévention"): 2,
        (2024, "prévention"): 2,
        (2024, "protection"): 1,
        (2024, "intervention"): 1,
    }


def test_the_factor_profile_of_each_region_adds_up_to_one(actions):
    profile = analysis.factor_profile(actions, Filters())
    africa = profile[profile["region"] == "Afrique"].set_index("superiority_factor")
    # Africa: B1 (coop, infl), B2 (compr), B3 (coop, infl, masse), B5 (masse, compr): 8 tags.
    assert africa.loc["coopération", "value"] == 2
    assert africa.loc["compréhension", "share"] == pytest.approx(2 / 8)
    assert africa["share"].sum() == pytest.approx(1)
    europe = profile[profile["region"] == "Europe"].set_index("superiority_factor")
    assert dict(europe["value"]) == {"coopération": 1, "influence": 1}
    assert list(profile["region"].unique()) == ["Afrique", "Europe"]


def test_the_sunburst_rows_add_up_to_the_selection(actions):
    frame = analysis.sunburst(actions, Filters())
    counts = {(r.region, r.country_iso3, r.mode): r.value for r in frame.itertuples()}
    assert counts == {
        ("Afrique", "SEN", "formation"): 2,
        ("Afrique", "SEN", "conseil"): 1,
        ("Afrique", "CIV", "conseil"): 1,
        ("Europe", "BEL", "entraînement"): 2,
    }


def test_breakdowns_by_pillar_keep_the_missing_pillar(actions):
    frame = analysis.breakdown(actions, Filters(), "pillar")
    counts = {r.pillar if isinstance(r.pillar, str) else None: r.value for r in frame.itertuples()}
    assert counts == {"coopérer": 3, "former": 2, None: 1}
    frameworks = analysis.breakdown(actions, Filters(countries=("BEL",)), "framework", "partner_trainees")
    assert dict(zip(frameworks["framework"], frameworks["value"], strict=True)) == {"OTAN": 40}


def test_the_last_year_is_compared_with_the_year_before(actions):
    comparison = analysis.year_over_year(actions, Filters(start=D(2023, 1, 1), end=D(2024, 12, 31)))
    assert comparison.year == 2024
    assert (comparison.current.start, comparison.current.end) == (D(2024, 1, 1), D(2024, 12, 31))
    assert (comparison.previous.start, comparison.previous.end) == (D(2023, 1, 1), D(2023, 12, 31))
    functions = comparison.functions.set_index("strategic_function")
    assert list(functions.index) == list(STRATEGIC_FUNCTIONS.codes)
    assert (functions.loc["prévention", "previous"], functions.loc["prévention", "current"]) == (2, 2)
    assert functions.loc["prévention", "change"] == 0
    assert (functions.loc["protection", "previous"], functions.loc["protection", "current"]) == (0, 1)
    assert functions["change"].isna()["protection"]  # no base to compare with
    factors = comparison.factors.set_index("superiority_factor")
    # influence: B1 in 2023; B3, B6 in 2024. compréhension: B2 in 2023; B5 in 2024.
    assert (factors.loc["influence", "previous"], factors.loc["influence", "current"]) == (1, 2)
    assert factors.loc["influence", "change"] == pytest.approx(1.0)
    assert factors.loc["compréhension", "change"] == 0
    assert factors.loc["agilité", "current"] == 0


def test_a_selection_ending_mid_year_compares_the_same_dates(actions):
    comparison = analysis.year_over_year(actions, Filters(start=D(2023, 1, 1), end=D(2024, 6, 30)))
    assert (comparison.current.start, comparison.current.end) == (D(2024, 1, 1), D(2024, 6, 30))
    assert (comparison.previous.start, comparison.previous.end) == (D(2023, 1, 1), D(2023, 6, 30))
    functions = comparison.functions.set_index("strategic_function")
    # 2024 H1: B3 (prévention), B4 (protection); 2023 H1: B1, B2 (prévention).
    assert (functions.loc["prévention", "previous"], functions.loc["prévention", "current"]) == (2, 1)
    assert functions.loc["prévention", "change"] == pytest.approx(-0.5)


def test_an_empty_selection_gives_empty_breakdowns(actions):
    nothing = Filters(countries=("JPN",))
    assert analysis.matrix(actions, nothing)["value"].sum() == 0
    assert analysis.total(actions, nothing) == 0
    assert analysis.factor_profile(actions, nothing).empty
    assert analysis.sunburst(actions, nothing).empty
    assert analysis.year_over_year(actions, nothing) is None


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(start=D(2024, 1, 1), end=D(2024, 12, 31)),
        Filters(start=D(2024, 1, 1), end=D(2024, 12, 31), factors=("influence",)),
        Filters(regions=("Afrique",), functions=("prévention",)),
        Filters(regions=("Afrique",), factors=("masse", "agilité")),
        Filters(countries=("JPN",), factors=("masse",)),
    ],
)
def test_narrowing_first_gives_the_same_breakdowns(actions, filters):
    source, period = analysis.narrow(actions, filters)
    if not filters.factors:
        assert source is actions and period == filters
    else:
        assert source.num_rows < actions.num_rows
        assert (period.start, period.end) == (filters.start, filters.end)
        assert period.change(start=None, end=None).is_empty()
        # The same selection gets the same table, so shared query results serve it again.
        assert analysis.narrow(actions, filters)[0] is source
    assert analysis.matrix(source, period).equals(analysis.matrix(actions, filters))
    assert analysis.factor_profile(source, period, "person_days").equals(
        analysis.factor_profile(actions, filters, "person_days")
    )
    both = [analysis.year_over_year(source, period), analysis.year_over_year(actions, filters)]
    if both[1] is None:
        assert both[0] is None
    else:
        assert both[0].functions.equals(both[1].functions) and both[0].factors.equals(both[1].factors)
    if filters.previous() is not None:
        assert query.key_figures(source, period.previous()) == query.key_figures(actions, filters.previous())


def test_the_excel_export_holds_the_breakdowns_counted_by_hand(actions):
    sheets = analysis.workbook(actions, Filters(start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31)))
    assert list(sheets) == [
        "Sélection",
        "Fonction × facteur",
        "Par année",
        "Facteurs par région",
        "Pays et modes",
        "Piliers",
        "Cadres",
    ]
    summary = dict(zip(sheets["Sélection"]["Élément"], sheets["Sélection"]["Valeur"], strict=True))
    assert summary == {
        "Mesure": "Actions",
        "Période": "du 1 janv. 2023 au 31 déc. 2024",
        "Filtres": "toutes les actions",
        "Total : actions": 6,
    }

    grid = sheets["Fonction × facteur"].set_index("Fonction stratégique")
    assert list(grid.index) == ["Prévention", "Intervention", "Connaissance et anticipation", "Protection"]
    prevention = grid.loc["Prévention"]
    assert (prevention["Coopération"], prevention["Influence"], prevention["Masse"]) == (2, 3, 1)
    assert prevention["Compréhension"] == 1 and prevention["Agilité"] == 0
    # The factor columns count 7 tags for Prévention's 4 actions; the last column counts each action once.
    assert grid["Actions (chaque action une fois)"].to_dict() == {
        "Prévention": 4,
        "Intervention": 1,
        "Connaissance et anticipation": 0,
        "Protection": 1,
    }

    years = sheets["Par année"].set_index("Année")
    assert years.loc[2023].to_dict() == {"Prévention": 2, "Intervention": 0, "Protection": 0}
    assert years.loc[2024].to_dict() == {"Prévention": 2, "Intervention": 1, "Protection": 1}

    places = sheets["Pays et modes"]
    assert places.values.tolist() == [
        ["Afrique", "Côte d'Ivoire", "Conseil", 1],
        ["Afrique", "Sénégal", "Conseil", 1],
        ["Afrique", "Sénégal", "Formation", 2],
        ["Europe", "Belgique", "Entraînement", 2],
    ]
    assert sheets["Piliers"].values.tolist() == [["Coopérer", 3], ["Former", 2], ["Non renseigné", 1]]


def test_the_excel_export_follows_the_measure(actions):
    sheets = analysis.workbook(actions, Filters(), "person_days")
    # Person-days: personnel × days. B1 10 × 10, B2 2 × 1, B3 5 × 4, B4 8 × 2, B5 1 × 1, B6 4 × 5.
    assert sheets["Sélection"]["Valeur"].tolist() == [
        "Journées-personnel",
        "toute la période",
        "toutes les actions",
        159,
    ]
    grid = sheets["Fonction × facteur"].set_index("Fonction stratégique")
    by_function = grid["Journées-personnel (chaque action une fois)"]
    assert by_function.to_dict() == {
        "Prévention": 142,
        "Intervention": 1,
        "Connaissance et anticipation": 0,
        "Protection": 16,
    }


def test_the_excel_export_of_a_factor_selection_counts_its_actions(actions):
    # masse: B3 (Prévention, 2024) and B5 (Intervention, 2024); the factor filter keeps whole actions.
    sheets = analysis.workbook(actions, Filters(factors=("masse",)))
    summary = dict(zip(sheets["Sélection"]["Élément"], sheets["Sélection"]["Valeur"], strict=True))
    assert summary["Facteurs de supériorité opérationnelle"] == "Masse"
    assert summary["Total : actions"] == 2
    grid = sheets["Fonction × facteur"].set_index("Fonction stratégique")
    assert grid.loc["Prévention", "Masse"] == 1 and grid.loc["Prévention", "Coopération"] == 1
    assert grid.loc["Intervention", "Compréhension"] == 1
    assert sheets["Par année"].set_index("Année").loc[2024].to_dict() == {"Prévention": 1, "Intervention": 1}
