"""Hostile and malformed files, built here, are refused in French while reading; the command line
never prints a control character raw.

Time and memory of the refusals are measured by the benchmark (`bench/hostile.py`), not here.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from bench import hostile
from dashboard import ingest
from dashboard.store import Store
from tests.files import make_corpus

ROOT = Path(__file__).resolve().parent.parent


def _refusal(name: str, data: bytes) -> str:
    report = ingest.analyse(name, data)
    assert report.table is None and report.valid_rows().num_rows == 0
    [error] = report.errors
    assert error.message.startswith("fichier refusé : ")
    return error.message.removeprefix("fichier refusé : ")


def test_an_archive_bomb_is_refused_from_the_archive_directory_before_any_parsing():
    data = hostile.bomb_xlsx(unpacked_mb=318)
    assert len(data) < 1_500_000
    assert _refusal("bombe.xlsx", data) == (
        "la partie « xl/worksheets/sheet1.xml » se décompresse en 318 Mo pour 1\u202f106 Ko (taux 294 : 1, "
        "au plus 100 : 1) : classeur piégé ou corrompu, refusé sans être lu"
    )


def test_a_giant_shared_string_is_refused_by_its_compression_ratio():
    message = _refusal("cellule.xlsx", hostile.giant_cell_xlsx(cell_mb=300))
    assert message.startswith("la partie « xl/sharedStrings.xml » se décompresse en 300 Mo pour ")
    assert message.endswith("classeur piégé ou corrompu, refusé sans être lu")


def _random_text(chars: int) -> bytes:
    # Letters drawn from random bytes compress about 1.3 : 1, like real text: the ratio check lets them through.
    return bytes(65 + b % 26 for b in os.urandom(chars))


def _with_shared_text(text: bytes) -> bytes:
    source = hostile.giant_cell_xlsx(cell_mb=1)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as archive, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for name in archive.namelist():
            data = archive.read(name)
            if name == "xl/sharedStrings.xml":
                data = data.split(b"<t>")[0] + b"<t>" + text + b"</t></si></sst>"
            copy.writestr(name, data)
    return out.getvalue()


def test_a_long_incompressible_shared_string_is_refused_while_parsing_at_the_cell_limit():
    assert _refusal("x.xlsx", _with_shared_text(_random_text(3 * 1024 * 1024))) == (
        "le texte n° 1 du classeur dépasse 10\u202f000 caractères, la longueur maximale d'une cellule : "
        "raccourcissez-le ou retirez-le"
    )


def test_the_cell_limit_is_a_setting(monkeypatch):
    text = _random_text(12_000)
    assert "dépasse 10\u202f000 caractères" in _refusal("x.xlsx", _with_shared_text(text))
    monkeypatch.setenv("PMO_MAX_CELL_CHARS", "20000")
    report = ingest.analyse("x.xlsx", _with_shared_text(text))
    assert report.table == "actions" and report.errors == []
    assert report.valid_rows().column("title")[0].as_py() == text.decode()


def test_a_long_inline_cell_is_refused_with_its_row_and_column():
    book = hostile._workbook()
    sheet = "xl/worksheets/sheet1.xml"
    book[sheet] = book[sheet].replace(b"PLACEHOLDER", _random_text(50_000))
    assert _refusal("x.xlsx", hostile._rezip(book)) == (
        "ligne 2, colonne B : la cellule dépasse 10\u202f000 caractères, la longueur maximale : raccourcissez-la"
    )


def test_a_long_csv_cell_is_refused_with_its_line(monkeypatch):
    rows = make_corpus.changed(4, "description", "x" * 10_001)
    data = make_corpus.csv_text(make_corpus.FR, rows).encode()
    assert _refusal("x.csv", data) == (
        "ligne 4 : une cellule dépasse 10\u202f000 caractères, la longueur maximale : raccourcissez-la "
        "(ou vérifiez qu'un guillemet n'est pas resté ouvert)"
    )
    rows = make_corpus.changed(4, "description", "x" * 10_000)
    assert ingest.analyse("x.csv", make_corpus.csv_text(make_corpus.FR, rows).encode()).ok


def test_a_giant_one_line_csv_cell_is_refused_before_decoding():
    assert _refusal("cellule.csv", hostile.giant_cell_csv(cell_mb=5)) == (
        "ligne 2 : plus de 4 Mo sur une seule ligne ; une cellule dépasse sans doute 10\u202f000 caractères, "
        "la longueur maximale : raccourcissez-la (ou vérifiez qu'un guillemet n'est pas resté ouvert)"
    )


def test_an_unclosed_quote_swallowing_the_file_is_refused_at_its_line():
    lines = make_corpus.csv_text(make_corpus.FR, make_corpus.ACTIONS).splitlines()
    lines[2] = lines[2].replace("Conseil", '"Conseil', 1)
    data = ("\r\n".join(lines) + "\r\n" + ("ligne de remplissage;" * 20 + "\r\n") * 1000).encode()
    assert _refusal("x.csv", data).startswith("ligne 3 : une cellule dépasse 10\u202f000 caractères")


def test_too_many_columns_holding_values_are_refused_while_reading(monkeypatch):
    monkeypatch.setenv("PMO_MAX_UPLOAD_COLUMNS", "20")
    rows = [[*row, "", "", "", "valeur perdue"] for row in make_corpus.ACTIONS]
    data = make_corpus.csv_text([*make_corpus.FR, "", "", "", ""], rows).encode()
    assert _refusal("x.csv", data) == (
        "ligne 2 : 21 colonnes ; au plus 20 colonnes sont lues : supprimez les colonnes en trop"
    )
    # Empty cells after the last value are not columns.
    padded = make_corpus.csv_text([*make_corpus.FR, *[""] * 30], [[*r, *[""] * 30] for r in make_corpus.ACTIONS])
    assert ingest.analyse("x.csv", padded.encode()).ok


def test_a_sheet_value_beyond_the_last_column_allowed_is_refused(monkeypatch):
    monkeypatch.setenv("PMO_MAX_UPLOAD_COLUMNS", "12")
    book = hostile._workbook()
    sheet = "xl/worksheets/sheet1.xml"
    book[sheet] = book[sheet].replace(b"</row>", b'<c r="M1" t="inlineStr"><is><t>en trop</t></is></c></row>', 1)
    assert _refusal("x.xlsx", hostile._rezip(book)) == (
        "ligne 1 : une valeur en colonne M ; au plus 12 colonnes sont lues : supprimez les colonnes en trop"
    )


def test_rows_beyond_the_limit_stop_the_reading(monkeypatch):
    monkeypatch.setenv("PMO_MAX_UPLOAD_ROWS", "100")
    refusal = (
        "le fichier compte plus de 100 lignes ; au plus 100 sont acceptées par import : "
        "découpez-le en plusieurs fichiers"
    )
    book = openpyxl.Workbook()
    book.active.append(make_corpus.FR)
    for row in make_corpus.ACTIONS * 40:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    assert _refusal("x.xlsx", buffer.getvalue()) == refusal
    assert _refusal("x.csv", make_corpus.csv_text(make_corpus.FR, make_corpus.ACTIONS * 100).encode()) == refusal
    # Under the reading bound, the exact count.
    exact = make_corpus.csv_text(make_corpus.FR, make_corpus.ACTIONS * 21).encode()
    assert _refusal("x.csv", exact).startswith("le fichier compte 105 lignes ; au plus 100 sont acceptées")


def test_malformed_xml_is_refused_in_french_naming_the_part():
    assert _refusal("x.xlsx", hostile.malformed_xlsx()) == (
        "classeur Excel mal formé : XML invalide dans « xl/worksheets/sheet1.xml » (ligne 1, colonne 1035, "
        "mismatched tag) ; ouvrez-le dans votre tableur et enregistrez-le à nouveau en .xlsx"
    )


def test_a_document_type_declaration_and_its_entities_are_refused():
    book = hostile._workbook()
    sheet = "xl/worksheets/sheet1.xml"
    laughs = b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    book[sheet] = laughs + book[sheet].replace(b"PLACEHOLDER", b"&b;")
    assert _refusal("x.xlsx", hostile._rezip(book)) == (
        "la partie « xl/worksheets/sheet1.xml » déclare un DTD, ce qu'aucun classeur ne fait : refusé"
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04" + b"\x00" * 200, "classeur Excel illisible ou tronqué (BadZipFile)"),
        (hostile.malformed_xlsx()[:3000], "classeur Excel illisible ou tronqué (BadZipFile)"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 100,
            "le classeur est protégé par un mot de passe : enregistrez-le sans mot de passe",
        ),
    ],
    # Named, not shown: a workbook's bytes hold the time it was made, and every worker must collect the same tests.
    ids=["zip-header-alone", "truncated-workbook", "password-protected"],
)
def test_broken_or_protected_workbooks_are_refused_politely(data, message):
    assert _refusal("x.xlsx", data).startswith(message)


def test_a_workbook_without_its_workbook_part_is_refused():
    book = hostile._workbook()
    del book["xl/workbook.xml"]
    assert _refusal("x.xlsx", hostile._rezip(book)) == (
        "ce fichier .xlsx ne contient pas de classeur : enregistrez-le à nouveau depuis votre tableur"
    )


def test_the_command_line_prints_control_characters_escaped(tmp_path):
    path = tmp_path / "escapes.csv"
    path.write_bytes(hostile.escapes_csv())
    done = subprocess.run(
        [sys.executable, "-m", "dashboard.ingest", str(path), "--store", str(tmp_path / "store")],
        cwd=ROOT,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "PMO_DEMO": "0", "HOME": str(tmp_path)},
        timeout=120,
    )
    assert done.returncode == 1
    out = done.stdout.decode("utf-8")
    assert "\x1b" not in out and "\x07" not in out
    assert (
        "ERREUR : ligne 2, colonne pays : « Pays\\x1b[2J\\x1b[H\\x1b]0;pwned\\x07inconnu » : n'est pas un pays connu"
        in out
    )
    assert not (tmp_path / "store" / "actions").exists() or Store(tmp_path / "store").read("actions").num_rows == 0
