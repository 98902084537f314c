"""Many commanders at once: concurrent protocol sessions changing filters.

Each session is a `wsclient.Session` (the wire protocol only, no rendering):
twenty Chromiums would take the two cores of this machine for themselves and
measure the browsers, not the server. Each session opens a page, then changes
its filters (regions or function, and mode) every second or so (a random think
time) until the time is up.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from dataclasses import dataclass, field

from bench.server import Server
from bench.wsclient import Session
from dashboard.schema import MODES, REGIONS, STRATEGIC_FUNCTIONS

# The server's memory is read once it has moved less than 2 MB in this many seconds.
SETTLE_SECONDS = 2.0

# Each change draws a subset of regions (or a function) and a mode: 32 × 5 = 160
# states, so sessions sometimes ask what another asked before (served from the
# shared results) and often not.
_CHOICES = {
    "region": lambda rng: [r for r in REGIONS if rng.random() < 0.3],
    "mode": lambda rng: [rng.choice([MODES.label(m) for m in MODES.codes])] if rng.random() < 0.8 else [],
    "fonction": lambda rng: (
        [rng.choice([STRATEGIC_FUNCTIONS.label(f) for f in STRATEGIC_FUNCTIONS.codes])] if rng.random() < 0.8 else []
    ),
}


@dataclass(frozen=True)
class Opener:
    """How a session opens its page, and which filters its changes vary."""

    path: str
    query_string: str = ""
    widgets: dict[str, list[str]] = field(default_factory=dict)
    varied: tuple[str, ...] = ("region", "mode")


@dataclass
class LoadResult:
    sessions: int
    seconds: float
    reruns: int = 0
    errors: list[str] = field(default_factory=list)
    rerun_seconds: list[float] = field(default_factory=list)
    rss_before_mb: float = 0.0
    rss_after_mb: float = 0.0
    rss_closed_mb: float = 0.0
    rss_open_mb: float = 0.0
    distinct_states: int = 0

    def summary(self) -> dict[str, object]:
        times = sorted(self.rerun_seconds) or [0.0]
        return {
            "sessions": self.sessions,
            "seconds": self.seconds,
            "reruns": self.reruns,
            "distinct_filter_states": self.distinct_states,
            "errors": len(self.errors),
            "error_samples": self.errors[:5],
            "rerun_median_s": statistics.median(times),
            "rerun_p95_s": _percentile(times, 95),
            "rss_before_mb": self.rss_before_mb,
            "rss_open_mb": self.rss_open_mb,
            "open_growth_per_session_mb": (self.rss_open_mb - self.rss_before_mb) / max(self.sessions, 1),
            "rss_after_mb": self.rss_after_mb,
            "rss_closed_mb": self.rss_closed_mb,
            "growth_per_session_mb": (self.rss_after_mb - self.rss_before_mb) / max(self.sessions, 1),
        }


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


async def _one(
    server: Server,
    page: Opener,
    seconds: float,
    seed: int,
    result: LoadResult,
    opened: asyncio.Event,
    go: asyncio.Event,
    states: set,
):
    rng = random.Random(seed)
    session = Session(server.url)
    path = page.path
    try:
        await session.connect()
        first = await session.run(path, page.query_string)
        for key, values in page.widgets.items():
            session.choose(key, values)
        if not first.ok:
            result.errors.append(f"{path}: {first.exceptions or first.status}")
        opened.set()
        await go.wait()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            await asyncio.sleep(rng.uniform(0.5, 1.5))
            for key in page.varied:
                session.choose(key, _CHOICES[key](rng))
            states.add((path, *(tuple(session.values[key]) for key in page.varied)))
            run = await session.run()
            result.reruns += 1
            result.rerun_seconds.append(run.seconds)
            if not run.ok:
                result.errors.append(f"{path}: {run.exceptions or run.status}")
    except Exception as error:  # a dropped connection or a timeout is an error of the run
        result.errors.append(f"{path}: {type(error).__name__}: {error}")
    finally:
        opened.set()
    return session


async def _settled_rss(server: Server, step: float, within_mb: float = 2.0, timeout: float = 40.0) -> float:
    """The server's resident memory once it has stopped moving: Arrow's allocator hands freed memory
    back to the system seconds later, so a reading taken right after a burst of reruns is too high."""
    deadline = asyncio.get_running_loop().time() + timeout
    last = server.memory_mb()["rss"]
    while asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(step)
        now = server.memory_mb()["rss"]
        if abs(now - last) <= within_mb:
            return now
        last = now
    return last


async def _load(server: Server, pages: list[Opener], sessions: int, seconds: float, settle_step: float) -> LoadResult:
    result = LoadResult(sessions, seconds)
    # Warm the caches with one session, so the growth measured is the sessions' own.
    warm = Session(server.url)
    await warm.connect()
    for page in pages:
        await warm.run(page.path, page.query_string)
    await warm.close()
    result.rss_before_mb = await _settled_rss(server, settle_step)
    events = [asyncio.Event() for _ in range(sessions)]
    go = asyncio.Event()
    states: set = set()
    tasks = [
        asyncio.create_task(_one(server, pages[i % len(pages)], seconds, i, result, events[i], go, states))
        for i in range(sessions)
    ]
    # Every session open with its first page drawn, before any change: the memory they hold.
    for event in events:
        await event.wait()
    result.rss_open_mb = await _settled_rss(server, settle_step)
    go.set()
    done = await asyncio.gather(*tasks)
    result.rss_after_mb = await _settled_rss(server, settle_step)
    result.distinct_states = len(states)
    for session in done:
        await session.close()
    result.rss_closed_mb = await _settled_rss(server, settle_step)
    return result


def run(
    server: Server, pages: list[Opener], sessions: int = 20, seconds: float = 60, settle_step: float = SETTLE_SECONDS
) -> LoadResult:
    """`sessions` concurrent sessions spread over `pages` for `seconds`; the server's memory is read once it has
    moved less than 2 MB in `settle_step` seconds."""
    return asyncio.run(_load(server, pages, sessions, seconds, settle_step))
