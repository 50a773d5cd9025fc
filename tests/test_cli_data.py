import json

from typer.testing import CliRunner

from grantmatch.cli import app
from grantmatch.services import SAMPLE_CALLS, SAMPLE_PROFILES, open_store

runner = CliRunner()

GOOD = [
    {"id": "t-1", "source": "t", "url": "https://t.lv/1", "title": "Jauniešu iniciatīvas", "deadline": "2027-03-01"},
    {"id": "t-2", "source": "t", "url": "https://t.lv/2", "title": "Kultūras projekti", "language": "lv"},
]


def write_jsonl(path, records):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    return path


def test_every_command_has_help():
    for command in ("init-db", "seed", "import-calls", "import-profiles", "export-calls", "export-profiles"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0, result.output
        assert "Usage" in result.output


def test_init_db():
    result = runner.invoke(app, ["init-db"])
    assert result.exit_code == 0, result.output
    assert "schema 0001" in result.output


def test_import_then_export_round_trip(tmp_path):
    result = runner.invoke(app, ["import-calls", str(write_jsonl(tmp_path / "c.jsonl", GOOD))])
    assert result.exit_code == 0, result.output
    assert "2 new" in result.output
    result = runner.invoke(app, ["export-calls"])
    exported = [json.loads(line) for line in result.output.splitlines()]
    assert [c["id"] for c in exported] == ["t-1", "t-2"]
    assert exported[0]["deadline"] == "2027-03-01"
    out = tmp_path / "out.jsonl"
    assert runner.invoke(app, ["export-calls", "--out", str(out)]).exit_code == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2


def test_bad_line_names_the_line_and_changes_nothing(tmp_path):
    runner.invoke(app, ["import-calls", str(write_jsonl(tmp_path / "c.jsonl", GOOD))])
    bad = [dict(GOOD[0], title="Jauns nosaukums"), {**GOOD[1], "deadline": "31.02.2027"}]
    result = runner.invoke(app, ["import-calls", str(write_jsonl(tmp_path / "bad.jsonl", bad))])
    assert result.exit_code == 2
    assert "line 2" in result.output and "deadline '31.02.2027' is not a date" in result.output
    assert open_store().get_call("t-1").title == "Jauniešu iniciatīvas"


def test_import_calls_refuses_a_url_that_is_not_http(tmp_path):
    """A javascript: link was stored (the app showed a warning instead of the link, but bad data got in)."""
    bad = [GOOD[0], {**GOOD[1], "url": "javascript:alert(1)"}]
    result = runner.invoke(app, ["import-calls", str(write_jsonl(tmp_path / "bad.jsonl", bad))])
    assert result.exit_code == 2
    assert "line 2" in result.output and "url: expected an http(s) URL, found 'javascript:alert(1)'" in result.output
    assert open_store().count_calls() == 0


def test_broken_json_names_the_line(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text('{"id": "a", "name": "A"}\n{"id": "b", "name": \n', encoding="utf-8")
    result = runner.invoke(app, ["import-profiles", str(path)])
    assert result.exit_code == 2
    assert "line 2: not valid JSON" in result.output
    assert open_store().list_profiles() == []


def test_missing_file(tmp_path):
    result = runner.invoke(app, ["import-profiles", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2 and "no such file" in result.output


def test_profile_json_object_file(tmp_path):
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"id": "x", "name": "Biedrība X", "legal_form": "association"}), encoding="utf-8")
    assert runner.invoke(app, ["import-profiles", str(path)]).exit_code == 0
    result = runner.invoke(app, ["export-profiles"])
    assert json.loads(result.output)["legal_form"] == "association"


def test_seed_is_idempotent():
    n_profiles = sum(1 for line in SAMPLE_PROFILES.read_text(encoding="utf-8").splitlines() if line.strip())
    n_calls = sum(1 for line in SAMPLE_CALLS.read_text(encoding="utf-8").splitlines() if line.strip())
    first = runner.invoke(app, ["seed"])
    assert first.exit_code == 0, first.output
    assert f"profiles: {n_profiles} new" in first.output and f"calls: {n_calls} new" in first.output
    second = runner.invoke(app, ["seed"])
    assert f"{n_calls} unchanged" in second.output
    assert "not seeding" in runner.invoke(app, ["seed", "--if-empty"]).output


def test_seed_again_keeps_profiles_edited_in_the_app_unless_reset():
    from dataclasses import replace

    assert runner.invoke(app, ["seed"]).exit_code == 0
    store = open_store()
    first = store.list_profiles()[0]
    store.upsert_profiles([replace(first, annual_budget_eur=12500.5, keywords=(*first.keywords, "fotogrāfija"))])
    again = runner.invoke(app, ["seed"])
    assert again.exit_code == 0, again.output
    assert f"1 kept as edited ({first.id};" in again.output
    kept = store.get_profile(first.id)
    assert kept.annual_budget_eur == 12500.5 and "fotogrāfija" in kept.keywords
    reset = runner.invoke(app, ["seed", "--reset-profiles"])
    assert "profiles: 0 new, 1 changed" in reset.output, reset.output
    assert store.get_profile(first.id) == first


def test_index_builds_and_reuses_the_saved_matcher():
    from grantmatch.services import index_path

    assert runner.invoke(app, ["seed"]).exit_code == 0
    result = runner.invoke(app, ["index"])
    assert result.exit_code == 0, result.output
    path = index_path(open_store())
    assert path.exists() and str(path) in result.output
    stamp = path.stat().st_mtime_ns
    assert runner.invoke(app, ["index"]).exit_code == 0
    assert path.stat().st_mtime_ns == stamp  # current index: loaded, not refitted
