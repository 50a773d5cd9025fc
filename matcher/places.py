"""The place hierarchy (``data/places.json``): town -> municipality -> region -> LV -> Baltic / EU.

A call open to a place is open to every place below it. Names are matched without regard to case or
diacritics, and a Latvian genitive or locative (``Liepājas``, ``Liepājā``) finds its place too.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from grantmatch.paths import DATA_DIR
from matcher.errors import MatcherError
from matcher.text import fold

_DROP_WORDS = ("novads", "novada", "pilsēta", "pilsētas", "valstspilsēta", "valstspilsētas", "region",
               "reģions", "reģiona", "plānošanas", "municipality", "city", "the")


class Places:
    """Lookup and ancestry over the place hierarchy."""

    def __init__(self, records: list[dict]) -> None:
        self.parents: dict[str, tuple[str, ...]] = {}
        self.kind: dict[str, str] = {}
        self._index: dict[str, str] = {}
        for rec in records:
            name = rec["name"]
            self.parents[name] = tuple(rec.get("parents", ()))
            self.kind[name] = rec.get("kind", "")
        for rec in records:  # aliases after names, so a name always wins over another place's alias
            for alias in rec.get("aliases", ()):
                self._index.setdefault(fold(alias), rec["name"])
        for rec in records:
            self._index[fold(rec["name"])] = rec["name"]
        for name, parents in self.parents.items():
            for p in parents:
                if p not in self.parents:
                    raise MatcherError(f"places: {name!r} has parent {p!r}, expected a known place, found none")

    @classmethod
    def load(cls, path: Path | None = None) -> Places:
        path = path or DATA_DIR / "places.json"
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise MatcherError(f"places: expected a JSON place list at {path}, found: {exc}") from exc
        return cls(data["places"] if isinstance(data, dict) else data)

    def resolve(self, text: str) -> str | None:
        """The canonical place for a name as written, or None when unknown."""
        if not text:
            return None
        cache = self.__dict__.setdefault("_resolved", {})
        if text not in cache:
            if len(cache) > 100_000:
                cache.clear()
            cache[text] = self._resolve(text)
        return cache[text]

    def _resolve(self, text: str) -> str | None:
        key = fold(text).strip(" .,")
        if key in self._index:
            return self._index[key]
        words = [w for w in key.replace("-", " - ").split() if w not in _DROP_WORDS]
        stripped = " ".join(words).replace(" - ", "-")
        for cand in (stripped, *_inflections(stripped)):
            if cand in self._index:
                return self._index[cand]
        return None

    def ancestors(self, place: str) -> dict[str, int]:
        """``place`` and every place above it, with the number of steps up (0 for itself)."""
        cache = self.__dict__.setdefault("_ancestor_cache", {})
        if place not in cache:
            cache[place] = self._ancestors(place)
        return dict(cache[place])

    def _ancestors(self, place: str) -> dict[str, int]:
        out = {place: 0}
        frontier = [place]
        depth = 0
        while frontier:
            depth += 1
            nxt = []
            for p in frontier:
                for parent in self.parents.get(p, ()):
                    if parent not in out:
                        out[parent] = depth
                        nxt.append(parent)
            frontier = nxt
        return out


def _inflections(word: str) -> list[str]:
    """Nominative guesses for a folded Latvian genitive/locative: liepajas -> liepaja."""
    out = []
    for suffix, repl in (("as", "a"), ("es", "e"), ("a", ""), ("u", "i"), ("os", "i"), ("a", "s"), ("e", "s"),
                         ("i", "s"), ("u", "us")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            out.append(word[: -len(suffix)] + repl)
    return out


@lru_cache(maxsize=4)
def default_places(path: str = "") -> Places:
    """The bundled place hierarchy (cached)."""
    return Places.load(Path(path) if path else None)
