"""Matches page: cards, filters, feedback, tracking, export, error states."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from grantmatch import services
from grantmatch.models import GrantCall

PROFILE = {
    "id": "kultura",
    "name": "Biedrība Kultūra",
    "legal_form": "association",
    "city": "Liepāja",
    "region": "Kurzeme",
    "country": "LV",
    "priority_area": "culture",
    "mission": "Rīkojam koncertus, teātra izrādes un kultūras festivālus Liepājā.",
    "keywords": ["koncerti", "teātris", "festivāls", "kultūra"],
    "languages": ["lv"],
}
YOUTH = {
    "id": "jauniesi",
    "name": "Biedrība Jaunieši",
    "legal_form": "association",
    "city": "Liepāja",
    "region": "Kurzeme",
    "country": "LV",
    "priority_area": "children_youth",
    "mission": "Neformālā izglītība jauniešiem, jaunatnes darbs un brīvprātīgais darbs.",
    "keywords": ["jaunieši", "neformālā izglītība", "jaunatne"],
}


def _call(i: int, **over) -> dict:
    base = {
        "id": f"t-{i}",
        "source": "kkf" if i % 2 else "liepaja",
        "url": f"https://example.org/call/{i}",
        "title": f"Kultūras projektu konkurss nr. {i}",
        "summary": "Atbalsts koncertiem, teātra izrādēm un kultūras festivāliem Liepājā.",
        "language": "lv" if i % 3 else "en",
        "eligible_applicants": ["association", "foundation"],
        "geography": ["Liepāja"],
        "max_amount_eur": 1000 * i,
        "deadline": (date(2027, 1, 15) + timedelta(days=5 * i)).isoformat(),
        "priority_areas": ["culture"],
    }
    base.update(over)
    return base


CALLS = [_call(i) for i in range(1, 9)] + [
    _call(
        20,
        title="Jaunatnes iniciatīvu projekti",
        summary="Neformālā izglītība jauniešiem, jaunatnes darbs, brīvprātīgais darbs.",
        priority_areas=["children_youth"],
    ),
    _call(21, title="Slēgts kultūras konkurss", deadline="2026-12-01"),
    _call(22, title="Tikai pašvaldībām: kultūras koncerti", eligible_applicants=["municipality"]),
]


@pytest.fixture
def env(custom_env):
    return custom_env(profiles=[PROFILE, YOUTH], calls=CALLS)


@pytest.fixture
def run_app(run_app):
    """The app with the culture NGO picked (the sidebar would start with the first by name)."""

    def _run(page=None, session=None):
        return run_app(page, session={"profile_id": "kultura", **(session or {})})

    return _run


def _titles(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("**Kult") or m.value.startswith("**Jaun")]


def _card_ids(at) -> list[str]:
    return [b.key.removeprefix("det_") for b in at.button if b.key and b.key.startswith("det_")]


def test_cards_show_only_eligible_open_calls(env, run_app):
    at = run_app()
    assert not at.exception
    ids = _card_ids(at)
    assert ids, "no cards"
    assert "t-21" not in ids  # closed
    assert "t-22" not in ids  # municipalities only
    assert set(ids) <= {c["id"] for c in CALLS}
    text = " ".join(m.value for m in at.markdown)
    assert "Termiņš" in text and "Kāpēc tas der" in text
    assert "✅" in text  # applicant fact met


def test_area_filter_and_sort_by_deadline(env, run_app):
    at = run_app()
    at.sidebar.multiselect(key="mf_area").select("children_youth").run()
    assert _card_ids(at) == ["t-20"]
    at.sidebar.multiselect(key="mf_area").unselect("children_youth").run()
    at.sidebar.radio(key="mf_sort").set_value("deadline").run()
    ids = _card_ids(at)
    deadlines = [next(c["deadline"] for c in CALLS if c["id"] == i) for i in ids]
    assert deadlines == sorted(deadlines)


def test_window_amount_source_language_filters(env, run_app):
    at = run_app()
    at.sidebar.selectbox(key="mf_window").set_value(14).run()
    ids = _card_ids(at)
    assert ids
    assert all(date.fromisoformat(next(c["deadline"] for c in CALLS if c["id"] == i)) <= date(2027, 1, 29) for i in ids)
    at.sidebar.selectbox(key="mf_window").set_value(0).run()
    at.sidebar.number_input(key="mf_amount").set_value(5000).run()
    assert set(_card_ids(at)) == {"t-5", "t-6", "t-7", "t-8", "t-20"}
    at.sidebar.number_input(key="mf_amount").set_value(0).run()
    at.sidebar.multiselect(key="mf_source").select("kkf").run()
    assert all(int(i.split("-")[1]) % 2 == 1 for i in _card_ids(at))
    at.sidebar.multiselect(key="mf_source").unselect("kkf").run()
    at.sidebar.multiselect(key="mf_lang").select("en").run()
    assert all(int(i.split("-")[1]) % 3 == 0 for i in _card_ids(at))


def test_no_results_after_filters_says_so(env, run_app):
    at = run_app()
    at.sidebar.number_input(key="mf_amount").set_value(10_000_000).run()
    assert not at.exception
    assert any("Pēc šiem filtriem nav neviena konkursa" in w.value for w in at.warning)


def test_not_relevant_hides_the_call_until_shown_again(env, run_app):
    at = run_app()
    first = _card_ids(at)[0]
    assert "(0)" in at.sidebar.checkbox(key="mf_show_hidden").label  # nothing marked yet
    at.button(key=f"irr_{first}").click().run()
    assert not at.exception
    assert first not in _card_ids(at)
    assert any("paslēpts" in t.value for t in at.toast)
    assert services.open_store(env.url).feedback("kultura") == {first: False}
    toggle = at.sidebar.checkbox(key="mf_show_hidden")
    assert "(1)" in toggle.label
    toggle.check().run()
    ids = _card_ids(at)
    assert first in ids and ids.index(first) > 0  # shown again, below the calls not marked
    at.button(key=f"clr_{first}").click().run()
    assert services.open_store(env.url).feedback("kultura") == {}
    at.sidebar.checkbox(key="mf_show_hidden").uncheck().run()
    assert first in _card_ids(at)


def test_track_adds_to_pipeline(env, run_app):
    at = run_app()
    first = _card_ids(at)[0]
    at.button(key=f"trk_{first}").click().run()
    assert not at.exception
    assert [r["call_id"] for r in services.open_store(env.url).tracked("kultura")] == [first]
    assert at.button(key=f"trk_{first}").disabled


def test_new_since_last_visit(env, run_app):
    store = services.open_store(env.url)
    store.record_visit("kultura", at=datetime.now(UTC))
    later = datetime.now(UTC) + timedelta(days=1)
    store.upsert_calls([GrantCall.from_dict(_call(30, title="Kultūras koncertu jaunais konkurss"))], seen_at=later)
    at = run_app()
    at.sidebar.checkbox(key="mf_new").check().run()
    assert _card_ids(at) == ["t-30"]
    assert any("JAUNS" in m.value for m in at.markdown)


def test_switch_ngo_changes_ranking(env, run_app):
    at = run_app()
    first = _card_ids(at)[0]
    at.sidebar.selectbox(key="_profile_choice").set_value("jauniesi").run()
    assert not at.exception
    assert _card_ids(at)[0] == "t-20" != first


def test_export_buttons_and_picked_scope(env, run_app):
    at = run_app()
    assert at.get("download_button")
    ids = _card_ids(at)
    at.checkbox(key=f"pick_{ids[0]}").check().run()
    assert any("1" in c.value and "atzīm" in c.value for c in at.caption)


def test_english(env, run_app):
    at = run_app(session={"lang": "en"})
    assert at.title[0].value == "Matching opportunities"
    assert any("Why this matches" in m.value for m in at.markdown)


def test_no_calls_in_database(custom_env, run_app):
    custom_env(profiles=[PROFILE])
    at = run_app()
    assert not at.exception
    assert any("nav neviena konkursa" in i.value for i in at.info)


def test_hostile_call_text_is_escaped(custom_env, run_app):
    hostile = _call(
        40,
        title="<script>alert('x')</script> [spied](javascript:alert(1)) Kultūras koncerti",
        funder="<img src=x onerror=alert(1)>",
        summary="koncerti teātris festivāls " + "A" * 100_000,
    )
    custom_env(profiles=[PROFILE], calls=[hostile])
    at = run_app()
    assert not at.exception
    title = next(m.value for m in at.markdown if "script" in m.value)
    assert "\\<script\\>" in title and "\\[spied\\]\\(javascript" in title
    unescaped = re.compile(r"(?<!\\)<(script|img)")
    assert not any(unescaped.search(m.value) for m in at.markdown)
    assert not any(unescaped.search(c.value) for c in at.caption)
    assert any("\\<img" in c.value for c in at.caption)


# --------------------------------------------------------------------------- what a coordinator reads


def _fits(at) -> list[tuple[int, str]]:
    """(percent, text) of each card's fit bar."""
    return [(p.proto.value, p.proto.text) for p in at.get("progress")]


def test_fit_is_relative_to_the_best_match_never_a_raw_score(env, run_app):
    at = run_app()
    fits = _fits(at)
    assert len(fits) == len(_card_ids(at))
    assert fits[0] == (100, "**augsta atbilstība**")  # the best match of the list
    values = [v for v, _ in fits]
    assert values == sorted(values, reverse=True) and all(0 <= v <= 100 for v in values)
    levels = {"**augsta atbilstība**", "**vidēja atbilstība**", "**zema atbilstība**"}
    assert {text for _, text in fits} <= levels
    assert not at.metric  # no raw score metric
    text = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert not re.search(r"\b\d\.\d\d\b", text), "a raw score is shown"
    # a filter does not change the scale: the same call keeps its fit
    first = _card_ids(at)[0]
    at.sidebar.radio(key="mf_sort").set_value("deadline").run()
    by_id = dict(zip(_card_ids(at), _fits(at), strict=True))
    assert by_id[first] == fits[0]


def _plain(at) -> str:
    """The page's markdown without its escapes."""
    return " ".join(m.value for m in at.markdown).replace("\\", "")


def test_facts_are_translated_with_formatted_dates(env, run_app):
    at = run_app()
    text = _plain(at)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text), "an ISO date in the facts"
    assert "atbilst teritorijai: Liepāja" in text and "biedrība var pieteikties" in text
    assert re.search(r"\*\*Termiņš:\*\* \d\d\.\d\d\.2027\. \(atlikušas \d+ d", text)
    assert "**Termiņš** (atbilst)" not in text  # a met deadline is not said twice on a card
    at.session_state["lang"] = "en"
    at.run()
    text = _plain(at)
    assert "within the call's area: Liepāja" in text and "association: may apply" in text
    assert " / " not in text.split("**Why", 1)[0].split("**Applicant**", 1)[-1]  # one language, not "lv / en"
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text) and "January 2027" in text
    assert "atbilst" not in text


def test_filter_placeholders_are_in_the_session_language(env, run_app):
    at = run_app()
    assert at.sidebar.multiselect(key="mf_area").placeholder == "Visas jomas"
    assert at.sidebar.multiselect(key="mf_source").placeholder == "Visi avoti"
    lang_filter = at.sidebar.multiselect(key="mf_lang")
    assert lang_filter.placeholder == "Visas valodas"
    assert lang_filter.format_func("lv") == "latviešu"
    at.session_state["lang"] = "en"
    at.run()
    assert at.sidebar.multiselect(key="mf_area").placeholder == "All areas"
    assert at.sidebar.multiselect(key="mf_lang").format_func("en") == "English"


def test_deadline_window_starts_on_a_translated_any(env, run_app):
    # A None option made Streamlit show its own English placeholder ("Choose an option") in LV.
    at = run_app()
    box = at.sidebar.selectbox(key="mf_window")
    assert box.value == 0 and box.format_func(box.value) == "jebkurš"
    assert "jebkurš" in box.options


def test_card_names_the_source_and_dedupes_reasons(env, run_app):
    at = run_app()
    captions = " ".join(c.value for c in at.caption)
    assert "Valsts kultūrkapitāla fonds" in captions  # source "kkf" by its name, not its key
    whys = [m.value for m in at.markdown if m.value.startswith("**Kāpēc tas der:**")]
    assert whys
    for line in whys:
        terms = [t.strip() for t in line.split(":**", 1)[1].replace("\\", "").split(",")]
        assert len(terms) == len({t.casefold() for t in terms})
        for t in terms:  # no term is just a word of another term shown beside it
            assert not any(t != o and f" {t.casefold()} " in f" {o.casefold()} " for o in terms)


def test_a_source_without_a_scraper_is_named_after_its_funder(custom_env, run_app):
    """Cards showed "Nordic Culture Point · ncp" and the Source filter listed "ncp"."""
    ncp = _call(1, source="ncp", funder="Nordic Culture Point")
    custom_env(profiles=[PROFILE], calls=[ncp, _call(3)])
    at = run_app()
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert "Nordic Culture Point" in captions
    assert not any("ncp" in c for c in captions), captions
    options = set(at.sidebar.multiselect(key="mf_source").options)
    assert options == {"Nordic Culture Point", "Valsts kultūrkapitāla fonds"}


def test_a_card_names_the_source_only_when_it_adds_to_the_funder(custom_env, run_app):
    """"Latvijas Pilsoniskā alianse · Latvijas Pilsoniskā alianse (nvo.lv)" said the same thing twice."""
    same = _call(1, source="nvo", funder="Latvijas Pilsoniskā alianse")
    other = _call(2, source="liepaja", funder="Liepājas Kultūras pārvalde")
    custom_env(profiles=[PROFILE], calls=[same, other])
    at = run_app()
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert "Latvijas Pilsoniskā alianse" in captions
    assert "Liepājas Kultūras pārvalde · Liepājas valstspilsētas pašvaldība" in captions


def test_a_list_of_poor_matches_says_so_and_calls_none_strong(custom_env, run_app):
    # a small social NGO and only research topics (as most of the EU portal is): open to it, since
    # they do not say who may apply, but the best of them is still a weak fit
    custom_env(
        profiles=[{"id": "soc", "name": "Sociālā biedrība", "legal_form": "association", "city": "Liepāja",
                   "region": "Kurzeme", "country": "LV", "priority_area": "social_health",
                   "annual_budget_eur": 30000, "mission": "Atbalsts senioriem un cilvēkiem ar invaliditāti Liepājā"}],
        calls=[{"id": f"r-{i}", "source": "eu-ft", "url": f"https://example.org/{i}", "language": "en",
                "title": f"Quantum sensor materials for industrial process monitoring {i}",
                "summary": "Expected Outcome: Projects are expected to contribute to European leadership in quantum "
                           "sensing. Scope: A consortium of universities, research organisations and industry "
                           "partners will develop and validate sensor materials up to technology readiness "
                           "level 6, with support for pilot lines.",
                "programme": "Horizon Europe (HORIZON)", "funder": "European Commission",
                "geography": ["EU"], "max_amount_eur": 4000000, "deadline": "2027-04-01"}
               for i in range(3)],
    )
    at = run_app()
    assert not at.exception
    fits = _fits(at)
    assert len(fits) == 3 and fits[0][0] == 100  # the best of the list, yet:
    assert {text for _, text in fits} == {"**zema atbilstība**"}
    assert any("Pat labākā iespēja" in i.value for i in at.info)
