"""The domain glossary for query expansion: translations and related terms.

Two data files, one :class:`Glossary`:

- ``data/glossary.tsv`` (Latvian <TAB> English): translations. ``jauniešiem`` in a profile finds
  the entry ``jaunieši <TAB> youth`` and adds ``youth`` to the query (and ``youth`` adds
  ``jaunietis``).
- ``data/related.tsv`` (Latvian phrases <TAB> English phrases, `` | `` between phrases): sets of
  words that applicants and calls use for the same kind of applicant or the same step. A company
  writes "our company brings the product to market"; the call it should find says "innovation
  potential of SMEs". Every phrase of a set finds every other one, in either language, but at a
  lower weight than a translation: related words are near, not equal.

Both sides are lemmatised and folded like any text, so the entries may be written in any form.
"""

from __future__ import annotations

from pathlib import Path

from grantmatch.paths import DATA_DIR
from matcher.errors import MatcherError
from matcher.text import Analyzer

MAX_PHRASE = 4
TRANSLATION = "translation"
RELATED = "related"


class Glossary:
    """Phrase -> translated or related phrases, all as key tuples.

    Parameters
    ----------
    pairs : list of (str, str)
        (Latvian, English) translations.
    analyzer : Analyzer
    sets : list of (list of str, list of str), default=()
        Related-term sets: (Latvian phrases, English phrases).
    """

    def __init__(self, pairs: list[tuple[str, str]], analyzer: Analyzer,
                 sets: list[tuple[list[str], list[str]]] = ()) -> None:
        # source phrase -> {target phrase: TRANSLATION or RELATED}; a translation wins over a relation
        self.map: dict[tuple[str, ...], dict[tuple[str, ...], str]] = {}
        self.surface: dict[tuple[str, ...], str] = {}
        for lv, en in pairs:
            klv = tuple(analyzer.keys(lv, "lv"))
            ken = tuple(analyzer.keys(en, "en"))
            if not klv or not ken or klv == ken:
                continue
            for a, b, text_b in ((klv, ken, en), (ken, klv, lv)):
                self._add(a, b, text_b, TRANSLATION)
        for lv_phrases, en_phrases in sets:
            members = [(tuple(analyzer.keys(p, lang)), p) for lang, side in (("lv", lv_phrases), ("en", en_phrases))
                       for p in side]
            members = [(k, p) for k, p in members if k]
            for a, _ in members:
                for b, text_b in members:
                    if a != b:
                        self._add(a, b, text_b, RELATED)

    def _add(self, a: tuple[str, ...], b: tuple[str, ...], text_b: str, kind: str) -> None:
        if len(a) > MAX_PHRASE:
            return
        targets = self.map.setdefault(a, {})
        if targets.get(b) != TRANSLATION:
            targets[b] = kind
        self.surface.setdefault(b, text_b)

    def __len__(self) -> int:
        return len(self.map)

    @classmethod
    def load(cls, analyzer: Analyzer, path: Path | None = None, related_path: Path | None = None) -> Glossary:
        """The translations at ``path`` (default ``data/glossary.tsv``) and the related-term sets at
        ``related_path`` (default ``data/related.tsv``)."""
        path = Path(path or DATA_DIR / "glossary.tsv")
        pairs = [(parts[0].strip(), parts[1].strip()) for parts in _rows(path, "latvian<TAB>english")]
        rel = Path(related_path or DATA_DIR / "related.tsv")
        sets = [tuple([p.strip() for p in side.split("|") if p.strip()] for side in parts)
                for parts in _rows(rel, "latvian phrase | ...<TAB>english phrase | ...")]
        return cls(pairs, analyzer, sets)

    def spans(self, keys: list[str]) -> list[tuple[tuple[int, int], tuple[str, ...], str]]:
        """((start, end), target phrase, TRANSLATION or RELATED) for every glossary phrase in ``keys``."""
        out = []
        n = len(keys)
        for i in range(n):
            for j in range(i + 1, min(n, i + MAX_PHRASE) + 1):
                for dst, kind in self.map.get(tuple(keys[i:j]), {}).items():
                    out.append(((i, j), dst, kind))
        return out

    def expand(self, keys: list[str], related_weight: float = 0.0) -> dict[str, float]:
        """Target keys found for ``keys`` with their counts (a phrase's words share one count);
        related phrases count ``related_weight`` (0: translations only)."""
        out: dict[str, float] = {}
        for _span, dst, kind in self.spans(keys):
            w = 1.0 if kind == TRANSLATION else related_weight
            if w <= 0:
                continue
            for k in dst:
                out[k] = out.get(k, 0.0) + w / len(dst) ** 0.5
        return out


def _rows(path: Path, shape: str) -> list[list[str]]:
    """The two tab-separated columns of each line of ``path`` (blank lines and # comments skipped)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise MatcherError(f"glossary: expected a TSV file at {path}, found: {exc}") from exc
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            raise MatcherError(f"glossary: expected '{shape}' at {path}:{n}, found {line!r}")
        out.append(parts)
    return out


def default_glossary(analyzer: Analyzer) -> Glossary:
    """The bundled glossary, lemmatised with ``analyzer``."""
    return Glossary.load(analyzer)
