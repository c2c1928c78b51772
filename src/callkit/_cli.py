"""The ``callkit`` command line.

Exit status: 0 when no finding is an error, 1 when at least one is (an exceeded quota
included), 2 when the usage, the call id or the input was wrong. Errors are one line each
on standard error; no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from typing import TYPE_CHECKING, Any, NoReturn

from callkit._errors import CallkitError, InputError
from callkit._version import __version__

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterator, Sequence
    from contextlib import AbstractContextManager as ContextManager
    from typing import TextIO

    import pendulum

    from callkit._application import Application
    from callkit._call import Call
    from callkit._cases import CaseResult
    from callkit._errors import InputProblem
    from callkit._readers import ApplicationRow, ApplicationStream
    from callkit._report import Review
    from callkit._timeline import Milestone

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70


class _Formatter(argparse.HelpFormatter):
    """Help as wide as the terminal says in ``COLUMNS``, without asking it otherwise.

    Asking the terminal imports ``shutil`` and its compression modules: too dear for a
    command that lists calls in a few tens of milliseconds.
    """

    def __init__(self, prog: str) -> None:
        columns = os.environ.get("COLUMNS", "")
        width = int(columns) - 2 if columns.isdigit() and int(columns) > 20 else 98  # noqa: PLR2004
        super().__init__(prog, width=width)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"callkit: error: {message}\n")


def _parser() -> argparse.ArgumentParser:  # noqa: PLR0915  (a statement per option)
    parser = _Parser(
        prog="callkit",
        description="Check applications against research funding calls, and explain why.",
    )
    parser.add_argument("--version", action="version", version=f"callkit {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(
        name: str, help_text: str, formats: tuple[str, ...] = ("text", "json")
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument(
            "--format",
            choices=formats,
            default=formats[0],
            help="the output: " + ", ".join(formats) + f" (default: {formats[0]})",
        )
        return sub

    def time_options(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--institution",
            metavar="NAME",
            help="add this institution's own milestones to the funder's",
        )
        sub.add_argument(
            "--tz",
            metavar="ZONE",
            help="show times in this IANA zone (such as America/New_York)",
        )

    def as_of(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--as-of",
            type=_date,
            metavar="DATE",
            help="the call as in force on this date (YYYY-MM-DD); default: the latest version",
        )

    command("calls", "list the installed calls")
    command("plugins", "list every installed call plugin and whether it loads")
    test = command("test", "run the example cases that call plugins ship")
    test.add_argument("call_ids", metavar="CALL_ID", nargs="*", help="default: every call")
    show = command("show", "show a call: its rules with their sources, policies and timeline")
    show.add_argument("call_id", metavar="CALL_ID")
    as_of(show)
    explain = command("explain", "explain one rule of a call, with its source and history")
    explain.add_argument("call_id", metavar="CALL_ID")
    explain.add_argument("rule", metavar="RULE", help="a rule id, such as own-share")
    as_of(explain)
    timeline = command(
        "timeline", "list a call's milestones in time order", ("text", "json", "ics")
    )
    timeline.add_argument("call_id", metavar="CALL_ID")
    time_options(timeline)
    as_of(timeline)
    diff = command("diff", "list what changed in a call between two dates, with sources")
    diff.add_argument("call_id", metavar="CALL_ID")
    diff.add_argument(
        "--from", dest="start", type=_date, metavar="DATE", help="default: as published"
    )
    diff.add_argument("--to", dest="end", type=_date, metavar="DATE", help="default: the latest")
    template = command(
        "template",
        "write an empty application list with the headings a call asks for",
        ("xlsx", "csv"),
    )
    template.add_argument("call_id", metavar="CALL_ID")
    template.add_argument(
        "--institution", metavar="NAME", help="the columns this institution's policy asks for"
    )
    template.add_argument(
        "--lang",
        choices=("nb", "en"),
        default="nb",
        help="the language of the headings: nb (Norwegian Bokmål, the default) or en",
    )
    template.add_argument("--output", metavar="FILE", help="write to FILE")
    template.add_argument(
        "--delimiter", type=_separator, metavar="CHAR", help="the CSV separator (default: ;)"
    )
    as_of(template)
    commands.add_parser(
        "schema",
        help="print the JSON Schema of call definition files",
        description="print the JSON Schema of call definition files",
    )
    upcoming = command("upcoming", "list what is due soon across every installed call")
    upcoming.add_argument(
        "--days", type=_positive, default=30, metavar="N", help="how far ahead (default 30)"
    )
    upcoming.add_argument(
        "--now",
        type=_instant,
        metavar="WHEN",
        help="look ahead from this ISO 8601 date or time instead of now",
    )
    time_options(upcoming)
    lint = command("lint", "point out what looks wrong in a call's timeline")
    lint.add_argument(
        "target", metavar="CALL_ID|FILE", help="an installed call, or a definition file"
    )
    check = command(
        "check",
        "check applications in CSV, JSON or XLSX files against a call",
        ("text", "json", "markdown", "csv", "xlsx", "jsonl"),
    )
    check.epilog = (
        "--format jsonl reads and reports one row at a time, for lists larger than memory: "
        "a line of JSON per application as soon as it is checked, then a summary line with "
        "the quotas and the findings about ranks that needed every row. The other formats "
        "report the whole list at once."
    )
    check.add_argument(
        "--output",
        metavar="FILE",
        help="write the report to FILE instead of standard output (needed for xlsx)",
    )
    check.add_argument("call_id", metavar="CALL_ID")
    check.add_argument("files", metavar="FILE", nargs="+", help="CSV, JSON or XLSX files")
    check.add_argument(
        "--sheet", metavar="NAME", help="the sheet of an Excel workbook (default: the first)"
    )
    check.add_argument(
        "--encoding",
        type=_encoding,
        metavar="NAME",
        help="the files' text encoding (default: UTF-8, or else Windows-1252)",
    )
    check.add_argument(
        "--delimiter",
        type=_separator,
        metavar="CHAR",
        help="the CSV separator: a character, or comma, semicolon or tab (default: detected)",
    )
    as_of(check)
    return parser


_SEPARATORS = {"comma": ",", "semicolon": ";", "tab": "\t", "\\t": "\t"}


def _separator(text: str) -> str:
    separator = _SEPARATORS.get(text.lower(), text)
    if len(separator) != 1 or separator in '"\r\n':
        msg = f"{text!r} is not one character (or comma, semicolon, tab)"
        raise argparse.ArgumentTypeError(msg)
    return separator


def _encoding(text: str) -> str:
    import codecs  # noqa: PLC0415

    try:
        return codecs.lookup(text).name
    except LookupError:
        msg = f"{text!r} is not an encoding Python knows, such as utf-8 or cp1252"
        raise argparse.ArgumentTypeError(msg) from None


def _date(text: str) -> dt.date:
    import datetime as dt  # noqa: PLC0415

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        msg = f"{text!r} is not a date written YYYY-MM-DD"
        raise argparse.ArgumentTypeError(msg) from None


MAX_DAYS = 3660
"""How far ahead ``callkit upcoming`` may look: ten years."""


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_DAYS:
        msg = f"{text!r} is not a whole number from 1 to {MAX_DAYS}"
        raise argparse.ArgumentTypeError(msg)
    return value


def _instant(text: str) -> pendulum.DateTime:
    import pendulum  # noqa: PLC0415

    try:
        parsed = pendulum.parse(text, tz="UTC")
    except (ValueError, pendulum.parsing.exceptions.ParserError) as error:
        msg = f"{text!r} is not an ISO 8601 date or time"
        raise argparse.ArgumentTypeError(msg) from error
    if isinstance(parsed, pendulum.Date) and not isinstance(parsed, pendulum.DateTime):
        parsed = pendulum.datetime(parsed.year, parsed.month, parsed.day, tz="UTC")
    if not isinstance(parsed, pendulum.DateTime) or not 1900 <= parsed.year <= 2200:  # noqa: PLR2004
        msg = f"{text!r} is not an ISO 8601 date or time between the years 1900 and 2200"
        raise argparse.ArgumentTypeError(msg)
    return parsed


def _zone(zone: str | None) -> str | None:
    if zone is not None:
        from callkit._timeline import zone_info  # noqa: PLC0415

        try:
            zone_info(zone)
        except ValueError as error:
            raise _UsageError(str(error)) from None
    return zone


def _emit(data: Any) -> None:  # noqa: ANN401
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _cmd_calls(args: argparse.Namespace) -> int:
    from callkit._registry import default_registry  # noqa: PLC0415
    from callkit._summary import render  # noqa: PLC0415

    registry = default_registry()
    summaries = []
    for call_id in registry.ids():
        try:
            summaries.append(registry.summary(call_id))
        except CallkitError as error:
            if registry.strict:
                raise
            _warn(f"{call_id} is left out: {error}")
    if args.format == "json":
        _emit(
            [
                {
                    "id": s.id,
                    "title": s.title,
                    "title_nb": s.title_nb,
                    "programme": s.programme,
                    "deadline_model": s.deadline_model,
                    "deadline": deadline.isoformat() if (deadline := s.deadline()) else None,
                }
                for s in summaries
            ]
        )
    elif summaries:
        print(render(summaries))  # noqa: T201
    else:
        print("No call is installed.")  # noqa: T201
    return EXIT_OK


def _get(call_id: str, as_of: dt.date | None = None) -> Call:
    from callkit._registry import get_call  # noqa: PLC0415

    return get_call(call_id, as_of)


def _cmd_show(args: argparse.Namespace) -> int:
    call = _get(args.call_id, args.as_of)
    if args.format == "json":
        from callkit._convert import unstructure_call  # noqa: PLC0415

        _emit(unstructure_call(call))
    else:
        from callkit._render import render_call  # noqa: PLC0415

        print(render_call(call))  # noqa: T201
    return EXIT_OK


def _institution(call: Call, name: str | None, *, strict: bool = True) -> str | None:
    """The short name of the institution *name*, whose milestones are wanted, if any."""
    if name is None:
        return None
    policy = call.policy_for(name)
    if policy is None:
        if not strict:
            return None
        known = ", ".join(p.institution for p in call.policies) or "none"
        raise _UsageError(f"{call.id} has no policy for {name!r} (institutions: {known})")
    return policy.institution


def _cmd_timeline(args: argparse.Namespace) -> int:
    call = _get(args.call_id, args.as_of)
    tz = _zone(args.tz)
    timeline = call.timeline.for_institution(_institution(call, args.institution))
    if args.format == "ics":
        from callkit._ics import to_ics  # noqa: PLC0415

        sys.stdout.buffer.write(to_ics(call, timeline))
        sys.stdout.flush()
        return EXIT_OK
    from callkit._render import milestone_to_dict, render_timeline  # noqa: PLC0415

    if args.format == "json":
        _emit([milestone_to_dict(m, call, tz) for m in timeline])
    else:
        print(render_timeline(call, timeline, tz))  # noqa: T201
    return EXIT_OK


def _cmd_upcoming(args: argparse.Namespace) -> int:
    import pendulum  # noqa: PLC0415

    from callkit._registry import default_registry  # noqa: PLC0415

    tz = _zone(args.tz)
    start = args.now or pendulum.now("UTC")
    end = start.add(days=args.days)
    registry = default_registry()
    entries: list[tuple[Call, Milestone]] = []
    for call_id in registry.ids():
        try:
            call = registry.get(call_id)
        except CallkitError as error:
            if registry.strict:
                raise
            _warn(f"{call_id} is left out: {error}")
            continue
        timeline = call.timeline.for_institution(_institution(call, args.institution, strict=False))
        entries.extend((call, m) for m in timeline.between(start, end))
    entries.sort(key=lambda entry: (entry[1].start, entry[0].id))
    from callkit._render import milestone_to_dict, render_upcoming  # noqa: PLC0415

    if args.format == "json":
        _emit([milestone_to_dict(m, call, tz) for call, m in entries])
    else:
        print(render_upcoming(entries, tz, start, args.days))  # noqa: T201
    return EXIT_OK


def _cmd_explain(args: argparse.Namespace) -> int:
    from callkit._registry import get_definition  # noqa: PLC0415
    from callkit._render import explain_to_dict, render_explain  # noqa: PLC0415

    definition = get_definition(args.call_id)
    call = definition.as_of(args.as_of)
    try:
        call.rule(args.rule)
    except KeyError:
        import difflib  # noqa: PLC0415

        ids = [r.id for r in (*call.rules, *(r for p in call.policies for r in p.rules))]
        near = difflib.get_close_matches(args.rule, ids, n=3, cutoff=0.5)
        hint = f"; did you mean {' or '.join(map(repr, near))}?" if near else ""
        raise _UsageError(
            f"{call.id} has no rule {args.rule!r}{hint} (rules: {', '.join(ids)})"
        ) from None
    if args.format == "json":
        _emit(explain_to_dict(call, args.rule, definition))
    else:
        print(render_explain(call, args.rule, definition))  # noqa: T201
    return EXIT_OK


def _cmd_diff(args: argparse.Namespace) -> int:
    from callkit._registry import get_definition  # noqa: PLC0415
    from callkit._render import diff_to_dict, render_diff  # noqa: PLC0415

    definition = get_definition(args.call_id)
    start = args.start or definition.published
    end = args.end or max(definition.latest.effective, start)
    if end < start:
        raise _UsageError(f"--to {end} is before --from {start}")
    definition.as_of(start)  # refuses a date before the call was published
    amendments = definition.between(start, end)
    if args.format == "json":
        _emit(diff_to_dict(definition, start, end, amendments))
    else:
        print(render_diff(definition, start, end, amendments))  # noqa: T201
    return EXIT_OK


def _cmd_plugins(args: argparse.Namespace) -> int:
    from callkit._registry import default_registry  # noqa: PLC0415

    registry = default_registry()
    statuses = registry.statuses()
    if args.format == "json":
        _emit(
            [
                {
                    "call": s.entry.id,
                    "distribution": s.entry.distribution,
                    "version": s.entry.version,
                    "entry_point": s.entry.value,
                    "kind": "data" if s.entry.data else "code",
                    "api": s.entry.api,
                    "status": "ok" if s.ok else "error",
                    "error": s.error,
                }
                for s in statuses
            ]
        )
    elif not statuses:
        print("No call plugin is installed.")  # noqa: T201
    else:
        from callkit._render import render_plugins  # noqa: PLC0415

        print(render_plugins(statuses))  # noqa: T201
    failed = [s for s in statuses if not s.ok]
    return EXIT_USAGE if failed and registry.strict else EXIT_OK


def _cmd_test(args: argparse.Namespace) -> int:
    from callkit._cases import run_case  # noqa: PLC0415
    from callkit._registry import default_registry  # noqa: PLC0415

    registry = default_registry()
    results: list[CaseResult] = []
    for call_id in args.call_ids or registry.ids():
        try:
            cases = registry.cases(call_id)
            definition = registry.definition(call_id) if cases else None
        except CallkitError as error:
            if args.call_ids or registry.strict:
                raise
            _warn(f"{call_id} is left out: {error}")
            continue
        if definition is not None:
            results.extend(run_case(definition, case) for case in cases)
    passed = sum(1 for r in results if r.passed)
    failed = len(results) - passed
    if args.format == "json":
        _emit(
            {
                "passed": passed,
                "failed": failed,
                "cases": [
                    {
                        "call": r.case.call,
                        "name": r.case.name,
                        "origin": r.case.origin,
                        "passed": r.passed,
                        "problems": list(r.problems),
                    }
                    for r in results
                ],
            }
        )
    else:
        for r in results:
            if not r.passed:
                print(f"FAIL  {r.case.call}: {r.case.name}  ({r.case.origin})")  # noqa: T201
                for problem in r.problems:
                    print(f"      {problem}")  # noqa: T201
        print(f"{passed} passed, {failed} failed")  # noqa: T201
    return EXIT_FINDINGS if failed else EXIT_OK


def _cmd_template(args: argparse.Namespace) -> int:
    from callkit import _template  # noqa: PLC0415

    call = _get(args.call_id, args.as_of)
    name = _institution(call, args.institution)
    policy = next((p for p in call.policies if p.institution == name), None)
    if args.format == "csv":
        text = _template.to_csv(call, policy, args.lang, args.delimiter or ";")
        if args.output is None:
            sys.stdout.write(text)
        else:
            _save(args.output, text.encode("utf-8-sig"))
        return EXIT_OK
    _write_workbook(_template.to_xlsx(call, policy, args.lang), args.output)
    return EXIT_OK


def _cmd_schema(_args: argparse.Namespace) -> int:
    from callkit._schema import definition_schema  # noqa: PLC0415

    _emit(definition_schema())
    return EXIT_OK


def _cmd_lint(args: argparse.Namespace) -> int:
    from pathlib import Path  # noqa: PLC0415

    from callkit._lint import lint, lint_definition  # noqa: PLC0415

    target = args.target
    if Path(target).suffix.lower() in {".toml", ".json"} or Path(target).exists():
        findings = lint_definition(target)
    else:
        from callkit._registry import get_definition  # noqa: PLC0415

        findings = lint(get_definition(target))
    if args.format == "json":
        _emit([f.to_dict() for f in findings])
    else:
        from callkit._render import render_lint  # noqa: PLC0415

        print(render_lint(target, findings))  # noqa: T201
    return EXIT_FINDINGS if any(f.severity == "error" for f in findings) else EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    from callkit._readers import read_application_file  # noqa: PLC0415

    call = _get(args.call_id, args.as_of)
    if args.format == "jsonl":
        return _check_rows(call, args)
    applications: list[Application] = []
    problems: list[InputProblem] = []
    fatal: list[InputProblem] = []
    for path in args.files:
        try:
            result = read_application_file(
                path, encoding=args.encoding, delimiter=args.delimiter, sheet=args.sheet
            )
        except InputError as error:
            fatal.extend(error.problems)
            continue
        applications.extend(result.applications)
        problems.extend(result.problems)
        for warning in result.warnings:
            _warn(warning)
    if fatal:
        for problem in (*fatal, *problems):
            _error(str(problem))
        return EXIT_USAGE
    progress = _progress if len(applications) >= PROGRESS_FROM and sys.stderr.isatty() else None
    review = call.review(applications, problems, progress=progress)
    if progress is not None:
        sys.stderr.write("\r\x1b[K")
    _write_review(review, call, args)
    if problems:
        for problem in problems:
            _error(str(problem))
        return EXIT_USAGE
    return EXIT_OK if review.ok else EXIT_FINDINGS


def _check_rows(call: Call, args: argparse.Namespace) -> int:
    """``check --format jsonl``: read, check and report one row at a time.

    Every file is opened first, so that one that cannot be read at all stops the command
    before anything is printed, as in the other formats. Each problem goes to standard
    error as it is met; one that ends a file part-way also goes into the summary line.
    """
    streams = _open_all(args)
    if streams is None:
        return EXIT_USAGE
    from callkit._writers import JsonLines  # noqa: PLC0415

    rows = _RowsRead(streams)
    review = call.review_rows(rows, rows.problems)
    lines = JsonLines()
    with _lines(args.output) as out:
        for report in review:
            out.write(lines.application(report) + "\n")
        summary = review.summary().with_problems(rows.unreadable)
        out.write(json.dumps(summary.to_dict(), ensure_ascii=False) + "\n")
    if rows.count:
        return EXIT_USAGE
    return EXIT_OK if summary.ok else EXIT_FINDINGS


def _open_all(args: argparse.Namespace) -> list[ApplicationStream] | None:
    """Every file of *args* opened to read row by row; ``None``, said why, if one cannot be."""
    from callkit._readers import open_application_file  # noqa: PLC0415

    streams = []
    fatal: list[InputProblem] = []
    for path in args.files:
        try:
            streams.append(
                open_application_file(
                    path, encoding=args.encoding, delimiter=args.delimiter, sheet=args.sheet
                )
            )
        except InputError as error:
            fatal.extend(error.problems)
    if not fatal:
        return streams
    for stream in streams:
        stream.close()
    for problem in fatal:
        _error(str(problem))
    return None


class _RowsRead:
    """The rows of every file in turn, each problem said on standard error as it is met."""

    def __init__(self, streams: list[ApplicationStream]) -> None:
        self.streams = streams
        self.problems = [p for stream in streams for p in stream.problems]
        self.unreadable: list[InputProblem] = []
        self.count = len(self.problems)
        for problem in self.problems:
            _error(str(problem))
        for warning in (w for stream in streams for w in stream.warnings):
            _warn(warning)

    def __iter__(self) -> Iterator[ApplicationRow]:
        for stream in self.streams:
            with stream:
                try:
                    for row in stream:
                        for problem in row.problems:
                            _error(str(problem))
                        self.count += len(row.problems)
                        yield row
                except InputError as error:
                    self.unreadable.extend(error.problems)
                    self.count += len(error.problems)
                    for problem in error.problems:
                        _error(str(problem))


def _lines(output: str | None) -> ContextManager[TextIO]:
    """Where lines of a report go: *output*, or standard output (left open)."""
    import contextlib  # noqa: PLC0415

    if output is None:
        return contextlib.nullcontext(sys.stdout)
    try:
        return open(output, "w", encoding="utf-8", newline="\n")  # noqa: PTH123
    except OSError as error:
        raise _UsageError(f"cannot write {output}: {error.strerror or error}") from None


def _write_review(review: Review, call: Call, args: argparse.Namespace) -> None:
    """Write the review in the format asked for, to --output or standard output."""
    from callkit import _writers  # noqa: PLC0415

    if args.format == "xlsx":
        _write_workbook(_writers.to_xlsx(review, call), args.output)
        return
    if args.format == "json":
        text = json.dumps(review.to_dict(), ensure_ascii=False, indent=2) + "\n"
    elif args.format == "markdown":
        text = _writers.to_markdown(review, call)
    elif args.format == "csv":
        text = _writers.to_csv(review, args.delimiter or ",")
    else:
        from callkit._render import render_review  # noqa: PLC0415

        colour = args.output is None and _colour(sys.stdout)
        text = render_review(review, call, colour=colour) + "\n"
    if args.output is None:
        sys.stdout.write(text)
    else:
        # A CSV report opens in Excel with its letters intact only with a byte-order mark.
        encoding = "utf-8-sig" if args.format == "csv" else "utf-8"
        _save(args.output, text.encode(encoding))


PROGRESS_FROM = 5000
"""From how many applications ``check`` shows its progress (on a terminal)."""


def _progress(done: int, total: int) -> None:
    if done % 1000 == 0 or done == total:
        sys.stderr.write(f"\rcallkit: checked {done} of {total} applications")
        sys.stderr.flush()


def _colour(stream: Any) -> bool:  # noqa: ANN401
    """Whether to colour text for *stream*: a terminal, unless ``NO_COLOR`` is set."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def _write_workbook(data: bytes, output: str | None) -> None:
    """Write a workbook to *output*, or to standard output unless that is a terminal."""
    if output is None and sys.stdout.isatty():
        msg = "a workbook is a file: give --output FILE, or send it to a file or pipe"
        raise _UsageError(msg)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        _save(output, data)


def _save(path: str, data: bytes) -> None:
    from pathlib import Path  # noqa: PLC0415

    try:
        Path(path).write_bytes(data)
    except OSError as error:
        raise _UsageError(f"cannot write {path}: {error.strerror or error}") from None


class _UsageError(CallkitError):
    """The command was given something it cannot use."""


def _error(message: str) -> None:
    sys.stderr.write(f"callkit: error: {message}\n")


def _warn(message: str) -> None:
    sys.stderr.write(f"callkit: warning: {message}\n")


_COMMANDS = {
    "calls": _cmd_calls,
    "plugins": _cmd_plugins,
    "template": _cmd_template,
    "test": _cmd_test,
    "show": _cmd_show,
    "explain": _cmd_explain,
    "diff": _cmd_diff,
    "schema": _cmd_schema,
    "timeline": _cmd_timeline,
    "upcoming": _cmd_upcoming,
    "check": _cmd_check,
    "lint": _cmd_lint,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with *argv* (default: ``sys.argv[1:]``); return the exit status."""
    for stream in (sys.stdout, sys.stderr):
        # A terminal that cannot show a character gets a stand-in, not a crash.
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    args = _parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except CallkitError as error:
        for line in str(error).splitlines() or [type(error).__name__]:
            _error(line.strip())
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader of our output went away (``callkit check ... | head``): not an error.
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # noqa: BLE001  (the last resort: one line, never a traceback)
        _error(f"internal error, please report it: {type(error).__name__}: {error}")
        return EXIT_INTERNAL
