"""The banners every page carries: the classification marking, the demo access notice, the print style.

The classification marking stands at the top of every page and, fixed, at the
bottom of the window (so it also prints on every sheet); its text is escaped
and its colour validated. With PMO_DEMO_ACCESS=1 a banner says that every role
is granted without identification.
"""

from __future__ import annotations

import html

import streamlit as st

from dashboard.auth import User
from dashboard.settings import settings

DEMO_ACCESS_NOTICE = (
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
        f"{html.escape(DEMO_ACCESS_NOTICE)}</div>"
    )


def _css_string(text: str) -> str:
    """`text` as a CSS string: every character but letters, digits and spaces as a hexadecimal escape,
    so nothing in it can close the string or the style element."""
    return '"' + "".join(c if (c.isascii() and c.isalnum()) or c == " " else f"\\{ord(c):06x}" for c in text) + '"'


def print_css(marking: str, color: str, text_color: str) -> str:
    """How a page prints for a briefing: the page alone, without the sidebar and the toolbar (the caption under
    the title says what is selected), no chart or key figure cut in two, and the marking in the top and bottom
    margins of every sheet."""
    band = f"content: {_css_string(marking)}; background: {color}; color: {text_color}; font: 700 9pt sans-serif;"
    return f"""<style>
@media print {{
  @page {{
    size: A4 landscape; margin: 14mm 10mm;
    @top-center {{ {band} width: 100%; }}
    @bottom-center {{ {band} width: 100%; }}
  }}
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  .pmo-marking {{ display: none !important; }}
  [data-testid="stMainBlockContainer"] {{ max-width: none !important; padding: 0 !important; }}
  [data-testid="stPlotlyChart"], [data-testid="stMetric"], [data-testid="stHorizontalBlock"],
  [data-testid="stDataFrame"], [data-testid="stTable"] {{ break-inside: avoid; }}
  h1, h2, h3 {{ break-after: avoid; }}
  * {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
}}
</style>"""


def banners(user: User) -> None:
    """The marking at the top and bottom of the page, and the demo access banner when it is on."""
    config = settings()
    colors = (config.marking_color, config.marking_text_color)
    st.html(
        marking_html(config.marking, *colors)
        + (demo_access_html() if user.source == "demo" else "")
        + marking_html(config.marking, *colors, bottom=True)
        + print_css(config.marking, *colors)
    )
