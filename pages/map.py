"""Map of partner countries: where the Army works with partners, year by year.

A click on a country makes it the country filter of every page (shift-click
adds more). The map itself shows every partner of the rest of the selection, so
the other countries stay on it to be clicked.
"""

import streamlit as st

from dashboard import geo, i18n, map_view, query
from dashboard.charts import maps
from dashboard.i18n import _
from dashboard.reference import country_name
from dashboard.schema import MEASURES, REGIONS
from dashboard.selection import period
from dashboard.ui import access, briefing, data, filters, language, layout

access.guard()  # refuses a run that does not come through app.py (identity, role, marking)

CHART = "carte_partenaires"
MAP_MEASURES = ("actions", "person_days", "partner_trainees", "modes")
# As high as the world drawn on a 1280-pixel window is: no blank band above the map.
MAP_HEIGHT = 500


def _on_click() -> None:
    """A clicked country becomes the country filter; several (shift-click) are added to it."""
    points = st.session_state[CHART]["selection"]["points"]
    clicked = [p["location"] for p in points if p.get("curve_number") == maps.PARTNERS and p.get("location")]
    if not clicked:
        return
    filters.set_values("countries", clicked, add=len(clicked) > 1)
    # Plotly draws this choice itself: the figure must not change for it.
    map_view.clicked(st.session_state, filters.current().countries)


def _clear() -> None:
    filters.clear("countries")


actions = data.actions()
selection = filters.current()
now, before = query.compared_key_figures(actions, selection)
previous = selection.previous()
layout.page_header(_("Carte des partenaires"), selection, aside=lambda: briefing.downloads(selection))
layout.selection_figures(selection, now, before)

language.redraw("carte_mesure", "carte_zone")
# Four compact controls: they hold on one line down to a 1280-pixel window.
with st.container(horizontal=True, vertical_alignment="bottom", gap="medium"):
    measure = st.selectbox(
        _("Couleur selon"), MAP_MEASURES, format_func=lambda m: _(MEASURES[m]), key="carte_mesure", width=200
    )
    zone = st.selectbox(_("Zone"), (maps.WORLD, *REGIONS), format_func=_, key="carte_zone", width=170)
    show_change = st.toggle(
        _(maps.CHANGE),
        key="carte_evolution",
        disabled=previous is None,
        help=_("Écart de chaque pays avec la période précédente de même durée ({period})").format(
            period=period(previous)
        )
        if previous
        else _(
            "Écart de chaque pays avec la période précédente de même durée : choisir une période fermée dans les "
            "filtres"
        ),
    )
    show_meetings = st.toggle(
        _("Rencontres"), key="carte_rencontres", disabled=show_change, help=_("Lieux des rencontres")
    )

every_partner = selection.change(countries=())
changing = show_change and previous is not None
view = (every_partner, measure, zone, show_meetings, changing)
highlighted, revision = map_view.highlight(st.session_state, view, selection.countries)
if changing:
    figure = maps.change_map(
        query.aggregate(actions, every_partner, ["country_iso3"], measure),
        query.aggregate(actions, previous.change(countries=()), ["country_iso3"], measure),
        measure,
        selected=highlighted,
        zone=zone or maps.WORLD,
        revision=revision,
        height=MAP_HEIGHT,
    )
else:
    figure = maps.partner_map(
        query.aggregate(actions, every_partner, ["country_iso3"], measure),
        measure,
        per_year=query.aggregate(actions, every_partner, ["country_iso3", "year"], measure),
        meetings=query.meetings_by_country(data.meetings(), every_partner) if show_meetings else None,
        centroids=geo.centroids(),
        selected=highlighted,
        zone=zone or maps.WORLD,
        revision=revision,
        height=MAP_HEIGHT,
    )
layout.chart(
    figure,
    key=CHART,
    title=_("Évolution : {measure}").format(measure=_(MEASURES[measure]).lower())
    if changing
    else _("{measure} par pays partenaire").format(measure=_(MEASURES[measure])),
    on_select=_on_click,
    selection_mode="points",
    config={"topojsonURL": geo.topojson_url(st.get_option("server.baseUrlPath")), "displaylogo": False},
)
st.caption(
    _("Cliquer sur un pays le retient comme filtre pour toutes les pages ; Maj + clic en ajoute d'autres.")
    + " "
    + (
        _("Évolution : écart avec la période précédente ({period}), baisses en orange, hausses en bleu.").format(
            period=period(previous)
        )
        if changing
        else _(
            "Le curseur ne change que la carte (une année, ▶ les fait défiler) ; les chiffres clés gardent la "
            "période des filtres."
        )
    )
    + " "
    + _("France : pays d'origine des détachements.")
)

chosen_column, clear_column = st.columns([4, 1], vertical_alignment="center")
if selection.countries:
    chosen_column.text(
        _("Pays retenus : {countries}").format(
            countries=", ".join(country_name(c, i18n.language()) for c in selection.countries)
        )
    )
    clear_column.button(_("Effacer les pays"), on_click=_clear, icon=":material/close:", width="stretch")
    links = st.columns(min(len(selection.countries), 4))
    for column, iso3 in zip(links, selection.countries[:4], strict=False):
        column.page_link(
            "pages/country.py",
            label=_("Fiche pays : {country}").format(country=country_name(iso3, i18n.language())),
            icon=":material/flag:",
            query_params=filters.link("countries", iso3),
        )
else:
    chosen_column.text(_("Aucun pays retenu : la sélection couvre tous les pays partenaires."))
