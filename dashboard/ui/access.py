"""Who is using the dashboard and what they may do.

Pages ask `current_user()` for the name to record in commit metadata and call
`require(role)` on the server at the moment of a guarded action (import,
restore); `require` records the refusal and stops the script with a French
message when the role is missing. `audit(event, ...)` records an import or a
restore with the user and the time.

Identity, in order: the demo setting (every role, said on every page); an
OpenID Connect log-in (`st.user`, when `[auth]` is in the secrets), whose role
comes from a claim or from the local role table; a local account logged in
through the form (its name kept in `st.session_state`, its role re-read from
the accounts file on every run, so a removed account is logged out); else an
anonymous visitor with the PMO_ANONYMOUS role.
"""

from __future__ import annotations

import runpy
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import streamlit as st

from dashboard import audit as audit_log
from dashboard.auth import ANONYMOUS, ROLES, AccountError, AccountStore, User, highest, oidc_name, role_from_claims
from dashboard.auth import role_label as _role_label
from dashboard.settings import settings

# The local account name of this browser session.
SESSION_KEY = "pmo_user"
# Events already recorded in this session (a rerun must not repeat an OpenID Connect log-in).
_RECORDED_KEY = "pmo_audit_recorded"
# The refusal shown by the previous run: a rerun of the same refused page (a click on its
# log-in form) is the same refusal, not a new one.
_LAST_REFUSAL_KEY = "pmo_last_refusal"
# Set while app.py runs the page it chose for the user's role; `refused` sets the list's item.
_ROUTED: ContextVar[bool] = ContextVar("pmo_routed", default=False)
_REFUSED_THIS_RUN: ContextVar[list[bool] | None] = ContextVar("pmo_refused_this_run", default=None)
# The keys that hold who the session is and what the audit log already has (kept when the rest is trimmed).
IDENTITY_KEYS = (SESSION_KEY, _RECORDED_KEY, _LAST_REFUSAL_KEY)


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


def _local_user() -> User | None:
    name = st.session_state.get(SESSION_KEY)
    if not name:
        return None
    try:
        role = account_store().role_of(name)
    except AccountError:
        role = None
    if role is None:
        # The account was removed (or the file is unreadable): the session ends.
        del st.session_state[SESSION_KEY]
        return None
    return User(name, role, "local")


def user() -> User:
    """The current user with their role (None when they may see nothing)."""
    config = settings()
    if config.demo_access:
        return User("démonstration", ROLES[-1], "demo")
    found = _oidc_user() or _local_user()
    if found is not None:
        if found.source == "oidc":
            _once(("login", found.name), "login", found, method="oidc")
        return found
    return User(ANONYMOUS.name, config.anonymous_role, "anonymous")


def current_user() -> str:
    """The name to record in commit metadata and in the audit log."""
    return user().name


def role() -> str | None:
    return user().role


def allowed(required: str) -> bool:
    return user().may(required)


def role_label(role_name: str | None) -> str:
    return _role_label(role_name)


def _once(key: tuple[str, ...], event: str, who: User, **details: Any) -> None:
    recorded = st.session_state.setdefault(_RECORDED_KEY, set())
    if key not in recorded:
        recorded.add(key)
        audit_log.record(event, who.name, who.role, **details)


def audit(event: str, **details: Any) -> None:
    """Record an event (import, restore, …) done by the current user, with the time."""
    who = user()
    audit_log.record(event, who.name, who.role, **details)


def refused(required: str, what: str) -> None:
    """Record a refusal, with the user, and show it in French.

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
        f"Accès refusé : {plain(what)} requiert le rôle {_role_label(required)} (ou supérieur). "
        f"Votre rôle : {_role_label(who.role)}.",
        icon=":material/block:",
    )


def require(role_name: str, what: str = "cette action") -> None:
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
            "Accès refusé : cette adresse ne passe pas par l'accueil du tableau de bord. "
            "Ouvrez le tableau de bord par son adresse d'accueil.",
            icon=":material/block:",
        )
        st.link_button("Ouvrir le tableau de bord", "./")
        st.stop()
