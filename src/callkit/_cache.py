"""callkit's on-disk caches: what one run read and worked out, kept for the next.

Everything is kept in callkit's cache folder, ``$XDG_CACHE_HOME/callkit``
(``~/.cache/callkit`` when ``XDG_CACHE_HOME`` is not set or not an absolute path):

``summaries.json``
    What ``callkit calls`` lists of each definition file. Parsing the TOML is most of what
    listing costs beyond finding the plugins.
``definitions/``
    Each definition file a plugin registers, as callkit structured and validated it, one
    pickle a file. Parsing, structuring with cattrs and building and checking every version
    is most of what ``callkit check`` spends on a short list beyond importing.
``discovery.json``
    Which installed distributions register calls, and their entry points, under the state of
    each folder of the search path and of each distribution's ``entry_points.txt``. Finding
    them anew means importing ``importlib_metadata`` and reading every distribution's entry
    points, much of what a short ``callkit check`` costs beyond importing its own model.
``countries.json``
    The tables of country names that :mod:`callkit._countries` makes of babel's CLDR data,
    under babel's version: reading CLDR's files costs more than checking a short list.

What is kept of a definition file is kept under the file's absolute path together with the
file's size, modification time, change time and inode: a file that differs in any of them
is read again. A file changed in the last two seconds is not kept, since a second change
within the file system's clock tick would leave its times as they were.

The caches only ever save work. One that cannot be read, is damaged, or was written by
another version of callkit or Python counts as empty; one that cannot be written is left
alone; nothing of it reaches the user. ``CALLKIT_DISABLE_CACHE=1`` turns them all off.

Unpickling runs whatever code the pickle names, so a pickle is only as safe as whoever can
write it. callkit writes its caches itself, readable and writable by the user alone (0600,
in a folder of mode 0700), and reads none that belongs to another user or that others may
write, nor any in a folder that is not the user's or that others may write; what they hold
is what callkit read from a definition file and validated. Whoever can write them can
already change the user's own files, callkit's modules among them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sys
import threading
import time
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from callkit._version import __version__

if TYPE_CHECKING:
    from collections.abc import Callable

    from callkit._summary import CallSummary
    from callkit._versions import CallDefinition

FORMAT = 1
"""The layout of the cache file; a file of another layout counts as empty."""

MAX_FILES = 1024
"""How many definition files the cache remembers; those kept longest ago go first."""

RECENT_NS = 2_000_000_000
"""A file modified or changed less than this long ago (ns) is read but not remembered."""

Stamp = list[int]
"""What tells a file's versions apart: size, modification and change times, inode."""


def cache_folder() -> Path | None:
    """The cache folder, or ``None`` when caching is turned off or there is no home."""
    if os.environ.get("CALLKIT_DISABLE_CACHE", "").strip().lower() in {"1", "true", "yes"}:
        return None
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not Path(base).is_absolute():  # the XDG rule: a relative path is ignored
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home directory to be found
            return None
    return Path(base) / "callkit"


def cache_file() -> Path | None:
    """Where the cache of summaries lives, or ``None`` when it is turned off or there is no home."""
    folder = cache_folder()
    return None if folder is None else folder / "summaries.json"


def _header(code: list[int], **more: object) -> dict[str, Any]:
    """What a cache entry was written under: the cache's layout, callkit, Python, *code*.

    *code* stamps the callkit modules whose changes a checkout makes without a new version;
    *more* is what else the entry depends on. An entry read under another header counts as
    not kept.
    """
    return {
        "format": FORMAT,
        "callkit": __version__,
        "python": [sys.implementation.name, *sys.version_info[:2]],
        "code": code,
        **more,
    }


def _stamp(path: Path) -> Stamp | None:
    try:
        info = path.stat()
    except (OSError, ValueError):  # ValueError: a name no file can have (a NUL in it)
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def _to_json(summary: CallSummary | None) -> Any:  # noqa: ANN401
    if summary is None:
        return None
    deadlines = [
        [d.date().isoformat(), d.time().isoformat(), str(d.tzinfo)] for d in summary.deadlines
    ]
    return [*summary[:5], deadlines]


def _from_json(data: Any) -> CallSummary | None:  # noqa: ANN401
    """The summary kept as *data*; raises for data that is not one."""
    from zoneinfo import ZoneInfo  # noqa: PLC0415

    from callkit._summary import CallSummary  # noqa: PLC0415

    if data is None:
        return None
    *texts, deadlines = data
    if len(texts) != 5 or not all(isinstance(t, str) for t in texts):  # noqa: PLR2004
        raise TypeError(texts)
    return CallSummary._make(
        [
            *texts,
            tuple(
                dt.datetime.combine(
                    dt.date.fromisoformat(day), dt.time.fromisoformat(at), tzinfo=ZoneInfo(zone)
                )
                for day, at, zone in deadlines
            ),
        ]
    )


class SummaryCache:
    """The summaries of definition files, as kept on disk; see the module's description.

    :meth:`get` and :meth:`put` work in memory, :meth:`save` writes what was added.
    """

    def __init__(self, path: Path | None) -> None:
        """The cache kept in *path*; ``None`` keeps nothing."""
        self.path = path
        self._header = _header(_package_code() if path is not None else [])
        self._files: dict[str, Any] = {}
        self._stamps: dict[str, Stamp | None] = {}
        self._dirty = False
        if path is not None:
            self._files = _read_json(path, self._header, "files")

    @classmethod
    def default(cls) -> SummaryCache:
        """The cache in the user's cache folder, or one that keeps nothing."""
        return cls(cache_file())

    def get(self, file: Path) -> tuple[bool, CallSummary | None]:
        """Whether *file*'s summary is kept, and the summary (``None``: it needs the model).

        The file's stamp is taken here, before the file is read, so that :meth:`put` keeps
        what was read under the stamp of the file as it was then, never a later one.
        """
        if self.path is None:
            return False, None
        key = str(file.absolute())
        stamp = self._stamps[key] = _stamp(file)
        entry = self._files.get(key)
        if stamp is None or not isinstance(entry, dict) or entry.get("stamp") != stamp:
            return False, None
        try:
            return True, _from_json(entry.get("summary"))
        except (TypeError, ValueError, LookupError):  # damaged, or a zone no longer known
            return False, None

    def put(self, file: Path, summary: CallSummary | None) -> None:
        """Keep *summary* as *file*'s, under the stamp :meth:`get` took."""
        key = str(file.absolute())
        stamp = self._stamps.get(key)
        if self.path is None or stamp is None:
            return
        now = time.time_ns()
        if now - max(stamp[1], stamp[2]) < RECENT_NS:
            return
        self._files.pop(key, None)
        self._files[key] = {"stamp": stamp, "summary": _to_json(summary)}
        while len(self._files) > MAX_FILES:
            del self._files[next(iter(self._files))]
        self._dirty = True

    def save(self) -> None:
        """Write the cache if anything was added; quietly do nothing when that fails."""
        if self.path is None or not self._dirty:
            return
        self._dirty = False
        _write_json(self.path, self._header, "files", self._files)


# -- discovery ------------------------------------------------------------------------

DISCOVERY = "discovery.json"
"""The file, in the cache folder, of what discovery found on each search path."""

MAX_PATHS = 16
"""How many search paths discovery remembers; those kept longest ago go first."""


class DiscoveryCache:
    """What discovery found on one search path, kept until any part of the path changes.

    What was found is kept under a stamp of each folder of the path (installing or removing
    a distribution adds or removes a folder in it, which changes its times) and of the
    ``entry_points.txt`` of each distribution found (changed in place, its times change
    too). It counts as not kept when any of them differs, including a file that is now
    there and was not, or the other way round; and when it was written by another callkit
    or Python. Nothing is kept when any of them changed less than two seconds before
    discovery began to look.
    """

    def __init__(self, path: Path | None, search: list[str]) -> None:
        """What was found on *search*, kept in *path* (``None``: nowhere)."""
        self.path = path
        self._search = search
        self._key = json.dumps(search)
        self._header = _header(_code_of("_registry.py") if path is not None else [])
        self._paths: dict[str, Any] | None = None

    @classmethod
    def default(cls, search: list[str]) -> DiscoveryCache:
        """What was found on *search*, kept in the user's cache folder, or kept nowhere."""
        folder = cache_folder()
        return cls(None if folder is None else folder / DISCOVERY, search)

    def _loaded(self) -> dict[str, Any]:
        if self._paths is None:
            self._paths = _read_json(self.path, self._header, "paths")
        return self._paths

    def get(self) -> Any | None:  # noqa: ANN401  (what was kept: the caller checks it)
        """What was found on the search path, if kept and nothing changed since; else ``None``."""
        if self.path is None:
            return None
        entry = self._loaded().get(self._key)
        if not isinstance(entry, dict):
            return None
        folders, stamps, found = entry.get("folders"), entry.get("stamps"), entry.get("found")
        if not isinstance(folders, list) or not all(isinstance(f, str) for f in folders):
            return None
        now = self._stamps(folders)
        if now != stamps:
            return None
        # Each distribution found has entry points, so its folder is watched and its
        # entry_points.txt is there; anything else is damage.
        points = dict(zip(folders, now[len(self._search) :], strict=True))
        if not isinstance(found, list) or not all(
            isinstance(item, list) and item and points.get(item[0]) for item in found
        ):
            return None
        return found

    def put(self, found: Any, folders: list[str], since: int) -> None:  # noqa: ANN401
        """Keep *found* (plain JSON data), made by looking in the metadata *folders*.

        *since* is when the looking began (:func:`time.time_ns`). The stamps are taken now,
        after the folders were read; nothing is kept if any of them changed since two seconds
        before the looking began, for then what was read may be older than its stamp.
        """
        if self.path is None:
            return
        stamps = self._stamps(folders)
        taken = [s for s in stamps if s is not None]
        if any(max(s[1], s[2]) >= since - RECENT_NS for s in taken):
            return
        paths = self._loaded()
        paths.pop(self._key, None)
        paths[self._key] = {"folders": folders, "stamps": stamps, "found": found}
        while len(paths) > MAX_PATHS:
            del paths[next(iter(paths))]
        _write_json(self.path, self._header, "paths", paths)

    def _stamps(self, folders: list[str]) -> list[Stamp | None]:
        """The stamp of each folder of the path, then of each ``entry_points.txt``."""
        return [_stamp(Path(p)) for p in self._search] + [
            _stamp(Path(f, "entry_points.txt")) for f in folders
        ]


# -- private files --------------------------------------------------------------------


def _write_private(path: Path, data: bytes) -> None:
    """Write *data* to *path*, readable and writable by the user alone; raises ``OSError``.

    The data goes to a new file beside *path* first and then takes its place, so that no
    reader sees half of it.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    temporary.unlink(missing_ok=True)  # left by a run with the same process id that died
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        with open(os.open(temporary, flags, 0o600), "wb") as file:  # noqa: PTH123  (a descriptor)
            file.write(data)
        temporary.replace(path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise


def _read_json(path: Path | None, header: dict[str, Any], name: str) -> dict[str, Any]:
    """What the JSON cache file *path* keeps as *name*, if written under *header*.

    Empty when there is no such file, or it is not the user's alone, is damaged, or was
    written under another header.
    """
    file = _open_private(path) if path is not None else None
    if file is None:
        return {}
    with file, contextlib.suppress(OSError, ValueError, RecursionError):
        data = json.loads(file.read())
        if isinstance(data, dict) and data.get("header") == header:
            kept = data.get(name)
            return kept if isinstance(kept, dict) else {}
    return {}


def _write_json(path: Path, header: dict[str, Any], name: str, kept: dict[str, Any]) -> None:
    """Write *kept* as *name* under *header* to the JSON cache file *path*, if it can be.

    Nothing is said when it cannot. The JSON is ASCII: a path in no encoding (a name the
    file system gave in another one) is kept as the escapes of its stand-in characters,
    not refused.
    """
    text = json.dumps({"header": header, name: kept})
    with contextlib.suppress(OSError):
        _write_private(path, text.encode("ascii"))


def _open_private(path: Path) -> BinaryIO | None:
    """*path* opened for reading if no one but the user can have written it.

    The file and its folder must be the user's own, and neither writable by others: in a
    folder others may write, another user could put under the entry's name a file of the
    user's that callkit never wrote, such as a link to one.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError:
        return None
    file = open(descriptor, "rb")  # noqa: PTH123, SIM115  (a descriptor; the caller closes it)
    if hasattr(os, "getuid"):
        try:
            stats = [os.fstat(descriptor), path.parent.stat()]
        except OSError:
            stats = []
        if not stats or any(s.st_uid != os.getuid() or s.st_mode & 0o022 for s in stats):
            file.close()
            return None
    return file


# -- definitions ----------------------------------------------------------------------

DEFINITIONS = "definitions"
"""The folder, in the cache folder, of the definitions kept one pickle a file."""

MAX_DEFINITIONS = 256
"""How many definition files are kept; those written longest ago go first."""


def _package_code() -> list[int]:
    """The size and modification time of each of callkit's modules.

    A pickled definition is only as good as the classes it is read back into and the
    checks it passed. An installed callkit changes them only with its version; a checkout
    changes them without one.
    """
    stamp: list[int] = []
    try:
        with os.scandir(Path(__file__).parent) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.name.endswith(".py"):
                    info = entry.stat()
                    stamp += [info.st_size, info.st_mtime_ns]
    except OSError:
        return []
    return stamp


_DEPENDENCIES = ("attrs", "cattrs", "pendulum", "holidays", "babel", "tzdata")
"""The packages a definition's checks rely on: its classes, its times, its working days."""


def _dependencies() -> list[object]:
    """The size and modification time of each dependency's ``__init__.py``, found unimported.

    A definition validated with one version of the zone database or of the holidays, and
    read back under another, might hold a time that no longer exists or a working day that
    no longer is; an upgrade of any of them makes the kept definition count as not kept.
    """
    from importlib.util import find_spec  # noqa: PLC0415

    stamp: list[object] = []
    for name in _DEPENDENCIES:
        try:
            spec = find_spec(name)
            origin = spec.origin if spec is not None else None
            info = os.stat(origin) if origin else None  # noqa: PTH116
        except (ImportError, OSError, ValueError):
            info = None
        stamp += [name, *((info.st_size, info.st_mtime_ns) if info else ())]
    return stamp


def _definition_entry(folder: Path, key: str) -> Path:
    """The file in which the definition read from *key* (an absolute path) is kept.

    The name only spreads the files out: the entry says whose it is in its header.
    """
    checksum = zlib.crc32(key.encode("utf-8", "surrogateescape"))
    return folder / DEFINITIONS / f"{Path(key).name}.{checksum:08x}.pickle"


def definition(file: Path, read: Callable[[], CallDefinition]) -> CallDefinition:
    """The definition in *file*, as kept in the cache, or as *read* gives it and then kept.

    *read* reads and validates *file*; what it raises passes through, and a file that fails
    to load is never kept. The file's stamp is taken before it is read, so that what was
    read is kept under the stamp of the file as it was then, never a later one.
    """
    folder = cache_folder()
    stamp = _stamp(file) if folder is not None else None
    if folder is None or stamp is None:
        return read()
    key = str(file.absolute())
    entry = _definition_entry(folder, key)
    header = _header(_package_code(), dependencies=_dependencies(), file=key, stamp=stamp)
    kept = _load_definition(entry, header)
    if kept is not None:
        return kept
    loaded = read()
    if time.time_ns() - max(stamp[1], stamp[2]) >= RECENT_NS:
        _save_definition(entry, header, loaded)
    return loaded


def _load_definition(entry: Path, header: dict[str, Any]) -> CallDefinition | None:
    """The definition kept in *entry* if its header is *header*; otherwise ``None``.

    The header is a pickle of its own, before the definition's, so that a stale entry is
    told apart without reading the definition.
    """
    import pickle  # noqa: PLC0415  (only a run that loads a call needs it)

    from callkit._versions import CallDefinition  # noqa: PLC0415

    file = _open_private(entry)
    if file is None:
        return None
    with file:
        try:
            if pickle.load(file) != header:  # noqa: S301  (the user's own file: see above)
                return None
            kept = pickle.load(file)  # noqa: S301
        except Exception:  # noqa: BLE001  (a damaged entry may fail in any way: it counts as none)
            return None
    return kept if isinstance(kept, CallDefinition) else None


def _save_definition(entry: Path, header: dict[str, Any], kept: CallDefinition) -> None:
    """Keep *kept* in *entry* under *header*; quietly do nothing when that fails."""
    import pickle  # noqa: PLC0415

    try:
        data = pickle.dumps(header, protocol=pickle.HIGHEST_PROTOCOL) + pickle.dumps(
            kept, protocol=pickle.HIGHEST_PROTOCOL
        )
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return  # a definition that holds what pickle cannot write is not kept
    try:
        _write_private(entry, data)
    except OSError:
        return
    _forget_oldest(entry.parent, MAX_DEFINITIONS)


def _forget_oldest(folder: Path, keep: int) -> None:
    """Remove all but the *keep* files of *folder* written last."""
    try:
        with os.scandir(folder) as entries:
            files = [(e.stat().st_mtime_ns, e.path) for e in entries if e.name.endswith(".pickle")]
        for _written, path in sorted(files)[: max(0, len(files) - keep)]:
            Path(path).unlink(missing_ok=True)
    except OSError:
        return


# -- tables ---------------------------------------------------------------------------


class TableCache:
    """Tables of text that callkit makes of another package's data, kept in one JSON file.

    Each table maps text to text and has a name. The file is read when first needed; a
    table is written as soon as it is made, so that the next process finds it. The file
    counts as empty when it was written under another *source* (the version of the data
    the tables are made of), another callkit, or another Python, whose Unicode data the
    folding of names depends on.
    """

    def __init__(self, path: Path | None, source: str | None, code: str) -> None:
        """Tables kept in *path* (``None``: kept nowhere), made of data of version *source*.

        ``None`` as *source*, a version not to be found, keeps nothing either. *code* names
        the module that makes the tables, whose changes a checkout makes without a version.
        """
        self.path = path if source is not None else None
        self._header = _header(_code_of(code) if self.path is not None else [], source=source)
        self._tables: dict[str, Any] | None = None

    @classmethod
    def default(cls, name: str, source: str | None, code: str) -> TableCache:
        """The tables kept as *name* in the user's cache folder, or kept nowhere."""
        folder = cache_folder()
        return cls(None if folder is None else folder / name, source, code)

    def _loaded(self) -> dict[str, Any]:
        if self._tables is None:
            self._tables = _read_json(self.path, self._header, "tables")
        return self._tables

    def get(self, name: str) -> dict[str, str] | None:
        """The table *name* as kept, or ``None`` if it is not (or is damaged)."""
        table = self._loaded().get(name)
        if not isinstance(table, dict):
            return None
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in table.items()):
            return None
        return table

    def put(self, name: str, table: dict[str, str]) -> None:
        """Keep *table* as *name*, writing the file now; quietly do nothing when that fails."""
        tables = self._loaded()
        tables[name] = table
        if self.path is None:
            return
        _write_json(self.path, self._header, "tables", tables)


def _code_of(module: str) -> list[int]:
    """The size and modification time of callkit's module *module* (``_countries.py``)."""
    try:
        info = (Path(__file__).parent / module).stat()
    except OSError:
        return []
    return [info.st_size, info.st_mtime_ns]
