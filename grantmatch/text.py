"""Text helpers shared by every layer. Bottom layer: imports nothing of ours."""

from __future__ import annotations

import unicodedata

# The common diacritics folded by one str.translate (fast path); anything else goes through NFKD.
FOLD_TABLE = {ord(ch): unicodedata.normalize("NFKD", ch)[0] for ch in "āčēģīķļņšūžõäöüåéèêëáàâíìîóòôúùûýÿçñśźżćńąęőű"}


def fold(text: str) -> str:
    """Lower-case and strip diacritics, for forgiving comparisons: ``Liepājā`` -> ``liepaja``."""
    low = text.lower()
    if low.isascii():
        return low
    quick = low.translate(FOLD_TABLE)
    if quick.isascii():
        return quick
    decomposed = unicodedata.normalize("NFKD", quick)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
