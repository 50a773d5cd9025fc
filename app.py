"""grantmatch — the Streamlit app: matched funding, pipeline, calendar, the mentor's views.

Run with ``make run`` (or ``streamlit run app.py``). The sidebar holds the language switch (LV / EN)
and the NGO picker; both live in ``st.session_state["lang"]`` and ``st.session_state["profile_id"]``
so every page (and every test) can read and set them.
"""

from __future__ import annotations

import streamlit as st

from app_pages import common
from grantmatch import i18n, services

st.set_page_config(page_title="grantmatch", page_icon="🔎", layout="wide")

_LANG_WIDGET = "_lang_choice"
_PROFILE_WIDGET = "_profile_choice"


def _on_lang() -> None:
    chosen = st.session_state.get(_LANG_WIDGET)
    if chosen in i18n.LANGUAGES:  # a click on the chosen button deselects it: keep the language
        st.session_state[common.LANG_KEY] = chosen


def _on_profile() -> None:
    st.session_state[common.PROFILE_KEY] = st.session_state[_PROFILE_WIDGET]


def _sidebar() -> None:
    # Plain session keys are the truth; widgets follow them (so pages and tests may set them).
    if st.session_state.get(common.LANG_KEY) not in i18n.LANGUAGES:
        st.session_state[common.LANG_KEY] = i18n.DEFAULT_LANG
    st.session_state[_LANG_WIDGET] = st.session_state[common.LANG_KEY]
    st.sidebar.segmented_control(
        common.tr("app.language"),
        options=list(i18n.LANGUAGES),
        format_func=lambda code: {"lv": "LV", "en": "EN"}[code],
        key=_LANG_WIDGET,
        required=True,
        on_change=_on_lang,
    )

    try:
        store = common.get_store()
        profiles = services.list_profiles(store)
    except Exception as exc:  # noqa: BLE001 - shown to the user; pages then show their own state
        st.sidebar.error(common.tr("app.db_error", error=str(exc)[:300]))
        return
    if not profiles:
        st.sidebar.info(common.tr("app.ngo.none"))
        st.session_state.pop(common.PROFILE_KEY, None)
        return
    names = {p.id: p.name for p in profiles}
    if st.session_state.get(common.PROFILE_KEY) not in names:
        st.session_state[common.PROFILE_KEY] = profiles[0].id
    st.session_state[_PROFILE_WIDGET] = st.session_state[common.PROFILE_KEY]
    st.sidebar.selectbox(
        common.tr("app.ngo"),
        options=list(names),
        format_func=lambda pid: names.get(pid, pid),
        key=_PROFILE_WIDGET,
        on_change=_on_profile,
    )


_sidebar()

_f = common.PAGE_FILES
pages = {
    common.tr("app.section.ngo"): [
        st.Page(_f["matches"], title=common.tr("page.matches"), icon="🔎", default=True),
        st.Page(_f["call"], title=common.tr("page.call"), icon="📄"),
        st.Page(_f["profile"], title=common.tr("page.profile"), icon="🏷️"),
        st.Page(_f["pipeline"], title=common.tr("page.pipeline"), icon="📌"),
        st.Page(_f["calendar"], title=common.tr("page.calendar"), icon="📅"),
        st.Page(_f["draft"], title=common.tr("page.draft"), icon="✍️"),
    ],
    common.tr("app.section.mentor"): [
        st.Page(_f["cohort"], title=common.tr("page.cohort"), icon="👥"),
        st.Page(_f["brief"], title=common.tr("page.brief"), icon="📝"),
        st.Page(_f["sources"], title=common.tr("page.sources"), icon="🩺"),
    ],
}
common.scroll_to_top_after_switch()
st.navigation(pages).run()
