"""Mentor — consultation brief page: sections, downloads, recording a consultation, bad input."""

from __future__ import annotations

import json

from grantmatch import i18n
from grantmatch.store import Store

from .test_cohort import CALLS, HOSTILE, PROFILES


def _markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_brief_on_the_bundled_data(make_app):
    at = make_app("brief")
    assert not at.exception
    assert at.title[0].value == i18n.t("mentor.brief.title", "lv")
    text = _markdown(at).replace("\\", "")  # markdown escapes
    for key in ("mentor.brief.deadlines_30", "mentor.brief.pipeline", "mentor.brief.new_first"):
        assert i18n.t(key, "lv") in text
    # a first consultation lists every match once: no second table of the same best calls
    assert i18n.t("mentor.brief.top", "lv") not in text
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == [i18n.t("mentor.brief.download_docx", "lv"), i18n.t("mentor.brief.download_md", "lv")]
    assert at.caption[0].value == i18n.t("mentor.brief.since_never", "lv")


def test_brief_shows_the_pipeline_and_records_a_consultation(custom_env, run_app):
    env = custom_env(profiles=PROFILES, calls=CALLS)
    store = Store(env.url)
    store.track("kult", "t-fest", "preparing")
    store.update_tracked("kult", "t-fest", notes="budžets jāpārskata", amount_requested=6000)
    at = run_app("brief", session={"profile_id": "kult"})
    assert not at.exception
    pipeline = [df.value for df in at.dataframe if i18n.t("mentor.col.stage", "lv") in df.value.columns][0]
    assert list(pipeline[i18n.t("mentor.col.stage", "lv")]) == [i18n.t("stage.preparing", "lv")]
    assert "budžets jāpārskata" in pipeline[i18n.t("mentor.col.notes", "lv")].iloc[0]

    at.text_area[0].set_value("Runājām par festivāla budžetu")
    at.button[0].click().run()  # the form's submit button
    assert not at.exception
    assert [s.value for s in at.success] == [i18n.t("mentor.brief.recorded", "lv", date="15.01.2027.")]
    held = store.consultations("kult")
    assert len(held) == 1 and held[0]["notes"] == "Runājām par festivāla budžetu"
    assert at.caption[0].value.startswith(i18n.t("mentor.brief.since", "lv", date="15.01.2027.")[:20])
    notes = [df.value for df in at.dataframe if i18n.t("mentor.col.held", "lv") in df.value.columns][0]
    assert list(notes[i18n.t("mentor.col.notes", "lv")]) == ["Runājām par festivāla budžetu"]


def test_brief_renders_hostile_names_and_calls_safely(custom_env, run_app):
    evil = {**PROFILES[0], "id": "evil", "name": HOSTILE, "mission": HOSTILE + "x" * 100_000}
    custom_env(profiles=[evil], calls=CALLS)
    at = run_app("brief", session={"profile_id": "evil"})
    assert not at.exception
    assert "<script>" not in _markdown(at)
    assert "](https://evil" not in _markdown(at).replace("\\]", "")
    assert all(len(str(v)) <= 1000 for df in at.dataframe for v in df.value.to_numpy().ravel())


def test_brief_without_calls_still_shows_the_organisation(custom_env, run_app):
    custom_env(profiles=PROFILES)
    at = run_app("brief", session={"profile_id": "jaun"})
    assert not at.exception
    assert [w.value for w in at.warning] == [i18n.t("app.no_calls", "lv")]
    assert i18n.t("mentor.brief.no_matches", "lv") in [c.value for c in at.caption]


def test_brief_in_english(custom_env, run_app):
    custom_env(profiles=PROFILES, calls=CALLS)
    at = run_app("brief", session={"profile_id": "kult"})
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Consultation brief"
    assert "Deadlines in the next 30 days" in _markdown(at)


def test_why_it_matches_and_the_deadline_are_next_to_the_call(make_app):
    """The reason and the deadline were the last of five fixed-width columns, off screen."""
    at = make_app("brief", lang="en")
    assert not at.exception
    frame = at.dataframe[0].value
    want = ["mentor.col.call", "mentor.col.why", "mentor.col.deadline", "mentor.col.amount", "mentor.col.funder"]
    assert list(frame.columns) == [i18n.t(k, "en") for k in want]


def test_a_language_switch_keeps_the_consultation_being_written(custom_env, run_app):
    """A form's values stay in the browser until it is submitted, as long as each widget keeps its
    identity. The consultation's date and notes lost theirs on a language switch (the labels, and
    the date picker's format, are part of an unkeyed widget's identity), and with it what was typed."""
    custom_env(profiles=PROFILES, calls=CALLS)
    at = run_app("brief", session={"profile_id": "kult"})
    before = (at.date_input[0].id, at.text_area[0].id)
    at.sidebar.button_group[0].set_value("en").run()
    assert not at.exception
    assert at.date_input[0].label == i18n.t("mentor.brief.held_on", "en")
    assert (at.date_input[0].id, at.text_area[0].id) == before


def test_a_deadline_list_gives_the_call_the_room(make_app):
    """In the deadline lists the call's title was cut at 300 px beside a 170 px date column sized for a
    match table's "22 January 2027 (7 days left)"."""
    at = make_app("brief", lang="en")
    assert not at.exception
    widths = {}
    for df in at.dataframe:
        config = json.loads(df.proto.columns)
        widths[tuple(df.value.columns)] = {c: v.get("width") for c, v in config.items() if c != "_index"}
    deadline_list = widths[("Deadline", "Days left", "Call", "Why listed")]
    match_table = widths[("Call", "Why it matches", "Deadline", "Amount", "Funder")]
    assert deadline_list["Call"] > match_table["Call"] and deadline_list["Deadline"] < match_table["Deadline"]
