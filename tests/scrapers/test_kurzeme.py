"""kurzemesregions.lv WordPress feed -> call posts -> two calls; one small test per field."""

from __future__ import annotations

from datetime import date

import pytest

from grantmatch.models import ApplicantType
from scrapers.announcement import looks_like_call
from scrapers.errors import LayoutChanged, ScrapeError
from scrapers.sources.kurzeme import KurzemesRegionsScraper
from tests.scrapers.offline import by_id, crawl, fixture, run_on_site

FEED = "https://kurzemesregions.lv/feed/"
YOUTH = "kurzeme-izsludinats-jauniesu-iniciativu-projektu-konkurss-jauniesi-kurzemei-2027"
KKP = "kurzeme-izsludinats-kurzemes-kulturas-programmas-2026-gada-projektu-konkurss"


@pytest.fixture(scope="module")
def crawled():
    return crawl(KurzemesRegionsScraper)


@pytest.fixture(scope="module")
def calls(crawled):
    return by_id(crawled[0])


def test_only_call_posts_are_fetched(crawled):
    # feed + 2 call posts; council meeting, bus timetable, Interreg news and results are skipped by title
    assert len(crawled[1]) == 3


def test_count(calls):
    assert sorted(calls) == sorted([YOUTH, KKP])


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Izsludināts Kurzemes kultūras programmas 2026. gada projektu konkurss", True),
        ("Kurzemes kultūras programmas 2026. gada rezultāti: atbalstu saņems 38 projekti", False),
        ("Kurzemes plānošanas reģiona attīstības padomes sēde 26. novembrī", False),
        ("Noslēgusies Interreg projekta „Coastal Heritage” partneru tikšanās Ventspilī", False),
        ("Izmaiņas reģionālo autobusu maršrutos no 1. decembra", False),
    ],
)
def test_title_filter(title, expected):
    assert looks_like_call(title) is expected


def test_results_post_page_is_not_a_call_even_if_fetched():
    slug = "kurzemes-kulturas-programmas-2026-rezultati-atbalstu-sanems-38-projekti"
    url = f"https://kurzemesregions.lv/{slug}/"
    html = fixture(KurzemesRegionsScraper, f"{slug}.html")
    assert list(KurzemesRegionsScraper().parse_post(html, url, {})) == []


def test_title_and_url(calls):
    assert calls[KKP].title == "Izsludināts Kurzemes kultūras programmas 2026. gada projektu konkurss"
    assert calls[KKP].url == "https://kurzemesregions.lv/izsludinats-kurzemes-kulturas-programmas-2026-gada-projektu-konkurss/"


def test_summary_without_page_noise(calls):
    s = calls[KKP].summary
    assert "kultūras daudzveidību" in s
    assert "sīkdatnes" not in s.lower() and "Jaunākie ieraksti" not in s and "Avotu iela" not in s


def test_funder_and_programme(calls):
    assert calls[KKP].funder == "Kurzemes plānošanas reģions"
    assert calls[KKP].programme == "Kurzemes kultūras programma"
    assert calls[YOUTH].programme is None


def test_deadline_and_text(calls):
    assert calls[KKP].deadline == date(2026, 3, 26)
    assert calls[KKP].deadline_text == "līdz 2026. gada 26. martam plkst. 23.59"
    assert calls[YOUTH].deadline == date(2027, 1, 15)


def test_implementation_period_is_not_open_date(calls):
    assert calls[KKP].open_date is None


def test_amounts(calls):
    assert (calls[KKP].min_amount_eur, calls[KKP].max_amount_eur) == (None, None)  # "nav noteikts"
    assert calls[YOUTH].max_amount_eur == 1000


def test_total_budget(calls):
    assert calls[KKP].total_budget_eur == 125_000
    assert calls[YOUTH].total_budget_eur == 20_000


def test_cofinancing(calls):
    assert calls[YOUTH].cofinancing_pct == 0
    assert calls[KKP].cofinancing_pct is None


def test_applicants(calls):
    A = ApplicantType
    assert calls[KKP].eligible_applicants == (A.ASSOCIATION, A.FOUNDATION, A.MUNICIPALITY, A.INDIVIDUAL)
    assert {A.ASSOCIATION, A.INFORMAL_GROUP} <= set(calls[YOUTH].eligible_applicants)


def test_geography(calls):
    assert calls[KKP].geography == ("Kurzeme",)
    assert "Kurzeme" in calls[YOUTH].geography


def test_changed_feed_layout_names_selector_and_url():
    with pytest.raises(LayoutChanged) as err:
        list(KurzemesRegionsScraper().parse(fixture(KurzemesRegionsScraper, "feed_changed.xml"), FEED))
    assert "'rss/channel/item'" in str(err.value) and FEED in str(err.value)


def test_html_instead_of_feed_is_a_layout_change():
    with pytest.raises(LayoutChanged, match="RSS 2.0 feed"):
        list(KurzemesRegionsScraper().parse("<html><body><p>Maintenance<br></body>", FEED))


def test_run_with_changed_feed_fails_loudly():
    with pytest.raises(ScrapeError, match="channel/item"):
        run_on_site(KurzemesRegionsScraper, {FEED: fixture(KurzemesRegionsScraper, "feed_changed.xml")})


@pytest.mark.live
def test_live_feed_parses():
    from scrapers.http import HttpClient

    with HttpClient(cache_path=None, delay=1.0) as client:
        page = client.fetch(FEED, source="kurzeme")
    list(KurzemesRegionsScraper().parse(page.text, page.url))  # LayoutChanged if the feed changed
