"""Finding calls: plugins register them under the entry point group ``callkit.calls``.

Each entry point's name is a call id. Its value is either the path of a definition file
inside the distribution (``package/file.toml`` or ``.json``), which callkit reads through
the distribution's files without importing the package::

    [project.entry-points."callkit.calls"]
    intpart-2022 = "callkit_intpart/intpart-2022.toml"

or an object reference (``package.module:name``) to a :class:`~callkit.Call`, a
:class:`~callkit.CallDefinition`, or a function returning either, for calls that need
code. A code plugin says which definition API it was written for with an entry point in
the group ``callkit.api`` named after its distribution (``my-plugin = "1"``); a
definition file says it with ``api = 1``. Either is checked before anything is imported.

Discovery reads the installed distributions' metadata once per process and imports
nothing; a call is loaded when it is first asked for. The environment controls it:

``CALLKIT_PLUGINS``
    a comma-separated list of entry point names (call ids): only these are discovered.
``CALLKIT_DISABLE_PLUGIN_AUTOLOAD``
    when ``1``, no plugin is discovered except those named in ``CALLKIT_PLUGINS``.
``CALLKIT_STRICT``
    when ``1``, any plugin failure is an error rather than a warning.
"""

from __future__ import annotations

import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from callkit._errors import CallNotFoundError, DefinitionError, PluginError

if TYPE_CHECKING:
    import datetime as dt

    from callkit._cache import SummaryCache
    from callkit._call import Call
    from callkit._cases import Case
    from callkit._summary import CallSummary
    from callkit._versions import CallDefinition

ENTRY_POINT_GROUP = "callkit.calls"
"""The entry point group under which plugins register their calls."""

TESTS_GROUP = "callkit.tests"
"""The entry point group in which a code plugin names the file of its call's cases."""

API_GROUP = "callkit.api"
"""The entry point group in which a code plugin declares its definition API version."""


DATA_SUFFIXES = (".toml", ".json")
"""The endings of entry point values that name a definition file rather than code."""


def _log_failure(error: PluginError) -> None:
    """Report a plugin failure on the ``callkit`` logger (loaded only when one fails)."""
    import logging  # noqa: PLC0415

    log = logging.getLogger("callkit")
    if not any(isinstance(h, logging.NullHandler) for h in log.handlers):
        # A library leaves it to the application to show its log; callkit's command line
        # reports plugin failures itself.
        log.addHandler(logging.NullHandler())
    log.warning("%s", error)


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes"}


class CallEntry:
    """Where a call comes from: its id, its loader, and the distribution behind it.

    ``api`` is the definition API version the plugin declares (``None`` if it declares
    none, which is taken as version 1); ``cases`` finds the file of its example cases.
    What needs the distribution's metadata read (its name, version and API) is read when
    first asked for, so that listing ids reads no more than the entry points.
    """

    def __init__(
        self,
        id: str,  # noqa: A002  (the call's id, as everywhere in callkit)
        load: Callable[[], object],
        origin: str | None = None,
        *,
        distribution: str | None = None,
        version: str | None = None,
        value: str | None = None,
        api: str | None = None,
        cases: Callable[[], Path | None] | None = None,
        read: Callable[[], Any] | None = None,
        locate: Callable[[], Path] | None = None,
        dist: Any = None,  # noqa: ANN401  (an importlib_metadata Distribution)
    ) -> None:
        """Describe one call entry point; *dist* supplies what is not given.

        *read* gives a definition file's plain data, for listing without loading, and
        *locate* the file it reads, so that what listing reads of it can be kept.
        """
        self.id = id
        self.load = load
        self.value = value
        self.cases = cases
        self.read = read
        self.locate = locate
        self._origin = origin
        self._distribution = distribution
        self._version = version
        self._api = api
        self._dist = dist

    @cached_property
    def distribution(self) -> str | None:
        """The name of the distribution that registers the call."""
        if self._distribution is None and self._dist is not None:
            return str(self._dist.name)
        return self._distribution

    @cached_property
    def version(self) -> str | None:
        """The distribution's version."""
        if self._version is None and self._dist is not None:
            return str(self._dist.version)
        return self._version

    @cached_property
    def api(self) -> str | None:
        """The definition API version the distribution declares, if it declares one.

        The declaration is named after the distribution. Most plugins declare none, and
        then the distribution's name (which means parsing its ``METADATA`` with the
        ``email`` package, a cost at every start-up) is not needed. Otherwise the
        name the metadata folder is named after is tried first, then the metadata's own.
        """
        if self._api is not None or self._dist is None:
            return self._api
        declared = [ep for ep in self._dist.entry_points if ep.group == API_GROUP]
        if not declared:
            return None
        folder = getattr(self._dist, "_normalized_name", None)
        for name in (folder, self.distribution):
            if name is None:
                continue
            for ep in declared:
                if _normal(ep.name) == _normal(name):
                    return str(ep.value).strip()
        return None

    @property
    def origin(self) -> str:
        """The distribution, its version and the entry point, for messages."""
        if self._origin is not None:
            return self._origin
        return f"{self.distribution} {self.version} (entry point {self.value})"

    def __repr__(self) -> str:
        """Name the call and where it comes from."""
        return f"CallEntry({self.id!r}, from {self.origin})"

    @property
    def data(self) -> bool:
        """Whether the call is a definition file rather than code."""
        return bool(self.value) and str(self.value).strip().endswith(DATA_SUFFIXES)


class PluginStatus(NamedTuple):
    """What ``callkit plugins`` says of one entry point, and whether its call loads.

    ``error`` is ``None`` when it does.
    """

    entry: CallEntry
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the call loads."""
        return self.error is None


def _data_loader(ep: Any) -> Callable[[], object]:  # noqa: ANN401  (an importlib_metadata EntryPoint)
    """Read the definition file an entry point names, without importing its package.

    What was read and validated is kept in callkit's cache of definitions, so that a later
    process reads it back rather than parsing, structuring and checking the file again.
    """

    def load() -> CallDefinition:
        from callkit import _cache  # noqa: PLC0415

        path = _locate(ep)
        return _cache.definition(path, lambda: _read_definition(path))

    return load


def _read_definition(path: Path) -> CallDefinition:
    """Read, structure and check the definition file *path*."""
    from callkit._convert import structure_definition  # noqa: PLC0415
    from callkit._datafile import read_definition_data  # noqa: PLC0415

    return structure_definition(read_definition_data(path), origin=str(path))


def _data_reader(ep: Any) -> Callable[[], Any]:  # noqa: ANN401
    """Read the plain data of the definition file an entry point names."""

    def read() -> Any:  # noqa: ANN401
        from callkit._datafile import read_definition_data  # noqa: PLC0415

        return read_definition_data(_locate(ep), exact=False)

    return read


def _locator(ep: Any) -> Callable[[], Path]:  # noqa: ANN401
    """Find the definition file an entry point names."""
    return lambda: _locate(ep)


def _locate(ep: Any) -> Path:  # noqa: ANN401
    """The file an entry point names, inside its distribution.

    The file lies where the distribution was installed (``package/file.toml`` beside the
    dist-info folder); only if it is not there is the list of the distribution's files
    read, which means parsing its ``RECORD``.
    """
    relative: str = ep.value.strip()
    dist = ep.dist
    if dist is not None:
        beside = Path(str(dist.locate_file(relative)))
        if beside.is_file():
            return beside
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
    msg = f"{relative!r} is not in the distribution"
    raise FileNotFoundError(msg)


def _cases_locator(ep: Any) -> Callable[[], Path | None] | None:  # noqa: ANN401
    """Find a call's cases: the file a ``callkit.tests`` entry point names.

    For a definition file, the ``.tests.toml`` beside it.
    """
    if ep is None:
        return None

    def locate() -> Path | None:
        from callkit._cases import cases_path  # noqa: PLC0415

        path = _locate(ep)
        if ep.group == ENTRY_POINT_GROUP:
            path = cases_path(path)
        return path if path.is_file() else None

    return locate


def search_path() -> list[str]:
    """Where to look for plugins: ``sys.path`` without the current directory.

    A ``*.dist-info`` folder that happens to lie in the current directory is no plugin,
    unless the user put that directory on the path (with ``PYTHONPATH``). An entry that
    does not exist is left out too: it holds no distribution, and looking in it would make
    ``importlib_metadata`` import its zip file support (``zipp``, ``zipfile``) to try it as
    a zip archive, as it does for the ``python3X.zip`` that ``sys.path`` names by default.
    """
    chosen = {Path(p).absolute() for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p}
    here = Path.cwd()
    found = []
    for entry in sys.path:
        path = Path(entry or ".").absolute()
        if (path != here or here in chosen) and path.exists():
            found.append(entry)
    return found


def _normal(name: str) -> str:
    """A distribution name as packaging compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _wanted() -> frozenset[str] | None:
    """The entry point names the environment allows, or ``None`` for all of them."""
    named = frozenset(
        n.strip() for n in os.environ.get("CALLKIT_PLUGINS", "").split(",") if n.strip()
    )
    if _flag("CALLKIT_DISABLE_PLUGIN_AUTOLOAD"):
        return named
    return named or None


class _Point(NamedTuple):
    """An entry point in one of callkit's groups, as discovery finds and keeps it."""

    group: str
    name: str
    value: str


class _Found(NamedTuple):
    """A distribution with entry points in callkit's groups.

    *folder* is its metadata folder (``*.dist-info``), *key* its name as the folder gives
    it, normalized: the name by which a distribution found twice on the path counts once.
    """

    folder: str
    key: str
    points: tuple[_Point, ...]


class _Distribution:
    """A distribution that discovery found; its metadata is read only when first needed.

    It offers what :class:`CallEntry` and the file locator ask of an ``importlib_metadata``
    distribution: its name, version and files (read from its metadata, which means
    importing ``importlib_metadata``), its entry points in callkit's groups, and where a
    file beside its metadata folder lies (which needs neither).
    """

    def __init__(self, found: _Found, dist: Any = None) -> None:  # noqa: ANN401
        """The distribution *found* describes; *dist*, its metadata if already at hand."""
        self._found = found
        self._dist = dist
        self._normalized_name = found.key
        self.entry_points = found.points

    @property
    def _metadata(self) -> Any:  # noqa: ANN401  (an importlib_metadata Distribution)
        if self._dist is None:
            from importlib_metadata import PathDistribution  # noqa: PLC0415

            self._dist = PathDistribution(Path(self._found.folder))
        return self._dist

    @property
    def name(self) -> str:
        """The distribution's name, from its metadata."""
        return str(self._metadata.name)

    @property
    def version(self) -> str:
        """The distribution's version, from its metadata."""
        return str(self._metadata.version)

    @property
    def files(self) -> Any:  # noqa: ANN401
        """The files its ``RECORD`` lists, or ``None``."""
        return self._metadata.files

    def locate_file(self, relative: str) -> Path:
        """Where *relative*, a path beside the metadata folder, lies."""
        if self._dist is not None:
            return Path(str(self._dist.locate_file(relative)))
        return Path(self._found.folder).parent / relative


class _EntryPoint:
    """An entry point of a found distribution; its object is imported only when loaded."""

    def __init__(self, point: _Point, dist: _Distribution) -> None:
        """*point*, as declared by *dist*."""
        self.group, self.name, self.value = point
        self.dist = dist

    def load(self) -> object:
        """Import the object the entry point names, as ``importlib_metadata`` does."""
        from importlib_metadata import EntryPoint  # noqa: PLC0415

        return EntryPoint(self.name, self.value, self.group).load()


_GROUPS = frozenset({ENTRY_POINT_GROUP, TESTS_GROUP, API_GROUP})


def scan_distributions(path: list[str]) -> tuple[list[tuple[_Found, Any]], list[object]]:
    """The distributions on *path* with callkit entry points, each with its metadata.

    A distribution found twice on the path counts once, as for importing: the first. The
    second list is where each distribution's metadata was read (see :func:`_folders`).
    """
    from importlib_metadata import distributions  # noqa: PLC0415

    found: list[tuple[_Found, Any]] = []
    looked: list[object] = []
    seen: set[str] = set()
    for dist in distributions(path=path):
        key = getattr(dist, "_normalized_name", None) or dist.name
        if key in seen:
            continue
        seen.add(key)
        folder = getattr(dist, "_path", None)
        looked.append(folder)
        points = dist.entry_points
        if any(ep.group == ENTRY_POINT_GROUP for ep in points):
            mine = tuple(
                _Point(ep.group, ep.name, ep.value) for ep in points if ep.group in _GROUPS
            )
            found.append((_Found(str(folder or ""), key, mine), dist))
    return found, looked


def _folders(looked: list[object], path: list[str]) -> list[str] | None:
    """The metadata folders *looked* in, if each lies in a folder of *path*; else ``None``.

    These are what the cache of what was found watches. It cannot tell that a distribution
    found elsewhere (in a zip file) has changed, and then keeps nothing.
    """
    searched = {str(Path(p)) for p in path}
    folders = [str(f) for f in looked if isinstance(f, Path)]
    if len(folders) != len(looked):
        return None
    # A folder found in the entry '' (the current folder) is named without one.
    if any((os.path.dirname(f) or ".") not in searched for f in folders):  # noqa: PTH120
        return None
    return folders


def _discover(path: list[str]) -> list[tuple[_Found, Any]]:
    """What :func:`scan_distributions` finds on *path*, or what it found, if nothing changed.

    The cache keeps what was found under the state of every folder of the path and of
    every ``entry_points.txt`` in them; see :class:`callkit._cache.DiscoveryCache`. It
    spares a start-up importing ``importlib_metadata`` and reading each distribution's
    entry points.
    """
    from callkit._cache import DiscoveryCache  # noqa: PLC0415

    # A finder of distributions of its own may find them anywhere, unwatched: then nothing
    # is kept, nor read.
    cache = DiscoveryCache(None, path) if _finder_of_its_own() else DiscoveryCache.default(path)
    try:
        kept = cache.get()
        if kept is not None:
            return [(_decode(item), None) for item in kept]
    except (TypeError, ValueError):  # damaged: found anew below
        pass
    began = time.time_ns()
    found, looked = scan_distributions(path)
    folders = _folders(looked, path) if cache.path is not None else None
    if folders is not None:
        kept = [[f.folder, f.key, [list(p) for p in f.points]] for f, _dist in found]
        cache.put(kept, folders, since=began)
    return found


def _decode(item: Any) -> _Found:  # noqa: ANN401
    """A found distribution as the cache keeps it; raises for anything else."""
    if not (isinstance(item, list) and len(item) == len(_Found._fields)):
        raise TypeError(item)
    folder, key, points = item
    if not (isinstance(folder, str) and isinstance(key, str) and isinstance(points, list)):
        raise TypeError(item)
    for point in points:
        if not (isinstance(point, list) and len(point) == len(_Point._fields)):
            raise TypeError(point)
        if not all(isinstance(part, str) for part in point) or point[0] not in _GROUPS:
            raise TypeError(point)
    return _Found(folder, key, tuple(_Point(*p) for p in points))


_PATH_FINDERS = frozenset(
    {"_frozen_importlib_external.PathFinder", "importlib_metadata.MetadataPathFinder"}
)
"""The finders that look for distributions in the folders of the search path alone.

``importlib_metadata`` adds the second when imported, and takes the first's part.
"""


def _finder_of_its_own() -> bool:
    """Whether the import system has a finder of distributions other than the path's."""
    kinds = (f if isinstance(f, type) else type(f) for f in sys.meta_path)
    names = (f"{k.__module__}.{k.__qualname__}" for k in kinds if hasattr(k, "find_distributions"))
    return any(name not in _PATH_FINDERS for name in names)


def _entry_points(wanted: frozenset[str] | None = None) -> list[CallEntry]:
    """Every call entry point of the distributions on the search path, sorted."""
    entries: list[tuple[str, str, CallEntry]] = []
    for found, metadata in _discover(search_path()):
        dist = _Distribution(found, metadata)
        points = [_EntryPoint(p, dist) for p in found.points]
        calls = [ep for ep in points if ep.group == ENTRY_POINT_GROUP]
        if wanted is not None:
            calls = [ep for ep in calls if ep.name in wanted]
        tests = {ep.name: ep for ep in points if ep.group == TESTS_GROUP}
        for ep in calls:
            data = ep.value.strip().endswith(DATA_SUFFIXES)
            entries.append(
                (
                    ep.name,
                    found.key,
                    CallEntry(
                        ep.name,
                        _data_loader(ep) if data else ep.load,
                        value=ep.value,
                        cases=_cases_locator(tests.get(ep.name) or (ep if data else None)),
                        read=_data_reader(ep) if data else None,
                        locate=_locator(ep) if data else None,
                        dist=dist,
                    ),
                )
            )
    return [entry for _id, _key, entry in sorted(entries, key=lambda e: (e[0], e[1]))]


def _as_definition(found: object) -> CallDefinition | None:
    from callkit._call import Call  # noqa: PLC0415  (the model loads with the first call)
    from callkit._versions import CallDefinition  # noqa: PLC0415

    if isinstance(found, CallDefinition):
        return found
    if isinstance(found, Call):
        return CallDefinition(data={}, amendments=(), build=lambda _data: found)
    return None


def _check_api(entry: CallEntry) -> None:
    if entry.api is None:
        return
    from callkit._convert import API_VERSIONS  # noqa: PLC0415

    supported = ", ".join(map(str, API_VERSIONS))
    if not entry.api.isdigit() or int(entry.api) not in API_VERSIONS:
        msg = (
            f"the plugin for {entry.id!r} from {entry.origin} was written for the callkit "
            f"definition API {entry.api}; this callkit supports version {supported}. "
            "Install a version of the plugin made for this callkit, or another callkit"
        )
        raise PluginError(msg)


class Registry:
    """The calls that can be asked for by id.

    Build one from installed plugins with :meth:`from_entry_points`, or from given calls
    with :meth:`from_calls` (for tests and scripts that want no discovery at all).
    Loading is thread-safe, each definition is read at most once, and a plugin that
    fails is reported once (a warning on the ``callkit`` logger) and then refused with
    the same :class:`PluginError` each time it is asked for. With ``strict``, a plugin
    failure that can be seen without loading (two plugins with one call id) is an error
    at once.
    """

    def __init__(self, entries: Iterable[CallEntry], *, strict: bool = False) -> None:
        """Build a registry from call entries."""
        self._entries: dict[str, list[CallEntry]] = {}
        for entry in entries:
            self._entries.setdefault(entry.id, []).append(entry)
        self.strict = strict
        self._loaded: dict[str, CallDefinition] = {}
        self._failed: dict[str, PluginError] = {}
        self._lock = threading.RLock()  # a plugin may build on another call
        self._summaries: SummaryCache | None = None
        self._summarised_ids: set[str] = set()
        if strict:
            for call_id in self._entries:
                self._single(call_id)

    @classmethod
    def from_entry_points(cls, *, strict: bool | None = None) -> Registry:
        """A registry of the calls that installed distributions register.

        ``CALLKIT_PLUGINS`` and ``CALLKIT_DISABLE_PLUGIN_AUTOLOAD`` choose which; *strict*
        defaults to ``CALLKIT_STRICT``.
        """
        if strict is None:
            strict = _flag("CALLKIT_STRICT")
        return cls(_entry_points(_wanted()), strict=strict)

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

    def entries(self) -> list[CallEntry]:
        """Every entry, sorted by call id and distribution."""
        return [e for call_id in self.ids() for e in self._entries[call_id]]

    def __contains__(self, call_id: object) -> bool:
        """Whether a call with this id is registered."""
        return call_id in self._entries

    def get(self, call_id: str, as_of: dt.date | None = None) -> Call:
        """The call *call_id* in force on *as_of* (default: the latest version).

        Raises :class:`CallNotFoundError`, :class:`PluginError`, or
        :class:`NotInForceError` for a date before the call was published.
        """
        return self.definition(call_id).as_of(as_of)

    def _single(self, call_id: str) -> CallEntry:
        entries = self._entries.get(call_id)
        if not entries:
            raise CallNotFoundError(call_id, self._entries)
        if len(entries) > 1:
            origins = " and ".join(e.origin for e in entries)
            msg = f"the call {call_id!r} is offered twice, by {origins}; uninstall one of them"
            raise PluginError(msg)
        return entries[0]

    def definition(self, call_id: str) -> CallDefinition:
        """The call *call_id* with all its versions."""
        definition = self._loaded.get(call_id)
        if definition is not None:
            return definition
        entry = self._single(call_id)
        with self._lock:
            failed = self._failed.get(call_id)
            if failed is not None:
                raise failed
            definition = self._loaded.get(call_id)
            if definition is None:
                try:
                    definition = self._load(entry)
                except PluginError as error:
                    self._failed[call_id] = error
                    _log_failure(error)
                    raise
                self._loaded[call_id] = definition
        return definition

    def cases(self, call_id: str) -> list[Case]:
        """The example cases the plugin of *call_id* ships (none if it ships none)."""
        from callkit._cases import load_cases  # noqa: PLC0415

        entry = self._single(call_id)
        try:
            path = entry.cases() if entry.cases else None
        except FileNotFoundError as error:
            msg = f"the cases of {call_id!r} from {entry.origin} cannot be found: {error}"
            raise PluginError(msg) from error
        if path is None:
            return []
        try:
            cases = load_cases(path)
        except DefinitionError as error:
            msg = f"the cases of {call_id!r} from {entry.origin} cannot be read: {error}"
            raise PluginError(msg) from error
        for case in cases:
            if case.call != call_id:
                msg = f"{path} holds cases for {case.call!r}, not {call_id!r}"
                raise PluginError(msg)
        return cases

    def summary(self, call_id: str) -> CallSummary:
        """What ``callkit calls`` lists of *call_id*, read from its data where it can be.

        A definition file is summarised from its data without loading the model; if that
        cannot be done (or the data is wrong), or the registry is strict, the call is
        loaded, so that a broken plugin is reported as a :class:`PluginError` as
        :meth:`get` would. What is read of a definition file is kept in an on-disk cache,
        written once every call of the registry has been summarised, as ``callkit calls``
        does; ``CALLKIT_DISABLE_CACHE=1`` turns it off.
        """
        from callkit import _summary  # noqa: PLC0415

        try:
            entry = self._single(call_id)
            if entry.read is not None and call_id not in self._loaded and not self.strict:
                summary = self._from_data(entry)
                if summary is not None and summary.id == call_id:
                    return summary
            return _summary.from_call(self.get(call_id))
        finally:
            self._summarised(call_id)

    def _from_data(self, entry: CallEntry) -> CallSummary | None:
        """The summary of a definition file's data, from the cache if it holds it."""
        from callkit import _summary  # noqa: PLC0415

        assert entry.read is not None  # noqa: S101  (only a definition file is read)
        cache = self._summary_cache()
        path = None
        if cache.path is not None and entry.locate is not None:
            try:
                path = entry.locate()
            except (OSError, ValueError):
                path = None  # reading it below says why
            else:
                with self._lock:
                    kept, summary = cache.get(path)
                if kept:
                    return summary
        try:
            summary = _summary.from_data(entry.read())
        except (DefinitionError, FileNotFoundError, KeyError, TypeError, ValueError):
            return None
        if path is not None:
            with self._lock:
                cache.put(path, summary)
        return summary

    def _summary_cache(self) -> SummaryCache:
        with self._lock:
            if self._summaries is None:
                from callkit._cache import SummaryCache  # noqa: PLC0415

                self._summaries = SummaryCache.default()
            return self._summaries

    def _summarised(self, call_id: str) -> None:
        """Note that *call_id* was summarised; write the cache once every call has been."""
        with self._lock:
            if call_id in self._entries:
                self._summarised_ids.add(call_id)
            if self._summaries is not None and len(self._summarised_ids) == len(self._entries):
                self._summaries.save()

    def statuses(self) -> list[PluginStatus]:
        """Every entry with whether its call loads, loading each that has not yet."""
        statuses = []
        for entry in self.entries():
            try:
                self.definition(entry.id)
            except (PluginError, CallNotFoundError) as error:
                statuses.append(PluginStatus(entry, str(error)))
            else:
                statuses.append(PluginStatus(entry))
        return statuses

    @staticmethod
    def _load(entry: CallEntry) -> CallDefinition:
        _check_api(entry)
        from callkit._call import Call  # noqa: PLC0415
        from callkit._versions import CallDefinition  # noqa: PLC0415

        try:
            found = entry.load()
            if callable(found) and not isinstance(found, Call | CallDefinition):
                found = found()
        except (Exception, RecursionError) as error:
            msg = f"the plugin for {entry.id!r} from {entry.origin} failed to load: {error}"
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
    """The ids of every installed call, sorted. Nothing is imported to list them."""
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
