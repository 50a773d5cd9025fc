"""Sabiedrības integrācijas fonds (SIF): NVO fonds and the fund's other programmes.

Pages read: the gov.lv platform feed ``https://www.sif.gov.lv/lv/rss/articles`` and each call's
article ``https://www.sif.gov.lv/lv/jaunums/<slug>`` (see :mod:`scrapers.govlv`).
Quirks: the feed mixes calls with council meetings, vacancies, seminars and results ("Apstiprināti
... rezultāti"), which are skipped; rules and forms are attachments (PDF/DOCX) that are not read, so
amounts and deadlines come from the article text. NVO fonds is announced in September with a
deadline in autumn or the next year; programme names are quoted (“NVO fonds”).
"""

from __future__ import annotations

from scrapers.govlv import GovLvScraper


class SifScraper(GovLvScraper):
    name = "sif"
    source_name = "Sabiedrības integrācijas fonds"
    funder = "Sabiedrības integrācijas fonds"
    host = "www.sif.gov.lv"
    fixture_pages = {
        "https://www.sif.gov.lv/lv/rss/articles": "rss_articles.xml",
        "https://www.sif.gov.lv/lv/jaunums/izsludinats-nvo-fonda-projektu-konkurss-2028-gada-istenojamiem-projektiem":
            "jaunums_nvo-fonds-2028.html",
        "https://www.sif.gov.lv/lv/jaunums/aicinam-pieteikties-diasporas-un-latvijas-bernu-kopejam-nometnem":
            "jaunums_diasporas-nometnes.html",
        "https://www.sif.gov.lv/lv/jaunums/mazakumtautibu-un-sabiedribas-saliedetibas-programma-izsludinats-atklats-konkurss":
            "jaunums_mazakumtautibu-programma.html",
    }
