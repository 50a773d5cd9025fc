"""Ranking quality: nDCG@10, MRR, P@5 and Recall@20 for grantmatch and plain BM25 baselines.

Grades follow the contract's qrels (0-3); a call counts as relevant for MRR, P@5 and Recall@20 when its
grade is at least 1, and nDCG uses the gain 2**grade - 1. Pairs not judged count as grade 0. The BM25
baseline is BM25Okapi (k1=1.5, b=0.75, the rank_bm25 idf floor) on lower-cased word tokens with
English stop words removed, over title + summary; "+ filter" drops the calls our eligibility check
rules out, exactly as grantmatch does.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from grantmatch.models import GrantCall, NgoProfile
from matcher import eligibility
from matcher.errors import MatcherError

METRICS = ("ndcg@10", "mrr", "p@5", "recall@20")
_TOKEN = re.compile(r"\w+", re.UNICODE)


def read_qrels(path: str | Path) -> dict[str, dict[str, int]]:
    """``profile -> call -> grade`` from a contract qrels TSV; errors name the line."""
    path = Path(path)
    out: dict[str, dict[str, int]] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise MatcherError(f"{path}: cannot read qrels ({exc.strerror or exc})") from None
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.rstrip("\n").split("\t")
        if len(parts) != 3:
            raise MatcherError(f"{path} line {n}: expected 'profile_id<TAB>call_id<TAB>grade', found {line!r}")
        try:
            grade = int(parts[2])
        except ValueError:
            raise MatcherError(f"{path} line {n}: expected a grade 0-3, found {parts[2]!r}") from None
        if not 0 <= grade <= 3:
            raise MatcherError(f"{path} line {n}: expected a grade 0-3, found {grade}")
        out.setdefault(parts[0], {})[parts[1]] = grade
    return out


def metrics(ranking: Sequence[str], judged: Mapping[str, int]) -> dict[str, float]:
    """The four metrics of one ranking against one profile's grades."""
    gains = [judged.get(c, 0) for c in ranking]
    dcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains[:10]))
    ideal = sorted(judged.values(), reverse=True)[:10]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    rr = next((1.0 / (i + 1) for i, g in enumerate(gains) if g >= 1), 0.0)
    n_rel = sum(1 for g in judged.values() if g >= 1)
    return {
        "ndcg@10": dcg / idcg if idcg > 0 else 0.0,
        "mrr": rr,
        "p@5": sum(1 for g in gains[:5] if g >= 1) / 5,
        "recall@20": sum(1 for g in gains[:20] if g >= 1) / n_rel if n_rel else 0.0,
    }


def mean_metrics(rows: list[dict[str, float]]) -> dict[str, float]:
    if not rows:
        return dict.fromkeys(METRICS, 0.0)
    return {k: sum(r[k] for r in rows) / len(rows) for k in METRICS}


class BM25Baseline:
    """Plain BM25Okapi over title + summary (the comparison point)."""

    def __init__(self, k1: float = 1.5, b: float = 0.75, epsilon: float = 0.25) -> None:
        self.k1, self.b, self.epsilon = k1, b, epsilon

    @staticmethod
    def tokens(text: str) -> list[str]:
        return [t for t in _TOKEN.findall(text.lower()) if t not in ENGLISH_STOP_WORDS]

    def fit(self, calls: Sequence[GrantCall]) -> BM25Baseline:
        self.ids_ = [c.id for c in calls]
        vocab: dict[str, int] = {}
        rows, cols, vals = [], [], []
        lengths = []
        for i, c in enumerate(calls):
            cnt = Counter(self.tokens(f"{c.title} {c.summary}"))
            lengths.append(sum(cnt.values()))
            for t, v in cnt.items():
                rows.append(i)
                cols.append(vocab.setdefault(t, len(vocab)))
                vals.append(v)
        n, v = len(calls), len(vocab)
        tf = sp.csr_matrix((np.array(vals, float), (np.array(rows), np.array(cols))), shape=(n, v))
        df = np.bincount(tf.indices, minlength=v)
        idf = np.log((n - df + 0.5) / (df + 0.5))
        idf = np.where(idf < 0, self.epsilon * idf.mean(), idf)
        lens = np.array(lengths, float)
        row_len = np.repeat(lens, np.diff(tf.indptr))
        data = tf.data * (self.k1 + 1) / (tf.data + self.k1 * (1 - self.b + self.b * row_len / max(lens.mean(), 1)))
        self.matrix_ = sp.csr_matrix((data * idf[tf.indices], tf.indices, tf.indptr), shape=(n, v)).tocsc()
        self.vocabulary_ = vocab
        return self

    def scores(self, text: str) -> np.ndarray:
        cnt = Counter(t for t in self.tokens(text) if t in self.vocabulary_)
        if not cnt:
            return np.zeros(len(self.ids_))
        cols = [self.vocabulary_[t] for t in cnt]
        w = np.array(list(cnt.values()), float)
        return np.asarray(self.matrix_[:, cols] @ w).ravel()


def evaluate(
    profiles: Sequence[NgoProfile],
    calls: Sequence[GrantCall],
    qrels: Mapping[str, Mapping[str, int]],
    today: date,
    matcher_factory: Callable[[], object] | None = None,
    depth: int = 100,
) -> dict[str, dict]:
    """Mean metrics per system: ``grantmatch``, ``bm25+filter``, ``bm25``; plus per-profile rows and
    the ids of calls ranked in a top 10 that our eligibility check rules out (should be none)."""
    from matcher.tfidf import Matcher, profile_text

    profiles = [p for p in profiles if p.id in qrels] or list(profiles)
    matcher = (matcher_factory or Matcher)().fit(calls)
    bm25 = BM25Baseline().fit(calls)
    out_rows: dict[str, list[dict[str, float]]] = {"grantmatch": [], "bm25+filter": [], "bm25": []}
    per_profile = {}
    leaks: list[str] = []
    ids = np.array([c.id for c in calls])
    by_id = {c.id: c for c in calls}
    for p in profiles:
        judged = qrels.get(p.id, {})
        ours = [m.call_id for m in matcher.rank(p, top=depth, today=today)]
        ok, _ = matcher._eligibility_masks(p, today)
        s = bm25.scores(profile_text(p))
        order = np.argsort(-s, kind="stable")
        plain = list(ids[order[:depth]])
        filt = list(ids[order[ok[order]]][:depth])
        for name, ranking in (("grantmatch", ours), ("bm25+filter", filt), ("bm25", plain)):
            out_rows[name].append(metrics(ranking, judged))
        per_profile[p.id] = out_rows["grantmatch"][-1]
        # cross-check the vectorised filter with the per-call facts
        leaks += [f"{p.id}:{c}" for c in ours[:10]
                  if not eligibility.is_eligible(eligibility.check(p, by_id[c], today))]
    result: dict[str, dict] = {name: mean_metrics(rows) for name, rows in out_rows.items()}
    result["per_profile"] = per_profile
    result["ineligible_in_top10"] = {"count": len(leaks), "examples": leaks[:10]}
    result["profiles"] = {"count": len(profiles)}
    return result
