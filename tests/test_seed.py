"""Start-up: a new store is filled with the demo data once, or created empty; the demo flag is a metadata key."""

from dashboard import freshness
from dashboard.demo import demo_actions
from dashboard.schema import ACTIONS
from dashboard.seed import open_store
from dashboard.store import DEMO_KEY, Store


def test_open_store_fills_a_new_store_with_the_demo_data_once(tmp_path):
    store = open_store(tmp_path / "s")
    assert store.versions() == (0, 0)
    assert store.read("actions").num_rows == demo_actions().num_rows
    assert store.history("actions")[0].metadata["source"] == "données de démonstration"
    open_store(tmp_path / "s")
    assert store.versions() == (0, 0)


def test_open_store_without_demo_creates_empty_tables(tmp_path, monkeypatch):
    monkeypatch.setenv("PMO_DEMO", "0")
    store = open_store(tmp_path / "empty")
    assert store.read("actions").num_rows == 0
    assert store.read("meetings").num_rows == 0
    assert store.read("actions").schema.equals(ACTIONS.arrow_schema())


def test_the_demo_flag_is_the_first_commit_s_metadata_key_not_its_wording(tmp_path):
    store = open_store(tmp_path / "s")
    assert store.history("actions")[-1].metadata[DEMO_KEY] == "1"
    assert freshness.data_version(store).demo
    imported = Store(tmp_path / "imported")
    imported.create("actions", demo_actions(), metadata={"user": "x", "source": "données de démonstration"})
    assert not freshness.is_demo(imported.history("actions"))
