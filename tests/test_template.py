"""The import templates: French headers, allowed values, and a round trip through the import."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from dashboard import ingest, template
from dashboard.schema import TABLES
from dashboard.settings import settings
from dashboard.store import Store
from tests.files import make_corpus


@pytest.mark.parametrize("table", list(TABLES))
def test_the_csv_template_has_the_marking_the_allowed_values_and_the_french_headers(table):
    text = template.template_csv(table).decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0] == f"# {settings().marking}"
    header = next(line for line in lines if not line.startswith("#"))
    assert header.split(";") == [c.header_fr for c in TABLES[table].columns]
    for column in TABLES[table].columns:
        if column.taxonomy is not None:
            note = next(line for line in lines if line.startswith(f"# {column.header_fr} ("))
            assert all(code in note for code in column.taxonomy.codes)
    report = ingest.analyse(f"modele_{table}.csv", template.template_csv(table))
    assert (report.table, report.lines, report.problems) == (table, [], [])


@pytest.mark.parametrize("table", list(TABLES))
def test_the_excel_template_has_a_sheet_to_fill_and_a_sheet_of_allowed_values(table):
    book = openpyxl.load_workbook(io.BytesIO(template.template_xlsx(table)))
    assert book.sheetnames == [table, template.ALLOWED_SHEET]
    fill = [c.value for c in book[table][2]]
    assert fill == [c.header_fr for c in TABLES[table].columns]
    allowed = {row[0]: row[3] for row in book[template.ALLOWED_SHEET].iter_rows(min_row=3, values_only=True)}
    assert set(allowed) == {c.header_fr for c in TABLES[table].columns}
    for column in TABLES[table].columns:
        if column.taxonomy is not None:
            assert all(code in allowed[column.header_fr] for code in column.taxonomy.codes)


def test_a_filled_excel_template_imports_and_reads_back_equal(empty_store: Store):
    """A staff officer fills the Excel template by hand: real date cells, oui/non, lists with |."""
    book = openpyxl.load_workbook(io.BytesIO(template.template_xlsx("actions")))
    sheet = book["actions"]
    for row in make_corpus.ACTIONS:
        cells: list[object] = list(row)
        day, month, year = (int(p) for p in row[2].split("/"))
        cells[2] = dt.datetime(year, month, day)
        day, month, year = (int(p) for p in row[3].split("/"))
        cells[3] = dt.datetime(year, month, day)
        cells[13] = int(row[13])
        sheet.append([c if c != "" else None for c in cells])
    buffer = io.BytesIO()
    book.save(buffer)

    report = ingest.analyse("modele_actions.xlsx", buffer.getvalue())
    assert report.errors == [], report.errors
    assert report.lines == [3, 4, 5, 6, 7]  # marking on line 1, headers on line 2
    ingest.commit(report, empty_store, user="u")
    stored = empty_store.read("actions").sort_by("action_id")
    assert stored.equals(report.valid_rows().sort_by("action_id"))
    # written back as a user would fill the CSV template, it reads back equal again
    frame = template.to_frame("actions", stored)
    csv = template.template_csv("actions") + frame.to_csv(index=False, header=False, sep=";").encode("utf-8")
    again = ingest.analyse("modele_actions.csv", csv)
    assert again.errors == []
    assert again.valid_rows().equals(stored)
    assert ingest.preview(again, empty_store).unchanged == 5


def test_the_meetings_template_round_trips_lists_of_countries_and_topics(empty_store: Store):
    rows = ingest.analyse("r.csv", (make_corpus.HERE / "good_meetings.csv").read_bytes()).valid_rows()
    csv = template.template_csv("meetings") + template.to_frame("meetings", rows).to_csv(
        index=False, header=False, sep=";"
    ).encode("utf-8")
    report = ingest.analyse("modele_meetings.csv", csv)
    assert report.errors == []
    ingest.commit(report, empty_store, user="u")
    assert empty_store.read("meetings").sort_by("meeting_id").equals(rows.sort_by("meeting_id"))


def test_in_english_the_templates_explain_in_english_under_the_contracts_french_headers():
    from dashboard import i18n

    with i18n.using("en"):
        text = template.template_csv("actions").decode("utf-8-sig")
        book = openpyxl.load_workbook(io.BytesIO(template.template_xlsx("actions")))
        report = ingest.analyse("template.csv", template.template_csv("actions"))
    lines = text.split("\r\n")
    assert lines[1].startswith("# Import template: Partnership actions. One row per action under the header.")
    assert "# opex (required): oui | non (or yes/no, vrai/faux, true/false, 1/0)" in lines
    header = next(line for line in lines if not line.startswith("#"))
    assert header.split(";") == [c.header_fr for c in TABLES["actions"].columns]
    assert book.sheetnames == ["actions", "Allowed values"]
    assert [c.value for c in book["Allowed values"][2]] == ["Column", "Required", "Type", "Allowed values", "Meaning"]
    assert (report.table, report.lines, report.problems) == ("actions", [], [])
