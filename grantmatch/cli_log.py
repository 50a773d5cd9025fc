"""Log records of every ``grantmatch`` command on stderr: one line each, with time, level, message
and the record's ``extra`` fields as ``key=value``.

The code logs fixed messages with the details in ``extra`` (STYLE.md). Without a handler, Python's
fallback prints the message alone, so the weekly job's log (cron: ``>> var/scrape.log 2>&1``) read
"page failed" thirty times without saying which source, page or error.
"""

from __future__ import annotations

import json
import logging
import sys
import time
import traceback
from typing import Any

_RECORD_FIELDS = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}
"""Attributes every LogRecord has; anything else on a record came from ``extra``."""


def format_value(value: Any) -> str:
    """One ``extra`` value as text that keeps the line one line and splits on spaces only between fields."""
    if isinstance(value, (list, tuple, set, frozenset)):
        value = ",".join(str(v) for v in value)
    text = str(value)
    if not text or any(c.isspace() or c in '"\\' for c in text):
        return json.dumps(text, ensure_ascii=False)
    return text


class KeyValueFormatter(logging.Formatter):
    """``2026-12-07 06:00:04 WARNING scrapers.base: page failed source=lm url=https://… error="…"``.

    The time is local (what a cron user compares with the job's schedule). A record with an
    exception gets ``exc="Type: text"`` on its line and the traceback below it, indented, since a
    crashed scraper's traceback is the only way to find its bug.
    """

    def format(self, record: logging.LogRecord) -> str:
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(record.created))
        parts = [f"{stamp} {record.levelname} {record.name}: {record.getMessage()}"]
        for key, value in vars(record).items():
            if key not in _RECORD_FIELDS and not key.startswith("_"):
                parts.append(f"{key}={format_value(value)}")
        line = " ".join(parts)
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            line += f" exc={format_value(f'{type(exc).__name__}: {exc}')}"
            trace = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
            line += "\n" + "\n".join("    " + t for t in trace.splitlines())
        return line


class StderrHandler(logging.Handler):
    """Writes to ``sys.stderr`` as it is at each record: rich's progress bar and test runners swap it
    for their own stream, and a handler holding the old one would write to a closed file."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            stream = sys.stderr
            stream.write(self.format(record) + "\n")
            stream.flush()
        except Exception:
            self.handleError(record)


QUIET_BELOW_ERROR = ("urllib3",)
"""Loggers whose warnings are left out unless the level is INFO or lower: urllib3 warns at every
retry of a request, and the scraper's own "page failed" record already says how the request ended."""


def _not_quieted(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.ERROR or not record.name.startswith(QUIET_BELOW_ERROR)


def configure_logging(level: int = logging.WARNING) -> None:
    """Send records of ``level`` and above to stderr in the :class:`KeyValueFormatter` form
    (at WARNING, without the loggers of :data:`QUIET_BELOW_ERROR` below ERROR).

    Safe to call again (each command run in one process calls it): the handler is replaced, not added twice.
    """
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, StderrHandler)]:
        root.removeHandler(old)
    handler = StderrHandler(level)
    handler.setFormatter(KeyValueFormatter())
    if level > logging.INFO:
        handler.addFilter(_not_quieted)
    root.addHandler(handler)
    if root.getEffectiveLevel() > level:
        root.setLevel(level)
