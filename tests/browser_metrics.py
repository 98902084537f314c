"""What the browser receives over Streamlit's WebSocket while the user does something.

    meter = WebSocketMeter(page)          # before page.goto(...)
    page.goto(url); wait_for_app(page)
    received = meter.bytes_during(lambda: click_something(page), settle=lambda: wait_for_app(page))

Used by the browser tests and by the benchmarks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


def _size(payload: str | bytes) -> int:
    return len(payload.encode("utf-8")) if isinstance(payload, str) else len(payload)


@dataclass
class WebSocketMeter:
    """Counts the bytes of every frame the page receives over its WebSockets (attach before `goto`)."""

    page: object
    received: int = 0
    frames: int = 0
    urls: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("websocket", self._watch)

    def _watch(self, websocket) -> None:
        self.urls.append(websocket.url)
        websocket.on("framereceived", self._count)

    def _count(self, payload: str | bytes) -> None:
        self.received += _size(payload)
        self.frames += 1

    def bytes_during(self, action: Callable[[], object], settle: Callable[[], object] | None = None) -> int:
        """Bytes received from the start of `action` until `settle` returns (the app is still again)."""
        start = self.received
        action()
        if settle is not None:
            settle()
        return self.received - start


def websocket_bytes_during(
    meter: WebSocketMeter, action: Callable[[], object], settle: Callable[[], object] | None = None
) -> int:
    """Function form of `WebSocketMeter.bytes_during` (Playwright reports a WebSocket only when it
    opens, so the meter must be attached before the page loads)."""
    return meter.bytes_during(action, settle)
