"""A real OpenID Connect log-in in headless Chromium against a local provider (oidc-provider-mock).

The provider runs in a thread of the test process on a free port; the dashboard
is a real `python -m dashboard.server` whose secrets file (given through STREAMLIT_SECRETS_FILES)
points at it. The role comes from the `roles` claim through PMO_OIDC_ROLES.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from oidc_provider_mock import User, run_server_in_thread
from playwright.sync_api import expect

from dashboard import audit
from dashboard.auth import allows
from dashboard.ui.navigation import PAGES
from tests.conftest import wait_for_app

pytestmark = pytest.mark.browser

STAFF = User(sub="chef.bri", claims={"email": "chef.bri@terre.defense.fr", "name": "Chef BRI", "roles": ["pmo-emt"]})
VIEWER = User(sub="commandant", claims={"email": "commandant@terre.defense.fr", "roles": "pmo-lecture"})
NO_ROLE = User(sub="visiteur", claims={"email": "visiteur@terre.defense.fr", "roles": ["autre-appli"]})


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    with run_server_in_thread(user_claims=[STAFF, VIEWER, NO_ROLE]) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """The secrets file and the audit log of this module's server."""
    return tmp_path_factory.mktemp("oidc")


@pytest.fixture
def oidc_server(shared, provider, folder):
    """The dashboard logging in through the provider, shared by this module's tests: each logs in from a browser
    with no cookie."""
    secrets = folder / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        'redirect_uri = "http://localhost:{port}/oauth2callback"\n'
        'cookie_secret = "un-secret-de-test-assez-long-pour-signer"\n'
        'client_id = "pmo-dashboard"\n'
        'client_secret = "secret-du-client"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
    )
    return shared(
        STREAMLIT_SECRETS_FILES=str(secrets),
        PMO_DEMO_ACCESS="0",
        PMO_ANONYMOUS="none",
        PMO_AUDIT_LOG=str(folder / "audit.log"),
        PMO_OIDC_ROLE_CLAIM="roles",
        PMO_OIDC_ROLES="pmo-emt=staff,pmo-lecture=viewer",
    )


def _local(url: str) -> str:
    # The redirect URI says localhost: the log-in must start from the same host for its cookies.
    return url.replace("127.0.0.1", "localhost")


def _log_in(page, server, sub: str) -> None:
    # The provider's form links a stylesheet on a public CDN: never fetched.
    page.route("**/cdn.jsdelivr.net/**", lambda route: route.abort())
    page.goto(_local(server.url))
    wait_for_app(page, timeout=90_000)
    page.get_by_role("button", name="Se connecter avec l'annuaire").click()
    page.wait_for_url("**/oauth2/authorize**")
    page.get_by_role("button", name=sub).click()
    # Back through /oauth2callback to the dashboard, logged in: the log-out button shows it.
    page.get_by_role("button", name="Se déconnecter").wait_for(timeout=60_000)
    wait_for_app(page, timeout=90_000)


def test_an_oidc_user_gets_the_role_of_their_claim_and_only_its_pages(oidc_server, page, folder):
    _log_in(page, oidc_server, STAFF.sub)
    sidebar = page.locator("[data-testid='stSidebar']")
    expect(sidebar).to_contain_text("chef.bri@terre.defense.fr")
    expect(sidebar).to_contain_text("état-major")
    nav = page.locator(".st-key-pmo_menu").inner_text()
    for spec in PAGES:
        assert (spec.title in nav) == allows("staff", spec.role), spec.title
    assert page.locator("[data-testid='pmo-marking']").count() == 2

    # XSRF protection stays on with st.login: Streamlit sets its XSRF cookie.
    assert any(c["name"] == "_streamlit_xsrf" for c in page.context.cookies())

    events = audit.read(folder / "audit.log")
    assert any(e["event"] == "login" and e["user"] == STAFF.claims["email"] and e["role"] == "staff" for e in events)

    page.get_by_role("button", name="Se déconnecter").click()
    # Streamlit ends the session at the provider too (its end_session_endpoint), which sends the user back.
    page.wait_for_url("**/oauth2/end_session**")
    page.get_by_role("button", name="End session").click()
    expect(page.get_by_role("button", name="Se connecter avec l'annuaire")).to_be_visible(timeout=30_000)
    assert "Se déconnecter" not in page.locator("[data-testid='stSidebar']").inner_text()


def test_a_viewer_typing_the_address_of_a_staff_page_gets_a_refusal(oidc_server, page, folder):
    _log_in(page, oidc_server, VIEWER.sub)
    staff_only = next(spec for spec in PAGES if spec.role != "viewer")
    assert staff_only.title not in page.locator(".st-key-pmo_menu").inner_text()
    page.goto(f"{_local(oidc_server.url)}/{staff_only.url_path}")
    main = page.locator("[data-testid='stMain']")
    expect(main).to_contain_text("Accès refusé", timeout=60_000)
    assert page.locator("[data-testid='stFileUploader']").count() == 0
    refusals = [e for e in audit.read(folder / "audit.log") if e["event"] == "refused"]
    assert refusals and refusals[-1]["user"] == VIEWER.claims["email"] and staff_only.title in refusals[-1]["what"]


def test_an_oidc_user_without_a_mapped_role_sees_no_page(oidc_server, page):
    _log_in(page, oidc_server, NO_ROLE.sub)
    expect(page.locator("[data-testid='stMain']")).to_contain_text("aucun rôle")
    page.goto(f"{_local(oidc_server.url)}/{PAGES[0].url_path}")
    expect(page.locator("[data-testid='stMain']")).to_contain_text("Accès refusé", timeout=60_000)
