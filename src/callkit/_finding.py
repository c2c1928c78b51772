"""Findings: what a check says about an application, and why."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

import attrs

from callkit._provenance import Citation

if TYPE_CHECKING:
    from callkit._i18n import Language

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
    message_nb: str | None = attrs.field(default=None, kw_only=True)
    """The message in Norwegian Bokmål, when ``message`` is plain English text.

    ``message`` may be a :class:`~callkit.Message`, which knows both languages; callkit's
    own rules give the two texts as plain strings instead, which the garbage collector does
    not follow, as a large review holds very many findings. :meth:`text` reads either.
    """

    def text(self, lang: Language = "en") -> str:
        """The message in *lang*: ``"en"`` (English) or ``"nb"`` (Norwegian Bokmål)."""
        if lang == "en":
            return str.__str__(self.message)
        from callkit._i18n import LANGUAGES, check_language  # noqa: PLC0415

        if lang not in LANGUAGES:
            check_language(lang)  # raises: callkit does not speak it
        if self.message_nb is not None:
            return self.message_nb
        get = getattr(self.message, "get", None)
        return self.message if get is None else str(get(lang))

    @property
    def is_error(self) -> bool:
        """Whether this finding makes its application fail."""
        return self.severity is Severity.ERROR
