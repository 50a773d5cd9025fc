"""End-to-end fixtures: one real app server per test module and Debian's chromium driven by Playwright.

The server is ``streamlit run app.py`` on a free port of 127.0.0.1 with its own seeded SQLite
database, var folder and fixed date (``GRANTMATCH_TODAY``). The browser is ``/usr/bin/chromium``
(installed by ``scripts/install-browser.sh``; Playwright's own download is never used). Without
chromium the tests are skipped locally and FAIL when ``CI`` is set.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("GRANTMATCH_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
TODAY = "2027-01-15"
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
START_TIMEOUT = 90


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


def _require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    message = f"e2e: chromium not found at {CHROMIUM} (install it with: bash scripts/install-browser.sh)"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class AppServer:
    url: str
    db_url: str
    var: Path
    log: Path


@pytest.fixture(scope="module")
def app_server(tmp_path_factory) -> Iterator[AppServer]:
    """The app served by a real ``streamlit run`` on a seeded temporary database."""
    _require_chromium()
    from grantmatch import services

    folder = tmp_path_factory.mktemp("e2e")
    var = folder / "var"
    var.mkdir()
    db_url = f"sqlite:///{var / 'e2e.db'}"
    store = services.open_store(db_url)
    services.seed(store)
    store.engine.dispose()
    port = _free_port()
    env = {
        **os.environ,
        "GRANTMATCH_DATABASE_URL": db_url,
        "GRANTMATCH_VAR_DIR": str(var),
        "GRANTMATCH_TODAY": TODAY,
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
    }
    log = folder / "streamlit.log"
    streamlit = Path(sys.executable).parent / "streamlit"
    cmd = [
        str(streamlit) if streamlit.exists() else shutil.which("streamlit") or "streamlit",
        "run", "app.py",
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
    ]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"e2e: streamlit exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                tail = log.read_text()[-3000:]
                pytest.fail(f"e2e: streamlit did not answer on {url} within {START_TIMEOUT} s:\n{tail}")
            time.sleep(0.3)
        yield AppServer(url=url, db_url=db_url, var=var, log=log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@pytest.fixture(scope="module")
def browser(app_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=BROWSER_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def page(browser, app_server):
    """One browser tab for the whole module (the app's session lives in it)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="lv-LV")
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    yield tab
    context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
