"""Proposal templates: TOML files in ``data/templates/``, validated when loaded.

A template lists the funder's sections, the budget categories and the rules that pick it for a call
(see ``data/templates/README.md``). Every text a draft shows (section titles, guidance, budget category
names and units) is given in Latvian and in English, so that a draft in either language reads in that
language whatever the funder's own language is. A broken file
raises :class:`TemplateError` naming the file and the problem::

    sif-nvo-fonds.toml: sections[3]: kind 'tabel' is not one of: text, logframe, budget
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from grantmatch.models import GrantCall
from grantmatch.paths import DATA_DIR
from grantmatch.text import fold

TEMPLATES_DIR = DATA_DIR / "templates"

LANGUAGES = ("lv", "en")
SECTION_KINDS = ("text", "logframe", "budget")
PREFILL_SOURCES = (
    "profile.name",
    "profile.mission",
    "profile.target_groups",
    "profile.activities",
    "call.aims",
    "call.activities",
    "call.amounts",
    "call.cofinancing",
    "call.deadline",
    "call.summary",
)
MATCH_FIELDS = ("source", "funder", "programme", "title", "language")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class TemplateError(ValueError):
    """A template file is missing, unreadable or does not follow the template schema."""


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: dict[str, str]  # {"lv": ..., "en": ...}
    kind: str  # text | logframe | budget
    guidance: dict[str, str]  # {"lv": ..., "en": ...}
    prefill: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class BudgetCategory:
    key: str
    name: dict[str, str]  # {"lv": ..., "en": ...}
    unit: dict[str, str]
    share: float


@dataclass(frozen=True, slots=True)
class Template:
    name: str
    title: dict[str, str]  # {"lv": ..., "en": ...}
    language: str
    sections: tuple[Section, ...]
    budget_categories: tuple[BudgetCategory, ...]
    description: str = ""
    priority: int = 0
    fallback_for: tuple[str, ...] = ()
    match: tuple[dict[str, tuple[str, ...]], ...] = ()
    path: str = ""

    def matches(self, call: GrantCall) -> bool:
        """True when any of the template's rules matches the call (see module docs)."""
        fields = {
            "source": call.source,
            "funder": call.funder or "",
            "programme": call.programme or "",
            "title": call.title,
            "language": call.language,
        }
        for rule in self.match:
            if all(any(fold(w) in fold(fields[f]) for w in words) for f, words in rule.items()):
                return True
        return False


# --------------------------------------------------------------------------- validation


def _need(cond: bool, where: str, message: str) -> None:
    if not cond:
        raise TemplateError(f"{where}: {message}")


def _text(rec: dict, key: str, where: str, *, required: bool = True) -> str:
    value = rec.get(key)
    if value is None:
        _need(not required, where, f"'{key}' is required")
        return ""
    _need(isinstance(value, str), where, f"'{key}' must be text, found {type(value).__name__} {value!r}")
    _need(not required or bool(value.strip()), where, f"'{key}' is empty")
    return value.strip()


def _both(rec: dict, key: str, where: str) -> dict[str, str]:
    """A text given in both languages: ``key = { lv = "...", en = "..." }`` (or ``key.lv`` / ``key.en``)."""
    value = rec.get(key)
    _need(
        isinstance(value, dict),
        where,
        f"{key} must be a table of texts in lv and en ({key}.lv = ..., {key}.en = ...), found {value!r}",
    )
    extra = sorted(set(value) - set(LANGUAGES))
    _need(not extra, where, f"{key} has unknown language(s) {', '.join(extra)}; allowed: {', '.join(LANGUAGES)}")
    for lg in LANGUAGES:
        _need(lg in value, where, f"{key}.{lg} is missing; expected texts in both lv and en")
        text = value[lg]
        _need(isinstance(text, str), where, f"{key}.{lg} must be text, found {type(text).__name__} {text!r}")
        _need(bool(text.strip()), where, f"{key}.{lg} is empty")
    return {lg: value[lg].strip() for lg in LANGUAGES}


def _words(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    _need(
        isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value),
        where,
        f"expected a non-empty list of words, found {value!r}",
    )
    return tuple(v.strip() for v in value)


def parse_template(data: dict[str, Any], where: str) -> Template:
    """Validate one template's parsed TOML; ``where`` names the file in error messages."""
    known = {
        "name", "title", "language", "description", "priority", "fallback_for",
        "match", "budget_categories", "sections",
    }  # fmt: skip
    unknown = sorted(set(data) - known)
    _need(not unknown, where, f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(known))}")
    name = _text(data, "name", where)
    _need(bool(_SLUG.match(name)), where, f"name {name!r} must be a slug (a-z, 0-9, '-', '_')")
    language = _text(data, "language", where)
    _need(language in LANGUAGES, where, f"language {language!r} is not one of: {', '.join(LANGUAGES)}")
    priority = data.get("priority", 0)
    _need(
        isinstance(priority, int) and not isinstance(priority, bool),
        where,
        f"priority must be a whole number, found {priority!r}",
    )
    fallback = data.get("fallback_for", [])
    fallback = _words(fallback, f"{where}: fallback_for") if fallback else ()

    rules = []
    raw_rules = data.get("match", [])
    _need(isinstance(raw_rules, list), where, "'match' must be a list of [[match]] tables")
    for i, rule in enumerate(raw_rules):
        rwhere = f"{where}: match[{i}]"
        _need(isinstance(rule, dict) and bool(rule), rwhere, "a rule must name at least one field")
        bad = sorted(set(rule) - set(MATCH_FIELDS))
        _need(not bad, rwhere, f"unknown field(s) {', '.join(bad)}; allowed: {', '.join(MATCH_FIELDS)}")
        rules.append({f: _words(v, f"{rwhere}.{f}") for f, v in rule.items()})

    raw_cats = data.get("budget_categories")
    _need(
        isinstance(raw_cats, list) and bool(raw_cats),
        where,
        "at least one [[budget_categories]] is required",
    )
    cats = []
    for i, cat in enumerate(raw_cats):
        cwhere = f"{where}: budget_categories[{i}]"
        _need(isinstance(cat, dict), cwhere, "must be a table")
        share = cat.get("share", 0)
        _need(
            isinstance(share, int | float) and not isinstance(share, bool) and 0 <= share <= 1,
            cwhere,
            f"share must be a number between 0 and 1, found {share!r}",
        )
        cats.append(
            BudgetCategory(
                key=_text(cat, "key", cwhere),
                name=_both(cat, "name", cwhere),
                unit=_both(cat, "unit", cwhere),
                share=float(share),
            )
        )
    total_share = sum(c.share for c in cats)
    _need(total_share <= 1.0001, where, f"budget category shares add up to {total_share:g}, more than 1")
    keys = [c.key for c in cats]
    _need(len(set(keys)) == len(keys), where, f"budget category keys repeat: {keys}")

    raw_sections = data.get("sections")
    _need(isinstance(raw_sections, list) and bool(raw_sections), where, "at least one [[sections]] is required")
    sections = []
    for i, sec in enumerate(raw_sections):
        swhere = f"{where}: sections[{i}]"
        _need(isinstance(sec, dict), swhere, "must be a table")
        key = _text(sec, "key", swhere)
        swhere = f"{where}: sections[{i}] ({key})"
        _need(bool(_SLUG.match(key)), swhere, f"key {key!r} must be a slug")
        kind = sec.get("kind", "text")
        _need(kind in SECTION_KINDS, swhere, f"kind {kind!r} is not one of: {', '.join(SECTION_KINDS)}")
        prefill = sec.get("prefill", [])
        prefill = _words(prefill, f"{swhere}.prefill") if prefill else ()
        for source in prefill:
            _need(
                source in PREFILL_SOURCES,
                swhere,
                f"prefill {source!r} is not one of: {', '.join(PREFILL_SOURCES)}",
            )
        sections.append(
            Section(
                key=key,
                title=_both(sec, "title", swhere),
                kind=kind,
                guidance=_both(sec, "guidance", swhere),
                prefill=prefill,
            )
        )
    keys = [s.key for s in sections]
    dup = sorted({k for k in keys if keys.count(k) > 1})
    _need(not dup, where, f"section key(s) repeat: {', '.join(dup)}")
    for kind in ("logframe", "budget"):
        n = sum(s.kind == kind for s in sections)
        _need(n == 1, where, f"expected exactly one section of kind '{kind}', found {n}")

    return Template(
        name=name,
        title=_both(data, "title", where),
        language=language,
        description=_text(data, "description", where, required=False),
        priority=priority,
        fallback_for=fallback,
        match=tuple(rules),
        sections=tuple(sections),
        budget_categories=tuple(cats),
    )


def load_template(path: str | Path) -> Template:
    """Read and validate one template file."""
    path = Path(path)
    where = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TemplateError(f"{where}: cannot read template file {path}: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise TemplateError(f"{where}: expected UTF-8 text, found an undecodable byte at {exc.start}") from None
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"{where}: not valid TOML: {exc}") from None
    template = parse_template(data, where)
    if template.name != path.stem:
        raise TemplateError(f"{where}: name {template.name!r} must equal the file name {path.stem!r}")
    return replace(template, path=str(path))


_CACHE: dict[tuple[str, tuple[tuple[str, int, int], ...]], dict[str, Template]] = {}


def load_templates(directory: str | Path | None = None) -> dict[str, Template]:
    """All templates of a folder, by name (validated; cached until a file changes).

    Raises
    ------
    TemplateError
        When the folder has no template or any file is broken (the message names the file).
    """
    directory = Path(directory) if directory else TEMPLATES_DIR
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise TemplateError(f"{directory}: expected template files (*.toml), found none")
    stamp = tuple((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    key = (str(directory.resolve()), stamp)
    if key not in _CACHE:
        templates = {}
        for f in files:
            t = load_template(f)
            templates[t.name] = t
        _CACHE.clear()
        _CACHE[key] = templates
    return dict(_CACHE[key])


def choose_template(
    call: GrantCall, templates: dict[str, Template] | None = None, override: str | None = None
) -> Template:
    """The template for a call: ``override`` if given, else the highest-priority matching rule, else
    the fallback for the call's language (``lv`` → Latvian generic, anything else → ``"*"``)."""
    templates = templates if templates is not None else load_templates()
    if override:
        if override not in templates:
            raise TemplateError(
                f"template {override!r} not found; available: {', '.join(sorted(templates))}"
            )
        return templates[override]
    ordered = sorted(templates.values(), key=lambda t: (-t.priority, t.name))
    for t in ordered:
        if t.matches(call):
            return t
    lang = call.language or "lv"
    for wanted in (lang, "*"):
        for t in ordered:
            if wanted in t.fallback_for:
                return t
    return ordered[0]
