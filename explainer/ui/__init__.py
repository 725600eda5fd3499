"""Streamlit layer: the only part of the package that calls Streamlit."""
