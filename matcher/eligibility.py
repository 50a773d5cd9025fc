"""Eligibility before relevance: applicant type, geography and deadline.

Each check gives an :class:`~grantmatch.models.EligibilityFact` that is *met*, *missed* or *unknown*
(the call does not say, or the profile does not say). A missed fact removes the call from a ranking;
an unknown one keeps it with a visible "check" note. Texts are Latvian first, then English.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from grantmatch.models import ApplicantType, Eligibility, EligibilityFact, GrantCall, NgoProfile
from matcher.errors import MatcherError
from matcher.places import Places, default_places

APPLICANT_LV = {
    ApplicantType.ASSOCIATION: "biedrība",
    ApplicantType.FOUNDATION: "nodibinājums",
    ApplicantType.RELIGIOUS_ORG: "reliģiska organizācija",
    ApplicantType.MUNICIPALITY: "pašvaldība",
    ApplicantType.SCHOOL: "izglītības iestāde",
    ApplicantType.COMPANY: "komersants",
    ApplicantType.INDIVIDUAL: "fiziska persona",
    ApplicantType.INFORMAL_GROUP: "neformāla grupa",
    ApplicantType.RESEARCH_ORG: "pētniecības organizācija",
    ApplicantType.PUBLIC_BODY: "valsts iestāde",
}
APPLICANT_EN = {
    ApplicantType.ASSOCIATION: "association",
    ApplicantType.FOUNDATION: "foundation",
    ApplicantType.RELIGIOUS_ORG: "religious organisation",
    ApplicantType.MUNICIPALITY: "municipality",
    ApplicantType.SCHOOL: "school",
    ApplicantType.COMPANY: "company",
    ApplicantType.INDIVIDUAL: "individual",
    ApplicantType.INFORMAL_GROUP: "informal group",
    ApplicantType.RESEARCH_ORG: "research organisation",
    ApplicantType.PUBLIC_BODY: "public body",
}


def _as_model(value: Any, model: type, what: str) -> Any:
    """``value`` as ``model`` (the matcher takes the contract's dicts too); MatcherError otherwise."""
    if isinstance(value, model):
        return value
    if isinstance(value, Mapping):
        return model.from_dict(dict(value))
    raise MatcherError(f"matcher: expected {what} or a dict, found {type(value).__name__}")


def as_call(call: GrantCall | Mapping) -> GrantCall:
    """A call as the model object."""
    return _as_model(call, GrantCall, "a GrantCall")


def as_profile(profile: NgoProfile | Mapping) -> NgoProfile:
    """A profile as the model object."""
    return _as_model(profile, NgoProfile, "an NgoProfile")


def check_applicant(profile: NgoProfile, call: GrantCall) -> EligibilityFact:
    """Profile ``legal_form`` against the call's ``eligible_applicants``."""
    if not call.eligible_applicants:
        return EligibilityFact("applicant", Eligibility.UNKNOWN,
                               "pārbaudiet, kas var pieteikties (nav norādīts) / check who may apply (not stated)")
    if profile.legal_form is None:
        return EligibilityFact("applicant", Eligibility.UNKNOWN,
                               "profilā nav juridiskās formas / the profile has no legal form")
    lv = APPLICANT_LV[profile.legal_form]
    en = APPLICANT_EN[profile.legal_form]
    if profile.legal_form in call.eligible_applicants:
        return EligibilityFact("applicant", Eligibility.MET, f"{lv} var pieteikties / an {en} may apply"
                               if en[0] in "aeiou" else f"{lv} var pieteikties / a {en} may apply")
    allowed_lv = ", ".join(APPLICANT_LV[a] for a in call.eligible_applicants)
    allowed_en = ", ".join(APPLICANT_EN[a] for a in call.eligible_applicants)
    return EligibilityFact("applicant", Eligibility.MISSED,
                           f"var pieteikties tikai: {allowed_lv} / only {allowed_en} may apply")


def profile_places(profile: NgoProfile, places: Places) -> dict[str, int]:
    """Every place the profile is in, with its distance (0 = its own city)."""
    out: dict[str, int] = {}
    for offset, value in enumerate((profile.city, profile.region, profile.country)):
        place = places.resolve(value)
        if place is None:
            continue
        for p, d in places.ancestors(place).items():
            out[p] = min(out.get(p, 99), d + offset)
    return out


def geography_distance(profile: NgoProfile, call: GrantCall, places: Places | None = None) -> int | None:
    """Steps from the profile's city up to the closest place the call is open to; None if not known."""
    places = places or default_places()
    mine = profile_places(profile, places)
    best = None
    for g in call.geography:
        p = places.resolve(g)
        if p is not None and p in mine and (best is None or mine[p] < best):
            best = mine[p]
    return best


def check_geography(profile: NgoProfile, call: GrantCall, places: Places | None = None) -> EligibilityFact:
    """Where the profile works against where the call's applicants must be."""
    places = places or default_places()
    if not call.geography:
        return EligibilityFact("geography", Eligibility.UNKNOWN,
                               "pārbaudiet teritoriju (nav norādīta) / check the area (not stated)")
    mine = profile_places(profile, places)
    where = ", ".join(call.geography)
    if not mine:
        return EligibilityFact("geography", Eligibility.UNKNOWN,
                               f"profilā nav atrašanās vietas; konkurss: {where} / the profile has no location; "
                               f"call: {where}")
    unknown = []
    for g in call.geography:
        p = places.resolve(g)
        if p is None:
            unknown.append(g)
        elif p in mine:
            return EligibilityFact("geography", Eligibility.MET,
                                   f"atbilst teritorijai: {where} / within the call's area: {where}")
    if unknown:
        return EligibilityFact("geography", Eligibility.UNKNOWN,
                               f"pārbaudiet teritoriju: {where} / check the area: {where}")
    return EligibilityFact("geography", Eligibility.MISSED,
                           f"tikai teritorijai: {where} / only for: {where}")


def check_deadline(call: GrantCall, today: date) -> EligibilityFact:
    """The deadline against ``today`` (a deadline that is today still counts as open)."""
    if call.deadline is None:
        return EligibilityFact("deadline", Eligibility.UNKNOWN,
                               "termiņš nav norādīts vai pastāvīgs; pārbaudiet / no deadline stated or rolling; "
                               "check")
    days = (call.deadline - today).days
    if days < 0:
        return EligibilityFact("deadline", Eligibility.MISSED,
                               f"termiņš beidzās {call.deadline.isoformat()} / closed on {call.deadline.isoformat()}")
    return EligibilityFact("deadline", Eligibility.MET,
                           f"termiņš {call.deadline.isoformat()}, atlikušas {days} dienas / "
                           f"deadline {call.deadline.isoformat()}, {days} days left")


def check(profile: NgoProfile | dict, call: GrantCall | dict, today: date,
          places: Places | None = None) -> tuple[EligibilityFact, ...]:
    """The three eligibility facts (applicant, geography, deadline) of one call for one profile."""
    profile = as_profile(profile)
    call = as_call(call)
    return (check_applicant(profile, call), check_geography(profile, call, places), check_deadline(call, today))


def is_eligible(facts: tuple[EligibilityFact, ...]) -> bool:
    """True when no fact is missed."""
    return all(f.outcome != Eligibility.MISSED for f in facts)
