"""Liepāja 2027 (European Capital of Culture) — open calls in the news list of liepaja2027.lv.

Pages read: the news list ``https://liepaja2027.lv/aktualitates/`` (``article.news-item`` cards with
a category label, date and title; ``a.pagination__next`` to older pages) and the detail page of each
open-call post (``h1.post-title``, ``time.post-date``, ``div.post-content``).

Quirks: the list mixes open calls with programme news, volunteer recruitment ("Aicinām pieteikties"
— not a grant) and trainings; only cards in the "Atklātie konkursi" / "Open calls" category are
followed, and of those, results posts ("Noskaidroti … rezultāti") are skipped by title and any post
whose page states no application deadline. Applicant types are wider than usual (SIA and
self-employed too). Applications go through epakalpojumi.liepaja.lv. Implementation periods
("Iniciatīvām jānotiek no 1. februāra līdz 31. maijam") are not read as the opening date. Fixtures
are hand-made in the site's structure (no saved real page was available; SOURCES.md §1a).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar
from urllib.parse import urljoin

from grantmatch.models import GrantCall
from scrapers import normalize
from scrapers.announcement import announcement_fields, content_text, iso_date, looks_like_call, url_slug
from scrapers.base import BaseScraper, Request

BASE = "https://liepaja2027.lv/aktualitates/"
CALL_CATEGORIES = frozenset({"atklātie konkursi", "open calls", "open call", "konkursi"})
_DETAIL_SLUGS = (
    "izsludinam-mikrograntu-konkursu-apkaimju-kulturas-iniciativam",
    "brivpratigo-programma-pieteikusies-jau-300-liepajnieku",
    "atklats-tematiskais-lidzfinansejuma-konkurss-zala-kultura",
    "noskaidroti-rudens-mikrograntu-konkursa-rezultati",
    "prezentejam-2027-gada-programmas-pirmos-notikumus",
    "aicinam-pieteikties-kulturas-menedzmenta-apmacibam",
    "open-call-macibu-residences-makslinieku-kopienam",
    "liepaja-2027-komanda-tiekas-ar-apkaimju-parstavjiem",
    "ekoc-monitoringa-grupa-novertejusi-progresu",
)


class Liepaja2027Scraper(BaseScraper):
    name = "liepaja2027"
    source_name = 'Nodibinājums "Liepāja 2027"'
    funder = 'Nodibinājums "Liepāja 2027"'
    start_urls = (BASE,)
    fixture_pages: ClassVar[dict[str, str]] = {
        BASE: "aktualitates.html",
        f"{BASE}page/2/": "aktualitates_page2.html",
        **{f"{BASE}{slug}/": f"{slug}.html" for slug in _DETAIL_SLUGS},
    }

    def parse(self, text: str, url: str, meta: dict | None = None) -> Iterator[GrantCall | Request]:
        """One page of the news list: requests for open-call posts and for the next list page."""
        soup = self.make_soup(text)
        for card in self.select(soup, "article.news-item", url=url):
            link = self.select_one(card, "a.news-item__link[href]", url=url)
            title = normalize.clean_text(self.select_one(card, ".news-item__title", url=url).get_text(" "))
            category = self._parse_category(card)
            if category not in CALL_CATEGORIES or not looks_like_call(title):
                continue
            time_tag = card.select_one("time[datetime]")
            yield Request(
                urljoin(url, link["href"]),
                callback="parse_post",
                meta={"published": time_tag["datetime"] if time_tag else None, "category": category},
            )
        nxt = soup.select_one("a.pagination__next[href]")
        if nxt is not None:
            yield Request(urljoin(url, nxt["href"]))

    def parse_post(self, text: str, url: str, meta: dict | None = None) -> Iterator[GrantCall]:
        """One open-call post: a call when it states an application deadline."""
        meta = meta or {}
        soup = self.make_soup(text)
        title = normalize.clean_text(self.select_one(soup, "h1.post-title", url=url).get_text(" "))
        body = self.select_one(soup, "div.post-content", url=url)
        if not looks_like_call(title):
            return
        time_tag = soup.select_one("time.post-date[datetime]")
        published = iso_date(time_tag["datetime"] if time_tag else None) or iso_date(meta.get("published"))
        fields = announcement_fields(content_text(body), title=title, reference=published)
        if fields["deadline"] is None:
            return
        yield GrantCall(
            id=self.make_id(url_slug(url)),
            source=self.name,
            title=title,
            url=url,
            funder=self.funder,
            programme="Liepāja 2027 – Eiropas kultūras galvaspilsēta",
            **fields,
        )

    @staticmethod
    def _parse_category(card) -> str:
        tag = card.select_one(".news-item__category")
        return normalize.clean_text(tag.get_text(" ")).lower() if tag else ""
