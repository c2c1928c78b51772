"""An application, as a research office lists it."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

import attrs

from callkit._countries import check_code, check_codes

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable


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


DEFAULTS: tuple[object, ...] = tuple(
    None if a.default is attrs.NOTHING else a.default  # type: ignore[comparison-overlap, redundant-expr]
    for a in attrs.fields(Application)[: len(FIELDS)]
)
"""The value of each field of :data:`FIELDS` when an input does not give it.

``title`` and ``institution``, which have no default, are ``None`` here, as a reader
leaves them until it has found them missing.
"""


@cache
def application_builder() -> Callable[[list[object], dict[str, str], str], Application]:
    """A function that builds an application from values already as its converters give.

    It takes one value per name of :data:`FIELDS`, in that order, each as the converters
    would leave it and the validators accept it, then ``extra`` and ``source``. A reader
    parses and checks every cell on its own terms; going through ``__init__`` would convert
    and check each value a second time, a third of the cost of reading a list.
    The function sets each slot in turn, written out as attrs writes ``__init__``, as a loop
    over the slots takes twice as long. It is written the first time a reader asks for it.
    The property tests build each application read again through ``__init__`` and find it
    equal.
    """
    names = [a.name for a in attrs.fields(Application)]
    setters = {f"_set_{name}": getattr(Application, name).__set__ for name in names}
    lines = [f"    _set_{name}(application, values[{i}])" for i, name in enumerate(FIELDS)]
    code = "\n".join(
        [
            f"def build(values, extra, source, *, {', '.join(f'{k}={k}' for k in setters)}):",
            "    application = _new(Application)",
            *lines,
            "    _set_extra(application, extra)",
            "    _set_source(application, source)",
            "    return application",
        ]
    )
    namespace: dict[str, Any] = {"_new": object.__new__, "Application": Application, **setters}
    exec(compile(code, "<callkit application builder>", "exec"), namespace)  # noqa: S102
    build: Callable[[list[object], dict[str, str], str], Application] = namespace["build"]
    return build
