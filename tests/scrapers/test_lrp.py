"""lrpartneriba.lv news list (two pages) -> round announcements -> one call per LEADER action row."""

from __future__ import annotations

from datetime import date

import pytest

from grantmatch.models import ApplicantType, PriorityArea, Status
from scrapers import normalize
from scrapers.errors import LayoutChanged, ScrapeError
from scrapers.sources.lrp import LiepajasRajonaPartneribaScraper as Lrp
from tests.scrapers.offline import TODAY, by_id, crawl, fixture, run_on_site

LIST = "https://lrpartneriba.lv/aktualitates/"
R3 = "lrp-izsludinata-3-karta-projektu-iesniegumu-pienemsanai"
R2 = "lrp-izsludinata-2-karta-projektu-iesniegumu-pienemsanai"
R3_URL = "https://lrpartneriba.lv/izsludinata-3-karta-projektu-iesniegumu-pienemsanai/"


@pytest.fixture(scope="module")
def crawled():
    return crawl(Lrp)


@pytest.fixture(scope="module")
def calls(crawled):
    return by_id(crawled[0])


def test_one_call_per_action_row(calls):
    assert sorted(calls) == sorted([f"{R3}-r1-1", f"{R3}-r1-2", f"{R3}-r2-1", f"{R2}-r1-1", f"{R2}-r2-1"])


def test_pagination_followed_and_seminar_results_meeting_skipped(crawled):
    fetched = crawled[1]
    assert LIST + "page/2/" in fetched
    assert len(fetched) == 2 + 2
    assert not any("seminars" in u or "rezultati" in u or "kopsapulce" in u for u in fetched)


def test_title_names_round_and_action(calls):
    assert calls[f"{R3}-r2-1"].title == "LEADER 3. kārta: R2.1 Sabiedrisko aktivitāšu dažādošana un vides pieejamība"
    assert calls[f"{R3}-r2-1"].url == R3_URL


def test_programme_names_measure(calls):
    assert calls[f"{R3}-r1-2"].programme == "LEADER (ELFLA), M1"
    assert calls[f"{R3}-r2-1"].programme == "LEADER (ELFLA), M2"


def test_summary_starts_with_action_and_has_no_noise(calls):
    s = calls[f"{R3}-r1-1"].summary
    assert s.startswith("R1.1 Vietējās ekonomikas stiprināšanas iniciatīvas")
    assert "Elektroniskās pieteikšanās sistēmā" in s
    assert "sīkdatnes" not in s and "Reģ. Nr." not in s


def test_funder(calls):
    assert {c.funder for c in calls.values()} == {"Liepājas rajona partnerība (LEADER, ELFLA)"}


def test_window(calls):
    c = calls[f"{R3}-r1-1"]
    assert (c.open_date, c.deadline) == (date(2026, 12, 1), date(2027, 1, 5))
    assert c.deadline_text == "līdz 2027. gada 5. janvārim"
    assert c.status(TODAY) is Status.FORTHCOMING


def test_window_published_with_notiks(calls):
    # "Projektu iesniegumu pieņemšana notiks no 2026. gada 3. marta līdz 2026. gada 3. aprīlim."
    c = calls[f"{R2}-r1-1"]
    assert (c.open_date, c.deadline) == (date(2026, 3, 3), date(2026, 4, 3))


def test_public_funding_per_action_is_total_budget(calls):
    assert calls[f"{R3}-r1-1"].total_budget_eur == 320_000
    assert calls[f"{R3}-r2-1"].total_budget_eur == 245_500
    assert calls[f"{R2}-r1-1"].total_budget_eur == 450_000


def test_max_per_project(calls):
    assert calls[f"{R3}-r1-1"].max_amount_eur == 50_000
    assert calls[f"{R3}-r2-1"].max_amount_eur == 20_000
    assert calls[f"{R3}-r2-1"].min_amount_eur is None


def test_cofinancing_from_aid_intensity(calls):
    assert calls[f"{R3}-r1-1"].cofinancing_pct == 30
    assert calls[f"{R3}-r2-1"].cofinancing_pct == 10


def test_applicants_per_action(calls):
    A = ApplicantType
    assert calls[f"{R3}-r2-1"].eligible_applicants == (A.ASSOCIATION, A.FOUNDATION, A.RELIGIOUS_ORG, A.MUNICIPALITY)
    assert A.COMPANY in calls[f"{R3}-r1-1"].eligible_applicants
    # round 2 does not say who may apply; the publisher being a "biedrība" must not count
    assert calls[f"{R2}-r2-1"].eligible_applicants == ()


def test_geography_from_territory_sentence(calls):
    assert {c.geography for c in calls.values()} == {("Dienvidkurzeme",)}


def test_language_and_areas(calls):
    assert {c.language for c in calls.values()} == {"lv"}
    assert calls[f"{R3}-r1-1"].priority_areas == (PriorityArea.IT_DIGITAL_BUSINESS,)
    assert calls[f"{R3}-r2-1"].priority_areas == (PriorityArea.ENVIRONMENT_COMMUNITY,)


def test_changed_list_layout_names_selector_and_url():
    with pytest.raises(LayoutChanged) as err:
        list(Lrp().parse(fixture(Lrp, "aktualitates_changed.html"), LIST))
    assert "'article.et_pb_post'" in str(err.value) and LIST in str(err.value)


def test_changed_measures_table_is_a_layout_change():
    html = fixture(Lrp, "izsludinata-3-karta-projektu-iesniegumu-pienemsanai.html")
    html = html.replace("<td>līdz 70%</td>", "", 1)
    with pytest.raises(LayoutChanged, match="5 cells"):
        list(Lrp().parse_round(html, R3_URL, {}))


def test_announcement_without_table_is_one_call():
    html = fixture(Lrp, "izsludinata-2-karta-projektu-iesniegumu-pienemsanai.html")
    start, end = html.index("<table"), html.index("</table>") + len("</table>")
    (call,) = Lrp().parse_round(html[:start] + html[end:], R3_URL.replace("3-karta", "2-karta"), {})
    assert call.title == "LEADER 2. kārta" and call.deadline == date(2026, 4, 3)


def test_run_with_changed_list_fails_loudly():
    with pytest.raises(ScrapeError, match="et_pb_post"):
        run_on_site(Lrp, {LIST: fixture(Lrp, "aktualitates_changed.html")})


def test_normalize_window_with_notiks():
    text = "Projektu iesniegumu pieņemšana notiks no 2026. gada 3. marta līdz 2026. gada 3. aprīlim."
    assert normalize.find_deadline(text)[0] == date(2026, 4, 3)


def test_normalize_publisher_is_not_an_applicant():
    text = "Biedrība „Liepājas rajona partnerība” izsludina projektu iesniegumu konkursa 2. kārtu."
    assert normalize.find_applicants(text) == ()


@pytest.mark.live
def test_live_list_parses():
    from scrapers.http import HttpClient

    with HttpClient(cache_path=None, delay=1.0) as client:
        page = client.fetch(LIST, source="lrp")
    list(Lrp().parse(page.text, page.url))  # LayoutChanged if the list changed
