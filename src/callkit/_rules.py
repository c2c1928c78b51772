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
from callkit._countries import check_codes, check_country, country_name, normalise_name
from callkit._finding import Finding, Severity, shared_finding
from callkit._money import Money, format_amount
from callkit._provenance import Citation, Provenance, Source
from callkit._text import Text

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


def _either(items: list[str]) -> str:
    """``a, b or c``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


def _names(terms: tuple[Term, ...]) -> str:
    return ", ".join(f"{t.name.en} ({t.code})" for t in terms)


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
        """What the rule asks, in one English sentence."""
        raise NotImplementedError

    @property
    def reads(self) -> frozenset[str]:  # pragma: no cover - every kind overrides
        """The application fields the rule looks at."""
        raise NotImplementedError

    def compile(self, ctx: RuleContext) -> RuleCheck:  # pragma: no cover - every kind overrides
        """Build the function that checks one application against this rule."""
        raise NotImplementedError

    @shared_finding
    def _not_assessed(self, citation: Citation, what: str, field: str) -> Finding:
        return Finding(
            rule=self.id,
            severity=Severity.INFO,
            message=f"not assessed: {what}",
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
            message=message,
            source=citation,
            field=field,
            value=value,
            limit=limit,
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

    def describe(self) -> str:
        """What the rule asks, in one English sentence."""
        kinds = _either([t.name.en.lower() for t in self.types])
        return f"a {kinds} in {_either([country_name(c) for c in self.countries])}"

    def compile(self, ctx: RuleContext) -> RuleCheck:
        """Build the check."""
        citation = ctx.cite(self.provenance)
        types = _lookup(self.types)
        countries = frozenset(self.countries)
        allowed_types = _names(self.types)
        allowed_countries = ", ".join(f"{country_name(c)} ({c})" for c in self.countries)

        def check(app: Application, policy: InstitutionPolicy | None) -> list[Finding]:
            kind = app.institution_type or (policy.type if policy else None)
            country = app.institution_country or (policy.country if policy else None)
            findings: list[Finding] = []
            if kind is None:
                findings.append(
                    self._not_assessed(citation, "no institution type given", "institution_type")
                )
            elif normalise_name(kind) not in types:
                findings.append(
                    self._fail(
                        citation,
                        f"{app.institution} is a {kind}; the applicant must be one of: "
                        f"{allowed_types}",
                        "institution_type",
                        kind,
                        allowed_types,
                    )
                )
            if country is None:
                findings.append(
                    self._not_assessed(
                        citation, "no institution country given", "institution_country"
                    )
                )
            elif country not in countries:
                findings.append(
                    self._fail(
                        citation,
                        f"{app.institution} is in {country_name(country)} ({country}); the "
                        f"applicant must be in {allowed_countries}",
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

    def describe(self) -> str:
        """What the rule asks, in one English sentence."""
        return "one of: " + "; ".join(f"{t.code} ({t.name.en})" for t in self.schemes)

    def compile(self, ctx: RuleContext) -> RuleCheck:
        """Build the check."""
        citation = ctx.cite(self.provenance)
        schemes = _lookup(self.schemes)
        allowed = ", ".join(t.code for t in self.schemes)

        def check(app: Application, _policy: InstitutionPolicy | None) -> list[Finding]:
            scheme = app.qualifying_scheme
            if not scheme:
                return [
                    self._not_assessed(citation, "no qualifying scheme given", "qualifying_scheme")
                ]
            if normalise_name(scheme) in schemes:
                return []
            return [
                self._fail(
                    citation,
                    f"{scheme!r} is not a qualifying scheme of this call; the qualifying "
                    f"schemes are {allowed}",
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

    def describe(self) -> str:
        """What the rule asks, in one English sentence."""
        groups = "; ".join(
            f"{g.title.en}: {', '.join(country_name(c) for c in g.countries)}" for g in self.groups
        )
        text = f"at least {self.minimum} partner in: {groups}"
        if self.excluded:
            names = ", ".join(country_name(e.country) for e in self.excluded)
            text += f"; partners in {names} do not count"
        return text

    def compile(self, ctx: RuleContext) -> RuleCheck:
        """Build the check."""
        citation = ctx.cite(self.provenance)
        eligible = frozenset(self.countries)
        allowed = ", ".join(self.countries)
        excluded = {e.country: ctx.cite(e.provenance) for e in self.excluded}

        def check(app: Application, _policy: InstitutionPolicy | None) -> list[Finding]:
            partners = app.partner_countries
            if not partners:
                return [
                    self._not_assessed(citation, "no partner country given", "partner_countries")
                ]
            if sum(1 for c in partners if c in eligible) >= self.minimum:
                return []
            named = ", ".join(f"{country_name(c)} ({c})" for c in partners)
            need = "a partner" if self.minimum == 1 else f"{self.minimum} partners"
            out = [c for c in partners if c in excluded]
            because = (
                f"; {', '.join(country_name(c) for c in out)} no longer counts: partners "
                "there are excluded from this call"
                if out
                else ""
            )
            return [
                self._fail(
                    excluded[out[0]] if out else citation,
                    f"{need} in an eligible country is required; the partners are in "
                    f"{named}{because}. Eligible: {allowed}",
                    "partner_countries",
                    ", ".join(partners),
                    allowed,
                )
            ]

        return check


AmountField = Literal["requested_per_year", "requested_total", "own_share"]

_AMOUNT_WORDS: dict[str, str] = {
    "requested_per_year": "requested per year",
    "requested_total": "requested in total",
    "own_share": "as own share",
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

    def describe(self) -> str:
        """What the rule asks, in one English sentence."""
        limits = [f"at least {self.minimum}"] if self.minimum else []
        limits += [f"at most {self.maximum}"] if self.maximum else []
        return f"{_AMOUNT_WORDS[self.field]}: {' and '.join(limits)}"

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

        def check(app: Application, _policy: InstitutionPolicy | None) -> list[Finding]:
            value = value_of(app)
            if value is None:
                what = f"no amount {words} given"
                if field == "requested_total":
                    what += " (nor an amount per year and a duration)"
                return [self._not_assessed(citation, what, field)]
            given = app.currency or currency
            if given != currency:
                return [
                    self._fail(
                        citation,
                        f"the amount is in {given}; the limit is in {currency}, so the two "
                        "cannot be compared",
                        "currency",
                        given,
                        currency,
                    )
                ]
            amount = Money(value, currency)
            if self.maximum is not None and value > self.maximum.amount:
                return [
                    self._fail(
                        citation,
                        f"{amount} {words} is more than the {self.maximum} allowed",
                        field,
                        str(value),
                        f"at most {self.maximum.amount}",
                    )
                ]
            if self.minimum is not None and value < self.minimum.amount:
                return [
                    self._fail(
                        citation,
                        f"{amount} {words} is less than the {self.minimum} required",
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

    def describe(self) -> str:
        """What the rule asks, in one English sentence."""
        limits = [f"at least {self.minimum_years} years"] if self.minimum_years else []
        limits += [f"at most {self.maximum_years} years"] if self.maximum_years else []
        return "a duration of " + " and ".join(limits)

    def compile(self, ctx: RuleContext) -> RuleCheck:
        """Build the check."""
        citation = ctx.cite(self.provenance)

        def check(app: Application, _policy: InstitutionPolicy | None) -> list[Finding]:
            years = app.duration_years
            if years is None:
                return [self._not_assessed(citation, "no duration given", "duration_years")]
            if self.maximum_years is not None and years > self.maximum_years:
                return [
                    self._fail(
                        citation,
                        f"a duration of {years} years is longer than the "
                        f"{self.maximum_years} years allowed",
                        "duration_years",
                        str(years),
                        f"at most {self.maximum_years}",
                    )
                ]
            if self.minimum_years is not None and years < self.minimum_years:
                return [
                    self._fail(
                        citation,
                        f"a duration of {years} years is shorter than the "
                        f"{self.minimum_years} years required",
                        "duration_years",
                        str(years),
                        f"at least {self.minimum_years}",
                    )
                ]
            return []

        return check


def _short_of(fraction: Decimal, minimum: Decimal) -> str:
    """*fraction* as a percentage, never rounded up to *minimum* when it falls short."""
    rounded = _percent(fraction)
    return _percent(fraction, ROUND_FLOOR) if rounded == _percent(minimum) else rounded


def _percent(fraction: Decimal, rounding: str = ROUND_HALF_EVEN) -> str:
    shown = (fraction * 100).quantize(Decimal("0.1"), rounding=rounding).normalize()
    return f"{shown:f} %"


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

    def describe(self) -> str:
        """What the rule asks, in one English sentence."""
        return (
            f"an own share of at least {_percent(self.minimum_fraction)} of the project "
            "budget (the amount requested plus the own share)"
        )

    def compile(self, ctx: RuleContext) -> RuleCheck:
        """Build the check."""
        citation = ctx.cite(self.provenance)
        minimum = self.minimum_fraction

        def check(app: Application, _policy: InstitutionPolicy | None) -> list[Finding]:
            own = app.own_share
            requested = app.total_requested
            if own is None:
                return [self._not_assessed(citation, "no own share given", "own_share")]
            if requested is None:
                return [
                    self._not_assessed(
                        citation,
                        "the total requested is not known (give requested_total, or "
                        "requested_per_year and duration_years)",
                        "own_share",
                    )
                ]
            budget = requested + own
            if budget <= 0 or own >= minimum * budget:
                return []
            needed = (minimum / (1 - minimum) * requested).to_integral_value(ROUND_CEILING)
            prefix = f"{app.currency or ctx.currency} "
            return [
                self._fail(
                    citation,
                    f"the own share {prefix}{format_amount(own)} is "
                    f"{_short_of(own / budget, minimum)} of "
                    f"the project budget {prefix}{format_amount(budget)}; at least "
                    f"{_percent(minimum)} is required, which with {prefix}"
                    f"{format_amount(requested)} requested is {prefix}"
                    f"{format_amount(needed)}",
                    "own_share",
                    str(own),
                    f"at least {_percent(minimum)} of the project budget",
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

    def describe(self) -> str:
        """What the rule asks, in one English sentence."""
        return "the project must have " + " and ".join(t.name.en.lower() for t in self.components)

    def compile(self, ctx: RuleContext) -> RuleCheck:
        """Build the check."""
        citation = ctx.cite(self.provenance)
        wanted = " and ".join(t.name.en.lower() for t in self.components)

        def check(app: Application, _policy: InstitutionPolicy | None) -> list[Finding]:
            findings: list[Finding] = []
            for term in self.components:
                value: bool | None = getattr(app, term.code)
                if value is None:
                    findings.append(
                        self._not_assessed(
                            citation, f"whether the project has {term.name.en.lower()}", term.code
                        )
                    )
                elif not value:
                    findings.append(
                        self._fail(
                            citation,
                            f"the project has no {term.name.en.lower()}; it must have {wanted}",
                            term.code,
                            "no",
                            "yes",
                        )
                    )
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

    def describe(self) -> str:
        """What the rule asks, in one English sentence."""
        return (
            "not supported: "
            + "; ".join(f"{t.name.en} ({t.code})" for t in self.ineligible)
            + ". Supported: "
            + ", ".join(t.code for t in self.eligible)
        )

    def compile(self, ctx: RuleContext) -> RuleCheck:
        """Build the check."""
        citation = ctx.cite(self.provenance)
        eligible = _lookup(self.eligible)
        ineligible = _lookup(self.ineligible)
        citations = {
            t.code: ctx.cite(t.provenance) if t.provenance else citation for t in self.ineligible
        }
        known = ", ".join(t.code for t in (*self.eligible, *self.ineligible))

        def check(app: Application, _policy: InstitutionPolicy | None) -> list[Finding]:
            if not app.costs:
                return [self._not_assessed(citation, "no cost categories given", "costs")]
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
                            f"{term.name.en} ({term.code}) cannot be funded by this call",
                            "costs",
                            cost,
                        )
                    )
                else:
                    findings.append(
                        Finding(
                            rule=self.id,
                            severity=Severity.WARNING,
                            message=f"{cost!r} is not a cost category of this call; check "
                            f"that it is eligible. Known categories: {known}",
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

    def describe(self) -> str:
        """What the rule asks, in one English sentence."""
        return "the list must give: " + "; ".join(t.name.en for t in self.fields)

    def compile(self, ctx: RuleContext) -> RuleCheck:
        """Build the check."""
        citation = ctx.cite(self.provenance)
        fields = [(t, ctx.cite(t.provenance) if t.provenance else citation) for t in self.fields]

        def check(app: Application, _policy: InstitutionPolicy | None) -> list[Finding]:
            return [
                self._fail(
                    field_citation,
                    f"{term.name.en} is missing",
                    term.code,
                )
                for term, field_citation in fields
                if getattr(app, term.code) in (None, "", ())
            ]

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
