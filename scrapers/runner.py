"""Run several sources, each on its own: one failing source never stops the others.

Sources are independent and mostly on different hosts, so :func:`run_sources` runs them in a few
worker threads (``workers``, default :data:`DEFAULT_WORKERS`). Politeness stays per host: the
:class:`~scrapers.http.HttpClient` serialises requests to one host across threads and keeps its
pause between them. The ``progress`` callback is always called in the calling thread (so it may
write to a database or a progress bar that is not thread-safe), and the result is ordered as the
keys were given, whatever order the sources finish in.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable
from datetime import date

from scrapers import registry
from scrapers.base import ScrapeResult
from scrapers.errors import ScrapeError
from scrapers.http import HttpClient

logger = logging.getLogger(__name__)

DEFAULT_WORKERS = 4
"""Sources scraped at once by default (each source's own requests stay sequential)."""

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


def _event(outcome: ScrapeResult | ScrapeError) -> str:
    return "failed" if isinstance(outcome, ScrapeError) else "done"


def run_sources(
    keys: Iterable[str],
    client: HttpClient,
    *,
    today: date | None = None,
    progress: Progress | None = None,
    workers: int = DEFAULT_WORKERS,
) -> dict[str, ScrapeResult | ScrapeError]:
    """Run the sources, ``workers`` at a time; the value is each one's result or the error that stopped it.

    Parameters
    ----------
    keys : source keys (a repeated key runs once).
    client : the shared HTTP client (thread-safe; per-host pause across threads).
    today : date, optional
        handed to every scraper (``meta["today"]``).
    progress : callable, optional
        ``progress(key, event, outcome)``, called in the calling thread: "start" when a source
        begins, then "done" or "failed" with its outcome.
    workers : int, default=4
        sources run at once; 1 runs them in turn in the calling thread.

    Returns
    -------
    dict ordered as ``keys``.
    """
    keys = list(dict.fromkeys(keys))
    if workers <= 1 or len(keys) <= 1:
        return _run_in_turn(keys, client, today=today, progress=progress)

    todo: queue.SimpleQueue[str] = queue.SimpleQueue()
    for key in keys:
        todo.put(key)
    events: queue.SimpleQueue[tuple[str, str, ScrapeResult | ScrapeError | None]] = queue.SimpleQueue()
    stop = threading.Event()

    def work() -> None:
        try:
            while not stop.is_set():
                try:
                    key = todo.get_nowait()
                except queue.Empty:
                    return
                events.put((key, "start", None))
                try:
                    outcome = run_source(key, client, today=today)
                except BaseException as exc:  # never leave the caller waiting for this key
                    outcome = ScrapeError(
                        f"{key}: expected a finished run, found {type(exc).__name__}: {exc}", source=key
                    )
                    events.put((key, "failed", outcome))
                    raise
                events.put((key, _event(outcome), outcome))
        finally:
            client.release_thread()

    threads = [
        threading.Thread(target=work, name=f"scrape-worker-{i}", daemon=True) for i in range(min(workers, len(keys)))
    ]
    for thread in threads:
        thread.start()
    out: dict[str, ScrapeResult | ScrapeError] = {}
    interrupted = False
    try:
        while len(out) < len(keys):
            key, event, outcome = events.get()
            if event != "start":
                assert outcome is not None
                out[key] = outcome
                if isinstance(outcome, ScrapeError):
                    logger.warning("source failed", extra={"source": key, "error": str(outcome)})
            if progress:
                progress(key, event, outcome)
    except KeyboardInterrupt:
        interrupted = True  # do not wait for the sources under way (the threads are daemons)
        raise
    finally:
        stop.set()  # (after an error in ``progress``: start no more sources)
        if not interrupted:
            for thread in threads:
                thread.join()
    return {key: out[key] for key in keys}


def _run_in_turn(
    keys: list[str], client: HttpClient, *, today: date | None, progress: Progress | None
) -> dict[str, ScrapeResult | ScrapeError]:
    out: dict[str, ScrapeResult | ScrapeError] = {}
    for key in keys:
        if progress:
            progress(key, "start", None)
        outcome = run_source(key, client, today=today)
        out[key] = outcome
        if isinstance(outcome, ScrapeError):
            logger.warning("source failed", extra={"source": key, "error": str(outcome)})
        if progress:
            progress(key, _event(outcome), outcome)
    return out
