"""norden.lv (LV and EN lists); one small test per field."""

from __future__ import annotations

from datetime import date

import pytest

from grantmatch.models import ApplicantType
from scrapers.errors import LayoutChanged
from scrapers.sources.norden import NordenScraper
from tests.scrapers.offline import by_id, crawl, fixture

NGO = "norden-ziemelvalstu-un-baltijas-valstu-nvo-programma-2027"
MOBILITY = "norden-nordic-baltic-mobility-programme-for-culture-network-funding-2027"


@pytest.fixture(scope="module")
def calls():
    return by_id(crawl(NordenScraper)[0])


def test_both_languages_read_and_news_skipped(calls):
    assert sorted(calls) == sorted([NGO, MOBILITY])


def test_language(calls):
    assert calls[NGO].language == "lv"
    assert calls[MOBILITY].language == "en"


def test_programme(calls):
    assert calls[NGO].programme == "Ziemeļvalstu un Baltijas valstu NVO programma"
    assert calls[MOBILITY].programme == "Nordic-Baltic Mobility Programme for Culture"


def test_open_date_and_deadline(calls):
    assert (calls[NGO].open_date, calls[NGO].deadline) == (date(2027, 2, 1), date(2027, 3, 31))
    assert (calls[MOBILITY].open_date, calls[MOBILITY].deadline) == (date(2027, 2, 1), date(2027, 2, 15))


def test_max_amount(calls):
    assert calls[NGO].max_amount_eur == 40000
    assert calls[MOBILITY].max_amount_eur == 20000


def test_cofinancing_from_grant_cap(calls):
    assert calls[NGO].cofinancing_pct == 20
    assert calls[MOBILITY].cofinancing_pct == 30


def test_geography_nordic_baltic(calls):
    assert "Nordic-Baltic" in calls[MOBILITY].geography
    assert "Nordic-Baltic" in calls[NGO].geography


def test_applicants(calls):
    assert calls[NGO].eligible_applicants == (ApplicantType.ASSOCIATION, ApplicantType.FOUNDATION)


def test_areas(calls):
    # priority areas are not guessed by the scraper: the weekly job tags them with matcher.tag_areas
    assert all(c.priority_areas == () for c in calls.values())


def test_changed_list_layout_raises():
    html = fixture(NordenScraper, "jaunumi_lv_changed.html")
    url = NordenScraper.start_urls[0]
    with pytest.raises(LayoutChanged, match=r"expected 1 'a\.news-list__link' at " + url):
        list(NordenScraper().parse(html, url))


@pytest.mark.live
def test_live_lists_parse():
    from scrapers.http import HttpClient

    with HttpClient(cache_path=None, delay=1.0) as client:
        for url in NordenScraper.start_urls:
            page = client.fetch(url, source="norden")
            list(NordenScraper().parse(page.text, page.url))
