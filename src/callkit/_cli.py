"""The ``callkit`` command line.

Exit status: 0 when no finding is an error, 1 when at least one is (an exceeded quota
included), 2 when the usage, the call id or the input was wrong. Errors are one line each
on standard error; no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any, NoReturn

from callkit._errors import CallkitError, InputError
from callkit._version import __version__

if TYPE_CHECKING:
    from collections.abc import Sequence

    from callkit._application import Application
    from callkit._call import Call
    from callkit._errors import InputProblem

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"callkit: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="callkit",
        description="Check applications against research funding calls, and explain why.",
    )
    parser.add_argument("--version", action="version", version=f"callkit {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument(
            "--format",
            choices=("text", "json"),
            default="text",
            help="text for people (the default) or JSON for tools",
        )
        return sub

    command("calls", "list the installed calls")
    show = command("show", "show a call: its rules with their sources, policies and timeline")
    show.add_argument("call_id", metavar="CALL_ID")
    timeline = command("timeline", "list a call's milestones in time order")
    timeline.add_argument("call_id", metavar="CALL_ID")
    timeline.add_argument(
        "--institution",
        metavar="NAME",
        help="the funder's milestones and this institution's only",
    )
    check = command("check", "check applications in CSV or JSON files against a call")
    check.add_argument("call_id", metavar="CALL_ID")
    check.add_argument("files", metavar="FILE", nargs="+", help="CSV or JSON files")
    return parser


def _emit(data: Any) -> None:  # noqa: ANN401
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _cmd_calls(args: argparse.Namespace) -> int:
    from callkit._registry import default_registry  # noqa: PLC0415

    registry = default_registry()
    calls = [registry.get(call_id) for call_id in registry.ids()]
    if args.format == "json":
        _emit(
            [
                {
                    "id": c.id,
                    "title": c.title.en,
                    "title_nb": c.title.nb,
                    "programme": c.programme.en,
                    "deadline": c.deadline.isoformat(),
                }
                for c in calls
            ]
        )
    elif calls:
        from callkit._render import render_calls  # noqa: PLC0415

        print(render_calls(calls))  # noqa: T201
    else:
        print("No call is installed.")  # noqa: T201
    return EXIT_OK


def _get(call_id: str) -> Call:
    from callkit._registry import get_call  # noqa: PLC0415

    return get_call(call_id)


def _cmd_show(args: argparse.Namespace) -> int:
    call = _get(args.call_id)
    if args.format == "json":
        from callkit._convert import unstructure_call  # noqa: PLC0415

        _emit(unstructure_call(call))
    else:
        from callkit._render import render_call  # noqa: PLC0415

        print(render_call(call))  # noqa: T201
    return EXIT_OK


def _cmd_timeline(args: argparse.Namespace) -> int:
    call = _get(args.call_id)
    timeline = call.timeline
    if args.institution is not None:
        policy = call.policy_for(args.institution)
        if policy is None:
            known = ", ".join(p.institution for p in call.policies) or "none"
            raise _UsageError(
                f"{call.id} has no policy for {args.institution!r} (institutions: {known})"
            )
        timeline = timeline.for_institution(policy.institution)
    from callkit._render import milestone_to_dict, render_timeline  # noqa: PLC0415

    if args.format == "json":
        _emit([milestone_to_dict(m, call) for m in timeline])
    else:
        print(render_timeline(call, timeline))  # noqa: T201
    return EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    from callkit._readers import read_application_file  # noqa: PLC0415

    call = _get(args.call_id)
    applications: list[Application] = []
    problems: list[InputProblem] = []
    fatal: list[InputProblem] = []
    for path in args.files:
        try:
            result = read_application_file(path)
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
    review = call.review(applications, problems)
    if args.format == "json":
        _emit(review.to_dict())
    else:
        from callkit._render import render_review  # noqa: PLC0415

        print(render_review(review, call))  # noqa: T201
    if problems:
        for problem in problems:
            _error(str(problem))
        return EXIT_USAGE
    return EXIT_OK if review.ok else EXIT_FINDINGS


class _UsageError(CallkitError):
    """The command was given something it cannot use."""


def _error(message: str) -> None:
    sys.stderr.write(f"callkit: error: {message}\n")


def _warn(message: str) -> None:
    sys.stderr.write(f"callkit: warning: {message}\n")


_COMMANDS = {
    "calls": _cmd_calls,
    "show": _cmd_show,
    "timeline": _cmd_timeline,
    "check": _cmd_check,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with *argv* (default: ``sys.argv[1:]``); return the exit status."""
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
