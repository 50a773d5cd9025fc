"""Drafting services: what the Draft page, the pipeline page and the CLI call.

Functions take a store (``grantmatch.store.Store`` or anything with the same draft, profile and call
methods); this module never opens a database itself. Drafts are saved with versions: every save that
changes the content adds a version, and restoring an earlier version saves it again as the newest.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from grantmatch.drafting.export import export
from grantmatch.drafting.outline import DraftError, build_draft
from grantmatch.drafting.templates import Template, load_templates
from grantmatch.i18n import DEFAULT_LANG
from grantmatch.models import GrantCall, NgoProfile


def _profile(store: Any, profile_id: str) -> NgoProfile:
    profile = store.get_profile(profile_id)
    if profile is None:
        known = [p.id for p in store.list_profiles()]
        hint = f"; known: {', '.join(known[:10])}" + (" …" if len(known) > 10 else "") if known else ""
        raise DraftError(f"draft: no profile with id {profile_id!r} in the database{hint}")
    return profile


def _call(store: Any, call_id: str) -> GrantCall:
    call = store.get_call(call_id)
    if call is None:
        raise DraftError(
            f"draft: no call with id {call_id!r} in the database ({store.count_calls()} calls stored)"
        )
    return call


def template_choices(templates: dict[str, Template] | None = None, lang: str = DEFAULT_LANG) -> list[tuple[str, str]]:
    """(name, title in ``lang``) of every template, for a picker."""
    templates = templates if templates is not None else load_templates()
    return sorted(((t.name, t.title[lang]) for t in templates.values()), key=lambda x: x[0])


def make_draft(
    store: Any,
    profile_id: str,
    call_id: str,
    *,
    template: str | None = None,
    lang: str | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """A new draft's content for a stored profile and call (not saved)."""
    return build_draft(_profile(store, profile_id), _call(store, call_id), template=template, lang=lang, today=today)


def create_draft(
    store: Any,
    profile_id: str,
    call_id: str,
    *,
    template: str | None = None,
    lang: str | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """Build a draft and save it as version 1; returns the stored record (id, version, content, ...)."""
    content = make_draft(store, profile_id, call_id, template=template, lang=lang, today=today)
    draft_id, _ = store.save_draft(profile_id, call_id, content["template"], content, title=content["title"])
    return store.load_draft(draft_id)


def save_draft(store: Any, draft_id: int, content: dict[str, Any]) -> tuple[int, bool]:
    """Save edited content as a new version when it differs from the newest one (autosave).

    Returns
    -------
    (version, saved) : the newest version number and whether a new version was written.
    """
    current = store.load_draft(draft_id)
    if current["content"] == content:
        return current["version"], False
    _, version = store.save_draft(
        current["profile_id"],
        current["call_id"],
        content.get("template") or current["template"],
        content,
        draft_id=draft_id,
        title=content.get("title") or current.get("title") or "",
    )
    return version, True


def restore_version(store: Any, draft_id: int, version: int) -> int:
    """Make an earlier version the newest again (saved as a new version); returns its number."""
    old = store.load_draft(draft_id, version)
    new_version, _ = save_draft(store, draft_id, old["content"])
    return new_version


def delete_draft(store: Any, draft_id: int) -> bool:
    """Delete a draft and every version of it (there is no undo); False when it did not exist."""
    return store.delete_draft(draft_id)


def list_drafts(store: Any, profile_id: str | None = None, call_id: str | None = None) -> list[dict[str, Any]]:
    """One NGO's (or every) drafts, newest first: id, profile_id, call_id, template, title, updated_at,
    version."""
    return store.list_drafts(profile_id=profile_id, call_id=call_id)


def draft_versions(store: Any, draft_id: int) -> list[dict[str, Any]]:
    """Versions of a draft, newest first: version, saved_at."""
    return store.draft_versions(draft_id)


def load_draft(store: Any, draft_id: int, version: int | None = None) -> dict[str, Any]:
    """A stored draft (newest version unless ``version``): id, profile_id, call_id, template, content,
    version."""
    return store.load_draft(draft_id, version)


def export_draft(store: Any, draft_id: int, path: str | Path, *, version: int | None = None) -> Path:
    """Write a stored draft to ``path`` (.docx or .md)."""
    return export(store.load_draft(draft_id, version)["content"], path)
