"""The `grantmatch` command line as a whole: errors, --today, help and --version."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from grantmatch.cli import app

URL = "https://example.org/call"  # a call's url must be an http(s) address

runner = CliRunner()

CALL = {"id": "c1", "source": "t", "url": URL, "title": "Jauniešu projekti", "deadline": "2027-03-01"}
PROFILE = {"id": "p1", "name": "Jaunieši", "legal_form": "association", "city": "Liepāja", "mission": "jaunieši"}


@pytest.fixture()
def files(tmp_path):
    calls, profiles, empty = tmp_path / "calls.jsonl", tmp_path / "profiles.jsonl", tmp_path / "empty.jsonl"
    calls.write_text(json.dumps(CALL) + "\n", encoding="utf-8")
    profiles.write_text(json.dumps(PROFILE) + "\n", encoding="utf-8")
    empty.write_text("\n", encoding="utf-8")
    return calls, profiles, empty


@pytest.mark.parametrize("which", ["profiles", "calls"])
def test_rank_with_an_empty_file_is_an_error(files, which):
    calls, profiles, empty = files
    args = {"profiles": profiles, "calls": calls, which: empty}
    result = runner.invoke(app, ["rank", "--profiles", str(args["profiles"]), "--calls", str(args["calls"])])
    assert result.exit_code == 2 and result.stdout == ""
    kind = which[:-1]
    assert f"error: {empty}: expected at least one {kind}, found none" in result.stderr


def test_rank_prints_a_line_per_profile(files):
    calls, profiles, _ = files
    result = runner.invoke(app, ["rank", "--profiles", str(profiles), "--calls", str(calls), "--today", "2027-01-01"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["profile_id"] == "p1"


@pytest.mark.parametrize(
    "args", [["rank", "--profiles", "p", "--calls", "c"], ["sources"], ["parse", "eu-ft", "f.json"]]
)
def test_a_bad_today_is_named_once(args):
    result = runner.invoke(app, [*args, "--today", "tomorrow"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: --today 'tomorrow' is not a date (expected YYYY-MM-DD)"


@pytest.mark.parametrize("args, says", [
    (["rank", "--profiles", "p", "--calls", "c", "--top", "0"], "Invalid value for '--top'"),
    (["rank", "--profiles", "p"], "Missing option '--calls'"),
    (["rank", "--bogus"], "No such option: --bogus"),
    (["rnk"], "No such command 'rnk'"),
])
def test_a_bad_option_is_an_error_line_like_the_commands_own(args, says):
    """Typer's own checks answer as the commands do: one ``error:`` line on stderr, exit 2, no usage block."""
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"error: {says}") and result.stderr.count("\n") == 1, result.stderr
    assert "--help')" in result.stderr and "Usage:" not in result.stderr


@pytest.mark.parametrize("top", [["--top", "0"], ["--top=0"]])
def test_an_out_of_range_option_names_the_value_given(top):
    """Click's range message says what was expected; the error line also says what was found."""
    result = runner.invoke(app, ["rank", "--profiles", "p", "--calls", "c", *top])
    assert "greater than or equal to 1; found '0'" in result.stderr, result.stderr


def test_version():
    from importlib.metadata import version

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout == f"grantmatch {version('grantmatch')}\n"


# A placeholder that is a Python or click type (<list[str]>, <int>, <integer range>, <text>) or has
# brackets, as typer writes it for an option without a metavar.
PYTHON_TYPE = re.compile(r"<[^<>]*\[[^<>]*>|<(str|int|float|bool|list|dict|tuple|integer|text|boolean|choice)"
                         r"( range)?>", re.IGNORECASE)


def test_help_is_english_and_flags_have_no_placeholder():
    import typer

    group = typer.main.get_command(app)
    names = [None, *group.commands]
    for name in names:
        out = runner.invoke(app, [name, "--help"] if name else ["--help"]).stdout
        assert "<bool>" not in out, name
        # an option's placeholder says what to give (<date>, <n>, <jsonl|table>), not a Python type
        for line in out.splitlines():
            if line.lstrip().startswith("-"):  # an option line: "  -s, --source <key>  Source key ..."
                assert not PYTHON_TYPE.search(line), (name, line)
        assert not any(c in out for c in "āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ"), (name, out)  # English help throughout
    assert len(names) > 15
