from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grantmatch.drafting.templates import (
    TEMPLATES_DIR,
    TemplateError,
    choose_template,
    load_template,
    load_templates,
)
from grantmatch.models import GrantCall

REQUIRED_SECTIONS = {
    "problem", "objectives", "target_groups", "activities", "results", "logframe",
    "budget", "cofinancing", "sustainability", "visibility", "risks", "partners",
}  # fmt: skip


def test_bundled_templates_load_and_cover_every_section():
    templates = load_templates()
    assert set(templates) == {"sif-nvo-fonds", "vkkf", "liepaja-nvo", "erasmus-youth", "eu-generic", "lv-generic"}
    for t in templates.values():
        assert {s.key for s in t.sections} >= REQUIRED_SECTIONS, t.name
        assert all(s.guidance for s in t.sections)


def _call(**kw) -> GrantCall:
    base = {"id": "x-1", "source": "other", "title": "Konkurss", "url": "https://example.org", "language": "lv"}
    return GrantCall.from_dict(base | kw)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"funder": "Sabiedrības integrācijas fonds", "programme": "NVO fonds"}, "sif-nvo-fonds"),
        ({"funder": "Sabiedribas integracijas fonds", "programme": "nvo FONDS 2027"}, "sif-nvo-fonds"),
        ({"funder": "Sabiedrības integrācijas fonds", "programme": "Diasporas nometnes"}, "lv-generic"),
        ({"funder": "Valsts kultūrkapitāla fonds", "programme": "Kultūras projektu konkurss"}, "vkkf"),
        ({"funder": "Liepājas valstspilsētas pašvaldība", "programme": "NVO līdzfinansēšana"}, "liepaja-nvo"),
        ({"funder": "European Commission", "programme": "Erasmus+ KA210-YOU", "language": "en"}, "erasmus-youth"),
        ({"funder": "European Commission", "programme": "CERV", "language": "en"}, "eu-generic"),
        ({"funder": "Kāds fonds", "language": "lv"}, "lv-generic"),
        ({"funder": "Nordic Culture Point", "language": "en"}, "eu-generic"),
    ],
)
def test_choose_template_by_funder_and_programme(fields, expected):
    assert choose_template(_call(**fields)).name == expected


def test_manual_override_and_unknown_override():
    call = _call(funder="Sabiedrības integrācijas fonds", programme="NVO fonds")
    assert choose_template(call, override="vkkf").name == "vkkf"
    with pytest.raises(TemplateError, match="'nope' not found; available: .*sif-nvo-fonds"):
        choose_template(call, override="nope")


@pytest.fixture
def tpl_dir(tmp_path) -> Path:
    shutil.copy(TEMPLATES_DIR / "lv-generic.toml", tmp_path / "lv-generic.toml")
    return tmp_path


def _break(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('kind = "logframe"', 'kind = "tabel"', r"sections\[5\] \(logframe\): kind 'tabel' is not one of"),
        ('kind = "budget"', 'kind = "text"', r"expected exactly one section of kind 'budget', found 0"),
        ('language = "lv"', 'language = "de"', r"lv-generic.toml: language 'de' is not one of: lv, en"),
        ('share = 0.40', 'share = 1.40', r"lv-generic.toml: budget_categories\[0\]: share must be a number between"),
        ('prefill = ["call.aims"]', 'prefill = ["call.aimz"]', r"prefill 'call.aimz' is not one of"),
        ('key = "risks"', 'key = "partners"', r"lv-generic.toml: section key\(s\) repeat: partners"),
        ('title = { lv = "Riski", en = "Risks" }', 'title = { lv = "Riski" }', r"\(risks\): title.en is missing"),
        ('name = "lv-generic"', 'name = "other"', r"lv-generic.toml: name 'other' must equal the file name"),
        ('priority = 0', 'priority = 0\ncolour = "red"', r"lv-generic.toml: unknown key\(s\) colour"),
        ('"""Galvenie riski, to ietekme un mazināšanas pasākumi."""', '"  "', r"\(risks\): guidance.lv is empty"),
        ('guidance.en = """The main risks', 'guidance.fr = """The main risks', r"\(risks\): guidance has unknown lang"),
        ('guidance.en = """The main risks, their impact and mitigation measures."""', "",
         r"\(risks\): guidance.en is missing; expected texts in both lv and en"),
        ('name = { lv = "Publicitāte", en = "Publicity" }', 'name = "Publicitāte"',
         r"budget_categories\[3\]: name must be a table of texts in lv and en"),
        ("[[sections]]", "[[sections]", r"lv-generic.toml: not valid TOML"),
    ],
)
def test_broken_template_names_file_and_problem(tpl_dir, old, new, message):
    path = tpl_dir / "lv-generic.toml"
    _break(path, old, new)
    with pytest.raises(TemplateError, match=message):
        load_template(path)
    with pytest.raises(TemplateError, match="lv-generic.toml"):
        load_templates(tpl_dir)


def test_not_utf8_and_empty_folder(tmp_path):
    (tmp_path / "bad.toml").write_bytes('name = "bad"\ntitle = "Kult\xfbra"\n'.encode("latin-1"))
    with pytest.raises(TemplateError, match="bad.toml: expected UTF-8"):
        load_template(tmp_path / "bad.toml")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(TemplateError, match="found none"):
        load_templates(empty)


def test_edited_template_is_reloaded(tpl_dir):
    assert load_templates(tpl_dir)["lv-generic"].title["lv"] == "Vispārīgs Latvijas projektu konkurss"
    _break(tpl_dir / "lv-generic.toml", 'lv = "Vispārīgs Latvijas', 'lv = "Mentora labots')
    assert load_templates(tpl_dir)["lv-generic"].title["lv"].startswith("Mentora labots")


def test_a_template_title_is_in_both_languages(tpl_dir):
    """The picker showed Latvian template names in English and "Generic EU call ..." in Latvian."""
    from grantmatch.drafting.service import template_choices

    templates = load_templates()  # the bundled ones
    lv, en = dict(template_choices(templates, "lv")), dict(template_choices(templates, "en"))
    assert lv["eu-generic"].startswith("Vispārīgs ES konkurss") and en["eu-generic"].startswith("Generic EU call")
    assert en["liepaja-nvo"].startswith("Liepāja municipality")
    _break(tpl_dir / "lv-generic.toml", 'title = { lv = "Vispārīgs Latvijas projektu konkurss", ', 'title = { ')
    with pytest.raises(TemplateError, match="title.lv is missing"):
        load_templates(tpl_dir)
