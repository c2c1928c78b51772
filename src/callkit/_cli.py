"""The ``callkit`` command line.

Exit status: 0 when no finding is an error, 1 when at least one is (an exceeded quota
included), 2 when the usage, the call id or the input was wrong, 70 on an internal error
(a fault in callkit itself, reported on one line; please report it). Errors are one line
each on standard error; no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import json
import os
import sys
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from callkit._errors import CallkitError, InputError
from callkit._i18n import LANGUAGES, Either, check_language, default_language, msg, text, tr
from callkit._version import __version__

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Iterator, Sequence
    from contextlib import AbstractContextManager as ContextManager
    from typing import TextIO

    import pendulum

    from callkit._application import Application
    from callkit._call import Call
    from callkit._cases import CaseResult
    from callkit._errors import InputProblem
    from callkit._i18n import Language
    from callkit._readers import ApplicationRow, ApplicationStream
    from callkit._report import Review
    from callkit._timeline import Milestone

_T = TypeVar("_T")

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70


class _Formatter(argparse.HelpFormatter):
    """Help as wide as the terminal says in ``COLUMNS``, without asking it otherwise.

    Asking the terminal imports ``shutil`` and its compression modules: too dear for a
    command that lists calls in a few tens of milliseconds.
    """

    lang: Language = "en"

    def __init__(self, prog: str) -> None:
        columns = os.environ.get("COLUMNS", "")
        width = int(columns) - 2 if columns.isdigit() and int(columns) > 20 else 98  # noqa: PLR2004
        super().__init__(prog, width=width)

    def add_usage(
        self,
        usage: str | None,
        actions: Any,  # noqa: ANN401  (argparse's own types)
        groups: Any,  # noqa: ANN401
        prefix: str | None = None,
    ) -> None:
        """The usage line, introduced in the help's language."""
        if prefix is None:
            prefix = tr("usage: ", self.lang)
        super().add_usage(usage, actions, groups, prefix)


def _formatter(lang: Language) -> type[_Formatter]:
    return type("Formatter", (_Formatter,), {"lang": lang})


class _Parser(argparse.ArgumentParser):
    """A parser whose help and errors are in *lang*, and whose errors exit with status 2."""

    def __init__(self, *args: Any, lang: Language = "en", **kwargs: Any) -> None:  # noqa: ANN401
        kwargs.setdefault("formatter_class", _formatter(lang))
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self.lang = lang
        self._positionals.title = tr("positional arguments", lang)
        self._optionals.title = tr("options", lang)
        self.add_argument("-h", "--help", action="help", help=tr("show this help and exit", lang))

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"callkit: {tr('error', self.lang)}: {message}\n")


def _lang_asked(argv: Sequence[str]) -> Language:
    """The language ``--lang`` asks for in *argv*, or else the locale's, for the help."""
    for i, arg in enumerate(argv):
        value = arg.removeprefix("--lang=") if arg.startswith("--lang=") else None
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        if value is not None and value in LANGUAGES:
            return check_language(value)
    return default_language()


def _parser(lang: Language = "en") -> argparse.ArgumentParser:  # noqa: PLR0915  (a statement per option)
    def said(kind: Callable[[str], _T]) -> Callable[[str], _T]:
        """*kind*, its complaint about a value in *lang*."""

        def read(text: str) -> _T:
            try:
                return kind(text)
            except argparse.ArgumentTypeError as error:
                raise argparse.ArgumentTypeError(_say(error, lang)) from None

        read.__name__ = kind.__name__
        return read

    date, separator, encoding, positive, instant = (
        said(_date),
        said(_separator),
        said(_encoding),
        said(_positive),
        said(_instant),
    )
    parser = _Parser(
        prog="callkit",
        description=tr("Check applications against research funding calls, and explain why.", lang),
        lang=lang,
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"callkit {__version__}",
        help=tr("show callkit's version and exit", lang),
    )
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", required=True, title=tr("commands", lang)
    )

    def command(
        name: str, help_text: str, formats: tuple[str, ...] = ("text", "json")
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text, lang=lang)
        sub.add_argument(
            "--format",
            choices=formats,
            default=formats[0],
            help=tr("the output: {formats} (default: {default})", lang).format(
                formats=", ".join(formats), default=formats[0]
            ),
        )
        sub.add_argument(
            "--lang",
            choices=("nb", "en"),
            help=tr(
                "the language of messages, titles and headings: nb (Norwegian Bokmål) or en "
                "(default: from the locale, such as LANG=nb_NO.UTF-8)",
                lang,
            ),
        )
        return sub

    def time_options(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--institution",
            metavar="NAME",
            help=tr("add this institution's own milestones to the funder's", lang),
        )
        sub.add_argument(
            "--tz",
            metavar="ZONE",
            help=tr("show times in this IANA zone (such as America/New_York)", lang),
        )

    def as_of(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--as-of",
            type=date,
            metavar="DATE",
            help=tr(
                "the call as in force on this date (YYYY-MM-DD); default: the latest version",
                lang,
            ),
        )

    def call_id(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("call_id", metavar="CALL_ID", help=tr("an installed call", lang))

    command("calls", tr("list the installed calls", lang))
    command("plugins", tr("list every installed call plugin and whether it loads", lang))
    test = command("test", tr("run the example cases that call plugins ship", lang))
    test.add_argument(
        "call_ids", metavar="CALL_ID", nargs="*", help=tr("default: every call", lang)
    )
    show = command(
        "show", tr("show a call: its rules with their sources, policies and timeline", lang)
    )
    call_id(show)
    as_of(show)
    explain = command(
        "explain", tr("explain one rule of a call, with its source and history", lang)
    )
    call_id(explain)
    explain.add_argument("rule", metavar="RULE", help=tr("a rule id, such as own-share", lang))
    as_of(explain)
    timeline = command(
        "timeline", tr("list a call's milestones in time order", lang), ("text", "json", "ics")
    )
    call_id(timeline)
    time_options(timeline)
    as_of(timeline)
    diff = command("diff", tr("list what changed in a call between two dates, with sources", lang))
    call_id(diff)
    diff.add_argument(
        "--from",
        dest="start",
        type=date,
        metavar="DATE",
        help=tr("default: as published", lang),
    )
    diff.add_argument(
        "--to", dest="end", type=date, metavar="DATE", help=tr("default: the latest", lang)
    )
    template = command(
        "template",
        tr("write an empty application list with the headings a call asks for", lang),
        ("xlsx", "csv"),
    )
    call_id(template)
    template.add_argument(
        "--institution",
        metavar="NAME",
        help=tr("the columns this institution's policy asks for", lang),
    )
    template.add_argument("--output", metavar="FILE", help=tr("write to FILE", lang))
    template.add_argument(
        "--delimiter",
        type=separator,
        metavar="CHAR",
        help=tr("the CSV separator (default: ;)", lang),
    )
    as_of(template)
    schema_help = tr("print the JSON Schema of call definition files", lang)
    commands.add_parser("schema", help=schema_help, description=schema_help, lang=lang)
    upcoming = command("upcoming", tr("list what is due soon across every installed call", lang))
    upcoming.add_argument(
        "--days",
        type=positive,
        default=30,
        metavar="N",
        help=tr("how far ahead (default 30)", lang),
    )
    upcoming.add_argument(
        "--now",
        type=instant,
        metavar="WHEN",
        help=tr("look ahead from this ISO 8601 date or time instead of now", lang),
    )
    time_options(upcoming)
    lint = command("lint", tr("point out what looks wrong in a call's timeline", lang))
    lint.add_argument(
        "target",
        metavar="CALL_ID|FILE",
        help=tr("an installed call, or a definition file", lang),
    )
    check = command(
        "check",
        tr("check applications in CSV, JSON or XLSX files against a call", lang),
        ("text", "json", "markdown", "csv", "xlsx", "jsonl"),
    )
    check.epilog = tr(
        "--format jsonl reads and reports one row at a time, for lists larger than memory: "
        "a line of JSON per application as soon as it is checked, then a summary line with "
        "the quotas and the findings about ranks that needed every row. The other formats "
        "report the whole list at once.",
        lang,
    )
    check.add_argument(
        "--output",
        metavar="FILE",
        help=tr("write the report to FILE instead of standard output (needed for xlsx)", lang),
    )
    call_id(check)
    check.add_argument("files", metavar="FILE", nargs="+", help=tr("CSV, JSON or XLSX files", lang))
    check.add_argument(
        "--sheet",
        metavar="NAME",
        help=tr("the sheet of an Excel workbook (default: the first)", lang),
    )
    check.add_argument(
        "--encoding",
        type=encoding,
        metavar="NAME",
        help=tr("the files' text encoding (default: UTF-8, or else Windows-1252)", lang),
    )
    check.add_argument(
        "--delimiter",
        type=separator,
        metavar="CHAR",
        help=tr(
            "the CSV separator: a character, or comma, semicolon or tab (default: detected)",
            lang,
        ),
    )
    as_of(check)
    return parser


_SEPARATORS = {"comma": ",", "semicolon": ";", "tab": "\t", "\\t": "\t"}


def _separator(text: str) -> str:
    separator = _SEPARATORS.get(text.lower(), text)
    if len(separator) != 1 or separator in '"\r\n':
        problem = msg("{text!r} is not one character (or comma, semicolon, tab)", text=text)
        raise argparse.ArgumentTypeError(problem)
    return separator


def _encoding(text: str) -> str:
    import codecs  # noqa: PLC0415

    try:
        found = codecs.lookup(text)
    except LookupError:
        found = None
    # Some codecs (rot13, base64, zlib) turn bytes into bytes: no text encoding.
    if found is None or not getattr(found, "_is_text_encoding", True):
        problem = msg(
            "{text!r} is not a text encoding Python knows, such as utf-8 or cp1252", text=text
        )
        raise argparse.ArgumentTypeError(problem)
    return found.name


def _date(text: str) -> dt.date:
    import datetime as dt  # noqa: PLC0415

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        problem = msg("{text!r} is not a date written YYYY-MM-DD", text=text)
        raise argparse.ArgumentTypeError(problem) from None


MAX_DAYS = 3660
"""How far ahead ``callkit upcoming`` may look: ten years."""


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_DAYS:
        problem = msg("{text!r} is not a whole number from 1 to {most}", text=text, most=MAX_DAYS)
        raise argparse.ArgumentTypeError(problem)
    return value


def _instant(text: str) -> pendulum.DateTime:
    import pendulum  # noqa: PLC0415

    try:
        parsed = pendulum.parse(text, tz="UTC")
    except (ValueError, pendulum.parsing.exceptions.ParserError) as error:
        problem = msg("{text!r} is not an ISO 8601 date or time", text=text)
        raise argparse.ArgumentTypeError(problem) from error
    if isinstance(parsed, pendulum.Date) and not isinstance(parsed, pendulum.DateTime):
        parsed = pendulum.datetime(parsed.year, parsed.month, parsed.day, tz="UTC")
    if not isinstance(parsed, pendulum.DateTime) or not 1900 <= parsed.year <= 2200:  # noqa: PLR2004
        problem = msg(
            "{text!r} is not an ISO 8601 date or time between the years 1900 and 2200", text=text
        )
        raise argparse.ArgumentTypeError(problem)
    return parsed


def _zone(zone: str | None) -> str | None:
    if zone is not None:
        from callkit._timeline import zone_info  # noqa: PLC0415

        try:
            zone_info(zone)
        except ValueError:
            raise _UsageError(
                msg("{zone!r} is not an IANA time zone (such as 'Europe/Oslo')", zone=zone)
            ) from None
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
            _warn(_left_out(call_id, error, args.lang), args.lang)
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
        print(render(summaries, args.lang))  # noqa: T201
    else:
        print(tr("No call is installed.", args.lang))  # noqa: T201
    return EXIT_OK


_settling = False
"""Whether this process is the ``callkit`` command (:func:`run`), which may settle what it loads."""

LOADING_THRESHOLD = 50_000
"""How many new objects the garbage collector lets pass while a command loads its call.

Loading callkit's model and a call from the cache makes some 30,000; a plugin's code that
makes far more garbage than that is still collected as it goes.
"""


@contextlib.contextmanager
def _loading() -> Iterator[None]:
    """Load what lives as long as the command: the model, the call, the readers.

    In the ``callkit`` process (see :func:`run`), the garbage collector collects only every
    :data:`LOADING_THRESHOLD` new objects meanwhile, and what is left is then set aside for
    good (:func:`gc.freeze`): it is what the command works with, yet each collection after,
    and the one at exit, would walk through all of it again. For a short list that walk
    costs more than checking it. Garbage that a plugin's code left since the last
    collection (fewer objects than the threshold) is set aside with it. Called from Python
    (``main([...])``), it does nothing: the process is not callkit's to settle.
    """
    if not _settling:
        yield
        return
    threshold = gc.get_threshold()
    if threshold[0]:  # 0: the process collects nothing by itself, and is left so
        gc.set_threshold(max(threshold[0], LOADING_THRESHOLD), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.freeze()


def _get(call_id: str, as_of: dt.date | None = None) -> Call:
    from callkit._registry import get_call  # noqa: PLC0415

    with _loading():
        return get_call(call_id, as_of)


def _cmd_show(args: argparse.Namespace) -> int:
    call = _get(args.call_id, args.as_of)
    if args.format == "json":
        from callkit._convert import unstructure_call  # noqa: PLC0415

        _emit(unstructure_call(call))
    else:
        from callkit._render import render_call  # noqa: PLC0415

        print(render_call(call, args.lang))  # noqa: T201
    return EXIT_OK


def _institution(call: Call, name: str | None, *, strict: bool = True) -> str | None:
    """The short name of the institution *name*, whose milestones are wanted, if any."""
    if name is None:
        return None
    policy = call.policy_for(name)
    if policy is None:
        if not strict:
            return None
        known = ", ".join(p.institution for p in call.policies) or "-"
        raise _UsageError(
            msg(
                "{call} has no policy for {name!r} (institutions: {known})",
                call=call.id,
                name=name,
                known=known,
            )
        )
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
        print(render_timeline(call, timeline, tz, args.lang))  # noqa: T201
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
            _warn(_left_out(call_id, error, args.lang), args.lang)
            continue
        timeline = call.timeline.for_institution(_institution(call, args.institution, strict=False))
        entries.extend((call, m) for m in timeline.between(start, end))
    entries.sort(key=lambda entry: (entry[1].start, entry[0].id))
    from callkit._render import milestone_to_dict, render_upcoming  # noqa: PLC0415

    if args.format == "json":
        _emit([milestone_to_dict(m, call, tz) for call, m in entries])
    else:
        print(render_upcoming(entries, tz, start, args.days, args.lang))  # noqa: T201
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
        args_ = {"call": call.id, "rule": args.rule, "rules": ", ".join(ids)}
        raise _UsageError(
            msg(
                "{call} has no rule {rule!r}; did you mean {near}? (rules: {rules})",
                near=Either([repr(n) for n in near]),
                **args_,
            )
            if near
            else msg("{call} has no rule {rule!r} (rules: {rules})", **args_)
        ) from None
    if args.format == "json":
        _emit(explain_to_dict(call, args.rule, definition, args.lang))
    else:
        print(render_explain(call, args.rule, definition, args.lang))  # noqa: T201
    return EXIT_OK


def _cmd_diff(args: argparse.Namespace) -> int:
    from callkit._registry import get_definition  # noqa: PLC0415
    from callkit._render import diff_to_dict, render_diff  # noqa: PLC0415

    definition = get_definition(args.call_id)
    start = args.start or definition.published
    end = args.end or max(definition.latest.effective, start)
    if end < start:
        raise _UsageError(msg("--to {end} is before --from {start}", end=end, start=start))
    definition.as_of(start)  # refuses a date before the call was published
    amendments = definition.between(start, end)
    if args.format == "json":
        _emit(diff_to_dict(definition, start, end, amendments))
    else:
        print(render_diff(definition, start, end, amendments, args.lang))  # noqa: T201
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
        print(tr("No call plugin is installed.", args.lang))  # noqa: T201
    else:
        from callkit._render import render_plugins  # noqa: PLC0415

        print(render_plugins(statuses, args.lang))  # noqa: T201
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
            _warn(_left_out(call_id, error, args.lang), args.lang)
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
                fail = tr("FAIL", args.lang)
                print(f"{fail}  {r.case.call}: {r.case.name}  ({r.case.origin})")  # noqa: T201
                for problem in r.problems:
                    print(f"      {problem}")  # noqa: T201
        # The summary line is the same in every language: scripts read it.
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
        _emit([f.to_dict(args.lang) for f in findings])
    else:
        from callkit._render import render_lint  # noqa: PLC0415

        print(render_lint(target, findings, args.lang))  # noqa: T201
    return EXIT_FINDINGS if any(f.severity == "error" for f in findings) else EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    _not_an_input(args.output, args.files)
    with _loading():
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
            _warn(text(warning, args.lang), args.lang)
    if fatal:
        for problem in (*fatal, *problems):
            _error(problem.describe(args.lang), args.lang)
        return EXIT_USAGE
    wanted = len(applications) >= PROGRESS_FROM and sys.stderr.isatty()
    progress = _progress(args.lang) if wanted else None
    review = call.review(applications, problems, progress=progress)
    if progress is not None:
        sys.stderr.write("\r\x1b[K")
    _write_review(review, call, args)
    if problems:
        for problem in problems:
            _error(problem.describe(args.lang), args.lang)
        return EXIT_USAGE
    return EXIT_OK if review.ok else EXIT_FINDINGS


def _not_an_input(output: str | None, files: Sequence[str]) -> None:
    """Refuse an --output that is one of the files to check: writing would destroy it."""
    if output is None:
        return
    from pathlib import Path  # noqa: PLC0415

    target = Path(output).resolve()
    if any(Path(name).resolve() == target for name in files):
        raise _UsageError(msg("--output {path} is one of the files to check", path=output))


def _check_rows(call: Call, args: argparse.Namespace) -> int:
    """``check --format jsonl``: read, check and report one row at a time.

    Every file is opened first, so that one that cannot be read at all stops the command
    before anything is printed, as in the other formats. Each problem goes to standard
    error as it is met; one that ends a file part-way also goes into the summary line.
    """
    import contextlib  # noqa: PLC0415

    streams = _open_all(args)
    if streams is None:
        return EXIT_USAGE
    from callkit._writers import JsonLines  # noqa: PLC0415

    with contextlib.ExitStack() as opened:
        for stream in streams:  # closed however the report ends
            opened.callback(stream.close)
        rows = _RowsRead(streams, args.lang)
        review = call.review_rows(rows, rows.problems)
        lines = JsonLines(args.lang)
        out = opened.enter_context(_lines(args.output))
        for report in review:
            out.write(lines.application(report) + "\n")
        summary = review.summary().with_problems(rows.unreadable)
        out.write(json.dumps(summary.to_dict(args.lang), ensure_ascii=False) + "\n")
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
        _error(problem.describe(args.lang), args.lang)
    return None


class _RowsRead:
    """The rows of every file in turn, each problem said on standard error as it is met."""

    def __init__(self, streams: list[ApplicationStream], lang: Language) -> None:
        self.streams = streams
        self.lang = lang
        self.problems = [p for stream in streams for p in stream.problems]
        self.unreadable: list[InputProblem] = []
        self.count = len(self.problems)
        for problem in self.problems:
            _error(problem.describe(lang), lang)
        for warning in (w for stream in streams for w in stream.warnings):
            _warn(text(warning, lang), lang)

    def __iter__(self) -> Iterator[ApplicationRow]:
        for stream in self.streams:
            with stream:
                try:
                    for row in stream:
                        for problem in row.problems:
                            _error(problem.describe(self.lang), self.lang)
                        self.count += len(row.problems)
                        yield row
                except InputError as error:
                    self.unreadable.extend(error.problems)
                    self.count += len(error.problems)
                    for problem in error.problems:
                        _error(problem.describe(self.lang), self.lang)


def _lines(output: str | None) -> ContextManager[TextIO]:
    """Where lines of a report go: *output*, or standard output (left open)."""
    import contextlib  # noqa: PLC0415

    if output is None:
        return contextlib.nullcontext(sys.stdout)
    try:
        # A lone surrogate (JSON may give one as "\ud800") is written as its escape.
        return open(output, "w", encoding="utf-8", newline="\n", errors="backslashreplace")  # noqa: PTH123
    except OSError as error:
        raise _UsageError(
            msg("cannot write {path}: {error}", path=output, error=error.strerror or str(error))
        ) from None


def _write_review(review: Review, call: Call, args: argparse.Namespace) -> None:
    """Write the review in the format asked for, to --output or standard output."""
    from callkit import _writers  # noqa: PLC0415

    if args.format == "xlsx":
        _write_workbook(_writers.to_xlsx(review, call, args.lang), args.output)
        return
    if args.format == "json":
        report = json.dumps(review.to_dict(lang=args.lang), ensure_ascii=False, indent=2) + "\n"
    elif args.format == "markdown":
        report = _writers.to_markdown(review, call, args.lang)
    elif args.format == "csv":
        report = _writers.to_csv(review, args.delimiter or ",", args.lang)
    else:
        from callkit._render import render_review  # noqa: PLC0415

        colour = args.output is None and _colour(sys.stdout)
        report = render_review(review, call, colour=colour, lang=args.lang) + "\n"
    if args.output is None:
        sys.stdout.write(report)
    else:
        # A CSV report opens in Excel with its letters intact only with a byte-order mark.
        encoding = "utf-8-sig" if args.format == "csv" else "utf-8"
        # A lone surrogate (JSON may give one as "\ud800") is no character UTF-8 can hold:
        # it is written as its escape, as on standard output.
        _save(args.output, report.encode(encoding, "backslashreplace"))


PROGRESS_FROM = 5000
"""From how many applications ``check`` shows its progress (on a terminal)."""


def _progress(lang: Language) -> Callable[[int, int], None]:
    line = tr("checked {done} of {total} applications", lang)

    def progress(done: int, total: int) -> None:
        if done % 1000 == 0 or done == total:
            sys.stderr.write("\rcallkit: " + line.format(done=done, total=total))
            sys.stderr.flush()

    return progress


def _colour(stream: Any) -> bool:  # noqa: ANN401
    """Whether to colour text for *stream*: a terminal, unless ``NO_COLOR`` is set."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def _write_workbook(data: bytes, output: str | None) -> None:
    """Write a workbook to *output*, or to standard output unless that is a terminal."""
    if output is None and sys.stdout.isatty():
        raise _UsageError(
            msg("a workbook is a file: give --output FILE, or send it to a file or pipe")
        )
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
        raise _UsageError(
            msg("cannot write {path}: {error}", path=path, error=error.strerror or str(error))
        ) from None


class _UsageError(CallkitError):
    """The command was given something it cannot use."""


def _error(message: str, lang: Language) -> None:
    sys.stderr.write(f"callkit: {tr('error', lang)}: {message}\n")


def _warn(message: str, lang: Language) -> None:
    sys.stderr.write(f"callkit: {tr('warning', lang)}: {message}\n")


def _left_out(call_id: str, error: CallkitError, lang: Language) -> str:
    return tr("{call} is left out: {error}", lang).format(call=call_id, error=_say(error, lang))


def _say(error: Exception, lang: Language) -> str:
    """An error's message in *lang*, where it was written as a message of the catalogue."""
    if isinstance(error, InputError):
        return "\n".join(p.describe(lang) for p in error.problems)
    first = error.args[0] if len(error.args) == 1 else None
    return text(first, lang) if isinstance(first, str) else str(error)


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
    arguments = sys.argv[1:] if argv is None else list(argv)
    args = _parser(_lang_asked(arguments)).parse_args(arguments)
    args.lang = getattr(args, "lang", None) or default_language()
    try:
        return _COMMANDS[args.command](args)
    except CallkitError as error:
        for line in _say(error, args.lang).splitlines() or [type(error).__name__]:
            _error(line.strip(), args.lang)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader of our output went away (``callkit check ... | head``): not an error.
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # noqa: BLE001  (the last resort: one line, never a traceback)
        report = tr("internal error, please report it: {error}", args.lang)
        _error(report.format(error=f"{type(error).__name__}: {error}"), args.lang)
        return EXIT_INTERNAL


def run() -> NoReturn:
    """The ``callkit`` command: :func:`main` on ``sys.argv``, as the whole of this process.

    Unlike :func:`main` called from Python, it may set aside for good what the command
    loads (see :func:`_loading`), since nothing else runs in the process.
    """
    global _settling  # noqa: PLW0603  (the process is the command's until it ends)
    _settling = True
    try:
        status = main()
    finally:
        _settling = False
    sys.exit(status)
