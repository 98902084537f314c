"""Streamlit's page served with the first screen's code asked for at once, before the server's first messages."""

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from dashboard.web import early
from dashboard.web.early import EarlyChunks, chunk_files, with_chunks
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
