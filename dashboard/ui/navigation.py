"""The list of pages, in menu order, with the least role that may open each.

The entry script builds the navigation from it for the current user: the menu
lists only the pages the role may use; a page it may not use keeps its URL but
runs a refusal instead of its script, so an address typed by hand never shows it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from dashboard.auth import ROLES, allows
from dashboard.i18n import N_, _

ROOT = Path(__file__).resolve().parent.parent.parent
# The menu's container: its HTML class is `st-key-pmo_menu`.
MENU_KEY = "pmo_menu"


@dataclass(frozen=True)
class PageSpec:
    script: str
    title: str
    icon: str
    url_path: str
    section: str = N_("Tableau de bord")
    default: bool = False
    # The least role that may open the page (roles are cumulative): viewer, analyst, staff or admin.
    role: str = "viewer"
    # Whether the page draws plotly charts (the server then has the browser load their code at once).
    charts: bool = True

    @property
    def address(self) -> str:
        """The path of the page's address, without its leading slash: the default page is served at the root."""
        return "" if self.default else self.url_path

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"{self.script} : rôle inconnu {self.role!r}")


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", N_("Vue d'ensemble"), ":material/dashboard:", "overview", default=True),
    PageSpec("pages/map.py", N_("Carte des partenaires"), ":material/public:", "map"),
    PageSpec("pages/country.py", N_("Fiche pays"), ":material/flag:", "country"),
    PageSpec("pages/analysis.py", N_("Analyse par fonction et facteur"), ":material/grid_view:", "analysis"),
    PageSpec("pages/meetings.py", N_("Rencontres internationales"), ":material/event:", "meetings"),
    # For staff officers (what is coming, which units) and commanders (is the plan realised): every role reads it.
    PageSpec("pages/plan.py", N_("Programmation"), ":material/event_upcoming:", "plan"),
    PageSpec(
        "pages/about.py",
        N_("À propos des données"),
        ":material/menu_book:",
        "about",
        section=N_("Référence"),
        charts=False,
    ),
    PageSpec(
        "pages/import.py",
        N_("Importer des données"),
        ":material/upload_file:",
        "import",
        N_("Administration"),
        role="staff",
        charts=False,
    ),
    PageSpec(
        "pages/history.py",
        N_("Historique des versions"),
        ":material/history:",
        "history",
        N_("Administration"),
        role="staff",
        charts=False,
    ),
)


def allowed(pages: tuple[PageSpec, ...], role: str | None) -> tuple[PageSpec, ...]:
    """The pages `role` may open, in menu order."""
    return tuple(spec for spec in pages if allows(role, spec.role))


def navigation(
    pages: tuple[PageSpec, ...] = PAGES,
    *,
    role: str | None = None,
    account: Callable[[bool], st.Page] | None = None,
    refusal: Callable[[PageSpec], Callable[[], None]] | None = None,
) -> st.Page:
    """The navigation for `role`: allowed pages listed; forbidden ones hidden, each running `refusal(spec)`.

    `account(default)` makes the log-in page, listed under "Compte"; it is the
    default page when the role may open nothing.
    """
    permitted = allowed(pages, role)
    default = next((s for s in permitted if s.default), permitted[0] if permitted else None)
    sections: dict[str, list[st.Page]] = {}
    listed: dict[str, list[st.Page]] = {}
    for spec in pages:
        if spec in permitted:
            page = st.Page(
                str(ROOT / spec.script),
                title=_(spec.title),
                icon=spec.icon,
                url_path=spec.url_path,
                default=spec is default,
            )
            listed.setdefault(_(spec.section), []).append(page)
        elif refusal is not None:
            page = st.Page(
                refusal(spec), title=_(spec.title), icon=spec.icon, url_path=spec.url_path, visibility="hidden"
            )
        else:
            continue
        sections.setdefault(_(spec.section), []).append(page)
    if account is not None:
        login = account(default is None)
        sections.setdefault(_("Compte"), []).append(login)
        listed.setdefault(_("Compte"), []).append(login)
    chosen = st.navigation(sections, position="hidden")
    menu(listed)
    return chosen


def menu(sections: Mapping[str, Sequence[st.Page]]) -> None:
    """The menu at the top of the sidebar: each section's name, then a link per page (the current one marked).

    Streamlit's own sectioned menu puts the section names inside its list, where only list items may stand:
    an invalid list for screen readers (axe `list` and `listitem`, RGAA 9.3). Plain links avoid it.
    """
    with st.sidebar.container(key=MENU_KEY, gap="xsmall"):
        for section, pages in sections.items():
            st.caption(f"**{section}**")
            for page in pages:
                st.page_link(page, width="stretch")
