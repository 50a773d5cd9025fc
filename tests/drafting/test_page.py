"""The Draft page with AppTest, opened directly, on a temporary SQLite database."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from grantmatch import services
from grantmatch.drafting import service

from .conftest import LV_CHARS

PAGE = str(Path(__file__).resolve().parents[2] / "app_pages" / "draft.py")


@pytest.fixture
def store(tmp_path, monkeypatch, profile, sif_call, eu_call):
    url = f"sqlite:///{tmp_path / 'page.db'}"
    monkeypatch.setenv("GRANTMATCH_DATABASE_URL", url)
    monkeypatch.setenv("GRANTMATCH_TODAY", "2027-01-10")
    evil = sif_call.__class__.from_dict(
        sif_call.to_dict() | {"summary": sif_call.summary + " Jāiesniedz <b>bold</b> un [x](javascript:alert(1))."}
    )
    s = services.open_store(url)
    s.upsert_profiles([profile])
    s.upsert_calls([evil, eu_call])
    return s


def _run(at: AppTest) -> AppTest:
    at.run(timeout=60)
    assert not at.exception, at.exception
    return at


def test_create_edit_autosave_restore(store, profile):
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["profile_id"] = profile.id
    at.session_state["call_id"] = "sif-nvo-fonds-2027"
    _run(at)
    assert at.title[0].value == "Projekta pieteikuma melnraksts"
    at.button[0].click()  # "Izveidot melnrakstu"
    _run(at)
    drafts = service.list_drafts(store, profile_id=profile.id)
    assert len(drafts) == 1 and drafts[0]["version"] == 1
    draft_id = drafts[0]["id"]
    headers = [h.value for h in at.header]
    assert "Projekta nepieciešamības pamatojums \\(problēma un vajadzība\\)" in headers
    # untrusted call text is escaped in checkbox labels, never rendered as HTML or a link
    labels = [c.label for c in at.checkbox]
    evil = next(lbl for lbl in labels if "bold" in lbl)
    assert "\\<b\\>" in evil and "\\[x\\]\\(javascript" in evil
    assert not [m for m in at.markdown if "<b>" in m.value]

    at.text_area[0].input(f"Mūsu problēma: {LV_CHARS}")
    _run(at)
    rec = service.load_draft(store, draft_id)
    assert rec["version"] == 2
    assert rec["content"]["sections"][0]["text"] == f"Mūsu problēma: {LV_CHARS}"
    _run(at)  # a rerun without changes saves nothing new
    assert service.load_draft(store, draft_id)["version"] == 2

    versions = next(s for s in at.selectbox if s.label == "Versija")
    versions.set_value(1)
    _run(at)
    next(b for b in at.button if b.label == "Atjaunot šo versiju").click()
    _run(at)
    rec = service.load_draft(store, draft_id)
    assert rec["version"] == 3 and rec["content"]["sections"][0]["text"] != f"Mūsu problēma: {LV_CHARS}"
    assert at.text_area[0].value == rec["content"]["sections"][0]["text"]
    assert any("atjaunota" in s.value for s in at.success)


def test_budget_flags_and_english(store, profile):
    rec = service.create_draft(store, profile.id, "eu-ft-cerv-2027-citizens")
    content = rec["content"]
    content["budget"]["lines"][0]["unit_cost"] = "500000"
    service.save_draft(store, rec["id"], content)
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["profile_id"] = profile.id
    at.session_state["lang"] = "en"
    at.session_state["draft_id"] = rec["id"]
    _run(at)
    assert at.title[0].value == "Draft a proposal"
    assert any("above the call's maximum of €100,000" in w.value for w in at.warning)
    total = next(m for m in at.metric if m.label == "Total costs")
    assert total.value.startswith("€5")
    assert service.load_draft(store, rec["id"])["version"] == 2  # opening the page saved nothing new
    versions = next(sb for sb in at.selectbox if sb.label == "Version")
    months = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")
    assert all(any(m in o for m in months) for o in versions.options), versions.options  # not 05.12.2026.


def test_page_from_the_app_entrypoint(store, profile):
    rec = service.create_draft(store, profile.id, "sif-nvo-fonds-2027")
    at = AppTest.from_file(str(Path(PAGE).parents[1] / "app.py"), default_timeout=60)
    at.session_state["profile_id"] = profile.id
    at.session_state["draft_id"] = rec["id"]
    _run(at)
    at.switch_page("app_pages/draft.py")
    _run(at)
    assert at.title[0].value == "Projekta pieteikuma melnraksts"
    assert len(at.text_area) == 12


def _meta_version(at: AppTest) -> int:
    meta = next(c.value for c in at.caption if c.value.startswith("Veidne:"))
    return int(meta.split("versija ")[1].split(" ")[0])


def test_version_caption_shows_the_version_just_saved(store, profile):
    rec = service.create_draft(store, profile.id, "sif-nvo-fonds-2027")
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["profile_id"] = profile.id
    at.session_state["draft_id"] = rec["id"]
    _run(at)
    assert _meta_version(at) == 1
    for n in (2, 3):
        at.text_area[0].input(f"Labojums {n}")
        _run(at)
        assert service.load_draft(store, rec["id"])["version"] == n
        assert _meta_version(at) == n  # the caption above the edit, not the one before it
        assert any(f"pašreizējā versija: {n}" in c.value for c in at.caption)
        # the draft picker names no version (drawn before the autosave, it would name the one before)
        assert all("(v" not in str(o) for o in at.selectbox[0].options)


def test_template_names_are_in_the_users_language(store, profile):
    """The picker showed Latvian template names in English and "Generic EU call ..." in Latvian."""
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["profile_id"] = profile.id
    _run(at)
    picker = at.selectbox(key="draft_new_template")
    lv = list(picker.options)  # the labels shown
    assert "Vispārīgs ES konkurss (CERV / Radošā Eiropa)" in lv and "Valsts kultūrkapitāla fonds" in lv
    at.session_state["lang"] = "en"
    _run(at)
    picker = at.selectbox(key="draft_new_template")
    en = list(picker.options)
    assert "Generic EU call (CERV / Creative Europe style)" in en and "State Culture Capital Foundation (VKKF)" in en


def test_a_link_opens_the_draft_it_names(store, profile, sif_call):
    """A reload on an open draft went back to "New draft": the link now names the draft (?draft=<id>),
    and the call's page is a link button, not a bare URL in plain text."""
    made = service.create_draft(store, profile.id, sif_call.id, today=None)
    draft_id = made["id"]
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["profile_id"] = profile.id
    at.query_params["draft"] = str(draft_id)
    _run(at)
    assert at.selectbox[0].value == draft_id
    assert at.query_params["draft"] == str(draft_id)
    assert [b.proto.url for b in at.get("link_button")] == [sif_call.url]
    assert not any(sif_call.url in t.value for t in at.text)
    at.selectbox[0].set_value(-1)  # "New draft": the link stops naming it
    _run(at)
    assert "draft" not in at.query_params
    # a link to somebody else's (or a deleted) draft opens "New draft"
    other = AppTest.from_file(PAGE, default_timeout=60)
    other.session_state["profile_id"] = profile.id
    other.query_params["draft"] = "99999"
    _run(other)
    assert other.selectbox[0].value == -1


def test_a_returning_user_finds_their_latest_draft(store, profile, sif_call, eu_call):
    """Opening the page (no link, no choice yet) showed "New draft" even when the NGO had drafts: it now opens
    the newest one; "New draft" stays chosen once picked."""
    service.create_draft(store, profile.id, sif_call.id, today=None)
    newest = service.create_draft(store, profile.id, eu_call.id, today=None)["id"]
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["profile_id"] = profile.id
    _run(at)
    assert at.selectbox[0].value == newest
    at.selectbox[0].set_value(-1)
    _run(at)
    _run(at)  # a rerun (any widget) keeps the form
    assert at.selectbox[0].value == -1
    assert at.button(key="draft_new_create")


def test_delete_a_draft_after_confirming(store, profile, sif_call, eu_call):
    """A draft made by mistake could not be removed. Deleting needs a confirming tick, removes every version
    and opens the NGO's next draft."""
    kept = service.create_draft(store, profile.id, sif_call.id, today=None)["id"]
    gone = service.create_draft(store, profile.id, eu_call.id, today=None)["id"]
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["profile_id"] = profile.id
    _run(at)
    assert at.selectbox[0].value == gone
    button = next(b for b in at.button if b.label == "Dzēst")
    assert button.disabled  # nothing happens without the tick
    next(c for c in at.checkbox if c.label.startswith("Jā, dzēst")).check()
    _run(at)
    next(b for b in at.button if b.label == "Dzēst").click()
    _run(at)
    assert [d["id"] for d in service.list_drafts(store, profile_id=profile.id)] == [kept]
    assert store.draft_versions(gone) == []
    assert at.selectbox[0].value == kept
    assert any("ir dzēsts" in s.value for s in at.success)
