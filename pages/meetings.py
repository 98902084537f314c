"""International meetings: a timeline per kind or per body, the chosen event, the list and the exports."""

import datetime as dt
from collections.abc import Callable
from functools import partial

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard import export, i18n, ical, query
from dashboard import meetings as mt
from dashboard.charts import timeline
from dashboard.i18n import _
from dashboard.reference import acronyms, country_name
from dashboard.schema import MEETING_FORMATS, MEETING_KINDS, MEETING_LEVELS, MEETINGS
from dashboard.ui import access, data, filters, language, layout, printing

access.guard()  # refuses a run that does not come through app.py (identity, role, marking)

CHOSEN = "rencontre_choisie"
CHART = "rencontres_frise"


def choose_on_chart() -> None:
    points = st.session_state[CHART].selection.points
    # A click on the background empties the selection: keep the event already chosen.
    if points and points[0].get("customdata"):
        st.session_state[CHOSEN] = points[0]["customdata"][0]


def choose_in_list(key: str, ids: list[str]) -> None:
    rows = st.session_state[key].selection.rows
    if rows:
        st.session_state[CHOSEN] = ids[rows[0]]


def forget() -> None:
    st.session_state.pop(CHOSEN, None)


def show_upcoming(start: dt.date | None, end: dt.date) -> None:
    filters.set_period(start or end.replace(month=1, day=1), end)


def choice(
    column: DeltaGenerator, label: str, options: list[str], key: str, format_func: Callable[[str], str] = str
) -> tuple[str, ...]:
    """A multiselect of the options present, plus values still chosen that the other filters removed."""
    kept = options + [v for v in st.session_state.get(key) or [] if v not in options]
    return tuple(
        column.multiselect(label, kept, format_func=format_func, key=key, placeholder=_("Tous"), select_all=False)
    )


today = dt.date.today()
shared = filters.current()
meetings = data.meetings()
in_scope = query.meeting_rows(meetings, shared)
available = mt.options(in_scope)

layout.page_header(_("Rencontres internationales"), shared)
# The lists whose options read in words show their chosen ones in the new language.
language.redraw("rencontre_type", "rencontre_niveau", "rencontre_format", "rencontre_partenaire", "rencontre_lignes")

columns = st.columns([3, 3, 2, 2, 3])
chosen = mt.MeetingFilters(
    kinds=choice(columns[0], _("Type"), available.kinds, "rencontre_type", partial(mt.label_of, MEETING_KINDS)),
    bodies=choice(columns[1], _("Organisme"), available.bodies, "rencontre_organisme"),
    levels=choice(columns[2], _("Niveau"), available.levels, "rencontre_niveau", partial(mt.label_of, MEETING_LEVELS)),
    formats=choice(
        columns[3], _("Format"), available.formats, "rencontre_format", partial(mt.label_of, MEETING_FORMATS)
    ),
    partners=choice(
        columns[4],
        _("Pays partenaire présent"),
        available.partners,
        "rencontre_partenaire",
        lambda iso3: country_name(iso3, i18n.language()),
    ),
)
rows = mt.select(in_scope, chosen)
figures = mt.counts(rows, today)

layout.key_figures(
    [
        layout.Figure(_("Rencontres"), figures.meetings),
        layout.Figure(
            _("À venir ou en cours"),
            figures.upcoming,
            help=_("Au {date}, date du serveur.").format(date=i18n.date(today)),
        ),
        layout.Figure(_("Passées"), figures.past),
        layout.Figure(_("Pays partenaires présents"), figures.partners),
    ]
)
if figures.next_start is not None:
    st.caption(
        layout.plain(
            _("Prochaine rencontre : {title}, le {date}.").format(
                title=figures.next_title, date=mt.dates_text(figures.next_start, figures.next_start)
            )
        )
    )
last = mt.latest_end(meetings)
if shared.end is not None and shared.end < today and last is not None and last >= today:
    latest = filters.period_limits(data.actions())[1]
    st.info(
        _("La période choisie s'arrête le {date} : les rencontres à venir n'apparaissent pas.").format(
            date=mt.dates_text(shared.end, shared.end)
        ),
        icon=":material/event_upcoming:",
    )
    st.button(
        _("Étendre la période aux rencontres à venir"),
        on_click=show_upcoming,
        args=(shared.start, min(last, latest)),
        icon=":material/date_range:",
    )

head, choice = st.columns([3, 2], vertical_alignment="bottom")
head.subheader(_("Frise chronologique"), anchor=False)
lanes = choice.segmented_control(
    _("Une ligne"),
    list(mt.LANES),
    format_func=lambda lane: _(mt.LANES[lane]),
    default="kind",
    required=True,
    key="rencontre_lignes",
    label_visibility="collapsed",
)
layout.chart(
    timeline.meetings_timeline(
        rows, lanes=lanes, today=today, selected=st.session_state.get(CHOSEN), period=(shared.start, shared.end)
    ),
    key=CHART,
    title=_("Frise des rencontres"),
    on_select=choose_on_chart,
    selection_mode="points",
    config={"displaylogo": False, "modeBarButtonsToRemove": ["select2d", "lasso2d"]},
)

detail = mt.details(rows, st.session_state.get(CHOSEN), today)
if detail is None:
    st.caption(
        _("Cliquez sur une rencontre de la frise ou sur une ligne de la liste pour en voir le détail.")
        if not st.session_state.get(CHOSEN)
        else _("La rencontre choisie n'est plus dans la sélection.")
    )
else:
    with st.container(border=True, key="rencontre_detail"):
        head, close = st.columns([8, 1])
        head.subheader(layout.plain(detail.title), anchor=False)
        close.button(_("Fermer"), on_click=forget, icon=":material/close:")
        st.caption(layout.plain(f"{detail.dates} · {detail.status} · {detail.kind}"))
        left, right = st.columns(2)
        left.markdown(
            "  \n".join(
                [
                    _("**Organisme** : {value}").format(value=layout.plain(detail.body)),
                    _("**Niveau** : {value}").format(value=layout.plain(detail.level)),
                    _("**Format** : {value}").format(value=layout.plain(detail.format)),
                    _("**Lieu** : {value}").format(value=layout.plain(detail.place)),
                    _("**Participants** : {value}").format(
                        value="–" if detail.participants is None else i18n.number(detail.participants)
                    ),
                ]
            )
        )
        right.markdown(
            _("**Pays partenaires** : {value}").format(value=layout.plain(", ".join(detail.partners) or "–"))
            + "  \n"
            + _("**Thèmes** : {value}").format(value=layout.plain(", ".join(detail.topics) or "–"))
        )
        if detail.summary:
            st.markdown(layout.plain(detail.summary))

st.subheader(_("Liste des rencontres"), anchor=False)
ahead, before = mt.upcoming(rows, today), mt.past(rows, today)
names = [
    _("À venir ({count})").format(count=i18n.number(figures.upcoming)),
    _("Passées ({count})").format(count=i18n.number(figures.past)),
]
# The list opens on a tab that has rows: the past ones when nothing is ahead in the period.
for tab, part, key in zip(
    st.tabs(names, default=names[1] if ahead.empty and not before.empty else names[0]),
    (ahead, before),
    ("rencontres_a_venir", "rencontres_passees"),
    strict=True,
):
    with tab:
        if part.empty:
            st.caption(_("Aucune rencontre."))
            continue
        printing.table(
            mt.table(part, today),
            width="stretch",
            column_config={
                **layout.date_columns(mt.heading("start_date"), mt.heading("end_date")),
                # Wide enough for the longest title, and kept in view when the table scrolls sideways.
                # The acronyms of the bodies and levels listed, spelled out on hover of the heading.
                mt.heading("body"): st.column_config.TextColumn(mt.heading("body"), help=acronyms(part["body"])),
                mt.heading("level"): st.column_config.TextColumn(mt.heading("level"), help=acronyms(part["level"])),
                mt.heading("title"): st.column_config.TextColumn(
                    mt.heading("title"), width=min(720, 16 + 7 * int(part["title"].str.len().max())), pinned=True
                ),
            },
            key=key,
            on_select=partial(choose_in_list, key, part["meeting_id"].tolist()),
            selection_mode="single-row",
        )

ics, csv = st.columns(2)
ics.download_button(
    _("Exporter vers un agenda (.ics)"),
    data=i18n.bound(lambda: ical.ics_bytes(rows)),
    file_name=_("rencontres.ics"),
    mime="text/calendar",
    on_click="ignore",
    icon=":material/calendar_month:",
    disabled=rows.empty,
    width="stretch",
)
csv.download_button(
    _("Exporter le tableau (.csv)"),
    data=i18n.bound(lambda: export.csv_bytes(export.contract_frame(rows, MEETINGS), about=layout.export_notes(shared))),
    file_name="rencontres.csv",
    mime="text/csv",
    on_click="ignore",
    icon=":material/download:",
    disabled=rows.empty,
    width="stretch",
)
