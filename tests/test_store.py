"""The versioned store: create, merge by key, history with metadata, restore, refusal of bad frames."""

import datetime as dt

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from deltalake import DeltaTable

from dashboard.demo import demo_actions
from dashboard.schema import ACTIONS
from dashboard.store import Store, WriteFailed
from dashboard.validation import ContractError


@pytest.fixture
def store(tmp_path) -> Store:
    store = Store(tmp_path / "store")
    store.create("actions", demo_actions().slice(0, 100), metadata={"user": "test", "source": "essai"})
    return store


def _changed(table: pa.Table, row: int, column: str, value) -> pa.Table:
    rows = table.to_pylist()
    rows[row][column] = value
    return pa.Table.from_pylist(rows, schema=table.schema)


def test_read_gives_back_what_was_written_with_the_contract_types(store):
    data = store.read("actions")
    assert data.schema.equals(ACTIONS.arrow_schema())
    assert data.sort_by("action_id").equals(demo_actions().slice(0, 100).sort_by("action_id"))


def test_merge_inserts_new_keys_updates_changed_rows_and_leaves_the_rest(store):
    current = store.read("actions").sort_by("action_id")
    update = _changed(current.slice(0, 3), 1, "title", "Titre corrigé")
    new = demo_actions().slice(100, 2)
    result = store.merge("actions", pa.concat_tables([update, new]), metadata={"user": "cne Martin"})
    assert (result.inserted, result.updated, result.unchanged) == (2, 1, 2)
    assert result.version == 1
    after = store.read("actions")
    assert after.num_rows == 102
    titles = dict(zip(after["action_id"].to_pylist(), after["title"].to_pylist(), strict=True))
    assert titles[current["action_id"][1].as_py()] == "Titre corrigé"


def test_merging_the_same_rows_twice_changes_nothing(store):
    rows = demo_actions().slice(100, 5)
    first = store.merge("actions", rows)
    second = store.merge("actions", rows)
    assert first.inserted == 5
    assert (second.inserted, second.updated, second.unchanged) == (0, 0, 5)
    assert second.version == first.version


def test_a_list_column_change_is_an_update(store):
    current = store.read("actions").slice(0, 1)
    result = store.merge("actions", _changed(current, 0, "superiority_factors", ["masse", "endurance"]))
    assert result.updated == 1
    assert store.read("actions").filter(pa.compute.equal(store.read("actions")["action_id"], current["action_id"][0]))[
        "superiority_factors"
    ].to_pylist() == [["masse", "endurance"]]


def test_history_lists_versions_newest_first_with_metadata_and_counts(store):
    store.merge("actions", demo_actions().slice(100, 4), metadata={"user": "adj Durand", "file": "extrait.csv"})
    history = store.history("actions")
    assert [c.version for c in history] == [1, 0]
    assert history[0].operation == "MERGE"
    assert history[0].metadata == {"user": "adj Durand", "file": "extrait.csv"}
    assert history[0].metrics["num_target_rows_inserted"] == 4
    assert history[1].metadata["source"] == "essai"
    assert history[0].timestamp.date() == dt.datetime.now(dt.UTC).date()


def test_restore_brings_back_an_old_version_as_a_new_version(store):
    store.merge("actions", demo_actions().slice(100, 50))
    assert store.read("actions").num_rows == 150
    version = store.restore("actions", 0, metadata={"user": "admin", "restored_from": 0})
    assert version == 2
    assert store.read("actions").num_rows == 100
    assert store.read("actions", version=1).num_rows == 150
    assert store.history("actions")[0].metadata["restored_from"] == 0


def test_a_merge_and_a_restore_report_their_own_version_when_another_process_commits_right_after(store, monkeypatch):
    """Seen with two replicas importing at once: each import reported the table's latest version, the other's."""
    other = Store(store.root)

    def then_another_commit(operation):
        """`operation`, then (not from inside the other commit itself) one commit of another process."""
        done = []

        def operation_then_another_commit(*args, **kwargs):
            result = operation(*args, **kwargs)
            if not done:
                done.append(True)
                other.merge("actions", demo_actions().slice(200 + len(other.history("actions")), 1))
            return result

        return operation_then_another_commit

    monkeypatch.setattr(Store, "_merge_once", then_another_commit(Store._merge_once))
    monkeypatch.setattr(DeltaTable, "restore", then_another_commit(DeltaTable.restore))
    assert store.merge("actions", demo_actions().slice(100, 5)).version == 1
    assert store.restore("actions", 0) == 3
    assert store.version("actions") == 4


def test_a_frame_breaking_the_contract_raises_one_error_and_writes_nothing(store):
    rows = demo_actions().slice(100, 3).to_pylist()
    rows[0]["country_iso3"] = "ABS"
    rows[2]["mode"] = "parachutage"
    bad = pa.Table.from_pylist(rows, schema=demo_actions().schema)
    with pytest.raises(ContractError) as caught:
        store.merge("actions", bad)
    assert len(caught.value.problems) == 2
    assert store.version("actions") == 0
    assert store.read("actions").num_rows == 100


def test_a_missing_table_reads_as_empty_with_version_minus_one(tmp_path):
    store = Store(tmp_path / "nothing")
    assert store.version("actions") == -1
    assert store.read("meetings").num_rows == 0
    assert store.history("actions") == []


def test_a_store_written_before_the_status_column_reads_with_statuses_from_the_dates_and_takes_new_rows(tmp_path):
    from deltalake import write_deltalake

    plan_columns = ("status", "objective", "assessment", "assessment_note", "cancellation_reason")
    older = [c for c in ACTIONS.names if c not in plan_columns]
    rows = demo_actions(dt.date(2025, 6, 1)).slice(0, 3).to_pylist()
    rows[0]["start_date"], rows[0]["end_date"] = dt.date.today(), dt.date.today() + dt.timedelta(days=3)
    old = pa.Table.from_pylist(rows, schema=ACTIONS.arrow_schema()).select(older)
    store = Store(tmp_path)
    write_deltalake(store.uri("actions"), old)

    read = store.read("actions")
    assert read.schema.equals(ACTIONS.arrow_schema())
    assert read.column("status").to_pylist() == ["prévue", "réalisée", "réalisée"]
    assert read.column("objective").null_count == 3

    new = demo_actions().slice(100, 1)
    store.merge("actions", new, metadata={"user": "adj Durand"})
    after = store.read("actions")
    assert after.num_rows == 4
    assert after.filter(pc.equal(after["action_id"], new["action_id"][0])).to_pylist() == new.to_pylist()


def test_a_commit_that_cannot_be_written_raises_write_failed_and_changes_nothing(tmp_path):
    store = Store(tmp_path / "s")
    store.create("actions", demo_actions().slice(0, 10))
    (tmp_path / "s" / "actions" / "_delta_log" / f"{1:020d}.json").mkdir()
    changed = demo_actions().slice(0, 3)
    changed = changed.set_column(changed.schema.get_field_index("title"), "title", pa.array(["a", "b", "c"]))
    with pytest.raises(WriteFailed) as failed:
        store.merge("actions", changed)
    assert failed.value.table == "actions" and failed.value.cause == "CommitFailedError"
    assert store.version("actions") == 0
    assert store.read("actions").column("title").to_pylist()[:3] == demo_actions().column("title").to_pylist()[:3]
