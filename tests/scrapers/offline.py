"""Helpers every source's tests share: its fixture pages read offline, or served on 127.0.0.1.

Each scraper lists its saved pages in ``fixture_pages`` (real URL -> file under
``tests/fixtures/<name>/``). ``crawl`` follows the scraper's own requests through those pages with
nothing but its pure parsers; ``run_on_site`` runs the real ``BaseScraper.run`` and ``HttpClient``
against a local server that answers for the real URLs.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from grantmatch.models import GrantCall
from scrapers.base import BaseScraper, Request, _with_today

FIXTURES = Path(__file__).parents[1] / "fixtures"
TODAY = date(2026, 11, 30)


def fixture(cls: type[BaseScraper], page: str) -> str:
    """A saved page of ``cls``, by its real URL (a key of ``fixture_pages``) or by its file name."""
    name = cls.fixture_pages.get(page, page)
    return (FIXTURES / cls.name / name).read_text(encoding="utf-8")


def crawl(cls: type[BaseScraper], overrides: dict[str, str] | None = None) -> tuple[list[GrantCall], list[str]]:
    """Follow the scraper's requests offline, as ``BaseScraper.run`` does (each request once, ``TODAY``
    in its meta); returns the calls and every URL asked for. A request for a page without a fixture
    fails the test."""
    scraper = cls()
    pages = {url: fixture(cls, url) for url in cls.fixture_pages}
    pages.update(overrides or {})
    queue = [_with_today(req, TODAY) for req in scraper.start_requests()]
    calls: list[GrantCall] = []
    fetched: list[str] = []
    seen: set[str] = set()
    while queue:
        req = queue.pop(0)
        if req.key() in seen:
            continue
        seen.add(req.key())
        fetched.append(req.url)
        assert req.url in pages, f"{cls.name}: no fixture for {req.url}"
        for item in getattr(scraper, req.callback)(pages[req.url], req.url, dict(req.meta)):
            if isinstance(item, Request):
                queue.append(_with_today(item, TODAY))
            else:
                calls.append(item)
    return calls, fetched


def run_on_site(cls: type[BaseScraper], overrides: dict[str, str] | None = None):
    """``BaseScraper.run`` through the real HttpClient against 127.0.0.1 serving the fixtures."""
    from scrapers.http import HttpClient
    from tests.scrapers.sitesrv import SiteServer

    with SiteServer() as site:
        for url, name in cls.fixture_pages.items():
            ctype = {".xml": "application/rss+xml", ".json": "application/json"}.get(Path(name).suffix, "text/html")
            site.add(url, fixture(cls, url), content_type=f"{ctype}; charset=utf-8")
        for url, body in (overrides or {}).items():
            site.add(url, body)
        with HttpClient(cache_path=None, delay=0, rewrite=site.rewrite) as client:
            return cls().run(client, today=TODAY)


def by_id(calls: list[GrantCall]) -> dict[str, GrantCall]:
    ids = [c.id for c in calls]
    assert len(ids) == len(set(ids)), f"duplicate ids: {ids}"
    return {c.id: c for c in calls}
