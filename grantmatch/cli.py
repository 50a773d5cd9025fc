"""The ``grantmatch`` command line (typer). Each area registers its commands from its own module."""

from __future__ import annotations

import logging

import typer
from typer.core import TyperGroup

from grantmatch import cli_app, cli_data, cli_draft, cli_match, cli_scrape
from grantmatch.cli_common import fail
from grantmatch.cli_log import configure_logging


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"grantmatch {version('grantmatch')}")
        raise typer.Exit()


# The usage error of the click that typer runs on (typer 0.29 carries its own copy, ``typer._click``, so the
# installed ``click`` package's class would never match; older typers use ``click`` itself): found by name
# among the bases of typer's public BadParameter, whichever click it is.
_UsageError = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")


class _Group(TyperGroup):
    """Reports a command's bad or missing option the way the commands report bad input (``error: ...``
    on stderr, exit 2), instead of click's usage block with ``Error: ...`` at its end."""

    def invoke(self, ctx: typer.Context):
        args = list(ctx.args)  # the command's own arguments, before the command consumes them
        try:
            return super().invoke(ctx)
        except _UsageError as exc:
            message = exc.format_message()
            found = _given(exc, args)
            if found is not None and "found" not in message:
                message += f"; found {found!r}"
            hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
            raise fail(message + hint) from None


def _given(exc: Exception, args: list[str]) -> str | None:
    """What the command line gave the option a usage error is about (click's range messages, "Input
    should be greater than or equal to 1", do not say), or None."""
    opts = getattr(getattr(exc, "param", None), "opts", None) or ()
    for i, arg in enumerate(args):
        for opt in opts:
            if arg == opt and i + 1 < len(args):
                return args[i + 1]
            if opt.startswith("--") and arg.startswith(opt + "="):
                return arg[len(opt) + 1:]
    return None


def new_app(name: str, help_text: str) -> typer.Typer:
    """A Typer app with the house settings (help when run bare, plain tracebacks, no completion) and
    the options every command shares: where log records go and how much of them."""
    # rich_markup_mode=None: click's plain help (a flag shows no "<bool>" placeholder, reads the same in a pipe)
    app = typer.Typer(
        name=name,
        help=help_text,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        cls=_Group,
    )

    @app.callback()
    def common(
        verbose: bool = typer.Option(
            False, "--verbose", "-v", help="Also log progress (INFO records), not only warnings and errors."
        ),
        version: bool = typer.Option(
            False, "--version", is_eager=True, callback=_print_version, help="Print the version and exit."
        ),
    ) -> None:
        configure_logging(logging.INFO if verbose else logging.WARNING)

    return app


app = new_app("grantmatch", "Funding-opportunity matcher and proposal drafting assistant for NGOs.")

for module in (cli_data, cli_match, cli_scrape, cli_draft, cli_app):
    module.register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
