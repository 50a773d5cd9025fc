"""Liepājas Novada fonds — the community foundation's grant programmes on lnf.lv.

Pages read: the programme list ``https://lnf.lv/programmas/`` (``div.programme-card`` with a status
label and a link) and each programme page (``h1.programme__title``, ``div.programme__body`` with
"Kas var pieteikties", "Finansējums" and "Pieteikšanās" sections).

Quirks: the list also shows donor programmes ("Ziedotāju loks": how to give, not how to apply); a
programme is a call only when its page has a "Pieteikšanās" section. Some programmes take
applications all year ("Pieteikumus pieņemam visu gadu") — those are rolling calls (no deadline).
A closed round stays on the page with its past deadline until the next one is published. Amounts
are small (100–150 € micro-grants, ≤1 500 € neighbourhood grants with Liepāja SEZ money).
Applicants are listed under a heading, not in a sentence. Fixtures are hand-made in the site's
structure (no saved real page was available; see shared/SOURCES.md §1a).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar
from urllib.parse import urljoin

from grantmatch.models import GrantCall
from scrapers import normalize
from scrapers.announcement import announcement_fields, content_text, url_slug
from scrapers.base import BaseScraper, Request

BASE = "https://lnf.lv/programmas/"
_APPLY_HEADING = re.compile(r"pieteik", re.IGNORECASE)
_ROLLING = re.compile(r"visu gadu|jebkurā laikā|pastāvīgi|bez termiņa", re.IGNORECASE)


class LiepajasNovadaFondsScraper(BaseScraper):
    name = "lnf"
    source_name = "Liepājas Novada fonds"
    funder = "Liepājas Novada fonds"
    start_urls = (BASE,)
    fixture_pages: ClassVar[dict[str, str]] = {
        BASE: "programmas.html",
        **{
            f"{BASE}{slug}/": f"{slug}.html"
            for slug in ("atbalsts-apkaimei", "jauniesu-mikrogranti", "seniori-kopiena", "ziedotaju-loks")
        },
    }

    def parse(self, text: str, url: str, meta: dict | None = None) -> Iterator[GrantCall | Request]:
        """The programme list: one request per programme page."""
        soup = self.make_soup(text)
        for card in self.select(soup, "div.programme-card", url=url):
            link = self.select_one(card, ".programme-card__title a[href]", url=url)
            status = card.select_one(".programme-card__status")
            yield Request(
                urljoin(url, link["href"]),
                callback="parse_programme",
                meta={"status": normalize.clean_text(status.get_text(" ")) if status else ""},
            )

    def parse_programme(self, text: str, url: str, meta: dict | None = None) -> Iterator[GrantCall]:
        """A programme page: a call when it has a "Pieteikšanās" section."""
        meta = meta or {}
        soup = self.make_soup(text)
        title = normalize.clean_text(self.select_one(soup, "h1.programme__title", url=url).get_text(" "))
        body = self.select_one(soup, "div.programme__body", url=url)
        apply = next((h for h in body.find_all(["h2", "h3"]) if _APPLY_HEADING.search(h.get_text())), None)
        if apply is None:
            return  # donor or information page
        apply_text = "\n".join(
            normalize.clean_text(sib.get_text(" "))
            for sib in apply.find_next_siblings()
            if sib.name not in {"h2", "h3"}
        )
        fields = announcement_fields(
            content_text(body), title=title, reference=meta.get("today"), deadline_text=apply_text
        )
        rolling = fields["deadline"] is None and _ROLLING.search(apply_text)
        if fields["deadline"] is None and not rolling:
            return
        if rolling:
            fields["deadline_text"] = _ROLLING.search(apply_text).group(0)
        key = url_slug(url) if rolling else f"{url_slug(url)}-{fields['deadline'].year}"
        yield GrantCall(
            id=self.make_id(key),
            source=self.name,
            title=title,
            url=url,
            funder=self.funder,
            programme=title,
            **fields,
        )
