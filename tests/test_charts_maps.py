"""The partner map and the country profile figures, read from the figure data."""

import pandas as pd
import pytest

from dashboard import geo, query
from dashboard.charts import maps
from dashboard.charts.base import NO_DATA
from dashboard.demo import demo_actions, demo_meetings
from dashboard.schema import HOME_COUNTRY, MEASURES


@pytest.fixture(scope="module")
def actions():
    return query.prepare_actions(demo_actions())


def _map(actions, measure="actions", **options):
    every = query.Filters()
    return maps.partner_map(
        query.aggregate(actions, every, ["country_iso3"], measure),
        measure,
        per_year=query.aggregate(actions, every, ["country_iso3", "year"], measure),
        **options,
    )


def _draws_every_country(fig) -> None:
    """Every country of the 1:50m geometry in grey, with its borders: plotly's land and country layers (a path
    each, where a grey shape per country cost the figure 240 codes and the browser 240 paths)."""
    geo_layout = fig.layout.geo
    assert geo_layout.resolution == 50
    assert geo_layout.showland and geo_layout.landcolor == maps.LAND
    assert geo_layout.showcountries and geo_layout.countrycolor == maps.BORDER
    assert all(trace.type != "choropleth" or len(trace.locations) < 100 for trace in fig.data)


def test_partners_are_coloured_by_the_measure_and_france_apart(actions):
    totals = query.aggregate(actions, query.Filters(), ["country_iso3"], "person_days")
    fig = _map(actions, "person_days")
    partners = fig.data[maps.PARTNERS]
    shown = dict(zip(partners.locations, partners.z, strict=True))
    expected = totals[totals["country_iso3"] != HOME_COUNTRY].set_index("country_iso3")["value"]
    assert shown == expected[expected > 0].to_dict()
    assert HOME_COUNTRY not in shown
    assert list(fig.data[maps.HOME].locations) == [HOME_COUNTRY]
    _draws_every_country(fig)
    assert MEASURES["person_days"] in partners.hovertemplate
    assert ",.0f" in partners.hovertemplate and fig.layout.separators == ", "
    assert partners.text[list(partners.locations).index("SEN")] == "Sénégal"


def test_each_year_is_a_frame_on_one_scale_aligned_with_the_partners(actions):
    per_year = query.aggregate(actions, query.Filters(), ["country_iso3", "year"])
    fig = _map(actions)
    names = [frame.name for frame in fig.frames]
    years = sorted(str(y) for y in per_year["year"].unique())
    assert names == [maps.WHOLE_PERIOD, *years]
    order = list(fig.data[maps.PARTNERS].locations)
    frame = next(f for f in fig.frames if f.name == "2021")
    senegal_2021 = per_year[(per_year["country_iso3"] == "SEN") & (per_year["year"] == 2021)]["value"].item()
    assert frame.data[0].z[order.index("SEN")] == senegal_2021
    assert len({f.data[0].zmax for f in fig.frames[1:]}) == 1
    assert fig.frames[1].data[0].zmax == per_year["value"].max()
    slider = fig.layout.sliders[0]
    assert [s.label for s in slider.steps] == ["Toutes", *years]
    assert list(fig.layout.updatemenus[0].buttons[0].args[0]) == years


def test_the_figure_carries_codes_and_numbers_not_geometry(actions):
    fig = _map(actions, meetings=query.meetings_by_country(demo_meetings(), query.Filters()), centroids=geo.centroids())
    payload = fig.to_json()
    assert "geojson" not in payload
    assert fig.layout.geo.resolution == geo.RESOLUTION
    assert len(payload.encode()) < 20_000


def test_meetings_are_bubbles_on_the_host_country_centroid_growing_with_their_number():
    centroids = {"BEL": (4.6, 50.6), "SEN": (-14.5, 14.4)}
    meetings = pd.DataFrame(
        {"country_iso3": ["BEL", "SEN", "XXX"], "meetings": [40, 10, 3], "cities": ["Bruxelles", "Dakar", ""]}
    )
    totals = pd.DataFrame({"country_iso3": ["SEN"], "value": [5]})
    fig = maps.partner_map(totals, meetings=meetings, centroids=centroids)
    bubbles = fig.data[maps.MEETINGS]
    assert list(bubbles.lon) == [4.6, -14.5] and list(bubbles.lat) == [50.6, 14.4]
    assert bubbles.marker.size[0] > bubbles.marker.size[1]
    assert "Rencontres" in bubbles.hovertemplate


@pytest.mark.parametrize("zone", ["Afrique", "Europe", "Moyen-Orient", "Indo-Pacifique", "Amériques"])
def test_a_region_preset_zooms_on_it(zone):
    totals = pd.DataFrame({"country_iso3": ["SEN"], "value": [5]})
    world = maps.partner_map(totals).layout.geo
    geo_view = maps.partner_map(totals, zone=zone).layout.geo
    west, east = geo_view.lonaxis.range
    south, north = geo_view.lataxis.range
    assert east - west < (world.lonaxis.range[1] - world.lonaxis.range[0]) / 2
    assert north - south < world.lataxis.range[1] - world.lataxis.range[0]
    assert west <= geo_view.projection.rotation.lon <= east


def test_the_zones_hold_the_partners_of_their_region():
    capitals = {"SEN": (-17.4, 14.7), "EST": (24.7, 59.4), "JOR": (35.9, 31.9), "FJI": (178.4, -18.1)}
    zones = {"SEN": "Afrique", "EST": "Europe", "JOR": "Moyen-Orient", "FJI": "Indo-Pacifique"}
    for iso3, (lon, lat) in capitals.items():
        view = maps.ZONES[zones[iso3]]
        assert view["lon"][0] <= lon <= view["lon"][1] and view["lat"][0] <= lat <= view["lat"][1], iso3


def test_chosen_countries_start_highlighted_and_a_new_revision_changes_the_figure():
    totals = pd.DataFrame({"country_iso3": ["CIV", "SEN", "TCD"], "value": [5, 7, 9]})
    fig = maps.partner_map(totals, selected=("TCD", "CIV"))
    assert sorted(fig.data[maps.PARTNERS].selectedpoints) == [0, 2]
    again = maps.partner_map(totals, selected=("TCD", "CIV"), revision="2")
    assert again.to_json() != fig.to_json()


def test_an_empty_selection_still_draws_the_world_and_says_so():
    fig = maps.partner_map(pd.DataFrame({"country_iso3": [], "value": []}))
    _draws_every_country(fig)
    assert any(a.text == NO_DATA for a in fig.layout.annotations)
    assert not fig.frames


def test_functions_by_factor_counts_each_factor_of_an_action(actions):
    senegal = query.Filters(countries=("SEN",))
    frame = query.aggregate(actions, senegal, ["strategic_function", "superiority_factor"])
    fig = maps.functions_by_factor(frame)
    heat = fig.data[0]
    assert sum(sum(row) for row in heat.z) == frame["value"].sum()
    assert list(heat.y) == ["Prévention", "Intervention", "Connaissance et anticipation", "Protection"]
    assert "Performance du<br>commandement" in heat.x
    assert maps.functions_by_factor(frame.iloc[0:0]).layout.annotations[0].text == NO_DATA


def test_the_meeting_bubbles_have_a_key_at_their_true_size():
    centroids = {"BEL": (4.6, 50.6), "SEN": (-14.5, 14.4)}
    meetings = pd.DataFrame({"country_iso3": ["BEL", "SEN"], "meetings": [12, 1], "cities": ["Bruxelles", "Dakar"]})
    fig = maps.partner_map(
        pd.DataFrame({"country_iso3": ["SEN"], "value": [5]}),
        meetings=meetings,
        centroids=centroids,
    )
    key = [t for t in fig.data if t.legendgroup == "rencontres"]
    assert [t.name for t in key] == ["1 rencontre", "6 rencontres", "12 rencontres"]
    bubbles = fig.data[maps.MEETINGS]
    # The key's largest and smallest bubbles are those of Brussels (12) and Dakar (1).
    assert key[-1].marker.size == bubbles.marker.size[0] and key[0].marker.size == bubbles.marker.size[1]
    assert fig.layout.showlegend and fig.layout.legend.itemsizing == "trace"
    assert not bubbles.showlegend and all(t.lon == (None,) for t in key)


def test_the_count_of_modes_is_drawn_in_flat_steps_one_per_count(actions):
    fig = _map(actions, "modes")
    partners = fig.data[maps.PARTNERS]
    assert (partners.zmin, partners.zmax) == (0.5, 4.5)
    assert list(partners.colorbar.tickvals) == [1, 2, 3, 4]
    colours_at = {}
    for stop, colour in partners.colorscale:
        colours_at.setdefault(colour, []).append(stop)
    # Four colours, each over one quarter of the scale: a value of 2 or 3 has a colour of its own.
    assert [tuple(stops) for stops in colours_at.values()] == [(0.0, 0.25), (0.25, 0.5), (0.5, 0.75), (0.75, 1.0)]


def test_the_year_slider_says_it_moves_the_map_alone(actions):
    slider = _map(actions).layout.sliders[0]
    assert slider.currentvalue.prefix.startswith("Carte seule")


def test_europe_keeps_scandinavia_and_africa_fills_the_frame():
    europe, africa = maps.ZONES["Europe"], maps.ZONES["Afrique"]
    north_cape, reykjavik = (25.8, 71.2), (-21.9, 64.1)
    for lon, lat in (north_cape, reykjavik):
        assert europe["lon"][0] <= lon <= europe["lon"][1] and europe["lat"][0] <= lat <= europe["lat"][1]
    # Africa's extremes (Cap Blanc, Cape Agulhas, Dakar, Ras Hafun) inside, with little ocean around them.
    for lon, lat in ((9.8, 37.3), (20.0, -34.8), (-17.5, 14.7), (51.4, 10.4)):
        assert africa["lon"][0] <= lon <= africa["lon"][1] and africa["lat"][0] <= lat <= africa["lat"][1]
    assert africa["lon"][1] - africa["lon"][0] < 75 and africa["lat"][1] - africa["lat"][0] < 75


def test_the_change_map_is_centred_on_zero_with_both_periods_on_hover():
    now = pd.DataFrame({"country_iso3": ["SEN", "CIV", "FRA"], "value": [10, 4, 3]})
    before = pd.DataFrame({"country_iso3": ["SEN", "TCD", "CIV"], "value": [4, 6, 4]})
    fig = maps.change_map(now, before, "actions")
    partners = fig.data[maps.PARTNERS]
    # France is drawn apart; Côte d'Ivoire did not change and is left uncoloured.
    assert list(partners.locations) == ["SEN", "TCD"] and list(partners.z) == [6, -6]
    assert partners.zmid == 0 and partners.zmin == -6 and partners.zmax == 6
    assert [list(row) for row in partners.customdata] == [[4, 10], [6, 0]]
    assert partners.colorscale[0][1] != partners.colorscale[-1][1] and "Évolution" in partners.colorbar.title.text
    assert not fig.frames


def test_the_marking_stays_clear_of_the_chart_toolbar(actions):
    (marking,) = [a for a in _map(actions).layout.annotations if a.name == "marquage"]
    # The toolbar shows at the top right: the marking stands at the top left.
    assert marking.x == 0 and marking.xanchor == "left"
