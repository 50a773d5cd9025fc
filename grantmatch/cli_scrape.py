"""`grantmatch` commands: scrape, sources, parse, save-fixture."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import typer

from grantmatch import i18n, scrape_job, services
from grantmatch.cli_common import fail, parse_today, today_option
from grantmatch.cli_log import format_value
from grantmatch.reports import clean_text
from grantmatch.store import Store, StoreError
from scrapers.errors import ScrapeError

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
"""Line breaks and other control characters in an error text (kept on its one line)."""


def _fmt_time(value) -> str:
    return i18n.fmt_datetime(value, "lv")  # the CLI's reports write Latvian dates


def _known_source(key: str) -> None:
    """End the command as bad input (exit 2, the known keys listed) when ``key`` names no source."""
    from scrapers import registry

    try:
        registry.get(key)
    except ScrapeError as exc:
        raise fail(str(exc)) from None


def _show(table, plain: list[str], errors: dict[str, Sequence[str]]) -> None:
    """Print ``table``, then each source's errors in full, on a terminal wide enough for the table
    as it is; else (cron, a pipe, a narrow terminal) the ``plain`` lines. Rich would shrink every
    column of a table wider than the terminal to a few letters and wrap text one word per line."""
    from rich.console import Console
    from rich.markup import escape as rich_escape
    from rich.measure import Measurement

    console = Console()
    natural = Measurement.get(console, console.options.update_width(10_000), table).maximum
    if not (console.is_terminal and natural <= console.width):
        typer.echo("\n".join(plain))
        return
    console.print(table)
    if any(errors.values()):
        console.print("Kļūdas / Errors:")
    for source, texts in errors.items():
        for text in texts:  # a scraper's error text starts with its source key
            text = text if text.startswith(f"{source}:") else f"{source}: {text}"
            # soft wrap: the terminal wraps a long line, so a URL stays one piece to copy
            console.print(f"  {rich_escape(_CONTROL.sub(' ', text))}", soft_wrap=True)


def _plain_line(name: str, width: int, fields: dict[str, object], errors: Sequence[str] = ()) -> list[str]:
    """``name  key=value ...``, then each error in full on its own indented line."""
    line = f"{name:<{width}}  " + " ".join(f"{k}={format_value(v)}" for k, v in fields.items())
    return [line, *(f"    {_CONTROL.sub(' ', e)}" for e in errors)]


def _table(title: str, columns: Sequence[str], right: Sequence[str] = ()):
    """A rich table whose headers are "LV\\nEN" (two lines, so a header is no wider than its cells)."""
    from rich.table import Table

    table = Table(title=title)
    table.add_column(columns[0], no_wrap=True)
    for col in columns[1:]:
        table.add_column(col, justify="right" if col in right else "left")
    return table


def _print_report(report: scrape_job.ScrapeReport, ref: date, store: Store) -> None:
    """The scrape report: a table (see :func:`_show`) or one line per source with its errors."""
    title = f"Skrāpēšana / Scrape {ref:%d.%m.%Y.}"
    numbers = ("Lapas\nPages", "\n304", "Atrasti\nFound", "Jauni\nNew", "Mainīti\nChanged", "Kļūdas\nErrors", "\ns")
    table = _table(title, ("Avots\nSource", "Statuss\nStatus", *numbers), right=numbers)
    ok = len(report.outcomes) - len(report.failed)
    plain = [f"{title} — {len(report.outcomes)} sources: {ok} ok, {len(report.failed)} failed"]
    width = max((len(k) for k in report.outcomes), default=0)
    for key, o in report.outcomes.items():
        status = "[green]ok[/]" if o.status == "ok" else "[red]kļūda / failed[/]"
        table.add_row(key, status, str(o.pages), str(o.not_modified), str(o.found), str(o.new),
                      str(o.changed), str(len(o.errors)), f"{o.seconds:.1f}")  # fmt: skip
        fields = {"status": o.status, "pages": o.pages, "not_modified": o.not_modified, "found": o.found,
                  "new": o.new, "changed": o.changed, "seconds": f"{o.seconds:.1f}"}  # fmt: skip
        plain += _plain_line(key, width, fields, o.errors)
    _show(table, plain, {k: o.errors for k, o in report.outcomes.items()})
    typer.echo(f"dublikāti apvienoti / duplicates merged: {report.duplicates}"
               f" (jau saglabāti / already stored: {report.stored_duplicates})")  # fmt: skip
    _print_new_matches(report, store)
    if report.index.startswith("failed"):
        typer.secho(f"meklēšanas indekss nav atjaunots / matcher index not refreshed: {report.index}",
                    fg="yellow", err=True)  # fmt: skip
    if report.failed:
        typer.secho(
            "neizdevās / failed: " + ", ".join(report.failed) + " — saglabātie konkursi nav mainīti / "
            "stored calls were kept",
            fg="red",
            err=True,
        )


def _print_new_matches(report: scrape_job.ScrapeReport, store: Store) -> None:
    """Which NGO each new call suits (fair fit or better): what a mentor passes on this week."""
    if not report.new_matches:
        if any(o.new for o in report.outcomes.values()):
            typer.echo("jauni piemēroti konkursi / new matching calls: nav / none")
        return
    names = {p.id: p.name for p in services.list_profiles(store)}
    n_calls = len({cid for ids in report.new_matches.values() for cid in ids})
    typer.echo(f"jauni piemēroti konkursi / new matching calls: {n_calls} "
               f"({len(report.new_matches)} NVO / NGOs)")  # fmt: skip
    for pid, ids in report.new_matches.items():
        typer.echo(f"  {clean_text(names.get(pid, pid), 120)}:")
        for cid in ids:
            call = services.get_call(store, cid)
            if call is None:
                continue
            deadline = f" — termiņš / deadline {i18n.fmt_date(call.deadline, 'lv')}" if call.deadline else ""
            typer.echo(f"    {clean_text(call.title, 120)}{deadline}")


def _print_health(rows: list[scrape_job.SourceHealth]) -> None:
    """Source health: a table (see :func:`_show`) or one line per source with a failing one's errors."""
    title = "Avotu stāvoklis / Source health"
    table = _table(title, ("Avots\nSource", "Stāvoklis\nState", "Veiksmīgi\nLast ok", "Skaits\nCount",
                           "Parasti\nUsual", "Glabāti\nStored", "Kļūda kopš\nFailing since"))  # fmt: skip
    colours = {"failing": "red", "never": "yellow", "low": "yellow", "stale": "yellow", "ok": "green"}
    plain = [title]
    width = max((len(h.source) for h in rows), default=0)
    for h in rows:
        count = "—" if h.last_count is None else str(h.last_count)
        usual = "—" if h.usual_count is None else f"{h.usual_count:g}"
        last_ok, since = _fmt_time(h.last_success), _fmt_time(h.failing_since)
        table.add_row(h.source, f"[{colours[h.state]}]{h.state}[/]", last_ok, count, usual, str(h.calls_stored), since)
        fields = {"state": h.state, "last_ok": last_ok, "count": count, "usual": usual,
                  "stored": h.calls_stored, "failing_since": since}  # fmt: skip
        plain += _plain_line(h.source, width, fields, h.errors if h.state == "failing" else ())
    _show(table, plain, {h.source: h.errors for h in rows if h.state == "failing"})


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""

    @app.command("scrape")
    def scrape(
        source: list[str] = typer.Option(
            None, "--source", "-s", metavar="<key>", help="Source key (repeat for several); default all."
        ),
        delay: float = typer.Option(
            1.0, "--delay", metavar="<seconds>", help="Seconds between two requests to the same host."
        ),
        workers: int = typer.Option(
            4, "--workers", "-w", metavar="<n>", min=1,
            help="Sources scraped at once (requests to one host stay one at a time)."
        ),
        no_cache: bool = typer.Option(False, "--no-cache", help="Do not use the HTTP cache (no conditional requests)."),
        today: str = today_option("Reference date YYYY-MM-DD (default: the real date)."),
        as_json: bool = typer.Option(False, "--json", help="Print the report as JSON instead of a table."),
    ) -> None:
        """Scrape the funding sources and store new and changed calls.

        Exit code 1 when any source failed; calls stored before are never removed.
        """
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        from scrapers import registry

        ref = parse_today(today)
        keys = list(source) if source else list(registry.all_scrapers())
        for key in keys:
            _known_source(key)
        try:
            store = services.open_store()
        except StoreError as exc:
            raise fail(str(exc)) from None
        console = Console(stderr=True)
        client = scrape_job.default_client(delay=delay, cache=not no_cache)
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as bar:
            task = bar.add_task("Skrāpē / Scraping", total=len(keys))

            def progress(key, event, outcome):
                if event == "start":
                    bar.update(task, description=f"Skrāpē / Scraping: {key}")
                else:
                    bar.advance(task)

            report = scrape_job.run_scrape(
                store, keys, client=client, today=ref, progress=progress, workers=workers
            )
        client.close()
        if as_json:
            sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=str) + "\n")
        else:
            _print_report(report, ref, store)
        if report.failed:
            raise typer.Exit(1)

    @app.command("sources")
    def sources(
        today: str = today_option("Reference date YYYY-MM-DD (default: the real date)."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON lines instead of a table."),
    ) -> None:
        """Source health: last success, counts, failing since, flags."""
        day = parse_today(today)
        try:
            store = services.open_store()
        except StoreError as exc:
            raise fail(str(exc)) from None
        rows = scrape_job.source_health(store, day)
        if as_json:
            for row in rows:
                sys.stdout.write(json.dumps(row.to_dict(), ensure_ascii=False, default=str) + "\n")
            return
        _print_health(rows)

    @app.command("parse")
    def parse(
        source: str = typer.Argument(..., help="Source key, e.g. liepaja, eu-ft."),
        file: Path = typer.Argument(..., help="A saved page (HTML, XML or JSON)."),
        url: str = typer.Option(
            None, "--url", metavar="<url>",
            help="The page's real URL (default: the source's start URL read by --callback)."
        ),
        callback: str = typer.Option(
            "parse", "--callback", metavar="<method>",
            help="Parser method: parse for a start page, parse_<kind> for a linked page."
        ),
        today: str = today_option("Reference date YYYY-MM-DD given to the parser."),
    ) -> None:
        """Print what a saved page yields, as JSONL (follow-up requests on stderr).

        A page the scraper reaches through a link (an article, a call's own page) needs its parser
        and its URL: --callback parse_article --url https://...
        """
        day = parse_today(today) if today else None
        _known_source(source)
        callbacks = scrape_job.parser_callbacks(source)
        if callback not in callbacks:
            raise fail(f"--callback: expected one of {source}'s parsers ({', '.join(callbacks)}), found {callback!r}")
        url = url or scrape_job.start_url(source, callback)
        if not url:
            raise fail(f"--url: {source}.{callback} reads pages linked from the start pages, not a start page; "
                       "give the saved page's URL (ids and links are made from it)")  # fmt: skip
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise fail(f"cannot read {file}: {exc}") from None
        try:
            calls, requests = scrape_job.parse_saved_page(source, text, url=url, callback=callback, today=day)
        except ScrapeError as exc:
            others = [c for c in callbacks if c != callback]
            if others:  # the usual cause: a linked page given to the start page's parser, or the reverse
                exc = f"{exc}\nIs it another kind of page? {source}'s parsers: {', '.join(callbacks)}; " \
                      f"try --callback {others[0]} --url <the page's URL>"  # fmt: skip
            raise fail(str(exc), 1) from None
        for call in calls:
            sys.stdout.write(json.dumps(call.to_dict(), ensure_ascii=False) + "\n")
        for req in requests:
            typer.echo(f"request: {req.method} {req.url} -> {req.callback}", err=True)
        # a start page usually yields links, not calls: say so, or an empty stdout reads as a failure
        summary = f"{file}: {len(calls)} call(s), {len(requests)} follow-up request(s)"
        if not calls and requests:
            summary += f" (parse a saved linked page with --callback {requests[0].callback} --url <its URL>)"
        typer.echo(summary, err=True)

    @app.command("save-fixture")
    def save_fixture(
        source: str = typer.Argument(..., help="Source key."),
        url: str = typer.Option(
            None, "--url", metavar="<url>",
            help="The page to fetch once (default: the source's first start URL)."
        ),
        out: Path = typer.Option(
            None, "--out", help="Where to write it (default: the page's fixture file under tests/fixtures/<key>/)."
        ),
    ) -> None:
        """Fetch one page once and save it as a test fixture (for maintainers)."""
        _known_source(source)
        try:
            url, out = scrape_job.fixture_target(source, url, out)
            size = scrape_job.save_fixture(source, url, out)
        except ScrapeError as exc:
            raise fail(str(exc), 1) from None
        typer.echo(f"saved {size} bytes to {out}")
