"""Character n-gram TF-IDF of short texts, and unit-length rows of a sparse matrix.

The numbers are scikit-learn's, bit for bit: ``TfidfVectorizer(analyzer="char_wb",
ngram_range=(3, 5), sublinear_tf=True, dtype=np.float32)`` and ``normalize(norm="l2")`` (a test
compares them). They are written here because importing scikit-learn costs about a second per
process, and every process that fits or loads a matcher would pay it: the weekly scrape job (which
refits the index), each ``grantmatch`` command, the app's start. scikit-learn stays the reference
for the benchmark and the tests.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

_CHUNK = 1 << 18  # stored values per step of unit_rows


def unit_rows(m: sp.csr_matrix) -> sp.csr_matrix:
    """Rows scaled to unit length, in place; all-zero rows stay as they are.

    scikit-learn's ``inplace_csr_row_normalize_l2``: squares in the data's type, summed one after
    another in double precision (``bincount`` adds its weights in order), divided in double. It works
    through the rows a quarter of a million stored values at a time: the temporary arrays then stay
    small and are reused, where whole-matrix ones (row ids, squares, spread norms: hundreds of MB at
    100,000 calls) cost more in fresh memory than in arithmetic.
    """
    if not m.nnz:
        return m
    indptr, data = m.indptr, m.data
    cuts = np.unique(np.r_[np.searchsorted(indptr, np.arange(0, m.nnz, _CHUNK), side="right") - 1, m.shape[0]])
    for r0, r1 in zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True):
        counts = np.diff(indptr[r0:r1 + 1])
        seg = data[indptr[r0]:indptr[r1]]
        rows = np.repeat(np.arange(r1 - r0), counts)
        norms = np.sqrt(np.bincount(rows, weights=np.square(seg), minlength=r1 - r0))
        norms[norms == 0.0] = 1.0
        np.divide(seg, np.repeat(norms, counts), out=seg, casting="unsafe")
    return m


class CharGramTfidf:
    """TF-IDF of the character n-grams within words (each word padded with a space on both sides).

    Text is lower-cased and split on white space; a word shorter than ``n`` counts once as itself.
    Term weights are sublinear (``1 + ln tf``) times the smooth idf ``ln((1 + n) / (1 + df)) + 1``,
    rows unit length.

    Attributes
    ----------
    vocabulary_ : dict of str to int
        Gram -> column, columns in sorted gram order.
    idf_ : ndarray of float32
    """

    dtype = np.float32

    def __init__(self, ngram_range: tuple[int, int] = (3, 5)) -> None:
        self.ngram_range = ngram_range

    def _counts(self, text: str) -> Counter:
        """Gram -> count; each distinct word's grams are cut once (a profile's words repeat)."""
        lo, hi = self.ngram_range
        out: Counter = Counter()
        for word, times in Counter(text.lower().split()).items():
            w = f" {word} "
            size = len(w)
            for n in range(lo, hi + 1):
                for start in range(max(size - n, 0) + 1):
                    out[w[start:start + n]] += times
                if size <= n:
                    break
        return out

    def fit_transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Learn the grams and their idf from ``texts``; return their rows.

        Raises ``ValueError`` when no text has a word (no grams at all), as scikit-learn does.
        """
        per_text = [self._counts(t) for t in texts]
        first: dict[str, int] = {}  # gram -> when it first occurs in the texts
        for counts in per_text:
            for g in counts:
                first.setdefault(g, len(first))
        if not first:
            raise ValueError("empty vocabulary: the texts have no words")
        self.vocabulary_ = {g: j for j, g in enumerate(sorted(first))}
        m = self._rows(per_text, first)
        df = np.bincount(m.indices, minlength=len(first)).astype(self.dtype)
        df += 1.0
        self.idf_ = np.full_like(df, len(texts) + 1, dtype=self.dtype)
        self.idf_ /= df
        np.log(self.idf_, out=self.idf_)
        self.idf_ += 1.0
        return self._weigh(m)

    def transform(self, text: str) -> sp.csr_matrix:
        """One text as a 1 x grams row (grams not seen in fitting are left out)."""
        return self._weigh(self._rows([self._counts(text)]))

    def _rows(self, per_text: list[Counter], order: dict[str, int] | None = None) -> sp.csr_matrix:
        """Count rows, each row's grams in column order, or by ``order`` (scikit-learn's fitted rows hold
        them in the order they first occur in the texts; the order of the sums, and so their rounding,
        follows it)."""
        vocab = self.vocabulary_
        indptr, indices, data = [0], [], []
        for counts in per_text:
            grams = [g for g in counts if g in vocab]
            grams.sort(key=order.__getitem__ if order is not None else vocab.__getitem__)
            indices.extend(vocab[g] for g in grams)
            data.extend(counts[g] for g in grams)
            indptr.append(len(indices))
        return sp.csr_matrix((np.array(data, dtype=self.dtype), np.array(indices, dtype=np.int32),
                              np.array(indptr, dtype=np.int32)), shape=(len(per_text), len(vocab)))

    def _weigh(self, m: sp.csr_matrix) -> sp.csr_matrix:
        np.log(m.data, out=m.data)  # scikit-learn's TfidfTransformer.transform, in its order
        m.data += 1.0
        m.data *= self.idf_[m.indices]
        return unit_rows(m)
