from __future__ import annotations

import json

import pytest

from grantmatch.drafting import budget_flag_messages, build_draft, draft_budget
from grantmatch.drafting.extract import extract_requirements, split_sentences
from grantmatch.drafting.outline import DraftError
from grantmatch.models import EligibilityFact

from .conftest import LV_CHARS, TODAY


def test_requirement_sentences_ranked_and_noise_left_out(sif_call, eu_call):
    reqs = [r.text for r in extract_requirements(sif_call.summary)]
    # criteria words and "jā-" obligation forms rank first
    assert {reqs[0][:20], reqs[1][:20]} == {"Vērtēšanas kritēriji", "Projekta iesniedzēja"}
    assert not any("Laikapstākļi" in r for r in reqs)
    en = [r.text for r in extract_requirements(eu_call.summary)]
    assert any(r.startswith("Applicants must") for r in en)
    assert any("award criteria" in r for r in en)
    assert not any("Brussels" in r for r in en)


def test_split_sentences_keeps_list_items():
    text = "Nosacījumi:\n- jābūt reģistrētai biedrībai\n• projekts jāīsteno Liepājā. Cits teikums te."
    assert split_sentences(text) == ["jābūt reģistrētai biedrībai", "projekts jāīsteno Liepājā.", "Cits teikums te."]


def test_draft_follows_template_and_prefills(profile, sif_call):
    d = build_draft(profile, sif_call, today=TODAY)
    assert d["template"] == "sif-nvo-fonds" and d["lang"] == "lv"
    keys = [s["key"] for s in d["sections"]]
    assert keys[:3] == ["problem", "objectives", "target_groups"]
    by_key = {s["key"]: s for s in d["sections"]}
    assert profile.mission in by_key["problem"]["text"]
    assert "ģimenes ar bērniem" in by_key["target_groups"]["text"]
    assert "koplietošanas dārzu ierīkošana" in by_key["activities"]["text"]
    assert "22.02.2027." in by_key["activities"]["text"]
    assert "10 %" in by_key["cofinancing"]["text"]
    assert "30\u00a0000\u00a0€" in by_key["budget"]["text"]
    texts = [c["text"] for c in d["checklist"]]
    assert texts[0] == "Iesniegt līdz 22.02.2027."
    assert any("Vērtēšanas kritēriji" in t for t in texts)
    assert [f["outcome"] for f in d["eligibility"]] == ["met", "met", "met"]
    assert LV_CHARS in json.dumps(d, ensure_ascii=False)  # plain JSON-ready data
    assert json.loads(json.dumps(d)) == d


def test_language_follows_call_and_can_be_overridden(profile, eu_call, sif_call):
    d = build_draft(profile, eu_call, today=TODAY)
    assert d["lang"] == "en" and d["template"] == "eu-generic"
    assert d["sections"][0]["title"] == "Relevance: context, problem and needs"
    assert d["checklist"][0]["text"] == "Submit by 15 March 2027"
    lv = build_draft(profile, eu_call, today=TODAY, lang="lv")
    assert lv["sections"][0]["title"] == "Atbilstība: konteksts, problēma un vajadzības"
    assert d["sections"][0]["guidance"].startswith("Explain how the project addresses")
    assert lv["sections"][0]["guidance"].startswith("Paskaidrojiet, kā projekts atbilst")  # guidance in draft language
    assert build_draft(profile, sif_call, template="erasmus-youth", today=TODAY)["template"] == "erasmus-youth"
    with pytest.raises(DraftError, match="language 'de'"):
        build_draft(profile, sif_call, lang="de", today=TODAY)


def test_eligibility_facts_are_carried_in_draft_language(profile, sif_call):
    from datetime import date

    late = build_draft(profile, sif_call, today=date(2027, 3, 1))
    deadline = next(f for f in late["eligibility"] if f["name"] == "deadline")
    assert deadline["outcome"] == "missed" and deadline["detail"] == "beidzās 22.02.2027."
    en = build_draft(profile, sif_call, today=date(2027, 3, 1), lang="en")
    assert next(f["detail"] for f in en["eligibility"] if f["name"] == "geography") == "within the call's area: Latvia"
    given = (EligibilityFact("budget", "unknown", "a / b"),)  # a fact the app has no words of its own for
    d = build_draft(profile, sif_call, today=TODAY, facts=given, lang="en")
    assert d["eligibility"] == [{"name": "budget", "outcome": "unknown", "detail": "b"}]


def test_suggested_budget_fits_the_call_and_edits_are_flagged(profile, sif_call):
    d = build_draft(profile, sif_call, today=TODAY)
    s = draft_budget(d)
    assert s.total <= 30000 and s.total > 0
    assert s.grant + s.own == s.total and s.own >= s.required_own
    assert s.flags == ()
    d["budget"]["lines"][0]["unit_cost"] = "50000"
    msgs = budget_flag_messages(d)
    assert len(msgs) == 1 and "pārsniedz konkursa maksimumu 30\u00a0000\u00a0€" in msgs[0]
    d["budget"]["own_contribution"] = "100"
    assert any("mazāks par nepieciešamo" in m for m in budget_flag_messages(d))
    assert any("above the call's maximum" in m for m in budget_flag_messages(d, "en"))


def test_logframe_rows(profile, sif_call):
    rows = build_draft(profile, sif_call, today=TODAY)["logframe"]
    assert [r["level"] for r in rows] == ["goal", "objective", "objective", "output", "output", "output"]
    assert rows[3]["description"] == "koplietošanas dārzu ierīkošana"
    assert set(rows[0]) == {"level", "description", "indicators", "verification", "assumptions"}
