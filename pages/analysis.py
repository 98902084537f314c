"""Analysis by strategic function and superiority factor; a click on a chart filters every page."""

from collections.abc import Callable
from functools import partial

import streamlit as st

from dashboard import analysis, export, i18n, plan, query
from dashboard.charts import analysis as charts
from dashboard.charts import plan as plan_charts
from dashboard.i18n import N_, _
from dashboard.schema import MEASURES, STRATEGIC_FUNCTIONS, SUPERIORITY_FACTORS
from dashboard.ui import access, briefing, data, filters, language, layout, views

access.guard()  # refuses a run that does not come through app.py (identity, role, marking)

# What each chart shows, in the sentence that describes it.
TITLES = {
    "analyse_profil": N_("Profil des facteurs par région"),
    "analyse_matrice": N_("Fonction stratégique × facteur de supériorité"),
    "analyse_annees": N_("Par année et par fonction"),
    "analyse_evolution_fonctions": N_("Évolution sur un an par fonction"),
    "analyse_evolution_facteurs": N_("Évolution sur un an par facteur"),
    "analyse_soleil": N_("Régions, pays et modes"),
    "analyse_piliers": N_("Par pilier des relations internationales"),
    "analyse_cadres": N_("Par cadre"),
}
# Filters set by a click on a chart of this page, so one button can clear exactly those.
CHART_SET = "analyse_filtres_graphiques"


def on_chart_click(key: str, read: Callable[[list[dict]], dict[str, list[str]]]) -> None:
    chosen = read(st.session_state[key]["selection"]["points"])
    for name, values in chosen.items():
        filters.set_values(name, values)
    st.session_state[CHART_SET] = sorted(set(st.session_state.get(CHART_SET, [])) | set(chosen))


def clear_chart_filters() -> None:
    for name in st.session_state.pop(CHART_SET, []):
        filters.clear(name)


def clickable(figure, key: str, *names: str) -> None:
    """A chart whose click sets the filters `names` from the codes its marks carry (a sunburst: its path),
    with its text alternative (a sentence and its data)."""
    read = analysis.clicked_sector if names == ("sunburst",) else partial(analysis.clicked_filters, names=names)
    layout.chart(
        figure,
        key=key,
        title=_(TITLES[key]) if key in TITLES else None,
        # Its tab sends close to the 30 KB a filter change may cost (tests/test_browser_analysis.py): its
        # sentence comes with its table, when opened.
        brief=key == "analyse_profil",
        on_select=partial(on_chart_click, key, read),
        selection_mode="points",
        config={"displaylogo": False},
    )


actions = data.actions()
selection = filters.current()
language.redraw("mesure")

layout.page_header(_("Analyse par fonction et facteur"), selection, aside=lambda: briefing.downloads(selection))
controls = st.columns([6, 4, 2.6], vertical_alignment="bottom")
measure = (
    controls[0].radio(
        _("Mesure"),
        analysis.ANALYSIS_MEASURES,
        format_func=lambda code: _(MEASURES[code]),
        horizontal=True,
        key="mesure",
        bind="query-params",
    )
    or "actions"
)
controls[1].button(
    _("Effacer la sélection du graphique"),
    on_click=clear_chart_filters,
    icon=":material/deselect:",
    disabled=not any(getattr(selection, name) for name in st.session_state.get(CHART_SET, [])),
    help=_("Retire les filtres posés en cliquant sur les graphiques de cette page."),
)

source, period = analysis.narrow(actions, selection)
now, before = query.compared_key_figures(source, period)
controls[2].download_button(
    _("Exporter (Excel)"),
    # Built on the click only, from the shared table (a narrowed copy held here would stay for the session).
    data=i18n.bound(
        lambda: export.xlsx_bytes(analysis.workbook(actions, selection, measure, about=layout.export_notes()))
    ),
    file_name=_("analyse-pmo.xlsx"),
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    on_click="ignore",
    icon=":material/download:",
    disabled=now.actions == 0,
    help=_("Toutes les répartitions de la sélection dans un classeur Excel, marqué comme la page."),
)
layout.selection_figures(period, now, before)

if now.actions == 0:
    st.info(
        _(
            "Aucune action ne correspond à cette sélection : élargissez la période, retirez un filtre ou effacez la "
            "sélection du graphique. Sur une base vide, la page « Importer des données » charge un premier fichier."
        ),
        icon=":material/info:",
    )
    st.stop()

st.subheader(
    _("{measure} par fonction stratégique et facteur de supériorité").format(measure=_(MEASURES[measure])),
    anchor=False,
)
# Cross-filter: the matrix keeps every cell, the chosen function and factor highlighted, the rest dimmed.
every_cell = selection.change(functions=(), factors=())
clickable(
    charts.matrix(
        analysis.matrix(*analysis.narrow(actions, every_cell), measure),
        measure,
        functions_chosen=selection.functions,
        factors_chosen=selection.factors,
    ),
    "analyse_matrice",
    "functions",
    "factors",
)
st.caption(
    _(
        "Chaque case donne le total et la part de la fonction (ligne) qui sert ce facteur. Une action sert souvent "
        "plusieurs facteurs : elle compte une fois sous chacun, si bien qu'une ligne dépasse 100 %, et que les "
        "colonnes additionnées dépassent le nombre d'actions. Les totaux entre parenthèses comptent chaque action "
        "une seule fois. Cliquer sur une case filtre toutes les pages sur cette fonction et ce facteur : la case "
        "reste en couleur, les autres s'estompent."
    )
)

# The other views in tabs that run only when open (the chosen one is kept in the link, by its code):
# a filter change builds and sends the matrix and one tab, not every chart of the page.
years_tab, change_tab, profile_tab, countries_tab, pillars_tab, assessment_tab = views.tabs(
    analysis.VIEWS, key="analyse_vue", param="vue"
)

with years_tab:
    if years_tab.open:
        st.subheader(_("Par année et par fonction"), anchor=False)
        clickable(charts.per_year(analysis.per_year(source, period, measure), measure), "analyse_annees", "functions")
        st.caption(_("Cliquer sur une barre filtre toutes les pages sur cette fonction."))

with change_tab:
    if change_tab.open:
        comparison = analysis.year_over_year(source, period, measure)
        st.subheader(
            _("{year} par rapport à {before}").format(year=comparison.year, before=comparison.year - 1), anchor=False
        )
        compared = i18n.period(comparison.current.start, comparison.current.end)
        st.caption(
            _("{period}, contre la même période un an plus tôt.").format(period=compared[:1].upper() + compared[1:])
        )
        left, right = st.columns(2)
        with left:
            st.markdown("**" + _("Par fonction stratégique") + "**")
            clickable(
                charts.year_over_year(comparison.functions, analysis.FUNCTION, comparison.year, measure),
                "analyse_evolution_fonctions",
                "functions",
            )
        with right:
            st.markdown("**" + _("Par facteur de supériorité") + "**")
            clickable(
                charts.year_over_year(comparison.factors, analysis.FACTOR, comparison.year, measure),
                "analyse_evolution_facteurs",
                "factors",
            )

with profile_tab:
    if profile_tab.open:
        st.subheader(_("Profil des facteurs par région"), anchor=False)
        clickable(
            charts.factor_profile(analysis.factor_profile(source, period, measure), measure),
            "analyse_profil",
            "regions",
            "factors",
        )
        st.caption(
            _(
                "Part de chaque facteur parmi les facteurs servis dans la région (chaque région totalise 100 %). "
                "Cliquer sur une barre filtre toutes les pages sur cette région et ce facteur."
            )
        )

with countries_tab:
    if countries_tab.open:
        st.subheader(_("Région, pays et mode d'action"), anchor=False)
        clickable(charts.sunburst(analysis.sunburst(source, period, measure), measure), "analyse_soleil", "sunburst")
        st.caption(
            _(
                "Cliquer sur une région, un pays ou un mode filtre toutes les pages. Les modes d'action "
                "s'affichent quand la sélection compte au plus {count} pays."
            ).format(count=i18n.number(charts.SUNBURST_MODES_UP_TO))
        )

with pillars_tab:
    if pillars_tab.open:
        sides = (
            (_("Par pilier des relations internationales"), "pillar", "analyse_piliers", "pillars"),
            (_("Par cadre"), "framework", "analyse_cadres", "frameworks"),
        )
        for column, (title, dimension, key, filter_name) in zip(st.columns(2), sides, strict=True):
            column.subheader(title, anchor=False)
            with column:
                breakdown = analysis.breakdown(source, period, dimension, measure)
                clickable(charts.breakdown(breakdown, dimension, measure), key, filter_name)

with assessment_tab:
    if assessment_tab.open:
        summary = plan.assessment_summary(source, period)
        st.subheader(_("Atteinte des objectifs des actions réalisées"), anchor=False)
        st.caption(
            _(
                "{assessed} actions évaluées sur {realised} réalisées ({share}). Les catégories sont classées du "
                "niveau moyen le plus haut (en haut) au plus bas ; une action liée à plusieurs facteurs compte une "
                "fois sous chacun."
            ).format(
                assessed=i18n.number(summary.assessed),
                realised=i18n.number(summary.realised),
                share=i18n.percent(summary.share, 0),
            )
        )
        for title, chart_title, dimension, key in (
            (_("Par mode d'action"), _("Évaluation par mode d'action"), "mode", "analyse_evaluation_modes"),
            (
                _("Par fonction stratégique"),
                _("Évaluation par fonction stratégique"),
                "strategic_function",
                "analyse_evaluation_fonctions",
            ),
            (
                _("Par facteur de supériorité opérationnelle"),
                _("Évaluation par facteur de supériorité opérationnelle"),
                analysis.FACTOR,
                "analyse_evaluation_facteurs",
            ),
        ):
            st.markdown(f"**{title}**")
            levels = plan.assessment_levels(source, period, dimension)
            layout.chart(plan_charts.assessment(levels, dimension), key=key, title=chart_title)

with st.expander(_("Définitions des fonctions et des facteurs")):
    for taxonomy in (STRATEGIC_FUNCTIONS, SUPERIORITY_FACTORS):
        st.markdown(f"**{taxonomy.title(i18n.language())}**")
        st.table(
            [
                {
                    _("Libellé"): taxonomy.label(c.code, i18n.language()),
                    _("Définition"): taxonomy.definition(c.code, i18n.language()),
                }
                for c in taxonomy.categories
            ],
            border="horizontal",
            hide_index=True,
        )
