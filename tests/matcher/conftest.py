"""Small inline calls and profiles for the matcher tests."""

from __future__ import annotations

from datetime import date

import pytest

TODAY = date(2027, 1, 10)


def call(id_, title, summary="", **kw):
    rec = {"id": id_, "source": "test", "url": f"https://example.org/{id_}", "title": title, "summary": summary}
    rec.update(kw)
    return rec


@pytest.fixture()
def calls():
    ngo = ["association", "foundation"]
    return [
        call("youth-lv", "Jauniešu iniciatīvu projektu konkurss",
             "Atbalsts jauniešiem neformālās izglītības aktivitātēm un jauniešu centriem Liepājā.",
             language="lv", eligible_applicants=ngo, geography=["Liepāja"], deadline="2027-03-01",
             max_amount_eur=5000),
        call("youth-en", "Youth participation grants",
             "Support for young people, youth workers and non-formal learning in local communities.",
             language="en", eligible_applicants=ngo, geography=["EU"], deadline="2027-04-01"),
        call("heritage-en", "Cultural heritage and museums",
             "Grants for cultural heritage, restoration of historic buildings and museum exhibitions.",
             language="en", eligible_applicants=ngo, geography=["LV"], deadline="2027-05-01"),
        call("youth-muni", "Jaunatnes politikas īstenošana pašvaldībās",
             "Tikai pašvaldībām: jauniešu centru attīstība un jaunatnes darbs.",
             language="lv", eligible_applicants=["municipality"], geography=["LV"], deadline="2027-03-01"),
        call("youth-latgale", "Latgales jauniešu projekti",
             "Jauniešu neformālās izglītības projekti Latgales reģionā.",
             language="lv", eligible_applicants=ngo, geography=["Latgale"], deadline="2027-03-01"),
        call("youth-closed", "Jauniešu projekti 2026",
             "Jauniešu neformālās izglītības projekti.",
             language="lv", eligible_applicants=ngo, geography=["LV"], deadline="2026-11-01"),
        call("sport-lv", "Sporta pasākumu atbalsts",
             "Sporta sacensības un fiziskās aktivitātes senioriem.",
             language="lv", geography=[], deadline=None),
        call("digital-en", "Digital skills for small businesses",
             "Training in digital skills, software and e-commerce for entrepreneurs and SMEs.",
             language="en", eligible_applicants=ngo + ["company"], geography=["Kurzeme"], deadline="2027-02-15"),
    ]


@pytest.fixture()
def youth_profile():
    return {
        "id": "jauniesi", "name": "Biedrība Jaunieši Liepājā", "legal_form": "association",
        "city": "Liepāja", "region": "Kurzeme", "country": "LV", "priority_area": "children_youth",
        "mission": "Mēs strādājam ar jauniešiem un rīkojam neformālās izglītības nodarbības.",
        "activities": ["jauniešu iniciatīvas", "darbnīcas jauniešiem"],
        "target_groups": ["jaunieši 13–25 gadi"], "keywords": ["jaunatnes darbs", "neformālā izglītība"],
    }
