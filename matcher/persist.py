"""Save and load a fitted Matcher, invalidated when the calls change.

The file is a pickle of ``{"format", "version", "fingerprint", "matcher"}``. ``load`` returns None
(never raises for a stale or unreadable file) so the caller refits: when the format version differs,
when the calls' fingerprint differs, or when the file is missing or damaged.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from grantmatch.models import GrantCall
from matcher.errors import MatcherError, NotFittedError

FORMAT = "grantmatch-matcher"
VERSION = 6  # 2: bigram columns, saved surface words; 3: title character grams; 4: related terms in the glossary;
# 5: feature columns, no baked-in weights; 6: the title grams' own vectorizer (not scikit-learn's)
logger = logging.getLogger(__name__)


def fingerprint(calls: Iterable[GrantCall | Mapping]) -> str:
    """A hash of every call's full content (order-independent); changes when any call changes."""
    digests = []
    for c in calls:
        rec = c.to_dict() if isinstance(c, GrantCall) else GrantCall.from_dict(dict(c)).to_dict()
        digests.append(hashlib.sha256(json.dumps(rec, sort_keys=True, ensure_ascii=False).encode()).hexdigest())
    h = hashlib.sha256(f"{FORMAT}:{VERSION}".encode())
    for d in sorted(digests):
        h.update(d.encode())
    return h.hexdigest()


def save(matcher, path: str | os.PathLike, calls_fingerprint: str | None = None) -> Path:
    """Write a fitted matcher to ``path`` atomically; returns the path."""
    if not hasattr(matcher, "matrix_"):
        raise NotFittedError("Matcher is not fitted; call fit(calls) first")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fp = calls_fingerprint or fingerprint(matcher.calls_)
    payload = {"format": FORMAT, "version": VERSION, "fingerprint": fp, "matcher": matcher}
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(payload, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def load(path: str | os.PathLike, calls_fingerprint: str):
    """The saved matcher if it was fitted on calls with ``calls_fingerprint``, else None."""
    path = Path(path)
    if not path.exists():
        return None
    try:
        with path.open("rb") as fh:
            payload = pickle.load(fh)
    except Exception as exc:  # a damaged or foreign file: refit instead
        logger.warning("matcher index unreadable", extra={"path": str(path), "error": str(exc)})
        return None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT or payload.get("version") != VERSION:
        return None
    if payload.get("fingerprint") != calls_fingerprint:
        return None
    matcher = payload.get("matcher")
    if not hasattr(matcher, "matrix_"):
        raise MatcherError(f"matcher.persist: expected a fitted matcher in {path}, found {type(matcher).__name__}")
    return matcher
