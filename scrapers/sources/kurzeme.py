"""Kurzemes plānošanas reģions — calls announced on kurzemesregions.lv (Kurzemes kultūras programma etc.).

Pages read: the WordPress RSS feed ``https://kurzemesregions.lv/feed/`` (title, link, date, excerpt)
and each call-like post page (``/<slug>/``: ``h1.entry-title``, ``time.entry-date``,
``div.entry-content``).

Quirks: the feed mixes calls with council meetings, bus timetable changes, Interreg project news and
competition results; titles decide first (results/meetings are skipped), then a post is a call only
when its page states an application deadline. The Kurzemes kultūras programma (VKKF + LVM) sets no
per-project cap and takes applications in the VKKF e-system; the deadline carries an hour
("līdz 2026. gada 26. martam plkst. 23.59"). The feed holds the last ~10 posts only, so a weekly
run is needed not to miss a call. Fixtures are hand-made in the site's structure (no saved real page
was available; see shared/SOURCES.md §1b).
"""

from __future__ import annotations

from typing import ClassVar

from scrapers.wordpress import WordPressFeedScraper


class KurzemesRegionsScraper(WordPressFeedScraper):
    name = "kurzeme"
    source_name = "Kurzemes plānošanas reģions"
    funder = "Kurzemes plānošanas reģions"
    start_urls = ("https://kurzemesregions.lv/feed/",)
    default_geography: ClassVar[tuple[str, ...]] = ("Kurzeme",)
    fixture_pages: ClassVar[dict[str, str]] = {
        "https://kurzemesregions.lv/feed/": "feed.xml",
        **{
            f"https://kurzemesregions.lv/{slug}/": f"{slug}.html"
            for slug in (
                "izsludinats-jauniesu-iniciativu-projektu-konkurss-jauniesi-kurzemei-2027",
                "kurzemes-planosanas-regiona-attistibas-padomes-sede-novembri",
                "noslegusies-interreg-projekta-coastal-heritage-partneru-tiksanas",
                "izmainas-regionalo-autobusu-marsrutos-no-1-decembra",
                "kurzemes-kulturas-programmas-2026-rezultati-atbalstu-sanems-38-projekti",
                "izsludinats-kurzemes-kulturas-programmas-2026-gada-projektu-konkurss",
            )
        },
    }

    def _programme(self, title: str) -> str | None:
        """The Kurzemes kultūras programma is named in its posts' titles."""
        return "Kurzemes kultūras programma" if "kultūras programm" in title.lower() else None
