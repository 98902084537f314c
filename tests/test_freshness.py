"""The data version and the date of its commit, read from the store's history, and the demo flag."""

import datetime as dt

from dashboard import freshness
from dashboard.demo import demo_actions, demo_meetings
from dashboard.seed import open_store
from dashboard.store import Store


def test_a_demo_store_says_its_version_its_date_and_that_it_is_fictional(tmp_path):
    store = open_store(tmp_path / "store")
    version = freshness.data_version(store)
    assert version.demo
    assert (version.actions.version, version.meetings.version) == (0, 0)
    today = dt.datetime.now(freshness._PARIS).date()
    assert version.date() in (today, today - dt.timedelta(days=1))  # a commit just before midnight
    assert version.text() == f"données au {freshness.i18n.date(version.date())}, version 0 – données fictives"


def test_an_import_moves_the_version_and_the_date_to_its_commit(tmp_path):
    store = Store(tmp_path / "store")
    store.create("actions", demo_actions().slice(0, 10), metadata={"source": "import"})
    store.create("meetings", demo_meetings().slice(0, 3))
    store.merge("actions", demo_actions().slice(10, 5))
    store.merge("actions", demo_actions().slice(15, 5))
    version = freshness.data_version(store)
    assert not version.demo
    assert (version.actions.version, version.meetings.version) == (2, 0)
    newest = store.history("actions")[0].timestamp
    assert version.committed == max(newest, store.history("meetings")[0].timestamp)
    assert version.text() == (f"données au {freshness.i18n.date(version.date())}, version 2 (rencontres : version 0)")


def test_the_commit_date_is_the_day_in_paris():
    late = dt.datetime(2026, 11, 20, 23, 30, tzinfo=dt.UTC)  # already 21 November in Paris
    version = freshness.DataVersion(freshness.TableVersion("actions", 12, late), None, demo=False)
    assert version.date() == dt.date(2026, 11, 21)
    assert version.text() == "données au 21 nov. 2026, version 12"


def test_an_empty_store_says_it_holds_nothing(tmp_path):
    version = freshness.data_version(Store(tmp_path / "vide"))
    assert version.committed is None and not version.demo
    assert version.text() == "aucune donnée enregistrée"
