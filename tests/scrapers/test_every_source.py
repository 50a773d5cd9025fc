"""What every source's scraper must do, checked on each one's saved pages.

The per-source test files check the fields of their own pages; this file holds what is the same for
all: unique ids, the contract's shape, plain text only (scraped text is untrusted and never rendered
as HTML), areas only where the source states them, and a run through the real HttpClient on
127.0.0.1 that finds exactly what the offline parsers find.
"""

from __future__ import annotations

import re

import pytest

from grantmatch.models import GrantCall, PriorityArea
from scrapers.registry import all_scrapers
from tests.scrapers.offline import by_id, crawl, run_on_site

SOURCES = sorted(key for key, cls in all_scrapers().items() if cls.fixture_pages)

# Sources whose pages name a call's area themselves (a LEADER strategy's action line, an EU
# programme): every other source leaves areas to the weekly job's matcher.tag_areas, or sets the one
# area it funds for every call (``areas``).
AREAS_FROM_PAGE = {"lrp", "eu-ft"}

# Sources that publish in both languages: each call keeps the language of its own page.
BILINGUAL = {"norden"}

MARKUP = re.compile(r"<[a-zA-Z/!][^>]*>|&(?:[a-z]+|#\d+);")


@pytest.fixture(scope="module", params=SOURCES)
def source(request):
    cls = all_scrapers()[request.param]
    calls, fetched = crawl(cls)
    return cls, calls, fetched


def test_every_registered_source_has_saved_pages():
    assert set(SOURCES) == set(all_scrapers()), "a source without fixture_pages is never tested offline"


def test_offline_crawl_finds_calls_with_unique_ids(source):
    cls, calls, fetched = source
    assert calls, f"{cls.name}: no call found on its saved pages"
    by_id(calls)  # fails on a repeated id
    assert all(c.id and c.source == cls.name for c in calls)
    assert len(fetched) <= cls.max_pages


def test_contract_round_trip(source):
    _, calls, _ = source
    for c in calls:
        assert GrantCall.from_dict(c.to_dict()) == c


def test_text_fields_are_plain_text(source):
    _, calls, _ = source
    for c in calls:
        for text in (c.title, c.summary or "", c.funder or "", c.programme or "", c.deadline_text or ""):
            assert not MARKUP.search(text), f"{c.id}: markup left in {text[:80]!r}"
        assert c.url.startswith(("https://", "http://"))


def test_language_is_the_sources_own(source):
    cls, calls, _ = source
    expected = {"lv", "en"} if cls.name in BILINGUAL else {cls.language}
    assert {c.language for c in calls} <= expected
    assert cls.name not in BILINGUAL or {c.language for c in calls} == expected


def test_areas_only_where_the_source_states_them(source):
    cls, calls, _ = source
    assert all(isinstance(a, PriorityArea) for c in calls for a in c.priority_areas)
    if cls.name not in AREAS_FROM_PAGE:  # those two are checked field by field in their own files
        assert {c.priority_areas for c in calls} == {tuple(cls.areas)}


def test_run_over_local_http_server_finds_what_the_parsers_find(source):
    cls, calls, fetched = source
    result = run_on_site(cls)
    assert result.errors == []
    assert result.pages == len(fetched)
    assert by_id(result.calls) == by_id(calls)
