"""Matcher errors. Each says who, what was expected, what was found, where."""

from __future__ import annotations


class MatcherError(Exception):
    """Base class of the matcher's errors."""


class NotFittedError(MatcherError, ValueError):
    """``rank`` (or another learned method) was called before ``fit``."""
