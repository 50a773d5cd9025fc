"""The fusion features and the weight refit (matcher.tune, grantmatch tune)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from typer.testing import CliRunner

from grantmatch.cli import app
from matcher import Matcher
from matcher.eligibility import as_profile
from matcher.tfidf import FEATURES
from matcher.tune import ProfileFeatures, as_parameters, fit_weights, ndcg, tune

from .conftest import TODAY


def test_features_are_what_rank_scores(calls, youth_profile):
    m = Matcher(title_char_weight=1.5, applicant_weight=0.4).fit(calls)
    rows, x = m.features(youth_profile, TODAY)
    w = np.array(list(m.feature_weights().values()))
    expected = {m.calls_[i].id: 1 / (1 + math.exp(-(m.bias + x[k] @ w))) for k, i in enumerate(rows)}
    ranked = m.rank(youth_profile, top=None, today=TODAY)
    assert [r.call_id for r in ranked] == sorted(expected, key=lambda c: -expected[c])
    for r in ranked:
        assert r.score == pytest.approx(expected[r.call_id], abs=1e-5)
    assert list(m.feature_weights()) == list(FEATURES)
    # the youth profile's features say what they should: its own town, its area, a text match
    k = list(m.calls_[i].id for i in rows).index("youth-lv")
    col = {name: x[:, j] for j, name in enumerate(FEATURES)}
    assert col["geo"][k] == 1.0 and col["tag"][k] == 0.0 and col["text"][k] > 0.9
    assert col["text"].max() == pytest.approx(1.0)  # scaled so the best eligible call is 1
    assert col["amount"].max() <= 0 and col["breadth"].max() <= 0  # penalties are negative features


def test_features_do_not_depend_on_the_weights(calls, youth_profile):
    """Within ``rerank_depth`` calls (all of these), so a refit can reuse one set of features."""
    a = Matcher().fit(calls)
    b = Matcher(text_weight=0.1, bias=0.0).fit(calls)
    assert np.array_equal(a.features(youth_profile, TODAY)[1], b.features(youth_profile, TODAY)[1])


def _planted(seed: int, n_profiles: int = 30, n_calls: int = 60) -> list[ProfileFeatures]:
    """Random features; a call is a good fit when 2*keywords - amount plus noise is high."""
    rng = np.random.default_rng(seed)
    j_kw, j_amount = list(FEATURES).index("keywords"), list(FEATURES).index("amount")
    groups = []
    for p in range(n_profiles):
        x = rng.random((n_calls, len(FEATURES))).astype(np.float32)
        signal = 2 * x[:, j_kw] - x[:, j_amount] + 0.3 * rng.standard_normal(n_calls)
        grades = np.digitize(signal, np.quantile(signal, [0.5, 0.85, 0.95]))
        groups.append(ProfileFeatures(f"p{p}", np.array([f"c{i}" for i in range(n_calls)]), x, grades))
    return groups


def test_fit_recovers_a_planted_signal():
    groups = _planted(0)
    w = fit_weights(groups, c=10.0)
    others = [abs(v) for k, v in w.items() if k not in ("keywords", "amount", "bias")]
    assert w["keywords"] > 3 * max(others) and w["amount"] < -max(others)
    held_out = _planted(100, n_profiles=10)
    judged = [dict(zip(g.call_ids.tolist(), g.grades.tolist(), strict=True)) for g in held_out]
    fitted = np.mean([ndcg(g, w, j) for g, j in zip(held_out, judged, strict=True)])
    true = np.mean([ndcg(g, {"keywords": 2.0, "amount": -1.0}, j) for g, j in zip(held_out, judged, strict=True)])
    flat = np.mean([ndcg(g, {"text": 1.0}, j) for g, j in zip(held_out, judged, strict=True)])
    assert fitted > true - 0.03 and fitted > flat + 0.2


def test_kept_and_constant_features_are_not_fitted():
    groups = _planted(0)
    j_geo = list(FEATURES).index("geo")
    for g in groups:
        g.x[:, j_geo] = 1.0  # constant: the data say nothing about it
    w = fit_weights(groups, keep={"keywords": 0.5, "geo": 1.5})
    assert w["keywords"] == 0.5 and w["geo"] == 1.5
    assert fit_weights(groups)["geo"] == 0.0
    params = as_parameters(w)
    assert params["part_weights"]["keywords"] == 0.5 and params["geo_weight"] == 1.5
    Matcher(**params)  # the printed parameters are accepted as they are


def test_tune_on_inline_examples(calls, youth_profile):
    heritage = {"id": "muzejs", "name": "Muzeju biedrība", "legal_form": "association", "city": "Liepāja",
                "mission": "Kultūras mantojums un muzeju izstādes.", "keywords": ["cultural heritage", "museum"]}
    qrels = {"jauniesi": {"youth-lv": 3, "youth-en": 2}, "muzejs": {"heritage-en": 3}}
    result = tune([youth_profile, heritage], calls, qrels, TODAY, keep=("title_chars",))
    assert set(result.per_profile) == {"jauniesi", "muzejs"}
    assert result.n_good == 3 and "title_chars" in result.fixed
    assert result.weights["text"] > 0 and 0 <= result.lopo_fitted <= 1 and result.lopo_current == pytest.approx(1.0)


def test_tune_command(tmp_path, calls, youth_profile):
    c, p, q = tmp_path / "c.jsonl", tmp_path / "p.jsonl", tmp_path / "q.tsv"
    c.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in calls), encoding="utf-8")
    other = {"id": "muzejs", "name": "Muzejs", "mission": "cultural heritage and museums"}
    p.write_text(json.dumps(youth_profile, ensure_ascii=False) + "\n" + json.dumps(other), encoding="utf-8")
    q.write_text("jauniesi\tyouth-lv\t3\njauniesi\tyouth-en\t2\nmuzejs\theritage-en\t3\n", encoding="utf-8")
    args = ["tune", "--profiles", str(p), "--calls", str(c), "--qrels", str(q), "--today", "2027-01-10"]
    r = CliRunner().invoke(app, [*args, "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert set(out["weights"]) == {*FEATURES, "bias"} and set(out["lopo_ndcg@10"]) == {"fitted", "current"}
    r = CliRunner().invoke(app, [*args, "--keep", "nonsense"])
    assert r.exit_code == 2 and "expected features among" in r.output


def test_area_lift_follows_the_profiles_own_words_too(calls):
    """A heritage society filed under environment and community: culture calls get part of the lift."""
    profile = {"id": "koks", "name": "Koka mantojuma draugi", "legal_form": "association", "city": "Liepāja",
               "priority_area": "environment_community",
               "mission": "Restoring historic wooden buildings, museum exhibitions and cultural heritage.",
               "keywords": ["cultural heritage", "museum", "restoration"]}
    j = list(FEATURES).index("area")
    lifts = {}
    for mix in (0.0, 0.3):
        m = Matcher(profile_area_mix=mix).fit(calls)
        rows, x = m.features(profile, TODAY)
        lifts[mix] = {m.calls_[i].id: x[k, j] for k, i in enumerate(rows)}
    assert lifts[0.3]["heritage-en"] > lifts[0.0]["heritage-en"]
    assert Matcher().fit(calls)._profile_areas(as_profile(profile)).sum() == pytest.approx(1.0)
