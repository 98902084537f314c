"""The sidebar filters shared by every page and bound to the URL query string.

The widgets are drawn by the entry script before the page runs, so their
values survive page switches. Their values are written into the URL as codes
or stable slugs (`?pays=SEN&mode=accompagnement-au-combat`), the same in every
language, so a copied link reopens the same view in French or in English; a
link's values are read back before the widgets are drawn, labels of older
links (`?pays=Sénégal`) included. The period is a pair of ISO days, bound by
Streamlit itself (`bind="query-params"`). Pages read the selection with
`current()` and change it (click-to-filter) with `set_values()` from a widget
callback, before the widgets are drawn again.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

import pyarrow as pa
import streamlit as st

from dashboard import i18n, links
from dashboard.filters import BY_NAME, FILTERS, PERIOD, Choice, Filter, Filters
from dashboard.i18n import _
from dashboard.query import date_bounds, present


def _options(declared: Filter, actions: pa.Table) -> list[str]:
    """The filter's options: its fixed ones, or those present in the actions and those chosen, by French name."""
    if declared.column is None:
        return list(declared.options())
    chosen = declared.chosen(st.session_state.get(declared.param))
    return sorted(set(present(actions, declared.column)) | set(chosen), key=lambda code: declared.words(code, "fr"))


def period_limits(actions: pa.Table) -> tuple[dt.date, dt.date]:
    """The earliest and latest dates the period widget accepts."""
    bounds = date_bounds(actions) or (dt.date(dt.date.today().year, 1, 1), dt.date.today())
    return dt.date(bounds[0].year - 5, 1, 1), dt.date(bounds[1].year + 2, 12, 31)


def set_period(start: dt.date | None, end: dt.date | None) -> None:
    """Set the period; call from a widget callback."""
    st.session_state[PERIOD.param] = (start, end)


IGNORED = "pmo_lien_ignore"
# The filter values this session last wrote into the URL (URL name -> values).
_WRITTEN = "pmo_lien_ecrit"


def _choices(actions: pa.Table) -> dict[str, dict[str, str]]:
    """URL name -> the spellings each filter accepts in a link (codes, slugs, labels) -> the widget's value."""
    return {f.param: links.spellings({code: f.names(code) for code in _options(f, actions)}) for f in FILTERS}


def link(name: str, value: str) -> dict[str, str]:
    """The query string of a link to a page with the filter `name` set to `value` alone."""
    declared = BY_NAME[name]
    return {declared.param: declared.link(value)}


def check_link(actions: pa.Table) -> None:
    """Read the filters of the address into the widgets' state, when the address brings them (a link
    opened, a page link followed), and remember the values no filter accepts; `layout.page_header` says
    which were ignored. Switching pages leaves the address without filters: the session's are kept."""
    params = {name: st.query_params.get_all(name) for name in st.query_params}
    if not params:
        return
    choices = _choices(actions)
    brought = {f.param: params[f.param] for f in FILTERS if f.param in params}
    # A filter whose state Streamlit dropped (a run that finds another page than the last) is read again too.
    lost = any(param not in st.session_state for param in brought)
    if brought and (lost or brought != st.session_state.get(_WRITTEN)):
        for f in FILTERS:
            if f.param in brought:
                codes = [c for v in brought[f.param] if (c := links.resolve(v, choices[f.param])) is not None]
                st.session_state[f.param] = f.state(list(dict.fromkeys(codes)))
    found = links.ignored(
        params,
        choices,
        {PERIOD.param: _(PERIOD.label)} | {f.param: _(f.label) for f in FILTERS},
        period=PERIOD.param,
        limits=period_limits(actions),
    )
    if found:
        st.session_state[IGNORED] = [item.text() for item in found]


def write_link() -> None:
    """Write the filters' values into the address, each as its declaration's `link` spells it."""
    state = st.session_state
    wanted: dict[str, list[str]] = {}
    for f in FILTERS:
        values = f.chosen(state.get(f.param))
        if values:
            wanted[f.param] = [f.link(v) for v in values]
    for f in FILTERS:
        if wanted.get(f.param, []) == st.query_params.get_all(f.param):
            continue
        if f.param in wanted:
            st.query_params[f.param] = wanted[f.param]
        else:
            del st.query_params[f.param]
    state[_WRITTEN] = wanted


def refresh() -> None:
    """Give the filters their values again, so that the browser shows them in the new language: a list keeps
    the words of its options as they were drawn until its value is set from the server."""
    for f in FILTERS:
        if f.param in st.session_state:
            st.session_state[f.param] = st.session_state[f.param]


def forget_ignored() -> None:
    st.session_state.pop(IGNORED, None)


def render_sidebar(actions: pa.Table) -> None:
    """Draw the filter widgets in the sidebar: the period, then each filter as declared, a group folded
    unless one of its filters is set."""
    check_link(actions)
    bounds = date_bounds(actions) or (dt.date(dt.date.today().year, 1, 1), dt.date.today())
    earliest, latest = period_limits(actions)
    with st.sidebar:
        st.markdown("### " + _("Filtres"))
        st.date_input(
            _("{period} (date de début des actions)").format(period=_(PERIOD.label)),
            value=(dt.date(bounds[0].year, 1, 1), dt.date(bounds[1].year, 12, 31)),
            min_value=earliest,
            max_value=latest,
            format="DD/MM/YYYY",
            key=PERIOD.param,
            bind="query-params",
        )
        for group, members in itertools.groupby(FILTERS, key=lambda f: f.group):
            declared = list(members)
            if group is None:
                for f in declared:
                    _widget(f, actions)
                continue
            set_one = any(f.chosen(st.session_state.get(f.param)) for f in declared)
            with st.expander(_(group), expanded=set_one):
                for f in declared:
                    _widget(f, actions)
        st.button(_("Effacer les filtres"), on_click=clear_all, icon=":material/filter_alt_off:", width="stretch")
    write_link()


def _widget(declared: Filter, actions: pa.Table) -> None:
    def words(code: str) -> str:
        return declared.words(code, i18n.language())

    if isinstance(declared, Choice):
        st.segmented_control(
            _(declared.label), _options(declared, actions), format_func=words, key=declared.param,
            help=declared.help_text(),
        )  # fmt: skip
        return
    st.multiselect(
        _(declared.label),
        _options(declared, actions),
        format_func=words,
        key=declared.param,
        placeholder=_(declared.placeholder),
        select_all=False,
        help=declared.help_text(),
    )


def _period() -> tuple[dt.date | None, dt.date | None]:
    value = st.session_state.get(PERIOD.param)
    if isinstance(value, Sequence) and len(value) == 2:
        return value[0], value[1]
    # While the user has picked only the first date, keep the period open-ended.
    if isinstance(value, Sequence) and len(value) == 1:
        return value[0], None
    return None, None


def current() -> Filters:
    """The selection made in the sidebar and by clicks on charts."""
    start, end = _period()
    return Filters(start=start, end=end, **{f.name: f.value(st.session_state.get(f.param)) for f in FILTERS})


def set_values(name: str, values: Sequence[str], *, add: bool = False) -> None:
    """Set (or extend) a list filter; call from a widget callback."""
    key = BY_NAME[name].param
    chosen = list(st.session_state.get(key) or []) if add else []
    chosen += [v for v in values if v not in chosen]
    st.session_state[key] = chosen


def clear(name: str) -> None:
    declared = BY_NAME[name]
    st.session_state[declared.param] = declared.cleared()


def clear_all() -> None:
    st.session_state.pop(PERIOD.param, None)
    for f in FILTERS:
        clear(f.name)
