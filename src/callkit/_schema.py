"""The JSON Schema of call definition files, made from the model itself.

The schema is generated from the attrs classes that a definition structures into, so that
it cannot drift from what callkit reads. ``jsonschema`` validates a definition against it
(imported only then), each error naming its key path.
"""

from __future__ import annotations

import datetime as dt
import enum
import inspect
import types
import typing
from decimal import Decimal
from functools import cache
from typing import Any, Literal, Union, get_args, get_origin

import attrs

from callkit._call import Call
from callkit._convert import json_ready
from callkit._rules import RULE_KINDS, Rule
from callkit._versions import Amendment

SCHEMA_ID = "https://callkit.readthedocs.io/schema/call-definition.json"
"""The identifier of the schema."""

_DECIMAL = {
    "anyOf": [
        {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"},
        {"type": "number"},
    ],
    "description": 'An exact number, best written as text: "2000000", "0.20".',
}
_TIME = {
    "type": "string",
    "pattern": r"^[0-2][0-9]:[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?$",
    "description": "A local time, HH:MM or HH:MM:SS.",
}


class _Builder:
    def __init__(self) -> None:
        self.defs: dict[str, Any] = {}

    def of(self, tp: Any) -> dict[str, Any]:  # noqa: ANN401, PLR0911, PLR0912, C901  (a case per kind)
        origin = get_origin(tp)
        if tp is Any:
            return {}
        if origin in (Union, types.UnionType):
            members = [a for a in get_args(tp) if a is not type(None)]
            if all(inspect.isclass(m) and issubclass(m, Rule) for m in members):
                return {"$ref": "#/$defs/Rule"}
            schemas = [self.of(m) for m in members]
            schemas.append({"type": "null"})
            return {"anyOf": schemas}
        if origin is tuple:
            return {"type": "array", "items": self.of(get_args(tp)[0])}
        if origin is dict:
            return {"type": "object"}
        if origin is Literal:
            return {"enum": list(get_args(tp))}
        if tp is bool:
            return {"type": "boolean"}
        if tp is int:
            return {"type": "integer"}
        if tp is str:
            return {"type": "string"}
        if tp is Decimal:
            return dict(_DECIMAL)
        if tp is dt.date:
            return {"type": "string", "format": "date", "description": "A date, YYYY-MM-DD."}
        if tp is dt.time:
            return dict(_TIME)
        if inspect.isclass(tp) and issubclass(tp, enum.Enum):
            return {"enum": [m.value for m in tp]}
        if attrs.has(tp):
            return self.cls(tp)
        msg = f"no schema for {tp!r}"
        raise TypeError(msg)

    def cls(self, cls: type, extra: dict[str, Any] | None = None) -> dict[str, Any]:
        name = cls.__name__
        if name not in self.defs:
            self.defs[name] = {}  # placeholder: a class may refer to itself
            hints = typing.get_type_hints(cls)
            properties: dict[str, Any] = {}
            required = []
            for field in attrs.fields(cls):
                if field.name == "build":
                    continue
                properties[field.name] = self.of(hints[field.name])
                if field.default is attrs.NOTHING:
                    required.append(field.name)
            properties.update(extra or {})
            schema: dict[str, Any] = {
                "type": "object",
                "description": _first_line(cls),
                "properties": properties,
                "additionalProperties": False,
            }
            if required:
                schema["required"] = required
            self.defs[name] = schema
        return {"$ref": f"#/$defs/{name}"}


def _first_line(cls: type) -> str:
    return (inspect.getdoc(cls) or "").split("\n\n", 1)[0].replace("\n", " ")


@cache
def definition_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a call definition file."""
    builder = _Builder()
    rules = []
    for kind, cls in sorted(RULE_KINDS.items()):
        ref = builder.cls(cls, {"kind": {"const": kind}})
        schema = builder.defs[cls.__name__]
        schema["required"] = ["kind", *schema["required"]]
        schema["properties"]["severity"] = {"enum": ["error", "warning"]}  # info: not assessed
        rules.append({"if": {"properties": {"kind": {"const": kind}}}, "then": ref})
    builder.defs["Rule"] = {
        "type": "object",
        "description": "A rule; its kind says which parameters it takes.",
        "required": ["kind"],
        "properties": {"kind": {"enum": sorted(RULE_KINDS)}},
        "allOf": rules,
    }
    builder.cls(
        Call,
        {
            "api": {
                "enum": [1],
                "description": "The version of this format the definition is written for.",
            },
            "amendments": {
                "type": "array",
                "items": builder.of(Amendment),
                "description": "Changes after publication, oldest first.",
            },
        },
    )
    call = builder.defs.pop("Call")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "callkit call definition",
        **call,
        "$defs": dict(sorted(builder.defs.items())),
    }


def validate_definition(data: Any) -> list[str]:  # noqa: ANN401
    """Check plain definition data against the schema; one line per problem, path first.

    TOML dates, times and decimals are taken as the text JSON would hold.
    """
    from jsonschema import Draft202012Validator  # noqa: PLC0415
    from jsonschema.exceptions import best_match  # noqa: PLC0415

    validator = Draft202012Validator(definition_schema())
    problems = []
    for found in sorted(
        validator.iter_errors(json_ready(data)), key=lambda e: list(e.absolute_path)
    ):
        error = found
        while error.context:  # "not valid under any of the given schemas": say which part
            useful = [e for e in error.context if e.validator_value != "null"] or error.context
            error = best_match(useful)
        path = "$" + "".join(
            f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path
        )
        problems.append(f"{path}: {error.message}")
    return problems
