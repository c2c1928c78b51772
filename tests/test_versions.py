"""Versions: the call in force on a date, what changed, where each rule comes from."""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import TYPE_CHECKING, Any

import pytest

import callkit
from callkit import DefinitionError, NotInForceError
from callkit._cli import main
from callkit._lint import lint, lint_definition
from callkit._schema import definition_schema, validate_definition
from samples import DEMO_DEFINITION, vary, write_distribution

if TYPE_CHECKING:
    from pathlib import Path

FKB = vary(qualifying_scheme="FKB")
ONLY_RUSSIA = vary(partner_countries=("RU",))


def _ok(day: str | None, app: callkit.Application) -> bool:
    on = dt.date.fromisoformat(day) if day else None
    return callkit.get_call("intpart-2022", as_of=on).check(app).ok


class TestAsOf:
    """intpart-2022 on each side of its two amendments."""

    @pytest.mark.parametrize(
        ("day", "fkb", "russia"),
        [
            ("2022-02-02", False, True),
            ("2022-02-05", False, True),
            ("2022-02-10", False, True),
            ("2022-02-11", True, True),
            ("2022-02-20", True, True),
            ("2022-03-01", True, True),
            ("2022-03-02", True, False),
            ("2026-11-25", True, False),
            (None, True, False),
        ],
    )
    def test_in_force(self, day: str | None, fkb: bool, russia: bool) -> None:
        """FKB qualifies from 11 February; a partner only in Russia stops counting on 2 March."""
        assert _ok(day, FKB) is fkb
        assert _ok(day, ONLY_RUSSIA) is russia

    def test_before_publication(self) -> None:
        """Before 2 February 2022 the call was not published."""
        with pytest.raises(NotInForceError, match="first published on 2022-02-02"):
            callkit.get_call("intpart-2022", as_of=dt.date(2022, 2, 1))

    def test_versions(self) -> None:
        """Three versions, each naming the amendments that made it."""
        definition = callkit.get_definition("intpart-2022")
        assert [v.effective for v in definition.versions] == [
            dt.date(2022, 2, 2),
            dt.date(2022, 2, 11),
            dt.date(2022, 3, 2),
        ]
        assert [len(v.history) for v in definition.versions] == [0, 1, 2]
        assert definition.latest is callkit.get_call("intpart-2022")

    def test_published_list_keeps_russia(self) -> None:
        """The published list still names Russia; an amendment says why it no longer counts."""
        rule = callkit.get_call("intpart-2022").rule("partner-country")
        assert isinstance(rule, callkit.PartnerCountryRule)
        assert "RU" in rule.groups[0].countries
        assert [e.country for e in rule.excluded] == ["RU"]
        assert "RU" not in rule.countries

    def test_finding_cites_amendment_and_version(self) -> None:
        """The Russian partner's finding quotes the amendment and names the version."""
        report = callkit.get_call("intpart-2022").check(ONLY_RUSSIA)
        (finding,) = (f for f in report.findings if f.rule == "partner-country")
        assert finding.source is not None
        assert (
            finding.source.quote == "Det vil ikke bli mulig å inngå avtaler med russiske partnere"
        )
        assert "Russia no longer counts" in finding.message
        assert report.to_dict()["findings"][0]["version"] == "2022-03-02"

    def test_fkb_term_cites_rcn(self) -> None:
        """The scheme added by amendment cites the Research Council's page."""
        rule = callkit.get_call("intpart-2022").rule("qualifying-funding")
        assert isinstance(rule, callkit.SchemeRule)
        (fkb,) = (s for s in rule.schemes if s.code == "FKB")
        assert fkb.provenance is not None
        assert fkb.provenance.source == "rcn-2022"


class TestCommandsAsOf:
    """--as-of on check, show and timeline."""

    def test_check(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """An FKB application fails as published and passes from 11 February."""
        path = tmp_path / "fkb.json"
        path.write_text(
            json.dumps([{"title": "A", "institution": "NTNU", "qualifying_scheme": "FKB"}]),
            encoding="utf-8",
        )
        assert main(["check", "intpart-2022", str(path), "--as-of", "2022-02-05"]) == 1
        assert (
            main(["check", "intpart-2022", str(path), "--as-of", "2022-02-20", "--format", "json"])
            == 0
        )
        out = capsys.readouterr().out
        report = json.loads(out[out.index("{") :])
        assert report["version"]["effective"] == "2022-02-11"
        assert [a["title"] for a in report["version"]["amendments"]] == [
            "FKB added to the qualifying schemes"
        ]

    def test_show(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The show command with --as-of gives that version's definition."""
        assert main(["show", "intpart-2022", "--as-of", "2022-02-02", "--format", "json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["effective"] == "2022-02-02"
        assert data["history"] == []
        assert callkit.structure_call(data) == callkit.get_call(
            "intpart-2022", as_of=dt.date(2022, 2, 2)
        )

    def test_bad_date(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A date that is not YYYY-MM-DD is a usage error."""
        with pytest.raises(SystemExit) as caught:
            main(["show", "intpart-2022", "--as-of", "16.03.2022"])
        assert caught.value.code == 2
        assert "YYYY-MM-DD" in capsys.readouterr().err

    def test_before_publication(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A date before publication exits 2 with one line."""
        assert main(["timeline", "intpart-2022", "--as-of", "2021-12-31"]) == 2
        assert "first published on 2022-02-02" in capsys.readouterr().err


class TestDiff:
    """callkit diff: what changed between two dates, each change with its date and source."""

    def test_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        """From publication to today: both amendments, with their sources and changes."""
        assert main(["diff", "intpart-2022", "--format", "json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert (data["from"], data["to"]) == ("2022-02-02", "2022-03-02")
        first, second = data["amendments"]
        assert first["effective"] == "2022-02-11"
        assert first["changes"][0]["path"] == "rules.qualifying-funding.schemes"
        assert first["changes"][0]["value"]["code"] == "FKB"
        assert second["source"]["quote"].startswith("Det vil ikke bli mulig")
        assert second["changes"][0] == {
            "op": "add",
            "path": "rules.partner-country.excluded",
            "value": second["changes"][0]["value"],
        }

    def test_text_window(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Between 5 and 20 February only FKB was added."""
        assert main(["diff", "intpart-2022", "--from", "2022-02-05", "--to", "2022-02-20"]) == 0
        out = capsys.readouterr().out
        assert "2022-02-11  FKB added to the qualifying schemes" in out
        assert "added to rules.qualifying-funding.schemes: FKB" in out
        assert "Russian" not in out

    def test_nothing(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Between two dates with no amendment, nothing changed."""
        assert main(["diff", "intpart-2022", "--from", "2022-02-12", "--to", "2022-03-01"]) == 0
        assert "Nothing changed." in capsys.readouterr().out

    def test_reversed(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--to before --from is a usage error."""
        assert main(["diff", "intpart-2022", "--from", "2022-03-01", "--to", "2022-02-12"]) == 2
        capsys.readouterr()


class TestExplain:
    """callkit explain: one rule with its source and history."""

    def test_text(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The rule, what it asks, and its Norwegian sentence with the English gloss."""
        assert main(["explain", "intpart-2022", "own-share"]) == 0
        out = " ".join(capsys.readouterr().out.split())
        assert "Egenandelen av prosjektbudsjettet må være minimum 20 prosent." in out
        assert "The own share of the project budget must be at least 20 per cent." in out

    def test_json_history(self, capsys: pytest.CaptureFixture[str]) -> None:
        """As published, the partner rule names the amendment that changes it later."""
        assert (
            main(
                [
                    "explain",
                    "intpart-2022",
                    "partner-country",
                    "--as-of",
                    "2022-02-05",
                    "--format",
                    "json",
                ]
            )
            == 0
        )
        data = json.loads(capsys.readouterr().out)
        assert data["amendments"] == []
        assert [a["effective"] for a in data["later_amendments"]] == ["2022-03-02"]
        assert data["source"]["url"] == "https://www.uib.no/internasjonalt/146026/intpart"

    def test_policy_rule(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A policy's rule says whose it is."""
        assert main(["explain", "intpart-2022", "required-field", "--format", "json"]) == 0
        assert json.loads(capsys.readouterr().out)["institution"] == "UiB"

    def test_unknown_rule(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A misspelt rule id suggests the nearest."""
        assert main(["explain", "intpart-2022", "own_share"]) == 2
        assert "did you mean 'own-share'?" in capsys.readouterr().err


def _data() -> dict[str, Any]:
    definition = callkit.get_definition("intpart-2022")
    data: dict[str, Any] = json.loads(json.dumps(callkit.unstructure_definition(definition)))
    return data


class TestDefinitionData:
    """Definitions with amendments as plain data."""

    def test_round_trip(self) -> None:
        """A definition survives JSON with every version intact."""
        definition = callkit.structure_definition(_data())
        original = callkit.get_definition("intpart-2022")
        assert definition.versions == original.versions

    def test_change_that_does_not_apply(self) -> None:
        """A change to a rule the call does not have is refused with its amendment's date."""
        data = _data()
        data["amendments"][0]["changes"][0]["path"] = "rules.no-such-rule.schemes"
        with pytest.raises(DefinitionError, match=r"amendments\[0\] \(2022-02-11\).*no-such-rule"):
            callkit.structure_definition(data)

    def test_amended_version_is_validated(self) -> None:
        """A change that makes a version invalid is refused."""
        data = _data()
        data["amendments"][1]["changes"][0]["value"]["country"] = "Russia"
        with pytest.raises(DefinitionError, match="ISO 3166"):
            callkit.structure_definition(data)

    def test_set_and_remove(self) -> None:
        """Changes can also set a value and remove an item."""
        data = _data()
        data["amendments"].append(
            {
                "effective": "2022-03-10",
                "title": {"nb": "Endring", "en": "Change"},
                "provenance": {"source": "rcn-2022"},
                "changes": [
                    {
                        "op": "set",
                        "path": "rules.budget-per-year.maximum.amount",
                        "value": "1500000",
                    },
                    {"op": "remove", "path": "rules.qualifying-funding.schemes.NARP"},
                ],
            }
        )
        latest = callkit.structure_definition(data).latest
        rule = latest.rule("budget-per-year")
        assert isinstance(rule, callkit.AmountRule)
        assert rule.maximum is not None
        assert str(rule.maximum.amount) == "1500000"
        schemes = latest.rule("qualifying-funding")
        assert isinstance(schemes, callkit.SchemeRule)
        assert "NARP" not in {s.code for s in schemes.schemes}


class TestSchema:
    """The JSON Schema of definition files."""

    def test_command(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The schema command prints a draft 2020-12 schema."""
        assert main(["schema"]) == 0
        schema = json.loads(capsys.readouterr().out)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert "amendments" in schema["properties"]
        assert set(schema["$defs"]["Rule"]["properties"]["kind"]["enum"]) >= {
            "amount",
            "partner_country",
        }

    def test_shipped_definition_validates(self) -> None:
        """The INTPART definition, as shipped and as a JSON dump, validates."""
        assert validate_definition(_data()) == []
        version = callkit.unstructure_call(callkit.get_call("intpart-2022"))
        assert validate_definition(version) == []
        assert definition_schema() is definition_schema()

    @pytest.mark.parametrize(
        ("path", "value", "says"),
        [
            (("rules", 3, "maximum", "amount"), "two million", "$.rules[3].maximum.amount:"),
            (("rules", 0, "countries"), "NO", "$.rules[0].countries: 'NO' is not of type"),
            (("milestones", 0, "kind"), "party", "$.milestones[0].kind: 'party' is not one of"),
            (("policies", 0, "quota", "limit"), "20", "$.policies[0].quota.limit:"),
        ],
    )
    def test_broken_definitions(self, path: tuple[Any, ...], value: Any, says: str) -> None:
        """Each wrong value is named by its key path."""
        data = _data()
        node: Any = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
        problems = validate_definition(data)
        assert any(p.startswith(says) for p in problems), problems

    def test_unknown_key(self) -> None:
        """A key the format does not have is named."""
        data = _data()
        data["rules"][5]["maximum_percent"] = 20
        (problem,) = validate_definition(data)
        assert problem.startswith("$.rules[5]: Additional properties")
        assert "maximum_percent" in problem


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "call.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


class TestDefinitionLint:
    """Lint of definitions: countries, quotas, amendments, rules without a sentence."""

    def test_intpart_clean(self) -> None:
        """The shipped definition has only the published CEST label to warn about."""
        codes = [f.code for f in lint(callkit.get_definition("intpart-2022"))]
        assert codes == ["zone-label"]

    def test_schema_errors(self, tmp_path: Path) -> None:
        """A definition file that breaks the schema gives 'schema' errors with paths."""
        data = _data()
        data["rules"][0]["countries"] = "NO"
        (finding,) = lint_definition(_write(tmp_path, data))
        assert finding.code == "schema"
        assert finding.message.startswith("$.rules[0].countries")

    def test_unknown_country(self, tmp_path: Path) -> None:
        """A code no country has is an error."""
        data = _data()
        data["rules"][2]["groups"][0]["countries"].append("XX")
        findings = [f for f in lint_definition(_write(tmp_path, data)) if f.code == "country"]
        assert findings
        assert "'XX'" in findings[0].message

    def test_amendments_out_of_order(self, tmp_path: Path) -> None:
        """An amendment dated before the one it follows is refused when the file loads."""
        data = _data()
        data["amendments"][1]["effective"] = "2022-02-10"
        (finding,) = lint_definition(_write(tmp_path, data))
        assert finding.code == "definition"
        assert "amendments come in date order" in finding.message
        with pytest.raises(DefinitionError, match=r"amendments\[1\] \(2022-02-10\)"):
            callkit.structure_definition(data)

    def test_change_needs_a_value(self) -> None:
        """An 'add' or 'set' without a value is refused, not taken as 'nothing'."""
        data = _data()
        del data["amendments"][0]["changes"][0]["value"]
        with pytest.raises(DefinitionError, match="'add' needs a value"):
            callkit.structure_definition(data)

    def test_history_with_amendments(self) -> None:
        """A definition may not claim a history beside its amendments."""
        data = _data()
        data["history"] = data["amendments"][:1]
        with pytest.raises(DefinitionError, match="callkit writes the history"):
            callkit.structure_definition(data)

    def test_quota_without_names(self, tmp_path: Path) -> None:
        """A quota for an institution with no other names is a warning."""
        data = _data()
        data["policies"][0]["names"] = []
        codes = {f.code for f in lint_definition(_write(tmp_path, data))}
        assert "quota-names" in codes

    def test_rule_without_sentence(self, tmp_path: Path) -> None:
        """A rule citing a source but no sentence of it is a warning."""
        data = _data()
        data["rules"][5]["provenance"] = {"source": "uib"}
        found = [f for f in lint_definition(_write(tmp_path, data)) if f.code == "unquoted"]
        assert found
        assert "duration" in found[0].message


def _install_data_plugin(site: Path, *, record: bool) -> None:
    write_distribution(
        site,
        "plugin-data",
        "1.0",
        "[callkit.calls]\ndemo-2030 = plugin_data/demo.toml\n",
        {
            "plugin_data/__init__.py": "raise RuntimeError('the package must not be imported')\n",
            "plugin_data/demo.toml": DEMO_DEFINITION,
        },
        record=record,
    )


class TestDataOnlyPlugin:
    """A plugin that ships its call as a data file is read without importing its package."""

    @pytest.mark.parametrize("record", [True, False])
    def test_loads_without_import(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, record: bool
    ) -> None:
        """The definition loads from the distribution's files; the package is never run."""
        monkeypatch.syspath_prepend(str(tmp_path))
        _install_data_plugin(tmp_path, record=record)
        callkit.clear_cache()
        call = callkit.get_call("demo-2030")
        assert call.deadline.isoformat() == "2030-03-01T12:00:00+01:00"
        assert "plugin_data" not in sys.modules

    def test_intpart_is_data(self) -> None:
        """intpart-2022 itself is read as data: its package is not imported."""
        import subprocess  # noqa: PLC0415

        code = (
            "import sys, callkit; callkit.get_call('intpart-2022');"
            "print('callkit_intpart' in sys.modules)"
        )
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert done.stdout.strip() == "False"
