"""Page furniture shared by every page: title, selection chips, data freshness, key figure cards, table columns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from dashboard import export, i18n, query
from dashboard.charts import alternative
from dashboard.charts import base as chart_base
from dashboard.demo import DEMO_NOTICE
from dashboard.i18n import _
from dashboard.query import Filters
from dashboard.selection import criteria, describe, period
from dashboard.settings import settings
from dashboard.ui import data
from dashboard.ui import filters as shared_filters


def page_header(title: str, filters: Filters | None = None, *, aside: Callable[[], object] | None = None) -> None:
    """Title (with `aside`, such as a download menu, drawn on its right), then one compact line: the period, the
    data version and its date (with the demo notice on demo data), and every other active filter as a chip
    that removes it."""
    if aside is None:
        st.title(title, anchor=False)
    else:
        with st.container(horizontal=True, vertical_alignment="center"):
            st.title(title, anchor=False)
            aside()
    version = data.data_version()
    words = version.text()
    if filters is not None:
        span = period(filters)
        words = f"{span[:1].upper()}{span[1:]} · {words}"
    st.caption(words, help=_(DEMO_NOTICE) if version.demo else None)
    ignored = st.session_state.get(shared_filters.IGNORED)
    if ignored:
        with st.container(horizontal=True, vertical_alignment="center", key="pmo_lien"):
            st.warning(
                _("Valeurs du lien ignorées : {values}.").format(values=_(" ; ").join(plain(text) for text in ignored)),
                icon=":material/link_off:",
            )
            st.button(_("Compris"), on_click=shared_filters.forget_ignored, key="pmo_lien_compris")
    if filters is not None:
        selection_chips(filters)


def export_notes(filters: Filters | None = None) -> list[str]:
    """What an export of this page holds: the data version and its date, today's date, the selection."""
    return export.notes(data.data_version().text(), describe(filters, limit=None) if filters else None, dt.date.today())


def selection_chips(filters: Filters) -> None:
    """Every active filter but the period as a button that removes it, and one that removes them all."""
    active = criteria(filters)
    if not active:
        return
    with st.container(horizontal=True, gap="small", key="pmo_chips"):
        for criterion in active:
            st.button(
                plain(criterion.text(limit=3)),
                key=f"pmo_chip_{criterion.name}",
                help=_("Retirer ce filtre : {filter}").format(filter=plain(criterion.text())),
                on_click=shared_filters.clear,
                args=(criterion.name,),
                icon=":material/close:",
                icon_position="right",
            )
        if len(active) > 1:
            st.button(
                _("Tout effacer"),
                key="pmo_chip_all",
                type="tertiary",
                on_click=shared_filters.clear_all,
                icon=":material/filter_alt_off:",
            )


@dataclass(frozen=True)
class Figure:
    label: str
    value: float
    previous: float | None = None
    help: str | None = None


def key_figures(figures: Sequence[Figure], *, previous: Filters | None = None) -> None:
    """A row of key figure cards, with the change against `previous` when it has data."""
    compared = previous is not None and any(f.previous for f in figures)
    columns = st.columns(len(figures))
    for column, figure in zip(columns, figures, strict=True):
        column.metric(
            figure.label,
            i18n.number(figure.value),
            delta=i18n.change(figure.value, figure.previous) if compared else None,
            help=figure.help,
            border=True,
        )
    if previous is not None and compared:
        st.caption(
            _("Évolution par rapport à la période précédente de même durée ({period}).").format(period=period(previous))
        )
    elif previous is not None:
        st.caption(
            _("Pas d'évolution : aucune donnée sur la période précédente ({period}).").format(period=period(previous))
        )


def selection_figures(
    selection: Filters, now: query.KeyFigures, before: query.KeyFigures | None, *, extra: Sequence[Figure] = ()
) -> None:
    """The four key figures of a selection of actions, compared with `before`, the period before it."""

    def figure(label: str, name: str, help: str | None = None) -> Figure:
        return Figure(label, getattr(now, name), getattr(before, name) if before else None, help)

    key_figures(
        [
            figure(_("Actions") if selection.statuses else _("Actions réalisées"), "actions"),
            figure(_("Pays partenaires"), "countries"),
            figure(_("Journées-personnel"), "person_days", _("Effectif français × durée de chaque action, en jours.")),
            figure(_("Stagiaires partenaires"), "partner_trainees"),
            *extra,
            figure(
                _("Actions prévues"),
                "planned",
                _(
                    "Actions programmées de la sélection, commencées ou non, comptées à part : les autres chiffres "
                    "portent sur les actions réalisées, sauf choix d'un autre statut dans les filtres."
                ),
            ),
        ],
        previous=selection.previous(),
    )


# ASCII punctuation but the quotes, which mean nothing in Markdown outside a link (brackets escaped).
_PUNCTUATION = frozenset("!#$%&()*+,-./:;<=>?@[\\]^_`{|}~")
# U+2060 WORD JOINER: invisible, and no Streamlit directive starts with it.
_JOINER = "\u2060"


def chart(fig: Any, *, title: str | None = None, brief: bool = False, **options: Any) -> Any:
    """`st.plotly_chart` of a figure marked with the classification marking of the settings; returns what
    Streamlit returns (the selection, with `on_select`).

    With `title` (what the chart shows), its text alternative stands under it: one sentence, which opens onto
    the chart's data as a table, built only when opened (a filter change sends nothing more than the sentence).
    With `brief`, the closed line is the title alone and the sentence comes with the table: a page near its
    budget of bytes per filter change pays a few words for the chart's alternative.
    """
    config = settings()
    marking = chart_base.Marking(config.marking, config.marking_color, config.marking_text_color)
    result = st.plotly_chart(chart_base.mark(fig, marking), **options)
    if title is not None:
        key = options.get("key", title)
        label = _("{title} : données et résumé").format(title=title) if brief else alternative.summary(fig, title)
        data = st.expander(plain(label), key=f"{key}_donnees", on_change="rerun")
        if data.open:
            if brief:
                data.markdown(plain(alternative.summary(fig, title)))
            data.dataframe(alternative.table(fig), hide_index=True, placeholder=i18n.MISSING)
    return result


def plain(text: object) -> str:
    """A data value made safe to embed in a Markdown string: shown as typed, never as Markdown, HTML,
    an HTML entity, a link or a Streamlit directive.

    Every ASCII punctuation character but quotes is backslash-escaped (so `&lt;` stays `&lt;`, `[x](y)` stays text).
    Streamlit finds `:material/…:` icons, `:smile:` emoji and `:red[…]` colours after the escapes are
    read, so an invisible word joiner also follows every colon.
    """
    return "".join("\\" + ch + _JOINER if ch == ":" else "\\" + ch if ch in _PUNCTUATION else ch for ch in str(text))


# A table's dates, in the browser's (moment.js) patterns.
DATE_COLUMN_FORMATS = {"fr": "DD/MM/YYYY", "en": "D MMM YYYY"}


def date_columns(start: str = "start_date", end: str = "end_date") -> dict[str, Any]:
    """Table settings that show the `start` and `end` columns as dates of the language (`21/11/2026`,
    `21 Nov 2026`), headed Début and Fin."""
    shown = DATE_COLUMN_FORMATS[i18n.language()]
    return {
        start: st.column_config.DateColumn(_("Début"), format=shown),
        end: st.column_config.DateColumn(_("Fin"), format=shown),
    }


def number_columns(headings: Mapping[str, str], *names: str) -> dict[str, Any]:
    """Table settings that show the columns `names` as numbers written the French way (1 234), under their
    `headings`."""
    return {name: st.column_config.NumberColumn(headings[name], format="localized") for name in names}
