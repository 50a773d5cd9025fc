"""What every announcement-style source shares: which news items are calls, the fields of one call
announcement, and one RSS 2.0 reader.

Most sources publish calls as news posts among other news (gov.lv platform sites, WordPress sites,
plain HTML news lists). Their scrapers (:mod:`scrapers.govlv`, :mod:`scrapers.wordpress` and the
Liepāja/Kurzeme modules) use:

* :func:`looks_like_call` — one filter: call words in the title or lead, no "news about a call"
  word (results, seminars, meetings, vacancies, ...) in the title;
* :func:`announcement_fields` — every :class:`~grantmatch.models.GrantCall` field the text of one
  announcement states, read with :mod:`scrapers.normalize` (no guessing: what the page does not
  state stays empty; priority areas are left to ``matcher.tag_areas`` in the weekly job);
* :func:`read_rss` — the items of an RSS 2.0 feed (title, link, description, categories, date),
  raising :class:`~scrapers.errors.LayoutChanged` when the feed is not one;
* :func:`find_programme`, :func:`content_text`, :func:`sentences`, :func:`iso_date`, :func:`url_slug`.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from email.utils import parsedate_to_datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from bs4 import Tag

from grantmatch.models import GrantCall, PriorityArea
from scrapers import normalize
from scrapers.base import BaseScraper
from scrapers.errors import LayoutChanged

logger = logging.getLogger(__name__)

# --------------------------------------------------------------------------- which items are calls

CALL_WORDS: tuple[str, ...] = (
    r"izsludin\w*",
    r"konkurs\w*",
    r"mikrogrant\w*",
    r"grant\w*",
    r"pieteikum\w*",
    r"pieteikties",
    r"piesakies",
    r"pieteikšan\w*",
    r"projektu",
    r"projektu iesniegum\w*",
    r"kārt\w* projekt\w*",
    r"finansējum\w*",
    r"līdzfinansēj\w*",
    r"atbalsta programm\w*",
    r"aicin\w* (?:iesniegt|pieteikt)\w*",
    r"termiņ\w*",
    r"call for (?:proposals|applications)",
    r"open calls?",
    r"funding",
    r"apply",
)
"""Words that make a title or lead look like a funding call (stems matched at a word start)."""

SKIP_WORDS: tuple[str, ...] = (
    r"rezultāt\w*",
    r"noskaidrot\w*",
    r"apstiprin\w*",
    r"atbalstīt\w*",
    r"atbalstu saņems",
    r"uzvarētāj\w*",
    r"seminār\w*",
    r"vebinār\w*",
    r"apmācīb\w*",
    r"forum\w*",
    r"sēd[eēi]\w*",
    r"sanāksm\w*",
    r"kopsapulc\w*",
    r"tikšanās",
    r"noslēgu\w*",
    r"noslēdz\w*",
    r"prezentē\w*",
    r"konsultācij\w*",
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
"""Words in a title that mark news about a call (results, events, vacancies), not the call itself."""


@cache
def word_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """One case-insensitive pattern matching any of ``words`` as whole words (stems with ``\\w*``)."""
    return re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)", re.IGNORECASE)


def looks_like_call(
    title: str,
    description: str = "",
    *,
    call_words: tuple[str, ...] = CALL_WORDS,
    skip_words: tuple[str, ...] = SKIP_WORDS,
) -> bool:
    """True when a news item announces a call: a call word in title or lead, no skip word in the title."""
    if word_pattern(skip_words).search(title):
        return False
    return bool(word_pattern(call_words).search(f"{title}\n{description}"))


# --------------------------------------------------------------------------- text helpers

_SENTENCE_END = re.compile(r"\n+|(?<=[;!?])\s+|(?<=[a-zāčēģīķļņšūž\d)])\.\s+(?=[A-ZĀČĒĢĪĶĻŅŠŪŽ])")


def sentences(text: str) -> list[str]:
    """Lines and sentences of a plain text ("… 2026. gada 3. marta" keeps its dots)."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part and part.strip()]


def iso_date(value: str | None) -> date | None:
    """``2026-11-16`` or ``2026-11-16T10:00:00+02:00`` -> date; None when absent or unreadable."""
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def url_slug(url: str) -> str:
    """The last path segment of a URL: ``https://x.lv/a/b-c/`` -> ``b-c``."""
    return url.rstrip("/").rsplit("/", 1)[-1]


def content_text(element: Tag) -> str:
    """Plain text of an article body (block elements become lines)."""
    return normalize.clean_text(str(element))


_PROGRAMME_RE = re.compile(
    r"(?:programm\w*|mērķprogramm\w*|konkurs\w*|aktivitāt\w*|fond\w*)(?:\s+\w+){0,2}?\s+[“\"„«]([^”\"“»]{3,120})[”\"“»]",
    re.IGNORECASE,
)


def find_programme(text: str) -> str | None:
    """The quoted programme or competition name: ``programmas “NVO fonds”`` -> ``NVO fonds``."""
    m = _PROGRAMME_RE.search(text)
    return m.group(1).strip() if m else None


# --------------------------------------------------------------------------- the fields of one announcement


def announcement_fields(
    text: str,
    *,
    title: str = "",
    reference: date | None = None,
    deadline_text: str | None = None,
    geography_text: str | None = None,
    language: str = "lv",
) -> dict[str, Any]:
    """The :class:`~grantmatch.models.GrantCall` fields one announcement states, as keyword arguments.

    Parameters
    ----------
    text : str
        the announcement's plain text (no menus); it becomes the summary.
    title : str, default=""
        helps language detection only.
    reference : date or None
        the page's own date, for dates published without a year ("š.g. 19. februārim").
    deadline_text : str or None
        where to look for the deadline and opening date first (e.g. a page's "Aktuāli" box).
    geography_text : str or None
        narrows the place search (e.g. the "Rīcības teritorija" sentence).
    language : str, default="lv"
        the source's language, used when the text's own cannot be told.

    Inconsistent readings are dropped rather than kept: a minimum above the maximum, an opening date
    after the deadline, and a per-project cap above the total (the total was taken for a cap).
    """
    deadline, phrase = (None, "")
    if deadline_text:
        deadline, phrase = normalize.find_deadline(deadline_text, reference=reference)
    if deadline is None:
        deadline, phrase = normalize.find_deadline(text, reference=reference)
    open_date = None
    if deadline_text:
        open_date = normalize.find_open_date(deadline_text, reference=reference)
    open_date = open_date or normalize.find_open_date(text, reference=reference)
    if open_date and deadline and open_date > deadline:
        open_date = None
    low, high = normalize.parse_amounts(text)
    total = normalize.find_total_budget(text)
    if low is not None and high is not None and low > high:
        low = None
    if high is not None and total is not None and high > total:
        high = None  # a total mistaken for a per-project cap
    return {
        "summary": text,
        "language": normalize.detect_language(f"{title}\n{text}") or language,
        "deadline": deadline,
        "deadline_text": phrase,
        "open_date": open_date,
        "min_amount_eur": low,
        "max_amount_eur": high,
        "total_budget_eur": total,
        "cofinancing_pct": normalize.find_cofinancing_pct(text),
        "eligible_applicants": normalize.find_applicants(text),
        "geography": normalize.find_geography(geography_text or text),
    }


def states_terms(fields: dict[str, Any]) -> bool:
    """Whether the fields name a deadline or an amount (an announcement without either is news)."""
    return any(fields.get(k) is not None for k in ("deadline", "min_amount_eur", "max_amount_eur", "total_budget_eur"))


# --------------------------------------------------------------------------- RSS

RIGA = ZoneInfo("Europe/Riga")


@dataclass(frozen=True)
class FeedItem:
    """One ``<item>`` of an RSS 2.0 feed, as plain text."""

    title: str
    link: str
    description: str = ""
    categories: tuple[str, ...] = ()
    published: date | None = None
    """``pubDate`` as a date in Riga."""


def rss_date(value: str | None) -> date | None:
    """An RFC 822 ``pubDate`` -> the date in Riga; None when absent or unreadable."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(RIGA)
    return parsed.date()


def _text(el: ET.Element | None) -> str:
    return (el.text or "").strip() if el is not None else ""


def read_rss(text: str, url: str, *, source: str) -> list[FeedItem]:
    """The items of an RSS 2.0 feed; :class:`LayoutChanged` when it is not one or has no usable item.

    Items without a title or a link are left out; a feed whose items all lack them is a layout change.
    """
    try:
        root = ET.fromstring(text.lstrip("\ufeff").strip())
    except ET.ParseError as exc:
        raise LayoutChanged(
            f"{source}: expected an RSS 2.0 feed at {url}, found text that is not XML ({exc})", source=source, url=url
        ) from None
    channel = root.find("channel") if root.tag == "rss" else None
    if channel is None:
        raise LayoutChanged(f"{source}: expected <rss><channel> at {url}, found <{root.tag}>", source=source, url=url)
    raw = channel.findall("item")
    if not raw:
        raise LayoutChanged(f"{source}: expected >=1 'rss/channel/item' at {url}, found 0", source=source, url=url)
    items = []
    for item in raw:
        title = normalize.clean_text(_text(item.find("title")))
        link = _text(item.find("link"))
        if not title or not link:
            continue
        items.append(
            FeedItem(
                title=title,
                link=link,
                description=normalize.clean_text(_text(item.find("description"))),
                categories=tuple(normalize.clean_text(_text(c)) for c in item.findall("category")),
                published=rss_date(_text(item.find("pubDate"))),
            )
        )
    if not items:
        raise LayoutChanged(
            f"{source}: expected <title> and <link> in the feed items at {url}, found {len(raw)} items without them",
            source=source,
            url=url,
        )
    return items


# --------------------------------------------------------------------------- the scraper side


class AnnouncementScraper(BaseScraper):
    """A source whose calls are announcements in prose; :meth:`make_call` turns one into a call.

    ``areas`` (class attribute) are set on every call only because the source funds nothing else
    (e.g. a culture fund); everything else is tagged by ``matcher.tag_areas`` in the weekly job.
    """

    abstract = True

    def make_call(
        self,
        *,
        key: str,
        url: str,
        title: str,
        text: str,
        reference: date | None = None,
        deadline_text: str | None = None,
        geography_text: str | None = None,
        programme: str | None = None,
        require: str = "terms",
        **overrides: Any,
    ) -> GrantCall | None:
        """The call one announcement states, or None when it is news, not a call.

        ``require`` is ``"terms"`` (a deadline or an amount must be stated) or ``"deadline"``.
        ``overrides`` replace fields read from the text (e.g. ``geography`` a page states elsewhere).
        """
        fields = announcement_fields(
            text,
            title=title,
            reference=reference,
            deadline_text=deadline_text,
            geography_text=geography_text,
            language=self.language,
        )
        if fields["deadline"] is None if require == "deadline" else not states_terms(fields):
            logger.info("not a call", extra={"source": self.name, "url": url})
            return None
        fields.update(overrides)
        fields.setdefault("priority_areas", tuple(PriorityArea(a) for a in self.areas))
        return GrantCall(
            id=self.make_id(key),
            source=self.name,
            title=title,
            url=url,
            funder=self.funder,
            programme=programme,
            **fields,
        )
