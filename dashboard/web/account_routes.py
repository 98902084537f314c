"""The local log-in and log-out, as routes of the server: the only places the log-in cookie is set or ended.

`POST /account/login` takes the log-in form of the page (fields identifiant,
mot_de_passe, page), checks it as before (bounds, throttle, argon2, audit:
`dashboard.auth.log_in`), sets the cookie and sends the browser back to the page;
a refusal goes back with `?refus=<reason>`, which the page says in French.
`POST /account/logout` raises the account's generation, which ends the log-in in
every tab and browser at their next rerun, and clears the cookie. Both refuse a
form posted from another site (its Origin is not this host).
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Callable
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from dashboard import audit
from dashboard.audit import Repeats
from dashboard.auth import AccountError, AccountStore, Throttle, log_in
from dashboard.settings import settings
from dashboard.web import identity

LOGIN_PATH = "/account/login"
LOGOUT_PATH = "/account/logout"
# The page's own address (a url path of the navigation), never another site's.
_PAGE = re.compile(r"[a-z0-9_-]{0,64}")
# Why a log-in was refused, as the page reads it back from `?refus=`.
REFUSALS = {
    "incorrect": "Identifiant ou mot de passe incorrect.",
    "long": "Identifiant ou mot de passe trop long.",
    "attente": "Trop d'essais : réessayer dans un moment.",
}

# A name of 64 characters and a password of 256, URL-encoded (up to 9 bytes each), and the page.
FORM_LIMIT = 4096
# The server's log-in throttle and its series of failures, shared by every browser.
THROTTLE = Throttle()
FAILURES = Repeats("login_failed")


@functools.lru_cache(maxsize=4)
def _store(path: str) -> AccountStore:
    return AccountStore(path)


def account_store() -> AccountStore:
    return _store(settings().accounts_path)


def _same_origin(request: Request) -> bool:
    """Whether the form was posted by a page of this server. Browsers say where a request comes from in
    Sec-Fetch-Site; under our `Referrer-Policy: no-referrer` their Origin header reads "null"."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site == "same-origin"
    origin = request.headers.get("origin")
    return origin is None or origin.split("://", 1)[-1] == request.headers.get("host")


async def _small_form(request: Request) -> dict[str, list[str]] | None:
    """The posted form's fields, or None past FORM_LIMIT bytes: read no further than a log-in form can be."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > FORM_LIMIT:
            return None
    try:
        return parse_qs(body.decode("utf-8", errors="replace"), max_num_fields=4)
    except ValueError:  # more fields than the form has
        return None


def _client(request: Request) -> str:
    return request.client.host if request.client else "inconnue"


def _refusal(message: str) -> str:
    if message.startswith("Trop d'essais"):
        return "attente"
    return "long" if "trop long" in message else "incorrect"


def routes(secret: Callable[[], str]) -> list[Route]:
    """The two routes, signing with `secret()` (Streamlit's `server.cookieSecret`, read when they are called)."""

    async def login(request: Request) -> Response:
        if not _same_origin(request):
            return PlainTextResponse("Connexion refusée : formulaire venu d'un autre site.", status_code=403)
        form = await _small_form(request)
        if form is None:
            return PlainTextResponse("Connexion refusée : formulaire trop long.", status_code=400)
        name, password, page = (form.get(key, [""])[0] for key in ("identifiant", "mot_de_passe", "page"))
        page = page if _PAGE.fullmatch(page) else ""
        attempt = await run_in_threadpool(log_in, account_store(), THROTTLE, FAILURES, name, password, _client(request))
        if attempt.account is None:
            return RedirectResponse(f"/{page}?refus={_refusal(attempt.message)}", status_code=303)
        response = RedirectResponse(f"/{page}", status_code=303)
        value = identity.issue(secret(), attempt.account)
        response.headers.append("set-cookie", identity.set_cookie(value, secure=request.url.scheme == "https"))
        return response

    async def logout(request: Request) -> Response:
        if not _same_origin(request):
            return PlainTextResponse("Déconnexion refusée : formulaire venu d'un autre site.", status_code=403)
        store = account_store()
        account = identity.holder(store, secret(), request.cookies.get(identity.COOKIE))
        if account is not None:
            # Removed meanwhile: no cookie of it works any more.
            with contextlib.suppress(AccountError):
                await run_in_threadpool(store.end_sessions, account.name)
            audit.record("logout", account.name, account.role, method="local", client=_client(request))
        response = RedirectResponse("/", status_code=303)
        response.headers.append("set-cookie", identity.clear_cookie(secure=request.url.scheme == "https"))
        return response

    return [Route(LOGIN_PATH, login, methods=["POST"]), Route(LOGOUT_PATH, logout, methods=["POST"])]
