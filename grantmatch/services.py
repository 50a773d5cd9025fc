"""What the pages and the command line call. No Streamlit imports here.

Pages and CLI commands read input, call these functions and render the result; they never talk to
the database or a scraper directly.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from grantmatch.drafting.outline import DraftError  # noqa: F401 - re-exported for the Draft page
from grantmatch.drafting.service import (  # noqa: F401 - the drafting services, re-exported: pages import one layer
    create_draft,
    delete_draft,
    draft_versions,
    list_drafts,
    load_draft,
    restore_version,
    save_draft,
    template_choices,
)
from grantmatch.drafting.templates import TemplateError  # noqa: F401 - re-exported for the Draft page
from grantmatch.models import GrantCall, Match, NgoProfile, ValidationError
from grantmatch.paths import DATA_DIR, var_dir
from grantmatch.store import PIPELINE_STAGES, Store, UpsertStats

SAMPLE_PROFILES = DATA_DIR / "profiles.jsonl"
SAMPLE_CALLS = DATA_DIR / "calls.jsonl"


class InputFileError(ValueError):
    """A calls or profiles file cannot be read; the message names the file, the line and the field."""


class KeyedError(ValueError):
    """An error the app shows in the user's language: ``key`` and ``params`` name a translated message;
    ``str()`` is the English message (the CLI, logs)."""

    def __init__(self, key: str, message: str, **params: Any) -> None:
        super().__init__(message)
        self.key = key
        self.params = params


class UploadError(KeyedError, InputFileError):
    """An uploaded profiles file cannot be read (translated, for the app)."""


# --------------------------------------------------------------------------- database


def open_store(url: str | None = None) -> Store:
    """Open the database (``GRANTMATCH_DATABASE_URL`` or the SQLite default) and bring its schema up
    to date."""
    store = Store(url)
    store.upgrade()
    return store


def ensure_seeded(store: Store) -> bool:
    """Load the bundled profiles and sample calls into an empty database; True when it did."""
    if store.count_calls() or store.list_profiles():
        return False
    seed(store)
    return True


def seed(store: Store, *, reset_profiles: bool = False) -> tuple[UpsertStats, UpsertStats]:
    """Load the bundled incubator profiles and sample calls.

    Profiles already stored are left as they are (the NGOs and mentors edit them in the app), unless
    ``reset_profiles``; the sample calls are added or brought up to date."""
    profiles = read_profiles(SAMPLE_PROFILES)
    calls = read_calls(SAMPLE_CALLS)
    return store.upsert_profiles(profiles, keep_stored=not reset_profiles), store.upsert_calls(calls)


# --------------------------------------------------------------------------- files


def _read_records(
    path: Path, kind: str, skip: Callable[[str], None] | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, record) of a JSONL file (or a JSON list / object); a line that is not JSON stops
    with an :class:`InputFileError`, or is reported to ``skip`` and left out when ``skip`` is given."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise InputFileError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise InputFileError(f"{path}: cannot read ({exc.strerror})") from None
    stripped = text.lstrip()
    if path.suffix == ".json" or stripped.startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputFileError(f"{path} line {exc.lineno}: not valid JSON ({exc.msg})") from None
        items = data if isinstance(data, list) else [data]
        for item in items:
            yield 1, item
        return
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield lineno, json.loads(line)
        except json.JSONDecodeError as exc:
            error = InputFileError(f"{path} line {lineno}: not valid JSON ({exc.msg} at column {exc.colno})")
            if skip is None:
                raise error from None
            skip(str(error))


def _read_models(path: str | Path, model: Any, kind: str, skip: Callable[[str], None] | None) -> list[Any]:
    """Records of ``path`` as ``model`` objects, each id once. The first bad record (not JSON, breaks
    the contract, repeats an id) stops with its line number, or is reported to ``skip`` and left out."""
    path = Path(path)
    out: list[Any] = []
    seen: dict[str, int] = {}
    for lineno, rec in _read_records(path, kind, skip):
        try:
            item = model.from_dict(rec)
        except ValidationError as exc:
            error = InputFileError(f"{path} line {lineno}: {exc}")
        else:
            if item.id not in seen:
                seen[item.id] = lineno
                out.append(item)
                continue
            error = InputFileError(f"{path} line {lineno}: {kind} {item.id!r} repeats line {seen[item.id]}")
        if skip is None:
            raise error
        skip(str(error))
    return out


def read_calls(path: str | Path, *, skip: Callable[[str], None] | None = None) -> list[GrantCall]:
    """All calls of a JSONL (or JSON list) file; the first bad record stops with its line number
    (or, with ``skip``, is reported to it and left out)."""
    return _read_models(path, GrantCall, "call", skip)


def read_profiles(path: str | Path, *, skip: Callable[[str], None] | None = None) -> list[NgoProfile]:
    """All profiles of a JSONL file or a single JSON object; errors name the line and field (with
    ``skip``, a bad profile is reported to it and left out)."""
    return _read_models(path, NgoProfile, "profile", skip)


def import_calls(store: Store, path: str | Path) -> UpsertStats:
    """Validate the whole file first, then write it in one transaction (all or nothing)."""
    return store.upsert_calls(read_calls(path))


def import_profiles(store: Store, path: str | Path) -> UpsertStats:
    return store.upsert_profiles(read_profiles(path))


def dump_jsonl(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    for rec in records:
        yield json.dumps(rec, ensure_ascii=False, sort_keys=False)


# --------------------------------------------------------------------------- matching


@dataclass(frozen=True)
class RankedCall:
    """A match with its call, for display."""

    call: GrantCall
    match: Match


def index_path(store: Store) -> Path:
    """Where the fitted matcher for this database is kept (beside a SQLite file, else in var/)."""
    key = hashlib.sha256(store.url.encode()).hexdigest()[:12]
    folder = store.path.parent if store.path is not None else var_dir()
    return folder / f"matcher-{key}.pkl"


def build_matcher(store: Store, calls: list[GrantCall] | None = None, *, fingerprint: str | None = None) -> Any:
    """The fitted matcher for the stored calls: loaded from its saved index when the calls have not
    changed, else fitted and saved.

    ``calls`` are the stored calls when the caller has read them already; ``fingerprint`` is
    ``calls_fingerprint(store)`` when the caller has it. The index is keyed by a hash of every call's
    content (``matcher.persist.fingerprint``, costly for 10 000 calls); a small key file beside it
    remembers which store fingerprint (cheap: stored content hashes) gave that hash, so an app start
    with unchanged calls loads the index without hashing every call again."""
    from matcher import Matcher, persist

    path = index_path(store)
    key_path = path.with_name(path.stem + ".key.json")
    store_fp = fingerprint or store.calls_fingerprint()
    try:
        known = json.loads(key_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    if isinstance(known, dict) and known.get("store") == store_fp and known.get("calls"):
        cached = persist.load(path, str(known["calls"]))
        if cached is not None:
            return cached
    calls = store.list_calls() if calls is None else calls
    content_fp = persist.fingerprint(calls)
    fitted = persist.load(path, content_fp)
    if fitted is None:
        fitted = Matcher().fit(calls)
        with contextlib.suppress(OSError):  # a read-only folder only costs a refit next time
            persist.save(fitted, path, content_fp)
    with contextlib.suppress(OSError):
        key_path.write_text(json.dumps({"store": store_fp, "calls": content_fp}), encoding="utf-8")
    return fitted


def rank_profile(
    store: Store,
    matcher: Any,
    profile: NgoProfile,
    *,
    today: date,
    top: int | None = 20,
    calls: dict[str, GrantCall] | None = None,
) -> list[RankedCall]:
    """Ranked, eligible calls for one profile, using its stored relevance feedback."""
    matches = matcher.rank(profile, top=top, today=today, feedback=store.feedback(profile.id))
    if calls is None:
        calls = {c.id: c for c in store.list_calls()}
    return [RankedCall(calls[m.call_id], m) for m in matches if m.call_id in calls]


def parse_today(value: str | date | None) -> date:
    """A ``--today`` value: ISO text, a date, or None for the real date."""
    if value is None or value == "":
        return date.today()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputFileError(f"--today {value!r} is not a date (expected YYYY-MM-DD)") from None


# --------------------------------------------------------------------------- app helpers (pages)


def calls_by_id(store: Store) -> dict[str, GrantCall]:
    """Every stored call by id."""
    return {c.id: c for c in store.list_calls()}


def has_calls(store: Store) -> bool:
    return store.count_calls() > 0


def matcher_calls(matcher: Any) -> dict[str, GrantCall] | None:
    """The calls a matcher from :func:`build_matcher` was fitted on (the stored calls), by id, so an
    app start with a saved index need not read 10 000 calls from the database again; None when the
    matcher does not keep them."""
    calls = getattr(matcher, "calls_", None)
    if not isinstance(calls, list | tuple) or not all(isinstance(c, GrantCall) for c in calls):
        return None
    return {c.id: c for c in calls}


def calls_fingerprint(store: Store) -> str:
    """Changes whenever a call is added, removed or changed (cache key for the fitted matcher)."""
    return store.calls_fingerprint()


def json_loads(text: str) -> Any:
    return json.loads(text)


def profile_key(profile: NgoProfile) -> str:
    """A stable text form of a profile (cache key: an edited profile is re-ranked)."""
    return json.dumps(profile.to_dict(), sort_keys=True, ensure_ascii=False)


def feedback_key(store: Store, profile_id: str) -> tuple[tuple[str, bool], ...]:
    """A profile's relevance marks as a hashable cache key."""
    return tuple(sorted(store.feedback(profile_id).items()))


@dataclass(frozen=True)
class MatchFilters:
    """What the Matches page narrows a ranking with. Empty tuples / None mean "any"."""

    areas: tuple[str, ...] = ()
    within_days: int | None = None
    include_rolling: bool = True
    min_amount: float | None = None
    sources: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    only_new: bool = False
    new_since: datetime | None = None
    sort: str = "score"  # "score" or "deadline"
    hidden: frozenset[str] = frozenset()  # call ids left out (the ones the NGO marked "not relevant")


def call_areas(item: RankedCall) -> tuple[str, ...]:
    """The priority areas of a ranked call: the call's own, else the matcher's guess."""
    if item.call.priority_areas:
        return tuple(a.value for a in item.call.priority_areas)
    area = item.match.area
    return (getattr(area, "value", area),) if area else ()


def offered_amount(call: GrantCall) -> float | None:
    """The largest single grant a call offers (its maximum, else its total budget), or None."""
    return call.max_amount_eur if call.max_amount_eur is not None else call.total_budget_eur


def is_new(call_id: str, meta: dict[str, dict[str, Any]], since: datetime | None) -> bool:
    """First seen after ``since`` (everything is new when there was no earlier visit)."""
    if since is None:
        return True
    seen = (meta.get(call_id) or {}).get("first_seen")
    return seen is not None and seen > since


def filter_ranked(
    ranked: Iterable[RankedCall],
    filters: MatchFilters,
    *,
    today: date,
    meta: dict[str, dict[str, Any]] | None = None,
) -> list[RankedCall]:
    """The ranked calls that pass ``filters``, sorted by score (as ranked) or by deadline."""
    meta = meta or {}
    areas, sources, languages = set(filters.areas), set(filters.sources), set(filters.languages)
    last_day = today + timedelta(days=filters.within_days) if filters.within_days is not None else None
    out = []
    for item in ranked:
        call = item.call
        if call.id in filters.hidden:
            continue
        if areas and not areas.intersection(call_areas(item)):
            continue
        if sources and call.source not in sources:
            continue
        if languages and (call.language or "") not in languages:
            continue
        if call.deadline is None:
            if not filters.include_rolling:
                continue
        elif last_day is not None and call.deadline > last_day:
            continue
        if filters.min_amount:
            amount = offered_amount(call)
            if amount is None or amount < filters.min_amount:
                continue
        if filters.only_new and not is_new(call.id, meta, filters.new_since):
            continue
        out.append(item)
    if filters.sort == "deadline":
        out.sort(key=lambda r: (r.call.deadline is None, r.call.deadline or date.max, -r.match.score))
    return out


def filter_options(ranked: Iterable[RankedCall]) -> dict[str, list[str]]:
    """The sources and languages present in a ranking (for the filter widgets)."""
    sources: set[str] = set()
    languages: set[str] = set()
    for item in ranked:
        sources.add(item.call.source)
        if item.call.language:
            languages.add(item.call.language)
    return {"sources": sorted(sources), "languages": sorted(languages)}


def call_meta(store: Store) -> dict[str, dict[str, Any]]:
    """first_seen, last_seen and also_at per call id."""
    return store.call_meta()


def visit(store: Store, profile_id: str) -> datetime | None:
    """Record a visit to a profile's matches; returns the previous visit (None on the first)."""
    return store.record_visit(profile_id)


def last_visit(store: Store, profile_id: str) -> datetime | None:
    return store.last_visit(profile_id)


def set_feedback(store: Store, profile_id: str, call_id: str, relevant: bool | None) -> None:
    """Mark a call relevant / not relevant for a profile (None clears); the next ranking uses it."""
    store.set_feedback(profile_id, call_id, relevant)


def feedback(store: Store, profile_id: str) -> dict[str, bool]:
    return store.feedback(profile_id)


def not_relevant(marks: dict[str, bool]) -> frozenset[str]:
    """Ids of the calls marked "not relevant" among an NGO's marks (:func:`feedback`); lists leave
    them out (``MatchFilters.hidden``)."""
    return frozenset(cid for cid, relevant in marks.items() if relevant is False)


def without_not_relevant(
    store: Store, profile_id: str, ranked: list[RankedCall], *, today: date, hidden: frozenset[str] | None = None
) -> list[RankedCall]:
    """``ranked`` without the calls the NGO marked "not relevant" (briefs, the cohort overview, the
    weekly news); ``hidden``: those ids when the caller has read them already (:func:`not_relevant`)."""
    hidden = not_relevant(store.feedback(profile_id)) if hidden is None else hidden
    return filter_ranked(ranked, MatchFilters(hidden=hidden), today=today)


def track(store: Store, profile_id: str, call_id: str) -> None:
    """Add a call to a profile's pipeline at "interested" (no change when tracked already)."""
    if store.get_call(call_id) is None:
        raise KeyError(f"pipeline: call {call_id!r} does not exist")
    store.track(profile_id, call_id)


def tracked_ids(store: Store, profile_id: str) -> set[str]:
    return {row["call_id"] for row in store.tracked(profile_id)}


def get_call(store: Store, call_id: str) -> GrantCall | None:
    return store.get_call(call_id)


def call_history(store: Store, call_id: str) -> list[dict[str, Any]]:
    """Recorded changes of a call (a moved deadline, a new amount, ...), oldest first."""
    return store.call_history(call_id)


def eligibility(profile: NgoProfile, call: GrantCall, today: date) -> tuple[Any, ...]:
    """The eligibility facts (applicant, geography, deadline) of one call for one profile."""
    from matcher import eligibility as elig

    return elig.check(profile, call, today)


def similar_calls(
    matcher: Any, calls: dict[str, GrantCall], call_id: str, *, today: date, top: int = 5
) -> list[tuple[GrantCall, float]]:
    """Calls most like ``call_id`` that are still open on ``today``, best first."""
    from matcher import MatcherError

    try:
        pairs = matcher.similar(call_id, top=top * 4)
    except MatcherError:  # a call the matcher was not fitted on has no neighbours yet
        return []
    out = []
    for cid, sim in pairs:
        call = calls.get(cid)
        if call is not None and call.status(today).value != "closed":
            out.append((call, sim))
    return out[:top]


def profiles_fitting(
    rankings: dict[str, list[RankedCall]], call_id: str, *, top: int = 20
) -> list[tuple[str, int, float]]:
    """Which profiles have ``call_id`` among their ``top`` matches: (profile id, rank, score)."""
    out = []
    for pid, ranked in rankings.items():
        for pos, item in enumerate(ranked[:top], start=1):
            if item.call.id == call_id:
                out.append((pid, pos, item.match.score))
                break
    return sorted(out, key=lambda r: r[1])


# --------------------------------------------------------------------------- profiles (Profile page)

_PROFILE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,59}$")


class ProfileError(KeyedError):
    """A profile form cannot be saved."""


def split_lines(text: str) -> list[str]:
    """A list field typed one item per line (commas also separate)."""
    items = []
    for line in (text or "").replace(",", "\n").splitlines():
        if line.strip():
            items.append(line.strip())
    return items


def save_profile(store: Store, rec: dict[str, Any], *, new: bool) -> NgoProfile:
    """Validate a profile form and store it. ``new`` refuses an id that is taken already."""
    pid = str(rec.get("id") or "").strip()
    if not _PROFILE_ID.match(pid):
        raise ProfileError("profile.id_bad", f"profile id {pid!r}: expected letters, digits, '-', '_'", id=pid)
    if not str(rec.get("name") or "").strip():
        raise ProfileError("profile.name_empty", f"profile {pid!r}: name is empty")
    budget = rec.get("annual_budget_eur")
    if isinstance(budget, str):
        budget = budget.strip().replace("\u00a0", "").replace(" ", "").replace("€", "").replace(",", ".")
        if budget:
            try:
                value = float(budget)
            except ValueError:
                value = -1.0
            if value < 0 or math.isnan(value) or math.isinf(value):
                raw = rec["annual_budget_eur"]
                raise ProfileError("profile.budget_bad", f"profile {pid!r}: annual_budget_eur {raw!r}", value=raw)
            rec = {**rec, "annual_budget_eur": value}
        else:
            rec = {**rec, "annual_budget_eur": None}
    if new and store.get_profile(pid) is not None:
        raise ProfileError("profile.id_taken", f"profile {pid!r} exists already", id=pid)
    try:
        profile = NgoProfile.from_dict({**rec, "id": pid})
    except ValidationError as exc:
        raise ProfileError("profile.invalid", str(exc), error=str(exc)) from None
    store.upsert_profiles([profile])
    return profile


def parse_profiles(text: str, name: str = "upload") -> list[NgoProfile]:
    """Profiles from an uploaded JSON object, JSON list or JSON Lines text; errors name the line."""
    stripped = text.lstrip("\ufeff").strip()
    if not stripped:
        raise UploadError("profile.upload.empty", f"{name}: the file is empty", name=name)
    records: list[tuple[int, Any]] = []
    try:
        data = json.loads(stripped)
        records = [(1, r) for r in (data if isinstance(data, list) else [data])]
    except json.JSONDecodeError:
        for lineno, line in enumerate(stripped.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                records.append((lineno, json.loads(line)))
            except json.JSONDecodeError as exc:
                detail = f"{exc.msg} at column {exc.colno}"
                raise UploadError("profile.upload.bad_json", f"{name} line {lineno}: not valid JSON ({detail})",
                                  name=name, line=lineno, detail=detail) from None
    out: list[NgoProfile] = []
    for lineno, rec in records:
        try:
            out.append(NgoProfile.from_dict(rec))
        except ValidationError as exc:
            raise UploadError("profile.upload.invalid", f"{name} line {lineno}: {exc}", name=name, line=lineno,
                              detail=str(exc)) from None
    return out


def import_profiles_text(store: Store, text: str, name: str = "upload") -> UpsertStats:
    """Validate every profile of an upload first, then store them in one transaction."""
    return store.upsert_profiles(parse_profiles(text, name))


def profile_json(profile: NgoProfile) -> str:
    return json.dumps(profile.to_dict(), ensure_ascii=False, indent=2)


def profiles_jsonl(profiles: Iterable[NgoProfile]) -> str:
    return "\n".join(dump_jsonl(p.to_dict() for p in profiles)) + "\n"


def list_profiles(store: Store) -> list[NgoProfile]:
    return store.list_profiles()


def get_profile(store: Store, profile_id: str) -> NgoProfile | None:
    return store.get_profile(profile_id)


def delete_profile(store: Store, profile_id: str) -> bool:
    """Remove an NGO and all its data (marks, pipeline, drafts, consultations); there is no undo."""
    return store.delete_profile(profile_id)


# --------------------------------------------------------------------------- pipeline (Pipeline page)

CLOSING_STAGES = ("rejected", "dropped")
"""Stages that need a reason. ``PIPELINE_STAGES`` (imported from the store) is the stage order."""
DECIDED_STAGES = ("awarded", "rejected")
"""Stages the funder's decision sets (which comes after the call's deadline)."""


class PipelineError(KeyedError):
    """A pipeline entry cannot be saved."""


def _amount(field: str, value: Any) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).replace("\u00a0", "").replace(" ", "").replace("€", "").replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        number = -1.0
    if number < 0 or math.isnan(number) or math.isinf(number):
        raise PipelineError("pipeline.amount_bad", f"pipeline: {field} {value!r} is not a non-negative number",
                            field=field, value=value)
    return number


def update_pipeline(
    store: Store,
    profile_id: str,
    call_id: str,
    *,
    stage: str,
    notes: str = "",
    amount_requested: Any = None,
    amount_awarded: Any = None,
    reason: str = "",
) -> None:
    """Save one tracked call: a reason is required when rejected or dropped; amounts are checked."""
    if stage not in PIPELINE_STAGES:
        raise PipelineError("pipeline.error", f"pipeline: stage {stage!r} is not one of {PIPELINE_STAGES}",
                            error=stage)
    requested = _amount("amount_requested", amount_requested)
    awarded = _amount("amount_awarded", amount_awarded)
    if awarded is not None and stage != "awarded":
        raise PipelineError("pipeline.awarded_needs_stage", "pipeline: an awarded amount needs stage 'awarded'")
    if stage in CLOSING_STAGES and not (reason or "").strip():
        raise PipelineError("pipeline.reason_required", f"pipeline: stage {stage!r} needs a reason", stage=stage)
    store.update_tracked(
        profile_id,
        call_id,
        stage=stage,
        notes=(notes or "").strip(),
        amount_requested=requested,
        amount_awarded=awarded,
        reason=(reason or "").strip(),
    )


def pipeline_warnings(entry: Mapping[str, Any], today: date) -> list[tuple[str, dict[str, Any]]]:
    """What looks wrong in a saved pipeline entry, as (i18n key, parameters): an awarded amount above
    the amount requested, a request above the call's maximum, a decision before the call has closed.
    Warnings, not errors: a funder may award more, a maximum may have changed, a call may close early;
    the entry is saved either way and the page shows them beside it."""
    out: list[tuple[str, dict[str, Any]]] = []
    call = entry.get("call")
    requested, awarded = entry.get("amount_requested"), entry.get("amount_awarded")
    if requested is not None and awarded is not None and awarded > requested:
        out.append(("pipeline.warn.awarded_over_requested", {"awarded": awarded, "requested": requested}))
    if call is not None and requested is not None and call.max_amount_eur and requested > call.max_amount_eur:
        out.append(("pipeline.warn.over_max", {"requested": requested, "max": call.max_amount_eur}))
    if (call is not None and call.deadline is not None and entry.get("stage") in DECIDED_STAGES
            and call.deadline >= today):
        out.append(("pipeline.warn.decided_before_deadline", {"deadline": call.deadline}))
    return out


def untrack(store: Store, profile_id: str, call_id: str) -> None:
    store.untrack(profile_id, call_id)


def pipeline_entries(store: Store, profile_id: str) -> list[dict[str, Any]]:
    """The tracked calls of a profile (stage order, then deadline), each with its ``call`` (None
    when the call has gone from the database) and its ``drafts``."""
    drafts: dict[str, list[dict[str, Any]]] = {}
    for d in store.list_drafts(profile_id):
        drafts.setdefault(d["call_id"], []).append(d)
    out = []
    for row in store.tracked(profile_id):
        out.append({**row, "call": store.get_call(row["call_id"]), "drafts": drafts.get(row["call_id"], [])})
    order = {s: i for i, s in enumerate(PIPELINE_STAGES)}

    def key(e: dict[str, Any]) -> tuple:
        deadline = e["call"].deadline if e["call"] is not None else None
        return (order.get(e["stage"], 99), deadline is None, deadline or date.max)

    return sorted(out, key=key)


# --------------------------------------------------------------------------- mentor (Cohort, Brief, Sources)


def tracked_rows(store: Store, profile_id: str | None = None) -> list[dict[str, Any]]:
    """Pipeline rows (``call_id``, ``stage``, notes, amounts, ...) of one profile, or of every profile."""
    return store.tracked(profile_id)


def active_tracked_calls(store: Store, calls: dict[str, GrantCall]) -> dict[str, list[GrantCall]]:
    """Per profile id, the tracked calls whose deadline still matters (not awarded / rejected /
    dropped) and that are still in ``calls``."""
    return _pipeline_by_stage(store.tracked(), calls)[0]


def _pipeline_by_stage(
    rows: Iterable[Mapping[str, Any]], calls: dict[str, GrantCall]
) -> tuple[dict[str, list[GrantCall]], dict[str, set[str]]]:
    """Pipeline rows split per profile id: the open stages' calls still in ``calls``, and the ids of
    the calls closed (awarded, rejected, dropped)."""
    from grantmatch.reports import TERMINAL_STAGES

    active: dict[str, list[GrantCall]] = {}
    closed: dict[str, set[str]] = {}
    for row in rows:
        if row["stage"] in TERMINAL_STAGES:
            closed.setdefault(row["profile_id"], set()).add(row["call_id"])
        elif (call := calls.get(row["call_id"])) is not None:
            active.setdefault(row["profile_id"], []).append(call)
    return active, closed


def calendar_deadlines(
    store: Store,
    rankings: dict[str, list[RankedCall]],
    calls: dict[str, GrantCall],
    *,
    today: date,
    top: int | None = None,
    hidden: Mapping[str, frozenset[str]] | None = None,
) -> list[Any]:
    """The deadlines a calendar of these NGOs holds (``rankings``: profile id -> its ranking), soonest
    first (:class:`grantmatch.reports.DeadlineItem`): every future deadline of each NGO's fair-or-better
    matches among its first ``top`` ranked calls (default ``reports.DEADLINE_TOP``), without the calls
    it marked "not relevant" or closed in its pipeline, and of the calls it tracks at an open stage.
    The Calendar page and the Cohort page build their deadline lists and ``.ics`` files with it, so the
    cohort calendar holds the same calls wherever it is downloaded. ``hidden``: each NGO's "not
    relevant" ids (:func:`not_relevant`) when the caller has read them already; the pipeline is read
    once for all NGOs."""
    from grantmatch.reports import DEADLINE_TOP, upcoming_deadlines

    active, closed = _pipeline_by_stage(store.tracked(), calls)
    if hidden is None:
        hidden = {pid: not_relevant(store.feedback(pid)) for pid in rankings}
    ranked = {
        pid: filter_ranked(r, MatchFilters(hidden=hidden[pid] | closed.get(pid, set())), today=today)
        for pid, r in rankings.items()
    }
    tracked = {pid: active.get(pid, []) for pid in rankings}
    return upcoming_deadlines(ranked, today=today, days=None, tracked=tracked,
                              top=DEADLINE_TOP if top is None else top)


def consultations(store: Store, profile_id: str) -> list[dict[str, Any]]:
    """A profile's consultations, newest first."""
    return store.consultations(profile_id)


def add_consultation(store: Store, profile_id: str, *, notes: str = "", held_at: datetime | None = None) -> int:
    """Record that a consultation with a profile was held (``held_at`` defaults to now)."""
    if store.get_profile(profile_id) is None:
        raise KeyError(f"consultation: profile {profile_id!r} does not exist")
    return store.add_consultation(profile_id, notes=(notes or "").strip(), held_at=held_at)


def consultation_brief(
    store: Store,
    profile: NgoProfile,
    *,
    today: date,
    ranked: list[RankedCall],
    calls: dict[str, GrantCall],
) -> Any:
    """The consultation brief of one profile (:class:`grantmatch.reports.Brief`) from its ranking,
    pipeline, call history and earlier consultations. Calls the NGO marked "not relevant" are left out
    (as on the Matches page)."""
    from grantmatch import reports

    return reports.build_brief(
        profile,
        today=today,
        ranked=without_not_relevant(store, profile.id, ranked, today=today),
        tracked=store.tracked(profile.id),
        calls=calls,
        call_meta=store.call_meta() if calls else {},
        consultations=store.consultations(profile.id),
    )


def source_health(store: Store, today: date) -> list[Any]:
    """The health of every scrape source, worst first (``grantmatch.scrape_job.source_health``:
    ``SourceHealth`` rows with state, last run, last success, last and usual count, failing since,
    errors, calls stored)."""
    from grantmatch import scrape_job

    return scrape_job.source_health(store, today)


def source_names() -> dict[str, str]:
    """The readable name of each registered scrape source by key (``kkf`` -> Valsts kultūrkapitāla
    fonds); empty when the scrapers cannot be loaded."""
    try:
        from scrapers import registry

        return {key: str(getattr(cls, "source_name", "") or key) for key, cls in registry.all_scrapers().items()}
    except Exception:  # noqa: BLE001 - names are a nicety; the keys are shown instead
        return {}
