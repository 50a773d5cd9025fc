"""Profile: create and edit an NGO profile (every contract field), import and export JSON.

Saving re-ranks at once: the ranking cache is keyed by the profile's content.
"""

from __future__ import annotations

import streamlit as st

from app_pages import common
from app_pages.common import tr
from grantmatch import i18n, services
from grantmatch.models import PRIORITY_AREA_KEYS, ApplicantType, NgoProfile

LEGAL_FORMS = [None, *(a.value for a in ApplicantType)]
AREAS = [None, *PRIORITY_AREA_KEYS]


def _legal_label(code: str) -> object:
    def label(value: str | None) -> str:
        return i18n.t("profile.none_option", code) if value is None else i18n.t(f"applicant.{value}", code)

    return label


def _area_label(code: str) -> object:
    def label(value: str | None) -> str:
        return i18n.t("profile.none_option", code) if value is None else common.area_label(value, code)

    return label


def _form(profile: NgoProfile | None, new: bool) -> None:
    p = profile.to_dict() if profile is not None else {}
    suffix = "new" if new else f"edit_{p.get('id')}"
    code = common.lang()
    with st.form(f"profile_form_{suffix}"):
        pid = st.text_input(
            tr("profile.id"), value="" if new else p.get("id", ""), disabled=not new, key=f"pf_id_{suffix}"
        )
        name = st.text_input(tr("profile.name"), value=p.get("name", ""), key=f"pf_name_{suffix}")
        c1, c2 = st.columns(2)
        # A new organisation of the incubator is most likely a biedrība (association), as it is most likely
        # in Liepāja (below): the defaults a mentor changes least often.
        stated = p.get("legal_form") if p.get("legal_form") in LEGAL_FORMS else None
        legal_default = ApplicantType.ASSOCIATION.value if new else stated
        legal = common.choice(
            c1.selectbox,
            tr("profile.legal_form"),
            LEGAL_FORMS,
            default=legal_default,
            format_func=_legal_label(code),
            key=f"pf_legal_{suffix}",
        )
        area = common.choice(
            c2.selectbox,
            tr("profile.priority_area"),
            AREAS,
            default=p.get("priority_area") if p.get("priority_area") in AREAS else None,
            format_func=_area_label(code),
            key=f"pf_area_{suffix}",
        )
        c3, c4, c5 = st.columns(3)
        city = c3.text_input(tr("profile.city"), value=p.get("city", "Liepāja" if new else ""), key=f"pf_city_{suffix}")
        region = c4.text_input(
            tr("profile.region"), value=p.get("region", "Kurzeme" if new else ""), key=f"pf_region_{suffix}"
        )
        country = c5.text_input(
            tr("profile.country"), value=p.get("country", "LV" if new else ""), key=f"pf_country_{suffix}"
        )
        mission = st.text_area(tr("profile.mission"), value=p.get("mission", ""), key=f"pf_mission_{suffix}")
        c6, c7 = st.columns(2)
        activities = c6.text_area(
            tr("profile.activities"), value="\n".join(p.get("activities", [])), key=f"pf_act_{suffix}"
        )
        targets = c7.text_area(
            tr("profile.target_groups"), value="\n".join(p.get("target_groups", [])), key=f"pf_tg_{suffix}"
        )
        keywords = c6.text_area(tr("profile.keywords"), value="\n".join(p.get("keywords", [])), key=f"pf_kw_{suffix}")
        languages = c7.text_input(
            tr("profile.languages"), value=", ".join(p.get("languages", ["lv"] if new else [])), key=f"pf_lang_{suffix}"
        )
        budget_value = p.get("annual_budget_eur")
        budget = st.text_input(
            tr("profile.annual_budget"),
            value="" if budget_value is None else f"{budget_value:g}",
            key=f"pf_budget_{suffix}",
        )
        submitted = st.form_submit_button(tr("profile.save"), type="primary")
    if not submitted:
        return
    rec = {
        "id": pid if new else p.get("id"),
        "name": name,
        "legal_form": legal,
        "city": city,
        "region": region,
        "country": country,
        "priority_area": area,
        "mission": mission,
        "activities": services.split_lines(activities),
        "target_groups": services.split_lines(targets),
        "keywords": services.split_lines(keywords),
        "languages": services.split_lines(languages),
        "annual_budget_eur": budget,
    }
    try:
        saved = services.save_profile(common.get_store(), rec, new=new)
    except services.ProfileError as exc:
        st.error(tr(exc.key, **exc.params) if exc.key != "profile.invalid" else tr("profile.invalid", error=str(exc)))
        return
    common.select_profile(saved.id)
    st.session_state["_profile_saved"] = saved.name
    st.session_state["_profile_mode_next"] = "edit"
    st.rerun()


def _imported(stats: services.UpsertStats) -> None:
    """Report an import. One new profile is what the user meant to open: it becomes the NGO of the
    sidebar and of the form at once (a rerun, since both are drawn already); after several new ones
    the NGO stays as it was, and the message says which way it went."""
    message = tr("profile.imported", new=len(stats.new), changed=len(stats.changed), unchanged=stats.unchanged)
    if len(stats.new) != 1:
        st.success(message)
        return
    common.select_profile(stats.new[0])
    profile = services.get_profile(common.get_store(), stats.new[0])
    name = profile.name if profile is not None else stats.new[0]
    st.session_state["_profile_imported"] = f"{message} {tr('profile.imported_selected', name=name)}"
    st.session_state["_profile_mode_next"] = "edit"
    st.rerun()


def _import_export(profile: NgoProfile | None) -> None:
    left, right = st.columns(2)
    with left:
        st.subheader(tr("profile.import"), anchor=False)
        # Streamlit's own "Upload" / "200MB per file" cannot be translated: the label says what to do.
        upload = st.file_uploader(
            tr("profile.import_label"), type=["json", "jsonl"], help=tr("profile.import_help"), key="pf_upload"
        )
        if upload is not None and st.button(tr("profile.import_button"), key="pf_import"):
            try:
                text = upload.getvalue().decode("utf-8")
                stats = services.import_profiles_text(common.get_store(), text, name=upload.name)
            except UnicodeDecodeError:
                st.error(tr("profile.import_error", error=tr("profile.upload.not_utf8", name=upload.name)))
                st.caption(tr("profile.import_hint"))
            except services.InputFileError as exc:
                error = tr(exc.key, **exc.params) if isinstance(exc, services.KeyedError) else str(exc)
                st.error(tr("profile.import_error", error=error))
                st.caption(tr("profile.import_hint"))
            else:
                _imported(stats)
    with right:
        st.subheader(tr("profile.export"), anchor=False)
        if profile is not None:
            st.download_button(
                tr("profile.export"),
                services.profile_json(profile).encode("utf-8"),
                file_name=f"{profile.id}.json",
                mime="application/json",
                on_click="ignore",
                key="pf_export",
            )
        st.download_button(
            tr("profile.export_all"),
            services.profiles_jsonl(common.profiles()).encode("utf-8"),
            file_name="profiles.jsonl",
            mime="application/json",
            on_click="ignore",
            key="pf_export_all",
        )


def _delete(profile: NgoProfile) -> None:
    """Remove an organisation that left the incubator (or one made by mistake), behind a confirming tick."""
    with st.expander(tr("profile.delete")):
        st.caption(tr("profile.delete_help"))
        name = common.safe_text(profile.name)
        sure = st.checkbox(tr("profile.delete_confirm", name=name), key=f"pf_del_sure_{profile.id}")
        if st.button(tr("profile.delete_button"), key=f"pf_del_{profile.id}", disabled=not sure):
            services.delete_profile(common.get_store(), profile.id)
            st.session_state.pop(common.PROFILE_KEY, None)  # the sidebar falls back to the first NGO left
            st.session_state["_profile_deleted"] = profile.name
            st.rerun()


def main() -> None:
    common.guarded(common.get_store, "app.db_error")
    st.title(tr("profile.title"))
    st.caption(tr("profile.intro"))
    saved = st.session_state.pop("_profile_saved", None)
    if saved:
        st.success(tr("profile.saved", name=saved))
    deleted = st.session_state.pop("_profile_deleted", None)
    if deleted:
        st.success(tr("profile.deleted", name=common.safe_text(deleted)))
    imported = st.session_state.pop("_profile_imported", None)
    if imported:
        st.success(imported)
    profile = common.current_profile()
    modes = ["edit", "new"] if profile is not None else ["new"]
    if "_profile_mode_next" in st.session_state:  # a widget's key may change only before it is drawn
        st.session_state["_profile_mode"] = st.session_state.pop("_profile_mode_next")
    if st.session_state.get("_profile_mode") not in modes:
        st.session_state["_profile_mode"] = modes[0]
    mode = common.choice(
        st.radio,
        tr("profile.mode"),
        modes,
        format_func=common.labeller("profile.mode."),
        horizontal=True,
        key="_profile_mode",
    )
    _form(profile if mode == "edit" else None, new=mode == "new")
    st.divider()
    _import_export(profile)
    if profile is not None and mode == "edit":
        _delete(profile)


main()
