"""LEADER "Liepājas rajona partnerība" — project rounds announced on lrpartneriba.lv/aktualitates/.

Pages read: the news list ``https://lrpartneriba.lv/aktualitates/`` (Divi theme: ``article.et_pb_post``
with ``h2.entry-title a`` and ``span.published``; older posts via ``.pagination .alignleft a``) and
each round announcement (``h1.entry-title``, ``div.entry-content`` with a ``table`` of measures).

Quirks: one announcement opens several LEADER actions ("rīcības" R1.1, R2.1 …, grouped in measures
M1/M2) with their own public funding, per-project cap and aid intensity, so each table row becomes one
call (``lrp-<post slug>-<action code>``). Aid intensity "līdz 70%" is the public share: the applicant
brings at least 30 %. Who may apply is written per action in one sentence ("Rīcībā R2.1 … biedrības
…; rīcībās R1.1 un R1.2 – komersanti …"). The territory is the partnership's part of Dienvidkurzeme
novads (its own name contains "Liepājas", so geography is read from the "Rīcības teritorija" sentence
only). Seminars, results and general meetings are skipped by title. Applications go to LAD's EPS;
the official round status is in the LAD catalogue (not read here). Fixtures are hand-made in the
site's structure (no saved real page was available; see shared/SOURCES.md §1b).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar
from urllib.parse import urljoin

from bs4 import Tag

from grantmatch.models import GrantCall, PriorityArea
from scrapers import normalize
from scrapers.announcement import announcement_fields, content_text, looks_like_call, sentences, url_slug
from scrapers.base import BaseScraper, Request
from scrapers.errors import LayoutChanged

BASE = "https://lrpartneriba.lv/aktualitates/"
_CODE = re.compile(r"\b(R\d+(?:\.\d+)?)\b")
_MEASURE = re.compile(r"\((M\d+)\)")
_ROUND = re.compile(r"(\d+)\.\s*kārt", re.IGNORECASE)
_PCT = re.compile(r"(\d{1,3}(?:[.,]\d+)?)\s*%")
_TERRITORY = re.compile(r"rīcības teritorija|teritorija\s*:", re.IGNORECASE)
_MEASURE_AREAS = {
    "M1": (PriorityArea.IT_DIGITAL_BUSINESS,),
    "M2": (PriorityArea.ENVIRONMENT_COMMUNITY,),
}


class LiepajasRajonaPartneribaScraper(BaseScraper):
    name = "lrp"
    source_name = 'Biedrība "Liepājas rajona partnerība" (LEADER)'
    funder = "Liepājas rajona partnerība (LEADER, ELFLA)"
    start_urls = (BASE,)
    fixture_pages: ClassVar[dict[str, str]] = {
        BASE: "aktualitates.html",
        f"{BASE}page/2/": "aktualitates_page2.html",
        **{
            f"https://lrpartneriba.lv/{slug}/": f"{slug}.html"
            for slug in (
                "izsludinata-3-karta-projektu-iesniegumu-pienemsanai",
                "seminars-potencialajiem-projektu-iesniedzejiem",
                "apstiprinati-2-kartas-projektu-vertesanas-rezultati",
                "izsludinata-2-karta-projektu-iesniegumu-pienemsanai",
                "biedribas-kopsapulce-2026",
            )
        },
    }

    def parse(self, text: str, url: str, meta: dict | None = None) -> Iterator[GrantCall | Request]:
        """One page of the news list: requests for round announcements and the older-posts page."""
        soup = self.make_soup(text)
        for post in self.select(soup, "article.et_pb_post", url=url):
            link = self.select_one(post, "h2.entry-title a[href]", url=url)
            title = normalize.clean_text(link.get_text(" "))
            if looks_like_call(title):
                yield Request(urljoin(url, link["href"]), callback="parse_round", meta={"list_title": title})
        older = soup.select_one(".pagination .alignleft a[href]")
        if older is not None:
            yield Request(urljoin(url, older["href"]))

    def parse_round(self, text: str, url: str, meta: dict | None = None) -> Iterator[GrantCall]:
        """A round announcement: one call per action row of the measures table."""
        soup = self.make_soup(text)
        title = normalize.clean_text(self.select_one(soup, "h1.entry-title", url=url).get_text(" "))
        body = self.select_one(soup, "div.entry-content", url=url)
        if not looks_like_call(title):
            return
        table = body.find("table")
        if table is not None:
            table.extract()  # the rows are read one by one below; keep the prose for the common fields
        text_all = content_text(body)
        territory = "\n".join(s for s in sentences(text_all) if _TERRITORY.search(s))
        common = announcement_fields(
            text_all, title=title, reference=(meta or {}).get("today"), geography_text=territory or None
        )
        if common["deadline"] is None:
            return
        m = _ROUND.search(title)
        round_label = f"{m.group(1)}. kārta" if m else title
        if table is None:
            yield GrantCall(
                id=self.make_id(url_slug(url)),
                source=self.name,
                title=f"LEADER {round_label}",
                url=url,
                funder=self.funder,
                programme="LEADER (ELFLA)",
                **common,
            )
            return
        rows = self.select(table, "tbody tr", url=url)
        for row in rows:
            yield self._row_call(row, url=url, round_label=round_label, common=common, text_all=text_all)

    def _row_call(self, row: Tag, *, url: str, round_label: str, common: dict, text_all: str) -> GrantCall:
        cells = [normalize.clean_text(td.get_text(" ")) for td in row.find_all("td")]
        if len(cells) < 5 or not _CODE.search(cells[0]):
            raise LayoutChanged(
                f"{self.name}: expected 5 cells (code, name, funding, cap, intensity) in a measures row at {url}, "
                f"found {cells!r}",
                source=self.name,
                url=url,
            )
        code, name = _CODE.search(cells[0]).group(1), cells[1]
        measure = _MEASURE.search(name)
        fields = dict(common)
        fields["total_budget_eur"] = _amount(cells[2])
        fields["max_amount_eur"] = _amount(cells[3])
        fields["min_amount_eur"] = None
        fields["cofinancing_pct"] = self._parse_cofinancing(cells[4])
        fields["eligible_applicants"] = self._parse_applicants(text_all, code)  # the publisher is a biedrība too
        fields["summary"] = f"{code} {name}. {common['summary']}"
        areas = _MEASURE_AREAS.get(measure.group(1), ()) if measure else ()
        return GrantCall(
            id=self.make_id(f"{url_slug(url)}-{code}"),
            source=self.name,
            title=f"LEADER {round_label}: {code} {_MEASURE.sub('', name).strip()}",
            url=url,
            funder=self.funder,
            programme="LEADER (ELFLA)" + (f", {measure.group(1)}" if measure else ""),
            priority_areas=areas,
            **fields,
        )

    @staticmethod
    def _parse_cofinancing(cell: str) -> float | None:
        """Aid intensity "līdz 70%" (public share) -> 30 (the applicant's minimum share)."""
        m = _PCT.search(cell)
        return None if m is None else round(100 - float(m.group(1).replace(",", ".")), 2)

    @staticmethod
    def _parse_applicants(text: str, code: str) -> tuple:
        """The applicants named in the clause that mentions this action code."""
        for sentence in sentences(text):
            for clause in re.split(r";", sentence):
                if re.search(rf"\b{re.escape(code)}\b", clause):
                    found = normalize.find_applicants("Pieteikties var " + clause)
                    if found:
                        return found
        return ()


def _amount(cell: str) -> float | None:
    """A table cell "320 000,00" (EUR in the column header) -> 320000.0."""
    return normalize.parse_money(f"{cell} eiro")
