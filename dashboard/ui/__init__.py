"""The shared Streamlit parts: data access with caching, sidebar filters, page furniture."""
