"""Checks of typed tables against the data contract.

Both the store (before any write) and the ingest (after typing a file's cells)
call `check_table`, the one place where the contract's rules are checked; it
returns every problem at once so that a user can fix a file in one pass.
`ContractError` carries them all. Messages are in the language of the run (`dashboard.i18n`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Literal

import pyarrow as pa
import pyarrow.compute as pc

from dashboard import i18n
from dashboard.i18n import _
from dashboard.kinds import rows_where as _rows
from dashboard.schema import PLANNED, REALISED, Column, TableSpec

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One problem in one cell (or column, or file), told in the language of the run."""

    row: int | None
    column: str | None
    value: object
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("ligne {row}").format(row=self.row))
        if self.column is not None:
            where.append(_("colonne {column}").format(column=self.column))
        parts = [", ".join(where)] if where else []
        if self.value is not None:
            parts.append(_("« {value} »").format(value=self.value))
        told = self.message
        for part in reversed(parts):
            # `ligne 2, colonne x : « v » : message` in French, `row 2, column x: “v”: message` in English.
            told = _("{where} : {what}").format(where=part, what=told)
        return told


class ContractError(ValueError):
    """Raised with every problem found; nothing has been written."""

    def __init__(self, problems: list[Problem]):
        self.problems = [p for p in problems if p.severity == "error"]
        self.warnings = [p for p in problems if p.severity == "warning"]
        lines = "\n".join(f"- {p}" for p in self.problems[:50])
        more = len(self.problems) - 50
        tail = "\n- … " + _("et {count} autres problèmes").format(count=more) if more > 0 else ""
        super().__init__(
            _("{count} problème(s) dans les données :").format(count=len(self.problems)) + f"\n{lines}{tail}"
        )


def check_table(
    table: pa.Table,
    spec: TableSpec,
    *,
    first_row: int = 1,
    lines: Sequence[int] | None = None,
    header_row: int | None = None,
    known: Collection[tuple[int, str]] = (),
) -> list[Problem]:
    """Every way `table` breaks the contract of `spec`; empty when it holds.

    Rows are numbered from `first_row`, or by `lines` (the ingest passes the
    file's line of each row). A missing column is reported at `header_row`
    and the other columns are still checked. `known` holds (row, column) cells
    already reported by whoever built the table (a cell the ingest could not
    read, left empty): they are not reported again.
    """
    number: Callable[[int], int] = (lambda i: lines[i]) if lines is not None else (lambda i: i + first_row)
    problems: list[Problem] = [
        Problem(header_row, c.header_fr, None, _("colonne obligatoire absente ({kind})").format(kind=c.type_label))
        for c in spec.columns
        if c.name not in table.column_names
    ]
    typed: set[str] = set()
    for column in spec.columns:
        if column.name not in table.column_names:
            continue
        values = table.column(column.name)
        if not values.type.equals(column.arrow_type):
            problems.append(
                Problem(
                    header_row,
                    column.header_fr,
                    str(values.type),
                    _("type attendu : {kind}").format(kind=column.type_label),
                )
            )
            continue
        typed.add(column.name)
        problems.extend(_check_column(values, column, number))
    if {"start_date", "end_date"} <= typed:
        problems.extend(_check_dates(table, spec, number))
    if {"assessment", "status"} <= typed:
        problems.extend(_check_assessment(table, spec, number))
    if spec.key in typed:
        problems.extend(_check_key(table, spec, number))
    if known:
        skip = set(known)
        problems = [p for p in problems if p.row is None or (p.row, p.column) not in skip]
    return sorted(problems, key=lambda p: (p.row or 0, p.column or ""))


def _check_column(values: pa.ChunkedArray, column: Column, number: Callable[[int], int]) -> list[Problem]:
    problems: list[Problem] = []
    kind = column.behaviour
    if column.required:
        for i in _rows(kind.empty(values)):
            problems.append(Problem(number(i), column.header_fr, None, _("valeur obligatoire manquante")))
    for i, value, what in kind.check(values, column.taxonomy):
        problems.append(Problem(number(i), column.header_fr, value, what))
    return problems


def _check_dates(table: pa.Table, spec: TableSpec, number: Callable[[int], int]) -> list[Problem]:
    start, end = table.column("start_date"), table.column("end_date")
    header = spec.column("end_date").header_fr
    return [
        Problem(
            number(i),
            header,
            _day(end[i].as_py()),
            _("la date de fin précède la date de début ({start})").format(start=_day(start[i].as_py())),
        )
        for i in _rows(pc.less(end, start))
    ]


def _check_assessment(table: pa.Table, spec: TableSpec, number: Callable[[int], int]) -> list[Problem]:
    """An assessment says how a realised action reached its objective: on any other it is an error."""
    assessment, status = table.column("assessment"), table.column("status")
    wrong = pc.and_(pc.is_valid(assessment), pc.not_equal(pc.fill_null(status, ""), REALISED))
    header = spec.column("assessment").header_fr
    return [
        Problem(
            number(i),
            header,
            assessment[i].as_py(),
            _(
                "une évaluation ne porte que sur une action réalisée, or son statut est « {status} » ; "
                "videz la cellule ou passez le statut à « réalisée »"
            ).format(status=status[i].as_py() or _("vide")),
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
            _(
                "action prévue terminée le {end}, il y a plus de {days} jours : "
                "mettez à jour son statut (réalisée, annulée ou reportée)"
            ).format(end=_day(end[i].as_py()), days=i18n.number(days)),
            severity,
        )
        for i in _rows(late)
    ]


def _check_key(table: pa.Table, spec: TableSpec, number: Callable[[int], int]) -> list[Problem]:
    if table.num_rows == 0:
        return []
    keys = table.column(spec.key)
    counts = pc.value_counts(keys)
    # Filtered by Arrow: a file of 150 000 keys has as many counts, nearly all of them 1.
    twice = pc.filter(counts.field("values"), pc.greater(counts.field("counts"), 1))
    repeated = {key for key in twice.to_pylist() if key is not None}
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
                    number(i),
                    header,
                    key,
                    _("identifiant en double (déjà présent ligne {row}) ; chaque identifiant doit être unique").format(
                        row=number(first_seen[key])
                    ),
                )
            )
        else:
            first_seen[key] = i
    return problems


def _day(value: dt.date) -> str:
    """A date as a file of the contract writes it in French (12/03/2024); in English, unambiguous (12 Mar 2024)."""
    return value.strftime("%d/%m/%Y") if i18n.language() == "fr" else i18n.date(value)


def conform(table: pa.Table, spec: TableSpec) -> pa.Table:
    """The columns of `spec`, in its order and types; raises ContractError otherwise."""
    problems = check_table(table, spec)
    if problems:
        raise ContractError(problems)
    return table.select(list(spec.names)).cast(spec.arrow_schema())
