"""The errors callkit raises.

Every error derives from :class:`CallkitError`, so a tool can catch everything callkit
raises in one place, and each also derives from the built-in exception a Python user would
expect (``LookupError`` for an unknown call, ``ValueError`` for unreadable input).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from callkit._text import Language


class CallkitError(Exception):
    """The base class of every error callkit raises."""


class CallNotFoundError(CallkitError, LookupError):
    """No installed plugin supplies a call with this id.

    The message names the nearest ids, so a typo is easy to fix.
    """

    def __init__(self, call_id: str, known: Iterable[str]) -> None:
        """Build the error for *call_id*, suggesting the nearest of *known*."""
        self.call_id = call_id
        self.known = tuple(sorted(known))
        import difflib  # noqa: PLC0415  (only when a call is not found)

        self.suggestions = tuple(
            difflib.get_close_matches(call_id, self.known, n=3, cutoff=0.5),
        )
        from callkit._i18n import Either, msg  # noqa: PLC0415  (errors load before messages)

        if self.suggestions:
            message = msg(
                "unknown call {call!r}; did you mean {near}?",
                call=call_id,
                near=Either([repr(s) for s in self.suggestions]),
            )
        elif self.known:
            message = msg(
                "unknown call {call!r}; installed calls: {known}",
                call=call_id,
                known=", ".join(self.known),
            )
        else:
            message = msg("unknown call {call!r}; no call plugin is installed", call=call_id)
        super().__init__(message)


class DefinitionError(CallkitError, ValueError):
    """A call definition is not valid.

    ``problems`` holds one line per problem, each naming the key path in the definition.
    """

    def __init__(self, origin: str, problems: Sequence[str]) -> None:
        """Build the error for the definition read from *origin*."""
        self.origin = origin
        self.problems = tuple(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"invalid call definition {origin}:\n{lines}")


class NoDeadlineError(CallkitError, LookupError):
    """A permanently open call has no deadline."""


class PluginError(CallkitError):
    """A plugin that supplies a call could not be loaded; the cause is chained."""


class InputProblem(NamedTuple):
    """One thing in an input file that could not be read.

    ``row`` is the row a spreadsheet shows (the header is row 1) for CSV, and the 1-based
    position in the list for JSON; it is ``None`` for a problem with the whole file.
    """

    file: str
    row: int | None
    field: str | None
    message: str

    @property
    def location(self) -> str:
        """``file:row`` (or the file alone), as reports show it."""
        return self.file if self.row is None else f"{self.file}:{self.row}"

    def __str__(self) -> str:
        """Render as ``file:row: field: message``."""
        return self.describe("en")

    def describe(self, lang: Language = "en") -> str:
        """``file:row: field: message``, the message in *lang*."""
        from callkit._i18n import text  # noqa: PLC0415  (errors load before any model)

        message = text(self.message, lang)
        if self.field:
            return f"{self.location}: {self.field}: {message}"
        return f"{self.location}: {message}"


class InputError(CallkitError, ValueError):
    """Input could not be read: a missing or malformed file, a bad cell.

    ``problems`` lists every problem found, each with its file, row and field, so that a
    whole file can be corrected in one pass.
    """

    def __init__(self, problems: Sequence[InputProblem]) -> None:
        """Build the error from one or more problems."""
        self.problems = tuple(problems)
        if len(self.problems) == 1:
            message = str(self.problems[0])
        else:
            message = f"{len(self.problems)} problems in the input:\n" + "\n".join(
                f"  {p}" for p in self.problems
            )
        super().__init__(message)
