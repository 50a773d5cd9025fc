"""Nordic Council of Ministers' Office in Latvia (norden.lv): Nordic-Baltic NGO programme, culture
mobility and other Nordic programmes, in Latvian and English.

Pages read: ``https://www.norden.lv/lv/aktualitates/jaunumi/`` and the English mirror
``https://www.norden.lv/en/whats-new/news/`` (``.news-list__item`` cards with
``a.news-list__link``), then each article (``article.news-detail``, text in ``.news-detail__content``).
Quirks: the two languages are separate lists with different items; the language of each call is
detected from its text. The NGO programme opens on 1 February ("no 1. februāra līdz ...", "open
from 1 February 2027 until ..."), so ``open_date`` matters; the grant cap "ne vairāk kā 80%" gives a
20 % co-financing share. Geography is the Nordic-Baltic region when the text names it.
"""

from __future__ import annotations

import re

from scrapers.govlv import NewsListScraper


class NordenScraper(NewsListScraper):
    name = "norden"
    source_name = "Ziemeļvalstu Ministru padomes birojs Latvijā"
    funder = "Ziemeļvalstu Ministru padome"
    start_urls = (
        "https://www.norden.lv/lv/aktualitates/jaunumi/",
        "https://www.norden.lv/en/whats-new/news/",
    )
    card_css = ".news-list .news-list__item"
    link_css = "a.news-list__link"
    card_title_css = ".news-list__title"
    card_lead_css = ".news-list__excerpt"
    card_date_css = ".news-list__date"
    article_css = "article.news-detail"
    title_css = "h1.news-detail__title"
    date_css = ".news-detail__date"
    body_css = ".news-detail__content"
    fixture_pages = {
        "https://www.norden.lv/lv/aktualitates/jaunumi/": "jaunumi_lv.html",
        "https://www.norden.lv/en/whats-new/news/": "news_en.html",
        "https://www.norden.lv/lv/aktualitates/jaunumi/ziemelvalstu-un-baltijas-valstu-nvo-programma-2027/":
            "detail_lv_nvo-programma.html",
        "https://www.norden.lv/en/whats-new/news/nordic-baltic-mobility-programme-for-culture-network-funding-2027/":
            "detail_en_mobility-network.html",
    }

    def _parse_programme(self, title: str, text: str) -> str | None:
        """The programme named in the title ("... NVO programma 2027", "... Programme for Culture: ...")."""
        head = re.split(r":| \d{4}\b", title, maxsplit=1)[0].strip(" –-")
        if re.search(r"programm|nordplus", head, re.IGNORECASE):
            return head
        return super()._parse_programme(title, text)
