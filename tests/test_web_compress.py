"""Static files compressed once per version: brotli when accepted, else gzip, else as they are."""

import gzip
import os

import brotli
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.testclient import TestClient

from dashboard.web import compress
from dashboard.web.compress import CompressedStatic, chosen_encoding

SCRIPT = b"function draw(figure) { return figure.data.map(trace => trace.type); }\n" * 400


@pytest.fixture
def served(tmp_path, monkeypatch):
    (tmp_path / "chart.js").write_bytes(SCRIPT)
    (tmp_path / "logo.png").write_bytes(os.urandom(4096))
    calls = []
    encoders = {
        name: (lambda body, f=f, name=name: calls.append(name) or f(body)) for name, f in compress.ENCODERS.items()
    }
    monkeypatch.setattr(compress, "ENCODERS", encoders)
    app = CompressedStatic(Starlette(routes=[Mount("/static", StaticFiles(directory=tmp_path))]))
    return TestClient(app), calls, tmp_path


def test_brotli_when_accepted_compressed_once_and_reused(served):
    client, calls, _ = served
    for _ in range(3):
        response = client.get("/static/chart.js", headers={"Accept-Encoding": "gzip, deflate, br"})
        assert response.headers["content-encoding"] == "br"
        assert "Accept-Encoding" in response.headers["vary"]
        assert int(response.headers["content-length"]) < len(SCRIPT) // 10
        assert response.content == SCRIPT  # decoded by the client
    assert calls == ["br"]


def test_gzip_for_a_browser_without_brotli_and_nothing_for_one_without_either(served):
    client, calls, _ = served
    raw = client.get("/static/chart.js", headers={"Accept-Encoding": "gzip"})
    assert raw.headers["content-encoding"] == "gzip" and raw.content == SCRIPT
    plain = client.get("/static/chart.js", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.content == SCRIPT
    assert calls == ["gzip"]


def test_a_changed_file_is_compressed_again(served):
    client, calls, folder = served
    client.get("/static/chart.js", headers={"Accept-Encoding": "br"})
    (folder / "chart.js").write_bytes(SCRIPT + b"// v2\n")
    os.utime(folder / "chart.js", (1, 1))
    response = client.get("/static/chart.js", headers={"Accept-Encoding": "br"})
    assert response.content.endswith(b"// v2\n")
    assert calls == ["br", "br"]


def test_images_and_ranges_pass_as_they_are(served):
    client, calls, _ = served
    assert "content-encoding" not in client.get("/static/logo.png", headers={"Accept-Encoding": "br"}).headers
    part = client.get("/static/chart.js", headers={"Accept-Encoding": "br", "Range": "bytes=0-9"})
    assert part.status_code == 206 and part.content == SCRIPT[:10]
    assert calls == []


def test_revalidation_with_the_compressed_etag_is_answered_not_modified(served):
    client, _, _ = served
    etag = client.get("/static/chart.js", headers={"Accept-Encoding": "br"}).headers["etag"]
    assert etag.endswith('-br"')
    again = client.get("/static/chart.js", headers={"Accept-Encoding": "br", "If-None-Match": etag})
    assert again.status_code == 304


def test_the_encoded_bytes_are_real_brotli_and_gzip():
    assert brotli.decompress(compress.ENCODERS["br"](SCRIPT)) == SCRIPT
    assert gzip.decompress(compress.ENCODERS["gzip"](SCRIPT)) == SCRIPT


@pytest.mark.parametrize(
    ("header", "chosen"),
    [("gzip, deflate, br, zstd", "br"), ("gzip", "gzip"), ("br;q=0, gzip", "gzip"), ("identity", None), ("", None)],
)
def test_the_encoding_follows_accept_encoding(header, chosen):
    assert chosen_encoding(header) == chosen
