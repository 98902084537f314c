"""Every version of each table, what it changed, and the restore of a previous one."""

import streamlit as st

from dashboard import audit, i18n, ingest
from dashboard.i18n import N_, _
from dashboard.schema import TABLES
from dashboard.store import WriteFailed
from dashboard.ui import access, data, layout, login, printing

access.guard()  # refuses a run that does not come through app.py (identity, role, marking)

store = data.store()

layout.page_header(_("Historique des versions"))
st.caption(
    _(
        "Chaque import et chaque restauration crée une version ; les versions précédentes restent lisibles. "
        "Restaurer une version la remet en vigueur sous la forme d'une nouvelle version."
    )
)

done = st.session_state.pop("history_done", None)
if done is not None:
    st.success(done, icon=":material/check_circle:")

for tab, name in zip(st.tabs([spec.title for spec in TABLES.values()]), TABLES, strict=True):
    with tab:
        commits = store.history(name)
        if not commits:
            st.info(_("Cette table n'a encore aucune version."), icon=":material/info:")
            continue
        current = commits[0].version
        st.metric(_("Version en vigueur"), i18n.number(current), border=True)
        printing.table(ingest.history_rows(commits), key=f"history_{name}", formats={_("Version"): str})

        st.markdown(_("**Restaurer une version précédente**"))
        if not access.allowed("admin"):
            st.caption(_("La restauration est réservée aux administrateurs."))
            continue
        previous = [c.version for c in commits if c.version != current]
        if not previous:
            st.caption(_("Aucune version précédente."))
            continue
        labels = {c.version: ingest.version_label(c) for c in commits}
        chosen = st.selectbox(
            _("Version à restaurer"), previous, format_func=labels.__getitem__, key=f"restore_version_{name}"
        )
        pending = st.session_state.get("restore_pending")
        if pending != (name, chosen):
            if st.button(_("Restaurer cette version…"), key=f"restore_ask_{name}", icon=":material/restore:"):
                st.session_state["restore_pending"] = (name, chosen)
                st.rerun()
            continue
        st.warning(
            _(
                "Restaurer la version {chosen} de « {table} » ? Son contenu redeviendra celui que voient les pages ; "
                "la version {current} restera dans l'historique."
            ).format(chosen=chosen, table=TABLES[name].title, current=current),
            icon=":material/warning:",
        )
        confirm, cancel, _rest = st.columns([1, 1, 3])
        if cancel.button(_("Annuler"), key=f"restore_cancel_{name}"):
            st.session_state.pop("restore_pending", None)
            st.rerun()
        if confirm.button(_("Confirmer la restauration"), type="primary", key=f"restore_confirm_{name}"):
            access.require("admin", N_("la restauration d'une version"))
            st.session_state.pop("restore_pending", None)
            try:
                version = ingest.restore_version(store, name, chosen, user=access.current_user())
            except WriteFailed as error:
                st.error(
                    _(
                        "La restauration a échoué ; la version {current} reste en vigueur. "
                        "Détail pour l'administrateur : {detail}."
                    ).format(current=current, detail=layout.plain(error.cause)),
                    icon=":material/error:",
                )
            else:
                data.refresh()
                access.audit("restore", table=name, restored_from=chosen, version=version)
                st.session_state["history_done"] = _(
                    "Version {chosen} restaurée : elle est en vigueur comme version {version}."
                ).format(chosen=chosen, version=version)
                st.rerun()

if access.allowed("admin"):
    st.subheader(_("Échecs de connexion"), anchor=False)
    login.write_failures()
    failures = audit.failed_logins(audit.read())
    if not failures:
        st.caption(_("Aucun échec de connexion dans le journal d'audit."))
    else:
        st.caption(
            _(
                "Les plus récents d'abord, tirés du journal d'audit. Une série d'échecs depuis une même adresse sur "
                "un même identifiant tient en une ligne pour le premier et une ligne pour le nombre des suivants."
            )
        )
        printing.table(failures, key="history_failed_logins")
