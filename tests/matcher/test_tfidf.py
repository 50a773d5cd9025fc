"""Behaviour of the Matcher on small inline examples."""

from __future__ import annotations

from datetime import date

import pytest

from grantmatch.models import Eligibility, GrantCall, Match, NgoProfile, PriorityArea
from matcher import Matcher, MatcherError, NotFittedError

TODAY = date(2027, 1, 10)


def ids(matches):
    return [m.call_id for m in matches]


def test_rank_before_fit_raises():
    with pytest.raises(NotFittedError, match="Matcher is not fitted; call fit"):
        Matcher().rank({"id": "x", "name": "X"})
    assert issubclass(NotFittedError, MatcherError)


def test_fit_returns_self_and_sets_learned_attributes(calls):
    m = Matcher()
    assert m.fit(calls) is m
    assert m.matrix_.shape[0] == len(calls)
    assert not hasattr(Matcher(), "matrix_")


def test_dict_and_model_input_give_the_same_ranking(calls, youth_profile):
    a = Matcher().fit(calls).rank(youth_profile, top=None, today=TODAY)
    b = Matcher().fit([GrantCall.from_dict(c) for c in calls]).rank(
        NgoProfile.from_dict(youth_profile), top=None, today=TODAY)
    assert ids(a) == ids(b)
    assert all(isinstance(x, Match) for x in a)


def test_ineligible_calls_never_appear(calls, youth_profile):
    got = ids(Matcher().fit(calls).rank(youth_profile, top=None, today=TODAY))
    assert "youth-muni" not in got        # municipalities only
    assert "youth-latgale" not in got     # another region
    assert "youth-closed" not in got      # deadline passed
    assert set(got) == {"youth-lv", "youth-en", "heritage-en", "sport-lv", "digital-en"}
    assert set(got[:2]) == {"youth-lv", "youth-en"}


def test_inflected_forms_match(calls):
    # "jauniešiem"/"jauniešu" in the call, "jaunieši" in the profile: the same lemma
    latvian_only = [c for c in calls if c["language"] == "lv"]
    profile = {"id": "p", "name": "P", "mission": "jaunieši", "legal_form": "association", "city": "Liepāja"}
    got = Matcher().fit(latvian_only).rank(profile, top=None, today=TODAY)
    assert got[0].call_id == "youth-lv"
    assert got[0].terms == ("jaunieši",)
    assert [m.call_id for m in got if m.terms] == ["youth-lv"]


def test_diacritics_are_matched_robustly(calls):
    profile = {"id": "p", "name": "P", "mission": "kulturas mantojums muzeji", "legal_form": "association",
               "city": "Liepaja"}
    got = Matcher().fit(calls).rank(profile, top=1, today=TODAY)
    assert got[0].call_id == "heritage-en"
    assert {f.name: f.outcome for f in got[0].facts}["geography"] == Eligibility.MET


def test_latvian_profile_finds_english_call(calls):
    profile = {"id": "p", "name": "P", "legal_form": "association", "city": "Rīga", "country": "LV",
               "mission": "Kultūras mantojums, muzeji un vēsturisko ēku restaurācija."}
    got = Matcher().fit(calls).rank(profile, top=1, today=TODAY)
    assert got[0].call_id == "heritage-en"


def test_explanations_name_real_terms_and_facts(calls, youth_profile):
    best = next(m for m in Matcher().fit(calls).rank(youth_profile, top=3, today=TODAY) if m.call_id == "youth-lv")
    p = youth_profile
    text = " ".join([p["name"], p["mission"], *p["activities"], *p["keywords"], *p["target_groups"]]).lower()
    assert best.terms and all(t.lower() in text for t in best.terms)
    assert best.area == PriorityArea.CHILDREN_YOUTH
    assert {f.name for f in best.facts} == {"applicant", "geography", "deadline"}
    assert all(f.outcome == Eligibility.MET for f in best.facts)
    assert best.days_left == 50


def test_unknown_facts_are_kept_with_a_check_note(calls):
    profile = {"id": "p", "name": "P", "legal_form": "association", "city": "Liepāja",
               "mission": "sporta sacensības senioriem"}
    got = Matcher().fit(calls).rank(profile, top=None, today=TODAY)
    sport = next(m for m in got if m.call_id == "sport-lv")
    assert {f.name: f.outcome for f in sport.facts}["applicant"] == Eligibility.UNKNOWN
    assert any("check" in r for r in sport.reasons)
