"""Exact amounts of money."""

from __future__ import annotations

from decimal import Decimal

import attrs


def _to_decimal(value: Decimal | int | str) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(value)


@attrs.frozen(order=False)
class Money:
    """An exact amount in a currency (an ISO 4217 code such as ``NOK``)."""

    amount: Decimal = attrs.field(converter=_to_decimal)
    currency: str

    def __str__(self) -> str:
        """Render as ``NOK 2 000 000``: thin groups that read the same in both languages."""
        return f"{self.currency} {format_amount(self.amount)}"


def format_amount(amount: Decimal) -> str:
    """Group the digits of *amount* in threes with spaces, as Norwegian and SI style do."""
    whole = amount == amount.to_integral_value()
    text = f"{amount:,.0f}" if whole else f"{amount.normalize():,f}"
    return text.replace(",", " ")
