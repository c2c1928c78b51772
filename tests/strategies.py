"""Hypothesis strategies for callkit's models."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st

import callkit
from callkit import MilestoneKind, Severity

SOURCE_KEYS = ("a", "b", "c")

texts = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=20
)
bilingual = st.builds(callkit.Text, nb=texts, en=texts)
countries = st.sampled_from(["NO", "SE", "BR", "ZA", "KR", "US", "DE"])
amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)
fractions = st.decimals(min_value=0, max_value=Decimal("0.99"), places=2)

provenances = st.builds(
    callkit.Provenance,
    source=st.sampled_from(SOURCE_KEYS),
    quote=st.none() | texts,
    gloss=st.none() | texts,
    note=st.none() | texts,
)
terms = st.builds(
    callkit.Term,
    code=texts,
    name=bilingual,
    aliases=st.lists(texts, max_size=2).map(tuple),
    provenance=st.none() | provenances,
)
term_lists = st.lists(terms, min_size=1, max_size=3).map(tuple)


def _rule(cls: type, **params: st.SearchStrategy[object]) -> st.SearchStrategy[callkit.Rule]:
    return st.builds(
        cls,
        id=texts,
        title=bilingual,
        provenance=provenances,
        severity=st.sampled_from([Severity.ERROR, Severity.WARNING]),
        **params,
    )


rules = st.one_of(
    _rule(
        callkit.InstitutionRule,
        types=term_lists,
        countries=st.lists(countries, min_size=1, max_size=3).map(tuple),
    ),
    _rule(callkit.SchemeRule, schemes=term_lists),
    _rule(
        callkit.PartnerCountryRule,
        groups=st.lists(
            st.builds(
                callkit.CountryGroup,
                title=bilingual,
                countries=st.lists(countries, min_size=1, max_size=4).map(tuple),
                provenance=provenances,
            ),
            min_size=1,
            max_size=2,
        ).map(tuple),
        minimum=st.integers(1, 3),
    ),
    _rule(
        callkit.AmountRule,
        field=st.sampled_from(["requested_per_year", "requested_total", "own_share"]),
        maximum=st.none() | st.builds(callkit.Money, amount=amounts, currency=st.just("NOK")),
        minimum=st.none() | st.builds(callkit.Money, amount=amounts, currency=st.just("NOK")),
    ),
    _rule(
        callkit.DurationRule,
        maximum_years=st.none() | amounts,
        minimum_years=st.none() | amounts,
    ),
    _rule(callkit.OwnShareRule, minimum_fraction=fractions),
    _rule(
        callkit.ComponentsRule,
        components=st.lists(
            st.builds(
                callkit.Term, code=st.sampled_from(["research", "education"]), name=bilingual
            ),
            min_size=1,
            max_size=2,
        ).map(tuple),
    ),
    _rule(callkit.CostRule, eligible=term_lists, ineligible=term_lists),
    _rule(
        callkit.RequiredFieldsRule,
        fields=st.lists(
            st.builds(
                callkit.Term, code=st.sampled_from(["title", "theme", "rank"]), name=bilingual
            ),
            min_size=1,
            max_size=3,
        ).map(tuple),
    ),
)

# Local times that exist exactly once in Europe/Oslo: 12:00 on any day.
deadlines = st.builds(
    callkit.Milestone,
    kind=st.just(MilestoneKind.DEADLINE),
    title=bilingual,
    date=st.dates(dt.date(1990, 1, 1), dt.date(2090, 12, 31)),
    provenance=provenances,
    zone=st.sampled_from(["Europe/Oslo", "UTC", "America/Sao_Paulo", "Asia/Tokyo"]),
    time=st.sampled_from([dt.time(12), dt.time(13, 30), dt.time(23, 59)]),
    published=st.none() | texts,
)
whole_days = st.builds(
    callkit.Milestone,
    kind=st.sampled_from([k for k in MilestoneKind if k is not MilestoneKind.DEADLINE]),
    title=bilingual,
    date=st.dates(dt.date(1990, 1, 1), dt.date(2090, 12, 31)),
    provenance=provenances,
    institution=st.none() | texts,
)


@st.composite
def calls(draw: st.DrawFn) -> callkit.Call:
    """A valid call with random rules, milestones and one policy."""
    rule_list = draw(st.lists(rules, max_size=6))
    unique = tuple({r.id: r for r in rule_list}.values())
    policy = callkit.InstitutionPolicy(
        institution=draw(st.sampled_from(["UiB", "UiO"])),
        name=callkit.Text(nb="Universitetet", en="The University"),
        provenance=draw(provenances),
        names=tuple(draw(st.lists(st.sampled_from(["U1", "U2"]), unique=True))),
        quota=draw(
            st.none()
            | st.builds(
                callkit.Quota,
                limit=st.integers(0, 50),
                provenance=provenances,
                ranking=st.none() | provenances,
            )
        ),
        rules=tuple(draw(st.lists(rules, max_size=2))),
        milestones=tuple(draw(st.lists(whole_days, max_size=2))),
    )
    return callkit.Call(
        id=draw(st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True)),
        title=draw(bilingual),
        programme=draw(bilingual),
        funder=draw(bilingual),
        administrators=tuple(draw(st.lists(bilingual, max_size=2))),
        currency="NOK",
        effective=draw(st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31))),
        sources=tuple(
            callkit.Source(key=k, url=f"https://example.org/{k}", title=k.upper())
            for k in SOURCE_KEYS
        ),
        milestones=(draw(deadlines), *draw(st.lists(whole_days, max_size=3))),
        rules=unique,
        policies=(policy,),
    )


applications = st.builds(
    callkit.Application,
    title=texts,
    institution=st.sampled_from(["UiB", "U1", "NTNU", "The University"]),
    institution_type=st.none() | texts,
    institution_country=st.none() | countries,
    faculty=st.none() | st.sampled_from(["MN", "HF"]),
    qualifying_scheme=st.none() | texts,
    partner_countries=st.lists(countries, max_size=3).map(tuple),
    requested_per_year=st.none() | amounts,
    requested_total=st.none() | amounts,
    duration_years=st.none() | st.decimals(0, 10, places=1),
    own_share=st.none() | amounts,
    currency=st.none() | st.sampled_from(["NOK", "EUR"]),
    research=st.none() | st.booleans(),
    education=st.none() | st.booleans(),
    costs=st.lists(texts, max_size=3).map(tuple),
    rank=st.none() | st.integers(1, 5),
    theme=st.none() | texts,
)
