"""What ``callkit calls`` lists of each call: its id, titles and deadline.

For a call that is a definition file, the summary is read from the file's data, with its
amendments applied as plain dict operations, so that listing many calls loads neither the
model nor the plugins' code. A call whose deadlines need working out (counted in working
days), and every call that is code, is summarised from the loaded call instead.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, NamedTuple
from zoneinfo import ZoneInfo

from callkit._i18n import Language, tr

if TYPE_CHECKING:
    from callkit._call import Call


class CallSummary(NamedTuple):
    """A call as ``callkit calls`` lists it; ``deadlines`` are aware, in time order."""

    id: str
    title: str
    title_nb: str
    programme: str
    deadline_model: str
    deadlines: tuple[dt.datetime, ...]

    def deadline(self, now: dt.datetime | None = None) -> dt.datetime | None:
        """The next deadline at *now* (default now), the last one if all have passed."""
        if not self.deadlines:
            return None
        moment = now or dt.datetime.now(dt.UTC)
        upcoming = [d for d in self.deadlines if d > moment]
        return upcoming[0] if upcoming else self.deadlines[-1]


def _model(deadlines: int, staged: bool) -> str:  # noqa: FBT001
    if not deadlines:
        return "continuous"
    if staged:
        return "two_stage"
    return "single" if deadlines == 1 else "cutoffs"


def _as(kind: type[Any], value: Any) -> Any:  # noqa: ANN401
    return value if isinstance(value, kind) else kind.fromisoformat(str(value))


def from_data(data: dict[str, Any]) -> CallSummary | None:
    """The summary of a definition's latest version, or ``None`` if it needs the model.

    *data* is changed in place (the amendments are applied to it): pass data read for
    the purpose. Raises ``KeyError``, ``TypeError`` or ``ValueError`` for data that is not
    a valid definition; the caller then loads the call to report it properly.
    """
    from callkit._changes import apply  # noqa: PLC0415  (not needed when the cache has it)

    latest = data
    for amendment in data.get("amendments", []):
        for change in amendment["changes"]:
            apply(latest, change["op"], change["path"], change.get("value"))
    deadlines = []
    staged = False
    for milestone in latest.get("milestones", []):
        if milestone["kind"] != "deadline":
            continue
        if milestone.get("relative") or milestone.get("rollover", "none") != "none":
            return None
        day = _as(dt.date, milestone["date"])
        time = _as(dt.time, milestone["time"])
        deadlines.append(dt.datetime.combine(day, time, tzinfo=ZoneInfo(milestone["zone"])))
        staged = staged or bool(milestone.get("stage"))
    return CallSummary(
        id=str(latest["id"]),
        title=str(latest["title"]["en"]),
        title_nb=str(latest["title"]["nb"]),
        programme=str(latest["programme"]["en"]),
        deadline_model=_model(len(deadlines), staged),
        deadlines=tuple(sorted(deadlines)),
    )


def from_call(call: Call) -> CallSummary:
    """The summary of a loaded call."""
    deadlines = []
    for m in call.timeline.deadlines:
        assert m.time is not None  # noqa: S101  (a funder deadline has a time: validated)
        assert m.zone is not None  # noqa: S101
        deadlines.append(dt.datetime.combine(m.day, m.time, tzinfo=ZoneInfo(m.zone)))
    return CallSummary(
        id=call.id,
        title=call.title.en,
        title_nb=call.title.nb,
        programme=call.programme.en,
        deadline_model=call.deadline_model,
        deadlines=tuple(deadlines),
    )


def render(summaries: list[CallSummary], lang: Language = "en") -> str:
    """One line per call: id, next (or last) deadline, title in *lang*."""
    rows = [(tr("Call", lang), tr("Deadline", lang), tr("Title", lang))]
    for s in summaries:
        deadline = s.deadline()
        when = (
            f"{deadline:%Y-%m-%d %H:%M} {deadline.tzinfo}"
            if deadline
            else tr("permanently open", lang)
        )
        rows.append((s.id, when, s.title_nb if lang == "nb" else s.title))
    widths = [max(len(r[i]) for r in rows) for i in range(2)]
    return "\n".join(
        f"{r[0].ljust(widths[0])}  {r[1].ljust(widths[1])}  {r[2]}".rstrip() for r in rows
    )
