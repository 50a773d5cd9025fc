"""The bundled seed data in ``data/``: incubator profiles, sample calls and the priority areas.

Every record must load through the domain model, and the sample set must be useful for the
matcher: all five areas covered, both languages, open / closed / forthcoming / rolling calls, and
calls that an association in Liepāja may not apply for (decided from the fields, not from ids).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date

import pytest

from grantmatch.models import (
    PRIORITY_AREA_KEYS,
    ApplicantType,
    GrantCall,
    NgoProfile,
    PriorityArea,
    Status,
)
from grantmatch.paths import DATA_DIR

TODAY = date(2026, 11, 30)  # the date the sample set was written for
SOURCE_KEYS = {
    "liepaja", "liepaja2027", "lnf", "kurzeme", "kurzemesnvo", "lrp", "sif", "kkf", "jspa", "lvaf",
    "lm", "nvo", "norden", "usembassy", "eu-ft", "acf", "ncp",
}
# Regions a Liepāja organisation is not in: a call limited to these is not for it.
OTHER_REGIONS = {"Rīga", "Latgale", "Vidzeme", "Zemgale"}


def read_jsonl(name: str) -> list[dict]:
    path = DATA_DIR / name
    records = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as exc:
            pytest.fail(f"{path}:{lineno}: expected one JSON object per line, found: {exc}")
    return records


@pytest.fixture(scope="module")
def raw_calls() -> list[dict]:
    return read_jsonl("calls.jsonl")


@pytest.fixture(scope="module")
def calls(raw_calls) -> list[GrantCall]:
    return [GrantCall.from_dict(rec) for rec in raw_calls]


@pytest.fixture(scope="module")
def profiles() -> list[NgoProfile]:
    return [NgoProfile.from_dict(rec) for rec in read_jsonl("profiles.jsonl")]


@pytest.fixture(scope="module")
def areas() -> list[dict]:
    return json.loads((DATA_DIR / "areas.json").read_text(encoding="utf-8"))


def sentences(text: str) -> int:
    return len(re.findall(r"[.!?](?:\s|$)", text))


def association_in_liepaja_may_not_apply(call: GrantCall) -> bool:
    if call.eligible_applicants and ApplicantType.ASSOCIATION not in call.eligible_applicants:
        return True
    return bool(call.geography) and set(call.geography) <= OTHER_REGIONS


# --------------------------------------------------------------------------- profiles


def test_eleven_profiles_with_unique_ids(profiles):
    assert len(profiles) == 11
    ids = [p.id for p in profiles]
    assert len(set(ids)) == len(ids), [i for i, n in Counter(ids).items() if n > 1]


def test_profiles_per_area(profiles):
    counts = Counter(p.priority_area for p in profiles)
    assert counts == {
        PriorityArea.CHILDREN_YOUTH: 2,
        PriorityArea.IT_DIGITAL_BUSINESS: 2,
        PriorityArea.CULTURE: 2,
        PriorityArea.SOCIAL_HEALTH: 3,
        PriorityArea.ENVIRONMENT_COMMUNITY: 2,
    }


def test_profiles_are_in_liepaja(profiles):
    for p in profiles:
        assert (p.city, p.region, p.country) == ("Liepāja", "Kurzeme", "LV"), p.id


def test_profile_legal_forms(profiles):
    forms = Counter(p.legal_form for p in profiles)
    assert forms == {ApplicantType.ASSOCIATION: 9, ApplicantType.FOUNDATION: 2}
    for p in profiles:
        word = "nodibinājums" if p.legal_form is ApplicantType.FOUNDATION else "biedrība"
        assert p.name.startswith(word), f"{p.id}: name {p.name!r} does not start with {word!r}"


@pytest.mark.parametrize(
    ("field", "low", "high"),
    [("activities", 4, 7), ("target_groups", 3, 5), ("keywords", 6, 10)],
)
def test_profile_list_sizes(profiles, field, low, high):
    for p in profiles:
        assert low <= len(getattr(p, field)) <= high, f"{p.id}: {field} has {len(getattr(p, field))} items"


def test_profile_missions_and_languages(profiles):
    for p in profiles:
        assert 3 <= sentences(p.mission) <= 5, f"{p.id}: mission has {sentences(p.mission)} sentences"
        assert "lv" in p.languages, p.id


# --------------------------------------------------------------------------- calls


def test_at_least_seventy_calls_with_unique_ids(calls):
    assert len(calls) >= 70
    ids = [c.id for c in calls]
    assert len(set(ids)) == len(ids), [i for i, n in Counter(ids).items() if n > 1]


def test_call_ids_sources_and_urls(calls):
    for c in calls:
        assert c.source in SOURCE_KEYS, f"{c.id}: unknown source {c.source!r}"
        assert c.id.startswith(c.source + "-"), f"{c.id}: id does not start with source {c.source!r}"
        assert re.fullmatch(r"[a-z0-9-]+", c.id), f"{c.id}: id is not a plain slug"
        assert c.url.startswith("https://"), f"{c.id}: url {c.url!r}"


def test_every_area_has_ten_calls(calls):
    counts = Counter(a for c in calls for a in c.priority_areas)
    for key in PRIORITY_AREA_KEYS:
        assert counts[PriorityArea(key)] >= 10, f"area {key}: {counts[PriorityArea(key)]} calls"


def test_each_call_has_one_or_two_areas(calls):
    for c in calls:
        assert 1 <= len(c.priority_areas) <= 2, f"{c.id}: {len(c.priority_areas)} areas"


def test_languages_mostly_latvian(calls):
    counts = Counter(c.language for c in calls)
    assert set(counts) == {"lv", "en"}, counts
    share = counts["lv"] / len(calls)
    assert 0.65 <= share <= 0.85, f"Latvian share {share:.0%}"


def test_summaries_are_plain_text_of_three_to_eight_sentences(calls):
    for c in calls:
        assert 3 <= sentences(c.summary) <= 8, f"{c.id}: summary has {sentences(c.summary)} sentences"
        assert "<" not in c.summary and ">" not in c.summary, f"{c.id}: markup in summary"


def test_deadline_text_is_given(calls):
    for c in calls:
        assert c.deadline_text, f"{c.id}: empty deadline_text"


def test_calls_have_funder_geography_and_applicants(calls):
    for c in calls:
        assert c.funder, c.id
        assert c.geography, c.id
        assert c.eligible_applicants, c.id


def test_status_mix(calls):
    status = Counter(c.status(TODAY) for c in calls)
    assert status[Status.OPEN] > len(calls) / 2, status
    for s in (Status.CLOSED, Status.FORTHCOMING, Status.ROLLING):
        assert status[s] >= 3, status
    for c in calls:
        if c.status(TODAY) is Status.FORTHCOMING:
            assert c.open_date.year == 2027, f"{c.id}: forthcoming, opens {c.open_date}"
        if c.status(TODAY) is Status.CLOSED:
            assert c.deadline.year == 2026, f"{c.id}: closed on {c.deadline}"


def test_most_deadlines_fall_in_the_coming_year(calls):
    dated = [c for c in calls if c.deadline is not None]
    inside = [c for c in dated if date(2026, 12, 15) <= c.deadline <= date(2027, 10, 31)]
    assert len(inside) >= 0.75 * len(dated), f"{len(inside)} of {len(dated)} deadlines in the window"


def test_calls_a_liepaja_association_may_not_apply_for(calls):
    barred = [c for c in calls if association_in_liepaja_may_not_apply(c)]
    assert len(barred) >= 8, [c.id for c in barred]
    by_type = {a for c in barred if ApplicantType.ASSOCIATION not in c.eligible_applicants
               for a in c.eligible_applicants}
    for kind in (ApplicantType.MUNICIPALITY, ApplicantType.COMPANY, ApplicantType.RESEARCH_ORG,
                 ApplicantType.INDIVIDUAL):
        assert kind in by_type, f"no barred call for applicant type {kind}"
    assert any(set(c.geography) <= OTHER_REGIONS for c in barred), "no call limited to another region"


def test_cofinancing_is_the_own_share(calls):
    # cofinancing_pct is the applicant's minimum own share (a grant "up to 70 % of costs" gives 30);
    # no sample call asks the applicant for more than 60 %
    for c in calls:
        if c.cofinancing_pct is not None:
            assert 0 <= c.cofinancing_pct <= 60, f"{c.id}: cofinancing_pct {c.cofinancing_pct}"


def test_records_round_trip(raw_calls):
    for rec in raw_calls:
        call = GrantCall.from_dict(rec)
        assert GrantCall.from_dict(call.to_dict()) == call


# --------------------------------------------------------------------------- areas


def test_areas_cover_the_five_keys_in_both_languages(areas):
    assert sorted(a["key"] for a in areas) == sorted(PRIORITY_AREA_KEYS)
    for a in areas:
        for lang in ("lv", "en"):
            assert a[f"name_{lang}"].strip(), a["key"]
            assert a[f"description_{lang}"].strip(), a["key"]
            words = a[f"descriptors_{lang}"]
            assert 15 <= len(words) <= 30, f"{a['key']}: {len(words)} descriptors_{lang}"
            assert len(set(words)) == len(words), f"{a['key']}: repeated descriptors_{lang}"


def test_latvian_descriptors_are_latvian(areas):
    # Latvian vocabulary must carry Latvian letters somewhere; the English one must not.
    latvian_letters = set("āčēģīķļņšūž")
    for a in areas:
        assert latvian_letters & set("".join(a["descriptors_lv"]).lower()), a["key"]
        assert not latvian_letters & set("".join(a["descriptors_en"]).lower()), a["key"]
