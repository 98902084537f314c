"""What the dashboard's server adds, seen from headless Chromium and from a plain HTTP client:
security headers on pages and assets, a Content-Security-Policy no page violates, other host names refused."""

from __future__ import annotations

import http.client
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Response

from dashboard.ui.navigation import PAGES
from tests.conftest import wait_for_app, wait_for_charts

pytestmark = pytest.mark.browser

EXPECTED = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


def _request(url: str, path: str, host: str | None = None) -> http.client.HTTPResponse:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.request("GET", path, headers={"Host": host or parts.netloc, "Accept-Encoding": "identity"})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def _assert_security_headers(headers: dict[str, str]) -> None:
    for name, value in EXPECTED.items():
        assert headers.get(name) == value, (name, headers)
    policy = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert "default-src 'self'" in policy
    assert "'unsafe-eval'" not in policy and "script-src 'self' 'wasm-unsafe-eval' 'sha256-" in policy


def test_a_page_and_a_static_asset_carry_the_security_headers(server, page):
    seen: dict[str, Response] = {}
    page.on("response", lambda response: seen.setdefault(urlsplit(response.url).path, response))
    page.goto(server.url)
    wait_for_app(page)
    _assert_security_headers(seen["/"].all_headers())
    script = next(path for path in seen if re.fullmatch(r"/static/js/index\.[\w-]+\.js", path))
    headers = seen[script].all_headers()
    _assert_security_headers(headers)
    # Assets keep their long-lived cache.
    assert "max-age=31536000" in headers["cache-control"]
    geometry = _request(server.url, "/app/static/world_110m.json")
    assert geometry.status == 200
    _assert_security_headers({k.lower(): v for k, v in geometry.getheaders()})


def test_a_request_for_another_host_name_is_refused(server):
    refused = _request(server.url, "/", host="pmo.example.org")
    assert refused.status == 400
    assert _request(server.url, "/_stcore/health", host="localhost:8501").status == 200


@pytest.mark.parametrize("spec", PAGES, ids=lambda spec: spec.url_path or "overview")
def test_no_page_violates_the_content_security_policy_or_raises_a_script_error(server, page, spec):
    messages: list[str] = []
    page.on("console", lambda message: "Content Security Policy" in message.text and messages.append(message.text))
    # A script error: a broken chart, or code the server left out of a chunk (dashboard/web/bundle.py) run after all.
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server.url}/{spec.address}")
    wait_for_app(page)
    assert page.get_by_text("Page not found").count() == 0
    assert page.get_by_text("Accès refusé").count() == 0
    if spec.charts:
        wait_for_charts(page)
    # What the page's own listener saw (from before its first script), and what Chromium reported.
    assert page.evaluate("window.__pmo.violations") == []
    assert messages == []
    assert errors == []
