"""Refit the fusion weights: a logistic regression of "good fit" on the features ``rank`` scores.

The Matcher's score is the logistic of ``bias + sum(weight * feature)`` over :data:`FEATURES`
(:meth:`Matcher.features` computes them, the same code ``rank`` runs). Here each judged profile's
eligible calls are labelled good fit (grade >= 2) or not (lower grades, and unjudged calls), one
L2-regularised logistic regression is fitted on all of them (features that do not vary, or that the
caller keeps, enter at their current weight), and leave-one-profile-out nDCG@10 says
whether the fitted weights rank held-out organisations better than the current ones. Features are
not standardised, so each fitted coefficient is directly the value of its Matcher parameter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from grantmatch.models import GrantCall, NgoProfile
from matcher.eligibility import as_profile
from matcher.errors import MatcherError
from matcher.evaluate import metrics
from matcher.tfidf import FEATURES, Matcher

GOOD_FIT = 2  # grades at or above this count as a good fit


@dataclass(frozen=True)
class ProfileFeatures:
    """One judged profile's eligible calls: their ids, features and grades (unjudged = 0)."""

    profile_id: str
    call_ids: np.ndarray
    x: np.ndarray
    grades: np.ndarray


@dataclass(frozen=True)
class TuneResult:
    weights: dict[str, float]  # feature -> fitted weight, and "bias"
    current: dict[str, float]  # the same for the Matcher's current parameters
    fixed: tuple[str, ...]  # features not fitted (kept at their current weight)
    lopo_fitted: float  # mean nDCG@10 of each profile ranked by weights fitted without it
    lopo_current: float  # mean nDCG@10 of the current weights (fitted on all: an upper bound for them)
    per_profile: dict[str, tuple[float, float]]  # profile -> (fitted, current) nDCG@10
    n_calls: int  # eligible (profile, call) pairs
    n_good: int  # of which a good fit


def collect(matcher: Matcher, profiles: Sequence[NgoProfile | Mapping], qrels: Mapping[str, Mapping[str, int]],
            today: date) -> list[ProfileFeatures]:
    """The features of each judged profile's eligible calls, with their grades."""
    ids = np.array([c.id for c in matcher.calls_])
    out = []
    for p in map(as_profile, profiles):
        judged = qrels.get(p.id)
        if not judged:
            continue
        rows, x = matcher.features(p, today)
        grades = np.array([judged.get(c, 0) for c in ids[rows]], dtype=np.int64)
        out.append(ProfileFeatures(p.id, ids[rows], x, grades))
    return out


def fit_weights(groups: Sequence[ProfileFeatures], c: float = 1.0,
                keep: Mapping[str, float] | None = None) -> dict[str, float]:
    """Logistic-regression weights (and ``bias``) of good fit on the groups' features.

    Features in ``keep`` (name -> weight) are not fitted: their weighted sum enters as a fixed offset.
    So do features that take one value throughout (the data say nothing about them); they keep
    weight 0 unless ``keep`` gives one. Loss as scikit-learn's: ``C`` times the log-loss plus half the
    squared weights (the bias not penalised)."""
    from scipy.optimize import minimize

    keep = dict(keep or {})
    x = np.vstack([g.x for g in groups]).astype(np.float64)
    y = np.concatenate([g.grades for g in groups]) >= GOOD_FIT
    if y.all() or not y.any():
        raise MatcherError(f"matcher.tune: expected both good-fit (grade >= {GOOD_FIT}) and other calls, "
                           f"found {int(y.sum())} good of {len(y)}")
    names = list(FEATURES)
    free = np.array([n not in keep and np.ptp(x[:, j]) > 0 for j, n in enumerate(names)])
    offset = x[:, ~free] @ np.array([keep.get(n, 0.0) for n, f in zip(names, free, strict=True) if not f])
    xf, sign = x[:, free], np.where(y, 1.0, -1.0)

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:-1], theta[-1]
        z = sign * (xf @ w + b + offset)
        p = np.exp(-np.logaddexp(0.0, z))  # 1 - sigmoid(z), stable
        grad = -c * np.r_[xf.T @ (sign * p), (sign * p).sum()] + np.r_[w, 0.0]
        return c * np.logaddexp(0.0, -z).sum() + 0.5 * w @ w, grad

    theta = minimize(loss, np.zeros(xf.shape[1] + 1), jac=True, method="L-BFGS-B").x
    out = {n: keep.get(n, 0.0) for n in names}
    out.update(zip(np.array(names)[free].tolist(), theta[:-1].tolist(), strict=True))
    return {**out, "bias": float(theta[-1])}


def ndcg(group: ProfileFeatures, weights: Mapping[str, float], judged: Mapping[str, int]) -> float:
    """nDCG@10 of one profile's calls ranked by ``weights`` (ties in call order, as ``rank`` breaks them)."""
    w = np.array([weights.get(f, 0.0) for f in FEATURES], dtype=np.float64)
    s = group.x.astype(np.float64) @ w
    order = np.lexsort((np.arange(len(s)), -s))[:10]
    return metrics(list(group.call_ids[order]), judged)["ndcg@10"]


def current_weights(matcher: Matcher) -> dict[str, float]:
    return {**matcher.feature_weights(), "bias": float(matcher.bias)}


def tune(profiles: Sequence[NgoProfile | Mapping], calls: Sequence[GrantCall | Mapping],
         qrels: Mapping[str, Mapping[str, int]], today: date, c: float = 1.0,
         params: Mapping[str, object] | None = None, keep: Sequence[str] = ()) -> TuneResult:
    """Fit the weights on all judged profiles; leave-one-profile-out nDCG@10 of fitted vs current.

    ``params`` are Matcher parameters (the current weights and everything else); ``rerank_depth`` is
    raised to the number of calls, so every eligible call has every feature whatever the weights.
    Features named in ``keep`` (and features that take one value throughout) keep their current
    weight, e.g. ``title_chars`` on a set without title-only calls."""
    unknown = sorted(set(keep) - set(FEATURES))
    if unknown:
        raise MatcherError(f"matcher.tune: expected features among {', '.join(FEATURES)}, found {', '.join(unknown)}")
    matcher = Matcher(**{**(params or {}), "rerank_depth": len(calls)}).fit(calls)
    groups = collect(matcher, profiles, qrels, today)
    if len(groups) < 2:
        raise MatcherError(f"matcher.tune: expected at least 2 judged profiles, found {len(groups)}")
    current = current_weights(matcher)
    x_all = np.vstack([g.x for g in groups])
    fixed = {n: current[n] for j, n in enumerate(FEATURES) if n in keep or np.ptp(x_all[:, j]) == 0}
    per_profile = {}
    for k, g in enumerate(groups):
        held_out = fit_weights(groups[:k] + groups[k + 1:], c, fixed)
        per_profile[g.profile_id] = (ndcg(g, held_out, qrels[g.profile_id]), ndcg(g, current, qrels[g.profile_id]))
    return TuneResult(
        weights=fit_weights(groups, c, fixed),
        fixed=tuple(fixed),
        current=current,
        lopo_fitted=float(np.mean([v[0] for v in per_profile.values()])),
        lopo_current=float(np.mean([v[1] for v in per_profile.values()])),
        per_profile=per_profile,
        n_calls=sum(len(g.grades) for g in groups),
        n_good=sum(int((g.grades >= GOOD_FIT).sum()) for g in groups),
    )


def as_parameters(weights: Mapping[str, float]) -> dict[str, object]:
    """Fitted weights as ``Matcher`` keyword arguments (``part_weights`` as one dict), rounded."""
    out: dict[str, object] = {"part_weights": {}}
    for name, param in FEATURES.items():
        value = round(weights[name], 2)
        if param == "part_weights":
            out["part_weights"][name] = value
        else:
            out[param] = value
    out["bias"] = round(weights["bias"], 2)
    return out
