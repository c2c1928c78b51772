"""Rendering calls, timelines and reviews as text for a terminal, and as plain data."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

import pendulum

from callkit._finding import Finding, Severity

if TYPE_CHECKING:
    from collections.abc import Iterable

    from callkit._call import Call
    from callkit._provenance import Citation, Provenance
    from callkit._report import ApplicationReport, QuotaReport, Review
    from callkit._rules import AnyRule
    from callkit._timeline import Milestone

WIDTH = 100
_INDENT = "      "


def _wrap(text: str, indent: str = _INDENT) -> str:
    return textwrap.fill(text, width=WIDTH, initial_indent=indent, subsequent_indent=indent + "  ")


def format_instant(at: pendulum.DateTime | pendulum.Date, zone: str | None = None) -> str:
    """A milestone's time as people read it: ``Wed 16 Mar 2022 13:00 Europe/Oslo``."""
    if isinstance(at, pendulum.DateTime):
        return f"{at.format('ddd D MMM YYYY HH:mm')} {zone or at.timezone_name}"
    return at.format("ddd D MMM YYYY")


def _deadline_line(call: Call) -> str:
    deadline = call.deadline
    utc = deadline.in_tz("UTC")
    return f"Application deadline: {format_instant(deadline)} ({utc.format('HH:mm')} UTC)"


# -- timeline ------------------------------------------------------------------------------


def milestone_to_dict(milestone: Milestone, call: Call) -> dict[str, Any]:
    """A milestone as plain data, as ``callkit timeline --format json`` gives it."""
    utc = milestone.utc
    return {
        "kind": str(milestone.kind),
        "title": milestone.title.en,
        "title_nb": milestone.title.nb,
        "at": milestone.isoformat(),
        "zone": milestone.zone,
        "utc": utc.isoformat().replace("+00:00", "Z") if utc else None,
        "whole_day": milestone.whole_day,
        "institution": milestone.institution,
        "published": milestone.published,
        "source": citation_to_dict(call.cite(milestone.provenance)),
    }


def citation_to_dict(citation: Citation) -> dict[str, Any]:
    """A citation as plain data."""
    return {
        "source": citation.source,
        "url": citation.url,
        "quote": citation.quote,
        "gloss": citation.gloss,
        "note": citation.note,
    }


def render_timeline(call: Call, milestones: Iterable[Milestone]) -> str:
    """The timeline as a table: local time, UTC, kind, title, institution."""
    rows = [("When (local)", "UTC", "Kind", "What", "Who")]
    for m in milestones:
        utc = m.utc
        rows.append(
            (
                format_instant(m.at, m.zone),
                utc.format("YYYY-MM-DD HH:mm") if utc else "whole day",
                str(m.kind),
                m.title.en,
                m.institution or "funder",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = [f"{call.id}: {call.title.en}", ""]
    for row in rows:
        cells = [row[i].ljust(widths[i]) for i in range(4)]
        lines.append("  ".join([*cells, row[4]]).rstrip())
    return "\n".join(lines)


# -- show ----------------------------------------------------------------------------------


def _cite_lines(call: Call, provenance: Provenance, indent: str = _INDENT) -> list[str]:
    return [_wrap(f"source: {call.cite(provenance)}", indent)]


def render_call(call: Call) -> str:
    """The whole call, rule by rule with sources, as text."""
    lines = [
        f"{call.id}: {call.title.en}",
        f"  {call.title.nb}",
        "",
        f"Programme: {call.programme.en}",
        f"Funder: {call.funder.en}",
    ]
    if call.administrators:
        lines.append("Administered by: " + ", ".join(a.en for a in call.administrators))
    lines += [f"In force from: {call.effective.isoformat()}", _deadline_line(call), ""]
    lines.append("Rules")
    for rule in call.rules:
        lines += _rule_block(rule, call)
    for policy in call.policies:
        lines += ["", f"Policy of {policy.name.en} ({policy.institution})"]
        lines.append(f"  Names: {', '.join(policy.all_names)}")
        if policy.quota:
            lines.append(f"  quota  at most {policy.quota.limit} applications")
            lines += _cite_lines(call, policy.quota.provenance, "         ")
            if policy.quota.ranking:
                lines.append("  ranking  over the quota, faculties rank their applications")
                lines += _cite_lines(call, policy.quota.ranking, "         ")
        for rule in policy.rules:
            lines += _rule_block(rule, call)
        lines.extend(_wrap(f"Note: {n.text.en}", "  ") for n in policy.notes)
    lines += ["", "Timeline"]
    when = [format_instant(m.at, m.zone) for m in call.timeline]
    width = max(map(len, when), default=0)
    lines.extend(
        f"  {w:<{width}}  {m.title.en}" + (f" ({m.institution})" if m.institution else "")
        for w, m in zip(when, call.timeline, strict=True)
    )
    if call.notes:
        lines += ["", "Notes"]
        lines.extend(_wrap(f"- {n.text.en}", "  ") for n in call.notes)
    lines += ["", "Sources"]
    lines.extend(f"  [{s.key}] {s.title}\n      {s.url}" for s in call.sources)
    return "\n".join(lines)


def _rule_block(rule: AnyRule, call: Call) -> list[str]:
    lines = [f"  {rule.id}  {rule.title.en}"]
    lines.append(_wrap(rule.describe(), "         "))
    lines += _cite_lines(call, rule.provenance, "         ")
    return lines


# -- review --------------------------------------------------------------------------------

_MARK = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"}


def _finding_lines(finding: Finding) -> list[str]:
    head = f"{_MARK[finding.severity]:<7} {finding.rule}: {finding.message}"
    lines = [_wrap(head)]
    if finding.source is not None:
        lines.append(_wrap(f"source: {finding.source}", _INDENT + "        "))
    return lines


def _application_lines(report: ApplicationReport) -> list[str]:
    status = "PASS" if report.ok else "FAIL"
    title = report.application.title or "(no title)"
    lines = [f"{status}  {report.source}  {title}"]
    who = report.application.institution or "(no institution)"
    if report.application.faculty:
        who += f", {report.application.faculty}"
    lines.append(f"{_INDENT}{who}")
    shown = [f for f in report.findings if f.severity is not Severity.INFO]
    for finding in shown:
        lines += _finding_lines(finding)
    unassessed = sorted({f.rule for f in report.findings if f.severity is Severity.INFO})
    if unassessed:
        lines.append(_wrap(f"not assessed (no data): {', '.join(unassessed)}"))
    return lines


def _quota_lines(quota: QuotaReport) -> list[str]:
    state = f"EXCEEDED by {quota.over_by}" if quota.exceeded else "within the quota"
    lines = [f"  {quota.institution}: {quota.count} of at most {quota.limit}, {state}"]
    if quota.by_faculty:
        faculties = ", ".join(f"{f or '(no faculty)'} {n}" for f, n in quota.by_faculty.items())
        lines.append(_wrap(f"by faculty: {faculties}", "    "))
    for finding in quota.findings:
        lines += _finding_lines(finding)
    return lines


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def render_review(review: Review, call: Call) -> str:
    """A review as text: each application with its findings, the quotas, a summary."""
    lines = [f"{call.id}: {call.title.en}", _deadline_line(call), ""]
    for report in review.applications:
        lines += [*_application_lines(report), ""]
    if review.quotas:
        lines.append("Quotas")
        for quota in review.quotas:
            lines += _quota_lines(quota)
        lines.append("")
    if review.problems:
        lines.append("Input problems")
        lines.extend(_wrap(str(p), "  ") for p in review.problems)
        lines.append("")
    s = review.summary()
    lines.append(
        f"{_count(s['applications'], 'application')}: {s['ok']} pass, {s['failed']} fail; "
        f"{_count(s['errors'], 'error')}, {_count(s['warnings'], 'warning')}; "
        f"{_count(s['quotas_exceeded'], 'quota')} exceeded"
    )
    lines.append("Result: " + ("OK" if review.ok else "NOT OK"))
    return "\n".join(lines)


def render_calls(calls: Iterable[Call]) -> str:
    """One line per call: id, deadline, title."""
    return "\n".join(
        f"{c.id:<20} {c.deadline.format('YYYY-MM-DD HH:mm')} {c.deadline.timezone_name:<14} "
        f"{c.title.en}"
        for c in calls
    )
