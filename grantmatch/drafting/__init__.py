"""Proposal drafting: templates as data, pre-filled outlines, logframe and budget, exports.

Imports only ``grantmatch.models`` (and ``matcher.eligibility`` for the eligibility facts).
"""

from grantmatch.drafting.budget import BudgetError, BudgetLine, BudgetSummary, compute_budget
from grantmatch.drafting.outline import DraftError, budget_flag_messages, build_draft, draft_budget
from grantmatch.drafting.templates import TemplateError, choose_template, load_template, load_templates

__all__ = [
    "BudgetError",
    "BudgetLine",
    "BudgetSummary",
    "DraftError",
    "TemplateError",
    "budget_flag_messages",
    "build_draft",
    "choose_template",
    "compute_budget",
    "draft_budget",
    "load_template",
    "load_templates",
]
