"""Call detail page: text as plain text, facts, link, history, similar calls, other NGOs, errors."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from grantmatch import services
from grantmatch.models import GrantCall

HOSTILE = {
    "id": "evil-1",
    "source": "test",
    "url": 'https://evil.example/"><img src=x onerror=alert(1)>',  # http(s), yet no safe link
    "title": "<script>alert('x')</script> **Koncerti** [spied](https://evil.example)",
    "summary": "<b>bold</b> [link](javascript:alert(1))\n" + "koncerti " * 15_000,
    "eligible_applicants": ["association"],
    "deadline": "2027-03-01",
}


def _first_call_id(env) -> str:
    store = services.open_store(env.url)
    return sorted(c.id for c in store.list_calls() if c.deadline and c.deadline.isoformat() > env.today)[0]


def test_no_call_selected_offers_the_ngos_matches_to_open(app_env, run_app):
    at = run_app("call")
    assert not at.exception
    assert any("Konkurss nav izvēlēts" in i.value for i in at.info)
    pick = at.selectbox(key="call_pick")
    assert pick.value is None and len(pick.options) > 10
    pick.select_index(0).run()  # the NGO's best match
    assert not at.exception
    cid = at.session_state["call_id"]
    call = services.get_call(services.open_store(app_env.url), cid)
    assert pick.options[0].startswith(call.title[:40])
    assert not any("Konkurss nav izvēlēts" in i.value for i in at.info)
    assert at.header and at.button(key="call_track")  # the call's own page, with its actions


def test_unknown_call(app_env, run_app):
    at = run_app("call", session={"call_id": "no-such-call"})
    assert not at.exception
    assert any("no-such-call" in w.value.replace("\\", "") for w in at.warning)


def test_a_link_names_the_call_and_a_reload_keeps_it(app_env, run_app):
    """``/call?call=<id>`` (a bookmark, a link in an e-mail) opens that call; the page writes the
    call it shows into the link, so a reload comes back to it."""
    cid = _first_call_id(app_env)
    call = services.open_store(app_env.url).get_call(cid)
    at = run_app("call", query={"call": cid})
    assert not at.exception
    assert at.header[0].value.replace("\\", "").startswith(call.title[:40])
    assert at.session_state["call_id"] == cid
    assert at.query_params["call"] == cid and at.query_params["lang"] == "lv"


def test_an_unknown_call_in_a_link_is_named_inertly(app_env, run_app):
    at = run_app("call", query={"call": "[x](https://evil.example)"})
    assert not at.exception
    note = next(w.value for w in at.warning)
    assert "\\[x\\]\\(https" in note  # shown as typed, not as a link


def test_detail_of_a_bundled_call(app_env, run_app):
    cid = _first_call_id(app_env)
    call = services.open_store(app_env.url).get_call(cid)
    at = run_app("call", session={"call_id": cid})
    assert not at.exception
    assert at.header[0].value  # the title
    if call.summary:
        assert at.text[0].value == call.summary
    md = " ".join(m.value for m in at.markdown)
    assert "Finansētājs" in md and "Termiņš" in md
    assert at.get("link_button")
    subheaders = [s.value for s in at.subheader]
    assert "Līdzīgi konkursi" in subheaders and "Der arī citām inkubatora organizācijām" in subheaders


def test_change_history_shows_moved_deadline(app_env, run_app):
    store = services.open_store(app_env.url)
    cid = _first_call_id(app_env)
    call = store.get_call(cid)
    moved = GrantCall.from_dict({**call.to_dict(), "deadline": (call.deadline + timedelta(days=10)).isoformat()})
    store.upsert_calls([moved], seen_at=datetime.now(UTC))
    at = run_app("call", session={"call_id": cid})
    assert not at.exception
    rows = [m.value.replace("\\", "") for m in at.markdown if "mainīts" in m.value]
    assert rows and call.deadline.strftime("%d.%m.%Y.") in rows[0] and moved.deadline.strftime("%d.%m.%Y.") in rows[0]


def test_detail_from_a_card_button(app_env, run_app):
    at = run_app()
    first = next(b for b in at.button if b.key and b.key.startswith("det_"))
    first.click().run()
    assert not at.exception
    assert at.session_state["call_id"] == first.key.removeprefix("det_")
    assert any(s.value == "Fakti" for s in at.subheader)


def test_hostile_call_renders_inert(custom_env, run_app):
    custom_env(profiles=[{"id": "p", "name": "Biedrība P", "legal_form": "association"}], calls=[HOSTILE])
    at = run_app("call", session={"call_id": "evil-1"})
    assert not at.exception
    head = at.header[0].value
    assert not re.search(r"(?<!\\)<script", head) and "\\*\\*Koncerti\\*\\*" in head
    # The body is plain text (st.text), cut at 20 000 characters with a download of the whole.
    assert at.text[0].value.startswith("<b>bold</b> [link](javascript:alert(1))")
    assert len(at.text[0].value) < 21_000
    assert any("Teksts ir garš" in c.value for c in at.caption)
    assert not at.get("link_button")  # a URL with quotes and angle brackets gets no link
    assert any("nav derīga" in c.value for c in at.caption)


def test_call_with_missing_fields(custom_env, run_app):
    bare = {"id": "bare-1", "source": "test", "url": "https://example.org", "title": "Tikai nosaukums"}
    custom_env(profiles=[{"id": "p", "name": "Biedrība P"}], calls=[bare])
    at = run_app("call", session={"call_id": "bare-1"})
    assert not at.exception
    assert any("nav publicējis" in i.value for i in at.info)
    assert "nav norādīts" in " ".join(m.value for m in at.markdown)


def test_english_labels(app_env, run_app):
    at = run_app("call", session={"call_id": _first_call_id(app_env), "lang": "en"})
    assert not at.exception
    assert any(s.value == "Change history" for s in at.subheader)


def test_track_mark_and_draft_from_the_detail(app_env, run_app):
    cid = _first_call_id(app_env)
    at = run_app("call", session={"call_id": cid})
    pid = at.session_state["profile_id"]
    at.button(key="call_track").click().run()
    assert not at.exception
    store = services.open_store(app_env.url)
    assert cid in services.tracked_ids(store, pid)
    assert at.button(key="call_track").disabled
    at.button(key="call_irr").click().run()
    assert services.feedback(store, pid) == {cid: False}
    assert any("atzīmēts: neder" in c.value for c in at.caption)
    at.button(key="call_clear").click().run()
    assert services.feedback(store, pid) == {}
    at.button(key="call_draft").click().run()
    assert not at.exception
    assert at.session_state["call_id"] == cid  # the Draft page opens with this call chosen
    assert at.session_state["draft_id"] == -1  # on its "New draft" form, even when older drafts exist
    assert at.title[0].value == "Projekta pieteikuma melnraksts"
    assert at.selectbox(key="draft_new_call").value == cid


def test_source_and_language_by_name(custom_env, run_app):
    call = {"id": "kkf-1", "source": "kkf", "url": "https://example.org/1", "title": "Konkurss", "language": "lv"}
    custom_env(profiles=[{"id": "p", "name": "Biedrība P"}], calls=[call])
    at = run_app("call", session={"call_id": "kkf-1"})
    md = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "Avots:** Valsts kultūrkapitāla fonds" in md and "Valoda:** latviešu" in md


def test_hostile_urls_are_not_autolinked(custom_env, run_app):
    custom_env(profiles=[{"id": "p", "name": "Biedrība P", "legal_form": "association"}], calls=[HOSTILE])
    at = run_app("call", session={"call_id": "evil-1"})
    head = at.header[0].value
    # GFM turns a bare (even escaped) "https://…" into a live link: the scheme is broken up.
    assert "https\\:" not in head and "https:" not in head.replace("\\", "")
