"""Jaunatnes starptautisko programmu aģentūra (JSPA): Erasmus+ youth, European Solidarity Corps
and the national youth-policy programme.

Pages read: the WordPress news list ``https://jaunatne.gov.lv/jaunumi/`` (``article.post`` with
``h2.entry-title a``, ``time.entry-date``, ``.entry-summary``) and each post
``https://jaunatne.gov.lv/jaunumi/<slug>/`` (``.entry-content``).
Quirks: Erasmus+ and ESC deadlines are fixed by the EU Programme Guide (about 18–23 February,
5 March for partnerships, 1 October) and published as "plkst. 13.00 pēc Latvijas laika (12.00 pēc
Briseles laika)"; the date is kept, the hour stays in ``deadline_text``. Erasmus+ grants are unit
costs or lump sums ("30 000 vai 60 000 eiro"), so amounts are often empty. A ``/feed/`` exists on
WordPress sites but is not relied on. Results ("Apstiprināti ... projekti") and forum news are skipped.
"""

from __future__ import annotations

from scrapers.govlv import NewsListScraper


class JspaScraper(NewsListScraper):
    name = "jspa"
    source_name = "Jaunatnes starptautisko programmu aģentūra"
    funder = "Jaunatnes starptautisko programmu aģentūra"
    start_urls = ("https://jaunatne.gov.lv/jaunumi/",)
    areas = ("children_youth",)
    card_css = "main article.post"
    link_css = "h2.entry-title a"
    card_title_css = "h2.entry-title"
    card_lead_css = ".entry-summary"
    card_date_css = "time.entry-date"
    article_css = "main article.post"
    title_css = "h1.entry-title"
    date_css = "time.entry-date"
    body_css = ".entry-content"
    fixture_pages = {
        "https://jaunatne.gov.lv/jaunumi/": "jaunumi.html",
        "https://jaunatne.gov.lv/jaunumi/erasmus-jaunatne-2027-oktobra-termins/": "single_erasmus-oktobris.html",
        "https://jaunatne.gov.lv/jaunumi/esk-solidaritates-projekti-2027/": "single_esk-solidaritate.html",
        "https://jaunatne.gov.lv/jaunumi/jaunatnes-politikas-programma-2027-lokalais-limenis/":
            "single_jaunatnes-politika-lokali.html",
    }

    def _parse_programme(self, title: str, text: str) -> str | None:
        both = f"{title}\n{text}"
        if "Erasmus+" in both:
            return "Erasmus+"
        if "Solidaritātes korpus" in both:
            return "Eiropas Solidaritātes korpuss"
        if "Jaunatnes politikas valsts programm" in both:
            return "Jaunatnes politikas valsts programma"
        return super()._parse_programme(title, text)
