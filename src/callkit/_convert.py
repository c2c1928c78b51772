"""Structuring call definitions from plain data, and back, with cattrs.

There is no global converter: :func:`make_converter` builds one, configured by
:func:`configure_converter`, so that tools and tests can build their own.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal, InvalidOperation
from functools import cache, partial
from typing import TYPE_CHECKING, Any

import attrs
import cattrs
from cattrs.cols import homogenous_tuple_structure_factory, is_sequence

from callkit._call import Call
from callkit._datafile import read_definition_data
from callkit._errors import DefinitionError
from callkit._rules import RULE_KINDS, AnyRule, Rule
from callkit._timeline import check_year
from callkit._versions import Amendment, CallDefinition, Change, Structured

API_VERSIONS = (1,)
"""The versions of the definition format this callkit reads (``api`` in a definition)."""

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from importlib.resources.abc import Traversable
    from pathlib import Path


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
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError as error:
            why = "" if str(error).startswith("Invalid isoformat") else f": {error}"
            msg = f"{_shown(value)} is not a date written YYYY-MM-DD{why}"
            raise ValueError(msg) from None
    if isinstance(value, dt.date):
        check_year(None, None, value)  # here, so that the problem names the date's own key
        return value
    msg = f"expected a date (YYYY-MM-DD), got {value!r}"
    raise TypeError(msg)


def _structure_time(value: object, _type: object) -> dt.time:
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str):
        try:
            return dt.time.fromisoformat(value)
        except ValueError as error:
            why = "" if str(error).startswith("Invalid isoformat") else f": {error}"
            msg = f"{_shown(value)} is not a local time written HH:MM{why}"
            raise ValueError(msg) from None
    msg = f"expected a local time (HH:MM), got {value!r}"
    raise TypeError(msg)


def _unstructure_time(value: dt.time) -> str:
    return value.isoformat(timespec="minutes" if value.second == value.microsecond == 0 else "auto")


def _exactly(kind: type, name: str) -> Callable[[object, object], Any]:
    def structure(value: object, _type: object) -> Any:  # noqa: ANN401
        if isinstance(value, bool) and kind is not bool:
            msg = f"expected {name}, got {str(value).lower()}"
            raise TypeError(msg)
        if not isinstance(value, kind):
            msg = f"expected {name}, got {_shown(value)}"
            raise TypeError(msg)
        return value

    return structure


def _enum(value: object, type_: type[enum.StrEnum]) -> enum.StrEnum:
    if not isinstance(value, str):
        msg = f"expected text, got {_shown(value)}"
        raise TypeError(msg)
    try:
        return type_(value)
    except ValueError:
        known = ", ".join(repr(str(member)) for member in type_)
        msg = f"{value!r} is not one of {known}"
        raise ValueError(msg) from None


def json_ready(value: object) -> Any:  # noqa: ANN401
    """Plain data as JSON holds it: dates, times and decimals (as TOML gives them) as text."""
    if isinstance(value, dict):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    if isinstance(value, dt.date | dt.time | Decimal):
        return value.isoformat() if not isinstance(value, Decimal) else str(value)
    return value


def _shown(value: object) -> str:
    text = str(value) if isinstance(value, Decimal) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."  # noqa: PLR2004


def _list_of(converter: cattrs.Converter) -> Callable[[Any], Callable[[object, object], Any]]:
    def factory(type_: Any) -> Callable[[object, object], Any]:  # noqa: ANN401
        inner = homogenous_tuple_structure_factory(type_, converter)

        def structure(value: object, _type: object) -> Any:  # noqa: ANN401
            if not isinstance(value, list | tuple):
                msg = f"expected a list, got {_shown(value)}"
                raise TypeError(msg)
            return inner(value, type_)

        return structure

    return factory


def configure_converter(converter: cattrs.Converter, rules: Iterable[type[Rule]] = ()) -> None:
    """Teach *converter* callkit's types: exact decimals, dates, times and tagged rules.

    *rules* adds rule classes of a plugin's own to the built-in kinds, each known by its
    ``kind``.

    Decimals become strings, so that no amount passes through a float; dates and times
    become ISO 8601 strings; a rule carries its ``kind``. Text, whole numbers, yes/no
    values and lists must be given as such: ``"NO"`` is not a list of countries, and
    ``20.9`` is not a quota.
    """
    rules = tuple(rules)
    clashes = [cls.kind for cls in rules if cls.kind in RULE_KINDS]
    if clashes:
        msg = f"the rule kinds {clashes} are built in; give your rule classes kinds of their own"
        raise ValueError(msg)
    converter.register_structure_hook(str, _exactly(str, "text"))
    converter.register_structure_hook(int, _exactly(int, "a whole number"))
    converter.register_structure_hook(bool, _exactly(bool, "true or false"))
    # The hook for str would also catch the str enums, such as a milestone's kind.
    converter.register_structure_hook(enum.StrEnum, _enum)
    converter.register_structure_hook_factory(
        lambda t: is_sequence(t) and getattr(t, "__origin__", None) is tuple,
        _list_of(converter),
    )
    converter.register_structure_hook(Decimal, _structure_decimal)
    converter.register_unstructure_hook(Decimal, str)
    converter.register_structure_hook(dt.date, _structure_date)
    converter.register_unstructure_hook(dt.date, dt.date.isoformat)
    converter.register_structure_hook(dt.time, _structure_time)
    converter.register_unstructure_hook(dt.time, _unstructure_time)
    known = {**RULE_KINDS, **{cls.kind: cls for cls in rules}}
    kinds = ", ".join(sorted(known))

    def structure_rule(value: object, _type: object) -> Rule:
        if not isinstance(value, dict):
            msg = f"a rule is a table of keys, got {value!r}"
            raise TypeError(msg)
        kind = value.get("kind")
        cls = known.get(kind) if isinstance(kind, str) else None
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

    def unstructure_change(change: Change) -> dict[str, Any]:
        data = {"op": change.op, "path": change.path}
        if change.value is not None:
            data["value"] = json_ready(change.value)
        return data

    converter.register_unstructure_hook(Change, unstructure_change)


class _Converter(cattrs.Converter):
    """A converter that makes the structuring code of each attrs class once.

    cattrs makes a new structure function for a class each time it meets the class as the
    type of a field, without keeping it: ``Text`` is the type of some twenty fields and
    ``Provenance`` of some fifteen, and generating and compiling their code again for each
    would be a third of loading a definition. Here a class's function is taken from the
    converter's own cache, which cattrs empties whenever a hook is registered, so the
    function is the one cattrs would make, made once.
    """

    def get_structure_hook(self, type: Any, cache_result: bool = True) -> Any:  # noqa: A002, ANN401, FBT001, FBT002  (cattrs's signature)
        """The hook for *type*; an attrs class's comes from the cache."""
        if not cache_result and attrs.has(type):
            cache_result = True
        return super().get_structure_hook(type, cache_result)


@cache
def _shared_converter() -> cattrs.Converter:
    """The converter callkit reads definitions with when none is given.

    Building one generates code for every class, which is worth doing once per process;
    it is configured once and not changed after.
    """
    return make_converter()


def make_converter(rules: Iterable[type[Rule]] = ()) -> cattrs.Converter:
    """A new converter for call definitions; strict about unknown keys.

    *rules* are rule classes of a plugin's own, beside the built-in kinds.
    """
    converter = _Converter(
        forbid_extra_keys=True,
        unstruct_collection_overrides={tuple: list},
    )
    configure_converter(converter, rules)
    return converter


def _structure_version(
    data: Any,  # noqa: ANN401
    origin: str,
    converter: cattrs.Converter,
) -> Call:
    try:
        return converter.structure(data, Call)
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as error:
        if isinstance(error, cattrs.BaseValidationError):
            problems = cattrs.transform_error(error, format_exception=_format_exception)
        else:
            problems = [str(error)]
        raise DefinitionError(origin, problems) from error


def structure_version(data: Any, origin: str) -> Call:  # noqa: ANN401
    """One version of a call from plain data, with callkit's converter.

    Raises :class:`DefinitionError`.
    """
    return _structure_version(data, origin, _shared_converter())


def structure_definition(
    data: Any,  # noqa: ANN401  (plain data of any shape; the converter checks it)
    *,
    origin: str = "<data>",
    converter: cattrs.Converter | None = None,
) -> CallDefinition:
    """Build a :class:`~callkit.CallDefinition` (a call and its amendments) from plain data.

    Every version is built at once, so that a definition that loads is valid on every
    date. Raises :class:`DefinitionError`, each problem with its key path
    (``$.rules[2].maximum``).
    """
    build: Callable[[dict[str, Any]], Call]
    if converter is None:
        build = Structured(origin)  # picklable, for callkit's cache of definitions
        converter = _shared_converter()
    else:
        build = partial(_structure_version, origin=origin, converter=converter)
    if not isinstance(data, dict):
        raise DefinitionError(
            origin, [f"a definition is a table of keys, not {type(data).__name__}"]
        )
    api = data.get("api", 1)
    if api not in API_VERSIONS or isinstance(api, bool):
        supported = ", ".join(map(str, API_VERSIONS))
        problem = (
            f"api: the definition is written for the callkit definition API {api!r}; this "
            f"callkit supports version {supported}"
        )
        raise DefinitionError(origin, [problem])
    if data.get("history") and data.get("amendments"):
        problem = "history: a definition gives its amendments; callkit writes the history"
        raise DefinitionError(origin, [problem])
    base = {k: v for k, v in data.items() if k not in ("amendments", "api")}
    try:
        amendments = converter.structure(data.get("amendments", []), tuple[Amendment, ...])
    except (cattrs.BaseValidationError, ValueError, TypeError) as error:
        if isinstance(error, cattrs.BaseValidationError):
            problems = cattrs.transform_error(
                error, path="$.amendments", format_exception=_format_exception
            )
        else:
            problems = [f"amendments: {error}"]
        raise DefinitionError(origin, problems) from error
    definition = CallDefinition(data=base, amendments=amendments, build=build)
    try:
        definition.versions  # noqa: B018  (builds and so checks every version now)
    except ValueError as error:  # a change that does not apply
        if isinstance(error, DefinitionError):
            raise
        raise DefinitionError(origin, [str(error)]) from error
    return definition


def structure_call(
    data: Any,  # noqa: ANN401  (plain data of any shape; the converter checks it)
    *,
    origin: str = "<data>",
    converter: cattrs.Converter | None = None,
) -> Call:
    """Build a :class:`~callkit.Call` from plain data; raises :class:`DefinitionError`.

    A definition with amendments gives its latest version. Every problem is reported at
    once, each with its key path (``$.rules[2].maximum``).
    """
    return structure_definition(data, origin=origin, converter=converter).latest


def unstructure_definition(
    definition: CallDefinition, *, converter: cattrs.Converter | None = None
) -> dict[str, Any]:
    """A definition as plain data: the call as published, with its amendments."""
    converter = converter or _shared_converter()
    amendments = converter.unstructure(definition.amendments, tuple[Amendment, ...])
    base = unstructure_call(definition.versions[0], converter=converter)
    base.pop("history", None)  # the version as published has none
    return {**base, "amendments": amendments} if amendments else base


def unstructure_call(call: Call, *, converter: cattrs.Converter | None = None) -> dict[str, Any]:
    """A call as plain data (JSON-ready), the inverse of :func:`structure_call`."""
    data: dict[str, Any] = (converter or _shared_converter()).unstructure(call)
    return data


def _format_exception(error: BaseException, _type: type | None) -> str:
    if isinstance(error, KeyError):
        return f"required key {error.args[0]!r} is missing" if error.args else "a key is missing"
    if isinstance(error, cattrs.ForbiddenExtraKeysError):
        return f"unknown keys: {', '.join(sorted(error.extra_fields))}"
    return f"{error}" if str(error) else type(error).__name__


def load_call(
    path: str | Path | Traversable,
    as_of: dt.date | None = None,
    *,
    converter: cattrs.Converter | None = None,
) -> Call:
    """Read a call from a TOML or JSON definition file: the version in force on *as_of*.

    Without *as_of*, the latest version. Raises :class:`DefinitionError`.
    """
    return load_definition(path, converter=converter).as_of(as_of)


def load_definition(
    path: str | Path | Traversable, *, converter: cattrs.Converter | None = None
) -> CallDefinition:
    """Read a call and its amendments from a TOML or JSON file.

    Pass a *converter* from :func:`make_converter` to read rule kinds of your own.
    """
    return structure_definition(read_definition_data(path), origin=str(path), converter=converter)
