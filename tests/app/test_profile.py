"""Profile page: create, edit, validation messages, import / export, immediate re-ranking."""

from __future__ import annotations

import json

import pytest

from grantmatch import services

PROFILE = {
    "id": "kultura",
    "name": "Biedrība Kultūra",
    "legal_form": "association",
    "city": "Liepāja",
    "region": "Kurzeme",
    "country": "LV",
    "priority_area": "culture",
    "mission": "Koncerti un teātris Liepājā.",
    "keywords": ["koncerti"],
}
CALLS = [
    {
        "id": "c-koncerti",
        "source": "test",
        "url": "https://example.org/1",
        "title": "Koncertu un teātra atbalsts",
        "summary": "Koncerti, teātris, kultūras pasākumi.",
        "eligible_applicants": ["association"],
        "deadline": "2027-03-01",
    },
    {
        "id": "c-daba",
        "source": "test",
        "url": "https://example.org/2",
        "title": "Dabas aizsardzības un vides projekti",
        "summary": "Vides izglītība, dabas aizsardzība, atkritumu šķirošana, koku stādīšana.",
        "eligible_applicants": ["association"],
        "deadline": "2027-03-01",
    },
    {
        "id": "c-cits",
        "source": "test",
        "url": "https://example.org/3",
        "title": "Sporta inventāra iegāde",
        "summary": "Sporta inventārs skolām un klubiem.",
        "eligible_applicants": ["association"],
        "deadline": "2027-03-01",
    },
]


@pytest.fixture
def env(custom_env):
    return custom_env(profiles=[PROFILE], calls=CALLS)


def _form(at, suffix):
    return {
        name: at.text_input(key=f"pf_{name}_{suffix}") if name not in ("mission", "act", "tg", "kw") else
        at.text_area(key=f"pf_{name}_{suffix}")
        for name in ("id", "name", "city", "region", "country", "lang", "budget", "mission", "act", "tg", "kw")
    }


def test_edit_profile_reranks_matches(env, run_app):
    at = run_app()
    assert [b.key for b in at.button if b.key and b.key.startswith("det_")][0] == "det_c-koncerti"
    at.switch_page("app_pages/profile.py").run()
    f = _form(at, "edit_kultura")
    assert f["name"].value == "Biedrība Kultūra"
    f["mission"].input("Dabas aizsardzība, vides izglītība un koku stādīšana.")
    f["kw"].input("daba\nvide")
    at.get("form_submit_button")[0].click()
    at.run()
    assert not at.exception
    assert any("saglabāts" in s.value for s in at.success)
    stored = services.open_store(env.url).get_profile("kultura")
    assert stored.keywords == ("daba", "vide")
    at.switch_page("app_pages/matches.py").run()
    assert [b.key for b in at.button if b.key and b.key.startswith("det_")][0] == "det_c-daba"


def test_create_new_profile_and_select_it(env, run_app):
    at = run_app("profile")
    at.radio(key="_profile_mode").set_value("new").run()
    f = _form(at, "new")
    f["id"].input("jauna-nvo")
    f["name"].input("Jaunā NVO")
    f["budget"].input("12 500,50")
    at.get("form_submit_button")[0].click()
    at.run()
    assert not at.exception
    saved = services.open_store(env.url).get_profile("jauna-nvo")
    assert saved.name == "Jaunā NVO" and saved.annual_budget_eur == 12500.5
    # the incubator's usual case unless changed: a biedrība in Liepāja (eligibility is then known, not "check")
    assert saved.legal_form == "association" and saved.city == "Liepāja"
    assert at.session_state["profile_id"] == "jauna-nvo"
    assert at.sidebar.selectbox[0].value == "jauna-nvo"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id", "ā ā", "Identifikatorā drīkst būt"),
        ("id", "kultura", "jau ir aizņemts"),
        ("name", "", "Nosaukums ir obligāts"),
        ("budget", "daudz", "Gada budžetam jābūt"),
        ("budget", "-5", "Gada budžetam jābūt"),
    ],
)
def test_invalid_new_profile_messages(env, run_app, field, value, message):
    at = run_app("profile")
    at.radio(key="_profile_mode").set_value("new").run()
    f = _form(at, "new")
    f["id"].input("laba-nvo")
    f["name"].input("Laba NVO")
    f[field].input(value)
    at.get("form_submit_button")[0].click()
    at.run()
    assert not at.exception
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    assert services.open_store(env.url).get_profile("laba-nvo") is None


def test_import_and_export(env, run_app):
    at = run_app("profile")
    assert {d.proto.label for d in at.get("download_button")} >= {"Eksportēt profilu (JSON)"}
    good = json.dumps({"id": "importeta", "name": "Importētā biedrība", "legal_form": "foundation"})
    at.file_uploader(key="pf_upload").upload("p.json", good.encode(), "application/json").run()
    at.button(key="pf_import").click().run()
    assert not at.exception
    assert any("1 jauni" in s.value for s in at.success)
    assert services.open_store(env.url).get_profile("importeta").legal_form == "foundation"


def test_importing_one_new_profile_opens_it_at_once(env, run_app):
    """The sidebar and the form used to show the old NGO until the next unrelated click."""
    at = run_app("profile")
    before = at.sidebar.selectbox[0].value
    good = json.dumps({"id": "importeta", "name": "Importētā biedrība", "legal_form": "foundation"})
    at.file_uploader(key="pf_upload").upload("p.json", good.encode(), "application/json").run()
    at.button(key="pf_import").click().run()
    assert not at.exception
    assert before != "importeta"
    assert at.sidebar.selectbox[0].value == "importeta"
    assert at.text_input(key="pf_name_edit_importeta").value == "Importētā biedrība"
    assert any("1 jauni" in s.value and "Importētā biedrība" in s.value for s in at.success)


def test_importing_several_new_profiles_keeps_the_ngo(env, run_app):
    at = run_app("profile")
    before = at.sidebar.selectbox[0].value
    lines = [{"id": f"imp-{i}", "name": f"Importētā {i}", "legal_form": "association"} for i in (1, 2)]
    text = "\n".join(json.dumps(line) for line in lines)
    at.file_uploader(key="pf_upload").upload("p.jsonl", text.encode(), "application/json").run()
    at.button(key="pf_import").click().run()
    assert not at.exception
    assert any("2 jauni" in s.value for s in at.success)
    at.run()  # the next click: still the same NGO
    assert at.sidebar.selectbox[0].value == before
    assert at.session_state["profile_id"] == before


def test_import_bad_file_shows_error(env, run_app):
    at = run_app("profile")
    bad = '{"id": "x", "name": "X", "annual_budget_eur": "daudz"}'
    at.file_uploader(key="pf_upload").upload("bad.json", bad.encode(), "application/json").run()
    at.button(key="pf_import").click().run()
    assert not at.exception
    assert any("bad.json, 1. rinda: profils neatbilst formātam" in e.value and "annual_budget_eur" in e.value
               for e in at.error)
    assert any("Pārbaudiet failu" in c.value for c in at.caption)  # what to do, in Latvian
    assert services.open_store(env.url).get_profile("x") is None
    assert "Upload" in at.file_uploader(key="pf_upload").label  # names Streamlit's untranslated button


@pytest.mark.parametrize(
    ("name", "data", "lv", "en"),
    [
        ("tukss.json", b"  ", "tukss.json: fails ir tukšs", "tukss.json: the file is empty"),
        ("bojats.json", b"{nope", "bojats.json, 1. rinda: nav derīgs JSON", "bojats.json line 1: not valid JSON"),
        ("bin.json", b"\xff\xfe\x00", "bin.json: tas nav UTF-8 teksts", "bin.json: not UTF-8 text"),
    ],
)
def test_import_errors_are_in_the_users_language(env, run_app, name, data, lv, en):
    """An upload's errors were in English inside a Latvian sentence ("Failu nevar importēt: x.json line 1:
    not valid JSON ...")."""
    for lang, want in (("lv", lv), ("en", en)):
        at = run_app("profile")
        at.session_state["lang"] = lang
        at.run()
        at.file_uploader(key="pf_upload").upload(name, data, "application/json").run()
        at.button(key="pf_import").click().run()
        assert not at.exception
        assert [e.value for e in at.error] and want in at.error[0].value, (lang, [e.value for e in at.error])


def test_parse_profiles_errors_name_the_line():
    text = '{"id": "a", "name": "A"}\n{"id": "b", "name": "B", "legal_form": "club"}\n'
    with pytest.raises(services.InputFileError, match="line 2: profile 'b': legal_form 'club'"):
        services.parse_profiles(text, "x.jsonl")
    with pytest.raises(services.InputFileError, match="line 1: not valid JSON"):
        services.parse_profiles("{nope", "x.json")
    with pytest.raises(services.InputFileError, match="empty"):
        services.parse_profiles("  ", "x.json")
    assert [p.id for p in services.parse_profiles(text.splitlines()[0])] == ["a"]


def test_profile_json_round_trip(env):
    store = services.open_store(env.url)
    profile = store.get_profile("kultura")
    again = services.parse_profiles(services.profile_json(profile))
    assert again == [profile]
    assert services.parse_profiles(services.profiles_jsonl([profile, profile.__class__(id="x", name="X")]))[1].id == "x"


def test_no_profiles_offers_only_new(custom_env, run_app):
    custom_env(calls=CALLS)
    at = run_app("profile")
    assert not at.exception
    assert at.radio(key="_profile_mode").options == ["Izveidot jaunu"]


def test_delete_an_organisation_with_its_data(custom_env, run_app):
    """An organisation that left the incubator could not be removed. It can now, behind a confirming tick; its
    marks and pipeline go with it, and the sidebar moves to the NGO left."""
    other = {**PROFILE, "id": "cita", "name": "Biedrība Cita"}
    env = custom_env(profiles=[PROFILE, other], calls=CALLS)
    store = services.open_store(env.url)
    store.set_feedback("kultura", "c-koncerti", True)
    store.track("kultura", "c-koncerti")
    at = run_app("profile", session={"profile_id": "kultura"})
    button = at.button(key="pf_del_kultura")
    assert button.disabled
    at.checkbox(key="pf_del_sure_kultura").check().run()
    at.button(key="pf_del_kultura").click().run()
    assert not at.exception
    assert [p.id for p in store.list_profiles()] == ["cita"]
    assert store.feedback("kultura") == {} and store.tracked("kultura") == []
    assert any("Biedrība Kultūra" in s.value and "dzēsti" in s.value for s in at.success)
    assert at.text_input(key="pf_id_edit_cita").value == "cita"  # the form shows the NGO left
