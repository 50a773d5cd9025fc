"""Feedback, persistence, areas, similar calls, eligibility facts."""

from __future__ import annotations

from datetime import date

from grantmatch.models import Eligibility, GrantCall, NgoProfile, PriorityArea
from matcher import Matcher, persist, tag_areas
from matcher.eligibility import check

URL = "https://example.org/call"  # a call's url must be an http(s) address

TODAY = date(2027, 1, 10)


def _c(id_, title, summary):
    return {"id": id_, "source": "t", "url": "https://example.org/" + id_, "title": title, "summary": summary,
            "language": "en", "eligible_applicants": ["association"], "geography": ["LV"], "deadline": "2027-06-01"}


FEEDBACK_CALLS = [
    _c("music-1", "Music festival grants", "Support for music festivals, concerts and young musicians."),
    _c("music-2", "Concert series for communities", "Concerts, music education and festival stages in towns."),
    _c("music-3", "Musicians on tour", "Touring grants for music ensembles and concert organisers."),
    _c("sport-1", "Youth sport festival", "Sport festivals, tournaments and physical activity for young people."),
    _c("sport-2", "Community sport events", "Local sport tournaments, races and a festival of physical activity."),
    _c("sport-3", "Active towns", "Physical activity and sport clubs for communities and young people."),
]
PROFILE = {"id": "p", "name": "P", "legal_form": "association", "city": "Liepāja",
           "mission": "We organise festivals for young people in our community."}


def test_feedback_moves_similar_unmarked_calls():
    m = Matcher().fit(FEEDBACK_CALLS)
    before = [x.call_id for x in m.rank(PROFILE, top=None, today=TODAY)]
    feedback = {"music-1": True, "sport-1": False}
    after = [x.call_id for x in m.rank(PROFILE, top=None, today=TODAY, feedback=feedback)]
    assert before != after
    music_before = sorted(before.index(c) for c in ("music-2", "music-3"))
    music_after = sorted(after.index(c) for c in ("music-2", "music-3"))
    # the calls nobody marked, but like the relevant one, rise; the marked bad one goes down
    assert sum(music_after) < sum(music_before)
    assert after.index("sport-1") > before.index("sport-1") or after.index("sport-1") == len(after) - 1
    assert after[0] == "music-1"


def test_a_relevant_mark_raises_the_scores_of_calls_like_it():
    """Scores, not only the order: the marked call's own words join the query, and its relevance must
    not become the scale that every other call is measured against (it pushed them all down, and good
    matches fell to "fair" after a thumbs-up)."""
    m = Matcher().fit(FEEDBACK_CALLS)
    before = {x.call_id: x.score for x in m.rank(PROFILE, top=None, today=TODAY)}
    after = {x.call_id: x.score for x in m.rank(PROFILE, top=None, today=TODAY, feedback={"music-1": True})}
    assert after["music-1"] > before["music-1"]
    for like in ("music-2", "music-3"):
        assert after[like] > before[like]
    assert max(after[c] for c in after if c != "music-1") >= max(before[c] for c in before if c != "music-1")


def test_words_that_feedback_brings_are_shown_as_the_call_writes_them():
    """A relevant mark adds the marked call's words to the query; a call they match explains itself
    with its own words ("kurzemes kultūras"), not with each word's most common form in the corpus."""
    def lv(id_, title, summary):
        return dict(_c(id_, title, summary), language="lv", geography=["Kurzeme"])

    calls = [
        lv("a", "Kurzemes kultūras programma", "Atbalsts Kurzemes kultūras pasākumiem un kultūrai Kurzemē."),
        lv("b", "Kurzemes kultūras iniciatīvas", "Kultūra Kurzemē: Kurzemes kultūras biedrību projekti."),
        lv("c", "Sporta sacensības", "Kultūra un sports Kurzemē, kultūra visiem."),
    ]
    profile = {"id": "p", "name": "Foto klubs", "legal_form": "association", "city": "Liepāja",
               "mission": "Fotogrāfijas izstādes un kultūra"}
    m = Matcher().fit(calls)
    got = {x.call_id: x.terms for x in m.rank(profile, top=None, today=TODAY, feedback={"a": True})}
    assert "kurzemes kultūras" in got["b"]
    assert not any(t in ("kurzeme kultūra", "kurzeme kultūras") for terms in got.values() for t in terms)


def test_feedback_for_unknown_calls_is_ignored():
    m = Matcher().fit(FEEDBACK_CALLS)
    a = [x.call_id for x in m.rank(PROFILE, top=None, today=TODAY)]
    b = [x.call_id for x in m.rank(PROFILE, top=None, today=TODAY, feedback={"gone": True})]
    assert a == b


def test_persist_round_trip_and_invalidation(tmp_path):
    calls = [GrantCall.from_dict(c) for c in FEEDBACK_CALLS]
    m = Matcher().fit(calls)
    fp = persist.fingerprint(calls)
    path = persist.save(m, tmp_path / "index.pkl")
    loaded = persist.load(path, fp)
    assert loaded is not None
    assert [x.call_id for x in loaded.rank(PROFILE, today=TODAY)] == [x.call_id for x in m.rank(PROFILE, today=TODAY)]
    # change one call's text: the fingerprint changes and the saved index is not used
    changed = [*calls[:-1], GrantCall.from_dict({**FEEDBACK_CALLS[-1], "summary": "Something else entirely."})]
    assert persist.fingerprint(changed) != fp
    assert persist.load(path, persist.fingerprint(changed)) is None
    # order does not matter; dicts and models give the same fingerprint
    assert persist.fingerprint(list(reversed(FEEDBACK_CALLS))) == fp
    # a damaged file means "refit", not a crash
    path.write_bytes(b"not a pickle")
    assert persist.load(path, fp) is None
    assert persist.load(tmp_path / "missing.pkl", fp) is None


def test_tag_areas_fills_only_empty_tags():
    calls = [
        {"id": "a", "source": "t", "url": URL, "title": "Jauniešu neformālā izglītība",
         "summary": "Atbalsts jaunatnes darbam, jauniešu centriem un skolēnu nometnēm."},
        {"id": "b", "source": "t", "url": URL, "title": "Museum exhibitions", "priority_areas": ["culture"],
         "summary": "Jauniešu nometnes."},
    ]
    tagged = tag_areas(calls)
    assert tagged[0].priority_areas[0] == PriorityArea.CHILDREN_YOUTH
    assert tagged[1].priority_areas == (PriorityArea.CULTURE,)


def test_area_scores_for_calls_in_and_out_of_the_corpus():
    m = Matcher().fit(FEEDBACK_CALLS)
    inside = m.area_scores(FEEDBACK_CALLS[0])
    outside = m.area_scores({"id": "new", "source": "t", "url": URL, "title": "Digitālās prasmes senioriem",
                             "summary": "Datorprasmju kursi, programmēšana un digitalizācija."})
    assert max(inside, key=inside.get) == "culture"
    assert max(outside, key=outside.get) == "it_digital_business"
    assert set(inside) == {a.value for a in PriorityArea}


def test_similar_calls():
    m = Matcher().fit(FEEDBACK_CALLS)
    sims = m.similar("music-1", top=2)
    assert [cid for cid, _ in sims][0].startswith("music")
    assert all(0 < s <= 1.0 + 1e-6 for _, s in sims)
    assert "music-1" not in [cid for cid, _ in sims]


def test_eligibility_facts_use_the_place_hierarchy():
    p = NgoProfile.from_dict({"id": "p", "name": "P", "legal_form": "association", "city": "Nīca"})
    def geo(where):
        call = GrantCall.from_dict({**FEEDBACK_CALLS[0], "geography": where})
        return check(p, call, TODAY)[1].outcome
    assert geo(["Dienvidkurzemes novads"]) == Eligibility.MET   # town -> municipality
    assert geo(["Kurzeme"]) == Eligibility.MET
    assert geo(["Latvija"]) == Eligibility.MET
    assert geo(["EU"]) == Eligibility.MET
    assert geo(["Latgale"]) == Eligibility.MISSED
    assert geo(["Rīga"]) == Eligibility.MISSED
    assert geo([]) == Eligibility.UNKNOWN
    assert geo(["Atlantis"]) == Eligibility.UNKNOWN
    call = GrantCall.from_dict({**FEEDBACK_CALLS[0], "eligible_applicants": ["municipality"]})
    applicant, _, deadline = check(p, call, TODAY)
    assert applicant.outcome == Eligibility.MISSED and "pašvaldība" in applicant.detail
    assert check(p, call, date(2027, 6, 2))[2].outcome == Eligibility.MISSED
    assert deadline.outcome == Eligibility.MET


def test_feedback_words_are_shown_as_written_after_a_reload(tmp_path):
    calls = [
        {"id": "lv-1", "source": "t", "url": URL, "title": "Jauniešu teātra festivāli",
         "summary": "Atbalsts jauniešu teātra izrādēm, festivāliem un skatuves mākslai.", "language": "lv"},
        {"id": "lv-2", "source": "t", "url": URL, "title": "Teātra izrādes skolēniem",
         "summary": "Skatuves mākslas izrādes un teātra nometnes skolēniem.", "language": "lv"},
        {"id": "lv-3", "source": "t", "url": URL, "title": "Ceļu remonts", "summary": "Ceļu un tiltu remonts.",
         "language": "lv"},
    ]
    profile = {"id": "p", "name": "P", "mission": "jaunieši"}
    feedback = {"lv-1": True}
    m = Matcher().fit(calls)
    before = {x.call_id: x.terms for x in m.rank(profile, top=None, today=TODAY, feedback=feedback)}
    path = persist.save(m, tmp_path / "index.pkl")
    loaded = persist.load(path, persist.fingerprint(calls))
    after = {x.call_id: x.terms for x in loaded.rank(profile, top=None, today=TODAY, feedback=feedback)}
    assert after == before
    shown = {t for terms in after.values() for t in terms for t in t.split()}
    written = " ".join(c["title"] + " " + c["summary"] for c in calls).lower() + " jaunieši"
    # words the feedback added (e.g. "teātra") are words of the calls, never stems like "teatr"
    assert "teātra" in shown or "skatuves" in shown
    assert all(t.lower() in written for t in shown)
