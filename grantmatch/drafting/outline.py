"""Build a first draft (a plain, JSON-ready dict) for one NGO profile and one call.

The draft follows the chosen template's sections; text sections are pre-filled from the profile
(mission, target groups, activities) and the call (aims, supported activities, amounts,
co-financing, deadline). On top: a checklist of the call's requirement and evaluation-criteria
sentences and the eligibility facts. A logframe and a budget table (suggested from the template's
category shares and the call's maximum) complete it. The draft dict is what the store saves and
what the exports render; budget totals are never stored, always recomputed.
"""

from __future__ import annotations

import logging
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from grantmatch import i18n
from grantmatch.drafting.budget import BudgetLine, compute_budget
from grantmatch.drafting.extract import extract_requirements, pick_sentences, split_sentences
from grantmatch.drafting.labels import fmt_date, fmt_money, fmt_pct, label
from grantmatch.drafting.templates import Template, choose_template, load_templates
from grantmatch.models import EligibilityFact, GrantCall, NgoProfile

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 1
LANGS = ("lv", "en")



class DraftError(ValueError):
    """A draft cannot be built (unknown language, template, ...)."""


def eligibility_facts(profile: NgoProfile, call: GrantCall, today: date) -> tuple[EligibilityFact, ...]:
    """Facts from ``matcher.eligibility.check``; empty (with a log line) while the matcher is absent."""
    try:
        from matcher.eligibility import check
    except ImportError:
        logger.warning("eligibility check unavailable", extra={"call_id": call.id})
        return ()
    return tuple(check(profile, call, today))


def call_words(text: str, call: GrantCall, lang: str) -> str:
    """The call's own sentences stay in the call's language; in a draft in another language they are
    quoted and marked as the call's words, so that a Latvian sentence in an English draft is not taken
    for an untranslated part of the draft."""
    if not text or not call.language or call.language == lang:
        return text
    return label("call_words", lang, language=i18n.language_name(call.language, lang), text=text)


def _bullets(items: tuple[str, ...] | list[str]) -> str:
    return "\n".join(f"- {x}" for x in items)


def _prefill(source: str, profile: NgoProfile, call: GrantCall, lang: str, sentences: list[str]) -> str:
    if source == "profile.name":
        return profile.name
    if source == "profile.mission":
        return f"{label('mission', lang)}: {profile.mission}" if profile.mission else ""
    if source == "profile.target_groups":
        return f"{label('target_groups', lang)}:\n{_bullets(profile.target_groups)}" if profile.target_groups else ""
    if source == "profile.activities":
        return f"{label('activities', lang)}:\n{_bullets(profile.activities)}" if profile.activities else ""
    if source == "call.aims":
        aims = pick_sentences(sentences, "aims")
        return f"{label('call_aims', lang)}: {call_words(' '.join(aims), call, lang)}" if aims else ""
    if source == "call.activities":
        acts = pick_sentences(sentences, "activities", skip=set(pick_sentences(sentences, "aims")))
        return f"{label('call_activities', lang)}: {call_words(' '.join(acts), call, lang)}" if acts else ""
    if source == "call.amounts":
        parts = []
        for key, value in (
            ("max_amount", call.max_amount_eur),
            ("min_amount", call.min_amount_eur),
            ("total_budget", call.total_budget_eur),
        ):
            if value is not None:
                parts.append(f"{label(key, lang)}: {fmt_money(value, lang)}")
        return "; ".join(parts) + "." if parts else label("no_amounts", lang)
    if source == "call.cofinancing":
        if call.cofinancing_pct is None:
            return label("cofinancing_unknown", lang)
        return f"{label('cofinancing_required', lang)}: {fmt_pct(call.cofinancing_pct, lang)} %."
    if source == "call.deadline":
        when = fmt_date(call.deadline, lang) if call.deadline else label("no_deadline", lang)
        return f"{label('deadline', lang)}: {when}"
    if source == "call.summary":
        return call.summary
    raise DraftError(f"draft: unknown prefill source {source!r}")


def checklist_items(call: GrantCall, lang: str, *, top: int = 8) -> list[dict[str, Any]]:
    """Structured conditions first (deadline, amounts, co-financing, who may apply), then the call's
    requirement / criteria sentences ranked by fit to criteria words."""
    items = []
    if call.deadline:
        items.append({"text": label("check_deadline", lang, date=fmt_date(call.deadline, lang)), "source": "call"})
    if call.max_amount_eur is not None:
        items.append({"text": label("check_max", lang, amount=fmt_money(call.max_amount_eur, lang)), "source": "call"})
    if call.min_amount_eur:
        items.append({"text": label("check_min", lang, amount=fmt_money(call.min_amount_eur, lang)), "source": "call"})
    if call.cofinancing_pct:
        items.append(
            {"text": label("check_cofinancing", lang, pct=fmt_pct(call.cofinancing_pct, lang)), "source": "call"}
        )
    if call.eligible_applicants:
        who = ", ".join(i18n.applicant_label(a, lang) for a in call.eligible_applicants)
        items.append({"text": label("check_applicants", lang, who=who), "source": "call"})
    if call.geography:
        where = ", ".join(i18n.place_label(p, lang) for p in call.geography)
        items.append({"text": label("check_geography", lang, where=where), "source": "call"})
    for req in extract_requirements(call.summary, top=top):
        items.append({"text": call_words(req.text, call, lang), "source": "text", "score": req.score})
    for item in items:
        item["done"] = False
    return items


def _logframe(profile: NgoProfile, call: GrantCall, lang: str, sentences: list[str]) -> list[dict[str, str]]:
    aims = pick_sentences(sentences, "aims", n=1)
    goal = aims[0] if aims else call.title
    rows = [{"level": "goal", "description": goal, "indicators": "", "verification": "", "assumptions": ""}]
    for n in (1, 2):
        rows.append(
            {
                "level": "objective",
                "description": label("objective_placeholder", lang, n=n),
                "indicators": label("indicator_placeholder", lang),
                "verification": label("verification_placeholder", lang),
                "assumptions": label("assumption_placeholder", lang),
            }
        )
    for act in profile.activities[:3] or ("…",):
        rows.append(
            {
                "level": "output",
                "description": act,
                "indicators": label("indicator_placeholder", lang),
                "verification": label("verification_placeholder", lang),
                "assumptions": "",
            }
        )
    return rows


def _budget_lines(template: Template, call: GrantCall, lang: str) -> list[dict[str, str]]:
    target = Decimal(str(call.max_amount_eur)) if call.max_amount_eur else Decimal(0)
    lines = []
    for cat in template.budget_categories:
        cost = (target * Decimal(str(cat.share))).quantize(Decimal(1), rounding=ROUND_FLOOR)
        lines.append(
            BudgetLine(
                category=cat.name[lang], description="", unit=cat.unit[lang], quantity=Decimal(1), unit_cost=cost
            ).to_dict()
        )
    return lines


def build_draft(
    profile: NgoProfile,
    call: GrantCall,
    *,
    template: str | Template | None = None,
    lang: str | None = None,
    today: date | None = None,
    templates: dict[str, Template] | None = None,
    facts: tuple[EligibilityFact, ...] | None = None,
) -> dict[str, Any]:
    """A first draft for ``profile`` applying to ``call``.

    Parameters
    ----------
    template : str or Template, optional
        Template name (manual override); by default chosen from the call's funder and programme.
    lang : {"lv", "en"}, optional
        Language of headings and pre-filled labels; by default the call's language (``lv`` when the
        call is in neither language).
    today : date, optional
        For the eligibility facts (deadline); defaults to ``date.today()``.
    facts : tuple of EligibilityFact, optional
        Precomputed eligibility facts; by default ``matcher.eligibility.check``.
    """
    if isinstance(template, Template):
        tpl = template
    else:
        tpl = choose_template(call, templates if templates is not None else load_templates(), template)
    if lang is None:
        lang = call.language if call.language in LANGS else "lv"
    if lang not in LANGS:
        raise DraftError(f"draft: language {lang!r} is not one of: {', '.join(LANGS)}")
    today = today or date.today()
    if facts is None:
        facts = eligibility_facts(profile, call, today)
    sentences = split_sentences(call.summary)

    sections = []
    for sec in tpl.sections:
        text = ""
        if sec.kind == "text" or sec.prefill:
            blocks = [_prefill(src, profile, call, lang, sentences) for src in sec.prefill]
            text = "\n\n".join(b for b in blocks if b)
        sections.append(
            {"key": sec.key, "kind": sec.kind, "title": sec.title[lang], "guidance": sec.guidance[lang], "text": text}
        )

    return {
        "schema": SCHEMA_VERSION,
        "title": f"{profile.name} — {call.title}",
        "lang": lang,
        "template": tpl.name,
        "template_title": tpl.title[lang],
        "template_language": tpl.language,
        "created_on": today.isoformat(),
        "profile": {"id": profile.id, "name": profile.name},
        "call": {
            "id": call.id,
            "title": call.title,
            "funder": call.funder or "",
            "programme": call.programme or "",
            "url": call.url,
            "language": call.language,
            "deadline": call.deadline.isoformat() if call.deadline else None,
            "max_amount_eur": call.max_amount_eur,
            "min_amount_eur": call.min_amount_eur,
            "cofinancing_pct": call.cofinancing_pct,
        },
        "checklist": checklist_items(call, lang),
        "eligibility": [
            {"name": f.name, "outcome": str(f.outcome), "detail": i18n.fact_text(f, call, profile, lang, today)}
            for f in facts
        ],
        "sections": sections,
        "logframe": _logframe(profile, call, lang, sentences),
        "budget": {"lines": _budget_lines(tpl, call, lang), "own_contribution": None},
    }


def draft_budget(draft: dict[str, Any]):
    """The computed :class:`~grantmatch.drafting.budget.BudgetSummary` of a draft dict."""
    call = draft.get("call", {})
    budget = draft.get("budget", {})
    return compute_budget(
        budget.get("lines", []),
        max_amount=call.get("max_amount_eur"),
        min_amount=call.get("min_amount_eur"),
        cofinancing_pct=call.get("cofinancing_pct"),
        own_contribution=budget.get("own_contribution"),
    )


def budget_flag_messages(draft: dict[str, Any], lang: str | None = None) -> list[str]:
    """The budget's flags as sentences in the draft's (or the given) language."""
    lang = lang or draft.get("lang", "lv")
    s = draft_budget(draft)
    fmt = {
        "grant": fmt_money(s.needed_grant if "over_max" in s.flags else s.grant, lang),
        "max": fmt_money(s.max_amount, lang),
        "min": fmt_money(s.min_amount, lang),
        "own": fmt_money(s.own, lang),
        "required": fmt_money(s.required_own, lang),
        "pct": fmt_pct(s.cofinancing_pct, lang),
        "total": fmt_money(s.total, lang),
    }
    return [label(f"flag_{flag}", lang, **fmt) for flag in s.flags]
