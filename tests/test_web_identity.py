"""The log-in cookie: signed, of the account's current generation, ended by a log-out, a password or role
change and a removal."""

import pytest

from dashboard.auth import AccountStore
from dashboard.web import identity

SECRET = "un secret de signature assez long"
PASSWORD = "un mot de passe assez long"


@pytest.fixture
def store(tmp_path):
    accounts = AccountStore(tmp_path / "accounts.json")
    accounts.add("adj.leroy", "staff", PASSWORD)
    accounts.add("chef.bri@terre.defense.fr", "staff", None)  # an OIDC identity: no local log-in
    return accounts


def test_a_cookie_names_its_account_until_something_ends_it(store):
    cookie = identity.issue(SECRET, store.get("adj.leroy"))
    assert identity.holder(store, SECRET, cookie).name == "adj.leroy"
    store.end_sessions("adj.leroy")  # a log-out, anywhere
    assert identity.holder(store, SECRET, cookie) is None
    fresh = identity.issue(SECRET, store.get("adj.leroy"))
    assert identity.holder(store, SECRET, fresh).name == "adj.leroy"


@pytest.mark.parametrize(
    "change",
    [
        lambda s: s.set_password("adj.leroy", "un autre mot de passe long"),
        lambda s: s.set_role("adj.leroy", "viewer"),
        lambda s: s.remove("adj.leroy"),
    ],
    ids=["password", "role", "removal"],
)
def test_a_password_or_role_change_or_a_removal_ends_every_cookie(store, change):
    cookie = identity.issue(SECRET, store.get("adj.leroy"))
    change(store)
    assert identity.holder(store, SECRET, cookie) is None


def test_a_forged_or_foreign_cookie_names_nobody(store):
    cookie = identity.issue(SECRET, store.get("adj.leroy"))
    assert identity.holder(store, "un autre secret de signature", cookie) is None
    assert identity.holder(store, SECRET, cookie[:-2] + ("AA" if not cookie.endswith("AA") else "BB")) is None
    assert identity.holder(store, SECRET, None) is None
    assert identity.holder(store, SECRET, "") is None
    # An OIDC role-table entry has no password: no local cookie stands for it.
    assert identity.holder(store, SECRET, identity.issue(SECRET, store.get("chef.bri@terre.defense.fr"))) is None


def test_the_cookie_is_http_only_strict_and_secure_under_tls():
    assert identity.set_cookie("v", secure=False) == (
        f"pmo_session=v; Path=/; Max-Age={identity.MAX_AGE_SECONDS}; HttpOnly; SameSite=Strict"
    )
    assert identity.set_cookie("v", secure=True).endswith("; Secure")
    assert "Max-Age=0" in identity.clear_cookie(secure=False)
