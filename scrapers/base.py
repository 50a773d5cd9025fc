"""The scraper base class, the request a scraper asks for, and the result of one run.

A source module subclasses :class:`BaseScraper`, declares its attributes, and writes a *pure*
``parse`` (text in, :class:`~grantmatch.models.GrantCall` records and follow-up :class:`Request`
objects out; no network, no clock). ``run`` does the rest: it fetches the start requests through the
shared :class:`scrapers.http.HttpClient`, follows the requests the callbacks yield, records a failure
of one page in ``ScrapeResult.errors`` and goes on with the others, and fails with
:class:`~scrapers.errors.ScrapeError` when a run yields no call at all (unless ``may_be_empty``).
"""

from __future__ import annotations

import json
import logging
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from bs4 import BeautifulSoup, Tag

from grantmatch.models import GrantCall
from scrapers.errors import LayoutChanged, ScrapeError
from scrapers.normalize import slugify

if TYPE_CHECKING:  # pragma: no cover
    from scrapers.http import HttpClient

logger = logging.getLogger(__name__)

MAX_ID_SLUG = 80


@dataclass(frozen=True)
class Request:
    """What a scraper asks the runner to fetch; ``meta`` is handed to the callback."""

    url: str
    callback: str = "parse"
    method: str = "GET"
    data: Any = None
    files: Any = None
    headers: dict | None = None
    meta: dict = field(default_factory=dict)

    def key(self) -> str:
        """Identity used to fetch the same request only once per run."""
        body = ""
        if self.data is not None or self.files is not None:
            body = json.dumps([_jsonable(self.data), _jsonable(self.files)], sort_keys=True, default=str)
        return f"{self.method.upper()} {self.url} {body}"


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


@dataclass(frozen=True)
class Page:
    """A fetched page. ``url`` is the real URL asked for (never the test transport URL)."""

    url: str
    final_url: str
    status: int
    text: str
    from_cache: bool = False
    not_modified: bool = False


@dataclass
class ScrapeResult:
    """What one run of one source produced."""

    source: str
    calls: list[GrantCall]
    pages: int = 0
    errors: list[str] = field(default_factory=list)
    not_modified: int = 0
    seconds: float = 0.0


class BaseScraper:
    """Base class of every source. Subclasses set the class attributes and write ``parse``."""

    name: ClassVar[str]
    source_name: ClassVar[str]
    funder: ClassVar[str]
    start_urls: ClassVar[tuple[str, ...]] = ()
    language: ClassVar[str] = "lv"
    areas: ClassVar[tuple[str, ...]] = ()
    timezone: ClassVar[str] = "Europe/Riga"
    may_be_empty: ClassVar[bool] = False
    max_pages: ClassVar[int] = 60
    fixture_pages: ClassVar[dict[str, str]] = {}
    """Real URL -> fixture file name under ``tests/fixtures/<name>/`` (for the end-to-end bench)."""

    # ------------------------------------------------------------------ what to fetch and parse

    def start_requests(self) -> Iterable[Request]:
        """The first requests of a run: by default a GET of each start URL, parsed by ``parse``."""
        for url in self.start_urls:
            yield Request(url)

    def parse(self, text: str, url: str, meta: dict | None = None) -> Iterator[GrantCall | Request]:
        """Pure: page text in, calls and follow-up requests out."""
        raise NotImplementedError(f"{type(self).__name__}.parse is not written")

    # ------------------------------------------------------------------ helpers for parsers

    @staticmethod
    def make_soup(text: str) -> BeautifulSoup:
        """Parse HTML leniently (the stdlib parser copes with broken markup)."""
        return BeautifulSoup(text, "html.parser")

    def select(self, soup: Tag, css: str, *, url: str, min_items: int = 1) -> list[Tag]:
        """All elements matching ``css``; :class:`LayoutChanged` when fewer than ``min_items``."""
        found = soup.select(css)
        if len(found) < min_items:
            raise LayoutChanged(
                f"{self.name}: expected >={min_items} {css!r} at {url}, found {len(found)}",
                source=self.name,
                url=url,
            )
        return list(found)

    def select_one(self, soup: Tag, css: str, *, url: str) -> Tag:
        """The first element matching ``css``; :class:`LayoutChanged` when there is none."""
        found = soup.select_one(css)
        if found is None:
            raise LayoutChanged(f"{self.name}: expected 1 {css!r} at {url}, found 0", source=self.name, url=url)
        return found

    def make_id(self, key: str) -> str:
        """A stable id ``<name>-<slug of key>``; the same key gives the same id every week."""
        slug = slugify(key, max_length=MAX_ID_SLUG)
        if not slug:
            raise ScrapeError(f"{self.name}: expected a non-empty id key, found {key!r}", source=self.name)
        return f"{self.name}-{slug}"

    # ------------------------------------------------------------------ the run

    def run(self, client: HttpClient, *, today: date | None = None) -> ScrapeResult:
        """Fetch the start requests, follow the requests the callbacks yield, collect the calls.

        ``today`` (if given) is put into every request's ``meta`` as ``meta["today"]``: parsers that
        must choose e.g. the next future cut-off read it from there and stay pure.
        """
        started = time.monotonic()
        result = ScrapeResult(source=self.name, calls=[])
        failures: list[BaseException] = []
        queue: deque[Request] = deque()
        for req in self.start_requests():
            queue.append(_with_today(req, today))
        seen: set[str] = set()
        ids: dict[str, int] = {}
        while queue:
            req = queue.popleft()
            k = req.key()
            if k in seen:
                continue
            seen.add(k)
            if result.pages >= self.max_pages:
                result.errors.append(
                    f"{self.name}: expected <= {self.max_pages} pages per run, found more; "
                    f"{len(queue) + 1} requests left unfetched (next: {req.url})"
                )
                break
            try:
                page = client.fetch(req, source=self.name)
                result.pages += 1
                if page.not_modified:
                    result.not_modified += 1
                callback = getattr(self, req.callback, None)
                if callback is None:
                    raise ScrapeError(
                        f"{self.name}: expected a method {req.callback!r} for {req.url}, found none",
                        source=self.name,
                        url=req.url,
                    )
                for item in callback(page.text, req.url, dict(req.meta)):
                    if isinstance(item, Request):
                        queue.append(_with_today(item, today))
                    elif isinstance(item, GrantCall):
                        if item.id in ids:
                            # the same call from two pages of one source: keep the richer one
                            old = result.calls[ids[item.id]]
                            if _richness(item) > _richness(old):
                                result.calls[ids[item.id]] = item
                            continue
                        ids[item.id] = len(result.calls)
                        result.calls.append(item)
                    else:
                        raise ScrapeError(
                            f"{self.name}: expected GrantCall or Request from {req.callback}, "
                            f"found {type(item).__name__} at {req.url}",
                            source=self.name,
                            url=req.url,
                        )
            except ScrapeError as exc:
                failures.append(exc)
                result.errors.append(str(exc))
                logger.warning("page failed", extra={"source": self.name, "url": req.url, "error": str(exc)})
            except Exception as exc:  # a parser bug on one page must not stop the other pages
                failures.append(exc)
                result.errors.append(f"{self.name}: parsing {req.url} failed: {type(exc).__name__}: {exc}")
                logger.warning("page failed", extra={"source": self.name, "url": req.url, "error": repr(exc)})
        result.seconds = time.monotonic() - started
        if not result.calls and not self.may_be_empty:
            if failures and isinstance(failures[0], ScrapeError):
                raise failures[0]
            detail = "; ".join(result.errors) if result.errors else "no page yielded a call"
            raise ScrapeError(
                f"{self.name}: expected >=1 call from {result.pages} page(s), found 0 ({detail})",
                source=self.name,
            ) from (failures[0] if failures else None)
        if not result.calls and failures:
            # an empty source is allowed, a broken one is not
            raise failures[0] if isinstance(failures[0], ScrapeError) else ScrapeError(
                result.errors[0], source=self.name
            )
        logger.info("scrape finished", extra={"source": self.name, "found": len(result.calls)})
        return result


def _with_today(req: Request, today: date | None) -> Request:
    if today is None or "today" in req.meta:
        return req
    return replace(req, meta={**req.meta, "today": today})


def _richness(call: GrantCall) -> int:
    """How many fields a call fills (used to keep the richer of two records)."""
    filled = 0
    for name in call.__dataclass_fields__:
        value = getattr(call, name)
        if value not in (None, "", ()):
            filled += 1
    return filled * 100_000 + len(call.summary)
