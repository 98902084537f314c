"""The partner map in headless Chromium: drawn from the app's own geometry, clicked, light on the wire."""

import pytest

from dashboard.charts import maps
from dashboard.reference import country_name
from tests.browser_metrics import WebSocketMeter
from tests.conftest import wait_for_app, wait_for_charts

pytestmark = pytest.mark.browser

GEOMETRY = "/app/static/world_50m.json"
BUDGET = 30_000  # bytes over the WebSocket per filter change

# The drawn shape of a partner (in the trace maps.PARTNERS): scroll it into view, then find its centre.
_SHAPE = f"""(iso3) => [...document.querySelectorAll('g.choroplethlayer g.trace')[{maps.PARTNERS}]
  .querySelectorAll('path')].find(p => p.__data__ && p.__data__.loc === iso3)"""
# At once: the page's own scrolling is smooth, and the shape's centre is read right after.
_SCROLL = f"(iso3) => ({_SHAPE})(iso3).scrollIntoView({{block: 'center', behavior: 'instant'}})"
_HOVERED = """(name) => [...document.querySelectorAll('.js-plotly-plot .hoverlayer .hovertext')]
  .some(label => label.textContent.includes(name))"""
_CENTRE = f"""(iso3) => {{
  const box = ({_SHAPE})(iso3).getBoundingClientRect();
  return [box.x + box.width / 2, box.y + box.height / 2];
}}"""


def _metric(page, index: int) -> str:
    return page.locator("[data-testid='stMetricValue']").nth(index).inner_text()


def _click_country(page, iso3: str, *, shift: bool = False) -> None:
    page.evaluate(_SCROLL, iso3)
    x, y = page.evaluate(_CENTRE, iso3)
    before = _metric(page, 0)
    page.mouse.move(x, y)  # plotly picks the country under the pointer on hover: its label shows which
    page.wait_for_function(_HOVERED, arg=country_name(iso3, "fr"))
    if shift:
        page.keyboard.down("Shift")
    page.mouse.click(x, y)
    if shift:
        page.keyboard.up("Shift")
    page.wait_for_function(
        "(before) => document.querySelector('[data-testid=stMetricValue]').innerText !== before", arg=before
    )
    wait_for_app(page)


def _geometry_reads(page) -> int:
    return len([u for u in page.requests.urls if u.endswith(GEOMETRY)])


def _open_map(server, page) -> WebSocketMeter:
    meter = WebSocketMeter(page)
    page.goto(f"{server.url}/map")
    wait_for_app(page)
    page.wait_for_selector("g.choroplethlayer path")
    wait_for_charts(page)
    return meter


def test_the_map_draws_every_country_from_the_app_and_nothing_from_outside(server, page):
    _open_map(server, page)
    # The world in grey (the geometry's land and borders), the partners in colour over it.
    for layer in ("land", "countries"):
        drawn = page.locator(f"g.geo g.layer.{layer} path").first.get_attribute("d") or ""
        assert len(drawn) > 100_000, layer
    # The ocean under them: the whole globe, from a ring of a hundred points, not a polygon along every coast.
    ocean = page.locator("g.geo g.layer.ocean path").first
    assert len(ocean.get_attribute("d") or "") < 10_000
    assert ocean.evaluate("path => path.getBBox().width") > 0.95 * page.locator("g.geo g.layer.bg rect").first.evaluate(
        "rect => rect.getBBox().width"
    )
    assert page.locator("g.geo g.choroplethlayer path.choroplethlocation").count() >= 60
    assert [u for u in page.requests.urls if u.endswith(GEOMETRY)], "the geometry was not read from the app"
    assert page.requests.outside() == []


def test_a_click_filters_every_page_lightly_and_opens_the_country_profile(server, page):
    meter = _open_map(server, page)
    geometry_reads = _geometry_reads(page)
    every_partner = _metric(page, 0)

    received = meter.bytes_during(lambda: _click_country(page, "TCD"))
    assert "pays=TCD" in page.url, "the link writes the country's ISO code"
    assert _metric(page, 0) != every_partner
    assert _metric(page, 1) == "1"
    assert received <= BUDGET, f"{received} bytes for one filter change"

    _click_country(page, "NER", shift=True)
    assert "pays=TCD" in page.url and "pays=NER" in page.url
    assert _metric(page, 1) == "2"

    page.get_by_role("button", name="Effacer les pays").click()
    page.wait_for_function("() => !location.search.includes('pays=')")
    wait_for_app(page)
    assert _metric(page, 0) == every_partner

    _click_country(page, "TCD")
    chad = _metric(page, 0)
    page.get_by_role("link", name="Fiche pays : Tchad").click()
    page.wait_for_url("**/country?**")
    wait_for_app(page)
    page.get_by_role("heading", name="Tchad").wait_for()
    assert _metric(page, 0) == chad
    # The geometry crossed the network with the page, not with the clicks and filters.
    assert _geometry_reads(page) == geometry_reads
    assert page.requests.outside() == []


# The top of the drawn map (the ocean of the globe, else its countries) and the right edge of each control.
_MAP_TOP = """() => {
  const drawn = document.querySelector('.js-plotly-plot .geolayer .bg, .js-plotly-plot g.choroplethlayer');
  return drawn.getBoundingClientRect().top + window.scrollY;
}"""
_CONTROLS = """() => {
  const main = document.querySelector('[data-testid=stMainBlockContainer]').getBoundingClientRect();
  return [...document.querySelectorAll('[data-testid=stMain] [data-testid=stSelectbox], '
      + '[data-testid=stMain] [data-testid=stCheckbox]')]
    .map(e => [e.innerText.split('\\n')[0], e.getBoundingClientRect().right <= main.right + 1,
               e.scrollWidth <= e.clientWidth + 1]);
}"""


@pytest.mark.parametrize("size", [(1280, 720), (1400, 900)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_map_starts_above_the_fold_with_its_controls_whole(server, page, size):
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{server.url}/map")
    wait_for_app(page)
    page.wait_for_selector("g.choroplethlayer path")
    top = page.evaluate(_MAP_TOP)
    # A commander sees the map without scrolling: at least a fifth of the window shows it.
    assert top < height * 0.8, f"the map starts at {top:.0f} px in a {height} px window"
    controls = page.evaluate(_CONTROLS)
    assert {c[0] for c in controls} >= {"Couleur selon", "Zone", "Évolution", "Rencontres"}
    assert all(inside and whole for _, inside, whole in controls), controls
