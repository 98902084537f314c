"""Pure chart functions: small frames in, plotly figures out. No Streamlit here.

One module per subject; `base` holds the shared look (French number format,
fonts, margins) and the colour of every category, taken from the schema.
"""
