"""Calendar page: tracked and matched deadlines, the 14-day warnings, the .ics download."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pyarrow as pa
import pytest
from icalendar import Calendar

from grantmatch import reports, services

PROFILE = {"id": "p", "name": "Biedrība P", "legal_form": "association", "mission": "koncerti teātris"}
OTHER = {"id": "q", "name": "Biedrība Q", "legal_form": "association", "mission": "daba vide"}


def _call(cid: str, days: int, title: str) -> dict:
    return {
        "id": cid,
        "source": "t",
        "url": f"https://example.org/{cid}",
        "title": title,
        "summary": title,
        "eligible_applicants": ["association"],
        "deadline": (date(2027, 1, 15) + timedelta(days=days)).isoformat(),
    }


CALLS = [
    _call("soon", 5, "Koncerti un teātris drīz"),
    _call("later", 60, "Koncerti vēlāk"),
    _call("nature", 10, "Daba un vide"),
    _call("past", -3, "Koncerti pagājuši"),
]


def test_ngo_scope_warns_and_lists(custom_env, run_app):
    env = custom_env(profiles=[PROFILE, OTHER], calls=CALLS)
    services.open_store(env.url).track("p", "later")
    at = run_app("calendar", session={"profile_id": "p"})
    assert not at.exception
    warnings = [w.value.replace("\\", "") for w in at.warning]
    assert any("Koncerti un teātris drīz" in w and "atlikušas 5 d." in w for w in warnings)
    assert not any("vēlāk" in w for w in warnings)
    assert not any("pagājuši" in w for w in warnings)
    table = at.dataframe[0].value
    assert "Koncerti vēlāk" in set(table["Nosaukums"])
    assert "sekots" in set(table["Veids"])
    assert at.get("download_button")


def test_closed_pipeline_calls_are_no_deadlines(custom_env, run_app):
    """Awarded, rejected and dropped calls left the calendar neither as tracked nor as matched."""
    env = custom_env(profiles=[PROFILE, OTHER], calls=CALLS)
    store = services.open_store(env.url)
    for cid in ("soon", "later"):
        store.track("p", cid)
    services.update_pipeline(store, "p", "later", stage="awarded", amount_awarded="1000")
    services.update_pipeline(store, "p", "soon", stage="dropped", reason="Nav laika")
    at = run_app("calendar", session={"profile_id": "p"})
    assert not at.exception
    titles = set(at.dataframe[0].value["Nosaukums"]) if at.dataframe else set()  # no table: nothing left
    assert not titles & {"Koncerti vēlāk", "Koncerti un teātris drīz"}, titles
    assert not any("drīz" in w.value for w in at.warning)


def test_ics_of_the_items(custom_env):
    env = custom_env(profiles=[PROFILE], calls=CALLS)
    store = services.open_store(env.url)
    store.track("p", "later")
    items = reports.upcoming_deadlines({}, today=date(2027, 1, 15), days=None, tracked={"p": [store.get_call("later")]})
    cal = Calendar.from_ical(reports.deadlines_ics(items, names={"p": "Biedrība P"}, scope="p"))
    events = [c for c in cal.walk("VEVENT")]
    assert [e.decoded("dtstart") for e in events] == [date(2027, 3, 16)]


def test_cohort_scope(custom_env, run_app):
    custom_env(profiles=[PROFILE, OTHER], calls=CALLS)
    at = run_app("calendar")
    at.radio(key="cal_scope").set_value("cohort").run()
    assert not at.exception
    ngos = set(at.dataframe[0].value["Organizācija"])
    assert any("Biedrība Q" in n for n in ngos) and any("Biedrība P" in n for n in ngos)


def _chart(at) -> tuple[dict, object]:
    """The timeline's Vega-Lite spec and its dots (the first dataset) as a DataFrame."""
    proto = at.get("vega_lite_chart")[0].proto
    frame = pa.ipc.open_stream(proto.datasets[0].data.data).read_pandas()
    return json.loads(proto.spec), frame


def test_cohort_timeline_has_one_row_per_organisation(custom_env, run_app):
    """A call several NGOs share is a dot on each NGO's row; rows were named by all the NGOs joined
    (cut short on the axis, so rows could not be told apart)."""
    env = custom_env(profiles=[PROFILE, OTHER], calls=CALLS)
    services.open_store(env.url).track("p", "nature")  # Q's match, tracked by P too: shared
    at = run_app("calendar", session={"lang": "en"})
    at.radio(key="cal_scope").set_value("cohort").run()
    assert not at.exception
    _spec, dots = _chart(at)
    assert set(dots["Organisation"]) == {"Biedrība P", "Biedrība Q"}
    shared = set(at.dataframe[0].value.query("Organisation.str.contains(',')")["Title"])
    assert shared == {"Daba un vide"}
    for call_title in shared:
        assert sorted(dots[dots["Title"] == call_title]["Organisation"]) == ["Biedrība P", "Biedrība Q"]


@pytest.mark.parametrize(
    ("lang", "axis", "column"), [("lv", "%d.%m.%Y.", "DD.MM.YYYY."), ("en", "%-d %b %Y", "D MMM YYYY")]
)
def test_dates_follow_the_language(custom_env, run_app, lang, axis, column):
    custom_env(profiles=[PROFILE], calls=CALLS)
    at = run_app("calendar", session={"lang": lang})
    spec, _dots = _chart(at)
    assert spec["layer"][0]["encoding"]["x"]["axis"]["format"] == axis
    config = json.loads(at.dataframe[0].proto.columns)
    assert next(iter(config.values()))["type_config"]["format"] == column


def test_nothing_to_show(custom_env, run_app):
    custom_env(profiles=[PROFILE], calls=[_call("past", -3, "Koncerti pagājuši")])
    at = run_app("calendar")
    assert not at.exception
    assert any("Nav neviena konkursa ar termiņu" in i.value for i in at.info)


def test_english(custom_env, run_app):
    custom_env(profiles=[PROFILE], calls=CALLS)
    at = run_app("calendar", session={"lang": "en"})
    assert not at.exception
    assert at.title[0].value == "Deadline calendar"


def test_timeline_labels_never_overlap():
    """Labels alternated above / below, so three calls of one week (05.03, 10.03, 12.03 on a ten-month axis)
    had two labels on one side overlapping. Each label now takes the first line of its row where it clears
    the line's last label (near above, near below, far above, far below), or is left out (the dot's
    tooltip names the call); well-spaced dots all keep their label near above."""
    import pandas as pd

    from app_pages import common

    frame = pd.DataFrame({
        "d": pd.to_datetime(["2027-01-22", "2027-03-05", "2027-03-10", "2027-03-12", "2027-03-14",
                             "2027-04-23", "2027-10-15"]),
        "t": ["Sociālās iekļaušanas veicināšanas konkurss", "Programma Ģimenei draudzīga vide",
              "VKKF mērķprogramma bērniem", "LVAF aktivitāte jauniešiem", "Vēl viens marta konkurss", "E", "F"],
        "k": ["tracked", "matched", "matched", "matched", "matched", "matched", "matched"],
    })  # fmt: skip
    start = pd.Timestamp("2027-01-10")
    out = common.dot_labels(frame, "d", "t", "k", start=start, width_px=650)
    assert list(out["t"][:2]) == ["Sociālās iekļaušanas veicināšanas konkurss", "Programma Ģimenei draudzīga vide"]
    assert out["_label"][0] == "Sociālās iekļaušanas veic…"
    near_above, near_below, far_above, far_below = common.LABEL_LANES
    lane = out.set_index("t")["_dy"]
    assert lane["Sociālās iekļaušanas veicināšanas konkurss"] == near_above  # its own row ("tracked")
    assert lane["Programma Ģimenei draudzīga vide"] == near_above
    assert lane["VKKF mērķprogramma bērniem"] == near_below
    assert lane["LVAF aktivitāte jauniešiem"] == far_above
    assert lane["Vēl viens marta konkurss"] == far_below
    assert lane["E"] == near_above and lane["F"] == near_above
    # the property itself: on each line of each row, labels (at the estimated width) do not meet
    px = (out["d"] - start).dt.days * 650 / (out["d"] - start).dt.days.max()
    half = (out["_label"].str.len() * 5.6 + 6) / 2
    for (_, _), g in out.assign(px=px, half=half).dropna(subset=["_dy"]).groupby(["k", "_dy"]):
        g = g.sort_values("px")
        assert ((g["px"] - g["half"]).iloc[1:].to_numpy() > (g["px"] + g["half"]).iloc[:-1].to_numpy()).all()
    one_week = pd.concat([frame.iloc[1:5]] + [frame.iloc[[3]].assign(t="Piektais tajā pašā nedēļā")])
    alone = common.dot_labels(one_week, "d", "t", "k", start=start)
    assert list(alone["_dy"]) == [*common.LABEL_LANES, None]  # one row: the fifth of the week has no room


def test_exactly_one_label_layout_is_shown_at_any_axis_width():
    """The timeline carries a label layout per axis width; Vega shows the one made for the widest
    width the axis reaches, so labels laid out for 350 px never meet on a 400 px axis."""
    from app_pages import common

    def shown(width: int) -> list[int]:
        return [w for w in common.LABEL_WIDTHS
                if eval(common.label_width_test(w).replace("&&", "and").replace("true", "True"),
                        {"width": width})]

    assert [shown(w) for w in (120, 200, 349, 350, 400, 559, 560, 849, 850, 2000)] == [
        [200], [200], [200], [350], [350], [350], [560], [560], [850], [850]]


def test_one_ngo_timeline_names_its_dots_for_every_axis_width(custom_env, run_app):
    from app_pages import common

    custom_env(profiles=[PROFILE, OTHER], calls=CALLS)
    at = run_app("calendar", session={"profile_id": "p"})
    spec, _dots = _chart(at)
    texts = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    shown_when = {layer["mark"]["opacity"]["expr"] for layer in texts}
    assert shown_when == {f"({common.label_width_test(w)}) ? 1 : 0" for w in common.LABEL_WIDTHS}
    assert {layer["mark"]["dy"] for layer in texts} == set(common.LABEL_LANES)
