"""Shared helpers for the Liepāja and Kurzeme sources (liepaja, liepaja2027, lnf, kurzeme, kurzemesnvo, lrp).

Not a source itself (the registry skips modules starting with ``_``). It holds:

* :func:`announcement_fields` — every field of one Latvian call announcement, read with
  :mod:`scrapers.normalize`, plus the local work-arounds those pages need (see below);
* :func:`looks_like_call` — the title filter that keeps call posts and skips news, results,
  seminars and meetings;
* :func:`guess_areas` — priority areas from the title (the weekly job may re-tag them);
* :class:`WordPressFeedScraper` — RSS ``/feed/`` → post page, for the WordPress sites.

Work-arounds kept here until ``scrapers.normalize`` handles them (each has a failing test in the
source's test file):

* the "Kas var pieteikties?" heading followed by a bullet list names the applicants outside any
  sentence with an applicant word, so the list is folded into one sentence "Pieteikties var: …";
* ``find_open_date`` also reads implementation periods ("Projektu īstenošanas laiks: no 15. maija
  līdz …"), so it is asked only about the sentences of the application window, and an open date
  after the deadline is dropped;
* "Līdzfinansējums nav nepieciešams / netiek prasīts" means 0 % own contribution;
* "Pieteikumu pieņemšana notiks no … līdz …" is an application window, not an event ("notiks");
* "Vienai rezidencei pieejams finansējums līdz 6000 eiro" is a per-project cap, not a total.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from bs4 import Tag

from grantmatch.models import GrantCall, PriorityArea
from scrapers import normalize
from scrapers.base import BaseScraper, Request
from scrapers.errors import LayoutChanged

# --------------------------------------------------------------------------- which posts are calls

_CALL_WORDS = re.compile(
    r"konkurs|izsludin|mikrogrant|grant|finansējum|līdzfinansēj|pieteikumu pieņemšan|kārt\w* projekt|"
    r"projektu iesniegum|open call|atklāt\w* konkurs|aicin\w* pieteikties|piesakies",
    re.IGNORECASE,
)
_NOT_CALL_WORDS = re.compile(
    r"rezultāt|noskaidrot|uzvarētāj|apstiprināt|atbalstu saņems|atbalstīti|seminār|vebinār|apmācīb|"
    r"forum|sēde|kopsapulc|tikšanās|noslēgu|noslēdz|prezentē|konsultācij",
    re.IGNORECASE,
)


def looks_like_call(title: str) -> bool:
    """True for a title announcing a call ("Izsludināts konkurss …"), False for news about calls.

    Results, seminars, meetings and trainings mention "konkurss" or "pieteikties" too, so they are
    excluded first.
    """
    if _NOT_CALL_WORDS.search(title):
        return False
    return bool(_CALL_WORDS.search(title))


# --------------------------------------------------------------------------- priority areas

_AREA_WORDS: list[tuple[str, PriorityArea]] = [
    (r"jaunie[šs]|jaunatn|bērn|skolēn", PriorityArea.CHILDREN_YOUTH),
    (r"kultūr|māksl|rezidenc|mantojum", PriorityArea.CULTURE),
    (r"sociāl|iekļau|veselīb|senior", PriorityArea.SOCIAL_HEALTH),
    (r"uzņēmēj|ekonomik|produkt|digitāl|inovācij|biznes", PriorityArea.IT_DIGITAL_BUSINESS),
    (r"vide|vides|zaļ|apkaim|kopien|pilsonisk|sabiedrisk|līdzdalīb|iesaisties", PriorityArea.ENVIRONMENT_COMMUNITY),
]


def guess_areas(title: str, default: tuple[str, ...] = ()) -> tuple[PriorityArea, ...]:
    """Priority areas named by the call's title; the source's usual areas when none is named."""
    found = [area for pattern, area in _AREA_WORDS if re.search(pattern, title, re.IGNORECASE)]
    if not found:
        found = [PriorityArea(a) for a in default]
    return tuple(dict.fromkeys(found))


# --------------------------------------------------------------------------- fields

_WHO_HEADING = re.compile(r"kas var pieteikties|kas var piedalīties|pretendenti|pieteicēji|kam\b", re.I)
_WINDOW_WORDS = re.compile(r"pieteik|iesnieg|iesniedz|pieņem|pieņemšan|termiņ|izsludin", re.IGNORECASE)
_NO_COFINANCING = re.compile(
    r"līdzfinansējum\w*[^.;\n]{0,30}\b(?:nav nepieciešam\w*|netiek prasīts|nav jānodrošina|nav obligāt\w*)",
    re.IGNORECASE,
)


def content_text(element: Tag) -> str:
    """Plain text of an article body, with "Kas var pieteikties?" + list folded into one sentence."""
    parts: list[str] = []
    for child in element.children:
        if not isinstance(child, Tag):
            text = str(child).strip()
            if text:
                parts.append(text)
            continue
        nxt = child.find_next_sibling()
        if (
            child.name in {"h2", "h3", "h4", "strong", "p"}
            and _WHO_HEADING.search(child.get_text())
            and len(child.get_text()) < 60
            and nxt is not None
            and nxt.name in {"ul", "ol", "p"}
        ):
            items = [normalize.clean_text(li.get_text(" ")) for li in (nxt.find_all("li") or [nxt])]
            parts.append("Pieteikties var: " + ", ".join(i.rstrip(";.,") for i in items) + ".")
            nxt["data-folded"] = "1"
            continue
        if child.get("data-folded"):
            continue
        parts.append(normalize.clean_text(str(child)))
    return "\n".join(p for p in parts if p)


def _open_date(text: str, deadline: date | None, reference: date | None) -> date | None:
    window = "\n".join(
        s for s in sentences(text) if _WINDOW_WORDS.search(s) and "īstenošan" not in s
    )
    opened = normalize.find_open_date(window, reference=reference)
    if opened and deadline and opened > deadline:
        return None
    return opened


_NOTIKS = re.compile(r"(pieņemšana|iesniegšana)\s+notiks\s+(?=no\b)", re.IGNORECASE)


def _window_notiks(text: str) -> str:
    """ "Pieņemšana notiks no … līdz …": normalize reads "notiks" as an event, not a window; drop it."""
    return _NOTIKS.sub(r"\1 ", text)


_PER_UNIT = re.compile(r"\bvien(?:am|ai)\s+\w+", re.IGNORECASE)


def _per_unit_cap(text: str) -> float | None:
    """ "Vienai rezidencei pieejams finansējums līdz 6000 eiro": a cap per project, whatever the unit."""
    for sentence in sentences(text):
        if _PER_UNIT.search(sentence) and "kopēj" not in sentence.lower():
            value = normalize.parse_money(sentence)
            if value is not None:
                return value
    return None


def cofinancing(text: str) -> float | None:
    """Minimum own contribution in %, with "līdzfinansējums nav nepieciešams" read as 0."""
    pct = normalize.find_cofinancing_pct(text)
    if pct is None and _NO_COFINANCING.search(text):
        return 0.0
    return pct


def announcement_fields(
    text: str,
    *,
    reference: date | None = None,
    deadline_text: str | None = None,
    geography_text: str | None = None,
) -> dict[str, Any]:
    """The GrantCall fields one announcement states, as keyword arguments.

    ``deadline_text`` is where to look for the deadline first (e.g. the page's "Aktuāli" box);
    ``geography_text`` narrows the place search (e.g. the "Rīcības teritorija" sentence).
    """
    deadline, phrase = (None, "")
    if deadline_text:
        deadline, phrase = normalize.find_deadline(_window_notiks(deadline_text), reference=reference)
    if deadline is None:
        deadline, phrase = normalize.find_deadline(_window_notiks(text), reference=reference)
    low, high = normalize.parse_amounts(text)
    total = normalize.find_total_budget(text)
    if high is None:
        high = _per_unit_cap(text)
    if total is not None and high is not None and total <= high:
        total = None  # a per-project cap read as a total
    return {
        "summary": text,
        "language": normalize.detect_language(text) or "lv",
        "deadline": deadline,
        "deadline_text": phrase,
        "open_date": _open_date(deadline_text or text, deadline, reference)
        or _open_date(text, deadline, reference),
        "min_amount_eur": low,
        "max_amount_eur": high,
        "total_budget_eur": total,
        "cofinancing_pct": cofinancing(text),
        "eligible_applicants": normalize.find_applicants(text),
        "geography": normalize.find_geography(geography_text or text),
    }


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


# --------------------------------------------------------------------------- WordPress feed + post


class WordPressFeedScraper(BaseScraper):
    """A WordPress site: RSS 2.0 at ``/feed/`` (titles, links, dates) → each call-like post's page.

    The feed carries only an excerpt, so deadlines and amounts come from the post page
    (``h1.entry-title``, ``time.entry-date``, ``div.entry-content``). Posts whose page states no
    deadline are news, not calls, and are skipped.
    """

    abstract: ClassVar[bool] = True
    programme: ClassVar[str | None] = None
    default_geography: ClassVar[tuple[str, ...]] = ()

    def parse(self, text: str, url: str, meta: dict | None = None) -> Iterator[GrantCall | Request]:
        """The feed: one post-page request per call-like item."""
        items = self._feed_items(text, url)
        for title, link, published in items:
            if not looks_like_call(title):
                continue
            yield Request(link, callback="parse_post", meta={"published": published, "feed_title": title})

    def _feed_items(self, text: str, url: str) -> list[tuple[str, str, str | None]]:
        try:
            root = ET.fromstring(text.lstrip("\ufeff").strip().encode("utf-8"))
        except ET.ParseError as exc:
            raise LayoutChanged(
                f"{self.name}: expected an RSS feed at {url}, found unreadable XML ({exc})", source=self.name, url=url
            ) from None
        items = root.findall("./channel/item")
        if not items:
            raise LayoutChanged(
                f"{self.name}: expected >=1 'rss/channel/item' at {url}, found 0", source=self.name, url=url
            )
        out = []
        for item in items:
            title = normalize.clean_text(item.findtext("title") or "")
            link = (item.findtext("link") or "").strip()
            if not title or not link:
                raise LayoutChanged(
                    f"{self.name}: expected <title> and <link> in every feed item at {url}, found {title!r} {link!r}",
                    source=self.name,
                    url=url,
                )
            out.append((title, link, _rss_date(item.findtext("pubDate"))))
        return out

    def parse_post(self, text: str, url: str, meta: dict | None = None) -> Iterator[GrantCall]:
        """One post page: a call when it states an application deadline, else nothing."""
        meta = meta or {}
        soup = self.make_soup(text)
        title = normalize.clean_text(self.select_one(soup, "h1.entry-title", url=url).get_text(" "))
        body = self.select_one(soup, "div.entry-content", url=url)
        time_tag = soup.select_one("time.entry-date")
        published = iso_date(time_tag.get("datetime") if time_tag else None) or iso_date(meta.get("published"))
        if not looks_like_call(title):
            return
        fields = announcement_fields(content_text(body), reference=published)
        if fields["deadline"] is None:
            return
        if not fields["geography"]:
            fields["geography"] = self.default_geography
        yield GrantCall(
            id=self.make_id(url_slug(url)),
            source=self.name,
            title=title,
            url=url,
            funder=self.funder,
            programme=self._programme(title),
            priority_areas=guess_areas(title, self.areas),
            **fields,
        )

    def _programme(self, title: str) -> str | None:
        return self.programme


def _rss_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        parsed: datetime = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError):
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(ZoneInfo("Europe/Riga"))
    return parsed.date().isoformat()
