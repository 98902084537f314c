"""International meetings: a timeline per kind or per body, the chosen event, the list and the exports."""

import datetime as dt
from collections.abc import Callable
from functools import partial

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard import export, i18n, ical, query
from dashboard import meetings as mt
from dashboard.charts import timeline
from dashboard.reference import acronyms, country_name
from dashboard.schema import MEETING_FORMATS, MEETING_KINDS, MEETING_LEVELS, MEETINGS
from dashboard.ui import access, data, filters, layout, printing

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
        column.multiselect(label, kept, format_func=format_func, key=key, placeholder="Tous", select_all=False)
    )


today = dt.date.today()
shared = filters.current()
meetings = data.meetings()
in_scope = query.meeting_rows(meetings, shared)
available = mt.options(in_scope)

layout.page_header("Rencontres internationales", shared)

columns = st.columns([3, 3, 2, 2, 3])
chosen = mt.MeetingFilters(
    kinds=choice(columns[0], "Type", available.kinds, "rencontre_type", partial(mt.label_of, MEETING_KINDS)),
    bodies=choice(columns[1], "Organisme", available.bodies, "rencontre_organisme"),
    levels=choice(columns[2], "Niveau", available.levels, "rencontre_niveau", partial(mt.label_of, MEETING_LEVELS)),
    formats=choice(columns[3], "Format", available.formats, "rencontre_format", partial(mt.label_of, MEETING_FORMATS)),
    partners=choice(columns[4], "Pays partenaire présent", available.partners, "rencontre_partenaire", country_name),
)
rows = mt.select(in_scope, chosen)
figures = mt.counts(rows, today)

layout.key_figures(
    [
        layout.Figure("Rencontres", figures.meetings),
        layout.Figure("À venir ou en cours", figures.upcoming, help=f"Au {i18n.date(today)}, date du serveur."),
        layout.Figure("Passées", figures.past),
        layout.Figure("Pays partenaires présents", figures.partners),
    ]
)
if figures.next_start is not None:
    st.caption(
        layout.plain(
            f"Prochaine rencontre : {figures.next_title}, le {mt.dates_text(figures.next_start, figures.next_start)}."
        )
    )
last = mt.latest_end(meetings)
if shared.end is not None and shared.end < today and last is not None and last >= today:
    _, latest = filters.period_limits(data.actions())
    st.info(
        f"La période choisie s'arrête le {mt.dates_text(shared.end, shared.end)} : "
        "les rencontres à venir n'apparaissent pas.",
        icon=":material/event_upcoming:",
    )
    st.button(
        "Étendre la période aux rencontres à venir",
        on_click=show_upcoming,
        args=(shared.start, min(last, latest)),
        icon=":material/date_range:",
    )

head, choice = st.columns([3, 2], vertical_alignment="bottom")
head.subheader("Frise chronologique", anchor=False)
lanes = choice.segmented_control(
    "Une ligne",
    list(mt.LANES),
    format_func=mt.LANES.get,
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
    title="Frise des rencontres",
    on_select=choose_on_chart,
    selection_mode="points",
    config={"displaylogo": False, "modeBarButtonsToRemove": ["select2d", "lasso2d"]},
)

detail = mt.details(rows, st.session_state.get(CHOSEN), today)
if detail is None:
    st.caption(
        "Cliquez sur une rencontre de la frise ou sur une ligne de la liste pour en voir le détail."
        if not st.session_state.get(CHOSEN)
        else "La rencontre choisie n'est plus dans la sélection."
    )
else:
    with st.container(border=True, key="rencontre_detail"):
        head, close = st.columns([8, 1])
        head.subheader(layout.plain(detail.title), anchor=False)
        close.button("Fermer", on_click=forget, icon=":material/close:")
        st.caption(layout.plain(f"{detail.dates} · {detail.status} · {detail.kind}"))
        left, right = st.columns(2)
        left.markdown(
            "  \n".join(
                [
                    f"**Organisme** : {layout.plain(detail.body)}",
                    f"**Niveau** : {layout.plain(detail.level)}",
                    f"**Format** : {layout.plain(detail.format)}",
                    f"**Lieu** : {layout.plain(detail.place)}",
                    f"**Participants** : {'–' if detail.participants is None else detail.participants}",
                ]
            )
        )
        right.markdown(
            f"**Pays partenaires** : {layout.plain(', '.join(detail.partners) or '–')}  \n"
            f"**Thèmes** : {layout.plain(', '.join(detail.topics) or '–')}"
        )
        if detail.summary:
            st.markdown(layout.plain(detail.summary))

st.subheader("Liste des rencontres", anchor=False)
ahead, before = mt.upcoming(rows, today), mt.past(rows, today)
names = [f"À venir ({figures.upcoming})", f"Passées ({figures.past})"]
# The list opens on a tab that has rows: the past ones when nothing is ahead in the period.
for tab, part, key in zip(
    st.tabs(names, default=names[1] if ahead.empty and not before.empty else names[0]),
    (ahead, before),
    ("rencontres_a_venir", "rencontres_passees"),
    strict=True,
):
    with tab:
        if part.empty:
            st.caption("Aucune rencontre.")
            continue
        printing.table(
            mt.table(part, today),
            width="stretch",
            column_config={
                **layout.date_columns("Début", "Fin"),
                # Wide enough for the longest title, and kept in view when the table scrolls sideways.
                # The acronyms of the bodies and levels listed, spelled out on hover of the heading.
                "Organisme": st.column_config.TextColumn("Organisme", help=acronyms(part["body"])),
                "Niveau": st.column_config.TextColumn("Niveau", help=acronyms(part["level"])),
                "Intitulé": st.column_config.TextColumn(
                    "Intitulé", width=min(720, 16 + 7 * int(part["title"].str.len().max())), pinned=True
                ),
            },
            key=key,
            on_select=partial(choose_in_list, key, part["meeting_id"].tolist()),
            selection_mode="single-row",
        )

ics, csv = st.columns(2)
ics.download_button(
    "Exporter vers un agenda (.ics)",
    data=lambda: ical.ics_bytes(rows),
    file_name="rencontres.ics",
    mime="text/calendar",
    on_click="ignore",
    icon=":material/calendar_month:",
    disabled=rows.empty,
    width="stretch",
)
csv.download_button(
    "Exporter le tableau (.csv)",
    data=lambda: export.csv_bytes(export.contract_frame(rows, MEETINGS), about=layout.export_notes(shared)),
    file_name="rencontres.csv",
    mime="text/csv",
    on_click="ignore",
    icon=":material/download:",
    disabled=rows.empty,
    width="stretch",
)
