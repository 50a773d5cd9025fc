"""The service layer the pages call (no Streamlit): mentor services on a real temporary database, and
the rule that pages never reach the store or the drafting package's store-bound service directly."""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from grantmatch import services
from grantmatch.drafting import service as drafting_service

from .test_cohort import CALLS, PROFILES

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted((ROOT / "app_pages").glob("*.py")) + [ROOT / "app.py"]
STORE_METHODS = {
    "list_profiles", "get_profile", "tracked", "track", "untrack", "call_meta", "consultations",
    "add_consultation", "runs", "list_calls", "get_call", "feedback", "set_feedback", "list_drafts",
    "save_draft", "load_draft", "delete_draft", "upsert_calls", "upsert_profiles", "record_visit", "last_visit",
}  # fmt: skip


@pytest.fixture
def store(tmp_path):
    from grantmatch.models import GrantCall, NgoProfile

    st = services.open_store(f"sqlite:///{tmp_path / 'svc.db'}")
    st.upsert_profiles([NgoProfile.from_dict(p) for p in PROFILES])
    st.upsert_calls([GrantCall.from_dict(c) for c in CALLS])
    yield st
    st.engine.dispose()


def test_active_tracked_calls_skip_closed_stages_and_missing_calls(store):
    calls = services.calls_by_id(store)
    services.track(store, "kult", "t-fest")
    services.track(store, "kult", "t-evil")
    services.track(store, "jaun", "t-fest")
    services.update_pipeline(store, "jaun", "t-fest", stage="dropped", reason="no time")
    active = services.active_tracked_calls(store, {k: v for k, v in calls.items() if k != "t-evil"})
    assert {pid: [c.id for c in cs] for pid, cs in active.items()} == {"kult": ["t-fest"]}
    assert {r["call_id"] for r in services.tracked_rows(store, "kult")} == {"t-fest", "t-evil"}
    assert len(services.tracked_rows(store)) == 3


def test_consultations_round_trip_and_unknown_profile(store):
    held = datetime(2027, 1, 10, 12, tzinfo=UTC)
    services.add_consultation(store, "kult", notes="  budget plan  ", held_at=held)
    rows = services.consultations(store, "kult")
    assert [(r["notes"], r["held_at"].date()) for r in rows] == [("budget plan", date(2027, 1, 10))]
    with pytest.raises(KeyError, match="nobody"):
        services.add_consultation(store, "nobody", notes="x")


def test_consultation_brief_uses_the_stored_pipeline_and_consultations(store):
    services.track(store, "kult", "t-fest")
    services.add_consultation(store, "kult", notes="first talk", held_at=datetime(2027, 1, 1, tzinfo=UTC))
    brief = services.consultation_brief(
        store, services.get_profile(store, "kult"), today=date(2027, 1, 15), ranked=[],
        calls=services.calls_by_id(store),
    )  # fmt: skip
    assert [line.call_id for line in brief.pipeline] == ["t-fest"]
    assert [text for _, text in brief.past_notes] == ["first talk"]
    assert brief.since is not None and brief.since.date() == date(2027, 1, 1)


def test_calls_marked_not_relevant_leave_the_brief_and_the_cohort_lists(store):
    today = date(2027, 1, 15)
    profile = services.get_profile(store, "kult")
    ranked = services.rank_profile(store, services.build_matcher(store), profile, today=today)
    ids = [r.call.id for r in ranked]
    assert "t-fest" in ids
    calls = services.calls_by_id(store)
    services.set_feedback(store, "kult", "t-fest", False)
    services.set_feedback(store, "kult", "t-evil", True)  # a "relevant" mark changes nothing here
    assert services.not_relevant(services.feedback(store, "kult")) == {"t-fest"}
    assert [r.call.id for r in services.without_not_relevant(store, "kult", ranked, today=today)] == [
        i for i in ids if i != "t-fest"
    ]
    brief = services.consultation_brief(store, profile, today=today, ranked=ranked, calls=calls)
    listed = {item.call.id for section in (brief.new_matches, brief.top_matches) for item in section}
    listed |= {d.call.id for d in (*brief.deadlines_30, *brief.deadlines_60)}
    assert "t-fest" not in listed
    assert services.without_not_relevant(store, "jaun", ranked, today=today) == ranked  # another NGO's mark


def test_drafting_services_are_re_exported_unchanged():
    for name in ("create_draft", "delete_draft", "save_draft", "load_draft", "list_drafts", "draft_versions",
                 "restore_version", "template_choices"):  # fmt: skip
        assert getattr(services, name) is getattr(drafting_service, name)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_pages_call_services_not_the_store(path):
    """STYLE: a page never talks to the database. No page calls a store method on anything, and
    no page imports the store module or the drafting package's store-bound service module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if node.func.attr in STORE_METHODS and not (isinstance(owner, ast.Name) and owner.id == "services"):
                bad.append(f"line {node.lineno}: .{node.func.attr}()")
        if isinstance(node, ast.ImportFrom) and node.module in ("grantmatch.store", "grantmatch.drafting.service"):
            bad.append(f"line {node.lineno}: from {node.module} import ...")
        if isinstance(node, ast.ImportFrom) and node.module == "grantmatch.drafting" and any(
            a.name == "service" for a in node.names
        ):
            bad.append(f"line {node.lineno}: from grantmatch.drafting import service")
    assert not bad, f"{path.name} bypasses grantmatch.services: {bad}"


def test_saved_index_is_found_by_the_stores_fingerprint_and_follows_changed_calls(store, monkeypatch):
    from grantmatch.models import GrantCall
    from matcher import persist

    first = services.build_matcher(store)
    path = services.index_path(store)
    assert path.exists() and path.with_name(path.stem + ".key.json").exists()
    real_fingerprint = persist.fingerprint

    def no_hashing(calls):
        raise AssertionError("unchanged calls: the index must load without hashing every call")

    monkeypatch.setattr(persist, "fingerprint", no_hashing)
    again = services.build_matcher(store)
    assert again is not first and sorted(again.index_) == sorted(first.index_)  # loaded from the file
    monkeypatch.setattr(persist, "fingerprint", real_fingerprint)
    added = GrantCall.from_dict({**CALLS[0], "id": "t-new", "title": "Jauns konkurss"})
    store.upsert_calls([added])
    refit = services.build_matcher(store)
    assert "t-new" in refit.index_
    assert persist.load(path, persist.fingerprint(store.list_calls())) is not None  # what the scrape job checks


def test_the_matcher_hands_back_the_stored_calls(store):
    matcher = services.build_matcher(store)
    assert services.matcher_calls(matcher) == services.calls_by_id(store)
    assert services.matcher_calls(object()) is None
    assert services.has_calls(store)


def test_calendar_deadlines_leave_out_not_relevant_and_closed_calls(store):
    """The calendar's deadlines: a call marked "not relevant" or closed in the pipeline is no deadline to
    keep; the same list whether the function reads the marks itself or takes the ones the caller read."""
    today = date(2027, 1, 15)
    matcher, calls = services.build_matcher(store), services.calls_by_id(store)
    rankings = {p.id: services.rank_profile(store, matcher, p, today=today) for p in services.list_profiles(store)}

    def ids(**kw):
        items = services.calendar_deadlines(store, rankings, calls, today=today, top=20, **kw)
        return {(pid, i.call.id) for i in items for pid in i.profile_ids}

    before = ids()
    assert {("kult", "t-fest"), ("jaun", "t-fest")} <= before
    services.set_feedback(store, "kult", "t-fest", False)
    services.track(store, "jaun", "t-fest")
    services.update_pipeline(store, "jaun", "t-fest", stage="dropped", reason="no time")
    after = ids()
    assert after == before - {("kult", "t-fest"), ("jaun", "t-fest")}
    hidden = {pid: services.not_relevant(services.feedback(store, pid)) for pid in rankings}
    assert ids(hidden=hidden) == after
