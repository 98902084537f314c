"""The history page (AppTest): every version with its metadata, and a confirmed restore recorded as a version."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard import i18n, ingest
from dashboard.auth import AccountStore
from dashboard.store import Store
from tests.conftest import open_page

FILES = Path(__file__).resolve().parent / "files"


def _open(session: dict | None = None) -> AppTest:
    return open_page("pages/history.py", session=session)


def _import(store: Store, name: str = "good_utf8_semicolon.csv", user: str = "cne Martin") -> None:
    ingest.import_bytes(name, (FILES / name).read_bytes(), store, user)


def test_every_version_is_listed_with_its_user_file_and_counts(writable_demo_store: Store):
    _import(writable_demo_store)
    at = _open()
    assert at.title[0].value == "Historique des versions"
    assert at.metric[0].value == "1"
    versions = at.dataframe[0].value
    assert versions["Version"].tolist() == [1, 0]
    assert versions["Opération"].tolist() == ["Import", "Création (données de démonstration)"]
    assert versions["Utilisateur"].tolist()[0] == "cne Martin"
    assert versions["Fichier"].tolist()[0] == "good_utf8_semicolon.csv"
    assert versions["Ajoutées"].tolist() == ["5", i18n.number(writable_demo_store.read("actions", 0).num_rows)]
    assert versions["Rejetées"].tolist() == ["0", "—"]
    meetings = at.dataframe[1].value
    assert meetings["Version"].tolist() == [0]


def test_a_restore_asks_for_confirmation_then_becomes_a_new_version(writable_demo_store: Store):
    original = writable_demo_store.read("actions", 0)
    _import(writable_demo_store)
    at = _open()
    picker = at.selectbox(key="restore_version_actions")
    assert picker.options[0].startswith("Version 0 · ") and picker.options[0].endswith("(données de démonstration)")
    picker.select(0).run()
    at.button(key="restore_ask_actions").click().run()
    assert writable_demo_store.version("actions") == 1, "nothing changes before the confirmation"
    assert any("Restaurer la version 0" in w.value for w in at.warning)
    at.button(key="restore_confirm_actions").click().run()
    assert not at.exception, at.exception
    assert writable_demo_store.version("actions") == 2
    assert writable_demo_store.read("actions").sort_by("action_id").equals(original.sort_by("action_id"))
    commit = writable_demo_store.history("actions")[0]
    assert commit.metadata["restored_from"] == "0"
    assert commit.metadata["user"] == "démonstration"
    assert any("Version 0 restaurée" in s.value for s in at.success)
    assert at.dataframe[0].value["Opération"].tolist()[0] == "Restauration de la version 0"


def test_cancelling_a_restore_changes_nothing(writable_demo_store: Store):
    _import(writable_demo_store)
    at = _open()
    at.button(key="restore_ask_actions").click().run()
    at.button(key="restore_cancel_actions").click().run()
    assert writable_demo_store.version("actions") == 1
    assert not [w for w in at.warning if "Restaurer la version" in w.value]
    assert at.button(key="restore_ask_actions")


def test_staff_see_the_history_but_only_an_admin_may_restore(
    writable_demo_store: Store, tmp_path, monkeypatch, signed_in
):
    monkeypatch.delenv("PMO_DEMO_ACCESS")
    AccountStore(tmp_path / "accounts.json").add("sgt.leroy", "staff", "un mot de passe assez long")
    _import(writable_demo_store)
    signed_in("sgt.leroy")
    at = _open()
    assert at.dataframe[0].value["Version"].tolist() == [1, 0]
    assert not [b for b in at.button if (b.key or "").startswith("restore_")]
    assert any("réservée aux administrateurs" in c.value for c in at.caption)


def test_the_page_runs_on_an_empty_store(empty_store: Store):
    at = _open()
    assert at.dataframe[0].value["Opération"].tolist() == ["Création (création)"]


def test_an_admin_sees_the_failed_logins_and_staff_do_not(demo_store: Store, tmp_path, monkeypatch, signed_in):
    from dashboard.audit import Repeats
    from dashboard.auth import Throttle, log_in
    from dashboard.web import account_routes

    # The server's throttle and failure series, fresh for this test (no wait: the owner's log-in comes at once
    # after the failures); the log-in route checks through them.
    monkeypatch.setattr(account_routes, "THROTTLE", Throttle(base=0.0))
    monkeypatch.setattr(account_routes, "FAILURES", Repeats("login_failed"))
    monkeypatch.delenv("PMO_DEMO_ACCESS")
    monkeypatch.setenv("PMO_ANONYMOUS", "none")
    accounts = AccountStore(tmp_path / "accounts.json")
    accounts.add("col.bernard", "admin", "un mot de passe assez long")
    accounts.add("adj.leroy", "staff", "un mot de passe assez long")
    monkeypatch.setenv("PMO_ACCOUNTS", str(accounts.path))
    attempts = [("<b>mallory</b>", "devine"), ("col.bernard", "devine"), ("col.bernard", "encore")]
    for name, password in [*attempts, ("col.bernard", "un mot de passe assez long")]:
        log_in(accounts, account_routes.THROTTLE, account_routes.FAILURES, name, password, "10.0.0.7")
    signed_in("col.bernard")
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=90).run()
    at.switch_page("pages/history.py").run()
    assert not at.exception, at.exception
    assert [s.value for s in at.subheader] == ["Échecs de connexion"]
    failures = next(f.value for f in at.dataframe if "Identifiant essayé" in f.value.columns)
    assert sorted(zip(failures["Identifiant essayé"], failures["Échecs"], strict=True)) == [
        ("<b>mallory</b>", 1),
        ("col.bernard", 1),
        ("col.bernard", 1),
    ], "the second failure on col.bernard, written when its owner logged in"
    assert set(failures["Motif"]) == {"mot de passe incorrect"}

    signed_in("adj.leroy")
    at.run()
    assert not at.exception
    assert "Échecs de connexion" not in [s.value for s in at.subheader]
    assert not at.get("arrow_data_frame") or all(
        "Identifiant essayé" not in frame.value.columns for frame in at.dataframe
    )


def test_in_english_the_versions_and_a_restore_read_in_english(writable_demo_store: Store):
    _import(writable_demo_store)
    at = open_page("pages/history.py", {"lang": "en"})
    assert at.title[0].value == "Version history"
    assert at.metric[0].label == "Current version"
    versions = at.dataframe[0].value
    assert list(versions.columns)[:5] == ["Version", "Date (Paris)", "Operation", "User", "File"]
    assert versions["Operation"].tolist() == ["Import", "Creation (données de démonstration)"]
    # `1 Dec 2026 15:42`: the month as English writes it.
    assert all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}", when) for when in versions["Date (Paris)"])
    picker = at.selectbox(key="restore_version_actions")
    assert picker.options[0].startswith("Version 0 · ")
    at.button(key="restore_ask_actions").click().run()
    assert [w.value for w in at.warning] == [
        "Restore version 0 of “Partnership actions”? Its content will again be what the pages show; "
        "version 1 will stay in the history."
    ]
    at.button(key="restore_confirm_actions").click().run()
    assert [s.value for s in at.success] == ["Version 0 restored: it is current as version 2."]
    assert at.dataframe[0].value["Operation"].tolist()[0] == "Restore of version 0"
