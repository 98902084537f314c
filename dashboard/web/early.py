"""Streamlit's page served with the code of the dashboard's first screen asked for at once.

Streamlit's page fetches the code of a list, a metric or a chart only when the
script's first messages name one, after the WebSocket has opened: one more wave
of requests on the critical path, and the plotly chunk (4.7 MB, 0.6 s of the
browser's time to evaluate) waits for the first chart. Every page of the
dashboard shows the same sidebar and header, and plotly charts: the page is
served with a module script for each of those chunks after Streamlit's own, so
that the browser fetches and evaluates them while it waits for the server (a
page that draws no chart leaves the plotly chunk to the page that will).
Streamlit's later `import()` of the same address finds the module already in
the browser's module map, and runs nothing twice.

The chunks are found by name in the installed Streamlit (`Name.<hash>.js`): a
name Streamlit no longer ships is left out, and tests/test_web_early.py fails.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import streamlit
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

STREAMLIT_JS = Path(streamlit.__file__).parent / "static" / "static" / "js"
# The lazily loaded components every page shows on its first screen: the sidebar's lists, date range and language
# switch, the page links, the key figures, the print script, the charts (last: the longest to evaluate).
CHARTS = "PlotlyChart"
FIRST_SCREEN = ("Html", "PageLink", "ButtonGroup", "DateInput", "Multiselect", "Button", "Metric", CHARTS)
# Streamlit's own entry script in its page, after which the chunks' scripts go.
_ENTRY = re.compile(rb'<script type="module" crossorigin src="\./static/js/index\.[\w-]+\.js"></script>')


def chunk_files(names: Iterable[str] = FIRST_SCREEN, folder: Path = STREAMLIT_JS) -> list[str]:
    """The file names of the chunks `names` in Streamlit's scripts folder, in the order of `names`."""
    found = []
    for name in names:
        # `Button.*.js` would also match `Button.esm.*.js`: the hash is one part.
        found += sorted(
            path.name for path in folder.glob(f"{name}.*.js") if re.fullmatch(rf"{name}\.[\w-]+\.js", path.name)
        )[:1]
    return found


def with_chunks(page: bytes, files: Iterable[str]) -> bytes:
    """Streamlit's page with a module script for each chunk of `files` after its entry script (unchanged when it
    has none)."""
    tag = b'\n    <script type="module" crossorigin src="./static/js/%s"></script>'
    tags = b"".join(tag % name.encode() for name in files)
    return _ENTRY.sub(lambda entry: entry.group(0) + tags, page, count=1)


class EarlyChunks:
    """Serve Streamlit's page (any address answered with its index.html) with the first screen's chunks asked for;
    the pages whose address ends with one of `without_charts` leave the charts' chunk to a later page."""

    def __init__(self, app: ASGIApp, files: Iterable[str] | None = None, without_charts: Iterable[str] = ()) -> None:
        self.app = app
        self.files = tuple(chunk_files() if files is None else files)
        self.plain_files = tuple(name for name in self.files if not name.startswith(f"{CHARTS}."))
        self.without_charts = frozenset(without_charts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not self.files:
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def rewrite(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                kind = Headers(raw=message.get("headers", [])).get("content-type", "")
                if message["status"] == 200 and kind.startswith("text/html"):
                    start = message  # held until the whole page is read
                    return
            elif start is not None and message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                # The page only changes with the installed Streamlit, as its own validator does: kept.
                page = scope["path"].rstrip("/").rsplit("/", 1)[-1]
                body = with_chunks(b"".join(chunks), self.plain_files if page in self.without_charts else self.files)
                headers = MutableHeaders(raw=list(start.get("headers", [])))
                headers["content-length"] = str(len(body))
                await send({**start, "headers": headers.raw})
                await send({"type": "http.response.body", "body": body})
                return
            await send(message)

        await self.app(scope, receive, rewrite)
