"""About the data: where it comes from, the data dictionary and the taxonomies."""

import pandas as pd
import streamlit as st

from dashboard import i18n
from dashboard.colors import text_on
from dashboard.demo import DEMO_NOTICE
from dashboard.i18n import _
from dashboard.reference import taxonomy_of
from dashboard.schema import (
    ACTION_STATES,
    ACTIONS,
    ASSESSMENTS,
    FORCES,
    FRAMEWORKS,
    MEETING_FORMATS,
    MEETING_KINDS,
    MEETING_LEVELS,
    MEETING_STATUSES,
    MEETINGS,
    MODES,
    PILLARS,
    STRATEGIC_FUNCTIONS,
    SUPERIORITY_FACTORS,
    dictionary,
    glossary,
)
from dashboard.ui import access, data, layout, printing

access.guard()  # refuses a run that does not come through app.py (identity, role, marking)


@st.cache_data(show_spinner=False)
def colour_table(name: str, lang: str) -> None:
    """The glossary of the taxonomy `name` in `lang` as a static table: each definition reads in full, and the
    colour cell shows the colour used by every chart."""
    # Cached with its element: a rerun resends the finished table instead of styling it again (26 ms for
    # the six), and the fixed uuid keeps it identical, so the browser reuses its copy.
    taxonomy = taxonomy_of(name)
    assert taxonomy is not None
    colour = _("Couleur")
    st.table(
        pd.DataFrame(glossary(taxonomy))
        .style.set_uuid(f"{name}_{lang}")
        .hide(axis="index")
        .map(lambda color: f"background-color: {color}; color: {text_on(color)}; width: 6em", subset=[colour])
    )


lang = i18n.language()
layout.page_header(_("À propos des données"))
st.markdown(
    _(
        "Le tableau de bord suit le **partenariat militaire opérationnel** (PMO) de l'armée de Terre — conseil, "
        "formation, entraînement et accompagnement au combat des armées partenaires, environ {actions} actions par "
        "an dans une soixantaine de pays — et les rencontres internationales qui l'entourent."
    ).format(actions=i18n.number(1500))
)
if data.is_demo():
    st.info(_(DEMO_NOTICE), icon=":material/science:")

st.header(_("Taxonomies"), anchor=False)
st.caption(
    _(
        "Une action sert une fonction stratégique et un ou plusieurs facteurs de supériorité opérationnelle ; dans "
        "les répartitions par facteur, elle compte une fois sous chacun de ses facteurs. Les définitions des "
        "fonctions et des facteurs reprennent la présentation du PMO par l'armée de Terre ; elles apparaissent aussi "
        "au survol des graphiques. La couleur de chaque catégorie est la même dans tous les graphiques."
    )
)
for taxonomy in (STRATEGIC_FUNCTIONS, SUPERIORITY_FACTORS, MODES, PILLARS, FRAMEWORKS, FORCES):
    st.subheader(taxonomy.title(lang), anchor=False)
    colour_table(taxonomy.name, lang)

st.subheader(_("Statut et évaluation des actions"), anchor=False)
st.caption(
    _(
        "Une action est prévue, puis réalisée, annulée ou reportée (avec son motif) ; « en cours » se déduit des "
        "dates. Sauf choix d'un autre statut dans les filtres, les chiffres, la carte et les graphiques portent sur "
        "les actions réalisées. L'évaluation dit si une action réalisée a atteint son objectif. Un fichier sans "
        "colonne statut reste accepté : le statut se déduit alors des dates."
    )
)
for taxonomy in (ACTION_STATES, ASSESSMENTS):
    colour_table(taxonomy.name, lang)

st.header(_("Dictionnaire des données"), anchor=False)
st.caption(
    _(
        "Les colonnes sont stockées en anglais ; un fichier importé peut utiliser les en-têtes français, "
        "en majuscules ou minuscules, avec ou sans accents."
    )
)
for spec in (ACTIONS, MEETINGS):
    st.subheader(_("{title} (table `{name}`)").format(title=spec.title, name=spec.name), anchor=False)
    printing.table(dictionary(spec), key=f"about_{spec.name}", width="stretch")

with st.expander(_("Rencontres : types, niveaux, formats et statuts")):
    for taxonomy in (MEETING_KINDS, MEETING_LEVELS, MEETING_FORMATS, MEETING_STATUSES):
        st.subheader(taxonomy.title(lang), anchor=False)
        printing.table(glossary(taxonomy), key=f"about_{taxonomy.name}", width="stretch")
