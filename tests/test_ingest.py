"""The import of real extracts: every encoding and style parses, every problem is told, commits are by key."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest

from dashboard import ingest
from dashboard.store import Store, WriteFailed
from dashboard.validation import ContractError
from tests.files import make_corpus

FILES = Path(__file__).resolve().parent / "files"
ROOT = FILES.parent.parent


def analyse(name: str, table: str | None = None) -> ingest.Report:
    return ingest.analyse(name, (FILES / name).read_bytes(), table)


@pytest.fixture(scope="module")
def expected() -> pa.Table:
    """The five actions of the corpus, as the reference file gives them."""
    report = analyse("good_utf8_semicolon.csv")
    assert report.ok, report.problems
    return report.valid_rows()


def test_the_corpus_on_disk_is_what_the_script_makes(tmp_path, monkeypatch):
    monkeypatch.setattr(make_corpus, "HERE", tmp_path)
    make_corpus.good_files()
    make_corpus.bad_files()
    made = sorted(p.name for p in tmp_path.iterdir())
    assert made == sorted(p.name for p in FILES.iterdir() if p.suffix != ".py" and p.name != "__pycache__")
    for name in made:
        if name.endswith(".xlsx"):
            continue  # a workbook carries its creation time
        assert (tmp_path / name).read_bytes() == (FILES / name).read_bytes(), name


@pytest.mark.parametrize(
    "name",
    [
        "good_utf8_bom_comma_english.csv",
        "good_cp1252_semicolon.csv",
        "good_trailing_blanks.csv",
        "good_excel_dates.xlsx",
    ],
)
def test_every_encoding_separator_and_header_style_gives_the_same_rows(name, expected):
    report = analyse(name)
    assert report.table == "actions"
    assert report.errors == [], report.errors
    assert report.valid_rows().equals(expected)


def test_the_reference_rows_hold_normalised_values(expected):
    first = expected.to_pylist()[0]
    assert first["country_iso3"] == "CIV"
    assert first["start_date"] == dt.date(2024, 3, 12)
    assert first["superiority_factors"] == ["coopération", "influence"]
    assert first["opex"] is False
    assert first["french_personnel"] == 12
    assert first["programme"] is None
    countries = expected.column("country_iso3").to_pylist()
    assert countries == ["CIV", "ARE", "GBR", "IRQ", "KOR"]


def test_encodings_and_separators_are_detected():
    assert (analyse("good_cp1252_semicolon.csv").encoding, analyse("good_cp1252_semicolon.csv").separator) == (
        "cp1252",
        ";",
    )
    assert analyse("good_utf8_bom_comma_english.csv").encoding == "utf-8-sig"
    assert analyse("good_utf8_bom_comma_english.csv").separator == ","
    assert analyse("good_latin1_tab.txt").separator == "\t"


def test_headers_and_values_without_accents_in_any_case_codes_and_one_zero_booleans():
    report = analyse("good_latin1_tab.txt")
    assert report.errors == [], report.errors
    rows = report.valid_rows().to_pylist()
    assert [r["country_iso3"] for r in rows] == ["CIV", "ARE", "GBR"]
    assert [r["mode"] for r in rows] == ["formation", "conseil", "entraînement"]
    assert rows[0]["superiority_factors"] == ["coopération", "influence"]
    assert rows[2]["superiority_factors"] == ["coopération", "agilité"]
    assert [r["framework"] for r in rows] == ["bilatéral", "EMA", "OTAN"]
    assert [r["force"] for r in rows] == ["forces de présence", "forces de présence", "régiments de métropole"]
    assert [r["opex"] for r in rows] == [False, False, False]
    assert rows[2]["start_date"] == dt.date(2024, 5, 15)
    assert rows[2]["partner_trainees"] is None


def test_meetings_are_recognised_from_their_headers():
    report = analyse("good_meetings.csv")
    assert report.table == "meetings"
    assert report.errors == []
    rows = report.valid_rows().to_pylist()
    assert rows[0]["country_iso3"] == "JPN"
    assert rows[1]["partner_countries"] == ["SWE", "FIN", "AUS"]
    assert rows[0]["topics"] == ["interopérabilité", "formation"]
    assert rows[1]["participants"] == 30


@pytest.mark.parametrize(("name", "line", "column", "value", "words"), make_corpus.BAD, ids=lambda v: str(v))
def test_each_bad_file_names_the_line_column_value_and_what_is_expected(name, line, column, value, words):
    report = analyse(name)
    assert len(report.errors) == 1, report.errors
    problem = report.errors[0]
    assert (problem.row, problem.column, problem.value) == (line, column, value)
    assert words in problem.message
    if value is not None:
        assert f"« {value} »" in str(problem)
    assert str(problem).startswith(f"ligne {line}")
    assert report.rejected_lines == ([line] if line != 1 else [])


def test_the_unknown_country_reads_as_the_user_expects():
    problem = analyse("bad_country.csv").errors[0]
    assert str(problem).startswith("ligne 4, colonne pays : « Absurdistan » : n'est pas un pays connu")


def test_every_problem_of_a_file_is_listed_at_once():
    report = analyse("bad_many_problems.csv")
    assert [(p.row, p.column) for p in report.errors] == [(2, "pays"), (4, "mode_action"), (6, "effectif_français")]
    assert report.rejected_lines == [2, 4, 6]


def test_an_unknown_column_is_a_warning_and_the_file_still_imports(expected):
    report = analyse("warn_unknown_column.csv")
    assert report.errors == []
    # The corpus predates the status column: it comes from the dates, which the import says too.
    assert [(p.column, p.severity) for p in report.warnings] == [("couleur", "warning"), ("statut", "warning")]
    assert "colonne inconnue" in report.warnings[0].message
    assert report.valid_rows().equals(expected)


def test_a_missing_required_column_rejects_the_whole_file():
    report = analyse("bad_missing_column.csv")
    assert report.file_errors
    assert report.valid_rows().num_rows == 0


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("bad_empty.csv", "le fichier est vide"),
        ("bad_binary.csv", "contenu binaire"),
        ("bad_old_excel.xls", "enregistrez le fichier au format .xlsx ou CSV"),
        ("bad_truncated.xlsx", "classeur Excel illisible ou tronqué"),
        ("bad_truncated.csv", "ligne 6 : fichier CSV mal formé ou tronqué"),
    ],
)
def test_unreadable_files_are_refused_politely(name, words):
    report = analyse(name)
    assert report.table is None
    assert len(report.errors) == 1
    assert report.errors[0].message.startswith("fichier refusé : ")
    assert words in report.errors[0].message


def test_size_and_row_limits_come_from_the_settings(monkeypatch):
    data = (FILES / "good_utf8_semicolon.csv").read_bytes()
    monkeypatch.setenv("PMO_MAX_UPLOAD_ROWS", "3")
    refused = ingest.analyse("x.csv", data)
    assert "le fichier compte 5 lignes ; au plus 3 sont acceptées" in refused.errors[0].message
    monkeypatch.setenv("PMO_MAX_UPLOAD_ROWS", "1000")
    monkeypatch.setenv("PMO_MAX_UPLOAD_MB", "1")
    big = data + b"\n" * (1024 * 1024)
    assert "au plus 1 Mo sont acceptés" in ingest.analyse("x.csv", big).errors[0].message


def test_a_forced_table_reports_the_columns_it_misses():
    report = analyse("good_meetings.csv", table="actions")
    assert report.table == "actions"
    missing = {p.column for p in report.file_errors}
    assert {"mode_action", "fonction_stratégique", "cadre"} <= missing


# --- preview and commit ---------------------------------------------------------------------------------------


def test_preview_counts_new_updated_with_fields_unchanged_and_rejected(empty_store: Store):
    first = analyse("good_utf8_semicolon.csv")
    assert ingest.preview(first, empty_store).new == 5
    ingest.commit(first, empty_store, user="officier")
    edited = make_corpus.changed(3, "intitulé", "Conseil à l'état-major, phase 2")
    edited = make_corpus.changed(3, "effectif_français", "6", edited)
    edited = make_corpus.changed(5, "pays", "Absurdistan", edited)
    edited.append(["IMP-0006", *edited[0][1:]])
    report = ingest.analyse("v2.csv", make_corpus.csv_text(make_corpus.FR, edited).encode())
    preview = ingest.preview(report, empty_store)
    assert (preview.new, preview.updated, preview.unchanged, preview.rejected) == (1, 1, 3, 1)
    assert preview.changes == (ingest.Change(3, "IMP-0002", ("intitulé", "effectif_français")),)
    assert preview.changes[0].describe() == (
        "intitulé : « Conseil à l'état-major » → « Conseil à l'état-major, phase 2 » ; effectif_français : 4 → 6"
    )


def test_commit_records_who_what_and_when_and_reads_back_equal(empty_store: Store, expected):
    data = (FILES / "good_utf8_semicolon.csv").read_bytes()
    _report, result = ingest.import_bytes("good_utf8_semicolon.csv", data, empty_store, "cne Martin")
    assert (result.inserted, result.updated, result.rejected, result.changed) == (5, 0, 0, True)
    assert empty_store.read("actions").sort_by("action_id").equals(expected.sort_by("action_id"))
    commit = empty_store.history("actions")[0]
    assert commit.version == result.version
    assert commit.metadata["user"] == "cne Martin"
    assert commit.metadata["file"] == "good_utf8_semicolon.csv"
    assert commit.metadata["sha256"] == hashlib.sha256(data).hexdigest()
    assert commit.metadata["rows"] == "5"
    assert dt.datetime.fromisoformat(commit.metadata["time"]).tzinfo is not None
    assert commit.metrics["num_target_rows_inserted"] == 5


def test_the_same_file_twice_makes_no_new_version(empty_store: Store):
    data = (FILES / "good_cp1252_semicolon.csv").read_bytes()
    _, first = ingest.import_bytes("a.csv", data, empty_store, "u")
    _, second = ingest.import_bytes("a.csv", data, empty_store, "u")
    assert first.changed and not second.changed
    assert second.version == first.version
    assert len(empty_store.history("actions")) == 2  # creation + one import


def test_a_file_with_errors_changes_nothing_unless_valid_rows_only_are_asked(empty_store: Store):
    report = analyse("bad_many_problems.csv")
    before = empty_store.version("actions")
    with pytest.raises(ContractError):
        ingest.commit(report, empty_store, user="u")
    assert empty_store.version("actions") == before
    result = ingest.commit(report, empty_store, user="u", valid_only=True)
    assert (result.inserted, result.rejected) == (2, 3)
    assert sorted(empty_store.read("actions").column("action_id").to_pylist()) == ["IMP-0002", "IMP-0004"]
    assert empty_store.history("actions")[0].metadata["rejected"] == "3"


def test_a_file_that_cannot_be_read_is_never_committed(empty_store: Store):
    for name in ("bad_missing_column.csv", "bad_binary.csv"):
        with pytest.raises(ContractError):
            ingest.commit(analyse(name), empty_store, user="u", valid_only=True)
    assert empty_store.version("actions") == 0


def test_a_failure_half_way_leaves_the_previous_version_intact(empty_store: Store, monkeypatch):
    ingest.commit(analyse("good_utf8_semicolon.csv"), empty_store, user="u")
    version, rows = empty_store.version("actions"), empty_store.read("actions")

    def broken(*args, **kwargs):
        raise OSError("disque plein")

    monkeypatch.setattr(Store, "_merge_once", broken)
    edited = make_corpus.changed(2, "intitulé", "Nouvel intitulé")
    report = ingest.analyse("v2.csv", make_corpus.csv_text(make_corpus.FR, edited).encode())
    with pytest.raises(WriteFailed, match="OSError"):
        ingest.commit(report, empty_store, user="u")
    assert empty_store.version("actions") == version
    assert empty_store.read("actions").equals(rows)


def test_restore_is_a_new_version_that_says_where_it_comes_from(empty_store: Store):
    ingest.commit(analyse("good_utf8_semicolon.csv"), empty_store, user="u")
    version = ingest.restore_version(empty_store, "actions", 0, user="col Durand")
    assert empty_store.read("actions").num_rows == 0
    commit = empty_store.history("actions")[0]
    assert (commit.version, commit.operation) == (version, "RESTORE")
    assert commit.metadata["restored_from"] == "0"
    assert commit.metadata["user"] == "col Durand"
    rows = ingest.history_rows(empty_store.history("actions"))
    assert [r["Opération"] for r in rows] == ["Restauration de la version 0", "Import", "Création (création)"]
    assert rows[1]["Ajoutées"] == "5" and rows[1]["Fichier"] == "good_utf8_semicolon.csv"
    assert rows[0]["Ajoutées"] == "—"


# --- command line ----------------------------------------------------------------------------------------------


def _cli(*args: str, env_store: Path, language: str | None = None) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "PMO_DEMO": "0", "HOME": str(env_store.parent)}
    return subprocess.run(
        [sys.executable, "-m", "dashboard.ingest", *args, "--store", str(env_store)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env | ({"PMO_LANGUAGE": language} if language else {}),
        timeout=120,
    )


def test_the_command_line_refuses_a_bad_file_with_the_same_report(tmp_path):
    store = tmp_path / "store"
    done = _cli(str(FILES / "bad_country.csv"), "--user", "cron", env_store=store)
    assert done.returncode == 1
    assert "ligne 4, colonne pays : « Absurdistan » : n'est pas un pays connu" in done.stdout
    assert "Rien n'a été importé" in done.stdout
    assert not (store / "actions").exists() or Store(store).read("actions").num_rows == 0


def test_the_command_line_speaks_english_when_the_setting_says_so(tmp_path):
    store = tmp_path / "store"
    done = _cli(str(FILES / "bad_country.csv"), "--user", "cron", env_store=store, language="en")
    assert done.returncode == 1
    assert "ERROR: row 4, column pays: “Absurdistan”: is not a known country" in done.stdout
    assert "bad_country.csv: 5 row(s) read, table “Partnership actions”" in done.stdout
    assert "Nothing was imported: correct the file or use --valid-only." in done.stdout
    assert "ligne" not in done.stdout


def test_the_command_line_imports_dry_runs_and_keeps_valid_rows(tmp_path):
    store = tmp_path / "store"
    dry = _cli(str(FILES / "good_excel_dates.xlsx"), "--dry-run", env_store=store)
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "5 nouvelle(s)" in dry.stdout
    assert Store(store).read("actions").num_rows == 0
    partial = _cli(str(FILES / "bad_many_problems.csv"), "--valid-only", "--user", "cron", env_store=store)
    assert partial.returncode == 1
    assert Store(store).read("actions").num_rows == 2
    assert Store(store).history("actions")[0].metadata["user"] == "cron"
    full = _cli(str(FILES / "good_utf8_semicolon.csv"), "--table", "actions", env_store=store)
    assert full.returncode == 0, full.stdout + full.stderr
    assert Store(store).read("actions").num_rows == 5


# Status, objective and assessment: the columns of the plan.
PLAN_HEADERS = [*make_corpus.FR, "statut", "objectif", "évaluation", "commentaire_évaluation", "motif_annulation"]


def _plan_file(*plans: tuple[str, str, str, str]) -> bytes:
    """The five corpus actions with (status, assessment, start, end) of each given row; the others realised."""
    rows = []
    for index, row in enumerate(make_corpus.ACTIONS):
        status, assessment, start, end = plans[index] if index < len(plans) else ("réalisée", "", row[2], row[3])
        rows.append([*row[:2], start, end, *row[4:], status, "Former des tireurs", assessment, "", ""])
    return make_corpus.csv_text(PLAN_HEADERS, rows).encode()


def test_an_older_file_without_status_takes_it_from_the_dates_and_says_so():
    today = dt.date.today()
    rows = [list(r) for r in make_corpus.ACTIONS]
    rows[0][2] = (today + dt.timedelta(days=10)).strftime("%d/%m/%Y")
    rows[0][3] = (today + dt.timedelta(days=20)).strftime("%d/%m/%Y")
    report = ingest.analyse("ancien.csv", make_corpus.csv_text(make_corpus.FR, rows).encode())
    assert report.errors == []
    (warning,) = report.warnings
    assert (warning.row, warning.column, warning.severity) == (1, "statut", "warning")
    assert "réalisée si la date de fin est passée, prévue sinon" in warning.message
    assert "ajoutez la colonne « statut »" in warning.message
    assert report.valid_rows().column("status").to_pylist() == ["prévue"] + ["réalisée"] * 4


def test_an_empty_status_cell_is_taken_from_the_dates_with_a_warning_on_its_line():
    report = ingest.analyse("plan.csv", _plan_file(("", "", "12/03/2024", "22/03/2024")))
    assert report.errors == []
    assert [(p.row, p.column, p.severity) for p in report.warnings] == [(2, "statut", "warning")]
    assert "« réalisée » d'après les dates" in report.warnings[0].message
    assert report.valid_rows().column("status")[0].as_py() == "réalisée"
    assert report.valid_rows().column("objective")[0].as_py() == "Former des tireurs"


def test_an_assessment_on_an_action_not_realised_is_an_error_with_its_fix(tmp_path):
    later = (dt.date.today() + dt.timedelta(days=40)).strftime("%d/%m/%Y")
    much_later = (dt.date.today() + dt.timedelta(days=50)).strftime("%d/%m/%Y")
    data = _plan_file(("réalisée", "atteint", "12/03/2024", "22/03/2024"), ("prévue", "dépassé", later, much_later))
    report = ingest.analyse("plan.csv", data)
    (error,) = report.errors
    assert (error.row, error.column, error.value) == (3, "évaluation", "dépassé")
    assert "ne porte que sur une action réalisée" in error.message and "« prévue »" in error.message
    assert "videz la cellule ou passez le statut à « réalisée »" in error.message
    store = Store(tmp_path / "store")
    with pytest.raises(ContractError):
        ingest.import_bytes("plan.csv", data, store, "adj Durand")
    assert not store.exists("actions"), "nothing written"


def test_a_planned_action_ended_long_ago_is_a_warning_or_an_error_as_the_setting_says(monkeypatch):
    ended = dt.date.today() - dt.timedelta(days=45)
    recent = dt.date.today() - dt.timedelta(days=10)
    data = _plan_file(
        ("prévue", "", (ended - dt.timedelta(days=5)).strftime("%d/%m/%Y"), ended.strftime("%d/%m/%Y")),
        ("prévue", "", (recent - dt.timedelta(days=5)).strftime("%d/%m/%Y"), recent.strftime("%d/%m/%Y")),
    )
    report = ingest.analyse("plan.csv", data)
    assert report.errors == []
    (warning,) = report.warnings
    assert (warning.row, warning.column, warning.value) == (2, "statut", "prévue")
    assert f"terminée le {ended.strftime('%d/%m/%Y')}, il y a plus de 30 jours" in warning.message
    assert "mettez à jour son statut (réalisée, annulée ou reportée)" in warning.message

    monkeypatch.setenv("PMO_STALE_PLAN", "error")
    assert [(p.row, p.severity) for p in ingest.analyse("plan.csv", data).errors] == [(2, "error")]
    monkeypatch.setenv("PMO_STALE_PLAN_DAYS", "5")
    assert [p.row for p in ingest.analyse("plan.csv", data).errors] == [2, 3]


@pytest.mark.parametrize(
    ("name", "row", "column", "value", "words"),
    [
        ("bad_date_format.csv", 3, "date_début", "demain", "unreadable date; formats allowed dd/mm/yyyy"),
        ("bad_country.csv", None, "pays", None, "is not a known country (French or English name"),
        ("bad_boolean.csv", None, "opex", None, "allowed values: oui, non (or yes/no"),
        (
            "bad_end_before_start.csv",
            2,
            "date_fin",
            "1 Mar 2024",
            "the end date is before the start date (12 Mar 2024)",
        ),
        ("bad_duplicate_key.csv", None, "identifiant", None, "duplicate identifier (already on row"),
        ("bad_negative_count.csv", None, None, None, "a whole number, zero or more, is expected"),
    ],
)
def test_in_english_each_problem_names_its_row_column_value_and_fix_in_english(
    english, name, row, column, value, words
):
    report = analyse(name)
    found = [p for p in report.errors if words in p.message]
    assert found, [p.message for p in report.errors]
    problem = found[0]
    assert problem.row is not None and (row is None or problem.row == row)
    assert column is None or problem.column == column
    assert value is None or problem.value == value
    told = str(problem)
    assert told.startswith(f"row {problem.row}, column {problem.column}: ") and words in told


def test_a_refused_file_and_the_contract_error_are_told_in_english(english):
    assert [str(p) for p in analyse("bad_empty.csv").errors] == ["file refused: the file is empty"]
    assert "old Excel format (.xls): save the file as .xlsx or CSV" in str(analyse("bad_old_excel.xls").errors[0])
    error = ContractError(analyse("bad_country.csv").problems)
    assert str(error).startswith("1 problem(s) in the data:\n- row ")


def test_the_same_file_is_told_in_french_by_default():
    report = analyse("bad_end_before_start.csv")
    assert str(report.errors[0]) == (
        "ligne 2, colonne date_fin : « 01/03/2024 » : la date de fin précède la date de début (12/03/2024)"
    )
