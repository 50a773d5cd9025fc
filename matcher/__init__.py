"""grantmatch's matcher: eligibility first, then Latvian-aware relevance with explanations.

>>> from matcher import Matcher
>>> m = Matcher().fit(calls)
>>> matches = m.rank(profile, top=10, today=date(2027, 1, 10))

The heavy parts (scikit-learn, pandas) load on first use of ``Matcher`` or ``tag_areas``, so
``matcher.eligibility`` stays light for the drafting code and the scrapers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from matcher.errors import MatcherError, NotFittedError

if TYPE_CHECKING:
    from matcher.tagging import tag_areas
    from matcher.tfidf import Matcher

__all__ = ["Matcher", "MatcherError", "NotFittedError", "tag_areas"]


def __getattr__(name: str) -> Any:
    if name == "Matcher":
        from matcher.tfidf import Matcher

        return Matcher
    if name == "tag_areas":
        from matcher.tagging import tag_areas

        return tag_areas
    raise AttributeError(f"module 'matcher' has no attribute {name!r}")
