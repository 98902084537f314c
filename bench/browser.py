"""What a commander's browser sees: time to the first chart and to the map, and
WebSocket bytes per filter change, in headless Chromium (Playwright).

Frames are counted as the page receives them; a change ends at the server's
`script_finished` message, read from the frames themselves, so nothing depends
on a spinner's timing.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from dashboard.ui.navigation import PageSpec

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The reader the benchmarks visit as: a desktop screen in French, with the browser's default motion.
READER = {"viewport": {"width": 1400, "height": 1000}, "locale": "fr-FR"}
_CHART = ".js-plotly-plot .main-svg"
_MAP = ".js-plotly-plot .geolayer, .js-plotly-plot .choroplethlocation, .js-plotly-plot .scattergeo"
# The frame after the first one that drew an element of `selector` with a size: by then the frame with the element
# has gone to the compositor. Looked for at every animation frame, in the page. Playwright's `wait_for_selector` looks
# again only every 500 ms once its first tries fail (its back-off: 0, 20, 50, 100, 100, then 500 ms), which added
# 0.5-1.2 s to the first chart of a visit that takes 3 s.
_DRAWN = """([selector, timeout]) => new Promise((resolve, reject) => {
    setTimeout(() => reject(new Error(`${selector}: nothing drawn within ${timeout} ms`)), timeout);
    const drawn = () => [...document.querySelectorAll(selector)].some(element => {
        const box = element.getBoundingClientRect();
        return box.width > 0 && box.height > 0;
    });
    const look = () => (drawn() ? requestAnimationFrame(() => resolve(true)) : requestAnimationFrame(look));
    requestAnimationFrame(look);
})"""
# Filter changes made in the sidebar, as a user would: add a region, add another, clear all...
CHANGES = (("region", "Afrique"), ("region", "Europe"), ("clear", ""), ("region", "Moyen-Orient"), ("clear", ""))


@dataclass
class BrowserResult:
    seconds_to_first_chart: float | None
    seconds_to_map: float | None
    seconds_to_idle: float
    bytes_first_load: int
    bytes_per_change: list[int] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, object]:
        per_change = self.bytes_per_change or [0]
        return {
            "first_chart_s": self.seconds_to_first_chart,
            "map_s": self.seconds_to_map,
            "idle_s": self.seconds_to_idle,
            "first_load_bytes": self.bytes_first_load,
            "change_bytes_median": statistics.median(per_change),
            "change_bytes_max": max(per_change),
            "change_bytes": self.bytes_per_change,
            "outside_requests": self.outside_requests,
        }


def wait_drawn(page, selector: str, timeout_ms: float) -> None:
    """Return at the animation frame after the first one that drew an element of `selector` with a size."""
    page.evaluate(_DRAWN, [selector, timeout_ms])


@contextmanager
def chromium() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class _Wire:
    """Counts WebSocket bytes received and notices each `script_finished`."""

    def __init__(self) -> None:
        self.received = 0
        self.finished = 0
        self.charts = 0
        self.maps = 0

    def on_frame(self, payload: bytes | str) -> None:
        data = payload if isinstance(payload, bytes) else payload.encode()
        self.received += len(data)
        msg = ForwardMsg()
        try:
            msg.ParseFromString(data)
        except Exception:
            return
        if msg.WhichOneof("type") == "delta" and msg.delta.new_element.WhichOneof("type") == "plotly_chart":
            self.charts += 1
            spec = msg.delta.new_element.plotly_chart.spec
            self.maps += '"geo"' in spec or '"choropleth"' in spec or '"scattergeo"' in spec
        if msg.WhichOneof("type") == "script_finished" and msg.script_finished in (0, 1):
            self.finished += 1


def _wait_finished(page, wire: _Wire, already: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while wire.finished <= already:
        if time.monotonic() > deadline:
            raise TimeoutError("the script did not finish")
        page.wait_for_timeout(20)


def measure(browser, base_url: str, spec: PageSpec, changes=CHANGES, query_string: str = "") -> BrowserResult:
    """Open `spec` (with `query_string` in its address) in a fresh tab, then make the sidebar filter changes."""
    context = browser.new_context(**READER)
    page = context.new_page()
    wire = _Wire()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("websocket", lambda ws: ws.on("framereceived", wire.on_frame))
    try:
        started = time.perf_counter()
        page.goto(f"{base_url}/{spec.address}" + (f"?{query_string}" if query_string else ""))
        first_chart = map_drawn = None
        _wait_finished(page, wire, 0)
        idle = time.perf_counter() - started
        if wire.charts:  # the server sent figures: time until the browser has drawn them
            try:
                wait_drawn(page, _CHART, 60_000)
                first_chart = time.perf_counter() - started
                if wire.maps:
                    wait_drawn(page, _MAP, 60_000)
                    map_drawn = time.perf_counter() - started
            except Exception:
                pass
        page.wait_for_timeout(300)
        result = BrowserResult(first_chart, map_drawn, idle, wire.received)
        sidebar = page.locator("[data-testid='stSidebar']")
        for kind, value in changes:
            before_bytes, before_runs = wire.received, wire.finished
            if kind == "clear":
                page.mouse.click(5, 5)  # close any open list first
                page.wait_for_timeout(200)
                sidebar.get_by_role("button", name="Effacer les filtres").click()
            else:
                sidebar.locator("[data-testid='stMultiSelect']").first.click()
                page.get_by_role("option", name=value).click()
                page.keyboard.press("Escape")
            _wait_finished(page, wire, before_runs)
            page.wait_for_timeout(200)  # late frames (forward-message cache replies) belong to this change
            result.bytes_per_change.append(wire.received - before_bytes)
        result.outside_requests = [
            u for u in requests if not u.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:"))
        ]
        return result
    finally:
        context.close()
