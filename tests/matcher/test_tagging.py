"""Area tagging for the scrapers: fills only empty tags, accepts dicts, and stays light to import."""

from __future__ import annotations

import subprocess
import sys

from grantmatch.models import GrantCall, PriorityArea
from matcher.tagging import tag_areas


def _call(cid: str, title: str, summary: str, areas: tuple[PriorityArea, ...] = ()) -> GrantCall:
    return GrantCall(id=cid, source="test", title=title, url=f"https://example.org/{cid}", summary=summary,
                     priority_areas=areas)


def test_untagged_call_gets_the_area_its_text_fits():
    [call] = tag_areas([_call("t-1", "Jauniešu iniciatīvu konkurss",
                              "Atbalsts jauniešu organizācijām, jaunatnes darbam un bērnu neformālajai izglītībai.")])
    assert PriorityArea.CHILDREN_YOUTH in call.priority_areas


def test_tags_set_by_the_source_are_kept_and_dicts_accepted():
    tagged = _call("t-2", "Jauniešu iniciatīvu konkurss", "Atbalsts jauniešu organizācijām.", (PriorityArea.CULTURE,))
    out = tag_areas([tagged, tagged.to_dict()])
    assert [c.priority_areas for c in out] == [(PriorityArea.CULTURE,), (PriorityArea.CULTURE,)]
    assert all(isinstance(c, GrantCall) for c in out)


def test_tagging_does_not_import_scikit_learn():
    """The weekly scrape job tags calls in a fresh process: scikit-learn is only needed for the index."""
    code = ("import sys; from matcher import tag_areas; from grantmatch.models import GrantCall; "
            "tag_areas([GrantCall(id='x', source='t', title='Kultūras projekti', url='https://e.org')]); "
            "print('sklearn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
