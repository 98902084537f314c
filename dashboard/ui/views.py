"""A page's views in tabs whose open one the link names by a language-neutral code (`?vue=facteurs-par-region`).

Streamlit's own binding of tabs to the URL writes the tab's label, which changes with the language; here the
link carries the view's code (`links.Views`), read back before the tabs are drawn, so a link made in English
opens the same view in French, and the labels older links wrote (`?vue=Facteurs par région`) still open theirs.
The session remembers the open view: back on the page from another, whose address does not name it, it opens
again.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard.links import Views


def _remembered(key: str) -> str:
    return f"{key}_code"


def _write(views: Views, key: str, param: str) -> None:
    """Remember the open view and write it into the link (the first one, the default, leaves the link without
    it); also the tabs' callback, when a tab is clicked."""
    state = st.session_state
    code = views.code(state.get(key)) or views.codes[0]
    state[_remembered(key)] = code
    if code == views.codes[0]:
        if param in st.query_params:
            del st.query_params[param]
    elif st.query_params.get(param) != code:
        st.query_params[param] = code


def tabs(views: Views, *, key: str, param: str) -> Sequence[DeltaGenerator]:
    """One tab per view, in the language of the run, the view the link names (else the one last open) open;
    only the open tab's body runs (`tab.open`)."""
    state = st.session_state
    brought = st.query_params.get(param)
    code = views.code(brought) if brought else state.get(_remembered(key))
    # Given before the tabs are drawn: the open tab follows the link, in the words of the run's language.
    state[key] = views.label(code if code in views.codes else views.codes[0])
    _write(views, key, param)
    return st.tabs([views.label(c) for c in views.codes], key=key, on_change=_write, args=(views, key, param))
