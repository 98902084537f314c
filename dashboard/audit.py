"""The audit log: who logged in, was refused, imported or restored what, and when.

One JSON object per line, appended through Python logging to the file named by
the PMO_AUDIT_LOG setting, rotated by size (PMO_AUDIT_MAX_MB, five older files
kept beside it as `audit.log.1` … `audit.log.5`). Every string of a record is
cut to MAX_TEXT characters, so what a visitor types cannot grow the log.
Repeated failed log-ins go through `Repeats`: one line for the first of a
series, one line with the count for the rest.
"""

from __future__ import annotations

import atexit
import json
import logging
import logging.handlers
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cachetools import TTLCache

from dashboard.i18n import N_, _
from dashboard.settings import settings

LOGGER_NAME = "pmo.audit"
EVENTS = ("login", "login_failed", "logout", "refused", "import", "restore")
BACKUPS = 5
MAX_TEXT = 200

_lock = threading.Lock()


class _JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(record.msg, ensure_ascii=False, default=str)


def _logger(path: Path, max_bytes: int) -> logging.Logger:
    """The audit logger writing to `path` (the handler follows the setting if it changes)."""
    logger = logging.getLogger(LOGGER_NAME)
    with _lock:
        current = [h for h in logger.handlers if isinstance(h, logging.handlers.RotatingFileHandler)]
        if not current or Path(current[0].baseFilename) != path.resolve() or current[0].maxBytes != max_bytes:
            for handler in current:
                logger.removeHandler(handler)
                handler.close()
            path.parent.mkdir(parents=True, exist_ok=True)
            handler = logging.handlers.RotatingFileHandler(
                path, maxBytes=max_bytes, backupCount=BACKUPS, encoding="utf-8"
            )
            handler.setFormatter(_JsonLines())
            logger.addHandler(handler)
            logger.setLevel(logging.INFO)
            # Audit records stay out of the server's console log.
            logger.propagate = False
    return logger


def _bounded(value: Any) -> Any:
    if isinstance(value, str) and len(value) > MAX_TEXT:
        return value[:MAX_TEXT] + f"… ({len(value)} caractères)"
    return value


def record(event: str, user: str, role: str | None = None, **details: Any) -> dict[str, Any]:
    """Append one event; returns the record written."""
    if event not in EVENTS:
        raise ValueError(f"événement d'audit inconnu : {event}")
    entry = {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "event": event,
        "user": _bounded(user),
        "role": role,
        **{key: _bounded(value) for key, value in details.items()},
    }
    config = settings()
    _logger(Path(config.audit_log), int(config.audit_max_mb * 1024 * 1024)).info(entry)
    return entry


def files(path: str | Path | None = None) -> list[Path]:
    """The log's files, oldest first: the rotated ones, then the current one."""
    path = Path(path or settings().audit_log)
    older = [path.with_name(f"{path.name}.{n}") for n in range(BACKUPS, 0, -1)]
    return [p for p in [*older, path] if p.is_file()]


def read(path: str | Path | None = None) -> list[dict[str, Any]]:
    """Every record of the log and of its rotated files, oldest first (empty when there is none yet)."""
    entries: list[dict[str, Any]] = []
    for file in files(path):
        with file.open(encoding="utf-8") as lines:
            entries += [json.loads(line) for line in lines if line.strip()]
    return entries


@dataclass
class _Series:
    user: str
    details: dict[str, Any]
    since: str
    until: str = ""
    count: int = 0
    started: float = 0.0


@dataclass
class Repeats:
    """One event that may repeat many times (failed log-ins), logged as a series per key.

    The first occurrence is written at once with `count` 1; the following ones are counted and
    written as one line with their `count` when the series ends: `quiet` seconds without a new one,
    `flush(key)` (a successful log-in), the key pushed out by `maxsize` newer ones, or the process's
    exit. A series longer than `quiet` seconds is written every `quiet` seconds.
    """

    event: str = "login_failed"
    quiet: float = 900.0
    maxsize: int = 10_000
    clock: Callable[[], float] = time.monotonic
    _series: TTLCache = field(init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        repeats = self

        class _Ending(TTLCache):
            """Writes the series that leave the table, expired or pushed out."""

            def expire(self, time: float | None = None) -> list[tuple[Hashable, _Series]]:
                ended = super().expire(time)
                for _key, series in ended:
                    repeats._write(series)
                return ended

            def popitem(self) -> tuple[Hashable, _Series]:
                key, series = super().popitem()
                repeats._write(series)
                return key, series

        self._series = _Ending(self.maxsize, self.quiet, timer=self.clock)
        atexit.register(self.flush)

    def _write(self, series: _Series) -> None:
        if series.count:
            record(self.event, series.user, None, count=series.count, since=series.since, until=series.until,
                   **series.details)  # fmt: skip

    def add(self, key: Hashable, user: str, **details: Any) -> None:
        """One more occurrence for `key`, by `user`, with `details` (the last ones are kept for the series)."""
        stamp = datetime.now(UTC).isoformat(timespec="milliseconds")
        with self._lock:
            series = self._series.get(key)
            if series is None:
                record(self.event, user, None, count=1, **details)
                # Re-inserted on every occurrence: the series ends `quiet` seconds after its last one.
                self._series[key] = _Series(user, details, since=stamp, started=self.clock())
                return
            series.count += 1
            series.details, series.until = details, stamp
            if self.clock() - series.started >= self.quiet:
                self._write(series)
                series = _Series(user, details, since=stamp, started=self.clock())
            self._series[key] = series

    def flush(self, key: Hashable | None = None) -> None:
        """Write the series of `key` (every series when None) now and forget it; ended series are written too."""
        with self._lock:
            self._series.expire()
            keys = list(self._series) if key is None else [key]
            for one in keys:
                series = self._series.pop(one, None)
                if series is not None:
                    self._write(series)

    def __len__(self) -> int:
        return len(self._series)


FAILURE_COLUMNS = {
    "time": N_("Heure (UTC)"),
    "user": N_("Identifiant essayé"),
    "client": N_("Adresse"),
    "count": N_("Échecs"),
    "reason": N_("Motif"),
    "until": N_("Dernier (UTC)"),
}
REASONS = {
    "mot de passe": N_("mot de passe incorrect"),
    "attente": N_("essai pendant l'attente"),
    "trop long": N_("trop long"),
}


def _reason(code: str) -> str:
    """Why a log-in failed, in the language; a reason this version does not know, as written."""
    known = REASONS.get(code)
    return _(known) if known else code


def _stamp(value: object) -> str:
    return str(value)[:19].replace("T", " ") if value else ""


def failed_logins(entries: list[dict[str, Any]], limit: int = 500) -> list[dict[str, Any]]:
    """The latest failed log-ins of `entries` (from `read`), newest first, with column names in the language:
    a line per series, its count of failures, the first and the last one's time."""
    named = {key: _(text) for key, text in FAILURE_COLUMNS.items()}
    rows = [
        {
            named["time"]: _stamp(entry.get("since") or entry.get("time")),
            named["user"]: entry.get("user", ""),
            named["client"]: entry.get("client", ""),
            named["count"]: int(entry.get("count") or 1),
            named["reason"]: _reason(entry.get("reason", "")),
            named["until"]: _stamp(entry.get("until")),
        }
        for entry in entries
        if entry.get("event") == "login_failed"
    ]
    return sorted(rows, key=lambda row: row[named["time"]], reverse=True)[:limit]
