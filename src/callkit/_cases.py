"""Tests as data: example applications with the findings a call should give them.

A plugin ships its cases beside its definition, as ``<definition>.tests.toml``::

    call = "intpart-2022"

    [[cases]]
    name = "a partner only in Sweden fails"
    applications = [{ title = "A", institution = "NTNU", partner_countries = "SE" }]
    expect.ok = false
    expect.findings = [{ rule = "partner-country", severity = "error" }]

Each case gives one or more applications (``repeat`` copies them), optionally the date
the call is taken on (``as_of``), and what is expected: whether the review is ``ok``, the
findings that must be among the applications' (each matched on the keys it gives), the
rules that must have ``passed``, the rules that must have ``no_findings``, and the state
of ``quotas``. ``callkit test`` runs them, and so does pytest with ``--callkit``.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from callkit._errors import DefinitionError

if TYPE_CHECKING:
    from pathlib import Path

    from callkit._report import Review
    from callkit._versions import CallDefinition

_CASE_KEYS = frozenset({"name", "applications", "repeat", "as_of", "expect"})
_EXPECT_KEYS = frozenset({"ok", "findings", "passed", "no_findings", "quotas"})

TESTS_SUFFIX = ".tests.toml"
"""What a definition file's cases file ends with, in place of ``.toml`` or ``.json``."""


@attrs.frozen
class Case:
    """One example: applications, a date, and what the call must find."""

    call: str
    name: str
    applications: tuple[dict[str, Any], ...]
    expect: dict[str, Any]
    as_of: dt.date | None = None
    origin: str = ""


@attrs.frozen
class CaseResult:
    """The outcome of one case: ``problems`` says what did not match (empty: passed)."""

    case: Case
    problems: tuple[str, ...]

    @property
    def passed(self) -> bool:
        """Whether the call found what the case expects."""
        return not self.problems


def cases_path(definition_path: Path) -> Path:
    """Where the cases of the definition at *definition_path* lie."""
    return definition_path.with_name(definition_path.name.rsplit(".", 1)[0] + TESTS_SUFFIX)


def load_cases(path: Path) -> list[Case]:
    """Read the cases in *path*; raises :class:`DefinitionError` naming what is wrong."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise DefinitionError(str(path), [f"cannot read the cases: {error}"]) from error
    call = data.get("call")
    if not isinstance(call, str):
        raise DefinitionError(str(path), ["call: the id of the call the cases are for"])
    unknown = set(data) - {"call", "cases"}
    if unknown:
        raise DefinitionError(str(path), [f"unknown keys: {', '.join(sorted(unknown))}"])
    cases = []
    for i, raw in enumerate(data.get("cases", [])):
        where = f"cases[{i}]"
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
            raise DefinitionError(str(path), [f"{where}: a case needs a name"])
        wrong = set(raw) - _CASE_KEYS
        wrong |= {f"expect.{k}" for k in set(raw.get("expect", {})) - _EXPECT_KEYS}
        if wrong:
            raise DefinitionError(str(path), [f"{where}: unknown keys {', '.join(sorted(wrong))}"])
        apps = raw.get("applications", [])
        if not isinstance(apps, list) or not apps or not all(isinstance(a, dict) for a in apps):
            raise DefinitionError(str(path), [f"{where}.applications: a list of tables"])
        repeat = raw.get("repeat", 1)
        if not isinstance(repeat, int) or repeat < 1:
            raise DefinitionError(str(path), [f"{where}.repeat: a whole number of 1 or more"])
        as_of = raw.get("as_of")
        if as_of is not None and not isinstance(as_of, dt.date):
            raise DefinitionError(str(path), [f"{where}.as_of: a date such as 2022-03-02"])
        cases.append(
            Case(
                call=call,
                name=raw["name"],
                applications=tuple(apps * repeat),
                expect=dict(raw.get("expect", {})),
                as_of=as_of,
                origin=f"{path}:{where}",
            )
        )
    return cases


def _matches(finding: dict[str, Any], wanted: dict[str, Any]) -> bool:
    return all(finding.get(key) == value for key, value in wanted.items())


def _check(review: Review, expect: dict[str, Any]) -> list[str]:
    data = review.to_dict()
    findings = [f for a in data["applications"] for f in a["findings"]]
    findings += [f for q in data["quotas"] for f in q["findings"]]
    problems = []
    if "ok" in expect and data["ok"] is not expect["ok"]:
        problems.append(f"expected ok = {expect['ok']}, got {data['ok']}")
    for wanted in expect.get("findings", []):
        if not any(_matches(f, wanted) for f in findings):
            got = ", ".join(sorted({f"{f['rule']}/{f['severity']}" for f in findings})) or "none"
            problems.append(f"no finding matches {wanted}; the findings are: {got}")
    for rule in expect.get("passed", []):
        missing = [a["source"] for a in data["applications"] if rule not in a["passed"]]
        if missing:
            problems.append(f"{rule} did not pass for {', '.join(missing)}")
    problems.extend(
        f"expected no {rule} finding, but there is one"
        for rule in expect.get("no_findings", [])
        if any(f["rule"] == rule for f in findings)
    )
    problems.extend(
        f"no quota matches {wanted}; the quotas are {data['quotas']}"
        for wanted in expect.get("quotas", [])
        if not any(_matches(q, wanted) for q in data["quotas"])
    )
    return problems


def run_case(definition: CallDefinition, case: Case) -> CaseResult:
    """Run one case against the call it names."""
    from callkit._readers import read_records  # noqa: PLC0415

    call = definition.as_of(case.as_of)
    read = read_records(list(case.applications), case.origin)
    problems = [f"input: {p}" for p in read.problems]
    if not problems:
        problems = _check(call.review(read.applications), case.expect)
    return CaseResult(case, tuple(problems))
