"""EU Funding & Tenders (SEDIA search API) parser, on real captured responses."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path

import pytest

from scrapers.errors import LayoutChanged
from scrapers.sources.eu_ft import NGO_PROGRAMMES, EuFtScraper, build_query

FIXTURES = Path(__file__).parents[1] / "fixtures" / "eu-ft"
PAGE = json.loads((FIXTURES / "search_response_page_excerpt.json").read_text(encoding="utf-8"))
LEGACY = json.loads((FIXTURES / "search_result_single_legacy_topic.json").read_text(encoding="utf-8"))
SOIL = "HORIZON-MISS-2027-05-SOIL-01-two-stage"
CL3 = "HORIZON-CL3-2026-02-CS-ECCC-01"


def parse(data: dict, *, today: date | None = date(2026, 5, 1), page: int = 1):
    scraper = EuFtScraper()
    meta = {"page": page} if today is None else {"today": today, "page": page}
    return list(scraper.parse(json.dumps(data), scraper.page_url(page), meta))


@pytest.fixture(scope="module")
def calls():
    items = parse(PAGE)
    return {c.id: c for c in items}


def test_both_records_become_calls(calls):
    assert sorted(calls) == ["eu-ft-horizon-cl3-2026-02-cs-eccc-01", "eu-ft-horizon-miss-2027-05-soil-01-two-stage"]


def test_short_page_stops_paging():
    # 2 results on a page of 100: no follow-up request even though totalResults says 9
    assert all(not hasattr(item, "callback") for item in parse(PAGE))


def test_title_and_language(calls):
    soil = calls["eu-ft-horizon-miss-2027-05-soil-01-two-stage"]
    assert soil.title.startswith("Living labs to enhance soil health in Continental")
    assert soil.language == "en"
    assert soil.geography == ("EU",)
    assert soil.funder == "European Commission"


def test_human_topic_url(calls):
    cl3 = calls["eu-ft-horizon-cl3-2026-02-cs-eccc-01"]
    assert cl3.url == (
        "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities/topic-details/" + CL3
    )


def test_description_is_plain_text(calls):
    soil = calls["eu-ft-horizon-miss-2027-05-soil-01-two-stage"]
    assert "Expected Outcome:" in soil.summary
    assert "<p" not in soil.summary and "</a>" not in soil.summary
    assert soil.summary.startswith("Supporting the implementation of the Soil Deal")  # the call title first


def test_open_date_and_single_deadline(calls):
    cl3 = calls["eu-ft-horizon-cl3-2026-02-cs-eccc-01"]
    assert cl3.open_date == date(2026, 3, 3)
    assert cl3.deadline == date(2026, 9, 15)
    assert cl3.deadline_text == "single-stage: 2026-09-15"


def test_next_future_cutoff_is_the_deadline():
    before_first = {c.id: c for c in parse(PAGE, today=date(2027, 1, 10))}
    between = {c.id: c for c in parse(PAGE, today=date(2027, 5, 1))}
    key = "eu-ft-horizon-miss-2027-05-soil-01-two-stage"
    assert before_first[key].deadline == date(2027, 4, 8)
    assert between[key].deadline == date(2027, 9, 14)
    assert between[key].deadline_text == "two-stage: 2027-04-08, 2027-09-14"


def test_calls_whose_cutoffs_all_passed_are_dropped():
    ids = [c.id for c in parse(PAGE, today=date(2026, 11, 30))]
    assert ids == ["eu-ft-horizon-miss-2027-05-soil-01-two-stage"]  # CL3 closed on 2026-09-15


def test_budget_of_this_topic_only_from_cut_short_json(calls):
    # budgetOverview is cut short in the captured response; the topic's own entry is still read
    cl3 = calls["eu-ft-horizon-cl3-2026-02-cs-eccc-01"]
    assert (cl3.min_amount_eur, cl3.max_amount_eur, cl3.total_budget_eur) == (3_000_000, 4_000_000, 20_000_000)
    soil = calls["eu-ft-horizon-miss-2027-05-soil-01-two-stage"]
    assert soil.max_amount_eur is None  # its entry is in the part that was cut off; SOIL-02's is not used


def test_budget_from_complete_json():
    data = copy.deepcopy(PAGE)
    md = data["results"][1]["metadata"]
    md["budgetOverview"] = [
        json.dumps(
            {
                "budgetYearsColumns": ["2026"],
                "budgetTopicActionMap": {
                    "1": [{"action": f"{CL3}0 - other", "minContribution": 1, "maxContribution": 2}],
                    "2": [
                        {
                            "action": f"{CL3} - HORIZON-RIA",
                            "minContribution": 500000,
                            "maxContribution": 750000,
                            "budgetYearMap": {"2026": "6000000", "2027": "1000000"},
                        }
                    ],
                },
            }
        )
    ]
    cl3 = {c.id: c for c in parse(data)}["eu-ft-horizon-cl3-2026-02-cs-eccc-01"]
    assert (cl3.min_amount_eur, cl3.max_amount_eur, cl3.total_budget_eur) == (500_000, 750_000, 7_000_000)


def test_programme_label_and_area():
    data = copy.deepcopy(PAGE)
    data["results"][1]["metadata"]["frameworkProgramme"] = ["43251814"]
    cl3 = {c.id: c for c in parse(data)}["eu-ft-horizon-cl3-2026-02-cs-eccc-01"]
    assert cl3.programme == "Creative Europe (CREA)"
    assert [a.value for a in cl3.priority_areas] == ["culture"]


def test_legacy_shape_record():
    data = {"totalResults": 1, "pageSize": 100, "results": [LEGACY]}
    (call,) = parse(data, today=date(2023, 5, 1))
    assert call.id == "eu-ft-horizon-miss-2023-clima-01-01"
    assert call.url.endswith("/topic-details/HORIZON-MISS-2023-CLIMA-01-01")  # not the .json data URL
    assert call.deadline == date(2023, 9, 20)  # 17:00 UTC is still 20 September in Brussels
    assert call.open_date == date(2023, 1, 10)


def test_duplicate_rows_keep_the_richest():
    rich = copy.deepcopy(PAGE["results"][1])
    stub = copy.deepcopy(rich)
    stub["metadata"] = {
        k: v for k, v in stub["metadata"].items() if k not in ("descriptionByte", "budgetOverview", "status")
    }
    stub["metadata"]["DATASOURCE"] = ["SEDIA_PRD_CENTRICITY"]
    data = {"totalResults": 2, "pageSize": 100, "results": [stub, rich]}
    (call,) = parse(data)
    assert "Expected Outcome" in call.summary and call.max_amount_eur == 4_000_000


def test_topic_update_records_are_excluded():
    update = copy.deepcopy(PAGE["results"][1])
    update["metadata"]["type"] = ["6"]
    assert parse({"totalResults": 1, "pageSize": 100, "results": [update]}) == []


def test_cascade_call_url_and_title():
    cascade = copy.deepcopy(PAGE["results"][1])
    md = cascade["metadata"]
    md["type"] = ["8"]
    md.pop("title")
    md["caName"] = ["Open call for community media pilots"]
    (call,) = parse({"totalResults": 1, "pageSize": 100, "results": [cascade]})
    assert call.url.endswith("/competitive-calls-cs/50147368")
    assert call.title == "Open call for community media pilots"


def test_full_page_asks_for_the_next_one():
    data = copy.deepcopy(PAGE)
    data["pageSize"] = 2
    items = parse(data, page=1)
    (nxt,) = [i for i in items if hasattr(i, "callback")]
    assert nxt.url.endswith("pageSize=100&pageNumber=2") and nxt.method == "POST"
    assert nxt.meta["page"] == 2 and nxt.meta["today"] == date(2026, 5, 1)
    # the last page (page * size >= totalResults) does not
    data["totalResults"] = 2
    assert not [i for i in parse(data, page=1) if hasattr(i, "callback")]


def test_request_is_multipart_json_blobs():
    req = next(iter(EuFtScraper().start_requests()))
    assert req.method == "POST" and "apiKey=SEDIA" in req.url and "pageNumber=1" in req.url
    name, body, ctype = req.files["query"]
    assert (name, ctype) == ("blob", "application/json")
    must = json.loads(body)["bool"]["must"]
    assert {"terms": {"type": ["1", "2", "8"]}} in must
    assert {"terms": {"status": ["31094501", "31094502"]}} in must
    assert {"terms": {"frameworkProgramme": list(NGO_PROGRAMMES)}} in must
    assert json.loads(req.files["languages"][1]) == ["en"]
    assert build_query()["bool"]["must"][0]["terms"]["type"] == ["1", "2", "8"]


def test_zero_results_is_not_an_error_of_parse():
    assert parse({"totalResults": 0, "pageSize": 100, "results": []}) == []


def test_changed_layout_raises():
    scraper = EuFtScraper()
    with pytest.raises(LayoutChanged, match="expected an object with 'results'"):
        list(scraper.parse(json.dumps({"items": []}), scraper.page_url(1), {}))
    with pytest.raises(LayoutChanged, match="expected a JSON search response"):
        list(scraper.parse("<html>maintenance</html>", scraper.page_url(1), {}))


@pytest.mark.live
def test_live_search_returns_calls(tmp_path):
    from scrapers.http import HttpClient

    with HttpClient(cache_path=None, delay=1.0) as client:
        result = EuFtScraper().run(client, today=date.today())
    assert result.calls and all(c.url.startswith("https://ec.europa.eu/") for c in result.calls)


@pytest.mark.parametrize(("value", "expected"), [
    ("2027-03-04T23:30:00.000+0000", date(2027, 3, 5)),  # past midnight in Brussels (UTC+1)
    ("2027-07-04T22:30:00.000Z", date(2027, 7, 5)),  # summer: UTC+2
    ("2027-03-04T17:00:00.000+0100", date(2027, 3, 4)),
    ("2027-03-04T17:00:00+01:00", date(2027, 3, 4)),
    ("2027-03-04T17:00:00", date(2027, 3, 4)),  # no offset: the date as written
    ("2027-03-04", date(2027, 3, 4)),
    ("2027-03-04Tnonsense", date(2027, 3, 4)),
    ("soon", None),
    ("", None),
])
def test_deadline_stamps_are_brussels_dates(value, expected):
    from scrapers.sources.eu_ft import _brussels_date

    assert _brussels_date(value) == expected
