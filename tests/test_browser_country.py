"""The country profile in headless Chromium: the actions tab and the download of all the partner's actions."""

import csv
import io
from pathlib import Path

import pytest

from tests.conftest import wait_for_app

pytestmark = pytest.mark.browser


def test_the_actions_tab_downloads_every_action_of_the_partner(server, page):
    page.goto(f"{server.url}/country?pays=S%C3%A9n%C3%A9gal")
    wait_for_app(page)
    card = page.locator("[data-testid='stMetric']").filter(has_text="Actions").first
    shown = int("".join(ch for ch in card.locator("[data-testid='stMetricValue']").inner_text() if ch.isdigit()))
    page.get_by_role("tab", name="Actions").click()
    wait_for_app(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Télécharger les actions (CSV)").click()
    assert download.value.suggested_filename == "actions-SEN.csv"
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "# NON PROTÉGÉ"
    # Then what the file holds: the data version and the export's date, the selection.
    assert lines[1].startswith("# Données au ") and "; exporté le " in lines[1]
    assert lines[2].startswith("# Sélection : ") and "Sénégal" in lines[2]
    rows = list(csv.DictReader(io.StringIO("\n".join(lines[3:])), delimiter=";"))
    # The table shows the 100 latest; the file holds them all, all of Senegal.
    assert len(rows) == shown > 100
    assert {row["pays"] for row in rows} == {"SEN"}  # under the headers an import reads back
    assert page.requests.outside() == []
