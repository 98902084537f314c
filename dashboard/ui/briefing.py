"""The "Point de situation" downloads of a page: the current selection as PowerPoint and as PDF.

The files are built on the click only (deferred downloads), from the shared
tables the page read, so a rerun costs nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import streamlit as st

from dashboard.briefing import model, pdf, slides
from dashboard.query import Filters
from dashboard.ui import access, data


def downloads(selection: Filters, *, key: str = "point_de_situation") -> None:
    """A "Point de situation" menu with the PowerPoint and PDF files of `selection`."""
    actions, meetings, version, user = data.actions(), data.meetings(), data.data_version(), access.current_user()

    def writer(write: Callable[[model.Briefing], bytes]) -> Callable[[], bytes]:
        return lambda: write(model.build(actions, meetings, selection, version=version, user=user))

    country = model.brief_country(selection)
    stem = model.file_stem(selection, dt.date.today())
    with st.popover("Point de situation", icon=":material/co_present:", key=key):
        st.caption(
            "La sélection en cours pour un briefing : chiffres clés, carte, actions par année, "
            + ("modes, fonctions et programmes du pays" if country else "principaux partenaires")
            + ", rencontres des 90 prochains jours. Marqué comme la page."
        )
        st.download_button(
            "PowerPoint (graphiques modifiables)",
            data=writer(slides.pptx_bytes),
            file_name=f"{stem}.pptx",
            mime=slides.MIME,
            on_click="ignore",
            icon=":material/slideshow:",
            key=f"{key}_pptx",
            width="stretch",
        )
        st.download_button(
            "PDF (2 pages A4 paysage)",
            data=writer(pdf.pdf_bytes),
            file_name=f"{stem}.pdf",
            mime=pdf.MIME,
            on_click="ignore",
            icon=":material/picture_as_pdf:",
            key=f"{key}_pdf",
            width="stretch",
        )
