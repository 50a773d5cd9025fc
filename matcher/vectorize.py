"""Corpus -> term-count matrix without a Python loop over the corpus's tokens.

Each text field of each call is split with one compiled regex (C speed); only words never seen
before go through the analyzer (lemma, fold, stem), and every token's column then comes from a
C-level ``map`` over a word -> column dict. Word bigrams are pairs of adjacent keys within a field
(one array operation), and the counts become CSR matrices directly, rows being in call order.
Memory stays bounded: only one batch's token strings exist at a time.
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
    languages: dict[str, set[int]] = field(default_factory=dict)  # language -> unigram columns seen in it


def count_terms(
    fields: Sequence[Sequence[str]],
    weights: Sequence[float],
    langs: Sequence[str],
    analyzer: Analyzer,
    *,
    bigrams: bool = True,
    bigram_min_df: int = 2,
    fixed: tuple[dict[str, int], np.ndarray] | None = None,
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
    fixed : (vocabulary, sorted bigram codes) or None
        Count only these keys and bigrams (learned by an earlier call), in their columns: another
        view of the same calls (for example their passages) in the same term space.
    """
    n = len(fields)
    n_fields = len(weights)
    lang_codes: dict[str, int] = {}
    lang_of_call = np.fromiter((lang_codes.setdefault(x, len(lang_codes)) for x in langs), dtype=np.int64, count=n)
    lang_names = list(lang_codes)
    n_langs = max(len(lang_names), 1)

    vocab: dict[str, int] = fixed[0] if fixed is not None else {}
    surfaces: list[str] = []
    tok_keys: list[np.ndarray] = []
    tok_segs: list[np.ndarray] = []
    field_w = np.asarray(weights, dtype=np.float32)

    caches: list[dict[str, int]] = [{} for _ in range(n_langs)]  # per language: word as written -> column

    def column(word: str, lang: str) -> int:
        k = analyzer.key_uncached(word, lang)  # each word once: the caches below remember it
        if k is None:
            return -1
        j = vocab.get(k)
        if j is None:
            if fixed is not None:  # the term space is given: words outside it are not counted
                return -1
            j = vocab[k] = len(vocab)
            surfaces.append(word.lower())
        return j

    for start in range(0, n, BATCH):
        stop = min(n, start + BATCH)
        seg_tokens = [WORD_RE.findall(text or "") for call in fields[start:stop] for text in call]
        seg_len = np.fromiter(map(len, seg_tokens), dtype=np.int64, count=len(seg_tokens))
        total = int(seg_len.sum())
        if not total:
            continue
        seg_lang_arr = np.repeat(lang_of_call[start:stop], n_fields)
        keys = np.empty(total, dtype=np.int64)
        seg_start = np.concatenate([[0], np.cumsum(seg_len)[:-1]])
        for li in np.unique(seg_lang_arr).tolist():  # per language: C-level set and map over its tokens
            segs = np.flatnonzero(seg_lang_arr == li)
            lens = seg_len[segs]
            count = int(lens.sum())
            if not count:
                continue
            cache = caches[li]
            lang_tokens = seg_tokens if len(segs) == len(seg_len) else [seg_tokens[i] for i in segs.tolist()]
            flat = np.empty(count, dtype=object)
            flat[:] = list(chain.from_iterable(lang_tokens))
            codes, uniques = pd.factorize(flat)  # distinct words of the batch (C hashing)
            del flat
            words = uniques.tolist()
            # only words never seen before go through the analyzer (sorted: columns are reproducible)
            for word in sorted(set(words).difference(cache)):
                cache[word] = column(word, lang_names[li])
            got = np.fromiter(map(cache.__getitem__, words), dtype=np.int64, count=len(words))[codes]
            if len(segs) == len(seg_len):
                keys[:] = got
            else:  # scatter back to text order
                first = np.repeat(seg_start[segs] - np.concatenate([[0], np.cumsum(lens)[:-1]]), lens)
                keys[first + np.arange(count)] = got
        del seg_tokens
        seg_ids = np.repeat(np.arange(start * n_fields, stop * n_fields, dtype=np.int64), seg_len)
        keep = keys >= 0
        tok_keys.append(keys[keep].astype(np.int32))
        tok_segs.append(seg_ids[keep].astype(np.int32))
    languages = {name: {j for j in cache.values() if j >= 0} for name, cache in zip(lang_names, caches, strict=False)}
    del caches

    key_arr = np.concatenate(tok_keys) if tok_keys else np.zeros(0, dtype=np.int32)
    seg_arr = np.concatenate(tok_segs) if tok_segs else np.zeros(0, dtype=np.int32)
    del tok_keys, tok_segs
    v = len(vocab)
    w = field_w[seg_arr % n_fields]
    make_bigrams = bigrams and len(key_arr) > 1
    if make_bigrams:  # before the unigram matrix, which takes over (and sorts) key_arr and w
        same = seg_arr[1:] == seg_arr[:-1]
        codes = key_arr[:-1][same].astype(np.int64) * max(v, 1) + key_arr[1:][same]
        b_docs = (seg_arr[1:][same] // n_fields).astype(np.int32)
        b_w = w[1:][same]
        del same
    # tokens are in call order, so the rows' bounds come from counting, with no COO sort
    uni = _csr(w, key_arr, seg_arr // n_fields, n, v)
    del w, key_arr, seg_arr
    out = Counts(unigrams=uni, vocabulary=vocab, surfaces=surfaces, languages=languages)
    if make_bigrams and fixed is not None:
        known = fixed[1]
        pos = np.searchsorted(known, codes) if len(known) else np.zeros(len(codes), dtype=np.int64)
        pos[pos >= len(known)] = 0
        hit = known[pos] == codes if len(known) else np.zeros(len(codes), dtype=bool)
        out.bigrams = _csr(b_w[hit], pos[hit].astype(np.int32), b_docs[hit], n, len(known))
        out.bigram_codes = known
    elif make_bigrams:
        inv, uniq = pd.factorize(codes)
        del codes
        order = np.argsort(uniq)
        rank = np.empty(len(uniq), dtype=np.int32)
        rank[order] = np.arange(len(uniq), dtype=np.int32)
        cols = rank[inv]
        del inv, rank
        big = _csr(b_w, cols, b_docs, n, len(uniq))
        del cols, b_w, b_docs
        uniq = uniq[order]
        df = np.bincount(big.indices, minlength=len(uniq))
        keep = df >= bigram_min_df
        if not keep.all():
            new_col = (np.cumsum(keep) - 1).astype(np.int32)
            entry = keep[big.indices]
            row_nnz = np.add.reduceat(entry, big.indptr[:-1]) if big.nnz else np.zeros(n, dtype=np.int64)
            row_nnz[np.diff(big.indptr) == 0] = 0
            indptr = np.concatenate([[0], np.cumsum(row_nnz)]).astype(big.indptr.dtype)
            big = sp.csr_matrix((big.data[entry], new_col[big.indices[entry]], indptr),
                                shape=(n, int(keep.sum())))
            uniq = uniq[keep]
        out.bigrams = big
        out.bigram_codes = uniq
    return out


def _csr(data: np.ndarray, cols: np.ndarray, rows: np.ndarray, n_rows: int, n_cols: int) -> sp.csr_matrix:
    """A CSR matrix from entries whose ``rows`` are non-decreasing; duplicate entries are summed.
    The matrix may take over ``data`` and ``cols`` (sorted in place): do not use them afterwards."""
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n_rows), out=indptr[1:])
    idx_dtype = np.int32 if max(n_cols, len(cols)) < 2**31 else np.int64
    m = sp.csr_matrix((data.astype(np.float32, copy=False), cols.astype(idx_dtype, copy=False),
                       indptr.astype(idx_dtype)), shape=(n_rows, n_cols))
    m.sum_duplicates()
    return m
