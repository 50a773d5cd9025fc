"""U.S. Embassy Riga, Public Diplomacy Section: small grants, Annual Program Statement, AEIF.

Pages read: ``https://lv.usembassy.gov/education-culture/grants/`` (WordPress page; the links under
"Current Funding Opportunities", ``.entry-content ul.funding-opportunities a``) and each Notice of
Funding Opportunity post it links to (``article .entry-content``).
Quirks: English only. A NOFO states its facts as labelled lines ("Deadline for Applications: March
15, 2027", "Total Amount Available: $150,000", "awards may range from a minimum of $5,000 to a
maximum of $26,000"). Amounts are in USD and are converted to EUR with the fixed rate
``normalize.EUR_PER_UNIT["USD"]``; the USD wording stays in the summary. An Annual Program Statement is rolling
("accepted on a rolling basis"): no deadline. Often there is no open opportunity at all, so the
source may be empty; past opportunities are plain text and are not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urljoin

from grantmatch.models import ApplicantType, GrantCall
from scrapers import normalize
from scrapers.base import BaseScraper, Request

_USD = r"(\$\s?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{2})?)"
_RANGE = re.compile(rf"minimum of {_USD}\s+to\s+(?:a\s+)?maximum of {_USD}", re.IGNORECASE)
_MAX = re.compile(rf"(?:maximum of|up to|not (?:to )?exceed) {_USD}", re.IGNORECASE)
_TOTAL = re.compile(rf"Total Amount Available:\s*{_USD}", re.IGNORECASE)
_DEADLINE = re.compile(r"Deadline for Applications:\s*([^\n]+)", re.IGNORECASE)
_ROLLING = re.compile(r"rolling basis|rolling", re.IGNORECASE)
_TITLE = re.compile(r"Funding Opportunity Title:\s*([^\n]+)", re.IGNORECASE)
_NUMBER = re.compile(r"Funding Opportunity Number:\s*([A-Z0-9-]+)", re.IGNORECASE)
_NO_COST_SHARE = re.compile(r"cost[- ]shar\w*[^.]{0,40}?not required", re.IGNORECASE)


def _eur(usd: str) -> float | None:
    """ "$26,000" -> EUR at the fixed rate of :mod:`scrapers.normalize`."""
    return normalize.parse_money(usd)


class UsEmbassyScraper(BaseScraper):
    name = "usembassy"
    source_name = "U.S. Embassy in Latvia"
    funder = "U.S. Embassy Riga"
    start_urls = ("https://lv.usembassy.gov/education-culture/grants/",)
    language = "en"
    may_be_empty = True
    fixture_pages = {
        "https://lv.usembassy.gov/education-culture/grants/": "grants.html",
        "https://lv.usembassy.gov/nofo-small-grants-2027-steam-education-youth-entrepreneurship/":
            "nofo_steam-2027.html",
        "https://lv.usembassy.gov/annual-program-statement-small-grants-2027/": "nofo_aps-2027.html",
    }

    def parse(self, text: str, url: str, meta: dict | None = None) -> Iterator[GrantCall | Request]:
        """The grants page: one request per current funding opportunity (there may be none)."""
        soup = self.make_soup(text)
        content = self.select_one(soup, ".entry-content", url=url)
        current = self.select_one(content, "ul.funding-opportunities", url=url)
        for link in current.select("a[href]"):
            yield Request(urljoin(url, link["href"]), callback="parse_nofo")

    def parse_nofo(self, text: str, url: str, meta: dict | None = None) -> Iterator[GrantCall]:
        """One Notice of Funding Opportunity."""
        soup = self.make_soup(text)
        article = self.select_one(soup, "article", url=url)
        body = self.select_one(article, ".entry-content", url=url)
        lines = normalize.clean_text(str(body))
        heading = normalize.clean_text(self.select_one(article, "h1", url=url).get_text(" "))
        title = self._parse_field(_TITLE, lines) or heading
        deadline, deadline_text = self._parse_deadline(lines)
        lo, hi = self._parse_award_range(lines)
        total = _eur(m.group(1)) if (m := _TOTAL.search(lines)) else None
        rate = normalize.EUR_PER_UNIT["USD"]
        summary = f"{lines}\n\nAmounts are published in USD and converted at {rate} EUR per USD."
        number = self._parse_field(_NUMBER, lines)
        yield GrantCall(
            id=self.make_id(number or url.rstrip("/").rsplit("/", 1)[-1]),
            source=self.name,
            title=title,
            url=url,
            language=normalize.detect_language(lines) or self.language,
            summary=summary,
            funder=self.funder,
            programme="Annual Program Statement" if "Annual Program Statement" in title else "Small Grants",
            eligible_applicants=self._parse_applicants(lines),
            geography=normalize.find_geography(lines) or ("LV",),
            min_amount_eur=lo,
            max_amount_eur=hi,
            total_budget_eur=total,
            cofinancing_pct=0.0 if _NO_COST_SHARE.search(lines) else normalize.find_cofinancing_pct(lines),
            deadline=deadline,
            deadline_text=deadline_text,
        )

    @staticmethod
    def _parse_field(pattern: re.Pattern[str], text: str) -> str | None:
        m = pattern.search(text)
        return m.group(1).strip() if m else None

    def _parse_deadline(self, text: str):
        """"Deadline for Applications: March 15, 2027" -> date; "rolling basis" -> (None, the words)."""
        m = _DEADLINE.search(text)
        if not m:
            return normalize.find_deadline(text)
        phrase = m.group(0).strip()
        if _ROLLING.search(phrase):
            return None, phrase
        return normalize.parse_date(m.group(1)), phrase

    @staticmethod
    def _parse_applicants(text: str) -> tuple[ApplicantType, ...]:
        """NOFO wording: "not-for-profit organizations ... civil society/non-governmental organizations,
        non-profit educational institutions, and individuals". normalize.find_applicants finds nothing
        when the list follows "encourages applications from" (only the negative for-profit sentence
        counts as applicant context), so the Embassy's fixed vocabulary is read here; for-profit
        entities are never eligible."""
        found: list[ApplicantType] = []
        if re.search(r"not-for-profit|non-?profit organi|non-governmental|civil society", text, re.IGNORECASE):
            found += [ApplicantType.ASSOCIATION, ApplicantType.FOUNDATION]
        if re.search(r"educational institutions?", text, re.IGNORECASE):
            found.append(ApplicantType.SCHOOL)
        if re.search(r"\bindividuals\b", text, re.IGNORECASE):
            found.append(ApplicantType.INDIVIDUAL)
        return tuple(found)

    def _parse_award_range(self, text: str) -> tuple[float | None, float | None]:
        """Per-award minimum and maximum, USD converted to EUR."""
        if m := _RANGE.search(text):
            return _eur(m.group(1)), _eur(m.group(2))
        if m := _MAX.search(text):
            return None, _eur(m.group(1))
        return None, None
