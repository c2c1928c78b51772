"""Rendering calls, timelines and reviews as text for a terminal, and as plain data."""

from __future__ import annotations

import itertools
import textwrap
from typing import TYPE_CHECKING, Any

import pendulum

from callkit._finding import Finding, Severity
from callkit._versions import Change

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable, Sequence

    from callkit._call import Call
    from callkit._lint import LintFinding
    from callkit._provenance import Citation, Provenance
    from callkit._registry import PluginStatus
    from callkit._report import ApplicationReport, QuotaReport, Review
    from callkit._rules import AnyRule
    from callkit._timeline import Milestone
    from callkit._versions import Amendment, CallDefinition

WIDTH = 100
_INDENT = "      "


def _wrap(text: str, indent: str = _INDENT) -> str:
    return textwrap.fill(
        text,
        width=WIDTH,
        initial_indent=indent,
        subsequent_indent=indent + "  ",
        break_on_hyphens=False,  # addresses stay whole
        break_long_words=False,
    )


def format_instant(at: pendulum.DateTime | pendulum.Date, zone: str | None = None) -> str:
    """A milestone's time as people read it: ``Wed 16 Mar 2022 13:00 Europe/Oslo``."""
    if isinstance(at, pendulum.DateTime):
        return f"{at.format('ddd D MMM YYYY HH:mm')} {zone or at.timezone_name}"
    return at.format("ddd D MMM YYYY")


def _with_utc(at: pendulum.DateTime) -> str:
    return f"{format_instant(at)} ({at.in_tz('UTC').format('HH:mm')} UTC)"


def _deadline_line(call: Call) -> str:
    deadlines = call.timeline.deadlines
    if not deadlines:
        return "Permanently open: no deadline"
    if len(deadlines) == 1:
        return f"Application deadline: {_with_utc(call.deadline)}"
    parts = []
    for m in deadlines:
        at = m.at
        assert isinstance(at, pendulum.DateTime)  # noqa: S101  (deadlines have a time)
        parts.append(f"{m.stage or m.title.en}: {_with_utc(at)}")
    return "Deadlines: " + "; ".join(parts)


# -- timeline ------------------------------------------------------------------------------


def milestone_to_dict(milestone: Milestone, call: Call, tz: str | None = None) -> dict[str, Any]:
    """A milestone as plain data, as ``callkit timeline --format json`` gives it.

    ``at`` is the instant with its UTC offset, in *tz* when given and otherwise in the
    milestone's own zone, or the date of a whole-day milestone.
    """
    utc = milestone.utc
    at = milestone.in_tz(tz) if tz else milestone.at
    return {
        "call": call.id,
        "kind": str(milestone.kind),
        "title": milestone.title.en,
        "title_nb": milestone.title.nb,
        "at": at.isoformat(),
        "zone": milestone.zone,
        "utc": utc.isoformat().replace("+00:00", "Z") if utc else None,
        "whole_day": milestone.whole_day,
        "institution": milestone.institution,
        "id": milestone.id,
        "stage": milestone.stage,
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


def _table(rows: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    return [
        "  ".join([*(r[i].ljust(w) for i, w in enumerate(widths)), r[-1]]).rstrip() for r in rows
    ]


def _when(m: Milestone, tz: str | None) -> str:
    return format_instant(m.in_tz(tz) if tz else m.at, tz or m.zone)


def _utc(m: Milestone) -> str:
    utc = m.utc
    return utc.format("YYYY-MM-DD HH:mm") if utc else "whole day"


def render_timeline(call: Call, milestones: Iterable[Milestone], tz: str | None = None) -> str:
    """The timeline as a table: time (local, or in *tz*), UTC, kind, title, institution."""
    header = ("When" + (f" ({tz})" if tz else " (local)"), "UTC", "Kind", "What", "Who")
    rows = [header] + [
        (_when(m, tz), _utc(m), str(m.kind), m.title.en, m.institution or "funder")
        for m in milestones
    ]
    return "\n".join([f"{call.id}: {call.title.en}", "", *_table(rows)])


def render_upcoming(
    entries: Iterable[tuple[Call, Milestone]], tz: str | None, start: pendulum.DateTime, days: int
) -> str:
    """Milestones across calls in time order, for a research office's look-ahead."""
    items = list(entries)
    when = start.in_tz("UTC").format("ddd D MMM YYYY HH:mm")
    title = f"Milestones from {when} UTC, {_count(days, 'day')} ahead"
    if not items:
        return f"{title}\n\nNothing is due."
    header = ("When" + (f" ({tz})" if tz else " (local)"), "UTC", "Call", "Kind", "What")
    rows = [header] + [
        (
            _when(m, tz),
            _utc(m),
            call.id,
            str(m.kind),
            m.title.en + (f" ({m.institution})" if m.institution else ""),
        )
        for call, m in items
    ]
    return "\n".join([title, "", *_table(rows)])


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
        for note in policy.notes:
            lines.append(_wrap(f"Note: {note.text.en}", "  "))
            lines += _cite_lines(call, note.provenance, "        ")
    lines += ["", "Timeline"]
    when = [format_instant(m.at, m.zone) for m in call.timeline]
    width = max(map(len, when), default=0)
    lines.extend(
        f"  {w:<{width}}  {m.title.en}" + (f" ({m.institution})" if m.institution else "")
        for w, m in zip(when, call.timeline, strict=True)
    )
    if call.notes:
        lines += ["", "Notes"]
        for note in call.notes:
            lines.append(_wrap(f"- {note.text.en}", "  "))
            lines += _cite_lines(call, note.provenance, "      ")
    lines += ["", "Sources"]
    lines.extend(f"  [{s.key}] {s.title}\n      {s.url}" for s in call.sources)
    return "\n".join(lines)


def _rule_block(rule: AnyRule, call: Call) -> list[str]:
    lines = [f"  {rule.id}  {rule.title.en}"]
    lines.append(_wrap(rule.describe(), "         "))
    lines += _cite_lines(call, rule.provenance, "         ")
    for group in getattr(rule, "groups", ()):
        lines.append(_wrap(f"{group.title.en}: {', '.join(group.countries)}", "         "))
        lines += _cite_lines(call, group.provenance, "           ")
    for exclusion in getattr(rule, "excluded", ()):
        lines.append(_wrap(f"Excluded: {exclusion.country}", "         "))
        lines += _cite_lines(call, exclusion.provenance, "           ")
    return lines


# -- review --------------------------------------------------------------------------------

_MARK = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"}

_COLOURS = {
    "error": "31",
    "FAIL": "31",
    "warning": "33",
    "PASS": "32",
    "NOT OK": "1;31",
    "OK": "1;32",
}


def _paint(line: str, word: str, colour: bool) -> str:  # noqa: FBT001
    """*line* with its first *word* in its colour, when colour is on.

    The colour is put in after the line is wrapped, so that it never counts as width.
    """
    if not colour or word not in line:
        return line
    return line.replace(word, f"\x1b[{_COLOURS[word]}m{word}\x1b[0m", 1)


def _finding_lines(finding: Finding, colour: bool = False) -> list[str]:  # noqa: FBT001, FBT002
    mark = _MARK[finding.severity]
    head = f"{mark:<7} {finding.rule}: {finding.message}"
    lines = [_paint(_wrap(head), mark, colour)]
    if finding.source is not None:
        lines.append(_wrap(f"source: {finding.source}", _INDENT + "        "))
    return lines


def _application_lines(report: ApplicationReport, colour: bool = False) -> list[str]:  # noqa: FBT001, FBT002
    status = "PASS" if report.ok else "FAIL"
    title = report.application.title or "(no title)"
    lines = [_paint(f"{status}  {report.source}  {title}", status, colour)]
    who = report.application.institution or "(no institution)"
    if report.application.faculty:
        who += f", {report.application.faculty}"
    lines.append(f"{_INDENT}{who}")
    shown = [f for f in report.findings if f.severity is not Severity.INFO]
    for finding in shown:
        lines += _finding_lines(finding, colour)
    unassessed = sorted({f.rule for f in report.findings if f.severity is Severity.INFO})
    if unassessed:
        lines.append(_wrap(f"not assessed (no data): {', '.join(unassessed)}"))
    return lines


def _quota_lines(quota: QuotaReport, colour: bool = False) -> list[str]:  # noqa: FBT001, FBT002
    state = f"EXCEEDED by {quota.over_by}" if quota.exceeded else "within the quota"
    lines = [f"  {quota.institution}: {quota.count} of at most {quota.limit}, {state}"]
    if quota.by_faculty:
        faculties = ", ".join(f"{f or '(no faculty)'} {n}" for f, n in quota.by_faculty.items())
        lines.append(_wrap(f"by faculty: {faculties}", "    "))
    for finding in quota.findings:
        lines += _finding_lines(finding, colour)
    return lines


def _version_line(call: Call) -> str:
    """Which version of the call a report judges by."""
    if not call.history:
        return f"As published on {call.effective}"
    amended = ", ".join(f"{a.effective} ({a.title.en})" for a in call.history)
    return _wrap(f"As in force on {call.effective}, amended {amended}", "")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def render_review(review: Review, call: Call, *, colour: bool = False) -> str:
    """A review as text: each application with its findings, the quotas, a summary.

    With *colour*, passes, failures, errors and warnings are marked in terminal colours.
    """
    lines = [f"{call.id}: {call.title.en}", _version_line(call), _deadline_line(call), ""]
    for report in review.applications:
        lines += [*_application_lines(report, colour), ""]
    if review.quotas:
        lines.append("Quotas")
        for quota in review.quotas:
            lines += _quota_lines(quota, colour)
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
    result = "OK" if review.ok else "NOT OK"
    lines.append(_paint(f"Result: {result}", result, colour))
    return "\n".join(lines)


def render_lint(target: str, findings: Iterable[LintFinding]) -> str:
    """Lint findings as text, each with its milestone and source."""
    items = list(findings)
    lines = [f"Lint of {target}"]
    if items:
        lines.append("")
    for f in items:
        lines.append(_wrap(f"{f.severity:<7} {f.code}: {f.message}", "  "))
        if f.milestone:
            lines.append(_wrap(f"milestone: {f.milestone}", "          "))
        if f.source:
            lines.append(_wrap(f"source: {f.source}", "          "))
    errors = sum(1 for f in items if f.severity is Severity.ERROR)
    lines += ["", f"{_count(errors, 'error')}, {_count(len(items) - errors, 'warning')}"]
    return "\n".join(lines)


def render_plugins(statuses: Iterable[PluginStatus]) -> str:
    """One line per call plugin: call, distribution, kind and whether it loads."""
    rows: list[tuple[str, ...]] = [("Call", "Distribution", "Kind", "Status")]
    for s in statuses:
        dist = f"{s.entry.distribution} {s.entry.version}" if s.entry.distribution else "given"
        rows.append(
            (s.entry.id, dist, "data" if s.entry.data else "code", "ok" if s.ok else "error")
        )
    lines = _table(rows)
    errors = [s for s in statuses if not s.ok]
    if errors:
        lines.append("")
        lines.extend(_wrap(f"{s.entry.id}: {s.error}", "") for s in errors)
    return "\n".join(lines)


# -- versions ------------------------------------------------------------------------------


def _summary(value: Any) -> str:  # noqa: ANN401
    """A change's value in a few words: its code or id and its English name."""
    if not isinstance(value, dict):
        return str(value)
    name = next((value[k] for k in ("code", "id", "country", "key", "kind") if k in value), None)
    label = next(
        (value[k] for k in ("name", "title", "text") if isinstance(value.get(k), dict)), None
    )
    words = [str(name)] if name is not None else []
    if label is not None:
        words.append(f"({label.get('en', '')})" if words else str(label.get("en", "")))
    if words:
        return " ".join(words)
    return ", ".join(f"{k} {_summary(v)}" for k, v in value.items())


def _change_line(change: Change) -> str:
    if change.op == "add":
        return f"added to {change.path}: {_summary(change.value)}"
    if change.op == "remove":
        return f"removed {change.path}"
    return f"set {change.path} to {_summary(change.value)}"


def amendment_to_dict(amendment: Amendment, call: Call) -> dict[str, Any]:
    """An amendment as plain data, with its source resolved."""
    from callkit._convert import make_converter  # noqa: PLC0415

    converter = make_converter()
    return {
        "effective": amendment.effective.isoformat(),
        "title": amendment.title.en,
        "title_nb": amendment.title.nb,
        "source": citation_to_dict(call.cite(amendment.provenance)),
        "changes": [converter.unstructure(c, Change) for c in amendment.changes],
    }


def diff_to_dict(
    definition: CallDefinition, start: dt.date, end: dt.date, amendments: Iterable[Amendment]
) -> dict[str, Any]:
    """What changed in a call between two dates, as ``callkit diff --format json`` gives it."""
    latest = definition.latest
    return {
        "call": definition.id,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "amendments": [amendment_to_dict(a, latest) for a in amendments],
    }


def render_diff(
    definition: CallDefinition, start: dt.date, end: dt.date, amendments: Iterable[Amendment]
) -> str:
    """What changed in a call between two dates, each change with its date and source."""
    latest = definition.latest
    items = list(amendments)
    lines = [f"{definition.id}: what changed after {start} up to {end}", ""]
    if not items:
        lines.append("Nothing changed.")
    for amendment in items:
        lines.append(f"{amendment.effective}  {amendment.title.en}")
        lines.append(_wrap(f"source: {latest.cite(amendment.provenance)}", "    "))
        lines.extend(_wrap(_change_line(c), "    ") for c in amendment.changes)
        lines.append("")
    return "\n".join(lines).rstrip()


def _touches(change: Change, rule_id: str) -> bool:
    parts = change.path.split(".")
    return any(a == "rules" and b == rule_id for a, b in itertools.pairwise(parts))


def explain_to_dict(call: Call, rule_id: str, definition: CallDefinition) -> dict[str, Any]:
    """One rule with its source and the amendments that changed it, as plain data."""
    from callkit._convert import make_converter  # noqa: PLC0415

    rule = call.rule(rule_id)
    owner = next((p.institution for p in call.policies if rule in p.rules), None)
    return {
        "call": call.id,
        "version": call.effective.isoformat(),
        "rule": rule.id,
        "kind": rule.kind,
        "title": rule.title.en,
        "title_nb": rule.title.nb,
        "institution": owner,
        "severity": str(rule.severity),
        "asks": rule.describe(),
        "source": citation_to_dict(call.cite(rule.provenance)),
        "definition": make_converter().unstructure(rule, type(rule)),
        "amendments": [
            amendment_to_dict(a, call)
            for a in call.history
            if any(_touches(c, rule_id) for c in a.changes)
        ],
        "later_amendments": [
            amendment_to_dict(a, definition.latest)
            for a in definition.amendments
            if a.effective > call.effective and any(_touches(c, rule_id) for c in a.changes)
        ],
    }


def render_explain(call: Call, rule_id: str, definition: CallDefinition) -> str:
    """One rule as text: what it asks, the sentence it comes from, and its history."""
    data = explain_to_dict(call, rule_id, definition)
    rule = call.rule(rule_id)
    who = f" (for {data['institution']} only)" if data["institution"] else ""
    lines = [
        f"{call.id} as in force on {call.effective}: {rule.id}{who}",
        f"  {rule.title.en} / {rule.title.nb}",
        "",
        _wrap(f"Asks: {rule.describe()}", "  "),
        _wrap(f"Source: {call.cite(rule.provenance)}", "  "),
    ]
    lines.extend(
        _wrap(f"{group.title.en}: source: {call.cite(group.provenance)}", "  ")
        for group in getattr(rule, "groups", ())
    )
    lines.extend(
        _wrap(f"Excluded {exclusion.country}: source: {call.cite(exclusion.provenance)}", "  ")
        for exclusion in getattr(rule, "excluded", ())
    )
    changed = [a for a in call.history if any(_touches(c, rule_id) for c in a.changes)]
    if changed:
        lines += ["", "Changed by"]
        lines.extend(f"  {a.effective}  {a.title.en}" for a in changed)
    later = data["later_amendments"]
    if later:
        lines += ["", "Changed later (not in this version)"]
        lines.extend(f"  {a['effective']}  {a['title']}" for a in later)
    return "\n".join(lines)
