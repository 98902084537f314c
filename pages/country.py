"""Country profile: what the Army does with one partner, and the meetings held with it.

The partner is the country filter when it names exactly one country (so
`/country?pays=Sénégal` opens the profile of Senegal); otherwise the user
picks one, which becomes the country filter of every page.
"""

import datetime as dt

import streamlit as st

from dashboard import export, i18n, plan, query
from dashboard import meetings as partner_events
from dashboard.charts import maps, timeline
from dashboard.charts import overview as charts
from dashboard.charts import plan as plan_charts
from dashboard.reference import countries, country_name, find_countries
from dashboard.schema import ACTIONS
from dashboard.ui import access, briefing, data, filters, layout, printing

access.guard()  # refuses a run that does not come through app.py (identity, role, marking)

CHOICE = "fiche_pays_choix"
SEARCH = "fiche_pays_recherche"


def _choose() -> None:
    if st.session_state.get(CHOICE):
        filters.set_values("countries", [st.session_state[CHOICE]])
        st.session_state[SEARCH] = ""


def _search(codes: list[str]) -> None:
    """One country found: it becomes the country filter; several: the page offers them."""
    found = find_countries(st.session_state.get(SEARCH, ""), codes)
    if len(found) == 1:
        filters.set_values("countries", found)
        st.session_state[SEARCH] = ""


actions = data.actions()
selection = filters.current()
layout.page_header("Fiche pays", selection)

# Streamlit's own list search heeds accents (« Cote » misses Côte d'Ivoire): this box does not.
partners = query.country_codes(actions)
typed = st.columns([2, 3])[0].text_input(
    "Rechercher un pays",
    key=SEARCH,
    on_change=_search,
    args=(partners,),
    placeholder="cote, senegal…",
    help="Sans tenir compte des accents, des majuscules ni des apostrophes ; le nom anglais et le code ISO aussi.",
)
if typed:
    found = find_countries(typed, partners)
    if not found:
        st.warning(f"Aucun pays partenaire ne correspond à « {layout.plain(typed)} ».", icon=":material/search_off:")
    else:
        st.selectbox(
            f"{len(found)} pays correspondent à « {layout.plain(typed)} » : choisir le pays à présenter",
            found,
            index=None,
            format_func=country_name,
            key=CHOICE,
            on_change=_choose,
            placeholder="Pays partenaire",
        )
        st.stop()

partner, candidates = query.profile_country(actions, selection)
if partner is None:
    if not candidates:
        st.info("Aucune action enregistrée pour cette sélection : pas de pays partenaire à présenter.")
        st.stop()
    st.selectbox(
        "Plusieurs pays sont retenus : choisir le pays à présenter"
        if selection.countries
        else "Choisir un pays partenaire",
        candidates,
        index=None,
        format_func=country_name,
        key=CHOICE,
        on_change=_choose,
        placeholder="Pays partenaire",
    )
    st.stop()

reference = countries().get(partner)
st.header(country_name(partner), anchor=False)
if reference:
    st.caption(f"Région : {reference.region}")
briefing.downloads(selection)

previous = selection.previous()
now = query.key_figures(actions, selection, planned=False)
assessed = plan.assessment_summary(actions, selection)
before = query.key_figures(actions, previous, planned=False) if previous else None
layout.key_figures(
    [
        layout.Figure("Actions" if selection.statuses else "Actions réalisées", now.actions, before and before.actions),
        layout.Figure(
            "Journées-personnel",
            now.person_days,
            before and before.person_days,
            help="Effectif français × durée de chaque action, en jours.",
        ),
        layout.Figure("Stagiaires partenaires", now.partner_trainees, before and before.partner_trainees),
        layout.Figure("Modes d'action", query.aggregate(actions, selection, [], "modes")["value"].iloc[0]),
        layout.Figure(
            "Évaluées (%)",
            round(100 * assessed.share) if assessed.share is not None else 0,
            help="Part des actions réalisées de la sélection dont l'atteinte de l'objectif est évaluée.",
        ),
    ],
    previous=previous,
)

left, right = st.columns([3, 2])
with left:
    st.subheader("Actions par année et par mode", anchor=False)
    layout.chart(
        charts.per_year(query.aggregate(actions, selection, ["year", "mode"]), "mode"),
        key="fiche_annees",
        title="Actions par année et par mode",
    )
with right:
    st.subheader("Programmes", anchor=False)
    programmes = query.programmes(actions, selection)
    if programmes.empty:
        st.text("Aucun programme nommé pour ce pays dans la sélection.")
    else:
        printing.table(
            programmes,
            {"programme": "Programme", "actions": "Actions", "first_year": "Depuis", "last_year": "Jusqu'en"},
            key="programmes",
            raw=("first_year", "last_year"),
            column_config={
                "programme": "Programme",
                "actions": st.column_config.NumberColumn("Actions", format="localized"),
                "first_year": st.column_config.NumberColumn("Depuis", format="%d"),
                "last_year": st.column_config.NumberColumn("Jusqu'en", format="%d"),
            },
        )

st.subheader("Fonction stratégique et facteurs de supériorité opérationnelle", anchor=False)
layout.chart(
    maps.functions_by_factor(query.aggregate(actions, selection, ["strategic_function", "superiority_factor"])),
    key="fiche_fonctions",
    title="Fonction stratégique × facteur de supériorité",
)
st.caption("Nombre d'actions ; une action liée à plusieurs facteurs compte une fois sous chacun.")

# The partner's meetings (its actions and meetings on one timeline, above the table)
# and its actions: in tabs that run only when open, so a filter change sends one of them.
st.divider()
meetings_tab, actions_tab, assessment_tab = st.tabs(
    ["Rencontres", "Actions", "Objectifs et évaluation"], key="fiche_onglet", on_change="rerun"
)

with meetings_tab:
    if meetings_tab.open:
        events = partner_events.country_events(actions, data.meetings(), partner, selection)
        layout.chart(
            timeline.country_timeline(
                events.actions, events.meetings, monthly=events.monthly, period=(selection.start, selection.end)
            ),
            key="fiche_frise",
            title="Frise des actions et des rencontres",
        )
        st.caption(
            "Frise : les actions avec ce pays et les rencontres auxquelles il a pris part ; "
            "le tableau ajoute celles tenues sur son sol."
            + (
                f" Au-delà de {i18n.number(partner_events.TIMELINE_ACTIONS)} actions, la frise les compte par mois "
                "et par mode : plus la barre est foncée, plus le mois en compte."
                if events.monthly
                else ""
            )
        )
        partner_meetings = query.meeting_rows(data.meetings(), selection)
        if partner_meetings.empty:
            st.text("Aucune rencontre avec ce pays sur la période.")
        else:
            headings = {
                "start_date": "Début",
                "end_date": "Fin",
                "title": "Intitulé",
                "kind": "Type",
                "level": "Niveau",
                "city": "Ville",
                "country_iso3": "Pays hôte",
                "body": "Organisme",
            }
            printing.table(
                partner_meetings,
                headings,
                key="rencontres",
                column_config={**headings, **layout.date_columns()},
            )

with actions_tab:
    if actions_tab.open:
        # The most recent actions; the download carries them all, built only when asked for.
        SHOWN = 100
        rows = query.action_rows(actions, selection, limit=SHOWN)
        if now.actions > SHOWN:
            st.caption(
                f"Les {i18n.number(SHOWN)} plus récentes sur {i18n.number(now.actions)} ; "
                "le fichier CSV les contient toutes."
            )
        headings = {
            "start_date": "Début",
            "end_date": "Fin",
            "title": "Intitulé",
            "mode": "Mode",
            "strategic_function": "Fonction stratégique",
            "framework": "Cadre",
            "unit": "Unité",
            "programme": "Programme",
        }
        printing.table(rows, headings, key="actions", column_config={**headings, **layout.date_columns()})
        st.download_button(
            "Télécharger les actions (CSV)",
            # Under the French headers of the data contract: a corrected file goes back through the import.
            data=lambda: export.csv_bytes(
                export.contract_frame(query.action_rows(actions, selection, with_description=True), ACTIONS),
                about=layout.export_notes(selection),
            ),
            file_name=f"actions-{partner}.csv",
            mime="text/csv",
            on_click="ignore",
            icon=":material/download:",
        )

with assessment_tab:
    if assessment_tab.open:
        st.markdown(
            f"**{i18n.number(assessed.assessed)}** actions réalisées évaluées sur **{i18n.number(assessed.realised)}** "
            f"({i18n.percent(assessed.share, 0)})"
            + (
                f", niveau moyen {i18n.number(assessed.mean_level, 1)} sur 3 (0 : non atteint, 3 : dépassé)."
                if assessed.mean_level is not None
                else "."
            )
        )
        layout.chart(
            plan_charts.assessment(plan.assessment_levels(actions, selection, "mode"), "mode"),
            key="fiche_evaluation_modes",
            title="Évaluation par mode d'action",
        )
        st.markdown("**Actions réalisées : objectif et évaluation** (les 100 plus récentes)")
        st.dataframe(
            placeholder=i18n.MISSING,
            data=plan.assessed_rows(actions, selection),
            hide_index=True,
            column_config={
                **layout.date_columns(),
                "title": "Intitulé",
                "mode": "Mode",
                "objective": "Objectif",
                "assessment": "Évaluation",
                "assessment_note": "Commentaire",
            },
        )
        st.markdown("**Actions prévues et leurs objectifs**")
        planned = plan.planned_rows(actions, selection, dt.date.today())
        if planned.empty:
            st.text("Aucune action prévue avec ce pays.")
        else:
            st.dataframe(
                placeholder=i18n.MISSING,
                data=planned,
                hide_index=True,
                column_config={
                    **layout.date_columns(),
                    "title": "Intitulé",
                    "mode": "Mode",
                    "unit": "Unité",
                    "objective": "Objectif",
                },
            )
