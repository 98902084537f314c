"""Identity bound to the browser, in headless Chromium against a real server: the log-in route and its cookie,
log-out ending every tab, a session id that gives nothing, uploads refused to sessions that may not import,
and the user name of a trusted SSO proxy."""

from __future__ import annotations

import asyncio
import http.client
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.wsclient import Session
from dashboard import audit
from dashboard.auth import AccountStore
from dashboard.web.uploads import REFUSED
from tests.conftest import outside_the_browser_loop, wait_for_app

pytestmark = pytest.mark.browser

PASSWORD = "un mot de passe assez long"
STAFF, VIEWER = "adj.leroy", "cdt.martin"


@pytest.fixture(scope="module")
def accounts(tmp_path_factory) -> Path:
    """The accounts file of this module's servers; their audit log is `audit.log` beside it."""
    path = tmp_path_factory.mktemp("identity") / "accounts.json"
    store = AccountStore(path)
    store.add(STAFF, "staff", PASSWORD)
    store.add(VIEWER, "viewer", PASSWORD)
    return path


def _events(accounts: Path, since: int = 0) -> list[tuple[str, str]]:
    """The (event, user) pairs of the audit log, from its `since`-th event on (the servers are the module's)."""
    return [(e["event"], e["user"]) for e in audit.read(accounts.parent / "audit.log")][since:]


@pytest.fixture
def secured_server(shared, accounts):
    """The dashboard with local accounts and no anonymous access, shared by this module's tests: each logs in
    in a browser of its own (no cookie), and log-outs end only the sessions of their own log-in."""
    return shared(
        PMO_DEMO_ACCESS="0",
        PMO_ANONYMOUS="none",
        PMO_ACCOUNTS=str(accounts),
        PMO_AUDIT_LOG=str(accounts.parent / "audit.log"),
    )


def _session_ids(page) -> list[str]:
    """The Streamlit session ids the page's WebSocket connections were given, in order."""
    ids: list[str] = []

    def on_frame(payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            msg = ForwardMsg()
            try:
                msg.ParseFromString(payload)
            except Exception:
                return
            if msg.WhichOneof("type") == "new_session":
                ids.append(msg.new_session.initialize.session_id)

    page.on("websocket", lambda ws: ws.on("framereceived", on_frame))
    return ids


def _log_in(page, url: str, name: str, password: str = PASSWORD) -> None:
    page.goto(url)
    wait_for_app(page)
    form = page.locator("form.pmo-login")
    form.locator("input[name=identifiant]").fill(name)
    form.locator("input[name=mot_de_passe]").fill(password)
    form.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    wait_for_app(page)


def _sidebar(page):
    return page.locator("[data-testid='stSidebar']")


def _put_without_body(url: str, session_id: str) -> tuple[int, bytes]:
    """Announce a 50 MB upload and send none of it: the answer must come from the headers alone."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.putrequest("PUT", f"/_stcore/upload_file/{session_id}/{uuid.uuid4()}")
    connection.putheader("Content-Type", "multipart/form-data; boundary=x")
    connection.putheader("Content-Length", str(50_000_000))
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


def test_a_local_log_in_sets_a_strict_http_only_cookie_and_a_wrong_password_is_refused(secured_server, page, accounts):
    before = len(_events(accounts))
    _log_in(page, secured_server.url, STAFF, PASSWORD + "?")
    expect(page.get_by_text("Identifiant ou mot de passe incorrect.")).to_be_visible()
    assert not [c for c in page.context.cookies() if c["name"] == "pmo_session"]

    _log_in(page, secured_server.url, STAFF)
    expect(_sidebar(page)).to_contain_text(STAFF)
    expect(_sidebar(page)).to_contain_text("état-major")
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "pmo_session"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and not cookie["secure"]  # Secure under TLS
    assert page.evaluate("document.cookie").find("pmo_session") == -1, "no script of the page reads it"
    events = _events(accounts, before)
    assert ("login_failed", STAFF) in events and ("login", STAFF) in events


def test_log_out_in_one_tab_ends_the_others(secured_server, page, accounts):
    before = len(_events(accounts))
    _log_in(page, secured_server.url, VIEWER)
    other = page.context.new_page()
    other.goto(f"{secured_server.url}/about")
    wait_for_app(other)
    expect(_sidebar(other)).to_contain_text(VIEWER)

    _sidebar(page).get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()
    wait_for_app(page)
    expect(page.locator("form.pmo-login")).to_be_visible()

    # The other tab's next rerun (a click in its menu) finds the log-in ended.
    _sidebar(other).get_by_role("link", name="Carte des partenaires").click()
    wait_for_app(other)
    expect(other.locator("[data-testid='stMain']")).to_contain_text("Accès refusé", timeout=30_000)
    expect(other.locator("form.pmo-login")).to_be_visible()
    expect(_sidebar(other)).not_to_contain_text(VIEWER)
    assert other.locator(".js-plotly-plot").count() == 0
    assert ("logout", VIEWER) in _events(accounts, before)


def test_a_session_id_alone_gives_nothing(secured_server, page):
    ids = _session_ids(page)
    _log_in(page, secured_server.url, STAFF)
    page.goto(f"{secured_server.url}/import")
    wait_for_app(page)
    expect(page.locator("[data-testid='stFileUploader']")).to_be_visible()
    staff_session = ids[-1]

    async def take_over() -> tuple[str, list[str], list[str]]:
        intruder = Session(secured_server.url)
        await intruder.connect(resume=staff_session)
        try:
            await intruder.run()
            await intruder.run(page="import")
            elements = [m.delta.new_element for m in intruder.elements]
            kinds = [e.WhichOneof("type") for e in elements]
            texts = [getattr(getattr(e, kind), "body", "") for e, kind in zip(elements, kinds, strict=True)]
            return intruder.session_id, kinds, texts
        finally:
            await intruder.close()

    session_id, kinds, texts = outside_the_browser_loop(asyncio.run, take_over())
    assert session_id == staff_session, "Streamlit resumed the staff's session"
    assert "file_uploader" not in kinds and "plotly_chart" not in kinds
    assert any(text.startswith("Accès refusé") for text in texts), texts
    # Nor can the session id be used to upload into the staff's session.
    assert _put_without_body(secured_server.url, staff_session) == (403, REFUSED)


def test_uploads_are_refused_before_the_body_to_anonymous_and_viewer_sessions(secured_server, page):
    ids = _session_ids(page)
    page.goto(secured_server.url)
    wait_for_app(page)
    assert _put_without_body(secured_server.url, ids[-1]) == (403, REFUSED)

    _log_in(page, secured_server.url, VIEWER)
    assert _put_without_body(secured_server.url, ids[-1]) == (403, REFUSED)

    # A staff session, from its own browser (log-in and XSRF cookies), may upload.
    page.context.clear_cookies()
    _log_in(page, secured_server.url, STAFF)
    xsrf = next(c["value"] for c in page.context.cookies() if c["name"] == "_streamlit_xsrf")
    response = page.context.request.put(
        f"{secured_server.url}/_stcore/upload_file/{ids[-1]}/{uuid.uuid4()}",
        multipart={"file": {"name": "actions.csv", "mimeType": "text/csv", "buffer": b"identifiant;pays\nA1;SEN\n"}},
        headers={"X-Xsrftoken": xsrf},
    )
    assert response.status == 204, response.text()


@pytest.fixture
def proxied_server(shared, accounts):
    return shared(
        PMO_DEMO_ACCESS="0",
        PMO_ANONYMOUS="none",
        PMO_ACCOUNTS=str(accounts),
        PMO_AUDIT_LOG=str(accounts.parent / "audit.log"),
        PMO_TRUSTED_USER_HEADER="X-Remote-User",
    )


def test_a_trusted_sso_proxy_header_names_the_user_with_the_role_of_the_role_table(proxied_server, page, accounts):
    before = len(_events(accounts))
    # Every request of the page carries the proxy's header, its WebSocket included.
    page.set_extra_http_headers({"X-Remote-User": STAFF})
    page.goto(f"{proxied_server.url}/import")
    wait_for_app(page)
    expect(_sidebar(page)).to_contain_text(STAFF)
    expect(_sidebar(page)).to_contain_text("état-major")
    expect(page.locator("[data-testid='stFileUploader']")).to_be_visible()
    assert ("login", STAFF) in _events(accounts, before)
    # Without the header, the same browser gets the log-in form.
    page.set_extra_http_headers({})
    page.goto(proxied_server.url)
    wait_for_app(page)
    expect(page.locator("form.pmo-login")).to_be_visible()
