"""Log-in form, log-out and refusal page (the marking and banners are in `ui.marking`)."""

from __future__ import annotations

import html
from collections.abc import Callable

import streamlit as st

from dashboard import audit
from dashboard.auth import MAX_NAME_LENGTH, MAX_PASSWORD_LENGTH, AccountError, User, role_label
from dashboard.i18n import _
from dashboard.ui import access
from dashboard.ui.marking import DEMO_ACCESS_NOTICE
from dashboard.ui.navigation import PageSpec
from dashboard.web import account_routes
from dashboard.web.account_routes import LOGIN_PATH, LOGOUT_PATH, REFUSALS

ACCOUNT_URL = "connexion"


def sidebar(user: User) -> None:
    """Who is logged in, with their role, and the log-out button."""
    with st.sidebar:
        st.divider()
        if user.logged_in:
            st.text(f"{user.name}\n{_(role_label(user.role))}", help=_("Utilisateur connecté et rôle"))
            if user.source == "local":
                # A form the browser posts to the server, which ends the log-in cookie (every tab, every browser).
                st.html(
                    f'<form method="post" action="{LOGOUT_PATH}" class="pmo-logout">'
                    f'<button type="submit">{html.escape(_("Se déconnecter"))}</button></form>' + FORM_CSS
                )
            elif user.source == "proxy":
                st.caption(_("Identité transmise par le portail d'authentification."))
            elif st.button(_("Se déconnecter"), icon=":material/logout:", key="pmo_logout"):
                logout(user)
        elif user.source == "demo":
            st.caption(_("Accès de démonstration : tous les rôles."))
        else:
            st.caption(_("Non connecté ({role}).").format(role=_(role_label(user.role))))


def logout(user: User) -> None:
    """End an OpenID Connect log-in through Streamlit (its cookie and the provider's session)."""
    audit.record("logout", user.name, user.role, method=user.source)
    st.logout()


FORM_CSS = """<style>
.pmo-login { display: grid; gap: 0.35rem; max-width: 24rem; padding: 1rem; border: 1px solid #d5d9e0;
  border-radius: 0.5rem; }
.pmo-login label { font-size: 0.875rem; }
.pmo-login input { font: inherit; padding: 0.45rem 0.6rem; border: 1px solid #c3c8d1; border-radius: 0.4rem;
  background: #f0f2f6; }
.pmo-login button, .pmo-logout button { font: inherit; justify-self: start; margin-top: 0.5rem;
  padding: 0.4rem 0.9rem; border-radius: 0.5rem; cursor: pointer; }
.pmo-login button { color: #fff; background: #1f3d7a; border: 1px solid #1f3d7a; }
.pmo-logout button { color: inherit; background: #fff; border: 1px solid #c3c8d1; }
</style>"""


def write_failures() -> None:
    """Write the series of failed log-ins still counting, so that the audit log shows them all now."""
    account_routes.FAILURES.flush()


def login_form(page: str = "") -> None:
    """OpenID Connect button when configured, and the local account form, which the browser posts to the server
    (it sets the log-in cookie and comes back to `page`, the url path of this page, "" for the home page)."""
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
    refusal = REFUSALS.get(str(st.query_params.get("refus", "")))
    if refusal:
        st.error(refusal)
    st.html(
        f'<form method="post" action="{LOGIN_PATH}" class="pmo-login" aria-label="Compte local">'
        "<strong>Compte local</strong>"
        '<label for="pmo-identifiant">Identifiant</label>'
        f'<input id="pmo-identifiant" name="identifiant" autocomplete="username" required '
        f'maxlength="{MAX_NAME_LENGTH}">'
        '<label for="pmo-mot-de-passe">Mot de passe</label>'
        '<input id="pmo-mot-de-passe" name="mot_de_passe" type="password" autocomplete="current-password" '
        f'required maxlength="{MAX_PASSWORD_LENGTH}">'
        f'<input type="hidden" name="page" value="{html.escape(page)}">'
        '<button type="submit">Se connecter</button></form>' + FORM_CSS
    )


def account_page(user: User) -> Callable[[bool], st.Page]:
    """The "Connexion" page: the log-in form, or who is logged in."""

    def connexion() -> None:
        st.title(_("Connexion"), anchor=False)
        if user.logged_in:
            st.text(_("Connecté : {name} — {role}.").format(name=user.name, role=_(role_label(user.role))))
            if user.role is None:
                st.warning(
                    "Ce compte n'a aucun rôle sur le tableau de bord : demander un rôle à un administrateur.",
                    icon=":material/block:",
                )
            return
        if user.source == "demo":
            st.info(_(DEMO_ACCESS_NOTICE))
            return
        st.caption(_("Le tableau de bord est réservé aux personnes autorisées. Identifiez-vous."))
        login_form()

    def make(default: bool) -> st.Page:
        return st.Page(
            connexion,
            title=_("Connexion"),
            icon=":material/login:",
            url_path=ACCOUNT_URL,
            default=default,
            visibility="hidden" if user.logged_in or user.source == "demo" else "visible",
        )

    return make


def refusal(spec: PageSpec) -> Callable[[], None]:
    """What a page's URL shows to a role that may not open it: a refusal, recorded, and the log-in form."""

    def refused() -> None:
        st.title(_(spec.title), anchor=False)
        access.refused(spec.role, f"la page « {spec.title} »", _("la page « {title} »").format(title=_(spec.title)))
        if not access.user().logged_in:
            login_form(spec.url_path)

    refused.__name__ = f"refus_{spec.url_path.replace('-', '_')}"
    return refused
