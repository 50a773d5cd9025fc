"""How fast the app is with 10 000 calls in the database.

Seeds a temporary SQLite database with the bundled profiles and 10 000 calls generated
deterministically from the bundled ones (ids, titles, amounts and deadlines varied), then measures
with Streamlit's AppTest, in this one process:

- cold first render of Matches (opening the database, reading the calls, fitting the matcher,
  ranking the NGO, drawing the cards);
- warm first render (a new session after the process has its caches: what the next user sees);
- a filter change (priority area) and a sort change on the same session;
- the Call detail and Calendar pages.

Run: ``.venv/bin/python bench/app_bench.py [--calls 10000]``. Prints one line per figure.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TODAY = "2027-01-15"


def generate(n: int):
    from grantmatch import services
    from grantmatch.models import GrantCall

    base = services.read_calls(services.SAMPLE_CALLS)
    rng = random.Random(20270115)
    start = date.fromisoformat(TODAY)
    out = []
    for i in range(n):
        src = base[i % len(base)]
        d = src.to_dict()
        d["id"] = f"{src.id}-b{i:05d}"
        d["title"] = f"{src.title} ({i})"
        d["deadline"] = (start + timedelta(days=rng.randint(-30, 300))).isoformat() if i % 17 else None
        d["open_date"] = None
        if d.get("max_amount_eur") is not None:
            d["max_amount_eur"] = float(rng.choice([2000, 5000, 10000, 30000, 100000]))
            d["min_amount_eur"] = None
        out.append(GrantCall.from_dict(d))
    return out


def timed(label: str, fn):
    t0 = time.perf_counter()
    result = fn()
    took = time.perf_counter() - t0
    print(f"{label:<48} {took:6.2f} s", flush=True)
    return result, took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=10_000)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="grantmatch-bench-"))
    os.environ["GRANTMATCH_VAR_DIR"] = str(tmp)
    os.environ["GRANTMATCH_DATABASE_URL"] = f"sqlite:///{tmp / 'bench.db'}"
    os.environ["GRANTMATCH_TODAY"] = TODAY

    from streamlit.testing.v1 import AppTest

    from grantmatch import services

    store = services.open_store()
    calls, _ = timed(f"generate {args.calls} calls", lambda: generate(args.calls))
    timed("seed the database", lambda: (store.upsert_profiles(services.read_profiles(services.SAMPLE_PROFILES)),
                                        store.upsert_calls(calls)))
    store.engine.dispose()
    app = str(ROOT / "app.py")
    figures = {}

    def first_render():
        at = AppTest.from_file(app, default_timeout=600)
        at.run()
        assert not at.exception, at.exception
        return at

    at, figures["cold"] = timed("first render, cold process (fit + rank)", first_render)
    cards = sum(1 for b in at.button if b.key and b.key.startswith("det_"))
    print(f"{'  cards drawn':<48} {cards:6d}")
    at, figures["warm"] = timed("first render, new session (warm caches)", first_render)

    import streamlit as st

    st.cache_resource.clear()
    _, figures["restart"] = timed("first render, restarted app (saved index)", first_render)
    at, _ = timed("first render, new session (warm caches)", first_render)

    def area():
        at.sidebar.multiselect(key="mf_area").select("culture").run()
        assert not at.exception

    _, figures["filter"] = timed("filter change: priority area", area)

    def sort():
        at.sidebar.radio(key="mf_sort").set_value("deadline").run()
        assert not at.exception

    _, figures["sort"] = timed("filter change: sort by deadline", sort)

    def window():
        at.sidebar.selectbox(key="mf_window").set_value(30).run()
        assert not at.exception

    _, figures["window"] = timed("filter change: deadline within 30 days", window)

    def ngo():
        other = at.sidebar.selectbox[0].options[-1]
        at.sidebar.selectbox[0].select_index(len(at.sidebar.selectbox[0].options) - 1).run()
        assert not at.exception, other

    _, figures["ngo"] = timed("switch NGO (first ranking of that NGO)", ngo)

    def detail():
        button = next(b for b in at.button if b.key and b.key.startswith("det_"))
        button.click().run()
        assert not at.exception

    _, figures["detail"] = timed("open Call detail (other NGOs ranked)", detail)

    def calendar():
        at.switch_page("app_pages/calendar.py").run()
        assert not at.exception

    _, figures["calendar"] = timed("open Calendar", calendar)

    ok_first = max(figures["warm"], figures["restart"]) <= 3.0
    ok_filter = max(figures["filter"], figures["sort"], figures["window"]) <= 1.0
    print(f"target first render <= 3 s (restart with saved index, new session): {'met' if ok_first else 'NOT met'}")
    print(f"target filter change <= 1 s: {'met' if ok_filter else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
