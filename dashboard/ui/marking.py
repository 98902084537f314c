"""The banners every page carries: the classification marking, the demo access notice, the print style
(`dashboard.ui.printing`).

The classification marking stands at the top of every page and, fixed, at the
bottom of the window (so it also prints on every sheet); its text is escaped
and its colour validated. With PMO_DEMO_ACCESS=1 a banner says that every role
is granted without identification.
"""

from __future__ import annotations

import html

import streamlit as st

from dashboard.auth import User
from dashboard.i18n import N_, _
from dashboard.settings import settings
from dashboard.ui import printing

DEMO_ACCESS_NOTICE = N_(
    "Accès de démonstration (PMO_DEMO_ACCESS=1) : tous les rôles sans identification ; jamais en service."
)


def marking_html(marking: str, color: str, text_color: str, *, bottom: bool = False) -> str:
    """The marking as an HTML bar; the text is escaped, the colours are validated `#rrggbb`."""
    style = (
        f"background:{color};color:{text_color};text-align:center;font-weight:700;"
        "letter-spacing:0.08em;font-size:0.85rem;padding:2px 8px;"
    )
    if bottom:
        style += "position:fixed;left:0;right:0;bottom:0;z-index:1000100;"
    else:
        style += "border-radius:3px;"
    where = "bas" if bottom else "haut"
    return (
        f'<div class="pmo-marking pmo-marking-{where}" data-testid="pmo-marking" role="note" '
        f'aria-label="Marquage de classification" style="{style}">{html.escape(marking)}</div>'
    )


def demo_access_html() -> str:
    """The demo access notice as one slim line under the marking (a full alert box pushed the map below the
    fold at 1280×720)."""
    style = (
        "background:#fff4d6;color:#5c4300;border-left:4px solid #b58100;font-size:0.85rem;"
        "padding:2px 8px;margin-top:4px;border-radius:3px;"
    )
    return (
        f'<div class="pmo-demo-access" data-testid="pmo-demo-access" role="status" style="{style}">'
        f"{html.escape(_(DEMO_ACCESS_NOTICE))}</div>"
    )


def banners(user: User) -> None:
    """The marking at the top and bottom of the page, and the demo access banner when it is on."""
    config = settings()
    colors = (config.marking_color, config.marking_text_color)
    st.html(
        marking_html(config.marking, *colors)
        + (demo_access_html() if user.source == "demo" else "")
        + marking_html(config.marking, *colors, bottom=True)
        + printing.css(config.marking, *colors)
    )
    st.html(printing.script(), unsafe_allow_javascript=True)
