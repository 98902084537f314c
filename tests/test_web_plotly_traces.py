"""Streamlit's plotly chunk, served with only the dashboard's trace types registered and without the code nothing
reaches then, made once and kept in the cache folder."""

from __future__ import annotations

import inspect
import re
import urllib.request

import plotly.graph_objects as go
import pytest
from plotly.basedatatypes import BaseTraceType
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from dashboard.settings import server_settings
from dashboard.web import plotly_traces
from dashboard.web.assets import CACHE_CONTROL
from dashboard.web.bundle import LEFT_OUT
from dashboard.web.plotly_traces import TRACES, PlotlyTraces, cached_served, registered, streamlit_chunk, trimmed
from tests.conftest import ROOT, wait_for_app, wait_for_charts

# A bundle laid out as Streamlit's: modules in wrappers, registered by the entry.
BUNDLE = (
    'var Iu=_({"lib/bar.js"(e,t){t.exports=bar}}),hee=_({"lib/box.js"(e,t){t.exports=box}}),'
    'Zx=_({"lib/choropleth.js"(e,t){t.exports=choropleth}}),bu=_({"lib/core.js"(e,t){t.exports=core}});'
    'return _({"lib/index.js"(e,t){var n=bu();n.register([Iu(),hee(),Zx()]),t.exports=n}})()'
)


def test_the_installed_streamlits_chunk_is_served_registering_the_dashboards_trace_types_alone():
    chunk = streamlit_chunk().read_text("utf-8")
    shipped = registered(chunk)
    assert shipped is not None and len(shipped) > 40 and "lib/scatter3d.js" in shipped.values()
    served = trimmed(chunk)
    assert served is not None
    assert sorted(registered(served).values()) == sorted(f"lib/{trace}.js" for trace in TRACES)
    # Nothing but the entry's list changes.
    assert len(chunk) - len(served) == len(",".join(shipped)) - len(",".join(registered(served)))


@pytest.fixture(scope="module")
def served_chunk() -> bytes:
    """The installed Streamlit's chunk as the server serves it, from the cache the servers share."""
    served = cached_served(streamlit_chunk(), cache=server_settings().cache_dir)
    assert served is not None
    return served


def _left_out(served: bytes) -> set[str]:
    """The paths of the modules whose body was emptied."""
    return {path.decode() for path in re.findall(rb'"([^"]+)"\([\w$,]*\)' + re.escape(LEFT_OUT), served)}


def test_the_installed_streamlits_chunk_is_served_without_the_code_the_dashboards_charts_never_run(served_chunk):
    shipped = streamlit_chunk().read_bytes()
    assert sorted(registered(served_chunk.decode()).values()) == sorted(f"lib/{trace}.js" for trace in TRACES)
    left_out = _left_out(served_chunk)
    # MapLibre, its worker, WebGL's stack and 3D scenes: most of the weight.
    assert {
        "build/maplibre_worker.js",
        "node_modules/maplibre-gl/dist/maplibre-gl.mjs",
        "stackgl_modules/index.js",
        "src/plots/gl3d/scene.js",
        "src/traces/sankey/render.js",
    } <= left_out
    # Every kept trace type keeps its code, and so do plotly's core and its geography.
    kept_traces = {f"src/traces/{trace}/" for trace in (*TRACES, "scatter")}
    assert [path for path in left_out if path.startswith(tuple(kept_traces))] == []
    assert not {"src/plot_api/plot_api.js", "src/plots/geo/geo.js", "node_modules/@plotly/d3/d3.js"} & left_out
    assert len(served_chunk) < 0.45 * len(shipped)


def test_the_served_chunk_is_made_once_and_then_read_from_the_cache(tmp_path, monkeypatch):
    chunk = tmp_path / "PlotlyChart.abc123.js"
    chunk.write_text(BUNDLE)
    made = cached_served(chunk, ["bar", "choropleth"], tmp_path / "cache")
    assert made is not None and b"n.register([Iu(),Zx()])" in made and made.count(LEFT_OUT) == 1
    (kept,) = (tmp_path / "cache").iterdir()
    assert re.fullmatch(r"PlotlyChart\.abc123\.[0-9a-f]{32}\.js", kept.name) and kept.read_bytes() == made
    monkeypatch.setattr(plotly_traces, "served", lambda *args: pytest.fail("made again"))
    assert cached_served(chunk, ["bar", "choropleth"], tmp_path / "cache") == made


def test_other_trace_types_or_another_chunk_make_another_cached_file_in_place_of_the_last(tmp_path):
    chunk = tmp_path / "PlotlyChart.abc123.js"
    chunk.write_text(BUNDLE)
    cached_served(chunk, ["bar", "choropleth"], tmp_path / "cache")
    first = next((tmp_path / "cache").iterdir())
    assert b"n.register([Iu()])" in cached_served(chunk, ["bar"], tmp_path / "cache")
    chunk.write_text(BUNDLE.replace("t.exports=bar", "t.exports=bar2"))
    assert b"bar2" in cached_served(chunk, ["bar"], tmp_path / "cache")
    # Each replaced the one before: a file that would never be read again is not kept.
    (latest,) = (tmp_path / "cache").iterdir()
    assert latest != first and b"bar2" in latest.read_bytes()


def test_a_cache_folder_that_cannot_be_written_only_costs_the_time(tmp_path, caplog):
    chunk = tmp_path / "PlotlyChart.abc123.js"
    chunk.write_text(BUNDLE)
    (tmp_path / "cache").write_text("a file where the folder should be")
    made = cached_served(chunk, ["bar", "choropleth"], tmp_path / "cache")
    assert made is not None and b"n.register([Iu(),Zx()])" in made
    assert "Dossier de cache" in caplog.text


def test_a_chunk_laid_out_otherwise_or_lacking_a_trace_type_is_left_as_it_ships():
    assert trimmed(BUNDLE, ["bar", "choropleth"]) == BUNDLE.replace("[Iu(),hee(),Zx()]", "[Iu(),Zx()]")
    assert trimmed(BUNDLE, ["bar", "pie"]) is None
    assert trimmed(BUNDLE.replace('"lib/index.js"', '"lib/main.js"'), ["bar"]) is None
    assert trimmed(BUNDLE.replace('hee=_({"lib/box.js"', 'hee=_({"src/box.js"'), ["bar"]) is None


def _trace_types() -> dict[str, str]:
    """Plotly's trace types by the name of their class (`Scattergeo`: `scattergeo`)."""
    return {
        name: kind.__name__.lower()
        for name, kind in inspect.getmembers(go, inspect.isclass)
        if issubclass(kind, BaseTraceType) and kind is not BaseTraceType
    }


def test_the_dashboards_code_draws_every_kept_trace_type_and_no_other():
    by_class = _trace_types()
    drawn = set()
    for path in (ROOT / "dashboard").rglob("*.py"):
        code = path.read_text()
        if "import plotly" not in code:  # a slide's `add_table` is not plotly's
            continue
        drawn |= {by_class[name] for name in re.findall(r"\bgo\.(\w+)\(", code) if name in by_class}
        drawn |= {name for name in re.findall(r"\.add_(\w+)\(", code) if name in by_class.values()}
    assert drawn == {*TRACES, "scatter"}


def _the_app(request) -> PlainTextResponse:
    return PlainTextResponse(f"app: {request.url.path}")


@pytest.fixture
def client(tmp_path) -> TestClient:
    chunk = tmp_path / "PlotlyChart.abc123.js"
    chunk.write_text(BUNDLE)
    app = Starlette(routes=[Route("/{path:path}", _the_app, methods=["GET", "POST"])])
    return TestClient(PlotlyTraces(app, chunk=chunk, traces=["bar", "choropleth"]))


@pytest.mark.parametrize("base", ["", "/pmo"])
def test_the_chunks_address_is_answered_with_the_trimmed_chunk_kept_a_year(client, base):
    response = client.get(f"{base}/static/js/PlotlyChart.abc123.js")
    assert response.status_code == 200 and "n.register([Iu(),Zx()])" in response.text
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cache-control"] == CACHE_CONTROL
    again = client.get(f"{base}/static/js/PlotlyChart.abc123.js", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304


def test_other_addresses_and_a_chunk_laid_out_otherwise_go_to_the_app(client, tmp_path):
    assert client.get("/static/js/index.abc123.js").text == "app: /static/js/index.abc123.js"
    other = tmp_path / "PlotlyChart.def456.js"
    other.write_text(BUNDLE.replace("register", "add"))
    app = Starlette(routes=[Route("/{path:path}", _the_app)])
    served_as_shipped = TestClient(PlotlyTraces(app, chunk=other, traces=["bar"]))
    assert served_as_shipped.get("/static/js/PlotlyChart.def456.js").text == "app: /static/js/PlotlyChart.def456.js"


_PLOTLY = """() => [
  Object.keys(window.Plotly.PlotSchema.get().traces).sort(),
  [...document.querySelectorAll('.js-plotly-plot')].flatMap(chart => chart._fullData.map(t => [t.type, !!t._module])),
]"""


@pytest.mark.browser
def test_in_the_browser_plotly_knows_the_dashboards_trace_types_and_draws_the_overviews_charts(server, page):
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server.url)
    wait_for_app(page)
    wait_for_charts(page)
    known, traces = page.evaluate(_PLOTLY)
    assert known == sorted({*TRACES, "scatter"})
    assert {"bar", "choropleth"} <= {kind for kind, _ in traces}
    assert [kind for kind, drawn in traces if not drawn] == []
    assert errors == []
    chunk = streamlit_chunk()
    with urllib.request.urlopen(f"{server.url}/static/js/{chunk.name}", timeout=10) as response:
        assert response.read() == cached_served(chunk, cache=server_settings().cache_dir)
