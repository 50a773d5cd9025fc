"""HttpClient against a real local server: cache, retries, robots, limits, encodings, raw pages."""

from __future__ import annotations

import time

import pytest

from scrapers.base import Request
from scrapers.errors import FetchError, RobotsDisallowed
from scrapers.http import DEFAULT_UA, HttpClient, decode_body
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
    client = make(site, tmp_path, raw_dir=raw)
    client.fetch("https://a.lv/x", source="one")
    client.fetch("https://a.lv/y", source="one")
    assert sorted(p.name for p in (raw / "one").iterdir()) == ["001-x.html", "002-y.html", "index.tsv"]
    make(site, tmp_path, raw_dir=raw).fetch("https://a.lv/y", source="one")  # next run
    assert sorted(p.name for p in (raw / "one").iterdir()) == ["001-y.html", "index.tsv"]
    assert "Liepājas" in (raw / "one" / "001-y.html").read_text(encoding="utf-8")


def test_connection_refused_is_a_fetch_error(tmp_path):
    client = HttpClient(cache_path=None, delay=0, retries=0, rewrite=lambda u: "http://127.0.0.1:9/x", backoff=0)
    with pytest.raises(FetchError, match="s: expected a response, found"):
        client.fetch("https://nowhere.lv/x", source="s")
