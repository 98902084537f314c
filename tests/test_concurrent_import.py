"""Two imports at the same moment, from two processes, on disk and on S3: no row is lost or mixed,
two versions are recorded."""

from __future__ import annotations

import multiprocessing
import sys
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import ingest
from dashboard.seed import open_store
from dashboard.store import Store
from tests import conftest
from tests.files import make_corpus


def _import(root: str, name: str, data: bytes, barrier) -> tuple[int, int]:
    store = Store(root)
    barrier.wait()  # both processes start their merge together
    _, result = ingest.import_bytes(name, data, store, user=name)
    return result.version, result.inserted


@pytest.mark.parametrize("where", ["folder", "s3"])
def test_two_processes_importing_at_once_keep_both_sets_of_rows(where: str, tmp_path: Path, monkeypatch, request):
    monkeypatch.setenv("PMO_DEMO", "0")
    # the processes read the S3 settings from the environment, as replicas do
    root = str(tmp_path / "store") if where == "folder" else request.getfixturevalue("s3_root")
    open_store(root)
    files = {
        "bri.csv": make_corpus.csv_text(make_corpus.FR, make_corpus.numbered_actions("BRI", 300)).encode(),
        "cpmo.csv": make_corpus.csv_text(make_corpus.FR, make_corpus.numbered_actions("CPMO", 200)).encode(),
    }
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        barrier = manager.Barrier(2)
        with context.Pool(2) as pool:
            pending = [pool.apply_async(_import, (root, name, data, barrier)) for name, data in files.items()]
            results = [p.get(timeout=180) for p in pending]

    assert sorted(inserted for _, inserted in results) == [200, 300]
    assert sorted(version for version, _ in results) == [1, 2]
    store = Store(root)
    ids = store.read("actions").column("action_id").to_pylist()
    assert len(ids) == len(set(ids)) == 500
    assert sum(i.startswith("BRI-") for i in ids) == 300
    assert sum(i.startswith("CPMO-") for i in ids) == 200
    titles = dict(zip(ids, store.read("actions").column("title").to_pylist(), strict=True))
    assert titles["BRI-0007"] == "Action BRI 7" and titles["CPMO-0007"] == "Action CPMO 7"
    imports = [c for c in store.history("actions") if c.metadata.get("operation") == "import"]
    assert sorted(c.metadata["file"] for c in imports) == ["bri.csv", "cpmo.csv"]
    assert sorted(c.version for c in imports) == [1, 2]


def _import_then_report(root: str, source: str, marker: str) -> None:
    store = Store(root)
    report = ingest.analyse("gros.csv", Path(source).read_bytes())
    Path(marker).touch()  # the commit starts now
    ingest.commit(report, store, user="interrompu")


def _written(table: Path) -> bool:
    return any(table.glob("*.parquet"))


def test_a_process_killed_during_an_import_leaves_a_whole_readable_version(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("PMO_DEMO", "0")
    count = 60_000
    data = make_corpus.csv_text(make_corpus.FR, make_corpus.numbered_actions("GROS", count)).encode()
    # The child reads the file from disk: handed over as an argument, its megabytes would go through the pipe
    # that starts the child, and a child dying before it read them all would leave the start waiting for ever.
    source = tmp_path / "gros.csv"
    source.write_bytes(data)
    # pull the plug as the commit starts, then as soon as its data files are on disk (before the log entry)
    for attempt, wait_for_files in enumerate((False, True)):
        root = tmp_path / f"store-{attempt}"
        open_store(root)
        marker = tmp_path / f"commit-started-{attempt}"
        context = multiprocessing.get_context("spawn")
        process = context.Process(target=_import_then_report, args=(str(root), str(source), str(marker)))
        process.start()
        while process.is_alive() and not (marker.exists() and (not wait_for_files or _written(root / "actions"))):
            time.sleep(0.002)
        process.kill()
        process.join()
        assert marker.exists(), f"the import process ended before its commit (exit code {process.exitcode})"

        store = Store(root)
        state = (store.version("actions"), store.read("actions").num_rows)
        # either the previous version or the whole new one: never part of the file
        assert state in {(0, 0), (1, count)}, state
        ingest.import_bytes("gros.csv", data, store, user="reprise")
        assert store.read("actions").num_rows == count


def _script_of_apptest() -> None:
    import streamlit as st

    st.write("une page")


def _nothing() -> None:
    pass


def test_a_process_started_after_an_apptest_run_starts_once_the_worker_main_module_is_back():
    """Streamlit's script runner leaves its script as `__main__` (conftest's `_main_module_kept` puts the worker's
    back after each test). When the first assertion fails, Streamlit puts it back itself: the fixture can go."""
    AppTest.from_function(_script_of_apptest).run()
    assert sys.modules["__main__"] is not conftest._MAIN_MODULE, "Streamlit no longer leaves its script as __main__"
    conftest.restore_main_module()
    process = multiprocessing.get_context("spawn").Process(target=_nothing)
    process.start()
    process.join(60)
    assert process.exitcode == 0
