from datetime import UTC, datetime

import pytest
from sqlalchemy import inspect

from grantmatch.models import GrantCall, NgoProfile
from grantmatch.store import Store, StoreError
from tests import postgres


def make_call(i: int = 1, **extra) -> GrantCall:
    rec = {
        "id": f"test-{i}",
        "source": "test",
        "url": f"https://example.lv/{i}",
        "title": f"Konkurss {i}",
        "deadline": "2027-02-22",
        **extra,
    }
    return GrantCall.from_dict(rec)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    """The same tests on a SQLite file and on a real PostgreSQL server."""
    if request.param == "sqlite":
        s = Store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    else:
        s = Store(postgres.create_database(request.getfixturevalue("pg_server")))
    s.upgrade()
    yield s
    s.engine.dispose()


def test_sqlite_uses_wal_and_does_not_fsync_every_commit(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    with s.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL (FULL is 2)
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    s.engine.dispose()


def test_migration_round_trip(store):
    s = store
    s.downgrade("base")
    assert s.revision() is None
    s.upgrade()
    assert s.revision() == "0001"
    tables = set(inspect(s.engine).get_table_names())
    assert {"calls", "call_changes", "profiles", "scrape_runs", "feedback", "pipeline", "drafts"} <= tables
    s.upsert_calls([make_call()])
    s.downgrade("base")
    assert "calls" not in inspect(s.engine).get_table_names()
    s.upgrade()
    assert s.count_calls() == 0


def test_upgrade_keeps_data(store):
    store.upsert_calls([make_call()])
    store.upgrade()  # again: nothing to do, nothing lost
    assert [c.id for c in store.list_calls()] == ["test-1"]


def test_upsert_new_unchanged_changed_and_history(store):
    t1 = datetime(2026, 11, 1, tzinfo=UTC)
    t2 = datetime(2026, 11, 8, tzinfo=UTC)
    stats = store.upsert_calls([make_call(1), make_call(2)], seen_at=t1)
    assert sorted(stats.new) == ["test-1", "test-2"]
    stats = store.upsert_calls([make_call(1), make_call(2, deadline="2027-03-01")], seen_at=t2)
    assert stats.new == [] and stats.changed == ["test-2"] and stats.unchanged == 1
    history = store.call_history("test-2")
    assert [(h["field"], h["old"], h["new"]) for h in history] == [("deadline", "2027-02-22", "2027-03-01")]
    meta = store.call_meta()["test-2"]
    assert meta["first_seen"] == t1 and meta["last_seen"] == t2
    assert store.get_call("test-2").deadline.isoformat() == "2027-03-01"


def test_upsert_batch_with_repeats_and_other_source_urls(store):
    t1 = datetime(2026, 11, 1, tzinfo=UTC)
    t2 = datetime(2026, 11, 8, tzinfo=UTC)
    store.upsert_calls([make_call(1), make_call(2)], seen_at=t1)
    batch = [
        make_call(3),
        make_call(3, title="Konkurss 3 (precizēts)"),  # the same new call twice: the last one is stored
        make_call(4),
        make_call(1),
        make_call(2, deadline="2027-03-01"),
        make_call(2, deadline="2027-03-15"),  # changed twice in one batch: both changes recorded
    ]
    stats = store.upsert_calls(batch, seen_at=t2, also_at={"test-4": ["https://nvo.lv/4"]})
    assert stats.new == ["test-3", "test-4"] and stats.changed == ["test-2"] and stats.unchanged == 1
    assert store.get_call("test-3").title == "Konkurss 3 (precizēts)"
    assert store.get_call("test-2").deadline.isoformat() == "2027-03-15"
    history = [(h["old"], h["new"]) for h in store.call_history("test-2")]
    assert sorted(history) == [("2027-02-22", "2027-03-01"), ("2027-03-01", "2027-03-15")]
    meta = store.call_meta()
    assert meta["test-4"]["also_at"] == ["https://nvo.lv/4"] and not meta["test-3"]["also_at"]
    assert meta["test-1"]["first_seen"] == t1 and meta["test-1"]["last_seen"] == t2
    assert meta["test-3"]["first_seen"] == meta["test-3"]["last_seen"] == t2


def test_failed_upsert_leaves_database_as_it_was(store):
    store.upsert_calls([make_call(1)])

    class Broken(GrantCall):
        __slots__ = ()

        def to_dict(self):
            raise RuntimeError("disk on fire")

    broken = Broken(id="test-9", source="test", title="X", url="https://x")
    with pytest.raises(RuntimeError):
        store.upsert_calls([make_call(1, deadline="2030-01-01"), make_call(3), broken])
    assert [c.id for c in store.list_calls()] == ["test-1"]
    assert store.get_call("test-1").deadline.isoformat() == "2027-02-22"
    assert store.call_history("test-1") == []


def test_a_stored_row_the_model_now_refuses_is_left_out_not_fatal(store, caplog):
    """A javascript: url imported before the model checked urls must not make every page fail."""
    from sqlalchemy import update

    from grantmatch.store import calls

    store.upsert_calls([make_call(1), make_call(2)])
    with store.engine.begin() as conn:
        conn.execute(update(calls).where(calls.c.id == "test-2")
                     .values(data={**make_call(2).to_dict(), "url": "javascript:alert(1)"}))
    assert [c.id for c in store.list_calls()] == ["test-1"]
    assert store.get_call("test-2") is None and store.get_call("test-1") is not None
    assert "stored calls left out" in caplog.text


def test_fingerprint_changes_with_calls(store):
    empty = store.calls_fingerprint()
    store.upsert_calls([make_call(1)])
    one = store.calls_fingerprint()
    store.upsert_calls([make_call(1, title="Cits nosaukums")])
    assert len({empty, one, store.calls_fingerprint()}) == 3


def test_profiles(store):
    p = NgoProfile.from_dict({"id": "p", "name": "Biedrība Ā"})
    assert store.upsert_profiles([p]).new == ["p"]
    assert store.upsert_profiles([p]).unchanged == 1
    assert store.get_profile("p") == p
    other = NgoProfile.from_dict({"id": "q", "name": "Biedrība Q"})
    store.upsert_profiles([other])
    for pid in ("p", "q"):
        store.set_feedback(pid, "c1", True)
        store.track(pid, "c1")
        store.save_draft(pid, "c1", "generic_lv", {"sections": {}})
        store.add_consultation(pid, "piezīmes")
        store.record_visit(pid)
    [gone_draft] = store.list_drafts(profile_id="p")
    assert store.delete_profile("p") and store.get_profile("p") is None
    # everything kept about "p" went with it, and nothing of "q"
    assert store.feedback("p") == {} and store.tracked("p") == [] and store.list_drafts(profile_id="p") == []
    assert store.draft_versions(gone_draft["id"]) == [] and store.consultations("p") == []
    assert store.last_visit("p") is None
    assert store.feedback("q") == {"c1": True} and len(store.tracked("q")) == 1
    assert len(store.list_drafts(profile_id="q")) == 1 and len(store.consultations("q")) == 1
    assert store.delete_profile("p") is False


def test_runs(store):
    run = store.start_run("sif")
    store.finish_run(run, status="failed", pages=2, errors=["sif: expected >=1 'article' at https://x, found 0"])
    [row] = store.runs("sif")
    assert row["status"] == "failed" and row["errors"][0].startswith("sif:")
    assert row["finished_at"] >= row["started_at"]


def test_feedback(store):
    store.set_feedback("p", "c1", True)
    store.set_feedback("p", "c2", False)
    store.set_feedback("p", "c1", None)
    assert store.feedback("p") == {"c2": False}


def test_pipeline(store):
    store.track("p", "c1")
    store.track("p", "c1")  # tracking twice keeps one entry
    store.update_tracked("p", "c1", stage="submitted", amount_requested=4000, notes="Iesniegts")
    [row] = store.tracked("p")
    assert (row["stage"], row["amount_requested"], row["notes"]) == ("submitted", 4000, "Iesniegts")
    with pytest.raises(ValueError, match="stage 'won' is not one of"):
        store.update_tracked("p", "c1", stage="won")
    with pytest.raises(KeyError):
        store.update_tracked("p", "nope", stage="dropped")
    store.untrack("p", "c1")
    assert store.tracked("p") == []


def test_draft_versions(store):
    draft_id, v1 = store.save_draft("p", "c", "generic_lv", {"sections": {"a": "pirmais"}})
    _, v2 = store.save_draft("p", "c", "generic_lv", {"sections": {"a": "otrais"}}, draft_id=draft_id)
    assert (v1, v2) == (1, 2)
    assert store.load_draft(draft_id)["content"]["sections"]["a"] == "otrais"
    assert store.load_draft(draft_id, version=1)["content"]["sections"]["a"] == "pirmais"
    assert [v["version"] for v in store.draft_versions(draft_id)] == [2, 1]
    [listed] = store.list_drafts(profile_id="p")
    assert listed["version"] == 2
    other, _ = store.save_draft("p", "c", "generic_lv", {"sections": {}})
    assert store.delete_draft(draft_id) is True
    assert [d["id"] for d in store.list_drafts(profile_id="p")] == [other]
    assert store.draft_versions(draft_id) == []  # its versions went with it
    with pytest.raises(KeyError):
        store.load_draft(draft_id)
    assert store.delete_draft(draft_id) is False


def test_visits_and_consultations(store):
    t1 = datetime(2026, 11, 1, tzinfo=UTC)
    t2 = datetime(2026, 11, 9, tzinfo=UTC)
    assert store.record_visit("p", at=t1) is None
    assert store.record_visit("p", at=t2) == t1
    assert store.last_visit("p") == t1
    store.add_consultation("p", "Runājām par SIF", held_at=t2)
    assert store.consultations("p")[0]["notes"] == "Runājām par SIF"


def test_bad_url_is_a_clear_error():
    with pytest.raises(StoreError, match="cannot open database"):
        Store("nosuchdialect://x")


def test_unwritable_location_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot create or upgrade"):
        Store(f"sqlite:///{blocker}/db.sqlite").upgrade()
