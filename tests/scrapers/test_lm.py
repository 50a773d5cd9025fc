"""Labklājības ministrija (gov.lv platform): NGO welfare calls; one small test per field."""

from __future__ import annotations

from datetime import date

import pytest

from grantmatch.models import ApplicantType
from scrapers.sources.lm import LmScraper
from tests.scrapers.offline import by_id, crawl

WELFARE = "lm-izsludinats-konkurss-nevalstisko-organizaciju-projektu-istenosana-labkl-3fef936f"
DISABILITY = "lm-atbalsts-nvo-kas-parstav-cilvekus-ar-invaliditati"


@pytest.fixture(scope="module")
def calls():
    return by_id(crawl(LmScraper)[0])


def test_policy_news_is_skipped(calls):
    assert sorted(calls) == sorted([WELFARE, DISABILITY])


def test_programme(calls):
    assert calls[WELFARE].programme == "Nevalstisko organizāciju projektu īstenošana labklājības jomā 2027. gadā"


def test_amounts(calls):
    assert calls[WELFARE].max_amount_eur == 25000
    assert (calls[DISABILITY].min_amount_eur, calls[DISABILITY].max_amount_eur) == (3000, 15000)


def test_total_budget(calls):
    assert calls[WELFARE].total_budget_eur == 160_000


def test_deadline_is_submission_not_implementation_end(calls):
    assert calls[WELFARE].deadline == date(2027, 4, 26)
    assert calls[DISABILITY].deadline == date(2027, 7, 1)


def test_applicants(calls):
    assert calls[WELFARE].eligible_applicants == (
        ApplicantType.ASSOCIATION, ApplicantType.FOUNDATION, ApplicantType.RELIGIOUS_ORG,
    )


def test_geography_registered_in_republic(calls):
    assert calls[WELFARE].geography == ("LV",)


def test_cofinancing_not_stated(calls):
    assert calls[WELFARE].cofinancing_pct is None


def test_areas(calls):
    # priority areas are not guessed by the scraper: the weekly job tags them with matcher.tag_areas
    assert all(c.priority_areas == () for c in calls.values())


@pytest.mark.live
def test_live_feed_parses():
    from scrapers.http import HttpClient

    with HttpClient(cache_path=None, delay=1.0) as client:
        page = client.fetch(LmScraper.start_urls[0], source="lm")
    list(LmScraper().parse(page.text, page.url))
