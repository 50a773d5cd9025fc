"""HttpClient against a real local server: cache, retries, robots, limits, encodings, raw pages."""

from __future__ import annotations

import threading
import time

import pytest

from scrapers.base import Request
from scrapers.errors import FetchError, RobotsDisallowed
from scrapers.http import DEFAULT_UA, HttpClient, cache_key, decode_body
from tests.scrapers.sitesrv import Reply, fail_then_succeed, huge, redirect_loop, slow

LV = "<html><body><p>Liepājas ģimenēm: pieteikumi līdz 22. februārim, šogad 130 000 eiro</p></body></html>"


def make(site, tmp_path, **kw):
    kw.setdefault("delay", 0)
    kw.setdefault("cache_path", tmp_path / "cache.sqlite")
    return HttpClient(rewrite=site.rewrite, backoff=0, timeout=(2, 1), **kw)


def test_user_agent_and_real_url(site, tmp_path):
    seen = {}

    def handler(h, url, body):
        seen["ua"] = h.headers["User-Agent"]
        return Reply(LV.encode())

    site.handlers["https://a.lv/p"] = handler
    page = make(site, tmp_path).fetch("https://a.lv/p")
    assert seen["ua"] == DEFAULT_UA == "grantmatch/0.1 (+https://github.com/grantmatch/grantmatch)"
    assert page.url == page.final_url == "https://a.lv/p" and page.status == 200 and "Liepājas" in page.text


def test_unchanged_page_is_a_conditional_request_answered_304(site, tmp_path):
    site.add("https://a.lv/p", LV)
    client = make(site, tmp_path)
    first = client.fetch("https://a.lv/p")
    second = client.fetch("https://a.lv/p")
    assert not first.not_modified and second.not_modified and second.text == first.text
    page_hits = [h for h in site.hits if h.url == "https://a.lv/p"]
    assert [(h.conditional, h.status) for h in page_hits] == [(False, 200), (True, 304)]
    # a new client on the same cache file (next week's run) also asks conditionally
    third = make(site, tmp_path).fetch("https://a.lv/p")
    assert third.not_modified and site.hits[-1].conditional and site.hits[-1].status == 304


def stored_responses(path) -> list:
    import sqlite3

    with sqlite3.connect(path) as db:
        return db.execute("SELECT key, value FROM responses ORDER BY key").fetchall()


def test_a_304_leaves_the_stored_response_unwritten(site, tmp_path):
    site.add("https://a.lv/p", LV)
    client = make(site, tmp_path)
    client.fetch("https://a.lv/p")
    before = stored_responses(tmp_path / "cache.sqlite")
    assert client.fetch("https://a.lv/p").not_modified
    assert stored_responses(tmp_path / "cache.sqlite") == before  # byte for byte: not saved again
    client.close()


def test_a_304_with_new_validators_stores_them(site, tmp_path):
    asked: list = []

    def handler(h, url, body):
        asked.append(h.headers.get("If-None-Match"))
        if not asked[-1]:
            return Reply(LV.encode(), headers={"ETag": '"v1"'})
        h.send_response(304)  # same body, but the server now names it "v2"
        h.send_header("ETag", '"v2"')
        h.send_header("Content-Length", "0")
        h.end_headers()
        return None

    site.handlers["https://a.lv/p"] = handler
    client = make(site, tmp_path)
    pages = [client.fetch("https://a.lv/p") for _ in range(3)]
    assert asked == [None, '"v1"', '"v2"']  # the third request revalidates with the new ETag
    assert [p.not_modified for p in pages] == [False, True, True] and pages[2].text == LV
    client.close()


def test_changed_page_is_fetched_again(site, tmp_path):
    site.add("https://a.lv/p", LV)
    client = make(site, tmp_path)
    client.fetch("https://a.lv/p")
    site.add("https://a.lv/p", LV.replace("130 000", "150 000"))
    page = client.fetch("https://a.lv/p")
    assert "150 000" in page.text and not page.not_modified


def test_without_cache_no_conditional_requests(site, tmp_path):
    site.add("https://a.lv/p", LV)
    client = make(site, tmp_path, cache_path=None)
    client.fetch("https://a.lv/p")
    client.fetch("https://a.lv/p")
    assert [h.conditional for h in site.hits if h.url == "https://a.lv/p"] == [False, False]


def test_post_multipart_is_cached_and_revalidated(site, tmp_path):
    site.add("https://api.eu/search?p=1", '{"results": []}', content_type="application/json")
    req = Request("https://api.eu/search?p=1", method="POST", files={"query": ("blob", "{}", "application/json")})
    client = make(site, tmp_path)
    client.fetch(req)
    again = client.fetch(req)
    assert again.not_modified and site.hits[-1].method == "POST" and site.hits[-1].status == 304


def test_retry_after_500(site, tmp_path):
    site.handlers["https://a.lv/flaky"] = fail_then_succeed(LV, failures=2)
    page = make(site, tmp_path).fetch("https://a.lv/flaky")
    assert "Liepājas" in page.text
    assert [h.status for h in site.hits if h.url == "https://a.lv/flaky"] == [500, 500, 200]


def test_persistent_503_is_a_fetch_error_with_status(site, tmp_path):
    site.handlers["https://a.lv/down"] = fail_then_succeed(LV, failures=99, status=503)
    with pytest.raises(FetchError, match=r"src: expected HTTP 200, found 503 at https://a.lv/down") as info:
        make(site, tmp_path, retries=2).fetch("https://a.lv/down", source="src")
    assert info.value.status == 503
    assert len([h for h in site.hits if h.url == "https://a.lv/down"]) == 3


def test_robots_disallow(site, tmp_path):
    site.add("https://a.lv/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    site.add("https://a.lv/private/x", LV)
    site.add("https://a.lv/public", LV)
    client = make(site, tmp_path)
    with pytest.raises(RobotsDisallowed, match="s: expected robots.txt to allow grantmatch, found Disallow"):
        client.fetch("https://a.lv/private/x", source="s")
    assert client.fetch("https://a.lv/public").status == 200
    assert not [h for h in site.hits if h.url == "https://a.lv/private/x"]
    assert len([h for h in site.hits if h.url == "https://a.lv/robots.txt"]) == 1  # once per host


def test_timeout(site, tmp_path):
    site.handlers["https://a.lv/slow"] = slow(1.5)
    client = HttpClient(cache_path=None, rewrite=site.rewrite, delay=0, timeout=(1, 0.3), backoff=0)
    started = time.monotonic()
    with pytest.raises(FetchError, match="found a timeout"):
        client.fetch("https://a.lv/slow", source="s")
    assert time.monotonic() - started < 1.5


def test_redirect_loop(site, tmp_path):
    site.handlers["https://a.lv/r1"] = redirect_loop(site, "https://a.lv/r2")
    site.handlers["https://a.lv/r2"] = redirect_loop(site, "https://a.lv/r1")
    with pytest.raises(FetchError, match="found a redirect loop"):
        make(site, tmp_path).fetch("https://a.lv/r1", source="s")


@pytest.mark.parametrize("declare", [True, False])
def test_size_cap(site, tmp_path, declare):
    site.handlers["https://a.lv/big"] = huge(50_000_000, declare_length=declare)
    started = time.monotonic()
    with pytest.raises(FetchError, match="expected at most 1000000 bytes"):
        make(site, tmp_path, max_bytes=1_000_000).fetch("https://a.lv/big", source="s")
    assert time.monotonic() - started < 5


def test_per_host_delay(site, tmp_path):
    site.add("https://a.lv/1", LV)
    site.add("https://a.lv/2", LV)
    site.add("https://b.lv/1", LV)
    client = make(site, tmp_path, delay=0.3, cache_path=None)
    client.fetch("https://a.lv/1")
    started = time.monotonic()
    client.fetch("https://a.lv/2")
    same_host = time.monotonic() - started
    client.fetch("https://b.lv/1")  # robots.txt then the page: >= 0.3 s on b.lv
    started = time.monotonic()
    client.fetch("https://a.lv/1")  # a.lv rested meanwhile: no wait
    rested = time.monotonic() - started
    assert same_host >= 0.25 and rested < 0.2


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (LV.encode("windows-1257"), "text/html; charset=utf-8"),  # declared wrongly
        (LV.encode("windows-1257"), "text/html"),  # not declared
        (LV.encode("windows-1257"), "text/html; charset=windows-1257"),
        (LV.encode("iso-8859-13"), "text/html; charset=ISO-8859-13"),
        (LV.encode("utf-8"), "text/html; charset=iso-8859-1"),  # a UTF-8 page behind a Latin-1 header
        (b'<meta charset="windows-1257">' + LV.encode("windows-1257"), "text/html"),
        (b"\xef\xbb\xbf" + LV.encode("utf-8"), "text/html"),
    ],
)
def test_encodings(body, content_type):
    text = decode_body(body, content_type)
    assert "Liepājas ģimenēm" in text and "šogad" in text


def test_wrong_encoding_over_http(site, tmp_path):
    site.add("https://a.lv/w", LV.encode("windows-1257"), content_type="text/html; charset=utf-8")
    assert "Liepājas ģimenēm" in make(site, tmp_path).fetch("https://a.lv/w").text


def test_raw_pages_kept_per_source_and_cleared_per_run(site, tmp_path):
    site.add("https://a.lv/x", LV)
    site.add("https://a.lv/y", LV)
    raw = tmp_path / "raw"
    folder = raw / "one"
    client = make(site, tmp_path, raw_dir=raw)
    client.fetch("https://a.lv/x", source="one")
    client.fetch("https://a.lv/y", source="one")
    client.source_done("one")
    assert sorted(p.name for p in folder.iterdir()) == ["001-x.html", "002-y.html", "index.tsv"]
    written = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}

    # a no-change run: both pages answered 304 are left as they were, the index is new
    again = make(site, tmp_path, raw_dir=raw)
    assert all(again.fetch(u, source="one").not_modified for u in ("https://a.lv/x", "https://a.lv/y"))
    again.source_done("one")
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir() if p.name != "index.tsv"} == {
        k: v for k, v in written.items() if k != "index.tsv"}
    assert [line.split("\t")[2] for line in (folder / "index.tsv").read_text().splitlines()] == ["304", "304"]

    # a run that fetches only y: y is 001 now (written, a new name), the previous run's files go
    client = make(site, tmp_path, raw_dir=raw)
    client.fetch("https://a.lv/y", source="one")
    client.close()  # ends the source's raw pages too
    assert sorted(p.name for p in folder.iterdir()) == ["001-y.html", "index.tsv"]
    assert "Liepājas" in (folder / "001-y.html").read_text(encoding="utf-8")


def test_a_changed_page_is_written_again(site, tmp_path):
    site.add("https://a.lv/x", "<p>vecais teksts</p>")
    raw = tmp_path / "raw"
    client = make(site, tmp_path, raw_dir=raw)
    client.fetch("https://a.lv/x", source="one")
    client.close()
    site.add("https://a.lv/x", "<p>jaunais teksts</p>")
    client = make(site, tmp_path, raw_dir=raw)
    assert not client.fetch("https://a.lv/x", source="one").not_modified
    client.close()
    assert "jaunais" in (raw / "one" / "001-x.html").read_text(encoding="utf-8")


def test_connection_refused_is_a_fetch_error(tmp_path):
    client = HttpClient(cache_path=None, delay=0, retries=0, rewrite=lambda u: "http://127.0.0.1:9/x", backoff=0)
    with pytest.raises(FetchError, match=r"s: expected a response, found connection refused \(the server is down\?\)"):
        client.fetch("https://nowhere.lv/x", source="s")


@pytest.mark.parametrize(
    ("message", "plain"),
    [
        ("HTTPSConnectionPool(host='www.sif.gov.lv', port=443): Max retries exceeded with url: / (Caused by "
         "NameResolutionError(\"<urllib3.connection.HTTPSConnection>: Failed to resolve 'www.sif.gov.lv' ([Errno -3] "
         "Temporary failure in name resolution)\"))",
         "host not found (no network, or a wrong address?) [NameResolutionError]"),
        ("HTTPSConnectionPool(host='x.lv', port=443): Max retries exceeded with url: / (Caused by "
         "SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED]')))",
         "a TLS/SSL error (certificate?) [SSLError]"),
        ("HTTPSConnectionPool(host='x.lv', port=443): Max retries exceeded with url: / (Caused by "
         "ProtocolError('Connection aborted.'))", "ProtocolError after retries"),
    ],
)
def test_a_failed_connection_says_why_in_plain_words(message, plain):
    """Offline, every source failed with "found NameResolutionError after retries"; the log and the
    Sources page now say what that means."""
    import requests

    from scrapers.http import _short_reason

    assert _short_reason(requests.ConnectionError(message)) == plain


# --------------------------------------------------------------------------- several threads at once


def stamped(times: list[tuple[str, float, float]], body: str = LV, *, wait: float = 0.0):
    """A page that records (url, arrival, departure) on the server and takes ``wait`` s to answer."""

    def handle(h, url, req_body):
        arrived = time.monotonic()
        if wait:
            time.sleep(wait)
        times.append((url, arrived, time.monotonic()))
        return Reply(body.encode("utf-8"))

    return handle


def in_threads(*jobs):
    """Run the callables at the same time (each in its own thread); re-raise the first error."""
    errors: list[BaseException] = []
    results: list = [None] * len(jobs)
    start = threading.Barrier(len(jobs))

    def run(i, job):
        start.wait()
        try:
            results[i] = job()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    if errors:
        raise errors[0]
    return results


def test_per_host_delay_holds_across_threads(site, tmp_path):
    # two "sources" on the same host, each in its own thread, fetch three pages each
    times: list = []
    urls = [f"https://a.lv/{who}{i}" for who in ("x", "y") for i in range(3)]
    for url in urls:
        site.handlers[url] = stamped(times)
    site.add("https://a.lv/robots.txt", "User-agent: *\nDisallow:\n", content_type="text/plain")
    client = make(site, tmp_path, delay=0.15, cache_path=None)

    def crawl(who):
        return lambda: [client.fetch(u, source=who) for u in urls if f"/{who}" in u]

    in_threads(crawl("x"), crawl("y"))
    assert len(times) == 6
    arrivals = sorted(t for _, t, _ in times)
    gaps = [b - a for a, b in zip(arrivals, arrivals[1:], strict=False)]
    assert min(gaps) >= 0.13, gaps  # never two requests to a.lv closer than the delay
    assert {u for u, _, _ in times} == set(urls)
    assert len([h for h in site.hits if h.url == "https://a.lv/robots.txt"]) == 1  # fetched by one thread only
    assert client.stats.requests == 7 and client.stats.per_host == {"a.lv": 7}


def test_one_request_at_a_time_per_host_even_without_delay(site, tmp_path):
    times: list = []
    for i in range(4):
        site.handlers[f"https://a.lv/{i}"] = stamped(times, wait=0.05)
    client = make(site, tmp_path, delay=0, cache_path=None, respect_robots=False)
    in_threads(*[(lambda i=i: client.fetch(f"https://a.lv/{i}")) for i in range(4)])
    spans = sorted((arrived, left) for _, arrived, left in times)
    assert all(nxt[0] >= prev[1] for prev, nxt in zip(spans, spans[1:], strict=False)), spans  # no overlap


def test_different_hosts_are_fetched_at_the_same_time(site, tmp_path):
    times: list = []
    hosts = ["a.lv", "b.lv", "c.lv"]
    for host in hosts:
        site.handlers[f"https://{host}/p"] = stamped(times, wait=0.3)
    client = make(site, tmp_path, delay=1.0, cache_path=None, respect_robots=False)
    started = time.monotonic()
    in_threads(*[(lambda h=h: client.fetch(f"https://{h}/p")) for h in hosts])
    assert time.monotonic() - started < 0.8  # three 0.3 s answers side by side, not 0.9 s in turn
    assert len(times) == 3


def test_threads_share_the_http_cache_with_their_own_sessions(site, tmp_path):
    site.add("https://a.lv/p", LV)
    site.add("https://b.lv/p", LV)
    client = make(site, tmp_path)
    client.fetch("https://a.lv/p")
    sessions = []

    def other_thread():
        sessions.append(client.session)
        pages = [client.fetch("https://a.lv/p"), client.fetch("https://b.lv/p")]
        client.release_thread()
        return pages

    (again, fresh), = in_threads(other_thread)
    assert sessions[0] is not client.session  # each thread has its own session
    assert again.not_modified and again.text == LV  # ... but the cache is shared: a 304 in the other thread
    assert not fresh.not_modified
    assert client.fetch("https://b.lv/p").not_modified  # and what the other thread cached is seen here
    client.close()


def test_concurrent_multipart_posts_keep_their_cache_key(site, tmp_path):
    # requests-cache fixes the multipart boundary by patching urllib3 for the length of a request;
    # threads posting at once could undo it for each other (then the re-run would not be conditional),
    # so multipart requests go one at a time, even to different hosts
    times: list = []
    urls = [f"https://api{i}.eu/search?p=1" for i in range(3)]
    for url in urls:
        site.handlers[url] = stamped(times, '{"results": []}', wait=0.05)
    reqs = [Request(u, method="POST", files={"query": ("blob", "{}", "application/json")}) for u in urls]
    client = make(site, tmp_path, respect_robots=False)
    for req in reqs:
        client.fetch(req)
    times.clear()
    pages = in_threads(*[(lambda r=r: client.fetch(r)) for r in reqs])
    assert all(p.not_modified for p in pages)
    spans = sorted((arrived, left) for _, arrived, left in times)
    assert len(spans) == 3 and all(b[0] >= a[1] for a, b in zip(spans, spans[1:], strict=False)), spans
    # plain GETs to different hosts are not held back by it
    for i in range(3):
        site.handlers[f"https://api{i}.eu/get"] = stamped(times, wait=0.2)
    started = time.monotonic()
    in_threads(*[(lambda i=i: client.fetch(f"https://api{i}.eu/get")) for i in range(3)])
    assert time.monotonic() - started < 0.5


def test_cache_key_is_method_url_and_body():
    import requests

    def key(method, url, **kw):
        return cache_key(requests.Request(method, url, **kw).prepare())

    assert key("GET", "https://a.lv/p") == key("GET", "https://a.lv/p")
    variants = [("POST", "https://a.lv/p", b"x=1"), ("POST", "https://a.lv/p", b"x=2"), ("GET", "https://a.lv/q", None)]
    keys = {key("GET", "https://a.lv/p"), key("POST", "https://a.lv/p")} | {key(m, u, data=d) for m, u, d in variants}
    assert len(keys) == 5
    assert key("GET", "https://a.lv/p", headers={"X-A": "1"}) == key("GET", "https://a.lv/p")
    # headers count only when requests-cache checks a cached response's Vary
    a = requests.Request("GET", "https://a.lv/p", headers={"Accept-Language": "lv"}).prepare()
    b = requests.Request("GET", "https://a.lv/p", headers={"Accept-Language": "en"}).prepare()
    assert cache_key(a, match_headers=["accept-language"]) != cache_key(b, match_headers=["Accept-Language"])
    assert cache_key(a, match_headers=["x-other"]) == cache_key(b, match_headers=["x-other"])
