"""Corpus -> term-count matrix without a Python loop over the corpus's tokens.

A batch of calls' text fields is read as one array of code points, and its words (those of
:data:`~matcher.text.WORD_RE`) are found and numbered with array operations: only the batch's
distinct words become Python strings. Only words never seen before go through the analyzer (lemma,
fold, stem), and every token's column then comes from one array lookup. Word bigrams are pairs of
adjacent keys within a field (one array operation), and the counts become CSR matrices directly,
rows being in call order.
Memory stays bounded: only one batch's arrays exist at a time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import repeat

import numpy as np
import scipy.sparse as sp

from matcher.text import Analyzer

BATCH = 4096
_NEW = -2  # a word's column before the analyzer has seen it (-1: no key)


@dataclass
class Counts:
    """What :func:`count_terms` learns from a corpus."""

    unigrams: sp.csr_matrix  # calls x unigram keys, weighted counts (title words count more)
    vocabulary: dict[str, int]  # unigram key -> column
    surfaces: list[str]  # column -> the first surface word (lower-cased) seen for it
    bigrams: sp.csr_matrix | None = None  # calls x kept bigrams
    bigram_codes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # sorted a*V+b
    languages: dict[str, np.ndarray] = field(default_factory=dict)  # language -> mask of the unigram columns seen in it


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
    tok_keys: list[np.ndarray] = []  # per batch, the kept tokens' key columns
    tok_segs: list[np.ndarray] = []  # and texts (call * n_fields + field)
    field_w = np.asarray(weights, dtype=np.float32)

    word_no: dict[str, int] = {}  # word as written -> its number, in the order first met
    word_list: list[str] = []  # number -> word
    cols_of = np.full((n_langs, 0), _NEW, dtype=np.int32)  # language x word number -> column (-1: no key)

    def columns(words: list[str], lang: str) -> list[int]:
        """The column of each of ``words`` (never seen before in ``lang``), new keys getting the next
        columns (-1: no key, or not in a fixed term space)."""
        out = []
        for word, k in zip(words, analyzer.keys_of(words, lang), strict=True):
            j = -1 if k is None else vocab.get(k, -2)
            if j == -2:
                if fixed is None:
                    j = vocab[k] = len(vocab)
                    surfaces.append(word.lower())
                else:  # the term space is given: words outside it are not counted
                    j = -1
            out.append(j)
        return out

    char_codes = CharCodes()
    for start in range(0, n, BATCH):
        stop = min(n, start + BATCH)
        codes, words, local_seg = _words([text or "" for call in fields[start:stop] for text in call], char_codes)
        if not len(codes):
            continue
        nos = np.fromiter(map(word_no.get, words, repeat(-1)), dtype=np.int64, count=len(words))
        met = np.flatnonzero(nos < 0)
        if len(met):  # words never met before get the next numbers
            first = len(word_list)
            nos[met] = np.arange(first, first + len(met))
            word_list.extend(words[i] for i in met.tolist())
            word_no.update(zip(word_list[first:], range(first, len(word_list)), strict=True))
            cols_of = np.concatenate([cols_of, np.full((n_langs, len(met)), _NEW, dtype=np.int32)], axis=1)
        text_call = np.repeat(np.arange(start, stop, dtype=np.int32), n_fields)  # per text of the batch
        tok_lang = lang_of_call[text_call[local_seg]]  # a gather from a small per-text table, not a division
        tok_no = nos[codes]
        batch_langs = np.flatnonzero(np.bincount(tok_lang)).tolist()
        for li in batch_langs:  # per language: the column of each word new to it, once
            present = np.zeros(len(words), dtype=bool)
            present[codes if len(batch_langs) == 1 else codes[tok_lang == li]] = True
            lang_nos = nos[present]
            new = lang_nos[cols_of[li, lang_nos] == _NEW]
            if len(new):  # only words never seen before go through the analyzer (sorted: reproducible columns)
                new_words = [word_list[i] for i in new.tolist()]
                order = sorted(range(len(new)), key=new_words.__getitem__)
                cols_of[li, new[order]] = columns([new_words[i] for i in order], lang_names[li])
        keys = cols_of[batch_langs[0], tok_no] if len(batch_langs) == 1 else cols_of[tok_lang, tok_no]
        del codes, words, tok_lang
        keep = keys >= 0
        tok_keys.append(keys[keep])
        tok_segs.append((local_seg[keep] + start * n_fields).astype(np.int32))
    languages = {}
    for li, name in enumerate(lang_names):
        languages[name] = np.zeros(len(vocab), dtype=bool)
        languages[name][cols_of[li][cols_of[li] >= 0]] = True
    del word_no, word_list, cols_of

    key_arr = np.concatenate(tok_keys) if tok_keys else np.zeros(0, dtype=np.int32)
    seg_arr = np.concatenate(tok_segs) if tok_segs else np.zeros(0, dtype=np.int32)
    del tok_keys, tok_segs
    v = len(vocab)
    call_arr = seg_arr // n_fields  # one division by a scalar (cheaper than the modulo it replaces)
    w = field_w[seg_arr - call_arr * n_fields]
    make_bigrams = bigrams and len(key_arr) > 1
    if make_bigrams:  # before the unigram matrix, which takes over (and sorts) key_arr and w
        same = seg_arr[1:] == seg_arr[:-1]
        codes = key_arr[:-1][same].astype(np.int64) * max(v, 1) + key_arr[1:][same]
        b_docs = call_arr[1:][same]
        b_w = w[1:][same]
        del same
    del seg_arr
    # tokens are in call order, so the rows' bounds come from counting, with no COO sort
    uni = _csr(w, key_arr, call_arr, n, v)
    del w, key_arr, call_arr
    out = Counts(unigrams=uni, vocabulary=vocab, surfaces=surfaces, languages=languages)
    if make_bigrams and fixed is not None:
        known = fixed[1]
        pos = np.searchsorted(known, codes) if len(known) else np.zeros(len(codes), dtype=np.int64)
        pos[pos >= len(known)] = 0
        hit = known[pos] == codes if len(known) else np.zeros(len(codes), dtype=bool)
        out.bigrams = _csr(b_w[hit], pos[hit].astype(np.int32), b_docs[hit], n, len(known))
        out.bigram_codes = known
    elif make_bigrams:
        inv, uniq = factorize(codes)
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


FACTORIZE_HASH_FROM = 50_000  # values; sorting costs ~55 ns a value more than hashing, importing pandas ~0.2 s once


def factorize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(code of each value, distinct values), codes numbered in order of first appearance.

    Large arrays go to pandas' hash table (``pd.factorize``: linear time); small ones are sorted
    (``np.unique``) and renumbered to the same codes, so that a small job (the weekly scrape's index
    refit, a command on a few hundred calls) does not import pandas."""
    if len(values) >= FACTORIZE_HASH_FROM:
        import pandas as pd

        codes, uniques = pd.factorize(values)
        return codes.astype(np.int64, copy=False), np.asarray(uniques)
    uniques, first, inverse = np.unique(values, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order), dtype=np.int64)
    return rank[inverse.ravel()], uniques[order]


def _words(texts: list[str], char_codes: CharCodes | None = None) -> tuple[np.ndarray, list[str], np.ndarray]:
    """The words of ``texts`` as (code of each word, distinct words, index of the text each word is in).

    The texts are joined and read as one array of code points; words are found and told apart with
    array operations, and only the distinct words become Python strings (a regex would make one for
    every word, and hashing them again would cost as much). ``char_codes`` carries the characters'
    small codes from one batch to the next."""
    joined = "\n".join(texts)
    chars = _code_points(joined)
    starts, ends = _word_spans(chars)
    codes, firsts = _word_codes(chars, starts, ends, char_codes or CharCodes())
    words = [joined[a:b] for a, b in zip(starts[firsts].tolist(), ends[firsts].tolist(), strict=True)]
    text_starts = np.zeros(len(texts), dtype=np.int64)
    np.cumsum([len(t) + 1 for t in texts[:-1]], out=text_starts[1:])
    return codes, words, np.searchsorted(text_starts, starts, side="right") - 1


def _code_points(text: str) -> np.ndarray:
    """The code points of ``text``: 16-bit when it has no character beyond the BMP (half the memory
    to read; UTF-16 code units are then the code points), else 32-bit."""
    units = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype="<u2")
    if len(units) == len(text):
        return units
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


class CharCodes:
    """Small codes (1, 2, ...) for the characters of one corpus, given as batches bring them: one table
    lookup per batch instead of counting its characters. The codes stay 8-bit while fewer than 256
    characters have been seen, so that 8 characters make one 64-bit integer in :func:`_word_codes`."""

    def __init__(self) -> None:
        self.table = np.zeros(0x110000, dtype=np.uint8)  # code point -> code (0: not seen yet)
        self.count = 0

    def put(self, chars: np.ndarray, pad: int) -> np.ndarray:
        """The codes of ``chars`` followed by ``pad`` zeros (new characters get the next codes)."""
        out = np.zeros(len(chars) + pad, dtype=self.table.dtype)
        np.take(self.table, chars, out=out[: len(chars)])
        if out[: len(chars)].all():
            return out
        new = np.flatnonzero(np.bincount(chars[out[: len(chars)] == 0]))  # sorted, as np.unique (faster)
        total = self.count + len(new)
        small = np.uint8 if total < 256 else np.uint16 if total < 65536 else np.uint32
        if small != self.table.dtype:
            self.table = self.table.astype(small)
        self.table[new] = np.arange(self.count + 1, total + 1)
        self.count = total
        return self.put(chars, pad)


_WORD, _LETTER, _JOIN = 1, 2, 4


@lru_cache(maxsize=1)
def _bmp_classes() -> np.ndarray:
    """Class bits (word character, letter, joiner) of every Basic Multilingual Plane character."""
    return _classify("".join(map(chr, range(0x10000))))


def _classify(chars: str) -> np.ndarray:
    """Class bits of ``chars`` as ``re`` sees them: the definitions of :data:`~matcher.text.WORD_RE`."""
    cls = np.zeros(len(chars), dtype=np.uint8)
    for bit, pattern in ((_WORD, r"\w+"), (_LETTER, r"[^\W\d_]+"), (_JOIN, r"['’-]+")):
        for m in re.finditer(pattern, chars):
            cls[m.start():m.end()] |= bit
    return cls


def _char_classes(chars: np.ndarray) -> np.ndarray:
    """Class bits of each code point of ``chars`` (a table lookup; characters beyond the BMP classified once)."""
    if not len(chars) or int(chars.max()) < 0x10000:
        return _bmp_classes()[chars]
    high = np.unique(chars[chars >= 0x10000])  # rare: emoji, historic scripts
    bits = np.zeros(int(chars.max()) + 1, dtype=np.uint8)
    bits[:0x10000] = _bmp_classes()
    bits[high] = _classify("".join(map(chr, high.tolist())))
    return bits[chars]


def _word_spans(chars: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(starts, ends) of the words :data:`~matcher.text.WORD_RE` finds in a text given as code points,
    found with array operations (a test checks they are the same as ``WORD_RE.findall``'s).

    A word is a run of word characters and single apostrophes or hyphens between two of them; it
    starts at the run's first letter (digits and underscores before it are not part of it)."""
    n = len(chars)
    cls = _char_classes(chars)
    run = np.zeros(n + 2, dtype=bool)  # padded: run[i + 1] is character i
    run[1:-1] = cls & _WORD
    joins = np.flatnonzero(cls[1:-1] & _JOIN) + 1
    run[joins + 1] = run[joins] & run[joins + 2]  # a joiner between two word characters
    edges = np.flatnonzero(run[1:] != run[:-1])
    starts, ends = edges[0::2], edges[1::2]
    lead = (cls[starts] & _LETTER) == 0
    if lead.any():  # runs that start with a digit or underscore: the word starts at their first letter
        bad = np.flatnonzero(lead)
        lens = ends[bad] - starts[bad]
        pos = np.repeat(starts[bad] - np.cumsum(lens) + lens, lens) + np.arange(int(lens.sum()))
        owner = np.repeat(bad, lens)
        hit = (cls[pos] & _LETTER) != 0
        pos, owner = pos[hit], owner[hit]
        first = np.ones(len(owner), dtype=bool)
        first[1:] = owner[1:] != owner[:-1]
        starts = starts.copy()
        starts[owner[first]] = pos[first]
        keep = np.ones(len(starts), dtype=bool)
        keep[bad] = False
        keep[owner[first]] = True
        starts, ends = starts[keep], ends[keep]
    return starts, ends


def _word_codes(chars: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                char_codes: CharCodes) -> tuple[np.ndarray, np.ndarray]:
    """(code of each word, index of the first word of each code): words with the same text share a
    code. Exact (no hash that could collide): each word's characters, as small codes from 1 and
    zero-padded, are read as 64-bit integers, which ``factorize`` numbers."""
    lens = ends - starts
    if not len(lens):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    padded = char_codes.put(chars, int(lens.max()) + 8)
    small = padded.dtype
    per = 8 // small.itemsize  # characters per 64-bit integer
    n_ints = (lens + per - 1) // per
    codes = np.empty(len(starts), dtype=np.int64)
    firsts = []
    n_codes = 0
    for k in np.flatnonzero(np.bincount(n_ints)).tolist():  # words of 1-8 characters, 9-16, ... (with 8-bit codes)
        sel = np.flatnonzero(n_ints == k)
        width = k * per
        ints = np.lib.stride_tricks.sliding_window_view(padded, width)[starts[sel]].view(np.uint64)
        ones = np.iinfo(small).max
        if k <= 4:  # zero what follows each word (a mask per length), number the integers column by column
            ints &= ((np.arange(width) < np.arange(width + 1)[:, None]) * ones).astype(small).view(np.uint64)[lens[sel]]
            key = factorize(ints[:, 0])[0]
            for c in range(1, k):
                key = factorize(key * len(sel) + factorize(ints[:, c])[0])[0]
        else:  # long words are few: a mask per word, and their bytes as one key each
            ints &= ((np.arange(width) < lens[sel, None]) * ones).astype(small).view(np.uint64)
            key = factorize(np.array([row.tobytes() for row in ints], dtype=object))[0]
        # factorize numbers in order of first appearance: a word is a first when its code is new
        first = np.ones(len(sel), dtype=bool)
        first[1:] = key[1:] > np.maximum.accumulate(key)[:-1]
        codes[sel] = key + n_codes
        n_codes += int(first.sum())
        firsts.append(sel[first])
    return codes, np.concatenate(firsts)


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
