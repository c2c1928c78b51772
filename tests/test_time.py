"""Time: deadlines in their zones, what is due when, working days, lint and calendars."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

import icalendar
import pendulum
import pytest

import callkit
from callkit import MilestoneKind, NoDeadlineError, Severity
from callkit._cli import main
from callkit._ics import to_ics
from callkit._lint import lint, lint_definition
from callkit._workdays import Rollover, add_working_days, roll, working_day

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

OSLO = "Europe/Oslo"


@pytest.fixture
def travel() -> Iterator[None]:
    """Let a test move 'now' with pendulum.travel_to; go back afterwards."""
    yield
    pendulum.travel_back()


def at(text: str) -> pendulum.DateTime:
    """An instant from ISO 8601 text."""
    value = pendulum.parse(text)
    assert isinstance(value, pendulum.DateTime)
    return value


def definition(intpart: callkit.Call) -> dict[str, Any]:
    """The INTPART definition as plain data, to vary."""
    data: dict[str, Any] = json.loads(json.dumps(callkit.unstructure_call(intpart)))
    return data


def milestone(kind: str, day: str, time: str | None = "13:00", **extra: Any) -> dict[str, Any]:
    """A milestone as plain data, cited to the UiB page."""
    data: dict[str, Any] = {
        "kind": kind,
        "title": {"nb": kind, "en": kind.replace("_", " ").capitalize()},
        "date": day,
        "zone": OSLO,
        "provenance": {"source": "uib"},
        **extra,
    }
    if time is not None:
        data["time"] = time
    return data


def with_milestones(
    intpart: callkit.Call, milestones: list[dict[str, Any]], **changes: Any
) -> callkit.Call:
    """The INTPART call with other funder milestones (and UiB's removed)."""
    data = definition(intpart)
    data["milestones"] = milestones
    data["policies"][0]["milestones"] = []
    data.update(changes)
    return callkit.structure_call(data)


class TestWhatIsDue:
    """Before and after each milestone, with time frozen."""

    @pytest.mark.usefixtures("travel")
    @pytest.mark.parametrize(
        ("now", "next_kind"),
        [
            ("2022-01-01T00:00:00Z", "opens"),
            ("2022-02-02T22:59:59Z", "opens"),  # 23:59:59 in Oslo: the day is not over
            ("2022-02-02T23:00:00Z", "info_session"),  # midnight in Oslo
            ("2022-03-09T22:59:59Z", "internal_deadline"),
            ("2022-03-09T23:00:00Z", "deadline"),
            ("2022-03-16T11:59:59Z", "deadline"),
            ("2022-03-16T12:00:00Z", "earliest_start"),  # 13:00 in Oslo: deadline passed
            ("2027-10-31T22:59:59Z", "latest_end"),
        ],
    )
    def test_next(self, intpart: callkit.Call, now: str, next_kind: str) -> None:
        """The next milestone at each instant; a whole day counts until it ends in Oslo."""
        pendulum.travel_to(at(now), freeze=True)
        upcoming = intpart.timeline.next()
        assert upcoming is not None
        assert upcoming.kind == next_kind

    @pytest.mark.usefixtures("travel")
    def test_all_passed(self, intpart: callkit.Call) -> None:
        """After the latest end, nothing is upcoming and everything has passed."""
        pendulum.travel_to(at("2027-11-01T00:00:00Z"), freeze=True)
        assert intpart.timeline.next() is None
        assert intpart.timeline.upcoming() == ()
        assert len(intpart.timeline.passed()) == len(intpart.timeline)
        assert intpart.next_deadline() is None
        assert intpart.deadline.in_tz("UTC") == at("2022-03-16T12:00:00Z")

    def test_explicit_instant(self, intpart: callkit.Call) -> None:
        """An instant may be given instead of now, in any zone."""
        before = at("2022-03-16T08:59:59-04:00")  # 12:59:59 UTC, New York on summer time
        assert intpart.next_deadline(at("2022-03-16T07:59:59-04:00")) is not None
        assert intpart.next_deadline(before) is None

    def test_in_another_zone(self, intpart: callkit.Call) -> None:
        """The deadline in New York, which had moved to summer time on 13 March 2022."""
        (deadline,) = intpart.timeline.deadlines
        assert deadline.in_tz("America/New_York").isoformat() == "2022-03-16T08:00:00-04:00"
        assert deadline.in_tz("Asia/Tokyo").isoformat() == "2022-03-16T21:00:00+09:00"
        with pytest.raises(ValueError, match="not an IANA time zone"):
            deadline.in_tz("CEST")


class TestDaylightSaving:
    """The week Oslo moves to summer time (27 March 2022) and back (30 October)."""

    def test_offsets_around_the_change(self, intpart: callkit.Call) -> None:
        """13:00 in Oslo is 12:00 UTC before the change and 11:00 UTC after it."""
        call = with_milestones(
            intpart,
            [
                milestone("opens", "2022-03-01", None),
                milestone("deadline", "2022-03-26"),
                milestone("event", "2022-03-28"),
            ],
        )
        saturday, monday = (m.utc for m in call.timeline if m.time is not None)
        assert saturday == at("2022-03-26T12:00:00Z")
        assert monday == at("2022-03-28T11:00:00Z")

    @pytest.mark.parametrize(
        ("day", "time", "says"),
        [("2022-03-27", "02:30", "does not exist"), ("2022-10-30", "02:30", "happens twice")],
    )
    def test_deadline_in_the_gap(
        self, intpart: callkit.Call, day: str, time: str, says: str
    ) -> None:
        """A deadline at a local time that never happens, or happens twice, is refused."""
        with pytest.raises(callkit.DefinitionError, match=says):
            with_milestones(intpart, [milestone("deadline", day, time)])

    def test_lint_reports_the_gap(self, intpart: callkit.Call, tmp_path: Path) -> None:
        """Lint of a definition file with a 02:30 deadline on 27 March reports an error."""
        data = definition(intpart)
        data["milestones"] = [milestone("deadline", "2022-03-27", "02:30")]
        path = tmp_path / "gap.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        (finding,) = lint_definition(path)
        assert finding.severity is Severity.ERROR
        assert "2022-03-27 02:30 does not exist in Europe/Oslo" in finding.message
        assert "milestones[0]" in finding.message

    def test_relative_date_into_the_gap(self, intpart: callkit.Call) -> None:
        """A date counted from another that puts 02:30 on 27 March 2022 is refused."""
        event = milestone("event", "x", "02:30", calendar="NO")
        del event["date"]
        event["relative"] = {"of": "sunday", "working_days": 0}
        with pytest.raises(callkit.DefinitionError, match="does not exist"):
            with_milestones(
                intpart,
                [
                    milestone("opens", "2022-03-27", None, id="sunday"),
                    milestone("deadline", "2022-04-01"),
                    event,
                ],
            )


class TestWorkingDays:
    """Working days in Norway's calendar, across Easter 2022 and Christmas."""

    def test_easter(self) -> None:
        """Maundy Thursday, Good Friday and Easter Monday are not working days."""
        assert not working_day(dt.date(2022, 4, 14), "NO")
        assert not working_day(dt.date(2022, 4, 15), "NO")
        assert not working_day(dt.date(2022, 4, 18), "NO")
        assert working_day(dt.date(2022, 4, 13), "NO")
        assert add_working_days(dt.date(2022, 4, 19), -5, "NO") == dt.date(2022, 4, 7)
        assert add_working_days(dt.date(2022, 4, 13), 1, "NO") == dt.date(2022, 4, 19)

    def test_christmas(self) -> None:
        """Christmas Day, Boxing Day and New Year's Day are not working days."""
        assert add_working_days(dt.date(2023, 1, 2), -3, "NO") == dt.date(2022, 12, 28)
        assert add_working_days(dt.date(2022, 12, 23), 1, "NO") == dt.date(2022, 12, 27)

    @pytest.mark.parametrize(
        ("rollover", "expected"),
        [
            (Rollover.NONE, dt.date(2022, 4, 15)),
            (Rollover.PREVIOUS, dt.date(2022, 4, 13)),
            (Rollover.NEXT, dt.date(2022, 4, 19)),
        ],
    )
    def test_rollover(self, rollover: Rollover, expected: dt.date) -> None:
        """A date on Good Friday stays, or moves to Wednesday before or Tuesday after."""
        assert roll(dt.date(2022, 4, 15), rollover, "NO") == expected

    def test_unknown_country(self) -> None:
        """A country with no holiday calendar is a clear error."""
        with pytest.raises(ValueError, match="no public holiday calendar"):
            working_day(dt.date(2022, 1, 3), "XX")

    def test_internal_deadline_in_working_days(self, intpart: callkit.Call) -> None:
        """UiB's deadline five working days before an Easter deadline is counted in Norway."""
        data = definition(intpart)
        data["milestones"] = [
            milestone("opens", "2022-03-01", None),
            milestone("deadline", "2022-04-19", id="deadline"),
        ]
        internal = milestone("internal_deadline", "x", "12:00")
        del internal["date"]
        internal["relative"] = {"of": "deadline", "working_days": -5}
        data["policies"][0]["milestones"] = [internal]
        call = callkit.structure_call(data)
        (worked_out,) = call.timeline.of_kind(MilestoneKind.INTERNAL_DEADLINE)
        assert worked_out.at == pendulum.datetime(2022, 4, 7, 12, tz=OSLO)
        assert worked_out.institution == "UiB"
        assert callkit.structure_call(callkit.unstructure_call(call)) == call

    def test_rollover_in_data(self, intpart: callkit.Call) -> None:
        """A milestone on a public holiday rolls to the working day its definition names."""
        call = with_milestones(
            intpart,
            [
                milestone("opens", "2022-04-15", None, rollover="next", calendar="NO"),
                milestone("deadline", "2022-05-17", rollover="previous", calendar="NO"),
            ],
        )
        opens, deadline = call.timeline
        assert opens.at == dt.date(2022, 4, 19)
        assert deadline.at == pendulum.datetime(2022, 5, 16, 13, tz=OSLO)

    @pytest.mark.parametrize(
        ("relative", "says"),
        [
            ({"of": "nowhere", "working_days": -1}, "the id of no milestone"),
            ({"of": "loop", "working_days": -1}, "go round in a circle"),
        ],
    )
    def test_bad_references(
        self, intpart: callkit.Call, relative: dict[str, Any], says: str
    ) -> None:
        """A count from an unknown milestone, or from itself, is refused."""
        event = milestone("event", "x", None, id="loop", calendar="NO", relative=relative)
        del event["date"]
        with pytest.raises(callkit.DefinitionError, match=says):
            with_milestones(intpart, [milestone("deadline", "2022-03-16"), event])

    def test_needs_a_calendar(self, intpart: callkit.Call) -> None:
        """A funder milestone counted in working days must name its calendar."""
        event = milestone("event", "x", None, relative={"of": "d", "working_days": -1})
        del event["date"]
        with pytest.raises(callkit.DefinitionError, match="names no calendar"):
            with_milestones(intpart, [milestone("deadline", "2022-03-16", id="d"), event])


class TestDeadlineModels:
    """One deadline, two stages, cut-off dates, and permanently open calls."""

    def test_single(self, intpart: callkit.Call) -> None:
        """INTPART 2022 has one deadline."""
        assert intpart.deadline_model == "single"

    @pytest.mark.usefixtures("travel")
    def test_two_stage(self, intpart: callkit.Call) -> None:
        """An outline and a full proposal: the deadline is the next stage's."""
        call = with_milestones(
            intpart,
            [
                milestone("deadline", "2022-03-16", stage="outline"),
                milestone("deadline", "2022-09-14", stage="full"),
            ],
        )
        assert call.deadline_model == "two_stage"
        pendulum.travel_to(at("2022-03-01T00:00:00Z"), freeze=True)
        assert call.deadline == pendulum.datetime(2022, 3, 16, 13, tz=OSLO)
        pendulum.travel_to(at("2022-04-01T00:00:00Z"), freeze=True)
        assert call.deadline == pendulum.datetime(2022, 9, 14, 13, tz=OSLO)

    def test_stages_must_pair(self, intpart: callkit.Call) -> None:
        """A two-stage call has exactly one outline and one full deadline."""
        with pytest.raises(callkit.DefinitionError, match="one 'outline' and one 'full'"):
            with_milestones(intpart, [milestone("deadline", "2022-03-16", stage="outline")])

    @pytest.mark.usefixtures("travel")
    def test_cutoffs(self, intpart: callkit.Call) -> None:
        """Several cut-off dates: the deadline is the next one, then the last."""
        call = with_milestones(
            intpart,
            [milestone("deadline", d) for d in ("2022-02-01", "2022-06-01", "2022-10-03")],
        )
        assert call.deadline_model == "cutoffs"
        pendulum.travel_to(at("2022-02-01T12:00:00Z"), freeze=True)
        assert call.deadline.month == 6
        pendulum.travel_to(at("2023-01-01T00:00:00Z"), freeze=True)
        assert call.next_deadline() is None
        assert call.deadline.month == 10

    def test_continuous(self, intpart: callkit.Call) -> None:
        """A permanently open call has no deadline, and says so."""
        call = with_milestones(intpart, [milestone("opens", "2022-01-01", None)], continuous=True)
        assert call.deadline_model == "continuous"
        assert call.next_deadline() is None
        with pytest.raises(NoDeadlineError, match="permanently open"):
            _ = call.deadline

    def test_deadline_needed(self, intpart: callkit.Call) -> None:
        """A call that is not permanently open needs a deadline."""
        with pytest.raises(callkit.DefinitionError, match="needs a funder deadline"):
            with_milestones(intpart, [milestone("opens", "2022-01-01", None)])


class TestLint:
    """Lint names the milestone and its source for each suspicious thing."""

    def test_intpart_cest_label(self, intpart: callkit.Call) -> None:
        """The seed's '13:00 CEST' on 16 March 2022 is a warning: Oslo was on CET."""
        (finding,) = lint(intpart)
        assert finding.code == "zone-label"
        assert finding.severity is Severity.WARNING
        assert "CET (UTC+01:00), not CEST" in finding.message
        assert "2022-03-16 12:00 UTC" in finding.message
        assert finding.milestone is not None
        assert "Application deadline" in finding.milestone
        assert finding.source is not None
        assert finding.source.source == "uib"

    def test_matching_label(self, intpart: callkit.Call) -> None:
        """A label that matches the zone on that date is no finding."""
        call = with_milestones(
            intpart, [milestone("deadline", "2022-05-16", published="16.05 kl. 13:00 CEST")]
        )
        assert lint(call) == []

    def test_wrong_weekday(self, intpart: callkit.Call) -> None:
        """'tirsdag 09. mars' is an error: 9 March 2022 was a Wednesday."""
        data = definition(intpart)
        data["policies"][0]["milestones"][0]["published"] = "tirsdag 09. mars"
        findings = [f for f in lint(callkit.structure_call(data)) if f.code == "weekday"]
        (finding,) = findings
        assert finding.severity is Severity.ERROR
        assert "Wednesday" in finding.message

    def test_internal_after_deadline(self, intpart: callkit.Call) -> None:
        """An internal deadline after the funder's deadline is an error."""
        data = definition(intpart)
        data["policies"][0]["milestones"][0]["date"] = "2022-03-17"
        data["policies"][0]["milestones"][0]["published"] = None
        (finding,) = [
            f for f in lint(callkit.structure_call(data)) if f.code == "internal-after-deadline"
        ]
        assert finding.severity is Severity.ERROR
        assert "UiB" in (finding.milestone or "")

    def test_out_of_order(self, intpart: callkit.Call) -> None:
        """A call that opens after its deadline is out of order."""
        call = with_milestones(
            intpart, [milestone("opens", "2022-04-01", None), milestone("deadline", "2022-03-16")]
        )
        (finding,) = lint(call)
        assert finding.code == "out-of-order"

    def test_naive_day(self, intpart: callkit.Call) -> None:
        """A whole day without a zone is a warning."""
        opens = milestone("opens", "2022-02-01", None)
        del opens["zone"]
        call = with_milestones(intpart, [opens, milestone("deadline", "2022-03-16")])
        (finding,) = lint(call)
        assert (finding.code, finding.severity) == ("naive", Severity.WARNING)

    def test_command(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The lint command prints the warning, and exits 0 as there is no error."""
        assert main(["lint", "intpart-2022", "--format", "json"]) == 0
        (finding,) = json.loads(capsys.readouterr().out)
        assert finding["code"] == "zone-label"
        assert finding["source"]["url"] == "https://www.uib.no/internasjonalt/146026/intpart"

    def test_command_on_broken_file(
        self, intpart: callkit.Call, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Lint of a definition file with an error exits 1."""
        data = definition(intpart)
        data["milestones"].append(milestone("deadline", "2022-03-27", "02:30"))
        path = tmp_path / "call.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        assert main(["lint", str(path)]) == 1
        assert "does not exist" in capsys.readouterr().out


def _events(ics: bytes) -> dict[str, icalendar.Component]:
    calendar = icalendar.Calendar.from_ical(ics)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


class TestCalendar:
    """The timeline as an iCalendar file, read back with icalendar."""

    def test_deadline_instant(self, intpart: callkit.Call) -> None:
        """The deadline event is at 13:00 Oslo time, which is 12:00 UTC."""
        events = _events(to_ics(intpart, intpart.timeline))
        start = events["intpart-2022.deadline@callkit"].decoded("DTSTART")
        assert start == dt.datetime(2022, 3, 16, 12, tzinfo=dt.UTC)
        assert str(start.tzinfo) == OSLO
        assert start.hour == 13

    def test_timezone_component(self, intpart: callkit.Call) -> None:
        """The file carries a VTIMEZONE for Europe/Oslo."""
        calendar = icalendar.Calendar.from_ical(to_ics(intpart, intpart.timeline))
        assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == [OSLO]

    def test_whole_days(self, intpart: callkit.Call) -> None:
        """Date-only milestones are all-day events."""
        events = _events(to_ics(intpart, intpart.timeline))
        opens = events["intpart-2022.opens@callkit"]
        assert opens.decoded("DTSTART") == dt.date(2022, 2, 2)
        assert opens.decoded("DTEND") == dt.date(2022, 2, 3)

    def test_stable_unique_uids(self, intpart: callkit.Call) -> None:
        """Two exports give the same UIDs, one per milestone."""
        first = to_ics(intpart, intpart.timeline)
        assert first == to_ics(intpart, intpart.timeline)
        assert len(_events(first)) == len(intpart.timeline)

    def test_reminders_and_sources(self, intpart: callkit.Call) -> None:
        """Each deadline has a reminder; each event cites its source."""
        events = _events(to_ics(intpart, intpart.timeline))
        deadline = events["intpart-2022.deadline@callkit"]
        (alarm,) = deadline.walk("VALARM")
        assert alarm.decoded("TRIGGER") == dt.timedelta(days=-2)
        assert events["intpart-2022.opens@callkit"].walk("VALARM") == []
        for event in events.values():
            assert "Source: https://" in str(event["DESCRIPTION"])

    def test_command(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The timeline command writes ICS; --institution adds UiB's milestones."""
        assert main(["timeline", "intpart-2022", "--format", "ics"]) == 0
        funder = _events(capsys.readouterr().out.encode())
        assert main(["timeline", "intpart-2022", "--format", "ics", "--institution", "UiB"]) == 0
        with_uib = _events(capsys.readouterr().out.encode())
        assert set(with_uib) - set(funder) == {
            "intpart-2022.internal_deadline-uib@callkit",
            "intpart-2022.submission-uib@callkit",
        }


class TestCommands:
    """callkit timeline --tz and callkit upcoming."""

    def test_timeline_in_another_zone(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--tz shows the instants in that zone; the UTC stays the same."""
        assert (
            main(["timeline", "intpart-2022", "--tz", "America/New_York", "--format", "json"]) == 0
        )
        deadline = next(m for m in json.loads(capsys.readouterr().out) if m["kind"] == "deadline")
        assert deadline["at"] == "2022-03-16T08:00:00-04:00"
        assert deadline["utc"] == "2022-03-16T12:00:00Z"
        assert deadline["zone"] == OSLO

    def test_bad_zone(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An abbreviation is not a zone: exit 2 with one line."""
        assert main(["timeline", "intpart-2022", "--tz", "CEST"]) == 2
        assert "'CEST' is not an IANA time zone" in capsys.readouterr().err

    def test_upcoming(self, capsys: pytest.CaptureFixture[str]) -> None:
        """From 1 March 2022, 10 days ahead: UiB's internal deadline, if asked for."""
        args = ["upcoming", "--now", "2022-03-01", "--days", "10", "--format", "json"]
        assert main(args) == 0
        assert json.loads(capsys.readouterr().out) == []
        assert main([*args, "--institution", "UiB"]) == 0
        (item,) = json.loads(capsys.readouterr().out)
        assert (item["call"], item["kind"], item["at"]) == (
            "intpart-2022",
            "internal_deadline",
            "2022-03-09",
        )

    @pytest.mark.usefixtures("travel")
    def test_upcoming_from_now(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Without --now, the look-ahead starts now."""
        pendulum.travel_to(at("2022-03-10T00:00:00Z"), freeze=True)
        assert main(["upcoming", "--days", "7"]) == 0
        out = capsys.readouterr().out
        assert "Application deadline" in out
        assert "Wed 16 Mar 2022 13:00 Europe/Oslo" in out


class TestZoneLabels:
    """A label fits when it names the zone's offset that day, whatever the abbreviation."""

    @pytest.mark.parametrize(
        ("zone", "day", "published"),
        [
            ("America/Sao_Paulo", "2022-03-16", "16.03 13:00 BRT"),
            ("America/Argentina/Buenos_Aires", "2022-03-16", "13:00 ART"),
            ("Europe/Oslo", "2022-03-16", "kl. 13:00 (CET/CEST)"),
            ("Europe/London", "2022-03-16", "13:00 GMT"),
            ("Asia/Kolkata", "2022-03-16", "13:00 IST"),
        ],
    )
    def test_fitting(self, intpart: callkit.Call, zone: str, day: str, published: str) -> None:
        """No finding for a label that stands for the right offset."""
        call = with_milestones(
            intpart, [milestone("deadline", day, zone=zone, published=published)]
        )
        assert lint(call) == []

    def test_wrong_offset(self, intpart: callkit.Call) -> None:
        """GMT for a time in Oslo in March is a warning."""
        call = with_milestones(
            intpart, [milestone("deadline", "2022-03-16", published="13:00 GMT")]
        )
        (finding,) = lint(call)
        assert finding.code == "zone-label"


class TestListingSummary:
    """The summary `callkit calls` reads from data agrees with the loaded call."""

    @pytest.mark.parametrize(
        ("milestones", "changes"),
        [
            ([milestone("deadline", "2022-03-16")], {}),
            (
                [
                    milestone("deadline", "2022-03-16", stage="outline"),
                    milestone("deadline", "2022-09-14", stage="full"),
                ],
                {},
            ),
            ([milestone("deadline", d) for d in ("2022-02-01", "2022-06-01")], {}),
            ([milestone("opens", "2022-01-01", None)], {"continuous": True}),
        ],
    )
    def test_models(
        self, intpart: callkit.Call, milestones: list[dict[str, Any]], changes: dict[str, Any]
    ) -> None:
        """Single, two-stage, cut-offs and permanently open calls."""
        from callkit import _summary  # noqa: PLC0415

        data = definition(intpart)
        data["milestones"] = milestones
        data["policies"][0]["milestones"] = []
        data.update(changes)
        loaded = callkit.structure_call(data)
        assert _summary.from_data(data) == _summary.from_call(loaded)

    def test_relative_deadline_needs_the_model(self, intpart: callkit.Call) -> None:
        """A deadline counted in working days is left to the loaded call."""
        from callkit import _summary  # noqa: PLC0415

        data = definition(intpart)
        data["milestones"][2]["rollover"] = "previous"
        data["milestones"][2]["calendar"] = "NO"
        assert _summary.from_data(data) is None
