"""The "Point de situation" downloads of a page: the current selection as PowerPoint and as PDF.

The files are built on the click only (deferred downloads), from the shared
tables the page read, so a rerun costs nothing.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import streamlit as st

from dashboard import i18n
from dashboard.briefing import model, pdf, slides, worldmap
from dashboard.i18n import _
from dashboard.query import Filters
from dashboard.ui import access, data


@st.cache_resource(show_spinner=False)
def _prepare_map() -> threading.Thread:
    """The map's geometry made ready in the background, once per process, when a page first offers the menu."""
    thread = threading.Thread(target=worldmap.prepare, name="pmo-carte", daemon=True)
    thread.start()
    return thread


def downloads(selection: Filters, *, key: str = "point_de_situation") -> None:
    """A "Point de situation" menu with the PowerPoint and PDF files of `selection`."""
    _prepare_map()
    actions, meetings, version, user = data.actions(), data.meetings(), data.data_version(), access.current_user()

    def writer(write: Callable[[model.Briefing], bytes]) -> Callable[[], bytes]:
        # Built on the click in a worker thread of the server: in the language of the page that offered it.
        return i18n.bound(lambda: write(model.build(actions, meetings, selection, version=version, user=user)))

    country = model.brief_country(selection)
    stem = model.file_stem(selection, dt.date.today())
    with st.popover(_("Point de situation"), icon=":material/co_present:", key=key):
        st.caption(
            _(
                "La sélection en cours pour un briefing : chiffres clés, carte, actions par année, modes, fonctions "
                "et programmes du pays, rencontres des 90 prochains jours. Marqué comme la page."
            )
            if country
            else _(
                "La sélection en cours pour un briefing : chiffres clés, carte, actions par année, principaux "
                "partenaires, rencontres des 90 prochains jours. Marqué comme la page."
            )
        )
        files = (
            (_("PowerPoint (graphiques modifiables)"), slides.pptx_bytes, slides.MIME, "pptx", ":material/slideshow:"),
            (_("PDF (2 pages A4 paysage)"), pdf.pdf_bytes, pdf.MIME, "pdf", ":material/picture_as_pdf:"),
        )
        for label, write, mime, extension, icon in files:
            st.download_button(
                label,
                data=writer(write),
                file_name=f"{stem}.{extension}",
                mime=mime,
                on_click="ignore",
                icon=icon,
                key=f"{key}_{extension}",
                width="stretch",
            )
