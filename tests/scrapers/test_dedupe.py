"""Cross-source deduplication of calls."""

from __future__ import annotations

from datetime import date

from grantmatch.models import ApplicantType, GrantCall
from scrapers.dedupe import dedupe, funders_agree, same_call, title_similarity


def call(id_, source, title, *, funder=None, deadline=None, url=None, **kw):
    return GrantCall(
        id=id_, source=source, title=title, url=url or f"https://{source}.lv/{id_}", funder=funder,
        deadline=deadline, **kw,
    )  # fmt: skip


SIF = call(
    "sif-nvo-fonds-2027",
    "sif",
    "NVO fonda 2027. gada projektu konkurss",
    funder="Sabiedrības integrācijas fonds",
    deadline=date(2027, 2, 20),
    summary="Pilns konkursa apraksts ...",
    max_amount_eur=20000,
)
NVO = call(
    "nvo-sif-izsludina-nvo-fonda-konkursu",
    "nvo",
    "SIF izsludina NVO fonda projektu konkursu 2027. gadam",
    funder="SIF",
    deadline=date(2027, 2, 20),
    summary="Īsa ziņa ar saiti uz SIF lapu, kas ir garāka par oriģinālu " * 5,
    eligible_applicants=(ApplicantType.ASSOCIATION,),
)


def test_title_similarity_ignores_diacritics_and_inflection():
    assert title_similarity("Kultūras projektu konkurss", "KULTURAS PROJEKTU KONKURSA") == 1.0
    assert title_similarity("Jauniešu iniciatīvu konkurss", "Sociālās iekļaušanas konkurss") < 0.5


def test_funders_agree_with_acronyms_and_unstated():
    assert funders_agree("SIF", "Sabiedrības integrācijas fonds")
    assert funders_agree(None, "Valsts kultūrkapitāla fonds")
    assert not funders_agree("Valsts kultūrkapitāla fonds", "Liepājas valstspilsētas pašvaldība")


def test_same_call_needs_equal_deadlines():
    assert same_call(SIF, NVO)
    moved = call("nvo-x", "nvo", NVO.title, funder="SIF", deadline=date(2027, 3, 1))
    assert not same_call(SIF, moved)


def test_same_source_never_merged():
    twin = call("sif-other", "sif", SIF.title, funder=SIF.funder, deadline=SIF.deadline)
    assert len(dedupe([SIF, twin]).calls) == 2


def test_funders_own_source_is_kept_and_other_url_remembered():
    result = dedupe(
        [NVO, SIF], own_funders={"sif": "Sabiedrības integrācijas fonds", "nvo": "Latvijas Pilsoniskā alianse"}
    )
    (kept,) = result.calls
    assert kept.id == "sif-nvo-fonds-2027"  # the funder's own page, although nvo's record is longer
    assert result.also_at == {"sif-nvo-fonds-2027": ["https://nvo.lv/nvo-sif-izsludina-nvo-fonda-konkursu"]}
    assert result.merged == {"sif-nvo-fonds-2027": ["nvo-sif-izsludina-nvo-fonda-konkursu"]}
    assert kept.eligible_applicants == (ApplicantType.ASSOCIATION,)  # filled from the other record
    assert kept.max_amount_eur == 20000 and kept.summary == SIF.summary


def test_without_own_source_the_richer_record_wins():
    a = call("a-1", "a", "Liepājas kultūras projektu konkurss", deadline=date(2027, 2, 1))
    b = call("b-1", "b", "Liepājas kultūras projektu konkurss", deadline=date(2027, 2, 1), summary="Teksts",
             max_amount_eur=5000)  # fmt: skip
    assert [c.id for c in dedupe([a, b]).calls] == ["b-1"]


def test_different_calls_stay_apart_and_order_is_kept():
    other = call("sif-diaspora", "sif", "Diasporas atbalsta programma", funder="SIF", deadline=date(2027, 2, 20))
    kkf = call("kkf-1", "kkf", "VKKF 1. konkursa kārta", funder="VKKF", deadline=date(2027, 1, 25))
    result = dedupe([kkf, NVO, other, SIF])
    assert [c.id for c in result.calls] == ["kkf-1", "nvo-sif-izsludina-nvo-fonda-konkursu", "sif-diaspora"] or [
        c.id for c in result.calls
    ] == ["kkf-1", "sif-diaspora", "sif-nvo-fonds-2027"]
    assert len(result.calls) == 3


def test_missing_deadline_needs_a_closer_title():
    a = call("a-1", "a", "Jauniešu iniciatīvu projektu konkurss", deadline=date(2027, 10, 1))
    near = call("b-1", "b", "Jauniešu iniciatīvu projektu konkurss")
    loose = call("c-1", "c", "Jauniešu iniciatīvu atbalsts Liepājā")
    assert same_call(a, near)
    assert not same_call(a, loose)
