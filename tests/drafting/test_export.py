from __future__ import annotations

import zipfile

import docx
import pytest

from grantmatch.drafting import build_draft
from grantmatch.drafting.export import export, md_escape, to_docx, to_markdown

from .conftest import LV_CHARS, TODAY


@pytest.fixture
def draft(profile, sif_call):
    d = build_draft(profile, sif_call, today=TODAY)
    d["budget"]["lines"] = [
        {"category": f"Honorāri {LV_CHARS}", "description": "lektori", "unit": "stunda",
         "quantity": "40", "unit_cost": "25.125"},
        {"category": "Telpu īre", "description": "", "unit": "diena", "quantity": "3", "unit_cost": "150"},
    ]  # fmt: skip
    d["sections"][-1]["text"] = f"Partneri: Liepājas Universitāte. {LV_CHARS.upper()}"
    return d


def test_docx_has_headings_tables_totals_and_page_numbers(draft, tmp_path):
    path = export(draft, tmp_path / "pieteikums.docx")
    doc = docx.Document(str(path))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:2] == ["Prasību un vērtēšanas kritēriju kontrolsaraksts", "Atbilstības pārbaude"]
    assert [s["title"] for s in draft["sections"]] == headings[2:]
    assert doc.paragraphs[0].style.name == "Title" and doc.paragraphs[0].text == draft["title"]

    budget = next(t for t in doc.tables if t.rows[0].cells[0].text == "Izmaksu kategorija")
    cells = [[c.text for c in row.cells] for row in budget.rows]
    assert cells[1][0] == f"Honorāri {LV_CHARS}"
    assert cells[1][-2:] == ["25,13", "1\u00a0005,20"]  # unit cost in cents, 40 × 25.13 computed
    assert cells[2][-1] == "450"
    totals = {row[0]: row[-1] for row in cells[-3:]}
    assert totals["Kopējās izmaksas"] == "1\u00a0455,20\u00a0€"
    assert totals["Pieprasītais finansējums"].startswith("1\u00a0309,68\u00a0€")  # 1455.20 − 145.52
    assert totals["Līdzfinansējums (pašu ieguldījums)"].startswith("145,52\u00a0€ (10 %)")
    assert budget.style.name == "Light Grid Accent 1"

    logframe = next(t for t in doc.tables if t.rows[0].cells[0].text == "Līmenis")
    assert [c.text for c in logframe.rows[0].cells][-1] == "Pieņēmumi"
    assert logframe.rows[1].cells[0].text == "Virsmērķis"

    with zipfile.ZipFile(path) as z:
        footers = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/footer"))
        body = z.read("word/document.xml").decode("utf-8")
    assert "PAGE" in footers and 'w:fldCharType="begin"' in footers
    for ch in LV_CHARS + LV_CHARS.upper():
        assert ch in body
    assert "[ ]" not in body  # checklist uses ballot boxes
    assert "☐ Iesniegt līdz 22.02.2027." in [p.text for p in doc.paragraphs]


def test_markdown_has_headings_tables_and_totals(draft, tmp_path):
    path = export(draft, tmp_path / "pieteikums.md")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# biedrība “Zaļais kvartāls” — NVO fonds 2027")
    assert "## Projekta budžets" in text and "## Loģiskās struktūras matrica" in text
    assert f"| Honorāri {LV_CHARS} | lektori | stunda | 40 | 25,13 | 1\u00a0005,20 |" in text
    assert "- **Kopējās izmaksas:** 1\u00a0455,20\u00a0€" in text
    assert "- [ ] Iesniegt līdz 22.02.2027." in text
    assert LV_CHARS.upper() in text


def test_english_export(profile, eu_call, tmp_path):
    d = build_draft(profile, eu_call, today=TODAY)
    md = to_markdown(d)
    assert "## Requirements and evaluation criteria checklist" in md
    assert "- **Total costs:** €100,000" in md
    doc = docx.Document(str(export(d, tmp_path / "p.docx")))
    assert doc.core_properties.language == "en-GB"


def test_untrusted_text_is_escaped_in_markdown(profile, sif_call):
    evil = "Jāiesniedz <script>alert(1)</script> un [klikšķini](javascript:alert(1)) ![x](http://t/x.png) | a |"
    call = sif_call.__class__.from_dict(sif_call.to_dict() | {"summary": evil})
    md = to_markdown(build_draft(profile, call, today=TODAY))
    assert "<script>" not in md and "](javascript" not in md and "![x](" not in md
    assert md_escape("a*b_c`d") == "a\\*b\\_c\\`d"


def test_unknown_suffix_is_refused(draft, tmp_path):
    with pytest.raises(ValueError, match="expected a .docx or .md file name, found 'x.pdf'"):
        export(draft, tmp_path / "x.pdf")


@pytest.mark.parametrize(("lang", "want"), [("lv", "22.02.2027. (atlikušas 43 d.)"),
                                             ("en", "22 February 2027 (43 days left)")])  # fmt: skip
def test_eligibility_dates_written_as_the_rest_of_the_document(profile, sif_call, lang, want):
    """The facts read as the app writes them (one i18n.fact_text), not the matcher's bilingual codes."""
    d = build_draft(profile, sif_call, lang=lang, today=TODAY)
    md = to_markdown(d)
    assert want in md.replace("\\", "") and "2027-02-22" not in md
    doc = to_docx(d)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert any(want in c for c in cells) and not any("2027-02-22" in c for c in cells)
