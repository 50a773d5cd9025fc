"""Shared fixtures: every test gets its own state folder and database, never the user's var/; the
session gets its own cache folder (the lemma dictionaries' decoded copies), never the user's."""

from __future__ import annotations

import os

import pytest

from tests import postgres


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(autouse=True)
def _isolated_state(tmp_path_factory, monkeypatch):
    var = tmp_path_factory.mktemp("var")
    monkeypatch.setenv("GRANTMATCH_VAR_DIR", str(var))
    monkeypatch.setenv("GRANTMATCH_DATABASE_URL", f"sqlite:///{var / 'test.db'}")
    yield var


@pytest.fixture(scope="session")
def pg_server():
    """A real PostgreSQL cluster for the session. Skipped where the server is not installed, except
    in CI (``CI`` set), where a missing PostgreSQL is a failure."""
    if not postgres.available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL server binaries are missing (scripts/install-postgres.sh)")
        pytest.skip("PostgreSQL server binaries are not installed (scripts/install-postgres.sh)")
    with postgres.cluster() as url:
        yield url
