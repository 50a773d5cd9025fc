"""liepaja2027.lv news list (two pages) -> open-call posts -> three calls; one small test per field."""

from __future__ import annotations

from datetime import date

import pytest

from grantmatch.models import ApplicantType
from scrapers import normalize
from scrapers.errors import LayoutChanged, ScrapeError
from scrapers.sources.liepaja2027 import Liepaja2027Scraper
from tests.scrapers.offline import by_id, crawl, fixture, run_on_site

LIST = "https://liepaja2027.lv/aktualitates/"
MICRO = "liepaja2027-izsludinam-mikrograntu-konkursu-apkaimju-kulturas-iniciativam"
GREEN = "liepaja2027-atklats-tematiskais-lidzfinansejuma-konkurss-zala-kultura"
RESID = "liepaja2027-open-call-macibu-residences-makslinieku-kopienam"


@pytest.fixture(scope="module")
def crawled():
    return crawl(Liepaja2027Scraper)


@pytest.fixture(scope="module")
def calls(crawled):
    return by_id(crawled[0])


def test_follows_pagination_and_only_open_call_posts(crawled):
    fetched = crawled[1]
    assert LIST + "page/2/" in fetched
    # two list pages + 3 posts: of the 4 "Atklātie konkursi" cards the results post is skipped by its title
    assert len(fetched) == 2 + 3


def test_news_results_volunteers_trainings_are_not_calls(calls):
    assert sorted(calls) == sorted([MICRO, GREEN, RESID])


def test_title_and_url(calls):
    assert calls[GREEN].title == "Atklāts tematiskais līdzfinansējuma konkurss „Zaļā kultūra”"
    assert calls[GREEN].url == LIST + "atklats-tematiskais-lidzfinansejuma-konkurss-zala-kultura/"


def test_summary_without_page_noise(calls):
    s = calls[MICRO].summary
    assert "kaimiņu svētki" in s
    assert "sīkdatnes" not in s and "Citas aktualitātes" not in s and "Dalies" not in s


def test_funder_and_programme(calls):
    assert calls[MICRO].funder == 'Nodibinājums "Liepāja 2027"'
    assert calls[MICRO].programme.startswith("Liepāja 2027")


def test_deadline(calls):
    assert calls[MICRO].deadline == date(2026, 12, 14)
    assert calls[GREEN].deadline == date(2027, 1, 19)
    assert calls[RESID].deadline == date(2026, 5, 15)


def test_deadline_text(calls):
    assert calls[MICRO].deadline_text == "līdz 2026. gada 14. decembrim plkst. 23.59"


def test_implementation_period_is_not_the_open_date(calls):
    # "Iniciatīvām jānotiek no 2027. gada 1. februāra līdz 31. maijam" is after the deadline
    assert calls[MICRO].open_date is None


def test_amounts(calls):
    assert (calls[MICRO].min_amount_eur, calls[MICRO].max_amount_eur) == (None, 1000)
    assert (calls[GREEN].min_amount_eur, calls[GREEN].max_amount_eur) == (2000, 10000)
    assert calls[RESID].max_amount_eur == 6000  # "Vienai rezidencei … līdz 6000 eiro"


def test_total_budget(calls):
    assert calls[MICRO].total_budget_eur == 9000
    assert calls[GREEN].total_budget_eur == 50_000
    assert calls[RESID].total_budget_eur is None


def test_cofinancing(calls):
    assert calls[GREEN].cofinancing_pct == 20  # "nepārsniedz 80% no projekta kopējām izmaksām"
    assert calls[MICRO].cofinancing_pct is None


def test_applicants_include_companies_and_informal_groups(calls):
    A = ApplicantType
    assert {A.ASSOCIATION, A.FOUNDATION, A.COMPANY, A.INFORMAL_GROUP} <= set(calls[MICRO].eligible_applicants)
    assert A.INDIVIDUAL in calls[RESID].eligible_applicants


def test_geography(calls):
    assert calls[MICRO].geography == ("Liepāja",)
    assert calls[GREEN].geography == ("Liepāja", "Dienvidkurzeme")


def test_changed_list_layout_names_selector_and_url():
    with pytest.raises(LayoutChanged) as err:
        list(Liepaja2027Scraper().parse(fixture(Liepaja2027Scraper, "aktualitates_changed.html"), LIST))
    assert "'article.news-item'" in str(err.value) and LIST in str(err.value)


def test_run_with_changed_list_fails_loudly():
    with pytest.raises(ScrapeError, match="news-item"):
        run_on_site(Liepaja2027Scraper, {LIST: fixture(Liepaja2027Scraper, "aktualitates_changed.html")})


def test_normalize_per_unit_cap():
    assert normalize.parse_amounts("Vienai rezidencei pieejams finansējums līdz 6000 eiro.") == (None, 6000)


def test_normalize_open_date_not_implementation_period():
    assert normalize.find_open_date("Iniciatīvām jānotiek no 2027. gada 1. februāra līdz 31. maijam.") is None


@pytest.mark.live
def test_live_list_parses():
    from scrapers.http import HttpClient

    with HttpClient(cache_path=None, delay=1.0) as client:
        page = client.fetch(LIST, source="liepaja2027")
    list(Liepaja2027Scraper().parse(page.text, page.url))  # LayoutChanged if the list changed
