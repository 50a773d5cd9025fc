"""`grantmatch` commands: scrape, sources, parse, save-fixture."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import typer

from grantmatch import scrape_job, services
from grantmatch.store import StoreError
from scrapers.errors import ScrapeError


def _today(value: str | None) -> date:
    try:
        return services.parse_today(value)
    except Exception as exc:
        typer.secho(f"kļūda / error: --today {value!r}: {exc}", err=True, fg="red")
        raise typer.Exit(2) from None


def _fmt_time(value) -> str:
    return value.strftime("%d.%m.%Y. %H:%M") if value else "—"


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""

    @app.command("scrape")
    def scrape(
        source: list[str] = typer.Option(None, "--source", "-s", help="Source key (repeat for several); default all."),
        delay: float = typer.Option(1.0, "--delay", help="Seconds between two requests to the same host."),
        workers: int = typer.Option(
            4, "--workers", "-w", min=1, help="Sources scraped at once (requests to one host stay one at a time)."
        ),
        no_cache: bool = typer.Option(False, "--no-cache", help="Do not use the HTTP cache (no conditional requests)."),
        today: str = typer.Option(None, "--today", help="Reference date YYYY-MM-DD (default: the real date)."),
        as_json: bool = typer.Option(False, "--json", help="Print the report as JSON instead of a table."),
    ) -> None:
        """Skrāpēt avotus / Scrape the funding sources and store new and changed calls.

        Exit code 1 when any source failed; calls stored before are never removed.
        """
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
        from rich.table import Table

        from scrapers import registry

        ref = _today(today)
        try:
            keys = list(source) if source else list(registry.all_scrapers())
            for key in keys:
                registry.get(key)
        except ScrapeError as exc:
            typer.secho(f"kļūda / error: {exc}", err=True, fg="red")
            raise typer.Exit(2) from None
        try:
            store = services.open_store()
        except StoreError as exc:
            typer.secho(f"kļūda / error: {exc}", err=True, fg="red")
            raise typer.Exit(2) from None
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
            table = Table(title=f"Skrāpēšana / Scrape {ref:%d.%m.%Y.}")
            table.add_column("Avots / Source", no_wrap=True)
            for col in ("Statuss / Status", "Lapas / Pages", "304", "Atrasti / Found",
                        "Jauni / New", "Mainīti / Changed", "Kļūdas / Errors", "s"):  # fmt: skip
                table.add_column(col, justify="left" if col.startswith(("Avots", "Statuss", "Kļūdas")) else "right")
            for key, o in report.outcomes.items():
                status = "[green]ok[/]" if o.status == "ok" else "[red]kļūda / failed[/]"
                errors = "" if not o.errors else f"{len(o.errors)}: {o.errors[0][:90]}"
                table.add_row(key, status, str(o.pages), str(o.not_modified), str(o.found), str(o.new),
                              str(o.changed), errors, f"{o.seconds:.1f}")  # fmt: skip
            Console().print(table)
            typer.echo(f"dublikāti apvienoti / duplicates merged: {report.duplicates}"
                       f" (jau saglabāti / already stored: {report.stored_duplicates})")
            if report.index.startswith("failed"):
                typer.secho(f"meklēšanas indekss nav atjaunots / matcher index not refreshed: {report.index}",
                            fg="yellow", err=True)
            if report.failed:
                typer.secho(
                    "neizdevās / failed: " + ", ".join(report.failed) + " — saglabātie konkursi nav mainīti / "
                    "stored calls were kept",
                    fg="red",
                    err=True,
                )
        if report.failed:
            raise typer.Exit(1)

    @app.command("sources")
    def sources(
        today: str = typer.Option(None, "--today", help="Reference date YYYY-MM-DD (default: the real date)."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON lines instead of a table."),
    ) -> None:
        """Avotu stāvoklis / Source health: last success, counts, failing since, flags."""
        from rich.console import Console
        from rich.markup import escape as rich_escape
        from rich.table import Table

        try:
            store = services.open_store()
        except StoreError as exc:
            typer.secho(f"kļūda / error: {exc}", err=True, fg="red")
            raise typer.Exit(2) from None
        rows = scrape_job.source_health(store, _today(today))
        if as_json:
            for row in rows:
                sys.stdout.write(json.dumps(row.to_dict(), ensure_ascii=False, default=str) + "\n")
            return
        table = Table(title="Avotu stāvoklis / Source health")
        table.add_column("Avots / Source", no_wrap=True)
        for col in ("Stāvoklis / State", "Veiksmīgi / Last ok", "Skaits / Count", "Parasti / Usual",
                    "Glabāti / Stored", "Kļūda kopš / Failing since", "Kļūda / Error"):  # fmt: skip
            table.add_column(col)
        colours = {"failing": "red", "never": "yellow", "low": "yellow", "stale": "yellow", "ok": "green"}
        for h in rows:
            table.add_row(
                h.source,
                f"[{colours[h.state]}]{h.state}[/]",
                _fmt_time(h.last_success),
                "—" if h.last_count is None else str(h.last_count),
                "—" if h.usual_count is None else f"{h.usual_count:g}",
                str(h.calls_stored),
                _fmt_time(h.failing_since),
                rich_escape(h.errors[0][:120]) if h.state == "failing" and h.errors else "",
            )
        Console().print(table)

    @app.command("parse")
    def parse(
        source: str = typer.Argument(..., help="Source key, e.g. liepaja, eu-ft."),
        file: Path = typer.Argument(..., help="A saved page (HTML, XML or JSON)."),
        url: str = typer.Option(None, "--url", help="The page's real URL (default: the source's first start URL)."),
        callback: str = typer.Option("parse", "--callback", help="Parser method, e.g. parse_detail."),
        today: str = typer.Option(None, "--today", help="Reference date YYYY-MM-DD given to the parser."),
    ) -> None:
        """Parsēt saglabātu lapu / Print what a saved page yields, as JSONL (follow-up requests on stderr)."""
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            typer.secho(f"kļūda / error: cannot read {file}: {exc}", err=True, fg="red")
            raise typer.Exit(2) from None
        try:
            calls, requests = scrape_job.parse_saved_page(
                source, text, url=url, callback=callback, today=_today(today) if today else None
            )
        except ScrapeError as exc:
            typer.secho(f"kļūda / error: {exc}", err=True, fg="red")
            raise typer.Exit(1) from None
        for call in calls:
            sys.stdout.write(json.dumps(call.to_dict(), ensure_ascii=False) + "\n")
        for req in requests:
            typer.echo(f"request: {req.method} {req.url} -> {req.callback}", err=True)

    @app.command("save-fixture")
    def save_fixture(
        source: str = typer.Argument(..., help="Source key."),
        url: str = typer.Option(None, "--url", help="The page to fetch once (default: the source's first start URL)."),
        out: Path = typer.Option(
            None, "--out", help="Where to write it (default: the page's fixture file under tests/fixtures/<key>/)."
        ),
    ) -> None:
        """Saglabāt lapu testiem / Fetch one page once and save it as a test fixture (for maintainers)."""
        try:
            url, out = scrape_job.fixture_target(source, url, out)
            size = scrape_job.save_fixture(source, url, out)
        except ScrapeError as exc:
            typer.secho(f"kļūda / error: {exc}", err=True, fg="red")
            raise typer.Exit(1) from None
        typer.echo(f"saved {size} bytes to {out}")
