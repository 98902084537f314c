"""Uploads only from sessions whose user may import, refused before a byte of the file is read.

Streamlit accepts a file for any session at `PUT /_stcore/upload_file/<session>/<file>`,
and the session id travels in that address (so in proxy logs). Here each rerun
of app.py grants its session the upload, or takes it back, according to the
user's role (`UploadPermits.grant`), noting how the browser proves who it is: the
digest of its log-in cookie, of the OpenID Connect cookie, or of the SSO proxy's
header. An upload must come from a granted session *and* carry that same
credential; anything else gets 403 before its body is received, so no memory is
held. The size cap stays Streamlit's (`server.maxUploadSize`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from cachetools import TTLCache
from starlette.datastructures import Headers
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Receive, Scope, Send

from dashboard.web.identity import fingerprint

UPLOAD_PREFIX = "/_stcore/upload_file/"
REFUSED = "Envoi de fichier refusé : l'import de données requiert le rôle état-major (ou supérieur).".encode()


@dataclass(frozen=True)
class Credential:
    """How the browser proves the identity a session was granted for: `kind` is cookie, header or open
    (demo access: nothing to prove); `name` the cookie (with its numbered chunks) or the header."""

    kind: str
    name: str = ""
    digest: str = ""

    @classmethod
    def of(cls, kind: str, name: str, value: str | None) -> Credential | None:
        return None if not value else cls(kind, name, fingerprint(value))


def presented(kind: str, name: str, cookies: dict[str, str], headers: Headers) -> str | None:
    """The credential of `kind` and `name` that a request (or a WebSocket's handshake) carries."""
    if kind == "header":
        return headers.get(name)
    if kind == "cookie":
        # Large cookies come in chunks: NAME, NAME__1, NAME__2…
        chunks = sorted((key, value) for key, value in cookies.items() if key == name or key.startswith(name + "__"))
        return "".join(value for _, value in chunks) or None
    return None


class UploadPermits:
    """Sessions allowed to upload, each with the credential it must show; a session not seen for a day is forgotten."""

    def __init__(self, maxsize: int = 10_000, ttl: float = 24 * 3600) -> None:
        self._permits: TTLCache[str, Credential] = TTLCache(maxsize, ttl)
        self._lock = threading.Lock()

    def grant(self, session_id: str, credential: Credential) -> None:
        with self._lock:
            self._permits[session_id] = credential

    def revoke(self, session_id: str) -> None:
        with self._lock:
            self._permits.pop(session_id, None)

    def allows(self, session_id: str, cookies: dict[str, str], headers: Headers) -> bool:
        with self._lock:
            credential = self._permits.get(session_id)
        if credential is None:
            return False
        if credential.kind == "open":
            return True
        value = presented(credential.kind, credential.name, cookies, headers)
        return value is not None and fingerprint(value) == credential.digest


# One per process: app.py's reruns grant, the server's middleware checks.
PERMITS = UploadPermits()


class GuardedUploads:
    """Refuse uploads (and removals of uploaded files) of sessions without a permit, before reading the body."""

    def __init__(self, app: ASGIApp, permits: UploadPermits = PERMITS) -> None:
        self.app = app
        self.permits = permits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(UPLOAD_PREFIX) and scope["method"] != "OPTIONS":
            session_id = scope["path"][len(UPLOAD_PREFIX) :].split("/", 1)[0]
            headers = Headers(scope=scope)
            if not self.permits.allows(session_id, cookie_parser(headers.get("cookie", "")), headers):
                await send(
                    {
                        "type": "http.response.start",
                        "status": 403,
                        # The body is never read: the connection closes after this answer.
                        "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close")],
                    }
                )
                await send({"type": "http.response.body", "body": REFUSED})
                return
        await self.app(scope, receive, send)
