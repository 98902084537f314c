"""The Programmation page (AppTest) on the demo data and on an empty store."""

from __future__ import annotations

import datetime as dt
import json

from dashboard import i18n, plan, query
from dashboard.store import Store
from tests.conftest import expander_labels, open_page


def _figure(at, key: str) -> dict:
    for element in at.get("plotly_chart"):
        if key in element.proto.id:
            return json.loads(element.proto.spec)
    raise AssertionError(f"no chart {key}")


def test_the_page_shows_the_plan_the_units_and_the_realisation_of_the_demo_data(demo_store: Store):
    at = open_page("pages/plan.py")
    assert at.title[0].value == "Programmation"
    actions = query.prepare_actions(demo_store.read("actions"))
    today = dt.date.today()
    upcoming = plan.upcoming(actions, query.Filters(), today)
    load = plan.commitments(actions, query.Filters(), today)
    values = {m.label: m.value for m in at.metric}
    assert values["Prévues sur 12 mois"] == i18n.number(int(upcoming["actions"].sum())) != "0"
    assert values["Unités engagées"] == i18n.number(len(load.units))
    assert values["En chevauchement"] == i18n.number(int((load.units["overlap_days"] > 0).sum()))
    # The months ahead, one bar trace per region; the units' load with its overlaps in red.
    months = _figure(at, "programmation_mois")
    assert {t["name"] for t in months["data"]} <= {"Afrique", "Europe", "Moyen-Orient", "Indo-Pacifique", "Amériques"}
    units = _figure(at, "programmation_unites")
    assert any(t["name"] == "Unité engagée dans deux pays ou plus" for t in units["data"])
    shown = {y for t in units["data"] for y in t["y"]}
    assert shown == set(load.units.head(12)["unit"])
    # The ten most committed units in a table, every unit once the list is opened.
    table = at.dataframe[0].value
    assert table["unit"].tolist() == load.units["unit"].head(10).tolist()
    assert any(e.label == f"Toutes les unités ({len(load.units)})" for e in at.expander)
    rates = _figure(at, "programmation_realisation")
    assert any(t["name"] == "Taux de réalisation" for t in rates["data"])
    assert any("annul" in t["name"].lower() for t in _figure(at, "programmation_motifs")["data"])


def test_the_whole_list_of_units_opens_on_demand(demo_store: Store):
    at = open_page("pages/plan.py")
    count = len(at.dataframe)
    at.session_state["programmation_unites_toutes"] = True
    at.run()
    assert not at.exception
    assert len(at.dataframe) == count + 1
    load = plan.commitments(query.prepare_actions(demo_store.read("actions")), query.Filters(), dt.date.today())
    assert at.dataframe[1].value["unit"].tolist() == load.units["unit"].tolist()


def test_by_country_the_months_stack_the_leading_partners(demo_store: Store):
    at = open_page("pages/plan.py")
    at.segmented_control(key="programmation_repartition").set_value("country_iso3").run()
    assert not at.exception
    names = {t["name"] for t in _figure(at, "programmation_mois")["data"]}
    assert "Sénégal" in names or "Côte d’Ivoire" in names or "Autres pays" in names
    assert "Afrique" not in names


def test_the_shared_filters_narrow_the_plan(demo_store: Store):
    at = open_page("pages/plan.py", query_params={"region": "Europe"})
    actions = query.prepare_actions(demo_store.read("actions"))
    europe = plan.upcoming(actions, query.Filters(regions=("Europe",)), dt.date.today())
    assert {m.label: m.value for m in at.metric}["Prévues sur 12 mois"] == i18n.number(int(europe["actions"].sum()))


def test_the_page_on_an_empty_store_says_there_is_nothing(empty_store):
    at = open_page("pages/plan.py")
    assert {m.label: m.value for m in at.metric}["Prévues sur 12 mois"] == "0"
    assert any("Aucune unité" in t.value for t in at.text)


def test_each_chart_has_its_sentence_opening_onto_its_data(demo_store: Store):
    sentences = expander_labels(open_page("pages/plan.py"))
    for start in (
        "Actions prévues par mois : total ",
        "Programmées et réalisées par année : total ",
        "Annulations et reports par motif : total ",
    ):
        assert any(s.startswith(start) for s in sentences), (start, sentences)
    assert any(s.startswith("Engagements des unités : ") and " événements sur 12 lignes" in s for s in sentences)


def test_in_english_the_plan_its_figures_charts_and_tables_speak_english(demo_store: Store):
    with i18n.using("en"):  # AppTest formats the widgets' options in the test's own thread
        at = open_page("pages/plan.py", {"lang": "en"})
        assert at.title[0].value == "Planning"
        actions = query.prepare_actions(demo_store.read("actions"))
        upcoming = plan.upcoming(actions, query.Filters(), dt.date.today())
        values = {m.label: m.value for m in at.metric}
        assert values["Planned over 12 months"] == i18n.number(int(upcoming["actions"].sum()))
        assert "," in values["Planned over 12 months"]  # 1,458: English grouping
        assert any(c.value.startswith("Plan from ") for c in at.caption)
        months = _figure(at, "programmation_mois")
        assert {t["name"] for t in months["data"]} <= {"Africa", "Europe", "Middle East", "Indo-Pacific", "Americas"}
        assert months["layout"]["xaxis"]["categoryarray"][0][:3].isalpha()  # `Dec 2026`
        units = _figure(at, "programmation_unites")
        assert any(t["name"] == "Unit committed in two countries or more" for t in units["data"])
        assert units["layout"]["xaxis"]["tickformat"] == "%b %Y"
        assert [t.label for t in at.tabs] == ["By year", "By partner country"]
        rates = _figure(at, "programmation_realisation")
        assert [t["name"] for t in rates["data"]] == ["Scheduled (due)", "Completed", "Completion rate"]
        reasons = _figure(at, "programmation_motifs")
        assert [t["name"] for t in reasons["data"]] == ["Cancelled", "Postponed"]
        # The last cancelled or postponed actions: their status and country in English.
        at.session_state["programmation_liste"] = True
        at.run()
        latest = at.dataframe[-1].value
        assert set(latest["status"]) <= {"Cancelled", "Postponed"}
        # Back to French with the countries' breakdown chosen: the same choice, in French.
        at.segmented_control(key="programmation_repartition").set_value("country_iso3").run()
        at.segmented_control(key="pmo_langue").set_value("fr").run()
        assert not at.exception and at.title[0].value == "Programmation"
        assert at.segmented_control(key="programmation_repartition").value == "country_iso3"
