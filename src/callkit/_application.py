"""An application, as a research office lists it."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import attrs

from callkit._countries import check_code, check_codes

if TYPE_CHECKING:
    from collections.abc import Iterable


def _tuple(value: str | Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _codes(value: str | Iterable[str]) -> tuple[str, ...]:
    return tuple(_upper_code(code) for code in _tuple(value))


def _code(value: str | None) -> str | None:
    return _upper_code(value) if isinstance(value, str) else value


_CODE_LENGTH = 3  # ISO country codes have two letters, currency codes three


def _upper_code(text: str) -> str:
    """A code upper-cased (``no`` is ``NO``); anything else as it was written."""
    return text.upper() if len(text) <= _CODE_LENGTH and text.isalpha() else text


def _amount(value: Decimal | float | str | None) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        msg = f"expected an amount, got {value}"
        raise TypeError(msg)
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        msg = f"expected a finite amount, got {value!r}"
        raise ValueError(msg)
    return number


_YES_NO = attrs.validators.optional(attrs.validators.instance_of(bool))
_WHOLE = attrs.validators.optional(attrs.validators.instance_of(int))


@attrs.frozen(kw_only=True)
class Application:
    """One application to a call.

    Only ``title`` and ``institution`` are required; a rule whose data is absent reports
    that it was not assessed. Countries are ISO 3166 alpha-2 codes; amounts are in
    ``currency`` (the call's currency when ``None``). Amounts given as numbers or text
    become exact decimals, and codes of countries and currencies are upper-cased.
    ``requested_total`` may be given, or is derived from ``requested_per_year`` and
    ``duration_years``. ``own_share`` is the
    applicant's own share of the project budget over the whole project. ``costs`` are the
    codes of the cost categories the application asks to cover. ``extra`` keeps every
    column callkit does not know, so that nothing read is lost. ``source`` says where the
    application was read (``file:row``).
    """

    title: str
    institution: str
    theme: str | None = None
    applicant: str | None = None
    institution_type: str | None = None
    institution_country: str | None = attrs.field(
        default=None, converter=_code, validator=check_code
    )
    faculty: str | None = None
    department: str | None = None
    qualifying_scheme: str | None = None
    qualifying_project: str | None = None
    partner_countries: tuple[str, ...] = attrs.field(
        default=(), converter=_codes, validator=check_codes
    )
    partner_institutions: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    requested_per_year: Decimal | None = attrs.field(default=None, converter=_amount)
    requested_total: Decimal | None = attrs.field(default=None, converter=_amount)
    duration_years: Decimal | None = attrs.field(default=None, converter=_amount)
    own_share: Decimal | None = attrs.field(default=None, converter=_amount)
    currency: str | None = attrs.field(default=None, converter=_code)
    research: bool | None = attrs.field(default=None, validator=_YES_NO)
    education: bool | None = attrs.field(default=None, validator=_YES_NO)
    costs: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    rank: int | None = attrs.field(default=None, validator=_WHOLE)
    extra: dict[str, str] = attrs.field(factory=dict, eq=False, hash=False)
    source: str | None = None

    @property
    def total_requested(self) -> Decimal | None:
        """The amount requested over the whole project, given or derived; ``None`` if unknown."""
        if self.requested_total is not None:
            return self.requested_total
        if self.requested_per_year is not None and self.duration_years is not None:
            return self.requested_per_year * self.duration_years
        return None


FIELDS: tuple[str, ...] = tuple(
    a.name for a in attrs.fields(Application) if a.name not in {"extra", "source"}
)
"""The names of the fields an input file may give, in the order reports list them."""
