"""Files written by a real office suite: LibreOffice (Debian's, `scripts/test.sh` installs it) opens
UTF-8 extracts under a French locale and saves them as Windows-1252 `;` CSV and as .xlsx, the way
a staff officer's spreadsheet does; the import reads them with no clean-up.

What LibreOffice does under the French locale, and what the import must cope with: dates typed
jj/mm/aaaa become date cells and are written back to CSV in the locale's short format (06/01/25),
those typed aaaa-mm-jj stay ISO;
oui/non stay text while VRAI/FAUX become boolean cells; counts become number cells; the text is
re-encoded in Windows-1252 (typographic apostrophes included).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from dashboard import ingest
from tests.files import make_corpus

SOFFICE = "/usr/bin/soffice"
# CSV import options: `;` separated, `"` quoted, UTF-8 (76), from line 1, language fr-FR (1036).
CSV_IN = "CSV:59,34,76,1,,1036"
# CSV export: `;` separated, `"` quoted, Windows-1252 (1).
CSV_OUT = "csv:Text - txt - csv (StarCalc):59,34,1"

HEADERS, ROWS = make_corpus.with_status(make_corpus.FR, make_corpus.ACTIONS)


def _source() -> str:
    """The extract as a source system writes it: a title line, the five actions, French habits."""
    rows = [list(r) for r in ROWS]
    col = HEADERS.index
    rows[0][col("pays")] = "Côte d’Ivoire"  # typographic apostrophe, Windows-1252 has it
    rows[1][col("pays")] = "EAU"  # a defence abbreviation
    rows[2][col("opex")] = "FAUX"  # LibreOffice makes a boolean cell of it
    rows[3][col("opex")] = "VRAI"
    rows[3][col("stagiaires_partenaires")] = "1 300"  # French digit grouping, stays text
    rows[4][col("date_début")] = "2024-09-09"  # ISO, a date cell too
    return "Extraction SIPMO — actions de PMO\n" + make_corpus.csv_text(HEADERS, rows, ";")


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> dict[str, Path]:
    assert Path(SOFFICE).exists(), "LibreOffice is missing: scripts/test.sh installs it (libreoffice-calc-nogui)"
    folder = tmp_path_factory.mktemp("office")
    source = folder / "extraction.csv"
    source.write_text(_source(), encoding="utf-8")
    # A profile of its own, so that another LibreOffice running on the machine does not take the job.
    profile = (folder / "profile").as_uri()
    env = {**os.environ, "LC_ALL": "fr_FR.UTF-8", "LANG": "fr_FR.UTF-8", "HOME": str(folder)}
    out = {}
    for target, name in ((CSV_OUT, "csv"), ("xlsx", "xlsx")):
        done = subprocess.run(
            [
                *(SOFFICE, f"-env:UserInstallation={profile}", "--headless", f"--infilter={CSV_IN}"),
                *("--convert-to", target, "--outdir", str(folder / name), str(source)),
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
        result = folder / name / f"extraction.{name}"
        assert result.exists(), done.stdout + done.stderr
        out[name] = result
    shutil.rmtree(folder / "profile", ignore_errors=True)
    return out


EXPECTED = {
    "action_id": ["IMP-0001", "IMP-0002", "IMP-0003", "IMP-0004", "IMP-0005"],
    "start_date": [
        dt.date(2024, 3, 12),
        dt.date(2024, 4, 1),
        dt.date(2024, 5, 15),
        dt.date(2024, 2, 1),
        dt.date(2024, 9, 9),
    ],
    "end_date": [
        dt.date(2024, 3, 22),
        dt.date(2024, 6, 30),
        dt.date(2024, 5, 24),
        dt.date(2024, 7, 31),
        dt.date(2024, 9, 13),
    ],
    "country_iso3": ["CIV", "ARE", "GBR", "IRQ", "KOR"],
    "opex": [False, False, False, True, False],
    "french_personnel": [12, 4, 150, 40, 3],
    "partner_trainees": [60, 15, 0, 1300, 8],
    "superiority_factors": [
        ["coopération", "influence"],
        ["compréhension"],
        ["coopération", "agilité"],
        ["masse", "force morale"],
        ["compréhension"],
    ],
    "status": ["réalisée"] * 5,
}


TWO_DIGITS = "année sur deux chiffres : 00 à 68 lues 2000 à 2068, 69 à 99 lues 1969 à 1999"


def _check_rows(report: ingest.Report) -> None:
    assert report.table == "actions"
    assert report.errors == [], report.errors
    assert report.lines == [3, 4, 5, 6, 7]
    rows = report.valid_rows()
    for name, values in EXPECTED.items():
        assert rows.column(name).to_pylist() == values, name
    assert rows.column("title").to_pylist()[4] == "Échanges universitaires"


def test_the_office_suite_csv_is_windows_1252_with_two_digit_years(converted):
    text = converted["csv"].read_bytes().decode("cp1252")
    lines = text.splitlines()
    assert lines[0] == "Extraction SIPMO — actions de PMO" + ";" * 17  # padded to the width of the sheet
    assert lines[2].startswith("IMP-0001;Formation au tir de précision;12/03/24;22/03/24;Côte d’Ivoire;")
    assert ";FAUX;" in lines[4] and ";VRAI;" in lines[5]
    # A date typed in ISO keeps its form; the others take the locale's short format.
    assert lines[6].startswith("IMP-0005;Échanges universitaires;2024-09-09;13/09/24;")


def test_the_office_suite_csv_imports_with_its_interpretations_told(converted):
    report = ingest.analyse("extraction.csv", converted["csv"].read_bytes())
    assert (report.encoding, report.separator) == ("cp1252", ";")
    _check_rows(report)
    assert [(w.row, w.column, w.value, w.message) for w in report.warnings] == [
        (
            1,
            None,
            None,
            "1 ligne(s) au-dessus de l'en-tête (titre, métadonnées) ignorée(s) ; les données sont lues sous "
            "l'en-tête de la ligne 2",
        ),
        (
            3,
            "date_début",
            "12/03/24",
            f"{TWO_DIGITS} ; 4 cellules, la première ici",
        ),
        (
            3,
            "date_fin",
            "22/03/24",
            f"{TWO_DIGITS} ; 5 cellules, la première ici",
        ),
        (
            4,
            "pays",
            "EAU",
            "« EAU » lu comme Émirats arabes unis (ARE), d'après la table des sigles et noms usuels",
        ),
    ]


def test_the_office_suite_workbook_imports_with_date_and_boolean_cells(converted):
    report = ingest.analyse("extraction.xlsx", converted["xlsx"].read_bytes())
    assert report.sheet == "extraction"
    _check_rows(report)
    assert [(w.row, w.column, w.value) for w in report.warnings] == [(1, None, None), (4, "pays", "EAU")]


def test_both_office_files_commit_the_same_rows(converted, empty_store):
    _, first = ingest.import_bytes("extraction.csv", converted["csv"].read_bytes(), empty_store, "cne Martin")
    _, again = ingest.import_bytes("extraction.xlsx", converted["xlsx"].read_bytes(), empty_store, "cne Martin")
    assert (first.inserted, first.updated) == (5, 0)
    assert (again.inserted, again.updated, again.unchanged, again.changed) == (0, 0, 5, False)
