"""Latvijas Pilsoniskā alianse (LPA), nvo.lv: its own small re-grants and reposts of others' calls.

Pages read: the news list ``https://nvo.lv/lv/zinas`` (``.news-list .news-item``: date, category,
``h2.news-item__title a``) and each item ``https://nvo.lv/lv/zina/<slug>`` (``.article__text``).
Quirks: many items repost other funders' calls (SIF, LVAF, ...), which duplicate those sources;
they are kept with source ``nvo`` and the runner's dedupe merges them. Event recordings, surveys and
forum news are skipped. LPA's own grants are small (300–1 000 €) and often exclude Rīga ("ārpus
Rīgas"), which must not be read as geography "Rīga".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from grantmatch.models import GrantCall
from scrapers.govlv import NewsListScraper

# Abbreviations that open the title of a reposted call -> the funder's name.
_REPOSTED_FUNDERS = {
    "SIF": "Sabiedrības integrācijas fonds",
    "LVAF": "Latvijas vides aizsardzības fonds",
    "VKKF": "Valsts kultūrkapitāla fonds",
    "KKF": "Valsts kultūrkapitāla fonds",
    "JSPA": "Jaunatnes starptautisko programmu aģentūra",
    "LM": "Labklājības ministrija",
    "KM": "Kultūras ministrija",
    "LPA": "Latvijas Pilsoniskā alianse",
}


class NvoScraper(NewsListScraper):
    name = "nvo"
    source_name = "Latvijas Pilsoniskā alianse (nvo.lv)"
    funder = "Latvijas Pilsoniskā alianse"
    start_urls = ("https://nvo.lv/lv/zinas",)
    card_css = ".news-list .news-item"
    link_css = "h2.news-item__title a"
    card_title_css = "h2.news-item__title"
    card_date_css = ".news-item__date"
    article_css = "article.article"
    title_css = "h1.article__title"
    date_css = ".article__date"
    body_css = ".article__text"
    fixture_pages = {
        "https://nvo.lv/lv/zinas": "zinas.html",
        "https://nvo.lv/lv/zina/lpa-izsludina-mazo-grantu-konkursu-kopienu-iniciativam": "zina_lpa-mazie-granti.html",
        "https://nvo.lv/lv/zina/sif-izsludina-nvo-fonda-konkursu-2028": "zina_sif-nvo-fonds.html",
    }

    def parse_article(self, text: str, url: str, meta: dict | None = None) -> Iterator[GrantCall]:
        """As the base, but a repost of another funder's call names that funder, not LPA."""
        for call in super().parse_article(text, url, meta):
            yield replace(call, funder=self._parse_funder(call.title, call.summary))

    def _parse_funder(self, title: str, text: str) -> str | None:
        first = re.match(r"[“\"]?(\w+)", title)
        if first and first.group(1) in _REPOSTED_FUNDERS:
            return _REPOSTED_FUNDERS[first.group(1)]
        if re.search(r"\bLPA\b|Pilsonisk\w* alians\w*", f"{title}\n{text}", re.IGNORECASE):
            return self.funder
        return None  # someone else's call whose funder is not one of the known abbreviations
