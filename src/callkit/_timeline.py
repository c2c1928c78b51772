"""Milestones and timelines: when a call opens, when applications are due, and for whom."""

from __future__ import annotations

import datetime as dt
import enum
from functools import cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs
import pendulum

from callkit._countries import check_code
from callkit._i18n import N_
from callkit._provenance import Provenance
from callkit._text import Text
from callkit._workdays import Rollover, add_working_days, roll

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping


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


KIND_NAMES: dict[str, str] = {
    MilestoneKind.OPENS: N_("opens"),
    MilestoneKind.INFO_SESSION: N_("info session"),
    MilestoneKind.INTERNAL_DEADLINE: N_("internal deadline"),
    MilestoneKind.DEADLINE: N_("deadline"),
    MilestoneKind.SUBMISSION: N_("submission"),
    MilestoneKind.EARLIEST_START: N_("earliest start"),
    MilestoneKind.LATEST_START: N_("latest start"),
    MilestoneKind.LATEST_END: N_("latest end"),
    MilestoneKind.EVENT: N_("event"),
}
"""Each kind of milestone as people call it (in English, the catalogue's source)."""


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


def check_local_time(day: dt.date, time: dt.time, zone: str) -> None:
    """Refuse a local time that does not exist, or exists twice, in *zone* on *day*.

    On the night clocks go forward, 02:30 in Oslo never happens; on the night they go back
    it happens twice. Either would make a deadline's instant a guess.
    """
    info = zone_info(zone)
    naive = dt.datetime.combine(day, time)
    first = naive.replace(tzinfo=info, fold=0)
    second = naive.replace(tzinfo=info, fold=1)
    if first.utcoffset() == second.utcoffset():
        return
    if first.astimezone(dt.UTC).astimezone(info).replace(tzinfo=None) != naive:
        msg = f"{naive:%Y-%m-%d %H:%M} does not exist in {zone} (clocks go forward)"
    else:
        msg = f"{naive:%Y-%m-%d %H:%M} happens twice in {zone} (clocks go back)"
    raise ValueError(msg)


YEARS = (1900, 2200)
"""The first and the last year a call's dates may fall in."""


def check_year(_instance: object, _attribute: object, value: dt.date) -> None:
    """An attrs validator: *value* falls in one of the ``YEARS``."""
    if not YEARS[0] <= value.year <= YEARS[1]:
        msg = f"{value.isoformat()} is not a date between the years {YEARS[0]} and {YEARS[1]}"
        raise ValueError(msg)


MAX_WORKING_DAYS = 2000
"""The most working days a relative date may be counted before or after its milestone."""


@attrs.frozen(kw_only=True)
class Offset:
    """A date counted in working days from another milestone of the same call.

    ``of`` is the ``id`` of that milestone; ``working_days`` counts working days after it,
    or before it when negative: ``-5`` is five working days before. It counts at most
    ``MAX_WORKING_DAYS`` either way.
    """

    of: str
    working_days: int = attrs.field()

    @working_days.validator
    def _within_reach(self, _attribute: object, value: int) -> None:
        if not -MAX_WORKING_DAYS <= value <= MAX_WORKING_DAYS:
            given = str(value)
            given = given if len(given) <= 20 else given[:17] + "..."  # noqa: PLR2004
            msg = (
                f"a date is counted at most {MAX_WORKING_DAYS} working days (about eight "
                f"years) from another, not {given}"
            )
            raise ValueError(msg)


_STAGES = ("outline", "full")


@attrs.frozen(kw_only=True)
class Milestone:
    """A dated point in a call's life.

    A milestone has either a local ``time`` with an IANA ``zone`` (an instant, such as the
    deadline 13:00 Europe/Oslo) or only a date (a whole day, such as an internal deadline
    "by 9 March"). A definition gives the date as ``date``, or as ``relative``: a number of working
    days before or after another milestone, counted in the public holiday calendar of
    ``calendar`` (an ISO 3166 country code; an institution's milestones default to its
    country). ``rollover`` moves a milestone that falls on a weekend or public holiday to
    the working day before or after it. The call's timeline holds every milestone with its
    ``date`` worked out (a relative one keeps its ``relative`` to say how).

    ``published`` keeps the date as the source printed it, label and all; the instant
    always comes from the zone. ``institution`` names the institution whose milestone this
    is, or is ``None`` for the funder's. ``id`` names the milestone for others to count
    from, and ``stage`` tells the deadlines of a two-stage call apart (``outline`` or
    ``full``).
    """

    kind: MilestoneKind
    title: Text
    provenance: Provenance
    date: dt.date | None = attrs.field(
        default=None, validator=attrs.validators.optional(check_year)
    )
    time: dt.time | None = None
    zone: str | None = attrs.field(default=None, validator=_check_zone)
    institution: str | None = None
    published: str | None = None
    id: str | None = None
    stage: str | None = None
    relative: Offset | None = None
    rollover: Rollover = Rollover.NONE
    calendar: str | None = attrs.field(default=None, validator=check_code)

    def __attrs_post_init__(self) -> None:
        """Check that the milestone says when it is, once, and with a zone for a time."""
        if self.date is None and self.relative is None:
            msg = "a milestone needs a 'date', or a 'relative' date counted from another"
            raise ValueError(msg)
        if self.time is not None:
            if self.time.tzinfo is not None:
                msg = "a milestone's time is a local time; give its zone in 'zone', not an offset"
                raise ValueError(msg)
            if self.zone is None:
                when = f"{self.date or 'its date'} {self.time}"
                msg = f"the milestone at {when} has a time but no zone"
                raise ValueError(msg)
            if self.date is not None:
                check_local_time(self.date, self.time, self.zone)
        if self.stage is not None and (
            self.kind is not MilestoneKind.DEADLINE or self.stage not in _STAGES
        ):
            msg = "only a deadline has a stage, and the stages are 'outline' and 'full'"
            raise ValueError(msg)

    @property
    def whole_day(self) -> bool:
        """Whether this milestone is a whole day rather than an instant."""
        return self.time is None

    @property
    def day(self) -> dt.date:
        """The date; raises ``ValueError`` for a relative date the timeline has not worked out."""
        if self.date is None:
            msg = "a relative milestone's date is worked out by its call's timeline"
            raise ValueError(msg)
        return self.date

    @property
    def at(self) -> pendulum.DateTime | pendulum.Date:
        """The instant, aware in the milestone's zone, or the date of a whole-day milestone."""
        day = self.day
        if self.time is None or self.zone is None:
            return pendulum.Date(day.year, day.month, day.day)
        return pendulum.datetime(
            day.year,
            day.month,
            day.day,
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

    @property
    def start(self) -> pendulum.DateTime:
        """When the milestone begins: its instant, or the start of its day in its zone.

        A whole day without a zone is taken in UTC.
        """
        at = self.at
        if isinstance(at, pendulum.DateTime):
            return at
        return pendulum.datetime(at.year, at.month, at.day, tz=self.zone or "UTC")

    @property
    def end(self) -> pendulum.DateTime:
        """When the milestone is over: its instant, or the end of its day in its zone."""
        at = self.at
        if isinstance(at, pendulum.DateTime):
            return at
        return self.start.add(days=1)

    def in_tz(self, zone: str) -> pendulum.DateTime | pendulum.Date:
        """The instant in another IANA *zone*; a whole day stays the same date."""
        zone_info(zone)
        at = self.at
        return at.in_tz(zone) if isinstance(at, pendulum.DateTime) else at

    def sort_key(self) -> tuple[dt.date, int, dt.datetime]:
        """Order by local date, a whole day before the instants of that date, then instant."""
        at = self.at
        if isinstance(at, pendulum.DateTime):
            return (self.day, 1, at.in_tz("UTC"))
        return (self.day, 0, dt.datetime.combine(self.day, dt.time(), tzinfo=dt.UTC))

    def isoformat(self) -> str:
        """ISO 8601: a date, or a local date and time with its UTC offset."""
        return self.at.isoformat()


class _Resolver:
    """Works out relative dates and rollovers, following references between milestones."""

    def __init__(self, milestones: Iterable[Milestone], calendars: Mapping[str, str]) -> None:
        self.items = list(milestones)
        self.calendars = calendars
        self.by_id: dict[str, int] = {}
        for i, m in enumerate(self.items):
            if m.id is not None:
                if m.id in self.by_id:
                    msg = f"two milestones have the id {m.id!r}"
                    raise ValueError(msg)
                self.by_id[m.id] = i
        self.done: dict[int, Milestone] = {}

    def calendar(self, m: Milestone, what: str) -> str:
        country = m.calendar or (self.calendars.get(m.institution) if m.institution else None)
        if country is None:
            msg = f"the milestone {m.id or m.title.en!r} {what} but names no calendar"
            msg += " (a country code)"
            raise ValueError(msg)
        return country

    def work_out(self, i: int, path: tuple[int, ...] = ()) -> Milestone:
        if i in self.done:
            return self.done[i]
        m = self.items[i]
        if i in path:
            names = " -> ".join(str(self.items[j].id) for j in (*path, i))
            msg = f"the relative dates of these milestones go round in a circle: {names}"
            raise ValueError(msg)
        day = m.date
        if m.relative is not None:
            if m.relative.of not in self.by_id:
                msg = f"the milestone {m.id or m.title.en!r} counts from {m.relative.of!r}, "
                msg += "which is the id of no milestone"
                raise ValueError(msg)
            base = self.work_out(self.by_id[m.relative.of], (*path, i)).day
            country = self.calendar(m, "counts working days")
            day = add_working_days(base, m.relative.working_days, country)
        assert day is not None  # noqa: S101  (a date or a relative one: validated)
        if m.rollover is not Rollover.NONE:
            day = roll(day, m.rollover, self.calendar(m, "rolls over"))
        if day != m.date:
            if m.time is not None and m.zone is not None:
                check_local_time(day, m.time, m.zone)
            m = attrs.evolve(m, date=day)
        self.done[i] = m
        return m


def resolve(milestones: Iterable[Milestone], calendars: Mapping[str, str]) -> list[Milestone]:
    """The milestones with every relative date worked out and every rollover applied.

    *calendars* gives the country of each institution, for its milestones that name no
    calendar. Raises ``ValueError`` for a reference to an unknown milestone, a cycle, or a
    date that needs a calendar and has none.
    """
    resolver = _Resolver(milestones, calendars)
    return [resolver.work_out(i) for i in range(len(resolver.items))]


def _in_time_order(milestones: Iterable[Milestone]) -> tuple[Milestone, ...]:
    return tuple(sorted(milestones, key=Milestone.sort_key))


def _now(now: pendulum.DateTime | None) -> pendulum.DateTime:
    return pendulum.now("UTC") if now is None else now


@attrs.frozen
class Timeline:
    """A call's milestones in time order, the funder's and its institutions' together.

    The questions "what has passed" and "what comes next" are asked for an instant, by
    default now; pendulum's ``travel_to`` moves "now" in tests.
    """

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

    @property
    def deadlines(self) -> tuple[Milestone, ...]:
        """The funder's application deadlines, in time order."""
        return tuple(
            m for m in self.milestones if m.kind is MilestoneKind.DEADLINE and not m.institution
        )

    def for_institution(self, institution: str | None) -> Timeline:
        """The funder's milestones and those of *institution* (``None``: the funder's only)."""
        return Timeline(
            tuple(m for m in self.milestones if m.institution in (None, institution)),
        )

    def passed(self, now: pendulum.DateTime | None = None) -> tuple[Milestone, ...]:
        """The milestones that are over at *now* (a whole day is over when it ends)."""
        moment = _now(now)
        return tuple(m for m in self.milestones if m.end <= moment)

    def upcoming(self, now: pendulum.DateTime | None = None) -> tuple[Milestone, ...]:
        """The milestones not yet over at *now*, in time order; a day counts until it ends."""
        moment = _now(now)
        return tuple(m for m in self.milestones if m.end > moment)

    def next(self, now: pendulum.DateTime | None = None) -> Milestone | None:
        """The first milestone not yet over at *now*, or ``None`` when all have passed."""
        upcoming = self.upcoming(now)
        return upcoming[0] if upcoming else None

    def between(self, start: pendulum.DateTime, end: pendulum.DateTime) -> tuple[Milestone, ...]:
        """The milestones not over at *start* that begin before *end*."""
        return tuple(m for m in self.milestones if m.end > start and m.start < end)
