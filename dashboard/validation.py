"""Checks of typed tables against the data contract.

Both the store (before any write) and the ingest (after parsing a file) call
`check_table`; it returns every problem at once so that a user can fix a file
in one pass. `ContractError` carries them all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

import pyarrow as pa
import pyarrow.compute as pc

from dashboard.reference import countries
from dashboard.schema import PLANNED, REALISED, Column, TableSpec

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One problem in one cell (or column, or file), told in French."""

    row: int | None
    column: str | None
    value: object
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"ligne {self.row}")
        if self.column is not None:
            where.append(f"colonne {self.column}")
        prefix = ", ".join(where)
        shown = "" if self.value is None else f"« {self.value} » : "
        return f"{prefix} : {shown}{self.message}" if prefix else f"{shown}{self.message}"


class ContractError(ValueError):
    """Raised with every problem found; nothing has been written."""

    def __init__(self, problems: list[Problem]):
        self.problems = [p for p in problems if p.severity == "error"]
        self.warnings = [p for p in problems if p.severity == "warning"]
        lines = "\n".join(f"- {p}" for p in self.problems[:50])
        more = len(self.problems) - 50
        tail = f"\n- … et {more} autres problèmes" if more > 0 else ""
        super().__init__(f"{len(self.problems)} problème(s) dans les données :\n{lines}{tail}")


def _rows(mask: pa.Array) -> list[int]:
    return pc.indices_nonzero(pc.fill_null(mask, False)).to_pylist()


def check_table(table: pa.Table, spec: TableSpec, *, first_row: int = 1) -> list[Problem]:
    """Every way `table` breaks the contract of `spec`; empty when it holds.

    Row numbers start at `first_row` so that the ingest can report the line
    number of the file (header on line 1, first data row on line 2).
    """
    problems: list[Problem] = []
    missing = [c.header_fr for c in spec.columns if c.name not in table.column_names]
    if missing:
        return [Problem(None, name, None, "colonne obligatoire absente") for name in missing]
    for column in spec.columns:
        values = table.column(column.name)
        if not values.type.equals(column.arrow_type):
            problems.append(Problem(None, column.header_fr, str(values.type), f"type attendu : {column.type_label}"))
            continue
        problems.extend(_check_column(values, column, first_row))
    if not problems:
        problems.extend(_check_dates(table, spec, first_row))
        problems.extend(_check_assessment(table, spec, first_row))
    problems.extend(_check_key(table, spec, first_row))
    return sorted(problems, key=lambda p: (p.row or 0, p.column or ""))


def _check_column(values: pa.ChunkedArray, column: Column, first_row: int) -> list[Problem]:
    problems: list[Problem] = []
    if column.required:
        empty = pc.is_null(values)
        if column.kind in ("string", "category", "country"):
            empty = pc.or_kleene(empty, pc.equal(pc.utf8_trim_whitespace(values), ""))
        if column.kind in ("categories", "countries", "strings"):
            empty = pc.or_kleene(empty, pc.equal(pc.list_value_length(values), 0))
        for i in _rows(empty):
            problems.append(Problem(i + first_row, column.header_fr, None, "valeur obligatoire manquante"))
    allowed: list[str] | None = None
    what = ""
    if column.taxonomy is not None:
        allowed = list(column.taxonomy.codes)
        what = "valeurs admises : " + ", ".join(allowed)
    elif column.kind in ("country", "countries"):
        allowed = list(countries())
        what = "n'est pas un pays connu (nom français ou anglais, code ISO2 ou ISO3)"
    if allowed is not None:
        if column.kind in ("categories", "countries"):
            flat = pc.list_flatten(values)
            parents = pc.list_parent_indices(values)
            bad = pc.invert(pc.is_in(flat, value_set=pa.array(allowed)))
            for i in _rows(bad):
                row = parents[i].as_py()
                problems.append(Problem(row + first_row, column.header_fr, flat[i].as_py(), what))
        else:
            bad = pc.and_(pc.is_valid(values), pc.invert(pc.is_in(values, value_set=pa.array(allowed))))
            for i in _rows(bad):
                problems.append(Problem(i + first_row, column.header_fr, values[i].as_py(), what))
    if column.kind == "integer":
        for i in _rows(pc.less(values, 0)):
            problems.append(
                Problem(
                    i + first_row, column.header_fr, values[i].as_py(), "un nombre entier positif ou nul est attendu"
                )
            )
    return problems


def _check_dates(table: pa.Table, spec: TableSpec, first_row: int) -> list[Problem]:
    if "start_date" not in spec.names or "end_date" not in spec.names:
        return []
    start, end = table.column("start_date"), table.column("end_date")
    header = spec.column("end_date").header_fr
    return [
        Problem(
            i + first_row,
            header,
            end[i].as_py().strftime("%d/%m/%Y"),
            f"la date de fin précède la date de début ({start[i].as_py().strftime('%d/%m/%Y')})",
        )
        for i in _rows(pc.less(end, start))
    ]


def _check_assessment(table: pa.Table, spec: TableSpec, first_row: int) -> list[Problem]:
    """An assessment says how a realised action reached its objective: on any other it is an error."""
    if "assessment" not in spec.names:
        return []
    assessment, status = table.column("assessment"), table.column("status")
    wrong = pc.and_(pc.is_valid(assessment), pc.not_equal(pc.fill_null(status, ""), REALISED))
    header = spec.column("assessment").header_fr
    return [
        Problem(
            i + first_row,
            header,
            assessment[i].as_py(),
            "une évaluation ne porte que sur une action réalisée, or son statut est "
            f"« {status[i].as_py() or 'vide'} » ; "
            "videz la cellule ou passez le statut à « réalisée »",
        )
        for i in _rows(wrong)
    ]


def stale_plans(table: pa.Table, spec: TableSpec, today: dt.date, days: int, severity: Severity) -> list[Problem]:
    """Planned actions that ended more than `days` days before `today`: their status was not updated.

    Row numbers are indices in `table`; the import gives them the file's lines.
    """
    if "status" not in spec.names or spec.name != "actions":
        return []
    status, end = table.column("status"), table.column("end_date")
    limit = pa.scalar(today - dt.timedelta(days=days), pa.date32())
    late = pc.and_(pc.equal(status, PLANNED), pc.less(end, limit))
    header = spec.column("status").header_fr
    return [
        Problem(
            i,
            header,
            status[i].as_py(),
            f"action prévue terminée le {end[i].as_py().strftime('%d/%m/%Y')}, il y a plus de {days} jours : "
            "mettez à jour son statut (réalisée, annulée ou reportée)",
            severity,
        )
        for i in _rows(late)
    ]


def _check_key(table: pa.Table, spec: TableSpec, first_row: int) -> list[Problem]:
    if spec.key not in table.column_names or table.num_rows == 0:
        return []
    keys = table.column(spec.key)
    counts = pc.value_counts(keys)
    repeated = {
        item["values"].as_py() for item in counts if item["counts"].as_py() > 1 and item["values"].as_py() is not None
    }
    if not repeated:
        return []
    header = spec.column(spec.key).header_fr
    first_seen: dict[str, int] = {}
    problems = []
    for i, key in enumerate(keys.to_pylist()):
        if key not in repeated:
            continue
        if key in first_seen:
            problems.append(
                Problem(
                    i + first_row,
                    header,
                    key,
                    f"identifiant en double (déjà présent ligne {first_seen[key] + first_row}) ; "
                    "chaque identifiant doit être unique",
                )
            )
        else:
            first_seen[key] = i
    return problems


def conform(table: pa.Table, spec: TableSpec) -> pa.Table:
    """The columns of `spec`, in its order and types; raises ContractError otherwise."""
    problems = check_table(table, spec)
    if problems:
        raise ContractError(problems)
    return table.select(list(spec.names)).cast(spec.arrow_schema())
