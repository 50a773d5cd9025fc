"""Call detail: the full text (plain text only), every fact, the source link, change history,
similar calls and the other incubator NGOs it fits."""

from __future__ import annotations

from datetime import date

import streamlit as st

from app_pages import common
from app_pages.common import tr
from grantmatch import services

HISTORY_FIELDS = {
    "deadline": "common.deadline",
    "title": "common.title",
    "open_date": "call.open_date",
    "min_amount_eur": "common.amount",
    "max_amount_eur": "common.amount",
    "total_budget_eur": "call.total_budget",
    "cofinancing_pct": "call.cofinancing",
    "eligible_applicants": "call.applicants",
    "geography": "call.geography",
    "url": "common.source",
}


def _history_value(field: str, value: str | None) -> str:
    if not value:
        return "—"
    if field in ("deadline", "open_date"):
        try:
            return common.fmt_date(date.fromisoformat(value[:10]))
        except ValueError:
            pass
    if field.endswith("_eur"):
        try:
            return common.fmt_eur(float(value))
        except ValueError:
            pass
    return value[:200]


def _fact_row(label_key: str, value: str) -> str:
    return f"**{tr(label_key)}:** {common.safe_text(value or tr('common.missing'))}"


def _facts(call) -> None:
    lines = [
        _fact_row("common.funder", call.funder or ""),
        _fact_row("call.programme", call.programme or ""),
        _fact_row("common.source", call.source),
        _fact_row("common.amount", common.fmt_range(call.min_amount_eur, call.max_amount_eur)),
        _fact_row("call.total_budget", common.fmt_eur(call.total_budget_eur) if call.total_budget_eur else ""),
        _fact_row("call.cofinancing", f"{call.cofinancing_pct:g} %" if call.cofinancing_pct is not None else ""),
        _fact_row("call.open_date", common.fmt_date(call.open_date) if call.open_date else ""),
        _fact_row("common.deadline", common.deadline_label(call)),
        _fact_row("call.deadline_text", call.deadline_text),
        _fact_row("call.applicants", ", ".join(common.applicant_label(a) for a in call.eligible_applicants)),
        _fact_row("call.geography", ", ".join(common.place_label(g) for g in call.geography)),
        _fact_row("common.area", ", ".join(common.area_label(a) for a in call.priority_areas)),
        _fact_row("common.language", call.language),
    ]
    st.markdown("  \n".join(lines))


def main() -> None:
    store = common.guarded(common.get_store, "app.db_error")
    call_id = st.session_state.get(common.CALL_KEY) or st.query_params.get("call")
    if st.button(tr("call.back"), key="call_back"):
        st.switch_page(common.PAGE_FILES["matches"])
    if not call_id:
        st.title(tr("call.title"))
        st.info(tr("call.none"))
        return
    call = services.get_call(store, call_id)
    if call is None:
        st.title(tr("call.title"))
        st.warning(tr("call.not_found", id=str(call_id)[:200]))
        return

    st.header(common.safe_text(call.title[:500]), anchor=False)
    common.link_button(tr("common.open_source"), call.url, key="call_source")
    today = common.today()
    profile = common.current_profile()

    left, right = st.columns([3, 2])
    with left:
        st.subheader(tr("call.text"), anchor=False)
        if call.summary:
            common.long_text(call.summary, name=f"{call.id}.txt", key="call_text_download")
        else:
            st.info(tr("call.no_text"))
    with right:
        st.subheader(tr("call.facts"), anchor=False)
        _facts(call)
        meta = services.call_meta(store).get(call.id) or {}
        if meta.get("first_seen"):
            st.caption(f"{tr('call.first_seen')}: {common.fmt_date(meta['first_seen'].date())}")
        for url in meta.get("also_at") or []:
            common.link_button(f"{tr('call.also_at')}: {common.safe_text(str(url)[:80])}", url, key=f"also_{url}")
        if profile is not None:
            st.subheader(tr("call.eligibility", name=profile.name), anchor=False)
            facts = services.eligibility(profile, call, today)
            st.markdown(common.fact_lines(facts, call, profile, today))

    st.subheader(tr("call.history"), anchor=False)
    history = services.call_history(store, call.id)
    if not history:
        st.caption(tr("call.no_history"))
    for change in history:
        st.markdown(
            "- "
            + common.safe_text(
                tr(
                    "call.history.row",
                    when=common.fmt_date(change["changed_at"].date()),
                    field=tr(HISTORY_FIELDS.get(change["field"], "")) if change["field"] in HISTORY_FIELDS
                    else change["field"],
                    old=_history_value(change["field"], change["old"]),
                    new=_history_value(change["field"], change["new"]),
                )
            )
        )

    similar_col, fits_col = st.columns(2)
    with similar_col:
        st.subheader(tr("call.similar"), anchor=False)
        try:
            similar = services.similar_calls(common.get_matcher(), common.get_calls(), call.id, today=today)
        except Exception:  # noqa: BLE001 - the detail stays useful without neighbours
            similar = []
        if not similar:
            st.caption(tr("call.no_similar"))
        for other, _sim in similar:
            # Button labels render markdown: the scraped title is escaped.
            label = common.safe_text(f"{other.title[:90]} · {common.deadline_label(other, today)}")
            if st.button(label, key=f"sim_{other.id}"):
                common.open_call(other.id)
    with fits_col:
        st.subheader(tr("call.fits_others"), anchor=False)
        others = [p for p in common.profiles() if profile is None or p.id != profile.id]
        try:
            rankings = {p.id: common.get_ranking(p, top=20) for p in others}
        except Exception:  # noqa: BLE001
            rankings = {}
        names = {p.id: p.name for p in others}
        fits = services.profiles_fitting(rankings, call.id, top=20)
        if not fits:
            st.caption(tr("call.fits_none"))
        for pid, rank, _score in fits:
            st.markdown("- " + common.safe_text(tr("call.fits_row", name=names[pid], rank=rank)))


main()
