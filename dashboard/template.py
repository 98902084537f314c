"""Import templates: the French headers of a table and the values each column allows, said in the language.

The CSV template lists the allowed values in comment lines (`# …`) above the
header, which the import skips; the Excel template has a second sheet.
Both go through dashboard.export, so they carry the marking.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from dashboard import i18n
from dashboard.export import csv_bytes, xlsx_bytes
from dashboard.i18n import N_, _
from dashboard.reference import COUNTRY_ALIASES, country_name
from dashboard.schema import TABLES, Column

ALLOWED_SHEET = N_("Valeurs admises")


def headers(table: str) -> list[str]:
    return [c.header_fr for c in TABLES[table].columns]


def allowed_values(table: str) -> pd.DataFrame:
    """One row per column: header, required, type, allowed values, meaning."""
    spec = TABLES[table]
    column, required, kind, allowed, meaning = (
        _("Colonne"),
        _("Obligatoire"),
        _("Type"),
        _("Valeurs admises"),
        _("Sens"),
    )
    return pd.DataFrame(
        [
            {
                column: c.header_fr,
                required: c.required_words,
                kind: c.type_label,
                allowed: c.allowed(),
                meaning: c.meaning,
            }
            for c in spec.columns
        ]
    )


def template_csv(table: str) -> bytes:
    """`;` separated, UTF-8 with BOM; the allowed values in `#` lines above the header."""
    spec = TABLES[table]
    body = csv_bytes(pd.DataFrame(columns=headers(table))).decode("utf-8")
    marking, rest = body.split("\r\n", 1)
    notes = [
        "# "
        + (
            _(
                "Modèle d'import : {table}. Une ligne par action sous l'en-tête. "
                "Les lignes commençant par # sont ignorées."
            )
            if spec.name == "actions"
            else _(
                "Modèle d'import : {table}. Une ligne par rencontre sous l'en-tête. "
                "Les lignes commençant par # sont ignorées."
            )
        ).format(table=spec.title),
        *(
            "# "
            + _("{header} ({requirement}) : {allowed}").format(
                header=c.header_fr, requirement=c.requirement, allowed=c.allowed()
            )
            + (" (" + _("absente : {fallback}").format(fallback=c.fallback_words) + ")" if c.fallback else "")
            for c in spec.columns
        ),
    ]
    # `;` would split a note into cells when a spreadsheet opens the file.
    notes = [note.replace(";", ",") for note in notes]
    return (marking + "\r\n" + "\r\n".join(notes) + "\r\n" + rest).encode("utf-8")


def template_xlsx(table: str) -> bytes:
    """A sheet to fill with the French headers, and a sheet of allowed values."""
    spec = TABLES[table]
    return xlsx_bytes({spec.name: pd.DataFrame(columns=headers(table)), _(ALLOWED_SHEET): allowed_values(table)})


def country_aliases() -> pd.DataFrame:
    """The alias table the import reads countries through: as written, the country understood, its code."""
    written, understood, code = _("Écrit dans le fichier"), _("Pays compris"), _("Code ISO")
    return pd.DataFrame(
        [
            {written: alias, understood: country_name(iso3, i18n.language()), code: iso3}
            for alias, iso3 in COUNTRY_ALIASES.items()
        ]
    )


def _cell(value: object, column: Column) -> object:
    return None if value is None else column.behaviour.cell(value)


def to_frame(table: str, rows: pa.Table) -> pd.DataFrame:
    """Rows of a table as a user would write them in the template (French headers, jj/mm/aaaa, oui/non, a | b)."""
    spec = TABLES[table]
    return pd.DataFrame(
        {c.header_fr: [_cell(v, c) for v in rows.column(c.name).to_pylist()] for c in spec.columns},
        dtype=object,
    )
