"""Labklājības ministrija (LM): NGO project competitions in the welfare field.

Pages read: ``https://www.lm.gov.lv/lv/rss/articles`` and the articles
``https://www.lm.gov.lv/lv/jaunums/<slug>`` (see :mod:`scrapers.govlv`).
Quirks: the ministry's feed is mostly policy news (pensions, benefits, meetings with NGOs), which
has no call words and is skipped. The yearly "NVO projektu īstenošana labklājības jomā" call
(spring) states the total, a per-project cap, "one application per organisation" and an
implementation end date; the implementation end is not taken for the deadline because the
deadline sentence ("jāiesniedz līdz ...") is preferred by ``normalize.find_deadline``.
"""

from __future__ import annotations

from scrapers.govlv import GovLvScraper


class LmScraper(GovLvScraper):
    name = "lm"
    source_name = "Labklājības ministrija"
    funder = "Labklājības ministrija"
    host = "www.lm.gov.lv"
    fixture_pages = {
        "https://www.lm.gov.lv/lv/rss/articles": "rss_articles.xml",
        "https://www.lm.gov.lv/lv/jaunums/"
        "izsludinats-konkurss-nevalstisko-organizaciju-projektu-istenosana-labklajibas-joma-2027-gada":
            "jaunums_nvo-projekti-labklajibas-joma-2027.html",
        "https://www.lm.gov.lv/lv/jaunums/atbalsts-nvo-kas-parstav-cilvekus-ar-invaliditati":
            "jaunums_atbalsts-nvo-invaliditate.html",
    }
