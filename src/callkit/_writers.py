r"""Reports people forward: Markdown, CSV and Excel workbooks of a review; JSON Lines.

Each gives one entry per application read, in input order, with its status and findings,
so that no row of the input is missing from any report. Text that a spreadsheet would run
as a formula (a cell starting with ``=``, ``+``, ``-`` or ``@``) is kept as text: in CSV
behind an apostrophe, in a workbook as a text cell. A line break in a cell does not break a
Markdown table, and a character a workbook cannot hold (a control character, a lone
surrogate) is written there as its escape, such as ``\x00``.

Markdown and workbooks are for people: their headings, statuses, severities and messages
are in the language asked for, while a finding's value (as the application gave it) and
limit (``at most 20``) are data, the same in both languages.
CSV is read by people and by programs alike: its messages are in that language, while its
column names and status codes stay the same in every language, as the JSON report's keys do.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import TYPE_CHECKING, Any

from callkit._finding import Severity
from callkit._i18n import N_, tr
from callkit._report import finding_to_dict

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable

    from callkit._call import Call
    from callkit._finding import Finding
    from callkit._i18n import Language
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

QUOTA_COLUMNS = ("institution", "count", "limit", "exceeded", "over_by", "ranking_required")
"""The columns of the workbook's sheet of quotas, one row an institution."""

_HEADINGS = {
    "source": N_("Source"),
    "title": N_("Title"),
    "institution": N_("Institution"),
    "faculty": N_("Faculty"),
    "status": N_("Status"),
    "errors": N_("Errors"),
    "warnings": N_("Warnings"),
    "not_assessed": N_("Not assessed"),
    "failed_rules": N_("Failed rules"),
    "findings": N_("Findings"),
    "rule": N_("Rule"),
    "severity": N_("Severity"),
    "field": N_("Field"),
    "value": N_("Value"),
    "limit": N_("Limit"),
    "message": N_("Message"),
    "version": N_("Version"),
    "source_key": N_("Source key"),
    "source_url": N_("Source address"),
    "quote": N_("Quote"),
    "gloss": N_("Gloss"),
    "count": N_("Count"),
    "exceeded": N_("Exceeded"),
    "over_by": N_("Over by"),
    "ranking_required": N_("Ranking required"),
}


def heading(column: str, lang: Language) -> str:
    """The heading of a workbook's *column* in *lang*."""
    return tr(_HEADINGS[column], lang)


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


def _severity(finding: Finding, lang: Language) -> str:
    from callkit._render import severity_name  # noqa: PLC0415

    return severity_name(finding.severity, lang)


def _finding_text(finding: Finding, lang: Language) -> str:
    return f"{_severity(finding, lang)} {finding.rule}: {finding.text(lang)}"


def application_row(report: ApplicationReport, lang: Language = "en") -> dict[str, Any]:
    """One application's row: its status, counts and findings (in *lang*) as text."""
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
        "findings": " | ".join(_finding_text(f, lang) for f in shown),
    }


def finding_rows(review: Review, lang: Language = "en") -> list[dict[str, Any]]:
    """One row per finding of every application, and of every quota."""
    rows = []
    entries = [
        (r.source or "", r.application.title, r.findings, r.version) for r in review.applications
    ]
    entries += [
        (
            tr("quota of {institution}", lang).format(institution=q.institution),
            "",
            q.findings,
            q.version,
        )
        for q in review.quotas
    ]
    for source, title, findings, version in entries:
        for f in findings:
            citation = f.source
            rows.append(
                {
                    "source": source,
                    "title": title,
                    "rule": f.rule,
                    "severity": _severity(f, lang),
                    "field": f.field or "",
                    "value": f.value or "",
                    "limit": f.limit or "",
                    "message": f.text(lang),
                    "version": version.isoformat() if version else "",
                    "source_key": citation.source if citation else "",
                    "source_url": citation.url if citation else "",
                    "quote": (citation.quote or "") if citation else "",
                    "gloss": (citation.gloss or "") if citation else "",
                }
            )
    return rows


def to_csv(review: Review, delimiter: str = ",", lang: Language = "en") -> str:
    """The review as CSV, one row per application, for a spreadsheet.

    The findings are in *lang*; the column names and the status (``pass`` or ``fail``) are
    the same in every language.
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for report in review.applications:
        row = application_row(report, lang)
        writer.writerow([_safe(str(row[c])) for c in COLUMNS])
    return out.getvalue()


_LINE_BREAK = re.compile(r"\r\n?|\n")


def _line(text: object) -> str:
    """Text on one Markdown line: each line break (LF, CR LF or CR alone) a space."""
    return _LINE_BREAK.sub(" ", str(text))


def _md(text: object) -> str:
    """Text for a Markdown table cell."""
    return _line(str(text).replace("\\", "\\\\").replace("|", "\\|"))


_STATUS = {"pass": N_("pass"), "fail": N_("fail")}


def _md_findings(findings: Iterable[Finding], lang: Language) -> list[str]:
    """A Markdown list item per finding (not those not assessed), each with its source."""
    lines = []
    for f in findings:
        if f.severity is Severity.INFO:
            continue
        source = f" ([{f.source.source}]({f.source.url}))" if f.source else ""
        message = _md(f.text(lang))
        lines.append(f"- **{_severity(f, lang)}** `{f.rule}`: {message}{source}")
    return lines


def to_markdown(review: Review, call: Call, lang: Language = "en") -> str:
    """The review as Markdown a person can paste into an email or a wiki page."""
    from callkit._render import summary_line  # noqa: PLC0415

    summary = review.summary()
    version = (
        tr("as in force on {date}", lang) if call.history else tr("as published on {date}", lang)
    ).format(date=call.effective)
    result = tr("OK", lang) if review.ok else tr("NOT OK", lang)
    counts = tr("Checked against `{call}` {version}: {counts}. **Result: {result}**", lang)
    lines = [
        f"# {_md(call.title.get(lang))}",
        "",
        counts.format(
            call=call.id, version=version, counts=summary_line(summary, lang), result=result
        ),
        "",
        "| "
        + " | ".join(
            tr(h, lang)
            for h in (N_("Row"), N_("Title"), N_("Institution"), N_("Status"), N_("Failed rules"))
        )
        + " |",
        "| --- | --- | --- | --- | --- |",
    ]
    for report in review.applications:
        row = application_row(report, lang)
        lines.append(
            f"| {_md(row['source'])} | {_md(row['title'])} | {_md(row['institution'])} | "
            f"{tr(_STATUS[row['status']], lang)} | {_md(row['failed_rules'])} |"
        )
    problems = [
        r for r in review.applications if any(f.severity is not Severity.INFO for f in r.findings)
    ]
    if problems:
        lines += ["", "## " + tr("Findings", lang), ""]
        for report in problems:
            title = _md(report.application.title or tr("(no title)", lang))
            lines.append(f"### {title} ({_md(report.source)})")
            lines.append("")
            lines += _md_findings(report.findings, lang)
            lines.append("")
    if review.quotas:
        headings = (N_("Institution"), N_("Count"), N_("Limit"), N_("Exceeded"))
        lines += [
            "## " + tr("Quotas", lang),
            "",
            "| " + " | ".join(tr(h, lang) for h in headings) + " |",
            "| --- | --- | --- | --- |",
        ]
        yes, no = tr("yes", lang), tr("no", lang)
        lines.extend(
            f"| {_md(q.institution)} | {q.count} | {q.limit} | {yes if q.exceeded else no} |"
            for q in review.quotas
        )
        lines.append("")
        quota_findings = _md_findings([f for q in review.quotas for f in q.findings], lang)
        lines += [*quota_findings, ""] if quota_findings else []
    if review.problems:
        lines += ["## " + tr("Input problems", lang), ""]
        lines.extend(f"- {_md(p.describe(lang))}" for p in review.problems)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def to_xlsx(review: Review, call: Call, lang: Language = "en") -> bytes:
    """The review as an Excel workbook: applications, findings and quotas, one sheet each.

    Headings, statuses, severities and messages are in *lang*.
    """
    from openpyxl import Workbook  # noqa: PLC0415  (loaded only for workbooks)
    from openpyxl.styles import Font  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    yes, no = tr("yes", lang), tr("no", lang)
    applications = []
    for report in review.applications:
        row = application_row(report, lang)
        row["status"] = tr(_STATUS[row["status"]], lang)
        applications.append(row)
    book = Workbook()
    sheets = [
        (tr("Applications", lang), COLUMNS, applications),
        (tr("Findings", lang), FINDING_COLUMNS, finding_rows(review, lang)),
        (
            tr("Quotas", lang),
            QUOTA_COLUMNS,
            [
                {
                    "institution": q.institution,
                    "count": q.count,
                    "limit": q.limit,
                    "exceeded": yes if q.exceeded else no,
                    "over_by": q.over_by,
                    "ranking_required": yes if q.ranking_required else no,
                }
                for q in review.quotas
            ],
        ),
    ]
    first = book.active
    assert first is not None  # noqa: S101  (a new workbook has a sheet)
    book.remove(first)
    bold = Font(bold=True)
    for title, columns, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.append([heading(c, lang) for c in columns])
        widths = [len(heading(c, lang)) for c in columns]
        for row in rows:
            sheet.append([_cell(row[c]) for c in columns])
            for i, cell in enumerate(sheet[sheet.max_row]):
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text stays text, whatever it starts with
                widths[i] = max(widths[i], len(str(cell.value or "")))
        for cell in sheet[1]:
            cell.font = bold
        for i, width in enumerate(widths, start=1):
            # As wide as the widest cell, within reason: long findings wrap in Excel anyway.
            sheet.column_dimensions[get_column_letter(i)].width = min(max(width, 6), 60) + 2
        sheet.freeze_panes = "A2"
    book.properties.title = f"{call.id}: {call.title.get(lang)}"
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

    def __init__(self, lang: Language = "en") -> None:
        """A writer with nothing written yet, whose messages are in *lang*."""
        self._lang = lang
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
        line = _encode(finding_to_dict(finding, version, self._lang))
        if finding.severity is Severity.INFO:
            if len(self._written) >= _WRITTEN_CACHE:
                self._written.clear()
            self._written[id(finding)] = (finding, version, line)
        return line


_WRITTEN_CACHE = 4096
"""How many findings a :class:`JsonLines` writer keeps the text of."""

_encode = json.JSONEncoder(ensure_ascii=False).encode
"""``json.dumps(value, ensure_ascii=False)``, without making an encoder each time."""
