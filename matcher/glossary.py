"""The bilingual domain glossary (``data/glossary.tsv``: Latvian <TAB> English) for query expansion.

Both sides are lemmatised and folded like any text, so ``jauniešiem`` in a profile finds the entry
``jaunieši <TAB> youth`` and adds ``youth`` to the query (and ``youth`` adds ``jaunietis``).
"""

from __future__ import annotations

from pathlib import Path

from grantmatch.paths import DATA_DIR
from matcher.errors import MatcherError
from matcher.text import Analyzer

MAX_PHRASE = 4


class Glossary:
    """Phrase -> translated phrases, both as key tuples."""

    def __init__(self, pairs: list[tuple[str, str]], analyzer: Analyzer) -> None:
        self.map: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
        self.surface: dict[tuple[str, ...], str] = {}
        for lv, en in pairs:
            klv = tuple(analyzer.keys(lv, "lv"))
            ken = tuple(analyzer.keys(en, "en"))
            if not klv or not ken or klv == ken:
                continue
            for a, b, text_b in ((klv, ken, en), (ken, klv, lv)):
                if len(a) <= MAX_PHRASE:
                    self.map.setdefault(a, set()).add(b)
                    self.surface.setdefault(b, text_b)

    def __len__(self) -> int:
        return len(self.map)

    @classmethod
    def load(cls, analyzer: Analyzer, path: Path | None = None) -> Glossary:
        path = Path(path or DATA_DIR / "glossary.tsv")
        pairs = []
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise MatcherError(f"glossary: expected a TSV file at {path}, found: {exc}") from exc
        for n, line in enumerate(lines, 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 2:
                raise MatcherError(f"glossary: expected 'latvian<TAB>english' at {path}:{n}, found {line!r}")
            pairs.append((parts[0].strip(), parts[1].strip()))
        return cls(pairs, analyzer)

    def matches(self, keys: list[str]) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        """(source phrase, translated phrase) for every glossary phrase found in ``keys``."""
        out = []
        n = len(keys)
        for i in range(n):
            for j in range(i + 1, min(n, i + MAX_PHRASE) + 1):
                src = tuple(keys[i:j])
                for dst in self.map.get(src, ()):
                    out.append((src, dst))
        return out

    def spans(self, keys: list[str]) -> list[tuple[tuple[int, int], tuple[str, ...]]]:
        """((start, end), translated phrase) for every glossary phrase found in ``keys``."""
        out = []
        n = len(keys)
        for i in range(n):
            for j in range(i + 1, min(n, i + MAX_PHRASE) + 1):
                for dst in self.map.get(tuple(keys[i:j]), ()):
                    out.append(((i, j), dst))
        return out

    def expand(self, keys: list[str]) -> dict[str, float]:
        """Translated keys found for ``keys`` with their counts (a phrase's words share one count)."""
        out: dict[str, float] = {}
        for _src, dst in self.matches(keys):
            for k in dst:
                out[k] = out.get(k, 0.0) + 1.0 / len(dst) ** 0.5
        return out


def default_glossary(analyzer: Analyzer) -> Glossary:
    """The bundled glossary, lemmatised with ``analyzer``."""
    return Glossary.load(analyzer)
