"""The audit log: who logged in, was refused, imported or restored what, and when.

One JSON object per line, appended through Python logging to the file named by
the PMO_AUDIT_LOG setting. Several processes may append to the same file: each
record is one short `write` in append mode.
"""

from __future__ import annotations

import json
import logging
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dashboard.settings import settings

LOGGER_NAME = "pmo.audit"
EVENTS = ("login", "login_failed", "logout", "refused", "import", "restore")

_lock = threading.Lock()


class _JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(record.msg, ensure_ascii=False, default=str)


def _logger(path: Path) -> logging.Logger:
    """The audit logger writing to `path` (the handler follows the setting if it changes)."""
    logger = logging.getLogger(LOGGER_NAME)
    with _lock:
        current = [h for h in logger.handlers if isinstance(h, logging.FileHandler)]
        if not current or Path(current[0].baseFilename) != path.resolve():
            for handler in current:
                logger.removeHandler(handler)
                handler.close()
            path.parent.mkdir(parents=True, exist_ok=True)
            handler = logging.FileHandler(path, encoding="utf-8", delay=False)
            handler.setFormatter(_JsonLines())
            logger.addHandler(handler)
            logger.setLevel(logging.INFO)
            # Audit records stay out of the server's console log.
            logger.propagate = False
    return logger


def record(event: str, user: str, role: str | None = None, **details: Any) -> dict[str, Any]:
    """Append one event; returns the record written."""
    if event not in EVENTS:
        raise ValueError(f"événement d'audit inconnu : {event}")
    entry = {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "event": event,
        "user": user,
        "role": role,
        **details,
    }
    _logger(Path(settings().audit_log)).info(entry)
    return entry


def read(path: str | Path | None = None) -> list[dict[str, Any]]:
    """Every record of the log, oldest first (empty when there is none yet)."""
    path = Path(path or settings().audit_log)
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]
