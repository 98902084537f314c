"""Streamlit's icon font served cut down to the icons the dashboard can show: 12 KB instead of 375 KB.

Streamlit draws its icons and the app's (`:material/public:`) with Material
Symbols Rounded, a font of 4 300 icons that every page asks for at once: the
second-largest file of a first visit after the plotly chunk, 1.5 s over a
2 Mbit/s link. `scripts/build_icon_font.py` keeps the icons named in Streamlit's
scripts and in the dashboard's code in `assets/fonts/`, and the server answers
the font's address with that file. tests/test_web_icons.py fails when the
installed Streamlit or the code names an icon the file lacks.
"""

from __future__ import annotations

from pathlib import Path

from starlette.types import ASGIApp

from dashboard.web.assets import ReplacedAsset
from dashboard.web.early import STREAMLIT_STATIC

FONT = Path(__file__).resolve().parent.parent.parent / "assets" / "fonts" / "MaterialSymbols-Rounded.woff2"


def streamlit_font(folder: Path = STREAMLIT_STATIC / "media") -> Path | None:
    """The icon font the installed Streamlit ships (`MaterialSymbols-Rounded.<hash>.woff2`), if it still does."""
    return next(iter(sorted(folder.glob("MaterialSymbols-Rounded.*.woff2"))), None)


class IconFont(ReplacedAsset):
    """Answer requests for Streamlit's icon font (at `font_name`, under any base path) with `font`."""

    def __init__(self, app: ASGIApp, font_name: str | None = None, font: Path = FONT) -> None:
        shipped = streamlit_font()
        name = font_name or (shipped.name if shipped else None)
        address = f"/static/media/{name}" if name and font.exists() else None
        super().__init__(app, address, font.read_bytes() if address else b"", "font/woff2")
