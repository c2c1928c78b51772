"""Reports: the findings for each application and the state of each quota."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from callkit._application import Application
from callkit._errors import InputProblem
from callkit._finding import Finding, Severity
from callkit._i18n import Language, text
from callkit._versions import Amendment


def finding_to_dict(
    finding: Finding, version: dt.date | None = None, lang: Language = "en"
) -> dict[str, Any]:
    """A finding as plain data, as the JSON output gives it, its message in *lang*.

    ``version`` is the date of the version of the call it was judged by.
    """
    citation = finding.source
    return {
        "version": version.isoformat() if version else None,
        "rule": finding.rule,
        "severity": str(finding.severity),
        "message": finding.text(lang),
        "field": finding.field,
        "value": finding.value,
        "limit": finding.limit,
        "source": None
        if citation is None
        else {
            "source": citation.source,
            "url": citation.url,
            "quote": citation.quote,
            "gloss": citation.gloss,
            "note": citation.note,
        },
    }


@attrs.frozen(kw_only=True)
class ApplicationReport:
    """The findings for one application.

    ``passed`` lists the ids of the rules the application satisfies; ``findings`` holds
    every rule it breaks, every warning and every rule that could not be assessed.
    ``institution`` is the short name of the institution policy the application fell
    under, if any, and ``version`` the date of the version of the call it was judged by.
    """

    application: Application
    findings: tuple[Finding, ...]
    passed: tuple[str, ...] = ()
    institution: str | None = None
    version: dt.date | None = None

    @property
    def ok(self) -> bool:
        """Whether no finding is an error."""
        return not any(f.severity is Severity.ERROR for f in self.findings)

    @property
    def source(self) -> str | None:
        """Where the application was read, as ``file:row``."""
        return self.application.source

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The findings that make the application fail."""
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    def to_dict(self, lang: Language = "en") -> dict[str, Any]:
        """As plain data, as the JSON output gives it."""
        return {
            "source": self.source,
            "title": self.application.title,
            "institution": self.application.institution,
            "policy": self.institution,
            "ok": self.ok,
            "findings": [finding_to_dict(f, self.version, lang) for f in self.findings],
            "passed": list(self.passed),
        }


_REPORT_SLOTS = ("application", "findings", "passed", "institution", "version")
assert tuple(a.name for a in attrs.fields(ApplicationReport)) == _REPORT_SLOTS  # noqa: S101
_set_application, _set_findings, _set_passed, _set_institution, _set_version = (
    getattr(ApplicationReport, name).__set__ for name in _REPORT_SLOTS
)


def new_report(
    application: Application,
    findings: tuple[Finding, ...],
    passed: tuple[str, ...],
    institution: str | None,
    version: dt.date | None,
) -> ApplicationReport:
    """An :class:`ApplicationReport`, built as a check builds one for every application.

    It sets the slots itself: the class has no converter or validator to run, and attrs'
    ``__init__`` looks each slot up by name, which would add a twentieth to a check.
    """
    report: ApplicationReport = object.__new__(ApplicationReport)
    _set_application(report, application)
    _set_findings(report, findings)
    _set_passed(report, passed)
    _set_institution(report, institution)
    _set_version(report, version)
    return report


@attrs.frozen(kw_only=True)
class QuotaReport:
    """How many applications an institution sends, against its quota.

    ``applications`` lists the sources of the applications counted, in input order, and
    ``by_faculty`` their count per faculty (``None`` for those without one); ``count``
    is how many there are.
    """

    institution: str
    limit: int
    applications: tuple[str, ...]
    by_faculty: dict[str | None, int] = attrs.field(eq=False, hash=False)
    ranking_required: bool
    findings: tuple[Finding, ...] = ()
    version: dt.date | None = None
    count: int = attrs.field(
        default=attrs.Factory(lambda self: len(self.applications), takes_self=True)
    )
    """The number of applications counted: those of ``applications``, unless the
    applications were checked as a stream (:meth:`Call.review_rows`), which counts them
    without keeping their sources, and leaves ``applications`` empty."""

    @property
    def exceeded(self) -> bool:
        """Whether the institution sends more applications than its quota allows."""
        return self.count > self.limit

    @property
    def over_by(self) -> int:
        """How many applications over the quota (0 when within it)."""
        return max(0, self.count - self.limit)

    @property
    def ok(self) -> bool:
        """Whether the quota is kept."""
        return not self.exceeded

    def to_dict(self, lang: Language = "en") -> dict[str, Any]:
        """As plain data, as the JSON output gives it."""
        return {
            "institution": self.institution,
            "limit": self.limit,
            "count": self.count,
            "exceeded": self.exceeded,
            "over_by": self.over_by,
            "ranking_required": self.ranking_required,
            "by_faculty": [
                {"faculty": faculty, "count": count} for faculty, count in self.by_faculty.items()
            ],
            "applications": list(self.applications),
            "findings": [finding_to_dict(f, self.version, lang) for f in self.findings],
        }


@attrs.frozen(kw_only=True)
class Review:
    """A batch of applications checked against one call: ``call.review(applications)``."""

    call: str
    applications: tuple[ApplicationReport, ...]
    quotas: tuple[QuotaReport, ...]
    problems: tuple[InputProblem, ...] = ()
    version: dt.date | None = None
    history: tuple[Amendment, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the input was read whole, no application fails and no quota is exceeded."""
        return (
            not self.problems
            and all(a.ok for a in self.applications)
            and all(q.ok for q in self.quotas)
        )

    def summary(self) -> dict[str, int]:
        """Counts: applications, those that pass and fail, findings by severity, quotas over."""
        counts = {str(s): 0 for s in Severity}
        groups = [a.findings for a in self.applications] + [q.findings for q in self.quotas]
        for findings in groups:
            for finding in findings:
                counts[str(finding.severity)] += 1
        passing = sum(1 for a in self.applications if a.ok)
        return {
            "applications": len(self.applications),
            "ok": passing,
            "failed": len(self.applications) - passing,
            "errors": counts["error"],
            "warnings": counts["warning"],
            "info": counts["info"],
            "quotas_exceeded": sum(1 for q in self.quotas if q.exceeded),
        }

    def to_dict(self, lang: Language = "en") -> dict[str, Any]:
        """As plain data: exactly what ``callkit check --format json`` prints."""
        return {
            "call": self.call,
            "version": version_to_dict(self.version, self.history, lang),
            "ok": self.ok,
            "summary": self.summary(),
            "applications": [a.to_dict(lang) for a in self.applications],
            "quotas": [q.to_dict(lang) for q in self.quotas],
            "problems": [problem_to_dict(p, lang) for p in self.problems],
            "lang": lang,
        }


def version_to_dict(
    version: dt.date | None, history: tuple[Amendment, ...], lang: Language
) -> dict[str, Any]:
    """The version of the call a review judged by, as plain data: its date and amendments."""
    return {
        "effective": version.isoformat() if version else None,
        "amendments": [
            {"effective": a.effective.isoformat(), "title": a.title.get(lang)} for a in history
        ],
    }


def problem_to_dict(problem: InputProblem, lang: Language) -> dict[str, Any]:
    """An input problem as plain data, its message in *lang*."""
    return {
        "file": problem.file,
        "row": problem.row,
        "field": problem.field,
        "message": text(problem.message, lang),
    }
