"""What checking and reading applications cost in callkit, beside other ways of doing it.

The script makes a batch of synthetic applications (100,000 by default, from a fixed seed):
a mix meant to look like real faculty lists, with every rule of ``intpart-2022`` failing in
some share of them, some rules not assessed for lack of data, and applications from the
University of Bergen (whose policy adds rules and a quota) and from other institutions.
Then it measures

**checking**, per application, in µs, the best of ``--repeats`` runs over the batch:
``call.check(app)`` (``check_us``, and ``check_nogc_us`` with the garbage collector off);
``call.review(apps)``, which adds the quota and ranks across the batch (``review_us``);
building the ``Application`` and checking it (``build_check_us``); and the same rules as

- a pydantic v2 model with validators, ``Model.model_validate(record)`` and, when it
  fails, ``errors()`` without the context (``pydantic_us``);
- a JSON Schema compiled once with fastjsonschema, ``validate(record)`` and, when it
  fails, the error's message (``fastjsonschema_us``);
- a plain Python function that gives the same findings as callkit, each as (rule,
  severity, field), without message or source (``floor_us``): the floor. The script checks
  that it agrees with ``call.check`` on every application.

pydantic and fastjsonschema are given each application as a JSON-like record (what
``json.load`` gives); callkit and the floor the ``Application`` built from that record.
pydantic and fastjsonschema stop at the first error or report less (no warnings, no rules
not assessed, no sources); callkit reports every finding with its source. The garbage
collector runs during each run, with the benchmark's own data frozen out of its reach.

**reading**, per row, in µs: ``callkit.read_application_file`` on a CSV file of as many
rows (``read_callkit_us``), against ``list(csv.DictReader(file))`` over the same file
(``read_dictreader_us``);

**start-up**, in ms: the wall time of ``callkit check intpart-2022 FILE`` on a 20-row CSV
file, with callkit's caches warm (``startup_check_ms``) and turned off
(``startup_check_cold_ms``, ``CALLKIT_DISABLE_CACHE=1``, as on a first run), against
``python -c "import attrs, cattrs, pendulum, importlib_metadata"`` (``startup_floor_ms``),
the median of several runs after one that is not counted, the three taking turns; and
whether ``import callkit`` imports icalendar, openpyxl, babel or a plugin;

**memory**, in MiB: the resident size of a fresh process once it has loaded the call, and
its peak (``VmHWM``) after reading the CSV file and after reviewing its applications; and
the peak of ``callkit check --format jsonl``, which reads and reports row by row, on that
file and on one with twice as many rows (``memory_stream_peak_mib_N``), with its time per
row (``stream_us_N``, reading, checking and writing JSON Lines).

It prints one line per figure, ``name: value``, and ends with the ratios:
``check_ratio_pydantic``, ``check_ratio_fastjsonschema`` and ``check_ratio_floor``
(``check_us`` over each), ``build_check_ratio_pydantic`` (``build_check_us`` over
``pydantic_us``), ``read_ratio``, ``startup_ratio`` and ``startup_ratio_cold``.

Run it with ``nox -s bench`` (or ``nox -s bench -- check --apps 10000``), or with
``python benchmarks/bench_check.py`` where callkit, pydantic and fastjsonschema are
installed. It writes only inside a temporary folder, which it removes.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import gc
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from decimal import Decimal
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import fastjsonschema
from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

import callkit
from callkit._application import FIELDS  # in callkit's order: the CSV file's columns

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

CALL_ID = "intpart-2022"


Found = tuple[str, str, str | None]
"""A finding as the floor gives it: rule id, severity and field."""

NOTE = (
    "pydantic stops at the first error of each field and skips the checks across fields "
    "once a field fails, and fastjsonschema stops at the first error and cannot express "
    "the derived total, the own share or a warning; callkit reports every finding "
    "(errors, warnings and rules not assessed) with its message and the sentence of the "
    "call it comes from"
)

# -- the rules, as data taken from the call once ----------------------------------------


_SPACED_HYPHEN = re.compile(r"\s*-\s*")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Case, accents and spacing folded, as callkit compares names and codes."""
    text = _SPACES.sub(" ", _SPACED_HYPHEN.sub("-", text.strip()))
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _spellings(terms: Iterable[Any]) -> list[str]:
    """Every spelling of coded terms: code, names and aliases."""
    return [s for t in terms for s in (t.code, t.name.nb, t.name.en, *t.aliases)]


@attrs.frozen
class Tables:
    """What the competitors need to know of the call, taken from it once."""

    types: list[str]
    countries: frozenset[str]
    schemes: list[str]
    partners: frozenset[str]
    per_year_max: Decimal
    total_max: Decimal
    years_max: Decimal
    own_min: Decimal
    currency: str
    costs_ok: list[str]
    costs_bad: list[str]
    policy_names: list[str]
    policy_type: str
    policy_country: str
    required: tuple[str, ...]

    @classmethod
    def of(cls, call: callkit.Call) -> Tables:
        """The tables of intpart-2022 as *call* defines it."""
        institution = call.rule("applicant-institution")
        scheme = call.rule("qualifying-funding")
        partners = call.rule("partner-country")
        per_year = call.rule("budget-per-year")
        total = call.rule("budget-total")
        duration = call.rule("duration")
        own = call.rule("own-share")
        components = call.rule("research-and-education")
        costs = call.rule("ineligible-cost")
        required = call.rule("required-field")
        assert isinstance(institution, callkit.InstitutionRule)  # noqa: S101
        assert isinstance(scheme, callkit.SchemeRule)  # noqa: S101
        assert isinstance(partners, callkit.PartnerCountryRule)  # noqa: S101
        assert isinstance(per_year, callkit.AmountRule)  # noqa: S101
        assert isinstance(total, callkit.AmountRule)  # noqa: S101
        assert isinstance(duration, callkit.DurationRule)  # noqa: S101
        assert isinstance(own, callkit.OwnShareRule)  # noqa: S101
        assert isinstance(components, callkit.ComponentsRule)  # noqa: S101
        assert isinstance(costs, callkit.CostRule)  # noqa: S101
        assert isinstance(required, callkit.RequiredFieldsRule)  # noqa: S101
        assert per_year.maximum  # noqa: S101
        assert total.maximum  # noqa: S101
        assert duration.maximum_years  # noqa: S101
        assert [t.code for t in components.components] == ["research", "education"]  # noqa: S101
        (policy,) = call.policies
        assert policy.type  # noqa: S101
        assert policy.country  # noqa: S101
        return cls(
            types=_spellings(institution.types),
            countries=frozenset(institution.countries),
            schemes=_spellings(scheme.schemes),
            partners=frozenset(partners.countries),
            per_year_max=per_year.maximum.amount,
            total_max=total.maximum.amount,
            years_max=duration.maximum_years,
            own_min=own.minimum_fraction,
            currency=per_year.maximum.currency,
            costs_ok=_spellings(costs.eligible),
            costs_bad=_spellings(costs.ineligible),
            policy_names=list(policy.all_names),
            policy_type=policy.type,
            policy_country=policy.country,
            required=tuple(t.code for t in required.fields),
        )


# -- the synthetic applications -----------------------------------------------------------

UIB_SPELLINGS = ("UiB", "UiB", "UiB", "Universitetet i Bergen", "University of Bergen")
NEAR_MISSES = ("Univeristy of Bergen", "Universitet i Bergen")
OTHERS = (
    # name, institution type as the list gives it, country
    ("NTNU", "university", "NO"),
    ("Universitetet i Oslo", "University", "NO"),
    ("UiT Norges arktiske universitet", "universitet", "NO"),
    ("Høgskulen på Vestlandet", "Høyskole", "NO"),
    ("OsloMet", "university_college", "NO"),
    ("NORCE", "research_institute", "NO"),
    ("SINTEF", "Forskningsorganisasjon", "NO"),
    ("Havforskningsinstituttet", "Forskningsinstitutt", "NO"),
    ("Uppsala universitet", "university", "SE"),
    ("Equinor", "company", "NO"),
)
FACULTIES = ("MN", "HF", "SV", "MED", "JUS", "PSYK", "KMD")
SCHEMES_GIVEN = (
    "SFF",
    "sff",
    "RCN-RP",
    "EU-FP",
    "KSP",
    "FKB",
    "NORDIC",
    "SFI",
    "Sentre for fremragende forskning",
    "Centres of Excellence",
)
SCHEMES_WRONG = ("ERC", "Horisont Europa", "Marie Curie")
ELIGIBLE = ("BR", "CA", "IN", "JP", "CN", "ZA", "US", "KR", "DE", "FR")
INELIGIBLE = ("SE", "FI", "GB", "AU")
COSTS_GIVEN = (
    "mobility",
    "travel",
    "workshop",
    "Workshop",
    "course",
    "research_school",
    "planning",
    "teaching",
    "industry",
    "digital",
    "Gjensidige mobilitetsopphold",
)
COSTS_WRONG = ("position", "infrastructure", "Hele stillinger")
COSTS_UNKNOWN = ("catering", "equipment")
COUNTRY_NAMES = {
    "BR": "Brazil",
    "CA": "Canada",
    "IN": "India",
    "JP": "Japan",
    "CN": "Kina",
    "ZA": "Sør-Afrika",
    "US": "USA",
    "KR": "Sør-Korea",
    "DE": "Tyskland",
    "FR": "Frankrike",
    "SE": "Sverige",
    "FI": "Finland",
    "GB": "United Kingdom",
    "AU": "Australia",
    "RU": "Russland",
}


def _chance(rng: random.Random, share: float) -> bool:
    return rng.random() < share


def _institution(rng: random.Random, record: dict[str, Any]) -> None:
    """Fill the institution and what goes with it."""
    pick = rng.random()
    if pick < 0.55:  # noqa: PLR2004  (the University of Bergen: the policy supplies the rest)
        record["institution"] = rng.choice(UIB_SPELLINGS)
        record["faculty"] = rng.choice(FACULTIES)
        if _chance(rng, 0.1):
            record["institution_type"] = "university"
        if _chance(rng, 0.05):
            record["institution_country"] = rng.choice(("NO", "no"))
        if _chance(rng, 0.8):
            record["rank"] = rng.randint(1, 400)
        return
    if pick < 0.57:  # noqa: PLR2004  (a misspelt UiB: warned of, and no policy applies)
        record["institution"] = rng.choice(NEAR_MISSES)
        record["faculty"] = rng.choice(FACULTIES)
        return
    name, kind, country = rng.choice(OTHERS)
    record["institution"] = name
    if _chance(rng, 0.9):
        record["institution_type"] = kind
    if _chance(rng, 0.85):
        record["institution_country"] = country


def _partners(rng: random.Random, record: dict[str, Any]) -> None:
    pick = rng.random()
    if pick < 0.10:  # noqa: PLR2004  (none given)
        return
    if pick < 0.17:  # noqa: PLR2004  (none eligible)
        countries = rng.sample(INELIGIBLE, rng.randint(1, 2))
    elif pick < 0.20:  # noqa: PLR2004  (Russia, excluded by the amendment of 2 March)
        countries = ["RU", *rng.sample(INELIGIBLE, rng.randint(0, 1))]
    else:
        countries = rng.sample(ELIGIBLE, rng.randint(1, 2))
        countries += rng.sample(INELIGIBLE, rng.randint(0, 1))
        rng.shuffle(countries)
    record["partner_countries"] = countries
    if _chance(rng, 0.93):
        record["partner_institutions"] = [f"Partner University {c}" for c in countries]


def _money(rng: random.Random, record: dict[str, Any]) -> None:
    per_year = None
    if _chance(rng, 0.88):
        per_year = rng.randrange(300_000, 2_000_001, 50_000)
        if _chance(rng, 0.06):
            per_year = rng.randrange(2_050_000, 3_000_001, 50_000)
        record["requested_per_year"] = per_year
    years = None
    if _chance(rng, 0.85):
        years = rng.choice((2, 3, 3, 4, 5, 5, 5, 2.5, 4.5))
        if _chance(rng, 0.04):
            years = 6
        record["duration_years"] = years
    total = None
    if _chance(rng, 0.2):
        total = rng.randrange(1_000_000, 10_000_001, 100_000)
        if _chance(rng, 0.05):
            total = rng.randrange(10_100_000, 14_000_001, 100_000)
        record["requested_total"] = total
    elif per_year is not None and years is not None:
        total = int(per_year * years)
    _own_share(rng, record, total)


def _own_share(rng: random.Random, record: dict[str, Any], total: int | None) -> None:
    """Mostly enough of the budget, sometimes too little, sometimes with no total known."""
    if _chance(rng, 0.8):
        if total is None:
            record["own_share"] = rng.randrange(200_000, 3_000_001, 10_000)
        elif _chance(rng, 0.88):
            record["own_share"] = total // 4 + rng.randrange(0, 1_000_001, 10_000)
        else:
            record["own_share"] = total // 8 + rng.randrange(0, total // 10 + 1, 1_000)


def _currency(rng: random.Random, record: dict[str, Any]) -> None:
    pick = rng.random()
    if pick < 0.03:  # noqa: PLR2004  (amounts in a currency the limits are not in)
        record["currency"] = "EUR"
    elif pick < 0.30:  # noqa: PLR2004
        record["currency"] = rng.choice(("NOK", "nok"))


def _costs(rng: random.Random, record: dict[str, Any]) -> None:
    if _chance(rng, 0.1):
        return
    costs = rng.sample(COSTS_GIVEN, rng.randint(1, 4))
    if _chance(rng, 0.05):
        costs.append(rng.choice(COSTS_WRONG))
    if _chance(rng, 0.04):
        costs.append(rng.choice(COSTS_UNKNOWN))
    record["costs"] = costs


def make_record(rng: random.Random, number: int) -> dict[str, Any]:
    """One synthetic application as a JSON-like record; a field not given is left out."""
    record: dict[str, Any] = {"title": f"Partnership project {number}"}
    _institution(rng, record)
    for field, share in (
        ("theme", 0.93),
        ("applicant", 0.95),
        ("department", 0.94),
        ("qualifying_project", 0.9),
    ):
        if _chance(rng, share):
            record[field] = f"{field.replace('_', ' ').capitalize()} {number % 997}"
    pick = rng.random()
    if pick < 0.85:  # noqa: PLR2004
        record["qualifying_scheme"] = rng.choice(SCHEMES_GIVEN)
    elif pick < 0.92:  # noqa: PLR2004
        record["qualifying_scheme"] = rng.choice(SCHEMES_WRONG)
    _partners(rng, record)
    _money(rng, record)
    _currency(rng, record)
    for field in ("research", "education"):
        pick = rng.random()
        if pick < 0.85:  # noqa: PLR2004
            record[field] = True
        elif pick < 0.9:  # noqa: PLR2004
            record[field] = False
    _costs(rng, record)
    return {field: record[field] for field in FIELDS if field in record}


def make_records(count: int, seed: int) -> list[dict[str, Any]]:
    """*count* synthetic applications, the same for the same seed."""
    rng = random.Random(seed)
    return [make_record(rng, number) for number in range(count)]


# -- CSV as people write it -----------------------------------------------------------------


def _cell(rng: random.Random, field: str, value: object) -> str:  # noqa: PLR0911
    """A record's value as a cell of a faculty list."""
    if isinstance(value, bool):
        return rng.choice(("yes", "ja", "true") if value else ("no", "nei", "false"))
    if field == "partner_countries":
        assert isinstance(value, list)  # noqa: S101
        return ";".join(COUNTRY_NAMES[c] if _chance(rng, 0.3) else c for c in value)
    if isinstance(value, list):
        return "; ".join(value)
    if isinstance(value, float):
        return str(value).replace(".", ",") if _chance(rng, 0.5) else str(value)
    if isinstance(value, int) and value >= 10_000:  # noqa: PLR2004
        pick = rng.random()
        if pick < 0.3:  # noqa: PLR2004
            return f"{value:,}".replace(",", " ")
        if pick < 0.4:  # noqa: PLR2004
            return f"{value:,}".replace(",", ".")
        return str(value)
    return str(value)


def write_csv(path: Path, records: list[dict[str, Any]], seed: int, *, bad_every: int = 0) -> None:
    """Write *records* as a CSV file; with *bad_every*, one row in that many has a bad cell."""
    rng = random.Random(seed + 1)
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(FIELDS)
        for number, record in enumerate(records):
            row = [_cell(rng, f, record[f]) if f in record else "" for f in FIELDS]
            if bad_every and number % bad_every == bad_every - 1:
                if number % (2 * bad_every) < bad_every:
                    row[FIELDS.index("duration_years")] = "fem år"
                else:
                    row[FIELDS.index("partner_countries")] = "Atlantis"
            writer.writerow(row)


# -- the same rules in pydantic -----------------------------------------------------------


def pydantic_model(t: Tables) -> type[BaseModel]:  # noqa: C901  (one validator a rule)
    """The rules of *t* as a pydantic v2 model with validators."""
    types = frozenset(fold(s) for s in t.types)
    schemes = frozenset(fold(s) for s in t.schemes)
    costs_bad = frozenset(fold(s) for s in t.costs_bad)
    policy_names = frozenset(fold(s) for s in t.policy_names)
    currency = t.currency

    class PydanticApplication(BaseModel):
        title: str
        institution: str
        theme: str | None = None
        applicant: str | None = None
        institution_type: str | None = None
        institution_country: str | None = None
        faculty: str | None = None
        department: str | None = None
        qualifying_scheme: str | None = None
        qualifying_project: str | None = None
        partner_countries: tuple[str, ...] = ()
        partner_institutions: tuple[str, ...] = ()
        requested_per_year: Decimal | None = Field(None, ge=0, le=t.per_year_max)
        requested_total: Decimal | None = Field(None, ge=0, le=t.total_max)
        duration_years: Decimal | None = Field(None, ge=0, le=t.years_max)
        own_share: Decimal | None = Field(None, ge=0)
        currency: str | None = None
        research: bool | None = None
        education: bool | None = None
        costs: tuple[str, ...] = ()
        rank: int | None = None

        @field_validator("institution_type")
        @classmethod
        def _type(cls, value: str | None) -> str | None:
            if value is not None and fold(value) not in types:
                msg = f"the applicant must be one of: {', '.join(t.types)}"
                raise ValueError(msg)
            return value

        @field_validator("institution_country")
        @classmethod
        def _country(cls, value: str | None) -> str | None:
            if value is not None and value.upper() not in t.countries:
                msg = f"the applicant must be in {', '.join(sorted(t.countries))}"
                raise ValueError(msg)
            return value

        @field_validator("qualifying_scheme")
        @classmethod
        def _scheme(cls, value: str | None) -> str | None:
            if value is not None and fold(value) not in schemes:
                msg = "not a qualifying scheme of this call"
                raise ValueError(msg)
            return value

        @field_validator("partner_countries")
        @classmethod
        def _partners(cls, value: tuple[str, ...]) -> tuple[str, ...]:
            if value and not any(c.upper() in t.partners for c in value):
                msg = "a partner in an eligible country is required"
                raise ValueError(msg)
            return value

        @field_validator("research", "education")
        @classmethod
        def _component(cls, value: bool | None) -> bool | None:  # noqa: FBT001
            if value is False:
                msg = "the project must have research and education"
                raise ValueError(msg)
            return value

        @field_validator("costs")
        @classmethod
        def _costs(cls, value: tuple[str, ...]) -> tuple[str, ...]:
            for cost in value:
                if fold(cost) in costs_bad:
                    msg = f"{cost} cannot be funded by this call"
                    raise ValueError(msg)
            return value

        @model_validator(mode="after")
        def _across(self) -> PydanticApplication:
            if fold(self.institution) in policy_names:
                missing = [f for f in t.required if not getattr(self, f)]
                if missing:
                    msg = f"missing: {', '.join(missing)}"
                    raise ValueError(msg)
            total = self.requested_total
            if total is None and self.requested_per_year is not None:
                years = self.duration_years
                total = None if years is None else self.requested_per_year * years
            given = (self.currency or currency).upper()
            if given != currency and (total is not None or self.requested_per_year is not None):
                msg = f"the amounts are in {given}; the limits are in {currency}"
                raise ValueError(msg)
            if total is not None and total > t.total_max:
                msg = f"{total} requested in total is more than {t.total_max}"
                raise ValueError(msg)
            own = self.own_share
            if own is not None and total is not None and own < t.own_min * (total + own):
                msg = f"the own share must be at least {t.own_min} of the project budget"
                raise ValueError(msg)
            return self

    return PydanticApplication


def run_pydantic(model: type[BaseModel], records: list[dict[str, Any]]) -> list[Any]:
    """Validate every record; the model, or the list of its errors.

    Each error keeps its type, location, message and input, but not its context: for a
    validator's error that is the exception, whose traceback would keep frames alive.
    """
    validate = model.model_validate
    out: list[Any] = []
    for record in records:
        try:
            out.append(validate(record))
        except ValidationError as error:
            out.append(error.errors(include_url=False, include_context=False))
    return out


# -- the same rules as a JSON Schema --------------------------------------------------------


def _any_of(spellings: Iterable[str]) -> str:
    """A pattern matching any of *spellings*, whole and in any case."""
    return "(?i)^(?:" + "|".join(re.escape(s) for s in sorted(set(spellings))) + ")$"


def json_schema(t: Tables) -> dict[str, Any]:
    """The rules of *t* that JSON Schema can express.

    It cannot derive the total from the amount per year and the duration, compare the own
    share with the budget, warn (of an unknown cost category), or say that a rule was not
    assessed.
    """
    text = {"type": "string"}
    texts = {"type": "array", "items": text}
    amount = {"type": "number", "minimum": 0}
    required = {
        f: {"minItems": 1}
        if f in {"partner_countries", "partner_institutions"}
        else {"minLength": 1}
        for f in t.required
    }
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "required": ["title", "institution"],
        "properties": {
            "title": text,
            "institution": text,
            "theme": text,
            "applicant": text,
            "institution_type": {"type": "string", "pattern": _any_of(t.types)},
            "institution_country": {"type": "string", "pattern": _any_of(t.countries)},
            "faculty": text,
            "department": text,
            "qualifying_scheme": {"type": "string", "pattern": _any_of(t.schemes)},
            "qualifying_project": text,
            "partner_countries": {
                "type": "array",
                "items": text,
                "contains": {"type": "string", "pattern": _any_of(t.partners)},
            },
            "partner_institutions": texts,
            "requested_per_year": {**amount, "maximum": int(t.per_year_max)},
            "requested_total": {**amount, "maximum": int(t.total_max)},
            "duration_years": {**amount, "maximum": int(t.years_max)},
            "own_share": amount,
            "currency": {"type": "string", "pattern": _any_of([t.currency])},
            "research": {"type": "boolean", "const": True},
            "education": {"type": "boolean", "const": True},
            "costs": {
                "type": "array",
                "items": {"type": "string", "not": {"pattern": _any_of(t.costs_bad)}},
            },
            "rank": {"type": "integer", "minimum": 1},
        },
        "allOf": [
            {
                "if": {
                    "required": ["institution"],
                    "properties": {"institution": {"pattern": _any_of(t.policy_names)}},
                },
                "then": {"required": list(t.required), "properties": required},
            }
        ],
    }


def run_fastjsonschema(validate: Callable[[Any], Any], records: list[dict[str, Any]]) -> list[Any]:
    """Validate every record; the record, or the message of the error that stopped it."""
    out: list[Any] = []
    for record in records:
        try:
            out.append(validate(record))
        except fastjsonschema.JsonSchemaValueException as error:
            out.append(error.message)
    return out


# -- the floor: the same findings in plain Python -------------------------------------------


def make_floor(t: Tables) -> Callable[[callkit.Application], list[Found]]:  # noqa: C901, PLR0915
    """A plain function giving the findings ``call.check`` gives, as (rule, severity, field).

    It makes the same decisions on the same ``Application`` (folding names as callkit
    does, deriving the total, warning of a name close to the policy's), but builds no
    message, no citation and no report.
    """
    types = frozenset(fold(s) for s in t.types)
    countries = t.countries
    schemes = frozenset(fold(s) for s in t.schemes)
    partners = t.partners
    per_year_max, total_max, years_max, own_min = (
        t.per_year_max,
        t.total_max,
        t.years_max,
        t.own_min,
    )
    currency = t.currency
    costs_ok = frozenset(fold(s) for s in t.costs_ok)
    costs_bad = frozenset(fold(s) for s in t.costs_bad)
    policy_names = frozenset(fold(s) for s in t.policy_names)
    close_to = sorted(policy_names)
    policy_type, policy_country, required = t.policy_type, t.policy_country, t.required
    near: dict[str, bool] = {}

    def floor(app: callkit.Application) -> list[Found]:  # noqa: C901, PLR0912, PLR0915
        out: list[Found] = []
        institution = app.institution
        policy = fold(institution) in policy_names
        if not policy and institution:
            if institution not in near:
                close = difflib.get_close_matches(fold(institution), close_to, n=1, cutoff=0.8)
                near[institution] = bool(close)
            if near[institution]:
                out.append(("institution-name", "warning", "institution"))
        # applicant-institution
        kind = app.institution_type or (policy_type if policy else None)
        country = app.institution_country or (policy_country if policy else None)
        if kind is None:
            out.append(("applicant-institution", "info", "institution_type"))
        elif fold(kind) not in types:
            out.append(("applicant-institution", "error", "institution_type"))
        if country is None:
            out.append(("applicant-institution", "info", "institution_country"))
        elif country not in countries:
            out.append(("applicant-institution", "error", "institution_country"))
        # qualifying-funding
        scheme = app.qualifying_scheme
        if not scheme:
            out.append(("qualifying-funding", "info", "qualifying_scheme"))
        elif fold(scheme) not in schemes:
            out.append(("qualifying-funding", "error", "qualifying_scheme"))
        # partner-country
        countries_given = app.partner_countries
        if not countries_given:
            out.append(("partner-country", "info", "partner_countries"))
        elif not any(c in partners for c in countries_given):
            out.append(("partner-country", "error", "partner_countries"))
        # budget-per-year and budget-total
        same_currency = (app.currency or currency) == currency
        per_year = app.requested_per_year
        years = app.duration_years
        if per_year is None:
            out.append(("budget-per-year", "info", "requested_per_year"))
        elif not same_currency:
            out.append(("budget-per-year", "error", "currency"))
        elif per_year > per_year_max:
            out.append(("budget-per-year", "error", "requested_per_year"))
        total = app.requested_total
        if total is None and per_year is not None and years is not None:
            total = per_year * years
        if total is None:
            out.append(("budget-total", "info", "requested_total"))
        elif not same_currency:
            out.append(("budget-total", "error", "currency"))
        elif total > total_max:
            out.append(("budget-total", "error", "requested_total"))
        # duration
        if years is None:
            out.append(("duration", "info", "duration_years"))
        elif years > years_max:
            out.append(("duration", "error", "duration_years"))
        # own-share
        own = app.own_share
        if own is None or total is None:
            out.append(("own-share", "info", "own_share"))
        elif own < own_min * (total + own):
            out.append(("own-share", "error", "own_share"))
        # research-and-education
        if app.research is None:
            out.append(("research-and-education", "info", "research"))
        elif not app.research:
            out.append(("research-and-education", "error", "research"))
        if app.education is None:
            out.append(("research-and-education", "info", "education"))
        elif not app.education:
            out.append(("research-and-education", "error", "education"))
        # ineligible-cost
        if not app.costs:
            out.append(("ineligible-cost", "info", "costs"))
        for cost in app.costs:
            key = fold(cost)
            if key in costs_ok:
                continue
            out.append(("ineligible-cost", "error" if key in costs_bad else "warning", "costs"))
        # the policy's required-field
        if policy:
            out.extend(
                ("required-field", "error", field)
                for field in required
                if getattr(app, field) in (None, "", ())
            )
        return out

    return floor


# -- measuring --------------------------------------------------------------------------------


def timed(work: Callable[[], Any], repeats: int, *, collect: bool = True) -> tuple[float, Any]:
    """The best time of *work* in seconds over *repeats* runs, and its last result.

    The garbage collector runs as usual (unless *collect* is false), but what exists before
    a run (the synthetic applications, in every form) is frozen out of its reach, so that
    a run pays for collecting what it makes itself, not what the benchmark holds.
    """
    times = []
    result = None
    for _ in range(repeats):
        result = None
        gc.collect()
        gc.freeze()
        if not collect:
            gc.disable()
        try:
            start = time.perf_counter()
            result = work()
            times.append(time.perf_counter() - start)
        finally:
            gc.enable()
            gc.unfreeze()
    return min(times), result


def figure(name: str, value: float | str) -> None:
    """Print one figure."""
    shown = f"{value:.2f}" if isinstance(value, float) else value
    print(f"{name}: {shown}", flush=True)


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %"


def _found(report: callkit.ApplicationReport) -> list[Found]:
    return sorted((f.rule, str(f.severity), f.field) for f in report.findings if f.rule != "quota")


def show_mix(call: callkit.Call, reports: list[callkit.ApplicationReport]) -> None:
    """Print the share of applications with an error, warning or info finding of each rule."""
    count = len(reports)
    kinds: dict[str, Counter[str]] = {}
    for report in reports:
        for rule, severity in {(f.rule, str(f.severity)) for f in report.findings}:
            kinds.setdefault(rule, Counter())[severity] += 1
    rules = [r.id for r in call.rules] + [r.id for p in call.policies for r in p.rules]
    for rule in [*rules, "institution-name"]:
        shares = kinds.get(rule, Counter())
        figure(
            f"mix_{rule}",
            ", ".join(f"{s} {_percent(shares[s], count)}" for s in ("error", "warning", "info")),
        )
        if rule in rules and not shares["error"]:
            msg = f"no application fails {rule}: the mix is wrong"
            raise RuntimeError(msg)
    figure("findings_per_app", sum(len(r.findings) for r in reports) / count)


def agree_floor(
    records: list[dict[str, Any]],
    apps: list[callkit.Application],
    reports: list[callkit.ApplicationReport],
    floor: Callable[[callkit.Application], list[Found]],
) -> None:
    """Make sure the floor gives the findings callkit gives, on every application."""
    agree = 0
    for record, app, report in zip(records, apps, reports, strict=True):
        ours, theirs = _found(report), sorted(floor(app))
        if ours != theirs:
            msg = f"the floor disagrees on {record}: callkit {ours}, the floor {theirs}"
            raise RuntimeError(msg)
        agree += 1
    figure("floor_agrees", f"{agree} of {len(reports)}")


def measure_check(
    call: callkit.Call, records: list[dict[str, Any]], repeats: int
) -> dict[str, float]:
    """Time checking *records* every way; print the mix and the figures."""
    count = len(records)
    tables = Tables.of(call)
    apps = [callkit.Application(**r, source=f"bench:{i + 2}") for i, r in enumerate(records)]
    model = pydantic_model(tables)
    validate = fastjsonschema.compile(json_schema(tables))
    floor = make_floor(tables)
    check = call.check

    seconds, reports = timed(lambda: [check(a) for a in apps], repeats)
    figure("check_us", seconds / count * 1e6)
    times = {"check": seconds}

    callkit_rejects = [not r.ok for r in reports]
    figure("valid_share", _percent(count - sum(callkit_rejects), count))
    show_mix(call, reports)
    agree_floor(records, apps, reports, floor)
    del reports

    seconds, _ = timed(lambda: [check(a) for a in apps], repeats, collect=False)
    figure("check_nogc_us", seconds / count * 1e6)

    seconds, review = timed(lambda: call.review(apps), repeats)
    figure("review_us", seconds / count * 1e6)
    figure(
        "review_quota_findings",
        str(sum(f.rule == "quota" for r in review.applications for f in r.findings)),
    )
    del review

    seconds, _ = timed(lambda: [check(callkit.Application(**r)) for r in records], repeats)
    figure("build_check_us", seconds / count * 1e6)
    times["build_check"] = seconds

    seconds, results = timed(lambda: run_pydantic(model, records), repeats)
    figure("pydantic_us", seconds / count * 1e6)
    times["pydantic"] = seconds
    rejected = [isinstance(r, list) for r in results]
    figure("pydantic_rejects", _percent(sum(rejected), count))
    figure("pydantic_errors_per_app", sum(len(r) for r in results if isinstance(r, list)) / count)
    figure("callkit_rejects", _percent(sum(callkit_rejects), count))
    figure(
        "pydantic_verdict_agrees",
        _percent(sum(a == b for a, b in zip(rejected, callkit_rejects, strict=True)), count),
    )
    del results

    seconds, results = timed(lambda: run_fastjsonschema(validate, records), repeats)
    figure("fastjsonschema_us", seconds / count * 1e6)
    times["fastjsonschema"] = seconds
    rejected = [isinstance(r, str) for r in results]
    figure("fastjsonschema_rejects", _percent(sum(rejected), count))
    figure(
        "fastjsonschema_verdict_agrees",
        _percent(sum(a == b for a, b in zip(rejected, callkit_rejects, strict=True)), count),
    )
    del results

    seconds, _ = timed(lambda: [floor(a) for a in apps], repeats)
    figure("floor_us", seconds / count * 1e6)
    times["floor"] = seconds
    figure("note", NOTE)
    return times


# -- reading, start-up and memory -------------------------------------------------------------


def measure_read(path: Path, count: int, repeats: int) -> tuple[float, float]:
    """Time reading *path* with callkit and with csv.DictReader; seconds of each."""

    def dict_reader() -> list[dict[str, str]]:
        with path.open(encoding="utf-8", newline="") as file:
            return list(csv.DictReader(file))

    bare, rows = timed(dict_reader, repeats)
    if len(rows) != count:
        msg = f"csv.DictReader read {len(rows)} rows, not {count}"
        raise RuntimeError(msg)
    del rows
    seconds, result = timed(lambda: callkit.read_application_file(path), repeats)
    if len(result.applications) != count:
        msg = f"callkit read {len(result.applications)} applications, not {count}"
        raise RuntimeError(msg)
    figure("read_callkit_us", seconds / count * 1e6)
    figure("read_dictreader_us", bare / count * 1e6)
    figure("read_problems", str(len(result.problems)))
    return seconds, bare


def environment(cwd: Path) -> dict[str, str]:
    """The environment of a measured process run in *cwd*: no callkit settings.

    callkit keeps its caches in a folder of the benchmark's own, ``cache`` in *cwd*, never
    the user's.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("CALLKIT_")}
    return {**env, "XDG_CACHE_HOME": str(cwd / "cache")}


Command = tuple[list[str], tuple[int, ...], dict[str, str]]
"""A process to time: its arguments, the exit statuses it may end with, extra environment."""


def run(
    args: list[str], cwd: Path, codes: Iterable[int] = (0,), extra: dict[str, str] | None = None
) -> str:
    """Run a process, with *extra* added to its environment; its standard output."""
    done = subprocess.run(  # noqa: S603  (our own interpreter or console script)
        args,
        env={**environment(cwd), **(extra or {})},
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode not in codes:
        msg = f"{args} failed with status {done.returncode}:\n{done.stderr}"
        raise RuntimeError(msg)
    return done.stdout


def walls(commands: list[Command], cwd: Path, repeats: int) -> list[float]:
    """The median wall time of each command's process, in ms, after one run not counted.

    The commands take turns, one run of each a round, so that what else the machine does
    meanwhile weighs on each alike.
    """
    for args, codes, extra in commands:
        run(args, cwd, codes, extra)
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(repeats):
        for (args, codes, extra), taken in zip(commands, times, strict=True):
            start = time.perf_counter()
            run(args, cwd, codes, extra)
            taken.append(time.perf_counter() - start)
    return [statistics.median(taken) * 1000 for taken in times]


def callkit_command() -> list[str]:
    """The ``callkit`` console script beside this interpreter, or ``python -m callkit``."""
    script = Path(sys.executable).with_name("callkit")
    return [str(script)] if script.exists() else [sys.executable, "-m", "callkit"]


IMPORTS = """\
import json, sys
import callkit
print(json.dumps(sorted(sys.modules)))
"""


def _definition_file() -> Path:
    """The definition file of the call timed, where the installed callkit has it."""
    (ep,) = (ep for ep in entry_points(group="callkit.calls") if ep.name == CALL_ID)
    assert ep.dist is not None  # noqa: S101  (an installed distribution's entry point)
    return Path(str(ep.dist.locate_file(ep.value)))


def _kept(cwd: Path) -> str:
    """What callkit's caches in *cwd* hold: how many definitions, and what else."""
    folder = cwd / "cache" / "callkit"
    definitions = folder / "definitions"
    count = len(list(definitions.glob("*.pickle"))) if definitions.is_dir() else 0
    countries = "countries" if (folder / "countries.json").is_file() else "no countries"
    discovery = "discovery" if (folder / "discovery.json").is_file() else "no discovery"
    return f"{count} definition(s), {countries}, {discovery}"


def measure_startup(small: Path, cwd: Path, repeats: int) -> tuple[float, float, float]:
    """Time ``callkit check`` on *small*, warm and cold, and the dependencies' imports; ms.

    Warm, callkit reads the call and the country names from its caches, as from its second
    run on; cold, with ``CALLKIT_DISABLE_CACHE=1``, it reads them as on a first run or
    after the call's plugin changed. callkit keeps nothing it read from a file or folder
    changed in the last two seconds, and the benchmark's callkit was installed a moment
    ago: the definition file and the folder it was installed in are left until they are two
    seconds old, as the plugins of a real environment are.
    """
    definition = _definition_file()
    installed = max(p.stat().st_ctime for p in (definition, definition.parent.parent))
    time.sleep(max(0.0, 2.5 - (time.time() - installed)))
    command = [*callkit_command(), "check", CALL_ID, str(small)]
    dependencies = [sys.executable, "-c", "import attrs, cattrs, pendulum, importlib_metadata"]
    check, cold, floor = walls(
        [
            (command, (0, 1), {}),
            (command, (0, 1), {"CALLKIT_DISABLE_CACHE": "1"}),
            (dependencies, (0,), {}),
        ],
        cwd,
        repeats,
    )
    figure("startup_check_ms", check)
    figure("startup_check_cold_ms", cold)
    figure("startup_floor_ms", floor)
    figure("startup_cache", _kept(cwd))
    modules = {m.split(".")[0] for m in json.loads(run([sys.executable, "-c", IMPORTS], cwd))}
    heavy = sorted(modules & {"icalendar", "openpyxl", "babel"})
    plugins = {re.split(r"[/:.]", ep.value)[0] for ep in entry_points(group="callkit.calls")} - {
        "callkit"
    }
    figure("import_callkit_heavy", ", ".join(heavy) or "none")
    figure("import_callkit_plugins", ", ".join(sorted(modules & plugins)) or "none")
    return check, cold, floor


KIB = """\
import re, resource
from pathlib import Path

def kib(name):
    # VmRSS and VmHWM (the peak) of this process; ru_maxrss would count the parent's peak,
    # which Linux carries over fork and exec.
    status = Path("/proc/self/status")
    if status.exists():
        return int(re.search(name + r":\\s*(\\d+)", status.read_text()).group(1))
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""
"""The function the measuring processes read their resident size with, in KiB."""

MEMORY = """\
import gc, json, sys

import callkit
call = callkit.get_call({call_id!r})
call.check(callkit.Application(title="warm", institution="UiB", partner_countries=["SE"]))
gc.collect()
loaded, loaded_peak = kib("VmRSS"), kib("VmHWM")
result = callkit.read_application_file(sys.argv[1])
read = kib("VmHWM")
review = call.review(result.applications, result.problems)
assert len(review.applications) == len(result.applications)
peak = kib("VmHWM")
print(json.dumps({{"loaded": loaded, "loaded_peak": loaded_peak, "read": read, "peak": peak}}))
"""


def measure_memory(path: Path, count: int, cwd: Path) -> None:
    """The peak resident size of reading and reviewing *path* in a fresh process, in MiB."""
    code = KIB + MEMORY.format(call_id=CALL_ID)
    used = json.loads(run([sys.executable, "-c", code, str(path)], cwd))
    figure("memory_loaded_mib", used["loaded"] / 1024)
    figure("memory_peak_read_mib", used["read"] / 1024)
    figure("memory_peak_mib", used["peak"] / 1024)
    figure("memory_per_app_kib", (used["peak"] - used["loaded"]) / count)


STREAM = """\
import json, sys, time

from callkit._cli import main
start = time.perf_counter()
status = main(["check", {call_id!r}, sys.argv[1], "--format", "jsonl", "--output", "/dev/null"])
seconds = time.perf_counter() - start
print(json.dumps({{"status": status, "peak": kib("VmHWM"), "seconds": seconds}}))
"""


def measure_stream(paths: dict[int, Path], cwd: Path) -> None:
    """The peak resident size of ``callkit check --format jsonl`` on each of *paths*, in MiB.

    Each runs in a fresh process, which writes its lines to /dev/null; *paths* maps the
    number of rows of each file to the file.
    """
    code = KIB + STREAM.format(call_id=CALL_ID)
    peaks = {}
    for rows, path in sorted(paths.items()):
        used = json.loads(run([sys.executable, "-c", code, str(path)], cwd, codes=(0, 1, 2)))
        peaks[rows] = used["peak"] / 1024
        figure(f"memory_stream_peak_mib_{rows}", peaks[rows])
        figure(f"stream_us_{rows}", used["seconds"] / rows * 1e6)
    smallest, largest = min(peaks), max(peaks)
    figure(f"memory_stream_growth_mib_{smallest}_to_{largest}", peaks[largest] - peaks[smallest])


def _cpu() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return platform.processor() or "unknown"
    found = re.search(r"^model name\s*:\s*(.+)$", text, re.MULTILINE)
    return found.group(1).strip() if found else "unknown"


def _commit() -> str:
    """The checkout's commit, with ``+changes`` if src/ differs from it; or ``unknown``."""
    here = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            cwd=here,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        changes = subprocess.run(
            ["git", "status", "--porcelain", "--", "src", "pyproject.toml"],  # noqa: S607
            cwd=here,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}+changes" if changes else head


def main(argv: list[str] | None = None) -> int:
    """Make the applications, time each way, and print the figures and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--apps", type=int, default=100_000, help="applications (100000)")
    parser.add_argument("--seed", type=int, default=2022, help="of the synthetic mix (2022)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of a batch (3)")
    parser.add_argument("--runs", type=int, default=7, help="timed start-up processes (7)")
    args = parser.parse_args(argv)
    began = time.perf_counter()

    figure("python", f"{platform.python_implementation()} {platform.python_version()}")
    figure("nproc", str(os.cpu_count()))
    figure("cpu", _cpu())
    figure("callkit", f"{callkit.__version__} ({_commit()})")
    figure("apps", str(args.apps))
    figure("seed", str(args.seed))
    figure("repeats", str(args.repeats))

    # The benchmark's own process neither reads nor writes the user's caches; the processes
    # it times keep theirs in a folder of the benchmark's own.
    os.environ["CALLKIT_DISABLE_CACHE"] = "1"
    call = callkit.get_call(CALL_ID)
    figure("call_version", call.effective.isoformat())
    records = make_records(args.apps, args.seed)
    times = measure_check(call, records, args.repeats)

    with tempfile.TemporaryDirectory(prefix="callkit-bench-") as name:
        root = Path(name)
        big = root / "applications.csv"
        write_csv(big, records, args.seed, bad_every=500)
        figure("csv_mib", big.stat().st_size / 2**20)
        small = root / "faculty-list.csv"
        write_csv(small, records[:20], args.seed)
        double = root / "applications-twice.csv"
        write_csv(
            double, records + make_records(args.apps, args.seed + 1), args.seed, bad_every=500
        )
        del records
        gc.collect()
        read, bare = measure_read(big, args.apps, args.repeats)
        check_ms, cold_ms, floor_ms = measure_startup(small, root, args.runs)
        measure_memory(big, args.apps, root)
        measure_stream({args.apps: big, 2 * args.apps: double}, root)

    figure("elapsed_s", time.perf_counter() - began)
    figure("check_ratio_pydantic", times["check"] / times["pydantic"])
    figure("check_ratio_fastjsonschema", times["check"] / times["fastjsonschema"])
    figure("check_ratio_floor", times["check"] / times["floor"])
    figure("build_check_ratio_pydantic", times["build_check"] / times["pydantic"])
    figure("read_ratio", read / bare)
    figure("startup_ratio", check_ms / floor_ms)
    figure("startup_ratio_cold", cold_ms / floor_ms)
    return 0


if __name__ == "__main__":
    sys.exit(main())
