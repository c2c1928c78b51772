"""Hostile input: reading, checking and loading raise nothing but callkit's own errors."""

from __future__ import annotations

import contextlib
import json
from functools import cache
from typing import TYPE_CHECKING, Any

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import callkit

if TYPE_CHECKING:
    from pathlib import Path

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
keys = st.sampled_from(
    [
        "title",
        "institution",
        "partner_countries",
        "requested_per_year",
        "research",
        "rank",
        "costs",
        "faculty",
        "Land",
        "Tittel på prosjekt",
        "own_share",
        "currency",
        "x",
    ]
)
records = st.lists(st.dictionaries(keys, json_values, max_size=6), max_size=6)
SETTINGS = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@cache
def _intpart() -> callkit.Call:
    """The call, loaded once and kept out of Hypothesis's view (its repr is large)."""
    return callkit.Registry.from_entry_points().get("intpart-2022")


def _review(path: Path) -> tuple[callkit.ApplicationFile | None, Any]:
    try:
        read = callkit.read_application_file(path)
    except callkit.InputError:
        return None, None
    for application in read.applications:
        # The readers build applications without __init__: through it they are the same.
        again = attrs.evolve(application)
        assert (again, again.extra) == (application, application.extra)
    _same_streamed(path, read)
    return read, _intpart().review(read.applications, read.problems)


def _same_streamed(path: Path, read: callkit.ApplicationFile) -> None:
    """Reading row by row gives the rows and problems of reading the file whole."""
    with callkit.open_application_file(path) as stream:
        rows = list(stream)
        problems = [*stream.problems, *(p for row in rows for p in row.problems)]
    assert tuple(row.application for row in rows) == read.applications
    assert tuple(problems) == read.problems


class TestArbitraryInput:
    """Whatever a file holds, callkit reads it or says why not, and reports every row."""

    @SETTINGS
    @given(data=st.one_of(json_values, records))
    def test_json(self, tmp_path: Path, data: Any) -> None:
        """Any JSON value: an InputError, or a report with one entry per item."""
        path = tmp_path / "input.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        read, review = _review(path)
        if read is not None:
            assert isinstance(data, list)
            assert len(review.applications) == len(data)
            json.dumps(review.to_dict())

    @SETTINGS
    @given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
    def test_csv(self, tmp_path: Path, text: str) -> None:
        """Any text as CSV: an InputError, or a report with every row that has a cell."""
        path = tmp_path / "input.csv"
        path.write_text("title,institution,partner_countries,rank\n" + text, encoding="utf-8")
        read, review = _review(path)
        if read is not None:
            assert len(review.applications) == len(read.applications)
            sources = [a.source for a in review.applications]
            assert len(set(sources)) == len(sources)

    @SETTINGS
    @given(raw=st.binary(max_size=200))
    def test_bytes(self, tmp_path: Path, raw: bytes) -> None:
        """Any bytes at all: read or refused, never a crash."""
        path = tmp_path / "input.csv"
        path.write_bytes(b"title,institution\n" + raw)
        _review(path)


definition_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12) | st.dates().map(str),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=15,
)


class TestFuzzedDefinitions:
    """A definition with any part replaced loads or raises a DefinitionError."""

    @settings(max_examples=150, deadline=None)
    @given(
        path=st.lists(st.integers(0, 30), min_size=1, max_size=5),
        value=definition_values,
    )
    def test_replace_any_part(self, intpart: callkit.Call, path: list[int], value: Any) -> None:
        """Walk into the definition by position, replace what is there, and load it."""
        data: Any = json.loads(json.dumps(callkit.unstructure_call(intpart)))
        node = data
        for step in path[:-1]:
            if isinstance(node, dict) and node:
                node = node[sorted(node)[step % len(node)]]
            elif isinstance(node, list) and node:
                node = node[step % len(node)]
        if isinstance(node, dict) and node:
            node[sorted(node)[path[-1] % len(node)]] = value
        elif isinstance(node, list) and node:
            node[path[-1] % len(node)] = value
        with contextlib.suppress(callkit.DefinitionError):
            callkit.structure_definition(data)
