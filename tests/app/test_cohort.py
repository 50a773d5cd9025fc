"""Mentor — cohort page: every NGO with its best calls, deadlines, calls several NGOs fit, calls that ask for
partners, chart."""

from __future__ import annotations

from grantmatch import i18n

HOSTILE = "<script>alert(1)</script> [spied](https://evil.example) **x**"
PROFILES = [
    {"id": "kult", "name": "Kultūras biedrība", "legal_form": "association", "city": "Liepāja",
     "region": "Kurzeme", "country": "LV", "priority_area": "culture",
     "mission": "Kultūras pasākumi, koncerti un festivāli Liepājā", "keywords": ["kultūra", "festivāls"]},
    {"id": "jaun", "name": "Jauniešu klubs", "legal_form": "association", "city": "Liepāja",
     "region": "Kurzeme", "country": "LV", "priority_area": "children_youth",
     "mission": "Jauniešu iniciatīvas, festivāli un neformālā izglītība", "keywords": ["jaunieši", "festivāls"]},
]
CALLS = [
    {"id": "t-fest", "source": "test", "url": "https://example.org/fest", "title": "Festivālu atbalsta konkurss",
     "summary": "Atbalsts kultūras festivāliem un jauniešu iniciatīvām Liepājā.", "language": "lv",
     "eligible_applicants": ["association"], "geography": ["Liepāja"], "max_amount_eur": 8000,
     "deadline": "2027-01-25", "priority_areas": ["culture", "children_youth"]},
    {"id": "t-evil", "source": "test", "url": 'https://evil.example/"><b>', "title": HOSTILE,
     "summary": HOSTILE + " festivāls kultūra jaunieši " + "x" * 100_000, "language": "lv",
     "deadline": "2027-02-10", "priority_areas": ["culture"], "total_budget_eur": 50000},
    {"id": "t-old", "source": "test", "url": "https://example.org/old", "title": "Slēgts kultūras konkurss",
     "summary": "kultūra festivāls", "deadline": "2026-12-01", "priority_areas": ["culture"]},
]


def _frames(at):
    return [df.value for df in at.dataframe]


def test_cohort_on_the_bundled_data(make_app):
    at = make_app("cohort")
    assert not at.exception
    assert at.title[0].value == i18n.t("mentor.cohort.title", "lv")
    frames = _frames(at)
    cohort = frames[0]
    assert len(cohort) == 11  # every incubator NGO has a row, with or without matches
    assert cohort[i18n.t("mentor.col.ngo", "lv")].is_unique
    assert sum(int(n.rstrip("+")) for n in cohort[i18n.t("mentor.col.matches", "lv")]) > 0
    assert cohort[i18n.t("mentor.col.good", "lv")].min() >= 1  # every bundled NGO has a good match
    assert at.get("vega_lite_chart"), "the funding chart is missing"
    assert [m.label for m in at.metric][0] == i18n.t("mentor.cohort.m_ngos", "lv")
    assert at.metric[0].value == "11"
    # calls several NGOs fit, then calls one NGO fits that ask for partners: no call in both tables
    areas, n_ngos, call = (i18n.t(k, "lv") for k in ("mentor.col.ngo_areas", "mentor.col.n_ngos", "mentor.col.call"))
    shared, partners = [f for f in frames if areas in f.columns]
    assert n_ngos in shared.columns and (shared[n_ngos] >= 2).all()
    assert n_ngos not in partners.columns and len(partners) >= 1
    assert not set(shared[call]) & set(partners[call])


def test_cohort_shared_calls_and_hostile_text(custom_env, run_app):
    custom_env(profiles=PROFILES, calls=CALLS)
    at = run_app("cohort")
    assert not at.exception
    frames = _frames(at)
    call_col = i18n.t("mentor.col.call", "lv")
    shared = [f for f in frames if i18n.t("mentor.col.n_ngos", "lv") in f.columns]
    assert len(shared) == 1  # the calls several NGOs fit, once; no call asks for partners
    assert [i.value for i in at.info] == [i18n.t("mentor.cohort.no_partners", "lv")]
    row = shared[0][shared[0][call_col] == "Festivālu atbalsta konkurss"].iloc[0]
    assert "Kultūras biedrība" in row[i18n.t("mentor.col.ngos", "lv")]
    assert "Jauniešu klubs" in row[i18n.t("mentor.col.ngos", "lv")]
    assert row[i18n.t("mentor.col.ngo_areas", "lv")] == "Kultūra, Bērni un jaunieši"  # two areas: a joint bid
    # hostile text sits in data frames as plain text, cut short; nothing of it reaches markdown
    assert any(HOSTILE in str(v) for v in frames[0].to_numpy().ravel())
    assert all(len(str(v)) < 400 for f in frames for v in f.to_numpy().ravel())
    assert not any("<script>" in m.value for m in at.markdown)
    # the closed call is nowhere
    assert not any("Slēgts" in str(v) for f in frames for v in f.to_numpy().ravel())


CONCERTS = {"id": "t-konc", "source": "test", "url": "https://example.org/konc", "title": "Koncertu konkurss",
            "summary": "Atbalsts koncertiem un kultūras pasākumiem Liepājā.", "language": "lv",
            "eligible_applicants": ["association"], "geography": ["Liepāja"], "max_amount_eur": 5000,
            "deadline": "2027-02-10", "priority_areas": ["culture"]}


def test_cohort_deadline_window(custom_env, run_app):
    custom_env(profiles=PROFILES, calls=[*CALLS, CONCERTS])
    at = run_app("cohort")
    deadlines = _frames(at)[1]
    # 25 Jan and 10 Feb from 15 Jan; the hostile call also closes on 10 Feb, but it fits nobody (a score
    # near 0 at the bottom of both lists): a deadline list shows matches, not every ranked call
    assert list(deadlines[i18n.t("mentor.col.days", "lv")]) == [10, 26]
    assert "Koncertu konkurss" in set(deadlines[i18n.t("mentor.col.call", "lv")])
    at.segmented_control(key="cohort_window").set_value(14).run()
    assert list(_frames(at)[1][i18n.t("mentor.col.days", "lv")]) == [10]


def test_cohort_in_english(make_app):
    at = make_app("cohort")
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Cohort overview"
    assert i18n.t("mentor.col.ngo", "en") in _frames(at)[0].columns


def test_cohort_without_calls_says_so(custom_env, run_app):
    custom_env(profiles=PROFILES)
    at = run_app("cohort")
    assert not at.exception
    assert [w.value for w in at.warning] == [i18n.t("app.no_calls", "lv")]


def test_cohort_without_profiles_says_so(custom_env, run_app):
    custom_env(calls=CALLS)
    at = run_app("cohort")
    assert not at.exception
    assert any(i.value == i18n.t("app.ngo.none", "lv") for i in at.info)


def test_cohort_opens_an_ngo_matches(custom_env, run_app):
    custom_env(profiles=PROFILES, calls=CALLS)
    at = run_app("cohort")
    at.selectbox(key="cohort_open_ngo").set_value("jaun").run()
    at.button(key="cohort_open_ngo_go").click().run()
    assert not at.exception
    assert at.session_state["profile_id"] == "jaun"


def test_cohort_table_shows_whole_names_and_deadlines(make_app):
    """Fixed widths cut 'nodibinājums "Centra MARTA Liepājas nodibinājum…' and '26 January 2027 (52 d…'."""
    import json

    at = make_app("cohort", lang="en")
    assert not at.exception
    frame = at.dataframe[0].value
    widths = {name: col.get("width") for name, col in json.loads(at.dataframe[0].proto.columns).items()}
    for key in ("mentor.col.ngo", "mentor.col.next_deadline"):
        label = i18n.t(key, "en")
        longest = max(frame[label], key=len)
        assert widths[label] >= 16 + 7 * len(longest), (label, longest, widths[label])  # 14 px text


def test_the_cohort_calendar_is_one_file_on_the_calendar_and_cohort_pages(make_app, monkeypatch):
    """The Calendar page's whole-cohort .ics (grantmatch-cohort.ics, 24 events on the bundled data) and
    the Cohort page's (grantmatch-inkubators.ics, 28 events, a Latvian name in English too) were two
    files: now one name, one calendar name and the same events wherever it is downloaded."""
    import streamlit as st
    from icalendar import Calendar

    offered = {}
    original = st.download_button

    def spy(label, data=None, file_name=None, *args, **kwargs):
        if str(file_name).endswith(".ics"):
            offered[kwargs.get("key")] = (file_name, data)
        return original(label, data, file_name, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", spy)
    at = make_app("calendar", lang="en")
    at.radio(key="cal_scope").set_value("cohort").run()
    make_app("cohort", lang="en")
    assert set(offered) == {"cal_ics", "cohort_ics"} and not at.exception

    def calendar(key):
        file_name, data = offered[key]
        cal = Calendar.from_ical(data)
        events = {(str(e["uid"]), e.decoded("dtstart"), str(e["summary"])) for e in cal.walk("VEVENT")}
        return file_name, str(cal["x-wr-calname"]), events

    on_calendar, on_cohort = calendar("cal_ics"), calendar("cohort_ics")
    assert on_calendar == on_cohort
    assert on_calendar[0] == "grantmatch-cohort.ics" and len(on_calendar[2]) > 5
