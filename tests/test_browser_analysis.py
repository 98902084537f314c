"""The analysis page in headless Chromium: a click on a matrix cell filters the whole page, one button undoes it."""

import io
from pathlib import Path

import openpyxl
import pytest

from dashboard import i18n, links, query
from dashboard.query import Filters
from dashboard.schema import STRATEGIC_FUNCTIONS, SUPERIORITY_FACTORS
from dashboard.store import Store
from tests.browser_metrics import WebSocketMeter
from tests.conftest import wait_for_app, wait_for_charts

pytestmark = pytest.mark.browser


def _actions_figure(page) -> str:
    return page.locator("[data-testid='stMetricValue']").first.inner_text().replace("\u202f", " ")


def _click_cell(page, function: str, factor: str) -> None:
    """Move onto the cell, so plotly knows the point under the pointer, then click it."""
    index = STRATEGIC_FUNCTIONS.codes.index(function) * len(SUPERIORITY_FACTORS.codes)
    index += SUPERIORITY_FACTORS.codes.index(factor)
    matrix = page.locator("[data-testid='stPlotlyChart']").first
    matrix.scroll_into_view_if_needed()
    box = matrix.locator(".scatterlayer path.point").nth(index).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x - 5, y - 5)
    page.mouse.move(x, y)
    matrix.locator(".hoverlayer .hovertext").wait_for()  # plotly clicks the point its label shows
    page.mouse.click(x, y)


def test_a_click_on_a_matrix_cell_filters_the_page_and_the_button_clears_it(server, page, demo_store_root):
    actions = query.prepare_actions(Store(demo_store_root).read("actions"))
    bounds = query.date_bounds(actions)
    period = Filters(start=bounds[0].replace(month=1, day=1), end=bounds[1].replace(month=12, day=31))
    chosen = period.change(functions=("protection",), factors=("masse",))
    expected = i18n.number(query.key_figures(actions, chosen).actions).replace("\u202f", " ")
    everything = i18n.number(query.key_figures(actions, period).actions).replace("\u202f", " ")

    page.goto(server.url)
    wait_for_app(page)
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_text("Analyse par fonction et facteur").click()
    page.wait_for_url("**/analysis**")
    wait_for_app(page)
    page.locator("[data-testid='stPlotlyChart'] .scatterlayer path.point").first.wait_for(state="attached")
    assert _actions_figure(page) == everything

    _click_cell(page, "protection", "masse")
    page.wait_for_url(lambda url: "fonction=" in url and "facteur=" in url)
    wait_for_app(page)
    page.wait_for_function(
        "expected => document.querySelector('[data-testid=\"stMetricValue\"]').innerText.replace(/\\u202f/g, ' ')"
        " === expected",
        arg=expected,
    )
    assert "fonction=protection" in page.url and "facteur=masse" in page.url
    assert "Protection" in sidebar.inner_text() and "Masse" in sidebar.inner_text()
    # The matrix highlights the click (a cross-filter): every row keeps its figures, and a white veil
    # dims each of the 31 other cells.
    matrix = page.locator("[data-testid='stPlotlyChart']").first
    assert "Prévention (0)" not in matrix.inner_text()
    matrix.locator(".shapelayer path").first.wait_for(state="attached")
    assert matrix.locator(".shapelayer path").count() == 4 * 8 - 1

    clear = page.get_by_role("button", name="Effacer la sélection du graphique")
    assert clear.is_enabled()
    clear.click()
    page.wait_for_function(
        "expected => document.querySelector('[data-testid=\"stMetricValue\"]').innerText.replace(/\\u202f/g, ' ')"
        " === expected",
        arg=everything,
    )
    assert "fonction=" not in page.url and "facteur=" not in page.url
    assert page.requests.outside() == []


BUDGET = 30_000  # bytes over the WebSocket per filter change


def _open_analysis(server, page, query: str = "") -> WebSocketMeter:
    meter = WebSocketMeter(page)
    page.goto(f"{server.url}/analysis{query}")
    wait_for_app(page)
    # The matrix and the open tab's chart are in the page before waiting for plotly to draw them all.
    page.wait_for_function("() => document.querySelectorAll('[data-testid=\"stPlotlyChart\"]').length >= 2")
    wait_for_charts(page)
    return meter


def _choose_region(page, region: str) -> None:
    page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first.click()
    page.get_by_role("option", name=region).click()
    page.keyboard.press("Escape")
    page.wait_for_url(f"**region={links.slug(region)}**")
    wait_for_app(page)


# The first tab, and the one with the largest figures beside the matrix.
@pytest.mark.parametrize("query", ["", "?vue=Facteurs+par+r%C3%A9gion"])
def test_a_sidebar_filter_change_sends_little_to_the_browser(server, page, query):
    meter = _open_analysis(server, page, query)
    before = _actions_figure(page)
    charts = page.locator("[data-testid='stPlotlyChart']").count()

    received = meter.bytes_during(lambda: _choose_region(page, "Afrique"))
    assert _actions_figure(page) != before
    # The matrix and the open tab's charts only.
    assert page.locator("[data-testid='stPlotlyChart']").count() == charts == 2
    assert received <= BUDGET, f"{received} bytes for one filter change"
    assert page.requests.outside() == []


def test_a_tab_is_drawn_when_opened_kept_in_the_link_and_its_charts_filter_on_click(server, page):
    _open_analysis(server, page)
    tabs = page.locator("[data-testid='stTabs']")
    tabs.get_by_role("tab", name="Piliers et cadres").click()
    page.wait_for_url("**vue=piliers-et-cadres**")
    wait_for_app(page)
    page.get_by_role("heading", name="Par cadre").wait_for()
    assert page.locator("[data-testid='stPlotlyChart']").count() == 3

    # A click on the bar of « Former » (the second pillar) filters every page on it.
    pillars = page.locator("[data-testid='stPlotlyChart']").nth(1)
    pillars.scroll_into_view_if_needed()
    bar = pillars.locator(".barlayer .point path").nth(1)
    box = bar.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x - 5, y)
    page.mouse.move(x, y)
    pillars.locator(".hoverlayer .hovertext").wait_for()
    page.mouse.click(x, y)
    page.wait_for_url("**pilier=former**")
    wait_for_app(page)
    assert "vue=piliers-et-cadres" in page.url
    assert "Former" in page.locator("[data-testid='stSidebar']").inner_text()
    assert page.get_by_role("button", name="Effacer la sélection du graphique").is_enabled()

    # Another page's address keeps the filter but not the tab; coming back opens the same tab.
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_text("Vue d'ensemble").click()
    page.wait_for_url(lambda url: "/analysis" not in url)
    wait_for_app(page)
    assert "pilier=former" in page.url and "vue=" not in page.url
    sidebar.get_by_text("Analyse par fonction et facteur").click()
    page.wait_for_url("**/analysis?*vue=piliers-et-cadres**")
    wait_for_app(page)
    assert page.locator("[data-testid='stTabs'] [aria-selected='true']").inner_text() == "Piliers et cadres"
    assert page.requests.outside() == []


def test_the_analysis_downloads_as_an_excel_workbook_with_the_marking(server, page):
    _open_analysis(server, page, "?region=Europe")
    card = page.locator("[data-testid='stMetric']").filter(has_text="Actions").first
    shown = int("".join(ch for ch in card.locator("[data-testid='stMetricValue']").inner_text() if ch.isdigit()))
    with page.expect_download() as download:
        page.get_by_role("button", name="Exporter (Excel)").click()
    assert download.value.suggested_filename == "analyse-pmo.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert book.sheetnames == ["Sélection", "Fonction × facteur", "Par année", "Facteurs par région",
                               "Pays et modes", "Piliers", "Cadres"]  # fmt: skip
    for sheet in book.worksheets:
        assert sheet["A1"].value == "NON PROTÉGÉ"
    summary = {row[0]: row[1] for row in book["Sélection"].iter_rows(min_row=3, values_only=True)}
    assert summary["Régions"] == "Europe"
    assert summary["Total : actions"] == shown  # the figure the page shows
    grid = list(book["Fonction × facteur"].iter_rows(min_row=3, values_only=True))
    assert sum(row[-1] for row in grid) == shown  # each action once, under its function
    assert {row[0] for row in book["Pays et modes"].iter_rows(min_row=3, values_only=True)} == {"Europe"}
    assert page.requests.outside() == []


def test_the_factor_profile_gives_its_sentence_and_its_data_when_opened(server, page):
    _open_analysis(server, page, "?vue=Facteurs+par+r%C3%A9gion")
    expander = page.locator(".st-key-analyse_profil_donnees")
    assert (
        expander.locator("summary")
        .inner_text()
        .replace("\u2060", "")
        .endswith("Profil des facteurs par région : données et résumé")
    )
    expander.locator("summary").click()
    wait_for_app(page)
    table = expander.locator("[data-testid='stDataFrame']")
    table.wait_for()
    assert "Profil des facteurs par région : la plus forte part est « " in expander.inner_text().replace("\u2060", "")
