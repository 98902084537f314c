"""Reading extracts as source systems and spreadsheets write them: titles above the header, empty
trailing rows and columns, workbooks of several sheets."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from dashboard import ingest
from tests.files import make_corpus


def _csv(lines: list[str], encoding: str = "utf-8") -> bytes:
    return "\r\n".join(lines).encode(encoding)


def _body(sep: str = ";") -> list[str]:
    return make_corpus.csv_text(*make_corpus.with_status(make_corpus.FR, make_corpus.ACTIONS), sep).splitlines()


@pytest.fixture(scope="module")
def expected():
    report = ingest.analyse("ref.csv", _csv(_body()))
    assert report.ok
    return report.valid_rows()


@pytest.mark.parametrize("sep", [";", ",", "\t"])
def test_title_and_metadata_lines_above_the_header_are_skipped_and_told(sep, expected):
    above = [
        "Extraction SIPMO - actions de partenariat",
        f"Date d'extraction : 06/01/2025{sep}{sep}",
        "",
        f"Périmètre{sep}Afrique",
    ]
    report = ingest.analyse("extraction.csv", _csv(above + _body(sep)))
    assert report.separator == sep
    assert report.errors == []
    assert report.valid_rows().equals(expected)
    assert report.lines == [6, 7, 8, 9, 10]
    [warning] = report.warnings
    assert (warning.row, warning.column) == (1, None)
    assert warning.message == (
        "3 ligne(s) au-dessus de l'en-tête (titre, métadonnées) ignorée(s) ; "
        "les données sont lues sous l'en-tête de la ligne 5"
    )


def test_a_problem_below_a_title_is_reported_on_the_file_line():
    lines = [
        "Extraction du 06/01/2025",
        *make_corpus.csv_text(make_corpus.FR, make_corpus.changed(4, "pays", "Absurdistan")).splitlines(),
    ]
    [error] = ingest.analyse("x.csv", _csv(lines)).errors
    assert (error.row, error.column, error.value) == (5, "pays", "Absurdistan")


def test_empty_trailing_rows_and_columns_are_ignored_in_a_csv(expected):
    lines = [line + ";;;" for line in _body()] + [";" * 21, "", "   ", ";;"]
    report = ingest.analyse("x.csv", _csv(lines))
    assert report.problems == []
    assert report.valid_rows().equals(expected)


def _workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _dated(row: list[str]) -> list[object]:
    cells: list[object] = [c if c != "" else None for c in row]
    for i in (2, 3):
        day, month, year = (int(p) for p in row[i].split("/"))
        cells[i] = dt.datetime(year, month, day)
    return cells


def test_a_workbook_sheet_is_found_by_its_headers_and_the_others_are_named(expected):
    data = _workbook(
        {
            "Notes": [["Extraction préparée par le BRI"], ["Voir la feuille suivante"]],
            "Synthèse": [["Région", "Nombre"], ["Afrique", 3], ["Europe", 2]],
            "Actions 2024": [["Actions de PMO, extraction du 06/01/2025"], [], [*make_corpus.FR, "statut", None, None]]
            + [[*_dated(r), "réalisée", None, None] for r in make_corpus.ACTIONS]
            + [[None] * 20, [None] * 20],
        }
    )
    report = ingest.analyse("classeur.xlsx", data)
    assert report.sheet == "Actions 2024"
    assert report.errors == []
    assert report.valid_rows().equals(expected)
    assert report.lines == [4, 5, 6, 7, 8]
    assert [w.message for w in report.warnings] == [
        "feuille lue : celle qui porte les en-têtes ; les autres feuilles du classeur (« Notes », « Synthèse ») "
        "sont ignorées",
        "1 ligne(s) au-dessus de l'en-tête (titre, métadonnées) ignorée(s) ; "
        "les données sont lues sous l'en-tête de la ligne 3",
    ]


def test_the_sheet_of_the_chosen_table_is_read_when_a_workbook_holds_both():
    headers, rows = make_corpus.with_status(make_corpus.MEETINGS_FR, make_corpus.MEETINGS)
    meetings = [headers, *rows]
    headers, rows = make_corpus.with_status(make_corpus.FR, make_corpus.ACTIONS)
    actions = [headers, *rows]
    data = _workbook({"Actions": actions, "Rencontres": meetings})
    assert ingest.analyse("x.xlsx", data).sheet == "Actions"
    report = ingest.analyse("x.xlsx", data, "meetings")
    assert (report.sheet, report.table, len(report.lines)) == ("Rencontres", "meetings", 2)
    assert report.errors == []


def test_a_workbook_without_the_table_is_refused_naming_its_sheets():
    data = _workbook({"Budget": [["Poste", "Montant"], ["Transport", 1200]], "Feuil2": [["rien"]]})
    [error] = ingest.analyse("budget.xlsx", data).errors
    assert error.message == (
        "fichier refusé : aucune feuille du classeur ne porte les en-têtes attendus (identifiant, intitulé, "
        "date_début…) ; feuilles trouvées : « Budget », « Feuil2 ». Placez le tableau dans une feuille avec ses "
        "en-têtes en première ligne"
    )


def test_spreadsheet_cells_keep_their_types_numbers_booleans_and_serial_dates():
    row = _dated(make_corpus.ACTIONS[0])
    row[3] = 45376  # a date column left as a number: the serial of 25/03/2024
    row[10] = True
    row[13] = 12.0
    data = _workbook({"Feuil1": [[*make_corpus.FR, "statut"], [*row, "réalisée"]]})
    report = ingest.analyse("x.xlsx", data)
    assert report.errors == []
    stored = report.valid_rows().to_pylist()[0]
    assert (stored["end_date"], stored["opex"], stored["french_personnel"]) == (dt.date(2024, 3, 25), True, 12)
    [warning] = report.warnings
    assert (warning.row, warning.column, warning.value) == (2, "date_fin", "45376")
