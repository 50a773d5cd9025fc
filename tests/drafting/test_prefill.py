"""Which call sentences pre-fill "Aims of the call" and "Activities the call supports".

The rule: the call's aims or what it supports, or nothing (the section keeps its guidance) — never a
sentence about money, who may apply, how to apply or what applicants must do."""

from __future__ import annotations

import json
import re

import pytest

from grantmatch.drafting import build_draft
from grantmatch.drafting.extract import pick_sentences, split_sentences
from grantmatch.models import GrantCall
from grantmatch.paths import DATA_DIR

from .conftest import TODAY


def _aims(text: str) -> list[str]:
    return pick_sentences(split_sentences(text), "aims")


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (  # Latvian: the aim sentence among an amount and a deadline
            "Ogres novada pašvaldība izsludina konkursu. Konkursa mērķis ir veicināt iedzīvotāju iesaisti "
            "vides sakopšanā Ogres novadā. Vienam projektam piešķir līdz 3000 eiro. Pieteikumus iesniedz "
            "līdz 15. martam.",
            ["Konkursa mērķis ir veicināt iedzīvotāju iesaisti vides sakopšanā Ogres novadā."],
        ),
        (  # "mērķa grupa" is the target group, not an aim
            "Projekta mērķa grupa ir vientuļi seniori Valmierā. Programmas mērķis ir mazināt senioru sociālo "
            "izolāciju.",
            ["Programmas mērķis ir mazināt senioru sociālo izolāciju."],
        ),
        (  # "atbalsta" as the verb "supports"
            "Fonds atbalsta kopienu iniciatīvas, kas uzlabo dzīves vidi Cēsu apkaimēs. Atbalsta apmērs "
            "vienam projektam ir no 500 līdz 2000 eiro.",
            ["Fonds atbalsta kopienu iniciatīvas, kas uzlabo dzīves vidi Cēsu apkaimēs."],
        ),
        (  # only money, eligibility and procedure: nothing
            "Atbalsta summas parasti ir no dažiem simtiem līdz 15 000 eiro projektam. Pieteikties var "
            "biedrības un nodibinājumi. Pieteikumi jāiesniedz e-pastā līdz 1. aprīlim. Kurzemes NVO atbalsta "
            "centrs ar ministrijas atbalstu izsludina konkursu.",
            [],
        ),
        (  # an obligation about the project's aim is a requirement, not the call's aim
            "Projekta mērķim jāatbilst programmas prioritātēm.",
            [],
        ),
        (
            "The Foundation announces its spring grant round. The programme aims to strengthen community-led "
            "climate action in rural Estonia and Latvia. Grants of up to EUR 10,000 are available. Applicants "
            "must be registered non-profit organisations.",
            ["The programme aims to strengthen community-led climate action in rural Estonia and Latvia."],
        ),
        (
            "Projects must contribute to the objectives of the EU Strategy for the Baltic Sea Region. Support of "
            "up to 80% of eligible costs is available. The deadline is 3 March 2027.",
            [],
        ),
        (
            "The Embassy funds projects that promote media literacy among young people outside Riga. Activities "
            "may include teacher training and fact-checking clubs.",
            ["The Embassy funds projects that promote media literacy among young people outside Riga."],
        ),
    ],
)
def test_aims_are_the_aim_sentences_or_nothing(text, want):
    assert _aims(text) == want


def test_supported_activities_are_activities_not_aims():
    text = (
        "Programmas mērķis ir stiprināt jauniešu līdzdalību. Atbalstāmās aktivitātes: semināri, darbnīcas "
        "un pieredzes apmaiņas braucieni. Vienam projektam līdz 5000 eiro."
    )
    sentences = split_sentences(text)
    aims = pick_sentences(sentences, "aims")
    assert aims == ["Programmas mērķis ir stiprināt jauniešu līdzdalību."]
    acts = pick_sentences(sentences, "activities", skip=set(aims))
    assert acts == ["Atbalstāmās aktivitātes: semināri, darbnīcas un pieredzes apmaiņas braucieni."]


def _bundled_calls() -> list[GrantCall]:
    lines = (DATA_DIR / "calls.jsonl").read_text(encoding="utf-8").splitlines()
    return [GrantCall.from_dict(json.loads(line)) for line in lines if line.strip()]


_WRONG = re.compile(r"\d\s*(eiro|EUR|€)|€\s*\d|%|\bjā\w{3,}|\bmust\b|pieteik|apply|applicant", re.IGNORECASE)


def test_bundled_calls_never_get_a_money_or_procedure_sentence_as_aims():
    calls = _bundled_calls()
    picked = {c.id: _aims(c.summary) for c in calls}
    wrong = {cid: s for cid, aims in picked.items() for s in aims if _WRONG.search(s)}
    assert not wrong
    # most calls state what they are for, or what they support
    acts = {c.id: pick_sentences(split_sentences(c.summary), "activities", skip=set(picked[c.id])) for c in calls}
    assert sum(bool(picked[c.id] or acts[c.id]) for c in calls) >= 0.7 * len(calls)
    # Latvian calls too: none of them had activities when their lists of what is supported were taken for aims
    latvian = [c.id for c in calls if c.language == "lv"]
    assert sum(bool(acts[cid]) for cid in latvian) >= 0.4 * len(latvian)
    assert not {cid: s for cid, a in acts.items() for s in a if _WRONG.search(s)}


@pytest.mark.parametrize(
    ("text", "aims", "acts"),
    [
        (  # the list of what is supported, with no subject: activities, not a second aim
            "Konkursa mērķis ir atbalstīt nevalstisko organizāciju projektus, kas mazina sociālo atstumtību. "
            "Atbalsta atbalsta grupas, sociālās rehabilitācijas pasākumus, brīvā laika aktivitātes un "
            "pašpalīdzības iniciatīvas. Vienam projektam līdz 15 000 eiro.",
            ["Konkursa mērķis ir atbalstīt nevalstisko organizāciju projektus, kas mazina sociālo atstumtību."],
            ["Atbalsta atbalsta grupas, sociālās rehabilitācijas pasākumus, brīvā laika aktivitātes un "
             "pašpalīdzības iniciatīvas."],
        ),
        (  # only a list: no aim, and the list pre-fills the activities
            "Liepājas Kultūras pārvalde aicina iesniegt kultūras projektus. Atbalsta koncertus, izstādes, "
            "festivālus un teātra izrādes. Kopējais finansējums ir 50 000 eiro.",
            [],
            ["Atbalsta koncertus, izstādes, festivālus un teātra izrādes."],
        ),
        (  # an aim that also names fields of support stays an aim
            "Programmas mērķis ir stiprināt pilsonisko sabiedrību: iedzīvotāju līdzdalību, interešu "
            "aizstāvību, NVO darbību.",
            ["Programmas mērķis ir stiprināt pilsonisko sabiedrību: iedzīvotāju līdzdalību, interešu "
             "aizstāvību, NVO darbību."],
            [],
        ),
        (
            "The programme aims to strengthen cultural cooperation around the Baltic Sea. Eligible activities "
            "include joint meetings, workshops, seminars and staff exchanges.",
            ["The programme aims to strengthen cultural cooperation around the Baltic Sea."],
            ["Eligible activities include joint meetings, workshops, seminars and staff exchanges."],
        ),
    ],
)
def test_a_list_of_what_is_supported_is_activities_not_an_aim(text, aims, acts):
    sentences = split_sentences(text)
    got = pick_sentences(sentences, "aims")
    assert got == aims
    assert pick_sentences(sentences, "activities", skip=set(got)) == acts


def test_vkkf_draft_in_english_has_no_wrong_aims(profile):
    call = next(c for c in _bundled_calls() if c.id == "kkf-projektu-konkurss-2027-1")
    d = build_draft(profile, call, lang="en", today=TODAY)
    texts = {s["key"]: s["text"] for s in d["sections"]}
    assert "Atbalsta summas" not in texts["problem"] + texts["objectives"]
    # no aim sentence in this call: the objectives section is left to its guidance
    assert texts["objectives"] == ""
    assert d["logframe"][0]["description"] == call.title


_LV_LETTERS = re.compile("[āčēģīķļņšūž]", re.IGNORECASE)


@pytest.mark.parametrize("name", ["vkkf", "sif-nvo-fonds", "lv-generic", "liepaja-nvo", "eu-generic", "erasmus-youth"])
def test_english_draft_has_english_guidance_and_budget_lines(profile, name):
    call = next(c for c in _bundled_calls() if c.id == "kkf-projektu-konkurss-2027-1")
    en = build_draft(profile, call, template=name, lang="en", today=TODAY)
    lv = build_draft(profile, call, template=name, lang="lv", today=TODAY)
    for sec_en, sec_lv in zip(en["sections"], lv["sections"], strict=True):
        assert sec_en["guidance"] != sec_lv["guidance"], sec_en["key"]
        assert not _LV_LETTERS.search(sec_en["guidance"].replace("Liepāja", "")), sec_en["guidance"]
    for line in en["budget"]["lines"]:
        assert not _LV_LETTERS.search(line["category"] + line["unit"]), line
    assert [ln["unit_cost"] for ln in en["budget"]["lines"]] == [ln["unit_cost"] for ln in lv["budget"]["lines"]]


def test_english_checklist_names_places_and_quotes_the_calls_own_words(profile):
    call = next(c for c in _bundled_calls() if c.id == "kkf-projektu-konkurss-2027-1")
    en = [i["text"] for i in build_draft(profile, call, lang="en", today=TODAY)["checklist"]]
    assert "Where: Latvia" in en
    quoted = [t for t in en if "Pieteikties var" in t]
    assert quoted == ["In the call's words (Latvian): “Pieteikties var fiziskas un juridiskas personas, tostarp "
                      "biedrības, nodibinājumi un kultūras iestādes.”"]  # fmt: skip
    assert all(t.startswith("In the call's words") for t in en if _LV_LETTERS.search(t))
    lv = [i["text"] for i in build_draft(profile, call, lang="lv", today=TODAY)["checklist"]]
    assert "Darbības vieta: Latvija" in lv
    assert "Pieteikties var fiziskas un juridiskas personas, tostarp biedrības, nodibinājumi un kultūras " \
        "iestādes." in lv


def test_call_aims_in_another_language_are_quoted(profile):
    call = next(c for c in _bundled_calls() if c.id == "sif-nvo-fonds-2027")
    en = {s["key"]: s["text"] for s in build_draft(profile, call, lang="en", today=TODAY)["sections"]}
    assert en["objectives"].startswith("Aims of the call: In the call's words (Latvian): “Programmas mērķis ir")
    lv = {s["key"]: s["text"] for s in build_draft(profile, call, lang="lv", today=TODAY)["sections"]}
    assert lv["objectives"].startswith("Konkursa mērķi: Programmas mērķis ir")


@pytest.mark.parametrize(
    ("sentence", "kept"),
    [
        ("Atbalsta summas parasti ir no dažiem simtiem līdz 15 000 eiro projektam, atkarībā no nozares.", False),
        ("Kopējais konkursa finansējums ir 50 000 eiro.", False),
        ("The total budget of the call is EUR 2 million.", False),
        ("Kopējais konkursa finansējums ir 50 000 eiro; pieteikumu iesniedz tiešsaistes veidlapā.", True),
        ("Vienam projektam var piešķirt no 1000 līdz 5000 eiro: līdz 80 % no izmaksām bezmaksas pasākumiem.", True),
        ("The total budget is EUR 2 million; grants must not exceed EUR 60,000.", True),
    ],
)
def test_the_checklist_leaves_out_what_only_tells_the_funding(sentence, kept):
    """The checklist quoted "Atbalsta summas parasti ir ... līdz 15 000 eiro" beside its own "amount at
    most 15 000 €": the call's total or usual sums are not conditions; a limit, a share or a step is."""
    from grantmatch.drafting.extract import extract_requirements

    assert bool(extract_requirements(sentence)) is kept
