"""Findings: what a check says about an application, and why."""

from __future__ import annotations

import enum
import functools
from typing import TYPE_CHECKING, Protocol, TypeVar

import attrs

from callkit._provenance import Citation

if TYPE_CHECKING:
    from collections.abc import Callable


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


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


_R = TypeVar("_R", bound=_Identified)

_SHARED_CACHE = 4096
"""How many findings a rule kind's shared findings remember."""


def shared_finding(
    make: Callable[[_R, Citation, str, str], Finding],
) -> Callable[[_R, Citation, str, str], Finding]:
    """Make *make* give one finding for the same rule, citation, text and field.

    For a rule not assessed: the same few come back in most reports, one for every
    application that lacks the same field. Findings are immutable, so every report can hold
    the one made first. That spares the building of each (with its message), the memory of
    a copy in each report, and the collector's walking of those copies, which together were
    a third of the time of checking a large batch.
    """
    made: dict[tuple[str, int, str, str], Finding] = {}

    @functools.wraps(make)
    def shared(rule: _R, citation: Citation, what: str, field: str) -> Finding:
        # A finding holds its citation, so the citation's id names it while it is here.
        key = (rule.id, id(citation), what, field)
        finding = made.get(key)
        if finding is None:
            if len(made) >= _SHARED_CACHE:
                made.clear()
            finding = made[key] = make(rule, citation, what, field)
        return finding

    return shared
