"""Chart clicks turned into filter values, and the periods of the year-over-year comparison."""

import datetime as dt

from dashboard import analysis
from dashboard.query import Filters

D = dt.date


def test_a_matrix_click_gives_the_function_and_the_factor():
    points = [{"curve_number": 1, "point_index": 27, "customdata": ["protection", "masse", 312, 22.2, 1406]}]
    assert analysis.clicked_filters(points, ("functions", "factors")) == {
        "functions": ["protection"],
        "factors": ["masse"],
    }


def test_a_bar_click_gives_only_the_codes_the_chart_stands_for():
    points = [{"customdata": "coopérer"}]
    assert analysis.clicked_filters(points, ("pillars",)) == {"pillars": ["coopérer"]}


def test_a_point_without_a_code_sets_nothing():
    assert analysis.clicked_filters([{"customdata": ""}], ("pillars",)) == {}
    assert analysis.clicked_filters([{"customdata": ["", 12]}], ("pillars",)) == {}
    assert analysis.clicked_filters([{"x": 2024, "y": 12}], ("functions",)) == {}
    assert analysis.clicked_filters([], ("functions",)) == {}


def test_several_points_give_each_code_once():
    points = [{"customdata": ["prévention"]}, {"customdata": ["protection"]}, {"customdata": ["prévention"]}]
    assert analysis.clicked_filters(points, ("functions",)) == {"functions": ["prévention", "protection"]}


def test_a_sunburst_click_gives_the_region_the_country_or_the_country_and_mode():
    assert analysis.clicked_sector([{"id": "Afrique", "label": "Afrique"}]) == {"regions": ["Afrique"]}
    assert analysis.clicked_sector([{"id": analysis.sunburst_id("Afrique", "SEN")}]) == {"countries": ["SEN"]}
    assert analysis.clicked_sector([{"id": "Europe|BEL|entraînement"}]) == {
        "countries": ["BEL"],
        "modes": ["entraînement"],
    }
    assert analysis.clicked_sector([{"label": "no id"}]) == {}
    assert analysis.clicked_sector([{"id": "Europe|BEL|entraînement|trop"}]) == {}
    assert analysis.clicked_sector([]) == {}


def test_the_comparison_periods_keep_the_selection_bounds_inside_the_year():
    current, previous = analysis.comparison_periods(Filters(start=D(2022, 5, 1), end=D(2024, 8, 31)), 2024)
    assert (current.start, current.end) == (D(2024, 1, 1), D(2024, 8, 31))
    assert (previous.start, previous.end) == (D(2023, 1, 1), D(2023, 8, 31))
    current, previous = analysis.comparison_periods(Filters(start=D(2024, 3, 1), end=D(2024, 2, 29)), 2024)
    assert previous.end == D(2023, 2, 28)
    current, previous = analysis.comparison_periods(Filters(regions=("Europe",)), 2025)
    assert (current.start, current.end, current.regions) == (D(2025, 1, 1), D(2025, 12, 31), ("Europe",))
    assert (previous.start, previous.end) == (D(2024, 1, 1), D(2024, 12, 31))


def test_the_workbook_says_which_data_it_holds_and_when_it_was_exported():
    from dashboard.demo import demo_actions
    from dashboard.query import prepare_actions

    line = "Données au 1 déc. 2026, version 3 ; exporté le 2 déc. 2026"
    sheet = analysis.workbook(prepare_actions(demo_actions()), Filters(regions=("Europe",)), about=[line])["Sélection"]
    assert ("Régions", "Europe") in set(zip(sheet["Élément"], sheet["Valeur"], strict=True))
    assert (sheet["Élément"].iloc[-1], sheet["Valeur"].iloc[-1]) == ("Données", line)


def test_the_workbook_speaks_the_language_of_the_run_with_the_same_figures():
    from dashboard import i18n
    from dashboard.demo import demo_actions
    from dashboard.query import prepare_actions

    actions, chosen = prepare_actions(demo_actions()), Filters(regions=("Moyen-Orient",))
    french = analysis.workbook(actions, chosen, "person_days")
    with i18n.using("en"):
        english = analysis.workbook(actions, chosen, "person_days")
    assert list(english) == ["Selection", "Function × factor", "By year", "Factors by region",
                             "Countries and modes", "Pillars", "Frameworks"]  # fmt: skip
    selection = english["Selection"]
    rows = dict(zip(selection["Item"], selection["Value"], strict=True))
    assert rows["Measure"] == "Person-days" and rows["Regions"] == "Middle East"
    assert rows["Total: person-days"] == dict(zip(french["Sélection"]["Élément"], french["Sélection"]["Valeur"],
                                                  strict=True))["Total : journées-personnel"]  # fmt: skip
    grid = english["Function × factor"]
    assert list(grid.columns[:3]) == ["Strategic function", "Understanding", "Cooperation"]
    functions = ["Prevention", "Intervention", "Knowledge and anticipation", "Protection"]
    assert list(grid["Strategic function"]) == functions
    assert grid.iloc[:, 1:].to_numpy().tolist() == french["Fonction × facteur"].iloc[:, 1:].to_numpy().tolist()
    assert set(english["Countries and modes"]["Region"]) == {"Middle East"}
    assert "Mode of action" in english["Countries and modes"].columns
