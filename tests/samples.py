"""Sample applications for the tests: one valid application, and ways to vary it."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

import callkit

if TYPE_CHECKING:
    from pathlib import Path

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
