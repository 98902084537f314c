"""One of Streamlit's static files answered with the dashboard's own version of it, at Streamlit's address."""

from __future__ import annotations

import hashlib

from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

# Streamlit's file names carry their content's hash: a browser keeps them a year.
CACHE_CONTROL = "public, immutable, max-age=31536000"


class ReplacedAsset:
    """Answer GET and HEAD requests for `address` (`/static/…`, under any base path) with `body`, kept a year and
    revalidated by its ETag; every other request goes to the app. With no address, nothing is replaced."""

    def __init__(self, app: ASGIApp, address: str | None, body: bytes, media_type: str) -> None:
        self.app = app
        self.address = address
        self.body = body
        self.media_type = media_type
        self.headers = {"Cache-Control": CACHE_CONTROL, "ETag": f'"{hashlib.sha256(body).hexdigest()[:32]}"'}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self.address is not None
            and scope["type"] == "http"
            and scope["method"] in ("GET", "HEAD")
            and scope["path"].endswith(self.address)
        ):
            if self.headers["ETag"] in Headers(scope=scope).get("if-none-match", ""):
                response = Response(status_code=304, headers=self.headers)
            else:
                response = Response(self.body, media_type=self.media_type, headers=self.headers)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
