"""Time the import of 100,000 rows into the 1M store: read, validate, preview, commit.

The file is what a staff officer would upload: the template's French headers
and formats (dates jj/mm/aaaa, oui/non, factors separated by `|`), half of its
rows updates of stored actions (one field changed), half new actions. It goes
into a copy of the 1M store, so the bench store stays as built.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from dashboard import demo
from dashboard.store import Store

ROWS = 100_000


def _upload(store: Store, rows_wanted: int) -> bytes:
    from dashboard import template

    stored = store.read("actions").slice(0, rows_wanted // 2)
    # An update: the trainee count changed in the source system.
    trainees = stored.schema.get_field_index("partner_trainees")
    updated = stored.set_column(trainees, "partner_trainees", pc.add(stored.column("partner_trainees"), 1))
    new = demo.synthetic_actions({2025: rows_wanted - rows_wanted // 2}, seed=7, first_number=90_000_000)
    rows = pa.concat_tables([updated, new.cast(updated.schema)])
    return template.to_frame("actions", rows).to_csv(index=False, sep=";").encode("utf-8")


def measure(store_1m: Path, scratch: Path, *, rows: int = ROWS, log=print) -> dict[str, object]:
    try:
        from dashboard import ingest
    except ImportError as error:
        return {"error": f"dashboard.ingest not importable: {error}"}
    copy = scratch / "ingest-store"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(store_1m, copy)
    store = Store(copy)
    data = _upload(store, rows)
    steps: dict[str, float] = {}
    started = time.perf_counter()
    report = ingest.analyse("extraction.csv", data)
    steps["read and validate (analyse)"] = time.perf_counter() - started
    started = time.perf_counter()
    preview = ingest.preview(report, store)
    steps["preview (diff against the store)"] = time.perf_counter() - started
    started = time.perf_counter()
    result = ingest.commit(report, store, user="bench")
    steps["commit (one merge by key)"] = time.perf_counter() - started
    steps["total"] = sum(steps.values())
    # The path the import engineer exposes for the benchmark, on a fresh copy.
    shutil.rmtree(copy)
    shutil.copytree(store_1m, copy)
    started = time.perf_counter()
    _, again = ingest.import_bytes("extraction.csv", data, Store(copy), "bench")
    steps["import_bytes (validate + commit in one call)"] = time.perf_counter() - started
    shutil.rmtree(copy)
    notes = [
        f"File: {len(data) / 1e6:.1f} MB of CSV, {_n(rows)} rows; problems found: {len(report.problems)}; "
        f"preview: {_n(preview.new)} new, {_n(preview.updated)} updated, {_n(preview.unchanged)} unchanged; "
        f"commit: {_n(result.inserted)} inserted, {_n(result.updated)} updated, version {result.version} "
        f"(import_bytes: {_n(again.inserted)} inserted, {_n(again.updated)} updated)."
    ]
    log("ingest", steps)
    return {"steps": steps, "notes": notes}


def _n(value: int) -> str:
    return f"{value:_}".replace("_", " ")
