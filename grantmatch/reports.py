"""Reports for the mentor and the exports: pure functions, no Streamlit, no database.

What the cohort, brief, calendar and matches pages show or offer for download:

- :func:`relative_fit` / :func:`fit_level` / :func:`good_matches` / :func:`fair_matches` — a score as
  a share of the best match in its list, and "high / medium / low" (by that share, floored by the
  score itself); the strong fits, and the fits at least fair;
- :func:`cohort_table` — each incubator NGO with its best current calls and good matches;
- :func:`competing_calls` / :func:`partner_calls` — calls that several NGOs fit (they would compete
  for it, or apply together), and calls only one NGO fits that ask for partners;
- :func:`upcoming_deadlines` — deadlines of fair-or-better matches and tracked calls, one row per call;
- :func:`open_funding_by_area` — open funding per priority area (for the chart);
- :func:`build_brief`, :func:`brief_markdown`, :func:`brief_docx` — the consultation brief;
- :func:`deadlines_ics` — an iCalendar file, one all-day event per deadline with a reminder
  (:func:`cohort_ics`: the whole cohort's, named :data:`COHORT_ICS_FILE`);
- :func:`calls_csv`, :func:`calls_xlsx` — a call list for a spreadsheet.

Inputs are the domain model (:class:`GrantCall`, :class:`NgoProfile`) and ranked matches (any object
with ``.call`` and ``.match``, e.g. ``services.RankedCall``); every output is a plain value or bytes.
Scraped text is untrusted: control characters are removed, Markdown is escaped, spreadsheet cells
never start a formula.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

from grantmatch.i18n import fmt_date, fmt_eur, fmt_range, place_label, t
from grantmatch.models import PRIORITY_AREA_KEYS, GrantCall, Match, NgoProfile

TERMINAL_STAGES = ("awarded", "rejected", "dropped")
"""Pipeline stages after which a deadline no longer matters."""

# Words that say a call asks for (or suits) partners: Latvian stems and English words.
_PARTNER_RE = re.compile(
    r"\b(partner\w*|partnerīb\w*|konsorcij\w*|consorti\w*|kopīg\w*\s+(?:projekt|pieteik)\w*|"
    r"sadarbības\s+partner\w*|joint\s+(?:bid|application|project)s?|cooperation\s+partner\w*)",
    re.IGNORECASE,
)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_MD_SPECIAL_RE = re.compile(r"([\\`*_{}\[\]<>|~])")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class RankedLike(Protocol):
    """A ranked call: ``services.RankedCall`` or anything with ``.call`` and ``.match``."""

    call: GrantCall
    match: Match


# --------------------------------------------------------------------------- text safety


def reason_terms(terms: Iterable[object] | None, limit: int = 8) -> list[str]:
    """The matcher's terms for "why this matches" without repeats: a term that is a word or words of
    a longer term in the list ("mantojums" beside "kultūras mantojums") is left out.

    Parameters
    ----------
    terms : iterable of str
        As the matcher gives them, best first.
    limit : int, default=8
        How many to keep.
    """
    items = [str(x).strip() for x in terms or () if str(x).strip()]
    padded = [f" {x.casefold()} " for x in items]
    kept: list[str] = []
    seen: set[str] = set()
    for term, inner in zip(items, padded, strict=True):
        if inner in seen or any(inner in other and len(other) > len(inner) for other in padded):
            continue
        seen.add(inner)
        kept.append(term)
    return kept[:limit]


def clean_text(value: Any, limit: int | None = None) -> str:
    """Text without control characters (which break XML-based files), optionally cut to ``limit``."""
    text = _CONTROL_RE.sub("", "" if value is None else str(value))
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)].rstrip() + "…"
    return text


def md_escape(value: Any, limit: int | None = None) -> str:
    """Untrusted text as inert Markdown: every Markdown/HTML special character is backslash-escaped and
    line breaks become spaces, so a scraped title can never become a link, a heading or HTML."""
    text = clean_text(value, limit)
    text = re.sub(r"[ \t]*[\r\n]+[ \t]*|\t", " ", text).strip()
    return _MD_SPECIAL_RE.sub(r"\\\1", text)


def safe_url(url: Any) -> str:
    """The URL when it is a plain http(s) address, else ``""``."""
    text = clean_text(url).strip()
    if re.fullmatch(r"https?://[^\s<>\"'`]+", text, re.IGNORECASE):
        return text
    return ""


def _cell(value: Any) -> Any:
    """A spreadsheet cell value: numbers and dates as they are; text cleaned and never a formula."""
    if value is None or isinstance(value, int | float | date):
        return value
    text = clean_text(value, 32000)
    if text.startswith(_FORMULA_START):
        text = "'" + text
    return text


# --------------------------------------------------------------------------- names


def area_label(area: Any, lang: str = "lv") -> str:
    """The user-visible name of a priority area (``""``/None is "no area")."""
    key = str(getattr(area, "value", area) or "none")
    return t(f"area.{key}", lang)  # the app's shared labels (data/i18n/app.json)


def stage_label(stage: str, lang: str = "lv") -> str:
    return t(f"stage.{stage}", lang)


def _areas_text(call: GrantCall, lang: str) -> str:
    return ", ".join(area_label(a, lang) for a in call.priority_areas) or "—"


# --------------------------------------------------------------------------- cohort


FIT_HIGH = 0.7
"""A match whose score is at least this share of the best score in its list is a "high" fit ..."""
FIT_MEDIUM = 0.45
"""... at least this share (and below ``FIT_HIGH``) a "medium" fit; below it a "low" one ..."""
SCORE_HIGH = 0.5
"""... and only when its score is at least this (a "medium" fit at most below it) ..."""
SCORE_MEDIUM = 0.2
"""... and at least this (a "low" fit below it).

The matcher's score estimates the chance that a mentor would call the call a good fit (grade 2 or 3;
the logistic of its features, fitted on judged pairs). On the development set the good fits' median
score was 0.29 (grade 2) and 0.79 (grade 3), the unsuitable ones' 0.035 (grade 0, 90 % below 0.17).
The share of the best alone would call the best of a poor list a "strong fit": over 700 real EU
Funding & Tenders topics (mostly research) the bundled NGOs' best scores were 0.02-0.11."""


def relative_fit(score: float, best: float) -> float:
    """``score`` as a share of ``best`` (the best score in the same list), from 0 to 1: how close a
    call comes to the NGO's best match (the bar the app shows)."""
    score, best = float(score), float(best)
    if best <= 0:
        return 1.0 if score >= best else 0.0
    return max(0.0, min(1.0, score / best))


def fit_level(share: float, score: float | None = None) -> str:
    """``high``, ``medium`` or ``low``: by the :func:`relative_fit` ``share``, and no higher than
    the ``score`` itself allows (``SCORE_HIGH``, ``SCORE_MEDIUM``) when it is given."""
    level = 2 if share >= FIT_HIGH else 1 if share >= FIT_MEDIUM else 0
    if score is not None:
        level = min(level, 2 if score >= SCORE_HIGH else 1 if score >= SCORE_MEDIUM else 0)
    return ("low", "medium", "high")[level]


def best_score(items: Iterable[RankedLike]) -> float | None:
    """The highest score of a ranked list (None when it is empty)."""
    scores = [float(r.match.score) for r in items]
    return max(scores) if scores else None


def good_matches(items: Sequence[RankedLike], *, share: float = FIT_HIGH, limit: int = 20) -> list[Any]:
    """The matches (of the first ``limit``) whose score is at least ``share`` of the list's best and
    at least ``SCORE_HIGH``: the "strong fits"."""
    best = best_score(items)
    if best is None:
        return []
    return [
        r for r in list(items)[:limit]
        if relative_fit(r.match.score, best) >= share and float(r.match.score) >= SCORE_HIGH
    ]


def fair_matches(items: Sequence[RankedLike], *, limit: int | None = None) -> list[Any]:
    """The matches (of the first ``limit``; all when None) that are at least a "fair" fit
    (:func:`fit_level` medium or high): what the deadline lists and the brief count as matched. A
    call at the bottom of a list (a score of 0.01) is not a match to plan a consultation around."""
    best = best_score(items)
    if best is None:
        return []
    head = list(items) if limit is None else list(items)[:limit]
    return [r for r in head if fit_level(relative_fit(r.match.score, best), float(r.match.score)) != "low"]


@dataclass(frozen=True)
class CohortRow:
    """One NGO of the cohort with its best current calls."""

    profile: NgoProfile
    best: tuple[Any, ...]  # RankedLike, best first
    n_matches: int  # every eligible call
    next_deadline: date | None  # nearest deadline among the good matches and the tracked calls
    n_good: int = 0  # good matches (high relative fit, see good_matches)
    next_call: GrantCall | None = None  # the call of next_deadline
    n_tracked: int = 0  # tracked calls still in progress


def cohort_table(
    profiles: Sequence[NgoProfile],
    ranked: Mapping[str, Sequence[RankedLike]],
    *,
    top: int = 3,
    tracked: Mapping[str, Sequence[GrantCall]] | None = None,
    today: date | None = None,
    good_share: float = FIT_HIGH,
    good_limit: int = 20,
) -> list[CohortRow]:
    """Each NGO (in the order given) with its ``top`` best calls, how many calls it may apply for,
    how many of them are good matches (:func:`good_matches`) and the nearest deadline among its good
    matches and the calls it tracks (``tracked``: profile id -> calls still in progress). A deadline
    before ``today`` does not count. An NGO without matches gets an empty row, never a missing one."""
    tracked = tracked or {}
    rows = []
    for profile in profiles:
        items = list(ranked.get(profile.id, ()))
        good = good_matches(items, share=good_share, limit=good_limit)
        mine = list(tracked.get(profile.id, ()))
        upcoming = [
            c for c in [*(r.call for r in good), *mine]
            if c.deadline is not None and (today is None or c.deadline >= today)
        ]  # fmt: skip
        nearest = min(upcoming, key=lambda c: (c.deadline, c.id)) if upcoming else None
        rows.append(
            CohortRow(
                profile=profile,
                best=tuple(items[:top]),
                n_matches=len(items),
                next_deadline=nearest.deadline if nearest else None,
                n_good=len(good),
                next_call=nearest,
                n_tracked=len(mine),
            )
        )
    return rows


@dataclass(frozen=True)
class SharedCall:
    """A call that several incubator NGOs fit."""

    call: GrantCall
    profile_ids: tuple[str, ...]  # best score first
    scores: tuple[float, ...]
    areas: tuple[str, ...]  # distinct priority areas of those NGOs ("" when a profile has none)
    mentions_partners: bool

    @property
    def mixed_areas(self) -> bool:
        return len({a for a in self.areas if a}) >= 2


def mentions_partners(call: GrantCall) -> bool:
    """True when the call's title or text speaks of partners, a consortium or a joint project."""
    return bool(_PARTNER_RE.search(call.title) or _PARTNER_RE.search(call.summary))


def _shared(profiles: Sequence[NgoProfile], ranked: Mapping[str, Sequence[RankedLike]], top: int) -> list[SharedCall]:
    area_of = {p.id: str(getattr(p.priority_area, "value", p.priority_area) or "") for p in profiles}
    known = [p.id for p in profiles]
    by_call: dict[str, list[tuple[float, str]]] = {}
    calls: dict[str, GrantCall] = {}
    for pid in known:
        for item in list(ranked.get(pid, ()))[:top]:
            by_call.setdefault(item.call.id, []).append((float(item.match.score), pid))
            calls[item.call.id] = item.call
    out = []
    for call_id, hits in by_call.items():
        hits.sort(key=lambda h: (-h[0], h[1]))
        pids = tuple(pid for _, pid in hits)
        areas = tuple(dict.fromkeys(area_of[pid] for pid in pids))
        out.append(
            SharedCall(
                call=calls[call_id],
                profile_ids=pids,
                scores=tuple(round(s, 6) for s, _ in hits),
                areas=areas,
                mentions_partners=mentions_partners(calls[call_id]),
            )
        )
    return out


def _shared_order(item: SharedCall) -> tuple:
    return (-len(item.profile_ids), item.call.deadline or date.max, item.call.id)


def competing_calls(
    profiles: Sequence[NgoProfile],
    ranked: Mapping[str, Sequence[RankedLike]],
    *,
    top: int = 10,
    min_ngos: int = 2,
) -> list[SharedCall]:
    """Calls in the top ``top`` of at least ``min_ngos`` NGOs: they would compete for the same money,
    or (NGOs of different areas, a call that asks for partners) could apply together. Most contested
    first, then by deadline."""
    items = [s for s in _shared(profiles, ranked, top) if len(s.profile_ids) >= min_ngos]
    return sorted(items, key=_shared_order)


def partner_calls(
    profiles: Sequence[NgoProfile], ranked: Mapping[str, Sequence[RankedLike]], *, top: int = 10
) -> list[SharedCall]:
    """Calls in the top ``top`` of one NGO only that speak of partners, a consortium or a joint project:
    that NGO needs a partner (perhaps another incubator NGO). Calls several NGOs fit are
    :func:`competing_calls`, listed once there. By deadline."""
    items = [s for s in _shared(profiles, ranked, top) if len(s.profile_ids) == 1 and s.mentions_partners]
    return sorted(items, key=_shared_order)


# --------------------------------------------------------------------------- deadlines and funding


@dataclass(frozen=True)
class DeadlineItem:
    """One call's deadline with the NGOs it concerns."""

    call: GrantCall
    deadline: date
    days_left: int
    profile_ids: tuple[str, ...]
    tracked_by: tuple[str, ...] = ()  # profile ids that track the call in their pipeline


DEADLINE_TOP = 10
"""How many of an NGO's best-ranked calls the deadline lists look at (the Cohort page and the brief)."""


def upcoming_deadlines(
    ranked: Mapping[str, Sequence[RankedLike]],
    *,
    today: date,
    days: int | None = 30,
    tracked: Mapping[str, Sequence[GrantCall]] | None = None,
    top: int | None = DEADLINE_TOP,
) -> list[DeadlineItem]:
    """Deadlines from ``today`` to ``today + days`` (all future ones when ``days`` is None) of each
    NGO's matches among its first ``top`` ranked calls that are at least a fair fit
    (:func:`fair_matches`), and of the calls it tracks; one item per call, soonest first."""
    end = None if days is None else today + timedelta(days=days)
    hits: dict[str, dict[str, Any]] = {}

    def add(call: GrantCall, pid: str, is_tracked: bool) -> None:
        if call.deadline is None or call.deadline < today or (end is not None and call.deadline > end):
            return
        entry = hits.setdefault(call.id, {"call": call, "pids": [], "tracked": []})
        if pid not in entry["pids"]:
            entry["pids"].append(pid)
        if is_tracked and pid not in entry["tracked"]:
            entry["tracked"].append(pid)

    for pid, items in ranked.items():
        for item in fair_matches(items, limit=top):
            add(item.call, pid, False)
    for pid, calls in (tracked or {}).items():
        for call in calls:
            add(call, pid, True)
    out = [
        DeadlineItem(
            call=e["call"],
            deadline=e["call"].deadline,
            days_left=(e["call"].deadline - today).days,
            profile_ids=tuple(e["pids"]),
            tracked_by=tuple(e["tracked"]),
        )
        for e in hits.values()
    ]
    return sorted(out, key=lambda d: (d.deadline, d.call.id))


@dataclass(frozen=True)
class AreaFunding:
    """Open funding in one priority area (``area`` is ``""`` for calls with no area)."""

    area: str
    calls: int
    amount_eur: float
    calls_with_amount: int


def call_amount(call: GrantCall) -> float | None:
    """What a call puts on the table: its total budget, else its largest grant, else None."""
    if call.total_budget_eur is not None:
        return call.total_budget_eur
    return call.max_amount_eur


def open_funding_by_area(calls: Iterable[GrantCall], *, today: date) -> list[AreaFunding]:
    """Calls still open on ``today`` (open, rolling or forthcoming) and their money, per priority area.

    A call in several areas counts as a call in each, and its amount is split evenly between them,
    so the amounts add up to the total on offer. Every area is listed (with zeros when empty); a
    "no area" row is added only when such calls exist."""
    count = dict.fromkeys(PRIORITY_AREA_KEYS, 0)
    amount = dict.fromkeys(PRIORITY_AREA_KEYS, 0.0)
    with_amount = dict.fromkeys(PRIORITY_AREA_KEYS, 0)
    for call in calls:
        if call.deadline is not None and call.deadline < today:
            continue
        areas = [a.value for a in call.priority_areas] or [""]
        money = call_amount(call)
        for area in areas:
            count[area] = count.get(area, 0) + 1
            if money is not None:
                amount[area] = amount.get(area, 0.0) + money / len(areas)
                with_amount[area] = with_amount.get(area, 0) + 1
            else:
                amount.setdefault(area, 0.0)
                with_amount.setdefault(area, 0)
    return [AreaFunding(a, count[a], round(amount[a], 2), with_amount[a]) for a in count]


# --------------------------------------------------------------------------- consultation brief


@dataclass(frozen=True)
class PipelineLine:
    call_id: str
    title: str
    stage: str
    deadline: date | None
    notes: str
    amount_requested: float | None
    amount_awarded: float | None
    reason: str


@dataclass(frozen=True)
class Brief:
    """Everything a mentor reads before a consultation with one NGO."""

    profile: NgoProfile
    today: date
    since: datetime | None  # when the last consultation was held (None: never)
    new_matches: tuple[Any, ...]  # RankedLike first seen after ``since`` (all current ones when never)
    top_matches: tuple[Any, ...]
    deadlines_30: tuple[DeadlineItem, ...]
    deadlines_60: tuple[DeadlineItem, ...]  # 31 to 60 days from today
    pipeline: tuple[PipelineLine, ...]
    past_notes: tuple[tuple[datetime, str], ...]  # earlier consultations, newest first


def build_brief(
    profile: NgoProfile,
    *,
    today: date,
    ranked: Sequence[RankedLike],
    tracked: Sequence[Mapping[str, Any]] = (),
    calls: Mapping[str, GrantCall] | None = None,
    call_meta: Mapping[str, Mapping[str, Any]] | None = None,
    consultations: Sequence[Mapping[str, Any]] = (),
    top: int = 5,
    max_new: int = 15,
) -> Brief:
    """Assemble the brief for ``profile``.

    Parameters
    ----------
    ranked : the profile's current ranked calls, best first (``services.rank_profile``).
    tracked : its pipeline rows (``store.tracked(profile_id)``).
    calls : call id -> call, to name tracked calls that are no longer ranked.
    call_meta : ``store.call_meta()`` (``first_seen`` per call) for "new since the last consultation".
    consultations : ``store.consultations(profile_id)``, newest first.
    """
    calls = calls or {}
    call_meta = call_meta or {}
    held = sorted((c for c in consultations if c.get("held_at")), key=lambda c: c["held_at"], reverse=True)
    since = held[0]["held_at"] if held else None
    # only fair-or-better matches; after a consultation, those first seen since
    new = [r for r in fair_matches(ranked)
           if since is None or _after(call_meta.get(r.call.id, {}).get("first_seen"), since)]
    by_id = {r.call.id: r.call for r in ranked}
    lines = []
    active: list[GrantCall] = []
    for row in tracked:
        call = by_id.get(row["call_id"]) or calls.get(row["call_id"])
        stage = str(row.get("stage") or "interested")
        lines.append(
            PipelineLine(
                call_id=row["call_id"],
                title=call.title if call else row["call_id"],
                stage=stage,
                deadline=call.deadline if call else None,
                notes=str(row.get("notes") or ""),
                amount_requested=row.get("amount_requested"),
                amount_awarded=row.get("amount_awarded"),
                reason=str(row.get("reason") or ""),
            )
        )
        if call is not None and stage not in TERMINAL_STAGES:
            active.append(call)
    deadlines = upcoming_deadlines({profile.id: ranked}, today=today, days=60, tracked={profile.id: active},
                                   top=DEADLINE_TOP)
    return Brief(
        profile=profile,
        today=today,
        since=since,
        new_matches=tuple(new[:max_new]),
        top_matches=tuple(list(ranked)[:top]),
        deadlines_30=tuple(d for d in deadlines if d.days_left <= 30),
        deadlines_60=tuple(d for d in deadlines if d.days_left > 30),
        pipeline=tuple(lines),
        past_notes=tuple((c["held_at"], str(c.get("notes") or "")) for c in held[:3]),
    )


def _after(first_seen: datetime | None, since: datetime) -> bool:
    if first_seen is None:
        return False
    if first_seen.tzinfo is None:
        first_seen = first_seen.replace(tzinfo=UTC)
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return first_seen > since


def _when(value: datetime | None, lang: str) -> str:
    return fmt_date(value.date() if isinstance(value, datetime) else value, lang)


def _days(n: int, lang: str) -> str:
    return t("mentor.days_left", lang, n=n)


def brief_sections(brief: Brief, lang: str) -> list[tuple[str, list[str], list[list[str]], str]]:
    """(heading, table header, table rows, text when empty) for each section; cells are plain text."""
    p = brief.profile
    match_head = [t("mentor.col.call", lang), t("mentor.col.funder", lang), t("mentor.col.amount", lang),
                  t("mentor.col.deadline", lang), t("mentor.col.why", lang)]

    def match_rows(items: Iterable[RankedLike]) -> list[list[str]]:
        out = []
        for r in items:
            c = r.call
            left = c.days_left(brief.today)
            deadline = fmt_date(c.deadline, lang) + (f" ({_days(left, lang)})" if left is not None else "")
            # Without text terms the matcher's reasons are bilingual codes ("Joma / area: culture"):
            # the call's areas in the brief's language say the same.
            why = ", ".join(reason_terms(r.match.terms, 6)) or ", ".join(
                area_label(a, lang) for a in c.priority_areas
            ) or "—"
            out.append([c.title, c.funder or "—", fmt_range(c.min_amount_eur, c.max_amount_eur, lang), deadline, why])
        return out

    def deadline_rows(items: Iterable[DeadlineItem]) -> list[list[str]]:
        return [
            [fmt_date(d.deadline, lang), _days(d.days_left, lang), d.call.title,
             t("mentor.brief.tracked", lang) if d.tracked_by else t("mentor.brief.matched", lang)]
            for d in items
        ]

    deadline_head = [t("mentor.col.deadline", lang), t("mentor.col.days", lang), t("mentor.col.call", lang),
                     t("mentor.col.why_listed", lang)]
    pipe_head = [t("mentor.col.call", lang), t("mentor.col.stage", lang), t("mentor.col.deadline", lang),
                 t("mentor.col.requested", lang), t("mentor.col.awarded", lang), t("mentor.col.notes", lang)]
    pipe_rows = []
    for line in brief.pipeline:
        notes = line.notes
        if line.reason:
            notes = f"{notes} ({t('mentor.col.reason', lang)}: {line.reason})".strip()
        pipe_rows.append([line.title, stage_label(line.stage, lang), fmt_date(line.deadline, lang),
                          fmt_eur(line.amount_requested, lang), fmt_eur(line.amount_awarded, lang), notes or "—"])
    notes_head = [t("mentor.col.held", lang), t("mentor.col.notes", lang)]
    notes_rows = [[_when(when, lang), text or "—"] for when, text in brief.past_notes]
    if brief.since is None:
        new_title = t("mentor.brief.new_first", lang)
    else:
        new_title = t("mentor.brief.new_since", lang, date=_when(brief.since, lang))
    place = ", ".join(place_label(x, lang) for x in (p.city, p.region, p.country) if x) or "—"
    profile_rows = [
        [t("mentor.col.area", lang), area_label(p.priority_area, lang)],
        [t("mentor.col.place", lang), place],
        [t("mentor.col.mission", lang), p.mission or "—"],
        [t("mentor.col.budget", lang), fmt_eur(p.annual_budget_eur, lang)],
    ]
    # the best calls get their own table unless the first one holds them all (a first consultation
    # lists every fair match there)
    listed = {r.call.id for r in brief.new_matches}
    top_section = [] if brief.top_matches and all(r.call.id in listed for r in brief.top_matches) else [
        (t("mentor.brief.top", lang), match_head, match_rows(brief.top_matches), t("mentor.brief.no_matches", lang))
    ]
    return [
        (t("mentor.brief.profile", lang), [], profile_rows, ""),
        (new_title, match_head, match_rows(brief.new_matches), t("mentor.brief.no_new", lang)),
        (t("mentor.brief.deadlines_30", lang), deadline_head, deadline_rows(brief.deadlines_30),
         t("mentor.brief.no_deadlines", lang)),
        (t("mentor.brief.deadlines_60", lang), deadline_head, deadline_rows(brief.deadlines_60),
         t("mentor.brief.no_deadlines", lang)),
        (t("mentor.brief.pipeline", lang), pipe_head, pipe_rows, t("mentor.brief.no_pipeline", lang)),
        *top_section,
        (t("mentor.brief.notes", lang), notes_head, notes_rows, t("mentor.brief.no_notes", lang)),
    ]


def brief_title(brief: Brief, lang: str = "lv") -> str:
    return t("mentor.brief.doc_title", lang, name=clean_text(brief.profile.name, 200))


def brief_markdown(brief: Brief, lang: str = "lv") -> str:
    """The brief as Markdown. Every value is escaped: scraped text cannot add links, headings or HTML."""
    out = [f"# {md_escape(brief_title(brief, lang))}", ""]
    out.append(md_escape(t("mentor.brief.prepared", lang, date=fmt_date(brief.today, lang))))
    out.append("")
    for heading, head, rows, empty in brief_sections(brief, lang):
        out += [f"## {md_escape(heading)}", ""]
        if not rows:
            out += [f"_{md_escape(empty)}_", ""]
            continue
        if head:
            out.append("| " + " | ".join(md_escape(h) for h in head) + " |")
            out.append("|" + "---|" * len(head))
            for row in rows:
                out.append("| " + " | ".join(md_escape(cell, 500) for cell in row) + " |")
        else:
            for label, value in rows:
                out.append(f"- **{md_escape(label)}:** {md_escape(value, 1000)}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def brief_docx(brief: Brief, lang: str = "lv") -> bytes:
    """The brief as a Word document (real headings and tables), as bytes."""
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    doc.core_properties.title = clean_text(brief_title(brief, lang), 250)
    doc.core_properties.author = "grantmatch"
    doc.add_heading(clean_text(brief_title(brief, lang), 300), level=1)
    doc.add_paragraph(t("mentor.brief.prepared", lang, date=fmt_date(brief.today, lang)))
    for heading, head, rows, empty in brief_sections(brief, lang):
        doc.add_heading(clean_text(heading), level=2)
        if not rows:
            doc.add_paragraph(clean_text(empty)).runs[0].italic = True
            continue
        width = len(head) if head else 2
        table = doc.add_table(rows=0, cols=width)
        table.style = "Table Grid"
        if head:
            cells = table.add_row().cells
            for cell, text in zip(cells, head, strict=True):
                cell.text = ""
                run = cell.paragraphs[0].add_run(clean_text(text))
                run.bold = True
        for row in rows:
            cells = table.add_row().cells
            for i, (cell, text) in enumerate(zip(cells, row, strict=True)):
                cell.text = clean_text(text, 2000)
                if not head and i == 0:
                    cell.paragraphs[0].runs[0].bold = True
        for row in table.rows:
            for cell in row.cells:
                for par in cell.paragraphs:
                    for run in par.runs:
                        run.font.size = Pt(9)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------- calendar


def event_uid(call_id: str, scope: str = "") -> str:
    """A stable iCalendar UID for a call's deadline (the same every export, so calendars update the
    event instead of adding a copy; a moved deadline moves the event)."""
    digest = hashlib.sha256(f"{scope}\0{call_id}".encode()).hexdigest()[:24]
    return f"{digest}@grantmatch"


def deadlines_ics(
    items: Iterable[DeadlineItem | GrantCall],
    *,
    lang: str = "lv",
    name: str = "grantmatch",
    names: Mapping[str, str] | None = None,
    scope: str = "",
    stamp: datetime | None = None,
    alarm_days: int = 7,
) -> bytes:
    """An iCalendar file: one all-day VEVENT per deadline with a stable UID and a reminder
    ``alarm_days`` before. ``names`` maps profile ids to names for the event text; ``scope`` (e.g. a
    profile id or ``"cohort"``) keeps UIDs of different exports apart. ``stamp`` (DTSTAMP, default: now)
    is when the file was made: a calendar that imports it again takes a moved deadline (same UID) as
    the newer version by it; a fixed stamp could leave the old date in place."""
    from icalendar import Alarm, Calendar, Event

    names = names or {}
    stamp = stamp or datetime.now(UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", "-//grantmatch//Liepaja NGO incubator//LV")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", clean_text(name, 200))
    seen: set[str] = set()
    for item in items:
        if isinstance(item, GrantCall):
            item = DeadlineItem(item, item.deadline, 0, ()) if item.deadline else None  # type: ignore[arg-type]
        if item is None or item.deadline is None or item.call.id in seen:
            continue
        seen.add(item.call.id)
        call = item.call
        event = Event()
        event.add("uid", event_uid(call.id, scope))
        event.add("dtstamp", stamp)
        event.add("dtstart", item.deadline)
        event.add("dtend", item.deadline + timedelta(days=1))
        event.add("summary", clean_text(t("mentor.ics.summary", lang, title=call.title), 300))
        lines = [clean_text(call.title, 500)]
        if call.funder:
            lines.append(f"{t('mentor.col.funder', lang)}: {clean_text(call.funder, 200)}")
        lines.append(f"{t('mentor.col.amount', lang)}: {fmt_range(call.min_amount_eur, call.max_amount_eur, lang)}")
        if item.profile_ids:
            who = ", ".join(clean_text(names.get(pid, pid), 200) for pid in item.profile_ids)
            lines.append(f"{t('mentor.col.ngos', lang)}: {who}")
        url = safe_url(call.url)
        if url:
            lines.append(url)
            event.add("url", url)
        event.add("description", "\n".join(lines))
        event.add("transp", "TRANSPARENT")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", clean_text(t("mentor.ics.alarm", lang, title=call.title, n=alarm_days), 300))
        alarm.add("trigger", timedelta(days=-alarm_days))
        event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()


COHORT_ICS_FILE = "grantmatch-cohort.ics"
"""The file name of the whole cohort's calendar, on every page that offers it (ASCII in both languages)."""


def cohort_ics(items: Iterable[DeadlineItem], *, lang: str = "lv", names: Mapping[str, str] | None = None,
               stamp: datetime | None = None) -> bytes:
    """The whole cohort's deadline calendar (``items`` from ``services.calendar_deadlines`` for every
    NGO): one name and one UID scope wherever it is downloaded, so importing it again from another page
    updates the same events."""
    name = f"grantmatch — {t('mentor.cohort.ics_name', lang)}"
    return deadlines_ics(items, lang=lang, name=name, names=names, scope="cohort", stamp=stamp)


# --------------------------------------------------------------------------- spreadsheets


def _amount(value: float | None) -> float | int | None:
    """A euro amount as a spreadsheet number: 15000.0 -> 15000 (a CSV would print "15000.0")."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _export_rows(
    items: Iterable[RankedLike | GrantCall], today: date | None, lang: str, best: float | None = None,
    source_names: Mapping[str, str] | None = None,
) -> tuple[list[str], list[list]]:
    """The rows as the Matches page's cards show them: the source by its name, the reasons without
    repeats (:func:`reason_terms`)."""
    items = list(items)
    source_names = source_names or {}
    if best is None:
        best = best_score(i for i in items if not isinstance(i, GrantCall))
    head = [
        t("mentor.col.call", lang),
        t("mentor.col.funder", lang),
        t("mentor.col.programme", lang),
        t("mentor.col.source", lang),
        t("mentor.col.area", lang),
        t("mentor.col.min", lang),
        t("mentor.col.max", lang),
        t("mentor.col.deadline", lang),
        t("mentor.col.days", lang),
        t("mentor.col.score", lang),
        t("mentor.col.why", lang),
        t("mentor.col.url", lang),
        "id",
    ]
    rows = []
    for item in items:
        call = item if isinstance(item, GrantCall) else item.call
        match = None if isinstance(item, GrantCall) else item.match
        left = call.days_left(today) if today else None
        rows.append(
            [
                call.title,
                call.funder or "",
                call.programme or "",
                source_names.get(call.source) or call.source,
                _areas_text(call, lang),
                _amount(call.min_amount_eur),
                _amount(call.max_amount_eur),
                call.deadline,
                left,
                round(100 * relative_fit(match.score, best)) if match is not None and best is not None else None,
                ", ".join(reason_terms(match.terms)) if match is not None else "",
                safe_url(call.url) or call.url,
                call.id,
            ]
        )
    return head, rows


def calls_csv(
    items: Iterable[RankedLike | GrantCall], *, lang: str = "lv", today: date | None = None, best: float | None = None,
    source_names: Mapping[str, str] | None = None,
) -> bytes:
    """A call list as CSV (UTF-8 with BOM so spreadsheet programs read Latvian letters; dates ISO;
    amounts as plain numbers, whole euros without ".0"; text cells never start a formula). The fit
    column is the score as a percentage of ``best`` (default: the best score in ``items``); the source
    column is its name from ``source_names`` (source key -> name), else the key."""
    head, rows = _export_rows(items, today, lang, best, source_names)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(head)
    for row in rows:
        writer.writerow(["" if v is None else (v.isoformat() if isinstance(v, date) else _cell(v)) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def calls_xlsx(
    items: Iterable[RankedLike | GrantCall], *, lang: str = "lv", today: date | None = None, best: float | None = None,
    source_names: Mapping[str, str] | None = None,
) -> bytes:
    """A call list as an Excel workbook: bold frozen header, real dates (DD.MM.YYYY.), euro amounts;
    the fit and source columns as in :func:`calls_csv`."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    head, rows = _export_rows(items, today, lang, best, source_names)
    wb = Workbook()
    ws = wb.active
    ws.title = clean_text(t("mentor.xlsx.sheet", lang), 31) or "calls"
    ws.append(head)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([_cell(v) for v in row])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never evaluated as a formula
    for col in ("F", "G"):
        for cell in ws[col][1:]:
            cell.number_format = '#,##0 "€"'
    for cell in ws["H"][1:]:
        cell.number_format = "DD.MM.YYYY."
    widths = {"A": 60, "B": 30, "C": 25, "D": 10, "E": 25, "F": 12, "G": 12, "H": 12, "I": 8, "J": 8, "K": 40,
              "L": 50, "M": 30}
    for col, width in widths.items():
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
