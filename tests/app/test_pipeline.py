"""Pipeline page: stages, notes, amounts, a reason when closed, drafts, untrack, error states."""

from __future__ import annotations

import pytest

from grantmatch import services


def _tracked_env(app_env):
    store = services.open_store(app_env.url)
    profile = store.list_profiles()[0]
    calls = sorted(c.id for c in store.list_calls() if c.deadline and c.deadline.isoformat() > app_env.today)
    store.track(profile.id, calls[0])
    store.track(profile.id, calls[1])
    return store, profile.id, calls[0], calls[1]


def test_empty_pipeline(app_env, run_app):
    at = run_app("pipeline")
    assert not at.exception
    assert any("Vēl nesekojat" in i.value for i in at.info)


def test_move_to_submitted_with_amount_and_notes(app_env, run_app):
    store, pid, c1, _ = _tracked_env(app_env)
    at = run_app("pipeline", session={"profile_id": pid})
    assert not at.exception
    at.selectbox(key=f"pl_stage_{c1}").set_value("submitted")
    at.text_input(key=f"pl_req_{c1}").input("4 500,50")
    at.text_area(key=f"pl_notes_{c1}").input("Iesniegts e-pastā")
    at.button(key=f"FormSubmitter:pl_form_{c1}-Saglabāt").click().run()
    assert not at.exception
    row = next(r for r in store.tracked(pid) if r["call_id"] == c1)
    assert (row["stage"], row["amount_requested"], row["notes"]) == ("submitted", 4500.5, "Iesniegts e-pastā")
    assert any("Saglabāts" in s.value for s in at.success)
    assert any(s.value.startswith("Iesniegts") for s in at.subheader)


@pytest.mark.parametrize(
    ("stage", "requested", "awarded", "reason", "message"),
    [
        ("dropped", "", "", "", "norādiet iemeslu"),
        ("rejected", "", "", "  ", "norādiet iemeslu"),
        ("preparing", "-3", "", "", "jābūt nenegatīvam skaitlim"),
        ("preparing", "daudz", "", "", "jābūt nenegatīvam skaitlim"),
        ("submitted", "", "1000", "", "tikai posmā “atbalstīts”"),
    ],
)
def test_invalid_updates_are_refused(app_env, run_app, stage, requested, awarded, reason, message):
    store, pid, c1, _ = _tracked_env(app_env)
    at = run_app("pipeline", session={"profile_id": pid})
    at.selectbox(key=f"pl_stage_{c1}").set_value(stage)
    at.text_input(key=f"pl_req_{c1}").input(requested)
    at.text_input(key=f"pl_awd_{c1}").input(awarded)
    at.text_input(key=f"pl_reason_{c1}").input(reason)
    at.button(key=f"FormSubmitter:pl_form_{c1}-Saglabāt").click().run()
    assert not at.exception
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    assert next(r for r in store.tracked(pid) if r["call_id"] == c1)["stage"] == "interested"


def test_dropped_with_reason_and_awarded(app_env):
    store, pid, c1, c2 = _tracked_env(app_env)
    services.update_pipeline(store, pid, c1, stage="dropped", reason="Nav laika")
    services.update_pipeline(store, pid, c2, stage="awarded", amount_requested="5000", amount_awarded="4000")
    rows = {r["call_id"]: r for r in store.tracked(pid)}
    assert rows[c1]["reason"] == "Nav laika" and rows[c2]["amount_awarded"] == 4000
    entries = services.pipeline_entries(store, pid)
    assert [e["stage"] for e in entries] == ["awarded", "dropped"]


def test_drafts_listed_and_untrack(app_env, run_app):
    store, pid, c1, c2 = _tracked_env(app_env)
    store.save_draft(pid, c1, "lv-generic", {"sections": {}}, title="Pirmais melnraksts")
    at = run_app("pipeline", session={"profile_id": pid})
    assert any("Pirmais melnraksts" in m.value for m in at.markdown)
    assert not at.exception
    at.button(key=f"pl_untrack_{c2}").click().run()
    assert not at.exception
    assert [r["call_id"] for r in store.tracked(pid)] == [c1]


def test_call_gone_from_database(custom_env, run_app):
    env = custom_env(profiles=[{"id": "p", "name": "P"}], calls=[
        {"id": "c", "source": "t", "url": "https://e.org", "title": "C", "deadline": "2027-03-01"}])
    store = services.open_store(env.url)
    store.track("p", "c")
    store.track("p", "gone")
    at = run_app("pipeline")
    assert not at.exception
    assert any("gone" in w.value for w in at.warning)


@pytest.mark.parametrize(
    ("lang", "total", "heading"),
    [("lv", "Kopā: 1 konkurss;", "Interesē (1)"), ("en", "In total: 1 call;", "Interested (1)")],
)
def test_one_call_in_total_is_singular_and_stage_headings_start_upper_case(app_env, run_app, lang, total, heading):
    store = services.open_store(app_env.url)
    profile = store.list_profiles()[0]
    call = next(c for c in store.list_calls() if c.deadline and c.deadline.isoformat() > app_env.today)
    store.track(profile.id, call.id)
    at = run_app("pipeline", session={"profile_id": profile.id, "lang": lang})
    assert not at.exception
    assert any(m.value.startswith(total) for m in at.markdown), [m.value for m in at.markdown][:3]
    assert [s.value for s in at.subheader] == [heading]


def test_implausible_amounts_and_early_decisions_are_saved_with_a_warning(app_env, run_app):
    """Awarded 9 000 € against 4 500 € requested, on a call whose maximum is lower, marked awarded while the
    call is still open: saved (the user may know better), and each oddity shown beside the entry."""
    store, pid, c1, c2 = _tracked_env(app_env)
    call = store.get_call(c1)
    over = (call.max_amount_eur or 4000) + 500
    at = run_app("pipeline", session={"profile_id": pid})
    assert not at.warning
    at.selectbox(key=f"pl_stage_{c1}").set_value("awarded")
    at.text_input(key=f"pl_req_{c1}").input(f"{over:g}")
    at.text_input(key=f"pl_awd_{c1}").input(f"{2 * over:g}")
    at.button(key=f"FormSubmitter:pl_form_{c1}-Saglabāt").click().run()
    assert not at.exception
    assert next(r for r in store.tracked(pid) if r["call_id"] == c1)["amount_awarded"] == 2 * over
    text = " ".join(w.value for w in at.warning)
    assert "ir lielāka par pieprasīto" in text
    assert "termiņš" in text and "vēl nav pagājis" in text
    if call.max_amount_eur:
        assert "pārsniedz konkursa maksimālo summu" in text
    assert len(at.warning) == 3 if call.max_amount_eur else 2


def test_pipeline_warnings_rules():
    from datetime import date

    from grantmatch.models import GrantCall

    call = GrantCall.from_dict({"id": "c", "source": "t", "url": "https://x.lv", "title": "T",
                                "max_amount_eur": 5000, "deadline": "2027-02-01"})
    ok = {"call": call, "stage": "submitted", "amount_requested": 5000.0, "amount_awarded": None}
    assert services.pipeline_warnings(ok, date(2027, 1, 15)) == []
    done = {**ok, "stage": "awarded", "amount_awarded": 4000.0}
    assert services.pipeline_warnings(done, date(2027, 3, 1)) == []  # decided after the deadline: fine
    keys = [k for k, _ in services.pipeline_warnings({**done, "amount_awarded": 6000.0, "amount_requested": 5500.0},
                                                      date(2027, 1, 15))]
    assert keys == ["pipeline.warn.awarded_over_requested", "pipeline.warn.over_max",
                    "pipeline.warn.decided_before_deadline"]
    assert services.pipeline_warnings({**ok, "call": None}, date(2027, 1, 15)) == []  # the call has gone


def test_a_listed_draft_opens_on_the_draft_page(app_env, run_app):
    """The pipeline listed a call's drafts as plain text; each now opens on the Draft page (and in its link)."""
    store, pid, c1, _ = _tracked_env(app_env)
    older = services.create_draft(store, pid, c1, today=None)["id"]
    newer = services.create_draft(store, pid, c1, today=None)["id"]
    at = run_app("pipeline", session={"profile_id": pid})
    at.button(key=f"pl_open_draft_{older}").click().run()
    assert not at.exception
    assert at.title[0].value == "Projekta pieteikuma melnraksts"
    assert at.selectbox[0].value == older != newer
    assert at.query_params["draft"] == str(older)


def test_the_total_says_when_no_amounts_are_entered(app_env, run_app):
    """With nothing requested yet the total read "requested 0 €, awarded 0 €"; it now says no amounts are
    entered, and shows the sums once one is."""
    store, pid, c1, _ = _tracked_env(app_env)
    at = run_app("pipeline", session={"profile_id": pid})
    assert any(m.value == "Kopā: 2 konkursi; summas vēl nav ievadītas." for m in at.markdown)
    services.update_pipeline(store, pid, c1, stage="submitted", amount_requested="5000")
    at = run_app("pipeline", session={"profile_id": pid})
    assert any(m.value.startswith("Kopā: 2 konkursi; pieprasīts 5") for m in at.markdown)
