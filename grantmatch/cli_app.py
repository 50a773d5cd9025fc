"""`grantmatch serve`: the Streamlit app, with the heavy libraries loaded before the first visitor."""

from __future__ import annotations

import sys
from datetime import date

import typer

from grantmatch.paths import ROOT


def _warm_up() -> None:
    """Import what the first page needs (scikit-learn, the matcher, pandas, Altair), open the database
    and rank once, so the first visitor does not wait for it: Streamlit runs the app in this process."""
    if str(ROOT) not in sys.path:  # app.py's own folder, as Streamlit will put it for the app
        sys.path.insert(0, str(ROOT))
    import altair  # noqa: F401
    import pandas  # noqa: F401

    import app_pages.common  # noqa: F401
    import matcher  # noqa: F401
    from grantmatch import reports, services  # noqa: F401

    store = services.open_store()
    services.ensure_seeded(store)
    profiles = store.list_profiles()
    if profiles:  # loads the saved index and the lemmatiser's dictionaries once
        services.rank_profile(store, services.build_matcher(store), profiles[0], today=date.today(), top=10)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""

    @app.command("serve")
    def serve(
        port: int = typer.Option(8501, help="Port to listen on."),
        address: str = typer.Option("127.0.0.1", help="Address to listen on (0.0.0.0 for every interface)."),
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
