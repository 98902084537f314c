"""Make the corpus of realistic import files the tests read: `python tests/files/make_corpus.py`.

Files in the format of extracts made before the status column (the import derives it
from the dates and says so). Good files in several encodings, separators and header styles, an Excel
workbook with real date cells, and one bad file per kind of problem. The files
are committed beside this script; run it again after changing it.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent

FR = [
    "identifiant",
    "intitulé",
    "date_début",
    "date_fin",
    "pays",
    "mode_action",
    "fonction_stratégique",
    "facteurs_supériorité",
    "pilier",
    "cadre",
    "opex",
    "dispositif",
    "unité",
    "effectif_français",
    "stagiaires_partenaires",
    "programme",
    "description",
]
EN = [
    "action_id",
    "title",
    "start_date",
    "end_date",
    "country_iso3",
    "mode",
    "strategic_function",
    "superiority_factors",
    "pillar",
    "framework",
    "opex",
    "force",
    "unit",
    "french_personnel",
    "partner_trainees",
    "programme",
    "description",
]

# Five actions as a staff officer's extract gives them (data lines 2 to 6).
ACTIONS = [
    [
        "IMP-0001",
        "Formation au tir de précision",
        "12/03/2024",
        "22/03/2024",
        "Côte d'Ivoire",
        "formation",
        "prévention",
        "coopération | influence",
        "former",
        "bilatéral",
        "non",
        "forces de présence",
        "43e BIMa",
        "12",
        "60",
        "",
        "Stage de tireurs d'élite",
    ],
    [
        "IMP-0002",
        "Conseil à l'état-major",
        "01/04/2024",
        "30/06/2024",
        "Émirats arabes unis",
        "conseil",
        "connaissance et anticipation",
        "compréhension",
        "coopérer",
        "EMA",
        "non",
        "forces de présence",
        "FFEAU",
        "4",
        "15",
        "",
        "",
    ],
    [
        "IMP-0003",
        "Exercice interallié",
        "15/05/2024",
        "24/05/2024",
        "Royaume-Uni",
        "entraînement",
        "prévention",
        "coopération | agilité",
        "",
        "OTAN",
        "non",
        "régiments de métropole",
        "1er RI",
        "150",
        "0",
        "",
        "",
    ],
    [
        "IMP-0004",
        "Accompagnement au combat",
        "01/02/2024",
        "31/07/2024",
        "Irak",
        "accompagnement au combat",
        "intervention",
        "masse | force morale",
        "",
        "EMA",
        "oui",
        "régiments de métropole",
        "",
        "40",
        "300",
        "",
        "Mandat Chammal",
    ],
    [
        "IMP-0005",
        "Échanges universitaires",
        "09/09/2024",
        "13/09/2024",
        "Corée du Sud",
        "formation",
        "connaissance et anticipation",
        "compréhension",
        "former",
        "bilatéral",
        "non",
        "écoles et centres",
        "EMS",
        "3",
        "8",
        "",
        "",
    ],
]

MEETINGS_FR = [
    "identifiant",
    "intitulé",
    "date_début",
    "date_fin",
    "type",
    "organisme",
    "niveau",
    "format",
    "ville",
    "pays",
    "pays_partenaires",
    "participants",
    "thèmes",
    "résumé",
]
MEETINGS = [
    [
        "IMP-R-01",
        "Entretiens d'état-major franco-japonais",
        "05/03/2025",
        "06/03/2025",
        "entretiens d'état-major",
        "BRI",
        "état-major",
        "présentiel",
        "Tokyo",
        "Japon",
        "Japon",
        "2",
        "interopérabilité | formation",
        "",
    ],
    [
        "IMP-R-02",
        "Réunion des partenaires",
        "10/04/2025",
        "10/04/2025",
        "réunion OTAN",
        "EMI – Division Sécurité coopérative",
        "experts",
        "virtuel",
        "Bruxelles",
        "Belgique",
        "Suède | Finlande | Australie",
        "30",
        "",
        "",
    ],
]


def csv_text(headers: list[str], rows: list[list[str]], sep: str = ";") -> str:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue()


def changed(row_number: int, column: str, value: str, rows: list[list[str]] | None = None) -> list[list[str]]:
    """The five actions with one cell changed; `row_number` is the file line (header on line 1)."""
    rows = [list(r) for r in (rows or ACTIONS)]
    rows[row_number - 2][FR.index(column)] = value
    return rows


def with_status(headers: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """The headers and rows with today's status column: every corpus action is past, so realised (meetings held)."""
    value = "réalisée" if headers[0] == FR[0] and "mode_action" in headers else "tenue"
    return [*headers, "statut"], [[*row, value] for row in rows]


def numbered_actions(prefix: str, count: int) -> list[list[str]]:
    """`count` valid actions `PREFIX-0000`, `PREFIX-0001`… titled « Action PREFIX n », for imports that must not mix."""
    rows = []
    for number in range(count):
        row = list(ACTIONS[number % len(ACTIONS)])
        row[0] = f"{prefix}-{number:04d}"
        row[1] = f"Action {prefix} {number}"
        rows.append(row)
    return rows


def write(name: str, content: str | bytes, encoding: str = "utf-8") -> None:
    data = content if isinstance(content, bytes) else content.encode(encoding)
    (HERE / name).write_bytes(data)


def good_files() -> None:
    write("good_utf8_semicolon.csv", csv_text(FR, ACTIONS))
    # English headers, `,` separator, ISO dates, UTF-8 with BOM (Excel's "CSV UTF-8").
    iso = [[*r[:2], _iso(r[2]), _iso(r[3]), *r[4:]] for r in ACTIONS]
    write("good_utf8_bom_comma_english.csv", "\ufeff" + csv_text(EN, iso, ","))
    # French Excel's "CSV (séparateur : point-virgule)": Windows-1252, decimal comma, upper-case headers.
    cp = [[*r[:13], r[13] + ",0", r[14], *r[15:]] for r in ACTIONS]
    write("good_cp1252_semicolon.csv", csv_text([h.upper() for h in FR], cp), "cp1252")
    # Tab separated Latin-1, headers and values without accents, codes, 1/0 booleans, lists with `;`.
    plain = [
        [
            "IMP-0001",
            "Formation au tir",
            "2024-03-12",
            "2024-03-22",
            "CI",
            "FORMATION",
            "Prevention",
            "cooperation; influence",
            "",
            "bilateral",
            "0",
            "forces de presence",
            "",
            "12",
            "60",
            "",
            "",
        ],
        [
            "IMP-0002",
            "Conseil a l'etat-major",
            "2024-04-01",
            "2024-06-30",
            "ARE",
            "Conseil",
            "connaissance et anticipation",
            "comprehension",
            "cooperer",
            "ema",
            "false",
            "FORCES DE PRESENCE",
            "",
            "4",
            "15",
            "",
            "",
        ],
        [
            "IMP-0003",
            "Exercice interallié",
            "15/05/2024",
            "24/05/2024",
            "GBR",
            "entrainement",
            "prevention",
            "cooperation|agilite",
            "",
            "otan",
            "NON",
            "regiments de metropole",
            "",
            "150",
            "",
            "",
            "",
        ],
    ]
    headers = [
        "Identifiant",
        "Intitule",
        "Date debut",
        "Date fin",
        "PAYS",
        "Mode d'action",
        "Fonction strategique",
        "Facteurs superiorite",
        "Pilier",
        "Cadre",
        "OPEX",
        "Dispositif",
        "Unite",
        "Effectif francais",
        "Stagiaires partenaires",
        "Programme",
        "Description",
    ]
    write("good_latin1_tab.txt", csv_text(headers, plain, "\t"), "latin-1")
    # Blank trailing columns and rows, as Excel leaves them.
    trailing = csv_text([*FR, "", ""], [[*r, "", ""] for r in ACTIONS]) + ";" * 18 + "\r\n" + ";" * 18 + "\r\n\r\n"
    write("good_trailing_blanks.csv", trailing)
    write("good_meetings.csv", csv_text(MEETINGS_FR, MEETINGS))
    write("good_excel_dates.xlsx", excel_workbook())


def _iso(text: str) -> str:
    day, month, year = text.split("/")
    return f"{year}-{month}-{day}"


def _date(text: str) -> dt.datetime:
    day, month, year = (int(p) for p in text.split("/"))
    return dt.datetime(year, month, day)


def excel_workbook() -> bytes:
    """Date cells, number cells, a boolean cell and blank trailing columns, as Excel saves them."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Extraction"
    sheet.append([*FR, None, None])
    for row in ACTIONS:
        cells: list[object] = list(row)
        cells[2], cells[3] = _date(row[2]), _date(row[3])
        cells[10] = row[10] == "oui"
        cells[13], cells[14] = int(row[13]), float(row[14])
        sheet.append([c if c != "" else None for c in cells] + [None, None])
        sheet.cell(sheet.max_row, 3).number_format = "DD/MM/YYYY"
        sheet.cell(sheet.max_row, 4).number_format = "DD/MM/YYYY"
    sheet.append([None] * 19)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# One bad file per kind of problem: (file, line, French column, value found, words of the message).
BAD = [
    ("bad_country.csv", 4, "pays", "Absurdistan", "n'est pas un pays connu"),
    ("bad_date_format.csv", 3, "date_début", "demain", "formats admis jj/mm/aaaa, jj/mm/aa"),
    ("bad_date_impossible.csv", 5, "date_fin", "31/02/2024", "cette date n'existe pas"),
    ("bad_end_before_start.csv", 2, "date_fin", "01/03/2024", "la date de fin précède la date de début"),
    ("bad_duplicate_key.csv", 6, "identifiant", "IMP-0002", "identifiant en double (déjà présent ligne 3)"),
    ("bad_negative_count.csv", 3, "effectif_français", -4, "un nombre entier positif ou nul est attendu"),
    ("bad_non_numeric_count.csv", 4, "stagiaires_partenaires", "douze", "un nombre entier positif ou nul"),
    ("bad_decimal_count.csv", 2, "effectif_français", "12,5", "sans décimale"),
    ("bad_category.csv", 3, "mode_action", "parachutage", "valeurs admises : conseil, formation"),
    ("bad_factor.csv", 5, "facteurs_supériorité", "chance", "valeurs admises : compréhension"),
    ("bad_boolean.csv", 6, "opex", "peut-être", "valeurs admises : oui, non"),
    ("bad_missing_value.csv", 4, "intitulé", None, "valeur obligatoire manquante"),
    ("bad_missing_column.csv", 1, "pays", None, "colonne obligatoire absente"),
    ("bad_extra_cells.csv", 3, None, None, "la ligne compte 18 cellules pour 17 colonnes"),
]


def bad_files() -> None:
    write("bad_country.csv", csv_text(FR, changed(4, "pays", "Absurdistan")))
    write("bad_date_format.csv", csv_text(FR, changed(3, "date_début", "demain")))
    write("bad_date_impossible.csv", csv_text(FR, changed(5, "date_fin", "31/02/2024")))
    write("bad_end_before_start.csv", csv_text(FR, changed(2, "date_fin", "01/03/2024")))
    duplicate = [list(r) for r in ACTIONS]
    duplicate[4][0] = "IMP-0002"
    write("bad_duplicate_key.csv", csv_text(FR, duplicate))
    write("bad_negative_count.csv", csv_text(FR, changed(3, "effectif_français", "-4")))
    write("bad_non_numeric_count.csv", csv_text(FR, changed(4, "stagiaires_partenaires", "douze")))
    write("bad_decimal_count.csv", csv_text(FR, changed(2, "effectif_français", "12,5")))
    write("bad_category.csv", csv_text(FR, changed(3, "mode_action", "parachutage")))
    write("bad_factor.csv", csv_text(FR, changed(5, "facteurs_supériorité", "chance | masse")))
    write("bad_boolean.csv", csv_text(FR, changed(6, "opex", "peut-être")))
    write("bad_missing_value.csv", csv_text(FR, changed(4, "intitulé", "")))
    position = FR.index("pays")
    write(
        "bad_missing_column.csv",
        csv_text(FR[:position] + FR[position + 1 :], [r[:position] + r[position + 1 :] for r in ACTIONS]),
    )
    # A list separated by `;` without quotes in a `;` file shifts the cells.
    text = csv_text(FR, ACTIONS).splitlines()
    text[2] = (
        text[2]
        .replace("coopération | influence", "coopération;influence")
        .replace("compréhension", "compréhension;influence")
    )
    write("bad_extra_cells.csv", "\r\n".join(text) + "\r\n")
    # Several problems at once: every one is reported.
    many = changed(2, "pays", "Absurdistan")
    many = changed(4, "mode_action", "parachutage", many)
    many = changed(6, "effectif_français", "-1", many)
    write("bad_many_problems.csv", csv_text(FR, many))
    # An unknown column is a warning: the file still imports.
    write("warn_unknown_column.csv", csv_text([*FR, "couleur"], [[*r, "bleu"] for r in ACTIONS]))
    # Files that cannot be read at all.
    write("bad_empty.csv", b"")
    write("bad_binary.csv", bytes(range(256)) * 8)
    write("bad_old_excel.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    workbook = excel_workbook()
    write("bad_truncated.xlsx", workbook[: len(workbook) // 2])
    write("bad_truncated.csv", csv_text(FR, ACTIONS[:4]) + 'IMP-0005;"Échanges univ')


if __name__ == "__main__":
    good_files()
    bad_files()
    print(f"corpus written in {HERE}")
