"""Entry point: page configuration, identity and role, marking, navigation filtered by role."""

import streamlit as st

from dashboard.ui import access, bounds, data, filters, language, login, marking, navigation

st.set_page_config(
    page_title="PMO – Partenariat militaire opérationnel",
    page_icon="assets/logo.svg",
    layout="wide",
    initial_sidebar_state="expanded",
)
if language.choose():
    filters.refresh()
user = access.user()
access.grant_uploads(user)
marking.banners(user)
bounds.bound_state()
page = navigation.navigation(role=user.role, account=login.account_page(user), refusal=login.refusal)
language.switch()
if user.role is not None:
    filters.render_sidebar(data.actions())
login.sidebar(user)
with access.routed():
    page.run()
