"""Sources: the scrape health table (last run, counts, failures), so nobody mistakes a broken scraper
for a quiet week. Failing sources are listed in a red box at the top of the page."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import Any

import pandas as pd
import streamlit as st

from app_pages import common
from grantmatch import i18n, reports, services

ICONS = {"failing": "🔴", "low": "🟠", "stale": "🟡", "never": "⚪", "ok": "🟢"}


def _when(value: datetime | date | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return i18n.fmt_datetime(value, common.lang())
    return common.fmt_date(value)


def _state(state: str) -> str:
    return f"{ICONS[state]} {common.tr(f'mentor.sources.state.{state}')}"


def _count(value: Any) -> str:
    if value is None:
        return "—"
    return f"{float(value):.0f}" if isinstance(value, float) else str(value)


def main() -> None:
    st.title(common.tr("mentor.sources.title"))
    st.caption(common.tr("mentor.sources.intro"))
    store = common.guarded(common.get_store, "app.db_error")
    calls = common.guarded(common.get_calls, "app.db_error")
    rows = common.guarded(lambda: services.source_health(store, common.today()), "mentor.sources.health_error")
    if not rows:
        st.warning(common.tr("mentor.sources.no_runs"))
        return

    failing = [h for h in rows if h.state == "failing"]
    low = [h for h in rows if h.state == "low"]
    stale = [h for h in rows if h.state == "stale"]
    if failing:
        lines = [common.tr("mentor.sources.failing_head", n=len(failing))]
        for h in failing:
            lines.append(
                "- **"
                + common.safe_text(h.source)
                + "** — "
                + common.safe_text(common.tr("mentor.sources.failing_since", date=_when(h.failing_since)))
            )
        st.error("\n".join(lines), icon="🚨")
    if low:
        names = ", ".join(common.safe_text(h.source) for h in low)
        st.warning(common.tr("mentor.sources.low_head", sources=names), icon="⚠️")
    if stale:
        names = ", ".join(common.safe_text(h.source) for h in stale)
        st.warning(common.tr("mentor.sources.stale_head", sources=names), icon="⏳")
    working = [h for h in rows if h.state == "ok"]
    never = [h for h in rows if h.state == "never"]
    if not working and not (failing or low or stale):
        st.warning(common.tr("mentor.sources.none_run"), icon="⚪")
    elif not (failing or low or stale):
        st.success(common.tr("mentor.sources.all_ok"), icon="✅")
    if never and working:
        names = ", ".join(common.safe_text(h.source) for h in never)
        st.info(common.tr("mentor.sources.never_head", sources=names))

    titles = common.source_names()
    counts = Counter(h.state for h in rows)
    cols = st.columns(4)
    cols[0].metric(common.tr("mentor.sources.m_sources"), len(rows))
    cols[1].metric(common.tr("mentor.sources.m_failing"), counts["failing"])
    cols[2].metric(common.tr("mentor.sources.m_low"), counts["low"] + counts["stale"])
    cols[3].metric(common.tr("mentor.sources.m_calls"), len(calls))

    table = pd.DataFrame(
        [
            {
                common.tr("mentor.sources.col.state"): _state(h.state),
                common.tr("mentor.col.source"): h.source,
                common.tr("mentor.sources.col.name"): titles.get(h.source, ""),
                common.tr("mentor.sources.col.last_run"): _when(h.last_run),
                common.tr("mentor.sources.col.last_success"): _when(h.last_success),
                common.tr("mentor.sources.col.last_count"): _count(h.last_count),
                common.tr("mentor.sources.col.usual"): _count(h.usual_count),
                common.tr("mentor.sources.col.stored"): _count(h.calls_stored),
                common.tr("mentor.sources.col.failing_since"): _when(h.failing_since),
                common.tr("mentor.sources.col.error"): reports.clean_text(h.errors[0], 300) if h.errors else "",
            }
            for h in rows
        ]
    )
    st.dataframe(table, hide_index=True, width="stretch", height=38 + 35 * len(table))  # every source, no scrolling
    st.caption(common.tr("mentor.sources.legend"))

    for h in failing:
        with st.expander(common.tr("mentor.sources.errors_of", source=common.safe_text(h.source)), expanded=True):
            if h.errors:
                st.code("\n".join(h.errors), language=None, wrap_lines=True)
            else:
                st.caption(common.tr("mentor.sources.no_error_text"))


main()
