"""Overview for commanders: key figures of the selection and where the effort goes."""

import streamlit as st

from dashboard import geo, query
from dashboard.charts import maps
from dashboard.charts import overview as charts
from dashboard.i18n import _
from dashboard.ui import access, briefing, data, filters, layout

access.guard()  # refuses a run that does not come through app.py (identity, role, marking)

actions = data.actions()
selection = filters.current()
per_year = query.aggregate(actions, selection, ["year", "mode"])
by_country = query.aggregate(actions, selection, ["country_iso3", "region"])
by_region = query.aggregate(actions, selection, ["region"])
now, before = query.compared_key_figures(actions, selection)

layout.page_header(_("Partenariat militaire opérationnel"), selection, aside=lambda: briefing.downloads(selection))
layout.selection_figures(selection, now, before)

st.subheader(_("Où agit l'armée de Terre"), anchor=False)
layout.chart(
    maps.partner_map(by_country, height=380),
    key="overview_map",
    title=_("Actions par pays partenaire"),
    config={"topojsonURL": geo.topojson_url(st.get_option("server.baseUrlPath")), "displayModeBar": False},
)
st.page_link("pages/map.py", label=_("Ouvrir la carte des partenaires"), icon=":material/public:")

left, right = st.columns([3, 2])
with left:
    st.subheader(_("Actions par année et par mode"), anchor=False)
    layout.chart(charts.per_year(per_year, "mode"), key="overview_per_year", title=_("Actions par année et par mode"))
with right:
    st.subheader(_("Répartition par région"), anchor=False)
    layout.chart(charts.regions(by_region), key="overview_regions", title=_("Actions par région"))
st.subheader(_("Principaux pays partenaires"), anchor=False)
layout.chart(charts.leading_countries(by_country), key="overview_countries", title=_("Principaux pays partenaires"))
