"""The English switch in headless Chromium: the shared parts of every page in English, links across languages."""

import io
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import expect

from dashboard import demo, i18n
from dashboard.ui.navigation import PAGES
from tests.conftest import click_all, wait_for_app, wait_for_charts

pytestmark = pytest.mark.browser


def _french_messages() -> list[str]:
    """The catalogue's French messages that English writes otherwise (placeholders left out)."""
    with (i18n.LOCALE_DIR / "en" / "LC_MESSAGES" / "messages.po").open("rb") as source:
        catalogue = read_po(source, locale="en")
    found = []
    for message in catalogue:
        if isinstance(message.id, str) and message.id and message.id != message.string:
            english = " ".join(message.string) if isinstance(message.string, tuple) else message.string
            parts = [part.strip(" ,.:;()") for part in re.split(r"\{\w+\}", message.id)]
            # A word both languages write alike ("total") is no French left.
            found += [part for part in parts if part not in english]
    return sorted({text for text in found if len(text) > 3})


def _sidebar(page) -> str:
    return page.locator("[data-testid='stSidebar']").inner_text()


def test_in_english_the_sidebar_and_the_line_under_each_title_show_no_french_message(server, page):
    french = _french_messages()
    page.goto(f"{server.url}/?lang=en&region=afrique")
    wait_for_app(page)
    for spec in PAGES:
        page.locator("[data-testid='stSidebar']").get_by_role("link", name=i18n_title(spec.title), exact=True).click()
        page.wait_for_url(f"**/{spec.address}?*lang=en*")
        wait_for_app(page)
        shown = _sidebar(page) + "\n" + page.locator("[data-testid='stCaptionContainer']").first.inner_text()
        assert "Filters" in shown, spec.url_path
        left = [text for text in french if re.search(rf"(?<!\w){re.escape(text)}(?!\w)", shown)]
        assert left == [], f"{spec.url_path}: French left in English: {left}"
    assert page.requests.outside() == []


# The pages whose whole main area is in the catalogue, with a selection that fills them.
TRANSLATED_PAGES: dict[str, str] = {
    "map": "region=afrique&pays=SEN",
    "country": "pays=SEN",
    "analysis": "region=afrique",
    "meetings": "pays=SEN",
    "about": "",
    "import": "",
    "history": "",
    "plan": "region=afrique",
}


# The data's own French words the pages show as they are, which may hold a message's words (« Unité réengagée
# en opération », a reason for cancelling an action, holds « Unité »).
DATA_VALUES: tuple[str, ...] = (*demo.CANCELLATION_REASONS, *demo.POSTPONEMENT_REASONS)


def _french_left(french: list[str], shown: str) -> list[str]:
    for value in DATA_VALUES:
        shown = shown.replace(value, "")
    return [text for text in french if re.search(rf"(?<!\w){re.escape(text)}(?!\w)", shown)]


def _main_text(page, main) -> str:
    """The main area's text with every expander opened (the charts' data tables are read too) and the chosen
    options of its lists, which stand in their inputs, outside the text."""
    closed = main.locator("[data-testid='stExpander'] details:not([open]) > summary:visible")
    for _ in range(5):  # an expander's content may hold more of them
        if closed.count() == 0:
            break
        # All at once: those that rerun the page to fill themselves ask for one run, which gets them all open.
        click_all(closed)
        wait_for_app(page)
    values = main.locator("input").evaluate_all("all => all.map(e => e.value)")
    return main.inner_text() + "\n" + "\n".join(values)


@pytest.mark.parametrize("path", TRANSLATED_PAGES)
def test_in_english_the_whole_page_shows_no_french_message(server, page, path):
    """Titles, controls, helps, chart titles and the charts' sentences: nothing of the catalogue left in French
    (the data's own values, such as a programme's name, are not in the catalogue)."""
    french = _french_messages()
    page.goto(f"{server.url}/{path}?lang=en&{TRANSLATED_PAGES[path]}")
    wait_for_app(page)
    wait_for_charts(page)
    main = page.locator("[data-testid='stMain']")
    shown = _main_text(page, main)
    # Each tab opened in turn (a tab runs only when open), its expanders and tables read too.
    tabs = main.get_by_role("tab")
    for index in range(1, tabs.count()):
        tabs.nth(index).click()
        wait_for_app(page)
        wait_for_charts(page)
        shown += "\n" + _main_text(page, main)
    assert _french_left(french, shown) == [], f"{path}: French left in English"
    assert page.requests.outside() == []


def i18n_title(title: str) -> str:
    with i18n.using("en"):
        return i18n._(title)


def test_a_link_made_in_english_opens_the_same_selection_in_french(server, page):
    page.goto(f"{server.url}/?lang=en&region=afrique&mode=accompagnement-au-combat")
    wait_for_app(page)
    regions = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first
    expect(regions).to_contain_text("Africa")
    english = page.url
    page.locator("[data-testid='stSidebar']").get_by_text("Français", exact=True).click()
    page.wait_for_function("() => !location.search.includes('lang=')")
    wait_for_app(page)
    expect(regions).to_contain_text("Afrique")
    assert "Filtres" in _sidebar(page)
    assert "region=afrique" in page.url and "mode=accompagnement-au-combat" in page.url
    # The English link, opened afresh, shows the same selection in English.
    page.goto(english)
    wait_for_app(page)
    expect(regions).to_contain_text("Africa")
    assert "Filters" in _sidebar(page)


def test_a_page_control_shows_its_chosen_option_in_the_new_language(server, page):
    page.goto(f"{server.url}/map")
    wait_for_app(page)
    zone = page.locator("[data-testid='stMain'] [data-testid='stSelectbox'] input").nth(1)
    expect(zone).to_have_value("Monde")
    page.locator("[data-testid='stSidebar']").get_by_text("English", exact=True).click()
    page.wait_for_function("() => location.search.includes('lang=en')")
    wait_for_app(page)
    expect(zone).to_have_value("World")


def _open_tab(page) -> str:
    return page.locator("[data-testid='stMain'] [data-testid='stTabs'] [aria-selected='true']").inner_text()


def test_an_analysis_view_chosen_in_english_opens_the_same_view_in_french(server, page):
    """The open view is written by its code: the link made in English opens it in French, and the reverse;
    an older link naming it by its French label still opens it."""
    page.goto(f"{server.url}/analysis?lang=en&region=afrique")
    wait_for_app(page)
    page.locator("[data-testid='stMain']").get_by_role("tab", name="Pillars and frameworks").click()
    page.wait_for_url("**vue=piliers-et-cadres**")
    wait_for_app(page)
    page.get_by_role("heading", name="By framework").wait_for()
    english = page.url
    assert "lang=en" in english
    # The same link without its language: French, the same view open.
    page.goto(english.replace("lang=en&", "").replace("&lang=en", ""))
    wait_for_app(page)
    assert _open_tab(page) == "Piliers et cadres"
    page.get_by_role("heading", name="Par cadre").wait_for()
    # A view chosen in French, then the language switched: the view stays open, in English words.
    page.locator("[data-testid='stMain']").get_by_role("tab", name="Facteurs par région").click()
    page.wait_for_url("**vue=facteurs-par-region**")
    wait_for_app(page)
    page.locator("[data-testid='stSidebar']").get_by_text("English", exact=True).click()
    page.wait_for_function("() => location.search.includes('lang=en')")
    wait_for_app(page)
    assert _open_tab(page) == "Factors by region"
    assert "vue=facteurs-par-region" in page.url
    page.get_by_role("heading", name="Factor profile by region").wait_for()
    # A link shared before the views had codes names the view by its French label: it opens in English too.
    page.goto(f"{server.url}/analysis?lang=en&vue=Pays+et+modes")
    wait_for_app(page)
    assert _open_tab(page) == "Countries and modes"
    page.wait_for_url("**vue=pays-et-modes**")
    assert page.requests.outside() == []


FILES = Path(__file__).resolve().parent / "files"


def _problems(page) -> str:
    """The import's problems table as the browser holds it: the grid draws on a canvas, and keeps its cells'
    text in a table for screen readers."""
    table = page.locator("[data-testid='stMain'] [data-testid='stDataFrame']").filter(
        has=page.locator("[role='gridcell']", has_text="date_fin")
    )
    table.wait_for(state="attached", timeout=30_000)
    return " ".join(table.locator("[role='gridcell']").all_text_contents())


@pytest.mark.parametrize(
    ("lang", "heading", "message"),
    [
        ("en", "Problems found", "2 date_fin 1 Mar 2024 the end date is before the start date (12 Mar 2024) error"),
        (
            "fr",
            "Problèmes trouvés",
            "2 date_fin 01/03/2024 la date de fin précède la date de début (12/03/2024) erreur",
        ),
    ],
)
def test_an_import_error_is_told_in_the_language_of_the_page(server, page, lang, heading, message):
    """The same file, the same problem: its row, column, value and fix in English under ?lang=en, else French."""
    page.goto(f"{server.url}/import" + ("?lang=en" if lang == "en" else ""))
    wait_for_app(page)
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(
        str(FILES / "bad_end_before_start.csv")
    )
    page.get_by_text(heading).wait_for(timeout=30_000)
    wait_for_app(page)
    shown = _problems(page)
    assert message in shown, shown  # the row, the column, the value, the problem and its severity
    other = "la date de fin précède" if lang == "en" else "the end date is before"
    assert other not in shown


def test_in_english_the_analysis_workbook_and_the_meetings_calendar_download_in_english(server, page):
    import icalendar
    import openpyxl

    page.goto(f"{server.url}/analysis?lang=en&region=afrique")
    wait_for_app(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Export (Excel)").click()
    assert download.value.suggested_filename == "pmo-analysis.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert book.sheetnames == ["Selection", "Function × factor", "By year", "Factors by region",
                               "Countries and modes", "Pillars", "Frameworks"]  # fmt: skip
    rows = {row[0]: row[1] for row in book["Selection"].iter_rows(min_row=3, values_only=True)}
    assert rows["Measure"] == "Actions" and rows["Regions"] == "Africa"
    assert str(rows["Data"]).startswith("Data as of ")
    assert [c.value for c in book["Function × factor"][2]][:2] == ["Strategic function", "Understanding"]

    page.goto(f"{server.url}/meetings?lang=en")
    wait_for_app(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Export to a calendar (.ics)").click()
    assert download.value.suggested_filename == "meetings.ics"
    calendar = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes())
    assert str(calendar["x-wr-calname"]).endswith(" – PMO international meetings")
    description = str(next(iter(calendar.walk("VEVENT")))["description"]).split("\n")
    assert description[1].startswith("Type: ") and description[2].startswith("Body: ")
    assert page.requests.outside() == []
