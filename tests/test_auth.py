"""Roles, local accounts with salted argon2 hashes, OIDC claim mapping, settings of access."""

from __future__ import annotations

import json
import stat

import pytest

from dashboard import auth
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


def test_logins_are_throttled_after_repeated_failures():
    throttle = Throttle(limit=3, window=60)
    for t in range(3):
        assert not throttle.blocked("alice", now=t)
        throttle.failed("alice", now=t)
    assert throttle.blocked("alice", now=10)
    assert not throttle.blocked("bob", now=10)
    assert not throttle.blocked("alice", now=100), "failures older than the window are forgotten"


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
