"""Domain model: grant calls, NGO profiles, matches and their vocabularies.

The bottom layer of grantmatch: it imports nothing of ours. Field names and meanings follow
``shared/CONTRACT.md``. Records are frozen dataclasses; ``from_dict`` validates untrusted input and
fails with a :class:`ValidationError` that names the record and the field::

    call 'sif-nvo-2027': deadline '31.02.2027' is not a date

Status (forthcoming / open / rolling / closed) is computed from a ``today`` argument, never from the
clock.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit


class ValidationError(ValueError):
    """A record does not follow the contract; the message names the record and the field."""


class Status(StrEnum):
    FORTHCOMING = "forthcoming"
    OPEN = "open"
    ROLLING = "rolling"
    CLOSED = "closed"


class PriorityArea(StrEnum):
    CULTURE = "culture"
    IT_DIGITAL_BUSINESS = "it_digital_business"
    ENVIRONMENT_COMMUNITY = "environment_community"
    CHILDREN_YOUTH = "children_youth"
    SOCIAL_HEALTH = "social_health"


class ApplicantType(StrEnum):
    ASSOCIATION = "association"
    FOUNDATION = "foundation"
    RELIGIOUS_ORG = "religious_org"
    MUNICIPALITY = "municipality"
    SCHOOL = "school"
    COMPANY = "company"
    INDIVIDUAL = "individual"
    INFORMAL_GROUP = "informal_group"
    RESEARCH_ORG = "research_org"
    PUBLIC_BODY = "public_body"


class Eligibility(StrEnum):
    """Outcome of one eligibility fact for one profile and call."""

    MET = "met"
    MISSED = "missed"
    UNKNOWN = "unknown"


# --------------------------------------------------------------------------- validation helpers


def _label(kind: str, rec: dict[str, Any]) -> str:
    rid = rec.get("id") if isinstance(rec, dict) else None
    return f"{kind} {rid!r}" if rid not in (None, "") else f"{kind} (no id)"


def _str(kind: str, rec: dict, name: str, *, required: bool = False) -> str:
    value = rec.get(name)
    if value is None:
        if required:
            raise ValidationError(f"{_label(kind, rec)}: {name} is required")
        return ""
    if not isinstance(value, str):
        raise ValidationError(f"{_label(kind, rec)}: {name} must be text, got {type(value).__name__}")
    value = value.strip()
    if required and not value:
        raise ValidationError(f"{_label(kind, rec)}: {name} is empty")
    return value


def _opt_str(kind: str, rec: dict, name: str) -> str | None:
    value = _str(kind, rec, name)
    return value or None


def _str_list(kind: str, rec: dict, name: str) -> tuple[str, ...]:
    value = rec.get(name)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        raise ValidationError(f"{_label(kind, rec)}: {name} must be a list of text, got {type(value).__name__}")
    out = []
    for item in value:
        if not isinstance(item, str):
            raise ValidationError(f"{_label(kind, rec)}: {name} must be a list of text, found {item!r}")
        if item.strip():
            out.append(item.strip())
    return tuple(out)


def _enum_list(kind: str, rec: dict, name: str, enum: type[StrEnum]) -> tuple:
    out = []
    for item in _str_list(kind, rec, name):
        try:
            value = enum(item)
        except ValueError:
            allowed = ", ".join(e.value for e in enum)
            raise ValidationError(f"{_label(kind, rec)}: {name} has {item!r}; allowed: {allowed}") from None
        if value not in out:
            out.append(value)
    return tuple(out)


def _number(kind: str, rec: dict, name: str) -> float | None:
    value = rec.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        try:
            value = float(str(value).replace(" ", "").replace(",", "."))
        except ValueError:
            raise ValidationError(f"{_label(kind, rec)}: {name} {value!r} is not a number") from None
    value = float(value)
    if math.isnan(value) or math.isinf(value) or value < 0:
        raise ValidationError(f"{_label(kind, rec)}: {name} {value!r} must be a non-negative number")
    return value


def _date(kind: str, rec: dict, name: str) -> date | None:
    value = rec.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise ValidationError(f"{_label(kind, rec)}: {name} {value!r} is not a date (expected YYYY-MM-DD)")


def _enum(kind: str, rec: dict, name: str, enum: type[StrEnum]) -> Any:
    value = _str(kind, rec, name)
    if not value:
        return None
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(e.value for e in enum)
        raise ValidationError(f"{_label(kind, rec)}: {name} {value!r} is not one of: {allowed}") from None


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _is_web_url(url: object) -> bool:
    """An absolute http(s) address with a host: what a call's "url" must be. Anything else
    (``javascript:``, ``data:``, ``file:``, a relative path) would be a link the app cannot offer."""
    if not isinstance(url, str):
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # e.g. an unbalanced "[" in the host
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class GrantCall:
    """One funding opportunity, as published by a source."""

    id: str
    source: str
    title: str
    url: str
    language: str = ""
    summary: str = ""
    funder: str | None = None
    programme: str | None = None
    eligible_applicants: tuple[ApplicantType, ...] = ()
    geography: tuple[str, ...] = ()
    min_amount_eur: float | None = None
    max_amount_eur: float | None = None
    total_budget_eur: float | None = None
    cofinancing_pct: float | None = None
    open_date: date | None = None
    deadline: date | None = None
    deadline_text: str = ""
    priority_areas: tuple[PriorityArea, ...] = ()

    def __post_init__(self) -> None:
        label = f"call {self.id!r}" if self.id else "call (no id)"
        if not self.id or not self.id.strip():
            raise ValidationError(f"{label}: id is required")
        if not self.title or not self.title.strip():
            raise ValidationError(f"{label}: title is empty")
        if not self.source:
            raise ValidationError(f"{label}: source is required")
        if not _is_web_url(self.url):
            shown = self.url if len(self.url) <= 80 else self.url[:79] + "…"
            raise ValidationError(f"{label}: url: expected an http(s) URL, found {shown!r}")
        if (
            self.min_amount_eur is not None
            and self.max_amount_eur is not None
            and self.min_amount_eur > self.max_amount_eur
        ):
            raise ValidationError(
                f"{label}: min_amount_eur {self.min_amount_eur:g} is above max_amount_eur {self.max_amount_eur:g}"
            )
        if self.cofinancing_pct is not None and not 0 <= self.cofinancing_pct <= 100:
            raise ValidationError(f"{label}: cofinancing_pct {self.cofinancing_pct:g} is not between 0 and 100")
        if self.open_date and self.deadline and self.open_date > self.deadline:
            raise ValidationError(f"{label}: open_date {self.open_date} is after deadline {self.deadline}")

    @classmethod
    def from_dict(cls, rec: dict[str, Any]) -> GrantCall:
        """Build a call from a contract-shaped dict, validating every field. Unknown keys are ignored."""
        if not isinstance(rec, dict):
            raise ValidationError(f"call: expected a JSON object, got {type(rec).__name__}")
        k = "call"
        return cls(
            id=_str(k, rec, "id", required=True),
            source=_str(k, rec, "source", required=True),
            title=_str(k, rec, "title", required=True),
            url=_str(k, rec, "url", required=True),
            language=_str(k, rec, "language").lower(),
            summary=_str(k, rec, "summary"),
            funder=_opt_str(k, rec, "funder"),
            programme=_opt_str(k, rec, "programme"),
            eligible_applicants=_enum_list(k, rec, "eligible_applicants", ApplicantType),
            geography=_str_list(k, rec, "geography"),
            min_amount_eur=_number(k, rec, "min_amount_eur"),
            max_amount_eur=_number(k, rec, "max_amount_eur"),
            total_budget_eur=_number(k, rec, "total_budget_eur"),
            cofinancing_pct=_number(k, rec, "cofinancing_pct"),
            open_date=_date(k, rec, "open_date"),
            deadline=_date(k, rec, "deadline"),
            deadline_text=_str(k, rec, "deadline_text"),
            priority_areas=_enum_list(k, rec, "priority_areas", PriorityArea),
        )

    def to_dict(self) -> dict[str, Any]:
        """The contract shape: JSON-ready (dates as ISO strings, enums as their values).

        Fields are read directly rather than through ``dataclasses.asdict``, whose deep copy is most
        of the cost (56 -> 12 us a call; content hashes and index fingerprints call this for every
        stored call); every field is flat, and ``_plain`` makes new lists of the tuples anyway.
        """
        return {name: _plain(getattr(self, name)) for name in self.__dataclass_fields__}

    def status(self, today: date) -> Status:
        """Where the call stands on ``today``."""
        if self.open_date and today < self.open_date:
            return Status.FORTHCOMING
        if self.deadline is None:
            return Status.ROLLING
        if today > self.deadline:
            return Status.CLOSED
        return Status.OPEN

    def days_left(self, today: date) -> int | None:
        """Days from ``today`` to the deadline (negative once passed); None when there is none."""
        return None if self.deadline is None else (self.deadline - today).days

    @property
    def text(self) -> str:
        """Title and summary, for matching and display."""
        return f"{self.title}\n{self.summary}".strip()


@dataclass(frozen=True, slots=True)
class NgoProfile:
    """An organisation looking for funding."""

    id: str
    name: str
    legal_form: ApplicantType | None = None
    city: str = ""
    region: str = ""
    country: str = ""
    priority_area: PriorityArea | None = None
    mission: str = ""
    activities: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    annual_budget_eur: float | None = None

    def __post_init__(self) -> None:
        label = f"profile {self.id!r}" if self.id else "profile (no id)"
        if not self.id or not self.id.strip():
            raise ValidationError(f"{label}: id is required")
        if not self.name or not self.name.strip():
            raise ValidationError(f"{label}: name is empty")

    @classmethod
    def from_dict(cls, rec: dict[str, Any]) -> NgoProfile:
        """Build a profile from a contract-shaped dict, validating every field."""
        if not isinstance(rec, dict):
            raise ValidationError(f"profile: expected a JSON object, got {type(rec).__name__}")
        k = "profile"
        return cls(
            id=_str(k, rec, "id", required=True),
            name=_str(k, rec, "name", required=True),
            legal_form=_enum(k, rec, "legal_form", ApplicantType),
            city=_str(k, rec, "city"),
            region=_str(k, rec, "region"),
            country=_str(k, rec, "country"),
            priority_area=_enum(k, rec, "priority_area", PriorityArea),
            mission=_str(k, rec, "mission"),
            activities=_str_list(k, rec, "activities"),
            target_groups=_str_list(k, rec, "target_groups"),
            keywords=_str_list(k, rec, "keywords"),
            languages=_str_list(k, rec, "languages"),
            annual_budget_eur=_number(k, rec, "annual_budget_eur"),
        )

    def to_dict(self) -> dict[str, Any]:
        return {k: _plain(v) for k, v in asdict(self).items()}

    @property
    def text(self) -> str:
        parts = [self.mission, *self.activities, *self.target_groups, *self.keywords]
        return "\n".join(p for p in parts if p)


@dataclass(frozen=True, slots=True)
class EligibilityFact:
    """One eligibility check, e.g. applicant type: met ("biedrība" may apply)."""

    name: str  # "applicant", "geography", "deadline"
    outcome: Eligibility
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Match:
    """One ranked call for one profile. ``reasons`` are short human-readable strings."""

    call_id: str
    score: float
    reasons: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    area: PriorityArea | None = None
    facts: tuple[EligibilityFact, ...] = field(default=())
    days_left: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"call_id": self.call_id, "score": round(float(self.score), 6), "reasons": list(self.reasons)}


PRIORITY_AREA_KEYS: tuple[str, ...] = tuple(a.value for a in PriorityArea)
