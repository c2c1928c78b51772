"""Findings: what a check says about an application, and why."""

from __future__ import annotations

import enum

import attrs

from callkit._provenance import Citation

SHOWN = 60
"""The most characters of a value from an application that a finding's message shows."""


def shorten(text: str, width: int = SHOWN) -> str:
    """*text* as a message shows it: cut short, ending ``...``, if longer than *width*."""
    return text if len(text) <= width else text[: width - 3] + "..."


class Severity(enum.StrEnum):
    """How much a finding matters."""

    ERROR = "error"
    """The application breaks a rule of the call or of its institution."""
    WARNING = "warning"
    """Something a person should look at; the application is not rejected for it."""
    INFO = "info"
    """A rule that could not be assessed, for lack of the data it looks at."""


@attrs.frozen
class Finding:
    """One explained result of a check.

    ``rule`` is the id of the rule (such as ``budget-per-year``), ``field`` the application
    field it concerns, ``value`` what the application gave and ``limit`` what the rule
    allows, both as text. ``source`` cites the sentence the rule comes from; it is ``None``
    only for a finding about unreadable input (rule ``input``), which no rule made.
    """

    rule: str
    severity: Severity
    message: str
    source: Citation | None
    field: str | None = None
    value: str | None = None
    limit: str | None = None

    @property
    def is_error(self) -> bool:
        """Whether this finding makes its application fail."""
        return self.severity is Severity.ERROR
