"""Timelines as iCalendar files (RFC 5545), built with the ``icalendar`` package.

Each milestone is one event with a UID that stays the same from one export to the next, so
that importing a newer export updates the events rather than adding new ones. Timed events
carry their zone (with a VTIMEZONE for each zone used), whole days are all-day events, each
deadline has a reminder, and each event's description cites its source.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import TYPE_CHECKING

from callkit._timeline import MilestoneKind, zone_info

if TYPE_CHECKING:
    from collections.abc import Iterable

    from callkit._call import Call
    from callkit._timeline import Milestone

_EPOCH = dt.date(2000, 1, 1)

REMINDER = dt.timedelta(days=-2)
"""When the reminder of a deadline goes off, relative to the deadline."""

_REMINDED = frozenset(
    {MilestoneKind.DEADLINE, MilestoneKind.INTERNAL_DEADLINE, MilestoneKind.SUBMISSION}
)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "x"


def event_keys(milestones: Iterable[Milestone]) -> list[str]:
    """A stable key per milestone: its id, or its kind, stage and institution (numbered)."""
    keys = []
    for m in milestones:
        if m.id:
            keys.append(_slug(m.id))
            continue
        parts = [str(m.kind), m.stage or "", _slug(m.institution) if m.institution else ""]
        keys.append("-".join(p for p in parts if p))
    seen: Counter[str] = Counter()
    numbered = []
    for key in keys:
        seen[key] += 1
        numbered.append(key if seen[key] == 1 else f"{key}-{seen[key]}")
    return numbered


def _description(call: Call, m: Milestone) -> str:
    citation = call.cite(m.provenance)
    lines = [f"{call.title.en}", f"{m.title.nb} / {m.title.en}"]
    if m.published:
        lines.append(f"Published as: {m.published}")
    if citation.quote:
        lines.append(f"\u201c{citation.quote}\u201d")
    if citation.gloss:
        lines.append(f"({citation.gloss})")
    if citation.note:
        lines.append(f"Note: {citation.note}")
    lines.append(f"Source: {citation.url}")
    return "\n".join(lines)


def to_ics(call: Call, milestones: Iterable[Milestone]) -> bytes:
    """The *milestones* of *call* as an iCalendar file."""
    from icalendar import Alarm, Calendar, Event  # noqa: PLC0415  (only when asked for)

    from callkit._version import __version__  # noqa: PLC0415

    items = list(milestones)
    calendar = Calendar()
    calendar.add("prodid", f"-//callkit//callkit {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{call.id}: {call.title.en}")
    # The version of the call dates the events: a newer version has a later stamp and a
    # higher sequence, so that calendars take its events as updates of the older ones.
    stamp = dt.datetime.combine(call.effective, dt.time(), tzinfo=dt.UTC)
    sequence = (call.effective - _EPOCH).days
    for key, m in zip(event_keys(items), items, strict=True):
        event = Event()
        event.add("uid", f"{call.id}.{key}@callkit")
        event.add("dtstamp", stamp)
        event.add("last-modified", stamp)
        event.add("sequence", sequence)
        who = f" ({m.institution})" if m.institution else ""
        event.add("summary", f"{call.id}: {m.title.en}{who}")
        if m.time is None or m.zone is None:
            event.add("dtstart", m.day)
            event.add("dtend", m.day + dt.timedelta(days=1))
            event.add("transp", "TRANSPARENT")
        else:
            start = dt.datetime.combine(m.day, m.time, tzinfo=zone_info(m.zone))
            event.add("dtstart", start)
            event.add("dtend", start)
        event.add("description", _description(call, m))
        event.add("url", call.cite(m.provenance).url)
        event.add("categories", [str(m.kind)])
        if m.kind in _REMINDED:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"{m.title.en}{who}: {call.id}")
            alarm.add("trigger", REMINDER)
            event.add_component(alarm)
        calendar.add_component(event)
    if items:
        days = [m.day for m in items]
        calendar.add_missing_timezones(
            first_date=dt.date(min(days).year - 1, 1, 1),
            last_date=dt.date(max(days).year + 2, 1, 1),
        )
    data: bytes = calendar.to_ical()
    return data
