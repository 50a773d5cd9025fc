"""grantmatch.reports: cohort views, brief, calendar and spreadsheet exports (pure functions)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from docx import Document
from icalendar import Calendar
from openpyxl import load_workbook

from grantmatch import i18n, reports
from grantmatch.models import GrantCall, Match, NgoProfile
from grantmatch.scrape_job import HEALTH_ORDER
from grantmatch.services import RankedCall

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2027, 2, 1)
HOSTILE = "<script>alert(1)</script> [klikšķini](https://evil.example) **bold** =HYPERLINK(\"x\")\x00\x07"


def call(cid: str, *, deadline: date | None = None, areas=(), title: str | None = None, summary: str = "",
         max_eur: float | None = None, total: float | None = None, **kw) -> GrantCall:
    rec = dict(
        id=cid, source="sif", title=title or f"Konkurss {cid}", url=kw.pop("url", f"https://example.lv/{cid}"),
        summary=summary, deadline=deadline, priority_areas=list(areas), max_amount_eur=max_eur,
        total_budget_eur=total, funder=kw.pop("funder", "SIF"), **kw,
    )
    if "\n" in rec["title"] or "\x00" in rec["title"]:
        return GrantCall(**{k: v for k, v in rec.items() if k != "priority_areas"})  # from_dict would strip
    return GrantCall.from_dict(rec)


def profile(pid: str, area: str | None, name: str | None = None) -> NgoProfile:
    return NgoProfile.from_dict({"id": pid, "name": name or f"Biedrība {pid}", "priority_area": area,
                                 "city": "Liepāja"})


def ranked(*items: tuple[GrantCall, float]) -> list[RankedCall]:
    return [RankedCall(c, Match(c.id, s, reasons=("r",), terms=("jaunieši", "kultūra"))) for c, s in items]


A = call("a", deadline=TODAY + timedelta(days=10), areas=["culture"], max_eur=5000)
B = call("b", deadline=TODAY + timedelta(days=45), areas=["children_youth", "culture"], total=100_000)
C = call("c", deadline=None, areas=["social_health"], max_eur=3000)
D = call("d", deadline=TODAY + timedelta(days=90), summary="Projektu īsteno kopā ar sadarbības partneriem.")
OLD = call("old", deadline=TODAY - timedelta(days=1), areas=["culture"], max_eur=999_999)

P1, P2, P3 = profile("p1", "culture"), profile("p2", "culture"), profile("p3", "children_youth")
PROFILES = [P1, P2, P3, profile("p4", "social_health")]
RANKED = {
    "p1": ranked((A, 0.9), (B, 0.5), (C, 0.2)),
    "p2": ranked((A, 0.7), (D, 0.3)),
    "p3": ranked((B, 0.8), (C, 0.1)),
    "p4": [],
}


# --------------------------------------------------------------------------- cohort


def test_relative_fit_and_levels():
    assert reports.relative_fit(1.85, 1.85) == 1.0
    assert reports.relative_fit(0.9, 1.8) == 0.5
    assert reports.relative_fit(2.0, 1.0) == 1.0 and reports.relative_fit(-1.0, 1.0) == 0.0
    assert reports.relative_fit(0.0, 0.0) == 1.0  # a list of zeros: all equally (un)fit, never a division error
    assert [reports.fit_level(x) for x in (1.0, 0.7, 0.69, 0.45, 0.44, 0.0)] == [
        "high", "high", "medium", "medium", "low", "low"]
    assert [r.call.id for r in reports.good_matches(RANKED["p1"])] == ["a"]
    assert [r.call.id for r in reports.good_matches(RANKED["p1"], share=0.5)] == ["a", "b"]
    assert reports.good_matches([]) == []


def test_a_poor_list_is_weak_however_close_to_its_best():
    # the score is an estimated chance of a good fit: the best of a poor list is not a "strong fit"
    assert [reports.fit_level(1.0, s) for s in (0.9, 0.5, 0.49, 0.2, 0.19, 0.05)] == [
        "high", "high", "medium", "medium", "low", "low"]
    assert reports.fit_level(0.5, 0.95) == "medium" and reports.fit_level(0.3, 0.95) == "low"  # share still counts
    poor = ranked((A, 0.08), (B, 0.07))
    assert reports.good_matches(poor) == []
    rows = reports.cohort_table([P1], {"p1": poor}, top=2, tracked={}, today=TODAY)
    assert rows[0].n_good == 0 and rows[0].n_matches == 2


def test_cohort_counts_good_matches_and_the_nearest_relevant_deadline():
    tracked = {"p3": [D, OLD], "p4": [C]}
    rows = reports.cohort_table(PROFILES, RANKED, top=2, tracked=tracked, today=TODAY)
    by_id = {r.profile.id: r for r in rows}
    assert (by_id["p1"].n_matches, by_id["p1"].n_good) == (3, 1)
    assert by_id["p1"].next_call == A  # the good match, not any eligible call
    assert (by_id["p2"].n_good, by_id["p2"].next_deadline) == (1, A.deadline)  # D (0.3 of 0.7) is not good
    assert by_id["p3"].next_call == B and by_id["p3"].n_tracked == 2  # OLD has passed; B is sooner than D
    assert by_id["p4"].next_deadline is None and by_id["p4"].n_good == 0  # a rolling tracked call has no date


def test_cohort_table_keeps_every_ngo_in_order_with_top_calls():
    rows = reports.cohort_table(PROFILES, RANKED, top=2)
    assert [r.profile.id for r in rows] == ["p1", "p2", "p3", "p4"]
    assert [r.call.id for r in rows[0].best] == ["a", "b"]
    assert rows[0].n_matches == 3
    assert rows[0].next_deadline == A.deadline
    assert rows[3].best == () and rows[3].n_matches == 0 and rows[3].next_deadline is None


def test_competing_calls_are_in_several_top_lists():
    items = reports.competing_calls(PROFILES, RANKED, top=10)
    by_id = {s.call.id: s for s in items}
    assert set(by_id) == {"a", "b", "c"}
    assert by_id["a"].profile_ids == ("p1", "p2")  # best score first
    assert by_id["b"].profile_ids == ("p3", "p1")
    # a cut-off of one call per NGO leaves only the call two NGOs rank first
    assert [s.call.id for s in reports.competing_calls(PROFILES, RANKED, top=1)] == ["a"]


def test_partner_calls_are_one_ngos_calls_that_ask_for_partners():
    """A call several NGOs fit is listed once, with the competing calls (and its areas and partner mark
    tell whether they could apply together); the partner list holds the calls only one NGO fits."""
    items = reports.partner_calls(PROFILES, RANKED, top=10)
    assert [s.call.id for s in items] == ["d"]  # one NGO, and the call asks for partners
    assert items[0].mentions_partners and items[0].profile_ids == ("p2",)
    competing = {s.call.id: s for s in reports.competing_calls(PROFILES, RANKED, top=10)}
    assert not set(competing) & {s.call.id for s in items}
    assert competing["b"].mixed_areas and not competing["a"].mixed_areas  # b could be a joint bid, a not


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pieteikumu iesniedz partnerībā ar pašvaldību", True),
        ("Applications by a consortium of at least three organisations", True),
        ("Atbalsts kopīgiem projektiem", True),
        ("Joint applications are welcome", True),
        ("Atbalsts jauniešu iniciatīvām Liepājā", False),
    ],
)
def test_mentions_partners(text, expected):
    assert reports.mentions_partners(call("x", summary=text)) is expected


def test_upcoming_deadlines_window_and_tracked_calls():
    items = reports.upcoming_deadlines(RANKED, today=TODAY, days=30)
    assert [d.call.id for d in items] == ["a"]
    assert items[0].profile_ids == ("p1", "p2") and items[0].days_left == 10
    items = reports.upcoming_deadlines(RANKED, today=TODAY, days=None, tracked={"p4": [D, OLD]})
    assert [d.call.id for d in items] == ["a", "b", "d"]  # soonest first, no rolling, nothing past
    # d is p2's weak match (0.3 against its best 0.7): listed for p4, who tracks it, not for p2
    assert items[2].tracked_by == ("p4",) and items[2].profile_ids == ("p4",)
    assert [d.call.id for d in reports.upcoming_deadlines(RANKED, today=TODAY, days=None)] == ["a", "b"]
    tracked_by_p2 = reports.upcoming_deadlines(RANKED, today=TODAY, days=None, tracked={"p2": [D]})
    assert [(d.call.id, d.profile_ids) for d in tracked_by_p2][-1] == ("d", ("p2",))


def test_fair_matches_leave_out_weak_ones():
    assert [r.call.id for r in reports.fair_matches(RANKED["p1"])] == ["a", "b"]  # c: 0.2 of best 0.9
    assert [r.call.id for r in reports.fair_matches(RANKED["p1"], limit=1)] == ["a"]
    poor = ranked((A, 0.15), (B, 0.12))  # the best of a poor list is no fair fit either
    assert reports.fair_matches(poor) == [] and reports.fair_matches([]) == []


def test_open_funding_by_area_splits_amounts_and_skips_closed():
    rows = {r.area: r for r in reports.open_funding_by_area([A, B, C, D, OLD], today=TODAY)}
    assert list(rows)[:5] == list(reports.PRIORITY_AREA_KEYS)
    assert rows["culture"].calls == 2 and rows["culture"].amount_eur == 5000 + 50_000
    assert rows["children_youth"].amount_eur == 50_000
    assert rows["social_health"].amount_eur == 3000
    assert rows["it_digital_business"].calls == 0
    assert rows[""].calls == 1 and rows[""].calls_with_amount == 0  # d has no area and no amount
    total = sum(r.amount_eur for r in rows.values())
    assert total == 5000 + 100_000 + 3000  # nothing counted twice, the closed call left out


# --------------------------------------------------------------------------- brief


def _brief(consultations=(), tracked=None, meta=None):
    first = datetime(2027, 1, 1, tzinfo=UTC)
    meta = meta or {c.id: {"first_seen": first} for c in (A, B, C)}
    tracked = tracked if tracked is not None else [
        {"call_id": "d", "stage": "preparing", "notes": "budžets gatavs", "amount_requested": 4000.0,
         "amount_awarded": None, "reason": ""},
        {"call_id": "old", "stage": "dropped", "notes": "", "amount_requested": None, "amount_awarded": None,
         "reason": "nav laika"},
    ]
    return reports.build_brief(
        P1, today=TODAY, ranked=RANKED["p1"], tracked=tracked, calls={"d": D, "old": OLD}, call_meta=meta,
        consultations=list(consultations),
    )


def test_brief_without_consultation_lists_all_matches_and_deadlines():
    brief = _brief()
    assert brief.since is None
    assert [r.call.id for r in brief.new_matches] == ["a", "b"]  # c is a weak match
    assert [r.call.id for r in brief.top_matches] == ["a", "b", "c"]
    assert [d.call.id for d in brief.deadlines_30] == ["a"]
    assert [d.call.id for d in brief.deadlines_60] == ["b"]  # d is 90 days away
    assert [(p.call_id, p.stage) for p in brief.pipeline] == [("d", "preparing"), ("old", "dropped")]


def test_brief_new_matches_since_last_consultation():
    meta = {
        "a": {"first_seen": datetime(2027, 1, 1, tzinfo=UTC)},
        "b": {"first_seen": datetime(2027, 1, 25, tzinfo=UTC)},
        "c": {"first_seen": datetime(2027, 1, 25, tzinfo=UTC)},  # new too, but a weak match
    }
    held = [{"held_at": datetime(2027, 1, 10, tzinfo=UTC), "notes": "vecās"},
            {"held_at": datetime(2027, 1, 22, tzinfo=UTC), "notes": "runājām par budžetu"}]
    brief = _brief(consultations=held, meta=meta)
    assert brief.since == datetime(2027, 1, 22, tzinfo=UTC)
    assert [r.call.id for r in brief.new_matches] == ["b"]
    assert brief.past_notes[0][1] == "runājām par budžetu"


def test_brief_markdown_has_sections_and_latvian_formats():
    md = reports.brief_markdown(_brief(), "lv")
    assert md.startswith("# Konsultācijas kopsavilkums: Biedrība p1\n")
    for heading in ("Termiņi nākamajās 30 dienās", "Pieteikumu gaita", "Labākās pašreizējās iespējas"):
        assert f"## {heading}" in md
    assert "11.02.2027." in md and "5\u00a0000\u00a0€" in md  # a's deadline, a's amount
    assert i18n.t("stage.preparing", "lv") in md and "nav laika" in md  # stage label, drop reason
    en = reports.brief_markdown(_brief(), "en")
    assert "Consultation brief" in en and i18n.t("stage.preparing", "en") in en
    assert i18n.fmt_date(A.deadline, "en") in en


def test_brief_markdown_escapes_hostile_text():
    evil = call("evil", deadline=TODAY + timedelta(days=3), title=HOSTILE, funder="[x](javascript:alert(1))")
    brief = reports.build_brief(P1, today=TODAY, ranked=ranked((evil, 1.0)))
    md = reports.brief_markdown(brief)
    assert "<script>" not in md and "\\<script\\>" in md
    assert "[klikšķini](" not in md and "\\[klikšķini\\]" in md
    assert "[x](" not in md
    assert "\x00" not in md and "\x07" not in md
    # one table row per line: a newline in a title cannot break the table
    long = call("long", deadline=TODAY, title="A\n| b |\n# c " + "x" * 100_000)
    md = reports.brief_markdown(reports.build_brief(P1, today=TODAY, ranked=ranked((long, 1.0))))
    row = next(line for line in md.splitlines() if line.startswith("| A"))
    assert "\\| b \\|" in row and len(row) < 3000


def test_brief_docx_has_headings_and_tables():
    data = reports.brief_docx(_brief(), "lv")
    doc = Document(io.BytesIO(data))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "Konsultācijas kopsavilkums: Biedrība p1"
    assert "Pieteikumu gaita" in headings and "Termiņi nākamajās 30 dienās" in headings
    texts = [[c.text for c in row.cells] for table in doc.tables for row in table.rows]
    assert ["Konkurss", "Posms", "Termiņš", "Pieprasīts", "Piešķirts", "Piezīmes"] in texts
    preparing = i18n.t("stage.preparing", "lv")
    assert any(r[0] == "Konkurss d" and r[1] == preparing and r[3] == "4\u00a0000\u00a0€" for r in texts)


def test_brief_docx_survives_hostile_and_huge_text():
    evil = call("evil", deadline=TODAY + timedelta(days=3), title=HOSTILE, summary="x" * 100_000)
    brief = reports.build_brief(NgoProfile(id="p", name="N\x01ame", mission="m" * 100_000), today=TODAY,
                                ranked=ranked((evil, 1.0)))
    doc = Document(io.BytesIO(reports.brief_docx(brief, "en")))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert any("<script>alert(1)</script>" in c for c in cells)  # kept as plain text, control chars gone
    assert all("\x00" not in c for c in cells)
    assert max(len(c) for c in cells) <= 2000


# --------------------------------------------------------------------------- calendar


def _events(data: bytes):
    cal = Calendar.from_ical(data)
    return [c for c in cal.walk() if c.name == "VEVENT"]


def test_ics_one_all_day_event_per_deadline_with_alarm():
    items = reports.upcoming_deadlines(RANKED, today=TODAY, days=None, tracked={"p4": [D]})
    data = reports.deadlines_ics(items, names={"p1": "Kultūras biedrība"}, scope="cohort")
    events = _events(data)
    assert [str(e["summary"]) for e in events] == ["Termiņš: Konkurss a", "Termiņš: Konkurss b", "Termiņš: Konkurss d"]
    first = events[0]
    assert first.decoded("dtstart") == A.deadline and not isinstance(first.decoded("dtstart"), datetime)
    assert first.decoded("dtend") == A.deadline + timedelta(days=1)
    assert str(first["summary"]) == "Termiņš: Konkurss a"
    assert "Kultūras biedrība" in str(first["description"]) and "p2" in str(first["description"])
    assert str(first["url"]) == "https://example.lv/a"
    alarms = [c for c in first.walk() if c.name == "VALARM"]
    assert len(alarms) == 1 and alarms[0].decoded("trigger") == timedelta(days=-7)
    assert data.count(b"BEGIN:VEVENT") == 3 and b"\r\n" in data


def test_ics_uid_is_stable_and_follows_a_moved_deadline():
    uid = str(_events(reports.deadlines_ics([A]))[0]["uid"])
    moved = call("a", deadline=A.deadline + timedelta(days=5), areas=["culture"])
    assert str(_events(reports.deadlines_ics([moved]))[0]["uid"]) == uid
    assert str(_events(reports.deadlines_ics([A], scope="p1"))[0]["uid"]) != uid
    at = datetime(2027, 1, 5, 9, 30, tzinfo=UTC)
    assert reports.deadlines_ics([A], stamp=at) == reports.deadlines_ics([A], stamp=at)  # byte-identical
    stamps = [e.decoded("dtstamp") for e in _events(reports.deadlines_ics([A]))]
    assert abs(stamps[0] - datetime.now(UTC)) < timedelta(minutes=5)  # when the file was made


def test_ics_skips_rolling_and_duplicates_and_handles_hostile_text():
    evil = call("evil", deadline=TODAY, title=HOSTILE, url='https://evil.example/"><img src=x onerror=alert(1)>')
    events = _events(reports.deadlines_ics([C, A, A, evil], lang="en"))
    assert len(events) == 2
    bad = events[1]
    assert "url" not in bad and "onerror" not in str(bad["description"])
    assert "\x00" not in str(bad["summary"]) and str(bad["summary"]).startswith("Deadline: <script>")


# --------------------------------------------------------------------------- spreadsheets


def test_csv_round_trip_with_bom_and_formula_guard():
    evil = call("evil", deadline=TODAY, title="=HYPERLINK(\"http://x\")", funder="@SUM(A1)")
    data = reports.calls_csv([*RANKED["p1"], evil], today=TODAY)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Konkurss", "Finansētājs", "Programma"]
    assert rows[1][0] == "Konkurss a" and rows[1][7] == "2027-02-11" and rows[1][8] == "10"
    assert rows[1][6] == "5000" and rows[1][9] == "100" and rows[1][10] == "jaunieši, kultūra"
    assert [r[9] for r in rows[1:]] == ["100", "56", "22", ""]  # fit: % of the best score, none for a plain call
    again = reports.calls_csv(RANKED["p1"][1:], today=TODAY, best=0.9)  # a picked subset keeps the list's scale
    assert [r[9] for r in csv.reader(io.StringIO(again.decode("utf-8-sig")))][1:] == ["56", "22"]
    assert rows[4][0] == "'=HYPERLINK(\"http://x\")" and rows[4][1] == "'@SUM(A1)"
    assert len(rows) == 5


def test_xlsx_has_real_dates_numbers_and_no_formulas():
    evil = call("evil", deadline=TODAY, title="=1+1" + "\x0b", funder="-2")
    data = reports.calls_xlsx([*RANKED["p1"], evil], lang="en", today=TODAY)
    ws = load_workbook(io.BytesIO(data)).active
    assert ws.title == "Calls"
    assert [c.value for c in ws[1]][:2] == ["Call", "Funder"]
    assert ws["A2"].value == "Konkurss a"
    assert ws["H2"].value.date() == A.deadline and ws["H2"].number_format == "DD.MM.YYYY."
    assert ws["G2"].value == 5000
    assert ws["A5"].data_type == "s" and ws["A5"].value == "'=1+1"
    assert ws["B5"].value == "'-2"
    assert ws.max_row == 5 and ws.freeze_panes == "A2"


def test_exports_read_as_the_cards_source_name_reasons_without_repeats_whole_euros():
    """The Matches page's CSV/XLSX showed the source key, every term (words of a longer term too) and
    "15000.0" where its cards show the source's name, :func:`reports.reason_terms` and 15 000 €."""
    terms = ("vizuālo", "vizuālo mākslu", "vkkf projektu", "vkkf", "Liepājā")
    odd = replace(call("odd", deadline=TODAY, max_eur=1234.5), source="kkf")
    kkf = replace(call("k", deadline=TODAY, max_eur=15000.0, min_amount_eur=500.0), source="kkf")
    items = [RankedCall(kkf, Match("k", 0.9, terms=terms)), RankedCall(odd, Match("odd", 0.5)), A]
    names = {"kkf": "Valsts kultūrkapitāla fonds"}
    rows = list(csv.reader(io.StringIO(reports.calls_csv(items, source_names=names).decode("utf-8-sig"))))
    assert [r[3] for r in rows[1:]] == ["Valsts kultūrkapitāla fonds", "Valsts kultūrkapitāla fonds", "sif"]
    assert rows[1][10] == ", ".join(reports.reason_terms(terms)) == "vizuālo mākslu, vkkf projektu, Liepājā"
    assert rows[1][5:7] == ["500", "15000"] and rows[2][6] == "1234.5"
    ws = load_workbook(io.BytesIO(reports.calls_xlsx(items, source_names=names))).active
    assert ws["D2"].value == "Valsts kultūrkapitāla fonds" and ws["K2"].value == rows[1][10]
    assert ws["F2"].value == 500 and ws["G2"].value == 15000 and isinstance(ws["G2"].value, int)
    assert ws["G3"].value == 1234.5 and ws["G2"].number_format == '#,##0 "€"'


def test_exports_accept_plain_calls():
    rows = list(csv.reader(io.StringIO(reports.calls_csv([A, C]).decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["Konkurss a", "Konkurss c"] and rows[1][9] == ""


# --------------------------------------------------------------------------- helpers and translations


def test_md_escape_and_safe_url():
    assert reports.md_escape("[a](b) <i>x</i> *y* | z") == "\\[a\\](b) \\<i\\>x\\</i\\> \\*y\\* \\| z"
    assert reports.safe_url("https://ok.lv/a?b=1") == "https://ok.lv/a?b=1"
    assert reports.safe_url("HTTPS://ok.lv/A") == "HTTPS://ok.lv/A"  # a scheme in capitals is still a web link
    for bad in ("javascript:alert(1)", "ftp://x", "https://a b", "data:text/html,x", ""):
        assert reports.safe_url(bad) == ""


def test_every_mentor_key_used_is_translated():
    files = [ROOT / "grantmatch" / "reports.py", *sorted((ROOT / "app_pages").glob("*.py"))]
    used = set()
    for path in files:
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"[\"'](mentor\.[a-z0-9_.]+[a-z0-9_])[\"']", text))
    used |= {f"area.{a}" for a in (*reports.PRIORITY_AREA_KEYS, "none")}
    used |= {f"mentor.sources.state.{s}" for s in HEALTH_ORDER}
    used |= {f"stage.{s}" for s in ("interested", "preparing", "submitted", "awarded", "rejected", "dropped")}
    table = i18n.table()
    missing = sorted(k for k in used if k not in table)
    assert not missing, f"keys used but not in data/i18n: {missing}"
    for key in used:
        assert table[key]["lv"].strip() and table[key]["en"].strip(), key


def test_reason_terms_leave_out_words_of_longer_terms():
    terms = ["vizuālo", "vizuālo mākslu", "Mantojums", "kultūras mantojums", "kultūras mantojums", "Liepājā"]
    assert reports.reason_terms(terms) == ["vizuālo mākslu", "kultūras mantojums", "Liepājā"]
    assert reports.reason_terms(None) == []
    assert reports.reason_terms([f"t{i}" for i in range(10)], 3) == ["t0", "t1", "t2"]


def test_brief_why_without_terms_names_the_area_in_the_brief_language():
    bare = [RankedCall(A, Match(A.id, 0.9, reasons=("Joma / area: culture",), terms=()))]
    brief = reports.build_brief(P1, today=TODAY, ranked=bare, tracked=[], calls={}, call_meta={}, consultations=[])
    for lang, area in (("lv", "Kultūra"), ("en", "Culture")):
        rows = reports.brief_sections(brief, lang)[1][2]
        assert rows[0][-1] == area  # not the bilingual code "Joma / area: culture"


def test_brief_lists_the_best_calls_once():
    """A first consultation lists every fair match: a second table of the same best calls was noise."""
    top_heading = i18n.t("mentor.brief.top", "en")
    fair_only = [r for r in RANKED["p1"] if r.call.id in ("a", "b")]
    brief = reports.build_brief(P1, today=TODAY, ranked=fair_only, tracked=[], calls={}, call_meta={},
                                consultations=[])
    headings = [s[0] for s in reports.brief_sections(brief, "en")]
    assert top_heading not in headings and i18n.t("mentor.brief.new_first", "en") in headings
    # a weak match among the best is not in the first table: the best calls keep their own
    assert top_heading in [s[0] for s in reports.brief_sections(_brief(), "en")]
