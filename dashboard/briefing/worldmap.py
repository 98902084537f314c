"""The partner map drawn on the server: geopandas and matplotlib over the Natural Earth geometry of `static/`.

The same topojson the browser's map loads (read through GDAL's TopoJSON
driver), the same colours as the page's map; read and projected once per
process.
"""

from __future__ import annotations

import io
from functools import cache

import numpy as np
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.collections import PathCollection
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.path import Path
from matplotlib.ticker import FuncFormatter

from dashboard import i18n
from dashboard.briefing.model import MapData
from dashboard.charts.maps import BORDER, COLORSCALE, HOME_COLOR, LAND, ZONES
from dashboard.geo import topojson_path
from dashboard.i18n import N_, _
from dashboard.schema import HOME_COUNTRY

PROJECTION = "+proj=natearth +lon_0=0 +datum=WGS84 +units=m"
COLORMAP = LinearSegmentedColormap.from_list("partenaires", COLORSCALE)
HIGHLIGHT = "#111111"
# The key of France's colour, under the map of both writers.
HOME_KEY = N_("France : pays d'origine des détachements")


@cache
def _shapes():
    """Every country of the geometry but Antarctica, projected, one row per polygon; indexed by ISO3 code."""
    import geopandas as gpd

    world = gpd.read_file(topojson_path(), layer="countries").set_crs(4326)
    world = world[world["id"].notna() & (world["id"] != "ATA")]
    parts = world.explode(index_parts=False)
    parts["geometry"] = parts.geometry.map(_split_at_antimeridian)
    return parts.set_index("id").to_crs(PROJECTION)


def _split_at_antimeridian(part):
    """A polygon drawn across the 180th meridian (eastern Russia, Fiji) cut in two there: projected whole,
    it would be a band across the whole map."""
    import shapely
    from shapely.affinity import translate
    from shapely.geometry import box

    west, _south, east, _north = part.bounds
    if east - west <= 180:
        return part
    # In 0-360° of longitude the part is in one piece; cut it at 180° and bring the eastern half back.
    unwrapped = shapely.transform(
        part, lambda xy: np.column_stack([np.where(xy[:, 0] < 0, xy[:, 0] + 360, xy[:, 0]), xy[:, 1]])
    )
    unwrapped = shapely.make_valid(unwrapped)
    return shapely.union(
        unwrapped.intersection(box(0, -90, 180, 90)),
        translate(unwrapped.intersection(box(180, -90, 360, 90)), xoff=-360),
    )


@cache
def _paths() -> tuple[tuple[str, ...], tuple[Path, ...]]:
    """Each polygon of the map as a matplotlib path, with its country's code: made once, drawn as one
    collection (geopandas' own plot converts every geometry again on each call, a second per map)."""
    import shapely

    shapes = _shapes()
    codes, paths = [], []
    for iso3, geometry in zip(shapes.index, shapes.geometry, strict=True):
        for polygon in shapely.get_parts(geometry):
            if polygon.geom_type != "Polygon" or polygon.is_empty:
                continue
            rings = [polygon.exterior, *polygon.interiors]
            paths.append(Path.make_compound_path(*(Path(np.asarray(r.coords)[:, :2], closed=True) for r in rings)))
            codes.append(str(iso3))
    return tuple(codes), tuple(paths)


def prepare() -> None:
    """Read, project and convert the geometry now (about a second), so that the first map drawn does not wait."""
    _paths()


@cache
def _bounds(zone: str) -> tuple[float, float, float, float]:
    """The projected box of a zone's longitudes and latitudes (edges sampled: the projection bends them)."""
    from pyproj import Transformer

    view = ZONES[zone]
    (west, east), (south, north) = view["lon"], view["lat"]
    east = min(east, 180)
    lons = np.concatenate([np.linspace(west, east, 50)] * 2 + [np.full(50, west), np.full(50, east)])
    lats = np.concatenate([np.full(50, south), np.full(50, north)] + [np.linspace(south, north, 50)] * 2)
    x, y = Transformer.from_crs(4326, PROJECTION, always_xy=True).transform(lons, lats)
    return float(np.min(x)), float(np.max(x)), float(np.min(y)), float(np.max(y))


def draw(ax: Axes, data: MapData, *, colorbar_ax: Axes | None = None) -> None:
    """The map into `ax`: land in grey, partners by value, France apart, the chosen country outlined;
    the colour scale into `colorbar_ax` when given."""
    codes, paths = _paths()
    top = max(data.values.values(), default=1)
    norm = Normalize(vmin=0, vmax=top)

    def fill(iso3: str):
        if iso3 == HOME_COUNTRY:
            return HOME_COLOR
        return COLORMAP(norm(data.values[iso3])) if iso3 in data.values else LAND

    ax.set_facecolor("#f7f9fc")
    ax.add_collection(PathCollection(paths, facecolors=[fill(c) for c in codes], edgecolors=BORDER, linewidths=0.3))
    chosen = [path for code, path in zip(codes, paths, strict=True) if code == data.highlight]
    if chosen:
        ax.add_collection(PathCollection(chosen, facecolors="none", edgecolors=HIGHLIGHT, linewidths=1.2))
    west, east, south, north = _bounds(data.zone if data.zone in ZONES else "Monde")
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    for spine in ax.spines.values():
        spine.set_visible(False)
    if colorbar_ax is not None:
        scale = ScalarMappable(norm=norm, cmap=COLORMAP)
        bar = ax.figure.colorbar(scale, cax=colorbar_ax, orientation="horizontal")
        bar.set_label(_(data.value_name), fontsize=8)
        bar.ax.tick_params(labelsize=7)
        bar.ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: i18n.number(v)))
        bar.outline.set_visible(False)


def png(data: MapData, *, width: float = 11.0, height: float = 5.6, dpi: int = 130) -> bytes:
    """The map with its colour scale and a key for France, as a PNG picture."""
    figure = Figure(figsize=(width, height), dpi=dpi)
    ax = figure.add_axes((0, 0.12, 1, 0.88))
    scale = figure.add_axes((0.30, 0.06, 0.40, 0.025))
    draw(ax, data, colorbar_ax=scale)
    figure.text(0.74, 0.055, "■", color=HOME_COLOR, fontsize=12, va="center")
    figure.text(0.755, 0.055, _(HOME_KEY), fontsize=8, va="center")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return buffer.getvalue()
