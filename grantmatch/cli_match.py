"""`grantmatch` commands: match (rank, eval, tune, bench)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from grantmatch import services
from grantmatch.cli_common import fail, parse_today, today_option
from grantmatch.models import GrantCall, NgoProfile

SKIP_HELP = "Report and leave out records that break the contract or repeat an id (default: stop at the first)."


# Options several commands share (eval and tune read the same files; rank, eval and tune skip alike).
_PROFILES = typer.Option(..., "--profiles", help="Profiles (JSONL).")
_CALLS = typer.Option(..., "--calls", help="Calls (JSONL).")
_QRELS = typer.Option(..., "--qrels", help="profile_id<TAB>call_id<TAB>grade")
_SPLIT = typer.Option(
    None, "--split", metavar="<dev|test>", help="Only profiles whose 'split' field is this (dev/test)."
)
_SKIP = typer.Option(False, "--skip-invalid", help=SKIP_HELP)


def _skipped(message: str) -> None:
    typer.secho(f"skipped: {message}", err=True, fg="yellow")


def _warn(message: str) -> None:
    typer.secho(f"warning: {message}", err=True, fg="yellow")


def _read(profiles: Path, calls: Path, skip_invalid: bool = False) -> tuple[list[NgoProfile], list[GrantCall]]:
    """Profiles and calls; with ``skip_invalid`` a record that breaks the contract (or repeats an id)
    is reported on stderr and left out, else the first one stops the command. Either file without a
    record stops the command too."""
    skip = _skipped if skip_invalid else None
    try:
        profs, cs = services.read_profiles(profiles, skip=skip), services.read_calls(calls, skip=skip)
    except services.InputFileError as exc:
        raise fail(str(exc)) from None
    # an empty file (or one whose every record was skipped) would make a command print nothing and succeed
    for path, records, kind in ((profiles, profs, "profile"), (calls, cs, "call")):
        if not records:
            raise fail(f"{path}: expected at least one {kind}, found none")
    return profs, cs


def _splits(path: Path) -> dict[str, str]:
    """Profile id -> its ``split`` field (an extra field of benchmark files)."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            if isinstance(rec, dict) and "split" in rec:
                out[str(rec.get("id"))] = str(rec["split"])
    return out


def _read_judged(profiles: Path, calls: Path, qrels: Path, split: str | None,
                 skip_invalid: bool) -> tuple[list[NgoProfile], list[GrantCall], dict[str, dict[str, int]]]:
    """Profiles (of one ``split`` if given), calls and qrels for the commands that measure.

    Judgements made for other files would score every ranking 0 (an unjudged pair counts as grade 0),
    which reads like a broken matcher: when no selected profile or none of their judged calls is in the
    input the command stops; when only some are missing it says how many on stderr and goes on."""
    from matcher.errors import MatcherError
    from matcher.evaluate import read_qrels

    profs, cs = _read(profiles, calls, skip_invalid)
    try:
        judged = read_qrels(qrels)
    except MatcherError as exc:
        raise fail(str(exc)) from None
    missing = len(set(judged) - {p.id for p in profs})
    if split:
        splits = _splits(profiles)
        profs = [p for p in profs if splits.get(p.id) == split]
        if not profs:
            raise fail(f"--split {split!r}: expected profiles with that 'split' field in {profiles}, found none")
    used = [p.id for p in profs if p.id in judged]
    if not used:
        where = f"{profiles} (--split {split!r})" if split else str(profiles)
        raise fail(f"{qrels}: expected judgements of profiles in {where}, found none of its "
                   f"{len(profs)} profile ids among the {len(judged)} judged")
    call_ids = {c.id for c in cs}
    judged_calls = {c for pid in used for c in judged[pid]}
    found = len(judged_calls & call_ids)
    if not found:
        raise fail(f"{qrels}: expected judged calls in {calls}, found none of the {len(judged_calls)} "
                   f"calls judged for the selected profiles")
    if missing:
        _warn(f"{missing} of {len(judged)} judged profiles are not in {profiles}; they are left out")
    if found < len(judged_calls):
        _warn(f"{len(judged_calls) - found} of {len(judged_calls)} calls judged for the selected profiles "
              f"are not in {calls}; they count as relevant calls not found")
    return profs, cs, judged


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""

    @app.command("rank")
    def rank(
        profiles: Path = typer.Option(..., "--profiles", help="NGO profiles (JSONL, or one JSON object)."),
        calls: Path = typer.Option(..., "--calls", help="Grant calls (JSONL)."),
        top: int = typer.Option(10, "--top", metavar="<n>", min=1, help="How many calls per profile."),
        today: str = today_option("YYYY-MM-DD; calls closed before it are left out."),
        fmt: str = typer.Option(
            "jsonl", "--format", metavar="<jsonl|table>", help="jsonl (one line per profile) or table."
        ),
        skip_invalid: bool = _SKIP,
    ) -> None:
        """Rank the calls each organisation may apply for, best first."""
        from matcher import Matcher

        if fmt not in ("jsonl", "table"):
            raise fail(f"--format: expected 'jsonl' or 'table', found {fmt!r}")
        day = parse_today(today)
        profs, cs = _read(profiles, calls, skip_invalid)
        m = Matcher().fit(cs)
        titles = {c.id: c.title for c in cs}
        for p in profs:
            matches = m.rank(p, top=top, today=day)
            if fmt == "jsonl":
                rec = {"profile_id": p.id, "ranking": [x.to_dict() for x in matches]}
                sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
                continue
            typer.echo(f"\n{p.id} — {p.name}")
            for n, x in enumerate(matches, 1):
                days = "—" if x.days_left is None else f"{x.days_left} d."
                title = titles[x.call_id][:70]
                typer.echo(f"{n:>3}. {x.score:6.3f}  {days:>8}  {x.call_id}  {title}")
                if x.terms:
                    typer.echo(f"{'':>17}vārdi / terms: {', '.join(x.terms)}")

    @app.command("eval")
    def eval_(
        profiles: Path = _PROFILES,
        calls: Path = _CALLS,
        qrels: Path = _QRELS,
        today: str = today_option(),
        split: str = _SPLIT,
        as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
        skip_invalid: bool = _SKIP,
    ) -> None:
        """nDCG@10, MRR, P@5, Recall@20 for grantmatch and a plain BM25 baseline (same run, same input)."""
        from matcher.evaluate import METRICS, evaluate

        day = parse_today(today)
        profs, cs, judged = _read_judged(profiles, calls, qrels, split, skip_invalid)
        result = evaluate(profs, cs, judged, day)
        if as_json:
            typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
            return
        typer.echo(f"profiles: {result['profiles']['count']}, calls: {len(cs)}, today: {day.isoformat()}")
        typer.echo(f"{'system':<14}" + "".join(f"{m:>11}" for m in METRICS))
        for name in ("grantmatch", "bm25+filter", "bm25"):
            typer.echo(f"{name:<14}" + "".join(f"{result[name][m]:>11.3f}" for m in METRICS))
        leaks = result["ineligible_in_top10"]
        typer.echo(f"ineligible calls in a grantmatch top 10: {leaks['count']}")

    @app.command("tune")
    def tune(
        profiles: Path = _PROFILES,
        calls: Path = _CALLS,
        qrels: Path = _QRELS,
        today: str = today_option(),
        split: str = _SPLIT,
        c: float = typer.Option(
            1.0, "--c", metavar="<number>", min=1e-6, help="Inverse L2 strength of the logistic regression."
        ),
        keep: list[str] = typer.Option(
            [], "--keep", metavar="<feature>", help="A feature to leave at its current weight (repeatable)."
        ),
        as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
        skip_invalid: bool = _SKIP,
    ) -> None:
        """Refit the fusion weights; leave-one-profile-out nDCG@10 of fitted vs current weights."""
        from matcher.errors import MatcherError
        from matcher.tune import as_parameters
        from matcher.tune import tune as tune_weights

        day = parse_today(today)
        profs, cs, judged = _read_judged(profiles, calls, qrels, split, skip_invalid)
        try:
            result = tune_weights(profs, cs, judged, day, c=c, keep=keep)
        except MatcherError as exc:
            raise fail(str(exc)) from None
        if as_json:
            typer.echo(json.dumps({"weights": result.weights, "current": result.current,
                                   "parameters": as_parameters(result.weights),
                                   "lopo_ndcg@10": {"fitted": result.lopo_fitted, "current": result.lopo_current},
                                   "per_profile": result.per_profile}, indent=2, ensure_ascii=False))
            return
        typer.echo(f"profiles: {len(result.per_profile)}, eligible calls: {result.n_calls} "
                   f"({result.n_good} good fit), today: {day.isoformat()}, C={c:g}")
        typer.echo(f"{'feature':<15}{'fitted':>9}{'current':>9}")
        for name, value in result.weights.items():
            note = "  (kept)" if name in result.fixed else ""
            typer.echo(f"{name:<15}{value:>9.2f}{result.current[name]:>9.2f}{note}")
        typer.echo(f"leave-one-profile-out nDCG@10: fitted {result.lopo_fitted:.3f}, "
                   f"current {result.lopo_current:.3f} (current weights were fitted on all profiles)")
        typer.echo("Matcher(**" + json.dumps(as_parameters(result.weights)) + ")")

    @app.command("bench")
    def bench(
        n_calls: int = typer.Option(10000, "--calls", metavar="<n>", min=10, help="Corpus size to build."),
        source: Path = typer.Option(None, "--from", help="Calls to build it from (default: bundled data)."),
        profiles: Path = typer.Option(None, "--profiles", help="Profiles to rank for (default: bundled)."),
        repeats: int = typer.Option(5, "--repeats", metavar="<n>", min=1, help="Rankings per profile for the timing."),
        seed: int = typer.Option(0, "--seed", metavar="<n>", help="Seed of the deterministic corpus builder."),
    ) -> None:
        """Fit time, rank p50/p95 and peak memory at N calls, beside scikit-learn TF-IDF + cosine."""
        from matcher import bench as bench_mod

        src = source or services.SAMPLE_CALLS
        prof = profiles or services.SAMPLE_PROFILES
        profs, cs = _read(prof, src)
        for line in bench_mod.run(cs, profs, n_calls, repeats=repeats, seed=seed):
            typer.echo(line)
