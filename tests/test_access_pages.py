"""Each page opened with each role (AppTest, local accounts presenting the server's signed log-in cookie).

A page's address is its script hash (Streamlit hashes the url_path): a page
opened, then the session's role lowered, is exactly a forbidden address
typed by hand. The log-in and log-out routes themselves are covered by
tests/test_browser_identity.py, the OIDC log-in by tests/test_browser_oidc.py.
"""

from __future__ import annotations

import html

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import audit
from dashboard.auth import ROLE_LABELS, ROLES, AccountStore, allows
from dashboard.ui.marking import DEMO_ACCESS_NOTICE
from dashboard.ui.navigation import PAGES, allowed
from tests.conftest import ROOT

PASSWORD = "un mot de passe assez long"
USERS = {"viewer": "cdt.martin", "analyst": "cne.durand", "staff": "adj.leroy", "admin": "col.bernard"}


@pytest.fixture(scope="module")
def accounts_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("accounts") / "accounts.json"
    store = AccountStore(path)
    for role, name in USERS.items():
        store.add(name, role, PASSWORD)
    return path


@pytest.fixture
def secured(demo_store, accounts_file, monkeypatch, tmp_path, signed_in):
    """No demo access, no anonymous access, the four accounts; returns the audit log path."""
    monkeypatch.delenv("PMO_DEMO_ACCESS")
    monkeypatch.setenv("PMO_ANONYMOUS", "none")
    monkeypatch.setenv("PMO_ACCOUNTS", str(accounts_file))
    global _sign_in
    _sign_in = signed_in
    return tmp_path / "audit.log"


def _sign_in(name: str | None) -> None:
    """The browser presents the log-in cookie of `name` (None: none); set by the `secured` fixture."""
    raise AssertionError("use the secured fixture")


def _app(user: str = "") -> AppTest:
    _sign_in(user or None)
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)


def _login_form(at: AppTest) -> bool:
    return any('class="pmo-login"' in h.proto.body for h in at.get("html"))


def _markings(at: AppTest) -> list[str]:
    """Where the marking stands on the page: "haut" (top) and "bas" (bottom, fixed)."""
    bodies = " ".join(h.proto.body for h in at.get("html"))
    return [where for where in ("haut", "bas") if f"pmo-marking-{where}" in bodies and "NON PROTÉGÉ" in bodies]


def _demo_access_notice(at: AppTest) -> bool:
    """Whether the page carries the notice that every role is granted without identification."""
    return any(html.escape(DEMO_ACCESS_NOTICE) in h.proto.body for h in at.get("html"))


def _refused(at: AppTest) -> bool:
    return any("Accès refusé" in e.value for e in at.error)


def _open(spec, role: str | None) -> AppTest:
    """The page as `role` would get it by its address (a page's address is its file's name, which is how the
    first run knows the page)."""
    at = _app(USERS.get(role) or "").switch_page(spec.script)
    return at.run()


@pytest.mark.parametrize("role", [None, *ROLES])
@pytest.mark.parametrize("spec", PAGES, ids=[s.url_path for s in PAGES])
def test_each_page_opens_for_the_roles_that_may_use_it_and_refuses_the_others(secured, spec, role):
    at = _open(spec, role)
    assert not at.exception, at.exception
    assert _markings(at) == ["haut", "bas"], "the marking stands at the top and the bottom"
    if allows(role, spec.role):
        assert not _refused(at), [e.value for e in at.error]
        assert not any(t.value == "Connexion" for t in at.title)
    else:
        assert _refused(at)
        assert [t.value for t in at.title] == [spec.title]
        # Nothing of the page itself: no figure, table, figure card or upload.
        for kind in ("plotly_chart", "arrow_data_frame", "metric", "file_uploader"):
            assert not at.get(kind), kind
        entries = [e for e in audit.read(secured) if e["event"] == "refused"]
        assert entries[-1]["user"] == USERS.get(role, "anonyme")
        assert spec.title in entries[-1]["what"]
        if role is None:
            assert _login_form(at), "an anonymous visitor is offered the log-in form"


@pytest.mark.parametrize("role", [None, *ROLES])
def test_the_menu_lists_only_the_pages_of_the_role(role):
    titles = [s.title for s in allowed(PAGES, role)]
    expected = [s.title for s in PAGES if role and ROLES.index(role) >= ROLES.index(s.role)]
    assert titles == expected
    if role is None:
        assert titles == []
    if role == "viewer":
        assert "Importer des données" not in titles


def test_the_import_needs_staff_and_the_history_at_least_staff():
    roles = {s.script: s.role for s in PAGES}
    assert roles["pages/import.py"] == "staff"
    assert roles["pages/history.py"] in ("staff", "admin")
    assert all(
        role == "viewer" for script, role in roles.items() if script not in ("pages/import.py", "pages/history.py")
    )


def test_a_fresh_visitor_gets_the_login_form_and_no_data(secured):
    at = _app().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Connexion"]
    assert _login_form(at)
    assert not at.get("plotly_chart") and not at.get("metric")
    assert _markings(at) == ["haut", "bas"]


def test_a_refused_login_says_why_in_french(secured):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    _sign_in(None)
    at.query_params["refus"] = "incorrect"
    at.run()
    assert [e.value for e in at.error] == ["Identifiant ou mot de passe incorrect."]


def test_every_refusal_is_recorded_with_its_user(secured):
    """Anonymous then analyst: each opening of the import page is one line naming who was refused."""
    import_page = next(s for s in PAGES if s.url_path == "import")
    at = _open(import_page, None)
    at.run()  # a rerun of the same refused page is the same refusal
    # The analyst logs in on the refused page, which stays refused (1), then opens it 9 more times.
    _sign_in(USERS["analyst"])
    assert _refused(at.run())
    for _ in range(9):
        # Another page, then the import page's address typed again (see _open).
        _sign_in(USERS["admin"])
        at.switch_page("pages/overview.py").run()
        at.switch_page(import_page.script)
        _sign_in(USERS["analyst"])
        assert _refused(at.run())
    refusals = [(e["user"], e["role"]) for e in audit.read(secured) if e["event"] == "refused"]
    assert refusals == [("anonyme", None)] + [(USERS["analyst"], "analyst")] * 10
    assert all(e["what"] == "la page « Importer des données »" for e in audit.read(secured) if e["event"] == "refused")


def test_a_removed_account_loses_its_session_at_the_next_run(secured, accounts_file, tmp_path, monkeypatch):
    path = tmp_path / "own-accounts.json"
    path.write_bytes(accounts_file.read_bytes())
    monkeypatch.setenv("PMO_ACCOUNTS", str(path))
    at = _app(USERS["admin"]).run()
    assert not _refused(at)
    AccountStore(path).remove(USERS["admin"])
    at.run()
    assert _refused(at)
    assert not at.get("plotly_chart") and not at.get("metric")


def test_anonymous_viewers_when_the_setting_allows_them(secured, monkeypatch):
    monkeypatch.setenv("PMO_ANONYMOUS", "viewer")
    at = _app().run()
    assert not at.exception
    assert not _refused(at) and [t.value for t in at.title] != ["Connexion"]
    assert not _demo_access_notice(at)


def test_the_demo_access_says_so_on_every_page(demo_store):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    for spec in PAGES:
        at.switch_page(spec.script).run()
        assert not at.exception, (spec.script, at.exception)
        assert _demo_access_notice(at), spec.script
        assert _markings(at) == ["haut", "bas"]


def test_require_stops_the_action_with_a_french_refusal_and_records_it(secured):
    def guarded() -> None:
        import streamlit as st

        from dashboard.ui import access

        access.require("staff", "l'import de données")
        st.text("importé")

    at = AppTest.from_function(guarded, default_timeout=30)
    _sign_in(USERS["analyst"])
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] and "l'import de données" in at.error[0].value.replace("\\\\", "")
    assert not any(t.value == "importé" for t in at.text)
    assert audit.read(secured)[-1]["event"] == "refused"

    _sign_in(USERS["staff"])
    at.run()
    assert any(t.value == "importé" for t in at.text)


def test_an_import_through_the_page_is_recorded_with_the_user_and_the_time(secured, empty_store):
    from tests.test_hardening import PAYLOADS, _actions_file

    at = _app(USERS["staff"]).run()
    at.switch_page("pages/import.py").run()
    at.file_uploader(key="import_file_0").set_value(("injections.csv", _actions_file(), "text/csv")).run()
    assert not at.exception, at.exception
    at.button(key="import_commit").click().run()
    assert not at.exception, at.exception
    assert empty_store.read("actions").num_rows == len(PAYLOADS)  # one row per payload
    imports = [e for e in audit.read(secured) if e["event"] == "import"]
    assert len(imports) == 1
    assert imports[0]["user"] == USERS["staff"] and imports[0]["role"] == "staff" and imports[0]["time"]
    assert imports[0]["file"] == "injections.csv"


OIDC_SECRETS = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "un-secret-de-test-assez-long",
    "client_id": "pmo",
    "client_secret": "secret",
    "server_metadata_url": "http://localhost:1/.well-known/openid-configuration",
}


def _oidc_app(claims: dict) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.secrets["auth"] = OIDC_SECRETS
    at.user = {"is_logged_in": True, **claims}
    return at


@pytest.mark.parametrize(
    ("claims", "table", "role"),
    [
        ({"email": "chef@terre.fr", "groups": ["pmo-emt"]}, None, "staff"),
        ({"email": "chef@terre.fr", "groups": "PMO-EMT autre"}, None, "staff"),
        ({"email": "chef@terre.fr", "groups": ["autre"]}, "admin", "admin"),
        ({"email": "chef@terre.fr", "groups": ["pmo-emt"]}, "viewer", "staff"),
        ({"email": "chef@terre.fr", "groups": ["autre"]}, None, None),
    ],
)
def test_an_oidc_user_gets_the_highest_of_the_claim_role_and_the_role_table(
    secured, accounts_file, tmp_path, monkeypatch, claims, table, role
):
    monkeypatch.setenv("PMO_OIDC_ROLE_CLAIM", "groups")
    monkeypatch.setenv("PMO_OIDC_ROLES", "pmo-emt=staff")
    path = tmp_path / "oidc-accounts.json"
    if table:
        AccountStore(path).add("chef@terre.fr", table, None)
    monkeypatch.setenv("PMO_ACCOUNTS", str(path))
    at = _oidc_app(claims).run()
    assert not at.exception, at.exception
    assert any("chef@terre.fr" in t.value for t in [*at.sidebar.text, *at.text])
    if role is None:
        assert [t.value for t in at.title] == ["Connexion"]
        assert any("aucun rôle" in w.value for w in at.warning)
    else:
        assert [t.value for t in at.title] != ["Connexion"]
        assert any(ROLE_LABELS[role] in t.value for t in at.sidebar.text)
    logins = [e for e in audit.read(secured) if e["event"] == "login"]
    assert logins[-1]["user"] == "chef@terre.fr" and logins[-1]["role"] == role and logins[-1]["method"] == "oidc"


def test_with_oidc_configured_the_login_page_offers_the_directory(secured):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.secrets["auth"] = OIDC_SECRETS
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception
    assert any(b.label == "Se connecter avec l'annuaire" for b in at.button)


def test_in_english_a_refusal_is_told_in_english_and_recorded_in_french(secured):
    import_page = next(s for s in PAGES if s.url_path == "import")
    at = _app(USERS["admin"])
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page(import_page.script)
    _sign_in(USERS["analyst"])
    at.run()
    assert [t.value for t in at.title] == ["Import data"]
    assert [e.value for e in at.error] == [
        "Access refused: the page “Import data” requires the role staff officer (or higher). Your role: analyst."
    ]
    entries = [e for e in audit.read(secured) if e["event"] == "refused"]
    assert entries[-1]["what"] == "la page « Importer des données »"
