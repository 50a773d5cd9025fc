"""The rank, eval and bench commands on small temporary files."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from grantmatch.cli import app

URL = "https://example.org/call"  # a call's url must be an http(s) address

runner = CliRunner()

CALLS = [
    {"id": "ok", "source": "t", "url": URL, "title": "Jauniešu projekti", "summary": "Jauniešu iniciatīvas Liepājā.",
     "eligible_applicants": ["association"], "geography": ["Liepāja"], "deadline": "2027-03-01"},
    {"id": "muni", "source": "t", "url": URL, "title": "Jauniešu centri pašvaldībām", "summary": "Jauniešu centri.",
     "eligible_applicants": ["municipality"], "geography": ["LV"], "deadline": "2027-03-01"},
    {"id": "closed", "source": "t", "url": URL, "title": "Jauniešu projekti 2026", "summary": "Jauniešu darbs.",
     "eligible_applicants": ["association"], "geography": ["LV"], "deadline": "2026-03-01"},
    {"id": "other", "source": "t", "url": URL, "title": "Museum grants", "summary": "Heritage and museums.",
     "geography": ["EU"], "deadline": None},
]
PROFILES = [
    {"id": "p1", "name": "Jaunieši", "legal_form": "association", "city": "Liepāja", "mission": "jaunieši",
     "split": "dev"},
    {"id": "p2", "name": "Muzejs", "legal_form": "association", "city": "Liepāja", "mission": "museum heritage",
     "split": "test"},
]


@pytest.fixture()
def files(tmp_path):
    c = tmp_path / "calls.jsonl"
    p = tmp_path / "profiles.jsonl"
    q = tmp_path / "qrels.tsv"
    c.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in CALLS) + "\n", encoding="utf-8")
    p.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in PROFILES) + "\n", encoding="utf-8")
    q.write_text("p1\tok\t3\np1\tother\t0\np2\tother\t2\n", encoding="utf-8")
    return c, p, q


def test_rank_jsonl(files):
    c, p, _ = files
    r = runner.invoke(app, ["rank", "--profiles", str(p), "--calls", str(c), "--today", "2027-01-10",
                            "--format", "jsonl"])
    assert r.exit_code == 0, r.output
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x["profile_id"] for x in lines] == ["p1", "p2"]
    ranked = [m["call_id"] for m in lines[0]["ranking"]]
    assert ranked[0] == "ok" and "muni" not in ranked and "closed" not in ranked
    assert set(lines[0]["ranking"][0]) == {"call_id", "score", "reasons"}
    assert lines[1]["ranking"][0]["call_id"] == "other"


def test_rank_table_and_top(files):
    c, p, _ = files
    r = runner.invoke(app, ["rank", "--profiles", str(p), "--calls", str(c), "--today", "2027-01-10",
                            "--format", "table", "--top", "1"])
    assert r.exit_code == 0, r.output
    assert "p1" in r.stdout and "1. " in r.stdout and "2. " not in r.stdout


def test_eval_json_and_split(files):
    c, p, q = files
    r = runner.invoke(app, ["eval", "--profiles", str(p), "--calls", str(c), "--qrels", str(q),
                            "--today", "2027-01-10", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["grantmatch"]["ndcg@10"] == pytest.approx(1.0)
    assert set(out) >= {"grantmatch", "bm25", "bm25+filter"}
    assert out["ineligible_in_top10"]["count"] == 0
    r = runner.invoke(app, ["eval", "--profiles", str(p), "--calls", str(c), "--qrels", str(q),
                            "--today", "2027-01-10", "--split", "test", "--json"])
    assert json.loads(r.stdout)["profiles"]["count"] == 1


def test_bad_input_names_the_line_and_exits_2(files, tmp_path):
    c, p, q = files
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(CALLS[0]) + "\n" + json.dumps({"id": "x", "source": "t", "url": URL, "title": ""}) + "\n")
    r = runner.invoke(app, ["rank", "--profiles", str(p), "--calls", str(bad)])
    assert r.exit_code == 2
    assert "line 2" in r.output and "title" in r.output
    bad.write_text("{not json\n")
    r = runner.invoke(app, ["eval", "--profiles", str(bad), "--calls", str(c), "--qrels", str(q)])
    assert r.exit_code == 2 and "line 1" in r.output
    r = runner.invoke(app, ["rank", "--profiles", str(p), "--calls", str(c), "--today", "10.01.2027"])
    assert r.exit_code == 2 and "YYYY-MM-DD" in r.output
    badq = tmp_path / "q.tsv"
    badq.write_text("p1\tok\n")
    r = runner.invoke(app, ["eval", "--profiles", str(p), "--calls", str(c), "--qrels", str(badq)])
    assert r.exit_code == 2 and "line 1" in r.output


def test_skip_invalid_reports_and_leaves_out_bad_and_repeated_records(files, tmp_path):
    c, p, q = files
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text("\n".join([
        json.dumps(CALLS[0], ensure_ascii=False),
        "{not json",
        json.dumps({**CALLS[1], "title": ""}, ensure_ascii=False),
        json.dumps({**CALLS[0], "title": "the same id again"}, ensure_ascii=False),
        json.dumps(CALLS[3], ensure_ascii=False),
    ]) + "\n", encoding="utf-8")
    strict = runner.invoke(app, ["rank", "--profiles", str(p), "--calls", str(mixed)])
    assert strict.exit_code == 2 and "line 2" in strict.output
    r = runner.invoke(app, ["rank", "--profiles", str(p), "--calls", str(mixed), "--skip-invalid", "--today",
                            "2027-01-10"])
    assert r.exit_code == 0, r.output
    assert "line 2: not valid JSON" in r.stderr and "line 3" in r.stderr and "title" in r.stderr
    assert "line 4: call 'ok' repeats line 1" in r.stderr
    ranked = {json.loads(x)["profile_id"]: [m["call_id"] for m in json.loads(x)["ranking"]]
              for x in r.stdout.splitlines()}
    assert ranked["p1"][0] == "ok" and set(ranked["p2"]) <= {"ok", "other"}
    e = runner.invoke(app, ["eval", "--profiles", str(p), "--calls", str(mixed), "--qrels", str(q),
                            "--skip-invalid", "--today", "2027-01-10", "--json"])
    assert e.exit_code == 0 and "repeats line 1" in e.stderr


def test_bench_small(files):
    c, p, _ = files
    r = runner.invoke(app, ["bench", "--calls", "40", "--from", str(c), "--profiles", str(p), "--repeats", "1"])
    assert r.exit_code == 0, r.output
    assert "grantmatch" in r.stdout and "sklearn tfidf" in r.stdout


@pytest.mark.parametrize("command", ["eval", "tune"])
def test_judgements_of_other_files_stop_the_command(files, tmp_path, command):
    """Qrels made for other profiles or calls would score every ranking 0 and look like a result."""
    c, p, _ = files
    q = tmp_path / "other.tsv"
    args = [command, "--profiles", str(p), "--calls", str(c), "--qrels", str(q), "--today", "2027-01-10"]
    q.write_text("x1\tok\t3\nx2\tother\t2\n", encoding="utf-8")
    r = runner.invoke(app, args)
    assert r.exit_code == 2 and "expected judgements of profiles in" in r.stderr and "none of its 2" in r.stderr
    q.write_text("p1\tgone\t3\np2\tlost\t2\n", encoding="utf-8")
    r = runner.invoke(app, args)
    assert r.exit_code == 2 and "found none of the 2 calls judged" in r.stderr


def test_judgements_partly_of_other_files_are_counted_on_stderr(files, tmp_path):
    c, p, _ = files
    q = tmp_path / "partly.tsv"
    q.write_text("p1\tok\t3\np1\tgone\t2\np2\tother\t2\nx1\tok\t1\n", encoding="utf-8")
    r = runner.invoke(app, ["eval", "--profiles", str(p), "--calls", str(c), "--qrels", str(q),
                            "--today", "2027-01-10", "--json"])
    assert r.exit_code == 0, r.output
    assert "warning: 1 of 3 judged profiles are not in" in r.stderr
    assert "warning: 1 of 3 calls judged for the selected profiles are not in" in r.stderr
    assert json.loads(r.stdout)["profiles"]["count"] == 2
    # the test split's profile is judged and its calls are all there: no call warning
    r = runner.invoke(app, ["eval", "--profiles", str(p), "--calls", str(c), "--qrels", str(q),
                            "--today", "2027-01-10", "--split", "test", "--json"])
    assert r.exit_code == 0 and "calls judged" not in r.stderr
