"""Colours: text contrast (WCAG 2.1) and every palette checked with a colour-vision-deficiency simulator.

The simulator is colorspacious (Machado et al. 2009 at full severity); the distance between two colours is
measured in CAM02-UCS, where about 10 separates colours that a reader tells apart at a glance on a chart.
"""

from itertools import combinations, pairwise

import numpy as np
import pytest
from colorspacious import cspace_convert

from dashboard import schema
from dashboard.charts import maps
from dashboard.colors import contrast, text_on

DEFICIENCIES = ("deuteranomaly", "protanomaly", "tritanomaly")
APART = 10.0
PALETTES = {
    **{t.name: t.colors() for t in vars(schema).values() if isinstance(t, schema.Taxonomy)},
    "region": schema.REGION_COLORS,
}


def _seen(color: str, deficiency: str | None) -> np.ndarray:
    """A `#rrggbb` colour as a reader with `deficiency` (None: typical vision) sees it, in CAM02-UCS."""
    rgb = np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    if deficiency:
        rgb = np.clip(
            cspace_convert(rgb, {"name": "sRGB1+CVD", "cvd_type": deficiency, "severity": 100}, "sRGB1"), 0, 1
        )
    return cspace_convert(rgb, "sRGB1", "CAM02-UCS")


def _distance(first: str, second: str, deficiency: str | None) -> float:
    return float(np.linalg.norm(_seen(first, deficiency) - _seen(second, deficiency)))


def test_contrast_follows_wcag():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    # Streamlit's caption grey of the default theme on white: below the 4.5:1 text needs.
    assert contrast("#828180", "#ffffff") == pytest.approx(3.88, abs=0.01)
    assert text_on("#dbe5f3") == "#000000" and text_on("#14285a") == "#ffffff"


@pytest.mark.parametrize("name", PALETTES)
def test_every_category_colour_carries_readable_text(name):
    for color in PALETTES[name].values():
        assert contrast(color, text_on(color)) >= 4.5, (name, color)


@pytest.mark.parametrize("deficiency", [None, *DEFICIENCIES])
@pytest.mark.parametrize("name", PALETTES)
def test_the_categories_of_a_palette_stay_apart_for_colour_blind_readers(name, deficiency):
    colors = PALETTES[name]
    for (a, first), (b, second) in combinations(colors.items(), 2):
        assert _distance(first, second, deficiency) >= APART, f"{name}: {a} {first} and {b} {second} ({deficiency})"


@pytest.mark.parametrize("deficiency", [None, *DEFICIENCIES])
def test_the_map_scales_read_in_order_for_colour_blind_readers(deficiency):
    def lightness(color: str) -> float:
        return float(_seen(color, deficiency)[0])

    # Sequential scales grow darker with the value, whatever the reader's colour vision.
    for scale in ([c for _, c in maps.COLORSCALE], list(maps.MODE_COLORS)):
        assert all(lightness(a) > lightness(b) for a, b in pairwise(scale)), scale
    # The change map: decreases and increases of the same size stay apart, both darker than no change.
    stops = [c for _, c in maps.DIVERGING]
    low, middle, high = stops[0], stops[len(stops) // 2], stops[-1]
    assert _distance(low, high, deficiency) >= 3 * APART
    assert lightness(middle) > max(lightness(low), lightness(high))
