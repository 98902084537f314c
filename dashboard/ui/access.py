"""Who is using the dashboard and what they may do.

Pages ask `current_user()` for the name to record in commit metadata and call
`require(role)` on the server at the moment of a guarded action (import,
restore); `require` records the refusal and stops the script with a French
message when the role is missing. `audit(event, ...)` records an import or a
restore with the user and the time.

Identity, in order: the demo setting (every role, said on every page); an
OpenID Connect log-in (`st.user`, when `[auth]` is in the secrets), whose role
comes from a claim or from the local role table; the user name a trusted SSO
proxy puts in the PMO_TRUSTED_USER_HEADER header (Streamlit's
`server.trustedUserHeaders` hands it to `st.user`), with the role of the local
role table; a local account logged in through the server's log-in route, whose
signed cookie every rerun checks against the accounts file (`dashboard.web.identity`:
a log-out, a password or role change, a removal end it at once); else an
anonymous visitor with the PMO_ANONYMOUS role. Nothing of the identity lives in
the Streamlit session: its id alone gives nothing.

Each rerun also grants its session the upload of files, or takes it back
(`dashboard.web.uploads`), bound to the credential the browser showed.
"""

from __future__ import annotations

import runpy
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import streamlit as st
from starlette.datastructures import Headers

from dashboard import audit as audit_log
from dashboard.auth import ANONYMOUS, ROLES, AccountError, AccountStore, User, highest, oidc_name, role_from_claims
from dashboard.auth import role_label as _role_label
from dashboard.i18n import N_, _
from dashboard.settings import server_settings, settings
from dashboard.web import identity
from dashboard.web.uploads import PERMITS, Credential, presented

# The role the import needs; the upload of files goes with it.
IMPORT_ROLE = "staff"
# Streamlit's OpenID Connect cookie (in numbered chunks when large).
OIDC_COOKIE = "_streamlit_user"
# Events already recorded in this session (a rerun must not repeat an OpenID Connect log-in).
_RECORDED_KEY = "pmo_audit_recorded"
# The refusal shown by the previous run: a rerun of the same refused page (a click on its
# log-in form) is the same refusal, not a new one.
_LAST_REFUSAL_KEY = "pmo_last_refusal"
# Set while app.py runs the page it chose for the user's role; `refused` sets the list's item.
_ROUTED: ContextVar[bool] = ContextVar("pmo_routed", default=False)
_REFUSED_THIS_RUN: ContextVar[list[bool] | None] = ContextVar("pmo_refused_this_run", default=None)
# The keys that hold what the audit log already has of this session (kept when the rest is trimmed).
IDENTITY_KEYS = (_RECORDED_KEY, _LAST_REFUSAL_KEY)


@st.cache_resource(show_spinner=False)
def _account_store(path: str) -> AccountStore:
    return AccountStore(path)


def account_store() -> AccountStore:
    return _account_store(settings().accounts_path)


def oidc_configured() -> bool:
    """Whether an OpenID Connect provider is configured (`[auth]` in the secrets)."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False
    except Exception:  # an unreadable secrets file means no OIDC, not a crash
        return False


def _oidc_user() -> User | None:
    if not oidc_configured() or not st.user.get("is_logged_in"):
        return None
    claims = st.user.to_dict()
    name = oidc_name(claims)
    config = settings()
    claim_role = role_from_claims(claims, config.oidc_role_claim, config.oidc_roles)
    try:
        table_role = account_store().role_of(name)
    except AccountError:
        table_role = None
    return User(name, highest([claim_role, table_role, config.anonymous_role]), "oidc")


def cookie_secret() -> str:
    """The key that signs the log-in cookie: Streamlit's cookie secret (set it alike on every replica)."""
    return str(st.get_option("server.cookieSecret"))


def browser_cookie(name: str) -> str | None:
    """A cookie of the browser, as its WebSocket connection presented it."""
    return st.context.cookies.get(name)


def _local_user() -> User | None:
    account = identity.holder(account_store(), cookie_secret(), browser_cookie(identity.COOKIE))
    return User(account.name, account.role, "local") if account else None


def _proxy_user() -> User | None:
    if server_settings().trusted_user_header is None:
        return None
    name = st.user.get(identity.PROXY_USER_KEY)
    if not isinstance(name, str) or not name.strip():
        return None
    name = name.strip()
    try:
        role = account_store().role_of(name)
    except AccountError:
        role = None
    return User(name, highest([role, settings().anonymous_role]), "proxy")


def user() -> User:
    """The current user with their role (None when they may see nothing)."""
    config = settings()
    if config.demo_access:
        return User("démonstration", ROLES[-1], "demo")
    found = _oidc_user() or _proxy_user() or _local_user()
    if found is not None:
        if found.source in ("oidc", "proxy"):
            _once(("login", found.name), "login", found, method=found.source)
        return found
    return User(ANONYMOUS.name, config.anonymous_role, "anonymous")


def _credential(who: User) -> Credential | None:
    """How this browser proves `who`: the cookie or header the identity came from."""
    if who.source == "demo":
        return Credential("open")
    if who.source == "local":
        return Credential.of("cookie", identity.COOKIE, browser_cookie(identity.COOKIE))
    if who.source == "oidc":
        cookies = st.context.cookies.to_dict()
        return Credential.of("cookie", OIDC_COOKIE, presented("cookie", OIDC_COOKIE, cookies, Headers()))
    if who.source == "proxy":
        header = server_settings().trusted_user_header or ""
        return Credential.of("header", header, st.context.headers.get(header))
    return None


def _session_id() -> str | None:
    """This session's id, as it appears in its upload addresses. Streamlit has no public API for it: the one
    use of its script-run context (tests/test_browser_uploads.py fails if it changes)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else None


def grant_uploads(who: User) -> None:
    """Let this session upload files if its user may import; else take the permission back."""
    session_id = _session_id()
    if session_id is None:
        return
    credential = _credential(who) if who.may(IMPORT_ROLE) else None
    if credential is None:
        PERMITS.revoke(session_id)
    else:
        PERMITS.grant(session_id, credential)


def current_user() -> str:
    """The name to record in commit metadata and in the audit log."""
    return user().name


def role() -> str | None:
    return user().role


def allowed(required: str) -> bool:
    return user().may(required)


def role_label(role_name: str | None) -> str:
    """A role in the language of the page: `état-major`, `staff officer`."""
    return _(_role_label(role_name))


def _once(key: tuple[str, ...], event: str, who: User, **details: Any) -> None:
    recorded = st.session_state.setdefault(_RECORDED_KEY, set())
    if key not in recorded:
        recorded.add(key)
        audit_log.record(event, who.name, who.role, **details)


def audit(event: str, **details: Any) -> None:
    """Record an event (import, restore, …) done by the current user, with the time."""
    who = user()
    audit_log.record(event, who.name, who.role, **details)


def refused(required: str, what: str, shown: str | None = None) -> None:
    """Record a refusal, with the user (`what`, in French, in the audit log), and show it in the language of the
    page (`shown`, or `what` translated).

    Every refusal is recorded: each time a page is opened that the user may not open, each
    guarded action tried, whoever the user. Only the reruns of a page that stays refused
    (its log-in form submitted, a widget touched) add no line.
    """
    who = user()
    key = (who.name, who.role, required, what)
    if st.session_state.get(_LAST_REFUSAL_KEY) != key:
        audit_log.record("refused", who.name, who.role, required=required, what=what)
    st.session_state[_LAST_REFUSAL_KEY] = key
    if (this_run := _REFUSED_THIS_RUN.get()) is not None:
        this_run.append(True)
    from dashboard.ui.layout import plain

    st.error(
        _("Accès refusé : {what} requiert le rôle {required} (ou supérieur). Votre rôle : {role}.").format(
            what=plain(shown if shown is not None else _(what)),
            required=role_label(required),
            role=role_label(who.role),
        ),
        icon=":material/block:",
    )


def require(role_name: str, what: str = N_("cette action")) -> None:
    """Stop the script with a refusal unless the current user has `role_name` (checked on the server, now)."""
    if role_name not in ROLES:
        raise ValueError(f"rôle inconnu : {role_name}")
    if not allowed(role_name):
        refused(role_name, what)
        st.stop()


@contextmanager
def routed() -> Iterator[None]:
    """app.py runs the page of the navigation inside this: the page's guard() lets it through.

    A run that shows no refusal ends the previous one: opening the refused page again is a new refusal.
    """
    token = _ROUTED.set(True)
    this_run: list[bool] = []
    run_token = _REFUSED_THIS_RUN.set(this_run)
    try:
        yield
    finally:
        _REFUSED_THIS_RUN.reset(run_token)
        _ROUTED.reset(token)
        if not this_run:
            st.session_state.pop(_LAST_REFUSAL_KEY, None)


def guard() -> None:
    """First line of every page: stop unless app.py chose this page for the user's role.

    With a `pages/` folder beside the entry script, a freshly started Streamlit
    runs its first session in its old multipage mode, until app.py has called
    `st.navigation` once: an address such as `/country` then runs
    `pages/country.py` by itself, without identity, role or marking. The page
    URLs are the script names so that this first run finds the page (instead
    of showing "Page not found"); here it leaves that mode and runs
    app.py instead, which routes the request with the role checks. Any other run that
    does not come through app.py is refused.
    """
    if not _ROUTED.get():
        from streamlit.runtime.pages_manager import PagesManager

        if PagesManager.uses_pages_directory:
            PagesManager.uses_pages_directory = False
            # Run the entry script in this same run (not st.rerun(), which would drop a button click).
            runpy.run_path(str(Path(__file__).resolve().parents[2] / "app.py"), run_name="__main__")
            st.stop()
        st.error(
            _(
                "Accès refusé : cette adresse ne passe pas par l'accueil du tableau de bord. "
                "Ouvrez le tableau de bord par son adresse d'accueil."
            ),
            icon=":material/block:",
        )
        st.link_button(_("Ouvrir le tableau de bord"), "./")
        st.stop()
