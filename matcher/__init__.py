"""grantmatch's matcher: eligibility first, then Latvian-aware relevance with explanations.

>>> from matcher import Matcher
>>> m = Matcher().fit(calls)
>>> matches = m.rank(profile, top=10, today=date(2027, 1, 10))
"""

from __future__ import annotations

from matcher.errors import MatcherError, NotFittedError
from matcher.tagging import tag_areas
from matcher.tfidf import Matcher

__all__ = ["Matcher", "MatcherError", "NotFittedError", "tag_areas"]
