"""What every page shares: cached loaders, the session language and NGO, safe text, formatting.

Pages call these helpers and :mod:`grantmatch.services`; they never talk to the store directly
(the store object is passed *into* services). Everything returned by a cached function is shared by
every session: never mutate it.
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

import streamlit as st

from grantmatch import i18n, reports, services
from grantmatch.models import GrantCall, NgoProfile, Status

if TYPE_CHECKING:
    import pandas as pd

TODAY_ENV = "GRANTMATCH_TODAY"
LANG_KEY = "lang"
PROFILE_KEY = "profile_id"
CALL_KEY = "call_id"
DRAFT_KEY = "draft_id"
NEW_DRAFT = -1
"""``DRAFT_KEY`` holds the open draft's id, or ``NEW_DRAFT`` for the "New draft" form."""
LANG_PARAM = "lang"
ORG_PARAM = "org"
CALL_PARAM = "call"
DRAFT_PARAM = "draft"
"""The link's query parameters: ``?org=fotast&lang=en`` (and ``&call=<id>`` on the Call page,
``&draft=<id>`` on the Draft page)."""

PAGE_FILES = {
    "matches": "app_pages/matches.py",
    "call": "app_pages/call.py",
    "profile": "app_pages/profile.py",
    "pipeline": "app_pages/pipeline.py",
    "calendar": "app_pages/calendar.py",
    "draft": "app_pages/draft.py",
    "cohort": "app_pages/cohort.py",
    "brief": "app_pages/brief.py",
    "sources": "app_pages/sources.py",
}


# --------------------------------------------------------------------------- cached loaders


@st.cache_resource(show_spinner=False)
def _store_for(url: str, var: str) -> services.Store:
    store = services.open_store(url or None)
    services.ensure_seeded(store)
    return store


def get_store() -> services.Store:
    """The database of this process (opened, upgraded and seeded once per database URL)."""
    url = os.environ.get("GRANTMATCH_DATABASE_URL", "")
    return _store_for(url, os.environ.get("GRANTMATCH_VAR_DIR", ""))


@st.cache_resource(show_spinner=False, max_entries=4)
def _calls_for(url: str, fingerprint: str) -> dict[str, GrantCall]:
    store = _store_for(url, os.environ.get("GRANTMATCH_VAR_DIR", ""))
    if not services.has_calls(store):
        return {}
    try:  # the matcher (usually loaded from its saved index) holds the stored calls already
        calls = services.matcher_calls(_matcher_for(url, fingerprint))
    except Exception:  # noqa: BLE001 - a failing matcher must not hide the calls; pages report it
        calls = None
    return calls if calls is not None else services.calls_by_id(store)


@st.cache_resource(show_spinner=False, max_entries=4)
def _matcher_for(url: str, fingerprint: str) -> Any:
    store = _store_for(url, os.environ.get("GRANTMATCH_VAR_DIR", ""))
    return services.build_matcher(store, fingerprint=fingerprint)


@st.cache_resource(show_spinner=False, ttl=5, max_entries=8)
def _fingerprint_for(url: str) -> str:
    return services.calls_fingerprint(_store_for(url, os.environ.get("GRANTMATCH_VAR_DIR", "")))


def fingerprint() -> str:
    """Changes whenever a call is added, removed or changed. It reads every call's hash, so it is
    kept for 5 seconds (one page run asks for it several times; a scrape shows up within 5 s)."""
    return _fingerprint_for(get_store().url)


def get_calls() -> dict[str, GrantCall]:
    """Every stored call by id (shared, read-only)."""
    return _calls_for(get_store().url, fingerprint())


def get_matcher(fp: str | None = None) -> Any:
    """The fitted matcher for the stored calls (shared, read-only)."""
    return _matcher_for(get_store().url, fp or fingerprint())


RANK_CAP = 300
"""The app looks at an NGO's best ``RANK_CAP`` eligible calls (filters, cohort, brief): ranking every
eligible call of 10 000 takes seconds, and a call below the 300th is no match worth a coordinator's time."""


@st.cache_resource(show_spinner=False, max_entries=64)
def _ranking_for(url: str, fp: str, profile_key: str, feedback_key: tuple, day: date) -> list[services.RankedCall]:
    store = get_store()
    profile = NgoProfile.from_dict(services.json_loads(profile_key))
    return services.rank_profile(store, get_matcher(fp), profile, today=day, top=RANK_CAP, calls=get_calls())


def get_ranking(profile: NgoProfile, top: int | None = None) -> list[services.RankedCall]:
    """The best eligible calls of one profile (at most ``top``, and at most ``RANK_CAP``), best first;
    re-ranked when the profile, its feedback or the calls change. Every page shares one ranking per
    NGO (a shorter list is a slice of it). Read-only."""
    store = get_store()
    feedback = services.feedback_key(store, profile.id)
    ranked = _ranking_for(store.url, fingerprint(), services.profile_key(profile), feedback, today())
    return ranked if top is None else ranked[:top]


# --------------------------------------------------------------------------- session


def lang() -> str:
    """The session language: ``lv`` (default) or ``en``."""
    value = st.session_state.get(LANG_KEY, i18n.DEFAULT_LANG)
    return value if value in i18n.LANGUAGES else i18n.DEFAULT_LANG


def tr(key: str, **fmt: object) -> str:
    """The UI string ``key`` in the session language."""
    return i18n.t(key, lang(), **fmt)


def trn(key: str, n: int, **fmt: object) -> str:
    """The UI string ``key`` for the count ``n`` (``key.one`` / ``key.other``) in the session language."""
    return i18n.plural(key, n, lang(), **fmt)


def today() -> date:
    """Today's date, or ``GRANTMATCH_TODAY`` (YYYY-MM-DD) when set, so tests are deterministic."""
    value = os.environ.get(TODAY_ENV, "").strip()
    if value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    return date.today()


def profiles() -> list[NgoProfile]:
    return services.list_profiles(get_store())


def current_profile() -> NgoProfile | None:
    """The NGO picked in the sidebar (the first one when none is picked yet), or None."""
    pid = st.session_state.get(PROFILE_KEY)
    store = get_store()
    if pid:
        found = services.get_profile(store, pid)
        if found is not None:
            return found
    items = services.list_profiles(store)
    return items[0] if items else None


def select_profile(profile_id: str) -> None:
    """Make ``profile_id`` the session's NGO (the sidebar and the link follow on the next run)."""
    st.session_state[PROFILE_KEY] = profile_id
    drop_url_note(ORG_PARAM)


# --------------------------------------------------------------------------- the link

_URL_READ = "_gm_url_read"
_URL_NOTES = "_gm_url_notes"


def read_url() -> None:
    """On the first run of a browser session, take the language and the NGO from the link.

    A reload (F5), a new tab and a bookmark each start a new session with empty session state: the
    link is all that is left of what the user chose, so :func:`keep_in_url` writes the choices
    into it on every run and this reads them back. Later runs of the session ignore the link (the
    session is the truth; Streamlit drops the query parameters when the user switches pages). An
    unknown language is noted here; an unknown NGO is noted by the sidebar, which knows the NGOs.
    """
    if st.session_state.get(_URL_READ):
        return
    st.session_state[_URL_READ] = True
    code = (st.query_params.get(LANG_PARAM) or "").strip().lower()
    if code in i18n.LANGUAGES:
        st.session_state[LANG_KEY] = code
    elif code:
        add_url_note(LANG_PARAM, "app.url.unknown_lang", value=code[:40])
    org = (st.query_params.get(ORG_PARAM) or "").strip()
    if org:
        st.session_state[PROFILE_KEY] = org


def keep_in_url(**params: str | None) -> None:
    """Write ``params`` into the link's query string (None removes one), so that a reload, a copied
    link or a bookmark opens the same view. Only changed values are sent to the browser."""
    for name, value in params.items():
        if value is None:
            if name in st.query_params:
                del st.query_params[name]
        elif st.query_params.get(name) != value:
            st.query_params[name] = value


def add_url_note(param: str, key: str, **fmt: object) -> None:
    """Keep a note about the link's ``param`` (an i18n ``key``) until the user picks that value."""
    st.session_state.setdefault(_URL_NOTES, {})[param] = (key, fmt)


def drop_url_note(param: str) -> None:
    st.session_state.get(_URL_NOTES, {}).pop(param, None)


def url_notes() -> dict[str, str]:
    """The notes about the link by parameter, in the session language, made inert for markdown (they
    quote the link, which anyone can write)."""
    return {param: safe_text(tr(key, **fmt)) for param, (key, fmt) in st.session_state.get(_URL_NOTES, {}).items()}


def open_call(call_id: str) -> None:
    """Show one call on the Call detail page."""
    st.session_state[CALL_KEY] = call_id
    go("call", **{CALL_PARAM: call_id})


def open_draft(draft_id: int | None) -> None:
    """Open a stored draft on the Draft page; None opens its "New draft" form (for ``CALL_KEY``'s call)."""
    st.session_state[DRAFT_KEY] = NEW_DRAFT if draft_id is None else draft_id
    go("draft", **({} if draft_id is None else {DRAFT_PARAM: str(draft_id)}))


_SCROLL_KEY = "_gm_scroll_top"

# Streamlit keeps the main area's scroll position when a button switches the page, so a call opened
# from the tenth card would open at its bottom. A fixed script of ours (no page data in it) scrolls it up.
_SCROLL_TOP_JS = """<script>
const main = window.parent.document.querySelector('[data-testid="stMain"]');
for (const ms of [0, 100, 400]) { setTimeout(() => { if (main) { main.scrollTop = 0; } }, ms); }
</script>"""


def go(page: str, **params: str) -> None:
    """Switch to the page ``page`` (a ``PAGE_FILES`` key), opened at its top. The new page's link
    carries the language and the NGO (and ``params``) from the start: a switch drops the old link's
    query, and the router would only write them back a moment later."""
    st.session_state[_SCROLL_KEY] = True
    keep = {LANG_PARAM: st.session_state.get(LANG_KEY), ORG_PARAM: st.session_state.get(PROFILE_KEY), **params}
    st.switch_page(PAGE_FILES[page], query_params={k: str(v) for k, v in keep.items() if v})


def scroll_to_top_after_switch() -> None:
    """Called by the router on every run: after :func:`go`, scroll the new page to its top (once)."""
    if st.session_state.pop(_SCROLL_KEY, False):
        # st.iframe (Streamlit >= 1.56; it replaced components.v1.html) runs the script same-origin,
        # so it reaches the app's main area; it takes no height below 1 px (the page moves by 1 px).
        st.iframe(_SCROLL_TOP_JS, height=1)


def require_profile() -> NgoProfile:
    """The current NGO, or stop the page with a clear message."""
    profile = current_profile()
    if profile is None:
        st.info(tr("app.ngo.none"))
        st.stop()
    return profile


# --------------------------------------------------------------------------- safe display

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&])")
_AUTOLINK = re.compile(r"(https?|ftp|mailto|www)(?=\\[:.])", re.IGNORECASE)


def safe_text(text: object) -> str:
    """Untrusted (scraped) text made inert for ``st.markdown``: markdown and HTML specials are
    backslash-escaped, so ``<script>`` and ``[x](javascript:...)`` show as typed."""
    value = "" if text is None else str(text)
    value = value.replace("\r", "")
    value = _MD_SPECIAL.sub(r"\\\1", value)
    # Markdown (GFM) turns bare "http://…" and "www.…" into live links even when escaped: a word
    # joiner (invisible) after the scheme / "www" keeps scraped URLs as plain text.
    value = _AUTOLINK.sub("\\1\u2060", value)
    # Leading spaces would make an indented code block; newlines become hard breaks.
    return "  \n".join(line.strip() for line in value.split("\n"))


def link_button(label: str, url: object, *, key: str | None = None) -> None:
    """A link button for an http(s) URL (:func:`grantmatch.reports.safe_url`); a warning for anything else."""
    checked = reports.safe_url(url)
    if checked:
        st.link_button(label, checked, key=key)
    else:
        st.caption(tr("common.bad_url", url=str(url or "")[:200]))


def long_text(text: str, *, limit: int = 20000, name: str = "call.txt", key: str = "long_text") -> None:
    """Show plain text with ``st.text``; very long texts are cut with a download of the whole."""
    if len(text) <= limit:
        st.text(text)
        return
    shown, total = (f"{n:,}".replace(",", "\u00a0") for n in (limit, len(text)))
    st.caption(tr("common.text_truncated", shown=shown, total=total))
    st.text(text[:limit] + " …")
    st.download_button(tr("common.download_text"), text.encode("utf-8"), file_name=name, mime="text/plain", key=key)


# --------------------------------------------------------------------------- formatting


def fit_width(texts: Any, *, low: int = 80, high: int = 420) -> int:
    """A table column width (px) that shows the longest of ``texts`` whole (at the app's 14 px
    font, about 7.3 px a character and the cell's padding), kept within ``low``..``high``; a
    fixed width cut a longer organisation name or an English date."""
    longest = max((len(str(t)) for t in texts), default=0)
    return round(min(high, max(low, 20 + 7.3 * longest)))


def fmt_date(value: date | None) -> str:
    return i18n.fmt_date(value, lang())


def fmt_eur(value: float | None) -> str:
    return i18n.fmt_eur(value, lang())


def fmt_range(low: float | None, high: float | None) -> str:
    return i18n.fmt_range(low, high, lang())


def area_label(area: object, lang_code: str | None = None) -> str:
    code = lang_code or lang()
    if not area:
        return i18n.t("area.none", code)
    return i18n.t(f"area.{getattr(area, 'value', area)}", code)


@st.cache_resource(show_spinner=False, max_entries=4)
def _source_names_for(url: str, fp: str) -> dict[str, str]:
    names = services.source_names()
    funders: dict[str, Counter] = {}
    for call in _calls_for(url, fp).values():
        if call.funder:
            funders.setdefault(call.source, Counter())[call.funder] += 1
    for key, seen in funders.items():
        names.setdefault(key, seen.most_common(1)[0][0])
    return names


def source_names() -> dict[str, str]:
    """Each source's readable name by key: the scraper's ``source_name``, or for sources without a
    scraper (imported or bundled calls, e.g. ``ncp``) the usual funder of their calls. Shared, read-only."""
    return _source_names_for(get_store().url, fingerprint())


def source_label(key: str) -> str:
    """The readable name of a source (``kkf`` -> Valsts kultūrkapitāla fonds), else the key."""
    return source_names().get(key) or key


def language_label(code: str, lang_code: str | None = None) -> str:
    """``lv`` -> latviešu / Latvian; an unknown code is shown as it is."""
    key = f"lang.{code}"
    return i18n.t(key, lang_code or lang()) if key in i18n.table() else code


def stage_label(stage: str, lang_code: str | None = None) -> str:
    return i18n.t(f"stage.{stage}", lang_code or lang())


def labeller(prefix: str = "", fn: Callable[[str, str], str] | None = None) -> Callable[[object], str]:
    """A ``format_func`` for a widget with the session language bound now (a format_func may be
    called outside the script run, e.g. by AppTest, where the session is not at hand)."""
    code = lang()
    if fn is not None:
        return lambda value: fn(value, code)
    return lambda value: i18n.t(f"{prefix}{getattr(value, 'value', value)}", code)


_DRAWN_IN = "_gm_widget_lang"


def choice(widget: Callable[..., Any], label: str, options: Any, *, key: str, format_func: Callable[[Any], str],
           default: Any = None, **kwargs: Any) -> Any:
    """Draw a choice widget (``st.selectbox``, ``st.radio``, ``st.multiselect``,
    ``st.segmented_control``, or the same on a column or the sidebar) whose ``options`` are stable
    codes and whose labels come from ``format_func`` in the session language.

    Streamlit sends a choice to the browser as its label and keeps a keyed widget across runs, so
    after a language switch the browser holds a label of the old language that matches no option:
    a selectbox kept showing it, a radio lost its selection. Re-setting the widget's value (the
    code, read with the labels it was drawn with) when the language changed makes Streamlit send
    it again in the new language. ``default`` is the first value (a code, a list of codes for a
    multiselect, or None for the widget's own default); later runs keep what the user chose.
    """
    drawn = st.session_state.setdefault(_DRAWN_IN, {})
    code = lang()
    if key in st.session_state:
        if drawn.get(key, code) != code:
            st.session_state[key] = st.session_state[key]
    elif default is not None:
        st.session_state[key] = default
    drawn[key] = code
    return widget(label, options, format_func=format_func, key=key, **kwargs)


def deadline_label(call: GrantCall, day: date | None = None) -> str:
    """``22.02.2027. (atlikušas 12 d.)``, or rolling / closed / forthcoming."""
    day = day or today()
    status = call.status(day)
    if call.deadline is None:
        return tr("common.rolling")
    text = fmt_date(call.deadline)
    if status == Status.CLOSED:
        return f"{text} ({tr('common.closed')})"
    days = call.days_left(day)
    left = tr("common.today") if days == 0 else trn("common.days_left", days)
    if status == Status.FORTHCOMING:
        return f"{text} ({tr('common.forthcoming')}, {left})"
    return f"{text} ({left})"


def place_label(name: str, lang_code: str | None = None) -> str:
    """A place of a call's ``geography`` in the session language (``LV`` -> Latvija / Latvia); names
    without a translation are shown as written."""
    return i18n.place_label(name, lang_code or lang())


def applicant_label(kind: object, lang_code: str | None = None) -> str:
    return i18n.applicant_label(kind, lang_code or lang())


def fit(score: float, best: float | None) -> tuple[float, str]:
    """How well a match fits, relative to the best match in its list: (share 0..1, text such as
    "augsta atbilstība")."""
    share = reports.relative_fit(score, best if best is not None else score)
    return share, tr(f"fit.{reports.fit_level(share, score)}")


def fact_text(fact: Any, call: GrantCall, profile: NgoProfile | None, day: date | None = None) -> str:
    """One eligibility fact in the session language (:func:`grantmatch.i18n.fact_text`)."""
    return i18n.fact_text(fact, call, profile, lang(), day or today())


def fact_lines(facts: Any, call: GrantCall, profile: NgoProfile | None, day: date | None = None) -> str:
    """Eligibility facts as escaped markdown lines: icon, fact name, outcome, details."""
    return "  \n".join(
        f"{fact_icon(f.outcome)} **{tr('fact.' + str(f.name))}** "
        f"({tr('fact.' + str(getattr(f.outcome, 'value', f.outcome)))}): "
        f"{safe_text(fact_text(f, call, profile, day))}"
        for f in facts
    )


def fact_icon(outcome: object) -> str:
    value = getattr(outcome, "value", outcome)
    return {"met": "✅", "missed": "❌"}.get(str(value), "❔")


def guarded(fn: Callable[[], Any], error_key: str) -> Any:
    """Run a loader; show a translated error and stop the page when it fails."""
    try:
        return fn()
    except Exception as exc:  # noqa: BLE001 - shown to the user, then the page stops
        st.error(tr(error_key, error=str(exc)[:500]))
        st.stop()


# Where a timeline label sits against its dot (px, down is positive): near above, near below, then a
# second line above and below for a dot whose near lines are taken. One NGO's timeline gives each of its
# two rows about 95 px (the Calendar page's chart height), so the lines of two rows never meet.
LABEL_LANES = (-12, 22, -26, 36)

# The date axis widths (px) a timeline's labels are laid out for, one layout each: the chart shows the
# layout made for the widest of these that its axis reaches (Vega's ``width`` signal), so labels never
# meet on a phone and a wide window still names nearly every dot.
LABEL_WIDTHS = (200, 350, 560, 850)


def label_width_test(width_px: int) -> str:
    """The Vega expression true while the chart's axis width uses the layout for ``width_px``."""
    i = LABEL_WIDTHS.index(width_px)
    lower = f"width >= {width_px}" if i else "true"
    upper = f" && width < {LABEL_WIDTHS[i + 1]}" if i + 1 < len(LABEL_WIDTHS) else ""
    return lower + upper


def dot_labels(
    frame: pd.DataFrame,
    deadline: str,
    title: str,
    kind: str,
    *,
    start: object = None,
    width_px: int = 560,
    char_px: float = 5.6,
) -> pd.DataFrame:
    """The timeline's dots by date with a short label each and ``_dy``: the label's offset from its dot
    (one of :data:`LABEL_LANES`), or None to leave it out (the dot's tooltip still names the call).

    Each label takes the first line of its row (near above, near below, far above, far below) where it
    clears the last label on that line, at ``width_px`` for the date axis (from ``start``, the chart's
    today line, or the first dot) and ``char_px`` per character (10 px text). The axis is about 400 px
    in a window 1000 px wide with the sidebar open, 850 px at 1400, 250 px on a phone: the page lays the
    labels out for each of :data:`LABEL_WIDTHS` and shows the one that fits. Alternating sides left
    three calls of one week overlapping; a label with no room on any line is left out.
    """
    import pandas as pd  # only the chart pages need it

    ordered = frame.sort_values(deadline, kind="stable").reset_index(drop=True)
    labels = ordered[title].map(lambda t: t if len(t) <= 26 else t[:25] + "…")
    first = ordered[deadline].min() if start is None else min(pd.Timestamp(start), ordered[deadline].min())
    days = (ordered[deadline] - first).dt.total_seconds() / 86400
    px_per_day = width_px / max(float(days.max()) if len(days) else 0.0, 1.0)
    dy: list[int | None] = [None] * len(ordered)
    line_end: dict[tuple[object, int], float] = {}  # (row, lane) -> right end (px) of its last label
    for i, (row, day, label) in enumerate(zip(ordered[kind], days, labels, strict=True)):
        half = (len(label) * char_px + 6) / 2
        x = float(day) * px_per_day
        for lane in LABEL_LANES:
            if x - half > line_end.get((row, lane), -math.inf):
                line_end[(row, lane)] = x + half
                dy[i] = lane
                break
    return ordered.assign(_label=labels, _dy=pd.Series(dy, dtype=object))
