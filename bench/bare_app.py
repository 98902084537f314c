"""The least a Streamlit rerun can cost here: the same server, two filters and one line, no data.

Pages with no data work of their own (floor under 5 ms) are compared with this.
"""

import streamlit as st

st.multiselect("Régions", ["Afrique", "Europe", "Moyen-Orient", "Indo-Pacifique", "Amériques"], key="region")
st.multiselect("Modes d'action", ["Conseil", "Formation", "Entraînement", "Accompagnement au combat"], key="mode")
st.write(f"{len(st.session_state.get('region') or [])} régions")
