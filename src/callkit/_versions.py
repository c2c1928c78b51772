"""Versions of a call: the call as published and each amendment, with its date and source.

A definition is the call as first published plus a list of amendments. Each amendment
has the date it takes effect, the source that says so, and its changes, each of which
adds to a list, removes from it, or sets a value, at a path such as
``rules.qualifying-funding.schemes``. The items of a list are named in a path by their
``id``, ``code``, ``key``, ``institution``, ``country`` or ``kind``, or by position.
"""

from __future__ import annotations

import copy
import datetime as dt
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

import attrs

from callkit._changes import apply
from callkit._errors import CallkitError
from callkit._i18n import msg
from callkit._provenance import Provenance
from callkit._text import Text
from callkit._timeline import check_year

if TYPE_CHECKING:
    from collections.abc import Callable

    from callkit._call import Call

Operation = Literal["add", "remove", "set"]


class NotInForceError(CallkitError, LookupError):
    """The call was not yet published on the date asked for."""


@attrs.frozen(kw_only=True)
class Change:
    """One change an amendment makes to the definition.

    ``add`` appends ``value`` to the list at ``path``; ``remove`` takes the item at
    ``path`` out of its list; ``set`` puts ``value`` at ``path``.
    """

    op: Operation
    path: str
    value: Any = None

    def __attrs_post_init__(self) -> None:
        """Check that ``add`` and ``set`` give a value and ``remove`` none."""
        if self.op in ("add", "set") and self.value is None:
            msg = f"{self.path}: '{self.op}' needs a value"
            raise ValueError(msg)
        if self.op == "remove" and self.value is not None:
            msg = f"{self.path}: 'remove' takes no value; the path names what goes"
            raise ValueError(msg)


@attrs.frozen(kw_only=True)
class Amendment:
    """A change to a call after it was published, in force from ``effective`` on."""

    effective: dt.date = attrs.field(validator=check_year)
    title: Text
    provenance: Provenance
    changes: tuple[Change, ...]


def apply_change(data: dict[str, Any], change: Change) -> None:
    """Apply *change* to the plain data of a definition, in place."""
    apply(data, change.op, change.path, change.value)


class Structured:
    """Builds a version of a call from plain data read from *origin*, with callkit's converter.

    A definition read from a file builds its versions with this rather than with a closure,
    so that it can be pickled into callkit's cache and read back from there without
    building the converter, whose code cattrs generates when first asked.
    """

    __slots__ = ("origin",)

    def __init__(self, origin: str) -> None:
        """Build versions of the definition read from *origin* (named in its problems)."""
        self.origin = origin

    def __call__(self, data: dict[str, Any]) -> Call:
        """The call *data* describes; raises :class:`~callkit.DefinitionError`."""
        from callkit._convert import structure_version  # noqa: PLC0415

        return structure_version(data, self.origin)

    def __eq__(self, other: object) -> bool:
        """Whether *other* builds versions of the same origin."""
        return isinstance(other, Structured) and other.origin == self.origin

    def __hash__(self) -> int:
        """The origin's hash."""
        return hash(self.origin)

    def __repr__(self) -> str:
        """Name the origin."""
        return f"Structured({self.origin!r})"


class CallDefinition:
    """A call with its history: the version as published and every amendment.

    ``data`` is the plain data of the call as published, and ``build`` makes a
    :class:`~callkit.Call` of such data; :meth:`as_of` gives the call in force on a date,
    whose ``history`` names the amendments that made it.
    """

    def __init__(
        self,
        *,
        data: dict[str, Any],
        amendments: tuple[Amendment, ...],
        build: Callable[[dict[str, Any]], Call],
    ) -> None:
        """Build a definition; the versions are made when first asked for."""
        self.data = data
        self.amendments = amendments
        self.build = build

    def __repr__(self) -> str:
        """Name the call and its amendments."""
        return f"<CallDefinition {self.id} with {len(self.amendments)} amendments>"

    @property
    def id(self) -> str:
        """The call's id."""
        return self.versions[0].id

    @property
    def published(self) -> dt.date:
        """The date the call was published: the first version's ``effective``."""
        return self.versions[0].effective

    @cached_property
    def versions(self) -> tuple[Call, ...]:
        """The call as published and after each amendment, oldest first."""
        from callkit._errors import DefinitionError  # noqa: PLC0415

        data = copy.deepcopy(self.data)
        versions = [self.build(data)]
        for number, amendment in enumerate(self.amendments):
            where = f"amendments[{number}] ({amendment.effective})"
            if amendment.effective <= versions[-1].effective:
                msg = (
                    f"{where}: takes effect on {amendment.effective}, not after the version "
                    f"before it ({versions[-1].effective}); amendments come in date order"
                )
                raise ValueError(msg)
            for change in amendment.changes:
                try:
                    apply_change(data, change)
                except ValueError as error:
                    msg = f"{where}: {error}"
                    raise ValueError(msg) from None
            try:
                version = self.build({**data, "effective": amendment.effective})
            except DefinitionError as error:
                problems = [f"{where} makes the call invalid: {p}" for p in error.problems]
                raise DefinitionError(error.origin, problems) from error
            versions.append(attrs.evolve(version, history=self.amendments[: number + 1]))
        return tuple(versions)

    @property
    def latest(self) -> Call:
        """The call with every amendment applied."""
        return self.versions[-1]

    def as_of(self, day: dt.date | None = None) -> Call:
        """The call in force on *day* (``None``: the latest); before publication an error."""
        if day is None:
            return self.latest
        in_force = [v for v in self.versions if v.effective <= day]
        if not in_force:
            problem = msg(
                "{call} was first published on {published}, after {day}",
                call=self.id,
                published=self.published,
                day=day,
            )
            raise NotInForceError(problem)
        return in_force[-1]

    def between(self, start: dt.date, end: dt.date) -> tuple[Amendment, ...]:
        """The amendments that took effect after *start*, up to and including *end*."""
        return tuple(a for a in self.amendments if start < a.effective <= end)
