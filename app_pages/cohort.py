"""Mentor — cohort: every incubator NGO with its best current calls, deadlines across the cohort,
calls several NGOs fit (to compete for or apply together), calls that ask for partners, open funding by
priority area."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import common
from grantmatch import reports, services

TOP = None  # the NGO's best common.RANK_CAP eligible calls (the same cached ranking the Matches page uses)


def _names(profiles) -> dict[str, str]:
    return {p.id: p.name for p in profiles}


def _call_label(item, best: float | None) -> str:
    share = reports.relative_fit(item.match.score, best if best is not None else item.match.score)
    return f"{_title(item.call)} ({round(100 * share)}\u00a0%)"


def _deadline_text(day) -> str:
    if day is None:
        return "—"
    left = (day - common.today()).days
    return f"{common.fmt_date(day)} ({common.tr('mentor.days_left', n=left)})"


def _title(call) -> str:
    return reports.clean_text(call.title, 200)


def _cohort_section(rows, names) -> None:
    st.subheader(common.tr("mentor.cohort.table"))
    st.caption(common.tr(
        "mentor.cohort.table_help", pct=round(100 * reports.FIT_HIGH), score=round(100 * reports.SCORE_HIGH)
    ))
    data = []
    for row in rows:
        top = reports.best_score(row.best)
        best = [_call_label(r, top) for r in row.best] + [""] * (3 - len(row.best))
        data.append(
            {
                common.tr("mentor.col.ngo"): row.profile.name,
                common.tr("mentor.col.good"): row.n_good,
                common.tr("mentor.col.next_deadline"): _deadline_text(row.next_deadline),
                common.tr("mentor.col.next_call"): _title(row.next_call) if row.next_call else "",
                "1.": best[0],
                "2.": best[1],
                "3.": best[2],
                common.tr("mentor.col.matches"): f"{row.n_matches}+" if row.n_matches >= common.RANK_CAP
                else str(row.n_matches),
                common.tr("mentor.col.tracked"): row.n_tracked,
                common.tr("mentor.col.area"): reports.area_label(row.profile.priority_area, common.lang()),
            }
        )
    # What a mentor reads first (good matches, the next deadline and its call) comes first.
    wide = st.column_config.TextColumn(width="large")
    small = st.column_config.NumberColumn(width="small")
    ngo_col, deadline_col = common.tr("mentor.col.ngo"), common.tr("mentor.col.next_deadline")
    st.dataframe(
        pd.DataFrame(data),
        hide_index=True,
        width="stretch",
        height=38 + 35 * len(data),
        column_config={
            # Whole organisation names and deadlines (with the days left), whatever the language.
            ngo_col: st.column_config.TextColumn(width=common.fit_width([ngo_col, *(d[ngo_col] for d in data)]),
                                                 pinned=True),
            common.tr("mentor.col.good"): st.column_config.NumberColumn(width=130),
            common.tr("mentor.col.tracked"): small,
            deadline_col: st.column_config.TextColumn(
                width=common.fit_width([deadline_col, *(d[deadline_col] for d in data)], high=240)
            ),
            common.tr("mentor.col.next_call"): wide,
            "1.": wide,
            "2.": wide,
            "3.": wide,
        },
    )
    choice = common.choice(
        st.selectbox,
        common.tr("mentor.cohort.open_ngo"),
        options=[r.profile.id for r in rows],
        format_func=lambda pid: names.get(pid, pid),
        index=None,
        placeholder=common.tr("mentor.cohort.open_ngo_placeholder"),
        key="cohort_open_ngo",
    )
    if choice and st.button(common.tr("mentor.cohort.open_ngo_button"), key="cohort_open_ngo_go"):
        common.select_profile(choice)
        common.go("matches")


def _deadline_section(deadlines, names) -> None:
    st.subheader(common.tr("mentor.cohort.deadlines"))
    days = common.choice(
        st.segmented_control,
        common.tr("mentor.cohort.window"),
        [14, 30, 60, 90],
        default=30,
        format_func=lambda n: common.tr("mentor.cohort.days", n=n),
        key="cohort_window",
    )
    days = days or 30
    items = [d for d in deadlines if d.days_left <= days]
    if not items:
        st.info(common.tr("mentor.cohort.no_deadlines", n=days))
    else:
        data = [
            {
                common.tr("mentor.col.deadline"): common.fmt_date(d.deadline),
                common.tr("mentor.col.days"): d.days_left,
                common.tr("mentor.col.call"): _title(d.call),
                common.tr("mentor.col.ngos"): ", ".join(names.get(p, p) for p in d.profile_ids),
                common.tr("mentor.col.tracked_by"): ", ".join(names.get(p, p) for p in d.tracked_by),
            }
            for d in items
        ]
        st.dataframe(pd.DataFrame(data), hide_index=True, width="stretch")
    st.download_button(
        common.tr("mentor.cohort.ics"),
        reports.cohort_ics(deadlines, lang=common.lang(), names=names),
        file_name=reports.COHORT_ICS_FILE,
        mime="text/calendar",
        key="cohort_ics",
        disabled=not deadlines,
    )


def _shared_table(items, names, *, several: bool) -> pd.DataFrame:
    """The calls of a shared-calls section; for calls one NGO fits (``several`` False) without the
    count of NGOs and the partner mark, which would read 1 and ✔ on every row."""
    rows = []
    for s in items:
        row = {
            common.tr("mentor.col.call"): _title(s.call),
            common.tr("mentor.col.deadline"): common.fmt_date(s.call.deadline),
            common.tr("mentor.col.amount"): common.fmt_range(s.call.min_amount_eur, s.call.max_amount_eur),
            common.tr("mentor.col.n_ngos"): len(s.profile_ids),
            common.tr("mentor.col.ngos"): ", ".join(names.get(p, p) for p in s.profile_ids),
            common.tr("mentor.col.ngo_areas"): ", ".join(reports.area_label(a, common.lang()) for a in s.areas),
            common.tr("mentor.col.partners"): "✔" if s.mentions_partners else "",
        }
        if not several:
            del row[common.tr("mentor.col.n_ngos")], row[common.tr("mentor.col.partners")]
        rows.append(row)
    return pd.DataFrame(rows)


def _shared_section(profiles, ranked, names) -> None:
    for title, help_key, empty_key, items, several in (
        ("mentor.cohort.competing", "mentor.cohort.competing_help", "mentor.cohort.no_competing",
         reports.competing_calls(profiles, ranked, top=10), True),
        ("mentor.cohort.partners", "mentor.cohort.partners_help", "mentor.cohort.no_partners",
         reports.partner_calls(profiles, ranked, top=10), False),
    ):
        st.subheader(common.tr(title))
        st.caption(common.tr(help_key))
        if items:
            st.dataframe(
                _shared_table(items, names, several=several),
                hide_index=True,
                width="stretch",
                height=min(38 + 35 * len(items), 430),
                column_config={common.tr("mentor.col.call"): st.column_config.TextColumn(width="large")},
            )
        else:
            st.info(common.tr(empty_key))


def _funding_section(calls) -> None:
    st.subheader(common.tr("mentor.cohort.funding"))
    st.caption(common.tr("mentor.cohort.funding_help"))
    rows = reports.open_funding_by_area(calls, today=common.today())
    data = pd.DataFrame(
        [
            {
                "area": reports.area_label(r.area, common.lang()),
                "amount": r.amount_eur,
                "calls": r.calls,
                "with_amount": r.calls_with_amount,
                "amount_text": common.fmt_eur(r.amount_eur),
            }
            for r in rows
        ]
    )
    if not data["calls"].sum():
        st.info(common.tr("mentor.cohort.no_funding"))
        return
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(
                "amount:Q",
                title=common.tr("mentor.col.open_eur"),
                axis=alt.Axis(labelExpr="replace(format(datum.value, ',.0f'), /,/g, '\u00a0')"),
            ),
            y=alt.Y("area:N", sort="-x", title=None, axis=alt.Axis(labelLimit=320)),
            color=alt.Color("area:N", legend=None),
            tooltip=[
                alt.Tooltip("area:N", title=common.tr("mentor.col.area")),
                alt.Tooltip("amount_text:N", title=common.tr("mentor.col.open_eur")),
                alt.Tooltip("calls:Q", title=common.tr("mentor.col.calls")),
                alt.Tooltip("with_amount:Q", title=common.tr("mentor.col.with_amount")),
            ],
        )
        .properties(height=60 + 40 * len(data))
    )
    st.altair_chart(chart, width="stretch")


def main() -> None:
    st.title(common.tr("mentor.cohort.title"))
    st.caption(common.tr("mentor.cohort.intro"))
    store = common.guarded(common.get_store, "app.db_error")
    profiles = services.list_profiles(store)
    if not profiles:
        st.info(common.tr("app.ngo.none"))
        return
    calls = common.guarded(common.get_calls, "app.db_error")
    if not calls:
        st.warning(common.tr("app.no_calls"))
        return
    names = _names(profiles)
    with st.spinner(common.tr("mentor.cohort.loading")):
        rankings = {
            p.id: common.guarded(lambda p=p: common.get_ranking(p, top=TOP), "app.matcher_error") for p in profiles
        }
    # without the calls each NGO marked "not relevant", as its Matches page shows them
    hidden = {p.id: services.not_relevant(services.feedback(store, p.id)) for p in profiles}
    ranked = {
        pid: services.without_not_relevant(store, pid, r, today=common.today(), hidden=hidden[pid])
        for pid, r in rankings.items()
    }
    tracked = services.active_tracked_calls(store, calls)
    # the deadlines of the Calendar page's whole-cohort view at its default top (the same .ics)
    deadlines = services.calendar_deadlines(store, rankings, calls, today=common.today(), hidden=hidden)

    rows = reports.cohort_table(profiles, ranked, top=3, tracked=tracked, today=common.today())
    upcoming = [d for d in deadlines if d.days_left <= 30]
    open_calls = sum(1 for c in calls.values() if c.deadline is None or c.deadline >= common.today())
    a, b, c, d = st.columns(4)
    a.metric(common.tr("mentor.cohort.m_ngos"), len(profiles))
    b.metric(common.tr("mentor.cohort.m_open"), open_calls)
    c.metric(common.tr("mentor.cohort.m_deadlines"), len(upcoming))
    d.metric(common.tr("mentor.cohort.m_without"), sum(1 for r in rows if not r.n_matches))

    _cohort_section(rows, names)
    _deadline_section(deadlines, names)
    _shared_section(profiles, ranked, names)
    _funding_section(list(calls.values()))


main()
