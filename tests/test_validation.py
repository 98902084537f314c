"""Checks of typed tables against the contract: every problem, in French."""

import datetime as dt

import pyarrow as pa
import pytest

from dashboard.demo import demo_actions
from dashboard.schema import ACTIONS
from dashboard.validation import ContractError, Problem, check_table, conform


def _rows(n: int = 3) -> list[dict]:
    return demo_actions().slice(0, n).to_pylist()


def _table(rows: list[dict]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=ACTIONS.arrow_schema().remove_metadata())


def test_a_conforming_table_has_no_problem():
    assert check_table(_table(_rows()), ACTIONS) == []


def test_every_problem_is_reported_at_once_with_row_column_and_value():
    rows = _rows(4)
    rows[0]["country_iso3"] = "ABS"
    rows[1]["mode"] = "parachutage"
    rows[2]["end_date"] = rows[2]["start_date"] - dt.timedelta(days=3)
    rows[3]["superiority_factors"] = ["masse", "bravoure"]
    rows[3]["french_personnel"] = -4
    problems = check_table(_table(rows), ACTIONS, first_row=2)
    text = [str(p) for p in problems]
    assert any(t.startswith("ligne 2, colonne pays : « ABS »") for t in text)
    assert any(t.startswith("ligne 3, colonne mode_action : « parachutage » : valeurs admises") for t in text)
    assert any("ligne 5, colonne facteurs_supériorité : « bravoure »" in t for t in text)
    assert any("ligne 5, colonne effectif_français : « -4 »" in t for t in text)
    # The date check runs once the cells themselves are valid.
    rows = _rows(3)
    rows[2]["end_date"] = rows[2]["start_date"] - dt.timedelta(days=3)
    [problem] = check_table(_table(rows), ACTIONS, first_row=2)
    assert problem.row == 4 and problem.column == "date_fin" and "précède la date de début" in problem.message


def test_missing_required_values_and_duplicate_keys():
    rows = _rows(3)
    rows[0]["title"] = "  "
    rows[1]["superiority_factors"] = []
    rows[2]["action_id"] = rows[0]["action_id"]
    problems = check_table(_table(rows), ACTIONS)
    assert Problem(1, "intitulé", None, "valeur obligatoire manquante") in problems
    assert Problem(2, "facteurs_supériorité", None, "valeur obligatoire manquante") in problems
    duplicate = next(p for p in problems if p.column == "identifiant")
    assert duplicate.row == 3 and "déjà présent ligne 1" in duplicate.message


def test_a_missing_column_is_named():
    table = _table(_rows()).drop_columns(["mode"])
    [problem] = check_table(table, ACTIONS)
    assert problem.column == "mode_action" and "absente" in problem.message


def test_conform_raises_one_error_carrying_all_problems():
    rows = _rows(2)
    rows[0]["mode"] = "x"
    rows[1]["mode"] = "y"
    with pytest.raises(ContractError) as caught:
        conform(_table(rows), ACTIONS)
    assert len(caught.value.problems) == 2
    assert "2 problème(s)" in str(caught.value)
