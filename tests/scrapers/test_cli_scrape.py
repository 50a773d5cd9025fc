"""The scrape commands: scrape, sources, parse, save-fixture (in-process, local server)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from grantmatch import scrape_job
from grantmatch.cli import app
from scrapers import registry
from scrapers.http import HttpClient
from scrapers.sources.eu_ft import EuFtScraper
from tests.scrapers.test_e2e_run import ENC, LOOP, build_sites

FIXTURES = Path(__file__).parents[1] / "fixtures"
runner = CliRunner()


@pytest.fixture
def served(site, monkeypatch, tmp_path):
    build_sites(site)
    monkeypatch.setattr(registry, "all_scrapers", lambda: {"eu-ft": EuFtScraper, "e2e-loop": LOOP})

    def local_client(*, delay=1.0, cache=True):
        return HttpClient(cache_path=tmp_path / "c.sqlite" if cache else None, delay=0, rewrite=site.rewrite, backoff=0)

    monkeypatch.setattr(scrape_job, "default_client", local_client)
    return site


def test_scrape_ok_then_health(served):
    result = runner.invoke(app, ["scrape", "--source", "eu-ft", "--today", "2026-05-01"])
    assert result.exit_code == 0, result.output
    assert "eu-ft" in result.output and "ok" in result.output
    health = runner.invoke(app, ["sources", "--json", "--today", "2026-05-01"])
    rows = {json.loads(line)["source"]: json.loads(line) for line in health.output.splitlines()}
    assert rows["eu-ft"]["last_count"] == 2 and rows["eu-ft"]["state"] == "ok"
    assert rows["eu-ft"]["calls_stored"] == 2
    assert rows["e2e-loop"]["state"] == "never"
    table = runner.invoke(app, ["sources", "--today", "2026-05-01"])
    assert table.exit_code == 0 and "eu-ft" in table.output and "never" in table.output


def test_scrape_exit_code_1_when_a_source_fails(served):
    result = runner.invoke(
        app, ["scrape", "--source", "eu-ft", "--source", "e2e-loop", "--json", "--today", "2026-05-01"]
    )
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["failed"] == ["e2e-loop"] and report["sources"]["eu-ft"]["found"] == 2
    # the log line on stderr says which source failed and why, not only "source failed"
    assert re.search(r"WARNING scrapers\.runner: source failed source=e2e-loop error=\S", result.stderr)


def test_scrape_unknown_source_is_a_usage_error(served):
    result = runner.invoke(app, ["scrape", "--source", "nope"])
    assert result.exit_code == 2 and "known: eu-ft, e2e-loop" in result.output


def test_parse_prints_jsonl():
    path = FIXTURES / "eu-ft" / "search_response_page_excerpt.json"
    result = runner.invoke(app, ["parse", "eu-ft", str(path), "--today", "2026-11-30"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in lines] == ["eu-ft-horizon-miss-2027-05-soil-01-two-stage"]
    assert lines[0]["deadline"] == "2027-04-08"


def test_parse_changed_layout_exit_1(tmp_path):
    path = tmp_path / "p.json"
    path.write_text('{"unexpected": true}', encoding="utf-8")
    result = runner.invoke(app, ["parse", "eu-ft", str(path)])
    assert result.exit_code == 1 and "expected an object with 'results'" in result.output


def test_save_fixture_uses_the_sources_own_request(served, tmp_path, monkeypatch):
    monkeypatch.setattr(scrape_job, "HttpClient", lambda **kw: HttpClient(**{**kw, "rewrite": served.rewrite}))
    url = next(iter(EuFtScraper.fixture_pages))
    out = tmp_path / "saved.json"
    result = runner.invoke(app, ["save-fixture", "eu-ft", "--url", url, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["totalResults"] == 9
    assert served.hits[-1].method == "POST"


@pytest.mark.parametrize("command", [["parse", "nope", "x.html"], ["save-fixture", "nope"]])
def test_an_unknown_source_key_is_a_usage_error(command):
    result = runner.invoke(app, command)
    assert result.exit_code == 2 and "expected a known source key, found 'nope'" in result.output


def test_fixture_target_defaults_to_the_start_page_and_its_fixture_file():
    url, out = scrape_job.fixture_target("sif", None, None)
    assert url == "https://www.sif.gov.lv/lv/rss/articles"
    assert out == Path("tests/fixtures/sif/rss_articles.xml")


def test_fixture_target_names_an_unknown_page_after_its_url(tmp_path):
    url, out = scrape_job.fixture_target("sif", "https://www.sif.gov.lv/lv/jaunums/jauns-konkurss", None, tmp_path)
    assert url.endswith("jauns-konkurss") and out == tmp_path / "sif" / "jauns-konkurss.html"
    _, given = scrape_job.fixture_target("sif", url, tmp_path / "x.html")
    assert given == tmp_path / "x.html"


def test_fixture_target_of_a_posted_search_is_json(tmp_path):
    cls = registry.get("eu-ft")
    url = next(iter(r.url for r in cls().start_requests()))
    assert url not in cls.fixture_pages or cls.fixture_pages[url].endswith(".json")
    _, out = scrape_job.fixture_target("eu-ft", None, None, tmp_path)
    assert out.suffix == ".json"


def test_scrapers_cli_module_has_the_scrape_commands():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "scrapers.cli", "--help"], capture_output=True, text=True, timeout=60,
        cwd=Path(__file__).parents[2],
    )
    assert result.returncode == 0, result.stderr
    for command in ("scrape", "sources", "parse", "save-fixture"):
        assert command in result.stdout


def _terminal(monkeypatch, columns: int | None) -> None:
    """Make rich see a terminal of ``columns`` columns (None: not a terminal, as under cron)."""
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("TTY_COMPATIBLE", "0" if columns is None else "1")
    monkeypatch.setenv("COLUMNS", str(columns or 80))


def _no_style(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


@pytest.mark.parametrize("columns", [None, 80])
def test_report_is_plain_lines_in_a_log_or_a_narrow_terminal(served, monkeypatch, columns):
    _terminal(monkeypatch, columns)
    result = runner.invoke(app, ["scrape", "--source", "eu-ft", "--source", "e2e-loop", "--today", "2026-05-01"])
    assert result.exit_code == 1
    out = result.stdout.splitlines()
    assert out[0] == "Skrāpēšana / Scrape 01.05.2026. — 2 sources: 1 ok, 1 failed"
    assert re.fullmatch(r"eu-ft +status=ok pages=1 not_modified=0 found=2 new=2 changed=0 seconds=\d+\.\d", out[1])
    assert out[2].startswith("e2e-loop  status=failed pages=")
    # the error in full on its own line (the same text `sources` shows below the failing source)
    assert out[3].startswith("    e2e-loop: ") and "…" not in result.stdout and "┃" not in result.stdout
    health = runner.invoke(app, ["sources", "--today", "2026-05-01"])
    lines = health.stdout.splitlines()
    assert lines[0] == "Avotu stāvoklis / Source health"
    failing = next(i for i, line in enumerate(lines) if line.startswith("e2e-loop "))
    assert "state=failing" in lines[failing] and lines[failing + 1] == out[3]
    assert any(re.match(r"eu-ft +state=ok last_ok=\"\d\d\.\d\d\.\d{4}\. \d\d:\d\d\" count=2 ", x) for x in lines)


def test_report_is_a_table_on_a_wide_terminal_with_errors_in_full_below(served, monkeypatch):
    _terminal(monkeypatch, 120)
    result = runner.invoke(app, ["scrape", "--source", "eu-ft", "--source", "e2e-loop", "--today", "2026-05-01"])
    assert result.exit_code == 1
    out = _no_style(result.stdout)
    assert "┃ Avots" in out and "…" not in out
    errors = out.split("Kļūdas / Errors:\n")[1].splitlines()
    assert errors[0].startswith("  e2e-loop: ") and len(errors[0]) > 60  # one line, not a word per line
    health = _no_style(runner.invoke(app, ["sources", "--today", "2026-05-01"]).stdout)
    assert "┃ Avots" in health and "Failing since" in health and "…" not in health


KKF_DETAIL = FIXTURES / "kkf" / "detail_2027-1-konkurss.html"
KKF_URL = "https://www.kkf.lv/lv/aktualitates/izsludinats-2027-gada-1-projektu-konkurss"


def test_parse_a_linked_page_with_the_start_pages_parser_names_the_other_parsers():
    result = runner.invoke(app, ["parse", "kkf", str(KKF_DETAIL)])
    assert result.exit_code == 1 and result.stdout == ""
    assert "kkf's parsers: parse, parse_article; try --callback parse_article --url <the page's URL>" in result.stderr


def test_parse_a_linked_page_needs_its_url():
    result = runner.invoke(app, ["parse", "kkf", str(KKF_DETAIL), "--callback", "parse_article"])
    assert result.exit_code == 2 and result.stdout == ""  # not a call with the listing's id kkf-aktualitates
    assert "--url: kkf.parse_article reads pages linked from the start pages" in result.stderr
    ok = runner.invoke(app, ["parse", "kkf", str(KKF_DETAIL), "--callback", "parse_article", "--url", KKF_URL])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)["id"] == "kkf-izsludinats-2027-gada-1-projektu-konkurss"


def test_parse_unknown_callback_lists_the_parsers():
    result = runner.invoke(app, ["parse", "kkf", str(KKF_DETAIL), "--callback", "parse_detail"])
    assert result.exit_code == 2
    assert "--callback: expected one of kkf's parsers (parse, parse_article), found 'parse_detail'" in result.stderr


def test_parse_a_start_page_says_what_it_found():
    """A listing yields links, not calls: stdout stays empty (JSONL of calls), and stderr says so and how
    to read a linked page, instead of only 'request:' lines."""
    listing = FIXTURES / "kkf" / "aktualitates.html"
    result = runner.invoke(app, ["parse", "kkf", str(listing)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    n = result.stderr.count("request: GET ")
    assert n >= 1
    assert f"{listing}: 0 call(s), {n} follow-up request(s) (parse a saved linked page with --callback " \
           "parse_article --url <its URL>)" in result.stderr
    one = runner.invoke(app, ["parse", "eu-ft", str(FIXTURES / "eu-ft" / "search_response_page_excerpt.json"),
                              "--today", "2026-11-30"])
    assert "search_response_page_excerpt.json: 1 call(s), 0 follow-up request(s)" in one.stderr


def test_report_names_the_new_calls_each_ngo_fits(served, monkeypatch):
    """After the sources, the report lists per NGO the new calls it fits (title and deadline), for the mentor
    to pass on; an NGO they do not fit is not named, and a run with nothing new lists nothing."""
    from grantmatch import services
    from grantmatch.models import NgoProfile

    monkeypatch.setattr(registry, "all_scrapers", lambda: {"e2e-enc": ENC})
    store = services.open_store()
    store.upgrade()
    store.upsert_profiles([
        NgoProfile.from_dict({"id": "soc", "name": "Biedrība Līdzās", "legal_form": "association",
                              "mission": "Sociālā iekļaušana: projekti cilvēkiem sociālās atstumtības riskā.",
                              "keywords": ["sociālā iekļaušana"]}),
        NgoProfile.from_dict({"id": "koris", "name": "Koris", "legal_form": "association",
                              "mission": "Kora mūzika, koncerti un dziesmu svētki.", "keywords": ["koris"]}),
    ])  # fmt: skip
    result = runner.invoke(app, ["scrape", "--today", "2026-05-01"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    at = lines.index("jauni piemēroti konkursi / new matching calls: 1 (1 NVO / NGOs)")
    assert lines[at + 1 :] == [
        "  Biedrība Līdzās:",
        "    Sociālās iekļaušanas projektu konkurss — termiņš / deadline 22.05.2026.",
    ]
    report = json.loads(runner.invoke(app, ["scrape", "--json", "--today", "2026-05-01"]).stdout)
    assert report["new_matches"] == {}  # the second run finds nothing new
