"""Security headers on every HTTP response, and only the allowed host names answered.

The Content-Security-Policy allows what Streamlit's page needs and nothing else:
its scripts from the server, plus the one inline script of its index.html (by
hash, computed at start-up from the installed file) and the dashboard's print script
(`dashboard.ui.printing`, by hash too), and WebAssembly; inline styles, which its
CSS-in-JS and plotly write at run time; images, fonts and workers from the
server, `data:` and `blob:` URLs; the WebSocket to the server itself.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def script_hash(body: str) -> str:
    """The CSP source (`'sha256-…'`) that allows one inline script, by the hash of its text."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"


def inline_script_hashes(index_html: Path) -> list[str]:
    """CSP sources (`'sha256-…'`) of the inline scripts of a page."""
    return [script_hash(body) for body in _INLINE_SCRIPT.findall(index_html.read_text(encoding="utf-8"))]


def content_security_policy(script_hashes: Iterable[str], frame_ancestors: Iterable[str] = ()) -> str:
    ancestors = " ".join(frame_ancestors) or "'none'"
    return "; ".join(
        [
            "default-src 'self'",
            # WebAssembly (Streamlit's table reader compiles some), never JavaScript's eval.
            "script-src 'self' 'wasm-unsafe-eval' " + " ".join(script_hashes),
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "frame-src 'self'",
            "media-src 'self' blob: data:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            f"frame-ancestors {ancestors}",
        ]
    )


def host_allowed(host: str | None, allowed: Iterable[str]) -> bool:
    """Whether a Host header names one of the allowed hosts (`*.example.org` allows its subdomains)."""
    if not host:
        return False
    try:
        parts = urlsplit(f"//{host}")
        _ = parts.port  # a port that is not a number makes the host invalid
    except ValueError:
        return False
    name = (parts.hostname or "").rstrip(".")
    if not name or parts.username or parts.password or parts.path:
        return False
    for pattern in allowed:
        if pattern == "*" or name == pattern or (pattern.startswith("*.") and name.endswith(pattern[1:])):
            return True
    return False


REFUSED_HOST = "Adresse refusée : ce serveur ne répond pas sous ce nom d'hôte (réglage PMO_ALLOWED_HOSTS).".encode()


class SecurityHeaders:
    """Refuse requests for other host names; add the security headers to every HTTP response."""

    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str], policy: str, frame_denied: bool = True) -> None:
        self.app = app
        self.allowed_hosts = tuple(allowed_hosts)
        self.headers = [
            (b"content-security-policy", policy.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]
        if frame_denied:
            # For browsers that ignore frame-ancestors.
            self.headers.append((b"x-frame-options", b"DENY"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        host = next((value.decode("latin-1") for name, value in scope["headers"] if name == b"host"), None)
        if not host_allowed(host, self.allowed_hosts):
            await self._refuse(scope, send)
            return
        if scope["type"] == "websocket":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in self.headers if name not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        if scope["type"] == "websocket":
            # Closing before accepting makes the server answer 403 to the handshake.
            await send({"type": "websocket.close", "code": 1008})
            return
        await send(
            {
                "type": "http.response.start",
                "status": 400,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), *self.headers],
            }
        )
        await send({"type": "http.response.body", "body": REFUSED_HOST})
