"""The Makefile: every target it names is one make can run."""

from __future__ import annotations

import re
from pathlib import Path

MAKEFILE = Path(__file__).resolve().parents[1] / "Makefile"


def test_every_phony_target_has_a_rule():
    """``clean-var`` was declared .PHONY with no rule: ``make clean-var`` said "Nothing to be done"."""
    text = MAKEFILE.read_text(encoding="utf-8")
    phony = re.search(r"^\.PHONY:(.*)$", text, re.MULTILINE).group(1).split()
    rules = set(re.findall(r"^([\w.-]+):(?!=)", text, re.MULTILINE))
    assert phony and "run" in phony
    assert [t for t in phony if t not in rules] == []
