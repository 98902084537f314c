"""The log-in and log-out routes through a test client (the browser side: tests/test_browser_identity.py)."""

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from dashboard.audit import Repeats
from dashboard.auth import AccountStore, Throttle
from dashboard.web import account_routes, identity

SECRET = "un secret de signature assez long"
PASSWORD = "un mot de passe assez long"
SAME_SITE = {"Sec-Fetch-Site": "same-origin"}


@pytest.fixture
def client(tmp_path, monkeypatch):
    store = AccountStore(tmp_path / "accounts.json")
    store.add("adj.leroy", "staff", PASSWORD)
    monkeypatch.setattr(account_routes, "THROTTLE", Throttle())
    monkeypatch.setattr(account_routes, "FAILURES", Repeats("login_failed"))
    app = Starlette(routes=account_routes.routes(lambda: SECRET))
    return TestClient(app, follow_redirects=False), store


def test_the_right_password_sets_the_cookie_and_goes_back_to_the_page(client):
    http, store = client
    form = {"identifiant": "adj.leroy", "mot_de_passe": PASSWORD, "page": "import"}
    response = http.post(account_routes.LOGIN_PATH, data=form, headers=SAME_SITE)
    assert response.status_code == 303 and response.headers["location"] == "/import"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    value = cookie.split(";")[0].removeprefix(f"{identity.COOKIE}=")
    assert identity.holder(store, SECRET, value).name == "adj.leroy"


def test_a_wrong_password_goes_back_with_the_reason_and_no_cookie(client):
    http, _ = client
    form = {"identifiant": "adj.leroy", "mot_de_passe": "faux", "page": "https://ailleurs.example"}
    response = http.post(account_routes.LOGIN_PATH, data=form, headers=SAME_SITE)
    assert response.headers["location"] == "/?refus=incorrect", "never to another site"
    assert "set-cookie" not in response.headers


def test_a_form_from_another_site_or_too_long_is_refused(client):
    http, _ = client
    form = {"identifiant": "adj.leroy", "mot_de_passe": PASSWORD}
    assert http.post(account_routes.LOGIN_PATH, data=form, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert http.post(account_routes.LOGOUT_PATH, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    huge = {"identifiant": "adj.leroy", "mot_de_passe": "x" * 1_000_000}
    assert http.post(account_routes.LOGIN_PATH, data=huge, headers=SAME_SITE).status_code == 400


def test_log_out_ends_every_cookie_of_the_account_and_clears_this_one(client):
    http, store = client
    value = identity.issue(SECRET, store.get("adj.leroy"))
    response = http.post(account_routes.LOGOUT_PATH, headers=SAME_SITE, cookies={identity.COOKIE: value})
    assert response.status_code == 303 and "Max-Age=0" in response.headers["set-cookie"]
    assert identity.holder(store, SECRET, value) is None
