"""Fill empty ``priority_areas`` of calls from their text (scrapers use it)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping

from grantmatch.models import GrantCall, PriorityArea
from matcher.areas import default_area_model
from matcher.eligibility import as_call  # light: no scikit-learn for the scrapers

MIN_SCORE = 0.5
"""An area is tagged when its score is at least this and at least 60% of the best area's."""


def tag_areas(calls: Iterable[GrantCall | Mapping]) -> list[GrantCall]:
    """Calls with empty ``priority_areas`` get the areas their text fits; tagged calls are kept as is."""
    model = default_area_model()
    out = []
    for c in calls:
        call = as_call(c)
        if not call.priority_areas:
            scores = model.score_call(call)
            best = max(scores.values()) if scores else 0.0
            tags = tuple(
                PriorityArea(k) for k, s in sorted(scores.items(), key=lambda kv: -kv[1])
                if s >= MIN_SCORE and s >= 0.6 * best
            )[:2]
            if tags:
                call = dataclasses.replace(call, priority_areas=tags)
        out.append(call)
    return out
