"""callkit's converter reports what a plain cattrs converter reports, and heeds new hooks."""

from __future__ import annotations

import copy
from importlib.resources import files
from typing import Any

import cattrs
import pytest

import callkit
from callkit._datafile import read_definition_data


def _plain() -> cattrs.Converter:
    """A cattrs converter configured as callkit's, without its one-class-once change."""
    converter = cattrs.Converter(
        forbid_extra_keys=True, unstruct_collection_overrides={tuple: list}
    )
    callkit.configure_converter(converter)
    return converter


def _intpart() -> dict[str, Any]:
    data: dict[str, Any] = read_definition_data(files("callkit_intpart") / "intpart-2022.toml")
    return data


def _outcome(data: dict[str, Any], converter: cattrs.Converter) -> object:
    try:
        definition = callkit.structure_definition(
            copy.deepcopy(data), origin="x", converter=converter
        )
    except callkit.DefinitionError as error:
        return error.problems
    return definition.versions


def _set(data: dict[str, Any], path: str, value: object) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    *parents, last = path.split(".")
    node: Any = changed
    for key in parents:
        node = node[int(key)] if key.isdigit() else node[key]
    node[int(last) if last.isdigit() else last] = value
    return changed


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("title.en", 5),
        ("sources.0.title", None),
        ("rules.0.provenance", {"source": 1, "quote": []}),
        ("rules.2.title", {"nb": "x"}),
        ("milestones.0.provenance.extra", "x"),
        ("policies.0.rules.0.provenance", "nowhere"),
        ("amendments.0.title", {"nb": "x", "en": "y", "de": "z"}),
        ("amendments.0.provenance.quote", 7),
    ],
)
def test_same_problems_as_cattrs(path: str, value: object) -> None:
    """A definition wrong inside a text or a provenance is reported as cattrs reports it."""
    data = _set(_intpart(), path, value)
    ours = _outcome(data, callkit.make_converter())
    assert isinstance(ours, tuple)
    assert ours
    assert ours == _outcome(data, _plain())


def test_valid_definition_is_the_same() -> None:
    """A valid definition gives the same versions either way."""
    data = _intpart()
    assert _outcome(data, callkit.make_converter()) == _outcome(data, _plain())


def test_hook_registered_later_is_used() -> None:
    """A hook registered after a definition was structured applies to the next one."""
    converter = callkit.make_converter()
    data = _intpart()
    callkit.structure_definition(copy.deepcopy(data), converter=converter)

    def shout(value: object, _type: object) -> callkit.Text:
        assert isinstance(value, dict)
        return callkit.Text(nb=str(value["nb"]).upper(), en=str(value["en"]).upper())

    converter.register_structure_hook(callkit.Text, shout)
    definition = callkit.structure_definition(copy.deepcopy(data), converter=converter)
    before = callkit.structure_definition(copy.deepcopy(data)).latest
    assert definition.latest.title.en == before.title.en.upper()
    assert definition.latest.rules[0].title.nb == before.rules[0].title.nb.upper()
