"""The command line's log lines: message, extra fields, time and level on one line (stderr)."""

from __future__ import annotations

import logging
import re

from grantmatch.cli_log import KeyValueFormatter, StderrHandler, configure_logging


def _record(msg="page failed", level=logging.WARNING, exc_info=None, **extra):
    record = logging.LogRecord("scrapers.base", level, __file__, 1, msg, None, exc_info)
    record.__dict__.update(extra)
    return record


def test_line_has_time_level_message_and_extra_fields():
    line = KeyValueFormatter().format(
        _record(source="lm", url="https://x.lv/a?b=1", error="lm: expected a response, found 404")
    )
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d WARNING scrapers\.base: page failed source=lm url=https://x\.lv/a\?b=1 "
        r'error="lm: expected a response, found 404"',
        line,
    )


def test_values_stay_on_one_line_and_lists_are_joined():
    line = KeyValueFormatter().format(_record("scrape job finished", failed=["lm", "sif"], note="a\nb", empty=""))
    assert "\n" not in line
    assert 'failed=lm,sif note="a\\nb" empty=""' in line


def test_exception_on_the_line_and_traceback_indented_below():
    try:
        raise KeyError("x")
    except KeyError:
        import sys

        record = _record("scraper crashed", level=logging.ERROR, exc_info=sys.exc_info(), source="lm")
    first, *rest = KeyValueFormatter().format(record).splitlines()
    assert first.endswith("scraper crashed source=lm exc=\"KeyError: 'x'\"")
    assert rest and all(line.startswith("    ") for line in rest) and "Traceback" in rest[0]


def test_configure_twice_keeps_one_handler_and_quiets_urllib3_retries(capsys):
    configure_logging()
    configure_logging()
    assert sum(isinstance(h, StderrHandler) for h in logging.getLogger().handlers) == 1
    logging.getLogger("urllib3.connectionpool").warning("Retrying (total=2)")
    logging.getLogger("scrapers.runner").warning("source failed", extra={"source": "lm"})
    err = capsys.readouterr().err
    assert "Retrying" not in err and "source failed source=lm" in err
    configure_logging(logging.INFO)
    logging.getLogger("urllib3.connectionpool").warning("Retrying (total=2)")
    assert "Retrying" in capsys.readouterr().err
    configure_logging()
