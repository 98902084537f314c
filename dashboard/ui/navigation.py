"""The list of pages, in menu order. The entry script builds the navigation from it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent.parent.parent


@dataclass(frozen=True)
class PageSpec:
    script: str
    title: str
    icon: str
    url_path: str
    section: str = "Tableau de bord"
    default: bool = False


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "Vue d'ensemble", ":material/dashboard:", "vue-d-ensemble", default=True),
    PageSpec("pages/about.py", "À propos des données", ":material/menu_book:", "a-propos", section="Référence"),
)


def navigation(pages: tuple[PageSpec, ...] = PAGES) -> st.navigation:
    sections: dict[str, list[st.Page]] = {}
    for spec in pages:
        page = st.Page(
            str(ROOT / spec.script), title=spec.title, icon=spec.icon, url_path=spec.url_path, default=spec.default
        )
        sections.setdefault(spec.section, []).append(page)
    return st.navigation(sections)
