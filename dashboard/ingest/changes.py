"""Preview and commit of a validated file against the store, one atomic merge by key."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

import pyarrow as pa
import pyarrow.compute as pc

from dashboard.i18n import N_, _
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


STATES = {"new": N_("nouvelle"), "updated": N_("modifiée"), "unchanged": N_("inchangée")}


def _state(code: str) -> str:
    """`nouvelle`, `modifiée`, `inchangée`, in the language."""
    return _(STATES[code])


@dataclass(frozen=True)
class Preview:
    """What a commit would do, against the current version, row by row.

    `rows` are the rows as they will be stored (in the contract's types), `lines`
    their lines in the file, `diff` what `Store.diff` says of each (status, the
    columns that change, the stored row before).
    """

    table: str
    version: int
    new: int
    updated: int
    unchanged: int
    rejected: int
    rows: pa.Table = field(repr=False, compare=False)
    lines: tuple[int, ...] = field(repr=False, compare=False)
    diff: pa.Table | None = field(default=None, repr=False, compare=False)

    @cached_property
    def changes(self) -> tuple[Change, ...]:
        """Each updated row with its changing fields; old and new values for the first DETAILED_CHANGES."""
        if self.diff is None:
            return ()
        columns = {c.name: c for c in TABLES[self.table].columns}
        status = self.diff.column("status")
        updated = pc.indices_nonzero(pc.equal(status, "updated")).to_pylist()
        keys, changed = self.diff.column("key"), self.diff.column("changed")
        result = []
        for n, i in enumerate(updated):
            names = changed[i].as_py()
            values: tuple[tuple[str, str, str], ...] = ()
            if n < DETAILED_CHANGES:
                before, after = self.diff.column("before")[i].as_py(), self.rows.slice(i, 1).to_pylist()[0]
                values = tuple(
                    (columns[c].header_fr, shown(before[c], columns[c]), shown(after[c], columns[c])) for c in names
                )
            result.append(Change(self.lines[i], keys[i].as_py(), tuple(columns[c].header_fr for c in names), values))
        return tuple(result)

    def count(self, state: str | None = None) -> int:
        """Rows in `state` (new, updated, unchanged), or all rows."""
        if state is None or self.diff is None:
            return self.rows.num_rows if state is None else 0
        return {"new": self.new, "updated": self.updated, "unchanged": self.unchanged}[state]

    def pages(self, size: int = 50, state: str | None = None) -> int:
        return max(1, -(-self.count(state) // size))

    def page(self, number: int, size: int = 50, state: str | None = None) -> PreviewPage:
        """Page `number` (from 1) of the rows as they will be stored, in words, with the changed cells.

        Dates read 12/03/2024, countries by their French name, lists a | b, counts 1 234; an updated
        cell reads « new (avant : old) » and is listed in `changed` so that a page can mark it.
        """
        spec = TABLES[self.table]
        if self.diff is None:
            return PreviewPage([], [], 0)
        positions = (
            pc.indices_nonzero(pc.equal(self.diff.column("status"), state))
            if state is not None
            else pa.array(range(self.rows.num_rows), pa.int64())
        )
        pages = self.pages(size, state)
        number = min(max(number, 1), pages)
        chosen = positions.slice((number - 1) * size, size)
        rows = self.rows.take(chosen).to_pylist()
        diff = self.diff.take(chosen).to_pylist()
        records, changed = [], []
        line, state_header, fields = _("Ligne"), _("État"), _("Champs modifiés")
        for index, (row, change) in enumerate(zip(rows, diff, strict=True)):
            record: dict[str, object] = {
                line: self.lines[chosen[index].as_py()],
                state_header: _state(change["status"]),
                # The changed fields named up front: the table is wider than the screen.
                fields: ", ".join(spec.column(name).header_fr for name in change["changed"]),
            }
            for column in spec.columns:
                value = stored_words(row[column.name], column)
                if column.name in change["changed"]:
                    before = stored_words(change["before"][column.name], column) or _("vide")
                    value = _("{value} (avant : {before})").format(value=value, before=before)
                    changed.append((index, column.header_fr))
                record[column.header_fr] = value
            records.append(record)
        # The columns that change on this page come right after the key, where the eye lands.
        moved = {header for _, header in changed}
        first = [line, state_header, fields, spec.column(spec.key).header_fr]
        order = first + [c.header_fr for c in spec.columns if c.header_fr in moved and c.header_fr not in first]
        order += [name for name in records[0] if name not in order] if records else []
        return PreviewPage([{name: record[name] for name in order} for record in records], changed, pages)


@dataclass(frozen=True)
class PreviewPage:
    """One page of the preview: its rows as a page shows them, the changed cells (row, header), the page count."""

    records: list[dict[str, object]]
    changed: list[tuple[int, str]]
    pages: int


def stored_words(value: object, column: Column) -> str:
    """A stored value as the preview table shows it: 12/03/2024, Côte d'Ivoire, oui, a | b, 1 234, or empty."""
    if value is None or value == []:
        return ""
    return column.behaviour.words(value)


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
    """A stored value in words, as a change is described: 12/03/2024, oui, a | b, « texte », (vide)."""
    if value is None or value == []:
        return _("(vide)")
    words = stored_words(value, column)
    return f"« {words} »" if column.behaviour.text else words


def preview(report: Report, store: Store, *, valid_only: bool = True) -> Preview:
    """New, updated and unchanged rows as they will be stored, and how many lines are rejected."""
    if report.table is None:
        raise ContractError(report.problems)
    spec = TABLES[report.table]
    rejected = len(report.rejected_lines)
    rows = report.valid_rows() if not report.file_errors else spec.empty()
    version = store.version(report.table)
    valid = report.valid_mask().to_pylist() if rows.num_rows else []
    lines = tuple(line for line, ok in zip(report.lines, valid, strict=True) if ok)
    if rows.num_rows == 0:
        return Preview(report.table, version, 0, 0, 0, rejected, rows, lines)
    diff = store.diff(report.table, rows)
    counts = {item["values"]: item["counts"] for item in pc.value_counts(diff.column("status")).to_pylist()}
    return Preview(
        report.table,
        version,
        new=counts.get("new", 0),
        updated=counts.get("updated", 0),
        unchanged=counts.get("unchanged", 0),
        rejected=rejected,
        rows=rows,
        lines=lines,
        diff=diff,
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
