"""The scraper base class, the request a scraper asks for, and the result of one run.

A source module subclasses :class:`BaseScraper`, declares its attributes, and writes a *pure*
``parse`` (text in, :class:`~grantmatch.models.GrantCall` records and follow-up :class:`Request`
objects out; no network, no clock). ``run`` does the rest: it fetches the start requests through the
shared :class:`scrapers.http.HttpClient`, follows the requests the callbacks yield, records a failure
of one page in ``ScrapeResult.errors`` and goes on with the others, and fails with
:class:`~scrapers.errors.ScrapeError` when a run yields no call at all (unless ``may_be_empty``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
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


class _TrackedMeta(dict):
    """``meta`` handed to a callback; remembers whether the parser looked at ``meta["today"]``.

    Reading "today" in any way (get, [], in, iteration, copying) marks the result as depending on the
    date, so it is cached for that date only; otherwise it is valid on any date.
    """

    used_today = False

    def __getitem__(self, key):
        if key == "today":
            self.used_today = True
        return super().__getitem__(key)

    def get(self, key, default=None):
        if key == "today":
            self.used_today = True
        return super().get(key, default)

    def __contains__(self, key) -> bool:
        if key == "today":
            self.used_today = True
        return super().__contains__(key)

    def _all(self):
        self.used_today = True

    def __iter__(self):
        self._all()
        return super().__iter__()

    def keys(self):
        self._all()
        return super().keys()

    def items(self):
        self._all()
        return super().items()

    def values(self):
        self._all()
        return super().values()

    def copy(self):
        self._all()
        return dict(super().items())

    def pop(self, key, *default):
        if key == "today":
            self.used_today = True
        return super().pop(key, *default)


def _code_version() -> str:
    """Hash of the parsing code (scrapers/ and the domain model): a code change invalidates the cache."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted([*root.rglob("*.py"), root.parent / "grantmatch" / "models.py"]):
        try:
            digest.update(path.read_bytes())
        except OSError:
            continue
    return digest.hexdigest()[:16]


class ParseCache:
    """What a callback yielded for a page text, so an unchanged page is not parsed again.

    Keyed by scraper class, callback, URL, the page text, the callback's ``meta`` (without
    ``today`` unless the parser read it) and the version of the parsing code. Stored in SQLite next
    to the HTTP cache; entries unused for ``max_age_days`` are dropped when it is opened. One
    connection serves every thread of a parallel run (its calls are serialised by a lock).
    """

    def __init__(self, path: Path, *, max_age_days: int = 60) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.version = _code_version()
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(self.path), timeout=30, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute("CREATE TABLE IF NOT EXISTS parsed (key TEXT PRIMARY KEY, items BLOB, used REAL)")
        self._db.execute("CREATE TABLE IF NOT EXISTS robots (base TEXT PRIMARY KEY, body TEXT, fetched REAL)")
        self._db.execute("DELETE FROM parsed WHERE used < ?", (time.time() - max_age_days * 86400,))

    def get_robots(self, base: str, *, max_age: float) -> str | None:
        """A robots.txt body fetched less than ``max_age`` seconds ago ("" = none, all allowed)."""
        with self._lock:
            row = self._db.execute(
                "SELECT body FROM robots WHERE base = ? AND fetched > ?", (base, time.time() - max_age)
            ).fetchone()
        return None if row is None else row[0]

    def put_robots(self, base: str, body: str) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO robots VALUES (?, ?, ?)", (base, body, time.time()))

    def _key(self, scraper: BaseScraper, req: Request, text: str, with_today: bool) -> str:
        meta = {k: v for k, v in req.meta.items() if with_today or k != "today"}
        raw = json.dumps(
            [self.version, type(scraper).__module__, type(scraper).__qualname__, req.callback, req.url,
             _jsonable(meta), with_today],
            sort_keys=True,
            default=str,
        )  # fmt: skip
        digest = hashlib.sha256(raw.encode("utf-8"))
        digest.update(text.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def get(self, scraper: BaseScraper, req: Request, text: str) -> list | None:
        for with_today in (False, True):
            key = self._key(scraper, req, text, with_today)
            with self._lock:
                row = self._db.execute("SELECT items FROM parsed WHERE key = ?", (key,)).fetchone()
            if row is not None:
                try:
                    items = pickle.loads(row[0])
                except Exception:  # written by other code: parse again
                    continue
                with self._lock:
                    self._db.execute("UPDATE parsed SET used = ? WHERE key = ?", (time.time(), key))
                    self.hits += 1
                return items
        with self._lock:
            self.misses += 1
        return None

    def put(self, scraper: BaseScraper, req: Request, text: str, items: list, *, used_today: bool) -> None:
        key = self._key(scraper, req, text, used_today)
        try:
            blob = pickle.dumps(items, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # something unpicklable: simply do not cache it
            return
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO parsed VALUES (?, ?, ?)", (key, blob, time.time()))

    def close(self) -> None:
        with self._lock:
            self._db.close()


class BaseScraper:
    """Base class of every source. Subclasses set the class attributes and write ``parse``."""

    name: ClassVar[str]
    source_name: ClassVar[str]
    funder: ClassVar[str]
    start_urls: ClassVar[tuple[str, ...]] = ()
    language: ClassVar[str] = "lv"
    areas: ClassVar[tuple[str, ...]] = ()
    """Priority areas of *every* call of this source, set only when the source funds nothing else
    (a culture fund, a youth agency). Scrapers never guess areas from keywords: calls left without
    areas are tagged by ``matcher.tag_areas`` in the weekly job."""
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
        try:
            return self._crawl(client, today)
        finally:
            done = getattr(client, "source_done", None)  # the HTTP client's per-source bookkeeping
            if done is not None:
                done(self.name)

    def _crawl(self, client: HttpClient, today: date | None) -> ScrapeResult:
        """The body of :meth:`run`: the request queue worked off, then the result checked."""
        started = time.monotonic()
        result = ScrapeResult(source=self.name, calls=[])
        failures: list[BaseException] = []
        queue: deque[Request] = deque()
        for req in self.start_requests():
            queue.append(_with_today(req, today))
        seen: set[str] = set()
        ids: dict[str, int] = {}
        cache: ParseCache | None = getattr(client, "parse_cache", None)
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
                for item in self._call(callback, req, page, cache):
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


    def _call(self, callback, req: Request, page: Page, cache: ParseCache | None) -> Iterator[Any]:
        """The callback's items for this page, from the parse cache when the page text was seen before.

        Items are passed on as the callback yields them, so a page that fails half-way still gives
        what it yielded before failing; only a page parsed to the end is cached.
        """
        if cache is not None:
            cached = cache.get(self, req, page.text)
            if cached is not None:
                yield from cached
                return
        meta = _TrackedMeta(req.meta)
        items = []
        for item in callback(page.text, req.url, meta):
            items.append(item)
            yield item
        if cache is not None:
            cache.put(self, req, page.text, items, used_today=meta.used_today)


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
