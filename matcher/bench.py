"""Scale benchmark: grantmatch's Matcher beside scikit-learn TfidfVectorizer + cosine.

``build_corpus`` makes an N-call corpus from a few seed calls, deterministically: each new call
recombines sentences of several seeds, and mixes in words made from syllables on a Zipf-like
distribution, so the vocabulary keeps growing with N as real text does (Heaps' law) instead of
repeating the seeds. Each contender runs in its own forked process, so its peak memory
(``ru_maxrss``) is its own.
"""

from __future__ import annotations

import dataclasses
import multiprocessing as mp
import random
import re
import resource
import time
from collections.abc import Iterator, Sequence
from datetime import date, timedelta

import numpy as np

from grantmatch.models import GrantCall, NgoProfile

_SYLLABLES = ("ka", "ra", "ti", "no", "lu", "me", "sa", "vi", "ta", "pe", "ri", "go", "da", "li", "mo",
              "ne", "zu", "ba", "ko", "ji", "ša", "ņe", "ļa", "ģi", "ku", "ve", "re", "to", "ma", "si")
_SENT = re.compile(r"(?<=[.!?])\s+")


def _pseudo_word(rng: random.Random) -> str:
    # log-uniform rank in 1..1e6 (Zipf with exponent 1): frequent words repeat, the tail keeps adding
    rank = int(10 ** (rng.random() * 6))
    r2 = random.Random(rank)
    return "".join(r2.choice(_SYLLABLES) for _ in range(2 + rank % 3 + (rank > 1000)))


def build_corpus(seeds: Sequence[GrantCall], n: int, seed: int = 0) -> list[GrantCall]:
    """``n`` calls built from ``seeds``: recombined sentences plus a growing vocabulary."""
    rng = random.Random(seed)
    sentences = [s for c in seeds for s in _SENT.split(c.summary) if s.strip()] or [c.title for c in seeds]
    out = []
    base = date(2027, 1, 1)
    for i in range(n):
        src = seeds[i % len(seeds)]
        body = [rng.choice(sentences) for _ in range(rng.randint(3, 9))]
        extra = " ".join(_pseudo_word(rng) for _ in range(rng.randint(5, 40)))
        title_words = src.title.split()
        rng.shuffle(title_words)
        out.append(dataclasses.replace(
            src,
            id=f"bench-{i}",
            title=" ".join(title_words[: max(3, len(title_words))]) + f" {_pseudo_word(rng)}",
            summary=" ".join(body) + " " + extra,
            deadline=base + timedelta(days=rng.randint(-60, 300)),
            open_date=None,
        ))
    return out


def _percentiles(values: list[float]) -> tuple[float, float]:
    arr = np.array(values)
    return float(np.percentile(arr, 50)), float(np.percentile(arr, 95))


def _run_grantmatch(corpus, profiles, repeats, today, queue) -> None:
    from matcher.tfidf import Matcher

    t0 = time.perf_counter()
    m = Matcher().fit(corpus)
    fit_s = time.perf_counter() - t0
    times = []
    for _ in range(repeats):
        for p in profiles:
            t = time.perf_counter()
            m.rank(p, top=10, today=today)
            times.append((time.perf_counter() - t) * 1000)
    queue.put(("grantmatch", fit_s, *_percentiles(times), _peak_mb(), m.matrix_.shape[1]))


def _run_sklearn(corpus, profiles, repeats, today, queue) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    t0 = time.perf_counter()
    vec = TfidfVectorizer()
    x = vec.fit_transform([f"{c.title}\n{c.summary}" for c in corpus])
    fit_s = time.perf_counter() - t0
    texts = ["\n".join([p.name, p.mission, *p.activities, *p.target_groups, *p.keywords]) for p in profiles]
    times = []
    for _ in range(repeats):
        for text in texts:
            t = time.perf_counter()
            q = vec.transform([text])
            s = (x @ q.T).toarray().ravel()
            top = np.argpartition(-s, 10)[:10]
            top[np.argsort(-s[top])]
            times.append((time.perf_counter() - t) * 1000)
    queue.put(("sklearn tfidf", fit_s, *_percentiles(times), _peak_mb(), len(vec.vocabulary_)))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def run(seeds: Sequence[GrantCall], profiles: Sequence[NgoProfile], n: int, repeats: int = 5,
        seed: int = 0, today: date = date(2027, 1, 10)) -> Iterator[str]:
    """Build the corpus, run both contenders, yield report lines."""
    t = time.perf_counter()
    corpus = build_corpus(seeds, n, seed)
    yield f"corpus: {n} calls from {len(seeds)} seeds in {time.perf_counter() - t:.1f} s; " \
          f"profiles: {len(profiles)} x {repeats} rankings"
    yield f"parent RSS before the runs: {_peak_mb():.0f} MB (shared with each run)"
    ctx = mp.get_context("fork")
    yield f"{'system':<14}{'fit s':>9}{'rank p50 ms':>13}{'rank p95 ms':>13}{'peak MB':>10}{'terms':>10}"
    for target in (_run_grantmatch, _run_sklearn):
        queue = ctx.Queue()
        proc = ctx.Process(target=target, args=(corpus, list(profiles), repeats, today, queue))
        proc.start()
        name, fit_s, p50, p95, peak, terms = queue.get()
        proc.join()
        yield f"{name:<14}{fit_s:>9.2f}{p50:>13.2f}{p95:>13.2f}{peak:>10.0f}{terms:>10}"
