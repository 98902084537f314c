"""Roles, role checks, local accounts and OpenID Connect claim mapping (pure Python).

Roles are cumulative: admin ⊇ staff ⊇ analyst ⊇ viewer. Local accounts live in
one JSON file (path from settings) holding argon2id hashes, each with its own
salt; there is no default account and no default password.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

ROLES = ("viewer", "analyst", "staff", "admin")
ROLE_LABELS = {
    "viewer": "lecteur",
    "analyst": "analyste",
    "staff": "état-major",
    "admin": "administrateur",
}
MIN_PASSWORD_LENGTH = 12
_NAME = re.compile(r"[\w.@+-]{1,64}")


def rank(role: str | None) -> int:
    """0 for no role, then 1 (viewer) … 4 (admin)."""
    if role is None:
        return 0
    if role not in ROLES:
        raise ValueError(f"rôle inconnu : {role}")
    return ROLES.index(role) + 1


def allows(role: str | None, required: str) -> bool:
    """Whether `role` may do what `required` may (roles are cumulative)."""
    return rank(role) >= rank(required) > 0


def highest(roles: Iterable[str | None]) -> str | None:
    best = max((rank(r) for r in roles), default=0)
    return ROLES[best - 1] if best else None


def role_label(role: str | None) -> str:
    return ROLE_LABELS.get(role, "aucun rôle") if role else "aucun rôle"


@dataclass(frozen=True)
class User:
    """Who is using the dashboard: `source` is local, oidc, anonymous or demo."""

    name: str
    role: str | None
    source: str = "anonymous"

    @property
    def logged_in(self) -> bool:
        return self.source in ("local", "oidc")

    def may(self, required: str) -> bool:
        return allows(self.role, required)


ANONYMOUS = User("anonyme", None, "anonymous")


# --- OpenID Connect ---------------------------------------------------------


def _claim_values(value: object) -> list[str]:
    """A claim as a list of strings: providers send a list, or one string separated by spaces or commas."""
    if value is None:
        return []
    if isinstance(value, str):
        return [v for v in re.split(r"[\s,]+", value) if v]
    if isinstance(value, Mapping):
        return [str(k) for k in value]
    if isinstance(value, Iterable):
        return [str(v) for v in value]
    return [str(value)]


def role_from_claims(claims: Mapping[str, object], claim: str, mapping: Mapping[str, str]) -> str | None:
    """The highest role the identity token grants through `claim`.

    A value is looked up in `mapping` (case-insensitive); without a mapping
    entry, a value that is one of our role names grants that role.
    """
    roles: list[str | None] = []
    for value in _claim_values(claims.get(claim)):
        key = value.strip().lower()
        if key in mapping:
            roles.append(mapping[key])
        elif key in ROLES:
            roles.append(key)
    return highest(roles)


def oidc_name(claims: Mapping[str, object]) -> str:
    """The name recorded for an OIDC user: e-mail, else preferred username, else subject."""
    for key in ("email", "preferred_username", "sub"):
        value = claims.get(key)
        if isinstance(value, str) and value:
            return value
    return "inconnu"


# --- Local accounts ----------------------------------------------------------


class AccountError(ValueError):
    """A refused account operation; the message is French and says how to fix it."""


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    # None: an identity that logs in through OpenID Connect only (role table entry).
    password_hash: str | None
    created: str
    updated: str


def check_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise AccountError(f"Nom de compte « {name} » refusé : 1 à 64 caractères parmi lettres, chiffres et . _ @ + -.")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"Rôle « {role} » inconnu : choisir parmi {', '.join(ROLES)}.")
    return role


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Mot de passe trop court : au moins {MIN_PASSWORD_LENGTH} caractères.")
    if password != password.strip():
        raise AccountError("Le mot de passe ne doit pas commencer ni finir par une espace.")
    return password


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class AccountStore:
    """Accounts in one JSON file, rewritten atomically (temporary file then rename), readable by its owner only."""

    def __init__(self, path: str | os.PathLike[str], hasher: PasswordHasher | None = None) -> None:
        self.path = Path(path)
        self.hasher = hasher or PasswordHasher()
        # Verifying an unknown name costs as much as a known one: no timing hint that it exists.
        self._dummy_hash = self.hasher.hash("compte-inexistant")

    def exists(self) -> bool:
        return self.path.is_file()

    def _load(self) -> dict[str, Account]:
        if not self.path.is_file():
            return {}
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            return {entry["name"]: Account(**entry) for entry in raw.get("accounts", [])}
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise AccountError(f"Fichier de comptes illisible ({self.path}) : {error}.") from None

    def _save(self, accounts: dict[str, Account]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"accounts": [asdict(a) for a in sorted(accounts.values(), key=lambda a: a.name)]}
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".accounts-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(payload, out, ensure_ascii=False, indent=1)
            os.chmod(temporary, 0o600)
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    @contextmanager
    def _locked(self) -> Iterator[dict[str, Account]]:
        """The accounts, for a change written back on exit; one writer at a time (two admins, two commands)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_name(self.path.name + ".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            accounts = self._load()
            yield accounts
            self._save(accounts)

    def accounts(self) -> list[Account]:
        return sorted(self._load().values(), key=lambda a: a.name)

    def get(self, name: str) -> Account | None:
        return self._load().get(name)

    def add(self, name: str, role: str, password: str | None) -> Account:
        """A new account; `password=None` makes a role-table entry for an OIDC identity (no local log-in)."""
        check_name(name)
        check_role(role)
        hashed = self.hasher.hash(check_password(password)) if password is not None else None
        with self._locked() as accounts:
            if name in accounts:
                raise AccountError(f"Le compte « {name} » existe déjà : utiliser set-role ou passwd.")
            stamp = _now()
            accounts[name] = Account(name, role, hashed, stamp, stamp)
            return accounts[name]

    def _change(self, name: str, **changes: object) -> Account:
        with self._locked() as accounts:
            if name not in accounts:
                raise AccountError(f"Aucun compte « {name} ».")
            current = asdict(accounts[name])
            current.update(changes, updated=_now())
            accounts[name] = Account(**current)
            return accounts[name]

    def set_role(self, name: str, role: str) -> Account:
        return self._change(name, role=check_role(role))

    def set_password(self, name: str, password: str) -> Account:
        return self._change(name, password_hash=self.hasher.hash(check_password(password)))

    def remove(self, name: str) -> None:
        with self._locked() as accounts:
            if accounts.pop(name, None) is None:
                raise AccountError(f"Aucun compte « {name} ».")

    def verify(self, name: str, password: str) -> Account | None:
        """The account if the password is right, else None (unknown name, no local password, wrong password)."""
        account = self._load().get(name)
        stored = account.password_hash if account else None
        try:
            self.hasher.verify(stored or self._dummy_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        if account is None or stored is None:
            return None
        if self.hasher.check_needs_rehash(stored):
            account = self._change(name, password_hash=self.hasher.hash(password))
        return account

    def role_of(self, name: str) -> str | None:
        account = self._load().get(name)
        return account.role if account else None


class Throttle:
    """Refuses log-ins for a name after `limit` failures within `window` seconds (one process)."""

    def __init__(self, limit: int = 5, window: float = 900.0) -> None:
        self.limit = limit
        self.window = window
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, name: str, now: float) -> list[float]:
        recent = [t for t in self._failures.get(name, []) if now - t < self.window]
        self._failures[name] = recent
        return recent

    def blocked(self, name: str, now: float | None = None) -> bool:
        with self._lock:
            return len(self._recent(name, time.monotonic() if now is None else now)) >= self.limit

    def failed(self, name: str, now: float | None = None) -> None:
        with self._lock:
            now = time.monotonic() if now is None else now
            self._recent(name, now).append(now)

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(name, None)
