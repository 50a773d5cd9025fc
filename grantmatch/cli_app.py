"""`grantmatch serve`: the Streamlit app, with the heavy libraries loaded before the first visitor."""

from __future__ import annotations

import sys

import typer

from grantmatch.paths import ROOT


def _warm_up() -> None:
    """Import what the first page needs and fill the app's caches (database, matcher index, the first
    NGO's ranking), so the first visitor does not wait for it: Streamlit runs the app in this process."""
    if str(ROOT) not in sys.path:  # app.py's own folder, as Streamlit will put it for the app
        sys.path.insert(0, str(ROOT))
    import logging

    import altair  # noqa: F401
    import pandas  # noqa: F401
    import streamlit  # noqa: F401  (makes its loggers, with its own levels, before the levels below are set)

    # This runs before Streamlit's runtime exists, and Streamlit warns about it twice; both are
    # expected here, so they are quieted before the import that triggers the first: importing the
    # pages' module applies its @st.cache_data decorators, which check their settings against the
    # runtime's cache storage and, without a runtime, log "No runtime found, using
    # MemoryCacheStorageManager" (harmless: a function's cache is made at its first call, which the
    # warm-up does not make for them). The second: cached functions called outside a page run warn
    # that there is no script context.
    logging.getLogger("streamlit.runtime.caching.cache_data_api").setLevel(logging.ERROR)
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)

    from app_pages import common

    # Fill the app's own caches (the same cached functions the pages call): the database, the saved
    # matcher index, and the ranking of the NGO the sidebar opens with.
    common.get_calls()
    profiles = common.profiles()
    if profiles:
        common.get_ranking(profiles[0])


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""

    @app.command("serve")
    def serve(
        port: int = typer.Option(8501, metavar="<port>", help="Port to listen on."),
        address: str = typer.Option(
            "127.0.0.1", metavar="<address>", help="Address to listen on (0.0.0.0 for every interface)."
        ),
    ) -> None:
        """Start the web app (creates and seeds the database on first use)."""
        _warm_up()
        from streamlit.web import cli as streamlit_cli

        sys.argv = [
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.port",
            str(port),
            "--server.address",
            address,
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            # A served app must not reload modules when files change under it (a `git pull` while it
            # runs): reloaded classes break isinstance checks in the cached objects.
            "--server.fileWatcherType",
            "none",
        ]
        streamlit_cli.main()
