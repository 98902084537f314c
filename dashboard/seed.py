"""Start-up: a store holding both tables, filled with the demo data on first use.

With `PMO_DEMO=0` a new store gets empty tables instead, for a deployment that
will only hold imported data. The first commit of a demo table carries the
`DEMO_KEY` metadata, which is how pages know they show fictional data.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyarrow as pa

from dashboard import demo
from dashboard.settings import demo_data, store_root
from dashboard.store import DEMO_KEY, Store

DEMO_SOURCE = "données de démonstration"


def open_store(root: str | Path | None = None) -> Store:
    """The store at `root` (default: the `PMO_STORE` setting), its missing tables created."""
    store = Store(root or store_root())
    with_demo = demo_data()
    content: dict[str, Callable[[], pa.Table]] = {"actions": demo.demo_actions, "meetings": demo.demo_meetings}
    for name, make in content.items():
        if store.exists(name):
            continue
        note = {"user": "système", "source": DEMO_SOURCE, DEMO_KEY: "1"} if with_demo else {"source": "création"}
        note["user"] = "système"
        try:
            store.create(name, make() if with_demo else None, metadata=note)
        except Exception:
            # Another process created it first; its content is the same.
            if not store.exists(name):
                raise
    return store
