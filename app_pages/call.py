"""call page (in progress)."""

import streamlit as st

from app_pages.common import tr

st.title(tr("page.call"))
st.info(tr("app.in_progress"))
