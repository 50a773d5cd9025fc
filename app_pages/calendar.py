"""Calendar: deadlines of tracked and top-matched calls on an Altair timeline, a 14-day warning list
and an ``.ics`` download for one NGO or the whole cohort."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import common
from app_pages.common import tr
from grantmatch import i18n, reports, services

WARN_DAYS = 14


def main() -> None:
    store = common.guarded(common.get_store, "app.db_error")
    st.title(tr("calendar.title"))
    st.caption(tr("calendar.intro"))
    profile = common.current_profile()
    c1, c2 = st.columns(2)
    scopes = ["ngo", "cohort"] if profile is not None else ["cohort"]
    scope = common.choice(
        c1.radio, tr("calendar.scope"), scopes, format_func=common.labeller("calendar.scope."), horizontal=True,
        key="cal_scope",
    )
    top = c2.slider(tr("calendar.top"), min_value=0, max_value=20, value=reports.DEADLINE_TOP, key="cal_top")
    everyone = common.profiles()
    if not everyone:
        st.info(tr("app.ngo.none"))
        return
    chosen = [profile] if scope == "ngo" and profile is not None else everyone
    names = {p.id: p.name for p in everyone}
    day = common.today()
    calls = common.guarded(common.get_calls, "app.db_error")
    rankings = common.guarded(  # top 0: only the tracked calls, no ranking needed
        lambda: {p.id: common.get_ranking(p) if top else [] for p in chosen}, "app.matcher_error"
    )
    # the Cohort page's calendar is this one at the default top
    items = services.calendar_deadlines(store, rankings, calls, today=day, top=top)
    if not items:
        st.info(tr("calendar.empty"))
        return

    lang = common.lang()
    rows = []
    for item in items:
        kind = tr("calendar.kind.tracked") if item.tracked_by else tr("calendar.kind.matched")
        rows.append(
            {
                tr("common.deadline"): pd.Timestamp(item.deadline),
                tr("common.title"): reports.clean_text(item.call.title, 120),
                tr("common.ngo"): ", ".join(names.get(pid, pid) for pid in item.profile_ids),
                tr("calendar.kind"): kind,
                "days": item.days_left,
                "call_id": item.call.id,
            }
        )
    frame = pd.DataFrame(rows)

    st.subheader(tr("calendar.warning"), anchor=False)
    soon = [i for i in items if i.days_left <= WARN_DAYS]
    if not soon:
        st.success(tr("calendar.no_warning"))
    for item in soon:
        who = ", ".join(names.get(pid, pid) for pid in item.profile_ids)
        left = tr("common.today") if item.days_left == 0 else common.trn("common.days_left", item.days_left)
        st.warning(
            common.safe_text(f"{common.fmt_date(item.deadline)} ({left}) — {item.call.title[:200]} · {who[:200]}"),
            icon="⏰",
        )

    st.subheader(tr("calendar.chart"), anchor=False)
    deadline, title, ngo, kind = tr("common.deadline"), tr("common.title"), tr("common.ngo"), tr("calendar.kind")
    day_format = i18n.date_pattern(lang, "d3")
    if scope == "cohort":
        # One row per organisation (a call several NGOs share is a dot on each of their rows): a row
        # per call named by all its NGOs at once could not be told apart once cut to the axis width.
        dots = pd.DataFrame(
            [
                {
                    deadline: pd.Timestamp(item.deadline),
                    title: reports.clean_text(item.call.title, 120),
                    ngo: names.get(pid, pid),
                    kind: tr("calendar.kind.tracked" if pid in item.tracked_by else "calendar.kind.matched"),
                }
                for item in items
                for pid in item.profile_ids
            ]
        )
        y = alt.Y(f"{ngo}:N", title=None, sort="ascending", axis=alt.Axis(labelLimit=360))
        rows_shown = dots[ngo].nunique()
    else:
        dots = frame
        y = alt.Y(f"{kind}:N", title=kind)
        rows_shown = 2
    chart = (
        alt.Chart(dots)
        .mark_circle(size=140, opacity=0.8)
        .encode(
            x=alt.X(f"{deadline}:T", title=deadline, axis=alt.Axis(format=day_format)),
            y=y,
            color=alt.Color(f"{kind}:N", title=kind, legend=alt.Legend(orient="bottom")),
            tooltip=[alt.Tooltip(f"{deadline}:T", format=day_format), title, ngo, kind],
        )
        # the height holds the axis and the legend too: one NGO's rows get about 95 px each, room for
        # the label lines above and below their dots (common.LABEL_LANES)
        .properties(height=max(220, 34 * rows_shown) if scope == "cohort" else 320)
    )
    today_rule = alt.Chart(pd.DataFrame({"x": [pd.Timestamp(day)]})).mark_rule(color="red").encode(x="x:T")
    layers = chart + today_rule
    if scope != "cohort" and len(frame) <= 30:  # one NGO: name each dot (the cohort view is too dense)
        for width_px in common.LABEL_WIDTHS:  # one layout per axis width; the chart shows the one that fits
            short = common.dot_labels(frame, deadline, title, kind, start=day, width_px=width_px)
            shown = alt.expr(f"({common.label_width_test(width_px)}) ? 1 : 0")
            for dy in common.LABEL_LANES:
                labels = (
                    alt.Chart(short[short["_dy"] == dy])
                    .mark_text(align="center", baseline="middle", dy=dy, fontSize=10, opacity=shown)
                    .encode(x=f"{deadline}:T", y=alt.Y(f"{kind}:N", title=kind), text="_label:N")
                )
                layers = layers + labels
    st.altair_chart(layers, width="stretch")

    st.subheader(tr("calendar.table"), anchor=False)
    table = frame.drop(columns=["call_id"]).rename(columns={"days": tr("mentor.col.days")})
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={deadline: st.column_config.DateColumn(deadline, format=i18n.date_pattern(lang, "moment"))},
    )

    if scope == "ngo" and profile is not None:
        data = reports.deadlines_ics(items, lang=lang, name=f"grantmatch — {profile.name}", names=names,
                                     scope=profile.id)
        file_name = f"grantmatch-{profile.id}.ics"
    else:
        data, file_name = reports.cohort_ics(items, lang=lang, names=names), reports.COHORT_ICS_FILE
    st.download_button(
        tr("calendar.ics"),
        data=data,
        file_name=file_name,
        mime="text/calendar",
        on_click="ignore",
        key="cal_ics",
    )


main()
