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
from collections.abc import Sequence

import pyarrow as pa
import streamlit as st

from dashboard import i18n, links
from dashboard.i18n import _
from dashboard.query import Filters, country_codes, date_bounds
from dashboard.reference import acronyms, country_name
from dashboard.schema import ACTION_STATES, REGIONS
from dashboard.selection import OPEX_OPTIONS, TAXONOMY_FILTERS, label

# Filters field -> widget key, which is also the name in the URL.
KEYS: dict[str, str] = {
    "period": "periode",
    "regions": "region",
    "countries": "pays",
    "modes": "mode",
    "functions": "fonction",
    "factors": "facteur",
    "pillars": "pilier",
    "frameworks": "cadre",
    "forces": "dispositif",
    "opex": "opex",
    "statuses": "statut",
}


def _country_options(actions: pa.Table) -> list[str]:
    present = country_codes(actions)
    chosen = st.session_state.get(KEYS["countries"]) or []
    return sorted(set(present) | set(chosen), key=lambda iso3: country_name(iso3))


def period_limits(actions: pa.Table) -> tuple[dt.date, dt.date]:
    """The earliest and latest dates the period widget accepts."""
    bounds = date_bounds(actions) or (dt.date(dt.date.today().year, 1, 1), dt.date.today())
    return dt.date(bounds[0].year - 5, 1, 1), dt.date(bounds[1].year + 2, 12, 31)


def set_period(start: dt.date | None, end: dt.date | None) -> None:
    """Set the period; call from a widget callback."""
    st.session_state[KEYS["period"]] = (start, end)


IGNORED = "pmo_lien_ignore"
# The filter values this session last wrote into the URL (URL name -> values).
_WRITTEN = "pmo_lien_ecrit"
# The filters written into the URL by this module (the period is bound by Streamlit).
LISTED = tuple(name for name in KEYS if name != "period")


def _names(name: str, code: str) -> tuple[str, ...]:
    """The labels of one value of the filter `name`, in every language, as links may write them."""
    if name == "countries":
        return country_name(code, "fr"), country_name(code, "en")
    taxonomy = ACTION_STATES if name == "statuses" else TAXONOMY_FILTERS.get(name)
    if taxonomy is not None:
        return taxonomy.label(code, "fr"), taxonomy.label(code, "en")
    return (code,)


def _choices(actions: pa.Table) -> dict[str, dict[str, str]]:
    """URL name -> the spellings each filter accepts in a link (codes, slugs, labels) -> the widget's value."""
    options: dict[str, Sequence[str]] = {
        "regions": REGIONS,
        "countries": _country_options(actions),
        "statuses": ACTION_STATES.codes,
        "opex": list(OPEX_OPTIONS),
        **{name: t.codes for name, t in TAXONOMY_FILTERS.items()},
    }
    return {KEYS[name]: links.spellings({c: _names(name, c) for c in codes}) for name, codes in options.items()}


def link_value(name: str, value: str) -> str:
    """How a link writes one value of the filter `name`: a country's ISO code, any other value's slug."""
    return value if name == "countries" else links.slug(value)


def check_link(actions: pa.Table) -> None:
    """Read the filters of the address into the widgets' state, when the address brings them (a link
    opened, a page link followed), and remember the values no filter accepts; `layout.page_header` says
    which were ignored. Switching pages leaves the address without filters: the session's are kept."""
    params = {name: st.query_params.get_all(name) for name in st.query_params}
    brought = {KEYS[name]: params[KEYS[name]] for name in LISTED if KEYS[name] in params}
    if brought and brought != st.session_state.get(_WRITTEN):
        choices = _choices(actions)
        for name in LISTED:
            key = KEYS[name]
            if key not in brought:
                continue
            codes = [c for v in brought[key] if (c := links.resolve(v, choices[key])) is not None]
            codes = list(dict.fromkeys(codes))
            st.session_state[key] = (codes[0] if codes else None) if name == "opex" else codes
    if not params:
        return
    found = links.ignored(
        params,
        _choices(actions),
        {key: label(name) for name, key in KEYS.items()},
        period=KEYS["period"],
        limits=period_limits(actions),
    )
    if found:
        st.session_state[IGNORED] = [item.text() for item in found]


def write_link() -> None:
    """Write the filters' values into the address, in the language-neutral spelling of `link_value`."""
    state = st.session_state
    wanted: dict[str, list[str]] = {}
    for name in LISTED:
        value = state.get(KEYS[name])
        values = ([value] if value else []) if name == "opex" else list(value or [])
        if values:
            wanted[KEYS[name]] = [link_value(name, v) for v in values]
    for name in LISTED:
        key = KEYS[name]
        if wanted.get(key, []) == st.query_params.get_all(key):
            continue
        if key in wanted:
            st.query_params[key] = wanted[key]
        else:
            del st.query_params[key]
    state[_WRITTEN] = wanted


def refresh() -> None:
    """Give the filters their values again, so that the browser shows them in the new language: a list keeps
    the words of its options as they were drawn until its value is set from the server."""
    for name in LISTED:
        key = KEYS[name]
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def forget_ignored() -> None:
    st.session_state.pop(IGNORED, None)


def render_sidebar(actions: pa.Table) -> None:
    """Draw the filter widgets in the sidebar."""
    check_link(actions)
    bounds = date_bounds(actions) or (dt.date(dt.date.today().year, 1, 1), dt.date.today())
    earliest, latest = period_limits(actions)
    with st.sidebar:
        st.markdown("### " + _("Filtres"))
        st.date_input(
            _("{period} (date de début des actions)").format(period=label("period")),
            value=(dt.date(bounds[0].year, 1, 1), dt.date(bounds[1].year, 12, 31)),
            min_value=earliest,
            max_value=latest,
            format="DD/MM/YYYY",
            key=KEYS["period"],
            bind="query-params",
        )
        st.multiselect(
            label("regions"), REGIONS, format_func=_, key=KEYS["regions"], placeholder=_("Toutes"), select_all=False
        )
        st.multiselect(
            label("countries"),
            _country_options(actions),
            format_func=lambda iso3: country_name(iso3, i18n.language()),
            key=KEYS["countries"],
            placeholder=_("Tous"),
            select_all=False,
        )
        st.multiselect(
            label("statuses"),
            ACTION_STATES.codes,
            format_func=lambda code: ACTION_STATES.label(code, i18n.language()),
            key=KEYS["statuses"],
            placeholder=_("Réalisées"),
            select_all=False,
            help=_(
                "Sans choix, les chiffres, la carte et les graphiques portent sur les actions réalisées ; "
                "« en cours » désigne une action prévue dont le premier jour est passé."
            ),
        )
        with st.expander(_("Doctrine, cadre et dispositif"), expanded=_any_doctrine_filter()):
            for name, taxonomy in TAXONOMY_FILTERS.items():
                st.multiselect(
                    label(name),
                    taxonomy.codes,
                    format_func=lambda code, taxonomy=taxonomy: taxonomy.label(code, i18n.language()),
                    key=KEYS[name],
                    placeholder=_("Tous"),
                    select_all=False,
                    help=acronyms(taxonomy.codes),
                )
            st.segmented_control(
                label("opex"), list(OPEX_OPTIONS), format_func=_, key=KEYS["opex"], help=acronyms(["OPEX"])
            )
        st.button(_("Effacer les filtres"), on_click=clear_all, icon=":material/filter_alt_off:", width="stretch")
    write_link()


def _any_doctrine_filter() -> bool:
    return any(st.session_state.get(KEYS[name]) for name in TAXONOMY_FILTERS) or bool(
        st.session_state.get(KEYS["opex"])
    )


def _period() -> tuple[dt.date | None, dt.date | None]:
    value = st.session_state.get(KEYS["period"])
    if isinstance(value, Sequence) and len(value) == 2:
        return value[0], value[1]
    # While the user has picked only the first date, keep the period open-ended.
    if isinstance(value, Sequence) and len(value) == 1:
        return value[0], None
    return None, None


def current() -> Filters:
    """The selection made in the sidebar and by clicks on charts."""
    state = st.session_state
    start, end = _period()
    opex = state.get(KEYS["opex"])
    return Filters(
        start=start,
        end=end,
        opex=OPEX_OPTIONS.get(opex) if opex else None,
        **{name: tuple(state.get(KEYS[name]) or ()) for name in KEYS if name not in ("period", "opex")},
    )


def set_values(name: str, values: Sequence[str], *, add: bool = False) -> None:
    """Set (or extend) a list filter; call from a widget callback."""
    key = KEYS[name]
    chosen = list(st.session_state.get(key) or []) if add else []
    chosen += [v for v in values if v not in chosen]
    st.session_state[key] = chosen


def clear(name: str) -> None:
    st.session_state[KEYS[name]] = None if name == "opex" else []


def clear_all() -> None:
    for name in KEYS:
        if name == "period":
            st.session_state.pop(KEYS[name], None)
        else:
            clear(name)
