"""Fixtures for scraper tests: a local HTTP server on 127.0.0.1 serving fixture sites."""

from __future__ import annotations

import pytest

from tests.scrapers.sitesrv import SiteServer


@pytest.fixture
def site():
    with SiteServer() as server:
        yield server
