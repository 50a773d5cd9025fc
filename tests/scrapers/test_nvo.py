"""LPA (nvo.lv): own re-grants and reposted calls; one small test per field."""

from __future__ import annotations

from datetime import date

import pytest

from grantmatch.models import ApplicantType
from scrapers.errors import LayoutChanged
from scrapers.sources.nvo import NvoScraper
from tests.scrapers.offline import by_id, crawl, fixture

OWN = "nvo-lpa-izsludina-mazo-grantu-konkursu-kopienu-iniciativam"
REPOST = "nvo-sif-izsludina-nvo-fonda-konkursu-2028"


@pytest.fixture(scope="module")
def calls():
    return by_id(crawl(NvoScraper)[0])


def test_events_and_surveys_skipped(calls):
    assert sorted(calls) == sorted([OWN, REPOST])


def test_funder_own_and_reposted(calls):
    assert calls[OWN].funder == "Latvijas Pilsoniskā alianse"
    assert calls[REPOST].funder == "Sabiedrības integrācijas fonds"


def test_programme(calls):
    assert calls[OWN].programme == "Kopienu iniciatīvas 2027"
    assert calls[REPOST].programme == "NVO fonds"


def test_small_grant_amounts(calls):
    assert (calls[OWN].min_amount_eur, calls[OWN].max_amount_eur, calls[OWN].total_budget_eur) == (300, 1000, 10500)


def test_deadline(calls):
    assert calls[OWN].deadline == date(2027, 1, 15)
    assert calls[REPOST].deadline == date(2027, 10, 20)


def test_applicants_include_informal_groups(calls):
    assert ApplicantType.INFORMAL_GROUP in calls[OWN].eligible_applicants


def test_outside_riga_is_not_riga(calls):
    assert "Rīga" not in calls[OWN].geography


def test_changed_list_layout_raises():
    html = fixture(NvoScraper, "zinas_changed.html")
    with pytest.raises(LayoutChanged, match=r"expected 1 'h2\.news-item__title a' at https://nvo\.lv/lv/zinas"):
        list(NvoScraper().parse(html, NvoScraper.start_urls[0]))


@pytest.mark.live
def test_live_list_parses():
    from scrapers.http import HttpClient

    with HttpClient(cache_path=None, delay=1.0) as client:
        page = client.fetch(NvoScraper.start_urls[0], source="nvo")
    list(NvoScraper().parse(page.text, page.url))
