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

from callkit._errors import CallkitError
from callkit._provenance import Provenance
from callkit._text import Text

if TYPE_CHECKING:
    from collections.abc import Callable

    from callkit._call import Call

Operation = Literal["add", "remove", "set"]

_IDENTITIES = ("id", "code", "key", "institution", "country", "kind")


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


@attrs.frozen(kw_only=True)
class Amendment:
    """A change to a call after it was published, in force from ``effective`` on."""

    effective: dt.date
    title: Text
    provenance: Provenance
    changes: tuple[Change, ...]


def _step(node: Any, segment: str, path: str) -> Any:  # noqa: ANN401
    if isinstance(node, dict):
        if segment not in node:
            msg = f"{path}: there is no {segment!r} here"
            raise ValueError(msg)
        return node[segment]
    if isinstance(node, list):
        return node[_index(node, segment, path)]
    msg = f"{path}: {segment!r} is inside a value that has no parts"
    raise ValueError(msg)


def _index(items: list[Any], segment: str, path: str) -> int:
    for i, item in enumerate(items):
        if isinstance(item, dict) and any(item.get(k) == segment for k in _IDENTITIES):
            return i
    if segment.isdigit() and int(segment) < len(items):
        return int(segment)
    msg = f"{path}: no item of this list is {segment!r}"
    raise ValueError(msg)


def apply_change(data: dict[str, Any], change: Change) -> None:
    """Apply *change* to the plain data of a definition, in place."""
    *parents, last = change.path.split(".")
    node: Any = data
    for i, segment in enumerate(parents):
        node = _step(node, segment, ".".join(parents[: i + 1]))
    if change.op == "set":
        if isinstance(node, list):
            node[_index(node, last, change.path)] = change.value
        elif isinstance(node, dict):
            node[last] = change.value
        else:
            msg = f"{change.path}: cannot set a part of a value that has no parts"
            raise ValueError(msg)
        return
    if change.op == "remove":
        if not isinstance(node, list):
            msg = f"{change.path}: only an item of a list can be removed"
            raise ValueError(msg)
        del node[_index(node, last, change.path)]
        return
    target = _step(node, last, change.path) if not isinstance(node, dict) else node.get(last)
    if target is None and isinstance(node, dict):
        target = node[last] = []
    if not isinstance(target, list):
        msg = f"{change.path}: only a list can be added to"
        raise ValueError(msg)  # noqa: TRY004  (a definition problem, reported as such)
    target.append(copy.deepcopy(change.value))


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
        data = copy.deepcopy(self.data)
        versions = [self.build(data)]
        for number, amendment in enumerate(self.amendments):
            for change in amendment.changes:
                try:
                    apply_change(data, change)
                except ValueError as error:
                    msg = f"amendments[{number}] ({amendment.effective}): {error}"
                    raise ValueError(msg) from None
            version = self.build({**data, "effective": amendment.effective})
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
            msg = f"{self.id} was first published on {self.published}, after {day}"
            raise NotInForceError(msg)
        return in_force[-1]

    def between(self, start: dt.date, end: dt.date) -> tuple[Amendment, ...]:
        """The amendments that took effect after *start*, up to and including *end*."""
        return tuple(a for a in self.amendments if start < a.effective <= end)
