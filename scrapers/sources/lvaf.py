"""Latvijas vides aizsardzības fonds (LVAF), administered by VRAA on the gov.lv platform.

Pages read: ``https://www.vraa.gov.lv/lv/rss/articles`` and the articles
``https://www.vraa.gov.lv/lv/jaunums/<slug>`` (see :mod:`scrapers.govlv`).
Quirks: VRAA's feed carries all of the agency's news (EU funds, regional development, municipal
calls); only items that name LVAF or "vides aizsardzības fond..." (title, description or tag) are
read. LVAF council decisions ("padome apstiprina projektus") are skipped. Two-stage calls state a
concept deadline ("koncepciju iesniegšanas termiņš"), which is taken as the deadline; the grant cap
("LVAF finansējums nedrīkst pārsniegt 85%") becomes a 15 % co-financing share.
The old site lvafa.gov.lv is an archive and is not read.
"""

from __future__ import annotations

from scrapers.govlv import GovLvScraper


class LvafScraper(GovLvScraper):
    name = "lvaf"
    source_name = "Latvijas vides aizsardzības fonds (VRAA)"
    funder = "Latvijas vides aizsardzības fonds"
    host = "www.vraa.gov.lv"
    required_words = (r"LVAF", r"vides aizsardzības fond\w*")
    programme = "Latvijas vides aizsardzības fonds"
    fixture_pages = {
        "https://www.vraa.gov.lv/lv/rss/articles": "rss_articles.xml",
        "https://www.vraa.gov.lv/lv/jaunums/lvaf-izsludina-konkursu-jauniesu-vides-apzinas-veicinasanas-pasakumi":
            "jaunums_jauniesu-vides-apzina.html",
        "https://www.vraa.gov.lv/lv/jaunums/praktiskas-videjas-vides-iniciativas-izsludinats-divpakapju-konkurss":
            "jaunums_praktiskas-vides-iniciativas.html",
    }
