"""The table of column kinds: each kind parses an uploaded cell, checks a value, formats it and describes it."""

import datetime as dt
from typing import get_args

import pandas as pd
import pyarrow as pa
import pytest

from dashboard.kinds import BOOLEAN_EXPECTED, DATE_EXPECTED, KINDS, NEGATIVE, SERIAL_DATES, UNKNOWN_COUNTRY
from dashboard.schema import MODES, SUPERIORITY_FACTORS, TABLES, ColumnKind


def _check(kind: str, values: list, type_: pa.DataType, taxonomy=None) -> list[tuple[int, object, str]]:
    return KINDS[kind].check(pa.chunked_array([pa.array(values, type_)]), taxonomy)


def _empty(kind: str, values: list, type_: pa.DataType) -> list[bool]:
    return KINDS[kind].empty(pa.chunked_array([pa.array(values, type_)])).to_pylist()


def test_every_kind_of_the_contract_is_declared_once_and_every_column_has_one():
    assert set(KINDS) == set(get_args(ColumnKind))
    assert all(name == kind.name for name, kind in KINDS.items())
    for spec in TABLES.values():
        for column in spec.columns:
            assert column.behaviour is KINDS[column.kind]
            assert column.arrow_type == KINDS[column.kind].arrow_type
            assert column.type_label == KINDS[column.kind].label
            assert column.allowed()  # the templates describe every column


def test_string_is_trimmed_read_back_from_our_quoted_exports_and_blank_counts_as_empty():
    kind = KINDS["string"]
    assert kind.parse()("  Mission Lamantin ") == ("Mission Lamantin", None, None)
    assert kind.parse()("'=SOMME(A1)") == ("=SOMME(A1)", None, None)
    assert kind.parse_text is not None
    assert kind.parse_text(pa.array(["  a ", "'+33", "   ", None])).to_pylist() == ["a", "+33", None, None]
    assert _empty("string", ["a", "  ", None], pa.string()) == [False, True, True]
    assert _check("string", ["anything", "-1"], pa.string()) == []
    assert kind.words("Mission") == "Mission" and kind.cell("Mission") == "Mission"
    assert kind.describe() == "texte libre" and kind.label == "texte"


def test_date_parses_french_and_iso_writings_with_their_notes_and_formats_as_jj_mm_aaaa():
    parse = KINDS["date"].parse()
    assert parse("06/01/2025") == (dt.date(2025, 1, 6), None, None)
    assert parse("2025-01-06") == (dt.date(2025, 1, 6), None, None)
    assert parse("6 janv. 2025") == (dt.date(2025, 1, 6), None, None)
    value, error, note = parse("6/1/25")
    assert (value, error) == (dt.date(2025, 1, 6), None) and note is not None and "deux chiffres" in note
    assert parse("45663") == (dt.date(2025, 1, 6), None, SERIAL_DATES)
    assert parse("bientôt") == (None, DATE_EXPECTED, None)
    assert parse("31/02/2025")[1] == "cette date n'existe pas ; vérifiez le jour et le mois (jj/mm/aaaa)"
    kind = KINDS["date"]
    assert kind.words(dt.date(2025, 1, 6)) == "06/01/2025" and kind.cell(dt.date(2025, 1, 6)) == "06/01/2025"
    assert kind.export(pd.Series(["2025-01-06"])).tolist() == [dt.date(2025, 1, 6)]
    assert "jj/mm/aaaa" in kind.describe()


def test_integer_reads_french_grouping_refuses_decimals_and_negatives_and_is_written_1_234():
    parse = KINDS["integer"].parse()
    assert parse("1 234") == (1234, None, None)
    assert parse("12\u202f000") == (12000, None, None)
    assert parse("1,5") == (None, "un nombre entier est attendu, sans décimale", None)
    assert parse("beaucoup") == (None, NEGATIVE, None)
    assert _check("integer", [3, -2, None], pa.int64()) == [(1, -2, NEGATIVE)]
    assert KINDS["integer"].words(1234).replace("\u202f", " ") == "1 234"
    assert KINDS["integer"].cell(1234) == 1234
    assert KINDS["integer"].describe() == "nombre entier positif ou nul"


def test_boolean_reads_oui_non_vrai_faux_and_is_written_oui_non():
    parse = KINDS["boolean"].parse()
    assert [parse(v)[0] for v in ("oui", "Vrai", "true", "1", "non", "FAUX", "0")] == [True] * 4 + [False] * 3
    assert parse("peut-être") == (None, BOOLEAN_EXPECTED, None)
    kind = KINDS["boolean"]
    assert (kind.words(True), kind.cell(False)) == ("oui", "non")
    assert kind.export(pd.Series([True, False])).tolist() == ["oui", "non"]
    assert kind.describe().startswith("oui | non")


def test_category_reads_the_code_or_its_english_label_and_refuses_values_outside_the_taxonomy():
    parse = KINDS["category"].parse(MODES)
    assert parse("Formation") == ("formation", None, None)
    assert parse("training") == ("formation", None, None)
    assert parse("patrouille") == ("patrouille", None, None)  # kept as written: the check names the allowed values
    refused = _check("category", ["formation", "patrouille"], pa.string(), MODES)
    assert refused == [(1, "patrouille", "valeurs admises : " + ", ".join(MODES.codes))]
    assert _empty("category", [" ", "conseil"], pa.string()) == [True, False]
    assert KINDS["category"].describe(MODES) == " | ".join(MODES.codes)


def test_categories_split_on_bar_or_semicolon_and_each_value_is_checked_on_its_row():
    parse = KINDS["categories"].parse(SUPERIORITY_FACTORS)
    assert parse("Compréhension | coopération;agilité") == (["compréhension", "coopération", "agilité"], None, None)
    assert parse("") == (None, None, None)
    values = [["coopération"], ["agilité", "vitesse"]]
    refused = _check("categories", values, pa.list_(pa.string()), SUPERIORITY_FACTORS)
    assert [(row, value) for row, value, _ in refused] == [(1, "vitesse")]
    assert _empty("categories", [[], ["agilité"], None], pa.list_(pa.string())) == [True, False, True]
    kind = KINDS["categories"]
    assert kind.words(["a", "b"]) == "a | b" and kind.cell(["a", "b"]) == "a | b"
    assert kind.export(pd.Series([["a", "b"], None])).tolist() == [["a", "b"], []]
    assert kind.describe(SUPERIORITY_FACTORS).startswith("une ou plusieurs valeurs parmi : compréhension")


def test_country_reads_names_codes_and_aliases_with_a_note_and_is_shown_by_its_name():
    parse = KINDS["country"].parse()
    value, error, note = parse("RCI")
    assert (value, error) == ("CIV", None) and note is not None and "RCI" in note
    assert parse("CIV") == ("CIV", None, None)
    assert parse("Atlantide") == ("Atlantide", None, None)  # the check refuses it, with the value as written
    assert _check("country", ["CIV", "Atlantide", None], pa.string()) == [(1, "Atlantide", UNKNOWN_COUNTRY)]
    assert KINDS["country"].words("CIV") == "Côte d'Ivoire"
    assert KINDS["country"].cell("CIV") == "CIV"
    assert "ISO2 ou ISO3" in KINDS["country"].describe()


def test_countries_read_each_partner_and_are_shown_by_name_and_written_by_code():
    parse = KINDS["countries"].parse()
    value, error, note = parse("France; RCI")
    assert (value, error) == (["FRA", "CIV"], None) and note is not None and "RCI" in note
    refused = _check("countries", [["FRA"], ["CIV", "XXX"]], pa.list_(pa.string()))
    assert refused == [(1, "XXX", UNKNOWN_COUNTRY)]
    kind = KINDS["countries"]
    assert kind.words(["FRA", "CIV"]) == "France | Côte d'Ivoire"
    assert kind.cell(["FRA", "CIV"]) == "FRA | CIV"
    assert "séparés par |" in kind.describe()


def test_strings_split_into_free_texts_that_no_list_constrains():
    parse = KINDS["strings"].parse()
    assert parse("logistique | santé\nrenseignement") == (["logistique", "santé", "renseignement"], None, None)
    assert _check("strings", [["n'importe quoi"]], pa.list_(pa.string())) == []
    assert _empty("strings", [[], ["a"]], pa.list_(pa.string())) == [True, False]
    assert KINDS["strings"].words(["a", "b"]) == "a | b"
    assert KINDS["strings"].describe() == "un ou plusieurs textes (séparés par |)"


@pytest.mark.parametrize("name", sorted(KINDS))
def test_an_empty_cell_parses_to_nothing_without_error(name):
    taxonomy = MODES if name == "category" else SUPERIORITY_FACTORS if name == "categories" else None
    assert KINDS[name].parse(taxonomy)(None) == (None, None, None)
