"""Figures of the analysis page: what each mark says, carries for a click, and its colour."""

import html
import itertools
import json
import re

import pyarrow as pa
import pytest

from dashboard import analysis, query
from dashboard.charts import analysis as analysis_charts
from dashboard.charts.base import palette
from dashboard.query import Filters
from dashboard.schema import ACTIONS, REGION_COLORS, STRATEGIC_FUNCTIONS, SUPERIORITY_FACTORS, TAXONOMIES
from tests.test_analysis_counts import ROWS


@pytest.fixture(scope="module")
def actions() -> pa.Table:
    return query.prepare_actions(pa.Table.from_pylist(ROWS, schema=ACTIONS.arrow_schema()))


def test_the_matrix_shows_count_and_share_and_carries_both_codes(actions):
    fig = analysis_charts.matrix(analysis.matrix(actions, Filters()))
    heatmap, cells = fig.data
    functions, factors = list(STRATEGIC_FUNCTIONS.codes), list(SUPERIORITY_FACTORS.codes)
    influence = factors.index("influence")
    # prévention × influence: 3 of the 4 prévention actions.
    # As plotly draws it: charts.base.text writes % as a character reference.
    assert html.unescape(heatmap.text[0][influence]) == "3<br>75 %"
    assert heatmap.hoverinfo == "skip"
    point = functions.index("prévention") * len(factors) + influence
    # Codes for a click, then numbers plotly formats: count, share in percent, function total.
    assert list(cells.customdata[point]) == ["prévention", "influence", 3, 75.0, 4]
    assert cells.text[point] == "Prévention × Influence"
    assert "%{customdata[2]:,.0f} actions" in cells.hovertemplate
    assert "%{customdata[3]:.0f} % de la fonction (%{customdata[4]:,.0f})" in cells.hovertemplate
    assert "Cliquer pour filtrer" in cells.hovertemplate
    # Totals on the axes count each action once: 4 prévention actions, 3 serving coopération.
    assert "Prévention (4)" in fig.layout.yaxis.ticktext
    assert any(text.endswith("(3)") and "Coopération" in text for text in fig.layout.xaxis.ticktext)


def test_figures_carry_no_definition_per_point_and_no_long_floats(actions):
    """Hover texts are templates over numbers: every string in a figure's customdata is a short code."""
    comparison = analysis.year_over_year(actions, Filters())
    figures = [
        analysis_charts.matrix(analysis.matrix(actions, Filters())),
        analysis_charts.per_year(analysis.per_year(actions, Filters())),
        analysis_charts.factor_profile(analysis.factor_profile(actions, Filters())),
        analysis_charts.sunburst(analysis.sunburst(actions, Filters())),
        analysis_charts.breakdown(analysis.breakdown(actions, Filters(), "pillar"), "pillar"),
        analysis_charts.year_over_year(comparison.factors, "superiority_factor", comparison.year),
    ]
    for fig in figures:
        spec = fig.to_plotly_json()
        for trace in spec["data"]:
            values = json.dumps(trace.get("customdata", []), ensure_ascii=False)
            assert "<br>" not in values and len(values) < 80 * max(1, len(trace.get("customdata", []))), values
        floats = re.findall(r"\d+\.\d{4,}", json.dumps(spec["data"]))
        assert not floats, floats


def test_a_category_definition_is_in_its_trace_template_once(actions):
    fig = analysis_charts.per_year(analysis.per_year(actions, Filters()))
    prevention = fig.data[0]
    assert analysis_charts.definition("strategic_function", "prévention").split("<br>")[0] in prevention.hovertemplate
    assert "%{y:,.0f} actions" in prevention.hovertemplate
    profile = analysis_charts.factor_profile(analysis.factor_profile(actions, Filters()))
    influence = next(t for t in profile.data if t.name == "Influence")
    assert analysis_charts.definition("superiority_factor", "influence").split("<br>")[0] in influence.hovertemplate
    assert "%{x:.1f} % des facteurs servis (%{customdata[2]:,.0f} actions)" in influence.hovertemplate


def test_a_click_on_a_matrix_cell_maps_to_its_filters(actions):
    fig = analysis_charts.matrix(analysis.matrix(actions, Filters()))
    point = {"customdata": list(fig.data[1].customdata[9])}
    chosen = analysis.clicked_filters([point], ("functions", "factors"))
    assert chosen == {"functions": ["intervention"], "factors": ["coopération"]}


def test_bars_per_year_take_the_function_colours_and_codes(actions):
    fig = analysis_charts.per_year(analysis.per_year(actions, Filters()))
    colors = palette("strategic_function")
    assert [t.name for t in fig.data] == ["Prévention", "Intervention", "Protection"]
    for trace, code in zip(fig.data, ["prévention", "intervention", "protection"], strict=True):
        assert trace.marker.color == colors[code]
        assert set(trace.customdata) == {code}
        assert analysis.clicked_filters([{"customdata": trace.customdata[0]}], ("functions",)) == {"functions": [code]}
    assert fig.layout.barmode == "stack"


def test_the_region_profile_takes_the_factor_colours_and_region_and_factor_codes(actions):
    fig = analysis_charts.factor_profile(analysis.factor_profile(actions, Filters()))
    by_name = {t.name: t for t in fig.data}
    masse = by_name["Masse"]
    assert masse.marker.color == SUPERIORITY_FACTORS.get("masse").color
    assert [list(d[:2]) for d in masse.customdata] == [["Afrique", "masse"]]
    europe_total = sum(x for t in fig.data for y, x in zip(t.y, t.x, strict=True) if y == "Europe")
    assert europe_total == pytest.approx(100)


def test_sunburst_sectors_are_named_by_their_path_and_add_up(actions):
    fig = analysis_charts.sunburst(analysis.sunburst(actions, Filters()))
    sunburst = fig.data[0]
    path = analysis.sunburst_id
    values = dict(zip(sunburst.ids, sunburst.values, strict=True))
    assert values["Afrique"] == 4
    assert (
        values[path("Afrique", "SEN")]
        == values[path("Afrique", "SEN", "formation")] + values[path("Afrique", "SEN", "conseil")]
        == 3
    )
    colors = dict(zip(sunburst.ids, sunburst.marker.colors, strict=True))
    assert colors["Europe"] == REGION_COLORS["Europe"]
    assert colors[path("Europe", "BEL", "entraînement")] == palette("mode")["entraînement"]
    # A country takes its region's colour from plotly, or from the figure when its region is alone.
    assert colors[path("Europe", "BEL")] is None
    alone = analysis_charts.sunburst(analysis.sunburst(actions, Filters(regions=("Europe",)))).data[0]
    assert dict(zip(alone.ids, alone.marker.colors, strict=True))[path("Europe", "BEL")] == REGION_COLORS["Europe"]
    assert analysis.clicked_sector([{"id": path("Afrique", "CIV", "conseil")}]) == {
        "countries": ["CIV"],
        "modes": ["conseil"],
    }
    assert "Sénégal" in sunburst.labels
    # The share of the selection, in percent, for plotly's hover; the rest is plotly's own label and value.
    assert dict(zip(sunburst.ids, sunburst.customdata, strict=True))["Afrique"] == pytest.approx(
        100 * 4 / sum(v for i, v in values.items() if analysis.PATH_SEPARATOR not in i), abs=0.05
    )
    assert "%{label}" in sunburst.hovertemplate and "%{value:,.0f} actions" in sunburst.hovertemplate


def test_the_sunburst_stops_at_the_countries_when_there_are_many(actions, monkeypatch):
    monkeypatch.setattr(analysis_charts, "SUNBURST_MODES_UP_TO", 2)
    sunburst = analysis_charts.sunburst(analysis.sunburst(actions, Filters())).data[0]
    assert max(i.count(analysis.PATH_SEPARATOR) for i in sunburst.ids) == 1
    assert analysis.sunburst_id("Afrique", "SEN") in sunburst.ids


def test_a_missing_pillar_shows_as_not_given_and_cannot_be_clicked(actions):
    fig = analysis_charts.breakdown(analysis.breakdown(actions, Filters(), "pillar"), "pillar")
    bar = fig.data[0]
    assert list(bar.y) == ["Coopérer", "Former", "Non renseigné"]
    assert list(bar.customdata) == ["coopérer", "former", ""]
    assert analysis.clicked_filters([{"customdata": bar.customdata[2]}], ("pillars",)) == {}
    assert analysis.clicked_filters([{"customdata": bar.customdata[0]}], ("pillars",)) == {"pillars": ["coopérer"]}
    assert list(bar.marker.color[:2]) == [palette("pillar")["coopérer"], palette("pillar")["former"]]
    # Each bar's definition once, in its own hover template.
    assert analysis_charts.definition("pillar", "former").split("<br>")[0] in bar.hovertemplate[1]
    assert "%{x:,.0f} actions" in bar.hovertemplate[2]


def test_the_year_comparison_shows_the_change(actions):
    comparison = analysis.year_over_year(actions, Filters())
    fig = analysis_charts.year_over_year(comparison.factors, "superiority_factor", comparison.year)
    previous, current = fig.data
    assert (previous.name, current.name) == ("2023", "2024")
    # The current year's bars take their category's colour, so the key says which bars are which year.
    assert not fig.layout.showlegend
    key = next(a.text for a in fig.layout.annotations if "2024" in a.text)
    assert f"color:{analysis_charts.PREVIOUS_COLOR}'>■</span> 2023" in key and "■ 2024 (couleur de la catégorie)" in key
    changes = dict(zip(current.y, map(html.unescape, current.text), strict=True))
    assert changes["Influence"] == "+100,0 %"
    assert changes["Masse"] == "nouveau"
    assert changes["Agilité"] == "–"
    influence = list(current.y).index("Influence")
    assert list(current.customdata[influence]) == ["influence", 1, 2, "+100,0 &#37;"]
    assert "%{customdata[1]:,.0f} actions" in current.hovertemplate


@pytest.mark.parametrize(
    "figure",
    [
        lambda: analysis_charts.matrix(analysis.matrix(_empty(), Filters())),
        lambda: analysis_charts.per_year(analysis.per_year(_empty(), Filters())),
        lambda: analysis_charts.factor_profile(analysis.factor_profile(_empty(), Filters())),
        lambda: analysis_charts.sunburst(analysis.sunburst(_empty(), Filters())),
        lambda: analysis_charts.breakdown(analysis.breakdown(_empty(), Filters(), "framework"), "framework"),
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
