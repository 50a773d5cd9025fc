"""The same call reported by several sources (a SIF call also listed by nvo.lv) becomes one record.

Two calls from different sources are the same when their titles are alike (diacritics-insensitive,
roughly stemmed token similarity), their funders agree (or one is not stated) and their deadlines are
equal (a missing deadline on one side needs an even closer title). The record kept is the one from
the funder's own source when there is one, else the richer one; empty fields are filled from the
other record, and the other record's URL is remembered (``DedupeResult.also_at``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache

from grantmatch.models import GrantCall, ValidationError
from grantmatch.text import fold

STOPWORDS = {
    "un", "ar", "par", "uz", "no", "līdz", "lidz", "kas", "ir", "gada", "g", "the", "of", "for", "and", "to",
    "in", "a", "an", "on", "izsludina", "izsludināts", "izsludinats", "aicina", "pieteikties", "call",
    "jaunums", "news", "sākas", "sakas", "atklāts", "atklats", "open",
}  # fmt: skip
STEM = 6
GENERIC_FUNDER_WORDS = {
    "valsts", "valstspilsetas", "pasvaldiba", "pasvaldibas", "fonds", "fonda", "latvijas", "republikas",
    "ministrija", "programma", "pilsetas", "novada", "agentura", "centrs", "european", "eiropas", "commission",
    "komisija", "foundation", "fund", "of", "the", "and", "un", "as", "sia", "biedriba", "nodibinajums",
}  # fmt: skip


@dataclass
class DedupeResult:
    calls: list[GrantCall]
    also_at: dict[str, list[str]] = field(default_factory=dict)
    """Kept call id -> URLs of the same call at other sources."""
    merged: dict[str, list[str]] = field(default_factory=dict)
    """Kept call id -> ids of the records merged into it."""


@lru_cache(maxsize=4096)
def title_tokens(title: str) -> frozenset[str]:
    """Normalised title tokens: no diacritics, lower case, stop words dropped, cut to a stem."""
    words = re.findall(r"[a-z0-9]+", fold(title))
    return frozenset(w[:STEM] for w in words if w not in STOPWORDS and fold(w) not in STOPWORDS)


def title_similarity(a: str, b: str) -> float:
    """Dice coefficient of the normalised title tokens (0..1)."""
    ta, tb = title_tokens(a), title_tokens(b)
    if not ta or not tb:
        return 0.0
    return 2 * len(ta & tb) / (len(ta) + len(tb))


@lru_cache(maxsize=1024)
def _funder_tokens(funder: str | None) -> tuple[str, ...]:
    return tuple(w for w in re.findall(r"[a-z0-9]+", fold(funder or "")) if len(w) > 1 or w.isdigit())


def funders_agree(a: str | None, b: str | None) -> bool:
    """Same funder, allowing one to be unstated and acronyms ("SIF" = "Sabiedrības integrācijas fonds")."""
    ta, tb = _funder_tokens(a), _funder_tokens(b)
    if not ta or not tb:
        return True
    specific_a = {w[:STEM] for w in ta if w not in GENERIC_FUNDER_WORDS}
    if specific_a & {w[:STEM] for w in tb if w not in GENERIC_FUNDER_WORDS}:
        return True
    acronym_a = "".join(w[0] for w in ta)
    acronym_b = "".join(w[0] for w in tb)
    return any(len(w) >= 2 and w in (acronym_a, acronym_b) for w in (*ta, *tb))


def same_call(a: GrantCall, b: GrantCall, *, threshold: float = 0.6) -> bool:
    """Whether two records from different sources describe the same call."""
    if a.source == b.source or not funders_agree(a.funder, b.funder):
        return False
    sim = title_similarity(a.title, b.title)
    if a.deadline and b.deadline:
        return a.deadline == b.deadline and sim >= threshold
    if a.deadline is None and b.deadline is None:
        return sim >= max(threshold, 0.8)
    return sim >= max(threshold + 0.2, 0.8)


def richness(call: GrantCall) -> int:
    filled = sum(1 for f in fields(call) if getattr(call, f.name) not in (None, "", ()))
    return filled * 100_000 + len(call.summary)


def dedupe(
    calls: Iterable[GrantCall],
    *,
    own_funders: Mapping[str, str] | None = None,
    threshold: float = 0.6,
) -> DedupeResult:
    """Merge records of the same call from several sources.

    Parameters
    ----------
    calls : the records of one run, all sources together.
    own_funders : source key -> the funder that source belongs to (``BaseScraper.funder``); a record
        whose funder agrees with its source's own funder is preferred (the funder's own page).
    threshold : float, default=0.6
        minimum title similarity when the deadlines are equal.
    """
    items = list(calls)
    own_funders = own_funders or {}

    def preference(call: GrantCall) -> tuple[int, int]:
        own = call.source in own_funders and funders_agree(call.funder, own_funders[call.source])
        own = own and bool(call.funder)
        return (1 if own else 0, richness(call))

    groups: list[list[GrantCall]] = []
    for call in sorted(items, key=preference, reverse=True):
        for group in groups:
            if all(c.source != call.source for c in group) and same_call(group[0], call, threshold=threshold):
                group.append(call)
                break
        else:
            groups.append([call])
    result = DedupeResult(calls=[])
    order = {c.id: i for i, c in enumerate(items)}
    for group in groups:
        keep = group[0]
        for other in group[1:]:
            keep = _fill(keep, other)
        if len(group) > 1:
            result.also_at[keep.id] = [c.url for c in group[1:] if c.url != keep.url]
            result.merged[keep.id] = [c.id for c in group[1:]]
        result.calls.append(keep)
    result.calls.sort(key=lambda c: order[c.id])
    return result


def _fill(keep: GrantCall, other: GrantCall) -> GrantCall:
    """``keep`` with its empty fields taken from ``other`` (when the result is still valid)."""
    changes = {}
    for f in fields(keep):
        if f.name in ("id", "source", "url", "title"):
            continue
        if getattr(keep, f.name) in (None, "", ()) and getattr(other, f.name) not in (None, "", ()):
            changes[f.name] = getattr(other, f.name)
    if not changes:
        return keep
    try:
        return replace(keep, **changes)
    except (ValidationError, ValueError):
        return keep
