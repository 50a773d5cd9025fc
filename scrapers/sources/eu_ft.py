"""EU Funding & Tenders Portal: calls for proposals from the SEDIA search API.

Pages read: ``POST https://api.tech.ec.europa.eu/search-api/prod/rest/search`` with ``apiKey=SEDIA``,
``text=***``, ``pageSize`` and ``pageNumber`` in the URL and the filter as multipart *file* parts named
``query`` / ``languages`` / ``sort`` (filename ``blob``, JSON content), exactly as the portal's own
front end sends them (plain form fields give HTTP 500, a ``query`` in the URL is silently ignored).

The query asks for grant topics, external-action calls and cascade open calls (types 1, 2, 8; type 6
"topic update" records are dropped) that are forthcoming or open, in the programmes that fund NGOs
(CERV, Creative Europe, Erasmus+, European Solidarity Corps, LIFE, EU4Health, ESF+, Digital Europe).
Pages are followed until a short page or ``pageNumber * pageSize >= totalResults``.

Quirks:

* every metadata value is a list of strings; money and actions are JSON *inside* those strings;
* the same topic comes back several times (``SEDIA`` and legacy ``SEDIA_PRD_CENTRICITY`` rows, stub rows
  without status or description): one call per ``identifier``, the richest row wins;
* ``status`` lags the dates: a call whose every cut-off is before ``meta["today"]`` is dropped; with
  several cut-offs the deadline is the next one on or after ``meta["today"]``;
* dates come as ``2026-09-15T00:00:00.000+0000`` and are read as Brussels dates;
* ``budgetOverview`` covers the whole call: only the entries whose ``action`` starts with the topic's
  identifier give its per-grant min/max and its budget; when the JSON is cut short, the topic's entry
  is read with a regular expression;
* ``descriptionByte`` is HTML ("Expected Outcome", "Scope") and becomes plain text (never rendered).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlencode, urlsplit
from zoneinfo import ZoneInfo

from grantmatch.models import GrantCall, PriorityArea
from scrapers.base import BaseScraper, Request
from scrapers.errors import LayoutChanged
from scrapers.normalize import clean_text

SEARCH_URL = "https://api.tech.ec.europa.eu/search-api/prod/rest/search"
PORTAL = "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities"

TYPES = ("1", "2", "8")
STATUS_FORTHCOMING = "31094501"
STATUS_OPEN = "31094502"
STATUS_CLOSED = "31094503"

PROGRAMMES: dict[str, tuple[str, tuple[PriorityArea, ...]]] = {
    "43251589": ("Citizens, Equality, Rights and Values (CERV)", (PriorityArea.SOCIAL_HEALTH,)),
    "43251814": ("Creative Europe (CREA)", (PriorityArea.CULTURE,)),
    "43353764": ("Erasmus+ (ERASMUS+)", (PriorityArea.CHILDREN_YOUTH,)),
    "43254037": ("European Solidarity Corps (ESC)", (PriorityArea.CHILDREN_YOUTH,)),
    "43252405": ("Programme for Environment and Climate Action (LIFE)", (PriorityArea.ENVIRONMENT_COMMUNITY,)),
    "43332642": ("EU4Health Programme (EU4H)", (PriorityArea.SOCIAL_HEALTH,)),
    "43254019": ("European Social Fund+ (ESF+)", (PriorityArea.SOCIAL_HEALTH,)),
    "43152860": ("Digital Europe Programme (DIGITAL)", (PriorityArea.IT_DIGITAL_BUSINESS,)),
    "43108390": ("Horizon Europe (HORIZON)", ()),
    "43252476": ("Single Market Programme (SMP)", (PriorityArea.IT_DIGITAL_BUSINESS,)),
    "43251447": ("Asylum, Migration and Integration Fund (AMIF)", (PriorityArea.SOCIAL_HEALTH,)),
    "43252386": ("Justice Programme (JUST)", (PriorityArea.SOCIAL_HEALTH,)),
}
NGO_PROGRAMMES = ("43251589", "43251814", "43353764", "43254037", "43252405", "43332642", "43254019", "43152860")

BRUSSELS = ZoneInfo("Europe/Brussels")


def build_query(programmes: Iterable[str] = NGO_PROGRAMMES) -> dict[str, Any]:
    """The ``query`` part: grant-like types, forthcoming or open, in the given programmes."""
    return {
        "bool": {
            "must": [
                {"terms": {"type": list(TYPES)}},
                {"terms": {"status": [STATUS_FORTHCOMING, STATUS_OPEN]}},
                {"terms": {"frameworkProgramme": list(programmes)}},
            ]
        }
    }


class EuFtScraper(BaseScraper):
    name = "eu-ft"
    source_name = "EU Funding & Tenders Portal"
    funder = "European Commission"
    start_urls = (SEARCH_URL,)
    language = "en"
    timezone = "Europe/Brussels"
    max_pages = 30
    page_size: ClassVar[int] = 100
    programmes: ClassVar[tuple[str, ...]] = NGO_PROGRAMMES
    fixture_pages: ClassVar[dict[str, str]] = {
        f"{SEARCH_URL}?apiKey=SEDIA&text=%2A%2A%2A&pageSize=100&pageNumber=1": "search_response_page_excerpt.json",
    }

    # ------------------------------------------------------------------ requests

    def page_url(self, number: int) -> str:
        query = urlencode({"apiKey": "SEDIA", "text": "***", "pageSize": self.page_size, "pageNumber": number})
        return f"{SEARCH_URL}?{query}"

    def page_request(self, number: int, meta: dict | None = None) -> Request:
        files = {
            "query": ("blob", json.dumps(build_query(self.programmes)), "application/json"),
            "languages": ("blob", json.dumps(["en"]), "application/json"),
            "sort": ("blob", json.dumps({"field": "sortStatus", "order": "ASC"}), "application/json"),
        }
        return Request(
            self.page_url(number), method="POST", files=files, meta={**(meta or {}), "page": number}
        )

    def start_requests(self) -> Iterable[Request]:
        yield self.page_request(1)

    # ------------------------------------------------------------------ parsing

    def parse(self, text: str, url: str, meta: dict | None = None) -> Iterator[GrantCall | Request]:
        """One page of search results: the calls on it, and the request for the next page."""
        meta = meta or {}
        today: date | None = meta.get("today")
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise LayoutChanged(
                f"{self.name}: expected a JSON search response at {url}, found {text[:60]!r}", source=self.name, url=url
            ) from exc
        if not isinstance(data, dict) or not isinstance(data.get("results"), list):
            keys = sorted(data) if isinstance(data, dict) else type(data).__name__
            raise LayoutChanged(
                f"{self.name}: expected an object with 'results' at {url}, found {keys}", source=self.name, url=url
            )
        results = data["results"]
        best: dict[str, dict] = {}
        for row in results:
            md = row.get("metadata") or {}
            identifier = _first(md, "identifier") or _first(md, "callIdentifier")
            if not identifier or _first(md, "type") not in TYPES:
                continue
            if identifier not in best or _richness(row) > _richness(best[identifier]):
                best[identifier] = row
        for identifier, row in best.items():
            call = self._to_call(identifier, row, today, url)
            if call is not None:
                yield call
        # pagination: until a short page or the total is reached
        number = _page_number(url, meta)
        size = int(data.get("pageSize") or self.page_size)
        total = int(data.get("totalResults") or 0)
        if len(results) >= size and number * size < total:
            yield self.page_request(number + 1, {k: v for k, v in meta.items() if k != "page"})

    def _to_call(self, identifier: str, row: dict, today: date | None, url: str) -> GrantCall | None:
        md = row.get("metadata") or {}
        kind = _first(md, "type")
        deadlines = self._parse_deadlines(md)
        if not deadlines and not _first(md, "status"):
            return None  # a stub row: no status, no date
        if today is not None and deadlines and max(deadlines) < today:
            return None  # every cut-off has passed (the status field lags)
        if _first(md, "status") == STATUS_CLOSED and not deadlines:
            return None
        deadline = self._parse_deadline(deadlines, today)
        open_date = _brussels_date(_first(md, "startDate"))
        if open_date and deadline and open_date > deadline:
            open_date = None
        programme_code = _first(md, "frameworkProgramme")
        programme, areas = PROGRAMMES.get(programme_code or "", (None, ()))
        title = _first(md, "title") or row.get("title") or _first(md, "caName") or _first(md, "callTitle")
        title = title or row.get("summary") or identifier
        lo, hi, total = self._parse_budget(md, identifier)
        call_title = _first(md, "callTitle")
        summary_parts = [call_title] if call_title and call_title != title else []
        summary_parts.append(clean_text(_first(md, "descriptionByte") or row.get("content") or ""))
        return GrantCall(
            id=self.make_id(identifier),
            source=self.name,
            title=clean_text(title).replace("\n", " "),
            url=self._parse_url(kind, identifier, md, row),
            language=(_first(md, "language") or self.language).lower(),
            summary="\n".join(p for p in summary_parts if p),
            funder=self.funder,
            programme=programme or (call_title if call_title else None),
            geography=("EU",),
            min_amount_eur=lo,
            max_amount_eur=hi,
            total_budget_eur=total,
            open_date=open_date,
            deadline=deadline,
            deadline_text=self._parse_deadline_text(md, deadlines),
            priority_areas=areas,
        )

    # ------------------------------------------------------------------ awkward fields

    @staticmethod
    def _parse_deadlines(md: dict) -> list[date]:
        values = [_brussels_date(v) for v in md.get("deadlineDate") or []]
        return sorted({d for d in values if d is not None})

    @staticmethod
    def _parse_deadline(deadlines: list[date], today: date | None) -> date | None:
        """The next cut-off on or after ``today``; without ``today``, the first one."""
        if not deadlines:
            return None
        if today is None:
            return deadlines[0]
        upcoming = [d for d in deadlines if d >= today]
        return upcoming[0] if upcoming else deadlines[-1]

    @staticmethod
    def _parse_deadline_text(md: dict, deadlines: list[date]) -> str:
        if not deadlines:
            return ""
        model = _first(md, "deadlineModel") or ""
        dates = ", ".join(d.isoformat() for d in deadlines)
        return f"{model}: {dates}" if model else dates

    @staticmethod
    def _parse_url(kind: str | None, identifier: str, md: dict, row: dict) -> str:
        if kind == "8" and _first(md, "callccm2Id"):
            return f"{PORTAL}/competitive-calls-cs/{_first(md, 'callccm2Id')}"
        if kind == "2" and _first(md, "callIdentifier"):
            return f"{PORTAL}/prospect-details/{_first(md, 'callIdentifier')}PROSPECTSEN"
        return f"{PORTAL}/topic-details/{identifier}"

    @staticmethod
    def _parse_budget(md: dict, identifier: str) -> tuple[float | None, float | None, float | None]:
        """Per-grant (min, max) and the topic's budget from the call-wide ``budgetOverview``."""
        raw = _first(md, "budgetOverview")
        if not raw:
            return None, None, None
        entries: list[dict] = []
        try:
            overview = json.loads(raw)
            for actions in (overview.get("budgetTopicActionMap") or {}).values():
                entries += [a for a in actions if _action_is(a.get("action", ""), identifier)]
        except (ValueError, AttributeError):
            entries = _budget_entries_from_broken_json(raw, identifier)
        mins = [float(e["minContribution"]) for e in entries if _is_number(e.get("minContribution"))]
        maxs = [float(e["maxContribution"]) for e in entries if _is_number(e.get("maxContribution"))]
        years = [
            float(v) for e in entries for v in (e.get("budgetYearMap") or {}).values() if _is_number(v)
        ]
        lo = min(mins) if mins else None
        hi = max(maxs) if maxs else None
        if lo is not None and hi is not None and lo > hi:
            lo, hi = hi, lo
        return lo, hi, (sum(years) if years else None)


# --------------------------------------------------------------------------- helpers


def _first(md: dict, key: str) -> str | None:
    value = md.get(key)
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _richness(row: dict) -> int:
    md = row.get("metadata") or {}
    filled = sum(1 for v in md.values() if v not in (None, "", [], [""]))
    return filled * 10_000 + len(_first(md, "descriptionByte") or "") + (5_000 if _first(md, "status") else 0)


def _brussels_date(value: str | None) -> date | None:
    if not value:
        return None
    text = value.strip()
    try:
        if "T" in text:  # "2027-03-04T17:00:00.000+0100" (fromisoformat: no _strptime import, 47 ms a process)
            stamp = datetime.fromisoformat(text)
            return stamp.astimezone(BRUSSELS).date() if stamp.tzinfo else stamp.date()
        return date.fromisoformat(text[:10])
    except ValueError:
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            return None


def _action_is(action: str, identifier: str) -> bool:
    action = action.strip()
    return action == identifier or action.startswith(identifier + " ")


def _is_number(value: Any) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _budget_entries_from_broken_json(raw: str, identifier: str) -> list[dict]:
    """Read this topic's entries from a ``budgetOverview`` string that was cut short."""
    entries = []
    starts = [m.start() for m in re.finditer(r'"action"\s*:\s*"', raw)]
    for i, start in enumerate(starts):
        chunk = raw[start : starts[i + 1] if i + 1 < len(starts) else len(raw)]
        action = re.match(r'"action"\s*:\s*"([^"]*)"', chunk)
        if not action or not _action_is(action.group(1), identifier):
            continue
        entry: dict[str, Any] = {}
        for key in ("minContribution", "maxContribution"):
            m = re.search(rf'"{key}"\s*:\s*"?([\d.]+)', chunk)
            if m:
                entry[key] = m.group(1)
        years = re.search(r'"budgetYearMap"\s*:\s*\{([^}]*)\}', chunk)
        if years:
            entry["budgetYearMap"] = dict(re.findall(r'"(\d{4})"\s*:\s*"?([\d.]+)"?', years.group(1)))
        entries.append(entry)
    return entries


def _page_number(url: str, meta: dict) -> int:
    if meta.get("page"):
        return int(meta["page"])
    values = parse_qs(urlsplit(url).query).get("pageNumber")
    return int(values[0]) if values else 1
