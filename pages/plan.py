"""Programmation: the next twelve months, the units' load, planned against realised, cancellations."""

import datetime as dt

import streamlit as st

from dashboard import i18n, plan
from dashboard.charts import plan as charts
from dashboard.i18n import _
from dashboard.reference import label
from dashboard.ui import access, data, filters, language, layout, printing

access.guard()  # refuses a run that does not come through app.py (identity, role, marking)

UNITS_SHOWN = 12
UNITS_LISTED = 10


def units_table(units, key: str) -> None:
    # Journées-personnel left out: a filter change resends the table, and the days tell the load.
    headings = {
        "unit": _("Unité"),
        "actions": _("Actions prévues"),
        "countries": _("Pays partenaires"),
        "committed_days": _("Jours engagés"),
        "overlap_days": _("Jours en chevauchement"),
    }
    printing.table(
        units,
        headings,
        key=key,
        column_config={**headings, **layout.number_columns(headings, *list(headings)[1:])},
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

layout.page_header(_("Programmation"), selection)
language.redraw("programmation_repartition")
st.caption(
    _(
        "Plan du {first} au {last} : les filtres s'appliquent, sauf la période et le statut. "
        "Le bilan (prévu et réalisé, annulations) porte sur la période choisie."
    ).format(first=i18n.date(first), last=i18n.date(last))
)
due, realised = int(per_year["due"].sum()), int(per_year["realised"].sum())
layout.key_figures(
    [
        layout.Figure(_("Prévues sur 12 mois"), int(upcoming["actions"].sum())),
        layout.Figure(_("Unités engagées"), len(load.units)),
        layout.Figure(
            _("En chevauchement"),
            int((load.units["overlap_days"] > 0).sum()),
            help=_("Unités engagées dans deux pays ou plus aux mêmes dates, sur les douze prochains mois."),
        ),
        layout.Figure(
            _("Réalisées (%)"),
            round(100 * realised / due, 1) if due else 0,
            help=_(
                "Taux de réalisation : actions réalisées parmi les actions programmées dont la date de fin est "
                "passée, sur la période."
            ),
        ),
        layout.Figure(_("Annulées, reportées"), int(reasons["actions"].sum())),
    ]
)

st.subheader(_("Les douze prochains mois"), anchor=False)
st.segmented_control(
    _("Répartition"),
    ["region", "country_iso3"],
    format_func={"region": _("Par région"), "country_iso3": _("Par pays")}.get,
    default="region",
    key="programmation_repartition",
    label_visibility="collapsed",
)
layout.chart(charts.upcoming(upcoming, by), key="programmation_mois", title=_("Actions prévues par mois"))

st.subheader(_("Charge des unités"), anchor=False)
if load.units.empty:
    st.text(_("Aucune unité désignée pour les actions prévues de la sélection."))
else:
    shown = load.units.head(UNITS_SHOWN)["unit"].tolist()
    layout.chart(
        charts.unit_load(load.spans, load.overlaps, load.periods, shown, today),
        key="programmation_unites",
        title=_("Engagements des unités"),
    )
    st.caption(
        _(
            "Les {count} unités les plus engagées : une barre par pays où leurs actions se suivent (au-delà de "
            "{drawn} barres, une par période d'engagement), en rouge les jours où une unité est engagée "
            "dans deux pays ou plus."
        ).format(count=i18n.number(len(shown)), drawn=i18n.number(charts.SPANS_DRAWN))
    )
    st.markdown("**" + _("Unités les plus engagées") + "**")
    units_table(load.units.head(UNITS_LISTED), "programmation_unites")
    # The whole list runs only when open: a filter change does not send it.
    every_unit = st.expander(
        _("Toutes les unités ({count})").format(count=i18n.number(len(load.units))),
        key="programmation_unites_toutes",
        on_change="rerun",
    )
    if every_unit.open:
        with every_unit:
            units_table(load.units, "programmation_unites_liste")

st.subheader(_("Prévu et réalisé"), anchor=False)
years_tab, partners_tab = st.tabs(
    [_("Par année"), _("Par pays partenaire")], key="programmation_bilan", on_change="rerun"
)
with years_tab:
    if years_tab.open:
        layout.chart(
            charts.realisation(per_year),
            key="programmation_realisation",
            title=_("Programmées et réalisées par année"),
        )
with partners_tab:
    if partners_tab.open:
        partners = per_partner[per_partner["due"] > 0].sort_values("due", ascending=False)
        headings = {
            "country_iso3": _("Pays partenaire"),
            "due": _("Programmées échues"),
            "realised": _("Réalisées"),
            "cancelled": _("Annulées"),
            "postponed": _("Reportées"),
            "not_updated": _("Statut à mettre à jour"),
            "rate": _("Taux de réalisation"),
        }
        printing.table(
            partners.assign(
                country_iso3=[label("country_iso3", c) for c in partners["country_iso3"]], rate=100 * partners["rate"]
            ),
            headings,
            key="programmation_partenaires",
            column_config={
                **headings,
                **layout.number_columns(headings, "due", "realised", "cancelled", "postponed", "not_updated"),
                "rate": st.column_config.ProgressColumn(
                    headings["rate"],
                    format="%.0f %%" if i18n.language() == "fr" else "%.0f%%",
                    min_value=0,
                    max_value=100,
                ),
            },
            formats={"rate": lambda rate: i18n.percent(rate / 100, 0)},
            height=360,
        )
st.caption(
    _(
        "Taux de réalisation : actions réalisées parmi les actions programmées dont la date de fin est passée. "
        "Une action prévue terminée sans mise à jour de son statut compte parmi les échues non réalisées."
    )
)

st.subheader(_("Annulations et reports"), anchor=False)
layout.chart(charts.reasons(reasons), key="programmation_motifs", title=_("Annulations et reports par motif"))
# Runs only when open, like the tabs: a filter change does not query the rows of a closed list.
latest_list = st.expander(
    _("Les 50 dernières actions annulées ou reportées"), key="programmation_liste", on_change="rerun"
)
if latest_list.open:
    latest = plan.called_off_rows(actions, selection, limit=50)
    headings = {
        "start_date": _("Début"),
        "end_date": _("Fin"),
        "title": _("Intitulé"),
        "country_iso3": _("Pays"),
        "unit": _("Unité"),
        "status": _("Statut"),
        "cancellation_reason": _("Motif"),
    }
    with latest_list:
        printing.table(
            latest.assign(
                country_iso3=[label("country_iso3", c) for c in latest["country_iso3"]],
                status=[label("status", s) for s in latest["status"]],
            ),
            headings,
            key="programmation_annulations",
            column_config={**headings, **layout.date_columns()},
            height=360,
        )
