"""Kurzemes NVO atbalsta centrs (Talsi) — calls on kurzemesnvo.lv ("Iesaisties Kurzemē!", micro-grants).

Pages read: the WordPress RSS feed ``https://kurzemesnvo.lv/feed/`` and each call-like post page
(``h1.entry-title``, ``time.entry-date``, ``div.entry-content``).

Quirks: most posts are seminars ("Kā uzrakstīt labu projekta pieteikumu" — call words, and a
"pieteikties līdz" date, but no call), forums, consultation hours and results; the title filter
skips them. Calls say "Līdzfinansējums no pieteicēja netiek prasīts" (read as 0 %) and take
applications by e-mail. The centre re-grants money of others (KM via SIF, Active Citizens Fund), so
the funder named is the centre itself. Fixtures are hand-made in the site's structure (see
shared/SOURCES.md §1b).
"""

from __future__ import annotations

from typing import ClassVar

from scrapers.wordpress import WordPressFeedScraper


class KurzemesNvoScraper(WordPressFeedScraper):
    name = "kurzemesnvo"
    source_name = "Kurzemes NVO atbalsta centrs"
    funder = "Kurzemes NVO atbalsta centrs"
    start_urls = ("https://kurzemesnvo.lv/feed/",)
    default_geography: ClassVar[tuple[str, ...]] = ("Kurzeme",)
    fixture_pages: ClassVar[dict[str, str]] = {
        "https://kurzemesnvo.lv/feed/": "feed.xml",
        **{
            f"https://kurzemesnvo.lv/{slug}/": f"{slug}.html"
            for slug in (
                "mikrogranti-kurzemes-nvo-kapacitates-stiprinasanai",
                "seminars-ka-uzrakstit-labu-projekta-pieteikumu",
                "kurzemes-nvo-forums-2026-talsos",
                "noskaidroti-iesaisties-kurzeme-2026-rezultati",
                "izsludinats-konkurss-iesaisties-kurzeme-2026",
                "konsultaciju-laiki-vasara",
            )
        },
    }

    def _programme(self, title: str) -> str | None:
        return "Iesaisties Kurzemē!" if "iesaisties kurzem" in title.lower() else None
