"""Statuses from dates, for rows that have none: files and stores from before the status column.

An action (or a meeting) whose last day is past is taken as realised (held),
any other as planned. The store applies it when it reads an older version, the
import when a file lacks the column or leaves a cell empty (and says so).
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.compute as pc

from dashboard.schema import ACTIONS, MEETINGS, PLANNED, REALISED, TableSpec

# Status of a row by its dates: (ended, not ended yet).
_FROM_DATES: dict[str, tuple[str, str]] = {ACTIONS.name: (REALISED, PLANNED), MEETINGS.name: ("tenue", PLANNED)}


def from_dates(spec: TableSpec, end: pa.Array | pa.ChunkedArray, today: dt.date) -> pa.Array | pa.ChunkedArray:
    """The status each row takes from its last day alone."""
    ended, coming = _FROM_DATES[spec.name]
    return pc.if_else(pc.less(end, pa.scalar(today, pa.date32())), ended, coming)


def missing(table: pa.Table) -> pa.Array | pa.ChunkedArray:
    """Which rows have no status (all of them when the column is absent)."""
    if "status" not in table.column_names:
        return pa.array([True] * table.num_rows, pa.bool_())
    status = table.column("status")
    return pc.or_kleene(pc.is_null(status), pc.equal(pc.utf8_trim_whitespace(status), ""))


def filled(table: pa.Table, spec: TableSpec, today: dt.date | None = None) -> pa.Table:
    """`table` with a status on every row: the given one, or the one its dates give."""
    today = today or dt.date.today()
    derived = from_dates(spec, table.column("end_date"), today)
    if "status" not in table.column_names:
        return table.append_column("status", pc.cast(derived, pa.string()))
    status = pc.if_else(missing(table), derived, pc.cast(table.column("status"), pa.string()))
    return table.set_column(table.schema.get_field_index("status"), "status", status)
