"""Shared fixtures for the app tests: a seeded temporary database per test, env vars set.

``app_env`` gives each test its own SQLite file (a copy of one seeded once per session), its own
``GRANTMATCH_VAR_DIR`` and a fixed ``GRANTMATCH_TODAY``; ``make_app`` starts the app at the
entrypoint (``app.py``) with AppTest, optionally on another page and with session keys preset.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from grantmatch import services
from grantmatch.models import GrantCall, NgoProfile
from grantmatch.store import Store

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
TODAY = "2027-01-15"
"""The fixed "today" of the app tests (the bundled sample calls are open on it)."""
TIMEOUT = 60


@dataclass
class AppEnv:
    url: str
    var: Path
    today: str

    def store(self) -> Store:
        return services.open_store(self.url)


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory) -> Path:
    """One database seeded with the bundled profiles and calls, copied by each test."""
    folder = tmp_path_factory.mktemp("seeded")
    path = folder / "seed.db"
    store = services.open_store(f"sqlite:///{path}")
    services.seed(store)
    store.engine.dispose()
    return path


def _env(tmp_path: Path, monkeypatch, db: Path | None, today: str) -> AppEnv:
    var = tmp_path / "var"
    var.mkdir(exist_ok=True)
    path = var / "app.db"
    if db is not None:
        shutil.copyfile(db, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("GRANTMATCH_DATABASE_URL", url)
    monkeypatch.setenv("GRANTMATCH_VAR_DIR", str(var))
    monkeypatch.setenv("GRANTMATCH_TODAY", today)
    return AppEnv(url=url, var=var, today=today)


@pytest.fixture
def app_env(tmp_path, monkeypatch, seeded_db) -> AppEnv:
    """A seeded database of this test's own, with the app's env vars pointing at it."""
    return _env(tmp_path, monkeypatch, seeded_db, TODAY)


@pytest.fixture
def custom_env(tmp_path, monkeypatch):
    """``custom_env(profiles=[...], calls=[...])`` → a database holding exactly these records.

    The app seeds a database only when it has neither calls nor profiles, so a database with
    profiles and no calls stays without calls (the "empty database" state), and one with calls but
    no profiles stays without profiles.
    """

    def _make(profiles=(), calls=()) -> AppEnv:
        env = _env(tmp_path, monkeypatch, None, TODAY)
        store = services.open_store(env.url)
        if profiles:
            store.upsert_profiles([p if isinstance(p, NgoProfile) else NgoProfile.from_dict(p) for p in profiles])
        if calls:
            store.upsert_calls([c if isinstance(c, GrantCall) else GrantCall.from_dict(c) for c in calls])
        store.engine.dispose()
        return env

    return _make


def _run_app(
    page: str | None = None, *, session: dict | None = None, query: dict | None = None, timeout: int = TIMEOUT
) -> AppTest:
    """Start the app at ``app.py`` (optionally then switch to ``app_pages/<page>.py``); ``query`` is
    the link's query string (``{"org": "fotast", "lang": "en"}``), as a reload or a bookmark opens it."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.query_params.update(query or {})
    for key, value in (session or {}).items():
        at.session_state[key] = value
    at.run()
    if page is not None:
        at.switch_page(f"app_pages/{page}.py")
        at.run()
    return at


@pytest.fixture
def run_app():
    """``run_app(page=None, session={...}, query={...})`` → a run AppTest on whatever database the env names
    (use it with ``app_env`` or ``custom_env``)."""
    return _run_app


@pytest.fixture
def make_app(app_env):
    """``make_app(page=None, **session)`` → a run AppTest on the seeded database."""

    def _make(page: str | None = None, **session) -> AppTest:
        return _run_app(page, session=session)

    return _make
