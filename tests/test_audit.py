"""The audit log: JSON lines with user, role, event and time, in the file the setting names."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from dashboard import audit


def test_events_are_appended_as_json_lines_with_user_and_time(tmp_path, monkeypatch):
    path = tmp_path / "logs" / "audit.log"
    monkeypatch.setenv("PMO_AUDIT_LOG", str(path))
    before = datetime.now(UTC)
    audit.record("login", "alice", "staff", method="local")
    audit.record("import", "alice", "staff", table="actions", inserted=12, version=4)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["event"] == "login" and first["user"] == "alice" and first["role"] == "staff"
    assert datetime.fromisoformat(first["time"]) >= before.replace(microsecond=0)
    assert second["inserted"] == 12 and second["table"] == "actions"
    assert audit.read(path) == [first, second]


def test_the_log_follows_the_setting_when_it_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("PMO_AUDIT_LOG", str(tmp_path / "a.log"))
    audit.record("refused", "anonyme", None, what="la page « Import »")
    monkeypatch.setenv("PMO_AUDIT_LOG", str(tmp_path / "b.log"))
    audit.record("logout", "alice", "viewer")
    assert [e["event"] for e in audit.read(tmp_path / "a.log")] == ["refused"]
    assert [e["event"] for e in audit.read(tmp_path / "b.log")] == ["logout"]


def test_values_are_kept_verbatim_and_one_record_stays_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("PMO_AUDIT_LOG", str(tmp_path / "audit.log"))
    name = 'mallory\n{"event": "login", "user": "admin"}'
    audit.record("login_failed", name, None)
    entries = audit.read(tmp_path / "audit.log")
    assert len(entries) == 1
    assert entries[0]["user"] == name


def test_an_unknown_event_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("PMO_AUDIT_LOG", str(tmp_path / "audit.log"))
    with pytest.raises(ValueError, match="inconnu"):
        audit.record("whatever", "alice")
    assert audit.read(tmp_path / "audit.log") == []


def test_the_log_is_rotated_by_size_and_read_back_whole_oldest_first(tmp_path, monkeypatch):
    path = tmp_path / "audit.log"
    monkeypatch.setenv("PMO_AUDIT_LOG", str(path))
    monkeypatch.setenv("PMO_AUDIT_MAX_MB", "0.01")  # about 10 KB a file
    for number in range(200):
        audit.record("import", "alice", "staff", table="actions", version=number)
    rotated = sorted(p.name for p in tmp_path.glob("audit.log.*"))
    assert rotated and len(rotated) <= audit.BACKUPS
    assert all(p.stat().st_size <= 10_600 for p in audit.files(path))
    versions = [e["version"] for e in audit.read(path)]
    assert versions == sorted(versions) and versions[-1] == 199, "the newest record is last"
    assert all(json.loads(line) for p in audit.files(path) for line in p.read_text().splitlines())


def test_a_giant_value_is_cut_so_the_log_stays_small(tmp_path, monkeypatch):
    monkeypatch.setenv("PMO_AUDIT_LOG", str(tmp_path / "audit.log"))
    audit.record("refused", "x" * 5_000_000, None, what="y" * 1_000_000)
    assert (tmp_path / "audit.log").stat().st_size < 1_000
    entry = audit.read(tmp_path / "audit.log")[0]
    assert entry["user"].startswith("x" * audit.MAX_TEXT) and entry["user"].endswith("(5000000 caractères)")
