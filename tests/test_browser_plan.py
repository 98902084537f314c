"""The Programmation page in headless Chromium: reached from the menu, charts drawn, nothing fetched outside."""

import pytest

from tests.conftest import wait_for_app

pytestmark = pytest.mark.browser


def test_the_plan_opens_from_the_menu_with_its_charts_and_follows_the_shared_filters(server, page):
    page.goto(server.url)
    wait_for_app(page)
    page.get_by_role("link", name="Programmation").click()
    wait_for_app(page)
    assert page.url.endswith("/plan")
    page.get_by_role("heading", name="Charge des unités").wait_for()
    # Four charts drawn by plotly: months ahead, units' load, realisation, reasons.
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 4")
    assert page.locator(".js-plotly-plot").count() == 4
    card = page.locator("[data-testid='stMetric']").filter(has_text="Prévues sur 12 mois")
    everywhere = card.locator("[data-testid='stMetricValue']").inner_text()
    # The red marks of a unit committed in two places at once are drawn and named in the legend.
    assert page.get_by_text("Unité engagée dans deux pays ou plus").count() >= 1

    page.goto(f"{server.url}/plan?region=Europe")
    wait_for_app(page)
    europe = card.locator("[data-testid='stMetricValue']").inner_text()
    assert int("".join(c for c in europe if c.isdigit())) < int("".join(c for c in everywhere if c.isdigit()))
    page.get_by_text("Par pays", exact=True).click()
    wait_for_app(page)
    # The months now stack the leading partners, the rest together.
    page.locator(".js-plotly-plot .legendtext").filter(has_text="Autres pays").first.wait_for()
    assert page.locator(".js-plotly-plot .legendtext").filter(has_text="Afrique").count() == 0
    assert page.requests.outside() == []
