"""Finding calls: plugins register them under the entry point group ``callkit.calls``.

Each entry point's name is a call id. Its value is either the path of a definition file
inside the distribution (``package/file.toml`` or ``.json``), which callkit reads through
the distribution's files without importing the package::

    [project.entry-points."callkit.calls"]
    intpart-2022 = "callkit_intpart/intpart-2022.toml"

or an object reference (``package.module:name``) to a :class:`~callkit.Call`, a
:class:`~callkit.CallDefinition`, or a function returning either, for calls that need
code. Listing ids reads only the entry points' metadata; a call is loaded when it is first
asked for, once per process.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from callkit._call import Call
from callkit._errors import CallNotFoundError, DefinitionError, PluginError
from callkit._versions import CallDefinition

if TYPE_CHECKING:
    import datetime as dt

ENTRY_POINT_GROUP = "callkit.calls"
"""The entry point group under which plugins register their calls."""

DATA_SUFFIXES = (".toml", ".json")
"""The endings of entry point values that name a definition file rather than code."""


@attrs.frozen
class CallEntry:
    """Where a call comes from: the call id, its loader and the distribution behind it."""

    id: str
    load: Callable[[], object] = attrs.field(eq=False)
    origin: str


def _data_loader(ep: Any) -> Callable[[], object]:  # noqa: ANN401  (an importlib_metadata EntryPoint)
    """Read the definition file an entry point names, without importing its package."""

    def load() -> CallDefinition:
        from callkit._convert import read_definition_data, structure_definition  # noqa: PLC0415

        path = _locate(ep)
        return structure_definition(read_definition_data(path), origin=str(path))

    return load


def _locate(ep: Any) -> Path:  # noqa: ANN401
    relative: str = ep.value.strip()
    dist = ep.dist
    for file in (dist.files or []) if dist is not None else []:
        if str(file) == relative:
            return Path(str(file.locate()))
    # An editable install lists no package files: find the package's folder without
    # running its code (find_spec of a top-level package imports nothing).
    from importlib.util import find_spec  # noqa: PLC0415

    package, _, rest = relative.partition("/")
    spec = find_spec(package) if package.isidentifier() else None
    if spec is not None and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            candidate = Path(folder) / rest
            if candidate.is_file():
                return candidate
    msg = f"the definition file {relative!r} is not in the distribution"
    raise FileNotFoundError(msg)


def _entry_points() -> list[CallEntry]:
    from importlib_metadata import entry_points  # noqa: PLC0415

    entries = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        dist = ep.dist
        origin = f"{dist.name} {dist.version}" if dist is not None else "an unknown distribution"
        data = ep.value.strip().endswith(DATA_SUFFIXES)
        load = _data_loader(ep) if data else ep.load
        entries.append(CallEntry(ep.name, load, f"{origin} (entry point {ep.value})"))
    return entries


def _as_definition(found: object) -> CallDefinition | None:
    if isinstance(found, CallDefinition):
        return found
    if isinstance(found, Call):
        return CallDefinition(data={}, amendments=(), build=lambda _data: found)
    return None


class Registry:
    """The calls that can be asked for by id.

    Build one from installed plugins with :meth:`from_entry_points`, or from given calls
    with :meth:`from_calls` (for tests and scripts that want no discovery at all).
    Loading is thread-safe and each definition is read at most once.
    """

    def __init__(self, entries: Iterable[CallEntry]) -> None:
        """Build a registry from call entries; ids offered twice are refused when asked for."""
        self._entries: dict[str, list[CallEntry]] = {}
        for entry in entries:
            self._entries.setdefault(entry.id, []).append(entry)
        self._loaded: dict[str, CallDefinition] = {}
        self._lock = threading.RLock()  # a plugin may build on another call

    @classmethod
    def from_entry_points(cls) -> Registry:
        """A registry of every call that installed distributions register."""
        return cls(_entry_points())

    @classmethod
    def from_calls(
        cls, calls: Iterable[Call | CallDefinition] | Mapping[str, Call | CallDefinition]
    ) -> Registry:
        """A registry of the given calls or definitions, without looking at what is installed."""
        values = calls.values() if isinstance(calls, Mapping) else calls
        return cls(CallEntry(c.id, _constant(c), "given") for c in values)

    def ids(self) -> list[str]:
        """The ids of every call, sorted."""
        return sorted(self._entries)

    def __contains__(self, call_id: object) -> bool:
        """Whether a call with this id is registered."""
        return call_id in self._entries

    def get(self, call_id: str, as_of: dt.date | None = None) -> Call:
        """The call *call_id* in force on *as_of* (default: the latest version).

        Raises :class:`CallNotFoundError`, :class:`PluginError`, or
        :class:`NotInForceError` for a date before the call was published.
        """
        return self.definition(call_id).as_of(as_of)

    def definition(self, call_id: str) -> CallDefinition:
        """The call *call_id* with all its versions."""
        definition = self._loaded.get(call_id)
        if definition is not None:
            return definition
        entries = self._entries.get(call_id)
        if not entries:
            raise CallNotFoundError(call_id, self._entries)
        if len(entries) > 1:
            origins = " and ".join(e.origin for e in entries)
            msg = f"the call {call_id!r} is offered twice, by {origins}; uninstall one of them"
            raise PluginError(msg)
        with self._lock:
            definition = self._loaded.get(call_id)
            if definition is None:
                definition = self._load(entries[0])
                self._loaded[call_id] = definition
        return definition

    @staticmethod
    def _load(entry: CallEntry) -> CallDefinition:
        try:
            found = entry.load()
            if callable(found) and not isinstance(found, Call | CallDefinition):
                found = found()
        except (Exception, RecursionError) as error:
            reason = error if isinstance(error, DefinitionError) else f"{error}"
            msg = f"the plugin for {entry.id!r} from {entry.origin} failed to load: {reason}"
            raise PluginError(msg) from error
        definition = _as_definition(found)
        if definition is None:
            msg = (
                f"the plugin for {entry.id!r} from {entry.origin} gave a "
                f"{type(found).__name__}, not a callkit.Call"
            )
            raise PluginError(msg)
        if definition.latest.id != entry.id:
            msg = (
                f"the plugin from {entry.origin} registers {entry.id!r} but its call's id "
                f"is {definition.latest.id!r}"
            )
            raise PluginError(msg)
        return definition


def _constant(value: Call | CallDefinition) -> Callable[[], Call | CallDefinition]:
    return lambda: value


_default: Registry | None = None
_default_lock = threading.Lock()


def default_registry() -> Registry:
    """The registry of installed plugins, discovered once per process."""
    global _default  # noqa: PLW0603  (one discovery per process, by design)
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Registry.from_entry_points()
    return _default


def clear_cache() -> None:
    """Forget what was discovered, so that the next lookup scans the environment again."""
    global _default  # noqa: PLW0603
    with _default_lock:
        _default = None


def list_calls() -> list[str]:
    """The ids of every installed call, sorted."""
    return default_registry().ids()


def get_call(call_id: str, as_of: dt.date | None = None) -> Call:
    """The installed call *call_id*, as in force on *as_of* (default: the latest version).

    Raises :class:`CallNotFoundError` (a ``LookupError``) naming the nearest ids when there
    is no such call, :class:`PluginError` when its plugin fails to load, and
    :class:`NotInForceError` for a date before the call was published.
    """
    return default_registry().get(call_id, as_of)


def get_definition(call_id: str) -> CallDefinition:
    """The installed call *call_id* with all its versions and amendments."""
    return default_registry().definition(call_id)
