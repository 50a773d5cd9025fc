"""Drafting services and the `draft` command against a real temporary SQLite database."""

from __future__ import annotations

import docx
import pytest
from typer.testing import CliRunner

from grantmatch import services
from grantmatch.cli import app
from grantmatch.drafting import service
from grantmatch.drafting.outline import DraftError

from .conftest import LV_CHARS, TODAY


@pytest.fixture
def store(profile, sif_call, eu_call):
    s = services.open_store()  # GRANTMATCH_DATABASE_URL points at a temp file (tests/conftest.py)
    s.upsert_profiles([profile])
    s.upsert_calls([sif_call, eu_call])
    return s


def test_create_edit_autosave_restore(store, profile, sif_call):
    rec = service.create_draft(store, profile.id, sif_call.id, today=TODAY)
    draft_id = rec["id"]
    assert rec["version"] == 1 and rec["content"]["template"] == "sif-nvo-fonds"
    content = rec["content"]
    assert service.save_draft(store, draft_id, content) == (1, False)  # unchanged: no new version
    edited = {**content, "sections": [dict(s) for s in content["sections"]]}
    edited["sections"][0]["text"] = f"Jauns teksts {LV_CHARS}"
    assert service.save_draft(store, draft_id, edited) == (2, True)
    assert [v["version"] for v in service.draft_versions(store, draft_id)] == [2, 1]
    assert service.load_draft(store, draft_id)["content"]["sections"][0]["text"] == f"Jauns teksts {LV_CHARS}"
    assert service.restore_version(store, draft_id, 1) == 3
    assert service.load_draft(store, draft_id)["content"] == content
    listed = service.list_drafts(store, profile_id=profile.id)
    assert [(d["id"], d["version"], d["call_id"]) for d in listed] == [(draft_id, 3, sif_call.id)]
    assert service.list_drafts(store, profile_id="someone-else") == []


def test_unknown_ids_are_clear_errors(store, profile):
    with pytest.raises(DraftError, match="no profile with id 'nav' in the database; known: zalais-kvartals"):
        service.make_draft(store, "nav", "sif-nvo-fonds-2027")
    with pytest.raises(DraftError, match=r"no call with id 'nav' in the database \(2 calls stored\)"):
        service.make_draft(store, profile.id, "nav")


def test_cli_draft_docx_and_md(store, tmp_path):
    runner = CliRunner()
    out = tmp_path / "pieteikums.docx"
    result = runner.invoke(
        app, ["draft", "--profile", "zalais-kvartals", "--call", "eu-ft-cerv-2027-citizens", "--lang", "lv",
              "--today", "2027-01-10", "--out", str(out), "--save"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    doc = docx.Document(str(out))
    assert any(p.text == "Atbilstība: konteksts, problēma un vajadzības" for p in doc.paragraphs)
    assert len(service.list_drafts(store)) == 1

    md = tmp_path / "p.md"
    result = runner.invoke(
        app, ["draft", "--profile", "zalais-kvartals", "--call", "sif-nvo-fonds-2027", "--template", "vkkf",
              "--out", str(md)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "## Projekta tāme" in md.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--profile", "nav", "--call", "sif-nvo-fonds-2027"], "no profile with id 'nav'"),
        (["--profile", "zalais-kvartals", "--call", "nav"], "no call with id 'nav'"),
        (["--profile", "zalais-kvartals", "--call", "sif-nvo-fonds-2027", "--template", "x"], "template 'x' not found"),
        (["--profile", "zalais-kvartals", "--call", "sif-nvo-fonds-2027", "--lang", "de"], "expected lv or en"),
        (["--draft", "99"], "draft 99 does not exist"),
        (["--draft", "1", "--lang", "en"], "a saved draft (--draft) keeps its own"),
    ],
)
def test_cli_errors(store, tmp_path, args, message):
    result = CliRunner().invoke(app, ["draft", *args, "--out", str(tmp_path / "x.md")])
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "x.md").exists()
