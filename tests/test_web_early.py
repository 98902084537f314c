"""Streamlit's page served with the first screen's code asked for at once, before the server's first messages."""

import gzip
import json
import re

import pytest
from starlette.applications import Starlette
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from dashboard.web import early
from dashboard.web.early import EarlyChunks, app_root, chunk_files, host_block, with_chunks
from tests.conftest import wait_for_app, wait_for_charts

PAGE = (
    b'<head>\n    <script type="module" crossorigin src="./static/js/index.DormvYxC.js"></script>\n'
    b'    <link rel="modulepreload" crossorigin href="./static/js/react-dom.Dzbslgj4.js">\n</head>'
)


def test_every_chunk_of_the_first_screen_is_found_in_the_installed_streamlit():
    """Fails when Streamlit renames or merges one of them: FIRST_SCREEN must then follow it."""
    files = chunk_files()
    assert [name.split(".")[0] for name in files] == list(early.FIRST_SCREEN)
    assert all((early.STREAMLIT_JS / name).is_file() for name in files)


def test_the_chunks_are_asked_for_after_streamlits_own_script_in_their_order():
    page = with_chunks(PAGE, ["Multiselect.DBsRqIhx.js", "PlotlyChart.D9Z0_fxz.js"]).decode()
    entry = page.index("index.DormvYxC.js")
    lists = page.index('<script type="module" crossorigin src="./static/js/Multiselect.DBsRqIhx.js"></script>')
    charts = page.index('<script type="module" crossorigin src="./static/js/PlotlyChart.D9Z0_fxz.js"></script>')
    assert entry < lists < charts < page.index("react-dom")


def test_streamlits_page_still_reads_where_its_host_says_the_server_is():
    """Fails when Streamlit's page stops reading `window.__streamlit` or no longer connects at once when told."""
    index = (early.STREAMLIT_JS.parent.parent / "index.html").read_bytes()
    entry = re.search(rb"index\.[\w-]+\.js", early._ENTRY.search(index).group(0)).group(0).decode()
    code = (early.STREAMLIT_JS / entry).read_text()
    assert "window.__streamlit" in code
    assert all(name in code for name in ("BACKEND_BASE_URL", "HOST_CONFIG", "enableBypass", "useExternalAuthToken"))


@pytest.mark.parametrize(
    ("path", "base", "root"),
    [
        ("/", "", "./"),
        ("/map", "", "./"),
        ("/pmo", "pmo", "./pmo/"),
        ("/pmo/", "/pmo/", "./"),
        ("/pmo/map", "pmo", "./"),
        ("/a/b", "a/b", "./b/"),
        ("/a/b/country", "a/b", "./"),
        ("/map/other", "", None),
        ("/map", "pmo", None),
        ("/pmox/map", "pmo", None),
    ],
)
def test_the_apps_root_is_given_from_each_of_its_pages_and_only_from_them(path, base, root):
    assert app_root(path, base) == root


def test_the_host_block_comes_before_streamlits_script_in_a_script_the_policy_allows_by_its_hash():
    origins = ["https://*.example.org", "</script><script>alert(1)</script>"]
    page = with_chunks(PAGE, ["Metric.MSVuxtnf.js"], host_block("./", origins)).decode()
    assert page.index(early.HOST_BLOCK_ID) < page.index(f"<script>{early.HOST_SCRIPT}</script>") < page.index("index.")
    data = re.search(r'<script type="application/json" id="[\w-]+">(.*?)</script>', page).group(1)
    assert json.loads(data) == {"root": "./", "config": {"allowedOrigins": origins, "useExternalAuthToken": False}}
    assert page.count("</script>") == 4  # the block, the script, Streamlit's, the chunk's: no other script ends


def test_a_page_without_streamlits_entry_script_is_left_as_it_is():
    assert with_chunks(b"<p>Adresse inconnue</p>", ["PlotlyChart.D9Z0_fxz.js"]) == b"<p>Adresse inconnue</p>"


def test_only_the_html_page_is_rewritten_and_its_length_follows():
    app = Starlette(
        routes=[
            Route("/", lambda request: HTMLResponse(PAGE)),
            Route("/_stcore/host-config", lambda request: JSONResponse({"page": PAGE.decode()})),
        ]
    )
    client = TestClient(EarlyChunks(app, files=["PlotlyChart.D9Z0_fxz.js"]))
    page = client.get("/", headers={"Accept-Encoding": "identity"})
    assert b"./static/js/PlotlyChart.D9Z0_fxz.js" in page.content
    assert int(page.headers["content-length"]) == len(page.content) > len(PAGE)
    assert "PlotlyChart" not in client.get("/_stcore/host-config").json()["page"]


def test_a_page_without_charts_leaves_the_charts_code_for_later():
    app = Starlette(routes=[Route("/{page:path}", lambda request: HTMLResponse(PAGE))])
    client = TestClient(
        EarlyChunks(app, files=["Metric.MSVuxtnf.js", "PlotlyChart.D9Z0_fxz.js"], without_charts=["import"])
    )
    for path in ("/import", "/pmo/import"):
        page = client.get(path).text
        assert "Metric.MSVuxtnf.js" in page and "PlotlyChart" not in page
    for path in ("/", "/map", "/pmo/country"):
        assert "PlotlyChart.D9Z0_fxz.js" in client.get(path).text


def test_streamlits_gzipped_page_at_a_pages_address_is_rewritten_and_gzipped_again():
    app = Starlette(routes=[Route("/{page:path}", lambda request: HTMLResponse(PAGE + b" " * 600))])
    client = TestClient(
        EarlyChunks(
            GZipMiddleware(app, minimum_size=500),
            files=["PlotlyChart.D9Z0_fxz.js"],
            host=lambda: ("", ["https://*.example.org"]),
        )
    )
    for path, host in (("/map", True), ("/map/other", False)):
        answer = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert answer.headers["content-encoding"] == "gzip"
        page = answer.text  # decompressed by the client, as a browser does
        assert int(answer.headers["content-length"]) == len(gzip.compress(page.encode(), mtime=0)) < len(page)
        assert "./static/js/PlotlyChart.D9Z0_fxz.js" in page
        assert (early.HOST_SCRIPT in page) is host


@pytest.mark.browser
def test_a_page_connects_to_the_server_without_waiting_for_its_health_check(server, page):
    """From any page, Streamlit opens its WebSocket at the app's root at once: a health check held back by the
    network delays nothing, and no address below the page's own is tried."""
    held = []
    page.route("**/_stcore/health", lambda route: held.append(route))
    try:
        with page.expect_websocket(timeout=15_000) as opened:
            page.goto(f"{server.url}/map")
        assert opened.value.url == server.url.replace("http", "ws", 1) + "/_stcore/stream"
        assert held, "the health check was not asked for"
    finally:
        for route in held:
            route.continue_()
        page.unroute("**/_stcore/health")
    wait_for_app(page)
    wait_for_charts(page)
    assert [url for url in page.requests.urls if "/map/_stcore/" in url] == []


@pytest.mark.browser
def test_the_browser_fetches_the_chart_code_before_it_connects_to_the_server(server, page):
    """The plotly chunk is asked for by the page itself, before Streamlit's health check that precedes its
    WebSocket, and fetched once although Streamlit imports it again for the first chart."""
    page.goto(server.url)
    wait_for_app(page)
    wait_for_charts(page)
    fetched = page.evaluate(
        "() => performance.getEntriesByType('resource').map(e => [e.name.split('/').pop(), e.startTime])"
    )
    charts = [start for name, start in fetched if name.startswith("PlotlyChart.")]
    health = [start for name, start in fetched if name == "health"]
    assert len(charts) == 1 and health and charts[0] < health[0]
    assert page.locator(".js-plotly-plot .main-svg").count() >= 4
    assert page.requests.outside() == []
