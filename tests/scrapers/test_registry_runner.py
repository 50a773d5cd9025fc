"""Registry discovery, the runner, and the generated source table."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from scrapers import registry
from scrapers.base import BaseScraper, ScrapeResult
from scrapers.errors import ScrapeError
from scrapers.http import HttpClient
from scrapers.runner import run_sources

ROOT = Path(__file__).parents[2]


def test_every_source_module_is_registered_under_its_key():
    scrapers = registry.all_scrapers()
    assert "eu-ft" in scrapers
    for key, cls in scrapers.items():
        assert issubclass(cls, BaseScraper) and cls.name == key
        assert cls.__module__ == "scrapers.sources." + key.replace("-", "_")
        for attr in ("source_name", "funder", "start_urls"):
            assert getattr(cls, attr, None), f"{key}: {attr} is not set"


def test_fixture_pages_exist_for_the_bench():
    for key, cls in registry.all_scrapers().items():
        for url, name in cls.fixture_pages.items():
            assert url.startswith("http"), key
            assert (ROOT / "tests" / "fixtures" / key / name).is_file(), f"{key}: missing fixture {name}"


def test_unknown_key_lists_known_keys():
    with pytest.raises(ScrapeError, match=r"registry: expected a known source key, found 'nope'; known: .*eu-ft"):
        registry.get("nope")


def test_markdown_table_lists_every_source():
    text = registry.markdown()
    for key, cls in registry.all_scrapers().items():
        assert f"| `{key}` | {cls.source_name} |" in text


def test_cli_markdown_matches():
    out = subprocess.run(
        [sys.executable, "-m", "scrapers.registry", "--markdown"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert out == registry.markdown()


def test_run_sources_isolates_failures(site, tmp_path):
    # eu-ft served from its fixture; a key that does not exist; progress is reported for both
    from scrapers.sources.eu_ft import EuFtScraper

    url, name = next(iter(EuFtScraper.fixture_pages.items()))
    site.add(url, (ROOT / "tests/fixtures/eu-ft" / name).read_bytes(), content_type="application/json")
    events = []
    client = HttpClient(cache_path=None, delay=0, rewrite=site.rewrite)
    out = run_sources(["nope", "eu-ft"], client, progress=lambda k, e, o: events.append((k, e)))
    assert isinstance(out["nope"], ScrapeError)
    assert isinstance(out["eu-ft"], ScrapeResult) and len(out["eu-ft"].calls) == 2
    assert events == [("nope", "start"), ("nope", "failed"), ("eu-ft", "start"), ("eu-ft", "done")]


def test_docs_sources_md_is_up_to_date():
    """docs/sources.md is generated from the scraper classes; regenerate it when this fails:
    ``python -m scrapers.registry --markdown > docs/sources.md``."""
    path = Path(__file__).parents[2] / "docs" / "sources.md"
    assert path.read_text(encoding="utf-8") == registry.markdown(), (
        "docs/sources.md is stale: run `python -m scrapers.registry --markdown > docs/sources.md`"
    )
