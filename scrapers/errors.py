"""Errors raised by the scrapers.

Every message says who, what was expected, what was found and where::

    liepaja: expected >=1 'article.call' at https://www.liepaja.lv/nvo-projekti/, found 0
"""

from __future__ import annotations


class ScrapeError(Exception):
    """Base class: a source could not be scraped as expected."""

    def __init__(self, message: str, *, source: str = "", url: str = "") -> None:
        super().__init__(message)
        self.source = source
        self.url = url


class FetchError(ScrapeError):
    """Network error, timeout, HTTP error status, response too large or a redirect loop."""

    def __init__(self, message: str, *, source: str = "", url: str = "", status: int | None = None) -> None:
        super().__init__(message, source=source, url=url)
        self.status = status


class RobotsDisallowed(FetchError):
    """robots.txt of the host forbids fetching the URL."""


class LayoutChanged(ScrapeError):
    """A selector found the wrong number of elements: the page no longer looks as the parser expects."""
