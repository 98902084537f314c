"""Streamlit's plotly chunk served with only the trace types the dashboard draws set up when it starts.

Streamlit's chart component bundles the whole of plotly.js (a 4.7 MB chunk) and,
when the browser evaluates it, registers its 47 modules: every trace type's
attributes, defaults and drawing code (3D, WebGL, maps, Sankey, carpets…) and
the world's calendars, set up before the first chart, on every page load. The
bundle keeps each of plotly's modules in a wrapper evaluated on first use, and
its entry registers them in one list (`Plotly.register([bar(), box(), …])`).
The server answers the chunk's address with that list cut down to TRACES:
a type left out is never evaluated. Scatter is part of plotly's core, always
there. Then the code nothing reaches any more (the left-out types, MapLibre,
WebGL, 3D: 2.9 MB of the 4.7 MB, `dashboard.web.bundle`) is emptied, so the
browser neither downloads nor parses it. Finding it takes a few seconds, once
per installed Streamlit: the result is kept in the cache folder
(`PMO_CACHE_DIR`) under a name drawn from the chunk, the trace types and this
code, and served from memory.

A chunk laid out otherwise (another Streamlit) is served as it ships:
tests/test_web_plotly_traces.py then fails, as it does when the dashboard's
code draws a trace type TRACES lacks.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Iterable
from importlib.metadata import version
from pathlib import Path

from starlette.types import ASGIApp

from dashboard.web import bundle
from dashboard.web.assets import ReplacedAsset
from dashboard.web.early import CHARTS, STREAMLIT_JS, chunk_files

# The plotly trace types the dashboard's charts draw, besides scatter (plotly's core).
TRACES = ("bar", "choropleth", "heatmap", "pie", "scattergeo", "sunburst")
# The bundle's entry: `"lib/index.js"(e,t){var n=core();n.register([bar(),box(),…]),t.exports=n}`.
_ENTRY = re.compile(r'"lib/index\.js"\([\w$,]*\)\{var ([\w$]+)=[\w$]+\(\);\1\.register\(\[([\w$(),]+)\]\)')
# A module: `name=wrapper({"lib/bar.js"(e,t){…}})`, found by its path, then its name before it.
_MODULE_PATH = re.compile(r'\(\{"(lib/[\w-]+\.js)"')
_MODULE_NAME = re.compile(r"(?<![\w$])([\w$]+)=[\w$]+$")
_log = logging.getLogger(__name__)


def streamlit_chunk(folder: Path = STREAMLIT_JS) -> Path | None:
    """The chunk of Streamlit's chart component (`PlotlyChart.<hash>.js`), if the installed Streamlit has one."""
    found = chunk_files([CHARTS], folder)
    return folder / found[0] if found else None


def _entry(chunk: str) -> tuple[re.Match[str], dict[str, str]] | None:
    """The bundle's entry and the modules it registers, each call (`Iu()`) with its module's path (`lib/bar.js`);
    None when the chunk is not laid out as expected."""
    entry = _ENTRY.search(chunk)
    if entry is None:
        return None
    paths = {}
    for module in _MODULE_PATH.finditer(chunk):
        name = _MODULE_NAME.search(chunk, max(0, module.start() - 64), module.start())
        if name is not None:
            paths[name.group(1)] = module.group(1)
    modules = {}
    for call in entry.group(2).split(","):
        path = paths.get(call.removesuffix("()"))
        if not call.endswith("()") or path is None:
            return None
        modules[call] = path
    return entry, modules


def registered(chunk: str) -> dict[str, str] | None:
    """The modules the bundle's entry registers, by call (`Iu()`: `lib/bar.js`); None when laid out otherwise."""
    found = _entry(chunk)
    return found[1] if found else None


def trimmed(chunk: str, traces: Iterable[str] = TRACES) -> str | None:
    """`chunk` with only the modules of `traces` registered; None when it is not laid out as expected or lacks one
    of them."""
    found = _entry(chunk)
    wanted = {f"lib/{trace}.js" for trace in traces}
    if found is None or not wanted <= set(found[1].values()):
        return None
    entry, modules = found
    kept = ",".join(call for call, path in modules.items() if path in wanted)
    return chunk[: entry.start(2)] + kept + chunk[entry.end(2) :]


def served(chunk: str, traces: Iterable[str] = TRACES) -> bytes | None:
    """The chunk as served: registering `traces` only, and without the code nothing reaches then; None when the
    chunk is not laid out as expected."""
    body = trimmed(chunk, traces)
    return bundle.pruned(body.encode())[0] if body is not None else None


def _cache_key(chunk: bytes, traces: Iterable[str]) -> str:
    """What the served chunk depends on: the shipped chunk, the trace types, this code and its parser."""
    digest = hashlib.sha256(chunk)
    digest.update(repr(tuple(traces)).encode())
    for module in (__file__, bundle.__file__):
        digest.update(Path(module).read_bytes())
    for package in ("tree-sitter", "tree-sitter-javascript"):
        digest.update(version(package).encode())
    return digest.hexdigest()[:32]


def cached_served(chunk: Path, traces: Iterable[str] = TRACES, cache: Path | None = None) -> bytes | None:
    """`served` for the chunk file, read from `cache` when it was made there before, else made and kept there in place
    of the earlier ones. A cache folder that cannot be written costs the few seconds at each start, nothing else."""
    traces = tuple(traces)
    shipped = chunk.read_bytes()
    kept = cache / f"{chunk.stem}.{_cache_key(shipped, traces)}.js" if cache else None
    if kept is not None and kept.is_file():
        return kept.read_bytes()
    body = served(shipped.decode("utf-8"), traces)
    if kept is not None and body is not None:
        try:
            kept.parent.mkdir(parents=True, exist_ok=True)
            partial = kept.with_suffix(f".{os.getpid()}.part")
            partial.write_bytes(body)
            partial.replace(kept)  # whole or not at all, even with two servers starting at once
            for older in kept.parent.glob(f"{chunk.stem.partition('.')[0]}.*.js"):
                if older != kept:
                    older.unlink(missing_ok=True)  # made for another Streamlit or by other code: never read again
        except OSError as error:
            _log.warning(
                "Dossier de cache %s inutilisable (%s) : la version allégée de plotly sera refaite à chaque démarrage "
                "(quelques secondes). Indiquez un dossier accessible en écriture dans PMO_CACHE_DIR.",
                cache,
                error,
            )
    return body


class PlotlyTraces(ReplacedAsset):
    """Answer requests for Streamlit's plotly chunk with the chunk registering `traces` only, without the code nothing
    reaches then."""

    def __init__(
        self, app: ASGIApp, chunk: Path | None = None, traces: Iterable[str] = TRACES, cache: Path | None = None
    ) -> None:
        chunk = chunk or streamlit_chunk()
        body = cached_served(chunk, traces, cache) if chunk else None
        address = f"/static/js/{chunk.name}" if chunk and body else None
        super().__init__(app, address, body or b"", "text/javascript")
