from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grantmatch.drafting.budget import CENT, BudgetError, compute_budget

money = st.decimals(min_value=0, max_value=Decimal("99999.999"), places=3, allow_nan=False, allow_infinity=False)
qty = st.decimals(min_value=0, max_value=Decimal("500"), places=2, allow_nan=False, allow_infinity=False)
line = st.fixed_dictionaries({"category": st.text(max_size=5), "quantity": qty, "unit_cost": money})
pct = st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False))
cap = st.one_of(st.none(), st.decimals(min_value=0, max_value=Decimal("500000"), places=2, allow_nan=False))


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(line, max_size=8), max_amount=cap, cofinancing=pct)
def test_default_split_is_consistent(lines, max_amount, cofinancing):
    s = compute_budget(lines, max_amount=max_amount, cofinancing_pct=cofinancing)
    for value in (s.total, s.grant, s.own, s.required_own, *s.line_totals):
        assert value == value.quantize(CENT)  # whole cents
        assert value >= 0
    assert s.total == sum(s.line_totals, Decimal(0))
    for ln, t in zip(lines, s.line_totals, strict=True):
        unit_cost = ln["unit_cost"].quantize(CENT, rounding=ROUND_HALF_UP)
        assert t == (ln["quantity"] * unit_cost).quantize(CENT, rounding=ROUND_HALF_UP)
        assert abs(t - ln["quantity"] * unit_cost) <= Decimal("0.005")
    assert s.grant + s.own == s.total
    assert s.own >= s.required_own
    assert "below_cofinancing" not in s.flags
    if cofinancing is not None:
        assert s.required_own >= s.total * cofinancing / 100
        assert s.required_own - s.total * cofinancing / 100 < CENT
    if max_amount is not None:
        assert s.grant <= max_amount
        assert ("over_max" in s.flags) == (s.total - s.required_own > max_amount)


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(line, min_size=1, max_size=5), max_amount=cap, cofinancing=pct, own=money)
def test_manual_own_contribution_is_consistent_and_flagged(lines, max_amount, cofinancing, own):
    s = compute_budget(lines, max_amount=max_amount, cofinancing_pct=cofinancing, own_contribution=own)
    assert s.grant + s.own == s.total
    assert s.own <= s.total and s.grant >= 0
    assert ("below_cofinancing" in s.flags) == (s.own < s.required_own)
    if max_amount is not None:
        assert ("over_max" in s.flags) == (s.grant > max_amount)
    assert ("own_over_total" in s.flags) == (own.quantize(CENT) > s.total)


def test_worked_example_rounds_half_up_to_cents():
    s = compute_budget(
        [
            {"category": "Honorāri", "quantity": "0.5", "unit_cost": "0.03"},  # 0.015 -> 0.02
            {"category": "Materiāli", "quantity": "3", "unit_cost": "333.333"},  # 333.33 × 3 = 999.99
            {"category": "Telpas", "quantity": "2,5", "unit_cost": "1 200,00"},  # text with LV separators
        ],
        max_amount=3500,
        cofinancing_pct=10,
    )
    assert s.line_totals == (Decimal("0.02"), Decimal("999.99"), Decimal("3000.00"))
    assert s.total == Decimal("4000.01")
    assert s.required_own == Decimal("400.01")  # 400.001 rounded up
    assert s.grant == Decimal("3500.00") and s.own == Decimal("500.01")
    assert s.flags == ("over_max",)
    assert s.needed_grant == Decimal("3600.00")


def test_below_cofinancing_and_below_min_flags():
    s = compute_budget(
        [{"quantity": 1, "unit_cost": 1000}], max_amount=5000, min_amount=2000, cofinancing_pct=20, own_contribution=50
    )
    assert s.grant == Decimal("950.00") and s.own == Decimal("50.00")
    assert set(s.flags) == {"below_cofinancing", "below_min"}


@pytest.mark.parametrize("bad", ["abc", -5, "-1", float("nan"), True])
def test_bad_numbers_are_errors_naming_the_line(bad):
    with pytest.raises(BudgetError, match="line 2 unit cost"):
        compute_budget([{"quantity": 1, "unit_cost": 1}, {"quantity": 1, "unit_cost": bad}])
