"""The Latvian state "unified platform" (valsts pārvaldes vienotā platforma), and HTML news lists.

Sites on the platform (sif.gov.lv, vraa.gov.lv, lm.gov.lv, km.gov.lv, liaa.gov.lv, ...) all publish
the same two kinds of page, which :class:`GovLvScraper` reads:

1. an RSS 2.0 feed at ``https://www.<host>/lv/rss/articles`` (title, link, HTML description,
   pubDate, dc:creator, one ``<category>`` per tag). Most items are ordinary news (council
   meetings, vacancies, results, seminars); only items that :func:`~scrapers.announcement.looks_like_call`
   are followed;
2. the article page ``https://www.<host>/lv/jaunums/<slug>`` (Drupal): ``h1.page-title``,
   ``.publish-date`` ("Publicēts: 15.09.2026."), tag links and the text in ``.field--name-body``;
   around it sit the cookie banner, header menus, breadcrumb, share block, "related news",
   a feedback form and the footer, none of which is read.

Fields come from the article text through :func:`~scrapers.announcement.announcement_fields`;
relative dates ("š.g.") are resolved with the publication date. An article that, once read, names
neither a deadline nor an amount is not a call (e.g. a news item about a programme) and is skipped.

A gov.lv source is a few lines of configuration::

    class SifScraper(GovLvScraper):
        name = "sif"; host = "www.sif.gov.lv"; source_name = funder = "Sabiedrības integrācijas fonds"

:class:`NewsListScraper` is the same for national sites with an HTML news list and no feed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import ClassVar
from urllib.parse import urljoin

from grantmatch.models import GrantCall
from scrapers import normalize
from scrapers.announcement import (
    CALL_WORDS,
    SKIP_WORDS,
    AnnouncementScraper,
    find_programme,
    looks_like_call,
    read_rss,
    url_slug,
    word_pattern,
)
from scrapers.base import Request


def rss_url(host: str) -> str:
    return f"https://{host}/lv/rss/articles"


class ArticlePageScraper(AnnouncementScraper):
    """The article page shared by the gov.lv and the news-list scrapers: ``article_css`` holds the
    ``title_css`` heading, the ``body_css`` text and (optionally) the ``date_css`` publication date."""

    abstract = True

    article_css: ClassVar[str] = "article"
    title_css: ClassVar[str] = "h1"
    body_css: ClassVar[str]
    date_css: ClassVar[str | None] = None
    programme: ClassVar[str | None] = None
    """Programme to use when the article quotes none."""

    def parse_article(self, text: str, url: str, meta: dict | None = None) -> Iterator[GrantCall]:
        """One article: a call, or nothing when it names neither a deadline nor an amount."""
        meta = meta or {}
        soup = self.make_soup(text)
        article = self.select_one(soup, self.article_css, url=url)
        title = normalize.clean_text(self.select_one(article, self.title_css, url=url).get_text(" "))
        body_text = normalize.clean_text(str(self.select_one(article, self.body_css, url=url)))
        call = self.make_call(
            key=url_slug(url),
            url=url,
            title=title or meta.get("title", ""),
            text=body_text,
            reference=self._parse_published(article, meta),
            programme=self._parse_programme(title, body_text),
        )
        if call is not None:
            yield call

    def _parse_programme(self, title: str, text: str) -> str | None:
        return find_programme(text) or self.programme

    def _parse_published(self, article, meta: dict) -> date | None:
        if self.date_css and (el := article.select_one(self.date_css)) is not None:
            found = normalize.parse_date(el.get("datetime", "")) or normalize.parse_date(el.get_text(" "))
            if found:
                return found
        raw = meta.get("published")
        return date.fromisoformat(raw) if raw else None


class GovLvScraper(ArticlePageScraper):
    """Configurable scraper for one site on the gov.lv unified platform (RSS -> article pages)."""

    abstract = True  # the registry skips this base class

    host: ClassVar[str]
    """e.g. ``www.sif.gov.lv``; ``start_urls`` defaults to its ``/lv/rss/articles`` feed."""
    call_words: ClassVar[tuple[str, ...]] = CALL_WORDS
    skip_words: ClassVar[tuple[str, ...]] = SKIP_WORDS
    required_words: ClassVar[tuple[str, ...]] = ()
    """If set, an item must name one of these (title, description or category), e.g. ``LVAF``."""
    article_css: ClassVar[str] = "article.node--type-article"
    title_css: ClassVar[str] = "h1"
    body_css: ClassVar[str] = ".field--name-body"
    date_css: ClassVar[str | None] = ".publish-date"

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if getattr(cls, "host", None) and not cls.__dict__.get("start_urls"):
            cls.start_urls = (rss_url(cls.host),)

    # ------------------------------------------------------------------ the feed

    def parse(self, text: str, url: str, meta: dict | None = None) -> Iterator[GrantCall | Request]:
        """The RSS feed: one article request per call-like item."""
        for item in read_rss(text, url, source=self.name):
            if not self.wants(item.title, item.description, list(item.categories)):
                continue
            yield Request(
                item.link,
                callback="parse_article",
                meta={
                    "title": item.title,
                    "published": item.published.isoformat() if item.published else None,
                    "categories": list(item.categories),
                },
            )

    def wants(self, title: str, description: str, categories: list[str]) -> bool:
        """Whether a feed item is worth following: call-like and (if configured) of this source's tag."""
        if self.required_words:
            where = "\n".join([title, description, *categories])
            if not word_pattern(self.required_words).search(where):
                return False
        return looks_like_call(title, description, call_words=self.call_words, skip_words=self.skip_words)


# --------------------------------------------------------------------------- HTML news list -> article


class NewsListScraper(ArticlePageScraper):
    """Configurable scraper for an HTML news list whose call-like cards link to article pages.

    Used by the national sites that have no feed (kkf.lv, jaunatne.gov.lv, nvo.lv, norden.lv): the
    listing is read with ``card_css`` / ``link_css`` (a changed layout raises LayoutChanged naming
    the selector and URL); cards whose title or lead look like a call are followed; the article's
    ``body_css`` text goes through :meth:`~scrapers.announcement.AnnouncementScraper.make_call`.
    """

    abstract = True

    card_css: ClassVar[str]
    link_css: ClassVar[str] = "a"
    card_title_css: ClassVar[str | None] = None
    card_lead_css: ClassVar[str | None] = None
    card_date_css: ClassVar[str | None] = None
    call_words: ClassVar[tuple[str, ...]] = CALL_WORDS
    skip_words: ClassVar[tuple[str, ...]] = SKIP_WORDS

    def parse(self, text: str, url: str, meta: dict | None = None) -> Iterator[GrantCall | Request]:
        """The news list: one article request per call-like card."""
        soup = self.make_soup(text)
        for card in self.select(soup, self.card_css, url=url):
            link = card if card.name == "a" and card.get("href") else self.select_one(card, self.link_css, url=url)
            href = link.get("href")
            if not href:
                continue
            title_el = card.select_one(self.card_title_css) if self.card_title_css else link
            title = normalize.clean_text((title_el or link).get_text(" "))
            lead_el = card.select_one(self.card_lead_css) if self.card_lead_css else None
            lead = normalize.clean_text(lead_el.get_text(" ")) if lead_el is not None else ""
            if not title or not looks_like_call(title, lead, call_words=self.call_words, skip_words=self.skip_words):
                continue
            published = None
            if self.card_date_css and (date_el := card.select_one(self.card_date_css)) is not None:
                published = normalize.parse_date(date_el.get("datetime", "") or date_el.get_text(" "))
                published = published or normalize.parse_date(date_el.get_text(" "))
            yield Request(
                urljoin(url, href),
                callback="parse_article",
                meta={"title": title, "published": published.isoformat() if published else None},
            )
