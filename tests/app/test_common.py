"""The app shell: sidebar (language, NGO), navigation, safe text, today override."""

from __future__ import annotations

import re
from datetime import date

import pytest

from app_pages import common

PROFILE = {
    "id": "test-ngo",
    "name": "Biedrība Tests",
    "legal_form": "association",
    "city": "Liepāja",
    "region": "Kurzeme",
    "country": "LV",
    "priority_area": "culture",
    "mission": "Kultūras pasākumi un koncerti Liepājā",
    "keywords": ["kultūra", "koncerti"],
}
OTHER = {**PROFILE, "id": "other-ngo", "name": "Nodibinājums Cits", "legal_form": "foundation"}
CALL = {
    "id": "test-call-1",
    "source": "test",
    "url": "https://example.org/call",
    "title": "Kultūras projektu konkurss",
    "summary": "Atbalsts kultūras pasākumiem un koncertiem Liepājā.",
    "language": "lv",
    "eligible_applicants": ["association", "foundation"],
    "geography": ["Liepāja"],
    "max_amount_eur": 5000,
    "deadline": "2027-02-20",
    "priority_areas": ["culture"],
}
CALL2 = {**CALL, "id": "test-call-2", "url": "https://example.org/call2", "title": "Koncertu atbalsta programma"}


def test_safe_text_escapes_markdown_and_html():
    hostile = "<script>alert(1)</script> [klikšķini](javascript:alert(1)) **bold** # H"
    out = common.safe_text(hostile)
    assert "<script>" not in out
    assert "\\<script\\>" in out
    assert "\\[klikšķini\\]\\(javascript\\:alert\\(1\\)\\)" in out
    assert "\\*\\*bold\\*\\*" in out
    assert "\\# H" in out


def test_today_override(monkeypatch):
    monkeypatch.setenv("GRANTMATCH_TODAY", "2027-03-04")
    assert common.today() == date(2027, 3, 4)
    monkeypatch.setenv("GRANTMATCH_TODAY", "not a date")
    assert common.today() == date.today()


def test_sidebar_language_and_ngo(custom_env, run_app):
    custom_env(profiles=[PROFILE, OTHER], calls=[CALL])
    at = run_app()
    assert not at.exception
    assert at.session_state["lang"] == "lv"
    picker = at.sidebar.selectbox[0]
    assert picker.options == ["Biedrība Tests", "Nodibinājums Cits"]
    assert at.session_state["profile_id"] == "test-ngo"
    picker.select("other-ngo").run()
    assert at.session_state["profile_id"] == "other-ngo"
    at.sidebar.button_group[0].set_value("en").run()
    assert at.session_state["lang"] == "en"
    assert not at.exception


def test_language_preset_in_session(custom_env, run_app):
    custom_env(profiles=[PROFILE], calls=[CALL])
    at = run_app(session={"lang": "en", "profile_id": "test-ngo"})
    assert not at.exception
    assert at.sidebar.selectbox[0].label == "Organisation"


def test_the_link_opens_its_organisation_and_language(custom_env, run_app):
    """A reload, a new tab or a bookmark starts a new session: the link is what names the NGO and
    the language (before, a reload came back in LV with the first NGO)."""
    custom_env(profiles=[PROFILE, OTHER], calls=[CALL])
    at = run_app(query={"org": "other-ngo", "lang": "en"})
    assert not at.exception
    assert (at.session_state["profile_id"], at.session_state["lang"]) == ("other-ngo", "en")
    assert at.sidebar.selectbox[0].value == "other-ngo" and at.sidebar.selectbox[0].label == "Organisation"
    assert not at.sidebar.warning
    assert at.query_params == {"org": "other-ngo", "lang": "en"}


def test_every_pick_is_written_to_the_link_and_a_reload_keeps_it(custom_env, run_app):
    custom_env(profiles=[PROFILE, OTHER], calls=[CALL])
    at = run_app()
    assert at.query_params == {"lang": "lv", "org": "test-ngo"}  # the first NGO, named so a link can be shared
    at.sidebar.selectbox[0].select("other-ngo").run()
    at.sidebar.button_group[0].set_value("en").run()
    assert at.query_params == {"lang": "en", "org": "other-ngo"}
    at.switch_page("app_pages/pipeline.py").run()  # a page switch keeps them
    assert not at.exception
    assert at.query_params == {"lang": "en", "org": "other-ngo"}

    reloaded = run_app("pipeline", query=at.query_params)  # F5: a new session with the same link
    assert not reloaded.exception
    assert (reloaded.session_state["profile_id"], reloaded.session_state["lang"]) == ("other-ngo", "en")
    assert "Nodibinājums Cits" in reloaded.caption[0].value


def test_the_session_wins_over_a_stale_link_after_the_first_run(custom_env, run_app):
    """Streamlit drops the query string when the user switches pages, and a page may pick an NGO
    itself (a new profile): only a session's first run reads the link."""
    custom_env(profiles=[PROFILE, OTHER], calls=[CALL])
    at = run_app(query={"org": "other-ngo"})
    at.session_state["profile_id"] = "test-ngo"
    at.run()
    assert at.session_state["profile_id"] == "test-ngo" and at.query_params["org"] == "test-ngo"


def test_an_unknown_organisation_or_language_in_the_link_falls_back_with_a_note(custom_env, run_app):
    custom_env(profiles=[PROFILE, OTHER], calls=[CALL])
    at = run_app(query={"org": "[gone](https://evil.example)", "lang": "de"})
    assert not at.exception
    assert (at.session_state["profile_id"], at.session_state["lang"]) == ("test-ngo", "lv")
    notes = [w.value for w in at.sidebar.warning]
    assert len(notes) == 2, notes
    assert "de" in notes[0] and "latviski" in notes[0]
    assert "\\[gone\\]\\(https" in notes[1] and "Biedrība Tests" in notes[1]  # the link's text is made inert
    assert at.query_params == {"org": "test-ngo", "lang": "lv"}  # the link now names what is shown
    at.run()
    assert len(at.sidebar.warning) == 2  # the notes stay until the user picks
    at.sidebar.selectbox[0].select("other-ngo").run()
    assert [w.value for w in at.sidebar.warning] == [notes[0]]
    at.sidebar.button_group[0].set_value("en").run()
    assert not at.sidebar.warning


def test_no_profiles_shows_message(custom_env, run_app):
    custom_env(calls=[CALL])
    at = run_app()
    assert not at.exception
    assert any("Datubāzē vēl nav nevienas organizācijas" in i.value for i in at.sidebar.info)


@pytest.mark.parametrize("page", ["matches", "call", "profile", "pipeline", "calendar"])
def test_every_page_opens_in_both_languages(custom_env, run_app, page):
    custom_env(profiles=[PROFILE], calls=[CALL])
    for lang in ("lv", "en"):
        at = run_app(page, session={"lang": lang})
        assert not at.exception, (page, lang, at.exception)


@pytest.mark.parametrize("url", ["https://evil.example/x", "HTTP://evil.example", "www.evil.example", "ftp://x.y"])
def test_safe_text_breaks_bare_links(url):
    out = common.safe_text(f"Skatīt {url} tūlīt").replace("\\", "")
    assert not re.search(r"(https?|ftp)://|www\.", out, re.IGNORECASE)
    assert out.replace("\u2060", "") == f"Skatīt {url} tūlīt"  # nothing visible changes


def _choices(at) -> list:
    """Every keyed choice widget of the page (not the sidebar's language and NGO pickers). An unkeyed
    widget has its label in its identity: after a switch it is a new widget, drawn in the new language."""
    found = [*at.radio, *at.selectbox, *at.multiselect, *at.button_group]
    return [w for w in found if w.key is not None and w.key not in ("_lang_choice", "_profile_choice")]


@pytest.mark.parametrize(
    ("page", "pick"),
    [
        ("matches", {"mf_sort": "deadline", "mf_window": 30, "mf_area": ["culture"]}),
        ("profile", {"_profile_mode": "new"}),
        ("calendar", {"cal_scope": "cohort"}),
        ("cohort", {"cohort_window": 60}),
        ("draft", {"draft_new_call": "test-call-2", "draft_new_template": "vkkf", "draft_new_lang": "en"}),
    ],
)
def test_a_language_switch_keeps_every_choice_and_resends_it_in_the_new_language(custom_env, run_app, page, pick):
    """The browser keeps a choice as its label: after LV -> EN it held a Latvian label that matched no
    option (a selectbox kept showing it, a radio showed nothing chosen). Each choice keeps its value
    and is sent to the browser again (``set_value``), now with an English label. (The draft page's
    "New draft" boxes were in a form, which reset them to their defaults at a switch.)"""
    custom_env(profiles=[PROFILE, OTHER], calls=[CALL, CALL2])
    at = run_app(page)
    for key, value in pick.items():
        widget = next(w for w in _choices(at) if w.key == key)
        widget.set_value(value).run()
    assert not at.exception
    at.sidebar.button_group[0].set_value("en").run()
    assert not at.exception
    widgets = {w.key: w for w in _choices(at)}
    for key, value in pick.items():
        assert widgets[key].value == value, key
    not_resent = [key for key, w in widgets.items() if not w.proto.set_value]
    assert not not_resent, f"expected every choice re-sent after the switch, these were not: {not_resent}"


def test_dates_and_times_follow_the_language():
    from datetime import datetime

    from grantmatch import i18n

    when = datetime(2026, 12, 5, 1, 23)
    assert i18n.fmt_datetime(when, "lv") == "05.12.2026. 01:23"
    assert i18n.fmt_datetime(when, "en") == "5 December 2026 01:23"
    assert i18n.fmt_datetime(None, "en") == "—"
    assert i18n.date_pattern("en", "moment") == "D MMM YYYY"
    assert i18n.date_pattern("xx", "d3") == i18n.date_pattern("lv", "d3")


@pytest.mark.parametrize(
    ("n", "lv", "en"),
    [(1, "atlikusi 1 d.", "1 day left"), (2, "atlikušas 2 d.", "2 days left"), (11, "atlikušas 11 d.", "11 days left"),
     (21, "atlikusi 21 d.", "21 days left")],
)
def test_plural_follows_each_language(n, lv, en):
    from grantmatch import i18n

    assert (i18n.plural("common.days_left", n, "lv"), i18n.plural("common.days_left", n, "en")) == (lv, en)

