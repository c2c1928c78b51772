"""Rules as data: each kind of rule is generic, and a call gives it its parameters.

A rule is compiled once per call into a plain function from an application to its
findings, with every lookup table built in advance; checking an application is then a
sequence of set lookups and comparisons.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING, ClassVar, Literal

import attrs

from callkit._application import FIELDS, Application
from callkit._countries import check_codes, check_country, normalise_name
from callkit._finding import Finding, Severity, shorten
from callkit._i18n import (
    N_,
    Both,
    Countries,
    Either,
    Joined,
    Localized,
    Message,
    Pair,
    Word,
    msg,
    msgs,
)
from callkit._money import Money, format_amount
from callkit._provenance import Citation, Provenance, Source
from callkit._text import Language, Text

if TYPE_CHECKING:
    from callkit._policy import InstitutionPolicy


@attrs.frozen
class RuleContext:
    """What a rule needs from its call when it is compiled: sources and currency."""

    currency: str
    sources: Mapping[str, Source]

    def cite(self, provenance: Provenance) -> Citation:
        """Resolve *provenance* against the call's sources."""
        return Citation.of(provenance, self.sources[provenance.source])


RuleCheck = Callable[[Application, "InstitutionPolicy | None"], list[Finding]]
"""A compiled rule: the findings for one application (empty when it passes)."""


@attrs.frozen(kw_only=True)
class Term:
    """A coded item a rule lists: an institution type, a scheme, a cost category, a field.

    ``code`` is what applications give; ``name`` is what people read. ``aliases`` are
    other spellings an application may use for the same item. ``provenance`` cites the
    item's own sentence where it has one; otherwise its rule's source is cited.
    """

    code: str
    name: Text
    aliases: tuple[str, ...] = ()
    provenance: Provenance | None = None


def _lookup(terms: tuple[Term, ...]) -> dict[str, Term]:
    table: dict[str, Term] = {}
    for term in terms:
        for spelling in (term.code, term.name.nb, term.name.en, *term.aliases):
            table[normalise_name(spelling)] = term
    return table


class _Named(Localized):
    """Terms as ``Name (code)``, each name in the message's language."""

    __slots__ = ("terms",)

    def __init__(self, terms: tuple[Term, ...]) -> None:
        self.terms = terms

    def get(self, lang: Language) -> str:
        return ", ".join(f"{t.name.get(lang)} ({t.code})" for t in self.terms)


_SHARED_COUNTRIES: dict[tuple[tuple[str, ...], bool], Countries] = {}


def _countries(codes: tuple[str, ...], *, show_codes: bool = True) -> Countries:
    """The countries *codes* as a message argument, one object for each list met.

    Failing applications name the same few lists of partners over and over; sharing their
    arguments spares the collector an object for each finding.
    """
    key = (codes, show_codes)
    found = _SHARED_COUNTRIES.get(key)
    if found is None:
        if len(_SHARED_COUNTRIES) >= _SHARED_LIMIT:
            _SHARED_COUNTRIES.clear()
        found = _SHARED_COUNTRIES[key] = Countries(codes, show_codes=show_codes)
    return found


_SHARED_LIMIT = 4096
"""How many lists of countries :func:`_countries` keeps."""


class _Lower(Localized):
    """A name in lower case, as it reads inside a sentence."""

    __slots__ = ("name",)

    def __init__(self, name: Text) -> None:
        self.name = name

    def get(self, lang: Language) -> str:
        return self.name.get(lang).lower()


@attrs.frozen(kw_only=True)
class Rule:
    """What every rule has: an ``id`` users filter on, a title, its source and severity."""

    kind: ClassVar[str]
    each_field_alone: ClassVar[bool] = False
    """Whether the rule judges each field it reads on its own, so that it can still be
    applied to the fields that could be read."""
    id: str
    title: Text
    provenance: Provenance
    severity: Severity = attrs.field(default=Severity.ERROR)

    @severity.validator
    def _breaking(self, _attribute: object, value: Severity) -> None:
        if value is Severity.INFO:
            msg = (
                "a rule's severity is 'error' or 'warning'; 'info' is kept for rules "
                "that could not be assessed"
            )
            raise ValueError(msg)

    def describe(self) -> str:  # pragma: no cover - every kind overrides
        """What the rule asks, in one sentence: a :class:`~callkit.Message`, in both languages."""
        raise NotImplementedError

    @property
    def reads(self) -> frozenset[str]:  # pragma: no cover - every kind overrides
        """The application fields the rule looks at."""
        raise NotImplementedError

    def compile(self, ctx: RuleContext) -> RuleCheck:  # pragma: no cover - every kind overrides
        """Build the function that checks one application against this rule."""
        raise NotImplementedError

    def _not_assessed(self, citation: Citation, what: Message, field: str) -> Finding:
        return Finding(
            rule=self.id,
            severity=Severity.INFO,
            message=msg("not assessed: {what}", what=what),
            source=citation,
            field=field,
        )

    def _fail(
        self,
        citation: Citation,
        message: str,
        field: str | None,
        value: str | None = None,
        limit: str | None = None,
    ) -> Finding:
        return Finding(
            rule=self.id,
            severity=self.severity,
            message=str.__str__(message),
            source=citation,
            field=field,
            value=value,
            limit=limit,
            message_nb=getattr(message, "nb", None),  # a plugin's rule may give plain text
        )


@attrs.frozen(kw_only=True)
class InstitutionRule(Rule):
    """The applicant institution must be of one of ``types`` and in one of ``countries``.

    Where an application does not give its institution's type or country, the policy of
    the institution it names (if the call has one) supplies them.
    """

    kind: ClassVar[str] = "institution"
    types: tuple[Term, ...]
    countries: tuple[str, ...] = attrs.field(validator=check_codes)

    @property
    def reads(self) -> frozenset[str]:
        """The application fields the rule looks at."""
        return frozenset({"institution", "institution_type", "institution_country"})

    def describe(self) -> Message:
        """What the rule asks, in one sentence."""
        return msg(
            "a {kinds} in {countries}",
            kinds=Either([_Lower(t.name) for t in self.types]),
            countries=Countries(self.countries, show_codes=False, either=True),
        )

    def compile(self, ctx: RuleContext) -> RuleCheck:
        """Build the check."""
        citation = ctx.cite(self.provenance)
        types = _lookup(self.types)
        countries = frozenset(self.countries)
        allowed_types = _Named(self.types)
        allowed_countries = Countries(self.countries)
        no_type = self._not_assessed(citation, msg("no institution type given"), "institution_type")
        no_country = self._not_assessed(
            citation, msg("no institution country given"), "institution_country"
        )

        def check(app: Application, policy: InstitutionPolicy | None) -> list[Finding]:
            kind = app.institution_type or (policy.type if policy else None)
            country = app.institution_country or (policy.country if policy else None)
            findings: list[Finding] = []
            if kind is None:
                findings.append(no_type)
            elif normalise_name(kind) not in types:
                findings.append(
                    self._fail(
                        citation,
                        msg(
                            "{institution} is a {kind}; the applicant must be one of: {allowed}",
                            institution=shorten(app.institution),
                            kind=shorten(kind),
                            allowed=allowed_types,
                        ),
                        "institution_type",
                        kind,
                        str(allowed_types),
                    )
                )
            if country is None:
                findings.append(no_country)
            elif country not in countries:
                findings.append(
                    self._fail(
                        citation,
                        msg(
                            "{institution} is in {country}; the applicant must be in {allowed}",
                            institution=shorten(app.institution),
                            country=_countries((country,)),
                            allowed=allowed_countries,
                        ),
                        "institution_country",
                        country,
                        ", ".join(self.countries),
                    )
                )
            return findings

        return check


@attrs.frozen(kw_only=True)
class SchemeRule(Rule):
    """The project that qualifies the application must be funded under one of ``schemes``."""

    kind: ClassVar[str] = "qualifying_scheme"
    schemes: tuple[Term, ...]

    @property
    def reads(self) -> frozenset[str]:
        """The application fields the rule looks at."""
        return frozenset({"qualifying_scheme"})

    def describe(self) -> Message:
        """What the rule asks, in one sentence."""
        return msg(
            "one of: {schemes}",
            schemes=Joined([_Named((t,)) for t in self.schemes], "; "),
        )

    def compile(self, ctx: RuleContext) -> RuleCheck:
        """Build the check."""
        citation = ctx.cite(self.provenance)
        schemes = _lookup(self.schemes)
        allowed = ", ".join(t.code for t in self.schemes)
        no_scheme = self._not_assessed(
            citation, msg("no qualifying scheme given"), "qualifying_scheme"
        )

        def check(app: Application, _policy: InstitutionPolicy | None) -> list[Finding]:
            scheme = app.qualifying_scheme
            if not scheme:
                return [no_scheme]
            if normalise_name(scheme) in schemes:
                return []
            return [
                self._fail(
                    citation,
                    msg(
                        "{scheme!r} is not a qualifying scheme of this call; the qualifying "
                        "schemes are {allowed}",
                        scheme=shorten(scheme),
                        allowed=allowed,
                    ),
                    "qualifying_scheme",
                    scheme,
                    allowed,
                )
            ]

        return check


@attrs.frozen(kw_only=True)
class CountryGroup:
    """A list of countries with its title and source, such as a programme's priority list."""

    title: Text
    countries: tuple[str, ...] = attrs.field(validator=check_codes)
    provenance: Provenance


@attrs.frozen(kw_only=True)
class Exclusion:
    """A country whose partners do not count, with the source that says so."""

    country: str = attrs.field(validator=check_country)
    provenance: Provenance


@attrs.frozen(kw_only=True)
class PartnerCountryRule(Rule):
    """At least ``minimum`` partners must be in a country of one of the ``groups``.

    A country in ``excluded`` does not count, even if a group lists it: an amendment can
    stop partnerships with a country while the published list still names it.
    """

    kind: ClassVar[str] = "partner_country"
    groups: tuple[CountryGroup, ...]
    minimum: int = 1
    excluded: tuple[Exclusion, ...] = ()

    @property
    def countries(self) -> tuple[str, ...]:
        """Every eligible country code, in the order the groups list them."""
        out = {e.country for e in self.excluded}
        return tuple(dict.fromkeys(c for g in self.groups for c in g.countries if c not in out))

    @property
    def reads(self) -> frozenset[str]:
        """The application fields the rule looks at."""
        return frozenset({"partner_countries"})

    def describe(self) -> Message:
        """What the rule asks, in one sentence."""
        groups = Joined(
            [
                Joined([g.title, Countries(g.countries, show_codes=False)], ": ")
                for g in self.groups
            ],
            "; ",
        )
        if not self.excluded:
            return msg(
                "at least {minimum} partner in: {groups}", minimum=self.minimum, groups=groups
            )
        return msg(
            "at least {minimum} partner in: {groups}; partners in {excluded} do not count",
            minimum=self.minimum,
            groups=groups,
            excluded=Countries([e.country for e in self.excluded], show_codes=False),
        )

    def compile(self, ctx: RuleContext) -> RuleCheck:
        """Build the check."""
        citation = ctx.cite(self.provenance)
        eligible = frozenset(self.countries)
        allowed = ", ".join(self.countries)
        excluded = {e.country: ctx.cite(e.provenance) for e in self.excluded}
        no_partner = self._not_assessed(
            citation, msg("no partner country given"), "partner_countries"
        )

        def check(app: Application, _policy: InstitutionPolicy | None) -> list[Finding]:
            partners = app.partner_countries
            if not partners:
                return [no_partner]
            if sum(1 for c in partners if c in eligible) >= self.minimum:
                return []
            out = [c for c in partners if c in excluded]
            args = {"n": self.minimum, "partners": _countries(partners), "allowed": allowed}
            if out:
                message = msgs(
                    "a partner in an eligible country is required; the partners are in "
                    "{partners}; {out} no longer counts: partners there are excluded from "
                    "this call. Eligible: {allowed}",
                    "{n} partners in an eligible country are required; the partners are in "
                    "{partners}; {out} no longer counts: partners there are excluded from "
                    "this call. Eligible: {allowed}",
                    self.minimum,
                    **args,
                    out=_countries(tuple(out), show_codes=False),
                )
            else:
                message = msgs(
                    "a partner in an eligible country is required; the partners are in "
                    "{partners}. Eligible: {allowed}",
                    "{n} partners in an eligible country are required; the partners are in "
                    "{partners}. Eligible: {allowed}",
                    self.minimum,
                    **args,
                )
            return [
                self._fail(
                    excluded[out[0]] if out else citation,
                    message,
                    "partner_countries",
                    ", ".join(partners),
                    allowed,
                )
            ]

        return check


AmountField = Literal["requested_per_year", "requested_total", "own_share"]

_AMOUNT_WORDS: dict[str, Word] = {
    "requested_per_year": Word(N_("requested per year")),
    "requested_total": Word(N_("requested in total")),
    "own_share": Word(N_("as own share")),
}


@attrs.frozen(kw_only=True)
class AmountRule(Rule):
    """An amount of the application must lie within ``minimum`` and ``maximum``.

    ``requested_total`` is taken as given or derived from the amount per year and the
    duration.
    """

    kind: ClassVar[str] = "amount"
    field: AmountField
    maximum: Money | None = None
    minimum: Money | None = None

    @property
    def reads(self) -> frozenset[str]:
        """The application fields the rule looks at."""
        return frozenset(
            {self.field, "currency"}
            | (
                {"requested_per_year", "duration_years"}
                if self.field == "requested_total"
                else set()
            )
        )

    def describe(self) -> Message:
        """What the rule asks, in one sentence."""
        words = _AMOUNT_WORDS[self.field]
        if self.minimum and self.maximum:
            return msg(
                "{words}: at least {minimum} and at most {maximum}",
                words=words,
                minimum=self.minimum,
                maximum=self.maximum,
            )
        if self.minimum:
            return msg("{words}: at least {minimum}", words=words, minimum=self.minimum)
        return msg("{words}: at most {maximum}", words=words, maximum=self.maximum)

    def compile(self, ctx: RuleContext) -> RuleCheck:
        """Build the check."""
        citation = ctx.cite(self.provenance)
        field = self.field
        words = _AMOUNT_WORDS[field]
        currency = (self.maximum or self.minimum or Money(0, "")).currency

        def value_of(app: Application) -> Decimal | None:
            if field == "requested_total":
                return app.total_requested
            value: Decimal | None = getattr(app, field)
            return value

        what = (
            msg("no amount {words} given (nor an amount per year and a duration)", words=words)
            if field == "requested_total"
            else msg("no amount {words} given", words=words)
        )
        no_amount = self._not_assessed(citation, what, field)

        def check(app: Application, _policy: InstitutionPolicy | None) -> list[Finding]:
            value = value_of(app)
            if value is None:
                return [no_amount]
            given = app.currency or currency
            if given != currency:
                return [
                    self._fail(
                        citation,
                        msg(
                            "the amount is in {given}; the limit is in {currency}, so the two "
                            "cannot be compared",
                            given=given,
                            currency=currency,
                        ),
                        "currency",
                        given,
                        currency,
                    )
                ]
            if self.maximum is not None and value > self.maximum.amount:
                return [
                    self._fail(
                        citation,
                        msg(
                            "{amount} {words} is more than the {maximum} allowed",
                            amount=_money(value, currency),
                            words=words,
                            maximum=self.maximum,
                        ),
                        field,
                        str(value),
                        f"at most {self.maximum.amount}",
                    )
                ]
            if self.minimum is not None and value < self.minimum.amount:
                return [
                    self._fail(
                        citation,
                        msg(
                            "{amount} {words} is less than the {minimum} required",
                            amount=_money(value, currency),
                            words=words,
                            minimum=self.minimum,
                        ),
                        field,
                        str(value),
                        f"at least {self.minimum.amount}",
                    )
                ]
            return []

        return check


@attrs.frozen(kw_only=True)
class DurationRule(Rule):
    """The project's duration in years must lie within ``minimum_years`` and ``maximum_years``."""

    kind: ClassVar[str] = "duration"
    maximum_years: Decimal | None = None
    minimum_years: Decimal | None = None

    @property
    def reads(self) -> frozenset[str]:
        """The application fields the rule looks at."""
        return frozenset({"duration_years"})

    def describe(self) -> Message:
        """What the rule asks, in one sentence."""
        if self.minimum_years and self.maximum_years:
            return msg(
                "a duration of at least {minimum} years and at most {maximum} years",
                minimum=_number(self.minimum_years),
                maximum=_number(self.maximum_years),
            )
        if self.minimum_years:
            return msg(
                "a duration of at least {minimum} years", minimum=_number(self.minimum_years)
            )
        return msg("a duration of at most {maximum} years", maximum=_number(self.maximum_years))

    def compile(self, ctx: RuleContext) -> RuleCheck:
        """Build the check."""
        citation = ctx.cite(self.provenance)
        no_duration = self._not_assessed(citation, msg("no duration given"), "duration_years")

        def check(app: Application, _policy: InstitutionPolicy | None) -> list[Finding]:
            years = app.duration_years
            if years is None:
                return [no_duration]
            if self.maximum_years is not None and years > self.maximum_years:
                return [
                    self._fail(
                        citation,
                        msg(
                            "a duration of {years} years is longer than the {maximum} years "
                            "allowed",
                            years=_number(years),
                            maximum=_number(self.maximum_years),
                        ),
                        "duration_years",
                        str(years),
                        f"at most {self.maximum_years}",
                    )
                ]
            if self.minimum_years is not None and years < self.minimum_years:
                return [
                    self._fail(
                        citation,
                        msg(
                            "a duration of {years} years is shorter than the {minimum} years "
                            "required",
                            years=_number(years),
                            minimum=_number(self.minimum_years),
                        ),
                        "duration_years",
                        str(years),
                        f"at least {self.minimum_years}",
                    )
                ]
            return []

        return check


def _money(amount: Decimal, currency: str) -> str:
    """An amount as messages show it, ``NOK 2 000 000``: the same in both languages."""
    return f"{currency} {format_amount(amount)}"


def _number(value: Decimal | None, unit: str = "") -> Pair:
    """A decimal number, with a decimal comma in Norwegian, and a *unit* after it."""
    shown = f"{value:f}"
    return (shown + unit, shown.replace(".", ",") + unit)


def _percentage(fraction: Decimal, rounding: str = ROUND_HALF_EVEN) -> Decimal:
    return (fraction * 100).quantize(Decimal("0.1"), rounding=rounding).normalize()


def _short_of(fraction: Decimal, minimum: Decimal) -> Pair:
    """*fraction* as a percentage, never rounded up to *minimum* when it falls short."""
    rounded = _percentage(fraction)
    if rounded == _percentage(minimum):
        rounded = _percentage(fraction, ROUND_FLOOR)
    return _number(rounded, " %")


def _percent(fraction: Decimal) -> Pair:
    """*fraction* in per cent, to one decimal: ``16.7 %``."""
    return _number(_percentage(fraction), " %")


@attrs.frozen(kw_only=True)
class OwnShareRule(Rule):
    """The own share must be at least ``minimum_fraction`` of the project budget.

    The project budget is the amount requested over the whole project plus the own share:
    with NOK 10 million requested and a minimum of 20 %, the own share must be at least
    NOK 2.5 million (2.5 / 12.5 = 20 %). The comparison is exact.
    """

    kind: ClassVar[str] = "own_share"
    minimum_fraction: Decimal = attrs.field(
        validator=attrs.validators.and_(
            attrs.validators.ge(Decimal(0)), attrs.validators.lt(Decimal(1))
        )
    )

    @property
    def reads(self) -> frozenset[str]:
        """The application fields the rule looks at."""
        return frozenset(
            {"own_share", "requested_total", "requested_per_year", "duration_years", "currency"}
        )

    def describe(self) -> Message:
        """What the rule asks, in one sentence."""
        return msg(
            "an own share of at least {minimum} of the project budget (the amount "
            "requested plus the own share)",
            minimum=_percent(self.minimum_fraction),
        )

    def compile(self, ctx: RuleContext) -> RuleCheck:
        """Build the check."""
        citation = ctx.cite(self.provenance)
        minimum = self.minimum_fraction
        no_own_share = self._not_assessed(citation, msg("no own share given"), "own_share")
        no_total = self._not_assessed(
            citation,
            msg(
                "the total requested is not known (give requested_total, or "
                "requested_per_year and duration_years)"
            ),
            "own_share",
        )

        def check(app: Application, _policy: InstitutionPolicy | None) -> list[Finding]:
            own = app.own_share
            requested = app.total_requested
            if own is None:
                return [no_own_share]
            if requested is None:
                return [no_total]
            budget = requested + own
            if budget <= 0 or own >= minimum * budget:
                return []
            needed = (minimum / (1 - minimum) * requested).to_integral_value(ROUND_CEILING)
            currency = app.currency or ctx.currency
            return [
                self._fail(
                    citation,
                    msg(
                        "the own share {own} is {share} of the project budget {budget}; at "
                        "least {minimum} is required, which with {requested} requested is "
                        "{needed}",
                        own=_money(own, currency),
                        share=_short_of(own / budget, minimum),
                        budget=_money(budget, currency),
                        minimum=_percent(minimum),
                        requested=_money(requested, currency),
                        needed=_money(needed, currency),
                    ),
                    "own_share",
                    str(own),
                    f"at least {_percent(minimum)[0]} of the project budget",
                )
            ]

        return check


ComponentField = Literal["research", "education"]


@attrs.frozen(kw_only=True)
class ComponentsRule(Rule):
    """The project must contain every one of ``components`` (``research``, ``education``)."""

    kind: ClassVar[str] = "components"
    components: tuple[Term, ...] = attrs.field(
        validator=attrs.validators.deep_iterable(
            attrs.validators.instance_of(Term),
            attrs.validators.min_len(1),
        )
    )

    @components.validator
    def _known(self, _attribute: object, value: tuple[Term, ...]) -> None:
        unknown = [t.code for t in value if t.code not in ("research", "education")]
        if unknown:
            msg = f"unknown components {unknown}: a component is 'research' or 'education'"
            raise ValueError(msg)

    @property
    def reads(self) -> frozenset[str]:
        """The application fields the rule looks at."""
        return frozenset(t.code for t in self.components)

    def describe(self) -> Message:
        """What the rule asks, in one sentence."""
        return msg("the project must have {wanted}", wanted=self._wanted())

    def _wanted(self) -> Localized:
        return Both([_Lower(t.name) for t in self.components])

    def compile(self, ctx: RuleContext) -> RuleCheck:
        """Build the check."""
        citation = ctx.cite(self.provenance)
        wanted = self._wanted()
        unknown = {
            t.code: self._not_assessed(
                citation, msg("whether the project has {what}", what=_Lower(t.name)), t.code
            )
            for t in self.components
        }
        missing = {
            t.code: self._fail(
                citation,
                msg(
                    "the project has no {what}; it must have {wanted}",
                    what=_Lower(t.name),
                    wanted=wanted,
                ),
                t.code,
                "no",
                "yes",
            )
            for t in self.components
        }

        def check(app: Application, _policy: InstitutionPolicy | None) -> list[Finding]:
            findings: list[Finding] = []
            for term in self.components:
                value: bool | None = getattr(app, term.code)
                if value is None:
                    findings.append(unknown[term.code])
                elif not value:
                    findings.append(missing[term.code])
            return findings

        return check


@attrs.frozen(kw_only=True)
class CostRule(Rule):
    """No cost may fall in an ``ineligible`` category; a category not listed is a warning."""

    kind: ClassVar[str] = "costs"
    eligible: tuple[Term, ...]
    ineligible: tuple[Term, ...]

    @property
    def reads(self) -> frozenset[str]:
        """The application fields the rule looks at."""
        return frozenset({"costs"})

    def describe(self) -> Message:
        """What the rule asks, in one sentence."""
        return msg(
            "not supported: {ineligible}. Supported: {eligible}",
            ineligible=Joined([_Named((t,)) for t in self.ineligible], "; "),
            eligible=", ".join(t.code for t in self.eligible),
        )

    def compile(self, ctx: RuleContext) -> RuleCheck:
        """Build the check."""
        citation = ctx.cite(self.provenance)
        eligible = _lookup(self.eligible)
        ineligible = _lookup(self.ineligible)
        citations = {
            t.code: ctx.cite(t.provenance) if t.provenance else citation for t in self.ineligible
        }
        named = {t.code: _Named((t,)) for t in self.ineligible}
        known = ", ".join(t.code for t in (*self.eligible, *self.ineligible))

        no_costs = self._not_assessed(citation, msg("no cost categories given"), "costs")

        def check(app: Application, _policy: InstitutionPolicy | None) -> list[Finding]:
            if not app.costs:
                return [no_costs]
            findings: list[Finding] = []
            for cost in app.costs:
                key = normalise_name(cost)
                if key in eligible:
                    continue
                term = ineligible.get(key)
                if term is not None:
                    findings.append(
                        self._fail(
                            citations[term.code],
                            msg("{term} cannot be funded by this call", term=named[term.code]),
                            "costs",
                            cost,
                        )
                    )
                else:
                    findings.append(
                        Finding(
                            rule=self.id,
                            severity=Severity.WARNING,
                            message=msg(
                                "{cost!r} is not a cost category of this call; check that it "
                                "is eligible. Known categories: {known}",
                                cost=shorten(cost),
                                known=known,
                            ),
                            source=citation,
                            field="costs",
                            value=cost,
                        )
                    )
            return findings

        return check


@attrs.frozen(kw_only=True)
class RequiredFieldsRule(Rule):
    """Every one of ``fields`` must be given; ``code`` is an application field name."""

    kind: ClassVar[str] = "required_fields"
    each_field_alone: ClassVar[bool] = True
    fields: tuple[Term, ...] = attrs.field()

    @fields.validator
    def _known(self, _attribute: object, value: tuple[Term, ...]) -> None:
        unknown = [t.code for t in value if t.code not in FIELDS]
        if unknown:
            msg = f"unknown application fields {unknown}; the fields are {', '.join(FIELDS)}"
            raise ValueError(msg)

    @property
    def reads(self) -> frozenset[str]:
        """The application fields the rule looks at."""
        return frozenset(t.code for t in self.fields)

    def describe(self) -> Message:
        """What the rule asks, in one sentence."""
        return msg(
            "the list must give: {fields}", fields=Joined([t.name for t in self.fields], "; ")
        )

    def compile(self, ctx: RuleContext) -> RuleCheck:
        """Build the check."""
        citation = ctx.cite(self.provenance)
        missing = [
            (
                t.code,
                self._fail(
                    ctx.cite(t.provenance) if t.provenance else citation,
                    msg("{field} is missing", field=t.name),
                    t.code,
                ),
            )
            for t in self.fields
        ]

        def check(app: Application, _policy: InstitutionPolicy | None) -> list[Finding]:
            return [finding for code, finding in missing if getattr(app, code) in (None, "", ())]

        return check


AnyRule = (
    InstitutionRule
    | SchemeRule
    | PartnerCountryRule
    | AmountRule
    | DurationRule
    | OwnShareRule
    | ComponentsRule
    | CostRule
    | RequiredFieldsRule
)
"""Every kind of rule a definition may use; ``kind`` tells them apart in data."""

RULE_KINDS: dict[str, type[Rule]] = {
    cls.kind: cls
    for cls in (
        InstitutionRule,
        SchemeRule,
        PartnerCountryRule,
        AmountRule,
        DurationRule,
        OwnShareRule,
        ComponentsRule,
        CostRule,
        RequiredFieldsRule,
    )
}
"""The rule classes by their ``kind``."""
