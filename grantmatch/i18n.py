"""One translation table for every user-visible string, Latvian first, with English.

Strings live in ``data/i18n/*.json`` as ``{"key": {"lv": "...", "en": "..."}}``; every file there is
merged into one table (each area of the app keeps its own file). ``t("key", lang, **fmt)`` looks a
string up and formats it. Dates and amounts follow the language: ``22.02.2027.`` and ``30 000 €``
in Latvian, ``22 February 2027`` and ``€30,000`` in English.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from functools import cache

from grantmatch.paths import DATA_DIR

LANGUAGES = ("lv", "en")
DEFAULT_LANG = "lv"
_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


class TranslationError(ValueError):
    """A translation file is broken or a key is missing."""


@cache
def table() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for path in sorted((DATA_DIR / "i18n").glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise TranslationError(f"{path.name}: not valid JSON ({exc})") from exc
        for key, entry in data.items():
            if not isinstance(entry, dict) or not all(lang in entry for lang in LANGUAGES):
                raise TranslationError(f"{path.name}: key {key!r} needs both 'lv' and 'en'")
            if key in merged and merged[key] != entry:
                raise TranslationError(f"{path.name}: key {key!r} is already defined in another file")
            merged[key] = entry
    return merged


def t(key: str, lang: str = DEFAULT_LANG, **fmt: object) -> str:
    """The string for ``key`` in ``lang`` (falls back to Latvian, then to the key itself)."""
    entry = table().get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry[DEFAULT_LANG]
    return text.format(**fmt) if fmt else text


def plural(key: str, n: int, lang: str = DEFAULT_LANG, **fmt: object) -> str:
    """``key.one`` or ``key.other`` for the count ``n``, formatted with ``n``. Latvian uses the
    singular for numbers ending in 1 except 11 (``1 konkurss``, ``21 konkurss``, ``11 konkursi``);
    English for 1 only."""
    one = n % 10 == 1 and n % 100 != 11 if lang == "lv" else n == 1
    return t(f"{key}.{'one' if one else 'other'}", lang, n=n, **fmt)


def fmt_date(value: date | str | None, lang: str = DEFAULT_LANG, *, empty: str = "—") -> str:
    """``22.02.2027.`` in Latvian, ``22 February 2027`` in English; ``empty`` for none."""
    if value is None or value == "":
        return empty
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if lang == "lv":
        return f"{value.day:02d}.{value.month:02d}.{value.year}."
    return f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}"


def place_label(name: str, lang: str = DEFAULT_LANG) -> str:
    """A place name in ``lang`` when the table has it (``LV`` -> Latvija / Latvia), else as written."""
    key = f"place.{name}"
    return t(key, lang) if key in table() else name


def applicant_label(kind: object, lang: str = DEFAULT_LANG) -> str:
    """An applicant type in ``lang`` (``association`` -> biedrība / association); unknown ones as written."""
    value = str(getattr(kind, "value", kind))
    key = f"applicant.{value}"
    return t(key, lang) if key in table() else value


def fact_text(fact: object, call: object, profile: object | None, lang: str, day: date) -> str:
    """One eligibility fact (a matcher ``EligibilityFact`` about ``call`` for ``profile``) in ``lang``,
    written from the call's and the profile's data: place and applicant names, dates as ``fmt_date``
    writes them. (The matcher's own detail text is bilingual, with codes and ISO dates.) Plain text."""
    name = str(getattr(fact, "name", ""))
    outcome = str(getattr(getattr(fact, "outcome", ""), "value", getattr(fact, "outcome", "")))
    if name == "applicant":
        allowed = ", ".join(applicant_label(a, lang) for a in call.eligible_applicants)
        form = applicant_label(profile.legal_form, lang) if profile is not None and profile.legal_form else ""
        if not call.eligible_applicants:
            return t("fact.applicant.not_stated", lang)
        if not form:
            return t("fact.applicant.no_form", lang, allowed=allowed)
        if outcome == "met":
            return t("fact.applicant.met", lang, form=form)
        return t("fact.applicant.missed", lang, allowed=allowed, form=form)
    if name == "geography":
        where = ", ".join(place_label(g, lang) for g in call.geography)
        if not call.geography:
            return t("fact.geography.not_stated", lang)
        key = {"met": "fact.geography.met", "missed": "fact.geography.missed"}.get(outcome, "fact.geography.check")
        return t(key, lang, where=where)
    if name == "deadline":
        if call.deadline is None:
            return t("fact.deadline.rolling", lang)
        days = (call.deadline - day).days
        if days < 0:
            return t("fact.deadline.closed", lang, date=fmt_date(call.deadline, lang))
        left = t("common.today", lang) if days == 0 else plural("common.days_left", days, lang)
        return t("fact.deadline.open", lang, date=fmt_date(call.deadline, lang), left=left)
    detail = str(getattr(fact, "detail", ""))
    return detail.split(" / ", 1)[0 if lang == "lv" else 1] if " / " in detail else detail


def language_name(code: str, lang: str = DEFAULT_LANG) -> str:
    """A language's name in ``lang`` (``lv`` -> latviešu / Latvian); an unknown code as written."""
    key = f"lang.{code}"
    return t(key, lang) if key in table() else code


def fmt_datetime(value: datetime | None, lang: str = DEFAULT_LANG, *, empty: str = "—") -> str:
    """``05.12.2026. 01:23`` in Latvian, ``5 December 2026 01:23`` in English; ``empty`` for none."""
    if value is None:
        return empty
    return f"{fmt_date(value.date(), lang)} {value:%H:%M}"


DATE_PATTERNS = {
    "lv": {"d3": "%d.%m.%Y.", "moment": "DD.MM.YYYY.", "picker": "DD.MM.YYYY"},
    "en": {"d3": "%-d %b %Y", "moment": "D MMM YYYY", "picker": "DD.MM.YYYY"},
}
"""A date as :func:`fmt_date` writes it, for what formats dates itself: ``d3`` for Altair / Vega
axes and tooltips, ``moment`` for ``st.column_config.DateColumn``, ``picker`` for ``st.date_input``
(which takes only day, month and year in some order). English charts use short month names.
The picker reads day.month.year in both languages: Streamlit counts a date input's format as part of
its identity, so a format that changed with the language reset a date being entered."""


def date_pattern(lang: str, syntax: str) -> str:
    """The date pattern of ``lang`` in ``syntax`` (``d3``, ``moment`` or ``picker``)."""
    return DATE_PATTERNS.get(lang, DATE_PATTERNS[DEFAULT_LANG])[syntax]


def fmt_eur(value: Decimal | float | None, lang: str = DEFAULT_LANG, *, symbol: bool = True, empty: str = "—") -> str:
    """``30 000 €`` (Latvian: no-break space between thousands, comma for cents) or ``€30,000``;
    cents only when there are any."""
    if value is None:
        return empty
    amount = Decimal(str(value)).quantize(Decimal("0.01"))
    text = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    if lang == "lv":
        text = text.replace(",", "\u00a0").replace(".", ",")
        return f"{text}\u00a0€" if symbol else text
    return f"€{text}" if symbol else text


def fmt_range(low: float | None, high: float | None, lang: str = DEFAULT_LANG) -> str:
    """An amount range: ``500 – 5 000 €``, ``līdz 5 000 €`` / ``up to €5,000``, or ``—``."""
    if low is None and high is None:
        return "—"
    if low is None:
        return t("amount.up_to", lang, amount=fmt_eur(high, lang))
    if high is None:
        return t("amount.from", lang, amount=fmt_eur(low, lang))
    if low == high:
        return fmt_eur(high, lang)
    return f"{fmt_eur(low, lang)} – {fmt_eur(high, lang)}"
