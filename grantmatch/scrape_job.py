"""The weekly scrape as a service: run the sources, merge duplicates, tag areas, store, log each run.

Nothing stored is ever deleted here: a source that fails leaves its calls as they were, and each
source's calls are written in their own transaction. ``source_health`` turns the run log into the
table maintainers look at ("which source broke, since when, and does it find as much as usual").
"""

from __future__ import annotations

import logging
import re
import statistics
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select, update

from grantmatch.models import GrantCall, PriorityArea
from grantmatch.paths import var_dir
from grantmatch.store import Store, content_hash
from grantmatch.store import calls as calls_table
from scrapers import registry
from scrapers.base import ScrapeResult
from scrapers.dedupe import dedupe, funders_agree, same_call
from scrapers.errors import ScrapeError
from scrapers.http import HttpClient
from scrapers.normalize import detect_language
from scrapers.runner import DEFAULT_WORKERS, Progress, run_sources

logger = logging.getLogger(__name__)

HEALTH_LOW_SHARE = 0.5
"""A source is flagged "low" when its last count is below this share of its usual count."""
HEALTH_STALE_DAYS = 8
"""A source whose latest run is this many days old (or older) is flagged "stale"."""
HEALTH_HISTORY = 8
"""The usual count is the median of up to this many successful runs before the latest."""


@dataclass
class SourceOutcome:
    source: str
    status: str  # "ok" | "failed"
    pages: int = 0
    found: int = 0
    kept: int = 0
    new: int = 0
    changed: int = 0
    not_modified: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    run_id: int | None = None


@dataclass
class ScrapeReport:
    today: date
    outcomes: dict[str, SourceOutcome]
    duplicates: int = 0
    tagged_by: str = ""
    stored_duplicates: int = 0
    """New calls left out because another source's stored call is the same call."""
    index: str = ""
    """The app's matcher index after the run: "refreshed", "failed: ..." or "" (nothing changed)."""
    new_matches: dict[str, list[str]] = field(default_factory=dict)
    """Per NGO (profile id), the calls stored as new in this run that are at least a fair fit among its
    first ``reports.DEADLINE_TOP`` matches, leaving out those it marked "not relevant": this week's news
    to pass on to it (:func:`new_matches`)."""

    @property
    def failed(self) -> list[str]:
        return [k for k, o in self.outcomes.items() if o.status != "ok"]

    @property
    def ok(self) -> bool:
        return not self.failed

    def to_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "duplicates": self.duplicates,
            "stored_duplicates": self.stored_duplicates,
            "index": self.index,
            "failed": self.failed,
            "new_matches": self.new_matches,
            "sources": {k: vars(o) for k, o in self.outcomes.items()},
        }


def default_client(*, delay: float = 1.0, cache: bool = True) -> HttpClient:
    """The production client: HTTP cache in ``var/http_cache.sqlite``, raw pages in ``var/raw/``."""
    folder = var_dir()
    return HttpClient(
        cache_path=folder / "http_cache.sqlite" if cache else None, delay=delay, raw_dir=folder / "raw"
    )


def _tagger() -> tuple[Callable[[list[GrantCall]], list[GrantCall]], str]:
    try:
        from matcher import tag_areas
    except ImportError:  # the matcher is optional for scraping: keep the source's own tags
        return (lambda calls: list(calls)), "source"
    return (lambda calls: list(tag_areas(calls))), "matcher"


def _with_language(call: GrantCall, default: str) -> GrantCall:
    if call.language:
        return call
    return replace(call, language=detect_language(call.text) or default)


def run_scrape(
    store: Store,
    keys: Iterable[str] | None = None,
    *,
    client: HttpClient | None = None,
    today: date,
    progress: Progress | None = None,
    now: datetime | None = None,
    workers: int = DEFAULT_WORKERS,
) -> ScrapeReport:
    """Run the sources (all registered ones by default) and store what they find.

    Each source gets a run-log row, opened ("running") for all sources before any is scraped and
    closed ``ok`` or ``failed`` (with its errors and the time it really started). Calls of all sources are
    deduplicated together, given priority areas (``matcher.tag_areas`` when available) and upserted
    per source, so a failure while storing one source does not touch the others. ``workers``
    sources are scraped at once (:func:`scrapers.runner.run_sources`); the run log, the store and
    ``progress`` are only touched from the calling thread.
    """
    if client is None:  # a client of our own is closed when the run ends
        with default_client() as own:
            return run_scrape(store, keys, client=own, today=today, progress=progress, now=now, workers=workers)
    keys = list(dict.fromkeys(keys)) if keys is not None else list(registry.all_scrapers())
    seen_at = now or datetime.now(UTC)
    outcomes: dict[str, SourceOutcome] = {}
    results: dict[str, ScrapeResult] = {}
    # every source's run-log row is opened now, in one transaction, and closed with the time the
    # source really started: no run-log write waits for the GIL while the workers parse
    run_ids = store.start_runs(keys)
    started: dict[str, datetime] = {}

    def track(key: str, event: str, outcome: ScrapeResult | ScrapeError | None) -> None:
        # called by the runner in this thread: the run log is written here, never from a worker
        if event == "start":
            started[key] = datetime.now(UTC)
        elif isinstance(outcome, ScrapeError):
            outcomes[key] = SourceOutcome(
                key, "failed", errors=[str(outcome)], seconds=getattr(outcome, "seconds", 0.0), run_id=run_ids[key]
            )
            store.finish_run(run_ids[key], status="failed", errors=[str(outcome)], started_at=started.get(key))
        elif outcome is not None:
            results[key] = outcome
            outcomes[key] = SourceOutcome(
                key,
                "ok",
                pages=outcome.pages,
                found=len(outcome.calls),
                not_modified=outcome.not_modified,
                errors=list(outcome.errors),
                seconds=outcome.seconds,
                run_id=run_ids[key],
            )
        if progress:
            progress(key, event, outcome)

    try:
        run_sources(keys, client, today=today, progress=track, workers=workers)
    except BaseException:  # interrupted (Ctrl-C, a progress callback failing): sources never begun leave no row
        try:
            store.discard_runs([run_ids[k] for k in keys if k not in started])
        except Exception as exc:  # the interruption is what the caller must see
            logger.warning("run-log rows of unstarted sources not removed", extra={"error": repr(exc)})
        raise
    # the report and the merge below follow the order of ``keys``, not the order sources finished in
    outcomes = {k: outcomes[k] for k in keys}
    results = {k: results[k] for k in keys if k in results}

    # merge the same call reported by several sources, then tag areas
    scrapers = registry.all_scrapers()
    own_funders = {k: getattr(scrapers.get(k), "funder", "") for k in results if k in scrapers}
    everything = [
        _with_language(c, getattr(scrapers.get(k), "language", "") or "") for k, r in results.items() for c in r.calls
    ]
    merged = dedupe(everything, own_funders=own_funders)
    # calls whose content is as stored keep their stored areas: no tagging (nor matcher loading) for them
    try:
        known, unchanged = _reuse_stored(store, merged.calls)
    except Exception as exc:  # only an optimisation
        logger.warning("reading stored calls failed", extra={"error": repr(exc)})
        known, unchanged = dict.fromkeys(c.id for c in merged.calls), set()
    to_tag = [c for c in merged.calls if c.id not in unchanged]
    tagged_by = "matcher"
    if to_tag:
        tag, tagged_by = _tagger()
        try:
            tagged = {c.id: c for c in tag(to_tag)}
        except Exception as exc:  # tagging is a nicety; never lose a run over it
            logger.warning("tagging failed", extra={"error": repr(exc)})
            tagged, tagged_by = {}, "source"
        known.update({k: v for k, v in tagged.items()})
    kept = [known.get(c.id) or c for c in merged.calls]

    also_at = {k: list(v) for k, v in merged.also_at.items()}
    try:
        kept, stored_dupes = _drop_stored_duplicates(store, kept, own_funders, also_at)
    except Exception as exc:  # a read failure here must not lose the run: store what was found
        logger.warning("dedupe against stored calls failed", extra={"error": repr(exc)})
        stored_dupes = {}

    by_source: dict[str, list[GrantCall]] = {k: [] for k in results}
    for call in kept:
        by_source.setdefault(call.source, []).append(call)
    try:  # unchanged calls: only "last seen", for all sources in one statement
        _touch(store, [c.id for c in kept if c.id in unchanged], seen_at)
    except Exception as exc:  # then the per-source upserts below do it
        logger.warning("bulk last-seen update failed", extra={"error": repr(exc)})
        unchanged = set()
    closing: list[dict[str, Any]] = []
    new_ids: set[str] = set()
    for key in results:
        out = outcomes[key]
        calls = by_source.get(key, [])
        out.kept = len(calls)
        changed = [c for c in calls if c.id not in unchanged]
        if changed:  # (a source with nothing new or changed opens no transaction)
            try:
                stats = store.upsert_calls(changed, seen_at=seen_at, run_id=out.run_id, also_at=also_at)
            except Exception as exc:  # the transaction rolled back: what was stored stays as it was
                out.status = "failed"
                out.errors.append(f"{key}: expected to store {len(calls)} calls, found {type(exc).__name__}: {exc}")
            else:
                out.new, out.changed = len(stats.new), len(stats.changed)
                new_ids.update(stats.new)
        closing.append(
            {
                "run_id": out.run_id,
                "status": out.status,
                "pages": out.pages,
                "found": out.found,
                "new": out.new,
                "changed": out.changed,
                "errors": out.errors,
                "started_at": started.get(key),
            }
        )
    store.finish_runs(closing)  # the run-log rows of all stored sources, in one transaction
    for stored_id, urls in stored_dupes.items():
        try:
            _add_also_at(store, stored_id, urls)
        except Exception as exc:  # only a link is lost
            logger.warning("also_at not stored", extra={"call": stored_id, "error": repr(exc)})
    report = ScrapeReport(
        today=today,
        outcomes=outcomes,
        duplicates=len(everything) - len(kept),
        tagged_by=tagged_by,
        stored_duplicates=sum(len(v) for v in stored_dupes.values()),
    )
    if any(o.new or o.changed for o in outcomes.values()):
        report.index = _refresh_index(store)
    if new_ids and report.index == "refreshed":
        try:
            report.new_matches = new_matches(store, new_ids, today=today)
        except Exception as exc:  # the news is a courtesy: the calls are stored either way
            logger.warning("new matches not computed", extra={"error": repr(exc)})
    logger.info("scrape job finished", extra={"failed": report.failed, "duplicates": report.duplicates})
    return report


def _reuse_stored(store: Store, calls: list[GrantCall]) -> tuple[dict[str, GrantCall | None], set[str]]:
    """Which calls are exactly as stored (their stored areas added back when they have none).

    Returns ``id -> call`` (with stored areas for the unchanged ones, None for the others) and the
    set of unchanged ids.
    """
    ids = [c.id for c in calls]
    stored: dict[str, Any] = {}
    with store.engine.connect() as conn:
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            query = select(calls_table.c.id, calls_table.c.content_hash, calls_table.c.data)
            for row in conn.execute(query.where(calls_table.c.id.in_(chunk))):
                stored[row.id] = row
    known: dict[str, GrantCall | None] = {}
    unchanged: set[str] = set()
    for call in calls:
        row = stored.get(call.id)
        known[call.id] = None
        if row is None:
            continue
        candidate = call
        areas = (row.data or {}).get("priority_areas") or ()
        if not call.priority_areas and areas:
            try:
                candidate = replace(call, priority_areas=tuple(PriorityArea(a) for a in areas))
            except ValueError:
                continue
        if content_hash(candidate) == row.content_hash:
            known[call.id] = candidate
            unchanged.add(call.id)
    return known, unchanged


def _touch(store: Store, ids: list[str], seen_at: datetime) -> None:
    """Set "last seen" of unchanged stored calls, in one transaction."""
    if not ids:
        return
    with store.engine.begin() as conn:
        for i in range(0, len(ids), 500):
            conn.execute(
                update(calls_table).where(calls_table.c.id.in_(ids[i : i + 500])).values(last_seen=seen_at)
            )


def _refresh_index(store: Store) -> str:
    """Refit and save the app's matcher index for the new calls (so the app's next start does not).

    Returns "refreshed", or "failed: <reason>" (never raises: the scrape itself succeeded).
    """
    try:
        from grantmatch.services import build_matcher

        build_matcher(store)
    except Exception as exc:
        logger.warning("matcher index not refreshed", extra={"error": repr(exc)})
        return f"failed: {type(exc).__name__}: {exc}"
    return "refreshed"


def new_matches(store: Store, call_ids: Iterable[str], *, today: date) -> dict[str, list[str]]:
    """Per NGO (profile id, only those with any), which of ``call_ids`` are at least a fair fit
    (``reports.fair_matches``) among its first ``reports.DEADLINE_TOP`` matches, without the calls
    it marked "not relevant", best first: the calls the Calendar and the brief would now show it."""
    from grantmatch import services
    from grantmatch.reports import DEADLINE_TOP, fair_matches

    wanted = set(call_ids)
    matcher = services.build_matcher(store)  # the index the run has just saved: loaded, not refitted
    calls = services.calls_by_id(store)
    out: dict[str, list[str]] = {}
    for profile in store.list_profiles():
        # the whole ranking, then the marks, then the first ten: as the Calendar counts its top ten
        ranked = services.rank_profile(store, matcher, profile, today=today, top=None, calls=calls)
        ranked = services.without_not_relevant(store, profile.id, ranked, today=today)
        hits = [r.call.id for r in fair_matches(ranked, limit=DEADLINE_TOP) if r.call.id in wanted]
        if hits:
            out[profile.id] = hits
    return out


def _drop_stored_duplicates(
    store: Store, calls: list[GrantCall], own_funders: dict[str, str], also_at: dict[str, list[str]]
) -> tuple[list[GrantCall], dict[str, list[str]]]:
    """Leave out new calls that repeat a call already stored from another source.

    A call whose id is not stored yet is compared (``scrapers.dedupe.same_call``) with the stored
    calls of other sources. When it matches one, it is not stored unless it comes from the funder's
    own source and the stored one does not (then both are kept and linked through ``also_at``).
    Returns the calls to store and, per stored call id, the URLs of the reposts left out.
    """
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(calls_table.c.id, calls_table.c.source, calls_table.c.title, calls_table.c.funder,
                   calls_table.c.deadline)
        ).all()  # fmt: skip
    stored_ids = {r.id for r in rows}
    fresh = [c for c in calls if c.id not in stored_ids]
    if not fresh or not rows:
        return calls, {}
    by_deadline: dict[date | None, list[Any]] = {}
    for r in rows:
        by_deadline.setdefault(r.deadline, []).append(r)

    def own(source: str, funder: str | None) -> bool:
        return bool(funder) and source in own_funders and funders_agree(funder, own_funders[source])

    dropped: set[str] = set()
    found: dict[str, list[str]] = {}
    for call in fresh:
        candidates = by_deadline.get(call.deadline, []) + (by_deadline.get(None, []) if call.deadline else [])
        if call.deadline is None:
            candidates = rows
        for row in candidates:
            if row.source == call.source or not same_call(row, call):  # a row has the fields it reads
                continue
            if own(call.source, call.funder) and not own(row.source, row.funder):
                also_at.setdefault(call.id, []).append(_stored_url(store, row.id))
                break
            dropped.add(call.id)
            found.setdefault(row.id, []).append(call.url)
            found[row.id] += also_at.get(call.id, [])
            logger.info("repost of a stored call left out", extra={"call": call.id, "stored": row.id})
            break
    return [c for c in calls if c.id not in dropped], found


def _stored_url(store: Store, call_id: str) -> str:
    call = store.get_call(call_id)
    return call.url if call else call_id


def _add_also_at(store: Store, call_id: str, urls: list[str]) -> None:
    """Add ``urls`` to a stored call's other-source URLs (nothing else of the call changes)."""
    with store.engine.begin() as conn:
        current = conn.execute(select(calls_table.c.also_at).where(calls_table.c.id == call_id)).scalar_one_or_none()
        merged = list(dict.fromkeys([*(current or []), *urls]))
        if merged != list(current or []):
            conn.execute(update(calls_table).where(calls_table.c.id == call_id).values(also_at=merged))


HEALTH_ORDER = ("failing", "low", "stale", "never", "ok")
"""Source states, worst first: the latest run failed; it found far fewer calls than usual; no run
for ``HEALTH_STALE_DAYS`` days; never finished a run; fine."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class SourceHealth:
    """How one source's scraper is doing (one row of the ``grantmatch sources`` table)."""

    source: str
    state: str
    """One of :data:`HEALTH_ORDER`."""
    last_run: datetime | None = None
    """When the latest finished run finished (or started, if it never finished)."""
    last_status: str = ""
    last_success: datetime | None = None
    last_count: int | None = None
    """Calls found by the latest successful run."""
    usual_count: float | None = None
    """Median count of up to ``HEALTH_HISTORY`` successful runs before the latest one."""
    failing_since: datetime | None = None
    """Start of the first run of the current streak of failed runs."""
    errors: tuple[str, ...] = ()
    """Error texts of the latest finished run (for a failing source: why it fails)."""
    runs: int = 0
    calls_stored: int = 0

    @property
    def flag(self) -> str:
        """The state, or "" when the source is fine."""
        return "" if self.state == "ok" else self.state

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["errors"] = list(self.errors)
        data["flag"] = self.flag
        return data


def _clean_error(text: Any, limit: int = 1000) -> str:
    return _CONTROL.sub("", str(text)).strip()[:limit]


def _run_time(run: dict[str, Any]) -> datetime | None:
    return run.get("finished_at") or run.get("started_at")


def stored_counts(store: Store) -> dict[str, int]:
    """Number of stored calls per source."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(calls_table.c.source, func.count()).group_by(calls_table.c.source)).all()
    return {str(source): int(n) for source, n in rows}


def source_health(
    store: Store,
    today: date,
    *,
    stale_days: int = HEALTH_STALE_DAYS,
    low_share: float = HEALTH_LOW_SHARE,
    history: int = HEALTH_HISTORY,
) -> list[SourceHealth]:
    """The health of every source (registered, logged or with stored calls), worst first.

    Parameters
    ----------
    store : the database with the run log (``store.runs()``) and the stored calls.
    today : date
        reference date for ``stale``.
    stale_days : int, default=8
        a source whose latest run is at least this many days old is ``stale``.
    low_share : float, default=0.5
        a source whose latest successful count is below this share of its usual count is ``low``.
    history : int, default=8
        how many earlier successful runs make the usual count (their median).

    States: ``failing`` (the latest finished run failed; ``failing_since`` is the start of that
    streak and ``errors`` its error texts), ``low``, ``stale``, ``never`` (no finished run) and
    ``ok``; the order of :data:`HEALTH_ORDER`, then by source key.
    """
    runs = store.runs(limit=20_000)  # newest first
    stored = stored_counts(store)
    by_source: dict[str, list[dict[str, Any]]] = {k: [] for k in (*registry.all_scrapers(), *stored)}
    for run in runs:
        by_source.setdefault(str(run["source"]), []).append(run)
    out = []
    for source, items in by_source.items():
        finished = [r for r in items if r["status"] != "running"]
        finished.sort(key=lambda r: r.get("id") or 0, reverse=True)
        if not finished:
            out.append(SourceHealth(source, "never", runs=len(items), calls_stored=stored.get(source, 0)))
            continue
        last = finished[0]
        ok_runs = [r for r in finished if r["status"] == "ok"]
        failing_since = None
        for r in finished:
            if r["status"] == "ok":
                break
            failing_since = r["started_at"] or _run_time(r)
        last_count = int(ok_runs[0]["found"] or 0) if ok_runs else None
        earlier = [float(r["found"] or 0) for r in ok_runs[1 : 1 + history]]
        usual = statistics.median(earlier) if earlier else None
        last_time = _run_time(last)
        if failing_since is not None:
            state = "failing"
        elif usual and last_count is not None and last_count < low_share * usual:
            state = "low"
        elif last_time is None or (today - last_time.date()).days >= stale_days:
            state = "stale"
        else:
            state = "ok"
        out.append(
            SourceHealth(
                source=source,
                state=state,
                last_run=last_time,
                last_status=str(last["status"]),
                last_success=_run_time(ok_runs[0]) if ok_runs else None,
                last_count=last_count,
                usual_count=usual,
                failing_since=failing_since,
                errors=tuple(_clean_error(e) for e in last.get("errors") or ()),
                runs=len(items),
                calls_stored=stored.get(source, 0),
            )
        )
    return sorted(out, key=lambda h: (HEALTH_ORDER.index(h.state), h.source))


# --------------------------------------------------------------------------- maintainer helpers


def parser_callbacks(key: str) -> list[str]:
    """The parser methods of a source (``parse`` and each ``parse_<kind>``), ``parse`` first."""
    cls = registry.get(key)
    names = [n for n in dir(cls) if (n == "parse" or n.startswith("parse_")) and callable(getattr(cls, n))]
    return sorted(names, key=lambda n: (n != "parse", n))


def start_url(key: str, callback: str = "parse") -> str | None:
    """The URL of the source's first start request read by ``callback``; None when ``callback``
    reads only pages the scraper finds itself (an article linked from a listing)."""
    for req in registry.get(key)().start_requests():
        if req.callback == callback:
            return req.url
    return None


def parse_saved_page(
    key: str, text: str, *, url: str | None = None, callback: str = "parse", today: date | None = None
) -> tuple[list[GrantCall], list[Any]]:
    """What a saved page yields: (calls, follow-up requests). Uses the source's pure parser only.

    ``url`` defaults to :func:`start_url` (the parser makes ids and links from it, so a page reached
    through a link needs its own).
    """
    scraper = registry.get(key)()
    callbacks = parser_callbacks(key)
    if callback not in callbacks:
        raise ScrapeError(f"{key}: expected a parser method ({', '.join(callbacks)}), found {callback!r}", source=key)
    url = url or start_url(key, callback)
    if not url:
        raise ScrapeError(f"{key}: expected the URL of the page {callback} reads, found none", source=key)
    meta: dict[str, Any] = {"today": today} if today else {}
    calls, requests = [], []
    for item in getattr(scraper, callback)(text, url, meta):
        (calls if isinstance(item, GrantCall) else requests).append(item)
    return calls, requests


def fixture_target(key: str, url: str | None, out: Any, root: Any = "tests/fixtures") -> tuple[str, Any]:
    """The page ``save-fixture`` fetches and the file it writes, filling in what was not given.

    The page defaults to the source's first start URL; the file to the name the source's
    ``fixture_pages`` gives that page (its tests read it there), else the URL's last path segment
    (``.json`` for a POSTed API search, ``.html`` otherwise), under ``<root>/<key>/``.
    """
    cls = registry.get(key)
    requests = list(cls().start_requests())
    if not url:
        if not requests:
            raise ScrapeError(f"{key}: expected a start URL to save (or --url), found none", source=key)
        url = requests[0].url
    if out is None:
        name = cls.fixture_pages.get(url)
        if name is None:
            method = next((r.method for r in requests if r.url == url), "GET")
            last = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
            stem = re.sub(r"[^A-Za-z0-9._-]+", "-", last).strip("-.") or "index"
            name = stem if "." in stem else stem + (".json" if method == "POST" else ".html")
        out = Path(root) / key / name
    return url, out


def save_fixture(key: str, url: str, out: Any, *, client: HttpClient | None = None) -> int:
    """Fetch one page of a source once (as the source would ask for it) and save its text; returns bytes."""
    scraper = registry.get(key)()
    client = client or HttpClient(cache_path=None, delay=0)
    request = next((r for r in scraper.start_requests() if r.url == url), None) or url
    page = client.fetch(request, source=key)
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = page.text.encode("utf-8")
    path.write_bytes(data)
    return len(data)
