"""The import page (AppTest): upload, problems in French, preview, commit, and the role checked at the action."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.auth import AccountStore
from dashboard.store import Store
from tests.conftest import open_page
from tests.files import make_corpus

FILES = Path(__file__).resolve().parent / "files"


def _open(session: dict | None = None) -> AppTest:
    return open_page("pages/import.py", session=session)


def _upload(at: AppTest, name: str, data: bytes | None = None) -> AppTest:
    content = data if data is not None else (FILES / name).read_bytes()
    at.file_uploader(key="import_file").set_value((name, content, "text/csv")).run()
    assert not at.exception, at.exception
    return at


def _table(at: AppTest, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_the_page_offers_both_templates_and_the_allowed_values(demo_store):
    at = _open()
    assert at.title[0].value == "Importer des données"
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Modèle CSV", "Modèle Excel"]
    allowed = at.dataframe[0].value
    assert "pays" in allowed["Colonne"].tolist()
    assert at.file_uploader(key="import_file").allowed_type == [".csv", ".txt", ".tsv", ".xlsx"]


def test_a_bad_file_lists_every_problem_and_cannot_be_imported(writable_demo_store: Store):
    version = writable_demo_store.version("actions")
    at = _upload(_open(), "bad_many_problems.csv")
    assert _metrics(at)["Erreurs"] == "3"
    problems = _table(at, "Problème")
    # Beside the errors, the warning that the file has no status column (it predates it).
    assert problems[problems["Gravité"] == "avertissement"]["Colonne"].tolist() == ["statut"]
    problems = problems[problems["Gravité"] == "erreur"]
    assert problems["Ligne"].tolist() == [2, 4, 6]
    assert problems["Colonne"].tolist() == ["pays", "mode_action", "effectif_français"]
    assert problems["Valeur"].tolist() == ["Absurdistan", "parachutage", "-1"]
    assert "n'est pas un pays connu" in problems["Problème"].tolist()[0]
    assert at.button(key="import_commit").disabled
    assert writable_demo_store.version("actions") == version


def test_valid_rows_only_are_imported_when_the_user_asks(empty_store: Store):
    at = _upload(_open(), "bad_many_problems.csv")
    at.checkbox(key="import_valid_only").check().run()
    assert not at.button(key="import_commit").disabled
    assert _metrics(at)["Nouvelles"] == "2"
    at.button(key="import_commit").click().run()
    assert not at.exception, at.exception
    assert sorted(empty_store.read("actions").column("action_id").to_pylist()) == ["IMP-0002", "IMP-0004"]
    assert any("3 rejetée(s)" in s.value for s in at.success)


def test_a_good_file_previews_then_commits_a_new_version_once(writable_demo_store: Store):
    before = writable_demo_store.version("actions")
    at = _upload(_open(), "good_excel_dates.xlsx")
    values = _metrics(at)
    assert (values["Nouvelles"], values["Modifiées"], values["Inchangées"], values["Rejetées"]) == ("5", "0", "0", "0")
    at.button(key="import_commit").click().run()
    assert not at.exception, at.exception
    assert writable_demo_store.version("actions") == before + 1
    assert any(f"Version {before + 1}" in s.value for s in at.success)
    commit = writable_demo_store.history("actions")[0]
    assert commit.metadata["file"] == "good_excel_dates.xlsx"
    assert commit.metadata["user"] == "démonstration"  # the name under PMO_DEMO_ACCESS
    # the same file again: nothing to do, no new version
    assert _metrics(at)["Inchangées"] == "5"
    assert at.button(key="import_commit").disabled


def test_an_update_shows_the_fields_that_change(writable_demo_store: Store):
    at = _upload(_open(), "good_utf8_semicolon.csv")
    at.button(key="import_commit").click().run()
    edited = make_corpus.changed(4, "dispositif", "forces de souveraineté")
    at = _upload(at, "v2.csv", make_corpus.csv_text(make_corpus.FR, edited).encode())
    assert _metrics(at)["Modifiées"] == "1"
    changes = _table(at, "Champs modifiés")
    assert changes.to_dict("records") == [
        {
            "Ligne": 4,
            "Identifiant": "IMP-0003",
            "Champs modifiés": "dispositif",
            "Avant → après": "dispositif : « régiments de métropole » → « forces de souveraineté »",
        }
    ]


def test_an_unreadable_file_is_refused_in_french_without_a_traceback(demo_store):
    at = _upload(_open(), "bad_binary.csv")
    assert not at.exception
    assert any("contenu binaire" in e.value for e in at.error)
    assert not at.main.button


def test_a_user_whose_role_is_withdrawn_cannot_commit(empty_store: Store, tmp_path, monkeypatch):
    """The role is checked again when the button is pressed, not only when the page was drawn."""
    monkeypatch.delenv("PMO_DEMO_ACCESS")  # a real staff account, logged in
    accounts = AccountStore(tmp_path / "accounts.json")
    accounts.add("sgt.leroy", "staff", "un mot de passe assez long")
    at = _upload(_open({"pmo_user": "sgt.leroy"}), "good_utf8_semicolon.csv")
    assert not at.button(key="import_commit").disabled
    accounts.set_role("sgt.leroy", "viewer")
    at.button(key="import_commit").click().run()
    assert not at.exception, at.exception
    assert empty_store.read("actions").num_rows == 0
    assert any("Accès refusé" in e.value for e in at.error)
