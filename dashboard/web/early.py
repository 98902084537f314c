"""Streamlit's page served so that it starts at once: the first screen's code asked for, the server's address given.

Two waits stood between Streamlit's page and its first messages.

- **Code asked for late.** Streamlit's page fetches the code of a list, a metric
  or a chart only when the script's first messages name one, after the WebSocket
  has opened: one more wave of requests on the critical path, and the plotly chunk
  (4.7 MB, the longest to evaluate, see `plotly_traces`) waits for the first chart.
  Every page of the dashboard shows the same sidebar and header, and plotly
  charts: the page is served with a module script for each of those chunks after
  Streamlit's own, so that the browser fetches and evaluates them while it waits
  for the server (a page that draws no chart leaves the plotly chunk to the page
  that will). Streamlit's later `import()` of the same address finds the module
  already in the browser's module map, and runs nothing twice.
- **The server looked for.** Before it opens its WebSocket, Streamlit's page asks
  for the server's health and host configuration: one round trip (0.3 s over the
  satellite link). On any page but the first it asks below the page's own address
  first (`/map/_stcore/health`, not found), then at the app's root: two round trips
  and a tenth of a second. A host that embeds Streamlit can tell the page where its
  server is and what its configuration is (`window.__streamlit`: `BACKEND_BASE_URL`
  and `HOST_CONFIG`); Streamlit then opens its WebSocket at once and asks for the
  rest alongside. The page is served with that: the app's root relative to the
  page and the host configuration Streamlit's server gives (its allowed origins),
  in a JSON block written for each page, read by an inline script whose text never
  changes, so that the Content-Security-Policy allows it by its hash.

The chunks are found by name in the installed Streamlit (`Name.<hash>.js`): a
name Streamlit no longer ships is left out, and tests/test_web_early.py fails, as
it does when Streamlit's page stops reading `window.__streamlit`.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import streamlit
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Streamlit's own front end as the installed package serves it: its scripts, styles, fonts.
STREAMLIT_STATIC = Path(streamlit.__file__).parent / "static" / "static"
STREAMLIT_JS = STREAMLIT_STATIC / "js"
# The lazily loaded components every page shows on its first screen: the sidebar's lists, date range and language
# switch, the page links, the key figures, the print script, the charts (last: the longest to evaluate).
CHARTS = "PlotlyChart"
FIRST_SCREEN = ("Html", "PageLink", "ButtonGroup", "DateInput", "Multiselect", "Button", "Metric", CHARTS)
# Streamlit's own entry script in its page, after which the chunks' scripts go.
_ENTRY = re.compile(rb'<script type="module" crossorigin src="\./static/js/index\.[\w-]+\.js"></script>')
HOST_BLOCK_ID = "pmo-streamlit-host"
# Runs before Streamlit's entry script (a module, run once the page is read), which reads `window.__streamlit` once.
HOST_SCRIPT = (
    f"(function(){{var host=JSON.parse(document.getElementById('{HOST_BLOCK_ID}').textContent);"
    "window.__streamlit={BACKEND_BASE_URL:new URL(host.root,location.href).href,HOST_CONFIG:host.config}})()"
)


def chunk_files(names: Iterable[str] = FIRST_SCREEN, folder: Path = STREAMLIT_JS) -> list[str]:
    """The file names of the chunks `names` in Streamlit's scripts folder, in the order of `names`."""
    found = []
    for name in names:
        # `Button.*.js` would also match `Button.esm.*.js`: the hash is one part.
        found += sorted(
            path.name for path in folder.glob(f"{name}.*.js") if re.fullmatch(rf"{name}\.[\w-]+\.js", path.name)
        )[:1]
    return found


def app_root(path: str, base_url_path: str = "") -> str | None:
    """The app's root as the page at `path` reaches it (`./`, or `./pmo/` from `/pmo`), under Streamlit's
    `server.baseUrlPath`; None for an address that is not one of the app's pages (its root or a page under it)."""
    base = "/".join(part for part in base_url_path.split("/") if part)
    prefix = f"/{base}" if base else ""
    if not path.startswith(prefix):
        return None
    rest = path[len(prefix) :]
    if rest == "":
        return f"./{base.rsplit('/', 1)[-1]}/"
    return "./" if rest.count("/") == 1 and rest.startswith("/") else None


def host_block(root: str, allowed_origins: Sequence[str]) -> bytes:
    """The page's JSON block and the script that hands it to Streamlit: where the server is, and the part of its host
    configuration Streamlit needs to connect at once (`allowedOrigins`, `useExternalAuthToken`); it asks for the
    rest alongside."""
    config = {"allowedOrigins": list(allowed_origins), "useExternalAuthToken": False}
    # In a script element, `</script>` would end the block early: `<` is written as JSON's escape.
    data = json.dumps({"root": root, "config": config}).replace("<", "\\u003c")
    block = f'<script type="application/json" id="{HOST_BLOCK_ID}">{data}</script>'
    return f"{block}\n    <script>{HOST_SCRIPT}</script>\n    ".encode()


def with_chunks(page: bytes, files: Iterable[str], host: bytes = b"") -> bytes:
    """Streamlit's page with `host` (see `host_block`) before its entry script and a module script for each chunk
    of `files` after it (unchanged when it has none)."""
    tag = b'\n    <script type="module" crossorigin src="./static/js/%s"></script>'
    tags = b"".join(tag % name.encode() for name in files)
    return _ENTRY.sub(lambda entry: host + entry.group(0) + tags, page, count=1)


def streamlit_host() -> tuple[str, list[str]]:
    """Streamlit's base address and allowed origins, as its server reads them for its host configuration."""
    return str(streamlit.get_option("server.baseUrlPath") or ""), list(streamlit.get_option("client.allowedOrigins"))


class EarlyChunks:
    """Serve Streamlit's page (any address answered with its index.html) with the first screen's chunks asked for
    and, on the app's pages, the server's address given; the pages whose address ends with one of `without_charts`
    leave the charts' chunk to a later page. `host` gives Streamlit's base address and allowed origins."""

    def __init__(
        self,
        app: ASGIApp,
        files: Iterable[str] | None = None,
        without_charts: Iterable[str] = (),
        host: Callable[[], tuple[str, list[str]]] = streamlit_host,
    ) -> None:
        self.app = app
        self.files = tuple(chunk_files() if files is None else files)
        self.plain_files = tuple(name for name in self.files if not name.startswith(f"{CHARTS}."))
        self.without_charts = frozenset(without_charts)
        self.host = host

    def completed(self, path: str, page: bytes) -> bytes:
        """Streamlit's `page`, served at `path`, with its chunks and (on the app's pages) the server's address."""
        base_url_path, allowed_origins = self.host()
        root = app_root(path, base_url_path)
        host = b"" if root is None else host_block(root, allowed_origins)
        files = self.plain_files if path.rstrip("/").rsplit("/", 1)[-1] in self.without_charts else self.files
        return with_chunks(page, files, host)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def rewrite(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = Headers(raw=message.get("headers", []))
                if (
                    message["status"] == 200
                    and headers.get("content-type", "").startswith("text/html")
                    and headers.get("content-encoding", "identity") in ("identity", "gzip")
                ):
                    start = message  # held until the whole page is read
                    return
            elif start is not None and message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                headers = MutableHeaders(raw=list(start.get("headers", [])))
                # Streamlit gzips the page it serves at any address but its root: read, rewritten, gzipped again.
                zipped = headers.get("content-encoding") == "gzip"
                served = b"".join(chunks)
                body = self.completed(scope["path"], gzip.decompress(served) if zipped else served)
                body = gzip.compress(body, mtime=0) if zipped else body
                headers["content-length"] = str(len(body))
                await send({**start, "headers": headers.raw})
                await send({"type": "http.response.body", "body": body})
                return
            await send(message)

        await self.app(scope, receive, rewrite)
