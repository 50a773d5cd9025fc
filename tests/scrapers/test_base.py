"""BaseScraper: selectors, ids, and run() against a real local HTTP server."""

from __future__ import annotations

from datetime import date

import pytest

from grantmatch.models import GrantCall
from scrapers.base import BaseScraper, Request
from scrapers.errors import LayoutChanged, ScrapeError
from scrapers.http import HttpClient

LISTING = """<html><body><nav><a href="/">Sākums</a></nav>
<div class="cookie">Mēs izmantojam sīkdatnes</div>
<ul class="calls">
  <li><a href="/konkurss/a">Konkurss A</a></li>
  <li><a href="/konkurss/b">Konkurss B</a></li>
  <li><a href="/konkurss/c">Konkurss C</a></li>
</ul><footer>© Pašvaldība</footer></body></html>"""


def detail(title: str, deadline: str) -> str:
    return f"<html><body><h1>{title}</h1><p>Pieteikumus iesniedz līdz {deadline}.</p></body></html>"


class ToyScraper(BaseScraper):
    name = "toy"
    source_name = "Toy"
    funder = "Toy"
    start_urls = ("https://toy.lv/konkursi/",)

    def parse(self, text, url, meta=None):
        soup = self.make_soup(text)
        for a in self.select(soup, "ul.calls a", url=url):
            yield Request(f"https://toy.lv{a['href']}", callback="parse_detail", meta={"listing": a.get_text()})

    def parse_detail(self, text, url, meta=None):
        soup = self.make_soup(text)
        title = self.select_one(soup, "h1", url=url).get_text(strip=True)
        yield GrantCall(id=self.make_id(url.rsplit("/", 1)[-1]), source=self.name, title=title, url=url)


def client_for(site, **kw):
    kw.setdefault("delay", 0)
    return HttpClient(cache_path=None, rewrite=site.rewrite, backoff=0, timeout=(2, 2), **kw)


def serve_toy(site):
    site.add("https://toy.lv/konkursi/", LISTING)
    site.add("https://toy.lv/konkurss/a", detail("Konkurss A", "2027. gada 1. martam"))
    site.add("https://toy.lv/konkurss/b", "<html><body><p>no heading</p></body></html>")  # layout changed
    site.add("https://toy.lv/konkurss/c", detail("Konkurss C", "2027. gada 2. martam"))


def test_select_counts_and_message():
    scraper = ToyScraper()
    soup = scraper.make_soup(LISTING)
    assert len(scraper.select(soup, "ul.calls li", url="u")) == 3
    with pytest.raises(LayoutChanged, match=r"toy: expected >=4 'ul.calls li' at u, found 3"):
        scraper.select(soup, "ul.calls li", url="u", min_items=4)
    with pytest.raises(LayoutChanged, match=r"toy: expected 1 'article.call' at u, found 0"):
        scraper.select_one(soup, "article.call", url="u")


def test_make_id_is_stable_and_slugged():
    assert ToyScraper().make_id("NVO Projektu konkurss 2027!") == "toy-nvo-projektu-konkurss-2027"
    assert ToyScraper().make_id("Ā") == ToyScraper().make_id("a")
    with pytest.raises(ScrapeError):
        ToyScraper().make_id("—")


def test_run_follows_requests_and_keeps_going_after_one_bad_page(site):
    serve_toy(site)
    result = ToyScraper().run(client_for(site))
    assert [c.title for c in result.calls] == ["Konkurss A", "Konkurss C"]
    assert result.pages == 4
    assert len(result.errors) == 1 and "expected 1 'h1' at https://toy.lv/konkurss/b" in result.errors[0]
    assert all("127.0.0.1" not in c.url for c in result.calls)  # parsers see real URLs


def test_run_passes_today_and_meta_to_callbacks(site):
    serve_toy(site)
    seen = []

    class Spy(ToyScraper):
        def parse_detail(self, text, url, meta=None):
            seen.append(meta)
            yield from super().parse_detail(text, url, meta)

    Spy().run(client_for(site), today=date(2027, 1, 5))
    assert {m["listing"] for m in seen} == {"Konkurss A", "Konkurss B", "Konkurss C"}
    assert all(m["today"] == date(2027, 1, 5) for m in seen)


def test_zero_calls_is_an_error_unless_may_be_empty(site):
    site.add("https://toy.lv/konkursi/", "<html><body><ul class='calls'></ul></body></html>")
    with pytest.raises(LayoutChanged, match="expected >=1 'ul.calls a'"):
        ToyScraper().run(client_for(site))

    class Quiet(ToyScraper):
        may_be_empty = True

        def parse(self, text, url, meta=None):
            return iter(())

    assert Quiet().run(client_for(site)).calls == []

    class Empty(ToyScraper):
        def parse(self, text, url, meta=None):
            return iter(())

    with pytest.raises(ScrapeError, match="toy: expected >=1 call from 1 page"):
        Empty().run(client_for(site))


def test_fetch_failure_of_start_page_is_raised(site):
    with pytest.raises(ScrapeError, match="expected HTTP 200, found 404 at https://toy.lv/konkursi/"):
        ToyScraper().run(client_for(site))


def test_max_pages_caps_a_run(site):
    serve_toy(site)

    class Capped(ToyScraper):
        max_pages = 2

    result = Capped().run(client_for(site))
    assert result.pages == 2 and len(result.calls) == 1
    assert any("expected <= 2 pages per run" in e for e in result.errors)


def test_same_request_is_fetched_once(site):
    serve_toy(site)

    class Twice(ToyScraper):
        def parse(self, text, url, meta=None):
            yield from super().parse(text, url, meta)
            yield from super().parse(text, url, meta)

    result = Twice().run(client_for(site))
    assert result.pages == 4
    assert len([h for h in site.hits if h.url == "https://toy.lv/konkurss/a"]) == 1


def test_parser_bug_on_one_page_is_recorded(site):
    serve_toy(site)

    class Buggy(ToyScraper):
        def parse_detail(self, text, url, meta=None):
            if url.endswith("/c"):
                raise KeyError("href")
            yield from super().parse_detail(text, url, meta)

    result = Buggy().run(client_for(site))
    assert [c.title for c in result.calls] == ["Konkurss A"]
    assert any("parsing https://toy.lv/konkurss/c failed: KeyError" in e for e in result.errors)


def test_parse_cache_reuses_unchanged_pages_and_respects_today(site, tmp_path):
    serve_toy(site)
    calls_made = []

    class Counting(ToyScraper):
        def parse_detail(self, text, url, meta=None):
            calls_made.append(url)
            yield from super().parse_detail(text, url, meta)

    class DateDependent(ToyScraper):
        def parse_detail(self, text, url, meta=None):
            calls_made.append(url)
            title = f"{self.select_one(self.make_soup(text), 'h1', url=url).get_text()} {meta.get('today')}"
            yield GrantCall(id=self.make_id(url.rsplit("/", 1)[-1]), source=self.name, title=title, url=url)

    def run(cls, today):
        client = HttpClient(cache_path=tmp_path / "c.sqlite", delay=0, rewrite=site.rewrite, backoff=0)
        try:
            return cls().run(client, today=today), client.parse_cache
        finally:
            client.close()

    first, _ = run(Counting, date(2027, 1, 1))
    n = len(calls_made)
    again, cache = run(Counting, date(2027, 1, 8))  # another week, same pages: parsed once only
    # listing, a and c come from the cache; b (its layout is broken) is never cached and is parsed again
    assert calls_made[n:] == ["https://toy.lv/konkurss/b"] and cache.hits == 3
    assert [c.title for c in again.calls] == [c.title for c in first.calls]

    site.add("https://toy.lv/konkurss/a", detail("Konkurss A (grozīts)", "2027. gada 1. martam"))
    changed, _ = run(Counting, date(2027, 1, 8))
    assert (
        "Konkurss A (grozīts)" in [c.title for c in changed.calls]
        and "https://toy.lv/konkurss/a" in calls_made[n + 1 :]
    )

    calls_made.clear()
    run(DateDependent, date(2027, 1, 1))
    result, _ = run(DateDependent, date(2027, 1, 8))  # reads meta["today"]: parsed again for a new date
    assert len(calls_made) == 6 and all(c.title.endswith("2027-01-08") for c in result.calls)
    run(DateDependent, date(2027, 1, 8))
    assert len(calls_made) == 7  # same date: cached (only the broken page b again)


def test_parse_cache_is_invalidated_by_a_code_change(tmp_path, monkeypatch):
    from scrapers import base

    req = Request("https://toy.lv/x", callback="parse_detail")
    cache = base.ParseCache(tmp_path / "p.sqlite")
    cache.put(ToyScraper(), req, "<h1>x</h1>", ["item"], used_today=False)
    assert cache.get(ToyScraper(), req, "<h1>x</h1>") == ["item"]
    assert cache.get(ToyScraper(), req, "<h1>y</h1>") is None
    cache.close()
    monkeypatch.setattr(base, "_code_version", lambda: "other")
    assert base.ParseCache(tmp_path / "p.sqlite").get(ToyScraper(), req, "<h1>x</h1>") is None


def test_calls_yielded_before_a_failure_on_the_same_page_are_kept(site):
    serve_toy(site)

    class HalfBroken(ToyScraper):
        def parse(self, text, url, meta=None):
            yield from list(super().parse(text, url, meta))[:1]
            raise LayoutChanged(f"toy: expected 3 cards at {url}, found a broken one")

    result = HalfBroken().run(client_for(site))
    assert [c.title for c in result.calls] == ["Konkurss A"]
    assert result.errors == ["toy: expected 3 cards at https://toy.lv/konkursi/, found a broken one"]
