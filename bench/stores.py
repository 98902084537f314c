"""Synthetic stores of 10 k to 10 M actions, built once and kept under bench/stores/.

A store is complete when its marker file exists, so an interrupted build is
started again from scratch rather than measured half-written.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

from dashboard import demo
from dashboard.store import Store

STORES = Path(__file__).resolve().parent / "stores"
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000, "10M": 10_000_000}
_MARKER = "COMPLETE"
# Raised when the synthetic actions change shape, so that stores built before are built again
# (2: statuses, objectives, assessments, and the twelve months ahead of the build day).
FORMAT = 2


def parse_sizes(text: str) -> list[str]:
    """'10k,1M' -> ['10k', '1M'], checked against SIZES."""
    names = [s.strip() for s in text.split(",") if s.strip()]
    unknown = [n for n in names if n not in SIZES]
    if unknown:
        raise SystemExit(f"unknown size(s) {unknown}; choose among {list(SIZES)}")
    return names


def store_path(size: str, root: Path = STORES) -> Path:
    return root / f"actions-{size}-v{FORMAT}"


def ensure_store(size: str, root: Path = STORES, *, log=print) -> Path:
    """The store of `size` actions (plus the demo meetings), built on first use."""
    path = store_path(size, root)
    if (path / _MARKER).exists():
        return path
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    started = time.perf_counter()
    store = Store(path)
    store.create("meetings", demo.demo_meetings(), metadata={"user": "bench", "source": "synthétique"})
    total = SIZES[size]
    # Chunks of 500 k keep the peak memory of the build under ~2 GB at 10 M.
    store.write_chunks(
        "actions",
        demo.synthetic_chunks(total, chunk=min(total, 500_000)),
        metadata={"user": "bench", "source": "synthétique"},
    )
    (path / _MARKER).write_text(f"{total} actions built in {time.perf_counter() - started:.1f} s\n")
    log(f"built {path.name}: {(path / _MARKER).read_text().strip()}")
    return path


if __name__ == "__main__":
    for name in parse_sizes(sys.argv[1] if len(sys.argv) > 1 else ",".join(SIZES)):
        ensure_store(name)
