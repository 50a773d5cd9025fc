"""Shared fixtures: every test gets its own state folder and database, never the user's var/."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_state(tmp_path_factory, monkeypatch):
    var = tmp_path_factory.mktemp("var")
    monkeypatch.setenv("GRANTMATCH_VAR_DIR", str(var))
    monkeypatch.setenv("GRANTMATCH_DATABASE_URL", f"sqlite:///{var / 'test.db'}")
    yield var
