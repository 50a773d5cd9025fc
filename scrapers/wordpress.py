"""WordPress sites: the RSS 2.0 feed at ``/feed/`` (titles, links, dates) → each call-like post's page.

The feed carries only an excerpt, so deadlines and amounts come from the post page
(``h1.entry-title``, ``time.entry-date``, ``div.entry-content``). Posts whose page states no
deadline are news, not calls, and are skipped. Feed items are read by
:func:`scrapers.announcement.read_rss` and filtered by :func:`scrapers.announcement.looks_like_call`,
as on the gov.lv platform.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import ClassVar

from grantmatch.models import GrantCall
from scrapers import normalize
from scrapers.announcement import AnnouncementScraper, content_text, iso_date, looks_like_call, read_rss, url_slug
from scrapers.base import Request


class WordPressFeedScraper(AnnouncementScraper):
    """A WordPress site: ``/feed/`` → post pages; configure ``programme`` / ``default_geography``."""

    abstract: ClassVar[bool] = True
    programme: ClassVar[str | None] = None
    default_geography: ClassVar[tuple[str, ...]] = ()
    """Where applicants must be when a post names no place (the site's own region)."""

    def parse(self, text: str, url: str, meta: dict | None = None) -> Iterator[GrantCall | Request]:
        """The feed: one post-page request per call-like item."""
        for item in read_rss(text, url, source=self.name):
            if not looks_like_call(item.title):
                continue
            published = item.published.isoformat() if item.published else None
            yield Request(item.link, callback="parse_post", meta={"published": published, "feed_title": item.title})

    def parse_post(self, text: str, url: str, meta: dict | None = None) -> Iterator[GrantCall]:
        """One post page: a call when it states an application deadline, else nothing."""
        meta = meta or {}
        soup = self.make_soup(text)
        title = normalize.clean_text(self.select_one(soup, "h1.entry-title", url=url).get_text(" "))
        body = self.select_one(soup, "div.entry-content", url=url)
        if not looks_like_call(title):
            return
        time_tag = soup.select_one("time.entry-date")
        published = iso_date(time_tag.get("datetime") if time_tag else None) or iso_date(meta.get("published"))
        call = self.make_call(
            key=url_slug(url),
            url=url,
            title=title,
            text=content_text(body),
            reference=published,
            programme=self._programme(title),
            require="deadline",
        )
        if call is not None:
            if not call.geography and self.default_geography:
                call = replace(call, geography=self.default_geography)
            yield call

    def _programme(self, title: str) -> str | None:
        return self.programme
