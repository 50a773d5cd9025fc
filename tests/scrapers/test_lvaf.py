"""LVAF via VRAA (gov.lv platform): only LVAF-tagged call items; one small test per field."""

from __future__ import annotations

from datetime import date

import pytest

from grantmatch.models import ApplicantType
from scrapers.errors import LayoutChanged
from scrapers.sources.lvaf import LvafScraper
from tests.scrapers.offline import by_id, crawl, fixture

YOUTH = "lvaf-lvaf-izsludina-konkursu-jauniesu-vides-apzinas-veicinasanas-pasakumi"
LOCAL = "lvaf-praktiskas-videjas-vides-iniciativas-izsludinats-divpakapju-konkurss"


@pytest.fixture(scope="module")
def calls():
    return by_id(crawl(LvafScraper)[0])


def test_only_lvaf_calls_are_read(calls):
    assert sorted(calls) == sorted([YOUTH, LOCAL])


def test_title_programme_funder(calls):
    assert calls[YOUTH].title == "LVAF izsludina konkursu “Jauniešu vides apziņas veicināšanas pasākumi”"
    assert calls[YOUTH].programme == "Jauniešu vides apziņas veicināšanas pasākumi"
    assert calls[YOUTH].funder == "Latvijas vides aizsardzības fonds"


def test_amounts_and_total(calls):
    assert calls[YOUTH].max_amount_eur == 15000 and calls[YOUTH].total_budget_eur == 200_000
    assert calls[LOCAL].max_amount_eur == 30000 and calls[LOCAL].total_budget_eur == 400_000


def test_cofinancing_from_own_share_and_from_grant_cap(calls):
    assert calls[YOUTH].cofinancing_pct == 10
    assert calls[LOCAL].cofinancing_pct == 15  # "nedrīkst pārsniegt 85%"


def test_open_date_and_deadline(calls):
    assert calls[YOUTH].open_date == date(2027, 1, 5)
    assert calls[YOUTH].deadline == date(2027, 2, 26)
    assert calls[LOCAL].deadline == date(2027, 3, 5)
    assert "plkst. 16.00" in calls[LOCAL].deadline_text


def test_applicants(calls):
    assert ApplicantType.SCHOOL in calls[YOUTH].eligible_applicants
    assert ApplicantType.MUNICIPALITY in calls[LOCAL].eligible_applicants


def test_areas(calls):
    # priority areas are not guessed by the scraper: the weekly job tags them with matcher.tag_areas
    assert all(c.priority_areas == () for c in calls.values())


def test_changed_article_layout_raises():
    url = next(u for u in LvafScraper.fixture_pages if "jauniesu" in u)
    html = fixture(LvafScraper, url).replace("node--type-article", "node--type-page")
    with pytest.raises(LayoutChanged, match=r"expected 1 'article\.node--type-article' at " + url):
        list(LvafScraper().parse_article(html, url, {}))


@pytest.mark.live
def test_live_feed_parses():
    from scrapers.http import HttpClient

    with HttpClient(cache_path=None, delay=1.0) as client:
        page = client.fetch(LvafScraper.start_urls[0], source="lvaf")
    list(LvafScraper().parse(page.text, page.url))
