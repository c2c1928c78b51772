"""The model: definitions round-trip as plain data, and invalid ones are refused clearly."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pendulum
import pytest
from hypothesis import given, settings

import callkit
from callkit import DefinitionError, MilestoneKind, Severity
from strategies import applications, calls

if TYPE_CHECKING:
    from pathlib import Path


class TestRoundTrip:
    """structure(unstructure(call)) == call, through JSON too."""

    def test_intpart_through_json(self, intpart: callkit.Call) -> None:
        """The shipped call survives JSON exactly, amounts and all."""
        data = json.loads(json.dumps(callkit.unstructure_call(intpart)))
        assert callkit.structure_call(data) == intpart

    def test_amounts_are_strings(self, intpart: callkit.Call) -> None:
        """Amounts unstructure as exact decimal strings, never floats."""
        data = callkit.unstructure_call(intpart)
        rule = next(r for r in data["rules"] if r["id"] == "own-share")
        assert rule["minimum_fraction"] == "0.20"
        assert rule["kind"] == "own_share"

    @settings(max_examples=60, deadline=None)
    @given(calls())
    def test_any_call(self, call: callkit.Call) -> None:
        """Any valid call round-trips through JSON."""
        data = json.loads(json.dumps(callkit.unstructure_call(call)))
        assert callkit.structure_call(data) == call

    def test_converter_is_not_shared(self) -> None:
        """make_converter builds a new converter each time."""
        assert callkit.make_converter() is not callkit.make_converter()


class TestChecksNeverCrash:
    """Checking any application against any call gives findings, not exceptions."""

    @settings(max_examples=60, deadline=None)
    @given(calls(), applications)
    def test_any_application(self, call: callkit.Call, app: callkit.Application) -> None:
        """Every finding names a known rule and a severity; ok agrees with the errors."""
        report = call.check(app)
        rule_ids = {r.id for r in call.rules} | {r.id for p in call.policies for r in p.rules}
        assert {f.rule for f in report.findings} <= rule_ids
        assert report.ok == (not any(f.severity is Severity.ERROR for f in report.findings))
        assert set(report.passed).isdisjoint({f.rule for f in report.findings})
        # Naming a field no rule reads as unread takes the general path: the same report.
        assert call.check(app, {"no such field"}) == report


def _definition(intpart: callkit.Call) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json.dumps(callkit.unstructure_call(intpart)))
    return data


class TestInvalidDefinitions:
    """A broken definition is refused with every problem named by its key path."""

    def test_unknown_source_key(self, intpart: callkit.Call) -> None:
        """A rule citing a source the call does not list names the rule."""
        data = _definition(intpart)
        data["rules"][3]["provenance"]["source"] = "nowhere"
        with pytest.raises(DefinitionError, match=r"rules\[3\]\.provenance\.source: 'nowhere'"):
            callkit.structure_call(data)

    def test_unknown_key(self, intpart: callkit.Call) -> None:
        """A misspelt key is refused rather than silently ignored."""
        data = _definition(intpart)
        data["rules"][0]["countrys"] = ["NO"]
        with pytest.raises(DefinitionError) as caught:
            callkit.structure_call(data, origin="my.toml")
        assert "my.toml" in str(caught.value)
        assert any("countrys" in p for p in caught.value.problems)

    def test_bad_amount_path(self, intpart: callkit.Call) -> None:
        """An amount that is not a number names its path."""
        data = _definition(intpart)
        data["rules"][3]["maximum"]["amount"] = "two million"
        with pytest.raises(DefinitionError) as caught:
            callkit.structure_call(data)
        assert any("rules[3]" in p and "maximum" in p for p in caught.value.problems)

    def test_unknown_rule_kind(self, intpart: callkit.Call) -> None:
        """A rule of an unknown kind is refused."""
        data = _definition(intpart)
        data["rules"][0]["kind"] = "horoscope"
        with pytest.raises(DefinitionError, match="horoscope"):
            callkit.structure_call(data)

    def test_duplicate_rule_id(self, intpart: callkit.Call) -> None:
        """Two rules with one id would make findings ambiguous."""
        data = _definition(intpart)
        data["rules"][1]["id"] = data["rules"][0]["id"]
        with pytest.raises(DefinitionError, match="used by more than one rule"):
            callkit.structure_call(data)

    def test_deadline_needs_time(self, intpart: callkit.Call) -> None:
        """A funder deadline on a date alone has no instant, and is refused."""
        data = _definition(intpart)
        deadline = next(m for m in data["milestones"] if m["kind"] == "deadline")
        deadline["time"] = None
        with pytest.raises(DefinitionError, match="needs a time and a zone"):
            callkit.structure_call(data)

    def test_unknown_zone(self, intpart: callkit.Call) -> None:
        """An abbreviation such as CEST is not a zone."""
        data = _definition(intpart)
        data["milestones"][0]["zone"] = "CEST"
        with pytest.raises(DefinitionError, match="'CEST' is not an IANA time zone"):
            callkit.structure_call(data)

    def test_load_call_reports_bad_toml(self, tmp_path: Path) -> None:
        """A definition file that is not TOML names the file."""
        path = tmp_path / "broken.toml"
        path.write_text("id = ", encoding="utf-8")
        with pytest.raises(DefinitionError, match=r"broken\.toml"):
            callkit.load_call(path)


def _milestone(**changes: Any) -> callkit.Milestone:
    values: dict[str, Any] = {
        "kind": MilestoneKind.DEADLINE,
        "title": callkit.Text(nb="Frist", en="Deadline"),
        "date": dt.date(2022, 3, 16),
        "provenance": callkit.Provenance(source="a"),
        "zone": "Europe/Oslo",
        "time": dt.time(13),
    }
    values.update(changes)
    return callkit.Milestone(**values)


class TestMilestone:
    """Milestones are aware: a local time with an IANA zone, or a whole day."""

    def test_aware(self) -> None:
        """The instant is aware in its zone, and its UTC is derived."""
        m = _milestone()
        assert isinstance(m.at, pendulum.DateTime)
        assert m.at.timezone_name == "Europe/Oslo"
        assert m.utc == pendulum.datetime(2022, 3, 16, 12, tz="UTC")
        assert m.isoformat() == "2022-03-16T13:00:00+01:00"

    def test_summer_time(self) -> None:
        """After the change to summer time, 13:00 in Oslo is 11:00 UTC."""
        assert _milestone(date=dt.date(2022, 3, 28)).utc == pendulum.datetime(
            2022, 3, 28, 11, tz="UTC"
        )

    def test_time_needs_zone(self) -> None:
        """A time without a zone is refused."""
        with pytest.raises(ValueError, match="has a time but no zone"):
            _milestone(zone=None)

    def test_offset_is_not_a_zone(self) -> None:
        """A time with a fixed offset is refused: the zone decides the offset."""
        with pytest.raises(ValueError, match="local time"):
            _milestone(time=dt.time(13, tzinfo=dt.UTC))

    def test_time_that_does_not_exist(self) -> None:
        """02:30 on 27 March 2022 never happened in Oslo: clocks went from 02:00 to 03:00."""
        with pytest.raises(ValueError, match="does not exist in Europe/Oslo"):
            _milestone(date=dt.date(2022, 3, 27), time=dt.time(2, 30))

    def test_time_that_happens_twice(self) -> None:
        """02:30 on 30 October 2022 happened twice in Oslo."""
        with pytest.raises(ValueError, match="happens twice in Europe/Oslo"):
            _milestone(date=dt.date(2022, 10, 30), time=dt.time(2, 30))

    def test_whole_day(self) -> None:
        """A milestone without a time is a whole day, given as a date."""
        m = _milestone(kind=MilestoneKind.INTERNAL_DEADLINE, time=None)
        assert m.whole_day
        assert m.at == dt.date(2022, 3, 16)
        assert m.utc is None
        assert m.isoformat() == "2022-03-16"


class TestRuleParameters:
    """Rule parameters that would make findings wrong are refused."""

    def test_info_severity_refused(self, intpart: callkit.Call) -> None:
        """A rule cannot fail with 'info': that severity means 'not assessed'."""
        data = _definition(intpart)
        data["rules"][0]["severity"] = "info"
        with pytest.raises(DefinitionError, match="'error' or 'warning'"):
            callkit.structure_call(data)

    def test_limit_in_other_currency(self, intpart: callkit.Call) -> None:
        """A limit in another currency than the call's is refused."""
        data = _definition(intpart)
        data["rules"][3]["maximum"]["currency"] = "EUR"
        with pytest.raises(DefinitionError, match=r"rules\[3\]\.maximum\.currency: 'EUR'"):
            callkit.structure_call(data)

    def test_describe(self, intpart: callkit.Call) -> None:
        """Each rule says in a sentence what it asks."""
        assert intpart.rule("applicant-institution").describe() == (
            "a university, university college, research institute or other research "
            "organisation in Norway"
        )
        assert "at most NOK 2 000 000" in intpart.rule("budget-per-year").describe()


class TestStrictDefinitions:
    """A definition gives text, numbers, yes/no and lists as such; nothing is coerced."""

    @pytest.mark.parametrize(
        ("change", "says"),
        [
            (lambda d: d["rules"][0].__setitem__("countries", "NO"), "expected a list"),
            (lambda d: d["policies"][0].__setitem__("names", "UiB"), "expected a list"),
            (lambda d: d["policies"][0]["quota"].__setitem__("limit", 20.9), "whole number"),
            (lambda d: d["policies"][0]["quota"].__setitem__("limit", True), "whole number"),  # noqa: FBT003
            (lambda d: d["title"].__setitem__("en", ["x"]), "expected text"),
            (lambda d: d["milestones"][0].__setitem__("kind", "party"), "'party' is not one"),
            (lambda d: d["rules"][0].__setitem__("countries", ["Norway"]), "ISO 3166"),
            (lambda d: d["policies"][0].__setitem__("country", "no"), "ISO 3166"),
        ],
    )
    def test_refused(self, intpart: callkit.Call, change: Any, says: str) -> None:
        """Each wrongly typed value is refused with its key path."""
        data = _definition(intpart)
        change(data)
        with pytest.raises(DefinitionError, match=says):
            callkit.structure_call(data)

    def test_not_a_table(self) -> None:
        """A definition that is not a table of keys is refused, not a crash."""
        with pytest.raises(DefinitionError, match="table of keys"):
            callkit.structure_call([])

    def test_microseconds_round_trip(self) -> None:
        """A time with fractions of a second survives the round-trip."""
        converter = callkit.make_converter()
        value = dt.time(13, 0, 0, 500_000)
        assert converter.structure(converter.unstructure(value), dt.time) == value


class TestApplicationValues:
    """Applications built in Python get exact amounts and upper-case codes."""

    def test_converted(self) -> None:
        """Numbers and text become decimals; codes are upper-cased."""
        app = callkit.Application(
            title="A",
            institution="UiB",
            requested_per_year=1.5,
            own_share="2000",
            institution_country="no",
            partner_countries=["br"],
            currency="nok",
        )
        assert app.requested_per_year == Decimal("1.5")
        assert app.own_share == Decimal(2000)
        assert (app.institution_country, app.partner_countries, app.currency) == (
            "NO",
            ("BR",),
            "NOK",
        )

    def test_yes_no_must_be_bool(self) -> None:
        """'no' is not a boolean: it would otherwise count as yes."""
        with pytest.raises(TypeError):
            callkit.Application(title="A", institution="UiB", research="no")  # type: ignore[arg-type]

    def test_country_names_refused(self) -> None:
        """A country name is for the readers; the model takes codes."""
        with pytest.raises(ValueError, match="ISO 3166"):
            callkit.Application(title="A", institution="UiB", partner_countries=["Brazil"])


def test_custom_rule_kind_may_not_shadow_a_built_in_one() -> None:
    """A plugin's rule class with a built-in kind is refused, not silently preferred."""

    class Shadow(callkit.AmountRule):
        """An amount rule in disguise."""

    with pytest.raises(ValueError, match="built in"):
        callkit.make_converter(rules=[Shadow])


class TestSharedRuleIds:
    """A policy's rule may share its id with a call's: the id passes only if both pass."""

    def test_one_fails(self, intpart: callkit.Call) -> None:
        """The call's duration rule passes, the policy's rule of that id fails."""
        data = _definition(intpart)
        data["policies"][0]["rules"][0]["id"] = "duration"
        call = callkit.structure_call(data)
        app = callkit.Application(title="A", institution="UiB", duration_years=Decimal(3))
        report = call.check(app)
        assert "duration" not in report.passed
        assert {f.rule for f in report.findings if f.is_error} == {"duration"}

    def test_both_pass(self, intpart: callkit.Call) -> None:
        """Both pass: the id is listed once."""
        data = _definition(intpart)
        data["policies"][0]["rules"][0]["id"] = "duration"
        call = callkit.structure_call(data)
        app = callkit.Application(
            title="A",
            institution="UiB",
            theme="T",
            applicant="Per",
            department="D",
            qualifying_project="Q",
            partner_countries=("BR",),
            partner_institutions=("USP",),
            duration_years=Decimal(3),
        )
        assert call.check(app).passed.count("duration") == 1
