"""brief page: placeholder created by A1; the owner replaces it."""

import streamlit as st

st.write("…")
