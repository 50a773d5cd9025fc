"""Mentor — consultation brief for one NGO: new matches since the last consultation, deadlines in
the next 30/60 days, pipeline status and earlier notes; DOCX and Markdown downloads; a form to record
that a consultation was held."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time

import pandas as pd
import streamlit as st

from app_pages import common
from grantmatch import i18n, reports, services

RANK_TOP = 50
_DONE_KEY = "brief_recorded"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "ngo"


# Fixed widths (px) so that a long call title does not push the rest out of sight.
_WIDTHS = {
    "mentor.col.call": 300,
    "mentor.col.why": 260,
    "mentor.col.funder": 180,
    "mentor.col.amount": 150,
    "mentor.col.deadline": 170,
    "mentor.col.days": 90,
    "mentor.col.stage": 110,
    "mentor.col.requested": 120,
    "mentor.col.awarded": 120,
    "mentor.col.held": 110,
}


# A deadline list (date, days left, call, why listed) has room for the call's title; its date has no
# "(7 days left)" after it, as a match table's deadline has.
_DEADLINE_LIST_WIDTHS = {"mentor.col.deadline": 110, "mentor.col.call": 520}


def _widths(head: list[str]) -> dict:
    widths = dict(_WIDTHS)
    if common.tr("mentor.col.days") in head:
        widths.update(_DEADLINE_LIST_WIDTHS)
    by_label = {common.tr(key): width for key, width in widths.items()}
    return {h: st.column_config.TextColumn(width=by_label[h]) for h in head if h in by_label}


def _why_first(frame: pd.DataFrame) -> pd.DataFrame:
    """The reason a call matches, then its deadline, right after its title: in the documents' order
    (funder, amount, deadline, reason) the deadline and the reason were off screen at 1400 px. The
    funder, least needed in a consultation, goes last. (The downloads keep the documents' order.)"""
    first = [common.tr("mentor.col.why"), common.tr("mentor.col.deadline"), common.tr("mentor.col.amount")]
    if frame.columns[0] in first or not all(c in frame.columns for c in first):
        return frame
    return frame[[frame.columns[0], *first, *(c for c in frame.columns[1:] if c not in first)]]


def _render(brief: reports.Brief) -> None:
    for heading, head, rows, empty in reports.brief_sections(brief, common.lang()):
        st.markdown(f"#### {common.safe_text(heading)}")
        if not rows:
            st.caption(empty)
        elif head:
            frame = pd.DataFrame([[reports.clean_text(c, 300) for c in row] for row in rows], columns=head)
            st.dataframe(_why_first(frame), hide_index=True, width="stretch", column_config=_widths(head))
        else:
            for label, value in rows:
                st.markdown(f"**{common.safe_text(label)}:** {common.safe_text(reports.clean_text(value, 1000))}")


def _record_form(store, profile) -> None:
    st.subheader(common.tr("mentor.brief.record"))
    with st.form("brief_record_form", clear_on_submit=True):
        # keyed: a language switch changes the labels, and must not lose what is being written
        held = st.date_input(common.tr("mentor.brief.held_on"), value=common.today(), key="brief_held",
                             format=i18n.date_pattern(common.lang(), "picker"))
        notes = st.text_area(common.tr("mentor.brief.notes_input"), max_chars=5000, key="brief_notes")
        submitted = st.form_submit_button(common.tr("mentor.brief.record_button"), type="primary")
    if submitted:
        now = datetime.now(UTC)
        held_at = now if held == now.date() else datetime.combine(held, time(12, 0), tzinfo=UTC)
        try:
            services.add_consultation(store, profile.id, notes=notes, held_at=held_at)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            st.error(common.tr("mentor.brief.record_failed", error=str(exc)[:300]))
            return
        st.session_state[_DONE_KEY] = common.fmt_date(held)
        st.rerun()


def main() -> None:
    st.title(common.tr("mentor.brief.title"))
    store = common.guarded(common.get_store, "app.db_error")
    profile = common.require_profile()
    st.header(common.safe_text(profile.name))
    done = st.session_state.pop(_DONE_KEY, None)
    if done:
        st.success(common.tr("mentor.brief.recorded", date=done))

    calls = common.guarded(common.get_calls, "app.db_error")
    if calls:
        ranked = common.guarded(lambda: common.get_ranking(profile, top=RANK_TOP), "app.matcher_error")
    else:
        st.warning(common.tr("app.no_calls"))
        ranked = []
    brief = services.consultation_brief(store, profile, today=common.today(), ranked=ranked, calls=calls)
    if brief.since is None:
        st.caption(common.tr("mentor.brief.since_never"))
    else:
        st.caption(common.tr("mentor.brief.since", date=common.fmt_date(brief.since.date())))

    name = f"konsultacija-{_slug(profile.id)}-{common.today().isoformat()}"
    left, right = st.columns(2)
    left.download_button(
        common.tr("mentor.brief.download_docx"),
        reports.brief_docx(brief, common.lang()),
        file_name=f"{name}.docx",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        key="brief_docx",
        type="primary",
    )
    right.download_button(
        common.tr("mentor.brief.download_md"),
        reports.brief_markdown(brief, common.lang()).encode("utf-8"),
        file_name=f"{name}.md",
        mime="text/markdown",
        key="brief_md",
    )
    _render(brief)
    st.divider()
    _record_form(store, profile)


main()
