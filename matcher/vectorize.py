"""Corpus -> term-count matrix without a Python loop over the corpus's tokens.

Each text field of each call is split with one compiled regex (C speed); the tokens of a batch of
calls are factorised (pandas, C speed) into distinct surface words, and only those distinct words go
through the analyzer (lemma, fold, stem; cached across batches). Token keys then come from one
array lookup, word bigrams from adjacent keys of the same field, and the counts from one sparse
COO -> CSR conversion. Memory stays bounded: only a batch's token strings exist at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain

import numpy as np
import pandas as pd
import scipy.sparse as sp

from matcher.text import WORD_RE, Analyzer

BATCH = 4096


@dataclass
class Counts:
    """What :func:`count_terms` learns from a corpus."""

    unigrams: sp.csr_matrix  # calls x unigram keys, weighted counts (title words count more)
    vocabulary: dict[str, int]  # unigram key -> column
    surfaces: list[str]  # column -> the first surface word (lower-cased) seen for it
    bigrams: sp.csr_matrix | None = None  # calls x kept bigrams
    bigram_codes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # sorted a*V+b


def count_terms(
    fields: Sequence[Sequence[str]],
    weights: Sequence[float],
    langs: Sequence[str],
    analyzer: Analyzer,
    *,
    bigrams: bool = True,
    bigram_min_df: int = 2,
) -> Counts:
    """Weighted key counts of ``fields`` (one sequence of texts per call, one weight per field).

    Parameters
    ----------
    fields : sequence of sequences of str
        ``fields[i][f]`` is field ``f`` of call ``i`` (for example title, then body).
    weights : sequence of float
        Weight of each field's words.
    langs : sequence of str
        Language of each call (``lv``, ``en``, ...), used by the lemmatiser.
    bigrams : bool, default=True
        Also count pairs of adjacent keys (stop words removed) within one field.
    bigram_min_df : int, default=2
        Bigrams found in fewer calls are dropped (they match nothing else and cost memory).
    """
    n = len(fields)
    n_fields = len(weights)
    lang_codes: dict[str, int] = {}
    lang_of_call = np.fromiter((lang_codes.setdefault(x, len(lang_codes)) for x in langs), dtype=np.int64, count=n)
    lang_names = list(lang_codes)
    n_langs = max(len(lang_names), 1)

    vocab: dict[str, int] = {}
    surfaces: list[str] = []
    key_cache: dict[tuple[str, str], int] = {}
    tok_keys: list[np.ndarray] = []
    tok_segs: list[np.ndarray] = []
    field_w = np.asarray(weights, dtype=np.float32)

    for start in range(0, n, BATCH):
        stop = min(n, start + BATCH)
        seg_tokens = [WORD_RE.findall(text or "") for call in fields[start:stop] for text in call]
        seg_len = np.fromiter(map(len, seg_tokens), dtype=np.int64, count=len(seg_tokens))
        if not seg_len.sum():
            continue
        flat = list(chain.from_iterable(seg_tokens))
        del seg_tokens
        codes, uniques = pd.factorize(np.asarray(flat, dtype=object))
        del flat
        seg_ids = np.repeat(np.arange(start * n_fields, stop * n_fields, dtype=np.int64), seg_len)
        combo = codes.astype(np.int64) * n_langs + lang_of_call[seg_ids // n_fields]
        c_codes, c_uniques = pd.factorize(combo)
        local = np.empty(len(c_uniques), dtype=np.int64)
        for i, c in enumerate(c_uniques.tolist()):
            word = uniques[c // n_langs]
            lang = lang_names[c % n_langs]
            j = key_cache.get((word, lang))
            if j is None:
                k = analyzer.key(word, lang)
                if k is None:
                    j = -1
                else:
                    j = vocab.get(k)
                    if j is None:
                        j = vocab[k] = len(vocab)
                        surfaces.append(word.lower())
                key_cache[(word, lang)] = j
            local[i] = j
        keys = local[c_codes]
        keep = keys >= 0
        tok_keys.append(keys[keep].astype(np.int32))
        tok_segs.append(seg_ids[keep])

    key_arr = np.concatenate(tok_keys) if tok_keys else np.zeros(0, dtype=np.int32)
    seg_arr = np.concatenate(tok_segs) if tok_segs else np.zeros(0, dtype=np.int64)
    del tok_keys, tok_segs
    v = len(vocab)
    docs = seg_arr // n_fields
    w = field_w[seg_arr % n_fields]
    uni = sp.csr_matrix((w, (docs, key_arr)), shape=(n, v), dtype=np.float32)
    uni.sum_duplicates()
    out = Counts(unigrams=uni, vocabulary=vocab, surfaces=surfaces)
    if bigrams and len(key_arr) > 1:
        same = seg_arr[1:] == seg_arr[:-1]
        codes = key_arr[:-1][same].astype(np.int64) * max(v, 1) + key_arr[1:][same]
        b_docs = docs[1:][same]
        b_w = w[1:][same]
        del same
        uniq, inv = np.unique(codes, return_inverse=True)
        del codes
        big = sp.csr_matrix((b_w, (b_docs, inv.ravel())), shape=(n, len(uniq)), dtype=np.float32)
        big.sum_duplicates()
        df = np.bincount(big.indices, minlength=len(uniq))
        kept = np.flatnonzero(df >= bigram_min_df)
        out.bigrams = big[:, kept].tocsr()
        out.bigram_codes = uniq[kept]
    return out
