"""What the dashboard's server adds around Streamlit's ASGI app: plain ASGI middleware and routes, no Streamlit."""
