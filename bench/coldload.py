"""A first visit of the overview over slow links, as a commander at a deployed headquarters meets it.

    python -m bench.coldload [--size 10k]

Headless Chromium with Chrome's own network emulation
(`Network.emulateNetworkConditions` over CDP: bandwidth and latency applied to
every request and WebSocket frame) opens the overview with an empty cache,
then again with the cache of that first visit. Bytes on the wire are what the
network layer received (`encodedDataLength` of every response, headers
included, and every WebSocket frame). The same run measures Streamlit's own
`streamlit run app.py` and the dashboard's server (`python -m dashboard.server`),
each on the same store, each warmed by one unthrottled visit first so that
both serve data already read. Each visit is made three times (`--repeats`), in
turn, and its median kept with the times of all: on a shared machine one visit
can be off by half a second either way. Results go into bench/results.json
("coldload") and bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import base64
import json
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from bench import report, server
from bench.browser import _CHART, READER, chromium, wait_drawn
from bench.stores import ensure_store

HERE = Path(__file__).resolve().parent
SCRATCH = Path(tempfile.gettempdir()) / "pmo-bench"
# name: (download and upload in bits per second, latency in ms)
LINKS = {"satellite": (2_000_000, 300), "intranet": (20_000_000, 20)}
TARGETS = {"bytes": 3_000_000, "satellite": 15.0, "intranet": 3.0, "satellite_warm": 3.0}
# The partners' shapes on the overview's map: drawn once the geometry has arrived.
_PARTNERS = ".js-plotly-plot .choroplethlocation"
# A visit's bytes are counted until nothing has arrived for this long.
QUIET_MS = 1000


@dataclass
class Visit:
    link: str
    cache: str  # "empty" or "warm"
    seconds_to_first_chart: float
    bytes: int
    requests: int
    websocket_bytes: int
    seconds_each: tuple[float, ...] = ()  # every repeat of this visit, when the figures are their median


def _frame_bytes(response: dict) -> int:
    # Binary frames come base64-encoded (opcode 2), text frames as they are.
    data = response.get("payloadData", "")
    return len(base64.b64decode(data)) if response.get("opcode") == 2 else len(data.encode())


def visit(context, url: str, link: str, cache: str) -> Visit:
    """Open `url` in a new tab of `context` over `link`; time until the first chart is drawn."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    received = {"http": 0, "ws": 0, "requests": 0}

    def finished(event: dict) -> None:
        received["http"] += int(event.get("encodedDataLength", 0))
        received["requests"] += 1

    cdp.on("Network.loadingFinished", finished)
    cdp.on(
        "Network.webSocketFrameReceived",
        lambda event: received.__setitem__("ws", received["ws"] + _frame_bytes(event["response"])),
    )
    cdp.send("Network.enable")
    if link != "loopback":
        bits, latency = LINKS[link]
        cdp.send(
            "Network.emulateNetworkConditions",
            {"offline": False, "latency": latency, "downloadThroughput": bits / 8, "uploadThroughput": bits / 8},
        )
    started = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=180_000)
    wait_drawn(page, _CHART, 180_000)
    seconds = time.perf_counter() - started
    # What is still on its way for this first screen: the map's geometry (asked for when plotly draws the map),
    # the rest of the script's messages. Playwright's "networkidle" would not wait for them: reached once while
    # the page waited for the server, it is not waited for again.
    page.wait_for_selector(_PARTNERS, timeout=180_000)
    deadline = time.perf_counter() + 180
    while time.perf_counter() < deadline:
        before = dict(received)
        page.wait_for_timeout(QUIET_MS)
        if received == before:
            break
    page.close()
    return Visit(
        link, cache, round(seconds, 2), received["http"] + received["ws"], received["requests"], received["ws"]
    )


def measure_server(browser, url: str, repeats: int = 3) -> list[Visit]:
    """Each visit `repeats` times (all of them in turn, then again): the median one, with every repeat's time."""
    warmup = browser.new_context(**READER)
    visit(warmup, url, "loopback", "empty")  # the server reads the store once, for everyone after
    warmup.close()
    made: dict[tuple[str, str], list[Visit]] = {}
    for _ in range(repeats):
        for link in ("loopback", "intranet", "satellite"):
            context = browser.new_context(**READER)
            made.setdefault((link, "empty"), []).append(visit(context, url, link, "empty"))
            if link == "satellite":
                made.setdefault((link, "warm"), []).append(visit(context, url, link, "warm"))
            context.close()
    return [_median(repeated) for repeated in made.values()]


def _median(visits: list[Visit]) -> Visit:
    middle = sorted(visits, key=lambda one: one.seconds_to_first_chart)[len(visits) // 2]
    return replace(middle, seconds_each=tuple(one.seconds_to_first_chart for one in visits))


def run(size: str = "10k", log=print, repeats: int = 3) -> dict[str, object]:
    """The figures of bench/results.json's "coldload": both servers on the store of `size`."""
    store = ensure_store(size, log=log)
    load = report.load_average()
    servers = measure(store, log, repeats)
    return {"size": size, "targets": TARGETS, "servers": servers, "load_average": [load, report.load_average()]}


def measure(store: Path, log=print, repeats: int = 3) -> dict[str, object]:
    results: dict[str, object] = {}
    with chromium() as browser:
        for name, plain in (("streamlit run app.py", True), ("python -m dashboard.server", False)):
            log(f"cold load: {name}")
            env = {"PMO_DEMO_ACCESS": "1"}
            with server.start(store, SCRATCH / f"server-coldload-{int(plain)}.log", env, plain=plain) as srv:
                results[name] = [asdict(v) for v in measure_server(browser, srv.url, repeats)]
            log(results[name])
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="10k", help="store the overview reads (10k by default: the link is measured)")
    parser.add_argument("--repeats", type=int, default=3, help="times each visit is made (its median is kept)")
    args = parser.parse_args(argv)
    SCRATCH.mkdir(parents=True, exist_ok=True)
    results_path = HERE / "results.json"
    results = json.loads(results_path.read_text()) if results_path.exists() else {}
    results["coldload"] = run(args.size, repeats=args.repeats)
    results_path.write_text(json.dumps(results, indent=1, ensure_ascii=False, default=str))
    report.write(results)


if __name__ == "__main__":
    main()
