"""Programmation: the next twelve months, the units' load, planned against realised, cancellations."""

import datetime as dt

import streamlit as st

from dashboard import i18n, plan
from dashboard.charts import plan as charts
from dashboard.reference import country_name
from dashboard.ui import access, data, filters, layout

access.guard()  # refuses a run that does not come through app.py (identity, role, marking)

UNITS_SHOWN = 12

actions = data.actions()
selection = filters.current()
today = dt.date.today()
first, last = plan.horizon(today)
by = st.session_state.get("programmation_repartition") or "region"
upcoming = plan.upcoming(actions, selection, today, by)
load = plan.commitments(actions, selection, today)
per_year = plan.realisation(actions, selection, today, "year")
per_partner = plan.realisation(actions, selection, today, "country_iso3")
reasons = plan.called_off_reasons(actions, selection)

layout.page_header("Programmation", selection)
st.caption(
    f"Plan du {i18n.date(first)} au {i18n.date(last)} : les filtres s'appliquent, sauf la période et le statut. "
    "Le bilan (prévu et réalisé, annulations) porte sur la période choisie."
)
due, realised = int(per_year["due"].sum()), int(per_year["realised"].sum())
layout.key_figures(
    [
        layout.Figure("Prévues sur 12 mois", int(upcoming["actions"].sum())),
        layout.Figure("Unités engagées", len(load.units)),
        layout.Figure(
            "En chevauchement",
            int((load.units["overlap_days"] > 0).sum()),
            help="Unités engagées dans deux pays ou plus aux mêmes dates, sur les douze prochains mois.",
        ),
        layout.Figure(
            "Réalisées (%)",
            round(100 * realised / due, 1) if due else 0,
            help="Taux de réalisation : actions réalisées parmi les actions programmées dont la date de fin est "
            "passée, sur la période.",
        ),
        layout.Figure("Annulées, reportées", int(reasons["actions"].sum())),
    ]
)

st.subheader("Les douze prochains mois", anchor=False)
st.segmented_control(
    "Répartition",
    ["region", "country_iso3"],
    format_func={"region": "Par région", "country_iso3": "Par pays"}.get,
    default="region",
    key="programmation_repartition",
    label_visibility="collapsed",
)
st.plotly_chart(charts.upcoming(upcoming, by), key="programmation_mois")

st.subheader("Charge des unités", anchor=False)
if load.units.empty:
    st.text("Aucune unité désignée pour les actions prévues de la sélection.")
else:
    shown = load.units.head(UNITS_SHOWN)["unit"].tolist()
    st.plotly_chart(charts.unit_load(load.spans, load.overlaps, shown, today), key="programmation_unites")
    st.caption(
        f"Les {len(shown)} unités les plus engagées : une barre par pays où leurs actions se suivent, en rouge "
        "les jours où une unité est engagée dans deux pays ou plus."
    )
    st.dataframe(
        load.units,
        hide_index=True,
        column_config={
            "unit": "Unité",
            "actions": st.column_config.NumberColumn("Actions prévues", format="localized"),
            "countries": st.column_config.NumberColumn("Pays", format="localized"),
            "committed_days": st.column_config.NumberColumn("Jours engagés", format="localized"),
            "overlap_days": st.column_config.NumberColumn("Jours en chevauchement", format="localized"),
            "person_days": st.column_config.NumberColumn("Journées-personnel", format="localized"),
        },
        height=300,
    )

st.subheader("Prévu et réalisé", anchor=False)
left, right = st.columns([3, 2])
with left:
    st.plotly_chart(charts.realisation(per_year), key="programmation_realisation")
with right:
    partners = per_partner[per_partner["due"] > 0].sort_values("due", ascending=False).head(30)
    st.dataframe(
        partners.assign(country_iso3=partners["country_iso3"].map(country_name), rate=100 * partners["rate"])[
            ["country_iso3", "due", "realised", "cancelled", "postponed", "rate"]
        ],
        hide_index=True,
        column_config={
            "country_iso3": "Pays partenaire",
            "due": st.column_config.NumberColumn("Échues", format="localized"),
            "realised": st.column_config.NumberColumn("Réalisées", format="localized"),
            "cancelled": st.column_config.NumberColumn("Annulées", format="localized"),
            "postponed": st.column_config.NumberColumn("Reportées", format="localized"),
            "rate": st.column_config.ProgressColumn("Taux", format="%.0f %%", min_value=0, max_value=100),
        },
        height=360,
    )
st.caption(
    "Taux de réalisation : actions réalisées parmi les actions programmées dont la date de fin est passée. "
    "Une action prévue terminée sans mise à jour de son statut compte parmi les échues non réalisées."
)

st.subheader("Annulations et reports", anchor=False)
left, right = st.columns([2, 3])
with left:
    st.plotly_chart(charts.reasons(reasons), key="programmation_motifs")
with right:
    latest = plan.called_off_rows(actions, selection, limit=50)
    st.dataframe(
        latest.assign(country_iso3=latest["country_iso3"].map(country_name)),
        hide_index=True,
        column_config={
            **layout.date_columns(),
            "title": "Intitulé",
            "country_iso3": "Pays",
            "unit": "Unité",
            "status": "Statut",
            "cancellation_reason": "Motif",
        },
        height=360,
    )
