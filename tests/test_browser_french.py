"""Streamlit's own English texts kept out of the pages where a setting or a documented option allows it
(the rest is listed in the README, « French all through »)."""

import pytest

from tests.conftest import wait_for_app

pytestmark = pytest.mark.browser


def test_lists_and_the_app_menu_show_no_english(server, page):
    page.goto(server.url)
    wait_for_app(page)
    # client.toolbarMode = "minimal": no app menu of English entries (Rerun, Settings, Print...).
    assert page.locator("[data-testid='stMainMenu']").count() == 0
    # select_all=False: a filter list offers its values, not « Select all ».
    page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first.click()
    options = page.get_by_role("option")
    options.first.wait_for()
    names = options.all_inner_texts()
    assert "Afrique" in names and not [n for n in names if "Select all" in n or "select all" in n.lower()]
    page.keyboard.press("Escape")
    assert page.get_by_text("Select all").count() == 0
