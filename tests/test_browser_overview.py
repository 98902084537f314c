"""The overview in headless Chromium, served by a real `python -m dashboard.server`."""

import pytest
from playwright.sync_api import expect

from tests.conftest import wait_for_app, wait_for_charts
from tests.documents import pdf_sheets

pytestmark = pytest.mark.browser


def test_overview_loads_with_key_figures_and_no_outside_request(server, page):
    page.goto(server.url)
    wait_for_app(page)
    page.get_by_text("Partenariat militaire opérationnel").first.wait_for()
    metrics = page.locator("[data-testid='stMetric']")
    metrics.first.wait_for()
    expect(metrics).to_have_count(5)  # the cards arrive in the run's messages one after another
    labels = [metrics.nth(i).inner_text() for i in range(5)]
    assert "Actions" in labels[0]
    # Planned actions stand apart from the realised ones the other figures count.
    assert any("prévues" in label for label in labels)
    page.locator(".js-plotly-plot").first.wait_for()
    wait_for_app(page)
    wait_for_charts(page)
    assert page.requests.urls, "the browser recorded no request at all"
    assert page.requests.outside() == []


def _metric(page, index: int) -> str:
    return page.locator("[data-testid='stMetricValue']").nth(index).inner_text()


def test_a_copied_link_reopens_the_same_filtered_view(server, page):
    page.goto(server.url)
    wait_for_app(page)
    all_countries = _metric(page, 1)

    page.goto(f"{server.url}/?region=Europe")
    wait_for_app(page)
    expect(page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first).to_contain_text("Europe")
    europe_countries = _metric(page, 1)
    assert int(europe_countries.replace("\u202f", "")) < int(all_countries.replace("\u202f", ""))


def test_choosing_a_filter_writes_it_into_the_url_and_it_survives_a_page_switch(server, page):
    page.goto(server.url)
    wait_for_app(page)
    before = _metric(page, 0)
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.locator("[data-testid='stMultiSelect']").first.click()
    page.get_by_role("option", name="Afrique").click()
    page.keyboard.press("Escape")
    page.wait_for_url("**region=afrique**")
    wait_for_app(page)
    assert _metric(page, 0) != before
    sidebar.get_by_text("À propos des données").click()
    page.wait_for_url("**/about**")
    wait_for_app(page)
    sidebar.get_by_text("Vue d'ensemble").click()
    wait_for_app(page)
    assert "region=afrique" in page.url, "the link writes the region's slug"
    expect(sidebar.locator("[data-testid='stMultiSelect']").first).to_contain_text("Afrique")


def test_the_overview_prints_for_a_briefing_with_the_marking_on_every_sheet(shared, page):
    marking = 'DIFFUSION RESTREINTE "</style><b>'  # a marking that tries to close the print style
    server = shared(PMO_MARKING=marking)
    page.goto(server.url)
    wait_for_app(page)
    wait_for_charts(page)
    sheets = pdf_sheets(page.pdf(prefer_css_page_size=True, print_background=True))
    assert len(sheets) >= 2
    for text in sheets:
        assert text.startswith(marking), text[:80]  # the band in the top margin
        assert text.count(marking) >= 2  # and the one in the bottom margin
        assert "Filtres" not in text  # the sidebar stays on screen
    assert "Partenariat militaire opérationnel" in sheets[0]
    assert "Principaux pays partenaires" in sheets[-1]
    assert page.requests.outside() == []


def test_every_region_of_the_doughnut_is_labelled(server, page):
    # The narrowest window the dashboard is read in: the doughnut's column is at its smallest.
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(server.url)
    wait_for_app(page)
    doughnut = page.locator(".st-key-overview_regions .js-plotly-plot")
    doughnut.scroll_into_view_if_needed()
    doughnut.locator("g.slice").first.wait_for()
    slices = doughnut.locator("g.slice").count()
    labels = [t for t in doughnut.locator("g.slice text.slicetext").all_text_contents() if t.strip()]
    # A thin slice (the Americas, 4 %) keeps its label too, outside the ring.
    assert slices >= 5 and len(labels) == slices, labels


def test_each_chart_has_a_sentence_and_its_data_as_a_table(server, page):
    page.goto(server.url)
    wait_for_app(page)
    main = page.locator("[data-testid='stMain']")
    # Four charts, four sentences naming what leads, each opening onto the chart's data.
    sentences = main.locator("[data-testid='stExpander'] summary").all_inner_texts()
    assert len([s for s in sentences if ": total " in s.replace("\u2060", "")]) == 4
    expander = page.locator(".st-key-overview_regions_donnees")
    assert "Actions par région : total " in expander.inner_text().replace("\u2060", "")
    expander.locator("summary").click()
    wait_for_app(page)
    table = expander.locator("[data-testid='stDataFrame']")
    table.wait_for()
    assert table.is_visible()


@pytest.mark.parametrize("size", [(1280, 720), (1400, 900)])
def test_the_key_figure_labels_are_whole_and_the_figures_level(server, page, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(server.url)
    wait_for_app(page)
    labels = page.locator("[data-testid='stMetricLabel'] [data-testid='stMarkdownContainer']")
    labels.nth(4).wait_for()
    assert labels.count() == 5
    # A label cut by an ellipsis is wider than its box, or shown on fewer lines than it needs.
    shown = labels.evaluate_all(
        "boxes => boxes.map(b => [b.innerText, b.scrollWidth <= b.clientWidth, b.scrollHeight <= b.clientHeight])"
    )
    assert [text for text, wide, high in shown if not (wide and high)] == [], shown
    assert "Journées-personnel" in [text.replace("\n", "") for text, _, _ in shown]
    tops = page.locator("[data-testid='stMetricValue']").evaluate_all(
        "values => values.map(v => Math.round(v.getBoundingClientRect().top))"
    )
    assert len(set(tops)) == 1, tops
