"""Streamlit's icon font, cut down to the icons the dashboard can show, and served at the font's own address."""

from __future__ import annotations

import json
import urllib.request

import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from dashboard.web.assets import CACHE_CONTROL
from dashboard.web.icons import FONT, IconFont, streamlit_font
from tests.conftest import script, wait_for_app


def test_the_kept_font_draws_every_icon_streamlit_and_the_dashboard_name():
    build = script("build_icon_font")
    assert build.problems() == []
    listing = json.loads(build.LISTING.read_text())
    assert {"public", "keyboard_double_arrow_left", "expand_more", "close"} <= set(listing["icons"])
    assert FONT.stat().st_size < 30_000 < streamlit_font().stat().st_size


def test_an_icon_named_in_the_code_but_not_kept_is_reported(tmp_path):
    build = script("build_icon_font")
    data, listing = build.build(streamlit_font(), build.wanted_names() - {"public"})
    font, listed = tmp_path / "icons.woff2", tmp_path / "icons.json"
    font.write_bytes(data)
    listed.write_text(json.dumps(listing))
    assert build.problems(font, listed) == ["icons named but not kept: public"]
    font.write_bytes(data + b"\0")
    assert build.problems(font, listed) == ["icons.woff2 is not the file its listing describes"]


def _the_app(request) -> PlainTextResponse:
    return PlainTextResponse(f"app: {request.url.path}")


@pytest.fixture
def client() -> TestClient:
    app = Starlette(routes=[Route("/{path:path}", _the_app, methods=["GET", "POST"])])
    return TestClient(IconFont(app, font_name="MaterialSymbols-Rounded.abc123.woff2"))


@pytest.mark.parametrize("base", ["", "/pmo"])
def test_the_fonts_address_is_answered_with_the_kept_font_kept_a_year(client, base):
    response = client.get(f"{base}/static/media/MaterialSymbols-Rounded.abc123.woff2")
    assert response.status_code == 200 and response.content == FONT.read_bytes()
    assert response.headers["content-type"] == "font/woff2"
    assert response.headers["cache-control"] == CACHE_CONTROL
    again = client.get(
        f"{base}/static/media/MaterialSymbols-Rounded.abc123.woff2", headers={"If-None-Match": response.headers["etag"]}
    )
    assert again.status_code == 304


def test_every_other_address_goes_to_the_app(client):
    assert (
        client.get("/static/media/SourceSansVF-Upright.woff2").text == "app: /static/media/SourceSansVF-Upright.woff2"
    )
    assert client.post("/static/media/MaterialSymbols-Rounded.abc123.woff2").text.startswith("app: ")


@pytest.mark.browser
def test_the_pages_icons_are_drawn_as_icons_not_spelled(server, page):
    """An icon the font lacks shows its name in letters, overflowing the icon's box (Streamlit sizes it 1em)."""
    page.goto(server.url)
    wait_for_app(page)
    page.evaluate("document.fonts.ready")
    widths = page.locator("[data-testid='stIconMaterial']").evaluate_all(
        "all => all.map(icon => [icon.textContent, icon.scrollWidth, parseFloat(getComputedStyle(icon).fontSize)])"
    )
    assert len(widths) >= 5  # the menu's page links and the map link
    spelled = [name for name, width, size in widths if width > 1.5 * size]
    assert spelled == []
    with urllib.request.urlopen(f"{server.url}/static/media/{streamlit_font().name}", timeout=10) as served:
        assert served.read() == FONT.read_bytes()
