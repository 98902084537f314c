"""The versions of a table as the history page shows them (in the language), and restoring one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from dashboard import i18n
from dashboard.i18n import _
from dashboard.store import Commit, Store


def restore_version(store: Store, table: str, version: int, *, user: str, now: dt.datetime | None = None) -> int:
    """Make `version` of `table` current again, recorded as a new version with who and from where."""
    moment = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
    metadata = {"operation": "restauration", "user": user, "restored_from": str(version), "time": moment}
    return store.restore(table, version, metadata=metadata)


def _operation(commit: Commit) -> str:
    meta = commit.metadata
    if commit.operation == "RESTORE":
        source = meta.get("restored_from")
        return _("Restauration de la version {version}").format(version=source) if source else _("Restauration")
    if commit.operation == "MERGE":
        return _("Import") if meta.get("operation") == "import" else _("Fusion")
    if commit.operation in ("WRITE", "CREATE TABLE"):
        source = meta.get("source")
        return _("Création ({source})").format(source=source) if source else _("Écriture")
    return commit.operation.capitalize()


def _metric(metrics: dict[str, object], *names: str) -> int | None:
    for name in names:
        if metrics.get(name) is not None:
            return int(metrics[name])  # type: ignore[call-overload]
    return None


def _when(commit: Commit) -> str:
    local = commit.timestamp.astimezone(ZoneInfo("Europe/Paris"))
    return f"{i18n.date(local.date())} {local:%H:%M}"


def _count(value: int | None) -> str:
    return "—" if value is None else i18n.number(value)


def version_label(commit: Commit) -> str:
    """`Version 3 · 21 nov. 2026 15:42 · Import (extraction.csv)`, for a version picker."""
    file = commit.metadata.get("file")
    version = _("Version {version}").format(version=commit.version)
    return f"{version} · {_when(commit)} · {_operation(commit)}" + (f" ({file})" if file else "")


def history_rows(commits: Sequence[Commit]) -> list[dict[str, object]]:
    """The versions of a table as a page shows them, newest first, with what each changed."""
    headers = [
        _("Version"),
        _("Date (Paris)"),
        _("Opération"),
        _("Utilisateur"),
        _("Fichier"),
        _("Ajoutées"),
        _("Modifiées"),
        _("Rejetées"),
        _("Empreinte SHA-256"),
    ]
    rows = []
    for commit in commits:
        meta = commit.metadata
        rejected = str(meta.get("rejected", ""))
        values = (
            commit.version,
            _when(commit),
            _operation(commit),
            meta.get("user", ""),
            meta.get("file", ""),
            _count(_metric(commit.metrics, "num_target_rows_inserted", "num_added_rows")),
            _count(_metric(commit.metrics, "num_target_rows_updated")),
            _count(int(rejected) if rejected.isdigit() else None),
            str(meta.get("sha256", ""))[:16],
        )
        rows.append(dict(zip(headers, values, strict=True)))
    return rows
