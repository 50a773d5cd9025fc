"""kurzemesnvo.lv WordPress feed -> call posts -> two calls; seminars/forums/results skipped."""

from __future__ import annotations

from datetime import date

import pytest

from grantmatch.models import ApplicantType
from scrapers.errors import LayoutChanged, ScrapeError
from scrapers.sources.kurzemesnvo import KurzemesNvoScraper
from tests.scrapers.offline import by_id, crawl, fixture, run_on_site

FEED = "https://kurzemesnvo.lv/feed/"
MICRO = "kurzemesnvo-mikrogranti-kurzemes-nvo-kapacitates-stiprinasanai"
IK = "kurzemesnvo-izsludinats-konkurss-iesaisties-kurzeme-2026"
SEMINAR = "seminars-ka-uzrakstit-labu-projekta-pieteikumu"


@pytest.fixture(scope="module")
def crawled():
    return crawl(KurzemesNvoScraper)


@pytest.fixture(scope="module")
def calls(crawled):
    return by_id(crawled[0])


def test_count(calls, crawled):
    assert sorted(calls) == sorted([MICRO, IK])
    assert len(crawled[1]) == 3


def test_seminar_with_call_words_and_a_date_is_skipped():
    # the title says "projekta pieteikumu" and the page says "pieteikties līdz 5. decembrim"
    url = f"https://kurzemesnvo.lv/{SEMINAR}/"
    assert list(KurzemesNvoScraper().parse_post(fixture(KurzemesNvoScraper, f"{SEMINAR}.html"), url, {})) == []


def test_title_and_url(calls):
    assert calls[IK].title == "Izsludināts konkurss „Iesaisties Kurzemē!” 2026"
    assert calls[IK].url == "https://kurzemesnvo.lv/izsludinats-konkurss-iesaisties-kurzeme-2026/"


def test_summary_without_page_noise(calls):
    s = calls[MICRO].summary
    assert "Aktīvo iedzīvotāju fonds" in s
    assert "sīkdatnes" not in s.lower() and "Lielā iela 19/21" not in s and "Iepriekšējais ieraksts" not in s


def test_funder_and_programme(calls):
    assert calls[IK].funder == "Kurzemes NVO atbalsta centrs"
    assert calls[IK].programme == "Iesaisties Kurzemē!"
    assert calls[MICRO].programme is None


def test_deadline_and_text(calls):
    assert calls[MICRO].deadline == date(2026, 12, 18)
    assert calls[MICRO].deadline_text == "līdz 2026. gada 18. decembrim plkst. 17.00"
    assert calls[IK].deadline == date(2026, 7, 20)


def test_open_date_not_stated(calls):
    assert calls[IK].open_date is None and calls[MICRO].open_date is None


def test_amounts(calls):
    assert calls[IK].max_amount_eur == 1600
    assert calls[MICRO].max_amount_eur == 500


def test_total_budget(calls):
    assert calls[IK].total_budget_eur == 15_000
    assert calls[MICRO].total_budget_eur == 8000


def test_no_cofinancing_required(calls):
    assert calls[IK].cofinancing_pct == 0  # "Līdzfinansējums no pieteicēja netiek prasīts"
    assert calls[MICRO].cofinancing_pct == 0


def test_applicants(calls):
    A = ApplicantType
    assert calls[IK].eligible_applicants == (A.ASSOCIATION, A.FOUNDATION, A.INFORMAL_GROUP)
    assert calls[MICRO].eligible_applicants == (A.ASSOCIATION, A.FOUNDATION)


def test_geography(calls):
    assert calls[IK].geography == ("Kurzeme",)
    assert calls[MICRO].geography == ("Kurzeme",)


def test_changed_feed_layout_names_selector_and_url():
    with pytest.raises(LayoutChanged) as err:
        list(KurzemesNvoScraper().parse(fixture(KurzemesNvoScraper, "feed_changed.xml"), FEED))
    assert "'rss/channel/item'" in str(err.value) and FEED in str(err.value)


def test_post_without_content_block_is_a_layout_change():
    url = f"https://kurzemesnvo.lv/{IK.removeprefix('kurzemesnvo-')}/"
    html = fixture(KurzemesNvoScraper, "izsludinats-konkurss-iesaisties-kurzeme-2026.html")
    with pytest.raises(LayoutChanged, match="div.entry-content"):
        list(KurzemesNvoScraper().parse_post(html.replace("entry-content", "post-body"), url, {}))


def test_one_broken_post_is_reported_and_the_rest_goes_on():
    broken = {f"https://kurzemesnvo.lv/{IK.removeprefix('kurzemesnvo-')}/": "<html><body>oops</body></html>"}
    result = run_on_site(KurzemesNvoScraper, broken)
    assert [c.id for c in result.calls] == [MICRO]
    assert len(result.errors) == 1 and "h1.entry-title" in result.errors[0]


def test_run_with_changed_feed_fails_loudly():
    with pytest.raises(ScrapeError, match="channel/item"):
        run_on_site(KurzemesNvoScraper, {FEED: fixture(KurzemesNvoScraper, "feed_changed.xml")})


@pytest.mark.live
def test_live_feed_parses():
    from scrapers.http import HttpClient

    with HttpClient(cache_path=None, delay=1.0) as client:
        page = client.fetch(FEED, source="kurzemesnvo")
    list(KurzemesNvoScraper().parse(page.text, page.url))  # LayoutChanged if the feed changed
