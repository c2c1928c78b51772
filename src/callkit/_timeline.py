"""Milestones and timelines: when a call opens, when applications are due, and for whom."""

from __future__ import annotations

import datetime as dt
import enum
from functools import cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs
import pendulum

from callkit._provenance import Provenance
from callkit._text import Text

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator


class MilestoneKind(enum.StrEnum):
    """What a milestone marks."""

    OPENS = "opens"
    """The call opens for applications."""
    INFO_SESSION = "info_session"
    """A webinar or meeting for applicants."""
    INTERNAL_DEADLINE = "internal_deadline"
    """An institution's own deadline, before the funder's."""
    DEADLINE = "deadline"
    """The funder's application deadline."""
    SUBMISSION = "submission"
    """An institution sends its approved applications to the funder."""
    EARLIEST_START = "earliest_start"
    """The earliest date a funded project may start."""
    LATEST_START = "latest_start"
    """The latest date a funded project may start."""
    LATEST_END = "latest_end"
    """The latest date a funded project may end."""
    EVENT = "event"
    """Anything else worth a place in the calendar."""


@cache
def zone_info(name: str) -> ZoneInfo:
    """The IANA zone *name*; raises ``ValueError`` for a name the zone database lacks."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        msg = f"{name!r} is not an IANA time zone (such as 'Europe/Oslo')"
        raise ValueError(msg) from error


def _check_zone(_instance: object, _attribute: object, value: str | None) -> None:
    if value is not None:
        zone_info(value)


def _check_local_time(instance: Milestone, _attribute: object, value: dt.time | None) -> None:
    if value is None:
        return
    if value.tzinfo is not None:
        msg = "a milestone's time is a local time; give its zone in 'zone', not an offset"
        raise ValueError(msg)
    if instance.zone is None:
        msg = f"the milestone at {instance.date} {value} has a time but no zone"
        raise ValueError(msg)
    zone = zone_info(instance.zone)
    naive = dt.datetime.combine(instance.date, value)
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset():
        if first.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != naive:
            msg = f"{naive:%Y-%m-%d %H:%M} does not exist in {instance.zone} (clocks go forward)"
        else:
            msg = f"{naive:%Y-%m-%d %H:%M} happens twice in {instance.zone} (clocks go back)"
        raise ValueError(msg)


@attrs.frozen
class Milestone:
    """A dated point in a call's life.

    A milestone has either a local ``time`` with an IANA ``zone`` (an instant, such as the
    deadline 13:00 Europe/Oslo) or only a ``date`` (a whole day, such as an internal deadline
    "by 9 March"). ``published`` keeps the date as the source printed it, label and all;
    the instant always comes from the zone. ``institution`` names the institution whose
    milestone this is, or is ``None`` for the funder's.
    """

    kind: MilestoneKind
    title: Text
    date: dt.date
    provenance: Provenance
    zone: str | None = attrs.field(default=None, validator=_check_zone)
    time: dt.time | None = attrs.field(default=None, validator=_check_local_time)
    institution: str | None = None
    published: str | None = None

    @property
    def whole_day(self) -> bool:
        """Whether this milestone is a whole day rather than an instant."""
        return self.time is None

    @property
    def at(self) -> pendulum.DateTime | pendulum.Date:
        """The instant, aware in the milestone's zone, or the date of a whole-day milestone."""
        if self.time is None or self.zone is None:
            return pendulum.Date(self.date.year, self.date.month, self.date.day)
        return pendulum.datetime(
            self.date.year,
            self.date.month,
            self.date.day,
            self.time.hour,
            self.time.minute,
            self.time.second,
            tz=self.zone,
        )

    @property
    def utc(self) -> pendulum.DateTime | None:
        """The instant in UTC, or ``None`` for a whole-day milestone."""
        at = self.at
        return at.in_tz("UTC") if isinstance(at, pendulum.DateTime) else None

    def sort_key(self) -> tuple[dt.date, int, dt.datetime]:
        """Order by local date, a whole day before the instants of that date, then instant."""
        at = self.at
        if isinstance(at, pendulum.DateTime):
            return (self.date, 1, at.in_tz("UTC"))
        return (self.date, 0, dt.datetime.combine(self.date, dt.time(), tzinfo=dt.UTC))

    def isoformat(self) -> str:
        """ISO 8601: a date, or a local date and time with its UTC offset."""
        return self.at.isoformat()


def _in_time_order(milestones: Iterable[Milestone]) -> tuple[Milestone, ...]:
    return tuple(sorted(milestones, key=Milestone.sort_key))


@attrs.frozen
class Timeline:
    """A call's milestones in time order, the funder's and its institutions' together."""

    milestones: tuple[Milestone, ...] = attrs.field(converter=_in_time_order)

    def __iter__(self) -> Iterator[Milestone]:
        """Iterate in time order."""
        return iter(self.milestones)

    def __len__(self) -> int:
        """The number of milestones."""
        return len(self.milestones)

    def of_kind(self, kind: MilestoneKind | str) -> tuple[Milestone, ...]:
        """The milestones of *kind*, in time order."""
        return tuple(m for m in self.milestones if m.kind == kind)

    def for_institution(self, institution: str | None) -> Timeline:
        """The funder's milestones and those of *institution* (``None``: the funder's only)."""
        return Timeline(
            tuple(m for m in self.milestones if m.institution in (None, institution)),
        )
