"""Roles, local accounts with salted argon2 hashes, OIDC claim mapping, settings of access."""

from __future__ import annotations

import json
import stat

import pytest
from argon2 import PasswordHasher

from dashboard import audit, auth
from dashboard.audit import Repeats
from dashboard.auth import AccountError, AccountStore, Throttle
from dashboard.settings import SettingsError, parse_role_map, settings

PASSWORD = "correct horse battery"


def test_roles_are_cumulative_from_viewer_to_admin():
    assert auth.allows("admin", "staff") and auth.allows("admin", "viewer")
    assert auth.allows("staff", "analyst") and auth.allows("analyst", "viewer")
    assert not auth.allows("viewer", "analyst")
    assert not auth.allows("staff", "admin")
    assert not auth.allows(None, "viewer")
    with pytest.raises(ValueError):
        auth.allows("general", "viewer")


def test_a_new_store_has_no_account_and_no_default_password(tmp_path):
    store = AccountStore(tmp_path / "accounts.json")
    assert store.accounts() == []
    for name, password in [("admin", "admin"), ("admin", ""), ("root", "root"), ("admin", "password")]:
        assert store.verify(name, password) is None
    assert not (tmp_path / "accounts.json").exists(), "reading must never create an account file"


def test_passwords_are_stored_as_salted_argon2_hashes_readable_by_the_owner_only(tmp_path):
    path = tmp_path / "accounts.json"
    store = AccountStore(path)
    store.add("alice", "staff", PASSWORD)
    store.add("bob", "viewer", PASSWORD)
    text = path.read_text()
    assert PASSWORD not in text
    hashes = {entry["name"]: entry["password_hash"] for entry in json.loads(text)["accounts"]}
    assert all(h.startswith("$argon2id$") for h in hashes.values())
    assert hashes["alice"] != hashes["bob"], "the same password must give different hashes (salt)"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_right_password_logs_in_and_a_wrong_one_is_refused(tmp_path):
    store = AccountStore(tmp_path / "accounts.json")
    store.add("alice", "staff", PASSWORD)
    account = store.verify("alice", PASSWORD)
    assert account is not None and account.role == "staff"
    assert store.verify("alice", PASSWORD + "x") is None
    assert store.verify("alice", PASSWORD.upper()) is None
    assert store.verify("Alice", PASSWORD) is None
    assert store.verify("mallory", PASSWORD) is None


def test_changing_role_password_and_removing_an_account(tmp_path):
    store = AccountStore(tmp_path / "accounts.json")
    store.add("alice", "viewer", PASSWORD)
    store.set_role("alice", "admin")
    assert store.role_of("alice") == "admin"
    store.set_password("alice", "a new long password")
    assert store.verify("alice", PASSWORD) is None
    assert store.verify("alice", "a new long password") is not None
    store.remove("alice")
    assert store.verify("alice", "a new long password") is None
    assert store.role_of("alice") is None


@pytest.mark.parametrize(
    ("name", "role", "password", "message"),
    [
        ("alice", "staff", "short", "trop court"),
        ("alice", "general", PASSWORD, "Rôle"),
        ("al ice", "staff", PASSWORD, "Nom de compte"),
        ("", "staff", PASSWORD, "Nom de compte"),
        ("<script>", "staff", PASSWORD, "Nom de compte"),
    ],
)
def test_bad_accounts_are_refused_with_a_french_reason(tmp_path, name, role, password, message):
    store = AccountStore(tmp_path / "accounts.json")
    with pytest.raises(AccountError, match=message):
        store.add(name, role, password)
    assert store.accounts() == []


def test_an_account_cannot_be_created_twice(tmp_path):
    store = AccountStore(tmp_path / "accounts.json")
    store.add("alice", "viewer", PASSWORD)
    with pytest.raises(AccountError, match="existe déjà"):
        store.add("alice", "admin", PASSWORD)
    assert store.role_of("alice") == "viewer"


def test_an_oidc_role_table_entry_has_no_password_and_cannot_log_in_locally(tmp_path):
    store = AccountStore(tmp_path / "accounts.json")
    store.add("chef@armee.fr", "staff", None)
    assert store.role_of("chef@armee.fr") == "staff"
    assert store.verify("chef@armee.fr", "") is None
    assert store.verify("chef@armee.fr", "compte-inexistant") is None


def test_a_corrupt_accounts_file_is_reported_not_ignored(tmp_path):
    path = tmp_path / "accounts.json"
    path.write_text("{not json")
    with pytest.raises(AccountError, match="illisible"):
        AccountStore(path).verify("alice", PASSWORD)


@pytest.mark.parametrize(
    ("claims", "mapping", "role"),
    [
        ({"roles": ["pmo-staff"]}, {"pmo-staff": "staff"}, "staff"),
        ({"roles": ["viewer", "pmo-admin"]}, {"pmo-admin": "admin"}, "admin"),
        ({"roles": "analyst"}, {}, "analyst"),
        ({"roles": "g1 PMO-STAFF"}, {"pmo-staff": "staff"}, "staff"),
        ({"roles": ["other-app-admin"]}, {"pmo-staff": "staff"}, None),
        ({"groups": ["admin"]}, {}, None),
        ({}, {}, None),
    ],
)
def test_the_role_comes_from_the_configured_claim_through_the_mapping(claims, mapping, role):
    assert auth.role_from_claims(claims, "roles", mapping) == role


def test_an_oidc_user_is_named_by_email_then_username_then_subject():
    assert auth.oidc_name({"email": "a@b.fr", "sub": "1"}) == "a@b.fr"
    assert auth.oidc_name({"preferred_username": "chef", "sub": "1"}) == "chef"
    assert auth.oidc_name({"sub": "42"}) == "42"


class Clock:
    """A clock the test moves by hand (seconds)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def login(tmp_path):
    """A log-in as the form does it, with its own throttle, failure series and clock."""
    clock = Clock()
    store = AccountStore(tmp_path / "accounts.json", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    store.add("chef", "admin", PASSWORD)
    throttle = Throttle(base=1, cap=60, free=2, clock=clock)
    failures = Repeats("login_failed", quiet=900, clock=clock)

    def attempt(name: str, password: str, client: str) -> auth.Attempt:
        return auth.log_in(store, throttle, failures, name, password, client)

    attempt.clock, attempt.store, attempt.throttle, attempt.failures = clock, store, throttle, failures
    return attempt


def test_the_delay_doubles_with_each_failure_up_to_its_cap_per_client_and_per_account():
    clock = Clock()
    throttle = Throttle(base=1, cap=60, free=2, clock=clock)
    assert [throttle.delay(n) for n in range(1, 11)] == [0, 0, 1, 2, 4, 8, 16, 32, 60, 60]
    for _ in range(4):
        throttle.failed("10.0.0.1", "chef")
    assert throttle.wait("10.0.0.1", "chef") == 2
    assert throttle.wait("10.0.0.1", "autre") == 2, "the client waits whatever the account it tries"
    assert throttle.wait("10.0.0.2", "chef") == 2, "the account waits whatever the client"
    assert throttle.wait("10.0.0.2", "autre") == 0
    clock.now += 2
    assert throttle.wait("10.0.0.1", "chef") == 0


def test_an_attack_slows_down_but_the_owner_logs_in_once_the_delay_has_passed(login, monkeypatch):
    verify, checked = login.store.verify, []
    monkeypatch.setattr(login.store, "verify", lambda *args: checked.append(args) or verify(*args))
    for _ in range(200):
        login("chef", "devine", "10.9.9.9")
        login.clock.now += 0.5
    assert len(checked) <= 10, "200 tries in 100 s: only those after each delay check a password"
    # The attacker's tries during the delay were refused without checking the password:
    # the delay never grew past its cap, so the owner waits at most a minute.
    refused = login("chef", PASSWORD, "10.0.0.5")
    assert refused.account is None and refused.message.startswith("Trop d'essais : réessayer dans")
    assert int(refused.message.split()[-2]) <= 60
    login.clock.now += 60
    owner = login("chef", PASSWORD, "10.0.0.5")
    assert owner.account is not None and owner.account.name == "chef"


def test_the_throttle_and_the_failure_series_keep_a_bounded_memory():
    clock = Clock()
    throttle = Throttle(maxsize=100, clock=clock)
    failures = Repeats("login_failed", maxsize=100, clock=clock)
    for n in range(5000):
        throttle.failed(f"10.0.{n // 250}.{n % 250}", f"nom{n}")
        failures.add(("10.0.0.1", f"nom{n}"), f"nom{n}")
    assert len(throttle) <= 200 and len(failures) <= 100
    clock.now += 901
    throttle.failed("10.1.1.1", None)
    assert len(throttle) == 1, "failures are forgotten a quarter of an hour after the last one"


def test_names_and_passwords_beyond_their_bounds_are_refused_before_any_work(login, monkeypatch, tmp_path):
    checked = []
    monkeypatch.setattr(login.store, "verify", lambda *args: checked.append(args))
    giant = "x" * 5_000_000
    for name, password in [(giant, PASSWORD), ("chef", giant), ("chef", "p" * (auth.MAX_PASSWORD_LENGTH + 1))]:
        attempt = login(name, password, "10.0.0.7")
        assert attempt.account is None and "trop long" in attempt.message
    assert checked == [], "no argon2 work for an over-long name or password"
    with pytest.raises(AccountError, match="trop long"):
        auth.check_password("p" * (auth.MAX_PASSWORD_LENGTH + 1))
    log = tmp_path / "audit.log"
    assert log.stat().st_size < 2_000, "the log keeps a cut name, not what was typed"
    assert audit.read(log)[0]["user"] == "x" * auth.MAX_NAME_LENGTH + "…"


def test_repeated_failures_are_logged_as_one_line_with_their_count(login, tmp_path):
    """100 tries in 100 s: wrong passwords, and tries refused during the wait; a series for each reason."""
    for _ in range(100):
        login("chef", "devine", "10.9.9.9")
        login.clock.now += 1
    lines = [e for e in audit.read(tmp_path / "audit.log") if e["event"] == "login_failed"]
    assert [(e["reason"], e["count"], e["client"]) for e in lines] == [
        ("mot de passe", 1, "10.9.9.9"),
        ("attente", 1, "10.9.9.9"),
    ], "the first of each series at once"
    login.clock.now += 901
    login.failures.flush()
    lines = [e for e in audit.read(tmp_path / "audit.log") if e["event"] == "login_failed"]
    assert len(lines) == 4 and sum(e["count"] for e in lines) == 100
    assert all(e["user"] == "chef" and e["since"] < e["until"] for e in lines[2:]), "the rest, one line each"


def test_a_series_of_failures_is_written_when_the_owner_logs_in(login, tmp_path):
    for _ in range(2):
        login("chef", "devine", "10.0.0.5")
    assert login("chef", PASSWORD, "10.0.0.5").account is not None
    events = [(e["event"], e.get("count")) for e in audit.read(tmp_path / "audit.log")]
    assert events == [("login_failed", 1), ("login_failed", 1), ("login", None)]


def test_access_settings_default_to_no_anonymous_access_and_no_demo_access(monkeypatch):
    for name in ("PMO_ANONYMOUS", "PMO_DEMO_ACCESS", "PMO_OIDC_ROLES", "PMO_OIDC_ROLE_CLAIM"):
        monkeypatch.delenv(name, raising=False)
    config = settings()
    assert config.anonymous_role is None
    assert config.demo_access is False
    assert config.oidc_role_claim == "roles"
    monkeypatch.setenv("PMO_ANONYMOUS", "viewer")
    monkeypatch.setenv("PMO_DEMO_ACCESS", "0")
    assert settings().anonymous_role == "viewer"
    assert settings().demo_access is False


@pytest.mark.parametrize("value", ["staff", "admin", "yes"])
def test_anonymous_visitors_can_never_be_given_more_than_viewer(monkeypatch, value):
    monkeypatch.setenv("PMO_ANONYMOUS", value)
    with pytest.raises(SettingsError, match="PMO_ANONYMOUS"):
        settings()


def test_the_role_mapping_setting_is_parsed_and_checked():
    assert parse_role_map("pmo-admin=admin, PMO-BRI = staff") == {"pmo-admin": "admin", "pmo-bri": "staff"}
    assert parse_role_map("") == {}
    with pytest.raises(SettingsError, match="PMO_OIDC_ROLES"):
        parse_role_map("pmo-admin=root")
    with pytest.raises(SettingsError):
        parse_role_map("pmo-admin")


@pytest.mark.parametrize("color", ["red;background:url(x)", "#12345", "javascript:", "#zzzzzz"])
def test_a_marking_colour_that_is_not_rrggbb_falls_back_to_the_default(monkeypatch, color):
    monkeypatch.setenv("PMO_MARKING_COLOR", color)
    assert settings().marking_color == "#2e7d32"


def test_accounts_added_at_the_same_time_are_all_kept(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    names = [f"officier{n}" for n in range(6)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        # Separate stores, as separate commands would be: only the file is shared.
        list(pool.map(lambda name: AccountStore(tmp_path / "accounts.json").add(name, "viewer", PASSWORD), names))
    assert [a.name for a in AccountStore(tmp_path / "accounts.json").accounts()] == names
