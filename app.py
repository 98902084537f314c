"""Entry point: page configuration, shared sidebar filters, navigation."""

import streamlit as st

from dashboard.ui import data, filters, navigation

st.set_page_config(
    page_title="PMO – Partenariat militaire opérationnel",
    page_icon="assets/logo.svg",
    layout="wide",
    initial_sidebar_state="expanded",
)
page = navigation.navigation()
filters.render_sidebar(data.actions())
page.run()
