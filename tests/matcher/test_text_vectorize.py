"""Keys (protected names, English forms), folding, the vectorised counter and its bigrams."""

from __future__ import annotations

import random
import unicodedata
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from matcher.text import WORD_RE, Analyzer, english_family, fold, fold_all, stem_all, stem_lv
from matcher.vectorize import CharCodes, _words, count_terms


def test_place_names_are_not_lemmatised_into_common_words():
    a = Analyzer()
    # "Liepājā" used to become "liep", the key of "liepa" (a linden tree)
    assert a.key("Liepājā", "lv") == a.key("Liepājas", "lv") == a.key("Liepāja", "lv") == "liepaja"
    assert a.key("liepa", "lv") != "liepaja"
    assert a.key("Ventspilī", "lv") == "ventspils"
    assert a.key("Kurzemē", "lv") == a.key("Kurzemes", "lv") == "kurzeme"
    assert a.key("ES", "lv") == a.key("EU", "en") == "eu"  # the alias of a place, in both languages
    assert a.key("Es", "lv") is None  # "I" at a sentence start is a stop word, not the EU


def test_unknown_capitalised_words_keep_their_form_and_common_words_are_lemmatised():
    a = Analyzer()
    assert a.key("Erasmus", "lv") == "erasmus"
    assert a.key("IT", "lv") == a.key("IT", "en") == "it"  # an acronym, not the stop word "it"
    assert a.key("it", "en") is None
    assert a.key("Jauniešiem", "lv") == a.key("jauniešiem", "lv") == a.key("jaunieši", "lv")
    assert a.key("kultūras", "lv") == a.key("kulturas", "lv")  # typed without diacritics


def test_english_words_keep_their_form_and_know_their_family():
    a = Analyzer()
    assert a.key("museums", "en") == "museums"
    assert english_family("museums") == "museum"
    assert english_family("children") == "child"
    assert english_family("policies") == "policy"
    assert english_family("museum") is None


def _slow_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@pytest.mark.parametrize("word", ["Liepājā", "ŽŪĶĻŅ", "œuvre", "Straße", "Ærø", "Łódź", "café", "plain"])
def test_fast_fold_matches_unicode_decomposition(word):
    assert fold(word) == _slow_fold(word)


def test_stem_strips_the_longest_ending_and_keeps_four_letters():
    assert stem_lv("jauniesiem") == "jaunies"  # "iem", not "em" or "m"
    assert stem_lv("projektiem") == "projekt"
    assert stem_lv("lapa") == "lapa"  # the stem would be shorter than four letters


DATA = Path(__file__).parents[2] / "data"
_ODD = (  # what a batch must not mix up between neighbours
    "Σίσυφος ΟΔΟΣ οδός aΣ ΣΣ ΑΣ-ΒΣ ϒ ℂ 𝐀𝐁𝐂 İstanbul İ ǅemal ǈubljana ß ẞ ŉ ﬁnance ﬃ Ⅻ Æther œuvre Łódź Ærø "
    "Straße STRASSE Tōkyō ŁÓDŹ Москва москва ИТ 中文 日本語 עברית العربية ʻOkina ΐ ǰ K Å Ω "
    "e-pārvalde e-Pārvalde NVO-sektors O'Neil don't it’s ES EU Es es IT it UK Rīga RĪGA Rīgā Liepājā "
    "liepājā Kurzemē Latgale LV lv a b i I A x e zz zzz zzzz Zzzz eID eKlase iPhone McDonald jaunietis "
    "JAUNIEŠIEM Jauniešiem jauniešiem jaunieši kultūras kulturas museums policies ajiem ajam iem s"
)
ODD_WORDS = _ODD.split()


def _varied_words() -> list[str]:
    """Every word of the bundled calls, profiles, glossary and places, as written, lower-cased,
    upper-cased and capitalised, and some odd ones (Greek final sigma, ligatures, other scripts,
    characters beyond the BMP, hyphens, acronyms, one-letter and stop words)."""
    found = set(ODD_WORDS)
    for path in sorted(p for p in DATA.rglob("*") if p.suffix in {".json", ".jsonl", ".tsv", ".toml", ".md"}):
        found.update(WORD_RE.findall(path.read_text(encoding="utf-8")))
    words = sorted({v for w in found for v in (w, w.lower(), w.upper(), w.capitalize())})
    assert len(words) > 8000
    return words


@pytest.mark.parametrize("lang", ["lv", "en", ""])
def test_keys_of_a_batch_are_the_keys_of_each_word_alone(lang):
    words = _varied_words()
    random.Random(0).shuffle(words)  # neighbours of every kind
    a = Analyzer()
    batch = a.keys_of(words, lang)
    alone = [a.key_uncached(w, lang) for w in words]
    assert [(w, k) for w, k, x in zip(words, batch, alone, strict=True) if k != x] == []
    assert sum(k is None for k in batch) > 100 and len(set(batch)) > 3000  # the list exercises every path


def test_batch_fold_and_stem_match_one_text_at_a_time():
    texts = [*ODD_WORDS, "two\nlines Ā", "", "kultūras\n", "𝐀ā", "\U0001F600ņ"]
    assert fold_all(texts) == [fold(t) for t in texts]
    keys = [fold(w) for w in _varied_words()]
    assert stem_all(keys) == [stem_all([k])[0] for k in keys]
    assert stem_all(["jauniesiem", "lapa", "a\nprojektiem"]) == ["jaunies", "lapa", "a\nprojekt"]


TEXTS = [
    ("Jauniešu projekti Liepājā", "Atbalsts jauniešu projektiem un jauniešu centriem."),
    ("Museum grants", "Grants for museums and museum education."),
    ("Jauniešu centri", ""),
]


def _naive(texts, weights, langs, analyzer):
    """The same counts, one token at a time (the reference for the vectorised counter)."""
    uni: list[Counter] = []
    big: list[Counter] = []
    for fields, lang in zip(texts, langs, strict=True):
        u, b = Counter(), Counter()
        for text, w in zip(fields, weights, strict=True):
            keys = [k for k in (analyzer.key(t, lang) for t in WORD_RE.findall(text)) if k is not None]
            for k in keys:
                u[k] += w
            for pair in zip(keys, keys[1:], strict=False):
                b[pair] += w
        uni.append(u)
        big.append(b)
    return uni, big


def test_count_terms_matches_a_token_by_token_count():
    langs = ["lv", "en", "lv"]
    weights = (3.0, 1.0)
    got = count_terms(TEXTS, weights, langs, Analyzer(), bigrams=True, bigram_min_df=1)
    uni, big = _naive(TEXTS, weights, langs, Analyzer())
    inverse = {j: k for k, j in got.vocabulary.items()}
    for i in range(len(TEXTS)):
        row = got.unigrams.getrow(i)
        assert {inverse[j]: x for j, x in zip(row.indices, row.data, strict=True)} == pytest.approx(uni[i])
    v = len(got.vocabulary)
    for i in range(len(TEXTS)):
        row = got.bigrams.getrow(i)
        pairs = {}
        for j, x in zip(row.indices, row.data, strict=True):
            code = int(got.bigram_codes[j])
            pairs[(inverse[code // v], inverse[code % v])] = x
        assert pairs == pytest.approx(big[i])
    assert list(got.bigram_codes) == sorted(got.bigram_codes)
    # the surface words behind the keys are kept for explanations (not the stems)
    assert got.surfaces[got.vocabulary[Analyzer().key("jauniešu", "lv")]] == "jauniešu"


def test_bigram_min_df_drops_pairs_seen_in_one_call_only():
    langs = ["lv", "en", "lv"]
    got = count_terms(TEXTS, (1.0, 1.0), langs, Analyzer(), bigrams=True, bigram_min_df=2)
    df = np.bincount(got.bigrams.indices, minlength=got.bigrams.shape[1])
    assert got.bigrams.shape[1] >= 1 and (df >= 2).all()


def test_fixed_term_space_counts_only_known_terms_in_their_columns():
    langs = ["lv", "en", "lv"]
    first = count_terms(TEXTS, (1.0, 1.0), langs, Analyzer(), bigram_min_df=1)
    again = count_terms([("Jauniešu centri un pilnīgi jauni vārdi",)], (1.0,), ["lv"], Analyzer(),
                        bigram_min_df=1, fixed=(first.vocabulary, first.bigram_codes))
    assert again.unigrams.shape[1] == first.unigrams.shape[1]
    assert again.bigrams.shape[1] == first.bigrams.shape[1]
    # "jauniešu centri" is a known pair (the third call's title); the new words are not counted
    assert again.unigrams.nnz == 2 and again.bigrams.nnz == 1
    assert len(first.vocabulary) == first.unigrams.shape[1]  # the learned space is left untouched


def _regex_words(texts):
    return [(i, w) for i, t in enumerate(texts) for w in WORD_RE.findall(t)]


def _array_words(texts, char_codes=None):
    codes, words, seg = _words(texts, char_codes)
    assert len(set(words)) == len(words)  # one code per distinct word
    return [(int(i), words[c]) for c, i in zip(codes, seg, strict=True)]


@pytest.mark.parametrize("alphabet", [
    "ab1_-'’ \n.āŽ𝐀😀٣ǅ",  # letters, digits (also Arabic-Indic), underscore, joiners, astral letters and emoji
    "".join(chr(c) for c in range(0x20, 0x800)),  # more than 255 distinct characters: 16-bit codes
])
def test_array_words_are_the_regex_words(alphabet):
    rng = np.random.default_rng(0)
    texts = ["".join(rng.choice(list(alphabet), size=rng.integers(0, 60))) for _ in range(3000)]
    texts += ["", "2021-2027 ES-fondi", "jauniešu_centri 3D-druka", "a--b a-'b 'a' x-1 1-x", "ā" * 40]
    assert _array_words(texts) == _regex_words(texts)


def test_array_words_tell_apart_more_than_65535_characters():
    every = "".join(map(chr, range(0x4E00, 0x4E00 + 70000)))  # CJK and beyond: 32-bit codes
    text = every[::7] + " " + every
    texts = [text, text[:5000], "x " + text[-300:]]
    assert _array_words(texts) == _regex_words(texts)


def test_character_codes_carry_over_batches_and_widen():
    codes = CharCodes()
    batches = [["Jauniešu centri", "plain ascii words"], ["".join(chr(c) for c in range(0x100, 0x400)) + " ā x"],
               ["😀ab ab 𝐀x", "Jauniešu centri"]]  # 8-bit codes, then more than 255 characters, then beyond the BMP
    for texts in batches:
        assert _array_words(texts, codes) == _regex_words(texts)
    assert codes.table.dtype == np.uint16 and codes.count > 255


@pytest.mark.parametrize("values", [
    np.array([5, 3, 5, 9, 3, 3, 0, 9], dtype=np.int64),
    np.random.default_rng(3).integers(0, 50, 2000).astype(np.int64) * (2 ** 40),
    np.array([b"ab", b"", b"ab", b"z\x00", b"a", b"z\x00"], dtype=object),
    np.zeros(0, dtype=np.int64),
])
def test_factorize_without_pandas_numbers_as_pandas_does(values):
    import pandas as pd

    from matcher.vectorize import factorize

    want_codes, want_uniques = pd.factorize(values)
    codes, uniques = factorize(values)
    assert codes.dtype == np.int64 and np.array_equal(codes, want_codes)
    assert list(uniques) == list(want_uniques)


def test_lemma_dictionaries_load_through_a_cached_copy_that_may_be_damaged_or_unwritable(tmp_path, monkeypatch):
    from matcher import text

    decoded = text._decode_lemmas("lv")
    monkeypatch.setattr(text, "_lemma_cache_dir", lambda: tmp_path / "cache")
    assert text._lemmas("lv") == decoded  # decoded, then saved
    (copy,) = (tmp_path / "cache").iterdir()
    assert copy.name.startswith("lemmas-lv-simplemma-") and copy.name.endswith(".marshal")
    monkeypatch.setattr(text, "_decode_lemmas", lambda lang: pytest.fail("decoded again"))
    assert text._lemmas("lv") == decoded  # read from the copy
    monkeypatch.undo()
    monkeypatch.setattr(text, "_lemma_cache_dir", lambda: tmp_path / "cache")
    copy.write_bytes(copy.read_bytes()[:1000])  # a copy cut short (a full disk, a killed process)
    assert text._lemmas("lv") == decoded
    assert text._lemmas("lv") == decoded and copy.stat().st_size > 1000  # rewritten whole
    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setattr(text, "_lemma_cache_dir", lambda: tmp_path / "file" / "cache")
    assert text._lemmas("lv") == decoded  # nowhere to save: decoded every time, no error
