"""Registry discovery, the runner, and the generated source table."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from grantmatch.models import GrantCall
from scrapers import registry
from scrapers.base import BaseScraper, Request, ScrapeResult
from scrapers.errors import ScrapeError
from scrapers.http import HttpClient
from scrapers.runner import run_sources
from tests.scrapers.sitesrv import Reply

ROOT = Path(__file__).parents[2]


def test_every_source_module_is_registered_under_its_key():
    scrapers = registry.all_scrapers()
    assert "eu-ft" in scrapers
    for key, cls in scrapers.items():
        assert issubclass(cls, BaseScraper) and cls.name == key
        assert cls.__module__ == "scrapers.sources." + key.replace("-", "_")
        for attr in ("source_name", "funder", "start_urls"):
            assert getattr(cls, attr, None), f"{key}: {attr} is not set"


def test_fixture_pages_exist_for_the_bench():
    for key, cls in registry.all_scrapers().items():
        for url, name in cls.fixture_pages.items():
            assert url.startswith("http"), key
            assert (ROOT / "tests" / "fixtures" / key / name).is_file(), f"{key}: missing fixture {name}"


def test_unknown_key_lists_known_keys():
    with pytest.raises(ScrapeError, match=r"registry: expected a known source key, found 'nope'; known: .*eu-ft"):
        registry.get("nope")


def test_markdown_table_lists_every_source():
    text = registry.markdown()
    for key, cls in registry.all_scrapers().items():
        assert f"| `{key}` | {cls.source_name} |" in text


def test_cli_markdown_matches():
    out = subprocess.run(
        [sys.executable, "-m", "scrapers.registry", "--markdown"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert out == registry.markdown()


def test_run_sources_isolates_failures(site, tmp_path):
    # eu-ft served from its fixture; a key that does not exist; progress is reported for both
    from scrapers.sources.eu_ft import EuFtScraper

    url, name = next(iter(EuFtScraper.fixture_pages.items()))
    site.add(url, (ROOT / "tests/fixtures/eu-ft" / name).read_bytes(), content_type="application/json")
    events = []
    client = HttpClient(cache_path=None, delay=0, rewrite=site.rewrite)
    out = run_sources(["nope", "eu-ft"], client, progress=lambda k, e, o: events.append((k, e)), workers=1)
    assert isinstance(out["nope"], ScrapeError)
    assert isinstance(out["eu-ft"], ScrapeResult) and len(out["eu-ft"].calls) == 2
    assert events == [("nope", "start"), ("nope", "failed"), ("eu-ft", "start"), ("eu-ft", "done")]


# --------------------------------------------------------------------------- sources in parallel

LISTING = '<html><body><ul class="calls">{}</ul></body></html>'
DETAIL = "<html><body><main><h1>{}</h1><p>Pieteikumi līdz 2026. gada 1. jūnijam.</p></main></body></html>"


class _Toy(BaseScraper):
    """A listing (``ul.calls a``) of detail pages (``h1``)."""

    abstract = True
    source_name = funder = "Toy"
    host = ""

    def parse(self, text, url, meta=None):
        for a in self.select(self.make_soup(text), "ul.calls a", url=url):
            yield Request(f"https://{self.host}{a['href']}", callback="parse_detail")

    def parse_detail(self, text, url, meta=None):
        title = self.select_one(self.make_soup(text), "h1", url=url).get_text(strip=True)
        yield GrantCall(id=self.make_id(url.rsplit("/", 1)[-1]), source=self.name, title=title, url=url)


class _Crash(BaseScraper):
    name = source_name = funder = "crash"
    start_urls = ("https://crash.lv/",)

    def parse(self, text, url, meta=None):
        raise RuntimeError("parser bug")
        yield  # pragma: no cover


def _toy(key: str, host: str, path: str = "/konkursi/") -> type[_Toy]:
    attrs = {"name": key, "host": host, "start_urls": (f"https://{host}{path}",), "abstract": False}
    return type(key.replace("-", "_"), (_Toy,), attrs)


def _serve_toy(site, host: str, path: str, slugs: list[str], *, handler) -> None:
    items = "".join(f'<li><a href="/k/{host}-{s}">{s}</a></li>' for s in slugs)
    site.handlers[f"https://{host}{path}"] = handler(LISTING.format(items))
    for s in slugs:
        site.handlers[f"https://{host}/k/{host}-{s}"] = handler(DETAIL.format(f"{host} {s}"))


@pytest.fixture
def toys(site, monkeypatch):
    """Five sources: three on their own hosts (slow pages), two sharing a host, one crashing."""
    scrapers = {
        "t-a": _toy("t-a", "a.lv"),
        "t-b": _toy("t-b", "b.lv"),
        "t-c": _toy("t-c", "c.lv"),
        "t-same1": _toy("t-same1", "same.lv", "/one/"),
        "t-same2": _toy("t-same2", "same.lv", "/two/"),
        "crash": _Crash,
    }
    monkeypatch.setattr(registry, "all_scrapers", lambda: dict(scrapers))
    arrivals: list[float] = []

    def page(body, wait=0.0):
        def handle(h, url, req_body):
            arrivals.append(time.monotonic())  # (only same.lv's are looked at)
            time.sleep(wait)
            return Reply(body.encode("utf-8"))

        return handle

    for host in ("a.lv", "b.lv", "c.lv"):
        _serve_toy(site, host, "/konkursi/", ["x", "y"], handler=lambda body: page(body, 0.15))
    _serve_toy(site, "same.lv", "/one/", ["p", "q"], handler=page)
    _serve_toy(site, "same.lv", "/two/", ["r", "s"], handler=page)
    site.add("https://crash.lv/", "<html></html>")
    site.arrivals = arrivals
    return scrapers


def test_sources_run_in_parallel_and_a_failing_one_stops_none(site, toys):
    keys = ["t-a", "crash", "nope", "t-b", "t-c"]
    events: list[tuple[str, str]] = []
    threads: set[int] = set()

    def progress(key, event, outcome):
        threads.add(threading.get_ident())
        events.append((key, event))

    client = HttpClient(cache_path=None, delay=0, rewrite=site.rewrite)
    started = time.monotonic()
    out = run_sources(keys, client, progress=progress, workers=4)
    seconds = time.monotonic() - started
    assert list(out) == keys  # ordered as asked, whatever finished first
    assert [k for k, o in out.items() if isinstance(o, ScrapeError)] == ["crash", "nope"]
    assert "crash: parsing https://crash.lv/ failed: RuntimeError: parser bug" in str(out["crash"])
    for key in ("t-a", "t-b", "t-c"):
        assert sorted(c.title for c in out[key].calls) == [f"{key[-1]}.lv x", f"{key[-1]}.lv y"]
    # each source: "start" then exactly one "done"/"failed"; all reported in the calling thread
    for key in keys:
        mine = [e for k, e in events if k == key]
        assert mine in (["start", "done"], ["start", "failed"]), (key, mine)
    assert threads == {threading.get_ident()}
    # three sources of three 0.15 s pages each: about 0.45 s side by side, 1.35 s in turn
    assert seconds < 1.0, seconds


def test_sources_on_one_host_keep_the_delay_between_them(site, toys):
    client = HttpClient(cache_path=None, delay=0.12, rewrite=site.rewrite)
    out = run_sources(["t-same1", "t-same2"], client, workers=2)
    assert all(isinstance(o, ScrapeResult) and len(o.calls) == 2 for o in out.values())
    same = [h for h in site.hits if "same.lv" in h.url]
    assert len(same) == 7  # robots.txt once, two listings, four details
    assert {h.url.split("/")[3] for h in same if "/k/" not in h.url} == {"robots.txt", "one", "two"}
    assert client.stats.per_host["same.lv"] == 7
    # the server saw the six pages of both sources one at a time, never closer than the delay
    arrivals = sorted(site.arrivals)
    assert len(arrivals) == 6
    assert min(b - a for a, b in zip(arrivals, arrivals[1:], strict=False)) >= 0.1


def test_workers_one_runs_in_turn_in_the_calling_thread(site, toys):
    seen = []
    client = HttpClient(cache_path=None, delay=0, rewrite=site.rewrite)
    run_sources(["t-same1", "t-same2"], client, workers=1, progress=lambda k, e, o: seen.append((k, e)))
    assert seen == [("t-same1", "start"), ("t-same1", "done"), ("t-same2", "start"), ("t-same2", "done")]


def test_docs_sources_md_is_up_to_date():
    """docs/sources.md is generated from the scraper classes; regenerate it when this fails:
    ``python -m scrapers.registry --markdown > docs/sources.md``."""
    path = Path(__file__).parents[2] / "docs" / "sources.md"
    assert path.read_text(encoding="utf-8") == registry.markdown(), (
        "docs/sources.md is stale: run `python -m scrapers.registry --markdown > docs/sources.md`"
    )


def test_parallel_re_run_uses_the_shared_caches(site, toys, tmp_path):
    keys = ["t-a", "t-b", "t-c", "t-same1", "t-same2"]

    def run():
        client = HttpClient(cache_path=tmp_path / "http.sqlite", delay=0, rewrite=site.rewrite)
        try:
            return run_sources(keys, client, workers=4), client.parse_cache.hits
        finally:
            client.close()

    first, hits = run()
    assert hits == 0 and all(isinstance(o, ScrapeResult) for o in first.values())
    site.reset_hits()
    again, hits = run()
    pages = sum(o.pages for o in again.values())
    assert pages == 15 and sum(o.not_modified for o in again.values()) == pages  # every page answered 304
    assert hits == pages  # and not parsed again, whichever thread asked
    assert all(h.conditional and h.status == 304 for h in site.hits if "robots" not in h.url)
    ids = {k: [c.id for c in o.calls] for k, o in first.items()}
    assert {k: [c.id for c in o.calls] for k, o in again.items()} == ids
