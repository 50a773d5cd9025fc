"""Export a draft to Markdown and to DOCX (python-docx: real headings, styled tables, page numbers).

Both exports render the same parts in the same order: title and call facts, checklist, eligibility
facts, then the template's sections (the logframe and budget sections as tables, budget totals
computed here, never read from the draft). Text is written as text: nothing is interpreted as markup
in DOCX, and Markdown special characters in untrusted text are escaped.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from grantmatch.drafting.budget import BudgetSummary
from grantmatch.drafting.labels import dates_in_text, fmt_date, fmt_money, fmt_pct, label
from grantmatch.drafting.outline import budget_flag_messages, draft_budget

LOGFRAME_COLUMNS = ("level", "description", "indicators", "verification", "assumptions")
BUDGET_COLUMNS = ("category", "description", "unit", "quantity", "unit_cost", "line_total")

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#!|~])")


def md_escape(text: str) -> str:
    """Escape Markdown so untrusted text shows as written: no links, images, HTML, emphasis, code,
    headings, quotes or tables (plain "- " list lines stay lists)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text or ""))


def _md_paragraphs(text: str) -> str:
    paras = [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]
    return "\n\n".join(md_escape(p).replace("\n", "  \n") for p in paras)


def _md_cell(text: str) -> str:
    return md_escape(text).replace("\n", "<br>") if text else ""


def _qty(x: Any) -> str:
    return format(x.normalize(), "f") if hasattr(x, "normalize") else str(x)


def _facts_rows(draft: dict[str, Any], lang: str) -> list[tuple[str, str, str]]:
    rows = []
    for f in draft.get("eligibility", []):
        name = f.get("name", "")
        key = f"fact_{name}"
        try:
            title = label(key, lang)
        except KeyError:
            title = name
        outcome = f.get("outcome", "unknown")
        rows.append((title, label(outcome, lang) if outcome in ("met", "missed", "unknown") else outcome,
                     dates_in_text(f.get("detail", ""), lang)))  # fmt: skip
    return rows


def _call_facts(draft: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    call = draft.get("call", {})
    facts = [(label("applicant", lang), draft.get("profile", {}).get("name", "")),
             (label("call", lang), call.get("title", ""))]  # fmt: skip
    if call.get("funder"):
        facts.append((label("funder", lang), call["funder"]))
    if call.get("programme"):
        facts.append((label("programme", lang), call["programme"]))
    deadline = fmt_date(call.get("deadline"), lang) if call.get("deadline") else label("no_deadline", lang)
    facts.append((label("deadline", lang), deadline))
    if call.get("max_amount_eur") is not None:
        facts.append((label("max_amount", lang), fmt_money(call["max_amount_eur"], lang)))
    if call.get("cofinancing_pct") is not None:
        facts.append((label("cofinancing_required", lang), f"{fmt_pct(call['cofinancing_pct'], lang)} %"))
    if call.get("url"):
        facts.append((label("url", lang), call["url"]))
    facts.append((label("template", lang), draft.get("template_title") or draft.get("template", "")))
    return facts


def _budget_rows(s: BudgetSummary, lang: str) -> list[list[str]]:
    rows = []
    for line, total in zip(s.lines, s.line_totals, strict=True):
        rows.append([line.category, line.description, line.unit, _qty(line.quantity),
                     fmt_money(line.unit_cost, lang, symbol=False), fmt_money(total, lang, symbol=False)])  # fmt: skip
    return rows


def _budget_totals(s: BudgetSummary, lang: str) -> list[tuple[str, str]]:
    return [
        (label("total", lang), fmt_money(s.total, lang)),
        (label("grant", lang), f"{fmt_money(s.grant, lang)} ({fmt_pct(s.grant_pct, lang)} %)"),
        (label("own", lang), f"{fmt_money(s.own, lang)} ({fmt_pct(s.own_pct, lang)} %)"),
    ]


def _logframe_cells(row: dict[str, str], lang: str) -> list[str]:
    level = row.get("level", "")
    try:
        level_text = label(level, lang)
    except KeyError:
        level_text = level
    return [level_text, *(str(row.get(c) or "") for c in LOGFRAME_COLUMNS[1:])]


# --------------------------------------------------------------------------- Markdown


def to_markdown(draft: dict[str, Any], *, guidance: bool = True) -> str:
    """The draft as a Markdown document (UTF-8 text)."""
    lang = draft.get("lang", "lv")
    out = [f"# {md_escape(draft.get('title', ''))}", ""]
    for name, value in _call_facts(draft, lang):
        out.append(f"- **{md_escape(name)}:** {md_escape(value)}")
    out += ["", f"## {label('checklist', lang)}", ""]
    for item in draft.get("checklist", []):
        mark = "x" if item.get("done") else " "
        out.append(f"- [{mark}] {md_escape(item.get('text', ''))}")
    out += ["", f"## {label('eligibility', lang)}", ""]
    facts = _facts_rows(draft, lang)
    if facts:
        for title, outcome, detail in facts:
            tail = f" — {md_escape(detail)}" if detail else ""
            out.append(f"- **{md_escape(title)}:** {md_escape(outcome)}{tail}")
    else:
        out.append(label("no_facts", lang))
    summary = draft_budget(draft)
    for sec in draft.get("sections", []):
        out += ["", f"## {md_escape(sec.get('title', ''))}", ""]
        if guidance and sec.get("guidance"):
            out += [f"> *{label('guidance', lang)}:* {md_escape(sec['guidance'])}", ""]
        if sec.get("text"):
            out += [_md_paragraphs(sec["text"]), ""]
        if sec.get("kind") == "logframe":
            heads = [label(c, lang) for c in LOGFRAME_COLUMNS]
            out += ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
            for row in draft.get("logframe", []):
                out.append("| " + " | ".join(_md_cell(c) for c in _logframe_cells(row, lang)) + " |")
            out.append("")
        elif sec.get("kind") == "budget":
            heads = [label(c, lang) for c in BUDGET_COLUMNS]
            out += ["| " + " | ".join(heads) + " |", "|" + "---|" * (len(heads) - 3) + "--:|--:|--:|"]
            for row in _budget_rows(summary, lang):
                out.append("| " + " | ".join(_md_cell(c) for c in row) + " |")
            out.append("")
            for name, value in _budget_totals(summary, lang):
                out.append(f"- **{name}:** {value}")
            for msg in budget_flag_messages(draft, lang):
                out.append(f"- ⚠ {md_escape(msg)}")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


# --------------------------------------------------------------------------- DOCX


def _add_page_number_footer(section, lang: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = section.footer.paragraphs[0] if section.footer.paragraphs else section.footer.add_paragraph()
    paragraph.alignment = 1  # centre
    paragraph.add_run(f"{label('page', lang)} ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            run._r.append(el)
        elif text == " PAGE ":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
            run._r.append(el)
        else:
            el = OxmlElement("w:t")
            el.text = text
            run._r.append(el)


def _table(doc, headers: list[str], rows: list[list[str]], *, numeric_from: int | None = None):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.text = text
            if numeric_from is not None and i >= numeric_from:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return table


def _lang_tag(lang: str) -> str:
    return {"lv": "lv-LV", "en": "en-GB"}.get(lang, lang)


def to_docx(draft: dict[str, Any], path: str | Path | None = None, *, guidance: bool = True):
    """The draft as a Word document; saved to ``path`` when given. Returns the ``docx.Document``."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    lang = draft.get("lang", "lv")
    doc = docx.Document()
    doc.core_properties.title = draft.get("title", "")[:255]
    doc.core_properties.language = _lang_tag(lang)
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    rpr = normal.element.get_or_add_rPr()
    lang_el = OxmlElement("w:lang")
    lang_el.set(qn("w:val"), _lang_tag(lang))
    rpr.append(lang_el)
    _add_page_number_footer(doc.sections[0], lang)

    doc.add_heading(draft.get("title", ""), level=0)
    facts = doc.add_table(rows=0, cols=2)
    facts.style = "Table Grid"
    for name, value in _call_facts(draft, lang):
        cells = facts.add_row().cells
        cells[0].text = name
        cells[1].text = value
        cells[0].paragraphs[0].runs[0].bold = True

    doc.add_heading(label("checklist", lang), level=1)
    for item in draft.get("checklist", []):
        mark = "☒" if item.get("done") else "☐"
        doc.add_paragraph(f"{mark} {item.get('text', '')}", style="List Paragraph")

    doc.add_heading(label("eligibility", lang), level=1)
    rows = _facts_rows(draft, lang)
    if rows:
        _table(doc, [label(c, lang) for c in ("fact", "outcome", "detail")], [list(r) for r in rows])
    else:
        doc.add_paragraph(label("no_facts", lang))

    summary = draft_budget(draft)
    for sec in draft.get("sections", []):
        doc.add_heading(sec.get("title", ""), level=1)
        if guidance and sec.get("guidance"):
            p = doc.add_paragraph()
            run = p.add_run(f"{label('guidance', lang)}: {sec['guidance']}")
            run.italic = True
        for para in (sec.get("text") or "").split("\n\n"):
            if para.strip():
                doc.add_paragraph(para.strip())
        if sec.get("kind") == "logframe":
            _table(doc, [label(c, lang) for c in LOGFRAME_COLUMNS],
                   [_logframe_cells(r, lang) for r in draft.get("logframe", [])])  # fmt: skip
        elif sec.get("kind") == "budget":
            rows = _budget_rows(summary, lang)
            for name, value in _budget_totals(summary, lang):
                rows.append([name, "", "", "", "", value])
            table = _table(doc, [label(c, lang) for c in BUDGET_COLUMNS], rows, numeric_from=3)
            for row in table.rows[-3:]:
                for run in row.cells[0].paragraphs[0].runs + row.cells[-1].paragraphs[0].runs:
                    run.bold = True
            for msg in budget_flag_messages(draft, lang):
                p = doc.add_paragraph()
                p.add_run(f"⚠ {msg}").bold = True
    if path is not None:
        doc.save(str(path))
    return doc


def export(draft: dict[str, Any], path: str | Path, *, guidance: bool = True) -> Path:
    """Write ``draft`` to ``path``; the format follows the suffix (``.docx`` or ``.md``)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".docx":
        to_docx(draft, path, guidance=guidance)
    elif suffix in (".md", ".markdown"):
        path.write_text(to_markdown(draft, guidance=guidance), encoding="utf-8")
    else:
        raise ValueError(f"export: expected a .docx or .md file name, found {path.name!r}")
    return path
