"""Import in headless Chromium: upload a file, read the preview, commit, see the new figures on the overview."""

import io
from pathlib import Path

import openpyxl
import pytest

from dashboard.schema import TABLES
from dashboard.seed import open_store
from tests.conftest import wait_for_app

pytestmark = pytest.mark.browser

FILES = Path(__file__).resolve().parent / "files"


def _number(text: str) -> int:
    return int("".join(ch for ch in text if ch.isdigit()))


def _metric(page, label: str) -> str:
    card = page.locator("[data-testid='stMetric']").filter(has_text=label).first
    return card.locator("[data-testid='stMetricValue']").inner_text()


def test_a_staff_officer_uploads_previews_commits_and_sees_the_new_figures(server_factory, page, tmp_path):
    store = open_store(tmp_path / "store")
    server = server_factory(tmp_path / "store", {"PMO_DEMO_ACCESS": "1"})
    page.goto(server.url)
    wait_for_app(page)
    before = _number(_metric(page, "Actions"))

    page.locator("[data-testid='stSidebar']").get_by_text("Importer des données").click()
    page.wait_for_url("**/import")
    wait_for_app(page)
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(
        str(FILES / "good_utf8_semicolon.csv")
    )
    page.get_by_text("3. Aperçu avant import").wait_for(timeout=30_000)
    wait_for_app(page)
    assert _metric(page, "Nouvelles") == "5"
    assert _metric(page, "Erreurs") == "0"
    page.get_by_text("Lignes telles qu'elles seront enregistrées").wait_for()
    assert page.get_by_text("Page 1 sur 1 · 5 ligne(s)").is_visible()

    page.get_by_role("button", name="Importer 5 ligne(s)").click()
    page.get_by_text("Version 1 de « Actions de PMO » enregistrée").wait_for(timeout=30_000)
    assert store.version("actions") == 1
    wait_for_app(page)
    # The upload cleared itself: the file is gone, and no button offers to import it again.
    uploader = page.locator("[data-testid='stFileUploader']")
    assert uploader.get_by_text("good_utf8_semicolon.csv").count() == 0
    assert page.get_by_role("button", name="Importer 0 ligne(s)").count() == 0
    assert page.get_by_text("3. Aperçu avant import").count() == 0

    page.get_by_role("link", name="Voir la vue d'ensemble").click()
    page.get_by_role("heading", name="Partenariat militaire opérationnel").wait_for(timeout=30_000)
    wait_for_app(page)
    assert _number(_metric(page, "Actions")) == before + 5
    assert page.requests.outside() == []


def test_a_bad_file_shows_its_problems_in_the_browser_and_the_button_stays_off(server_factory, page, tmp_path):
    open_store(tmp_path / "store")
    server = server_factory(tmp_path / "store", {"PMO_DEMO_ACCESS": "1"})
    page.goto(f"{server.url}/import")
    wait_for_app(page)
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(FILES / "bad_country.csv"))
    page.get_by_text("Problèmes trouvés").wait_for(timeout=30_000)
    wait_for_app(page)
    assert _metric(page, "Erreurs") == "1"
    assert page.get_by_role("button", name="Importer 4 ligne(s)").is_disabled()


def test_the_templates_download_from_the_import_page(server, page, tmp_path):
    page.goto(f"{server.url}/import")
    wait_for_app(page)
    page.locator("[data-testid='stRadio']").get_by_text("Rencontres internationales").click()
    wait_for_app(page)
    with page.expect_download() as csv_download:
        page.get_by_role("button", name="Modèle CSV").click()
    with page.expect_download() as xlsx_download:
        page.get_by_role("button", name="Modèle Excel").click()
    assert csv_download.value.suggested_filename == "modele_meetings.csv"
    assert xlsx_download.value.suggested_filename == "modele_meetings.xlsx"
    headers = [c.header_fr for c in TABLES["meetings"].columns]
    csv_lines = Path(csv_download.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert ";".join(headers) in csv_lines
    book = openpyxl.load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes()))
    assert [c.value for c in book["meetings"][2]] == headers
    assert page.requests.outside() == []
