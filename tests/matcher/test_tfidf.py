"""Behaviour of the Matcher on small inline examples."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import numpy as np
import pytest
import scipy.sparse as sp

from grantmatch.models import Eligibility, GrantCall, Match, NgoProfile, PriorityArea
from matcher import Matcher, MatcherError, NotFittedError

TODAY = date(2027, 1, 10)


def ids(matches):
    return [m.call_id for m in matches]


def test_rank_before_fit_raises():
    with pytest.raises(NotFittedError, match="Matcher is not fitted; call fit"):
        Matcher().rank({"id": "x", "name": "X"})
    assert issubclass(NotFittedError, MatcherError)


def test_fit_returns_self_and_sets_learned_attributes(calls):
    m = Matcher()
    assert m.fit(calls) is m
    assert m.matrix_.shape[0] == len(calls)
    assert not hasattr(Matcher(), "matrix_")


def test_dict_and_model_input_give_the_same_ranking(calls, youth_profile):
    a = Matcher().fit(calls).rank(youth_profile, top=None, today=TODAY)
    b = Matcher().fit([GrantCall.from_dict(c) for c in calls]).rank(
        NgoProfile.from_dict(youth_profile), top=None, today=TODAY)
    assert ids(a) == ids(b)
    assert all(isinstance(x, Match) for x in a)


def test_ineligible_calls_never_appear(calls, youth_profile):
    got = ids(Matcher().fit(calls).rank(youth_profile, top=None, today=TODAY))
    assert "youth-muni" not in got        # municipalities only
    assert "youth-latgale" not in got     # another region
    assert "youth-closed" not in got      # deadline passed
    assert set(got) == {"youth-lv", "youth-en", "heritage-en", "sport-lv", "digital-en"}
    assert set(got[:2]) == {"youth-lv", "youth-en"}


def test_inflected_forms_match(calls):
    # "jauniešiem"/"jauniešu" in the call, "jaunieši" in the profile: the same lemma
    latvian_only = [c for c in calls if c["language"] == "lv"]
    profile = {"id": "p", "name": "P", "mission": "jaunieši", "legal_form": "association", "city": "Liepāja"}
    got = Matcher().fit(latvian_only).rank(profile, top=None, today=TODAY)
    assert got[0].call_id == "youth-lv"
    assert got[0].terms == ("jaunieši",)
    assert [m.call_id for m in got if m.terms] == ["youth-lv"]


def test_diacritics_are_matched_robustly(calls):
    profile = {"id": "p", "name": "P", "mission": "kulturas mantojums muzeji", "legal_form": "association",
               "city": "Liepaja"}
    got = Matcher().fit(calls).rank(profile, top=1, today=TODAY)
    assert got[0].call_id == "heritage-en"
    assert {f.name: f.outcome for f in got[0].facts}["geography"] == Eligibility.MET


def test_latvian_profile_finds_english_call(calls):
    profile = {"id": "p", "name": "P", "legal_form": "association", "city": "Rīga", "country": "LV",
               "mission": "Kultūras mantojums, muzeji un vēsturisko ēku restaurācija."}
    got = Matcher().fit(calls).rank(profile, top=1, today=TODAY)
    assert got[0].call_id == "heritage-en"


def test_explanations_name_real_terms_and_facts(calls, youth_profile):
    best = next(m for m in Matcher().fit(calls).rank(youth_profile, top=3, today=TODAY) if m.call_id == "youth-lv")
    p = youth_profile
    text = " ".join([p["name"], p["mission"], *p["activities"], *p["keywords"], *p["target_groups"]]).lower()
    assert best.terms and all(t.lower() in text for t in best.terms)
    assert best.area == PriorityArea.CHILDREN_YOUTH
    assert {f.name for f in best.facts} == {"applicant", "geography", "deadline"}
    assert all(f.outcome == Eligibility.MET for f in best.facts)
    assert best.days_left == 50


def test_explanations_show_a_sentence_initial_common_word_in_lower_case(calls):
    """A mission opens "Jaunieši ... Liepājā": the reason reads "jaunieši" (a common word, not a name),
    while the town keeps its capital."""
    profile = {"id": "p", "name": "P", "legal_form": "association", "city": "Liepāja",
               "mission": "Jaunieši Liepājā. Rīkojam nometnes."}
    got = Matcher().fit(calls).rank(profile, top=None, today=TODAY)
    youth = next(m for m in got if m.call_id == "youth-lv")
    assert "jaunieši" in youth.terms and "Jaunieši" not in youth.terms
    from matcher.text import display_word

    assert [display_word(w, "lv") for w in ("Biedrība", "Liepājā", "FOTAST", "Kurzemē")] == [
        "biedrība", "Liepājā", "FOTAST", "Kurzemē"]
    assert [display_word(w, "en") for w in ("Youth", "Europe", "Children")] == ["youth", "Europe", "children"]


def test_explanations_leave_out_words_most_calls_use():
    """'biedrība' is in every call: it says nothing about why the concerts call fits, so the reasons name
    the concerts; a profile that shares nothing else still gets its one word."""
    topics = ["koncerti", "sports", "mežs", "datori", "seniori", "bērni", "teātris", "muzejs"]
    calls = [{"id": f"c{i}", "source": "t", "url": "https://x.lv", "language": "lv", "title": f"Konkurss {i}",
              "summary": f"Biedrība var pieteikties. Atbalsta {topics[i % 8]} projektus {i}."} for i in range(24)]
    m = Matcher().fit(calls)
    best = m.rank({"id": "p", "name": "P", "mission": "Biedrība rīko koncertus."}, top=1, today=TODAY)[0]
    assert "koncertus" in best.terms and "biedrība" not in best.terms
    only = m.rank({"id": "p", "name": "P", "mission": "Biedrība."}, top=1, today=TODAY)[0]
    assert only.terms == ("biedrība",)


def test_unknown_facts_are_kept_with_a_check_note(calls):
    profile = {"id": "p", "name": "P", "legal_form": "association", "city": "Liepāja",
               "mission": "sporta sacensības senioriem"}
    got = Matcher().fit(calls).rank(profile, top=None, today=TODAY)
    sport = next(m for m in got if m.call_id == "sport-lv")
    assert {f.name: f.outcome for f in sport.facts}["applicant"] == Eligibility.UNKNOWN
    assert any("check" in r for r in sport.reasons)


def test_top_k_is_the_head_of_the_full_ranking(calls, youth_profile):
    m = Matcher().fit(calls)
    full = m.rank(youth_profile, top=None, today=TODAY)
    for k in (1, 2, 3, len(full) + 5):
        assert ids(m.rank(youth_profile, top=k, today=TODAY)) == ids(full)[:k]
    assert all(0.0 <= x.score <= 1.0 for x in full)  # a chance of a good fit
    assert [x.score for x in full] == sorted((x.score for x in full), reverse=True)


def test_top_k_from_the_re_ranked_calls_is_the_head_of_the_full_ranking(calls, youth_profile):
    m = Matcher(rerank_depth=2).fit(calls)  # only two calls get their per-field relevance
    full = m.rank(youth_profile, top=None, today=TODAY)
    assert len(full) > 2
    for k in (1, 2, 3):
        assert ids(m.rank(youth_profile, top=k, today=TODAY)) == ids(full)[:k]


def test_top_k_with_feedback_is_the_head_of_the_full_ranking():
    """A call marked relevant can climb from outside the few re-ranked calls: the top k still agree."""
    def call_(i):  # the same call, each with more filler: a strictly falling order c0 > c1 > ...
        return {"id": f"c{i}", "source": "t", "url": f"https://example.org/{i}", "title": "Jauniešu projektu konkurss",
                "summary": "Atbalsts jauniešu neformālās izglītības projektiem."
                + " Pieteikumus iesniedz tiešsaistē." * i,
                "language": "lv", "eligible_applicants": ["association"], "geography": ["LV"], "deadline": "2027-03-01"}

    profile = {"id": "p", "name": "Jauniešu biedrība", "mission": "Jauniešu neformālā izglītība",
               "legal_form": "association", "country": "LV"}
    m = Matcher(rerank_depth=3).fit([call_(i) for i in range(6)])
    plain = ids(m.rank(profile, top=None, today=TODAY))
    lifted = plain[4]  # outside the three re-ranked calls
    full = ids(m.rank(profile, top=None, today=TODAY, feedback={lifted: True}))
    assert full[0] == lifted
    for k in (1, 2):
        assert ids(m.rank(profile, top=k, today=TODAY, feedback={lifted: True})) == full[:k]


def test_title_grams_are_scikit_learns_bit_for_bit(calls, youth_profile):
    """The matcher's own char-gram TF-IDF (it spares every process the scikit-learn import) gives
    TfidfVectorizer's numbers exactly: fitted rows, idf, and a profile's query row."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from matcher.chargrams import CharGramTfidf
    from matcher.tfidf import profile_text

    titles = [c["title"] for c in calls] + ["ab ūdens-ūdens", "a", "Jauniešu  JAUNIEŠU\tjaunieši!"]
    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, dtype=np.float32)
    ours = CharGramTfidf(ngram_range=(3, 5))
    want, got = vec.fit_transform(titles).tocsr(), ours.fit_transform(titles)
    assert ours.vocabulary_ == vec.vocabulary_
    assert ours.idf_.dtype == vec.idf_.dtype and np.array_equal(ours.idf_, vec.idf_)
    for a, b in ((got, want),):
        assert a.dtype == b.dtype and a.shape == b.shape
        assert np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
        assert np.array_equal(a.data, b.data)
    for text in (profile_text(NgoProfile.from_dict(youth_profile)), "a ab abc  ūdens-ūdens\n\tAB", "", "zzzz"):
        want, got = vec.transform([text]), ours.transform(text)
        assert got.dtype == want.dtype and got.shape == want.shape
        assert np.array_equal(got.indices, want.indices) and np.array_equal(got.data, want.data)
    with pytest.raises(ValueError, match="empty vocabulary"):
        CharGramTfidf().fit_transform(["", "  "])


@pytest.mark.parametrize("chunk", [1 << 18, 7, 1])  # one step, and steps that end inside rows
def test_unit_rows_are_scikit_learns_bit_for_bit(chunk, monkeypatch):
    from sklearn.preprocessing import normalize

    from matcher import chargrams
    from matcher.chargrams import unit_rows

    monkeypatch.setattr(chargrams, "_CHUNK", chunk)

    rng = np.random.default_rng(7)
    for dtype in (np.float32, np.float64):
        m = sp.random(50, 40, density=0.2, format="lil", dtype=dtype, random_state=rng)
        m[0] = 0
        m[3] = 0  # an empty row stays empty (the first one too)
        m = m.tocsr()
        m.data *= 1000  # values far from 1: the rounding differs if the order of the sums does
        m.data[m.indptr[5]:m.indptr[6]] = 0  # so does a row of stored zeros
        want = normalize(m.copy(), norm="l2")
        got = unit_rows(m)
        assert got.dtype == dtype and np.array_equal(got.data, want.data)
        assert not np.isnan(got.data).any() and got[0].nnz == got[3].nnz == 0 and not got[5].data.any()


def test_fitting_and_loading_a_matcher_does_not_import_scikit_learn_or_pandas(tmp_path, calls, youth_profile):
    """Importing scikit-learn costs about a second, pandas 0.2 s: the weekly scrape job and every
    command that fits, loads or ranks a small corpus must not pay it."""
    code = (
        "import json, sys; from pathlib import Path; from datetime import date; "
        "from matcher import Matcher, persist; "
        f"calls = json.loads(Path({str(tmp_path / 'c.json')!r}).read_text()); "
        f"p = Path({str(tmp_path / 'ix.pkl')!r}); persist.save(Matcher().fit(calls), p); "
        "m = persist.load(p, persist.fingerprint(calls)); "
        f"m.rank(json.loads(Path({str(tmp_path / 'p.json')!r}).read_text()), "
        "top=5, today=date(2026, 12, 1)); "
        "print('sklearn' in sys.modules, 'pandas' in sys.modules, m.title_chars_ is not None)"
    )
    short = dict(calls[0], id="short", summary="")  # a title-only call: the char-gram part is fitted
    (tmp_path / "c.json").write_text(json.dumps([*calls, short]))
    (tmp_path / "p.json").write_text(json.dumps(youth_profile))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "True"]


def _en(id_, title, summary, **kw):
    rec = {"id": id_, "source": "t", "url": "https://example.org/" + id_, "title": title, "summary": summary,
           "language": "en", "eligible_applicants": ["association"], "geography": ["LV"], "deadline": "2027-06-01"}
    rec.update(kw)
    return rec


def test_a_phrase_counts_more_than_its_words_apart():
    calls = [
        _en("apart", "Grants", "Social work with families; inclusion of people in towns."),
        _en("phrase", "Grants", "Social inclusion of families; work with people in towns."),
    ]
    profile = {"id": "p", "name": "P", "mission": "social inclusion"}
    got = Matcher().fit(calls).rank(profile, top=None, today=TODAY)
    assert ids(got) == ["phrase", "apart"]
    assert "social inclusion" in got[0].terms
    assert ids(Matcher(bigram_weight=0).fit(calls).rank(profile, top=None, today=TODAY)) != ids(got) or \
        got[0].score > got[1].score


def test_english_forms_meet_through_word_variants():
    calls = [_en("museums", "Museums", "Support for museums."), _en("other", "Roads", "Support for roads.")]
    profile = {"id": "p", "name": "P", "mission": "museum"}
    got = Matcher().fit(calls).rank(profile, top=1, today=TODAY)
    assert got[0].call_id == "museums" and got[0].terms
    off = Matcher(variant_weight=0).fit(calls).rank(profile, top=None, today=TODAY)
    assert not any(x.terms for x in off)  # exact forms only: "museum" is not "museums"


def test_place_names_in_text_are_not_trees():
    calls = [
        _en("trees", "Liepu aleja", "Liepu stādīšana parkā un liepas kopšana.", language="lv"),
        _en("town", "Kopienas projekti", "Projekti Liepājā un Liepājas apkaimēs.", language="lv"),
    ]
    profile = {"id": "p", "name": "P", "mission": "Strādājam Liepājā."}
    got = Matcher().fit(calls).rank(profile, top=None, today=TODAY)
    assert got[0].call_id == "town"
    assert not next(x for x in got if x.call_id == "trees").terms


def test_long_calls_are_also_scored_by_their_best_passage():
    filler = " ".join(f"Sentence {i} is about road maintenance, asphalt and bridges." for i in range(60))
    long_call = _en("long", "Infrastructure programme", filler + " One part funds youth theatre festivals.")
    calls = [long_call, _en("theatre", "Theatre", "Grants for theatre buildings."),
             *(_en(f"s{i}", "Roads", "Asphalt and bridges.") for i in range(3))]
    m = Matcher().fit(calls)
    assert m.passages_ is not None and set(m.passage_owner_.tolist()) == {0}
    profile = {"id": "p", "name": "P", "mission": "youth theatre festivals"}

    def long_score(matcher):
        return next(x.score for x in matcher.rank(profile, top=None, today=TODAY) if x.call_id == "long")

    # without passages the long call's one matching sentence is drowned by the rest
    assert long_score(m) > long_score(Matcher(passage_weight=0).fit(calls)) * 1.2
    assert Matcher().fit(calls[1:]).passages_ is None  # short calls: no passages, no cost


def test_fused_priors_prefer_the_own_area_place_and_scale():
    base = dict(language="en", eligible_applicants=["association"], deadline="2027-06-01")
    calls = [
        _en("eu-big", "Youth projects", "Youth projects across Europe.", geography=["EU"], max_amount_eur=5_000_000,
            priority_areas=["children_youth"], **{k: v for k, v in base.items() if k != "language"}),
        _en("local", "Youth projects", "Youth projects across Europe.", geography=["Liepāja"], max_amount_eur=5000,
            priority_areas=["children_youth"]),
        _en("broad", "Youth projects", "Youth projects across Europe.", geography=["Liepāja"], max_amount_eur=5000,
            priority_areas=["children_youth", "culture", "social_health"]),
    ]
    profile = {"id": "p", "name": "P", "legal_form": "association", "city": "Liepāja", "country": "LV",
               "priority_area": "children_youth", "mission": "youth projects", "annual_budget_eur": 20000}
    assert ids(Matcher().fit(calls).rank(profile, top=None, today=TODAY)) == ["local", "broad", "eu-big"]


def test_empty_corpus_and_empty_profile_rank_without_errors(calls):
    assert Matcher().fit([]).rank({"id": "p", "name": "P"}, today=TODAY) == []
    got = Matcher().fit(calls).rank({"id": "p", "name": "P"}, top=None, today=TODAY)
    assert got and all(not x.terms for x in got)  # nothing to match on: eligible calls, no shared words


def _title_only(i, title):
    return {"id": f"t-{i}", "source": "test", "url": f"https://example.org/{i}", "title": title,
            "language": "en"}


def test_title_only_calls_match_word_forms_through_character_grams():
    # no word is shared with the profile as written: "photovoltaics" vs "photovoltaic", "wetlands" vs "wetland"
    calls = [_title_only(1, "Photovoltaics in rural houses"), _title_only(2, "Restoring coastal wetlands"),
             _title_only(3, "Opera and theatre touring")]
    profile = {"id": "p", "name": "Mitrāji", "mission": "We restore a coastal wetland ecosystem"}
    ranked = Matcher().fit(calls).rank(profile, top=None, today=TODAY)
    assert ids(ranked)[0] == "t-2"
    with_chars = {m.call_id: m.score for m in ranked}
    without = {m.call_id: m.score for m in Matcher(title_char_weight=0).fit(calls).rank(profile, top=None, today=TODAY)}
    assert with_chars["t-2"] > without["t-2"]  # the character grams lift the call with the other word form


def test_calls_with_text_are_not_scored_by_title_characters(calls, youth_profile):
    long_calls = [{**c, "summary": (c.get("summary") or c["title"]) + " " + "x" * 200} for c in calls]
    a = Matcher().fit(long_calls).rank(youth_profile, top=None, today=TODAY)
    b = Matcher(title_char_weight=0).fit(long_calls).rank(youth_profile, top=None, today=TODAY)
    assert [(m.call_id, m.score) for m in a] == [(m.call_id, m.score) for m in b]


def _related_calls():
    return [
        _title_only("research", "Research networks of universities in low carbon energy systems"),
        _title_only("sme", "Innovation potential of SMEs in low carbon energy systems"),
        _title_only("cso", "Civil society organisations for nature conservation"),
        _title_only("local", "Local authorities for nature conservation"),
        _title_only("other", "Opera and theatre touring"),
    ]


def test_a_company_meets_a_call_for_smes_through_related_terms():
    # the profile never says "SME"; the call never says "company"
    profile = {"id": "p", "name": "P", "mission": "Our company brings a low carbon energy system to market."}
    calls = _related_calls()
    on = Matcher().fit(calls).rank(profile, top=None, today=TODAY)
    off = Matcher(related_weight=0).fit(calls).rank(profile, top=None, today=TODAY)
    assert ids(on)[0] == "t-sme" and "company" in on[0].terms
    margin = [{m.call_id: m.score for m in got} for got in (on, off)]
    assert margin[0]["t-sme"] - margin[0]["t-research"] > margin[1]["t-sme"] - margin[1]["t-research"]
    assert not any("company" in m.terms for m in off)


@pytest.mark.parametrize("mission", [
    "Mūsu jaunuzņēmums izstrādā zema oglekļa enerģijas sistēmas.",
    "Jaunuzņēmums izstrādā zema oglekļa enerģijas sistēmas.",  # first word capitalised: not a name
])
def test_a_latvian_start_up_meets_a_call_for_smes(mission):
    profile = {"id": "p", "name": "P", "mission": mission}
    got = Matcher().fit(_related_calls()).rank(profile, top=None, today=TODAY)
    assert ids(got)[0] == "t-sme"
    assert next(w for w in mission.split() if "uzņēmums" in w) in got[0].terms  # the profile's own word


@pytest.mark.parametrize(("mission", "best"), [
    ("Biedrība dabas aizsardzībai Kurzemē.", "t-cso"),
    ("Novada pašvaldība: dabas aizsardzība Kurzemē.", "t-local"),
])
def test_latvian_applicant_kinds_meet_their_english_names(mission, best):
    profile = {"id": "p", "name": "P", "mission": mission}
    assert ids(Matcher().fit(_related_calls()).rank(profile, top=1, today=TODAY)) == [best]


def test_related_terms_count_once_per_profile():
    calls = _related_calls()
    m = Matcher().fit(calls)
    once = {"id": "p", "name": "P", "mission": "Our company: low carbon energy."}
    often = {**once, "keywords": ["company", "company growth"], "activities": ["company visits"]}
    sme = m.vocabulary_["smes"]
    weights = [m._query(NgoProfile.from_dict(p))[0].get(sme, 0.0) for p in (once, often)]
    assert weights[0] == weights[1] > 0


def test_hyphenated_words_meet_their_parts():
    calls = [_en("parts", "Low carbon heating", "Heating of homes with low carbon sources."),
             _en("other", "Heating", "Heating of homes with gas.")]
    profile = {"id": "p", "name": "P", "mission": "low-carbon heating"}
    got = Matcher().fit(calls).rank(profile, top=None, today=TODAY)
    assert ids(got)[0] == "parts"
    off = Matcher(hyphen_weight=0).fit(calls).rank(profile, top=None, today=TODAY)
    assert {m.call_id: m.score for m in got}["parts"] > {m.call_id: m.score for m in off}["parts"]
