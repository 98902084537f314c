"""Cells as staff write them: every French date form, digit grouping, booleans, country names and aliases.

Each case goes through the whole import (`ingest.analyse`) on the corpus's
five actions with one cell changed, and says what is stored and which
warning tells the interpretation.
"""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard import ingest
from dashboard.ingest import cells
from dashboard.reference import COUNTRY_ALIASES, country_name, resolve_country
from tests.files import make_corpus


def _analyse(line: int, column: str, value: str) -> ingest.Report:
    return ingest.analyse("extraction.csv", _csv(make_corpus.changed(line, column, value)))


def _csv(rows: list[list[str]], headers: list[str] = make_corpus.FR) -> bytes:
    return make_corpus.csv_text(*make_corpus.with_status(headers, rows)).encode("utf-8")


def _stored(report: ingest.Report, line: int, name: str) -> object:
    assert report.errors == [], report.errors
    return report.valid_rows().column(name)[line - 2].as_py()


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("06/01/2025", dt.date(2025, 1, 6)),
        ("6/1/2025", dt.date(2025, 1, 6)),
        ("06-01-2025", dt.date(2025, 1, 6)),
        ("06.01.2025", dt.date(2025, 1, 6)),
        ("2025-01-06", dt.date(2025, 1, 6)),
        ("2025-01-06 00:00:00", dt.date(2025, 1, 6)),
        ("06/01/2025 14:30", dt.date(2025, 1, 6)),
        ("6 janvier 2025", dt.date(2025, 1, 6)),
        ("6 janv. 2025", dt.date(2025, 1, 6)),
        ("06-janv.-2025", dt.date(2025, 1, 6)),
        ("1er février 2025", dt.date(2025, 2, 1)),
        ("3 févr. 2025", dt.date(2025, 2, 3)),
        ("14 juillet 2024", dt.date(2024, 7, 14)),
        ("15 août 2024", dt.date(2024, 8, 15)),
        ("15 AOUT 2024", dt.date(2024, 8, 15)),
        ("2 déc. 2024", dt.date(2024, 12, 2)),
        ("30 sept. 2024", dt.date(2024, 9, 30)),
    ],
)
def test_every_common_french_date_form_is_read_without_warning(written, stored):
    report = _analyse(2, "date_fin", written)
    assert _stored(report, 2, "end_date") == stored
    assert report.warnings == []


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("06/01/25", dt.date(2025, 1, 6)),
        ("6.1.25", dt.date(2025, 1, 6)),
        ("31/12/68", dt.date(2068, 12, 31)),
        ("01/01/69", dt.date(1969, 1, 1)),
        ("6 janv. 25", dt.date(2025, 1, 6)),
    ],
)
def test_a_two_digit_year_is_read_through_the_documented_pivot_with_a_warning(written, stored):
    rows = make_corpus.changed(6, "date_fin", "01/01/2070", make_corpus.changed(6, "date_début", written))
    report = ingest.analyse("a.csv", _csv(rows))
    assert _stored(report, 6, "start_date") == stored
    [warning] = report.warnings
    assert (warning.row, warning.column, warning.value) == (6, "date_début", written)
    assert warning.message == "année sur deux chiffres : 00 à 68 lues 2000 à 2068, 69 à 99 lues 1969 à 1999"
    assert cells.TWO_DIGIT_YEAR_PIVOT == 68


def test_a_column_of_two_digit_years_gives_one_warning_that_counts_them():
    rows = [[*r[:2], r[2][:6] + r[2][8:], r[3][:6] + r[3][8:], *r[4:]] for r in make_corpus.ACTIONS]
    report = ingest.analyse("a.csv", _csv(rows))
    assert report.errors == []
    assert [(w.row, w.column, w.value, w.message.split(" ; ")[-1]) for w in report.warnings] == [
        (2, "date_début", "12/03/24", "5 cellules, la première ici"),
        (2, "date_fin", "22/03/24", "5 cellules, la première ici"),
    ]
    assert report.valid_rows().column("start_date").to_pylist()[0] == dt.date(2024, 3, 12)


def test_a_spreadsheet_serial_number_is_a_date_with_a_warning():
    report = _analyse(2, "date_fin", "45376")
    assert _stored(report, 2, "end_date") == dt.date(2024, 3, 25)
    [warning] = report.warnings
    assert warning.message == "numéro de série de tableur lu comme une date (jours depuis le 30/12/1899)"


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("2024", "date illisible ; formats admis jj/mm/aaaa, jj/mm/aa"),
        ("06/13/2025", "cette date n'existe pas ; vérifiez le jour et le mois"),
        ("31 févr. 2024", "cette date n'existe pas"),
        ("6 brumaire 2025", "date illisible"),
        ("06/01-2025", "date illisible"),
    ],
)
def test_a_date_that_is_not_one_is_an_error_naming_the_line_and_the_forms(written, message):
    report = _analyse(3, "date_fin", written)
    [error] = report.errors
    assert (error.row, error.column, error.value) == (3, "date_fin", written)
    assert error.message.startswith(message)
    assert report.rejected_lines == [3]


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("1 234", 1234),
        ("1\u00a0234", 1234),
        ("1\u202f234", 1234),
        ("12 000", 12000),
        ("150,0", 150),
        (" 42 ", 42),
    ],
)
def test_counts_with_french_digit_grouping(written, stored):
    report = _analyse(4, "stagiaires_partenaires", written)
    assert _stored(report, 4, "partner_trainees") == stored
    assert report.warnings == []


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("oui", True),
        ("OUI", True),
        ("Vrai", True),
        ("VRAI", True),
        ("true", True),
        ("TRUE", True),
        ("Yes", True),
        ("1", True),
        ("non", False),
        ("Non", False),
        ("FAUX", False),
        ("false", False),
        ("No", False),
        ("0", False),
    ],
)
def test_booleans_in_french_or_english_in_any_case(written, stored):
    report = _analyse(2, "opex", written)
    assert _stored(report, 2, "opex") is stored


@pytest.mark.parametrize(
    ("written", "iso3"),
    [
        ("Côte d'Ivoire", "CIV"),
        ("Côte d’Ivoire", "CIV"),
        ("COTE D'IVOIRE", "CIV"),
        ("cote d ivoire", "CIV"),
        ("Sénégal", "SEN"),
        ("Senegal", "SEN"),
        ("Émirats arabes unis", "ARE"),
        ("Emirats Arabes Unis", "ARE"),
        ("United Arab Emirates", "ARE"),
        ("SN", "SEN"),
        ("sen", "SEN"),
        ("RU", "RUS"),  # the ISO code of Russia, never Royaume-Uni
    ],
)
def test_country_names_with_or_without_accents_and_typographic_apostrophes_need_no_warning(written, iso3):
    report = _analyse(2, "pays", written)
    assert _stored(report, 2, "country_iso3") == iso3
    assert report.warnings == []


@pytest.mark.parametrize(
    ("written", "iso3", "alias"),
    [
        ("RCI", "CIV", "RCI"),
        ("R.C.I.", "CIV", "RCI"),
        ("RCA", "CAF", "RCA"),
        ("rdc", "COD", "RDC"),
        ("EAU", "ARE", "EAU"),
        ("Centrafrique", "CAF", "Centrafrique"),
        ("Birmanie", "MMR", "Birmanie"),
        ("Grande Bretagne", "GBR", "Grande-Bretagne"),
    ],
)
def test_a_defence_abbreviation_or_usual_name_is_read_through_the_alias_table_with_a_warning(written, iso3, alias):
    report = _analyse(5, "pays", written)
    assert _stored(report, 5, "country_iso3") == iso3
    [warning] = report.warnings
    assert (warning.row, warning.column, warning.value) == (5, "pays", written)
    assert warning.message == (
        f"« {alias} » lu comme {country_name(iso3)} ({iso3}), d'après la table des sigles et noms usuels"
    )


def test_every_entry_of_the_alias_table_resolves_to_its_country_as_an_alias():
    for alias, iso3 in COUNTRY_ALIASES.items():
        assert resolve_country(alias) == (iso3, alias), alias
    assert {"RCI": "CIV", "RCA": "CAF", "RDC": "COD", "EAU": "ARE"}.items() <= COUNTRY_ALIASES.items()


def test_aliases_in_a_list_of_partner_countries_are_read_and_told():
    rows = [list(r) for r in make_corpus.MEETINGS]
    rows[1][make_corpus.MEETINGS_FR.index("pays_partenaires")] = "RCI | Sénégal | RCA"
    report = ingest.analyse("r.csv", _csv(rows, make_corpus.MEETINGS_FR))
    assert report.errors == []
    assert report.valid_rows().column("partner_countries")[1].as_py() == ["CIV", "SEN", "CAF"]
    [warning] = report.warnings
    assert warning.row == 3 and warning.column == "pays_partenaires"
    assert "« RCI » lu comme Côte d'Ivoire (CIV)" in warning.message
    assert "« RCA » lu comme République centrafricaine (CAF)" in warning.message


def test_an_unknown_country_stays_an_error_that_mentions_the_abbreviations():
    [error] = _analyse(4, "pays", "RCX").errors
    assert str(error) == (
        "ligne 4, colonne pays : « RCX » : n'est pas un pays connu (nom français ou anglais, code ISO2 ou ISO3, "
        "sigle usuel comme RCI ou EAU)"
    )
