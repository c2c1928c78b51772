"""Reviewing applications one at a time, for inputs larger than memory.

A review needs every row for two things only: an institution's quota (how many it sends,
per faculty) and the ranks its faculties give (no two alike, and every application ranked
once the quota is exceeded). Counts serve the quota, and a count per rank given serves the
ranks, so a stream keeps those and lets each report go as soon as it is checked. What the
last row can still change, a rank given twice or the missing ranks of the applications
met before the quota was exceeded, comes in the summary at the end.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, Any, NamedTuple

import attrs

from callkit._application import Application
from callkit._call import (
    QUOTA_RULE,
    over_quota_message,
    shared_rank_finding,
    unranked_finding,
)
from callkit._countries import normalise_name
from callkit._errors import InputProblem
from callkit._finding import Finding, Severity
from callkit._report import (
    ApplicationReport,
    QuotaReport,
    finding_to_dict,
    new_report,
    problem_to_dict,
    version_to_dict,
)
from callkit._versions import Amendment

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from callkit._call import Call
    from callkit._i18n import Language
    from callkit._policy import InstitutionPolicy
    from callkit._readers import ApplicationRow


class LateFinding(NamedTuple):
    """A finding that needed every row: ``application`` is the source it concerns.

    It is ``None`` for a rank given to several applications, whose finding (which names the
    rank, the faculty and how many share it) is given once for all of them.
    """

    application: str | None
    finding: Finding


@attrs.frozen(kw_only=True)
class ReviewSummary:
    """What a stream of reports adds up to, once the last row is checked.

    ``quotas`` are each institution's quota as :meth:`Call.review` gives them, without the
    sources of the applications counted; ``findings`` the findings about ranks that came
    too late for their application's report; ``problems`` the input problems that belong
    to no row. ``counts`` and ``ok`` are those of the whole review.
    """

    call: str
    quotas: tuple[QuotaReport, ...]
    findings: tuple[LateFinding, ...]
    problems: tuple[InputProblem, ...]
    counts: dict[str, int]
    version: dt.date | None = None
    history: tuple[Amendment, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the input was read whole, no application fails and no quota is exceeded."""
        return (
            not self.problems and not self.counts["failed"] and not self.counts["quotas_exceeded"]
        )

    def with_problems(self, problems: Iterable[InputProblem]) -> ReviewSummary:
        """The summary with *problems* too: those that ended a file part-way."""
        return attrs.evolve(self, problems=(*self.problems, *problems))

    def to_dict(self, lang: Language = "en") -> dict[str, Any]:
        """As plain data: the last line of ``callkit check --format jsonl``, in *lang*."""
        quotas = []
        for quota in self.quotas:
            data = quota.to_dict(lang)
            del data["applications"]
            quotas.append(data)
        return {
            "type": "summary",
            "call": self.call,
            "version": version_to_dict(self.version, self.history, lang),
            "ok": self.ok,
            "summary": self.counts,
            "quotas": quotas,
            "findings": [
                {
                    "application": late.application,
                    **finding_to_dict(late.finding, self.version, lang),
                }
                for late in self.findings
            ],
            "problems": [problem_to_dict(p, lang) for p in self.problems],
            "lang": lang,
        }


class _Quota:
    """What a stream keeps of one institution's applications: counts, never the rows."""

    def __init__(self, call: Call, policy: InstitutionPolicy) -> None:
        quota = policy.quota
        assert quota is not None  # noqa: S101  (only policies with a quota get one)
        self.policy = policy
        self.limit = quota.limit
        self.ranking = quota.ranking is not None
        self.over_citation = call.cite(quota.provenance)
        self.rank_citation = call.cite(quota.ranking or quota.provenance)
        self.unranked_warning = unranked_finding(policy, self.rank_citation)
        self.count = 0
        self.spelling: dict[str, str] = {}
        self.by_faculty: Counter[str | None] = Counter()
        self.rank_spelling: dict[str, str] = {}
        self.ranks: dict[tuple[str | None, int], list[int]] = {}
        """Per faculty and rank: how many applications have it, and how many of those
        pass on their own (which a shared rank makes fail)."""
        self.unranked: list[str] = []
        """The applications without a rank met while the quota was not yet exceeded: no
        more than the quota's limit."""

    def add(self, report: ApplicationReport) -> ApplicationReport:
        """Count *report*'s application; the report, with the warning of a missing rank."""
        self.count += 1
        application = report.application
        faculty = application.faculty
        if faculty is None:
            self.by_faculty[None] += 1
        else:
            self.by_faculty[self.spelling.setdefault(normalise_name(faculty), faculty)] += 1
        rank = application.rank
        if rank is not None:
            key = normalise_name(faculty) if faculty else None
            if key is not None:
                self.rank_spelling.setdefault(key, faculty or "")
            holders = self.ranks.get((key, rank))
            if holders is None:
                self.ranks[(key, rank)] = [1, report.ok]
            else:
                holders[0] += 1
                holders[1] += report.ok
        elif self.ranking and self.count > self.limit:
            # Over the quota for good: its faculties must rank, and this row is still here.
            return new_report(
                application,
                (*report.findings, self.unranked_warning),
                tuple(p for p in report.passed if p != QUOTA_RULE),
                report.institution,
                report.version,
            )
        elif self.ranking:
            self.unranked.append(report.source or "")
        return report

    def close(self, call: Call, counts: Counter[str]) -> tuple[QuotaReport, list[LateFinding]]:
        """The quota's report and its late findings; *counts* updated with them."""
        exceeded = self.count > self.limit
        required = self.ranking and exceeded
        by_faculty = dict(sorted(self.by_faculty.items(), key=lambda kv: kv[0] or ""))
        findings = []
        if exceeded:
            message = over_quota_message(
                self.policy, self.count, self.limit, self.by_faculty, ranking=required
            )
            findings.append(
                Finding(
                    rule=QUOTA_RULE,
                    severity=Severity.ERROR,
                    message=message,
                    source=self.over_citation,
                    field=None,
                    value=str(self.count),
                    limit=f"at most {self.limit}",
                )
            )
            counts["error"] += 1
            counts["quotas_exceeded"] += 1
        late = []
        if required:
            late = [LateFinding(source, self.unranked_warning) for source in self.unranked]
            counts["warning"] += len(self.unranked)
        for (key, rank), (holders, passing) in self.ranks.items():
            if holders > 1:
                faculty = self.rank_spelling[key] if key else None
                finding = shared_rank_finding(
                    self.rank_citation, rank, holders, faculty, ranking_required=required
                )
                late.append(LateFinding(None, finding))
                if finding.is_error:
                    counts["error"] += holders
                    counts["failed"] += passing
                    counts["ok"] -= passing
                else:
                    counts["warning"] += holders
        report = QuotaReport(
            institution=self.policy.institution,
            limit=self.limit,
            applications=(),
            count=self.count,
            by_faculty=by_faculty,
            ranking_required=required,
            findings=tuple(findings),
            version=call.effective,
        )
        return report, late


class ReviewStream:
    """The reports of applications checked one at a time: :meth:`Call.review_rows`.

    Iterating gives each application's report as soon as it is checked; :meth:`summary`
    gives what they add up to once the last one is out.
    """

    def __init__(
        self,
        call: Call,
        rows: Iterable[Application | ApplicationRow],
        problems: Iterable[InputProblem] = (),
    ) -> None:
        """Check *rows* against *call*; *problems* belong to no row."""
        self._call = call
        self._problems = tuple(problems)
        self._quotas = {
            p.institution: _Quota(call, p) for p in call.policies if p.quota is not None
        }
        self._counts: Counter[str] = Counter()
        self._reports = self._check(rows)

    def __iter__(self) -> Iterator[ApplicationReport]:
        """The reports not given yet, in the order of the rows."""
        return self._reports

    def _check(self, rows: Iterable[Application | ApplicationRow]) -> Iterator[ApplicationReport]:
        check = self._call.check_read
        quotas = self._quotas
        counts = self._counts
        for row in rows:
            application, problems = (row, ()) if isinstance(row, Application) else row
            report = check(application, problems)
            quota = quotas.get(report.institution) if report.institution else None
            if quota is not None:
                report = quota.add(report)
            ok = True
            for finding in report.findings:
                counts[finding.severity] += 1
                if finding.severity is Severity.ERROR:
                    ok = False
            counts["ok" if ok else "failed"] += 1
            yield report

    def summary(self) -> ReviewSummary:
        """What the reports given so far add up to: the whole review's, after the last."""
        counts = self._counts.copy()
        quotas = []
        late: list[LateFinding] = []
        for quota in self._quotas.values():
            report, findings = quota.close(self._call, counts)
            quotas.append(report)
            late.extend(findings)
        return ReviewSummary(
            call=self._call.id,
            quotas=tuple(quotas),
            findings=tuple(late),
            problems=self._problems,
            counts={
                "applications": counts["ok"] + counts["failed"],
                "ok": counts["ok"],
                "failed": counts["failed"],
                "errors": counts["error"],
                "warnings": counts["warning"],
                "info": counts["info"],
                "quotas_exceeded": counts["quotas_exceeded"],
            },
            version=self._call.effective,
            history=self._call.history,
        )
