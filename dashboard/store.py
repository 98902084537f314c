"""The versioned table store: one Delta Lake table per table of the contract.

Delta Lake gives Parquet files with a commit log: every write is an atomic
commit with its metadata, every past version stays readable, and a restore is
itself a new version. The root is a local folder or an S3 URI.

On S3, every commit is a conditional put (`If-None-Match: *` on the next
entry of the commit log): of two replicas committing the same version, one
succeeds and the other retries on top of it. The unsafe rename of older
delta-rs versions is never used, and no locking table is needed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
from deltalake import CommitProperties, DeltaTable, write_deltalake
from deltalake.exceptions import CommitFailedError, TableNotFoundError

from dashboard import status
from dashboard.schema import TABLES, TableSpec
from dashboard.validation import ContractError, conform

_METADATA_PREFIX = "pmo."
# Commit metadata key: "1" on the first commit of a table filled with the demo data (`dashboard.seed`).
DEMO_KEY = "demo"
# Commits as conditional puts, which AWS S3, MinIO and most S3-compatible stores honour.
SAFE_COMMITS = {"conditional_put": "etag"}
# The start-up check gives up quickly: a wrong address should be reported in seconds, not after minutes of retries.
_CHECK_RETRIES = {"max_retries": "2"}


class StoreUnavailable(RuntimeError):
    """The store cannot be reached or used; the message says why, in French, and what to change."""


class WriteFailed(RuntimeError):
    """A merge or a restore did not commit (a disk, network or object store failure): the version in force stays.

    `cause` names the underlying error for the administrator; the pages show it without a traceback."""

    def __init__(self, table: str, error: Exception) -> None:
        self.table = table
        self.cause = type(error).__name__
        super().__init__(f"l'écriture de la table {table} n'a pas abouti ({self.cause})")


@contextmanager
def _writing(table: str) -> Iterator[None]:
    """Any failure of a commit as `WriteFailed`; a contract error says what to fix in the data and stays as it is."""
    try:
        yield
    except ContractError:
        raise
    except Exception as error:
        raise WriteFailed(table, error) from error


def is_s3(root: str | Path) -> bool:
    return str(root).startswith(("s3://", "s3a://"))


def storage_options(root: str | Path) -> dict[str, str] | None:
    """Options of the store at `root`: for S3, the settings' endpoint and keys with safe commits."""
    if not is_s3(root):
        return None
    from dashboard.settings import s3_options

    return {**s3_options(), **SAFE_COMMITS}


@dataclass(frozen=True)
class MergeResult:
    version: int
    inserted: int
    updated: int
    unchanged: int


@dataclass(frozen=True)
class Commit:
    """One version of a table, as the history shows it."""

    version: int
    timestamp: dt.datetime
    operation: str
    metadata: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)


class Store:
    def __init__(self, root: str | Path, options: dict[str, str] | None = None):
        """The store at `root`; an S3 root takes its options from the settings unless `options` are given."""
        self.root = str(root)
        self.storage_options = options if options is not None else storage_options(root)

    def uri(self, table: str) -> str:
        return f"{self.root.rstrip('/')}/{table}"

    def _open(self, table: str, version: int | None = None) -> DeltaTable:
        return DeltaTable(self.uri(table), version=version, storage_options=self.storage_options)

    def exists(self, table: str) -> bool:
        return DeltaTable.is_deltatable(self.uri(table), storage_options=self.storage_options)

    def check(self) -> None:
        """Raise `StoreUnavailable` when the store cannot be listed (unknown bucket, refused keys, no answer)."""
        options = {**self.storage_options, **_CHECK_RETRIES} if self.storage_options else None
        try:
            for name in TABLES:
                DeltaTable.is_deltatable(self.uri(name), storage_options=options)
        except OSError as error:
            raise StoreUnavailable(_unavailable(self, str(error))) from error

    def version(self, table: str) -> int:
        """Current version of `table`; -1 when it does not exist yet."""
        try:
            return self._open(table).version()
        except TableNotFoundError:
            return -1

    def versions(self) -> tuple[int, ...]:
        return tuple(self.version(name) for name in TABLES)

    def read(self, table: str, version: int | None = None) -> pa.Table:
        spec = TABLES[table]
        if version is None and not self.exists(table):
            return spec.empty()
        data = _upgraded(self._open(table, version).to_pyarrow_table(), spec)
        return data.select(list(spec.names)).cast(spec.arrow_schema())

    def create(self, table: str, data: pa.Table | None = None, *, metadata: dict[str, Any] | None = None) -> int:
        """Create `table` with `data` (or empty); fails if it exists."""
        spec = TABLES[table]
        rows = conform(data, spec) if data is not None else spec.empty()
        write_deltalake(
            self.uri(table),
            rows,
            mode="error",
            storage_options=self.storage_options,
            commit_properties=_commit_properties(metadata),
        )
        return self.version(table)

    def write_chunks(self, table: str, chunks: Iterable[pa.Table], *, metadata: dict[str, Any] | None = None) -> int:
        """Append chunks to a new or existing table, one commit per chunk (for large synthetic stores)."""
        spec = TABLES[table]
        for chunk in chunks:
            write_deltalake(
                self.uri(table),
                conform(chunk, spec),
                mode="append",
                storage_options=self.storage_options,
                commit_properties=_commit_properties(metadata),
            )
        return self.version(table)

    def merge(self, table: str, data: pa.Table, *, metadata: dict[str, Any] | None = None) -> MergeResult:
        """Insert new keys and update changed rows of `table` in one atomic commit.

        Rows identical to the stored ones are left alone, so merging the same
        rows twice changes nothing. A frame that breaks the contract raises
        `ContractError` before anything is written. Concurrent merges are
        serialised by Delta Lake's optimistic commits and retried here.
        """
        spec = TABLES[table]
        rows = conform(data, spec)
        with _writing(table):
            if not self.exists(table):
                try:
                    self.create(table, metadata=metadata)
                except Exception:
                    if not self.exists(table):
                        raise
            for attempt in range(20):
                try:
                    version, metrics = self._merge_once(spec, rows, metadata)
                    break
                except CommitFailedError:
                    if attempt == 19:
                        raise
        inserted = int(metrics.get("num_target_rows_inserted", 0))
        updated = int(metrics.get("num_target_rows_updated", 0))
        return MergeResult(version, inserted, updated, rows.num_rows - inserted - updated)

    def _merge_once(
        self, spec: TableSpec, rows: pa.Table, metadata: dict[str, Any] | None
    ) -> tuple[int, dict[str, Any]]:
        """The version this merge committed (not the table's latest: another process may have committed since)
        and its metrics."""
        target = self._open(spec.name)
        stored = set(target.schema().to_arrow().names)
        # A column the stored version lacks (written under an older contract) changes a row that fills it.
        changed = " OR ".join(
            f"NOT (t.{c} <=> s.{c})" if c in stored else f"s.{c} IS NOT NULL" for c in spec.names if c != spec.key
        )
        metrics = (
            target.merge(
                rows,
                predicate=f"t.{spec.key} = s.{spec.key}",
                source_alias="s",
                target_alias="t",
                # A table written before the contract gained a column takes it on the first merge.
                merge_schema=True,
                commit_properties=_commit_properties(metadata),
            )
            .when_matched_update_all(predicate=changed)
            .when_not_matched_insert_all()
            .execute()
        )
        return target.version(), metrics

    def history(self, table: str) -> list[Commit]:
        """Every version of `table`, newest first."""
        if not self.exists(table):
            return []
        commits = []
        for entry in self._open(table).history():
            metadata = {k.removeprefix(_METADATA_PREFIX): v for k, v in entry.items() if k.startswith(_METADATA_PREFIX)}
            commits.append(
                Commit(
                    version=int(entry["version"]),
                    timestamp=dt.datetime.fromtimestamp(entry["timestamp"] / 1000, tz=dt.UTC),
                    operation=str(entry.get("operation", "")),
                    metadata=metadata,
                    metrics=dict(entry.get("operationMetrics") or {}),
                )
            )
        return sorted(commits, key=lambda c: c.version, reverse=True)

    def diff(self, table: str, rows: pa.Table) -> pa.Table:
        """What merging `rows` would do, row by row and in their order.

        Returns `key`, `status` ("new", "updated" or "unchanged"), `changed`
        (the names of the columns whose value would change) and `before` (the
        stored row, for an updated one) for each row.
        """
        import duckdb

        spec = TABLES[table]
        # nothing is written here, so the rows are only put in the contract's types, not checked again
        typed = rows.select(list(spec.names)).cast(spec.arrow_schema())
        source = typed.append_column("_row", pa.array(range(rows.num_rows), pa.int64()))
        current = self.read(table)
        key = f'"{spec.key}"'
        others = [c for c in spec.names if c != spec.key]
        changed = ", ".join(f'CASE WHEN t."{c}" IS DISTINCT FROM s."{c}" THEN \'{c}\' END' for c in others)
        query = f"""
            SELECT s.{key} AS key,
                   CASE WHEN t.{key} IS NULL THEN 'new'
                        WHEN len(list_filter([{changed}], lambda x: x IS NOT NULL)) > 0 THEN 'updated'
                        ELSE 'unchanged' END AS status,
                   CASE WHEN t.{key} IS NULL THEN []::VARCHAR[]
                        ELSE list_filter([{changed}], lambda x: x IS NOT NULL) END AS changed,
                   CASE WHEN len(list_filter([{changed}], lambda x: x IS NOT NULL)) > 0 THEN t END AS before
            FROM source AS s LEFT JOIN stored AS t ON s.{key} = t.{key}
            ORDER BY s._row
        """
        # No progress bar: on a long diff DuckDB would draw one on the command line's output.
        connection = duckdb.connect()
        try:
            connection.execute("SET enable_progress_bar = false")
            connection.register("source", source)
            connection.register("stored", current)
            return connection.sql(query).arrow().read_all()
        finally:
            connection.close()

    def restore(self, table: str, version: int, *, metadata: dict[str, Any] | None = None) -> int:
        """Make `version` the current content again, recorded as a new version."""
        with _writing(table):
            target = self._open(table)
            target.restore(version, commit_properties=_commit_properties(metadata))
        # The version this restore committed, not the table's latest: another process may have committed since.
        return target.version()


def _upgraded(data: pa.Table, spec: TableSpec) -> pa.Table:
    """A version written under an older contract, in the current one: the optional columns it lacks
    empty, and a status from the dates where it has none."""
    for column in spec.columns:
        if column.name not in data.column_names and not column.fallback:
            data = data.append_column(column.name, pa.nulls(data.num_rows, column.arrow_type))
    if "status" in spec.names and ("status" not in data.column_names or data.column("status").null_count > 0):
        data = status.filled(data, spec)
    return data


def _unavailable(store: Store, error: str) -> str:
    """The French sentence for a store that failed its check, from the S3 client's error text."""
    options = store.storage_options or {}
    where = options.get("AWS_ENDPOINT_URL", "AWS S3")
    bucket = store.root.split("://", 1)[-1].split("/", 1)[0]
    if "NoSuchBucket" in error or "404 Not Found" in error:
        return (
            f"Le compartiment « {bucket} » n'existe pas sur le stockage objet {where} : "
            "créez-le (par exemple « mc mb ») ou corrigez PMO_STORE."
        )
    if any(code in error for code in ("403 Forbidden", "InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied")):
        return (
            f"Le stockage objet {where} refuse les clés du tableau de bord pour « {bucket} » : "
            "vérifiez PMO_S3_ACCESS_KEY_ID, PMO_S3_SECRET_ACCESS_KEY et les droits de cette clé sur le compartiment."
        )
    causes = [re.sub(r"\x1b\[[0-9;]*m|↳", "", line).strip() for line in error.splitlines()]
    cause = next((c for c in reversed(causes) if c), "pas de réponse")
    return (
        f"Le stockage objet {where} ne répond pas ({cause}) : vérifiez PMO_S3_ENDPOINT, "
        "le réseau et que le service est démarré."
    )


def _commit_properties(metadata: dict[str, Any] | None) -> CommitProperties | None:
    if not metadata:
        return None
    return CommitProperties(custom_metadata={f"{_METADATA_PREFIX}{k}": v for k, v in metadata.items()})
