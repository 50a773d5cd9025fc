"""The one HTTP layer every source uses.

One ``requests`` session (a ``requests_cache.CachedSession`` on SQLite unless the cache is off) with:

* a named User-Agent, connect/read timeouts;
* urllib3 ``Retry`` with exponential backoff on 429/5xx, honouring ``Retry-After`` (capped);
* robots.txt per host (protego), fetched at most once a day (remembered next to the HTTP cache);
* a pause between two requests to the same host (``delay``, default 1 s);
* parse results of unchanged pages are kept next to the HTTP cache (:class:`scrapers.base.ParseCache`);
* conditional requests: every cached response that has an ETag or Last-Modified is revalidated
  (``If-None-Match`` / ``If-Modified-Since``), a 304 returns the cached body (``Page.not_modified``)
  and leaves the stored copy unwritten unless it brought new validators;
  responses without validators are not cached and are fetched again;
* a response size cap enforced while streaming (the body is never read past ``max_bytes``);
* encoding detection: the declared charset when the bytes agree with it, else a Latvian-aware
  choice between charset_normalizer's guess, windows-1257 and ISO-8859-13;
* the raw pages of the last run of each source under ``raw_dir/<source>/`` (:class:`RawPages`).

Thread safety (the runner scrapes several sources at once): each thread gets its own ``requests``
session (all sessions share one requests-cache SQLite backend, which serialises its writes); the
parse cache is one connection for all threads (serialised by its lock); requests to one host are
serialised by a per-host lock held while the pause is waited out and the request is sent, so
``delay`` holds between requests of different threads too; robots.txt of a host is fetched by one
thread only; the counters are locked.

``rewrite`` maps a real URL to the transport URL (tests map ``https://www.liepaja.lv/x`` to
``http://127.0.0.1:PORT/www.liepaja.lv/x``); parsers always see the real URL.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import re
import threading
import time
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import requests
from protego import Protego
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from scrapers.base import Page, ParseCache, Request
from scrapers.errors import FetchError, RobotsDisallowed
from scrapers.normalize import slugify

logger = logging.getLogger(__name__)

DEFAULT_UA = "grantmatch/0.1 (+https://github.com/grantmatch/grantmatch)"
ROBOTS_AGENT = "grantmatch"
RETRY_STATUSES = (429, 500, 502, 503, 504)
LATVIAN_LETTERS = set("āēīūčģķļņšžĀĒĪŪČĢĶĻŅŠŽ")


class ResponseTooLarge(requests.RequestException):
    """The body went past the size cap while streaming."""


class _CappedRetry(Retry):
    """urllib3 Retry that never sleeps longer than ``max_retry_after`` for a Retry-After header."""

    max_retry_after: float = 30.0

    def get_retry_after(self, response):  # type: ignore[override]
        value = super().get_retry_after(response)
        return None if value is None else min(value, self.max_retry_after)

    def new(self, **kw):  # keep the cap on the copies urllib3 makes after each attempt
        other = super().new(**kw)
        other.max_retry_after = self.max_retry_after
        return other


class _CappedAdapter(HTTPAdapter):
    """HTTPAdapter that streams every body and stops reading at ``max_bytes``."""

    def __init__(self, *, max_bytes: int, **kwargs) -> None:
        self.max_bytes = max_bytes
        super().__init__(**kwargs)

    def send(self, request, stream=False, **kwargs):  # type: ignore[override]
        response = super().send(request, stream=True, **kwargs)
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            response.close()
            raise ResponseTooLarge(
                f"expected at most {self.max_bytes} bytes, found Content-Length {declared}", response=response
            )
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.raw.stream(65536, decode_content=True):
                size += len(chunk)
                if size > self.max_bytes:
                    raise ResponseTooLarge(
                        f"expected at most {self.max_bytes} bytes, found more (stopped reading)",
                        response=response,
                    )
                chunks.append(chunk)
        finally:
            if size > self.max_bytes:
                response.close()
        response._content = b"".join(chunks)
        response._content_consumed = True
        return response


@dataclass
class FetchStats:
    """Counters of one client's life (for reports and benchmarks)."""

    requests: int = 0
    not_modified: int = 0
    bytes: int = 0
    per_host: dict[str, int] = field(default_factory=dict)
    """Requests sent per host (robots.txt included)."""


_MULTIPART = threading.Lock()
"""requests-cache fixes the multipart boundary (so a POST body gets the same cache key every week)
by patching urllib3 for the length of the request, process-wide: two multipart requests at once
could restore the random boundary under each other, so they go one at a time."""


VALIDATORS = ("ETag", "Last-Modified")


def _validators(headers: Mapping[str, str]) -> tuple[str | None, ...]:
    return tuple(headers.get(name) for name in VALIDATORS)


@functools.cache
def _revalidating_cache() -> type:
    """requests-cache's SQLite backend, minus the write of a response that a 304 left as it was.

    After a 304 requests-cache saves the cached response again because its expiry and its headers
    (``Date`` at least) changed. We store responses as already expired and revalidate each one on
    every use, so the stored copy only needs its body and its validators: when the 304 kept the
    ETag and Last-Modified the response was read with, the stored copy is left alone (that write
    was about half of requests-cache's time on a 304). A 304 with new validators is saved as before.
    (A class made on first use: requests-cache is only imported when a cache is used.)
    """
    from requests_cache import SQLiteCache

    class RevalidatingSQLiteCache(SQLiteCache):
        def get_response(self, key, default=None):
            response = super().get_response(key, default)
            if response is not None and response is not default:
                response.read_validators = _validators(response.headers)
            return response

        def save_response(self, response, cache_key=None, expires=None):
            read = getattr(response, "read_validators", None)
            if getattr(response, "revalidated", False) and read == _validators(response.headers):
                return
            super().save_response(response, cache_key, expires)

    return RevalidatingSQLiteCache


class HttpClient:
    """The shared HTTP client. See the module docstring for what it does."""

    def __init__(
        self,
        *,
        cache_path: Path | None,
        delay: float = 1.0,
        timeout: float | tuple[float, float] = (10, 30),
        max_bytes: int = 5_000_000,
        retries: int = 3,
        user_agent: str = DEFAULT_UA,
        rewrite: Callable[[str], str] | None = None,
        raw_dir: Path | None = None,
        backoff: float = 0.5,
        max_retry_after: float = 30.0,
        respect_robots: bool = True,
        robots_max_age: float = 86400.0,
    ) -> None:
        self.delay = delay
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.user_agent = user_agent
        self.rewrite = rewrite or (lambda url: url)
        self.raw_dir = raw_dir
        self.respect_robots = respect_robots
        self.robots_max_age = robots_max_age
        self.cache_path = cache_path
        self.retries = retries
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self.stats = FetchStats()
        self._last_request: dict[str, float] = {}
        self._robots: dict[str, Protego | None] = {}
        self._raw: dict[str, RawPages] = {}
        self._lock = threading.Lock()  # guards the dicts of host locks and counters
        self._host_locks: dict[str, threading.Lock] = {}
        self._local = threading.local()
        self._released: list[requests.Session] = []
        self._owner = threading.get_ident()
        self.parse_cache: ParseCache | None = None
        self._backend = None
        if cache_path is not None:
            self.parse_cache = ParseCache(Path(cache_path).with_name(Path(cache_path).stem + ".parsed.sqlite"))
            Path(cache_path).parent.mkdir(parents=True, exist_ok=True)
            # one backend for every thread's session: its connection is made for use across threads
            # and its writes are serialised by its own lock
            self._backend = _revalidating_cache()(
                str(cache_path),
                wal=True,
                fast_save=True,  # a cache entry lost in a crash only costs one full download
            )
        # the creating thread's session is made now; other threads' on first use
        self._local.session = self._new_session()

    def _new_session(self) -> requests.Session:
        if self._backend is not None:
            import requests_cache
            from requests_cache.policy.expiration import EXPIRE_IMMEDIATELY

            session: requests.Session = requests_cache.CachedSession(
                backend=self._backend,
                expire_after=EXPIRE_IMMEDIATELY,  # keep, but always revalidate
                allowable_methods=("GET", "HEAD", "POST"),
                allowable_codes=(200,),
                stale_if_error=False,
                key_fn=cache_key,
                autoclose=False,  # the backend is shared: HttpClient.close closes it
            )
        else:
            session = requests.Session()
        # proxies and CA bundle are read from the environment once, not on every request
        session.proxies.update(urllib.request.getproxies())
        ca_bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        if ca_bundle:
            session.verify = ca_bundle
        session.trust_env = False
        session.headers["User-Agent"] = self.user_agent
        session.headers["Accept-Language"] = "lv,en;q=0.8"
        retry = _CappedRetry(
            total=self.retries,
            connect=self.retries,
            read=1,
            status=self.retries,
            backoff_factor=self.backoff,
            status_forcelist=RETRY_STATUSES,
            allowed_methods=None,  # the POST searches we send are reads: retry them too
            respect_retry_after_header=True,
            raise_on_status=False,
            redirect=False,
        )
        retry.max_retry_after = self.max_retry_after
        adapter = _CappedAdapter(max_bytes=self.max_bytes, max_retries=retry)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        return session

    @property
    def session(self) -> requests.Session:
        """This thread's ``requests`` session (made on first use in a thread)."""
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = self._new_session()
        return session

    def release_thread(self) -> None:
        """Hand back the calling thread's session (a worker thread calls it when done).

        Its connections are closed by :meth:`close` (not in the worker, which would make the end of
        every parallel run wait for it). The thread that made the client keeps its own session.
        """
        if threading.get_ident() == self._owner:
            return
        session = getattr(self._local, "session", None)
        if session is not None:
            with self._lock:
                self._released.append(session)
            self._local.session = None

    def _close_local(self) -> None:
        with self._lock:
            sessions, self._released = self._released, []
        session = getattr(self._local, "session", None)
        if session is not None:
            sessions.append(session)
            self._local.session = None
        for session in sessions:
            # a CachedSession would close the shared backend too: close only its connection pools
            requests.Session.close(session)

    def close(self) -> None:
        for source in list(self._raw):  # pages fetched outside a scraper's run (no source_done)
            self.source_done(source)
        self._close_local()
        if self.parse_cache is not None:
            self.parse_cache.close()
        if self._backend is not None:
            self._backend.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ fetching

    def fetch(self, request_or_url: Request | str, *, source: str | None = None) -> Page:
        """Fetch one page; :class:`FetchError` (or :class:`RobotsDisallowed`) when it cannot."""
        req = Request(request_or_url) if isinstance(request_or_url, str) else request_or_url
        who = source or "http"
        url = req.url
        # one request at a time per host, across threads: robots.txt, the pause and the request itself
        with self._host_lock(_host(url)):
            if self.respect_robots and not self._allowed(url, who):
                raise RobotsDisallowed(
                    f"{who}: expected robots.txt to allow {ROBOTS_AGENT}, found Disallow at {url}",
                    source=who,
                    url=url,
                )
            response = self._send(req, who)
        text = decode_body(response.content, response.headers.get("Content-Type", ""))
        from_cache = bool(getattr(response, "from_cache", False))
        final = response.url if response.history else url
        page = Page(
            url=url,
            final_url=url if final == self.rewrite(url) else final,
            status=response.status_code,
            text=text,
            from_cache=from_cache,
            not_modified=from_cache,
        )
        if from_cache:
            with self._lock:
                self.stats.not_modified += 1
        self._keep_raw(source, page, response.headers.get("Content-Type", ""))
        return page

    def _send(self, req: Request, who: str) -> requests.Response:
        url = req.url
        transport = self.rewrite(url)
        self._pause(url)
        self._count(url)
        try:
            with _MULTIPART if req.files else contextlib.nullcontext():
                response = self.session.request(
                    req.method,
                    transport,
                    data=req.data,
                    files=req.files,
                    headers=req.headers,
                    timeout=self.timeout,
                    allow_redirects=True,
                )
        except ResponseTooLarge as exc:
            raise FetchError(f"{who}: {exc} at {url}", source=who, url=url) from exc
        except requests.TooManyRedirects as exc:
            raise FetchError(
                f"{who}: expected a page, found a redirect loop (more than {self.session.max_redirects} "
                f"redirects) at {url}",
                source=who,
                url=url,
            ) from exc
        except requests.Timeout as exc:
            raise FetchError(
                f"{who}: expected a response within {self.timeout} s, found a timeout at {url}",
                source=who,
                url=url,
            ) from exc
        except requests.RequestException as exc:
            reason = _short_reason(exc)
            if "Timeout" in reason:
                raise FetchError(
                    f"{who}: expected a response within {self.timeout} s, found a timeout ({reason}) at {url}",
                    source=who,
                    url=url,
                ) from exc
            raise FetchError(f"{who}: expected a response, found {reason} at {url}", source=who, url=url) from exc
        finally:
            self._last_request[_host(url)] = time.monotonic()
        with self._lock:
            self.stats.bytes += len(response.content or b"")
        if response.status_code != 200:
            raise FetchError(
                f"{who}: expected HTTP 200, found {response.status_code} at {url}",
                source=who,
                url=url,
                status=response.status_code,
            )
        return response

    def _host_lock(self, host: str) -> threading.Lock:
        with self._lock:
            lock = self._host_locks.get(host)
            if lock is None:
                lock = self._host_locks[host] = threading.Lock()
            return lock

    def _count(self, url: str) -> None:
        host = _host(url)
        with self._lock:
            self.stats.requests += 1
            self.stats.per_host[host] = self.stats.per_host.get(host, 0) + 1

    def _pause(self, url: str) -> None:
        """Wait until ``delay`` has passed since the last request to the host (hold its lock)."""
        if self.delay <= 0:
            return
        last = self._last_request.get(_host(url))
        if last is not None:
            wait = self.delay - (time.monotonic() - last)
            if wait > 0:
                time.sleep(wait)

    # ------------------------------------------------------------------ robots.txt

    def _allowed(self, url: str, who: str) -> bool:
        """Whether robots.txt allows ``url`` (the caller holds the host's lock)."""
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        if key not in self._robots:
            self._robots[key] = self._load_robots(key, who)
        rules = self._robots[key]
        return True if rules is None else rules.can_fetch(url, ROBOTS_AGENT)

    def _load_robots(self, base: str, who: str) -> Protego | None:
        if self.parse_cache is not None:
            cached = self.parse_cache.get_robots(base, max_age=self.robots_max_age)
            if cached is not None:
                return Protego.parse(cached) if cached else None
        robots_url = f"{base}/robots.txt"
        self._pause(robots_url)
        try:
            response = self.session.get(self.rewrite(robots_url), timeout=self.timeout)
        except requests.RequestException as exc:
            logger.info("robots.txt unavailable", extra={"source": who, "url": robots_url, "error": repr(exc)})
            return None
        finally:
            self._last_request[_host(robots_url)] = time.monotonic()
            self._count(robots_url)
        body = ""
        if response.status_code == 200:
            body = decode_body(response.content, response.headers.get("Content-Type", ""))
        # (no robots.txt, or a broken one: everything is allowed)
        if self.parse_cache is not None and response.status_code < 500:
            self.parse_cache.put_robots(base, body)
        return Protego.parse(body) if body else None

    # ------------------------------------------------------------------ raw pages

    def _keep_raw(self, source: str | None, page: Page, content_type: str) -> None:
        if self.raw_dir is None or not source:
            return
        with self._lock:  # (a source runs in one thread; the lock only guards the dict)
            raw = self._raw.get(source)
            if raw is None:
                raw = self._raw[source] = RawPages(Path(self.raw_dir) / source)
        raw.keep(page, content_type)

    def source_done(self, source: str) -> None:
        """A source's run has ended: its raw-page folder now holds this run's pages only."""
        with self._lock:
            raw = self._raw.pop(source, None)
        if raw is not None:
            raw.finish()


class RawPages:
    """The raw pages of one source's last run, in ``folder`` (``NNN-<path>.<ext>`` and ``index.tsv``).

    A page answered 304 whose file the previous run wrote under the same name for the same URL is left
    as it is (its text is the cached body that run saved), so a no-change run rewrites no page; every
    other page is written. :meth:`finish` removes the previous run's files this run did not keep. (A run cut
    short before ``finish`` leaves those files too; the new ``index.tsv`` lists this run's.)
    """

    INDEX = "index.tsv"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.previous: dict[str, str] = {}  # file name -> the URL the previous run saved in it
        with contextlib.suppress(OSError), (folder / self.INDEX).open(encoding="utf-8") as old:
            rows = (line.rstrip("\n").split("\t") for line in old if line.strip())
            self.previous = {row[0]: row[-1] for row in rows}
        self.kept: set[str] = set()
        self.index = (folder / self.INDEX).open("w", encoding="utf-8", buffering=1)  # a line at a time

    def keep(self, page: Page, content_type: str) -> None:
        ext = ".json" if "json" in content_type else ".xml" if "xml" in content_type else ".html"
        name = f"{len(self.kept) + 1:03d}-{slugify(urlsplit(page.url).path or 'index', max_length=60) or 'index'}{ext}"
        path = self.folder / name
        if not (page.not_modified and self.previous.get(name) == page.url and path.is_file()):
            path.write_text(page.text, encoding="utf-8")
        self.kept.add(name)
        self.index.write(f"{name}\t{page.status}\t{'304' if page.not_modified else 'fetched'}\t{page.url}\n")

    def finish(self) -> None:
        self.index.close()
        for entry in os.scandir(self.folder):
            if entry.name != self.INDEX and entry.name not in self.kept and entry.is_file():
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def cache_key(request: requests.PreparedRequest, match_headers: object = None, **_: object) -> str:
    """The HTTP cache key of a request: a hash of its method, URL and body (requests-cache ``key_fn``).

    requests-cache's default key also normalises the URL, the query and a JSON or form body, which
    costs more per request than the rest of a revalidation answered 304. Our requests come from the
    same parsers every week, so their URLs and bodies are already stable (a multipart body gets the
    fixed boundary requests-cache patches in). Request headers count only when requests-cache asks
    for them (``match_headers``: a cached response's ``Vary``), as with the default key. Changing
    this function only costs one full download of each page.
    """
    body = request.body or b""
    digest = hashlib.blake2b(digest_size=8)
    digest.update((request.method or "GET").encode("ascii"))
    digest.update(b" " + (request.url or "").encode("utf-8") + b" ")
    digest.update(body.encode("utf-8") if isinstance(body, str) else bytes(body))
    if match_headers:
        headers = request.headers or {}
        names = headers.keys() if match_headers is True else match_headers
        for name in sorted({str(n).lower() for n in names}):  # type: ignore[union-attr]
            if name in headers:
                digest.update(f"\n{name}={headers[name]}".encode())
    return digest.hexdigest()


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower()


# What a cause of a failed connection means, for someone reading the weekly log or the Sources page.
_PLAIN_CAUSES = (
    (("NameResolutionError", "Name or service not known", "Temporary failure in name resolution",
      "nodename nor servname", "getaddrinfo failed"), "host not found (no network, or a wrong address?)"),
    (("Connection refused", "ConnectionRefusedError"), "connection refused (the server is down?)"),
    (("SSLError", "CERTIFICATE_VERIFY_FAILED"), "a TLS/SSL error (certificate?)"),
    (("Network is unreachable",), "network unreachable (no network?)"),
)


def _short_reason(exc: BaseException) -> str:
    """The cause of a failed request in a few words, the exception's own name kept in brackets."""
    text = str(exc)
    m = re.search(r"\(Caused by (\w+)", text)
    name = m.group(1) if m else type(exc).__name__
    for needles, plain in _PLAIN_CAUSES:
        if any(n in text or n == name for n in needles):
            return f"{plain} [{name}]"
    if "Max retries exceeded" in text:
        return f"{m.group(1) if m else 'a connection error'} after retries"
    return f"{type(exc).__name__}: {text[:200]}"


# --------------------------------------------------------------------------- encodings

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.-]+)""", re.IGNORECASE)


def _declared_charset(body: bytes, content_type: str) -> str | None:
    m = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_:.-]+)", content_type or "", re.IGNORECASE)
    if m:
        return m.group(1)
    head = body[:4096]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return m.group(1).decode("ascii", "replace") if m else None


def _score(text: str) -> float:
    """Higher is more plausible Latvian/English text: Latvian letters up, mojibake and controls down."""
    latvian = sum(1 for c in text if c in LATVIAN_LETTERS)
    bad = text.count("\ufffd") + sum(1 for c in text if "\x80" <= c <= "\x9f")
    odd = sum(1 for c in text if c in "ÃÂÄÅÐÑØÞßãåðñøþ¤¦¨¸")
    return latvian - 5 * bad - 2 * odd


def decode_body(body: bytes, content_type: str = "") -> str:
    """Bytes to text: the declared charset when the bytes agree with it, else the best guess.

    A page declared UTF-8 whose bytes are not UTF-8 (a windows-1257 page behind a wrong header) and
    an undeclared page are decoded with the most plausible of charset_normalizer's guess,
    windows-1257 and ISO-8859-13 (the Baltic code pages).
    """
    if not body:
        return ""
    if body.startswith(b"\xef\xbb\xbf"):
        return body[3:].decode("utf-8", "replace")
    declared = _declared_charset(body, content_type)
    if declared:
        try:
            text = body.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
        else:
            if declared.lower().replace("_", "-") in ("utf-8", "utf8"):
                return text
            # a single-byte charset decodes anything: accept it unless the bytes are clearly UTF-8
            try:
                utf = body.decode("utf-8")
            except UnicodeDecodeError:
                return text
            return utf if _score(utf) >= _score(text) else text
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    candidates: list[str] = []
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(body[:200_000]).best()
        if best is not None:
            candidates.append(best.encoding)
    except Exception:  # pragma: no cover - detection is a best effort
        pass
    candidates += ["windows-1257", "iso-8859-13"]
    texts = []
    for enc in candidates:
        try:
            texts.append(body.decode(enc, "replace"))
        except LookupError:
            continue
    return max(texts, key=_score)
