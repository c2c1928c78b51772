"""Finding calls: plugins register them under the entry point group ``callkit.calls``.

Each entry point's name is a call id and its value an object that is a
:class:`~callkit.Call` or a function returning one::

    [project.entry-points."callkit.calls"]
    intpart-2022 = "callkit_intpart:intpart_2022"

Listing ids reads only the entry points' metadata; a plugin's code is imported when one of
its calls is first asked for, once per process.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping

import attrs

from callkit._call import Call
from callkit._errors import CallNotFoundError, PluginError

ENTRY_POINT_GROUP = "callkit.calls"
"""The entry point group under which plugins register their calls."""


@attrs.frozen
class CallEntry:
    """Where a call comes from: the call id, its loader and the distribution behind it."""

    id: str
    load: Callable[[], object] = attrs.field(eq=False)
    origin: str


def _entry_points() -> list[CallEntry]:
    from importlib_metadata import entry_points  # noqa: PLC0415

    entries = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        dist = ep.dist
        origin = f"{dist.name} {dist.version}" if dist is not None else "an unknown distribution"
        entries.append(CallEntry(ep.name, ep.load, f"{origin} (entry point {ep.value})"))
    return entries


class Registry:
    """The calls that can be asked for by id.

    Build one from installed plugins with :meth:`from_entry_points`, or from given calls
    with :meth:`from_calls` (for tests and scripts that want no discovery at all).
    Loading is thread-safe and each call is built at most once.
    """

    def __init__(self, entries: Iterable[CallEntry]) -> None:
        """Build a registry from call entries; ids offered twice are refused when asked for."""
        self._entries: dict[str, list[CallEntry]] = {}
        for entry in entries:
            self._entries.setdefault(entry.id, []).append(entry)
        self._loaded: dict[str, Call] = {}
        self._lock = threading.RLock()  # a plugin may build on another call

    @classmethod
    def from_entry_points(cls) -> Registry:
        """A registry of every call that installed distributions register."""
        return cls(_entry_points())

    @classmethod
    def from_calls(cls, calls: Iterable[Call] | Mapping[str, Call]) -> Registry:
        """A registry of the given calls, without looking at what is installed."""
        values = calls.values() if isinstance(calls, Mapping) else calls
        return cls(CallEntry(c.id, _constant(c), "given") for c in values)

    def ids(self) -> list[str]:
        """The ids of every call, sorted."""
        return sorted(self._entries)

    def __contains__(self, call_id: object) -> bool:
        """Whether a call with this id is registered."""
        return call_id in self._entries

    def get(self, call_id: str) -> Call:
        """The call *call_id*; raises :class:`CallNotFoundError` or :class:`PluginError`."""
        call = self._loaded.get(call_id)
        if call is not None:
            return call
        entries = self._entries.get(call_id)
        if not entries:
            raise CallNotFoundError(call_id, self._entries)
        if len(entries) > 1:
            origins = " and ".join(e.origin for e in entries)
            msg = f"the call {call_id!r} is offered twice, by {origins}; uninstall one of them"
            raise PluginError(msg)
        with self._lock:
            call = self._loaded.get(call_id)
            if call is None:
                call = self._load(entries[0])
                self._loaded[call_id] = call
        return call

    @staticmethod
    def _load(entry: CallEntry) -> Call:
        try:
            found = entry.load()
            call = found() if callable(found) else found
        except Exception as error:
            msg = f"the plugin for {entry.id!r} from {entry.origin} failed to load: {error}"
            raise PluginError(msg) from error
        if not isinstance(call, Call):
            msg = (
                f"the plugin for {entry.id!r} from {entry.origin} gave a "
                f"{type(call).__name__}, not a callkit.Call"
            )
            raise PluginError(msg)
        if call.id != entry.id:
            msg = (
                f"the plugin from {entry.origin} registers {entry.id!r} but its call's id "
                f"is {call.id!r}"
            )
            raise PluginError(msg)
        return call


def _constant(call: Call) -> Callable[[], Call]:
    return lambda: call


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


def get_call(call_id: str) -> Call:
    """The installed call *call_id*.

    Raises :class:`CallNotFoundError` (a ``LookupError``) naming the nearest ids when there
    is no such call, and :class:`PluginError` when its plugin fails to load.
    """
    return default_registry().get(call_id)
