"""Import of CSV and Excel extracts by staff officers: template, checks, preview, commit."""

import streamlit as st

from dashboard import i18n, ingest, template
from dashboard.remember import remembered
from dashboard.schema import TABLES
from dashboard.settings import settings
from dashboard.store import WriteFailed
from dashboard.ui import access, data, layout, printing
from dashboard.ui.preview import preview_table

access.guard()  # refuses a run that does not come through app.py (identity, role, marking)

TABLE_CHOICES = {"Détection automatique": None, "Actions de PMO": "actions", "Rencontres internationales": "meetings"}
PREVIEW_STATES = {"Toutes": None, "Nouvelles": "new", "Modifiées": "updated", "Inchangées": "unchanged"}
PREVIEW_PAGE = 50
limits = settings()
store = data.store()

layout.page_header("Importer des données")
st.caption(
    "Déposez un extrait CSV ou Excel d'actions ou de rencontres. Rien ne change tant que vous n'avez pas "
    "validé l'aperçu ; chaque import devient une version que l'historique permet d'annuler."
)

st.subheader("1. Modèle à remplir", anchor=False)
model = st.radio(
    "Table du modèle", ["actions", "meetings"], format_func=lambda t: TABLES[t].title_fr, horizontal=True, key="model"
)
left, right, _ = st.columns([1, 1, 3])
# The files are built on the click, not on every rerun (the workbook alone takes 15 ms).
left.download_button(
    "Modèle CSV",
    lambda: template.template_csv(model),
    file_name=f"modele_{model}.csv",
    mime="text/csv",
    on_click="ignore",
    icon=":material/download:",
)
right.download_button(
    "Modèle Excel",
    lambda: template.template_xlsx(model),
    file_name=f"modele_{model}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    on_click="ignore",
    icon=":material/download:",
)
with st.expander("Colonnes et valeurs admises"):
    printing.table(template.allowed_values(model), key="import_allowed_values")

st.subheader("2. Fichier", anchor=False)
choice = st.selectbox("Table visée", list(TABLE_CHOICES), key="import_table")
# A new key after each commit empties the uploader: the file just imported is not offered again.
uploaded = st.file_uploader(
    "Fichier CSV ou Excel (.xlsx)",
    type=["csv", "txt", "tsv", "xlsx"],
    key=f"import_file_{st.session_state.get('import_round', 0)}",
    help=(
        "Encodage UTF-8 ou Windows-1252, séparateur ; , ou tabulation. Dates jj/mm/aaaa, jj/mm/aa "
        f"(00 à {ingest.TWO_DIGIT_YEAR_PIVOT} : années 2000), jj-mm-aaaa, aaaa-mm-jj ou 6 janv. 2025. "
        "Les lignes de titre au-dessus de l'en-tête sont ignorées ; dans un classeur, la feuille qui porte "
        "les en-têtes est lue."
    ),
)
st.caption(
    f"Au plus {i18n.number(limits.max_upload_mb)} Mo, {i18n.number(limits.max_upload_rows)} lignes, "
    f"{i18n.number(limits.max_upload_columns)} colonnes et {i18n.number(limits.max_cell_chars)} caractères "
    "par cellule."
)
with st.expander("Sigles et noms de pays reconnus"):
    st.caption(
        "Lus avec un avertissement qui nomme le pays compris ; sinon, le nom français ou anglais, ou le code ISO."
    )
    printing.table(template.country_aliases(), key="import_aliases")

done = st.session_state.pop("import_done", None)
if done is not None:
    st.success(done, icon=":material/check_circle:")
    st.page_link("pages/overview.py", label="Voir la vue d'ensemble", icon=":material/dashboard:")

if uploaded is None:
    st.stop()

content = uploaded.getvalue()
report_key = (uploaded.file_id, TABLE_CHOICES[choice])
with st.spinner("Lecture et vérification du fichier…"):
    name, table = uploaded.name, TABLE_CHOICES[choice]
    report = remembered(st.session_state, "import_report", report_key, lambda: ingest.analyse(name, content, table))

if report.table is None:
    for problem in report.errors:
        st.error(layout.plain(problem), icon=":material/block:")
    st.stop()

counts = st.columns(4)
counts[0].metric("Lignes lues", i18n.number(len(report.lines)), border=True)
counts[1].metric("Erreurs", i18n.number(len(report.errors)), border=True)
counts[2].metric("Avertissements", i18n.number(len(report.warnings)), border=True)
counts[3].metric("Lignes rejetées", i18n.number(len(report.rejected_lines)), border=True)
st.text(f"Table : {TABLES[report.table].title_fr}" + (f" · feuille « {report.sheet} »" if report.sheet else ""))
if report.problems:
    st.markdown(
        "**Problèmes trouvés** — corrigez le fichier puis déposez-le de nouveau."
        if report.errors
        else "**Avertissements** — le fichier peut être importé ; vérifiez que ces lectures sont les bonnes."
    )
    printing.table(ingest.problems_rows(report.problems), key="import_problems")
elif report.lines:
    st.success("Aucun problème : le fichier respecte le contrat de données.", icon=":material/task_alt:")
else:
    st.warning("Le fichier ne contient aucune ligne sous l'en-tête.", icon=":material/warning:")
    st.stop()
if report.file_errors:
    st.error("Le fichier ne peut pas être importé tel quel : corrigez les en-têtes signalés.", icon=":material/block:")
    st.stop()

st.subheader("3. Aperçu avant import", anchor=False)
valid_only = False
if report.errors:
    valid_only = st.checkbox(
        f"Importer seulement les lignes valides ({i18n.number(len(report.rejected_lines))} ligne(s) rejetée(s))",
        key="import_valid_only",
    )
preview_key = (report_key, store.version(report.table))
with st.spinner("Comparaison avec la version en vigueur…"):
    preview = remembered(st.session_state, "import_preview", preview_key, lambda: ingest.preview(report, store))
figures = st.columns(4)
figures[0].metric("Nouvelles", i18n.number(preview.new), border=True)
figures[1].metric("Modifiées", i18n.number(preview.updated), border=True)
figures[2].metric("Inchangées", i18n.number(preview.unchanged), border=True)
figures[3].metric("Rejetées", i18n.number(preview.rejected), border=True)
if preview.rows.num_rows:
    st.markdown(
        "**Lignes telles qu'elles seront enregistrées** — dates lues, pays nommés ; "
        "une cellule modifiée montre sa valeur actuelle entre parenthèses et ressort en couleur."
    )
    left, right = st.columns([3, 1])
    state = left.segmented_control("Lignes", list(PREVIEW_STATES), default="Toutes", key="import_state")
    chosen = PREVIEW_STATES.get(state or "Toutes")
    pages = preview.pages(PREVIEW_PAGE, chosen)
    number = right.number_input("Page", 1, pages, 1, key=f"import_page_{chosen}", help=f"{pages} page(s)")
    page = preview.page(int(number), PREVIEW_PAGE, chosen)
    printing.table(preview_table(page), key="import_preview_rows")
    st.caption(f"Page {number} sur {pages} · {i18n.number(preview.count(chosen))} ligne(s)")

blocked = bool(report.errors) and not valid_only
nothing = preview.new + preview.updated == 0
if blocked:
    st.info("Le fichier contient des erreurs : rien ne sera importé tant qu'elles demeurent.", icon=":material/info:")
elif nothing:
    st.info("Ces données sont déjà dans la version en vigueur : l'import ne changerait rien.", icon=":material/info:")
label = f"Importer {i18n.number(preview.new + preview.updated)} ligne(s)"
if st.button(label, type="primary", disabled=blocked or nothing, key="import_commit", icon=":material/upload:"):
    access.require("staff", "l'import de données")
    try:
        with st.spinner("Enregistrement de la nouvelle version…"):
            result = ingest.commit(report, store, user=access.current_user(), valid_only=valid_only)
    except ingest.ContractError as error:
        st.error(f"Import refusé, rien n'a été modifié : {layout.plain(error)}", icon=":material/block:")
    except WriteFailed as error:
        st.error(
            f"L'import a échoué et rien n'a été modifié ; la version {preview.version} reste en vigueur. "
            f"Réessayez ou transmettez ce détail à l'administrateur : {layout.plain(error.cause)}.",
            icon=":material/error:",
        )
    else:
        data.refresh()
        st.session_state["import_round"] = st.session_state.get("import_round", 0) + 1
        access.audit("import", table=result.table, file=report.name, sha256=report.sha256, version=result.version)
        st.session_state["import_done"] = (
            f"Version {result.version} de « {TABLES[result.table].title_fr} » enregistrée : "
            f"{i18n.number(result.inserted)} ligne(s) ajoutée(s), {i18n.number(result.updated)} modifiée(s), "
            f"{i18n.number(result.rejected)} rejetée(s)."
            if result.changed
            else "Aucun changement : ces données étaient déjà dans la version en vigueur."
        )
        st.rerun()
