"""Lint: what in a call's timeline is suspicious, though the definition loads.

A lint finding names the milestone and the source it comes from. Errors are what cannot be
right (an internal deadline after the deadline it serves, a weekday that does not fall on
its date); warnings are what a person should look at (a published zone label that does
not match the zone's offset on that date).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import pendulum

from callkit._errors import DefinitionError
from callkit._finding import Severity
from callkit._i18n import Either, Language, Localized, Message, Word, msg, text
from callkit._provenance import Citation
from callkit._timeline import KIND_NAMES, Milestone, MilestoneKind
from callkit._versions import CallDefinition

if TYPE_CHECKING:
    from collections.abc import Iterator

    from callkit._call import Call
    from callkit._provenance import Provenance

# Abbreviations that people print after a time in place of a zone, with the offsets
# (in minutes east of UTC) each may stand for; some, such as IST and CST, stand for several.
_ZONE_LABELS: dict[str, frozenset[int]] = {
    label: frozenset(int(float(h) * 60) for h in hours.split("/"))
    for label, hours in (
        ("UTC", "0"),
        ("GMT", "0"),
        ("Z", "0"),
        ("WET", "0"),
        ("WEST", "1"),
        ("BST", "1"),
        ("CET", "1"),
        ("CEST", "2"),
        ("EET", "2"),
        ("EEST", "3"),
        ("MSK", "3"),
        ("SAST", "2"),
        ("IST", "5.5/1/2"),
        ("EST", "-5"),
        ("EDT", "-4"),
        ("CST", "-6/8"),
        ("CDT", "-5"),
        ("MST", "-7"),
        ("MDT", "-6"),
        ("PST", "-8"),
        ("PDT", "-7"),
        ("AKST", "-9"),
        ("AKDT", "-8"),
        ("HST", "-10"),
        ("JST", "9"),
        ("KST", "9"),
        ("AWST", "8"),
        ("ACST", "9.5"),
        ("ACDT", "10.5"),
        ("AEST", "10"),
        ("AEDT", "11"),
        ("NZST", "12"),
        ("NZDT", "13"),
        ("BRT", "-3"),
        ("ART", "-3"),
    )
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@attrs.frozen
class LintFinding:
    """One thing lint found: a ``code`` to filter on, a severity, and what it concerns.

    ``milestone`` describes the milestone (kind, title, date and institution), and
    ``source`` cites where the milestone comes from.
    """

    code: str
    severity: Severity
    message: str
    milestone: str | None = None
    source: Citation | None = None

    def to_dict(self, lang: Language = "en") -> dict[str, Any]:
        """As plain data, as ``callkit lint --format json`` gives it, in *lang*."""
        from callkit._render import citation_to_dict  # noqa: PLC0415

        return {
            "code": self.code,
            "severity": str(self.severity),
            "message": text(self.message, lang),
            "milestone": None if self.milestone is None else text(self.milestone, lang),
            "source": None if self.source is None else citation_to_dict(self.source),
        }


def describe(milestone: Milestone) -> Message:
    """A milestone named for a person: kind, title, date and whose it is."""
    args = {
        "kind": Word(KIND_NAMES[milestone.kind]),
        "title": milestone.title,
        "when": milestone.isoformat(),
    }
    if milestone.institution:
        return msg(
            "{kind} “{title}” of {institution} ({when})", **args, institution=milestone.institution
        )
    return msg("{kind} “{title}” ({when})", **args)


class _Weekday(Localized):
    """The name of a date's weekday, in the message's language."""

    __slots__ = ("day",)

    def __init__(self, day: dt.date) -> None:
        self.day = day

    def get(self, lang: Language) -> str:
        return pendulum.Date(self.day.year, self.day.month, self.day.day).format(
            "dddd", locale=lang
        )


def _weekdays() -> dict[str, int]:
    from babel import Locale  # noqa: PLC0415

    names: dict[str, int] = {}
    for lang in ("nb", "en"):
        for number, name in Locale.parse(lang).days["format"]["wide"].items():
            names[str(name).casefold()] = int(number)
    return names


class _Linter:
    def __init__(self, call: Call) -> None:
        self.call = call
        self.timeline = call.timeline

    def finding(self, code: str, severity: Severity, message: Message, m: Milestone) -> LintFinding:
        return LintFinding(
            code=code,
            severity=severity,
            message=message,
            milestone=describe(m),
            source=self.call.cite(m.provenance),
        )

    def run(self) -> list[LintFinding]:
        return [
            *self.zone_labels(),
            *self.weekdays(),
            *self.naive(),
            *self.internal_deadlines(),
            *self.order(),
        ]

    def zone_labels(self) -> Iterator[LintFinding]:
        """A published label such as "CEST" that does not fit the zone's offset that day.

        A label fits when it is the zone's own abbreviation on that date or stands for
        the same offset; of several labels ("CET/CEST"), one fitting is enough.
        """
        for m in self.timeline:
            if not m.published or m.time is None or m.zone is None:
                continue
            at = m.at
            assert isinstance(at, pendulum.DateTime)  # noqa: S101  (a time and a zone)
            actual = at.tzname() or ""
            minutes = int((at.utcoffset() or dt.timedelta()).total_seconds() // 60)
            labels = [x for x in re.findall(r"\b[A-Z]{1,5}\b", m.published) if x in _ZONE_LABELS]
            if not labels or any(x == actual or minutes in _ZONE_LABELS[x] for x in labels):
                continue
            yield self.finding(
                "zone-label",
                Severity.WARNING,
                msg(
                    "published as {published!r}, but on {day} {zone} is on {actual} "
                    "(UTC{offset}), not {labels}: the instant is {utc} UTC",
                    published=m.published,
                    day=m.day,
                    zone=m.zone,
                    actual=actual,
                    offset=at.format("Z"),
                    labels=Either(labels),
                    utc=at.in_tz("UTC").format("YYYY-MM-DD HH:mm"),
                ),
                m,
            )

    def weekdays(self) -> Iterator[LintFinding]:
        names: dict[str, int] | None = None
        for m in self.timeline:
            if not m.published:
                continue
            names = names if names is not None else _weekdays()
            for word in _WORD.findall(m.published):
                weekday = names.get(word.casefold())
                if weekday is not None and weekday != m.day.weekday():
                    yield self.finding(
                        "weekday",
                        Severity.ERROR,
                        msg(
                            "published as {published!r}, but {day} is a {weekday}",
                            published=m.published,
                            day=m.day,
                            weekday=_Weekday(m.day),
                        ),
                        m,
                    )

    def naive(self) -> Iterator[LintFinding]:
        for m in self.timeline:
            if m.zone is None:
                yield self.finding(
                    "naive",
                    Severity.WARNING,
                    msg(
                        "the milestone has no zone, so the instant its day starts and ends "
                        "depends on where it is read; give it an IANA zone"
                    ),
                    m,
                )

    def internal_deadlines(self) -> Iterator[LintFinding]:
        deadlines = self.timeline.deadlines
        for m in self.timeline.of_kind(MilestoneKind.INTERNAL_DEADLINE):
            served = [d for d in deadlines if d.start >= m.start]
            if not served:
                if deadlines:
                    yield self.finding(
                        "internal-after-deadline",
                        Severity.ERROR,
                        msg(
                            "the internal deadline is after the funder's deadline ({deadline})",
                            deadline=deadlines[-1].isoformat(),
                        ),
                        m,
                    )
                continue
            if m.end > served[0].start:
                yield self.finding(
                    "internal-after-deadline",
                    Severity.WARNING,
                    msg(
                        "the internal deadline lasts the whole day, past the funder's deadline "
                        "at {deadline}: give it a time",
                        deadline=served[0].isoformat(),
                    ),
                    m,
                )

    def order(self) -> Iterator[LintFinding]:
        def first(kind: MilestoneKind) -> Milestone | None:
            found = [m for m in self.timeline.of_kind(kind) if not m.institution]
            return found[0] if found else None

        opens = first(MilestoneKind.OPENS)
        deadlines = self.timeline.deadlines
        if opens is not None:
            for d in deadlines:
                if d.start <= opens.start:
                    yield self.finding(
                        "out-of-order",
                        Severity.ERROR,
                        msg(
                            "the deadline is not after the call opens ({opens})",
                            opens=opens.isoformat(),
                        ),
                        d,
                    )
        stages = {d.stage: d for d in deadlines if d.stage}
        if {"outline", "full"} <= stages.keys() and stages["full"].start <= stages["outline"].start:
            yield self.finding(
                "out-of-order",
                Severity.ERROR,
                msg("the full proposal's deadline is not after the outline's"),
                stages["full"],
            )
        sequence = [
            first(MilestoneKind.EARLIEST_START),
            first(MilestoneKind.LATEST_START),
            first(MilestoneKind.LATEST_END),
        ]
        present = [m for m in sequence if m is not None]
        for before, after in itertools.pairwise(present):
            if after.start < before.start:
                yield self.finding(
                    "out-of-order",
                    Severity.ERROR,
                    msg(
                        "the {after} is before the {before} ({when})",
                        after=Word(KIND_NAMES[after.kind]),
                        before=Word(KIND_NAMES[before.kind]),
                        when=before.isoformat(),
                    ),
                    after,
                )
        if deadlines and present and present[0].start < deadlines[0].start:
            yield self.finding(
                "out-of-order",
                Severity.ERROR,
                msg(
                    "the {kind} is before the application deadline ({deadline})",
                    kind=Word(KIND_NAMES[present[0].kind]),
                    deadline=deadlines[0].isoformat(),
                ),
                present[0],
            )


def _definition_findings(definition: CallDefinition) -> Iterator[LintFinding]:
    """What is wrong with the definition itself, beyond its timeline."""
    from callkit._countries import is_country  # noqa: PLC0415

    call = definition.latest

    def finding(code: str, severity: Severity, message: Message, where: Provenance) -> LintFinding:
        return LintFinding(code=code, severity=severity, message=message, source=call.cite(where))

    unknown = dict.fromkeys(
        (where, code, provenance)
        for version in definition.versions
        for where, code, provenance in _country_codes(version)
        if not is_country(code)
    )
    yield from (
        finding(
            "country",
            Severity.ERROR,
            msg("{where}: {code!r} is not the ISO 3166 code of a country", where=where, code=code),
            provenance,
        )
        for where, code, provenance in unknown
    )
    for policy in call.policies:
        if policy.quota is not None and not policy.names:
            yield finding(
                "quota-names",
                Severity.WARNING,
                msg(
                    "the quota of {institution} counts only applications that name it "
                    "{institution!r}, {nb!r} or {en!r}: list the other names it goes by in "
                    "'names'",
                    institution=policy.institution,
                    nb=policy.name.nb,
                    en=policy.name.en,
                ),
                policy.quota.provenance,
            )
    # Amendments out of date order do not load at all: lint_definition reports them.
    for rule in (*call.rules, *(r for p in call.policies for r in p.rules)):
        if not rule.provenance.quote and not rule.provenance.note:
            yield finding(
                "unquoted",
                Severity.WARNING,
                msg("the rule {rule!r} cites its source but no sentence of it", rule=rule.id),
                rule.provenance,
            )


def _country_codes(call: Call) -> Iterator[tuple[str, str, Provenance]]:
    for rule in (*call.rules, *(r for p in call.policies for r in p.rules)):
        for code in getattr(rule, "countries", ()):
            yield f"rule {rule.id}", code, rule.provenance
        for exclusion in getattr(rule, "excluded", ()):
            yield f"rule {rule.id}", exclusion.country, exclusion.provenance
    for policy in call.policies:
        if policy.country:
            yield f"policy of {policy.institution}", policy.country, policy.provenance
    for m in call.timeline:
        if m.calendar:
            yield f"milestone {m.title.en!r}", m.calendar, m.provenance


def lint(target: Call | CallDefinition) -> list[LintFinding]:
    """Lint a call's timeline, and a definition's countries, quotas, amendments and rules.

    Given a :class:`~callkit.Call` (one version), only its timeline is linted.
    """
    if isinstance(target, CallDefinition):
        found = list(_definition_findings(target))
        return found + _Linter(target.latest).run()
    return _Linter(target).run()


def lint_definition(path: str | Path) -> list[LintFinding]:
    """Lint a definition file: what keeps it from loading, or else what :func:`lint` finds.

    The file is checked against the JSON Schema of definitions and then loaded; each
    problem is an error naming its key path. A deadline at a local time that does not
    exist (02:30 on the night clocks go forward) is one.
    """
    from callkit._convert import structure_definition  # noqa: PLC0415
    from callkit._datafile import read_definition_data  # noqa: PLC0415
    from callkit._schema import validate_definition  # noqa: PLC0415

    try:
        data = read_definition_data(Path(path))
        schema = validate_definition(data) if isinstance(data, dict) else []
        if schema:
            return [
                LintFinding(code="schema", severity=Severity.ERROR, message=problem)
                for problem in schema
            ]
        definition = structure_definition(data, origin=str(path))
    except DefinitionError as error:
        return [
            LintFinding(code="definition", severity=Severity.ERROR, message=problem)
            for problem in error.problems
        ]
    return lint(definition)
