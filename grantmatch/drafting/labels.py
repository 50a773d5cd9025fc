"""Fixed texts of the generated draft (headings, pre-fill labels, flags) in Latvian and English,
and number / date formatting. Both are kept in ``data/i18n/draft.json``
(keys ``draft.doc.*`` here, ``draft.page.*`` for the app page)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

LABELS_FILE = Path(__file__).resolve().parents[2] / "data" / "i18n" / "draft.json"
_PREFIX = "draft.doc."


@lru_cache(maxsize=1)
def _labels() -> dict[str, dict[str, str]]:
    data = json.loads(LABELS_FILE.read_text(encoding="utf-8"))
    return {k.removeprefix(_PREFIX): v for k, v in data.items() if k.startswith(_PREFIX)}


APPLICANT_NAMES: dict[str, dict[str, str]] = {
    "association": {"lv": "biedrība", "en": "association"},
    "foundation": {"lv": "nodibinājums", "en": "foundation"},
    "religious_org": {"lv": "reliģiska organizācija", "en": "religious organisation"},
    "municipality": {"lv": "pašvaldība", "en": "municipality"},
    "school": {"lv": "izglītības iestāde", "en": "school"},
    "company": {"lv": "komersants", "en": "company"},
    "individual": {"lv": "fiziska persona", "en": "individual"},
    "informal_group": {"lv": "neformāla grupa", "en": "informal group"},
    "research_org": {"lv": "pētniecības organizācija", "en": "research organisation"},
    "public_body": {"lv": "valsts iestāde", "en": "public body"},
}

_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def label(key: str, lang: str, **fmt: object) -> str:
    entry = _labels()[key]
    text = entry.get(lang) or entry["lv"]
    return text.format(**fmt) if fmt else text


def fmt_date(d: date | str | None, lang: str) -> str:
    if d is None or d == "":
        return ""
    if isinstance(d, str):
        d = date.fromisoformat(d[:10])
    if lang == "lv":
        return f"{d.day:02d}.{d.month:02d}.{d.year}."
    return f"{d.day} {_MONTHS_EN[d.month - 1]} {d.year}"


def fmt_money(x: Decimal | float | int | None, lang: str, *, symbol: bool = True) -> str:
    """30 000 € (lv) / €30,000 (en); cents shown only when there are any."""
    if x is None:
        return ""
    x = Decimal(str(x)).quantize(Decimal("0.01"))
    whole = x == x.to_integral_value()
    text = f"{x:,.0f}" if whole else f"{x:,.2f}"
    if lang == "lv":
        text = text.replace(",", "\u00a0").replace(".", ",")
        return f"{text}\u00a0€" if symbol else text
    return f"€{text}" if symbol else text


def fmt_pct(x: Decimal | float | None, lang: str) -> str:
    if x is None:
        return ""
    d = Decimal(str(x)).normalize()
    text = format(d, "f")
    return text.replace(".", ",") if lang == "lv" else text
