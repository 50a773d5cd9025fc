"""What the ``grantmatch`` commands share: how an error ends a command, and the ``--today`` value."""

from __future__ import annotations

from datetime import date

import typer

from grantmatch import services


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``error: <message>`` on stderr and return the exit to raise (2: bad input; 1: the work failed)."""
    typer.secho(f"error: {message}", err=True, fg="red")
    return typer.Exit(code)


def today_option(help_text: str = "YYYY-MM-DD (default: today).") -> typer.models.OptionInfo:
    """The ``--today`` option of every command that works against a date (read it with
    :func:`parse_today`)."""
    return typer.Option(None, "--today", metavar="<date>", help=help_text)


def parse_today(value: str | None) -> date:
    """A ``--today`` option: YYYY-MM-DD, or the real date when not given; anything else ends the command."""
    try:
        return services.parse_today(value)
    except services.InputFileError as exc:
        raise fail(str(exc)) from None
