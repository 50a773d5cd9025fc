"""`grantmatch` commands: the database and its data (init-db, seed, import, export)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from grantmatch import services
from grantmatch.cli_common import fail
from grantmatch.store import StoreError, UpsertStats


def _open() -> services.Store:
    try:
        return services.open_store()
    except StoreError as exc:
        raise fail(str(exc)) from None


def _summary(kind: str, stats: UpsertStats) -> str:
    text = f"{kind}: {len(stats.new)} new, {len(stats.changed)} changed, {stats.unchanged} unchanged"
    if stats.kept:
        text += f", {len(stats.kept)} kept as edited ({', '.join(stats.kept)}; --reset-profiles replaces them)"
    return text


def _write(lines, out: Path | None) -> None:
    if out is None:
        for line in lines:
            sys.stdout.write(line + "\n")
        return
    tmp = out.with_name(out.name + ".part")
    with tmp.open("w", encoding="utf-8") as fh:
        for line in lines:
            fh.write(line + "\n")
    tmp.replace(out)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""

    @app.command("init-db")
    def init_db() -> None:
        """Create the database or upgrade its schema (GRANTMATCH_DATABASE_URL, default var/grantmatch.db)."""
        store = _open()
        typer.echo(f"database ready at {store.safe_url} (schema {store.revision()})")

    @app.command("seed")
    def seed(
        if_empty: bool = typer.Option(False, "--if-empty", help="Only when the database has no calls and profiles."),
        reset_profiles: bool = typer.Option(
            False, "--reset-profiles", help="Replace stored profiles with the bundled ones (undoes edits in the app)."
        ),
    ) -> None:
        """Load the bundled incubator profiles and sample calls (safe to run again: profiles edited in the
        app are kept)."""
        store = _open()
        if if_empty and (store.count_calls() or store.list_profiles()):
            typer.echo("database already has data; not seeding")
            return
        try:
            profiles, calls = services.seed(store, reset_profiles=reset_profiles)
        except services.InputFileError as exc:
            raise fail(str(exc)) from None
        typer.echo(_summary("profiles", profiles))
        typer.echo(_summary("calls", calls))

    @app.command("index")
    def index() -> None:
        """Fit the matcher on the stored calls and save it beside the database (the app then starts
        without refitting); a no-op when the saved index is current."""
        import time

        store = _open()
        started = time.perf_counter()
        services.build_matcher(store)
        path = services.index_path(store)
        seconds = time.perf_counter() - started
        typer.echo(f"matcher index ready for {store.count_calls()} calls at {path} ({seconds:.1f} s)")

    @app.command("import-calls")
    def import_calls(file: Path = typer.Argument(..., help="Grant calls, one JSON object per line.")) -> None:
        """Add or update grant calls from a JSONL file; a bad line changes nothing."""
        store = _open()
        try:
            stats = services.import_calls(store, file)
        except services.InputFileError as exc:
            raise fail(f"{exc}\nnothing was imported.") from None
        typer.echo(_summary("calls", stats))

    @app.command("import-profiles")
    def import_profiles(
        file: Path = typer.Argument(..., help="NGO profiles: JSONL, or one JSON object in a .json file."),
    ) -> None:
        """Add or update NGO profiles; a bad record changes nothing."""
        store = _open()
        try:
            stats = services.import_profiles(store, file)
        except services.InputFileError as exc:
            raise fail(f"{exc}\nnothing was imported.") from None
        typer.echo(_summary("profiles", stats))

    @app.command("export-calls")
    def export_calls(out: Path = typer.Option(None, "--out", help="Write to this file instead of stdout.")) -> None:
        """Print every stored call as contract-shaped JSONL."""
        store = _open()
        _write(services.dump_jsonl(c.to_dict() for c in store.list_calls()), out)

    @app.command("export-profiles")
    def export_profiles(out: Path = typer.Option(None, "--out", help="Write to this file instead of stdout.")) -> None:
        """Print every stored profile as contract-shaped JSONL."""
        store = _open()
        _write(services.dump_jsonl(p.to_dict() for p in store.list_profiles()), out)
