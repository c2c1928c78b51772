"""Tests as data: the example cases call plugins ship, run by callkit and by pytest."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

import callkit
from callkit._cli import main
from samples import DEMO_DEFINITION, INTPART_RULE_IDS, write_distribution

if TYPE_CHECKING:
    from pathlib import Path

RULE_IDS = {*INTPART_RULE_IDS, "required-field", "quota"}


class TestIntpartCases:
    """intpart-2022 ships cases for every rule and for UiB's quota."""

    def test_cover_every_rule(self) -> None:
        """At least twenty cases, naming every rule id among their expectations."""
        cases = callkit.Registry.from_entry_points().cases("intpart-2022")
        assert len(cases) >= 20
        named = {f.get("rule") for c in cases for f in c.expect.get("findings", [])} | {
            r for c in cases for r in c.expect.get("passed", [])
        }
        named |= {"quota" for c in cases if c.expect.get("quotas")}
        assert named >= RULE_IDS

    def test_command(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The test command runs them all and ends with the summary line."""
        assert main(["test", "intpart-2022"]) == 0
        lines = capsys.readouterr().out.splitlines()
        cases = callkit.Registry.from_entry_points().cases("intpart-2022")
        assert lines[-1] == f"{len(cases)} passed, 0 failed"

    def test_pytest_plugin(self, tmp_path: Path) -> None:
        """Pytest --callkit collects each case as a test item; without it, nothing."""
        args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        on = subprocess.run(  # noqa: S603
            [*args, "--callkit=intpart-2022"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert on.returncode == 0, on.stdout
        assert " passed" in on.stdout.splitlines()[-1]
        off = subprocess.run(  # noqa: S603
            args, cwd=tmp_path, capture_output=True, text=True, check=False
        )
        assert off.returncode == 5  # no tests collected


CASES = """
    call = "demo-2030"

    [[cases]]
    name = "expects a finding the call does not give"
    applications = [{ title = "A", institution = "X" }]
    expect.ok = false
    expect.findings = [{ rule = "partner-country" }]

    [[cases]]
    name = "passes"
    applications = [{ title = "B", institution = "X" }]
    expect.ok = true
"""


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data-only plugin with two cases, one of which fails."""
    write_distribution(
        tmp_path,
        "plugin-cases",
        "1.0",
        "[callkit.calls]\ndemo-2030 = plugin_cases/demo.toml\n",
        {
            "plugin_cases/__init__.py": "",
            "plugin_cases/demo.toml": DEMO_DEFINITION,
            "plugin_cases/demo.tests.toml": CASES,
        },
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    callkit.clear_cache()
    return tmp_path


class TestFailingCase:
    """A case the call does not satisfy is reported with what did not match."""

    def test_text(self, demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """One failure, its problem, and the summary; exit 1."""
        assert demo.exists()
        assert main(["test", "demo-2030"]) == 1
        out = capsys.readouterr().out
        assert "FAIL  demo-2030: expects a finding the call does not give" in out
        assert "no finding matches {'rule': 'partner-country'}" in out
        assert out.splitlines()[-1] == "1 passed, 1 failed"

    def test_json(self, demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """The JSON gives each case with its problems."""
        assert demo.exists()
        assert main(["test", "demo-2030", "--format", "json"]) == 1
        data = json.loads(capsys.readouterr().out)
        assert (data["passed"], data["failed"]) == (1, 1)
        assert data["cases"][0]["problems"]

    def test_all_calls(self, demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Without an id, every installed call's cases run."""
        assert demo.exists()
        assert main(["test"]) == 1
        last = capsys.readouterr().out.splitlines()[-1]
        registry = callkit.Registry.from_entry_points()
        count = sum(len(registry.cases(call_id)) for call_id in registry.ids())
        assert last == f"{count - 1} passed, 1 failed"


class TestCasesFile:
    """A cases file with a typo is refused rather than passing without testing anything."""

    def test_unknown_expectation(self, tmp_path: Path) -> None:
        """'expect.finding' (for 'findings') is named as an unknown key."""
        from callkit._cases import load_cases  # noqa: PLC0415

        path = tmp_path / "x.tests.toml"
        path.write_text(
            'call = "x"\n[[cases]]\nname = "n"\napplications = [{ title = "A" }]\n'
            "expect.finding = []\n",
            encoding="utf-8",
        )
        with pytest.raises(callkit.DefinitionError, match=r"unknown keys expect\.finding"):
            load_cases(path)

    def test_missing_cases_file(self, demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A plugin whose cases file is gone is a plugin error: exit 2 when asked for by id."""
        (demo / "plugin_cases" / "demo.tests.toml").unlink()
        info = demo / "plugin_cases-1.0.dist-info" / "entry_points.txt"
        info.write_text(
            info.read_text(encoding="utf-8")
            + "\n[callkit.tests]\ndemo-2030 = plugin_cases/gone.tests.toml\n",
            encoding="utf-8",
        )
        callkit.clear_cache()
        assert main(["test", "demo-2030"]) == 2
        assert "cases of 'demo-2030'" in capsys.readouterr().err
