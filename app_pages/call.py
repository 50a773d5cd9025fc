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
        _fact_row("common.source", common.source_label(call.source)),
        _fact_row("common.amount", common.fmt_range(call.min_amount_eur, call.max_amount_eur)),
        _fact_row("call.total_budget", common.fmt_eur(call.total_budget_eur) if call.total_budget_eur else ""),
        _fact_row("call.cofinancing", f"{call.cofinancing_pct:g} %" if call.cofinancing_pct is not None else ""),
        _fact_row("call.open_date", common.fmt_date(call.open_date) if call.open_date else ""),
        _fact_row("common.deadline", common.deadline_label(call)),
        _fact_row("call.deadline_text", call.deadline_text),
        _fact_row("call.applicants", ", ".join(common.applicant_label(a) for a in call.eligible_applicants)),
        _fact_row("call.geography", ", ".join(common.place_label(g) for g in call.geography)),
        _fact_row("common.area", ", ".join(common.area_label(a) for a in call.priority_areas)),
        _fact_row("common.language", common.language_label(call.language) if call.language else ""),
    ]
    st.markdown("  \n".join(lines))


def _feedback(profile_id: str, call_id: str, relevant: bool | None) -> None:
    services.set_feedback(common.get_store(), profile_id, call_id, relevant)
    st.session_state["_call_toast"] = "matches.feedback_saved"


def _track(profile_id: str, call_id: str) -> None:
    services.track(common.get_store(), profile_id, call_id)
    st.session_state["_call_toast"] = "matches.tracked_ok"


def _actions(store, call, profile) -> None:
    """What a coordinator does with a call they have just read: open the source, track it, mark it,
    start a draft (the same actions as on a card of the Matches page)."""
    toast = st.session_state.pop("_call_toast", None)
    if toast:
        st.toast(tr(toast))
    # one row of controls at their own widths, wrapping when narrow (as on the Matches page's cards)
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        common.link_button(tr("common.open_source"), call.url, key="call_source")
        if profile is None:
            return
        cid = call.id
        if cid in services.tracked_ids(store, profile.id):
            st.button(tr("common.tracked"), key="call_track", disabled=True)
        else:
            st.button(tr("common.track"), key="call_track", on_click=_track, args=(profile.id, cid))
        mark = services.feedback(store, profile.id).get(cid)
        if mark is None:
            st.button(tr("matches.relevant"), key="call_rel", on_click=_feedback, args=(profile.id, cid, True))
            st.button(tr("matches.not_relevant"), key="call_irr", on_click=_feedback, args=(profile.id, cid, False))
        else:
            st.caption(tr("matches.marked_relevant" if mark else "matches.marked_not_relevant"), width="content")
            st.button(tr("matches.clear_feedback"), key="call_clear", on_click=_feedback, args=(profile.id, cid, None))
        if st.button(tr("call.draft"), key="call_draft"):
            st.session_state[common.CALL_KEY] = cid
            common.open_draft(None)


def _who(call) -> str:
    return call.funder or common.source_label(call.source)


def _picked() -> None:
    st.session_state[common.CALL_KEY] = st.session_state.get("call_pick")


def _pick_call() -> None:
    """No call chosen yet (the page was opened from the menu): offer the NGO's matches, best first
    (every call by title when no NGO is chosen)."""
    calls = common.guarded(common.get_calls, "app.db_error")
    if not calls:
        st.info(tr("app.no_calls"))
        return
    profile = common.current_profile()
    if profile is not None:
        ranked = common.guarded(lambda: common.get_ranking(profile), "app.matcher_error")
        options = [r.call.id for r in ranked]
    else:
        options = sorted(calls, key=lambda cid: calls[cid].title.casefold())
    st.info(tr("call.none"))
    common.choice(
        st.selectbox,
        tr("call.pick") if profile is not None else tr("call.pick_any"),
        options,
        index=None,
        format_func=lambda cid: f"{calls[cid].title[:150]} ({_who(calls[cid])})",
        placeholder=tr("call.pick_placeholder"),
        key="call_pick",
        on_change=_picked,
    )


def main() -> None:
    store = common.guarded(common.get_store, "app.db_error")
    call_id = st.session_state.get(common.CALL_KEY) or st.query_params.get(common.CALL_PARAM)
    if st.button(tr("call.back"), key="call_back"):
        common.go("matches")
    if not call_id:
        st.title(tr("call.title"))
        _pick_call()
        return
    call = services.get_call(store, call_id)
    if call is None:
        st.title(tr("call.title"))
        st.warning(common.safe_text(tr("call.not_found", id=str(call_id)[:200])))  # the id may come from a link
        return
    # The call of a link (/call?call=<id>) is the session's call from now on, and the link names the
    # call shown, so that a reload or a bookmark opens it again.
    st.session_state[common.CALL_KEY] = call.id
    common.keep_in_url(**{common.CALL_PARAM: call.id})

    title = call.title if len(call.title) <= 300 else call.title[:300].rstrip() + "…"
    st.header(common.safe_text(title), anchor=False)
    today = common.today()
    profile = common.current_profile()
    _actions(store, call, profile)

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
