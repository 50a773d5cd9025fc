"""A whole scrape run end to end: local HTTP server, real SQLite store, toy sources and the real eu-ft.

The server misbehaves on purpose: robots.txt forbids a page, one page fails with 500 once, one never
answers in time, one redirects in a loop, one is malformed HTML, one is 50 MB, one is windows-1257
behind a UTF-8 header. The run must finish within its budget, report each failure by source, and
leave every stored call intact. A second run with nothing changed must only send conditional
requests (answered 304) and change nothing.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from grantmatch import scrape_job
from grantmatch.models import GrantCall
from grantmatch.store import Store
from scrapers import registry
from scrapers.base import BaseScraper, Request
from scrapers.http import HttpClient
from scrapers.normalize import clean_text, find_deadline, parse_amounts
from scrapers.sources.eu_ft import EuFtScraper
from tests.scrapers.sitesrv import fail_then_succeed, huge, redirect_loop, slow

TODAY = date(2026, 5, 4)
FIXTURES = Path(__file__).parents[1] / "fixtures"

PAGE = """<!DOCTYPE html><html lang="lv"><head><meta charset="utf-8"><title>{title}</title></head><body>
<div class="cookie-banner">Šī vietne izmanto sīkdatnes. <button>Piekrītu</button></div>
<header><nav><a href="/">Sākums</a> <a href="/konkursi/">Konkursi</a></nav></header>
<main>{main}</main><footer>© {host}</footer></body></html>"""


class ToySource(BaseScraper):
    """Listing of links (``ul.calls a``) -> detail pages with ``h1`` and a text body."""

    abstract = True
    source_name = "Toy"
    funder = "Toy fonds"
    host = ""

    def parse(self, text, url, meta=None):
        soup = self.make_soup(text)
        for a in self.select(soup, "ul.calls a", url=url):
            yield Request(f"https://{self.host}{a['href']}", callback="parse_detail")

    def parse_detail(self, text, url, meta=None):
        soup = self.make_soup(text)
        title = self.select_one(soup, "h1", url=url).get_text(strip=True)
        body = clean_text(str(self.select_one(soup, "main", url=url)))
        deadline, phrase = find_deadline(body, reference=TODAY)
        lo, hi = parse_amounts(body)
        yield GrantCall(
            id=self.make_id(url.rstrip("/").rsplit("/", 1)[-1]),
            source=self.name,
            title=title,
            url=url,
            funder=self.funder,
            summary=body,
            deadline=deadline,
            deadline_text=phrase,
            min_amount_eur=lo,
            max_amount_eur=hi,
        )


def toy(key: str, host: str, **attrs) -> type[ToySource]:
    return type(
        key.replace("-", "_"),
        (ToySource,),
        {"name": key, "host": host, "start_urls": (f"https://{host}/konkursi/",), "abstract": False, **attrs},
    )


GOOD = toy("e2e-good", "good.lv", funder="Labais fonds")
LOOP = toy("e2e-loop", "loop.lv")
HUGE = toy("e2e-huge", "huge.lv")
ENC = toy("e2e-enc", "enc.lv")
TOYS = {c.name: c for c in (GOOD, LOOP, HUGE, ENC)}


def listing(host: str, slugs: list[str]) -> str:
    items = "".join(f'<li><a href="/konkurss/{s}/">{s}</a></li>' for s in slugs)
    return PAGE.format(title="Konkursi", host=host, main=f'<h2>Aktuālie konkursi</h2><ul class="calls">{items}</ul>')


def detail(host: str, title: str, text: str) -> str:
    return PAGE.format(title=title, host=host, main=f"<article><h1>{title}</h1><p>{text}</p></article>")


def build_sites(site) -> None:
    g = "good.lv"
    site.add(f"https://{g}/robots.txt", "User-agent: *\nDisallow: /konkurss/slepens/\n", content_type="text/plain")
    site.add(f"https://{g}/konkursi/", listing(g, ["a", "slepens", "flaky", "slow", "broken"]))
    site.add(
        f"https://{g}/konkurss/a/",
        detail(
            g,
            "Apkaimju iniciatīvu konkurss",
            "Pieteikumus iesniedz līdz 2026. gada 1. jūnijam. Vienam projektam no 500 līdz 3000 eiro.",
        ),
    )
    site.add(f"https://{g}/konkurss/slepens/", detail(g, "Slepens", "līdz 2026. gada 1. jūlijam"))
    site.handlers[f"https://{g}/konkurss/flaky/"] = fail_then_succeed(
        detail(g, "Jauniešu projektu konkurss", "Termiņš: 2026. gada 15. jūnijs."), failures=1
    )
    site.handlers[f"https://{g}/konkurss/slow/"] = slow(2.0)
    site.add(
        f"https://{g}/konkurss/broken/",
        "<html><body><main><article><h1>Kultūras konkurss<p>Pieteikumi līdz 2026. gada 20. maijam"
        "<div><span>nav aizvērts <table><tr><td>šūna</main></body",
    )
    # a source whose start page redirects in a loop
    site.handlers["https://loop.lv/konkursi/"] = redirect_loop(site, "https://loop.lv/konkursi/2")
    site.handlers["https://loop.lv/konkursi/2"] = redirect_loop(site, "https://loop.lv/konkursi/")
    # a source whose start page is 50 MB
    site.handlers["https://huge.lv/konkursi/"] = huge(50_000_000, declare_length=False)
    # windows-1257 bytes behind a UTF-8 header
    site.add("https://enc.lv/konkursi/", listing("enc.lv", ["e"]))
    site.add(
        "https://enc.lv/konkurss/e/",
        detail("enc.lv", "Sociālās iekļaušanas projektu konkurss", "Pieteikumi līdz 2026. gada 22. maijam.")
        .replace('charset="utf-8"', "")
        .encode("windows-1257"),
        content_type="text/html; charset=utf-8",
    )
    # the real eu-ft source, served from its captured response
    for url, name in EuFtScraper.fixture_pages.items():
        site.add(url, (FIXTURES / "eu-ft" / name).read_bytes(), content_type="application/json")


@pytest.fixture
def registered(monkeypatch):
    scrapers = {"eu-ft": EuFtScraper, **TOYS}
    monkeypatch.setattr(registry, "all_scrapers", lambda: dict(scrapers))
    return scrapers


@pytest.fixture
def store(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'e2e.db'}")
    s.upgrade()
    # calls stored by earlier weeks, including one of a source that will fail now
    s.upsert_calls(
        [
            GrantCall(id="e2e-loop-old", source="e2e-loop", title="Vecs konkurss", url="https://loop.lv/konkurss/old/"),
            GrantCall(id="e2e-huge-old", source="e2e-huge", title="Cits vecs", url="https://huge.lv/konkurss/old/"),
        ],
        seen_at=datetime(2026, 4, 27, tzinfo=UTC),
    )
    return s


def client(site, tmp_path) -> HttpClient:
    return HttpClient(
        cache_path=tmp_path / "http_cache.sqlite",
        delay=0,
        timeout=(1, 0.5),
        retries=2,
        backoff=0,
        max_bytes=2_000_000,
        rewrite=site.rewrite,
        raw_dir=tmp_path / "raw",
    )


def test_whole_run_end_to_end(site, store, registered, tmp_path):
    build_sites(site)
    before = {c.id: c for c in store.list_calls()}

    started = time.monotonic()
    report = scrape_job.run_scrape(store, client=client(site, tmp_path), today=TODAY, workers=4)
    first_seconds = time.monotonic() - started
    assert first_seconds < 15  # budget: one 0.5 s timeout (+1 retry), everything else local

    out = report.outcomes
    assert list(out) == list(registered)  # sources run side by side; the report keeps the key order
    # failures are reported by source; the others are fine
    assert sorted(report.failed) == ["e2e-huge", "e2e-loop"]
    assert "redirect loop" in out["e2e-loop"].errors[0] and "https://loop.lv/konkursi/" in out["e2e-loop"].errors[0]
    assert "expected at most 2000000 bytes" in out["e2e-huge"].errors[0]
    good = out["e2e-good"]
    assert good.status == "ok" and good.found == 3  # a, flaky (after its 500), broken
    assert any("robots.txt" in e and "slepens" in e for e in good.errors)
    assert any("timeout" in e and "/konkurss/slow/" in e for e in good.errors)
    assert out["eu-ft"].status == "ok" and out["eu-ft"].found == 2
    assert out["e2e-enc"].found == 1

    calls = {c.id: c for c in store.list_calls()}
    # nothing stored is lost or corrupted
    for cid, old in before.items():
        assert calls[cid] == old
    assert calls["e2e-good-a"].deadline == date(2026, 6, 1)
    assert (calls["e2e-good-a"].min_amount_eur, calls["e2e-good-a"].max_amount_eur) == (500, 3000)
    assert calls["e2e-good-flaky"].deadline == date(2026, 6, 15)
    assert calls["e2e-good-broken"].title.startswith("Kultūras konkurss")
    assert calls["e2e-enc-e"].title == "Sociālās iekļaušanas projektu konkurss"  # decoded as windows-1257
    assert calls["eu-ft-horizon-cl3-2026-02-cs-eccc-01"].deadline == date(2026, 9, 15)
    assert all(c.language for c in calls.values() if c.source != "e2e-loop" and c.source != "e2e-huge")

    # the run log has one row per source with its status and counts
    runs = {r["source"]: r for r in store.runs()}
    assert runs["e2e-loop"]["status"] == "failed" and runs["e2e-good"]["status"] == "ok"
    assert runs["e2e-good"]["new"] == 3 and runs["eu-ft"]["found"] == 2
    assert (tmp_path / "raw" / "e2e-good" / "index.tsv").is_file()

    # second run, nothing changed: only conditional requests, answered 304; nothing changes
    site.reset_hits()
    stored = {c.id: c for c in store.list_calls()}
    started = time.monotonic()
    again = scrape_job.run_scrape(store, client=client(site, tmp_path), today=TODAY, workers=4)
    second_seconds = time.monotonic() - started
    assert second_seconds < 15
    # (the slow page answers 200 after the client gave up: it never reached the cache)
    fetched_ok = [h for h in site.hits if h.status in (200, 304) and not h.url.endswith("/slow/")]
    assert fetched_ok, "the second run fetched nothing"
    assert all(h.conditional and h.status == 304 for h in fetched_ok), [h for h in fetched_ok if h.status != 304]
    assert all(o.new == 0 and o.changed == 0 for o in again.outcomes.values())
    assert again.outcomes["e2e-good"].not_modified == again.outcomes["e2e-good"].pages == 4  # all but the timeout
    assert {c.id: c for c in store.list_calls()} == stored
    counts = {(h.method, h.status) for h in site.hits}
    assert ("POST", 304) in counts  # the EU search is revalidated too


def test_same_run_one_source_at_a_time(site, store, registered, tmp_path):
    build_sites(site)
    report = scrape_job.run_scrape(store, client=client(site, tmp_path), today=TODAY, workers=1)
    assert sorted(report.failed) == ["e2e-huge", "e2e-loop"]
    assert {k: o.found for k, o in report.outcomes.items() if o.status == "ok"} == {
        "eu-ft": 2, "e2e-good": 3, "e2e-enc": 1
    }  # fmt: skip


def test_health_after_runs(site, store, registered, tmp_path):
    build_sites(site)
    scrape_job.run_scrape(store, ["e2e-good", "e2e-loop"], client=client(site, tmp_path), today=TODAY)
    rows = {h.source: h for h in scrape_job.source_health(store, TODAY)}
    assert rows["e2e-loop"].state == "failing" and rows["e2e-loop"].failing_since is not None
    assert "redirect" in rows["e2e-loop"].errors[0]
    assert rows["e2e-good"].state == "ok" and rows["e2e-good"].last_count == 3
    assert rows["e2e-good"].calls_stored == 3
    assert rows["eu-ft"].state == "never" and rows["eu-ft"].last_success is None
