"""The cache of definitions: a definition file is parsed and checked again only when it changed."""

from __future__ import annotations

import json
import os
import pickle
import sys
import tempfile
import textwrap
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, given, settings

import callkit
from callkit import _cache
from samples import (
    AN_HOUR_AGO,
    DEMO_DEFINITION,
    age,
    count_definition_reads,
    demo_site,
    run_twice,
    write_distribution,
)
from strategies import applications, calls

if TYPE_CHECKING:
    from collections.abc import Iterator

TUTORIAL = (
    Path(__file__).resolve().parents[1]
    / "examples"
    / "tutorial-plugin"
    / "src"
    / "callkit_tutorial"
    / "nordic-mobility-2030.toml"
)
"""The tutorial plugin's definition file, as a plugin author writes one."""


def _shipped() -> Path:
    """The definition file of the call callkit ships, where the installed callkit has it."""
    callkit.clear_cache()
    (entry,) = (e for e in callkit.Registry.from_entry_points().entries() if e.id == "intpart-2022")
    assert entry.locate is not None
    return entry.locate()


def _never() -> callkit.CallDefinition:
    msg = "the definition was read although it is kept"
    raise AssertionError(msg)


def _assert_same(kept: callkit.CallDefinition, fresh: callkit.CallDefinition) -> None:
    """Everything a definition holds is equal: its data, amendments, versions and builder."""
    assert kept is not fresh
    assert kept.data == fresh.data
    assert kept.amendments == fresh.amendments
    assert kept.versions == fresh.versions
    assert [v.history for v in kept.versions] == [v.history for v in fresh.versions]
    assert kept.build == fresh.build
    assert kept.build(json.loads(json.dumps(kept.data, default=str))) == fresh.versions[0]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The definitions folder, in a cache folder of the test's own.

    Files are kept however recently they changed: the test's files were written a moment
    ago, and nothing changes them behind its back unless a test says otherwise.
    """
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(_cache, "RECENT_NS", 0)
    return tmp_path / "cache" / "callkit" / _cache.DEFINITIONS


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder on sys.path with one data plugin, ``demo-2030``, written an hour ago."""
    return demo_site(tmp_path, monkeypatch, "plugin_kept")


def _demo() -> callkit.CallDefinition:
    """demo-2030, from a fresh discovery."""
    callkit.clear_cache()
    return callkit.get_definition("demo-2030")


class TestEqual:
    """What is read back from the cache equals what is read from the file."""

    @pytest.mark.parametrize("which", ["shipped", "tutorial"])
    @pytest.mark.usefixtures("cache")
    def test_definition_files(self, which: str) -> None:
        """The shipped definition and the tutorial plugin's come back equal, every version."""
        path = _shipped() if which == "shipped" else TUTORIAL
        fresh = callkit.load_definition(path)
        first = _cache.definition(path, lambda: callkit.load_definition(path))
        _assert_same(first, fresh)
        _assert_same(_cache.definition(path, _never), fresh)

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],  # the same for every call
    )
    @given(calls())
    @pytest.mark.usefixtures("cache")
    def test_any_call(self, call: callkit.Call) -> None:
        """Any valid call, written as a definition file, comes back equal from the cache."""
        data = json.loads(json.dumps(callkit.unstructure_call(call)))
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "call.json"
            path.write_text(json.dumps(data), encoding="utf-8")
            fresh = callkit.load_definition(path)
            _cache.definition(path, lambda: callkit.load_definition(path))
            kept = _cache.definition(path, _never)
        _assert_same(kept, fresh)
        assert kept.latest == call


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[tuple[Any, Any]]]:
    """The shipped definition and the tutorial's, each read afresh and back from the cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("kept")))
        patch.setattr(_cache, "RECENT_NS", 0)
        pairs = []
        for path in (_shipped(), TUTORIAL):
            _cache.definition(path, partial(callkit.load_definition, path))
            pairs.append((_cache.definition(path, _never), callkit.load_definition(path)))
        yield pairs


@settings(max_examples=80, deadline=None)
@given(applications)
def test_kept_calls_check_alike(both: list[tuple[Any, Any]], app: callkit.Application) -> None:
    """Every version of a kept definition checks any application as the fresh one does."""
    for kept, fresh in both:
        for old, new in zip(kept.versions, fresh.versions, strict=True):
            assert old.check(app) == new.check(app)
            assert old.review([app, app]) == new.review([app, app])


@pytest.mark.usefixtures("site", "cache")
class TestKept:
    """A data plugin's definition is kept, and read back while its file stays as it was."""

    def test_second_load_reads_no_file(self, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """The second process (here, discovery) to load the call parses no file."""
        first = _demo()
        (entry,) = cache.iterdir()
        assert entry.name.startswith("demo.toml.")
        read = count_definition_reads(monkeypatch)
        _assert_same(_demo(), first)
        assert read == []

    def test_kept_by_many_threads_at_once(self, cache: Path) -> None:
        """Threads that load and keep one definition at once each get it whole, as do later runs."""

        def load(_: int) -> callkit.CallDefinition:
            return callkit.Registry.from_entry_points().definition("demo-2030")

        with ThreadPoolExecutor(8) as pool:
            loaded = list(pool.map(load, range(16)))
        for definition in loaded[1:]:
            _assert_same(definition, loaded[0])
        _assert_same(_demo(), loaded[0])
        assert [e.name.split(".")[0] for e in cache.iterdir()] == ["demo"]

    def test_only_the_user_may_read_it(self, cache: Path) -> None:
        """The kept file is the user's alone, in a folder that is the user's alone."""
        _demo()
        (entry,) = cache.iterdir()
        if os.name == "posix":
            assert entry.stat().st_mode & 0o777 == 0o600
            assert cache.stat().st_mode & 0o777 == 0o700

    def test_changed_file_is_read_again(self, site: Path) -> None:
        """A file changed since, even to the same size, is read again."""
        _demo()
        path = site / "plugin_kept" / "demo.toml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('en = "Demo" }\nprog', 'en = "Omed" }\nprog'), "utf-8")
        assert len(path.read_text(encoding="utf-8")) == len(text)
        age(path, AN_HOUR_AGO // 2)
        assert _demo().latest.title.en == "Omed"

    def test_file_just_changed_is_not_kept(
        self, site: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A file changed a moment ago may change again within its clock's tick: not kept."""
        monkeypatch.setattr(_cache, "RECENT_NS", 2 * 10**9)
        os.utime(site / "plugin_kept" / "demo.toml")
        _demo()
        assert not cache.exists() or not any(cache.iterdir())

    def test_invalid_definition_is_not_kept(self, site: Path, cache: Path) -> None:
        """A definition that fails to load is never kept, and fails the same way each time."""
        broken = DEMO_DEFINITION.replace("demo-2030", "broken-2030")
        write_distribution(
            site,
            "plugin-broken",
            "1.0",
            "[callkit.calls]\nbroken-2030 = plugin_broken/call.toml\n",
            {"plugin_broken/call.toml": broken.replace('zone = "Europe/Oslo"', "")},
        )
        age(site / "plugin_broken" / "call.toml")
        errors = []
        for _ in range(2):
            callkit.clear_cache()
            with pytest.raises(callkit.PluginError) as error:
                callkit.get_definition("broken-2030")
            errors.append(str(error.value))
        assert errors[0] == errors[1]
        assert "milestones[0]" in errors[0]
        assert not cache.exists() or not any(cache.iterdir())

    def test_code_plugin_is_not_kept(self, site: Path, cache: Path) -> None:
        """A call from code is built by the plugin's code each time: nothing is kept."""
        write_distribution(
            site,
            "plugin-code",
            "1.0",
            "[callkit.calls]\ncode-2030 = plugin_code:definition\n",
            {
                "plugin_code/__init__.py": """
                    from pathlib import Path
                    import callkit

                    def definition():
                        return callkit.load_definition(Path(__file__).with_name("code.toml"))
                """,
                "plugin_code/code.toml": DEMO_DEFINITION.replace("demo-2030", "code-2030"),
            },
        )
        callkit.clear_cache()
        assert callkit.get_call("code-2030").id == "code-2030"
        assert not cache.exists()
        sys.modules.pop("plugin_code", None)

    def test_other_callkit_version_is_read_again(
        self, cache: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """What another version of callkit kept is not used; the file is read and kept anew."""
        first = _demo()
        monkeypatch.setattr(_cache, "__version__", "0.0.0-other")
        read = count_definition_reads(monkeypatch)
        _assert_same(_demo(), first)
        assert len(read) == 1
        (entry,) = cache.iterdir()
        with entry.open("rb") as file:
            assert pickle.load(file)["callkit"] == "0.0.0-other"  # noqa: S301  (the test's own)

    @pytest.mark.usefixtures("cache")
    def test_upgraded_dependency_is_read_again(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """After the zone database, the holidays or a model library changes, it is read anew."""
        first = _demo()
        stamp = _cache._dependencies()  # noqa: SLF001  (what the entry is kept under)
        assert "tzdata" in stamp
        assert "holidays" in stamp
        monkeypatch.setattr(_cache, "_dependencies", lambda: [*stamp, "changed"])
        read = count_definition_reads(monkeypatch)
        _assert_same(_demo(), first)
        assert len(read) == 1


def _damaged_entries() -> list[bytes]:
    header_only = pickle.dumps({"format": _cache.FORMAT})
    return [b"", b"\x80\x05 not a pickle", header_only, pickle.dumps([1]) + b"junk"]


@pytest.mark.usefixtures("site", "cache")
class TestHarmless:
    """A cache that is off, damaged, not the user's, or cannot be written changes nothing."""

    @pytest.mark.parametrize(
        "damage", _damaged_entries(), ids=["empty", "no pickle", "header only", "no header"]
    )
    def test_damaged(self, cache: Path, monkeypatch: pytest.MonkeyPatch, damage: bytes) -> None:
        """A damaged entry counts as none: the file is read again, and kept anew."""
        first = _demo()
        (entry,) = cache.iterdir()
        entry.write_bytes(damage)
        read = count_definition_reads(monkeypatch)
        _assert_same(_demo(), first)
        assert len(read) == 1
        _assert_same(_demo(), first)
        assert len(read) == 1

    def test_header_of_another_file(self, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """An entry whose header is right but whose definition is not one is not used."""
        first = _demo()
        (entry,) = cache.iterdir()
        with entry.open("rb") as file:
            header = pickle.load(file)  # noqa: S301  (the test's own)
        entry.write_bytes(pickle.dumps(header) + pickle.dumps({"not": "a definition"}))
        read = count_definition_reads(monkeypatch)
        _assert_same(_demo(), first)
        assert len(read) == 1

    @pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX's")
    def test_others_may_write_it(self, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """An entry that others may write is not read: anyone could have put code in it."""
        _demo()
        (entry,) = cache.iterdir()
        entry.chmod(0o666)
        read = count_definition_reads(monkeypatch)
        _demo()
        assert len(read) == 1

    @pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX's")
    def test_others_may_write_its_folder(
        self, cache: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """An entry in a folder that others may write is not read: it could have been swapped."""
        _demo()
        cache.chmod(0o777)
        read = count_definition_reads(monkeypatch)
        _demo()
        assert len(read) == 1

    def test_turned_off(self, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """With CALLKIT_DISABLE_CACHE=1 nothing is written, and the file is read each time."""
        monkeypatch.setenv("CALLKIT_DISABLE_CACHE", "1")
        read = count_definition_reads(monkeypatch)
        _demo()
        _demo()
        assert len(read) == 2
        assert not cache.parent.exists()

    def test_cannot_be_written(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A cache folder that cannot be made is no error."""
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("", encoding="utf-8")
        monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
        assert _demo().latest.title.en == "Demo"

    def test_many_files(self, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """The folder keeps at most MAX_DEFINITIONS files, forgetting the oldest."""
        monkeypatch.setattr(_cache, "MAX_DEFINITIONS", 2)
        with tempfile.TemporaryDirectory() as folder:
            paths = [Path(folder) / f"demo-{n}.toml" for n in range(3)]
            for n, path in enumerate(paths):
                path.write_text(textwrap.dedent(DEMO_DEFINITION), encoding="utf-8")
                _cache.definition(path, partial(callkit.load_definition, path))
                (entry,) = cache.glob(f"demo-{n}.toml.*")
                age(entry, AN_HOUR_AGO - n * 10**9)  # written in this order, whatever the clock
        assert sorted(e.name.split(".")[0] for e in cache.iterdir()) == ["demo-1", "demo-2"]


@pytest.mark.usefixtures("cache")
def test_loading_from_the_cache_parses_nothing(site: Path) -> None:
    """Once a definition is kept, loading its call parses no TOML and builds no converter."""
    code = textwrap.dedent("""
        import sys
        import callkit
        from callkit import _cache
        _cache.RECENT_NS = 0  # the test wrote the file a moment ago
        callkit.get_call('demo-2030')
        print(sorted({'tomllib', 'cattrs'} & set(sys.modules)))
    """)
    runs = run_twice(code, site)
    assert runs == ["['cattrs', 'tomllib']", "[]"]
