"""Sources page: scrape health, with failing sources impossible to miss."""

from __future__ import annotations

from datetime import date, timedelta

from grantmatch import i18n
from grantmatch.store import Store

from .test_cohort import CALLS, PROFILES


def _table(at):
    return at.dataframe[0].value


def _run(store: Store, source: str, status: str, found: int, errors=()) -> None:
    run = store.start_run(source)
    store.finish_run(run, status=status, pages=1, found=found, errors=list(errors))


def test_sources_without_runs_lists_stored_sources_as_never_run(make_app):
    at = make_app("sources")
    assert not at.exception
    table = _table(at)
    state = table[i18n.t("mentor.sources.col.state", "lv")]
    assert len(table) >= 1 and all("⚪" in s for s in state)
    assert not at.error and not at.success  # never "all working" when nothing ever ran
    assert [w.value for w in at.warning] == [i18n.t("mentor.sources.none_run", "lv")]


def test_failing_source_is_shown_in_red_at_the_top(custom_env, run_app):
    env = custom_env(profiles=PROFILES, calls=CALLS)
    store = Store(env.url)
    for found in (20, 22, 21):
        _run(store, "sif", "ok", found)
    _run(store, "kkf", "ok", 12)
    _run(store, "kkf", "failed", 0, ["kkf: expected >=1 'article.news' at https://kkf.lv, found 0 <script>x</script>"])
    _run(store, "lm", "ok", 30)
    _run(store, "lm", "ok", 28)
    _run(store, "lm", "ok", 2)
    at = run_app("sources")
    assert not at.exception
    assert len(at.error) == 1
    assert "kkf" in at.error[0].value and i18n.t("mentor.sources.failing_head", "lv", n=1) in at.error[0].value
    assert any("lm" in w.value for w in at.warning)
    table = _table(at)
    source_col = i18n.t("mentor.col.source", "lv")
    assert list(table[source_col])[:2] == ["kkf", "lm"]  # worst first
    assert "🔴" in table[i18n.t("mentor.sources.col.state", "lv")].iloc[0]
    assert "expected >=1" in table[i18n.t("mentor.sources.col.error", "lv")].iloc[0]
    codes = [c.value for c in at.code]
    assert any("<script>x</script>" in c for c in codes)  # shown verbatim as code, never as HTML
    assert not any("<script>" in m.value for m in at.markdown)
    assert at.metric[1].value == "1"


def test_all_ok_is_said_plainly(custom_env, run_app, monkeypatch):
    env = custom_env(profiles=PROFILES, calls=CALLS)
    monkeypatch.setenv("GRANTMATCH_TODAY", date.today().isoformat())  # runs are stamped with the real clock
    _run(Store(env.url), "test", "ok", 3)
    at = run_app("sources")
    assert not at.exception
    assert [s.value for s in at.success] == [i18n.t("mentor.sources.all_ok", "lv")]


def test_a_source_not_run_for_weeks_is_flagged(custom_env, run_app, monkeypatch):
    env = custom_env(profiles=PROFILES, calls=CALLS)
    _run(Store(env.url), "test", "ok", 3)
    monkeypatch.setenv("GRANTMATCH_TODAY", (date.today() + timedelta(days=20)).isoformat())
    at = run_app("sources")
    assert not at.exception
    assert any("test" in w.value for w in at.warning) and not at.success
    assert "🟡" in _table(at)[i18n.t("mentor.sources.col.state", "lv")].iloc[0]


def test_empty_database_says_what_to_do(custom_env, run_app):
    custom_env(profiles=PROFILES)
    at = run_app("sources")
    assert not at.exception
    # the registry's sources are listed as never run, or (without the scrape job) the page says what to run
    warnings = [w.value for w in at.warning]
    assert warnings in ([i18n.t("mentor.sources.none_run", "lv")], [i18n.t("mentor.sources.no_runs", "lv")])
    assert not at.success


def test_page_shows_the_scrape_jobs_own_rows(custom_env, run_app):
    """The page renders grantmatch.scrape_job.source_health (the one implementation): a run still
    going counts as never run, the usual count is the median of earlier runs, stored calls are counted
    and control characters never reach the table."""
    env = custom_env(profiles=PROFILES, calls=CALLS)
    store = Store(env.url)
    for found in (20, 22, 24):
        _run(store, "lm", "ok", found)
    _run(store, "lm", "ok", 21)
    _run(store, "kkf", "failed", 0, ["kkf: timeout\x00\x07 at https://kkf.lv"])
    store.start_run("liepaja")  # still running
    at = run_app("sources")
    assert not at.exception
    table = _table(at).set_index(i18n.t("mentor.col.source", "lv"))
    col = lambda key: i18n.t(f"mentor.sources.col.{key}", "lv")  # noqa: E731
    assert table.loc["lm", col("last_count")] == "21" and table.loc["lm", col("usual")] == "22"
    assert "⚪" in table.loc["liepaja", col("state")]
    assert table.loc["test", col("stored")] == str(len(CALLS))
    assert table.loc["kkf", col("error")] == "kkf: timeout at https://kkf.lv"
    assert list(table.index)[0] == "kkf"


def test_a_broken_health_source_is_named_not_a_database_error(custom_env, run_app, monkeypatch):
    from grantmatch import scrape_job

    custom_env(profiles=PROFILES, calls=CALLS)

    def broken(store, today):
        raise RuntimeError("run log unreadable")

    monkeypatch.setattr(scrape_job, "source_health", broken)
    at = run_app("sources")
    assert not at.exception
    assert [e.value for e in at.error] == [i18n.t("mentor.sources.health_error", "lv", error="run log unreadable")]


def test_a_source_without_a_scraper_is_named_after_its_funder(custom_env, run_app):
    bundled = {"id": "acf-1", "source": "acf", "url": "https://example.org/acf", "title": "Aktīvo iedzīvotāju fonds",
               "funder": "Aktīvo iedzīvotāju fonds (ACF)", "deadline": "2027-03-01"}
    custom_env(profiles=PROFILES, calls=[bundled])
    at = run_app("sources")
    assert not at.exception
    table = _table(at)
    row = table[table[i18n.t("mentor.col.source", "lv")] == "acf"]
    assert list(row[i18n.t("mentor.sources.col.name", "lv")]) == ["Aktīvo iedzīvotāju fonds (ACF)"]
