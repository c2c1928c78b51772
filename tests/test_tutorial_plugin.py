"""The tutorial's example plugin: built, installed and found as a plugin author's would be.

``examples/tutorial-plugin`` is built with hatchling and installed once per test session
into a folder of its own; each test puts that folder on ``sys.path`` and discovers anew.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import callkit
from callkit._cli import main

if TYPE_CHECKING:
    from collections.abc import Iterator

PROJECT = Path(__file__).resolve().parents[1] / "examples" / "tutorial-plugin"
DISTRIBUTION = "callkit-tutorial"
DATA_CALL = "nordic-mobility-2030"
CODE_CALL = "open-science-2030"
PACKAGE = "callkit_tutorial"


@pytest.fixture(scope="session")
def tutorial_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the installed tutorial plugin, built and installed once per session.

    The build uses the hatchling of the test environment (the ``tests`` extra installs it),
    so that it needs no package index.
    """
    target = tmp_path_factory.mktemp("tutorial-site")
    done = subprocess.run(  # noqa: S603  (our own interpreter, with fixed arguments)
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--disable-pip-version-check",
            "--quiet",
            "--target",
            str(target),
            str(PROJECT),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=110,
    )
    if done.returncode != 0:
        pytest.fail(f"pip could not install {PROJECT}:\n{done.stdout}\n{done.stderr}")
    return target


def _forget_package() -> None:
    for name in [m for m in sys.modules if m.split(".")[0] == PACKAGE]:
        del sys.modules[name]


@pytest.fixture
def tutorial(tutorial_site: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The tutorial plugin on ``sys.path``, not yet imported, with discovery forgotten."""
    monkeypatch.syspath_prepend(str(tutorial_site))
    _forget_package()
    callkit.clear_cache()
    yield tutorial_site
    _forget_package()
    callkit.clear_cache()


def test_installed_as_a_wheel(tutorial: Path) -> None:
    """The wheel carries the definition files and the cases beside the module."""
    package = tutorial / PACKAGE
    names = {p.name for p in package.iterdir()}
    assert {
        "__init__.py",
        "open_science.py",
        "py.typed",
        f"{DATA_CALL}.toml",
        f"{DATA_CALL}.tests.toml",
        f"{CODE_CALL}.toml",
        f"{CODE_CALL}.tests.toml",
    } <= names


def test_both_calls_discovered(tutorial: Path) -> None:
    """Both calls are found through their entry points, with the distribution behind them."""
    assert tutorial.is_dir()
    registry = callkit.Registry.from_entry_points()
    assert {DATA_CALL, CODE_CALL} <= set(registry.ids())
    entries = {e.id: e for e in registry.entries() if e.distribution == DISTRIBUTION}
    assert set(entries) == {DATA_CALL, CODE_CALL}
    assert entries[DATA_CALL].data
    assert entries[DATA_CALL].value == f"{PACKAGE}/{DATA_CALL}.toml"
    assert not entries[CODE_CALL].data
    assert entries[CODE_CALL].value == f"{PACKAGE}.open_science:definition"
    assert {e.api for e in entries.values()} == {"1"}
    assert {e.version for e in entries.values()} == {"1.0.0"}
    assert PACKAGE not in sys.modules


def test_data_call_loads_without_import(tutorial: Path) -> None:
    """The definition file is read from the distribution; the package is never imported."""
    assert tutorial.is_dir()
    definition = callkit.get_definition(DATA_CALL)
    call = definition.latest
    assert PACKAGE not in sys.modules
    assert call.title.en == "Nordic Mobility 2030 (a fictional call)"
    assert call.deadline.isoformat() == "2030-04-25T14:00:00+02:00"
    (internal,) = call.timeline.of_kind("internal_deadline")
    # Five working days before Thursday 25 April 2030 in Norway: Easter is skipped.
    assert (internal.institution, internal.isoformat()) == ("FjU", "2030-04-15")
    assert [str(v.effective) for v in definition.versions] == ["2029-12-03", "2030-02-04"]
    (policy,) = call.policies
    assert policy.quota is not None
    assert policy.quota.limit == 3
    assert all(s.url.startswith("https://example.org/") for s in call.sources)


def test_code_call_custom_rule(tutorial: Path) -> None:
    """The plugin's own rule kind is loaded from its module and cites its source."""
    assert tutorial.is_dir()
    call = callkit.get_call(CODE_CALL)
    assert f"{PACKAGE}.open_science" in sys.modules
    rule = call.rule("title-length")
    assert rule.kind == "title_length"
    assert type(rule).__module__ == f"{PACKAGE}.open_science"
    assert rule.describe() == "a project title of at most 60 characters, spaces included"
    assert rule.reads == frozenset({"title"})

    long_title = callkit.Application(title="x" * 61, institution="NTNU", applicant="Ola Berg")
    report = call.check(long_title)
    assert not report.ok
    (finding,) = (f for f in report.findings if f.rule == "title-length")
    assert finding.severity is callkit.Severity.ERROR
    assert (finding.field, finding.value, finding.limit) == ("title", "61", "at most 60")
    assert finding.message == (
        "the title has 61 characters; at most 60 are allowed, spaces included"
    )
    assert finding.text("nb") == ("tittelen har 61 tegn; høyst 60 er tillatt, mellomrom medregnet")
    assert finding.source is not None
    assert finding.source.source == "call"
    assert finding.source.url == "https://example.org/fjordland-foundation/open-science-2030"
    assert finding.source.quote == (
        "The project title may be at most 60 characters long, spaces included."
    )

    report = call.check(callkit.Application(title="x" * 60, institution="NTNU", applicant="A"))
    assert "title-length" in report.passed


def test_custom_rule_round_trip(tutorial: Path) -> None:
    """A call with the new kind is written out as data, kind and all, and read back."""
    assert tutorial.is_dir()
    call = callkit.get_call(CODE_CALL)
    data = callkit.unstructure_call(call)
    (rule_data,) = (r for r in data["rules"] if r["id"] == "title-length")
    assert {"kind": "title_length", "maximum": 60}.items() <= rule_data.items()
    with pytest.raises(callkit.DefinitionError, match="unknown rule kind 'title_length'"):
        callkit.structure_call(data)
    rule_class = type(call.rule("title-length"))
    converter = callkit.make_converter(rules=[rule_class])
    assert callkit.structure_call(data, converter=converter) == call


@pytest.mark.parametrize("call_id", [DATA_CALL, CODE_CALL])
def test_cases_pass(tutorial: Path, call_id: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`callkit test` runs each call's example cases, and every one passes."""
    assert tutorial.is_dir()
    cases = callkit.Registry.from_entry_points().cases(call_id)
    assert len(cases) >= 6
    assert {c.call for c in cases} == {call_id}
    assert main(["test", call_id]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == f"{len(cases)} passed, 0 failed"


def test_plugins_command(tutorial: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`callkit plugins --format json` lists both calls of the distribution as loading."""
    assert tutorial.is_dir()
    assert main(["plugins", "--format", "json"]) == 0
    rows = {r["call"]: r for r in json.loads(capsys.readouterr().out)}
    for call_id, kind in ((DATA_CALL, "data"), (CODE_CALL, "code")):
        row = rows[call_id]
        assert (row["distribution"], row["version"], row["kind"], row["api"]) == (
            DISTRIBUTION,
            "1.0.0",
            kind,
            "1",
        )
        assert (row["status"], row["error"]) == ("ok", None)
    assert rows["intpart-2022"]["status"] == "ok"


def test_pytest_runs_the_cases(tutorial: Path, tmp_path: Path) -> None:
    """`pytest --callkit=ID,ID` collects every case of the two calls, and they pass."""
    count = sum(len(callkit.Registry.from_entry_points().cases(c)) for c in (DATA_CALL, CODE_CALL))
    path = os.pathsep.join([str(tutorial), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    done = subprocess.run(  # noqa: S603  (our own interpreter, with fixed arguments)
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            f"--callkit={DATA_CALL},{CODE_CALL}",
        ],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": path},
        capture_output=True,
        text=True,
        check=False,
        timeout=110,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{count} passed" in done.stdout.splitlines()[-1]
