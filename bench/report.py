"""Write bench/RESULTS.md (tables) and bench/curve.svg (cost against data size) from bench/results.json.

The analysis written by hand lives in bench/FINDINGS.md and is copied in.
"""

from __future__ import annotations

import math
import os
import platform
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000, "10M": 10_000_000}
TARGET = {"1M": 2.0, "10M": 3.0}  # page time / floor time
BYTES_TARGET = 30 * 1024
MEMORY_TARGET_MB = 5.0
# Below this floor (seconds) a page does almost no data work: its ratio means nothing.
NO_FLOOR = 0.005


def machine() -> dict[str, object]:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kb = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "packages": {p: version(p) for p in ("streamlit", "duckdb", "pyarrow", "pandas", "plotly", "deltalake")},
    }


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def _ms(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds * 1000:,.0f}".replace(",", " ")


def _kb(n: float | None) -> str:
    return "–" if n is None else f"{n / 1024:.1f}"


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a and b else None


def _fmt_ratio(value: float | None, target: float | None = None) -> str:
    if value is None:
        return "–"
    mark = "" if target is None else (" ✓" if value <= target else " ✗")
    return f"{value:.2f}×{mark}"


def _floor_ratio(change: float | None, floor: float | None, bare: float | None, target: float | None) -> str:
    if (floor or 0) >= NO_FLOOR:
        return _fmt_ratio(_ratio(change, floor), target)
    # No data work: the page can only be compared with Streamlit's own cost.
    return f"n/a ({_ratio(change, bare):.1f}× bare)" if _ratio(change, bare) else "n/a"


def size_table(size: str, data: dict, bare: float | None = None) -> list[str]:
    target = TARGET.get(size)
    naive = data.get("naive_rerun_s", {}).get("median")
    lines = [
        f"### {size} actions ({data.get('rows', 0):,} rows)".replace(",", " "),
        "",
        f"Store read into Arrow: {_ms(data.get('read_store_s'))} ms in the bench process; "
        f"cold first load on a fresh server (store read included): {_ms(data.get('cold_start_s'))} ms; "
        f"naive rerun: {_ms(naive)} ms; server peak memory {data.get('server_memory_mb', {}).get('peak', 0):.0f} MB; "
        f"load average while measuring: {data.get('load_average', '–')}.",
        "",
        "| page | first load p50 / p95 (ms) | filter change p50 / p95 (ms) | floor: change p50 (ms) "
        "| page ÷ floor | page ÷ naive | browser KB per change (median / max) | first chart / map drawn (s) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for path, page in data.get("pages", {}).items():
        first, change = page.get("first_load_s", {}), page.get("change_s", {})
        floor = page.get("floor_change_s", {}).get("median")
        seen = page.get("browser", {})
        if "error" in seen:
            browser_bytes = "error: " + seen["error"].splitlines()[0][:60].replace("|", "/")
            browser_times = "–"
        elif seen:
            browser_bytes = f"{_kb(seen['change_bytes_median'])} / {_kb(seen['change_bytes_max'])}"
            browser_bytes += " ✓" if seen["change_bytes_max"] <= BYTES_TARGET else " ✗"
            chart, drawn = seen.get("first_chart_s"), seen.get("map_s")
            browser_times = (
                f"{chart:.2f} / {drawn:.2f}" if chart and drawn else (f"{chart:.2f} / no map" if chart else "–")
            )
        else:
            browser_bytes = browser_times = "not measured"
        lines.append(
            f"| {page.get('title', path)} | {_ms(first.get('median'))} / {_ms(first.get('p95'))} "
            f"| {_ms(change.get('median'))} / {_ms(change.get('p95'))} | {_ms(floor)} "
            f"| {_floor_ratio(change.get('median'), floor, bare, target)} "
            f"| {_fmt_ratio(_ratio(change.get('median'), naive))} | {browser_bytes} | {browser_times} |"
        )
    return [*lines, ""]


def curve_svg(results: dict) -> str:
    """Log-log curve of the filter-change time (median) against the number of actions."""
    sizes = [s for s in SIZES if s in results.get("sizes", {})]
    series: dict[str, list[tuple[int, float]]] = {}
    for size in sizes:
        data = results["sizes"][size]
        if "naive_rerun_s" in data:
            series.setdefault("naive (pandas re-read)", []).append((SIZES[size], data["naive_rerun_s"]["median"]))
        for page in data.get("pages", {}).values():
            if "change_s" in page:
                series.setdefault(page["title"], []).append((SIZES[size], page["change_s"]["median"]))
            if "floor_change_s" in page:
                series.setdefault(f"floor: {page['title']}", []).append((SIZES[size], page["floor_change_s"]["median"]))
    # A floor of a page with no data work is nothing to draw; the bare rerun is its reference.
    series = {
        name: s for name, s in series.items() if not name.startswith("floor: ") or max(v for _, v in s) >= NO_FLOOR
    }
    bare = results.get("bare_rerun_s", {}).get("median")
    if bare and sizes:
        series["bare Streamlit rerun"] = [(SIZES[size], bare) for size in sizes]
    width, height, left, bottom, top, right = 760, 420, 70, 50, 20, 250
    points = [v for s in series.values() for _, v in s]
    if not points:
        return ""
    low = 10 ** math.floor(math.log10(max(min(points), 1e-3)))
    high = 10 ** math.ceil(math.log10(max(points)))
    x0, x1 = math.log10(10_000), math.log10(10_000_000)

    def x(n: float) -> float:
        return left + (math.log10(n) - x0) / (x1 - x0) * (width - left - right)

    def y(seconds: float) -> float:
        span = math.log10(high) - math.log10(low)
        return top + (1 - (math.log10(max(seconds, low)) - math.log10(low)) / span) * (height - top - bottom)

    palette = [
        "#1f3d7a", "#c0392b", "#2e7d32", "#8e44ad", "#d35400", "#16a085", "#7f8c8d", "#b7950b",
        "#2c3e50", "#e91e63", "#00838f", "#6d4c41", "#558b2f", "#5c6bc0", "#ef6c00", "#37474f",
    ]  # fmt: skip
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
        'font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
    ]
    for size, n in SIZES.items():
        parts.append(f'<line x1="{x(n):.1f}" y1="{top}" x2="{x(n):.1f}" y2="{height - bottom}" stroke="#ddd"/>')
        parts.append(f'<text x="{x(n):.1f}" y="{height - bottom + 18}" text-anchor="middle">{size}</text>')
    decade = low
    while decade <= high * 1.0001:
        label = f"{decade * 1000:g} ms"
        parts.append(
            f'<line x1="{left}" y1="{y(decade):.1f}" x2="{width - right}" y2="{y(decade):.1f}" stroke="#ddd"/>'
        )
        parts.append(f'<text x="{left - 6}" y="{y(decade) + 4:.1f}" text-anchor="end">{label}</text>')
        decade *= 10
    parts.append(
        f'<text x="{(left + width - right) / 2}" y="{height - 8}" text-anchor="middle">'
        "actions in the store (log)</text>"
    )
    parts.append(
        f'<text x="14" y="{(top + height - bottom) / 2}" transform="rotate(-90 14 {(top + height - bottom) / 2})" '
        'text-anchor="middle">filter change, median (log)</text>'
    )
    for i, (name, values) in enumerate(series.items()):
        color = palette[i % len(palette)]
        dash = ' stroke-dasharray="5,4"' if name.startswith("floor") else ""
        path = " ".join(f"{x(n):.1f},{y(v):.1f}" for n, v in sorted(values))
        parts.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"{dash}/>')
        for n, v in values:
            parts.append(f'<circle cx="{x(n):.1f}" cy="{y(v):.1f}" r="3" fill="{color}"/>')
        ly = top + 14 + i * 18
        parts.append(
            f'<line x1="{width - right + 12}" y1="{ly - 4}" x2="{width - right + 36}" y2="{ly - 4}" '
            f'stroke="{color}" stroke-width="2"{dash}/>'
        )
        parts.append(f'<text x="{width - right + 42}" y="{ly}">{_escape(name)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;")


def curve_table(results: dict) -> list[str]:
    sizes = [s for s in SIZES if s in results.get("sizes", {})]
    rows: dict[str, dict[str, str]] = {}
    for size in sizes:
        data = results["sizes"][size]
        rows.setdefault("naive rerun (pandas re-read)", {})[size] = _ms(data.get("naive_rerun_s", {}).get("median"))
        for page in data.get("pages", {}).values():
            rows.setdefault(f"{page['title']}: page", {})[size] = _ms(page.get("change_s", {}).get("median"))
            rows.setdefault(f"{page['title']}: floor", {})[size] = _ms(page.get("floor_change_s", {}).get("median"))
    lines = ["| filter change, median (ms) | " + " | ".join(sizes) + " |", "|---|" + "---|" * len(sizes)]
    for name, values in rows.items():
        lines.append(f"| {name} | " + " | ".join(values.get(s, "–") for s in sizes) + " |")
    return [*lines, ""]


def load_section(load: dict | None) -> list[str]:
    if not load:
        return ["Not measured yet.", ""]
    opened = load.get("open_growth_per_session_mb", load["growth_per_session_mb"])
    active = load["growth_per_session_mb"]
    return [
        f"{load['sessions']} concurrent sessions (protocol clients, see bench/README.md) on the {load['size']} store "
        f"for {load['seconds']:.0f} s, spread over the pages {', '.join(load['pages'])}. Each session opens its page, "
        "then, after a think time of 0.5 to 1.5 s, changes its filters (regions, or the function on the country "
        "profile, and the mode) to a random state "
        f"({load.get('distinct_filter_states', '?')} distinct states were asked in all).",
        "",
        "| reruns | errors | rerun p50 (ms) | rerun p95 (ms) | server RSS: warm / sessions open / after the minute / "
        "closed (MB) | growth per session: open / after the minute (MB) | server peak (MB) |",
        "|---|---|---|---|---|---|---|",
        f"| {load['reruns']} | {load['errors']}{' ✓' if load['errors'] == 0 else ' ✗'} | {_ms(load['rerun_median_s'])} "
        f"| {_ms(load['rerun_p95_s'])} | {load['rss_before_mb']:.0f} / {load.get('rss_open_mb', 0):.0f} / "
        f"{load['rss_after_mb']:.0f} / {load['rss_closed_mb']:.0f} "
        f"| {opened:.1f}{' ✓' if opened <= MEMORY_TARGET_MB else ' ✗'} / "
        f"{active:.1f}{' ✓' if active <= MEMORY_TARGET_MB else ' ✗'} | {load.get('server_peak_mb', 0):.0f} |",
        "",
        *([f"Errors seen: {load['error_samples']}", ""] if load["errors"] else []),
    ]


def ingest_section(ingest: dict | None) -> list[str]:
    if not ingest:
        return ["Not measured yet.", ""]
    if "error" in ingest:
        return [f"Not measured: {ingest['error']}", ""]
    cpu = ingest.get("cpu", {})
    return [
        "| step | seconds | CPU seconds (all threads) |",
        "|---|---|---|",
        *(
            f"| {name} | {seconds:.2f} | {cpu[name]:.2f} |" if name in cpu else f"| {name} | {seconds:.2f} | |"
            for name, seconds in ingest.get("steps", {}).items()
        ),
        "",
        *ingest.get("notes", []),
        "",
    ]


BRIEFING_TARGET_S = 3.0


def briefing_section(briefing: dict | None) -> list[str]:
    if not briefing:
        return ["Not measured yet (`python -m bench.run --sizes '' --load-size none --briefing`).", ""]
    lines = [
        f"Median of {briefing.get('repeats', 5)} builds per selection (the slowest run apart) on "
        f"{briefing['rows']:_} actions, from the "
        f"selection to the file's bytes, the shared query results cleared before each (target ≤ "
        f"{BRIEFING_TARGET_S:.0f} s for the model and one file). Once per process: the map's geometry read and "
        f"projected in {briefing.get('geometry_s', 0):.2f} s (the server does it in the background when a page "
        f"first offers the menu), then a first build of the model and both files in "
        f"{briefing['cold_first_build_s']:.2f} s (imports, fonts). "
        f"Load average while measured: {briefing.get('load_average', '?')}.".replace("_", " "),
        "",
        "| selection | model | PowerPoint | PDF | model + PowerPoint | model + PDF | slowest run | sizes |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, measured in briefing["selections"].items():
        s = measured["median_s"]
        slowest_file = max(s["model + pptx"], s["model + pdf"])
        lines.append(
            f"| {name} | {s['model']:.2f} | {s['pptx']:.2f} | {s['pdf']:.2f} | {s['model + pptx']:.2f} "
            f"| {s['model + pdf']:.2f}{' ✓' if slowest_file <= BRIEFING_TARGET_S else ' ✗'} "
            f"| {s['worst model + file']:.2f} | {measured['pptx_kb']} KB, {measured['pdf_kb']} KB |"
        )
    return [*lines, ""]


def coldload_section(coldload: dict | None) -> list[str]:
    """First visit of the overview over emulated links, Streamlit's own server against the dashboard's."""
    if not coldload:
        return ["Not measured yet: `python -m bench.coldload`.", ""]
    targets = coldload["targets"]
    rows = {
        ("loopback", "empty"): "loopback, empty cache",
        ("intranet", "empty"): f"20 Mbit/s, 20 ms, empty cache (target ≤ {targets['intranet']:g} s)",
        ("satellite", "empty"): f"2 Mbit/s, 300 ms, empty cache (target ≤ {targets['satellite']:g} s)",
        ("satellite", "warm"): f"2 Mbit/s, 300 ms, second visit (target ≤ {targets['satellite_warm']:g} s)",
    }
    servers = list(coldload["servers"])
    lines = [
        f"The overview on the {coldload['size']} store, opened in headless Chromium with Chrome's network emulation "
        "(`Network.emulateNetworkConditions`): seconds to the first chart drawn, and bytes received on the wire "
        f"(HTTP responses with their headers, and WebSocket frames; target ≤ {targets['bytes'] / 1e6:g} MB for a "
        "first visit), requests in brackets. Each visit is made several times in turn: the median, then every "
        "time in brackets. Both servers in the same run, each warmed by one visit. Load average "
        + " → ".join(f"{value:.1f}" for value in coldload.get("load_average", []))
        + " (the times include the browser's and the server's work on a shared 2-core machine).",
        "",
        "| visit | " + " | ".join(f"`{name}`" for name in servers) + " |",
        "|---|" + "---|" * len(servers),
    ]
    for key, label in rows.items():
        cells = []
        for name in servers:
            visit = next((v for v in coldload["servers"][name] if (v["link"], v["cache"]) == key), None)
            if visit is None:
                cells.append("–")
                continue
            each = " / ".join(f"{seconds:.1f}" for seconds in visit.get("seconds_each", ()))
            cells.append(
                f"{visit['seconds_to_first_chart']:.1f} s{f' ({each})' if each else ''}, "
                f"{visit['bytes'] / 1e6:.2f} MB ({visit['requests']})"
            )
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def hostile_section(hostile: dict | None) -> list[str]:
    """Each hostile file: refused or not, in how long, at what peak memory (target: 5 s, 300 MB)."""
    if not hostile:
        return ["Not measured yet.", ""]
    lines = [
        f"Each file analysed by `dashboard.ingest.analyse` in a fresh process (imports alone: "
        f"{hostile.get('baseline_peak_mb', 0):.0f} MB). Target: refused within 5 s and 300 MB.",
        "",
        "| file | size | refused | seconds | peak memory (MB) | message |",
        "|---|---|---|---|---|---|",
    ]
    for label, row in hostile.items():
        if not isinstance(row, dict):
            continue
        if "error" in row:
            lines.append(f"| {label} | {row.get('file_kb', 0):.0f} KB | no: {row['error']} | | | |")
            continue
        ok = row["refused"] and row["seconds"] <= 5 and row["peak_mb"] <= 300
        lines.append(
            f"| {label} | {row['file_kb']:.0f} KB | {'yes' if row['refused'] else 'no'}{' ✓' if ok else ' ✗'} | "
            f"{row['seconds']:.2f} | {row['peak_mb']:.0f} | {row['message'][:110]} |"
        )
    return [*lines, ""]


def write(results: dict, out: Path = HERE / "RESULTS.md") -> None:
    m = results.get("machine", {})
    svg = curve_svg(results)
    if svg:
        (out.parent / "curve.svg").write_text(svg)
    findings = HERE / "FINDINGS.md"
    lines = [
        "# Benchmark results",
        "",
        "Made by `python -m bench.run` (see bench/README.md); tables regenerated from bench/results.json, "
        "analysis in bench/FINDINGS.md.",
        "",
        "## Machine",
        "",
        f"{m.get('cpu', '?')}, {m.get('cores', '?')} cores, {m.get('memory_gb', '?')} GB RAM, {m.get('system', '')}, "
        f"Python {m.get('python', '')}; "
        + ", ".join(f"{k} {v}" for k, v in m.get("packages", {}).items())
        + ". Other work may share the machine: the load average is given with each table, and times taken "
        "under load are pessimistic.",
        "",
    ]
    if findings.exists():
        lines += [findings.read_text().strip(), ""]
    lines += ["## Cost against data size", "", "![filter change against data size](curve.svg)", ""]
    lines += curve_table(results)
    bare = results.get("bare_rerun_s", {}).get("median")
    lines += ["## Pages at each size", ""]
    lines += [
        "Times are medians and 95th percentiles of the protocol client's round trip (BackMsg rerun → ForwardMsg "
        "script_finished) on a real server (`python -m dashboard.server`) over loopback. The floor replays the "
        "page's own dashboard calls and `fig.to_json()` without Streamlit; the naive baseline re-reads the Parquet "
        f"files with pandas and groups with pandas. Targets: page ÷ floor ≤ 2 at 1M and ≤ 3 at 10M; "
        f"≤ {BYTES_TARGET // 1024} KB per filter change (WebSocket frames received by headless Chromium).",
        "",
        f"A bare Streamlit rerun (`bench/bare_app.py`: two filters and a line, served the same way) takes "
        f"{_ms(bare)} ms per filter change. A page whose floor is under {NO_FLOOR * 1000:.0f} ms does no data work "
        "of its own: its ratio to the floor means nothing, and it is compared with the bare rerun instead.",
        "",
    ]
    for size in SIZES:
        if size in results.get("sizes", {}):
            lines += size_table(size, results["sizes"][size], bare)
    lines += ["## First visit over slow links", "", *coldload_section(results.get("coldload"))]
    lines += ["## Load", "", *load_section(results.get("load"))]
    rows = results.get("ingest", {}).get("rows", 150_000)
    lines += [
        f"## Import of {rows:_} rows into the 1M store".replace("_", " "),
        "",
        *ingest_section(results.get("ingest")),
    ]
    lines += ["## Hostile files", "", *hostile_section(results.get("hostile"))]
    lines += [
        "## Point de situation (PowerPoint and PDF) of the 1M store",
        "",
        *briefing_section(results.get("briefing")),
    ]
    out.write_text("\n".join(lines).rstrip() + "\n")
