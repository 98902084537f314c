"""Figures of the analysis page: what each mark says, carries for a click, and its colour."""

import itertools
import json

import pyarrow as pa
import pytest

from dashboard import analysis, query
from dashboard.charts import doctrine
from dashboard.charts.base import palette
from dashboard.query import Filters
from dashboard.schema import ACTIONS, REGION_COLORS, STRATEGIC_FUNCTIONS, SUPERIORITY_FACTORS, TAXONOMIES
from tests.test_analysis_counts import ROWS


@pytest.fixture(scope="module")
def actions() -> pa.Table:
    return query.prepare_actions(pa.Table.from_pylist(ROWS, schema=ACTIONS.arrow_schema()))


def test_the_matrix_shows_count_and_share_and_carries_both_codes(actions):
    fig = doctrine.matrix(analysis.matrix(actions, Filters()))
    heatmap, cells = fig.data
    functions, factors = list(STRATEGIC_FUNCTIONS.codes), list(SUPERIORITY_FACTORS.codes)
    influence = factors.index("influence")
    # prévention × influence: 3 of the 4 prévention actions.
    assert heatmap.text[0][influence] == "3<br>75 %"
    assert heatmap.hoverinfo == "skip"
    point = functions.index("prévention") * len(factors) + influence
    assert list(cells.customdata[point][:2]) == ["prévention", "influence"]
    hover = cells.customdata[point][2]
    assert STRATEGIC_FUNCTIONS.get("prévention").definition[:30] in hover.replace("<br>", " ")
    assert SUPERIORITY_FACTORS.get("influence").definition[:30] in hover.replace("<br>", " ")
    # Totals on the axes count each action once: 4 prévention actions, 3 serving coopération.
    assert "Prévention (4)" in fig.layout.yaxis.ticktext
    assert any(text.endswith("(3)") and "Coopération" in text for text in fig.layout.xaxis.ticktext)


def test_a_click_on_a_matrix_cell_maps_to_its_filters(actions):
    fig = doctrine.matrix(analysis.matrix(actions, Filters()))
    point = {"customdata": list(fig.data[1].customdata[9])}
    chosen = analysis.clicked_filters([point], ("functions", "factors"))
    assert chosen == {"functions": ["intervention"], "factors": ["coopération"]}


def test_bars_per_year_take_the_function_colours_and_codes(actions):
    fig = doctrine.per_year(analysis.per_year(actions, Filters()))
    colors = palette("strategic_function")
    assert [t.name for t in fig.data] == ["Prévention", "Intervention", "Protection"]
    for trace, code in zip(fig.data, ["prévention", "intervention", "protection"], strict=True):
        assert trace.marker.color == colors[code]
        assert {data[0] for data in trace.customdata} == {code}
    assert fig.layout.barmode == "stack"


def test_the_region_profile_takes_the_factor_colours_and_region_and_factor_codes(actions):
    fig = doctrine.factor_profile(analysis.factor_profile(actions, Filters()))
    by_name = {t.name: t for t in fig.data}
    masse = by_name["Masse"]
    assert masse.marker.color == SUPERIORITY_FACTORS.get("masse").color
    assert [list(d[:2]) for d in masse.customdata] == [["Afrique", "masse"]]
    europe_total = sum(x for t in fig.data for y, x in zip(t.y, t.x, strict=True) if y == "Europe")
    assert europe_total == pytest.approx(100)


def test_sunburst_sectors_are_named_by_their_path_and_add_up(actions):
    fig = doctrine.sunburst(analysis.sunburst(actions, Filters()))
    sunburst = fig.data[0]
    values = dict(zip(sunburst.ids, sunburst.values, strict=True))
    assert values["Afrique"] == 4
    assert values["Afrique/SEN"] == values["Afrique/SEN/formation"] + values["Afrique/SEN/conseil"] == 3
    colors = dict(zip(sunburst.ids, sunburst.marker.colors, strict=True))
    assert colors["Europe"] == REGION_COLORS["Europe"]
    assert colors["Europe/BEL/entraînement"] == palette("mode")["entraînement"]
    assert analysis.clicked_sector([{"id": "Afrique/CIV/conseil"}]) == {"countries": ["CIV"], "modes": ["conseil"]}
    assert "Sénégal" in sunburst.labels


def test_a_missing_pillar_shows_as_not_given_and_cannot_be_clicked(actions):
    fig = doctrine.breakdown(analysis.breakdown(actions, Filters(), "pillar"), "pillar")
    bar = fig.data[0]
    assert list(bar.y) == ["Coopérer", "Former", "Non renseigné"]
    assert [d[0] for d in bar.customdata] == ["coopérer", "former", ""]
    assert analysis.clicked_filters([{"customdata": list(bar.customdata[2])}], ("pillars",)) == {}
    assert list(bar.marker.color[:2]) == [palette("pillar")["coopérer"], palette("pillar")["former"]]


def test_the_year_comparison_shows_the_change(actions):
    comparison = analysis.year_over_year(actions, Filters())
    fig = doctrine.year_over_year(comparison.factors, "superiority_factor", comparison.year)
    previous, current = fig.data
    assert (previous.name, current.name) == ("2023", "2024")
    changes = dict(zip(current.y, current.text, strict=True))
    assert changes["Influence"] == "+100,0 %"
    assert changes["Masse"] == "nouveau"
    assert changes["Agilité"] == "–"


@pytest.mark.parametrize(
    "figure",
    [
        lambda: doctrine.matrix(analysis.matrix(_empty(), Filters())),
        lambda: doctrine.per_year(analysis.per_year(_empty(), Filters())),
        lambda: doctrine.factor_profile(analysis.factor_profile(_empty(), Filters())),
        lambda: doctrine.sunburst(analysis.sunburst(_empty(), Filters())),
        lambda: doctrine.breakdown(analysis.breakdown(_empty(), Filters(), "framework"), "framework"),
    ],
)
def test_an_empty_selection_says_so(figure):
    assert "Aucune donnée" in json.dumps(figure().to_dict(), ensure_ascii=False)


def _empty() -> pa.Table:
    return query.prepare_actions(ACTIONS.empty())


def _lab(color: str) -> tuple[float, float, float]:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(color[i : i + 2], 16)) for i in (1, 3, 5))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def _contrast_on_white(color: str) -> float:
    r, g, b = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 1.05 / (0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2] + 0.05)


PALETTES = {t.name: t.colors() for t in TAXONOMIES} | {"region": REGION_COLORS}


@pytest.mark.parametrize("name", PALETTES)
def test_each_palette_has_distinct_colours_readable_on_white(name):
    colors = PALETTES[name]
    for (a, ca), (b, cb) in itertools.combinations(colors.items(), 2):
        distance = sum((p - q) ** 2 for p, q in zip(_lab(ca), _lab(cb), strict=True)) ** 0.5
        assert distance >= 15, f"{name}: {a} {ca} and {b} {cb} look alike (ΔE {distance:.0f})"
    for code, color in colors.items():
        assert _contrast_on_white(color) >= 2, f"{name}: {code} {color} too pale on white"


def test_functions_and_regions_never_share_a_colour():
    # Both appear side by side on the analysis page.
    assert not set(STRATEGIC_FUNCTIONS.colors().values()) & set(REGION_COLORS.values())
    assert palette("region") == REGION_COLORS
