"""The country profile (AppTest): opened by URL, or after picking a partner; demo and empty store."""

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import i18n, query
from dashboard.reference import country_name
from tests.conftest import expander_labels, open_page


def _open(query_params: dict[str, str | list[str]] | None = None) -> AppTest:
    return open_page("pages/country.py", query_params)


def _filters(at: AppTest, countries: tuple[str, ...]) -> query.Filters:
    start, end = at.session_state["periode"]
    return query.Filters(start=start, end=end, countries=countries)


@pytest.fixture
def store_tables(demo_store):
    return query.prepare_actions(demo_store.read("actions")), demo_store.read("meetings")


def test_a_link_with_the_country_name_opens_its_profile(store_tables):
    actions, meetings = store_tables
    at = _open({"pays": "Sénégal"})
    assert at.header[0].value == "Sénégal"
    senegal = _filters(at, ("SEN",))
    figures = query.key_figures(actions, senegal)
    values = {m.label: m.value for m in at.metric}
    assert values["Actions réalisées"] == i18n.number(figures.actions)
    assert values["Stagiaires partenaires"] == i18n.number(figures.partner_trainees)
    assert [t.label for t in at.tabs] == ["Rencontres", "Actions", "Objectifs et évaluation"]
    # Only the open tab is drawn: the meetings first, then the actions once chosen.
    tables = {len(frame.value) for frame in at.dataframe}
    assert len(query.meeting_rows(meetings, senegal)) in tables
    assert not any(i18n.number(figures.actions) in c.value for c in at.caption)
    at.session_state["fiche_onglet"] = "Actions"
    at.run()
    tables = {len(frame.value) for frame in at.dataframe}
    # The table holds the 100 most recent actions and says how many there are in all.
    assert figures.actions > 100 and 100 in tables
    assert len(query.meeting_rows(meetings, senegal)) not in tables
    assert any(i18n.number(figures.actions) in c.value for c in at.caption)


def test_the_profile_gives_the_share_assessed_and_each_realised_action_with_its_objective(store_tables):
    from dashboard import plan

    actions, _ = store_tables
    at = _open({"pays": "Sénégal"})
    senegal = _filters(at, ("SEN",))
    summary = plan.assessment_summary(actions, senegal)
    assert 0.5 < summary.share < 0.8  # about two thirds of the realised actions
    assert {m.label: m.value for m in at.metric}["Évaluées (%)"] == i18n.number(round(100 * summary.share))
    at.session_state["fiche_onglet"] = "Objectifs et évaluation"
    at.run()
    assert not at.exception
    assessed = next(f.value for f in at.dataframe if "assessment" in f.value.columns)
    expected = plan.assessed_rows(actions, senegal)
    assert assessed["title"].tolist() == expected["title"].tolist()
    assert assessed["assessment"].tolist() == expected["assessment"].tolist()
    assert assessed["objective"].notna().any()
    planned = next(f.value for f in at.dataframe if "unit" in f.value.columns)
    assert len(planned) > 0
    assert any(f"{i18n.number(summary.assessed)}** actions réalisées évaluées" in m.value for m in at.markdown)


def test_without_a_country_the_user_picks_one_and_it_becomes_the_filter(store_tables):
    actions, _ = store_tables
    at = _open()
    assert not at.metric
    picker = at.selectbox(key="fiche_pays_choix")
    assert picker.label == "Choisir un pays partenaire"
    assert len(picker.options) == query.key_figures(actions, _filters(at, ())).countries
    picker.select("CIV").run()
    assert at.session_state["pays"] == ["CIV"]
    assert at.header[0].value == country_name("CIV")


def test_with_several_countries_the_user_picks_among_them(demo_store):
    at = _open({"pays": ["Sénégal", "Tchad"]})
    picker = at.selectbox(key="fiche_pays_choix")
    assert sorted(picker.options) == ["Sénégal", "Tchad"]
    picker.select("TCD").run()
    assert at.session_state["pays"] == ["TCD"]
    assert at.header[0].value == "Tchad"


def test_the_profile_on_an_empty_store_explains_there_is_no_partner(empty_store):
    at = _open()
    assert any("Aucune action" in info.value for info in at.info)


def test_each_chart_of_the_profile_has_its_sentence(store_tables):
    at = _open({"pays": "Sénégal"})
    sentences = expander_labels(at)
    assert any(s.startswith("Actions par année et par mode : total ") for s in sentences), sentences
    assert any(
        s.startswith("Fonction stratégique × facteur de supériorité : la case la plus forte est ") for s in sentences
    )
    assert any(s.startswith("Frise des actions et des rencontres : ") for s in sentences), sentences
    at.session_state["fiche_onglet"] = "Objectifs et évaluation"
    at.run()
    assert any(s.startswith("Évaluation par mode d'action : la plus forte part est « ") for s in expander_labels(at))


def test_a_country_is_found_without_its_accents_and_becomes_the_filter(demo_store):
    at = open_page("pages/country.py")
    at.text_input(key="fiche_pays_recherche").input("cote").run()
    assert not at.exception, at.exception
    assert at.session_state["pays"] == ["CIV"]
    assert at.header[0].value == "Côte d'Ivoire"
    assert at.text_input(key="fiche_pays_recherche").value == ""
    # Several countries match: the page offers them; none: it says so.
    at.text_input(key="fiche_pays_recherche").input("guinee").run()
    offered = at.selectbox(key="fiche_pays_choix").options
    assert len(offered) > 1 and offered[0] == "Guinée" and all("Guinée" in name for name in offered)
    at.selectbox(key="fiche_pays_choix").select("PNG").run()
    assert at.session_state["pays"] == ["PNG"]
    assert at.header[0].value == "Papouasie-Nouvelle-Guinée"
    at.text_input(key="fiche_pays_recherche").input("Atlantide").run()
    assert "Aucun pays partenaire ne correspond à « Atlantide »." in [w.value for w in at.warning]


def test_in_english_the_profile_its_figures_tabs_and_tables_speak_english(store_tables, english):
    actions, _ = store_tables
    at = _open({"lang": "en", "pays": "SEN"})
    assert at.title[0].value == "Country profile"
    assert at.header[0].value == "Senegal"
    assert "Region: Africa" in [c.value for c in at.caption]
    assert [m.label for m in at.metric][:3] == ["Completed actions", "Person-days", "Partner trainees"]
    assert "Strategic function and operational superiority factors" in [h.value for h in at.subheader]
    assert [t.label for t in at.tabs] == ["Meetings", "Actions", "Objectives and assessment"]
    assert any(label.startswith("Timeline of actions and meetings") for label in expander_labels(at))
    at.session_state["fiche_onglet"] = "Actions"
    at.run()
    figures = query.key_figures(actions, _filters(at, ("SEN",)))
    assert any(c.value.startswith(f"The 100 most recent of {i18n.number(figures.actions)}") for c in at.caption)
    assert [b.label for b in at.get("download_button")][-1] == "Download the actions (CSV)"
    # Back to French with a tab of English words chosen: the page opens again, in French.
    at.segmented_control(key="pmo_langue").set_value("fr").run()
    assert not at.exception and at.title[0].value == "Fiche pays"
    assert [t.label for t in at.tabs] == ["Rencontres", "Actions", "Objectifs et évaluation"]
