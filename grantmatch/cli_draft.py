"""`grantmatch` commands: draft (a proposal outline for one NGO and one call, as DOCX or Markdown)."""

from __future__ import annotations

from pathlib import Path

import typer

from grantmatch import services
from grantmatch.cli_common import fail, today_option
from grantmatch.drafting import service as drafting
from grantmatch.drafting.budget import BudgetError
from grantmatch.drafting.export import export
from grantmatch.drafting.outline import DraftError
from grantmatch.drafting.templates import TemplateError
from grantmatch.store import StoreError


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""

    @app.command("draft")
    def draft(
        out: Path = typer.Option(..., "--out", help="Output file: .docx or .md"),
        profile: str = typer.Option(None, "--profile", metavar="<id>", help="NGO profile id (in the database)."),
        call: str = typer.Option(None, "--call", metavar="<id>", help="Grant call id (in the database)."),
        template: str = typer.Option(
            None, "--template", metavar="<name>", help="Template name; default: chosen from the call."
        ),
        lang: str = typer.Option(None, "--lang", metavar="<lv|en>", help="lv or en; default: the call's language."),
        today: str = today_option("YYYY-MM-DD for the deadline check; default: today."),
        draft_id: int = typer.Option(
            None, "--draft", metavar="<id>", help="Export a saved draft instead of building one."
        ),
        version: int = typer.Option(
            None, "--version", metavar="<n>", help="With --draft: which version (default: newest)."
        ),
        save: bool = typer.Option(False, "--save", help="Also save the new draft in the database."),
        guidance: bool = typer.Option(True, "--guidance/--no-guidance", help="Include the template's guidance."),
    ) -> None:
        """Write a first proposal draft for one NGO and one call (DOCX or Markdown)."""
        if out.suffix.lower() not in (".docx", ".md", ".markdown"):
            raise fail(f"--out: expected a .docx or .md file name, found {out.name!r}")
        if lang is not None and lang not in ("lv", "en"):
            raise fail(f"--lang: expected lv or en, found {lang!r}")
        if draft_id is not None and (lang or template):
            raise fail("--lang and --template apply to new drafts; a saved draft (--draft) keeps its own")
        if draft_id is None and (not profile or not call):
            raise fail("give --profile and --call (or --draft ID to export a saved draft)")
        try:
            store = services.open_store()
            if draft_id is not None:
                try:
                    content = drafting.load_draft(store, draft_id, version)["content"]
                except KeyError as exc:
                    raise DraftError(f"draft: {exc.args[0]}") from None
            elif save:
                content = drafting.create_draft(
                    store, profile, call, template=template, lang=lang, today=services.parse_today(today)
                )["content"]
            else:
                content = drafting.make_draft(
                    store, profile, call, template=template, lang=lang, today=services.parse_today(today)
                )
            export(content, out, guidance=guidance)
        except (DraftError, TemplateError, BudgetError, services.InputFileError, StoreError) as exc:
            raise fail(str(exc)) from None
        except OSError as exc:
            raise fail(f"cannot write {out}: {exc.strerror}") from None
        typer.echo(f"{out}: {content['template']} template, {content['lang']}, {len(content['sections'])} sections")
