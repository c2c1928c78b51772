"""Sample applications for the tests: one valid application, and ways to vary it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

import callkit
from callkit import _datafile

if TYPE_CHECKING:
    from pathlib import Path

    import pytest

VALID = callkit.Application(
    title="Ocean Observing Partnership",
    institution="UiB",
    theme="Ocean climate, linked to an SFF centre",
    applicant="Ingrid Solberg",
    faculty="MN",
    department="Geophysical Institute",
    qualifying_scheme="SFF",
    qualifying_project="Centre for Ocean Climate Dynamics",
    partner_countries=("BR",),
    partner_institutions=("Universidade de São Paulo",),
    requested_per_year=Decimal(2_000_000),
    duration_years=Decimal(5),
    own_share=Decimal(2_500_000),
    research=True,
    education=True,
    costs=("mobility", "workshop"),
    source="test:2",
)
"""An application that meets every rule of intpart-2022 and UiB's policy."""


def vary(**changes: Any) -> callkit.Application:
    """The valid application with *changes*."""
    return attrs.evolve(VALID, **changes)


def rule_findings(report: callkit.ApplicationReport, rule: str) -> list[callkit.Finding]:
    """The findings of *rule* in *report*."""
    return [f for f in report.findings if f.rule == rule]


DEMO_DEFINITION = """
    id = "demo-2030"
    currency = "NOK"
    effective = 2030-01-01
    title = { nb = "Demo", en = "Demo" }
    programme = { nb = "Demo", en = "Demo" }
    funder = { nb = "Demo", en = "Demo" }
    sources = [{ key = "web", url = "https://example.org/demo", title = "Demo" }]

    [[milestones]]
    kind = "deadline"
    title = { nb = "Frist", en = "Deadline" }
    date = 2030-03-01
    time = 12:00:00
    zone = "Europe/Oslo"
    provenance = { source = "web" }
"""
"""A small data-only definition, ``demo-2030``, for throwaway plugins in tests."""


def write_distribution(
    site: Path,
    name: str,
    version: str,
    entry_points: str,
    files: dict[str, str],
    *,
    record: bool = False,
) -> None:
    """Write a throwaway installed distribution into *site*, as pip would leave it.

    *files* maps paths inside *site* to their text (dedented); *entry_points* is the text
    of ``entry_points.txt``; with *record*, a ``RECORD`` lists the files.
    """
    for relative, text in files.items():
        path = site / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(textwrap.dedent(entry_points), encoding="utf-8")
    if record:
        listed = [*files, f"{info.name}/METADATA", f"{info.name}/entry_points.txt"]
        (info / "RECORD").write_text("".join(f"{f},,\n" for f in listed), encoding="utf-8")


AN_HOUR_AGO = 3600 * 10**9
"""How far back a test dates a definition file, so that it is not 'just changed'."""


def age(path: Path, ago: int = AN_HOUR_AGO) -> None:
    """Date *path* *ago* nanoseconds back, as though it had not changed since."""
    then = time.time_ns() - ago
    os.utime(path, ns=(then, then))


def demo_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, package: str) -> Path:
    """A folder on sys.path with one data plugin, ``demo-2030``, written an hour ago.

    The plugin's distribution and package are named after *package*, so that tests of
    different modules never share one.
    """
    folder = tmp_path / "site"
    write_distribution(
        folder,
        package.replace("_", "-"),
        "1.0",
        f"[callkit.calls]\ndemo-2030 = {package}/demo.toml\n",
        {f"{package}/demo.toml": DEMO_DEFINITION},
    )
    age(folder / package / "demo.toml")
    monkeypatch.syspath_prepend(str(folder))
    return folder


def count_definition_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The definition files read from now on, one entry a read."""
    read: list[str] = []
    real = _datafile.read_definition_data

    def counting(path: Any, *, exact: bool = True) -> Any:
        read.append(str(path))
        return real(path, exact=exact)

    monkeypatch.setattr(_datafile, "read_definition_data", counting)
    return read


def run_twice(code: str, *path: Path) -> list[str]:
    """What *code* prints in two fresh processes in turn, *path* first on ``PYTHONPATH``.

    The first run finds callkit's caches empty, the second finds what the first kept.
    """
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([*map(str, path), *sys.path])}
    return [
        subprocess.run(  # noqa: S603
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        ).stdout.strip()
        for _ in range(2)
    ]


INTPART_RULE_IDS = (
    "applicant-institution",
    "qualifying-funding",
    "partner-country",
    "budget-per-year",
    "budget-total",
    "duration",
    "own-share",
    "research-and-education",
    "ineligible-cost",
)
"""The ids of intpart-2022's call-wide rules, in order, as the issue names them."""
