"""Shared links to a page work from the very first visit after the server starts."""

import pytest
from playwright.sync_api import expect

from tests.conftest import wait_for_app

pytestmark = pytest.mark.browser


def test_the_first_visit_to_a_page_link_opens_that_page_through_the_entry_script(fresh_server, page):
    page.goto(f"{fresh_server.url}/country?pays=S%C3%A9n%C3%A9gal")
    wait_for_app(page)
    main = page.locator("[data-testid='stMain']")
    expect(main.get_by_role("heading", name="Sénégal")).to_be_visible()
    # A link shared before carries the French name; the address now reads the ISO code, in every language.
    page.wait_for_url("**/country?pays=SEN")
    # The entry script ran: the shared filters and the marking are there.
    expect(page.locator("[data-testid='stSidebar']")).to_contain_text("Filtres")
    expect(page.get_by_text("NON PROTÉGÉ").first).to_be_visible()
    assert page.get_by_text("Page not found").count() == 0
    assert page.get_by_text("Accès refusé").count() == 0


def test_the_first_visit_to_the_about_page_shows_no_error(fresh_server, page):
    page.goto(f"{fresh_server.url}/about")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="À propos des données")).to_be_visible()
    assert page.get_by_text("Page not found").count() == 0


@pytest.fixture
def anonymous_viewer_server(server_factory, demo_store_root, monkeypatch, tmp_path):
    monkeypatch.delenv("PMO_DEMO_ACCESS")
    settings = {
        "PMO_ANONYMOUS": "viewer",
        "PMO_ACCOUNTS": str(tmp_path / "accounts.json"),
        "PMO_AUDIT_LOG": str(tmp_path / "audit.log"),
    }
    return server_factory(demo_store_root, settings)


def test_the_first_visit_to_a_staff_page_by_an_anonymous_viewer_is_refused(anonymous_viewer_server, page):
    """The first run after a restart is the one Streamlit would serve without the entry script."""
    page.goto(f"{anonymous_viewer_server.url}/import")
    wait_for_app(page)
    main = page.locator("[data-testid='stMain']")
    expect(main).to_contain_text("Accès refusé")
    expect(main).to_contain_text("Importer des données")
    assert main.locator("[data-testid='stFileUploader']").count() == 0
    assert page.get_by_text("Page not found").count() == 0
