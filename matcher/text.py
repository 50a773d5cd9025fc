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

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

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


_ENDINGS_BY_LEN = tuple(
    (n, frozenset(e for e in _LV_ENDINGS if len(e) == n)) for n in sorted({len(e) for e in _LV_ENDINGS}, reverse=True)
)


def stem_lv(key: str) -> str:
    """Strip one Latvian ending (the longest that fits) from a folded word, keeping a stem of at least 4 letters."""
    size = len(key)
    for n, ends in _ENDINGS_BY_LEN:
        if size - n >= 4 and key[-n:] in ends:
            return key[:-n]
    return key


# The common diacritics folded by one str.translate (fast path); anything else goes through NFKD.
_FOLD_TABLE = {ord(ch): unicodedata.normalize("NFKD", ch)[0] for ch in "āčēģīķļņšūžõäöüåéèêëáàâíìîóòôúùûýÿçñśźżćńąęőű"}


def fold(text: str) -> str:
    """Lower-case and strip diacritics: ``Liepājā`` -> ``liepaja``."""
    low = text.lower()
    if low.isascii():
        return low
    quick = low.translate(_FOLD_TABLE)
    if quick.isascii():
        return quick
    decomposed = unicodedata.normalize("NFKD", quick)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


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
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    factory = DefaultDictionaryFactory()
    out = []
    for lang in ("lv", "en"):
        mapping = factory.get_dictionary(lang)
        raw = getattr(mapping, "_dict", None)
        if not isinstance(raw, dict):  # another simplemma layout: build it once
            raw = {k.encode(): v.encode() for k, v in mapping.items()}
        out.append(raw)
    return out[0], out[1]


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
        low = word.lower()
        out: str | None = None
        if word[:1].isupper() and self.protect_names:
            out = self._name(word, low)
        if out is None:
            if len(low) < self.min_len or low in STOP_WORDS:
                out = None
            elif lang != "lv" and _LV_LETTERS.isdisjoint(low):
                # English (and other) words keep their form: measured, exact forms match better
                # than simplemma's English lemmas or a plural rule (cordis dev nDCG@10 0.79 -> 0.82)
                out = fold(low)
            else:
                out = stem_lv(fold(self._lemma(low, lang)))
                if len(out) < self.min_len or out in STOP_WORDS:
                    out = None
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
    def _lemma(word: str, lang: str) -> str:
        """Dictionary lemma (simplemma's Latvian and English dictionaries, looked up directly: fast);
        unknown words are left to the light stemmer (Latvian) or a plural rule (English)."""
        if "-" in word:
            return word
        lv, en = _dicts()
        b = word.encode()
        lv_lemma = lv.get(b)
        en_lemma = en.get(b)
        if lv_lemma is not None and (lang == "lv" or en_lemma is None):
            return lv_lemma.decode()
        if en_lemma is not None:
            return en_lemma.decode()
        if lang != "lv" and _LV_LETTERS.isdisjoint(word):
            if word.endswith("ies") and len(word) > 4:
                return word[:-3] + "y"
            if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
                return word[:-1]
        return word

    def keys(self, text: str, lang: str = "", *, remember: bool = False) -> list[str]:
        """Keys of ``text`` in order (stop words dropped). ``remember`` records surface words."""
        lang = lang or guess_language(text)
        out = []
        for w in words(text, lower=False):
            k = self.key(w, lang)
            if k is None:
                continue
            out.append(k)
            if remember:
                self.surfaces.setdefault(k, Counter())[w.lower()] += 1
        return out

    def key_words(self, text: str, lang: str = "") -> list[tuple[str, str]]:
        """(key, word as written) for the words of ``text`` that have a key, in order."""
        lang = lang or guess_language(text)
        out = []
        for w in words(text, lower=False):
            k = self.key(w, lang)
            if k is not None:
                out.append((k, w))
        return out

    def surface_map(self, text: str, lang: str = "") -> dict[str, str]:
        """For the words of ``text``: key -> the word as written there (first occurrence)."""
        lang = lang or guess_language(text)
        out: dict[str, str] = {}
        for w in words(text, lower=False):
            k = self.key(w, lang)
            if k is not None and k not in out:
                out[k] = w
        return out


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

