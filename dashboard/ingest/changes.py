"""Preview and commit of a validated file against the store, one atomic merge by key."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pyarrow as pa

from dashboard import i18n
from dashboard.ingest.report import Report, analyse
from dashboard.schema import TABLES, Column
from dashboard.store import MergeResult, Store
from dashboard.validation import ContractError, Problem


@dataclass(frozen=True)
class Change:
    """An updated row: its line, its key, the French headers of the changing fields and, for the
    first rows shown, each change as (header, stored value, new value) in words."""

    line: int
    key: str
    fields: tuple[str, ...]
    values: tuple[tuple[str, str, str], ...] = field(default=(), compare=False)

    def describe(self) -> str:
        return " ; ".join(f"{header} : {old} → {new}" for header, old, new in self.values)


@dataclass(frozen=True)
class Preview:
    """What a commit would do, against the current version."""

    table: str
    version: int
    new: int
    updated: int
    unchanged: int
    rejected: int
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class ImportResult:
    table: str
    version: int
    previous_version: int
    inserted: int
    updated: int
    unchanged: int
    rejected: int

    @property
    def changed(self) -> bool:
        return self.version != self.previous_version


def _importable(report: Report, valid_only: bool) -> pa.Table:
    if report.table is None or report.file_errors:
        raise ContractError(report.problems)
    if report.errors and not valid_only:
        raise ContractError(report.problems)
    return report.valid_rows()


# The preview spells out old and new values for this many updated rows; beyond, it names the fields.
DETAILED_CHANGES = 1000


def shown(value: object, column: Column) -> str:
    """A stored value in words, as the preview shows it: 12/03/2024, oui, a | b, « texte », (vide)."""
    if value is None or value == []:
        return "(vide)"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, list):
        return " | ".join(str(v) for v in value)
    if isinstance(value, int):
        return i18n.number(value)
    return f"« {value} »"


def preview(report: Report, store: Store, *, valid_only: bool = True) -> Preview:
    """New, updated (with the changing fields) and unchanged rows, and the rows rejected."""
    if report.table is None:
        raise ContractError(report.problems)
    spec = TABLES[report.table]
    rejected = len(report.rejected_lines)
    rows = report.valid_rows() if not report.file_errors else spec.empty()
    version = store.version(report.table)
    if rows.num_rows == 0:
        return Preview(report.table, version, 0, 0, 0, rejected, ())
    diff = store.diff(report.table, rows)
    status = diff.column("status").to_pylist()
    valid_lines = [line for line, ok in zip(report.lines, report.valid_mask().to_pylist(), strict=True) if ok]
    updated = [i for i, state in enumerate(status) if state == "updated"]
    keys, changed = diff.column("key").to_pylist(), diff.column("changed").to_pylist()
    columns = {c.name: c for c in spec.columns}
    detailed = set(updated[:DETAILED_CHANGES])
    changes = []
    for i in updated:
        names = changed[i]
        values: tuple[tuple[str, str, str], ...] = ()
        if i in detailed:
            before, after = diff.column("before")[i].as_py(), rows.slice(i, 1).to_pylist()[0]
            values = tuple(
                (columns[n].header_fr, shown(before[n], columns[n]), shown(after[n], columns[n])) for n in names
            )
        changes.append(Change(valid_lines[i], keys[i], tuple(columns[n].header_fr for n in names), values))
    return Preview(
        report.table,
        version,
        new=status.count("new"),
        updated=status.count("updated"),
        unchanged=status.count("unchanged"),
        rejected=rejected,
        changes=tuple(changes),
    )


def commit(
    report: Report,
    store: Store,
    *,
    user: str,
    valid_only: bool = False,
    now: dt.datetime | None = None,
) -> ImportResult:
    """Merge the file's rows by key in one atomic commit, with who, what and when.

    Raises `ContractError` when the file has errors (unless `valid_only`) and
    writes nothing then. A file already imported makes no new version.
    """
    rows = _importable(report, valid_only)
    assert report.table is not None
    if rows.num_rows == 0:
        raise ContractError([*report.problems, Problem(None, None, None, "aucune ligne valide à importer")])
    previous = store.version(report.table)
    moment = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
    metadata = {
        "operation": "import",
        "user": user,
        "file": report.name,
        "sha256": report.sha256,
        "rows": str(rows.num_rows),
        "rejected": str(len(report.rejected_lines)),
        "time": moment,
    }
    result: MergeResult = store.merge(report.table, rows, metadata=metadata)
    return ImportResult(
        report.table,
        result.version,
        previous,
        result.inserted,
        result.updated,
        result.unchanged,
        len(report.rejected_lines),
    )


def import_bytes(
    name: str,
    data: bytes,
    store: Store,
    user: str,
    *,
    table: str | None = None,
    valid_only: bool = False,
) -> tuple[Report, ImportResult]:
    """Validate and commit a file in one call (the path the benchmarks time)."""
    report = analyse(name, data, table)
    return report, commit(report, store, user=user, valid_only=valid_only)
