"""The analysis page (AppTest): demo data, empty store, measure choice, a sidebar filter narrowing the matrix.

Real clicks on the charts need a browser: tests/test_browser_analysis.py."""

import datetime as dt
import html
import json

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import analysis, i18n, query
from dashboard.reference import label as query_label
from dashboard.schema import FRAMEWORKS, STRATEGIC_FUNCTIONS, SUPERIORITY_FACTORS
from dashboard.store import Store
from tests.conftest import expander_labels, open_page


@pytest.fixture(autouse=True)
def every_role(monkeypatch):
    monkeypatch.setenv("PMO_DEMO_ACCESS", "1")


def _open() -> AppTest:
    return open_page("pages/analysis.py")


def _figure(at: AppTest, key_part: str) -> dict:
    """The figure JSON of the plotly chart whose element id contains `key_part`."""
    for element in at.get("plotly_chart"):
        if key_part in element.proto.id:
            return json.loads(element.proto.spec)
    raise AssertionError(f"no chart {key_part}")


def _matrix_texts(at: AppTest) -> list[list[str]]:
    # As plotly draws them: charts.base.text writes % as a character reference.
    return [[html.unescape(cell) for cell in row] for row in _figure(at, "analyse_matrice")["data"][0]["text"]]


def test_the_page_shows_the_matrix_of_the_demo_data(demo_store: Store):
    at = _open()
    assert at.title[0].value == "Analyse par fonction et facteur"
    actions = query.prepare_actions(demo_store.read("actions"))
    cells = analysis.matrix(actions, query.Filters(start=at_period(at)[0], end=at_period(at)[1]))
    texts = _matrix_texts(at)
    first = cells.iloc[0]
    assert texts[0][0] == f"{i18n.number(first['value'])}<br>{i18n.percent(first['share'], 0)}"
    assert any("compte une fois sous chacun" in caption.value for caption in at.caption)
    realised = query.key_figures(actions, query.Filters()).actions
    assert {m.label: m.value for m in at.metric}["Actions réalisées"] == i18n.number(realised)


def at_period(at: AppTest):
    return at.session_state["periode"]


def test_the_measure_changes_every_breakdown(demo_store: Store):
    at = _open()
    actions_text = _matrix_texts(at)
    at.radio(key="mesure").set_value("person_days").run()
    assert not at.exception, at.exception
    assert _matrix_texts(at) != actions_text
    assert "Journées-personnel" in at.subheader[0].value


def test_a_function_filter_highlights_its_row_and_dims_the_others(demo_store: Store):
    at = _open()
    at.multiselect(key="fonction").select("protection").run()
    assert not at.exception, at.exception
    texts = _matrix_texts(at)
    # Every row keeps its figures (a cross-filter highlights, it does not collapse the matrix)...
    assert all("%" in cell for row in texts for cell in row)
    # ...and a white veil covers each cell of the three other functions, none of the chosen row.
    (figure,) = [json.loads(e.proto.spec) for e in at.get("plotly_chart") if "analyse_matrice" in e.proto.id]
    veils = [s for s in figure["layout"].get("shapes", []) if s.get("name") == "estompe"]
    assert len(veils) == 3 * 8 and {round(s["y0"] + 0.5) for s in veils} == {0, 1, 2}


def _charts(at: AppTest) -> list[str]:
    return [element.proto.id.rsplit("-", 1)[-1] for element in at.get("plotly_chart")]


def test_only_the_matrix_and_the_open_tab_are_drawn(demo_store: Store):
    at = _open()
    assert [tab.label for tab in at.tabs] == [
        "Par année",
        "Évolution sur un an",
        "Facteurs par région",
        "Pays et modes",
        "Piliers et cadres",
        "Évaluation",
    ]
    assert _charts(at) == ["analyse_matrice", "analyse_annees"]
    for tab, charts in [
        ("Évolution sur un an", ["analyse_evolution_fonctions", "analyse_evolution_facteurs"]),
        ("Facteurs par région", ["analyse_profil"]),
        ("Pays et modes", ["analyse_soleil"]),
        ("Piliers et cadres", ["analyse_piliers", "analyse_cadres"]),
        ("Évaluation", ["analyse_evaluation_modes", "analyse_evaluation_fonctions", "analyse_evaluation_facteurs"]),
    ]:
        at.query_params["vue"] = analysis.VIEWS.code(tab)
        at.run()
        assert not at.exception, at.exception
        assert _charts(at) == ["analyse_matrice", *charts], tab
    # The definitions stay under the tabs, whichever is open.
    assert any(e.label == "Définitions des fonctions et des facteurs" for e in at.expander)


def test_the_assessment_tab_gives_the_levels_by_mode_function_and_factor(demo_store: Store):
    from dashboard import plan

    at = open_page("pages/analysis.py", {"vue": "Évaluation"})
    actions = query.prepare_actions(demo_store.read("actions"))
    period = query.Filters(start=at_period(at)[0], end=at_period(at)[1])
    levels = plan.assessment_levels(actions, period, "mode")
    figure = _figure(at, "analyse_evaluation_modes")
    reached = next(t for t in figure["data"] if t["name"] == "Atteint")
    shares = dict(zip(reached["y"], reached["x"], strict=True))
    expected = levels[levels["assessment"] == "atteint"].set_index("mode")["share"]
    assert shares == pytest.approx({query_label("mode", m): v for m, v in expected.items()})
    assert [t["name"] for t in figure["data"]] == [
        "Non atteint",
        "Partiellement atteint",
        "Atteint",
        "Dépassé",
        "Non évalué",
    ]
    summary = plan.assessment_summary(actions, period)
    assert any(f"{i18n.number(summary.assessed)} actions évaluées" in c.value for c in at.caption)
    factors = _figure(at, "analyse_evaluation_facteurs")
    assert len(factors["data"][0]["y"]) == len(SUPERIORITY_FACTORS.codes)


@pytest.mark.parametrize("written", ["piliers-et-cadres", "Piliers et cadres", "Pillars and frameworks"])
def test_a_link_opens_the_tab_it_names_by_its_code_or_by_an_older_link_s_label(demo_store: Store, written):
    at = open_page("pages/analysis.py", {"vue": written})
    assert _charts(at) == ["analyse_matrice", "analyse_piliers", "analyse_cadres"]
    assert at.query_params["vue"] == "piliers-et-cadres", "the link rewritten with the view's code"


def test_the_views_codes_are_language_neutral_and_read_every_label():
    codes = analysis.VIEWS.codes
    assert len(set(codes)) == len(codes) == 6
    for code in codes:
        assert analysis.VIEWS.code(code) == code
        assert analysis.VIEWS.code(analysis.VIEWS.labels[code]) == code  # the French label older links wrote
        assert analysis.VIEWS.code(i18n.translate(analysis.VIEWS.labels[code], "en")) == code
    assert analysis.VIEWS.code("Facteurs par région") == "facteurs-par-region"
    assert analysis.VIEWS.code("Atlantide") is None


def test_the_clear_button_is_off_until_a_chart_sets_a_filter(demo_store: Store):
    at = _open()
    button = next(b for b in at.button if b.label == "Effacer la sélection du graphique")
    assert button.disabled


def test_an_empty_store_says_there_is_nothing_to_show(empty_store: Store):
    at = _open()
    assert at.title[0].value == "Analyse par fonction et facteur"
    assert {m.label: m.value for m in at.metric}["Actions réalisées"] == "0"
    assert any("Aucune action ne correspond" in info.value for info in at.info)
    assert not at.get("plotly_chart")


def test_an_empty_selection_says_so_and_keeps_the_clear_button(demo_store: Store):
    at = _open()
    actions = query.prepare_actions(demo_store.read("actions"))
    after = query.date_bounds(actions)[1] + dt.timedelta(days=1)
    at.date_input(key="periode").set_value((after, after + dt.timedelta(days=30))).run()
    assert not at.exception, at.exception
    assert {m.label: m.value for m in at.metric}["Actions réalisées"] == "0"
    assert any("Aucune action ne correspond" in info.value for info in at.info)
    assert any(b.label == "Effacer la sélection du graphique" for b in at.button)


def test_every_function_and_factor_definition_is_on_the_about_page(demo_store: Store):
    at = open_page("pages/about.py")
    shown = {(row["Libellé"], row["Définition"]) for table in at.table for _, row in table.value.iterrows()}
    for taxonomy in (STRATEGIC_FUNCTIONS, SUPERIORITY_FACTORS, FRAMEWORKS):
        for category in taxonomy.categories:
            assert (taxonomy.label(category.code), category.definition) in shown
    assert ("OTAN", FRAMEWORKS.get("OTAN").definition) in shown


def test_the_assessment_and_profile_charts_have_their_text_alternative(demo_store: Store):
    at = _open()
    at.query_params["vue"] = "evaluation"
    at.run()
    sentences = expander_labels(at)
    for title in ("Évaluation par mode d'action", "Évaluation par fonction stratégique"):
        assert any(s.startswith(f"{title} : la plus forte part est « ") for s in sentences), (title, sentences)
    # The profile's tab is near its budget of bytes: its line names the chart, its sentence comes when opened.
    at.query_params["vue"] = "facteurs-par-region"
    at.run()
    assert "Profil des facteurs par région : données et résumé" in expander_labels(at)


def test_in_english_the_page_its_tabs_charts_and_definitions_speak_english(demo_store: Store, english):
    at = open_page("pages/analysis.py", {"lang": "en", "vue": "evaluation"})
    assert at.title[0].value == "Analysis by function and factor"
    assert at.subheader[0].value == "Actions by strategic function and superiority factor"
    assert [tab.label for tab in at.tabs] == [
        "By year",
        "Year-on-year change",
        "Factors by region",
        "Countries and modes",
        "Pillars and frameworks",
        "Assessment",
    ]
    assert _charts(at) == [
        "analyse_matrice",
        "analyse_evaluation_modes",
        "analyse_evaluation_fonctions",
        "analyse_evaluation_facteurs",
    ]
    matrix = _figure(at, "analyse_matrice")
    assert matrix["layout"]["separators"] == ".,"
    assert "Knowledge and anticipation" in "".join(matrix["layout"]["yaxis"]["ticktext"])
    assert "that is %{customdata[3]:.0f}% of the function" in matrix["data"][1]["hovertemplate"]
    modes = _figure(at, "analyse_evaluation_modes")
    assert [t["name"] for t in modes["data"]][-1] == "Not assessed" and "Training" in modes["data"][0]["y"]
    assert any(c.value.endswith("an action tied to several factors counts once under each.") for c in at.caption)
    definitions = next(e for e in at.expander if e.label == "Definitions of the functions and factors")
    rows = {row["Label"]: row["Definition"] for table in definitions.table for _, row in table.value.iterrows()}
    assert rows["Agility"] == SUPERIORITY_FACTORS.definition("agilité", "en")
    # The year-on-year view: years compared, the period in English.
    at.query_params["vue"] = "evolution"
    at.run()
    assert at.subheader[1].value.endswith(" compared with " + str(int(at.subheader[1].value[:4]) - 1))
    assert any(c.value.startswith("From 1 Jan ") for c in at.caption)
    # Back to French: the same view, its words in French.
    at.segmented_control(key="pmo_langue").set_value("fr").run()
    assert not at.exception and at.title[0].value == "Analyse par fonction et facteur"
    assert at.query_params["vue"] == "evolution"
    assert _charts(at) == ["analyse_matrice", "analyse_evolution_fonctions", "analyse_evolution_facteurs"]
