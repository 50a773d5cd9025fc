"""lnf.lv programme list -> programme pages -> three calls (one rolling); one small test per field."""

from __future__ import annotations

from datetime import date

import pytest

from grantmatch.models import ApplicantType, Status
from scrapers.errors import LayoutChanged, ScrapeError
from scrapers.sources.lnf import LiepajasNovadaFondsScraper
from tests.scrapers.offline import TODAY, by_id, crawl, fixture, run_on_site

LIST = "https://lnf.lv/programmas/"
APKAIME = "lnf-atbalsts-apkaimei-2027"
YOUTH = "lnf-jauniesu-mikrogranti"
SENIORS = "lnf-seniori-kopiena-2026"


@pytest.fixture(scope="module")
def calls():
    found, _ = crawl(LiepajasNovadaFondsScraper)
    return by_id(found)


def test_donor_page_is_not_a_call(calls):
    assert sorted(calls) == sorted([APKAIME, YOUTH, SENIORS])


def test_title_url_programme(calls):
    c = calls[APKAIME]
    assert (c.title, c.programme) == ("Atbalsts apkaimei", "Atbalsts apkaimei")
    assert c.url == LIST + "atbalsts-apkaimei/"


def test_summary_without_page_noise(calls):
    s = calls[APKAIME].summary
    assert "Liepājas speciālo ekonomisko zonu" in s
    assert "sīkdatnes" not in s and "Ziedojumu konts" not in s and "Jautājumi?" not in s


def test_funder(calls):
    assert {c.funder for c in calls.values()} == {"Liepājas Novada fonds"}


def test_deadline(calls):
    assert calls[APKAIME].deadline == date(2027, 1, 8)
    assert calls[SENIORS].deadline == date(2026, 9, 15)


def test_rolling_programme_has_no_deadline(calls):
    assert calls[YOUTH].deadline is None
    assert calls[YOUTH].deadline_text == "visu gadu"
    assert calls[YOUTH].status(TODAY) is Status.ROLLING


def test_open_date(calls):
    assert calls[APKAIME].open_date == date(2026, 11, 23)
    assert calls[APKAIME].status(TODAY) is Status.OPEN


def test_amounts(calls):
    assert (calls[YOUTH].min_amount_eur, calls[YOUTH].max_amount_eur) == (100, 150)
    assert calls[APKAIME].max_amount_eur == 1500
    assert calls[SENIORS].max_amount_eur == 500


def test_total_budget(calls):
    assert calls[APKAIME].total_budget_eur == 12_000
    assert calls[SENIORS].total_budget_eur == 4000
    assert calls[YOUTH].total_budget_eur is None


def test_cofinancing(calls):
    assert calls[APKAIME].cofinancing_pct == 0  # "Līdzfinansējums nav obligāts"
    assert calls[SENIORS].cofinancing_pct is None


def test_applicants_from_heading_list(calls):
    A = ApplicantType
    assert calls[APKAIME].eligible_applicants == (A.ASSOCIATION, A.FOUNDATION, A.INFORMAL_GROUP)


def test_geography(calls):
    assert calls[APKAIME].geography == ("Liepāja",)
    assert calls[SENIORS].geography == ("Liepāja", "Dienvidkurzeme")


def test_changed_list_layout_names_selector_and_url():
    with pytest.raises(LayoutChanged) as err:
        list(LiepajasNovadaFondsScraper().parse(fixture(LiepajasNovadaFondsScraper, "programmas_changed.html"), LIST))
    assert "'div.programme-card'" in str(err.value) and LIST in str(err.value)


def test_run_with_changed_list_fails_loudly():
    changed = {LIST: fixture(LiepajasNovadaFondsScraper, "programmas_changed.html")}
    with pytest.raises(ScrapeError, match="programme-card"):
        run_on_site(LiepajasNovadaFondsScraper, changed)


@pytest.mark.live
def test_live_list_parses():
    from scrapers.http import HttpClient

    with HttpClient(cache_path=None, delay=1.0) as client:
        page = client.fetch(LIST, source="lnf")
    list(LiepajasNovadaFondsScraper().parse(page.text, page.url))  # LayoutChanged if the list changed
