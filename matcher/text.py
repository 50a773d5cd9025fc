"""Latvian-aware text normalisation: tokens, stop words, lemmas, diacritic-robust keys.

A *key* is what the matcher indexes: for Latvian, the lemma of a word (simplemma) lightly stemmed,
lower-cased and with diacritics folded; English words keep their own form (``jauniešiem`` ->
``jaunietis`` -> ``jaunietis``; ``kultūras`` ->
``kultūra`` -> ``kultura``). Folding after lemmatising keeps the lemmatiser accurate and still lets
text typed without diacritics (``kulturas``) meet the same key. Each distinct word is lemmatised
once per :class:`Analyzer` (a cache), which is what keeps fitting 100,000 calls fast.

The analyzer also remembers, for each key, the surface words it came from, so explanations can show
the user's own words (``jauniešiem``), never the stems.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from grantmatch.text import FOLD_TABLE, fold

WORD_RE = re.compile(r"[^\W\d_]\w*(?:['’-]\w+)*", re.UNICODE)
_LV_LETTERS = set("āčēģīķļņšūž")

_STOP_EN_TEXT = """
    a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each either etc few for from
    further had has have having he her here hers herself him himself his how however i if in into is
    it its itself just may me might more most must my myself no nor not now of off on once only or
    other our ours ourselves out over own per same shall she should so some such than that the their
    theirs them themselves then there these they this those through thus to too under until up upon
    us very via was we were what when where which while who whom why will with within without would
    yet you your yours yourself yourselves will well e.g i.e eg ie inc
"""
STOP_EN = frozenset(_STOP_EN_TEXT.split())

_STOP_LV_TEXT = """
    ar arī bet bez būs būt caur dēļ gan ir ja jā jau jeb jo kā kad kas kur kura kuri kuru kurš kurā
    kurās kuras kuriem kurām kuram kurai kurus kādā kādi kāds kāda kādu kopā lai līdz no nu nav
    nevis pa par pat pie pirms pēc priekš reizē sev savu savā savas savs savi savām savai tad tak
    tam tas tā tām tāpēc tās te tie tiek tiem tik tikai tiks tikt to tos tu tur un uz vai vairāk var
    varētu vien vēl viņa viņi viņu viņš visi visu visus mēs mums mūsu jūs jums jūsu es man mans mana
    manu tev tavs šis šī šo šajā šie šīs šiem šīm šā ši ne nekā ka kā ap aiz starp virs zem pret
    bija bijis bijusi būtu esam esat esmu ļoti gada gadā gadu
"""
STOP_LV = frozenset(_STOP_LV_TEXT.split())

STOP_WORDS = STOP_EN | STOP_LV

# Latvian endings for the light stemmer, longest first (applied to folded lemmas).
_LV_ENDINGS = (
    "ajiem", "ajam", "ajai", "ajos", "ajas", "ajam", "ajie", "ajo", "aja", "ajs", "aji", "aju",
    "iem", "am", "em", "as", "es", "os", "us", "is", "ai", "ei", "ie", "im", "um", "ij",
    "a", "e", "i", "u", "o", "s",
)


# The stemmer as one regex over reversed words, one a line: the endings become prefixes, tried longest
# first, each only where at least 4 characters of the same word follow (the stem); one re.sub stems a
# whole batch of words.
_STEM_REVERSED = re.compile(
    "^(?:" + "|".join(e[::-1] for e in sorted(set(_LV_ENDINGS), key=len, reverse=True)) + r")(?=[^\n]{4})",
    re.MULTILINE,
)


def stem_lv(key: str) -> str:
    """Strip one Latvian ending (the longest that fits) from a folded word, keeping a stem of at least 4 letters."""
    return stem_all([key])[0]


def stem_all(keys: Sequence[str]) -> list[str]:
    """:func:`stem_lv` of each of ``keys``, in one regex pass over all of them."""
    return _each_line(lambda joined: _STEM_REVERSED.sub("", joined[::-1])[::-1], keys)


def _each_line(transform: Callable[[str], str], texts: Sequence[str]) -> list[str]:
    """``transform`` of each of ``texts``, by one call over them joined with line breaks (one C-level
    pass instead of a Python call per word); ``transform`` must treat each line on its own and keep the
    line breaks. Texts with a line break of their own are transformed one by one."""
    if not texts:
        return []
    joined = "\n".join(texts)
    if joined.count("\n") != len(texts) - 1:
        return [transform(t) for t in texts]
    return transform(joined).split("\n")


def fold_all(texts: Sequence[str]) -> list[str]:
    """:func:`fold` of each of ``texts``: those with a diacritic are translated together (a table
    lookup over their UTF-16 code units), and :func:`fold` itself takes any that are still not plain
    ASCII after it (rare; NFKD)."""
    low = list(map(str.lower, texts))
    odd = [i for i, t in enumerate(low) if not t.isascii()]
    for i, q in zip(odd, _each_line(_translate_folds, [low[i] for i in odd]), strict=True):
        low[i] = q if q.isascii() else fold(texts[i])
    return low


@lru_cache(maxsize=1)
def _fold_units() -> np.ndarray:
    """UTF-16 code unit -> its :data:`FOLD_TABLE` replacement (itself when it has none)."""
    units = np.arange(0x10000, dtype=np.uint16)
    for ch, to in FOLD_TABLE.items():
        units[ch] = ord(to)
    return units


def _translate_folds(text: str) -> str:
    """``text.translate(FOLD_TABLE)`` as one array lookup (``str.translate`` makes a dict lookup per
    character). Characters beyond the BMP are surrogate pairs, which the table leaves alone."""
    units = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype="<u2")
    return _fold_units()[units].tobytes().decode("utf-16-le", "surrogatepass")


def words(text: str, *, lower: bool = True) -> list[str]:
    """Word tokens (letters, inner hyphens and apostrophes), digits dropped; lower-cased unless
    ``lower=False`` (the analyzer needs the case to protect names)."""
    found = WORD_RE.findall(text or "")
    return [w.lower() for w in found] if lower else found


def guess_language(text: str) -> str:
    """``lv`` when the text has Latvian letters or common Latvian words, else ``en``."""
    sample = (text or "")[:2000].lower()
    if any(ch in _LV_LETTERS for ch in sample):
        return "lv"
    toks = words(sample)
    if not toks:
        return "en"
    lv = sum(t in STOP_LV for t in toks)
    en = sum(t in STOP_EN for t in toks)
    return "lv" if lv > en else "en"


@lru_cache(maxsize=1)
def _places():
    from matcher.places import default_places

    return default_places()


@lru_cache(maxsize=1)
def _dicts() -> tuple[dict[bytes, bytes], dict[bytes, bytes]]:
    """simplemma's Latvian and English word -> lemma dictionaries, as plain dicts of bytes."""
    return _lemmas("lv"), _lemmas("en")


def _lemmas(lang: str) -> dict[bytes, bytes]:
    """One language's dictionary, through a copy in the user's cache folder.

    simplemma decodes its compressed dictionaries in Python (0.12 s a language); the decoded dict,
    saved with ``marshal``, loads in 0.03 s. Every process that tags or fits pays this (the weekly
    scrape job, each command, the app's start). The copy is named by simplemma's version; a missing,
    damaged or unwritable copy only means decoding again.
    """
    import simplemma

    cache = _lemma_cache_dir() / f"lemmas-{lang}-simplemma-{getattr(simplemma, '__version__', 'unknown')}.marshal"
    with contextlib.suppress(OSError, EOFError, ValueError, TypeError):
        raw = marshal.loads(cache.read_bytes())
        if isinstance(raw, dict):
            return raw
    raw = _decode_lemmas(lang)
    with contextlib.suppress(OSError):
        cache.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache.parent, prefix=cache.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                marshal.dump(raw, fh)
            os.replace(tmp, cache)
        finally:
            Path(tmp).unlink(missing_ok=True)
    return raw


def _lemma_cache_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("grantmatch"))


def _decode_lemmas(lang: str) -> dict[bytes, bytes]:
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    mapping = DefaultDictionaryFactory().get_dictionary(lang)
    raw = getattr(mapping, "_dict", None)
    if not isinstance(raw, dict):  # another simplemma layout: build it once
        raw = {k.encode(): v.encode() for k, v in mapping.items()}
    return raw


class Analyzer:
    """Turns text into matcher keys, lemmatising each distinct word once.

    Parameters
    ----------
    min_len : int, default=2
        Shorter words are dropped.
    protect_names : bool, default=True
        Keep place names and unknown capitalised words out of the lemmatiser.
    """

    def __init__(self, min_len: int = 2, protect_names: bool = True) -> None:
        self.min_len = min_len
        self.protect_names = protect_names
        self._cache: dict[tuple[str, str], str | None] = {}
        self.surfaces: dict[str, Counter] = {}

    def __getstate__(self) -> dict:
        # The lemma cache is rebuilt on demand; keep only the (small) surface map's best words.
        return {"min_len": self.min_len, "protect_names": self.protect_names, "_cache": {}, "surfaces": {}}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)

    def key(self, word: str, lang: str = "") -> str | None:
        """The key of one word as written (case kept), or None for stop words and noise.

        Names are protected from the lemmatiser: a capitalised word that names a place of
        ``data/places.json`` (in any case form: ``Liepājā``, ``Liepājas``) becomes that place
        (``liepaja``), and a capitalised word neither dictionary knows keeps its own form.
        """
        ck = (word, lang)
        hit = self._cache.get(ck, "")
        if hit != "":
            return hit
        out = self.key_uncached(word, lang)
        self._cache[ck] = out
        return out

    def key_uncached(self, word: str, lang: str = "") -> str | None:
        """:meth:`key` without the cache (for callers that keep their own)."""
        return self.keys_of([word], lang)[0]

    def keys_of(self, words: Sequence[str], lang: str = "") -> list[str | None]:
        """The key of each of ``words`` (as :meth:`key`, without its cache), worked out for all of them
        at once: lower-casing, folding, dictionary lookups and stemming are each one pass over the
        batch instead of a chain of Python calls per word, which is what keeps fitting 100,000 calls
        fast. Capitalised words (names) take :meth:`_name` one by one first."""
        lows = list(map(str.lower, words))
        out: list[str | None] = [None] * len(words)
        if self.protect_names:
            for i in [i for i, w in enumerate(words) if w[:1].isupper()]:
                out[i] = self._name(words[i], lows[i])
        min_len = self.min_len
        rest = [i for i, low in enumerate(lows) if out[i] is None and len(low) >= min_len and low not in STOP_WORDS]
        if lang != "lv":
            # English (and other) words keep their form: measured, exact forms match better
            # than simplemma's English lemmas or a plural rule (cordis dev nDCG@10 0.79 -> 0.82)
            plain = [_LV_LETTERS.isdisjoint(lows[i]) for i in rest]
            own = [i for i, p in zip(rest, plain, strict=True) if p]
            for i, k in zip(own, fold_all([lows[i] for i in own]), strict=True):
                out[i] = k
            rest = [i for i, p in zip(rest, plain, strict=True) if not p]
        stems = stem_all(fold_all(self._lemmas([lows[i] for i in rest], lang)))
        for i, k in zip(rest, stems, strict=True):
            if len(k) >= min_len and k not in STOP_WORDS:
                out[i] = k
        return out

    def _name(self, word: str, low: str) -> str | None:
        """The protected key of a capitalised word, or None to lemmatise it as usual."""
        if len(word) >= 4 or word.isupper():
            place = _places().resolve(word)
            if place is not None:
                return fold(place)
        if word.isupper() and 2 <= len(word) <= 5:  # an acronym (IT, NVO, ESF): never a stop word or a lemma
            return fold(low)
        if len(low) < max(self.min_len, 3) or "-" in low:
            return None
        lv, en = _dicts()
        b = low.encode()
        if b in lv or b in en or word.encode() in lv or word.encode() in en:
            return None
        return fold(low)

    @staticmethod
    def _lemmas(words: Sequence[str], lang: str) -> list[str]:
        """Dictionary lemma of each of ``words`` (simplemma's Latvian and English dictionaries, looked
        up directly: fast), the language's own first; hyphenated and unknown words are kept as they
        are (the light stemmer follows)."""
        if not words:
            return []
        lv, en = _dicts()
        first, second = (lv, en) if lang == "lv" else (en, lv)
        raw = [w.encode() for w in words]
        picked = [
            b if b"-" in b else x if x is not None else y if y is not None else b
            for b, x, y in zip(raw, map(first.get, raw), map(second.get, raw), strict=True)
        ]
        text = b"\n".join(picked).decode()
        if text.count("\n") != len(picked) - 1:  # a lemma with a line break of its own
            return [x.decode() for x in picked]
        return text.split("\n")

    def keys(self, text: str, lang: str = "", *, remember: bool = False) -> list[str]:
        """Keys of ``text`` in order (stop words dropped). ``remember`` records surface words."""
        lang = lang or guess_language(text)
        out = []
        for w, k in self._word_keys(text, lang):
            if k is None:
                continue
            out.append(k)
            if remember:
                self.surfaces.setdefault(k, Counter())[w.lower()] += 1
        return out

    def key_words(self, text: str, lang: str = "") -> list[tuple[str, str]]:
        """(key, word as written) for the words of ``text`` that have a key, in order."""
        lang = lang or guess_language(text)
        return [(k, w) for w, k in self._word_keys(text, lang) if k is not None]

    def surface_map(self, text: str, lang: str = "") -> dict[str, str]:
        """For the words of ``text``: key -> the word as written there (first occurrence)."""
        lang = lang or guess_language(text)
        out: dict[str, str] = {}
        for w, k in self._word_keys(text, lang):
            if k is not None and k not in out:
                out[k] = w
        return out

    def _word_keys(self, text: str, lang: str) -> list[tuple[str, str | None]]:
        """(word as written, its key or None) for the words of ``text``; the words the cache does not
        know yet go through :meth:`keys_of` together."""
        found = words(text, lower=False)
        cache = self._cache
        new = list({w for w in found if (w, lang) not in cache})
        for w, k in zip(new, self.keys_of(new, lang), strict=True):
            cache[(w, lang)] = k
        return [(w, cache[(w, lang)]) for w in found]


def display_word(word: str, lang: str = "") -> str:
    """``word`` as an explanation shows it: a capitalised common word (a sentence's first: "Biedrība",
    "Jaunieši", "Youth") in lower case, so that "why it fits" does not read as a name; names
    ("Liepājā", "FOTAST") and words the dictionaries do not know stay as written. A common word is
    one whose lower-case form the dictionaries list with a lower-case lemma."""
    if not (word[:1].isupper() and word[1:].islower()):
        return word
    low = word.lower()
    lv, en = _dicts()
    first, second = (lv, en) if lang == "lv" else (en, lv)
    b = low.encode()
    lemma = first.get(b) or second.get(b)
    if lemma is None or not lemma.decode()[:1].islower() or _places().resolve(word) is not None:
        return word
    return low


def ngrams(keys: list[str], n: int) -> Iterable[tuple[str, ...]]:
    """Consecutive ``n``-tuples of ``keys``."""
    return zip(*(keys[i:] for i in range(n)), strict=False)


def english_family(key: str) -> str | None:
    """The English dictionary lemma (or singular) of an English key, or None when it is its own:
    ``museums`` -> ``museum``, ``children`` -> ``child``. Used to let exact forms meet their variants."""
    if not key.isascii() or "-" in key:
        return None
    hit = _dicts()[1].get(key.encode())
    base = hit.decode().lower() if hit is not None else key
    if base == key:
        if key.endswith("ies") and len(key) > 4:
            base = key[:-3] + "y"
        elif key.endswith("s") and not key.endswith(("ss", "us", "is")) and len(key) > 3:
            base = key[:-1]
    return base if base != key else None
