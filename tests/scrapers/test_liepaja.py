"""liepaja.lv NVO projects hub: hub -> competition sub-pages -> three calls; one small test per field."""

from __future__ import annotations

from datetime import date

import pytest

from grantmatch.models import ApplicantType, Status
from scrapers import normalize
from scrapers.errors import LayoutChanged
from scrapers.sources.liepaja import LiepajaScraper
from tests.scrapers.offline import TODAY, by_id, crawl, fixture, run_on_site

# --------------------------------------------------------------------------- liepaja

HUB = "https://www.liepaja.lv/nvo-projekti/"
PSO = "liepaja-pilsoniskas-sabiedribas-organizaciju-projektu-konkurss-2027"
SOC = "liepaja-socialas-ieklausanas-veicinasanas-projektu-konkurss-2027"
YOUTH = "liepaja-jauniesu-iniciativu-projektu-konkurss-2026"


@pytest.fixture(scope="module")
def crawled():
    return crawl(LiepajaScraper)


@pytest.fixture(scope="module")
def calls(crawled):
    return by_id(crawled[0])


def test_hub_links_every_sub_page(crawled):
    assert len(crawled[1]) == 1 + 6


def test_only_announced_competitions_are_calls(calls):
    # results table, "NVO māja" and the not-yet-announced health competition are skipped
    assert sorted(calls) == sorted([PSO, SOC, YOUTH])


def test_title_and_url(calls):
    c = calls[PSO]
    assert c.title == "Pilsoniskās sabiedrības organizāciju projektu konkurss"
    assert c.url == HUB + "pilsoniskas-sabiedribas-organizaciju-projektu-konkurss/"


def test_id_carries_the_round_year(calls):
    assert calls[YOUTH].id.endswith("-2026") and calls[PSO].id.endswith("-2027")


def test_summary_is_page_text_without_noise(calls):
    s = calls[PSO].summary
    assert "Apkaimju kopienu stiprināšana" in s
    assert "sīkdatnes" not in s and "Klientu apkalpošanas centrs" not in s and "Dalīties" not in s


def test_funder_and_source(calls):
    assert {c.funder for c in calls.values()} == {"Liepājas valstspilsētas pašvaldība"}
    assert {c.source for c in calls.values()} == {"liepaja"}


def test_deadline_from_aktuali_box(calls):
    assert calls[PSO].deadline == date(2027, 4, 9)
    assert calls[SOC].deadline == date(2027, 2, 22)
    assert calls[YOUTH].deadline == date(2026, 10, 16)


def test_deadline_text_as_published(calls):
    assert calls[SOC].deadline_text == "līdz 2027. gada 22. februārim plkst. 17.00"


def test_open_date(calls):
    assert calls[PSO].open_date == date(2027, 2, 15)
    assert calls[SOC].open_date == date(2026, 12, 14)
    assert calls[YOUTH].open_date is None


def test_status_from_today(calls):
    assert calls[PSO].status(TODAY) is Status.FORTHCOMING
    assert calls[YOUTH].status(TODAY) is Status.CLOSED


def test_amounts_per_project(calls):
    assert (calls[PSO].min_amount_eur, calls[PSO].max_amount_eur) == (500, 4000)
    assert (calls[SOC].min_amount_eur, calls[SOC].max_amount_eur) == (None, 8000)
    assert calls[YOUTH].max_amount_eur == 500


def test_total_budget(calls):
    assert calls[PSO].total_budget_eur == 50_000
    assert calls[SOC].total_budget_eur == 130_000
    assert calls[YOUTH].total_budget_eur == 10_000


def test_cofinancing(calls):
    assert calls[PSO].cofinancing_pct == 30  # "nedrīkst pārsniegt 70% no … izmaksām"
    assert calls[SOC].cofinancing_pct == 10
    assert calls[YOUTH].cofinancing_pct == 0  # "Līdzfinansējums … nav nepieciešams"


def test_applicants(calls):
    A = ApplicantType
    assert calls[PSO].eligible_applicants == (A.ASSOCIATION, A.FOUNDATION)
    assert calls[SOC].eligible_applicants == (A.ASSOCIATION, A.FOUNDATION, A.RELIGIOUS_ORG)
    assert A.INFORMAL_GROUP in calls[YOUTH].eligible_applicants


def test_geography(calls):
    assert {c.geography for c in calls.values()} == {("Liepāja",)}


def test_changed_hub_layout_names_selector_and_url():
    with pytest.raises(LayoutChanged) as err:
        list(LiepajaScraper().parse(fixture(LiepajaScraper, "hub_changed.html"), HUB))
    assert "'article.subpage-card'" in str(err.value) and HUB in str(err.value)


def test_sub_page_without_title_is_a_layout_change():
    url = HUB + "pilsoniskas-sabiedribas-organizaciju-projektu-konkurss/"
    html = fixture(LiepajaScraper, "pilsoniskas-sabiedribas-organizaciju-projektu-konkurss.html")
    with pytest.raises(LayoutChanged, match="h1.entry-title"):
        list(LiepajaScraper().parse_competition(html.replace("entry-title", "headline"), url, {}))


def test_hub_with_only_non_calls_yields_nothing():
    url = HUB + "nvo-maja/"
    assert list(LiepajaScraper().parse_competition(fixture(LiepajaScraper, "nvo-maja.html"), url, {})) == []


def test_run_with_changed_hub_fails_loudly():
    from scrapers.errors import ScrapeError

    with pytest.raises(ScrapeError, match="subpage-card"):
        run_on_site(LiepajaScraper, {HUB: fixture(LiepajaScraper, "hub_changed.html")})


# --------------------------------------------------------------------------- normalize phrases (reported to S1)


def test_normalize_garigo_is_not_riga():
    assert normalize.find_geography("Projekti, kas veicina garīgo veselību Liepājā.") == ("Liepāja",)


def test_normalize_applicants_under_heading():
    text = "Kas var pieteikties?\nNeformālas jauniešu grupas – vismaz 3 jaunieši.\nBiedrības un nodibinājumi."
    assert ApplicantType.INFORMAL_GROUP in normalize.find_applicants(text)


def test_normalize_no_cofinancing_needed():
    assert normalize.find_cofinancing_pct("Līdzfinansējums no jauniešiem nav nepieciešams.") == 0


@pytest.mark.live
def test_live_hub_parses():
    from scrapers.http import HttpClient

    with HttpClient(cache_path=None, delay=1.0) as client:
        page = client.fetch(HUB, source="liepaja")
    assert list(LiepajaScraper().parse(page.text, page.url))  # LayoutChanged if the hub changed
