"""Programmation: the next twelve months, the units' load, planned against realised, cancellations."""

import datetime as dt

import streamlit as st

from dashboard import i18n, plan
from dashboard.charts import plan as charts
from dashboard.reference import country_name
from dashboard.ui import access, data, filters, layout

access.guard()  # refuses a run that does not come through app.py (identity, role, marking)

UNITS_SHOWN = 12
UNITS_LISTED = 10


def units_table(units) -> None:
    st.dataframe(
        placeholder=i18n.MISSING,
        # Journées-personnel left out: a filter change resends the table, and the days tell the load.
        data=units.drop(columns="person_days"),
        hide_index=True,
        column_config={
            "unit": "Unité",
            "actions": st.column_config.NumberColumn("Actions prévues", format="localized"),
            "countries": st.column_config.NumberColumn("Pays", format="localized"),
            "committed_days": st.column_config.NumberColumn("Jours engagés", format="localized"),
            "overlap_days": st.column_config.NumberColumn("Jours en chevauchement", format="localized"),
        },
    )


actions = data.actions()
selection = filters.current()
today = dt.date.today()
first, last = plan.horizon(today)
by = st.session_state.get("programmation_repartition") or "region"
upcoming = plan.upcoming(actions, selection, today, by)
load = plan.commitments(actions, selection, today)
realisation = plan.realisations(actions, selection, today, ("year", "country_iso3"))
per_year, per_partner = realisation["year"], realisation["country_iso3"]
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
layout.chart(charts.upcoming(upcoming, by), key="programmation_mois", title="Actions prévues par mois")

st.subheader("Charge des unités", anchor=False)
if load.units.empty:
    st.text("Aucune unité désignée pour les actions prévues de la sélection.")
else:
    shown = load.units.head(UNITS_SHOWN)["unit"].tolist()
    layout.chart(
        charts.unit_load(load.spans, load.overlaps, load.periods, shown, today),
        key="programmation_unites",
        title="Engagements des unités",
    )
    st.caption(
        f"Les {len(shown)} unités les plus engagées : une barre par pays où leurs actions se suivent (au-delà de "
        f"{charts.SPANS_DRAWN} barres, une par période d'engagement), en rouge les jours où une unité est engagée "
        "dans deux pays ou plus."
    )
    st.markdown("**Unités les plus engagées**")
    units_table(load.units.head(UNITS_LISTED))
    # The whole list runs only when open: a filter change does not send it.
    every_unit = st.expander(
        f"Toutes les unités ({len(load.units)})", key="programmation_unites_toutes", on_change="rerun"
    )
    if every_unit.open:
        with every_unit:
            units_table(load.units)

st.subheader("Prévu et réalisé", anchor=False)
years_tab, partners_tab = st.tabs(["Par année", "Par pays partenaire"], key="programmation_bilan", on_change="rerun")
with years_tab:
    if years_tab.open:
        layout.chart(
            charts.realisation(per_year), key="programmation_realisation", title="Programmées et réalisées par année"
        )
with partners_tab:
    if partners_tab.open:
        partners = per_partner[per_partner["due"] > 0].sort_values("due", ascending=False)
        st.dataframe(
            placeholder=i18n.MISSING,
            data=partners.assign(country_iso3=partners["country_iso3"].map(country_name), rate=100 * partners["rate"])[
                ["country_iso3", "due", "realised", "cancelled", "postponed", "not_updated", "rate"]
            ],
            hide_index=True,
            column_config={
                "country_iso3": "Pays partenaire",
                "due": st.column_config.NumberColumn("Programmées échues", format="localized"),
                "realised": st.column_config.NumberColumn("Réalisées", format="localized"),
                "cancelled": st.column_config.NumberColumn("Annulées", format="localized"),
                "postponed": st.column_config.NumberColumn("Reportées", format="localized"),
                "not_updated": st.column_config.NumberColumn("Statut à mettre à jour", format="localized"),
                "rate": st.column_config.ProgressColumn(
                    "Taux de réalisation", format="%.0f %%", min_value=0, max_value=100
                ),
            },
            height=360,
        )
st.caption(
    "Taux de réalisation : actions réalisées parmi les actions programmées dont la date de fin est passée. "
    "Une action prévue terminée sans mise à jour de son statut compte parmi les échues non réalisées."
)

st.subheader("Annulations et reports", anchor=False)
layout.chart(charts.reasons(reasons), key="programmation_motifs", title="Annulations et reports par motif")
# Runs only when open, like the tabs: a filter change does not query the rows of a closed list.
latest_list = st.expander(
    "Les 50 dernières actions annulées ou reportées", key="programmation_liste", on_change="rerun"
)
if latest_list.open:
    latest = plan.called_off_rows(actions, selection, limit=50)
    latest_list.dataframe(
        placeholder=i18n.MISSING,
        data=latest.assign(country_iso3=latest["country_iso3"].map(country_name)),
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
