"""The glossary loader: translations and related-term sets, one map."""

from __future__ import annotations

import pytest

from matcher import MatcherError
from matcher.glossary import RELATED, TRANSLATION, Glossary, default_glossary
from matcher.text import Analyzer


@pytest.fixture()
def analyzer():
    return Analyzer()


def _files(tmp_path, glossary, related):
    g, r = tmp_path / "glossary.tsv", tmp_path / "related.tsv"
    g.write_text(glossary, encoding="utf-8")
    r.write_text(related, encoding="utf-8")
    return g, r


def key(analyzer, text, lang):
    return tuple(analyzer.keys(text, lang))


def test_related_sets_link_every_phrase_in_both_languages(tmp_path, analyzer):
    g, r = _files(tmp_path, "biedrība\tassociation\n",
                  "# a comment\nbiedrība | NVO\tNGO | civil society organisation\n")
    gl = Glossary.load(analyzer, g, r)
    lv, ngo = key(analyzer, "biedrība", "lv"), key(analyzer, "NGO", "en")
    cso = key(analyzer, "civil society organisation", "en")
    assert gl.map[lv][key(analyzer, "association", "en")] == TRANSLATION
    assert gl.map[lv][ngo] == RELATED and gl.map[lv][cso] == RELATED
    assert gl.map[ngo][lv] == RELATED and gl.map[cso][key(analyzer, "NVO", "lv")] == RELATED
    assert lv not in gl.map[lv]  # a phrase is not related to itself


def test_a_translation_wins_over_a_relation(tmp_path, analyzer):
    g, r = _files(tmp_path, "pašvaldība\tmunicipality\n", "pašvaldība | dome\tmunicipality | local authority\n")
    gl = Glossary.load(analyzer, g, r)
    assert gl.map[key(analyzer, "pašvaldība", "lv")][key(analyzer, "municipality", "en")] == TRANSLATION
    assert gl.map[key(analyzer, "pašvaldība", "lv")][key(analyzer, "local authority", "en")] == RELATED


def test_expand_counts_related_phrases_only_when_asked(tmp_path, analyzer):
    g, r = _files(tmp_path, "biedrība\tassociation\n", "biedrība\tNGO\n")
    gl = Glossary.load(analyzer, g, r)
    keys = analyzer.keys("biedrība", "lv")
    assert set(gl.expand(keys)) == {"association"}
    assert gl.expand(keys, related_weight=0.5) == {"association": 1.0, "ngo": 0.5}


def test_a_malformed_related_line_names_the_expected_shape(tmp_path, analyzer):
    g, r = _files(tmp_path, "biedrība\tassociation\n", "biedrība | NVO, NGO\n")
    shape = r"expected 'latvian phrase \| \.\.\.<TAB>english phrase \| \.\.\.'"
    with pytest.raises(MatcherError, match=shape + r" at .*related.tsv:1, found"):
        Glossary.load(analyzer, g, r)


def test_bundled_sets_link_applicant_kinds(analyzer):
    gl = default_glossary(analyzer)

    def related(a, lang_a, b, lang_b):
        return gl.map.get(key(analyzer, a, lang_a), {}).get(key(analyzer, b, lang_b)) == RELATED

    assert related("jaunuzņēmumi", "lv", "SME", "en")
    assert related("company", "en", "SME", "en")
    assert related("uzņēmējdarbība", "lv", "MVU", "lv")
    assert related("biedrība", "lv", "civil society organisation", "en")
    assert related("pašvaldība", "lv", "local authority", "en")
