"""U.S. Embassy Riga grants (English NOFOs, USD amounts); one small test per field."""

from __future__ import annotations

from datetime import date

import pytest

from grantmatch.models import ApplicantType, Status
from scrapers.errors import LayoutChanged
from scrapers.normalize import EUR_PER_UNIT
from scrapers.sources.usembassy import UsEmbassyScraper
from tests.scrapers.offline import by_id, crawl, fixture

EUR_PER_USD = EUR_PER_UNIT["USD"]

STEAM = "usembassy-pas-riga-fy27-01"
APS = "usembassy-pas-riga-fy27-aps"


@pytest.fixture(scope="module")
def calls():
    return by_id(crawl(UsEmbassyScraper)[0])


def test_current_opportunities_only(calls):
    assert sorted(calls) == sorted([STEAM, APS])


def test_id_from_funding_opportunity_number(calls):
    assert STEAM in calls


def test_title_and_language(calls):
    assert calls[STEAM].title == "U.S. Embassy Small Grants 2027: STEAM Education and Youth Entrepreneurship"
    assert calls[STEAM].language == "en"


def test_usd_converted_with_fixed_rate(calls):
    assert calls[STEAM].min_amount_eur == pytest.approx(5000 * EUR_PER_USD)
    assert calls[STEAM].max_amount_eur == pytest.approx(26000 * EUR_PER_USD)
    assert calls[STEAM].total_budget_eur == pytest.approx(150000 * EUR_PER_USD)


def test_usd_text_kept(calls):
    assert "$26,000" in calls[STEAM].summary and "EUR per USD" in calls[STEAM].summary


def test_deadline_english_date(calls):
    assert calls[STEAM].deadline == date(2027, 3, 15)
    assert calls[STEAM].deadline_text == "Deadline for Applications: March 15, 2027"


def test_rolling_statement_has_no_deadline(calls):
    assert calls[APS].deadline is None
    assert calls[APS].status(date(2026, 11, 30)) == Status.ROLLING


def test_applicants_exclude_for_profit(calls):
    assert calls[STEAM].eligible_applicants == (
        ApplicantType.ASSOCIATION, ApplicantType.FOUNDATION, ApplicantType.SCHOOL, ApplicantType.INDIVIDUAL,
    )
    assert ApplicantType.COMPANY not in calls[APS].eligible_applicants


def test_no_cost_share(calls):
    assert calls[STEAM].cofinancing_pct == 0


def test_geography_latvia(calls):
    assert calls[STEAM].geography == ("LV",)


def test_no_open_opportunity_is_allowed():
    html = fixture(UsEmbassyScraper, "grants.html")
    start = html.index('<ul class="funding-opportunities">')
    end = html.index("</ul>", start)
    empty = html[:start] + '<ul class="funding-opportunities">' + html[end:]
    assert list(UsEmbassyScraper().parse(empty, UsEmbassyScraper.start_urls[0])) == []


def test_changed_layout_raises():
    html = fixture(UsEmbassyScraper, "grants_changed.html")
    url = UsEmbassyScraper.start_urls[0]
    with pytest.raises(LayoutChanged, match=r"expected 1 'ul\.funding-opportunities' at " + url):
        list(UsEmbassyScraper().parse(html, url))


@pytest.mark.live
def test_live_page_parses():
    from scrapers.http import HttpClient

    with HttpClient(cache_path=None, delay=1.0) as client:
        page = client.fetch(UsEmbassyScraper.start_urls[0], source="usembassy")
    list(UsEmbassyScraper().parse(page.text, page.url))
