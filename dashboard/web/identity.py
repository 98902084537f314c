"""The browser's log-in cookie: who logged in locally, bound to the browser rather than to a Streamlit session.

The log-in route sets it after checking the password: HttpOnly (no script reads
it), SameSite=Strict (no other site's page sends it), Secure under TLS, signed
with the server's cookie secret (`server.cookieSecret`, the same on every
replica). It carries the account name and the account's generation: a log-out,
a password or role change raises the generation in the accounts file, and every
cookie issued before stops working at the next rerun of every tab; a removed
account has no cookie left that works. A Streamlit session id alone carries no
identity.
"""

from __future__ import annotations

import hashlib

from itsdangerous import BadSignature, URLSafeTimedSerializer

from dashboard.auth import Account, AccountError, AccountStore

COOKIE = "pmo_session"
# The key under which Streamlit hands the trusted SSO proxy's user header to `st.user`.
PROXY_USER_KEY = "pmo_proxy_user"
# A log-in lasts a working day at most.
MAX_AGE_SECONDS = 12 * 3600
_SALT = "pmo-local-login"


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=_SALT)


def issue(secret: str, account: Account) -> str:
    """The cookie's value for `account` now."""
    return _serializer(secret).dumps([account.name, account.generation])


def holder(store: AccountStore, secret: str, value: str | None) -> Account | None:
    """The account a cookie value stands for, if it is signed, recent and of the account's current generation."""
    if not value:
        return None
    try:
        name, generation = _serializer(secret).loads(value, max_age=MAX_AGE_SECONDS)
        account = store.get(str(name))
    except (BadSignature, ValueError, TypeError, AccountError):
        return None
    if account is None or account.password_hash is None or account.generation != generation:
        return None
    return account


def set_cookie(value: str, *, secure: bool) -> str:
    """The Set-Cookie header value that stores `value` in the browser."""
    flags = "; Secure" if secure else ""
    return f"{COOKIE}={value}; Path=/; Max-Age={MAX_AGE_SECONDS}; HttpOnly; SameSite=Strict{flags}"


def clear_cookie(*, secure: bool) -> str:
    flags = "; Secure" if secure else ""
    return f"{COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict{flags}"


def fingerprint(value: str) -> str:
    """A digest of a credential, kept instead of the credential itself."""
    return hashlib.sha256(value.encode()).hexdigest()
