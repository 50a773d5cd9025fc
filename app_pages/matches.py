"""Matches ("Atbilstošās iespējas"): ranked open calls for the chosen NGO, as cards with filters,
feedback, tracking and CSV / XLSX export."""

from __future__ import annotations

import streamlit as st

from app_pages import common
from app_pages.common import tr
from grantmatch import i18n, reports, services
from grantmatch.models import PRIORITY_AREA_KEYS, Eligibility, NgoProfile

PAGE_SIZE = 10
WINDOWS = (0, 14, 30, 60, 90, 180)  # 0 = any (a None option would show Streamlit's own placeholder)


def _fit_help() -> str:
    return tr(
        "fit.help", high=round(100 * reports.FIT_HIGH), medium=round(100 * reports.FIT_MEDIUM),
        score_high=round(100 * reports.SCORE_HIGH), score_medium=round(100 * reports.SCORE_MEDIUM),
    )


def _feedback(profile_id: str, call_id: str, relevant: bool | None) -> None:
    services.set_feedback(common.get_store(), profile_id, call_id, relevant)
    hides = relevant is False and not st.session_state.get("mf_show_hidden")
    st.session_state["_matches_toast"] = "matches.hidden_ok" if hides else "matches.feedback_saved"


def _track(profile_id: str, call_id: str) -> None:
    services.track(common.get_store(), profile_id, call_id)
    st.session_state["_matches_toast"] = "matches.tracked_ok"


def _more() -> None:
    st.session_state["_matches_shown"] = st.session_state.get("_matches_shown", PAGE_SIZE) + PAGE_SIZE


def _window_label(days: int | None, code: str) -> str:
    return i18n.t("matches.filter.window.any", code) if not days else str(days)


def _language_label(code: str, lang_code: str) -> str:
    return common.language_label(code, lang_code)


def _filters(options: dict[str, list[str]], previous_visit, not_relevant: frozenset[str]) -> services.MatchFilters:
    with st.sidebar:
        st.subheader(tr("matches.filters"))
        areas = common.choice(
            st.multiselect,
            tr("matches.filter.area"),
            PRIORITY_AREA_KEYS,
            format_func=common.labeller("area."),
            placeholder=tr("matches.filter.any_area"),
            key="mf_area",
        )
        window = common.choice(
            st.selectbox,
            tr("matches.filter.window"),
            WINDOWS,
            format_func=common.labeller(fn=_window_label),
            key="mf_window",
        )
        rolling = st.checkbox(tr("matches.filter.include_rolling"), value=True, key="mf_rolling")
        min_amount = st.number_input(
            tr("matches.filter.min_amount"), min_value=0, value=0, step=1000, key="mf_amount"
        )
        sources = common.choice(
            st.multiselect,
            tr("matches.filter.source"),
            options["sources"],
            format_func=common.source_label,
            placeholder=tr("matches.filter.any_source"),
            key="mf_source",
        )
        languages = common.choice(
            st.multiselect,
            tr("matches.filter.language"),
            options["languages"],
            format_func=common.labeller(fn=_language_label),
            placeholder=tr("matches.filter.any_language"),
            key="mf_lang",
        )
        only_new = st.checkbox(tr("matches.filter.new"), key="mf_new")
        if previous_visit is None:
            st.caption(tr("matches.first_visit"))
        else:
            st.caption(tr("matches.last_visit", when=common.fmt_date(previous_visit.date())))
        sort = common.choice(
            st.radio,
            tr("matches.sort"),
            ("score", "deadline"),
            format_func=common.labeller("matches.sort."),
            horizontal=True,
            key="mf_sort",
        )
        show_hidden = st.checkbox(tr("matches.filter.show_hidden", n=len(not_relevant)), key="mf_show_hidden")
    return services.MatchFilters(
        areas=tuple(areas),
        within_days=window or None,
        include_rolling=rolling,
        min_amount=float(min_amount) or None,
        sources=tuple(sources),
        languages=tuple(languages),
        only_new=only_new,
        new_since=previous_visit,
        sort=sort,
        hidden=frozenset() if show_hidden else not_relevant,
    )


def _card(
    item: services.RankedCall,
    profile: NgoProfile,
    marks: dict[str, bool],
    tracked: set[str],
    new: bool,
    best: float | None,
) -> None:
    call, match = item.call, item.match
    cid = call.id
    profile_id = profile.id
    with st.container(border=True):
        head, score = st.columns([5, 1])
        badge = f" :green-badge[{tr('matches.new_badge')}]" if new else ""
        head.markdown(f"**{common.safe_text(call.title[:300])}**{badge}")
        source = common.source_label(call.source)
        funder = call.funder or ""
        # the source only when it adds something: "Latvijas Pilsoniskā alianse (nvo.lv)" repeats the funder
        parts = [funder] + ([source] if not funder or funder.casefold() not in source.casefold() else [])
        who = " · ".join(common.safe_text(v[:200]) for v in parts if v)
        head.caption(who)
        share, label = common.fit(match.score, best)
        score.progress(share, text=f"**{label}**")
        score.caption(tr("fit.share", pct=round(100 * share)), help=_fit_help())
        a, d, ar = st.columns(3)
        amount = common.fmt_range(call.min_amount_eur, call.max_amount_eur)
        a.markdown(f"**{tr('common.amount')}:** {common.safe_text(amount)}")
        d.markdown(f"**{tr('common.deadline')}:** {common.safe_text(common.deadline_label(call))}")
        areas = services.call_areas(item)
        area_text = ", ".join(common.area_label(x) for x in areas) or tr("area.none")
        ar.markdown(f"**{tr('common.area')}:** {common.safe_text(area_text)}")
        # a met deadline is the deadline shown above: the card lists the facts that need a look or say more
        facts = [f for f in match.facts if not (f.name == "deadline" and f.outcome == Eligibility.MET)]
        if facts:
            st.markdown(common.fact_lines(facts, call, profile))
        if match.terms:
            st.markdown(f"**{tr('matches.why')}:** " + common.safe_text(", ".join(reports.reason_terms(match.terms))))
        # a row that takes each control's own width and wraps when narrow: fixed columns cut the
        # checkbox's label ("Iekļaut ekspo…") at 1024 px and left the "marked" caption out of line
        row = st.container(horizontal=True, vertical_alignment="center", gap="small")
        if row.button(tr("common.details"), key=f"det_{cid}"):
            common.open_call(cid)
        mark = marks.get(cid)
        if mark is None:
            row.button(tr("matches.relevant"), key=f"rel_{cid}", on_click=_feedback, args=(profile_id, cid, True))
            row.button(
                tr("matches.not_relevant"), key=f"irr_{cid}", on_click=_feedback, args=(profile_id, cid, False)
            )
        else:
            row.caption(tr("matches.marked_relevant" if mark else "matches.marked_not_relevant"), width="content")
            row.button(tr("matches.clear_feedback"), key=f"clr_{cid}", on_click=_feedback, args=(profile_id, cid, None))
        if cid in tracked:
            row.button(tr("common.tracked"), key=f"trk_{cid}", disabled=True)
        else:
            row.button(tr("common.track"), key=f"trk_{cid}", on_click=_track, args=(profile_id, cid))
        row.checkbox(tr("matches.pick"), key=f"pick_{cid}")


def main() -> None:
    store = common.guarded(common.get_store, "app.db_error")
    st.title(tr("matches.title"))
    profile = common.require_profile()
    calls = common.guarded(common.get_calls, "app.db_error")
    if not calls:
        st.info(tr("app.no_calls"))
        st.stop()
    with st.spinner(tr("matches.loading")):  # the first ranking after a start or a scrape takes a moment
        ranked = common.guarded(lambda: common.get_ranking(profile), "app.matcher_error")

    toast = st.session_state.pop("_matches_toast", None)
    if toast:
        st.toast(tr(toast))

    # One visit per session and NGO: "new since last visit" compares with the visit before it.
    visited = st.session_state.setdefault("_matches_visited", {})
    if profile.id not in visited:
        visited[profile.id] = services.visit(store, profile.id)
    previous_visit = visited[profile.id]

    st.caption(tr("matches.intro", name=profile.name))
    marks = services.feedback(store, profile.id)
    filters = _filters(services.filter_options(ranked), previous_visit, services.not_relevant(marks))
    meta = services.call_meta(store) if (filters.only_new or previous_visit is not None) else {}
    shown = services.filter_ranked(ranked, filters, today=common.today(), meta=meta)

    if not ranked:
        st.info(tr("matches.none_at_all"))
        return
    capped = len(ranked) >= common.RANK_CAP
    st.write(tr("matches.count_capped" if capped else "matches.count", shown=len(shown), total=len(ranked)))
    if not shown:
        st.warning(tr("matches.none"))
        return

    best = reports.best_score(ranked)  # fit is relative to the NGO's best match, whatever the filters
    if best is not None and reports.fit_level(1.0, best) == "low":
        st.info(tr("matches.all_weak"))
    tracked = services.tracked_ids(store, profile.id)
    limit = st.session_state.get("_matches_shown", PAGE_SIZE)
    for item in shown[:limit]:
        new = previous_visit is not None and services.is_new(item.call.id, meta, previous_visit)
        _card(item, profile, marks, tracked, new, best)
    if len(shown) > limit:
        st.button(tr("matches.show_more"), on_click=_more, key="show_more")

    _export(shown, profile.id, best)


def _export(shown: list[services.RankedCall], profile_id: str, best: float | None) -> None:
    picked = [item for item in shown if st.session_state.get(f"pick_{item.call.id}")]
    items = picked or shown
    st.subheader(tr("matches.export"))
    if picked:
        st.caption(tr("matches.export.scope_picked", n=len(picked)))
    else:
        st.caption(tr("matches.export.scope_filtered", n=len(shown)))
    lang, day, names = common.lang(), common.today(), common.source_names()
    c1, c2 = st.columns(2)
    # Deferred: the file is built only when the button is pressed (10 000 rows take a moment).
    c1.download_button(
        tr("matches.export.csv"),
        data=lambda: reports.calls_csv(items, lang=lang, today=day, best=best, source_names=names),
        file_name=f"grantmatch-{profile_id}.csv",
        mime="text/csv",
        on_click="ignore",
        key="export_csv",
    )
    c2.download_button(
        tr("matches.export.xlsx"),
        data=lambda: reports.calls_xlsx(items, lang=lang, today=day, best=best, source_names=names),
        file_name=f"grantmatch-{profile_id}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        key="export_xlsx",
    )


main()
