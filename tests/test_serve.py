"""`grantmatch serve` (what `make run` starts) answers on its port with the seeded database."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from grantmatch.store import Store

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_starts_the_app_on_a_fresh_database(tmp_path):
    port = _free_port()
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    env = {**os.environ, "GRANTMATCH_DATABASE_URL": url, "GRANTMATCH_VAR_DIR": str(tmp_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "grantmatch.cli", "serve", "--port", str(port)],
        cwd=tmp_path,  # not the project folder: the command must find the app by itself
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, f"serve exited early:\n{proc.stdout.read()}"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the app did not answer within 90 s"
            time.sleep(0.5)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as resp:
            assert resp.status == 200 and b"<html" in resp.read().lower()
        store = Store(url)  # the database was created and seeded before the first visitor
        assert store.count_calls() > 0 and len(store.list_profiles()) == 11
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_warm_up_logs_no_warning(tmp_path):
    """Streamlit's "No runtime found" warning at `serve` start came from importing the pages before
    the runtime exists; the warm-up expects it and must not print it (nor any other warning)."""
    env = {**os.environ, "GRANTMATCH_DATABASE_URL": f"sqlite:///{tmp_path / 'w.db'}"}
    env["GRANTMATCH_VAR_DIR"] = str(tmp_path)
    code = "from grantmatch.cli_app import _warm_up; _warm_up()"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "No runtime found" not in proc.stderr and "WARNING" not in proc.stderr, proc.stderr
