"""How long one proposal draft takes: build (template choice, checklist, eligibility, budget) plus
DOCX and Markdown export, for a profile against a corpus of N calls.

    .venv/bin/python bench/draft_bench.py [--calls 200] [--profiles FILE] [--calls-file FILE]

Reads the team's development set (``../shared/eval`` beside the project) when present, else the bundled sample data.
Prints the median and worst time per draft (build only, and build + both exports) and the total for
drafting every one of the N calls for one profile. The target is under 1 s per draft.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from grantmatch.drafting import build_draft, load_templates  # noqa: E402
from grantmatch.drafting.export import to_docx, to_markdown  # noqa: E402
from grantmatch.models import GrantCall, NgoProfile  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "eval"  # the team's development set, when present
BUNDLED = Path(__file__).resolve().parents[1] / "data"


def _read(path: Path, cls):
    return [cls.from_dict(json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--calls", type=int, default=200)
    folder = SHARED if (SHARED / "calls.jsonl").exists() else BUNDLED
    ap.add_argument("--calls-file", type=Path, default=folder / "calls.jsonl")
    ap.add_argument("--profiles", type=Path, default=folder / "profiles.jsonl")
    ap.add_argument("--today", default="2027-01-10")
    args = ap.parse_args()

    calls = _read(args.calls_file, GrantCall)
    # a mixed corpus: every non-EU-portal call first (the varied templates), then portal topics
    calls = sorted(calls, key=lambda c: c.source == "eu-ft")[: args.calls]
    profile = _read(args.profiles, NgoProfile)[0]
    today = date.fromisoformat(args.today)

    t0 = time.perf_counter()
    load_templates()
    first_load = time.perf_counter() - t0

    build_times, full_times = [], []
    t_all = time.perf_counter()
    for call in calls:
        t0 = time.perf_counter()
        draft = build_draft(profile, call, today=today)
        t1 = time.perf_counter()
        to_docx(draft).save(io.BytesIO())
        to_markdown(draft)
        t2 = time.perf_counter()
        build_times.append(t1 - t0)
        full_times.append(t2 - t0)
    total = time.perf_counter() - t_all

    def ms(x: float) -> str:
        return f"{x * 1000:.1f} ms"

    print(f"profile {profile.id!r}, {len(calls)} calls from {args.calls_file}")
    print(f"templates loaded and validated once: {ms(first_load)}")
    print(f"build draft:           median {ms(statistics.median(build_times))}, worst {ms(max(build_times))}")
    print(f"build + DOCX + Markdown: median {ms(statistics.median(full_times))}, worst {ms(max(full_times))}")
    print(f"all {len(calls)} drafts with exports: {total:.2f} s")
    print("target: one draft under 1 s ->", "OK" if max(full_times) < 1.0 else "TOO SLOW")


if __name__ == "__main__":
    main()
