"""``python -m scrapers.cli``: the scraping commands alone (scrape, sources, parse, save-fixture).

The same commands as ``grantmatch scrape`` and friends (registered from :mod:`grantmatch.cli_scrape`,
not a copy), for maintainers who work on a scraper: ``python -m scrapers.cli save-fixture sif``
saves the source's start page where its tests read it.
"""

from __future__ import annotations

from grantmatch import cli_scrape
from grantmatch.cli import new_app

app = new_app("scrapers", "Scrapers of grantmatch: the weekly job, source health, parsing and saving pages.")
cli_scrape.register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
