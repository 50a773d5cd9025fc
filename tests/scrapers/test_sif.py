"""SIF (gov.lv platform): feed -> three calls; one small test per field."""

from __future__ import annotations

from datetime import date

import pytest

from grantmatch.models import ApplicantType
from scrapers.sources.sif import SifScraper
from tests.scrapers.offline import by_id, crawl, run_on_site

NVO = "sif-izsludinats-nvo-fonda-projektu-konkurss-2028-gada-istenojamiem-projektiem"
DIASPORA = "sif-aicinam-pieteikties-diasporas-un-latvijas-bernu-kopejam-nometnem"


@pytest.fixture(scope="module")
def calls():
    found, _ = crawl(SifScraper)
    return by_id(found)


def test_count_skips_results_meetings_vacancies_seminars(calls):
    assert len(calls) == 3


def test_title_and_url(calls):
    c = calls[NVO]
    assert c.title == "Izsludināts NVO fonda projektu konkurss 2028. gadā īstenojamiem projektiem"
    assert c.url == "https://www.sif.gov.lv/lv/jaunums/" + NVO.removeprefix("sif-")


def test_summary_is_article_text_without_page_noise(calls):
    s = calls[NVO].summary
    assert "NVO darbības stiprināšana" in s
    assert "sīkdatnes" not in s and "Dalīties" not in s and "Reģ. Nr." not in s


def test_funder_and_programme(calls):
    assert calls[NVO].funder == "Sabiedrības integrācijas fonds"
    assert calls[NVO].programme == "NVO fonds"


def test_amounts(calls):
    assert (calls[NVO].min_amount_eur, calls[NVO].max_amount_eur) == (5000, 30000)
    assert calls[DIASPORA].max_amount_eur == 14000


def test_total_budget(calls):
    assert calls[NVO].total_budget_eur == 1_900_000
    assert calls[DIASPORA].total_budget_eur == 140_865


def test_cofinancing(calls):
    assert calls[DIASPORA].cofinancing_pct == 0
    minority = next(c for c in calls.values() if "mazakumtautibu" in c.id)
    assert minority.cofinancing_pct == 10


def test_deadline_and_words(calls):
    assert calls[NVO].deadline == date(2027, 10, 20)
    assert calls[NVO].deadline_text == "līdz 2027. gada 20. oktobrim plkst. 23.59"
    assert calls[DIASPORA].deadline == date(2027, 3, 19)


def test_applicants(calls):
    assert calls[NVO].eligible_applicants == (ApplicantType.ASSOCIATION, ApplicantType.FOUNDATION)
    assert ApplicantType.RELIGIOUS_ORG in calls[DIASPORA].eligible_applicants


def test_geography(calls):
    assert calls[NVO].geography == ("LV",)


def test_language_and_areas(calls):
    assert calls[NVO].language == "lv"
    # priority areas are not guessed by the scraper: the weekly job tags them with matcher.tag_areas
    assert all(c.priority_areas == () for c in calls.values())


def test_ids_are_stable_and_unique(calls):
    again, _ = crawl(SifScraper)
    assert sorted(calls) == sorted(c.id for c in again)


def test_zero_call_items_is_an_error_not_an_empty_source():
    from scrapers.errors import ScrapeError

    feed = """<?xml version="1.0"?><rss version="2.0"><channel><title>SIF</title>
    <item><title>SIF padomes sēde</title><link>https://www.sif.gov.lv/lv/jaunums/sede</link></item>
    </channel></rss>"""
    with pytest.raises(ScrapeError, match="sif: expected >=1 call"):
        run_on_site(SifScraper, {SifScraper.start_urls[0]: feed})


@pytest.mark.live
def test_live_feed_parses():
    from scrapers.http import HttpClient

    with HttpClient(cache_path=None, delay=1.0) as client:
        page = client.fetch(SifScraper.start_urls[0], source="sif")
    list(SifScraper().parse(page.text, page.url))  # raises LayoutChanged if the platform changed
