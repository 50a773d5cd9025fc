from datetime import date

import pytest

from grantmatch.models import ApplicantType, GrantCall, NgoProfile, PriorityArea, Status, ValidationError

CALL = {
    "id": "sif-nvo-2027",
    "source": "sif",
    "url": "https://www.sif.gov.lv/lv/nvo-fonds",
    "title": "NVO fonds 2027",
    "summary": "Atbalsts biedrībām un nodibinājumiem.",
    "eligible_applicants": ["association", "foundation"],
    "geography": ["LV"],
    "max_amount_eur": "25 000",
    "cofinancing_pct": 10,
    "open_date": "2027-01-05",
    "deadline": "2027-02-22",
    "priority_areas": ["social_health"],
    "extra_field_from_eval": "ignored",
}


def test_from_dict_parses_every_field():
    call = GrantCall.from_dict(CALL)
    assert call.deadline == date(2027, 2, 22)
    assert call.eligible_applicants == (ApplicantType.ASSOCIATION, ApplicantType.FOUNDATION)
    assert call.max_amount_eur == 25000.0
    assert call.priority_areas == (PriorityArea.SOCIAL_HEALTH,)


def test_round_trip_is_contract_shaped():
    call = GrantCall.from_dict(CALL)
    data = call.to_dict()
    assert data["deadline"] == "2027-02-22"
    assert data["eligible_applicants"] == ["association", "foundation"]
    assert GrantCall.from_dict(data) == call


def test_to_dict_is_the_plain_copy_of_every_field():
    from dataclasses import asdict, fields

    call = GrantCall.from_dict(CALL)
    out = call.to_dict()
    assert list(out) == [f.name for f in fields(GrantCall)]
    assert out == {k: v.isoformat() if isinstance(v, date) else v for k, v in asdict(call).items()} | {
        "eligible_applicants": ["association", "foundation"],
        "geography": ["LV"],
        "priority_areas": ["social_health"],
    }
    out["geography"].append("EU")  # a copy: the call is not changed through it
    assert call.geography == ("LV",)


def test_http_and_https_urls_are_accepted():
    for url in ("https://www.kkf.lv/lv/konkursi?id=1", "HTTP://KKF.LV", "https://example.org/a b"):
        assert GrantCall.from_dict({**CALL, "url": url}).url == url


def test_bad_date_names_record_and_field():
    with pytest.raises(ValidationError, match=r"call 'sif-nvo-2027': deadline '31.02.2027' is not a date"):
        GrantCall.from_dict({**CALL, "deadline": "31.02.2027"})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": "  "}, "title is empty"),
        ({"id": None}, "id is required"),
        ({"eligible_applicants": ["aliens"]}, "eligible_applicants has 'aliens'"),
        ({"priority_areas": "sport"}, "priority_areas has 'sport'"),
        ({"max_amount_eur": "a lot"}, "max_amount_eur 'a lot' is not a number"),
        ({"max_amount_eur": -5}, "must be a non-negative number"),
        ({"min_amount_eur": 9000, "max_amount_eur": 500}, "above max_amount_eur"),
        ({"cofinancing_pct": 150}, "not between 0 and 100"),
        ({"open_date": "2027-03-01"}, "after deadline"),
        ({"geography": 5}, "geography must be a list of text"),
        ({"url": "javascript:alert(1)"}, r"url: expected an http\(s\) URL, found 'javascript:alert\(1\)'"),
        ({"url": "www.kkf.lv/konkurss"}, r"url: expected an http\(s\) URL, found 'www.kkf.lv/konkurss'"),
        ({"url": "ftp://kkf.lv/a"}, "expected an http"),
        ({"url": "https://"}, "expected an http"),
    ],
)
def test_validation_messages(change, message):
    with pytest.raises(ValidationError, match=message):
        GrantCall.from_dict({**CALL, **change})


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (date(2027, 1, 1), Status.FORTHCOMING),
        (date(2027, 1, 5), Status.OPEN),
        (date(2027, 2, 22), Status.OPEN),
        (date(2027, 2, 23), Status.CLOSED),
    ],
)
def test_status_comes_from_today(today, status):
    assert GrantCall.from_dict(CALL).status(today) is status


def test_rolling_call_has_no_deadline():
    call = GrantCall.from_dict({**CALL, "deadline": None, "open_date": None})
    assert call.status(date(2030, 1, 1)) is Status.ROLLING
    assert call.days_left(date(2030, 1, 1)) is None


def test_days_left():
    assert GrantCall.from_dict(CALL).days_left(date(2027, 2, 20)) == 2


def test_profile_from_dict_and_text():
    profile = NgoProfile.from_dict(
        {
            "id": "p1",
            "name": "Biedrība",
            "legal_form": "association",
            "priority_area": "children_youth",
            "mission": "Jaunieši",
            "keywords": ["neformālā izglītība"],
        }
    )
    assert profile.legal_form is ApplicantType.ASSOCIATION
    assert "neformālā izglītība" in profile.text
    assert NgoProfile.from_dict(profile.to_dict()) == profile


def test_profile_errors_name_the_field():
    with pytest.raises(ValidationError, match=r"profile 'p1': priority_area 'sports' is not one of"):
        NgoProfile.from_dict({"id": "p1", "name": "X", "priority_area": "sports"})
    with pytest.raises(ValidationError, match="profile: expected a JSON object"):
        NgoProfile.from_dict(["not", "a", "dict"])
