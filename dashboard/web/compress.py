"""Static files served compressed: brotli when the browser accepts it, else gzip; each file compressed once.

Streamlit serves its JavaScript uncompressed (its plotly chunk alone is 4.7 MB,
1.2 MB in brotli): over a 2 Mbit/s satellite link the first visit took 35 s.
A response is compressed when it is a whole file (status 200, no range) of a
compressible type, carries a validator (ETag or Last-Modified) and no
encoding yet. The result is kept in memory under the path, the validator and
the size, so a file changed on disk is compressed again and an unchanged one
never twice. Brotli quality 5 compresses the plotly chunk in half a second
(quality 11 would take 40 s for 14 % less); the work runs in a thread, once,
while concurrent requests for the same file wait for it.
"""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import Callable

import brotli
from anyio import to_thread
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

BROTLI_QUALITY = 5
GZIP_LEVEL = 6
# Smaller bodies gain less than the headers cost.
MINIMUM_SIZE = 1024
COMPRESSIBLE = (
    "text/",
    "application/javascript",
    "application/json",
    "application/manifest+json",
    "image/svg+xml",
    "font/ttf",
    "font/otf",
    "application/font-sfnt",
    "application/vnd.ms-fontobject",
)
ENCODERS: dict[str, Callable[[bytes], bytes]] = {
    "br": lambda body: brotli.compress(body, quality=BROTLI_QUALITY),
    "gzip": lambda body: gzip.compress(body, GZIP_LEVEL, mtime=0),
}


def chosen_encoding(accept_encoding: str) -> str | None:
    """`br` when the browser accepts it, else `gzip`, else None (a zero q-value refuses)."""
    accepted = set()
    for item in accept_encoding.split(","):
        name, _, params = item.strip().partition(";")
        if params.strip().replace(" ", "") in ("q=0", "q=0.0", "q=0.00", "q=0.000"):
            continue
        accepted.add(name.strip().lower())
    return next((name for name in ENCODERS if name in accepted or "*" in accepted), None)


class CompressedStatic:
    """Compress whole-file responses (Streamlit's page and assets, the map geometry), once per version and encoding."""

    def __init__(self, app: ASGIApp, excluded: tuple[str, ...] = ("/_stcore/", "/media/")) -> None:
        self.app = app
        # Streamlit's API and media (ranges for audio and video) stay as they are.
        self.excluded = excluded
        self.cache: dict[tuple[str, str, str, str], bytes] = {}
        self._pending: dict[tuple[str, str, str, str], asyncio.Future[bytes]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"].startswith(self.excluded):
            await self.app(scope, receive, send)
            return
        request = Headers(scope=scope)
        encoding = chosen_encoding(request.get("accept-encoding", ""))
        if encoding is None or "range" in request:
            await self.app(scope, receive, send)
            return
        if "if-none-match" in request:
            # The browser revalidates with the compressed ETag: ask with the file's own.
            headers = MutableHeaders(scope=scope)
            headers["if-none-match"] = request["if-none-match"].replace(f'-{encoding}"', '"')
        await _Response(self, scope, encoding, send).run(receive)

    async def compressed(self, key: tuple[str, str, str, str], body: bytes) -> bytes:
        if key in self.cache:
            return self.cache[key]
        if key in self._pending:
            return await self._pending[key]
        future: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        self._pending[key] = future
        try:
            result = await to_thread.run_sync(ENCODERS[key[-1]], body)
            self.cache[key] = result
            future.set_result(result)
            return result
        except BaseException as error:
            future.set_exception(error)
            future.exception()  # read here, so that no waiter is required
            raise
        finally:
            del self._pending[key]


class _Response:
    """One response passing through: held at its start until it is known to be compressible."""

    def __init__(self, middleware: CompressedStatic, scope: Scope, encoding: str, send: Send) -> None:
        self.middleware = middleware
        self.scope = scope
        self.encoding = encoding
        self.send = send
        self.start: Message | None = None
        self.key: tuple[str, str, str, str] | None = None
        self.chunks: list[bytes] = []
        # "hold" until the start is read; then "pass" (not compressible) or "drop" (compressed body sent).
        self.state = "hold"

    async def run(self, receive: Receive) -> None:
        await self.middleware.app(self.scope, receive, self.on_message)

    def _compressible(self, message: Message) -> tuple[str, str, str, str] | None:
        headers = Headers(raw=message.get("headers", []))
        kind = headers.get("content-type", "").split(";")[0].strip().lower()
        validator = headers.get("etag") or headers.get("last-modified")
        length = headers.get("content-length", "")
        if (
            message["status"] != 200
            or "content-encoding" in headers
            or not kind.startswith(COMPRESSIBLE)
            or not validator
            or not length.isdigit()
            or int(length) < MINIMUM_SIZE
        ):
            return None
        return (self.scope["path"], validator, length, self.encoding)

    async def on_message(self, message: Message) -> None:
        if self.state == "pass":
            await self.send(message)
            return
        if self.state == "drop":
            return
        if message["type"] == "http.response.start":
            self.key = self._compressible(message)
            if self.key is None:
                self.state = "pass"
                await self.send(message)
                return
            self.start = message
            if self.key in self.middleware.cache:
                await self._send_compressed(self.middleware.cache[self.key])
            return
        if message["type"] == "http.response.body" and self.key is not None:
            self.chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                await self._send_compressed(await self.middleware.compressed(self.key, b"".join(self.chunks)))
            return
        await self.send(message)

    async def _send_compressed(self, body: bytes) -> None:
        assert self.start is not None
        headers = MutableHeaders(raw=list(self.start.get("headers", [])))
        headers["content-encoding"] = self.encoding
        headers["content-length"] = str(len(body))
        headers.add_vary_header("Accept-Encoding")
        if "etag" in headers:
            headers["etag"] = headers["etag"].removesuffix('"') + f'-{self.encoding}"'
        await self.send({**self.start, "headers": headers.raw})
        await self.send({"type": "http.response.body", "body": body})
        # The file's own body, still coming from the app, is dropped.
        self.state = "drop"
