"""grantmatch — the Streamlit app: matched funding, pipeline, calendar, the mentor's views.

Run with ``make run`` (or ``streamlit run app.py``). The sidebar holds the language switch (LV / EN)
and the NGO picker; both live in ``st.session_state["lang"]`` and ``st.session_state["profile_id"]``
so every page (and every test) can read and set them, and in the link (``?org=fotast&lang=en``) so
that a reload, a new tab or a bookmark opens the same NGO in the same language.
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
        common.drop_url_note(common.LANG_PARAM)


def _on_profile() -> None:
    common.select_profile(st.session_state[_PROFILE_WIDGET])


def _sidebar() -> None:
    # Plain session keys are the truth; widgets and the link follow them (so pages and tests may set them).
    common.read_url()
    if st.session_state.get(common.LANG_KEY) not in i18n.LANGUAGES:
        st.session_state[common.LANG_KEY] = i18n.DEFAULT_LANG
    st.session_state[_LANG_WIDGET] = st.session_state[common.LANG_KEY]
    common.keep_in_url(**{common.LANG_PARAM: st.session_state[common.LANG_KEY]})
    st.sidebar.segmented_control(
        common.tr("app.language"),
        options=list(i18n.LANGUAGES),
        format_func=lambda code: {"lv": "LV", "en": "EN"}[code],
        key=_LANG_WIDGET,
        required=True,
        on_change=_on_lang,
    )
    if note := common.url_notes().get(common.LANG_PARAM):
        st.sidebar.warning(note)

    try:
        store = common.get_store()
        profiles = services.list_profiles(store)
    except Exception as exc:  # noqa: BLE001 - shown to the user; pages then show their own state
        st.sidebar.error(common.tr("app.db_error", error=str(exc)[:300]))
        return
    if not profiles:
        st.sidebar.info(common.tr("app.ngo.none"))
        st.session_state.pop(common.PROFILE_KEY, None)
        common.keep_in_url(**{common.ORG_PARAM: None})
        return
    names = {p.id: p.name for p in profiles}
    asked = st.session_state.get(common.PROFILE_KEY)
    if asked not in names:
        if asked:  # from a link (or deleted meanwhile): say so, a silent switch looks like lost work
            common.add_url_note(common.ORG_PARAM, "app.url.unknown_org", value=str(asked)[:80], name=profiles[0].name)
        st.session_state[common.PROFILE_KEY] = profiles[0].id
    st.session_state[_PROFILE_WIDGET] = st.session_state[common.PROFILE_KEY]
    common.keep_in_url(**{common.ORG_PARAM: st.session_state[common.PROFILE_KEY]})
    st.sidebar.selectbox(
        common.tr("app.ngo"),
        options=list(names),
        format_func=lambda pid: names.get(pid, pid),
        key=_PROFILE_WIDGET,
        on_change=_on_profile,
    )
    if note := common.url_notes().get(common.ORG_PARAM):
        st.sidebar.warning(note)


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
