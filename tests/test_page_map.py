"""The map page (AppTest): key figures, measure, zoom, meetings, the country filter; demo and empty store."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import i18n, query
from dashboard.charts import maps
from dashboard.charts.base import NO_DATA
from tests.conftest import as_read, open_page


def _open(query_params: dict[str, str | list[str]] | None = None) -> AppTest:
    return open_page("pages/map.py", query_params)


def _chart(at: AppTest) -> tuple[dict, dict]:
    (chart,) = at.get("plotly_chart")
    return json.loads(chart.proto.spec), json.loads(chart.proto.config)


@pytest.fixture
def actions(demo_store):
    return query.prepare_actions(demo_store.read("actions"))


def test_the_map_reads_its_geometry_from_the_app_and_shows_every_partner(actions):
    at = _open()
    assert at.title[0].value == "Carte des partenaires"
    figures = query.key_figures(actions, query.Filters(*_period(at)))
    assert at.metric[0].value == i18n.number(figures.actions)
    spec, config = _chart(at)
    assert config["topojsonURL"] == "/app/static/"
    assert "geojson" not in json.dumps(spec)
    # The grey world is the geometry's own layers, not a shape per country sent with every change.
    assert spec["layout"]["geo"]["showland"] and spec["layout"]["geo"]["showcountries"]
    assert len(spec["data"][maps.PARTNERS]["locations"]) == figures.countries


def _period(at: AppTest):
    start, end = at.session_state["periode"]
    return start, end


def test_the_measure_recolours_the_map(actions):
    at = _open()
    at.selectbox(key="carte_mesure").select("partner_trainees").run()
    spec, _ = _chart(at)
    partners = spec["data"][maps.PARTNERS]
    assert partners["colorbar"]["title"]["text"] == "Stagiaires partenaires"
    totals = query.aggregate(actions, query.Filters(*_period(at)), ["country_iso3"], "partner_trainees")
    expected = totals.set_index("country_iso3")["value"]
    assert dict(zip(partners["locations"], partners["z"], strict=True)) == expected[expected > 0].to_dict()


def test_a_region_preset_zooms_and_meetings_appear_as_bubbles(demo_store):
    at = _open()
    at.session_state["carte_zone"] = "Afrique"
    at.toggle(key="carte_rencontres").set_value(True).run()
    spec, _ = _chart(at)
    assert spec["layout"]["geo"]["lonaxis"]["range"] == list(maps.ZONES["Afrique"]["lon"])
    bubbles = [trace for trace in spec["data"] if trace["type"] == "scattergeo" and "legendgroup" not in trace]
    assert len(bubbles) == 1 and len(bubbles[0]["lon"]) > 10
    key = [trace["name"] for trace in spec["data"] if trace.get("legendgroup") == "rencontres"]
    assert key[0] == "1 rencontre" and len(key) == 3


def test_the_change_map_compares_each_country_with_the_period_before(actions):
    import datetime as dt

    at = _open()
    at.date_input(key="periode").set_value((dt.date(2024, 1, 1), dt.date(2024, 12, 31))).run()
    at.toggle(key="carte_evolution").set_value(True).run()
    assert not at.exception
    spec, _ = _chart(at)
    partners = spec["data"][maps.PARTNERS]
    every = query.Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
    expected = maps.change_frame(
        query.aggregate(actions, every, ["country_iso3"]), query.aggregate(actions, every.previous(), ["country_iso3"])
    ).set_index("country_iso3")["value"]
    drawn = dict(zip(partners["locations"], partners["z"], strict=True))
    assert drawn and all(expected[iso3] == value for iso3, value in drawn.items())
    assert partners["zmid"] == 0 and "frames" not in spec
    assert any("hausses en bleu" in c.value for c in at.caption)


def test_a_chosen_country_keeps_every_partner_on_the_map_and_links_to_its_profile(demo_store):
    at = _open({"pays": "Sénégal"})
    assert at.session_state["pays"] == ["SEN"]
    spec, _ = _chart(at)
    partners = spec["data"][maps.PARTNERS]
    assert len(partners["locations"]) > 1
    assert [partners["locations"][i] for i in partners["selectedpoints"]] == ["SEN"]
    assert any("Sénégal" in t.value for t in at.text)
    links = at.get("page_link")
    assert any("country" in link.proto.page and "pays=S" in link.proto.query_string for link in links)
    next(b for b in at.button if b.label == "Effacer les pays").click().run()
    assert at.session_state["pays"] == []


def test_a_country_chosen_outside_the_map_redraws_it(demo_store):
    at = _open()
    revision = _chart(at)[0]["layout"]["meta"]["revision"]
    at.multiselect(key="pays").select("CIV").run()
    spec, _ = _chart(at)
    assert spec["layout"]["meta"]["revision"] != revision
    partners = spec["data"][maps.PARTNERS]
    assert [partners["locations"][i] for i in partners["selectedpoints"]] == ["CIV"]


def test_the_map_page_on_an_empty_store_says_there_is_nothing(empty_store):
    at = _open()
    assert [m.value for m in at.metric] == ["0"] * 5
    spec, _ = _chart(at)
    assert any(a["text"] == NO_DATA for a in spec["layout"]["annotations"])


def test_in_english_the_map_page_its_controls_and_its_chart_speak_english(demo_store, english):
    at = open_page("pages/map.py", {"lang": "en", "pays": "SEN"})
    assert at.title[0].value == "Partner map"
    measure = at.selectbox(key="carte_mesure")
    assert measure.label == "Colour by" and "Partner trainees" in measure.options
    assert at.selectbox(key="carte_zone").options[:2] == ["World", "Africa"]
    assert at.toggle(key="carte_rencontres").label == "Meetings"
    assert [t.value for t in at.text] == ["Chosen countries: Senegal"]
    assert any(link.proto.label == "Country profile: Senegal" for link in at.get("page_link"))
    at.selectbox(key="carte_mesure").select("partner_trainees").run()
    spec, _ = _chart(at)
    partners = spec["data"][maps.PARTNERS]
    assert partners["colorbar"]["title"]["text"] == "Partner trainees"
    assert "Partner trainees: %{z" in partners["hovertemplate"]
    home = next(trace for trace in spec["data"] if trace.get("locations") == ["FRA"])
    assert "Home country of the detachments" in home["hovertemplate"]
    summary = [as_read(e.label) for e in at.expander]
    assert any(label.startswith("Partner trainees per partner country: total ") for label in summary), summary
