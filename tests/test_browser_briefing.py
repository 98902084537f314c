"""What leaves the screen for a briefing, in headless Chromium on a real server: the "Point de situation" files
downloaded from the pages, and the pages printed to PDF on A4 landscape sheets."""

import datetime as dt
import io
import shutil
from pathlib import Path

import pypdfium2
import pytest
from pptx import Presentation

from dashboard import ingest, query
from dashboard import meetings as mt
from dashboard.query import Filters
from dashboard.store import Store
from dashboard.ui import navigation, printing
from tests.conftest import wait_for_app, wait_for_charts
from tests.documents import pdf_sheets, slide_text

pytestmark = pytest.mark.browser

MARKING = "DIFFUSION RESTREINTE"
BELGIUM = "/country?pays=Belgique"
FILES = Path(__file__).resolve().parent / "files"


@pytest.fixture
def marked_server(shared):
    return shared(PMO_MARKING=MARKING)


def _open(page, url: str, charts: bool = True) -> None:
    page.goto(url)
    wait_for_app(page)
    if charts:
        page.locator(".js-plotly-plot .main-svg").first.wait_for()
    wait_for_charts(page)
    # The print zoom, measured by the page's print script once it runs.
    page.wait_for_function(
        f"() => getComputedStyle(document.documentElement).getPropertyValue('{printing.ZOOM_VARIABLE}') !== ''"
    )


def _printed(page) -> str:
    """The text of the page printed to PDF, as a reader reads it (a cell's line breaks as spaces)."""
    text = " ".join(pdf_sheets(page.pdf(prefer_css_page_size=True, print_background=True)))
    return text.replace("\r\n", " ").replace("\ufffe", "-")  # pdfium marks a hyphen ending a line with U+FFFE


def _download(page, label: str, menu: str = "Point de situation") -> tuple[bytes, str]:
    """The file of the download menu's button `label` (the menu `menu` opened first, unless it still is)."""
    button = page.get_by_role("button", name=label)
    if not button.is_visible():
        page.get_by_role("button", name=menu).click()
    with page.expect_download(timeout=60_000) as download:
        button.click()
    return Path(download.value.path()).read_bytes(), download.value.suggested_filename


def test_the_overview_downloads_its_selection_as_powerpoint_and_pdf(marked_server, page):
    _open(page, f"{marked_server.url}/?region=Europe")
    deck_bytes, name = _download(page, "PowerPoint (graphiques modifiables)")
    assert name.startswith("point-de-situation-") and name.endswith(".pptx")
    deck = Presentation(io.BytesIO(deck_bytes))
    assert len(deck.slides) == 5
    for slide in deck.slides:
        text = slide_text(slide)
        assert text.count(MARKING) == 2 and "DONNÉES FICTIVES" in text
    assert "Régions" in slide_text(deck.slides[0]) and "Europe" in slide_text(deck.slides[0])
    assert "Régions : Europe" in slide_text(deck.slides[2])
    charts = [shape.chart for slide in deck.slides for shape in slide.shapes if shape.has_chart]
    assert len(charts) == 2 and all(len(list(chart.plots[0].categories)) > 0 for chart in charts)

    document, name = _download(page, "PDF (2 pages A4 paysage)")
    assert name.endswith(".pdf")
    sheets = pdf_sheets(document)
    assert len(sheets) == 2
    for text in sheets:
        assert text.count(MARKING) == 2 and "Régions : Europe" in text
    assert page.requests.outside() == []


def test_in_english_the_files_downloaded_are_in_english(marked_server, page):
    """Built on the click in a worker thread of the server, the files keep the language of the page."""
    _open(page, f"{marked_server.url}/?lang=en&region=afrique")
    deck_bytes, name = _download(page, "PowerPoint (editable charts)", "Situation briefing")
    assert name.startswith("situation-briefing-") and name.endswith(".pptx")
    deck = Presentation(io.BytesIO(deck_bytes))
    first = slide_text(deck.slides[0])
    assert "Situation briefing" in first and "FICTIONAL DATA" in first and "Regions" in first and "Africa" in first
    assert "Sélection" not in first and "Afrique" not in first
    pdf_bytes, name = _download(page, "PDF (2 A4 landscape pages)", "Situation briefing")
    assert name.startswith("situation-briefing-") and name.endswith(".pdf")
    text = " ".join(pdf_sheets(pdf_bytes))
    assert "Selection: " in text and "Regions: Africa" in text and "Generated on " in text
    assert "Sélection" not in text and "Généré le" not in text
    assert page.requests.outside() == []


def test_the_country_profile_downloads_the_brief_of_its_country(marked_server, page):
    _open(page, marked_server.url + BELGIUM)
    document, name = _download(page, "PDF (2 pages A4 paysage)")
    assert "-BEL-" in name
    sheets = pdf_sheets(document)
    assert len(sheets) == 2
    assert "Point de situation – Belgique" in sheets[0]
    assert "Fonction stratégique × facteur de supériorité" in sheets[1] and "CaMo" in sheets[1]


# Every page of the menu, the country profile on Belgium.
PAGES = {spec.url_path: BELGIUM if spec.url_path == "country" else f"/{spec.address}" for spec in navigation.PAGES}
WITHOUT_CHARTS = tuple(f"/{spec.url_path}" for spec in navigation.PAGES if not spec.charts)


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_each_page_prints_on_a4_landscape_sheets_with_charts_within_the_sheet(marked_server, page, path):
    page.set_viewport_size({"width": 1920, "height": 1080})  # a screen wider than the sheet
    _open(page, marked_server.url + path, charts=path not in WITHOUT_CHARTS)
    # A print does not redraw a chart: its width on screen, times the zoom the print applies, is its width on
    # the sheet.
    drawn = page.evaluate(
        "() => { const zoom = parseFloat(getComputedStyle(document.documentElement)"
        ".getPropertyValue('" + printing.ZOOM_VARIABLE + "')) || 1;"
        " return [...document.querySelectorAll('[data-testid=stPlotlyChart] .main-svg')]"
        ".map(e => e.getBoundingClientRect().width * zoom); }"
    )
    assert bool(drawn) == (path not in WITHOUT_CHARTS)
    assert max(drawn, default=0) <= printing.SHEET_WIDTH_PX + 1
    document = pypdfium2.PdfDocument(page.pdf(prefer_css_page_size=True, print_background=True))
    sheets = [sheet.get_textpage().get_text_range() for sheet in document]
    for sheet, text in zip(document, sheets, strict=True):
        width, height = sheet.get_size()
        assert width > height  # landscape
        assert text.startswith(MARKING) and text.count(MARKING) >= 2  # in the top and bottom margins
        # Buttons, the download menu, navigation links, banners and the sidebar stay on screen.
        # And the import's file picker.
        for words in (
            "Point de situation",
            "Ouvrir la carte",
            "Effacer les filtres",
            "Accès de démonstration",
            "Upload",
        ):
            assert words not in text
        assert "None" not in text
    if path == BELGIUM:
        # The heat map's last column and its colour scale, cut off when the chart kept its screen width.
        assert "commandement" in " ".join(sheets)
    assert page.requests.outside() == []


def test_the_country_profile_prints_its_tables_whole(marked_server, demo_store_root, page):
    meetings = query.meeting_rows(Store(demo_store_root).read("meetings"), Filters(countries=("BEL",)))
    assert len(meetings) > 10  # more than a table shows on screen without scrolling
    _open(page, marked_server.url + BELGIUM)
    printed = page.locator(".st-key-pmo_table_rencontres .pmo-print-table tbody tr")
    assert printed.count() == len(meetings)
    text = _printed(page)
    assert str(meetings.iloc[-1]["title"]) in text  # the last row too
    assert "None" not in text


def test_the_meetings_page_prints_its_list_whole(marked_server, demo_store_root, page):
    in_scope = query.meeting_rows(Store(demo_store_root).read("meetings"), Filters())
    ahead = mt.table(mt.upcoming(in_scope, dt.date.today()), dt.date.today())
    assert len(ahead) > 10  # more than the list shows on screen without scrolling
    _open(page, marked_server.url + "/meetings")
    printed = page.locator(".st-key-pmo_table_rencontres_a_venir .pmo-print-table tbody tr")
    assert printed.count() == len(ahead)
    text = _printed(page)
    # A long title wraps in its cell, at a space or after a hyphen: compared without spaces.
    letters = "".join(text.split())
    for title in ahead["Intitulé"]:
        assert "".join(str(title).split()) in letters
    assert "None" not in text


def test_the_history_prints_every_version(server_factory, demo_store_root, tmp_path, page):
    root = tmp_path / "store"
    shutil.copytree(demo_store_root, root)
    store = Store(root)
    name = "good_utf8_semicolon.csv"
    ingest.import_bytes(name, (FILES / name).read_bytes(), store, "cne Martin")
    for turn in range(11):  # 13 versions, more than the table shows on screen without scrolling
        store.restore("actions", turn % 2, metadata={"user": "adj Lefebvre"})
    server = server_factory(root, {"PMO_DEMO_ACCESS": "1", "PMO_MARKING": MARKING})
    _open(page, server.url + "/history", charts=False)
    assert page.locator(".st-key-pmo_table_history_actions .pmo-print-table tbody tr").count() == 13
    text = _printed(page)
    assert text.count("adj Lefebvre") == 11 and "cne Martin" in text
    assert "None" not in text
