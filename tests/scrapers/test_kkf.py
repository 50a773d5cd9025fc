"""VKKF (kkf.lv "Aktualitātes"): a round and a target programme; one small test per field."""

from __future__ import annotations

from datetime import date

import pytest

from grantmatch.models import ApplicantType, PriorityArea
from scrapers.errors import LayoutChanged
from scrapers.sources.kkf import KkfScraper
from tests.scrapers.offline import by_id, crawl, fixture

ROUND = "kkf-izsludinats-2027-gada-1-projektu-konkurss"
SOMA = "kkf-merkprogramma-latvijas-skolas-soma-2027"


@pytest.fixture(scope="module")
def calls():
    return by_id(crawl(KkfScraper)[0])


def test_results_and_office_news_skipped(calls):
    assert sorted(calls) == sorted([ROUND, SOMA])


def test_title_and_url(calls):
    assert calls[ROUND].title == "Izsludināts 2027. gada 1. projektu konkurss"
    assert calls[ROUND].url == "https://www.kkf.lv/lv/aktualitates/izsludinats-2027-gada-1-projektu-konkurss"


def test_programme_round_and_target_programme(calls):
    assert calls[ROUND].programme == "VKKF 2027. gada 1. projektu konkurss"
    assert calls[SOMA].programme == "mērķprogramma “Latvijas skolas soma”"


def test_deadline_with_hour_kept_in_words(calls):
    assert calls[ROUND].deadline == date(2027, 2, 4)
    assert calls[ROUND].deadline_text.endswith("plkst. 23.59")
    assert calls[SOMA].deadline == date(2027, 9, 29)


def test_amounts_and_total(calls):
    assert calls[ROUND].total_budget_eur == 1_650_000
    assert calls[SOMA].max_amount_eur == 10000 and calls[SOMA].total_budget_eur == 250_000


def test_applicants_include_individuals(calls):
    assert ApplicantType.INDIVIDUAL in calls[ROUND].eligible_applicants
    assert ApplicantType.RELIGIOUS_ORG in calls[ROUND].eligible_applicants


def test_area_is_culture(calls):
    assert calls[ROUND].priority_areas[0] == PriorityArea.CULTURE


def test_changed_list_layout_raises_with_selector_and_url():
    html = fixture(KkfScraper, "aktualitates_changed.html")
    url = KkfScraper.start_urls[0]
    expected = r"kkf: expected >=1 'article\.news-card' at https://www\.kkf\.lv/lv/aktualitates, found 0"
    with pytest.raises(LayoutChanged, match=expected):
        list(KkfScraper().parse(html, url))


@pytest.mark.live
def test_live_list_parses():
    from scrapers.http import HttpClient

    with HttpClient(cache_path=None, delay=1.0) as client:
        page = client.fetch(KkfScraper.start_urls[0], source="kkf")
    list(KkfScraper().parse(page.text, page.url))
