"""Shared links to a page work from the very first visit after the server starts."""

import pytest
from playwright.sync_api import expect

from tests.conftest import wait_for_app

pytestmark = pytest.mark.browser


def test_the_first_visit_to_a_page_link_opens_that_page_through_the_entry_script(server, page):
    page.goto(f"{server.url}/country?pays=S%C3%A9n%C3%A9gal")
    wait_for_app(page)
    main = page.locator("[data-testid='stMain']")
    expect(main.get_by_role("heading", name="Sénégal")).to_be_visible()
    # The entry script ran: the shared filters and the marking are there.
    expect(page.locator("[data-testid='stSidebar']")).to_contain_text("Filtres")
    expect(page.get_by_text("NON PROTÉGÉ").first).to_be_visible()
    assert page.get_by_text("Page not found").count() == 0
    assert page.get_by_text("Accès refusé").count() == 0


def test_the_first_visit_to_the_about_page_shows_no_error(server, page):
    page.goto(f"{server.url}/about")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="À propos des données")).to_be_visible()
    assert page.get_by_text("Page not found").count() == 0
