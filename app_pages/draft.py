"""Draft a proposal: a pre-filled outline in the funder's structure, edited here and autosaved with
versions; exports to DOCX and Markdown.

UI only: reads widgets, calls the drafting services (re-exported by ``grantmatch.services``) and renders;
the budget, label and export helpers it uses are pure functions of the draft content. Call text is
untrusted: it is shown with ``st.text`` / text areas, or escaped (``safe_text``) where a widget label renders markdown.
"""

from __future__ import annotations

import io
import math
from typing import Any

import pandas as pd
import streamlit as st

from app_pages import common
from app_pages.common import safe_text, tr
from grantmatch import i18n, services
from grantmatch.drafting.budget import BudgetError, BudgetLine
from grantmatch.drafting.export import to_docx, to_markdown
from grantmatch.drafting.labels import dates_in_text, fmt_money, fmt_pct, label
from grantmatch.drafting.outline import budget_flag_messages, draft_budget

DRAFT_KEY = common.DRAFT_KEY
REV_KEY = "draft_rev"  # bumped after a restore so widgets forget their old values
LEVELS = ("goal", "objective", "output", "activity")

lang = common.lang()
st.title(tr("draft.page.title"))
profile = common.require_profile()
store = common.get_store()
if deleted := st.session_state.pop("_draft_deleted", None):
    st.success(tr("draft.page.deleted", title=safe_text(deleted[:200])))


def _clean(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _new_draft_form() -> None:
    calls = common.get_calls()
    try:
        ranked = [r.call.id for r in common.get_ranking(profile, top=30)]
    except Exception:  # noqa: BLE001 - the matcher failing must not block drafting
        ranked = []
    preset = st.session_state.get(common.CALL_KEY)
    options = ([preset] if preset in calls else []) + [c for c in ranked if c != preset]
    if not options:
        day = common.today()
        options = sorted((c.id for c in calls.values() if c.status(day) != "closed"), key=lambda i: calls[i].title)
    if not options:
        st.info(tr("draft.page.no_calls"))
        return
    # Keyed choices, not a form: a form sends its choices only with the button, so a language switch
    # before it (a rerun) redrew the three boxes at their defaults; ``common.choice`` keeps each one.
    call_id = common.choice(
        st.selectbox, tr("draft.page.call"), options, key="draft_new_call",
        format_func=lambda i: f"{calls[i].title} ({calls[i].funder or calls[i].source})",
    )  # fmt: skip
    titles = {code: dict(services.template_choices(lang=code)) for code in i18n.LANGUAGES}  # a title per language
    template = common.choice(
        st.selectbox, tr("draft.page.template"), ["auto", *titles[common.lang()]], key="draft_new_template",
        format_func=common.labeller(fn=lambda n, code: i18n.t("draft.page.template_auto", code) if n == "auto"
                                    else titles[code][n]),
    )  # fmt: skip
    draft_lang = common.choice(
        st.selectbox, tr("draft.page.language"), ["auto", "lv", "en"], key="draft_new_lang",
        format_func=common.labeller("draft.page.lang_"),
    )  # fmt: skip
    if st.button(tr("draft.page.create"), type="primary", key="draft_new_create"):
        try:
            rec = services.create_draft(
                store, profile.id, call_id,
                template=None if template == "auto" else template,
                lang=None if draft_lang == "auto" else draft_lang,
                today=common.today(),
            )  # fmt: skip
        except (services.DraftError, services.TemplateError) as exc:
            st.error(tr("draft.page.error", error=str(exc)))
            return
        st.session_state[DRAFT_KEY] = rec["id"]
        st.rerun()


# --------------------------------------------------------------------------- pick a draft

mine = services.list_drafts(store, profile_id=profile.id)  # newest first
ids = [d["id"] for d in mine]
NEW = common.NEW_DRAFT
current = st.session_state.get(DRAFT_KEY)
if not st.session_state.get("_draft_url_read"):
    # a reload, a new tab or a bookmark of an open draft (the link names it: ?draft=<id>); a link to
    # somebody else's (or a deleted) draft opens "New draft"
    st.session_state["_draft_url_read"] = True
    raw = str(st.query_params.get(common.DRAFT_PARAM) or "")
    if raw:
        current = int(raw) if raw.isdigit() and int(raw) in ids else NEW
if current is None or (current != NEW and current not in ids):
    # first visit, or another NGO picked: a returning user finds their latest work ("New draft" is one pick away)
    current = ids[0] if ids else NEW
picked = st.selectbox(
    tr("draft.page.pick"),
    [NEW, *ids],
    index=0 if current == NEW else ids.index(current) + 1,
    format_func=lambda i: tr("draft.page.new")
    if i == NEW
    else tr("draft.page.draft_item", title=next(d["title"] for d in mine if d["id"] == i),
            created=i18n.fmt_date(next(d["created_at"] for d in mine if d["id"] == i).date(), lang)),
)  # fmt: skip (no version in the label: it is drawn before this run's autosave, and would lag by one)
common.keep_in_url(**{common.DRAFT_PARAM: None if picked == NEW else str(picked)})
if picked == NEW:
    st.session_state[DRAFT_KEY] = NEW  # kept: the next run must not jump back to the latest draft
    _new_draft_form()
    st.stop()
st.session_state[DRAFT_KEY] = picked
draft_id = int(picked)
record = services.load_draft(store, draft_id)
content: dict[str, Any] = record["content"]
dlang = content.get("lang", lang)
rev = st.session_state.get(REV_KEY, 0)
k = f"d{draft_id}r{rev}_"

call = content.get("call", {})
st.subheader(tr("draft.page.for_call"))
st.markdown(f"**{safe_text(str(call.get('title', ''))[:300])}**  \n{safe_text(str(call.get('funder') or '')[:200])}")
if call.get("url"):
    common.link_button(tr("common.open_source"), call.get("url"), key="draft_call_source")
# filled after the autosave below, so that it names the version this run saved, not the one before it
meta_slot = st.empty()

# --------------------------------------------------------------------------- checklist and facts

st.header(label("checklist", dlang))
checklist = []
for i, item in enumerate(content.get("checklist", [])):
    done = st.checkbox(safe_text(item.get("text", "")), value=bool(item.get("done")), key=f"{k}check{i}")
    checklist.append({**item, "done": done})

st.header(label("eligibility", dlang))
facts = content.get("eligibility", [])
if facts:
    # The facts were written in the draft's language when it was made; ISO dates are shown as dates.
    st.text(
        "\n".join(
            f"{common.fact_icon(f.get('outcome'))} {i18n.t('fact.' + str(f.get('name')), dlang)} "
            f"({i18n.t('fact.' + str(f.get('outcome')), dlang)}): {dates_in_text(str(f.get('detail', '')), dlang)}"
            for f in facts
        )
    )
else:
    st.caption(label("no_facts", dlang))

# --------------------------------------------------------------------------- sections

sections = []
logframe = content.get("logframe", [])
budget = dict(content.get("budget", {}))
budget_error = None
for sec in content.get("sections", []):
    st.header(safe_text(sec.get("title", "")))
    if sec.get("guidance"):
        st.caption(safe_text(sec["guidance"]))
    text = st.text_area(
        safe_text(sec.get("title", "")), value=sec.get("text", ""), key=f"{k}sec_{sec['key']}",
        label_visibility="collapsed", height=160 if sec.get("kind") == "text" else 80,
    )  # fmt: skip
    sections.append({**sec, "text": text})
    if sec.get("kind") == "logframe":
        level_labels = {lv: label(lv, dlang) for lv in LEVELS}
        frame = pd.DataFrame(
            [{**r, "level": level_labels.get(r.get("level"), r.get("level", ""))} for r in logframe],
            columns=["level", "description", "indicators", "verification", "assumptions"],
        )
        edited = st.data_editor(
            frame, key=f"{k}logframe", num_rows="dynamic", width="stretch", hide_index=True,
            column_config={
                "level": st.column_config.SelectboxColumn(label("level", dlang), options=list(level_labels.values())),
                "description": st.column_config.TextColumn(label("description", dlang)),
                "indicators": st.column_config.TextColumn(label("indicators", dlang)),
                "verification": st.column_config.TextColumn(label("verification", dlang)),
                "assumptions": st.column_config.TextColumn(label("assumptions", dlang)),
            },
        )  # fmt: skip
        back = {v: key for key, v in level_labels.items()}
        logframe = [
            {c: _clean(row[c]) for c in frame.columns} | {"level": back.get(_clean(row["level"]), "output")}
            for row in edited.to_dict("records")
            if any(_clean(v) for v in row.values())
        ]
    elif sec.get("kind") == "budget":
        summary0 = draft_budget(content)
        frame = pd.DataFrame(
            [
                {**ln.to_dict(), "quantity": float(ln.quantity), "unit_cost": float(ln.unit_cost),
                 "line_total": float(t)}
                for ln, t in zip(summary0.lines, summary0.line_totals, strict=True)
            ],
            columns=["category", "description", "unit", "quantity", "unit_cost", "line_total"],
        )  # fmt: skip
        edited = st.data_editor(
            frame, key=f"{k}budget", num_rows="dynamic", width="stretch", hide_index=True,
            disabled=["line_total"],
            column_config={
                "category": st.column_config.TextColumn(label("category", dlang)),
                "description": st.column_config.TextColumn(label("description", dlang)),
                "unit": st.column_config.TextColumn(label("unit", dlang)),
                "quantity": st.column_config.NumberColumn(label("quantity", dlang), min_value=0, step=0.01),
                "unit_cost": st.column_config.NumberColumn(label("unit_cost", dlang), min_value=0, step=0.01,
                                                           format="%.2f"),
                "line_total": st.column_config.NumberColumn(label("line_total", dlang), format="%.2f"),
            },
        )  # fmt: skip
        try:
            lines = []
            for i, row in enumerate(edited.to_dict("records")):
                row = {c: row.get(c) for c in ("category", "description", "unit", "quantity", "unit_cost")}
                row = {c: (None if isinstance(v, float) and math.isnan(v) else v) for c, v in row.items()}
                if not any(_clean(v) for v in row.values()):
                    continue
                lines.append(BudgetLine.from_dict(row, i).to_dict())
            own_text = st.text_input(
                tr("draft.page.own_override"), value=_clean(budget.get("own_contribution")), key=f"{k}own"
            )
            budget = {"lines": lines, "own_contribution": own_text.strip() or None}
            probe = {**content, "budget": budget}
            s = draft_budget(probe)
            c1, c2, c3 = st.columns(3)
            c1.metric(label("total", dlang), fmt_money(s.total, dlang))
            c2.metric(label("grant", dlang), fmt_money(s.grant, dlang), f"{fmt_pct(s.grant_pct, dlang)} %",
                      delta_color="off")  # fmt: skip
            c3.metric(label("own", dlang), fmt_money(s.own, dlang), f"{fmt_pct(s.own_pct, dlang)} %",
                      delta_color="off")  # fmt: skip
            for msg in budget_flag_messages(probe, dlang):
                st.warning(msg)
        except BudgetError as exc:
            budget_error = str(exc)
            st.error(tr("draft.page.budget_error", error=budget_error))
            budget = dict(content.get("budget", {}))

# --------------------------------------------------------------------------- autosave

new_content = {**content, "checklist": checklist, "sections": sections, "logframe": logframe, "budget": budget}
version, saved = services.save_draft(store, draft_id, new_content)
if saved:
    st.toast(tr("draft.page.saved", version=version))
meta_slot.caption(tr("draft.page.meta", template=content.get("template_title", ""), version=version,
                     language=common.language_label(dlang)))  # fmt: skip
st.caption(tr("draft.page.autosaved", version=version))

# --------------------------------------------------------------------------- versions and export

st.header(tr("draft.page.versions"))
versions = services.draft_versions(store, draft_id)
pick = common.choice(
    st.selectbox, tr("draft.page.version"), [v["version"] for v in versions], key=f"{k}version",
    format_func=lambda n: tr("draft.page.version_item", version=n, saved=i18n.fmt_datetime(next(
        v["saved_at"] for v in versions if v["version"] == n), lang)),
)  # fmt: skip
if st.button(tr("draft.page.restore"), key=f"{k}restore", disabled=pick == version):
    restored = services.restore_version(store, draft_id, pick)
    st.session_state[REV_KEY] = rev + 1
    st.session_state["draft_restored"] = (pick, restored)
    st.rerun()
if "draft_restored" in st.session_state:
    old, new = st.session_state.pop("draft_restored")
    st.success(tr("draft.page.restored", old=old, new=new))

st.header(tr("draft.page.export"))
safe_name = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in f"{profile.id}-{call.get('id', '')}")[:80]
buf = io.BytesIO()
to_docx(new_content).save(buf)
c1, c2 = st.columns(2)
c1.download_button(tr("draft.page.download_docx"), buf.getvalue(), file_name=f"{safe_name}.docx",
                   mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                   key=f"{k}docx")  # fmt: skip
c2.download_button(tr("draft.page.download_md"), to_markdown(new_content).encode("utf-8"),
                   file_name=f"{safe_name}.md", mime="text/markdown", key=f"{k}md")  # fmt: skip

with st.expander(tr("draft.page.delete")):
    sure = st.checkbox(tr("draft.page.delete_confirm"), key=f"{k}delete_sure")
    if st.button(tr("draft.page.delete_button"), key=f"{k}delete", disabled=not sure):
        services.delete_draft(store, draft_id)
        st.session_state.pop(DRAFT_KEY, None)  # the page opens the NGO's newest remaining draft, or "New draft"
        st.session_state["_draft_deleted"] = record.get("title") or call.get("title") or str(draft_id)
        st.rerun()
