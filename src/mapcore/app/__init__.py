"""The Streamlit app's helpers: the only layer that imports streamlit (in :mod:`mapcore.app.ui`)."""
