"""Time the "Point de situation" of a store: the briefing model, the PowerPoint file and the PDF.

What a click on the page's download costs on the server: the shared Arrow
tables are already in memory (read once per version), so the clock runs from
the selection to the file's bytes. The map's geometry, read and projected once
per process (in the background by the server), and the first build of the
process (imports, fonts) are reported apart.
Two selections: the whole store (the overview's default) and its largest
partner (a country's brief).
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

from dashboard import freshness, query
from dashboard.briefing import model, pdf, slides, worldmap
from dashboard.query import Filters
from dashboard.store import Store


def measure(store_root: Path, *, repeats: int = 5, log=print) -> dict[str, object]:
    store = Store(store_root)
    actions = query.prepare_actions(store.read("actions"))
    meetings = store.read("meetings")
    version = freshness.data_version(store)
    largest = query.aggregate(actions, Filters(), ["country_iso3"]).sort_values("value").iloc[-1]["country_iso3"]
    selections = {"overview (every action)": Filters(), f"country ({largest})": Filters(countries=(str(largest),))}

    def build(filters: Filters) -> dict[str, float]:
        # Shared query results would answer a repeated selection at once: each run starts without them.
        query._RESULTS.clear()
        started = time.perf_counter()
        brief = model.build(actions, meetings, filters, version=version, user="bench")
        built = time.perf_counter()
        deck = slides.pptx_bytes(brief)
        written = time.perf_counter()
        document = pdf.pdf_bytes(brief)
        done = time.perf_counter()
        sizes["pptx_kb"], sizes["pdf_kb"] = len(deck) // 1024, len(document) // 1024
        return {"model": built - started, "pptx": written - built, "pdf": done - written}

    sizes: dict[str, int] = {}
    # The server prepares the map's geometry in the background when a page first offers the menu.
    started = time.perf_counter()
    worldmap.prepare()
    geometry = time.perf_counter() - started
    started = time.perf_counter()
    build(Filters())
    cold = time.perf_counter() - started
    results: dict[str, object] = {
        "rows": actions.num_rows,
        "repeats": repeats,
        "geometry_s": geometry,
        "cold_first_build_s": cold,
        "load_average": " ".join(f"{v:.1f}" for v in os.getloadavg()),
        "selections": {},
    }
    for name, filters in selections.items():
        runs = [build(filters) for _ in range(repeats)]
        steps = {step: statistics.median(run[step] for run in runs) for step in ("model", "pptx", "pdf")}
        steps["model + pptx"] = statistics.median(run["model"] + run["pptx"] for run in runs)
        steps["model + pdf"] = statistics.median(run["model"] + run["pdf"] for run in runs)
        steps["worst model + file"] = max(max(run["model"] + run["pptx"], run["model"] + run["pdf"]) for run in runs)
        results["selections"][name] = {"median_s": steps, **sizes}
        log("briefing", name, {k: round(v, 3) for k, v in steps.items()}, sizes)
    return results
