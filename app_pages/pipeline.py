"""Pipeline: the NGO's tracked calls from interested to awarded / rejected / dropped, with notes,
amounts, a reason when closed, and the NGO's drafts for each call."""

from __future__ import annotations

import streamlit as st

from app_pages import common
from app_pages.common import tr
from grantmatch import services


def _untrack(profile_id: str, call_id: str) -> None:
    services.untrack(common.get_store(), profile_id, call_id)
    st.session_state["_pipeline_msg"] = "pipeline.untracked"


def _entry(entry: dict, profile_id: str) -> None:
    cid = entry["call_id"]
    call = entry["call"]
    stage = entry["stage"]
    with st.container(border=True):
        if call is None:
            st.warning(tr("pipeline.call_missing", id=cid[:200]))
        else:
            st.markdown(f"**{common.safe_text(call.title[:300])}** — {common.safe_text(common.stage_label(stage))}")
            st.caption(
                common.safe_text(
                    f"{call.funder or common.source_label(call.source)} · "
                    f"{tr('common.deadline')}: {common.deadline_label(call)} · "
                    f"{tr('common.amount')}: {common.fmt_range(call.min_amount_eur, call.max_amount_eur)}"
                )
            )
        for key, params in services.pipeline_warnings(entry, common.today()):
            shown = {k: common.fmt_date(v) if k == "deadline" else common.fmt_eur(v) for k, v in params.items()}
            st.warning(tr(key, **shown), icon="⚠️")
        with st.form(f"pl_form_{cid}"):
            c1, c2, c3 = st.columns(3)
            new_stage = common.choice(
                c1.selectbox,
                tr("pipeline.stage"),
                services.PIPELINE_STAGES,
                default=stage if stage in services.PIPELINE_STAGES else None,
                format_func=common.labeller("stage."),
                key=f"pl_stage_{cid}",
            )
            requested = c2.text_input(
                tr("pipeline.amount_requested"),
                value="" if entry.get("amount_requested") is None else f"{entry['amount_requested']:g}",
                key=f"pl_req_{cid}",
            )
            awarded = c3.text_input(
                tr("pipeline.amount_awarded"),
                value="" if entry.get("amount_awarded") is None else f"{entry['amount_awarded']:g}",
                key=f"pl_awd_{cid}",
            )
            notes = st.text_area(tr("pipeline.notes"), value=entry.get("notes") or "", key=f"pl_notes_{cid}")
            reason = st.text_input(tr("pipeline.reason"), value=entry.get("reason") or "", key=f"pl_reason_{cid}")
            saved = st.form_submit_button(tr("pipeline.save"))
        if saved:
            try:
                services.update_pipeline(
                    common.get_store(),
                    profile_id,
                    cid,
                    stage=new_stage,
                    notes=notes,
                    amount_requested=requested,
                    amount_awarded=awarded,
                    reason=reason,
                )
            except services.PipelineError as exc:
                params = dict(exc.params)
                if "stage" in params:
                    params["stage"] = common.stage_label(params["stage"])
                if "field" in params:
                    params["field"] = tr(f"pipeline.{params['field']}")
                st.error(tr("pipeline.error", error=tr(exc.key, **params)))
            else:
                st.session_state["_pipeline_msg"] = "pipeline.saved"
                st.rerun()
        drafts = entry.get("drafts") or []
        with st.expander(f"{tr('pipeline.drafts')} ({len(drafts)})"):
            if not drafts:
                st.caption(tr("pipeline.no_drafts"))
            for d in drafts:
                text, button = st.columns([5, 1], vertical_alignment="center")
                text.markdown(
                    common.safe_text(
                        tr(
                            "pipeline.draft_row",
                            title=(d.get("title") or d.get("template") or "")[:200],
                            version=d.get("version"),
                            when=common.fmt_date(d["updated_at"].date()) if d.get("updated_at") else "—",
                        )
                    )
                )
                if button.button(tr("pipeline.open_draft"), key=f"pl_open_draft_{d['id']}"):
                    common.open_draft(d["id"])
        b1, b2 = st.columns([1, 4])
        if call is not None and b1.button(tr("common.details"), key=f"pl_det_{cid}"):
            common.open_call(cid)
        b2.button(tr("pipeline.untrack"), key=f"pl_untrack_{cid}", on_click=_untrack, args=(profile_id, cid))


def main() -> None:
    store = common.guarded(common.get_store, "app.db_error")
    st.title(tr("pipeline.title"))
    profile = common.require_profile()
    st.caption(tr("pipeline.intro", name=profile.name))
    msg = st.session_state.pop("_pipeline_msg", None)
    if msg:
        st.success(tr(msg))
    entries = services.pipeline_entries(store, profile.id)
    if not entries:
        st.info(tr("pipeline.empty"))
        return
    if any(e.get("amount_requested") is not None or e.get("amount_awarded") is not None for e in entries):
        requested = sum(e.get("amount_requested") or 0 for e in entries)
        awarded = sum(e.get("amount_awarded") or 0 for e in entries)
        totals = {"requested": common.fmt_eur(requested), "awarded": common.fmt_eur(awarded)}
        st.write(common.trn("pipeline.summary", len(entries), **totals))
    else:  # "requested 0 €" read as a request of nothing
        st.write(common.trn("pipeline.summary_no_amounts", len(entries)))
    for stage in services.PIPELINE_STAGES:
        group = [e for e in entries if e["stage"] == stage]
        if not group:
            continue
        label = common.stage_label(stage)
        st.subheader(f"{label[:1].upper()}{label[1:]} ({len(group)})", anchor=False)
        for entry in group:
            _entry(entry, profile.id)


main()
