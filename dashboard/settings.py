"""Deployment settings, read from environment variables with safe defaults.

| variable | meaning | default |
|---|---|---|
| PMO_STORE | store root: a folder or an S3 URI | data/store |
| PMO_DEMO | fill a new store with the demo data (1) or leave it empty (0) | 1 |
| PMO_MARKING | classification marking on every page and export | NON PROTÉGÉ |
| PMO_MARKING_COLOR | background colour of the marking (`#rrggbb`) | #2e7d32 |
| PMO_MAX_UPLOAD_MB | largest file accepted by the import (keep `server.maxUploadSize` equal) | 50 |
| PMO_MAX_UPLOAD_ROWS | most rows accepted by the import | 200000 |
| PMO_MAX_UPLOAD_COLUMNS | most columns holding a value in an imported file | 100 |
| PMO_MAX_CELL_CHARS | longest cell accepted by the import, in characters | 10000 |
| PMO_ACCOUNTS | local accounts file (salted argon2 hashes; never in git) | data/accounts.json |
| PMO_AUDIT_LOG | audit log: log-ins, refusals, imports, restores (JSON lines) | data/audit.log |
| PMO_AUDIT_MAX_MB | size at which the audit log is rotated (five older files kept) | 10 |
| PMO_MAX_SESSION_MB | most a browser session may keep on the server; beyond, its state is forgotten | 20 |
| PMO_ANONYMOUS | role of a visitor who has not logged in: `viewer` or `none` | none |
| PMO_DEMO_ACCESS | `1` grants every role to everyone, with a banner on every page | unset (off) |
| PMO_OIDC_ROLE_CLAIM | OpenID Connect claim that carries the user's groups or roles | roles |
| PMO_OIDC_ROLES | claim value → role, e.g. `pmo-admin=admin,pmo-bri=staff` | role names as such |
| PMO_STALE_PLAN | a planned action long ended, in an import: `warning` or `error` | warning |
| PMO_STALE_PLAN_DAYS | days after its end before a planned action must have a new status | 30 |
| PMO_LANGUAGE | language of the interface (unless the link or session names one) and of the import command | fr |

The web server (`python -m dashboard.server`, see `server_settings`):

| variable | meaning | default |
|---|---|---|
| PMO_HOST | address the server listens on | 127.0.0.1 |
| PMO_PORT | port the server listens on | 8501 |
| PMO_SERVER_NAME | host name users type to reach the dashboard | localhost |
| PMO_ALLOWED_HOSTS | host names answered (comma-separated, `*.` for subdomains) | loopback, PMO_SERVER_NAME |
| PMO_FRAME_ANCESTORS | origins allowed to show the dashboard in a frame (space-separated) | none |
| PMO_TRUSTED_USER_HEADER | header holding the user name set by a trusted SSO proxy | unset (off) |
| PMO_CACHE_DIR | folder of what the server derives once from the installed packages | ~/.cache/pmo-dashboard |

A store on S3-compatible object storage (`PMO_STORE=s3://bucket/prefix`, see `s3_options`):

| variable | meaning | default |
|---|---|---|
| PMO_S3_ENDPOINT | address of the object store, e.g. `https://minio.intradef.gouv.fr:9000` | AWS S3 |
| PMO_S3_REGION | region of the bucket | us-east-1 |
| PMO_S3_ACCESS_KEY_ID, PMO_S3_SECRET_ACCESS_KEY | the dashboard's key pair (required) | none |
| PMO_S3_ALLOW_HTTP | `1` accepts an `http://` endpoint (a store on the same machine only) | unset (HTTPS only) |
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

DEFAULT_STORE = Path(__file__).resolve().parent.parent / "data" / "store"
DEFAULT_MARKING_COLOR = "#2e7d32"
_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
STALE_PLAN_CHOICES = ("warning", "error")
# A visitor who has not logged in may read, never change anything.
ANONYMOUS_CHOICES = ("none", "viewer")
LANGUAGES = ("fr", "en")


@dataclass(frozen=True)
class Settings:
    marking: str
    marking_color: str
    max_upload_mb: int
    max_upload_rows: int
    max_upload_columns: int = 100
    max_cell_chars: int = 10_000
    accounts_path: str = "data/accounts.json"
    audit_log: str = "data/audit.log"
    audit_max_mb: float = 10.0
    max_session_mb: float = 20.0
    anonymous_role: str | None = None
    demo_access: bool = False
    oidc_role_claim: str = "roles"
    oidc_roles: dict[str, str] = field(default_factory=dict)
    stale_plan: Literal["warning", "error"] = "warning"
    stale_plan_days: int = 30
    language: Literal["fr", "en"] = "fr"

    @property
    def marking_text_color(self) -> str:
        """Black or white, whichever reads better on the marking colour."""
        r, g, b = (int(self.marking_color[i : i + 2], 16) / 255 for i in (1, 3, 5))
        return "#000000" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.55 else "#ffffff"


class SettingsError(ValueError):
    """A setting with a value the dashboard cannot use; the message says which and how to fix it."""


def store_root() -> str:
    """The store location: `PMO_STORE` (a folder or an S3 URI), else `data/store`."""
    return os.environ.get("PMO_STORE") or str(DEFAULT_STORE)


def demo_data() -> bool:
    """Whether a new store is filled with the demo data (`PMO_DEMO`, on unless `0`)."""
    return os.environ.get("PMO_DEMO", "1").strip() != "0"


def settings() -> Settings:
    anonymous = os.environ.get("PMO_ANONYMOUS", "none").strip().lower() or "none"
    if anonymous not in ANONYMOUS_CHOICES:
        raise SettingsError(f"PMO_ANONYMOUS={anonymous!r} : valeurs possibles « viewer » ou « none ».")
    color = os.environ.get("PMO_MARKING_COLOR", DEFAULT_MARKING_COLOR).strip()
    stale_plan = os.environ.get("PMO_STALE_PLAN", "warning").strip().lower() or "warning"
    if stale_plan not in STALE_PLAN_CHOICES:
        raise SettingsError(f"PMO_STALE_PLAN={stale_plan!r} : valeurs possibles « warning » ou « error ».")
    stale_days = os.environ.get("PMO_STALE_PLAN_DAYS", "30").strip() or "30"
    if not stale_days.isdigit():
        raise SettingsError(f"PMO_STALE_PLAN_DAYS={stale_days!r} : un nombre de jours entier positif est attendu.")
    language = os.environ.get("PMO_LANGUAGE", "fr").strip().lower() or "fr"
    if language not in LANGUAGES:
        raise SettingsError(f"PMO_LANGUAGE={language!r} : valeurs possibles « fr » ou « en ».")
    return Settings(
        marking=os.environ.get("PMO_MARKING", "NON PROTÉGÉ").strip() or "NON PROTÉGÉ",
        # The colour goes into a style attribute: anything but `#rrggbb` falls back to the default.
        marking_color=color if _COLOR.fullmatch(color) else DEFAULT_MARKING_COLOR,
        max_upload_mb=int(os.environ.get("PMO_MAX_UPLOAD_MB", "50")),
        max_upload_rows=int(os.environ.get("PMO_MAX_UPLOAD_ROWS", "200000")),
        max_upload_columns=int(os.environ.get("PMO_MAX_UPLOAD_COLUMNS", "100")),
        max_cell_chars=int(os.environ.get("PMO_MAX_CELL_CHARS", "10000")),
        accounts_path=os.environ.get("PMO_ACCOUNTS", "data/accounts.json"),
        audit_log=os.environ.get("PMO_AUDIT_LOG", "data/audit.log"),
        audit_max_mb=max(0.01, float(os.environ.get("PMO_AUDIT_MAX_MB", "10"))),
        max_session_mb=max(0.1, float(os.environ.get("PMO_MAX_SESSION_MB", "20"))),
        anonymous_role=None if anonymous == "none" else anonymous,
        demo_access=os.environ.get("PMO_DEMO_ACCESS", "").strip() == "1",
        oidc_role_claim=os.environ.get("PMO_OIDC_ROLE_CLAIM", "roles").strip() or "roles",
        oidc_roles=parse_role_map(os.environ.get("PMO_OIDC_ROLES", "")),
        stale_plan="error" if stale_plan == "error" else "warning",
        stale_plan_days=int(stale_days),
        language="en" if language == "en" else "fr",
    )


def parse_role_map(text: str) -> dict[str, str]:
    """`pmo-admin=admin, pmo-bri=staff` → {"pmo-admin": "admin", "pmo-bri": "staff"} (values in lower case)."""
    from dashboard.auth import ROLES

    mapping: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        value, sep, role = item.rpartition("=")
        role = role.strip().lower()
        if not sep or not value.strip() or role not in ROLES:
            raise SettingsError(
                f"PMO_OIDC_ROLES : « {item} » n'est pas de la forme valeur=rôle avec un rôle parmi {', '.join(ROLES)}."
            )
        mapping[value.strip().lower()] = role
    return mapping


# A host name or an IP address, optionally with a leading `*.` for every subdomain.
_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?"
_HOST = re.compile(rf"(\*\.)?{_LABEL}(\.{_LABEL})*")
_ORIGIN = re.compile(r"https?://(\*\.)?[A-Za-z0-9.-]+(:[0-9]{1,5})?")
_HEADER = re.compile(r"[A-Za-z0-9-]{1,64}")


@dataclass(frozen=True)
class ServerSettings:
    host: str = "127.0.0.1"
    port: int = 8501
    server_name: str = "localhost"
    allowed_hosts: tuple[str, ...] = ("localhost", "127.0.0.1", "::1")
    frame_ancestors: tuple[str, ...] = ()
    trusted_user_header: str | None = None
    cache_dir: Path | None = None


def _valid_host(value: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(value.strip("[]"))
        return True
    except ValueError:
        return bool(_HOST.fullmatch(value))


def server_settings(overrides: dict[str, str] | None = None) -> ServerSettings:
    """The web server's settings from PMO_HOST, PMO_PORT, … (`overrides` wins, e.g. command-line options)."""
    env = {**os.environ, **{k: v for k, v in (overrides or {}).items() if v is not None}}
    host = env.get("PMO_HOST", "127.0.0.1").strip() or "127.0.0.1"
    if not _valid_host(host):
        raise SettingsError(
            f"PMO_HOST={host!r} : donnez une adresse IP ou un nom d'hôte, par exemple 127.0.0.1 ou 0.0.0.0."
        )
    port_text = env.get("PMO_PORT", "8501").strip() or "8501"
    if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
        raise SettingsError(f"PMO_PORT={port_text!r} : donnez un numéro de port entre 1 et 65535, par exemple 8501.")
    name = env.get("PMO_SERVER_NAME", "localhost").strip().lower() or "localhost"
    if not _valid_host(name):
        raise SettingsError(
            f"PMO_SERVER_NAME={name!r} : donnez le nom d'hôte du tableau de bord, par exemple pmo.intradef.gouv.fr."
        )
    listed = [h.strip().lower() for h in env.get("PMO_ALLOWED_HOSTS", "").split(",") if h.strip()]
    for entry in listed:
        if not _valid_host(entry):
            raise SettingsError(
                f"PMO_ALLOWED_HOSTS : « {entry} » n'est pas un nom d'hôte. Donnez des noms séparés par des virgules, "
                "par exemple « pmo.intradef.gouv.fr,localhost » (ou « *.intradef.gouv.fr »)."
            )
    allowed = tuple(dict.fromkeys(listed or ["localhost", "127.0.0.1", "::1", name]))
    ancestors = tuple(env.get("PMO_FRAME_ANCESTORS", "").split())
    for origin in ancestors:
        if not _ORIGIN.fullmatch(origin):
            raise SettingsError(
                f"PMO_FRAME_ANCESTORS : « {origin} » n'est pas une origine. "
                "Donnez des origines séparées par des espaces, par exemple « https://portail.intradef.gouv.fr »."
            )
    header = env.get("PMO_TRUSTED_USER_HEADER", "").strip() or None
    if header is not None and not _HEADER.fullmatch(header):
        raise SettingsError(
            f"PMO_TRUSTED_USER_HEADER={header!r} : donnez un nom d'en-tête HTTP, par exemple X-Remote-User."
        )
    cache = Path(env.get("PMO_CACHE_DIR", "").strip() or _user_cache(env)).expanduser()
    return ServerSettings(host, int(port_text), name, allowed, ancestors, header, cache)


def _user_cache(env: dict[str, str]) -> Path:
    """The user's cache folder for the dashboard, as the XDG convention places it."""
    return Path(env.get("XDG_CACHE_HOME", "").strip() or Path.home() / ".cache") / "pmo-dashboard"


def s3_options() -> dict[str, str]:
    """Endpoint, region and credentials of an S3 store, from PMO_S3_*, as delta-rs storage options."""
    endpoint = os.environ.get("PMO_S3_ENDPOINT", "").strip().rstrip("/")
    key_id = os.environ.get("PMO_S3_ACCESS_KEY_ID", "").strip()
    secret = os.environ.get("PMO_S3_SECRET_ACCESS_KEY", "").strip()
    allow_http = os.environ.get("PMO_S3_ALLOW_HTTP", "").strip() == "1"
    if not key_id or not secret:
        # Without keys, the S3 client would ask the cloud metadata address for some: an outbound call.
        pairs = (("PMO_S3_ACCESS_KEY_ID", key_id), ("PMO_S3_SECRET_ACCESS_KEY", secret))
        missing = " et ".join(name for name, value in pairs if not value)
        raise SettingsError(
            f"Le stockage S3 demande une paire de clés : définissez {missing} "
            "(la clé d'accès du tableau de bord sur le stockage objet)."
        )
    if endpoint and not re.fullmatch(r"https?://[^\s/]+", endpoint):
        raise SettingsError(
            f"PMO_S3_ENDPOINT={endpoint!r} : donnez l'adresse du stockage objet, par exemple https://minio.intradef.gouv.fr:9000."
        )
    if endpoint.startswith("http://") and not allow_http:
        raise SettingsError(
            f"PMO_S3_ENDPOINT={endpoint!r} n'est pas chiffré : donnez une adresse https://, "
            "ou PMO_S3_ALLOW_HTTP=1 pour un stockage sur la même machine."
        )
    if os.environ.get("AWS_S3_ALLOW_UNSAFE_RENAME", "").strip().lower() not in ("", "0", "false"):
        # delta-rs reads this variable itself: two replicas importing at once could then overwrite each other's commit.
        raise SettingsError(
            "AWS_S3_ALLOW_UNSAFE_RENAME est défini : il laisserait deux imports simultanés s'écraser. "
            "Retirez-le de l'environnement (le tableau de bord utilise les écritures conditionnelles du stockage)."
        )
    options = {
        "AWS_REGION": os.environ.get("PMO_S3_REGION", "").strip() or "us-east-1",
        "AWS_ACCESS_KEY_ID": key_id,
        "AWS_SECRET_ACCESS_KEY": secret,
    }
    if endpoint:
        options["AWS_ENDPOINT_URL"] = endpoint
    if allow_http:
        options["AWS_ALLOW_HTTP"] = "true"
    return options
