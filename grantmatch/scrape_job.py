"""The weekly scrape as a service: run the sources, merge duplicates, tag areas, store, log each run.

Nothing stored is ever deleted here: a source that fails leaves its calls as they were, and each
source's calls are written in their own transaction. ``source_health`` turns the run log into the
table maintainers look at ("which source broke, since when, and does it find as much as usual").
"""

from __future__ import annotations

import logging
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from grantmatch.models import GrantCall
from grantmatch.paths import var_dir
from grantmatch.store import Store
from scrapers import registry
from scrapers.base import ScrapeResult
from scrapers.dedupe import dedupe
from scrapers.errors import ScrapeError
from scrapers.http import HttpClient
from scrapers.normalize import detect_language
from scrapers.runner import Progress, run_source

logger = logging.getLogger(__name__)

HEALTH_LOW_SHARE = 0.5
"""A source is flagged "low" when its last count is below this share of its usual count."""
HEALTH_STALE_DAYS = 14
HEALTH_HISTORY = 8


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
            "failed": self.failed,
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
) -> ScrapeReport:
    """Run the sources (all registered ones by default) and store what they find.

    Each source gets a run-log row (``ok`` or ``failed`` with its errors). Calls of all sources are
    deduplicated together, given priority areas (``matcher.tag_areas`` when available) and upserted
    per source, so a failure while storing one source does not touch the others.
    """
    keys = list(keys) if keys is not None else list(registry.all_scrapers())
    client = client or default_client()
    seen_at = now or datetime.now(UTC)
    outcomes: dict[str, SourceOutcome] = {}
    results: dict[str, ScrapeResult] = {}
    for key in keys:
        run_id = store.start_run(key)
        if progress:
            progress(key, "start", None)
        outcome = run_source(key, client, today=today)
        if isinstance(outcome, ScrapeError):
            outcomes[key] = SourceOutcome(
                key, "failed", errors=[str(outcome)], seconds=getattr(outcome, "seconds", 0.0), run_id=run_id
            )
            store.finish_run(run_id, status="failed", errors=[str(outcome)])
        else:
            results[key] = outcome
            outcomes[key] = SourceOutcome(
                key,
                "ok",
                pages=outcome.pages,
                found=len(outcome.calls),
                not_modified=outcome.not_modified,
                errors=list(outcome.errors),
                seconds=outcome.seconds,
                run_id=run_id,
            )
        if progress:
            progress(key, "failed" if isinstance(outcome, ScrapeError) else "done", outcome)

    # merge the same call reported by several sources, then tag areas
    scrapers = registry.all_scrapers()
    own_funders = {k: getattr(scrapers.get(k), "funder", "") for k in results if k in scrapers}
    everything = [
        _with_language(c, getattr(scrapers.get(k), "language", "") or "") for k, r in results.items() for c in r.calls
    ]
    merged = dedupe(everything, own_funders=own_funders)
    tag, tagged_by = _tagger()
    try:
        kept = tag(merged.calls)
    except Exception as exc:  # tagging is a nicety; never lose a run over it
        logger.warning("tagging failed", extra={"error": repr(exc)})
        kept, tagged_by = merged.calls, "source"

    by_source: dict[str, list[GrantCall]] = {k: [] for k in results}
    for call in kept:
        by_source.setdefault(call.source, []).append(call)
    for key in results:
        out = outcomes[key]
        calls = by_source.get(key, [])
        out.kept = len(calls)
        try:
            stats = store.upsert_calls(calls, seen_at=seen_at, run_id=out.run_id, also_at=merged.also_at)
        except Exception as exc:  # the transaction rolled back: what was stored stays as it was
            out.status = "failed"
            out.errors.append(f"{key}: expected to store {len(calls)} calls, found {type(exc).__name__}: {exc}")
        else:
            out.new, out.changed = len(stats.new), len(stats.changed)
        store.finish_run(
            out.run_id,  # type: ignore[arg-type]
            status=out.status,
            pages=out.pages,
            found=out.found,
            new=out.new,
            changed=out.changed,
            errors=out.errors,
        )
    report = ScrapeReport(today=today, outcomes=outcomes, duplicates=len(everything) - len(kept), tagged_by=tagged_by)
    logger.info("scrape job finished", extra={"failed": report.failed, "duplicates": report.duplicates})
    return report


def source_health(store: Store, today: date) -> list[dict[str, Any]]:
    """One row per source: last success, last and usual count, failing since, and a flag.

    Flags: ``failing`` (the latest run failed), ``never`` (no successful run yet), ``low`` (the last
    count is far below the median of the earlier successful runs), ``stale`` (no success for
    ``HEALTH_STALE_DAYS`` days), else ``""``.
    """
    runs = store.runs(limit=5000)
    keys = sorted(set(registry.all_scrapers()) | {r["source"] for r in runs})
    rows = []
    for key in keys:
        mine = [r for r in runs if r["source"] == key and r["status"] in ("ok", "failed")]  # newest first
        ok = [r for r in mine if r["status"] == "ok"]
        last_ok = ok[0] if ok else None
        earlier = [r["found"] for r in ok[1 : HEALTH_HISTORY + 1]]
        usual = statistics.median(earlier) if earlier else (last_ok["found"] if last_ok else None)
        failing_since = None
        for r in mine:
            if r["status"] != "failed":
                break
            failing_since = r["started_at"]
        flag = ""
        if failing_since is not None:
            flag = "failing"
        elif not ok:
            flag = "never"
        elif last_ok and earlier and usual and last_ok["found"] < HEALTH_LOW_SHARE * usual:
            flag = "low"
        stale_before = today - timedelta(days=HEALTH_STALE_DAYS)
        if not flag and last_ok and last_ok["finished_at"] and last_ok["finished_at"].date() < stale_before:
            flag = "stale"
        rows.append(
            {
                "source": key,
                "last_run": mine[0]["started_at"] if mine else None,
                "last_status": mine[0]["status"] if mine else None,
                "last_success": last_ok["finished_at"] if last_ok else None,
                "last_count": last_ok["found"] if last_ok else None,
                "usual_count": usual,
                "failing_since": failing_since,
                "flag": flag,
                "last_errors": list(mine[0]["errors"]) if mine else [],
            }
        )
    return rows


# --------------------------------------------------------------------------- maintainer helpers


def parse_saved_page(
    key: str, text: str, *, url: str | None = None, callback: str = "parse", today: date | None = None
) -> tuple[list[GrantCall], list[Any]]:
    """What a saved page yields: (calls, follow-up requests). Uses the source's pure parser only."""
    scraper = registry.get(key)()
    url = url or (scraper.start_urls[0] if scraper.start_urls else "")
    meta: dict[str, Any] = {"today": today} if today else {}
    method = getattr(scraper, callback, None)
    if method is None:
        raise ScrapeError(f"{key}: expected a method {callback!r}, found none", source=key)
    calls, requests = [], []
    for item in method(text, url, meta):
        (calls if isinstance(item, GrantCall) else requests).append(item)
    return calls, requests


def save_fixture(key: str, url: str, out: Any, *, client: HttpClient | None = None) -> int:
    """Fetch one page of a source once (as the source would ask for it) and save its text; returns bytes."""
    from pathlib import Path

    scraper = registry.get(key)()
    client = client or HttpClient(cache_path=None, delay=0)
    request = next((r for r in scraper.start_requests() if r.url == url), None) or url
    page = client.fetch(request, source=key)
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = page.text.encode("utf-8")
    path.write_bytes(data)
    return len(data)
