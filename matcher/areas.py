"""The five incubator priority areas as data (``data/areas.json``) and area scoring of calls.

Each area has Latvian and English descriptors. A call's area scores are the cosine between its
(lemmatised, diacritic-folded) words and each area's descriptor words, scaled so the best area is
1.0 when the call clearly fits it; areas the source already tagged score 1.0.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from functools import lru_cache
from pathlib import Path

from grantmatch.models import PRIORITY_AREA_KEYS, GrantCall
from grantmatch.paths import DATA_DIR
from matcher.errors import MatcherError
from matcher.glossary import Glossary
from matcher.text import Analyzer

# Used only while data/areas.json is missing (another part of the project ships it).
_FALLBACK = {
    "culture": "kultūra kultūras mantojums māksla mūzika teātris festivāls izstāde muzejs bibliotēka "
    "literatūra kino radošās industrijas amatniecība folklora culture cultural heritage arts music "
    "theatre festival exhibition museum library literature film creative industries crafts",
    "it_digital_business": "digitālās prasmes digitalizācija tehnoloģijas IT programmēšana uzņēmējdarbība "
    "jaunuzņēmumi inovācijas inkubators sociālā uzņēmējdarbība digital skills digitalisation technology "
    "software programming entrepreneurship startups innovation business incubator SME",
    "environment_community": "vide daba klimats ilgtspēja atkritumi aprites ekonomika bioloģiskā "
    "daudzveidība kopiena pilsoniskā sabiedrība līdzdalība brīvprātīgie pilsētvide environment nature "
    "climate sustainability waste circular economy biodiversity community civil society participation "
    "volunteering urban",
    "children_youth": "bērni jaunieši jaunatne skolēni neformālā izglītība jaunatnes darbs karjera "
    "nometnes children youth young people pupils non-formal education youth work career camps",
    "social_health": "sociālā iekļaušana veselība garīgā veselība invaliditāte seniori ģimenes nabadzība "
    "aprūpe sociālie pakalpojumi atkarības profilakse social inclusion health mental health disability "
    "seniors elderly families poverty care social services addiction prevention",
}


def load_area_texts(path: Path | None = None) -> dict[str, str]:
    """Area key -> all its descriptor text (Latvian and English), from ``data/areas.json``."""
    path = path or DATA_DIR / "areas.json"
    if not Path(path).exists():
        return dict(_FALLBACK)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise MatcherError(f"areas: expected a JSON list of areas at {path}, found: {exc}") from exc
    out: dict[str, str] = {}
    for rec in data:
        key = rec.get("key")
        if key not in PRIORITY_AREA_KEYS:
            raise MatcherError(f"areas: expected key in {PRIORITY_AREA_KEYS} in {path}, found {key!r}")
        parts = [rec.get("name_lv", ""), rec.get("name_en", ""), rec.get("description_lv", ""),
                 rec.get("description_en", ""), *rec.get("descriptors_lv", []), *rec.get("descriptors_en", [])]
        # descriptors count twice: they are the area's chosen words
        parts += [*rec.get("descriptors_lv", []), *rec.get("descriptors_en", [])]
        out[key] = "\n".join(p for p in parts if p)
    for key in PRIORITY_AREA_KEYS:
        out.setdefault(key, _FALLBACK[key])
    return out


class AreaModel:
    """Scores texts against the five areas."""

    def __init__(self, analyzer: Analyzer, glossary: Glossary | None = None, path: Path | None = None) -> None:
        self.analyzer = analyzer
        texts = load_area_texts(path)
        self.keys = list(PRIORITY_AREA_KEYS)
        counts = []
        for k in self.keys:
            ks = analyzer.keys(texts[k])
            c = Counter(ks)
            if glossary is not None:
                for term, w in glossary.expand(ks).items():
                    c[term] += w
            counts.append(c)
        df = Counter(t for c in counts for t in c)
        n = len(counts)
        self.vectors: list[dict[str, float]] = []
        for c in counts:
            vec = {t: (1 + math.log(v)) * (1 + math.log(n / df[t])) for t, v in c.items() if v > 0}
            norm = math.sqrt(sum(x * x for x in vec.values())) or 1.0
            self.vectors.append({t: x / norm for t, x in vec.items()})
        self.term_index: dict[str, list[tuple[int, float]]] = {}
        for i, vec in enumerate(self.vectors):
            for t, x in vec.items():
                self.term_index.setdefault(t, []).append((i, x))

    def score_keys(self, keys: list[str]) -> list[float]:
        """Cosine of a key list against each area, in PRIORITY_AREA_KEYS order."""
        c = Counter(keys)
        if not c:
            return [0.0] * len(self.keys)
        norm = math.sqrt(sum((1 + math.log(v)) ** 2 for v in c.values())) or 1.0
        out = [0.0] * len(self.keys)
        for t, v in c.items():
            for i, x in self.term_index.get(t, ()):
                out[i] += (1 + math.log(v)) * x
        return [o / norm for o in out]

    def score_call(self, call: GrantCall) -> dict[str, float]:
        """Area scores of one call in [0, 1]; areas the call is tagged with score 1.0."""
        text = f"{call.title}\n{call.title}\n{call.programme or ''}\n{call.summary}"
        raw = self.score_keys(self.analyzer.keys(text, call.language))
        scaled = [min(1.0, r / 0.25) for r in raw]  # a cosine of 0.25 against descriptors is a clear fit
        out = dict(zip(self.keys, scaled, strict=True))
        for a in call.priority_areas:
            out[a.value] = 1.0
        return out


@lru_cache(maxsize=2)
def default_area_model() -> AreaModel:
    from matcher.glossary import default_glossary

    analyzer = Analyzer()
    return AreaModel(analyzer, default_glossary(analyzer))
