"""CSV and Excel exports: marked with the classification and safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import numpy as np
import openpyxl
import pandas as pd

from dashboard import export

INJECTIONS = ['=HYPERLINK("http://x","clic")', "+1+1", "-2+3", "@SUM(A1:A2)", " =1+1", "\t=1", "＝1+1"]


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "title": [*INJECTIONS, "Formation CaMo"],
            "mode": pd.Categorical(["=cmd|' /C calc'!A0"] + ["conseil"] * len(INJECTIONS)),
            "superiority_factors": [np.array(["coopération", "masse"])] * (len(INJECTIONS) + 1),
            "french_personnel": [-5, *range(len(INJECTIONS))],
        }
    )


def test_the_csv_starts_with_the_marking_and_reads_back_with_the_values(monkeypatch):
    monkeypatch.setenv("PMO_MARKING", "DIFFUSION RESTREINTE")
    data = export.csv_bytes(_frame())
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == "# DIFFUSION RESTREINTE"
    back = pd.read_csv(io.BytesIO(data), sep=";", skiprows=1, encoding="utf-8-sig")
    assert list(back.columns) == ["title", "mode", "superiority_factors", "french_personnel"]
    assert back["superiority_factors"].iloc[0] == "coopération | masse"
    assert back["french_personnel"].iloc[0] == -5, "numbers are never touched"
    assert back["title"].iloc[-1] == "Formation CaMo"


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))[2:]


def test_no_csv_cell_starts_a_formula():
    rows = _csv_rows(export.csv_bytes(_frame()))
    assert [row[0] for row in rows] == ["'" + v for v in INJECTIONS] + ["Formation CaMo"]
    for row in rows:
        for cell in row:
            if not cell.startswith("'"):
                assert (cell.lstrip(" ")[:1] not in tuple("=+@＝\t") and not cell.startswith("-")) or cell == "-5", cell


def test_a_categorical_column_is_neutralised_too():
    text = export.csv_bytes(_frame()).decode("utf-8-sig")
    assert ";'=cmd|' /C calc'!A0;" in text


def test_a_marking_with_a_line_break_stays_on_the_first_line():
    text = export.csv_bytes(_frame(), marking="DIFFUSION\nRESTREINTE").decode("utf-8-sig")
    assert text.splitlines()[0] == "# DIFFUSION RESTREINTE"
    assert text.splitlines()[1].startswith("title;")


def test_the_workbook_carries_the_marking_on_each_sheet_and_no_formula(monkeypatch):
    monkeypatch.setenv("PMO_MARKING", "DIFFUSION RESTREINTE & SPÉCIAL FRANCE")
    data = export.xlsx_bytes({"Actions": _frame(), "Pays/par:année": _frame().head(2)})
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Actions", "Pays par année"]
    for sheet in book.worksheets:
        assert sheet["A1"].value == "DIFFUSION RESTREINTE & SPÉCIAL FRANCE"
        assert sheet.oddHeader.center.text == "DIFFUSION RESTREINTE && SPÉCIAL FRANCE"
        assert sheet.oddFooter.center.text == sheet.oddHeader.center.text
        assert [c.value for c in sheet[2]] == ["title", "mode", "superiority_factors", "french_personnel"]
        for row in sheet.iter_rows(min_row=3):
            for cell in row:
                assert cell.data_type != "f", f"{cell.coordinate} is a formula: {cell.value}"
    values = [c.value for c in book["Actions"]["A"][2:]]
    assert values[:4] == ["'" + v for v in INJECTIONS[:4]]
    assert book["Actions"]["D3"].value == -5


def test_the_workbook_has_fitting_columns_and_a_frozen_header():
    frame = pd.DataFrame({"Pays": ["Côte d'Ivoire", "Sénégal"], "Actions": [12, 3], "Note": ["x" * 200, ""]})
    sheet = openpyxl.load_workbook(io.BytesIO(export.xlsx_bytes({"Pays": frame})))["Pays"]
    assert sheet.freeze_panes == "A3"  # the marking and the headers stay in view
    widths = {c: sheet.column_dimensions[c].width for c in "ABC"}
    assert widths["A"] == len("Côte d'Ivoire") + 2 and widths["B"] == len("Actions") + 2 and widths["C"] == 60


def test_csv_dates_are_french():
    frame = pd.DataFrame({"Début": pd.to_datetime(["2026-11-21"]), "Fin": [dt.date(2026, 12, 1)], "n": [1]})
    rows = list(csv.reader(io.StringIO(export.csv_bytes(frame).decode("utf-8-sig")), delimiter=";"))
    assert rows[2] == ["21/11/2026", "01/12/2026", "1"]


def test_a_marking_that_looks_like_a_formula_is_not_one():
    book = openpyxl.load_workbook(io.BytesIO(export.xlsx_bytes({"a": _frame()}, marking="=1+1")))
    assert book["a"]["A1"].data_type != "f"


def test_exported_actions_go_back_through_the_import_unchanged():
    """A staff officer downloads a partner's actions, corrects them in a spreadsheet and imports the file."""
    import pyarrow.compute as pc

    from dashboard import ingest, query
    from dashboard.demo import demo_actions
    from dashboard.query import Filters
    from dashboard.schema import ACTION_STATES, ACTIONS

    stored = demo_actions()
    every_status = Filters(countries=("BEL",), statuses=ACTION_STATES.codes)
    rows = query.action_rows(query.prepare_actions(stored), every_status, with_description=True)
    frame = export.contract_frame(rows, ACTIONS)
    assert list(frame.columns) == [c.header_fr for c in ACTIONS.columns]
    assert set(frame["opex"]) <= {"oui", "non"}

    about = export.notes("données au 1 déc. 2026, version 3", "Pays partenaires : Belgique", dt.date(2026, 12, 2))
    data = export.csv_bytes(frame, about=about)
    # French dates and the lines saying what the file holds, which the import skips.
    assert data.decode("utf-8-sig").splitlines()[1:3] == [
        "# Données au 1 déc. 2026, version 3 ; exporté le 2 déc. 2026",
        "# Sélection : Pays partenaires : Belgique",
    ]
    rows = [row for row in csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";") if row[0][:1] != "#"]
    assert rows[0][2] == "date_début" and all(re.fullmatch(r"\d\d/\d\d/\d{4}", row[2]) for row in rows[1:])
    report = ingest.analyse("actions-BEL.csv", data)
    assert (report.table, report.errors) == ("actions", [])
    # The only remarks: planned actions past their end whose status the demo leaves to update.
    assert {(p.column, p.severity) for p in report.warnings} <= {("statut", "warning")}
    assert all("mettez à jour son statut" in p.message for p in report.warnings)
    back = sorted(report.valid_rows().to_pylist(), key=lambda r: r["action_id"])
    belgium = stored.filter(pc.equal(stored["country_iso3"], "BEL")).to_pylist()
    assert len(back) == len(belgium) > 0
    assert back == sorted(belgium, key=lambda r: r["action_id"])


def test_the_lines_saying_what_an_export_holds_follow_the_language():
    from dashboard import i18n

    with i18n.using("en"):
        about = export.notes("data as of 1 Dec 2026, version 3", "Partner countries: Belgium", dt.date(2026, 12, 2))
    assert about == [
        "Data as of 1 Dec 2026, version 3; exported on 2 Dec 2026",
        "Selection: Partner countries: Belgium",
    ]
