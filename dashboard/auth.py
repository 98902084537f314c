"""Roles, role checks, local accounts and OpenID Connect claim mapping (pure Python).

Roles are cumulative: admin ⊇ staff ⊇ analyst ⊇ viewer. Local accounts live in
one JSON file (path from settings) holding argon2id hashes, each with its own
salt; there is no default account and no default password.
"""

from __future__ import annotations

import fcntl
import functools
import json
import math
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from cachetools import TTLCache

from dashboard import audit
from dashboard.audit import Repeats
from dashboard.i18n import N_

ROLES = ("viewer", "analyst", "staff", "admin")
# In French (the command line's words); N_ marks them for the catalogue, `_()` translates them where a page shows them.
ROLE_LABELS = {
    "viewer": N_("lecteur"),
    "analyst": N_("analyste"),
    "staff": N_("état-major"),
    "admin": N_("administrateur"),
}
NO_ROLE = N_("aucun rôle")
MIN_PASSWORD_LENGTH = 12
# Bounds checked before any work: argon2 of a long password is work too.
MAX_NAME_LENGTH = 64
MAX_PASSWORD_LENGTH = 256
_NAME = re.compile(rf"[\w.@+-]{{1,{MAX_NAME_LENGTH}}}")


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
    return ROLE_LABELS.get(role, NO_ROLE) if role else NO_ROLE


@dataclass(frozen=True)
class User:
    """Who is using the dashboard: `source` is local, oidc, proxy (a trusted SSO proxy's header), anonymous or demo."""

    name: str
    role: str | None
    source: str = "anonymous"

    @property
    def logged_in(self) -> bool:
        return self.source in ("local", "oidc", "proxy")

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
    # Stamped in the browser's log-in cookie: raised at a log-out, a password or role change, so that every
    # cookie issued before stops working at once (an account removed has none left).
    generation: int = 0


def check_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise AccountError(
            f"Nom de compte « {_shown(name)} » refusé : "
            f"1 à {MAX_NAME_LENGTH} caractères parmi lettres, chiffres et . _ @ + -."
        )
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"Rôle « {role} » inconnu : choisir parmi {', '.join(ROLES)}.")
    return role


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Mot de passe trop court : au moins {MIN_PASSWORD_LENGTH} caractères.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"Mot de passe trop long : au plus {MAX_PASSWORD_LENGTH} caractères.")
    if password != password.strip():
        raise AccountError("Le mot de passe ne doit pas commencer ni finir par une espace.")
    return password


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# The product's password hashing: argon2id with the library's parameters (RFC 9106's low-memory profile).
PASSWORD_HASHER = PasswordHasher()


@functools.cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    """A hash made by `hasher`, once per hasher and process (a tenth of a second): a server builds a store per
    accounts file, the tests one per test."""
    return hasher.hash("compte-inexistant")


class AccountStore:
    """Accounts in one JSON file, rewritten atomically (temporary file then rename), readable by its owner only."""

    def __init__(self, path: str | os.PathLike[str], hasher: PasswordHasher | None = None) -> None:
        self.path = Path(path)
        self.hasher = hasher or PASSWORD_HASHER
        # Verifying an unknown name costs as much as a known one: no timing hint that it exists.
        self._dummy_hash = _dummy_hash(self.hasher)

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

    def _change(self, name: str, *, end_sessions: bool = False, **changes: object) -> Account:
        with self._locked() as accounts:
            if name not in accounts:
                raise AccountError(f"Aucun compte « {name} ».")
            current = asdict(accounts[name])
            current.update(changes, updated=_now())
            if end_sessions:
                current["generation"] += 1
            accounts[name] = Account(**current)
            return accounts[name]

    def set_role(self, name: str, role: str) -> Account:
        return self._change(name, role=check_role(role), end_sessions=True)

    def set_password(self, name: str, password: str) -> Account:
        hashed = self.hasher.hash(check_password(password))
        return self._change(name, password_hash=hashed, end_sessions=True)

    def end_sessions(self, name: str) -> Account:
        """Log the account out of every browser (its log-in cookies stop working)."""
        return self._change(name, end_sessions=True)

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


@dataclass
class _Failures:
    count: int
    last: float


class Throttle:
    """An exponential delay after failed log-ins, per client and per account, capped: it slows an attacker
    down without locking the owner out, who logs in once the delay has passed.

    After `free` failures, each failure doubles the wait (`base` seconds, then twice, …) up to `cap`.
    Tries made during the wait are refused without checking the password and do not lengthen it. A
    failure is forgotten `forget` seconds after the last one; at most `maxsize` clients and as many
    accounts are remembered (the least recent go first), so the memory it takes is bounded.
    """

    def __init__(
        self,
        *,
        base: float = 1.0,
        cap: float = 60.0,
        free: int = 2,
        forget: float = 900.0,
        maxsize: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base, self.cap, self.free = base, cap, free
        self._clock = clock
        self._clients: TTLCache[str, _Failures] = TTLCache(maxsize, forget, timer=clock)
        self._accounts: TTLCache[str, _Failures] = TTLCache(maxsize, forget, timer=clock)
        self._lock = threading.Lock()

    def delay(self, failures: int) -> float:
        """The wait after `failures` failures in a row."""
        return 0.0 if failures <= self.free else min(self.cap, self.base * 2.0 ** (failures - self.free - 1))

    def _tables(self, client: str, name: str | None) -> list[tuple[TTLCache[str, _Failures], str]]:
        tables = [(self._clients, client)]
        if name is not None:
            tables.append((self._accounts, name))
        return tables

    def wait(self, client: str, name: str | None) -> float:
        """Seconds before `client` may try `name` again (0: now); `name=None` for a name no account can have."""
        with self._lock:
            now = self._clock()
            waits = [
                entry.last + self.delay(entry.count) - now
                for table, key in self._tables(client, name)
                if (entry := table.get(key)) is not None
            ]
        return max([0.0, *waits])

    def failed(self, client: str, name: str | None) -> None:
        with self._lock:
            now = self._clock()
            for table, key in self._tables(client, name):
                entry = table.get(key) or _Failures(0, now)
                # Re-inserted, so that the entry is forgotten `forget` seconds after its last failure.
                table[key] = _Failures(entry.count + 1, now)

    def succeeded(self, client: str, name: str) -> None:
        with self._lock:
            self._clients.pop(client, None)
            self._accounts.pop(name, None)

    def __len__(self) -> int:
        """How many clients and accounts are remembered."""
        with self._lock:
            return len(self._clients) + len(self._accounts)


@dataclass(frozen=True)
class Attempt:
    """What came of a log-in attempt: the account when it succeeded, else the French message to show."""

    account: Account | None
    message: str = ""


def _shown(name: str) -> str:
    """A name as recorded: cut to the longest a name may be, so the log stays small whatever was typed."""
    return name if len(name) <= MAX_NAME_LENGTH else name[:MAX_NAME_LENGTH] + "…"


def log_in(
    store: AccountStore, throttle: Throttle, failures: Repeats, name: str, password: str, client: str
) -> Attempt:
    """Check a local log-in: bounds first, then the throttle, then the password (argon2), and record it.

    A failure is recorded through `failures`, which writes the first of a series (one address, one name,
    one reason) at once and the rest of it as one line with their count.
    """
    name = name.strip()
    if len(name) > MAX_NAME_LENGTH or len(password) > MAX_PASSWORD_LENGTH:
        throttle.failed(client, None)
        shown = _shown(name)
        failures.add((client, shown, "trop long"), shown, method="local", client=client, reason="trop long")
        return Attempt(
            None,
            f"Identifiant ou mot de passe trop long : au plus {MAX_NAME_LENGTH} caractères pour l'identifiant, "
            f"{MAX_PASSWORD_LENGTH} pour le mot de passe.",
        )
    # A name no account can have is kept out of the per-account table (it could hold anything).
    account_key = name if _NAME.fullmatch(name) else None
    wait = throttle.wait(client, account_key)
    if wait > 0:
        failures.add((client, name, "attente"), name, method="local", client=client, reason="attente")
        return Attempt(None, f"Trop d'essais : réessayer dans {math.ceil(wait)} s.")
    account = store.verify(name, password) if account_key else None
    if account is None:
        throttle.failed(client, account_key)
        failures.add((client, name, "mot de passe"), name, method="local", client=client, reason="mot de passe")
        return Attempt(None, "Identifiant ou mot de passe incorrect.")
    throttle.succeeded(client, name)
    for reason in ("mot de passe", "attente"):
        failures.flush((client, name, reason))
    audit.record("login", account.name, account.role, method="local", client=client)
    return Attempt(account)
