"""The import page (AppTest): upload, problems in French, preview, commit, and the role checked at the action."""

from __future__ import annotations

import re
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
    [uploader] = at.file_uploader
    uploader.set_value((name, content, "text/csv")).run()
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
    assert at.file_uploader[0].allowed_type == [".csv", ".txt", ".tsv", ".xlsx"]


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
    # The uploader is empty again: no preview, no button offering the same rows once more.
    [uploader] = at.file_uploader
    assert uploader.value is None
    assert not at.metric and not any(b.key == "import_commit" for b in at.button)
    # The same file again: nothing to do, no new version.
    at = _upload(at, "good_excel_dates.xlsx")
    assert _metrics(at)["Inchangées"] == "5"
    assert at.button(key="import_commit").disabled


def test_a_commit_the_store_cannot_write_says_so_and_keeps_the_version_in_force(writable_demo_store: Store):
    before = writable_demo_store.version("actions")
    # The next entry of the commit log is taken by a folder: the commit cannot be written.
    (Path(writable_demo_store.uri("actions")) / "_delta_log" / f"{before + 1:020d}.json").mkdir()
    at = _upload(_open(), "good_excel_dates.xlsx")
    at.button(key="import_commit").click().run()
    assert not at.exception, at.exception
    [error] = at.error
    assert f"rien n'a été modifié ; la version {before} reste en vigueur" in error.value
    assert "CommitFailedError" in error.value
    assert writable_demo_store.version("actions") == before


def test_the_preview_shows_the_rows_as_they_will_be_stored(empty_store: Store):
    at = _upload(_open(), "good_latin1_tab.txt")
    rows = _table(at, "État")
    assert rows["Ligne"].tolist() == [2, 3, 4]
    assert rows["État"].tolist() == ["nouvelle"] * 3
    assert rows["pays"].tolist() == ["Côte d'Ivoire", "Émirats arabes unis", "Royaume-Uni"]
    assert rows["date_début"].tolist() == ["12/03/2024", "01/04/2024", "15/05/2024"]
    assert rows["mode_action"].tolist() == ["formation", "conseil", "entraînement"]
    assert rows["facteurs_supériorité"].tolist()[2] == "coopération | agilité"
    assert rows["opex"].tolist() == ["non", "non", "non"]
    assert rows["effectif_français"].tolist() == ["12", "4", "150"]


def test_the_preview_pages_through_a_long_file(empty_store: Store):
    rows = [[f"IMP-{n:04}", *make_corpus.ACTIONS[n % 5][1:]] for n in range(1, 121)]
    at = _upload(_open(), "long.csv", make_corpus.csv_text(make_corpus.FR, rows).encode())
    assert _table(at, "État")["identifiant"].tolist()[:2] == ["IMP-0001", "IMP-0002"]
    assert len(_table(at, "État")) == 50
    assert any("Page 1 sur 3 · 120 ligne(s)" in c.value for c in at.caption)
    at.number_input(key="import_page_None").set_value(3).run()
    assert _table(at, "État")["identifiant"].tolist() == [f"IMP-{n:04}" for n in range(101, 121)]


def test_an_update_marks_the_changed_cells_with_their_old_value(writable_demo_store: Store):
    at = _upload(_open(), "good_utf8_semicolon.csv")
    at.button(key="import_commit").click().run()
    edited = make_corpus.changed(4, "dispositif", "forces de souveraineté")
    edited = make_corpus.changed(4, "effectif_français", "1 500", edited)
    at = _upload(at, "v2.csv", make_corpus.csv_text(make_corpus.FR, edited).encode())
    assert _metrics(at)["Modifiées"] == "1"
    at.segmented_control(key="import_state").set_value("updated").run()
    [row] = _table(at, "État").to_dict("records")
    assert (row["Ligne"], row["identifiant"], row["État"]) == (4, "IMP-0003", "modifiée")
    assert row["Champs modifiés"] == "dispositif, effectif_français"
    assert row["dispositif"] == "forces de souveraineté (avant : régiments de métropole)"
    assert row["effectif_français"] == "1 500 (avant : 150)"
    assert row["intitulé"] == "Exercice interallié"
    table = next(d for d in at.dataframe if "État" in d.value.columns)
    styles = table.proto.arrow_data.styler.styles
    marked = {int(col) for col in re.findall(r"_row0_col(\d+)", styles)}
    assert "background-color: #fff3cd" in styles
    assert {table.value.columns[i] for i in marked} == {"dispositif", "effectif_français"}


def test_an_unreadable_file_is_refused_in_french_without_a_traceback(demo_store):
    at = _upload(_open(), "bad_binary.csv")
    assert not at.exception
    assert any("contenu binaire" in e.value for e in at.error)
    assert not at.main.button


def test_a_user_whose_role_is_withdrawn_cannot_commit(empty_store: Store, tmp_path, monkeypatch, signed_in):
    """The role is checked again when the button is pressed, not only when the page was drawn."""
    monkeypatch.delenv("PMO_DEMO_ACCESS")  # a real staff account, logged in
    accounts = AccountStore(tmp_path / "accounts.json")
    accounts.add("sgt.leroy", "staff", "un mot de passe assez long")
    signed_in("sgt.leroy")
    at = _upload(_open(), "good_utf8_semicolon.csv")
    assert not at.button(key="import_commit").disabled
    accounts.set_role("sgt.leroy", "viewer")
    at.button(key="import_commit").click().run()
    assert not at.exception, at.exception
    assert empty_store.read("actions").num_rows == 0
    assert any("Accès refusé" in e.value for e in at.error)
