"""The sidebar filters shared by every page and bound to the URL query string.

The widgets are drawn by the entry script before the page runs, so their
values survive page switches; `bind="query-params"` writes them into the URL,
so a copied link reopens the same view. Pages read the selection with
`current()` and change it (click-to-filter) with `set_values()` from a widget
callback, before the widgets are drawn again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pyarrow as pa
import streamlit as st

from dashboard import links
from dashboard.query import Filters, country_codes, date_bounds
from dashboard.reference import acronyms, country_name
from dashboard.schema import ACTION_STATES, REGIONS
from dashboard.selection import LABELS, OPEX_OPTIONS, TAXONOMY_FILTERS

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


def _choices(actions: pa.Table) -> dict[str, list[str]]:
    """URL name -> the values each list filter accepts, as the link writes them (the labels shown)."""
    choices = {
        KEYS["regions"]: list(REGIONS),
        KEYS["countries"]: [country_name(c) for c in _country_options(actions)],
        KEYS["statuses"]: [ACTION_STATES.label(c) for c in ACTION_STATES.codes],
        KEYS["opex"]: list(OPEX_OPTIONS),
    }
    choices.update({KEYS[name]: [t.label(c) for c in t.codes] for name, t in TAXONOMY_FILTERS.items()})
    return choices


def check_link(actions: pa.Table) -> None:
    """Remember the values of the address that no filter accepts (before the widgets drop them silently);
    `layout.page_header` says which were ignored."""
    params = {name: st.query_params.get_all(name) for name in st.query_params}
    if not params:
        return
    found = links.ignored(
        params,
        _choices(actions),
        {key: LABELS[name] for name, key in KEYS.items()},
        period=KEYS["period"],
        limits=period_limits(actions),
    )
    if found:
        st.session_state[IGNORED] = [item.text() for item in found]


def forget_ignored() -> None:
    st.session_state.pop(IGNORED, None)


def render_sidebar(actions: pa.Table) -> None:
    """Draw the filter widgets in the sidebar."""
    check_link(actions)
    bounds = date_bounds(actions) or (dt.date(dt.date.today().year, 1, 1), dt.date.today())
    earliest, latest = period_limits(actions)
    with st.sidebar:
        st.markdown("### Filtres")
        st.date_input(
            f"{LABELS['period']} (date de début des actions)",
            value=(dt.date(bounds[0].year, 1, 1), dt.date(bounds[1].year, 12, 31)),
            min_value=earliest,
            max_value=latest,
            format="DD/MM/YYYY",
            key=KEYS["period"],
            bind="query-params",
        )
        st.multiselect(
            LABELS["regions"], REGIONS, key=KEYS["regions"], bind="query-params", placeholder="Toutes", select_all=False
        )
        st.multiselect(
            LABELS["countries"],
            _country_options(actions),
            format_func=country_name,
            key=KEYS["countries"],
            bind="query-params",
            placeholder="Tous",
            select_all=False,
        )
        st.multiselect(
            LABELS["statuses"],
            ACTION_STATES.codes,
            format_func=ACTION_STATES.label,
            key=KEYS["statuses"],
            bind="query-params",
            placeholder="Réalisées",
            select_all=False,
            help="Sans choix, les chiffres, la carte et les graphiques portent sur les actions réalisées ; "
            "« en cours » désigne une action prévue dont le premier jour est passé.",
        )
        with st.expander("Doctrine, cadre et dispositif", expanded=_any_doctrine_filter()):
            for name, taxonomy in TAXONOMY_FILTERS.items():
                st.multiselect(
                    LABELS[name],
                    taxonomy.codes,
                    format_func=taxonomy.label,
                    key=KEYS[name],
                    bind="query-params",
                    placeholder="Tous",
                    select_all=False,
                    help=acronyms(taxonomy.codes),
                )
            st.segmented_control(
                LABELS["opex"], list(OPEX_OPTIONS), key=KEYS["opex"], bind="query-params", help=acronyms(["OPEX"])
            )
        st.button("Effacer les filtres", on_click=clear_all, icon=":material/filter_alt_off:", width="stretch")


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
