"""The language switch: a control in the sidebar, kept in the session and in the link (`?lang=en`).

The language is chosen at the start of every run, before anything is drawn: a link that brings `?lang=`
wins, else the session's choice, else the setting `PMO_LANGUAGE` (French). The link names the language
only when it is not the setting's, so a copied link opens in the language it was made in.
"""

from __future__ import annotations

import streamlit as st

from dashboard import i18n
from dashboard.settings import settings

PARAM = "lang"
_KEY = "pmo_langue"
_WRITTEN = "pmo_langue_ecrite"
_SHOWN = "pmo_langue_montree"
_CHANGED = "pmo_langue_changee"
# Each language in its own words, so anyone finds theirs.
NAMES: dict[str, str] = {"fr": "Français", "en": "English"}


def choose() -> bool:
    """Make the language of this run current for `i18n`; True when it is not the one the last run showed
    (the widgets whose options read in words then have their values given again, see `filters.refresh`)."""
    state = st.session_state
    brought = st.query_params.get(PARAM)
    if brought in i18n.LANGUAGES and brought != state.get(_WRITTEN):
        state[_KEY] = brought
    if state.get(_KEY) not in i18n.LANGUAGES:
        # The switch has no state yet, or lost it: Streamlit drops the widgets' state when a run finds another
        # page than the last run's (a run interrupted by a click, on a busy server). The language the link names
        # stays, else the one the session last showed, else the setting's.
        shown = state.get(_SHOWN)
        state[_KEY] = next(lang for lang in (brought, shown, settings().language) if lang in i18n.LANGUAGES)
    lang = i18n.use(state[_KEY])
    changed = state.get(_SHOWN) not in (None, lang)
    state[_SHOWN] = lang
    state[_CHANGED] = changed
    return changed


def redraw(*keys: str) -> None:
    """Give a page's widgets `keys` their values again when this run changed the language, so that the
    browser shows their chosen options in the new words (as `filters.refresh` does for the sidebar)."""
    state = st.session_state
    if state.get(_CHANGED):
        for key in keys:
            if key in state:
                state[key] = state[key]


def switch() -> None:
    """The control in the sidebar, and the language written into the link."""
    st.sidebar.segmented_control(
        "Langue · Language", i18n.LANGUAGES, format_func=NAMES.__getitem__, key=_KEY, required=True
    )
    lang = i18n.language()
    if lang == settings().language:
        if PARAM in st.query_params:
            del st.query_params[PARAM]
        st.session_state[_WRITTEN] = None
    else:
        if st.query_params.get(PARAM) != lang:
            st.query_params[PARAM] = lang
        st.session_state[_WRITTEN] = lang
