"""Liepājas valstspilsētas pašvaldība — the NVO projects hub (NGO/PSO, social inclusion, youth … competitions).

Pages read: the hub ``https://www.liepaja.lv/nvo-projekti/`` (one ``article.subpage-card`` per
competition sub-page) and each sub-page (``h1.entry-title``, ``div.entry-content`` with an
``div.aktuali-box`` "Aktuāli" block giving the application window, conditions as a bullet list).

Quirks: the hub also links pages that are not calls (results tables, "NVO māja" rooms and advice);
they have no "Aktuāli" block and are skipped. A competition sub-page stays the same URL year after
year: between rounds its "Aktuāli" block says "Šobrīd konkurss nav izsludināts" (skipped), and the
id carries the deadline's year so each yearly round is its own call. The share of cost is published
as the municipality's cap ("nedrīkst pārsniegt 70% no projekta kopējām izmaksām" → 30 % own
contribution). Applications go through epakalpojumi.liepaja.lv or by e-mail (youth). Fixtures are
hand-made in the site's structure (no saved real page was available; see shared/SOURCES.md §1a).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import ClassVar
from urllib.parse import urljoin

from grantmatch.models import GrantCall
from scrapers import normalize
from scrapers.announcement import announcement_fields, content_text, iso_date, url_slug
from scrapers.base import BaseScraper, Request

BASE = "https://www.liepaja.lv/nvo-projekti/"
_NOT_ANNOUNCED = re.compile(r"nav izsludināts|netiek izsludināts|nav aktuāl", re.IGNORECASE)
_UPDATED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


class LiepajaScraper(BaseScraper):
    name = "liepaja"
    source_name = "Liepājas valstspilsētas pašvaldība"
    funder = "Liepājas valstspilsētas pašvaldība"
    start_urls = (BASE,)
    fixture_pages: ClassVar[dict[str, str]] = {
        BASE: "hub.html",
        **{
            f"{BASE}{slug}/": f"{slug}.html"
            for slug in (
                "pilsoniskas-sabiedribas-organizaciju-projektu-konkurss",
                "socialas-ieklausanas-veicinasanas-projektu-konkurss",
                "jauniesu-iniciativu-projektu-konkurss",
                "veselibas-veicinasanas-projektu-konkurss",
                "nvo-projektu-konkursu-rezultati",
                "nvo-maja",
            )
        },
    }

    def parse(self, text: str, url: str, meta: dict | None = None) -> Iterator[GrantCall | Request]:
        """The hub: one request per competition sub-page."""
        soup = self.make_soup(text)
        for card in self.select(soup, "article.subpage-card", url=url):
            link = self.select_one(card, "a.subpage-card__link[href]", url=url)
            title = normalize.clean_text(self.select_one(card, ".subpage-card__title", url=url).get_text(" "))
            yield Request(urljoin(url, link["href"]), callback="parse_competition", meta={"card_title": title})

    def parse_competition(self, text: str, url: str, meta: dict | None = None) -> Iterator[GrantCall]:
        """A competition sub-page: a call when its "Aktuāli" block gives an application window."""
        meta = meta or {}
        soup = self.make_soup(text)
        title = normalize.clean_text(self.select_one(soup, "h1.entry-title", url=url).get_text(" "))
        body = self.select_one(soup, "div.entry-content", url=url)
        box = body.select_one(".aktuali-box")
        if box is None:
            return  # results, rooms, advice: not a competition page
        box_text = normalize.clean_text(box.get_text("\n"))
        if _NOT_ANNOUNCED.search(box_text):
            return
        reference = self._parse_updated(soup) or meta.get("today")
        fields = announcement_fields(content_text(body), title=title, reference=reference, deadline_text=box_text)
        if fields["deadline"] is None:
            return
        yield GrantCall(
            id=self.make_id(f"{url_slug(url)}-{fields['deadline'].year}"),
            source=self.name,
            title=title,
            url=url,
            funder=self.funder,
            programme="Liepājas pašvaldības NVO projektu konkursi",
            **fields,
        )

    def _parse_updated(self, soup) -> date | None:
        """The page's "Lapa atjaunināta: 23.11.2026." date: the year for dates published without one."""
        tag = soup.select_one(".last-updated")
        m = _UPDATED.search(tag.get_text()) if tag else None
        return iso_date(f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}") if m else None
