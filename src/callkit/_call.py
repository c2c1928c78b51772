"""A funding call: who funds it, its sources, timeline, rules and institution policies."""

from __future__ import annotations

import datetime as dt
import decimal
import difflib
from collections import Counter, defaultdict
from functools import cached_property
from typing import TYPE_CHECKING

import attrs
import pendulum

from callkit._batch import full_collections_deferred
from callkit._countries import normalise_name
from callkit._errors import NoDeadlineError
from callkit._finding import Finding, Severity, shorten
from callkit._i18n import N_, Joined, Message, Word, msg
from callkit._policy import InstitutionPolicy, Note
from callkit._provenance import Citation, Provenance, Source
from callkit._report import ApplicationReport, QuotaReport, Review, new_report
from callkit._rules import AmountRule, AnyRule, RuleCheck, RuleContext
from callkit._text import Text
from callkit._timeline import Milestone, MilestoneKind, Timeline, check_year, resolve
from callkit._versions import Amendment

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Iterable, Iterator

    from callkit._application import Application
    from callkit._errors import InputProblem
    from callkit._money import Money
    from callkit._readers import ApplicationRow
    from callkit._stream import ReviewStream

INPUT_RULE = "input"
"""The rule id of findings about input that could not be read."""

QUOTA_RULE = "quota"
"""The rule id of findings about an institution's quota and ranks."""

INSTITUTION_NAME_RULE = "institution-name"
"""The rule id of a warning that an institution's name nearly matches a policy's."""

_Checks = tuple[tuple[str, frozenset[str], bool, RuleCheck], ...]


def _compiled_rule(
    rule: AnyRule, context: RuleContext
) -> tuple[str, frozenset[str], bool, RuleCheck]:
    return rule.id, rule.reads, rule.each_field_alone, rule.compile(context)


_NEAR_MISS_CACHE = 4096
"""How many institution names a call remembers the near-miss verdict (and policy) of."""

_UNKNOWN = object()

_EXACT = decimal.Context(
    prec=200, traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow]
)
"""Room enough that sums and products of the amounts an application gives are exact.

Checking sets it as the context of its thread for the time of one check, shared rather
than copied each time (a copy costs as much as two rules): operations only ever raise its
flags, which nothing reads, and its precision and traps never change."""

_PASSED_CACHE = 4096
"""How many combinations of rules passed a plan remembers the tuple of."""


class _Plan:
    """The compiled rules that apply to an application, and the tuples of rules passed.

    Each rule has a bit; a check ORs together the bits of the rules it passes and looks the
    tuple of their ids up by that number. Applications pass the same few combinations, so
    every report of one shares its tuple, and a check builds none.
    """

    __slots__ = ("_passed", "bits", "checks", "ids", "unique")

    def __init__(self, checks: _Checks) -> None:
        self.checks = checks
        self.ids = tuple(rule_id for rule_id, _reads, _alone, _check in checks)
        self.bits = tuple((1 << i, check) for i, (_id, _r, _a, check) in enumerate(checks))
        self.unique = len(set(self.ids)) == len(self.ids) and INSTITUTION_NAME_RULE not in self.ids
        """Whether each rule has an id of its own, so that no rule's passing hides
        another's failing under one id."""
        self._passed: dict[int, tuple[str, ...]] = {}

    def passed(self, bits: int) -> tuple[str, ...]:
        """The ids of the rules whose bits are set, in the order of the plan."""
        passed = self._passed.get(bits)
        if passed is None:
            passed = tuple(rule_id for i, rule_id in enumerate(self.ids) if bits >> i & 1)
            if len(self._passed) < _PASSED_CACHE:
                self._passed[bits] = passed
        return passed


def provenances(obj: object, path: str = "") -> Iterator[tuple[str, Provenance]]:
    """Every provenance within *obj* (an attrs instance), with its key path."""
    if isinstance(obj, Provenance):
        yield path, obj
    elif isinstance(obj, tuple):
        for i, item in enumerate(obj):
            yield from provenances(item, f"{path}[{i}]")
    elif attrs.has(cls := type(obj)):
        for field in attrs.fields(cls):
            value = getattr(obj, field.name)
            if value is not None and not isinstance(value, str | int):
                yield from provenances(value, f"{path}.{field.name}" if path else field.name)


def _source_problems(call: Call) -> list[str]:
    keys = [s.key for s in call.sources]
    problems = [
        f"sources: the key {key!r} is used {count} times"
        for key, count in Counter(keys).items()
        if count > 1
    ]
    known = ", ".join(sorted(set(keys)))
    problems.extend(
        f"{where}.source: {p.source!r} is not one of the sources ({known})"
        for where, p in provenances(call)
        if p.source not in keys
    )
    return problems


def _rule_problems(call: Call) -> list[str]:
    ids = Counter(r.id for r in call.rules)
    problems = [
        f"rules[{i}].id: {rule.id!r} is used by more than one rule"
        for i, rule in enumerate(call.rules)
        if ids[rule.id] > 1
    ]
    problems.extend(
        f"{where}.currency: {money.currency!r} is not the call's currency {call.currency!r}"
        for where, money in _amounts(call)
        if money.currency != call.currency
    )
    return problems


def _amounts(call: Call) -> Iterator[tuple[str, Money]]:
    rules = [(f"rules[{i}]", r) for i, r in enumerate(call.rules)]
    rules += [
        (f"policies[{i}].rules[{j}]", r)
        for i, p in enumerate(call.policies)
        for j, r in enumerate(p.rules)
    ]
    for where, rule in rules:
        if isinstance(rule, AmountRule):
            for name in ("maximum", "minimum"):
                money = getattr(rule, name)
                if money is not None:
                    yield f"{where}.{name}", money


def _milestone_problems(call: Call) -> list[str]:
    given = [(f"milestones[{i}]", m) for i, m in enumerate(call.milestones)]
    given += [
        (f"policies[{i}].milestones[{j}]", m)
        for i, p in enumerate(call.policies)
        for j, m in enumerate(p.milestones)
    ]
    both = [
        f"{where}: give a 'date' or a 'relative' date, not both"
        for where, m in given
        if m.date is not None and m.relative is not None
    ]
    if both:
        return both
    problems = [
        f"milestones[{i}]: a funder deadline needs a time and a zone, not a date alone"
        for i, m in enumerate(call.milestones)
        if m.kind is MilestoneKind.DEADLINE and m.time is None
    ]
    has_deadline = any(m.kind is MilestoneKind.DEADLINE for m in call.milestones)
    if call.continuous and has_deadline:
        problems.append("milestones: a permanently open call has no deadline")
    elif not call.continuous and not has_deadline:
        problems.append(
            "milestones: a call needs a funder deadline (kind 'deadline'), or "
            "'continuous = true' if it is permanently open"
        )
    stages = [m.stage for m in call.milestones if m.stage is not None]
    if stages and sorted(stages) != ["full", "outline"]:
        problems.append("milestones: a two-stage call has one 'outline' and one 'full' deadline")
    try:
        call.timeline  # noqa: B018  (works out relative dates, refusing impossible ones)
    except ValueError as error:
        problems.append(f"milestones: {error}")
    return problems


def _policy_problems(call: Call) -> list[str]:
    problems = []
    owners: dict[str, str] = {}
    for i, policy in enumerate(call.policies):
        for name in policy.all_names:
            owner = owners.setdefault(normalise_name(name), policy.institution)
            if owner != policy.institution:
                problems.append(f"policies[{i}].names: {name!r} is also a name of {owner}")
    return problems


@attrs.frozen(kw_only=True)
class Call:
    """A funding call, as in force from ``effective`` on.

    ``sources`` lists the documents the definition cites; every rule, milestone, note and
    policy names one of them. ``milestones`` are the funder's; each policy in ``policies``
    adds an institution's own. ``rules`` apply to every application, and a policy's rules to
    that institution's applications only.

    A call has one deadline, two (an ``outline`` and a ``full`` stage), several cut-off
    dates, or, when ``continuous``, none: it is permanently open.

    A call is one version: ``history`` lists the amendments that made it from the call as
    published, and ``effective`` is the date the last of them took effect.
    """

    id: str
    title: Text
    programme: Text
    funder: Text
    administrators: tuple[Text, ...] = ()
    currency: str
    effective: dt.date = attrs.field(validator=check_year)
    sources: tuple[Source, ...]
    milestones: tuple[Milestone, ...] = ()
    rules: tuple[AnyRule, ...] = ()
    policies: tuple[InstitutionPolicy, ...] = ()
    notes: tuple[Note, ...] = ()
    continuous: bool = False
    history: tuple[Amendment, ...] = ()

    def __attrs_post_init__(self) -> None:
        """Check what no single field can: sources cited, ids unique, a timed deadline."""
        problems = [
            *_source_problems(self),
            *_rule_problems(self),
            *_milestone_problems(self),
            *_policy_problems(self),
        ]
        if problems:
            raise ValueError("; ".join(problems))

    # -- time -------------------------------------------------------------------------

    @cached_property
    def timeline(self) -> Timeline:
        """The funder's milestones and every institution's, in time order.

        Relative dates are worked out and rollovers applied, in the calendar a milestone
        names or, for an institution's, in its country's.
        """
        milestones = list(self.milestones)
        for policy in self.policies:
            milestones.extend(
                attrs.evolve(m, institution=policy.institution) for m in policy.milestones
            )
        calendars = {p.institution: p.country for p in self.policies if p.country}
        return Timeline(tuple(resolve(milestones, calendars)))

    @property
    def deadline_model(self) -> str:
        """``single``, ``two_stage``, ``cutoffs`` (several deadlines) or ``continuous``."""
        deadlines = self.timeline.deadlines
        if not deadlines:
            return "continuous"
        if any(m.stage for m in deadlines):
            return "two_stage"
        return "single" if len(deadlines) == 1 else "cutoffs"

    def next_deadline(self, now: pendulum.DateTime | None = None) -> pendulum.DateTime | None:
        """The first funder deadline not yet passed at *now* (default now), or ``None``."""
        upcoming = [m for m in self.timeline.deadlines if m.end > (now or pendulum.now("UTC"))]
        return _instant(upcoming[0]) if upcoming else None

    @property
    def deadline(self) -> pendulum.DateTime:
        """The next funder deadline, or the last one when all have passed.

        An aware datetime in the deadline's zone. For a single-deadline call it is that
        deadline, whatever the date. Raises :class:`NoDeadlineError` for a permanently
        open call.
        """
        deadlines = self.timeline.deadlines
        if not deadlines:
            msg = f"{self.id} is permanently open: it has no deadline"
            raise NoDeadlineError(msg)
        return self.next_deadline() or _instant(deadlines[-1])

    # -- lookups ----------------------------------------------------------------------

    def source(self, key: str) -> Source:
        """The source cited as *key*."""
        for source in self.sources:
            if source.key == key:
                return source
        raise KeyError(key)

    def cite(self, provenance: Provenance) -> Citation:
        """Resolve *provenance* against this call's sources."""
        return Citation.of(provenance, self.source(provenance.source))

    def rule(self, rule_id: str) -> AnyRule:
        """The rule *rule_id*, call-wide or of a policy; raises ``KeyError`` if there is none."""
        for rule in (*self.rules, *(r for p in self.policies for r in p.rules)):
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def policy_for(self, institution: str) -> InstitutionPolicy | None:
        """The policy of the institution that goes by *institution*, if the call has one."""
        return self._policies_by_name.get(normalise_name(institution))

    @cached_property
    def _policies_by_name(self) -> dict[str, InstitutionPolicy]:
        return {
            normalise_name(name): policy for policy in self.policies for name in policy.all_names
        }

    # -- checks -----------------------------------------------------------------------

    @cached_property
    def _compiled(self) -> tuple[_Checks, dict[str, _Checks]]:
        context = RuleContext(self.currency, {s.key: s for s in self.sources})
        general = tuple(_compiled_rule(r, context) for r in self.rules)
        per_policy = {
            p.institution: tuple(_compiled_rule(r, context) for r in p.rules) for p in self.policies
        }
        return general, per_policy

    @cached_property
    def _plans(self) -> dict[str | None, _Plan]:
        """What checking an application runs, by the institution whose policy applies."""
        general, per_policy = self._compiled
        plans: dict[str | None, _Plan] = {None: _Plan(general)}
        for institution, checks in per_policy.items():
            plans[institution] = _Plan(general + checks)
        return plans

    def _policy_of(self, institution: str) -> InstitutionPolicy | None:
        """:meth:`policy_for`, remembered for each spelling met: lists repeat a few."""
        cache = self._policy_spellings
        policy = cache.get(institution, _UNKNOWN)
        if policy is _UNKNOWN:
            policy = self.policy_for(institution)
            if len(cache) >= _NEAR_MISS_CACHE:
                cache.clear()
            cache[institution] = policy
        return policy  # type: ignore[return-value]

    @cached_property
    def _policy_spellings(self) -> dict[str, InstitutionPolicy | object | None]:
        return {}

    def check(self, application: Application, unread: Collection[str] = ()) -> ApplicationReport:
        """Check one application against every rule that applies to it.

        *unread* names fields that could not be read from the input: a rule that looks at
        one of them is left out, neither passed nor failed, as the input problem says why.
        Amounts are compared exactly, whatever the caller's decimal context.
        """
        policy = self._policy_of(application.institution)
        plan = self._plans[policy.institution if policy is not None else None]
        findings: list[Finding] = []
        if policy is None and self.policies and application.institution:
            near = self._near_miss(application.institution)
            if near is not None:
                findings.append(near)
        if unread or not plan.unique:
            return self._check_with(application, policy, plan.checks, findings, unread)
        passing = 0
        caller_context = decimal.getcontext()
        decimal.setcontext(_EXACT)
        try:
            for bit, check in plan.bits:
                found = check(application, policy)
                if found:
                    findings += found
                else:
                    passing |= bit
        finally:
            decimal.setcontext(caller_context)
        return new_report(
            application,
            tuple(findings),
            plan.passed(passing),
            policy.institution if policy is not None else None,
            self.effective,
        )

    def _check_with(
        self,
        application: Application,
        policy: InstitutionPolicy | None,
        checks: _Checks,
        findings: list[Finding],
        unread: Collection[str],
    ) -> ApplicationReport:
        """:meth:`check` when fields could not be read, or rules share an id."""
        passed: list[str] = []
        with decimal.localcontext(_EXACT):
            for rule_id, reads, alone, check in checks:
                touched = bool(unread) and not reads.isdisjoint(unread)
                if touched and not alone:
                    continue  # judged on a stand-in value it would be wrong; the input says why
                found = check(application, policy)
                if touched:
                    found = [f for f in found if f.field not in unread]
                if found:
                    findings.extend(found)
                elif rule_id not in passed and not touched:
                    passed.append(rule_id)
        failed = {f.rule for f in findings}
        return ApplicationReport(
            application=application,
            findings=tuple(findings),
            passed=tuple(r for r in passed if r not in failed),
            institution=policy.institution if policy else None,
            version=self.effective,
        )

    def _near_miss(self, institution: str) -> Finding | None:
        """A warning when *institution* is close to, but not, a name of a policy's institution.

        Such an application would escape that institution's quota and rules unnoticed.
        """
        cache = self._near_misses
        if institution not in cache:
            names = self._policies_by_name
            close = difflib.get_close_matches(normalise_name(institution), names, n=1, cutoff=0.8)
            finding = None
            if close:
                policy = names[close[0]]
                finding = Finding(
                    rule=INSTITUTION_NAME_RULE,
                    severity=Severity.WARNING,
                    message=msg(
                        "{institution!r} looks like {name} but is none of its names, so its "
                        "policy (quota and rules) was not applied; its names are {names}",
                        institution=shorten(institution),
                        name=policy.name,
                        names=", ".join(policy.all_names),
                    ),
                    source=self.cite(policy.provenance),
                    field="institution",
                    value=institution,
                )
            if len(cache) >= _NEAR_MISS_CACHE:
                cache.clear()
            cache[institution] = finding
        return cache[institution]

    @cached_property
    def _near_misses(self) -> dict[str, Finding | None]:
        return {}

    def review(
        self,
        applications: Iterable[Application],
        problems: Iterable[InputProblem] = (),
        *,
        progress: Callable[[int, int], object] | None = None,
    ) -> Review:
        """Check a batch of applications, and each institution's quota across the batch.

        *problems* are the input problems met while reading them. A problem of a row
        appears as an ``input`` error finding on the application read from that row, in
        place of what the rules would say about the field that could not be read; so every
        row is reported, and each problem once. The others (a problem of the header row, or
        of the file) are kept in the review's ``problems``. *progress*, if given, is told
        after each application how many of how many have been checked.
        """
        by_source: dict[str, list[InputProblem]] = defaultdict(list)
        for problem in problems:
            by_source[problem.location].append(problem)
        reports = []
        placed: set[str] = set()
        items = list(applications)
        with full_collections_deferred():
            for number, application in enumerate(items, start=1):
                unread = by_source.get(application.source or "")
                if unread:
                    placed.add(application.source or "")
                reports.append(self.check_read(application, unread))
                if progress is not None:
                    progress(number, len(items))
        reports, quotas = self._quotas(reports)
        rest = tuple(p for key, group in by_source.items() if key not in placed for p in group)
        return Review(
            call=self.id,
            applications=tuple(reports),
            quotas=quotas,
            problems=rest,
            version=self.effective,
            history=self.history,
        )

    def check_read(
        self, application: Application, problems: Collection[InputProblem] | None = ()
    ) -> ApplicationReport:
        """Check an application read from a row, with the problems met reading that row.

        Each problem is an ``input`` error finding, first, in place of what the rules would
        say about the field that could not be read.
        """
        if not problems:
            return self.check(application)
        fields = {p.field for p in problems if p.field}
        report = self.check(application, fields)
        kept = (f for f in report.findings if f.field is None or f.field not in fields)
        return attrs.evolve(report, findings=(*(_input_finding(p) for p in problems), *kept))

    def review_rows(
        self,
        rows: Iterable[Application | ApplicationRow],
        problems: Iterable[InputProblem] = (),
    ) -> ReviewStream:
        """Check applications one at a time, as they are read, for inputs larger than memory.

        *rows* are applications, or rows as :func:`open_application_file` gives them, with
        the problems of each row; *problems* are those that belong to no row (of a header).
        Iterating the result gives each application's report as soon as it is checked,
        with the findings :meth:`review` would give it, except those about its rank that
        depend on rows still to come; its :meth:`~ReviewStream.summary`, once the last
        report is out, gives each institution's quota and those findings. What it keeps
        between rows is a count per institution and faculty and per rank given, not the
        rows: its memory does not grow with their number.
        """
        from callkit._stream import ReviewStream  # noqa: PLC0415

        return ReviewStream(self, rows, problems)

    def _quotas(
        self, reports: list[ApplicationReport]
    ) -> tuple[list[ApplicationReport], tuple[QuotaReport, ...]]:
        quotas: list[QuotaReport] = []
        extra: dict[int, list[Finding]] = defaultdict(list)
        for policy in self.policies:
            if policy.quota is None:
                continue
            quota = policy.quota
            mine = [i for i, r in enumerate(reports) if r.institution == policy.institution]
            by_faculty = _faculty_counts(reports[i].application.faculty for i in mine)
            count = len(mine)
            findings: list[Finding] = []
            ranking_required = quota.ranking is not None and count > quota.limit
            if count > quota.limit:
                findings.append(
                    Finding(
                        rule=QUOTA_RULE,
                        severity=Severity.ERROR,
                        message=over_quota_message(
                            policy, count, quota.limit, by_faculty, ranking=ranking_required
                        ),
                        source=self.cite(quota.provenance),
                        field=None,
                        value=str(count),
                        limit=f"at most {quota.limit}",
                    )
                )
            for i, finding in self._rank_findings(
                policy, [reports[i] for i in mine], mine, ranking_required=ranking_required
            ):
                extra[i].append(finding)
            quotas.append(
                QuotaReport(
                    institution=policy.institution,
                    limit=quota.limit,
                    applications=tuple(reports[i].source or "" for i in mine),
                    by_faculty=dict(sorted(by_faculty.items(), key=lambda kv: kv[0] or "")),
                    ranking_required=ranking_required,
                    findings=tuple(findings),
                    version=self.effective,
                )
            )
        updated = [
            new_report(
                r.application,
                r.findings + tuple(extra[i]),
                tuple(p for p in r.passed if p != QUOTA_RULE)
                if QUOTA_RULE in r.passed
                else r.passed,
                r.institution,
                r.version,
            )
            if i in extra
            else r
            for i, r in enumerate(reports)
        ]
        return updated, tuple(quotas)

    def _rank_findings(
        self,
        policy: InstitutionPolicy,
        reports: list[ApplicationReport],
        positions: list[int],
        *,
        ranking_required: bool,
    ) -> Iterator[tuple[int, Finding]]:
        assert policy.quota is not None  # noqa: S101
        citation = self.cite(policy.quota.ranking or policy.quota.provenance)
        unranked = unranked_finding(policy, citation)
        spelling: dict[str, str] = {}
        seen: dict[tuple[str | None, int], list[int]] = defaultdict(list)
        for position, report in zip(positions, reports, strict=True):
            rank = report.application.rank
            if rank is not None:
                faculty = report.application.faculty
                key = normalise_name(faculty) if faculty else None
                if key is not None:
                    spelling.setdefault(key, faculty or "")
                seen[(key, rank)].append(position)
            elif ranking_required:
                yield position, unranked
        for (faculty, rank), holders in seen.items():
            if len(holders) < 2:  # noqa: PLR2004
                continue
            finding = shared_rank_finding(
                citation,
                rank,
                len(holders),
                spelling[faculty] if faculty else None,
                ranking_required=ranking_required,
            )
            for position in holders:
                yield position, finding


def unranked_finding(policy: InstitutionPolicy, citation: Citation) -> Finding:
    """The warning on an application without a rank, when its institution must rank them."""
    return Finding(
        rule=QUOTA_RULE,
        severity=Severity.WARNING,
        message=msg(
            "{institution} is over its quota, so its faculties must rank their applications; "
            "this application has no rank",
            institution=policy.institution,
        ),
        source=citation,
        field="rank",
    )


def shared_rank_finding(
    citation: Citation,
    rank: int,
    holders: int,
    faculty: str | None,
    *,
    ranking_required: bool,
) -> Finding:
    """The finding on each of *holders* applications of one *faculty* given the same *rank*.

    It is an error when the institution must rank its applications, since the ranks then
    decide which go on; below the quota a clash is a warning, worth correcting.
    """
    message = (
        msg(
            "rank {rank} is given to {n} applications of faculty {faculty}; ranks must be "
            "unique within a faculty",
            rank=rank,
            n=holders,
            faculty=shorten(faculty),
        )
        if faculty
        else msg(
            "rank {rank} is given to {n} applications without a faculty; ranks must be "
            "unique within a faculty",
            rank=rank,
            n=holders,
        )
    )
    return Finding(
        rule=QUOTA_RULE,
        severity=Severity.ERROR if ranking_required else Severity.WARNING,
        message=message,
        source=citation,
        field="rank",
        value=str(rank),
    )


def over_quota_message(
    policy: InstitutionPolicy,
    count: int,
    limit: int,
    by_faculty: Counter[str | None],
    *,
    ranking: bool,
) -> Message:
    faculties = Joined(
        [
            Joined([shorten(faculty) if faculty else Word(N_("(no faculty)")), str(n)], " ")
            for faculty, n in sorted(by_faculty.items(), key=lambda kv: kv[0] or "")
        ]
    )
    args = {
        "name": policy.name,
        "institution": policy.institution,
        "count": count,
        "limit": limit,
        "over": count - limit,
        "faculties": faculties,
    }
    if ranking:
        return msg(
            "{name} ({institution}) has {count} applications and may send at most {limit}: "
            "{over} over the quota. The faculties must rank their applications in order of "
            "priority. By faculty: {faculties}.",
            **args,
        )
    return msg(
        "{name} ({institution}) has {count} applications and may send at most {limit}: "
        "{over} over the quota. By faculty: {faculties}.",
        **args,
    )


def _faculty_counts(faculties: Iterable[str | None]) -> Counter[str | None]:
    """Applications per faculty, one faculty however its name is cased or accented.

    Each faculty is counted under the first spelling met.
    """
    spelling: dict[str, str] = {}
    counts: Counter[str | None] = Counter()
    for faculty in faculties:
        if faculty is None:
            counts[None] += 1
        else:
            counts[spelling.setdefault(normalise_name(faculty), faculty)] += 1
    return counts


def _instant(milestone: Milestone) -> pendulum.DateTime:
    at = milestone.at
    assert isinstance(at, pendulum.DateTime)  # noqa: S101  (deadlines have a time: validated)
    return at


def _input_finding(problem: InputProblem) -> Finding:
    return Finding(
        rule=INPUT_RULE,
        severity=Severity.ERROR,
        message=msg("{field}: {problem}", field=problem.field, problem=problem.message)
        if problem.field
        else msg("{problem}", problem=problem.message),
        source=None,
        field=problem.field,
    )
