"""Fixed texts of the generated draft (headings, pre-fill labels, flags) in Latvian and English,
and number / date formatting, through the app's one translation table ``grantmatch.i18n``
(``data/i18n/draft.json``: keys ``draft.doc.*`` here, ``draft.page.*`` for the app page)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from grantmatch import i18n

_PREFIX = "draft.doc."


def label(key: str, lang: str, **fmt: object) -> str:
    """A fixed text of the draft document (key ``draft.doc.<key>`` of the one translation table)."""
    return i18n.t(_PREFIX + key, lang, **fmt)


def fmt_date(d: date | str | None, lang: str) -> str:
    return i18n.fmt_date(d, lang, empty="")


_ISO_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")


def dates_in_text(text: str, lang: str) -> str:
    """ISO dates inside a text written as the rest of the draft writes dates (2027-03-20 ->
    20.03.2027. / 20 March 2027): the eligibility facts come from the matcher with ISO dates."""

    def one(m: re.Match) -> str:
        try:
            return fmt_date(m.group(1), lang)
        except ValueError:  # not a real date (2027-13-40): keep it as written
            return m.group(1)

    return _ISO_DATE.sub(one, text or "")


def fmt_money(x: Decimal | float | int | None, lang: str, *, symbol: bool = True) -> str:
    """30 000 € (lv) / €30,000 (en); cents shown only when there are any."""
    return i18n.fmt_eur(x, lang, symbol=symbol, empty="")


def fmt_pct(x: Decimal | float | None, lang: str) -> str:
    if x is None:
        return ""
    d = Decimal(str(x)).normalize()
    text = format(d, "f")
    return text.replace(".", ",") if lang == "lv" else text
