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
from dashboard.i18n import _
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


def _offer(label: str, codes: list[str]) -> None:
    """The countries `codes` to pick the partner from (the pick becomes the country filter); nothing more is drawn."""
    st.selectbox(
        label,
        codes,
        index=None,
        format_func=lambda iso3: country_name(iso3, i18n.language()),
        key=CHOICE,
        on_change=_choose,
        placeholder=_("Pays partenaire"),
    )
    st.stop()


def _search(codes: list[str]) -> None:
    """One country found: it becomes the country filter; several: the page offers them."""
    found = find_countries(st.session_state.get(SEARCH, ""), codes)
    if len(found) == 1:
        filters.set_values("countries", found)
        st.session_state[SEARCH] = ""


actions = data.actions()
selection = filters.current()
layout.page_header(_("Fiche pays"), selection)

# Streamlit's own list search heeds accents (« Cote » misses Côte d'Ivoire): this box does not.
partners = query.country_codes(actions)
typed = st.columns([2, 3])[0].text_input(
    _("Rechercher un pays"),
    key=SEARCH,
    on_change=_search,
    args=(partners,),
    placeholder="cote, senegal…",
    help=_("Sans tenir compte des accents, des majuscules ni des apostrophes ; le nom anglais et le code ISO aussi."),
)
if typed:
    found = find_countries(typed, partners)
    if not found:
        st.warning(
            _("Aucun pays partenaire ne correspond à « {typed} ».").format(typed=layout.plain(typed)),
            icon=":material/search_off:",
        )
    else:
        _offer(
            _("{count} pays correspondent à « {typed} » : choisir le pays à présenter").format(
                count=len(found), typed=layout.plain(typed)
            ),
            found,
        )

partner, candidates = query.profile_country(actions, selection)
if partner is None:
    if not candidates:
        st.info(_("Aucune action enregistrée pour cette sélection : pas de pays partenaire à présenter."))
        st.stop()
    _offer(
        _("Plusieurs pays sont retenus : choisir le pays à présenter")
        if selection.countries
        else _("Choisir un pays partenaire"),
        candidates,
    )

reference = countries().get(partner)
st.header(country_name(partner, i18n.language()), anchor=False)
if reference:
    st.caption(_("Région : {region}").format(region=_(reference.region) if reference.region else i18n.MISSING))
briefing.downloads(selection)

previous = selection.previous()
now = query.key_figures(actions, selection, planned=False)
assessed = plan.assessment_summary(actions, selection)
before = query.key_figures(actions, previous, planned=False) if previous else None
layout.key_figures(
    [
        layout.Figure(
            _("Actions") if selection.statuses else _("Actions réalisées"), now.actions, before and before.actions
        ),
        layout.Figure(
            _("Journées-personnel"),
            now.person_days,
            before and before.person_days,
            help=_("Effectif français × durée de chaque action, en jours."),
        ),
        layout.Figure(_("Stagiaires partenaires"), now.partner_trainees, before and before.partner_trainees),
        layout.Figure(_("Modes d'action"), query.aggregate(actions, selection, [], "modes")["value"].iloc[0]),
        layout.Figure(
            _("Évaluées (%)"),
            round(100 * assessed.share) if assessed.share is not None else 0,
            help=_("Part des actions réalisées de la sélection dont l'atteinte de l'objectif est évaluée."),
        ),
    ],
    previous=previous,
)

left, right = st.columns([3, 2])
with left:
    st.subheader(_("Actions par année et par mode"), anchor=False)
    layout.chart(
        charts.per_year(query.aggregate(actions, selection, ["year", "mode"]), "mode"),
        key="fiche_annees",
        title=_("Actions par année et par mode"),
    )
with right:
    st.subheader(_("Programmes"), anchor=False)
    programmes = query.programmes(actions, selection)
    if programmes.empty:
        st.text(_("Aucun programme nommé pour ce pays dans la sélection."))
    else:
        printing.table(
            programmes,
            {
                "programme": _("Programme"),
                "actions": _("Actions"),
                "first_year": _("Depuis"),
                "last_year": _("Jusqu'en"),
            },
            key="programmes",
            formats={"first_year": str, "last_year": str},
            column_config={
                "programme": _("Programme"),
                "actions": st.column_config.NumberColumn(_("Actions"), format="localized"),
                "first_year": st.column_config.NumberColumn(_("Depuis"), format="%d"),
                "last_year": st.column_config.NumberColumn(_("Jusqu'en"), format="%d"),
            },
        )

st.subheader(_("Fonction stratégique et facteurs de supériorité opérationnelle"), anchor=False)
layout.chart(
    maps.functions_by_factor(query.aggregate(actions, selection, ["strategic_function", "superiority_factor"])),
    key="fiche_fonctions",
    title=_("Fonction stratégique × facteur de supériorité"),
)
st.caption(_("Nombre d'actions ; une action liée à plusieurs facteurs compte une fois sous chacun."))

# The partner's meetings (its actions and meetings on one timeline, above the table)
# and its actions: in tabs that run only when open, so a filter change sends one of them.
st.divider()
meetings_tab, actions_tab, assessment_tab = st.tabs(
    [_("Rencontres"), _("Actions"), _("Objectifs et évaluation")], key="fiche_onglet", on_change="rerun"
)

with meetings_tab:
    if meetings_tab.open:
        events = partner_events.country_events(actions, data.meetings(), partner, selection)
        layout.chart(
            timeline.country_timeline(
                events.actions, events.meetings, monthly=events.monthly, period=(selection.start, selection.end)
            ),
            key="fiche_frise",
            title=_("Frise des actions et des rencontres"),
        )
        st.caption(
            _(
                "Frise : les actions avec ce pays et les rencontres auxquelles il a pris part ; "
                "le tableau ajoute celles tenues sur son sol."
            )
            + (
                " "
                + _(
                    "Au-delà de {count} actions, la frise les compte par mois et par mode : plus la barre est "
                    "foncée, plus le mois en compte."
                ).format(count=i18n.number(partner_events.TIMELINE_ACTIONS))
                if events.monthly
                else ""
            )
        )
        partner_meetings = query.meeting_rows(data.meetings(), selection)
        if partner_meetings.empty:
            st.text(_("Aucune rencontre avec ce pays sur la période."))
        else:
            headings = {
                "start_date": _("Début"),
                "end_date": _("Fin"),
                "title": _("Intitulé"),
                "kind": _("Type"),
                "level": _("Niveau"),
                "city": _("Ville"),
                "country_iso3": _("Pays hôte"),
                "body": _("Organisme"),
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
                _("Les {shown} plus récentes sur {count} ; le fichier CSV les contient toutes.").format(
                    shown=i18n.number(SHOWN), count=i18n.number(now.actions)
                )
            )
        headings = {
            "start_date": _("Début"),
            "end_date": _("Fin"),
            "title": _("Intitulé"),
            "mode": _("Mode"),
            "strategic_function": _("Fonction stratégique"),
            "framework": _("Cadre"),
            "unit": _("Unité"),
            "programme": _("Programme"),
        }
        printing.table(rows, headings, key="actions", column_config={**headings, **layout.date_columns()})
        st.download_button(
            _("Télécharger les actions (CSV)"),
            # Under the French headers of the data contract: a corrected file goes back through the import.
            data=i18n.bound(
                lambda: export.csv_bytes(
                    export.contract_frame(query.action_rows(actions, selection, with_description=True), ACTIONS),
                    about=layout.export_notes(selection),
                )
            ),
            file_name=f"actions-{partner}.csv",
            mime="text/csv",
            on_click="ignore",
            icon=":material/download:",
        )

with assessment_tab:
    if assessment_tab.open:
        st.markdown(
            _("**{assessed}** actions réalisées évaluées sur **{realised}** ({share})").format(
                assessed=i18n.number(assessed.assessed),
                realised=i18n.number(assessed.realised),
                share=i18n.percent(assessed.share, 0),
            )
            + (
                _(", niveau moyen {level} sur 3 (0 : non atteint, 3 : dépassé).").format(
                    level=i18n.number(assessed.mean_level, 1)
                )
                if assessed.mean_level is not None
                else "."
            )
        )
        layout.chart(
            plan_charts.assessment(plan.assessment_levels(actions, selection, "mode"), "mode"),
            key="fiche_evaluation_modes",
            title=_("Évaluation par mode d'action"),
        )
        st.markdown(_("**Actions réalisées : objectif et évaluation** (les 100 plus récentes)"))
        headings = {
            "start_date": _("Début"),
            "end_date": _("Fin"),
            "title": _("Intitulé"),
            "mode": _("Mode"),
            "objective": _("Objectif"),
            "assessment": _("Évaluation"),
            "assessment_note": _("Commentaire"),
        }
        printing.table(
            plan.assessed_rows(actions, selection),
            headings,
            key="evaluees",
            column_config={**headings, **layout.date_columns()},
        )
        st.markdown(_("**Actions prévues et leurs objectifs**"))
        planned = plan.planned_rows(actions, selection, dt.date.today())
        if planned.empty:
            st.text(_("Aucune action prévue avec ce pays."))
        else:
            headings = {
                "start_date": _("Début"),
                "end_date": _("Fin"),
                "title": _("Intitulé"),
                "mode": _("Mode"),
                "unit": _("Unité"),
                "objective": _("Objectif"),
            }
            printing.table(planned, headings, key="prevues", column_config={**headings, **layout.date_columns()})
