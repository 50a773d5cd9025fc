"""Normalisers for Latvian (and English) grant announcements. Pure functions, no network, no clock.

Dates ("22.02.2027.", "2027. gada 22. februārim", "š.g. 19. februārim"), money ("30 000 eiro",
"EUR 116 750", "1,2 milj. eiro", "500 Ls"), co-financing, eligible applicants, geography, language,
and plain text from HTML. A phrase that cannot be read gives ``None`` (or an empty tuple), never a
guess from the clock: a missing year is taken from ``reference`` (the page's own date) or not at all.
"""

from __future__ import annotations

import html as html_lib
import re
from datetime import date

from bs4 import BeautifulSoup

from grantmatch.models import ApplicantType
from grantmatch.text import fold

LVL_PER_EUR = 0.702804
"""The fixed euro changeover rate of the Latvian lats (2014)."""

EUR_PER_UNIT: dict[str, float] = {
    "USD": 0.86,
    "DKK": 0.134,
    "CHF": 1.07,
    "SEK": 0.091,
    "NOK": 0.085,
}
"""Fixed, indicative conversion rates (EUR for one unit), about the ECB reference rates of late 2025
(EUR/USD 1.16, EUR/DKK 7.46 (ERM II peg), EUR/CHF 0.935, EUR/SEK 11.0, EUR/NOK 11.75). Foreign
amounts in a call are indicative anyway; scrapers keep the original wording in the summary. Update
them here (one place) when a rate drifts by more than a few per cent."""

# --------------------------------------------------------------------------- text


_BLOCK_TAGS = [
    *("p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section"),
    *("article", "header", "footer", "blockquote", "dd", "dt", "pre", "hr", "td", "th"),
]
_BREAK = "\ue000"  # a private-use character marks block boundaries while whitespace is folded
_TAG_RE = re.compile(r"<[a-zA-Z!/][^>]*>")


def clean_text(html_or_text: str) -> str:
    """Plain text from HTML or text: tags and scripts dropped, entities decoded, whitespace folded.

    Block elements become line breaks; runs of spaces become one space; blank lines are dropped.
    """
    if not html_or_text:
        return ""
    text = html_or_text
    if _TAG_RE.search(text):
        soup = BeautifulSoup(text, "html.parser")
        for bad in soup(["script", "style", "noscript", "template", "svg", "iframe"]):
            bad.decompose()
        for tag in soup.find_all(_BLOCK_TAGS):
            tag.insert_before(_BREAK)
            tag.insert_after(_BREAK)
        # in HTML a line break in the source is just a space; only block elements break lines
        text = re.sub(r"\s+", " ", soup.get_text()).replace(_BREAK, "\n")
    else:
        text = html_lib.unescape(text)
    text = text.replace("\u00ad", "").replace("\u200b", "")
    lines = []
    for line in text.splitlines():
        line = re.sub(r"\s+", " ", line).strip()
        if line:
            lines.append(line)
    return "\n".join(lines)


def slugify(text: str, *, max_length: int = 80) -> str:
    """Lower-case ASCII slug; long slugs are cut and end in a short stable hash."""
    import hashlib

    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    if len(slug) > max_length:
        digest = hashlib.sha1(slug.encode()).hexdigest()[:8]
        slug = slug[: max_length - 9].rstrip("-") + "-" + digest
    return slug


def _sentences(text: str) -> list[str]:
    """Rough sentence / clause split on line breaks, '.', ';', '!' and '?' followed by space+capital."""
    parts = re.split(r"\n+|(?<=[;!?])\s+|(?<=[a-zāčēģīķļņšūž\)])\.\s+(?=[A-ZĀČĒĢĪĶĻŅŠŪŽ\d])", text)
    return [p.strip() for p in parts if p and p.strip()]


# --------------------------------------------------------------------------- dates

_LV_MONTHS = {
    "janv": 1,
    "febr": 2,
    "mart": 3,
    "apr": 4,
    "maij": 5,
    "jūn": 6,
    "jun": 6,
    "jūl": 7,
    "jul": 7,
    "aug": 8,
    "sept": 9,
    "okt": 10,
    "nov": 11,
    "dec": 12,
}
_EN_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}

_LV_MONTH_RE = (
    r"(?P<mon>janvār\w*|februār\w*|mart[sāaimu]\w*|aprīl\w*|april\w*|maij\w*|jūnij\w*|junij\w*|"
    r"jūlij\w*|julij\w*|august\w*|septembr\w*|oktobr\w*|novembr\w*|decembr\w*)"
)
_EN_MONTH_RE = r"(?P<emon>January|February|March|April|May|June|July|August|September|October|November|December)"

_DATE_PATTERNS: list[re.Pattern[str]] = [
    # 2027-02-22
    re.compile(r"(?<!\d)(?P<y>20\d\d|19\d\d)-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)"),
    # 22.02.2027. / 22.02.2027 / 22/02/2027 / 22.02.27.
    re.compile(r"(?<![\d.])(?P<d>\d{1,2})\s?[./]\s?(?P<m>\d{1,2})\s?[./]\s?(?P<y>\d{4}|\d{2})(?![\d])\.?"),
    # 2027. gada 22. februārim / 2027. g. 22. februārī
    re.compile(
        r"(?<!\d)(?P<y>\d{4})\.?\s*(?:gada|g\.)\s*(?P<d>\d{1,2})\.\s*" + _LV_MONTH_RE,
        re.IGNORECASE,
    ),
    # 22. februāris 2027 / 22. februārī, 2027. gadā / š.g. 22. februārim / 22. februārim
    re.compile(
        r"(?<![\d.])(?P<d>\d{1,2})\.\s*" + _LV_MONTH_RE + r"(?:,?\s*(?P<y>\d{4})\.?(?:\s*(?:gad\w*|g\.))?)?",
        re.IGNORECASE,
    ),
    # 22 February 2027 / 22nd February 2027
    re.compile(r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+" + _EN_MONTH_RE + r"(?:,?\s+(?P<y>\d{4}))?", re.I),
    # February 22, 2027
    re.compile(_EN_MONTH_RE + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{4}))?(?!\d)", re.I),
]


def _month_number(match: re.Match[str]) -> int | None:
    groups = match.groupdict()
    if groups.get("m"):
        return int(groups["m"])
    if groups.get("mon"):
        word = groups["mon"].lower()
        for stem, num in _LV_MONTHS.items():
            if word.startswith(stem):
                return num
    if groups.get("emon"):
        return _EN_MONTHS[groups["emon"].lower()]
    return None


def find_dates(text: str, *, reference: date | None = None) -> list[tuple[int, int, date]]:
    """Every date in ``text`` as ``(start, end, date)``, in text order, overlapping matches removed."""
    found: list[tuple[int, int, date]] = []
    taken: list[tuple[int, int]] = []
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.span()
            if any(start < e and s < end for s, e in taken):
                continue
            month = _month_number(m)
            day = int(m.group("d"))
            year_text = m.groupdict().get("y")
            if year_text:
                year = int(year_text)
                if year < 100:
                    year += 2000
            elif reference is not None:
                year = reference.year
            else:
                continue
            try:
                value = date(year, month or 0, day)
            except (ValueError, TypeError):
                continue
            if not 1990 <= value.year <= 2100:
                continue
            found.append((start, end, value))
            taken.append((start, end))
    found.sort()
    return found


def parse_date(text: str, *, reference: date | None = None) -> date | None:
    """The first date in ``text``; a date without a year takes the year of ``reference``.

    >>> parse_date("līdz 2027. gada 22. februārim")
    datetime.date(2027, 2, 22)
    """
    if not text:
        return None
    dates = find_dates(text, reference=reference)
    return dates[0][2] if dates else None


_DEADLINE_STRONG = re.compile(
    r"termiņ\w*|deadline|closing date|iesniegšanas beig\w*|pieņem\w* līdz|jāiesniedz|iesniedzami|"
    r"iesniegt\w*|iesniedz\w*|pieteikties|pieteikšan\w*|submission|closes|apply by",
    re.IGNORECASE,
)
_DEADLINE_WEAK = re.compile(r"(?<!\w)(?:līdz|until|by)(?!\w)", re.IGNORECASE)
_NOT_DEADLINE = re.compile(
    r"īstenošan\w*|īsteno\w*|implementation|realizē\w*|rezultāt\w*|lēmum\w*|seminār\w*|informatīv\w*|"
    r"publicē\w*|published|izvērtē\w*|evaluation|līgum\w*|notiks|norisināsies|atskait\w*|"
    r"ilgums|duration|konsultācij\w*|ziņojum\w*|tika izsludināts|izsludināts",
    re.IGNORECASE,
)
_TIME_AFTER = re.compile(
    r"^\s*,?\s*(?:(?:plkst\.?|pulksten|at|until|līdz)\s*)?\d{1,2}[:.]\d{2}(?:\s*(?:CET|CEST|Brussels time|"
    r"\(Briseles laiks\)|\(Brussels time\)))?",
    re.IGNORECASE,
)


def find_deadline(text: str, *, reference: date | None = None) -> tuple[date | None, str]:
    """The application deadline and the phrase as published.

    A date counts when a deadline word ("termiņš", "līdz", "iesniegt", "deadline" …) comes before it
    in the same sentence and no implementation/results word ("īstenošanas", "rezultāti" …) comes
    between. A strong word ("termiņš", "deadline") beats a bare "līdz". Returns ``(None, "")`` when
    there is none.

    >>> find_deadline("Pieteikumus iesniedz līdz 2027. gada 22. februārim plkst. 17.00.")
    (datetime.date(2027, 2, 22), 'līdz 2027. gada 22. februārim plkst. 17.00')
    """
    if not text:
        return None, ""
    best: tuple[int, int, date, str] | None = None  # (rank, position, date, phrase)
    for sentence_start, sentence in _sentence_spans(text):
        for start, end, value in find_dates(sentence, reference=reference):
            window_start = max(0, start - 160)
            window = sentence[window_start:start]
            strong = list(_DEADLINE_STRONG.finditer(window))
            weak = list(_DEADLINE_WEAK.finditer(window))
            negative = list(_NOT_DEADLINE.finditer(window))
            last_kw = max([m.start() for m in strong + weak], default=-1)
            if last_kw < 0:
                continue
            if _APPLICATION.search(window):
                # "pieņemšana notiks no … līdz …": an application window, not an event
                negative = [n for n in negative if not re.fullmatch(r"notiks|norisināsies", n.group(0), re.I)]
            if any(n.end() > last_kw - 25 for n in negative):
                continue  # "projekta īstenošanas termiņš ... līdz" / "rezultāti tiks publicēti līdz"
            # a "no <date>" right before means this is the start of a window, not its end
            if re.search(r"(?:^|\s)(?:no|from|sākot ar)\s*$", window[-12:], re.IGNORECASE):
                continue
            near_strong = [m for m in strong if m.start() >= last_kw - 120]
            weak_near = [m for m in weak if m.start() > len(window) - 25]
            if near_strong:
                rank = 0
                phrase_start = weak_near[-1].start() if weak_near else near_strong[-1].start()
            elif weak:
                rank = 1
                phrase_start = weak[-1].start()
            else:
                continue
            tail = _TIME_AFTER.match(sentence[end:])
            phrase_end = end + (tail.end() if tail else 0)
            phrase = sentence[window_start + phrase_start : phrase_end].strip(" ,;:–-")
            candidate = (rank, sentence_start + start, value, phrase)
            if best is None or candidate[:2] < best[:2]:
                best = candidate
    if best is None:
        return None, ""
    return best[2], best[3]


def _sentence_spans(text: str) -> list[tuple[int, str]]:
    spans = []
    pos = 0
    for part in re.split(r"(\n+|(?<=[;!?])\s+|(?<=[a-zāčēģīķļņšūž\)])\.\s+(?=[A-ZĀČĒĢĪĶĻŅŠŪŽ]))", text):
        if part and not re.fullmatch(r"\s*[\n;!?.]?\s*", part):
            spans.append((pos, part))
        pos += len(part)
    return spans


_OPEN_KW = re.compile(
    r"(?:(?<!\w)no|sākot ar|from|opens?(?: on)?|opening date|pieņemšana sāksies|pieņem(?:šana)? sākot ar|"
    r"sāk pieņemt|izsludināts|start date|atvērts no)\s*$",
    re.IGNORECASE,
)


_IMPLEMENTATION = re.compile(
    r"jānotiek|jānorisinās|jāīsteno|īstenošan\w*|īsteno\w*|norisin\w*|notiks|notiek|implementation|"
    r"activities (?:must|should) take place|projekta (?:ilgums|periods)|realizē\w*",
    re.IGNORECASE,
)
_APPLICATION = re.compile(
    r"pieteik\w*|pieteikš\w*|iesnieg\w*|iesniedz\w*|pieņemšan\w*|pieņem\w*|applications?|submission|"
    r"call opens|opens",
    re.IGNORECASE,
)


def find_open_date(text: str, *, reference: date | None = None) -> date | None:
    """The date applications open: "no 12. janvāra līdz …", "12.01.2027.–02.02.2027.", "opens on …"."""
    if not text:
        return None
    for _, sentence in _sentence_spans(text):
        dates = find_dates(sentence, reference=reference)
        for i, (start, end, value) in enumerate(dates):
            before = sentence[max(0, start - 40) : start]
            if _IMPLEMENTATION.search(sentence[:start]) and not _APPLICATION.search(sentence[:start]):
                continue  # "Iniciatīvām jānotiek no 1. februāra līdz 31. maijam" is when the work happens
            if _OPEN_KW.search(before):
                return value
            if i + 1 < len(dates) and not (
                _IMPLEMENTATION.search(sentence[:start]) and not _APPLICATION.search(sentence[:start])
            ):
                between = sentence[end : dates[i + 1][0]]
                if re.fullmatch(r"\s*(?:[-–—]|līdz|to|until)\s*", between, re.IGNORECASE):
                    return value
    return None


# --------------------------------------------------------------------------- money

_NUM = r"(?<![\d.,])(?:\d{1,3}(?:[ \u00a0\u202f\u2009.,’']\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?)(?![\d])"
_MULT = r"(?:\s*(?P<mult>milj\w*\.?|mlj\.?|mln\.?|million\w*|tūkst\w*\.?|thousand|k(?!\w)))?"
_EUR = r"(?:eiro|euro|eur|€)"
_LVL = r"(?:latu|lati|lats|ls|lvl)"
_FX = r"(?:usd|us\$|dkk|chf|sek|nok|(?:us |asv )?dollars?|(?:asv )?dolār\w*|\$)"
_FX_PREFIX = r"(?:(?<!\w)(?:usd|us\$|dkk|chf|sek|nok)(?!\w)|\$)"
_CUR = rf"(?P<cur>{_EUR}|{_LVL}|{_FX})(?!\w)"
_MONEY_RE = re.compile(
    rf"(?:(?P<pcur>{_EUR}|{_LVL}|{_FX_PREFIX})\s*(?P<pnum>{_NUM}){_MULT.replace('mult', 'pmult')})"
    rf"|(?:(?P<num>{_NUM}){_MULT}\s*{_CUR})",
    re.IGNORECASE,
)


def _to_number(raw: str) -> float | None:
    raw = raw.strip().replace("\u00a0", " ").replace("\u202f", " ").replace("\u2009", " ")
    raw = raw.replace("’", " ").replace("'", " ")
    if " " in raw:
        raw = raw.replace(" ", "")
    # separators: a '.' or ',' followed by exactly three digits is a thousands separator
    groups = re.split(r"([.,])", raw)
    if len(groups) == 1:
        return float(raw)
    digits = groups[0::2]
    seps = groups[1::2]
    if all(len(d) == 3 for d in digits[1:]):
        if len(set(seps)) == 1 and len(digits) > 2:
            return float("".join(digits))
        if len(seps) == 1:
            return float("".join(digits))
    # last separator is a decimal point, the others thousands
    whole = "".join(digits[:-1])
    try:
        return float(f"{whole}.{digits[-1]}")
    except ValueError:
        return None


def _money_value(m: re.Match[str]) -> float | None:
    num = m.group("num") or m.group("pnum")
    cur = (m.group("cur") or m.group("pcur") or "").lower()
    mult = (m.group("mult") or m.group("pmult") or "").lower()
    value = _to_number(num)
    if value is None:
        return None
    if mult.startswith(("milj", "mlj", "mln", "million")):
        value *= 1_000_000
    elif mult.startswith(("tūkst", "thousand", "k")):
        value *= 1_000
    if re.fullmatch(_LVL, cur):
        value = value / LVL_PER_EUR
    elif re.fullmatch(_FX, cur, re.IGNORECASE):
        value = value * EUR_PER_UNIT[_fx_code(cur)]
    return round(value, 2)


def _fx_code(cur: str) -> str:
    cur = cur.upper()
    if "$" in cur or "DOL" in cur:
        return "USD"
    return cur


def find_money(text: str) -> list[tuple[int, int, float]]:
    """Every amount of money in ``text`` (EUR; lati and :data:`EUR_PER_UNIT` currencies converted)
    as ``(start, end, eur)``."""
    out = []
    for m in _MONEY_RE.finditer(text or ""):
        value = _money_value(m)
        if value is not None:
            out.append((m.start(), m.end(), value))
    return out


def parse_money(text: str) -> float | None:
    """The first amount in euro: "30 000 eiro", "EUR 116 750", "1,2 milj. eiro", "500 Ls" (lati -> EUR).

    USD ("$26,000", "USD 5 000"), DKK, CHF, SEK and NOK are converted with :data:`EUR_PER_UNIT`. A bare
    number (no currency) is read only when it is the whole text; other currencies give None.
    """
    if not text:
        return None
    found = find_money(text)
    if found:
        return found[0][2]
    bare = re.fullmatch(rf"\s*({_NUM})\s*", text)
    return _to_number(bare.group(1)) if bare else None


_TOTAL_KW = re.compile(
    r"kopēj\w*|pieejam\w* finansējum\w*|konkursa finansējum\w*|programmas finansējum\w*|"
    r"konkursa budžet\w*|kopsumm\w*|paredzēt\w* finansējum\w*|piešķirt\w* finansējum\w*|"
    r"finansējuma apjoms konkursam|total\w*|overall budget|budget of the call|call budget|"
    r"fonda apjom\w*|finansējums .{0,20}konkurs\w*|izsludina\w*",
    re.IGNORECASE,
)
_PER_PROJECT_KW = re.compile(
    r"vienam projektam|viena projekta|vienā projektā|katram projektam|projektam|per project|per grant|"
    r"each project|per application|vienam pieteikumam|viena pieteikuma|vienai iniciatīvai|"
    r"vienas iniciatīvas|iniciatīvai|max\w*|minim\w*|grant size|individual grants?|apmērs|"
    r"(?<!\w)vien(?:am|ai|a|as)\s+\w+|(?<!\w)katr(?:am|ai|a|as)\s+\w+",
    re.IGNORECASE,
)


def parse_amounts(text: str) -> tuple[float | None, float | None]:
    """Per-project ``(min, max)`` in EUR: "no 500 līdz 5000 eiro", "līdz 4000 eiro vienam projektam".

    Sentences about the whole pot ("kopējais finansējums …") are skipped unless they also speak of
    one project.
    """
    if not text:
        return None, None
    lo: float | None = None
    hi: float | None = None
    for sentence in _sentences(text):
        money = find_money(sentence)
        if not money:
            continue
        per_project = _PER_PROJECT_KW.search(sentence)
        total = _TOTAL_KW.search(sentence)
        if total and not per_project:
            continue
        # a range: "no 500 līdz 5000 eiro", "500–5000 eiro", "from EUR 5 000 to EUR 35 000"
        rng = re.search(
            rf"(?:no|from|between)?\s*(?:{_EUR}\s*)?(?P<a>{_NUM})(?:\s*{_EUR})?\s*(?:[-–—]|līdz|to|and|un)\s*"
            rf"(?:{_EUR}\s*)?(?P<b>{_NUM}){_MULT}\s*(?:{_EUR})?",
            sentence,
            re.IGNORECASE,
        )
        if rng and (re.search(_EUR, rng.group(0), re.IGNORECASE)):
            a = _to_number(rng.group("a"))
            b = _to_number(rng.group("b"))
            if a is not None and b is not None and 0 < a < b:
                if rng.group("mult"):
                    scale = 1_000_000 if rng.group("mult").lower().startswith(("milj", "mln", "mil")) else 1000
                    a, b = a * scale, b * scale
                if total and per_project and per_project.start() > total.start() and lo is None:
                    pass
                lo = lo if lo is not None else a
                hi = hi if hi is not None else b
                continue
        for start, _end, value in money:
            before = sentence[max(0, start - 60) : start].lower()
            if total and total.start() < start and not (per_project and per_project.start() < start):
                continue
            if re.search(r"(?:ne mazāk kā|vismaz|minimāl\w*|min\.|at least|minimum|sākot no)\W*(?:\w+\W+){0,4}$",
                         before):
                lo = lo if lo is not None else value
            elif re.search(
                r"(?:līdz|ne vairāk kā|nepārsniedz\w*|maksimāl\w*|max\.|up to|maximum|"
                r"nepārsniegt|ne lielāk\w* kā|apmērā|apmērs|ir|:)\W*(?:\w+\W+){0,4}$",
                before,
            ):
                hi = hi if hi is not None else value
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    return lo, hi


def find_total_budget(text: str) -> float | None:
    """The whole pot of the call: "kopējais finansējums 130 000 eiro", "total budget EUR 2 000 000"."""
    if not text:
        return None
    for sentence in _sentences(text):
        total = _TOTAL_KW.search(sentence)
        if not total:
            continue
        unit = re.search(r"(?<!\w)(?:vien|katr)(?:am|ai|a|as)\s+\w+|per (?:project|grant|application)", sentence, re.I)
        if unit and unit.start() < total.start() and not re.search(r"kopēj\w*|total|kopsumm\w*", sentence, re.I):
            continue  # "Vienai rezidencei pieejams finansējums līdz 6000 eiro" is a cap per unit
        for start, _end, value in find_money(sentence):
            if start < total.start():
                continue
            between = sentence[total.end() : start]
            if _PER_PROJECT_KW.search(between) and re.search(r"vienam|viena|katram|per |each", between, re.I):
                continue
            return value
    return None


# --------------------------------------------------------------------------- co-financing

_PCT = r"(?P<pct>\d{1,3}(?:[.,]\d+)?)\s*(?:%|procent\w*|percent)"


def find_cofinancing_pct(text: str) -> float | None:
    """Minimum own contribution of the applicant, in percent.

    "līdzfinansējums ne mazāk kā 10%" -> 10; "ne vairāk kā 70% no kopējām izmaksām" (a cap on the
    grant) -> 30; "līdzfinansējums nav nepieciešams" -> 0.
    """
    if not text:
        return None
    low = text.lower()
    if re.search(
        r"(?:bez|nav nepieciešams|netiek prasīts|nav jānodrošina|nav obligāts)\W*(?:\w+\W+){0,2}"
        r"(?:līdz|paš)?finansējum|līdzfinansējums (?:nav nepieciešams|netiek prasīts|nav obligāts)|"
        r"līdzfinansējum\w*[^.;]{0,40}(?:netiek prasīts|nav nepieciešams|nav obligāts|nav jānodrošina)|"
        r"no co-?financing|co-?financing is not required|(?:finansē|sedz)\w* 100\s*%|100\s*% (?:finansējum|of)",
        low,
    ):
        return 0.0
    for sentence in _sentences(low):
        for m in re.finditer(_PCT, sentence):
            pct = float(m.group("pct").replace(",", "."))
            if not 0 <= pct <= 100:
                continue
            before = sentence[max(0, m.start() - 90) : m.start()]
            after = sentence[m.end() : m.end() + 90]
            own = re.search(
                r"pašu|savu|savs|sava|pretendent\w*|iesniedzēj\w*|own contribution|applicant|"
                r"ne mazāk kā|vismaz|at least|minimum|minimāl\w*",
                before,
            )
            cap = re.search(
                r"ne vairāk kā|nepārsniedz\w*|līdz|up to|at most|maximum|max\.|maksimāl\w*|nepārsniegt|"
                r"sedz|finansē|piešķir|atbalsta intensitāte|grant covers|cover",
                before,
            )
            of_costs = re.match(
                r"\W*(?:no\s+)?(?:\w+\s+){0,3}(?:izmaks|budžet|budget|cost|eligible|attiecinām|summ)", after
            ) or re.search(r"of (?:the )?(?:total|eligible)", after[:40])
            cofin_word = "līdzfinans" in before or "co-financ" in before or "cofinanc" in before
            cofin_word = cofin_word or "līdzfinans" in after[:40] or "co-financ" in after[:40]
            if cofin_word and own and not cap:
                return pct
            if cofin_word and re.search(r"pašu|savu|own|pretendent|iesniedzēj|applicant", before + after[:40]):
                return pct
            if cap and of_costs and not re.search(r"pašu|savu|own", before):
                return round(100 - pct, 2)
            if cofin_word and re.search(r"ne mazāk kā|vismaz|at least|minimum", before):
                return pct
    return None


# --------------------------------------------------------------------------- applicants

_APPLICANT_WORDS: list[tuple[str, tuple[ApplicantType, ...]]] = [
    (r"biedrīb\w*|associations?\b", (ApplicantType.ASSOCIATION,)),
    (r"nodibinājum\w*|(?<!the )foundations\b|\bfoundation(?:s)? (?:and|or)\b", (ApplicantType.FOUNDATION,)),
    (
        r"nevalstisk\w* organizācij\w*|\bnvo\b|\bngos?\b|non-governmental|non-profit|nonprofit|not-for-profit|"
        r"civil society organi[sz]ations?|sabiedriskā labuma organizācij\w*|\bcsos?\b",
        (ApplicantType.ASSOCIATION, ApplicantType.FOUNDATION),
    ),
    (
        r"reliģisk\w* organizācij\w*|draudz\w*|religious (?:organi[sz]ations?|communities)",
        (ApplicantType.RELIGIOUS_ORG,),
    ),
    (
        r"pašvaldīb\w* (?:un (?:to|viņu) )?iestād\w*|pašvaldības(?=\s*(?:[,.;)]|un\b|vai\b|$))|"
        r"local authorities|municipalities|"
        r"local and regional authorities|plānošanas reģion\w*",
        (ApplicantType.MUNICIPALITY,),
    ),
    (r"skol\w*|izglītības iestād\w*|schools?\b|educational institutions?", (ApplicantType.SCHOOL,)),
    (
        r"komersant\w*|uzņēmum\w*|\bsia\b|\bmvk\b|saimnieciskās darbības veicēj\w*|pašnodarbināt\w*|"
        r"companies|enterprises|\bsmes?\b|(?<!not-)for-profit|businesses|start-?ups?",
        (ApplicantType.COMPANY,),
    ),
    (
        r"fizisk\w* person\w*|individuāl\w* pretendent\w*|individuals|natural persons|jaunieši vecumā|"
        r"mākslinieki|radošie darbinieki|artists",
        (ApplicantType.INDIVIDUAL,),
    ),
    (
        r"neformāl\w*|iniciatīvas grup\w*|iedzīvotāju grup\w*|jauniešu grup\w*|informal groups?|"
        r"groups of young people",
        (ApplicantType.INFORMAL_GROUP,),
    ),
    (
        r"zinātnisk\w* institūcij\w*|pētniecības organizācij\w*|augstskol\w*|universitāt\w*|universities|"
        r"research organi[sz]ations?|higher education",
        (ApplicantType.RESEARCH_ORG,),
    ),
    (
        r"valsts iestād\w*|valsts pārvaldes iestād\w*|public bod(?:y|ies)|public authorit\w*|"
        r"public institutions?|state institutions?",
        (ApplicantType.PUBLIC_BODY,),
    ),
]
_APPLICANT_CONTEXT = re.compile(
    r"pretendent\w*|iesniedzēj\w*|var iesniegt|var pieteikties|var piedalīties|var pretendēt|tiesīg\w*|"
    r"atbalsta saņēmēj\w*|finansējuma saņēmēj\w*|dalībniek\w*|aicin\w*|piedalīties|pieteikties|"
    r"eligib\w*|who can apply|applicants?|may apply|can apply|open to|beneficiar\w*",
    re.IGNORECASE,
)
_NEGATION = re.compile(
    r"nevar|netiek|nav tiesīg\w*|izņemot|neatbalsta|nedrīkst|not eligible|cannot|can not|excluded|"
    r"are not|may not|ineligible",
    re.IGNORECASE,
)


def find_applicants(text: str) -> tuple[ApplicantType, ...]:
    """Who may apply: "biedrības un nodibinājumi" -> (association, foundation).

    When the text has sentences about applicants ("var pieteikties", "pretendenti", "eligible"),
    only those are read; types named in a negative sentence ("komersanti nevar pieteikties") are
    left out.
    """
    if not text:
        return ()
    sentences = _sentences(text)
    context: list[str] = []
    for i, sentence in enumerate(sentences):
        if not _APPLICANT_CONTEXT.search(sentence):
            continue
        context.append(sentence)
        context += _lines_under_heading(sentences, i)
    scope = context or sentences
    positive: list[ApplicantType] = []
    negative: set[ApplicantType] = set()
    for sentence in scope:
        neg = _NEGATION.search(sentence)
        for pattern, types in _APPLICANT_WORDS:
            for m in re.finditer(pattern, sentence, re.IGNORECASE):
                if re.match(r"\s*[„“\"«']", sentence[m.end() :]):
                    continue  # Biedrība „Liepājas rajona partnerība” izsludina …: a named organisation
                is_negative = neg is not None and (neg.start() < m.start() or _tail_negative(sentence, m.end()))
                for t in types:
                    if is_negative:
                        negative.add(t)
                    elif t not in positive:
                        positive.append(t)
    order = list(ApplicantType)
    return tuple(sorted((t for t in positive if t not in negative), key=order.index))


_WHO_HEADING = re.compile(
    r"kas var (?:pieteikties|piedalīties|pretendēt)|pretendenti|pieteicēji|who can apply|eligible applicants",
    re.IGNORECASE,
)


def _is_heading(line: str) -> bool:
    """A heading line: ends with "?" or ":", or is a short title without a full stop."""
    line = line.strip()
    return line.endswith(("?", ":")) or (
        len(line) <= 40 and line[:1].isupper() and not line.endswith((".", ";", ",", "!"))
    )


def _lines_under_heading(lines: list[str], i: int) -> list[str]:
    """The lines under ``lines[i]`` when it is an applicant heading ("Kas var pieteikties?", an
    ``<h2>Kas var pieteikties</h2>``), up to the next heading: they list who may apply and where."""
    line = lines[i]
    if not (line.rstrip().endswith(("?", ":")) or (_is_heading(line) and _WHO_HEADING.search(line))):
        return []
    out = []
    for follower in lines[i + 1 : i + 8]:
        if _is_heading(follower) and not any(re.search(p, follower, re.I) for p, _ in _APPLICANT_WORDS):
            break
        out.append(follower)
    return out


def _tail_negative(sentence: str, pos: int) -> bool:
    tail = r"[^.;]{0,40}?(?:nevar|netiek|nav tiesīg|nedrīkst|are not eligible|cannot)"
    return bool(re.match(tail, sentence[pos:], re.I))


# --------------------------------------------------------------------------- geography

_PLACES: list[tuple[str, str]] = [
    (r"liepāj\w*|liepaja\w*", "Liepāja"),
    (r"dienvidkurzem\w*", "Dienvidkurzeme"),
    (r"(?<!dienvid)kurzem\w*|courland", "Kurzeme"),
    (r"rīg\w*|\briga\b", "Rīga"),
    (r"latgal\w*", "Latgale"),
    (r"vidzem\w*", "Vidzeme"),
    (r"zemgal\w*", "Zemgale"),
    (
        r"latvijā reģistrēt\w*|latvijas republikā reģistrēt\w*|reģistrēt\w* latvijā|visā latvijā|visa latvija|"
        r"latvijas teritorijā|registered in latvia|in latvia\b|latvijas republikas teritorijā|latvijas republikā|"
        r"latvijā",
        "LV",
    ),
    (
        r"ziemeļvalst\w* un baltij\w*|nordic[- ]baltic|nordic and baltic|ziemeļu un baltijas",
        "Nordic-Baltic",
    ),
    (
        r"eiropas savienīb\w* dalībvalst\w*|es dalībvalst\w*|eu member states?|member states of the eu|"
        r"eligible countries|eiropas savienībā|\beu\b|european union",
        "EU",
    ),
]
_EXCLUDED_PLACE = re.compile(r"(?:ārpus|izņemot|except|outside|excluding)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
_GEO_CONTEXT = re.compile(
    r"juridisk\w* adres\w*|reģistrēt\w*|deklarēt\w*|dzīvesviet\w*|darbojas|darbība|īsteno\w*|teritorij\w*|"
    r"iedzīvotāj\w*|pretendent\w*|iesniedzēj\w*|var pieteikties|registered|based in|established in|"
    r"located in|residents?|eligible|activities|jānorisinās|norisināties|notiek|reģion\w*|novad\w*|"
    r"valstspilsēt\w*|apkaim\w*",
    re.IGNORECASE,
)


def find_geography(text: str) -> tuple[str, ...]:
    """Where applicants must be or work: "juridiskā adrese Liepājā" -> ("Liepāja",).

    Reads the sentences that speak of place (address, registration, territory, residents) when
    there are any, else the whole text. Values: Liepāja, Dienvidkurzeme, Kurzeme, Rīga, Latgale,
    Vidzeme, Zemgale, LV, Nordic-Baltic, EU.
    """
    if not text:
        return ()
    sentences = _sentences(text)
    context = []
    for i, sentence in enumerate(sentences):
        if _GEO_CONTEXT.search(sentence):
            context.append(sentence)
        if _APPLICANT_CONTEXT.search(sentence):
            context += [line for line in _lines_under_heading(sentences, i) if line not in context]
    scope = " \n".join(context or sentences)
    found: list[tuple[int, str]] = []
    for pattern, label in _PLACES:
        for m in re.finditer(rf"(?<!\w)(?:{pattern})", scope, re.IGNORECASE):
            if _EXCLUDED_PLACE.search(scope[max(0, m.start() - 25) : m.start()]):
                continue  # "ārpus Rīgas", "izņemot Rīgu", "outside Riga"
            if label not in (f[1] for f in found):
                found.append((m.start(), label))
            break
    labels = [label for _, label in sorted(found)]
    # "Latvijā" next to a city is about the city; keep LV only when nothing narrower is named
    if "LV" in labels and any(x in labels for x in ("Liepāja", "Kurzeme", "Dienvidkurzeme", "Rīga", "Latgale",
                                                   "Vidzeme", "Zemgale")):
        labels.remove("LV")
    return tuple(labels)


# --------------------------------------------------------------------------- language

_LANG_WORDS = {
    "lv": {"un", "ir", "ar", "par", "uz", "kas", "no", "līdz", "projektu", "tiek", "vai", "gada", "konkurss"},
    "en": {"the", "and", "of", "to", "for", "is", "in", "with", "are", "on", "this", "be", "projects"},
    "de": {"und", "der", "die", "das", "für", "mit", "ist", "nicht", "ein", "eine"},
    "lt": {"ir", "kad", "su", "yra", "projektų", "iki", "dėl", "į", "bei"},
    "et": {"ja", "on", "ning", "kui", "või", "ei", "see", "projektide"},
    "ru": {"и", "в", "на", "не", "с", "по", "для", "проект"},
}
_LV_CHARS = set("āēīūčģķļņšžĀĒĪŪČĢĶĻŅŠŽ")


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language ("lv", "en", "de", "lt", "et", "ru"); "" when unknown."""
    if not text or not text.strip():
        return ""
    words = re.findall(r"\w+", text.lower())
    if not words:
        return ""
    cyr = sum(1 for c in text if "\u0400" <= c <= "\u04ff")
    if cyr > len(text) * 0.3:
        return "ru"
    scores = {lang: sum(1 for w in words if w in vocab) for lang, vocab in _LANG_WORDS.items()}
    lv_marks = sum(1 for c in text if c in _LV_CHARS)
    scores["lv"] += lv_marks * 0.5
    if any(c in text for c in "ėųįę"):
        scores["lt"] += 3
    if any(c in text for c in "õäöü") and not lv_marks:
        scores["et"] += 1
        scores["de"] += 1
    lang, score = max(scores.items(), key=lambda kv: kv[1])
    return lang if score > 0 else ""
