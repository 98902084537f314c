"""Log-in form, log-out and refusal page (the marking and banners are in `ui.marking`)."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from dashboard import audit
from dashboard.audit import Repeats
from dashboard.auth import MAX_NAME_LENGTH, MAX_PASSWORD_LENGTH, AccountError, Throttle, User, log_in, role_label
from dashboard.ui import access
from dashboard.ui.marking import DEMO_ACCESS_NOTICE
from dashboard.ui.navigation import PAGES, PageSpec, allowed

ACCOUNT_URL = "connexion"


def sidebar(user: User) -> None:
    """Who is logged in, with their role, and the log-out button."""
    with st.sidebar:
        st.divider()
        if user.logged_in:
            st.text(f"{user.name}\n{role_label(user.role)}", help="Utilisateur connecté et rôle")
            if st.button("Se déconnecter", icon=":material/logout:", key="pmo_logout"):
                logout(user)
        elif user.source == "demo":
            st.caption("Accès de démonstration : tous les rôles.")
        else:
            st.caption(f"Non connecté ({role_label(user.role)}).")


def logout(user: User) -> None:
    """End the session: OIDC through Streamlit (cookie and provider), local by forgetting the name."""
    audit.record("logout", user.name, user.role, method=user.source)
    st.session_state.pop(access.SESSION_KEY, None)
    if user.source == "oidc":
        st.logout()
        return
    home = _home()
    st.switch_page(st.Page(_landing, title="Accueil", url_path=home.url_path if home else ACCOUNT_URL))


@st.cache_resource(show_spinner=False)
def _throttle() -> tuple[Throttle, Repeats]:
    """The server's log-in throttle and its series of failures (shared by every session)."""
    return Throttle(), Repeats("login_failed")


def write_failures() -> None:
    """Write the series of failed log-ins still counting, so that the audit log shows them all now."""
    _throttle()[1].flush()


def client() -> str:
    """The address the request came from, for the per-client throttle and the audit log."""
    return st.context.ip_address or "inconnue"


def _home() -> PageSpec | None:
    """The page a user lands on after logging in: the default page if they may open it, else the first one."""
    permitted = allowed(PAGES, access.role())
    return next((s for s in permitted if s.default), permitted[0] if permitted else None)


def _landing() -> None:  # pragma: no cover - never run: stands for a page registered under the same URL
    pass


def login_form(*, go_home: bool) -> None:
    """OpenID Connect button when configured, and the local account form."""
    oidc = access.oidc_configured()
    if oidc and st.button(
        "Se connecter avec l'annuaire", type="primary", icon=":material/badge:", key="pmo_oidc_login"
    ):
        st.login()
    store = access.account_store()
    try:
        has_accounts = bool(store.accounts())
    except AccountError as error:
        st.error(str(error))
        return
    if not has_accounts:
        if not oidc:
            st.info(
                "Aucun compte local n'existe encore. Un administrateur crée le premier compte sur le serveur :\n\n"
                "`python -m dashboard.accounts add NOM --role admin`",
                icon=":material/person_add:",
            )
        return
    with st.form("pmo_login", border=True):
        st.subheader("Compte local", anchor=False)
        name = st.text_input("Identifiant", autocomplete="username", max_chars=MAX_NAME_LENGTH)
        password = st.text_input(
            "Mot de passe", type="password", autocomplete="current-password", max_chars=MAX_PASSWORD_LENGTH
        )
        submitted = st.form_submit_button("Se connecter", type="primary")
    if not submitted:
        return
    attempt = log_in(store, *_throttle(), name, password, client())
    if attempt.account is None:
        st.error(attempt.message)
        return
    account = attempt.account
    st.session_state[access.SESSION_KEY] = account.name
    home = _home() if go_home else None
    if home is not None:
        st.switch_page(st.Page(_landing, title=home.title, url_path=home.url_path))
    st.rerun()


def account_page(user: User) -> Callable[[bool], st.Page]:
    """The "Connexion" page: the log-in form, or who is logged in."""

    def connexion() -> None:
        st.title("Connexion", anchor=False)
        if user.logged_in:
            st.text(f"Connecté : {user.name} — {role_label(user.role)}.")
            if user.role is None:
                st.warning(
                    "Ce compte n'a aucun rôle sur le tableau de bord : demander un rôle à un administrateur.",
                    icon=":material/block:",
                )
            return
        if user.source == "demo":
            st.info(DEMO_ACCESS_NOTICE)
            return
        st.caption("Le tableau de bord est réservé aux personnes autorisées. Identifiez-vous.")
        login_form(go_home=True)

    def make(default: bool) -> st.Page:
        return st.Page(
            connexion,
            title="Connexion",
            icon=":material/login:",
            url_path=ACCOUNT_URL,
            default=default,
            visibility="hidden" if user.logged_in or user.source == "demo" else "visible",
        )

    return make


def refusal(spec: PageSpec) -> Callable[[], None]:
    """What a page's URL shows to a role that may not open it: a refusal, recorded, and the log-in form."""

    def refused() -> None:
        st.title(spec.title, anchor=False)
        access.refused(spec.role, f"la page « {spec.title} »")
        if not access.user().logged_in:
            login_form(go_home=False)

    refused.__name__ = f"refus_{spec.url_path.replace('-', '_')}"
    return refused
