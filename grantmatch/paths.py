"""Where grantmatch keeps its files. Bottom layer: imports nothing of ours.

``DATA_DIR`` is the bundled ``data/`` folder (seeds, templates, vocabularies). ``var_dir()`` is the
folder for the local database, HTTP cache, fitted index and raw pages of the last scrape; it is
``var/`` in the project folder unless ``GRANTMATCH_VAR_DIR`` says otherwise.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data"


def var_dir() -> Path:
    """The writable state folder, created on first use."""
    path = Path(os.environ.get("GRANTMATCH_VAR_DIR") or ROOT / "var")
    path.mkdir(parents=True, exist_ok=True)
    return path
