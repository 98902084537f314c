"""The accounts command: add, list, set-role, remove, passwd; passwords asked twice or read from stdin."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from dashboard import accounts
from dashboard.auth import AccountStore
from tests.conftest import ROOT

PASSWORD = "un mot de passe solide"


def _stdin(monkeypatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))


def _store(tmp_path) -> AccountStore:
    return AccountStore(tmp_path / "accounts.json")


def test_add_reads_the_password_from_stdin_and_the_account_logs_in(tmp_path, monkeypatch, capsys):
    _stdin(monkeypatch, PASSWORD + "\n")
    assert accounts.main(["add", "alice", "--role", "staff", "--password-stdin"]) == 0
    assert "alice" in capsys.readouterr().out
    account = _store(tmp_path).verify("alice", PASSWORD)
    assert account is not None and account.role == "staff"


def test_add_asks_the_password_twice_and_refuses_when_they_differ(tmp_path, monkeypatch, capsys):
    answers = iter([PASSWORD, PASSWORD + "!"])
    monkeypatch.setattr(accounts.getpass, "getpass", lambda prompt: next(answers))
    assert accounts.main(["add", "alice", "--role", "admin"]) == 1
    assert "diffèrent" in capsys.readouterr().err
    assert _store(tmp_path).accounts() == []

    answers = iter([PASSWORD, PASSWORD])
    assert accounts.main(["add", "alice", "--role", "admin"]) == 0
    assert _store(tmp_path).verify("alice", PASSWORD).role == "admin"


def test_list_set_role_passwd_and_remove(tmp_path, monkeypatch, capsys):
    _stdin(monkeypatch, PASSWORD + "\n")
    accounts.main(["add", "alice", "--role", "viewer", "--password-stdin"])
    accounts.main(["add", "chef@armee.fr", "--role", "analyst", "--oidc"])
    capsys.readouterr()

    assert accounts.main(["list"]) == 0
    listing = capsys.readouterr().out
    assert "alice\tviewer\tmot de passe" in listing
    assert "chef@armee.fr\tanalyst\tOpenID Connect" in listing
    assert "$argon2" not in listing, "the list never shows hashes"

    assert accounts.main(["set-role", "alice", "admin"]) == 0
    assert _store(tmp_path).role_of("alice") == "admin"

    _stdin(monkeypatch, "un autre mot de passe\n")
    assert accounts.main(["passwd", "alice", "--password-stdin"]) == 0
    assert _store(tmp_path).verify("alice", PASSWORD) is None
    assert _store(tmp_path).verify("alice", "un autre mot de passe") is not None

    assert accounts.main(["remove", "alice"]) == 0
    assert _store(tmp_path).role_of("alice") is None


def test_errors_are_french_and_change_nothing(tmp_path, monkeypatch, capsys):
    _stdin(monkeypatch, "court\n")
    assert accounts.main(["add", "alice", "--role", "staff", "--password-stdin"]) == 1
    assert "trop court" in capsys.readouterr().err
    for argv in (["remove", "bob"], ["set-role", "bob", "admin"], ["passwd", "bob", "--password-stdin"]):
        assert accounts.main(argv) == 1
        assert "Aucun compte « bob »" in capsys.readouterr().err
    assert not (tmp_path / "accounts.json").exists()


def test_an_unknown_role_is_refused_by_the_command_line(tmp_path):
    with pytest.raises(SystemExit):
        accounts.main(["add", "alice", "--role", "general", "--password-stdin"])


def test_the_module_runs_as_a_command_on_the_configured_file(tmp_path):
    path = tmp_path / "elsewhere" / "comptes.json"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "dashboard.accounts",
            "--file",
            str(path),
            "add",
            "bob",
            "--role",
            "viewer",
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert AccountStore(path).verify("bob", PASSWORD) is not None
