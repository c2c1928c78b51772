r"""Reports people forward: Markdown, CSV and Excel workbooks of a review.

Each gives one entry per application read, in input order, with its status and findings,
so that no row of the input is missing from any report. Text that a spreadsheet would run
as a formula (a cell starting with ``=``, ``+``, ``-`` or ``@``) is kept as text: in CSV
behind an apostrophe, in a workbook as a text cell. A line break in a cell does not break a
Markdown table, and a character a workbook cannot hold (a control character, a lone
surrogate) is written there as its escape, such as ``\x00``.
"""

from __future__ import annotations

import csv
import io
import re
from typing import TYPE_CHECKING, Any

from callkit._finding import Severity

if TYPE_CHECKING:
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


XLSX_CELL_LIMIT = 32_767
"""The most characters a workbook cell holds, as Excel counts them."""

# What XML 1.0, and so a workbook, cannot hold: most control characters, lone surrogates
# (as a JSON file may give with ``\ud800``) and the two non-characters U+FFFE and U+FFFF.
_NOT_IN_WORKBOOKS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"  # noqa: PLR2004


def _cell(value: object) -> object:
    """A value a workbook cell can hold: control characters escaped, text cut to the limit."""
    if not isinstance(value, str):
        return value
    text = _NOT_IN_WORKBOOKS.sub(_escape, value)
    if len(text) > XLSX_CELL_LIMIT:
        text = text[: XLSX_CELL_LIMIT - 3] + "..."
    return text


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


_LINE_BREAK = re.compile(r"\r\n?|\n")


def _line(text: object) -> str:
    """Text on one Markdown line: each line break (LF, CR LF or CR alone) a space."""
    return _LINE_BREAK.sub(" ", str(text))


def _md(text: object) -> str:
    """Text for a Markdown table cell."""
    return _line(str(text).replace("\\", "\\\\").replace("|", "\\|"))


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
            title = report.application.title or "(no title)"
            lines.append(f"### {_md(title)} ({_md(report.source)})")
            lines.append("")
            for f in report.findings:
                if f.severity is Severity.INFO:
                    continue
                source = f" ([{f.source.source}]({f.source.url}))" if f.source else ""
                lines.append(f"- **{f.severity}** `{f.rule}`: {_line(f.message)}{source}")
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
            sheet.append([_cell(row[c]) for c in columns])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text stays text, whatever it starts with
        sheet.freeze_panes = "A2"
    book.properties.title = f"{call.id}: {call.title.en}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
