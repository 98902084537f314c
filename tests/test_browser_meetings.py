"""The meetings page in headless Chromium: a click on an event of the timeline shows its details."""

import pytest
from playwright.sync_api import expect

from tests.conftest import wait_for_app

pytestmark = pytest.mark.browser

# The centre of the mark (milestone diamond or bar) of one meeting, found through
# the data plotly binds to each trace's SVG group.
_MARK_CENTRE = """
(id) => {
  const chart = document.querySelector('.js-plotly-plot');
  for (const layer of ['.scatterlayer', '.barlayer']) {
    for (const trace of chart.querySelectorAll(layer + ' .trace')) {
      const data = trace.__data__ && trace.__data__[0] && trace.__data__[0].trace;
      const index = ((data && data.customdata) || []).findIndex((c) => c[0] === id);
      if (index < 0 || data.name === 'Rencontre choisie') continue;
      const mark = trace.querySelectorAll('.point')[index];
      const box = mark.getBoundingClientRect();
      return {x: box.x + box.width / 2, y: box.y + box.height / 2};
    }
  }
  return null;
}
"""


def _details(page, title: str) -> str:
    """The text of the details panel, once it shows the event `title` and the run that drew it is over (the title
    comes first: read earlier, the lines under it may still be the previous event's)."""
    box = page.locator(".st-key-rencontre_detail")
    expect(box.locator("h3")).to_contain_text(title, timeout=30_000)
    wait_for_app(page)
    return box.inner_text()


def _click_event(page, meeting_id: str) -> None:
    # At once: the page's own scrolling is smooth, and the mark's centre is read right after.
    page.locator(".js-plotly-plot").first.evaluate("e => e.scrollIntoView({block: 'center', behavior: 'instant'})")
    centre = page.evaluate(_MARK_CENTRE, meeting_id)
    assert centre is not None, f"{meeting_id} is not drawn on the timeline"
    page.mouse.click(centre["x"], centre["y"])


def test_clicking_events_on_the_timeline_shows_their_details(server, page):
    page.goto(server.url)
    wait_for_app(page)
    page.locator("[data-testid='stSidebar']").get_by_text("Rencontres internationales").click()
    page.wait_for_url("**/meetings**")
    wait_for_app(page)
    page.get_by_text("Cliquez sur une rencontre de la frise").wait_for()

    # A milestone (one-day event): the CaMo agreement entering into force.
    _click_event(page, "RCT-2019-CAMO")
    details = _details(page, "Entrée en vigueur de l'accord CaMo")
    assert "21 juin 2019" in details
    assert "Programme CaMo" in details
    assert "Belgique" in details
    assert "Scorpion" in details

    # A bar (multi-day event): exercise Brunet-Takamori 24 in Japan replaces it.
    wait_for_app(page)
    _click_event(page, "RCT-2024-BRUNET-TAKAMORI")
    details = _details(page, "Exercice Brunet-Takamori 24")
    assert "du 5 nov. 2024 au 22 nov. 2024" in details
    assert "Japon" in details
    assert "zone indopacifique" in details
    assert "CaMo" not in details

    assert page.requests.outside() == []
