"""Import of CSV and Excel extracts by staff officers: template, checks, preview, commit."""

import streamlit as st

from dashboard import i18n, ingest, template
from dashboard.i18n import N_, _
from dashboard.remember import remembered
from dashboard.schema import TABLES
from dashboard.settings import settings
from dashboard.store import WriteFailed
from dashboard.ui import access, data, language, layout, printing
from dashboard.ui.preview import preview_table

access.guard()  # refuses a run that does not come through app.py (identity, role, marking)

# Options are codes; their words follow the language.
TABLE_CHOICES = {
    "auto": N_("Détection automatique"),
    "actions": N_("Actions de PMO"),
    "meetings": N_("Rencontres internationales"),
}
PREVIEW_STATES = {
    "all": N_("Toutes"),
    "new": N_("Nouvelles"),
    "updated": N_("Modifiées"),
    "unchanged": N_("Inchangées"),
}
PREVIEW_PAGE = 50
limits = settings()
store = data.store()
lang = i18n.language()
language.redraw("model", "import_table", "import_state")

layout.page_header(_("Importer des données"))
st.caption(
    _(
        "Déposez un extrait CSV ou Excel d'actions ou de rencontres. Rien ne change tant que vous n'avez pas "
        "validé l'aperçu ; chaque import devient une version que l'historique permet d'annuler."
    )
)

st.subheader(_("1. Modèle à remplir"), anchor=False)
model = st.radio(
    _("Table du modèle"), ["actions", "meetings"], format_func=lambda t: TABLES[t].title, horizontal=True, key="model"
)
left, right, _rest = st.columns([1, 1, 3])
# The files are built on the click, not on every rerun (the workbook alone takes 15 ms); in the language shown.
left.download_button(
    _("Modèle CSV"),
    i18n.bound(lambda: template.template_csv(model)),
    file_name=f"modele_{model}.csv",
    mime="text/csv",
    on_click="ignore",
    icon=":material/download:",
)
right.download_button(
    _("Modèle Excel"),
    i18n.bound(lambda: template.template_xlsx(model)),
    file_name=f"modele_{model}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    on_click="ignore",
    icon=":material/download:",
)
with st.expander(_("Colonnes et valeurs admises")):
    printing.table(template.allowed_values(model), key="import_allowed_values")

st.subheader(_("2. Fichier"), anchor=False)
choice = st.selectbox(
    _("Table visée"), list(TABLE_CHOICES), format_func=lambda code: _(TABLE_CHOICES[code]), key="import_table"
)
table_chosen = None if choice == "auto" else choice
# A new key after each commit empties the uploader: the file just imported is not offered again.
uploaded = st.file_uploader(
    _("Fichier CSV ou Excel (.xlsx)"),
    type=["csv", "txt", "tsv", "xlsx"],
    key=f"import_file_{st.session_state.get('import_round', 0)}",
    help=_(
        "Encodage UTF-8 ou Windows-1252, séparateur ; , ou tabulation. Dates jj/mm/aaaa, jj/mm/aa "
        "(00 à {pivot} : années 2000), jj-mm-aaaa, aaaa-mm-jj ou 6 janv. 2025. "
        "Les lignes de titre au-dessus de l'en-tête sont ignorées ; dans un classeur, la feuille qui porte "
        "les en-têtes est lue."
    ).format(pivot=ingest.TWO_DIGIT_YEAR_PIVOT),
)
st.caption(
    _("Au plus {size} Mo, {rows} lignes, {columns} colonnes et {chars} caractères par cellule.").format(
        size=i18n.number(limits.max_upload_mb),
        rows=i18n.number(limits.max_upload_rows),
        columns=i18n.number(limits.max_upload_columns),
        chars=i18n.number(limits.max_cell_chars),
    )
)
with st.expander(_("Sigles et noms de pays reconnus")):
    st.caption(
        _("Lus avec un avertissement qui nomme le pays compris ; sinon, le nom français ou anglais, ou le code ISO.")
    )
    printing.table(template.country_aliases(), key="import_aliases")

done = st.session_state.pop("import_done", None)
if done is not None:
    st.success(done, icon=":material/check_circle:")
    st.page_link("pages/overview.py", label=_("Voir la vue d'ensemble"), icon=":material/dashboard:")

if uploaded is None:
    st.stop()

content = uploaded.getvalue()
# The report is told in the language shown: a change of language reads the file again.
report_key = (uploaded.file_id, table_chosen, lang)
with st.spinner(_("Lecture et vérification du fichier…")):
    name = uploaded.name
    report = remembered(
        st.session_state, "import_report", report_key, lambda: ingest.analyse(name, content, table_chosen)
    )

if report.table is None:
    for problem in report.errors:
        st.error(layout.plain(problem), icon=":material/block:")
    st.stop()

counts = st.columns(4)
counts[0].metric(_("Lignes lues"), i18n.number(len(report.lines)), border=True)
counts[1].metric(_("Erreurs"), i18n.number(len(report.errors)), border=True)
counts[2].metric(_("Avertissements"), i18n.number(len(report.warnings)), border=True)
counts[3].metric(_("Lignes rejetées"), i18n.number(len(report.rejected_lines)), border=True)
st.text(
    _("Table : {table}").format(table=TABLES[report.table].title)
    + (" · " + _("feuille « {sheet} »").format(sheet=report.sheet) if report.sheet else "")
)
if report.problems:
    st.markdown(
        _("**Problèmes trouvés** — corrigez le fichier puis déposez-le de nouveau.")
        if report.errors
        else _("**Avertissements** — le fichier peut être importé ; vérifiez que ces lectures sont les bonnes.")
    )
    printing.table(ingest.problems_rows(report.problems), key="import_problems")
elif report.lines:
    st.success(_("Aucun problème : le fichier respecte le contrat de données."), icon=":material/task_alt:")
else:
    st.warning(_("Le fichier ne contient aucune ligne sous l'en-tête."), icon=":material/warning:")
    st.stop()
if report.file_errors:
    st.error(
        _("Le fichier ne peut pas être importé tel quel : corrigez les en-têtes signalés."), icon=":material/block:"
    )
    st.stop()

st.subheader(_("3. Aperçu avant import"), anchor=False)
valid_only = False
if report.errors:
    valid_only = st.checkbox(
        _("Importer seulement les lignes valides ({count} ligne(s) rejetée(s))").format(
            count=i18n.number(len(report.rejected_lines))
        ),
        key="import_valid_only",
    )
preview_key = (report_key, store.version(report.table))
with st.spinner(_("Comparaison avec la version en vigueur…")):
    preview = remembered(st.session_state, "import_preview", preview_key, lambda: ingest.preview(report, store))
figures = st.columns(4)
figures[0].metric(_("Nouvelles"), i18n.number(preview.new), border=True)
figures[1].metric(_("Modifiées"), i18n.number(preview.updated), border=True)
figures[2].metric(_("Inchangées"), i18n.number(preview.unchanged), border=True)
figures[3].metric(_("Rejetées"), i18n.number(preview.rejected), border=True)
if preview.rows.num_rows:
    st.markdown(
        _(
            "**Lignes telles qu'elles seront enregistrées** — dates lues, pays nommés ; "
            "une cellule modifiée montre sa valeur actuelle entre parenthèses et ressort en couleur."
        )
    )
    left, right = st.columns([3, 1])
    state = left.segmented_control(
        _("Lignes"),
        list(PREVIEW_STATES),
        format_func=lambda code: _(PREVIEW_STATES[code]),
        default="all",
        key="import_state",
    )
    chosen = None if state in (None, "all") else state
    pages = preview.pages(PREVIEW_PAGE, chosen)
    number = right.number_input(
        _("Page"), 1, pages, 1, key=f"import_page_{chosen}", help=_("{count} page(s)").format(count=i18n.number(pages))
    )
    page = preview.page(int(number), PREVIEW_PAGE, chosen)
    printing.table(preview_table(page), key="import_preview_rows")
    st.caption(
        _("Page {number} sur {pages} · {count} ligne(s)").format(
            number=i18n.number(number), pages=i18n.number(pages), count=i18n.number(preview.count(chosen))
        )
    )

blocked = bool(report.errors) and not valid_only
nothing = preview.new + preview.updated == 0
if blocked:
    st.info(
        _("Le fichier contient des erreurs : rien ne sera importé tant qu'elles demeurent."), icon=":material/info:"
    )
elif nothing:
    st.info(
        _("Ces données sont déjà dans la version en vigueur : l'import ne changerait rien."), icon=":material/info:"
    )
label = _("Importer {count} ligne(s)").format(count=i18n.number(preview.new + preview.updated))
if st.button(label, type="primary", disabled=blocked or nothing, key="import_commit", icon=":material/upload:"):
    access.require("staff", N_("l'import de données"))
    try:
        with st.spinner(_("Enregistrement de la nouvelle version…")):
            result = ingest.commit(report, store, user=access.current_user(), valid_only=valid_only)
    except ingest.ContractError as error:
        st.error(
            _("Import refusé, rien n'a été modifié : {detail}").format(detail=layout.plain(error)),
            icon=":material/block:",
        )
    except WriteFailed as error:
        st.error(
            _(
                "L'import a échoué et rien n'a été modifié ; la version {version} reste en vigueur. "
                "Réessayez ou transmettez ce détail à l'administrateur : {detail}."
            ).format(version=preview.version, detail=layout.plain(error.cause)),
            icon=":material/error:",
        )
    else:
        data.refresh()
        st.session_state["import_round"] = st.session_state.get("import_round", 0) + 1
        access.audit("import", table=result.table, file=report.name, sha256=report.sha256, version=result.version)
        st.session_state["import_done"] = (
            _(
                "Version {version} de « {table} » enregistrée : {inserted} ligne(s) ajoutée(s), "
                "{updated} modifiée(s), {rejected} rejetée(s)."
            ).format(
                version=result.version,
                table=TABLES[result.table].title,
                inserted=i18n.number(result.inserted),
                updated=i18n.number(result.updated),
                rejected=i18n.number(result.rejected),
            )
            if result.changed
            else _("Aucun changement : ces données étaient déjà dans la version en vigueur.")
        )
        st.rerun()
