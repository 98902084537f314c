"""Run the benchmark suite: `python -m bench.run [--sizes 10k,100k,1M,10M] [--quick]`.

For each size: the store (built once under bench/stores/), then for every page
of `dashboard.ui.navigation.PAGES` the server time of a first load and of a
filter change (protocol client on a real `python -m dashboard.server`), the floor (the
page's own calls replayed without Streamlit), the naive baseline (pandas
re-reading the Parquet files), the browser's view (bytes per change, time to
the first chart and to the map) and the server's peak memory. Then the load
test at one size. Results go to bench/results.json (merged by size, so a
partial run updates only what it measured) and bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gc
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from itertools import combinations, product
from pathlib import Path

from bench import floor, load, naive, report, server
from bench.stores import STORES, ensure_store, parse_sizes
from bench.wsclient import Session
from dashboard.query import Filters, prepare_actions
from dashboard.schema import MODES, REGIONS, STRATEGIC_FUNCTIONS
from dashboard.store import Store
from dashboard.ui.navigation import PAGES, PageSpec

HERE = Path(__file__).resolve().parent


# The filters that filter changes vary, unless a page says otherwise.
REGION_MODE = ("region", "mode")


@dataclass(frozen=True)
class PageState:
    """How a page is opened: its address's query string, the widget values the browser
    then holds (as displayed), and the same values as session state (for the floor's recording);
    and which sidebar filters its filter changes vary (ones that keep the page non-empty)."""

    query_string: str = ""
    widgets: dict[str, list[str]] = field(default_factory=dict)
    varied: tuple[str, ...] = REGION_MODE
    state: dict[str, list[str]] = field(default_factory=dict)


RESULTS = HERE / "results.json"
PERIOD = (dt.date(2019, 1, 1), dt.date(2025, 12, 31))
# The filter changes made by the naive baseline (the overview's work).
CHANGES = [{"region": r} for r in (["Afrique"], ["Europe"], [], ["Moyen-Orient"])]


# The options of the filters a change varies, as (code, label): session state holds the
# code, the browser sends the label (the widget's format_func).
_REGION_STATES = [[], *([r] for r in REGIONS), *(list(pair) for pair in combinations(REGIONS, 2))]
_VARIED = {
    "region": [[(r, r) for r in state] for state in _REGION_STATES],
    "mode": [[], *([(m, MODES.label(m))] for m in MODES.codes)],
    "fonction": [[], *([(f, STRATEGIC_FUNCTIONS.label(f))] for f in STRATEGIC_FUNCTIONS.codes)],
}


def distinct_states(
    count: int, varied: tuple[str, ...] = REGION_MODE, first: int = 0
) -> list[dict[str, list[tuple[str, str]]]]:
    """`count` filter states, all different, from the `first`-th on (the default state excluded), so that
    no change is served from the shared result cache. Pages start at different states: the pages share
    that cache, and a state another page has asked for would be a hit."""
    states = [dict(zip(varied, combination, strict=True)) for combination in product(*(_VARIED[k] for k in varied))]
    pool = states[1:]
    return [pool[(first + n) % len(pool)] for n in range(min(count, len(pool)))]


def distinct_changes(count: int, varied: tuple[str, ...] = REGION_MODE, first: int = 0) -> list[dict[str, list[str]]]:
    """The same states as widget values, as the browser sends them."""
    return [{k: [label for _, label in v] for k, v in s.items()} for s in distinct_states(count, varied, first)]


def state_changes(count: int, varied: tuple[str, ...] = REGION_MODE, first: int = 0) -> list[dict[str, list[str]]]:
    """The same states as session state values, for the floor's recording."""
    return [{k: [code for code, _ in v] for k, v in s.items()} for s in distinct_states(count, varied, first)]


def first_state(spec: PageSpec, changes: int) -> int:
    """Where the filter changes of `spec` start among the distinct states: a slice of its own per page."""
    return PAGES.index(spec) * changes


# Pages served with every role granted, so that guarded pages are measured too;
# the audit log and accounts go to a scratch folder, never into data/.
SCRATCH = Path(tempfile.gettempdir()) / "pmo-bench"
SERVER_ENV = {
    "PMO_DEMO_ACCESS": "1",
    "PMO_AUDIT_LOG": str(SCRATCH / "audit.log"),
    "PMO_ACCOUNTS": str(SCRATCH / "accounts.json"),
}


def _stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "median": statistics.median(ordered),
        "p95": load._percentile(ordered, 95),
        "n": len(ordered),
    }


def _log(*parts: object) -> None:
    print(f"[{time.strftime('%H:%M:%S')}]", *parts, flush=True)


# Pages measured in a given state rather than in their empty default: the country
# profile of one of the partners with the most actions (a link with `?pays=` opens it).
# Its changes vary the mode and the function (a region change would often empty it).
PAGE_STATES: dict[str, PageState] = {
    "country": PageState(
        query_string="pays=S%C3%A9n%C3%A9gal",
        widgets={"pays": ["Sénégal"]},
        state={"pays": ["SEN"]},
        varied=("fonction", "mode"),
    )
}


def page_state(spec: PageSpec) -> PageState:
    return PAGE_STATES.get(spec.url_path, PageState())


def _opener(spec: PageSpec) -> load.Opener:
    opening = page_state(spec)
    return load.Opener(spec.address, opening.query_string, opening.widgets, opening.varied)


async def _open(srv: server.Server, spec: PageSpec) -> tuple[Session, object]:
    """A new session with `spec` drawn in its measured state."""
    opening = page_state(spec)
    session = Session(srv.url)
    await session.connect()
    run = await session.run(spec.address, opening.query_string)
    for key, values in opening.widgets.items():
        session.choose(key, values)
    return session, run


async def _server_times(srv: server.Server, spec: PageSpec, loads: int, changes: int) -> dict[str, object]:
    first, bytes_first, errors = [], [], []
    for _ in range(loads):
        session, run = await _open(srv, spec)
        first.append(run.seconds)
        bytes_first.append(run.bytes_received)
        errors += run.exceptions
        await session.close()
    session, _ = await _open(srv, spec)
    change_times, change_bytes = [], []
    for state in distinct_changes(changes, page_state(spec).varied, first_state(spec, changes)):
        for key, values in state.items():
            session.choose(key, values)
        run = await session.run()
        change_times.append(run.seconds)
        change_bytes.append(run.bytes_received)
        errors += run.exceptions
    await session.close()
    return {
        "first_load_s": _stats(first),
        "change_s": _stats(change_times),
        "protocol_first_load_bytes": statistics.median(bytes_first),
        "protocol_change_bytes": statistics.median(change_bytes),
        "errors": errors[:5],
    }


BARE_APP = HERE / "bare_app.py"


async def _bare_changes(srv: server.Server, changes: int) -> list[float]:
    session = Session(srv.url)
    await session.connect()
    await session.run()
    times = []
    for state in distinct_changes(changes):
        for key, values in state.items():
            session.choose(key, values)
        times.append((await session.run()).seconds)
    await session.close()
    return times


def measure_bare(args: argparse.Namespace) -> dict[str, float]:
    """Filter changes on `bare_app.py`, served like the dashboard: Streamlit's own cost of a rerun."""
    with server.start(
        ensure_store("10k", args.stores, log=_log), SCRATCH / "server-bare.log", SERVER_ENV, BARE_APP
    ) as srv:
        return _stats(asyncio.run(_bare_changes(srv, 4 if args.quick else args.changes)))


def _filters(change: dict[str, list[str]]) -> Filters:
    return Filters(start=PERIOD[0], end=PERIOD[1], regions=tuple(change.get("region", ())))


def measure_size(size: str, pages: list[PageSpec], recordings: dict, args: argparse.Namespace) -> dict[str, object]:
    root = ensure_store(size, args.stores, log=_log)
    reps = {"loads": 3 if args.quick else args.loads, "changes": 4 if args.quick else args.changes}
    result: dict[str, object] = {"size": size, "pages": {}, "measured_at": dt.datetime.now(dt.UTC).isoformat()}
    load_averages = [report.load_average()]

    # References first, in this process, on the same store.
    store = Store(root)
    started = time.perf_counter()
    tables = {"actions": prepare_actions(store.read("actions")), "meetings": store.read("meetings")}
    result["read_store_s"] = time.perf_counter() - started
    result["rows"] = tables["actions"].num_rows
    floor_reps = max(3, reps["loads"])
    for spec in pages:
        first, *changes = recordings[spec.script]
        floor.replay(first, tables)  # warm DuckDB and plotly
        result["pages"][spec.url_path] = {
            "title": spec.title,
            "floor_first_load_s": _stats([floor.replay(first, tables) for _ in range(floor_reps)]),
            "floor_change_s": _stats(
                [floor.replay(changes[i % len(changes)], tables) for i in range(max(4, reps["changes"]))]
            ),
            "floor_calls": [f"{c.function.__module__}.{c.function.__name__}" for c in first.calls],
        }
        _log(size, spec.url_path, "floor", result["pages"][spec.url_path]["floor_change_s"])
    del tables
    gc.collect()
    naive_reps = 1 if args.quick or size == "10M" else 3
    naive_times = [naive.rerun(root, _filters(CHANGES[i % len(CHANGES)])) for i in range(naive_reps)]
    result["naive_rerun_s"] = _stats(naive_times)
    _log(size, "naive", result["naive_rerun_s"])
    gc.collect()

    # The real server.
    with server.start(root, SCRATCH / f"server-{size}.log", SERVER_ENV) as srv:
        session_cold = Session(srv.url)

        async def cold() -> float:
            await session_cold.connect()
            run = await session_cold.run(pages[0].address)
            await session_cold.close()
            return run.seconds

        result["cold_start_s"] = asyncio.run(cold())
        for spec in pages:
            timings = asyncio.run(_server_times(srv, spec, reps["loads"], reps["changes"]))
            result["pages"][spec.url_path].update(timings)
            _log(size, spec.url_path, "server change", timings["change_s"], "errors", timings["errors"])
        if not args.no_browser:
            from bench import browser

            with browser.chromium() as chromium:
                for spec in pages:
                    try:
                        query = page_state(spec).query_string
                        seen = browser.measure(chromium, srv.url, spec, query_string=query).summary()
                    except Exception as error:
                        seen = {"error": f"{type(error).__name__}: {error}"}
                    result["pages"][spec.url_path]["browser"] = seen
                    _log(size, spec.url_path, "browser", {k: v for k, v in seen.items() if k != "change_bytes"})
        result["server_memory_mb"] = srv.memory_mb()
    load_averages.append(report.load_average())
    result["load_average"] = f"{min(load_averages):.1f} to {max(load_averages):.1f}"
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10k,100k,1M,10M", help="store sizes among 10k,100k,1M,10M")
    parser.add_argument("--pages", default="", help="url paths of the pages to measure (default: every page)")
    parser.add_argument("--quick", action="store_true", help="few repetitions (a smoke run, not a measurement)")
    parser.add_argument("--no-browser", action="store_true", help="skip the headless Chromium measurements")
    parser.add_argument("--loads", type=int, default=10, help="first loads timed per page")
    parser.add_argument("--changes", type=int, default=20, help="filter changes timed per page")
    parser.add_argument("--load-size", default="1M", help="size for the load test; 'none' to skip it")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--load-seconds", type=float, default=60)
    parser.add_argument(
        "--ingest",
        action="store_true",
        help="time the import of 150,000 rows into the 1M store, and the refusal of hostile files",
    )
    parser.add_argument("--briefing", action="store_true", help="time the Point de situation of the 1M store")
    parser.add_argument(
        "--coldload", action="store_true", help="first visit of the overview over slow links (bench/coldload.py)"
    )
    parser.add_argument("--out", default=str(RESULTS), help="results file (JSON), merged by size")
    parser.add_argument("--stores", type=Path, default=STORES, help="folder of the synthetic stores (built once, kept)")
    args = parser.parse_args(argv)
    SCRATCH.mkdir(parents=True, exist_ok=True)
    os.environ.update(SERVER_ENV)

    wanted = [p.strip() for p in args.pages.split(",") if p.strip()]
    unknown = [name for name in wanted if name not in {spec.url_path for spec in PAGES}]
    if unknown:
        raise SystemExit(f"unknown pages {unknown}: choose among {[s.url_path for s in PAGES]}")
    pages = [spec for spec in PAGES if not wanted or spec.url_path in wanted]
    out = Path(args.out)
    results = json.loads(out.read_text()) if out.exists() else {}
    results["machine"] = report.machine()

    changes = 4 if args.quick else args.changes
    wanted_sizes = parse_sizes(args.sizes)
    recordings = {}
    if wanted_sizes:  # the pages' floors and the bare rerun serve the per-size tables only
        _log("recording the pages' calls on the 10k store")
        recordings = {
            spec.script: floor.record(
                spec,
                ensure_store("10k", args.stores, log=_log),
                state_changes(4, page_state(spec).varied, first_state(spec, changes)),
                page_state(spec).state,
            )
            for spec in pages
        }
        results["bare_rerun_s"] = measure_bare(args)
        _log("bare Streamlit rerun", results["bare_rerun_s"])
    sizes = results.setdefault("sizes", {})
    for size in wanted_sizes:
        measured = measure_size(size, pages, recordings, args)
        # Pages measured before and not now stay, unless renamed since (same title, new url path).
        titles = {page["title"] for page in measured["pages"].values()}
        previous_pages = {
            path: page for path, page in sizes.get(size, {}).get("pages", {}).items() if page.get("title") not in titles
        }
        sizes[size] = {**measured, "pages": {**previous_pages, **measured["pages"]}}
        out.write_text(json.dumps(results, indent=1, ensure_ascii=False, default=str))

    if args.load_size != "none":
        root = ensure_store(args.load_size, args.stores, log=_log)
        with server.start(root, SCRATCH / "server-load.log", SERVER_ENV) as srv:
            _log(f"load: {args.sessions} sessions for {args.load_seconds} s on {args.load_size}")
            # A smoke run reads the memory as soon as it is still for a moment: its figures are not kept.
            settle = 0.2 if args.quick else load.SETTLE_SECONDS
            openers = [_opener(spec) for spec in pages]
            measured = load.run(srv, openers, args.sessions, args.load_seconds, settle).summary()
            measured["size"] = args.load_size
            measured["pages"] = [s.url_path for s in pages]
            measured["server_peak_mb"] = srv.memory_mb()["peak"]
        results["load"] = measured
        _log("load", {k: v for k, v in measured.items() if k != "error_samples"})
        out.write_text(json.dumps(results, indent=1, ensure_ascii=False, default=str))

    if args.ingest:
        from bench import ingest

        results["ingest"] = ingest.measure(ensure_store("1M", args.stores, log=_log), SCRATCH, log=_log)
        from bench import hostile

        results["hostile"] = hostile.measure(SCRATCH / "hostile", log=_log)
        out.write_text(json.dumps(results, indent=1, ensure_ascii=False, default=str))

    if args.briefing:
        from bench import briefing

        results["briefing"] = briefing.measure(
            ensure_store("1M", args.stores, log=_log), repeats=2 if args.quick else 5, log=_log
        )
        out.write_text(json.dumps(results, indent=1, ensure_ascii=False, default=str))

    if args.coldload:
        from bench import coldload

        results["coldload"] = coldload.run(log=_log)
        out.write_text(json.dumps(results, indent=1, ensure_ascii=False, default=str))

    if out.resolve() == RESULTS.resolve():
        report.write(results)
    else:
        report.write(results, out.with_suffix(".md"))
    _log("done:", out)


if __name__ == "__main__":
    main(sys.argv[1:])
