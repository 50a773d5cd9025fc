"""Budget arithmetic with :class:`~decimal.Decimal`, rounded to cents. Totals are always computed.

A budget is a list of lines (category, description, unit, quantity, unit cost). Unit costs are money
and are rounded half-up to cents when read; each line's total is ``quantity × unit cost`` rounded
half-up to cents; the budget total is the sum of line totals. The
split between the grant and the organisation's own contribution follows the call:

* required own contribution = ``total × cofinancing_pct / 100``, rounded UP to cents;
* by default the grant is the rest, capped at the call's maximum (the organisation covers any
  excess itself); an explicit ``own_contribution`` overrides the default split;
* ``grant + own == total`` always.

Flags (codes, shown to the user in their language): ``over_max`` (the grant the budget needs is
above the call's maximum), ``below_cofinancing`` (own contribution below the required share),
``below_min`` (grant below the call's minimum), ``own_over_total``, ``empty``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

CENT = Decimal("0.01")


class BudgetError(ValueError):
    """A budget value cannot be read as a non-negative amount."""


def to_decimal(value: Any, what: str = "value") -> Decimal:
    """A non-negative Decimal from a number or text ("1 234,50" and "1234.5" both work)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return Decimal(0)
    if isinstance(value, bool):
        raise BudgetError(f"budget: {what} must be a number, found {value!r}")
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise BudgetError(f"budget: {what} must be a finite number, found {value!r}")
        result = Decimal(repr(value))
    elif isinstance(value, int | Decimal):
        result = Decimal(value)
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "").replace("€", "").replace(",", ".")
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise BudgetError(f"budget: {what} {value!r} is not a number") from None
    if not result.is_finite():
        raise BudgetError(f"budget: {what} must be a finite number, found {value!r}")
    if result < 0:
        raise BudgetError(f"budget: {what} must not be negative, found {value!r}")
    return result


def cents(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class BudgetLine:
    category: str
    description: str
    unit: str
    quantity: Decimal
    unit_cost: Decimal

    @property
    def total(self) -> Decimal:
        return cents(self.quantity * self.unit_cost)

    @classmethod
    def from_dict(cls, rec: dict[str, Any], index: int = 0) -> BudgetLine:
        return cls(
            category=str(rec.get("category") or "").strip(),
            description=str(rec.get("description") or "").strip(),
            unit=str(rec.get("unit") or "").strip(),
            quantity=to_decimal(rec.get("quantity"), f"line {index + 1} quantity"),
            unit_cost=cents(to_decimal(rec.get("unit_cost"), f"line {index + 1} unit cost")),
        )

    def to_dict(self) -> dict[str, str]:
        return {
            "category": self.category,
            "description": self.description,
            "unit": self.unit,
            "quantity": _plain(self.quantity),
            "unit_cost": _plain(cents(self.unit_cost)),
        }


def _plain(x: Decimal) -> str:
    """Decimal as plain text without exponent ("1E+3" → "1000")."""
    return format(x.normalize(), "f")


@dataclass(frozen=True, slots=True)
class BudgetSummary:
    lines: tuple[BudgetLine, ...]
    line_totals: tuple[Decimal, ...]
    total: Decimal
    grant: Decimal
    own: Decimal
    required_own: Decimal
    max_amount: Decimal | None
    min_amount: Decimal | None
    cofinancing_pct: Decimal | None
    flags: tuple[str, ...]
    needed_grant: Decimal  # grant the budget would need before capping at the maximum

    @property
    def grant_pct(self) -> Decimal:
        return Decimal(0) if not self.total else cents(self.grant * 100 / self.total)

    @property
    def own_pct(self) -> Decimal:
        return Decimal(0) if not self.total else cents(100 - self.grant_pct)

    def by_category(self) -> dict[str, Decimal]:
        out: dict[str, Decimal] = {}
        for line, t in zip(self.lines, self.line_totals, strict=True):
            out[line.category] = out.get(line.category, Decimal(0)) + t
        return out


def compute_budget(
    lines: list[BudgetLine] | list[dict[str, Any]],
    *,
    max_amount: Any = None,
    min_amount: Any = None,
    cofinancing_pct: Any = None,
    own_contribution: Any = None,
) -> BudgetSummary:
    """Totals, grant / own split and flags for a budget (see module docs for the rules)."""
    parsed = tuple(
        ln if isinstance(ln, BudgetLine) else BudgetLine.from_dict(ln, i) for i, ln in enumerate(lines)
    )
    line_totals = tuple(ln.total for ln in parsed)
    total = sum(line_totals, Decimal(0)).quantize(CENT)
    mx = None if max_amount is None else cents(to_decimal(max_amount, "maximum amount"))
    mn = None if min_amount is None else cents(to_decimal(min_amount, "minimum amount"))
    pct = None if cofinancing_pct is None else to_decimal(cofinancing_pct, "co-financing %")
    if pct is not None and pct > 100:
        raise BudgetError(f"budget: co-financing % must be between 0 and 100, found {pct}")
    required_own = Decimal(0).quantize(CENT)
    if pct:
        required_own = (total * pct / 100).quantize(CENT, rounding=ROUND_CEILING)
    flags = []
    if own_contribution is None or (isinstance(own_contribution, str) and not own_contribution.strip()):
        grant = needed = total - required_own
        if mx is not None and grant > mx:
            flags.append("over_max")
            grant = mx
        own = total - grant
    else:
        own = cents(to_decimal(own_contribution, "own contribution"))
        if own > total:
            flags.append("own_over_total")
            own = total
        grant = needed = total - own
        if mx is not None and grant > mx:
            flags.append("over_max")
    if own < required_own:
        flags.append("below_cofinancing")
    if mn is not None and total and grant < mn:
        flags.append("below_min")
    if not total:
        flags.append("empty")
    return BudgetSummary(
        lines=parsed,
        line_totals=line_totals,
        total=total,
        grant=grant.quantize(CENT),
        own=own.quantize(CENT),
        required_own=required_own,
        max_amount=mx,
        min_amount=mn,
        cofinancing_pct=pct,
        flags=tuple(flags),
        needed_grant=needed.quantize(CENT),
    )
