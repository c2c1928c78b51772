"""Rendering calls, timelines and reviews as text for a terminal, and as plain data."""

from __future__ import annotations

import itertools
import re
import textwrap
from typing import TYPE_CHECKING, Any

import pendulum

from callkit._finding import Finding, Severity
from callkit._i18n import N_, msgs, text, tr
from callkit._timeline import KIND_NAMES
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
    from callkit._text import Language
    from callkit._timeline import Milestone
    from callkit._versions import Amendment, CallDefinition

WIDTH = 100
_INDENT = "      "


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _printable(text: str) -> str:
    r"""*text* with its control characters written as escapes (``\x1b``).

    Text from an input file is printed to a terminal, where an escape sequence or a carriage
    return could rewrite what is shown, such as hide a ``FAIL``.
    """
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _wrap(text: str, indent: str = _INDENT) -> str:
    return textwrap.fill(
        _printable(text),
        width=WIDTH,
        initial_indent=indent,
        subsequent_indent=indent + "  ",
        break_on_hyphens=False,  # addresses stay whole
        break_long_words=False,
    )


def format_instant(
    at: pendulum.DateTime | pendulum.Date, zone: str | None = None, lang: Language = "en"
) -> str:
    """A milestone's time as people read it: ``Wed 16 Mar 2022 13:00 Europe/Oslo``.

    In Norwegian the names of days and months are Norwegian: ``ons. 16 mar. 2022``.
    """
    if isinstance(at, pendulum.DateTime):
        return f"{_day(at, lang)} {at:%H:%M} {zone or at.timezone_name}"
    return _day(at, lang)


def _day(at: pendulum.Date, lang: Language) -> str:
    """``Wed 16 Mar 2022``, or ``ons. 16 mar. 2022``."""
    weekday = tr(_DAYS[at.weekday()], lang)
    return f"{weekday} {at.day} {tr(_MONTHS[at.month - 1], lang)} {at.year}"


# The names of days and months as CLDR abbreviates them, through the catalogue: pendulum's
# formatter would give the same, but loading it costs a command that prints one date
# several milliseconds.
_DAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
_MONTHS = (
    N_("Jan"),
    N_("Feb"),
    N_("Mar"),
    N_("Apr"),
    N_("May"),
    N_("Jun"),
    N_("Jul"),
    N_("Aug"),
    N_("Sep"),
    N_("Oct"),
    N_("Nov"),
    N_("Dec"),
)


def _with_utc(at: pendulum.DateTime, lang: Language) -> str:
    return f"{format_instant(at, lang=lang)} ({at.in_tz('UTC'):%H:%M} UTC)"


def _deadline_line(call: Call, lang: Language) -> str:
    deadlines = call.timeline.deadlines
    if not deadlines:
        return tr("Permanently open: no deadline", lang)
    if len(deadlines) == 1:
        return tr("Application deadline: {when}", lang).format(when=_with_utc(call.deadline, lang))
    parts = []
    for m in deadlines:
        at = m.at
        assert isinstance(at, pendulum.DateTime)  # noqa: S101  (deadlines have a time)
        parts.append(f"{m.stage or m.title.get(lang)}: {_with_utc(at, lang)}")
    return tr("Deadlines: {deadlines}", lang).format(deadlines="; ".join(parts))


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


def _when(m: Milestone, tz: str | None, lang: Language) -> str:
    return format_instant(m.in_tz(tz) if tz else m.at, tz or m.zone, lang)


def _utc(m: Milestone, lang: Language) -> str:
    utc = m.utc
    return f"{utc:%Y-%m-%d %H:%M}" if utc else tr("whole day", lang)


def _when_heading(tz: str | None, lang: Language) -> str:
    return tr("When ({zone})", lang).format(zone=tz) if tz else tr("When (local)", lang)


def kind_name(kind: str, lang: Language) -> str:
    """A milestone kind as people read it in *lang*."""
    return tr(KIND_NAMES[kind], lang) if kind in KIND_NAMES else kind


def render_timeline(
    call: Call, milestones: Iterable[Milestone], tz: str | None = None, lang: Language = "en"
) -> str:
    """The timeline as a table: time (local, or in *tz*), UTC, kind, title, institution."""
    header = (
        _when_heading(tz, lang),
        "UTC",
        tr("Kind", lang),
        tr("What", lang),
        tr("Who", lang),
    )
    rows = [header] + [
        (
            _when(m, tz, lang),
            _utc(m, lang),
            kind_name(str(m.kind), lang),
            m.title.get(lang),
            m.institution or tr("funder", lang),
        )
        for m in milestones
    ]
    return "\n".join([f"{call.id}: {call.title.get(lang)}", "", *_table(rows)])


def render_upcoming(
    entries: Iterable[tuple[Call, Milestone]],
    tz: str | None,
    start: pendulum.DateTime,
    days: int,
    lang: Language = "en",
) -> str:
    """Milestones across calls in time order, for a research office's look-ahead."""
    items = list(entries)
    utc = start.in_tz("UTC")
    when = f"{_day(utc, lang)} {utc:%H:%M}"
    title = msgs(
        "Milestones from {when} UTC, {n} day ahead",
        "Milestones from {when} UTC, {n} days ahead",
        days,
        when=when,
    ).get(lang)
    if not items:
        nothing = tr("Nothing is due.", lang)
        return f"{title}\n\n{nothing}"
    header = (
        _when_heading(tz, lang),
        "UTC",
        tr("Call", lang),
        tr("Kind", lang),
        tr("What", lang),
    )
    rows = [header] + [
        (
            _when(m, tz, lang),
            _utc(m, lang),
            call.id,
            kind_name(str(m.kind), lang),
            m.title.get(lang) + (f" ({m.institution})" if m.institution else ""),
        )
        for call, m in items
    ]
    return "\n".join([title, "", *_table(rows)])


# -- show ----------------------------------------------------------------------------------


def cite(citation: Citation, lang: Language = "en") -> str:
    """A citation on one line in *lang*: the quote (with its gloss), the address, any note.

    The quote is in the source's own words whatever the language; the gloss, which says it
    in English, is left out in Norwegian when the quote is itself Norwegian.
    """
    if lang == "en":
        return str(citation)
    parts: list[str] = []
    if citation.quote:
        parts.append(f"\u201c{citation.quote}\u201d")
    if citation.gloss and not citation.quote:
        parts.append(f"({citation.gloss})")
    parts.append(f"[{citation.source}] {citation.url}")
    if citation.note:
        parts.append(tr("Note: {note}", lang).format(note=citation.note))
    return " ".join(parts)


def _cite_lines(
    call: Call, provenance: Provenance, indent: str = _INDENT, lang: Language = "en"
) -> list[str]:
    source = cite(call.cite(provenance), lang)
    return [_wrap(tr("source: {source}", lang).format(source=source), indent)]


def render_call(call: Call, lang: Language = "en") -> str:
    """The whole call, rule by rule with sources, as text."""
    other: Language = "en" if lang == "nb" else "nb"
    lines = [
        f"{call.id}: {call.title.get(lang)}",
        f"  {call.title.get(other)}",
        "",
        tr("Programme: {name}", lang).format(name=call.programme.get(lang)),
        tr("Funder: {name}", lang).format(name=call.funder.get(lang)),
    ]
    if call.administrators:
        names = ", ".join(a.get(lang) for a in call.administrators)
        lines.append(tr("Administered by: {names}", lang).format(names=names))
    lines += [
        tr("In force from: {date}", lang).format(date=call.effective.isoformat()),
        _deadline_line(call, lang),
        "",
    ]
    lines.append(tr("Rules", lang))
    for rule in call.rules:
        lines += _rule_block(rule, call, lang)
    for policy in call.policies:
        lines += [
            "",
            tr("Policy of {name} ({institution})", lang).format(
                name=policy.name.get(lang), institution=policy.institution
            ),
        ]
        lines.append("  " + tr("Names: {names}", lang).format(names=", ".join(policy.all_names)))
        if policy.quota:
            limit = msgs("at most {n} application", "at most {n} applications", policy.quota.limit)
            quota = tr("quota", lang)
            lines.append(f"  {quota}  {limit.get(lang)}")
            lines += _cite_lines(call, policy.quota.provenance, "         ", lang)
            if policy.quota.ranking:
                ranking = tr("over the quota, faculties rank their applications", lang)
                ranking_word = tr("ranking", lang)
                lines.append(f"  {ranking_word}  {ranking}")
                lines += _cite_lines(call, policy.quota.ranking, "         ", lang)
        for rule in policy.rules:
            lines += _rule_block(rule, call, lang)
        for note in policy.notes:
            lines.append(_wrap(tr("Note: {note}", lang).format(note=note.text.get(lang)), "  "))
            lines += _cite_lines(call, note.provenance, "        ", lang)
    lines += ["", tr("Timeline", lang)]
    when = [format_instant(m.at, m.zone, lang) for m in call.timeline]
    width = max(map(len, when), default=0)
    lines.extend(
        f"  {w:<{width}}  {m.title.get(lang)}" + (f" ({m.institution})" if m.institution else "")
        for w, m in zip(when, call.timeline, strict=True)
    )
    if call.notes:
        lines += ["", tr("Notes", lang)]
        for note in call.notes:
            lines.append(_wrap(f"- {note.text.get(lang)}", "  "))
            lines += _cite_lines(call, note.provenance, "      ", lang)
    lines += ["", tr("Sources", lang)]
    lines.extend(f"  [{s.key}] {s.title}\n      {s.url}" for s in call.sources)
    return "\n".join(lines)


def _rule_block(rule: AnyRule, call: Call, lang: Language) -> list[str]:
    lines = [f"  {rule.id}  {rule.title.get(lang)}"]
    lines.append(_wrap(text(rule.describe(), lang), "         "))
    lines += _cite_lines(call, rule.provenance, "         ", lang)
    for group in getattr(rule, "groups", ()):
        lines.append(_wrap(f"{group.title.get(lang)}: {', '.join(group.countries)}", "         "))
        lines += _cite_lines(call, group.provenance, "           ", lang)
    for exclusion in getattr(rule, "excluded", ()):
        excluded = tr("Excluded: {country}", lang).format(country=exclusion.country)
        lines.append(_wrap(excluded, "         "))
        lines += _cite_lines(call, exclusion.provenance, "           ", lang)
    return lines


# -- review --------------------------------------------------------------------------------

_MARKS = {
    Severity.ERROR: N_("error"),
    Severity.WARNING: N_("warning"),
    Severity.INFO: N_("info"),
}
_STATUS = {True: N_("PASS"), False: N_("FAIL")}
_RESULT = {True: N_("OK"), False: N_("NOT OK")}
_COLOURS = {
    Severity.ERROR: "31",
    Severity.WARNING: "33",
    "PASS": "32",
    "FAIL": "31",
    "OK": "1;32",
    "NOT OK": "1;31",
}


def severity_name(severity: Severity, lang: Language) -> str:
    """A severity as people read it in *lang*: ``error``, ``feil``."""
    return tr(_MARKS[severity], lang)


def _paint(line: str, word: str, code: str | None, colour: bool) -> str:  # noqa: FBT001
    """*line* with its first *word* in the colour *code*, when colour is on.

    The colour is put in after the line is wrapped, so that it never counts as width.
    """
    if not colour or code is None or word not in line:
        return line
    return line.replace(word, f"\x1b[{code}m{word}\x1b[0m", 1)


def _finding_lines(finding: Finding, lang: Language, colour: bool = False) -> list[str]:  # noqa: FBT001, FBT002
    mark = severity_name(finding.severity, lang)
    head = f"{mark:<7} {finding.rule}: {finding.text(lang)}"
    lines = [_paint(_wrap(head), mark, _COLOURS.get(finding.severity), colour)]
    if finding.source is not None:
        source = tr("source: {source}", lang).format(source=cite(finding.source, lang))
        lines.append(_wrap(source, _INDENT + "        "))
    return lines


def _application_lines(
    report: ApplicationReport,
    lang: Language,
    colour: bool = False,  # noqa: FBT001, FBT002
) -> list[str]:
    status = tr(_STATUS[report.ok], lang)
    code = _COLOURS[_STATUS[report.ok]]
    title = report.application.title or tr("(no title)", lang)
    head = _printable(f"{status}  {report.source}  {title}")
    lines = [_paint(head, status, code, colour)]
    who = report.application.institution or tr("(no institution)", lang)
    if report.application.faculty:
        who += f", {report.application.faculty}"
    lines.append(f"{_INDENT}{_printable(who)}")
    shown = [f for f in report.findings if f.severity is not Severity.INFO]
    for finding in shown:
        lines += _finding_lines(finding, lang, colour)
    unassessed = sorted({f.rule for f in report.findings if f.severity is Severity.INFO})
    if unassessed:
        line = tr("not assessed (no data): {rules}", lang).format(rules=", ".join(unassessed))
        lines.append(_wrap(line))
    return lines


def _quota_lines(quota: QuotaReport, lang: Language, colour: bool = False) -> list[str]:  # noqa: FBT001, FBT002
    state = (
        tr("EXCEEDED by {over}", lang).format(over=quota.over_by)
        if quota.exceeded
        else tr("within the quota", lang)
    )
    head = tr("{institution}: {count} of at most {limit}, {state}", lang).format(
        institution=quota.institution, count=quota.count, limit=quota.limit, state=state
    )
    lines = [f"  {head}"]
    if quota.by_faculty:
        faculties = ", ".join(
            f"{f or tr('(no faculty)', lang)} {n}" for f, n in quota.by_faculty.items()
        )
        lines.append(_wrap(tr("by faculty: {faculties}", lang).format(faculties=faculties), "    "))
    for finding in quota.findings:
        lines += _finding_lines(finding, lang, colour)
    return lines


def version_line(call: Call, lang: Language = "en") -> str:
    """Which version of the call a report judges by."""
    if not call.history:
        return tr("As published on {date}", lang).format(date=call.effective)
    amended = ", ".join(f"{a.effective} ({a.title.get(lang)})" for a in call.history)
    line = tr("As in force on {date}, amended {amendments}", lang).format(
        date=call.effective, amendments=amended
    )
    return _wrap(line, "")


def summary_line(summary: dict[str, int], lang: Language = "en") -> str:
    """A review's counts in one line: applications, passes, failures, errors, quotas."""
    parts = [
        msgs(
            "{n} application: {ok} pass, {failed} fail",
            "{n} applications: {ok} pass, {failed} fail",
            summary["applications"],
            ok=summary["ok"],
            failed=summary["failed"],
        ),
        msgs("{n} error", "{n} errors", summary["errors"]),
        msgs("{n} warning", "{n} warnings", summary["warnings"]),
        msgs("{n} quota exceeded", "{n} quotas exceeded", summary["quotas_exceeded"]),
    ]
    first, *rest = (part.get(lang) for part in parts)
    return f"{first}; {', '.join(rest[:2])}; {rest[2]}"


def render_review(
    review: Review, call: Call, *, colour: bool = False, lang: Language = "en"
) -> str:
    """A review as text: each application with its findings, the quotas, a summary.

    With *colour*, passes, failures, errors and warnings are marked in terminal colours.
    """
    lines = [
        f"{call.id}: {call.title.get(lang)}",
        version_line(call, lang),
        _deadline_line(call, lang),
        "",
    ]
    for report in review.applications:
        lines += [*_application_lines(report, lang, colour), ""]
    if review.quotas:
        lines.append(tr("Quotas", lang))
        for quota in review.quotas:
            lines += _quota_lines(quota, lang, colour)
        lines.append("")
    if review.problems:
        lines.append(tr("Input problems", lang))
        lines.extend(_wrap(p.describe(lang), "  ") for p in review.problems)
        lines.append("")
    lines.append(summary_line(review.summary(), lang))
    result = tr(_RESULT[review.ok], lang)
    line = tr("Result: {result}", lang).format(result=result)
    lines.append(_paint(line, result, _COLOURS[_RESULT[review.ok]], colour))
    return "\n".join(lines)


def render_lint(target: str, findings: Iterable[LintFinding], lang: Language = "en") -> str:
    """Lint findings as text, each with its milestone and source."""
    items = list(findings)
    lines = [tr("Lint of {target}", lang).format(target=target)]
    if items:
        lines.append("")
    for f in items:
        mark = severity_name(f.severity, lang)
        lines.append(_wrap(f"{mark:<7} {f.code}: {text(f.message, lang)}", "  "))
        if f.milestone:
            milestone = tr("milestone: {milestone}", lang).format(milestone=text(f.milestone, lang))
            lines.append(_wrap(milestone, "          "))
        if f.source:
            source = tr("source: {source}", lang).format(source=cite(f.source, lang))
            lines.append(_wrap(source, "          "))
    errors = sum(1 for f in items if f.severity is Severity.ERROR)
    counts = (
        msgs("{n} error", "{n} errors", errors).get(lang),
        msgs("{n} warning", "{n} warnings", len(items) - errors).get(lang),
    )
    lines += ["", ", ".join(counts)]
    return "\n".join(lines)


def render_plugins(statuses: Iterable[PluginStatus], lang: Language = "en") -> str:
    """One line per call plugin: call, distribution, kind and whether it loads."""
    rows: list[tuple[str, ...]] = [
        (tr("Call", lang), tr("Distribution", lang), tr("Kind", lang), tr("Status", lang))
    ]
    for s in statuses:
        dist = (
            f"{s.entry.distribution} {s.entry.version}"
            if s.entry.distribution
            else tr("given", lang)
        )
        kind = tr("data", lang) if s.entry.data else tr("code", lang)
        rows.append((s.entry.id, dist, kind, tr("ok", lang) if s.ok else tr("error", lang)))
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


def _change_line(change: Change, lang: Language) -> str:
    if change.op == "add":
        line = tr("added to {path}: {value}", lang)
    elif change.op == "remove":
        line = tr("removed {path}", lang)
    else:
        line = tr("set {path} to {value}", lang)
    return line.format(path=change.path, value=_summary(change.value))


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
    definition: CallDefinition,
    start: dt.date,
    end: dt.date,
    amendments: Iterable[Amendment],
    lang: Language = "en",
) -> str:
    """What changed in a call between two dates, each change with its date and source."""
    latest = definition.latest
    items = list(amendments)
    head = tr("{call}: what changed after {start} up to {end}", lang)
    lines = [head.format(call=definition.id, start=start, end=end), ""]
    if not items:
        lines.append(tr("Nothing changed.", lang))
    for amendment in items:
        lines.append(f"{amendment.effective}  {amendment.title.get(lang)}")
        source = cite(latest.cite(amendment.provenance), lang)
        lines.append(_wrap(tr("source: {source}", lang).format(source=source), "    "))
        lines.extend(_wrap(_change_line(c, lang), "    ") for c in amendment.changes)
        lines.append("")
    return "\n".join(lines).rstrip()


def _touches(change: Change, rule_id: str) -> bool:
    parts = change.path.split(".")
    return any(a == "rules" and b == rule_id for a, b in itertools.pairwise(parts))


def explain_to_dict(
    call: Call, rule_id: str, definition: CallDefinition, lang: Language = "en"
) -> dict[str, Any]:
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
        "asks": text(rule.describe(), lang),
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


def render_explain(
    call: Call, rule_id: str, definition: CallDefinition, lang: Language = "en"
) -> str:
    """One rule as text: what it asks, the sentence it comes from, and its history."""
    data = explain_to_dict(call, rule_id, definition)
    rule = call.rule(rule_id)
    if data["institution"]:
        head = tr("{call} as in force on {date}: {rule} (for {institution} only)", lang)
    else:
        head = tr("{call} as in force on {date}: {rule}", lang)
    other: Language = "en" if lang == "nb" else "nb"
    source = cite(call.cite(rule.provenance), lang)
    lines = [
        head.format(
            call=call.id, date=call.effective, rule=rule.id, institution=data["institution"]
        ),
        f"  {rule.title.get(lang)} / {rule.title.get(other)}",
        "",
        _wrap(tr("Asks: {asks}", lang).format(asks=text(rule.describe(), lang)), "  "),
        _wrap(tr("Source: {source}", lang).format(source=source), "  "),
    ]
    lines.extend(
        _wrap(
            tr("{group}: source: {source}", lang).format(
                group=group.title.get(lang), source=cite(call.cite(group.provenance), lang)
            ),
            "  ",
        )
        for group in getattr(rule, "groups", ())
    )
    lines.extend(
        _wrap(
            tr("Excluded {country}: source: {source}", lang).format(
                country=exclusion.country, source=cite(call.cite(exclusion.provenance), lang)
            ),
            "  ",
        )
        for exclusion in getattr(rule, "excluded", ())
    )
    changed = [a for a in call.history if any(_touches(c, rule_id) for c in a.changes)]
    if changed:
        lines += ["", tr("Changed by", lang)]
        lines.extend(f"  {a.effective}  {a.title.get(lang)}" for a in changed)
    later = [
        a
        for a in definition.amendments
        if a.effective > call.effective and any(_touches(c, rule_id) for c in a.changes)
    ]
    if later:
        lines += ["", tr("Changed later (not in this version)", lang)]
        lines.extend(f"  {a.effective}  {a.title.get(lang)}" for a in later)
    return "\n".join(lines)
