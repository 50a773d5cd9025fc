"""The Matcher: eligibility first, then Latvian-aware text relevance fused with area, place and scale.

sklearn-style: ``__init__`` only stores parameters, ``fit(calls)`` learns attributes ending in ``_``,
``rank(profile, top, today)`` returns :class:`~grantmatch.models.Match` objects, best first.

How a call is scored for a profile
----------------------------------
1. Eligibility (vectorised over all calls): applicant type, geography (place hierarchy) and
   deadline. A missed fact removes the call; unknown ones keep it with a "check" note.
2. Text relevance: cosine of sublinear TF-IDF over keys (Latvian lemmas, folded; English words as
   written) and adjacent key pairs, the title counted three times. The profile's fields are weighted
   (keywords > activities, target groups > mission); the query is expanded through the bilingual
   glossary (a Latvian profile finds English calls), through related terms for the kind of
   applicant (a "company" meets calls for "SMEs"; once per profile), to the parts of hyphenated
   words and to the other forms of English words. Only the query's columns are touched (CSC
   column slice). Long calls also count their best passage.
3. Fusion: a logistic model of "good fit" over the whole-profile relevance, each field's own
   relevance (for the best ``rerank_depth`` calls), the call's area (source tags and text), how many
   areas it is tagged with, how close its area is to the organisation, whether it says who may
   apply, research-consortium wording and grant size against the organisation's budget. The score
   shown is that model's probability.
4. Feedback (optional): Rocchio update of the query from calls marked relevant / not relevant, and
   the marked calls themselves moved up or down.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date

import numpy as np
import scipy.sparse as sp

from grantmatch.models import (
    PRIORITY_AREA_KEYS,
    ApplicantType,
    Eligibility,
    EligibilityFact,
    GrantCall,
    Match,
    NgoProfile,
    PriorityArea,
)
from matcher import eligibility
from matcher.areas import AreaModel
from matcher.chargrams import CharGramTfidf, unit_rows
from matcher.eligibility import as_call, as_profile
from matcher.errors import MatcherError, NotFittedError
from matcher.glossary import TRANSLATION, Glossary
from matcher.places import Places, default_places
from matcher.text import Analyzer, display_word, english_family, guess_language
from matcher.vectorize import count_terms

_NO_DEADLINE = np.iinfo(np.int32).max


# Words that mark a call for research consortia or large institutions rather than a small NGO.
_SCALE_WORDS = ("consortium", "consortia", "horizon", "h2020", "ria", "csa", "edf", "defence", "eic", "erc",
                "msca", "trl", "procurement", "tender", "konsorcijs")


# How close a call's area is to the organisation, by the kind of place that covers it.
_CLOSENESS = {"city": 1.0, "town": 1.0, "municipality": 0.9, "region": 0.8, "programme_area": 0.6,
              "country": 0.6, "area": 0.35, "union": 0.15}

_GENERIC_SHARE = 0.4  # see Matcher._generic_idf

_TYPICAL_BUDGET = 50_000.0  # EUR a year: a small Latvian NGO, when the profile does not say

# The fused score's features: ``rank``'s logit is ``bias`` plus each feature times its weight, the
# parameter named here (``part_weights[name]`` for the per-field relevances). Penalties enter as negative
# values, so a weight fitted by ``matcher.tune`` reads as the parameter's value.
FEATURES = {
    "text": "text_weight", "area": "area_weight", "tag": "tag_weight", "geo": "geo_weight",
    "applicant": "applicant_weight", "breadth": "breadth_weight", "unstated": "unstated_weight",
    "scale": "scale_weight", "amount": "amount_weight", "title_chars": "title_char_weight",
    "mission": "part_weights", "activities": "part_weights", "target_groups": "part_weights",
    "keywords": "part_weights",
}

_SMALL_ORGS = (ApplicantType.ASSOCIATION, ApplicantType.FOUNDATION, ApplicantType.RELIGIOUS_ORG,
               ApplicantType.INFORMAL_GROUP)


class Matcher:
    """Ranks grant calls for an NGO profile.

    Parameters
    ----------
    title_weight : float, default=3.0
        How many times a title word counts against a body word.
    k1, b : float, default=1.2, 0.75
        BM25 term saturation and length normalisation.
    field_weights : dict or None
        Weights of the profile fields ``name``, ``mission``, ``activities``, ``target_groups``,
        ``keywords`` in the query.
    expansion_weight : float, default=1.0
        Weight of glossary translations against the profile's own words.
    related_weight : float, default=5.0
        Weight of related terms (``data/related.tsv``: other words for the same kind of applicant,
        "company" -> "SMEs", "biedrība" -> "civil society organisation") in the whole-profile query.
        Counted once per profile, however often and in whichever fields the profile says it: the
        kind of organisation is one fact, but a strong one (a mission word counts 1 per mention).
        0 turns it off.
    hyphen_weight : float, default=0.5
        A hyphenated word also counts as its parts and their pair ("low-carbon" -> "low carbon"),
        and two adjacent words as their compound when the calls write it, at this weight.
    area_weight : float, default=0.82
        Lift for a call in the profile's main area (times the call's area score, 0..1).
    profile_area_mix : float, default=0.3
        Share of the area lift (and ``tag_weight``) that follows the areas the profile's own words fit
        (spread over them by fit) rather than its declared main area. Profiles without a main area
        get no area lift.
    geo_weight : float, default=1.38
        Lift for a call whose area is the profile's own town (less for region, country, Europe).
    scale_weight : float, default=0.79
        Penalty for calls that read as research consortia (small organisations only).
    feedback_weights : tuple of float, default=(0.5, 0.3)
        Rocchio beta (relevant) and gamma (not relevant).
    weighting : {"tfidf", "bm25"}, default="tfidf"
        Call term weights: sublinear TF-IDF with unit-length rows (cosine), or BM25.
    applicant_weight : float, default=0.0
        Lift for a call that names the profile's legal form among its applicants.
    amount_weight : float, default=1.35
        Penalty per tenfold that a call's grant size exceeds the organisation's yearly budget
        (small organisations only; at most three tenfolds).
    untagged_area_factor : float, default=1.0
        For a call its source tagged with areas, how much the text-based score of other areas counts.
    bigram_weight : float, default=1.0
        Weight of word pairs (adjacent keys) against single words; 0 turns bigrams off.
    bigram_min_df : int, default=1
        Word pairs found in fewer calls are not indexed (memory at large corpora).
    query_idf_power : float, default=0.3
        The query's words are weighted by idf to this power (the calls' words carry idf once already;
        a full second idf lets one rare profile word outweigh the profile's main topic words: 0.3
        raised dev nDCG@10 on both the shared eval set and cordis full text, see the git log).
    variant_weight : float, default=0.5
        English words are indexed as written; the query also looks for the word's other forms
        (singular/plural, dictionary lemma) at this weight. 0 turns it off.
    text_weight : float, default=2.17
        Weight of the whole profile's text relevance (cosine, scaled so the best eligible call is 1).
    part_weights : dict or None
        Weights of each field's own text relevance (same scaling): ``mission`` 0.63, ``activities``
        0.58, ``target_groups`` 1.24, ``keywords`` 2.27 by default. A call that matches what the
        organisation says it does and for whom counts more than one that shares mission wording.
    tag_weight : float, default=0.98
        Lift for a call its source tagged with the profile's main area.
    breadth_weight : float, default=1.28
        Penalty per extra area a call is tagged with (a call for everything fits nobody in particular).
    unstated_weight : float, default=1.32
        Penalty for a call that does not say who may apply.
    bias : float, default=-5.24
        Constant of the score; ``score`` is the logistic of the sum, an estimate of the chance the
        call is a good fit (grade 2 or 3).
    passage_weight, passage_sentences, passage_min_chars : float, int, int, default=0.3, 3, 2500
        Calls whose text is at least ``passage_min_chars`` long are also cut into passages of
        ``passage_sentences`` sentences (half overlapping); their text relevance is blended with their
        best passage's at ``passage_weight``. 0 turns it off.
    rerank_depth : int, default=300
        The per-field relevances are computed for this many best eligible calls (by everything else).
    title_char_weight, short_text_chars : float, int, default=2.0, 200
        Calls whose text (summary) is shorter than ``short_text_chars`` are little more than a title:
        for them, the cosine of character 3-5-gram TF-IDF (within words) of the title against the
        whole profile is added at this weight (scaled so the best eligible such call is 1). Few shared
        words, but shared word stems and inflections (Latvian cases, English plurals) still count.
        0 turns it off.

    Notes
    -----
    The score's features are :data:`FEATURES` (:meth:`features` computes them for ``rank`` and for the
    refit); ``grantmatch tune`` (``matcher/tune.py``) refits their weights and prints
    leave-one-profile-out nDCG@10 against the current ones.
    The default weights are a logistic regression of "good fit" (grade >= 2) on these features over
    the development set's judged profiles (shared/eval, 15 organisations); leave-one-organisation-out
    nDCG@10 of the fused ranking was 0.83 against 0.80 for the earlier hand-set weights.
    Refit after ``query_idf_power`` 0.3 and the title char-gram feature (same features and labels,
    unjudged eligible calls as grade 0, L2 C from 0.1 to 100, ``title_char_weight`` held at 2.0 since
    the dev set has no title-only calls): leave-one-organisation-out nDCG@10 0.83-0.84, in-sample at
    most 0.845, cordis titles dev 0.287 -> 0.284 and unstable signs (applicant, mission). That is no
    gain over these weights (0.840 on the dev set), so they were kept. The text weighting matches
    scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` (smooth idf ``ln((1+n)/(1+df))+1``, l2 rows);
    measured on dev: no English stop words (sklearn's default) cordis full 0.837 -> 0.793, sklearn's
    English list titles 0.287 -> 0.277, unsmoothed idf dev set 0.840 -> 0.834: the current choices stay.

    Every other idea measured on the development sets, with its figures (about 120: title-only
    calls, long queries, related terms, term neighbours, self-supervised term weights, ...), is
    recorded in ``docs/matcher-experiments.md``; read it before trying a new one.
    """

    def __init__(
        self,
        title_weight: float = 3.0,
        k1: float = 1.2,
        b: float = 0.75,
        field_weights: dict[str, float] | None = None,
        expansion_weight: float = 1.0,
        related_weight: float = 5.0,
        hyphen_weight: float = 0.5,
        area_weight: float = 0.82,
        geo_weight: float = 1.38,
        scale_weight: float = 0.79,
        feedback_weights: tuple[float, float] = (0.5, 0.3),
        weighting: str = "tfidf",
        applicant_weight: float = 0.0,
        amount_weight: float = 1.35,
        untagged_area_factor: float = 1.0,
        bigram_weight: float = 1.0,
        bigram_min_df: int = 1,
        query_idf_power: float = 0.3,
        variant_weight: float = 0.5,
        text_weight: float = 2.17,
        part_weights: dict[str, float] | None = None,
        tag_weight: float = 0.98,
        breadth_weight: float = 1.28,
        unstated_weight: float = 1.32,
        bias: float = -5.24,
        passage_weight: float = 0.3,
        passage_sentences: int = 3,
        passage_min_chars: int = 2500,
        rerank_depth: int = 300,
        title_char_weight: float = 2.0,
        short_text_chars: int = 200,
        profile_area_mix: float = 0.3,
    ) -> None:
        self.title_weight = title_weight
        self.k1 = k1
        self.b = b
        self.field_weights = field_weights
        self.expansion_weight = expansion_weight
        self.related_weight = related_weight
        self.hyphen_weight = hyphen_weight
        self.area_weight = area_weight
        self.geo_weight = geo_weight
        self.scale_weight = scale_weight
        self.feedback_weights = feedback_weights
        self.weighting = weighting
        self.applicant_weight = applicant_weight
        self.amount_weight = amount_weight
        self.untagged_area_factor = untagged_area_factor
        self.bigram_weight = bigram_weight
        self.bigram_min_df = bigram_min_df
        self.query_idf_power = query_idf_power
        self.variant_weight = variant_weight
        self.text_weight = text_weight
        self.part_weights = part_weights
        self.tag_weight = tag_weight
        self.breadth_weight = breadth_weight
        self.unstated_weight = unstated_weight
        self.bias = bias
        self.passage_weight = passage_weight
        self.passage_sentences = passage_sentences
        self.passage_min_chars = passage_min_chars
        self.rerank_depth = rerank_depth
        self.title_char_weight = title_char_weight
        self.short_text_chars = short_text_chars
        self.profile_area_mix = profile_area_mix

    # ------------------------------------------------------------------ fitting

    def fit(self, calls: Iterable[GrantCall | Mapping]) -> Matcher:
        """Index ``calls``; returns self."""
        calls = [as_call(c) for c in calls]
        ids = [c.id for c in calls]
        if len(set(ids)) != len(ids):
            dup = next(i for i, n in Counter(ids).items() if n > 1)
            raise MatcherError(f"matcher.fit: expected unique call ids, found {dup!r} more than once")
        if self.weighting not in ("tfidf", "bm25"):
            raise MatcherError(f"Matcher: weighting expected 'tfidf' or 'bm25', found {self.weighting!r}")
        analyzer = Analyzer()
        self.analyzer_ = analyzer
        self.glossary_ = Glossary.load(analyzer)
        self.areas_ = AreaModel(analyzer, self.glossary_)
        self.places_: Places = default_places()
        self.calls_ = calls
        self.index_ = {c.id: i for i, c in enumerate(calls)}

        langs = [c.language or guess_language(c.text) for c in calls]
        counts = count_terms(
            [(c.title, c.programme or "", c.summary) for c in calls],  # no joined copies of the texts
            (self.title_weight, 1.0, 1.0),
            langs,
            analyzer,
            bigrams=self.bigram_weight > 0,
            bigram_min_df=self.bigram_min_df,
        )
        self.vocabulary_ = counts.vocabulary
        self.surfaces_ = counts.surfaces
        self.bigram_codes_ = counts.bigram_codes
        tf = counts.unigrams
        self.n_unigrams_ = tf.shape[1]
        self.variants_ = self._fit_variants(counts.languages) if self.variant_weight > 0 else {}
        self.tagged_ = _source_tags(calls)
        self.area_matrix_ = self._fit_areas(tf)
        self.area_cols_ = np.ascontiguousarray(self.area_matrix_.T)  # one contiguous vector per area
        breadth = np.maximum(self.tagged_.sum(axis=0) - 1.0, 0.0)
        self._fit_eligibility(calls)
        self._fit_priors(calls, tf)
        # the penalty features as they enter the score (negative), once, not per ranking
        self.penalties_ = {name: -np.asarray(x, dtype=np.float32) for name, x in (
            ("breadth", breadth), ("unstated", ~self.applicant_stated_), ("scale", self.scale_penalty_))}
        if counts.bigrams is not None and counts.bigrams.shape[1]:
            tf = sp.hstack([tf, counts.bigrams], format="csr", dtype=np.float32)
        del counts
        self.matrix_, self.rows_, self.idf_ = self._weigh(tf)
        self._fit_passages(calls, langs)
        self._fit_title_chars(calls)
        self._glossary_keys = {k for phrase in self.glossary_.map for k in phrase}
        analyzer._cache.clear()  # the fit's distinct words; queries fill it again with their own
        return self

    def _fit_passages(self, calls: list[GrantCall], langs: list[str]) -> None:
        """Long calls (work-programme topics, multi-page announcements) are also cut into overlapping
        passages of a few sentences, indexed in the same terms and idf; a call's text relevance then
        also counts its best passage, so a profile that matches one part of a long call is not
        drowned by the rest. Short calls have no passages (no cost at scale)."""
        texts: list[tuple[str, str]] = []
        owner: list[int] = []
        p_langs: list[str] = []
        win = self.passage_sentences
        for i, c in enumerate(calls):
            if not win or len(c.summary) < self.passage_min_chars:
                continue
            sents = [x for x in _SENTENCE_END.split(c.summary) if x.strip()]
            step = max(win // 2, 1)
            for start in range(0, len(sents), step):
                texts.append((c.title, " ".join(sents[start:start + win])))  # each passage under its title
                owner.append(i)
                p_langs.append(langs[i])
                if start + win >= len(sents):
                    break
        self.passage_owner_ = np.asarray(owner, dtype=np.int64)
        if not texts:
            self.passages_ = None
            return
        counts = count_terms(texts, (self.title_weight, 1.0), p_langs, self.analyzer_, bigrams=self.bigram_weight > 0,
                             fixed=(self.vocabulary_, self.bigram_codes_))
        tf = counts.unigrams
        if counts.bigrams is not None and counts.bigrams.shape[1]:
            tf = sp.hstack([tf, counts.bigrams], format="csr", dtype=np.float32)
        tf.data = (1 + np.log(tf.data)) * self.idf_[tf.indices]
        if self.bigram_weight != 1.0:
            tf.data[tf.indices >= self.n_unigrams_] *= self.bigram_weight
        self.passages_ = unit_rows(tf).tocsc()
        self.passage_starts_ = np.flatnonzero(np.r_[True, np.diff(self.passage_owner_) != 0])
        self.passage_calls_ = self.passage_owner_[self.passage_starts_]

    def _fit_title_chars(self, calls: list[GrantCall]) -> None:
        """Character n-gram TF-IDF of the titles of calls that have (almost) no other text."""
        self.short_calls_ = np.flatnonzero([len(c.summary) < self.short_text_chars for c in calls])
        self.title_chars_ = None
        if self.title_char_weight <= 0 or not len(self.short_calls_):
            return
        vec = CharGramTfidf(ngram_range=(3, 5))
        try:
            self.title_chars_ = (vec, vec.fit_transform([calls[i].title for i in self.short_calls_]))
        except ValueError:  # titles without a single 3-character word part
            self.title_chars_ = None

    def _title_char_scores(self, profile: NgoProfile, ok: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """(call rows, char-gram title cosine scaled so the best eligible one is 1) of the short calls."""
        tc = getattr(self, "title_chars_", None)  # matchers saved before this feature have none
        if tc is None:
            return None
        vec, mat = tc
        q = vec.transform(profile_text(profile))
        if not q.nnz:
            return None
        sims = np.asarray((mat @ q.T).todense(), dtype=np.float32).ravel()
        rows = self.short_calls_
        eligible = sims[ok[rows]]
        top = float(eligible.max()) if len(eligible) else 0.0
        if top <= 0:
            return None
        return rows, sims / np.float32(top)

    def _passage_best(self, cols: np.ndarray, w: np.ndarray) -> np.ndarray | None:
        """Best passage cosine of each call that has passages (aligned with ``passage_calls_``)."""
        if getattr(self, "passages_", None) is None:
            return None
        ps = np.asarray(self.passages_[:, cols] @ w, dtype=np.float32).ravel()
        return np.maximum.reduceat(ps, self.passage_starts_)

    def _fit_variants(self, languages: Mapping[str, np.ndarray]) -> dict[str, tuple[str, ...]]:
        """English word family (lemma or singular) -> the forms of it that are indexed (words of
        calls that are not in Latvian only)."""
        families: dict[str, list[str]] = {}
        non_lv = np.zeros(len(self.vocabulary_), dtype=bool)
        for lang, seen in languages.items():
            if lang != "lv":
                non_lv |= seen
        flags = non_lv.tolist()
        for k, j in self.vocabulary_.items():
            if not flags[j]:
                continue
            base = english_family(k)
            if base is not None:
                families.setdefault(base, []).append(k)
        for base, forms in families.items():
            if base in self.vocabulary_:
                forms.append(base)
        return {base: tuple(forms) for base, forms in families.items()}

    def _weigh(self, tf: sp.csr_matrix) -> tuple[sp.csc_matrix, sp.csr_matrix, np.ndarray]:
        """(CSC for query columns, CSR rows, idf) of the weighted call-term matrix."""
        n, v = tf.shape
        df = np.bincount(tf.indices, minlength=v).astype(np.float64)
        data = tf.data.astype(np.float32, copy=False)
        if self.weighting == "bm25":
            idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
            lengths = np.asarray(tf[:, : self.n_unigrams_].sum(axis=1)).ravel()
            avg = lengths.mean() if n else 1.0
            row_len = np.repeat(lengths, np.diff(tf.indptr)).astype(np.float32)
            w = data * (self.k1 + 1) / (data + self.k1 * (1 - self.b + self.b * row_len / max(avg, 1e-9)))
            w *= idf[tf.indices]
        else:
            idf = (np.log((1 + n) / (1 + df)) + 1).astype(np.float32)
            w = np.log(data, out=data)  # in place (no copies of 20M weights): the counts are not needed again
            w += 1
            w *= idf[tf.indices]
        tf.data = w.astype(np.float32, copy=False)  # weigh in place: the counts are not needed again
        weighted = tf
        if self.bigram_weight > 0 and v > self.n_unigrams_ and self.bigram_weight != 1.0:
            scale = np.ones(v, dtype=np.float32)
            scale[self.n_unigrams_:] = self.bigram_weight
            weighted.data *= scale[weighted.indices]
        if self.weighting == "tfidf":
            weighted = unit_rows(weighted)
        csc = weighted.tocsc()
        csc.sort_indices()
        return csc, weighted, idf

    def _fit_areas(self, tf: sp.csr_matrix) -> np.ndarray:
        """Area scores of every call: cosine of its sublinear term counts with each area's descriptors."""
        vocab = self.vocabulary_
        a_rows, a_cols, a_vals = [], [], []
        for key, entries in self.areas_.term_index.items():
            j = vocab.get(key)
            if j is not None:
                for a_i, x in entries:
                    a_rows.append(j)
                    a_cols.append(a_i)
                    a_vals.append(x)
        n_areas = len(PRIORITY_AREA_KEYS)
        area_vec = sp.csr_matrix((a_vals, (a_rows, a_cols)), shape=(tf.shape[1], n_areas))
        sub = unit_rows(sp.csr_matrix((1 + np.log(tf.data), tf.indices, tf.indptr), shape=tf.shape))
        out = np.minimum(1.0, np.asarray((sub @ area_vec).todense(), dtype=np.float32) / 0.25)
        tagged = self.tagged_.T > 0  # the source's tags are authoritative
        out[tagged.any(axis=1)] *= self.untagged_area_factor
        out[tagged] = 1.0
        return out

    def _fit_eligibility(self, calls: list[GrantCall]) -> None:
        n = len(calls)
        self.deadline_ = np.array(
            [c.deadline.toordinal() if c.deadline else _NO_DEADLINE for c in calls], dtype=np.int64
        )
        # calls share a few applicant lists: each list's facts once, then one gather per fact
        lists: dict[tuple, int] = {}
        lid = np.fromiter((lists.setdefault(c.eligible_applicants, len(lists)) for c in calls), dtype=np.int64, count=n)
        self.applicant_stated_ = np.array([bool(x) for x in lists], dtype=bool)[lid]
        self.applicant_mask_ = {a.value: np.array([a in x for x in lists], dtype=bool)[lid] for a in ApplicantType}
        groups: dict[tuple[str, ...], int] = {}
        self.geo_group_ = np.fromiter((groups.setdefault(c.geography, len(groups)) for c in calls), dtype=np.int32,
                                      count=n)
        self.geo_groups_ = list(groups)

    def _fit_priors(self, calls: list[GrantCall], tf: sp.csr_matrix) -> None:
        """Per-call scale signals: research-consortium words (from the counted keys) and grant size."""
        an = self.analyzer_
        cols = sorted({self.vocabulary_[k] for w in _SCALE_WORDS for k in [an.key(w, "en") or an.key(w, "lv")]
                       if k is not None and k in self.vocabulary_})
        hits = np.zeros(len(calls), dtype=np.float32)
        if cols:
            sub = tf[:, cols].tocsr()
            sub.data = np.minimum(sub.data, 2.0)  # one word repeated is not three signals
            hits = np.asarray(sub.sum(axis=1), dtype=np.float32).ravel()
        self.scale_penalty_ = np.minimum(1.0, hits / 3.0).astype(np.float32)
        self.max_amount_ = np.array([c.max_amount_eur or c.min_amount_eur or np.nan for c in calls])
        with np.errstate(divide="ignore"):
            self.log_amount_ = np.log10(np.nan_to_num(self.max_amount_, nan=0.0)).astype(np.float32)

    def _check_fitted(self) -> None:
        if not hasattr(self, "matrix_"):
            raise NotFittedError("Matcher is not fitted; call fit(calls) first")

    # ------------------------------------------------------------------ queries

    def _fields(self) -> dict[str, float]:
        base = {"name": 0.0, "mission": 1.0, "activities": 1.2, "target_groups": 1.2, "keywords": 3.0}
        if self.field_weights:
            base.update(self.field_weights)
        return base

    def _query(self, profile: NgoProfile) -> tuple[dict[int, float], dict[str, str], dict[int, str]]:
        """Query weights by term index, key -> user's word, and term index -> display word."""
        q, _parts, display, disp = self._queries(profile)
        return q, display, disp

    def _part_weights(self) -> dict[str, float]:
        base = {"mission": 0.63, "activities": 0.58, "target_groups": 1.24, "keywords": 2.27}
        if self.part_weights:
            base.update(self.part_weights)
        return {k: v for k, v in base.items() if v}

    def _queries(self, profile: NgoProfile):
        """The whole query, one query per profile field (by term index), key -> user's word, and
        term index -> display word."""
        fw = self._fields()
        texts = {
            "name": [profile.name],
            "mission": [profile.mission],
            "activities": list(profile.activities),
            "target_groups": list(profile.target_groups),
            "keywords": list(profile.keywords),
        }
        display: dict[str, str] = {}
        bigram_disp: dict[tuple[str, str], str] = {}
        raw: dict[str, tuple[dict[str, float], dict[tuple[str, str], float]]] = {}
        related: dict[str | tuple[str, str], float] = {}
        for field_name, items in texts.items():
            w = fw.get(field_name, 0.0)
            if w > 0:
                raw[field_name] = self._field_query(items, w, display, bigram_disp, related)
        total: dict[str, float] = {}
        total_pairs: dict[tuple[str, str], float] = {}
        for weights, pairs in raw.values():
            for k, v in weights.items():
                total[k] = total.get(k, 0.0) + v
            for k, v in pairs.items():
                total_pairs[k] = total_pairs.get(k, 0.0) + v
        # related terms join the whole-profile query only: a field's own relevance ranks what the
        # organisation says there, not the kind of organisation it is
        for k, v in related.items():
            target = total_pairs if isinstance(k, tuple) else total
            target[k] = target.get(k, 0.0) + v
        pair_cols = self._bigram_lookup(set(total_pairs) | set(bigram_disp))  # one vectorised lookup
        q = self._columns(total, total_pairs, pair_cols)
        parts = {name: self._columns(*raw[name], pair_cols) for name in self._part_weights() if name in raw}
        vocab = self.vocabulary_
        disp: dict[int, str] = {}
        for k in total:
            j = vocab.get(k)
            if j is not None:
                disp[j] = display.get(k, k)
        for pair, text in bigram_disp.items():
            j = pair_cols.get(pair)
            if j is not None:
                disp[j] = text
        return q, parts, display, disp

    def _field_query(self, items: list[str], w: float, display: dict[str, str],
                     bigram_disp: dict[tuple[str, str], str],
                     related: dict[str | tuple[str, str], float] | None = None,
                     ) -> tuple[dict[str, float], dict[tuple[str, str], float]]:
        """Key weights and adjacent-key-pair weights of one profile field (translations and word
        variants added). Related terms go to ``related`` (key or key pair -> weight, the largest
        over all fields and items) when given, else they are left out."""
        an = self.analyzer_
        vocab = self.vocabulary_
        weights: dict[str, float] = {}
        expanded: dict[str, float] = {}
        expanded_item: dict[str, float] = {}
        bigram_w: dict[tuple[str, str], float] = {}
        for item in items:
            if not item:
                continue
            lang = guess_language(item)
            pairs = [(k, word) if k in vocab else (self._known_key(k, word, lang) or k, word)
                     for k, word in an.key_words(item, lang)]
            ks = [k for k, _ in pairs]
            shown = [display_word(word, lang) for _, word in pairs]  # "Biedrība ..." -> "biedrība"
            for k, word in zip(ks, shown, strict=True):
                display.setdefault(k, word)
            for k in ks:
                weights[k] = weights.get(k, 0.0) + w
            if self.hyphen_weight > 0:
                self._hyphen_terms(pairs, lang, self.hyphen_weight * w, weights, bigram_w)
            for i, pair in enumerate(zip(ks, ks[1:], strict=False)):
                bigram_w[pair] = bigram_w.get(pair, 0.0) + w
                bigram_disp.setdefault(pair, f"{shown[i]} {shown[i + 1]}")
            for (i, j), dst, kind in self.glossary_.spans(ks):
                src_word = " ".join(shown[i:j])
                # a translation is never worth more than the words it translates: cap its idf
                src_idf = [float(self.idf_[vocab[k]]) for k in ks[i:j] if k in vocab]
                cap = sum(src_idf) / len(src_idf) if src_idf else None
                if kind != TRANSLATION:
                    if related is not None and self.related_weight > 0:
                        self._related_terms(dst, cap, ks, src_word, related, display, bigram_disp)
                    continue
                for k in dst:
                    jk = vocab.get(k)
                    if jk is None or k in ks:
                        continue
                    ratio = 1.0 if cap is None else min(1.0, cap / max(float(self.idf_[jk]), 1e-6))
                    # a translation counts once per item, however many entries lead to it
                    expanded_item[k] = max(expanded_item.get(k, 0.0), ratio * w / math.sqrt(len(dst)))
                    display.setdefault(k, src_word)
            for k, v in expanded_item.items():
                expanded[k] = expanded.get(k, 0.0) + v
            expanded_item.clear()
        for k, v in expanded.items():
            weights[k] = weights.get(k, 0.0) + self.expansion_weight * v
        self._add_variants(weights, display)
        return weights, bigram_w

    def _hyphen_terms(self, pairs: list[tuple[str, str]], lang: str, w: float, weights: dict[str, float],
                      bigram_w: dict[tuple[str, str], float]) -> None:
        """Hyphenated words also as their parts ("low-carbon" -> "low", "carbon", "low carbon") and
        adjacent words also as the compound the calls write ("low carbon" -> "low-carbon"), at ``w``."""
        an = self.analyzer_
        for k, word in pairs:
            if "-" not in k:
                continue
            parts = [p for p in (an.key(x, lang) for x in word.split("-") if x) if p]
            for p in parts:
                weights[p] = weights.get(p, 0.0) + w
            for pair in zip(parts, parts[1:], strict=False):
                bigram_w[pair] = bigram_w.get(pair, 0.0) + w
        for (k1, _), (k2, _) in zip(pairs, pairs[1:], strict=False):
            compound = f"{k1}-{k2}"
            if compound in self.vocabulary_:
                weights[compound] = weights.get(compound, 0.0) + w

    def _add_variants(self, weights: dict[str, float], display: dict[str, str]) -> None:
        """English words keep their form in the index: let the query meet the others."""
        if not self.variants_:
            return
        for k, v in list(weights.items()):
            for other in self.variants_.get(english_family(k) or k, ()):
                if other != k:
                    weights[other] = weights.get(other, 0.0) + self.variant_weight * v
                    display.setdefault(other, display.get(k, k))

    def _related_terms(self, dst: tuple[str, ...], cap: float | None, own: list[str], src_word: str,
                       related: dict[str | tuple[str, str], float], display: dict[str, str],
                       bigram_disp: dict[tuple[str, str], str]) -> None:
        """Add one related phrase to ``related`` (largest weight kept). A phrase of several words
        counts as its word pairs: "local authority" must not bring in every call that says "local"."""
        vocab = self.vocabulary_
        if len(dst) == 1:
            forms = {dst[0]: 1.0}
            self._add_variants(forms, {})  # the word's other English forms too (SME, SMEs)
            terms: list = [(k, v) for k, v in forms.items() if k in vocab and k not in own]
        else:
            terms = []
            for a, b in zip(dst, dst[1:], strict=False):
                for b2 in {b, *self.variants_.get(english_family(b) or b, ())}:
                    if a in vocab and b2 in vocab:
                        terms.append(((a, b2), 1.0 if b2 == b else self.variant_weight))
        n = max(len(dst) - 1, 1)
        for term, share in terms:
            cols = term if isinstance(term, tuple) else (term,)
            idf = max(float(self.idf_[vocab[k]]) for k in cols)
            ratio = 1.0 if cap is None else min(1.0, cap / max(idf, 1e-6))
            v = self.related_weight * ratio * share / math.sqrt(n)
            if v > related.get(term, 0.0):
                related[term] = v
            if isinstance(term, tuple):
                bigram_disp.setdefault(term, src_word)
            else:
                display.setdefault(term, src_word)

    def _known_key(self, key: str, word: str, lang: str) -> str | None:
        """Another key of ``word`` that the index or the glossary knows, for a word whose own key
        ``key`` the index does not: a capitalised word the analyzer kept as a name (a sentence's
        first word: "Jaunuzņēmums izstrādā ...") in lower case, then the other language's key
        (short texts without diacritics may be guessed wrong)."""
        an = self.analyzer_
        if word[:1].isupper() and self._other_key(key) is None:
            low = self._other_key(an.key(word.lower(), lang))
            if low is not None:
                return low
        return self._other_key(an.key(word, "en" if lang == "lv" else "lv"))

    def _other_key(self, key: str | None) -> str | None:
        """``key`` when the index or the glossary knows it (a word's key in the other language)."""
        if key is None:
            return None
        if not hasattr(self, "_glossary_keys"):
            self._glossary_keys = {k for phrase in self.glossary_.map for k in phrase}
        return key if key in self.vocabulary_ or key in self._glossary_keys else None

    def _columns(self, weights: dict[str, float], pairs: dict[tuple[str, str], float],
                 pair_cols: dict[tuple[str, str], int]) -> dict[int, float]:
        """Key and key-pair weights -> term index weights (sublinear, times idf)."""
        vocab = self.vocabulary_
        q: dict[int, float] = {}
        for k, v in weights.items():
            j = vocab.get(k)
            if j is not None:
                q[j] = v
        for pair, v in pairs.items():
            j = pair_cols.get(pair)
            if j is not None:
                q[j] = q.get(j, 0.0) + v
        for j, v in q.items():
            q[j] = 1.0 + math.log(v) if v >= 1 else v  # sublinear: a repeated word is not everything
            if self.weighting == "tfidf":
                q[j] *= float(self.idf_[j]) ** self.query_idf_power
        return q

    def _bigram_lookup(self, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
        """Column of each indexed key pair (pairs that are not indexed are left out)."""
        vocab = self.vocabulary_
        known = [(p, vocab[p[0]], vocab[p[1]]) for p in pairs if p[0] in vocab and p[1] in vocab]
        codes_ = self.bigram_codes_
        if not known or not len(codes_):
            return {}
        codes = np.array([a * self.n_unigrams_ + b for _, a, b in known], dtype=np.int64)
        pos = np.minimum(np.searchsorted(codes_, codes), len(codes_) - 1)
        hit = codes_[pos] == codes
        return {known[i][0]: self.n_unigrams_ + int(pos[i]) for i in np.flatnonzero(hit)}

    def _text_scores(self, q: dict[int, float]) -> np.ndarray:
        """Cosine of every call with ``q`` (long calls: blended with their best passage)."""
        n = self.matrix_.shape[0]
        if not q:
            return np.zeros(n, dtype=np.float32)
        cols = np.fromiter(q.keys(), dtype=np.int64, count=len(q))
        w = np.fromiter(q.values(), dtype=np.float32, count=len(q))
        # only the query's columns are touched (a CSC column slice, then one C matrix-vector product)
        out = np.asarray(self.matrix_[:, cols] @ w, dtype=np.float32).ravel()
        best = self._passage_best(cols, w) if self.passage_weight else None
        if best is not None:  # long calls: blend in their best passage
            lam = np.float32(self.passage_weight)
            rows = self.passage_calls_
            out[rows] = (1 - lam) * out[rows] + lam * best
        return out

    def _eligibility_masks(self, profile: NgoProfile, today: date) -> tuple[np.ndarray, np.ndarray]:
        """(eligible mask, closeness of the call's area to the profile: 1 own town .. 0.1 Europe, 0 unknown)."""
        ok = self.deadline_ >= today.toordinal()
        if profile.legal_form is not None:
            ok &= ~self.applicant_stated_ | self.applicant_mask_[profile.legal_form.value]
        mine = eligibility.profile_places(profile, self.places_)
        group_ok = np.ones(len(self.geo_groups_), dtype=bool)
        group_close = np.zeros(len(self.geo_groups_), dtype=np.float32)
        for g, geo in enumerate(self.geo_groups_):
            if not geo or not mine:
                continue
            resolved = [self.places_.resolve(x) for x in geo]
            inside = [p for p in resolved if p is not None and p in mine]
            if inside:
                group_close[g] = max(_CLOSENESS.get(self.places_.kind.get(p, ""), 0.3) for p in inside)
            elif all(p is not None for p in resolved):
                group_ok[g] = False
        ok &= group_ok[self.geo_group_]
        return ok, group_close[self.geo_group_]

    # ------------------------------------------------------------------ ranking

    def rank(
        self,
        profile: NgoProfile | Mapping,
        top: int | None = 10,
        today: date | None = None,
        feedback: Mapping[str, bool] | None = None,
    ) -> list[Match]:
        """Eligible calls for ``profile``, best first.

        Parameters
        ----------
        profile : NgoProfile or dict
        top : int or None, default=10
            How many to return; None for every eligible call.
        today : date, default=date.today()
            Calls whose deadline is before this day are left out.
        feedback : mapping of call id -> bool, optional
            This profile's marks: True = relevant, False = not relevant.
        """
        self._check_fitted()
        profile = as_profile(profile)
        today = today or date.today()
        q, parts, _display, disp = self._queries(profile)
        marked = [self.index_[cid] for cid in feedback or () if cid in self.index_]
        plain_q = q
        if marked:
            q = self._rocchio(q, feedback)
        scores, ok, _, head = self._scores(profile, q, today, parts, plain_q)
        for i in marked:
            scores[i] += 1.0 if feedback[self.calls_[i].id] else -2.0
        if head is not None and top is not None and len(head) - len(marked) >= top:
            # the best calls are among the re-ranked ones (and the marked ones, lifted or lowered):
            # no second pass over every eligible call
            idx = np.union1d(head, np.asarray(marked, dtype=head.dtype)) if marked else head
            idx = idx[ok[idx]]
        else:
            idx = np.flatnonzero(ok)
        cand = scores[idx]
        if top is not None and top < len(idx):
            part = np.argpartition(-cand, top - 1)[:top]  # the top k only, then sort those
            idx, cand = idx[part], cand[part]
        order = idx[np.lexsort((idx, -cand))]  # best first; ties in call order
        q_cols = np.fromiter(q.keys(), dtype=np.int64, count=len(q))
        q_w = np.fromiter(q.values(), dtype=np.float64, count=len(q))
        by_col = np.argsort(q_cols)
        qa = (q_cols[by_col], q_w[by_col])
        return [self._match(profile, int(i), _logistic(float(scores[i])), qa, disp, today) for i in order]

    def _scores(self, profile: NgoProfile, q: dict[int, float], today: date,
                parts: Mapping[str, dict[int, float]] | None = None,
                plain_q: dict[int, float] | None = None):
        """(logit of "good fit" for every call, eligible mask, features by name, head): ``head`` is the
        re-ranked calls when they are sure to hold every higher-scoring call (per-field weights are not
        negative, so a call left out scores no more than any of them), else None. ``plain_q``: the
        query before feedback changed it (see :meth:`_features`).

        The logit is ``bias`` plus each feature times its weight (:meth:`feature_weights`). The
        whole-profile features are vector operations over all calls; the per-field relevances are then
        added for the best ``rerank_depth`` eligible calls only (all of them in a corpus of that size or
        less), which keeps a ranking fast at 100,000 calls."""
        ok, close = self._eligibility_masks(profile, today)
        cols = self._features(profile, q, ok, close, plain_q)
        w = self.feature_weights()
        scores = np.full(len(ok), self.bias, dtype=np.float32)
        for name, col in cols.items():
            _add_weighted(scores, col, w[name])
        head = None
        if parts:
            cand = np.flatnonzero(ok)
            if len(cand) > self.rerank_depth:
                cand = np.sort(cand[np.argpartition(-scores[cand], self.rerank_depth - 1)[: self.rerank_depth]])
                if all(w[name] >= 0 for name in parts):
                    head = cand
            late = self._part_features(cand, parts)
            for name, col in late.items():
                _add_weighted(scores, col, w[name])
            cols.update(late)
        return scores, ok, cols, head

    def _features(self, profile: NgoProfile, q: dict[int, float], ok: np.ndarray, close: np.ndarray,
                  plain_q: dict[int, float] | None = None) -> dict[str, np.ndarray | tuple[np.ndarray, np.ndarray]]:
        """The whole-profile features (see ``FEATURES``): a value for every call, or (call rows, values)
        for a feature only some calls have; features a profile cannot have are left out (zero).

        Text relevance is scaled so that the best eligible call is 1 for the profile's own query
        (``plain_q`` when feedback has changed ``q``). Feedback adds the relevant calls' words to the
        query and takes the not-relevant calls' words away: against the unchanged scale, calls like the
        relevant ones rise, calls like the others fall, and the rest keep their score. (Scaled by the
        changed query's best call, which is the marked call itself, every other call fell after a
        thumbs-up.)"""
        text = self._text_scores(q)
        scale = text if plain_q is None or plain_q is q else self._text_scores(plain_q)
        top_text = float((scale * ok).max()) if len(scale) else 0.0  # text >= 0; a masked max is slower
        cols: dict[str, np.ndarray | tuple[np.ndarray, np.ndarray]] = {
            "text": text * np.float32(1.0 / top_text if top_text > 0 else 0.0),
            "geo": close,
            "breadth": self.penalties_["breadth"],
            "unstated": self.penalties_["unstated"],
        }
        if profile.priority_area is not None:
            mix = self._profile_areas(profile)
            cols["area"] = _mix_rows(self.area_cols_, mix)
            cols["tag"] = _mix_rows(self.tagged_, mix)
        if profile.legal_form is not None:
            cols["applicant"] = self.applicant_mask_[profile.legal_form.value]
        if profile.legal_form in _SMALL_ORGS:
            cols["scale"] = self.penalties_["scale"]
            budget = profile.annual_budget_eur or _TYPICAL_BUDGET
            cols["amount"] = -np.clip(self.log_amount_ - np.float32(math.log10(budget)), 0.0, 3.0)
        if self.title_char_weight:
            chars = self._title_char_scores(profile, ok)
            if chars is not None:
                cols["title_chars"] = chars
        return cols

    def _profile_areas(self, profile: NgoProfile) -> np.ndarray:
        """How much each area counts for ``profile`` (sums to 1): its main area, and at
        ``profile_area_mix`` the areas its own words fit (area descriptors, as for calls), so a heritage
        society filed under environment and community is lifted by culture calls too."""
        mix = np.zeros(len(PRIORITY_AREA_KEYS), dtype=np.float32)
        mix[PRIORITY_AREA_KEYS.index(profile.priority_area.value)] = 1.0
        if not self.profile_area_mix:
            return mix
        text = profile_text(profile)
        fit = np.minimum(1.0, np.array(self.areas_.score_keys(self.analyzer_.keys(text, guess_language(text))),
                                       dtype=np.float32) / 0.25)  # 0.25: a clear fit, as for calls
        if fit.sum() <= 0:
            return mix
        return (1 - self.profile_area_mix) * mix + np.float32(self.profile_area_mix) * fit / fit.sum()

    def _part_features(self, cand: np.ndarray,
                       parts: Mapping[str, dict[int, float]]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Each profile field's own relevance (scaled so the best candidate is 1) for the candidate
        calls ``cand`` (sorted), as (call rows, values)."""
        cols = sorted(set().union(*parts.values()))
        if not len(cand) or not cols:
            return {}
        pos = {j: i for i, j in enumerate(cols)}
        w = np.zeros((len(cols), len(parts)), dtype=np.float32)
        for c, qq in enumerate(parts.values()):
            for j, v in qq.items():
                w[pos[j], c] = v
        # the candidates' rows, their entries looked up among the query's (sorted) columns
        rows = self.rows_[cand]
        col_arr = np.asarray(cols, dtype=rows.indices.dtype)
        at = np.minimum(np.searchsorted(col_arr, rows.indices), len(col_arr) - 1)
        hit = col_arr[at] == rows.indices
        which = np.repeat(np.arange(len(cand)), np.diff(rows.indptr))[hit]
        contrib = rows.data[hit, None] * w[at[hit]]
        out = {}
        for c, name in enumerate(parts):
            vals = np.bincount(which, weights=contrib[:, c], minlength=len(cand)).astype(np.float32)
            top = vals.max()
            out[name] = (cand, vals / top if top > 0 else vals)
        return out

    def feature_weights(self) -> dict[str, float]:
        """Each feature's weight in the logit (``FEATURES`` order): the parameters' current values."""
        pw = self._part_weights()
        return {name: pw.get(name, 0.0) if param == "part_weights" else float(getattr(self, param))
                for name, param in FEATURES.items()}

    def features(self, profile: NgoProfile | Mapping, today: date | None = None) -> tuple[np.ndarray, np.ndarray]:
        """What :meth:`rank` scores, feature by feature, for the eligible calls.

        Returns
        -------
        rows : ndarray of int
            The eligible calls (indices into ``calls_``), in call order.
        X : ndarray of shape (len(rows), len(FEATURES))
            Their features. Without feedback, ``rank``'s score of call ``rows[i]`` is the logistic of
            ``bias + X[i] @ list(feature_weights().values())``. The per-field features are zero
            outside the best ``rerank_depth`` calls, as in ``rank``: set ``rerank_depth`` to the
            number of calls for features that do not depend on the weights (``matcher.tune`` does).
        """
        self._check_fitted()
        profile = as_profile(profile)
        q, parts, _display, _disp = self._queries(profile)
        _, ok, cols, _ = self._scores(profile, q, today or date.today(), parts)
        rows = np.flatnonzero(ok)
        at = np.full(len(ok), -1, dtype=np.int64)
        at[rows] = np.arange(len(rows))
        x = np.zeros((len(rows), len(FEATURES)), dtype=np.float32)
        for c, name in enumerate(FEATURES):
            col = cols.get(name)
            if isinstance(col, tuple):
                i = at[col[0]]
                x[i[i >= 0], c] = col[1][i >= 0]
            elif col is not None:
                x[:, c] = col[rows]
        return rows, x

    def _rocchio(self, q: dict[int, float], feedback: Mapping[str, bool]) -> dict[int, float]:
        beta, gamma = self.feedback_weights
        pos = [self.index_[c] for c, r in feedback.items() if r and c in self.index_]
        neg = [self.index_[c] for c, r in feedback.items() if not r and c in self.index_]
        out = dict(q)
        qnorm = max(q.values()) if q else 1.0
        for group, sign, coef in ((pos, 1.0, beta), (neg, -1.0, gamma)):
            if not group:
                continue
            rows = self.rows_[group]
            mean = np.asarray(rows.mean(axis=0)).ravel()
            top = np.argsort(-mean)[:30]
            mx = mean[top[0]] if len(top) and mean[top[0]] > 0 else 1.0
            for j in top:
                if mean[j] <= 0:
                    break
                out[int(j)] = out.get(int(j), 0.0) + sign * coef * qnorm * float(mean[j] / mx)
        return {j: w for j, w in out.items() if w > 0}

    def _match(self, profile: NgoProfile, i: int, score: float, q: tuple[np.ndarray, np.ndarray],
               disp: dict[int, str], today: date) -> Match:
        """One ranked call with its explanation; ``q`` is the query as (sorted columns, weights)."""
        call = self.calls_[i]
        rows = self.rows_
        lo, hi = rows.indptr[i], rows.indptr[i + 1]
        idx, val = rows.indices[lo:hi], rows.data[lo:hi]
        # the row's entries that are query terms (one vectorised membership test), heaviest first
        q_cols, q_w = q
        contrib: dict[str, float] = {}
        generic: set[str] = set()  # words of most calls ("biedrība", "atbalsts"): shown only if nothing else
        telling: set[str] = set()  # words with a column that is not generic (a word may stand for several)
        generic_idf = self._generic_idf()
        written: dict[int, str] | None = None
        if len(q_cols) and len(idx):
            at = np.minimum(np.searchsorted(q_cols, idx), len(q_cols) - 1)
            hit = np.flatnonzero(q_cols[at] == idx)
            for j, c in zip(idx[hit].tolist(), (q_w[at[hit]] * val[hit]).tolist(), strict=True):
                word = disp.get(j)
                if word is None:  # not the profile's word (feedback brought it): as this call writes it
                    written = self._written(call) if written is None else written
                    word = written.get(j) or self._surface(j)
                contrib[word] = contrib.get(word, 0.0) + c
                if j < self.n_unigrams_ and self.idf_[j] < generic_idf:
                    generic.add(word)
                else:
                    telling.add(word)
        ranked_terms = [t for t, _ in sorted(contrib.items(), key=lambda kv: -kv[1])]
        specific = [t for t in ranked_terms if t not in generic or t in telling]
        terms = tuple((specific or ranked_terms)[:6])
        area_vals = self.area_matrix_[i]
        best_area = None
        own = PRIORITY_AREA_KEYS.index(profile.priority_area.value) if profile.priority_area else None
        if own is not None and area_vals[own] >= 0.5:
            best_area = profile.priority_area
        elif area_vals.max() > 0:
            best_area = PriorityArea(PRIORITY_AREA_KEYS[int(area_vals.argmax())])
        facts = eligibility.check(profile, call, today, self.places_)
        reasons = []
        if terms:
            reasons.append("Kopīgi vārdi / shared words: " + ", ".join(terms[:4]))
        if best_area is not None:
            reasons.append(f"Joma / area: {best_area.value}")
        for f in facts:
            if f.outcome == Eligibility.MET and f.name == "geography":
                reasons.append(f.detail)
            if f.outcome == Eligibility.UNKNOWN:
                reasons.append("Pārbaudiet / check: " + f.detail)
        days = call.days_left(today)
        if days is not None:
            reasons.append(f"Līdz termiņam {days} dienas / {days} days to deadline")
        return Match(call_id=call.id, score=round(score, 6), reasons=tuple(reasons), terms=terms,
                     area=best_area, facts=facts, days_left=days)

    def _generic_idf(self) -> float:
        """Words with an idf below this are in more than ``_GENERIC_SHARE`` of the calls: they say little
        about why one call fits ("biedrība", "atbalsts", "projekts" are in half the bundled calls), so an
        explanation names them only when it has nothing else. None are generic among fewer than 20 calls."""
        n = self.matrix_.shape[0]
        if n < 20:
            return 0.0
        return math.log((1 + n) / (1 + _GENERIC_SHARE * n)) + 1

    def _written(self, call: GrantCall) -> dict[int, str]:
        """Column -> the word (or adjacent pair) as ``call`` writes it, lower-cased: "kurzemes kultūras",
        where the corpus-wide most common forms of each word would read "kurzeme kultūra"."""
        nu, codes = self.n_unigrams_, self.bigram_codes_
        lang = call.language or guess_language(call.text)
        out: dict[int, str] = {}
        for text in (call.title, call.programme or "", call.summary):
            pairs = [(self.vocabulary_.get(k), w.lower()) for k, w in self.analyzer_.key_words(text, lang)]
            for (a, wa), (b, wb) in zip(pairs, [*pairs[1:], (None, "")], strict=False):
                if a is None:
                    continue
                out.setdefault(a, wa)
                if b is not None and codes is not None and len(codes):
                    code = a * nu + b
                    at = int(np.searchsorted(codes, code))
                    if at < len(codes) and int(codes[at]) == code:
                        out.setdefault(nu + at, f"{wa} {wb}")
        return out

    def _surface(self, j: int) -> str:
        """A word as written in the calls for column ``j`` (two words for a bigram column); saved with
        the matcher, so explanations show words, never stems, after a reload too."""
        nu = self.n_unigrams_
        if j < nu:
            return self.surfaces_[j]
        code = int(self.bigram_codes_[j - nu])
        return f"{self.surfaces_[code // nu]} {self.surfaces_[code % nu]}"

    # ------------------------------------------------------------------ other views

    def area_scores(self, call: GrantCall | Mapping) -> dict[str, float]:
        """Area scores (0..1) of any call, fitted or not."""
        self._check_fitted()
        call = as_call(call)
        i = self.index_.get(call.id)
        if i is not None and self.calls_[i] == call:
            return {k: float(v) for k, v in zip(PRIORITY_AREA_KEYS, self.area_matrix_[i], strict=True)}
        return self.areas_.score_call(call)

    def similar(self, call_id: str, top: int = 5) -> list[tuple[str, float]]:
        """Calls most like ``call_id`` (cosine of their weighted term rows), best first."""
        self._check_fitted()
        i = self.index_.get(call_id)
        if i is None:
            raise MatcherError(f"matcher.similar: expected a fitted call id, found {call_id!r}")
        row = self.rows_[i]
        if row.nnz == 0:
            return []
        sims = np.asarray(self.matrix_[:, row.indices] @ row.data, dtype=np.float64).ravel()
        norms = self._row_norms()
        sims = sims / np.maximum(norms * norms[i], 1e-12)
        sims[i] = -1.0
        order = np.argsort(-sims)[:top]
        return [(self.calls_[j].id, float(sims[j])) for j in order if sims[j] > 0]

    def _row_norms(self) -> np.ndarray:
        if not hasattr(self, "_norms"):
            self._norms = np.sqrt(np.asarray(self.rows_.multiply(self.rows_).sum(axis=1)).ravel())
        return self._norms


_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")


def _source_tags(calls: list[GrantCall]) -> np.ndarray:
    """Areas x calls, 1 where the source tagged the call with the area (arrays, not a Python loop
    writing one cell at a time: 100,000 calls)."""
    index = {key: j for j, key in enumerate(PRIORITY_AREA_KEYS)}
    pairs = np.array([(index[a.value], i) for i, c in enumerate(calls) for a in c.priority_areas],
                     dtype=np.int64).reshape(-1, 2)
    out = np.zeros((len(PRIORITY_AREA_KEYS), len(calls)), dtype=np.float32)
    out[pairs[:, 0], pairs[:, 1]] = 1.0
    return out


def _mix_rows(rows: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``weights @ rows`` for a few long rows, one row at a time (numpy's matmul of a short vector with a
    (5, 100000) matrix measured 15 ms; this 0.3 ms)."""
    out = np.zeros(rows.shape[1], dtype=np.float32)
    for a in np.flatnonzero(weights):
        out += np.float32(weights[a]) * rows[a]
    return out


def _add_weighted(scores: np.ndarray, col: np.ndarray | tuple[np.ndarray, np.ndarray], weight: float) -> None:
    """``scores += weight * col`` in place, for a full column or a (rows, values) one."""
    if not weight:
        return
    if isinstance(col, tuple):
        scores[col[0]] += np.float32(weight) * col[1]
    else:
        scores += np.float32(weight) * col


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x > -60 else 0.0


def profile_text(p: NgoProfile) -> str:
    """The profile's own words in one text (name, mission, activities, target groups, keywords)."""
    return "\n".join([p.name, p.mission, *p.activities, *p.target_groups, *p.keywords])


def facts_text(facts: tuple[EligibilityFact, ...]) -> str:
    return "; ".join(f"{f.name}: {f.outcome.value}" for f in facts)
