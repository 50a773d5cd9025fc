"""Run several sources, each on its own: one failing source never stops the others."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from datetime import date

from scrapers import registry
from scrapers.base import ScrapeResult
from scrapers.errors import ScrapeError
from scrapers.http import HttpClient

logger = logging.getLogger(__name__)

Progress = Callable[[str, str, "ScrapeResult | ScrapeError | None"], None]
"""``progress(key, event, outcome)``; event is "start", "done" or "failed"."""


def run_source(key: str, client: HttpClient, *, today: date | None = None) -> ScrapeResult | ScrapeError:
    """Run one source; any failure comes back as a :class:`ScrapeError` (never raised)."""
    started = time.monotonic()
    try:
        scraper = registry.get(key)()
        return scraper.run(client, today=today)
    except ScrapeError as exc:
        exc.seconds = time.monotonic() - started  # type: ignore[attr-defined]
        return exc
    except Exception as exc:  # a bug in one scraper must not stop the weekly job
        logger.exception("scraper crashed", extra={"source": key})
        err = ScrapeError(f"{key}: expected a finished run, found {type(exc).__name__}: {exc}", source=key)
        err.__cause__ = exc
        err.seconds = time.monotonic() - started  # type: ignore[attr-defined]
        return err


def run_sources(
    keys: Iterable[str],
    client: HttpClient,
    *,
    today: date | None = None,
    progress: Progress | None = None,
) -> dict[str, ScrapeResult | ScrapeError]:
    """Run each source in turn; the value is its result or the error that stopped it."""
    out: dict[str, ScrapeResult | ScrapeError] = {}
    for key in keys:
        if progress:
            progress(key, "start", None)
        outcome = run_source(key, client, today=today)
        out[key] = outcome
        if isinstance(outcome, ScrapeError):
            logger.warning("source failed", extra={"source": key, "error": str(outcome)})
        if progress:
            progress(key, "failed" if isinstance(outcome, ScrapeError) else "done", outcome)
    return out
