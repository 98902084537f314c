"""How a page prints for a briefing: A4 landscape, the page alone, every chart within the sheet's width.

The print style hides the sidebar, the toolbar, the banners, the buttons, the file
picker and the navigation links (the line under the title and the filter chips say what
is selected), keeps charts, key figures and tables whole, prints the tables in
full and puts the marking in the top and bottom margins of every sheet.

Plotly draws a chart at the pixel width it had on screen, and a print does not
redraw it: on a screen wider than the sheet, full-width charts were cut on the
right (the function × factor heat map lost its last columns). A small script
measures the width of the page's content on screen and keeps the zoom that
brings it to the sheet's width in a CSS variable; the print style applies it to
the page's content, so the print is the screen's layout, scaled down. It is the
one piece of JavaScript of the dashboard (`st.html` with
`unsafe_allow_javascript`, allowed by its hash in the server's
Content-Security-Policy); a browser test prints every page from a wide screen
and fails when a chart is wider than the sheet.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from numbers import Number
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from dashboard import i18n

# The printable width of an A4 landscape sheet with 10 mm side margins: 277 mm at 96 px per inch.
SHEET_WIDTH_PX = 1046
ZOOM_VARIABLE = "--pmo-print-zoom"
# Shown on screen only: what a print leaves out.
SCREEN_ONLY = (
    '[data-testid="stSidebar"]',
    '[data-testid="stSidebarCollapsedControl"]',
    '[data-testid="stHeader"]',
    '[data-testid="stToolbar"]',
    '[data-testid="stDecoration"]',
    '[data-testid="stStatusWidget"]',
    '[data-testid="stButton"]:not(.st-key-pmo_chips *)',
    '[data-testid="stDownloadButton"]',
    '[data-testid="stPopover"]',
    '[data-testid="stPageLink"]',
    '[data-testid="stFileUploader"]',
    '[class*="st-key-pmo_table_"] [data-testid="stDataFrame"]',
    ".pmo-marking",
    ".pmo-demo-access",
    ".pmo-screen-only",
)


def _css_string(text: str) -> str:
    """`text` as a CSS string: every character but letters, digits and spaces as a hexadecimal escape,
    so nothing in it can close the string or the style element."""
    return '"' + "".join(c if (c.isascii() and c.isalnum()) or c == " " else f"\\{ord(c):06x}" for c in text) + '"'


# On screen, a key figure's label wraps instead of ending in « … » (Streamlit cuts it on one line); when the cards
# are too narrow for one line, every label takes two, so the figures stay level. Sent on every run: kept short.
KEY_FIGURE_LABELS = (
    "[data-testid=stMetricLabel],[data-testid=stMetricLabel] *{white-space:normal!important;height:auto!important}"
    "[data-testid=stMetric]{container-type:inline-size}"
    "@container (max-width:11rem){[data-testid=stMetricLabel]{min-height:2lh;align-items:flex-start}}"
)


def css(marking: str, color: str, text_color: str) -> str:
    """The print style, with the marking in the top and bottom margins of every sheet."""
    band = f"content: {_css_string(marking)}; background: {color}; color: {text_color}; font: 700 9pt sans-serif;"
    return f"""<style>
.pmo-print-table {{ display: none; }}
{KEY_FIGURE_LABELS}
@media print {{
  @page {{
    size: A4 landscape; margin: 14mm 10mm;
    @top-center {{ {band} width: 100%; }}
    @bottom-center {{ {band} width: 100%; }}
  }}
  {", ".join(SCREEN_ONLY)} {{ display: none !important; }}
  [data-testid="stMainBlockContainer"] {{
    max-width: none !important; padding: 0 !important; zoom: var({ZOOM_VARIABLE}, 1);
  }}
  [data-testid="stPlotlyChart"], [data-testid="stMetric"], [data-testid="stHorizontalBlock"],
  [data-testid="stTable"] {{ break-inside: avoid; }}
  .st-key-pmo_chips button {{ border: none !important; padding: 0 !important; min-height: 0 !important; }}
  .st-key-pmo_chips [data-testid="stIconMaterial"] {{ display: none !important; }}
  .pmo-print-table {{ display: table; width: 100%; border-collapse: collapse; font-size: 0.8rem; }}
  .pmo-print-table th {{ text-align: left; border-bottom: 1px solid #888; padding: 2px 6px; }}
  .pmo-print-table td {{ border-bottom: 1px solid #ddd; padding: 2px 6px; vertical-align: top; }}
  .pmo-print-table tr {{ break-inside: avoid; }}
  .pmo-print-table .pmo-number {{ text-align: right; }}
  h1, h2, h3 {{ break-after: avoid; }}
  * {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
}}
</style>"""


# Kept as the exact text of the page's script: the server allows it by its hash (Content-Security-Policy).
SCRIPT = f"""
(() => {{
  if (window.pmoPrintFit) return;
  window.pmoPrintFit = true;
  const printing = window.matchMedia("print");
  const fit = () => {{
    const main = document.querySelector('[data-testid="stMainBlockContainer"]');
    if (printing.matches || !main) return;
    const style = getComputedStyle(main);
    const width = main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (width > 0) {{
      document.documentElement.style.setProperty("{ZOOM_VARIABLE}", Math.min(1, {SHEET_WIDTH_PX} / width).toFixed(4));
    }}
  }};
  new ResizeObserver(fit).observe(document.documentElement);
  window.setInterval(fit, 1000);
  fit();
}})();
"""


def script() -> str:
    """The script that keeps the print zoom: the sheet's width over the content's width on screen, at most 1.

    Measured on screen only (the print layout is what it scales), again whenever the window or the sidebar
    changes the content's width.
    """
    return f"<script>{SCRIPT}</script>"


def table(
    data: pd.DataFrame | Styler | Sequence[Mapping[str, object]],
    headings: Mapping[str, str] | None = None,
    *,
    key: str,
    column_config: Mapping[str, Any] | None = None,
    formats: Mapping[str, Callable[[Any], str]] | None = None,
    **options: Any,
) -> Any:
    """`st.dataframe` of `data`'s columns `headings` (name -> heading; by default every column under its own
    name) on screen, with `column_config` and `options` (selection, width), and the same rows as a plain table
    in print: a table on screen scrolls, and prints only its visible rows. `formats` prints a column through
    its own function (years as 2024, rates as 87 %). Returns what `st.dataframe` returns (the selection)."""
    frame = data.data if isinstance(data, Styler) else pd.DataFrame(data)
    headings = headings if headings is not None else {str(name): str(name) for name in frame.columns}
    with st.container(key=f"pmo_table_{key}"):
        shown = st.dataframe(
            placeholder=i18n.MISSING,
            data=data if isinstance(data, Styler) else frame[list(headings)],
            hide_index=True,
            column_config=column_config or dict(headings),
            key=key,
            **options,
        )
        st.html(table_html(frame, headings, formats=formats))
    return shown


def table_html(
    frame: pd.DataFrame, headings: Mapping[str, str], *, formats: Mapping[str, Callable[[Any], str]] | None = None
) -> str:
    """The rows as an HTML table shown in print only: dates as 21/11/2026 (21 Nov 2026 in English), numbers as
    1 234, lists as a, b, a dash for a missing value; every cell escaped."""
    # Numbers stand to the right, as on screen, so that their digits line up.
    tags = {
        name: "td class=pmo-number"
        if pd.api.types.is_numeric_dtype(frame[name]) and not pd.api.types.is_bool_dtype(frame[name])
        else "td"
        for name in headings
    }
    head = "".join(
        f"<{tags[name].replace('td', 'th', 1)}>{html.escape(title)}</th>" for name, title in headings.items()
    )
    columns = [
        [f"<{tags[name]}>{html.escape(_cell(value, (formats or {}).get(name)))}</td>" for value in frame[name].tolist()]
        for name in headings
    ]
    rows = "".join("<tr>" + "".join(row) + "</tr>" for row in zip(*columns, strict=True))
    return f'<table class="pmo-print-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def _cell(value: object, format: Callable[[Any], str] | None) -> str:
    if isinstance(value, list | tuple | np.ndarray):
        return ", ".join(_cell(item, format) for item in value) or i18n.MISSING
    if value is None or bool(pd.isna(value)) or value == "":
        return i18n.MISSING
    if format is not None:
        return format(value)
    if hasattr(value, "strftime"):
        # As the table on screen shows it (layout.date_columns): 21/11/2026, 21 Nov 2026.
        return value.strftime("%d/%m/%Y") if i18n.language() == "fr" else i18n.date(value)  # type: ignore[union-attr,arg-type]
    if isinstance(value, bool | np.bool_):
        return i18n._("oui") if value else i18n._("non")
    if isinstance(value, Number):
        return i18n.number(value)  # type: ignore[arg-type]
    return str(value)
