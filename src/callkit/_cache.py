"""An on-disk cache of what ``callkit calls`` reads from definition files.

To show each call's title and deadline, ``callkit calls`` reads every definition file a
plugin registers; parsing the TOML is most of what listing costs beyond finding the
plugins. The summary of each file is kept in one JSON file,
``$XDG_CACHE_HOME/callkit/summaries.json`` (``~/.cache/callkit/summaries.json`` when
``XDG_CACHE_HOME`` is not set), under the file's absolute path together with the file's
size, modification time, change time and inode: a file that differs in any of them is
read again. A file changed in the last two seconds is not kept, since a second change
within the file system's clock tick would leave its times as they were.

The cache only ever saves work. One that cannot be read, is damaged, or was written by
another version of callkit or Python counts as empty; one that cannot be written is left
alone; nothing of it reaches the user. ``CALLKIT_DISABLE_CACHE=1`` turns it off.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from callkit._version import __version__

if TYPE_CHECKING:
    from callkit._summary import CallSummary

FORMAT = 1
"""The layout of the cache file; a file of another layout counts as empty."""

MAX_FILES = 1024
"""How many definition files the cache remembers; those kept longest ago go first."""

RECENT_NS = 2_000_000_000
"""A file modified or changed less than this long ago (ns) is read but not remembered."""

Stamp = list[int]
"""What tells a file's versions apart: size, modification and change times, inode."""


def cache_file() -> Path | None:
    """Where the cache lives, or ``None`` when it is turned off or there is no home."""
    if os.environ.get("CALLKIT_DISABLE_CACHE", "").strip().lower() in {"1", "true", "yes"}:
        return None
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not Path(base).is_absolute():  # the XDG rule: a relative path is ignored
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home directory to be found
            return None
    return Path(base) / "callkit" / "summaries.json"


def _code() -> list[int]:
    """The sizes and times of the modules that work a summary out, for editable installs.

    An installed callkit changes with its version; a checkout can change without one.
    """
    here = Path(__file__).parent
    stamp: list[int] = []
    for name in ("_summary.py", "_changes.py", "_datafile.py"):
        try:
            info = (here / name).stat()
        except OSError:
            return []
        stamp += [info.st_size, info.st_mtime_ns]
    return stamp


def _stamp(path: Path) -> Stamp | None:
    try:
        info = path.stat()
    except OSError:
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
        self._header = {
            "format": FORMAT,
            "callkit": __version__,
            "python": list(sys.version_info[:2]),
            "code": _code() if path is not None else [],
        }
        self._files: dict[str, Any] = {}
        self._stamps: dict[str, Stamp | None] = {}
        self._dirty = False
        if path is not None:
            self._files = self._load(path)

    @classmethod
    def default(cls) -> SummaryCache:
        """The cache in the user's cache folder, or one that keeps nothing."""
        return cls(cache_file())

    def _load(self, path: Path) -> dict[str, Any]:
        try:
            data = json.loads(path.read_bytes())
        except (OSError, ValueError, RecursionError):
            return {}
        if not isinstance(data, dict) or data.get("header") != self._header:
            return {}
        files = data.get("files")
        return files if isinstance(files, dict) else {}

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
        text = json.dumps({"header": self._header, "files": self._files}, ensure_ascii=False)
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(text, encoding="utf-8")
            temporary.replace(self.path)
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
