"""Structuring call definitions from plain data, and back, with cattrs.

There is no global converter: :func:`make_converter` builds one, configured by
:func:`configure_converter`, so that tools and tests can build their own.
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

import cattrs

from callkit._call import Call
from callkit._errors import DefinitionError
from callkit._rules import RULE_KINDS, AnyRule, Rule

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable


def _structure_decimal(value: object, _type: object) -> Decimal:
    if isinstance(value, bool):
        msg = f"expected a number, got {value!r}"
        raise TypeError(msg)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | str):
        try:
            number = Decimal(value)
        except InvalidOperation:
            msg = f"{value!r} is not a number"
            raise ValueError(msg) from None
        if not number.is_finite():
            msg = f"{value!r} is not a finite number"
            raise ValueError(msg)
        return number
    if isinstance(value, float):
        return Decimal(repr(value))
    msg = f"expected a number, got {value!r}"
    raise TypeError(msg)


def _structure_date(value: object, _type: object) -> dt.date:
    if isinstance(value, dt.datetime):
        msg = f"expected a date, got a date and time {value!r}"
        raise TypeError(msg)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    msg = f"expected a date (YYYY-MM-DD), got {value!r}"
    raise TypeError(msg)


def _structure_time(value: object, _type: object) -> dt.time:
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str):
        return dt.time.fromisoformat(value)
    msg = f"expected a local time (HH:MM), got {value!r}"
    raise TypeError(msg)


def _unstructure_time(value: dt.time) -> str:
    return value.isoformat(timespec="minutes" if value.second == 0 else "seconds")


def configure_converter(converter: cattrs.Converter) -> None:
    """Teach *converter* callkit's types: exact decimals, dates, times and tagged rules.

    Decimals become strings, so that no amount passes through a float; dates and times
    become ISO 8601 strings; a rule carries its ``kind``.
    """
    converter.register_structure_hook(Decimal, _structure_decimal)
    converter.register_unstructure_hook(Decimal, str)
    converter.register_structure_hook(dt.date, _structure_date)
    converter.register_unstructure_hook(dt.date, dt.date.isoformat)
    converter.register_structure_hook(dt.time, _structure_time)
    converter.register_unstructure_hook(dt.time, _unstructure_time)
    kinds = ", ".join(sorted(RULE_KINDS))

    def structure_rule(value: object, _type: object) -> Rule:
        if not isinstance(value, dict):
            msg = f"a rule is a table of keys, got {value!r}"
            raise TypeError(msg)
        kind = value.get("kind")
        cls = RULE_KINDS.get(kind) if isinstance(kind, str) else None
        if cls is None:
            msg = f"unknown rule kind {kind!r}; the kinds are {kinds}"
            raise ValueError(msg)
        params = {k: v for k, v in value.items() if k != "kind"}
        rule: Rule = converter.structure(params, cls)
        return rule

    def unstructure_rule(rule: Rule) -> dict[str, Any]:
        return {"kind": rule.kind, **converter.unstructure(rule, type(rule))}

    converter.register_structure_hook(AnyRule, structure_rule)
    converter.register_unstructure_hook(AnyRule, unstructure_rule)


def make_converter() -> cattrs.Converter:
    """A new converter for call definitions; strict about unknown keys."""
    converter = cattrs.Converter(
        forbid_extra_keys=True,
        unstruct_collection_overrides={tuple: list},
    )
    configure_converter(converter)
    return converter


def structure_call(
    data: Any,  # noqa: ANN401  (plain data of any shape; the converter checks it)
    *,
    origin: str = "<data>",
    converter: cattrs.Converter | None = None,
) -> Call:
    """Build a :class:`~callkit.Call` from plain data; raises :class:`DefinitionError`.

    Every problem is reported at once, each with its key path (``$.rules[2].maximum``).
    """
    converter = converter or make_converter()
    try:
        return converter.structure(data, Call)
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as error:
        if isinstance(error, cattrs.BaseValidationError):
            problems = cattrs.transform_error(error, format_exception=_format_exception)
        else:
            problems = [str(error)]
        raise DefinitionError(origin, problems) from error


def unstructure_call(call: Call, *, converter: cattrs.Converter | None = None) -> dict[str, Any]:
    """A call as plain data (JSON-ready), the inverse of :func:`structure_call`."""
    data: dict[str, Any] = (converter or make_converter()).unstructure(call)
    return data


def _format_exception(error: BaseException, _type: type | None) -> str:
    if isinstance(error, KeyError):
        return f"required key {error.args[0]!r} is missing" if error.args else "a key is missing"
    if isinstance(error, cattrs.ForbiddenExtraKeysError):
        return f"unknown keys: {', '.join(sorted(error.extra_fields))}"
    return f"{error}" if str(error) else type(error).__name__


def load_call(path: str | Path | Traversable) -> Call:
    """Read a call definition from a TOML or JSON file; raises :class:`DefinitionError`."""
    name = str(path)
    try:
        raw = path.read_bytes() if not isinstance(path, str) else Path(path).read_bytes()
    except OSError as error:
        raise DefinitionError(name, [f"cannot read the file: {error.strerror or error}"]) from error
    try:
        if name.endswith(".toml"):
            data = tomllib.loads(raw.decode("utf-8"))
        elif name.endswith(".json"):
            data = json.loads(raw)
        else:
            raise DefinitionError(name, ["a definition is a .toml or .json file"])
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, UnicodeDecodeError) as error:
        kind = name.rsplit(".", 1)[-1].upper()
        raise DefinitionError(name, [f"not valid {kind}: {error}"]) from error
    return structure_call(data, origin=name)
