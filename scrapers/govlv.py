"""The Latvian state "unified platform" (valsts pārvaldes vienotā platforma) and shared call extraction.

Sites on the platform (sif.gov.lv, vraa.gov.lv, lm.gov.lv, km.gov.lv, liaa.gov.lv, ...) all publish
the same two kinds of page, which :class:`GovLvScraper` reads:

1. an RSS 2.0 feed at ``https://www.<host>/lv/rss/articles`` (title, link, HTML description,
   pubDate, dc:creator, one ``<category>`` per tag). Most items are ordinary news (council
   meetings, vacancies, results, seminars); only items whose title or description look like a call
   ("izsludina", "konkurss", "pieteikumi līdz", "granti", ...) and do not look like results, events
   or vacancies are followed;
2. the article page ``https://www.<host>/lv/jaunums/<slug>`` (Drupal): ``h1.page-title``,
   ``.publish-date`` ("Publicēts: 15.09.2026."), tag links and the text in ``.field--name-body``;
   around it sit the cookie banner, header menus, breadcrumb, share block, "related news",
   a feedback form and the footer, none of which is read.

Fields come from the article text through :mod:`scrapers.normalize`; relative dates ("š.g.") are
resolved with the publication date. An article that, once read, names neither a deadline nor an
amount is not a call (e.g. a news item about a programme) and is skipped.

A gov.lv source is a few lines of configuration::

    class SifScraper(GovLvScraper):
        name = "sif"; host = "www.sif.gov.lv"; source_name = funder = "Sabiedrības integrācijas fonds"

The module also holds :func:`build_call`, the Latvian-text-to-:class:`GrantCall` step shared by the
national HTML sources (kkf, jspa, nvo, norden), and :func:`guess_areas`.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date
from email.utils import parsedate_to_datetime
from typing import ClassVar

from grantmatch.models import GrantCall, PriorityArea
from scrapers import normalize
from scrapers.base import BaseScraper, Request
from scrapers.errors import LayoutChanged

logger = logging.getLogger(__name__)

# Words that make a title or description look like a funding call (matched as word stems).
CALL_WORDS: tuple[str, ...] = (
    r"izsludin\w*",
    r"konkurs\w*",
    r"pieteikum\w*",
    r"pieteikties",
    r"projektu",
    r"grant\w*",
    r"finansējum\w*",
    r"līdzfinansējum\w*",
    r"atbalsta programm\w*",
    r"aicin\w* (?:iesniegt|pieteikt)\w*",
    r"pieteikšan\w*",
    r"termiņ\w*",
    r"call for (?:proposals|applications)",
    r"open call",
    r"funding",
    r"apply",
)
# Words in a title that mark news about a call, not the call itself.
SKIP_WORDS: tuple[str, ...] = (
    r"rezultāt\w*",
    r"apstiprin\w*",
    r"atbalstīt\w* projekt\w*",
    r"uzvarētāj\w*",
    r"seminār\w*",
    r"vebinār\w*",
    r"sēde\w*",
    r"sanāksm\w*",
    r"vakanc\w*",
    r"amata konkurs\w*",
    r"darba viet\w*",
    r"iepirkum\w*",
    r"aptauj\w*",
    r"survey",
    r"results",
    r"winners",
    r"webinar",
    r"vacanc\w*",
)


def _stems(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)", re.IGNORECASE)


def looks_like_call(title: str, description: str = "", *, call_words: tuple[str, ...] = CALL_WORDS,
                    skip_words: tuple[str, ...] = SKIP_WORDS) -> bool:
    """True when a news item announces a call: call words in title or description, no skip word in the title."""
    if _stems(skip_words).search(title):
        return False
    return bool(_stems(call_words).search(f"{title}\n{description}"))


# --------------------------------------------------------------------------- priority areas

_AREA_WORDS: dict[PriorityArea, str] = {
    PriorityArea.CULTURE: r"kultūr\w*|māksl\w*|mūzik\w*|teātr\w*|literatūr\w*|muzej\w*|mantojum\w*|dizain\w*|"
    r"kino\b|grāmat\w*|culture|cultural|arts?\b|artists?|heritage|music|theatre|literature|film",
    PriorityArea.IT_DIGITAL_BUSINESS: r"digitāl\w*|uzņēmēj\w*|inovāc\w*|tehnoloģ\w*|\bIT\b|STEAM|jaunuzņēm\w*|"
    r"digital\w*|entrepreneur\w*|innovation|technolog\w*|business\w*|start-?ups?",
    PriorityArea.ENVIRONMENT_COMMUNITY: r"vides\b|vide\b|vidē\b|klimat\w*|dabas\b|daba\b|kopien\w*|apkaim\w*|"
    r"pilsonisk\w*|iedzīvotāju iniciatīv\w*|environment\w*|climate|nature|green|communit\w*|civil society|"
    r"democra\w*",
    PriorityArea.CHILDREN_YOUTH: r"jaunieš\w*|jauniet\w*|bērn\w*|jaunatn\w*|skolēn\w*|youth|young people|"
    r"children|pupils?|schools?",
    PriorityArea.SOCIAL_HEALTH: r"sociāl\w*|veselīb\w*|senior\w*|invaliditāt\w*|labklājīb\w*|iekļauš\w*|"
    r"nabadzīb\w*|ģimen\w*|social|health|seniors?|disabilit\w*|inclusion|welfare",
}


def guess_areas(title: str, text: str, default: tuple[str, ...] = ()) -> tuple[PriorityArea, ...]:
    """Priority areas a call speaks of, by keyword counts (title words count three times).

    Areas with at least a third of the best score are kept, best first; when no keyword is found
    the source's usual areas (``default``) are returned.
    """
    scores: dict[PriorityArea, int] = {}
    for area, pattern in _AREA_WORDS.items():
        rx = re.compile(pattern, re.IGNORECASE)
        score = 3 * len(rx.findall(title)) + len(rx.findall(text))
        if score:
            scores[area] = score
    if not scores:
        return tuple(PriorityArea(a) for a in default)
    best = max(scores.values())
    keep = [a for a, s in scores.items() if s >= max(2, best / 3) or s == best]
    order = list(PriorityArea)
    return tuple(sorted(keep, key=lambda a: (-scores[a], order.index(a))))


# --------------------------------------------------------------------------- the shared extraction step

_PROGRAMME_RE = re.compile(
    r"(?:programm\w*|mērķprogramm\w*|konkurs\w*|aktivitāt\w*|fond\w*)(?:\s+\w+){0,2}?\s+[“\"„«]([^”\"“»]{3,120})[”\"“»]",
    re.IGNORECASE,
)


def find_programme(text: str) -> str | None:
    """The quoted programme or competition name: ``programmas “NVO fonds”`` -> ``NVO fonds``."""
    m = _PROGRAMME_RE.search(text)
    return m.group(1).strip() if m else None


def build_call(
    scraper: BaseScraper,
    *,
    key: str,
    url: str,
    title: str,
    text: str,
    published: date | None = None,
    programme: str | None = None,
    language: str | None = None,
) -> GrantCall | None:
    """One :class:`GrantCall` from a call announcement's plain text, or None when it is not a call.

    ``text`` is the announcement's plain text (no menus); ``published`` resolves relative dates
    ("š.g. 19. februārim"). An announcement with neither a deadline nor an amount is not a call.
    """
    reference = published
    deadline, deadline_text = normalize.find_deadline(text, reference=reference)
    open_date = normalize.find_open_date(text, reference=reference)
    lo, hi = normalize.parse_amounts(text)
    total = normalize.find_total_budget(text)
    if deadline is None and lo is None and hi is None and total is None:
        logger.info("not a call", extra={"source": scraper.name, "url": url})
        return None
    if lo is not None and hi is not None and lo > hi:
        lo = None
    if open_date and deadline and open_date > deadline:
        open_date = None
    if hi is not None and total is not None and hi > total:
        hi = None  # a total mistaken for a per-project cap
    return GrantCall(
        id=scraper.make_id(key),
        source=scraper.name,
        title=title,
        url=url,
        language=language or normalize.detect_language(f"{title}\n{text}") or scraper.language,
        summary=text,
        funder=scraper.funder,
        programme=programme or find_programme(text),
        eligible_applicants=normalize.find_applicants(text),
        geography=normalize.find_geography(text),
        min_amount_eur=lo,
        max_amount_eur=hi,
        total_budget_eur=total,
        cofinancing_pct=normalize.find_cofinancing_pct(text),
        open_date=open_date,
        deadline=deadline,
        deadline_text=deadline_text,
        priority_areas=guess_areas(title, text, scraper.areas),
    )


# --------------------------------------------------------------------------- the gov.lv scraper


def rss_url(host: str) -> str:
    return f"https://{host}/lv/rss/articles"


def _text(el: ET.Element | None) -> str:
    return (el.text or "").strip() if el is not None else ""


def _rss_date(raw: str) -> date | None:
    try:
        return parsedate_to_datetime(raw).date()
    except (TypeError, ValueError, IndexError):
        return None


class GovLvScraper(BaseScraper):
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
    date_css: ClassVar[str] = ".publish-date"
    programme: ClassVar[str | None] = None
    """Programme to use when the article quotes none."""

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if getattr(cls, "host", None) and not cls.__dict__.get("start_urls"):
            cls.start_urls = (rss_url(cls.host),)

    # ------------------------------------------------------------------ the feed

    def parse(self, text: str, url: str, meta: dict | None = None) -> Iterator[GrantCall | Request]:
        """The RSS feed: one article request per call-like item."""
        try:
            root = ET.fromstring(text.lstrip("\ufeff").strip())
        except ET.ParseError as exc:
            raise LayoutChanged(
                f"{self.name}: expected an RSS 2.0 feed at {url}, found text that is not XML ({exc})",
                source=self.name,
                url=url,
            ) from None
        channel = root.find("channel") if root.tag == "rss" else None
        if channel is None:
            raise LayoutChanged(
                f"{self.name}: expected <rss><channel> at {url}, found <{root.tag}>", source=self.name, url=url
            )
        items = channel.findall("item")
        if not items:
            raise LayoutChanged(f"{self.name}: expected >=1 'item' at {url}, found 0", source=self.name, url=url)
        for item in items:
            title = normalize.clean_text(_text(item.find("title")))
            link = _text(item.find("link"))
            description = normalize.clean_text(_text(item.find("description")))
            categories = [normalize.clean_text(_text(c)) for c in item.findall("category")]
            if not title or not link:
                continue
            if not self.wants(title, description, categories):
                continue
            published = _rss_date(_text(item.find("pubDate")))
            yield Request(
                link,
                callback="parse_article",
                meta={
                    "title": title,
                    "published": published.isoformat() if published else None,
                    "categories": categories,
                },
            )

    def wants(self, title: str, description: str, categories: list[str]) -> bool:
        """Whether a feed item is worth following: call-like and (if configured) of this source's tag."""
        if self.required_words:
            where = "\n".join([title, description, *categories])
            if not _stems(self.required_words).search(where):
                return False
        return looks_like_call(title, description, call_words=self.call_words, skip_words=self.skip_words)

    # ------------------------------------------------------------------ the article

    def parse_article(self, text: str, url: str, meta: dict | None = None) -> Iterator[GrantCall]:
        """One article page ``/lv/jaunums/<slug>``: a call, or nothing when it is not one."""
        meta = meta or {}
        soup = self.make_soup(text)
        article = self.select_one(soup, self.article_css, url=url)
        title = normalize.clean_text(self.select_one(article, self.title_css, url=url).get_text(" "))
        body = self.select_one(article, self.body_css, url=url)
        body_text = normalize.clean_text(str(body))
        published = self._parse_published(article, meta)
        call = build_call(
            self,
            key=url.rstrip("/").rsplit("/", 1)[-1],
            url=url,
            title=title or meta.get("title", ""),
            text=body_text,
            published=published,
            programme=find_programme(body_text) or self.programme,
        )
        if call is not None:
            yield call

    def _parse_published(self, article, meta: dict) -> date | None:
        el = article.select_one(self.date_css)
        if el is not None:
            found = normalize.parse_date(el.get_text(" "))
            if found:
                return found
        raw = meta.get("published")
        return date.fromisoformat(raw) if raw else None


# --------------------------------------------------------------------------- HTML news list -> article


class NewsListScraper(BaseScraper):
    """Configurable scraper for an HTML news list whose call-like cards link to article pages.

    Used by the national sites that have no feed (kkf.lv, jaunatne.gov.lv, nvo.lv, norden.lv): the
    listing is read with ``card_css`` / ``link_css`` (a changed layout raises LayoutChanged naming
    the selector and URL); cards whose title or lead look like a call are followed; the article's
    ``body_css`` text goes through :func:`build_call`.
    """

    abstract = True

    card_css: ClassVar[str]
    link_css: ClassVar[str] = "a"
    card_title_css: ClassVar[str | None] = None
    card_lead_css: ClassVar[str | None] = None
    card_date_css: ClassVar[str | None] = None
    article_css: ClassVar[str] = "article"
    title_css: ClassVar[str] = "h1"
    date_css: ClassVar[str | None] = None
    body_css: ClassVar[str]
    call_words: ClassVar[tuple[str, ...]] = CALL_WORDS
    skip_words: ClassVar[tuple[str, ...]] = SKIP_WORDS

    def parse(self, text: str, url: str, meta: dict | None = None) -> Iterator[GrantCall | Request]:
        """The news list: one article request per call-like card."""
        from urllib.parse import urljoin

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

    def parse_article(self, text: str, url: str, meta: dict | None = None) -> Iterator[GrantCall]:
        """One article: a call, or nothing when it names neither a deadline nor an amount."""
        meta = meta or {}
        soup = self.make_soup(text)
        article = self.select_one(soup, self.article_css, url=url)
        title = normalize.clean_text(self.select_one(article, self.title_css, url=url).get_text(" "))
        body_text = normalize.clean_text(str(self.select_one(article, self.body_css, url=url)))
        published = self._parse_published(article, meta)
        call = build_call(
            self,
            key=url.rstrip("/").rsplit("/", 1)[-1],
            url=url,
            title=title or meta.get("title", ""),
            text=body_text,
            published=published,
            programme=self._parse_programme(title, body_text),
        )
        if call is not None:
            yield call

    def _parse_programme(self, title: str, text: str) -> str | None:
        return find_programme(text)

    def _parse_published(self, article, meta: dict) -> date | None:
        if self.date_css and (el := article.select_one(self.date_css)) is not None:
            found = normalize.parse_date(el.get("datetime", "")) or normalize.parse_date(el.get_text(" "))
            if found:
                return found
        raw = meta.get("published")
        return date.fromisoformat(raw) if raw else None
