"""The weekly job: duplicates across sources, storing per source, and the health table."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest

from grantmatch import scrape_job
from grantmatch.models import GrantCall
from grantmatch.store import Store
from scrapers import registry
from scrapers.http import HttpClient
from tests.scrapers.test_e2e_run import PAGE, toy

TODAY = date(2027, 1, 20)
SIF = toy("sif-like", "sif.lv", funder="Sabiedrības integrācijas fonds")
NVO = toy("nvo-like", "nvo.lv", funder="Latvijas Pilsoniskā alianse")


@pytest.fixture
def store(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'job.db'}")
    s.upgrade()
    return s


def serve(site):
    site.add(
        "https://sif.lv/konkursi/",
        PAGE.format(
            title="x", host="sif.lv", main='<ul class="calls"><li><a href="/konkurss/nvo-fonds-2027/">a</a></li></ul>'
        ),
    )
    site.add(
        "https://sif.lv/konkurss/nvo-fonds-2027/",
        PAGE.format(
            title="x",
            host="sif.lv",
            main="<h1>NVO fonda 2027. gada projektu konkurss</h1>"
            "<p>Pieteikumus iesniedz līdz 2027. gada 20. februārim.</p>",
        ),
    )
    site.add(
        "https://nvo.lv/konkursi/",
        PAGE.format(
            title="x", host="nvo.lv", main='<ul class="calls"><li><a href="/konkurss/sif-nvo-fonds/">a</a></li></ul>'
        ),
    )
    site.add(
        "https://nvo.lv/konkurss/sif-nvo-fonds/",
        PAGE.format(
            title="x",
            host="nvo.lv",
            main="<h1>SIF izsludina NVO fonda projektu konkursu 2027. gadam</h1><p>Pieteikumus iesniedz līdz "
            "2027. gada 20. februārim. Vienam projektam līdz 20 000 eiro.</p>",
        ),
    )


def test_same_call_from_two_sources_is_stored_once(site, store, monkeypatch, tmp_path):
    serve(site)

    class NvoRepost(NVO):
        def parse_detail(self, text, url, meta=None):
            for call in super().parse_detail(text, url, meta):
                yield GrantCall(**{**{f: getattr(call, f) for f in call.__dataclass_fields__}, "funder": "SIF"})

    monkeypatch.setattr(registry, "all_scrapers", lambda: {"sif-like": SIF, "nvo-like": NvoRepost})
    client = HttpClient(cache_path=None, delay=0, rewrite=site.rewrite)
    report = scrape_job.run_scrape(store, client=client, today=TODAY)
    assert report.duplicates == 1 and report.ok
    (call,) = store.list_calls()
    assert call.source == "sif-like" and call.max_amount_eur == 20000  # own source kept, amount filled in
    assert store.call_meta()[call.id]["also_at"] == ["https://nvo.lv/konkurss/sif-nvo-fonds/"]
    assert report.outcomes["nvo-like"].found == 1 and report.outcomes["nvo-like"].kept == 0


def test_a_store_failure_fails_only_that_source(site, store, monkeypatch):
    serve(site)
    monkeypatch.setattr(registry, "all_scrapers", lambda: {"sif-like": SIF, "nvo-like": NVO})
    real = store.upsert_calls

    def flaky(calls, **kw):
        if calls and calls[0].source == "nvo-like":
            raise RuntimeError("disk full")
        return real(calls, **kw)

    monkeypatch.setattr(store, "upsert_calls", flaky)
    report = scrape_job.run_scrape(
        store, client=HttpClient(cache_path=None, delay=0, rewrite=site.rewrite), today=TODAY
    )
    assert report.failed == ["nvo-like"] and "disk full" in report.outcomes["nvo-like"].errors[-1]
    assert [c.source for c in store.list_calls()] == ["sif-like"]
    assert {r["source"]: r["status"] for r in store.runs()} == {"sif-like": "ok", "nvo-like": "failed"}


def log_runs(store, source, counts):
    for found in counts:
        run = store.start_run(source)
        if found is None:
            store.finish_run(run, status="failed", errors=[f"{source}: expected 200, found 500"])
        else:
            store.finish_run(run, status="ok", found=found)


def test_health_flags(store, monkeypatch):
    monkeypatch.setattr(registry, "all_scrapers", lambda: {"a": SIF, "b": NVO, "c": SIF, "d": NVO, "e": SIF})
    log_runs(store, "a", [10, 12, 11, 3])  # far below its usual count
    log_runs(store, "b", [5, 6, None, None])  # failing for two runs
    log_runs(store, "c", [None])  # never worked
    # "e" never ran
    log_runs(store, "d", [4, 5, 4])  # fine
    today = date.today()
    health = scrape_job.source_health(store, today)
    rows = {h.source: h for h in health}
    assert [h.source for h in health][:3] == ["b", "c", "a"]  # worst first: failing, then low
    assert rows["a"].state == "low" and rows["a"].last_count == 3 and rows["a"].usual_count == 11
    assert rows["b"].state == "failing" and rows["b"].last_count == 6
    failed_runs = [r for r in store.runs("b") if r["status"] == "failed"]
    assert rows["b"].failing_since == min(r["started_at"] for r in failed_runs)
    assert rows["b"].errors == ("b: expected 200, found 500",)
    assert rows["c"].state == "failing" and rows["c"].last_success is None
    assert rows["e"].state == "never" and rows["e"].last_run is None and rows["e"].runs == 0
    assert rows["d"].state == "ok" and rows["d"].flag == "" and rows["d"].usual_count == 4.5
    assert rows["d"].runs == 3 and rows["d"].calls_stored == 0
    later = {h.source: h for h in scrape_job.source_health(store, today + timedelta(days=8))}
    assert later["d"].state == "stale" and later["b"].state == "failing"
    week = {h.source: h for h in scrape_job.source_health(store, today + timedelta(days=7))}
    assert week["d"].state == "ok"


def test_health_counts_stored_calls_and_lists_unregistered_sources(store, monkeypatch):
    monkeypatch.setattr(registry, "all_scrapers", lambda: {"a": SIF})
    calls = [
        GrantCall(id=f"old-{i}", source="old", title=f"Konkurss {i}", url=f"https://old.lv/{i}") for i in range(3)
    ]
    store.upsert_calls(calls)
    run = store.start_run("a")
    store.finish_run(run, status="failed", errors=["a: timeout\x00 after 30 s"])
    run = store.start_run("a")  # still running: not a finished run
    rows = {h.source: h for h in scrape_job.source_health(store, date.today())}
    assert rows["old"].calls_stored == 3 and rows["old"].state == "never"
    assert rows["a"].state == "failing" and rows["a"].errors == ("a: timeout after 30 s",) and rows["a"].runs == 2
    assert rows["a"].to_dict()["flag"] == "failing" and rows["a"].to_dict()["errors"] == ["a: timeout after 30 s"]


class NvoRepost(NVO):
    """nvo.lv reposting SIF's call (its parser names the funder SIF)."""

    def parse_detail(self, text, url, meta=None):
        for call in super().parse_detail(text, url, meta):
            yield GrantCall(**{**{f: getattr(call, f) for f in call.__dataclass_fields__}, "funder": "SIF"})


def test_repost_of_a_stored_call_is_not_stored_again(site, store, monkeypatch):
    """Week 1 stores SIF's own call; week 2 SIF fails and only nvo.lv's repost is found."""
    serve(site)
    monkeypatch.setattr(registry, "all_scrapers", lambda: {"sif-like": SIF, "nvo-like": NvoRepost})
    client = HttpClient(cache_path=None, delay=0, rewrite=site.rewrite)
    scrape_job.run_scrape(store, ["sif-like"], client=client, today=TODAY)
    (original,) = store.list_calls()
    report = scrape_job.run_scrape(store, ["nvo-like"], client=client, today=TODAY)
    assert report.ok and report.stored_duplicates == 1 and report.outcomes["nvo-like"].kept == 0
    assert [c.id for c in store.list_calls()] == [original.id]
    assert store.call_meta()[original.id]["also_at"] == ["https://nvo.lv/konkurss/sif-nvo-fonds/"]
    again = scrape_job.run_scrape(store, ["nvo-like"], client=client, today=TODAY)  # no second link
    assert again.stored_duplicates == 1
    assert store.call_meta()[original.id]["also_at"] == ["https://nvo.lv/konkurss/sif-nvo-fonds/"]


def test_funders_own_call_is_kept_next_to_a_stored_repost(site, store, monkeypatch):
    serve(site)
    monkeypatch.setattr(registry, "all_scrapers", lambda: {"sif-like": SIF, "nvo-like": NvoRepost})
    client = HttpClient(cache_path=None, delay=0, rewrite=site.rewrite)
    scrape_job.run_scrape(store, ["nvo-like"], client=client, today=TODAY)
    report = scrape_job.run_scrape(store, ["sif-like"], client=client, today=TODAY)
    assert report.stored_duplicates == 0
    calls = {c.source: c for c in store.list_calls()}
    assert set(calls) == {"sif-like", "nvo-like"}
    assert store.call_meta()[calls["sif-like"].id]["also_at"] == ["https://nvo.lv/konkurss/sif-nvo-fonds/"]


def test_unrelated_stored_calls_do_not_swallow_new_ones(site, store, monkeypatch):
    serve(site)
    monkeypatch.setattr(registry, "all_scrapers", lambda: {"sif-like": SIF, "nvo-like": NVO})
    store.upsert_calls([GrantCall(id="x-1", source="x", title="Jūras festivāls", url="https://x.lv/1", funder="SIF")])
    client = HttpClient(cache_path=None, delay=0, rewrite=site.rewrite)
    report = scrape_job.run_scrape(store, ["sif-like"], client=client, today=TODAY)
    assert report.stored_duplicates == 0 and report.outcomes["sif-like"].new == 1


def test_a_run_that_changed_calls_refreshes_the_app_index(site, store, monkeypatch):
    from grantmatch import services
    from matcher import persist

    serve(site)
    monkeypatch.setattr(registry, "all_scrapers", lambda: {"sif-like": SIF})
    client = HttpClient(cache_path=None, delay=0, rewrite=site.rewrite)
    report = scrape_job.run_scrape(store, client=client, today=TODAY)
    assert report.index == "refreshed"
    path = services.index_path(store)
    assert persist.load(path, persist.fingerprint(store.list_calls())) is not None  # the app will not refit
    stamp = path.stat().st_mtime_ns
    unchanged = scrape_job.run_scrape(store, client=client, today=TODAY)
    assert unchanged.index == "" and path.stat().st_mtime_ns == stamp  # nothing changed: not touched


def test_an_index_failure_never_fails_the_scrape(site, store, monkeypatch):
    from grantmatch import services

    serve(site)
    monkeypatch.setattr(registry, "all_scrapers", lambda: {"sif-like": SIF})

    def broken(store, calls=None):
        raise OSError("read-only folder")

    monkeypatch.setattr(services, "build_matcher", broken)
    report = scrape_job.run_scrape(
        store, client=HttpClient(cache_path=None, delay=0, rewrite=site.rewrite), today=TODAY
    )
    assert report.ok and report.index == "failed: OSError: read-only folder"
    assert len(store.list_calls()) == 1


def test_unchanged_calls_are_not_tagged_again_and_only_touched(site, store, monkeypatch):
    from datetime import UTC, datetime

    serve(site)
    monkeypatch.setattr(registry, "all_scrapers", lambda: {"sif-like": SIF})
    client = HttpClient(cache_path=None, delay=0, rewrite=site.rewrite)
    from dataclasses import replace

    from grantmatch.models import PriorityArea

    def culture_tagger():  # stands in for matcher.tag_areas: tags every untagged call "culture"
        return (lambda calls: [c if c.priority_areas else replace(c, priority_areas=(PriorityArea.CULTURE,))
                               for c in calls]), "matcher"

    monkeypatch.setattr(scrape_job, "_tagger", culture_tagger)
    first = datetime(2027, 1, 13, 3, 0, tzinfo=UTC)
    scrape_job.run_scrape(store, client=client, today=TODAY, now=first)
    (call,) = store.list_calls()
    assert call.priority_areas == (PriorityArea.CULTURE,)

    def no_tagger():
        raise AssertionError("an unchanged call was tagged again")

    monkeypatch.setattr(scrape_job, "_tagger", no_tagger)
    later = datetime(2027, 1, 20, 3, 0, tzinfo=UTC)
    report = scrape_job.run_scrape(store, client=client, today=TODAY, now=later)
    assert report.ok and report.outcomes["sif-like"].new == report.outcomes["sif-like"].changed == 0
    assert store.list_calls() == [call]
    meta = store.call_meta()[call.id]
    assert meta["first_seen"] == first and meta["last_seen"] == later


def test_parallel_run_logs_each_source_from_the_calling_thread(site, store, monkeypatch):
    serve(site)

    class Broken(SIF):
        name = "broken-like"
        start_urls = ("https://broken.lv/konkursi/",)  # not served: 404

    scrapers = {"sif-like": SIF, "broken-like": Broken, "nvo-like": NVO}
    monkeypatch.setattr(registry, "all_scrapers", lambda: dict(scrapers))
    writers: set[int] = set()
    real_start, real_finish = store.start_runs, store.finish_runs

    def start_runs(sources, **kw):
        writers.add(threading.get_ident())
        return real_start(sources, **kw)

    def finish_runs(runs):
        writers.add(threading.get_ident())
        return real_finish(runs)

    monkeypatch.setattr(store, "start_runs", start_runs)
    monkeypatch.setattr(store, "finish_runs", finish_runs)  # (finish_run goes through it too)
    events = []
    client = HttpClient(cache_path=None, delay=0, rewrite=site.rewrite)
    keys = ["sif-like", "broken-like", "nvo-like"]
    report = scrape_job.run_scrape(
        store, keys, client=client, today=TODAY, workers=3, progress=lambda k, e, o: events.append((k, e))
    )
    assert writers == {threading.get_ident()}  # the run log is never written from a worker thread
    assert list(report.outcomes) == keys  # the report follows the keys, not the finishing order
    assert report.failed == ["broken-like"] and "found 404" in report.outcomes["broken-like"].errors[0]
    assert report.outcomes["sif-like"].found == report.outcomes["nvo-like"].found == 1
    runs = {r["source"]: r for r in store.runs()}
    assert {k: r["status"] for k, r in runs.items()} == {"sif-like": "ok", "broken-like": "failed", "nvo-like": "ok"}
    assert {report.outcomes[k].run_id for k in keys} == {r["id"] for r in runs.values()}
    assert sorted(events) == sorted([(k, "start") for k in keys] + [("sif-like", "done"), ("nvo-like", "done"),
                                                                     ("broken-like", "failed")])  # fmt: skip


def test_run_log_is_opened_before_scraping_and_not_written_while_sources_run(site, store, monkeypatch):
    from datetime import UTC, datetime

    serve(site)
    monkeypatch.setattr(registry, "all_scrapers", lambda: {"sif-like": SIF, "nvo-like": NVO})
    log: list[str] = []
    real_start, real_finish = store.start_runs, store.finish_runs
    monkeypatch.setattr(store, "start_runs", lambda sources, **kw: log.append("open") or real_start(sources, **kw))
    monkeypatch.setattr(store, "finish_runs", lambda runs: log.append("close") or real_finish(runs))

    def progress(key, event, outcome):
        log.append(event)
        if event == "start":  # the row of a source is there, "running", before it is scraped
            assert {r["source"]: r["status"] for r in store.runs()}[key] == "running"

    before = datetime.now(UTC)
    client = HttpClient(cache_path=None, delay=0, rewrite=site.rewrite)
    report = scrape_job.run_scrape(store, client=client, today=TODAY, workers=2, progress=progress)
    assert report.ok
    assert log[0] == "open" and log.count("open") == 1
    last_event = max(i for i, e in enumerate(log) if e in ("start", "done"))
    assert "close" not in log[:last_event] and log.count("close") == 1  # closed after the scraping, together
    for run in store.runs():  # each row keeps the time its source really started
        assert before <= run["started_at"] <= run["finished_at"] and run["status"] == "ok"


def test_no_change_rerun_neither_parses_nor_writes_calls(site, store, monkeypatch, tmp_path):
    serve(site)
    parsed: list[str] = []

    class CountingSif(SIF):
        def parse(self, text, url, meta=None):
            parsed.append(url)
            return super().parse(text, url, meta)

        def parse_detail(self, text, url, meta=None):
            parsed.append(url)
            return super().parse_detail(text, url, meta)

    monkeypatch.setattr(registry, "all_scrapers", lambda: {"sif-like": CountingSif, "nvo-like": NVO})

    def client():
        return HttpClient(cache_path=tmp_path / "http.sqlite", delay=0, rewrite=site.rewrite)

    first = scrape_job.run_scrape(store, client=client(), today=TODAY)
    assert first.ok and len(parsed) == 2 and sum(o.new for o in first.outcomes.values()) == 2
    stored = store.call_meta()
    parsed.clear()
    writes: list = []
    monkeypatch.setattr(store, "upsert_calls", lambda calls, **kw: writes.append(calls))
    again = scrape_job.run_scrape(store, client=client(), today=TODAY)
    assert again.ok and all(o.not_modified == o.pages > 0 for o in again.outcomes.values())  # all 304
    assert parsed == []  # the parse cache answered for every unchanged page
    assert writes == []  # no call was new or changed: nothing but "last seen" was written
    assert {k: v["first_seen"] for k, v in store.call_meta().items()} == {
        k: v["first_seen"] for k, v in stored.items()
    }
    assert {r["status"] for r in store.runs()} == {"ok"} and len(store.runs()) == 4


def test_an_interrupted_job_leaves_no_row_for_sources_it_never_began(site, store, monkeypatch):
    serve(site)
    monkeypatch.setattr(registry, "all_scrapers", lambda: {"sif-like": SIF, "nvo-like": NVO})

    def stop_after_the_first(key, event, outcome):
        if event == "done":
            raise KeyboardInterrupt

    client = HttpClient(cache_path=None, delay=0, rewrite=site.rewrite)
    with pytest.raises(KeyboardInterrupt):
        scrape_job.run_scrape(store, client=client, today=TODAY, workers=1, progress=stop_after_the_first)
    # the source under way keeps its "running" row (as a crash would leave it); the other has none
    assert [(r["source"], r["status"]) for r in store.runs()] == [("sif-like", "running")]


def test_new_calls_are_named_for_the_ngos_they_suit(site, store, monkeypatch):
    """The weekly report said how many calls were new, not whom they suit: it now names, per NGO, the new
    calls that are at least a fair fit among its first matches (not for an NGO they do not suit, and not
    again once the NGO marked them "not relevant")."""
    from grantmatch.models import NgoProfile

    store.upsert_profiles([
        NgoProfile.from_dict({"id": "nvo", "name": "Biedrība NVO", "legal_form": "association",
                              "mission": "Stiprinām nevalstiskās organizācijas un pilsonisko sabiedrību; "
                                         "NVO fonda projektu konkursi, NVO projekti.",
                              "keywords": ["NVO fonds", "pilsoniskā sabiedrība"]}),
        NgoProfile.from_dict({"id": "koris", "name": "Koris", "legal_form": "association",
                              "mission": "Kora mūzika, koncerti un dziesmu svētki.", "keywords": ["koris"]}),
    ])  # fmt: skip
    serve(site)
    monkeypatch.setattr(registry, "all_scrapers", lambda: {"sif-like": SIF})
    client = HttpClient(cache_path=None, delay=0, rewrite=site.rewrite)
    report = scrape_job.run_scrape(store, client=client, today=TODAY)
    (call,) = store.list_calls()
    assert report.new_matches == {"nvo": [call.id]}
    assert report.to_dict()["new_matches"] == {"nvo": [call.id]}
    again = scrape_job.run_scrape(store, client=client, today=TODAY)
    assert again.new_matches == {}  # nothing new this time
    store.set_feedback("nvo", call.id, False)
    assert scrape_job.new_matches(store, [call.id], today=TODAY) == {}


def test_new_matches_count_the_first_matches_after_the_not_relevant_ones(store, monkeypatch):
    """As the Calendar counts its top ten: a call marked "not relevant" does not take one of the places."""
    from grantmatch import reports
    from grantmatch.models import NgoProfile

    monkeypatch.setattr(reports, "DEADLINE_TOP", 1)
    monkeypatch.setattr(reports, "SCORE_MEDIUM", 0.05)  # two tiny calls score low: this is about the count
    store.upsert_profiles([NgoProfile.from_dict({
        "id": "koris", "name": "Koris", "legal_form": "association",
        "mission": "Kora mūzika un koncerti. Vides izglītība un dabas aizsardzība.",
        "keywords": ["koris", "koncerti", "vides izglītība"]})])  # fmt: skip
    store.upsert_calls([
        GrantCall.from_dict({"id": "kori", "source": "t", "url": "https://e.org/a", "title": "Kora koncerti",
                             "summary": "Koncerti un kora mūzika.", "deadline": "2027-03-01"}),
        GrantCall.from_dict({"id": "vide", "source": "t", "url": "https://e.org/b", "title": "Vides izglītība",
                             "summary": "Vides izglītība un dabas aizsardzība.", "deadline": "2027-03-01"}),
    ])  # fmt: skip
    [(pid, [first])] = scrape_job.new_matches(store, ["kori", "vide"], today=TODAY).items()
    store.set_feedback("koris", first, False)
    other = ({"kori", "vide"} - {first}).pop()
    assert scrape_job.new_matches(store, ["kori", "vide"], today=TODAY) == {"koris": [other]}
