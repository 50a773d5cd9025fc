"""JSPA (jaunatne.gov.lv, WordPress): Erasmus+, ESC and youth-policy calls; one small test per field."""

from __future__ import annotations

from datetime import date

import pytest

from grantmatch.models import ApplicantType, PriorityArea
from scrapers.errors import LayoutChanged
from scrapers.sources.jspa import JspaScraper
from tests.scrapers.offline import by_id, crawl, fixture

ERASMUS = "jspa-erasmus-jaunatne-2027-oktobra-termins"
ESC = "jspa-esk-solidaritates-projekti-2027"
LOCAL = "jspa-jaunatnes-politikas-programma-2027-lokalais-limenis"


@pytest.fixture(scope="module")
def calls():
    return by_id(crawl(JspaScraper)[0])


def test_forum_and_results_posts_skipped(calls):
    assert sorted(calls) == sorted([ERASMUS, ESC, LOCAL])


def test_programme(calls):
    assert calls[ERASMUS].programme == "Erasmus+"
    assert calls[ESC].programme == "Eiropas Solidaritātes korpuss"
    assert calls[LOCAL].programme == "Jaunatnes politikas valsts programma"


def test_programme_guide_deadlines(calls):
    assert calls[ERASMUS].deadline == date(2027, 10, 1)
    assert "13.00" in calls[ERASMUS].deadline_text
    assert calls[ESC].deadline == date(2027, 2, 18)


def test_amounts_unit_costs_stay_empty_caps_are_read(calls):
    assert calls[ERASMUS].max_amount_eur is None
    assert calls[LOCAL].max_amount_eur == 6000 and calls[LOCAL].total_budget_eur == 105_000


def test_applicants(calls):
    assert ApplicantType.INFORMAL_GROUP in calls[ESC].eligible_applicants
    assert calls[LOCAL].eligible_applicants == (ApplicantType.MUNICIPALITY,)


def test_area_is_youth(calls):
    assert all(c.priority_areas[0] == PriorityArea.CHILDREN_YOUTH for c in calls.values())


def test_changed_list_layout_raises():
    html = fixture(JspaScraper, "jaunumi_changed.html")
    with pytest.raises(LayoutChanged, match=r"expected 1 'h2\.entry-title a' at https://jaunatne\.gov\.lv/jaunumi/"):
        list(JspaScraper().parse(html, JspaScraper.start_urls[0]))


@pytest.mark.live
def test_live_list_parses():
    from scrapers.http import HttpClient

    with HttpClient(cache_path=None, delay=1.0) as client:
        page = client.fetch(JspaScraper.start_urls[0], source="jspa")
    list(JspaScraper().parse(page.text, page.url))
