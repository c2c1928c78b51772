"""Reports people forward: Markdown, CSV and Excel workbooks of a review; JSON Lines.

Each gives one entry per application read, in input order, with its status and findings,
so that no row of the input is missing from any report. Text that a spreadsheet would run
as a formula (a cell starting with ``=``, ``+``, ``-`` or ``@``) is kept as text: in CSV
behind an apostrophe, in a workbook as a text cell.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any

from callkit._finding import Severity
from callkit._report import finding_to_dict

if TYPE_CHECKING:
    import datetime as dt

    from callkit._call import Call
    from callkit._finding import Finding
    from callkit._report import ApplicationReport, Review

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

COLUMNS = (
    "source",
    "title",
    "institution",
    "faculty",
    "status",
    "errors",
    "warnings",
    "not_assessed",
    "failed_rules",
    "findings",
)
"""The columns of the CSV report and of the workbook's first sheet, one row an application."""

FINDING_COLUMNS = (
    "source",
    "title",
    "rule",
    "severity",
    "field",
    "value",
    "limit",
    "message",
    "version",
    "source_key",
    "source_url",
    "quote",
    "gloss",
)
"""The columns of the workbook's sheet of findings, one row a finding."""


def _safe(text: str) -> str:
    """CSV text a spreadsheet shows as it is, never runs as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _status(report: ApplicationReport) -> str:
    return "pass" if report.ok else "fail"


def _count(report: ApplicationReport, severity: Severity) -> int:
    return sum(1 for f in report.findings if f.severity is severity)


def _finding_text(finding: Finding) -> str:
    return f"{finding.severity} {finding.rule}: {finding.message}"


def application_row(report: ApplicationReport) -> dict[str, Any]:
    """One application's row: its status, counts and findings as text."""
    shown = [f for f in report.findings if f.severity is not Severity.INFO]
    return {
        "source": report.source or "",
        "title": report.application.title,
        "institution": report.application.institution,
        "faculty": report.application.faculty or "",
        "status": _status(report),
        "errors": _count(report, Severity.ERROR),
        "warnings": _count(report, Severity.WARNING),
        "not_assessed": ", ".join(
            sorted({f.rule for f in report.findings if f.severity is Severity.INFO})
        ),
        "failed_rules": ", ".join(
            dict.fromkeys(f.rule for f in report.findings if f.severity is Severity.ERROR)
        ),
        "findings": " | ".join(_finding_text(f) for f in shown),
    }


def finding_rows(review: Review) -> list[dict[str, Any]]:
    """One row per finding of every application, and of every quota."""
    rows = []
    entries = [
        (r.source or "", r.application.title, r.findings, r.version) for r in review.applications
    ]
    entries += [(f"quota of {q.institution}", "", q.findings, q.version) for q in review.quotas]
    for source, title, findings, version in entries:
        for f in findings:
            citation = f.source
            rows.append(
                {
                    "source": source,
                    "title": title,
                    "rule": f.rule,
                    "severity": str(f.severity),
                    "field": f.field or "",
                    "value": f.value or "",
                    "limit": f.limit or "",
                    "message": f.message,
                    "version": version.isoformat() if version else "",
                    "source_key": citation.source if citation else "",
                    "source_url": citation.url if citation else "",
                    "quote": (citation.quote or "") if citation else "",
                    "gloss": (citation.gloss or "") if citation else "",
                }
            )
    return rows


def to_csv(review: Review, delimiter: str = ",") -> str:
    """The review as CSV, one row per application, for a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for report in review.applications:
        row = application_row(report)
        writer.writerow([_safe(str(row[c])) for c in COLUMNS])
    return out.getvalue()


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _md(text: object) -> str:
    """Text for a Markdown table cell."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def to_markdown(review: Review, call: Call) -> str:
    """The review as Markdown a person can paste into an email or a wiki page."""
    summary = review.summary()
    version = (
        f"as in force on {call.effective}" if call.history else f"as published on {call.effective}"
    )
    result = "OK" if review.ok else "NOT OK"
    counts = (
        f"Checked against `{call.id}` {version}: {_n(summary['applications'], 'application')}, "
        f"{summary['ok']} pass, {summary['failed']} fail; {_n(summary['errors'], 'error')}, "
        f"{_n(summary['warnings'], 'warning')}. **Result: {result}**"
    )
    lines = [
        f"# {call.title.en}",
        "",
        counts,
        "",
        "| Row | Title | Institution | Status | Failed rules |",
        "| --- | --- | --- | --- | --- |",
    ]
    for report in review.applications:
        row = application_row(report)
        lines.append(
            f"| {_md(row['source'])} | {_md(row['title'])} | {_md(row['institution'])} | "
            f"{row['status']} | {_md(row['failed_rules'])} |"
        )
    problems = [
        r for r in review.applications if any(f.severity is not Severity.INFO for f in r.findings)
    ]
    if problems:
        lines += ["", "## Findings", ""]
        for report in problems:
            lines.append(f"### {_md(report.application.title or '(no title)')} ({report.source})")
            lines.append("")
            for f in report.findings:
                if f.severity is Severity.INFO:
                    continue
                source = f" ([{f.source.source}]({f.source.url}))" if f.source else ""
                lines.append(f"- **{f.severity}** `{f.rule}`: {f.message}{source}")
            lines.append("")
    if review.quotas:
        lines += [
            "## Quotas",
            "",
            "| Institution | Count | Limit | Exceeded |",
            "| --- | --- | --- | --- |",
        ]
        lines.extend(
            f"| {_md(q.institution)} | {q.count} | {q.limit} | {'yes' if q.exceeded else 'no'} |"
            for q in review.quotas
        )
        lines.append("")
    if review.problems:
        lines += ["## Input problems", ""]
        lines.extend(f"- {_md(p)}" for p in review.problems)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def to_xlsx(review: Review, call: Call) -> bytes:
    """The review as an Excel workbook: applications, findings and quotas, one sheet each."""
    from openpyxl import Workbook  # noqa: PLC0415  (loaded only for workbooks)

    book = Workbook()
    sheets = [
        ("Applications", COLUMNS, [application_row(r) for r in review.applications]),
        ("Findings", FINDING_COLUMNS, finding_rows(review)),
        (
            "Quotas",
            ("institution", "count", "limit", "exceeded", "over_by", "ranking_required"),
            [
                {
                    "institution": q.institution,
                    "count": q.count,
                    "limit": q.limit,
                    "exceeded": q.exceeded,
                    "over_by": q.over_by,
                    "ranking_required": q.ranking_required,
                }
                for q in review.quotas
            ],
        ),
    ]
    first = book.active
    assert first is not None  # noqa: S101  (a new workbook has a sheet)
    book.remove(first)
    for title, columns, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.append(list(columns))
        for row in rows:
            sheet.append([row[c] for c in columns])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text stays text, whatever it starts with
        sheet.freeze_panes = "A2"
    book.properties.title = f"{call.id}: {call.title.en}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class JsonLines:
    """Lines of JSON, one per application as ``check --format jsonl`` writes them.

    A line is ``{"type": "application", ...}`` followed by the keys of
    :meth:`ApplicationReport.to_dict`, exactly as ``json.dumps`` writes that object. Most of
    a line is its findings, and most of those say that a rule was not assessed: one finding
    object shared by every report that has it, citation and all. Each of those, and each
    tuple of rules passed (shared too), is written once and its text reused.
    """

    def __init__(self) -> None:
        """A writer with nothing written yet."""
        self._written: dict[int, tuple[Finding, dt.date | None, str]] = {}
        self._passed: dict[int, tuple[tuple[str, ...], str]] = {}

    def application(self, report: ApplicationReport) -> str:
        """The line of *report*, without its line break."""
        head = _encode(
            {
                "type": "application",
                "source": report.source,
                "title": report.application.title,
                "institution": report.application.institution,
                "policy": report.institution,
                "ok": report.ok,
            }
        )
        findings = ", ".join(self._finding(f, report.version) for f in report.findings)
        passed = self._passed.get(id(report.passed))
        if passed is None or passed[0] is not report.passed:
            if len(self._passed) >= _WRITTEN_CACHE:
                self._passed.clear()
            passed = self._passed[id(report.passed)] = (report.passed, _encode(report.passed))
        return f'{head[:-1]}, "findings": [{findings}], "passed": {passed[1]}}}'

    def _finding(self, finding: Finding, version: dt.date | None) -> str:
        written = self._written.get(id(finding))
        if written is not None and written[0] is finding and written[1] == version:
            return written[2]
        text = _encode(finding_to_dict(finding, version))
        if finding.severity is Severity.INFO:
            if len(self._written) >= _WRITTEN_CACHE:
                self._written.clear()
            self._written[id(finding)] = (finding, version, text)
        return text


_WRITTEN_CACHE = 4096
"""How many findings a :class:`JsonLines` writer keeps the text of."""

_encode = json.JSONEncoder(ensure_ascii=False).encode
"""``json.dumps(value, ensure_ascii=False)``, without making an encoder each time."""
