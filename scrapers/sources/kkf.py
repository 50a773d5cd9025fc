"""Valsts kultūrkapitāla fonds (VKKF / KKF): project competitions, rounds and target programmes.

Pages read: the "Aktualitātes" list ``https://www.kkf.lv/lv/aktualitates`` (cards
``article.news-card``: date, title, lead) and each call's article
``https://www.kkf.lv/lv/aktualitates/<slug>`` (``article.news-article``).
Quirks: no feed; only the first list page is read (calls are recent). Three rounds a year
("2027. gada 1. projektu konkurss", deadlines late January / May / September) plus target
programmes (mērķprogrammas, e.g. “Latvijas skolas soma”); the deadline is stated with an hour in the
nominative ("termiņš – 2027. gada 4. februāris plkst. 23.59"), kept in ``deadline_text``. Results,
expert-commission and office-hours news are skipped. Applications go through the VKKF e-system,
which is not read.
"""

from __future__ import annotations

import re

from scrapers.govlv import NewsListScraper, find_programme

_ROUND = re.compile(r"(\d{4})\. gada (\d)\. projektu konkurs\w*", re.IGNORECASE)


class KkfScraper(NewsListScraper):
    name = "kkf"
    source_name = "Valsts kultūrkapitāla fonds"
    funder = "Valsts kultūrkapitāla fonds"
    start_urls = ("https://www.kkf.lv/lv/aktualitates",)
    areas = ("culture",)
    card_css = "article.news-card"
    link_css = "a.news-card__link"
    card_title_css = ".news-card__title"
    card_lead_css = ".news-card__lead"
    card_date_css = "time.news-card__date"
    article_css = "article.news-article"
    title_css = "h1.news-article__title"
    date_css = "time.news-article__date"
    body_css = ".news-article__body"
    fixture_pages = {
        "https://www.kkf.lv/lv/aktualitates": "aktualitates.html",
        "https://www.kkf.lv/lv/aktualitates/izsludinats-2027-gada-1-projektu-konkurss": "detail_2027-1-konkurss.html",
        "https://www.kkf.lv/lv/aktualitates/merkprogramma-latvijas-skolas-soma-2027":
            "detail_latvijas-skolas-soma.html",
    }

    def _parse_programme(self, title: str, text: str) -> str | None:
        """"VKKF 2027. gada 1. projektu konkurss" for a round, "mērķprogramma “X”" for a target programme."""
        m = _ROUND.search(f"{title}\n{text}")
        if m:
            return f"VKKF {m.group(1)}. gada {m.group(2)}. projektu konkurss"
        named = find_programme(text)
        if named and re.search(r"mērķprogramm", f"{title}\n{text}", re.IGNORECASE):
            return f"mērķprogramma “{named}”"
        return named
