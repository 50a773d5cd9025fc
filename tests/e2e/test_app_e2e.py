"""The whole app in a real browser (Debian chromium via Playwright) against a real ``streamlit run``.

One server and one browser tab for the module; the tests run in order and build on each other like a
user's session: open Matches, switch NGO, mark a call not relevant, track a call and find it in the
Pipeline, download the calendar and the consultation brief, switch to English. A screenshot of every
page goes to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from docx import Document
from icalendar import Calendar

from grantmatch import i18n, services
from grantmatch.paths import DATA_DIR

pytestmark = pytest.mark.e2e

BUSY = """() => !!(document.querySelector('[data-testid="stStatusWidget"]')
    || document.querySelector('[data-testid="stSkeleton"]')
    || document.querySelector('[data-stale="true"]'))"""
CARD_IDS = """els => els.map(
    e => [...e.classList].find(c => c.startsWith('st-key-det_')).slice('st-key-det_'.length))"""
CARD_TITLE = """el => {
    const row = el.closest('[data-testid="stHorizontalBlock"]');
    const card = row.parentElement.closest('[data-testid="stVerticalBlock"]');
    return card.querySelector('[data-testid="stMarkdownContainer"] strong').textContent;
}"""

SHOWN = """e => e.textContent + ' ' + [...e.querySelectorAll('input')].map(i => i.value).join(' ')"""
"""What a selectbox shows: its label and its chosen value."""

STATE: dict = {}  # what one test leaves for the next (the NGO picked, the call tracked)


def lv(key: str, **fmt) -> str:
    return i18n.t(key, "lv", **fmt)


def wait_idle(page, timeout: float = 45) -> None:
    """Wait until Streamlit has finished its run: no status widget, skeleton or stale element for
    about 0.6 s."""
    end = time.monotonic() + timeout
    quiet = 0
    page.wait_for_timeout(150)
    while time.monotonic() < end:
        quiet = 0 if page.evaluate(BUSY) else quiet + 1
        if quiet >= 4:
            return
        page.wait_for_timeout(150)
    raise AssertionError(f"e2e: the app was still running after {timeout} s")


def no_exception(page) -> None:
    errors = page.locator("[data-testid='stException']")
    assert errors.count() == 0, f"the page shows an exception: {errors.first.inner_text()[:1000]}"


def go(page, title: str) -> None:
    """Open a page from the sidebar navigation (keeps the session, like a user's click)."""
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text=title).first.click()
    wait_idle(page)
    no_exception(page)


FULL_HEIGHT = """() => Math.max(...['stMain', 'stAppViewContainer', 'stMainBlockContainer']
    .map(id => document.querySelector(`[data-testid="${id}"]`)).filter(Boolean).map(e => e.scrollHeight))"""


def shot(page, screenshots: Path, name: str) -> None:
    """A screenshot of the whole page (Streamlit scrolls inside its main block, so the window is made
    as tall as the content for the shot)."""
    size = page.viewport_size
    height = min(max(page.evaluate(FULL_HEIGHT), size["height"]), 12_000)
    page.set_viewport_size({"width": size["width"], "height": height})
    page.wait_for_timeout(400)
    page.screenshot(path=str(screenshots / f"{name}.png"))
    page.set_viewport_size(size)


def card_ids(page) -> list[str]:
    return page.eval_on_selector_all("[class*='st-key-det_']", CARD_IDS)


def card_title(page, cid: str) -> str:
    return page.locator(f".st-key-det_{cid}").evaluate(CARD_TITLE)


def download(page, button_text: str) -> bytes:
    button = page.locator("[data-testid='stDownloadButton'] button").filter(has_text=button_text).first
    with page.expect_download() as info:
        button.click()
    return Path(info.value.path()).read_bytes()


def profile_names() -> list[str]:
    return sorted(p.name for p in services.read_profiles(DATA_DIR / "profiles.jsonl"))


# --------------------------------------------------------------------------- the walk-through


def test_matches_opens_with_ranked_cards(page, app_server, screenshots):
    started = time.monotonic()
    page.goto(app_server.url)
    page.get_by_role("heading", name=lv("matches.title")).wait_for()
    page.wait_for_selector("[class*='st-key-det_']")
    wait_idle(page)
    STATE["first_render_s"] = round(time.monotonic() - started, 2)
    no_exception(page)
    assert len(card_ids(page)) >= 3
    assert profile_names()[0] in page.locator("[data-testid='stMain']").inner_text()  # the first NGO
    shot(page, screenshots, "01-matches")


def test_switch_ngo_changes_the_ranking(page):
    before = card_ids(page)
    second = profile_names()[1]
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
    page.locator("[role='option']").filter(has_text=second).first.click()
    wait_idle(page)
    no_exception(page)
    assert second in page.locator("[data-testid='stMain']").inner_text()  # "open calls for <NGO>"
    after = card_ids(page)
    assert after and after != before
    STATE["ngo"] = second


def test_not_relevant_hides_a_call_and_the_sidebar_shows_it_again(page, screenshots):
    before = card_ids(page)
    first = before[0]
    page.locator(f".st-key-irr_{first} button").click()
    wait_idle(page)
    no_exception(page)
    assert first not in card_ids(page)
    shot(page, screenshots, "02-matches-after-feedback")
    page.locator(".st-key-mf_show_hidden label").click()
    wait_idle(page)
    shown = card_ids(page)
    assert first in shown and shown.index(first) > 0
    page.locator(f".st-key-clr_{first} button").click()  # clear the mark: the call is back for good
    wait_idle(page)
    page.locator(".st-key-mf_show_hidden label").click()
    wait_idle(page)
    no_exception(page)
    assert first in card_ids(page)


def test_track_a_call_and_find_it_in_the_pipeline(page, screenshots):
    cid = card_ids(page)[0]
    title = card_title(page, cid)
    page.locator(f".st-key-trk_{cid} button").click()
    wait_idle(page)
    no_exception(page)
    assert page.locator(f".st-key-trk_{cid} button").is_disabled()  # now shows "tracked"
    STATE["tracked_title"] = title
    go(page, lv("page.pipeline"))
    main = page.locator("[data-testid='stMain']")
    assert title[:60] in main.inner_text()
    shot(page, screenshots, "03-pipeline")


def test_calendar_downloads_an_ics_with_the_tracked_call(page, screenshots):
    go(page, lv("page.calendar"))
    shot(page, screenshots, "04-calendar")
    buttons = page.locator("[data-testid='stDownloadButton'] button")
    assert buttons.count() >= 1, "the calendar page offers no .ics download"
    with page.expect_download() as info:
        buttons.first.click()
    assert info.value.suggested_filename.endswith(".ics")
    cal = Calendar.from_ical(Path(info.value.path()).read_bytes())
    events = [c for c in cal.walk() if c.name == "VEVENT"]
    assert events
    assert any(STATE["tracked_title"][:40] in str(e.get("summary")) for e in events)


def test_cohort_view_and_its_calendar(page, screenshots):
    go(page, lv("page.cohort"))
    main = page.locator("[data-testid='stMain']")
    text = main.inner_text()
    for key in ("mentor.cohort.table", "mentor.cohort.competing", "mentor.cohort.partners", "mentor.cohort.funding"):
        assert lv(key) in text
    page.locator("[data-testid='stVegaLiteChart'], .vega-embed").first.wait_for()
    shot(page, screenshots, "05-cohort")
    data = download(page, lv("mentor.cohort.ics"))
    cal = Calendar.from_ical(data)
    events = [c for c in cal.walk() if c.name == "VEVENT"]
    assert len(events) >= 3
    assert all(any(a.name == "VALARM" for a in e.walk()) for e in events)
    assert len({str(e["uid"]) for e in events}) == len(events)
    assert any(STATE["tracked_title"][:40] in str(e["summary"]) for e in events)  # tracked calls are included


def test_consultation_brief_downloads_and_records(page, app_server, screenshots):
    go(page, lv("page.brief"))
    ngo = STATE["ngo"]
    docx = Document(io.BytesIO(download(page, lv("mentor.brief.download_docx"))))
    headings = [p.text for p in docx.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == lv("mentor.brief.doc_title", name=ngo)
    assert lv("mentor.brief.pipeline") in headings
    cells = [c.text for t in docx.tables for row in t.rows for c in row.cells]
    assert STATE["tracked_title"] in cells  # the tracked call is in the pipeline table
    md = download(page, lv("mentor.brief.download_md")).decode("utf-8")
    assert md.startswith("# " + lv("mentor.brief.doc_title", name=ngo).replace('"', '"'))
    assert f"## {lv('mentor.brief.deadlines_30')}" in md
    shot(page, screenshots, "06-brief")

    page.locator("[data-testid='stTextArea'] textarea").fill("Pārrunājām budžetu un termiņus")
    page.locator("[data-testid='stFormSubmitButton'] button").click()
    wait_idle(page)
    no_exception(page)
    assert lv("mentor.brief.recorded", date="15.01.2027.") in page.locator("[data-testid='stMain']").inner_text()
    store = services.open_store(app_server.db_url)
    pid = next(p.id for p in store.list_profiles() if p.name == ngo)
    assert [c["notes"] for c in store.consultations(pid)] == ["Pārrunājām budžetu un termiņus"]
    store.engine.dispose()


def test_sources_page_shows_health(page, screenshots):
    go(page, lv("page.sources"))
    text = page.locator("[data-testid='stMain']").inner_text()
    assert lv("mentor.sources.title") in text
    assert page.locator("[data-testid='stDataFrame']").count() == 1
    shot(page, screenshots, "07-sources")


@pytest.mark.parametrize(("name", "key"), [("08-profile", "page.profile"), ("09-draft", "page.draft")])
def test_other_pages_render(page, screenshots, name, key):
    go(page, lv(key))
    shot(page, screenshots, name)


def test_call_detail_from_a_card(page, screenshots):
    go(page, lv("page.matches"))
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": 500})  # a call page is longer than this
    cid = card_ids(page)[-1]  # the last card: the list is scrolled down to reach it
    title = card_title(page, cid)
    button = page.locator(f".st-key-det_{cid} button")
    button.scroll_into_view_if_needed()
    assert page.locator("[data-testid='stMain']").evaluate("m => m.scrollTop") > 0
    button.click()
    wait_idle(page)
    no_exception(page)
    assert title[:60] in page.locator("[data-testid='stMain']").inner_text()
    # the call opens at its top (its title in view), not where the list was scrolled to
    page.wait_for_function("() => document.querySelector('[data-testid=\"stMain\"]').scrollTop === 0", timeout=5000)
    box = page.get_by_role("heading", name=title[:40]).first.bounding_box()
    assert box is not None and 0 <= box["y"] < 500
    page.set_viewport_size(size)
    shot(page, screenshots, "10-call")
    # The coordinator can act on the call they have just read: start a draft for it.
    assert page.locator(".st-key-call_track button").count() == 1
    page.locator(".st-key-call_draft button").click()
    wait_idle(page)
    no_exception(page)
    assert page.get_by_role("heading", name=lv("draft.page.title")).count() == 1
    chosen = page.locator("[data-testid='stMain'] [data-testid='stSelectbox']").evaluate_all(f"els => els.map({SHOWN})")
    assert any(title[:40] in box for box in chosen), (title, chosen)  # the call is already chosen


def test_switch_to_english(page, screenshots):
    page.locator("[data-testid='stSidebar'] button").filter(has_text="EN").first.click()
    wait_idle(page)
    no_exception(page)
    go(page, i18n.t("page.matches", "en"))
    page.get_by_role("heading", name=i18n.t("matches.title", "en")).wait_for()
    assert i18n.t("matches.not_relevant", "en") in page.locator("[data-testid='stMain']").inner_text()
    shot(page, screenshots, "11-matches-en")
    go(page, i18n.t("page.cohort", "en"))
    assert i18n.t("mentor.cohort.title", "en") in page.locator("[data-testid='stMain']").inner_text()
    shot(page, screenshots, "12-cohort-en")


CHECKED_RADIO = """els => els.filter(i => i.checked).map(i => i.closest('label').innerText.trim())"""


def test_a_language_switch_keeps_the_choices_in_the_new_language(page, screenshots):
    """The browser keeps a choice as its label: after a switch a selectbox kept its old-language label
    and a radio lost its selection, until the page was left. Both now follow the language at once."""
    en = lambda key: i18n.t(key, "en")  # noqa: E731 - a short local alias, like lv()
    go(page, en("page.matches"))
    page.locator(".st-key-mf_sort label").filter(has_text=en("matches.sort.deadline")).click()
    wait_idle(page)
    page.locator("[data-testid='stSidebar'] button").filter(has_text="LV").first.click()
    wait_idle(page)
    no_exception(page)
    checked = page.locator(".st-key-mf_sort input[type='radio']").evaluate_all(CHECKED_RADIO)
    assert checked == [lv("matches.sort.deadline")]
    window = page.locator(".st-key-mf_window").inner_text() + page.locator(".st-key-mf_window input").input_value()
    assert lv("matches.filter.window.any") in window and en("matches.filter.window.any") not in window, window
    shot(page, screenshots, "13-matches-lv-after-switch")


def test_a_reload_keeps_the_organisation_and_the_language(page, app_server, screenshots):
    """F5, a new tab and a bookmark start a new Streamlit session: before, the app came back in LV
    with the first NGO alphabetically, and a coordinator's Pipeline looked empty. The link now
    carries both (``?org=…&lang=en``), through page switches too."""
    en = lambda key, **fmt: i18n.t(key, "en", **fmt)  # noqa: E731 - a short local alias, like lv()
    page.locator("[data-testid='stSidebar'] button").filter(has_text="EN").first.click()
    wait_idle(page)
    ngo = profile_names()[2]
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
    page.locator("[role='option']").filter(has_text=ngo).first.click()
    wait_idle(page)
    go(page, en("page.pipeline"))
    assert "lang=en" in page.url and "org=" in page.url, page.url

    def kept(tab) -> None:
        tab.get_by_role("heading", name=en("pipeline.title")).wait_for()
        wait_idle(tab)
        no_exception(tab)
        assert en("pipeline.intro", name=ngo) in tab.locator("[data-testid='stMain']").inner_text()
        picker = tab.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.evaluate(SHOWN)
        assert ngo in picker, picker
        assert tab.locator("[data-testid='stSidebar'] [data-testid='stAlert']").count() == 0  # no fallback note

    page.reload()
    kept(page)
    shot(page, screenshots, "14-pipeline-after-reload")
    bookmark = page.context.new_page()
    try:
        bookmark.goto(page.url)
        kept(bookmark)
    finally:
        bookmark.close()


def test_a_link_opens_a_call(page, app_server, screenshots):
    """``/call?call=<id>`` opened directly (a bookmark, a link in an e-mail) shows that call."""
    store = services.open_store(app_server.db_url)
    call = min(store.list_calls(), key=lambda c: c.id)
    store.engine.dispose()
    tab = page.context.new_page()
    try:
        tab.goto(f"{app_server.url}/call?call={call.id}&lang=en")
        tab.get_by_role("heading", name=call.title[:40]).first.wait_for()
        wait_idle(tab)
        no_exception(tab)
        assert f"call={call.id}" in tab.url and "lang=en" in tab.url and "org=" in tab.url, tab.url
        shot(tab, screenshots, "15-call-from-a-link")
    finally:
        tab.close()
